/*
 * fuzz/worker: one fuzzing task of a round (see fz.h).
 *
 * It gets its parameters from the coordinator (hello on the bootstrap
 * port, then a FZ_MSG_PARAMS message), sets up its arena and an exception
 * handler thread, asks the coordinator for a victim task, then runs
 * `threads` fuzz threads of `calls` calls each, and reports.  Victims and
 * the tasks task_create makes (their ports go to the coordinator as they
 * appear) are the coordinator's to end, so that nothing outlives a round
 * even when a worker dies.
 *
 * The main thread's stack is the top of user space, which the fuzz points
 * the kernel at on purpose (writes running across the top may land in
 * part): once everything is set up, the main thread only waits in the
 * kernel, for ever, and a control thread joins the fuzz threads, cleans
 * up, reports and ends the task with mk_task_exit.
 *
 * The exception handler resumes the fuzz threads after the EXC_SYSCALL of
 * an unknown trap number (the thread goes on after its int $0x80 or
 * sysenter), and terminates threads the fuzz started with a bad entry or
 * stack.  Any other exception of a fuzz thread means the worker itself
 * was hurt: it is reported with the call being made, and the worker dies
 * of it (the coordinator sees the fault).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/excServer.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>
#include "fz.h"

static struct fz_params params;
static struct fz_thread threads[FZ_MAX_THREADS];
static volatile int go, registered;
static mach_port_t parent, report_port, exc_port, victim_handshake, main_thread;
static volatile unsigned exceptions, victims_spawned;

/* ------------------------------------------------------------ exceptions */

/* The fuzz thread behind a thread port name, or NULL. */
static struct fz_thread *known(mach_port_t thread)
{
	for (unsigned i = 0; i < params.threads; i++)
		if (threads[i].self == thread)
			return &threads[i];
	return NULL;
}

static const char *const kinds[] = { "?", "trap", "mach_msg", "rpc", "long ipc", "bad stack",
				     "pool" };

/* catch_exception_raise: see the file comment. */
kern_return_t catch_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
				    exception_type_t exception, exception_data_t code,
				    mach_msg_type_number_t codeCnt)
{
	(void)port;
	exceptions++;
	struct fz_thread *t = known(thread);
	kern_return_t kr = KERN_SUCCESS;
	if (t == NULL && thread != main_thread) {
		/* a thread the fuzz started: it ends here */
		(void)thread_terminate(thread);
		fz_guard_reply();
	} else if (exception != EXC_SYSCALL) {
		printf("# FUZZ-FAIL seed %u round %u worker %u: thread %d took exception %d "
		       "(%#x, %#x) during call #%u (%s %#x)\n", fz.seed, fz.round, fz.worker,
		       t ? (int)t->index : -1, exception, codeCnt > 0 ? code[0] : 0,
		       codeCnt > 1 ? code[1] : 0, t ? t->call : 0,
		       t ? kinds[t->what < 7 ? t->what : 0] : "-", t ? t->trapno : 0);
		kr = KERN_FAILURE;	/* no other handler: the worker dies of it */
	}
	(void)mach_port_deallocate(fz.self, thread);
	(void)mach_port_deallocate(fz.self, task);
	return kr;
}

/* The state behaviours are never asked for (EXCEPTION_DEFAULT only). */
kern_return_t catch_exception_raise_state(mach_port_t port, exception_type_t exception,
					  const exception_data_t code,
					  mach_msg_type_number_t codeCnt, int *flavor,
					  const thread_state_t old_state,
					  mach_msg_type_number_t old_stateCnt,
					  thread_state_t new_state,
					  mach_msg_type_number_t *new_stateCnt)
{
	(void)port; (void)exception; (void)code; (void)codeCnt; (void)flavor;
	(void)old_state; (void)old_stateCnt; (void)new_state; (void)new_stateCnt;
	return KERN_FAILURE;
}

