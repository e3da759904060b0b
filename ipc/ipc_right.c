/*
 * Rights held under names: checking, deallocation, destruction, user
 * reference arithmetic, and moving rights in and out of messages.
 */
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <kern/assert.h>

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE
#define T_PSET		MACH_PORT_TYPE_PORT_SET
#define T_DEAD		MACH_PORT_TYPE_DEAD_NAME

static inline ipc_port_t entry_port(ipc_entry_t e) { return ip_from_object(e->ie_object); }

/* Free an entry that holds nothing any more (after the object is dealt with). */
static void entry_free(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	if (e->ie_hashed)
		ipc_hash_delete(space, e->ie_object, name, e);
	if (e->ie_dnrequest && IO_VALID(e->ie_object))
		ipc_dnrequest_cancel(entry_port(e), space, name);
	ipc_entry_dealloc(space, name, e);
}

/* ipc_right_check: see ipc_right.h. */
bool ipc_right_check(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	uint32_t bits = e->ie_bits;
	if (!(bits & (T_SEND | T_SONCE)))
		return false;
	ipc_port_t port = entry_port(e);
	if (ip_active(port))
		return false;
	assert(!(bits & T_RECEIVE));
	if (e->ie_hashed)
		ipc_hash_delete(space, e->ie_object, name, e);
	uint32_t urefs = IE_BITS_UREFS(bits);
	if (bits & T_SONCE)
		urefs = 1;
	if (e->ie_dnrequest && urefs < MACH_PORT_UREFS_MAX)
		urefs++;	/* the dead-name notification sent at the death carries one */
	e->ie_dnrequest = false;
	e->ie_object = IO_NULL;
	e->ie_bits = T_DEAD | urefs;
	ip_release(port);
	return true;
}

/* Drop the entry's send right (its urefs already 0 or being zeroed). */
static void drop_send(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	ipc_port_t port = entry_port(e);
	if (e->ie_bits & T_RECEIVE) {
		/* the entry stays for the receive right, with its reference */
		e->ie_bits &= ~(T_SEND | IE_BITS_UREFS_MASK);
		assert(port->ip_srights > 0);
		port->ip_srights--;
		if (port->ip_srights == 0)
			ipc_notify_no_senders_check(port);
		return;
	}
	entry_free(space, name, e);
	ipc_port_release_send(port);
}

/* ipc_right_dealloc: mach_port_deallocate's work. */
kern_return_t ipc_right_dealloc(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	ipc_right_check(space, name, e);
	uint32_t bits = e->ie_bits;

	if (bits & T_DEAD) {
		if (IE_BITS_UREFS(bits) <= 1)
			ipc_entry_dealloc(space, name, e);
		else
			e->ie_bits--;
		return KERN_SUCCESS;
	}
	if (bits & T_SONCE) {
		ipc_port_t port = entry_port(e);
		entry_free(space, name, e);
		ipc_notify_send_once(port);	/* destroyed unused */
		return KERN_SUCCESS;
	}
	if (bits & T_SEND) {
		if (IE_BITS_UREFS(bits) > 1)
			e->ie_bits--;
		else
			drop_send(space, name, e);
		return KERN_SUCCESS;
	}
	return KERN_INVALID_RIGHT;
}

/*
 * Destroy the receive right held by e.  Send urefs in e become a dead
 * name, unless a port-destroyed request saves the port: then the send
 * right stays under the name and the receive right goes to the requester.
 */
static void destroy_receive(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	ipc_port_t port = entry_port(e);
	uint32_t bits = e->ie_bits;
	if ((bits & T_SEND) && port->ip_pdrequest != IP_NULL) {
		e->ie_bits &= ~T_RECEIVE;	/* stays hashed, keeps its reference */
		ip_reference(port);		/* for the receive right, now leaving */
		ipc_port_clear_receiver(port);
		ipc_port_destroy(port);
		return;
	}
	if (e->ie_hashed)
		ipc_hash_delete(space, e->ie_object, name, e);
	if (bits & T_SEND) {
		uint32_t urefs = IE_BITS_UREFS(bits);
		assert(port->ip_srights > 0);
		port->ip_srights--;
		e->ie_bits = T_DEAD | urefs;
		e->ie_object = IO_NULL;
		e->ie_dnrequest = false;
	} else {
		ipc_entry_dealloc(space, name, e);
	}
	ipc_port_clear_receiver(port);
	ipc_port_destroy(port);		/* consumes the entry's reference */
}

