/*
 * tests/host/test_abi.c - host check of the public Mach ABI headers.
 *
 * Built natively (user view, no KERNEL) and run by `make test`.  It checks
 * the i386 layouts the kernel, the user library and the stub generator all
 * depend on, and relations between constants that must hold whatever the
 * values are (a right's type bit, trailer sizes per requested element,
 * port name packing).  Output is TAP; the exit status is non-zero if any
 * check failed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mk_traps.h>

#define MAX_CHECKS	512

static struct {
	int	ok;
	char	what[160];
} results[MAX_CHECKS];
static int nchecks;
static int nfailed;

/* Record one check; on failure also keep the two values compared. */
static void
check_eq(unsigned long long got, unsigned long long want, const char *what)
{
	if (nchecks == MAX_CHECKS) {
		nfailed++;
		return;
	}
	results[nchecks].ok = (got == want);
	if (got == want)
		snprintf(results[nchecks].what, sizeof(results[0].what), "%s",
		    what);
	else
		snprintf(results[nchecks].what, sizeof(results[0].what),
		    "%s (got %#llx, want %#llx)", what, got, want);
	if (got != want)
		nfailed++;
	nchecks++;
}

#define EQ(got, want, what) \
	check_eq((unsigned long long)(got), (unsigned long long)(want), what)
#define TRUE_(cond, what)	EQ(!!(cond), 1, what)

/* The three 32-bit words of a descriptor, as the kernel reads them. */
static void
words_of(const void *desc, uint32_t w[3])
{
	memcpy(w, desc, 3 * sizeof(uint32_t));
}

static void
test_header(void)
{
	EQ(sizeof(mach_msg_header_t), 24, "header is 24 bytes");
	EQ(offsetof(mach_msg_header_t, msgh_bits), 0, "msgh_bits at 0");
	EQ(offsetof(mach_msg_header_t, msgh_size), 4, "msgh_size at 4");
	EQ(offsetof(mach_msg_header_t, msgh_remote_port), 8,
	    "msgh_remote_port at 8");
	EQ(offsetof(mach_msg_header_t, msgh_local_port), 12,
	    "msgh_local_port at 12");
	EQ(offsetof(mach_msg_header_t, msgh_voucher_port), 16,
	    "msgh_voucher_port at 16");
	EQ(offsetof(mach_msg_header_t, msgh_reserved), 16,
	    "msgh_reserved aliases msgh_voucher_port");
	EQ(offsetof(mach_msg_header_t, msgh_id), 20, "msgh_id at 20");
	EQ(sizeof(mach_msg_body_t), 4, "body count is 4 bytes");
	EQ(sizeof(mach_msg_base_t), 28, "base is header + body");
	EQ(sizeof(mach_port_name_t), 4, "port names are 32 bits");
	EQ(sizeof(mach_port_t), 4, "user mach_port_t is 32 bits");
}

static void
test_msgh_bits(void)
{
	mach_msg_bits_t b;

	b = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	EQ(MACH_MSGH_BITS_REMOTE(b), MACH_MSG_TYPE_COPY_SEND,
	    "MACH_MSGH_BITS_REMOTE undoes MACH_MSGH_BITS");
	EQ(MACH_MSGH_BITS_LOCAL(b), MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    "MACH_MSGH_BITS_LOCAL undoes MACH_MSGH_BITS");
	b = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0,
	    MACH_MSG_TYPE_COPY_SEND, MACH_MSGH_BITS_COMPLEX);
	EQ(MACH_MSGH_BITS_VOUCHER(b), MACH_MSG_TYPE_COPY_SEND,
	    "voucher disposition round-trips");
	TRUE_(MACH_MSGH_BITS_IS_COMPLEX(b), "complex bit survives BITS_SET");
	EQ(MACH_MSGH_BITS_OTHER(b), MACH_MSGH_BITS_COMPLEX,
	    "BITS_OTHER keeps only non-port bits");
	/* Every disposition fits its 5-bit field. */
	EQ(MACH_MSG_TYPE_DISPOSE_SEND_ONCE & ~MACH_MSGH_BITS_REMOTE_MASK, 0,
	    "largest disposition fits the remote field");
	EQ(MACH_MSGH_BITS_USER,
	    MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS_PORTS_MASK,
	    "user bits are the port fields and COMPLEX");
	EQ(MACH_MSGH_BITS_CIRCULAR & MACH_MSGH_BITS_USER, 0,
	    "CIRCULAR is not a user bit");
	EQ(MACH_MSGH_BITS_COMPLEX, 0x80000000u, "COMPLEX is bit 31");
}

