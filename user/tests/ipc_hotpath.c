/*
 * The mach_msg hot path, seen through its counters (mk_hotpath_counters):
 * a steady null-RPC loop between two tasks takes the direct handoff on
 * every call (the request to the server, the reply back to the client),
 * finishes every receive with fast_copyout and allocates no kmsg outside
 * the cache.  With the hot path switched off (boot option nohotpath) the
 * same loop still works and takes no handoff.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_hotpath.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include "../benchaux/rpc_common.h"

#define LOOPS	1000

static int read_counters(natural_t *c)
{
	mach_msg_type_number_t n = MK_HOTPATH_COUNTERS_MAX;
	kern_return_t kr = mk_hotpath_counters(mach_host_self(), c, &n);
	return kr == KERN_SUCCESS && n >= MMC_COUNT;
}

int main(void)
{
	mach_port_t p, old_bootstrap, server = MACH_PORT_NULL;
	natural_t before[MK_HOTPATH_COUNTERS_MAX], after[MK_HOTPATH_COUNTERS_MAX];
	int hot = mk_hotpath(-1);

	tap_ok(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS &&
	       mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS,
	       "port for the server's introduction");
	tap_ok(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old_bootstrap) == KERN_SUCCESS &&
	       task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p) == KERN_SUCCESS,
	       "our port lent as the bootstrap port");
	int child = mk_spawn("testaux/rpc_server");
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old_bootstrap);
	mach_port_deallocate(mach_task_self(), old_bootstrap);
	tap_ok(child > 0, "server task started (%d)", child);

	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_max_trailer_t trailer;
	} m;
	mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
					30000, MACH_PORT_NULL);
	if (tap_ok(mr == MACH_MSG_SUCCESS && (m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		   m.body.msgh_descriptor_count == 1, "the server sent its port (%#x)", mr))
		server = m.port.name;

	mach_port_t reply = mach_reply_port();
	int ok = 1;
	for (int i = 0; i < 50 && ok; i++)		/* warm up: the cache fills */
		ok = rpc_call(server, reply) == MACH_MSG_SUCCESS;
	tap_ok(read_counters(before), "counters read before");
	for (int i = 0; i < LOOPS && ok; i++)
		ok = rpc_call(server, reply) == MACH_MSG_SUCCESS;
	tap_ok(read_counters(after), "counters read after");
	tap_ok(ok, "%d null RPCs between the two tasks succeeded", LOOPS);

	unsigned handoffs = after[MMC_handoff] - before[MMC_handoff];
	unsigned fastout = after[MMC_fast_copyout_ok] - before[MMC_fast_copyout_ok];
	unsigned misses = after[MMC_kmsg_cache_misses] - before[MMC_kmsg_cache_misses];
	unsigned hits = after[MMC_kmsg_cache_hits] - before[MMC_kmsg_cache_hits];
	unsigned noreceiver = after[MMC_fall_no_receiver] - before[MMC_fall_no_receiver];
	if (hot) {
		tap_ok(handoffs == 2 * LOOPS, "every request and reply handed off (%u of %u)",
		       handoffs, 2 * LOOPS);
		tap_ok(fastout >= 2 * LOOPS, "every receive finished by fast_copyout (%u)", fastout);
		tap_ok(noreceiver == 0, "never found the peer not waiting (%u)", noreceiver);
		tap_ok(hits >= 2 * LOOPS, "kmsg cache hits on every message (%u)", hits);
	} else {
		tap_diag("hot path off (nohotpath): the loop must work without it");
		tap_ok(handoffs == 0, "no handoff with the hot path off (%u)", handoffs);
	}
	tap_ok(misses == 0, "no kmsg allocated outside the cache (%u)", misses);

	rpc_send_quit(server);
	struct mk_exit_info info;
	tap_ok(mk_task_wait(child, 30 * mk_info(MK_INFO_HZ), &info) == KERN_SUCCESS &&
	       info.how == MK_EXIT_STATUS && info.code == 0, "server exited cleanly");
	mach_port_destroy(mach_task_self(), reply);
	mach_port_deallocate(mach_task_self(), server);
	mach_port_destroy(mach_task_self(), p);
	return tap_done();
}
