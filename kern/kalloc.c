/*
 * kalloc: size-class zones plus page runs for large blocks.
 */
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/zalloc.h>
#include <machine/param.h>
#include <vm/vm_page.h>

#define NCLASSES	8	/* 16, 32, ..., 2048 */

static struct zone kalloc_zones[NCLASSES];
static const char *const zone_names[NCLASSES] = {
	"kalloc.16", "kalloc.32", "kalloc.64", "kalloc.128",
	"kalloc.256", "kalloc.512", "kalloc.1024", "kalloc.2048",
};
static struct kalloc_stats large;
static unsigned fail_nth;

/* kalloc_init: create the size-class zones.  Once, at boot. */
void kalloc_init(void)
{
	for (int i = 0; i < NCLASSES; i++)
		zone_init(&kalloc_zones[i], zone_names[i], (size_t)KALLOC_MINSIZE << i, 0);
}

static int size_class(size_t size)
{
	int c = 0;
	while (((size_t)KALLOC_MINSIZE << c) < size)
		c++;
	return c;
}

/* kalloc: see kalloc.h. */
void *kalloc(size_t size)
{
	if (fail_nth && --fail_nth == 0)
		return NULL;
	if (size == 0)
		size = 1;
	if (size <= KALLOC_MAXZONE)
		return zalloc(&kalloc_zones[size_class(size)]);
	if (size > 64u * 1024 * 1024)
		return NULL;
	unsigned n = (unsigned)(round_page(size) / PAGE_SIZE);
	paddr_t pa = vm_page_alloc_contig(n);
	if (pa == 0)
		return NULL;
	large.large_allocs++;
	large.large_pages += n;
	return phystokv(pa);
}

/* kzalloc: kalloc and zero. */
void *kzalloc(size_t size)
{
	void *p = kalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

/* kfree: free a kalloc block; size must be the size asked for. */
void kfree(void *p, size_t size)
{
	if (p == NULL)
		return;
	if (size == 0)
		size = 1;
	if (size <= KALLOC_MAXZONE) {
		zfree(&kalloc_zones[size_class(size)], p);
		return;
	}
	unsigned n = (unsigned)(round_page(size) / PAGE_SIZE);
	vm_page_free_contig(kvtophys(p), n);
	large.large_allocs--;
	large.large_pages -= n;
}

/* kalloc_stats: the large-block counters (zones report themselves). */
void kalloc_stats(struct kalloc_stats *st)
{
	*st = large;
}

/* kalloc_fail_nth: arm fault injection on kalloc. */
void kalloc_fail_nth(unsigned n)
{
	fail_nth = n;
}

/* kalloc_fail_pending: see kalloc.h. */
unsigned kalloc_fail_pending(void)
{
	return fail_nth;
}
