/*
 * mach/mk_long_ipc.h - L4-style long IPC: the trap, its message buffer
 * and its return codes.
 *
 * Long IPC moves dwords and strings straight from the sender's memory
 * into the receiver's, with no kernel buffer in between: the kernel maps
 * the receiver's buffer into a window of the sender's address space
 * (two 4 MiB page-directory slots, see arch/i386/lipc_window.c) and
 * copies once.  A transfer is a rendezvous between one sending thread
 * and one receiving thread that waits on a port:
 *
 *   - the sender names the destination by a SEND right in its own space;
 *   - the receiver names a RECEIVE right in its own space and waits on it;
 *   - whichever arrives first waits (FIFO per port) for the other, or
 *     until its timeout.  The copy happens in the sender's context.
 *
 * The trap (number MK_TRAP_LONG_IPC = 0x1010, <mach/mk_traps.h>), six
 * argument words, same entry convention as every trap (int $0x80, trap
 * number in EAX, cdecl arguments on the user stack, result in EAX):
 *
 *   mach_msg_return_t mk_long_ipc(uint32_t option,
 *                                 mach_port_name_t dest, const mk_lipc_msg_t *snd,
 *                                 mach_port_name_t rcv_name, mk_lipc_msg_t *rcv,
 *                                 uint32_t timeout_ms);
 *
 * option: MK_LIPC_SEND and/or MK_LIPC_RCV (both: a call, the send first,
 * then the receive; the receive is skipped if the send fails), plus
 * MK_LIPC_SEND_TIMEOUT / MK_LIPC_RCV_TIMEOUT to bound each wait by
 * timeout_ms (0: do not wait at all); without them a phase waits as long
 * as it takes.  MK_LIPC_STATS alone copies struct mk_lipc_stats to snd.
 *
 * Message buffer (one layout for both directions, 4-byte aligned words):
 *
 *   +0   lm_dwords        send: dwords that follow; receive: room for dwords
 *   +4   lm_strings       send: string dopes; receive: receive buffers
 *   +8   lm_rcv_dwords    receive result: dwords that arrived
 *   +12  lm_rcv_strings   receive result: strings that arrived
 *   +16  lm_dwords words of data (send: the payload; receive: the room)
 *   then lm_strings string dopes { address, size, xfer }
 *
 * A send dope names a string in the sender's memory (ls_addr, ls_size);
 * ls_xfer is ignored.  A receive dope names a buffer in the receiver's
 * memory; string i of the message lands in buffer i, and the kernel sets
 * ls_xfer to the bytes that arrived (0 for buffers beyond the message's
 * strings).  The kernel writes a receive buffer's results only after the
 * receive ends; on MACH_RCV_TOO_LARGE the results say what the sender
 * offered (dwords, strings, each string's size) and nothing else of the
 * receiver's memory has changed.
 *
 * Limits: at most MK_LIPC_MAX_DWORDS dwords and MK_LIPC_MAX_STRINGS
 * strings per message; a string may be as large as user space.  A
 * receiver may offer more room or more buffers; the extra is unused.
 *
 * Checks, all made before a byte is copied:
 *   - every part of both buffers (header, dwords, dopes) and every string
 *     lies in user space [0x1000, 0xc0000000) without wrapping;
 *   - the message fits: dwords <= room, strings <= buffers, and each
 *     string <= its buffer, else "message truncated" on both sides;
 *   - the sender's data is mapped readable and the receiver's target
 *     ranges are mapped writable in their tasks' maps.
 * Errors in a side's own buffer layout (the first check) are found before
 * the rendezvous and concern that side only; the others are found once
 * the partner is known and end the transfer for both.
 *
 * Return codes (XNU's numeric values, <mach/message.h>):
 *
 *   sender (MK_LIPC_SEND phase)
 *     MACH_MSG_SUCCESS            delivered
 *     MACH_SEND_INVALID_DEST      dest is not a send right, or its port
 *                                 died (also while waiting)
 *     MACH_SEND_INVALID_DATA      snd buffer, a dope or a string outside
 *                                 user space or unreadable (the bad sender
 *                                 address); if a receiver had been chosen
 *                                 it gets MK_LIPC_RCV_ABORTED
 *     MACH_SEND_INVALID_HEADER    more than MK_LIPC_MAX_DWORDS dwords or
 *                                 MK_LIPC_MAX_STRINGS strings
 *     MACH_SEND_TOO_LARGE         message truncated: it does not fit the
 *                                 receiver's buffers (receiver: RCV_TOO_LARGE)
 *     MACH_SEND_INVALID_MEMORY    the receiver's target memory is not
 *                                 mapped writable (receiver: RCV_INVALID_DATA)
 *     MACH_SEND_TIMED_OUT         no receiver within the timeout
 *     MACH_SEND_INTERRUPTED       the wait was interrupted (thread abort)
 *     MACH_SEND_INVALID_OPTIONS   unknown option bits
 *
 *   receiver (MK_LIPC_RCV phase)
 *     MACH_MSG_SUCCESS            received; results in the rcv buffer
 *     MACH_RCV_INVALID_NAME       rcv_name is not a receive right
 *     MACH_RCV_INVALID_DATA       rcv buffer, a dope or a receive buffer
 *                                 outside user space or unreadable; or, at
 *                                 transfer time, a target range not mapped
 *                                 writable (the sender gets
 *                                 MACH_SEND_INVALID_MEMORY)
 *     MACH_RCV_INVALID_ARGUMENTS  more than MK_LIPC_MAX_STRINGS buffers
 *     MACH_RCV_TOO_LARGE          message truncated (see above)
 *     MK_LIPC_RCV_ABORTED         the sender's data was bad; the receiver's
 *                                 memory is untouched if the sender's
 *                                 range was found unmapped before copying
 *                                 (always, except on memory shortage)
 *     MACH_RCV_TIMED_OUT          no sender within the timeout
 *     MACH_RCV_INTERRUPTED        the wait was interrupted (thread abort)
 *     MACH_RCV_PORT_DIED          the receive right died or left the space
 *                                 while waiting
 *     MACH_RCV_HEADER_ERROR       the results could not be written back
 */
