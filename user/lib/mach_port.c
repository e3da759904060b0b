/*
 * The mach_port_* calls that XNU's libsyscall serves through the
 * _kernelrpc_mach_port_* traps.
 *
 * XNU's libsyscall retries a call through the MIG RPC (mach_port subsystem
 * 3200) when the trap answers MACH_SEND_INVALID_DEST, i.e. when task is
 * not a space the trap can serve directly.  That fallback belongs here once
 * the generated stubs exist; until then the trap's answer is returned as
 * it is.
 */
#include <mach/mach.h>
#include <mk/kernelrpc.h>
#include <mk/mach_port.h>

/*
 * mach_port_allocate: make a new right of kind right (receive, port set
 * or dead name) in task's space.  Returns KERN_SUCCESS with *name set, or
 * the kernel's error.
 */
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	return _kernelrpc_mach_port_allocate_trap(task, right, name);
}

/*
 * mach_port_destroy: remove every right name denotes.  Returns
 * KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return _kernelrpc_mach_port_destroy_trap(task, name);
}

/*
 * mach_port_deallocate: release one user reference of the send,
 * send-once or dead-name right name denotes.  Returns KERN_SUCCESS or the
 * kernel's error.
 */
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return _kernelrpc_mach_port_deallocate_trap(task, name);
}

/*
 * mach_port_mod_refs: add delta to the user references of right under
 * name.  Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta)
{
	return _kernelrpc_mach_port_mod_refs_trap(task, name, right, delta);
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
	return _kernelrpc_mach_port_move_member_trap(task, member, after);
}

/*
 * mach_port_insert_right: give task's space the right polyPoly of poly
 * under name.  Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	return _kernelrpc_mach_port_insert_right_trap(task, name, poly,
	    polyPoly);
}

/*
 * mach_port_insert_member: add receive right name to port set pset.
 * Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_insert_member(ipc_space_t task,
				      mach_port_name_t name,
				      mach_port_name_t pset)
{
	return _kernelrpc_mach_port_insert_member_trap(task, name, pset);
}

/*
 * mach_port_extract_member: take receive right name out of port set pset.
 * Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t mach_port_extract_member(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_name_t pset)
{
	return _kernelrpc_mach_port_extract_member_trap(task, name, pset);
}
