/*
 * exc_state: the thread-state behaviours and the i386 codes, in one task.
 *
 * The main thread installs a thread-level exception port on itself
 * (thread_set_exception_ports) and takes CPU exceptions; a second thread
 * serves the port with the MIG-generated exc_server() and the three
 * catch_exception_raise* routines below.  Per case:
 *
 *   ud2   EXCEPTION_STATE           EXC_BAD_INSTRUCTION {EXC_I386_INVOP, 0};
 *                                   the reply's state skips the 2-byte ud2
 *                                   and sets EAX, the thread runs on
 *   ud2   EXCEPTION_STATE_IDENTITY  the same, plus the thread and task
 *                                   rights: the main thread's port and our
 *                                   task port, under the names we hold
 *   divl  EXCEPTION_DEFAULT         EXC_ARITHMETIC {EXC_I386_DIV, 0}; the
 *                                   server reads the state with
 *                                   thread_get_state, skips the 2-byte divl
 *                                   with thread_set_state, replies success
 *   divl  EXCEPTION_STATE           the same through the reply's state
 *   int3  EXCEPTION_DEFAULT         EXC_BREAKPOINT {EXC_I386_BPT, 0}; EIP
 *                                   already past the int3, a plain success
 *                                   resumes there
 *   int3  EXCEPTION_STATE           the same, EAX changed through the state
 *
 * Each fault is in an asm block that records the faulting instruction's
 * address in a register first, so the old state's EIP can be checked
 * exactly; EAX after the block shows whether the new state was applied.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mach/excServer.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define RCV_TIMEOUT_MS	60000u
#define QUIT_ID		0x51554954	/* "QUIT": ends the server thread */

enum fault { F_UD2, F_DIV0, F_INT3 };

/* What the server does with the current case (set by main before a fault). */
static struct {
	uint32_t skip;		/* bytes to advance EIP */
	uint32_t new_eax;
	int set_state;		/* DEFAULT: thread_set_state the change */
} cfg;

/* What the server saw (read by main after the fault). */
static struct {
	int calls;
	mach_msg_id_t id;
	mach_msg_size_t size;
	mach_msg_bits_t bits;
	mach_port_t local;
	boolean_t served;
	mach_msg_return_t reply_mr;
	mach_port_t thread, task;
	mach_port_urefs_t thread_refs, task_refs;	/* while the rights were held */
	kern_return_t dealloc_kr;
	exception_type_t exc;
	mach_msg_type_number_t codeCnt;
	integer_t code[2];
	int flavor;
	mach_msg_type_number_t stateCnt;
	i386_thread_state_t old;
	kern_return_t get_kr, set_kr;
} seen;

static mach_port_t exc_port;
static mach_msg_return_t server_mr;

static void record(exception_type_t exc, const integer_t *code, mach_msg_type_number_t codeCnt)
{
	seen.calls++;
	seen.exc = exc;
	seen.codeCnt = codeCnt;
	for (unsigned int i = 0; i < 2 && i < codeCnt; i++)
		seen.code[i] = code[i];
}

/* Note the identity rights' user refs, then release them. */
static void take_identity(mach_port_t thread, mach_port_t task)
{
	seen.thread = thread;
	seen.task = task;
	mach_port_get_refs(mach_task_self(), thread, MACH_PORT_RIGHT_SEND, &seen.thread_refs);
	mach_port_get_refs(mach_task_self(), task, MACH_PORT_RIGHT_SEND, &seen.task_refs);
	seen.dealloc_kr = mach_port_deallocate(mach_task_self(), thread);
	kern_return_t kr = mach_port_deallocate(mach_task_self(), task);
	if (seen.dealloc_kr == KERN_SUCCESS)
		seen.dealloc_kr = kr;
}

kern_return_t catch_exception_raise(mach_port_t exception_port, mach_port_t thread,
				    mach_port_t task, exception_type_t exception,
				    exception_data_t code, mach_msg_type_number_t codeCnt)
{
	(void)exception_port;
	record(exception, code, codeCnt);
	mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
	seen.get_kr = thread_get_state(thread, i386_THREAD_STATE, (thread_state_t)&seen.old, &cnt);
	seen.stateCnt = cnt;
	if (cfg.set_state && seen.get_kr == KERN_SUCCESS) {
		i386_thread_state_t ts = seen.old;
		ts.eip += cfg.skip;
		ts.eax = cfg.new_eax;
		seen.set_kr = thread_set_state(thread, i386_THREAD_STATE, (thread_state_t)&ts,
					       i386_THREAD_STATE_COUNT);
	}
	take_identity(thread, task);
	return KERN_SUCCESS;
}

