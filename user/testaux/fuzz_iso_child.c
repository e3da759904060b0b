/*
 * testaux/fuzz_iso_child: the child of the isolation tests
 * (user/tests/isolation_*.c).  It says hello on its bootstrap port (a
 * port its parent lent) with its own port, its task and thread ports and,
 * as words, the address of privileged() and of a region it holds; then it
 * takes one command (the message id) on its port:
 *
 *   ISO_SYSEXIT_KERNEL  sysenter with EDX (the return EIP) in the kernel:
 *                       the return faults in user mode at that address
 *   ISO_TF_SYSENTER     sysenter with the trap flag set: the kernel drops
 *                       it; exit 0 if the trap's result was right
 *   ISO_READ_WINDOW     after a long-IPC transfer of its own, read the
 *                       long-IPC window (0xf0000000 + the word): must fault
 *   ISO_CHECK_REGION    check the region's pattern: exit 0 if intact
 *   ISO_SPIN            loop for ever (a target for thread_set_state)
 *   ISO_FAULT           write to address 0
 *
 * privileged() executes cli: it exits 6 if that ever works (IOPL 3 given
 * to a user thread).  Exit statuses other than 0 name what went wrong.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>
#include "ipc_common.h"
#include "fuzz_iso.h"

static mach_port_t lport;
static uint32_t lbuf[64];
static vm_address_t lsrc, ldst;

/* Runs with EIP set here by the parent; cli faults unless IOPL was given. */
void privileged(void);
void privileged(void)
{
	__asm__ volatile("cli");
	mk_task_exit(6);
}

static void lipc_receiver(void *arg)
{
	(void)arg;
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)lbuf;
	m->lm_dwords = 4;
	m->lm_strings = 1;
	MK_LIPC_STRINGS(m)[0].ls_addr = (uint32_t)ldst;
	MK_LIPC_STRINGS(m)[0].ls_size = 65536;
	(void)mk_lipc_receive(lport, m, MK_LIPC_RCV_TIMEOUT, 10000);
}

/* A long-IPC transfer between two threads of this task, then a read of the window. */
static int read_window(uint32_t offset)
{
	mach_port_t self = mach_task_self();
	uint32_t sbuf[32];
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &lport);
	(void)mach_port_insert_right(self, lport, lport, MACH_MSG_TYPE_MAKE_SEND);
	(void)vm_allocate(self, &lsrc, 65536, VM_FLAGS_ANYWHERE);
	(void)vm_allocate(self, &ldst, 65536, VM_FLAGS_ANYWHERE);
	memset((void *)lsrc, 0x77, 65536);
	int tid = mk_thread_start(lipc_receiver, NULL);
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)sbuf;
	m->lm_dwords = 0;
	m->lm_strings = 1;
	MK_LIPC_STRINGS(m)[0].ls_addr = (uint32_t)lsrc;
	MK_LIPC_STRINGS(m)[0].ls_size = 65536;
	mach_msg_return_t mr = mk_lipc_send(lport, m, MK_LIPC_SEND_TIMEOUT, 10000);
	if (mr != MACH_MSG_SUCCESS)
		return 7;
	/* right after the copy, in the sending thread: the window must not be ours */
	volatile uint32_t v = *(volatile uint32_t *)(0xf0000000u + offset);
	(void)v;
	(void)mk_thread_wait(tid);
	return 4;
}

int main(void)
{
	mach_port_t self = mach_task_self(), parent = ipc_parent_port(), me = ipc_port();
	vm_address_t region = ISO_REGION;
	if (parent == MACH_PORT_NULL || me == MACH_PORT_NULL ||
	    vm_allocate(self, &region, ISO_REGION_SIZE, VM_FLAGS_FIXED) != KERN_SUCCESS)
		return 1;
	for (uint32_t i = 0; i < ISO_REGION_SIZE / 4; i++)
		((uint32_t *)region)[i] = iso_pattern(i);
	struct iso_hello h;
	memset(&h, 0, sizeof(h));
	h.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND) |
			   MACH_MSGH_BITS_COMPLEX;
	h.head.msgh_size = sizeof(h);
	h.head.msgh_remote_port = parent;
	h.head.msgh_local_port = me;
	h.head.msgh_id = ISO_HELLO;
	h.body.msgh_descriptor_count = 2;
	h.task.name = self;
	h.task.disposition = MACH_MSG_TYPE_COPY_SEND;
	h.task.type = MACH_MSG_PORT_DESCRIPTOR;
	h.thread.name = mach_thread_self();
	h.thread.disposition = MACH_MSG_TYPE_MOVE_SEND;
	h.thread.type = MACH_MSG_PORT_DESCRIPTOR;
	h.privileged = (uint32_t)privileged;
	h.region = (uint32_t)region;
	if (ipc_send(&h.head, sizeof(h)) != MACH_MSG_SUCCESS)
		return 1;
	union {
		mach_msg_header_t h;
		struct iso_cmd c;
		uint8_t b[256];
	} u;
	if (ipc_recv(&u.h, sizeof(u), me, 60000) != MACH_MSG_SUCCESS)
		return 1;
	switch (u.h.msgh_id) {
	case ISO_SYSEXIT_KERNEL:
		__asm__ volatile("movl %%esp, %%ecx\n\t"
				 "movl $0xc0100000, %%edx\n\t"
				 "sysenter"
				 : : "a"(MK_TRAP_INFO) : "ecx", "edx", "memory");
		return 8;	/* never reached: the return faults */
	case ISO_TF_SYSENTER: {
		uint32_t r;
		/* the arguments: key MK_INFO_HZ at ESP + 4 */
		__asm__ volatile("pushl %[key]\n\t"
				 "pushl $0\n\t"
				 "movl %%esp, %%ecx\n\t"
				 "movl $1f, %%edx\n\t"
				 "pushfl\n\t"
				 "orl $0x100, (%%esp)\n\t"
				 "popfl\n\t"
				 "sysenter\n"
				 "1:\taddl $8, %%esp"
				 : "=a"(r)
				 : "0"(MK_TRAP_INFO), [key] "i"(MK_INFO_HZ)
				 : "ecx", "edx", "memory", "cc");
		return r == mk_info(MK_INFO_HZ) ? 0 : 3;
	}
	case ISO_READ_WINDOW:
		return read_window(u.c.arg);
	case ISO_CHECK_REGION:
		for (uint32_t i = 0; i < ISO_REGION_SIZE / 4; i++)
			if (((uint32_t *)region)[i] != iso_pattern(i))
				return 5;
		return 0;
	case ISO_SPIN:
		for (;;)
			__asm__ volatile("pause");
	case ISO_FAULT:
		*(volatile uint32_t *)0 = 1;
		return 9;
	default:
		return 10;
	}
}
