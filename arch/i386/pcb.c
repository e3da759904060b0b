/*
 * Machine-dependent thread setup and switching.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/thread.h>
#include <machine/cpu.h>
#include <machine/param.h>
#include <machine/pcb.h>
#include <machine/seg.h>

extern void thread_start_trampoline(void);

/* Build a switch frame at the top of the stack (below `below`). */
static void push_switch_frame(struct thread *t, uintptr_t below,
			      void (*fn)(void *), void *arg)
{
	struct switch_frame *sf = (struct switch_frame *)below - 1;
	memset(sf, 0, sizeof(*sf));
	sf->ebx = (uint32_t)fn;
	sf->esi = (uint32_t)arg;
	sf->eip = (uint32_t)thread_start_trampoline;
	t->pcb.ksp = (uint32_t)sf;
}

/*
 * pcb_init_kernel: t's first switch-in calls thread_start(prev, fn, arg)
 * on its own kernel stack.  t->pcb.kstack must be set.
 */
void pcb_init_kernel(struct thread *t, void (*fn)(void *), void *arg)
{
	t->pcb.tf = NULL;
	push_switch_frame(t, t->pcb.kstack + KSTACK_SIZE, fn, arg);
}

/*
 * pcb_init_user: a trap frame at the stack top that iret's to eip/esp in
 * ring 3 with interrupts on and all general registers 0.
 */
void pcb_init_user(struct thread *t, uintptr_t eip, uintptr_t esp)
{
	uintptr_t top = t->pcb.kstack + KSTACK_SIZE;
	struct trapframe *tf = (struct trapframe *)top - 1;
	memset(tf, 0, sizeof(*tf));
	tf->cs = USER_CS;
	tf->ds = tf->es = tf->fs = tf->gs = USER_DS;
	tf->ss = USER_DS;
	tf->eflags = EFLAGS_IF | 0x2;
	tf->eip = eip;
	tf->uesp = esp;
	t->pcb.tf = tf;
	/* the first switch "returns" into trap_return with ESP at the frame */
	struct switch_frame *sf = (struct switch_frame *)tf - 1;
	memset(sf, 0, sizeof(*sf));
	sf->eip = (uint32_t)trap_return;
	t->pcb.ksp = (uint32_t)sf;
}

