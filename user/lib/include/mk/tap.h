/*
 * mk/tap.h - TAP output for test programs.
 *
 * The bootstrap prints each program's top-level `ok N - tests/NAME' line;
 * a program's own checks are subtests, printed indented by four spaces.
 * A test ends with `return tap_done();'.  Safe to call from any thread.
 */
#ifndef _MK_TAP_H_
#define _MK_TAP_H_

/*
 * Record one check: print `    ok N - <message>' if cond is true, else
 * `    not ok N - <message>'.  Returns cond != 0.
 */
int tap_ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print a diagnostic line `    # <message>'. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Print the plan `    1..N' for the N checks made.  Returns 0 if at
 * least one check was made and all passed, else 1.
 */
int tap_done(void);

#endif /* _MK_TAP_H_ */
