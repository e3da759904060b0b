/*
 * Machine parameters for i386: page size and the kernel's virtual layout.
 *
 *   0x00000000 - 0x00000fff   never mapped (NULL)
 *   0x00001000 - 0xbfffffff   user space            (VM_MIN_USER .. VM_MAX_USER)
 *   0xc0000000 - 0xefffffff   direct map of physical memory, 4 MiB pages
 *                             (kernel image at 0xc0100000 = phys 1 MiB)
 *   0xf0000000 - 0xf07fffff   long-IPC copy window: two 4 MiB PDE slots that
 *                             mirror the receiver's page directory
 *   0xf0800000 - 0xffffffff   unused (guard)
 */
#ifndef _MACHINE_PARAM_H_
#define _MACHINE_PARAM_H_

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define PDE_SHIFT	22
#define PDE_SIZE	(1u << PDE_SHIFT)	/* 4 MiB covered by one PDE */

#define KERNBASE	0xc0000000u
#define KERNEL_PHYS	0x00100000u
#define DIRECTMAP_END	0xf0000000u		/* exclusive */
#define DIRECTMAP_MAX	(DIRECTMAP_END - KERNBASE)	/* 768 MiB */

#define WINDOW_BASE	0xf0000000u		/* long-IPC window */
#define WINDOW_SIZE	(2u * PDE_SIZE)

#define VM_MIN_USER	0x00001000u
#define VM_MAX_USER	KERNBASE		/* exclusive */

#define KSTACK_SIZE	8192u			/* per-thread kernel stack */

#define HZ		100			/* timer interrupts per second */

#ifndef __ASSEMBLER__
#define round_page(x)	(((x) + PAGE_MASK) & ~(__typeof__(x))PAGE_MASK)
#define trunc_page(x)	((x) & ~(__typeof__(x))PAGE_MASK)
/* physical <-> kernel virtual through the direct map */
#define phystokv(pa)	((void *)((unsigned long)(pa) + KERNBASE))
#define kvtophys(va)	((unsigned long)(va) - KERNBASE)
#endif

#endif
