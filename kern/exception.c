/*
 * Exception delivery (the model is the seed's exception.c, with XNU's
 * exc.defs messages).
 *
 * A user fault in thread T becomes exception_triage(exc, code): the
 * exception is offered to T's exception port, then to its task's; the
 * first server that answers KERN_SUCCESS resumes T (with the new state it
 * sent back, for the state behaviours).  Any other answer, a malformed
 * reply (MIG_REPLY_MISMATCH), a dead port or a server that dies with the
 * request (its reply right comes back as a send-once notification) moves
 * the exception on to the next level.  With no server left, the task is
 * terminated and everything it held is cleaned up (kern/task.c).  There
 * are no host-level exception ports in this kernel.
 *
 * The request goes out as an ordinary message from the kernel with a
 * send-once right to T's cached reply port (ith_rpc_reply, a port held
 * in ipc_space_reply).  When a server thread is already waiting on the
 * exception port, the message is handed to it directly and the CPU goes
 * to it at once (no run-queue trip): the fast path.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/exception.h>
#include <kern/exception_ports.h>
#include <kern/ipc_tt.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <mach/exc.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <machine/thread_state.h>
#include <machine/trap.h>

#define EXC_ID_DEFAULT		2401
#define EXC_ID_STATE		2402
#define EXC_ID_STATE_IDENTITY	2403

unsigned long exc_raised, exc_handled, exc_fast, exc_unhandled;

static const char *const exc_names[] = {
	"0", "EXC_BAD_ACCESS", "EXC_BAD_INSTRUCTION", "EXC_ARITHMETIC",
	"EXC_EMULATION", "EXC_SOFTWARE", "EXC_BREAKPOINT", "EXC_SYSCALL",
	"EXC_MACH_SYSCALL", "EXC_RPC_ALERT", "EXC_CRASH", "EXC_RESOURCE",
	"EXC_GUARD", "EXC_CORPSE_NOTIFY",
};

union exc_request {
	mach_msg_header_t head;
	__Request__exception_raise_t def;
	__Request__exception_raise_state_t st;
	__Request__exception_raise_state_identity_t sti;
};

/* The thread's kernel-held reply port for exception RPCs (made on first use). */
static ipc_port_t rpc_reply_port(thread_t t)
{
	if (t->ith_rpc_reply == IP_NULL)
		t->ith_rpc_reply = ipc_port_alloc_kernel(ipc_space_reply);
	return t->ith_rpc_reply;
}

/* After a failed RPC a late reply may still come: start a fresh port. */
static void rpc_reply_port_reset(thread_t t)
{
	ipc_port_t p = t->ith_rpc_reply;
	t->ith_rpc_reply = IP_NULL;
	if (p)
		ipc_port_destroy(p);
}

/* The thread and task send rights an identity message carries. */
static void identity_ports(mach_msg_port_descriptor_t *thread, mach_msg_port_descriptor_t *task,
			   thread_t t)
{
	thread->name = (mach_port_t)convert_thread_to_port(t);
	thread->disposition = MACH_MSG_TYPE_PORT_SEND;
	thread->type = MACH_MSG_PORT_DESCRIPTOR;
	task_reference(t->task);
	task->name = (mach_port_t)convert_task_to_port(t->task);
	task->disposition = MACH_MSG_TYPE_PORT_SEND;
	task->type = MACH_MSG_PORT_DESCRIPTOR;
}

/* The request's size for `behavior`, with cnt words of thread state. */
static mach_msg_size_t request_size(exception_behavior_t behavior, mach_msg_type_number_t cnt)
{
	switch (behavior) {
	case EXCEPTION_DEFAULT:
		return sizeof(__Request__exception_raise_t);
	case EXCEPTION_STATE:
		return offsetof(__Request__exception_raise_state_t, old_state) + cnt * sizeof(natural_t);
	case EXCEPTION_STATE_IDENTITY:
		return offsetof(__Request__exception_raise_state_identity_t, old_state) +
		       cnt * sizeof(natural_t);
	default:
		return 0;
	}
}

