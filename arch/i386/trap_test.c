/*
 * Self-tests of the trap path: a kernel int3 and a divide error are
 * delivered to the handler, recorded, and execution continues.
 */
#include <kern/ktest.h>
#include <machine/trap.h>
#include <machine/trap_catch.h>

KTEST(trap_breakpoint)
{
	struct trap_catch c = { .vector = T_BPT };
	trap_catcher = &c;
	__asm__ volatile("int3");
	__asm__ volatile("int3");
	trap_catcher = NULL;
	KT_CHECK(kt, c.hits == 2, "two int3 reached the breakpoint handler (%d)", c.hits);
}

KTEST(trap_divide_error)
{
	struct trap_catch c = { .vector = T_DIVIDE };
	volatile unsigned zero = 0;
	unsigned q = 1;
	trap_catcher = &c;
	__asm__ volatile(
		"movl $1f, %[resume]\n\t"
		"movl $10, %%eax\n\t"
		"xorl %%edx, %%edx\n\t"
		"divl %[d]\n\t"
		"movl %%eax, %[q]\n"
		"1:"
		: [q] "+m"(q), [resume] "=m"(c.resume)
		: [d] "r"(zero) : "eax", "edx", "memory");
	trap_catcher = NULL;
	KT_CHECK(kt, c.hits == 1, "divide error reached its handler (%d)", c.hits);
	KT_CHECK(kt, q == 1, "the faulting division did not complete");
}
