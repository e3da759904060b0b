/*
 * The fuzzer's calls: raw trap entry (int $0x80, sysenter, hostile user
 * stacks), every trap of <mach/syscall_sw.h> and <mach/mk_traps.h> with
 * hostile arguments, the long-IPC trap, upkeep of the name pool so that
 * names of every right type exist, and the choice of each call's kind
 * (mach_msg is in fz_msg.c, the kernel RPCs in fz_mig.c).
 *
 * Calls that would end the worker itself (mk_task_exit, mk_thread_exit,
 * mk_test_done, the task and thread ports of its own) are not made; the
 * arguments of the _kernelrpc traps, which act on the caller's own task,
 * are kept off the worker's own memory and names (fz_env.c).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mach/notify.h>
#include <mach/syscall_sw.h>
#include <mach/thread_switch.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include "fz.h"

/* ------------------------------------------------------------ raw entry */

/*
 * fz_trap_int(n, args, flags): copy the 9 argument words below a dummy
 * return address, as a cdecl call leaves them, and enter with int $0x80
 * with EFLAGS |= flags (hostile DF, NT, AC: FZ_HOSTILE_EFLAGS).
 * fz_trap_sysenter: the same through sysenter (ECX = ESP, EDX = return).
 * fz_trap_badstack(n, esp, sysenter, flags): enter with the user ESP (int)
 * or ECX (sysenter) set to esp; the real stack pointer is kept in EBX.
 * All three clear DF, NT and AC again before returning.
 */
__asm__(
	"	.text\n"
	"	.globl	fz_trap_int\n"
	"fz_trap_int:\n"
	"	xorl	%edx, %edx\n"		/* 0: int $0x80 */
	"	jmp	1f\n"
	"	.globl	fz_trap_sysenter\n"
	"fz_trap_sysenter:\n"
	"	movl	$1, %edx\n"		/* 1: sysenter */
	"1:	pushl	%ebp\n"
	"	movl	%esp, %ebp\n"
	"	pushl	%esi\n"
	"	pushl	%edi\n"
	"	movl	12(%ebp), %esi\n"
	"	subl	$40, %esp\n"
	"	leal	4(%esp), %edi\n"
	"	movl	$9, %ecx\n"
	"	cld\n"
	"	rep movsl\n"
	"	movl	$0, (%esp)\n"
	"	movl	8(%ebp), %eax\n"
	"	movl	16(%ebp), %ecx\n"
	"	pushfl\n"
	"	orl	%ecx, (%esp)\n"
	"	popfl\n"			/* from here on only DF/NT/AC-neutral code */
	"	testl	%edx, %edx\n"
	"	jnz	2f\n"
	"	int	$0x80\n"
	"	jmp	fz_trap_out\n"
	"2:	movl	%esp, %ecx\n"
	"	movl	$fz_trap_out, %edx\n"
	"	sysenter\n"
	"fz_trap_out:\n"
	"	cld\n"
	"	pushfl\n"
	"	andl	$~0x44000, (%esp)\n"
	"	popfl\n"
	"	addl	$40, %esp\n"
	"	popl	%edi\n"
	"	popl	%esi\n"
	"	popl	%ebp\n"
	"	ret\n"
	"	.globl	fz_trap_badstack\n"
	"fz_trap_badstack:\n"
	"	pushl	%ebp\n"
	"	movl	%esp, %ebp\n"
	"	pushl	%ebx\n"
	"	movl	20(%ebp), %edx\n"
	"	pushfl\n"
	"	orl	%edx, (%esp)\n"
	"	popfl\n"
	"	movl	8(%ebp), %eax\n"
	"	movl	12(%ebp), %ecx\n"
	"	cmpl	$0, 16(%ebp)\n"
	"	jne	2f\n"
	"	movl	%esp, %ebx\n"
	"	movl	%ecx, %esp\n"
	"	int	$0x80\n"
	"	movl	%ebx, %esp\n"
	"	jmp	3f\n"
	"2:	movl	%esp, %ebx\n"
	"	movl	$3f, %edx\n"
	"	sysenter\n"
	"3:	movl	%ebx, %esp\n"
	"	cld\n"
	"	pushfl\n"
	"	andl	$~0x44000, (%esp)\n"
	"	popfl\n"
	"	popl	%ebx\n"
	"	popl	%ebp\n"
	"	ret\n");