static void
test_descriptors(void)
{
	mach_msg_descriptor_t d;
	uint32_t w[3];

	EQ(sizeof(mach_msg_type_descriptor_t), 12, "type descriptor 12 bytes");
	EQ(sizeof(mach_msg_port_descriptor_t), 12, "port descriptor 12 bytes");
	EQ(sizeof(mach_msg_ool_descriptor_t), 12, "OOL descriptor 12 bytes");
	EQ(sizeof(mach_msg_ool_ports_descriptor_t), 12,
	    "OOL ports descriptor 12 bytes");
	EQ(sizeof(mach_msg_descriptor_t), 12, "descriptor union 12 bytes");

	memset(&d, 0, sizeof(d));
	d.port.name = 0x1234;
	d.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	d.port.type = MACH_MSG_PORT_DESCRIPTOR;
	words_of(&d, w);
	EQ(w[0], 0x1234, "port descriptor: name in word 0");
	EQ(w[2], (uint32_t)MACH_MSG_TYPE_MOVE_RECEIVE << 16,
	    "port descriptor: disposition in bits 16..23 of word 2");
	d.port.type = 0xab;
	words_of(&d, w);
	EQ(w[2] >> 24, 0xab, "port descriptor: type in bits 24..31");
	EQ(d.type.type, 0xab, "any descriptor reads its type as type.type");

	memset(&d, 0, sizeof(d));
	d.out_of_line.size = 4096;
	d.out_of_line.deallocate = 1;
	d.out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
	d.out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
	words_of(&d, w);
	EQ(w[1], 4096, "OOL descriptor: size in word 1");
	EQ(w[2], 1u | (MACH_MSG_VIRTUAL_COPY << 8) |
	    ((uint32_t)MACH_MSG_OOL_DESCRIPTOR << 24),
	    "OOL descriptor: deallocate 0..7, copy 8..15, type 24..31");

	memset(&d, 0, sizeof(d));
	d.ool_ports.count = 3;
	d.ool_ports.copy = MACH_MSG_PHYSICAL_COPY;
	d.ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	d.ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	words_of(&d, w);
	EQ(w[1], 3, "OOL ports descriptor: count in word 1");
	EQ(w[2], ((uint32_t)MACH_MSG_TYPE_COPY_SEND << 16) |
	    ((uint32_t)MACH_MSG_OOL_PORTS_DESCRIPTOR << 24),
	    "OOL ports descriptor: disposition 16..23, type 24..31");
	EQ(d.type.type, MACH_MSG_OOL_PORTS_DESCRIPTOR,
	    "OOL ports type read through type descriptor");
}

