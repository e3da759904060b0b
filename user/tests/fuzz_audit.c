/*
 * fuzz_audit: the IPC invariant auditor (mk_audit MK_AUDIT_IPC) finds
 * nothing wrong in every legitimate state this test builds, so that a
 * violation it reports under the fuzzer means a kernel bug:
 *
 *   - a fresh task; receive rights with send rights, send-once rights,
 *     dead names, port sets with members;
 *   - messages queued with every kind of right in transit: a send right
 *     in the header, send-once reply rights, port descriptors of each
 *     disposition, an out-of-line port array, a receive right travelling
 *     inside a message (and one travelling inside another travelling
 *     receive right), out-of-line memory;
 *   - armed no-senders, port-destroyed and dead-name requests;
 *   - a thread blocked sending to a full queue (its message is in no
 *     queue), a thread blocked receiving on a set;
 *   - everything torn down again, then the kernel's object counts back
 *     where they were.
 *
 * It also checks the trap's other ops: counts, zones, the command line,
 * and bad arguments (KERN_INVALID_ARGUMENT, KERN_INVALID_ADDRESS).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/notify.h>
#include <mk/tap.h>
#include <mk/thread.h>
#include "../testaux/ipc_common.h"

static mach_port_t self;

/* Audit, printing violations; returns the count. */
static int audit(void)
{
	return mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0);
}

struct big_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	p[4];
	mach_msg_ool_ports_descriptor_t	ports;
	mach_msg_ool_descriptor_t	mem;
};

/* Send a complex message to dest carrying the given rights. */
static mach_msg_return_t send_big(mach_port_t dest, mach_port_t reply,
				  mach_port_t names[4], mach_msg_type_name_t disp[4],
				  mach_port_t *arr, unsigned arrn, void *mem, unsigned memn)
{
	struct big_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
	    reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = 77;
	m.body.msgh_descriptor_count = 6;
	for (int i = 0; i < 4; i++) {
		m.p[i].name = names[i];
		m.p[i].disposition = disp[i];
		m.p[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	m.ports.address = arr;
	m.ports.count = arrn;
	m.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	m.mem.address = mem;
	m.mem.size = memn;
	m.mem.copy = MACH_MSG_VIRTUAL_COPY;
	m.mem.type = MACH_MSG_OOL_DESCRIPTOR;
	return ipc_send(&m.head, sizeof(m));
}

static volatile int blocked_result = -1;
static mach_port_t full_port;

/* Thread: send one more message to the full port, blocking. */
static void blocked_sender(void *arg)
{
	(void)arg;
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = full_port;
	h.msgh_id = 5;
	blocked_result = mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
	    MACH_PORT_NULL, 60000, MACH_PORT_NULL);
}

static mach_port_t wait_set;
static volatile int set_result = -1;

/* Thread: receive on the set (woken when the set is destroyed). */
static void set_receiver(void *arg)
{
	(void)arg;
	union { mach_msg_header_t h; char b[256]; } u;
	set_result = mach_msg(&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), wait_set,
	    60000, MACH_PORT_NULL);
}

