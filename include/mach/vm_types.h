/*
 * mach/vm_types.h - machine-sized scalar types of the Mach ABI.
 *
 * As in XNU's i386 flavour (osfmk/mach/i386/vm_types.h): natural_t and
 * integer_t are 32 bits; the vm_* address and size types are pointer sized,
 * which on the target is 32 bits as well.  Types that appear inside ABI
 * structures are always built from natural_t/integer_t, never from the vm_*
 * types, so layouts do not change on a 64-bit host.
 */
#ifndef _MACH_VM_TYPES_H_
#define _MACH_VM_TYPES_H_

#include <mach/machine/types.h>

typedef uint32_t	natural_t;	/* unsigned machine word of the ABI */
typedef int32_t		integer_t;	/* signed machine word of the ABI */

typedef uintptr_t	vm_offset_t;	/* address or offset in a map */
typedef uintptr_t	vm_size_t;	/* size of a region of a map */
typedef vm_offset_t	vm_address_t;
typedef vm_offset_t	pointer_t;	/* out-of-line data in MIG calls */

/* Fixed 64-bit forms, used where XNU fixes them (port contexts). */
typedef uint64_t	mach_vm_address_t;
typedef uint64_t	mach_vm_offset_t;
typedef uint64_t	mach_vm_size_t;

_Static_assert(sizeof(natural_t) == 4 && sizeof(integer_t) == 4,
    "natural_t and integer_t are 32 bits");
_Static_assert(sizeof(vm_offset_t) == sizeof(void *),
    "vm_offset_t holds an address");

#endif /* _MACH_VM_TYPES_H_ */