static void
test_trailers(void)
{
	unsigned int n;
	static const struct {
		unsigned int	elements;
		unsigned int	size;
	} want[] = {
		{ MACH_RCV_TRAILER_NULL,   8 },
		{ MACH_RCV_TRAILER_SEQNO,  12 },
		{ MACH_RCV_TRAILER_SENDER, 20 },
		{ MACH_RCV_TRAILER_AUDIT,  52 },
		{ MACH_RCV_TRAILER_CTX,    60 },
		{ MACH_RCV_TRAILER_AV,     68 },
		{ MACH_RCV_TRAILER_LABELS, 68 },
	};
	char what[96];

	EQ(sizeof(mach_msg_trailer_t), 8, "minimum trailer 8 bytes");
	EQ(MACH_MSG_TRAILER_MINIMUM_SIZE, 8, "MACH_MSG_TRAILER_MINIMUM_SIZE");
	EQ(sizeof(mach_msg_format_0_trailer_t), 20,
	    "format-0 trailer 20 bytes");
	EQ(MACH_MSG_TRAILER_FORMAT_0_SIZE, 20, "MACH_MSG_TRAILER_FORMAT_0_SIZE");
	EQ(offsetof(mach_msg_format_0_trailer_t, msgh_seqno), 8,
	    "seqno at 8 in the trailer");
	EQ(offsetof(mach_msg_format_0_trailer_t, msgh_sender), 12,
	    "sender token at 12 in the trailer");
	EQ(offsetof(mach_msg_context_trailer_t, msgh_context), 52,
	    "context at 52 (4-byte packing)");
	EQ(MAX_TRAILER_SIZE, sizeof(mach_msg_max_trailer_t),
	    "MAX_TRAILER_SIZE is the largest trailer");
	EQ(MAX_TRAILER_SIZE, 68, "largest trailer 68 bytes");

	for (n = 0; n < sizeof(want) / sizeof(want[0]); n++) {
		mach_msg_option_t opt = MACH_RCV_MSG |
		    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		    MACH_RCV_TRAILER_ELEMENTS(want[n].elements);
		snprintf(what, sizeof(what),
		    "REQUESTED_TRAILER_SIZE for %u elements", want[n].elements);
		EQ(REQUESTED_TRAILER_SIZE(opt), want[n].size, what);
		snprintf(what, sizeof(what),
		    "GET_RCV_ELEMENTS undoes MACH_RCV_TRAILER_ELEMENTS(%u)",
		    want[n].elements);
		EQ(GET_RCV_ELEMENTS(opt), want[n].elements, what);
	}
	EQ(REQUESTED_TRAILER_SIZE(MACH_RCV_MSG | MACH_RCV_LARGE), 8,
	    "no trailer request means the minimum trailer");
	for (n = 0; n < 16; n++) {
		EQ(MACH_RCV_TRAILER_ELEMENTS(n) & ~MACH_RCV_TRAILER_MASK, 0,
		    "element field lies inside MACH_RCV_TRAILER_MASK");
	}
	EQ(MACH_RCV_TRAILER_MASK & (MACH_SEND_MSG | MACH_RCV_MSG |
	    MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY | MACH_SEND_TIMEOUT |
	    MACH_SEND_INTERRUPT | MACH_SEND_NOTIFY | MACH_SEND_ALWAYS |
	    MACH_SEND_TRAILER | MACH_RCV_TIMEOUT | MACH_RCV_NOTIFY |
	    MACH_RCV_INTERRUPT | MACH_RCV_VOUCHER | MACH_RCV_OVERWRITE), 0,
	    "trailer request bits overlap no option bit");

	{
		security_token_t k = KERNEL_SECURITY_TOKEN_VALUE;
		audit_token_t a = KERNEL_AUDIT_TOKEN_VALUE;

		EQ(k.val[0], 0, "kernel security token val[0] is 0");
		EQ(k.val[1], 1, "kernel security token val[1] is 1");
		EQ(a.val[7], 0, "kernel audit token is zero");
	}
	EQ(sizeof(mach_msg_empty_rcv_t), 32, "empty receive buffer 32 bytes");
	EQ(round_msg(13), 16, "round_msg rounds up to 4");
	EQ(round_msg(16), 16, "round_msg keeps multiples of 4");
}

