/*
 * stress_rpc: the load test (issue 10, item 4).  A fixed amount of work,
 * not a fixed time:
 *
 *   - 8 client/server task pairs (testaux/stress_client, stress_server)
 *     make CALLS RPCs each, every one carrying a port right there and back
 *     and 1 to 3 pages of out-of-line memory there and back; each reply is
 *     checked byte for byte, and each server checks that the sequence
 *     numbers of its port come without a gap;
 *   - meanwhile 2 tasks (testaux/stress_faulter) take 64 page faults each,
 *     handled by this task's exception handler thread (it maps the page and
 *     resumes them), and extra clients are started and killed while their
 *     calls are in flight (a kill lands mid-RPC: the server's reply then
 *     has nowhere to go);
 *   - a watchdog: when no client has made progress for WATCHDOG_S seconds,
 *     the kernel prints the wait-for relations of every thread
 *     (mk_audit MK_AUDIT_WAITFOR) and the test fails;
 *   - memory stays bounded: free pages never drop more than
 *     MEMORY_BOUND_PAGES below where they started, and once everything
 *     has ended the kernel's object counts are back at their baseline and
 *     the IPC auditor (exact mode) is clean.
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
#define CALLS			120
#define FAULTERS		2
#define CHURN_MAX		3	/* extra clients alive at once */
#define CHURN_TOTAL		12	/* extra clients started (and killed) in all */
#define WATCHDOG_S		30
#define MEMORY_BOUND_PAGES	4096	/* 16 MiB */

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

/* Spawn prog with report_port lent; its hello's port comes back in *portp. */
static int start(const char *prog, mach_port_t *portp)
{
	int id = ipc_spawn_with_port(prog, report_port);
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	*portp = MACH_PORT_NULL;
	if (id <= 0)
		return id;
	/* the hello may come after progress reports of others: skip those */
	for (int tries = 0; tries < 1000; tries++) {
		if (ipc_recv(&u.h, sizeof(u), report_port, 30000) != MACH_MSG_SUCCESS)
			break;
		if (u.h.msgh_id == STRESS_HELLO) {
			*portp = u.h.msgh_remote_port;
			return id;
		}
		/* a report that came early: put it back at the end of the queue */
		u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		u.h.msgh_remote_port = report_port;
		(void)ipc_send(&u.h, u.h.msgh_size);
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
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &base, sizeof(base));
	unsigned free0 = pages_free(), free_min = free0;

	/* servers, clients, faulters */
	int servers[PAIRS], clients[PAIRS], faulters[FAULTERS];
	mach_port_t sport[PAIRS];
	int started = 0;
	for (int i = 0; i < PAIRS; i++) {
		servers[i] = start("testaux/stress_server", &sport[i]);
		mach_port_t cport;
		clients[i] = start("testaux/stress_client", &cport);
		if (servers[i] > 0 && clients[i] > 0) {
			client_params(cport, sport[i], i, CALLS);
			started++;
		}
	}
	tap_ok(started == PAIRS, "%d client/server pairs started", started);
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, exc_port, EXCEPTION_DEFAULT, 0);
	for (int i = 0; i < FAULTERS; i++)
		faulters[i] = mk_spawn("testaux/stress_faulter");
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);

	/* run: reports, churn, watchdog */
	int churn[CHURN_MAX] = { 0 };
	unsigned churn_started = 0, churn_killed = 0, done = 0, bad = 0, calls = 0;
	unsigned last_progress = mk_info(MK_INFO_TICKS), tick = 0;
	int deadlock = 0;
	while (done < (unsigned)started) {
		union {
			struct stress_words r;
			uint8_t b[256];
		} u;
		mach_msg_return_t mr = ipc_recv(&u.r.head, sizeof(u), report_port, 50);
		if (mr == MACH_MSG_SUCCESS) {
			if (u.r.head.msgh_id == STRESS_PROGRESS || u.r.head.msgh_id == STRESS_DONE)
				last_progress = mk_info(MK_INFO_TICKS);
			if (u.r.head.msgh_id == STRESS_DONE && u.r.w[0] < PAIRS) {
				done++;
				calls += u.r.w[1];
				bad += u.r.w[2];
			}
			if (u.r.head.msgh_id == STRESS_HELLO && MACH_PORT_VALID(u.r.head.msgh_remote_port))
				(void)mach_port_deallocate(self, u.r.head.msgh_remote_port);
		}
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
				churn_started++;
			}
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
	tap_ok(churn_started > 0 && churn_killed == churn_started,
	       "%u extra clients started and killed in mid-call", churn_killed);

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
	tap_ok(ended == PAIRS && gaps == 0 && sbad == 0,
	       "servers: %u requests (%u replies lost to killed clients), sequence numbers "
	       "without a gap (%u gaps), %u bad payloads", requests, lost, gaps, sbad);
	int fok = 0;
	for (int i = 0; i < FAULTERS; i++)
		fok += ipc_wait(faulters[i], 60) == 0;
	tap_ok(fok == FAULTERS && faults_handled >= FAULTERS * 64 && faults_bad == 0,
	       "faulting tasks handled: %u faults resolved, both finished", faults_handled);

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
	       end.kmsgs == base.kmsgs && end.spaces == base.spaces,
	       "objects back at their baseline (ports %u/%u tasks %u/%u threads %u/%u kmsgs %u/%u)",
	       end.ports, base.ports, end.tasks, base.tasks, end.threads, base.threads, end.kmsgs,
	       base.kmsgs);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE | MK_AUDIT_EXACT, NULL, 0) == 0,
	       "IPC audit clean (exact)");
	return tap_done();
}