/* The state behaviours' common part: record the old state, build the new. */
static kern_return_t state_reply(int *flavor, const natural_t *old_state,
				 mach_msg_type_number_t old_stateCnt, natural_t *new_state,
				 mach_msg_type_number_t *new_stateCnt)
{
	seen.flavor = *flavor;
	seen.stateCnt = old_stateCnt;
	if (*flavor != i386_THREAD_STATE || old_stateCnt != i386_THREAD_STATE_COUNT ||
	    *new_stateCnt < i386_THREAD_STATE_COUNT)
		return KERN_INVALID_ARGUMENT;
	memcpy(&seen.old, old_state, sizeof(seen.old));
	i386_thread_state_t ts = seen.old;
	ts.eip += cfg.skip;
	ts.eax = cfg.new_eax;
	memcpy(new_state, &ts, sizeof(ts));
	*new_stateCnt = i386_THREAD_STATE_COUNT;
	return KERN_SUCCESS;
}

kern_return_t catch_exception_raise_state(mach_port_t exception_port, exception_type_t exception,
					  const exception_data_t code,
					  mach_msg_type_number_t codeCnt, int *flavor,
					  const thread_state_t old_state,
					  mach_msg_type_number_t old_stateCnt,
					  thread_state_t new_state,
					  mach_msg_type_number_t *new_stateCnt)
{
	(void)exception_port;
	record(exception, code, codeCnt);
	return state_reply(flavor, old_state, old_stateCnt, new_state, new_stateCnt);
}

kern_return_t catch_exception_raise_state_identity(mach_port_t exception_port, mach_port_t thread,
						   mach_port_t task, exception_type_t exception,
						   exception_data_t code,
						   mach_msg_type_number_t codeCnt, int *flavor,
						   thread_state_t old_state,
						   mach_msg_type_number_t old_stateCnt,
						   thread_state_t new_state,
						   mach_msg_type_number_t *new_stateCnt)
{
	(void)exception_port;
	record(exception, code, codeCnt);
	take_identity(thread, task);
	return state_reply(flavor, old_state, old_stateCnt, new_state, new_stateCnt);
}

