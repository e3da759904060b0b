/*
 * Exception round trips, in guest instructions per round trip (GUIDE
 * section 4):
 *
 *   exception_rt          ud2 in the main thread -> EXC_BAD_INSTRUCTION to
 *                         its thread-level port (EXCEPTION_STATE,
 *                         i386_THREAD_STATE), served by a second thread of
 *                         this task that is already blocked in mach_msg
 *                         receive on that port (the kernel's fast path);
 *                         the reply's new state advances EIP past the
 *                         2-byte ud2 and the thread resumes after it.
 *                         The server's reply and its wait for the next
 *                         request are one mach_msg(SEND|RCV).
 *   exception_rt_default  the same with int3 and EXCEPTION_DEFAULT: the
 *                         saved EIP is already past the int3, so a plain
 *                         KERN_SUCCESS resumes it; the server releases the
 *                         thread and task rights each request carries
 *                         (two mach_port_deallocate traps), as a real
 *                         DEFAULT server must.
 *
 * exception_rt is the figure the exception issue budgets (<= 2000): the
 * cheapest complete round trip, a real fault whose state the server
 * changes.  A round trip is counted from the faulting instruction to the
 * instruction after it, server included; rdtsc around N of them after
 * WARMUP.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/bench.h>
#include <mk/thread.h>

#define N	3000
#define WARMUP	200
#define QUIT_ID	0x51554954

static mach_port_t exc_port;
static unsigned int served, bad;

union msg {
	mach_msg_header_t h;
	__Request__exception_raise_t def;
	__Request__exception_raise_state_t st;
	__Reply__exception_raise_state_t rst;
	mig_reply_error_t err;
	uint8_t space[sizeof(__Request__exception_raise_state_t) + 128];
};

/*
 * Turn the request in m into its reply, in place; returns the reply's
 * size.  STATE: new state = old state with EIP + 2.  DEFAULT: release the
 * identity rights, answer KERN_SUCCESS.
 */
static mach_msg_size_t make_reply(union msg *m)
{
	mach_msg_id_t id = m->h.msgh_id;
	mach_port_t reply = m->h.msgh_remote_port;
	mach_msg_size_t size = sizeof(mig_reply_error_t);

	if (id == 2402 && m->st.exception == EXC_BAD_INSTRUCTION &&
	    m->st.old_stateCnt == i386_THREAD_STATE_COUNT) {
		i386_thread_state_t ts;
		memcpy(&ts, m->st.old_state, sizeof(ts));
		ts.eip += 2;
		m->rst.RetCode = KERN_SUCCESS;
		m->rst.flavor = i386_THREAD_STATE;
		m->rst.new_stateCnt = i386_THREAD_STATE_COUNT;
		memcpy(m->rst.new_state, &ts, sizeof(ts));
		size = __builtin_offsetof(__Reply__exception_raise_state_t, new_state) + sizeof(ts);
	} else if (id == 2401 && m->def.exception == EXC_BREAKPOINT) {
		mach_port_deallocate(mach_task_self(), m->def.thread.name);
		mach_port_deallocate(mach_task_self(), m->def.task.name);
		m->err.RetCode = KERN_SUCCESS;
	} else {
		bad++;
		if (m->h.msgh_bits & MACH_MSGH_BITS_COMPLEX)
			mach_msg_destroy(&m->h);
		m->err.RetCode = KERN_FAILURE;
	}
	served++;
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m->h.msgh_remote_port = reply;
	m->h.msgh_local_port = MACH_PORT_NULL;
	m->h.msgh_id = id + 100;
	m->h.msgh_size = size;
	m->err.NDR = NDR_record;
	return size;
}

static void server(void *arg)
{
	(void)arg;
	union msg m;
	mach_msg_return_t mr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), exc_port, 0,
					MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && m.h.msgh_id != QUIT_ID) {
		mach_msg_size_t size = make_reply(&m);
		mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(m), exc_port, 0,
			      MACH_PORT_NULL);
	}
	if (mr != MACH_MSG_SUCCESS)
		bad++;
}

static int run(const char *name, exception_mask_t mask, exception_behavior_t behavior, int int3)
{
	mach_port_t thr = mach_thread_self();
	kern_return_t kr = thread_set_exception_ports(thr, mask, exc_port, behavior,
						      i386_THREAD_STATE);
	if (kr != KERN_SUCCESS) {
		printf("%s: thread_set_exception_ports failed (%#x)\n", name, kr);
		mach_port_deallocate(mach_task_self(), thr);
		return 1;
	}
	served = 0;
	bad = 0;
	int done = 0;
	uint64_t t0 = 0, t1 = 0;
	for (int round = 0; round < 2; round++) {
		int n = round == 0 ? WARMUP : N;
		t0 = mk_rdtsc();
		if (int3)
			for (int i = 0; i < n; i++)
				__asm__ volatile("int3" ::: "memory");
		else
			for (int i = 0; i < n; i++)
				__asm__ volatile("ud2" ::: "memory");
		t1 = mk_rdtsc();
		done += n;
	}
	thread_set_exception_ports(thr, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
	mach_port_deallocate(mach_task_self(), thr);
	if (served != (unsigned int)done || bad != 0) {
		printf("%s: %u of %d exceptions served, %u bad\n", name, served, done, bad);
		return 1;
	}
	bench_report(name, t1 - t0, N);
	return 0;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc_port) != KERN_SUCCESS ||
	    mach_port_insert_right(self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND) !=
		    KERN_SUCCESS)
		return 1;
	int tid = mk_thread_start(server, NULL);
	if (tid <= 0)
		return 1;

	int rc = run("exception_rt", EXC_MASK_BAD_INSTRUCTION, EXCEPTION_STATE, 0);
	rc |= run("exception_rt_default", EXC_MASK_BREAKPOINT, EXCEPTION_DEFAULT, 1);

	mach_msg_header_t q;
	memset(&q, 0, sizeof(q));
	q.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	q.msgh_size = sizeof(q);
	q.msgh_remote_port = exc_port;
	q.msgh_id = QUIT_ID;
	mach_msg(&q, MACH_SEND_MSG, sizeof(q), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	mk_thread_wait(tid);
	mach_port_destroy(self, exc_port);
	return rc | (bad != 0);
}
