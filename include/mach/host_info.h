/*
 * mach/host_info.h - host_info flavors and structures (XNU
 * osfmk/mach/host_info.h).  Counts are in integer_t units.
 */
#ifndef _MACH_HOST_INFO_H_
#define _MACH_HOST_INFO_H_

#include <mach/machine/types.h>
#include <mach/vm_types.h>
#include <mach/message.h>
#include <mach/machine.h>

typedef integer_t	*host_info_t;		/* variable-length array */

#define HOST_INFO_MAX	(1024)			/* longest info, in words */
typedef integer_t	host_info_data_t[HOST_INFO_MAX];

#define KERNEL_VERSION_MAX	(512)
typedef char	kernel_version_t[KERNEL_VERSION_MAX];

typedef integer_t	host_flavor_t;

/* host_info() flavors */
#define HOST_BASIC_INFO		1	/* basic info */
#define HOST_VM_INFO		2	/* virtual memory statistics */
#define HOST_SCHED_INFO		3	/* scheduling info */
#define HOST_RESOURCE_SIZES	4	/* kernel struct sizes */
#define HOST_PRIORITY_INFO	5	/* priority information */
#define HOST_SEMAPHORE_TRAPS	7	/* has semaphore traps */
#define HOST_MACH_MSG_TRAP	8	/* has mach_msg_trap */

#pragma pack(push, 4)

struct host_basic_info {
	integer_t		max_cpus;	  /* CPUs possible */
	integer_t		avail_cpus;	  /* CPUs now available */
	natural_t		memory_size;	  /* bytes, capped at 2 GB */
	cpu_type_t		cpu_type;
	cpu_subtype_t		cpu_subtype;
	cpu_threadtype_t	cpu_threadtype;
	integer_t		physical_cpu;	  /* physical CPUs available */
	integer_t		physical_cpu_max; /* physical CPUs possible */
	integer_t		logical_cpu;	  /* logical CPUs available */
	integer_t		logical_cpu_max;  /* logical CPUs possible */
	uint64_t		max_mem;	  /* actual memory size */
};

#pragma pack(pop)

typedef struct host_basic_info	host_basic_info_data_t;
typedef struct host_basic_info	*host_basic_info_t;
#define HOST_BASIC_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(host_basic_info_data_t) / sizeof(integer_t)))
/* Callers from before cpu_threadtype passed the first five words only. */
#define HOST_BASIC_INFO_OLD_COUNT	((mach_msg_type_number_t) 5)

struct host_sched_info {
	integer_t	min_timeout;	/* milliseconds */
	integer_t	min_quantum;	/* milliseconds */
};
typedef struct host_sched_info	host_sched_info_data_t;
typedef struct host_sched_info	*host_sched_info_t;
#define HOST_SCHED_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(host_sched_info_data_t) / sizeof(integer_t)))

struct host_priority_info {
	integer_t	kernel_priority;
	integer_t	system_priority;
	integer_t	server_priority;
	integer_t	user_priority;
	integer_t	depress_priority;
	integer_t	idle_priority;
	integer_t	minimum_priority;
	integer_t	maximum_priority;
};
typedef struct host_priority_info	host_priority_info_data_t;
typedef struct host_priority_info	*host_priority_info_t;
#define HOST_PRIORITY_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(host_priority_info_data_t) / sizeof(integer_t)))

_Static_assert(sizeof(struct host_basic_info) == 48, "host basic info");
_Static_assert(__builtin_offsetof(struct host_basic_info, max_mem) == 40,
    "max_mem packed to 4 bytes");
_Static_assert(sizeof(struct host_sched_info) == 8, "host sched info");
_Static_assert(sizeof(struct host_priority_info) == 32, "host priority info");

/* host_statistics(HOST_VM_INFO): XNU's counts per revision of the struct. */
#include <mach/vm_statistics.h>
#define HOST_VM_INFO_COUNT	((mach_msg_type_number_t) \
	(sizeof(vm_statistics_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO_REV0_COUNT	(HOST_VM_INFO_COUNT - 3)	/* no purgeable, purges, speculative */
#define HOST_VM_INFO_REV1_COUNT	(HOST_VM_INFO_COUNT - 1)	/* no speculative */

#endif /* _MACH_HOST_INFO_H_ */
