/*
 * testaux/isolation_peer: the child of tests/tasks_isolated.
 *
 * Allocates a page FIXED at 0x20000000, where its parent has a page full
 * of its own pattern, and checks that it reads zeros: another task's
 * memory must not show through.  Then fills the page with a pattern of
 * its own, which the parent must not see.  Exits 0 only if the
 * allocation worked and the page was all zeros; 2 if vm_allocate failed,
 * 3 if it saw nonzero bytes.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/mach_vm.h>

#define ADDR	0x20000000u
#define PAGE	4096u

int main(void)
{
	vm_address_t a = ADDR;
	kern_return_t kr;

	kr = vm_allocate(mach_task_self(), &a, PAGE, VM_FLAGS_FIXED);
	if (kr != KERN_SUCCESS) {
		printf("isolation_peer: vm_allocate at 0x%08x failed: %d\n",
		    ADDR, kr);
		return 2;
	}
	volatile unsigned char *p = (volatile unsigned char *)ADDR;
	unsigned int nonzero = 0;
	for (unsigned int i = 0; i < PAGE; i++)
		if (p[i] != 0)
			nonzero++;
	for (unsigned int i = 0; i < PAGE; i++)
		p[i] = 0x5a;
	if (nonzero != 0) {
		printf("isolation_peer: %u nonzero bytes in a new page\n",
		    nonzero);
		return 3;
	}
	return 0;
}
