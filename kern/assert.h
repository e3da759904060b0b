/*
 * Assertions and panic.
 */
#ifndef _KERN_ASSERT_H_
#define _KERN_ASSERT_H_

#include <kern/types.h>

void panic(const char *fmt, ...) __noreturn __attribute__((format(printf, 1, 2)));
void panic_assert(const char *expr, const char *file, int line, const char *func) __noreturn;

#define assert(e) \
	((e) ? (void)0 : panic_assert(#e, __FILE__, __LINE__, __func__))

#endif
