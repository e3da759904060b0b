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
 *
 * This file has the pass itself, the tables of known objects, rights,
 * kmsgs and zones; ipc_audit_space.c checks spaces and entries,
 * ipc_audit_port.c ports and sets (ipc_audit_int.h is what they share).
 */
#include <ipc/ipc_audit.h>
#include <ipc/ipc_audit_int.h>
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

void violation(struct audit *a, const char *fmt, ...)
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
struct ptally *port_tally(struct audit *a, const void *p)
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

struct stally *set_tally(struct audit *a, const void *s)
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

bool known_space(struct audit *a, ipc_space_t s)
{
	for (uint32_t i = 0; i < a->nspaces; i++)
		if (a->spaces[i] == s)
			return true;
	return false;
}

/* Is thread t on all_threads?  (Wait lists must hold only real threads.) */
bool known_thread(thread_t t)
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
void count_right(struct audit *a, const void *obj, mach_msg_type_name_t type,
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
void audit_kmsg(struct audit *a, ipc_kmsg_t k, ipc_port_t queued_on, const char *where)
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
