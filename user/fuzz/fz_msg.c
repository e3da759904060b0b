/*
 * The mach_msg fuzzer: random headers (every disposition in both places,
 * voucher and unknown bits), names of every kind, lying sizes and
 * descriptor counts, descriptors of every type with hostile addresses and
 * counts, scatter lists, every option combination with short timeouts;
 * and what the other fuzzers share for received messages: releasing their
 * memory and rights, noting the tasks task_create makes, draining a
 * reply port.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mach/syscall_sw.h>
#include <mach/task.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include "fz.h"

/* ------------------------------------------------------------ mach_msg */

/* A name for a message header or descriptor: deliverable ones often. */
static mach_port_t msg_name(struct fz_rng *r)
{
	switch (fz_below(r, 6)) {
	case 0:
		return fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
	case 1:
		return fz_pool_pick(r, MACH_PORT_TYPE_SEND_ONCE);
	case 2:
		return fz.victim_port;
	default:
		return fz_name_safe(r);
	}
}

/* A right of ours and a disposition that suits it (for well-formed messages). */
static void pick_right(struct fz_rng *r, int allow_receive, mach_port_t *name,
		       mach_msg_type_name_t *disp)
{
	switch (fz_below(r, allow_receive ? 5 : 4)) {
	case 0:
		*name = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE);
		*disp = fz_one_in(r, 2) ? MACH_MSG_TYPE_MAKE_SEND : MACH_MSG_TYPE_MAKE_SEND_ONCE;
		break;
	case 1:
		*name = fz_pool_pick(r, MACH_PORT_TYPE_SEND);
		*disp = fz_one_in(r, 3) ? MACH_MSG_TYPE_MOVE_SEND : MACH_MSG_TYPE_COPY_SEND;
		break;
	case 2:
		*name = fz_pool_pick(r, MACH_PORT_TYPE_SEND_ONCE);
		*disp = MACH_MSG_TYPE_MOVE_SEND_ONCE;
		break;
	case 3:
		*name = fz.victim_port;
		*disp = MACH_MSG_TYPE_COPY_SEND;
		break;
	default:	/* a receive right travels */
		*name = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE);
		*disp = MACH_MSG_TYPE_MOVE_RECEIVE;
	}
}

/*
 * A well-formed message (a third of mach_msg calls): rights of ours with
 * dispositions that suit them, port, memory and port-array descriptors,
 * an honest size; so that messages get delivered and rights, receive
 * rights included, move between spaces and queues.
 */
