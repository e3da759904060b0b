/*
 * The kernel side of the mach_port subsystem (3200): operations on a
 * task's port name space.  Each is called by the generated server with
 * the space (referenced; IS_NULL when the request port named no task) and
 * returns XNU's codes: KERN_INVALID_TASK for no space, KERN_INVALID_NAME
 * for a name that denotes nothing, KERN_INVALID_RIGHT for the wrong kind
 * of right, KERN_INVALID_VALUE for a bad right type or value.
 */
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/ipc_mig.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <mach/notify.h>
#include <vm/vm_copy.h>
#include <mach/mach_portServer.h>

#define SPACE_CHECK(s) do { if ((s) == IS_NULL || !(s)->is_active) return KERN_INVALID_TASK; } while (0)

/* Look a name up; KERN_INVALID_NAME when it denotes nothing. */
static kern_return_t lookup(ipc_space_t space, mach_port_name_t name, ipc_entry_t *ep)
{
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	ipc_right_check(space, name, e);
	*ep = e;
	return KERN_SUCCESS;
}

/* The receive right `name` denotes. */
static kern_return_t lookup_receive(ipc_space_t space, mach_port_name_t name, ipc_port_t *portp)
{
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!(e->ie_bits & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	*portp = ip_from_object(e->ie_object);
	return KERN_SUCCESS;
}

/* The port set `name` denotes. */
static kern_return_t lookup_pset(ipc_space_t space, mach_port_name_t name, ipc_pset_t *setp)
{
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!(e->ie_bits & MACH_PORT_TYPE_PORT_SET))
		return KERN_INVALID_RIGHT;
	*setp = ips_from_object(e->ie_object);
	return KERN_SUCCESS;
}

