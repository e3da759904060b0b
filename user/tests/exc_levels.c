/*
 * exc_levels: which exception port gets an exception, and what a reply
 * that is not a success does.
 *
 * Part 1, in this task.  The task-level port T (EXCEPTION_STATE) and a
 * thread-level port H on the main thread (EXCEPTION_DEFAULT, or
 * EXCEPTION_STATE where the case says so) are each served by a thread of
 * their own, which logs every request it gets ('H' or 'T') and answers as
 * the case tells it.  The main thread executes ud2 with EAX = 0:
 *
 *   - H answers success (skipping the ud2): only H is asked, and the
 *     thread resumes with H's EAX;
 *   - H answers KERN_FAILURE, a reply with the wrong id, a short reply, a
 *     complex reply, an over-long DEFAULT reply, or a state reply whose
 *     new state the kernel must refuse: the exception moves on to T with
 *     the same codes and the unmodified old state, T's success resumes
 *     the thread with T's EAX;
 *   - H is set for another exception only, or H is a dead port: T alone
 *     gets it.
 *
 * Part 2, across tasks.  testaux/exc_ud2 inherits a task-level port C of
 * ours and nothing else.  When C's answer is not a success (KERN_FAILURE,
 * or a reply with the wrong id) there is no next level: the child is
 * terminated by the fault (trap 6).  A success that leaves the state
 * alone re-executes the ud2, so the same exception comes again.  None of
 * this may hang: every wait has a timeout.
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
#define H_EAX		0x7eadu		/* thread level's new EAX */
#define T_EAX		0x7a5cu		/* task level's new EAX */

enum action {
	A_SUCCESS,	/* skip the ud2, set EAX, KERN_SUCCESS */
	A_FAIL,		/* RetCode KERN_FAILURE */
	A_BAD_ID,	/* a success reply, id + 101 */
	A_SHORT,	/* id + 100 but only a header */
	A_COMPLEX,	/* success with MACH_MSGH_BITS_COMPLEX set */
	A_LONG,		/* DEFAULT: success padded with a state it must not carry */
	A_BAD_STATE,	/* STATE: success, but a new state with CS 0 */
};

union req {
	mach_msg_header_t head;
	__Request__exception_raise_t def;
	__Request__exception_raise_state_t st;
	__Request__exception_raise_state_identity_t sti;
	uint8_t space[sizeof(__Request__exception_raise_state_identity_t) + 128];
};

struct event {
	char level;
	mach_msg_id_t id;
	exception_type_t exc;
	mach_msg_type_number_t codeCnt;
	integer_t code[2];
	uint32_t eip, eax;	/* old state, where the request or the thread shows it */
};

static struct {
	struct event ev[8];
	int n;
	mach_msg_return_t reply_mr[8];
} lg;

struct server {
	char level;
	mach_port_t port;
	enum action action;
	uint32_t new_eax;
	mach_msg_return_t mr;
};

