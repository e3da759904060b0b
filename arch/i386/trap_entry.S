/*
 * Trap, interrupt and system-call entry and exit.
 *
 * Every vector pushes an error code (a 0 where the CPU pushes none) and
 * its vector number, then joins alltraps, which completes the trap frame
 * of <machine/trap.h>: pushal, then ds es fs gs.  trap_return unwinds
 * exactly that frame.  All gates are interrupt gates, so the kernel runs
 * with interrupts disabled.
 */
#include <machine/trap.h>
#include <machine/seg.h>
#include <machine/param.h>
#include <mach/syscall_sw.h>

#define TRAP_NOERR(n)		\
	.globl	trap_vec_##n;	\
trap_vec_##n:			\
	pushl	$0;		\
	pushl	$(n);		\
	jmp	alltraps

#define TRAP_ERR(n)		\
	.globl	trap_vec_##n;	\
trap_vec_##n:			\
	pushl	$(n);		\
	jmp	alltraps

	.text
	.p2align 4
TRAP_NOERR(0)
TRAP_NOERR(1)
TRAP_NOERR(2)
TRAP_NOERR(3)
TRAP_NOERR(4)
TRAP_NOERR(5)
TRAP_NOERR(6)
TRAP_NOERR(7)
TRAP_ERR(8)
TRAP_NOERR(9)
TRAP_ERR(10)
TRAP_ERR(11)
TRAP_ERR(12)
TRAP_ERR(13)
TRAP_ERR(14)
TRAP_NOERR(15)
TRAP_NOERR(16)
TRAP_ERR(17)
TRAP_NOERR(18)
TRAP_NOERR(19)
TRAP_NOERR(20)
TRAP_ERR(21)
TRAP_NOERR(22)
TRAP_NOERR(23)
TRAP_NOERR(24)
TRAP_NOERR(25)
TRAP_NOERR(26)
TRAP_NOERR(27)
TRAP_NOERR(28)
TRAP_ERR(29)
TRAP_ERR(30)
TRAP_NOERR(31)
TRAP_NOERR(32)
TRAP_NOERR(33)
TRAP_NOERR(34)
TRAP_NOERR(35)
TRAP_NOERR(36)
TRAP_NOERR(37)
TRAP_NOERR(38)
TRAP_NOERR(39)
TRAP_NOERR(40)
TRAP_NOERR(41)
TRAP_NOERR(42)
TRAP_NOERR(43)
TRAP_NOERR(44)
TRAP_NOERR(45)
TRAP_NOERR(46)
TRAP_NOERR(47)

/*
 * The software part of every struct trapframe, below trapno and err: the
 * general registers and the data segments, then the kernel's data
 * segments loaded, and the frame's address pushed as the C argument.
 */
.macro	TRAP_SAVE
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	movl	$KERNEL_DS, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	pushl	%esp			/* struct trapframe * */
.endm

	.p2align 4
alltraps:
	cld				/* a user's DF must not reach kernel C code */
	TRAP_SAVE
	call	trap
	addl	$4, %esp
	/* fall through */

/*
 * trap_return: unwind the trap frame at the stack pointer.  Before going
 * back to user mode, handle pending ASTs (preemption, termination).
 */
	.globl	trap_return
trap_return:
	testb	$3, TF_CS(%esp)
	jz	1f
	cmpl	$0, ast_pending
	jne	2f
1:	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$8, %esp		/* trapno, err */
	iret
2:	pushl	%esp
	call	ast_taken
	addl	$4, %esp
	jmp	trap_return

/*
 * The Mach trap gate (int $0x80).  EAX holds the trap number; the
 * arguments are the caller's cdecl arguments on the user stack.  Same
 * frame as any trap; mach_trap_dispatch() stores the result in tf->eax.
 */
	.p2align 4
	.globl	trap_vec_mach
trap_vec_mach:
	cld				/* a user's DF must not reach kernel C code */
	pushl	$0
	pushl	$T_MACH_TRAP
	TRAP_SAVE
	call	mach_trap_dispatch
	addl	$4, %esp
	jmp	trap_return

