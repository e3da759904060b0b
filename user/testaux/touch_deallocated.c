/*
 * testaux/touch_deallocated: allocate a page at 0x32000000, use it, give
 * it back with vm_deallocate, then read it.  Expected end: page fault
 * (14) at 0x32000000.  If the setup fails it exits with status 2 or 3.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/mach_vm.h>

#define ADDR	0x32000000u

int main(void)
{
	vm_address_t a = ADDR;
	kern_return_t kr;

	kr = vm_allocate(mach_task_self(), &a, 4096, VM_FLAGS_FIXED);
	if (kr != KERN_SUCCESS) {
		printf("touch_deallocated: vm_allocate failed: %d\n", kr);
		return 2;
	}
	*(volatile unsigned int *)ADDR = 0x1234;
	kr = vm_deallocate(mach_task_self(), a, 4096);
	if (kr != KERN_SUCCESS) {
		printf("touch_deallocated: vm_deallocate failed: %d\n", kr);
		return 3;
	}
	printf("touch_deallocated: reading freed 0x%08x\n", ADDR);
	(void)*(volatile unsigned int *)ADDR;
	printf("touch_deallocated: no fault\n");
	return 0;
}
