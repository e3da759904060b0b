/*
 * The IPC auditor: ports and port sets (ipc_audit.c says what is
 * checked).
 */
#include <ipc/ipc_audit_int.h>
#include <ipc/ipc_notify.h>
#include <kern/task.h>

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
void collect_port(struct audit *a, struct ptally *pt)
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
void check_port(struct audit *a, struct ptally *pt)
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
void audit_set(struct audit *a, struct stally *st)
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
