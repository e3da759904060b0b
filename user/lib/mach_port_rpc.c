/*
 * The mach_port_* calls that have no trap: each is the MIG RPC of the
 * mach_port subsystem (3200), whose generated user stub carries the prefix
 * _kernelrpc_ (<mach/mach_port.h>, generated), as in XNU's libsyscall.
 * Arguments and results are the stubs' own; see mach_port.defs.
 */
#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mk/mach_port.h>

/* mach_port_names: every name in task's space and its rights (out of line). */
kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	return _kernelrpc_mach_port_names(task, names, namesCnt, types,
	    typesCnt);
}

/* mach_port_type: the rights name denotes, in *ptype. */
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype)
{
	return _kernelrpc_mach_port_type(task, name, ptype);
}

/* mach_port_rename: move the rights under old_name to new_name. */
kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	return _kernelrpc_mach_port_rename(task, old_name, new_name);
}

/* mach_port_allocate_name: make a new right of kind right under name. */
kern_return_t mach_port_allocate_name(ipc_space_t task,
				      mach_port_right_t right,
				      mach_port_name_t name)
{
	return _kernelrpc_mach_port_allocate_name(task, right, name);
}

/* mach_port_get_refs: the user references of right under name, in *refs. */
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	return _kernelrpc_mach_port_get_refs(task, name, right, refs);
}

/* mach_port_set_mscount: set the make-send count of a receive right. */
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return _kernelrpc_mach_port_set_mscount(task, name, mscount);
}

/* mach_port_get_set_status: the members of port set name (out of line). */
kern_return_t mach_port_get_set_status(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	return _kernelrpc_mach_port_get_set_status(task, name, members,
	    membersCnt);
}

/*
 * mach_port_request_notification: arm notification msgid on name, sent to
 * notify; the request it replaces comes back in *previous.
 */
kern_return_t mach_port_request_notification(ipc_space_t task,
					     mach_port_name_t name,
					     mach_msg_id_t msgid,
					     mach_port_mscount_t sync,
					     mach_port_t notify,
					     mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous)
{
	return _kernelrpc_mach_port_request_notification(task, name, msgid,
	    sync, notify, notifyPoly, previous);
}

/* mach_port_extract_right: take a right of kind msgt_name out of name. */
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	return _kernelrpc_mach_port_extract_right(task, name, msgt_name, poly,
	    polyPoly);
}

/* mach_port_set_seqno: set the sequence number of a receive right. */
kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return _kernelrpc_mach_port_set_seqno(task, name, seqno);
}

/* mach_port_get_attributes: attribute flavor of a receive right. */
kern_return_t mach_port_get_attributes(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	return _kernelrpc_mach_port_get_attributes(task, name, flavor,
	    port_info_out, port_info_outCnt);
}

/* mach_port_set_attributes: set attribute flavor of a receive right. */
kern_return_t mach_port_set_attributes(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	return _kernelrpc_mach_port_set_attributes(task, name, flavor,
	    port_info, port_infoCnt);
}
