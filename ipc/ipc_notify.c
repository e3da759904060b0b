/*
 * Kernel-generated notifications and dead-name requests.
 *
 * Each notification is a message sent on a send-once right the
 * requester supplied (so it is never held back by the queue limit) and
 * queued with send-always semantics by ipc_kmsg_send_always.  Its body
 * follows <mach/notify.h>; the trailer is added at receive time.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/zalloc.h>
#include <mach/ndr.h>
#include <mach/notify.h>

unsigned long ipc_notify_sent[8];

struct ipc_dnrequest {
	struct qlink link;		/* on the port's ip_dnrequests */
	struct ipc_space *space;
	mach_port_name_t name;
	ipc_port_t notify;		/* send-once right */
};

static struct zone dnrequest_zone;
static bool zone_ready;

static struct zone *dn_zone(void)
{
	if (!zone_ready) {
		zone_init(&dnrequest_zone, "ipc.dnrequests", sizeof(struct ipc_dnrequest), 0);
		zone_ready = true;
	}
	return &dnrequest_zone;
}

/*
 * Build a notification of `size` bytes with id `id` addressed to the
 * send-once right `notify` (consumed) and send it.  The body after the
 * header is in `msg`.  With no memory the notification is lost and the
 * right destroyed (the seed's "dropped ... notification").
 */
static void notify_send(ipc_port_t notify, mach_msg_header_t *msg, mach_msg_size_t size,
			mach_msg_id_t id, unsigned kind)
{
	msg->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0) |
			 (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	msg->msgh_size = size;
	msg->msgh_remote_port = (mach_port_t)notify;
	msg->msgh_local_port = NULL;
	msg->msgh_voucher_port = MACH_PORT_NULL;
	msg->msgh_id = id;
	ipc_kmsg_t kmsg;
	if (ipc_kmsg_get_from_kernel(msg, size, &kmsg) != MACH_MSG_SUCCESS) {
		ipc_port_release_sonce(notify);
		return;
	}
	ipc_notify_sent[kind]++;
	ipc_kmsg_send_always(kmsg);
}

/* ipc_notify_port_deleted: see ipc_notify.h.  Consumes notify. */
void ipc_notify_port_deleted(ipc_port_t notify, mach_port_name_t name)
{
	mach_port_deleted_notification_t n;
	memset(&n, 0, sizeof(n));
	n.NDR = NDR_record;
	n.not_port = name;
	notify_send(notify, &n.not_header, offsetof(mach_port_deleted_notification_t, trailer),
		    MACH_NOTIFY_PORT_DELETED, 0);
}

/* ipc_notify_port_destroyed: see ipc_notify.h.  Consumes notify and the
 * receive right of port (whose reference the caller gives up). */
void ipc_notify_port_destroyed(ipc_port_t notify, ipc_port_t port)
{
	mach_port_destroyed_notification_t n;
	memset(&n, 0, sizeof(n));
	n.not_header.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	n.not_body.msgh_descriptor_count = 1;
	n.not_port.name = (mach_port_t)port;
	n.not_port.disposition = MACH_MSG_TYPE_PORT_RECEIVE;
	n.not_port.type = MACH_MSG_PORT_DESCRIPTOR;
	assert(port->ip_receiver == NULL);
	if (ipc_port_check_circularity(port, notify)) {
		/* the receive right would end up inside itself: let it die */
		ipc_port_release_sonce(notify);
		ipc_port_destroy(port);
		return;
	}
	ipc_port_set_in_transit(port, notify);
	notify_send(notify, &n.not_header, offsetof(mach_port_destroyed_notification_t, trailer),
		    MACH_NOTIFY_PORT_DESTROYED, 1);
}

/* ipc_notify_no_senders: see ipc_notify.h.  Consumes notify. */
void ipc_notify_no_senders(ipc_port_t notify, mach_port_mscount_t mscount)
{
	mach_no_senders_notification_t n;
	memset(&n, 0, sizeof(n));
	n.NDR = NDR_record;
	n.not_count = mscount;
	notify_send(notify, &n.not_header, offsetof(mach_no_senders_notification_t, trailer),
		    MACH_NOTIFY_NO_SENDERS, 2);
}

/*
 * ipc_notify_send_once: a send-once right is destroyed without being
 * used: its receiver gets a send-once notification, sent on the right
 * itself.  Consumes the right.
 */
