/*
 * mk/mach_vm.h - vm_allocate, vm_deallocate and vm_protect, and their
 * mach_vm_* forms with 64-bit addresses, as XNU's libsyscall provides them
 * (the declarations XNU's MIG-generated <mach/vm_map.h> and
 * <mach/mach_vm.h> carry; repeating them there later is harmless).
 */
#ifndef _MK_MACH_VM_H_
#define _MK_MACH_VM_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_prot.h>

#if defined(__has_include)
#if __has_include(<mach/vm_statistics.h>)
#include <mach/vm_statistics.h>
#endif
#endif

/* vm_allocate flags, XNU's values (<mach/vm_statistics.h>). */
#ifndef VM_FLAGS_FIXED
#define VM_FLAGS_FIXED		0x0000	/* exactly at *address */
#endif
#ifndef VM_FLAGS_ANYWHERE
#define VM_FLAGS_ANYWHERE	0x0001	/* wherever there is room */
#endif

kern_return_t vm_allocate(vm_map_t target, vm_address_t *address,
			  vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target, vm_address_t address,
			    vm_size_t size);
kern_return_t vm_protect(vm_map_t target, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection);

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);
kern_return_t mach_vm_protect(vm_map_t target, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum,
			      vm_prot_t new_protection);

#endif /* _MK_MACH_VM_H_ */
