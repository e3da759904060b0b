/*
 * The kernel side of the thread_act subsystem (XNU's thread_act.defs, ids
 * from 3600): routines a task calls on a thread's port.  The exception
 * port routines of the subsystem are in kern/exception_ports.c.
 *
 * The generated server converts the port with convert_port_to_thread():
 * a thread stays valid for the call (threads are not reference counted,
 * see kern/ipc_tt.c), and a port that names no live thread arrives as
 * NULL, answered with KERN_INVALID_ARGUMENT as XNU does.  A thread that
 * has been asked to terminate but is not dead yet is "not active" in
 * XNU's sense: KERN_TERMINATED.
 *
 * Suspension.  XNU keeps a per-thread user stop count (thread_suspend /
 * thread_resume, and the creation hold of thread_create) apart from the
 * holds its task puts on every thread (task_suspend).  Here both are in
 * thread->suspend_count: every task_hold() adds one to each thread of the
 * task, and thread_create adds the task's holds to a new thread, so the
 * user stop count is the thread's count less its task's, never below 0.
 * thread_resume can therefore never undo a task suspension.
 */
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/thread_state.h>
#include <mach/policy.h>
#include <mach/thread_info.h>
#include <mach/thread_actServer.h>

/* The user stop count (see the file comment). */
static int thread_user_stop_count(thread_t thread)
{
	int n = thread->suspend_count;
	if (thread->task != NULL && thread->task != kernel_task)
		n -= thread->task->suspend_count;
	return n > 0 ? n : 0;
}

/* Terminating or dead: XNU's !thread->active. */
static bool thread_inactive(thread_t thread)
{
	return thread->state == TH_DEAD || (thread->ast & AST_TERMINATE);
}

/*
 * thread_terminate: ask target_act to terminate.  A thread that never
 * ran dies at once; any other leaves its wait (interruptible or
 * suspended) and dies on its way back to user mode.  For the calling
 * thread itself this only marks it: the reply goes out and the thread
 * dies on its way back to user mode, never running user code again.
 * The last thread of a task ends the task.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread);
 * KERN_FAILURE (a kernel thread); KERN_TERMINATED (already terminating).
 */
kern_return_t thread_terminate(thread_act_t target_act)
{
	if (target_act == NULL)
		return KERN_INVALID_ARGUMENT;
	if (target_act->task == kernel_task)
		return KERN_FAILURE;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	thread_terminate_internal(target_act);
	return KERN_SUCCESS;
}

/*
 * thread_get_state: copy flavor's view of target_act's saved user
 * registers into old_state (*old_stateCnt words available; set to the
 * words written).  For the calling thread these are the registers of
 * its current trap.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, a kernel
 * thread, unknown flavor, count too small); KERN_TERMINATED.
 */
kern_return_t thread_get_state(thread_act_t target_act, thread_state_flavor_t flavor,
			       thread_state_t old_state, mach_msg_type_number_t *old_stateCnt)
{
	if (target_act == NULL)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	return machine_thread_get_state(target_act, flavor, old_state, old_stateCnt);
}

/*
 * thread_set_state: replace target_act's saved user registers with
 * new_state (validated as a whole first, see machine/thread_state.h).
 * The change takes effect when the thread next returns to user mode; a
 * thread blocked in a kernel call still gets that call's return value
 * in EAX (as in XNU; thread_abort first to avoid it).  The calling
 * thread may set its own state.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, a kernel
 * thread, flavor not settable, count not the flavor's, bad selector);
 * KERN_TERMINATED.
 */
kern_return_t thread_set_state(thread_act_t target_act, thread_state_flavor_t flavor,
			       thread_state_t new_state, mach_msg_type_number_t new_stateCnt)
{
	if (target_act == NULL)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	return machine_thread_set_state(target_act, flavor, new_state, new_stateCnt);
}

/*
 * act_get_state: thread_get_state, except that (as in XNU) the calling
 * thread may not name itself: KERN_INVALID_ARGUMENT.
 */
kern_return_t act_get_state(thread_act_t target_act, int flavor,
			    thread_state_t old_state, mach_msg_type_number_t *old_stateCnt)
{
	if (target_act == NULL || target_act == current_thread())
		return KERN_INVALID_ARGUMENT;
	return thread_get_state(target_act, flavor, old_state, old_stateCnt);
}

