/*
 * mk/mach_port.h - the mach_port_* calls XNU's libsyscall serves through
 * kernel-RPC traps (the declarations XNU's MIG-generated <mach/mach_port.h>
 * carries; repeating them there later is harmless).
 */
#ifndef _MK_MACH_PORT_H_
#define _MK_MACH_PORT_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>

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

#endif /* _MK_MACH_PORT_H_ */
