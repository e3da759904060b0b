/*
 * Thread creation, termination, suspension, the reaper, and ASTs.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/msgport.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/ipc_tt.h>
#include <kern/long_ipc.h>
#include <kern/trap_mi.h>
#include <kern/zalloc.h>
#include <machine/cpu.h>
#include <machine/param.h>
#include <vm/vm_page.h>

struct qlink all_threads = QLINK_INIT(all_threads);
unsigned threads_alive;
volatile int ast_pending;
static struct zone thread_zone;
static int next_thread_id = 1;
/*
 * The reaper is an LWKT service: a dying thread sends the message embedded
 * in its struct to the reaper's thread port (it cannot wait for the
 * answer: the reply goes to a reply-only port nobody waits on), and the
 * reaper, on its own stack, replies and then frees the thread.
 */
static struct lwkt_port reaper_port;
static struct lwkt_port reaper_reply_port;
static thread_t reaper_thread;

static const char *const state_names[] = { "?", "run", "wait", "dead" };

/* Hand a dead thread to the reaper (never blocks). */
static void send_to_reaper(thread_t t)
{
	lwkt_initmsg(&t->reap_msg, &reaper_reply_port, 0);
	lwkt_sendmsg(&reaper_port, &t->reap_msg);
}

/* thread_bootstrap: the thread zone.  Once, at boot. */
void thread_bootstrap(void)
{
	zone_init(&thread_zone, "threads", sizeof(struct thread), 0);
}