/* Send an answer of the given kind to request q (old state *ts). */
static mach_msg_return_t answer(const union req *q, enum action a, uint32_t new_eax,
				const i386_thread_state_t *ts)
{
	union {
		mach_msg_header_t h;
		mig_reply_error_t err;
		__Reply__exception_raise_state_t st;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t body;
			NDR_record_t NDR;
			kern_return_t RetCode;
		} cx;
	} r;
	memset(&r, 0, sizeof(r));
	mach_msg_id_t id = q->head.msgh_id;
	r.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.h.msgh_remote_port = q->head.msgh_remote_port;
	r.h.msgh_id = id + 100;
	r.err.NDR = NDR_record;
	r.err.RetCode = KERN_SUCCESS;
	r.h.msgh_size = sizeof(mig_reply_error_t);
	int with_state = id != 2401 && (a == A_SUCCESS || a == A_BAD_STATE);

	switch (a) {
	case A_FAIL:
		r.err.RetCode = KERN_FAILURE;
		break;
	case A_BAD_ID:
		r.h.msgh_id = id + 101;
		with_state = id != 2401;
		break;
	case A_SHORT:
		r.h.msgh_size = sizeof(mach_msg_header_t);
		break;
	case A_COMPLEX:
		r.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		r.cx.body.msgh_descriptor_count = 0;
		r.cx.NDR = NDR_record;
		r.cx.RetCode = KERN_SUCCESS;
		r.h.msgh_size = sizeof(r.cx);
		break;
	case A_LONG:
		with_state = 1;
		break;
	default:
		break;
	}
	if (with_state) {
		i386_thread_state_t ns = *ts;
		ns.eip += 2;
		ns.eax = new_eax;
		if (a == A_BAD_STATE)
			ns.cs = 0;
		r.st.flavor = i386_THREAD_STATE;
		r.st.new_stateCnt = i386_THREAD_STATE_COUNT;
		memcpy(r.st.new_state, &ns, sizeof(ns));
		r.h.msgh_size = __builtin_offsetof(__Reply__exception_raise_state_t, new_state) +
				sizeof(ns);
	}
	return mach_msg(&r.h, MACH_SEND_MSG, r.h.msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * Serve one request: log it, answer it per s->action.  For DEFAULT the
 * state comes from thread_get_state, and a success skips the ud2 with
 * thread_set_state.  Identity rights are released.
 */
static void serve_one(struct server *s, const union req *q)
{
	struct event *e = lg.n < 8 ? &lg.ev[lg.n] : NULL;
	i386_thread_state_t ts;
	memset(&ts, 0, sizeof(ts));
	mach_port_t thread = MACH_PORT_NULL, task = MACH_PORT_NULL;
	exception_type_t exc;
	mach_msg_type_number_t codeCnt;
	const integer_t *code;

	switch (q->head.msgh_id) {
	case 2401: {
		thread = q->def.thread.name;
		task = q->def.task.name;
		exc = q->def.exception;
		codeCnt = q->def.codeCnt;
		code = q->def.code;
		mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
		thread_get_state(thread, i386_THREAD_STATE, (thread_state_t)&ts, &cnt);
		break;
	}
	case 2402:
		exc = q->st.exception;
		codeCnt = q->st.codeCnt;
		code = q->st.code;
		memcpy(&ts, q->st.old_state, sizeof(ts));
		break;
	default:
		thread = q->sti.thread.name;
		task = q->sti.task.name;
		exc = q->sti.exception;
		codeCnt = q->sti.codeCnt;
		code = q->sti.code;
		memcpy(&ts, q->sti.old_state, sizeof(ts));
		break;
	}
	if (e) {
		e->level = s->level;
		e->id = q->head.msgh_id;
		e->exc = exc;
		e->codeCnt = codeCnt;
		e->code[0] = code[0];
		e->code[1] = code[1];
		e->eip = ts.eip;
		e->eax = ts.eax;
	}
	if (q->head.msgh_id == 2401 && s->action == A_SUCCESS) {
		i386_thread_state_t ns = ts;
		ns.eip += 2;
		ns.eax = s->new_eax;
		thread_set_state(thread, i386_THREAD_STATE, (thread_state_t)&ns,
				 i386_THREAD_STATE_COUNT);
	}
	if (MACH_PORT_VALID(thread))
		mach_port_deallocate(mach_task_self(), thread);
	if (MACH_PORT_VALID(task))
		mach_port_deallocate(mach_task_self(), task);
	mach_msg_return_t mr = answer(q, s->action, s->new_eax, &ts);
	if (e) {
		lg.reply_mr[lg.n] = mr;
		lg.n++;
	}
}

static void server_loop(void *arg)
{
	struct server *s = arg;
	for (;;) {
		union req q;
		mach_msg_return_t mr = mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						sizeof(q), s->port, RCV_TIMEOUT_MS,
						MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			s->mr = mr;
			return;
		}
		if (q.head.msgh_id == QUIT_ID)
			return;
		serve_one(s, &q);
	}
}