/* Likewise. */
kern_return_t catch_exception_raise_state_identity(mach_port_t port, mach_port_t thread,
						   mach_port_t task, exception_type_t exception,
						   exception_data_t code,
						   mach_msg_type_number_t codeCnt, int *flavor,
						   thread_state_t old_state,
						   mach_msg_type_number_t old_stateCnt,
						   thread_state_t new_state,
						   mach_msg_type_number_t *new_stateCnt)
{
	(void)port; (void)thread; (void)task; (void)exception; (void)code; (void)codeCnt;
	(void)flavor; (void)old_state; (void)old_stateCnt; (void)new_state; (void)new_stateCnt;
	return KERN_FAILURE;
}

/* The handler thread: serve the exception port for ever. */
static void exc_thread(void *arg)
{
	(void)arg;
	union {
		mach_msg_header_t h;
		uint8_t b[1024];
	} in, out;
	(void)mig_get_reply_port();	/* made before the names are protected */
	__atomic_add_fetch(&registered, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		if (mach_msg(&in.h, MACH_RCV_MSG, 0, sizeof(in), exc_port, 0, MACH_PORT_NULL) !=
		    MACH_MSG_SUCCESS)
			continue;
		(void)exc_server(&in.h, &out.h);
		if (out.h.msgh_remote_port != MACH_PORT_NULL)
			(void)mach_msg(&out.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.h.msgh_size, 0,
				       MACH_PORT_NULL, 1000, MACH_PORT_NULL);
	}
}

/* ------------------------------------------------------------ the victim */

/*
 * Get a victim from the coordinator, which spawns it and ends it at the
 * end of the round even if this worker dies (words: the old victim's id,
 * which it ends now).  Learn its task, thread and service ports.
 */
static void victim_start(void)
{
	struct fz_msg m;
	uint32_t old = (uint32_t)fz.victim_id;
	fz.victim_id = 0;
	if (fz_send(report_port, MACH_MSG_TYPE_COPY_SEND, victim_handshake,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE, FZ_MSG_VICTIM, NULL, NULL, 0, &old, 1) !=
		    MACH_MSG_SUCCESS ||
	    fz_recv(victim_handshake, &m, 60000) != MACH_MSG_SUCCESS ||
	    m.head.msgh_id != FZ_MSG_VICTIM)
		return;
	mach_port_t ports[6];
	unsigned n = fz_msg_ports(&m, ports, 6), nw;
	const uint32_t *w = fz_msg_words(&m, &nw);
	fz.victim_task = n > 0 ? ports[0] : MACH_PORT_NULL;
	for (unsigned i = 0; i < FZ_VICTIM_THREADS; i++)
		fz.victim_thread[i] = n > 1 + i ? ports[1 + i] : MACH_PORT_NULL;
	fz.victim_port = n > 4 ? ports[4] : MACH_PORT_NULL;
	fz.nvictim_names = 0;
	fz.victim_id = nw ? (int)w[0] : 0;
	victims_spawned++;
}

/* Forget the victim's names (the coordinator ends the victim). */
static void victim_forget(void)
{
	mach_port_t names[] = { fz.victim_task, fz.victim_port, fz.victim_thread[0],
				fz.victim_thread[1], fz.victim_thread[2] };
	fz.victim_task = fz.victim_port = MACH_PORT_NULL;
	for (unsigned i = 0; i < FZ_VICTIM_THREADS; i++)
		fz.victim_thread[i] = MACH_PORT_NULL;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] != MACH_PORT_NULL && !fz_is_protected(names[i]))
			(void)mach_port_destroy(fz.self, names[i]);
}

/* Is the victim gone (its task name no longer a send right to a live port)? */
static int victim_gone(void)
{
	mach_port_type_t type;
	return fz.victim_task == MACH_PORT_NULL ||
	       mach_port_type(fz.self, fz.victim_task, &type) != KERN_SUCCESS ||
	       !(type & MACH_PORT_TYPE_SEND);
}

