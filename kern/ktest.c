/*
 * Kernel self-test runner.
 */
#include <kern/ktest.h>
#include <kern/printf.h>
#include <kern/lib.h>

extern const struct ktest_desc __ktests_start[], __ktests_end[];

/* kt_check: print one indented TAP subtest line; returns cond. */
bool kt_check(struct ktest *kt, bool cond, const char *fmt, ...)
{
	va_list ap;
	kt->checks++;
	if (!cond)
		kt->failed++;
	printf("    %sok %d - ", cond ? "" : "not ", kt->checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

/* kt_fail: record a failed check. */
void kt_fail(struct ktest *kt, const char *fmt, ...)
{
	va_list ap;
	kt->checks++;
	kt->failed++;
	printf("    not ok %d - ", kt->checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* ktest_count: how many self-tests are linked in. */
unsigned ktest_count(void)
{
	return (unsigned)(__ktests_end - __ktests_start);
}

static bool matches(const char *name, const char *filter)
{
	return filter == NULL || strstr_simple(name, filter);
}

/*
 * ktest_run_all: run the self-tests in link order.  Must run in thread
 * context.  Prints "ok N - ktest/name" per test; returns failures.
 */
int ktest_run_all(int first, const char *filter, int *ran)
{
	int failures = 0, n = first;
	for (const struct ktest_desc *d = __ktests_start; d < __ktests_end; d++) {
		char full[80];
		snprintf(full, sizeof(full), "ktest/%s", d->name);
		if (!matches(full, filter))
			continue;
		struct ktest kt = { .name = d->name };
		printf("# %s\n", full);
		d->fn(&kt);
		bool ok = kt.checks > 0 && kt.failed == 0;
		if (kt.checks == 0)
			printf("    # no checks were made\n");
		printf("%sok %d - %s\n", ok ? "" : "not ", n++, full);
		if (!ok)
			failures++;
	}
	*ran = n - first;
	return failures;
}
