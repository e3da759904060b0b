/*
 * The kernel side of the task subsystem (XNU's task.defs, ids from 3400):
 * routines a task calls on a task port.  The exception port routines of
 * the subsystem are in kern/exception_ports.c.
 *
 * The generated server converts the request port with
 * convert_port_to_task() (or _name()): the routine gets a task reference
 * that the server drops after it returns, and a port that names no task
 * (or a terminating one: its port stops naming it) arrives as NULL,
 * answered with KERN_INVALID_ARGUMENT as in XNU.  Task results are
 * returned with a reference that convert_task_to_port() consumes; thread
 * results need none (threads are not reference counted).
 */
#include <ipc/ipc_port.h>
#include <kern/exception_ports.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/param.h>
#include <machine/pmap.h>
#include <machine/thread_state.h>
#include <mach/policy.h>
#include <mach/task_info.h>
#include <mach/task_special_ports.h>
#include <mach/taskServer.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

/*
 * Give child a private copy of every region of parent that a child
 * inherits: VM_INHERIT_COPY regions, and VM_INHERIT_SHARE regions too,
 * since this kernel has no shared memory (the child gets a copy, not a
 * share).  VM_INHERIT_NONE regions are left out.  Each region keeps its
 * address, protections and inheritance; only pages the parent has
 * touched are copied (the rest stay zero-fill in the child too).
 * Returns KERN_SUCCESS or the map layer's error, in practice
 * KERN_RESOURCE_SHORTAGE (the child is then partly filled).
 */
static kern_return_t copy_inherited_memory(vm_map_t parent, vm_map_t child)
{
	for (vm_map_entry_t e = vm_map_first_entry(parent); e != vm_map_to_entry(parent);
	     e = e->next) {
		if (e->inheritance == VM_INHERIT_NONE)
			continue;
		vaddr_t start = e->start;
		kern_return_t kr = vm_map_enter(child, &start, e->end - e->start, false,
						e->protection, e->max_protection,
						e->inheritance);
		if (kr != KERN_SUCCESS)
			return kr;
		for (vaddr_t va = e->start; va < e->end; va += PAGE_SIZE) {
			paddr_t pa = pmap_extract(parent->pmap, va, NULL);
			if (pa == 0)
				continue;
			/* force: the region may be read-only (or inaccessible) */
			kr = vm_map_write_bytes(child, va, phystokv(pa), PAGE_SIZE, true);
			if (kr != KERN_SUCCESS)
				return kr;
		}
	}
	return KERN_SUCCESS;
}

/*
 * task_create: a new task with no threads, child of target_task: it
 * gets target_task's special ports (bootstrap and host, new send rights)
 * and task-level exception ports.  With inherit_memory, its address
 * space is a copy of target_task's inheritable regions (see
 * copy_inherited_memory); otherwise it is empty.  It has no spawner: no
 * task holds it for mk_task_wait, so it is freed as soon as it has been
 * terminated (a task that is never terminated lives on, as in XNU).
 * ledgers are accepted and ignored, as in XNU.
 * References: target_task is the server's; on KERN_SUCCESS the ledger
 * send rights and their array are consumed (released and freed) and
 * *child_task carries a task reference for the reply; on failure
 * nothing is consumed.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task); KERN_FAILURE
 * (target_task is the kernel or terminating); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t task_create(task_t target_task, mach_port_array_t ledgers,
			  mach_msg_type_number_t ledgersCnt, boolean_t inherit_memory,
			  task_t *child_task)
{
	kern_return_t kr;

	if (target_task == NULL)
		return KERN_INVALID_ARGUMENT;
	if (target_task == kernel_task || !target_task->active)
		return KERN_FAILURE;
	task_t child = task_create_user(target_task->name, NULL);
	if (child == NULL)
		return KERN_RESOURCE_SHORTAGE;

	/* As XNU's ipc_task_init: the parent's host and bootstrap ports. */
	ipc_port_t old_host = child->itk_host, old_bootstrap = child->itk_bootstrap;
	child->itk_host = ipc_port_copy_send(target_task->itk_host);
	child->itk_bootstrap = ipc_port_copy_send(target_task->itk_bootstrap);
	ipc_port_release_send(old_host);
	ipc_port_release_send(old_bootstrap);

	kr = exception_ports_inherit(child, target_task);
	if (kr == KERN_SUCCESS && inherit_memory)
		kr = copy_inherited_memory(target_task->map, child->map);
	if (kr != KERN_SUCCESS) {
		/* no thread: finished (ports, exception ports, memory) and freed at once */
		task_terminate_internal(child, MK_EXIT_KILLED, 0, 0);
		return kr;
	}

	if (ledgers != NULL && ledgersCnt > 0) {
		for (mach_msg_type_number_t i = 0; i < ledgersCnt; i++)
			ipc_port_release_send(ledgers[i]);
		kfree(ledgers, ledgersCnt * sizeof(ledgers[0]));
	}
	task_reference(child);
	*child_task = child;
	return KERN_SUCCESS;
}

