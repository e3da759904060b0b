/*
 * Test mode (command line "test"): run every kernel self-test and every
 * user test program, print TAP version 13 on the console, and end the run
 * through QEMU's isa-debug-exit device: 33 when everything passed, 35
 * otherwise.  A panic exits with 37 (see panic.c).
 */
#include <kern/assert.h>
#include <kern/bootopt.h>
#include <kern/ktest.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/startup.h>
#include <machine/cpu.h>
#include <machine/qemu.h>

static unsigned count_matching_ktests(void)
{
	extern const struct ktest_desc __ktests_start[], __ktests_end[];
	unsigned n = 0;
	for (const struct ktest_desc *d = __ktests_start; d < __ktests_end; d++) {
		char full[80];
		snprintf(full, sizeof(full), "ktest/%s", d->name);
		if (bootopt.only[0] == '\0' || strstr_simple(full, bootopt.only))
			n++;
	}
	return n;
}

/*
 * test_main: the test run.  Called in thread context with interrupts
 * enabled; never returns.
 */
void test_main(void)
{
	unsigned nk = count_matching_ktests();
	printf("TAP version 13\n");
	printf("1..%u\n", nk);
	if (bootopt.panic_test)
		panic("panic_test: deliberate panic requested on the command line");
	int ran = 0;
	int failed = ktest_run_all(1, bootopt.only, &ran);
	printf("# %d tests, %d failed\n", ran, failed);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	for (;;)
		halt();
}
