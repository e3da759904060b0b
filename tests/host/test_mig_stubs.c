/*
 * test_mig_stubs.c - round trips through the generated user stubs and
 * server stubs of test_mig.defs, and the user stubs' handling of failed
 * calls and bad replies.  The srv_* functions are the server side.
 */
#include <stdio.h>
#include <string.h>

#include "test_mig.h"
#include "test_migServer.h"
#include "test_mig_common.h"

#define TARGET		0x1203u
#define PORT_P		0x2303u
#define PORT_POLY	0x2403u
#define PORT_SO		0x2503u
#define PORT_Q		0x3303u
#define PORT_R		0x3403u
#define PORT_S		0x3503u

/* What the server implementations saw. */
static struct {
	mach_port_t		target;
	int32_t			a;
	char			b;
	uint64_t		c;
	int32_t			words[16];
	mach_msg_type_number_t	wordsCnt;
	char			bytes[10];
	mach_msg_type_number_t	bytesCnt;
	int32_t			tail;
	mach_msg_type_number_t	obytes_room;
	mach_port_t		thing_port;
	mach_port_t		p, poly, so;
	mach_msg_type_name_t	polyPoly;
	int			thing_made, thing_released, thing_sent;
	kern_return_t		ports_result;
	int32_t			*ool;
	mach_msg_type_number_t	oolCnt;
	mach_port_t		*ports;
	mach_msg_type_number_t	portsCnt;
	int32_t			v;
	mach_port_seqno_t	seq;
	mach_port_t		reply;
	mach_msg_type_name_t	replyPoly;
	int			calls;
} seen;

static struct test_thing the_thing;
static int32_t *server_ool;
static mach_port_t *server_ports;

/* ---- translations of test_thing_t ----------------------------------- */

test_thing_t
test_port_to_thing(mach_port_t port)
{
	seen.thing_made++;
	the_thing.port = port;
	the_thing.refs++;
	return &the_thing;
}

mach_port_t
test_thing_to_port(test_thing_t thing)
{
	seen.thing_sent++;
	return thing->port + 0x100;
}

void
test_thing_release(test_thing_t thing)
{
	seen.thing_released++;
	thing->refs--;
}

/* ---- server implementations ----------------------------------------- */

