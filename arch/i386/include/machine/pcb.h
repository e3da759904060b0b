/*
 * Machine-dependent thread state (process control block).
 *
 * A thread's kernel stack is KSTACK_SIZE bytes.  A user thread's trap
 * frame sits at the very top of it (pcb_tf); the saved kernel context of
 * a thread that is not running is a switch frame at pcb_ksp.
 */
#ifndef _MACHINE_PCB_H_
#define _MACHINE_PCB_H_

#include <kern/types.h>
#include <machine/param.h>
#include <machine/seg.h>
#include <machine/trap.h>

struct thread;

struct pcb {
	uint32_t ksp;			/* saved kernel ESP while switched out */
	uintptr_t kstack;		/* base of the kernel stack */
	struct trapframe *tf;		/* user frame at the stack top, or NULL */
};

/* The switch frame that switch_context() pushes and pops. */
struct switch_frame {
	uint32_t edi, esi, ebx, ebp;
	uint32_t eip;			/* return address */
};
_Static_assert(sizeof(struct switch_frame) == 20, "switch.S pushes 4 registers and a return address");

#define PCB_KSP		0
_Static_assert(offsetof(struct pcb, ksp) == PCB_KSP, "switch.S uses pcb.ksp at offset 0");

/*
 * switch_context: save the callee-saved registers and ESP of the current
 * thread into *old_ksp, load new_ksp and return on that stack.  Returns
 * (on the new stack) the value passed as `prev`, so the resumed thread
 * learns which thread ran before it.
 */
struct thread *switch_context(uint32_t *old_ksp, uint32_t new_ksp, struct thread *prev);

/* Prepare a kernel thread to start at fn(arg) the first time it runs. */
void pcb_init_kernel(struct thread *t, void (*fn)(void *), void *arg);
/* Prepare a user thread to enter user mode at eip with stack esp. */
void pcb_init_user(struct thread *t, uintptr_t eip, uintptr_t esp);
/* Load the CPU state for running t: kernel stack for ring-3 entries. */
static inline void pcb_switch_in(struct pcb *pcb)
{
	tss_set_kstack(pcb->kstack + KSTACK_SIZE);
}

#endif
