/*
 * Task and thread kernel ports, special ports, and the port <-> object
 * conversions the generated servers call.
 *
 * References: a task port's kobject pointer holds no task reference (the
 * kobject is cleared before the task can go away); convert_port_to_task
 * returns one.  Threads have no reference count: a thread found through a
 * port stays valid until the current kernel operation returns, because
 * the reaper frees threads only while no other kernel code is running
 * (uniprocessor, non-preemptible kernel).
 */
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/exception_ports.h>
#include <kern/host.h>
#include <kern/ipc_tt.h>
#include <vm/vm_map.h>

/*
 * ipc_task_init: the task's IPC space and kernel port, and its special
 * ports inherited from parent (bootstrap) or the host.  Returns
 * KERN_RESOURCE_SHORTAGE when something cannot be allocated (nothing is
 * left half made).
 */
kern_return_t ipc_task_init(task_t task, task_t parent)
{
	struct ipc_space *space;
	kern_return_t kr = ipc_space_create(task, &space);
	if (kr != KERN_SUCCESS)
		return kr;
	ipc_port_t port = ipc_kobject_alloc(task, IKOT_TASK);
	if (port == NULL) {
		ipc_space_release(space);
		return KERN_RESOURCE_SHORTAGE;
	}
	task->itk_space = space;
	task->itk_self = port;
	task->itk_sself = ipc_port_make_send(port);
	/* the creator's host port; the first task gets the privileged one */
	task->itk_host = (parent && parent != kernel_task)
		? ipc_port_copy_send(parent->itk_host) : ipc_port_copy_send(host_priv_self_port());
	task->itk_bootstrap = (parent && parent != kernel_task)
		? ipc_port_copy_send(parent->itk_bootstrap) : IP_NULL;
	return KERN_SUCCESS;
}

/* ipc_task_disable: RPCs on the task port fail from now on. */
void ipc_task_disable(task_t task)
{
	if (task->itk_self)
		ipc_kobject_set(task->itk_self, NULL, IKOT_NONE);
}

/*
 * ipc_task_terminate: destroy the space (every right the task held goes,
 * with the notifications that brings), release the special ports and
 * destroy the task port (holders' send rights become dead names).
 */
void ipc_task_terminate(task_t task)
{
	exception_ports_release_task(task);
	if (task->itk_space) {
		struct ipc_space *space = task->itk_space;
		task->itk_space = NULL;
		ipc_space_destroy(space);
		ipc_space_release(space);
	}
	ipc_port_release_send(task->itk_sself);
	ipc_port_release_send(task->itk_host);
	ipc_port_release_send(task->itk_bootstrap);
	task->itk_sself = task->itk_host = task->itk_bootstrap = IP_NULL;
	if (task->itk_self) {
		ipc_port_t port = task->itk_self;
		task->itk_self = IP_NULL;
		ipc_kobject_set(port, NULL, IKOT_NONE);
		ipc_port_destroy(port);
	}
}

/* ipc_thread_init: the thread's kernel port. */
kern_return_t ipc_thread_init(thread_t thread)
{
	ipc_port_t port = ipc_kobject_alloc(thread, IKOT_THREAD);
	if (port == NULL)
		return KERN_RESOURCE_SHORTAGE;
	thread->ith_self = port;
	thread->ith_sself = ipc_port_make_send(port);
	return KERN_SUCCESS;
}

/* ipc_thread_terminate: release the thread's ports (in the reaper). */
void ipc_thread_terminate(thread_t thread)
{
	exception_ports_release_thread(thread);
	ipc_port_release_send(thread->ith_sself);
	thread->ith_sself = IP_NULL;
	if (thread->ith_rpc_reply) {
		ipc_port_t r = thread->ith_rpc_reply;
		thread->ith_rpc_reply = IP_NULL;
		ipc_port_destroy(r);
	}
	if (thread->ith_self) {
		ipc_port_t port = thread->ith_self;
		thread->ith_self = IP_NULL;
		ipc_kobject_set(port, NULL, IKOT_NONE);
		ipc_port_destroy(port);
	}
}