/* fz_hostile_eflags: see fz.h. */
uint32_t fz_hostile_eflags(struct fz_rng *r)
{
	static const uint32_t bits[] = { 0x400, 0x4000, 0x40000 };	/* DF, NT, AC */
	if (!fz_one_in(r, 8))
		return 0;
	uint32_t f = 0;
	for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (fz_one_in(r, 2))
			f |= bits[i];
	return f ? f : bits[0];
}

/* fz_enter: see fz.h. */
uint32_t fz_enter(struct fz_rng *r, uint32_t n, const uint32_t *a)
{
	uint32_t se = fz_one_in(r, 3), fl = fz_hostile_eflags(r);
	return se ? fz_trap_sysenter(n, a, fl) : fz_trap_int(n, a, fl);
}

#define DESC FZ_DESC

/* A thread the fuzz starts with mk_thread_spawn and a valid entry. */
static void spawned_entry(void *arg)
{
	(void)arg;
	mk_thread_exit();
}

/* ------------------------------------------------------------ vm arguments */

/*
 * An address and size for a vm trap on the worker's own map: the arena,
 * the kernel's range, 0, the top of user space; wrapping sizes only from
 * kernel addresses (the kernel must refuse them), never the worker's own
 * memory.
 */
static void self_range(struct fz_rng *r, uint32_t *addr, uint32_t *size)
{
	uint32_t a, s = fz_size(r);
	switch (fz_below(r, 6)) {
	case 0:
		a = 0;
		break;
	case 1:
		a = 0xc0000000u - 4096 * fz_below(r, 3);
		break;
	case 2:
		a = 0xc0000000u + 4096 * fz_below(r, 1024);
		break;
	case 3:
		a = fz.arena + fz_below(r, FZ_ARENA_SIZE);	/* unaligned too */
		break;
	default:
		a = fz.arena + 4096 * fz_below(r, FZ_ARENA_SIZE / 4096);
	}
	if (fz_overlaps_own(a, s))
		s = a >= fz.arena && a < fz.arena + FZ_ARENA_SIZE ?
		    fz.arena + FZ_ARENA_SIZE + 4096 - a : 4096;
	if (fz_overlaps_own(a, s)) {
		a = fz.arena;
		s = 4096;
	}
	*addr = a;
	*size = s;
}

/* ------------------------------------------------------------ traps */

static const uint32_t unknown_traps[] = {
	0, 1, 9, 11, 13, 15, 24, 25, 30, 33, 58, 62, 100, 127, 128, 0xfff, 0x2000,
	0x7fffffff, 0x80000000, 0xffffffe6, 0xffffffff,
};

