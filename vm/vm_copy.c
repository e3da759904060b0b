/*
 * Copy objects: see vm_copy.h.  A copy is one kalloc block holding the
 * header and the frame list.  Copies are made eagerly (there is no
 * copy-on-write), except that untouched source pages are recorded as 0
 * frames and never materialised.
 */
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <vm/vm_copy.h>
#include <vm/vm_fault.h>
#include <vm/vm_page.h>

static struct vm_copy_stats copy_stats;

static size_t copy_bytes(unsigned npages)
{
	return sizeof(struct vm_map_copy) + (size_t)npages * sizeof(paddr_t);
}

/* A copy for size bytes starting offset bytes into its first page, all
 * frames 0; NULL when memory is short.  size > 0, offset < PAGE_SIZE. */
static vm_map_copy_t copy_alloc(vm_size_t size, vm_offset_t offset)
{
	assert(size > 0 && offset < PAGE_SIZE);
	vm_size_t span = offset + size;
	unsigned npages = (unsigned)(span / PAGE_SIZE) + ((span & PAGE_MASK) != 0);
	vm_map_copy_t copy = kalloc(copy_bytes(npages));
	if (copy == NULL)
		return NULL;
	copy->size = size;
	copy->offset = offset;
	copy->npages = npages;
	memset(copy->pages, 0, (size_t)npages * sizeof(paddr_t));
	copy_stats.copies++;
	return copy;
}

/* Record that the copy now owns frame pa at index i. */
static void copy_set_page(vm_map_copy_t copy, unsigned i, paddr_t pa)
{
	assert(copy->pages[i] == 0);
	copy->pages[i] = pa;
	if (pa != 0)
		copy_stats.pages++;
}

/* Free the header only: the frames were handed on. */
static void copy_free_header(vm_map_copy_t copy)
{
	copy_stats.copies--;
	kfree(copy, copy_bytes(copy->npages));
}

/*
 * vm_map_copy_discard: free a copy and every frame it owns.  NULL is
 * ignored.
 */
void vm_map_copy_discard(vm_map_copy_t copy)
{
	if (copy == VM_MAP_COPY_NULL)
		return;
	for (unsigned i = 0; i < copy->npages; i++) {
		if (copy->pages[i] != 0) {
			vm_page_free(copy->pages[i]);
			copy_stats.pages--;
		}
	}
	copy_free_header(copy);
}

/*
 * vm_map_copyin: capture [addr, addr + size) of map as a new copy in
 * *copy_result.  The range must be mapped readable.  Without src_destroy
 * the source is unchanged and the copy gets fresh frames with the same
 * contents (whole pages, so bytes around the range in the first and last
 * page come along, as in Mach).  With src_destroy the frames are moved
 * out of the map and the source range (the whole pages covering it) is
 * deallocated.  size 0 gives VM_MAP_COPY_NULL.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map);
 * KERN_INVALID_ADDRESS (outside user space, wraps, or a hole);
 * KERN_PROTECTION_FAILURE (not readable); KERN_RESOURCE_SHORTAGE.  On
 * failure the map is unchanged and *copy_result is VM_MAP_COPY_NULL.
 */
