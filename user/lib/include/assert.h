/*
 * assert.h - assert(expr): when expr is false, print the expression, file,
 * line and function, then exit(134).  NDEBUG turns it off, as in C.
 */
#ifndef _ASSERT_H_
#define _ASSERT_H_

void __assert_fail(const char *expr, const char *file, int line,
		   const char *func) __attribute__((noreturn));

#endif /* _ASSERT_H_ */

/* Outside the guard: each inclusion follows the current NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(expr)	((void)0)
#else
#define assert(expr)	\
	((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