/* One trap other than mach_msg and long IPC. */
static void fuzz_trap(struct fz_thread *t, struct fz_rng *r)
{
	uint32_t a[9];
	for (int i = 0; i < 9; i++)
		a[i] = fz_int(r);
	uint32_t n, *s = t->sbuf;
	mach_port_t target = fz_one_in(r, 8) ? fz_name(r) : fz.self;
	uint32_t pick = fz_below(r, 40);
	t->what = FZ_K_TRAP;

	switch (pick) {
	case 0: case 1: {	/* vm_allocate(target, *addr, size, flags) */
		uint32_t addr, size;
		self_range(r, &addr, &size);
		uint32_t flags = fz_one_in(r, 2) ? VM_FLAGS_ANYWHERE :
				 fz_one_in(r, 2) ? VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE : fz_int(r);
		if (fz_one_in(r, 4))
			size = fz_size(r);
		if (fz_overlaps_own(addr, size))
			flags &= ~VM_FLAGS_OVERWRITE;	/* never over the worker */
		s[0] = addr;
		n = MACH_TRAP_KERNELRPC_MACH_VM_ALLOCATE;
		a[0] = target;
		a[1] = fz_one_in(r, 4) && !(flags & VM_FLAGS_OVERWRITE) ? fz_ptr(r, 4) : (uint32_t)s;
		a[2] = size;
		a[3] = flags;
		DESC(t, "vm_allocate_trap(%#x, %#x->%#x, %#x, %#x)", a[0], a[1], addr, a[2], a[3]);
		uint32_t kr = fz_enter(r, n, a);
		t->result = kr;
		/* give back what was allocated outside the arena, if it is ours */
		if (kr == KERN_SUCCESS && a[1] == (uint32_t)s && !fz_overlaps_own(s[0], size) &&
		    (s[0] < fz.arena || s[0] >= fz.arena + FZ_ARENA_SIZE))
			(void)vm_deallocate(fz.self, s[0], size);
		return;
	}
	case 2: case 3:		/* vm_deallocate(target, addr, size) */
	case 4: {		/* vm_protect(target, addr, size, set_max, prot) */
		uint32_t addr, size;
		self_range(r, &addr, &size);
		n = pick == 4 ? MACH_TRAP_KERNELRPC_MACH_VM_PROTECT : MACH_TRAP_KERNELRPC_MACH_VM_DEALLOCATE;
		a[0] = target;
		a[1] = addr;
		a[2] = size;
		a[3] = fz_below(r, 3);
		a[4] = fz_one_in(r, 4) ? fz_int(r) : fz_below(r, 8);
		DESC(t, "%s(%#x, %#x, %#x, %u, %#x)", pick == 4 ? "vm_protect_trap" : "vm_deallocate_trap",
		     a[0], a[1], a[2], a[3], a[4]);
		t->result = fz_enter(r, n, a);
		return;
	}
	case 5: case 6:		/* port_allocate(target, right, *name) */
		n = MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE;
		a[0] = target;
		a[1] = fz_one_in(r, 4) ? fz_int(r) : fz_below(r, 6);
		a[2] = fz_one_in(r, 3) ? fz_ptr(r, 4) : (uint32_t)s;
		DESC(t, "port_allocate_trap(%#x, %u, %#x)", a[0], a[1], a[2]);
		break;
	case 7:			/* port_destroy(target, name) */
	case 8:			/* port_deallocate(target, name) */
		n = pick == 7 ? MACH_TRAP_KERNELRPC_MACH_PORT_DESTROY : MACH_TRAP_KERNELRPC_MACH_PORT_DEALLOCATE;
		a[0] = target;
		a[1] = fz_name_safe(r);
		DESC(t, "trap %u(%#x, %#x)", n, a[0], a[1]);
		break;
	case 9:			/* port_mod_refs(target, name, right, delta) */
		n = MACH_TRAP_KERNELRPC_MACH_PORT_MOD_REFS;
		a[0] = target;
		a[1] = fz_name_safe(r);
		a[2] = fz_one_in(r, 4) ? fz_int(r) : fz_below(r, 6);
		a[3] = fz_one_in(r, 2) ? fz_below(r, 5) - 2 : fz_int(r);
		DESC(t, "port_mod_refs_trap(%#x, %#x, %u, %d)", a[0], a[1], a[2], (int)a[3]);
		break;
	case 10: case 11:	/* move_member / insert_member / extract_member */
	case 12:
		n = pick == 10 ? MACH_TRAP_KERNELRPC_MACH_PORT_MOVE_MEMBER :
		    pick == 11 ? MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_MEMBER :
				 MACH_TRAP_KERNELRPC_MACH_PORT_EXTRACT_MEMBER;
		a[0] = target;
		a[1] = fz_one_in(r, 2) ? fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE) : fz_name_safe(r);
		a[2] = fz_one_in(r, 2) ? fz_pool_pick(r, MACH_PORT_TYPE_PORT_SET) : fz_name_safe(r);
		DESC(t, "member trap %u(%#x, %#x, %#x)", n, a[0], a[1], a[2]);
		break;
	case 13: case 14:	/* insert_right(target, name, poly, polyPoly) */
		n = MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_RIGHT;
		a[0] = target;
		a[1] = fz_name_safe(r);
		a[2] = fz_one_in(r, 2) ? a[1] : fz_name_safe(r);
		a[3] = fz_disp(r);
		DESC(t, "insert_right_trap(%#x, %#x, %#x, %u)", a[0], a[1], a[2], a[3]);
		break;
	case 15:
		n = MACH_TRAP_MACH_REPLY_PORT + fz_below(r, 4);	/* reply_port .. host_self */
		DESC(t, "trap %u()", n);
		break;
	case 16:
		n = fz_one_in(r, 2) ? MACH_TRAP_SWTCH : MACH_TRAP_SWTCH_PRI;
		DESC(t, "trap %u(%d)", n, (int)a[0]);
		break;
	case 17:		/* thread_switch(name, option, time) */
		n = MACH_TRAP_THREAD_SWITCH;
		a[0] = fz_name(r);
		a[1] = fz_one_in(r, 3) ? fz_int(r) : fz_below(r, 3);
		a[2] = fz_below(r, 4);	/* ms: never a long sleep */
		DESC(t, "thread_switch(%#x, %d, %u)", a[0], (int)a[1], a[2]);
		break;
	case 18:		/* mk_debug_write: only calls that print nothing */
		n = MK_TRAP_DEBUG_WRITE;
		a[0] = fz_one_in(r, 2) ? 0xc0000000u + fz_below(r, 0x1000) : 0;
		a[1] = fz_one_in(r, 3) ? 0 : fz_int(r) | 1;
		if (a[0] == 0 && fz_one_in(r, 2))
			a[0] = fz.arena + FZ_ARENA_SIZE;	/* the guard page */
		DESC(t, "mk_debug_write(%#x, %u)", a[0], a[1]);
		break;
	case 19: {		/* mk_thread_spawn(entry, arg, stack_top) */
		n = MK_TRAP_THREAD_SPAWN;
		a[0] = fz_one_in(r, 2) ? (uint32_t)spawned_entry : fz_int(r);
		a[2] = fz_one_in(r, 2) ? fz_ptr(r, 8) + 8 : fz.arena + FZ_ARENA_SIZE - 64 * fz_below(r, 8);
		if (!fz_one_in(r, 16) && a[0] != (uint32_t)spawned_entry)
			a[2] = 0;	/* mostly a bad stack: no thread */
		DESC(t, "mk_thread_spawn(%#x, %#x, %#x)", a[0], a[1], a[2]);
		break;
	}
	case 20:		/* mk_thread_join(tid, timeout) */
		n = MK_TRAP_THREAD_JOIN;
		a[0] = fz_one_in(r, 2) ? fz_below(r, 300) : fz_int(r);
		a[1] = 1 + fz_below(r, 2);
		DESC(t, "mk_thread_join(%d, %u)", (int)a[0], a[1]);
		break;
	case 21: {		/* mk_spawn(name): names that do not exist */
		static const char *const bad[] = { "", "fuzz/", "fuzz/nonexistent", "tests",
			"bootstrap", "/", "fuzz//victim", "fuzz/victim ",
			"0123456789012345678901234567890123456789012345678901234567890123456789" };
		n = MK_TRAP_SPAWN;
		const char *nm = bad[fz_below(r, sizeof(bad) / sizeof(bad[0]))];
		strncpy((char *)s, nm, 100);
		((char *)s)[100] = '\0';
		if (fz_one_in(r, 4))
			for (int i = 0; i < 80; i++)
				((char *)s)[i] = (char)(1 + fz_below(r, 255));	/* no NUL */
		/* never the arena: the kernel may have written a real name there */
		a[0] = fz_one_in(r, 3) ? fz_bad_ptr(r, 1) : (uint32_t)s;
		DESC(t, "mk_spawn(%#x)", a[0]);
		break;
	}
	case 22:		/* mk_task_wait(id, timeout, info) */
		n = MK_TRAP_TASK_WAIT;
		a[0] = fz_one_in(r, 2) ? fz_below(r, 200) : fz_int(r);
		if ((int)a[0] == fz.victim_id)
			a[0]++;		/* the victim is waited for by the worker */
		a[1] = 1;
		a[2] = fz_ptr(r, 12);
		DESC(t, "mk_task_wait(%d, %u, %#x)", (int)a[0], a[1], a[2]);
		break;
	case 23:		/* mk_task_kill(id): only the caller's own children die */
		n = MK_TRAP_TASK_KILL;
		a[0] = fz_one_in(r, 2) ? fz_below(r, 200) : fz_int(r);
		DESC(t, "mk_task_kill(%d)", (int)a[0]);
		break;
	case 24:
		n = MK_TRAP_INFO;
		DESC(t, "mk_info(%d)", (int)a[0]);
		break;
	case 25:		/* mk_bootprog_name(index, buf, size) */
		n = MK_TRAP_BOOTPROG_NAME;
		a[0] = fz_one_in(r, 2) ? fz_below(r, 64) : fz_int(r);
		a[2] = fz_one_in(r, 2) ? fz_below(r, 80) : fz_size(r);
		a[1] = fz_ptr(r, a[2]);
		DESC(t, "mk_bootprog_name(%u, %#x, %u)", a[0], a[1], a[2]);
		break;
	case 26:		/* mk_hotpath: flips the global switch (coord restores it) */
		n = MK_TRAP_HOTPATH;
		a[0] = fz_one_in(r, 2) ? fz_below(r, 3) - 1 : fz_int(r);
		DESC(t, "mk_hotpath(%d)", (int)a[0]);
		break;
	case 27: {		/* mk_audit: only the cheap ops, hostile buffers */
		n = MK_TRAP_AUDIT;
		static const uint32_t ops[] = { MK_AUDIT_COUNTS, MK_AUDIT_ZONES, MK_AUDIT_BOOTARGS,
						0, 8, 0xffffffffu };
		a[0] = ops[fz_below(r, 6)];	/* not IPC (slow) nor PRINT (noisy) */
		a[3] = fz_size(r);
		a[1] = fz_int(r);
		a[2] = fz_ptr(r, a[3]);
		DESC(t, "mk_audit(%u, %#x, %#x, %u)", a[0], a[1], a[2], a[3]);
		break;
	}
	case 28:		/* an unknown trap number: EXC_SYSCALL, handled */
	case 29:
		n = unknown_traps[fz_below(r, sizeof(unknown_traps) / sizeof(unknown_traps[0]))];
		DESC(t, "unknown trap %#x", n);
		break;
	default:		/* more of the common ones */
		if (fz_one_in(r, 2)) {
			n = MACH_TRAP_KERNELRPC_MACH_PORT_DEALLOCATE;
			a[0] = fz.self;
			a[1] = fz_name_safe(r);
		} else {
			n = MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE;
			a[0] = fz.self;
			a[1] = fz_below(r, 6);
			a[2] = (uint32_t)s;
		}
		DESC(t, "trap %u(%#x, %#x, %#x)", n, a[0], a[1], a[2]);
		break;
	}
	t->trapno = n;
	t->result = fz_enter(r, n, a);
}

