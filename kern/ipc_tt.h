/*
 * Task and thread ports.
 *
 * Each task has a kernel port (itk_self) representing it as an
 * IKOT_TASK kernel object, and each thread one (ith_self, IKOT_THREAD).
 * itk_sself/ith_sself are the send rights task_self_trap/thread_self_trap
 * copy.  Special ports (bootstrap, host) are send rights the task struct
 * holds.  A task's ports stop working (kobject cleared) when it starts
 * terminating and die when it is finished.
 */
#ifndef _KERN_IPC_TT_H_
#define _KERN_IPC_TT_H_

#include <ipc/ipc_port.h>
#include <kern/task.h>
#include <kern/thread.h>

struct ipc_space;

/* Space and ports for a new task; the special ports copy spawner's. */
kern_return_t ipc_task_init(task_t task, task_t parent);
/* The task is terminating: its port stops naming it. */
void ipc_task_disable(task_t task);
/* The task is finished: destroy its space and ports. */
void ipc_task_terminate(task_t task);
kern_return_t ipc_thread_init(thread_t thread);
void ipc_thread_terminate(thread_t thread);

/* Conversions used by the generated kernel servers (references as MIG expects). */
task_t convert_port_to_task(ipc_port_t port);
task_t convert_port_to_task_name(ipc_port_t port);
void task_name_deallocate(task_t task);
ipc_port_t convert_task_to_port(task_t task);		/* consumes a task reference */
struct ipc_space *convert_port_to_space(ipc_port_t port);
void space_deallocate(struct ipc_space *space);
struct vm_map *convert_port_to_map(ipc_port_t port);
thread_t convert_port_to_thread(ipc_port_t port);
void thread_deallocate(thread_t thread);
ipc_port_t convert_thread_to_port(thread_t thread);
/* The task a send-right name in the current space denotes, or NULL. */
task_t port_name_to_task(mach_port_name_t name);
thread_t port_name_to_thread(mach_port_name_t name);

/* Kernel-side send rights for special ports. */
ipc_port_t retrieve_task_self(task_t task);
ipc_port_t retrieve_thread_self(thread_t thread);

#endif
