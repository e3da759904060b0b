/*
 * mach/task_info.h - task_info flavors and structures (XNU
 * osfmk/mach/task_info.h).  Counts are in natural_t units.
 */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <mach/vm_types.h>
#include <mach/message.h>
#include <mach/time_value.h>
#include <mach/policy.h>

typedef natural_t	task_flavor_t;
typedef integer_t	*task_info_t;		/* variable-length array */

#define TASK_INFO_MAX	(1024)			/* longest info, in words */
typedef integer_t	task_info_data_t[TASK_INFO_MAX];

#pragma pack(push, 4)

/* Sizes as 32-bit values; the only basic-info form on i386. */
#define TASK_BASIC_INFO_32	4

struct task_basic_info_32 {
	integer_t	suspend_count;	/* times suspended */
	natural_t	virtual_size;	/* bytes mapped */
	natural_t	resident_size;	/* bytes resident */
	time_value_t	user_time;	/* user time of terminated threads */
	time_value_t	system_time;	/* system time of terminated threads */
	policy_t	policy;		/* default policy of new threads */
};
typedef struct task_basic_info_32	task_basic_info_32_data_t;
typedef struct task_basic_info_32	*task_basic_info_32_t;
#define TASK_BASIC_INFO_32_COUNT	((mach_msg_type_number_t) \
	(sizeof(task_basic_info_32_data_t) / sizeof(natural_t)))

/* On i386, TASK_BASIC_INFO is the 32-bit flavor and struct. */
#define TASK_BASIC_INFO		TASK_BASIC_INFO_32
typedef struct task_basic_info_32	task_basic_info_data_t;
typedef struct task_basic_info_32	*task_basic_info_t;
#define TASK_BASIC_INFO_COUNT	TASK_BASIC_INFO_32_COUNT

#define TASK_EVENTS_INFO	2	/* event counters */

struct task_events_info {
	integer_t	faults;			/* page faults */
	integer_t	pageins;		/* actual pageins */
	integer_t	cow_faults;		/* copy-on-write faults */
	integer_t	messages_sent;		/* messages sent */
	integer_t	messages_received;	/* messages received */
	integer_t	syscalls_mach;		/* Mach traps */
	integer_t	syscalls_unix;		/* Unix system calls */
	integer_t	csw;			/* context switches */
};
typedef struct task_events_info		task_events_info_data_t;
typedef struct task_events_info		*task_events_info_t;
#define TASK_EVENTS_INFO_COUNT		((mach_msg_type_number_t) \
	(sizeof(task_events_info_data_t) / sizeof(natural_t)))

#define TASK_THREAD_TIMES_INFO	3	/* times of live threads */

struct task_thread_times_info {
	time_value_t	user_time;
	time_value_t	system_time;
};
typedef struct task_thread_times_info	task_thread_times_info_data_t;
typedef struct task_thread_times_info	*task_thread_times_info_t;
#define TASK_THREAD_TIMES_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

#define TASK_SECURITY_TOKEN		13
#define TASK_SECURITY_TOKEN_COUNT	((mach_msg_type_number_t) \
	(sizeof(security_token_t) / sizeof(natural_t)))

#define TASK_AUDIT_TOKEN		15
#define TASK_AUDIT_TOKEN_COUNT		((mach_msg_type_number_t) \
	(sizeof(audit_token_t) / sizeof(natural_t)))

#pragma pack(pop)

_Static_assert(sizeof(struct task_basic_info_32) == 32, "task basic info");
_Static_assert(sizeof(struct task_events_info) == 32, "task events info");
_Static_assert(sizeof(struct task_thread_times_info) == 16,
    "task thread times info");

#endif /* _MACH_TASK_INFO_H_ */
