/*
 * stress_rpc: the load test (issue 10, item 4).  A fixed amount of work,
 * not a fixed time:
 *
 *   - 8 client/server task pairs (testaux/stress_client, stress_server)
 *     make CALLS RPCs each, all let go at once; every call carries a port
 *     right there and back and 1 byte to 3 pages of out-of-line memory
 *     there and back; each reply is checked byte for byte, and each server
 *     checks that the sequence numbers of its port (format-0 trailer,
 *     MACH_RCV_TRAILER_SEQNO) come without a gap;
 *   - meanwhile 2 tasks (testaux/stress_faulter) take STRESS_FAULTS page
 *     faults each, handled by this task's exception handler thread (it
 *     maps the page and resumes them), and CHURN_TOTAL extra clients are
 *     started and killed while their calls are in flight (their server
 *     holds their calls a moment, so a kill lands mid-RPC: the reply then
 *     has nowhere to go, which the servers count);
 *   - a watchdog: when no client has made progress for WATCHDOG_S seconds,
 *     the kernel prints the wait-for relations (mk_audit MK_AUDIT_WAITFOR:
 *     each waiting thread, its port, and which tasks hold the rights that
 *     could wake it) and the test fails;
 *   - memory stays bounded: free pages never drop more than
 *     MEMORY_BOUND_PAGES below where they started, and once everything
 *     has ended the kernel's object counts, every zone's elements in use
 *     and the pages outside zones are back at their baseline and the IPC
 *     auditor (exact mode) is clean.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/exc.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include <mk/thread.h>
#include "../testaux/ipc_common.h"
#include "../testaux/stress_proto.h"

#define PAIRS			8
#define CALLS			400
#define FAULTERS		2
#define CHURN_MAX		3	/* extra clients alive at once */
#define CHURN_TOTAL		12	/* extra clients started (and killed) in all */
#define WATCHDOG_S		30
#define MEMORY_BOUND_PAGES	1024	/* 4 MiB: about twice what a run takes */

static mach_port_t report_port, exc_port;
static volatile unsigned faults_handled, faults_bad;

/* ------------------------------------------------------------ exceptions */

static void exc_thread(void *arg)
{
	(void)arg;
	union {
		__Request__exception_raise_t rq;
		uint8_t b[512];
	} in;
	(void)mig_get_reply_port();	/* made before the baseline is taken */
	for (;;) {
		if (ipc_recv(&in.rq.Head, sizeof(in), exc_port, 0x7fffffff) != MACH_MSG_SUCCESS)
			continue;
		kern_return_t kr = KERN_FAILURE;
		if (in.rq.Head.msgh_id == 2401 && in.rq.exception == EXC_BAD_ACCESS &&
		    in.rq.codeCnt == 2) {
			vm_address_t page = (vm_address_t)in.rq.code[1] & ~4095u;
			kr = vm_allocate(in.rq.task.name, &page, 4096, VM_FLAGS_FIXED);
			if (kr == KERN_SUCCESS)
				faults_handled++;
			else
				faults_bad++;
		}
		(void)mach_port_deallocate(mach_task_self(), in.rq.thread.name);
		(void)mach_port_deallocate(mach_task_self(), in.rq.task.name);
		mig_reply_error_t r;
		memset(&r, 0, sizeof(r));
		r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		r.Head.msgh_size = sizeof(r);
		r.Head.msgh_remote_port = in.rq.Head.msgh_remote_port;
		r.Head.msgh_id = in.rq.Head.msgh_id + 100;
		r.NDR = NDR_record;
		r.RetCode = kr;
		(void)ipc_send(&r.Head, sizeof(r));
	}
}

/* ------------------------------------------------------------ children */

/* What the clients reported so far (the watchdog reads last_progress). */
static unsigned done, calls, bad, last_progress;