/* An out-of-line reply array built from kernel memory (NULL when empty). */
static kern_return_t ool_array(const void *buf, size_t bytes, void **outp)
{
	vm_map_copy_t copy = NULL;
	if (bytes && vm_map_copyin_kernel_buffer(buf, bytes, &copy) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	*outp = copy;
	return KERN_SUCCESS;
}

/* mach_port_names: every name and its type, as two OOL arrays. */
kern_return_t mach_port_names(ipc_space_t space, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	SPACE_CHECK(space);
	unsigned n = 0;
	for (uint32_t i = 1; i < space->is_table_size; i++)
		if (IE_BITS_TYPE(space->is_table[i].ie_bits))
			n++;
	size_t bytes = n * sizeof(mach_port_name_t);
	mach_port_name_t *nb = n ? kalloc(bytes) : NULL;
	mach_port_type_t *tb = n ? kalloc(bytes) : NULL;
	if (n && (nb == NULL || tb == NULL)) {
		kfree(nb, bytes);
		kfree(tb, bytes);
		return KERN_RESOURCE_SHORTAGE;
	}
	unsigned k = 0;
	for (uint32_t i = 1; i < space->is_table_size && k < n; i++) {
		ipc_entry_t e = &space->is_table[i];
		if (!IE_BITS_TYPE(e->ie_bits))
			continue;
		mach_port_name_t name = MACH_PORT_MAKE(i, e->ie_gen);
		mach_port_urefs_t urefs;
		nb[k] = name;
		ipc_right_info(space, name, e, &tb[k], &urefs);
		k++;
	}
	void *na = NULL, *ta = NULL;
	kern_return_t kr = ool_array(nb, bytes, &na);
	if (kr == KERN_SUCCESS && (kr = ool_array(tb, bytes, &ta)) != KERN_SUCCESS)
		vm_map_copy_discard(na);
	if (n) {
		kfree(nb, bytes);
		kfree(tb, bytes);
	}
	if (kr != KERN_SUCCESS)
		return kr;
	*names = na;
	*types = ta;
	*namesCnt = *typesCnt = n;
	return KERN_SUCCESS;
}

/* mach_port_type: the rights `name` denotes. */
kern_return_t mach_port_type(ipc_space_t space, mach_port_name_t name, mach_port_type_t *ptype)
{
	SPACE_CHECK(space);
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_urefs_t urefs;
	return ipc_right_info(space, name, e, ptype, &urefs);
}

/* mach_port_rename: the same rights under new_name. */
kern_return_t mach_port_rename(ipc_space_t space, mach_port_name_t old_name, mach_port_name_t new_name)
{
	SPACE_CHECK(space);
	if (!MACH_PORT_VALID(new_name))
		return KERN_INVALID_VALUE;
	ipc_entry_t oe, ne;
	kern_return_t kr = lookup(space, old_name, &oe);
	if (kr != KERN_SUCCESS)
		return kr;
	if (old_name == new_name)
		return KERN_NAME_EXISTS;
	uint32_t oindex = (uint32_t)(oe - space->is_table);
	kr = ipc_entry_alloc_name(space, new_name, &ne);
	if (kr != KERN_SUCCESS)
		return kr;
	if (IE_BITS_TYPE(ne->ie_bits) != 0)
		return KERN_NAME_EXISTS;
	oe = &space->is_table[oindex];	/* the table may have moved */
	ipc_object_t obj = oe->ie_object;
	bool hashed = oe->ie_hashed, dn = oe->ie_dnrequest;
	if (hashed)
		ipc_hash_delete(space, obj, old_name, oe);
	ne->ie_object = obj;
	ne->ie_bits = oe->ie_bits;
	ne->ie_dnrequest = dn;
	if (hashed)
		ipc_hash_insert(space, obj, new_name, ne);
	if (oe->ie_bits & MACH_PORT_TYPE_RECEIVE)
		ip_from_object(obj)->ip_receiver_name = new_name;
	if (oe->ie_bits & MACH_PORT_TYPE_PORT_SET)
		ips_from_object(obj)->ips_name = new_name;
	if (dn && IO_VALID(obj)) {
		ipc_port_t prev;
		ipc_port_t notify = IP_NULL;
		/* move the dead-name request to the new name */
		ipc_dnrequest_add(ip_from_object(obj), space, old_name, IP_NULL, &notify);
		if (IP_VALID(notify) &&
		    ipc_dnrequest_add(ip_from_object(obj), space, new_name, notify, &prev) != KERN_SUCCESS)
			ipc_port_release_sonce(notify);
	}
	oe->ie_object = IO_NULL;
	oe->ie_dnrequest = false;
	ipc_entry_dealloc(space, old_name, oe);
	return KERN_SUCCESS;
}

static kern_return_t allocate_at(ipc_space_t space, mach_port_right_t right,
				 mach_port_name_t *namep, bool named)
{
	ipc_entry_t e;
	kern_return_t kr;
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE: {
		ipc_port_t port;
		return named ? ipc_port_alloc_name(space, *namep, &port)
			     : ipc_port_alloc(space, namep, &port);
	}
	case MACH_PORT_RIGHT_PORT_SET: {
		ipc_pset_t set;
		return named ? ipc_pset_alloc_name(space, *namep, &set)
			     : ipc_pset_alloc(space, namep, &set);
	}
	case MACH_PORT_RIGHT_DEAD_NAME:
		if (named) {
			kr = ipc_entry_alloc_name(space, *namep, &e);
			if (kr == KERN_SUCCESS && IE_BITS_TYPE(e->ie_bits) != 0)
				kr = KERN_NAME_EXISTS;
		} else {
			kr = ipc_entry_alloc(space, namep, &e);
		}
		if (kr == KERN_SUCCESS)
			e->ie_bits = MACH_PORT_TYPE_DEAD_NAME | 1;
		return kr;
	default:
		return KERN_INVALID_VALUE;
	}
}

/* mach_port_allocate_name: a receive right, set or dead name called name. */
kern_return_t mach_port_allocate_name(ipc_space_t space, mach_port_right_t right, mach_port_name_t name)
{
	SPACE_CHECK(space);
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	return allocate_at(space, right, &name, true);
}

