/*
 * The IPC invariant auditor.
 *
 * One pass collects, per port and per port set, what the rest of the
 * kernel says about it: the rights held in entries, the rights in transit
 * in kmsgs (queued on ports, handed to a receiver that has not run yet,
 * or held by a sender blocked on a full queue), and the rights the kernel
 * itself holds (task and thread special ports, the host port, exception
 * port tables, no-senders / port-destroyed / dead-name requests).  Then
 * it checks:
 *
 *   entries   type bits are one of the valid combinations; urefs are in
 *             range (send and dead name 1..MACH_PORT_UREFS_MAX, send-once
 *             exactly 1, receive alone and port set 0); the object is a
 *             live port or set of the right kind (a dead name has none);
 *             a receive right's port names this space and this name; a
 *             set names this space and this name; send and receive
 *             entries are in the reverse hash and are what it finds for
 *             their object (one entry per port per space), others are not
 *             hashed; on a live port, an entry's dead-name request flag
 *             matches a request on the port (a dead port has answered
 *             them all; the flag goes when the entry is next looked at);
 *   tables    entry 0 is unused; every free entry is on the free list
 *             exactly once and no used entry is; is_used counts the used
 *             entries; every name decodes (index, generation) back to its
 *             entry; hash chains end and hold only hashed entries;
 *   ports     ip_srights / ip_sorights equal the rights found (for a dead
 *             port: at least those found, since a send right becomes a
 *             dead name without giving its count back); an active port's
 *             receive right is in exactly one place (a space entry, the
 *             kernel, or one message); a dead port has no messages, set,
 *             or requests; ip_msgcount is its queue's length; no receiver
 *             waits on a port (or its set) that has messages queued;
 *             threads on wait lists are waiting; io_references covers
 *             every reference found (entries, rights in transit,
 *             kernel-held rights, ports travelling towards it, blocked
 *             senders), and in exact mode (a quiet system) equals it,
 *             give or take one per waiting receiver (the mach_msg hot
 *             path waits on a reply port without a reference);
 *   sets      membership is symmetric (port->ip_pset == set iff the port
 *             is on the set's list); members are active ports received in
 *             the set's space; an active set is named by its space's entry;
 *   kmsgs     header dispositions are kernel-form right types, the
 *             destination is the port the message is queued on, every
 *             port pointer is a known port, descriptor counts fit the
 *             message;
 *   counters  ports, sets and kmsgs found equal ipc_ports_alive,
 *             ipc_psets_alive and ipc_kmsgs_alive (a kmsg being worked on
 *             by a thread in the middle of a kernel call is not
 *             findable: from the debugger this may be off by that);
 *             every zone's in_use + free_count matches its pages.
 *
 * Pointers are checked against the tables of known ports and sets before
 * anything is read through them, so a corrupt entry is reported, not
 * followed.  The auditor reads only; the scratch tables come from
 * kalloc with fault injection paused.
 */
#include <ipc/ipc_audit.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/exception_ports.h>
#include <kern/host.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <mach/mk_audit.h>
#include <machine/param.h>
#include <vm/vm_page.h>

#define AUDIT_PRINT_MAX		40	/* violations printed in verbose mode */

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE
#define T_PSET		MACH_PORT_TYPE_PORT_SET
#define T_DEAD		MACH_PORT_TYPE_DEAD_NAME

/* What was found about one port. */
struct ptally {
	ipc_port_t port;		/* NULL: empty hash slot */
	uint32_t send, sonce, recv;	/* rights found */
	uint32_t refs;			/* references found */
	uint32_t rcv_waiters;		/* receivers waiting: each may hold one more */
	uint32_t dn_flags;		/* entries flagged with a dead-name request */
	uint32_t dn_matched;		/* requests that match such an entry */
};

/* What was found about one port set. */
struct stally {
	ipc_pset_t set;
	uint32_t refs;
	uint32_t entries;
};

struct audit {
	bool verbose;
	bool exact;			/* references must match exactly */
	int violations;
	struct ptally *ports;		/* open-addressing hash, pcap slots */
	uint32_t pcap;
	struct stally *sets;
	uint32_t scap;
	ipc_space_t *spaces;
	uint32_t nspaces, spcap;
	uint32_t nports, nsets, nkmsgs;
	/* scratch for the free-list walk of one space */
	uint8_t *marks;
	uint32_t marks_size;
};

