/*
 * Exception ports: for each exception type, a thread and a task may name a
 * handler: a send right, the behavior (which exception_raise message the
 * handler gets) and the thread-state flavor that message carries.
 *
 * Storage.  A table of EXC_TYPES_COUNT actions (index 0 unused) hangs off
 * task->itk_exc or thread->ith_exc.  It is allocated (kalloc) the first
 * time exception ports are set or inherited; no table reads as every slot
 * empty (no port, behavior 0, flavor 0).  Each slot owns one send right
 * (or IP_NULL / IP_DEAD); exception_ports_release_{task,thread} releases
 * them and frees the table.
 *
 * Concurrency: uniprocessor, non-preemptible kernel; nothing here blocks
 * and no lock is needed.
 */
#ifndef _KERN_EXCEPTION_PORTS_H_
#define _KERN_EXCEPTION_PORTS_H_

#include <ipc/ipc_port.h>
#include <mach/exception_types.h>

struct task;
struct thread;

/* Every mask bit set_exception_ports accepts (XNU's EXC_MASK_VALID). */
#define EXC_PORTS_MASK_VALID	(EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY)

/* Levels of exception_port_lookup. */
#define EXC_LEVEL_THREAD	0
#define EXC_LEVEL_TASK		1
#define EXC_LEVEL_HOST		2

/*
 * exception_port_lookup: the handler for exception exc at level
 * EXC_LEVEL_THREAD (thread's table) or EXC_LEVEL_TASK (task's table).
 * Returns true when that slot holds a live port; then *port is a NEW
 * send right the caller owns (move it into the message or release it),
 * and *behavior and *flavor are the slot's.  Returns false (outputs
 * untouched) when there is no table, no port, a dead port, or exc is out
 * of range.
 */
bool exception_port_lookup(struct thread *thread, struct task *task, int level,
			   exception_type_t exc, ipc_port_t *port,
			   exception_behavior_t *behavior,
			   thread_state_flavor_t *flavor);

/*
 * exception_ports_inherit: give child a copy of parent's task-level
 * exception ports (new send rights), as XNU's ipc_task_init does.
 * child must have no table yet.  Returns KERN_SUCCESS (also when parent
 * has no table) or KERN_RESOURCE_SHORTAGE (child unchanged).
 */
kern_return_t exception_ports_inherit(struct task *child, struct task *parent);

/*
 * exception_ports_release_task / _thread: teardown.  Release every send
 * right in the table and free it; the field is NULL afterwards.  No
 * table: nothing to do.
 */
void exception_ports_release_task(struct task *task);
void exception_ports_release_thread(struct thread *thread);

/*
 * exception_ports_foreach: call fn once per slot of a table (the value of
 * task->itk_exc or thread->ith_exc; NULL: no calls) with the slot's send
 * right (IP_NULL, IP_DEAD or a port).  For the IPC auditor
 * (ipc/ipc_audit.c), which counts these rights.  Changes nothing.
 */
void exception_ports_foreach(void *table, void (*fn)(ipc_port_t port, void *arg), void *arg);

#endif /* _KERN_EXCEPTION_PORTS_H_ */
