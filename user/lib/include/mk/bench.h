/*
 * mk/bench.h - helpers for benchmark programs (GUIDE section 4).
 *
 * Under QEMU with -icount shift=0 the time-stamp counter counts guest
 * instructions, so the difference of two mk_rdtsc() readings is the
 * number of instructions run in between (by every thread and the kernel).
 */
#ifndef _MK_BENCH_H_
#define _MK_BENCH_H_

#include <stdint.h>

/* Read the time-stamp counter. */
static inline uint64_t mk_rdtsc(void)
{
	uint64_t t;

	__asm__ volatile("rdtsc" : "=A"(t) :: "memory");
	return t;
}

/*
 * Print `BENCH <name> <value> insns' where value is total / ops rounded to
 * one decimal place (integer arithmetic only).  ops must not be 0.
 */
void bench_report(const char *name, uint64_t total, uint64_t ops);

#endif /* _MK_BENCH_H_ */
