/*
 * test_mig_real.c - the stubs of the real interfaces in include/mach.
 *
 * Routine ids are checked against XNU's through the fuzz tables.  A few
 * user stubs talk to responders that read and write raw bytes at the
 * offsets XNU's MIG uses on i386, so the layouts are checked against
 * numbers written here, not against the generator's own structs.  The
 * exc subsystem runs end to end: its user stubs against exc_server()
 * with catch_* functions defined below.
 */
#include <string.h>

#include "mach_port.h"
#include "task.h"
#include "thread_act.h"
#include "vm_map.h"
#include "mach_host.h"
#include "mk_stats.h"
#include "exc.h"
#include "excServer.h"
#include "test_mig_common.h"

static unsigned char *rq;	/* request as the responder got it */

static uint32_t
get32(const void *base, unsigned int off)
{
	uint32_t v;

	memcpy(&v, (const char *)base + off, 4);
	return v;
}

static void
put32(void *base, unsigned int off, uint32_t v)
{
	memcpy((char *)base + off, &v, 4);
}

/* Start a reply in XNU's layout: header only, the rest is up to caller. */
static void
reply_head(mach_msg_header_t *in, mach_msg_header_t *out,
    mach_msg_size_t size, boolean_t complex)
{
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits),
	    0) | (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	out->msgh_size = size;
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_voucher_port = 0;
	out->msgh_id = in->msgh_id + 100;
}

/* ---- ids ------------------------------------------------------------ */

struct want {
	const char	*name;
	mach_msg_id_t	id;
};

static int
ids_match(const struct mig_fuzz_routine *t, unsigned int n,
    unsigned int count, const struct want *w)
{
	unsigned int i;

	if (n != count)
		return 0;
	for (; w->name; w++) {
		for (i = 0; i < n; i++)
			if (strcmp(t[i].name, w->name) == 0)
				break;
		if (i == n || t[i].id != w->id)
			return 0;
	}
	return 1;
}