static void violation(struct audit *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void violation(struct audit *a, const char *fmt, ...)
{
	a->violations++;
	if (!a->verbose || a->violations > AUDIT_PRINT_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("audit: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* ------------------------------------------------------------ tables */

static inline uint32_t ptr_hash(const void *p, uint32_t cap)
{
	uintptr_t v = (uintptr_t)p;
	return (uint32_t)((v >> 3) * 2654435761u) & (cap - 1);
}

static uint32_t pow2_above(uint32_t n)
{
	uint32_t c = 16;
	while (c < 2 * n)
		c *= 2;
	return c;
}

/* The tally of a known port, or NULL if p is not a port in all_ports. */
static struct ptally *port_tally(struct audit *a, const void *p)
{
	if (p == NULL || p == IP_DEAD)
		return NULL;
	for (uint32_t i = ptr_hash(p, a->pcap);; i = (i + 1) & (a->pcap - 1)) {
		if (a->ports[i].port == p)
			return &a->ports[i];
		if (a->ports[i].port == NULL)
			return NULL;
	}
}

static struct stally *set_tally(struct audit *a, const void *s)
{
	if (s == NULL)
		return NULL;
	for (uint32_t i = ptr_hash(s, a->scap);; i = (i + 1) & (a->scap - 1)) {
		if (a->sets[i].set == s)
			return &a->sets[i];
		if (a->sets[i].set == NULL)
			return NULL;
	}
}

static bool known_space(struct audit *a, ipc_space_t s)
{
	for (uint32_t i = 0; i < a->nspaces; i++)
		if (a->spaces[i] == s)
			return true;
	return false;
}

/* Is thread t on all_threads?  (Wait lists must hold only real threads.) */
static bool known_thread(thread_t t)
{
	queue_foreach(l, &all_threads)
		if (qlink_entry(l, struct thread, all_link) == t)
			return true;
	return false;
}

/* Fill the port and set tables.  false: no memory. */
static bool build_tables(struct audit *a)
{
	uint32_t n = 0;
	queue_foreach(l, &all_ports)
		n++;
	a->nports = n;
	a->pcap = pow2_above(n);
	a->ports = kzalloc(a->pcap * sizeof(struct ptally));
	n = 0;
	queue_foreach(l, &all_psets)
		n++;
	a->nsets = n;
	a->scap = pow2_above(n);
	a->sets = kzalloc(a->scap * sizeof(struct stally));
	n = 0;
	queue_foreach(l, &all_tasks)
		n++;
	a->spcap = n + 1;
	a->spaces = kzalloc(a->spcap * sizeof(ipc_space_t));
	if (a->ports == NULL || a->sets == NULL || a->spaces == NULL)
		return false;

	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		uint32_t i = ptr_hash(p, a->pcap);
		while (a->ports[i].port != NULL)
			i = (i + 1) & (a->pcap - 1);
		a->ports[i].port = p;
	}
	queue_foreach(l, &all_psets) {
		ipc_pset_t s = qlink_entry(l, struct ipc_pset, ips_all_link);
		uint32_t i = ptr_hash(s, a->scap);
		while (a->sets[i].set != NULL)
			i = (i + 1) & (a->scap - 1);
		a->sets[i].set = s;
	}
	queue_foreach(l, &all_tasks) {
		task_t t = qlink_entry(l, struct task, all_link);
		if (t->itk_space != NULL && a->nspaces < a->spcap)
			a->spaces[a->nspaces++] = t->itk_space;
	}
	return true;
}

static void free_tables(struct audit *a)
{
	if (a->ports)
		kfree(a->ports, a->pcap * sizeof(struct ptally));
	if (a->sets)
		kfree(a->sets, a->scap * sizeof(struct stally));
	if (a->spaces)
		kfree(a->spaces, a->spcap * sizeof(ipc_space_t));
	if (a->marks)
		kfree(a->marks, a->marks_size);
}

/* ------------------------------------------------------------ rights */

/*
 * Count one right of kernel-form type `type` to object `obj`, found at
 * `where`.  IO_NULL and IO_DEAD carry no right.  Each right holds a
 * reference.
 */
static void count_right(struct audit *a, const void *obj, mach_msg_type_name_t type,
			const char *where)
{
	if (obj == NULL || obj == IO_DEAD)
		return;
	struct ptally *pt = port_tally(a, obj);
	if (pt == NULL) {
		violation(a, "%s: right of type %u to %p, not a known port", where, type, obj);
		return;
	}
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		pt->send++;
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		pt->sonce++;
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		pt->recv++;
		if (pt->port->ip_receiver != NULL)
			violation(a, "%s: receive right of port %u in transit, but its receiver is %p",
				  where, pt->port->ip_id, (void *)pt->port->ip_receiver);
		break;
	default:
		violation(a, "%s: port %u carried with type %u", where, pt->port->ip_id, type);
		return;
	}
	pt->refs++;
}

/* A kernel-held send right (task/thread special port, exception port, host). */
static void kernel_send(struct audit *a, ipc_port_t port, const char *where)
{
	count_right(a, port, MACH_MSG_TYPE_PORT_SEND, where);
}

static void exc_slot(ipc_port_t port, void *arg)
{
	kernel_send(arg, port, "exception port table");
}

/* ------------------------------------------------------------ kmsgs */

static bool valid_kernel_type(mach_msg_type_name_t t)
{
	return t == MACH_MSG_TYPE_PORT_SEND || t == MACH_MSG_TYPE_PORT_SEND_ONCE ||
	       t == MACH_MSG_TYPE_PORT_RECEIVE;
}

/*
 * One message in kernel form.  queued_on: the port whose queue holds it
 * (its destination must be that port), or NULL for a message held
 * elsewhere.
 */
static void audit_kmsg(struct audit *a, ipc_kmsg_t k, ipc_port_t queued_on, const char *where)
{
	mach_msg_header_t *h = k->ikm_header;
	a->nkmsgs++;
	if (h != (mach_msg_header_t *)(k + 1)) {
		violation(a, "%s: kmsg %p header %p not in its buffer", where, (void *)k, (void *)h);
		return;
	}
	mach_msg_size_t size = h->msgh_size;
	if (size < sizeof(*h) || (size & 3) || size > IKM_MAX_INLINE ||
	    round_msg(size) + MAX_TRAILER_SIZE > k->ikm_size) {
		violation(a, "%s: kmsg %p size %u does not fit its buffer of %u", where,
			  (void *)k, size, k->ikm_size);
		return;
	}
	mach_msg_type_name_t rt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t lt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	if (rt != MACH_MSG_TYPE_PORT_SEND && rt != MACH_MSG_TYPE_PORT_SEND_ONCE)
		violation(a, "%s: kmsg %p id %d destination type %u", where, (void *)k,
			  h->msgh_id, rt);
	else if (!IO_VALID((ipc_object_t)h->msgh_remote_port))
		violation(a, "%s: kmsg %p id %d has no destination", where, (void *)k, h->msgh_id);
	else
		count_right(a, h->msgh_remote_port, rt, where);
	if (queued_on != NULL && (ipc_port_t)h->msgh_remote_port != queued_on)
		violation(a, "%s: kmsg %p queued on port %u is addressed to %p", where, (void *)k,
			  queued_on->ip_id, (void *)h->msgh_remote_port);
	if (lt == 0) {
		if (h->msgh_local_port != NULL)
			violation(a, "%s: kmsg %p has a reply port %p without a type", where,
				  (void *)k, (void *)h->msgh_local_port);
	} else if (lt != MACH_MSG_TYPE_PORT_SEND && lt != MACH_MSG_TYPE_PORT_SEND_ONCE) {
		violation(a, "%s: kmsg %p reply type %u", where, (void *)k, lt);
	} else {
		count_right(a, h->msgh_local_port, lt, where);
	}
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;

	mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
	if (size < sizeof(mach_msg_base_t)) {
		violation(a, "%s: complex kmsg %p of %u bytes has no body", where, (void *)k, size);
		return;
	}
	mach_msg_size_t n = body->msgh_descriptor_count;
	if (n > (size - sizeof(mach_msg_base_t)) / sizeof(mach_msg_descriptor_t)) {
		violation(a, "%s: kmsg %p claims %u descriptors in %u bytes", where, (void *)k, n, size);
		return;
	}
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	for (mach_msg_size_t i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (!valid_kernel_type(d[i].port.disposition) && d[i].port.name != NULL)
				violation(a, "%s: kmsg %p descriptor %u disposition %u", where,
					  (void *)k, i, d[i].port.disposition);
			else if (d[i].port.name != NULL)
				count_right(a, d[i].port.name, d[i].port.disposition, where);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			ipc_object_t *objs = d[i].ool_ports.address;
			mach_msg_size_t cnt = d[i].ool_ports.count;
			if (objs == NULL)
				break;
			if (cnt > IS_TABLE_MAX || (uintptr_t)objs < KERNBASE) {
				violation(a, "%s: kmsg %p port array %p of %u", where, (void *)k,
					  (void *)objs, cnt);
				break;
			}
			if (!valid_kernel_type(d[i].ool_ports.disposition)) {
				violation(a, "%s: kmsg %p port array disposition %u", where, (void *)k,
					  d[i].ool_ports.disposition);
				break;
			}
			for (mach_msg_size_t j = 0; j < cnt; j++)
				count_right(a, objs[j], d[i].ool_ports.disposition, where);
			break;
		}
		default:
			violation(a, "%s: kmsg %p descriptor %u of type %u", where, (void *)k, i,
				  d[i].type.type);
		}
	}
}