static void
test_options(void)
{
	static const mach_msg_option_t bits[] = {
		MACH_SEND_MSG, MACH_RCV_MSG, MACH_RCV_LARGE,
		MACH_RCV_LARGE_IDENTITY, MACH_SEND_TIMEOUT,
		MACH_SEND_INTERRUPT, MACH_SEND_NOTIFY, MACH_SEND_ALWAYS,
		MACH_SEND_TRAILER, MACH_RCV_TIMEOUT, MACH_RCV_NOTIFY,
		MACH_RCV_INTERRUPT, MACH_RCV_VOUCHER, MACH_RCV_OVERWRITE,
	};
	unsigned int i, j;
	int overlap = 0, single = 1;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (bits[i] == 0 || (bits[i] & (bits[i] - 1)) != 0)
			single = 0;
		for (j = i + 1; j < sizeof(bits) / sizeof(bits[0]); j++)
			if (bits[i] & bits[j])
				overlap = 1;
	}
	TRUE_(single, "each option is a single non-zero bit");
	TRUE_(!overlap, "options use distinct bits");
	EQ(MACH_SEND_CANCEL, MACH_SEND_NOTIFY,
	    "MACH_SEND_CANCEL is the old name of the MACH_SEND_NOTIFY bit");
	EQ(MACH_SEND_MSG, 1, "MACH_SEND_MSG");
	EQ(MACH_RCV_MSG, 2, "MACH_RCV_MSG");
	EQ(MACH_RCV_LARGE, 4, "MACH_RCV_LARGE");
	EQ(MACH_SEND_TIMEOUT, 0x10, "MACH_SEND_TIMEOUT");
	EQ(MACH_RCV_TIMEOUT, 0x100, "MACH_RCV_TIMEOUT");
}

static void
test_return_codes(void)
{
	static const mach_msg_return_t send_errs[] = {
		MACH_SEND_INVALID_DATA, MACH_SEND_INVALID_DEST,
		MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED,
		MACH_SEND_MSG_TOO_SMALL, MACH_SEND_INVALID_REPLY,
		MACH_SEND_INVALID_RIGHT, MACH_SEND_INVALID_NOTIFY,
		MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER,
		MACH_SEND_TOO_LARGE, MACH_SEND_INVALID_TYPE,
		MACH_SEND_INVALID_HEADER, MACH_SEND_INVALID_TRAILER,
	};
	static const mach_msg_return_t rcv_errs[] = {
		MACH_RCV_INVALID_NAME, MACH_RCV_TIMED_OUT, MACH_RCV_TOO_LARGE,
		MACH_RCV_INTERRUPTED, MACH_RCV_INVALID_NOTIFY,
		MACH_RCV_INVALID_DATA, MACH_RCV_PORT_DIED,
		MACH_RCV_HEADER_ERROR, MACH_RCV_BODY_ERROR,
		MACH_RCV_INVALID_TYPE, MACH_RCV_SCATTER_SMALL,
		MACH_RCV_INVALID_TRAILER,
	};
	unsigned int i;
	int ok = 1;

	for (i = 0; i < sizeof(send_errs) / sizeof(send_errs[0]); i++)
		if ((send_errs[i] & ~0x3fff) != 0x10000000 ||
		    (send_errs[i] & MACH_MSG_MASK) != 0)
			ok = 0;
	TRUE_(ok, "send errors are IPC system 4, subsystem 0");
	ok = 1;
	for (i = 0; i < sizeof(rcv_errs) / sizeof(rcv_errs[0]); i++)
		if ((rcv_errs[i] & ~0x3fff) != 0x10004000 ||
		    (rcv_errs[i] & MACH_MSG_MASK) != 0)
			ok = 0;
	TRUE_(ok, "receive errors are IPC system 4, subsystem 1");
	EQ(MACH_MSG_MASK, MACH_MSG_IPC_SPACE | MACH_MSG_VM_SPACE |
	    MACH_MSG_IPC_KERNEL | MACH_MSG_VM_KERNEL | 0x200,
	    "MACH_MSG_MASK covers the resource bits");
	EQ(MACH_SEND_INVALID_DEST, 0x10000003, "MACH_SEND_INVALID_DEST");
	EQ(MACH_RCV_TOO_LARGE, 0x10004004, "MACH_RCV_TOO_LARGE");
	EQ(KERN_INVALID_NAME, 15, "KERN_INVALID_NAME");
	EQ(KERN_INVALID_RIGHT, 17, "KERN_INVALID_RIGHT");
	EQ(KERN_UREFS_OVERFLOW, 19, "KERN_UREFS_OVERFLOW");
	EQ(KERN_OPERATION_TIMED_OUT, 49, "KERN_OPERATION_TIMED_OUT");
	EQ(MIG_BAD_ID, -303, "MIG_BAD_ID");
	EQ(MIG_NO_REPLY, -305, "MIG_NO_REPLY");
	EQ(sizeof(kern_return_t), 4, "kern_return_t is 32 bits");
}

