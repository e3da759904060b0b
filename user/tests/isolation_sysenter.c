/*
 * isolation_sysenter: hostile trap entry and the long-IPC window (issue
 * 10, item 5).
 *
 *   - int $0x80 and sysenter with the user stack pointer (ESP, or ECX for
 *     sysenter) in the kernel, in the long-IPC window, unmapped, at 0, or
 *     with the arguments running across the top of user space: the trap's
 *     arguments cannot be read: KERN_INVALID_ADDRESS, nothing else;
 *   - sysenter with EDX (where SYSEXIT returns) in the kernel: the return
 *     lands in user mode and faults there (a child: it dies of it);
 *   - sysenter with the trap flag set: the debug trap taken on the kernel's
 *     first instruction is dropped, the trap completes (a child);
 *   - right after a long-IPC transfer, the sending thread reads the
 *     long-IPC window: a fault, not the receiver's memory (a child);
 * and the kernel's text is unchanged, the IPC audit clean.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"
#include "../testaux/fuzz_iso.h"

/* Trap n with ESP (int) or ECX (sysenter) = esp; the real one is kept in EBX. */
static uint32_t trap_with_stack(uint32_t n, uint32_t esp, int use_sysenter)
{
	uint32_t r;
	if (use_sysenter)
		__asm__ volatile("pushl %%ebx\n\t"
				 "movl %%esp, %%ebx\n\t"
				 "movl $1f, %%edx\n\t"
				 "sysenter\n"
				 "1:\tmovl %%ebx, %%esp\n\t"
				 "popl %%ebx"
				 : "=a"(r), "+c"(esp) : "0"(n) : "edx", "memory", "cc");
	else
		__asm__ volatile("pushl %%ebx\n\t"
				 "movl %%esp, %%ebx\n\t"
				 "movl %%ecx, %%esp\n\t"
				 "int $0x80\n\t"
				 "movl %%ebx, %%esp\n\t"
				 "popl %%ebx"
				 : "=a"(r), "+c"(esp) : "0"(n) : "edx", "memory", "cc");
	return r;
}

static void hostile_stacks(void)
{
	static const uint32_t esps[] = { 0xc0000000u, 0xc0100000u, 0xf0000000u, 0xfffffff0u,
					 0xbffffffcu, 0x0u, 0x500u, 0x7ffff000u };
	for (unsigned i = 0; i < sizeof(esps) / sizeof(esps[0]); i++) {
		uint32_t a = trap_with_stack(MK_TRAP_INFO, esps[i], 0);
		uint32_t b = trap_with_stack(MK_TRAP_INFO, esps[i], 1);
		uint32_t c = trap_with_stack(MACH_TRAP_MACH_MSG, esps[i], 1);
		tap_ok(a == KERN_INVALID_ADDRESS && b == KERN_INVALID_ADDRESS &&
		       c == KERN_INVALID_ADDRESS,
		       "stack at %#x: int $0x80 and sysenter answer KERN_INVALID_ADDRESS (%#x %#x %#x)",
		       esps[i], a, b, c);
	}
}

/* A child told to do cmd; returns how it ended. */
static struct mk_exit_info child(mach_msg_id_t cmd, uint32_t arg)
{
	struct iso_child c;
	struct mk_exit_info none = { -1, 0, 0 };
	if (iso_start(&c) != 0)
		return none;
	(void)mach_port_deallocate(mach_task_self(), c.task);
	c.task = MACH_PORT_NULL;
	(void)iso_command(&c, cmd, arg);
	return iso_end(&c, 60);
}

int main(void)
{
	int sum0 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	hostile_stacks();

	struct mk_exit_info info = child(ISO_SYSEXIT_KERNEL, 0);
	tap_ok(info.how == MK_EXIT_FAULT && info.addr == 0xc0100000u,
	       "sysenter returning to a kernel EIP faults in user mode there (how %d at %#x)",
	       info.how, info.addr);
	info = child(ISO_TF_SYSENTER, 0);
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 0,
	       "sysenter with the trap flag set: the trap completes (how %d code %d)", info.how,
	       info.code);
	info = child(ISO_READ_WINDOW, 0);
	tap_ok(info.how == MK_EXIT_FAULT && info.addr == 0xf0000000u,
	       "the long-IPC window, read by the sender after a transfer: a fault (how %d code %d "
	       "at %#x)", info.how, info.code, info.addr);
	info = child(ISO_READ_WINDOW, 0x400000u);
	tap_ok(info.how == MK_EXIT_FAULT && info.addr == 0xf0400000u,
	       "its second half too (how %d code %d at %#x)", info.how, info.code, info.addr);

	tap_ok(mk_audit(MK_AUDIT_KSUM, 0, NULL, 0) == sum0, "kernel text unchanged");
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "IPC audit clean");
	return tap_done();
}
