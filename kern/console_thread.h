/*
 * Console service: one kernel thread owns the serial console and writes
 * what other threads send it through an LWKT port, one request at a time,
 * so each console_write appears on the wire in one piece.
 *
 * Message format (struct console_msg, sent with lwkt_domsg to the
 * service's thread port):
 *   cm_msg.ms_cmd   CONSOLE_CMD_WRITE
 *   cm_buf, cm_len  the bytes to write; they stay the sender's and must
 *                   live until the reply (lwkt_domsg waits for it)
 *   reply           ms_error 0 and cm_done == cm_len; an unknown command
 *                   is replied LWKT_EINVAL with cm_done 0
 * "\n" becomes "\r\n" on the wire (serial_putc).
 *
 * Before console_thread_init has run and the thread has started, and in
 * the console thread itself, console_write writes straight to the UART.
 * console_write may block: do not call it from interrupt handlers or the
 * idle thread, nor on the panic path (use the direct serial routines).
 */
#ifndef _KERN_CONSOLE_THREAD_H_
#define _KERN_CONSOLE_THREAD_H_

#include <kern/types.h>
#include <kern/msgport.h>

#define CONSOLE_CMD_WRITE	1
#define CONSOLE_PRI		24

struct console_msg {
	struct lwkt_msg cm_msg;
	const char *cm_buf;
	size_t cm_len;
	size_t cm_done;			/* reply: bytes written */
};

void console_thread_init(void);
void console_write(const char *buf, size_t len);
bool console_thread_running(void);
unsigned console_thread_served(void);
lwkt_port_t console_thread_port(void);

#endif
