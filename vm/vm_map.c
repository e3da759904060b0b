/*
 * Address maps: the sorted entry list of a task's address space.  See
 * vm_map.h for the design (the pmap records the pages; entries own them).
 *
 * Every routine runs to completion with nothing else touching the map
 * (uniprocessor, non-preemptible kernel), so none takes a lock.  Routines
 * that can fail for lack of memory either change nothing or change only
 * entry boundaries (a split entry means the same as the whole one).
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>
#include <vm/vm_map.h>

static struct zone vm_map_zone;
static struct zone vm_map_entry_zone;
static bool vm_map_ready;
static unsigned vm_maps_alive;
static unsigned vm_entries_alive;

/* vm_map_init: create the zones once.  Safe to call again. */
void vm_map_init(void)
{
	if (vm_map_ready)
		return;
	zone_init(&vm_map_zone, "vm_map", sizeof(struct vm_map), 0);
	zone_init(&vm_map_entry_zone, "vm_map_entry", sizeof(struct vm_map_entry), 0);
	vm_map_ready = true;
}

/* ---------------------------------------------------------------- entries */

static vm_map_entry_t entry_alloc(void)
{
	vm_map_entry_t e = zalloc(&vm_map_entry_zone);
	if (e != NULL)
		vm_entries_alive++;
	return e;
}

static void entry_free(vm_map_entry_t e)
{
	vm_entries_alive--;
	zfree(&vm_map_entry_zone, e);
}

/* Put e on the list after `after` and count it. */
static void entry_link(vm_map_t map, vm_map_entry_t after, vm_map_entry_t e)
{
	e->prev = after;
	e->next = after->next;
	after->next->prev = e;
	after->next = e;
	map->nentries++;
	map->size += e->end - e->start;
}

/* Take e off the list (the caller frees it). */
static void entry_unlink(vm_map_t map, vm_map_entry_t e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	map->nentries--;
	map->size -= e->end - e->start;
	if (map->hint == e)
		map->hint = e->prev;
}

static bool entry_attrs_equal(const struct vm_map_entry *e, vm_prot_t prot,
			      vm_prot_t max, vm_inherit_t inh)
{
	return e->protection == prot && e->max_protection == max &&
	       e->inheritance == inh;
}

/*
 * Merge e's successor into e when they touch and agree on everything.
 * Returns true if it merged (e may then merge again).
 */
static bool entry_try_merge_next(vm_map_t map, vm_map_entry_t e)
{
	vm_map_entry_t n = e->next;
	if (e == &map->header || n == &map->header || e->end != n->start ||
	    !entry_attrs_equal(n, e->protection, e->max_protection, e->inheritance))
		return false;
	vm_size_t len = n->end - n->start;
	entry_unlink(map, n);
	e->end = n->end;
	map->size += len;
	entry_free(n);
	return true;
}

/* Merge what can be merged among the entries touching [start, end]. */
static void map_coalesce(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t e;
	vm_map_lookup_entry(map, start, &e);
	if (e == &map->header)
		e = e->next;
	else if (e->prev != &map->header)
		e = e->prev;
	while (e != &map->header && e->start <= end) {
		if (!entry_try_merge_next(map, e))
			e = e->next;
	}
}

/*
 * Split e at addr (e->start < addr < e->end): e keeps [start, addr) and a
 * new entry with the same attributes takes [addr, end).
 */
static kern_return_t entry_split(vm_map_t map, vm_map_entry_t e, vaddr_t addr)
{
	assert(e->start < addr && addr < e->end && (addr & PAGE_MASK) == 0);
	vm_map_entry_t n = entry_alloc();
	if (n == NULL)
		return KERN_RESOURCE_SHORTAGE;
	n->start = addr;
	n->end = e->end;
	n->protection = e->protection;
	n->max_protection = e->max_protection;
	n->inheritance = e->inheritance;
	map->size -= e->end - addr;
	e->end = addr;
	entry_link(map, e, n);
	return KERN_SUCCESS;
}

/* Make addr an entry boundary (if an entry straddles it). */
static kern_return_t map_clip_at(vm_map_t map, vaddr_t addr)
{
	vm_map_entry_t e;
	if (vm_map_lookup_entry(map, addr, &e) && e->start < addr)
		return entry_split(map, e, addr);
	return KERN_SUCCESS;
}

/* ---------------------------------------------------------------- maps */

/*
 * vm_map_create: a new, empty user address space with its own pmap.
 * Returns the map holding one reference (the caller's), or NULL when
 * memory is short.
 */
