/*
 * Exception ports of tasks and threads: the tables (see exception_ports.h)
 * and the {task,thread}_{set,get,swap}_exception_ports routines of the
 * task and thread_act subsystems.
 *
 * Semantics are XNU's (osfmk/kern/ipc_tt.c):
 *   - a NULL task or thread: KERN_INVALID_ARGUMENT; a task or thread that
 *     is terminating: KERN_FAILURE;
 *   - mask bits outside EXC_MASK_VALID (EXC_MASK_ALL plus EXC_MASK_CRASH
 *     and EXC_MASK_CORPSE_NOTIFY): KERN_INVALID_ARGUMENT;
 *   - the behavior is checked only when the new port is valid: it must be
 *     EXCEPTION_DEFAULT, EXCEPTION_STATE or EXCEPTION_STATE_IDENTITY,
 *     optionally or'ed with MACH_EXCEPTION_CODES;
 *   - a flavor other than 0 must be one XNU's i386 kernel knows
 *     (VALID_THREAD_STATE_FLAVOR), else KERN_INVALID_ARGUMENT.  Beyond
 *     XNU: a valid port whose behavior carries state must name a flavor
 *     this kernel can produce (machine_thread_state_flavor_supported), so
 *     that a handler is never installed that could not be sent its state;
 *   - set stores one new send right per selected slot and consumes the
 *     caller's right on success only; the old rights are released;
 *   - get returns one entry per distinct (port, behavior, flavor) among
 *     the selected slots, with the slots' mask bits merged, each entry's
 *     port a new send right (possibly null or dead); an entry is added
 *     only while *masksCnt allows;
 *   - swap is get followed by set, atomically.
 * A thread that never had exception ports set reads as having none
 * (count 0), as XNU's lazily allocated thread table does; a task without
 * a table reads as all slots empty (XNU's task table always exists).
 */
#include <kern/exception_ports.h>
#include <kern/host.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/thread_state.h>
#include <mach/host_privServer.h>
#include <mach/taskServer.h>
#include <mach/thread_actServer.h>

struct exc_action {
	ipc_port_t port;		/* send right, IP_NULL or IP_DEAD */
	exception_behavior_t behavior;
	thread_state_flavor_t flavor;
};

struct exc_table {
	struct exc_action act[EXC_TYPES_COUNT];	/* [0] unused */
};

/* What a task without a table reads as. */
static const struct exc_table empty_table;

/* The table behind a task or thread field, made (all empty) if asked. */
static struct exc_table *table_of(void **field, bool create)
{
	if (*field == NULL && create)
		*field = kzalloc(sizeof(struct exc_table));
	return *field;
}

