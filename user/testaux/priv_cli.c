/*
 * testaux/priv_cli: execute cli in ring 3 with IOPL 0.
 * Expected end: general protection fault (13).
 */
#include <stdio.h>

int main(void)
{
	printf("priv_cli: executing cli\n");
	__asm__ volatile("cli");
	printf("priv_cli: no fault\n");
	return 0;
}
