/*
 * Benchmark output (<mk/bench.h>).
 */
#include <stdio.h>
#include <mk/bench.h>

/*
 * bench_report: print `BENCH <name> <total/ops> insns' with one decimal,
 * rounded to nearest.
 */
void bench_report(const char *name, uint64_t total, uint64_t ops)
{
	uint64_t tenths = (total * 10 + ops / 2) / ops;

	printf("BENCH %s %llu.%llu insns\n", name,
	    (unsigned long long)(tenths / 10),
	    (unsigned long long)(tenths % 10));
}
