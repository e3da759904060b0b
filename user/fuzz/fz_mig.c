/*
 * The RPC fuzzer: requests for every routine of every subsystem, built
 * from the fuzz tables tools/mig generates from the .defs files
 * (<mach/mig.h>: struct mig_fuzz_routine), so a routine added to a .defs
 * file is fuzzed without anyone listing it.
 *
 * Each request follows the routine's layout with hostile contents: port
 * descriptors with any name and (for polymorphic ones) any disposition,
 * out-of-line memory at hostile addresses and sizes, counts that lie,
 * random NDR records now and then, scalars from boundary values, names
 * and flavors; now and then the descriptor count, the message size or
 * the id lies too.  The target (the request's destination) depends on
 * the subsystem: the worker's own task only for mach_port (a name space
 * may be wrecked: the worker's protected names are kept out of every
 * scalar), the victim's task or threads for task, thread and vm, the
 * host for host routines; and sometimes any name at all.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/syscall_sw.h>
#include <mk/mach_vm.h>
#include "fz.h"

#define SUBSYS_MACH_PORT	3200
#define SUBSYS_TASK		3400
#define SUBSYS_THREAD		3600
#define SUBSYS_VM		3800
#define SUBSYS_HOST		200

/*
 * A mutation with probability 1/n, never in a gentle call: half of the
 * calls keep to well-formed requests (real ids, sizes, dispositions and
 * honest counts) so that they get past the checks to the routines' work;
 * the other half lie.
 */
static int mutate(const struct fz_thread *t, struct fz_rng *r, uint32_t n)
{
	return !t->gentle && fz_one_in(r, n);
}

/* Does the field name contain s? */
static int named(const struct mig_fuzz_field *f, const char *s)
{
	return f->name && strstr(f->name, s) != NULL;
}

/* A victim-side address: its text, stack, heap, or anything. */
static uint32_t victim_addr(struct fz_rng *r)
{
	switch (fz_below(r, 6)) {
	case 0:
		return 0x08048000u + 4096 * fz_below(r, 16);
	case 1:
		return 0xc0000000u - 4096 * (1 + fz_below(r, 16));
	case 2:
		return 0x1000u * (1 + fz_below(r, 64));
	case 3:
		return 0xc0000000u - fz_below(r, 8);
	default:
		return fz_int(r);
	}
}

/* A value for a 4-byte scalar, guessed from the field's name. */
static uint32_t scalar(const struct fz_thread *t, struct fz_rng *r, const struct mig_fuzz_field *f,
		       int self_space)
{
	if (mutate(t, r, 5))
		return fz_int(r);
	if (named(f, "name") || named(f, "member") || named(f, "after") || named(f, "pset") ||
	    named(f, "port")) {
		if (self_space)
			return fz_name_safe(r);
		if (fz.nvictim_names && fz_one_in(r, 2))
			return fz.victim_names[fz_below(r, fz.nvictim_names)];
		return fz_name(r);
	}
	if (named(f, "addr") || named(f, "dest"))
		return victim_addr(r);
	if (named(f, "size") || named(f, "count"))
		return fz_size(r);
	if (named(f, "right"))
		return fz_below(r, 7);
	if (named(f, "flavor"))
		return fz_one_in(r, 2) ? fz_below(r, 20) : fz_int(r);
	if (named(f, "which"))
		return fz_below(r, 12);
	if (named(f, "mask"))
		return fz_one_in(r, 2) ? fz_rand(r) & 0x3ffe : fz_rand(r);
	if (named(f, "behavior"))
		return (fz_below(r, 5)) | (fz_one_in(r, 2) ? 0x80000000u : 0);
	if (named(f, "prot"))
		return fz_below(r, 8);
	if (named(f, "inherit"))
		return fz_below(r, 5);
	if (named(f, "msgid"))
		return 0100 + fz_below(r, 12);
	if (named(f, "sync") || named(f, "delta"))
		return fz_below(r, 5) - 2;
	if (named(f, "anywhere") || named(f, "flags"))
		return fz_below(r, 3);
	return fz_int(r);
}

