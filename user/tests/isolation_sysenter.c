/*
 * isolation_sysenter: hostile trap entry and the long-IPC window (issue
 * 10, item 5).
 *
 *   - int $0x80 and sysenter with the user stack pointer (ESP, or ECX for
 *     sysenter) in the kernel, in the long-IPC window, unmapped, at 0, or
 *     with the arguments running across the top of user space or onto an
 *     unmapped page (mach_msg: past the option word): the trap's
 *     arguments cannot be read: KERN_INVALID_ADDRESS, nothing else;
 *   - sysenter with EDX (where SYSEXIT returns) in the kernel: the return
 *     lands in user mode and faults there (a child: it dies of it);
 *   - sysenter with the trap flag set: the debug trap taken on the kernel's
 *     first instruction is dropped, the trap completes (a child);
 *   - right after a long-IPC transfer, the sending thread reads the
 *     long-IPC window: a fault, not the receiver's memory (a child);
 *   - an unaligned but mapped stack pointer: the trap reads its arguments
 *     and works;
 *   - hostile flags: the direction flag (DF) and the nested-task flag (NT)
 *     set by the user survive both trap entries into the kernel unless the
 *     entry clears them.  With DF set, the kernel's string copies run
 *     backwards (copyin of a trap's arguments would write below its
 *     buffer on the kernel stack, copyout would read kernel memory below
 *     its source); with NT set, the kernel's next IRET attempts a task
 *     return and faults in the kernel.  Traps that copy in and out, a page
 *     fault and blocking traps (whose flags other threads inherit when
 *     they resume in the kernel) are made with DF and NT set: each must
 *     give the same result as without them;
 * and the kernel's text is unchanged, the IPC audit clean.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_traps.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include <mk/thread.h>
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

/*
 * A mach_msg through sysenter whose option word is mapped (and not
 * MACH_MSG_OPTION_NONE) but whose later argument words run onto an
 * unmapped page: the assembly hot path's argument copy faults after it
 * has made its locals, and the C path it falls to reports the stack.
 */
static void args_across_a_hole(void)
{
	vm_address_t two = 0;
	kern_return_t kr = vm_allocate(mach_task_self(), &two, 2 * 4096, VM_FLAGS_ANYWHERE);
	if (kr == KERN_SUCCESS)
		kr = vm_deallocate(mach_task_self(), two + 4096, 4096);
	uint32_t end = (uint32_t)two + 4096;	/* the first unmapped byte */
	uint32_t esp = end - 12;		/* msg, option mapped; send_size not */
	uint32_t r = 0;
	if (kr == KERN_SUCCESS) {
		((uint32_t *)end)[-2] = 0;				/* msg */
		((uint32_t *)end)[-1] = MACH_SEND_MSG | MACH_RCV_MSG;	/* option */
		r = trap_with_stack(MACH_TRAP_MACH_MSG, esp, 1);
	}
	tap_ok(kr == KERN_SUCCESS && r == KERN_INVALID_ADDRESS,
	       "mach_msg arguments running onto an unmapped page through sysenter: "
	       "KERN_INVALID_ADDRESS (%#x)", r);
	(void)vm_deallocate(mach_task_self(), two, 4096);
}

/* An unaligned stack that is mapped: the trap works (mk_info(MK_INFO_HZ)). */
static void unaligned_stack(void)
{
	static uint8_t stack[64];
	uint32_t key = MK_INFO_HZ, hz = mk_info(MK_INFO_HZ);
	for (uint32_t off = 1; off < 4; off++) {
		uint32_t esp = (uint32_t)stack + 16 + off;
		memcpy((void *)(esp + 4), &key, sizeof(key));
		uint32_t a = trap_with_stack(MK_TRAP_INFO, esp, 0);
		uint32_t b = trap_with_stack(MK_TRAP_INFO, esp, 1);
		tap_ok(a == hz && b == hz, "stack at an odd address (+%u): both entries read the "
		       "argument (%u %u, hz %u)", off, a, b, hz);
	}
}

#define EFL_DF		0x0400u
#define EFL_NT		0x4000u

/*
 * hostile_trap(n, args, flags, sysenter): trap n with its 8 argument words
 * args on the stack as a stub would have them, EFLAGS |= flags at the
 * trap (int $0x80, or sysenter if sysenter is nonzero); DF and NT are
 * cleared again afterwards.  Returns EAX.
 */
uint32_t hostile_trap(uint32_t n, const uint32_t *args, uint32_t flags, int sysenter);
__asm__(".text\n"
	".globl hostile_trap\n"
	"hostile_trap:\n"
	"	pushl %ebp\n"
	"	movl %esp, %ebp\n"
	"	pushl %ebx\n"
	"	pushl %esi\n"
	"	pushl %edi\n"
	"	movl 12(%ebp), %esi\n"
	"	pushl 28(%esi)\n"
	"	pushl 24(%esi)\n"
	"	pushl 20(%esi)\n"
	"	pushl 16(%esi)\n"
	"	pushl 12(%esi)\n"
	"	pushl 8(%esi)\n"
	"	pushl 4(%esi)\n"
	"	pushl 0(%esi)\n"
	"	pushl $0\n"			/* where the stub's return address would be */
	"	movl 8(%ebp), %eax\n"
	"	movl 20(%ebp), %edi\n"
	"	movl 16(%ebp), %ebx\n"
	"	pushfl\n"
	"	orl %ebx, (%esp)\n"
	"	testl %edi, %edi\n"
	"	jnz 1f\n"
	"	popfl\n"
	"	int $0x80\n"
	"	jmp 2f\n"
	"1:	popfl\n"
	"	movl %esp, %ecx\n"
	"	movl $2f, %edx\n"
	"	sysenter\n"
	"2:	cld\n"
	"	pushfl\n"
	"	andl $~0x4000, (%esp)\n"
	"	popfl\n"
	"	leal -12(%ebp), %esp\n"
	"	popl %edi\n"
	"	popl %esi\n"
	"	popl %ebx\n"
	"	popl %ebp\n"
	"	ret\n");

