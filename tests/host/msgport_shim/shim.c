/*
 * Host shim: the kernel API that kern/msgport.c, kern/console_thread.c,
 * kern/msgport_bench.c and kern/msgport_test.c use, on pthreads.  See
 * shim.h for the model.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

#include <kern/types.h>
#include <kern/assert.h>
#include <kern/ktest.h>
#include <kern/spl.h>
#include <kern/msgport.h>
#include <machine/serial.h>
#include "shim.h"

struct thread {
	const char *name;
	int pri;
	int state;			/* SHIM_* */
	int baton;			/* this thread may run */
	int crit;			/* critical section depth */
	pthread_cond_t cv;
	pthread_t pt;
	int has_pt;
	void (*fn)(void *);
	void *arg;
	/* wait state */
	int wait_asserted;		/* assert_wait done, not yet woken */
	event_t wait_event;
	unsigned long wait_seq;		/* order of assert_wait, for wakeup_one */
	int has_deadline;
	uint64_t deadline;
	wait_result_t wait_result;
	struct thread *rq_next;
	struct thread *all_next;
};

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static struct thread *cur;
static struct thread *runq;		/* FIFO, picked by priority */
static struct thread *all;
static unsigned long seq;
static uint64_t ticks;
static int preempt_mode, need_resched;

static void shim_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void shim_fatal(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! shim: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	for (struct thread *t = all; t != NULL; t = t->all_next)
		printf("# thread %-12s pri %2d state %d event %p%s\n", t->name,
		       t->pri, t->state, t->wait_event,
		       t == cur ? " (current)" : "");
	fflush(stdout);
	__sanitizer_print_stack_trace();
	_exit(3);
}

/* ---------------------------------------------------------------- run queue */

static void rq_append(struct thread *t)
{
	struct thread **pp = &runq;

	while (*pp != NULL)
		pp = &(*pp)->rq_next;
	t->rq_next = NULL;
	*pp = t;
}

static void rq_push_front(struct thread *t)
{
	t->rq_next = runq;
	runq = t;
}

static struct thread *rq_take_best(void)
{
	struct thread **pp, **best = NULL;

	for (pp = &runq; *pp != NULL; pp = &(*pp)->rq_next)
		if (best == NULL || (*pp)->pri > (*best)->pri)
			best = pp;
	if (best == NULL)
		return NULL;
	struct thread *t = *best;
	*best = t->rq_next;
	t->rq_next = NULL;
	return t;
}

static int rq_best_pri(void)
{
	int p = -1;

	for (struct thread *t = runq; t != NULL; t = t->rq_next)
		if (t->pri > p)
			p = t->pri;
	return p;
}

/* Make a woken thread runnable.  G held. */
static void make_runnable(struct thread *t, wait_result_t r)
{
	t->wait_asserted = 0;
	t->has_deadline = 0;
	t->wait_result = r;
	if (t->state == SHIM_WAITING) {
		t->state = SHIM_RUNNABLE;
		rq_append(t);
		if (preempt_mode && cur != NULL && t->pri > cur->pri)
			need_resched = 1;
	}
}

/* Next thread to run; advances the virtual clock if all are blocked.  G held. */
static struct thread *pick_next(void)
{
	struct thread *t = rq_take_best();

	while (t == NULL) {
		struct thread *soon = NULL;

		for (struct thread *w = all; w != NULL; w = w->all_next)
			if (w->state == SHIM_WAITING && w->has_deadline &&
			    (soon == NULL || w->deadline < soon->deadline))
				soon = w;
		if (soon == NULL)
			shim_fatal("deadlock: every simulated thread is blocked");
		ticks = soon->deadline;
		make_runnable(soon, THREAD_TIMED_OUT);
		t = rq_take_best();
	}
	return t;
}

/* Hand the baton to next and wait to get it back.  G held. */
static void switch_to(struct thread *next)
{
	struct thread *self = cur;

	if (next == self)
		return;
	cur = next;
	next->baton = 1;
	pthread_cond_signal(&next->cv);
	if (self->state == SHIM_DEAD)
		return;
	self->baton = 0;
	while (!self->baton)
		pthread_cond_wait(&self->cv, &G);
}

/* Preempt mode: switch if a higher-priority thread became runnable.  G held. */
static void resched_if_needed(void)
{
	if (!need_resched || cur->crit != 0)
		return;
	need_resched = 0;
	if (rq_best_pri() <= cur->pri)
		return;
	rq_push_front(cur);
	switch_to(pick_next());
}

/* ---------------------------------------------------------------- threads */

static struct thread *thread_alloc(const char *name, int pri)
{
	struct thread *t = calloc(1, sizeof(*t));

