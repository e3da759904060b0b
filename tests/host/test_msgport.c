/*
 * Host unit test of the LWKT message-port state machine (kern/msgport.c)
 * and the console service, under ASan/UBSan, on the simulated-thread shim
 * in msgport_shim/.
 *
 * It runs:
 *   1. console_early: console_write before console_thread_init goes
 *      straight to the (captured) serial port;
 *   2. every kernel self-test of kern/msgport_test.c, twice: with the
 *      non-preemptive scheduler, then with wakeups that switch to a
 *      higher-priority thread at once ("preempt");
 *   3. a check that none of that used the cross-CPU seam;
 *   4. host-only tests below: fake remote CPUs through lwkt_send_remote,
 *      the abort/reply race, wait events, the serial output of the console.
 * Output is TAP; the exit status is non-zero if any test failed.
 */
#ifndef LWKT_HOST_SHIM
/*
 * Built by the generic one-file host-test rule: this test needs its own
 * rule (extra sources, the shim include directory first, -DLWKT_HOST_SHIM).
 * Report that as a failure instead of breaking the build.
 */
#include <stdio.h>

int main(void)
{
	printf("1..1\nnot ok 1 - test_msgport: built without its Makefile rule "
	       "(needs -DLWKT_HOST_SHIM -Itests/host/msgport_shim and "
	       "the kern/msgport*.c sources)\n");
	return 1;
}
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kern/types.h>
#include <kern/ktest.h>
#include <kern/msgport.h>
#include <kern/console_thread.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>
#include "msgport_shim/shim.h"

#define CMD_WORK	10
#define CMD_ABORT	12

static bool flags_are(lwkt_msg_t m, uint32_t set, uint32_t clear)
{
	return (m->ms_flags & set) == set && (m->ms_flags & clear) == 0;
}

/* Init a port as if on fake CPU cpu. */
static void port_on_cpu(lwkt_port_t p, int cpu, int spin)
{
	int saved = shim_get_cpu();

	shim_set_cpu(cpu);
	if (spin)
		lwkt_initport_spin(p);
	else
		lwkt_initport_thread(p, current_thread());
	shim_set_cpu(saved);
}

/* ------------------------------------------------------------ seam tests */

#define HOST_TEST(name) KTEST(host_##name)

HOST_TEST(seam_put_and_reply_remote)
{
	struct lwkt_port t, r;
	struct lwkt_msg m;
	unsigned long sent0 = shim_remote_sent();
	lwkt_msg_t got;

	port_on_cpu(&t, 1, 0);
	port_on_cpu(&r, 0, 0);
	lwkt_initmsg(&m, &r, CMD_WORK);
	lwkt_sendmsg(&t, &m);
	KT_CHECK(kt, shim_remote_sent() == sent0 + 1 &&
		 shim_remote_pending(1) == 1,
		 "send to a port on cpu 1 goes through lwkt_send_remote");
	KT_CHECK(kt, lwkt_port_peek(&t) == NULL &&
		 flags_are(&m, MSGF_QUEUED, MSGF_DONE),
		 "not on the queue until delivered, but already claimed QUEUED");
	KT_CHECK(kt, shim_remote_deliver(1) == 1 && lwkt_port_peek(&t) == &m,
		 "delivered on cpu 1: queued there");

	shim_set_cpu(1);
	got = lwkt_getport(&t);
	if (got != NULL)
		lwkt_replymsg(got, 5);
	shim_set_cpu(0);
	KT_CHECK(kt, got == &m && shim_remote_pending(0) == 1 &&
		 !lwkt_checkmsg(&m) && (m.ms_flags & MSGF_REPLY1),
		 "reply from cpu 1 is shipped to the reply port's cpu");
	KT_CHECK(kt, shim_remote_deliver(0) == 1 &&
		 flags_are(&m, MSGF_DONE | MSGF_QUEUED | MSGF_REPLY2, 0) &&
		 lwkt_getport(&r) == &m && m.ms_error == 5,
		 "reply completes on cpu 0");
}

HOST_TEST(seam_abort_queued_remote)
{
	struct lwkt_port t, r;
	struct lwkt_msg m;

	port_on_cpu(&t, 1, 0);
	port_on_cpu(&r, 0, 0);
	lwkt_initmsg_abortable(&m, &r, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&t, &m);
	shim_remote_deliver(1);
	lwkt_abortmsg(&m);
	KT_CHECK(kt, shim_remote_pending(1) == 1 && m.ms_abort_port == &t &&
		 lwkt_port_peek(&t) == &m,
		 "abort of a message on cpu 1 is shipped there");
	lwkt_abortmsg(&m);
	KT_CHECK(kt, shim_remote_pending(1) == 1,
		 "a second abort while the chase is out does nothing");
	shim_remote_deliver(1);
	KT_CHECK(kt, lwkt_port_peek(&t) == NULL && m.ms_abort_port == NULL &&
		 shim_remote_pending(0) == 1,
		 "on cpu 1: dequeued, the EINTR reply shipped back");
	shim_remote_deliver(0);
	KT_CHECK(kt, lwkt_getport(&r) == &m && m.ms_error == LWKT_EINTR &&
		 (m.ms_flags & MSGF_ABORTED), "originator gets LWKT_EINTR");
}