/*
 * Account for one message from report_port: progress and completion
 * reports of the clients (the extra clients' ids are >= PAIRS and never
 * complete); a hello nobody waits for has its port dropped.
 */
static void on_report(struct stress_words *r)
{
	if (r->head.msgh_id == STRESS_PROGRESS || r->head.msgh_id == STRESS_DONE)
		last_progress = mk_info(MK_INFO_TICKS);
	if (r->head.msgh_id == STRESS_DONE && r->w[0] < PAIRS) {
		done++;
		calls += r->w[1];
		bad += r->w[2];
	}
	if (r->head.msgh_id == STRESS_HELLO && MACH_PORT_VALID(r->head.msgh_remote_port))
		(void)mach_port_deallocate(mach_task_self(), r->head.msgh_remote_port);
}

/*
 * Spawn prog with report_port lent; its hello's port comes back in *portp.
 * Reports of the clients already running arrive in between: accounted.
 */
static int start(const char *prog, mach_port_t *portp)
{
	int id = ipc_spawn_with_port(prog, report_port);
	union {
		struct stress_words r;
		uint8_t b[256];
	} u;
	*portp = MACH_PORT_NULL;
	if (id <= 0)
		return id;
	for (;;) {
		if (ipc_recv(&u.r.head, sizeof(u), report_port, 30000) != MACH_MSG_SUCCESS)
			break;
		if (u.r.head.msgh_id == STRESS_HELLO) {
			*portp = u.r.head.msgh_remote_port;
			return id;
		}
		on_report(&u.r);
	}
	(void)mk_task_kill(id);
	return -1;
}

/* Tell client (at port) its server, id and calls (0: until killed). */
static void client_params(mach_port_t client, mach_port_t server, uint32_t id, uint32_t calls)
{
	struct stress_words p;
	memset(&p, 0, sizeof(p));
	p.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	p.head.msgh_size = sizeof(p);
	p.head.msgh_remote_port = client;
	p.head.msgh_id = STRESS_PARAMS;
	p.body.msgh_descriptor_count = 1;
	p.port.name = server;
	p.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	p.port.type = MACH_MSG_PORT_DESCRIPTOR;
	p.w[0] = id;
	p.w[1] = calls;
	(void)ipc_send(&p.head, sizeof(p));
}

/*
 * Fill the kernel's kmsg cache (a few small kmsgs kept for reuse, held as
 * zone elements) before the baseline is taken, so that the zone counts
 * can be compared exactly at the end: several messages queued at once,
 * then received.
 */
static void warm_kmsg_cache(void)
{
	for (int i = 0; i < 8; i++)
		(void)ipc_send_bare(report_port, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 1);
	(void)ipc_drain(report_port);
}

#define ZONES_MAX	48
static struct mk_audit_zone zones0[ZONES_MAX], zones1[ZONES_MAX];
static int nzones0;

/* The kernel's zones now, into z; returns how many (at most ZONES_MAX). */
static int zones_snapshot(struct mk_audit_zone *z)
{
	int n = mk_audit(MK_AUDIT_ZONES, 0, z, ZONES_MAX * sizeof(*z));
	return n < 0 ? 0 : n > ZONES_MAX ? ZONES_MAX : n;
}

/* Pages in use that no zone holds (task memory, page tables, kalloc). */
static unsigned other_pages(const struct mk_audit_counts *c)
{
	return c->pages_total - c->pages_free - c->zone_pages;
}

static unsigned pages_free(void)
{
	return mk_info(MK_INFO_PAGES_FREE);
}

