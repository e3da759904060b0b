/*
 * Constants mach_msg.S needs from <mach/message.h>, which assembly cannot
 * include; mach_msg.c checks that they agree.
 */
#ifndef _LIBMK_MACH_MSG_ENTRY_H_
#define _LIBMK_MACH_MSG_ENTRY_H_

#define LIBMK_MSG_LIBRARY_OPTIONS	0x00000440	/* MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT */
#define LIBMK_SEND_INTERRUPTED		0x10000007	/* MACH_SEND_INTERRUPTED */
#define LIBMK_RCV_INTERRUPTED		0x10004005	/* MACH_RCV_INTERRUPTED */

#endif
