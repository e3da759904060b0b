/*
 * Machine-independent handling of user traps: page faults go to the VM
 * system, everything else becomes a Mach exception with XNU's i386 codes
 * (see <mach/i386/exception.h>).
 */
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/exception.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trap_mi.h>
#include <mach/i386/exception.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <machine/cpu.h>
#include <machine/param.h>
#include <machine/trap.h>
#include <machine/lipc_window.h>
#include <vm/vm_fault.h>

/* clock_interrupt: one tick. */
void clock_interrupt(struct trapframe *tf __unused)
{
	ticks++;
	sched_tick();
}

static vm_prot_t fault_access(uint32_t err)
{
	return (err & PF_W) ? VM_PROT_WRITE : VM_PROT_READ;
}

/*
 * user_trap: a CPU exception raised in user mode.  Page faults the VM
 * system can resolve return at once; the rest become exceptions.
 */
void user_trap(struct trapframe *tf)
{
	integer_t code[2] = { 0, 0 };
	exception_type_t exc;

	switch (tf->trapno) {
	case T_PAGEFLT: {
		uintptr_t va = read_cr2();
		task_t task = current_task();
		kern_return_t kr = KERN_INVALID_ADDRESS;
		if (va < VM_MAX_USER && task->map)
			kr = vm_fault(task->map, va, fault_access(tf->err));
		if (kr == KERN_SUCCESS)
			return;
		exc = EXC_BAD_ACCESS;
		code[0] = kr == KERN_PROTECTION_FAILURE ? KERN_PROTECTION_FAILURE
							: KERN_INVALID_ADDRESS;
		code[1] = (integer_t)va;
		break;
	}
	case T_DIVIDE:	exc = EXC_ARITHMETIC; code[0] = EXC_I386_DIV; break;
	case T_DEBUG:	exc = EXC_BREAKPOINT; code[0] = EXC_I386_SGL; break;
	case T_BPT:	exc = EXC_BREAKPOINT; code[0] = EXC_I386_BPT; break;
	case T_OFLOW:	exc = EXC_ARITHMETIC; code[0] = EXC_I386_INTO; break;
	case T_BOUND:	exc = EXC_SOFTWARE; code[0] = EXC_I386_BOUND; break;
	case T_PRIVINFLT: exc = EXC_BAD_INSTRUCTION; code[0] = EXC_I386_INVOP; break;
	case T_DNA:	exc = EXC_ARITHMETIC; code[0] = EXC_I386_NOEXT; break;
	case T_TSSFLT:	exc = EXC_BAD_INSTRUCTION; code[0] = EXC_I386_INVTSSFLT; code[1] = (integer_t)tf->err; break;
	case T_SEGNPFLT: exc = EXC_BAD_INSTRUCTION; code[0] = EXC_I386_SEGNPFLT; code[1] = (integer_t)tf->err; break;
	case T_STKFLT:	exc = EXC_BAD_INSTRUCTION; code[0] = EXC_I386_STKFLT; code[1] = (integer_t)tf->err; break;
	case T_GPFLT:	exc = EXC_BAD_INSTRUCTION; code[0] = EXC_I386_GPFLT; code[1] = (integer_t)tf->err; break;
	case T_FPERR:	exc = EXC_ARITHMETIC; code[0] = EXC_I386_EXTERR; break;
	case T_ALIGN:	exc = EXC_BAD_ACCESS; code[0] = EXC_I386_ALIGNFLT; code[1] = (integer_t)tf->err; break;
	case T_SIMD:	exc = EXC_ARITHMETIC; code[0] = EXC_I386_SSEEXTERR; break;
	default:	exc = EXC_BAD_INSTRUCTION; code[0] = (integer_t)tf->trapno; break;
	}
	exception_triage(exc, code, 2);
}

/*
 * kernel_page_fault: a page fault taken in kernel mode.  Faults on user
 * addresses during copyin/copyout are resolved against the current
 * task's map; the caller recovers through copy_recover otherwise.
 */
bool kernel_page_fault(struct trapframe *tf, uintptr_t va)
{
	extern uintptr_t copy_recover;
	if (va >= WINDOW_BASE && va < WINDOW_BASE + WINDOW_SIZE)
		return lipc_window_fault(tf, va);	/* long IPC's copy window */
	if (va >= VM_MAX_USER || copy_recover == 0)
		return false;
	task_t task = current_task();
	if (task == NULL || task->map == NULL)
		return false;
	return vm_fault(task->map, va, fault_access(tf->err)) == KERN_SUCCESS;
}