int main(void)
{
	struct mk_audit_counts before, after;
	self = mach_task_self();

	tap_ok(mk_audit(MK_AUDIT_COUNTS, 0, &before, sizeof(before)) == KERN_SUCCESS,
	    "counts");
	tap_ok(audit() == 0, "a fresh task: no violations");

	/* rights of every kind */
	mach_port_t a = ipc_port_send(), b = ipc_port_send(), c = ipc_port(), d = ipc_port();
	mach_port_t set = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	(void)mach_port_move_member(self, c, set);
	(void)mach_port_mod_refs(self, a, MACH_PORT_RIGHT_SEND, 5);
	tap_ok(audit() == 0, "receive, send, set with a member, dead name: no violations");

	/* a dead name made by destroying a receive right others hold sends to */
	mach_port_t gone = ipc_port_send();
	(void)mach_port_insert_right(self, gone, gone, MACH_MSG_TYPE_MAKE_SEND);
	(void)mach_port_mod_refs(self, gone, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(ipc_type(gone) == MACH_PORT_TYPE_DEAD_NAME, "destroyed receive right left a dead name");
	tap_ok(audit() == 0, "dead name from a destroyed port: no violations");

	/* requests */
	mach_port_t notify = ipc_port(), prev = MACH_PORT_NULL;
	tap_ok(mach_port_request_notification(self, a, MACH_NOTIFY_NO_SENDERS, 0, notify,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS, "no-senders request");
	tap_ok(mach_port_request_notification(self, b, MACH_NOTIFY_PORT_DESTROYED, 0, notify,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS, "port-destroyed request");
	tap_ok(mach_port_request_notification(self, b, MACH_NOTIFY_DEAD_NAME, 0, notify,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev) == KERN_SUCCESS, "dead-name request");
	tap_ok(audit() == 0, "armed requests: no violations");

	/* messages with rights in transit, queued on d */
	static char page[8192];
	memset(page, 0x5a, sizeof(page));
	mach_port_t arr[3] = { a, b, MACH_PORT_DEAD };
	mach_port_t names[4] = { a, b, MACH_PORT_NULL, MACH_PORT_NULL };
	mach_msg_type_name_t disp[4] = { MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND };
	tap_ok(send_big(d, b, names, disp, arr, 3, page, sizeof(page)) == MACH_MSG_SUCCESS,
	    "complex message queued");
	/* a receive right inside a message, and one inside that port's queue */
	mach_port_t inner = ipc_port(), outer = ipc_port();
	mach_port_t n2[4] = { inner, MACH_PORT_NULL, MACH_PORT_NULL, MACH_PORT_NULL };
	mach_msg_type_name_t d2[4] = { MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND };
	tap_ok(send_big(outer, MACH_PORT_NULL, n2, d2, NULL, 0, NULL, 0) == MACH_MSG_SUCCESS,
	    "receive right sent to outer");
	mach_port_t n3[4] = { outer, MACH_PORT_NULL, MACH_PORT_NULL, MACH_PORT_NULL };
	tap_ok(send_big(d, MACH_PORT_NULL, n3, d2, NULL, 0, NULL, 0) == MACH_MSG_SUCCESS,
	    "outer's receive right sent to d");
	tap_ok(audit() == 0, "rights and memory in transit, nested receive rights: no violations");

	/* a blocked sender (its kmsg is on no queue) and a receiver on a set */
	full_port = ipc_port();
	mach_port_limits_t lim = { 1 };
	(void)mach_port_set_attributes(self, full_port, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = full_port;
	tap_ok(ipc_send(&h, sizeof(h)) == MACH_MSG_SUCCESS, "fill the queue");
	int t1 = mk_thread_start(blocked_sender, NULL);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &wait_set);
	int t2 = mk_thread_start(set_receiver, NULL);
	for (int i = 0; i < 20; i++)
		(void)mk_sleep_ms(5);
	tap_ok(blocked_result == -1 && set_result == -1, "a sender and a receiver are blocked");
	tap_ok(audit() == 0, "blocked sender and set receiver: no violations");
	tap_ok(mk_audit(MK_AUDIT_WAITFOR, 0, NULL, 0) >= 2,
	       "the wait-for report lists the blocked sender and the set's receiver");

	/* unblock and tear down */
	(void)mach_port_destroy(self, full_port);
	(void)mach_port_destroy(self, wait_set);
	(void)mk_thread_wait(t1);
	(void)mk_thread_wait(t2);
	tap_ok(blocked_result == MACH_SEND_INVALID_DEST, "blocked sender: port died (%#x)",
	    blocked_result);
	tap_ok(set_result == MACH_RCV_PORT_DIED, "set receiver: set died (%#x)", set_result);
	tap_ok(audit() == 0, "after waking the waiters: no violations");

	mach_port_t all[] = { a, b, c, d, set, dead, gone, notify, outer };
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		(void)mach_port_destroy(self, all[i]);
	/* whatever notifications arrived went with notify; drop leftovers */
	mach_port_name_array_t nm;
	mach_port_type_array_t ty;
	mach_msg_type_number_t nn = 0, tn = 0;
	tap_ok(audit() == 0, "torn down: no violations");

	/* the other ops */
	tap_ok(mk_audit(MK_AUDIT_COUNTS, 0, &after, sizeof(after) - 1) == KERN_INVALID_ARGUMENT,
	    "counts into a short buffer: KERN_INVALID_ARGUMENT");
	tap_ok(mk_audit(MK_AUDIT_COUNTS, 0, (void *)0xc0001000u, sizeof(after)) ==
	    KERN_INVALID_ADDRESS, "counts into kernel memory: KERN_INVALID_ADDRESS");
	struct mk_audit_zone zones[64];
	int nz = mk_audit(MK_AUDIT_ZONES, 0, zones, sizeof(zones));
	tap_ok(nz > 5 && nz <= 64 && zones[0].name[0] != '\0', "%d zones, first %s", nz,
	    zones[0].name);
	char cmd[256];
	tap_ok(mk_audit(MK_AUDIT_BOOTARGS, 0, cmd, sizeof(cmd)) == KERN_SUCCESS &&
	    strstr(cmd, "test") != NULL, "command line '%s'", cmd);
	tap_ok(mk_audit(MK_AUDIT_BOOTARGS, 0, cmd, 3) == KERN_SUCCESS && strlen(cmd) == 2,
	    "command line cut to the buffer");
	tap_ok(mk_audit(MK_AUDIT_BOOTARGS, 0, NULL, 16) == KERN_INVALID_ADDRESS,
	    "command line to NULL: KERN_INVALID_ADDRESS");
	tap_ok(mk_audit(99, 0, NULL, 0) == KERN_INVALID_ARGUMENT, "unknown op");
	tap_ok(mk_fault_inject(MK_FI_ZONE, 5, "no.such.zone") == -KERN_INVALID_ARGUMENT,
	    "fault injection on an unknown zone");
	tap_ok(mk_fault_inject(MK_FI_ZONE, 5, (const char *)0xc0000000u) ==
	    -KERN_INVALID_ADDRESS, "fault injection, zone name in kernel memory");
	tap_ok(mk_fault_inject(77, 5, NULL) == -KERN_INVALID_ARGUMENT, "unknown kind");
	tap_ok(mk_fault_inject(MK_FI_KALLOC, 1000000, NULL) == 0 &&
	    mk_fault_inject(MK_FI_KALLOC, 0, NULL) > 999000, "kalloc counter armed and read back");
	tap_ok(mk_fault_inject(MK_FI_OFF, 0, NULL) == 0, "everything off");

	(void)mach_port_names(self, &nm, &nn, &ty, &tn);
	(void)vm_deallocate(self, (vm_address_t)nm, nn * sizeof(*nm));
	(void)vm_deallocate(self, (vm_address_t)ty, tn * sizeof(*ty));
	return tap_done();
}
