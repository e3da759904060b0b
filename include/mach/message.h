/*
 * mach/message.h - Mach IPC message format, options and return codes.
 *
 * Layouts and values are XNU's 32-bit (i386) ABI, osfmk/mach/message.h.
 * Where XNU changed a value over time the choice is stated beside it.
 *
 * A message is a header, then (if MACH_MSGH_BITS_COMPLEX) a body count and
 * that many 12-byte descriptors, then inline data.  msgh_size counts all of
 * it and is a multiple of 4.  On receive the kernel appends a trailer, which
 * msgh_size does not count.
 *
 * The user view (no KERNEL) and the kernel view differ only in mach_port_t:
 * a name in user space, a struct ipc_port pointer in the kernel.  Both are
 * 4 bytes on i386, so both views share one layout on the target.  (XNU's own
 * kernel widens its internal descriptors to 16 bytes; this kernel does not.)
 */
#ifndef _MACH_MESSAGE_H_
#define _MACH_MESSAGE_H_

#include <mach/machine/types.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/port.h>

/* Timeouts are in milliseconds; used with MACH_SEND_TIMEOUT/MACH_RCV_TIMEOUT. */
typedef natural_t	mach_msg_timeout_t;
#define MACH_MSG_TIMEOUT_NONE	((mach_msg_timeout_t) 0)

/*
 * msgh_bits: the remote (destination) disposition in bits 0..4, the local
 * (reply) disposition in bits 8..12, the voucher disposition in bits
 * 16..20, MACH_MSGH_BITS_COMPLEX in bit 31.  Other bits must be zero on
 * send; the kernel uses some of them internally.
 */
typedef unsigned int	mach_msg_bits_t;

#define MACH_MSGH_BITS_ZERO		0x00000000
#define MACH_MSGH_BITS_REMOTE_MASK	0x0000001f
#define MACH_MSGH_BITS_LOCAL_MASK	0x00001f00
#define MACH_MSGH_BITS_VOUCHER_MASK	0x001f0000
#define MACH_MSGH_BITS_PORTS_MASK	\
	(MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK | \
	 MACH_MSGH_BITS_VOUCHER_MASK)
#define MACH_MSGH_BITS_COMPLEX		0x80000000U	/* has descriptors */
#define MACH_MSGH_BITS_USER		0x801f1f1fU	/* bits a sender may set */
#define MACH_MSGH_BITS_RAISEIMP		0x20000000U	/* XNU importance; unused here */
#define MACH_MSGH_BITS_CIRCULAR		0x10000000U	/* kernel only: loop check */
#define MACH_MSGH_BITS_USED		0xb01f1f1fU

#define MACH_MSGH_BITS(remote, local)	((remote) | ((local) << 8))
#define MACH_MSGH_BITS_SET_PORTS(remote, local, voucher)		\
	(((remote) & MACH_MSGH_BITS_REMOTE_MASK) |			\
	 (((local) << 8) & MACH_MSGH_BITS_LOCAL_MASK) |			\
	 (((voucher) << 16) & MACH_MSGH_BITS_VOUCHER_MASK))
#define MACH_MSGH_BITS_SET(remote, local, voucher, other)		\
	(MACH_MSGH_BITS_SET_PORTS((remote), (local), (voucher)) |	\
	 ((other) & ~MACH_MSGH_BITS_PORTS_MASK))