static void
test_ids(void)
{
	static const struct want mp[] = {
		{ "mach_port_names", 3200 }, { "mach_port_type", 3201 },
		{ "mach_port_rename", 3202 }, { "mach_port_allocate_name", 3203 },
		{ "mach_port_allocate", 3204 }, { "mach_port_destroy", 3205 },
		{ "mach_port_deallocate", 3206 }, { "mach_port_get_refs", 3207 },
		{ "mach_port_mod_refs", 3208 }, { "mach_port_set_mscount", 3210 },
		{ "mach_port_get_set_status", 3211 },
		{ "mach_port_move_member", 3212 },
		{ "mach_port_request_notification", 3213 },
		{ "mach_port_insert_right", 3214 },
		{ "mach_port_extract_right", 3215 },
		{ "mach_port_set_seqno", 3216 },
		{ "mach_port_get_attributes", 3217 },
		{ "mach_port_set_attributes", 3218 },
		{ "mach_port_insert_member", 3226 },
		{ "mach_port_extract_member", 3227 }, { 0, 0 } };
	static const struct want tk[] = {
		{ "task_create", 3400 }, { "task_terminate", 3401 },
		{ "task_threads", 3402 }, { "task_info", 3405 },
		{ "task_suspend", 3407 }, { "task_resume", 3408 },
		{ "task_get_special_port", 3409 },
		{ "task_set_special_port", 3410 }, { "thread_create", 3411 },
		{ "thread_create_running", 3412 },
		{ "task_set_exception_ports", 3413 },
		{ "task_get_exception_ports", 3414 },
		{ "task_swap_exception_ports", 3415 }, { 0, 0 } };
	static const struct want th[] = {
		{ "thread_terminate", 3600 }, { "act_get_state", 3601 },
		{ "act_set_state", 3602 }, { "thread_get_state", 3603 },
		{ "thread_set_state", 3604 }, { "thread_suspend", 3605 },
		{ "thread_resume", 3606 }, { "thread_abort", 3607 },
		{ "thread_info", 3612 },
		{ "thread_set_exception_ports", 3613 },
		{ "thread_get_exception_ports", 3614 },
		{ "thread_swap_exception_ports", 3615 }, { 0, 0 } };
	static const struct want vm[] = {
		{ "vm_region", 3800 }, { "vm_allocate", 3801 },
		{ "vm_deallocate", 3802 }, { "vm_protect", 3803 },
		{ "vm_inherit", 3804 }, { "vm_read", 3805 },
		{ "vm_write", 3807 }, { "vm_copy", 3808 },
		{ "vm_read_overwrite", 3809 }, { 0, 0 } };
	static const struct want ho[] = {
		{ "host_info", 200 }, { "host_statistics", 216 }, { 0, 0 } };
	static const struct want ex[] = {
		{ "exception_raise", 2401 }, { "exception_raise_state", 2402 },
		{ "exception_raise_state_identity", 2403 }, { 0, 0 } };
	static const struct want mk[] = {
		{ "mk_zone_info", 0x4d4b00 }, { "mk_ipc_counts", 0x4d4b01 },
		{ "mk_hotpath_counters", 0x4d4b02 }, { 0, 0 } };

	tap(ids_match(mach_port_fuzz_table, mach_port_fuzz_count, 20, mp),
	    "mach_port.defs: XNU ids 3200..3227");
	tap(ids_match(task_fuzz_table, task_fuzz_count, 13, tk),
	    "task.defs: XNU ids 3400..3415");
	tap(ids_match(thread_act_fuzz_table, thread_act_fuzz_count, 12, th),
	    "thread_act.defs: XNU ids 3600..3615");
	tap(ids_match(vm_map_fuzz_table, vm_map_fuzz_count, 9, vm),
	    "vm_map.defs: XNU ids 3800..3809");
	tap(ids_match(mach_host_fuzz_table, mach_host_fuzz_count, 2, ho) &&
	    ids_match(exc_fuzz_table, exc_fuzz_count, 3, ex) &&
	    ids_match(mk_stats_fuzz_table, mk_stats_fuzz_count, 3, mk),
	    "mach_host.defs 200/216, exc.defs 2401..2403, mk_stats.defs");
}

/* ---- layouts against XNU's offsets ---------------------------------- */

static boolean_t
responder(mach_msg_header_t *in, mach_msg_header_t *out)
{
	unsigned int i;

	memcpy(rq, in, in->msgh_size);
	switch (in->msgh_id) {
	case 3204:	/* mach_port_allocate: NDR, RetCode, name */
		reply_head(in, out, 40, FALSE);
		memcpy((char *)out + 24, &NDR_record, 8);
		put32(out, 32, KERN_SUCCESS);
		put32(out, 36, 0x4407);
		return TRUE;
	case 3405:	/* task_info: NDR, RetCode, Cnt, data */
		reply_head(in, out, 40 + 3 * 4, FALSE);
		memcpy((char *)out + 24, &NDR_record, 8);
		put32(out, 32, KERN_SUCCESS);
		put32(out, 36, 3);
		for (i = 0; i < 3; i++)
			put32(out, 40 + 4 * i, 100 + i);
		return TRUE;
	case 3414:	/* task_get_exception_ports: 32 port descriptors */
		reply_head(in, out, 424 + 3 * 2 * 4, TRUE);
		put32(out, 24, 32);
		for (i = 0; i < 32; i++) {
			put32(out, 28 + 12 * i, i < 2 ? 0x6007 + (i << 8) : 0);
			put32(out, 32 + 12 * i, 0);
			put32(out, 36 + 12 * i,
			    (uint32_t)MACH_MSG_TYPE_MOVE_SEND << 16);
		}
		memcpy((char *)out + 412, &NDR_record, 8);
		put32(out, 420, 2);		/* masksCnt */
		put32(out, 424, 0x2);		/* masks */
		put32(out, 428, 0x4);
		put32(out, 432, 1);		/* behaviors */
		put32(out, 436, 2);
		put32(out, 440, 7);		/* flavors */
		put32(out, 444, 8);
		return TRUE;
	default:	/* everything else: a bare error reply */
		reply_head(in, out, 36, FALSE);
		memcpy((char *)out + 24, &NDR_record, 8);
		put32(out, 32, KERN_INVALID_ARGUMENT);
		return TRUE;
	}
}

