/*
 * The system clock: ticks at HZ from the PIT.
 */
#ifndef _KERN_CLOCK_H_
#define _KERN_CLOCK_H_

#include <kern/types.h>

extern volatile uint64_t ticks;		/* since boot */

void clock_init(void);
static inline uint64_t clock_ticks(void) { return ticks; }

#endif
