/*
 * testaux/touch_unmapped: read 0x30000000, where nothing is mapped.
 * Expected end: page fault (14) at 0x30000000 (tests/faults).
 */
#include <stdio.h>

#define ADDR	0x30000000u

int main(void)
{
	printf("touch_unmapped: reading 0x%08x\n", ADDR);
	(void)*(volatile unsigned int *)ADDR;
	printf("touch_unmapped: no fault\n");
	return 0;
}
