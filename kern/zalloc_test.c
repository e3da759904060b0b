/*
 * Self-tests of zones and kalloc.
 */
#include <kern/kalloc.h>
#include <kern/ktest.h>
#include <kern/lib.h>
#include <kern/zalloc.h>
#include <vm/vm_page.h>

KTEST(zone_alloc_free)
{
	static struct zone z;
	static void *objs[1000];
	zone_init(&z, "ktest.zone", 100, 0);
	bool ok = true;

	for (int i = 0; i < 1000; i++) {
		objs[i] = zalloc(&z);
		if (objs[i] == NULL)
			ok = false;
		else
			memset(objs[i], i & 0xff, 100);
	}
	KT_CHECK(kt, ok && z.in_use == 1000, "1000 elements allocated (in use %u)", z.in_use);
	bool intact = true;
	for (int i = 0; i < 1000 && ok; i++)
		for (int j = 0; j < 100; j++)
			if (((unsigned char *)objs[i])[j] != (i & 0xff))
				intact = false;
	KT_CHECK(kt, intact, "elements do not overlap");
	KT_CHECK(kt, z.pages >= 1000 * 100 / 4096, "zone holds %u pages", z.pages);
	for (int i = 0; i < 1000 && ok; i++)
		zfree(&z, objs[i]);
	KT_CHECK(kt, z.in_use == 0 && z.free_count > 0, "in use back to 0");
	KT_CHECK(kt, z.allocs == 1000 && z.frees == 1000, "alloc/free counters");

	static struct zone capped;
	zone_init(&capped, "ktest.capped", 32, 2);
	void *a = zalloc(&capped), *b = zalloc(&capped), *c = zalloc(&capped);
	KT_CHECK(kt, a && b && !c, "a capped zone refuses past its cap");
	zfree(&capped, a);
	zfree(&capped, b);
}

KTEST(kalloc_sizes)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 2048, 2049, 10000, 300000 };
	void *p[ARRAY_SIZE(sizes)];
	unsigned free_before = vm_page_free_count();
	struct kalloc_stats st0, st1;
	kalloc_stats(&st0);

	bool ok = true;
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kalloc(sizes[i]);
		if (p[i] == NULL)
			ok = false;
		else
			memset(p[i], 0xa5, sizes[i]);
	}
	KT_CHECK(kt, ok, "kalloc of 1 byte to 300000 bytes");
	kalloc_stats(&st1);
	KT_CHECK(kt, st1.large_allocs == st0.large_allocs + 3,
		 "3 large blocks accounted (%u -> %u)", st0.large_allocs, st1.large_allocs);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i], sizes[i]);
	kalloc_stats(&st1);
	KT_CHECK(kt, st1.large_allocs == st0.large_allocs && st1.large_pages == st0.large_pages,
		 "large blocks returned");
	/* zones keep their pages; large blocks give theirs back */
	KT_CHECK(kt, vm_page_free_count() + 16 >= free_before,
		 "pages: %u before, %u after", free_before, vm_page_free_count());
	unsigned char *z = kzalloc(3000);
	bool zero = z != NULL;
	for (int i = 0; zero && i < 3000; i++)
		if (z[i])
			zero = false;
	KT_CHECK(kt, zero, "kzalloc zeroes");
	kfree(z, 3000);
	kalloc_fail_nth(1);
	KT_CHECK(kt, kalloc(64) == NULL, "kalloc fault injection");
}
