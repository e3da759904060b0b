/*
 * Kernel self-tests.
 *
 * KTEST(name) { ... } defines a test registered in the .ktests section;
 * no list anywhere names it.  In test mode all self-tests run one after
 * another in a kernel thread, before the user test programs, and each is
 * one top-level TAP test point.  Inside a test, KT_CHECK records one check
 * as an indented TAP subtest line.  A test passes iff it made at least one
 * check and none failed.
 */
#ifndef _KERN_KTEST_H_
#define _KERN_KTEST_H_

#include <kern/types.h>

struct ktest {
	const char *name;
	int checks;
	int failed;
};

struct ktest_desc {
	const char *name;
	void (*fn)(struct ktest *kt);
};

#define KTEST(tname)							\
	static void ktest_fn_##tname(struct ktest *kt);			\
	static const struct ktest_desc ktest_desc_##tname		\
		__section(".ktests") __used __aligned(4) =		\
		{ #tname, ktest_fn_##tname };				\
	static void ktest_fn_##tname(struct ktest *kt __unused)

/* Record one check; returns the condition so callers may bail out. */
bool kt_check(struct ktest *kt, bool cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define KT_CHECK(kt, cond, ...)	kt_check((kt), !!(cond), __VA_ARGS__)
void kt_fail(struct ktest *kt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of registered self-tests. */
unsigned ktest_count(void);
/*
 * ktest_run_all: run every self-test whose name matches the filter,
 * numbering TAP points from first; returns the number that failed.
 */
int ktest_run_all(int first, const char *filter, int *ran);

#endif