/* The destination for a routine of subsystem base `base`. */
static mach_port_t target_for(const struct fz_thread *t, struct fz_rng *r, mach_msg_id_t id,
			      int *self_space)
{
	mach_msg_id_t base = id - id % 100;
	*self_space = 0;
	if (mutate(t, r, 12))
		return fz_name_safe(r);
	switch (base) {
	case SUBSYS_MACH_PORT:
		if (fz_one_in(r, 2)) {
			*self_space = 1;
			return fz.self;
		}
		return fz.victim_task;
	case SUBSYS_TASK:
	case SUBSYS_VM:
		if (fz.ncreated && fz_one_in(r, 4))
			return fz.created[fz_below(r, fz.ncreated < 16 ? fz.ncreated : 16)];
		return fz.victim_task;
	case SUBSYS_THREAD:
		return fz.victim_thread[fz_below(r, FZ_VICTIM_THREADS)];
	case SUBSYS_HOST:
		return fz.host;
	default:
		/* a subsystem this file does not know: the host, or any name */
		return fz_one_in(r, 2) ? fz.host : fz_name_safe(r);
	}
}

/* Fill one field of the request at buf. */
static void fill_field(struct fz_thread *t, struct fz_rng *r, uint8_t *buf,
		       const struct mig_fuzz_field *f, int self_space, uint32_t *next_count)
{
	uint8_t *p = buf + f->offset;
	switch (f->kind) {
	case MIG_FUZZ_PORT: {
		mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)p;
		d->name = fz_one_in(r, 4) ? fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE |
							MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
					  : fz_name_safe(r);
		d->disposition = f->disposition && !mutate(t, r, 6) ? f->disposition : fz_disp(r);
		d->type = mutate(t, r, 16) ? fz_below(r, 8) : MACH_MSG_PORT_DESCRIPTOR;
		break;
	}
	case MIG_FUZZ_PORT_ARRAY:
		for (unsigned i = 0; i < f->max_count && i < 16; i++) {
			mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)p + i;
			d->name = fz_name_safe(r);
			d->disposition = f->disposition ? f->disposition : fz_disp(r);
			d->type = MACH_MSG_PORT_DESCRIPTOR;
		}
		break;
	case MIG_FUZZ_OOL: {
		mach_msg_ool_descriptor_t *d = (mach_msg_ool_descriptor_t *)p;
		uint32_t sz = fz_one_in(r, 2) || t->gentle ? fz_below(r, 3 * 4096) : fz_size(r);
		uint32_t a = fz_one_in(r, 3) || t->gentle ? (uint32_t)t->sbuf : fz_ptr_src(r, sz);
		d->address = (void *)a;
		d->size = sz;
		d->deallocate = fz_one_in(r, 8) && !fz_overlaps_own(a, sz);
		d->copy = mutate(t, r, 8) ? fz_below(r, 256) : fz_below(r, 3);
		d->type = mutate(t, r, 16) ? fz_below(r, 8) : MACH_MSG_OOL_DESCRIPTOR;
		*next_count = f->size ? sz / f->size : sz;
		break;
	}
	case MIG_FUZZ_OOL_PORTS: {
		mach_msg_ool_ports_descriptor_t *d = (mach_msg_ool_ports_descriptor_t *)p;
		uint32_t cnt = mutate(t, r, 6) ? fz_int(r) : fz_below(r, 17);
		for (unsigned j = 0; j < 64; j++)
			t->names[j] = fz_name_safe(r);
		uint32_t a = mutate(t, r, 4) ? fz_ptr_src(r, cnt * 4) : (uint32_t)t->names;
		d->address = (void *)a;
		d->count = cnt;
		d->deallocate = fz_one_in(r, 8) && !fz_overlaps_own(a, cnt * 4);
		d->copy = fz_below(r, 3);
		d->disposition = f->disposition && !mutate(t, r, 6) ? f->disposition : fz_disp(r);
		d->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		*next_count = cnt;
		break;
	}
	case MIG_FUZZ_NDR:
		memcpy(p, &NDR_record, sizeof(NDR_record_t) < f->size ? sizeof(NDR_record_t) : f->size);
		if (mutate(t, r, 16))
			p[fz_below(r, f->size)] = (uint8_t)fz_rand(r);
		break;
	case MIG_FUZZ_SCALAR:
		if (f->size == 4) {
			uint32_t v = scalar(t, r, f, self_space);
			memcpy(p, &v, 4);
		} else {
			for (unsigned i = 0; i < f->size; i++)
				p[i] = (uint8_t)fz_rand(r);
		}
		break;
	case MIG_FUZZ_COUNT: {
		uint32_t v;
		if (*next_count != 0xffffffffu && (t->gentle || !fz_one_in(r, 4)))
			v = *next_count;	/* the OOL region's true count */
		else if (f->max_count && (t->gentle || !fz_one_in(r, 4)))
			v = fz_below(r, f->max_count + 1);
		else
			v = fz_one_in(r, 2) ? f->max_count + 1 + fz_below(r, 4) : fz_int(r);
		memcpy(p, &v, 4);
		*next_count = 0xffffffffu;
		break;
	}
	case MIG_FUZZ_INLINE_ARRAY: {
		unsigned n = f->max_count ? f->max_count : 16;
		unsigned bytes = n * f->size;
		for (unsigned i = 0; i + 4 <= bytes; i += 4) {
			uint32_t v = fz_int(r);
			memcpy(p + i, &v, 4);
		}
		break;
	}
	default:
		break;
	}
}

