/*
 * Physical page allocator.
 *
 * Every page of usable RAM below the direct-map limit is tracked by one
 * bit (1 = allocated).  Pages are named by physical address; the kernel
 * reaches any page through the direct map (phystokv).  Physical page 0 is
 * never handed out, so 0 means "no page".
 */
#ifndef _VM_VM_PAGE_H_
#define _VM_VM_PAGE_H_

#include <kern/types.h>

struct multiboot_info;

/* Build the free map from the multiboot memory map.  Once, at boot. */
void vm_page_bootstrap(const struct multiboot_info *mbi);

/* One page, contents undefined; 0 when memory is exhausted. */
paddr_t vm_page_alloc(void);
/* One zero-filled page; 0 when memory is exhausted. */
paddr_t vm_page_alloc_zero(void);
void vm_page_free(paddr_t pa);
/* n physically contiguous pages; 0 when no run is free. */
paddr_t vm_page_alloc_contig(unsigned n);
void vm_page_free_contig(paddr_t pa, unsigned n);

struct vm_page_stats {
	unsigned total;		/* usable pages under management */
	unsigned free;
	unsigned highest;	/* physical top, in pages */
};
void vm_page_stats(struct vm_page_stats *st);
unsigned vm_page_free_count(void);

/* Fault injection: make the nth allocation from now fail (0 = off). */
void vm_page_fail_nth(unsigned n);
/* Allocations left until the armed failure (0: off or already fired). */
unsigned vm_page_fail_pending(void);

#endif
