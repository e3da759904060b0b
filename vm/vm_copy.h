/*
 * Copy objects: memory in transit between address spaces.
 *
 * Out-of-line message data and the data of vm_read/vm_write travel as a
 * vm_map_copy: a list of whole physical pages that the copy owns, the
 * offset of the first data byte in the first page, and the size of the
 * data.  A frame of 0 stands for a page of zeros that nobody has touched
 * (it costs no memory; copyout leaves it to be zero-filled on first touch).
 *
 * Ownership: whoever holds a vm_map_copy_t owns it and its pages, and
 * must pass it on (vm_map_copyout, vm_map_copy_overwrite, which consume it
 * on success) or vm_map_copy_discard it.  VM_MAP_COPY_NULL stands for no
 * data (size 0) and is accepted everywhere.
 *
 * Invariants: npages == round_page(offset + size) / PAGE_SIZE;
 * offset < PAGE_SIZE; each non-zero frame is owned by exactly this copy.
 */
#ifndef _VM_VM_COPY_H_
#define _VM_VM_COPY_H_

#include <vm/vm_map.h>

struct vm_map_copy {
	vm_size_t size;		/* bytes of data */
	vm_offset_t offset;	/* first data byte within pages[0] */
	unsigned npages;	/* frames in pages[] */
	paddr_t pages[];	/* owned frames; 0 = untouched (zeros) */
};
typedef struct vm_map_copy *vm_map_copy_t;

#define VM_MAP_COPY_NULL	((vm_map_copy_t) 0)

kern_return_t vm_map_copyin(vm_map_t map, vaddr_t addr, vm_size_t size,
			    bool src_destroy, vm_map_copy_t *copy_result);
kern_return_t vm_map_copyin_kernel_buffer(const void *kbuf, vm_size_t size,
					  vm_map_copy_t *copy_result);
kern_return_t vm_map_copyout(vm_map_t map, vaddr_t *addr, vm_map_copy_t copy);
kern_return_t vm_map_copy_overwrite(vm_map_t map, vaddr_t addr,
				    vm_map_copy_t copy);
void vm_map_copy_discard(vm_map_copy_t copy);

/* Read the data of a copy into a kernel buffer of at least copy->size. */
void vm_map_copy_to_kernel(vm_map_copy_t copy, void *kbuf);

/* Copies alive and the frames they hold (leak checks, statistics). */
struct vm_copy_stats {
	unsigned copies;
	unsigned pages;
};
void vm_map_copy_stats(struct vm_copy_stats *st);

#endif /* _VM_VM_COPY_H_ */