vm_map_t vm_map_create(void)
{
	vm_map_init();
	vm_map_t map = zalloc(&vm_map_zone);
	if (map == NULL)
		return NULL;
	map->pmap = pmap_create();
	if (map->pmap == NULL) {
		zfree(&vm_map_zone, map);
		return NULL;
	}
	/*
	 * The sentinel's start is the top of user space and its end the
	 * bottom, so the gap after the sentinel and the gap before it are
	 * bounded by the limits of user space with no special case.
	 */
	map->header.prev = map->header.next = &map->header;
	map->header.start = VM_MAX_USER;
	map->header.end = VM_MIN_USER;
	map->header.protection = VM_PROT_NONE;
	map->header.max_protection = VM_PROT_NONE;
	map->header.inheritance = VM_INHERIT_NONE;
	map->nentries = 0;
	map->size = 0;
	map->ref_count = 1;
	map->hint = &map->header;
	vm_maps_alive++;
	return map;
}

/* vm_map_reference: take one more reference to map (not NULL). */
void vm_map_reference(vm_map_t map)
{
	assert(map != NULL && map->ref_count > 0);
	map->ref_count++;
}

/*
 * vm_map_deallocate: drop one reference (NULL is ignored).  The last one
 * removes every entry, frees every page the map owns, and destroys the
 * pmap and the map.  If the pmap is the one loaded in CR3 the kernel pmap
 * is loaded first (the caller must not return to the task afterwards).
 */
void vm_map_deallocate(vm_map_t map)
{
	if (map == NULL)
		return;
	assert(map->ref_count > 0);
	if (--map->ref_count > 0)
		return;
	if (current_pmap == map->pmap)
		pmap_activate(kernel_pmap);
	vm_map_entry_t e = map->header.next;
	while (e != &map->header) {
		vm_map_entry_t next = e->next;
		pmap_remove(map->pmap, e->start, e->end, true);
		entry_free(e);
		e = next;
	}
	pmap_destroy(map->pmap);
	vm_maps_alive--;
	zfree(&vm_map_zone, map);
}

/*
 * vm_map_lookup_entry: find the entry containing addr.  Returns true and
 * sets *entry to it if there is one; otherwise returns false and sets
 * *entry to the last entry below addr, or to the sentinel (&map->header)
 * if none is.  Updates the map's lookup hint.
 */
bool vm_map_lookup_entry(vm_map_t map, vaddr_t addr, vm_map_entry_t *entry)
{
	vm_map_entry_t head = &map->header;
	vm_map_entry_t cur = map->hint;

	/* Start from the hint when it is not past addr, else from the top. */
	if (cur == head || cur->start > addr)
		cur = head;
	while (cur->next != head && cur->next->start <= addr)
		cur = cur->next;
	map->hint = cur;
	*entry = cur;
	return cur != head && addr < cur->end;
}

/*
 * vm_map_find_space: the lowest page-aligned address at or above *addr
 * (VM_MIN_USER at least) where size bytes are free.  Sets *addr and
 * returns KERN_SUCCESS, or KERN_NO_SPACE.  Changes nothing.  size must
 * be a non-zero multiple of the page size.
 */
kern_return_t vm_map_find_space(vm_map_t map, vaddr_t *addr, vm_size_t size)
{
	vm_map_entry_t prev;
	vaddr_t start = trunc_page(*addr);

	assert(size != 0 && (size & PAGE_MASK) == 0);
	if (start < VM_MIN_USER)
		start = VM_MIN_USER;
	if (start >= VM_MAX_USER)
		return KERN_NO_SPACE;
	if (vm_map_lookup_entry(map, start, &prev))
		start = prev->end;
	for (;;) {
		vm_map_entry_t next = prev->next;
		vaddr_t limit = next->start;	/* VM_MAX_USER for the sentinel */
		if (start <= limit && size <= limit - start) {
			*addr = start;
			return KERN_SUCCESS;
		}
		if (next == &map->header)
			return KERN_NO_SPACE;
		start = next->end;
		prev = next;
	}
}

/*
 * vm_map_enter: make [*addr, *addr + size) a new region of map, with no
 * pages yet (they are zero-filled on first touch).
 *   anywhere: first fit at or above *addr (pass VM_MIN_USER for the
 *             lowest); the start is returned in *addr.
 *   fixed:    *addr must be page aligned (KERN_INVALID_ARGUMENT); the range
 *             must lie in user space (KERN_INVALID_ADDRESS) and be free
 *             (KERN_NO_SPACE).
 * size must be a non-zero multiple of the page size, prot within max and
 * both within VM_PROT_ALL, inheritance valid (else KERN_INVALID_ARGUMENT).
 * The new range joins a neighbouring entry with the same attributes.
 * Returns KERN_SUCCESS, the codes above, KERN_NO_SPACE when nothing fits,
 * or KERN_RESOURCE_SHORTAGE (no entry); on failure nothing changed.
 */
