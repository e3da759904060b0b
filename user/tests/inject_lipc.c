/*
 * inject_lipc: allocation failures during a long-IPC transfer (issue 10,
 * item 3).
 *
 * A receiver thread (a new one each time, so its long-IPC state is
 * allocated too) posts a receive on a port with two string buffers in
 * memory never touched before, so the kernel has to bring pages in while
 * it copies; this thread sends it four dwords and two one-page strings.
 * The nth allocation of kalloc, of pages or of each zone fails
 * (user/testaux/fuzz_inject.h).
 *
 * Documented results (<mach/mk_long_ipc.h>): both sides succeed and the
 * data is intact; or the sender gets MACH_SEND_INVALID_MEMORY and the
 * receiver MACH_RCV_INVALID_DATA (the receiver's pages could not be
 * mapped writable); or a side whose long-IPC state could not be allocated
 * gets MACH_SEND_NO_BUFFER (send) / KERN_RESOURCE_SHORTAGE (receive),
 * and the other side's wait then ends by its timeout.  No leak after
 * each, the IPC audit clean.
 */
#include "../testaux/fuzz_inject.h"
#include <mach/mk_long_ipc.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>

#define STR	4096u

static mach_port_t port;
static vm_address_t src, dst;		/* dst: never touched before the transfer */
static volatile mach_msg_return_t rcv_result;
static int rcv_tid;
static uint32_t rbuf[64], sbuf[64];
static unsigned intact;

static uint8_t pattern(unsigned k, unsigned i)
{
	return (uint8_t)(i * 13 + k * 101 + 5);
}

static void receiver(void *arg)
{
	(void)arg;
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)rbuf;
	memset(rbuf, 0, sizeof(rbuf));
	m->lm_dwords = 8;
	m->lm_strings = 2;
	mk_lipc_string_t *d = MK_LIPC_STRINGS(m);
	for (unsigned k = 0; k < 2; k++) {
		d[k].ls_addr = (uint32_t)dst + k * 2 * STR + 100;	/* crosses a page */
		d[k].ls_size = STR;
	}
	rcv_result = mk_lipc_receive(port, m, MK_LIPC_RCV_TIMEOUT, 4000);
}

/* A fresh, untouched receive region and a receiver waiting on it. */
static void prepare(void)
{
	dst = 0;
	(void)vm_allocate(mach_task_self(), &dst, 4 * STR + STR, VM_FLAGS_ANYWHERE);
	rcv_result = -1;
	rcv_tid = mk_thread_start(receiver, NULL);
}

static kern_return_t op_lipc(int *okp)
{
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)sbuf;
	m->lm_dwords = 4;
	m->lm_strings = 2;
	for (unsigned j = 0; j < 4; j++)
		MK_LIPC_DWORDS(m)[j] = 0x1234500 + j;
	mk_lipc_string_t *d = MK_LIPC_STRINGS(m);
	for (unsigned k = 0; k < 2; k++) {
		d[k].ls_addr = (uint32_t)src + k * STR;
		d[k].ls_size = STR;
	}
	mach_msg_return_t mr = mk_lipc_send(port, m, MK_LIPC_SEND_TIMEOUT, 4000);
	*okp = mr == MACH_MSG_SUCCESS || mr == MACH_SEND_INVALID_MEMORY ||
	       mr == MACH_SEND_NO_BUFFER || mr == MACH_SEND_TIMED_OUT;
	return mr;
}

/* The receiver's result must match the sender's; the data must be whole. */
static int finish(void)
{
	if (rcv_tid > 0)
		(void)mk_thread_wait(rcv_tid);
	rcv_tid = 0;
	int ok;
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)rbuf;
	if (rcv_result == MACH_MSG_SUCCESS) {
		ok = m->lm_rcv_dwords == 4 && m->lm_rcv_strings == 2;
		for (unsigned k = 0; ok && k < 2; k++) {
			const uint8_t *p = (const uint8_t *)dst + k * 2 * STR + 100;
			for (unsigned i = 0; ok && i < STR; i++)
				ok = p[i] == pattern(k, i);
		}
		intact += ok;
	} else {
		ok = rcv_result == MACH_RCV_INVALID_DATA || rcv_result == KERN_RESOURCE_SHORTAGE ||
		     rcv_result == MACH_RCV_TIMED_OUT;
		if (!ok)
			tap_diag("receiver result %#x", (unsigned)rcv_result);
	}
	(void)vm_deallocate(mach_task_self(), dst, 4 * STR + STR);
	return ok;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	(void)mach_port_insert_right(self, port, port, MACH_MSG_TYPE_MAKE_SEND);
	(void)vm_allocate(self, &src, 2 * STR, VM_FLAGS_ANYWHERE);
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; i < STR; i++)
			((uint8_t *)src)[k * STR + i] = pattern(k, i);
	int ok = 0;
	prepare();
	kern_return_t r = op_lipc(&ok);
	int f = finish();
	tap_ok(r == MACH_MSG_SUCCESS && ok && f && intact == 1,
	       "with nothing failing the strings arrive whole (%#x, receiver %#x)", (unsigned)r,
	       (unsigned)rcv_result);
	inject_prepare = prepare;
	inject_finish = finish;
	inject_sweep("long IPC into untouched memory", op_lipc);
	tap_ok(intact > 1, "intact transfers during the sweep: %u", intact);
	(void)vm_deallocate(self, src, 2 * STR);
	(void)mach_port_destroy(self, port);
	return tap_done();
}