#ifndef _MACH_MK_LONG_IPC_H_
#define _MACH_MK_LONG_IPC_H_

#include <mach/message.h>

/* option bits (same values as the MACH_SEND_ / MACH_RCV_ counterparts) */
#define MK_LIPC_SEND		0x00000001u
#define MK_LIPC_RCV		0x00000002u
#define MK_LIPC_SEND_TIMEOUT	0x00000010u
#define MK_LIPC_RCV_TIMEOUT	0x00000100u
#define MK_LIPC_STATS		0x00010000u	/* alone: copy out mk_lipc_stats */
#define MK_LIPC_OPTIONS_ALL	(MK_LIPC_SEND | MK_LIPC_RCV | MK_LIPC_SEND_TIMEOUT | \
				 MK_LIPC_RCV_TIMEOUT | MK_LIPC_STATS)

#define MK_LIPC_MAX_DWORDS	1024u
#define MK_LIPC_MAX_STRINGS	16u

/* "aborted": the receive ended because the sender's data was bad. */
#define MK_LIPC_RCV_ABORTED	MACH_RCV_BODY_ERROR

typedef struct mk_lipc_string {
	uint32_t ls_addr;	/* user address of the string or buffer */
	uint32_t ls_size;	/* send: bytes to send; receive: buffer size */
	uint32_t ls_xfer;	/* receive result: bytes that arrived */
} mk_lipc_string_t;

/* The header; lm_dwords words and then lm_strings dopes follow it. */
typedef struct mk_lipc_msg {
	uint32_t lm_dwords;		/* send: dwords; receive: room */
	uint32_t lm_strings;		/* send: dopes; receive: buffers */
	uint32_t lm_rcv_dwords;		/* receive result */
	uint32_t lm_rcv_strings;	/* receive result */
} mk_lipc_msg_t;

#define MK_LIPC_HEADER_SIZE	16u
#define MK_LIPC_DOPE_SIZE	12u

