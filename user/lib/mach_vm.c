/*
 * vm_allocate, vm_deallocate, vm_protect and their mach_vm_* forms, over
 * XNU's _kernelrpc_mach_vm_* traps.
 *
 * The traps take pointer-sized addresses and sizes (<mach/syscall_sw.h>),
 * so the vm_* calls map straight onto them and the mach_vm_* calls, whose
 * 64-bit values a 32-bit task can never use in full, check that their
 * values fit first.
 *
 * As in libsyscall, vm_allocate, vm_deallocate and vm_protect try their
 * trap first; when it answers MACH_SEND_INVALID_DEST (target does not
 * name a map the trap can serve directly) the call is made again as the
 * MIG RPC of the vm_map subsystem (3800), whose generated user stubs carry
 * the prefix _kernelrpc_ (<mach/vm_map.h>, generated).  The calls with no
 * trap are in vm_map_rpc.c.
 */
#include <mach/mach.h>
#include <mach/vm_map.h>
#include <mk/kernelrpc.h>
#include <mk/mach_vm.h>

/* Does the 64-bit value v survive conversion to a vm_address_t? */
static int fits(uint64_t v)
{
	return v == (vm_address_t)v;
}

/*
 * vm_allocate: allocate zero-filled memory in target's map, at *address
 * (VM_FLAGS_FIXED) or wherever there is room (VM_FLAGS_ANYWHERE).
 * Returns KERN_SUCCESS with *address set, or the kernel's error
 * (KERN_NO_SPACE, KERN_INVALID_ARGUMENT, KERN_INVALID_ADDRESS, ...).
 */
kern_return_t vm_allocate(vm_map_t target, vm_address_t *address,
			  vm_size_t size, int flags)
{
	kern_return_t kr = _kernelrpc_mach_vm_allocate_trap(target, address,
	    size, flags);

	if (kr == MACH_SEND_INVALID_DEST)
		kr = _kernelrpc_vm_allocate(target, address, size, flags);
	return kr;
}

/*
 * vm_deallocate: remove [address, address + size) from target's map.
 * Returns KERN_SUCCESS or the kernel's error.
 */
kern_return_t vm_deallocate(vm_map_t target, vm_address_t address,
			    vm_size_t size)
{
	kern_return_t kr = _kernelrpc_mach_vm_deallocate_trap(target, address,
	    size);

	if (kr == MACH_SEND_INVALID_DEST)
		kr = _kernelrpc_vm_deallocate(target, address, size);
	return kr;
}

/*
 * vm_protect: set the current (or, with set_maximum, the maximum)
 * protection of a range of target's map.  Returns KERN_SUCCESS or the
 * kernel's error (KERN_PROTECTION_FAILURE above the maximum, ...).
 */
kern_return_t vm_protect(vm_map_t target, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection)
{
	kern_return_t kr = _kernelrpc_mach_vm_protect_trap(target, address,
	    size, set_maximum, new_protection);

	if (kr == MACH_SEND_INVALID_DEST)
		kr = _kernelrpc_vm_protect(target, address, size, set_maximum,
		    new_protection);
	return kr;
}

/*
 * mach_vm_allocate: vm_allocate with 64-bit address and size.  *address
 * is updated only on success.  Returns as vm_allocate, or
 * KERN_INVALID_ARGUMENT if a value does not fit in 32 bits.
 */
kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags)
{
	vm_address_t addr = (vm_address_t)*address;

	if (!fits(size) || (!(flags & VM_FLAGS_ANYWHERE) && !fits(*address)))
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = vm_allocate(target, &addr, (vm_size_t)size, flags);
	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

/*
 * mach_vm_deallocate: vm_deallocate with 64-bit address and size.
 * Returns as vm_deallocate, or KERN_INVALID_ARGUMENT if a value does not
 * fit in 32 bits.
 */
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size)
{
	if (!fits(address) || !fits(size))
		return KERN_INVALID_ARGUMENT;
	return vm_deallocate(target, (vm_address_t)address, (vm_size_t)size);
}

/*
 * mach_vm_protect: vm_protect with 64-bit address and size.  Returns as
 * vm_protect, or KERN_INVALID_ARGUMENT if a value does not fit in 32 bits.
 */
kern_return_t mach_vm_protect(vm_map_t target, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum,
			      vm_prot_t new_protection)
{
	if (!fits(address) || !fits(size))
		return KERN_INVALID_ARGUMENT;
	return vm_protect(target, (vm_address_t)address, (vm_size_t)size,
	    set_maximum, new_protection);
}
