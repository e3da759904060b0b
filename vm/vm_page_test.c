/*
 * Self-tests of the physical page allocator.
 */
#include <kern/ktest.h>
#include <machine/param.h>
#include <vm/vm_page.h>

/* Allocate every free page, chaining them through their first word. */
KTEST(vm_page_all)
{
	unsigned before = vm_page_free_count();
	paddr_t head = 0;
	unsigned n = 0;
	bool distinct = true;

	for (;;) {
		paddr_t pa = vm_page_alloc();
		if (pa == 0)
			break;
		if (pa & PAGE_MASK)
			distinct = false;
		*(paddr_t *)phystokv(pa) = head;
		head = pa;
		n++;
	}
	KT_CHECK(kt, n == before, "allocated all %u free pages (got %u)", before, n);
	KT_CHECK(kt, vm_page_free_count() == 0, "free count is 0 when exhausted");
	KT_CHECK(kt, vm_page_alloc() == 0, "allocation fails when exhausted");
	KT_CHECK(kt, distinct, "all pages page-aligned");

	while (head) {
		paddr_t next = *(paddr_t *)phystokv(head);
		vm_page_free(head);
		head = next;
	}
	KT_CHECK(kt, vm_page_free_count() == before, "free count back to %u (is %u)",
		 before, vm_page_free_count());

	paddr_t run = vm_page_alloc_contig(16);
	KT_CHECK(kt, run != 0 && (run & PAGE_MASK) == 0, "16 contiguous pages at %#x", run);
	if (run)
		vm_page_free_contig(run, 16);
	paddr_t z = vm_page_alloc_zero();
	bool zero = z != 0;
	for (unsigned i = 0; zero && i < PAGE_SIZE / 4; i++)
		if (((uint32_t *)phystokv(z))[i])
			zero = false;
	KT_CHECK(kt, zero, "vm_page_alloc_zero gives a zeroed page");
	if (z)
		vm_page_free(z);
	vm_page_fail_nth(2);
	paddr_t a = vm_page_alloc(), b = vm_page_alloc(), c = vm_page_alloc();
	KT_CHECK(kt, a && !b && c, "fault injection fails exactly the 2nd allocation");
	if (a) vm_page_free(a);
	if (c) vm_page_free(c);
	KT_CHECK(kt, vm_page_free_count() == before, "counts back at the end");
}
