/*
 * mach/thread_info.h - thread_info flavors and structures (XNU
 * osfmk/mach/thread_info.h).  Counts are in natural_t units.
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <mach/vm_types.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>

typedef natural_t	thread_flavor_t;
typedef integer_t	*thread_info_t;		/* variable-length array */

#define THREAD_INFO_MAX		(32)		/* longest info, in words */
typedef integer_t	thread_info_data_t[THREAD_INFO_MAX];

#define THREAD_BASIC_INFO	3		/* basic information */

struct thread_basic_info {
	time_value_t	user_time;	/* user run time */
	time_value_t	system_time;	/* system run time */
	integer_t	cpu_usage;	/* scaled by TH_USAGE_SCALE */
	policy_t	policy;		/* scheduling policy */
	integer_t	run_state;	/* TH_STATE_* */
	integer_t	flags;		/* TH_FLAGS_* */
	integer_t	suspend_count;	/* times suspended */
	integer_t	sleep_time;	/* seconds asleep */
};
typedef struct thread_basic_info	thread_basic_info_data_t;
typedef struct thread_basic_info	*thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

/* cpu_usage is in units of 1/TH_USAGE_SCALE of a CPU. */
#define TH_USAGE_SCALE		1000

/* run_state */
#define TH_STATE_RUNNING	1	/* running normally */
#define TH_STATE_STOPPED	2	/* stopped */
#define TH_STATE_WAITING	3	/* waiting normally */
#define TH_STATE_UNINTERRUPTIBLE 4	/* waiting, not interruptible */
#define TH_STATE_HALTED		5	/* halted at a clean point */

/* flags */
#define TH_FLAGS_SWAPPED	0x1	/* swapped out */
#define TH_FLAGS_IDLE		0x2	/* an idle thread */

_Static_assert(sizeof(struct thread_basic_info) == 40, "thread basic info");

#endif /* _MACH_THREAD_INFO_H_ */
