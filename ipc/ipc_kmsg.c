/*
 * Kernel messages: allocation and the kmsg cache, copying messages in and
 * out of user memory, moving the rights and memory they carry between
 * spaces, and destroying them.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg_fast.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/trace.h>
#include <mach/vm_statistics.h>
#include <machine/copyio.h>
#include <vm/vm_copy.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

unsigned ipc_kmsgs_alive;
unsigned long ikm_cache_hits, ikm_cache_misses;
ipc_kmsg_t ikm_cache[IKM_CACHE_SLOTS];
int ikm_ncached;

const security_token_t KERNEL_SECURITY_TOKEN = KERNEL_SECURITY_TOKEN_VALUE;
const audit_token_t KERNEL_AUDIT_TOKEN = KERNEL_AUDIT_TOKEN_VALUE;

/* ipc_kmsg_init: nothing to set up beyond the static cache. */
void ipc_kmsg_init(void)
{
	ikm_ncached = 0;
}

/*
 * ipc_kmsg_alloc: a kmsg for msg_size bytes of message plus the largest
 * trailer.  Small messages come from the cache when it has one.
 * Returns IKM_NULL when memory is short.
 */
ipc_kmsg_t ipc_kmsg_alloc(mach_msg_size_t msg_size)
{
	mach_msg_size_t need = round_msg(msg_size) + MAX_TRAILER_SIZE;
	ipc_kmsg_t k;
	if (need <= IKM_SAVED_MSG_SIZE) {
		if (ikm_ncached > 0) {
			k = ikm_cache[--ikm_ncached];
			ikm_cache_hits++;
			mach_msg_counters[MMC_kmsg_cache_hits]++;
		} else {
			ikm_cache_misses++;
			mach_msg_counters[MMC_kmsg_cache_misses]++;
			k = kalloc(sizeof(*k) + IKM_SAVED_MSG_SIZE);
			if (k == NULL)
				return IKM_NULL;
			k->ikm_size = IKM_SAVED_MSG_SIZE;
			k->ikm_cached = true;
		}
	} else {
		if (need < msg_size)	/* overflow */
			return IKM_NULL;
		k = kalloc(sizeof(*k) + need);
		if (k == NULL)
			return IKM_NULL;
		k->ikm_size = need;
		k->ikm_cached = false;
	}
	k->ikm_link.next = k->ikm_link.prev = NULL;
	k->ikm_header = (mach_msg_header_t *)(k + 1);
	ipc_kmsgs_alive++;
	return k;
}

/* ipc_kmsg_free: back to the cache or the allocator.  Holds nothing. */
void ipc_kmsg_free(ipc_kmsg_t k)
{
	assert(ipc_kmsgs_alive > 0);
	ipc_kmsgs_alive--;
	if (k->ikm_cached) {
		if (ikm_ncached < IKM_CACHE_SLOTS) {
			ikm_cache[ikm_ncached++] = k;
			return;
		}
		kfree(k, sizeof(*k) + IKM_SAVED_MSG_SIZE);
		return;
	}
	kfree(k, sizeof(*k) + k->ikm_size);
}

/* The sender's token; the rest of the trailer is made at receive time. */
static void set_sender_trailer(ipc_kmsg_t k, const security_token_t *tok)
{
	ikm_trailer(k)->msgh_sender = *tok;
}