static void
test_port_names(void)
{
	static const mach_port_name_t idx[] = { 1, 2, 0x103, 0xffffff };
	static const mach_port_name_t gen[] = { 0, 1, 0x7f, 0xff };
	unsigned int i, j;
	int ok = 1;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++) {
			mach_port_name_t n = MACH_PORT_MAKE(idx[i], gen[j]);

			if (MACH_PORT_INDEX(n) != idx[i] ||
			    MACH_PORT_GEN(n) != gen[j] ||
			    n != ((idx[i] << 8) | gen[j]))
				ok = 0;
		}
	TRUE_(ok, "MACH_PORT_MAKE / INDEX / GEN round trip");
	EQ(MACH_PORT_INDEX(0x00000503), 5, "index is name >> 8");
	EQ(MACH_PORT_GEN(0x00000503), 3, "generation is the low byte");
	TRUE_(!MACH_PORT_VALID(MACH_PORT_NULL), "MACH_PORT_NULL is not valid");
	TRUE_(!MACH_PORT_VALID(MACH_PORT_DEAD), "MACH_PORT_DEAD is not valid");
	TRUE_(MACH_PORT_VALID(MACH_PORT_MAKE(1, 1)), "a made name is valid");
	EQ(MACH_PORT_DEAD, 0xffffffffu, "MACH_PORT_DEAD is ~0");
}

static void
test_port_types(void)
{
	EQ(MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND), MACH_PORT_TYPE_SEND,
	    "MACH_PORT_TYPE(RIGHT_SEND) == TYPE_SEND");
	EQ(MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE), MACH_PORT_TYPE_RECEIVE,
	    "MACH_PORT_TYPE(RIGHT_RECEIVE) == TYPE_RECEIVE");
	EQ(MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE), MACH_PORT_TYPE_SEND_ONCE,
	    "MACH_PORT_TYPE(RIGHT_SEND_ONCE) == TYPE_SEND_ONCE");
	EQ(MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET), MACH_PORT_TYPE_PORT_SET,
	    "MACH_PORT_TYPE(RIGHT_PORT_SET) == TYPE_PORT_SET");
	EQ(MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME), MACH_PORT_TYPE_DEAD_NAME,
	    "MACH_PORT_TYPE(RIGHT_DEAD_NAME) == TYPE_DEAD_NAME");
	EQ(MACH_PORT_TYPE_SEND, 0x10000, "send type is bit 16");
	EQ(MACH_PORT_TYPE_ALL_RIGHTS, 0x1f0000, "all rights are bits 16..20");
	EQ(MACH_PORT_TYPE_ALL_RIGHTS & (MACH_PORT_TYPE_DNREQUEST |
	    MACH_PORT_TYPE_SPREQUEST | MACH_PORT_TYPE_SPREQUEST_DELAYED), 0,
	    "request bits are apart from right bits");
	EQ(sizeof(mach_port_status_t), 40, "mach_port_status_t 40 bytes");
	EQ(MACH_PORT_RECEIVE_STATUS_COUNT, 10, "RECEIVE_STATUS count 10");
	EQ(MACH_PORT_LIMITS_INFO_COUNT, 1, "LIMITS_INFO count 1");
	EQ(MACH_PORT_QLIMIT_DEFAULT, 5, "default queue limit 5");
	TRUE_(MACH_PORT_QLIMIT_DEFAULT <= MACH_PORT_QLIMIT_MAX,
	    "default qlimit within max");
	EQ(MACH_PORT_UREFS_MAX, 0xffff, "MACH_PORT_UREFS_MAX");
}

