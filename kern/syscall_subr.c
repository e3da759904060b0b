/*
 * swtch, swtch_pri and thread_switch (XNU semantics).
 */
#include <kern/ipc_tt.h>
#include <kern/sched_prim.h>
#include <kern/syscall_subr.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <mach/thread_switch.h>

/* swtch: yield; TRUE if other threads were ready to run. */
boolean_t swtch(void)
{
	thread_yield();
	return sched_runnable();
}

/* swtch_pri: yield (no priority depression here); as swtch. */
boolean_t swtch_pri(int pri __unused)
{
	thread_yield();
	return sched_runnable();
}

/*
 * thread_switch: yield, preferably to the thread named (if it is ready),
 * or with SWITCH_OPTION_WAIT block for option_time milliseconds.
 * SWITCH_OPTION_DEPRESS is treated as a plain yield.  Unknown options:
 * KERN_INVALID_ARGUMENT.
 */
kern_return_t thread_switch(mach_port_name_t thread_name, int option, uint32_t option_time)
{
	switch (option) {
	case SWITCH_OPTION_NONE:
	case SWITCH_OPTION_DEPRESS:
		break;
	case SWITCH_OPTION_WAIT:
		if (option_time > 0) {
			thread_sleep_ticks(ms_to_ticks(option_time), THREAD_INTERRUPTIBLE);
			return KERN_SUCCESS;
		}
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	thread_t target = MACH_PORT_VALID(thread_name) ? port_name_to_thread(thread_name) : NULL;
	thread_t self = current_thread();
	if (target && target != self && target->state == TH_RUN && target->on_runq &&
	    target->task == self->task) {
		/* hand the CPU to the named thread: take it off its queue first */
		sched_runq_remove(target);
		thread_handoff(target);
		return KERN_SUCCESS;
	}
	thread_yield();
	return KERN_SUCCESS;
}