/*
 * task_terminate: end target_task: record it as killed (MK_EXIT_KILLED,
 * code 0) for its spawner, stop its port from naming it and ask every
 * thread to terminate.  The calling task may end itself: the reply still
 * goes out and the calling thread dies on its way back to user mode.
 * References: target_task is the server's (the task struct outlives the
 * call).
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task); KERN_FAILURE
 * (the kernel task, or already terminating).
 */
kern_return_t task_terminate(task_t target_task)
{
	if (target_task == NULL)
		return KERN_INVALID_ARGUMENT;
	if (target_task == kernel_task || !target_task->active)
		return KERN_FAILURE;
	task_terminate_internal(target_task, MK_EXIT_KILLED, 0, 0);
	return KERN_SUCCESS;
}

/*
 * task_threads: the threads of target_task (all but those already dead),
 * as an out-of-line array of *act_listCnt send rights to their thread
 * ports.  In kernel form the array is a kalloc'd block of
 * *act_listCnt ipc_port pointers, which the reply's copyout turns into
 * names and frees; no threads gives a NULL array and count 0.
 * References: target_task is the server's; the array and its send rights
 * belong to the reply.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task); KERN_FAILURE
 * (terminating); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t task_threads(task_t target_task, thread_act_array_t *act_list,
			   mach_msg_type_number_t *act_listCnt)
{
	mach_msg_type_number_t n = 0;

	if (target_task == NULL)
		return KERN_INVALID_ARGUMENT;
	if (!target_task->active)
		return KERN_FAILURE;
	queue_foreach(l, &target_task->threads) {
		thread_t t = qlink_entry(l, struct thread, task_link);
		if (t->state != TH_DEAD)
			n++;
	}
	*act_list = NULL;
	*act_listCnt = 0;
	if (n == 0)
		return KERN_SUCCESS;

	ipc_port_t *ports = kalloc(n * sizeof(ipc_port_t));
	if (ports == NULL)
		return KERN_RESOURCE_SHORTAGE;
	mach_msg_type_number_t i = 0;
	queue_foreach(l, &target_task->threads) {
		thread_t t = qlink_entry(l, struct thread, task_link);
		if (t->state != TH_DEAD)
			ports[i++] = convert_thread_to_port(t);
	}
	*act_list = (thread_act_array_t)ports;
	*act_listCnt = n;
	return KERN_SUCCESS;
}

/*
 * task_info: TASK_BASIC_INFO (XNU's 32-bit layout) of target_task into
 * task_info_out (*task_info_outCnt words available; set to
 * TASK_BASIC_INFO_COUNT): suspend_count (task_suspend nesting),
 * virtual_size (bytes mapped), resident_size (bytes of pages present),
 * user/system time of terminated threads (0: not accounted), policy
 * POLICY_TIMESHARE.
 * References: target_task is the server's.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, unknown flavor,
 * count too small: XNU's answers).
 */
kern_return_t task_info(task_name_t target_task, task_flavor_t flavor,
			task_info_t task_info_out, mach_msg_type_number_t *task_info_outCnt)
{
	if (target_task == NULL)
		return KERN_INVALID_ARGUMENT;
	if (flavor != TASK_BASIC_INFO || *task_info_outCnt < TASK_BASIC_INFO_COUNT)
		return KERN_INVALID_ARGUMENT;

	vm_map_t map = target_task->map;
	struct task_basic_info_32 bi = {
		.suspend_count = target_task->suspend_count,
		.virtual_size = map ? (natural_t)map->size : 0,
		.resident_size = map ? (natural_t)(map->pmap->resident * PAGE_SIZE) : 0,
		.user_time = { 0, 0 },
		.system_time = { 0, 0 },
		.policy = POLICY_TIMESHARE,
	};
	_Static_assert(sizeof(bi) == TASK_BASIC_INFO_COUNT * sizeof(integer_t),
		       "task_basic_info is whole words");
	memcpy(task_info_out, &bi, sizeof(bi));
	*task_info_outCnt = TASK_BASIC_INFO_COUNT;
	return KERN_SUCCESS;
}

/*
 * task_suspend: one more suspension of target_task: every thread of it
 * (and any created while it lasts) stops before it next runs user code.
 * Suspensions nest.  The calling task may suspend itself: the calling
 * thread stops once this call returns toward user mode.
 * References: target_task is the server's.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, the kernel);
 * KERN_FAILURE (terminating).
 */
