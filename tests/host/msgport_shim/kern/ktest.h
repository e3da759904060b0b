/*
 * Host shim of <kern/ktest.h>: the same KTEST/KT_CHECK/kt_fail interface,
 * registered by constructors instead of a linker section so the kernel
 * self-tests also run in the host unit test.
 */
#ifndef _SHIM_KERN_KTEST_H_
#define _SHIM_KERN_KTEST_H_

#include <kern/types.h>

struct ktest {
	const char *name;
	int checks;
	int failed;
};

struct ktest_desc {
	const char *name;
	const char *file;
	void (*fn)(struct ktest *kt);
};

void ktest_register(const struct ktest_desc *d);

#define KTEST(tname)							\
	static void ktest_fn_##tname(struct ktest *kt);			\
	static const struct ktest_desc ktest_desc_##tname =		\
		{ #tname, __FILE__, ktest_fn_##tname };			\
	__attribute__((constructor)) static void ktest_reg_##tname(void) \
	{ ktest_register(&ktest_desc_##tname); }			\
	static void ktest_fn_##tname(struct ktest *kt __unused)

bool kt_check(struct ktest *kt, bool cond, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define KT_CHECK(kt, cond, ...)	kt_check((kt), !!(cond), __VA_ARGS__)
void kt_fail(struct ktest *kt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
