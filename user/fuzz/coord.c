/*
 * fuzz/coord: the coordinator of a fuzz run (see fz.h).
 *
 * Parameters come from the kernel command line when it is the first task
 * (the fuzz image, `make fuzz`: fuzz_seed= fuzz_n= fuzz_workers=
 * fuzz_threads= fuzz_calls= fuzz_round= fuzz_verbose= fuzz_thread=
 * fuzz_worker= fuzz_kinds= fuzz_timeout=), or in a FZ_MSG_PARAMS message from the task that
 * spawned it (tests/fuzz_short).  Round after round it starts the
 * workers, waits for their reports (a watchdog: a worker that does not
 * report in time is a hang, and the state of each of its threads is
 * printed: the trap it is in and the call it was making), collects how
 * each ended, ends the victims and the tasks task_create made, puts the
 * host exception ports back, runs the kernel's IPC invariant auditor
 * (exact mode: the system is quiet), checks the kernel's text checksum,
 * has the bystander verify its memory and compares the kernel's object
 * counts with the baseline.  Every problem is printed on one line starting "# FUZZ-FAIL"
 * with the seed and round that reproduce it.
 *
 * The first task of the fuzz image ends the run with mk_test_done (QEMU
 * exits 33 when all passed); a spawned coordinator exits 0 or 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mach/task_special_ports.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>
#include "fz.h"

static struct fz_run run = { 1, 3000, 2, 2, 250, 0, 0, 0, 300, 0, 0 };
static unsigned failures;
static mach_port_t hello_port, done_port, bystander, host_port;
static int ksum;		/* the kernel text's checksum at the start */
static uint32_t made[6], succeeded[6];	/* calls by kind, over the run */
static int bystander_id;
static unsigned hz;

#define FAIL(...) do { failures++; printf("# FUZZ-FAIL seed %u " , run.seed); \
	printf(__VA_ARGS__); printf("\n"); } while (0)

/* ------------------------------------------------------------ parameters */

/* The value of "key=" in the command line, or dflt. */
static uint32_t arg(const char *cmd, const char *key, uint32_t dflt)
{
	size_t klen = strlen(key);
	for (const char *p = cmd; (p = strstr(p, key)) != NULL; p += klen) {
		if ((p == cmd || p[-1] == ' ') && p[klen] == '=')
			return (uint32_t)strtoul(p + klen + 1, NULL, 0);
	}
	return dflt;
}

static void params_from_cmdline(void)
{
	char cmd[256];
	if (mk_audit(MK_AUDIT_BOOTARGS, 0, cmd, sizeof(cmd)) != KERN_SUCCESS)
		cmd[0] = '\0';
	run.seed = arg(cmd, "fuzz_seed", 1);
	run.n = arg(cmd, "fuzz_n", 100000);
	run.workers = arg(cmd, "fuzz_workers", 4);
	run.threads = arg(cmd, "fuzz_threads", 3);
	run.calls = arg(cmd, "fuzz_calls", 1000);
	run.only_round = arg(cmd, "fuzz_round", 0xffffffffu) + 1;
	run.verbose = arg(cmd, "fuzz_verbose", 0);
	run.only_thread = arg(cmd, "fuzz_thread", 0);
	run.timeout_s = arg(cmd, "fuzz_timeout", 600);
	run.kinds = arg(cmd, "fuzz_kinds", 0);
	run.only_worker = arg(cmd, "fuzz_worker", 0xffffffffu) + 1;
}

/* ------------------------------------------------------------ counts */

struct baseline {
	struct mk_audit_counts c;
	int valid;
};

static void counts(struct mk_audit_counts *c)
{
	memset(c, 0, sizeof(*c));
	(void)mk_audit(MK_AUDIT_COUNTS, 0, c, sizeof(*c));
}

/*
 * Counts once the reaper and the tasks being terminated have settled:
 * the same figures five times in a row, 10 ms apart (at most 3 s).
 */