/*
 * act_set_state: thread_set_state, except that (as in XNU) the calling
 * thread may not name itself: KERN_INVALID_ARGUMENT.
 */
kern_return_t act_set_state(thread_act_t target_act, int flavor,
			    thread_state_t new_state, mach_msg_type_number_t new_stateCnt)
{
	if (target_act == NULL || target_act == current_thread())
		return KERN_INVALID_ARGUMENT;
	return thread_set_state(target_act, flavor, new_state, new_stateCnt);
}

/*
 * thread_suspend: one more user stop of target_act.  The thread stops
 * before it next runs user code (the calling thread itself: once this
 * call has returned into the kernel's exit path).  Counts nest.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, a kernel
 * thread); KERN_TERMINATED.
 */
kern_return_t thread_suspend(thread_act_t target_act)
{
	if (target_act == NULL || target_act->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	thread_hold(target_act);
	return KERN_SUCCESS;
}

/*
 * thread_resume: undo one user stop (thread_suspend, or the creation
 * stop of thread_create).  The thread runs again when no stop and no
 * task suspension remains.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, a kernel
 * thread); KERN_TERMINATED; KERN_FAILURE (not stopped by the user, as
 * XNU: a task suspension is not undone here).
 */
kern_return_t thread_resume(thread_act_t target_act)
{
	if (target_act == NULL || target_act->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	if (thread_user_stop_count(target_act) == 0)
		return KERN_FAILURE;
	thread_release(target_act);
	return KERN_SUCCESS;
}

/*
 * thread_abort: interrupt target_act's interruptible kernel wait: a
 * thread blocked in mach_msg returns MACH_RCV_INTERRUPTED or
 * MACH_SEND_INTERRUPTED, a sleep ends early.  A thread that is not in
 * such a wait is unaffected (unlike XNU, no abort is left pending for
 * its next wait).
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, a kernel
 * thread); KERN_TERMINATED.
 */
kern_return_t thread_abort(thread_act_t target_act)
{
	if (target_act == NULL || target_act->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	if (target_act != current_thread())
		(void)thread_abort_wait(target_act);
	return KERN_SUCCESS;
}

/* XNU's run state of a live thread, from ours. */
static integer_t run_state(thread_t t)
{
	if (!t->started)
		return TH_STATE_STOPPED;	/* created suspended, never ran */
	if (t->state == TH_WAIT) {
		if (t->wait_event == (event_t)&t->suspend_count)
			return TH_STATE_STOPPED;
		return t->interruptible ? TH_STATE_WAITING : TH_STATE_UNINTERRUPTIBLE;
	}
	return TH_STATE_RUNNING;
}

/*
 * thread_info: THREAD_BASIC_INFO (XNU's 40-byte layout) of target_act
 * into thread_info_out (*thread_info_outCnt words available; set to
 * THREAD_BASIC_INFO_COUNT).  Times, CPU usage and sleep time are 0 (not
 * accounted); policy is POLICY_TIMESHARE; suspend_count is the user stop
 * count; run_state: running or runnable TH_STATE_RUNNING, stopped by a
 * suspension (or created and not started) TH_STATE_STOPPED, waiting
 * TH_STATE_WAITING or TH_STATE_UNINTERRUPTIBLE.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no thread, unknown
 * flavor, count too small); KERN_TERMINATED (terminating, as XNU).
 */
kern_return_t thread_info(thread_act_t target_act, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt)
{
	if (target_act == NULL)
		return KERN_INVALID_ARGUMENT;
	if (thread_inactive(target_act))
		return KERN_TERMINATED;
	if (flavor != THREAD_BASIC_INFO || *thread_info_outCnt < THREAD_BASIC_INFO_COUNT)
		return KERN_INVALID_ARGUMENT;

	struct thread_basic_info bi = {
		.user_time = { 0, 0 },
		.system_time = { 0, 0 },
		.cpu_usage = 0,
		.policy = POLICY_TIMESHARE,
		.run_state = run_state(target_act),
		.flags = 0,
		.suspend_count = thread_user_stop_count(target_act),
		.sleep_time = 0,
	};
	_Static_assert(sizeof(bi) == THREAD_BASIC_INFO_COUNT * sizeof(integer_t),
		       "thread_basic_info is whole words");
	memcpy(thread_info_out, &bi, sizeof(bi));
	*thread_info_outCnt = THREAD_BASIC_INFO_COUNT;
	return KERN_SUCCESS;
}