static mach_msg_return_t send_quit(mach_port_t port)
{
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = port;
	h.msgh_id = QUIT_ID;
	return mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* ud2 with EAX = 0; returns EAX afterwards, *site = the ud2's address. */
static __attribute__((noinline)) uint32_t do_ud2(uint32_t *site)
{
	uint32_t a, s;
	__asm__ volatile("movl $1f, %1\n\t"
			 "xorl %0, %0\n"
			 "1:\tud2"
			 : "=&a"(a), "=&r"(s) : : "memory", "cc");
	*site = s;
	return a;
}

static struct server hsrv = { 'H', MACH_PORT_NULL, A_SUCCESS, H_EAX, 0 };
static struct server tsrv = { 'T', MACH_PORT_NULL, A_SUCCESS, T_EAX, 0 };

static const struct {
	const char *name;
	exception_mask_t hmask;		/* thread level's mask (0: none) */
	exception_behavior_t hbehavior;
	enum action haction;
	int hdead;			/* thread level's port is dead */
	const char *want;		/* levels asked, in order */
} cases[] = {
	{ "thread level answers success", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_SUCCESS, 0, "H" },
	{ "thread level fails", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_FAIL, 0, "HT" },
	{ "thread level (STATE) fails", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE, A_FAIL, 0, "HT" },
	{ "reply with the wrong id", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_BAD_ID, 0, "HT" },
	{ "reply with the wrong id (STATE)", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE, A_BAD_ID, 0, "HT" },
	{ "header-only reply", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_SHORT, 0, "HT" },
	{ "complex reply", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_COMPLEX, 0, "HT" },
	{ "over-long DEFAULT reply", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_LONG, 0, "HT" },
	{ "new state refused", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE, A_BAD_STATE, 0, "HT" },
	{ "thread level set for EXC_ARITHMETIC only", EXC_MASK_ARITHMETIC, EXCEPTION_DEFAULT, A_SUCCESS, 0, "T" },
	{ "thread level port is dead", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_DEFAULT, A_SUCCESS, 1, "T" },
	{ "thread level cleared", 0, EXCEPTION_DEFAULT, A_SUCCESS, 0, "T" },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void part1(void)
{
	mach_port_t self = mach_task_self(), thr = mach_thread_self();
	hsrv.port = new_port();
	tsrv.port = new_port();
	if (!tap_ok(hsrv.port && tsrv.port, "ports H and T made"))
		return;

	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t old[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	kern_return_t kr = task_swap_exception_ports(self, EXC_MASK_BAD_INSTRUCTION, tsrv.port,
						     EXCEPTION_STATE, i386_THREAD_STATE, masks, &cnt,
						     old, behaviors, flavors);
	if (!tap_ok(kr == KERN_SUCCESS, "task level T installed (kr %#x)", kr))
		return;
	int htid = mk_thread_start(server_loop, &hsrv);
	int ttid = mk_thread_start(server_loop, &tsrv);
	tap_ok(htid > 0 && ttid > 0, "server threads started");

	for (unsigned int i = 0; i < NCASES; i++) {
		const char *n = cases[i].name;
		mach_port_t hport = hsrv.port, dead = MACH_PORT_NULL;
		if (cases[i].hdead) {
			dead = new_port();
			hport = dead;
		}
		kr = thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
		if (kr == KERN_SUCCESS && cases[i].hmask)
			kr = thread_set_exception_ports(thr, cases[i].hmask, hport,
							cases[i].hbehavior, i386_THREAD_STATE);
		if (dead) {
			/* drop our rights: the thread's slot keeps a send right to a dead port */
			mach_port_deallocate(self, dead);
			mach_port_mod_refs(self, dead, MACH_PORT_RIGHT_RECEIVE, -1);
		}
		if (!tap_ok(kr == KERN_SUCCESS, "%s: thread level set (kr %#x)", n, kr))
			continue;
		memset(&lg, 0, sizeof(lg));
		hsrv.action = cases[i].haction;

		uint32_t site = 0;
		uint32_t eax = do_ud2(&site);

		char got[9];
		int k;
		for (k = 0; k < lg.n; k++)
			got[k] = lg.ev[k].level;
		got[k] = '\0';
		tap_ok(strcmp(got, cases[i].want) == 0, "%s: levels asked \"%s\" (got \"%s\")", n,
		       cases[i].want, got);
		int same = lg.n > 0;
		for (k = 0; k < lg.n; k++) {
			const struct event *e = &lg.ev[k];
			mach_msg_id_t want_id = e->level == 'T' ? 2402
					       : cases[i].hbehavior == EXCEPTION_STATE ? 2402 : 2401;
			same &= e->id == want_id && e->exc == EXC_BAD_INSTRUCTION &&
				e->codeCnt == 2 && e->code[0] == EXC_I386_INVOP && e->code[1] == 0 &&
				e->eip == site && e->eax == 0 && lg.reply_mr[k] == MACH_MSG_SUCCESS;
		}
		tap_ok(same, "%s: each level got its behaviour's request, EXC_BAD_INSTRUCTION "
		       "{EXC_I386_INVOP, 0}, the untouched state (EIP %#x, EAX 0)", n, site);
		uint32_t want_eax = cases[i].want[strlen(cases[i].want) - 1] == 'H' ? H_EAX : T_EAX;
		tap_ok(eax == want_eax, "%s: resumed by the last level asked (EAX %#x, got %#x)", n,
		       want_eax, eax);
	}

	tap_ok(thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0) ==
		       KERN_SUCCESS,
	       "thread level cleared");
	kern_return_t all = KERN_SUCCESS;
	for (mach_msg_type_number_t i = 0; i < cnt; i++) {
		kr = task_set_exception_ports(self, masks[i], old[i], behaviors[i], flavors[i]);
		if (kr != KERN_SUCCESS)
			all = kr;
		if (MACH_PORT_VALID(old[i]))
			mach_port_deallocate(self, old[i]);
	}
	tap_ok(all == KERN_SUCCESS, "task level restored (kr %#x)", all);
	send_quit(hsrv.port);
	send_quit(tsrv.port);
	tap_ok(mk_thread_wait(htid) == KERN_SUCCESS && mk_thread_wait(ttid) == KERN_SUCCESS &&
	       hsrv.mr == MACH_MSG_SUCCESS && tsrv.mr == MACH_MSG_SUCCESS,
	       "server threads ended cleanly (mr %#x, %#x)", hsrv.mr, tsrv.mr);
	mach_port_destroy(self, hsrv.port);
	mach_port_destroy(self, tsrv.port);
	mach_port_deallocate(self, thr);
}

/*
 * Part 2: run testaux/exc_ud2 with only our task-level port C (DEFAULT);
 * answer its requests with actions[0], actions[1], ... and check how
 * it ended.
 */
static void part2(const char *name, const enum action *actions, int nactions)
{
	mach_port_t self = mach_task_self(), c = new_port();
	unsigned int hz = mk_info(MK_INFO_HZ);
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t old[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;

	kern_return_t kr = task_swap_exception_ports(self, EXC_MASK_ALL, c, EXCEPTION_DEFAULT, 0,
						     masks, &cnt, old, behaviors, flavors);
	int child = kr == KERN_SUCCESS ? mk_spawn("testaux/exc_ud2") : -1;
	for (mach_msg_type_number_t i = 0; kr == KERN_SUCCESS && i < cnt; i++) {
		task_set_exception_ports(self, masks[i], old[i], behaviors[i], flavors[i]);
		if (MACH_PORT_VALID(old[i]))
			mach_port_deallocate(self, old[i]);
	}
	mach_port_deallocate(self, c);
	if (!tap_ok(child > 0, "%s: child spawned with our port C (kr %#x, %d)", name, kr, child)) {
		mach_port_destroy(self, c);
		return;
	}

	int served = 0, good = 1;
	uint32_t first_eip = 0;
	for (int i = 0; i < nactions; i++) {
		union req q;
		mach_msg_return_t mr = mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						sizeof(q), c, RCV_TIMEOUT_MS, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			break;
		served++;
		i386_thread_state_t ts;
		memset(&ts, 0, sizeof(ts));
		mach_msg_type_number_t scnt = i386_THREAD_STATE_COUNT;
		kr = q.head.msgh_id == 2401
			? thread_get_state(q.def.thread.name, i386_THREAD_STATE, (thread_state_t)&ts,
					   &scnt)
			: KERN_FAILURE;
		if (i == 0)
			first_eip = ts.eip;
		good &= q.head.msgh_id == 2401 && q.def.exception == EXC_BAD_INSTRUCTION &&
			q.def.code[0] == EXC_I386_INVOP && q.def.task.name != self &&
			kr == KERN_SUCCESS && ts.eip == first_eip;
		if (q.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			mach_port_deallocate(self, q.def.thread.name);
			mach_port_deallocate(self, q.def.task.name);
		}
		good &= answer(&q, actions[i], 0, &ts) == MACH_MSG_SUCCESS;
	}
	tap_ok(served == nactions && good,
	       "%s: %d request(s) for the same ud2, answered (served %d)", name, nactions, served);

	struct mk_exit_info info = { 0, 0, 0 };
	kr = mk_task_wait(child, WAIT_S * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(child);
		mk_task_wait(child, WAIT_S * hz, &info);
	}
	tap_ok(kr == KERN_SUCCESS && info.how == MK_EXIT_FAULT && info.code == 6 &&
	       info.addr == first_eip,
	       "%s: no next level: the child was terminated by trap 6 at %#x (kr %#x, how %d, "
	       "code %d, addr %#x)", name, first_eip, kr, info.how, info.code, info.addr);
	union req q;
	tap_ok(mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(q), c, 0,
			MACH_PORT_NULL) == MACH_RCV_TIMED_OUT,
	       "%s: no further request", name);
	mach_port_destroy(self, c);
}

int main(void)
{
	part1();
	static const enum action fail[] = { A_FAIL };
	static const enum action bad_id[] = { A_BAD_ID };
	static const enum action short_reply[] = { A_SHORT };
	static const enum action again[] = { A_SUCCESS, A_SUCCESS, A_FAIL };
	part2("task level fails", fail, 1);
	part2("task level replies with the wrong id", bad_id, 1);
	part2("task level sends a header-only reply", short_reply, 1);
	part2("success without a state change", again, 3);
	return tap_done();
}
