/*
 * test_mig_server.c - the generated server side of test_mig.defs fed
 * hand-made requests: ids, the subsystem descriptor, the checks every
 * stub makes on a request, and the fuzz table.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "test_mig.h"
#include "test_migServer.h"
#include "test_mig_common.h"

#define REQ_PORT	0x1303u
#define REPLY_PORT	0x1403u

static union {
	mach_msg_header_t	head;
	char			buf[4096];
	long long		align;
} in, out;

/* A request header as a user server receives it (ports swapped). */
static void
head(mach_msg_id_t id, mach_msg_size_t size, boolean_t complex)
{
	memset(&in, 0, sizeof(in));
	memset(&out, 0xa5, sizeof(out));
	in.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
	    MACH_MSG_TYPE_PORT_SEND) | (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	in.head.msgh_size = size;
	in.head.msgh_remote_port = REPLY_PORT;
	in.head.msgh_local_port = REQ_PORT;
	in.head.msgh_id = id;
}

/* Serve `in'; return the reply's RetCode (or 0 if it has none). */
static kern_return_t
serve(boolean_t *known)
{
	boolean_t k = test_mig_server(&in.head, &out.head);

	if (known)
		*known = k;
	if (out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return KERN_SUCCESS;
	return ((mig_reply_error_t *)(void *)&out.head)->RetCode;
}

/* A well-formed test_scalars request. */
static void
scalars_request(void)
{
	__Request__test_scalars_t *r = (void *)&in.head;

	head(5000, sizeof(*r), FALSE);
	r->NDR = NDR_record;
	r->a = 1;
	r->b = 2;
	r->c = 3;
	r->acc = 4;
}

/* A well-formed test_ports request. */
static void
ports_request(void)
{
	__Request__test_ports_t *r = (void *)&in.head;

	head(5003, sizeof(*r), TRUE);
	r->msgh_body.msgh_descriptor_count = 3;
	r->p.name = 0x10;
	r->p.disposition = MACH_MSG_TYPE_PORT_SEND;
	r->p.type = MACH_MSG_PORT_DESCRIPTOR;
	r->poly.name = 0x11;
	r->poly.disposition = MACH_MSG_TYPE_PORT_SEND;
	r->poly.type = MACH_MSG_PORT_DESCRIPTOR;
	r->so.name = 0x12;
	r->so.disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	r->so.type = MACH_MSG_PORT_DESCRIPTOR;
}

/* A test_arrays request with 2 words, 1 byte; returns its size. */
static mach_msg_size_t
arrays_request(void)
{
	char *p = (char *)&in.head;
	mach_msg_size_t off = 24;
	int32_t v;
	mach_msg_type_number_t n;

	head(5002, 0, FALSE);
	memcpy(p + off, &NDR_record, 8);
	off += 8;
	n = 2;
	memcpy(p + off, &n, 4);
	off += 4;
	v = 11;
	memcpy(p + off, &v, 4);
	memcpy(p + off + 4, &v, 4);
	off += 8;
	n = 1;
	memcpy(p + off, &n, 4);
	off += 4;
	p[off] = 'q';
	off += 4;
	v = 5;
	memcpy(p + off, &v, 4);
	off += 4;
	n = 10;
	memcpy(p + off, &n, 4);
	off += 4;
	in.head.msgh_size = off;
	return off;
}

static void
test_descriptor(void)
{
	const struct srv_test_mig_subsystem *ss = &srv_test_mig_subsystem;
	const mig_subsystem_t gen = (mig_subsystem_t)(void *)&srv_test_mig_subsystem;
	int i, ok = 1;

	for (i = 0; i < 12; i++) {
		const struct routine_descriptor *rd = &ss->routine[i];

		if (i == 1)
			ok &= rd->stub_routine == 0 && rd->max_reply_msg == 0;
		else
			ok &= rd->stub_routine != 0 &&
			    rd->max_reply_msg >= sizeof(mig_reply_error_t) &&
			    rd->max_reply_msg <= ss->maxsize;
	}
	tap(ss->start == 5000 && ss->end == 5012 && ok &&
	    gen->start == 5000 && gen->routine[3].stub_routine ==
	    ss->routine[3].stub_routine &&
	    ss->routine[3].descr_count == 3 &&
	    ss->routine[3].max_reply_msg == sizeof(__Reply__test_ports_t),
	    "subsystem descriptor: ids 5000..5011, skip 5001 empty, reply "
	    "sizes");

	head(5001, 24, FALSE);
	ok = test_mig_server_routine(&in.head) == 0;
	in.head.msgh_id = 4999;
	ok &= test_mig_server_routine(&in.head) == 0;
	in.head.msgh_id = 5012;
	ok &= test_mig_server_routine(&in.head) == 0;
	in.head.msgh_id = INT_MIN;
	ok &= test_mig_server_routine(&in.head) == 0;
	in.head.msgh_id = 5009;
	ok &= test_mig_server_routine(&in.head) == ss->routine[9].stub_routine;
	tap(ok, "server_routine: stubs by id, 0 for skips and strangers");
}

static void
test_bad_ids(void)
{
	boolean_t known = TRUE;
	kern_return_t kr;
	mig_reply_error_t *e = (void *)&out.head;

	head(5001, 24, FALSE);
	kr = serve(&known);
	tap(!known && kr == MIG_BAD_ID && e->Head.msgh_id == 5101 &&
	    e->Head.msgh_size == sizeof(mig_reply_error_t) &&
	    e->Head.msgh_remote_port == REPLY_PORT &&
	    e->Head.msgh_local_port == MACH_PORT_NULL &&
	    e->Head.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
	    0) && memcmp(&e->NDR, &NDR_record, sizeof(NDR_record)) == 0,
	    "skipped id: FALSE, MIG_BAD_ID error reply to the reply port");

	head(6000, 24, FALSE);
	kr = serve(&known);
	tap(!known && kr == MIG_BAD_ID && e->Head.msgh_id == 6100,
	    "unknown id: MIG_BAD_ID");

	head(INT_MAX, 24, FALSE);
	kr = serve(&known);
	tap(!known && kr == MIG_BAD_ID, "largest id: MIG_BAD_ID, no overflow");
}