	if (t == NULL)
		shim_fatal("out of memory");
	t->name = name;
	t->pri = pri;
	pthread_cond_init(&t->cv, NULL);
	t->all_next = all;
	all = t;
	return t;
}

void shim_init(void)
{
	pthread_mutex_lock(&G);
	cur = thread_alloc("main", 16);
	cur->baton = 1;
	cur->state = SHIM_RUNNABLE;
	pthread_mutex_unlock(&G);
}

void shim_reap(void)
{
	pthread_mutex_lock(&G);
	struct thread **pp = &all;
	while (*pp != NULL) {
		struct thread *t = *pp;
		if (t->state == SHIM_DEAD && t->has_pt) {
			*pp = t->all_next;
			pthread_mutex_unlock(&G);
			pthread_join(t->pt, NULL);
			pthread_mutex_lock(&G);
			pthread_cond_destroy(&t->cv);
			free(t);
		} else {
			pp = &t->all_next;
		}
	}
	pthread_mutex_unlock(&G);
}

void shim_set_preempt(int on)
{
	preempt_mode = on;
	need_resched = 0;
}

int shim_thread_state(thread_t td)
{
	return td->state;
}

event_t shim_thread_event(thread_t td)
{
	return td->state == SHIM_WAITING ? td->wait_event : NULL;
}

thread_t current_thread(void)
{
	return cur;
}

static void *thread_trampoline(void *arg)
{
	struct thread *self = arg;

	pthread_mutex_lock(&G);
	while (!self->baton)
		pthread_cond_wait(&self->cv, &G);
	pthread_mutex_unlock(&G);
	self->fn(self->arg);
	kernel_thread_exit();
}

thread_t kernel_thread_create(const char *name, void (*fn)(void *),
			      void *arg, int pri)
{
	pthread_mutex_lock(&G);
	struct thread *t = thread_alloc(name, pri);
	t->fn = fn;
	t->arg = arg;
	t->state = SHIM_RUNNABLE;
	if (pthread_create(&t->pt, NULL, thread_trampoline, t) != 0)
		shim_fatal("pthread_create failed");
	t->has_pt = 1;
	rq_append(t);
	if (preempt_mode && pri > cur->pri)
		need_resched = 1;
	resched_if_needed();
	pthread_mutex_unlock(&G);
	return t;
}

void kernel_thread_exit(void)
{
	pthread_mutex_lock(&G);
	if (cur->crit != 0)
		shim_fatal("thread %s exits inside a critical section", cur->name);
	if (!cur->has_pt)
		shim_fatal("main thread exits");
	cur->state = SHIM_DEAD;
	switch_to(pick_next());
	pthread_mutex_unlock(&G);
	pthread_exit(NULL);
}

/* ---------------------------------------------------------------- waiting */

void assert_wait(event_t ev, int interruptible)
{
	(void)interruptible;
	pthread_mutex_lock(&G);
	cur->wait_asserted = 1;
	cur->wait_event = ev;
	cur->wait_seq = ++seq;
	cur->has_deadline = 0;
	cur->wait_result = THREAD_AWAKENED;
	pthread_mutex_unlock(&G);
}

void assert_wait_timeout(event_t ev, int interruptible, uint64_t t)
{
	assert_wait(ev, interruptible);
	pthread_mutex_lock(&G);
	cur->has_deadline = 1;
	cur->deadline = ticks + t;
	pthread_mutex_unlock(&G);
}

wait_result_t thread_block(void)
{
	wait_result_t r;

	pthread_mutex_lock(&G);
	if (cur->crit != 0)
		shim_fatal("thread %s blocks inside a critical section", cur->name);
	if (cur->wait_asserted) {
		cur->state = SHIM_WAITING;
		switch_to(pick_next());
	}
	r = cur->wait_result;
	cur->wait_event = NULL;
	cur->wait_result = THREAD_AWAKENED;
	pthread_mutex_unlock(&G);
	return r;
}

/* Wake all (one == 0) or the earliest waiter on ev; returns how many. */
static int wakeup_common(event_t ev, int one, struct thread **woken)
{
	struct thread *best = NULL;
	int n = 0;

	pthread_mutex_lock(&G);
	for (struct thread *t = all; t != NULL; t = t->all_next) {
		if (!t->wait_asserted || t->wait_event != ev)
			continue;
		if (!one) {
			make_runnable(t, THREAD_AWAKENED);
			n++;
		} else if (best == NULL || t->wait_seq < best->wait_seq) {
			best = t;
		}
	}
	if (best != NULL) {
		make_runnable(best, THREAD_AWAKENED);
		n++;
	}
	if (woken != NULL)
		*woken = best;
	resched_if_needed();
	pthread_mutex_unlock(&G);
	return n;
}

