/*
 * Trace masks: compact one-line traces per subsystem, chosen on the
 * command line (trace=ipc,sched,vm,exc or trace=all) or from the kernel
 * debugger (`trace ipc,vm`, `trace off`).
 *
 * Off by default.  A trace point is one test of a global word, marked
 * unlikely, so when its subsystem is off it costs a load, a test and a
 * not-taken branch: no call, and its arguments are not evaluated.
 *
 * A line reads "[<subsystem> <thread id>] <text>", e.g.
 *   [ipc 7] send kmsg c0412000 id 1000 size 32 to port 31
 * The thread id is "-" before the scheduler runs.  Trace lines go straight
 * to the serial port, like panic output, so they can be used from any
 * context (interrupts off, the idle thread, the scheduler itself).
 */
#ifndef _KERN_TRACE_H_
#define _KERN_TRACE_H_

#include <kern/types.h>

#define TRACE_IPC	0x01u	/* message sends and slow-path receives */
#define TRACE_SCHED	0x02u	/* context switches */
#define TRACE_VM	0x04u	/* user page faults */
#define TRACE_EXC	0x08u	/* exceptions raised */
#define TRACE_ALL	0x0fu

extern uint32_t trace_mask;	/* changed: mach_msg_asm_update() (ipc/mach_msg.h) */

/* TRACE(IPC, "fmt", ...): a trace line when TRACE_IPC is on. */
#define TRACE(sub, ...)							\
	do {								\
		if (__builtin_expect((trace_mask & TRACE_##sub) != 0, 0))	\
			trace_printf(TRACE_##sub, __VA_ARGS__);		\
	} while (0)

/* The out-of-line half of TRACE: prefix, text, newline. */
void trace_printf(uint32_t sub, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * trace_parse: the mask a list such as "ipc,sched" names ("all", "off" and
 * "none" too).  Unknown words are reported on the console and skipped.
 */
uint32_t trace_parse(const char *list);
/* trace_init: set trace_mask from the trace= boot option.  Once, at boot. */
void trace_init(void);
/* trace_print_mask: "ipc sched" (or "off") for the debugger. */
void trace_print_mask(void);

#endif
