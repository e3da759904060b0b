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

bool mach_msg_fast(const struct mach_msg_overwrite_trap_args *a, mach_msg_return_t *mrp);

#endif
