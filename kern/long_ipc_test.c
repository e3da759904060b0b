/*
 * Self-tests of the long-IPC window (arch/i386/lipc_window.c) in kernel
 * context: copies from a kernel buffer into a fresh map that is never
 * loaded in CR3 (the "receiver"), through the window of the CPU's current
 * page directory.  They take real window faults (missing receiver page
 * tables and pages), check the bytes with vm_map_read_bytes, provoke every
 * abort (hole, read-only page under CR0.WP, sender fault) and check that
 * the window never shows a kernel PDE and is empty after each copy.
 *
 * The kernel page directory is loaded for the duration of each test, so
 * that no user task's directory gets window entries from a test and an
 * unmapped low address really is unmapped.
 */
#include <kern/ktest.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <machine/lipc_window.h>
#include <machine/pmap.h>
#include <machine/trap.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

#define RCV_BASE	0x10000000u	/* a fresh PDE: no page table yet */

static unsigned char pattern(uint32_t i)
{
	return (unsigned char)(i * 7 + (i >> 9) + 1);
}

static bool window_empty(void)
{
	return current_pmap->pd[WINDOW_PDX] == 0 && current_pmap->pd[WINDOW_PDX + 1] == 0;
}

/* Check n bytes at ra in map against pattern(i + off). */
static bool receiver_holds(vm_map_t map, uint32_t ra, uint32_t n, uint32_t off)
{
	unsigned char buf[256];
	for (uint32_t done = 0; done < n; ) {
		uint32_t k = MIN(n - done, sizeof(buf));
		if (vm_map_read_bytes(map, ra + done, buf, k) != KERN_SUCCESS)
			return false;
		for (uint32_t i = 0; i < k; i++)
			if (buf[i] != pattern(done + i + off))
				return false;
		done += k;
	}
	return true;
}

/* Faults in a never-touched receiver region are resolved; bytes arrive. */
KTEST(lipc_window_faults)
{
	pmap_t saved = current_pmap;
	pmap_activate(kernel_pmap);
	vm_map_t map = vm_map_create();
	uint32_t n = 3 * PAGE_SIZE + 100;
	unsigned char *src = kalloc(n);
	if (!KT_CHECK(kt, map != NULL && src != NULL, "receiver map and source buffer"))
		goto out;
	for (uint32_t i = 0; i < n; i++)
		src[i] = pattern(i);
	vm_address_t a = RCV_BASE;
	KT_CHECK(kt, vm_allocate(map, &a, 5 * PAGE_SIZE, VM_FLAGS_FIXED) == KERN_SUCCESS,
		 "receiver region at %#x", RCV_BASE);

	struct lipc_window w;
	lipc_window_init(&w);
	struct mk_lipc_stats before = lipc_stats;
	kern_return_t rkr = KERN_SUCCESS;
	int rc = lipc_window_copy(&w, map, RCV_BASE + 0x123, src, n, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_OK, "copy into untouched pages succeeds (rc %d)", rc);
	KT_CHECK(kt, (current_pmap->pd[WINDOW_PDX] & (PTE_P | PTE_U)) == PTE_P,
		 "window PDE present, without PTE_U");
	KT_CHECK(kt, (current_pmap->pd[WINDOW_PDX] & (PTE_FRAME | PTE_P | PTE_W)) ==
		 (map->pmap->pd[PDX(RCV_BASE)] & (PTE_FRAME | PTE_P | PTE_W)),
		 "window PDE is the receiver's page table");
	lipc_window_close(&w);
	KT_CHECK(kt, window_empty(), "window slots empty after close");
	KT_CHECK(kt, lipc_stats.window_faults - before.window_faults == 4,
		 "window faults taken (%u)", lipc_stats.window_faults - before.window_faults);
	KT_CHECK(kt, lipc_stats.receiver_faults - before.receiver_faults == 4,
		 "one receiver fault per touched page (%u)",
		 lipc_stats.receiver_faults - before.receiver_faults);
	KT_CHECK(kt, lipc_stats.pde_refills - before.pde_refills == 0,
		 "the page table was made by vm_fault, copied at once (%u refills)",
		 lipc_stats.pde_refills - before.pde_refills);
	KT_CHECK(kt, receiver_holds(map, RCV_BASE + 0x123, n, 0), "every byte arrived");
	unsigned char z[0x123];
	KT_CHECK(kt, vm_map_read_bytes(map, RCV_BASE, z, sizeof(z)) == KERN_SUCCESS &&
		 z[0] == 0 && z[sizeof(z) - 1] == 0, "bytes before the target untouched");

	/* a second copy: the page table now exists, the window is refilled by load */
	before = lipc_stats;
	rc = lipc_window_copy(&w, map, RCV_BASE + 4 * PAGE_SIZE, src, 64, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_OK && lipc_stats.receiver_faults - before.receiver_faults == 1 &&
		 lipc_stats.window_moves - before.window_moves == 1,
		 "second copy: one move, one receiver fault");
	/* a switch away tears the window down; the next step loads it again */
	lipc_window_switch(NULL);
	KT_CHECK(kt, window_empty(), "a context switch empties the window");
	rc = lipc_window_copy(&w, map, RCV_BASE + 4 * PAGE_SIZE + 64, src + 64, 64, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_OK && receiver_holds(map, RCV_BASE + 4 * PAGE_SIZE, 128, 0),
		 "copy after the switch lands");
	lipc_window_close(&w);
	KT_CHECK(kt, window_empty(), "window empty again");
out:
	if (src)
		kfree(src, n);
	if (map)
		vm_map_deallocate(map);
	pmap_activate(saved);
}

