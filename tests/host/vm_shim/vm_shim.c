/*
 * Host shim for the VM layer: fake physical pages, fake pmap, zones and
 * kalloc on malloc, panic.  Included (as source) by tests/host/test_vm_map.c
 * before the vm/ sources; see vm_machine.h for the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

#include <kern/types.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/zalloc.h>
#include <vm/vm_page.h>
#include <vm_shim/vm_machine.h>

unsigned char *shim_arena;
static unsigned char shim_used[SHIM_NPAGES];
static unsigned shim_in_use;
static unsigned shim_page_fail;
static unsigned shim_pmaps;
static unsigned shim_kalloc_fail;

struct pmap kernel_pmap_store;
pmap_t current_pmap = &kernel_pmap_store;

/* ---------------------------------------------------------------- panic */

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	abort();
}

void panic_assert(const char *expr, const char *file, int line, const char *func)
{
	panic("assertion \"%s\" failed at %s:%d in %s", expr, file, line, func);
}

/* ---------------------------------------------------------------- pages */

void shim_init(void)
{
	if (shim_arena == NULL) {
		shim_arena = aligned_alloc(PAGE_SIZE, (size_t)SHIM_NPAGES * PAGE_SIZE);
		if (shim_arena == NULL)
			panic("no arena");
		/* Garbage, so that missing zero-fills show. */
		memset(shim_arena, 0xa5, (size_t)SHIM_NPAGES * PAGE_SIZE);
	}
}

unsigned shim_pages_in_use(void)
{
	return shim_in_use;
}

unsigned shim_pmaps_alive(void)
{
	return shim_pmaps;
}

void vm_page_fail_nth(unsigned n)
{
	shim_page_fail = n;
}

paddr_t vm_page_alloc(void)
{
	if (shim_page_fail && --shim_page_fail == 0)
		return 0;
	for (unsigned i = 0; i < SHIM_NPAGES; i++) {
		if (!shim_used[i]) {
			shim_used[i] = 1;
			shim_in_use++;
			return (paddr_t)(i + 1) * PAGE_SIZE;
		}
	}
	return 0;
}

paddr_t vm_page_alloc_zero(void)
{
	paddr_t pa = vm_page_alloc();
	if (pa)
		memset(phystokv(pa), 0, PAGE_SIZE);
	return pa;
}

void vm_page_free(paddr_t pa)
{
	unsigned i = pa / PAGE_SIZE - 1;
	if (pa == 0 || (pa & PAGE_MASK) || i >= SHIM_NPAGES || !shim_used[i])
		panic("vm_page_free: bad or free page %#x", pa);
	shim_used[i] = 0;
	shim_in_use--;
	memset(phystokv(pa), 0x5a, PAGE_SIZE);	/* poison */
}

unsigned vm_page_free_count(void)
{
	return SHIM_NPAGES - shim_in_use;
}

/* ---------------------------------------------------------------- zones, kalloc */

static zone_t shim_zones;

void zone_init(struct zone *z, const char *name, size_t elem_size, unsigned max_in_use)
{
	memset(z, 0, sizeof(*z));
	z->name = name;
	z->elem_size = elem_size;
	z->max_in_use = max_in_use;
	z->next = shim_zones;
	shim_zones = z;
}

void *zalloc(zone_t z)
{
	if (z->fail_nth && --z->fail_nth == 0)
		return NULL;
	if (z->max_in_use && z->in_use >= z->max_in_use)
		return NULL;
	void *p = malloc(z->elem_size);
	if (p) {
		memset(p, 0xa5, z->elem_size);
		z->in_use++;
		z->allocs++;
	}
	return p;
}

void zfree(zone_t z, void *elem)
{
	if (elem == NULL || z->in_use == 0)
		panic("zfree: bad free in %s", z->name);
	z->in_use--;
	z->frees++;
	free(elem);
}

zone_t zone_find(const char *name)
{
	for (zone_t z = shim_zones; z; z = z->next)
		if (strcmp(z->name, name) == 0)
			return z;
	return NULL;
}

void zone_fail_nth(zone_t z, unsigned n)
{
	z->fail_nth = n;
}

static unsigned long shim_kalloc_bytes;

void kalloc_fail_nth(unsigned n)
{
	shim_kalloc_fail = n;
}

void *kalloc(size_t size)
{
	if (shim_kalloc_fail && --shim_kalloc_fail == 0)
		return NULL;
	void *p = malloc(size);
	if (p)
		shim_kalloc_bytes += size;
	return p;
}

