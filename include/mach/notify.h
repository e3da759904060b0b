/*
 * mach/notify.h - notification messages the kernel sends about ports.
 *
 * Ids and layouts are XNU's (osfmk/mach/notify.h; the ids are those of
 * notify.defs, subsystem 64 = 0100).  Each struct ends with room for the
 * 20-byte format-0 trailer, so it is a large enough receive buffer for a
 * receiver that asks for trailer elements up to MACH_RCV_TRAILER_SENDER.
 *
 *   id    notification      sent when                         payload
 *   0101  PORT_DELETED      a send/send-once right was deleted name
 *   0102  SEND_POSSIBLE     a full queue has room again        name
 *   0105  PORT_DESTROYED    a receive right would be destroyed the right
 *   0106  NO_SENDERS        the last send right went away      mscount
 *   0107  SEND_ONCE         a send-once right died unused      none
 *   0110  DEAD_NAME         a right turned into a dead name    name
 *
 * "name" payloads are bare names (MACH_MSG_TYPE_PORT_NAME), no right.
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MACH_NOTIFY_FIRST		0100
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_SEND_POSSIBLE	(MACH_NOTIFY_FIRST + 002)
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005)
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006)
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007)
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

typedef mach_port_t	notify_port_t;

#pragma pack(push, 4)

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_send_possible_notification_t;

/* Complex: carries the receive right itself. */
typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_body_t			not_body;
	mach_msg_port_descriptor_t	not_port;	/* MACH_MSG_TYPE_PORT_RECEIVE */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_msg_type_number_t		not_count;	/* make-send count */
	mach_msg_format_0_trailer_t	trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_format_0_trailer_t	trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;	/* MACH_MSG_TYPE_PORT_NAME */
	mach_msg_format_0_trailer_t	trailer;
} mach_dead_name_notification_t;

#pragma pack(pop)

_Static_assert(sizeof(NDR_record_t) == 8, "NDR record is 8 bytes");
#if __SIZEOF_POINTER__ == 4 || !defined(KERNEL)
_Static_assert(sizeof(mach_port_deleted_notification_t) == 56,
    "port-deleted notification");
_Static_assert(__builtin_offsetof(mach_port_deleted_notification_t, not_port)
    == 32, "name follows header and NDR");
_Static_assert(sizeof(mach_send_possible_notification_t) == 56,
    "send-possible notification");
_Static_assert(sizeof(mach_port_destroyed_notification_t) == 60,
    "port-destroyed notification");
_Static_assert(__builtin_offsetof(mach_port_destroyed_notification_t,
    not_port) == 28, "descriptor follows header and body");
_Static_assert(sizeof(mach_no_senders_notification_t) == 56,
    "no-senders notification");
_Static_assert(sizeof(mach_send_once_notification_t) == 44,
    "send-once notification");
_Static_assert(sizeof(mach_dead_name_notification_t) == 56,
    "dead-name notification");
#endif

#endif /* _MACH_NOTIFY_H_ */