/* ipc_kmsg_get: see ipc_kmsg.h. */
mach_msg_return_t ipc_kmsg_get(mach_msg_header_t *umsg, mach_msg_size_t size, ipc_kmsg_t *kmsgp)
{
	static const security_token_t user_token = { { 0, 0 } };
	if (size < sizeof(mach_msg_header_t) || (size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > IKM_MAX_INLINE)
		return MACH_SEND_TOO_LARGE;
	ipc_kmsg_t k = ipc_kmsg_alloc(size);
	if (k == IKM_NULL)
		return MACH_SEND_NO_BUFFER;
	if (copyin(umsg, k->ikm_header, size)) {
		ipc_kmsg_free(k);
		return MACH_SEND_INVALID_DATA;
	}
	k->ikm_header->msgh_size = size;
	set_sender_trailer(k, &user_token);
	*kmsgp = k;
	return MACH_MSG_SUCCESS;
}

/* ipc_kmsg_get_from_kernel: a kernel-built message (ports already pointers). */
mach_msg_return_t ipc_kmsg_get_from_kernel(const mach_msg_header_t *msg, mach_msg_size_t size,
					   ipc_kmsg_t *kmsgp)
{
	ipc_kmsg_t k = ipc_kmsg_alloc(size);
	if (k == IKM_NULL)
		return MACH_SEND_NO_BUFFER;
	memcpy(k->ikm_header, msg, size);
	k->ikm_header->msgh_size = size;
	set_sender_trailer(k, &KERNEL_SECURITY_TOKEN);
	*kmsgp = k;
	return MACH_MSG_SUCCESS;
}

/* ipc_kmsg_put: copy out size bytes and free the kmsg (even on a fault). */
mach_msg_return_t ipc_kmsg_put(mach_msg_header_t *umsg, ipc_kmsg_t k, mach_msg_size_t size)
{
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	if (copyout(k->ikm_header, umsg, size))
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(k);
	return mr;
}

/* ------------------------------------------------------------ descriptors */

static inline mach_msg_descriptor_t *kmsg_descs(ipc_kmsg_t k, mach_msg_size_t *countp)
{
	mach_msg_body_t *body = (mach_msg_body_t *)(k->ikm_header + 1);
	*countp = body->msgh_descriptor_count;
	return (mach_msg_descriptor_t *)(body + 1);
}

/* Release what descriptors [0, n) carry (they are in kernel form). */
static void clean_body(mach_msg_descriptor_t *d, mach_msg_size_t n)
{
	for (mach_msg_size_t i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			ipc_object_destroy((ipc_object_t)d[i].port.name, d[i].port.disposition);
			d[i].port.name = NULL;
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (d[i].out_of_line.address)
				vm_map_copy_discard((vm_map_copy_t)d[i].out_of_line.address);
			d[i].out_of_line.address = NULL;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			ipc_object_t *objs = d[i].ool_ports.address;
			if (objs) {
				for (mach_msg_size_t j = 0; j < d[i].ool_ports.count; j++)
					ipc_object_destroy(objs[j], d[i].ool_ports.disposition);
				kfree(objs, d[i].ool_ports.count * sizeof(*objs));
			}
			d[i].ool_ports.address = NULL;
			break;
		}
		}
	}
}

static void clean_header(mach_msg_header_t *h)
{
	ipc_object_destroy((ipc_object_t)h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	ipc_object_destroy((ipc_object_t)h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));
	h->msgh_remote_port = NULL;
	h->msgh_local_port = NULL;
}

/* ipc_kmsg_destroy: see ipc_kmsg.h. */
void ipc_kmsg_destroy(ipc_kmsg_t k)
{
	mach_msg_header_t *h = k->ikm_header;
	clean_header(h);
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_size_t n;
		mach_msg_descriptor_t *d = kmsg_descs(k, &n);
		clean_body(d, n);
	}
	ipc_kmsg_free(k);
}

/* ------------------------------------------------------------ copyin */

static bool is_move(mach_msg_type_name_t t)
{
	return t == MACH_MSG_TYPE_MOVE_SEND || t == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
	       t == MACH_MSG_TYPE_MOVE_RECEIVE;
}

/*
 * ipc_kmsg_copyin_header: turn the header's names into rights in transit.
 * Both rights are checked before either is taken, so a failure changes
 * nothing in the space.  When dest and reply are one name, the copying
 * disposition is taken before the moving one, so COPY_SEND + MOVE_SEND of
 * a single uref works, and two moves need two urefs.
 */
