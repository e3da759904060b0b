/*
 * mk/mach_vm.h - the public vm_* calls of libmk, with XNU's signatures,
 * and the mach_vm_* forms of vm_allocate, vm_deallocate and vm_protect
 * with 64-bit addresses.  The generated <mach/vm_map.h> declares only the
 * MIG stubs, named _kernelrpc_vm_*; libmk defines these public names over
 * them and over the kernel-RPC traps (mach_vm.c, vm_map_rpc.c).
 */
#ifndef _MK_MACH_VM_H_
#define _MK_MACH_VM_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/vm_region.h>
#include <mach/vm_statistics.h>

/* Served by a trap first, then by the RPC (mach_vm.c). */
kern_return_t vm_allocate(vm_map_t target, vm_address_t *address,
			  vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target, vm_address_t address,
			    vm_size_t size);
kern_return_t vm_protect(vm_map_t target, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection);

/* RPC only (vm_map_rpc.c). */
kern_return_t vm_region(vm_map_t target_task, vm_address_t *address,
			vm_size_t *size, vm_region_flavor_t flavor,
			vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			mach_port_t *object_name);
kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address,
			 vm_size_t size, vm_inherit_t new_inheritance);
kern_return_t vm_read(vm_map_t target_task, vm_address_t address,
		      vm_size_t size, vm_offset_t *data,
		      mach_msg_type_number_t *dataCnt);
kern_return_t vm_write(vm_map_t target_task, vm_address_t address,
		       vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address);
kern_return_t vm_read_overwrite(vm_map_t target_task, vm_address_t address,
				vm_size_t size, vm_address_t data,
				vm_size_t *outsize);

/* 64-bit forms (mach_vm.c): KERN_INVALID_ARGUMENT for values > 32 bits. */
kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);
kern_return_t mach_vm_protect(vm_map_t target, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum,
			      vm_prot_t new_protection);

#endif /* _MK_MACH_VM_H_ */
