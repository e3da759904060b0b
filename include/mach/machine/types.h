/*
 * mach/machine/types.h - fixed-width integer types for the Mach ABI headers.
 *
 * The kernel is freestanding and these headers must not depend on a C
 * library, so the <stdint.h> names are built from the compiler's own
 * __INTn_TYPE__ macros (GCC and clang define them on every target).  If a
 * program also includes <stdint.h>, the repeated typedefs name the same
 * types, which C11 allows.
 *
 * The ABI is that of 32-bit i386.  Types whose width is fixed by the ABI use
 * these names, never `long`, so a 64-bit host build of the headers (the host
 * unit tests) sees the same layouts as the target.
 */
#ifndef _MACH_MACHINE_TYPES_H_
#define _MACH_MACHINE_TYPES_H_

#if !defined(__INT8_TYPE__) || !defined(__UINT64_TYPE__) || \
	!defined(__INTPTR_TYPE__) || !defined(__UINTPTR_TYPE__)
#error "compiler does not provide the __INTn_TYPE__ macros"
#endif

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;

_Static_assert(sizeof(int8_t) == 1 && sizeof(uint8_t) == 1, "8-bit types");
_Static_assert(sizeof(int16_t) == 2 && sizeof(uint16_t) == 2, "16-bit types");
_Static_assert(sizeof(int32_t) == 4 && sizeof(uint32_t) == 4, "32-bit types");
_Static_assert(sizeof(int64_t) == 8 && sizeof(uint64_t) == 8, "64-bit types");
_Static_assert(sizeof(uintptr_t) == sizeof(void *), "uintptr_t holds a pointer");

/*
 * A user-space pointer stored inside an ABI structure (the address field of
 * an out-of-line descriptor).  On the target it is the pointer type itself,
 * as in XNU.  A user-view (non-KERNEL) build on a 64-bit host gets the
 * 32-bit integer the target stores instead, so that the structure keeps its
 * i386 size there; the kernel view on a host keeps real pointers.
 */
#if __SIZEOF_POINTER__ == 4 || defined(KERNEL)
#define __MACH_UPTR(type)	type
#else
#define __MACH_UPTR(type)	uint32_t
#endif

#endif /* _MACH_MACHINE_TYPES_H_ */