int thread_wakeup(event_t ev)
{
	return wakeup_common(ev, 0, NULL);
}

struct thread *thread_wakeup_one(event_t ev)
{
	struct thread *t;

	(void)wakeup_common(ev, 1, &t);
	return t;
}

/* As the kernel's: yield to a runnable thread of at least equal priority. */
bool thread_yield(void)
{
	struct thread *next;

	pthread_mutex_lock(&G);
	if (cur->crit != 0)
		shim_fatal("thread %s yields inside a critical section", cur->name);
	if (rq_best_pri() < cur->pri) {
		pthread_mutex_unlock(&G);
		return false;
	}
	rq_append(cur);
	next = pick_next();
	switch_to(next);
	pthread_mutex_unlock(&G);
	return next != cur;
}

/* ---------------------------------------------------------------- crit */

void crit_enter(void)
{
	cur->crit++;
}

void crit_exit(void)
{
	if (cur->crit <= 0)
		shim_fatal("crit_exit without crit_enter in %s", cur->name);
	if (--cur->crit == 0 && need_resched) {
		pthread_mutex_lock(&G);
		resched_if_needed();
		pthread_mutex_unlock(&G);
	}
}

/* ---------------------------------------------------------------- panic */

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	__sanitizer_print_stack_trace();
	abort();
}

void panic_assert(const char *expr, const char *file, int line,
		  const char *func)
{
	panic("assertion \"%s\" failed at %s:%d in %s()", expr, file, line, func);
}

/* ---------------------------------------------------------------- cpus */

#define REMOTE_MAX 64

static struct remote_call {
	int cpu;
	void (*fn)(void *);
	void *arg;
} remote_q[REMOTE_MAX];
static int remote_n;
static int cur_cpu;
static unsigned long remote_total;

int lwkt_mycpu(void)
{
	return cur_cpu;
}

void lwkt_send_remote(int cpu, void (*fn)(void *), void *arg)
{
	if (cpu == cur_cpu)
		shim_fatal("lwkt_send_remote to the current cpu %d", cpu);
	if (remote_n == REMOTE_MAX)
		shim_fatal("remote queue full");
	remote_q[remote_n++] = (struct remote_call){ cpu, fn, arg };
	remote_total++;
}

void shim_set_cpu(int cpu)
{
	cur_cpu = cpu;
}

int shim_get_cpu(void)
{
	return cur_cpu;
}

int shim_remote_pending(int cpu)
{
	int n = 0;

	for (int i = 0; i < remote_n; i++)
		n += remote_q[i].cpu == cpu;
	return n;
}

int shim_remote_deliver(int cpu)
{
	int ran = 0, saved = cur_cpu;

	for (;;) {
		int i;

		for (i = 0; i < remote_n && remote_q[i].cpu != cpu; i++)
			;
		if (i == remote_n)
			break;
		struct remote_call c = remote_q[i];
		memmove(&remote_q[i], &remote_q[i + 1],
			(size_t)(remote_n - i - 1) * sizeof(remote_q[0]));
		remote_n--;
		cur_cpu = cpu;
		crit_enter();
		c.fn(c.arg);
		crit_exit();
		cur_cpu = saved;
		ran++;
	}
	return ran;
}

unsigned long shim_remote_sent(void)
{
	return remote_total;
}

/* ---------------------------------------------------------------- serial */

static char serial_buf[16384];
static size_t serial_len;

void serial_putc(int c)
{
	if (serial_len < sizeof(serial_buf) - 1)
		serial_buf[serial_len++] = (char)c;
	serial_buf[serial_len] = '\0';
}

const char *shim_serial_text(size_t *len)
{
	if (len != NULL)
		*len = serial_len;
	return serial_buf;
}

void shim_serial_reset(void)
{
	serial_len = 0;
	serial_buf[0] = '\0';
}

/* ---------------------------------------------------------------- ktest */

#define KTEST_MAX 64

static const struct ktest_desc *ktests[KTEST_MAX];
static int nktests;

void ktest_register(const struct ktest_desc *d)
{
	if (nktests == KTEST_MAX)
		shim_fatal("too many tests");
	ktests[nktests++] = d;
}

int ktest_registered(const struct ktest_desc ***list)
{
	*list = ktests;
	return nktests;
}

bool kt_check(struct ktest *kt, bool cond, const char *fmt, ...)
{
	va_list ap;

	kt->checks++;
	if (!cond)
		kt->failed++;
	printf("    %sok %d - ", cond ? "" : "not ", kt->checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

void kt_fail(struct ktest *kt, const char *fmt, ...)
{
	va_list ap;

	kt->checks++;
	kt->failed++;
	printf("    not ok %d - ", kt->checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
