/*
 * mach/boolean.h - the Mach boolean type.
 *
 * boolean_t is `int` in XNU's i386 ABI (only x86_64 user code has
 * `unsigned int`).  It appears in message bodies and info structures, so its
 * width is part of the ABI.
 */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

typedef int	boolean_t;

_Static_assert(sizeof(boolean_t) == 4, "boolean_t is 32 bits on i386");

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

#endif /* _MACH_BOOLEAN_H_ */
