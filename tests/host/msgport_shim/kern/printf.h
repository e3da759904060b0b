/*
 * Host shim of <kern/printf.h>: the C library's printf.
 */
#ifndef _SHIM_KERN_PRINTF_H_
#define _SHIM_KERN_PRINTF_H_

#include <stdio.h>

#endif
