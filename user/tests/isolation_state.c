/*
 * isolation_state: thread state cannot carry a thread into the kernel
 * (issue 10, item 5).
 *
 * On a child's thread (its port given consensually), thread_set_state
 * with a kernel code or stack segment, kernel data segments, a made-up
 * selector or the wrong count is refused with KERN_INVALID_ARGUMENT and
 * changes nothing; EFLAGS bits a user must not have (IOPL, VM, NT, IF
 * cleared) are not taken: thread_get_state shows them as the kernel
 * forces them, and a cli at the resumed EIP faults (exit 6 would mean it
 * ran).  A kernel EIP (or ESP) with user segments is accepted and faults
 * in user mode at that address: the child dies of the fault, the kernel
 * carries on.  The same through an exception reply (EXCEPTION_STATE): a
 * new state with a kernel segment is refused, the fault is not resumed.
 *
 * A thread blocked inside a sysenter trap (a child waiting for its
 * command in mach_msg) goes back through SYSEXIT, which takes the return
 * EIP and ESP from the trap frame, when its state still looks plain, and
 * through IRET otherwise: a kernel EIP and ESP set while it waits (not
 * suspended, so the SYSEXIT path is the one taken; then again with DF,
 * NT and IOPL asked for, so the IRET path) must fault in user mode at
 * that EIP once the message arrives.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/exception_types.h>
#include <mach/mk_audit.h>
#include <mach/thread_status.h>
#include <mk/mach_port.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"
#include "../testaux/fuzz_iso.h"
#include <mach/exc.h>

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10

static int get(mach_port_t th, i386_thread_state_t *st)
{
	mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
	return thread_get_state(th, i386_THREAD_STATE, (thread_state_t)st, &cnt);
}

static kern_return_t set(mach_port_t th, const i386_thread_state_t *st)
{
	return thread_set_state(th, i386_THREAD_STATE, (thread_state_t)st,
				i386_THREAD_STATE_COUNT);
}

/* Start a spinning child and stop its thread; returns 0 on success. */
static int spinning_child(struct iso_child *c, i386_thread_state_t *st)
{
	if (iso_start(c) != 0 || iso_command(c, ISO_SPIN, 0) != MACH_MSG_SUCCESS)
		return -1;
	(void)mk_sleep_ms(20);
	if (thread_suspend(c->thread) != KERN_SUCCESS)
		return -1;
	(void)thread_abort(c->thread);
	return get(c->thread, st) == KERN_SUCCESS ? 0 : -1;
}