#define MACH_MSGH_BITS_REMOTE(bits)	((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits)	\
	(((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)
#define MACH_MSGH_BITS_VOUCHER(bits)	\
	(((bits) & MACH_MSGH_BITS_VOUCHER_MASK) >> 16)
#define MACH_MSGH_BITS_PORTS(bits)	((bits) & MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_OTHER(bits)	((bits) & ~MACH_MSGH_BITS_PORTS_MASK)

#define MACH_MSGH_BITS_HAS_REMOTE(bits)	\
	(MACH_MSGH_BITS_REMOTE(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_LOCAL(bits)	\
	(MACH_MSGH_BITS_LOCAL(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_VOUCHER(bits) \
	(MACH_MSGH_BITS_VOUCHER(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_IS_COMPLEX(bits)	\
	(((bits) & MACH_MSGH_BITS_COMPLEX) != MACH_MSGH_BITS_ZERO)

typedef natural_t	mach_msg_size_t;
typedef integer_t	mach_msg_id_t;
#define MACH_MSG_SIZE_NULL	((mach_msg_size_t *) 0)

/*
 * Dispositions: what the sender does with a right (MOVE_*, COPY_SEND,
 * MAKE_*), and what the receiver is told it got (PORT_*).
 */
typedef unsigned int	mach_msg_type_name_t;

#define MACH_MSG_TYPE_MOVE_RECEIVE	16	/* must hold receive right */
#define MACH_MSG_TYPE_MOVE_SEND		17	/* must hold send right(s) */
#define MACH_MSG_TYPE_MOVE_SEND_ONCE	18	/* must hold send-once right */
#define MACH_MSG_TYPE_COPY_SEND		19	/* must hold send right(s) */
#define MACH_MSG_TYPE_MAKE_SEND		20	/* must hold receive right */
#define MACH_MSG_TYPE_MAKE_SEND_ONCE	21	/* must hold receive right */
#define MACH_MSG_TYPE_COPY_RECEIVE	22	/* not valid */
#define MACH_MSG_TYPE_DISPOSE_RECEIVE	24	/* kernel: destroy receive right */
#define MACH_MSG_TYPE_DISPOSE_SEND	25	/* kernel: release send right */
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE	26	/* kernel: release send-once */

#define MACH_MSG_TYPE_PORT_NONE		0
#define MACH_MSG_TYPE_PORT_NAME		15	/* a bare name, no right */
#define MACH_MSG_TYPE_PORT_RECEIVE	MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND		MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE	MACH_MSG_TYPE_MOVE_SEND_ONCE

#define MACH_MSG_TYPE_LAST		22	/* last assigned */

/* Placeholder: the real disposition is filled in later (MIG). */
#define MACH_MSG_TYPE_POLYMORPHIC	((mach_msg_type_name_t) -1)

#define MACH_MSG_TYPE_PORT_ANY(x)				\
	(((x) >= MACH_MSG_TYPE_MOVE_RECEIVE) &&			\
	 ((x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE))
#define MACH_MSG_TYPE_PORT_ANY_SEND(x)				\
	(((x) >= MACH_MSG_TYPE_MOVE_SEND) &&			\
	 ((x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE))
#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x)				\
	(((x) >= MACH_MSG_TYPE_MOVE_RECEIVE) &&			\
	 ((x) <= MACH_MSG_TYPE_MOVE_SEND_ONCE))

/* How out-of-line memory travels. */
typedef unsigned int	mach_msg_copy_options_t;

#define MACH_MSG_PHYSICAL_COPY		0	/* copy the bytes now */
#define MACH_MSG_VIRTUAL_COPY		1	/* copy-on-write if possible */
#define MACH_MSG_ALLOCATE		2	/* receiver: kernel picks address */
#define MACH_MSG_OVERWRITE		3	/* receiver: use given address (deprecated) */

/* Descriptor kinds; the top byte of every descriptor's last word. */
typedef unsigned int	mach_msg_descriptor_type_t;

#define MACH_MSG_PORT_DESCRIPTOR		0
#define MACH_MSG_OOL_DESCRIPTOR			1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR		2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR	3

#pragma pack(push, 4)

/*
 * Every descriptor is three 32-bit words.  Bit-fields fill the third word
 * from bit 0 up (the i386 SysV rule XNU relies on), so `type` is always
 * bits 24..31 of word 2 and any descriptor may be read as this one first.
 */
typedef struct {
	natural_t			pad1;
	mach_msg_size_t			pad2;
	unsigned int			pad3 : 24;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_type_descriptor_t;

/* One port right. */
typedef struct {
	mach_port_t			name;
	mach_msg_size_t			pad1;
	unsigned int			pad2 : 16;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_port_descriptor_t;

/* A region of memory passed by reference. */
typedef struct {
	__MACH_UPTR(void *)		address;
	mach_msg_size_t			size;
	boolean_t			deallocate : 8;	/* sender loses region */
	mach_msg_copy_options_t		copy : 8;
	unsigned int			pad1 : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_ool_descriptor_t;

/* An array of `count` port rights (names in user space) passed out of line. */
typedef struct {
	__MACH_UPTR(void *)		address;
	mach_msg_size_t			count;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_ool_ports_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t		port;
	mach_msg_ool_descriptor_t		out_of_line;
	mach_msg_ool_ports_descriptor_t		ool_ports;
	mach_msg_type_descriptor_t		type;
} mach_msg_descriptor_t;

typedef struct {
	mach_msg_size_t		msgh_descriptor_count;
} mach_msg_body_t;

#define MACH_MSG_BODY_NULL		((mach_msg_body_t *) 0)
#define MACH_MSG_DESCRIPTOR_NULL	((mach_msg_descriptor_t *) 0)

typedef struct {
	mach_msg_bits_t		msgh_bits;
	mach_msg_size_t		msgh_size;		/* bytes, trailer excluded */
	mach_port_t		msgh_remote_port;	/* destination */
	mach_port_t		msgh_local_port;	/* reply port */
	mach_port_name_t	msgh_voucher_port;	/* ex msgh_reserved */
	mach_msg_id_t		msgh_id;		/* not interpreted by IPC */
} mach_msg_header_t;

/* Pre-voucher name of the same field. */
#define msgh_reserved		msgh_voucher_port
#define MACH_MSG_NULL		((mach_msg_header_t *) 0)

typedef struct {
	mach_msg_header_t	header;
	mach_msg_body_t		body;
} mach_msg_base_t;

/*
 * Trailers.  Format 0 grows by elements; the receiver asks for a prefix of
 * it with MACH_RCV_TRAILER_ELEMENTS(n), and every form starts with its type
 * and its own size.
 */
typedef unsigned int	mach_msg_trailer_type_t;
typedef unsigned int	mach_msg_trailer_size_t;
typedef char		*mach_msg_trailer_info_t;

#define MACH_MSG_TRAILER_FORMAT_0	0

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
} mach_msg_trailer_t;

/* msgh_seqno: the port's count of messages received before this one. */
typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
} mach_msg_seqno_trailer_t;

/* Sender identity, copied from the sending task (XNU: uid, gid). */
typedef struct {
	unsigned int	val[2];
} security_token_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
} mach_msg_security_trailer_t;

/* Opaque BSM-style subject identity of the sender. */
typedef struct {
	unsigned int	val[8];
} audit_token_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
} mach_msg_audit_trailer_t;

/* msgh_context: the receive port's context value (64-bit even on i386). */
typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
	mach_port_context_t		msgh_context;
} mach_msg_context_trailer_t;

typedef struct {
	mach_port_name_t	sender;
} msg_labels_t;

typedef int	mach_msg_filter_id;

/* Largest format-0 trailer (MAC labels); this kernel leaves ad/labels 0. */
typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
	audit_token_t			msgh_audit;
	mach_port_context_t		msgh_context;
	mach_msg_filter_id		msgh_ad;
	msg_labels_t			msgh_labels;
} mach_msg_mac_trailer_t;

typedef mach_msg_mac_trailer_t		mach_msg_max_trailer_t;

/* The legacy fixed name for the seqno+sender trailer (20 bytes). */
typedef mach_msg_security_trailer_t	mach_msg_format_0_trailer_t;

/* Messages with no body: what a sender builds, what a receiver needs. */
typedef struct {
	mach_msg_header_t	header;
} mach_msg_empty_send_t;

typedef struct {
	mach_msg_header_t	header;
	mach_msg_trailer_t	trailer;
} mach_msg_empty_rcv_t;

typedef union {
	mach_msg_empty_send_t	send;
	mach_msg_empty_rcv_t	rcv;
} mach_msg_empty_t;

#pragma pack(pop)

#define MACH_MSG_TRAILER_MINIMUM_SIZE	sizeof(mach_msg_trailer_t)
#define MACH_MSG_TRAILER_FORMAT_0_SIZE	sizeof(mach_msg_format_0_trailer_t)
#define MAX_TRAILER_SIZE	((mach_msg_size_t) sizeof(mach_msg_max_trailer_t))

/* Sender token of messages the kernel itself sends. */
#define KERNEL_SECURITY_TOKEN_VALUE	{ {0, 1} }
#define KERNEL_AUDIT_TOKEN_VALUE	{ {0, 0, 0, 0, 0, 0, 0, 0} }
#ifdef KERNEL
extern const security_token_t	KERNEL_SECURITY_TOKEN;
extern const audit_token_t	KERNEL_AUDIT_TOKEN;
#endif

/* Rounds a message size up to the 4-byte unit message sizes come in. */
#define round_msg(x)	\
	(((mach_msg_size_t)(x) + sizeof(natural_t) - 1) & \
	 ~(sizeof(natural_t) - 1))

/* No architectural upper bound on message size. */
#define MACH_MSG_SIZE_MAX	((mach_msg_size_t) ~0)

typedef natural_t	mach_msg_type_size_t;
typedef natural_t	mach_msg_type_number_t;	/* element counts (MIG) */

/*
 * Options to mach_msg.  Values of the XNU releases that still had a 32-bit
 * i386 ABI (xnu-1699 .. xnu-4903); later XNU retired RCV_NOTIFY and
 * RCV_OVERWRITE to 0 and reused their bits.
 */
typedef integer_t	mach_msg_option_t;
typedef integer_t	mach_msg_options_t;

#define MACH_MSG_OPTION_NONE	0x00000000

#define MACH_SEND_MSG		0x00000001
#define MACH_RCV_MSG		0x00000002

#define MACH_RCV_LARGE		0x00000004	/* too large: keep msg, report size */
#define MACH_RCV_LARGE_IDENTITY	0x00000008	/* ... and the port it came from */

#define MACH_SEND_TIMEOUT	0x00000010	/* timeout applies to send */
#define MACH_SEND_INTERRUPT	0x00000040	/* don't restart interrupted send */
#define MACH_SEND_NOTIFY	0x00000080	/* arm send-possible notification */
/*
 * MACH_SEND_CANCEL is the pre-xnu-1699 (OSF) name of bit 7, since given to
 * MACH_SEND_NOTIFY; both take the `notify' argument.  Kept so OSF-lineage
 * code compiles; the kernel gives the bit a single meaning.
 */
#define MACH_SEND_CANCEL	0x00000080
#define MACH_SEND_ALWAYS	0x00010000	/* kernel only: ignore qlimit */
#define MACH_SEND_TRAILER	0x00020000	/* sender supplies the trailer */

#define MACH_RCV_TIMEOUT	0x00000100	/* timeout applies to receive */
#define MACH_RCV_NOTIFY		0x00000200	/* legacy, reserved */
#define MACH_RCV_INTERRUPT	0x00000400	/* don't restart interrupted receive */
#define MACH_RCV_VOUCHER	0x00000800	/* willing to receive a voucher */
#define MACH_RCV_OVERWRITE	0x00001000	/* scatter receive into rcv_msg */

/*
 * Trailer request in the receive options: a format in bits 28..31 and a
 * number of elements in bits 24..27.  No request (all zero) means the bare
 * mach_msg_trailer_t of format 0.
 */
#define MACH_RCV_TRAILER_NULL	0
#define MACH_RCV_TRAILER_SEQNO	1
#define MACH_RCV_TRAILER_SENDER	2
#define MACH_RCV_TRAILER_AUDIT	3
#define MACH_RCV_TRAILER_CTX	4
#define MACH_RCV_TRAILER_AV	7
#define MACH_RCV_TRAILER_LABELS	8

#define MACH_RCV_TRAILER_TYPE(x)	(((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x)	(((x) & 0xf) << 24)
#define MACH_RCV_TRAILER_MASK		((0xf << 24))

#define GET_RCV_ELEMENTS(y)	(((y) >> 24) & 0xf)

/*
 * Size of the trailer the receive options `y' ask for.  Element counts with
 * no trailer of their own (5, 6, 8 and up) get the largest trailer.
 */
#define REQUESTED_TRAILER_SIZE(y)					\
	((mach_msg_trailer_size_t)					\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_NULL) ?		\
	  sizeof(mach_msg_trailer_t) :					\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SEQNO) ?		\
	  sizeof(mach_msg_seqno_trailer_t) :				\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SENDER) ?		\
	  sizeof(mach_msg_security_trailer_t) :				\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AUDIT) ?		\
	  sizeof(mach_msg_audit_trailer_t) :				\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_CTX) ?		\
	  sizeof(mach_msg_context_trailer_t) :				\
	 ((GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AV) ?		\
	  sizeof(mach_msg_mac_trailer_t) :				\
	  sizeof(mach_msg_max_trailer_t))))))))