/* ipc_right_destroy: mach_port_destroy's work: every right under name. */
kern_return_t ipc_right_destroy(ipc_space_t space, mach_port_name_t name, ipc_entry_t e)
{
	ipc_right_check(space, name, e);
	uint32_t bits = e->ie_bits;

	if (bits & T_DEAD) {
		ipc_entry_dealloc(space, name, e);
	} else if (bits & T_PSET) {
		ipc_pset_t set = ips_from_object(e->ie_object);
		ipc_entry_dealloc(space, name, e);
		ipc_pset_destroy(set);	/* consumes the entry's reference */
	} else if (bits & T_RECEIVE) {
		destroy_receive(space, name, e);
		/* what is left under the name (a dead name, or a send right a
		 * port-destroyed request kept alive) goes too */
		if (ipc_entry_lookup(space, name) == e) {
			if (e->ie_bits & T_SEND) {
				ipc_port_t port = entry_port(e);
				entry_free(space, name, e);
				ipc_port_release_send(port);
			} else {
				ipc_entry_dealloc(space, name, e);
			}
		}
	} else if (bits & T_SONCE) {
		ipc_port_t port = entry_port(e);
		entry_free(space, name, e);
		ipc_notify_send_once(port);	/* destroyed unused */
	} else if (bits & T_SEND) {
		ipc_port_t port = entry_port(e);
		entry_free(space, name, e);
		ipc_port_release_send(port);
	} else {
		return KERN_INVALID_RIGHT;
	}
	return KERN_SUCCESS;
}

static kern_return_t urefs_delta(uint32_t urefs, mach_port_delta_t delta, uint32_t *out)
{
	int64_t v = (int64_t)urefs + delta;
	if (v < 0)
		return KERN_INVALID_VALUE;
	if (v > MACH_PORT_UREFS_MAX)
		return KERN_UREFS_OVERFLOW;
	*out = (uint32_t)v;
	return KERN_SUCCESS;
}

/* ipc_right_delta: mach_port_mod_refs' work. */
kern_return_t ipc_right_delta(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
			      mach_port_right_t right, mach_port_delta_t delta)
{
	uint32_t urefs;
	kern_return_t kr;

	ipc_right_check(space, name, e);
	uint32_t bits = e->ie_bits;

	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		if (!(bits & T_RECEIVE))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		destroy_receive(space, name, e);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_PORT_SET:
		if (!(bits & T_PSET))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		return ipc_right_destroy(space, name, e);

	case MACH_PORT_RIGHT_SEND_ONCE:
		if (!(bits & T_SONCE))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		return ipc_right_dealloc(space, name, e);

	case MACH_PORT_RIGHT_DEAD_NAME:
		if (!(bits & T_DEAD))
			return (bits & (T_SEND | T_SONCE)) ? KERN_INVALID_RIGHT : KERN_INVALID_RIGHT;
		if ((kr = urefs_delta(IE_BITS_UREFS(bits), delta, &urefs)) != KERN_SUCCESS)
			return kr;
		if (urefs == 0)
			ipc_entry_dealloc(space, name, e);
		else
			e->ie_bits = T_DEAD | urefs;
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND:
		if (!(bits & T_SEND))
			return KERN_INVALID_RIGHT;
		if ((kr = urefs_delta(IE_BITS_UREFS(bits), delta, &urefs)) != KERN_SUCCESS)
			return kr;
		if (urefs == 0)
			drop_send(space, name, e);
		else
			e->ie_bits = (bits & ~IE_BITS_UREFS_MASK) | urefs;
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_VALUE;
	}
}

/* ipc_right_info: type bits and urefs for mach_port_type / get_refs. */
kern_return_t ipc_right_info(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
			     mach_port_type_t *typep, mach_port_urefs_t *urefsp)
{
	ipc_right_check(space, name, e);
	mach_port_type_t type = IE_BITS_TYPE(e->ie_bits);
	if (e->ie_dnrequest)
		type |= MACH_PORT_TYPE_DNREQUEST;
	*typep = type;
	*urefsp = IE_BITS_UREFS(e->ie_bits);
	return KERN_SUCCESS;
}