/* ------------------------------------------------------------ spaces */

static bool valid_type_combo(uint32_t type)
{
	return type == T_SEND || type == T_RECEIVE || type == (T_SEND | T_RECEIVE) ||
	       type == T_SONCE || type == T_PSET || type == T_DEAD;
}

/* One used entry at index i of space s. */
static void audit_entry(struct audit *a, ipc_space_t s, uint32_t i, ipc_entry_t e)
{
	uint32_t bits = e->ie_bits, type = IE_BITS_TYPE(bits), urefs = IE_BITS_UREFS(bits);
	mach_port_name_t name = MACH_PORT_MAKE(i, e->ie_gen);
	task_t task = s->is_task;
	int tid = task ? task->id : -1;

	if (ipc_entry_lookup(s, name) != e)
		violation(a, "task %d name %#x does not decode to its entry", tid, name);
	if (!valid_type_combo(type)) {
		violation(a, "task %d name %#x has type bits %#x", tid, name, type);
		return;
	}
	bool urefs_ok;
	switch (type) {
	case T_SEND:
	case T_SEND | T_RECEIVE:
	case T_DEAD:
		urefs_ok = urefs >= 1 && urefs <= MACH_PORT_UREFS_MAX;
		break;
	case T_SONCE:
		urefs_ok = urefs == 1;
		break;
	default:	/* receive alone, port set */
		urefs_ok = urefs == 0;
	}
	if (!urefs_ok)
		violation(a, "task %d name %#x type %#x has %u urefs", tid, name, type, urefs);

	if (type == T_DEAD) {
		if (e->ie_object != IO_NULL)
			violation(a, "task %d dead name %#x points to %p", tid, name,
				  (void *)e->ie_object);
		if (e->ie_hashed)
			violation(a, "task %d dead name %#x is hashed", tid, name);
		if (e->ie_dnrequest)
			violation(a, "task %d dead name %#x still flags a dead-name request", tid, name);
		return;
	}
	if (type == T_PSET) {
		struct stally *st = set_tally(a, e->ie_object);
		if (st == NULL) {
			violation(a, "task %d set name %#x points to %p, not a known set", tid, name,
				  (void *)e->ie_object);
			return;
		}
		st->refs++;
		st->entries++;
		ipc_pset_t set = st->set;
		if (!set->ips_object.io_active || set->ips_space != s || set->ips_name != name)
			violation(a, "task %d set name %#x: set %u %s, space %p name %#x", tid, name,
				  set->ips_id, set->ips_object.io_active ? "active" : "dead",
				  (void *)set->ips_space, set->ips_name);
		if (e->ie_hashed)
			violation(a, "task %d set name %#x is hashed", tid, name);
		return;
	}

	struct ptally *pt = port_tally(a, e->ie_object);
	if (pt == NULL) {
		violation(a, "task %d name %#x type %#x points to %p, not a known port", tid, name,
			  type, (void *)e->ie_object);
		return;
	}
	ipc_port_t port = pt->port;
	pt->refs++;			/* the entry's reference */
	if (type & T_SEND)
		pt->send++;
	if (type & T_SONCE)
		pt->sonce++;
	if (type & T_RECEIVE) {
		pt->recv++;
		if (!ip_active(port) || port->ip_receiver != s || port->ip_receiver_name != name)
			violation(a, "task %d receive name %#x: port %u %s, receiver %p name %#x", tid,
				  name, port->ip_id, ip_active(port) ? "active" : "dead",
				  (void *)port->ip_receiver, port->ip_receiver_name);
	}
	if (e->ie_dnrequest) {
		if (type & T_SONCE || type & T_SEND)
			pt->dn_flags++;
		else
			violation(a, "task %d name %#x type %#x flags a dead-name request", tid, name,
				  type);
	}
	bool want_hash = (type & (T_SEND | T_RECEIVE)) != 0;
	if (want_hash != e->ie_hashed) {
		violation(a, "task %d name %#x type %#x is %shashed", tid, name, type,
			  e->ie_hashed ? "" : "not ");
	} else if (want_hash) {
		mach_port_name_t hname;
		ipc_entry_t he;
		if (!ipc_hash_lookup(s, e->ie_object, &hname, &he) || he != e)
			violation(a, "task %d name %#x: the reverse hash finds %s for port %u", tid,
				  name, he ? "another entry" : "nothing", port->ip_id);
	}
}