static void selectors(void)
{
	struct iso_child c;
	i386_thread_state_t st, bad, now;
	tap_ok(spinning_child(&c, &st) == 0, "a child spinning, its thread stopped");
	struct {
		const char *what;
		unsigned field;		/* word index in i386_thread_state_t */
		uint32_t value;
	} cases[] = {
#define W(f)	(offsetof(i386_thread_state_t, f) / 4)
		{ "kernel CS", W(cs), KERNEL_CS },
		{ "kernel SS", W(ss), KERNEL_DS },
		{ "kernel DS", W(ds), KERNEL_DS },
		{ "kernel ES", W(es), KERNEL_DS },
		{ "kernel FS", W(fs), KERNEL_DS },
		{ "kernel GS", W(gs), KERNEL_DS },
		{ "CS with RPL 0 of the user segment", W(cs), 0x18 },
		{ "an LDT selector", W(ds), 0x27 },
		{ "a selector past the GDT", W(ss), 0xfff3 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = st;
		((uint32_t *)&bad)[cases[i].field] = cases[i].value;
		kern_return_t kr = set(c.thread, &bad);
		int same = get(c.thread, &now) == KERN_SUCCESS && memcmp(&now, &st, sizeof(st)) == 0;
		tap_ok(kr == KERN_INVALID_ARGUMENT && same, "%s: KERN_INVALID_ARGUMENT, state "
		       "unchanged (kr %d)", cases[i].what, kr);
	}
	tap_ok(thread_set_state(c.thread, i386_THREAD_STATE, (thread_state_t)&st,
				i386_THREAD_STATE_COUNT + 1) == KERN_INVALID_ARGUMENT &&
	       thread_set_state(c.thread, 9999, (thread_state_t)&st, i386_THREAD_STATE_COUNT) ==
	       KERN_INVALID_ARGUMENT, "wrong count or flavor: KERN_INVALID_ARGUMENT");

	/* EFLAGS: privileged bits are not taken, and cli still faults */
	bad = st;
	bad.eflags = 0x3000 | 0x20000 | 0x4000 | 0x100 * 0;	/* IOPL 3, VM, NT, IF clear */
	bad.eip = c.privileged;
	tap_ok(set(c.thread, &bad) == KERN_SUCCESS && get(c.thread, &now) == KERN_SUCCESS &&
	       (now.eflags & 0x27000) == 0 && (now.eflags & 0x200),
	       "IOPL, VM and NT dropped, IF kept (eflags %#x)", now.eflags);
	(void)thread_resume(c.thread);
	struct mk_exit_info info = iso_end(&c, 30);
	tap_ok(info.how == MK_EXIT_FAULT, "cli at user level faults (how %d code %d)", info.how,
	       info.code);

	/* a kernel EIP with user segments: accepted, faults in user mode */
	static const uint32_t eips[] = { 0xc0100000u, 0xf0000000u, 0xfffffff0u };
	for (unsigned i = 0; i < 3; i++) {
		struct iso_child k;
		if (spinning_child(&k, &st) != 0) {
			tap_ok(0, "child for EIP %#x", eips[i]);
			continue;
		}
		bad = st;
		bad.eip = eips[i];
		bad.esp = 0xc0000100u;
		kern_return_t kr = set(k.thread, &bad);
		(void)thread_resume(k.thread);
		info = iso_end(&k, 30);
		tap_ok(kr == KERN_SUCCESS && info.how == MK_EXIT_FAULT && info.addr == eips[i],
		       "EIP %#x: accepted, the child faults there in user mode (kr %d how %d at %#x)",
		       eips[i], kr, info.how, info.addr);
	}
}

/* A child blocked in sysenter gets a kernel EIP/ESP; then its message. */
static void blocked_in_sysenter(void)
{
	static const struct {
		uint32_t eflags;
		const char *path;
	} cases[] = { { 0x202, "SYSEXIT" }, { 0x202 | 0x400 | 0x4000 | 0x3000, "IRET" } };
	for (unsigned i = 0; i < 2; i++) {
		struct iso_child c;
		i386_thread_state_t st;
		if (iso_start(&c) != 0) {
			tap_ok(0, "child for the %s return", cases[i].path);
			continue;
		}
		(void)mk_sleep_ms(20);		/* it waits for its command */
		kern_return_t kg = get(c.thread, &st), ks = KERN_FAILURE;
		if (kg == KERN_SUCCESS) {
			st.eip = 0xc0100000u;
			st.esp = 0xc0000100u;
			st.eflags = cases[i].eflags;
			ks = set(c.thread, &st);
		}
		i386_thread_state_t now;
		int seen = get(c.thread, &now) == KERN_SUCCESS && now.eip == 0xc0100000u &&
			   (now.eflags & 0x7000) == 0;
		mach_msg_return_t mr = iso_command(&c, ISO_CHECK_REGION, 0);
		struct mk_exit_info info = iso_end(&c, 30);
		tap_ok(kg == KERN_SUCCESS && ks == KERN_SUCCESS && seen && mr == MACH_MSG_SUCCESS &&
		       info.how == MK_EXIT_FAULT && info.addr == 0xc0100000u,
		       "blocked in sysenter, kernel EIP/ESP set (%s return): faults in user mode "
		       "there (kr %d/%d, how %d at %#x)", cases[i].path, kg, ks, info.how, info.addr);
	}
}

/* An exception reply that asks for a kernel segment: refused. */
static void exception_reply(void)
{
	mach_port_t self = mach_task_self(), exc = ipc_port_send();
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, exc, EXCEPTION_STATE,
				       i386_THREAD_STATE);
	struct iso_child c;
	int started = iso_start(&c) == 0;
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
	tap_ok(started, "a child with this task's EXCEPTION_STATE handler");
	if (!started)
		return;
	(void)iso_command(&c, ISO_FAULT, 0);
	union {
		__Request__exception_raise_state_t rq;
		uint8_t b[1024];
	} in;
	union {
		__Reply__exception_raise_state_t rp;
		uint8_t b[1024];
	} out;
	int answered = 0;
	for (int round = 0; round < 4; round++) {
		if (ipc_recv(&in.rq.Head, sizeof(in), exc, 5000) != MACH_MSG_SUCCESS)
			break;
		answered++;
		memset(&out, 0, sizeof(out));
		out.rp.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		out.rp.Head.msgh_remote_port = in.rq.Head.msgh_remote_port;
		out.rp.Head.msgh_id = in.rq.Head.msgh_id + 100;
		out.rp.NDR = NDR_record;
		out.rp.RetCode = KERN_SUCCESS;
		out.rp.flavor = i386_THREAD_STATE;
		out.rp.new_stateCnt = i386_THREAD_STATE_COUNT;
		memcpy(out.rp.new_state, in.rq.old_state, sizeof(i386_thread_state_t));
		((i386_thread_state_t *)out.rp.new_state)->cs = KERNEL_CS;
		out.rp.Head.msgh_size = offsetof(__Reply__exception_raise_state_t, new_state) +
					i386_THREAD_STATE_COUNT * 4;
		(void)ipc_send(&out.rp.Head, out.rp.Head.msgh_size);
	}
	struct mk_exit_info info = iso_end(&c, 30);
	tap_ok(answered == 1 && info.how == MK_EXIT_FAULT,
	       "a new state with a kernel CS is refused: the fault is not resumed, the child "
	       "dies of it (%d exception(s), how %d)", answered, info.how);
	(void)mach_port_destroy(self, exc);
}

int main(void)
{
	int sum0 = mk_audit(MK_AUDIT_KSUM, 0, NULL, 0);
	selectors();
	blocked_in_sysenter();
	exception_reply();
	tap_ok(mk_audit(MK_AUDIT_KSUM, 0, NULL, 0) == sum0, "kernel text unchanged");
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "IPC audit clean");
	return tap_done();
}
