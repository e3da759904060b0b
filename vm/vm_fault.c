/*
 * Page faults and kernel access to user memory of any map.  See
 * vm_fault.h.  Nothing here blocks; a missing frame is reported as
 * KERN_RESOURCE_SHORTAGE.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/trace.h>
#include <vm/vm_fault.h>
#include <vm/vm_page.h>

static struct vm_fault_stats fault_stats;

/*
 * vm_fault_page: give the page at va (page aligned, inside entry, which
 * is an entry of map) a frame if it has none: a zeroed one, mapped
 * writable iff the entry allows writing.  Sets *pa to the frame.
 * Returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE (nothing changed).
 */
kern_return_t vm_fault_page(vm_map_t map, vm_map_entry_t entry, vaddr_t va,
			    paddr_t *pa)
{
	assert((va & PAGE_MASK) == 0 && va >= entry->start && va < entry->end);
	paddr_t frame = pmap_extract(map->pmap, va, NULL);
	if (frame == 0) {
		frame = vm_page_alloc_zero();
		if (frame == 0)
			return KERN_RESOURCE_SHORTAGE;
		if (!pmap_enter(map->pmap, va, frame,
				(entry->protection & VM_PROT_WRITE) != 0)) {
			vm_page_free(frame);
			return KERN_RESOURCE_SHORTAGE;
		}
		fault_stats.zero_fills++;
	}
	*pa = frame;
	return KERN_SUCCESS;
}

/*
 * vm_fault: resolve a fault by map's task at va wanting access.
 * An entry whose protection has VM_PROT_EXECUTE satisfies a read: i386
 * without NX cannot tell an instruction fetch from a read.
 * Returns KERN_SUCCESS when the access can be retried: the page was
 * zero-filled (mapped writable iff the entry allows writing), made
 * writable (present read-only while the entry allows writing), or was
 * already fine.  Otherwise KERN_INVALID_ADDRESS (no entry at va),
 * KERN_PROTECTION_FAILURE (the entry forbids access), or
 * KERN_RESOURCE_SHORTAGE (no frame or page table).
 */
kern_return_t vm_fault(vm_map_t map, vaddr_t va, vm_prot_t access)
{
	vm_map_entry_t entry;
	paddr_t pa;
	bool writable = false;

	TRACE(VM, "fault map %p va %#lx access %#x", (void *)map, (unsigned long)va, (unsigned)access);
	if (map == NULL || va < VM_MIN_USER || va >= VM_MAX_USER)
		return KERN_INVALID_ADDRESS;
	if (!vm_map_lookup_entry(map, va, &entry))
		return KERN_INVALID_ADDRESS;
	vm_prot_t allowed = entry->protection;
	if (allowed & VM_PROT_EXECUTE)
		allowed |= VM_PROT_READ;
	if (access & ~allowed)
		return KERN_PROTECTION_FAILURE;

	va = trunc_page(va);
	if (pmap_extract(map->pmap, va, &writable) == 0) {
		kern_return_t kr = vm_fault_page(map, entry, va, &pa);
		if (kr != KERN_SUCCESS)
			return kr;
	} else if (!writable && (entry->protection & VM_PROT_WRITE)) {
		pmap_protect(map->pmap, va, va + PAGE_SIZE, true);
		fault_stats.write_upgrades++;
	}
	fault_stats.faults++;
	return KERN_SUCCESS;
}

/*
 * vm_map_read_bytes: copy len bytes at uaddr in map into kbuf.  The whole
 * range must be mapped readable; it is checked before anything is
 * copied.  Pages never touched read as zeros and stay untouched (no frame
 * is allocated), so this cannot run out of memory.
 * Returns KERN_SUCCESS, KERN_INVALID_ADDRESS (outside user space, wraps,
 * or a hole) or KERN_PROTECTION_FAILURE (not readable).
 */
kern_return_t vm_map_read_bytes(vm_map_t map, vaddr_t uaddr, void *kbuf,
				size_t len)
{
	char *dst = kbuf;
	kern_return_t kr;

	if (len == 0)
		return KERN_SUCCESS;
	if (map == NULL || !vm_user_range_ok(uaddr, len))
		return KERN_INVALID_ADDRESS;
	kr = vm_map_check_range(map, uaddr, uaddr + len, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	while (len > 0) {
		vaddr_t page = trunc_page(uaddr);
		size_t off = uaddr - page;
		size_t n = MIN(len, PAGE_SIZE - off);
		paddr_t pa = pmap_extract(map->pmap, page, NULL);
		if (pa != 0)
			memcpy(dst, (char *)phystokv(pa) + off, n);
		else
			memset(dst, 0, n);
		dst += n;
		uaddr += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

/*
 * vm_map_write_bytes: copy len bytes from kbuf to uaddr in map, giving
 * untouched pages a frame first.  The whole range must be mapped and,
 * unless force, writable; it is checked before anything is written.
 * force lets the kernel fill read-only memory (the program loader).
 * Returns KERN_SUCCESS, KERN_INVALID_ADDRESS (outside user space, wraps,
 * or a hole), KERN_PROTECTION_FAILURE (not writable, without force) or
 * KERN_RESOURCE_SHORTAGE (then a prefix of the range may be written).
 */
kern_return_t vm_map_write_bytes(vm_map_t map, vaddr_t uaddr,
				 const void *kbuf, size_t len, bool force)
{
	const char *src = kbuf;
	vm_map_entry_t entry;
	kern_return_t kr;

	if (len == 0)
		return KERN_SUCCESS;
	if (map == NULL || !vm_user_range_ok(uaddr, len))
		return KERN_INVALID_ADDRESS;
	kr = vm_map_check_range(map, uaddr, uaddr + len,
				force ? VM_PROT_NONE : VM_PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	while (len > 0) {
		vaddr_t page = trunc_page(uaddr);
		size_t off = uaddr - page;
		size_t n = MIN(len, PAGE_SIZE - off);
		paddr_t pa;
		bool found = vm_map_lookup_entry(map, page, &entry);
		assert(found);
		kr = vm_fault_page(map, entry, page, &pa);
		if (kr != KERN_SUCCESS)
			return kr;
		memcpy((char *)phystokv(pa) + off, src, n);
		src += n;
		uaddr += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

/* vm_fault_stats: copy out the counters. */
void vm_fault_stats(struct vm_fault_stats *st)
{
	*st = fault_stats;
}
