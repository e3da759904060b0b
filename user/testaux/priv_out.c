/*
 * testaux/priv_out: write I/O port 0x80 (POST diagnostics) in ring 3
 * with IOPL 0 and no I/O permission bitmap.
 * Expected end: general protection fault (13).
 */
#include <stdio.h>

int main(void)
{
	printf("priv_out: executing outb to port 0x80\n");
	__asm__ volatile("outb %0, $0x80" : : "a"((unsigned char)0x55));
	printf("priv_out: no fault\n");
	return 0;
}