/* ------------------------------------------------------------ fuzz threads */

static void fuzz_thread(void *arg)
{
	struct fz_thread *t = arg;
	t->self = mach_thread_self();
	(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &t->reply);
	/* the MIG stubs' reply port, made now so that it is protected */
	(void)mig_get_reply_port();
	__atomic_add_fetch(&registered, 1, __ATOMIC_SEQ_CST);
	while (!go)
		(void)swtch();
	for (t->call = 0; t->call < params.calls; t->call++) {
		if (t->index == 0) {
			/* upkeep: the pool, the arena, the victim */
			if (t->call % 32 == 0) {
				struct fz_rng r;
				fz_rng_seed(&r, fz.seed, fz.round, fz.worker, 1000 + t->index, t->call);
				fz_pool_refresh(&r);
			}
			if (t->call % 500 == 499)
				fz_arena_reset();
			if (t->call % 64 == 63 && victim_gone()) {
				victim_forget();
				victim_start();
			}
			fz_guard_reply();
		}
		fz_call(t);
	}
}

/* ------------------------------------------------------------ cleanup */

/*
 * Terminate every task a send right of ours names (tasks task_create made
 * live on until terminated): a task_terminate request to each name that
 * is a send right and not protected.  Kernel objects answer at once; a
 * port of ours just queues the request.
 */