/* Check set/swap arguments (XNU's order of checks, see the file comment). */
static kern_return_t check_new_handler(exception_mask_t mask, ipc_port_t new_port,
				       exception_behavior_t behavior,
				       thread_state_flavor_t flavor)
{
	if (mask & ~(exception_mask_t)EXC_PORTS_MASK_VALID)
		return KERN_INVALID_ARGUMENT;
	if (IP_VALID(new_port)) {
		switch (behavior & ~(exception_behavior_t)MACH_EXCEPTION_CODES) {
		case EXCEPTION_DEFAULT:
			break;
		case EXCEPTION_STATE:
		case EXCEPTION_STATE_IDENTITY:
			if (!machine_thread_state_flavor_supported(flavor))
				return KERN_INVALID_ARGUMENT;
			break;
		default:
			return KERN_INVALID_ARGUMENT;
		}
	}
	if (flavor != 0 && !machine_thread_state_flavor_valid(flavor))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/*
 * Collect the selected slots of t into at most cap merged entries; the
 * ports written are new send rights.  Returns the number of entries.
 */
static mach_msg_type_number_t collect(const struct exc_table *t, exception_mask_t mask,
				      exception_mask_array_t masks, mach_msg_type_number_t cap,
				      exception_handler_array_t ports,
				      exception_behavior_array_t behaviors,
				      exception_flavor_array_t flavors)
{
	mach_msg_type_number_t count = 0, j;

	for (int i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++) {
		exception_mask_t bit = (exception_mask_t)1 << i;
		const struct exc_action *a = &t->act[i];
		if (!(mask & bit))
			continue;
		/* ports[] holds the slots' own pointers until the end */
		for (j = 0; j < count; j++) {
			if (ports[j] == a->port && behaviors[j] == a->behavior &&
			    flavors[j] == a->flavor) {
				masks[j] |= bit;
				break;
			}
		}
		if (j == count && count < cap) {
			masks[count] = bit;
			ports[count] = a->port;
			behaviors[count] = a->behavior;
			flavors[count] = a->flavor;
			count++;
		}
	}
	for (j = 0; j < count; j++)
		ports[j] = ipc_port_copy_send(ports[j]);
	return count;
}

/* Install new_port (one new send right per slot) in the selected slots. */
static void install(struct exc_table *t, exception_mask_t mask, ipc_port_t new_port,
		    exception_behavior_t behavior, thread_state_flavor_t flavor)
{
	for (int i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++) {
		struct exc_action *a = &t->act[i];
		if (!(mask & ((exception_mask_t)1 << i)))
			continue;
		ipc_port_t old = a->port;
		a->port = ipc_port_copy_send(new_port);
		a->behavior = behavior;
		a->flavor = flavor;
		ipc_port_release_send(old);
	}
}

/* Release every right of a table and free it. */
static void table_free(void **field)
{
	struct exc_table *t = *field;
	if (t == NULL)
		return;
	*field = NULL;
	for (int i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++)
		ipc_port_release_send(t->act[i].port);
	kfree(t, sizeof(*t));
}

static bool task_alive(task_t task)
{
	return task->active && task->itk_self != IP_NULL;
}

static bool thread_alive(thread_t thread)
{
	return thread->state != TH_DEAD && !(thread->ast & AST_TERMINATE);
}

/*
 * Shared body of the set and swap routines on one table field, once the
 * arguments are checked.  When masks is NULL it is a set (nothing
 * returned).  On success new_port is
 * consumed; on failure nothing changed and it is still the caller's.
 */
static kern_return_t set_or_swap(void **field, exception_mask_t mask, ipc_port_t new_port,
				 exception_behavior_t behavior, thread_state_flavor_t flavor,
				 exception_mask_array_t masks, mach_msg_type_number_t *masksCnt,
				 exception_handler_array_t old_handlers,
				 exception_behavior_array_t old_behaviors,
				 exception_flavor_array_t old_flavors)
{
	struct exc_table *t = table_of(field, true);
	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (masks != NULL)
		*masksCnt = collect(t, mask, masks, *masksCnt, old_handlers,
				    old_behaviors, old_flavors);
	install(t, mask, new_port, behavior, flavor);
	ipc_port_release_send(new_port);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------ kernel API */

/* exception_port_lookup: see exception_ports.h. */
bool exception_port_lookup(struct thread *thread, struct task *task, int level,
			   exception_type_t exc, ipc_port_t *port,
			   exception_behavior_t *behavior,
			   thread_state_flavor_t *flavor)
{
	const struct exc_table *t = NULL;

	if (level == EXC_LEVEL_THREAD && thread != NULL)
		t = thread->ith_exc;
	else if (level == EXC_LEVEL_TASK && task != NULL)
		t = task->itk_exc;
	else if (level == EXC_LEVEL_HOST)
		t = realhost.host_exc;
	if (t == NULL || exc < FIRST_EXCEPTION || exc >= EXC_TYPES_COUNT)
		return false;
	const struct exc_action *a = &t->act[exc];
	if (!IP_VALID(a->port) || !ip_active(a->port))
		return false;
	*port = ipc_port_copy_send(a->port);
	*behavior = a->behavior;
	*flavor = a->flavor;
	return true;
}

/* exception_ports_inherit: see exception_ports.h. */
kern_return_t exception_ports_inherit(struct task *child, struct task *parent)
{
	const struct exc_table *from = parent->itk_exc;
	if (from == NULL)
		return KERN_SUCCESS;
	struct exc_table *to = table_of(&child->itk_exc, true);
	if (to == NULL)
		return KERN_RESOURCE_SHORTAGE;
	for (int i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++) {
		ipc_port_release_send(to->act[i].port);
		to->act[i].port = ipc_port_copy_send(from->act[i].port);
		to->act[i].behavior = from->act[i].behavior;
		to->act[i].flavor = from->act[i].flavor;
	}
	return KERN_SUCCESS;
}

/* exception_ports_release_task: see exception_ports.h. */
void exception_ports_release_task(struct task *task)
{
	table_free(&task->itk_exc);
}

/* exception_ports_release_thread: see exception_ports.h. */
void exception_ports_release_thread(struct thread *thread)
{
	table_free(&thread->ith_exc);
}

/* exception_ports_foreach: see exception_ports.h. */
void exception_ports_foreach(void *table, void (*fn)(ipc_port_t port, void *arg), void *arg)
{
	const struct exc_table *t = table;
	if (t == NULL)
		return;
	for (int i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++)
		fn(t->act[i].port, arg);
}

/*
 * The three levels' RPCs differ only in the table they work on and in
 * whether its owner is still alive; these two do the work.  field is the
 * owner's table pointer (NULL: no such owner, KERN_INVALID_ARGUMENT).
 * set_ports with masks == NULL sets, otherwise it swaps.
 */
static kern_return_t set_ports(void **field, bool alive, exception_mask_t mask,
			       ipc_port_t new_port, exception_behavior_t behavior,
			       thread_state_flavor_t new_flavor, exception_mask_array_t masks,
			       mach_msg_type_number_t *masksCnt,
			       exception_handler_array_t old_handlers,
			       exception_behavior_array_t old_behaviors,
			       exception_flavor_array_t old_flavors)
{
	if (field == NULL)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = check_new_handler(mask, new_port, behavior, new_flavor);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!alive)
		return KERN_FAILURE;
	return set_or_swap(field, mask, new_port, behavior, new_flavor, masks, masksCnt,
			   old_handlers, old_behaviors, old_flavors);
}

/* get_ports: see set_ports; an unset table reads as empty slots, or as no entries if none_if_unset. */
static kern_return_t get_ports(void *const *field, bool alive, bool none_if_unset,
			       exception_mask_t mask, exception_mask_array_t masks,
			       mach_msg_type_number_t *masksCnt,
			       exception_handler_array_t old_handlers,
			       exception_behavior_array_t old_behaviors,
			       exception_flavor_array_t old_flavors)
{
	if (field == NULL || (mask & ~(exception_mask_t)EXC_PORTS_MASK_VALID))
		return KERN_INVALID_ARGUMENT;
	if (!alive)
		return KERN_FAILURE;
	const struct exc_table *t = *field;
	if (t == NULL && none_if_unset) {
		*masksCnt = 0;
		return KERN_SUCCESS;
	}
	*masksCnt = collect(t ? t : &empty_table, mask, masks, *masksCnt, old_handlers,
			    old_behaviors, old_flavors);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------ task RPCs */

/*
 * task_set_exception_ports: make new_port (behavior, new_flavor) the
 * handler of every exception type in exception_mask for task.
 * References: task is the server's (not consumed); new_port is a send
 * right (or null/dead) consumed on KERN_SUCCESS only.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL task, bad mask,
 * behavior or flavor); KERN_FAILURE (task terminating);
 * KERN_RESOURCE_SHORTAGE (no memory for the table).
 */
kern_return_t task_set_exception_ports(task_t task, exception_mask_t exception_mask,
				       mach_port_t new_port, exception_behavior_t behavior,
				       thread_state_flavor_t new_flavor)
{
	return set_ports(task ? &task->itk_exc : NULL, task && task_alive(task), exception_mask,
			 new_port, behavior, new_flavor, NULL, NULL, NULL, NULL, NULL);
}

/*
 * task_get_exception_ports: the handlers of the exception types in
 * exception_mask, merged per distinct (port, behavior, flavor) into at
 * most *masksCnt entries; *masksCnt is set to the entries written.
 * References: task is the server's; each old_handlers[i] is a new send
 * right (or null/dead) that the reply carries to the caller.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (NULL task, bad mask);
 * KERN_FAILURE (task terminating).
 */
kern_return_t task_get_exception_ports(task_t task, exception_mask_t exception_mask,
				       exception_mask_array_t masks,
				       mach_msg_type_number_t *masksCnt,
				       exception_handler_array_t old_handlers,
				       exception_behavior_array_t old_behaviors,
				       exception_flavor_array_t old_flavors)
{
	return get_ports(task ? &task->itk_exc : NULL, task && task_alive(task), false,
			 exception_mask, masks, masksCnt, old_handlers, old_behaviors, old_flavors);
}

/*
 * task_swap_exception_ports: task_get_exception_ports followed by
 * task_set_exception_ports, as one step.  References and returns as for
 * those two; the old entries come back only on KERN_SUCCESS.
 */
kern_return_t task_swap_exception_ports(task_t task, exception_mask_t exception_mask,
					mach_port_t new_port, exception_behavior_t behavior,
					thread_state_flavor_t new_flavor,
					exception_mask_array_t masks,
					mach_msg_type_number_t *masksCnt,
					exception_handler_array_t old_handlers,
					exception_behavior_array_t old_behaviors,
					exception_flavor_array_t old_flavors)
{
	return set_ports(task ? &task->itk_exc : NULL, task && task_alive(task), exception_mask,
			 new_port, behavior, new_flavor, masks, masksCnt, old_handlers,
			 old_behaviors, old_flavors);
}

/* ------------------------------------------------------------ thread RPCs */

/*
 * thread_set_exception_ports: as task_set_exception_ports, for the
 * thread's own table (consulted before the task's).  thread is valid for
 * the call (threads are not reference counted).  KERN_FAILURE when the
 * thread is terminating.
 */
kern_return_t thread_set_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
					 mach_port_t new_port, exception_behavior_t behavior,
					 thread_state_flavor_t new_flavor)
{
	return set_ports(thread ? &thread->ith_exc : NULL, thread && thread_alive(thread),
			 exception_mask, new_port, behavior, new_flavor, NULL, NULL, NULL, NULL,
			 NULL);
}

/*
 * thread_get_exception_ports: as task_get_exception_ports, for the
 * thread's table; a thread that never had one set returns no entries
 * (as XNU).
 */
kern_return_t thread_get_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
					 exception_mask_array_t masks,
					 mach_msg_type_number_t *masksCnt,
					 exception_handler_array_t old_handlers,
					 exception_behavior_array_t old_behaviors,
					 exception_flavor_array_t old_flavors)
{
	return get_ports(thread ? &thread->ith_exc : NULL, thread && thread_alive(thread), true,
			 exception_mask, masks, masksCnt, old_handlers, old_behaviors, old_flavors);
}