/*
 * Build the request for `behavior` (without MACH_EXCEPTION_CODES) in m,
 * which has room for request_size(behavior, cnt) bytes; state holds the
 * cnt words of thread state the state behaviours carry.  The thread and
 * task send rights of the identity behaviours are made here.
 */
static void build_request(union exc_request *m, thread_t t, exception_behavior_t behavior,
			  thread_state_flavor_t flavor, exception_type_t exc,
			  const integer_t *code, unsigned codeCnt,
			  const natural_t *state, mach_msg_type_number_t cnt)
{
	integer_t c[2] = { codeCnt > 0 ? code[0] : 0, codeCnt > 1 ? code[1] : 0 };
	switch (behavior) {
	case EXCEPTION_DEFAULT:
		memset(&m->def, 0, sizeof(m->def));
		m->def.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
		m->def.Head.msgh_id = EXC_ID_DEFAULT;
		m->def.msgh_body.msgh_descriptor_count = 2;
		identity_ports(&m->def.thread, &m->def.task, t);
		m->def.NDR = NDR_record;
		m->def.exception = exc;
		m->def.codeCnt = 2;
		m->def.code[0] = c[0];
		m->def.code[1] = c[1];
		return;
	case EXCEPTION_STATE:
		memset(&m->st, 0, offsetof(__Request__exception_raise_state_t, old_state));
		m->st.Head.msgh_id = EXC_ID_STATE;
		m->st.NDR = NDR_record;
		m->st.exception = exc;
		m->st.codeCnt = 2;
		m->st.code[0] = c[0];
		m->st.code[1] = c[1];
		m->st.flavor = flavor;
		m->st.old_stateCnt = cnt;
		memcpy(m->st.old_state, state, cnt * sizeof(natural_t));
		return;
	case EXCEPTION_STATE_IDENTITY:
		memset(&m->sti, 0, offsetof(__Request__exception_raise_state_identity_t, old_state));
		m->sti.Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
		m->sti.Head.msgh_id = EXC_ID_STATE_IDENTITY;
		m->sti.msgh_body.msgh_descriptor_count = 2;
		identity_ports(&m->sti.thread, &m->sti.task, t);
		m->sti.NDR = NDR_record;
		m->sti.exception = exc;
		m->sti.codeCnt = 2;
		m->sti.code[0] = c[0];
		m->sti.code[1] = c[1];
		m->sti.flavor = flavor;
		m->sti.old_stateCnt = cnt;
		memcpy(m->sti.old_state, state, cnt * sizeof(natural_t));
		return;
	}
}

/*
 * Check a reply and apply it.  Returns its RetCode, or MIG_REPLY_MISMATCH
 * / MIG_TYPE_ERROR for a reply that is not a well-formed answer to
 * request id `id`.  A rejected new state counts as a failure too.
 */
static kern_return_t parse_reply(thread_t t, const mach_msg_header_t *h, mach_msg_id_t id)
{
	if (h->msgh_id != id + 100)
		return MIG_REPLY_MISMATCH;
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return MIG_TYPE_ERROR;
	if (h->msgh_size < sizeof(mig_reply_error_t))
		return MIG_TYPE_ERROR;
	kern_return_t ret = ((const mig_reply_error_t *)h)->RetCode;
	if (id == EXC_ID_DEFAULT || ret != KERN_SUCCESS)
		return h->msgh_size == sizeof(mig_reply_error_t) || ret != KERN_SUCCESS
			? ret : MIG_TYPE_ERROR;
	const __Reply__exception_raise_state_t *r = (const void *)h;
	size_t fixed = offsetof(__Reply__exception_raise_state_t, new_state);
	if (h->msgh_size < fixed || r->new_stateCnt > THREAD_STATE_MAX ||
	    h->msgh_size != fixed + r->new_stateCnt * sizeof(natural_t))
		return MIG_TYPE_ERROR;
	return machine_thread_set_state(t, r->flavor, (thread_state_t)r->new_state, r->new_stateCnt);
}

