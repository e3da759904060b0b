/*
 * Ports: allocation, right counting, circularity, destruction.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/long_ipc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

struct qlink all_ports = QLINK_INIT(all_ports);
unsigned ipc_ports_alive;
static struct zone port_zone;
static unsigned next_port_id = 1;

/* ipc_port_init_zone: once, at boot. */
void ipc_port_init_zone(void)
{
	zone_init(&port_zone, "ipc.ports", sizeof(struct ipc_port), 0);
}

static ipc_port_t port_new(void)
{
	ipc_port_t p = zalloc(&port_zone);
	if (p == NULL)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->ip_object.io_otype = IOT_PORT;
	p->ip_object.io_active = true;
	p->ip_object.io_references = 1;
	p->ip_id = next_port_id++;
	p->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	queue_init(&p->ip_messages);
	queue_init(&p->ip_rcv_waiters);
	queue_init(&p->ip_snd_waiters);
	queue_init(&p->ip_dnrequests);
	enqueue_tail(&all_ports, &p->ip_all_link);
	ipc_ports_alive++;
	return p;
}

/*
 * port_into_entry: a new port whose receive right is entry e (name) of
 * space; e is freed again if there is no memory for the port.
 */
static kern_return_t port_into_entry(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
				     ipc_port_t *portp)
{
	ipc_port_t p = port_new();
	if (p == NULL) {
		ipc_entry_dealloc(space, name, e);
		return KERN_RESOURCE_SHORTAGE;
	}
	p->ip_receiver = space;
	p->ip_receiver_name = name;
	e->ie_object = ip_to_object(p);
	e->ie_bits = MACH_PORT_TYPE_RECEIVE;
	ipc_hash_insert(space, e->ie_object, name, e);
	*portp = p;
	return KERN_SUCCESS;
}

/*
 * ipc_port_alloc: a new port with its receive right under a new name in
 * space.  The entry holds the port's only reference.
 */
kern_return_t ipc_port_alloc(ipc_space_t space, mach_port_name_t *namep, ipc_port_t *portp)
{
	mach_port_name_t name;
	ipc_entry_t e;
	kern_return_t kr = ipc_entry_alloc(space, &name, &e);
	if (kr == KERN_SUCCESS)
		kr = port_into_entry(space, name, e, portp);
	if (kr == KERN_SUCCESS)
		*namep = name;
	return kr;
}

/* ipc_port_alloc_name: as ipc_port_alloc at a free, chosen name. */
kern_return_t ipc_port_alloc_name(ipc_space_t space, mach_port_name_t name, ipc_port_t *portp)
{
	ipc_entry_t e;
	kern_return_t kr = ipc_entry_alloc_name(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (IE_BITS_TYPE(e->ie_bits) != 0)
		return KERN_NAME_EXISTS;
	return port_into_entry(space, name, e, portp);
}

/* ipc_port_alloc_kernel: see ipc_port.h.  NULL on shortage. */
ipc_port_t ipc_port_alloc_kernel(ipc_space_t kspace)
{
	ipc_port_t p = port_new();
	if (p)
		p->ip_receiver = kspace;
	return p;
}

/* A new right to port: counted in *count, with a reference; IP_DEAD if dead. */
static inline ipc_port_t new_right(ipc_port_t port, natural_t *count)
{
	if (!ip_active(port))
		return IP_DEAD;
	ip_reference(port);
	(*count)++;
	return port;
}

/* ipc_port_make_send: a new send right made from the receive right. */
ipc_port_t ipc_port_make_send(ipc_port_t port)
{
	if (!IP_VALID(port))
		return port;
	if (ip_active(port))
		port->ip_mscount++;
	return new_right(port, &port->ip_srights);
}

/* ipc_port_copy_send: another send right, given one (IP_DEAD if dead). */
ipc_port_t ipc_port_copy_send(ipc_port_t port)
{
	return IP_VALID(port) ? new_right(port, &port->ip_srights) : port;
}

/* ipc_port_make_sonce: a new send-once right from the receive right. */
ipc_port_t ipc_port_make_sonce(ipc_port_t port)
{
	return IP_VALID(port) ? new_right(port, &port->ip_sorights) : port;
}

/* ipc_port_release_send: a send right goes away; may fire no-senders. */
void ipc_port_release_send(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	assert(port->ip_srights > 0);
	if (--port->ip_srights == 0 && ip_active(port))
		ipc_notify_no_senders_check(port);
	ip_release(port);
}

/* ipc_port_release_sonce: a send-once right was used up (no notification). */
void ipc_port_release_sonce(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	assert(port->ip_sorights > 0);
	port->ip_sorights--;
	ip_release(port);
}

/* ipc_port_release_receive: destroy a receive right held in transit. */
void ipc_port_release_receive(ipc_port_t port)
{
	ipc_port_t dest = port->ip_destination;
	port->ip_destination = IP_NULL;
	if (dest)
		ip_release(dest);
	ipc_port_destroy(port);
}

/*
 * ipc_port_check_circularity: would putting port's receive right in a
 * message queued on dest make a loop (dest == port, or dest's receive
 * right is itself travelling, directly or not, inside port)?
 */
bool ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest)
{
	for (ipc_port_t d = dest; IP_VALID(d); d = d->ip_destination) {
		if (d == port)
			return true;
		if (d->ip_receiver != NULL)
			break;
	}
	return false;
}