/* Keep the worker's protected names out of every scalar word. */
static void sanitize(uint8_t *buf, uint32_t from, uint32_t to, struct fz_rng *r)
{
	for (uint32_t off = from; off + 4 <= to; off += 4) {
		mach_port_t v;
		memcpy(&v, buf + off, 4);
		if (v != MACH_PORT_NULL && fz_is_protected(v)) {
			v = fz_name_safe(r);
			memcpy(buf + off, &v, 4);
		}
	}
}

/* The routine with request id `id` in any subsystem, or NULL. */
static const struct mig_fuzz_routine *routine_by_id(mach_msg_id_t id)
{
	for (unsigned i = 0; i < fz_nsubsystems; i++)
		for (unsigned j = 0; j < *fz_subsystems[i].count; j++)
			if (fz_subsystems[i].table[j].id == id)
				return &fz_subsystems[i].table[j];
	return NULL;
}

/* The scalar field called `name` of a routine, or NULL. */
static const struct mig_fuzz_field *field_named(const struct mig_fuzz_routine *rt,
						 const char *name)
{
	for (unsigned i = 0; i < rt->field_count; i++)
		if (rt->fields[i].name && strcmp(rt->fields[i].name, name) == 0)
			return &rt->fields[i];
	return NULL;
}

/*
 * vm_read_overwrite writes `size` bytes at `data` in the CALLER's map,
 * whatever the target: a request that (with the id it finally carries)
 * would have the kernel write over the worker's own memory, its thread
 * stacks say, gets a data address in the arena instead.  The kernel does
 * what it is asked there; the worker must not ask it to wreck itself.
 */
static void keep_writes_off_own(uint8_t *buf, uint32_t max)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)buf;
	const struct mig_fuzz_routine *rt = routine_by_id(h->msgh_id);
	if (rt == NULL || strcmp(rt->name, "vm_read_overwrite") != 0)
		return;
	const struct mig_fuzz_field *data = field_named(rt, "data");
	const struct mig_fuzz_field *size = field_named(rt, "size");
	if (data == NULL || size == NULL || data->offset + 4 > max || size->offset + 4 > max)
		return;
	uint32_t d, n;
	memcpy(&d, buf + data->offset, 4);
	memcpy(&n, buf + size->offset, 4);
	if (fz_overlaps_own(d, n ? n : 1)) {
		d = fz.arena;
		memcpy(buf + data->offset, &d, 4);
	}
}

