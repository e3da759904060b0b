/*
 * testaux/longipc_pair: one side of a long-IPC pair for
 * tests/longipc_concurrency.
 *
 * Set-up as for longipc_peer: the test's port is this task's bootstrap
 * port; the task says hello with a send right to its own port P.  The
 * test then sends one LQ_ROLE message:
 *
 *   sink    receive `count' long-IPC messages on P, regenerate each from
 *           its (seed, seq) and compare every dword and byte, and add up
 *           the messages' checksums;
 *   source  (the message carries a send right to the pair's sink) run two
 *           threads that together send `count' messages to the sink, each
 *           made of dwords and 1..3 strings of random sizes (up to
 *           LQ_MAXSTR bytes) generated from (seed, seq).
 *
 * Both report an LQ_REPORT to the test and exit 0 if they saw no error
 * (2 otherwise).  A message carries its pair's magic and seed in its
 * dwords, so a message that reached the wrong sink, or bytes of one
 * message that landed in another, show up as errors.  All the generating
 * and checking runs in user mode, where the clock preempts it.
 *
 * The protocol section is shared with the test, which includes this file
 * with LONGIPC_PAIR_PROTO_ONLY defined.
 */
#include <stdbool.h>
#include <stdint.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>

#define LQ_HELLO	7800
#define LQ_ROLE		7801
#define LQ_REPORT	7802

#define LQ_SINK		1
#define LQ_SOURCE	2

#define LQ_MAXSTR	100000u		/* bytes per string */
#define LQ_NSTR		3		/* strings per message, at most */
#define LQ_MAXDW	64		/* dwords per message, at most */
#define LQ_HDRDW	5		/* magic, seed, seq, nstrings, checksum */

struct lq_role {
	mach_msg_header_t head;		/* local port: the sink, for a source */
	uint32_t role;
	uint32_t pair;
	uint32_t seed;
	uint32_t count;			/* messages of the pair */
};

struct lq_report {
	mach_msg_header_t head;
	uint32_t role;
	uint32_t pair;
	uint32_t messages;		/* sent or received intact */
	uint32_t errors;		/* failed calls, bad messages */
	uint32_t sum;			/* sum of the messages' checksums */
	uint64_t bytes;			/* string bytes moved */
	int32_t first_error;		/* the first failing return code */
	uint32_t first_tick, last_tick;	/* clock ticks at the first and last message */
};

static inline uint32_t lq_magic(uint32_t pair)
{
	return 0x10e60000u | pair;
}