/*
 * Return codes.  mach_msg_return_t is a kern_return_t: IPC is error system
 * 4 (bits 26..31 = 0x10000000), send errors subsystem 0, receive errors
 * subsystem 1 (0x4000).  For MACH_RCV_HEADER_ERROR and MACH_RCV_BODY_ERROR
 * the MACH_MSG_MASK bits say which resource ran out.
 */
typedef kern_return_t	mach_msg_return_t;

#define MACH_MSG_SUCCESS		0x00000000

#define MACH_MSG_MASK			0x00003e00	/* all special bits */
#define MACH_MSG_IPC_SPACE		0x00002000	/* no room for a name */
#define MACH_MSG_VM_SPACE		0x00001000	/* no room for OOL memory */
#define MACH_MSG_IPC_KERNEL		0x00000800	/* kernel short of IPC resources */
#define MACH_MSG_VM_KERNEL		0x00000400	/* kernel short of VM resources */

#define MACH_SEND_IN_PROGRESS		0x10000001	/* internal: waiting to send */
#define MACH_SEND_INVALID_DATA		0x10000002	/* bogus inline data */
#define MACH_SEND_INVALID_DEST		0x10000003	/* bogus destination port */
#define MACH_SEND_TIMED_OUT		0x10000004	/* send timeout expired */
#define MACH_SEND_INVALID_VOUCHER	0x10000005	/* bogus voucher port */
#define MACH_SEND_INTERRUPTED		0x10000007	/* software interrupt */
#define MACH_SEND_MSG_TOO_SMALL		0x10000008	/* not even a header */
#define MACH_SEND_INVALID_REPLY		0x10000009	/* bogus reply port */
#define MACH_SEND_INVALID_RIGHT		0x1000000a	/* bogus right in body */
#define MACH_SEND_INVALID_NOTIFY	0x1000000b	/* bogus notify port */
#define MACH_SEND_INVALID_MEMORY	0x1000000c	/* bogus OOL pointer */
#define MACH_SEND_NO_BUFFER		0x1000000d	/* no kernel message buffer */
#define MACH_SEND_TOO_LARGE		0x1000000e	/* too large for the port */
#define MACH_SEND_INVALID_TYPE		0x1000000f	/* bogus descriptor type */
#define MACH_SEND_INVALID_HEADER	0x10000010	/* bogus header field */
#define MACH_SEND_INVALID_TRAILER	0x10000011	/* bad sender trailer */
#define MACH_SEND_INVALID_CONTEXT	0x10000012	/* context mismatch */
#define MACH_SEND_INVALID_OPTIONS	0x10000013	/* bad send options */
#define MACH_SEND_INVALID_RT_OOL_SIZE	0x10000015	/* compat: not returned */
#define MACH_SEND_NO_GRANT_DEST		0x10000016	/* dest refuses rights */
#define MACH_SEND_MSG_FILTERED		0x10000017	/* rejected by filter */

