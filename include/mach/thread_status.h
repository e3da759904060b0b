/*
 * mach/thread_status.h - machine-independent thread state interface
 * (XNU osfmk/mach/thread_status.h).  A thread state is a flavor number and
 * an array of natural_t whose length, the "count", is given in natural_t
 * units.  The i386 flavors and structures are in <mach/i386/thread_status.h>.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <mach/vm_types.h>
#include <mach/i386/thread_status.h>

typedef natural_t	*thread_state_t;	/* variable-length array */
typedef natural_t	thread_state_data_t[THREAD_STATE_MAX];

/* thread_getstatus flavors that list the supported flavors. */
#define THREAD_STATE_FLAVOR_LIST	0
#define THREAD_STATE_FLAVOR_LIST_NEW	128

typedef int			thread_state_flavor_t;
typedef thread_state_flavor_t	*thread_state_flavor_array_t;

#endif /* _MACH_THREAD_STATUS_H_ */
