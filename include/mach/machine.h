/*
 * mach/machine.h - CPU type identifiers reported by host_info (XNU
 * osfmk/mach/machine.h).  Only what this i386 system reports.
 */
#ifndef _MACH_MACHINE_H_
#define _MACH_MACHINE_H_

#include <mach/vm_types.h>

typedef integer_t	cpu_type_t;
typedef integer_t	cpu_subtype_t;
typedef integer_t	cpu_threadtype_t;

#define CPU_ARCH_ABI64		0x01000000	/* 64-bit ABI flag */

#define CPU_TYPE_ANY		((cpu_type_t) -1)
#define CPU_TYPE_X86		((cpu_type_t) 7)
#define CPU_TYPE_I386		CPU_TYPE_X86	/* compatibility */

/* Intel subtypes are model + (family << 4). */
#define CPU_SUBTYPE_INTEL(f, m)	((cpu_subtype_t) (f) + ((m) << 4))
#define CPU_SUBTYPE_I386_ALL	CPU_SUBTYPE_INTEL(3, 0)
#define CPU_SUBTYPE_X86_ALL	((cpu_subtype_t) 3)

#define CPU_THREADTYPE_NONE	((cpu_threadtype_t) 0)

/* Indices of host_cpu_load_info ticks. */
#define CPU_STATE_MAX		4
#define CPU_STATE_USER		0
#define CPU_STATE_SYSTEM	1
#define CPU_STATE_IDLE		2
#define CPU_STATE_NICE		3

#endif /* _MACH_MACHINE_H_ */
