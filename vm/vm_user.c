/*
 * The kernel side of the vm_map subsystem (XNU's vm_map.defs, ids from
 * 3800): the routines a task calls on a task port to manage the memory
 * of that task.  Arguments arrive exactly as the MIG stubs pass them;
 * each routine validates them and calls the map layer.
 *
 * Error codes follow XNU:
 *   - a NULL map, unknown flags or flavors, bad protections or
 *     inheritances: KERN_INVALID_ARGUMENT;
 *   - a range whose end wraps past the top of the 32-bit address space:
 *     KERN_INVALID_ARGUMENT for vm_deallocate, vm_protect and vm_inherit,
 *     KERN_INVALID_ADDRESS for vm_allocate (fixed), vm_read and vm_write
 *     (XNU keeps those historical codes);
 *   - a range outside user space or not mapped: KERN_INVALID_ADDRESS,
 *     except that vm_deallocate and vm_inherit ignore unmapped space (as
 *     Mach does);
 *   - size 0 succeeds and does nothing (vm_allocate returns address 0).
 */
#include <kern/assert.h>
#include <vm/vm_map.h>
#include <vm/vm_copy.h>
#ifndef VM_HOST_SHIM
#include <kern/task.h>
#endif

/* The last byte of the 32-bit address space (vm_address_t may be wider
 * on a host build). */
#define ADDR_TOP	0xffffffffu

/*
 * Does [address, address + size) wrap, either itself or once its end is
 * rounded up to a page?  size > 0.
 */
static bool range_wraps(vm_address_t address, vm_size_t size)
{
	return size > ADDR_TOP - address ||
	       address + size > (vm_address_t)(ADDR_TOP & ~PAGE_MASK);
}

/*
 * vm_allocate: allocate zero-filled memory in target.  With
 * VM_FLAGS_ANYWHERE the kernel picks the lowest free address; otherwise
 * *address (truncated to a page) is the fixed start, and with
 * VM_FLAGS_OVERWRITE whatever is mapped there is deallocated first.
 * size is rounded up to pages.  Sets *address to the start.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, flags outside
 * VM_FLAGS_USER_ALLOCATE or a superpage request, a size that rounds to
 * 0); KERN_INVALID_ADDRESS (fixed range outside user space);
 * KERN_NO_SPACE (fixed range in use, or nothing large enough);
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_allocate(vm_map_t target, vm_address_t *address,
			  vm_size_t size, int flags)
{
	bool anywhere = (flags & VM_FLAGS_ANYWHERE) != 0;
	vaddr_t start;
	kern_return_t kr;

	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (((unsigned)flags & ~(unsigned)VM_FLAGS_USER_ALLOCATE) ||
	    (flags & VM_FLAGS_SUPERPAGE_MASK))
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (size > (vm_size_t)(ADDR_TOP & ~PAGE_MASK))
		return KERN_INVALID_ARGUMENT;	/* rounds up past 4 GiB */
	vm_size_t rsize = round_page(size);
	if (anywhere) {
		start = VM_MIN_USER;
	} else {
		start = trunc_page(*address);
		if (range_wraps(start, rsize) || !vm_user_range_ok(start, rsize))
			return KERN_INVALID_ADDRESS;
		if (flags & VM_FLAGS_OVERWRITE) {
			kr = vm_map_remove(target, start, start + rsize);
			if (kr != KERN_SUCCESS)
				return kr;
		}
	}
	kr = vm_map_enter(target, &start, rsize, anywhere, VM_PROT_DEFAULT,
			  VM_PROT_ALL, VM_INHERIT_DEFAULT);
	if (kr == KERN_SUCCESS)
		*address = start;
	return kr;
}

/*
 * vm_deallocate: remove [address, address + size) (rounded out to pages)
 * from target and free its pages.  Unmapped space, and space outside
 * user space, is skipped without error.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, range wraps);
 * KERN_RESOURCE_SHORTAGE (a hole punched in one region needed an entry;
 * nothing changed).
 */
kern_return_t vm_deallocate(vm_map_t target, vm_address_t address,
			    vm_size_t size)
{
	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (range_wraps(address, size))
		return KERN_INVALID_ARGUMENT;
	if (address >= VM_MAX_USER)
		return KERN_SUCCESS;
	vaddr_t end = address + size;
	if (end > VM_MAX_USER)
		end = VM_MAX_USER;
	return vm_map_remove(target, trunc_page(address), round_page(end));
}