static void
test_dispositions(void)
{
	EQ(MACH_MSG_TYPE_MOVE_RECEIVE, 16, "MOVE_RECEIVE 16");
	EQ(MACH_MSG_TYPE_MAKE_SEND_ONCE, 21, "MAKE_SEND_ONCE 21");
	EQ(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	    "PORT_SEND_ONCE is what MOVE_SEND_ONCE delivers");
	TRUE_(MACH_MSG_TYPE_PORT_ANY(MACH_MSG_TYPE_MAKE_SEND) &&
	    !MACH_MSG_TYPE_PORT_ANY(MACH_MSG_TYPE_COPY_RECEIVE),
	    "PORT_ANY covers MOVE_RECEIVE..MAKE_SEND_ONCE only");
	TRUE_(MACH_MSG_TYPE_PORT_ANY_RIGHT(MACH_MSG_TYPE_MOVE_SEND_ONCE) &&
	    !MACH_MSG_TYPE_PORT_ANY_RIGHT(MACH_MSG_TYPE_COPY_SEND),
	    "PORT_ANY_RIGHT covers the MOVE_* dispositions");
}

static void
test_notifications(void)
{
	EQ(MACH_NOTIFY_PORT_DELETED, 0101, "PORT_DELETED id 0101");
	EQ(MACH_NOTIFY_SEND_POSSIBLE, 0102, "SEND_POSSIBLE id 0102");
	EQ(MACH_NOTIFY_PORT_DESTROYED, 0105, "PORT_DESTROYED id 0105");
	EQ(MACH_NOTIFY_NO_SENDERS, 0106, "NO_SENDERS id 0106");
	EQ(MACH_NOTIFY_SEND_ONCE, 0107, "SEND_ONCE id 0107");
	EQ(MACH_NOTIFY_DEAD_NAME, 0110, "DEAD_NAME id 0110");
	EQ(sizeof(NDR_record_t), 8, "NDR record 8 bytes");
	EQ(sizeof(mach_port_deleted_notification_t), 56,
	    "port-deleted notification 56 bytes");
	EQ(offsetof(mach_dead_name_notification_t, not_port), 32,
	    "dead-name: name after header and NDR");
	EQ(offsetof(mach_no_senders_notification_t, not_count), 32,
	    "no-senders: count after header and NDR");
	EQ(offsetof(mach_port_destroyed_notification_t, not_port), 28,
	    "port-destroyed: descriptor after header and body");
	EQ(sizeof(mach_port_destroyed_notification_t), 60,
	    "port-destroyed notification 60 bytes");
	EQ(sizeof(mach_send_once_notification_t), 44,
	    "send-once notification 44 bytes");
	EQ(sizeof(mig_reply_error_t), 36, "mig_reply_error_t 36 bytes");
	EQ(offsetof(mig_reply_error_t, RetCode), 32, "RetCode at 32");
}

static void
test_exceptions_and_state(void)
{
	EQ(EXC_TYPES_COUNT, EXC_CORPSE_NOTIFY + 1,
	    "EXC_TYPES_COUNT is one past the last type");
	EQ(LAST_EXCEPTION, EXC_CORPSE_NOTIFY, "LAST_EXCEPTION");
	EQ(EXC_MASK_ALL & (EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY | 1), 0,
	    "EXC_MASK_ALL excludes bit 0, CRASH and CORPSE_NOTIFY");
	EQ(EXC_MASK_BAD_ACCESS, 1u << EXC_BAD_ACCESS, "mask n is bit n");
	EQ(EXCEPTION_DEFAULT, 1, "EXCEPTION_DEFAULT");
	EQ(EXCEPTION_STATE_IDENTITY, 3, "EXCEPTION_STATE_IDENTITY");
	EQ(sizeof(exception_data_type_t), 4, "exception codes are 32 bits");

	EQ(sizeof(i386_thread_state_t), 64, "i386 thread state 64 bytes");
	EQ(i386_THREAD_STATE_COUNT, 16, "i386 thread state count 16");
	EQ(offsetof(i386_thread_state_t, eax), 0, "eax first");
	EQ(offsetof(i386_thread_state_t, esp), 28, "esp 8th");
	EQ(offsetof(i386_thread_state_t, ss), 32, "ss 9th");
	EQ(offsetof(i386_thread_state_t, eflags), 36, "eflags 10th");
	EQ(offsetof(i386_thread_state_t, eip), 40, "eip 11th");
	EQ(offsetof(i386_thread_state_t, cs), 44, "cs 12th");
	EQ(offsetof(i386_thread_state_t, gs), 60, "gs last");
	EQ(i386_THREAD_STATE, x86_THREAD_STATE32,
	    "i386_THREAD_STATE is x86_THREAD_STATE32");
	EQ(sizeof(i386_exception_state_t), 12, "i386 exception state 12 bytes");
	EQ(i386_EXCEPTION_STATE_COUNT, 3, "i386 exception state count 3");
	TRUE_(i386_THREAD_STATE_COUNT <= THREAD_STATE_MAX,
	    "thread state fits THREAD_STATE_MAX");
	EQ(sizeof(thread_state_data_t), THREAD_STATE_MAX * 4,
	    "thread_state_data_t is THREAD_STATE_MAX words");
}

