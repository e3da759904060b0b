/*
 * exc_syscall: a trap number the kernel does not implement raises
 * EXC_SYSCALL with XNU's codes: code[0] the trap number, code[1] 1.
 *
 * In this task: the main thread sets a thread-level port for
 * EXC_MASK_SYSCALL, a second thread serves it, and the main thread makes
 * traps with unknown numbers, through int $0x80 and through sysenter:
 *
 *   - EXCEPTION_STATE: the old state shows EAX = the number and EIP
 *     after the trap instruction (for sysenter, the EDX return address);
 *     the server "emulates" the call by answering with a new EAX, and the
 *     thread resumes after the trap with that EAX (other registers kept);
 *   - EXCEPTION_DEFAULT: a plain success resumes after the trap with EAX
 *     still the trap number (the kernel writes no result).
 *
 * Then testaux/exc_badtrap makes such a trap with no handler: it is
 * terminated, reported as a fault of the trap gate (0x80) at the EIP
 * after the int.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define RCV_TIMEOUT_MS	60000u
#define WAIT_S		60
#define QUIT_ID		0x51554954
#define RESULT(n)	((n) ^ 0x5a5a0000u)	/* the server's emulated result */

static mach_port_t exc_port;
static mach_msg_return_t server_mr;

static struct {
	int calls;
	mach_msg_id_t id;
	exception_type_t exc;
	mach_msg_type_number_t codeCnt;
	integer_t code[2];
	int flavor;
	mach_msg_type_number_t stateCnt;
	i386_thread_state_t old;
	mach_msg_return_t reply_mr;
} seen;

union req {
	mach_msg_header_t head;
	__Request__exception_raise_t def;
	__Request__exception_raise_state_t st;
	uint8_t space[sizeof(__Request__exception_raise_state_t) + 128];
};