/* One space: the table, its free list and hash chains, every entry. */
static void audit_space(struct audit *a, ipc_space_t s)
{
	task_t task = s->is_task;
	int tid = task ? task->id : -1;
	if (!s->is_active) {
		if (s->is_table != NULL)
			violation(a, "task %d: inactive space keeps a table", tid);
		return;
	}
	uint32_t size = s->is_table_size;
	if (size == 0) {
		if (s->is_used != 0 || s->is_free != 0)
			violation(a, "task %d: no table but used %u free %u", tid, s->is_used,
				  s->is_free);
		return;
	}
	if (size > IS_TABLE_MAX || s->is_table == NULL) {
		violation(a, "task %d: table %p of %u entries", tid, (void *)s->is_table, size);
		return;
	}
	if (a->marks_size < size) {
		if (a->marks)
			kfree(a->marks, a->marks_size);
		a->marks_size = size;
		a->marks = kalloc(size);
		if (a->marks == NULL) {
			a->marks_size = 0;
			violation(a, "task %d: no memory to check the free list", tid);
			return;
		}
	}
	memset(a->marks, 0, size);

	/* free list: free entries only, each once */
	uint32_t steps = 0;
	for (uint32_t i = s->is_free; i != 0; i = s->is_table[i].ie_next) {
		if (i >= size) {
			violation(a, "task %d: free list reaches index %u of %u", tid, i, size);
			break;
		}
		if (a->marks[i]) {
			violation(a, "task %d: free list visits index %u twice", tid, i);
			break;
		}
		a->marks[i] = 1;
		if (IE_BITS_TYPE(s->is_table[i].ie_bits) != 0)
			violation(a, "task %d: used entry %u on the free list", tid, i);
		if (++steps > size)
			break;
	}
	if (IE_BITS_TYPE(s->is_table[0].ie_bits) != 0 || a->marks[0])
		violation(a, "task %d: entry 0 is in use or on the free list", tid);

	uint32_t used = 0, hashed = 0;
	for (uint32_t i = 1; i < size; i++) {
		ipc_entry_t e = &s->is_table[i];
		if (IE_BITS_TYPE(e->ie_bits) == 0) {
			if (!a->marks[i])
				violation(a, "task %d: free entry %u is not on the free list", tid, i);
			if (e->ie_hashed || e->ie_object != IO_NULL)
				violation(a, "task %d: free entry %u hashed %d object %p", tid, i,
					  e->ie_hashed, (void *)e->ie_object);
			continue;
		}
		used++;
		if (e->ie_hashed)
			hashed++;
		audit_entry(a, s, i, e);
	}
	if (used != s->is_used)
		violation(a, "task %d: is_used %u but %u entries in use", tid, s->is_used, used);

	/* hash chains: end, hold hashed entries only, cover every hashed entry */
	uint32_t chained = 0;
	for (uint32_t h = 0; h < IS_HASH_SIZE; h++) {
		uint32_t n = 0;
		for (uint32_t i = s->is_hash[h]; i != 0; i = s->is_table[i].ie_hnext) {
			if (i >= size || ++n > size) {
				violation(a, "task %d: hash chain %u broken at index %u", tid, h, i);
				break;
			}
			if (!s->is_table[i].ie_hashed)
				violation(a, "task %d: unhashed entry %u on hash chain %u", tid, i, h);
			chained++;
		}
	}
	if (chained != hashed)
		violation(a, "task %d: %u hashed entries but %u on the chains", tid, hashed, chained);
}