static void settled_counts(struct mk_audit_counts *c)
{
	struct mk_audit_counts prev;
	/* libmk replaces the MIG reply port after a failed call: have one now */
	(void)mig_get_reply_port();
	counts(&prev);
	for (int same = 0, i = 0; same < 5 && i < 300; i++) {
		(void)mk_sleep_ms(10);
		counts(c);
		same = memcmp(c, &prev, sizeof(*c)) == 0 ? same + 1 : 0;
		prev = *c;
	}
	*c = prev;
}

/* Pages in use that no zone holds (zones never give pages back). */
static unsigned other_pages(const struct mk_audit_counts *c)
{
	return c->pages_total - c->pages_free - c->zone_pages;
}

/*
 * Compare the counts with b (giving the reaper a moment first); report
 * each difference.  zone_slack: zone elements allowed to differ (the
 * kmsg cache fills up once).
 */
static void check_counts(const struct baseline *b, const char *when, unsigned round,
			 unsigned zone_slack)
{
	struct mk_audit_counts c;
	settled_counts(&c);
	struct {
		const char *what;
		unsigned was, now, slack;
	} rows[] = {
		{ "ports", b->c.ports, c.ports, 0 },
		{ "port sets", b->c.psets, c.psets, 0 },
		{ "kmsgs", b->c.kmsgs, c.kmsgs, 0 },
		{ "spaces", b->c.spaces, c.spaces, 0 },
		{ "tasks", b->c.tasks, c.tasks, 0 },
		{ "threads", b->c.threads, c.threads, 0 },
		{ "zone elements", b->c.zone_elems, c.zone_elems, zone_slack },
		{ "pages outside zones", other_pages(&b->c), other_pages(&c), zone_slack ? 4 : 0 },
	};
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned d = rows[i].now > rows[i].was ? rows[i].now - rows[i].was
						       : rows[i].was - rows[i].now;
		if (d > rows[i].slack)
			FAIL("round %u: leak %s: %s %u -> %u", round, when, rows[i].what,
			     rows[i].was, rows[i].now);
	}
	if (failures) {
		(void)mk_audit(MK_AUDIT_PRINT, 0, NULL, 0);
		struct mk_audit_zone z[40];
		int nz = mk_audit(MK_AUDIT_ZONES, 0, z, sizeof(z));
		for (int i = 0; i < nz && i < 40; i++)
			printf("#   zone %-16s in use %u pages %u\n", z[i].name, z[i].in_use,
			       z[i].pages);
	}
}

/* ------------------------------------------------------------ workers */

struct worker {
	int id;
	mach_port_t port;		/* its hello port (send right) */
	mach_port_t task;		/* its task port, for the watchdog */
	uint32_t threads_addr;		/* where its struct fz_thread array is */
	int done;
	struct fz_report rep;
	int waited;			/* ended (and waited for) before reporting */
	struct mk_exit_info ended;
};

/* Print what each thread of a worker that did not report is doing. */
static void report_hang(unsigned round, unsigned w, struct worker *wk)
{
	FAIL("round %u worker %u: no report after %u s (hang)", round, w, run.timeout_s);
	(void)mk_audit(MK_AUDIT_WAITFOR, 0, NULL, 0);
	if (wk->task == MACH_PORT_NULL)
		return;
	thread_act_array_t acts = NULL;
	mach_msg_type_number_t nacts = 0;
	if (task_threads(wk->task, &acts, &nacts) == KERN_SUCCESS) {
		for (unsigned i = 0; i < nacts; i++) {
			i386_thread_state_t st;
			mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
			memset(&st, 0, sizeof(st));
			(void)thread_get_state(acts[i], i386_THREAD_STATE, (thread_state_t)&st, &cnt);
			printf("#   worker %u thread %u: eip %#x eax (trap) %#x esp %#x\n", w, i,
			       st.eip, st.eax, st.esp);
			(void)mach_port_deallocate(mach_task_self(), acts[i]);
		}
		(void)vm_deallocate(mach_task_self(), (vm_address_t)acts, nacts * sizeof(*acts));
	}
	if (wk->threads_addr) {
		vm_offset_t data = 0;
		mach_msg_type_number_t cnt = 0;
		if (vm_read(wk->task, wk->threads_addr, run.threads * sizeof(struct fz_thread),
			    &data, &cnt) == KERN_SUCCESS) {
			const struct fz_thread *t = (const struct fz_thread *)data;
			for (unsigned i = 0; i < run.threads; i++)
				printf("#   worker %u fuzz thread %u: at call #%u kind %u trap/id %#x\n",
				       w, i, t[i].call, t[i].what, t[i].trapno);
			(void)vm_deallocate(mach_task_self(), data, cnt);
		}
	}
}