kern_return_t vm_map_enter(vm_map_t map, vaddr_t *addr, vm_size_t size,
			   bool anywhere, vm_prot_t prot, vm_prot_t max,
			   vm_inherit_t inheritance)
{
	vm_map_entry_t head = &map->header;
	vm_map_entry_t prev, next, e;
	vaddr_t start;
	kern_return_t kr;

	if ((prot & ~VM_PROT_ALL) || (max & ~VM_PROT_ALL) || (prot & ~max) ||
	    inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (size == 0 || (size & PAGE_MASK))
		return KERN_INVALID_ARGUMENT;

	if (anywhere) {
		start = *addr;
		kr = vm_map_find_space(map, &start, size);
		if (kr != KERN_SUCCESS)
			return kr;
		vm_map_lookup_entry(map, start, &prev);
	} else {
		start = *addr;
		if (start & PAGE_MASK)
			return KERN_INVALID_ARGUMENT;
		if (!vm_user_range_ok(start, size))
			return KERN_INVALID_ADDRESS;
		if (vm_map_lookup_entry(map, start, &prev))
			return KERN_NO_SPACE;
		if (prev->next != head && prev->next->start - start < size)
			return KERN_NO_SPACE;
	}

	vaddr_t end = start + size;
	next = prev->next;
	if (prev != head && prev->end == start &&
	    entry_attrs_equal(prev, prot, max, inheritance)) {
		prev->end = end;
		map->size += size;
		entry_try_merge_next(map, prev);
	} else if (next != head && next->start == end &&
		   entry_attrs_equal(next, prot, max, inheritance)) {
		next->start = start;
		map->size += size;
	} else {
		e = entry_alloc();
		if (e == NULL)
			return KERN_RESOURCE_SHORTAGE;
		e->start = start;
		e->end = end;
		e->protection = prot;
		e->max_protection = max;
		e->inheritance = inheritance;
		entry_link(map, prev, e);
	}
	*addr = start;
	return KERN_SUCCESS;
}

/*
 * vm_map_clip_range: make start and end (page aligned) entry boundaries,
 * splitting the entries that straddle them.  The map means the same
 * afterwards.  Returns KERN_SUCCESS or KERN_RESOURCE_SHORTAGE (then at
 * most the first split was made).
 */
kern_return_t vm_map_clip_range(vm_map_t map, vaddr_t start, vaddr_t end)
{
	kern_return_t kr = map_clip_at(map, start);
	if (kr != KERN_SUCCESS)
		return kr;
	return map_clip_at(map, end);
}

/*
 * vm_map_remove: unmap [start, end) (rounded out to pages; the part
 * outside user space is ignored) and free the pages there.  Space with
 * no entry is not an error.  Only punching a hole inside one entry needs
 * memory: that case may return KERN_RESOURCE_SHORTAGE, with nothing
 * changed.  When start and end are already entry boundaries (see
 * vm_map_clip_range) it cannot fail.  Returns KERN_SUCCESS otherwise.
 */
kern_return_t vm_map_remove(vm_map_t map, vaddr_t start, vaddr_t end)
{
	vm_map_entry_t head = &map->header;
	vm_map_entry_t e, cur;

	if (start < VM_MIN_USER)
		start = VM_MIN_USER;
	if (end > VM_MAX_USER)
		end = VM_MAX_USER;
	start = trunc_page(start);
	end = round_page(end);
	if (start >= end)
		return KERN_SUCCESS;

	if (vm_map_lookup_entry(map, start, &e)) {
		if (e->start < start && e->end > end) {
			/* A hole inside e: e keeps the head, a new entry the tail. */
			vm_map_entry_t tail = entry_alloc();
			if (tail == NULL)
				return KERN_RESOURCE_SHORTAGE;
			pmap_remove(map->pmap, start, end, true);
			tail->start = end;
			tail->end = e->end;
			tail->protection = e->protection;
			tail->max_protection = e->max_protection;
			tail->inheritance = e->inheritance;
			map->size -= e->end - start;
			e->end = start;
			entry_link(map, e, tail);
			return KERN_SUCCESS;
		}
		if (e->start < start) {
			pmap_remove(map->pmap, start, e->end, true);
			map->size -= e->end - start;
			e->end = start;
		} else {
			e = e->prev;	/* e starts at start: the loop takes it */
		}
	}
	/* e is now the last entry wholly below start, or the sentinel. */
	cur = e->next;
	while (cur != head && cur->start < end) {
		vm_map_entry_t next = cur->next;
		if (cur->end > end) {
			pmap_remove(map->pmap, cur->start, end, true);
			map->size -= end - cur->start;
			cur->start = end;
			break;
		}
		pmap_remove(map->pmap, cur->start, cur->end, true);
		entry_unlink(map, cur);
		entry_free(cur);
		cur = next;
	}
	return KERN_SUCCESS;
}

/*
 * vm_map_check_range: is all of [start, end) (rounded out to pages)
 * covered by entries whose protection includes prot?  Returns
 * KERN_SUCCESS (also for an empty range), KERN_INVALID_ADDRESS for a range
 * outside user space or with a hole, or KERN_PROTECTION_FAILURE, whichever
 * it meets first walking up from start.  Changes nothing but the hint.
 */
kern_return_t vm_map_check_range(vm_map_t map, vaddr_t start, vaddr_t end,
				 vm_prot_t prot)
{
	vm_map_entry_t e;

	if (end <= start)
		return end == start ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
	if (!vm_user_range_ok(start, end - start))
		return KERN_INVALID_ADDRESS;
	start = trunc_page(start);
	end = round_page(end);
	if (!vm_map_lookup_entry(map, start, &e))
		return KERN_INVALID_ADDRESS;
	for (vaddr_t a = start;;) {
		if (e == &map->header || e->start > a)
			return KERN_INVALID_ADDRESS;
		if (prot & ~e->protection)
			return KERN_PROTECTION_FAILURE;
		a = e->end;
		if (a >= end)
			return KERN_SUCCESS;
		e = e->next;
	}
}

/*
 * vm_map_protect: set the protection of [start, end) (rounded out to
 * pages).  With set_max the maximum protection becomes new_prot and the
 * current protection keeps only what the new maximum allows; without it
 * the current protection becomes new_prot.  Either way new_prot may not
 * exceed any entry's maximum.  The whole range must be mapped.  Pages
 * already resident lose or gain write access at once.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (bits outside VM_PROT_ALL);
 * KERN_INVALID_ADDRESS (outside user space, or a hole);
 * KERN_PROTECTION_FAILURE (above a maximum); KERN_RESOURCE_SHORTAGE.
 * Nothing changes on failure.
 */
kern_return_t vm_map_protect(vm_map_t map, vaddr_t start, vaddr_t end,
			     vm_prot_t new_prot, bool set_max)
{
	vm_map_entry_t e;
	kern_return_t kr;

	if (new_prot & ~VM_PROT_ALL)
		return KERN_INVALID_ARGUMENT;
	if (end < start || !vm_user_range_ok(start, end - start))
		return KERN_INVALID_ADDRESS;
	start = trunc_page(start);
	end = round_page(end);
	if (start == end)
		return KERN_SUCCESS;

	/* Check first, so that failure changes nothing. */
	if (!vm_map_lookup_entry(map, start, &e))
		return KERN_INVALID_ADDRESS;
	for (vaddr_t a = start;;) {
		if (e == &map->header || e->start > a)
			return KERN_INVALID_ADDRESS;
		if (new_prot & ~e->max_protection)
			return KERN_PROTECTION_FAILURE;
		a = e->end;
		if (a >= end)
			break;
		e = e->next;
	}

	kr = vm_map_clip_range(map, start, end);
	if (kr != KERN_SUCCESS)
		return kr;
	vm_map_lookup_entry(map, start, &e);
	for (; e != &map->header && e->start < end; e = e->next) {
		if (set_max) {
			e->max_protection = new_prot;
			e->protection &= new_prot;
		} else {
			e->protection = new_prot;
		}
		pmap_protect(map->pmap, e->start, e->end,
			     (e->protection & VM_PROT_WRITE) != 0);
	}
	map_coalesce(map, start, end);
	return KERN_SUCCESS;
}

/*
 * vm_map_inherit: set the inheritance of the entries in [start, end)
 * (rounded out to pages).  Holes are skipped, as in Mach.  Returns
 * KERN_SUCCESS, KERN_INVALID_ARGUMENT (bad inheritance),
 * KERN_INVALID_ADDRESS (outside user space) or KERN_RESOURCE_SHORTAGE
 * (nothing changed).
 */
kern_return_t vm_map_inherit(vm_map_t map, vaddr_t start, vaddr_t end,
			     vm_inherit_t inheritance)
{
	vm_map_entry_t e;
	kern_return_t kr;

	if (inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (end < start || !vm_user_range_ok(start, end - start))
		return KERN_INVALID_ADDRESS;
	start = trunc_page(start);
	end = round_page(end);
	if (start == end)
		return KERN_SUCCESS;
	kr = vm_map_clip_range(map, start, end);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	for (; e != &map->header && e->start < end; e = e->next)
		e->inheritance = inheritance;
	map_coalesce(map, start, end);
	return KERN_SUCCESS;
}

/* ---------------------------------------------------------------- debugging */

static void prot_string(vm_prot_t p, char *s)
{
	s[0] = (p & VM_PROT_READ) ? 'r' : '-';
	s[1] = (p & VM_PROT_WRITE) ? 'w' : '-';
	s[2] = (p & VM_PROT_EXECUTE) ? 'x' : '-';
	s[3] = '\0';
}

/* vm_map_print: one line for the map, one per entry (debugger). */
void vm_map_print(vm_map_t map)
{
	static const char *const inh[] = { "share", "copy", "none", "donate" };

	if (map == NULL) {
		printf("vm_map NULL\n");
		return;
	}
	printf("vm_map %p: pmap %p, %u entries, %#lx bytes, %u refs\n",
	       (void *)map, (void *)map->pmap, map->nentries,
	       (unsigned long)map->size, map->ref_count);
	for (vm_map_entry_t e = map->header.next; e != &map->header; e = e->next) {
		char cur[4], max[4];
		unsigned resident = 0;
		prot_string(e->protection, cur);
		prot_string(e->max_protection, max);
		for (vaddr_t va = e->start; va < e->end; va += PAGE_SIZE)
			if (pmap_extract(map->pmap, va, NULL))
				resident++;
		printf("  [%08lx, %08lx) %s/%s %-6s %u resident\n",
		       (unsigned long)e->start, (unsigned long)e->end, cur, max,
		       e->inheritance < 4 ? inh[e->inheritance] : "?", resident);
	}
}

/*
 * vm_map_verify: check the invariants of vm_map.h (entry order, bounds,
 * counts, protections, and that resident pages inside entries are not
 * writable where the entry forbids writing).  Prints what is wrong and
 * returns false if anything is.
 */
bool vm_map_verify(vm_map_t map)
{
	vm_map_entry_t head = &map->header;
	unsigned n = 0;
	vm_size_t size = 0;
	vaddr_t last_end = VM_MIN_USER;
	bool ok = true;

	for (vm_map_entry_t e = head->next; e != head; e = e->next) {
		if (e->next->prev != e || e->prev->next != e) {
			printf("vm_map_verify: broken links at %p\n", (void *)e);
			return false;
		}
		if (e->start >= e->end || (e->start & PAGE_MASK) ||
		    (e->end & PAGE_MASK) || e->start < last_end ||
		    e->end > VM_MAX_USER) {
			printf("vm_map_verify: bad entry [%#lx, %#lx)\n",
			       (unsigned long)e->start, (unsigned long)e->end);
			ok = false;
		}
		if ((e->protection & ~e->max_protection) ||
		    (e->max_protection & ~VM_PROT_ALL) ||
		    e->inheritance > VM_INHERIT_LAST_VALID) {
			printf("vm_map_verify: bad attributes at %#lx\n",
			       (unsigned long)e->start);
			ok = false;
		}
		if (!(e->protection & VM_PROT_WRITE)) {
			for (vaddr_t va = e->start; va < e->end; va += PAGE_SIZE) {
				bool w = false;
				if (pmap_extract(map->pmap, va, &w) && w) {
					printf("vm_map_verify: %#lx writable\n",
					       (unsigned long)va);
					ok = false;
					break;
				}
			}
		}
		last_end = e->end;
		n++;
		size += e->end - e->start;
	}
	if (n != map->nentries || size != map->size) {
		printf("vm_map_verify: counted %u entries %#lx bytes, map says %u %#lx\n",
		       n, (unsigned long)size, map->nentries, (unsigned long)map->size);
		ok = false;
	}
	return ok;
}

/* vm_map_stats: maps and entries alive in the whole system. */
void vm_map_stats(struct vm_map_stats *st)
{
	st->maps = vm_maps_alive;
	st->entries = vm_entries_alive;
}