static void
test_info(void)
{
	EQ(sizeof(task_basic_info_data_t), 32, "task basic info 32 bytes");
	EQ(TASK_BASIC_INFO_COUNT, 8, "TASK_BASIC_INFO_COUNT 8");
	EQ(TASK_BASIC_INFO, 4, "TASK_BASIC_INFO is the 32-bit flavor");
	EQ(offsetof(task_basic_info_data_t, user_time), 12,
	    "task basic info: user_time at 12");
	EQ(sizeof(host_basic_info_data_t), 48, "host basic info 48 bytes");
	EQ(HOST_BASIC_INFO_COUNT, 12, "HOST_BASIC_INFO_COUNT 12");
	EQ(offsetof(host_basic_info_data_t, max_mem), 40,
	    "host basic info: max_mem at 40");
	EQ(sizeof(thread_basic_info_data_t), 40, "thread basic info 40 bytes");
	EQ(THREAD_BASIC_INFO_COUNT, 10, "THREAD_BASIC_INFO_COUNT 10");
	EQ(TASK_BOOTSTRAP_PORT, 4, "TASK_BOOTSTRAP_PORT");
	EQ(THREAD_KERNEL_PORT, 1, "THREAD_KERNEL_PORT");
}

static void
test_traps(void)
{
	EQ(MACH_TRAP_MACH_REPLY_PORT, 26, "mach_reply_port trap 26");
	EQ(MACH_TRAP_THREAD_SELF, 27, "thread_self_trap 27");
	EQ(MACH_TRAP_TASK_SELF, 28, "task_self_trap 28");
	EQ(MACH_TRAP_HOST_SELF, 29, "host_self_trap 29");
	EQ(MACH_TRAP_MACH_MSG, 31, "mach_msg_trap 31");
	EQ(MACH_TRAP_MACH_MSG_OVERWRITE, 32, "mach_msg_overwrite_trap 32");
	EQ(MACH_TRAP_SWTCH_PRI, 59, "swtch_pri 59");
	EQ(MACH_TRAP_SWTCH, 60, "swtch 60");
	EQ(MACH_TRAP_THREAD_SWITCH, 61, "thread_switch 61");
	TRUE_(MK_TRAP_DEBUG_WRITE >= MACH_TRAP_XNU_LIMIT &&
	    MK_TRAP_LONG_IPC >= MACH_TRAP_XNU_LIMIT,
	    "kernel-own traps lie outside XNU's range");
}

int
main(void)
{
	int i;

	test_header();
	test_msgh_bits();
	test_descriptors();
	test_trailers();
	test_options();
	test_return_codes();
	test_port_names();
	test_port_types();
	test_dispositions();
	test_notifications();
	test_exceptions_and_state();
	test_info();
	test_traps();

	printf("1..%d\n", nchecks);
	for (i = 0; i < nchecks; i++)
		printf("%sok %d - %s\n", results[i].ok ? "" : "not ",
		    i + 1, results[i].what);
	if (nfailed)
		printf("# %d of %d checks failed\n", nfailed, nchecks);
	return nfailed ? 1 : 0;
}