/*
 * Host exception ports: workers inherit this task's TASK_HOST_PORT, the
 * privileged one when this task has it, and fuzz host_set_exception_ports
 * with it.  Those handlers would outlive the round (holding rights to
 * dead ports, taking every task's unhandled exceptions): the ones found
 * at the start are put back after every round.
 */
#define EXC_ALL_MASKS	(EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY)
static struct {
	int valid;
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt;
} host_exc;

static void host_exc_save(mach_port_t host)
{
	host_exc.cnt = EXC_TYPES_COUNT;
	host_exc.valid = host_get_exception_ports(host, EXC_ALL_MASKS, host_exc.masks,
						  &host_exc.cnt, host_exc.ports,
						  host_exc.behaviors, host_exc.flavors) == KERN_SUCCESS;
}

static void host_exc_restore(mach_port_t host)
{
	if (!host_exc.valid)
		return;
	(void)host_set_exception_ports(host, EXC_ALL_MASKS, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
	for (unsigned i = 0; i < host_exc.cnt; i++)
		if (host_exc.ports[i] != MACH_PORT_NULL)
			(void)host_set_exception_ports(host, host_exc.masks[i], host_exc.ports[i],
						       host_exc.behaviors[i], host_exc.flavors[i]);
}

/* What the round's workers made that the coordinator ends with the round. */
#define MAX_VICTIMS	128
#define MAX_CREATED	256
static int victims[MAX_VICTIMS];
static unsigned nvictims;
static mach_port_t created[MAX_CREATED];
static unsigned ncreated;

/* End one victim (spawned by this task). */
static void end_victim(int id)
{
	struct mk_exit_info info;
	if (id <= 0)
		return;
	(void)mk_task_kill(id);
	(void)mk_task_wait(id, 30 * hz, &info);
	for (unsigned i = 0; i < nvictims; i++)
		if (victims[i] == id)
			victims[i] = 0;
}

/* A worker asks for a victim (words: the old one's id, to end). */
static void serve_victim(unsigned round, struct fz_msg *req)
{
	unsigned nw;
	const uint32_t *w = fz_msg_words(req, &nw);
	if (nw >= 1)
		end_victim((int)w[0]);
	mach_port_t reply = req->head.msgh_remote_port;
	struct fz_msg hello;
	mach_port_t child, ports[6];
	int id = nvictims < MAX_VICTIMS ?
		 fz_spawn_child("fuzz/victim", hello_port, &child, &hello, 30000) : -1;
	if (id <= 0) {
		if (nvictims < MAX_VICTIMS)
			FAIL("round %u: a victim could not be started", round);
		(void)mach_port_deallocate(mach_task_self(), reply);
		return;
	}
	victims[nvictims++] = id;
	(void)mach_port_deallocate(mach_task_self(), child);
	unsigned n = fz_msg_ports(&hello, ports, 6);
	mach_msg_type_name_t disps[6];
	for (unsigned i = 0; i < 6; i++)
		disps[i] = MACH_MSG_TYPE_MOVE_SEND;
	uint32_t word = (uint32_t)id;
	if (fz_send(reply, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, FZ_MSG_VICTIM, ports,
		    disps, n, &word, 1) != MACH_MSG_SUCCESS) {
		for (unsigned i = 0; i < n; i++)
			(void)mach_port_deallocate(mach_task_self(), ports[i]);
		(void)mach_port_deallocate(mach_task_self(), reply);
	}
}

/* A worker made a task with task_create: keep its port to end it later. */
static void note_created(struct fz_msg *m)
{
	mach_port_t p[1];
	if (fz_msg_ports(m, p, 1) != 1 || !MACH_PORT_VALID(p[0]))
		return;
	if (ncreated < MAX_CREATED) {
		created[ncreated++] = p[0];
	} else {
		(void)task_terminate(p[0]);
		(void)mach_port_deallocate(mach_task_self(), p[0]);
	}
}

/* The end of a round: every victim and created task goes. */
static void end_round_tasks(void)
{
	for (unsigned i = 0; i < nvictims; i++)
		end_victim(victims[i]);
	nvictims = 0;
	for (unsigned i = 0; i < ncreated; i++) {
		(void)task_terminate(created[i]);
		(void)mach_port_deallocate(mach_task_self(), created[i]);
	}
	ncreated = 0;
}

/* One round: start the workers, wait for them, check what they left. */
static uint32_t one_round(unsigned round)
{
	struct worker wk[FZ_MAX_WORKERS];
	memset(wk, 0, sizeof(wk));
	uint32_t calls = 0;
	printf("# FUZZ round %u seed %u: %u workers x %u threads x %u calls\n", round, run.seed,
	       run.workers, run.threads, run.calls);
	for (unsigned w = 0; w < run.workers; w++) {
		struct fz_msg hello;
		if (run.only_worker && run.only_worker != w + 1)
			continue;
		wk[w].id = fz_spawn_child("fuzz/worker", hello_port, &wk[w].port, &hello, 30000);
		if (wk[w].id <= 0) {
			FAIL("round %u worker %u: could not be started", round, w);
			continue;
		}
		mach_port_t hp[1];
		if (fz_msg_ports(&hello, hp, 1) == 1)
			wk[w].task = hp[0];
		unsigned hn;
		const uint32_t *hw = fz_msg_words(&hello, &hn);
		if (hn >= 1)
			wk[w].threads_addr = hw[0];
		struct fz_params p = { run.seed, round, w, run.threads, run.calls, run.verbose,
				       run.only_thread, run.kinds };
		mach_port_t dp[1] = { done_port };
		mach_msg_type_name_t dd[1] = { MACH_MSG_TYPE_MAKE_SEND };
		if (fz_send(wk[w].port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, FZ_MSG_PARAMS,
			    dp, dd, 1, (const uint32_t *)&p, sizeof(p) / 4) != MACH_MSG_SUCCESS)
			FAIL("round %u worker %u: parameters not delivered", round, w);
	}

	/* the watchdog: every report within the time limit */
	unsigned expected = 0, got = 0;
	for (unsigned w = 0; w < run.workers; w++)
		expected += wk[w].id > 0;
	unsigned start = mk_info(MK_INFO_TICKS);
	while (got < expected) {
		unsigned elapsed = (mk_info(MK_INFO_TICKS) - start) / hz;
		if (elapsed >= run.timeout_s)
			break;
		struct fz_msg m;
		if (fz_recv(done_port, &m, 1000) != MACH_MSG_SUCCESS) {
			/* a worker that died sends no report: do not wait for it */
			for (unsigned w = 0; w < run.workers; w++) {
				struct mk_exit_info info;
				if (wk[w].id > 0 && !wk[w].done &&
				    mk_task_wait(wk[w].id, 1, &info) == KERN_SUCCESS) {
					wk[w].done = 1;
					wk[w].ended = info;
					wk[w].waited = 1;
					got++;
				}
			}
			continue;
		}
		if (m.head.msgh_id == FZ_MSG_VICTIM) {
			serve_victim(round, &m);
			continue;
		}
		if (m.head.msgh_id == FZ_MSG_CREATED) {
			note_created(&m);
			continue;
		}
		if (m.head.msgh_id != FZ_MSG_DONE)
			continue;
		unsigned nw;
		const uint32_t *words = fz_msg_words(&m, &nw);
		if (nw * 4 < sizeof(struct fz_report) + 4)
			continue;
		unsigned w = words[0];	/* the worker's index comes first */
		if (w >= run.workers || wk[w].done)
			continue;
		wk[w].done = 1;
		memcpy(&wk[w].rep, words + 1, sizeof(struct fz_report));
		got++;
	}
	for (unsigned w = 0; w < run.workers; w++)
		if (wk[w].id > 0 && !wk[w].done)
			report_hang(round, w, &wk[w]);

	/* how each ended */
	for (unsigned w = 0; w < run.workers; w++) {
		if (wk[w].id <= 0)
			continue;
		struct mk_exit_info info = wk[w].ended;
		kern_return_t kr = wk[w].waited ? KERN_SUCCESS : mk_task_wait(wk[w].id, 30 * hz, &info);
		if (kr == KERN_OPERATION_TIMED_OUT) {
			(void)mk_task_kill(wk[w].id);
			kr = mk_task_wait(wk[w].id, 30 * hz, &info);
		}
		if (kr != KERN_SUCCESS)
			FAIL("round %u worker %u: mk_task_wait %d", round, w, kr);
		else if (info.how == MK_EXIT_FAULT)
			FAIL("round %u worker %u: died of trap %d at %#x", round, w, info.code,
			     info.addr);
		else if (info.how != MK_EXIT_STATUS || info.code != 0)
			FAIL("round %u worker %u: ended how %d code %d (%u problems seen)", round, w,
			     info.how, info.code, wk[w].rep.failures);
		calls += wk[w].rep.calls;
		for (unsigned k = 0; k < 6; k++) {
			made[k] += wk[w].rep.made[k];
			succeeded[k] += wk[w].rep.ok[k];
		}
		if (wk[w].port != MACH_PORT_NULL)
			(void)mach_port_deallocate(mach_task_self(), wk[w].port);
		if (wk[w].task != MACH_PORT_NULL)
			(void)mach_port_deallocate(mach_task_self(), wk[w].task);
	}
	/* what they made: victims, created tasks (their messages may still wait) */
	for (;;) {
		struct fz_msg m;
		if (fz_recv(done_port, &m, 0) != MACH_MSG_SUCCESS)
			break;
		if (m.head.msgh_id == FZ_MSG_CREATED)
			note_created(&m);
		else if (m.head.msgh_id == FZ_MSG_VICTIM && m.head.msgh_remote_port)
			(void)mach_port_deallocate(mach_task_self(), m.head.msgh_remote_port);
	}
	unsigned t_workers = mk_info(MK_INFO_TICKS) - start;
	end_round_tasks();
	host_exc_restore(host_port);

	/* the kernel's own view, once what ended has been reaped: a quiet system */
	struct mk_audit_counts quiet;
	settled_counts(&quiet);
	int v = mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE | MK_AUDIT_EXACT, NULL, 0);
	if (v != 0)
		FAIL("round %u: the IPC auditor found %d violation(s)", round, v);
	if (mk_audit(MK_AUDIT_KSUM, 0, NULL, 0) != ksum)
		FAIL("round %u: the kernel's text or read-only data changed", round);

	/* the bystander's memory */
	mach_port_t reply;
	struct fz_msg m;
	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	if (fz_send(bystander, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
		    FZ_MSG_CHECK, NULL, NULL, 0, NULL, 0) != MACH_MSG_SUCCESS ||
	    fz_recv(reply, &m, 30000) != MACH_MSG_SUCCESS || m.head.msgh_id != FZ_MSG_CHECKED) {
		FAIL("round %u: the bystander does not answer", round);
	} else {
		unsigned n;
		const uint32_t *bad = fz_msg_words(&m, &n);
		if (n < 1 || bad[0] != 0)
			FAIL("round %u: the bystander's memory or message changed (%u bad bytes)",
			     round, n ? bad[0] : 0);
	}
	(void)mach_port_destroy(mach_task_self(), reply);
	printf("# FUZZ round %u: workers took %u ticks, the checks %u\n", round, t_workers,
	       mk_info(MK_INFO_TICKS) - start - t_workers);
	return calls;
}

