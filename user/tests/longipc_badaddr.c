/*
 * longipc_badaddr: long IPC refuses bad names, bad addresses and bad
 * sizes with the documented codes (<mach/mk_long_ipc.h>), and nothing
 * reaches kernel memory or memory the receiver did not offer.
 *
 * Checked on this task alone (each fails before any rendezvous):
 *   - destinations that are not send rights: null, unallocated, a receive
 *     right without send right, a dead name, a port set, a kernel port;
 *   - receive names that are not receive rights;
 *   - sender header, dopes and strings in kernel space, past the top of
 *     user space, unmapped; too many dwords or strings;
 *   - receive header, dword room and buffers in kernel space or running
 *     past the top of user space; too many buffers;
 *   - unknown options; send and receive timeouts.
 * With testaux/longipc_peer as the receiver:
 *   - a sender string that is unmapped (in user space): the sender gets
 *     MACH_SEND_INVALID_DATA, the receiver "aborted", its memory untouched;
 *   - a read-only or unmapped receive buffer: MACH_SEND_INVALID_MEMORY /
 *     MACH_RCV_INVALID_DATA, nothing written.
 * With threads of this task:
 *   - a receiver blocked on a port that is destroyed gets
 *     MACH_RCV_PORT_DIED; a blocked sender gets MACH_SEND_INVALID_DEST.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define LONGIPC_PEER_PROTO_ONLY
#include "../testaux/longipc_peer.c"

#define PAGE		4096u
#define KERNEL_VA	0xc0100000u	/* the kernel image */
#define USER_TOP	0xc0000000u
#define UNMAPPED	0x6f000000u	/* nothing is ever mapped here by this test */

struct msgbuf {
	mk_lipc_msg_t m;
	uint32_t words[64];
};

static uint8_t data[2 * PAGE];

/* A send buffer: ndw dwords and the given dopes. */
static void set_send(struct msgbuf *b, uint32_t ndw, uint32_t ns, const mk_lipc_string_t *d)
{
	b->m.lm_dwords = ndw;
	b->m.lm_strings = ns;
	for (uint32_t j = 0; j < ndw; j++)
		MK_LIPC_DWORDS(&b->m)[j] = j;
	memcpy(MK_LIPC_STRINGS(&b->m), d, ns * sizeof(*d));
}