kern_return_t
srv_test_scalars(mach_port_t target, int32_t a, char b, uint64_t c,
    int32_t *sum, int32_t *acc, uint64_t *big)
{
	seen.calls++;
	seen.target = target;
	seen.a = a;
	seen.b = b;
	seen.c = c;
	if (a == -1)
		return KERN_FAILURE;
	*sum = a + b;
	*acc += a;
	*big = c * 3 + 1;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_arrays(mach_port_t target, test_words_t words,
    mach_msg_type_number_t wordsCnt, test_bytes_t bytes,
    mach_msg_type_number_t bytesCnt, int32_t tail, test_words_t owords,
    mach_msg_type_number_t *owordsCnt, test_bytes_t obytes,
    mach_msg_type_number_t *obytesCnt, int32_t *otail)
{
	mach_msg_type_number_t i;

	seen.calls++;
	seen.target = target;
	memcpy(seen.words, words, wordsCnt * sizeof(int32_t));
	seen.wordsCnt = wordsCnt;
	memcpy(seen.bytes, bytes, bytesCnt);
	seen.bytesCnt = bytesCnt;
	seen.tail = tail;
	seen.obytes_room = *obytesCnt;
	if (*owordsCnt < 7)
		return KERN_NO_SPACE;
	for (i = 0; i < 7; i++)
		owords[i] = 1000 + (int32_t)i;
	*owordsCnt = 7;
	for (i = 0; i < *obytesCnt; i++)
		obytes[i] = (char)('a' + i);
	*otail = tail * 2;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_ports(test_thing_t target, mach_port_t p, mach_port_t poly,
    mach_msg_type_name_t polyPoly, mach_port_t so, test_thing_t *q,
    mach_port_t *r, mach_msg_type_name_t *rPoly, mach_port_t *s)
{
	seen.calls++;
	seen.thing_port = target->port;
	seen.p = p;
	seen.poly = poly;
	seen.polyPoly = polyPoly;
	seen.so = so;
	if (seen.ports_result != KERN_SUCCESS)
		return seen.ports_result;
	the_thing.port = PORT_Q;
	*q = &the_thing;
	*r = PORT_R;
	*rPoly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	*s = PORT_S;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_ool(mach_port_t target, test_ool_ptr_t data,
    mach_msg_type_number_t dataCnt, mach_port_array_t ports,
    mach_msg_type_number_t portsCnt, test_ool_ptr_t *odata,
    mach_msg_type_number_t *odataCnt, mach_port_array_t *oports,
    mach_msg_type_number_t *oportsCnt)
{
	seen.calls++;
	seen.target = target;
	seen.ool = data;
	seen.oolCnt = dataCnt;
	seen.ports = ports;
	seen.portsCnt = portsCnt;
	*odata = server_ool;
	*odataCnt = 300;
	*oports = server_ports;
	*oportsCnt = 2;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_simple(mach_port_t target, int32_t v)
{
	seen.calls++;
	seen.target = target;
	seen.v = v;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_struct(mach_port_t target, test_pair_t pair, test_pair_t *pair2,
    test_pair_t *pair3)
{
	seen.calls++;
	seen.target = target;
	pair3->first = pair.first + pair2->first;
	pair3->second = pair.second + pair2->second;
	pair2->first = -pair2->first;
	pair2->second = -pair2->second;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_handlers(mach_port_t target, int32_t mask, test_masks_t masks,
    mach_msg_type_number_t *masksCnt, test_handlers_t handlers,
    test_masks_t flavors)
{
	mach_msg_type_number_t i;

	seen.calls++;
	seen.target = target;
	if (*masksCnt < 3)
		return KERN_NO_SPACE;
	for (i = 0; i < 3; i++) {
		masks[i] = mask << i;
		handlers[i] = 0x4003u + (i << 8);
		flavors[i] = 7 + (int32_t)i;
	}
	*masksCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_seqno(mach_port_t target, mach_port_seqno_t seq, natural_t *oseq)
{
	seen.calls++;
	seen.target = target;
	seen.seq = seq;
	*oseq = seq;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_empty(mach_port_t target)
{
	seen.calls++;
	seen.target = target;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_sreply(mach_port_t target, mach_port_t reply, mach_port_name_t *got)
{
	seen.calls++;
	seen.target = target;
	*got = reply;
	return KERN_SUCCESS;
}

kern_return_t
srv_test_async(mach_port_t target, mach_port_t reply,
    mach_msg_type_name_t replyPoly, int32_t v)
{
	seen.calls++;
	seen.target = target;
	seen.reply = reply;
	seen.replyPoly = replyPoly;
	seen.v = v;
	return KERN_SUCCESS;
}

/* ---- reply spoilers ------------------------------------------------- */

static void
spoil_id(mach_msg_header_t *r)
{
	r->msgh_id++;
}

static void
spoil_send_once(mach_msg_header_t *r)
{
	r->msgh_id = MACH_NOTIFY_SEND_ONCE;
}

static void
spoil_complex(mach_msg_header_t *r)
{
	r->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
}

static void
spoil_short(mach_msg_header_t *r)
{
	r->msgh_size -= 4;
}

static void
spoil_disposition(mach_msg_header_t *r)
{
	((__Reply__test_ports_t *)(void *)r)->q.disposition =
	    MACH_MSG_TYPE_MOVE_SEND_ONCE;
}

static void
spoil_count(mach_msg_header_t *r)
{
	((__Reply__test_arrays_t *)(void *)r)->owordsCnt = 17;
}

static void
spoil_ool_size(mach_msg_header_t *r)
{
	((__Reply__test_ool_t *)(void *)r)->odata.size += 4;
}

/* ---- tests ---------------------------------------------------------- */

static void
test_scalars_ok(void)
{
	int32_t sum = 0, acc = 100;
	uint64_t big = 0;
	const uint64_t c = 0x100000005ull;
	const mach_msg_header_t *h = (const void *)fake.last_request;
	kern_return_t kr;

	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_scalars(TARGET, 40, 2, c, &sum, &acc, &big);
	tap(kr == KERN_SUCCESS && sum == 42 && acc == 140 && big == c * 3 + 1,
	    "scalars: outs and inout round-trip (kr %d)", kr);
	tap(h->msgh_id == 5000 && fake.last_send_size == 52 &&
	    h->msgh_size == 52 &&
	    h->msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE) &&
	    h->msgh_remote_port == TARGET &&
	    h->msgh_local_port == FAKE_REPLY_PORT &&
	    fake.last_rcv_name == FAKE_REPLY_PORT &&
	    fake.last_option == (MACH_SEND_MSG | MACH_RCV_MSG) &&
	    fake.get_reply == 1,
	    "scalars: request header, size 52, receive on the reply port");
	tap(seen.a == 40 && seen.b == 2 && seen.c == c &&
	    seen.target == TARGET,
	    "scalars: server got every argument and the request port");
	kr = test_scalars(TARGET, -1, 2, c, &sum, &acc, &big);
	tap(kr == KERN_FAILURE && fake.destroyed == 0,
	    "scalars: an error reply returns the server's code");
}

static void
test_arrays_ok(void)
{
	int32_t words[5] = { 5, -4, 3, -2, 1 };
	char bytes[3] = { 'x', 'y', 'z' };
	int32_t owords[16];
	char obytes[10];
	mach_msg_type_number_t owordsCnt = 16, obytesCnt = 10;
	int32_t otail = 0;
	kern_return_t kr;
	int good;

	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_arrays(TARGET, words, 5, bytes, 3, 77, owords, &owordsCnt,
	    obytes, &obytesCnt, &otail);
	good = kr == KERN_SUCCESS && seen.wordsCnt == 5 &&
	    memcmp(seen.words, words, sizeof(words)) == 0 &&
	    seen.bytesCnt == 3 && memcmp(seen.bytes, bytes, 3) == 0 &&
	    seen.tail == 77 && owordsCnt == 7 && owords[0] == 1000 &&
	    owords[6] == 1006 && obytesCnt == 10 && obytes[0] == 'a' &&
	    obytes[9] == 'j' && otail == 154;
	tap(good, "arrays: variable arrays and the fields after them "
	    "round-trip (kr %d)", kr);
	tap(fake.last_send_size == 24 + 8 + 4 + 5 * 4 + 4 + 4 + 4 + 4,
	    "arrays: request shortened to the counts used (%u bytes)",
	    fake.last_send_size);

	obytesCnt = 2;
	owordsCnt = 16;
	kr = test_arrays(TARGET, words, 5, bytes, 3, 77, owords, &owordsCnt,
	    obytes, &obytesCnt, &otail);
	tap(kr == KERN_SUCCESS && seen.obytes_room == 2 && obytesCnt == 2,
	    "arrays: CountInOut sends the caller's room to the server");

	memset(owords, 0, sizeof(owords));
	owordsCnt = 3;
	obytesCnt = 10;
	kr = test_arrays(TARGET, words, 5, bytes, 3, 77, owords, &owordsCnt,
	    obytes, &obytesCnt, &otail);
	tap(kr == MIG_ARRAY_TOO_LARGE && owordsCnt == 7 &&
	    owords[2] == 1002 && owords[3] == 0,
	    "arrays: out array larger than the caller's room gives "
	    "MIG_ARRAY_TOO_LARGE and a partial copy");

	fake_reset();
	owordsCnt = 16;
	kr = test_arrays(TARGET, words, 17, bytes, 3, 77, owords, &owordsCnt,
	    obytes, &obytesCnt, &otail);
	tap(kr == MIG_ARRAY_TOO_LARGE && fake.calls == 0,
	    "arrays: in array over its maximum is refused before sending");
}

static void
test_ports_ok(void)
{
	mach_port_t q = 0, r = 0, s = 0;
	mach_msg_type_name_t rPoly = 0;
	kern_return_t kr;
	const __Request__test_ports_t *rq =
	    (const void *)fake.last_request;

	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_ports(TARGET, PORT_P, PORT_POLY, MACH_MSG_TYPE_COPY_SEND,
	    PORT_SO, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &r, &rPoly, &s);
	tap(kr == KERN_SUCCESS && seen.thing_port == TARGET &&
	    seen.p == PORT_P && seen.poly == PORT_POLY &&
	    seen.polyPoly == MACH_MSG_TYPE_PORT_SEND && seen.so == PORT_SO &&
	    rq->p.disposition == MACH_MSG_TYPE_MAKE_SEND &&
	    rq->so.disposition == MACH_MSG_TYPE_MAKE_SEND_ONCE &&
	    rq->msgh_body.msgh_descriptor_count == 3,
	    "ports: intran of the request port, fixed and polymorphic rights "
	    "in (kr %d)", kr);
	tap(seen.thing_made == 1 && seen.thing_released == 1 &&
	    seen.thing_sent == 1 && q == PORT_Q + 0x100 && r == PORT_R &&
	    rPoly == MACH_MSG_TYPE_PORT_SEND_ONCE && s == PORT_S,
	    "ports: destructor once, outtran on the result, rights out");

	seen.ports_result = KERN_INVALID_RIGHT;
	seen.thing_released = 0;
	kr = test_ports(TARGET, PORT_P, PORT_POLY, MACH_MSG_TYPE_COPY_SEND,
	    PORT_SO, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &r, &rPoly, &s);
	tap(kr == KERN_INVALID_RIGHT && seen.thing_released == 1 &&
	    fake.destroyed == 0,
	    "ports: a complex routine's error reply returns the code");
}

static void
test_ool_ok(void)
{
	int32_t *data = low_alloc(1000 * sizeof(int32_t));
	mach_port_t *ports = low_alloc(4096);
	test_ool_ptr_t odata = 0;
	mach_port_array_t oports = 0;
	mach_msg_type_number_t odataCnt = 0, oportsCnt = 0;
	const __Request__test_ool_t *rq = (const void *)fake.last_request;
	kern_return_t kr;
	int i;

	server_ool = low_alloc(300 * sizeof(int32_t));
	server_ports = low_alloc(4096);
	for (i = 0; i < 1000; i++)
		data[i] = i * 7;
	ports[0] = 0x5003;
	ports[1] = 0x5103;
	ports[2] = 0x5203;
	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_ool(TARGET, data, 1000, ports, 3, &odata, &odataCnt,
	    &oports, &oportsCnt);
	tap(kr == KERN_SUCCESS && seen.ool == data && seen.oolCnt == 1000 &&
	    seen.ool[999] == 999 * 7 && seen.ports == ports &&
	    seen.portsCnt == 3 && odata == server_ool && odataCnt == 300 &&
	    oports == server_ports && oportsCnt == 2,
	    "ool: memory and port arrays out of line, both ways (kr %d)", kr);
	tap(rq->data.type == MACH_MSG_OOL_DESCRIPTOR &&
	    rq->data.size == 4000 && rq->data.copy == MACH_MSG_VIRTUAL_COPY &&
	    rq->data.deallocate == FALSE &&
	    rq->ports.type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
	    rq->ports.count == 3 &&
	    rq->ports.disposition == MACH_MSG_TYPE_COPY_SEND &&
	    rq->dataCnt == 1000 && rq->portsCnt == 3 &&
	    fake.last_send_size == 24 + 4 + 12 + 12 + 8 + 4 + 4,
	    "ool: descriptors and counts as XNU lays them out");

	fake_reset();
	fake.spoil = spoil_ool_size;
	kr = test_ool(TARGET, data, 1000, ports, 3, &odata, &odataCnt,
	    &oports, &oportsCnt);
	tap(kr == MIG_TYPE_ERROR && fake.destroyed == 1,
	    "ool: reply whose OOL size disagrees with its count is refused");
}

static void
test_simple_ok(void)
{
	const mach_msg_header_t *h = (const void *)fake.last_request;
	kern_return_t kr;

	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_simple(TARGET, 9);
	tap(kr == MACH_MSG_SUCCESS && seen.v == 9 && seen.target == TARGET &&
	    fake.last_option == MACH_SEND_MSG && fake.get_reply == 0 &&
	    h->msgh_local_port == MACH_PORT_NULL && h->msgh_id == 5005 &&
	    h->msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
	    "simpleroutine: send only, no reply port");
}

static void
test_struct_ok(void)
{
	test_pair_t pair = { 1, 2 }, pair2 = { 10, 20 }, pair3 = { 0, 0 };
	kern_return_t kr;

	fake_reset();
	kr = test_struct(TARGET, pair, &pair2, &pair3);
	tap(kr == KERN_SUCCESS && pair3.first == 11 && pair3.second == 22 &&
	    pair2.first == -10 && pair2.second == -20,
	    "struct: in, inout and out structs round-trip");
}

static void
test_handlers_ok(void)
{
	int32_t masks[4] = { 0 }, flavors[4] = { 0 };
	mach_port_t handlers[4] = { 0 };
	mach_msg_type_number_t masksCnt = 4;
	kern_return_t kr;

	fake_reset();
	kr = test_handlers(TARGET, 6, masks, &masksCnt, handlers, flavors);
	tap(kr == KERN_SUCCESS && masksCnt == 3 && masks[2] == 24 &&
	    handlers[0] == 0x4003 && handlers[2] == 0x4203 &&
	    flavors[0] == 7 && flavors[2] == 9 && handlers[3] == 0,
	    "SameCount: inline port array and arrays sharing one count");
}

static void
test_seqno_ok(void)
{
	natural_t oseq = 0;
	kern_return_t kr;

	fake_reset();
	fake.seqno = 42;
	kr = test_seqno(TARGET, &oseq);
	tap(kr == KERN_SUCCESS && oseq == 42,
	    "msgseqno: server reads the trailer's sequence number");
}

static void
test_empty_ok(void)
{
	kern_return_t kr;

	fake_reset();
	kr = test_empty(TARGET);
	tap(kr == KERN_SUCCESS && fake.last_send_size == 24,
	    "header-only request: no NDR record when nothing follows");
}

static void
test_reply_ports(void)
{
	const mach_msg_header_t *h = (const void *)fake.last_request;
	mach_port_name_t got = 0;
	kern_return_t kr;

	fake_reset();
	kr = test_sreply(TARGET, &got);
	tap(kr == KERN_SUCCESS && got == FAKE_REPLY_PORT,
	    "sreplyport: the server gets the request's reply port");

	fake_reset();
	memset(&seen, 0, sizeof(seen));
	kr = test_async(TARGET, 0x8807, MACH_MSG_TYPE_MAKE_SEND_ONCE, 5);
	tap(kr == MACH_MSG_SUCCESS && seen.reply == 0x8807 &&
	    seen.replyPoly == MACH_MSG_TYPE_PORT_SEND_ONCE && seen.v == 5 &&
	    fake.get_reply == 0 && h->msgh_local_port == 0x8807 &&
	    h->msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE) && fake.last_option == MACH_SEND_MSG,
	    "replyport: caller's reply port and disposition reach the server");
}

static void
test_bad_replies(void)
{
	int32_t sum, acc = 0;
	uint64_t big;
	mach_port_t q, r, s;
	mach_msg_type_name_t rPoly;
	int32_t words[1] = { 1 }, owords[16];
	char obytes[10];
	mach_msg_type_number_t owordsCnt = 16, obytesCnt = 10;
	int32_t otail;
	kern_return_t kr;

	fake_reset();
	fake.spoil = spoil_id;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MIG_REPLY_MISMATCH && fake.destroyed == 1,
	    "reply with the wrong id: MIG_REPLY_MISMATCH, reply destroyed");

	fake_reset();
	fake.spoil = spoil_send_once;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MIG_SERVER_DIED && fake.destroyed == 1,
	    "send-once notification instead of a reply: MIG_SERVER_DIED");

	fake_reset();
	fake.spoil = spoil_complex;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MIG_TYPE_ERROR && fake.destroyed == 1,
	    "complex bit on a simple reply: MIG_TYPE_ERROR");

	fake_reset();
	fake.spoil = spoil_short;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MIG_TYPE_ERROR && fake.destroyed == 1,
	    "reply 4 bytes short: MIG_TYPE_ERROR");

	fake_reset();
	fake.spoil = spoil_disposition;
	kr = test_ports(TARGET, PORT_P, PORT_POLY, MACH_MSG_TYPE_COPY_SEND,
	    PORT_SO, MACH_MSG_TYPE_MAKE_SEND_ONCE, &q, &r, &rPoly, &s);
	tap(kr == MIG_TYPE_ERROR && fake.destroyed == 1,
	    "reply right of the wrong kind: MIG_TYPE_ERROR");

	fake_reset();
	fake.spoil = spoil_count;
	kr = test_arrays(TARGET, words, 1, obytes, 1, 1, owords, &owordsCnt,
	    obytes, &obytesCnt, &otail);
	tap(kr == MIG_TYPE_ERROR && fake.destroyed == 1,
	    "reply count over the array's maximum: MIG_TYPE_ERROR");

	fake_reset();
	fake.send_error = MACH_SEND_INVALID_DEST;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MACH_SEND_INVALID_DEST && fake.put_reply == 1 &&
	    fake.dealloc_reply == 0,
	    "send failure: error returned, reply port put back");

	fake_reset();
	fake.rcv_error = MACH_RCV_PORT_DIED;
	kr = test_scalars(TARGET, 1, 1, 1, &sum, &acc, &big);
	tap(kr == MACH_RCV_PORT_DIED && fake.dealloc_reply == 1 &&
	    fake.put_reply == 0,
	    "receive failure: error returned, reply port destroyed");
}

/* Run the round-trip checks (30 of them). */
void
run_stub_tests(void)
{
	test_scalars_ok();
	test_arrays_ok();
	test_ports_ok();
	test_ool_ok();
	test_simple_ok();
	test_struct_ok();
	test_handlers_ok();
	test_seqno_ok();
	test_empty_ok();
	test_reply_ports();
	test_bad_replies();
}