HOST_TEST(seam_abort_reply_race_holds_reply)
{
	struct lwkt_port t, r;
	struct lwkt_msg m;
	lwkt_msg_t got;

	port_on_cpu(&t, 1, 0);
	port_on_cpu(&r, 0, 0);
	lwkt_initmsg_abortable(&m, &r, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&t, &m);
	shim_remote_deliver(1);
	shim_set_cpu(1);
	got = lwkt_getport(&t);
	shim_set_cpu(0);
	if (!KT_CHECK(kt, got == &m, "retrieved on cpu 1"))
		return;

	lwkt_abortmsg(&m);		/* chase heads to cpu 1 ... */
	shim_set_cpu(1);
	lwkt_replymsg(got, 7);		/* ... but the target replies first */
	shim_set_cpu(0);
	KT_CHECK(kt, shim_remote_pending(0) == 1 && shim_remote_pending(1) == 1,
		 "reply and abort cross in flight");
	shim_remote_deliver(0);
	KT_CHECK(kt, flags_are(&m, MSGF_REPLY1 | MSGF_REPLY2,
			       MSGF_DONE | MSGF_QUEUED) &&
		 lwkt_port_peek(&r) == NULL,
		 "the reply is held while the chase is out (flags 0x%x)",
		 (unsigned)m.ms_flags);
	shim_remote_deliver(1);
	KT_CHECK(kt, shim_remote_pending(0) == 1 && lwkt_port_peek(&t) == NULL,
		 "the chase finds the message replied and follows it home");
	shim_remote_deliver(0);
	KT_CHECK(kt, lwkt_getport(&r) == &m && m.ms_error == 7 &&
		 m.ms_cmd == CMD_WORK && m.ms_abort_port == NULL &&
		 !(m.ms_flags & MSGF_ABORTED),
		 "chase ends at the reply port and releases the reply (error %d)",
		 m.ms_error);
}

HOST_TEST(seam_abort_chases_forward_across_cpus)
{
	struct lwkt_port a, b, r;
	struct lwkt_msg m;
	lwkt_msg_t got;
	int rc;

	port_on_cpu(&a, 1, 0);
	port_on_cpu(&b, 2, 0);
	port_on_cpu(&r, 0, 0);
	lwkt_initmsg_abortable(&m, &r, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&a, &m);
	shim_remote_deliver(1);
	shim_set_cpu(1);
	got = lwkt_getport(&a);
	shim_set_cpu(0);
	if (!KT_CHECK(kt, got == &m, "retrieved on cpu 1"))
		return;
	lwkt_abortmsg(&m);		/* chase to cpu 1 */
	shim_set_cpu(1);
	rc = lwkt_forwardmsg(&b, got);	/* meanwhile forwarded to cpu 2 */
	shim_set_cpu(0);
	KT_CHECK(kt, rc == LWKT_EASYNC && shim_remote_pending(1) == 1 &&
		 shim_remote_pending(2) == 1, "forward and chase in flight");
	shim_remote_deliver(1);
	KT_CHECK(kt, shim_remote_pending(2) == 2 && m.ms_abort_port == &b,
		 "chase reaches cpu 1, finds it gone, follows to cpu 2");
	shim_remote_deliver(2);
	KT_CHECK(kt, lwkt_port_peek(&b) == NULL && lwkt_port_peek(&a) == NULL &&
		 shim_remote_pending(0) == 1,
		 "on cpu 2 after the put: dequeued and replied");
	shim_remote_deliver(0);
	KT_CHECK(kt, lwkt_getport(&r) == &m && m.ms_error == LWKT_EINTR,
		 "originator gets LWKT_EINTR");
}

/* A putport that keeps messages for later, like a relay service. */
static lwkt_msg_t relay_held;

static int relay_put(lwkt_port_t port __unused, lwkt_msg_t msg)
{
	relay_held = msg;
	return LWKT_EASYNC;
}