_Static_assert(sizeof(mk_lipc_string_t) == MK_LIPC_DOPE_SIZE, "string dope layout");
_Static_assert(__builtin_offsetof(mk_lipc_string_t, ls_addr) == 0, "ls_addr");
_Static_assert(__builtin_offsetof(mk_lipc_string_t, ls_size) == 4, "ls_size");
_Static_assert(__builtin_offsetof(mk_lipc_string_t, ls_xfer) == 8, "ls_xfer");
_Static_assert(sizeof(mk_lipc_msg_t) == MK_LIPC_HEADER_SIZE, "message header layout");
_Static_assert(__builtin_offsetof(mk_lipc_msg_t, lm_dwords) == 0, "lm_dwords");
_Static_assert(__builtin_offsetof(mk_lipc_msg_t, lm_strings) == 4, "lm_strings");
_Static_assert(__builtin_offsetof(mk_lipc_msg_t, lm_rcv_dwords) == 8, "lm_rcv_dwords");
_Static_assert(__builtin_offsetof(mk_lipc_msg_t, lm_rcv_strings) == 12, "lm_rcv_strings");

/* Bytes of a buffer with d dwords and s dopes. */
#define MK_LIPC_MSG_SIZE(d, s) \
	(MK_LIPC_HEADER_SIZE + 4u * (d) + MK_LIPC_DOPE_SIZE * (s))
/*
 * The dwords of the buffer whose header is at msg, and its dopes (after
 * its lm_dwords words).  A buffer is typically declared as
 *   struct { mk_lipc_msg_t m; uint32_t dw[N]; mk_lipc_string_t d[M]; }
 * with m.lm_dwords = N and m.lm_strings = M.
 */
#define MK_LIPC_DWORDS(msg)	((uint32_t *)(void *)((char *)(msg) + MK_LIPC_HEADER_SIZE))
#define MK_LIPC_STRINGS(msg)	((mk_lipc_string_t *)(void *)(MK_LIPC_DWORDS(msg) + (msg)->lm_dwords))

/*
 * Counters since boot (MK_LIPC_STATS), for tests that must see the
 * mechanism at work.
 */
struct mk_lipc_stats {
	uint32_t transfers;		/* rendezvous that ended in a copy attempt */
	uint32_t bytes;			/* bytes copied (dwords and strings) */
	uint32_t window_moves;		/* window (re)positioned on a receiver region */
	uint32_t window_faults;		/* page faults inside the window */
	uint32_t pde_refills;		/* ... resolved by re-copying a receiver PDE */
	uint32_t receiver_faults;	/* ... that needed vm_fault in the receiver */
	uint32_t receiver_aborts;	/* ... that the receiver's map could not resolve */
	uint32_t sender_aborts;		/* copies ended by a fault on the sender's side */
	uint32_t switch_unloads;	/* windows torn down by a context switch */
	uint32_t tlb_full_flushes;	/* window flushes done by reloading CR3 */
};

#ifndef KERNEL
/* The trap; see above. */
mach_msg_return_t mk_long_ipc(uint32_t option, mach_port_name_t dest,
			      const mk_lipc_msg_t *snd, mach_port_name_t rcv_name,
			      mk_lipc_msg_t *rcv, uint32_t timeout_ms);
/*
 * Send only (MK_LIPC_SEND).  option_extra: 0 or MK_LIPC_SEND_TIMEOUT (then
 * timeout_ms bounds the wait); likewise MK_LIPC_RCV_TIMEOUT below.
 */
mach_msg_return_t mk_lipc_send(mach_port_name_t dest, const mk_lipc_msg_t *snd,
			       uint32_t option_extra, uint32_t timeout_ms);
/* Receive only (MK_LIPC_RCV). */
mach_msg_return_t mk_lipc_receive(mach_port_name_t rcv_name, mk_lipc_msg_t *rcv,
				  uint32_t option_extra, uint32_t timeout_ms);
/* Send, then receive (MK_LIPC_SEND | MK_LIPC_RCV). */
mach_msg_return_t mk_lipc_call(mach_port_name_t dest, const mk_lipc_msg_t *snd,
			       mach_port_name_t rcv_name, mk_lipc_msg_t *rcv,
			       uint32_t option_extra, uint32_t timeout_ms);
/* Copy the kernel's long-IPC counters into *st. */
kern_return_t mk_lipc_get_stats(struct mk_lipc_stats *st);
#endif

#endif /* _MACH_MK_LONG_IPC_H_ */
