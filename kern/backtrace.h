/*
 * Symbolized stack backtraces by frame-pointer walk (the kernel is built
 * with -fno-omit-frame-pointer).
 */
#ifndef _KERN_BACKTRACE_H_
#define _KERN_BACKTRACE_H_

#include <kern/types.h>

/* Print "  #n addr func+off" for eip, then for each frame from ebp. */
void backtrace_print(uintptr_t eip, uintptr_t ebp);
/* Print one symbolized address as "func+0xoff" (or the bare address). */
void print_symbol(uintptr_t addr);

#endif