HOST_TEST(abort_held_by_custom_putport)
{
	struct lwkt_port relay, b, r;
	struct lwkt_msg m;
	int rc;

	lwkt_initport_putonly(&relay, relay_put);
	lwkt_initport_thread(&b, current_thread());
	lwkt_initport_thread(&r, current_thread());
	lwkt_initmsg_abortable(&m, &r, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&relay, &m);
	lwkt_abortmsg(&m);
	KT_CHECK(kt, relay_held == &m &&
		 flags_are(&m, MSGF_ABORTED, MSGF_DONE | MSGF_QUEUED) &&
		 m.ms_abort_port == NULL,
		 "message held by a custom putport is only marked ABORTED");
	rc = lwkt_forwardmsg(&b, &m);
	KT_CHECK(kt, rc == LWKT_EINTR && lwkt_port_peek(&b) == NULL &&
		 lwkt_getport(&r) == &m, "the holder's forward turns into EINTR");

	/* An aborted, never-retrieved message reaching a queue (the abort
	   overtook a forward) is completed when pulled, never returned. */
	lwkt_initmsg_abortable(&m, &r, CMD_WORK, CMD_ABORT);
	lwkt_sendmsg(&relay, &m);
	lwkt_abortmsg(&m);
	m.ms_target_port = &b;
	(void)lwkt_default_putport(&b, &m);
	KT_CHECK(kt, lwkt_port_peek(&b) == &m && lwkt_getport(&b) == NULL,
		 "getport completes it instead of returning it");
	KT_CHECK(kt, lwkt_getport(&r) == &m && m.ms_error == LWKT_EINTR &&
		 m.ms_cmd == CMD_WORK, "with LWKT_EINTR");
}

/* ------------------------------------------------------------ wait events */

static struct lwkt_port ev_port;
static volatile int ev_got[2];

static void ev_waiter(void *arg)
{
	int i = (int)(uintptr_t)arg;
	lwkt_msg_t m = lwkt_waitport(&ev_port, NULL);

	ev_got[i] = 1;
	lwkt_replymsg(m, i);
	kernel_thread_exit();
}

HOST_TEST(spin_port_wakes_one)
{
	static struct lwkt_port r;
	static struct lwkt_msg m[2];
	thread_t w[2];

	lwkt_initport_spin(&ev_port);
	lwkt_initport_replyonly(&r);
	for (int i = 0; i < 2; i++) {
		ev_got[i] = 0;
		w[i] = kernel_thread_create("ev", ev_waiter, (void *)(uintptr_t)i,
					    20);
	}
	thread_yield();
	KT_CHECK(kt, shim_thread_event(w[0]) == &ev_port &&
		 shim_thread_event(w[1]) == &ev_port,
		 "both waiters sleep on the event `port'");
	lwkt_initmsg(&m[0], &r, CMD_WORK);
	lwkt_sendmsg(&ev_port, &m[0]);
	KT_CHECK(kt, (shim_thread_state(w[0]) == SHIM_RUNNABLE) +
		 (shim_thread_state(w[1]) == SHIM_RUNNABLE) == 1,
		 "one message makes exactly one waiter runnable");
	(void)lwkt_waitmsg(&m[0]);
	lwkt_initmsg(&m[1], &r, CMD_WORK);
	lwkt_sendmsg(&ev_port, &m[1]);
	(void)lwkt_waitmsg(&m[1]);
	KT_CHECK(kt, ev_got[0] && ev_got[1] && m[0].ms_error != m[1].ms_error,
		 "the second message goes to the other waiter");
	thread_yield();
	KT_CHECK(kt, shim_thread_state(w[0]) == SHIM_DEAD &&
		 shim_thread_state(w[1]) == SHIM_DEAD, "both exited");
}

static struct lwkt_port sl_port;
static struct lwkt_msg sl_msg;
static volatile int sl_result = -1;

static void sl_client(void *arg __unused)
{
	static struct lwkt_port r;

	lwkt_initport_replyonly(&r);
	lwkt_initmsg(&sl_msg, &r, CMD_WORK);
	sl_result = lwkt_domsg(&sl_port, &sl_msg);
	kernel_thread_exit();
}

HOST_TEST(domsg_sleeps_on_the_message)
{
	thread_t c;
	lwkt_msg_t m;

	lwkt_initport_thread(&sl_port, current_thread());
	sl_result = -1;
	c = kernel_thread_create("client", sl_client, NULL, 20);
	thread_yield();
	KT_CHECK(kt, shim_thread_event(c) == &sl_msg &&
		 (sl_msg.ms_flags & MSGF_SLEEPER),
		 "a client in domsg sleeps on the event `msg'");
	m = lwkt_getport(&sl_port);
	if (!KT_CHECK(kt, m == &sl_msg, "its request is on our port"))
		return;
	lwkt_replymsg(m, 17);
	KT_CHECK(kt, shim_thread_state(c) == SHIM_RUNNABLE,
		 "the reply makes it runnable");
	thread_yield();
	KT_CHECK(kt, sl_result == 17 && shim_thread_state(c) == SHIM_DEAD,
		 "domsg returned the reply (%d)", sl_result);
}