static void
test_bad_requests(void)
{
	boolean_t known = FALSE;
	kern_return_t kr;
	mach_msg_size_t size;
	__Request__test_ports_t *pr = (void *)&in.head;

	scalars_request();
	kr = serve(&known);
	tap(known && kr == KERN_SUCCESS &&
	    out.head.msgh_size == sizeof(__Reply__test_scalars_t) &&
	    out.head.msgh_id == 5100,
	    "well-formed request served, reply id + 100");

	scalars_request();
	in.head.msgh_size -= 4;
	kr = serve(&known);
	tap(known && kr == MIG_BAD_ARGUMENTS,
	    "request 4 bytes short: MIG_BAD_ARGUMENTS");

	scalars_request();
	in.head.msgh_size += 4;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "request 4 bytes long: MIG_BAD_ARGUMENTS");

	scalars_request();
	in.head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "complex bit on a simple request: MIG_BAD_ARGUMENTS");

	ports_request();
	tap(serve(NULL) == KERN_SUCCESS &&
	    (out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    out.head.msgh_size == sizeof(__Reply__test_ports_t),
	    "well-formed complex request served with a complex reply");

	ports_request();
	in.head.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "complex request without the complex bit: MIG_BAD_ARGUMENTS");

	ports_request();
	pr->msgh_body.msgh_descriptor_count = 2;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "wrong descriptor count: MIG_BAD_ARGUMENTS");

	ports_request();
	pr->p.disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	tap(serve(NULL) == MIG_TYPE_ERROR,
	    "right of the wrong kind: MIG_TYPE_ERROR");

	ports_request();
	pr->so.type = MACH_MSG_OOL_DESCRIPTOR;
	tap(serve(NULL) == MIG_TYPE_ERROR,
	    "descriptor of the wrong type: MIG_TYPE_ERROR");

	size = arrays_request();
	kr = serve(&known);
	tap(known && kr == KERN_SUCCESS &&
	    out.head.msgh_size == 24 + 8 + 4 + 4 + 7 * 4 + 4 + 12 + 4,
	    "hand-built variable request served, reply sized to its counts");

	arrays_request();
	*(mach_msg_type_number_t *)(void *)((char *)&in.head + 32) = 17;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "count over the array's maximum: MIG_BAD_ARGUMENTS");

	arrays_request();
	in.head.msgh_size = size + 4;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "size that disagrees with the counts: MIG_BAD_ARGUMENTS");

	arrays_request();
	in.head.msgh_size = 40;
	tap(serve(NULL) == MIG_BAD_ARGUMENTS,
	    "request cut inside its variable part: MIG_BAD_ARGUMENTS");

	{
		__Request__test_ool_t *o = (void *)&in.head;

		head(5004, sizeof(*o), TRUE);
		o->msgh_body.msgh_descriptor_count = 2;
		o->data.type = MACH_MSG_OOL_DESCRIPTOR;
		o->data.size = 12;
		o->ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		o->ports.disposition = MACH_MSG_TYPE_PORT_SEND;
		o->ports.count = 0;
		o->NDR = NDR_record;
		o->dataCnt = 4;
		o->portsCnt = 0;
		tap(serve(NULL) == MIG_TYPE_ERROR,
		    "OOL size that disagrees with its count: MIG_TYPE_ERROR");
	}
}