#define MACH_RCV_IN_PROGRESS		0x10004001	/* internal: waiting */
#define MACH_RCV_INVALID_NAME		0x10004002	/* bogus receive name */
#define MACH_RCV_TIMED_OUT		0x10004003	/* receive timeout expired */
#define MACH_RCV_TOO_LARGE		0x10004004	/* buffer too small */
#define MACH_RCV_INTERRUPTED		0x10004005	/* software interrupt */
#define MACH_RCV_PORT_CHANGED		0x10004006	/* compat: not returned */
#define MACH_RCV_INVALID_NOTIFY		0x10004007	/* bogus notify port */
#define MACH_RCV_INVALID_DATA		0x10004008	/* bogus receive buffer */
#define MACH_RCV_PORT_DIED		0x10004009	/* port/set died meanwhile */
#define MACH_RCV_IN_SET			0x1000400a	/* compat: not returned */
#define MACH_RCV_HEADER_ERROR		0x1000400b	/* header copyout failed */
#define MACH_RCV_BODY_ERROR		0x1000400c	/* body copyout failed */
#define MACH_RCV_INVALID_TYPE		0x1000400d	/* bad scatter-list type */
#define MACH_RCV_SCATTER_SMALL		0x1000400e	/* overwrite region too small */
#define MACH_RCV_INVALID_TRAILER	0x1000400f	/* trailer request unsupported */
#define MACH_RCV_IN_PROGRESS_TIMED	0x10004011	/* internal: timed wait */
#define MACH_RCV_INVALID_REPLY		0x10004012	/* bad strict-reply port */
#define MACH_RCV_INVALID_ARGUMENTS	0x10004013	/* bad receive arguments */