static void test_names(mach_port_t own)
{
	struct msgbuf b;
	mach_port_t recv_only, dead, pset;
	mach_msg_return_t mr;

	set_send(&b, 1, 0, NULL);
	mr = mk_lipc_send(MACH_PORT_NULL, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest MACH_PORT_NULL: MACH_SEND_INVALID_DEST (%#x)", mr);
	mr = mk_lipc_send(0x7f0103, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest never allocated: MACH_SEND_INVALID_DEST (%#x)", mr);

	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &recv_only);
	mr = mk_lipc_send(recv_only, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest a receive right only: MACH_SEND_INVALID_DEST (%#x)", mr);

	/* a send right whose port dies becomes a dead name */
	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &dead);
	(void)mach_port_insert_right(mach_task_self(), dead, dead, MACH_MSG_TYPE_MAKE_SEND);
	kern_return_t kr = mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_type_t type = 0;
	(void)mach_port_type(mach_task_self(), dead, &type);
	mr = mk_lipc_send(dead, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST,
	       "dest a dead name (type %#x, kr %d): MACH_SEND_INVALID_DEST (%#x)", type, kr, mr);

	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &pset);
	mr = mk_lipc_send(pset, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest a port set: MACH_SEND_INVALID_DEST (%#x)", mr);
	mr = mk_lipc_send(mach_task_self(), &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest the task's kernel port: MACH_SEND_INVALID_DEST (%#x)", mr);

	struct msgbuf r = { .m = { .lm_dwords = 4 } };
	mr = mk_lipc_receive(MACH_PORT_NULL, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_NAME, "receive on MACH_PORT_NULL: MACH_RCV_INVALID_NAME (%#x)", mr);
	mr = mk_lipc_receive(mach_task_self(), &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_NAME, "receive on a send right: MACH_RCV_INVALID_NAME (%#x)", mr);
	mr = mk_lipc_receive(pset, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_NAME, "receive on a port set: MACH_RCV_INVALID_NAME (%#x)", mr);

	/* what is left of the right names works: a timeout, not an error */
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_TIMED_OUT, "good dest, nobody receiving, timeout 0: "
	       "MACH_SEND_TIMED_OUT (%#x)", mr);
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "good name, nobody sending, timeout 0: "
	       "MACH_RCV_TIMED_OUT (%#x)", mr);
	unsigned t0 = mk_info(MK_INFO_TICKS);
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 50);
	unsigned t1 = mk_info(MK_INFO_TICKS);
	tap_ok(mr == MACH_SEND_TIMED_OUT && t1 - t0 >= 4,
	       "send with a 50 ms timeout times out after %u ticks (%#x)", t1 - t0, mr);
	t0 = mk_info(MK_INFO_TICKS);
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 50);
	t1 = mk_info(MK_INFO_TICKS);
	tap_ok(mr == MACH_RCV_TIMED_OUT && t1 - t0 >= 4,
	       "receive with a 50 ms timeout times out after %u ticks (%#x)", t1 - t0, mr);
	mr = mk_long_ipc(MK_LIPC_SEND | 0x8000, own, &b.m, MACH_PORT_NULL, NULL, 0);
	tap_ok(mr == MACH_SEND_INVALID_OPTIONS, "unknown option bit: MACH_SEND_INVALID_OPTIONS (%#x)", mr);

	(void)mach_port_destroy(mach_task_self(), recv_only);
	(void)mach_port_destroy(mach_task_self(), dead);
	(void)mach_port_destroy(mach_task_self(), pset);
}

static void test_send_buffers(mach_port_t own)
{
	struct msgbuf b;
	mach_msg_return_t mr;
	mk_lipc_string_t d[2];

	mr = mk_lipc_send(own, (const mk_lipc_msg_t *)KERNEL_VA, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send header in kernel space: MACH_SEND_INVALID_DATA (%#x)", mr);
	mr = mk_lipc_send(own, NULL, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send header at NULL: MACH_SEND_INVALID_DATA (%#x)", mr);
	mr = mk_lipc_send(own, (const mk_lipc_msg_t *)(USER_TOP - 8), MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send header across the top of user space: "
	       "MACH_SEND_INVALID_DATA (%#x)", mr);
	mr = mk_lipc_send(own, (const mk_lipc_msg_t *)UNMAPPED, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send header unmapped: MACH_SEND_INVALID_DATA (%#x)", mr);

	b.m.lm_dwords = MK_LIPC_MAX_DWORDS + 1;
	b.m.lm_strings = 0;
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "%u dwords: MACH_SEND_INVALID_HEADER (%#x)",
	       MK_LIPC_MAX_DWORDS + 1, mr);
	b.m.lm_dwords = 0;
	b.m.lm_strings = MK_LIPC_MAX_STRINGS + 1;
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "%u strings: MACH_SEND_INVALID_HEADER (%#x)",
	       MK_LIPC_MAX_STRINGS + 1, mr);

	/* dwords running past the top: header just below the top */
	d[0] = (mk_lipc_string_t){ KERNEL_VA, 16, 0 };
	set_send(&b, 0, 1, d);
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "string in kernel space: MACH_SEND_INVALID_DATA (%#x)", mr);
	d[0] = (mk_lipc_string_t){ USER_TOP - PAGE, 2 * PAGE, 0 };
	set_send(&b, 0, 1, d);
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "string running past the top of user space: "
	       "MACH_SEND_INVALID_DATA (%#x)", mr);
	d[0] = (mk_lipc_string_t){ 0xfffff000u, 0x2000, 0 };
	set_send(&b, 0, 1, d);
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_INVALID_DATA, "string wrapping around 4 GiB: MACH_SEND_INVALID_DATA (%#x)", mr);
	d[0] = (mk_lipc_string_t){ KERNEL_VA, 0, 0 };
	set_send(&b, 0, 1, d);
	mr = mk_lipc_send(own, &b.m, MK_LIPC_SEND_TIMEOUT, 0);
	tap_ok(mr == MACH_SEND_TIMED_OUT, "an empty string may point anywhere: checks pass, "
	       "then MACH_SEND_TIMED_OUT (%#x)", mr);
}

static void test_receive_buffers(mach_port_t own)
{
	struct msgbuf r;
	mach_msg_return_t mr;
	mk_lipc_string_t *d = (mk_lipc_string_t *)&MK_LIPC_DWORDS(&r.m)[0];	/* with 0 dwords */

	mr = mk_lipc_receive(own, (mk_lipc_msg_t *)KERNEL_VA, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive header in kernel space: MACH_RCV_INVALID_DATA (%#x)", mr);
	mr = mk_lipc_receive(own, (mk_lipc_msg_t *)(USER_TOP - 4), MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive header across the top of user space: "
	       "MACH_RCV_INVALID_DATA (%#x)", mr);
	mr = mk_lipc_receive(own, (mk_lipc_msg_t *)UNMAPPED, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive header unmapped: MACH_RCV_INVALID_DATA (%#x)", mr);

	r.m.lm_dwords = 0x40000000u;
	r.m.lm_strings = 0;
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "dword room running past the top of user space: "
	       "MACH_RCV_INVALID_DATA (%#x)", mr);
	r.m.lm_dwords = 0;
	r.m.lm_strings = MK_LIPC_MAX_STRINGS + 1;
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_ARGUMENTS, "%u receive buffers: MACH_RCV_INVALID_ARGUMENTS (%#x)",
	       MK_LIPC_MAX_STRINGS + 1, mr);

	r.m.lm_dwords = 0;
	r.m.lm_strings = 2;
	d[0] = (mk_lipc_string_t){ (uint32_t)data, 16, 0 };
	d[1] = (mk_lipc_string_t){ KERNEL_VA, PAGE, 0 };
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive buffer in kernel space: MACH_RCV_INVALID_DATA (%#x)", mr);
	d[1] = (mk_lipc_string_t){ USER_TOP - 16, 32, 0 };
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive buffer running past the top of user space: "
	       "MACH_RCV_INVALID_DATA (%#x)", mr);
	d[1] = (mk_lipc_string_t){ 0xffffff00u, 0x200, 0 };
	mr = mk_lipc_receive(own, &r.m, MK_LIPC_RCV_TIMEOUT, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "receive buffer wrapping around 4 GiB: "
	       "MACH_RCV_INVALID_DATA (%#x)", mr);
}

/* With the peer receiving: faults found before anything is copied. */
static void test_with_peer(void)
{
	struct lp_peer p;
	struct lp_cmd c;
	struct lp_result r;
	struct msgbuf b;
	mk_lipc_string_t d[2];
	mach_msg_return_t smr, cmr, rmr;

	if (!tap_ok(lp_start(&p) == 0, "longipc_peer started")) {
		(void)lp_stop(&p);
		return;
	}
	for (uint32_t i = 0; i < sizeof(data); i++)
		data[i] = lp_byte(5, 0, i);

	/* bad sender address: in user space, but nothing mapped there */
	memset(&c, 0, sizeof(c));
	c.seed = 5;
	c.room = 4;
	c.nbuf = 2;
	c.size[0] = c.size[1] = PAGE;
	d[0] = (mk_lipc_string_t){ (uint32_t)data, 100, 0 };
	d[1] = (mk_lipc_string_t){ UNMAPPED + 12, 100, 0 };
	set_send(&b, 4, 2, d);
	cmr = lp_command(&p, &c);
	smr = mk_lipc_send(p.peer, &b.m, MK_LIPC_SEND_TIMEOUT, LP_WAIT_MS);
	rmr = lp_result(&p, &r);
	tap_ok(cmr == MACH_MSG_SUCCESS && rmr == MACH_MSG_SUCCESS, "bad sender address: peer answered");
	tap_ok(smr == MACH_SEND_INVALID_DATA, "bad sender address: sender gets "
	       "MACH_SEND_INVALID_DATA (%#x)", smr);
	tap_ok(r.mr == MK_LIPC_RCV_ABORTED, "bad sender address: receiver gets aborted "
	       "(MK_LIPC_RCV_ABORTED, got %#x)", r.mr);
	tap_ok(r.outside_changed == 0, "bad sender address: receiver memory untouched, even "
	       "string 0 and the dwords (%u bytes changed)", r.outside_changed);

	/* receive buffer 0 read-only, then unmapped */
	static const uint32_t bad_flags[2] = { LP_F_RO, LP_F_HOLE };
	static const char *const bad_names[2] = { "read-only", "unmapped" };
	for (int i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		c.flags = bad_flags[i];
		c.seed = 5;
		c.room = 4;
		c.nbuf = 1;
		c.size[0] = PAGE;
		c.offset[0] = 8;
		d[0] = (mk_lipc_string_t){ (uint32_t)data, 200, 0 };
		set_send(&b, 2, 1, d);
		cmr = lp_command(&p, &c);
		smr = mk_lipc_send(p.peer, &b.m, MK_LIPC_SEND_TIMEOUT, LP_WAIT_MS);
		rmr = lp_result(&p, &r);
		tap_ok(cmr == MACH_MSG_SUCCESS && rmr == MACH_MSG_SUCCESS,
		       "%s receive buffer: peer answered", bad_names[i]);
		tap_ok(smr == MACH_SEND_INVALID_MEMORY && r.mr == MACH_RCV_INVALID_DATA,
		       "%s receive buffer: MACH_SEND_INVALID_MEMORY / MACH_RCV_INVALID_DATA "
		       "(%#x / %#x)", bad_names[i], smr, r.mr);
		tap_ok(r.outside_changed == 0, "%s receive buffer: nothing written, not even the "
		       "dwords (%u bytes changed)", bad_names[i], r.outside_changed);
	}
	/* and the peer still works */
	memset(&c, 0, sizeof(c));
	c.seed = 5;
	c.nbuf = 1;
	c.size[0] = 300;
	d[0] = (mk_lipc_string_t){ (uint32_t)data, 300, 0 };
	set_send(&b, 0, 1, d);
	cmr = lp_command(&p, &c);
	smr = mk_lipc_send(p.peer, &b.m, MK_LIPC_SEND_TIMEOUT, LP_WAIT_MS);
	rmr = lp_result(&p, &r);
	tap_ok(smr == MACH_MSG_SUCCESS && r.mr == MACH_MSG_SUCCESS && r.string_bad == 0 &&
	       r.xfer[0] == 300, "after the errors a good message still arrives (%#x / %#x)",
	       smr, r.mr);
	tap_ok(lp_stop(&p) == 0, "longipc_peer exited with status 0");
}

static mach_port_t dying;
static volatile mach_msg_return_t thread_mr;

static void blocked_receiver(void *arg __attribute__((unused)))
{
	struct msgbuf r = { .m = { .lm_dwords = 4 } };
	thread_mr = mk_lipc_receive(dying, &r.m, 0, 0);
}

static void blocked_sender(void *arg __attribute__((unused)))
{
	struct msgbuf b;
	set_send(&b, 2, 0, NULL);
	thread_mr = mk_lipc_send(dying, &b.m, 0, 0);
}

/* A thread blocked on a port whose receive right dies is woken. */
static void test_port_death(void)
{
	void (*const fns[2])(void *) = { blocked_receiver, blocked_sender };
	static const char *const what[2] = { "receiver", "sender" };
	static const mach_msg_return_t want[2] = { MACH_RCV_PORT_DIED, MACH_SEND_INVALID_DEST };

	for (int i = 0; i < 2; i++) {
		(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &dying);
		(void)mach_port_insert_right(mach_task_self(), dying, dying, MACH_MSG_TYPE_MAKE_SEND);
		thread_mr = -1;
		int tid = mk_thread_start(fns[i], NULL);
		(void)mk_sleep_ms(50);		/* let it block */
		mach_msg_return_t before = thread_mr;
		(void)mach_port_destroy(mach_task_self(), dying);
		kern_return_t kr = mk_thread_wait(tid);
		tap_ok(tid > 0 && kr == KERN_SUCCESS && before == (mach_msg_return_t)-1 &&
		       thread_mr == want[i], "blocked %s woken by the port's death with %#x "
		       "(got %#x)", what[i], want[i], thread_mr);
	}
}

int main(void)
{
	mach_port_t own;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &own) ||
	    mach_port_insert_right(mach_task_self(), own, own, MACH_MSG_TYPE_MAKE_SEND)) {
		tap_ok(0, "a port to work with");
		return tap_done();
	}
	test_names(own);
	test_send_buffers(own);
	test_receive_buffers(own);
	test_with_peer();
	test_port_death();
	(void)mach_port_destroy(mach_task_self(), own);
	return tap_done();
}