/* convert_port_to_task: the task (with a reference) or NULL. */
task_t convert_port_to_task(ipc_port_t port)
{
	task_t t = ipc_kobject_get(port, IKOT_TASK);
	if (t)
		task_reference(t);
	return t;
}

/* convert_port_to_task_name: as convert_port_to_task. */
task_t convert_port_to_task_name(ipc_port_t port)
{
	return convert_port_to_task(port);
}

/* task_name_deallocate: drop convert_port_to_task_name's reference. */
void task_name_deallocate(task_t task)
{
	task_deallocate(task);
}

/* convert_task_to_port: a send right to the task's port; consumes a task reference. */
ipc_port_t convert_task_to_port(task_t task)
{
	ipc_port_t port = IP_NULL;
	if (task && task->itk_self)
		port = ipc_port_make_send(task->itk_self);
	task_deallocate(task);
	return port;
}

/* convert_port_to_space: the task's IPC space (referenced) or NULL. */
struct ipc_space *convert_port_to_space(ipc_port_t port)
{
	task_t t = ipc_kobject_get(port, IKOT_TASK);
	if (t == NULL || t->itk_space == NULL || !t->active)
		return NULL;
	ipc_space_reference(t->itk_space);
	return t->itk_space;
}

/* space_deallocate: drop convert_port_to_space's reference. */
void space_deallocate(struct ipc_space *space)
{
	if (space)
		ipc_space_release(space);
}

/* convert_port_to_map: the task's address map (referenced) or NULL. */
struct vm_map *convert_port_to_map(ipc_port_t port)
{
	task_t t = ipc_kobject_get(port, IKOT_TASK);
	if (t == NULL || t->map == NULL || !t->active)
		return NULL;
	vm_map_reference(t->map);
	return t->map;
}

/* convert_port_to_thread: the thread or NULL (see the file comment). */
thread_t convert_port_to_thread(ipc_port_t port)
{
	thread_t t = ipc_kobject_get(port, IKOT_THREAD);
	if (t && t->state == TH_DEAD)
		return NULL;
	return t;
}

/* thread_deallocate: threads are not reference counted (file comment). */
void thread_deallocate(thread_t thread __unused)
{
}

/* convert_thread_to_port: a send right to the thread's port. */
ipc_port_t convert_thread_to_port(thread_t thread)
{
	if (thread == NULL || thread->ith_self == NULL)
		return IP_NULL;
	return ipc_port_make_send(thread->ith_self);
}

/* The port behind a send right name of the current space, or NULL. */
static ipc_port_t name_to_port(mach_port_name_t name)
{
	struct ipc_space *space = current_task()->itk_space;
	if (space == NULL || !MACH_PORT_VALID(name))
		return IP_NULL;
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL)
		return IP_NULL;
	ipc_right_check(space, name, e);
	if (!(e->ie_bits & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)))
		return IP_NULL;
	return ip_from_object(e->ie_object);
}

/* port_name_to_task: the task a send right name denotes (no reference). */
task_t port_name_to_task(mach_port_name_t name)
{
	return ipc_kobject_get(name_to_port(name), IKOT_TASK);
}

/* port_name_to_thread: the thread a send right name denotes. */
thread_t port_name_to_thread(mach_port_name_t name)
{
	return convert_port_to_thread(name_to_port(name));
}

/* retrieve_task_self: a new send right to the task's port. */
ipc_port_t retrieve_task_self(task_t task)
{
	return ipc_port_copy_send(task->itk_sself);
}

/* retrieve_thread_self: a new send right to the thread's port. */
ipc_port_t retrieve_thread_self(thread_t thread)
{
	return ipc_port_copy_send(thread->ith_sself);
}
