/*
 * Exception delivery.  Until exception ports exist, an exception has no
 * handler: the task is terminated with the trap number and address
 * recorded for whoever waits for it, and a line says what happened.
 */
#include <kern/exception.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <mach/i386/exception.h>
#include <machine/trap.h>

static const char *const exc_names[] = {
	"0", "EXC_BAD_ACCESS", "EXC_BAD_INSTRUCTION", "EXC_ARITHMETIC",
	"EXC_EMULATION", "EXC_SOFTWARE", "EXC_BREAKPOINT", "EXC_SYSCALL",
	"EXC_MACH_SYSCALL", "EXC_RPC_ALERT", "EXC_CRASH", "EXC_RESOURCE",
	"EXC_GUARD", "EXC_CORPSE_NOTIFY",
};

/* exception_triage: see exception.h. */
void exception_triage(exception_type_t exc, const integer_t *code, unsigned codeCnt)
{
	thread_t self = current_thread();
	task_t task = self->task;
	struct trapframe *tf = self->pcb.tf;
	uint32_t trapno = tf ? tf->trapno : 0;
	uint32_t addr = exc == EXC_BAD_ACCESS && codeCnt > 1 ? (uint32_t)code[1]
							    : (tf ? tf->eip : 0);

	printf("mk: task %d (%s) thread %d: unhandled %s (%#x, %#x) at eip %#x; terminating the task\n",
	       task->id, task->name, self->id,
	       exc < (exception_type_t)(sizeof(exc_names) / sizeof(exc_names[0])) ? exc_names[exc] : "?",
	       codeCnt > 0 ? (unsigned)code[0] : 0, codeCnt > 1 ? (unsigned)code[1] : 0,
	       tf ? tf->eip : 0);
	task_terminate_internal(task, MK_EXIT_FAULT, exc == EXC_SYSCALL ? T_MACH_TRAP : (int)trapno, addr);
}