/* ------------------------------------------------------------ ports */

struct dn_ctx {
	struct audit *a;
	struct ptally *pt;
};

/* One dead-name request on a port: its send-once right and its entry. */
static void dn_request(ipc_space_t space, mach_port_name_t name, ipc_port_t notify, void *arg)
{
	struct dn_ctx *c = arg;
	struct audit *a = c->a;
	count_right(a, notify, MACH_MSG_TYPE_PORT_SEND_ONCE, "dead-name request");
	if (!known_space(a, space)) {
		violation(a, "port %u: dead-name request for name %#x of unknown space %p",
			  c->pt->port->ip_id, name, (void *)space);
		return;
	}
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL || !e->ie_dnrequest || e->ie_object != ip_to_object(c->pt->port)) {
		violation(a, "port %u: dead-name request for name %#x of task %d, which %s",
			  c->pt->port->ip_id, name, space->is_task ? space->is_task->id : -1,
			  e == NULL ? "names nothing" :
			  e->ie_object != ip_to_object(c->pt->port) ? "names another object" :
			  "has no request flag");
		return;
	}
	c->pt->dn_matched++;
}

/* Threads waiting on a list must be real, waiting threads. */
static void audit_waiters(struct audit *a, struct qlink *list, size_t link_off,
			  const char *what, unsigned id, uint32_t *refs)
{
	unsigned n = 0;
	queue_foreach(l, list) {
		thread_t t = (thread_t)((char *)l - link_off);
		if (++n > 100000 || !known_thread(t)) {
			violation(a, "%s %u: wait list holds %p, not a thread", what, id, (void *)t);
			return;
		}
		if (t->state != TH_WAIT)
			violation(a, "%s %u: thread %d on its wait list is not waiting (state %d)",
				  what, id, t->id, t->state);
		if (refs)
			(*refs)++;
	}
}