static void
test_layouts(void)
{
	unsigned char buf[4096];
	mach_port_name_t name = 0;
	integer_t info[52];
	mach_msg_type_number_t cnt = 52;
	exception_mask_t masks[32];
	exception_handler_t handlers[32];
	exception_behavior_t behaviors[32];
	thread_state_flavor_t flavors[32];
	mach_msg_type_number_t mcnt = 32;
	kern_return_t kr;

	rq = buf;
	fake_reset();
	fake.server = responder;
	kr = mach_port_allocate(0x103, 1, &name);
	tap(kr == KERN_SUCCESS && name == 0x4407 && fake.last_send_size == 36 &&
	    get32(rq, 20) == 3204 && get32(rq, 32) == 1 &&
	    memcmp(rq + 24, &NDR_record, 8) == 0,
	    "mach_port_allocate: 36-byte request, right at 32, name at 36");

	kr = mach_port_insert_right(0x103, 0x207, 0x207,
	    MACH_MSG_TYPE_MAKE_SEND);
	tap(kr == KERN_INVALID_ARGUMENT && fake.last_send_size == 52 &&
	    (get32(rq, 0) & MACH_MSGH_BITS_COMPLEX) && get32(rq, 24) == 1 &&
	    get32(rq, 28) == 0x207 &&
	    ((get32(rq, 36) >> 16) & 0xff) == MACH_MSG_TYPE_PORT_SEND &&
	    (get32(rq, 36) >> 24) == MACH_MSG_PORT_DESCRIPTOR &&
	    memcmp(rq + 40, &NDR_record, 8) == 0 && get32(rq, 48) == 0x207,
	    "mach_port_insert_right: descriptor at 28, NDR at 40, name at "
	    "48; error reply accepted");

	kr = task_info(0x303, 5, info, &cnt);
	tap(kr == KERN_SUCCESS && cnt == 3 && info[2] == 102 &&
	    fake.last_send_size == 40 && get32(rq, 32) == 5 &&
	    get32(rq, 36) == 52,
	    "task_info: flavor and CountInOut count in the request, "
	    "variable reply");

	kr = task_get_exception_ports(0x303, 0x6, masks, &mcnt, handlers,
	    behaviors, flavors);
	tap(kr == KERN_SUCCESS && mcnt == 2 && masks[1] == 0x4 &&
	    handlers[0] == 0x6007 && handlers[1] == 0x6107 &&
	    behaviors[1] == 2 && flavors[0] == 7 && flavors[1] == 8 &&
	    fake.last_send_size == 36 && get32(rq, 32) == 0x6,
	    "task_get_exception_ports: 32 port descriptors, then NDR and "
	    "SameCount arrays, no RetCode");
}

/* ---- exc end to end ------------------------------------------------- */

static struct {
	mach_port_t		port, thread, task;
	exception_type_t	exception;
	integer_t		code[2];
	mach_msg_type_number_t	codeCnt;
	int			flavor;
	natural_t		old_state[144];
	mach_msg_type_number_t	old_stateCnt;
} exc_seen;

kern_return_t
catch_exception_raise(mach_port_t exception_port, mach_port_t thread,
    mach_port_t task, exception_type_t exception, exception_data_t code,
    mach_msg_type_number_t codeCnt)
{
	exc_seen.port = exception_port;
	exc_seen.thread = thread;
	exc_seen.task = task;
	exc_seen.exception = exception;
	memcpy(exc_seen.code, code, codeCnt * sizeof(integer_t));
	exc_seen.codeCnt = codeCnt;
	return KERN_SUCCESS;
}