/*
 * vm_protect: set the current protection (or, with set_maximum, the
 * maximum protection) of [address, address + size), rounded out to
 * pages.  VM_PROT_COPY is accepted and ignored: all memory is already
 * private to its task.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, unknown bits,
 * range wraps); KERN_INVALID_ADDRESS (outside user space or not wholly
 * mapped); KERN_PROTECTION_FAILURE (above the maximum);
 * KERN_RESOURCE_SHORTAGE.  Nothing changes on failure.
 */
kern_return_t vm_protect(vm_map_t target, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection)
{
	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (new_protection & ~(VM_PROT_ALL | VM_PROT_COPY))
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (range_wraps(address, size))
		return KERN_INVALID_ARGUMENT;
	if (!vm_user_range_ok(address, size))
		return KERN_INVALID_ADDRESS;
	return vm_map_protect(target, trunc_page(address),
			      round_page(address + size),
			      new_protection & ~VM_PROT_COPY, set_maximum != 0);
}

/*
 * vm_inherit: set what a child task gets of [address, address + size)
 * (rounded out to pages).  Unmapped space, and space outside user
 * space, is skipped.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, bad
 * inheritance, range wraps); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_inherit(vm_map_t target, vm_address_t address,
			 vm_size_t size, vm_inherit_t new_inheritance)
{
	if (target == VM_MAP_NULL || new_inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (range_wraps(address, size))
		return KERN_INVALID_ARGUMENT;
	vaddr_t start = address < VM_MIN_USER ? VM_MIN_USER : address;
	vaddr_t end = address + size > VM_MAX_USER ? VM_MAX_USER : address + size;
	if (start >= end)
		return KERN_SUCCESS;
	return vm_map_inherit(target, start, end, new_inheritance);
}

/*
 * vm_read: copy [address, address + size) of target out of line.  On
 * success *data is a vm_map_copy_t (cast), owned by the caller (the
 * reply carries it as out-of-line memory), and *dataCnt is size.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map);
 * KERN_INVALID_ADDRESS (wraps, outside user space, not wholly mapped);
 * KERN_PROTECTION_FAILURE (not readable); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_read(vm_map_t target, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (size > ADDR_TOP)
		return KERN_INVALID_ADDRESS;
	kr = vm_map_copyin(target, address, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	*data = (vm_offset_t)copy;
	*dataCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

/*
 * vm_write: write the out-of-line data (a vm_map_copy_t, cast, of
 * dataCnt bytes) over [address, address + dataCnt) of target.  Consumes
 * the copy on success only; on failure the caller (the request's owner)
 * still discards it.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map); KERN_FAILURE
 * (dataCnt is not the size of the data); KERN_INVALID_ADDRESS (wraps,
 * outside user space, not wholly mapped); KERN_PROTECTION_FAILURE (not
 * writable); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_write(vm_map_t target, vm_address_t address,
		       vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	vm_map_copy_t copy = (vm_map_copy_t)data;

	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if ((copy == VM_MAP_COPY_NULL ? 0 : copy->size) != dataCnt)
		return KERN_FAILURE;
	return vm_map_copy_overwrite(target, address, copy);
}

/*
 * vm_copy: copy [source_address, source_address + size) of target over
 * [dest_address, dest_address + size) of the same map.  The source is
 * read whole before anything is written, so the ranges may overlap.
 * Nothing is written unless the whole destination is mapped writable.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map);
 * KERN_INVALID_ADDRESS (either range wraps, is outside user space or
 * not wholly mapped); KERN_PROTECTION_FAILURE (source not readable or
 * destination not writable); KERN_RESOURCE_SHORTAGE.  (XNU's codes: the
 * copyin, then the overwrite, of the same map.)
 */
kern_return_t vm_copy(vm_map_t target, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address)
{
	vm_size_t done;
	return vm_read_overwrite_map(target, source_address, size, target, dest_address, &done);
}