/* ------------------------------------------------------------ console */

static void console_lines_writer(void *arg)
{
	const char *who = arg;
	char line[64];

	for (int i = 0; i < 4; i++) {
		int n = snprintf(line, sizeof(line), "writer %s line %d\n", who, i);
		console_write(line, (size_t)n);
		thread_yield();
	}
	kernel_thread_exit();
}

HOST_TEST(console_lines_intact)
{
	const char *text;
	size_t len;
	int found = 0, bad = 0;
	thread_t w[2];

	shim_serial_reset();
	w[0] = kernel_thread_create("wa", console_lines_writer, "A", 20);
	w[1] = kernel_thread_create("wb", console_lines_writer, "B", 20);
	for (int i = 0; i < 100 && (shim_thread_state(w[0]) != SHIM_DEAD ||
				    shim_thread_state(w[1]) != SHIM_DEAD); i++)
		thread_yield();
	text = shim_serial_text(&len);
	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		char who;
		int i;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (sscanf(p, "writer %c line %d", &who, &i) == 2 && n == 15)
			found++;
		else
			bad++;
		p += n + (nl != NULL);
	}
	KT_CHECK(kt, found == 8 && bad == 0,
		 "8 whole lines from two writers, none torn (%d ok, %d bad)",
		 found, bad);
	KT_CHECK(kt, strstr(text, "writer A line 0\nwriter B line 0\n") != NULL ||
		 strstr(text, "writer B line 0\nwriter A line 0\n") != NULL,
		 "the two writers interleave line by line");
}

static void console_early(struct ktest *kt)
{
	static const char msg[] = "early boot line\n";

	shim_serial_reset();
	console_write(msg, sizeof(msg) - 1);
	KT_CHECK(kt, !console_thread_running() && console_thread_served() == 0,
		 "before init there is no service");
	KT_CHECK(kt, strcmp(shim_serial_text(NULL), msg) == 0,
		 "console_write before init goes straight to the serial port");
}

/* ------------------------------------------------------------ runner */

static int failures, point;

static void report(const char *name, const char *suffix, struct ktest *kt)
{
	bool ok = kt->checks > 0 && kt->failed == 0;

	if (kt->checks == 0)
		printf("    # no checks were made\n");
	printf("%sok %d - %s%s\n", ok ? "" : "not ", ++point, name, suffix);
	if (!ok)
		failures++;
	fflush(stdout);
}

static void run(const struct ktest_desc *d, const char *prefix,
		const char *suffix)
{
	struct ktest kt = { .name = d->name };
	char full[96];

	snprintf(full, sizeof(full), "%s%s", prefix,
		 strncmp(d->name, "host_", 5) == 0 ? d->name + 5 : d->name);
	printf("# %s%s\n", full, suffix);
	d->fn(&kt);
	shim_reap();
	report(full, suffix, &kt);
}

static bool is_host_test(const struct ktest_desc *d)
{
	return strncmp(d->name, "host_", 5) == 0;
}

int main(void)
{
	const struct ktest_desc **list;
	int n, nkernel = 0, nhost = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	shim_init();
	n = ktest_registered(&list);
	for (int i = 0; i < n; i++) {
		if (is_host_test(list[i]))
			nhost++;
		else
			nkernel++;
	}
	printf("1..%d\n", 1 + 2 * nkernel + 1 + nhost);

	{
		struct ktest kt = { .name = "console_early" };
		printf("# host/console_early\n");
		console_early(&kt);
		report("host/console_early", "", &kt);
	}
	console_thread_init();

	for (int mode = 0; mode < 2; mode++) {
		shim_set_preempt(mode);
		for (int i = 0; i < n; i++)
			if (!is_host_test(list[i]))
				run(list[i], "ktest/", mode ? " [preempt]" : "");
	}
	shim_set_preempt(0);

	{
		struct ktest kt = { .name = "seam_unused" };
		printf("# host/seam_unused_by_local_ports\n");
		KT_CHECK(&kt, shim_remote_sent() == 0,
			 "no lwkt_send_remote call with every port local (%lu)",
			 shim_remote_sent());
		report("host/seam_unused_by_local_ports", "", &kt);
	}

	for (int i = 0; i < n; i++)
		if (is_host_test(list[i]))
			run(list[i], "host/", "");

	printf("# %d of %d failed\n", failures, point);
	return failures ? 1 : 0;
}

#endif /* LWKT_HOST_SHIM */