kern_return_t task_suspend(task_t target_task)
{
	if (target_task == NULL || target_task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (!target_task->active)
		return KERN_FAILURE;
	task_hold(target_task);
	return KERN_SUCCESS;
}

/*
 * task_resume: undo one task_suspend; threads run again once no task
 * suspension and no stop of their own remains.
 * References: target_task is the server's.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, the kernel);
 * KERN_FAILURE (terminating, or not suspended: XNU's answer).
 */
kern_return_t task_resume(task_t target_task)
{
	if (target_task == NULL || target_task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (!target_task->active || target_task->suspend_count == 0)
		return KERN_FAILURE;
	task_release(target_task);
	return KERN_SUCCESS;
}

/*
 * task_get_special_port: a new send right for one of task's special
 * ports: TASK_KERNEL_PORT (the task's own port), TASK_HOST_PORT,
 * TASK_BOOTSTRAP_PORT.  A port that is not set comes back null, a dead
 * one dead.  (TASK_NAME_PORT and the others are not kept here.)
 * References: task is the server's; *special_port belongs to the reply.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, unknown
 * which_port); KERN_FAILURE (terminating).
 */
kern_return_t task_get_special_port(task_t task, int which_port, mach_port_t *special_port)
{
	if (task == NULL)
		return KERN_INVALID_ARGUMENT;
	if (which_port != TASK_KERNEL_PORT && which_port != TASK_HOST_PORT &&
	    which_port != TASK_BOOTSTRAP_PORT)
		return KERN_INVALID_ARGUMENT;
	if (!task->active || task->itk_self == IP_NULL)
		return KERN_FAILURE;
	switch (which_port) {
	case TASK_KERNEL_PORT:
		*special_port = ipc_port_make_send(task->itk_self);
		break;
	case TASK_HOST_PORT:
		*special_port = ipc_port_copy_send(task->itk_host);
		break;
	default:
		*special_port = ipc_port_copy_send(task->itk_bootstrap);
		break;
	}
	return KERN_SUCCESS;
}

/*
 * task_set_special_port: make special_port task's TASK_HOST_PORT or
 * TASK_BOOTSTRAP_PORT (children created afterwards inherit it).  The
 * task's own port (TASK_KERNEL_PORT) may not be replaced.
 * References: task is the server's; special_port (a send right, or
 * null/dead) is consumed on KERN_SUCCESS only; the old right is
 * released.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task,
 * TASK_KERNEL_PORT, unknown which_port); KERN_FAILURE (terminating).
 */
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	ipc_port_t *slot;

	if (task == NULL)
		return KERN_INVALID_ARGUMENT;
	switch (which_port) {
	case TASK_HOST_PORT:
		slot = &task->itk_host;
		break;
	case TASK_BOOTSTRAP_PORT:
		slot = &task->itk_bootstrap;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (!task->active || task->itk_self == IP_NULL)
		return KERN_FAILURE;
	ipc_port_t old = *slot;
	*slot = special_port;
	ipc_port_release_send(old);
	return KERN_SUCCESS;
}

/*
 * A new user thread of task, stopped: the creation stop (undone by
 * thread_resume) plus one hold per suspension of the task, so that a
 * suspended task's new thread waits for task_resume too.
 */
static kern_return_t new_stopped_thread(task_t task, thread_t *out)
{
	if (task == NULL || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	if (!task->active)
		return KERN_FAILURE;
	/* EIP and ESP 0, other registers 0, user selectors, EFLAGS IF */
	thread_t t = thread_create_user(task, 0, 0);
	if (t == NULL)
		return task->active ? KERN_RESOURCE_SHORTAGE : KERN_FAILURE;
	for (int i = 0; i < task->suspend_count; i++)
		thread_hold(t);
	*out = t;
	return KERN_SUCCESS;
}

/*
 * thread_create: a new thread in parent_task, created stopped with all
 * user registers 0 except the user segment selectors and EFLAGS.IF.  Set
 * its state (thread_set_state), then thread_resume it.
 * References: parent_task is the server's; the thread needs none.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, the kernel);
 * KERN_FAILURE (terminating); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t thread_create(task_t parent_task, thread_act_t *child_act)
{
	return new_stopped_thread(parent_task, child_act);
}

/*
 * thread_create_running: a new thread in parent_task with user state
 * new_state of flavor (validated first, see machine/thread_state.h),
 * started at once (it runs when its task is not suspended).
 * References: parent_task is the server's; the thread needs none.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (no task, the kernel,
 * invalid flavor, count or state: no thread is made); KERN_FAILURE
 * (terminating); KERN_RESOURCE_SHORTAGE.
 */
kern_return_t thread_create_running(task_t parent_task, thread_state_flavor_t flavor,
				    thread_state_t new_state, mach_msg_type_number_t new_stateCnt,
				    thread_act_t *child_act)
{
	struct trapframe scratch;
	thread_t t;

	memset(&scratch, 0, sizeof(scratch));
	kern_return_t kr = thread_state_to_frame(&scratch, flavor, new_state, new_stateCnt);
	if (kr == KERN_SUCCESS)
		kr = new_stopped_thread(parent_task, &t);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = machine_thread_set_state(t, flavor, new_state, new_stateCnt);
	if (kr != KERN_SUCCESS) {
		thread_terminate_internal(t);	/* never ran: reaped at once */
		return kr;
	}
	thread_release(t);
	*child_act = t;
	return KERN_SUCCESS;
}
