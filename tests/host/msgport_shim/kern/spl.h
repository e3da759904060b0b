/*
 * Host shim of critical sections (see shim.c).
 */
#ifndef _SHIM_KERN_SPL_H_
#define _SHIM_KERN_SPL_H_

void crit_enter(void);
void crit_exit(void);

#endif