/* Everything one port's own fields say: queue, kernel-held rights, waiters. */
static void collect_port(struct audit *a, struct ptally *pt)
{
	ipc_port_t p = pt->port;
	unsigned n = 0;
	queue_foreach(l, &p->ip_messages) {
		if (++n > 1000000) {
			violation(a, "port %u: message queue does not end", p->ip_id);
			break;
		}
		audit_kmsg(a, qlink_entry(l, struct ipc_kmsg, ikm_link), p, "queued kmsg");
	}
	if (n != p->ip_msgcount)
		violation(a, "port %u: ip_msgcount %u but %u queued", p->ip_id, p->ip_msgcount, n);

	count_right(a, p->ip_nsrequest, MACH_MSG_TYPE_PORT_SEND_ONCE, "no-senders request");
	count_right(a, p->ip_pdrequest, MACH_MSG_TYPE_PORT_SEND_ONCE, "port-destroyed request");
	struct dn_ctx c = { a, pt };
	ipc_dnrequest_foreach(p, dn_request, &c);

	if (p->ip_destination != IP_NULL) {
		struct ptally *dt = port_tally(a, p->ip_destination);
		if (dt == NULL)
			violation(a, "port %u travels towards %p, not a known port", p->ip_id,
				  (void *)p->ip_destination);
		else
			dt->refs++;
	}

	/* the receive right held by the kernel, with the reference port_new gave */
	if (ip_active(p) && (p->ip_receiver == ipc_space_kernel || p->ip_receiver == ipc_space_reply)) {
		pt->recv++;
		pt->refs++;
	}
	audit_waiters(a, &p->ip_rcv_waiters, offsetof(struct thread, ith_wait_link), "port",
		      p->ip_id, &pt->rcv_waiters);
	audit_waiters(a, &p->ip_snd_waiters, offsetof(struct thread, ith_send_link), "port",
		      p->ip_id, &pt->refs);
}

/* The checks on one port once everything has been counted. */
static void check_port(struct audit *a, struct ptally *pt)
{
	ipc_port_t p = pt->port;
	if (p->ip_object.io_otype != IOT_PORT)
		violation(a, "port %p on all_ports has object type %u", (void *)p,
			  p->ip_object.io_otype);
	if (ip_active(p)) {
		if (p->ip_srights != pt->send || p->ip_sorights != pt->sonce)
			violation(a, "port %u: srights %u sorights %u, but %u send and %u send-once found",
				  p->ip_id, p->ip_srights, p->ip_sorights, pt->send, pt->sonce);
		if (pt->recv != 1)
			violation(a, "port %u (receiver %p name %#x kotype %u): receive right found %u times",
				  p->ip_id, (void *)p->ip_receiver, p->ip_receiver_name,
				  p->ip_kotype, pt->recv);
		if (p->ip_receiver != NULL && p->ip_receiver != ipc_space_kernel &&
		    p->ip_receiver != ipc_space_reply && !known_space(a, p->ip_receiver))
			violation(a, "port %u: receiver %p is no task's space", p->ip_id,
				  (void *)p->ip_receiver);
		if (p->ip_qlimit > MACH_PORT_QLIMIT_MAX)
			violation(a, "port %u: qlimit %u", p->ip_id, p->ip_qlimit);
		if (!queue_empty(&p->ip_messages) &&
		    (!queue_empty(&p->ip_rcv_waiters) ||
		     (p->ip_pset && !queue_empty(&p->ip_pset->ips_rcv_waiters))))
			violation(a, "port %u: %u messages queued while receivers wait", p->ip_id,
				  p->ip_msgcount);
	} else {
		if (p->ip_srights < pt->send || p->ip_sorights < pt->sonce)
			violation(a, "dead port %u: srights %u sorights %u, but %u send and %u send-once found",
				  p->ip_id, p->ip_srights, p->ip_sorights, pt->send, pt->sonce);
		if (pt->recv != 0)
			violation(a, "dead port %u: receive right found %u times", p->ip_id, pt->recv);
		if (!queue_empty(&p->ip_messages) || p->ip_pset || p->ip_nsrequest ||
		    p->ip_pdrequest || !queue_empty(&p->ip_dnrequests))
			violation(a, "dead port %u keeps messages, a set or requests", p->ip_id);
	}
	/* a dead port answered its requests; entries keep the flag until looked at */
	if (ip_active(p) && pt->dn_flags != pt->dn_matched)
		violation(a, "port %u: %u entries flag a dead-name request, %u requests match",
			  p->ip_id, pt->dn_flags, pt->dn_matched);
	/*
	 * A receiver waiting in ipc_mqueue_receive holds a reference; one
	 * waiting on its reply port in the mach_msg hot path does not (it
	 * never touches the port after the wait, and the port's death
	 * unlinks every waiter before its last reference can go).  So each
	 * waiting receiver may or may not account for one reference.
	 */
	uint32_t refs = p->ip_object.io_references;
	if (refs < pt->refs || (a->exact && refs > pt->refs + pt->rcv_waiters))
		violation(a, "%s port %u (kotype %u, receiver %p): %u references but %u holders "
			  "found (and %u waiting receivers)", ip_active(p) ? "active" : "dead",
			  p->ip_id, p->ip_kotype, (void *)p->ip_receiver, refs, pt->refs,
			  pt->rcv_waiters);
	if (p->ip_pset != NULL) {
		struct stally *st = set_tally(a, p->ip_pset);
		if (st == NULL) {
			violation(a, "port %u: in %p, not a known set", p->ip_id, (void *)p->ip_pset);
		} else {
			ipc_pset_t set = st->set;
			bool listed = false;
			queue_foreach(l, &set->ips_members)
				if (qlink_entry(l, struct ipc_port, ip_pset_link) == p)
					listed = true;
			if (!listed)
				violation(a, "port %u: names set %u, which does not list it", p->ip_id,
					  set->ips_id);
			if (!set->ips_object.io_active)
				violation(a, "port %u: in dead set %u", p->ip_id, set->ips_id);
			if (p->ip_receiver != set->ips_space)
				violation(a, "port %u: received in %p but in set %u of space %p",
					  p->ip_id, (void *)p->ip_receiver, set->ips_id,
					  (void *)set->ips_space);
		}
	}
}

