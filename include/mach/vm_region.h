/*
 * mach/vm_region.h - what vm_region() reports about a region of a map
 * (flavors, numbers and layouts as in XNU's osfmk/mach/vm_region.h).
 *
 * The records are built of 32-bit fields and packed to 4 bytes, as XNU
 * declares them, so the i386 layout holds on any host.  A count is in
 * ints: VM_REGION_BASIC_INFO_COUNT is 8, VM_REGION_BASIC_INFO_COUNT_64 9.
 *
 * This kernel implements VM_REGION_BASIC_INFO and VM_REGION_BASIC_INFO_64
 * (the same facts; the 64 form has a 64-bit offset).  Memory is anonymous
 * and private, so shared is FALSE, offset 0, behavior VM_BEHAVIOR_DEFAULT
 * and user_wired_count 0.
 */
#ifndef _MACH_VM_REGION_H_
#define _MACH_VM_REGION_H_

#include <mach/machine/types.h>
#include <mach/boolean.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/vm_types.h>
#include <mach/message.h>

/* Paging behaviour of a region (XNU's mach/vm_behavior.h). */
typedef int	vm_behavior_t;
#ifndef VM_BEHAVIOR_DEFAULT
#define VM_BEHAVIOR_DEFAULT	((vm_behavior_t) 0)
#endif

/* Offset into a memory object (XNU's memory_object_types.h). */
typedef uint64_t	memory_object_offset_t;

typedef int	*vm_region_info_t;
typedef int	*vm_region_info_64_t;
typedef int	*vm_region_recurse_info_t;
typedef int	*vm_region_recurse_info_64_t;
typedef int	vm_region_flavor_t;

#define VM_REGION_INFO_MAX	1024
typedef int	vm_region_info_data_t[VM_REGION_INFO_MAX];

#pragma pack(push, 4)

#define VM_REGION_BASIC_INFO_64		9
struct vm_region_basic_info_64 {
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	boolean_t		shared;
	boolean_t		reserved;
	memory_object_offset_t	offset;
	vm_behavior_t		behavior;
	unsigned short		user_wired_count;
};
typedef struct vm_region_basic_info_64	*vm_region_basic_info_64_t;
typedef struct vm_region_basic_info_64	vm_region_basic_info_data_64_t;

#define VM_REGION_BASIC_INFO_COUNT_64 ((mach_msg_type_number_t) \
	(sizeof(vm_region_basic_info_data_64_t) / sizeof(int)))

#define VM_REGION_BASIC_INFO		10
/* The legacy form: the object offset is only 32 bits. */
struct vm_region_basic_info {
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	boolean_t		shared;
	boolean_t		reserved;
	uint32_t		offset;
	vm_behavior_t		behavior;
	unsigned short		user_wired_count;
};
typedef struct vm_region_basic_info	*vm_region_basic_info_t;
typedef struct vm_region_basic_info	vm_region_basic_info_data_t;

#define VM_REGION_BASIC_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(vm_region_basic_info_data_t) / sizeof(int)))

#pragma pack(pop)

_Static_assert(sizeof(struct vm_region_basic_info) == 32,
    "vm_region_basic_info is 8 ints");
_Static_assert(__builtin_offsetof(struct vm_region_basic_info, offset) == 20 &&
    __builtin_offsetof(struct vm_region_basic_info, user_wired_count) == 28,
    "vm_region_basic_info layout");
_Static_assert(sizeof(struct vm_region_basic_info_64) == 36,
    "vm_region_basic_info_64 is 9 ints");
_Static_assert(__builtin_offsetof(struct vm_region_basic_info_64, offset) == 20 &&
    __builtin_offsetof(struct vm_region_basic_info_64, user_wired_count) == 32,
    "vm_region_basic_info_64 layout");

#endif /* _MACH_VM_REGION_H_ */