/* ------------------------------------------------------------ long IPC */

/* One long-IPC call; two protected ports let threads meet on them. */
static void fuzz_lipc(struct fz_thread *t, struct fz_rng *r)
{
	uint32_t a[9];
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)t->sbuf;
	mk_lipc_msg_t *rm = (mk_lipc_msg_t *)t->rbuf;
	for (int i = 0; i < 9; i++)
		a[i] = 0;
	/* the message to send, in sbuf */
	uint32_t nd = fz_one_in(r, 8) ? fz_int(r) : fz_below(r, 64);
	uint32_t ns = fz_one_in(r, 8) ? fz_int(r) : fz_below(r, 4);
	m->lm_dwords = nd;
	m->lm_strings = ns;
	uint32_t ndw = nd < 200 ? nd : 200, nsw = ns < 8 ? ns : 8;
	for (uint32_t i = 0; i < ndw; i++)
		MK_LIPC_DWORDS(m)[i] = fz_rand(r);
	mk_lipc_string_t *sd = (mk_lipc_string_t *)(MK_LIPC_DWORDS(m) + ndw);
	for (uint32_t i = 0; i < nsw; i++) {
		uint32_t sz = fz_one_in(r, 3) ? fz_size(r) : fz_below(r, 9000);
		sd[i].ls_size = sz;
		sd[i].ls_addr = fz_one_in(r, 3) ? (uint32_t)t->sbuf : fz_ptr_src(r, sz);
		sd[i].ls_xfer = fz_int(r);
	}
	/* the receive buffer, in rbuf: room and dopes that fit it */
	uint32_t room = fz_below(r, 128), nb = fz_below(r, 5);
	rm->lm_dwords = room;
	rm->lm_strings = nb;
	mk_lipc_string_t *rd = (mk_lipc_string_t *)(MK_LIPC_DWORDS(rm) + room);
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t sz = fz_one_in(r, 3) ? fz_size(r) : fz_below(r, 9000);
		rd[i].ls_size = sz;
		rd[i].ls_addr = fz_ptr(r, sz);
		rd[i].ls_xfer = 0;
	}
	uint32_t option = fz_below(r, 4);
	if (fz_one_in(r, 8))
		option = fz_rand(r);
	if (fz_one_in(r, 32))
		option = MK_LIPC_STATS;
	option |= MK_LIPC_SEND_TIMEOUT | MK_LIPC_RCV_TIMEOUT;
	a[0] = option;
	a[1] = fz_one_in(r, 4) ? fz_name(r) : fz.lipc_port[fz_below(r, 2)];
	a[2] = fz_one_in(r, 5) ? fz_ptr(r, MK_LIPC_MSG_SIZE(ndw, nsw)) : (uint32_t)m;
	if (option == (MK_LIPC_STATS | MK_LIPC_SEND_TIMEOUT | MK_LIPC_RCV_TIMEOUT) ||
	    (option & MK_LIPC_STATS))
		a[2] = fz_one_in(r, 2) ? (uint32_t)t->sbuf : fz_ptr(r, sizeof(struct mk_lipc_stats));
	a[3] = fz_one_in(r, 4) ? fz_name_safe(r) : fz.lipc_port[fz_below(r, 2)];
	/*
	 * The kernel reads the receive dopes at rcv and writes strings where
	 * they point: rbuf with crafted dopes, or memory it cannot read at all.
	 */
	static const uint32_t nowhere[] = { 0, 0x10, 0xc0000000u, 0xc0100000u, 0xf0000000u,
					    0xfffffff0u };
	a[4] = (uint32_t)rm;
	if (fz_one_in(r, 5))
		a[4] = fz_one_in(r, 2) ? nowhere[fz_below(r, 6)] : fz.arena + FZ_ARENA_SIZE + 16;
	a[5] = fz_below(r, 3);
	t->what = FZ_K_LIPC;
	t->trapno = MK_TRAP_LONG_IPC;
	DESC(t, "mk_long_ipc(%#x, %#x, %#x [%u dwords %u strings], %#x, %#x [room %u, %u bufs], %u)",
	     a[0], a[1], a[2], nd, ns, a[3], a[4], room, nb, a[5]);
	t->result = fz_enter(r, MK_TRAP_LONG_IPC, a);
}

