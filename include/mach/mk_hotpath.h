/*
 * The mach_msg hot path's counters, in the order mk_hotpath_counters()
 * returns them (the kernel-statistics interface, mk_stats.defs).  The
 * X-macro gives each counter's name and meaning; the kernel and user
 * programs expand it the same way, so the indices always agree.
 */
#ifndef _MACH_MK_HOTPATH_H_
#define _MACH_MK_HOTPATH_H_

#define MK_HOTPATH_COUNTERS(X)						\
	X(combined_S_R,		"send+receive calls tried on the hot path")	\
	X(handoff,		"direct handoffs to a waiting receiver")	\
	X(kernel_send,		"requests to kernel objects")		\
	X(fast_kernel_reply,	"kernel replies taken at once")		\
	X(fast_copyout_ok,	"receives finished by fast_copyout")	\
	X(slow_copyout,		"receives finished by the general copyout")	\
	X(slow_send,		"hot-path messages sent the general way")	\
	X(kmsg_cache_hits,	"kmsgs taken from the kmsg cache")	\
	X(kmsg_cache_misses,	"cache-sized kmsgs allocated")		\
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

enum mk_hotpath_counter {
#define MK_HOTPATH_ENUM(name, desc) MMC_##name,
	MK_HOTPATH_COUNTERS(MK_HOTPATH_ENUM)
#undef MK_HOTPATH_ENUM
	MMC_COUNT
};

#endif