/* The generator of message seq of a pair: xorshift32 seeded from both. */
static inline uint32_t lq_next(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static inline uint32_t lq_start(uint32_t seed, uint32_t seq)
{
	uint32_t s = seed ^ (seq * 0x9e3779b9u) ^ 0xa5a5a5a5u;
	return s ? s : 1;
}

/* Shape of message seq: dwords, strings and their sizes. */
static inline void lq_shape(uint32_t seed, uint32_t seq, uint32_t *ndw, uint32_t *ns,
			    uint32_t size[LQ_NSTR])
{
	uint32_t s = lq_start(seed, seq);
	*ndw = LQ_HDRDW + lq_next(&s) % (LQ_MAXDW - LQ_HDRDW + 1);
	*ns = 1 + lq_next(&s) % LQ_NSTR;
	for (uint32_t k = 0; k < LQ_NSTR; k++)
		size[k] = k < *ns ? lq_next(&s) % (LQ_MAXSTR + 1) : 0;
}

static inline uint32_t lq_fnv(uint32_t h, uint8_t b)
{
	return (h ^ b) * 0x01000193u;
}

#ifndef LONGIPC_PAIR_PROTO_ONLY
/* ------------------------------------------------------------ the program */

#include <stdio.h>
#include <string.h>
#include <mk/mach_vm.h>
#include <mach/mk_traps.h>
#include <mk/thread.h>

static mach_port_t port, parent, sink;
static struct lq_role role;
static struct lq_report report;

/* Fill the strings and dwords of message seq; returns its checksum. */
static uint32_t make_message(uint32_t seq, mk_lipc_msg_t *m, uint8_t *bufs[LQ_NSTR])
{
	uint32_t ndw, ns, size[LQ_NSTR];
	uint32_t h = 0x811c9dc5u;

	lq_shape(role.seed, seq, &ndw, &ns, size);
	uint32_t s = lq_start(role.seed, seq) ^ 0x3c3c3c3cu;
	for (uint32_t k = 0; k < ns; k++)
		for (uint32_t i = 0; i < size[k]; i++)
			h = lq_fnv(h, bufs[k][i] = (uint8_t)lq_next(&s));
	m->lm_dwords = ndw;
	m->lm_strings = ns;
	MK_LIPC_DWORDS(m)[0] = lq_magic(role.pair);
	MK_LIPC_DWORDS(m)[1] = role.seed;
	MK_LIPC_DWORDS(m)[2] = seq;
	MK_LIPC_DWORDS(m)[3] = ns;
	MK_LIPC_DWORDS(m)[4] = h;
	for (uint32_t j = LQ_HDRDW; j < ndw; j++)
		MK_LIPC_DWORDS(m)[j] = seq * 0x01000193u + j;
	mk_lipc_string_t *d = MK_LIPC_STRINGS(m);
	for (uint32_t k = 0; k < ns; k++) {
		d[k].ls_addr = (uint32_t)bufs[k];
		d[k].ls_size = size[k];
		d[k].ls_xfer = 0;
	}
	return h;
}

static struct {
	mk_lipc_msg_t m;
	uint32_t words[LQ_MAXDW + 3 * LQ_NSTR];
} rbuf;
static uint8_t rdata[LQ_NSTR][LQ_MAXSTR];

/* Check a received message against its regenerated self. */
static bool check_message(const mk_lipc_msg_t *m, const mk_lipc_string_t *d, uint32_t *sum,
			  uint64_t *bytes)
{
	if (m->lm_rcv_dwords < LQ_HDRDW || MK_LIPC_DWORDS(m)[0] != lq_magic(role.pair) ||
	    MK_LIPC_DWORDS(m)[1] != role.seed)
		return false;
	uint32_t seq = MK_LIPC_DWORDS(m)[2];
	uint32_t ndw, ns, size[LQ_NSTR];
	lq_shape(role.seed, seq, &ndw, &ns, size);
	if (m->lm_rcv_dwords != ndw || m->lm_rcv_strings != ns || MK_LIPC_DWORDS(m)[3] != ns)
		return false;
	for (uint32_t j = LQ_HDRDW; j < ndw; j++)
		if (MK_LIPC_DWORDS(m)[j] != seq * 0x01000193u + j)
			return false;
	uint32_t s = lq_start(role.seed, seq) ^ 0x3c3c3c3cu;
	uint32_t h = 0x811c9dc5u;
	for (uint32_t k = 0; k < ns; k++) {
		if (d[k].ls_xfer != size[k])
			return false;
		for (uint32_t i = 0; i < size[k]; i++) {
			uint8_t want = (uint8_t)lq_next(&s);
			if (rdata[k][i] != want)
				return false;
			h = lq_fnv(h, want);
		}
		*bytes += size[k];
	}
	if (h != MK_LIPC_DWORDS(m)[4])
		return false;
	*sum += h;
	return true;
}

static void note_tick(void);

static void run_sink(void)
{
	mk_lipc_string_t *d = (mk_lipc_string_t *)&MK_LIPC_DWORDS(&rbuf.m)[LQ_MAXDW];

	for (uint32_t n = 0; n < role.count; n++) {
		rbuf.m.lm_dwords = LQ_MAXDW;
		rbuf.m.lm_strings = LQ_NSTR;
		for (uint32_t k = 0; k < LQ_NSTR; k++) {
			d[k].ls_addr = (uint32_t)rdata[k];
			d[k].ls_size = LQ_MAXSTR;
		}
		mach_msg_return_t mr = mk_lipc_receive(port, &rbuf.m, MK_LIPC_RCV_TIMEOUT, 60000);
		if (mr != MACH_MSG_SUCCESS) {
			if (report.errors++ == 0)
				report.first_error = mr;
			if (mr == MACH_RCV_TIMED_OUT)
				break;
			continue;
		}
		note_tick();
		if (check_message(&rbuf.m, d, &report.sum, &report.bytes))
			report.messages++;
		else if (report.errors++ == 0)
			report.first_error = -1;
	}
}

/* What one source thread did. */
struct source_stats {
	uint32_t messages, errors, sum;
	uint64_t bytes;
	int32_t first_error;
};
static struct source_stats sstats[2];

static void note_tick(void)
{
	uint32_t now = mk_info(MK_INFO_TICKS);
	if (report.first_tick == 0)
		report.first_tick = now;
	report.last_tick = now;
}

/* Source threads: thread t sends seqs t, t + 2, t + 4, ... */
static void source_thread(void *arg)
{
	uint32_t t = (uint32_t)arg;
	struct source_stats *st = &sstats[t];
	vm_address_t va = 0;
	vm_size_t size = LQ_NSTR * (LQ_MAXSTR + 4096) + 4096;
	static struct {
		mk_lipc_msg_t m;
		uint32_t words[LQ_MAXDW + 3 * LQ_NSTR];
	} sbuf[2];

	if (vm_allocate(mach_task_self(), &va, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) {
		st->errors++;
		return;
	}
	uint8_t *bufs[LQ_NSTR];
	for (uint32_t k = 0; k < LQ_NSTR; k++)	/* odd offsets: unaligned copies */
		bufs[k] = (uint8_t *)va + k * (LQ_MAXSTR + 4096) + 1 + 3 * k + t;
	for (uint32_t seq = t; seq < role.count; seq += 2) {
		uint32_t h = make_message(seq, &sbuf[t].m, bufs);
		mach_msg_return_t mr = mk_lipc_send(sink, &sbuf[t].m, MK_LIPC_SEND_TIMEOUT, 60000);
		if (mr == MACH_MSG_SUCCESS) {
			st->messages++;
			st->sum += h;
			for (uint32_t k = 0; k < sbuf[t].m.lm_strings; k++)
				st->bytes += MK_LIPC_STRINGS(&sbuf[t].m)[k].ls_size;
		} else if (st->errors++ == 0) {
			st->first_error = mr;
		}
	}
	(void)vm_deallocate(mach_task_self(), va, size);
}

static void run_source(void)
{
	report.first_tick = mk_info(MK_INFO_TICKS);
	int t0 = mk_thread_start(source_thread, (void *)0);
	int t1 = mk_thread_start(source_thread, (void *)1);
	if (t0 <= 0 || t1 <= 0 || mk_thread_wait(t0) != KERN_SUCCESS ||
	    mk_thread_wait(t1) != KERN_SUCCESS)
		report.errors++;
	report.last_tick = mk_info(MK_INFO_TICKS);
	for (int t = 0; t < 2; t++) {
		report.messages += sstats[t].messages;
		report.sum += sstats[t].sum;
		report.bytes += sstats[t].bytes;
		if (sstats[t].errors && report.errors == 0)
			report.first_error = sstats[t].first_error;
		report.errors += sstats[t].errors;
	}
}

int main(void)
{
	union {
		struct lq_role r;
		struct {
			struct lq_role r;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} in;
	mach_msg_header_t hello;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return 2;
	hello.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	hello.msgh_size = sizeof(hello);
	hello.msgh_remote_port = parent;
	hello.msgh_local_port = port;
	hello.msgh_voucher_port = MACH_PORT_NULL;
	hello.msgh_id = LQ_HELLO;
	if (mach_msg(&hello, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 2;
	if (mach_msg(&in.r.head, MACH_RCV_MSG, 0, sizeof(in), port, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS || in.r.head.msgh_id != LQ_ROLE)
		return 2;
	role = in.r;
	memset(&report, 0, sizeof(report));
	report.role = role.role;
	report.pair = role.pair;
	if (role.role == LQ_SOURCE) {
		sink = in.r.head.msgh_remote_port;
		run_source();
	} else {
		run_sink();
	}
	report.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	report.head.msgh_size = sizeof(report);
	report.head.msgh_remote_port = parent;
	report.head.msgh_local_port = MACH_PORT_NULL;
	report.head.msgh_voucher_port = MACH_PORT_NULL;
	report.head.msgh_id = LQ_REPORT;
	if (mach_msg(&report.head, MACH_SEND_MSG, sizeof(report), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 2;
	if (report.errors)
		printf("longipc_pair: %s of pair %u: %u errors, first %#x\n",
		       role.role == LQ_SINK ? "sink" : "source", role.pair, report.errors,
		       report.first_error);
	return report.errors ? 2 : 0;
}
#endif /* !LONGIPC_PAIR_PROTO_ONLY */
