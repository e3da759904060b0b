/*
 * Self-tests of address maps, faults, copies and the vm_map RPCs, on the
 * real pmap.  Each test makes fresh maps that are never loaded in CR3 and
 * touches their memory only through vm_map_read_bytes/write_bytes, so it
 * runs in any kernel context.  Every test ends by checking that pages,
 * zone elements and copies are back where they started.
 */
#include <kern/ktest.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/zalloc.h>
#include <vm/vm_copy.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <vm/vm_page.h>

/* What must be the same before and after a test. */
struct vm_baseline {
	unsigned pages;		/* free pages + pages held by zones */
	unsigned maps, entries;
	unsigned copies, copy_pages;
};

static void baseline_take(struct vm_baseline *b)
{
	struct vm_map_stats ms;
	struct vm_copy_stats cs;
	unsigned zpages = 0;

	for (zone_t z = zone_first(); z != NULL; z = z->next)
		zpages += z->pages;
	vm_map_stats(&ms);
	vm_map_copy_stats(&cs);
	b->pages = vm_page_free_count() + zpages;
	b->maps = ms.maps;
	b->entries = ms.entries;
	b->copies = cs.copies;
	b->copy_pages = cs.pages;
}

static void baseline_check(struct ktest *kt, const struct vm_baseline *before)
{
	struct vm_baseline now;
	baseline_take(&now);
	KT_CHECK(kt, now.pages == before->pages && now.maps == before->maps &&
		 now.entries == before->entries && now.copies == before->copies &&
		 now.copy_pages == before->copy_pages,
		 "back to baseline: pages %u/%u maps %u/%u entries %u/%u copies %u/%u",
		 now.pages, before->pages, now.maps, before->maps, now.entries,
		 before->entries, now.copies, before->copies);
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Allocation: anywhere, fixed, overlap, zero fill, bad arguments. */
KTEST(vm_map_allocate)
{
	struct vm_baseline base;
	baseline_take(&base);
	vm_map_t map = vm_map_create();
	if (!KT_CHECK(kt, map != NULL, "vm_map_create"))
		return;
	KT_CHECK(kt, map->pmap != current_pmap, "the new map is not loaded");

	vm_address_t a = 0, b = 0, c;
	KT_CHECK(kt, vm_allocate(map, &a, 3 * PAGE_SIZE, VM_FLAGS_ANYWHERE) == KERN_SUCCESS &&
		 a == VM_MIN_USER, "anywhere: lowest address (%#lx)", (unsigned long)a);
	KT_CHECK(kt, vm_allocate(map, &b, 1, VM_FLAGS_ANYWHERE) == KERN_SUCCESS &&
		 b == a + 3 * PAGE_SIZE, "anywhere: next one follows");
	c = 0x400000 + 123;
	KT_CHECK(kt, vm_allocate(map, &c, 2 * PAGE_SIZE, VM_FLAGS_FIXED) == KERN_SUCCESS &&
		 c == 0x400000, "fixed: address truncated to the page");
	c = 0x401000;
	KT_CHECK(kt, vm_allocate(map, &c, PAGE_SIZE, VM_FLAGS_FIXED) == KERN_NO_SPACE,
		 "fixed overlap: KERN_NO_SPACE");
	c = KERNBASE;
	KT_CHECK(kt, vm_allocate(map, &c, PAGE_SIZE, VM_FLAGS_FIXED) == KERN_INVALID_ADDRESS,
		 "fixed in the kernel: KERN_INVALID_ADDRESS");
	KT_CHECK(kt, vm_allocate(NULL, &c, PAGE_SIZE, VM_FLAGS_ANYWHERE) == KERN_INVALID_ARGUMENT,
		 "NULL map: KERN_INVALID_ARGUMENT");
	c = 5;
	KT_CHECK(kt, vm_allocate(map, &c, 0, VM_FLAGS_ANYWHERE) == KERN_SUCCESS && c == 0,
		 "size 0: success, address 0");

	static unsigned char buf[2 * PAGE_SIZE];
	memset(buf, 0xcc, sizeof(buf));
	KT_CHECK(kt, vm_map_read_bytes(map, 0x400000, buf, sizeof(buf)) == KERN_SUCCESS &&
		 all_bytes(buf, sizeof(buf), 0), "new memory reads as zeros");
	KT_CHECK(kt, pmap_extract(map->pmap, 0x400000, NULL) == 0,
		 "reading did not allocate a frame");
	KT_CHECK(kt, vm_fault(map, 0x400010, VM_PROT_WRITE) == KERN_SUCCESS, "write fault");
	bool w = false;
	paddr_t pa = pmap_extract(map->pmap, 0x400000, &w);
	KT_CHECK(kt, pa != 0 && w && all_bytes(phystokv(pa), PAGE_SIZE, 0),
		 "fault entered a zeroed, writable frame");
	KT_CHECK(kt, vm_fault(map, 0x800000, VM_PROT_READ) == KERN_INVALID_ADDRESS,
		 "fault outside any region: KERN_INVALID_ADDRESS");
	KT_CHECK(kt, vm_map_verify(map), "map verifies");
	vm_map_deallocate(map);
	baseline_check(kt, &base);
}

/* Protection: read-only refuses writes; max protection; deallocate unmaps. */
KTEST(vm_map_protect_dealloc)
{
	struct vm_baseline base;
	baseline_take(&base);
	vm_map_t map = vm_map_create();
	if (!KT_CHECK(kt, map != NULL, "vm_map_create"))
		return;
	vm_address_t a = 0;
	char s[8];
	bool w = true;

	vm_allocate(map, &a, 4 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
	KT_CHECK(kt, vm_map_write_bytes(map, a + PAGE_SIZE - 2, "abcd", 4, false) == KERN_SUCCESS,
		 "write across a page boundary");
	KT_CHECK(kt, vm_protect(map, a, 2 * PAGE_SIZE, FALSE, VM_PROT_READ) == KERN_SUCCESS,
		 "vm_protect read-only");
	KT_CHECK(kt, pmap_extract(map->pmap, a, &w) != 0 && !w, "resident page lost write in the pmap");
	KT_CHECK(kt, vm_map_write_bytes(map, a, "x", 1, false) == KERN_PROTECTION_FAILURE,
		 "write to read-only: KERN_PROTECTION_FAILURE");
	KT_CHECK(kt, vm_fault(map, a, VM_PROT_WRITE) == KERN_PROTECTION_FAILURE,
		 "write fault on read-only: KERN_PROTECTION_FAILURE");
	KT_CHECK(kt, vm_map_write_bytes(map, a, "x", 1, true) == KERN_SUCCESS &&
		 vm_map_read_bytes(map, a, s, 1) == KERN_SUCCESS && s[0] == 'x',
		 "forced write succeeds");
	KT_CHECK(kt, vm_protect(map, a, PAGE_SIZE, TRUE, VM_PROT_READ) == KERN_SUCCESS &&
		 vm_protect(map, a, PAGE_SIZE, FALSE, VM_PROT_DEFAULT) == KERN_PROTECTION_FAILURE,
		 "above the maximum: KERN_PROTECTION_FAILURE");
	KT_CHECK(kt, vm_protect(map, a + PAGE_SIZE, PAGE_SIZE, FALSE, VM_PROT_DEFAULT) == KERN_SUCCESS &&
		 pmap_extract(map->pmap, a + PAGE_SIZE, &w) != 0 && w,
		 "raising protection makes the resident page writable again");
	KT_CHECK(kt, vm_protect(map, 0x70000000, PAGE_SIZE, FALSE, VM_PROT_READ) == KERN_INVALID_ADDRESS,
		 "protect unmapped: KERN_INVALID_ADDRESS");

	/* Clip in the middle of an entry. */
	vm_address_t m = 0;
	vm_allocate(map, &m, 8 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
	for (unsigned i = 0; i < 8; i++)
		vm_map_write_bytes(map, m + i * PAGE_SIZE, &i, sizeof(i), false);
	unsigned n0 = map->nentries, free0 = vm_page_free_count();
	KT_CHECK(kt, vm_deallocate(map, m + 3 * PAGE_SIZE, 2 * PAGE_SIZE) == KERN_SUCCESS &&
		 map->nentries == n0 + 1, "deallocate in the middle splits the entry");
	KT_CHECK(kt, vm_page_free_count() == free0 + 2, "two frames freed");
	unsigned v = 99;
	KT_CHECK(kt, vm_map_read_bytes(map, m + 3 * PAGE_SIZE, &v, sizeof(v)) == KERN_INVALID_ADDRESS,
		 "read of deallocated memory: KERN_INVALID_ADDRESS");
	KT_CHECK(kt, pmap_extract(map->pmap, m + 4 * PAGE_SIZE, NULL) == 0, "unmapped in the pmap");
	KT_CHECK(kt, vm_map_read_bytes(map, m + 5 * PAGE_SIZE, &v, sizeof(v)) == KERN_SUCCESS && v == 5,
		 "the tail keeps its data");
	KT_CHECK(kt, vm_deallocate(map, 0x70000000, PAGE_SIZE) == KERN_SUCCESS,
		 "deallocating unmapped space succeeds");
	KT_CHECK(kt, vm_deallocate(map, 0xfffff000u, 2 * PAGE_SIZE) == KERN_INVALID_ARGUMENT,
		 "wrapping range: KERN_INVALID_ARGUMENT");

	vm_region_basic_info_data_t info;
	mach_msg_type_number_t cnt = VM_REGION_BASIC_INFO_COUNT;
	vm_address_t ra = m + 3 * PAGE_SIZE;
	vm_size_t rs = 0;
	KT_CHECK(kt, vm_region(map, &ra, &rs, VM_REGION_BASIC_INFO, (vm_region_info_t)&info, &cnt, NULL) ==
		 KERN_SUCCESS && ra == m + 5 * PAGE_SIZE && rs == 3 * PAGE_SIZE &&
		 info.protection == VM_PROT_DEFAULT && cnt == VM_REGION_BASIC_INFO_COUNT,
		 "vm_region from the hole finds the tail");
	KT_CHECK(kt, vm_map_verify(map), "map verifies");
	vm_map_deallocate(map);
	baseline_check(kt, &base);
}

/* Copies: with and without src_destroy, unaligned, overwrite. */
KTEST(vm_map_copy)
{
	struct vm_baseline base;
	baseline_take(&base);
	vm_map_t src = vm_map_create(), dst = vm_map_create();
	if (!KT_CHECK(kt, src != NULL && dst != NULL, "two maps"))
		return;
	static char pattern[3 * PAGE_SIZE], got[3 * PAGE_SIZE];
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 13 + (i >> 9));

	vm_address_t a = 0;
	vm_allocate(src, &a, 4 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
	vm_map_write_bytes(src, a, pattern, sizeof(pattern), false);

	vm_map_copy_t copy;
	vaddr_t out;
	KT_CHECK(kt, vm_map_copyin(src, a + 100, 2 * PAGE_SIZE, false, &copy) == KERN_SUCCESS &&
		 copy != NULL && copy->offset == 100 && copy->npages == 3, "copyin unaligned");
	KT_CHECK(kt, vm_map_copyout(dst, &out, copy) == KERN_SUCCESS && (out & PAGE_MASK) == 100,
		 "copyout keeps the page offset (%#lx)", (unsigned long)out);
	KT_CHECK(kt, vm_map_read_bytes(dst, out, got, 2 * PAGE_SIZE) == KERN_SUCCESS &&
		 memcmp(got, pattern + 100, 2 * PAGE_SIZE) == 0, "copied data arrives");
	KT_CHECK(kt, vm_map_write_bytes(dst, out, "changed", 7, false) == KERN_SUCCESS &&
		 vm_map_read_bytes(src, a + 100, got, 7) == KERN_SUCCESS &&
		 memcmp(got, pattern + 100, 7) == 0, "the copy is private: source unchanged");

	unsigned free0 = vm_page_free_count();
	KT_CHECK(kt, vm_map_copyin(src, a + PAGE_SIZE + 1, PAGE_SIZE, true, &copy) == KERN_SUCCESS &&
		 vm_page_free_count() == free0, "copyin with src_destroy takes no new frames");
	KT_CHECK(kt, vm_map_read_bytes(src, a + PAGE_SIZE, got, 1) == KERN_INVALID_ADDRESS &&
		 vm_map_read_bytes(src, a + 2 * PAGE_SIZE, got, 1) == KERN_INVALID_ADDRESS,
		 "source pages are gone");
	KT_CHECK(kt, vm_map_read_bytes(src, a, got, 1) == KERN_SUCCESS &&
		 vm_map_read_bytes(src, a + 3 * PAGE_SIZE, got, 1) == KERN_SUCCESS,
		 "pages around them stay");
	KT_CHECK(kt, vm_map_copy_overwrite(dst, out + 5, copy) == KERN_SUCCESS &&
		 vm_map_read_bytes(dst, out + 5, got, PAGE_SIZE) == KERN_SUCCESS &&
		 memcmp(got, pattern + PAGE_SIZE + 1, PAGE_SIZE) == 0, "overwrite, unaligned");

	vm_map_copyin_kernel_buffer("abc", 3, &copy);
	KT_CHECK(kt, vm_map_copy_overwrite(src, a + PAGE_SIZE, copy) == KERN_INVALID_ADDRESS,
		 "overwrite of unmapped: KERN_INVALID_ADDRESS (copy kept)");
	vm_protect(dst, trunc_page(out), PAGE_SIZE, FALSE, VM_PROT_READ);
	KT_CHECK(kt, vm_map_copy_overwrite(dst, out, copy) == KERN_PROTECTION_FAILURE,
		 "overwrite of read-only: KERN_PROTECTION_FAILURE");
	vm_map_copy_discard(copy);
	KT_CHECK(kt, vm_map_copyin(src, a + PAGE_SIZE, 10, false, &copy) == KERN_INVALID_ADDRESS &&
		 copy == NULL, "copyin of unmapped: KERN_INVALID_ADDRESS");

	vm_map_deallocate(src);
	vm_map_deallocate(dst);
	baseline_check(kt, &base);
}

/* 1 MiB through copyin/copyout, both ways. */
KTEST(vm_map_copy_1m)
{
	struct vm_baseline base;
	baseline_take(&base);
	const vm_size_t size = 1u << 20;
	vm_map_t src = vm_map_create(), dst = vm_map_create();
	if (!KT_CHECK(kt, src != NULL && dst != NULL, "two maps"))
		return;
	vm_address_t a = 0;
	vm_allocate(src, &a, size + PAGE_SIZE, VM_FLAGS_ANYWHERE);
	static uint32_t word[PAGE_SIZE / 4];
	bool ok = true;
	for (unsigned p = 0; p <= size / PAGE_SIZE; p++) {
		for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
			word[i] = p * 0x10001u + i;
		ok = ok && vm_map_write_bytes(src, a + p * PAGE_SIZE, word, PAGE_SIZE, false) == KERN_SUCCESS;
	}
	KT_CHECK(kt, ok, "filled 257 pages");

	vm_map_copy_t copy;
	vaddr_t out;
	KT_CHECK(kt, vm_map_copyin(src, a + 8, size, false, &copy) == KERN_SUCCESS &&
		 vm_map_copyout(dst, &out, copy) == KERN_SUCCESS, "1 MiB copied (offset 8)");
	ok = true;
	for (unsigned p = 0; p < size / PAGE_SIZE && ok; p++) {
		uint32_t v[2];
		ok = vm_map_read_bytes(dst, out + p * PAGE_SIZE, v, sizeof(v)) == KERN_SUCCESS &&
		     v[0] == p * 0x10001u + 2 && v[1] == p * 0x10001u + 3;
	}
	KT_CHECK(kt, ok, "every page arrived");

	unsigned free0 = vm_page_free_count();
	KT_CHECK(kt, vm_map_copyin(dst, trunc_page(out), size + PAGE_SIZE, true, &copy) == KERN_SUCCESS &&
		 dst->nentries == 0, "moved out with src_destroy: destination empty");
	vaddr_t back;
	KT_CHECK(kt, vm_map_copyout(src, &back, copy) == KERN_SUCCESS &&
		 vm_page_free_count() + 4 >= free0, "moved into the source map without copying");
	uint32_t v = 0;
	KT_CHECK(kt, vm_map_read_bytes(src, back + 8 + 100 * PAGE_SIZE, &v, 4) == KERN_SUCCESS &&
		 v == 100 * 0x10001u + 2, "data intact after the round trip");
	vm_map_deallocate(src);
	vm_map_deallocate(dst);
	baseline_check(kt, &base);
}

/* vm_read / vm_write between two maps, and failures that must not leak. */
KTEST(vm_map_read_write)
{
	struct vm_baseline base;
	baseline_take(&base);
	vm_map_t x = vm_map_create(), y = vm_map_create();
	if (!KT_CHECK(kt, x != NULL && y != NULL, "two maps"))
		return;
	vm_address_t ax = 0, ay = 0;
	vm_allocate(x, &ax, 2 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
	vm_allocate(y, &ay, 2 * PAGE_SIZE, VM_FLAGS_ANYWHERE);
	vm_map_write_bytes(x, ax + PAGE_SIZE - 3, "hello, world", 13, false);

	vm_offset_t data;
	mach_msg_type_number_t cnt;
	char s[16];
	KT_CHECK(kt, vm_read(x, ax + PAGE_SIZE - 3, 13, &data, &cnt) == KERN_SUCCESS && cnt == 13,
		 "vm_read");
	KT_CHECK(kt, vm_write(y, ay + 7, data, cnt) == KERN_SUCCESS &&
		 vm_map_read_bytes(y, ay + 7, s, 13) == KERN_SUCCESS && strcmp(s, "hello, world") == 0,
		 "vm_write puts it in the other map");
	KT_CHECK(kt, vm_read(x, ax, 3 * PAGE_SIZE, &data, &cnt) == KERN_INVALID_ADDRESS,
		 "vm_read past the end: KERN_INVALID_ADDRESS");
	KT_CHECK(kt, vm_read(x, KERNBASE, 4, &data, &cnt) == KERN_INVALID_ADDRESS,
		 "vm_read of kernel memory: KERN_INVALID_ADDRESS");
	vm_read(x, ax, 4, &data, &cnt);
	KT_CHECK(kt, vm_write(y, ay + 2 * PAGE_SIZE - 2, data, cnt) == KERN_INVALID_ADDRESS,
		 "vm_write past the end: KERN_INVALID_ADDRESS");
	vm_map_copy_discard((vm_map_copy_t)data);

	/* Running out of frames mid-copy frees what was taken. */
	unsigned free0 = vm_page_free_count();
	vm_map_copy_t copy;
	vm_page_fail_nth(1);
	KT_CHECK(kt, vm_map_copyin(x, ax, 2 * PAGE_SIZE, false, &copy) == KERN_RESOURCE_SHORTAGE &&
		 copy == NULL && vm_page_free_count() == free0, "copyin short of frames fails cleanly");
	vm_page_fail_nth(0);
	vm_map_deallocate(x);
	vm_map_deallocate(y);
	baseline_check(kt, &base);
}
