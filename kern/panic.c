/*
 * panic: report and stop.
 */
#include <kern/assert.h>
#include <kern/backtrace.h>
#include <kern/bootopt.h>
#include <kern/panic_hooks.h>
#include <kern/printf.h>
#include <machine/cpu.h>
#include <machine/qemu.h>

static int panicking;

struct panic_regs {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
};

/* Hooks other subsystems fill in: current thread/task, debugger entry. */
void (*panic_context_hook)(void);
void (*panic_debugger_hook)(void);

static __noreturn void panic_finish(uintptr_t eip, uintptr_t ebp)
{
	backtrace_print(eip, ebp);
	if (panic_context_hook && panicking == 1)
		panic_context_hook();
	if (bootopt.test || bootopt.bench) {
		printf("panic: test mode, exiting QEMU\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	if (panic_debugger_hook && panicking == 1)
		panic_debugger_hook();
	printf("panic: system halted\n");
	for (;;) {
		cli();
		halt();
	}
}

/*
 * panic: print "panic: <message>", the registers at the call, the current
 * thread and task (when a hook is installed) and a symbolized backtrace;
 * then exit QEMU in test/bench mode, or enter the debugger, or halt.
 * Callable from any context; a nested panic skips the hooks.
 */
void panic(const char *fmt, ...)
{
	struct panic_regs r;
	__asm__ volatile("pushal; movl %%esp, %%esi; movl $8, %%ecx;"
			 "movl %0, %%edi; cld; rep movsl; popal"
			 : : "r"(&r) : "esi", "edi", "ecx", "memory");
	cli();
	panicking++;
	va_list ap;
	printf("\npanic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	printf("eax %08x ebx %08x ecx %08x edx %08x\n", r.eax, r.ebx, r.ecx, r.edx);
	printf("esi %08x edi %08x ebp %08x esp %08x\n", r.esi, r.edi, r.ebp, r.esp);
	printf("cr0 %08x cr2 %08x cr3 %08x cr4 %08x eflags %08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4(), read_eflags());
	uintptr_t ebp = read_ebp();
	panic_finish(((uintptr_t *)ebp)[1] - 1, ((uintptr_t *)ebp)[0]);
}

/* panic_assert: the failure path of assert(). */
void panic_assert(const char *expr, const char *file, int line, const char *func)
{
	panic("assertion \"%s\" failed: %s:%d, function %s", expr, file, line, func);
}
