/*
 * bootstrap: the first user task.
 *
 * The kernel starts it once the machine is up and tells it the mode
 * (mk_info(MK_INFO_MODE)):
 *
 *   test   run every boot program named tests/..., one at a time, in
 *          index (name) order, and report each as a top-level TAP point,
 *          numbered on from the kernel's self-tests.  A program passes if
 *          it returns 0 within TEST_TIME_LIMIT_S seconds and leaves no
 *          thread, task, port or kmsg behind.  Then end the run with
 *          mk_test_done(failed).  The kernel has printed the TAP header.
 *   bench  the same for bench/... programs, which print BENCH lines.
 *   run    start every demo/... program, say the system is up, and wait.
 */
#include "nameserver.h"
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/thread.h>

#define NAME_MAX_LEN		64
#define TEST_TIME_LIMIT_S	120
#define REAP_YIELDS		50	/* swtch() calls allowed for cleanup */
#define KILL_WAIT_S		10

/* Kernel counters a finished program must leave as it found them. */
static const struct {
	int		key;
	const char	*name;
} counters[] = {
	{ MK_INFO_THREADS,	"threads" },
	{ MK_INFO_TASKS,	"tasks" },
	{ MK_INFO_PORTS,	"ports" },
	{ MK_INFO_KMSGS,	"kmsgs" },
};
#define NCOUNTERS	(sizeof(counters) / sizeof(counters[0]))

struct baseline {
	unsigned int	count[NCOUNTERS];
	unsigned int	zone_inuse;
};

static void take_baseline(struct baseline *b)
{
	for (unsigned i = 0; i < NCOUNTERS; i++)
		b->count[i] = mk_info(counters[i].key);
	b->zone_inuse = mk_info(MK_INFO_ZONE_INUSE);
}

static int counters_match(const struct baseline *b)
{
	for (unsigned i = 0; i < NCOUNTERS; i++)
		if (mk_info(counters[i].key) != b->count[i])
			return 0;
	return 1;
}

/*
 * Compare the counters with the baseline, giving the kernel's reaper up to
 * REAP_YIELDS chances to finish.  Prints a `# leak:' line per counter
 * that differs; returns the number of such counters.
 */
static int check_leaks(const struct baseline *b)
{
	int leaks = 0;

	for (int i = 0; i < REAP_YIELDS && !counters_match(b); i++)
		(void)swtch();
	for (unsigned i = 0; i < NCOUNTERS; i++) {
		unsigned int now = mk_info(counters[i].key);
		if (now != b->count[i]) {
			printf("    # leak: %s %u -> %u (%+d)\n", counters[i].name,
			    b->count[i], now, (int)(now - b->count[i]));
			leaks++;
		}
	}
	unsigned int zone = mk_info(MK_INFO_ZONE_INUSE);
	if (zone != b->zone_inuse)
		printf("    # note: zone elements in use %u -> %u (%+d)\n",
		    b->zone_inuse, zone, (int)(zone - b->zone_inuse));
	return leaks;
}

/*
 * Run one program to its end (or kill it after limit_s seconds) and
 * report it as TAP point n.  Returns 1 if it failed, else 0.
 */
static int run_one(const char *name, int n, unsigned int hz,
		   unsigned int limit_s)
{
	struct mk_exit_info info = { 0, 0, 0 };
	struct baseline base;
	char reason[96] = "";

	printf("# %s\n", name);
	take_baseline(&base);
	int task = mk_spawn(name);
	if (task <= 0) {
		printf("not ok %d - %s # spawn failed: error %d\n", n, name,
		    -task);
		return 1;
	}
	kern_return_t kr = mk_task_wait(task, limit_s * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(task);
		(void)mk_task_wait(task, KILL_WAIT_S * hz, &info);
		snprintf(reason, sizeof(reason), "timeout after %u s", limit_s);
	} else if (kr != KERN_SUCCESS) {
		snprintf(reason, sizeof(reason), "mk_task_wait error %d", kr);
	} else if (info.how == MK_EXIT_FAULT) {
		snprintf(reason, sizeof(reason), "fault trap %d at 0x%08x",
		    info.code, info.addr);
	} else if (info.how == MK_EXIT_KILLED) {
		snprintf(reason, sizeof(reason), "killed");
	} else if (info.how != MK_EXIT_STATUS) {
		snprintf(reason, sizeof(reason), "unknown exit kind %d",
		    info.how);
	} else if (info.code != 0) {
		snprintf(reason, sizeof(reason), "exit status %d", info.code);
	}
	int leaks = check_leaks(&base);
	if (reason[0] == '\0' && leaks > 0)
		snprintf(reason, sizeof(reason), "leak");
	if (reason[0] != '\0') {
		printf("not ok %d - %s # %s\n", n, name, reason);
		return 1;
	}
	printf("ok %d - %s\n", n, name);
	return 0;
}

/*
 * Run every boot program whose name starts with prefix, numbering TAP
 * points from mk_info(MK_INFO_TEST_FIRST).  Returns the number failed.
 */
static int run_all(const char *prefix)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	int n = (int)mk_info(MK_INFO_TEST_FIRST);
	size_t plen = strlen(prefix);
	char name[NAME_MAX_LEN];
	int failed = 0;

	for (unsigned int i = 0;; i++) {
		kern_return_t kr = mk_bootprog_name(i, name, sizeof(name));
		if (kr == KERN_INVALID_ARGUMENT)
			break;
		if (kr != KERN_SUCCESS) {
			printf("# boot program %u: name unreadable (error %d)\n",
			    i, kr);
			continue;
		}
		if (strncmp(name, prefix, plen) != 0 || !mk_test_selected(name))
			continue;	/* only=TEXT on the command line picks a subset */
		failed += run_one(name, n++, hz, TEST_TIME_LIMIT_S);
	}
	printf("# bootstrap: %d %s program(s) failed\n", failed, prefix);
	return failed;
}

/* Run mode: start the demo servers and stay up. */
static void run_demos(void)
{
	int tasks[32];
	unsigned int ntasks = 0;
	char name[NAME_MAX_LEN];

	for (unsigned int i = 0; ntasks < 32; i++) {
		kern_return_t kr = mk_bootprog_name(i, name, sizeof(name));
		if (kr == KERN_INVALID_ARGUMENT)
			break;
		if (kr != KERN_SUCCESS || strncmp(name, "demo/", 5) != 0)
			continue;
		int task = mk_spawn(name);
		if (task > 0)
			tasks[ntasks++] = task;
		else
			printf("bootstrap: cannot start %s: error %d\n", name,
			    -task);
	}
	printf("bootstrap: system up, %u demo program(s) running\n", ntasks);
	for (unsigned int i = 0; i < ntasks; i++) {
		struct mk_exit_info info;
		(void)mk_task_wait(tasks[i], 0, &info);
	}
	for (;;)
		(void)mk_sleep_ms(60 * 1000);
}

/*
 * main: dispatch on the boot mode.  In test and bench mode the run ends in
 * mk_test_done; if that ever returns, so does main, with the failure count.
 */
int main(void)
{
	unsigned int mode = mk_info(MK_INFO_MODE);
	int failed;

	/* the name service: every task started from here inherits its port */
	nameserver_init();
	nameserver_start();

	switch (mode) {
	case MK_MODE_TEST:
		failed = run_all("tests/");
		break;
	case MK_MODE_BENCH:
		failed = run_all("bench/");
		break;
	default:
		run_demos();
		return 0;
	}
	(void)mk_test_done(failed);
	return failed != 0;
}
