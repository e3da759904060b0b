/*
 * Boot sequence after the machine is up.
 */
#ifndef _KERN_STARTUP_H_
#define _KERN_STARTUP_H_

#include <kern/types.h>

extern char _kernel_start[], _kernel_end[], _etext[];

struct boot_info {
	char loader[64];
};
extern struct boot_info boot_info;

/* Start the scheduler and the first threads; never returns. */
void kernel_startup(void) __noreturn;


#endif
