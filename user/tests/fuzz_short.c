/*
 * fuzz_short: a short fuzz run as part of `make test` (issue 10).
 *
 * Spawns the fuzzer's coordinator (fuzz/coord, user/fuzz/) and hands it
 * the run's parameters; the coordinator runs a few thousand calls in
 * rounds of two workers of two threads each (every trap, every kernel
 * RPC of the MIG fuzz tables, mach_msg, long IPC), checking after every
 * round: no worker hurt, no hang, the IPC invariant auditor clean, the
 * bystander's memory intact, the kernel's object counts back at their
 * baseline.  It prints each problem as a "# FUZZ-FAIL seed ..." line and
 * exits 0 only when there was none.
 *
 * The seed is 1 unless the kernel command line says fuzz_seed=N (also
 * fuzz_n=, fuzz_workers=, fuzz_threads=, fuzz_calls=); a failure is
 * replayed with `make fuzz SEED=... ROUND=... VERBOSE=1` (README).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mach/task_special_ports.h>
#include <mk/mach_port.h>
#include <mk/tap.h>
#include "../fuzz/fz.h"

/* The value of "key=" on the kernel command line, or dflt. */
static uint32_t cmdline_arg(const char *key, uint32_t dflt)
{
	char cmd[256];
	size_t klen = strlen(key);
	if (mk_audit(MK_AUDIT_BOOTARGS, 0, cmd, sizeof(cmd)) != KERN_SUCCESS)
		return dflt;
	for (const char *p = cmd; (p = strstr(p, key)) != NULL; p += klen)
		if ((p == cmd || p[-1] == ' ') && p[klen] == '=')
			return (uint32_t)strtoul(p + klen + 1, NULL, 0);
	return dflt;
}

/* One simple message: header, NDR, count, words (the fuzzer's layout). */
struct params_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	NDR_record_t ndr;
	uint32_t count;
	uint32_t words[sizeof(struct fz_run) / 4];
};

int main(void)
{
	mach_port_t self = mach_task_self(), port = MACH_PORT_NULL, old = MACH_PORT_NULL;
	struct fz_run run = {
		.seed = cmdline_arg("fuzz_seed", 1),
		.n = cmdline_arg("fuzz_n", 4000),
		.workers = cmdline_arg("fuzz_workers", 2),
		.threads = cmdline_arg("fuzz_threads", 2),
		.calls = cmdline_arg("fuzz_calls", 250),
		.timeout_s = 90,
	};
	unsigned hz = mk_info(MK_INFO_HZ);
	printf("# fuzz_short: seed %u, %u calls (replay: make fuzz SEED=%u N=%u WORKERS=%u "
	       "THREADS=%u CALLS=%u)\n", run.seed, run.n, run.seed, run.n, run.workers, run.threads,
	       run.calls);

	/* lend a port as the bootstrap port for the spawn: the coordinator says hello there */
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	(void)mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	(void)task_get_special_port(self, TASK_BOOTSTRAP_PORT, &old);
	tap_ok(task_set_special_port(self, TASK_BOOTSTRAP_PORT, port) == KERN_SUCCESS,
	       "our port lent as the bootstrap port");
	int id = mk_spawn("fuzz/coord");
	(void)task_set_special_port(self, TASK_BOOTSTRAP_PORT, old);
	tap_ok(id > 0, "coordinator started (%d)", id);
	if (id <= 0)
		return tap_done();

	union {
		mach_msg_header_t head;
		uint8_t buf[512];
	} hello;
	mach_msg_return_t mr = mach_msg(&hello.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					sizeof(hello), port, 60000, MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && hello.head.msgh_id == FZ_MSG_HELLO,
	       "the coordinator said hello (%#x)", mr);

	struct params_msg m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = hello.head.msgh_remote_port;
	m.head.msgh_id = FZ_MSG_PARAMS;
	m.ndr = NDR_record;
	m.count = sizeof(run) / 4;
	memcpy(m.words, &run, sizeof(run));
	mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
		      10000, MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS, "parameters sent (%#x)", mr);

	struct mk_exit_info info = { 0, 0, 0 };
	kern_return_t kr = mk_task_wait(id, 110 * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(id);
		(void)mk_task_wait(id, 10 * hz, &info);
	}
	tap_ok(kr == KERN_SUCCESS, "the fuzz run ended in time (kr %d)", kr);
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 0,
	       "no panic, hang, hurt worker, audit failure, corrupted bystander or leak "
	       "(how %d code %d; see the # FUZZ-FAIL lines)", info.how, info.code);
	(void)mach_port_destroy(self, port);
	return tap_done();
}
