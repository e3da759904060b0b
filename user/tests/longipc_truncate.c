/*
 * longipc_truncate: a long-IPC message that does not fit the receiver's
 * buffers is refused on both sides ("message truncated": the sender gets
 * MACH_SEND_TOO_LARGE, the receiver MACH_RCV_TOO_LARGE), before a byte is
 * copied: the receiver's dword room and every receive buffer are
 * unchanged, and the receiver's results say what was offered (dwords,
 * strings, each string's size) so that it can retry with room enough.
 *
 * Cases: more dwords than room, more strings than buffers, one string one
 * byte too large, the last of several strings too large (the earlier ones
 * would fit: still nothing is copied), a too-large string into never-
 * touched memory (no page of it may appear).  After them, a message that
 * fits still goes through.  The receiver is testaux/longipc_peer.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>

#define LONGIPC_PEER_PROTO_ONLY
#include "../testaux/longipc_peer.c"

#define PAGE	4096u

struct tcase {
	const char *name;
	uint32_t ndw, ns;
	uint32_t size[4];	/* what is sent */
	uint32_t room, nbuf;
	uint32_t rsize[4];	/* the receiver's buffers */
	uint32_t flags;
	mach_msg_return_t smr, rmr;	/* expected */
};

static uint8_t src[3 * PAGE + 64];

/* Send a message whose strings all come from src (pattern of seed). */
static void run(struct lp_peer *p, const struct tcase *t, uint32_t seed)
{
	struct {
		mk_lipc_msg_t m;
		uint32_t words[64 + 3 * 4];
	} s;
	struct lp_cmd c;
	struct lp_result r;
	struct mk_lipc_stats before, after;

	s.m.lm_dwords = t->ndw;
	s.m.lm_strings = t->ns;
	for (uint32_t j = 0; j < t->ndw; j++)
		MK_LIPC_DWORDS(&s.m)[j] = lp_dword(seed, j);
	mk_lipc_string_t *d = MK_LIPC_STRINGS(&s.m);
	for (uint32_t k = 0; k < t->ns; k++) {
		d[k].ls_addr = (uint32_t)src;
		d[k].ls_size = t->size[k];
	}
	memset(&c, 0, sizeof(c));
	c.flags = t->flags;
	c.seed = seed;
	c.room = t->room;
	c.nbuf = t->nbuf;
	for (uint32_t k = 0; k < t->nbuf; k++) {
		c.size[k] = t->rsize[k];
		c.offset[k] = 17 * k + 1;
	}
	(void)mk_lipc_get_stats(&before);
	mach_msg_return_t cmr = lp_command(p, &c);
	mach_msg_return_t smr = mk_lipc_send(p->peer, &s.m, MK_LIPC_SEND_TIMEOUT, LP_WAIT_MS);
	mach_msg_return_t rmr = lp_result(p, &r);
	(void)mk_lipc_get_stats(&after);

	tap_ok(cmr == MACH_MSG_SUCCESS && rmr == MACH_MSG_SUCCESS, "%s: peer answered", t->name);
	tap_ok(smr == t->smr, "%s: sender gets %#x (got %#x)", t->name, t->smr, smr);
	tap_ok(r.mr == t->rmr, "%s: receiver gets %#x (got %#x)", t->name, t->rmr, r.mr);
	if (t->rmr == MACH_RCV_TOO_LARGE) {
		int told = r.rcv_dwords == t->ndw && r.rcv_strings == t->ns;
		for (uint32_t k = 0; k < t->nbuf && k < t->ns; k++)
			told &= r.xfer[k] == t->size[k];
		tap_ok(told, "%s: receiver told what was offered (%u dwords, %u strings)",
		       t->name, r.rcv_dwords, r.rcv_strings);
		tap_ok(after.bytes == before.bytes && after.window_moves == before.window_moves,
		       "%s: nothing was copied, no window was set up", t->name);
	}
	tap_ok(r.outside_changed == 0 && r.dword_bad == 0 && r.string_bad == 0,
	       "%s: receiver memory %s (%u bytes changed)", t->name,
	       t->rmr == MACH_MSG_SUCCESS ? "holds the message and nothing else" : "unchanged",
	       r.outside_changed + r.dword_bad + r.string_bad);
}

int main(void)
{
	struct lp_peer p;
	uint32_t seed = 0x7e57;

	for (uint32_t i = 0; i < sizeof(src); i++)
		src[i] = lp_byte(seed, 0, i);
	if (!tap_ok(lp_start(&p) == 0, "longipc_peer started")) {
		(void)lp_stop(&p);
		return tap_done();
	}
	static const struct tcase cases[] = {
		{ "10 dwords into room for 4", 10, 0, { 0 }, 4, 0, { 0 }, 0,
		  MACH_SEND_TOO_LARGE, MACH_RCV_TOO_LARGE },
		{ "3 strings into 2 buffers", 0, 3, { 5, 5, 5 }, 0, 2, { 100, 100 }, 0,
		  MACH_SEND_TOO_LARGE, MACH_RCV_TOO_LARGE },
		{ "4097 bytes into 4096", 2, 1, { 4097 }, 2, 1, { 4096 }, 0,
		  MACH_SEND_TOO_LARGE, MACH_RCV_TOO_LARGE },
		{ "last of 3 strings too large", 1, 3, { 10, 4096, 3 * PAGE }, 8, 3,
		  { 10, 4096, 3 * PAGE - 1 }, 0, MACH_SEND_TOO_LARGE, MACH_RCV_TOO_LARGE },
		{ "too large into never-touched memory", 0, 1, { 2 * PAGE }, 0, 1, { PAGE },
		  LP_F_FRESH, MACH_SEND_TOO_LARGE, MACH_RCV_TOO_LARGE },
		{ "string 0 fits exactly", 0, 1, { 3 * PAGE }, 0, 1, { 3 * PAGE }, 0,
		  MACH_MSG_SUCCESS, MACH_MSG_SUCCESS },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&p, &cases[i], seed);

	tap_ok(lp_stop(&p) == 0, "longipc_peer exited with status 0");
	return tap_done();
}