static uint32_t build_gentle(struct fz_thread *t, struct fz_rng *r)
{
	mach_msg_header_t *h = (mach_msg_header_t *)t->sbuf;
	mach_port_t dest, reply = MACH_PORT_NULL;
	mach_msg_type_name_t dd, rd = 0;
	memset(t->sbuf, 0, 512);
	pick_right(r, 0, &dest, &dd);
	if (fz_one_in(r, 2))
		pick_right(r, 0, &reply, &rd);
	unsigned ndesc = fz_below(r, 4);
	h->msgh_bits = MACH_MSGH_BITS(dd, rd) | (ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_id = FZ_MSG_PING;
	uint32_t size = sizeof(*h);
	if (ndesc) {
		mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
		body->msgh_descriptor_count = ndesc;
		for (unsigned i = 0; i < ndesc; i++) {
			switch (fz_below(r, 3)) {
			case 0: {
				mach_port_t n;
				mach_msg_type_name_t disp;
				pick_right(r, 1, &n, &disp);
				d[i].port.name = n;
				d[i].port.disposition = disp;
				d[i].port.type = MACH_MSG_PORT_DESCRIPTOR;
				break;
			}
			case 1:
				d[i].out_of_line.address = t->sbuf;
				d[i].out_of_line.size = 4 * fz_below(r, 1024);
				d[i].out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
				d[i].out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
				break;
			default: {
				uint32_t cnt = fz_below(r, 8);
				mach_msg_type_name_t disp = fz_one_in(r, 2) ? MACH_MSG_TYPE_COPY_SEND :
								  MACH_MSG_TYPE_MAKE_SEND;
				for (unsigned j = 0; j < cnt; j++)
					t->names[j] = fz_pool_pick(r, disp == MACH_MSG_TYPE_COPY_SEND ?
								   MACH_PORT_TYPE_SEND :
								   MACH_PORT_TYPE_RECEIVE);
				d[i].ool_ports.address = t->names;
				d[i].ool_ports.count = cnt;
				d[i].ool_ports.disposition = disp;
				d[i].ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
			}
			}
		}
		size = sizeof(*h) + sizeof(*body) + ndesc * sizeof(*d);
	}
	h->msgh_size = size;
	return size;
}

/* Build a random message in t->sbuf; returns its honest size. */
static uint32_t build_msg(struct fz_thread *t, struct fz_rng *r)
{
	t->gentle = fz_one_in(r, 3);
	if (t->gentle)
		return build_gentle(t, r);
	mach_msg_header_t *h = (mach_msg_header_t *)t->sbuf;
	memset(t->sbuf, 0, 512);
	mach_msg_type_name_t rd = fz_one_in(r, 3) ? MACH_MSG_TYPE_COPY_SEND : fz_disp(r);
	mach_msg_type_name_t ld = fz_one_in(r, 3) ? 0 : fz_disp(r);
	unsigned ndesc = fz_one_in(r, 2) ? 0 : fz_below(r, 7);
	h->msgh_bits = MACH_MSGH_BITS(rd, ld);
	if (ndesc || fz_one_in(r, 8))
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	if (fz_one_in(r, 16))
		h->msgh_bits |= fz_rand(r) & 0xffff0000u;	/* voucher, unknown bits */
	h->msgh_remote_port = msg_name(r);
	h->msgh_local_port = ld ? msg_name(r) : (fz_one_in(r, 8) ? fz_name_safe(r) : 0);
	h->msgh_voucher_port = fz_one_in(r, 16) ? fz_name(r) : 0;
	h->msgh_id = fz_one_in(r, 4) ? fz_int(r) : FZ_MSG_PING;
	uint32_t size = sizeof(*h);
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
		body->msgh_descriptor_count = fz_one_in(r, 8) ? fz_int(r) : ndesc;
		for (unsigned i = 0; i < ndesc; i++) {
			uint32_t type = fz_below(r, 5);
			if (type == 4)
				type = fz_below(r, 256);
			switch (type) {
			case MACH_MSG_PORT_DESCRIPTOR:
				d[i].port.name = msg_name(r);
				d[i].port.disposition = fz_disp(r);
				d[i].port.type = MACH_MSG_PORT_DESCRIPTOR;
				break;
			case MACH_MSG_OOL_DESCRIPTOR:
			case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
				uint32_t sz = fz_one_in(r, 2) ? fz_below(r, 3 * 4096) : fz_size(r);
				uint32_t p = fz_one_in(r, 3) ? (uint32_t)t->sbuf + 4 * fz_below(r, 256) :
					     fz_ptr_src(r, sz);
				d[i].out_of_line.address = (void *)p;
				d[i].out_of_line.size = sz;
				d[i].out_of_line.deallocate = fz_one_in(r, 8) && !fz_overlaps_own(p, sz);
				d[i].out_of_line.copy = fz_one_in(r, 8) ? fz_below(r, 256) : fz_below(r, 3);
				d[i].out_of_line.type = type;
				break;
			}
			case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
				uint32_t cnt = fz_one_in(r, 6) ? fz_int(r) : fz_below(r, 65);
				for (unsigned j = 0; j < 64; j++)
					t->names[j] = msg_name(r);
				uint32_t p = fz_one_in(r, 4) ? fz_ptr_src(r, cnt * 4) : (uint32_t)t->names;
				d[i].ool_ports.address = (void *)p;
				d[i].ool_ports.count = cnt;
				d[i].ool_ports.deallocate = fz_one_in(r, 8) && !fz_overlaps_own(p, cnt * 4);
				d[i].ool_ports.copy = fz_below(r, 3);
				d[i].ool_ports.disposition = fz_disp(r);
				d[i].ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
				break;
			}
			default: {
				uint32_t *w = (uint32_t *)&d[i];
				w[0] = fz_int(r);
				w[1] = fz_int(r);
				w[2] = (w[2] & 0x00ffffffu) | (type << 24);
			}
			}
		}
		size = sizeof(*h) + sizeof(*body) + ndesc * sizeof(*d);
	}
	/* some inline data after the descriptors */
	uint32_t words = fz_below(r, 8);
	for (uint32_t i = 0; i < words; i++)
		t->sbuf[size / 4 + i] = fz_int(r);
	size += 4 * words;
	h->msgh_size = fz_one_in(r, 8) ? fz_int(r) : size;
	return size;
}

