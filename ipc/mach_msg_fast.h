/*
 * The mach_msg hot path and its counters (readable with the
 * mk_hotpath_counters RPC and from the debugger).
 */
#ifndef _IPC_MACH_MSG_FAST_H_
#define _IPC_MACH_MSG_FAST_H_

#include <ipc/mach_msg.h>

#include <mach/mk_hotpath.h>

/* The kernel's name for the counter list of <mach/mk_hotpath.h>. */
#define MACH_MSG_COUNTERS(X)	MK_HOTPATH_COUNTERS(X)

extern uint32_t mach_msg_counters[MMC_COUNT];
extern unsigned mach_msg_counters_count;
extern const char *const mach_msg_counter_names[MMC_COUNT];

struct trapframe;
/* Both message traps: arguments from the user stack, result in tf->eax. */
void mach_msg_trap_frame(struct trapframe *tf);

#endif