/* One port set: members, waiters. */
static void audit_set(struct audit *a, struct stally *st)
{
	ipc_pset_t set = st->set;
	unsigned n = 0;
	queue_foreach(l, &set->ips_members) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_pset_link);
		if (++n > 1000000 || port_tally(a, p) == NULL) {
			violation(a, "set %u: member list holds %p, not a known port", set->ips_id,
				  (void *)p);
			break;
		}
		if (p->ip_pset != set)
			violation(a, "set %u lists port %u, which names set %p", set->ips_id, p->ip_id,
				  (void *)p->ip_pset);
	}
	audit_waiters(a, &set->ips_rcv_waiters, offsetof(struct thread, ith_wait_link), "set",
		      set->ips_id, &st->refs);
	if (set->ips_object.io_active) {
		if (st->entries != 1)
			violation(a, "set %u: named by %u entries", set->ips_id, st->entries);
	} else if (n != 0 || st->entries != 0) {
		violation(a, "dead set %u: %u members, %u entries", set->ips_id, n, st->entries);
	}
	if (set->ips_object.io_references < st->refs ||
	    (a->exact && set->ips_object.io_references != st->refs))
		violation(a, "set %u: %u references but %u holders found", set->ips_id,
			  set->ips_object.io_references, st->refs);
}

/* ------------------------------------------------------------ zones */

static void audit_zones(struct audit *a)
{
	for (zone_t z = zone_first(); z; z = z->next) {
		size_t per_chunk = z->chunk_pages * PAGE_SIZE / z->elem_size;
		size_t total = (size_t)(z->pages / z->chunk_pages) * per_chunk;
		if (z->in_use + z->free_count != total)
			violation(a, "zone %s: in use %u + free %u != %u elements in %u pages", z->name,
				  z->in_use, z->free_count, (unsigned)total, z->pages);
	}
}

/* ------------------------------------------------------------ entry points */

/* ipc_audit: see ipc_audit.h. */
int ipc_audit(bool verbose)
{
	return ipc_audit_flags(verbose ? IPC_AUDIT_VERBOSE : 0);
}

