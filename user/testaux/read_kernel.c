/*
 * testaux/read_kernel: read kernel memory at 0xc0100000 (the kernel
 * image) from user mode.  Expected end: page fault (14) at 0xc0100000.
 */
#include <stdio.h>

#define ADDR	0xc0100000u

int main(void)
{
	printf("read_kernel: reading 0x%08x\n", ADDR);
	(void)*(volatile unsigned int *)ADDR;
	printf("read_kernel: no fault\n");
	return 0;
}
