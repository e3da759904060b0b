/*
 * exc_nohandler: a task that faults with no exception handler at any
 * level dies, and its rights are cleaned up so that a peer hears of it.
 *
 * This task (the peer) has no exception ports (checked), so neither has
 * testaux/exc_victim, which it spawns with its bootstrap port set to a
 * port P of ours.  The victim sends us a send right to a port R of its
 * own.  We ask for a dead-name notification on it (to our port N), tell
 * the victim to go on, and it executes ud2.  Then:
 *
 *   - the victim ended by the fault: MK_EXIT_FAULT, trap 6, at its EIP;
 *   - exactly one MACH_NOTIFY_DEAD_NAME came to N, naming R's name here,
 *     in XNU's layout (mach_dead_name_notification_t);
 *   - the name is now a dead name with two user references: the send
 *     right's and the one the notification carries (as in XNU, where
 *     ipc_right_check adds it for an armed request);
 *   - a send to it fails with MACH_SEND_INVALID_DEST;
 *   - a new dead-name request on the dead name: with sync 0 it is refused
 *     (KERN_INVALID_ARGUMENT, its send-once right destroyed, so N gets a
 *     send-once notification); with sync 1 it is answered at once with a
 *     dead-name notification and one more user reference.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>

/* Must match testaux/exc_victim.c. */
#define HELLO_ID	0x48454c4f
#define GO_ID		0x474f2121

#define RCV_TIMEOUT_MS	60000u
#define WAIT_S		60

union notice {
	mach_msg_header_t h;
	mach_dead_name_notification_t dn;
	mach_send_once_notification_t so;
	uint8_t space[256];
};

/* Receive one message from port with the given timeout. */
static mach_msg_return_t receive(mach_port_t port, union notice *m, mach_msg_timeout_t ms)
{
	memset(m, 0, sizeof(*m));
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, ms,
			MACH_PORT_NULL);
}

