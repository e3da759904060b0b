/*
 * isolation_dflag: entering the kernel with the direction flag set.
 *
 * DF is a user-mode flag (std/cld are not privileged), and neither an
 * interrupt gate nor sysenter clears it.  The kernel's string moves
 * (memset, memcpy, copyin/copyout, the message hot path's word copies)
 * assume it clear, so every entry must clear it: otherwise a zero fill
 * runs downwards over the page below the one meant, and the page meant
 * keeps what it held before.
 *
 * Each call below is made with DF set just before the trap instruction
 * (the stubs are assembly, so no user string move runs with DF set):
 *   - a page fault on a fresh page whose frame was just filled with a
 *     pattern and freed: the zero fill must cover the new page;
 *   - mach_msg send+receive of a message with inline data to ourselves,
 *     once on the hot path's shape and once with a body;
 *   - _kernelrpc_mach_vm_allocate_trap, whose result is copied out.
 * Then the kernel's text checksum must be unchanged and the IPC auditor
 * clean.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mk/kernelrpc.h>
#include <mk/tap.h>

#define PATTERN	0xa5a5a5a5u
#define PAGE	4096u

/* Store v at p with DF set around the store (the store may fault). */
static void store_with_df(volatile uint32_t *p, uint32_t v)
{
	__asm__ volatile("std\n\tmovl %1, (%0)\n\tcld" : : "r"(p), "r"(v) : "memory", "cc");
}

static void set_df(void)
{
	__asm__ volatile("std" : : : "cc");
}

static void clear_df(void)
{
	__asm__ volatile("cld" : : : "cc");
}

/* A page-fault zero fill with DF set covers the whole new page. */
static void zero_fill(void)
{
	for (int round = 0; round < 4; round++) {
		vm_address_t va = 0;
		if (vm_allocate(mach_task_self(), &va, PAGE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) {
			tap_ok(0, "zero fill: vm_allocate");
			return;
		}
		uint32_t *w = (uint32_t *)va;
		for (unsigned i = 0; i < PAGE / 4; i++)
			w[i] = PATTERN;
		vm_deallocate(mach_task_self(), va, PAGE);

		va = 0;
		if (vm_allocate(mach_task_self(), &va, PAGE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) {
			tap_ok(0, "zero fill: vm_allocate again");
			return;
		}
		w = (uint32_t *)va;
		store_with_df(&w[1], 7);	/* the first touch: fault, zero fill */
		unsigned stale = 0;
		for (unsigned i = 0; i < PAGE / 4; i++)
			if (i != 1 && w[i] != 0)
				stale++;
		tap_ok(stale == 0 && w[1] == 7, "zero fill %d with DF set: %u stale word(s)", round,
		       stale);
		vm_deallocate(mach_task_self(), va, PAGE);
	}
}

struct msg_body {
	mach_msg_header_t head;
	uint32_t data[24];
	mach_msg_max_trailer_t trailer;
};

/* Messages to ourselves with DF set: the bytes arrive in order. */
static void messages(void)
{
	mach_port_t port;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS) {
		tap_ok(0, "messages: port");
		return;
	}
	for (int with_body = 0; with_body < 2; with_body++) {
		static struct msg_body m;
		mach_msg_size_t size = with_body ? sizeof(m.head) + sizeof(m.data) : sizeof(m.head);
		memset(&m, 0, sizeof(m));
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		m.head.msgh_size = size;
		m.head.msgh_remote_port = port;
		m.head.msgh_id = 4242 + with_body;
		for (unsigned i = 0; i < 24; i++)
			m.data[i] = 0x1000 + i;
		set_df();
		mach_msg_return_t mr = mach_msg(&m.head, MACH_SEND_MSG, size, 0, MACH_PORT_NULL,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		clear_df();
		static struct msg_body r;
		memset(&r, 0, sizeof(r));
		set_df();
		mach_msg_return_t rr = mach_msg(&r.head, MACH_RCV_MSG, 0, sizeof(r), port,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		clear_df();
		unsigned wrong = 0;
		if (with_body)
			for (unsigned i = 0; i < 24; i++)
				wrong += r.data[i] != 0x1000 + i;
		tap_ok(mr == MACH_MSG_SUCCESS && rr == MACH_MSG_SUCCESS &&
		       r.head.msgh_id == 4242 + with_body && r.head.msgh_size == size && wrong == 0,
		       "message %s with DF set (send %#x, receive %#x, %u wrong word(s))",
		       with_body ? "with a body" : "header only", mr, rr, wrong);
	}
	mach_port_destroy(mach_task_self(), port);
}

/* A trap whose result is copied out, with DF set. */
static void copyout_result(void)
{
	vm_address_t va[2] = { 0, 0x12345678 };
	set_df();
	kern_return_t kr = _kernelrpc_mach_vm_allocate_trap(mach_task_self(), &va[0], PAGE,
							    VM_FLAGS_ANYWHERE);
	clear_df();
	tap_ok(kr == KERN_SUCCESS && va[0] != 0 && va[1] == 0x12345678,
	       "trap result copied out with DF set (kr %#x)", kr);
	if (kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), va[0], PAGE);
}

int main(void)
{
	int sum0 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	zero_fill();
	messages();
	copyout_result();
	int sum1 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	tap_ok(sum0 == sum1, "kernel text and read-only data unchanged");
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "IPC audit clean");
	return tap_done();
}
