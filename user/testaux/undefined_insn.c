/*
 * testaux/undefined_insn: execute ud2.
 * Expected end: invalid opcode (6).
 */
#include <stdio.h>

int main(void)
{
	printf("undefined_insn: executing ud2\n");
	__asm__ volatile("ud2");
	printf("undefined_insn: no fault\n");
	return 0;
}