/* A scatter list for MACH_RCV_OVERWRITE, after a header in rbuf. */
static void build_scatter(struct fz_thread *t, struct fz_rng *r)
{
	mach_msg_body_t *body = (mach_msg_body_t *)((mach_msg_header_t *)t->rbuf + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	unsigned n = fz_below(r, 5);
	body->msgh_descriptor_count = fz_one_in(r, 8) ? fz_int(r) : n;
	for (unsigned i = 0; i < n; i++) {
		uint32_t sz = fz_one_in(r, 2) ? fz_below(r, 8192) : fz_size(r);
		d[i].out_of_line.address = (void *)fz_ptr(r, sz);
		d[i].out_of_line.size = sz;
		d[i].out_of_line.copy = fz_one_in(r, 2) ? MACH_MSG_OVERWRITE : fz_below(r, 4);
		d[i].out_of_line.type = fz_one_in(r, 6) ? fz_below(r, 8) : MACH_MSG_OOL_DESCRIPTOR;
	}
}

/* Release one received right. */
static void drop_right(mach_port_t name, mach_msg_type_name_t type)
{
	if (!MACH_PORT_VALID(name))
		return;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		(void)mach_port_mod_refs(fz.self, name, MACH_PORT_RIGHT_RECEIVE, -1);
	else if (type == MACH_MSG_TYPE_PORT_SEND || type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		(void)mach_port_deallocate(fz.self, name);
}

/*
 * Is [a, a + sz) memory the kernel may have given us (not the worker's
 * own)?  If not, the message (header and descriptor i) is described.
 */
static int kernel_gave(const mach_msg_header_t *h, uint32_t i, uint32_t a, uint32_t sz)
{
	if (!fz_overlaps_own(a, sz))
		return 1;
	const mach_msg_descriptor_t *d =
		(const mach_msg_descriptor_t *)((const mach_msg_body_t *)(h + 1) + 1) + i;
	printf("# FUZZ-FAIL worker %u: a received message points at %#x (+%#x), "
	       "the worker's own memory (id %d bits %#x size %u, descriptor %u of %u: type %u "
	       "copy %u deallocate %u)\n", fz.worker, a, sz, h->msgh_id, h->msgh_bits,
	       h->msgh_size, i, ((const mach_msg_body_t *)(h + 1))->msgh_descriptor_count,
	       d->type.type, d->out_of_line.copy, d->out_of_line.deallocate);
	fz_failures++;
	return 0;
}

/* fz_release: see fz.h. */
void fz_release(mach_msg_header_t *h, unsigned bufsize, int drop_rights)
{
	if (h->msgh_size > bufsize)
		return;
	if (drop_rights)
		drop_right(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || h->msgh_size < sizeof(mach_msg_base_t))
		return;
	mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	uint32_t n = body->msgh_descriptor_count;
	if (n > (h->msgh_size - sizeof(mach_msg_base_t)) / sizeof(*d))
		return;
	for (uint32_t i = 0; i < n; i++) {
		switch (d[i].type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (drop_rights)
				drop_right(d[i].port.name, d[i].port.disposition);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
			uint32_t a = (uint32_t)d[i].out_of_line.address, sz = d[i].out_of_line.size;
			if (a && sz && kernel_gave(h, i, a, sz))
				(void)vm_deallocate(fz.self, a, sz);
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			uint32_t a = (uint32_t)d[i].ool_ports.address, cnt = d[i].ool_ports.count;
			if (a == 0 || cnt == 0 || cnt > 0x10000 || !kernel_gave(h, i, a, cnt * 4))
				break;
			if (drop_rights)
				for (uint32_t j = 0; j < cnt; j++)
					drop_right(((mach_port_t *)a)[j], d[i].ool_ports.disposition);
			(void)vm_deallocate(fz.self, a, cnt * 4);
			break;
		}
		}
	}
}

/* fz_note_reply: see fz.h. */
void fz_note_reply(mach_msg_header_t *h, unsigned bufsize)
{
	if (h->msgh_id != 3400 + 100 || !(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    h->msgh_size > bufsize || h->msgh_size < sizeof(mach_msg_base_t) +
	    sizeof(mach_msg_port_descriptor_t))
		return;
	mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)((mach_msg_base_t *)h + 1);
	if (((mach_msg_body_t *)(h + 1))->msgh_descriptor_count < 1 ||
	    d->type != MACH_MSG_PORT_DESCRIPTOR || !MACH_PORT_VALID(d->name))
		return;
	/* the coordinator ends it at the end of the round, whatever happens here */
	mach_port_t port[1] = { d->name };
	mach_msg_type_name_t disp[1] = { MACH_MSG_TYPE_COPY_SEND };
	if (fz_send(fz.report_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, FZ_MSG_CREATED,
		    port, disp, 1, NULL, 0) != MACH_MSG_SUCCESS) {
		(void)task_terminate(d->name);
		return;
	}
	/* and it is a fuzz target meanwhile */
	unsigned n = __atomic_fetch_add(&fz.ncreated, 1, __ATOMIC_SEQ_CST);
	if (n < sizeof(fz.created) / sizeof(fz.created[0]))
		fz.created[n] = d->name;
}

/* fz_drain: see fz.h. */
void fz_drain(mach_port_t port, uint32_t *buf, unsigned size)
{
	for (int i = 0; i < 16; i++) {
		mach_msg_header_t *h = (mach_msg_header_t *)buf;
		if (mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, size, port, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
			return;
		fz_note_reply(h, size);
		fz_release(h, size, 1);
	}
}

/* fz_msg_call: see fz.h. */
void fz_msg_call(struct fz_thread *t, struct fz_rng *r)
{
	uint32_t a[9];
	uint32_t honest = build_msg(t, r);
	if (t->gentle) {
		/* send it, and take whatever is on one of our receive rights */
		uint32_t a[9] = { (uint32_t)t->sbuf, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
				  honest, sizeof(t->rbuf),
				  fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET),
				  fz_one_in(r, 8), 0, (uint32_t)t->rbuf, sizeof(t->rbuf) };
		if (fz_one_in(r, 2))
			a[1] |= MACH_RCV_MSG;
		t->what = FZ_K_MSG;
		t->trapno = MACH_TRAP_MACH_MSG_OVERWRITE;
		mach_msg_header_t *h = (mach_msg_header_t *)t->sbuf;
		FZ_DESC(t, "mach_msg_overwrite (well formed): opt %#x rcv %#x; bits %#x remote %#x "
			"local %#x", a[1], a[4], h->msgh_bits, (unsigned)h->msgh_remote_port,
			(unsigned)h->msgh_local_port);
		uint32_t mr = fz_enter(r, MACH_TRAP_MACH_MSG_OVERWRITE, a);
		t->result = mr;
		if (mr == MACH_MSG_SUCCESS && (a[1] & MACH_RCV_MSG))
			fz_release((mach_msg_header_t *)t->rbuf, sizeof(t->rbuf), fz_one_in(r, 2));
		return;
	}
	uint32_t option = 0;
	switch (fz_below(r, 4)) {
	case 0:
		option = MACH_SEND_MSG;
		break;
	case 1:
		option = MACH_RCV_MSG;
		break;
	default:
		option = MACH_SEND_MSG | MACH_RCV_MSG;
	}
	if (fz_one_in(r, 4))
		option |= fz_rand(r) & (MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY | MACH_SEND_INTERRUPT |
					 MACH_SEND_NOTIFY | MACH_RCV_INTERRUPT | MACH_RCV_VOUCHER |
					 MACH_SEND_TRAILER | MACH_RCV_TRAILER_MASK);
	if (fz_one_in(r, 6))
		option |= MACH_RCV_TRAILER_TYPE(fz_below(r, 2));
	if (fz_one_in(r, 16))
		option = fz_rand(r);
	/* never block for long: every wait has a short timeout */
	option |= MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;
	/*
	 * A failed send is copied back over the sender's buffer, msgh_size
	 * bytes: from sbuf only sizes that fit it (or that the kernel must
	 * refuse before reading: above its 1 MiB inline limit).
	 */
	uint32_t send_size = fz_one_in(r, 4) ? fz_size(r) : honest;
	if (send_size > sizeof(t->sbuf) && send_size <= 0x100000u)
		send_size = honest;
	uint32_t msg = (uint32_t)t->sbuf;
	if (fz_one_in(r, 6))
		msg = fz_bad_ptr(r, send_size);	/* never readable whole: nothing is parsed */
	uint32_t rcv_size = sizeof(t->rbuf) - 4 * fz_below(r, 16);
	uint32_t rcv = (uint32_t)t->rbuf;
	memset(t->rbuf, 0, 64);
	if (option & MACH_RCV_OVERWRITE || fz_one_in(r, 8)) {
		/* the scatter list is read from the receive buffer: crafted, in rbuf */
		option |= MACH_RCV_OVERWRITE;
		build_scatter(t, r);
	} else if (fz_one_in(r, 4)) {
		rcv_size = fz_one_in(r, 2) ? fz_size(r) : fz_below(r, 64);
		rcv = fz_ptr(r, rcv_size);
	}
	mach_port_t rcv_name = fz_one_in(r, 2) ? fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE |
							     MACH_PORT_TYPE_PORT_SET) : fz_name_safe(r);
	a[0] = msg;
	a[1] = option;
	a[2] = send_size;
	a[3] = rcv_size;
	a[4] = rcv_name;
	a[5] = fz_one_in(r, 4) ? fz_below(r, 3) : 0;
	a[6] = fz_one_in(r, 8) ? fz_name(r) : 0;
	a[7] = rcv;
	a[8] = fz_one_in(r, 2) ? rcv_size : fz_size(r);
	/* where the receive lands when it is not rcv (mach_msg_trap) */
	uint32_t n = MACH_TRAP_MACH_MSG_OVERWRITE;
	if (fz_one_in(r, 3) && !(option & MACH_RCV_OVERWRITE)) {
		/* mach_msg_trap: the receive lands in the send buffer */
		n = MACH_TRAP_MACH_MSG;
		if (rcv_size > sizeof(t->sbuf))
			a[3] = rcv_size = sizeof(t->sbuf);
		rcv = msg;
	}
	t->what = FZ_K_MSG;
	t->trapno = n;
	mach_msg_header_t *h = (mach_msg_header_t *)t->sbuf;
	FZ_DESC(t, "mach_msg%s(%#x, opt %#x, send %u, rcv %u, name %#x, to %u; bits %#x remote %#x "
	     "local %#x id %d)", n == MACH_TRAP_MACH_MSG ? "" : "_overwrite", a[0], a[1], a[2],
	     a[3], a[4], a[5], h->msgh_bits, (unsigned)h->msgh_remote_port,
	     (unsigned)h->msgh_local_port, h->msgh_id);
	uint32_t mr = fz_enter(r, n, a);
	t->result = mr;
	if (mr == MACH_MSG_SUCCESS && (option & MACH_RCV_MSG) &&
	    (rcv == (uint32_t)t->rbuf || rcv == (uint32_t)t->sbuf))
		fz_release((mach_msg_header_t *)rcv, rcv == (uint32_t)t->rbuf ?
			   sizeof(t->rbuf) : sizeof(t->sbuf), fz_one_in(r, 2));
}

