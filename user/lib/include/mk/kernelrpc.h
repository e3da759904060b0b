/*
 * mk/kernelrpc.h - XNU's kernel-RPC traps: fast forms of the vm_map and
 * mach_port RPCs, entered directly instead of through a message.
 *
 * Numbers and argument lists are in <mach/syscall_sw.h>.  Programs call
 * the library routines of <mk/mach_vm.h> and <mk/mach_port.h>, not these.
 * (XNU declares them in <mach/mach_traps.h>, with 64-bit mach_vm_*
 * addresses and sizes in the vm traps; this kernel's are pointer-sized,
 * see <mach/syscall_sw.h>.)
 */
#ifndef _MK_KERNELRPC_H_
#define _MK_KERNELRPC_H_

#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/vm_prot.h>

extern kern_return_t _kernelrpc_mach_vm_allocate_trap(
	mach_port_name_t	target,
	vm_address_t		*addr,
	vm_size_t		size,
	int			flags);

extern kern_return_t _kernelrpc_mach_vm_deallocate_trap(
	mach_port_name_t	target,
	vm_address_t		address,
	vm_size_t		size);

extern kern_return_t _kernelrpc_mach_vm_protect_trap(
	mach_port_name_t	target,
	vm_address_t		address,
	vm_size_t		size,
	boolean_t		set_maximum,
	vm_prot_t		new_protection);

extern kern_return_t _kernelrpc_mach_port_allocate_trap(
	mach_port_name_t	target,
	mach_port_right_t	right,
	mach_port_name_t	*name);

extern kern_return_t _kernelrpc_mach_port_destroy_trap(
	mach_port_name_t	target,
	mach_port_name_t	name);

extern kern_return_t _kernelrpc_mach_port_deallocate_trap(
	mach_port_name_t	target,
	mach_port_name_t	name);

extern kern_return_t _kernelrpc_mach_port_mod_refs_trap(
	mach_port_name_t	target,
	mach_port_name_t	name,
	mach_port_right_t	right,
	mach_port_delta_t	delta);

extern kern_return_t _kernelrpc_mach_port_move_member_trap(
	mach_port_name_t	target,
	mach_port_name_t	member,
	mach_port_name_t	after);

extern kern_return_t _kernelrpc_mach_port_insert_right_trap(
	mach_port_name_t	target,
	mach_port_name_t	name,
	mach_port_name_t	poly,
	mach_msg_type_name_t	polyPoly);

extern kern_return_t _kernelrpc_mach_port_insert_member_trap(
	mach_port_name_t	target,
	mach_port_name_t	name,
	mach_port_name_t	pset);

extern kern_return_t _kernelrpc_mach_port_extract_member_trap(
	mach_port_name_t	target,
	mach_port_name_t	name,
	mach_port_name_t	pset);

#endif /* _MK_KERNELRPC_H_ */
