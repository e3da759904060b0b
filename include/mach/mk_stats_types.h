/*
 * test_mig_mk_stats_types.h - what <mach/mk_stats_types.h> must declare
 * for include/mach/mk_stats.defs.  tests/host/test_mig.sh uses this copy
 * only while the tree has no include/mach/mk_stats_types.h.
 */
#ifndef _MACH_MK_STATS_TYPES_H_
#define _MACH_MK_STATS_TYPES_H_

#include <mach/std_types.h>

/* One kernel zone, as mk_zone_info() reports it (36 bytes). */
typedef struct mk_zone_info {
	char		name[16];	/* NUL-padded */
	natural_t	elem_size;	/* bytes per element */
	natural_t	in_use;		/* elements allocated now */
	natural_t	pages;		/* pages the zone holds */
	natural_t	allocs;		/* allocations since boot */
	natural_t	frees;		/* frees since boot */
} mk_zone_info_t;

typedef mk_zone_info_t	*mk_zone_info_array_t;
typedef natural_t	*mk_counter_array_t;

#define MK_ZONE_INFO_MAX	64	/* records per mk_zone_info() reply */
#define MK_HOTPATH_COUNTERS_MAX	64	/* counters per reply */

_Static_assert(sizeof(mk_zone_info_t) == 36, "mk_zone_info_t layout");

#endif /* _MACH_MK_STATS_TYPES_H_ */
