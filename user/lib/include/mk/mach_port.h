/*
 * mk/mach_port.h - the public mach_port_* calls of libmk, with XNU's
 * signatures.  The generated <mach/mach_port.h> declares only the MIG
 * stubs, named _kernelrpc_mach_port_*; libmk defines these public names
 * over them and over the kernel-RPC traps (mach_port.c, mach_port_rpc.c).
 */
#ifndef _MK_MACH_PORT_H_
#define _MK_MACH_PORT_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>

/* Served by a trap first, then by the RPC (mach_port.c). */
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name);
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name);
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_delta_t delta);
kern_return_t mach_port_move_member(ipc_space_t task,
				    mach_port_name_t member,
				    mach_port_name_t after);
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly,
				     mach_msg_type_name_t polyPoly);
kern_return_t mach_port_insert_member(ipc_space_t task,
				      mach_port_name_t name,
				      mach_port_name_t pset);
kern_return_t mach_port_extract_member(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_name_t pset);

/* RPC only (mach_port_rpc.c). */
kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt);
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype);
kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name);
kern_return_t mach_port_allocate_name(ipc_space_t task,
				      mach_port_right_t right,
				      mach_port_name_t name);
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right,
				 mach_port_urefs_t *refs);
kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount);
kern_return_t mach_port_get_set_status(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt);
kern_return_t mach_port_request_notification(ipc_space_t task,
					     mach_port_name_t name,
					     mach_msg_id_t msgid,
					     mach_port_mscount_t sync,
					     mach_port_t notify,
					     mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous);
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly);
kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno);
kern_return_t mach_port_get_attributes(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt);
kern_return_t mach_port_set_attributes(ipc_space_t task,
				       mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt);

#endif /* _MK_MACH_PORT_H_ */
