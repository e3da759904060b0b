/*
 * testaux/priv_hlt: execute hlt in ring 3.
 * Expected end: general protection fault (13).
 */
#include <stdio.h>

int main(void)
{
	printf("priv_hlt: executing hlt\n");
	__asm__ volatile("hlt");
	printf("priv_hlt: no fault\n");
	return 0;
}