/* mach_port_allocate: the same under a name the kernel picks. */
kern_return_t mach_port_allocate(ipc_space_t space, mach_port_right_t right, mach_port_name_t *name)
{
	SPACE_CHECK(space);
	return allocate_at(space, right, name, false);
}

/* mach_port_destroy: every right `name` denotes. */
kern_return_t mach_port_destroy(ipc_space_t space, mach_port_name_t name)
{
	SPACE_CHECK(space);
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_destroy(space, name, e);
}

/* mach_port_deallocate: one uref of a send, send-once or dead name. */
kern_return_t mach_port_deallocate(ipc_space_t space, mach_port_name_t name)
{
	SPACE_CHECK(space);
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_dealloc(space, name, e);
}

/* mach_port_get_refs: user references of one right type under name. */
kern_return_t mach_port_get_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs)
{
	SPACE_CHECK(space);
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t bits = e->ie_bits;
	mach_port_type_t want = MACH_PORT_TYPE(right);
	if (!(bits & want)) {
		*refs = 0;
	} else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME) {
		*refs = IE_BITS_UREFS(bits);
	} else {
		*refs = 1;
	}
	return KERN_SUCCESS;
}

/* mach_port_mod_refs: add delta to one right type's user references. */
kern_return_t mach_port_mod_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	SPACE_CHECK(space);
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name)) {
		if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE)
			return KERN_SUCCESS;
		return KERN_INVALID_NAME;
	}
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_delta(space, name, e, right, delta);
}