/* ipc_object_copyin_type: see ipc_right.h. */
mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t msgt_name)
{
	switch (msgt_name) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:	return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:	return MACH_MSG_TYPE_PORT_SEND_ONCE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:		return MACH_MSG_TYPE_PORT_SEND;
	default:				return 0;
	}
}

/* ipc_right_copyin_check: see ipc_right.h. */
bool ipc_right_copyin_check(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
			    mach_msg_type_name_t msgt_name, bool deadok)
{
	ipc_right_check(space, name, e);
	uint32_t bits = e->ie_bits;
	switch (msgt_name) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return (bits & T_RECEIVE) != 0;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		if (bits & T_DEAD)
			return deadok;
		return (bits & T_SEND) != 0;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (bits & T_DEAD)
			return deadok;
		return (bits & T_SONCE) != 0;
	default:
		return false;
	}
}

/* ipc_right_copyin: see ipc_right.h. */
kern_return_t ipc_right_copyin(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
			       mach_msg_type_name_t msgt_name, bool deadok, ipc_object_t *objectp)
{
	if (!ipc_right_copyin_check(space, name, e, msgt_name, deadok))
		return KERN_INVALID_RIGHT;
	uint32_t bits = e->ie_bits;
	ipc_port_t port = entry_port(e);

	if (bits & T_DEAD) {
		/* COPY_SEND, MOVE_SEND or MOVE_SEND_ONCE of a dead name */
		if (msgt_name != MACH_MSG_TYPE_COPY_SEND) {
			if (IE_BITS_UREFS(bits) <= 1)
				ipc_entry_dealloc(space, name, e);
			else
				e->ie_bits--;
		}
		*objectp = IO_DEAD;
		return KERN_SUCCESS;
	}

	switch (msgt_name) {
	case MACH_MSG_TYPE_MAKE_SEND:
		*objectp = ip_to_object(ipc_port_make_send(port));
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		*objectp = ip_to_object(ipc_port_make_sonce(port));
		break;
	case MACH_MSG_TYPE_COPY_SEND:
		*objectp = ip_to_object(ipc_port_copy_send(port));
		break;
	case MACH_MSG_TYPE_MOVE_SEND:
		if (IE_BITS_UREFS(bits) > 1) {
			e->ie_bits--;
			*objectp = ip_to_object(ipc_port_copy_send(port));
		} else if (bits & T_RECEIVE) {
			e->ie_bits &= ~(T_SEND | IE_BITS_UREFS_MASK);
			ip_reference(port);	/* the right in transit */
			*objectp = ip_to_object(port);
		} else {
			entry_free(space, name, e);	/* its reference moves */
			*objectp = ip_to_object(port);
		}
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		entry_free(space, name, e);
		*objectp = ip_to_object(port);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (bits & T_SEND) {
			/* keep the send right under the name; it stays hashed */
			e->ie_bits &= ~T_RECEIVE;
			ip_reference(port);
		} else {
			if (e->ie_hashed)
				ipc_hash_delete(space, e->ie_object, name, e);
			ipc_entry_dealloc(space, name, e);
		}
		ipc_port_clear_receiver(port);
		*objectp = ip_to_object(port);
		break;
	default:
		return KERN_INVALID_RIGHT;
	}
	return KERN_SUCCESS;
}

/* ipc_object_copyin: see ipc_right.h. */
kern_return_t ipc_object_copyin(ipc_space_t space, mach_port_name_t name,
				mach_msg_type_name_t msgt_name, ipc_object_t *objectp)
{
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	return ipc_right_copyin(space, name, e, msgt_name, false, objectp);
}

/* Merge a right in transit into an entry that already names its port. */
static kern_return_t copyout_into(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
				  ipc_port_t port, mach_msg_type_name_t msgt_name)
{
	uint32_t bits = e->ie_bits;
	switch (msgt_name) {
	case MACH_MSG_TYPE_PORT_SEND:
		if (bits & T_SEND) {
			/* the entry already counts as a send right: fold this one in */
			if (IE_BITS_UREFS(bits) < MACH_PORT_UREFS_MAX)
				e->ie_bits++;	/* else urefs stay pegged at the maximum */
			assert(port->ip_srights > 1);
			port->ip_srights--;
			ip_release(port);
		} else {
			e->ie_bits |= T_SEND | 1;
			ip_release(port);	/* the entry's reference covers it */
		}
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		if (bits & T_RECEIVE)
			return KERN_RIGHT_EXISTS;
		e->ie_bits |= T_RECEIVE;
		port->ip_receiver = space;
		port->ip_receiver_name = name;
		ip_release(port);
		return KERN_SUCCESS;
	default:
		return KERN_NAME_EXISTS;
	}
}

