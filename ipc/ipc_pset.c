/*
 * Port sets.
 */
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

struct qlink all_psets = QLINK_INIT(all_psets);
unsigned ipc_psets_alive;
static struct zone pset_zone;
static unsigned next_pset_id = 1;

/* ipc_pset_init_zone: once, at boot. */
void ipc_pset_init_zone(void)
{
	zone_init(&pset_zone, "ipc.psets", sizeof(struct ipc_pset), 0);
}

static kern_return_t pset_install(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
				  ipc_pset_t *psetp)
{
	ipc_pset_t s = zalloc(&pset_zone);
	if (s == NULL) {
		ipc_entry_dealloc(space, name, e);
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(s, 0, sizeof(*s));
	s->ips_object.io_otype = IOT_PORT_SET;
	s->ips_object.io_active = true;
	s->ips_object.io_references = 1;	/* the entry's */
	s->ips_id = next_pset_id++;
	s->ips_space = space;
	s->ips_name = name;
	queue_init(&s->ips_members);
	queue_init(&s->ips_rcv_waiters);
	enqueue_tail(&all_psets, &s->ips_all_link);
	ipc_psets_alive++;
	e->ie_object = &s->ips_object;
	e->ie_bits = MACH_PORT_TYPE_PORT_SET;
	*psetp = s;
	return KERN_SUCCESS;
}

/* ipc_pset_alloc: a new empty set under a new name in space. */
kern_return_t ipc_pset_alloc(ipc_space_t space, mach_port_name_t *namep, ipc_pset_t *psetp)
{
	ipc_entry_t e;
	kern_return_t kr = ipc_entry_alloc(space, namep, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	return pset_install(space, *namep, e, psetp);
}

/* ipc_pset_alloc_name: a new empty set at a free, chosen name. */
kern_return_t ipc_pset_alloc_name(ipc_space_t space, mach_port_name_t name, ipc_pset_t *psetp)
{
	ipc_entry_t e;
	kern_return_t kr = ipc_entry_alloc_name(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (IE_BITS_TYPE(e->ie_bits) != 0)
		return KERN_NAME_EXISTS;
	return pset_install(space, name, e, psetp);
}

/*
 * ipc_pset_add: port joins set.  Receivers waiting on the set may now
 * take the port's queued messages: hand them over.
 */
void ipc_pset_add(ipc_pset_t set, ipc_port_t port)
{
	assert(port->ip_pset == NULL);
	port->ip_pset = set;
	enqueue_tail(&set->ips_members, &port->ip_pset_link);
	/* receivers blocked on the port itself now belong to the set */
	ipc_mqueue_wake_receivers(&port->ip_rcv_waiters, MACH_RCV_PORT_CHANGED);
	ipc_mqueue_feed_set(set, port);
}

/* ipc_pset_remove: port leaves set. */
void ipc_pset_remove(ipc_pset_t set, ipc_port_t port)
{
	assert(port->ip_pset == set);
	queue_remove(&port->ip_pset_link);
	port->ip_pset = NULL;
}

/* ipc_pset_destroy: see ipc_pset.h.  Consumes the entry's reference. */
void ipc_pset_destroy(ipc_pset_t set)
{
	set->ips_object.io_active = false;
	struct qlink *l;
	while ((l = dequeue_head(&set->ips_members)) != NULL)
		qlink_entry(l, struct ipc_port, ip_pset_link)->ip_pset = NULL;
	ipc_mqueue_wake_receivers(&set->ips_rcv_waiters, MACH_RCV_PORT_DIED);
	io_release(&set->ips_object);
}

/* ipc_pset_free: last reference gone. */
void ipc_pset_free(ipc_pset_t set)
{
	assert(!set->ips_object.io_active);
	queue_remove(&set->ips_all_link);
	ipc_psets_alive--;
	zfree(&pset_zone, set);
}

/* ipc_pset_print: the debugger's view of a set. */
void ipc_pset_print(ipc_pset_t s)
{
	printf("pset %p id %u %s name %#x refs %u members:",
	       (void *)s, s->ips_id, s->ips_object.io_active ? "active" : "dead",
	       s->ips_name, s->ips_object.io_references);
	queue_foreach(l, &s->ips_members)
		printf(" %p", (void *)qlink_entry(l, struct ipc_port, ip_pset_link));
	printf("\n");
}
