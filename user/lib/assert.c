/*
 * The failure half of assert().
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * __assert_fail: report a failed assertion with its expression, file,
 * line and function, then exit(134).  Does not return.
 */
void __assert_fail(const char *expr, const char *file, int line,
		   const char *func)
{
	printf("assertion failed: %s, file %s, line %d, function %s\n",
	    expr, file, line, func);
	exit(134);
}
