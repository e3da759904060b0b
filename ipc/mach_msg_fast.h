/*
 * The mach_msg hot path and its counters (readable with the
 * mk_hotpath_counters RPC and from the debugger).
 */
#ifndef _IPC_MACH_MSG_FAST_H_
#define _IPC_MACH_MSG_FAST_H_

#include <ipc/ipc_kmsg.h>
#include <ipc/mach_msg.h>

#include <mach/mk_hotpath.h>

/* The kernel's name for the counter list of <mach/mk_hotpath.h>. */
#define MACH_MSG_COUNTERS(X)	MK_HOTPATH_COUNTERS(X)

/* The options the hot path takes: send + receive, any format-0 trailer. */
#define FAST_OPTIONS	(MACH_SEND_MSG | MACH_RCV_MSG)

/* The largest message the hot path copies: a cached kmsg with any trailer. */
#define FAST_MAX_SEND	(IKM_SAVED_MSG_SIZE - MAX_TRAILER_SIZE)
_Static_assert(FAST_MAX_SEND % 4 == 0 && FAST_MAX_SEND >= sizeof(mach_msg_header_t),
	       "the hot path copies whole words");

/* The two header shapes: as the sender gives them ... */
#define BITS_REQUEST	MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define BITS_REPLY	MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0)
/* ... once copied in (rights in transit) ... */
#define BITS_REQUEST_IN	MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE)
#define BITS_REPLY_IN	MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0)
/* ... and as the receiver gets them. */
#define BITS_REQUEST_OUT MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND)
#define BITS_REPLY_OUT	MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE)

extern uint32_t mach_msg_counters[MMC_COUNT];
extern unsigned mach_msg_counters_count;
extern const char *const mach_msg_counter_names[MMC_COUNT];

/* REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(e)), by e (for msg_fast.S). */
extern const uint8_t mach_msg_trailer_sizes[16];

struct thread;
/*
 * mach_msg_fast_resume: the hot path's receive half for a thread that
 * waited in it (ipc/mach_msg_fast.c's or arch/i386/msg_fast.S's wait) and
 * runs again: copies out a finished receive, else finishes a message a
 * general send handed over, else reports the wait's end (interrupted,
 * port died, too large).  Returns the mach_msg result.
 */
mach_msg_return_t mach_msg_fast_resume(struct thread *self, mach_msg_header_t *rcv,
				       mach_msg_option_t option);

struct trapframe;
/* Both message traps: arguments from the user stack, result in tf->eax. */
void mach_msg_trap_frame(struct trapframe *tf);

#endif
