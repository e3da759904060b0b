/*
 * Recovery from expected kernel-mode traps.
 *
 * copyin/copyout set copy_recover to a resume address for the duration
 * of the copy; a page fault on a user address that the VM system cannot
 * resolve then resumes there with an error instead of panicking.
 *
 * Self-tests that provoke a trap on purpose (int3, divide error) arm a
 * trap_catch: the trap is counted, its error code and CR2 recorded, and
 * execution resumes at catch->resume (or after an int3 if resume is 0).
 */
#ifndef _MACHINE_TRAP_CATCH_H_
#define _MACHINE_TRAP_CATCH_H_

#include <kern/types.h>

struct trap_catch {
	int vector;		/* the one trap to catch */
	uintptr_t resume;	/* where to continue; 0 = where the CPU says */
	int hits;
	uint32_t err, cr2;
};

extern uintptr_t copy_recover;		/* per CPU; 0 when not copying */
extern struct trap_catch *trap_catcher;	/* armed by self-tests */

#endif
