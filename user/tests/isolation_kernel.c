/*
 * isolation_kernel: no path lets a task read or write kernel memory
 * (issue 10, item 5).
 *
 * Every call that copies to or from a user address is given kernel
 * addresses (the kernel's text, its data, the direct map, the long-IPC
 * window, the top page), and ranges that run from user space across the
 * top of user space into the kernel: copyin and copyout of trap arguments
 * and results, message buffers, out-of-line memory and port arrays,
 * scatter lists, the vm calls on this task's own map, the long-IPC trap,
 * the console write.  Each must fail with its documented error, and
 * afterwards the kernel's text and read-only data must be unchanged
 * (mk_audit MK_AUDIT_KSUM) and the IPC auditor clean.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/kernelrpc.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

static const uint32_t kaddr[] = {
	0xc0000000u, 0xc0100000u, 0xc0200000u, 0xc0400000u, 0xef000000u, 0xf0000000u,
	0xf0400000u, 0xfffff000u,
};
#define NK	(sizeof(kaddr) / sizeof(kaddr[0]))

/* Calls whose results land at a user address: given kernel addresses. */
static void writes(mach_port_t port)
{
	mach_port_t self = mach_task_self();
	for (unsigned i = 0; i < NK; i++) {
		uint32_t a = kaddr[i];
		int bad = 0;
		struct mk_exit_info *info = (void *)a;
		bad |= _kernelrpc_mach_vm_allocate_trap(self, (vm_address_t *)a, 4096, VM_FLAGS_ANYWHERE) !=
		       KERN_INVALID_ADDRESS;
		bad |= _kernelrpc_mach_port_allocate_trap(self, MACH_PORT_RIGHT_RECEIVE,
							  (mach_port_name_t *)a) != KERN_INVALID_ADDRESS;
		bad |= mk_bootprog_name(0, (char *)a, 64) != KERN_INVALID_ADDRESS;
		bad |= mk_task_wait(1, 1, info) == KERN_SUCCESS;
		bad |= mk_thread_spawn((void (*)(void *))0x1000, 0, (void *)(a + 8)) !=
		       -KERN_INVALID_ADDRESS;
		bad |= mk_audit(MK_AUDIT_COUNTS, 0, (void *)a, 64) != KERN_INVALID_ADDRESS;
		bad |= mk_audit(MK_AUDIT_BOOTARGS, 0, (void *)a, 64) != KERN_INVALID_ADDRESS;
		bad |= mk_audit(MK_AUDIT_ZONES, 0, (void *)a, 4096) != -KERN_INVALID_ADDRESS;
		/* a message received into kernel memory */
		(void)ipc_send_bare(port, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 7);
		bad |= mach_msg((mach_msg_header_t *)a, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, port, 0,
				MACH_PORT_NULL) != MACH_RCV_INVALID_DATA;
		/* the vm calls on our own map at kernel addresses */
		vm_address_t va = a;
		bad |= vm_allocate(self, &va, 4096, VM_FLAGS_FIXED) == KERN_SUCCESS;
		va = a;
		bad |= vm_allocate(self, &va, 4096, VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE) == KERN_SUCCESS;
		bad |= vm_protect(self, a, 4096, 0, VM_PROT_ALL) == KERN_SUCCESS;
		static char src[64] = "not for the kernel";
		bad |= vm_write(self, a, (vm_offset_t)src, sizeof(src)) == KERN_SUCCESS;
		vm_size_t out = 0;
		bad |= vm_read_overwrite(self, (vm_address_t)src, sizeof(src), a, &out) == KERN_SUCCESS;
		bad |= vm_copy(self, (vm_address_t)src, 4096, a) == KERN_SUCCESS;
		(void)vm_deallocate(self, a, 4096);	/* refused or a no-op: the kernel stays */
		tap_ok(!bad, "results written to %#x: every call refused", a);
	}
}

