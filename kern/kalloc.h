/*
 * General-purpose kernel memory: power-of-two zones from 16 bytes to
 * 2 KiB, and contiguous pages above that.  As in Mach, the caller passes
 * the size back to kfree.
 */
#ifndef _KERN_KALLOC_H_
#define _KERN_KALLOC_H_

#include <kern/types.h>

#define KALLOC_MINSIZE	16
#define KALLOC_MAXZONE	2048

void kalloc_init(void);
/* kalloc: size bytes (contents undefined), or NULL. */
void *kalloc(size_t size);
/* kzalloc: size zeroed bytes, or NULL. */
void *kzalloc(size_t size);
void kfree(void *p, size_t size);

struct kalloc_stats {
	unsigned large_allocs;		/* blocks above KALLOC_MAXZONE in use */
	unsigned large_pages;
};
void kalloc_stats(struct kalloc_stats *st);
/* Fault injection: the nth kalloc from now on fails (0 = off). */
void kalloc_fail_nth(unsigned n);
/* Allocations left until the armed failure (0: off or already fired). */
unsigned kalloc_fail_pending(void);

#endif
