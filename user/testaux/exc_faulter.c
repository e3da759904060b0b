/*
 * testaux/exc_faulter: task B of tests/exc_pagefault.
 *
 * Runs with the EXC_BAD_ACCESS task exception port it inherited from
 * its spawner (task A), which serves it.  Two faults, each of which only
 * A can repair:
 *
 *   1. a load from PF_ADDR, which nothing maps: A maps the page in this
 *      task, fills it with the PF_PATTERN words and replies success; the
 *      load is retried and must see the word A wrote there, and the rest
 *      of the page must hold A's pattern.
 *   2. a store to a page this task allocated and made read-only: A makes
 *      it writable and replies success; the store is retried and lands.
 *
 * The faulting accesses take their address in ECX so that A can check,
 * through thread_get_state, that the exception came from this thread at
 * this access.  Exit status: 0 only if both accesses completed with the
 * right values; otherwise the number of the check that failed.
 * PF_ADDR and PF_PATTERN must match tests/exc_pagefault.c.
 */
#include <stdint.h>
#include <mach/mach.h>

#define PF_ADDR		0x3a000abcu		/* unmapped; A maps its page */
#define PF_PAGE		0x3a000000u
#define PAGE		4096u
#define PF_PATTERN(i)	(0x5eed0000u ^ (uint32_t)(i))	/* word i of A's page */
#define RO_OLD		0x11111111u
#define RO_NEW		0x22222222u

int main(void)
{
	/* 1: load from an unmapped address */
	uint32_t v;
	__asm__ volatile("movl (%%ecx), %%eax"
			 : "=a"(v) : "c"(PF_ADDR) : "memory");
	if (v != PF_PATTERN((PF_ADDR - PF_PAGE) / 4))
		return 1;
	const volatile uint32_t *page = (const volatile uint32_t *)PF_PAGE;
	for (unsigned int i = 0; i < PAGE / 4; i++)
		if (page[i] != PF_PATTERN(i))
			return 2;

	/* 2: store to a read-only page */
	vm_address_t ro = 0;
	if (vm_allocate(mach_task_self(), &ro, PAGE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 3;
	volatile uint32_t *w = (volatile uint32_t *)(ro + 0x40);
	*w = RO_OLD;
	if (vm_protect(mach_task_self(), ro, PAGE, FALSE, VM_PROT_READ) != KERN_SUCCESS)
		return 4;
	__asm__ volatile("movl %%eax, (%%ecx)"
			 : : "a"(RO_NEW), "c"((uint32_t)(uintptr_t)w) : "memory");
	if (*w != RO_NEW)
		return 5;
	if (vm_deallocate(mach_task_self(), ro, PAGE) != KERN_SUCCESS)
		return 6;
	return 0;
}
