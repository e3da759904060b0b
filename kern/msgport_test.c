/*
 * Kernel self-tests of LWKT message ports and the console service.
 *
 * Each test drives one part of the state machine in msgport.h and checks
 * the message flags, queues, results and who ran what.  White-box tests
 * use ports owned by the test thread itself, so every step is
 * deterministic; the others use helper threads at TEST_HELPER_PRI (above
 * the self-test thread's 16), which therefore run whenever the test thread
 * yields or blocks.  Nothing here depends on timing, nor on whether a
 * wakeup switches to the woken thread at once.  Objects shared with helper
 * threads are static so a failing test cannot leave a helper pointing into
 * a dead stack frame.
 */
#include <kern/types.h>
#include <kern/msgport.h>
#include <kern/console_thread.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>
#include <kern/ktest.h>
#include <kern/printf.h>

#define TEST_HELPER_PRI	20

#define CMD_WORK	10	/* server replies ms_cmd + 1000 */
#define CMD_HOLD	11	/* server keeps the message until aborted */
#define CMD_ABORT	12	/* abort command of abortable test messages */
#define CMD_QUIT	13	/* server replies and exits */

#define SETTLE_YIELDS	200

/* Yield (bounded) until cond holds, letting helper threads run. */
#define SETTLE(cond)							\
	do {								\
		for (int settle_i_ = 0;					\
		     settle_i_ < SETTLE_YIELDS && !(cond); settle_i_++)	\
			thread_yield();					\
	} while (0)

/* Sleep until *flag is set (by a thread that also wakes flag). */
static void wait_flag(volatile int *flag)
{
	while (!*flag) {
		assert_wait((event_t)flag, THREAD_UNINT);
		(void)thread_block();
	}
}

static void set_flag(volatile int *flag)
{
	*flag = 1;
	thread_wakeup((event_t)flag);
}

static bool flags_are(lwkt_msg_t m, uint32_t set, uint32_t clear)
{
	return (m->ms_flags & set) == set && (m->ms_flags & clear) == 0;
}

/*
 * Dequeue from port, checking that want comes out.  Returns it, or NULL
 * (after a failed check) so the caller can stop before misusing a message.
 */
static lwkt_msg_t take(struct ktest *kt, lwkt_port_t port, lwkt_msg_t want,
		       const char *what)
{
	lwkt_msg_t got = lwkt_getport(port);

	if (!KT_CHECK(kt, got == want, "%s", what))
		return NULL;
	return got;
}

/* ------------------------------------------------------------ test server */

/*
 * A server thread with a thread port.  CMD_WORK is replied ms_cmd + 1000
 * (cmd is logged), CMD_HOLD is kept (s->held) until its abort receipt,
 * which is replied LWKT_EINTR, CMD_QUIT is replied and ends the thread.
 */
struct srv {
	struct lwkt_port port;
	thread_t td;
	volatile int ready;
	volatile int gone;
	int served;
	int aborts;
	lwkt_msg_t volatile held;
	thread_t last_td;		/* thread that served the last request */
	int nlog;
	int log[128];
};

static void srv_main(void *arg)
{
	struct srv *s = arg;
	bool quit = false;

	lwkt_initport_thread(&s->port, current_thread());
	s->td = current_thread();
	set_flag(&s->ready);
	while (!quit) {
		lwkt_msg_t m = lwkt_waitport(&s->port, NULL);

		s->served++;
		s->last_td = current_thread();
		switch (m->ms_cmd) {
		case CMD_QUIT:
			quit = true;
			lwkt_replymsg(m, LWKT_OK);
			break;
		case CMD_HOLD:
			s->held = m;
			thread_wakeup((event_t)&s->held);
			break;
		case CMD_ABORT:
			s->aborts++;
			if (s->held == m)
				s->held = NULL;
			lwkt_replymsg(m, LWKT_EINTR);
			break;
		default:
			if (s->nlog < (int)(sizeof(s->log) / sizeof(s->log[0])))
				s->log[s->nlog++] = m->ms_cmd;
			lwkt_replymsg(m, m->ms_cmd + 1000);
			break;
		}
	}
	set_flag(&s->gone);
	kernel_thread_exit();
}

/* Start s; returns false (after a failed check) if it did not come up. */
static bool srv_start(struct ktest *kt, struct srv *s)
{
	s->ready = 0;
	s->gone = 0;
	s->served = 0;
	s->aborts = 0;
	s->held = NULL;
	s->last_td = NULL;
	s->nlog = 0;
	if (kernel_thread_create("lwkt_test_srv", srv_main, s,
				 TEST_HELPER_PRI) == NULL) {
		kt_fail(kt, "kernel_thread_create for the test server");
		return false;
	}
	SETTLE(s->ready);
	return KT_CHECK(kt, s->ready, "test server is up");
}

