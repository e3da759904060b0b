/*
 * testaux/write_readonly: allocate a page at 0x31000000, make it
 * read-only with vm_protect, then write to it.  Expected end: page fault
 * (14) at 0x31000000.  If the setup fails it exits with status 2 or 3.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/mach_vm.h>

#define ADDR	0x31000000u

int main(void)
{
	vm_address_t a = ADDR;
	kern_return_t kr;

	kr = vm_allocate(mach_task_self(), &a, 4096, VM_FLAGS_FIXED);
	if (kr != KERN_SUCCESS) {
		printf("write_readonly: vm_allocate failed: %d\n", kr);
		return 2;
	}
	*(volatile unsigned int *)ADDR = 1;	/* writable before */
	kr = vm_protect(mach_task_self(), a, 4096, FALSE, VM_PROT_READ);
	if (kr != KERN_SUCCESS) {
		printf("write_readonly: vm_protect failed: %d\n", kr);
		return 3;
	}
	printf("write_readonly: reads %u, writing 0x%08x\n",
	    *(volatile unsigned int *)ADDR, ADDR);
	*(volatile unsigned int *)ADDR = 2;
	printf("write_readonly: no fault\n");
	return 0;
}
