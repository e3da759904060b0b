/*
 * Zone allocator.
 *
 * Invariant: in_use + free_count == pages / chunk_pages * per_chunk,
 * where per_chunk = chunk_pages * PAGE_SIZE / elem_size.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>
#include <machine/param.h>
#include <vm/vm_page.h>

static struct zone *all_zones;

/*
 * zone_init: set up z for elements of elem_size bytes (rounded up to 4)
 * and link it on the zone list.  max_in_use caps the zone (0: no cap).
 */
void zone_init(struct zone *z, const char *name, size_t elem_size, unsigned max_in_use)
{
	memset(z, 0, sizeof(*z));
	z->name = name;
	z->elem_size = (elem_size + 3) & ~(size_t)3;
	if (z->elem_size < sizeof(void *))
		z->elem_size = sizeof(void *);
	z->chunk_pages = 1;
	while (z->chunk_pages * PAGE_SIZE < z->elem_size * 4 && z->chunk_pages < 16)
		z->chunk_pages *= 2;
	z->max_in_use = max_in_use;
	z->next = all_zones;
	all_zones = z;
}

static bool zone_grow(zone_t z)
{
	paddr_t pa = z->chunk_pages == 1 ? vm_page_alloc()
					  : vm_page_alloc_contig(z->chunk_pages);
	if (pa == 0)
		return false;
	char *base = phystokv(pa);
	size_t n = z->chunk_pages * PAGE_SIZE / z->elem_size;
	for (size_t i = 0; i < n; i++) {
		void **e = (void **)(base + i * z->elem_size);
		*e = z->free_list;
		z->free_list = e;
	}
	z->free_count += n;
	z->pages += z->chunk_pages;
	return true;
}

/*
 * zalloc: take an element from z, growing it by a chunk when empty.
 * Returns NULL when the zone is at its cap, memory is exhausted, or an
 * injected failure fires.
 */
void *zalloc(zone_t z)
{
	if (z->fail_nth && --z->fail_nth == 0)
		return NULL;
	if (z->max_in_use && z->in_use >= z->max_in_use)
		return NULL;
	if (z->free_list == NULL && !zone_grow(z))
		return NULL;
	void **e = z->free_list;
	z->free_list = *e;
	z->free_count--;
	z->in_use++;
	z->allocs++;
	return e;
}

/* zfree: return an element to z. */
void zfree(zone_t z, void *elem)
{
	assert(elem != NULL);
	assert(z->in_use > 0);
	void **e = elem;
	*e = z->free_list;
	z->free_list = e;
	z->free_count++;
	z->in_use--;
	z->frees++;
}

/* zone_first: head of the zone list; follow ->next. */
zone_t zone_first(void)
{
	return all_zones;
}

/* zone_find: the zone with this name, or NULL. */
zone_t zone_find(const char *name)
{
	for (zone_t z = all_zones; z; z = z->next)
		if (strcmp(z->name, name) == 0)
			return z;
	return NULL;
}

/* zone_fail_nth: arm fault injection on z. */
void zone_fail_nth(zone_t z, unsigned n)
{
	z->fail_nth = n;
}

/* zone_print: one line of statistics. */
void zone_print(zone_t z)
{
	printf("%-16s size %5u in-use %6u free %6u pages %5u allocs %lu frees %lu\n",
	       z->name, (unsigned)z->elem_size, z->in_use, z->free_count, z->pages,
	       z->allocs, z->frees);
}

/* zone_print_all: every zone. */
void zone_print_all(void)
{
	for (zone_t z = all_zones; z; z = z->next)
		zone_print(z);
}
