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

/*
 * A thread waiting in the hot path has a receive buffer known to lie in
 * user space for FAST_RCV_SPAN bytes (ith_rcv_buf, else it waits as
 * ITH_FAST_NONE).  The assembly path (arch/i386/msg_fast.S) takes
 * messages of up to FAST_ASM_MAX_SEND bytes, which with any trailer it
 * makes fit in that span, so it copies to a waiter's buffer unchecked.
 */
#define FAST_RCV_SPAN		256
#define FAST_ASM_MAX_SEND	148
_Static_assert(FAST_ASM_MAX_SEND + sizeof(mach_msg_format_0_trailer_t) <= FAST_RCV_SPAN &&
	       FAST_ASM_MAX_SEND <= FAST_MAX_SEND, "the assembly's messages fit");
_Static_assert(((FAST_ASM_MAX_SEND - sizeof(mach_msg_header_t)) &
		(FAST_ASM_MAX_SEND - sizeof(mach_msg_header_t) + 4)) == 0,
	       "msg_fast.S tests the size with one mask: max - header + 4 a power of 2");

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

/*
 * Messages msg_fast.S delivered.  Each is one more combined_S_R, handoff,
 * fast_copyout_ok and kmsg_cache_hits, kmsg cache hit, direct delivery,
 * context switch and handoff; the assembly counts it in this one word,
 * and mach_msg_counters_sync() adds it to all of those.
 */
extern uint32_t mach_msg_asm_deliveries;
/* Fold mach_msg_asm_deliveries into the counters; before reading them. */
void mach_msg_counters_sync(void);

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