/* Release what the kernel received in a reply kmsg and free it. */
static void consume_reply(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	ipc_port_t dest = (ipc_port_t)h->msgh_remote_port;
	if (MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce(dest);
	else
		ipc_port_release_send(dest);
	h->msgh_remote_port = NULL;
	if (h->msgh_local_port == NULL && !(h->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		/* the usual reply carries nothing else: just free it */
		if (!ikm_cache_put(kmsg))
			ipc_kmsg_free(kmsg);
		return;
	}
	ipc_kmsg_destroy(kmsg);
}

/*
 * Offer the exception to one server: send, wait for the answer, apply
 * it.  Returns the server's answer (KERN_SUCCESS resumes the thread) or
 * an error that passes the exception on.  Consumes the send right `port`.
 */
static kern_return_t exception_deliver(thread_t t, ipc_port_t port, exception_behavior_t behavior,
				       thread_state_flavor_t flavor, exception_type_t exc,
				       const integer_t *code, unsigned codeCnt)
{
	behavior &= ~MACH_EXCEPTION_CODES;	/* codes are always the 32-bit exc.defs form */
	natural_t state[THREAD_STATE_MAX];
	mach_msg_type_number_t cnt = 0;
	ipc_port_t reply = rpc_reply_port(t);
	mach_msg_size_t size = request_size(behavior, 0);
	if (behavior != EXCEPTION_DEFAULT) {
		cnt = THREAD_STATE_MAX;
		if (machine_thread_get_state(t, flavor, (thread_state_t)state, &cnt) != KERN_SUCCESS)
			size = 0;
		else
			size = request_size(behavior, cnt);
	}
	ipc_kmsg_t kmsg = size && reply ? ipc_kmsg_alloc(size) : IKM_NULL;
	if (kmsg == IKM_NULL) {
		/* no memory, or a state we cannot read: this level fails */
		ipc_port_release_send(port);
		return KERN_FAILURE;
	}
	union exc_request *m = (union exc_request *)kmsg->ikm_header;
	build_request(m, t, behavior, flavor, exc, code, codeCnt, state, cnt);
	mach_msg_id_t id = m->head.msgh_id;
	m->head.msgh_size = size;
	m->head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE);
	m->head.msgh_remote_port = (mach_port_t)port;
	m->head.msgh_local_port = (mach_port_t)ipc_port_make_sonce(reply);
	ikm_trailer(kmsg)->msgh_sender = KERNEL_SECURITY_TOKEN;

	/* fast path: a server already waiting gets the message and the CPU */
	thread_t server = NULL;
	mach_msg_return_t mr;
	if (ip_active(port) && port->ip_receiver != ipc_space_kernel &&
	    (server = ipc_mqueue_first_receiver(port)) != NULL &&
	    ipc_mqueue_deliver_to(server, port, kmsg) == MACH_MSG_SUCCESS) {
		if (server->wait_event == NULL && !server->wait_timer_armed)
			clear_wait_handoff_noevent(server, THREAD_AWAKENED);
		else
			clear_wait_handoff(server, THREAD_AWAKENED);
		exc_fast++;
	} else {
		if (server)
			clear_wait(server, THREAD_AWAKENED);	/* told the size only */
		server = NULL;
		mr = ipc_kmsg_send(kmsg, MACH_SEND_INTERRUPT, 0);
		if (mr != MACH_MSG_SUCCESS) {
			ipc_kmsg_destroy(kmsg);
			return KERN_FAILURE;
		}
	}

	ipc_kmsg_t rk = IKM_NULL;
	mach_port_seqno_t seqno;
	mach_msg_size_t rsize;
	mr = ipc_mqueue_receive(ip_to_object(reply), MACH_RCV_MSG, IKM_MAX_INLINE, 0, server,
				&rk, &seqno, &rsize);
	if (mr != MACH_MSG_SUCCESS) {
		if (rk)
			ipc_kmsg_destroy(rk);
		rpc_reply_port_reset(t);	/* interrupted: a late reply must not linger */
		return KERN_ABORTED;
	}
	kern_return_t kr = parse_reply(t, rk->ikm_header, id);
	consume_reply(rk);
	return kr;
}

/* How one level of exception_triage ended, when it did not handle it. */
#define LEVEL_NO_PORT	(-1)		/* no port for this exception */
#define LEVEL_DEAD_PORT	(-2)		/* a port with no receiver */

static void print_level_outcome(const char *level, kern_return_t kr)
{
	if (kr == LEVEL_NO_PORT)
		printf(" %s: no port;", level);
	else if (kr == LEVEL_DEAD_PORT)
		printf(" %s: dead port;", level);
	else
		printf(" %s: %s (%#x);", level,
		       kr == KERN_ABORTED ? "interrupted" : "handler failed", (unsigned)kr);
}

/* exception_triage: see exception.h. */
void exception_triage(exception_type_t exc, const integer_t *code, unsigned codeCnt)
{
	thread_t self = current_thread();
	task_t task = self->task;
	struct trapframe *tf = self->pcb.tf;
	/* what each level did, for the report below */
	kern_return_t outcome[EXC_LEVEL_HOST - EXC_LEVEL_THREAD + 1];
	exc_raised++;
	TRACE(EXC, "exception %d code %#x %#x, task %d (%s)", exc, codeCnt > 0 ? (unsigned)code[0] : 0, codeCnt > 1 ? (unsigned)code[1] : 0, task->id, task->name);

	for (int level = EXC_LEVEL_THREAD; level <= EXC_LEVEL_HOST; level++) {
		ipc_port_t port;
		exception_behavior_t behavior;
		thread_state_flavor_t flavor;
		outcome[level - EXC_LEVEL_THREAD] = LEVEL_NO_PORT;
		if (!task->active || (self->ast & AST_TERMINATE))
			return;		/* dying: no more handlers */
		if (!exception_port_lookup(self, task, level, exc, &port, &behavior, &flavor))
			continue;
		if (!IP_VALID(port))
			continue;
		if (!ip_active(port)) {
			ipc_port_release_send(port);
			outcome[level - EXC_LEVEL_THREAD] = LEVEL_DEAD_PORT;
			continue;
		}
		kern_return_t kr = exception_deliver(self, port, behavior, flavor, exc, code, codeCnt);
		if (kr == KERN_SUCCESS) {
			exc_handled++;
			return;
		}
		outcome[level - EXC_LEVEL_THREAD] = kr;
	}

	exc_unhandled++;
	uint32_t trapno = tf ? tf->trapno : 0;
	uint32_t addr = exc == EXC_BAD_ACCESS && codeCnt > 1 ? (uint32_t)code[1] : (tf ? tf->eip : 0);
	printf("mk: task %d (%s) thread %d: unhandled %s (%#x, %#x) at eip %#x; terminating the task\n",
	       task->id, task->name, self->id,
	       exc < (exception_type_t)ARRAY_SIZE(exc_names) ? exc_names[exc] : "?",
	       codeCnt > 0 ? (unsigned)code[0] : 0, codeCnt > 1 ? (unsigned)code[1] : 0,
	       tf ? tf->eip : 0);
	if (outcome[0] != LEVEL_NO_PORT || outcome[1] != LEVEL_NO_PORT || outcome[2] != LEVEL_NO_PORT) {
		printf("mk:  ");
		print_level_outcome("thread", outcome[0]);
		print_level_outcome("task", outcome[1]);
		print_level_outcome("host", outcome[2]);
		printf("\n");
	}
	task_terminate_internal(task, MK_EXIT_FAULT, exc == EXC_SYSCALL ? T_MACH_TRAP : (int)trapno, addr);
}
