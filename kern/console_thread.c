/*
 * Console service thread; see console_thread.h for the protocol.
 */
#include <kern/types.h>
#include <kern/console_thread.h>
#include <kern/msgport.h>
#include <kern/thread.h>
#include <kern/assert.h>
#include <machine/serial.h>

static struct {
	struct lwkt_port port;		/* requests; owned by td */
	thread_t td;			/* the service thread, once running */
	bool started;			/* console_thread_init called */
	volatile bool running;		/* port ready: route writes to it */
	unsigned served;		/* requests answered */
} console;

static void console_direct(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc((unsigned char)buf[i]);
}

static void console_main(void *arg __unused)
{
	lwkt_initport_thread(&console.port, current_thread());
	console.td = current_thread();
	console.running = true;
	for (;;) {
		lwkt_msg_t msg = lwkt_waitport(&console.port, NULL);
		struct console_msg *cm = container_of(msg, struct console_msg,
						      cm_msg);
		int error = LWKT_OK;

		if (msg->ms_cmd == CONSOLE_CMD_WRITE) {
			console_direct(cm->cm_buf, cm->cm_len);
			cm->cm_done = cm->cm_len;
		} else {
			cm->cm_done = 0;
			error = LWKT_EINVAL;
		}
		console.served++;
		lwkt_replymsg(msg, error);
	}
}

/*
 * console_thread_init: start the console service thread (priority
 * CONSOLE_PRI).  Called once at boot, from thread context or before the
 * scheduler runs.  Writes go direct until the thread has started.
 */
void console_thread_init(void)
{
	assert(!console.started);
	console.started = true;
	if (kernel_thread_create("console", console_main, NULL,
				 CONSOLE_PRI) == NULL)
		panic("console_thread_init: cannot create the console thread");
}

/*
 * console_write: write len bytes of buf to the console, in one piece with
 * respect to other console_write calls.  From a thread that may block:
 * sends a CONSOLE_CMD_WRITE request and waits for the reply.  Early in
 * boot, or from the console thread, writes directly.  No locks held.
 */
void console_write(const char *buf, size_t len)
{
	struct lwkt_port rport;
	struct console_msg cm;

	if (len == 0)
		return;
	if (!console.running || current_thread() == console.td) {
		console_direct(buf, len);
		return;
	}
	lwkt_initport_replyonly(&rport);
	lwkt_initmsg(&cm.cm_msg, &rport, CONSOLE_CMD_WRITE);
	cm.cm_buf = buf;
	cm.cm_len = len;
	cm.cm_done = 0;
	(void)lwkt_domsg(&console.port, &cm.cm_msg);
}

/* console_thread_running: true once writes go through the service. */
bool console_thread_running(void)
{
	return console.running;
}

/* console_thread_served: requests the service has answered so far. */
unsigned console_thread_served(void)
{
	return console.served;
}

/* console_thread_port: the service's request port (NULL before it runs). */
lwkt_port_t console_thread_port(void)
{
	return console.running ? &console.port : NULL;
}
