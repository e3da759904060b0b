/*
 * Threads.
 *
 * States: TH_RUN (running or on a run queue), TH_WAIT (asserted a wait;
 * blocked once it has called thread_block), TH_DEAD (terminated, waiting
 * for the reaper).  A thread is on at most one of: a run queue
 * (rq_link), an event wait bucket (wait_link), the reaper list.
 *
 * AST bits ask a thread to act on its way back to user mode: preempt,
 * terminate, or stop because it was suspended.
 *
 * Kernel threads have no task (task == kernel_task) and no trap frame.
 */
#ifndef _KERN_THREAD_H_
#define _KERN_THREAD_H_

#include <kern/msgport.h>
#include <kern/queue.h>
#include <kern/sched_prim.h>
#include <kern/timer.h>
#include <machine/pcb.h>

struct task;
struct ipc_port;

#define TH_RUN		1
#define TH_WAIT		2
#define TH_DEAD		3

#define AST_PREEMPT	0x1
#define AST_TERMINATE	0x2
#define AST_SUSPEND	0x4

struct thread {
	struct pcb pcb;			/* must stay first: assembly finds it */
	int state;
	int priority;
	int quantum;			/* ticks left */
	unsigned ast;			/* AST_* pending */
	int suspend_count;
	bool started;			/* has been made runnable once */
	int id;
	char name[24];

	struct qlink rq_link;		/* run queue */
	bool on_runq;

	/* waiting */
	event_t wait_event;
	struct qlink wait_link;		/* event bucket */
	int interruptible;
	wait_result_t wait_result;
	struct timer_call wait_timer;
	bool wait_timer_armed;

	struct task *task;
	struct qlink task_link;		/* task->threads */
	struct qlink all_link;		/* all_threads */
	struct lwkt_msg reap_msg;	/* sent to the reaper when it dies */

	bool joined_wakeup;		/* someone waits for this thread's end */

	/* mach_msg receive and send state (ipc/ipc_mqueue.c) */
	struct qlink ith_wait_link;	/* on a port's or set's receiver list */
	struct qlink ith_send_link;	/* on a full port's blocked senders */
	struct ipc_kmsg *ith_kmsg;	/* message handed over by a sender */
	int ith_state;			/* mach_msg_return_t of the receive */
	uint32_t ith_msize;		/* buffer size; needed size on TOO_LARGE */
	uint32_t ith_option;		/* receive options */
	uint32_t ith_seqno;
	uint8_t ith_fast;		/* ITH_FAST_*: hot-path receive (ipc/mach_msg_fast.c) */
	uintptr_t ith_rcv_buf;		/* ITH_FAST_WAIT: the user buffer to receive into */

	/* ports (kern/ipc_tt.c) */
	struct ipc_port *ith_self;	/* thread kernel port */
	struct ipc_port *ith_sself;	/* send right handed out by thread_self */
	struct ipc_port *ith_rpc_reply;	/* cached reply port for kernel RPCs */
	void *ith_exc;			/* exception ports (kern/exception_ports.c) */
	void *ith_lipc;			/* long-IPC state (kern/long_ipc.c) */
};
typedef struct thread *thread_t;

/*
 * ith_fast: how a thread blocked in the message hot path's receive gets
 * its message.  ITH_FAST_WAIT: it waits there (on a port's waiter list,
 * TH_WAIT with no event and no timer, ith_rcv_buf and ith_msize saying
 * where its message goes), so a hot-path sender may finish the receive
 * for it: either all of it, the copy to ith_rcv_buf included, leaving
 * ITH_FAST_DONE and the mach_msg result in ith_state (the assembly path,
 * arch/i386/msg_fast.S, which does the copy in the receiver's address
 * space before switching to it); or all but the copy, leaving
 * ITH_FAST_READY with ith_kmsg holding the words to copy out (ith_msize
 * bytes; ipc/mach_msg_fast.c).  Any other delivery (a general send, port
 * death, an abort) leaves ITH_FAST_WAIT and the usual ith_state and
 * ith_kmsg.  The thread sets ITH_FAST_NONE again as soon as it runs; so
 * does end_wait(), so that ITH_FAST_WAIT always means TH_WAIT.
 */
#define ITH_FAST_NONE	0
#define ITH_FAST_WAIT	1
#define ITH_FAST_READY	2
#define ITH_FAST_DONE	3

_Static_assert(offsetof(struct thread, pcb) == 0, "assembly expects the pcb first");

extern struct thread *cpu_current_thread;
static inline thread_t current_thread(void) { return cpu_current_thread; }

/*
 * assert_wait_noevent: assert_wait(NULL, interruptible), inline for the
 * IPC paths, whose waits are always ended by clear_wait, never by an
 * event wakeup.  Same protocol: the caller then calls thread_block or
 * thread_handoff.
 */
static inline void assert_wait_noevent(int interruptible)
{
	thread_t self = cpu_current_thread;
	self->state = TH_WAIT;
	self->wait_event = NULL;
	self->interruptible = interruptible;
	self->wait_result = THREAD_WAITING;
	if (interruptible && (self->ast & AST_TERMINATE)) {
		self->state = TH_RUN;			/* dying: the wait ends at once */
		self->wait_result = THREAD_INTERRUPTED;
	}
}

/*
 * clear_wait_handoff_noevent: clear_wait_handoff for a thread waiting
 * with no event and no timeout (assert_wait_noevent), inline.
 */
static inline void clear_wait_handoff_noevent(thread_t t, wait_result_t result)
{
	t->wait_result = result;
	t->state = TH_RUN;
}

extern struct qlink all_threads;
extern unsigned threads_alive;

void thread_bootstrap(void);
/* kernel_thread_create: a runnable kernel thread running fn(arg). */
thread_t kernel_thread_create(const char *name, void (*fn)(void *), void *arg, int pri);
void kernel_thread_exit(void) __noreturn;
/* thread_create_user: a new, not yet runnable, user thread in task. */
thread_t thread_create_user(struct task *task, uintptr_t eip, uintptr_t esp);
/* Terminate the current thread; never returns. */
void thread_terminate_self(void) __noreturn;
/* Ask t to terminate (interrupts its wait); for t == current, returns. */
void thread_terminate_internal(thread_t t);
/* Suspend / resume counts (AST_SUSPEND stops the thread at user return). */
void thread_hold(thread_t t);
void thread_release(thread_t t);
/* Interrupt t's interruptible wait with THREAD_INTERRUPTED. */
bool thread_abort_wait(thread_t t);
thread_t thread_find(struct task *task, int id);
/* The reaper thread frees dead threads and finished tasks (LWKT service). */
void reaper_start(void);
void thread_print(thread_t t);
void thread_print_all(void);
/* Called at boot: context for the boot CPU before the scheduler runs. */
void thread_start(thread_t prev, void (*fn)(void *), void *arg) __noreturn;

#endif