mach_msg_return_t ipc_kmsg_copyin_header(ipc_kmsg_t k, ipc_space_t space)
{
	mach_msg_header_t *h = k->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(bits);
	mach_msg_type_name_t vtype = MACH_MSGH_BITS_VOUCHER(bits);
	mach_port_name_t dname = (mach_port_name_t)(uintptr_t)h->msgh_remote_port;
	mach_port_name_t rname = (mach_port_name_t)(uintptr_t)h->msgh_local_port;

	if ((bits & ~MACH_MSGH_BITS_USER) != 0 || !MACH_MSG_TYPE_PORT_ANY_SEND(dtype) ||
	    (rtype == 0 ? rname != MACH_PORT_NULL : !MACH_MSG_TYPE_PORT_ANY_SEND(rtype)))
		return MACH_SEND_INVALID_HEADER;
	if (vtype != 0) {
		if (vtype != MACH_MSG_TYPE_MOVE_SEND && vtype != MACH_MSG_TYPE_COPY_SEND)
			return MACH_SEND_INVALID_HEADER;
		if (h->msgh_voucher_port != MACH_PORT_NULL)
			return MACH_SEND_INVALID_VOUCHER;	/* no vouchers here */
	}
	h->msgh_voucher_port = MACH_PORT_NULL;
	if (!space->is_active)
		return MACH_SEND_INVALID_DEST;

	if (!MACH_PORT_VALID(dname))
		return MACH_SEND_INVALID_DEST;
	ipc_entry_t de = ipc_entry_lookup(space, dname);
	if (de == NULL || !ipc_right_copyin_check(space, dname, de, dtype, false))
		return MACH_SEND_INVALID_DEST;

	ipc_entry_t re = NULL;
	if (MACH_PORT_VALID(rname)) {
		re = ipc_entry_lookup(space, rname);
		if (re == NULL || !ipc_right_copyin_check(space, rname, re, rtype, true))
			return MACH_SEND_INVALID_REPLY;
	}

	ipc_object_t dobj, robj = rname == MACH_PORT_DEAD ? IO_DEAD : IO_NULL;
	if (re != NULL && rname == dname) {
		if (is_move(dtype) && is_move(rtype)) {
			/* two moves of one name: only two send urefs allow it */
			if (dtype != MACH_MSG_TYPE_MOVE_SEND || rtype != MACH_MSG_TYPE_MOVE_SEND ||
			    IE_BITS_UREFS(de->ie_bits) < 2)
				return MACH_SEND_INVALID_REPLY;
		}
		if (is_move(dtype)) {
			ipc_right_copyin(space, rname, re, rtype, true, &robj);
			ipc_right_copyin(space, dname, de, dtype, false, &dobj);
		} else {
			ipc_right_copyin(space, dname, de, dtype, false, &dobj);
			ipc_right_copyin(space, rname, re, rtype, true, &robj);
		}
	} else {
		ipc_right_copyin(space, dname, de, dtype, false, &dobj);
		if (re != NULL)
			ipc_right_copyin(space, rname, re, rtype, true, &robj);
	}
	assert(IO_VALID(dobj));

	mach_msg_type_name_t dres = ipc_object_copyin_type(dtype);
	mach_msg_type_name_t rres = rtype ? ipc_object_copyin_type(rtype) : 0;
	h->msgh_remote_port = (mach_port_t)dobj;
	h->msgh_local_port = (mach_port_t)robj;
	h->msgh_bits = MACH_MSGH_BITS_OTHER(bits) | MACH_MSGH_BITS(dres, rres);
	return MACH_MSG_SUCCESS;
}

