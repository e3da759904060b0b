/*
 * mach/thread_switch.h - options of thread_switch (XNU
 * osfmk/mach/thread_switch.h).
 */
#ifndef _MACH_THREAD_SWITCH_H_
#define _MACH_THREAD_SWITCH_H_

#define SWITCH_OPTION_NONE	0	/* just yield, to the hint if possible */
#define SWITCH_OPTION_DEPRESS	1	/* also depress priority for option_time ms */
#define SWITCH_OPTION_WAIT	2	/* also block for option_time ms */

#endif /* _MACH_THREAD_SWITCH_H_ */