kern_return_t
catch_exception_raise_state(mach_port_t exception_port,
    exception_type_t exception, const exception_data_t code,
    mach_msg_type_number_t codeCnt, int *flavor,
    const thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
    thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	exc_seen.port = exception_port;
	exc_seen.exception = exception;
	exc_seen.codeCnt = codeCnt;
	memcpy(exc_seen.code, code, codeCnt * sizeof(integer_t));
	exc_seen.flavor = *flavor;
	exc_seen.old_stateCnt = old_stateCnt;
	memcpy(new_state, old_state, old_stateCnt * sizeof(natural_t));
	new_state[0] ^= 0xffff;
	*new_stateCnt = old_stateCnt;
	*flavor += 1;
	return KERN_SUCCESS;
}

kern_return_t
catch_exception_raise_state_identity(mach_port_t exception_port,
    mach_port_t thread, mach_port_t task, exception_type_t exception,
    exception_data_t code, mach_msg_type_number_t codeCnt, int *flavor,
    thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
    thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	exc_seen.thread = thread;
	exc_seen.task = task;
	return catch_exception_raise_state(exception_port, exception, code,
	    codeCnt, flavor, old_state, old_stateCnt, new_state,
	    new_stateCnt);
}

static void
test_exc(void)
{
	integer_t code[2] = { 13, 0x1234 };
	natural_t old[10], new[144];
	mach_msg_type_number_t newCnt = 144;
	int flavor = 1;
	kern_return_t kr;
	unsigned int i;

	for (i = 0; i < 10; i++)
		old[i] = 0x100 + i;
	fake_reset();
	fake.server = exc_server;
	memset(&exc_seen, 0, sizeof(exc_seen));
	kr = exception_raise(0x903, 0x913, 0x923, 1, code, 2);
	tap(kr == KERN_SUCCESS && exc_seen.port == 0x903 &&
	    exc_seen.thread == 0x913 && exc_seen.task == 0x923 &&
	    exc_seen.exception == 1 && exc_seen.codeCnt == 2 &&
	    exc_seen.code[1] == 0x1234 && fake.last_send_size == 76 &&
	    get32(fake.last_request, 20) == 2401,
	    "exc: exception_raise (2401, 76 bytes) reaches "
	    "catch_exception_raise");

	kr = exception_raise_state(0x903, 2, code, 2, &flavor, old, 10, new,
	    &newCnt);
	tap(kr == KERN_SUCCESS && exc_seen.flavor == 1 && flavor == 2 &&
	    exc_seen.old_stateCnt == 10 && newCnt == 10 &&
	    new[0] == (0x100 ^ 0xffff) && new[9] == 0x109 &&
	    fake.last_send_size == 24 + 8 + 4 + 4 + 8 + 4 + 4 + 40,
	    "exc: exception_raise_state, inout flavor and state arrays");

	flavor = 5;
	newCnt = 144;
	kr = exception_raise_state_identity(0x903, 0x913, 0x923, 3, code, 1,
	    &flavor, old, 3, new, &newCnt);
	tap(kr == KERN_SUCCESS && exc_seen.thread == 0x913 &&
	    exc_seen.codeCnt == 1 && flavor == 6 && newCnt == 3 &&
	    get32(fake.last_request, 20) == 2403,
	    "exc: exception_raise_state_identity (2403)");

	{
		mach_msg_header_t h[16];
		mig_reply_error_t r;

		memset(h, 0, sizeof(h));
		h[0].msgh_size = 24;
		h[0].msgh_id = 2400;
		tap(!exc_server(&h[0], &r.Head) && r.RetCode == MIG_BAD_ID &&
		    r.Head.msgh_id == 2500,
		    "exc: id 2400 is not exc's (base 2401): MIG_BAD_ID");
	}
}

/* Run the checks on the real interfaces (12 of them). */
void
run_real_defs_tests(void)
{
	test_ids();
	test_layouts();
	test_exc();
}
