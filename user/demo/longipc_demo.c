/*
 * longipc_demo: one L4-style long-IPC transfer (<mach/mk_long_ipc.h>).
 *
 * A receiver thread waits on a port with room for a few dwords and one
 * 64 KiB string buffer; the main thread sends it four dwords and a 64 KiB
 * string with mk_lipc_send.  The kernel copies the string once, from the
 * sender's memory straight into the receiver's buffer through its copy
 * window, with no kernel buffer in between.  Both sides check the bytes
 * and the demo prints the kernel's long-IPC counters.
 *
 * Started by `make run'; exits 0 if the data arrived intact.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mk/thread.h>

#define DWORDS		4
#define STRING_SIZE	(64u * 1024u)

static mach_port_t port;
static uint8_t send_buf[STRING_SIZE];
static uint8_t recv_buf[STRING_SIZE];
/* A long-IPC buffer: header, dwords, one string dope. */
struct demo_msg {
	mk_lipc_msg_t m;
	uint32_t dw[DWORDS];
	mk_lipc_string_t str[1];
};
static struct demo_msg snd, rcv;
static volatile mach_msg_return_t rcv_result = ~0u;

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The receiver: one message, then report. */
static void receiver(void *arg)
{
	(void)arg;
	rcv.m.lm_dwords = DWORDS;
	rcv.m.lm_strings = 1;
	rcv.str[0].ls_addr = (uint32_t)(uintptr_t)recv_buf;
	rcv.str[0].ls_size = sizeof(recv_buf);
	rcv_result = mk_lipc_receive(port, &rcv.m, 0, 0);
}

int main(void)
{
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), port, port,
		    MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		printf("longipc_demo: port set-up failed: %d\n", kr);
		return 1;
	}
	for (size_t i = 0; i < sizeof(send_buf); i++)
		send_buf[i] = (uint8_t)(i * 7 + (i >> 8));
	snd.m.lm_dwords = DWORDS;
	snd.m.lm_strings = 1;
	for (uint32_t i = 0; i < DWORDS; i++)
		snd.dw[i] = 0xd0d00000u + i;
	snd.str[0].ls_addr = (uint32_t)(uintptr_t)send_buf;
	snd.str[0].ls_size = sizeof(send_buf);

	int tid = mk_thread_start(receiver, NULL);
	if (tid <= 0) {
		printf("longipc_demo: cannot start the receiver\n");
		return 1;
	}
	struct mk_lipc_stats before, after;
	(void)mk_lipc_get_stats(&before);
	mach_msg_return_t mr = mk_lipc_send(port, &snd.m, 0, 0);
	(void)mk_thread_wait(tid);
	(void)mk_lipc_get_stats(&after);

	int ok = mr == MACH_MSG_SUCCESS && rcv_result == MACH_MSG_SUCCESS &&
	    rcv.m.lm_rcv_dwords == DWORDS && rcv.dw[DWORDS - 1] == 0xd0d00003u &&
	    rcv.str[0].ls_xfer == STRING_SIZE &&
	    checksum(recv_buf, STRING_SIZE) == checksum(send_buf, STRING_SIZE);
	printf("longipc_demo: sent %u dwords + %u bytes: send %#x, receive %#x, "
	    "%u bytes arrived, checksum %08x: %s\n", DWORDS, STRING_SIZE, mr,
	    rcv_result, rcv.str[0].ls_xfer,
	    checksum(recv_buf, STRING_SIZE), ok ? "ok" : "WRONG");
	printf("longipc_demo: kernel: %u transfer(s), %u bytes copied, "
	    "%u window move(s), %u window fault(s)\n",
	    after.transfers - before.transfers, after.bytes - before.bytes,
	    after.window_moves - before.window_moves,
	    after.window_faults - before.window_faults);
	(void)mach_port_mod_refs(mach_task_self(), port,
	    MACH_PORT_RIGHT_RECEIVE, -1);
	(void)mach_port_deallocate(mach_task_self(), port);
	return ok ? 0 : 1;
}