void kfree(void *p, size_t size)
{
	shim_kalloc_bytes -= size;
	free(p);
}

/* ---------------------------------------------------------------- pmap */

pmap_t pmap_create(void)
{
	pmap_t p = calloc(1, sizeof(*p));
	if (p)
		shim_pmaps++;
	return p;
}

void pmap_destroy(pmap_t p)
{
	if (p == kernel_pmap || p == current_pmap)
		panic("pmap_destroy of a live pmap");
	for (unsigned i = 0; i < SHIM_USER_PDES; i++) {
		if (p->pt[i]) {
			vm_page_free(p->pt[i]);
			p->ptpages--;
		}
	}
	if (p->ptpages != 0 || p->resident != 0)
		panic("pmap_destroy: %u page tables, %u pages left", p->ptpages, p->resident);
	shim_pmaps--;
	free(p);
}

void pmap_activate(pmap_t p)
{
	current_pmap = p;
}

static uint32_t *shim_pte(pmap_t p, vaddr_t va, bool create)
{
	if (va >= VM_MAX_USER)
		panic("shim_pte: kernel address %#lx", (unsigned long)va);
	unsigned pdx = va >> PDE_SHIFT;
	if (p->pt[pdx] == 0) {
		if (!create)
			return NULL;
		paddr_t pt = vm_page_alloc_zero();
		if (pt == 0)
			return NULL;
		p->pt[pdx] = pt;
		p->ptpages++;
	}
	uint32_t *pt = phystokv(p->pt[pdx]);
	return &pt[(va >> PAGE_SHIFT) & 0x3ff];
}

#define SHIM_PTE_P	1u
#define SHIM_PTE_W	2u

bool pmap_enter(pmap_t p, vaddr_t va, paddr_t pa, bool writable)
{
	if (va & PAGE_MASK)
		panic("pmap_enter: unaligned %#lx", (unsigned long)va);
	uint32_t *pte = shim_pte(p, va, true);
	if (pte == NULL)
		return false;
	if (!(*pte & SHIM_PTE_P))
		p->resident++;
	*pte = pa | SHIM_PTE_P | (writable ? SHIM_PTE_W : 0);
	return true;
}

paddr_t pmap_extract(pmap_t p, vaddr_t va, bool *writable)
{
	if (va >= VM_MAX_USER)
		return 0;
	uint32_t *pte = shim_pte(p, va, false);
	if (pte == NULL || !(*pte & SHIM_PTE_P))
		return 0;
	if (writable)
		*writable = (*pte & SHIM_PTE_W) != 0;
	return *pte & ~PAGE_MASK;
}

void pmap_remove(pmap_t p, vaddr_t s, vaddr_t e, bool free_pages)
{
	if (e > VM_MAX_USER)
		panic("pmap_remove: end %#lx in the kernel", (unsigned long)e);
	for (vaddr_t va = trunc_page(s); va < e; va += PAGE_SIZE) {
		if (p->pt[va >> PDE_SHIFT] == 0) {
			/* No page table: skip to the next one. */
			va = ((va >> PDE_SHIFT) + 1) << PDE_SHIFT;
			va -= PAGE_SIZE;
			continue;
		}
		uint32_t *pte = shim_pte(p, va, false);
		if (!(*pte & SHIM_PTE_P))
			continue;
		if (free_pages)
			vm_page_free(*pte & ~PAGE_MASK);
		*pte = 0;
		p->resident--;
	}
}

paddr_t pmap_take(pmap_t p, vaddr_t va)
{
	uint32_t *pte = shim_pte(p, va, false);
	if (pte == NULL || !(*pte & SHIM_PTE_P))
		return 0;
	paddr_t pa = *pte & ~PAGE_MASK;
	*pte = 0;
	p->resident--;
	return pa;
}

void pmap_protect(pmap_t p, vaddr_t s, vaddr_t e, bool writable)
{
	for (vaddr_t va = trunc_page(s); va < e; va += PAGE_SIZE) {
		uint32_t *pte = shim_pte(p, va, false);
		if (pte == NULL || !(*pte & SHIM_PTE_P))
			continue;
		*pte = writable ? (*pte | SHIM_PTE_W) : (*pte & ~SHIM_PTE_W);
	}
}

/* kern/trace.h on the host: tracing stays off. */
uint32_t trace_mask;
void trace_printf(uint32_t sub, const char *fmt, ...)
{
	(void)sub;
	(void)fmt;
}