static void server(void *arg)
{
	(void)arg;
	for (;;) {
		union {
			mach_msg_header_t h;
			union __RequestUnion__catch_exc_subsystem r;
			uint8_t space[sizeof(union __RequestUnion__catch_exc_subsystem) + 128];
		} in;
		union {
			mach_msg_header_t h;
			union __ReplyUnion__catch_exc_subsystem r;
		} out;
		mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						sizeof(in), exc_port, RCV_TIMEOUT_MS,
						MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			server_mr = mr;
			return;
		}
		if (in.h.msgh_id == QUIT_ID)
			return;
		seen.id = in.h.msgh_id;
		seen.size = in.h.msgh_size;
		seen.bits = in.h.msgh_bits;
		seen.local = in.h.msgh_local_port;
		seen.served = exc_server(&in.h, &out.h);
		seen.reply_mr = mach_msg(&out.h, MACH_SEND_MSG, out.h.msgh_size, 0,
					 MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
}

/*
 * Take one fault.  *site gets the address the old EIP must have: the
 * faulting instruction, or for int3 the instruction after it.  Returns
 * EAX after the block (0 going in).
 */
static __attribute__((noinline)) uint32_t fault(enum fault f, uint32_t *site)
{
	uint32_t a, s;
	switch (f) {
	case F_UD2:
		__asm__ volatile("movl $1f, %1\n\t"
				 "xorl %0, %0\n"
				 "1:\tud2"
				 : "=&a"(a), "=&r"(s) : : "memory", "cc");
		break;
	case F_DIV0:
		__asm__ volatile("movl $1f, %1\n\t"
				 "xorl %0, %0\n\t"
				 "xorl %%edx, %%edx\n\t"
				 "xorl %%ecx, %%ecx\n"
				 "1:\tdivl %%ecx"	/* f7 f1: 2 bytes */
				 : "=&a"(a), "=&S"(s) : : "ecx", "edx", "memory", "cc");
		break;
	default:
		__asm__ volatile("movl $1f, %1\n\t"
				 "xorl %0, %0\n\t"
				 "int3\n"
				 "1:"
				 : "=&a"(a), "=&r"(s) : : "memory", "cc");
		break;
	}
	*site = s;
	return a;
}

static const struct {
	const char *name;
	enum fault f;
	exception_mask_t mask;
	exception_behavior_t behavior;
	mach_msg_id_t id;
	exception_type_t exc;
	integer_t code0;
	uint32_t skip;
	int set_state;
} cases[] = {
	{ "ud2/STATE", F_UD2, EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE, 2402,
	  EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 2, 0 },
	{ "ud2/STATE_IDENTITY", F_UD2, EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE_IDENTITY, 2403,
	  EXC_BAD_INSTRUCTION, EXC_I386_INVOP, 2, 0 },
	{ "div0/DEFAULT+thread_set_state", F_DIV0, EXC_MASK_ARITHMETIC, EXCEPTION_DEFAULT, 2401,
	  EXC_ARITHMETIC, EXC_I386_DIV, 2, 1 },
	{ "div0/STATE", F_DIV0, EXC_MASK_ARITHMETIC, EXCEPTION_STATE, 2402,
	  EXC_ARITHMETIC, EXC_I386_DIV, 2, 0 },
	{ "int3/DEFAULT", F_INT3, EXC_MASK_BREAKPOINT, EXCEPTION_DEFAULT, 2401,
	  EXC_BREAKPOINT, EXC_I386_BPT, 0, 0 },
	{ "int3/STATE", F_INT3, EXC_MASK_BREAKPOINT, EXCEPTION_STATE, 2402,
	  EXC_BREAKPOINT, EXC_I386_BPT, 0, 0 },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

/* Expected request sizes (XNU's exc.defs layouts, 16-word i386 state). */
static mach_msg_size_t request_size(mach_msg_id_t id)
{
	switch (id) {
	case 2401: return sizeof(__Request__exception_raise_t);
	case 2402: return __builtin_offsetof(__Request__exception_raise_state_t, old_state) + 64;
	default:   return __builtin_offsetof(__Request__exception_raise_state_identity_t, old_state) + 64;
	}
}

int main(void)
{
	mach_port_t self = mach_task_self();
	mach_port_t thr = mach_thread_self();
	mach_port_urefs_t thr_refs = 0, task_refs = 0;

	if (!tap_ok(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc_port) == KERN_SUCCESS &&
		    mach_port_insert_right(self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND) ==
			    KERN_SUCCESS,
		    "exception port made"))
		return tap_done();
	mach_port_get_refs(self, thr, MACH_PORT_RIGHT_SEND, &thr_refs);
	mach_port_get_refs(self, self, MACH_PORT_RIGHT_SEND, &task_refs);
	int tid = mk_thread_start(server, NULL);
	if (!tap_ok(tid > 0, "server thread started (%d)", tid))
		return tap_done();

	for (unsigned int i = 0; i < NCASES; i++) {
		const char *n = cases[i].name;
		kern_return_t kr = thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL,
							      EXCEPTION_DEFAULT, 0);
		if (kr == KERN_SUCCESS)
			kr = thread_set_exception_ports(thr, cases[i].mask, exc_port,
							cases[i].behavior, i386_THREAD_STATE);
		if (!tap_ok(kr == KERN_SUCCESS, "%s: thread_set_exception_ports (kr %#x)", n, kr))
			continue;
		memset(&seen, 0, sizeof(seen));
		cfg.skip = cases[i].skip;
		cfg.new_eax = 0xc0de0000u + i;
		cfg.set_state = cases[i].set_state;

		uint32_t site = 0;
		uint32_t eax = fault(cases[i].f, &site);

		tap_ok(seen.calls == 1 && seen.served && seen.reply_mr == MACH_MSG_SUCCESS,
		       "%s: served once, reply sent (calls %d, mr %#x)", n, seen.calls,
		       seen.reply_mr);
		tap_ok(seen.id == cases[i].id && seen.size == request_size(cases[i].id),
		       "%s: request id %d size %u (got %d, %u)", n, cases[i].id,
		       request_size(cases[i].id), seen.id, seen.size);
		tap_ok(!!(seen.bits & MACH_MSGH_BITS_COMPLEX) == (cases[i].id != 2402) &&
		       MACH_MSGH_BITS_REMOTE(seen.bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
		       seen.local == exc_port,
		       "%s: header bits %#x, on the exception port", n, seen.bits);
		tap_ok(seen.exc == cases[i].exc && seen.codeCnt == 2 &&
		       seen.code[0] == cases[i].code0 && seen.code[1] == 0,
		       "%s: exception %d codes {%d, 0} (got %d, cnt %u, {%d, %d})", n,
		       cases[i].exc, cases[i].code0, seen.exc, seen.codeCnt, seen.code[0],
		       seen.code[1]);
		if (cases[i].behavior != EXCEPTION_DEFAULT)
			tap_ok(seen.flavor == i386_THREAD_STATE &&
			       seen.stateCnt == i386_THREAD_STATE_COUNT,
			       "%s: flavor i386_THREAD_STATE, %u words (got %d, %u)", n,
			       i386_THREAD_STATE_COUNT, seen.flavor, seen.stateCnt);
		else
			tap_ok(seen.get_kr == KERN_SUCCESS &&
			       seen.stateCnt == i386_THREAD_STATE_COUNT &&
			       seen.set_kr == KERN_SUCCESS,
			       "%s: thread_get_state/thread_set_state on the thread port "
			       "(kr %#x, %#x)", n, seen.get_kr, seen.set_kr);
		uint32_t here = (uint32_t)(uintptr_t)&site;
		tap_ok(seen.old.eip == site && seen.old.eax == 0 &&
		       seen.old.esp < here && here - seen.old.esp < 4096,
		       "%s: old state: EIP %#x (got %#x), EAX 0, ESP on our stack (%#x)", n, site,
		       seen.old.eip, seen.old.esp);
		uint32_t want_eax = cases[i].behavior == EXCEPTION_DEFAULT && !cfg.set_state
					    ? 0 : cfg.new_eax;
		tap_ok(eax == want_eax, "%s: resumed with EAX %#x (got %#x)", n, want_eax, eax);
		if (cases[i].behavior != EXCEPTION_STATE)
			tap_ok(seen.thread == thr && seen.task == self &&
			       seen.thread_refs == thr_refs + 1 && seen.task_refs == task_refs + 1 &&
			       seen.dealloc_kr == KERN_SUCCESS,
			       "%s: identity rights: our thread port %#x and task port %#x, one "
			       "uref each (got %#x refs %u, %#x refs %u)", n, thr, self,
			       seen.thread, seen.thread_refs, seen.task, seen.task_refs);
	}

	/* reset, stop the server */
	tap_ok(thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0) ==
		       KERN_SUCCESS,
	       "thread exception ports cleared");
	mach_msg_header_t q;
	memset(&q, 0, sizeof(q));
	q.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	q.msgh_size = sizeof(q);
	q.msgh_remote_port = exc_port;
	q.msgh_id = QUIT_ID;
	tap_ok(mach_msg(&q, MACH_SEND_MSG, sizeof(q), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) ==
		       MACH_MSG_SUCCESS,
	       "quit sent");
	tap_ok(mk_thread_wait(tid) == KERN_SUCCESS && server_mr == MACH_MSG_SUCCESS,
	       "server thread ended cleanly (mr %#x)", server_mr);
	mach_port_urefs_t r1 = 0, r2 = 0;
	mach_port_get_refs(self, thr, MACH_PORT_RIGHT_SEND, &r1);
	mach_port_get_refs(self, self, MACH_PORT_RIGHT_SEND, &r2);
	tap_ok(r1 == thr_refs && r2 == task_refs, "thread/task urefs back to %u/%u (got %u/%u)",
	       thr_refs, task_refs, r1, r2);
	mach_port_deallocate(self, thr);
	mach_port_destroy(self, exc_port);
	return tap_done();
}