/* One port right from a descriptor; KERN_* as ipc_right_copyin. */
static kern_return_t copyin_port(ipc_space_t space, mach_port_name_t name,
				 mach_msg_type_name_t disp, ipc_object_t *objp)
{
	if (!MACH_PORT_VALID(name)) {
		*objp = name == MACH_PORT_DEAD ? IO_DEAD : IO_NULL;
		return KERN_SUCCESS;
	}
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL)
		return KERN_INVALID_NAME;
	return ipc_right_copyin(space, name, e, disp, true, objp);
}

/* A receive right now travels toward dest: loop check and bookkeeping. */
static void receive_in_transit(ipc_kmsg_t k, ipc_object_t obj)
{
	if (!IO_VALID(obj))
		return;
	ipc_port_t port = ip_from_object(obj);
	ipc_port_t dest = (ipc_port_t)k->ikm_header->msgh_remote_port;
	if (ipc_port_check_circularity(port, dest))
		k->ikm_header->msgh_bits |= MACH_MSGH_BITS_CIRCULAR;
	else
		ipc_port_set_in_transit(port, dest);
}

/*
 * Copy in an out-of-line port array of d->count names from the sender.
 * On failure nothing is left taken and d->address is NULL.
 */
static mach_msg_return_t copyin_ool_ports(ipc_kmsg_t k, ipc_space_t space, vm_map_t map,
					  mach_msg_ool_ports_descriptor_t *d)
{
	mach_msg_size_t count = d->count;
	void *uaddr = d->address;
	mach_msg_type_name_t disp = d->disposition;
	d->address = NULL;
	if (!MACH_MSG_TYPE_PORT_ANY(disp))
		return MACH_SEND_INVALID_TYPE;
	if (count == 0) {
		d->disposition = ipc_object_copyin_type(disp);
		return MACH_MSG_SUCCESS;
	}
	if (count > IS_TABLE_MAX)
		return MACH_SEND_TOO_LARGE;
	size_t bytes = count * sizeof(mach_port_name_t);
	mach_port_name_t *names = kalloc(bytes);
	if (names == NULL)
		return MACH_SEND_NO_BUFFER;
	if (copyin(uaddr, names, bytes)) {
		kfree(names, bytes);
		return MACH_SEND_INVALID_MEMORY;
	}
	/* check every name first, so that a failure takes nothing */
	for (mach_msg_size_t j = 0; j < count; j++) {
		if (!MACH_PORT_VALID(names[j]))
			continue;
		ipc_entry_t e = ipc_entry_lookup(space, names[j]);
		if (e == NULL || !ipc_right_copyin_check(space, names[j], e, disp, true)) {
			kfree(names, bytes);
			return MACH_SEND_INVALID_RIGHT;
		}
		for (mach_msg_size_t i = 0; i < j; i++)
			if (names[i] == names[j] && is_move(disp) &&
			    (disp != MACH_MSG_TYPE_MOVE_SEND || IE_BITS_UREFS(e->ie_bits) < 2)) {
				kfree(names, bytes);
				return MACH_SEND_INVALID_RIGHT;
			}
	}
	ipc_object_t *objs = (ipc_object_t *)names;	/* same size, converted in place */
	_Static_assert(sizeof(ipc_object_t) == sizeof(mach_port_name_t), "in-place conversion");
	for (mach_msg_size_t j = 0; j < count; j++) {
		ipc_object_t obj;
		kern_return_t kr = copyin_port(space, names[j], disp, &obj);
		assert(kr == KERN_SUCCESS);
		(void)kr;
		objs[j] = obj;
		if (disp == MACH_MSG_TYPE_MOVE_RECEIVE)
			receive_in_transit(k, obj);
	}
	if (d->deallocate)
		vm_deallocate(map, (vm_address_t)(uintptr_t)uaddr, bytes);
	d->address = objs;
	d->disposition = ipc_object_copyin_type(disp);
	return MACH_MSG_SUCCESS;
}

/*
 * ipc_kmsg_copyin_body: rights and memory of every descriptor.  On a
 * failure, everything taken so far (header rights included) is released,
 * as Mach does, and the header is left empty for the caller to free.
 */
