/*
 * kdb: the kernel debugger on the serial console.
 *
 * Entered three ways:
 *   - on a panic, when the kernel is not in test or bench mode
 *     (panic_debugger_hook); `continue` then halts the machine;
 *   - on the break key typed on the serial console: Ctrl-] (0x1d), or a
 *     BREAK condition (Ctrl-A b in QEMU's mon:stdio console), which the
 *     UART delivers as a NUL byte.  The receive interrupt (IRQ 4) is only
 *     taken while a thread is in user mode or idle (the kernel runs with
 *     interrupts off), which is always soon on a live system;
 *   - at boot with the `kdb` command-line option, before the scheduler
 *     starts the kernel's threads.
 *
 * Inside, interrupts stay off and the console is polled, so the rest of
 * the system is frozen (clock included) until `continue`.
 * Commands (`help` lists them):
 *   show tasks | threads | space <task> | port <addr|task:name> |
 *        pset [addr] | kmsg [addr] | counters | zones | map <task>
 *   bt [thread]   trace [ipc,sched,vm,exc|all|off]   continue   reboot
 * Task and thread arguments are the ids `show tasks` / `show threads`
 * print; names and addresses are hex (0x optional), ids decimal.
 */
#ifndef _KERN_KDB_H_
#define _KERN_KDB_H_

#include <kern/types.h>

struct trapframe;

#define KDB_BREAK_CHAR	0x1d		/* Ctrl-] */

/*
 * kdb_init: install the panic hook, take the serial receive interrupt for
 * the break key, set the trace mask from the boot options, and enter the
 * debugger if the `kdb` option asks for it.  Once, at the end of
 * kernel_startup, interrupts off.
 */
void kdb_init(void);

/*
 * kdb_enter: run the debugger's command loop until `continue`.  why says
 * what stopped the system; tf is the interrupted context (NULL when
 * entered by a call).  Interrupts off on entry and on return.  A nested
 * entry (a panic inside a command) returns at once.
 */
void kdb_enter(const char *why, struct trapframe *tf);

/* kdb_active: is the debugger running right now? */
bool kdb_active(void);

#endif

/* ---- between kdb.c (I/O, commands) and kdb_show.c (object views) ---- */

/* Parse a whole word as a number in base (0: 0x for hex, else decimal). */
bool kdb_number(const char *s, int base, uint32_t *out);
/* The task with id s (decimal), or NULL after saying why. */
struct task *kdb_task_arg(const char *s);
/* `show <what> [args]`: argc/argv after "show". */
void kdb_show(int argc, char **argv);
/* `bt [thread]` */
void kdb_backtrace(int argc, char **argv, const struct trapframe *tf);
