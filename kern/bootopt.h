/*
 * Options from the kernel command line (multiboot), parsed once at boot.
 *
 *   test          run the kernel self-tests and the user test programs,
 *                 report TAP on the serial line and exit QEMU
 *   bench         run the benchmark programs and exit QEMU
 *   panic_test    panic deliberately during the test run (checks that a
 *                 panic fails `make test` quickly, with a backtrace)
 *   nohotpath     turn the mach_msg hot path off
 *   kdb           enter the kernel debugger at boot
 *   trace=a,b     trace subsystems (ipc, sched, vm, exc)
 *   only=NAME     in test mode, run only the tests whose name contains NAME
 */
#ifndef _KERN_BOOTOPT_H_
#define _KERN_BOOTOPT_H_

#include <kern/types.h>

struct boot_options {
	bool test;
	bool bench;
	bool panic_test;
	bool nohotpath;
	bool kdb;
	char trace[64];
	char only[64];
	char cmdline[256];
};

extern struct boot_options bootopt;

void bootopt_parse(const char *cmdline);

#endif
