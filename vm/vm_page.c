/*
 * Physical page allocator: a bitmap with a next-fit hint.
 *
 * Invariants: bit i is clear iff page i is usable RAM and free;
 * free_pages counts the clear bits; pages outside RAM, the first MiB,
 * the kernel image and the bitmap itself stay set forever.
 */
#include <boot/multiboot.h>
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <machine/param.h>
#include <vm/vm_page.h>


static uint32_t *bitmap;	/* in the direct map, just past the kernel */
static unsigned npages;		/* pages covered by the bitmap */
static unsigned total_pages;
static unsigned free_pages;
static unsigned hint;
static unsigned fail_nth;

static inline bool bit_test(unsigned i) { return bitmap[i >> 5] & (1u << (i & 31)); }
static inline void bit_set(unsigned i) { bitmap[i >> 5] |= 1u << (i & 31); }
static inline void bit_clear(unsigned i) { bitmap[i >> 5] &= ~(1u << (i & 31)); }

/*
 * vm_page_bootstrap: size physical memory from the multiboot map (or
 * mem_upper), place the bitmap after the kernel image, and free every
 * available page above the kernel, the bitmap and the first MiB.
 */
void vm_page_bootstrap(const struct multiboot_info *mbi)
{
	extern char _kernel_end[];
	/*
	 * Copy the memory map first: the loader may have put it just past the
	 * kernel image, where the bitmap is about to go.
	 */
	static struct { uint64_t addr, len; } ram[32];
	unsigned nram = 0;
	uint64_t top = 0;

	if (mbi->flags & MBI_MMAP) {
		const char *p = phystokv(mbi->mmap_addr);
		const char *end = p + mbi->mmap_length;
		while (p < end && nram < ARRAY_SIZE(ram)) {
			const struct multiboot_mmap_entry *e = (const void *)p;
			p += e->size + 4;
			if (e->type != MULTIBOOT_MEMORY_AVAILABLE)
				continue;
			ram[nram].addr = e->addr;
			ram[nram].len = e->len;
			nram++;
		}
	} else if (mbi->flags & MBI_MEMORY) {
		ram[0].addr = 0x100000;
		ram[0].len = (uint64_t)mbi->mem_upper * 1024;
		nram = 1;
	}
	for (unsigned r = 0; r < nram; r++)
		if (ram[r].addr + ram[r].len > top)
			top = ram[r].addr + ram[r].len;
	if (top > DIRECTMAP_MAX)
		top = DIRECTMAP_MAX;
	npages = (unsigned)(top / PAGE_SIZE);
	if (npages == 0)
		panic("vm_page_bootstrap: no memory map");

	bitmap = (uint32_t *)_kernel_end;
	size_t words = (npages + 31) / 32;
	paddr_t first_free = round_page(kvtophys(_kernel_end) + words * 4);
	memset(bitmap, 0xff, words * 4);

	for (unsigned r = 0; r < nram; r++) {
		uint64_t s = (ram[r].addr + PAGE_MASK) / PAGE_SIZE;
		uint64_t t = (ram[r].addr + ram[r].len) / PAGE_SIZE;
		for (uint64_t i = s; i < t && i < npages; i++) {
			if (i * PAGE_SIZE < first_free || !bit_test((unsigned)i))
				continue;
			bit_clear((unsigned)i);
			free_pages++;
		}
	}
	total_pages = free_pages;
	hint = first_free / PAGE_SIZE;
}

static bool inject_failure(void)
{
	if (fail_nth == 0)
		return false;
	if (--fail_nth == 0)
		return true;
	return false;
}

/* vm_page_alloc: one page (contents undefined), or 0. */
paddr_t vm_page_alloc(void)
{
	if (free_pages == 0 || inject_failure())
		return 0;
	for (unsigned n = 0; n < npages; n++) {
		unsigned i = hint + n;
		if (i >= npages)
			i -= npages;
		if (bitmap[i >> 5] == 0xffffffffu) {
			n += 31 - (i & 31);	/* skip the rest of a full word */
			continue;
		}
		if (!bit_test(i)) {
			bit_set(i);
			free_pages--;
			hint = i + 1 < npages ? i + 1 : 0;
			return (paddr_t)i * PAGE_SIZE;
		}
	}
	panic("vm_page_alloc: free count %u but no free bit", free_pages);
}

/* vm_page_alloc_zero: one zero-filled page, or 0. */
paddr_t vm_page_alloc_zero(void)
{
	paddr_t pa = vm_page_alloc();
	if (pa)
		memset(phystokv(pa), 0, PAGE_SIZE);
	return pa;
}

/* vm_page_free: return a page from vm_page_alloc. */
void vm_page_free(paddr_t pa)
{
	unsigned i = pa / PAGE_SIZE;
	assert((pa & PAGE_MASK) == 0 && i < npages);
	if (!bit_test(i))
		panic("vm_page_free: page %#x is already free", pa);
	bit_clear(i);
	free_pages++;
}

/* vm_page_alloc_contig: first fit for n contiguous free pages, or 0. */
paddr_t vm_page_alloc_contig(unsigned n)
{
	if (n == 0 || free_pages < n || inject_failure())
		return 0;
	unsigned run = 0;
	for (unsigned i = 0; i < npages; i++) {
		if (bit_test(i)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			unsigned s = i + 1 - n;
			for (unsigned j = s; j <= i; j++)
				bit_set(j);
			free_pages -= n;
			return (paddr_t)s * PAGE_SIZE;
		}
	}
	return 0;
}

/* vm_page_free_contig: return n pages from vm_page_alloc_contig. */
void vm_page_free_contig(paddr_t pa, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		vm_page_free(pa + k * PAGE_SIZE);
}

/* vm_page_stats: totals for statistics and leak checks. */
void vm_page_stats(struct vm_page_stats *st)
{
	st->total = total_pages;
	st->free = free_pages;
	st->highest = npages;
}

/* vm_page_free_count: free pages now. */
unsigned vm_page_free_count(void)
{
	return free_pages;
}

/* vm_page_fail_nth: arm fault injection; the nth allocation fails. */
void vm_page_fail_nth(unsigned n)
{
	fail_nth = n;
}

/* vm_page_fail_pending: see vm_page.h. */
unsigned vm_page_fail_pending(void)
{
	return fail_nth;
}
