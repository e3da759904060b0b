/*
 * longipc_concurrency: two pairs of tasks do long IPC at the same time,
 * under preemption, and no byte crosses from one pair to the other.
 *
 * Four testaux/longipc_pair tasks: a sink and a source for pair 0 and for
 * pair 1.  Each source runs two threads (two windows in one address
 * space) that send COUNT messages between them, each of up to 64 dwords
 * and 1..3 strings of up to 100,000 bytes at unaligned addresses, all
 * generated from the pair's seed and the message number.  The sink
 * regenerates every message and compares every dword and byte; each side
 * adds up the messages' checksums.  Generating and checking take long
 * enough in user mode for the clock to preempt the tasks in the middle,
 * so both pairs' transfers interleave; the sinks' first and last
 * message times must overlap.  Pass: every message intact on both pairs,
 * each pair's sums equal on both sides and different between the pairs,
 * all four tasks exit 0.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/tap.h>

#define LONGIPC_PAIR_PROTO_ONLY
#include "../testaux/longipc_pair.c"

#define COUNT	120		/* messages per pair */
#define WAIT_MS	100000u

static mach_port_t mine;

/* Receive the next message on mine (hello or report); 0 on success. */
static int receive(void *buf, mach_msg_size_t size, int id)
{
	mach_msg_header_t *h = buf;
	mach_msg_return_t mr = mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, size, mine,
					WAIT_MS, MACH_PORT_NULL);
	return mr != MACH_MSG_SUCCESS || h->msgh_id != id;
}

static mach_msg_return_t send_role(mach_port_t to, uint32_t role, uint32_t pair,
				   uint32_t seed, mach_port_t sink)
{
	struct lq_role r;
	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					  sink != MACH_PORT_NULL ? MACH_MSG_TYPE_COPY_SEND : 0);
	r.head.msgh_size = sizeof(r);
	r.head.msgh_remote_port = to;
	r.head.msgh_local_port = sink;
	r.head.msgh_id = LQ_ROLE;
	r.role = role;
	r.pair = pair;
	r.seed = seed;
	r.count = COUNT;
	return mach_msg(&r.head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

int main(void)
{
	static const uint32_t seeds[2] = { 0x600df00d, 0x0badcafe };
	int task[4] = { 0, 0, 0, 0 };		/* sink 0, sink 1, source 0, source 1 */
	mach_port_t port[4] = { 0, 0, 0, 0 };
	struct lq_report rep[4];
	struct mk_lipc_stats before, after;
	mach_port_t old;
	union {
		mach_msg_header_t head;
		struct lq_report rep;
		struct {
			struct lq_report rep;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;

	memset(rep, 0, sizeof(rep));
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) ||
	    mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND) ||
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, mine)) {
		tap_ok(0, "a port to hand to the pair tasks");
		return tap_done();
	}
	int started = 0;
	for (int i = 0; i < 4; i++) {
		task[i] = mk_spawn("testaux/longipc_pair");
		if (task[i] <= 0 || receive(&b, sizeof(b), LQ_HELLO))
			break;
		port[i] = b.head.msgh_remote_port;
		started++;
	}
	(void)task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	if (old != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), old);
	if (!tap_ok(started == 4, "4 pair tasks started and said hello (%d)", started))
		goto out;

	(void)mk_lipc_get_stats(&before);
	mach_msg_return_t m0 = send_role(port[0], LQ_SINK, 0, seeds[0], MACH_PORT_NULL);
	mach_msg_return_t m1 = send_role(port[1], LQ_SINK, 1, seeds[1], MACH_PORT_NULL);
	mach_msg_return_t m2 = send_role(port[2], LQ_SOURCE, 0, seeds[0], port[0]);
	mach_msg_return_t m3 = send_role(port[3], LQ_SOURCE, 1, seeds[1], port[1]);
	tap_ok(m0 == 0 && m1 == 0 && m2 == 0 && m3 == 0, "roles handed out");

	int reports = 0;
	for (int i = 0; i < 4; i++) {
		if (receive(&b, sizeof(b), LQ_REPORT))
			break;
		int slot = (b.rep.role == LQ_SINK ? 0 : 2) + (b.rep.pair & 1);
		rep[slot] = b.rep;
		reports++;
	}
	(void)mk_lipc_get_stats(&after);
	tap_ok(reports == 4, "all 4 reports arrived (%d)", reports);
	for (int p = 0; p < 2; p++) {
		const struct lq_report *sk = &rep[p], *src = &rep[2 + p];
		tap_ok(src->messages == COUNT && src->errors == 0,
		       "pair %d: source sent %u of %u messages (%u errors, first %#x)", p,
		       src->messages, COUNT, src->errors, src->first_error);
		tap_ok(sk->messages == COUNT && sk->errors == 0,
		       "pair %d: sink got %u of %u messages intact (%u errors, first %#x)", p,
		       sk->messages, COUNT, sk->errors, sk->first_error);
		tap_ok(sk->sum == src->sum && sk->bytes == src->bytes,
		       "pair %d: checksums agree (%#x / %#x), %llu string bytes", p, sk->sum,
		       src->sum, (unsigned long long)sk->bytes);
	}
	tap_ok(rep[0].sum != rep[1].sum, "the two pairs carried different data");
	tap_ok(after.transfers - before.transfers >= 2 * COUNT,
	       "the kernel counted %u transfers", after.transfers - before.transfers);
	tap_ok(rep[0].first_tick < rep[1].last_tick && rep[1].first_tick < rep[0].last_tick,
	       "the pairs ran at the same time (ticks %u..%u and %u..%u)", rep[0].first_tick,
	       rep[0].last_tick, rep[1].first_tick, rep[1].last_tick);
out:
	for (int i = 0; i < 4; i++) {
		struct mk_exit_info info = { 0, 0, 0 };
		if (task[i] <= 0)
			continue;
		kern_return_t kr = mk_task_wait(task[i], 30 * mk_info(MK_INFO_HZ), &info);
		if (kr != KERN_SUCCESS) {
			(void)mk_task_kill(task[i]);
			(void)mk_task_wait(task[i], 30 * mk_info(MK_INFO_HZ), &info);
		}
		tap_ok(kr == KERN_SUCCESS && info.how == MK_EXIT_STATUS && info.code == 0,
		       "pair task %d exited with status 0 (kr %d, how %d, code %d)", i, kr,
		       info.how, info.code);
		if (port[i] != MACH_PORT_NULL)
			(void)mach_port_deallocate(mach_task_self(), port[i]);
	}
	(void)mach_port_destroy(mach_task_self(), mine);
	return tap_done();
}