static void srv_stop(struct ktest *kt, struct srv *s)
{
	static struct lwkt_port rp;
	static struct lwkt_msg q;

	lwkt_initport_replyonly(&rp);
	lwkt_initmsg(&q, &rp, CMD_QUIT);
	(void)lwkt_domsg(&s->port, &q);
	SETTLE(s->gone);
	KT_CHECK(kt, s->gone, "test server exited");
}

/* ------------------------------------------------------------ in place */

static int inplace_calls;
static thread_t inplace_td;

/* Put function of a put-only port: handles every request on the spot. */
static int inplace_put(lwkt_port_t port __unused, lwkt_msg_t msg)
{
	inplace_calls++;
	inplace_td = current_thread();
	return msg->ms_cmd + 100;
}

KTEST(msgport_domsg_in_place)
{
	struct lwkt_port svc, rp;
	struct lwkt_msg m;
	lwkt_msg_t got;
	int r;

	lwkt_initport_putonly(&svc, inplace_put);
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg(&m, &rp, 7);
	inplace_calls = 0;
	inplace_td = NULL;
	r = lwkt_domsg(&svc, &m);
	KT_CHECK(kt, r == 107, "domsg returns the in-place result (%d)", r);
	KT_CHECK(kt, inplace_calls == 1 && inplace_td == current_thread(),
		 "served once, in the sender's thread (%d calls)", inplace_calls);
	KT_CHECK(kt, flags_are(&m, MSGF_DONE, MSGF_QUEUED) && m.ms_error == 107,
		 "message idle again, ms_error set (flags 0x%x)",
		 (unsigned)m.ms_flags);
	KT_CHECK(kt, lwkt_port_peek(&rp) == NULL,
		 "a sync message leaves nothing on the reply port");

	lwkt_initmsg(&m, &rp, 8);
	lwkt_sendmsg(&svc, &m);
	KT_CHECK(kt, flags_are(&m, MSGF_DONE | MSGF_QUEUED | MSGF_REPLY2, 0) &&
		 lwkt_port_peek(&rp) == &m,
		 "sendmsg handled in place: reply still queued on the reply port");
	got = lwkt_getport(&rp);
	KT_CHECK(kt, got == &m && m.ms_error == 108 &&
		 flags_are(&m, MSGF_DONE, MSGF_QUEUED),
		 "reply collected with the in-place result (%d)", m.ms_error);
	KT_CHECK(kt, lwkt_getport(&rp) == NULL, "reply port empty again");
}

/* ------------------------------------------------------------ sync, server */