/*
 * vm_read_overwrite_map: read [address, address + size) of target and
 * write it over [data, data + size) of dest.  Sets *outsize to size on
 * success.  Returns as vm_read_overwrite.
 */
kern_return_t vm_read_overwrite_map(vm_map_t target, vm_address_t address,
				    vm_size_t size, vm_map_t dest,
				    vm_address_t data, vm_size_t *outsize)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (size > ADDR_TOP)
		return KERN_INVALID_ADDRESS;
	kr = vm_map_copyin(target, address, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_map_copy_overwrite(dest, data, copy);
	if (kr != KERN_SUCCESS) {
		vm_map_copy_discard(copy);
		return kr;
	}
	*outsize = size;
	return KERN_SUCCESS;
}

#ifndef VM_HOST_SHIM
/*
 * vm_read_overwrite: copy [address, address + size) of target into the
 * CALLER's memory at [data, data + size) (the calling task's map, which
 * may be target itself), as XNU does: the data does not travel in the
 * reply.  Sets *outsize to size.  Nothing is written unless the whole
 * source is readable and the whole destination mapped writable.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, or a caller
 * without an address space); KERN_INVALID_ADDRESS (a range wraps, is
 * outside user space or not wholly mapped); KERN_PROTECTION_FAILURE
 * (source not readable, destination not writable);
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_read_overwrite(vm_map_t target, vm_address_t address,
				vm_size_t size, vm_address_t data,
				vm_size_t *outsize)
{
	vm_map_t caller = current_task()->map;

	if (target == VM_MAP_NULL || caller == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	return vm_read_overwrite_map(target, address, size, caller, data, outsize);
}
#endif

/*
 * vm_region: describe the first region of target at or above *address.
 * Sets *address and *size to its bounds, fills info (flavor
 * VM_REGION_BASIC_INFO or VM_REGION_BASIC_INFO_64; *infoCnt in ints must
 * be large enough and is set to the flavor's count) and sets
 * *object_name to no port.  Adjacent regions with the same attributes
 * are one region.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map, unknown flavor,
 * *infoCnt too small); KERN_INVALID_ADDRESS (no region at or above
 * *address).
 */
kern_return_t vm_region(vm_map_t target, vm_address_t *address,
			vm_size_t *size, vm_region_flavor_t flavor,
			vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			mach_port_t *object_name)
{
	vm_map_entry_t e;

	if (target == VM_MAP_NULL)
		return KERN_INVALID_ARGUMENT;
	if (flavor == VM_REGION_BASIC_INFO) {
		if (*infoCnt < VM_REGION_BASIC_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
	} else if (flavor == VM_REGION_BASIC_INFO_64) {
		if (*infoCnt < VM_REGION_BASIC_INFO_COUNT_64)
			return KERN_INVALID_ARGUMENT;
	} else {
		return KERN_INVALID_ARGUMENT;
	}
	if (!vm_map_lookup_entry(target, *address, &e)) {
		e = e->next;
		if (e == vm_map_to_entry(target))
			return KERN_INVALID_ADDRESS;
	}

	if (flavor == VM_REGION_BASIC_INFO) {
		vm_region_basic_info_t bi = (vm_region_basic_info_t)(void *)info;
		bi->protection = e->protection;
		bi->max_protection = e->max_protection;
		bi->inheritance = e->inheritance;
		bi->shared = FALSE;
		bi->reserved = FALSE;
		bi->offset = 0;
		bi->behavior = VM_BEHAVIOR_DEFAULT;
		bi->user_wired_count = 0;
		*infoCnt = VM_REGION_BASIC_INFO_COUNT;
	} else {
		vm_region_basic_info_64_t bi = (vm_region_basic_info_64_t)(void *)info;
		bi->protection = e->protection;
		bi->max_protection = e->max_protection;
		bi->inheritance = e->inheritance;
		bi->shared = FALSE;
		bi->reserved = FALSE;
		bi->offset = 0;
		bi->behavior = VM_BEHAVIOR_DEFAULT;
		bi->user_wired_count = 0;
		*infoCnt = VM_REGION_BASIC_INFO_COUNT_64;
	}
	*address = e->start;
	*size = e->end - e->start;
	if (object_name != NULL)
		*object_name = (mach_port_t)0;
	return KERN_SUCCESS;
}
