/*
 * Traps implemented in ipc/ (see ipc_traps.c and mach_msg.c).
 */
#ifndef _IPC_IPC_TRAPS_H_
#define _IPC_IPC_TRAPS_H_

#include <mach/port.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/vm_prot.h>
#include <mach/message.h>

mach_port_name_t mach_reply_port_trap(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t host_self_trap(void);
kern_return_t kernelrpc_vm_allocate_trap(mach_port_name_t target, vm_address_t *uaddr,
					 vm_size_t size, int flags);
kern_return_t kernelrpc_vm_deallocate_trap(mach_port_name_t target, vm_address_t addr, vm_size_t size);
kern_return_t kernelrpc_vm_protect_trap(mach_port_name_t target, vm_address_t addr, vm_size_t size,
					boolean_t set_maximum, vm_prot_t prot);
kern_return_t kernelrpc_port_allocate_trap(mach_port_name_t target, mach_port_right_t right,
					   mach_port_name_t *uname);
kern_return_t kernelrpc_port_destroy_trap(mach_port_name_t target, mach_port_name_t name);
kern_return_t kernelrpc_port_deallocate_trap(mach_port_name_t target, mach_port_name_t name);
kern_return_t kernelrpc_port_mod_refs_trap(mach_port_name_t target, mach_port_name_t name,
					   mach_port_right_t right, mach_port_delta_t delta);
kern_return_t kernelrpc_port_move_member_trap(mach_port_name_t target, mach_port_name_t member,
					      mach_port_name_t after);
kern_return_t kernelrpc_port_insert_right_trap(mach_port_name_t target, mach_port_name_t name,
					       mach_port_name_t poly, mach_msg_type_name_t polyPoly);
kern_return_t kernelrpc_port_insert_member_trap(mach_port_name_t target, mach_port_name_t name,
						mach_port_name_t pset);
kern_return_t kernelrpc_port_extract_member_trap(mach_port_name_t target, mach_port_name_t name,
						 mach_port_name_t pset);

#endif
