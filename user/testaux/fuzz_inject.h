/*
 * fuzz_inject.h - the fault-injection sweep shared by user/tests/inject_*.c
 * (issue 10, item 3).  Header-only: each test is one program.
 *
 * inject_sweep(op) runs op once per allocator and per n = 1, 2, ...: with
 * mk_fault_inject the nth allocation from that allocator (kalloc, the
 * page allocator, or one zone) fails, op runs, and the sweep checks that
 *   - op's result is one the interface documents for it (op says so);
 *   - once the kernel has settled, the kernel's object counts (ports,
 *     sets, kmsgs, spaces, tasks, threads, zone elements) are back where
 *     they were before op, and the IPC invariant auditor is clean;
 * and goes on to n + 1 until op no longer reaches the nth allocation.  Each
 * allocator is one TAP point; the first bad n is reported with its
 * result.  op must undo its own effects (receive what it sent, destroy
 * what it made) whatever happened.
 */
#ifndef _TESTAUX_FUZZ_INJECT_H_
#define _TESTAUX_FUZZ_INJECT_H_

#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define INJECT_MAX_N		400	/* allocations an op may make */
#define INJECT_ZONE_SLACK	4	/* the kmsg cache may fill up once */

/* The operation under test: returns its result; *okp: 1 if documented. */
typedef kern_return_t (*inject_op_t)(int *okp);

/*
 * Optional steps around each armed op, run with no failure armed: prepare
 * (before the counts are taken: start a peer, say) and finish (after the
 * failure is disarmed: wait for the peer's end).  finish returns 1 if the
 * op's after-effects were as documented.
 */
static void (*inject_prepare)(void);
static int (*inject_finish)(void);

/*
 * With inject_empty_cache set, the kernel's small-kmsg cache is emptied
 * before each armed op (small messages are parked on a port of ours) and
 * refilled after it, so that the op's small messages come from kalloc and
 * their allocation failures are swept too.
 */
static int inject_empty_cache;
static mach_port_t inject_park;

