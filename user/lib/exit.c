/*
 * exit and abort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mach/mk_traps.h>
#include "libmk.h"

/*
 * exit: write out buffered console output, then end the task with status
 * (mk_task_exit).  Every thread of the task ends with it.  Does not return.
 */
void exit(int status)
{
	__libmk_flush_output();
	mk_task_exit(status);
}

/*
 * abort: say so, then end the task with status 134, the shell's code for
 * death by SIGABRT.  Does not return.
 */
void abort(void)
{
	printf("abort() called\n");
	exit(134);
}
