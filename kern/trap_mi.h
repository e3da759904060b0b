/*
 * The machine-independent side of traps, called from arch code.
 */
#ifndef _KERN_TRAP_MI_H_
#define _KERN_TRAP_MI_H_

#include <kern/types.h>

struct trapframe;

/* A fault or exception in user mode (never returns to a dead thread). */
void user_trap(struct trapframe *tf);
/*
 * A kernel-mode page fault at va (for example copyin touching a user page
 * not yet faulted in, or a long-IPC window fault).  Returns true when it
 * was resolved and the instruction can be retried.
 */
bool kernel_page_fault(struct trapframe *tf, uintptr_t va);
/* Pending AST on return to user: preemption, termination, suspension. */
void ast_taken(struct trapframe *tf);
extern volatile int ast_pending;
/* Timer interrupt. */
void clock_interrupt(struct trapframe *tf);
/* The Mach trap gate. */
void mach_trap_dispatch(struct trapframe *tf);

#endif