/* fz_rpc: see fz.h. */
void fz_rpc(struct fz_thread *t, struct fz_rng *r)
{
	if (fz_nsubsystems == 0)
		return;
	const struct fz_subsystem *s = &fz_subsystems[fz_below(r, fz_nsubsystems)];
	if (*s->count == 0)
		return;
	const struct mig_fuzz_routine *rt = &s->table[fz_below(r, *s->count)];
	uint8_t *buf = (uint8_t *)t->sbuf;
	uint32_t max = rt->max_size;
	if (max > sizeof(t->sbuf) || max < sizeof(mach_msg_header_t))
		return;
	memset(buf, 0, max);
	int self_space;
	t->gentle = fz_one_in(r, 2);
	mach_port_t target = target_for(t, r, rt->id, &self_space);

	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	mach_msg_type_name_t rd = mutate(t, r, 10) ? fz_disp(r) : rt->request_disposition;
	h->msgh_bits = MACH_MSGH_BITS(rd, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	if ((rt->flags & MIG_FUZZ_COMPLEX) || mutate(t, r, 16))
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	if (mutate(t, r, 24))
		h->msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
	h->msgh_remote_port = target;
	h->msgh_local_port = t->reply;
	h->msgh_id = mutate(t, r, 16) ? rt->id + (int)fz_below(r, 5) - 2 : rt->id;
	if (rt->flags & MIG_FUZZ_COMPLEX) {
		mach_msg_body_t *body = (mach_msg_body_t *)(h + 1);
		body->msgh_descriptor_count = mutate(t, r, 10) ? fz_int(r) : rt->descriptor_count;
	}
	uint32_t next_count = 0xffffffffu;
	for (unsigned i = 0; i < rt->field_count; i++) {
		const struct mig_fuzz_field *f = &rt->fields[i];
		if (f->offset >= max || f->offset + f->size > max)
			continue;
		fill_field(t, r, buf, f, self_space, &next_count);
	}
	if (self_space) {
		/* the words after the descriptors: no protected name anywhere */
		uint32_t from = sizeof(*h);
		if (rt->flags & MIG_FUZZ_COMPLEX)
			from += sizeof(mach_msg_body_t) +
				rt->descriptor_count * sizeof(mach_msg_port_descriptor_t);
		sanitize(buf, from, max, r);
	}
	keep_writes_off_own(buf, max);

	uint32_t size = max;
	switch (t->gentle ? 11 : fz_below(r, 12)) {
	case 0:
		size = rt->min_size;
		break;
	case 1:
		size = max - 4 * fz_below(r, max / 4 + 1);
		break;
	case 2:
		size = max + 4 * (1 + fz_below(r, 4));
		break;
	case 3:
		size = max | 1;
		break;
	default:
		break;
	}
	if (size > sizeof(t->sbuf) && size <= 0x100000u)
		size = max;
	h->msgh_size = size;

	uint32_t a[9];
	a[0] = (uint32_t)buf;
	if (mutate(t, r, 12))
		a[0] = fz_bad_ptr(r, size);
	a[1] = MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;
	if (fz_one_in(r, 10))
		a[1] |= MACH_RCV_LARGE;
	a[2] = size;
	a[3] = sizeof(t->rbuf);
	a[4] = t->reply;
	a[5] = 0;		/* the kernel answers during the send */
	a[6] = 0;
	a[7] = (uint32_t)t->rbuf;
	a[8] = sizeof(t->rbuf);
	t->what = FZ_K_RPC;
	t->trapno = rt->id;
	if (t->verbose) {
		snprintf(t->desc, sizeof(t->desc), "rpc %s.%s (id %d) to %#x size %u of %u%s",
			 s->name, rt->name, h->msgh_id, (unsigned)target, size, max,
			 a[0] != (uint32_t)buf ? " from a bad buffer" : "");
		printf("# fz w%u t%u #%u %s\n", fz.worker, t->index, t->call, t->desc);
	}
	uint32_t mr = fz_enter(r, MACH_TRAP_MACH_MSG_OVERWRITE, a);
	/* succeeded: sent, answered, and the answer says so (or carries rights) */
	mig_reply_error_t *rp = (mig_reply_error_t *)t->rbuf;
	t->result = mr;
	if (mr == MACH_MSG_SUCCESS && rp->Head.msgh_id == h->msgh_id + 100 &&
	    !(rp->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		t->result = (uint32_t)rp->RetCode;
	/* the reply's memory goes; its rights join the pool half of the time */
	if (mr == MACH_MSG_SUCCESS) {
		fz_note_reply((mach_msg_header_t *)t->rbuf, sizeof(t->rbuf));
		fz_release((mach_msg_header_t *)t->rbuf, sizeof(t->rbuf), fz_one_in(r, 2));
	}
	fz_drain(t->reply, t->rbuf, sizeof(t->rbuf));
}