/* Check a dead-name notification for name on port n. */
static int check_dead_name(const char *what, const union notice *m, mach_port_t n,
			   mach_port_t name)
{
	const mach_dead_name_notification_t *d = &m->dn;
	return tap_ok(d->not_header.msgh_id == MACH_NOTIFY_DEAD_NAME &&
		      d->not_header.msgh_size == __builtin_offsetof(mach_dead_name_notification_t,
								    trailer) &&
		      !(d->not_header.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		      d->not_header.msgh_local_port == n &&
		      d->not_header.msgh_remote_port == MACH_PORT_NULL &&
		      memcmp(&d->NDR, &NDR_record, sizeof(NDR_record)) == 0 &&
		      d->not_port == name,
		      "%s: MACH_NOTIFY_DEAD_NAME (id %d size %u bits %#x) to N naming %#x (got "
		      "%#x)", what, d->not_header.msgh_id, d->not_header.msgh_size,
		      d->not_header.msgh_bits, name, d->not_port);
}

/* Our task exception ports are all empty (the victim inherits them). */
static int no_exception_ports(void)
{
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	if (task_get_exception_ports(mach_task_self(), EXC_MASK_ALL, masks, &cnt, ports, behaviors,
				     flavors) != KERN_SUCCESS)
		return 0;
	int none = 1;
	for (mach_msg_type_number_t i = 0; i < cnt; i++) {
		if (ports[i] != MACH_PORT_NULL)
			none = 0;
		if (MACH_PORT_VALID(ports[i]))
			mach_port_deallocate(mach_task_self(), ports[i]);
	}
	return none;
}

int main(void)
{
	mach_port_t self = mach_task_self(), p, n, old_bp = MACH_PORT_NULL, prev;
	unsigned int hz = mk_info(MK_INFO_HZ);
	kern_return_t kr;

	tap_ok(no_exception_ports(), "this task (so the victim) has no exception handler");
	if (!tap_ok(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS &&
		    mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS &&
		    mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &n) == KERN_SUCCESS,
		    "ports P and N made"))
		return tap_done();

	/* spawn the victim with P as its bootstrap port */
	kr = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &old_bp);
	if (kr == KERN_SUCCESS)
		kr = task_set_special_port(self, TASK_BOOTSTRAP_PORT, p);
	int victim = kr == KERN_SUCCESS ? mk_spawn("testaux/exc_victim") : -1;
	tap_ok(task_set_special_port(self, TASK_BOOTSTRAP_PORT, old_bp) == KERN_SUCCESS,
	       "bootstrap port restored");
	if (MACH_PORT_VALID(old_bp))
		mach_port_deallocate(self, old_bp);
	mach_port_deallocate(self, p);
	if (!tap_ok(victim > 0, "victim spawned (kr %#x, %d)", kr, victim))
		return tap_done();

	union notice m;
	mach_msg_return_t mr = receive(p, &m, RCV_TIMEOUT_MS);
	mach_port_t r = m.h.msgh_remote_port;
	mach_port_type_t type = 0;
	mach_port_type(self, r, &type);
	int have_r = tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == HELLO_ID &&
			    MACH_MSGH_BITS_REMOTE(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
			    type == MACH_PORT_TYPE_SEND,
			    "victim sent a send right to its port R (mr %#x, name %#x, type %#x)", mr,
			    r, type);

	if (have_r) {
		kr = mach_port_request_notification(self, r, MACH_NOTIFY_DEAD_NAME, 0, n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL,
		       "dead-name request on R armed, no previous request (kr %#x, prev %#x)", kr,
		       prev);
		mach_port_type(self, r, &type);
		tap_ok(type == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST),
		       "R's type shows the request (%#x)", type);

		mach_msg_header_t go = { 0 };
		go.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		go.msgh_size = sizeof(go);
		go.msgh_remote_port = r;
		go.msgh_id = GO_ID;
		mr = mach_msg(&go, MACH_SEND_MSG, sizeof(go), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		tap_ok(mr == MACH_MSG_SUCCESS, "GO sent (mr %#x)", mr);
	}

	struct mk_exit_info info = { 0, 0, 0 };
	kr = mk_task_wait(victim, WAIT_S * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(victim);
		mk_task_wait(victim, WAIT_S * hz, &info);
	}
	tap_ok(kr == KERN_SUCCESS && info.how == MK_EXIT_FAULT && info.code == 6 &&
	       info.addr >= 0x08048000u && info.addr < 0x08148000u,
	       "victim terminated by the fault: trap 6 at its EIP (kr %#x, how %d, code %d, addr "
	       "%#x)", kr, info.how, info.code, info.addr);
	if (!have_r)
		goto out;

	mr = receive(n, &m, RCV_TIMEOUT_MS);
	if (tap_ok(mr == MACH_MSG_SUCCESS, "a notification came to N (mr %#x)", mr))
		check_dead_name("R died", &m, n, r);
	mr = receive(n, &m, 0);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "only one (mr %#x, id %d)", mr, m.h.msgh_id);

	mach_port_urefs_t refs = 0;
	mach_port_type(self, r, &type);
	kr = mach_port_get_refs(self, r, MACH_PORT_RIGHT_DEAD_NAME, &refs);
	tap_ok(type == MACH_PORT_TYPE_DEAD_NAME, "R's name is a dead name (type %#x)", type);
	tap_ok(kr == KERN_SUCCESS && refs == 2,
	       "with 2 user refs: the send right's and the notification's (kr %#x, refs %u)", kr,
	       refs);

	mach_msg_header_t h = { 0 };
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = r;
	h.msgh_id = 1;
	mr = mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "a send to it: MACH_SEND_INVALID_DEST (mr %#x)", mr);

	/* requests on the dead name */
	kr = mach_port_get_refs(self, r, MACH_PORT_RIGHT_DEAD_NAME, &refs);
	mach_port_urefs_t before = refs;
	kr = mach_port_request_notification(self, r, MACH_NOTIFY_DEAD_NAME, 0, n,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "request with sync 0 on a dead name: "
	       "KERN_INVALID_ARGUMENT (kr %#x)", kr);
	mr = receive(n, &m, RCV_TIMEOUT_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == MACH_NOTIFY_SEND_ONCE &&
	       m.h.msgh_size == sizeof(mach_msg_header_t),
	       "its unused send-once right came back as a send-once notification (mr %#x, id %d)",
	       mr, m.h.msgh_id);
	kr = mach_port_request_notification(self, r, MACH_NOTIFY_DEAD_NAME, 1, n,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL,
	       "request with sync 1 on a dead name accepted (kr %#x, prev %#x)", kr, prev);
	mr = receive(n, &m, 0);
	if (tap_ok(mr == MACH_MSG_SUCCESS, "answered at once (mr %#x)", mr))
		check_dead_name("immediate", &m, n, r);
	mach_port_get_refs(self, r, MACH_PORT_RIGHT_DEAD_NAME, &refs);
	tap_ok(refs == before + 1, "one more user ref (%u -> %u)", before, refs);
	mr = receive(n, &m, 0);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "nothing else on N (mr %#x)", mr);

	tap_ok(mach_port_destroy(self, r) == KERN_SUCCESS, "dead name released");
out:
	mach_port_destroy(self, n);
	mach_port_destroy(self, p);
	return tap_done();
}
