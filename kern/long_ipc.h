/*
 * L4-style long IPC: the trap (ABI in <mach/mk_long_ipc.h>) and its
 * rendezvous of senders and receivers on ports.
 *
 * Per-thread state (struct lipc_thread, kern/long_ipc.c), reached through
 * thread->ith_lipc, allocated on the thread's first long IPC and freed by
 * lipc_thread_terminate.  States:
 *
 *   IDLE         not in long IPC (or running its own send / copy)
 *   RCV_WAIT     blocked receiving on lt_port, on the port's receiver list
 *   RCV_MATCHED  blocked (uninterruptibly) after choosing a waiting sender,
 *                until that sender has copied into it
 *   SND_WAIT     blocked sending to lt_port, on the port's sender list;
 *                a receiver that arrives sets lt_partner and wakes it
 *
 * Waiting threads hang off a small hash of port -> FIFO lists (one for
 * receivers, one for senders), not off struct ipc_port.  A waiting thread
 * holds a reference on its port.  The copy always runs in the sender's
 * context, through the sender's window (<machine/lipc_window.h>), and
 * never blocks; a receiver is taken off its list and completed in one
 * kernel run, so a timeout or abort can never catch it half-written.
 *
 * Locking: none (uniprocessor, kernel not preemptible, interrupts off).
 */
#ifndef _KERN_LONG_IPC_H_
#define _KERN_LONG_IPC_H_

#include <kern/types.h>

struct thread;
struct ipc_port;

/* Argument words of mk_long_ipc_trap (the trap table's nargs). */
#define MK_LONG_IPC_NARGS	6

/* Set up the port hash and the scheduler's switch hook.  Once, at boot,
 * before any user thread runs. */
void lipc_init(void);

/* The MK_TRAP_LONG_IPC trap: args are its MK_LONG_IPC_NARGS cdecl words. */
uint32_t mk_long_ipc_trap(const uint32_t *args);

/* A thread is being reaped: free its long-IPC state. */
void lipc_thread_terminate(struct thread *t);

/* port's receive right left its space or the port died: end the waits. */
void lipc_port_destroyed(struct ipc_port *port);

/* Print t's long-IPC state and window (debugger). */
void lipc_thread_print(struct thread *t);

#endif /* _KERN_LONG_IPC_H_ */