KTEST(msgport_domsg_thread_server)
{
	static struct srv s;
	static struct lwkt_port rp, tp;
	static struct lwkt_msg m;
	int r;

	if (!srv_start(kt, &s))
		return;
	lwkt_initport_replyonly(&rp);
	lwkt_initmsg(&m, &rp, 5);
	r = lwkt_domsg(&s.port, &m);
	KT_CHECK(kt, r == 1005 && m.ms_error == 1005,
		 "domsg to a server thread returns its reply (%d)", r);
	KT_CHECK(kt, s.served == 1 && s.last_td == s.td &&
		 s.td != current_thread(), "served once, by the server thread");
	KT_CHECK(kt, flags_are(&m, MSGF_DONE | MSGF_REPLY1 | MSGF_REPLY2,
			       MSGF_QUEUED | MSGF_ASYNC | MSGF_SLEEPER),
		 "message idle after domsg (flags 0x%x)", (unsigned)m.ms_flags);

	/* The same message again, now with a thread port as reply port. */
	lwkt_initport_thread(&tp, current_thread());
	lwkt_initmsg(&m, &tp, 6);
	r = lwkt_domsg(&s.port, &m);
	KT_CHECK(kt, r == 1006 && lwkt_port_peek(&tp) == NULL,
		 "domsg with a thread reply port: %d, nothing queued", r);
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ async */

KTEST(msgport_async_queued_then_replied)
{
	struct lwkt_port tp, rp;
	struct lwkt_msg m;
	lwkt_msg_t got;

	lwkt_initport_thread(&tp, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg(&m, &rp, 3);
	lwkt_sendmsg(&tp, &m);
	KT_CHECK(kt, flags_are(&m, MSGF_QUEUED | MSGF_ASYNC,
			       MSGF_DONE | MSGF_RETRIEVED) &&
		 m.ms_target_port == &tp && lwkt_port_peek(&tp) == &m &&
		 !lwkt_checkmsg(&m),
		 "sent: queued on the target, not done (flags 0x%x)",
		 (unsigned)m.ms_flags);
	got = lwkt_getport(&tp);
	if (!KT_CHECK(kt, got == &m &&
		      flags_are(&m, MSGF_RETRIEVED, MSGF_QUEUED) &&
		      lwkt_port_peek(&tp) == NULL,
		      "retrieved by the target (flags 0x%x)", (unsigned)m.ms_flags))
		return;
	lwkt_replymsg(&m, 42);
	KT_CHECK(kt, flags_are(&m, MSGF_DONE | MSGF_QUEUED | MSGF_REPLY1 |
			       MSGF_REPLY2, 0) && lwkt_port_peek(&rp) == &m,
		 "replied: done and queued on the reply port (flags 0x%x)",
		 (unsigned)m.ms_flags);
	got = lwkt_getport(&rp);
	KT_CHECK(kt, got == &m && m.ms_error == 42 &&
		 flags_are(&m, MSGF_DONE, MSGF_QUEUED) &&
		 lwkt_getport(&rp) == NULL,
		 "reply collected once with its result (%d)", m.ms_error);

	/* Collect with lwkt_waitmsg instead: it dequeues the reply. */
	lwkt_sendmsg(&tp, &m);
	if ((got = take(kt, &tp, &m, "sent again and retrieved")) == NULL)
		return;
	lwkt_replymsg(got, 43);
	KT_CHECK(kt, lwkt_waitmsg(&m) == 43 && lwkt_port_peek(&rp) == NULL &&
		 flags_are(&m, MSGF_DONE, MSGF_QUEUED),
		 "waitmsg collects a queued reply");
}

KTEST(msgport_async_to_server)
{
	static struct srv s;
	static struct lwkt_port rp;
	static struct lwkt_msg m[2];
	lwkt_msg_t a, b;

	if (!srv_start(kt, &s))
		return;
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg(&m[0], &rp, 1);
	lwkt_initmsg(&m[1], &rp, 2);
	lwkt_sendmsg(&s.port, &m[0]);
	lwkt_sendmsg(&s.port, &m[1]);
	KT_CHECK(kt, s.served == 0 || s.served == 2,
		 "sendmsg does not wait for the server");
	a = lwkt_waitport(&rp, NULL);
	b = lwkt_waitport(&rp, NULL);
	KT_CHECK(kt, a == &m[0] && b == &m[1] && a->ms_error == 1001 &&
		 b->ms_error == 1002,
		 "both replies come back to the reply port in order");
	KT_CHECK(kt, lwkt_getport(&rp) == NULL && rp.mp_nwaiters == 0 &&
		 (rp.mp_flags & MSGPORTF_WAITING) == 0,
		 "reply port empty, no waiter left");
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ forward */

KTEST(msgport_forward)
{
	static struct srv s;
	struct lwkt_port a, b, rp, svc;
	struct lwkt_msg m;
	lwkt_msg_t got;
	int r;

	lwkt_initport_thread(&a, current_thread());
	lwkt_initport_thread(&b, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg(&m, &rp, 4);
	lwkt_sendmsg(&a, &m);
	if ((got = take(kt, &a, &m, "first target retrieves it")) == NULL)
		return;
	r = lwkt_forwardmsg(&b, got);
	KT_CHECK(kt, r == LWKT_EASYNC && m.ms_target_port == &b &&
		 flags_are(&m, MSGF_QUEUED, MSGF_RETRIEVED | MSGF_DONE),
		 "forwarded: queued on the second port (flags 0x%x)",
		 (unsigned)m.ms_flags);
	KT_CHECK(kt, lwkt_port_peek(&a) == NULL && lwkt_port_peek(&b) == &m,
		 "first port empty, second holds it");
	got = lwkt_getport(&b);
	if (!KT_CHECK(kt, got == &m && (m.ms_flags & MSGF_RETRIEVED),
		      "second target retrieves it"))
		return;
	lwkt_replymsg(got, 9);
	got = lwkt_getport(&rp);
	KT_CHECK(kt, got == &m && m.ms_error == 9,
		 "second target's reply reaches the originator's port");

	/* Forward to a port that handles it in place: replied at once. */
	lwkt_initport_putonly(&svc, inplace_put);
	lwkt_sendmsg(&a, &m);
	if ((got = take(kt, &a, &m, "retrieved again")) == NULL)
		return;
	r = lwkt_forwardmsg(&svc, got);
	KT_CHECK(kt, r == 104 && lwkt_getport(&rp) == &m && m.ms_error == 104,
		 "forward to an in-place port replies its result (%d)", r);

	/* Forward across threads: to the server, then wait for its reply. */
	if (!srv_start(kt, &s))
		return;
	lwkt_initmsg(&m, &rp, 50);
	lwkt_sendmsg(&a, &m);
	if ((got = take(kt, &a, &m, "retrieved for the server")) == NULL) {
		srv_stop(kt, &s);
		return;
	}
	r = lwkt_forwardmsg(&s.port, got);
	KT_CHECK(kt, r == LWKT_EASYNC, "forwarded to a server thread");
	r = lwkt_waitmsg(&m);
	KT_CHECK(kt, r == 1050 && s.served == 1 && s.last_td == s.td,
		 "answered by the server thread (%d)", r);
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ aborts */

KTEST(msgport_abort_queued)
{
	struct lwkt_port tp, rp;
	struct lwkt_msg m, n;

	lwkt_initport_thread(&tp, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&tp, &m);
	lwkt_abortmsg(&m);
	KT_CHECK(kt, lwkt_port_peek(&tp) == NULL,
		 "aborted before retrieval: gone from the target's queue");
	KT_CHECK(kt, flags_are(&m, MSGF_DONE | MSGF_ABORTED | MSGF_QUEUED,
			       MSGF_RETRIEVED) &&
		 m.ms_error == LWKT_EINTR && m.ms_abort_port == NULL,
		 "replied LWKT_EINTR (error %d flags 0x%x)", m.ms_error,
		 (unsigned)m.ms_flags);
	KT_CHECK(kt, m.ms_cmd == CMD_WORK && lwkt_getport(&rp) == &m &&
		 lwkt_getport(&rp) == NULL,
		 "the target never saw it; one reply on the reply port");

	/* A message that is not abortable is left alone. */
	lwkt_initmsg(&n, &rp, CMD_WORK);
	lwkt_sendmsg(&tp, &n);
	lwkt_abortmsg(&n);
	KT_CHECK(kt, lwkt_port_peek(&tp) == &n &&
		 flags_are(&n, MSGF_QUEUED, MSGF_ABORTED | MSGF_DONE),
		 "abort of a non-abortable message is a no-op");
	if (take(kt, &tp, &n, "the target gets it") == NULL)
		return;
	lwkt_replymsg(&n, LWKT_OK);
	KT_CHECK(kt, lwkt_getport(&rp) == &n, "it completes normally");
}

KTEST(msgport_abort_in_progress)
{
	struct lwkt_port tp, rp;
	struct lwkt_msg m;
	lwkt_msg_t got;

	lwkt_initport_thread(&tp, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&tp, &m);
	got = lwkt_getport(&tp);
	if (!KT_CHECK(kt, got == &m && got->ms_cmd == CMD_WORK,
		      "first receipt carries the command"))
		return;
	lwkt_abortmsg(&m);
	KT_CHECK(kt, lwkt_port_peek(&tp) == &m &&
		 flags_are(&m, MSGF_QUEUED | MSGF_ABORTED | MSGF_RETRIEVED,
			   MSGF_DONE | MSGF_REPLY1),
		 "abort of a retrieved message requeues it on the target "
		 "(flags 0x%x)", (unsigned)m.ms_flags);
	lwkt_abortmsg(&m);
	KT_CHECK(kt, lwkt_port_peek(&tp) == &m && m.ms_next == NULL,
		 "a second abort changes nothing");
	got = lwkt_getport(&tp);
	if (!KT_CHECK(kt, got == &m && m.ms_cmd == CMD_ABORT &&
		      lwkt_port_peek(&tp) == NULL,
		      "second receipt carries the abort command (%d)", m.ms_cmd))
		return;
	lwkt_replymsg(got, LWKT_EINTR);
	KT_CHECK(kt, lwkt_getport(&rp) == &m && m.ms_error == LWKT_EINTR &&
		 lwkt_getport(&rp) == NULL, "exactly one reply, LWKT_EINTR");

	/* The target replies before it looks at the abort receipt. */
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&tp, &m);
	if ((got = take(kt, &tp, &m, "retrieved again")) == NULL)
		return;
	lwkt_abortmsg(&m);
	lwkt_replymsg(got, 5);
	KT_CHECK(kt, lwkt_port_peek(&tp) == NULL && m.ms_cmd == CMD_WORK,
		 "replying takes the abort receipt back off the target");
	KT_CHECK(kt, lwkt_getport(&rp) == &m && m.ms_error == 5 &&
		 lwkt_getport(&rp) == NULL, "one reply, with the target's result");
}

static struct srv abort_srv;
static volatile int aborter_done;

/* Helper: wait until the server holds a message, then abort it. */
static void aborter_main(void *arg __unused)
{
	while (abort_srv.held == NULL) {
		assert_wait((event_t)&abort_srv.held, THREAD_UNINT);
		(void)thread_block();
	}
	lwkt_abortmsg(abort_srv.held);
	set_flag(&aborter_done);
	kernel_thread_exit();
}

KTEST(msgport_abort_wakes_server)
{
	static struct lwkt_port rp;
	static struct lwkt_msg m;
	int r;

	/* The originator sleeps in domsg; another thread aborts. */
	if (!srv_start(kt, &abort_srv))
		return;
	aborter_done = 0;
	if (kernel_thread_create("lwkt_test_abort", aborter_main, NULL,
				 TEST_HELPER_PRI) == NULL) {
		kt_fail(kt, "kernel_thread_create for the aborter");
		return;
	}
	lwkt_initport_replyonly(&rp);
	lwkt_initmsg_abortable(&m, &rp, CMD_HOLD, CMD_ABORT);
	r = lwkt_domsg(&abort_srv.port, &m);
	KT_CHECK(kt, r == LWKT_EINTR && m.ms_cmd == CMD_ABORT,
		 "domsg of a held message returns LWKT_EINTR after the abort "
		 "(%d)", r);
	KT_CHECK(kt, abort_srv.aborts == 1 && abort_srv.served == 2 &&
		 abort_srv.held == NULL,
		 "the server saw the message twice, the second time as the "
		 "abort (%d receipts)", abort_srv.served);
	SETTLE(aborter_done);
	KT_CHECK(kt, aborter_done, "aborter finished");
	srv_stop(kt, &abort_srv);
}

KTEST(msgport_abort_forwarded)
{
	struct lwkt_port a, b, rp;
	struct lwkt_msg m;
	lwkt_msg_t got;
	int r;

	lwkt_initport_thread(&a, current_thread());
	lwkt_initport_thread(&b, current_thread());
	lwkt_initport_thread(&rp, current_thread());

	/* Forwarded, still queued on the second port. */
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&a, &m);
	if (take(kt, &a, &m, "first target retrieves it") == NULL)
		return;
	(void)lwkt_forwardmsg(&b, &m);
	lwkt_abortmsg(&m);
	KT_CHECK(kt, lwkt_port_peek(&a) == NULL && lwkt_port_peek(&b) == NULL,
		 "abort chased to the second port and took it off its queue");
	KT_CHECK(kt, lwkt_getport(&rp) == &m && m.ms_error == LWKT_EINTR &&
		 (m.ms_flags & MSGF_ABORTED), "replied LWKT_EINTR");

	/* Forwarded and retrieved there: the second port sees the abort. */
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&a, &m);
	if (take(kt, &a, &m, "first target retrieves it again") == NULL)
		return;
	(void)lwkt_forwardmsg(&b, &m);
	if (take(kt, &b, &m, "second target retrieves it") == NULL)
		return;
	lwkt_abortmsg(&m);
	KT_CHECK(kt, lwkt_port_peek(&a) == NULL && lwkt_port_peek(&b) == &m,
		 "abort receipt queued on the port it was forwarded to");
	got = lwkt_getport(&b);
	if (!KT_CHECK(kt, got == &m && m.ms_cmd == CMD_ABORT,
		      "the second target sees the abort command"))
		return;
	lwkt_replymsg(got, LWKT_EINTR);
	KT_CHECK(kt, lwkt_getport(&rp) == &m && lwkt_getport(&rp) == NULL,
		 "one reply");

	/* Abort reached the first target, which then forwards: no forward. */
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&a, &m);
	if ((got = take(kt, &a, &m, "retrieved a third time")) == NULL)
		return;
	lwkt_abortmsg(&m);
	r = lwkt_forwardmsg(&b, got);
	KT_CHECK(kt, r == LWKT_EINTR && lwkt_port_peek(&a) == NULL &&
		 lwkt_port_peek(&b) == NULL,
		 "forwarding an aborted message replies LWKT_EINTR instead");
	KT_CHECK(kt, lwkt_getport(&rp) == &m && m.ms_error == LWKT_EINTR,
		 "and the originator gets that reply");
}

KTEST(msgport_abort_after_reply)
{
	static struct srv s;
	struct lwkt_port tp, rp, ro;
	struct lwkt_msg m;
	uint32_t before;

	lwkt_initport_thread(&tp, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg_abortable(&m, &rp, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&tp, &m);
	if (take(kt, &tp, &m, "the target gets it") == NULL)
		return;
	lwkt_replymsg(&m, 77);
	before = m.ms_flags;
	lwkt_abortmsg(&m);
	KT_CHECK(kt, m.ms_flags == before && m.ms_error == 77 &&
		 m.ms_cmd == CMD_WORK && m.ms_abort_port == NULL,
		 "abort after the reply changes nothing (flags 0x%x)",
		 (unsigned)m.ms_flags);
	KT_CHECK(kt, lwkt_port_peek(&tp) == NULL && lwkt_getport(&rp) == &m &&
		 lwkt_getport(&rp) == NULL, "the one reply stays put");

	/* After a completed domsg, and on an idle message. */
	if (!srv_start(kt, &s))
		return;
	lwkt_initport_replyonly(&ro);
	lwkt_initmsg_abortable(&m, &ro, CMD_WORK, CMD_ABORT);
	(void)lwkt_domsg(&s.port, &m);
	before = m.ms_flags;
	lwkt_abortmsg(&m);
	KT_CHECK(kt, m.ms_flags == before && m.ms_error == 1000 + CMD_WORK &&
		 s.aborts == 0, "abort after domsg returned is a no-op");
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ waiting */

KTEST(msgport_waitport_blocks)
{
	static struct srv s;
	static struct lwkt_port rp;
	static struct lwkt_msg m;
	lwkt_msg_t got;

	if (!srv_start(kt, &s))
		return;
	SETTLE(s.port.mp_nwaiters == 1);
	KT_CHECK(kt, s.served == 0 && s.port.mp_nwaiters == 1 &&
		 (s.port.mp_flags & MSGPORTF_WAITING),
		 "idle server sleeps in waitport (waiters %d)",
		 s.port.mp_nwaiters);

	lwkt_initport_thread(&rp, current_thread());
	lwkt_initmsg(&m, &rp, 21);
	lwkt_sendmsg(&s.port, &m);
	got = lwkt_waitport(&rp, NULL);
	KT_CHECK(kt, got == &m && m.ms_error == 1021 && s.served == 1,
		 "a message wakes the server; our waitport wakes on its reply");
	KT_CHECK(kt, rp.mp_nwaiters == 0 && !(rp.mp_flags & MSGPORTF_WAITING),
		 "our port no longer marked waiting");
	SETTLE(s.port.mp_nwaiters == 1);
	KT_CHECK(kt, s.port.mp_nwaiters == 1, "server sleeps again");

	/* Waiting for one particular message with a thread reply port. */
	lwkt_initmsg(&m, &rp, 22);
	lwkt_sendmsg(&s.port, &m);
	KT_CHECK(kt, lwkt_waitmsg(&m) == 1022 && lwkt_port_peek(&rp) == NULL &&
		 !(m.ms_flags & MSGF_SLEEPER), "waitmsg sleeps until the reply");
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ FIFO */

#define FIFO_N 100

KTEST(msgport_fifo_100)
{
	static struct srv s;
	static struct lwkt_port tp, rp;
	static struct lwkt_msg ms[FIFO_N];
	int bad = 0, i;

	lwkt_initport_thread(&tp, current_thread());
	lwkt_initport_thread(&rp, current_thread());
	for (i = 0; i < FIFO_N; i++) {
		lwkt_initmsg(&ms[i], &rp, i);
		lwkt_sendmsg(&tp, &ms[i]);
	}
	for (i = 0; i < FIFO_N; i++) {
		lwkt_msg_t m = lwkt_getport(&tp);
		if (m != &ms[i])
			bad++;
		if (m != NULL)
			lwkt_replymsg(m, i);
	}
	KT_CHECK(kt, bad == 0 && lwkt_getport(&tp) == NULL,
		 "target dequeues %d messages in send order (%d out of place)",
		 FIFO_N, bad);
	bad = 0;
	for (i = 0; i < FIFO_N; i++) {
		lwkt_msg_t m = lwkt_getport(&rp);
		if (m != &ms[i] || m->ms_error != i)
			bad++;
	}
	KT_CHECK(kt, bad == 0 && lwkt_getport(&rp) == NULL,
		 "replies come back in reply order (%d out of place)", bad);

	/* Through a server thread. */
	if (!srv_start(kt, &s))
		return;
	for (i = 0; i < FIFO_N; i++) {
		lwkt_initmsg(&ms[i], &rp, 2000 + i);
		lwkt_sendmsg(&s.port, &ms[i]);
	}
	bad = 0;
	for (i = 0; i < FIFO_N; i++) {
		lwkt_msg_t m = lwkt_waitport(&rp, NULL);
		if (m != &ms[i] || m->ms_error != 3000 + i)
			bad++;
	}
	for (i = 0; i < FIFO_N && i < s.nlog; i++)
		if (s.log[i] != 2000 + i)
			bad++;
	KT_CHECK(kt, bad == 0 && s.nlog == FIFO_N,
		 "server got %d of %d in order; replies in order (%d bad)",
		 s.nlog, FIFO_N, bad);
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ spin port */

struct spin_msg {
	struct lwkt_msg sm_msg;
	int sm_who;			/* set by the waiter that served it */
};

static struct lwkt_port spin_port;
static volatile int spin_gate;

struct spin_waiter {
	int who;
	int count;
	volatile int gone;
};
static struct spin_waiter spin_w[2];

/* Serve one work message, wait at the gate, then serve until CMD_QUIT. */
static void spin_waiter_main(void *arg)
{
	struct spin_waiter *w = arg;
	bool gated = false;

	for (;;) {
		lwkt_msg_t m = lwkt_waitport(&spin_port, NULL);
		struct spin_msg *sm = container_of(m, struct spin_msg, sm_msg);
		int cmd = m->ms_cmd;

		sm->sm_who = w->who;
		w->count++;
		lwkt_replymsg(m, LWKT_OK);
		if (cmd == CMD_QUIT)
			break;
		if (!gated) {
			gated = true;
			wait_flag(&spin_gate);
		}
	}
	set_flag(&w->gone);
	kernel_thread_exit();
}

KTEST(msgport_spin_two_waiters)
{
	static struct lwkt_port rp;
	static struct spin_msg sm[4];
	lwkt_msg_t a, b;
	int i;

	lwkt_initport_spin(&spin_port);
	lwkt_initport_thread(&rp, current_thread());
	spin_gate = 0;
	for (i = 0; i < 2; i++) {
		spin_w[i].who = i + 1;
		spin_w[i].count = 0;
		spin_w[i].gone = 0;
		if (kernel_thread_create("lwkt_test_spin", spin_waiter_main,
					 &spin_w[i], TEST_HELPER_PRI) == NULL) {
			kt_fail(kt, "kernel_thread_create for waiter %d", i);
			return;
		}
	}
	SETTLE(spin_port.mp_nwaiters == 2);
	KT_CHECK(kt, spin_port.mp_nwaiters == 2 &&
		 (spin_port.mp_flags & MSGPORTF_WAITING),
		 "two threads sleep on the spin port (%d)", spin_port.mp_nwaiters);
	KT_CHECK(kt, lwkt_getport(&spin_port) == NULL,
		 "a non-owner may poll a spin port");

	for (i = 0; i < 2; i++) {
		lwkt_initmsg(&sm[i].sm_msg, &rp, CMD_WORK);
		sm[i].sm_who = 0;
		lwkt_sendmsg(&spin_port, &sm[i].sm_msg);
	}
	a = lwkt_waitport(&rp, NULL);
	b = lwkt_waitport(&rp, NULL);
	KT_CHECK(kt, a != b && spin_w[0].count == 1 && spin_w[1].count == 1,
		 "each waiter got one message (%d, %d)", spin_w[0].count,
		 spin_w[1].count);
	KT_CHECK(kt, sm[0].sm_who != 0 && sm[1].sm_who != 0 &&
		 sm[0].sm_who != sm[1].sm_who,
		 "served by two different threads (%d, %d)", sm[0].sm_who,
		 sm[1].sm_who);

	set_flag(&spin_gate);
	SETTLE(spin_port.mp_nwaiters == 2);
	for (i = 2; i < 4; i++) {
		lwkt_initmsg(&sm[i].sm_msg, &rp, CMD_QUIT);
		lwkt_sendmsg(&spin_port, &sm[i].sm_msg);
	}
	(void)lwkt_waitport(&rp, NULL);
	(void)lwkt_waitport(&rp, NULL);
	SETTLE(spin_w[0].gone && spin_w[1].gone);
	KT_CHECK(kt, spin_w[0].gone && spin_w[1].gone &&
		 spin_w[0].count == 2 && spin_w[1].count == 2 &&
		 spin_port.mp_nwaiters == 0,
		 "after the gate each took one quit and exited");
}

/* ------------------------------------------------------------ reply-only */

KTEST(msgport_replyonly)
{
	static struct srv s;
	struct lwkt_port ro, tp, q;
	struct lwkt_msg m;
	int r;

	lwkt_initport_replyonly(&ro);
	lwkt_initport_thread(&tp, current_thread());
	lwkt_initmsg(&m, &ro, 3);
	lwkt_sendmsg(&tp, &m);
	if (take(kt, &tp, &m, "the target gets it") == NULL)
		return;
	lwkt_replymsg(&m, 33);
	KT_CHECK(kt, flags_are(&m, MSGF_DONE | MSGF_REPLY2, MSGF_QUEUED) &&
		 lwkt_port_peek(&ro) == NULL && lwkt_checkmsg(&m),
		 "async reply to a reply-only port: done, nothing queued "
		 "(flags 0x%x)", (unsigned)m.ms_flags);
	KT_CHECK(kt, lwkt_waitmsg(&m) == 33, "waitmsg returns at once");

	lwkt_initmsg(&m, &tp, 1);
	r = lwkt_domsg(&ro, &m);
	KT_CHECK(kt, r == LWKT_EOPNOTSUPP && lwkt_checkmsg(&m),
		 "a request to a reply-only port fails (%d)", r);
	lwkt_initport_thread(&q, current_thread());
	lwkt_initmsg(&m, &q, 1);
	lwkt_sendmsg(&ro, &m);
	KT_CHECK(kt, lwkt_getport(&q) == &m && m.ms_error == LWKT_EOPNOTSUPP,
		 "sent async, the failure comes back as a reply");

	if (!srv_start(kt, &s))
		return;
	lwkt_initmsg(&m, &ro, 7);
	r = lwkt_domsg(&s.port, &m);
	KT_CHECK(kt, r == 1007 && lwkt_port_peek(&ro) == NULL,
		 "domsg with a reply-only reply port (%d)", r);
	srv_stop(kt, &s);
}

/* ------------------------------------------------------------ console */

static volatile int cwriter_gone[2];

static void cwriter_main(void *arg)
{
	int who = (int)(uintptr_t)arg;
	char line[64];

	for (int i = 0; i < 3; i++) {
		int n = snprintf(line, sizeof(line),
				 "# console_thread: writer %d line %d\n", who, i);
		console_write(line, (size_t)n);
		thread_yield();
	}
	set_flag(&cwriter_gone[who]);
	kernel_thread_exit();
}

KTEST(console_thread_service)
{
	static const char hello[] = "# console_thread: self-test line\n";
	static struct lwkt_port rp;
	static struct console_msg cm;
	unsigned before;
	int r;

	if (!KT_CHECK(kt, console_thread_running(),
		      "console thread started at boot"))
		return;
	before = console_thread_served();
	console_write(hello, sizeof(hello) - 1);
	KT_CHECK(kt, console_thread_served() == before + 1,
		 "console_write went through the service thread");

	for (int i = 0; i < 2; i++) {
		cwriter_gone[i] = 0;
		if (kernel_thread_create("lwkt_test_cw", cwriter_main,
					 (void *)(uintptr_t)i,
					 TEST_HELPER_PRI) == NULL) {
			kt_fail(kt, "kernel_thread_create for writer %d", i);
			return;
		}
	}
	SETTLE(cwriter_gone[0] && cwriter_gone[1]);
	KT_CHECK(kt, cwriter_gone[0] && cwriter_gone[1] &&
		 console_thread_served() == before + 7,
		 "two writers, six lines, each one request (%u served)",
		 console_thread_served() - before);

	lwkt_initport_replyonly(&rp);
	lwkt_initmsg(&cm.cm_msg, &rp, 999);
	cm.cm_buf = "x";
	cm.cm_len = 1;
	cm.cm_done = 7;
	r = lwkt_domsg(console_thread_port(), &cm.cm_msg);
	KT_CHECK(kt, r == LWKT_EINVAL && cm.cm_done == 0,
		 "unknown command is refused (%d)", r);
}

/* ------------------------------------------------------------ bench */

KTEST(msgport_bench_smoke)
{
	uint32_t rt = lwkt_bench_domsg_rt(16);

	KT_CHECK(kt, rt > 0, "lwkt_bench_domsg_rt(16) measured %u per trip",
		 (unsigned)rt);
	KT_CHECK(kt, lwkt_bench_domsg_rt(0) == 0, "zero iterations give 0");
}