static void install(ipc_space_t space, mach_port_name_t name, ipc_entry_t e,
		    ipc_port_t port, mach_msg_type_name_t msgt_name)
{
	e->ie_object = ip_to_object(port);
	switch (msgt_name) {
	case MACH_MSG_TYPE_PORT_SEND:
		e->ie_bits = T_SEND | 1;
		ipc_hash_insert(space, e->ie_object, name, e);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		e->ie_bits = T_SONCE | 1;
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		e->ie_bits = T_RECEIVE;
		ipc_hash_insert(space, e->ie_object, name, e);
		port->ip_receiver = space;
		port->ip_receiver_name = name;
		break;
	}
}

/* Finish moving a receive right in: it no longer travels anywhere. */
static void receive_arrived(ipc_port_t port)
{
	ipc_port_t dest = port->ip_destination;
	port->ip_destination = IP_NULL;
	if (dest)
		ip_release(dest);
}

/* ipc_object_copyout: see ipc_right.h. */
kern_return_t ipc_object_copyout(ipc_space_t space, ipc_object_t object,
				 mach_msg_type_name_t msgt_name, mach_port_name_t *namep)
{
	if (object == IO_NULL) {
		*namep = MACH_PORT_NULL;
		return KERN_SUCCESS;
	}
	if (object == IO_DEAD) {
		*namep = MACH_PORT_DEAD;
		return KERN_SUCCESS;
	}
	if (!space->is_active)
		return KERN_INVALID_TASK;
	ipc_port_t port = ip_from_object(object);
	mach_port_name_t name;
	ipc_entry_t e;

	if (msgt_name != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_hash_lookup(space, object, &name, &e)) {
		kern_return_t kr = copyout_into(space, name, e, port, msgt_name);
		if (kr != KERN_SUCCESS)
			return kr;
		if (msgt_name == MACH_MSG_TYPE_PORT_RECEIVE)
			receive_arrived(port);
		*namep = name;
		return KERN_SUCCESS;
	}
	kern_return_t kr = ipc_entry_alloc(space, &name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	install(space, name, e, port, msgt_name);
	if (msgt_name == MACH_MSG_TYPE_PORT_RECEIVE)
		receive_arrived(port);
	*namep = name;
	return KERN_SUCCESS;
}

/* ipc_object_copyout_name: see ipc_right.h. */
kern_return_t ipc_object_copyout_name(ipc_space_t space, ipc_object_t object,
				      mach_msg_type_name_t msgt_name, mach_port_name_t name)
{
	if (!IO_VALID(object))
		return KERN_INVALID_CAPABILITY;
	ipc_port_t port = ip_from_object(object);
	mach_port_name_t oname;
	ipc_entry_t e;

	if (msgt_name != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_hash_lookup(space, object, &oname, &e) && oname != name)
		return KERN_RIGHT_EXISTS;
	kern_return_t kr = ipc_entry_alloc_name(space, name, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (IE_BITS_TYPE(e->ie_bits) != 0) {
		/*
		 * A name in use takes another right only where the reverse hash
		 * found it for this port (send and receive rights share an
		 * entry); a send-once right to the port is no such entry.
		 */
		if (e->ie_object != object || !e->ie_hashed)
			return KERN_NAME_EXISTS;
		kr = copyout_into(space, name, e, port, msgt_name);
	} else {
		install(space, name, e, port, msgt_name);
	}
	if (kr == KERN_SUCCESS && msgt_name == MACH_MSG_TYPE_PORT_RECEIVE)
		receive_arrived(port);
	return kr;
}

/* ipc_object_destroy: see ipc_right.h. */
void ipc_object_destroy(ipc_object_t object, mach_msg_type_name_t msgt_name)
{
	if (!IO_VALID(object))
		return;
	ipc_port_t port = ip_from_object(object);
	switch (msgt_name) {
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_release_send(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		ipc_notify_send_once(port);	/* consumes the right */
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		receive_arrived(port);
		ipc_port_destroy(port);
		break;
	default:
		panic("ipc_object_destroy: type %u", msgt_name);
	}
}
