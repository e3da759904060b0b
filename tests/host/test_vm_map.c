/*
 * Host unit test of the VM layer: the entry list of vm/vm_map.c (insert,
 * first fit, clip, remove, protect, inherit, lookup, coalescing), faults
 * and kernel access (vm/vm_fault.c), copy objects (vm/vm_copy.c) and the
 * vm_map RPCs (vm/vm_user.c), compiled against a fake pmap and page
 * allocator (tests/host/vm_shim).  Ends with a randomised comparison
 * against a page-by-page model.  TAP output; exit status 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

/* The kernel's view of the Mach types (vm_map_t is a struct vm_map *). */
#define KERNEL 1
#define VM_HOST_SHIM 1
#include "vm_shim/vm_shim.c"
#include "../../vm/vm_map.c"
#include "../../vm/vm_fault.c"
#include "../../vm/vm_copy.c"
#include "../../vm/vm_user.c"

static int points, failures;

static bool check(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	points++;
	if (!ok)
		failures++;
	printf("%sok %d - ", ok ? "" : "not ", points);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return ok;
}

#define P(n)	((vaddr_t)(n) * PAGE_SIZE)
#define RW	VM_PROT_DEFAULT
#define RO	VM_PROT_READ

/* Entries as a compact string "[s,e)prot/max ..." in pages, for checks. */
static const char *layout(vm_map_t map)
{
	static char buf[1024];
	size_t n = 0;
	buf[0] = '\0';
	for (vm_map_entry_t e = map->header.next; e != &map->header; e = e->next)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s[%lx,%lx)%d/%d",
				      n ? " " : "", (unsigned long)(e->start / PAGE_SIZE),
				      (unsigned long)(e->end / PAGE_SIZE),
				      e->protection, e->max_protection);
	return buf;
}

static kern_return_t enter_fixed(vm_map_t map, vaddr_t a, vm_size_t size,
				 vm_prot_t prot, vm_prot_t max)
{
	return vm_map_enter(map, &a, size, false, prot, max, VM_INHERIT_DEFAULT);
}

static unsigned baseline_pages;

static void test_create(void)
{
	struct vm_map_stats st;
	vm_map_t map = vm_map_create();
	check(map != NULL && map->nentries == 0 && map->size == 0 &&
	      map->ref_count == 1, "create: empty map with one reference");
	vm_map_reference(map);
	vm_map_deallocate(map);
	vm_map_stats(&st);
	check(st.maps == 1 && shim_pmaps_alive() == 1, "deallocate of an extra reference keeps the map");
	vm_map_deallocate(map);
	vm_map_stats(&st);
	check(st.maps == 0 && st.entries == 0 && shim_pmaps_alive() == 0,
	      "last deallocate destroys map and pmap");
	vm_map_deallocate(NULL);
	check(true, "deallocate(NULL) is harmless");
}