static void terminate_created_tasks(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	if (mach_port_names(fz.self, &names, &nn, &types, &nt) != KERN_SUCCESS)
		return;
	mach_port_t reply = MACH_PORT_NULL;
	(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &reply);
	for (unsigned i = 0; i < nn && i < nt; i++) {
		if (!(types[i] & MACH_PORT_TYPE_SEND) || fz_is_protected(names[i]))
			continue;
		union {
			mach_msg_header_t h;
			mig_reply_error_t e;
			uint8_t b[256];
		} m;
		memset(&m, 0, sizeof(m));
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.h.msgh_size = sizeof(mach_msg_header_t) + sizeof(NDR_record_t);
		m.h.msgh_remote_port = names[i];
		m.h.msgh_local_port = reply;
		m.h.msgh_id = 3401;	/* task_terminate */
		memcpy(&m.e.NDR, &NDR_record, sizeof(NDR_record_t));
		if (mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
			     m.h.msgh_size, sizeof(m), reply, 0, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
			fz_release(&m.h, sizeof(m), 1);
	}
	(void)mach_port_destroy(fz.self, reply);
	(void)vm_deallocate(fz.self, (vm_address_t)names, nn * sizeof(*names));
	(void)vm_deallocate(fz.self, (vm_address_t)types, nt * sizeof(*types));
}

/* ------------------------------------------------------------ control */

static int tids[FZ_MAX_THREADS];

/* The control thread: wait for the fuzz threads, clean up, report, end. */
static void control(void *arg)
{
	(void)arg;
	(void)mig_get_reply_port();	/* made before the names are protected */
	__atomic_add_fetch(&registered, 1, __ATOMIC_SEQ_CST);
	while (!go)
		(void)swtch();
	/* join them all before any stack is freed: the own-memory list stays true */
	for (unsigned i = 0; i < params.threads; i++)
		if (tids[i] > 0)
			(void)mk_thread_join(tids[i], 0);
	for (unsigned i = 0; i < params.threads; i++)
		if (tids[i] > 0)
			(void)mk_thread_wait(tids[i]);
	victim_forget();
	terminate_created_tasks();
	uint32_t rep[1 + sizeof(struct fz_report) / 4] = { params.worker, 0, exceptions,
							    victims_spawned, fz_failures };
	for (unsigned i = 0; i < params.threads; i++) {
		rep[1] += threads[i].calls_done;
		for (unsigned k = 0; k < 6; k++) {
			rep[5 + k] += threads[i].made[k + 1];
			rep[11 + k] += threads[i].ok[k + 1];
		}
	}
	(void)fz_send(report_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, FZ_MSG_DONE, NULL,
		      NULL, 0, rep, sizeof(rep) / 4);
	mk_task_exit(fz_failures ? 1 : 0);
}

/* ------------------------------------------------------------ main */

int main(void)
{
	struct fz_msg m;
	mach_port_t selfport[1] = { mach_task_self() };
	mach_msg_type_name_t selfdisp[1] = { MACH_MSG_TYPE_COPY_SEND };
	uint32_t where[1] = { (uint32_t)threads };
	mach_port_t me = fz_hello(&parent, selfport, selfdisp, 1, where, 1);
	if (me == MACH_PORT_NULL || fz_recv(me, &m, 30000) != MACH_MSG_SUCCESS ||
	    m.head.msgh_id != FZ_MSG_PARAMS)
		return 2;
	unsigned nw;
	const uint32_t *w = fz_msg_words(&m, &nw);
	if (nw * 4 < sizeof(params) || fz_msg_ports(&m, &report_port, 1) != 1)
		return 3;
	memcpy(&params, w, sizeof(params));
	if (params.threads == 0 || params.threads > FZ_MAX_THREADS)
		params.threads = 1;

	fz_env_init(params.seed, params.round, params.worker);
	fz.kinds = params.kinds;
	main_thread = mach_thread_self();
	fz_protect(main_thread);
	fz_protect(parent);
	fz_protect(me);
	fz_protect(report_port);

	/* the exception handler */
	(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &exc_port);
	(void)mach_port_insert_right(fz.self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND);
	(void)task_set_exception_ports(fz.self, EXC_MASK_ALL, exc_port, EXCEPTION_DEFAULT, 0);
	(void)mk_thread_start(exc_thread, NULL);

	/* ports long-IPC calls meet on, and the victim */
	for (int i = 0; i < 2; i++) {
		(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &fz.lipc_port[i]);
		(void)mach_port_insert_right(fz.self, fz.lipc_port[i], fz.lipc_port[i],
					     MACH_MSG_TYPE_MAKE_SEND);
	}
	(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &victim_handshake);
	fz.report_port = report_port;
	victim_start();

	/* the fuzz threads: registered, then everything that exists is protected */
	for (unsigned i = 0; i < params.threads; i++) {
		threads[i].index = i;
		threads[i].verbose = params.verbose &&
				     (params.only_thread == 0 || params.only_thread == i + 1);
		tids[i] = mk_thread_start(fuzz_thread, &threads[i]);
	}
	(void)mk_thread_start(control, NULL);
	while (registered < (int)params.threads + 2)	/* + the handler and control */
		(void)swtch();
	{
		mach_port_name_array_t names = NULL;
		mach_port_type_array_t types = NULL;
		mach_msg_type_number_t nn = 0, nt = 0;
		(void)mig_get_reply_port();	/* make it now: a name that must stay */
		if (mach_port_names(fz.self, &names, &nn, &types, &nt) == KERN_SUCCESS) {
			for (unsigned i = 0; i < nn; i++) {
				int victim = names[i] == fz.victim_task || names[i] == fz.victim_port;
				for (unsigned v = 0; v < FZ_VICTIM_THREADS; v++)
					victim |= names[i] == fz.victim_thread[v];
				if (!victim)
					fz_protect(names[i]);
			}
			(void)vm_deallocate(fz.self, (vm_address_t)names, nn * sizeof(*names));
			(void)vm_deallocate(fz.self, (vm_address_t)types, nt * sizeof(*types));
		}
	}
	mach_port_t park = MACH_PORT_NULL;
	(void)mach_port_allocate(fz.self, MACH_PORT_RIGHT_RECEIVE, &park);
	fz_protect(park);
	fz_env_protect_memory();
	go = 1;
	/* from here on this stack may be written by the fuzz: stay in the kernel */
	for (;;)
		(void)mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), park, 0, MACH_PORT_NULL);
}
