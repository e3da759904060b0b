/*
 * This kernel's own traps, outside XNU's Mach trap range (XNU's numbers
 * stop below 128; ours start at 0x1000).  They carry what has no Mach
 * interface yet, or what only the test harness needs: console output
 * before the console is an IPC server, task exit with a status, spawning
 * the programs linked into the boot image, and ending a test run.
 *
 * Calling convention, shared with the Mach traps: `int $0x80` with the
 * trap number in EAX and the arguments as a cdecl call's arguments on the
 * user stack (the stub is a plain function, so they start at ESP+4 at the
 * int instruction).  The result comes back in EAX.  A trap whose argument
 * words cannot be read returns KERN_INVALID_ADDRESS.
 *
 *   number  trap                 arguments -> result
 *   0x1000  mk_debug_write       buf, len -> kern_return_t; at most
 *                                MK_DEBUG_WRITE_MAX bytes a call (else
 *                                KERN_INVALID_ARGUMENT, nothing written)
 *   0x1001  mk_task_exit         status (never returns)
 *   0x1002  mk_thread_spawn      entry, arg, stack_top -> thread id (> 0)
 *                                or -kern_return_t; the thread starts at
 *                                entry(arg) with ESP = stack_top - 4 and a
 *                                zero return address
 *   0x1003  mk_thread_exit       - (never returns; ends the task if it was
 *                                the last thread, with status 0)
 *   0x1004  mk_thread_join       tid, timeout_ticks (0 = forever) ->
 *                                KERN_SUCCESS, KERN_OPERATION_TIMED_OUT,
 *                                KERN_INVALID_ARGUMENT (not a thread of
 *                                the caller's task, or itself)
 *   0x1005  mk_spawn             name (e.g. "tests/vm_basic") -> task id
 *                                (> 0) or -kern_return_t
 *   0x1006  mk_task_wait         task id, timeout_ticks (0 = forever),
 *                                struct mk_exit_info * -> kern_return_t;
 *                                only the spawning task may wait, once
 *   0x1007  mk_task_kill         task id -> kern_return_t
 *   0x1008  mk_info              key (MK_INFO_*) -> value
 *   0x1009  mk_bootprog_name     index, buf, size -> kern_return_t
 *                                (KERN_INVALID_ARGUMENT past the last)
 *   0x100a  mk_test_done         failed count -> ends the QEMU run in test
 *                                and bench mode (exit 33 if 0 failed, else
 *                                35); KERN_FAILURE otherwise
 *   0x100b  mk_hotpath           on (0 or 1, or -1 to only ask) -> the
 *                                previous setting of the mach_msg hot
 *                                path (the seed's enable_hotpath switch,
 *                                for benchmarks and tests)
 *   0x100c  mk_audit             op, arg, buf, size: the IPC invariant
 *                                auditor and kernel counters for tests
 *                                (<mach/mk_audit.h>)
 *   0x100d  mk_fault_inject      kind, n, zone: make the nth allocation
 *                                fail (<mach/mk_audit.h>)
 *   0x100e  mk_test_selected     name -> 1 if the test program `name' is
 *                                selected by the boot option only=TEXT
 *                                (its name contains TEXT, or no filter), else 0
 *   0x1010  mk_long_ipc          L4-style long IPC (<mach/mk_long_ipc.h>)
 */
#ifndef _MACH_MK_TRAPS_H_
#define _MACH_MK_TRAPS_H_

#define MK_TRAP_FIRST		0x1000
#define MK_TRAP_DEBUG_WRITE	0x1000
#define MK_TRAP_TASK_EXIT	0x1001
#define MK_TRAP_THREAD_SPAWN	0x1002
#define MK_TRAP_THREAD_EXIT	0x1003
#define MK_TRAP_THREAD_JOIN	0x1004
#define MK_TRAP_SPAWN		0x1005
#define MK_TRAP_TASK_WAIT	0x1006
#define MK_TRAP_TASK_KILL	0x1007
#define MK_TRAP_INFO		0x1008
#define MK_TRAP_BOOTPROG_NAME	0x1009
#define MK_TRAP_TEST_DONE	0x100a
#define MK_TRAP_HOTPATH		0x100b
#define MK_TRAP_AUDIT		0x100c
#define MK_TRAP_FAULT_INJECT	0x100d
#define MK_TRAP_TEST_SELECTED	0x100e
#define MK_TRAP_LAST		0x100e
#define MK_TRAP_LONG_IPC	0x1010

#ifndef __ASSEMBLER__
/* mk_info keys */
#define MK_INFO_TICKS		1	/* clock ticks since boot (low 32 bits) */
#define MK_INFO_HZ		2
#define MK_INFO_MODE		3	/* MK_MODE_* */
#define MK_INFO_TEST_FIRST	4	/* first TAP number for user tests */
#define MK_INFO_BOOTPROGS	5	/* programs in the boot image */
#define MK_INFO_ZONE_INUSE	6	/* sum of in-use elements of all zones */
#define MK_INFO_PAGES_FREE	7	/* free physical pages */
#define MK_INFO_THREADS		8	/* threads alive */
#define MK_INFO_TASKS		9	/* tasks alive */
#define MK_INFO_PORTS		10	/* ports alive */
#define MK_INFO_KMSGS		11	/* kmsgs allocated */

#define MK_MODE_RUN		0
#define MK_MODE_TEST		1
#define MK_MODE_BENCH		2

/* How a task ended (mk_task_wait). */
struct mk_exit_info {
	int how;		/* MK_EXIT_* */
	int code;		/* exit status, or the trap/exception number */
	unsigned int addr;	/* faulting address or EIP for MK_EXIT_FAULT */
};
#define MK_EXIT_STATUS		1	/* mk_task_exit / main returned */
#define MK_EXIT_FAULT		2	/* killed by an unhandled fault */
#define MK_DEBUG_WRITE_MAX	4096	/* bytes one mk_debug_write may print */
#define MK_EXIT_KILLED		3	/* mk_task_kill or task_terminate */

#ifndef KERNEL
#include <mach/kern_return.h>
kern_return_t mk_debug_write(const char *buf, unsigned int len);
void mk_task_exit(int status) __attribute__((noreturn));
int mk_thread_spawn(void (*entry)(void *), void *arg, void *stack_top);
void mk_thread_exit(void) __attribute__((noreturn));
kern_return_t mk_thread_join(int tid, unsigned int timeout_ticks);
int mk_spawn(const char *name);
kern_return_t mk_task_wait(int task, unsigned int timeout_ticks, struct mk_exit_info *info);
kern_return_t mk_task_kill(int task);
unsigned int mk_info(int key);
kern_return_t mk_bootprog_name(unsigned int index, char *buf, unsigned int size);
kern_return_t mk_test_done(int failed);
int mk_hotpath(int on);
int mk_test_selected(const char *name);
#endif /* !KERNEL */
#endif /* !__ASSEMBLER__ */

#endif
