/*
 * Zones: allocators of fixed-size kernel objects.
 *
 * A zone carves pages (or runs of pages, for large elements) from the
 * physical allocator into elements kept on a free list.  Pages are never
 * returned; statistics say how many elements are in use and how many
 * pages the zone holds.  The kernel is uniprocessor and non-preemptible,
 * so a zone needs no lock.
 */
#ifndef _KERN_ZALLOC_H_
#define _KERN_ZALLOC_H_

#include <kern/types.h>

struct zone {
	const char *name;
	size_t elem_size;
	unsigned chunk_pages;		/* pages carved at a time */
	void *free_list;
	unsigned in_use;		/* elements handed out */
	unsigned free_count;		/* elements on the free list */
	unsigned pages;			/* pages owned */
	unsigned long allocs, frees;
	unsigned max_in_use;		/* 0: unlimited */
	unsigned fail_nth;		/* fault injection */
	struct zone *next;		/* all zones */
};
typedef struct zone *zone_t;

/* Define and register a zone; the zone is usable at once. */
void zone_init(struct zone *z, const char *name, size_t elem_size, unsigned max_in_use);
/* zalloc: an element (contents undefined), or NULL when exhausted. */
void *zalloc(zone_t z);
void zfree(zone_t z, void *elem);

/* Iterate over every zone (for statistics and the debugger). */
zone_t zone_first(void);
/* Print one zone / all zones. */
void zone_print(zone_t z);
void zone_print_all(void);
/* Fault injection: the nth zalloc from z from now on fails (0 = off). */
void zone_fail_nth(zone_t z, unsigned n);
zone_t zone_find(const char *name);

#endif
