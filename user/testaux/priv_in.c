/*
 * testaux/priv_in: read I/O port 0x60 (keyboard data) in ring 3 with
 * IOPL 0 and no I/O permission bitmap.
 * Expected end: general protection fault (13).
 */
#include <stdio.h>

int main(void)
{
	unsigned char v;

	printf("priv_in: executing inb from port 0x60\n");
	__asm__ volatile("inb $0x60, %0" : "=a"(v));
	printf("priv_in: no fault, read 0x%02x\n", v);
	return 0;
}