/* ------------------------------------------------------------ hostile stacks */

static void fuzz_stack(struct fz_thread *t, struct fz_rng *r)
{
	static const uint32_t traps[] = {
		MACH_TRAP_MACH_MSG, MACH_TRAP_MACH_MSG_OVERWRITE, MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE,
		MACH_TRAP_KERNELRPC_MACH_VM_ALLOCATE, MACH_TRAP_THREAD_SWITCH, MK_TRAP_INFO,
		MK_TRAP_LONG_IPC, MACH_TRAP_SWTCH, MK_TRAP_BOOTPROG_NAME, 0x7777,
	};
	uint32_t n = traps[fz_below(r, sizeof(traps) / sizeof(traps[0]))];
	uint32_t esp;
	switch (fz_below(r, 5)) {
	case 0:
		esp = 0xc0000000u + fz_below(r, 0x400000);	/* kernel */
		break;
	case 1:
		esp = 0xc0000000u - 4 * fz_below(r, 10);	/* arguments across the top */
		break;
	case 2:
		esp = fz.arena + FZ_ARENA_SIZE - 4 * fz_below(r, 10);	/* into the guard */
		break;
	case 3:
		esp = fz_rand(r);
		break;
	default:
		esp = fz_one_in(r, 2) ? 0 : 0xfffffffcu;
	}
	/* arguments read from a hostile stack must not name the worker's memory */
	if (fz_overlaps_own(esp, 48))
		esp = 0xc0000000u;
	uint32_t se = fz_below(r, 2), fl = fz_hostile_eflags(r);
	t->what = FZ_K_STACK;
	t->trapno = n;
	DESC(t, "trap %#x with %s esp %#x eflags |= %#x", n, se ? "sysenter" : "int $0x80", esp,
	     fl);
	t->result = fz_trap_badstack(n, esp, se, fl);
}

