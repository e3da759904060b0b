/*
 * The IPC invariant auditor: a read-only walk over every space, entry,
 * port, port set and kmsg that checks the bookkeeping the rest of ipc/
 * relies on (see ipc_audit.c for the list of invariants).  Called from
 * the mk_audit trap (tests, the fuzzer after every batch) and from the
 * kernel debugger.
 */
#ifndef _IPC_IPC_AUDIT_H_
#define _IPC_IPC_AUDIT_H_

#include <kern/types.h>

struct mk_audit_counts;

/*
 * ipc_audit: check every invariant.  With verbose, print each violation
 * (the first ones; then a count) and a summary line.  Interrupts off,
 * no locks (the kernel is uniprocessor and non-preemptible); changes
 * nothing and does not block.  Fault injection is paused while it
 * allocates its scratch tables.  Returns the number of violations, or
 * -1 when there was no memory for the scratch tables.
 */
int ipc_audit(bool verbose);

/*
 * ipc_audit_flags: the same with IPC_AUDIT_* flags.  IPC_AUDIT_EXACT
 * claims the system is quiet (no thread in the middle of an IPC wait it
 * has been woken from, none waiting in long IPC): then every port's and
 * set's reference count must equal the references found, so a reference
 * nobody holds (a leak) is a violation too.
 */
#define IPC_AUDIT_VERBOSE	0x1
#define IPC_AUDIT_EXACT		0x2
int ipc_audit_flags(unsigned flags);

/*
 * ipc_audit_waitfor (ipc/ipc_waitfor.c): print the wait-for relations of
 * every user thread, for a watchdog that suspects a deadlock.  A thread receiving on a port
 * (or a set's member ports) waits for whoever holds a send or send-once
 * right to it: each task holding one is listed by name, and the rights in
 * messages or held by the kernel are counted.  A thread blocked sending to
 * a full queue waits for the port's receiver.  Then every user thread and
 * its state, so a cycle can be followed from task to task.  Reads only;
 * called with interrupts off (the kernel is uniprocessor and
 * non-preemptible, so nothing changes while it runs).  Returns the number
 * of threads waiting on ports or sets.
 */
int ipc_audit_waitfor(void);

/* ipc_audit_counts: the kernel object counts of struct mk_audit_counts. */
void ipc_audit_counts(struct mk_audit_counts *c);

#endif
