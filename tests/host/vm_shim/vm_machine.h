/*
 * Host stand-in for <machine/param.h> and <machine/pmap.h>, used when
 * the vm/ sources are compiled into a host unit test (VM_HOST_SHIM).
 *
 * Model: "physical memory" is an arena of SHIM_NPAGES pages in host
 * memory; physical address pa names arena page pa / PAGE_SIZE - 1, so 0
 * is never a page.  phystokv/kvtophys translate through the arena.  A
 * pmap is a two-level table like the real one, its page tables taken from
 * the same fake page allocator, so a shortage can hit pmap_enter too.
 */
#ifndef _VM_SHIM_VM_MACHINE_H_
#define _VM_SHIM_VM_MACHINE_H_

#include <kern/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)
#define PDE_SHIFT	22

#define KERNBASE	0xc0000000u
#define VM_MIN_USER	0x00001000u
#define VM_MAX_USER	KERNBASE

#define round_page(x)	(((x) + PAGE_MASK) & ~(__typeof__(x))PAGE_MASK)
#define trunc_page(x)	((x) & ~(__typeof__(x))PAGE_MASK)

#define SHIM_NPAGES	8192u		/* 32 MiB of fake RAM */
extern unsigned char *shim_arena;
#define phystokv(pa)	((void *)(shim_arena + (uintptr_t)(pa) - PAGE_SIZE))
#define kvtophys(va)	((paddr_t)((unsigned char *)(va) - shim_arena + PAGE_SIZE))

#define SHIM_USER_PDES	(VM_MAX_USER >> PDE_SHIFT)

struct pmap {
	paddr_t pt[SHIM_USER_PDES];	/* page tables: frames, 0 = none */
	unsigned resident;		/* user pages mapped */
	unsigned ptpages;		/* page-table pages */
};
typedef struct pmap *pmap_t;

extern struct pmap kernel_pmap_store;
#define kernel_pmap	(&kernel_pmap_store)
extern pmap_t current_pmap;

pmap_t pmap_create(void);
void pmap_destroy(pmap_t pmap);
void pmap_activate(pmap_t pmap);
bool pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, bool writable);
paddr_t pmap_extract(pmap_t pmap, vaddr_t va, bool *writable);
void pmap_remove(pmap_t pmap, vaddr_t s, vaddr_t e, bool free_pages);
paddr_t pmap_take(pmap_t pmap, vaddr_t va);
void pmap_protect(pmap_t pmap, vaddr_t s, vaddr_t e, bool writable);

/* Controls for the tests. */
void shim_init(void);
unsigned shim_pages_in_use(void);		/* fake frames allocated */
unsigned shim_pmaps_alive(void);
/* Fault injection uses the kernel's own calls: vm_page_fail_nth,
 * zone_fail_nth, kalloc_fail_nth. */

#endif /* _VM_SHIM_VM_MACHINE_H_ */