static inline void inject_park_messages(void)
{
	if (!inject_empty_cache)
		return;
	if (inject_park == MACH_PORT_NULL) {
		mach_port_limits_t lim = { 16 };
		(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &inject_park);
		(void)mach_port_set_attributes(mach_task_self(), inject_park, MACH_PORT_LIMITS_INFO,
					       (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	}
	for (int i = 0; i < 8; i++) {
		mach_msg_header_t h;
		memset(&h, 0, sizeof(h));
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		h.msgh_size = sizeof(h);
		h.msgh_remote_port = inject_park;
		(void)mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL, 0,
			       MACH_PORT_NULL);
	}
}

static inline void inject_unpark_messages(void)
{
	union {
		mach_msg_header_t h;
		uint8_t b[128];
	} u;
	if (!inject_empty_cache)
		return;
	if (inject_park == MACH_PORT_NULL) {
		mach_port_limits_t lim = { 16 };
		(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &inject_park);
		(void)mach_port_set_attributes(mach_task_self(), inject_park, MACH_PORT_LIMITS_INFO,
					       (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	}
	while (mach_msg(&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), inject_park, 0,
			MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		;
}

/* Counts once the reaper has finished: the same five times in a row. */
static inline void inject_settled(struct mk_audit_counts *c)
{
	struct mk_audit_counts prev;
	(void)mig_get_reply_port();
	memset(&prev, 0, sizeof(prev));
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &prev, sizeof(prev));
	for (int same = 0, i = 0; same < 5 && i < 200; i++) {
		(void)swtch();
		memset(c, 0, sizeof(*c));
		(void)mk_audit(MK_AUDIT_COUNTS, 0, c, sizeof(*c));
		same = memcmp(c, &prev, sizeof(*c)) == 0 ? same + 1 : 0;
		prev = *c;
	}
	*c = prev;
}

/* What differs between two settled counts; NULL if nothing does. */
static inline const char *inject_leak(const struct mk_audit_counts *a,
				      const struct mk_audit_counts *b)
{
	if (a->ports != b->ports)
		return "ports";
	if (a->psets != b->psets)
		return "port sets";
	if (a->kmsgs != b->kmsgs)
		return "kmsgs";
	if (a->spaces != b->spaces)
		return "spaces";
	if (a->tasks != b->tasks)
		return "tasks";
	if (a->threads != b->threads)
		return "threads";
	if (b->zone_elems > a->zone_elems + INJECT_ZONE_SLACK ||
	    a->zone_elems > b->zone_elems + INJECT_ZONE_SLACK)
		return "zone elements";
	return NULL;
}

/*
 * Sweep one allocator (kind, zone) over op.  Returns 1 if every n passed.
 * *fired counts the n for which the injected failure happened.
 */
static inline int inject_one(const char *what, inject_op_t op, unsigned kind, const char *zone,
			     unsigned *fired)
{
	struct mk_audit_counts before, after;
	char first_bad[160] = "";
	unsigned failures = 0, shown = 0;
	*fired = 0;
	if (inject_empty_cache)
		inject_unpark_messages();	/* makes the parking port, before any count */
	for (unsigned n = 1; n <= INJECT_MAX_N; n++) {
		int ok = 0;
		inject_settled(&before);
		if (inject_prepare)
			inject_prepare();
		inject_park_messages();
		(void)mk_fault_inject(kind, n, zone);
		kern_return_t r = op(&ok);
		int pending = mk_fault_inject(kind, 0, zone);
		(void)mk_fault_inject(MK_FI_OFF, 0, NULL);
		inject_unpark_messages();
		if (inject_finish && !inject_finish())
			ok = 0;
		inject_settled(&after);
		const char *leak = inject_leak(&before, &after);
		int audit = mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0);
		int hit = pending == 0;
		if (!ok || leak || audit != 0) {
			failures++;
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad),
					 "n=%u%s: result %#x%s%s%s%s", n, hit ? " (fired)" : "",
					 (unsigned)r, ok ? "" : " (not a documented result)",
					 leak ? ", leaked " : "", leak ? leak : "",
					 audit ? ", IPC audit failed" : "");
		}
		if (hit && shown < 3 && r != KERN_SUCCESS) {
			tap_diag("%s, %s%s: failure %u gives %#x", what, zone ? "zone " : "",
				 zone ? zone : (kind == MK_FI_KALLOC ? "kalloc" : "pages"), n, (unsigned)r);
			shown++;
		}
		if (!hit)
			break;
		(*fired)++;
	}
	tap_ok(failures == 0, "%s, %s%s: %u injected failure(s), each a documented error, no leak%s%s",
	       what, zone ? "zone " : "", zone ? zone : (kind == MK_FI_KALLOC ? "kalloc" : "pages"),
	       *fired, first_bad[0] ? "; first bad: " : "", first_bad);
	return failures == 0;
}

/*
 * Sweep kalloc, pages and every zone over op; zones op never allocates
 * from are skipped silently (one run, nothing fired).
 */
static inline void inject_sweep(const char *what, inject_op_t op)
{
	struct mk_audit_zone zones[48];
	int nz = mk_audit(MK_AUDIT_ZONES, 0, zones, sizeof(zones));
	unsigned fired, total = 0;
	inject_one(what, op, MK_FI_KALLOC, NULL, &fired);
	total += fired;
	inject_one(what, op, MK_FI_PAGE, NULL, &fired);
	total += fired;
	for (int i = 0; i < nz && i < 48; i++) {
		if (strncmp(zones[i].name, "kalloc.", 7) == 0)
			continue;	/* kalloc's own zones: covered by kalloc */
		/* a zone op never uses: one quiet try, no TAP point */
		int ok = 0;
		if (inject_prepare)
			inject_prepare();
		inject_park_messages();
		(void)mk_fault_inject(MK_FI_ZONE, 1, zones[i].name);
		kern_return_t r = op(&ok);
		int pending = mk_fault_inject(MK_FI_ZONE, 0, zones[i].name);
		(void)mk_fault_inject(MK_FI_OFF, 0, NULL);
		inject_unpark_messages();
		if (inject_finish)
			(void)inject_finish();
		(void)r;
		if (pending != 0)
			continue;
		inject_one(what, op, MK_FI_ZONE, zones[i].name, &fired);
		total += fired;
	}
	tap_ok(total > 0, "%s: %u injected allocation failures in all", what, total);
}

#endif /* _TESTAUX_FUZZ_INJECT_H_ */
