/*
 * longipc_content: long IPC delivers exactly what was sent, byte for
 * byte, into another task.
 *
 * The receiver is testaux/longipc_peer (see it for the protocol): for each
 * case this task tells it how to lay out its receive buffers, sends one
 * long-IPC message built from the shared pattern, and gets back the
 * peer's own check of every byte it received and of every byte around
 * that must not have changed.  Cases: dwords only, an empty message, the
 * most dwords, strings of 1 byte, 4 KiB and 64 KiB at unaligned offsets
 * crossing pages, several strings in one message, a 9 MiB string that
 * needs several window moves, receive buffers never touched before (a
 * window fault and a receiver fault must both be taken), a receiver that
 * waits before the sender comes, and a call whose reply comes back by
 * long IPC into this task.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define LONGIPC_PEER_PROTO_ONLY
#include "../testaux/longipc_peer.c"

#define PAGE	4096u
#define KiB	1024u
#define MiB	(1024u * 1024u)

/* A message to send: header, dwords and dopes, strings in their own regions. */
struct smsg {
	vm_address_t mva;
	vm_size_t msize;
	mk_lipc_msg_t *m;
	uint32_t ns;
	vm_address_t region[LP_MAXBUF];
	vm_size_t rsize[LP_MAXBUF];
};

static vm_size_t round_pg(uint32_t n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static void smsg_free(struct smsg *s)
{
	for (uint32_t k = 0; k < s->ns; k++)
		if (s->region[k])
			(void)vm_deallocate(mach_task_self(), s->region[k], s->rsize[k]);
	if (s->mva)
		(void)vm_deallocate(mach_task_self(), s->mva, s->msize);
	memset(s, 0, sizeof(*s));
}

/* Build seed's message: ndw dwords, ns strings of size[k] at offset off[k]. */
static int smsg_build(struct smsg *s, uint32_t seed, uint32_t ndw, uint32_t ns,
		      const uint32_t *size, const uint32_t *off)
{
	memset(s, 0, sizeof(*s));
	s->msize = round_pg(MK_LIPC_MSG_SIZE(ndw, ns));
	if (vm_allocate(mach_task_self(), &s->mva, s->msize, VM_FLAGS_ANYWHERE))
		return 1;
	s->m = (mk_lipc_msg_t *)s->mva;
	s->m->lm_dwords = ndw;
	s->m->lm_strings = ns;
	for (uint32_t j = 0; j < ndw; j++)
		MK_LIPC_DWORDS(s->m)[j] = lp_dword(seed, j);
	mk_lipc_string_t *d = MK_LIPC_STRINGS(s->m);
	s->ns = ns;
	for (uint32_t k = 0; k < ns; k++) {
		s->rsize[k] = round_pg(off[k] + size[k] + 1);
		if (vm_allocate(mach_task_self(), &s->region[k], s->rsize[k], VM_FLAGS_ANYWHERE))
			return 1;
		uint8_t *p = (uint8_t *)s->region[k] + off[k];
		for (uint32_t i = 0; i < size[k]; i++)
			p[i] = lp_byte(seed, k, i);
		d[k].ls_addr = (uint32_t)p;
		d[k].ls_size = size[k];
		d[k].ls_xfer = 0;
	}
	return 0;
}

struct xcase {
	const char *name;
	uint32_t ndw, ns;
	uint32_t size[LP_MAXBUF];
	uint32_t soff[LP_MAXBUF];	/* sender offsets */
	uint32_t roff[LP_MAXBUF];	/* receiver offsets */
	uint32_t room, nbuf;		/* receiver: 0 = just enough */
	uint32_t flags;			/* LP_F_* for the peer */
	uint32_t delay_ms;		/* before sending: let the receiver wait */
};

static uint32_t next_seed = 0x1234;

/* Run one case; the stats delta goes to *ds.  Returns 1 if all checks passed. */
static int run_case(struct lp_peer *p, const struct xcase *x, struct mk_lipc_stats *ds)
{
	struct smsg s;
	struct lp_cmd c;
	struct lp_result r;
	struct mk_lipc_stats before, after;
	uint32_t seed = next_seed++ * 0x9e37u;
	int ok = 1;

	if (!tap_ok(smsg_build(&s, seed, x->ndw, x->ns, x->size, x->soff) == 0,
		    "%s: message built", x->name)) {
		smsg_free(&s);
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.flags = x->flags;
	c.seed = seed;
	c.room = x->room ? x->room : x->ndw;
	c.nbuf = x->nbuf ? x->nbuf : x->ns;
	for (uint32_t k = 0; k < c.nbuf; k++) {
		c.size[k] = k < x->ns ? x->size[k] : 100;
		c.offset[k] = x->roff[k];
	}
	(void)mk_lipc_get_stats(&before);
	mach_msg_return_t cmr = lp_command(p, &c);
	if (x->delay_ms)
		(void)mk_sleep_ms(x->delay_ms);
	mach_msg_return_t smr = mk_lipc_send(p->peer, s.m, MK_LIPC_SEND_TIMEOUT, LP_WAIT_MS);
	mach_msg_return_t rmr = lp_result(p, &r);
	(void)mk_lipc_get_stats(&after);
	ds->transfers = after.transfers - before.transfers;
	ds->window_moves = after.window_moves - before.window_moves;
	ds->window_faults = after.window_faults - before.window_faults;
	ds->receiver_faults = after.receiver_faults - before.receiver_faults;
	ds->pde_refills = after.pde_refills - before.pde_refills;
	ds->bytes = after.bytes - before.bytes;

	ok &= tap_ok(cmr == MACH_MSG_SUCCESS && rmr == MACH_MSG_SUCCESS,
		     "%s: peer commanded and answered (%#x, %#x)", x->name, cmr, rmr);
	ok &= tap_ok(smr == MACH_MSG_SUCCESS && r.mr == MACH_MSG_SUCCESS,
		     "%s: send and receive succeed (%#x, %#x)", x->name, smr, r.mr);
	int counts = r.rcv_dwords == x->ndw && r.rcv_strings == x->ns;
	for (uint32_t k = 0; k < c.nbuf; k++)
		counts &= r.xfer[k] == (k < x->ns ? x->size[k] : 0);
	ok &= tap_ok(counts, "%s: receiver told %u dwords, %u strings and each size",
		     x->name, r.rcv_dwords, r.rcv_strings);
	ok &= tap_ok(r.dword_bad == 0 && r.string_bad == 0,
		     "%s: every byte arrived intact (%u dwords, %u bytes bad)", x->name,
		     r.dword_bad, r.string_bad);
	ok &= tap_ok(r.outside_changed == 0, "%s: nothing else of the receiver changed (%u)",
		     x->name, r.outside_changed);
	uint32_t total = 4 * x->ndw;
	for (uint32_t k = 0; k < x->ns; k++)
		total += x->size[k];
	ok &= tap_ok(ds->bytes == total && ds->transfers == 1,
		     "%s: one transfer of %u bytes, copied once (%u bytes counted)",
		     x->name, total, ds->bytes);
	smsg_free(&s);
	return ok;
}

/* A call: send to the peer, get the echo back into this task's buffers. */
static void call_case(struct lp_peer *p)
{
	static const uint32_t size[3] = { 3, 6000, 70000 };
	static const uint32_t soff[3] = { 1, 0x7ff, 0 };
	struct smsg s;
	struct lp_cmd c;
	struct lp_result r;
	uint32_t seed = next_seed++ * 0x9e37u;
	vm_address_t rva = 0, bva[3] = { 0, 0, 0 };

	if (!tap_ok(smsg_build(&s, seed, 9, 3, size, soff) == 0, "call: message built"))
		goto out;
	memset(&c, 0, sizeof(c));
	c.flags = LP_F_ECHO;
	c.seed = seed;
	c.room = 9;
	c.nbuf = 3;
	for (int k = 0; k < 3; k++)
		c.size[k] = size[k];
	c.offset[1] = 5;

	/* our receive buffer for the echo */
	vm_size_t rsize = round_pg(MK_LIPC_MSG_SIZE(16, 3));
	if (vm_allocate(mach_task_self(), &rva, rsize, VM_FLAGS_ANYWHERE))
		goto out;
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)rva;
	m->lm_dwords = 16;
	m->lm_strings = 3;
	mk_lipc_string_t *d = MK_LIPC_STRINGS(m);
	for (int k = 0; k < 3; k++) {
		if (vm_allocate(mach_task_self(), &bva[k], round_pg(size[k] + 8), VM_FLAGS_ANYWHERE))
			goto out;
		d[k].ls_addr = bva[k] + 8;
		d[k].ls_size = size[k];
	}
	mach_msg_return_t cmr = lp_command(p, &c);
	mach_msg_return_t mr = mk_lipc_call(p->peer, s.m, p->mine, m,
					    MK_LIPC_SEND_TIMEOUT | MK_LIPC_RCV_TIMEOUT, LP_WAIT_MS);
	mach_msg_return_t rmr = lp_result(p, &r);
	tap_ok(cmr == MACH_MSG_SUCCESS && mr == MACH_MSG_SUCCESS && rmr == MACH_MSG_SUCCESS &&
	       r.mr == MACH_MSG_SUCCESS && r.echo_mr == MACH_MSG_SUCCESS,
	       "call: sent, echoed back and received (%#x, peer %#x, echo %#x)", mr, r.mr,
	       r.echo_mr);
	tap_ok(m->lm_rcv_dwords == 9 && m->lm_rcv_strings == 3 && d[0].ls_xfer == size[0] &&
	       d[1].ls_xfer == size[1] && d[2].ls_xfer == size[2],
	       "call: reply counts and sizes (%u dwords, %u strings)", m->lm_rcv_dwords,
	       m->lm_rcv_strings);
	uint32_t bad = 0;
	for (uint32_t j = 0; j < 9; j++)
		bad += MK_LIPC_DWORDS(m)[j] != lp_dword(seed, j);
	for (uint32_t k = 0; k < 3; k++) {
		const uint8_t *q = (const uint8_t *)bva[k];
		for (uint32_t i = 0; i < 8; i++)
			bad += q[i] != 0;
		for (uint32_t i = 0; i < size[k]; i++)
			bad += q[8 + i] != lp_byte(seed, k, i);
	}
	tap_ok(bad == 0, "call: every byte of the reply is right (%u bad)", bad);
out:
	for (int k = 0; k < 3; k++)
		if (bva[k])
			(void)vm_deallocate(mach_task_self(), bva[k], round_pg(size[k] + 8));
	if (rva)
		(void)vm_deallocate(mach_task_self(), rva, round_pg(MK_LIPC_MSG_SIZE(16, 3)));
	smsg_free(&s);
}

int main(void)
{
	struct lp_peer p;
	struct mk_lipc_stats d;

	if (!tap_ok(lp_start(&p) == 0, "longipc_peer started and said hello")) {
		(void)lp_stop(&p);
		return tap_done();
	}

	static const struct xcase dwords = { .name = "7 dwords", .ndw = 7, .room = 16 };
	static const struct xcase empty = { .name = "empty message" };
	static const struct xcase maxdw = { .name = "1024 dwords", .ndw = MK_LIPC_MAX_DWORDS };
	static const struct xcase one = { .name = "1-byte string", .ns = 1, .size = { 1 },
					  .soff = { 4095 }, .roff = { 4095 } };
	static const struct xcase four = { .name = "4 KiB string across pages", .ns = 1,
					   .size = { 4 * KiB }, .soff = { 0x123 },
					   .roff = { 0x801 } };
	static const struct xcase sixty4 = { .name = "64 KiB string, unaligned", .ns = 1,
					     .size = { 64 * KiB }, .soff = { 3 },
					     .roff = { 0xffd } };
	static const struct xcase several = {
		.name = "6 strings and 33 dwords", .ndw = 33, .ns = 6,
		.size = { 1, 17, 4096, 5000, 65536, 3 },
		.soff = { 0, 4095, 2048, 1, 0, 77 }, .roff = { 9, 4094, 0, 3, 100, 4093 },
		.nbuf = 8,
	};
	static const struct xcase waits = { .name = "receiver waits first", .ndw = 3, .ns = 1,
					    .size = { 10000 }, .roff = { 7 }, .delay_ms = 100 };
	static const struct xcase fresh = {
		.name = "never-touched receive buffers", .ns = 2,
		.size = { 64 * KiB + 1, 5000 }, .soff = { 0, 11 }, .roff = { 0xfff, 0 },
		.flags = LP_F_FRESH,
	};
	static const struct xcase big = { .name = "9 MiB string", .ns = 1, .size = { 9 * MiB },
					  .soff = { 0x10 }, .roff = { 0x123 } };

	run_case(&p, &dwords, &d);
	run_case(&p, &empty, &d);
	run_case(&p, &maxdw, &d);
	run_case(&p, &one, &d);
	run_case(&p, &four, &d);
	run_case(&p, &sixty4, &d);
	tap_ok(d.window_faults == 0 && d.window_moves >= 1,
	       "64 KiB into touched memory: window loaded, no window fault (%u moves, %u faults)",
	       d.window_moves, d.window_faults);
	run_case(&p, &several, &d);
	run_case(&p, &waits, &d);
	run_case(&p, &fresh, &d);
	tap_ok(d.window_faults >= 18 && d.receiver_faults >= 18,
	       "never-touched buffers: window faults (%u) and receiver faults (%u) taken",
	       d.window_faults, d.receiver_faults);
	run_case(&p, &big, &d);
	tap_ok(d.window_moves >= 2, "9 MiB: the window moved %u times", d.window_moves);
	call_case(&p);

	tap_ok(lp_stop(&p) == 0, "longipc_peer exited with status 0");
	return tap_done();
}
