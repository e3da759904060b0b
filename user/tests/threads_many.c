/*
 * threads_many: many short threads come and go without leaking.
 *
 * Starts 50 threads at once; each writes its index into its own slot of
 * a shared array and ends.  After joining them all, every slot must hold
 * its index, and the kernel's live thread count and zone elements in use
 * must be back where they were: thread structures, kernel stacks and the
 * map entries of the user stacks (freed by mk_thread_wait with
 * vm_deallocate) all returned.  A first, identical round runs before the
 * baseline is taken, so one-time set-up (page tables for the stack area,
 * zone growth) is not counted as a leak.
 */
#include <stdint.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define NTHREADS	50
#define REAP_YIELDS	50

static volatile int slot[NTHREADS];
static int round_no;

static void worker(void *arg)
{
	int i = (int)(intptr_t)arg;

	slot[i] = round_no * 1000 + i;
}

/* One round: start NTHREADS workers, join them, check their work. */
static void run_round(void)
{
	int tid[NTHREADS];
	int started = 0, joined = 0, written = 0;

	for (int i = 0; i < NTHREADS; i++) {
		tid[i] = mk_thread_start(worker, (void *)(intptr_t)i);
		if (tid[i] > 0)
			started++;
		else
			tap_diag("thread %d not started: %d", i, tid[i]);
	}
	tap_ok(started == NTHREADS, "round %d: %d of %d threads started",
	    round_no, started, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		if (tid[i] > 0 && mk_thread_wait(tid[i]) == KERN_SUCCESS)
			joined++;
	tap_ok(joined == started, "round %d: %d of %d threads joined",
	    round_no, joined, started);
	for (int i = 0; i < NTHREADS; i++)
		if (slot[i] == round_no * 1000 + i)
			written++;
	tap_ok(written == NTHREADS, "round %d: %d of %d slots written by "
	    "their thread", round_no, written, NTHREADS);
	if (tid[0] > 0)
		tap_ok(mk_thread_wait(tid[0]) == KERN_INVALID_ARGUMENT,
		    "round %d: a joined thread cannot be waited for twice",
		    round_no);
}

/* Yield until the live thread count is want, or give up; return it. */
static unsigned int settle_threads(unsigned int want)
{
	unsigned int n = mk_info(MK_INFO_THREADS);

	for (int i = 0; i < REAP_YIELDS && n != want; i++) {
		(void)swtch();
		n = mk_info(MK_INFO_THREADS);
	}
	return n;
}

int main(void)
{
	unsigned int threads0 = mk_info(MK_INFO_THREADS);

	round_no = 1;
	run_round();
	unsigned int threads = settle_threads(threads0);
	tap_ok(threads == threads0, "round 1: live threads back to %u (%u)",
	    threads0, threads);

	unsigned int zone0 = mk_info(MK_INFO_ZONE_INUSE);
	round_no = 2;
	run_round();
	threads = settle_threads(threads0);
	tap_ok(threads == threads0, "round 2: live threads back to %u (%u)",
	    threads0, threads);

	unsigned int zone = mk_info(MK_INFO_ZONE_INUSE);
	for (int i = 0; i < REAP_YIELDS && zone != zone0; i++) {
		(void)swtch();
		zone = mk_info(MK_INFO_ZONE_INUSE);
	}
	tap_ok(zone == zone0, "round 2: zone elements in use back to %u (%u)",
	    zone0, zone);
	return tap_done();
}