/* ------------------------------------------------------------ main */

int main(void)
{
	mach_port_t self = mach_task_self(), parent = MACH_PORT_NULL;
	hz = mk_info(MK_INFO_HZ);
	int first_task = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
			 parent == MACH_PORT_NULL;
	if (first_task) {
		params_from_cmdline();
	} else {
		struct fz_msg m;
		mach_port_t me = fz_hello(&parent, NULL, NULL, 0, NULL, 0);
		if (me == MACH_PORT_NULL || fz_recv(me, &m, 30000) != MACH_MSG_SUCCESS ||
		    m.head.msgh_id != FZ_MSG_PARAMS)
			return 2;
		unsigned nw;
		const uint32_t *w = fz_msg_words(&m, &nw);
		memcpy(&run, w, (nw * 4 < sizeof(run) ? nw * 4 : sizeof(run)));
	}
	if (run.workers == 0 || run.workers > FZ_MAX_WORKERS)
		run.workers = 2;
	if (run.threads == 0 || run.threads > FZ_MAX_THREADS)
		run.threads = 2;
	if (run.calls == 0)
		run.calls = 1;
	uint32_t per_round = run.workers * run.threads * run.calls;
	if (run.n < per_round)
		run.calls = (run.n + run.workers * run.threads - 1) / (run.workers * run.threads);
	per_round = run.workers * run.threads * run.calls;
	uint32_t rounds = (run.n + per_round - 1) / per_round;
	if (rounds == 0)
		rounds = 1;
	printf("# FUZZ start seed %u n %u: %u rounds of %u workers x %u threads x %u calls\n",
	       run.seed, run.n, rounds, run.workers, run.threads, run.calls);

	int hotpath = mk_hotpath(-1);
	ksum = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	host_port = mach_host_self();
	host_exc_save(host_port);
	struct baseline b0, b1 = { { 0 }, 0 };
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &hello_port);
	(void)mach_port_insert_right(self, hello_port, hello_port, MACH_MSG_TYPE_MAKE_SEND);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &done_port);
	settled_counts(&b0.c);
	b0.valid = 1;
	bystander_id = fz_spawn_child("fuzz/bystander", hello_port, &bystander, NULL, 30000);
	if (bystander_id <= 0) {
		FAIL("the bystander could not be started");
		rounds = 0;
	}

	uint32_t calls = 0;
	for (uint32_t r = 0; r < rounds; r++) {
		if (run.only_round && run.only_round != r + 1)
			continue;
		calls += one_round(r);
		(void)mk_hotpath(hotpath);
		if (!b1.valid) {
			settled_counts(&b1.c);
			b1.valid = 1;
		} else {
			check_counts(&b1, "after the round", r, 0);
		}
		if (failures)
			break;
	}

	/* the end: the bystander goes, everything must be as it was */
	if (bystander_id > 0) {
		struct mk_exit_info info;
		(void)fz_send(bystander, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, FZ_MSG_EXIT,
			      NULL, NULL, 0, NULL, 0);
		if (mk_task_wait(bystander_id, 30 * hz, &info) != KERN_SUCCESS ||
		    info.how != MK_EXIT_STATUS || info.code != 0)
			FAIL("the bystander did not end cleanly (how %d code %d)", info.how, info.code);
		(void)mach_port_deallocate(self, bystander);
	}
	(void)mk_hotpath(hotpath);
	host_exc_restore(host_port);
	int v = mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0);
	if (v != 0)
		FAIL("at the end: the IPC auditor found %d violation(s)", v);
	check_counts(&b0, "at the end", rounds, 4);
	static const char *const kind[6] = { "trap", "mach_msg", "rpc", "long ipc", "bad stack",
					     "pool" };
	printf("# FUZZ calls by kind (made/succeeded):");
	for (unsigned k = 0; k < 6; k++)
		printf(" %s %u/%u", kind[k], made[k], succeeded[k]);
	printf("\n# FUZZ done seed %u: %u calls, %u failure(s)\n", run.seed, calls, failures);
	(void)mach_port_destroy(self, hello_port);
	(void)mach_port_destroy(self, done_port);
	if (first_task) {
		(void)mk_test_done(failures != 0);
		return failures != 0;
	}
	return failures != 0;
}