/* ------------------------------------------------------------ the pool */

/*
 * mach_port_names on the victim's task, as the MIG stub makes it but with
 * a send and a receive timeout: by now fz.victim_task may name some other
 * port (the fuzz frees names and puts other rights under them), and a
 * request queued on a full user port must not hold the worker for ever,
 * as the stub (no timeout) would.  The reply comes to the thread's own
 * reply port; a late one is drained with the next call's replies.
 */
static void victim_names(struct fz_thread *t)
{
	union {
		__Request__mach_port_names_t in;
		__Reply__mach_port_names_t out;
		uint8_t room[sizeof(__Reply__mach_port_names_t) + sizeof(mach_msg_max_trailer_t)];
	} m;
	if (!fz.victim_task)
		return;
	memset(&m.in, 0, sizeof(m.in));
	m.in.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.in.Head.msgh_size = sizeof(m.in);
	m.in.Head.msgh_remote_port = fz.victim_task;
	m.in.Head.msgh_local_port = t->reply;
	m.in.Head.msgh_id = 3200;		/* mach_port_names */
	if (mach_msg(&m.in.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
		     sizeof(m.in), sizeof(m), t->reply, 100, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return;
	const __Reply__mach_port_names_t *r = &m.out;
	if (r->Head.msgh_id != 3300 || !(r->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    r->Head.msgh_size != sizeof(*r) || r->msgh_body.msgh_descriptor_count != 2 ||
	    r->names.type != MACH_MSG_OOL_DESCRIPTOR || r->types.type != MACH_MSG_OOL_DESCRIPTOR ||
	    r->names.size != r->namesCnt * sizeof(mach_port_name_t)) {
		fz_release(&m.out.Head, sizeof(m), 1);	/* not the answer: give it all back */
		return;
	}
	const mach_port_name_t *names = (const mach_port_name_t *)r->names.address;
	unsigned k = r->namesCnt < 64 ? r->namesCnt : 64;
	for (unsigned i = 0; i < k; i++)
		fz.victim_names[i] = names[i];
	fz.nvictim_names = k;
	(void)vm_deallocate(fz.self, (vm_address_t)r->names.address, r->names.size);
	(void)vm_deallocate(fz.self, (vm_address_t)r->types.address, r->types.size);
}

/* Make rights of every type, requests and queued messages. */
static void fuzz_pool(struct fz_thread *t, struct fz_rng *r)
{
	mach_port_t self = fz.self, n = MACH_PORT_NULL, prev = MACH_PORT_NULL;
	t->what = FZ_K_POOL;
	t->trapno = 0;
	uint32_t pick = fz_below(r, 10);
	DESC(t, "pool upkeep %u", pick);
	switch (pick) {
	case 0:
		(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &n);
		if (fz_one_in(r, 2))
			(void)mach_port_insert_right(self, n, n, MACH_MSG_TYPE_MAKE_SEND);
		break;
	case 1:
		(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &n);
		(void)mach_port_move_member(self, fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE), n);
		break;
	case 2:
		(void)mach_port_allocate(self, fz_one_in(r, 2) ? MACH_PORT_RIGHT_DEAD_NAME :
					 MACH_PORT_RIGHT_RECEIVE, &n);
		break;
	case 3: {		/* a send-once right under a name of ours */
		mach_port_t rcv = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE);
		mach_port_t so;
		mach_msg_type_name_t got;
		if (rcv)
			(void)mach_port_extract_right(self, rcv, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got);
		break;
	}
	case 4: {		/* requests */
		mach_port_t on = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND);
		mach_port_t to = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE);
		static const mach_msg_id_t ids[] = { MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_NO_SENDERS,
						     MACH_NOTIFY_PORT_DESTROYED };
		if (on && to)
			(void)mach_port_request_notification(self, on, ids[fz_below(r, 3)],
							      fz_below(r, 2), to,
							      MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
		if (prev)
			(void)mach_port_deallocate(self, prev);
		break;
	}
	case 5: {		/* queue a message with rights and memory on a pool port */
		mach_port_t dest = fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE);
		mach_port_t carry[2] = { fz_pool_pick(r, MACH_PORT_TYPE_RECEIVE),
					 fz_pool_pick(r, MACH_PORT_TYPE_SEND) };
		mach_msg_type_name_t disp[2] = { fz_one_in(r, 3) ? MACH_MSG_TYPE_MOVE_RECEIVE :
						 MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_COPY_SEND };
		if (dest && carry[0] != dest)
			(void)fz_send_timeout(dest, MACH_MSG_TYPE_MAKE_SEND, carry[1],
					      carry[1] ? MACH_MSG_TYPE_COPY_SEND : 0, FZ_MSG_PING,
					      carry, disp, carry[1] ? 2 : 1, NULL, 0, 0);
		break;
	}
	case 6:			/* a message to the victim */
		if (fz.victim_port)
			(void)fz_send_timeout(fz.victim_port, MACH_MSG_TYPE_COPY_SEND, 0, 0,
					      FZ_MSG_PING, NULL, NULL, 0, NULL, 0, 0);
		break;
	case 7:
		fz_pool_refresh(r);
		break;
	default:		/* names in the victim's space */
		victim_names(t);
		break;
	}
	fz_drain(t->reply, t->rbuf, sizeof(t->rbuf));
}