/* Layout checks: the ABI is the i386 one in both views. */
_Static_assert(sizeof(mach_msg_body_t) == 4, "body count is 4 bytes");
_Static_assert(sizeof(mach_msg_type_descriptor_t) == 12, "type descriptor");
_Static_assert(sizeof(mach_msg_trailer_t) == 8, "minimum trailer");
_Static_assert(sizeof(mach_msg_seqno_trailer_t) == 12, "seqno trailer");
_Static_assert(sizeof(security_token_t) == 8, "security token");
_Static_assert(sizeof(mach_msg_security_trailer_t) == 20, "security trailer");
_Static_assert(sizeof(mach_msg_format_0_trailer_t) == 20, "format 0 trailer");
_Static_assert(sizeof(audit_token_t) == 32, "audit token");
_Static_assert(sizeof(mach_msg_audit_trailer_t) == 52, "audit trailer");
_Static_assert(sizeof(mach_msg_context_trailer_t) == 60, "context trailer");
_Static_assert(__builtin_offsetof(mach_msg_context_trailer_t, msgh_context)
    == 52, "context follows audit token with 4-byte packing");
_Static_assert(sizeof(mach_msg_mac_trailer_t) == 68, "largest trailer");
_Static_assert(__builtin_offsetof(mach_msg_security_trailer_t, msgh_sender)
    == 12, "sender token offset");
