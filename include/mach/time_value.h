/*
 * mach/time_value.h - seconds and microseconds, as in task and thread
 * info structures (XNU osfmk/mach/time_value.h).
 */
#ifndef _MACH_TIME_VALUE_H_
#define _MACH_TIME_VALUE_H_

#include <mach/vm_types.h>

typedef struct time_value {
	integer_t	seconds;
	integer_t	microseconds;	/* 0 .. TIME_MICROS_MAX - 1 */
} time_value_t;

#define TIME_MICROS_MAX	(1000000)

_Static_assert(sizeof(time_value_t) == 8, "time_value_t layout");

#endif /* _MACH_TIME_VALUE_H_ */