static thread_t thread_alloc(task_t task, const char *name, int pri)
{
	thread_t t = zalloc(&thread_zone);
	if (t == NULL)
		return NULL;
	paddr_t ks = vm_page_alloc_contig(KSTACK_SIZE / PAGE_SIZE);
	if (ks == 0) {
		zfree(&thread_zone, t);
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	t->pcb.kstack = (uintptr_t)phystokv(ks);
	t->state = TH_RUN;
	t->priority = pri;
	t->quantum = QUANTUM_TICKS;
	t->id = next_thread_id++;
	strlcpy(t->name, name, sizeof(t->name));
	t->task = task;
	enqueue_tail(&task->threads, &t->task_link);
	task->thread_count++;
	enqueue_tail(&all_threads, &t->all_link);
	threads_alive++;
	return t;
}

/* kernel_thread_create: see thread.h.  Panics on shortage (boot only). */
thread_t kernel_thread_create(const char *name, void (*fn)(void *), void *arg, int pri)
{
	thread_t t = thread_alloc(kernel_task, name, pri);
	if (t == NULL)
		panic("kernel_thread_create(%s): out of memory", name);
	t->suspend_count = 0;
	t->started = true;
	pcb_init_kernel(t, fn, arg);
	thread_setrun(t);
	return t;
}

/*
 * thread_start: the first code a new thread runs (from switch.S).  prev is
 * the thread that switched to it.  Runs fn(arg); a kernel thread whose
 * function returns exits.
 */
void thread_start(thread_t prev __unused, void (*fn)(void *), void *arg)
{
	fn(arg);
	kernel_thread_exit();
}

/* kernel_thread_exit: end the current kernel thread. */
void kernel_thread_exit(void)
{
	thread_terminate_self();
}

/*
 * thread_create_user: a user thread in task that will start at eip with
 * user stack esp.  It is created suspended (suspend count 1); the first
 * thread_release() makes it runnable.  NULL on shortage or a dead task.
 */
thread_t thread_create_user(task_t task, uintptr_t eip, uintptr_t esp)
{
	if (!task->active)
		return NULL;
	thread_t t = thread_alloc(task, task->name, BASEPRI_USER);
	if (t == NULL)
		return NULL;
	t->suspend_count = 1;
	t->state = TH_RUN;
	pcb_init_user(t, eip, esp);
	if (ipc_thread_init(t) != KERN_SUCCESS) {
		/* never ran: reap it at once */
		t->state = TH_DEAD;
		send_to_reaper(t);
		return NULL;
	}
	return t;
}

static bool last_live_thread(thread_t self)
{
	queue_foreach(l, &self->task->threads) {
		thread_t t = qlink_entry(l, struct thread, task_link);
		if (t != self && t->state != TH_DEAD)
			return false;
	}
	return true;
}

/*
 * thread_terminate_self: the current thread dies.  The reaper frees its
 * stack and structure later.  The last thread of a task that is still
 * active terminates the task (status 0).  Never returns.
 */
void thread_terminate_self(void)
{
	thread_t self = current_thread();
	task_t task = self->task;

	if (task != kernel_task && task->active && last_live_thread(self))
		task_terminate_internal(task, MK_EXIT_STATUS, 0, 0);
	if (self->state == TH_WAIT)
		clear_wait(self, THREAD_INTERRUPTED);
	self->state = TH_DEAD;
	self->ast = 0;
	send_to_reaper(self);
	thread_block();
	panic("a dead thread ran again");
}

/*
 * thread_terminate: ask t to die.  A thread that never ran dies at once;
 * others get AST_TERMINATE and have an interruptible wait or a
 * suspension cut short, and die on their way back to user mode.
 */
void thread_terminate_internal(thread_t t)
{
	if (t->state == TH_DEAD)
		return;
	if (t == current_thread()) {
		t->ast |= AST_TERMINATE;
		ast_pending = 1;
		return;
	}
	if (!t->started) {
		/* created and never started: nothing on its stack to unwind */
		t->state = TH_DEAD;
		send_to_reaper(t);
		return;
	}
	t->ast |= AST_TERMINATE;
	clear_wait(t, THREAD_INTERRUPTED);
	if (t->suspend_count > 0)
		thread_wakeup(&t->suspend_count);
}

/* thread_hold: one more suspension; takes effect at the user return. */
void thread_hold(thread_t t)
{
	t->suspend_count++;
	t->ast |= AST_SUSPEND;
	if (t == current_thread())
		ast_pending = 1;
}

/* thread_release: one less suspension; the last one lets t run. */
void thread_release(thread_t t)
{
	if (t->suspend_count == 0)
		return;
	if (--t->suspend_count > 0)
		return;
	t->ast &= ~AST_SUSPEND;
	if (!t->started) {
		t->started = true;	/* a new thread's first start */
		thread_setrun(t);
	} else
		thread_wakeup(&t->suspend_count);
}

/* thread_abort: interrupt t's interruptible wait. */
bool thread_abort_wait(thread_t t)
{
	return clear_wait(t, THREAD_INTERRUPTED);
}

/* thread_find: thread `id` of task, or NULL. */
thread_t thread_find(task_t task, int id)
{
	queue_foreach(l, &task->threads) {
		thread_t t = qlink_entry(l, struct thread, task_link);
		if (t->id == id)
			return t;
	}
	return NULL;
}

/*
 * ast_taken: on the way back to user mode with ast_pending set.  Acts on
 * termination, preemption and suspension of the current thread until
 * none is pending.  Interrupts off.
 */
void ast_taken(struct trapframe *tf __unused)
{
	thread_t self = current_thread();
	for (;;) {
		if (self->ast & AST_TERMINATE)
			thread_terminate_self();
		if (self->ast & AST_PREEMPT) {
			thread_yield();
			continue;
		}
		if (self->suspend_count > 0) {
			assert_wait(&self->suspend_count, THREAD_INTERRUPTIBLE);
			if (self->suspend_count > 0 && !(self->ast & AST_TERMINATE))
				thread_block();
			else
				clear_wait(self, THREAD_AWAKENED);
			continue;
		}
		self->ast &= ~AST_SUSPEND;
		break;
	}
	ast_pending = 0;
}

/* Free a dead thread: run in the reaper, never on t's own stack. */
static void thread_reap(thread_t t)
{
	task_t task = t->task;
	assert(t->state == TH_DEAD && t != current_thread());
	if (task != kernel_task)
		ipc_thread_terminate(t);
	lipc_thread_terminate(t);
	queue_remove(&t->task_link);
	task->thread_count--;
	queue_remove(&t->all_link);
	threads_alive--;
	thread_wakeup(t);		/* joiners */
	vm_page_free_contig(kvtophys(t->pcb.kstack), KSTACK_SIZE / PAGE_SIZE);
	zfree(&thread_zone, t);
	if (task != kernel_task && task->thread_count == 0 && !task->active)
		task_finish(task);
}

static void reaper_loop(void *arg __unused)
{
	for (;;) {
		lwkt_msg_t msg = lwkt_waitport(&reaper_port, NULL);
		thread_t t = container_of(msg, struct thread, reap_msg);
		lwkt_replymsg(msg, 0);	/* before the message's memory goes */
		thread_reap(t);
	}
}

/* reaper_start: the thread that frees dead threads and finished tasks. */
void reaper_start(void)
{
	reaper_thread = kernel_thread_create("reaper", reaper_loop, NULL, BASEPRI_KERNEL);
	lwkt_initport_thread(&reaper_port, reaper_thread);
	lwkt_initport_replyonly(&reaper_reply_port);
}

/* thread_print: one line for the debugger. */
void thread_print(thread_t t)
{
	printf("%c thread %3d %-16s task %3d %-5s pri %2d susp %d ast %x wait %p kstack %08lx\n",
	       t == current_thread() ? '*' : ' ', t->id, t->name,
	       t->task ? t->task->id : -1, state_names[t->state], t->priority,
	       t->suspend_count, t->ast, t->wait_event, (unsigned long)t->pcb.kstack);
}

/* thread_print_all: every thread. */
void thread_print_all(void)
{
	queue_foreach(l, &all_threads)
		thread_print(qlink_entry(l, struct thread, all_link));
}
