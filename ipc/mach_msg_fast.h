/*
 * The mach_msg hot path and its counters (readable with the
 * mk_hotpath_counters RPC and from the debugger).
 */
#ifndef _IPC_MACH_MSG_FAST_H_
#define _IPC_MACH_MSG_FAST_H_

#include <ipc/mach_msg.h>

#define MACH_MSG_COUNTERS(X)						\
	X(combined_S_R,		"send+receive calls tried on the hot path")	\
	X(handoff,		"direct handoffs to a waiting receiver")	\
	X(kernel_send,		"requests to kernel objects")		\
	X(fast_kernel_reply,	"kernel replies taken at once")		\
	X(fast_copyout_ok,	"receives finished by fast_copyout")	\
	X(slow_copyout,		"receives finished by the general copyout")	\
	X(slow_send,		"hot-path messages sent the general way")	\
	X(fall_options,		"fall-off: options")			\
	X(fall_send_size,	"fall-off: send size")			\
	X(fall_copyin,		"fall-off: copyin fault")		\
	X(fall_voucher,		"fall-off: voucher")			\
	X(fall_header_shape,	"fall-off: header bits")		\
	X(fall_reply_not_rcv_name, "fall-off: reply port is not rcv_name")	\
	X(fall_request_rights,	"fall-off: request rights")		\
	X(fall_reply_has_reply_port, "fall-off: reply with a reply port")	\
	X(fall_reply_rights,	"fall-off: reply rights")		\
	X(fall_dead_dest,	"fall-off: dead destination")		\
	X(fall_kernel_reply,	"fall-off: kernel reply not direct")	\
	X(fall_rcv_name,	"fall-off: rcv_name")			\
	X(fall_rcv_port_busy,	"fall-off: messages queued or set")	\
	X(fall_no_receiver,	"fall-off: no receiver waiting")	\
	X(fall_receiver_too_small, "fall-off: receiver buffer too small")

enum {
#define X(name, desc) MMC_##name,
	MACH_MSG_COUNTERS(X)
#undef X
	MMC_COUNT
};

extern uint32_t mach_msg_counters[MMC_COUNT];
extern unsigned mach_msg_counters_count;
extern const char *const mach_msg_counter_names[MMC_COUNT];

bool mach_msg_fast(const struct mach_msg_overwrite_trap_args *a, mach_msg_return_t *mrp);

#endif