static const struct mig_fuzz_routine *
fuzz_find(mach_msg_id_t id)
{
	unsigned int i;

	for (i = 0; i < test_mig_fuzz_count; i++)
		if (test_mig_fuzz_table[i].id == id)
			return &test_mig_fuzz_table[i];
	return NULL;
}

static void
test_fuzz_table(void)
{
	const struct mig_fuzz_routine *f;
	unsigned int i;
	int ok = test_mig_fuzz_count == 11;

	for (i = 0; ok && i < test_mig_fuzz_count; i++)
		ok = test_mig_fuzz_table[i].id ==
		    (mach_msg_id_t)(i == 0 ? 5000 : 5001 + i);
	f = fuzz_find(5002);
	ok = ok && f != NULL && strcmp(f->name, "test_arrays") == 0 &&
	    f->field_count == 7 && f->fields[0].kind == MIG_FUZZ_NDR &&
	    f->fields[1].kind == MIG_FUZZ_COUNT &&
	    f->fields[2].kind == MIG_FUZZ_INLINE_ARRAY &&
	    f->fields[2].max_count == 16 && f->fields[2].size == 4 &&
	    f->fields[2].offset ==
	    __builtin_offsetof(__Request__test_arrays_t, words) &&
	    f->fields[4].kind == MIG_FUZZ_INLINE_ARRAY &&
	    f->fields[4].max_count == 10 && f->fields[4].size == 1 &&
	    f->fields[6].kind == MIG_FUZZ_COUNT &&
	    strcmp(f->fields[6].name, "obytesCnt") == 0 &&
	    f->max_size == sizeof(__Request__test_arrays_t) &&
	    f->min_size == 24 + 8 + 4 + 4 + 4 + 4 && f->flags == 0;
	tap(ok, "fuzz table: ids, fields of a variable request, size bounds");

	f = fuzz_find(5003);
	ok = f != NULL && f->flags == MIG_FUZZ_COMPLEX &&
	    f->descriptor_count == 3 && f->field_count == 3 &&
	    f->request_disposition == MACH_MSG_TYPE_COPY_SEND &&
	    f->fields[0].kind == MIG_FUZZ_PORT &&
	    f->fields[0].disposition == MACH_MSG_TYPE_MAKE_SEND &&
	    f->fields[1].disposition == 0 && f->fields[2].disposition == 0;
	f = fuzz_find(5005);
	ok = ok && f != NULL && f->flags == MIG_FUZZ_SIMPLEROUTINE;
	f = fuzz_find(5011);
	ok = ok && f != NULL && f->flags == MIG_FUZZ_SIMPLEROUTINE &&
	    f->field_count == 2;
	f = fuzz_find(5004);
	ok = ok && f != NULL && f->fields[0].kind == MIG_FUZZ_OOL &&
	    f->fields[0].size == 4 && f->fields[1].kind == MIG_FUZZ_OOL_PORTS;
	tap(ok, "fuzz table: port, OOL fields and routine flags");
}

/* Run the server-side checks (23 of them). */
void
run_server_tests(void)
{
	test_descriptor();
	test_bad_ids();
	test_bad_requests();
	test_fuzz_table();
}