#if __SIZEOF_POINTER__ == 4 || !defined(KERNEL)
_Static_assert(sizeof(mach_msg_header_t) == 24, "header is 24 bytes");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_remote_port) == 8,
    "remote port offset");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_local_port) == 12,
    "local port offset");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_voucher_port) == 16,
    "voucher port offset");
_Static_assert(__builtin_offsetof(mach_msg_header_t, msgh_id) == 20,
    "msgh_id offset");
_Static_assert(sizeof(mach_msg_base_t) == 28, "header + body count");
_Static_assert(sizeof(mach_msg_port_descriptor_t) == 12, "port descriptor");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 12, "OOL descriptor");
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 12,
    "OOL ports descriptor");
_Static_assert(sizeof(mach_msg_descriptor_t) == 12, "descriptor union");
_Static_assert(__builtin_offsetof(mach_msg_ool_descriptor_t, size) == 4,
    "OOL size offset");
_Static_assert(__builtin_offsetof(mach_msg_ool_ports_descriptor_t, count) == 4,
    "OOL ports count offset");
_Static_assert(sizeof(mach_msg_empty_rcv_t) == 32, "empty receive buffer");
#endif

#ifndef KERNEL
/*
 * Send and/or receive.  The library versions restart an interrupted phase
 * unless MACH_SEND_INTERRUPT / MACH_RCV_INTERRUPT is given.
 * mach_msg_overwrite receives into rcv_msg (rcv_limit bytes) when it is
 * not null, else into msg.
 */
extern mach_msg_return_t	mach_msg(
	mach_msg_header_t	*msg,
	mach_msg_option_t	option,
	mach_msg_size_t		send_size,
	mach_msg_size_t		rcv_size,
	mach_port_name_t	rcv_name,
	mach_msg_timeout_t	timeout,
	mach_port_name_t	notify);

extern mach_msg_return_t	mach_msg_overwrite(
	mach_msg_header_t	*msg,
	mach_msg_option_t	option,
	mach_msg_size_t		send_size,
	mach_msg_size_t		rcv_size,
	mach_port_name_t	rcv_name,
	mach_msg_timeout_t	timeout,
	mach_port_name_t	notify,
	mach_msg_header_t	*rcv_msg,
	mach_msg_size_t		rcv_limit);
#endif /* !KERNEL */

#endif /* _MACH_MESSAGE_H_ */
