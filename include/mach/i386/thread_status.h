/*
 * mach/i386/thread_status.h - i386 thread state flavors and structures.
 *
 * Flavor numbers are XNU's (osfmk/mach/i386/thread_status.h, xnu-1228 and
 * later): i386_THREAD_STATE is 1, the same flavor as x86_THREAD_STATE32.
 * (xnu-792 and OSF Mach used -1 for i386_THREAD_STATE and 1 for
 * i386_NEW_THREAD_STATE, a differently ordered frame; not used here.)
 * Counts are in natural_t (4-byte) units.
 */
#ifndef _MACH_I386_THREAD_STATUS_H_
#define _MACH_I386_THREAD_STATUS_H_

#include <mach/machine/types.h>

#define i386_THREAD_STATE	1
#define i386_FLOAT_STATE	2
#define i386_EXCEPTION_STATE	3

#define x86_THREAD_STATE32	1
#define x86_FLOAT_STATE32	2
#define x86_EXCEPTION_STATE32	3
#define x86_THREAD_STATE64	4
#define x86_FLOAT_STATE64	5
#define x86_EXCEPTION_STATE64	6
#define x86_THREAD_STATE	7
#define x86_FLOAT_STATE		8
#define x86_EXCEPTION_STATE	9
#define x86_DEBUG_STATE32	10
#define x86_DEBUG_STATE64	11
#define x86_DEBUG_STATE		12
#define THREAD_STATE_NONE	13

/*
 * Largest state, in natural_t units: the size of thread_state_data_t and
 * the bound on any count passed in.  144 is XNU's i386 value before 10.7
 * (later SDKs raised it to 224/244, then 614, for AVX state).
 */
#define I386_THREAD_STATE_MAX	144
#define THREAD_STATE_MAX	I386_THREAD_STATE_MAX

/* User-visible registers, in XNU's order (not the trap frame's). */
typedef struct {
	uint32_t	eax;
	uint32_t	ebx;
	uint32_t	ecx;
	uint32_t	edx;
	uint32_t	edi;
	uint32_t	esi;
	uint32_t	ebp;
	uint32_t	esp;
	uint32_t	ss;
	uint32_t	eflags;
	uint32_t	eip;
	uint32_t	cs;
	uint32_t	ds;
	uint32_t	es;
	uint32_t	fs;
	uint32_t	gs;
} i386_thread_state_t;

typedef i386_thread_state_t	x86_thread_state32_t;

#define i386_THREAD_STATE_COUNT		((uint32_t) \
	(sizeof(i386_thread_state_t) / sizeof(uint32_t)))
#define x86_THREAD_STATE32_COUNT	i386_THREAD_STATE_COUNT

_Static_assert(sizeof(i386_thread_state_t) == 64, "i386 thread state");
_Static_assert(__builtin_offsetof(i386_thread_state_t, eip) == 40,
    "eip is the 11th word");
_Static_assert(__builtin_offsetof(i386_thread_state_t, gs) == 60,
    "gs is the last word");

/* Fault details: trap number, CPU, error code, faulting address (cr2). */
typedef struct {
	uint16_t	trapno;
	uint16_t	cpu;
	uint32_t	err;
	uint32_t	faultvaddr;
} i386_exception_state_t;

typedef i386_exception_state_t	x86_exception_state32_t;

#define i386_EXCEPTION_STATE_COUNT	((uint32_t) \
	(sizeof(i386_exception_state_t) / sizeof(uint32_t)))
#define x86_EXCEPTION_STATE32_COUNT	i386_EXCEPTION_STATE_COUNT

_Static_assert(sizeof(i386_exception_state_t) == 12, "i386 exception state");

/* Debug registers dr0..dr7. */
typedef struct {
	uint32_t	dr0;
	uint32_t	dr1;
	uint32_t	dr2;
	uint32_t	dr3;
	uint32_t	dr4;
	uint32_t	dr5;
	uint32_t	dr6;
	uint32_t	dr7;
} x86_debug_state32_t;

#define x86_DEBUG_STATE32_COUNT		((uint32_t) \
	(sizeof(x86_debug_state32_t) / sizeof(uint32_t)))

_Static_assert(sizeof(x86_debug_state32_t) == 32, "i386 debug state");

/* The flavor exception messages carry by default on this machine. */
#define MACHINE_THREAD_STATE		i386_THREAD_STATE
#define MACHINE_THREAD_STATE_COUNT	i386_THREAD_STATE_COUNT

#define THREAD_MACHINE_STATE_MAX	THREAD_STATE_MAX

#endif /* _MACH_I386_THREAD_STATUS_H_ */