static void test_enter_and_first_fit(void)
{
	vm_map_t map = vm_map_create();
	vaddr_t a = VM_MIN_USER;

	check(vm_map_enter(map, &a, P(2), true, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      a == VM_MIN_USER, "anywhere: first region at VM_MIN_USER");
	a = VM_MIN_USER;
	check(vm_map_enter(map, &a, P(1), true, RO, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      a == VM_MIN_USER + P(2), "anywhere: next fits right after");
	check(map->nentries == 2, "different attributes: two entries (%s)", layout(map));
	a = VM_MIN_USER;
	check(vm_map_enter(map, &a, P(1), true, RO, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      map->nentries == 2 && map->size == P(4), "same attributes: joins the neighbour (%s)", layout(map));

	/* A hole of 2 pages at 10..12 between fixed regions. */
	check(enter_fixed(map, P(12), P(4), RW, VM_PROT_ALL) == KERN_SUCCESS, "fixed at page 12");
	check(enter_fixed(map, P(6), P(4), RO, RO) == KERN_SUCCESS, "fixed at page 6");
	a = VM_MIN_USER;
	check(vm_map_enter(map, &a, P(3), true, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      a == P(16), "first fit skips a 2-page hole for 3 pages (got page %lx)",
	      (unsigned long)(a / PAGE_SIZE));
	a = VM_MIN_USER;
	check(vm_map_enter(map, &a, P(2), true, VM_PROT_EXECUTE, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      a == P(10), "first fit uses the 2-page hole for 2 pages");
	a = P(11);
	check(vm_map_enter(map, &a, P(1), true, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS &&
	      a == P(19), "anywhere starts searching at the hint *addr");

	check(enter_fixed(map, P(7), P(1), RW, VM_PROT_ALL) == KERN_NO_SPACE, "fixed inside an entry: KERN_NO_SPACE");
	check(enter_fixed(map, P(5), P(2), RW, VM_PROT_ALL) == KERN_NO_SPACE, "fixed overlapping a start: KERN_NO_SPACE");
	check(enter_fixed(map, P(9), P(8), RW, VM_PROT_ALL) == KERN_NO_SPACE, "fixed over several: KERN_NO_SPACE");
	check(enter_fixed(map, 0, P(1), RW, VM_PROT_ALL) == KERN_INVALID_ADDRESS, "fixed at page 0: KERN_INVALID_ADDRESS");
	check(enter_fixed(map, VM_MAX_USER - P(1), P(2), RW, VM_PROT_ALL) == KERN_INVALID_ADDRESS,
	      "fixed crossing VM_MAX_USER: KERN_INVALID_ADDRESS");
	check(enter_fixed(map, P(40) + 1, P(1), RW, VM_PROT_ALL) == KERN_INVALID_ARGUMENT, "fixed unaligned: KERN_INVALID_ARGUMENT");
	check(enter_fixed(map, P(40), 100, RW, VM_PROT_ALL) == KERN_INVALID_ARGUMENT, "size not a page multiple: KERN_INVALID_ARGUMENT");
	check(enter_fixed(map, P(40), 0, RW, VM_PROT_ALL) == KERN_INVALID_ARGUMENT, "size 0: KERN_INVALID_ARGUMENT");
	check(enter_fixed(map, P(40), P(1), RW, RO) == KERN_INVALID_ARGUMENT, "prot above max: KERN_INVALID_ARGUMENT");
	check(enter_fixed(map, P(40), P(1), 0x10, VM_PROT_ALL) == KERN_INVALID_ARGUMENT, "unknown prot bit: KERN_INVALID_ARGUMENT");
	check(vm_map_verify(map), "map verifies");

	/* Fill everything, then nothing fits anywhere. */
	vm_size_t before = map->size;
	a = P(0x100);
	check(vm_map_enter(map, &a, VM_MAX_USER - P(0x100), false, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT) == KERN_SUCCESS,
	      "fixed up to VM_MAX_USER");
	a = VM_MIN_USER;
	vm_size_t free_space = VM_MAX_USER - VM_MIN_USER - map->size;
	check(free_space > 0 && vm_map_enter(map, &a, round_page(free_space + 1), true, RW, VM_PROT_ALL,
					     VM_INHERIT_DEFAULT) == KERN_NO_SPACE,
	      "anywhere larger than any hole: KERN_NO_SPACE");
	check(map->size == before + VM_MAX_USER - P(0x100), "size accounts every byte");
	vm_map_deallocate(map);
}

static void test_lookup(void)
{
	vm_map_t map = vm_map_create();
	vm_map_entry_t e;

	check(!vm_map_lookup_entry(map, P(5), &e) && e == &map->header, "lookup in an empty map: sentinel");
	enter_fixed(map, P(4), P(2), RW, VM_PROT_ALL);
	enter_fixed(map, P(10), P(2), RO, VM_PROT_ALL);
	check(!vm_map_lookup_entry(map, P(1), &e) && e == &map->header, "lookup below all: sentinel");
	check(vm_map_lookup_entry(map, P(4), &e) && e->start == P(4), "lookup at a start");
	check(vm_map_lookup_entry(map, P(6) - 1, &e) && e->start == P(4), "lookup at the last byte");
	check(!vm_map_lookup_entry(map, P(6), &e) && e->start == P(4), "lookup at an end: previous entry");
	check(!vm_map_lookup_entry(map, P(8), &e) && e->start == P(4), "lookup in a hole: previous entry");
	check(vm_map_lookup_entry(map, P(11), &e) && e->start == P(10), "lookup in the second entry");
	check(vm_map_lookup_entry(map, P(4), &e) && e->start == P(4), "lookup backwards past the hint");
	check(!vm_map_lookup_entry(map, P(100), &e) && e->start == P(10), "lookup above all: last entry");
	vm_map_deallocate(map);
}

static void test_clip_protect(void)
{
	vm_map_t map = vm_map_create();
	bool w;

	enter_fixed(map, P(10), P(10), RW, VM_PROT_ALL);
	vm_map_write_bytes(map, P(10), "x", 1, false);
	vm_map_write_bytes(map, P(15), "y", 1, false);
	check(vm_map_protect(map, P(14), P(16), RO, false) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,e)3/7 [e,10)1/7 [10,14)3/7") == 0,
	      "protect in the middle clips into three (%s)", layout(map));
	check(pmap_extract(map->pmap, P(15), &w) && !w, "resident page in the range loses write");
	check(pmap_extract(map->pmap, P(10), &w) && w, "resident page outside keeps write");
	check(vm_map_write_bytes(map, P(15), "z", 1, false) == KERN_PROTECTION_FAILURE,
	      "write_bytes to read-only: KERN_PROTECTION_FAILURE");
	check(vm_map_write_bytes(map, P(15), "z", 1, true) == KERN_SUCCESS, "write_bytes with force succeeds");
	check(vm_map_protect(map, P(14), P(16), RW, false) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,14)3/7") == 0, "protect back: entries coalesce (%s)", layout(map));
	check(pmap_extract(map->pmap, P(15), &w) && w, "resident page gets write back");

	check(vm_map_protect(map, P(12), P(13), RW, true) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,c)3/7 [c,d)3/3 [d,14)3/7") == 0, "set max clips (%s)", layout(map));
	check(vm_map_protect(map, P(12), P(13), VM_PROT_ALL, false) == KERN_PROTECTION_FAILURE,
	      "above max: KERN_PROTECTION_FAILURE");
	check(vm_map_protect(map, P(11), P(14), VM_PROT_ALL, false) == KERN_PROTECTION_FAILURE &&
	      strcmp(layout(map), "[a,c)3/7 [c,d)3/3 [d,14)3/7") == 0,
	      "failure over several entries changes nothing (%s)", layout(map));
	check(vm_map_protect(map, P(12), P(13), RO, true) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,c)3/7 [c,d)1/1 [d,14)3/7") == 0,
	      "lowering max lowers current (%s)", layout(map));
	check(vm_map_protect(map, P(12), P(13), RW, false) == KERN_PROTECTION_FAILURE,
	      "cannot raise above a lowered max");
	check(vm_map_protect(map, P(8), P(11), RO, false) == KERN_INVALID_ADDRESS &&
	      strcmp(layout(map), "[a,c)3/7 [c,d)1/1 [d,14)3/7") == 0,
	      "range starting in a hole: KERN_INVALID_ADDRESS, unchanged");
	enter_fixed(map, P(30), P(2), RW, VM_PROT_ALL);
	check(vm_map_protect(map, P(19), P(31), RO, false) == KERN_INVALID_ADDRESS, "range spanning a hole: KERN_INVALID_ADDRESS");
	check(vm_map_protect(map, P(12), P(13), 0x20, false) == KERN_INVALID_ARGUMENT, "unknown bit: KERN_INVALID_ARGUMENT");

	zone_fail_nth(&vm_map_entry_zone, 1);
	check(vm_map_protect(map, P(31), P(32), RO, false) == KERN_RESOURCE_SHORTAGE &&
	      strcmp(layout(map), "[a,c)3/7 [c,d)1/1 [d,14)3/7 [1e,20)3/7") == 0,
	      "no entry for the clip: KERN_RESOURCE_SHORTAGE, unchanged (%s)", layout(map));
	check(vm_map_inherit(map, P(11), P(31), VM_INHERIT_NONE) == KERN_SUCCESS, "inherit across a hole");
	vm_map_entry_t e;
	vm_map_lookup_entry(map, P(10), &e);
	bool ok = e->inheritance == VM_INHERIT_COPY && e->end == P(11);
	vm_map_lookup_entry(map, P(11), &e);
	ok = ok && e->inheritance == VM_INHERIT_NONE;
	vm_map_lookup_entry(map, P(31), &e);
	ok = ok && e->start == P(31) && e->inheritance == VM_INHERIT_COPY;
	check(ok, "inherit clips at both ends (%s)", layout(map));
	check(vm_map_inherit(map, P(11), P(12), 7) == KERN_INVALID_ARGUMENT, "bad inheritance: KERN_INVALID_ARGUMENT");
	check(vm_map_verify(map), "map verifies");
	vm_map_deallocate(map);
}

static void test_remove(void)
{
	vm_map_t map = vm_map_create();
	unsigned pages0 = shim_pages_in_use();

	enter_fixed(map, P(10), P(10), RW, VM_PROT_ALL);
	for (int i = 10; i < 20; i++)
		vm_map_write_bytes(map, P(i), &i, sizeof(i), false);
	unsigned resident = shim_pages_in_use() - pages0;	/* + 1 page table */
	check(resident == 11, "10 pages and one page table resident (%u)", resident);

	zone_fail_nth(&vm_map_entry_zone, 1);
	check(vm_map_remove(map, P(12), P(14)) == KERN_RESOURCE_SHORTAGE &&
	      map->nentries == 1 && shim_pages_in_use() - pages0 == 11,
	      "hole punch without an entry: KERN_RESOURCE_SHORTAGE, unchanged");
	check(vm_map_remove(map, P(12), P(14)) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,c)3/7 [e,14)3/7") == 0 && shim_pages_in_use() - pages0 == 9,
	      "hole punch frees 2 pages (%s)", layout(map));
	int v = -1;
	check(vm_map_read_bytes(map, P(12), &v, sizeof(v)) == KERN_INVALID_ADDRESS,
	      "read from the hole: KERN_INVALID_ADDRESS");
	check(vm_map_read_bytes(map, P(14), &v, sizeof(v)) == KERN_SUCCESS && v == 14,
	      "tail keeps its data");
	check(vm_map_remove(map, P(11) + 5, P(15) - 5) == KERN_SUCCESS &&
	      strcmp(layout(map), "[a,b)3/7 [f,14)3/7") == 0,
	      "unaligned remove across a hole trims both sides (%s)", layout(map));
	check(vm_map_remove(map, P(1), P(100)) == KERN_SUCCESS && map->nentries == 0 &&
	      map->size == 0 && shim_pages_in_use() - pages0 == 1,
	      "remove everything leaves only the page table");
	check(vm_map_remove(map, P(1), P(100)) == KERN_SUCCESS, "remove of unmapped space succeeds");
	check(vm_map_remove(map, 0, ~(vaddr_t)0) == KERN_SUCCESS, "remove clamps to user space");
	vm_map_deallocate(map);
	check(shim_pages_in_use() == pages0, "deallocate frees the page table");
}

static void test_fault(void)
{
	vm_map_t map = vm_map_create();
	struct vm_fault_stats st0, st1;
	bool w;

	enter_fixed(map, P(10), P(2), RW, VM_PROT_ALL);
	enter_fixed(map, P(12), P(1), RO, VM_PROT_ALL);
	enter_fixed(map, P(13), P(1), VM_PROT_NONE, VM_PROT_ALL);
	enter_fixed(map, P(14), P(1), VM_PROT_EXECUTE, VM_PROT_ALL);
	vm_fault_stats(&st0);
	check(vm_fault(map, P(10) + 123, VM_PROT_WRITE) == KERN_SUCCESS, "write fault in RW: success");
	paddr_t pa = pmap_extract(map->pmap, P(10), &w);
	bool zero = pa != 0;
	for (unsigned i = 0; zero && i < PAGE_SIZE; i++)
		zero = ((unsigned char *)phystokv(pa))[i] == 0;
	check(zero && w, "zero-filled page mapped writable");
	check(vm_fault(map, P(12), VM_PROT_READ) == KERN_SUCCESS &&
	      pmap_extract(map->pmap, P(12), &w) && !w, "read fault in RO: mapped read-only");
	check(vm_fault(map, P(12), VM_PROT_WRITE) == KERN_PROTECTION_FAILURE, "write fault in RO: KERN_PROTECTION_FAILURE");
	check(vm_fault(map, P(13), VM_PROT_READ) == KERN_PROTECTION_FAILURE, "read fault in NONE: KERN_PROTECTION_FAILURE");
	check(vm_fault(map, P(14), VM_PROT_READ) == KERN_SUCCESS, "read fault in execute-only: success (no NX)");
	check(vm_fault(map, P(20), VM_PROT_READ) == KERN_INVALID_ADDRESS, "fault outside entries: KERN_INVALID_ADDRESS");
	check(vm_fault(map, VM_MAX_USER, VM_PROT_READ) == KERN_INVALID_ADDRESS, "fault at kernel address: KERN_INVALID_ADDRESS");
	check(vm_fault(NULL, P(10), VM_PROT_READ) == KERN_INVALID_ADDRESS, "fault with no map: KERN_INVALID_ADDRESS");

	/* A page read-only in the pmap while the entry allows write. */
	pmap_protect(map->pmap, P(10), P(11), false);
	check(vm_fault(map, P(10), VM_PROT_WRITE) == KERN_SUCCESS &&
	      pmap_extract(map->pmap, P(10), &w) == pa && w, "write fault on a read-only PTE: upgraded, same frame");
	vm_page_fail_nth(1);
	check(vm_fault(map, P(11), VM_PROT_READ) == KERN_RESOURCE_SHORTAGE &&
	      pmap_extract(map->pmap, P(11), NULL) == 0, "no frame: KERN_RESOURCE_SHORTAGE, nothing mapped");
	vm_fault_stats(&st1);
	check(st1.zero_fills - st0.zero_fills == 3 && st1.write_upgrades - st0.write_upgrades == 1,
	      "statistics count zero fills and upgrades");

	/* A missing page table: the frame goes back. */
	unsigned used = shim_pages_in_use();
	enter_fixed(map, P(2048), P(1), RW, VM_PROT_ALL);
	vm_page_fail_nth(2);	/* the frame succeeds, the page table fails */
	check(vm_fault(map, P(2048), VM_PROT_READ) == KERN_RESOURCE_SHORTAGE &&
	      shim_pages_in_use() == used, "no page table: KERN_RESOURCE_SHORTAGE, frame freed");
	vm_page_fail_nth(0);
	check(vm_map_verify(map), "map verifies");
	vm_map_deallocate(map);
}

static void test_bytes(void)
{
	vm_map_t map = vm_map_create();
	char buf[3 * PAGE_SIZE], out[3 * PAGE_SIZE];

	enter_fixed(map, P(10), P(4), RW, VM_PROT_ALL);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 3);
	unsigned used = shim_pages_in_use();
	memset(out, 1, sizeof(out));
	check(vm_map_read_bytes(map, P(10) + 5, out, 2 * PAGE_SIZE) == KERN_SUCCESS &&
	      out[0] == 0 && out[2 * PAGE_SIZE - 1] == 0 && shim_pages_in_use() == used,
	      "reading untouched memory gives zeros and allocates nothing");
	check(vm_map_write_bytes(map, P(10) + 100, buf, sizeof(buf), false) == KERN_SUCCESS,
	      "write across four pages");
	check(vm_map_read_bytes(map, P(10) + 100, out, sizeof(out)) == KERN_SUCCESS &&
	      memcmp(buf, out, sizeof(buf)) == 0, "read back the same bytes");
	check(vm_map_read_bytes(map, P(13), out, PAGE_SIZE + 1) == KERN_INVALID_ADDRESS,
	      "read past the end: KERN_INVALID_ADDRESS");
	check(vm_map_write_bytes(map, P(9), buf, 1, false) == KERN_INVALID_ADDRESS,
	      "write before the start: KERN_INVALID_ADDRESS");
	check(vm_map_read_bytes(map, VM_MAX_USER - 1, out, 2) == KERN_INVALID_ADDRESS,
	      "read crossing into the kernel: KERN_INVALID_ADDRESS");
	check(vm_map_read_bytes(map, ~(vaddr_t)0 - 1, out, 4) == KERN_INVALID_ADDRESS,
	      "read wrapping around: KERN_INVALID_ADDRESS");
	check(vm_map_read_bytes(map, 0, out, 0) == KERN_SUCCESS, "zero length: success");
	vm_map_protect(map, P(11), P(12), VM_PROT_NONE, false);
	check(vm_map_read_bytes(map, P(10), out, 2 * PAGE_SIZE) == KERN_PROTECTION_FAILURE,
	      "read through a NONE page: KERN_PROTECTION_FAILURE");
	vm_map_protect(map, P(11), P(12), RO, false);
	memcpy(out, buf, 10);
	check(vm_map_write_bytes(map, P(11) - 5, "0123456789", 10, false) == KERN_PROTECTION_FAILURE &&
	      vm_map_read_bytes(map, P(11) - 5, out, 10) == KERN_SUCCESS &&
	      memcmp(out, buf + PAGE_SIZE - 105, 10) == 0,
	      "write refused before anything is written");
	vm_map_deallocate(map);
}

static bool copy_holds(vm_map_copy_t copy, const char *want, size_t len)
{
	if (len > copy->size)
		return false;
	char *got = malloc(copy->size);
	vm_map_copy_to_kernel(copy, got);
	bool same = memcmp(got, want, len) == 0;
	free(got);
	return same;
}

static void test_copy(void)
{
	vm_map_t a = vm_map_create(), b = vm_map_create();
	struct vm_copy_stats cs;
	vm_map_copy_t copy;
	size_t big = 1u << 20;
	char *data = malloc(big), *out = malloc(big);
	vaddr_t at;
	bool w;

	for (size_t i = 0; i < big; i++)
		data[i] = (char)(i ^ (i >> 8) ^ (i >> 16));

	/* Unaligned copy without destroy. */
	enter_fixed(a, P(16), P(8), RW, VM_PROT_ALL);
	vm_map_write_bytes(a, P(16), data, P(3), false);	/* pages 16..18 touched */
	check(vm_map_copyin(a, P(16) + 300, P(5), false, &copy) == KERN_SUCCESS && copy != NULL &&
	      copy->offset == 300 && copy->npages == 6 && copy->size == P(5),
	      "copyin unaligned: 6 pages, offset 300");
	check(copy->pages[3] == 0 && copy->pages[5] == 0 && copy->pages[0] != 0,
	      "untouched source pages are zero frames");
	check(copy_holds(copy, data + 300, P(3) - 300), "copy holds the data");
	check(vm_map_copyout(b, &at, copy) == KERN_SUCCESS && (at & PAGE_MASK) == 300,
	      "copyout keeps the offset in the page (%#lx)", (unsigned long)at);
	check(vm_map_read_bytes(b, at, out, P(5)) == KERN_SUCCESS &&
	      memcmp(out, data + 300, P(3) - 300) == 0 && out[P(4)] == 0,
	      "destination reads the data, zeros past it");
	check(pmap_extract(b->pmap, trunc_page(at) + P(3), NULL) == 0,
	      "zero frames stay untouched in the destination");
	check(vm_map_read_bytes(a, P(16), out, P(3)) == KERN_SUCCESS && memcmp(out, data, P(3)) == 0,
	      "source unchanged");
	vm_map_copy_stats(&cs);
	check(cs.copies == 0 && cs.pages == 0, "copyout consumed the copy");

	/* Destroying copy, unaligned: whole covering pages leave the source. */
	unsigned used = shim_pages_in_use();
	check(vm_map_copyin(a, P(17) + 10, P(1), true, &copy) == KERN_SUCCESS &&
	      copy->npages == 2 && shim_pages_in_use() == used,
	      "copyin with src_destroy moves frames (no new pages)");
	check(strcmp(layout(a), "[10,11)3/7 [13,18)3/7") == 0,
	      "source pages 17 and 18 deallocated (%s)", layout(a));
	check(vm_map_read_bytes(a, P(17), out, 1) == KERN_INVALID_ADDRESS, "source reads fail");
	check(vm_map_copy_overwrite(b, at + 1, copy) == KERN_SUCCESS, "overwrite into b");
	check(vm_map_read_bytes(b, at + 1, out, P(1)) == KERN_SUCCESS &&
	      memcmp(out, data + P(1) + 10, P(1)) == 0, "overwrite wrote the bytes");
	vm_map_copy_stats(&cs);
	check(cs.copies == 0 && cs.pages == 0, "overwrite consumed the copy");

	/* 1 MiB through a kernel buffer, aligned overwrite moves frames. */
	check(vm_map_copyin_kernel_buffer(data, big, &copy) == KERN_SUCCESS && copy->npages == 256,
	      "kernel buffer copy of 1 MiB");
	vaddr_t dst = VM_MIN_USER;
	vm_map_enter(b, &dst, big, true, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	paddr_t first = copy->pages[0];
	check(vm_map_copy_overwrite(b, dst, copy) == KERN_SUCCESS &&
	      pmap_extract(b->pmap, dst, &w) == first && w, "aligned overwrite hands frames over");
	check(vm_map_read_bytes(b, dst, out, big) == KERN_SUCCESS && memcmp(out, data, big) == 0,
	      "1 MiB reads back");
	check(vm_map_copyin(b, dst, big, true, &copy) == KERN_SUCCESS, "copyin 1 MiB with destroy");
	check(vm_map_copyout(a, &at, copy) == KERN_SUCCESS &&
	      vm_map_read_bytes(a, at, out, big) == KERN_SUCCESS && memcmp(out, data, big) == 0,
	      "1 MiB arrives intact in the other map");
	vm_map_remove(a, at, at + big);

	/* Errors. */
	check(vm_map_copyin(a, P(100), P(1), false, &copy) == KERN_INVALID_ADDRESS && copy == NULL,
	      "copyin of unmapped: KERN_INVALID_ADDRESS");
	vm_map_protect(a, P(20), P(21), VM_PROT_NONE, false);
	check(vm_map_copyin(a, P(19), P(2), true, &copy) == KERN_PROTECTION_FAILURE &&
	      strcmp(layout(a), "[10,11)3/7 [13,14)3/7 [14,15)0/7 [15,18)3/7") == 0,
	      "copyin of unreadable: KERN_PROTECTION_FAILURE, source kept (%s)", layout(a));
	check(vm_map_copyin(a, P(16), 0, false, &copy) == KERN_SUCCESS && copy == NULL,
	      "size 0: NULL copy");
	check(vm_map_copyout(a, &at, NULL) == KERN_SUCCESS && at == 0, "copyout of NULL: address 0");
	check(vm_map_copy_overwrite(a, P(16), NULL) == KERN_SUCCESS, "overwrite with NULL: nothing");

	vm_map_copyin_kernel_buffer("hello", 6, &copy);
	check(vm_map_copy_overwrite(a, P(20), copy) == KERN_PROTECTION_FAILURE &&
	      vm_map_copy_overwrite(a, P(30), copy) == KERN_INVALID_ADDRESS &&
	      copy_holds(copy, "hello", 6), "overwrite of unwritable or unmapped fails, copy kept");
	vm_map_copy_discard(copy);

	/* Shortages leave the source as it was and leak nothing. */
	vm_map_write_bytes(a, P(0x15), data, P(3), false);
	used = shim_pages_in_use();
	vm_page_fail_nth(2);
	check(vm_map_copyin(a, P(0x15), P(3), false, &copy) == KERN_RESOURCE_SHORTAGE && copy == NULL &&
	      shim_pages_in_use() == used, "copyin short of frames: KERN_RESOURCE_SHORTAGE, frames freed");
	vm_page_fail_nth(0);
	kalloc_fail_nth(1);
	check(vm_map_copyin(a, P(0x16), P(1), true, &copy) == KERN_RESOURCE_SHORTAGE &&
	      strcmp(layout(a), "[10,11)3/7 [13,14)3/7 [14,15)0/7 [15,18)3/7") == 0,
	      "destroying copyin short of memory leaves the source");
	zone_fail_nth(&vm_map_entry_zone, 1);
	check(vm_map_copyin(a, P(0x16), P(1), true, &copy) == KERN_RESOURCE_SHORTAGE &&
	      vm_map_read_bytes(a, P(0x16), out, P(1)) == KERN_SUCCESS &&
	      memcmp(out, data + P(1), P(1)) == 0 && shim_pages_in_use() == used,
	      "destroying copyin short of entries leaves the source (%s)", layout(a));

	/* copyout: a page table missing in the destination. */
	vm_map_t c = vm_map_create();
	vm_map_copyin_kernel_buffer(data, P(2), &copy);
	vm_page_fail_nth(1);
	check(vm_map_copyout(c, &at, copy) == KERN_RESOURCE_SHORTAGE && c->nentries == 0 &&
	      c->pmap->resident == 0, "copyout short of a page table: map unchanged");
	check(copy_holds(copy, data, P(2)), "copy intact after a failed copyout");
	zone_fail_nth(&vm_map_entry_zone, 1);
	check(vm_map_copyout(c, &at, copy) == KERN_RESOURCE_SHORTAGE && c->nentries == 0 &&
	      c->pmap->resident == 0, "copyout short of an entry: frames taken back");
	check(vm_map_copyout(c, &at, copy) == KERN_SUCCESS, "copyout succeeds afterwards");
	check(vm_map_read_bytes(c, at, out, P(2)) == KERN_SUCCESS && memcmp(out, data, P(2)) == 0,
	      "and the data is there");
	vm_map_deallocate(c);

	check(vm_map_verify(a) && vm_map_verify(b), "maps verify");
	vm_map_deallocate(a);
	vm_map_deallocate(b);
	vm_map_copy_stats(&cs);
	check(cs.copies == 0 && cs.pages == 0, "no copies left");
	free(data);
	free(out);
}

static void test_user(void)
{
	vm_map_t map = vm_map_create();
	vm_address_t addr;
	vm_size_t size;
	vm_offset_t data;
	mach_msg_type_number_t cnt;
	vm_region_basic_info_data_t bi;
	vm_region_basic_info_data_64_t bi64;
	mach_port_t obj = (mach_port_t)1;

	check(vm_allocate(NULL, &addr, P(1), VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT,
	      "vm_allocate NULL map: KERN_INVALID_ARGUMENT");
	check(vm_allocate(map, &addr, P(1), 0x100) == KERN_INVALID_ARGUMENT,
	      "vm_allocate unknown flag: KERN_INVALID_ARGUMENT");
	check(vm_allocate(map, &addr, P(1), VM_FLAGS_ANYWHERE | VM_FLAGS_SUPERPAGE_SIZE_2MB) == KERN_INVALID_ARGUMENT,
	      "vm_allocate superpage: KERN_INVALID_ARGUMENT");
	addr = 1234;
	check(vm_allocate(map, &addr, 0, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && addr == 0 && map->nentries == 0,
	      "vm_allocate size 0: success, address 0");
	check(vm_allocate(map, &addr, 100, VM_FLAGS_ANYWHERE | VM_MAKE_TAG(VM_MEMORY_MALLOC)) == KERN_SUCCESS &&
	      addr == VM_MIN_USER && map->size == P(1), "vm_allocate anywhere rounds to a page");
	addr = P(50) + 77;
	check(vm_allocate(map, &addr, P(2), VM_FLAGS_FIXED) == KERN_SUCCESS && addr == P(50),
	      "vm_allocate fixed truncates the address");
	addr = P(51);
	check(vm_allocate(map, &addr, P(1), VM_FLAGS_FIXED) == KERN_NO_SPACE, "vm_allocate fixed overlap: KERN_NO_SPACE");
	vm_map_write_bytes(map, P(51), "old", 4, false);
	addr = P(51);
	char s[4] = "x";
	check(vm_allocate(map, &addr, P(1), VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE) == KERN_SUCCESS &&
	      vm_map_read_bytes(map, P(51), s, 4) == KERN_SUCCESS && s[0] == 0,
	      "vm_allocate overwrite replaces with zeros");
	addr = 0xfffff000u;
	check(vm_allocate(map, &addr, P(2), VM_FLAGS_FIXED) == KERN_INVALID_ADDRESS, "vm_allocate fixed wrapping: KERN_INVALID_ADDRESS");
	addr = VM_MAX_USER;
	check(vm_allocate(map, &addr, P(1), VM_FLAGS_FIXED) == KERN_INVALID_ADDRESS, "vm_allocate fixed in kernel: KERN_INVALID_ADDRESS");
	check(vm_allocate(map, &addr, 0xfffff001u, VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT,
	      "vm_allocate size rounding to 0: KERN_INVALID_ARGUMENT");
	check(vm_allocate(map, &addr, 0xd0000000u, VM_FLAGS_ANYWHERE) == KERN_NO_SPACE,
	      "vm_allocate larger than user space: KERN_NO_SPACE");

	check(vm_deallocate(map, P(50), P(1)) == KERN_SUCCESS && strcmp(layout(map), "[1,2)3/7 [33,34)3/7") == 0,
	      "vm_deallocate (%s)", layout(map));
	check(vm_deallocate(map, P(200), P(10)) == KERN_SUCCESS, "vm_deallocate unmapped: success");
	check(vm_deallocate(map, 0xf0000000u, P(1)) == KERN_SUCCESS, "vm_deallocate kernel range: success, nothing");
	check(vm_deallocate(map, 0xfffff000u, P(2)) == KERN_INVALID_ARGUMENT, "vm_deallocate wrapping: KERN_INVALID_ARGUMENT");
	check(vm_deallocate(NULL, P(1), P(1)) == KERN_INVALID_ARGUMENT, "vm_deallocate NULL: KERN_INVALID_ARGUMENT");

	check(vm_protect(map, P(51), P(1), FALSE, RO | VM_PROT_COPY) == KERN_SUCCESS &&
	      strcmp(layout(map), "[1,2)3/7 [33,34)1/7") == 0, "vm_protect (VM_PROT_COPY ignored)");
	check(vm_protect(map, P(51), 0, FALSE, 0x40) == KERN_INVALID_ARGUMENT, "vm_protect bad bits: KERN_INVALID_ARGUMENT");
	check(vm_protect(map, P(60), P(1), FALSE, RO) == KERN_INVALID_ADDRESS, "vm_protect unmapped: KERN_INVALID_ADDRESS");
	check(vm_protect(map, 0xfffff000u, P(2), FALSE, RO) == KERN_INVALID_ARGUMENT, "vm_protect wrapping: KERN_INVALID_ARGUMENT");
	check(vm_protect(map, P(51), P(1), TRUE, RW) == KERN_SUCCESS && vm_protect(map, P(51), P(1), FALSE, VM_PROT_ALL) ==
	      KERN_PROTECTION_FAILURE, "vm_protect above max: KERN_PROTECTION_FAILURE");
	check(vm_inherit(map, P(1), P(100), VM_INHERIT_SHARE) == KERN_SUCCESS, "vm_inherit over holes: success");
	check(vm_inherit(map, P(1), P(1), 9) == KERN_INVALID_ARGUMENT, "vm_inherit bad value: KERN_INVALID_ARGUMENT");
	check(vm_inherit(map, 0xfffff000u, P(2), VM_INHERIT_NONE) == KERN_INVALID_ARGUMENT, "vm_inherit wrapping: KERN_INVALID_ARGUMENT");

	cnt = VM_REGION_BASIC_INFO_COUNT;
	addr = 0;
	check(vm_region(map, &addr, &size, VM_REGION_BASIC_INFO, (vm_region_info_t)&bi, &cnt, &obj) == KERN_SUCCESS &&
	      addr == P(1) && size == P(1) && cnt == 8 && bi.protection == RW && bi.max_protection == VM_PROT_ALL &&
	      bi.inheritance == VM_INHERIT_SHARE && obj == 0, "vm_region from 0 finds the first region");
	addr = P(2);
	cnt = VM_REGION_BASIC_INFO_COUNT_64;
	check(vm_region(map, &addr, &size, VM_REGION_BASIC_INFO_64, (vm_region_info_t)&bi64, &cnt, NULL) == KERN_SUCCESS &&
	      addr == P(51) && size == P(1) && cnt == 9 && bi64.protection == RO && bi64.max_protection == RW,
	      "vm_region 64 flavour, next region");
	addr = P(52);
	check(vm_region(map, &addr, &size, VM_REGION_BASIC_INFO_64, (vm_region_info_t)&bi64, &cnt, NULL) == KERN_INVALID_ADDRESS,
	      "vm_region past the last: KERN_INVALID_ADDRESS");
	cnt = 7;
	addr = 0;
	check(vm_region(map, &addr, &size, VM_REGION_BASIC_INFO, (vm_region_info_t)&bi, &cnt, NULL) == KERN_INVALID_ARGUMENT,
	      "vm_region short count: KERN_INVALID_ARGUMENT");
	cnt = 100;
	check(vm_region(map, &addr, &size, 13, (vm_region_info_t)&bi, &cnt, NULL) == KERN_INVALID_ARGUMENT,
	      "vm_region unknown flavor: KERN_INVALID_ARGUMENT");

	/* vm_read / vm_write across two maps. */
	vm_map_t other = vm_map_create();
	vm_address_t oaddr = 0;
	vm_allocate(other, &oaddr, P(3), VM_FLAGS_ANYWHERE);
	vm_map_write_bytes(other, oaddr + 10, "remote data", 12, false);
	check(vm_read(other, oaddr + 10, 12, &data, &cnt) == KERN_SUCCESS && cnt == 12 &&
	      copy_holds((vm_map_copy_t)data, "remote data", 12), "vm_read");
	check(vm_write(map, P(1) + 5, data, 11) == KERN_FAILURE, "vm_write with a wrong count: KERN_FAILURE");
	check(vm_write(map, P(51), data, cnt) == KERN_PROTECTION_FAILURE, "vm_write to read-only: KERN_PROTECTION_FAILURE");
	check(vm_write(map, P(1) + 5, data, cnt) == KERN_SUCCESS &&
	      vm_map_read_bytes(map, P(1) + 5, s, 4) == KERN_SUCCESS && memcmp(s, "remo", 4) == 0,
	      "vm_write across maps");
	check(vm_read(other, oaddr, P(4), &data, &cnt) == KERN_INVALID_ADDRESS, "vm_read past the end: KERN_INVALID_ADDRESS");
	check(vm_read(other, 0xfffff000u, P(2), &data, &cnt) == KERN_INVALID_ADDRESS, "vm_read wrapping: KERN_INVALID_ADDRESS");
	check(vm_read(other, oaddr, 0, &data, &cnt) == KERN_SUCCESS && data == 0 && cnt == 0, "vm_read of 0 bytes");
	check(vm_write(map, P(1), 0, 0) == KERN_SUCCESS, "vm_write of nothing");
	check(vm_read(NULL, oaddr, 1, &data, &cnt) == KERN_INVALID_ARGUMENT &&
	      vm_write(NULL, oaddr, 0, 0) == KERN_INVALID_ARGUMENT, "NULL map: KERN_INVALID_ARGUMENT");
	vm_map_deallocate(other);
	vm_map_deallocate(map);
}

/* ---------------------------------------------------------------- model */

#define MODEL_BASE	P(0x4000)
#define MODEL_PAGES	96

struct mpage {
	bool mapped;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	unsigned char byte;	/* first byte of the page */
};
static struct mpage model[MODEL_PAGES];
static unsigned rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static bool model_matches(vm_map_t map, int step)
{
	for (unsigned i = 0; i < MODEL_PAGES; i++) {
		vm_map_entry_t e;
		vaddr_t va = MODEL_BASE + P(i);
		bool in = vm_map_lookup_entry(map, va, &e);
		if (in != model[i].mapped) {
			printf("# step %d page %u: mapped %d, model %d\n", step, i, in, model[i].mapped);
			return false;
		}
		if (!in)
			continue;
		if (e->protection != model[i].prot || e->max_protection != model[i].max ||
		    e->inheritance != model[i].inh) {
			printf("# step %d page %u: attrs %d/%d/%u, model %d/%d/%u\n", step, i,
			       e->protection, e->max_protection, e->inheritance,
			       model[i].prot, model[i].max, model[i].inh);
			return false;
		}
		unsigned char b = 0xee;
		if (model[i].prot & VM_PROT_READ) {
			if (vm_map_read_bytes(map, va, &b, 1) != KERN_SUCCESS || b != model[i].byte) {
				printf("# step %d page %u: byte %#x, model %#x\n", step, i, b, model[i].byte);
				return false;
			}
		}
	}
	/* Maximal coalescing: neighbours that touch differ. */
	for (vm_map_entry_t e = map->header.next; e->next != &map->header; e = e->next) {
		if (e->end == e->next->start &&
		    entry_attrs_equal(e->next, e->protection, e->max_protection, e->inheritance)) {
			printf("# step %d: entries at %#lx not coalesced\n", step, (unsigned long)e->end);
			return false;
		}
	}
	return vm_map_verify(map);
}

static void test_model(void)
{
	vm_map_t map = vm_map_create();
	static const vm_prot_t prots[] = { VM_PROT_NONE, RO, RW, VM_PROT_ALL, VM_PROT_READ | VM_PROT_EXECUTE };
	int steps = 4000;
	bool ok = true;

	for (int step = 0; step < steps && ok; step++) {
		unsigned s = rnd(MODEL_PAGES), n = 1 + rnd(12);
		if (s + n > MODEL_PAGES)
			n = MODEL_PAGES - s;
		vaddr_t va = MODEL_BASE + P(s);
		unsigned op = rnd(6);
		kern_return_t kr, want;

		if (op == 0) {		/* enter fixed */
			vm_prot_t max = prots[rnd(5)], prot = prots[rnd(5)] & max;
			vm_inherit_t inh = rnd(3);
			want = KERN_SUCCESS;
			for (unsigned i = s; i < s + n; i++)
				if (model[i].mapped)
					want = KERN_NO_SPACE;
			kr = vm_map_enter(map, &va, P(n), false, prot, max, inh);
			if (kr == KERN_SUCCESS)
				for (unsigned i = s; i < s + n; i++)
					model[i] = (struct mpage){ true, prot, max, inh, 0 };
		} else if (op == 1) {	/* remove */
			want = KERN_SUCCESS;
			kr = vm_map_remove(map, va, va + P(n));
			for (unsigned i = s; i < s + n; i++)
				model[i].mapped = false;
		} else if (op == 2) {	/* protect */
			vm_prot_t p = prots[rnd(5)];
			bool set_max = rnd(3) == 0;
			want = KERN_SUCCESS;
			for (unsigned i = s; i < s + n && want == KERN_SUCCESS; i++) {
				if (!model[i].mapped)
					want = KERN_INVALID_ADDRESS;
				else if (p & ~model[i].max)
					want = KERN_PROTECTION_FAILURE;
			}
			kr = vm_map_protect(map, va, va + P(n), p, set_max);
			if (kr == KERN_SUCCESS) {
				for (unsigned i = s; i < s + n; i++) {
					if (set_max) {
						model[i].max = p;
						model[i].prot &= p;
					} else {
						model[i].prot = p;
					}
				}
			}
		} else if (op == 3) {	/* inherit */
			vm_inherit_t inh = rnd(3);
			want = KERN_SUCCESS;
			kr = vm_map_inherit(map, va, va + P(n), inh);
			for (unsigned i = s; i < s + n; i++)
				if (model[i].mapped)
					model[i].inh = inh;
		} else if (op == 4) {	/* write one byte per page, with or without force */
			bool force = rnd(2);
			unsigned char b = (unsigned char)(1 + rnd(255));
			want = KERN_SUCCESS;
			for (unsigned i = s; i < s + n && want == KERN_SUCCESS; i++) {
				if (!model[i].mapped)
					want = KERN_INVALID_ADDRESS;
				else if (!force && !(model[i].prot & VM_PROT_WRITE))
					want = KERN_PROTECTION_FAILURE;
			}
			kr = KERN_SUCCESS;
			if (want == KERN_SUCCESS) {
				for (unsigned i = s; i < s + n; i++) {
					kr = vm_map_write_bytes(map, MODEL_BASE + P(i), &b, 1, force);
					if (kr != KERN_SUCCESS)
						break;
					model[i].byte = b;
				}
			} else {
				/* The whole range at once must fail the same way. */
				unsigned char *buf = calloc(1, P(n));
				kr = vm_map_write_bytes(map, va, buf, P(n), force);
				free(buf);
			}
		} else {		/* move a range out and back in with copyin/copyout */
			vm_map_copy_t copy;
			want = KERN_SUCCESS;
			for (unsigned i = s; i < s + n && want == KERN_SUCCESS; i++) {
				if (!model[i].mapped)
					want = KERN_INVALID_ADDRESS;
				else if (!(model[i].prot & VM_PROT_READ))
					want = KERN_PROTECTION_FAILURE;
			}
			kr = vm_map_copyin(map, va, P(n), true, &copy);
			if (kr == KERN_SUCCESS) {
				for (unsigned i = s; i < s + n; i++)
					model[i].mapped = false;
				/* Put it back where it was, through overwrite. */
				vaddr_t back = va;
				vm_map_enter(map, &back, P(n), false, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT);
				kern_return_t k2 = vm_map_copy_overwrite(map, va, copy);
				if (k2 != KERN_SUCCESS) {
					printf("# step %d: overwrite back failed %d\n", step, k2);
					ok = false;
				}
				for (unsigned i = s; i < s + n; i++) {
					unsigned char b = model[i].byte;
					model[i] = (struct mpage){ true, RW, VM_PROT_ALL, VM_INHERIT_DEFAULT, b };
				}
			}
		}
		if (kr != want) {
			printf("# step %d op %u [%u,+%u): got %d want %d\n", step, op, s, n, kr, want);
			ok = false;
		}
		if (ok && !model_matches(map, step))
			ok = false;
	}
	check(ok, "4000 random operations agree with the page model");
	vm_map_deallocate(map);
	struct vm_map_stats st;
	struct vm_copy_stats cs;
	vm_map_stats(&st);
	vm_map_copy_stats(&cs);
	check(st.maps == 0 && st.entries == 0 && cs.copies == 0 && cs.pages == 0,
	      "nothing left after the random run");
}

int main(void)
{
	shim_init();
	vm_map_init();
	baseline_pages = shim_pages_in_use();

	test_create();
	test_enter_and_first_fit();
	test_lookup();
	test_clip_protect();
	test_remove();
	test_fault();
	test_bytes();
	test_copy();
	test_user();
	test_model();

	struct vm_map_stats st;
	vm_map_stats(&st);
	check(st.maps == 0 && st.entries == 0 && shim_pmaps_alive() == 0 &&
	      shim_pages_in_use() == baseline_pages && vm_map_entry_zone.in_use == 0 &&
	      vm_map_zone.in_use == 0 && shim_kalloc_bytes == 0,
	      "no map, entry, pmap, page or kalloc block leaked (%u pages in use)", shim_pages_in_use());
	printf("1..%d\n", points);
	return failures ? 1 : 0;
}