/* mk_audit(MK_AUDIT_COUNTS) into the middle of a guarded buffer. */
static int counts_with_flags(uint32_t flags, int sysenter, struct mk_audit_counts *out)
{
	static uint8_t buf[3 * sizeof(struct mk_audit_counts)];
	const size_t n = sizeof(struct mk_audit_counts);
	memset(buf, 0xa5, sizeof(buf));
	uint32_t args[8] = { MK_AUDIT_COUNTS, 0, (uint32_t)(buf + n), n, 0, 0, 0, 0 };
	uint32_t r = hostile_trap(MK_TRAP_AUDIT, args, flags, sysenter);
	for (size_t i = 0; i < n; i++)
		if (buf[i] != 0xa5 || buf[2 * n + i] != 0xa5)
			return -1;	/* written outside the buffer */
	memcpy(out, buf + n, n);
	return (int)r;
}

/* A receiver thread for the blocking traps: 40 receives that time out. */
static mach_port_t block_port;
static volatile uint32_t block_flags, block_bad, spin_stop, spins;

static void blocking_receiver(void *arg)
{
	int sysenter = (int)(uintptr_t)arg;
	union {
		mach_msg_header_t h;
		uint8_t b[128];
	} u;
	for (int i = 0; i < 40; i++) {
		uint32_t args[8] = { (uint32_t)&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u),
				     block_port, 2, MACH_PORT_NULL, 0 };
		if (hostile_trap(MACH_TRAP_MACH_MSG, args, block_flags, sysenter) !=
		    MACH_RCV_TIMED_OUT)
			block_bad++;
	}
}

/* A user-mode spinner: preempted by the clock, it resumes through IRET. */
static void spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		spins++;
}

static void hostile_flags(void)
{
	static const struct {
		uint32_t flags;
		const char *what;
	} fl[] = { { EFL_DF, "DF" }, { EFL_NT, "NT" }, { EFL_DF | EFL_NT, "DF|NT" } };
	struct mk_audit_counts want, got;
	int r0 = counts_with_flags(0, 0, &want);
	tap_ok(r0 == KERN_SUCCESS && want.ports > 0, "counts without hostile flags (%d)", r0);
	for (unsigned i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		for (int se = 0; se < 2; se++) {
			memset(&got, 0, sizeof(got));
			int r = counts_with_flags(fl[i].flags, se, &got);
			tap_ok(r == KERN_SUCCESS && memcmp(&got, &want, sizeof(want)) == 0,
			       "%s set, %s: arguments in and counts out exactly as without (%d)",
			       fl[i].what, se ? "sysenter" : "int $0x80", r);
		}

	/* mach_msg's 7 argument words (a null message), both entries, DF set */
	static mach_msg_header_t h;
	uint32_t margs[8] = { (uint32_t)&h, MACH_SEND_MSG, 0, 0, 0, 0, 0, 0 };
	uint32_t a = hostile_trap(MACH_TRAP_MACH_MSG, margs, EFL_DF | EFL_NT, 0);
	uint32_t b = hostile_trap(MACH_TRAP_MACH_MSG, margs, EFL_DF | EFL_NT, 1);
	tap_ok(a == MACH_SEND_MSG_TOO_SMALL && b == MACH_SEND_MSG_TOO_SMALL,
	       "DF|NT set: mach_msg reads its 7 words right (%#x %#x)", a, b);

	/* a page fault taken with DF set: the new page is zero-filled, once */
	vm_address_t page = 0;
	uint32_t first = 1;
	if (vm_allocate(mach_task_self(), &page, 8192, VM_FLAGS_ANYWHERE) == KERN_SUCCESS) {
		__asm__ volatile("std\n\t"
				 "movl 4096(%1), %0\n\t"
				 "movl $7, 4096(%1)\n\t"
				 "cld"
				 : "=&r"(first) : "r"(page) : "memory", "cc");
	}
	tap_ok(page != 0 && first == 0 && ((uint32_t *)page)[1024] == 7,
	       "a page fault taken with DF set: the page reads zero (%#x), then what was written",
	       first);
	if (page)
		(void)vm_deallocate(mach_task_self(), page, 8192);

	/* blocking traps with DF|NT set while another thread resumes through IRET */
	block_port = ipc_port();
	for (int se = 0; se < 2; se++) {
		block_flags = EFL_DF | EFL_NT;
		block_bad = 0;
		spin_stop = 0;
		spins = 0;
		int ts = mk_thread_start(spinner, NULL);
		int tr = mk_thread_start(blocking_receiver, (void *)(uintptr_t)se);
		(void)mk_thread_wait(tr);
		spin_stop = 1;
		(void)mk_thread_wait(ts);
		tap_ok(ts > 0 && tr > 0 && block_bad == 0 && spins > 0,
		       "40 blocking receives with DF|NT set (%s) beside a spinning thread: "
		       "all timed out normally (%u bad)", se ? "sysenter" : "int $0x80", block_bad);
	}
	(void)mach_port_destroy(mach_task_self(), block_port);
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
	args_across_a_hole();
	unaligned_stack();
	hostile_flags();

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