int main(void)
{
	mach_port_t self = mach_task_self();
	unsigned hz = mk_info(MK_INFO_HZ);
	struct mk_audit_counts base, end;
	memset(&base, 0, sizeof(base));
	(void)mig_get_reply_port();
	report_port = ipc_port_send();
	exc_port = ipc_port_send();
	mach_port_limits_t lim = { 128 };
	(void)mach_port_set_attributes(self, report_port, MACH_PORT_LIMITS_INFO,
				       (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	(void)mk_thread_start(exc_thread, NULL);
	(void)mk_sleep_ms(50);
	warm_kmsg_cache();
	/* the task's exception-port table is made on first use: now, not in the run */
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL, EXCEPTION_DEFAULT,
				       0);
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &base, sizeof(base));
	nzones0 = zones_snapshot(zones0);
	unsigned free0 = pages_free(), free_min = free0;

	/* servers, clients, faulters */
	int servers[PAIRS], clients[PAIRS], faulters[FAULTERS];
	mach_port_t sport[PAIRS];
	int started = 0;
	mach_port_t cport[PAIRS];
	for (int i = 0; i < PAIRS; i++) {
		servers[i] = start("testaux/stress_server", &sport[i]);
		clients[i] = start("testaux/stress_client", &cport[i]);
		started += servers[i] > 0 && clients[i] > 0;
	}
	tap_ok(started == PAIRS, "%d client/server pairs started", started);
	/* the faulters inherit the exception port; then every client is let go at once */
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, exc_port, EXCEPTION_DEFAULT, 0);
	for (int i = 0; i < FAULTERS; i++)
		faulters[i] = mk_spawn("testaux/stress_faulter");
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
	for (int i = 0; i < PAIRS; i++)
		if (servers[i] > 0 && clients[i] > 0)
			client_params(cport[i], sport[i], i, CALLS);

	/* run: reports, churn, watchdog */
	int churn[CHURN_MAX] = { 0 };
	unsigned churn_started = 0, churn_ok = 0, churn_killed = 0, tick = 0;
	last_progress = mk_info(MK_INFO_TICKS);
	int deadlock = 0;
	while (done < (unsigned)started || churn_started < CHURN_TOTAL) {
		union {
			struct stress_words r;
			uint8_t b[256];
		} u;
		mach_msg_return_t mr = ipc_recv(&u.r.head, sizeof(u), report_port, 50);
		if (mr == MACH_MSG_SUCCESS)
			on_report(&u.r);
		unsigned f = pages_free();
		if (f < free_min)
			free_min = f;
		/* churn: start extra clients, kill them while they call */
		tick++;
		int slot = tick % CHURN_MAX;
		if (tick % 4 == 0 && churn[slot] > 0) {
			struct mk_exit_info info;
			(void)mk_task_kill(churn[slot]);
			(void)mk_task_wait(churn[slot], 30 * hz, &info);
			churn[slot] = 0;
			churn_killed++;
		} else if (tick % 4 == 2 && churn[slot] == 0 && churn_started < CHURN_TOTAL) {
			mach_port_t cport;
			churn[slot] = start("testaux/stress_client", &cport);
			if (churn[slot] > 0) {
				client_params(cport, sport[churn_started % PAIRS], 100 + churn_started, 0);
				churn_ok++;
			}
			churn_started++;
		}
		if ((mk_info(MK_INFO_TICKS) - last_progress) / hz > WATCHDOG_S) {
			printf("# stress: no progress for %u s: the wait-for relations follow\n",
			       WATCHDOG_S);
			(void)mk_audit(MK_AUDIT_WAITFOR, 0, NULL, 0);
			deadlock = 1;
			break;
		}
	}
	tap_ok(!deadlock, "no deadlock: every client kept making calls");
	tap_ok(done == PAIRS && calls == PAIRS * CALLS && bad == 0,
	       "%u clients made %u of %u calls, %u bad replies", done, calls, PAIRS * CALLS, bad);
	for (int i = 0; i < CHURN_MAX; i++)
		if (churn[i] > 0) {
			struct mk_exit_info info;
			(void)mk_task_kill(churn[i]);
			(void)mk_task_wait(churn[i], 30 * hz, &info);
			churn_killed++;
		}
	tap_ok(churn_ok == CHURN_TOTAL && churn_killed == churn_ok,
	       "%u of %u extra clients started, %u killed while calling", churn_ok, CHURN_TOTAL,
	       churn_killed);

	/* servers: their statistics, then their end */
	unsigned requests = 0, gaps = 0, sbad = 0, lost = 0, ended = 0;
	mach_port_t reply = ipc_port();
	for (int i = 0; i < PAIRS; i++) {
		if (servers[i] <= 0)
			continue;
		union {
			struct stress_words r;
			uint8_t b[256];
		} u;
		if (ipc_send_bare(sport[i], MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
				  STRESS_EXIT) == MACH_MSG_SUCCESS &&
		    ipc_recv(&u.r.head, sizeof(u), reply, 30000) == MACH_MSG_SUCCESS &&
		    u.r.head.msgh_id == STRESS_STATS) {
			requests += u.r.w[0];
			gaps += u.r.w[1];
			sbad += u.r.w[2];
			lost += u.r.w[3];
		}
		ended += ipc_wait(servers[i], 30) == 0;
		(void)mach_port_deallocate(self, sport[i]);
	}
	for (int i = 0; i < PAIRS; i++)
		(void)ipc_wait(clients[i], 30);
	tap_ok(ended == PAIRS && gaps == 0 && sbad == 0 && lost > 0,
	       "servers: %u requests (%u replies lost to clients killed mid-call), sequence numbers "
	       "without a gap (%u gaps), %u bad payloads", requests, lost, gaps, sbad);
	int fok = 0;
	for (int i = 0; i < FAULTERS; i++)
		fok += ipc_wait(faulters[i], 60) == 0;
	tap_ok(fok == FAULTERS && faults_handled == FAULTERS * STRESS_FAULTS && faults_bad == 0,
	       "faulting tasks: %u of %u faults resolved by the handler, both finished well",
	       faults_handled, FAULTERS * STRESS_FAULTS);

	/* memory and objects */
	tap_ok(free0 - free_min < MEMORY_BOUND_PAGES,
	       "memory stayed bounded: at most %u pages taken (bound %u)", free0 - free_min,
	       MEMORY_BOUND_PAGES);
	(void)mach_port_destroy(self, reply);
	(void)ipc_drain(report_port);
	for (int i = 0; i < 50; i++)
		(void)mk_sleep_ms(20);
	(void)mig_get_reply_port();
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &end, sizeof(end));
	tap_ok(end.ports == base.ports && end.tasks == base.tasks && end.threads == base.threads &&
	       end.kmsgs == base.kmsgs && end.spaces == base.spaces && end.psets == base.psets,
	       "objects back at their baseline (ports %u/%u tasks %u/%u threads %u/%u kmsgs %u/%u)",
	       end.ports, base.ports, end.tasks, base.tasks, end.threads, base.threads, end.kmsgs,
	       base.kmsgs);
	int nzones1 = zones_snapshot(zones1), zdiff = nzones1 != nzones0;
	for (int i = 0; i < nzones0 && i < nzones1; i++)
		if (zones0[i].in_use != zones1[i].in_use) {
			printf("# zone %s: %u -> %u elements in use\n", zones0[i].name,
			       zones0[i].in_use, zones1[i].in_use);
			zdiff = 1;
		}
	tap_ok(!zdiff && end.zone_elems == base.zone_elems,
	       "every zone back at its baseline (%u -> %u elements in use)", base.zone_elems,
	       end.zone_elems);
	tap_ok(other_pages(&end) == other_pages(&base) &&
	       end.kalloc_large_pages == base.kalloc_large_pages,
	       "pages outside zones back at their baseline (%u -> %u; large kalloc %u -> %u)",
	       other_pages(&base), other_pages(&end), base.kalloc_large_pages,
	       end.kalloc_large_pages);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE | MK_AUDIT_EXACT, NULL, 0) == 0,
	       "IPC audit clean (exact)");
	return tap_done();
}
