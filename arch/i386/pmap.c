/*
 * i386 page tables.  Kernel code runs with interrupts off and a single
 * CPU, so a pmap needs no lock; TLB shootdown is a local invlpg when the
 * pmap being changed is the one loaded in CR3.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>
#include <machine/cpu.h>
#include <machine/pmap.h>
#include <vm/vm_page.h>

struct pmap kernel_pmap_store;
pmap_t current_pmap;
static pd_entry_t kernel_pd[1024] __aligned(PAGE_SIZE);
static struct zone pmap_zone;

extern void dftss_set_cr3(uint32_t cr3);

/*
 * pmap_bootstrap: build the kernel page directory (direct map of all
 * managed RAM with global 4 MiB pages; no user or low mappings), switch
 * to it, and turn on global pages.  Once, at boot, after vm_page_bootstrap.
 */
void pmap_bootstrap(void)
{
	struct vm_page_stats st;
	vm_page_stats(&st);
	uint32_t top = round_page(st.highest * PAGE_SIZE);
	top = (top + PDE_SIZE - 1) & ~(PDE_SIZE - 1);
	if (top > DIRECTMAP_MAX)
		top = DIRECTMAP_MAX;

	memset(kernel_pd, 0, sizeof(kernel_pd));
	for (uint32_t pa = 0; pa < top; pa += PDE_SIZE)
		kernel_pd[PDX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G;

	write_cr4(read_cr4() | CR4_PSE | CR4_PGE);
	kernel_pmap_store.pd = kernel_pd;
	kernel_pmap_store.pd_pa = kvtophys(kernel_pd);
	write_cr3(kernel_pmap_store.pd_pa);
	current_pmap = kernel_pmap;
	dftss_set_cr3(kernel_pmap_store.pd_pa);
	zone_init(&pmap_zone, "pmap", sizeof(struct pmap), 0);
}

/* pmap_create: a new address space with only the kernel half; NULL on shortage. */
pmap_t pmap_create(void)
{
	pmap_t p = zalloc(&pmap_zone);
	if (p == NULL)
		return NULL;
	paddr_t pa = vm_page_alloc();
	if (pa == 0) {
		zfree(&pmap_zone, p);
		return NULL;
	}
	p->pd = phystokv(pa);
	p->pd_pa = pa;
	p->resident = 0;
	p->ptpages = 0;
	memset(p->pd, 0, KERNEL_PDX * sizeof(pd_entry_t));
	memcpy(p->pd + KERNEL_PDX, kernel_pd + KERNEL_PDX,
	       (1024 - KERNEL_PDX) * sizeof(pd_entry_t));
	p->pd[WINDOW_PDX] = 0;
	p->pd[WINDOW_PDX + 1] = 0;
	return p;
}

/*
 * pmap_destroy: free the user page tables and the directory.  The caller
 * has removed (and freed) every user page; pmap must not be in CR3.
 */
void pmap_destroy(pmap_t p)
{
	assert(p != kernel_pmap && p != current_pmap);
	for (unsigned i = 0; i < KERNEL_PDX; i++) {
		if (p->pd[i] & PTE_P) {
			vm_page_free(p->pd[i] & PTE_FRAME);
			p->ptpages--;
		}
	}
	assert(p->ptpages == 0);
	vm_page_free(p->pd_pa);
	zfree(&pmap_zone, p);
}


static pt_entry_t *pte_lookup(pmap_t p, vaddr_t va, bool create)
{
	pd_entry_t *pde = &p->pd[PDX(va)];
	if (!(*pde & PTE_P)) {
		if (!create)
			return NULL;
		paddr_t pt = vm_page_alloc_zero();
		if (pt == 0)
			return NULL;
		*pde = pt | PTE_P | PTE_W | PTE_U;
		p->ptpages++;
	}
	pt_entry_t *pt = phystokv(*pde & PTE_FRAME);
	return &pt[PTX(va)];
}

static inline void tlb_flush_page(pmap_t p, vaddr_t va)
{
	if (p == current_pmap)
		invlpg(va);
}

/* pmap_enter: see pmap.h.  Replaces an existing mapping of va. */
bool pmap_enter(pmap_t p, vaddr_t va, paddr_t pa, bool writable)
{
	assert(va < VM_MAX_USER && (va & PAGE_MASK) == 0);
	pt_entry_t *pte = pte_lookup(p, va, true);
	if (pte == NULL)
		return false;
	if (!(*pte & PTE_P))
		p->resident++;
	*pte = pa | PTE_P | PTE_U | (writable ? PTE_W : 0);
	tlb_flush_page(p, va);
	return true;
}

/* pmap_extract: see pmap.h. */
paddr_t pmap_extract(pmap_t p, vaddr_t va, bool *writable)
{
	if (va >= VM_MAX_USER)
		return 0;
	pt_entry_t *pte = pte_lookup(p, va, false);
	if (pte == NULL || !(*pte & PTE_P))
		return 0;
	if (writable)
		*writable = (*pte & PTE_W) != 0;
	return *pte & PTE_FRAME;
}

/* pmap_remove: see pmap.h.  Skips unmapped page tables quickly. */
void pmap_remove(pmap_t p, vaddr_t s, vaddr_t e, bool free_pages)
{
	for (vaddr_t va = trunc_page(s); va < e && va >= trunc_page(s); ) {
		if (!(p->pd[PDX(va)] & PTE_P)) {
			va = (va + PDE_SIZE) & ~(vaddr_t)(PDE_SIZE - 1);
			if (va == 0)
				break;
			continue;
		}
		pt_entry_t *pte = pte_lookup(p, va, false);
		if (*pte & PTE_P) {
			if (free_pages)
				vm_page_free(*pte & PTE_FRAME);
			*pte = 0;
			p->resident--;
			tlb_flush_page(p, va);
		}
		va += PAGE_SIZE;
	}
}

/* pmap_take: see pmap.h. */
paddr_t pmap_take(pmap_t p, vaddr_t va)
{
	pt_entry_t *pte = pte_lookup(p, va, false);
	if (pte == NULL || !(*pte & PTE_P))
		return 0;
	paddr_t pa = *pte & PTE_FRAME;
	*pte = 0;
	p->resident--;
	tlb_flush_page(p, va);
	return pa;
}

/* pmap_protect: see pmap.h. */
void pmap_protect(pmap_t p, vaddr_t s, vaddr_t e, bool writable)
{
	for (vaddr_t va = trunc_page(s); va < e && va >= trunc_page(s); va += PAGE_SIZE) {
		pt_entry_t *pte = pte_lookup(p, va, false);
		if (pte == NULL || !(*pte & PTE_P))
			continue;
		*pte = writable ? (*pte | PTE_W) : (*pte & ~(pt_entry_t)PTE_W);
		tlb_flush_page(p, va);
	}
}

/* pmap_pde: the directory entry covering va. */
pd_entry_t *pmap_pde(pmap_t p, vaddr_t va)
{
	return &p->pd[PDX(va)];
}