/*
 * thread_swap_exception_ports: as task_swap_exception_ports, for the
 * thread's table.
 */
kern_return_t thread_swap_exception_ports(thread_act_t thread, exception_mask_t exception_mask,
					  mach_port_t new_port, exception_behavior_t behavior,
					  thread_state_flavor_t new_flavor,
					  exception_mask_array_t masks,
					  mach_msg_type_number_t *masksCnt,
					  exception_handler_array_t old_handlers,
					  exception_behavior_array_t old_behaviors,
					  exception_flavor_array_t old_flavors)
{
	return set_ports(thread ? &thread->ith_exc : NULL, thread && thread_alive(thread),
			 exception_mask, new_port, behavior, new_flavor, masks, masksCnt,
			 old_handlers, old_behaviors, old_flavors);
}

/* ------------------------------------------------------------ host RPCs */

/*
 * host_set_exception_ports: the host-level handlers, consulted after the
 * thread's and the task's.  As task_set_exception_ports; host comes from
 * the privileged host port only (any other port arrives as NULL and gets
 * KERN_INVALID_ARGUMENT, as XNU).  The host never terminates.
 */
kern_return_t host_set_exception_ports(host_t host, exception_mask_t exception_mask,
				       mach_port_t new_port, exception_behavior_t behavior,
				       thread_state_flavor_t new_flavor)
{
	return set_ports(host ? &host->host_exc : NULL, true, exception_mask, new_port, behavior,
			 new_flavor, NULL, NULL, NULL, NULL, NULL);
}

/* host_get_exception_ports: as task_get_exception_ports, for the host. */
kern_return_t host_get_exception_ports(host_t host, exception_mask_t exception_mask,
				       exception_mask_array_t masks,
				       mach_msg_type_number_t *masksCnt,
				       exception_handler_array_t old_handlers,
				       exception_behavior_array_t old_behaviors,
				       exception_flavor_array_t old_flavors)
{
	return get_ports(host ? &host->host_exc : NULL, true, false, exception_mask, masks,
			 masksCnt, old_handlers, old_behaviors, old_flavors);
}

/* host_swap_exception_ports: as task_swap_exception_ports, for the host. */
kern_return_t host_swap_exception_ports(host_t host, exception_mask_t exception_mask,
					mach_port_t new_port, exception_behavior_t behavior,
					thread_state_flavor_t new_flavor,
					exception_mask_array_t masks,
					mach_msg_type_number_t *masksCnt,
					exception_handler_array_t old_handlers,
					exception_behavior_array_t old_behaviors,
					exception_flavor_array_t old_flavors)
{
	return set_ports(host ? &host->host_exc : NULL, true, exception_mask, new_port, behavior,
			 new_flavor, masks, masksCnt, old_handlers, old_behaviors, old_flavors);
}
