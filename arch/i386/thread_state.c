/*
 * Machine thread state <-> trap frame (see machine/thread_state.h for the
 * flavors and the validation rules).
 */
#include <kern/lib.h>
#include <kern/thread.h>
#include <machine/cpu.h>
#include <machine/seg.h>
#include <machine/thread_state.h>

/* The reserved EFLAGS bit that always reads as 1. */
#define EFLAGS_RESERVED1	0x00000002u

/* The flavors THREAD_STATE_FLAVOR_LIST reports, in that order. */
static const thread_state_flavor_t supported_flavors[] = {
	i386_THREAD_STATE,
	i386_EXCEPTION_STATE,
};

/* machine_thread_state_flavor_valid: see machine/thread_state.h. */
bool machine_thread_state_flavor_valid(thread_state_flavor_t flavor)
{
	/* XNU's i386 list: x86_THREAD_STATE32 (1) .. THREAD_STATE_NONE (13). */
	return flavor >= x86_THREAD_STATE32 && flavor <= THREAD_STATE_NONE;
}

/* machine_thread_state_flavor_supported: see machine/thread_state.h. */
bool machine_thread_state_flavor_supported(thread_state_flavor_t flavor)
{
	for (unsigned i = 0; i < ARRAY_SIZE(supported_flavors); i++)
		if (supported_flavors[i] == flavor)
			return true;
	return false;
}

/* thread_state_from_frame: see machine/thread_state.h. */
kern_return_t thread_state_from_frame(const struct trapframe *tf,
				      thread_state_flavor_t flavor,
				      thread_state_t state,
				      mach_msg_type_number_t *count)
{
	switch (flavor) {
	case i386_THREAD_STATE: {
		i386_thread_state_t ts;
		if (*count < i386_THREAD_STATE_COUNT)
			return KERN_INVALID_ARGUMENT;
		ts.eax = tf->eax;
		ts.ebx = tf->ebx;
		ts.ecx = tf->ecx;
		ts.edx = tf->edx;
		ts.edi = tf->edi;
		ts.esi = tf->esi;
		ts.ebp = tf->ebp;
		ts.esp = tf->uesp;
		ts.ss = tf->ss;
		ts.eflags = tf->eflags;
		ts.eip = tf->eip;
		ts.cs = tf->cs;
		ts.ds = tf->ds;
		ts.es = tf->es;
		ts.fs = tf->fs;
		ts.gs = tf->gs;
		/* state is only word aligned: copy rather than cast */
		memcpy(state, &ts, sizeof(ts));
		*count = i386_THREAD_STATE_COUNT;
		return KERN_SUCCESS;
	}
	case i386_EXCEPTION_STATE: {
		i386_exception_state_t es;
		if (*count < i386_EXCEPTION_STATE_COUNT)
			return KERN_INVALID_ARGUMENT;
		es.trapno = (uint16_t)tf->trapno;
		es.cpu = 0;
		es.err = tf->err;
		/* The trap frame keeps no CR2: the fault address is not known here. */
		es.faultvaddr = 0;
		memcpy(state, &es, sizeof(es));
		*count = i386_EXCEPTION_STATE_COUNT;
		return KERN_SUCCESS;
	}
	case THREAD_STATE_FLAVOR_LIST: {
		mach_msg_type_number_t n = ARRAY_SIZE(supported_flavors);
		if (*count < n)
			return KERN_INVALID_ARGUMENT;
		for (unsigned i = 0; i < n; i++)
			state[i] = (natural_t)supported_flavors[i];
		*count = n;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* A data selector as set: USER_DS, or 0 taken as USER_DS; else false. */
static bool data_selector(uint32_t sel, uint32_t *out)
{
	if (sel != 0 && sel != USER_DS)
		return false;
	*out = USER_DS;
	return true;
}

/* thread_state_to_frame: see machine/thread_state.h. */
kern_return_t thread_state_to_frame(struct trapframe *tf,
				    thread_state_flavor_t flavor,
				    const natural_t *state,
				    mach_msg_type_number_t count)
{
	i386_thread_state_t ts;
	uint32_t ds, es, fs, gs;

	/* As XNU: the 32-bit thread state must come whole, no more, no less. */
	if (flavor != i386_THREAD_STATE || count != i386_THREAD_STATE_COUNT)
		return KERN_INVALID_ARGUMENT;
	memcpy(&ts, state, sizeof(ts));
	if (ts.cs != USER_CS || ts.ss != USER_DS)
		return KERN_INVALID_ARGUMENT;
	if (!data_selector(ts.ds, &ds) || !data_selector(ts.es, &es) ||
	    !data_selector(ts.fs, &fs) || !data_selector(ts.gs, &gs))
		return KERN_INVALID_ARGUMENT;

	tf->eax = ts.eax;
	tf->ebx = ts.ebx;
	tf->ecx = ts.ecx;
	tf->edx = ts.edx;
	tf->edi = ts.edi;
	tf->esi = ts.esi;
	tf->ebp = ts.ebp;
	tf->uesp = ts.esp;
	tf->ss = USER_DS;
	tf->eflags = (ts.eflags & EFLAGS_USER_CHANGEABLE) | EFLAGS_IF | EFLAGS_RESERVED1;
	tf->eip = ts.eip;
	tf->cs = USER_CS;
	tf->ds = ds;
	tf->es = es;
	tf->fs = fs;
	tf->gs = gs;
	return KERN_SUCCESS;
}

/*
 * machine_thread_get_state: see machine/thread_state.h.  The thread is
 * the caller's to keep valid for the call; nothing is referenced.
 */
kern_return_t machine_thread_get_state(struct thread *thread,
				       thread_state_flavor_t flavor,
				       thread_state_t state,
				       mach_msg_type_number_t *count)
{
	if (thread == NULL || thread->pcb.tf == NULL)
		return KERN_INVALID_ARGUMENT;
	return thread_state_from_frame(thread->pcb.tf, flavor, state, count);
}

/*
 * machine_thread_set_state: see machine/thread_state.h.  The thread is
 * the caller's to keep valid for the call; nothing is referenced.
 */
kern_return_t machine_thread_set_state(struct thread *thread,
				       thread_state_flavor_t flavor,
				       const natural_t *state,
				       mach_msg_type_number_t count)
{
	if (thread == NULL || thread->pcb.tf == NULL)
		return KERN_INVALID_ARGUMENT;
	return thread_state_to_frame(thread->pcb.tf, flavor, state, count);
}
