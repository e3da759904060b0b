/*
 * TAP subtest lines for test programs (<mk/tap.h>).
 */
#include <stdarg.h>
#include <stdio.h>
#include <mk/tap.h>

static int checks;	/* checks made so far */
static int failures;	/* of which failed */

/*
 * tap_ok: record and print one check.  The line is built first and then
 * printed by one printf, so threads never interleave inside it.  Returns
 * cond != 0.
 */
int tap_ok(int cond, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int n = __atomic_add_fetch(&checks, 1, __ATOMIC_SEQ_CST);
	if (!cond)
		__atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
	printf("    %s %d - %s\n", cond ? "ok" : "not ok", n, msg);
	return cond != 0;
}

/*
 * tap_diag: print `    # <message>'.
 */
void tap_diag(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("    # %s\n", msg);
}

/*
 * tap_done: print the plan for the checks made.  Returns 0 if there was
 * at least one and none failed, else 1.
 */
int tap_done(void)
{
	int n = __atomic_load_n(&checks, __ATOMIC_SEQ_CST);

	printf("    1..%d\n", n);
	return (n > 0 && __atomic_load_n(&failures, __ATOMIC_SEQ_CST) == 0)
	    ? 0 : 1;
}