static mach_msg_return_t ipc_kmsg_copyin_body(ipc_kmsg_t k, ipc_space_t space, vm_map_t map)
{
	mach_msg_header_t *h = k->ikm_header;
	mach_msg_size_t size = h->msgh_size;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mach_msg_descriptor_t *d = NULL;
	mach_msg_size_t n = 0, i = 0;

	if (size < sizeof(mach_msg_base_t)) {
		mr = MACH_SEND_MSG_TOO_SMALL;
		goto fail;
	}
	d = kmsg_descs(k, &n);
	if (n > (size - sizeof(mach_msg_base_t)) / sizeof(mach_msg_descriptor_t)) {
		mr = MACH_SEND_MSG_TOO_SMALL;
		n = 0;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR: {
			mach_msg_type_name_t disp = d[i].port.disposition;
			mach_port_name_t name = (mach_port_name_t)(uintptr_t)d[i].port.name;
			ipc_object_t obj;
			if (!MACH_MSG_TYPE_PORT_ANY(disp)) {
				mr = MACH_SEND_INVALID_TYPE;
				goto fail;
			}
			if (copyin_port(space, name, disp, &obj) != KERN_SUCCESS) {
				mr = MACH_SEND_INVALID_RIGHT;
				goto fail;
			}
			d[i].port.name = (mach_port_t)obj;
			d[i].port.disposition = ipc_object_copyin_type(disp);
			if (disp == MACH_MSG_TYPE_MOVE_RECEIVE)
				receive_in_transit(k, obj);
			break;
		}
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
			vm_map_copy_t copy = NULL;
			mach_msg_size_t len = d[i].out_of_line.size;
			vaddr_t addr = (vaddr_t)d[i].out_of_line.address;
			d[i].out_of_line.address = NULL;
			if (d[i].out_of_line.copy > MACH_MSG_VIRTUAL_COPY) {
				mr = MACH_SEND_INVALID_TYPE;
				goto fail;
			}
			if (len != 0 &&
			    vm_map_copyin(map, addr, len, d[i].out_of_line.deallocate, &copy) != KERN_SUCCESS) {
				mr = MACH_SEND_INVALID_MEMORY;
				goto fail;
			}
			d[i].out_of_line.address = copy;
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			mr = copyin_ool_ports(k, space, map, &d[i].ool_ports);
			if (mr != MACH_MSG_SUCCESS)
				goto fail;
			break;
		default:
			mr = MACH_SEND_INVALID_TYPE;
			goto fail;
		}
	}
	return MACH_MSG_SUCCESS;

fail:
	clean_header(h);
	if (n > 0)
		clean_body(d, i);
	h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;	/* nothing left to release */
	return mr;
}

/*
 * ipc_kmsg_copyin: header, then body when complex.  On failure the
 * message holds no rights or memory; the caller frees the kmsg.
 */
