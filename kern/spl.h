/*
 * Critical sections.  Kernel code already runs with interrupts off (the
 * kernel is non-preemptible); crit_enter/crit_exit make a section's
 * intent explicit and keep it safe where code runs with interrupts on
 * (the idle thread, self-tests that wait for ticks).  They nest and never
 * switch threads.
 */
#ifndef _KERN_SPL_H_
#define _KERN_SPL_H_

#include <machine/cpu.h>

extern int crit_depth;
extern uint32_t crit_saved_flags;

static inline void crit_enter(void)
{
	uint32_t fl = read_eflags();
	cli();
	if (crit_depth++ == 0)
		crit_saved_flags = fl;
}

static inline void crit_exit(void)
{
	if (--crit_depth == 0 && (crit_saved_flags & EFLAGS_IF))
		sti();
}

#endif