/* ------------------------------------------------------------ dispatch */

/* fz_call: see fz.h. */
void fz_call(struct fz_thread *t)
{
	struct fz_rng r;
	fz_rng_seed(&r, fz.seed, fz.round, fz.worker, t->index, t->call);
	static const struct {
		unsigned share;		/* percent */
		unsigned kind;
		void (*fn)(struct fz_thread *, struct fz_rng *);
	} mix[] = {
		{ 32, FZ_K_RPC, fz_rpc }, { 24, FZ_K_MSG, fz_msg_call }, { 24, FZ_K_TRAP, fuzz_trap },
		{ 8, FZ_K_LIPC, fuzz_lipc }, { 3, FZ_K_STACK, fuzz_stack }, { 9, FZ_K_POOL, fuzz_pool },
	};
	unsigned k = fz_below(&r, 100), i = 0;
	t->result = 0;
	while (i + 1 < sizeof(mix) / sizeof(mix[0]) && k >= mix[i].share)
		k -= mix[i++].share;
	/* a kind switched off (fuzz_kinds=) gives its turn to the next one on */
	for (unsigned j = 0; j < sizeof(mix) / sizeof(mix[0]); j++) {
		unsigned m = (i + j) % (sizeof(mix) / sizeof(mix[0]));
		if (fz.kinds == 0 || (fz.kinds & (1u << mix[m].kind))) {
			mix[m].fn(t, &r);
			t->made[mix[m].kind]++;
			t->ok[mix[m].kind] += t->result == 0;
			break;
		}
	}
	fz_guard_reply();
	t->calls_done++;
}
