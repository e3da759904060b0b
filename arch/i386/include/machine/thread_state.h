/*
 * Machine thread state: the Mach thread-state flavors of <mach/thread_status.h>
 * read from and written to a user thread's trap frame.
 *
 * Flavors served (numbers are XNU's):
 *   i386_THREAD_STATE (= x86_THREAD_STATE32)   get and set, count 16
 *   i386_EXCEPTION_STATE (= x86_EXCEPTION_STATE32)  get only, count 3
 *   THREAD_STATE_FLAVOR_LIST                   get only: the flavors above
 * Anything else is KERN_INVALID_ARGUMENT.
 *
 * A set is validated as a whole before the frame is touched, so a refused
 * state leaves the frame as it was:
 *   - CS must be USER_CS and SS must be USER_DS, exactly;
 *   - DS, ES, FS and GS must be USER_DS or 0 (0 is stored as USER_DS);
 *   - of EFLAGS only EFLAGS_USER_CHANGEABLE is taken; IF and the reserved
 *     bit 1 are always set, IOPL, NT, VM and RF never;
 *   - EIP and ESP may be anything: a bad EIP faults in user mode.
 * The frame's trapno and err are left alone.
 */
#ifndef _MACHINE_THREAD_STATE_H_
#define _MACHINE_THREAD_STATE_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/thread_status.h>
#include <machine/trap.h>

struct thread;

/* Any flavor number XNU's i386 kernel accepts (VALID_THREAD_STATE_FLAVOR). */
bool machine_thread_state_flavor_valid(thread_state_flavor_t flavor);
/* Flavors this kernel can produce with machine_thread_get_state. */
bool machine_thread_state_flavor_supported(thread_state_flavor_t flavor);

/*
 * thread_state_from_frame: fill state (*count words available) with
 * flavor's view of tf and set *count to the words written.
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT (unknown flavor, *count
 * too small).
 */
kern_return_t thread_state_from_frame(const struct trapframe *tf,
				      thread_state_flavor_t flavor,
				      thread_state_t state,
				      mach_msg_type_number_t *count);

/*
 * thread_state_to_frame: validate count words of flavor's state and, if
 * valid, write them into tf (see the rules above).
 * Returns KERN_SUCCESS, or KERN_INVALID_ARGUMENT (flavor not settable,
 * count not the flavor's count, bad selector); tf is unchanged then.
 */
kern_return_t thread_state_to_frame(struct trapframe *tf,
				    thread_state_flavor_t flavor,
				    const natural_t *state,
				    mach_msg_type_number_t count);

/*
 * machine_thread_get_state / machine_thread_set_state: the same on the
 * saved user frame of thread (which must not be running in user mode at
 * the moment: on this uniprocessor, any thread but the caller's).  A
 * thread without a user frame (kernel threads) gets
 * KERN_INVALID_ARGUMENT.  A set takes effect when the thread next
 * returns to user mode.
 */
kern_return_t machine_thread_get_state(struct thread *thread,
				       thread_state_flavor_t flavor,
				       thread_state_t state,
				       mach_msg_type_number_t *count);
kern_return_t machine_thread_set_state(struct thread *thread,
				       thread_state_flavor_t flavor,
				       const natural_t *state,
				       mach_msg_type_number_t count);

#endif /* _MACHINE_THREAD_STATE_H_ */