/* Holes, read-only receiver pages and bad sources abort the copy. */
KTEST(lipc_window_aborts)
{
	pmap_t saved = current_pmap;
	pmap_activate(kernel_pmap);
	vm_map_t map = vm_map_create();
	unsigned char src[64];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = pattern(i);
	if (!KT_CHECK(kt, map != NULL, "receiver map"))
		goto out;
	vm_address_t a = RCV_BASE;
	vm_address_t ro = RCV_BASE + 2 * PAGE_SIZE;
	KT_CHECK(kt, vm_allocate(map, &a, PAGE_SIZE, VM_FLAGS_FIXED) == KERN_SUCCESS &&
		 vm_allocate(map, &ro, PAGE_SIZE, VM_FLAGS_FIXED) == KERN_SUCCESS,
		 "a page, a hole, a page");
	/* make the second page present, then read-only */
	unsigned char old[64];
	memset(old, 0x5a, sizeof(old));
	KT_CHECK(kt, vm_map_write_bytes(map, ro, old, sizeof(old), false) == KERN_SUCCESS &&
		 vm_protect(map, ro, PAGE_SIZE, false, VM_PROT_READ) == KERN_SUCCESS,
		 "read-only page with known contents");

	struct lipc_window w;
	lipc_window_init(&w);
	kern_return_t rkr = KERN_SUCCESS;
	struct mk_lipc_stats before = lipc_stats;
	int rc = lipc_window_copy(&w, map, RCV_BASE + PAGE_SIZE - 8, src, 16, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_RECEIVER_FAULT && rkr == KERN_INVALID_ADDRESS,
		 "copy running into a hole: receiver fault, invalid address (rc %d kr %d)", rc, rkr);
	KT_CHECK(kt, receiver_holds(map, RCV_BASE + PAGE_SIZE - 8, 8, 0),
		 "the prefix before the hole was written");
	rc = lipc_window_copy(&w, map, ro + 4, src, 16, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_RECEIVER_FAULT && rkr == KERN_PROTECTION_FAILURE,
		 "copy into a present read-only page: protection failure (rc %d kr %d)", rc, rkr);
	unsigned char now[64];
	KT_CHECK(kt, vm_map_read_bytes(map, ro, now, sizeof(now)) == KERN_SUCCESS &&
		 memcmp(now, old, sizeof(old)) == 0, "the read-only page is unchanged");
	KT_CHECK(kt, lipc_stats.receiver_aborts - before.receiver_aborts == 2,
		 "two receiver aborts counted");

	/* a source the current (kernel) directory does not map */
	rc = lipc_window_copy(&w, map, RCV_BASE, (const void *)0x00001000, 16, &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_SENDER_FAULT, "unmapped source: sender fault (rc %d)", rc);
	lipc_window_close(&w);
	KT_CHECK(kt, window_empty(), "window empty after the aborts");

	/* a window fault outside any copy is not the window's to resolve */
	struct trapframe tf;
	memset(&tf, 0, sizeof(tf));
	KT_CHECK(kt, !lipc_window_fault(&tf, WINDOW_BASE + 16),
		 "stray window fault refused (the kernel would panic)");
out:
	if (map)
		vm_map_deallocate(map);
	pmap_activate(saved);
}

/* At the top of user space the window's second slot stays empty. */
KTEST(lipc_window_bounds)
{
	pmap_t saved = current_pmap;
	pmap_activate(kernel_pmap);
	vm_map_t map = vm_map_create();
	unsigned char src[32];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = pattern(i);
	if (!KT_CHECK(kt, map != NULL, "receiver map"))
		goto out;
	vm_address_t top = VM_MAX_USER - PAGE_SIZE;
	KT_CHECK(kt, vm_allocate(map, &top, PAGE_SIZE, VM_FLAGS_FIXED) == KERN_SUCCESS,
		 "last user page mapped");
	struct lipc_window w;
	lipc_window_init(&w);
	kern_return_t rkr;
	int rc = lipc_window_copy(&w, map, VM_MAX_USER - sizeof(src), src, sizeof(src), &rkr);
	KT_CHECK(kt, rc == LIPC_COPY_OK, "copy ending at the top of user space");
	KT_CHECK(kt, (current_pmap->pd[WINDOW_PDX] & PTE_P) &&
		 current_pmap->pd[WINDOW_PDX + 1] == 0,
		 "slot 0 shows PDE 0x2ff, slot 1 (PDE 0x300, kernel) stays empty");
	KT_CHECK(kt, receiver_holds(map, VM_MAX_USER - sizeof(src), sizeof(src), 0),
		 "bytes arrived");
	lipc_window_close(&w);
	KT_CHECK(kt, window_empty(), "window empty");
out:
	if (map)
		vm_map_deallocate(map);
	pmap_activate(saved);
}