/* Calls that read from a user address: given kernel addresses. */
static void reads(mach_port_t port)
{
	mach_port_t self = mach_task_self();
	for (unsigned i = 0; i < NK; i++) {
		uint32_t a = kaddr[i];
		int bad = 0;
		bad |= mach_msg((mach_msg_header_t *)a, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 64, 0,
				MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_SEND_INVALID_DATA;
		bad |= mk_debug_write((const char *)a, 64) != KERN_INVALID_ADDRESS;
		bad |= mk_spawn((const char *)a) != -KERN_INVALID_ADDRESS;
		vm_offset_t data = 0;
		mach_msg_type_number_t cnt = 0;
		bad |= vm_read(self, a, 4096, &data, &cnt) == KERN_SUCCESS;
		bad |= mk_fault_inject(MK_FI_ZONE, 0, (const char *)a) != -KERN_INVALID_ADDRESS;
		/* out-of-line memory and port arrays from kernel memory */
		struct ipc_ool_msg m;
		ipc_ool_msg_init(&m, port, (const void *)a, 4096);
		bad |= ipc_send(&m.h, sizeof(m)) != MACH_SEND_INVALID_MEMORY;
		m.h.msgh_remote_port = port;
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		m.mem.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		((mach_msg_ool_ports_descriptor_t *)&m.mem)->disposition = MACH_MSG_TYPE_COPY_SEND;
		((mach_msg_ool_ports_descriptor_t *)&m.mem)->count = 4;
		bad |= ipc_send(&m.h, sizeof(m)) != MACH_SEND_INVALID_MEMORY;
		/* long IPC: a string in kernel memory, a receive buffer in it */
		uint32_t lb[16];
		mk_lipc_msg_t *lm = (mk_lipc_msg_t *)lb;
		lm->lm_dwords = 0;
		lm->lm_strings = 1;
		MK_LIPC_STRINGS(lm)[0].ls_addr = a;
		MK_LIPC_STRINGS(lm)[0].ls_size = 64;
		bad |= mk_lipc_send(port, lm, MK_LIPC_SEND_TIMEOUT, 0) != MACH_SEND_INVALID_DATA;
		bad |= mk_lipc_receive(port, lm, MK_LIPC_RCV_TIMEOUT, 0) != MACH_RCV_INVALID_DATA;
		bad |= mk_lipc_receive(port, (mk_lipc_msg_t *)a, MK_LIPC_RCV_TIMEOUT, 0) !=
		       MACH_RCV_INVALID_DATA;
		tap_ok(!bad, "data read from %#x: every call refused", a);
	}
	tap_ok(ipc_drain(port) == 0, "no message made it to the port");
}

/* Ranges starting in user space and running into the kernel. */
static void straddles(mach_port_t port)
{
	mach_port_t self = mach_task_self();
	int bad = 0;
	/* the last user page is this thread's stack: only the kernel part is wrong */
	uint32_t near = 0xc0000000u - 8;
	bad |= mk_bootprog_name(0, (char *)near, 64) != KERN_INVALID_ADDRESS;
	bad |= mk_debug_write((const char *)near, 64) != KERN_INVALID_ADDRESS;
	/* too long for one console write: refused before anything is read */
	bad |= mk_debug_write((const char *)0x1000, MK_DEBUG_WRITE_MAX + 1) != KERN_INVALID_ARGUMENT;
	bad |= mk_debug_write((const char *)near, 0xffffffffu) != KERN_INVALID_ARGUMENT;
	bad |= mk_audit(MK_AUDIT_COUNTS, 0, (void *)near, sizeof(struct mk_audit_counts)) !=
	       KERN_INVALID_ADDRESS;
	bad |= mach_msg((mach_msg_header_t *)near, MACH_SEND_MSG | MACH_SEND_TIMEOUT, 64, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL) != MACH_SEND_INVALID_DATA;
	(void)ipc_send_bare(port, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 7);
	mach_msg_return_t mr = mach_msg((mach_msg_header_t *)(0xc0000000u - 16),
					MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, port, 0,
					MACH_PORT_NULL);
	bad |= mr != MACH_RCV_INVALID_DATA;
	vm_offset_t data = 0;
	mach_msg_type_number_t cnt = 0;
	bad |= vm_read(self, 0xc0000000u - 4096, 8192, &data, &cnt) == KERN_SUCCESS;
	static char src[8192];
	bad |= vm_write(self, 0xc0000000u - 4096, (vm_offset_t)src, 8192) == KERN_SUCCESS;
	bad |= vm_protect(self, 0xc0000000u - 4096, 8192, 0, VM_PROT_ALL) == KERN_SUCCESS;
	tap_ok(!bad, "ranges across the top of user space: every call refused (receive %#x)", mr);
	ipc_drain(port);

	/* out-of-line memory from the last user page into the kernel */
	struct ipc_ool_msg m;
	ipc_ool_msg_init(&m, port, (const void *)(0xc0000000u - 4096), 8192);
	mr = ipc_send(&m.h, sizeof(m));
	tap_ok(mr == MACH_SEND_INVALID_MEMORY, "out-of-line memory across the top of user space: "
	       "MACH_SEND_INVALID_MEMORY (%#x)", mr);
	/* and a scatter list that would write it back there */
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_remote_port = port;
	static char page[4096];
	m.mem.address = page;
	m.mem.size = sizeof(page);
	(void)ipc_send(&m.h, sizeof(m));
	union {
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_ool_descriptor_t mem;
		} s;
		uint8_t b[256];
	} u;
	memset(&u, 0, sizeof(u));
	u.s.b.msgh_descriptor_count = 1;
	u.s.mem.address = (void *)(0xc0000000u - 2048);
	u.s.mem.size = 8192;
	u.s.mem.copy = MACH_MSG_OVERWRITE;
	u.s.mem.type = MACH_MSG_OOL_DESCRIPTOR;
	mr = mach_msg_overwrite(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_OVERWRITE, 0,
				sizeof(u), port, 1000, MACH_PORT_NULL, &u.s.h, sizeof(u));
	tap_ok(mr != MACH_MSG_SUCCESS || u.s.mem.address != (void *)(0xc0000000u - 2048),
	       "a scatter list across the top of user space is not written through (%#x)", mr);
	if (mr == MACH_MSG_SUCCESS || (mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR)
		if (u.s.mem.address && (uint32_t)u.s.mem.address < 0xbff00000u)
			(void)vm_deallocate(self, (vm_address_t)u.s.mem.address, u.s.mem.size);
	ipc_drain(port);
}

int main(void)
{
	int sum0 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	mach_port_t port = ipc_port_send();
	writes(port);
	reads(port);
	straddles(port);
	(void)mach_port_destroy(mach_task_self(), port);
	int sum1 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	tap_ok(sum0 == sum1, "the kernel's text and read-only data are unchanged (%#x, %#x)",
	       (unsigned)sum0, (unsigned)sum1);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "IPC audit clean");
	return tap_done();
}