/* ipc_port_set_in_transit: port's receive right now travels to dest. */
void ipc_port_set_in_transit(ipc_port_t port, ipc_port_t dest)
{
	assert(port->ip_receiver == NULL);
	if (IP_VALID(dest)) {
		ip_reference(dest);
		port->ip_destination = dest;
	}
}

/*
 * ipc_port_clear_receiver: the receive right leaves its space (moved or
 * being destroyed).  It leaves any set, and threads blocked receiving on
 * it through the old name get MACH_RCV_PORT_DIED: the name they gave no
 * longer denotes the right.
 */
void ipc_port_clear_receiver(ipc_port_t port)
{
	lipc_port_destroyed(port);	/* its long-IPC receivers lose the right too */
	if (port->ip_pset)
		ipc_pset_remove(port->ip_pset, port);
	ipc_mqueue_wake_receivers(&port->ip_rcv_waiters, MACH_RCV_PORT_DIED);
	port->ip_receiver = NULL;
	port->ip_receiver_name = MACH_PORT_NULL;
}

/*
 * ipc_port_destroy: the receive right dies (it is in no space).  With a
 * port-destroyed request the right goes to the requester instead.
 * Otherwise: the port goes inactive; blocked receivers get
 * MACH_RCV_PORT_DIED, blocked senders retry and see a dead port; queued
 * messages are destroyed with everything they carry; the no-senders
 * request's send-once right dies (send-once notification); dead-name
 * requests fire.  Consumes the receive right's reference.
 */
void ipc_port_destroy(ipc_port_t port)
{
	assert(ip_active(port));
	if (port->ip_pdrequest) {
		ipc_port_t pd = port->ip_pdrequest;
		port->ip_pdrequest = IP_NULL;
		ipc_notify_port_destroyed(pd, port);	/* takes the receive right */
		return;
	}
	port->ip_object.io_active = false;
	if (port->ip_pset)
		ipc_pset_remove(port->ip_pset, port);
	lipc_port_destroyed(port);	/* long-IPC waiters on the port */
	ipc_mqueue_wake_receivers(&port->ip_rcv_waiters, MACH_RCV_PORT_DIED);
	ipc_mqueue_wake_senders(port);

	struct qlink *l;
	while ((l = dequeue_head(&port->ip_messages)) != NULL) {
		port->ip_msgcount--;
		ipc_kmsg_destroy(qlink_entry(l, struct ipc_kmsg, ikm_link));
	}
	if (port->ip_nsrequest) {
		ipc_port_t ns = port->ip_nsrequest;
		port->ip_nsrequest = IP_NULL;
		ipc_notify_send_once(ns);
	}
	ipc_dnrequest_fire_all(port);
	port->ip_kotype = 0;
	port->ip_kobject = NULL;
	ip_release(port);
}

/* ipc_port_free: the last reference went (called from io_release). */
void ipc_port_free(ipc_port_t port)
{
	assert(!ip_active(port) && queue_empty(&port->ip_messages));
	queue_remove(&port->ip_all_link);
	ipc_ports_alive--;
	zfree(&port_zone, port);
}

/* ipc_port_print: the debugger's view of a port. */
void ipc_port_print(ipc_port_t p)
{
	printf("port %p id %u %s refs %u receiver %p name %#x dest %p\n",
	       (void *)p, p->ip_id, ip_active(p) ? "active" : "dead",
	       p->ip_object.io_references, (void *)p->ip_receiver,
	       p->ip_receiver_name, (void *)p->ip_destination);
	printf("  srights %u sorights %u mscount %u seqno %u qlimit %u msgcount %u\n",
	       p->ip_srights, p->ip_sorights, p->ip_mscount, p->ip_seqno,
	       p->ip_qlimit, p->ip_msgcount);
	printf("  kobject type %u %p pset %p nsrequest %p pdrequest %p\n",
	       p->ip_kotype, p->ip_kobject, (void *)p->ip_pset,
	       (void *)p->ip_nsrequest, (void *)p->ip_pdrequest);
	queue_foreach(l, &p->ip_messages) {
		struct ipc_kmsg *k = qlink_entry(l, struct ipc_kmsg, ikm_link);
		printf("  kmsg %p id %d size %u\n", (void *)k, k->ikm_header->msgh_id,
		       k->ikm_header->msgh_size);
	}
}
