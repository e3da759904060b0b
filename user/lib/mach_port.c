/*
 * The mach_port_* calls that XNU's libsyscall serves through the
 * _kernelrpc_mach_port_* traps.
 *
 * As in libsyscall, each tries its trap first; when the trap answers
 * MACH_SEND_INVALID_DEST (task does not name a space the trap can serve
 * directly, e.g. another task's port) the call is made again as the MIG
 * RPC of the mach_port subsystem (3200), whose generated user stubs carry
 * the prefix _kernelrpc_ (<mach/mach_port.h>, generated).  The calls with
 * no trap are in mach_port_rpc.c.
 */
#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mk/kernelrpc.h>
#include <mk/mach_port.h>

#define TRAP_CANNOT_SERVE(kr)	((kr) == MACH_SEND_INVALID_DEST)

/*
 * mach_port_allocate: make a new right of kind right (receive, port set
 * or dead name) in task's space.  Returns KERN_SUCCESS with *name set, or
 * the kernel's error.
 */
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	kern_return_t kr = _kernelrpc_mach_port_allocate_trap(task, right,
	    name);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_allocate(task, right, name);
	return kr;
}

/*
 * mach_port_destroy: remove every right name denotes.  Returns
 * KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	kern_return_t kr = _kernelrpc_mach_port_destroy_trap(task, name);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_destroy(task, name);
	return kr;
}

/*
 * mach_port_deallocate: release one user reference of the send,
 * send-once or dead-name right name denotes.  Returns KERN_SUCCESS or the
 * kernel's error.
 */
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	kern_return_t kr = _kernelrpc_mach_port_deallocate_trap(task, name);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_deallocate(task, name);
	return kr;
}

/*
 * mach_port_mod_refs: add delta to the user references of right under
 * name.  Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta)
{
	kern_return_t kr = _kernelrpc_mach_port_mod_refs_trap(task, name,
	    right, delta);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_mod_refs(task, name, right, delta);
	return kr;
}

/*
 * mach_port_move_member: move receive right member into port set after
 * (out of any set if after is MACH_PORT_NULL).  Returns KERN_SUCCESS or
 * the kernel's error.
 */
kern_return_t mach_port_move_member(ipc_space_t task,
				    mach_port_name_t member,
				    mach_port_name_t after)
{
	kern_return_t kr = _kernelrpc_mach_port_move_member_trap(task, member,
	    after);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_move_member(task, member, after);
	return kr;
}

/*
 * mach_port_insert_right: give task's space the right polyPoly of poly
 * under name.  Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	kern_return_t kr = _kernelrpc_mach_port_insert_right_trap(task, name,
	    poly, polyPoly);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_insert_right(task, name, poly,
		    polyPoly);
	return kr;
}

/*
 * mach_port_insert_member: add receive right name to port set pset.
 * Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_insert_member(ipc_space_t task,
				      mach_port_name_t name,
				      mach_port_name_t pset)
{
	kern_return_t kr = _kernelrpc_mach_port_insert_member_trap(task, name,
	    pset);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_insert_member(task, name, pset);
	return kr;
}

/*
 * mach_port_extract_member: take receive right name out of port set pset.
 * Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_extract_member(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_name_t pset)
{
	kern_return_t kr = _kernelrpc_mach_port_extract_member_trap(task,
	    name, pset);

	if (TRAP_CANNOT_SERVE(kr))
		kr = _kernelrpc_mach_port_extract_member(task, name, pset);
	return kr;
}