mach_msg_return_t ipc_kmsg_copyin(ipc_kmsg_t k, ipc_space_t space, vm_map_t map)
{
	mach_msg_return_t mr = ipc_kmsg_copyin_header(k, space);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (!(k->ikm_header->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	return ipc_kmsg_copyin_body(k, space, map);
}

/* ------------------------------------------------------------ copyout */

/* The receiver's name for the destination; the dest right is used up. */
static mach_port_name_t copyout_dest_right(ipc_port_t dest, mach_msg_type_name_t dtype,
					   ipc_space_t space)
{
	mach_port_name_t name = MACH_PORT_DEAD;
	if (IP_VALID(dest) && ip_active(dest) && dest->ip_receiver == space)
		name = dest->ip_receiver_name;
	if (dtype == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce(dest);
	else
		ipc_port_release_send(dest);
	return name;
}

/*
 * Copy out the header: the reply right goes into space, the destination
 * becomes the receiver's name, and remote/local swap.  On a failure to
 * copy the reply right out, returns MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE
 * with the kmsg untouched.
 */
static mach_msg_return_t copyout_header(ipc_kmsg_t k, ipc_space_t space)
{
	mach_msg_header_t *h = k->ikm_header;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	ipc_object_t robj = (ipc_object_t)h->msgh_local_port;
	mach_port_name_t rname;

	if (IO_VALID(robj) && !ip_active(ip_from_object(robj))) {
		ipc_object_destroy(robj, rtype);
		rname = MACH_PORT_DEAD;
	} else if (ipc_object_copyout(space, robj, rtype, &rname) != KERN_SUCCESS) {
		return MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;
	}
	mach_port_name_t dname = copyout_dest_right((ipc_port_t)h->msgh_remote_port, dtype, space);
	h->msgh_bits = (MACH_MSGH_BITS_OTHER(h->msgh_bits) & ~MACH_MSGH_BITS_CIRCULAR) |
		       MACH_MSGH_BITS(rtype, dtype);
	h->msgh_remote_port = (mach_port_t)(uintptr_t)rname;
	h->msgh_local_port = (mach_port_t)(uintptr_t)dname;
	h->msgh_voucher_port = MACH_PORT_NULL;
	return MACH_MSG_SUCCESS;
}

/* A right in the body goes into space; on failure it dies and reads DEAD. */
static mach_msg_return_t copyout_object(ipc_space_t space, ipc_object_t obj,
					mach_msg_type_name_t type, mach_port_name_t *namep)
{
	if (ipc_object_copyout(space, obj, type, namep) == KERN_SUCCESS)
		return MACH_MSG_SUCCESS;
	ipc_object_destroy(obj, type);
	*namep = MACH_PORT_DEAD;
	return MACH_MSG_IPC_SPACE;
}

static mach_msg_return_t copyout_ool_ports(ipc_space_t space, vm_map_t map,
					   mach_msg_ool_ports_descriptor_t *d)
{
	ipc_object_t *objs = d->address;
	mach_msg_size_t count = d->count;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	d->address = NULL;
	if (objs == NULL || count == 0)
		return MACH_MSG_SUCCESS;
	size_t bytes = count * sizeof(mach_port_name_t);
	mach_port_name_t *names = (mach_port_name_t *)objs;
	vm_address_t uaddr = 0;
	kern_return_t kr = vm_allocate(map, &uaddr, bytes, VM_FLAGS_ANYWHERE);
	/*
	 * Bring the array's pages in before any right is copied out: once a
	 * right has a name in the space, the name must reach the receiver.
	 */
	static const mach_port_name_t zeros[256];
	for (size_t off = 0; kr == KERN_SUCCESS && off < bytes; off += sizeof(zeros)) {
		size_t n = bytes - off < sizeof(zeros) ? bytes - off : sizeof(zeros);
		if (vm_map_write_bytes(map, uaddr + off, zeros, n, false) != KERN_SUCCESS) {
			vm_deallocate(map, uaddr, bytes);
			kr = KERN_RESOURCE_SHORTAGE;
		}
	}
	for (mach_msg_size_t j = 0; j < count; j++) {
		mach_port_name_t name;
		if (kr == KERN_SUCCESS) {
			mr |= copyout_object(space, objs[j], d->disposition, &name);
		} else {
			ipc_object_destroy(objs[j], d->disposition);
			name = MACH_PORT_NULL;
		}
		names[j] = name;
	}
	if (kr == KERN_SUCCESS) {
		vm_map_write_bytes(map, uaddr, names, bytes, false);
		d->address = (void *)uaddr;
	} else {
		mr |= MACH_MSG_VM_SPACE;
	}
	kfree(objs, bytes);
	return mr;
}

/* The scatter-list descriptor for index i, if it asks for an overwrite. */
static const mach_msg_ool_descriptor_t *slist_overwrite(mach_msg_body_t *slist, mach_msg_size_t i)
{
	if (slist == NULL || i >= slist->msgh_descriptor_count)
		return NULL;
	const mach_msg_descriptor_t *sd = (const mach_msg_descriptor_t *)(slist + 1) + i;
	if ((sd->type.type == MACH_MSG_OOL_DESCRIPTOR ||
	     sd->type.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) &&
	    sd->out_of_line.copy == MACH_MSG_OVERWRITE)
		return &sd->out_of_line;
	return NULL;
}

/*
 * Copy out the body: rights into space, memory into map (at the scatter
 * list's address when it asks for an overwrite).  Failures don't stop the
 * copyout: the descriptor gets a null value and the result collects
 * MACH_RCV_BODY_ERROR with MACH_MSG_IPC_SPACE / MACH_MSG_VM_SPACE bits.
 */
static mach_msg_return_t copyout_body(ipc_kmsg_t k, ipc_space_t space, vm_map_t map,
				      mach_msg_body_t *slist)
{
	mach_msg_size_t n;
	mach_msg_descriptor_t *d = kmsg_descs(k, &n);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	for (mach_msg_size_t i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR: {
			mach_port_name_t name;
			mr |= copyout_object(space, (ipc_object_t)d[i].port.name,
					     d[i].port.disposition, &name);
			d[i].port.name = (mach_port_t)(uintptr_t)name;
			break;
		}
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
			vm_map_copy_t copy = d[i].out_of_line.address;
			vaddr_t addr = 0;
			if (copy != NULL) {
				const mach_msg_ool_descriptor_t *ow = slist_overwrite(slist, i);
				kern_return_t kr;
				if (ow != NULL) {
					addr = (vaddr_t)ow->address;
					kr = ow->size >= d[i].out_of_line.size
						? vm_map_copy_overwrite(map, addr, copy)
						: KERN_NO_SPACE;
				} else {
					kr = vm_map_copyout(map, &addr, copy);
				}
				if (kr != KERN_SUCCESS) {
					vm_map_copy_discard(copy);
					addr = 0;
					mr |= MACH_MSG_VM_SPACE;
				}
			}
			d[i].out_of_line.address = (void *)addr;
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			mr |= copyout_ool_ports(space, map, &d[i].ool_ports);
			break;
		}
	}
	return mr ? (MACH_RCV_BODY_ERROR | mr) : MACH_MSG_SUCCESS;
}

/* ipc_kmsg_copyout: see ipc_kmsg.h. */
mach_msg_return_t ipc_kmsg_copyout(ipc_kmsg_t k, ipc_space_t space, vm_map_t map,
				   mach_msg_body_t *slist)
{
	mach_msg_return_t mr = copyout_header(k, space);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (k->ikm_header->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return copyout_body(k, space, map, slist);
	return MACH_MSG_SUCCESS;
}

/*
 * ipc_kmsg_copyout_pseudo: a message that could not be sent goes back to
 * its sender with its rights restored (not swapped: remote is still the
 * destination).  Rights that no longer fit are destroyed.
 */
mach_msg_return_t ipc_kmsg_copyout_pseudo(ipc_kmsg_t k, ipc_space_t space, vm_map_t map)
{
	mach_msg_header_t *h = k->ikm_header;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_port_name_t dname, rname;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	mr |= copyout_object(space, (ipc_object_t)h->msgh_remote_port, dtype, &dname);
	mr |= copyout_object(space, (ipc_object_t)h->msgh_local_port, rtype, &rname);
	h->msgh_bits &= ~MACH_MSGH_BITS_CIRCULAR;
	h->msgh_remote_port = (mach_port_t)(uintptr_t)dname;
	h->msgh_local_port = (mach_port_t)(uintptr_t)rname;
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_return_t bmr = copyout_body(k, space, map, NULL);
		if (bmr != MACH_MSG_SUCCESS)
			mr |= bmr & ~MACH_RCV_BODY_ERROR;
	}
	return mr;
}

/* ipc_kmsg_copyout_dest: see ipc_kmsg.h. */
void ipc_kmsg_copyout_dest(ipc_kmsg_t k, ipc_space_t space)
{
	mach_msg_header_t *h = k->ikm_header;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	ipc_object_destroy((ipc_object_t)h->msgh_local_port, MACH_MSGH_BITS_LOCAL(h->msgh_bits));
	mach_port_name_t dname = copyout_dest_right((ipc_port_t)h->msgh_remote_port, dtype, space);
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_size_t n;
		mach_msg_descriptor_t *d = kmsg_descs(k, &n);
		clean_body(d, n);
	}
	h->msgh_bits = MACH_MSGH_BITS(0, dtype);
	h->msgh_remote_port = (mach_port_t)(uintptr_t)MACH_PORT_NULL;
	h->msgh_local_port = (mach_port_t)(uintptr_t)dname;
	h->msgh_voucher_port = MACH_PORT_NULL;
}

/* ------------------------------------------------------------ send */

/*
 * ipc_kmsg_send: kernel objects are served at once (their reply is sent
 * back with send-always semantics); a circular message is destroyed and
 * counts as sent, as in XNU; anything else goes to the port's queue.
 * Returns as ipc_mqueue_send; on failure the kmsg is still the caller's.
 */
mach_msg_return_t ipc_kmsg_send(ipc_kmsg_t k, mach_msg_option_t option, mach_msg_timeout_t timeout)
{
	ipc_port_t port = (ipc_port_t)k->ikm_header->msgh_remote_port;
	TRACE(IPC, "send kmsg %p id %d size %u to port %u", (void *)k, k->ikm_header->msgh_id, k->ikm_header->msgh_size, port->ip_id);
	if (!ip_active(port))
		return MACH_SEND_INVALID_DEST;
	if (k->ikm_header->msgh_bits & MACH_MSGH_BITS_CIRCULAR) {
		ipc_kmsg_destroy(k);
		return MACH_MSG_SUCCESS;
	}
	if (port->ip_receiver == ipc_space_kernel) {
		ipc_kmsg_t reply = ipc_kobject_server(k);
		if (reply != IKM_NULL)
			ipc_kmsg_send_always(reply);
		return MACH_MSG_SUCCESS;
	}
	return ipc_mqueue_send(k, option, timeout);
}

/* ipc_kmsg_send_always: never blocks; a dead destination destroys it. */
void ipc_kmsg_send_always(ipc_kmsg_t k)
{
	ipc_port_t port = (ipc_port_t)k->ikm_header->msgh_remote_port;
	TRACE(IPC, "kernel send kmsg %p id %d size %u to port %u", (void *)k, k->ikm_header->msgh_id, k->ikm_header->msgh_size, IP_VALID(port) ? port->ip_id : 0);
	if (!IP_VALID(port) || !ip_active(port)) {
		ipc_kmsg_destroy(k);
		return;
	}
	if (port->ip_receiver == ipc_space_kernel) {
		ipc_kmsg_t reply = ipc_kobject_server(k);
		if (reply != IKM_NULL)
			ipc_kmsg_send_always(reply);
		return;
	}
	if (ipc_mqueue_send(k, MACH_SEND_ALWAYS_INTERNAL, 0) != MACH_MSG_SUCCESS)
		ipc_kmsg_destroy(k);
}

/* ipc_kmsg_print: one kmsg for the debugger. */
void ipc_kmsg_print(ipc_kmsg_t k)
{
	mach_msg_header_t *h = k->ikm_header;
	printf("kmsg %p size %u bits %#x remote %p local %p id %d%s\n", (void *)k,
	       h->msgh_size, h->msgh_bits, (void *)h->msgh_remote_port,
	       (void *)h->msgh_local_port, h->msgh_id,
	       k->ikm_cached ? " (cache-sized)" : "");
}