kern_return_t vm_map_copyin(vm_map_t map, vaddr_t addr, vm_size_t size,
			    bool src_destroy, vm_map_copy_t *copy_result)
{
	vm_map_copy_t copy;
	kern_return_t kr;

	*copy_result = VM_MAP_COPY_NULL;
	if (map == NULL)
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (!vm_user_range_ok(addr, size))
		return KERN_INVALID_ADDRESS;
	vaddr_t start = trunc_page(addr);
	vaddr_t end = round_page(addr + size);
	kr = vm_map_check_range(map, start, end, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	copy = copy_alloc(size, addr - start);
	if (copy == NULL)
		return KERN_RESOURCE_SHORTAGE;
	assert(copy->npages == (end - start) / PAGE_SIZE);

	if (src_destroy) {
		/* Split first: after that the removal cannot fail. */
		kr = vm_map_clip_range(map, start, end);
		if (kr != KERN_SUCCESS) {
			copy_free_header(copy);
			return kr;
		}
		for (unsigned i = 0; i < copy->npages; i++)
			copy_set_page(copy, i, pmap_take(map->pmap, start + i * PAGE_SIZE));
		kr = vm_map_remove(map, start, end);
		assert(kr == KERN_SUCCESS);
	} else {
		for (unsigned i = 0; i < copy->npages; i++) {
			paddr_t src = pmap_extract(map->pmap, start + i * PAGE_SIZE, NULL);
			if (src == 0)
				continue;
			paddr_t dst = vm_page_alloc();
			if (dst == 0) {
				vm_map_copy_discard(copy);
				return KERN_RESOURCE_SHORTAGE;
			}
			memcpy(phystokv(dst), phystokv(src), PAGE_SIZE);
			copy_set_page(copy, i, dst);
		}
	}
	*copy_result = copy;
	return KERN_SUCCESS;
}

/*
 * vm_map_copyin_kernel_buffer: a new copy in *copy_result holding the
 * size bytes at kbuf (offset 0; the rest of the last page is zero).
 * size 0 gives VM_MAP_COPY_NULL.  Returns KERN_SUCCESS or
 * KERN_RESOURCE_SHORTAGE (then *copy_result is VM_MAP_COPY_NULL).
 */
kern_return_t vm_map_copyin_kernel_buffer(const void *kbuf, vm_size_t size,
					  vm_map_copy_t *copy_result)
{
	const char *src = kbuf;

	*copy_result = VM_MAP_COPY_NULL;
	if (size == 0)
		return KERN_SUCCESS;
	vm_map_copy_t copy = copy_alloc(size, 0);
	if (copy == NULL)
		return KERN_RESOURCE_SHORTAGE;
	for (unsigned i = 0; i < copy->npages; i++) {
		vm_size_t done = (vm_size_t)i * PAGE_SIZE;
		vm_size_t n = MIN(size - done, (vm_size_t)PAGE_SIZE);
		paddr_t pa = vm_page_alloc();
		if (pa == 0) {
			vm_map_copy_discard(copy);
			return KERN_RESOURCE_SHORTAGE;
		}
		memcpy(phystokv(pa), src + done, n);
		if (n < PAGE_SIZE)
			memset((char *)phystokv(pa) + n, 0, PAGE_SIZE - n);
		copy_set_page(copy, i, pa);
	}
	*copy_result = copy;
	return KERN_SUCCESS;
}

/*
 * vm_map_copyout: place copy in a new region of map, chosen first-fit
 * (read/write, maximum VM_PROT_ALL, inheritance VM_INHERIT_DEFAULT), so
 * that the data appears at *addr, at the same offset within its page as
 * in the source.  Consumes the copy on success.  VM_MAP_COPY_NULL gives
 * *addr = 0.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map); KERN_NO_SPACE;
 * KERN_RESOURCE_SHORTAGE.  On failure the map is unchanged and the
 * caller still owns the copy.
 */
kern_return_t vm_map_copyout(vm_map_t map, vaddr_t *addr, vm_map_copy_t copy)
{
	kern_return_t kr;
	vaddr_t start = VM_MIN_USER;
	unsigned i;

	if (copy == VM_MAP_COPY_NULL) {
		*addr = 0;
		return KERN_SUCCESS;
	}
	if (map == NULL)
		return KERN_INVALID_ARGUMENT;
	vm_size_t len = (vm_size_t)copy->npages * PAGE_SIZE;
	kr = vm_map_find_space(map, &start, len);
	if (kr != KERN_SUCCESS)
		return kr;
	/*
	 * Map the frames before making the entry: a page table may be
	 * missing, and undoing pmap_enter (pmap_take) cannot fail, while
	 * undoing an entry could.  Nothing else runs in between.
	 */
	for (i = 0; i < copy->npages; i++) {
		paddr_t pa = copy->pages[i];
		if (pa != 0 && !pmap_enter(map->pmap, start + i * PAGE_SIZE, pa, true))
			break;
	}
	if (i == copy->npages) {
		vaddr_t at = start;
		kr = vm_map_enter(map, &at, len, false, VM_PROT_DEFAULT,
				  VM_PROT_ALL, VM_INHERIT_DEFAULT);
		if (kr == KERN_SUCCESS) {
			assert(at == start);
			/* The map owns the frames now. */
			for (unsigned j = 0; j < copy->npages; j++)
				if (copy->pages[j] != 0)
					copy_stats.pages--;
			*addr = start + copy->offset;
			copy_free_header(copy);
			return KERN_SUCCESS;
		}
	} else {
		kr = KERN_RESOURCE_SHORTAGE;
	}
	while (i-- > 0) {
		if (copy->pages[i] != 0) {
			paddr_t back = pmap_take(map->pmap, start + i * PAGE_SIZE);
			assert(back == copy->pages[i]);
			(void)back;
		}
	}
	return kr;
}

/*
 * vm_map_copy_overwrite: write the data of copy over [addr, addr +
 * copy->size) of map, which must be mapped writable.  Every destination
 * page gets its frame before any byte is written, so failure leaves the
 * contents unchanged.  Whole, aligned pages are moved rather than copied.
 * Consumes the copy on success only.  VM_MAP_COPY_NULL writes nothing.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL map);
 * KERN_INVALID_ADDRESS (outside user space, wraps, or a hole);
 * KERN_PROTECTION_FAILURE (not writable); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_map_copy_overwrite(vm_map_t map, vaddr_t addr,
				    vm_map_copy_t copy)
{
	vm_map_entry_t entry;
	kern_return_t kr;
	paddr_t pa;

	if (map == NULL)
		return KERN_INVALID_ARGUMENT;
	if (copy == VM_MAP_COPY_NULL)
		return KERN_SUCCESS;
	if (!vm_user_range_ok(addr, copy->size))
		return KERN_INVALID_ADDRESS;
	kr = vm_map_check_range(map, addr, addr + copy->size, VM_PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	for (vaddr_t va = trunc_page(addr); va < addr + copy->size; va += PAGE_SIZE) {
		bool found = vm_map_lookup_entry(map, va, &entry);
		assert(found);
		kr = vm_fault_page(map, entry, va, &pa);
		if (kr != KERN_SUCCESS)
			return kr;
	}

	vm_size_t done = 0;
	while (done < copy->size) {
		vaddr_t va = addr + done;
		vaddr_t page = trunc_page(va);
		vm_size_t src_pos = copy->offset + done;
		unsigned si = (unsigned)(src_pos / PAGE_SIZE);
		vm_size_t soff = src_pos & PAGE_MASK;
		vm_size_t doff = va - page;
		vm_size_t n = MIN(copy->size - done, PAGE_SIZE - MAX(soff, doff));
		paddr_t src = copy->pages[si];

		if (n == PAGE_SIZE && src != 0) {
			/* A whole aligned page: hand the frame over. */
			paddr_t old = pmap_take(map->pmap, page);
			bool ok = pmap_enter(map->pmap, page, src, true);
			assert(ok && old != 0);	/* the page table is there */
			(void)ok;
			vm_page_free(old);
			copy->pages[si] = 0;
			copy_stats.pages--;
		} else {
			pa = pmap_extract(map->pmap, page, NULL);
			assert(pa != 0);
			if (src != 0)
				memcpy((char *)phystokv(pa) + doff,
				       (char *)phystokv(src) + soff, n);
			else
				memset((char *)phystokv(pa) + doff, 0, n);
		}
		done += n;
	}
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

/*
 * vm_map_copy_to_kernel: copy the data of copy (not NULL) into kbuf,
 * which holds at least copy->size bytes.  The copy is unchanged.
 */
void vm_map_copy_to_kernel(vm_map_copy_t copy, void *kbuf)
{
	char *dst = kbuf;
	vm_size_t done = 0;

	while (done < copy->size) {
		vm_size_t pos = copy->offset + done;
		unsigned i = (unsigned)(pos / PAGE_SIZE);
		vm_size_t off = pos & PAGE_MASK;
		vm_size_t n = MIN(copy->size - done, PAGE_SIZE - off);
		if (copy->pages[i] != 0)
			memcpy(dst + done, (char *)phystokv(copy->pages[i]) + off, n);
		else
			memset(dst + done, 0, n);
		done += n;
	}
}

/* vm_map_copy_stats: copies alive and the frames they own. */
void vm_map_copy_stats(struct vm_copy_stats *st)
{
	*st = copy_stats;
}
