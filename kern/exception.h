/*
 * Raising Mach exceptions for the current thread.
 */
#ifndef _KERN_EXCEPTION_H_
#define _KERN_EXCEPTION_H_

#include <mach/exception_types.h>

/*
 * exception_triage: deliver exception `exc` with codes code[0..codeCnt)
 * for the current thread, which is in user mode's trap path.  Returns if
 * a handler dealt with it (the thread resumes); otherwise the task is
 * terminated and the thread dies on its way out.
 */
void exception_triage(exception_type_t exc, const integer_t *code, unsigned codeCnt);

#endif