/* ipc_audit_flags: see ipc_audit.h. */
int ipc_audit_flags(unsigned flags)
{
	struct audit a;
	bool verbose = (flags & IPC_AUDIT_VERBOSE) != 0;
	memset(&a, 0, sizeof(a));
	a.verbose = verbose;
	a.exact = (flags & IPC_AUDIT_EXACT) != 0;

	/* the auditor's own allocations must not use up an injected failure */
	unsigned kfail = kalloc_fail_pending(), pfail = vm_page_fail_pending();
	unsigned zfail[8];
	zone_t zones8[8];
	unsigned nz = 0;
	for (zone_t z = zone_first(); z; z = z->next) {
		if (z->fail_nth && nz < ARRAY_SIZE(zones8)) {
			zones8[nz] = z;
			zfail[nz++] = z->fail_nth;
			z->fail_nth = 0;
		}
	}
	kalloc_fail_nth(0);
	vm_page_fail_nth(0);

	int result = -1;
	if (!build_tables(&a)) {
		if (verbose)
			printf("audit: no memory for the scratch tables\n");
		goto out;
	}

	/* 1. spaces and their entries */
	for (uint32_t i = 0; i < a.nspaces; i++)
		audit_space(&a, a.spaces[i]);

	/* 2. rights the kernel holds */
	kernel_send(&a, realhost.host_self, "host port");
	kernel_send(&a, realhost.host_priv_self, "host priv port");
	exception_ports_foreach(realhost.host_exc, exc_slot, &a);
	queue_foreach(l, &all_tasks) {
		task_t t = qlink_entry(l, struct task, all_link);
		kernel_send(&a, t->itk_sself, "task self");
		kernel_send(&a, t->itk_host, "task host");
		kernel_send(&a, t->itk_bootstrap, "task bootstrap");
		exception_ports_foreach(t->itk_exc, exc_slot, &a);
	}
	queue_foreach(l, &all_threads) {
		thread_t t = qlink_entry(l, struct thread, all_link);
		kernel_send(&a, t->ith_sself, "thread self");
		exception_ports_foreach(t->ith_exc, exc_slot, &a);
		/* a finished hot-path receive holds names, its rights are in the space */
		if (t->ith_kmsg != IKM_NULL && t != current_thread() &&
		    t->ith_fast != ITH_FAST_READY)
			audit_kmsg(&a, t->ith_kmsg, NULL, "handed-over kmsg");
	}
	queue_foreach(l, &ipc_mqueue_blocked_kmsgs)
		audit_kmsg(&a, qlink_entry(l, struct ipc_kmsg, ikm_link), NULL, "blocked sender's kmsg");

	/* 3. every port's queue, requests and waiters, then the checks */
	for (uint32_t i = 0; i < a.pcap; i++)
		if (a.ports[i].port)
			collect_port(&a, &a.ports[i]);
	for (uint32_t i = 0; i < a.scap; i++)
		if (a.sets[i].set)
			audit_set(&a, &a.sets[i]);
	for (uint32_t i = 0; i < a.pcap; i++)
		if (a.ports[i].port)
			check_port(&a, &a.ports[i]);

	/* 4. counters */
	if (a.nports != ipc_ports_alive)
		violation(&a, "%u ports on all_ports, ipc_ports_alive %u", a.nports, ipc_ports_alive);
	if (a.nsets != ipc_psets_alive)
		violation(&a, "%u sets on all_psets, ipc_psets_alive %u", a.nsets, ipc_psets_alive);
	if (a.nkmsgs != ipc_kmsgs_alive)
		violation(&a, "%u kmsgs found, ipc_kmsgs_alive %u", a.nkmsgs, ipc_kmsgs_alive);
	if (a.nspaces != ipc_spaces_alive)
		violation(&a, "%u task spaces, ipc_spaces_alive %u", a.nspaces, ipc_spaces_alive);
	audit_zones(&a);

	result = a.violations;
	if (verbose) {
		if (a.violations > AUDIT_PRINT_MAX)
			printf("audit: ... %d more\n", a.violations - AUDIT_PRINT_MAX);
		printf("audit: %u spaces, %u ports, %u sets, %u kmsgs: %d violation(s)\n",
		       a.nspaces, a.nports, a.nsets, a.nkmsgs, a.violations);
	}
out:
	free_tables(&a);
	kalloc_fail_nth(kfail);
	vm_page_fail_nth(pfail);
	for (unsigned i = 0; i < nz; i++)
		zones8[i]->fail_nth = zfail[i];
	return result;
}

/* ipc_audit_counts: see ipc_audit.h. */
void ipc_audit_counts(struct mk_audit_counts *c)
{
	struct vm_page_stats ps;
	struct kalloc_stats ks;
	memset(c, 0, sizeof(*c));
	c->ports = ipc_ports_alive;
	c->psets = ipc_psets_alive;
	c->kmsgs = ipc_kmsgs_alive;
	c->spaces = ipc_spaces_alive;
	c->tasks = tasks_alive;
	c->threads = threads_alive;
	for (zone_t z = zone_first(); z; z = z->next) {
		c->zone_elems += z->in_use;
		c->zone_pages += z->pages;
	}
	vm_page_stats(&ps);
	c->pages_total = ps.total;
	c->pages_free = ps.free;
	kalloc_stats(&ks);
	c->kalloc_large_pages = ks.large_pages;
}