/*
 * The double-fault task: entered through a task gate on its own stack,
 * so even a kernel stack overflow can be reported.
 */
	.globl	double_fault_task
double_fault_task:
	call	double_fault_report
3:	cli
	hlt
	jmp	3b

/*
 * The sysenter entry, for every Mach trap (the user stubs of the hot
 * traps use it; int $0x80 stays valid for all).  The user stub loads
 * ECX = its ESP (the cdecl arguments start at ECX + 4, as for int $0x80)
 * and EDX = the address to return to, EAX = the trap number.
 *
 * SYSENTER leaves ESP at a small per-CPU scratch stack with interrupts
 * off; the first instruction moves to the current thread's kernel stack
 * (the TSS's esp0).  SYSENTER keeps the rest of the user's EFLAGS, so
 * before any C code runs the frame path loads EFLAGS with nothing but
 * bit 1: a user's DF would run the kernel's string copies backwards and
 * a user's NT would make the kernel's next IRET (of this thread, or of
 * whichever thread it switches to, since EFLAGS is not switched) a task
 * return that faults (tests/isolation_sysenter).  The int $0x80 and
 * exception gates clear NT and TF themselves; their entries clear DF.
 * The frame built is the same struct trapframe an int $0x80 builds (user
 * EFLAGS are recorded as IF|bit 1: the calling convention clobbers the
 * arithmetic flags, and the trap flag is not carried through sysenter),
 * so blocking, exceptions and thread_get_state see the usual state.
 *
 * The return uses SYSEXIT only when nothing needs IRET: no AST pending
 * and the frame still has plain flags (flags that thread_set_state or an
 * exception server changed go out through trap_return's IRET instead).
 * The selectors need no check: a user frame's CS and SS are USER_CS and
 * USER_DS always (pcb.c makes them so, thread_state_to_frame takes no
 * others), which are what SYSEXIT loads.
 *
 * The two message traps go straight to the hot path, without
 * mach_trap_dispatch's table walk: mach_msg to mach_msg_asm
 * (arch/i386/msg_fast.S), which answers a null mach_msg (option word
 * MACH_MSG_OPTION_NONE: nothing to do, MACH_MSG_SUCCESS) first thing and
 * hands anything but its common case to mach_msg_trap_frame, and
 * mach_msg_overwrite to mach_msg_trap_frame.
 */

/*
 * The frame every sysenter builds, after loading EFLAGS with bit 1 only
 * (above): what an int $0x80 from ring 3 would push, then what
 * trap_vec_mach pushes.
 */
.macro	SYSENTER_FRAME
	pushl	$2
	popfl
	pushl	$USER_DS			/* ss */
	pushl	%ecx				/* user esp */
	pushl	$(0x202)			/* eflags: IF | reserved bit 1 */
	pushl	$USER_CS
	pushl	%edx				/* eip */
	pushl	$0
	pushl	$T_MACH_TRAP
	TRAP_SAVE
.endm

	.p2align 4
	.globl	sysenter_entry
sysenter_entry:
	movl	ktss + 4, %esp			/* TSS esp0 */
	cmpl	$MACH_TRAP_MACH_MSG, %eax
	jne	1f
	SYSENTER_FRAME
	call	mach_msg_asm			/* arch/i386/msg_fast.S, else C */
	jmp	sysenter_exit
1:	cmpl	$MACH_TRAP_MACH_MSG_OVERWRITE, %eax
	jne	sysenter_frame
	SYSENTER_FRAME
	call	mach_msg_trap_frame
	jmp	sysenter_exit
sysenter_frame:
	SYSENTER_FRAME
	call	mach_trap_dispatch
sysenter_exit:
	addl	$4, %esp
	cmpl	$0, ast_pending
	jne	trap_return
	cmpl	$(0x202), TF_EFLAGS(%esp)
	jne	trap_return
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
	popal
	movl	TF_EIP - TF_TRAPNO(%esp), %edx
	movl	TF_UESP - TF_TRAPNO(%esp), %ecx
	sti
	sysexit

/* Scratch stack sysenter lands on (used for one instruction). */
	.bss
	.p2align 4
	.globl	sysenter_scratch_top
	.space	256
sysenter_scratch_top:
	.text
