/*
 * kernel_startup: after the machine is up.
 */
#include <kern/assert.h>
#include <kern/bootopt.h>
#include <kern/clock.h>
#include <kern/printf.h>
#include <kern/startup.h>
#include <kern/trap_mi.h>
#include <machine/cpu.h>
#include <machine/trap.h>

volatile int ast_pending;

void clock_interrupt(struct trapframe *tf __unused)
{
	ticks++;
}

void user_trap(struct trapframe *tf)
{
	trap_print(tf);
	panic("user trap before user mode exists");
}

bool kernel_page_fault(struct trapframe *tf __unused, uintptr_t va __unused)
{
	return false;
}

void ast_taken(struct trapframe *tf __unused)
{
	ast_pending = 0;
}

void mach_trap_dispatch(struct trapframe *tf)
{
	tf->eax = 4;	/* KERN_INVALID_ARGUMENT */
}

/* kernel_startup: run the tests in test mode, else idle. */
void kernel_startup(void)
{
	sti();
	if (bootopt.test)
		test_main();
	printf("mk: up; nothing to run yet\n");
	for (;;)
		sti_halt();
}