/* mach_port_set_mscount: the make-send count of a receive right. */
kern_return_t mach_port_set_mscount(ipc_space_t space, mach_port_name_t name, mach_port_mscount_t mscount)
{
	SPACE_CHECK(space);
	ipc_port_t port;
	kern_return_t kr = lookup_receive(space, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	port->ip_mscount = mscount;
	return KERN_SUCCESS;
}

/* mach_port_get_set_status: the names of a set's members. */
kern_return_t mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
				       mach_port_name_array_t *members, mach_msg_type_number_t *membersCnt)
{
	SPACE_CHECK(space);
	ipc_pset_t set;
	kern_return_t kr = lookup_pset(space, name, &set);
	if (kr != KERN_SUCCESS)
		return kr;
	unsigned n = 0;
	queue_foreach(l, &set->ips_members)
		n++;
	size_t bytes = n * sizeof(mach_port_name_t);
	mach_port_name_t *buf = n ? kalloc(bytes) : NULL;
	if (n && buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	unsigned k = 0;
	queue_foreach(l, &set->ips_members)
		buf[k++] = qlink_entry(l, struct ipc_port, ip_pset_link)->ip_receiver_name;
	void *arr = NULL;
	kr = ool_array(buf, bytes, &arr);
	if (n)
		kfree(buf, bytes);
	if (kr != KERN_SUCCESS)
		return kr;
	*members = arr;
	*membersCnt = n;
	return KERN_SUCCESS;
}

/* mach_port_move_member: put a receive right in set `after` (or no set). */
kern_return_t mach_port_move_member(ipc_space_t space, mach_port_name_t member, mach_port_name_t after)
{
	SPACE_CHECK(space);
	ipc_port_t port;
	ipc_pset_t set = IPS_NULL;
	kern_return_t kr = lookup_receive(space, member, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	if (after != MACH_PORT_NULL && (kr = lookup_pset(space, after, &set)) != KERN_SUCCESS)
		return kr;
	if (port->ip_pset)
		ipc_pset_remove(port->ip_pset, port);
	if (set)
		ipc_pset_add(set, port);
	return KERN_SUCCESS;
}

/* The receive right `name` and the set `psname`, for the member calls. */
static kern_return_t lookup_member(ipc_space_t space, mach_port_name_t name,
				   mach_port_name_t psname, ipc_port_t *portp, ipc_pset_t *setp)
{
	if (space == IS_NULL || !space->is_active)
		return KERN_INVALID_TASK;
	kern_return_t kr = lookup_receive(space, name, portp);
	if (kr == KERN_SUCCESS)
		kr = lookup_pset(space, psname, setp);
	return kr;
}

/* mach_port_insert_member: add a receive right to a set. */
kern_return_t mach_port_insert_member(ipc_space_t space, mach_port_name_t name, mach_port_name_t psname)
{
	ipc_port_t port;
	ipc_pset_t set;
	kern_return_t kr = lookup_member(space, name, psname, &port, &set);
	if (kr != KERN_SUCCESS)
		return kr;
	if (port->ip_pset)
		return KERN_ALREADY_IN_SET;
	ipc_pset_add(set, port);
	return KERN_SUCCESS;
}

/* mach_port_extract_member: take a receive right out of a set. */
kern_return_t mach_port_extract_member(ipc_space_t space, mach_port_name_t name, mach_port_name_t psname)
{
	ipc_port_t port;
	ipc_pset_t set;
	kern_return_t kr = lookup_member(space, name, psname, &port, &set);
	if (kr != KERN_SUCCESS)
		return kr;
	if (port->ip_pset != set)
		return KERN_NOT_IN_SET;
	ipc_pset_remove(set, port);
	return KERN_SUCCESS;
}

/*
 * mach_port_request_notification: arm a notification and return the
 * previously armed send-once right.  notify (a send-once right or NULL)
 * is consumed on success.
 */
kern_return_t mach_port_request_notification(ipc_space_t space, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     ipc_port_t notify, ipc_port_t *previous)
{
	SPACE_CHECK(space);
	ipc_entry_t e;
	ipc_port_t port;
	kern_return_t kr;
	*previous = IP_NULL;

	switch (msgid) {
	case MACH_NOTIFY_PORT_DESTROYED:
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		if (sync != 0)
			return KERN_INVALID_VALUE;
		*previous = port->ip_pdrequest;
		port->ip_pdrequest = IP_VALID(notify) ? notify : IP_NULL;
		return KERN_SUCCESS;

	case MACH_NOTIFY_NO_SENDERS:
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		*previous = port->ip_nsrequest;
		port->ip_nsrequest = IP_VALID(notify) ? notify : IP_NULL;
		port->ip_nsmscount = sync;
		/* no senders already and the make-send count reached: answer now */
		if (port->ip_srights == 0 && sync <= port->ip_mscount)
			ipc_notify_no_senders_check(port);
		return KERN_SUCCESS;

	case MACH_NOTIFY_DEAD_NAME:
		if ((kr = lookup(space, name, &e)) != KERN_SUCCESS)
			return kr;
		if (e->ie_bits & MACH_PORT_TYPE_DEAD_NAME) {
			/* already dead: answer at once, the notification holds a uref */
			if (sync == 0 || !IP_VALID(notify))
				return KERN_INVALID_ARGUMENT;
			if (IE_BITS_UREFS(e->ie_bits) >= MACH_PORT_UREFS_MAX)
				return KERN_UREFS_OVERFLOW;
			e->ie_bits++;
			ipc_notify_dead_name(notify, name);
			return KERN_SUCCESS;
		}
		if (!(e->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)))
			return KERN_INVALID_RIGHT;
		port = ip_from_object(e->ie_object);
		kr = ipc_dnrequest_add(port, space, name, notify, previous);
		if (kr != KERN_SUCCESS)
			return kr;
		e->ie_dnrequest = IP_VALID(notify);
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_VALUE;
	}
}

/* mach_port_insert_right: put a right (in transit, polyPoly) under name. */
kern_return_t mach_port_insert_right(ipc_space_t space, mach_port_name_t name,
				     ipc_port_t poly, mach_msg_type_name_t polyPoly)
{
	SPACE_CHECK(space);
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (!IP_VALID(poly))
		return KERN_INVALID_CAPABILITY;
	if (polyPoly != MACH_MSG_TYPE_PORT_SEND && polyPoly != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    polyPoly != MACH_MSG_TYPE_PORT_RECEIVE)
		return KERN_INVALID_VALUE;
	return ipc_object_copyout_name(space, ip_to_object(poly), polyPoly, name);
}

/* mach_port_extract_right: take a right out of the space, as a message would. */
kern_return_t mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name, ipc_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	SPACE_CHECK(space);
	if (!MACH_MSG_TYPE_PORT_ANY(msgt_name))
		return KERN_INVALID_VALUE;
	ipc_object_t obj;
	ipc_entry_t e;
	kern_return_t kr = lookup(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = ipc_right_copyin(space, name, e, msgt_name, false, &obj);
	if (kr != KERN_SUCCESS)
		return kr;
	*poly = (ipc_port_t)obj;
	*polyPoly = ipc_object_copyin_type(msgt_name);
	return KERN_SUCCESS;
}

/* mach_port_set_seqno: a receive right's sequence number. */
kern_return_t mach_port_set_seqno(ipc_space_t space, mach_port_name_t name, mach_port_seqno_t seqno)
{
	SPACE_CHECK(space);
	ipc_port_t port;
	kern_return_t kr = lookup_receive(space, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	port->ip_seqno = seqno;
	return KERN_SUCCESS;
}

/* mach_port_get_attributes: limits, receive status, dead-name requests. */
kern_return_t mach_port_get_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t info,
				       mach_msg_type_number_t *count)
{
	SPACE_CHECK(space);
	ipc_port_t port;
	kern_return_t kr;
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO: {
		if (*count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		mach_port_limits_t *l = (mach_port_limits_t *)info;
		l->mpl_qlimit = port->ip_qlimit;
		*count = MACH_PORT_LIMITS_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case MACH_PORT_RECEIVE_STATUS: {
		if (*count < MACH_PORT_RECEIVE_STATUS_COUNT)
			return KERN_FAILURE;
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		mach_port_status_t *st = (mach_port_status_t *)info;
		memset(st, 0, sizeof(*st));
		st->mps_pset = port->ip_pset ? 1 : 0;
		st->mps_seqno = port->ip_seqno;
		st->mps_mscount = port->ip_mscount;
		st->mps_qlimit = port->ip_qlimit;
		st->mps_msgcount = port->ip_msgcount;
		st->mps_sorights = port->ip_sorights;
		st->mps_srights = port->ip_srights > 0;
		st->mps_pdrequest = port->ip_pdrequest != IP_NULL;
		st->mps_nsrequest = port->ip_nsrequest != IP_NULL;
		*count = MACH_PORT_RECEIVE_STATUS_COUNT;
		return KERN_SUCCESS;
	}
	case MACH_PORT_DNREQUESTS_SIZE: {
		if (*count < MACH_PORT_DNREQUESTS_SIZE_COUNT)
			return KERN_FAILURE;
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		int n = 0;
		queue_foreach(l, &port->ip_dnrequests)
			n++;
		*(int *)info = n;
		*count = MACH_PORT_DNREQUESTS_SIZE_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* mach_port_set_attributes: the queue limit (MACH_PORT_LIMITS_INFO). */
kern_return_t mach_port_set_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t info,
				       mach_msg_type_number_t count)
{
	SPACE_CHECK(space);
	ipc_port_t port;
	kern_return_t kr;
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO: {
		if (count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		const mach_port_limits_t *l = (const mach_port_limits_t *)info;
		if (l->mpl_qlimit > MACH_PORT_QLIMIT_MAX)
			return KERN_INVALID_VALUE;
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		ipc_mqueue_set_qlimit(port, l->mpl_qlimit);
		return KERN_SUCCESS;
	}
	case MACH_PORT_DNREQUESTS_SIZE:
		if ((kr = lookup_receive(space, name, &port)) != KERN_SUCCESS)
			return kr;
		return KERN_SUCCESS;	/* requests are kept in a list: nothing to size */
	default:
		return KERN_INVALID_ARGUMENT;
	}
}
