/*
 * Physical maps: i386 two-level page tables.
 *
 * Each address space has one page directory.  Its kernel half (PDEs for
 * KERNBASE and up) is copied from the kernel page directory when the
 * pmap is created: the direct map uses global 4 MiB pages that never
 * change after boot.  The two long-IPC window PDEs are per pmap.
 * User page tables are allocated on demand and freed by pmap_destroy.
 *
 * The pmap records which physical page backs each user page; the VM
 * layer owns those pages (pmap_remove can free them for it).
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <kern/types.h>
#include <machine/param.h>

typedef uint32_t pt_entry_t;
typedef uint32_t pd_entry_t;

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_A		0x020
#define PTE_D		0x040
#define PTE_PS		0x080
#define PTE_G		0x100
#define PTE_FRAME	0xfffff000u

#define PDX(va)		((uint32_t)(va) >> PDE_SHIFT)
#define PTX(va)		(((uint32_t)(va) >> PAGE_SHIFT) & 0x3ff)
#define KERNEL_PDX	PDX(KERNBASE)
#define WINDOW_PDX	PDX(WINDOW_BASE)

struct pmap {
	pd_entry_t *pd;		/* kernel virtual address of the directory */
	paddr_t pd_pa;
	unsigned resident;	/* user pages mapped */
	unsigned ptpages;	/* user page-table pages */
};
typedef struct pmap *pmap_t;

extern struct pmap kernel_pmap_store;
#define kernel_pmap	(&kernel_pmap_store)
extern pmap_t current_pmap;	/* the pmap in CR3 */

void pmap_bootstrap(void);
pmap_t pmap_create(void);
/* Free the page tables and directory; user mappings must be removed first. */
void pmap_destroy(pmap_t pmap);
/* pmap_activate: load pmap into CR3 (flushes non-global TLB entries). */
static inline void pmap_activate(pmap_t p)
{
	if (p != current_pmap) {
		current_pmap = p;
		__asm__ volatile("mov %0, %%cr3" : : "r"(p->pd_pa) : "memory");
	}
}

/* Map va -> pa; false when a page table cannot be allocated. */
bool pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, bool writable);
/* Physical page at va (0 if none); *writable says whether it is writable. */
paddr_t pmap_extract(pmap_t pmap, vaddr_t va, bool *writable);
/* Unmap [s, e); free the pages too when free_pages. */
void pmap_remove(pmap_t pmap, vaddr_t s, vaddr_t e, bool free_pages);
/* Unmap one page and hand its frame to the caller (0 if none mapped). */
paddr_t pmap_take(pmap_t pmap, vaddr_t va);
/* Make [s, e) read-only or writable. */
void pmap_protect(pmap_t pmap, vaddr_t s, vaddr_t e, bool writable);
/* The PDE for va in pmap (used by the long-IPC window). */
pd_entry_t *pmap_pde(pmap_t pmap, vaddr_t va);

#endif
