/*
 * mach/vm_statistics.h - virtual memory statistics and the flags of
 * vm_allocate/vm_map (values as in XNU's osfmk/mach/vm_statistics.h).
 *
 * Of the allocation flags this kernel honours VM_FLAGS_ANYWHERE and
 * VM_FLAGS_OVERWRITE.  The other flags XNU accepts from user space are
 * accepted and have no effect, except the superpage bits: superpages are
 * not supported and a request for one fails with KERN_INVALID_ARGUMENT.
 * Flags outside VM_FLAGS_USER_ALLOCATE are refused (KERN_INVALID_ARGUMENT).
 */
#ifndef _MACH_VM_STATISTICS_H_
#define _MACH_VM_STATISTICS_H_

#include <mach/vm_types.h>

/*
 * The 32-bit statistics record of host_statistics(HOST_VM_INFO), in pages
 * (revision 2 of the structure: purgeable and speculative counts added).
 */
struct vm_statistics {
	natural_t	free_count;		/* pages free */
	natural_t	active_count;		/* pages in active use */
	natural_t	inactive_count;		/* pages inactive */
	natural_t	wire_count;		/* pages wired down */
	natural_t	zero_fill_count;	/* zero-fill faults */
	natural_t	reactivations;		/* pages reactivated */
	natural_t	pageins;
	natural_t	pageouts;
	natural_t	faults;			/* page faults resolved */
	natural_t	cow_faults;		/* copy-on-write faults */
	natural_t	lookups;		/* object cache lookups */
	natural_t	hits;			/* object cache hits */
	natural_t	purgeable_count;	/* pages purgeable */
	natural_t	purges;			/* pages purged */
	natural_t	speculative_count;	/* pages read ahead, unused */
};
typedef struct vm_statistics	*vm_statistics_t;
typedef struct vm_statistics	vm_statistics_data_t;

_Static_assert(sizeof(struct vm_statistics) == 15 * 4,
    "vm_statistics is 15 natural_t");

/* Allocation flags of vm_allocate and vm_map. */
#define VM_FLAGS_FIXED			0x00000000	/* at *address exactly */
#define VM_FLAGS_ANYWHERE		0x00000001	/* wherever it fits */
#define VM_FLAGS_PURGABLE		0x00000002
#define VM_FLAGS_4GB_CHUNK		0x00000004
#define VM_FLAGS_RANDOM_ADDR		0x00000008
#define VM_FLAGS_NO_CACHE		0x00000010
#define VM_FLAGS_RESILIENT_CODESIGN	0x00000020
#define VM_FLAGS_RESILIENT_MEDIA	0x00000040
#define VM_FLAGS_PERMANENT		0x00000080
#define VM_FLAGS_TPRO			0x00001000
#define VM_FLAGS_OVERWRITE		0x00004000	/* FIXED: replace what is there */
#define VM_FLAGS_SUPERPAGE_MASK		0x00070000
#define VM_FLAGS_RETURN_DATA_ADDR	0x00100000
#define VM_FLAGS_RETURN_4K_DATA_ADDR	0x00800000
#define VM_FLAGS_ALIAS_MASK		0xFF000000	/* user tag, VM_MAKE_TAG */

#define VM_FLAGS_SUPERPAGE_SHIFT	16
#define SUPERPAGE_NONE			0
#define SUPERPAGE_SIZE_ANY		1
#define SUPERPAGE_SIZE_2MB		2
#define VM_FLAGS_SUPERPAGE_NONE		(SUPERPAGE_NONE << VM_FLAGS_SUPERPAGE_SHIFT)
#define VM_FLAGS_SUPERPAGE_SIZE_ANY	(SUPERPAGE_SIZE_ANY << VM_FLAGS_SUPERPAGE_SHIFT)
#define VM_FLAGS_SUPERPAGE_SIZE_2MB	(SUPERPAGE_SIZE_2MB << VM_FLAGS_SUPERPAGE_SHIFT)

#define VM_FLAGS_HW			VM_FLAGS_TPRO

/* The flags vm_allocate accepts from user space. */
#define VM_FLAGS_USER_ALLOCATE	(VM_FLAGS_FIXED | VM_FLAGS_ANYWHERE |	\
				 VM_FLAGS_PURGABLE | VM_FLAGS_4GB_CHUNK | \
				 VM_FLAGS_RANDOM_ADDR | VM_FLAGS_NO_CACHE | \
				 VM_FLAGS_PERMANENT | VM_FLAGS_OVERWRITE | \
				 VM_FLAGS_SUPERPAGE_MASK | VM_FLAGS_HW | \
				 VM_FLAGS_ALIAS_MASK)
/* ... and vm_map. */
#define VM_FLAGS_USER_MAP	(VM_FLAGS_USER_ALLOCATE |		\
				 VM_FLAGS_RETURN_4K_DATA_ADDR |		\
				 VM_FLAGS_RETURN_DATA_ADDR)

/* The user tag travels in the top byte of the flags. */
#define VM_MAKE_TAG(tag)		((tag) << 24)
#define VM_GET_FLAGS_ALIAS(flags, alias) \
	((alias) = (((flags) >> 24) & 0xff))
#define VM_SET_FLAGS_ALIAS(flags, alias) \
	((flags) = (((flags) & ~VM_FLAGS_ALIAS_MASK) | \
		    (((alias) & ~VM_FLAGS_ALIAS_MASK) << 24)))

/* A few of XNU's user tags. */
#define VM_MEMORY_MALLOC		1
#define VM_MEMORY_MALLOC_SMALL		2
#define VM_MEMORY_MALLOC_LARGE		3
#define VM_MEMORY_MALLOC_HUGE		4
#define VM_MEMORY_SBRK			5
#define VM_MEMORY_REALLOC		6
#define VM_MEMORY_MALLOC_TINY		7
#define VM_MEMORY_ANALYSIS_TOOL		10
#define VM_MEMORY_MACH_MSG		20
#define VM_MEMORY_IOKIT			21
#define VM_MEMORY_STACK			30
#define VM_MEMORY_GUARD			31
#define VM_MEMORY_APPLICATION_SPECIFIC_1	240
#define VM_MEMORY_APPLICATION_SPECIFIC_16	255

#endif /* _MACH_VM_STATISTICS_H_ */