static void serve(const union req *q)
{
	union {
		mach_msg_header_t h;
		mig_reply_error_t err;
		__Reply__exception_raise_state_t st;
	} r;
	memset(&r, 0, sizeof(r));
	r.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.h.msgh_remote_port = q->head.msgh_remote_port;
	r.h.msgh_id = q->head.msgh_id + 100;
	r.h.msgh_size = sizeof(mig_reply_error_t);
	r.err.NDR = NDR_record;
	r.err.RetCode = KERN_SUCCESS;

	seen.calls++;
	seen.id = q->head.msgh_id;
	if (q->head.msgh_id == 2401) {
		seen.exc = q->def.exception;
		seen.codeCnt = q->def.codeCnt;
		memcpy(seen.code, q->def.code, sizeof(seen.code));
		mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
		thread_get_state(q->def.thread.name, i386_THREAD_STATE, (thread_state_t)&seen.old,
				 &cnt);
		seen.stateCnt = cnt;
		mach_port_deallocate(mach_task_self(), q->def.thread.name);
		mach_port_deallocate(mach_task_self(), q->def.task.name);
	} else if (q->head.msgh_id == 2402) {
		seen.exc = q->st.exception;
		seen.codeCnt = q->st.codeCnt;
		memcpy(seen.code, q->st.code, sizeof(seen.code));
		seen.flavor = q->st.flavor;
		seen.stateCnt = q->st.old_stateCnt;
		memcpy(&seen.old, q->st.old_state, sizeof(seen.old));
		i386_thread_state_t ns = seen.old;
		ns.eax = RESULT(seen.old.eax);
		r.st.flavor = i386_THREAD_STATE;
		r.st.new_stateCnt = i386_THREAD_STATE_COUNT;
		memcpy(r.st.new_state, &ns, sizeof(ns));
		r.h.msgh_size = __builtin_offsetof(__Reply__exception_raise_state_t, new_state) +
				sizeof(ns);
	} else {
		r.err.RetCode = KERN_FAILURE;
	}
	seen.reply_mr = mach_msg(&r.h, MACH_SEND_MSG, r.h.msgh_size, 0, MACH_PORT_NULL,
				 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static void server(void *arg)
{
	(void)arg;
	for (;;) {
		union req q;
		mach_msg_return_t mr = mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						sizeof(q), exc_port, RCV_TIMEOUT_MS,
						MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			server_mr = mr;
			return;
		}
		if (q.head.msgh_id == QUIT_ID)
			return;
		serve(&q);
	}
}

/*
 * Trap number n through int $0x80 (sysenter = 0) or sysenter (1).
 * *ret_eip gets where the trap returns to; EBX, ESI and EDI carry
 * markers that must survive.  Returns EAX after the trap.
 */
static __attribute__((noinline)) uint32_t bad_trap(uint32_t n, int sysenter, uint32_t *ret_eip,
						   int *regs_kept)
{
	uint32_t a = n, r = 0, b = 0xb0b0b0b0u, s = 0x51515151u, d = 0xd1d1d1d1u;
	if (!sysenter)
		__asm__ volatile("movl $1f, %1\n\t"
				 "int $0x80\n"
				 "1:"
				 : "+a"(a), "=m"(r), "+b"(b), "+S"(s), "+D"(d)
				 : : "ecx", "edx", "memory", "cc");
	else
		__asm__ volatile("movl $1f, %%edx\n\t"
				 "movl %%edx, %1\n\t"
				 "movl %%esp, %%ecx\n\t"
				 "sysenter\n"
				 "1:"
				 : "+a"(a), "=m"(r), "+b"(b), "+S"(s), "+D"(d)
				 : : "ecx", "edx", "memory", "cc");
	*ret_eip = r;
	*regs_kept = b == 0xb0b0b0b0u && s == 0x51515151u && d == 0xd1d1d1d1u;
	return a;
}

static const struct {
	const char *name;
	uint32_t n;
	int sysenter;
	exception_behavior_t behavior;
} cases[] = {
	{ "int 0x80, EAX 0x7777, STATE", 0x7777, 0, EXCEPTION_STATE },
	{ "int 0x80, EAX 0, STATE", 0, 0, EXCEPTION_STATE },
	{ "int 0x80, EAX 0xfff, STATE", 0xfff, 0, EXCEPTION_STATE },
	{ "int 0x80, EAX 0x7fffffff, STATE", 0x7fffffff, 0, EXCEPTION_STATE },
	{ "sysenter, EAX 0x7777, STATE", 0x7777, 1, EXCEPTION_STATE },
	{ "int 0x80, EAX 0x7777, DEFAULT", 0x7777, 0, EXCEPTION_DEFAULT },
	{ "sysenter, EAX 0x7777, DEFAULT", 0x7777, 1, EXCEPTION_DEFAULT },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void in_task(void)
{
	mach_port_t self = mach_task_self(), thr = mach_thread_self();
	if (!tap_ok(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc_port) == KERN_SUCCESS &&
		    mach_port_insert_right(self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND) ==
			    KERN_SUCCESS,
		    "exception port made"))
		return;
	int tid = mk_thread_start(server, NULL);
	tap_ok(tid > 0, "server thread started");

	for (unsigned int i = 0; i < NCASES; i++) {
		const char *n = cases[i].name;
		kern_return_t kr = thread_set_exception_ports(thr, EXC_MASK_SYSCALL, exc_port,
							      cases[i].behavior, i386_THREAD_STATE);
		if (!tap_ok(kr == KERN_SUCCESS, "%s: thread port set (kr %#x)", n, kr))
			continue;
		memset(&seen, 0, sizeof(seen));
		uint32_t ret_eip = 0;
		int kept = 0;
		uint32_t eax = bad_trap(cases[i].n, cases[i].sysenter, &ret_eip, &kept);

		int state = cases[i].behavior == EXCEPTION_STATE;
		tap_ok(seen.calls == 1 && seen.id == (state ? 2402 : 2401) &&
		       seen.reply_mr == MACH_MSG_SUCCESS,
		       "%s: one request, id %d (calls %d, id %d)", n, state ? 2402 : 2401,
		       seen.calls, seen.id);
		tap_ok(seen.exc == EXC_SYSCALL && seen.codeCnt == 2 &&
		       seen.code[0] == (integer_t)cases[i].n && seen.code[1] == 1,
		       "%s: EXC_SYSCALL {%#x, 1} (got %d, cnt %u, {%#x, %d})", n, cases[i].n,
		       seen.exc, seen.codeCnt, seen.code[0], seen.code[1]);
		tap_ok(seen.stateCnt == i386_THREAD_STATE_COUNT && seen.old.eax == cases[i].n &&
		       seen.old.eip == ret_eip && seen.old.ebx == 0xb0b0b0b0u &&
		       seen.old.esi == 0x51515151u,
		       "%s: old state: EAX the number, EIP %#x after the trap (got %#x, %#x)", n,
		       ret_eip, seen.old.eax, seen.old.eip);
		uint32_t want = state ? RESULT(cases[i].n) : cases[i].n;
		tap_ok(eax == want && kept, "%s: resumed after the trap with EAX %#x (got %#x), "
		       "EBX/ESI/EDI kept", n, want, eax);
	}

	tap_ok(thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0) ==
		       KERN_SUCCESS,
	       "thread port cleared");
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = exc_port;
	h.msgh_id = QUIT_ID;
	mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	tap_ok(tid > 0 && mk_thread_wait(tid) == KERN_SUCCESS && server_mr == MACH_MSG_SUCCESS,
	       "server thread ended cleanly (mr %#x)", server_mr);
	mach_port_destroy(self, exc_port);
	mach_port_deallocate(self, thr);
}

static void no_handler(void)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	struct mk_exit_info info = { 0, 0, 0 };
	int child = mk_spawn("testaux/exc_badtrap");
	if (!tap_ok(child > 0, "exc_badtrap spawned (%d)", child))
		return;
	kern_return_t kr = mk_task_wait(child, WAIT_S * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(child);
		mk_task_wait(child, WAIT_S * hz, &info);
	}
	tap_ok(kr == KERN_SUCCESS && info.how == MK_EXIT_FAULT && info.code == 0x80 &&
	       info.addr >= 0x08048000u && info.addr < 0x08148000u,
	       "no handler: terminated by the EXC_SYSCALL of trap gate 0x80 (kr %#x, how %d, "
	       "code %#x, addr %#x)", kr, info.how, info.code, info.addr);
}

int main(void)
{
	in_task();
	no_handler();
	return tap_done();
}
