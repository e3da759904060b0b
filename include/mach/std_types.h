/*
 * mach/std_types.h - the standard scalar types every Mach interface uses.
 */
#ifndef _MACH_STD_TYPES_H_
#define _MACH_STD_TYPES_H_

#include <mach/machine/types.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/port.h>

#endif /* _MACH_STD_TYPES_H_ */