void ipc_notify_send_once(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	if (!ip_active(port)) {
		ipc_port_release_sonce(port);
		return;
	}
	mach_send_once_notification_t n;
	memset(&n, 0, sizeof(n));
	notify_send(port, &n.not_header, offsetof(mach_send_once_notification_t, trailer),
		    MACH_NOTIFY_SEND_ONCE, 3);
}

/* ipc_notify_dead_name: see ipc_notify.h.  Consumes notify. */
void ipc_notify_dead_name(ipc_port_t notify, mach_port_name_t name)
{
	mach_dead_name_notification_t n;
	memset(&n, 0, sizeof(n));
	n.NDR = NDR_record;
	n.not_port = name;
	notify_send(notify, &n.not_header, offsetof(mach_dead_name_notification_t, trailer),
		    MACH_NOTIFY_DEAD_NAME, 4);
}

/*
 * ipc_notify_no_senders_check: the port's send rights just reached 0: an
 * armed no-senders request fires (and is disarmed).  The request's sync
 * count only decides, when it is made, whether it fires at once
 * (mach_port_request_notification); once armed it fires the next time
 * the senders are gone, as in Mach.
 */
void ipc_notify_no_senders_check(ipc_port_t port)
{
	if (port->ip_nsrequest == IP_NULL || port->ip_srights != 0)
		return;
	ipc_port_t notify = port->ip_nsrequest;
	port->ip_nsrequest = IP_NULL;
	ipc_notify_no_senders(notify, port->ip_mscount);
}

/*
 * ipc_dnrequest_add: arm (or with notify NULL, cancel) the dead-name
 * request of (space, name) on port; the previous request's send-once
 * right is returned in *previousp (IP_NULL if none).  Consumes notify.
 */
kern_return_t ipc_dnrequest_add(ipc_port_t port, ipc_space_t space, mach_port_name_t name,
				ipc_port_t notify, ipc_port_t *previousp)
{
	*previousp = IP_NULL;
	queue_foreach(l, &port->ip_dnrequests) {
		struct ipc_dnrequest *r = qlink_entry(l, struct ipc_dnrequest, link);
		if (r->space == space && r->name == name) {
			*previousp = r->notify;
			if (IP_VALID(notify)) {
				r->notify = notify;
			} else {
				queue_remove(&r->link);
				zfree(dn_zone(), r);
			}
			return KERN_SUCCESS;
		}
	}
	if (!IP_VALID(notify))
		return KERN_SUCCESS;
	struct ipc_dnrequest *r = zalloc(dn_zone());
	if (r == NULL)
		return KERN_RESOURCE_SHORTAGE;
	r->space = space;
	r->name = name;
	r->notify = notify;
	enqueue_tail(&port->ip_dnrequests, &r->link);
	return KERN_SUCCESS;
}

/* ipc_dnrequest_cancel: the name went away: port-deleted to the requester. */
void ipc_dnrequest_cancel(ipc_port_t port, ipc_space_t space, mach_port_name_t name)
{
	queue_foreach(l, &port->ip_dnrequests) {
		struct ipc_dnrequest *r = qlink_entry(l, struct ipc_dnrequest, link);
		if (r->space == space && r->name == name) {
			ipc_port_t notify = r->notify;
			queue_remove(&r->link);
			zfree(dn_zone(), r);
			ipc_notify_port_deleted(notify, name);
			return;
		}
	}
}

/* ipc_dnrequest_foreach: see ipc_notify.h. */
void ipc_dnrequest_foreach(ipc_port_t port,
			   void (*fn)(ipc_space_t space, mach_port_name_t name, ipc_port_t notify,
				      void *arg),
			   void *arg)
{
	queue_foreach(l, &port->ip_dnrequests) {
		struct ipc_dnrequest *r = qlink_entry(l, struct ipc_dnrequest, link);
		fn(r->space, r->name, r->notify, arg);
	}
}

/* ipc_dnrequest_fire_all: the port died: every requester learns its name died. */
void ipc_dnrequest_fire_all(ipc_port_t port)
{
	struct qlink *l;
	while ((l = dequeue_head(&port->ip_dnrequests)) != NULL) {
		struct ipc_dnrequest *r = qlink_entry(l, struct ipc_dnrequest, link);
		ipc_port_t notify = r->notify;
		mach_port_name_t name = r->name;
		zfree(dn_zone(), r);
		ipc_notify_dead_name(notify, name);
	}
}
