/*
 * Tasks: creation, termination, the end of life, and lookup by id.
 */
#include <kern/assert.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/ipc_tt.h>
#include <kern/zalloc.h>
#include <vm/vm_map.h>

struct task kernel_task_store;
struct qlink all_tasks = QLINK_INIT(all_tasks);
unsigned tasks_alive;
static struct zone task_zone;
static int next_task_id = 1;

/* task_bootstrap: the kernel task (owner of kernel threads) and the zone. */
void task_bootstrap(void)
{
	zone_init(&task_zone, "tasks", sizeof(struct task), 0);
	task_t k = kernel_task;
	memset(k, 0, sizeof(*k));
	strlcpy(k->name, "kernel", sizeof(k->name));
	k->ref_count = 1;
	k->active = true;
	queue_init(&k->threads);
	enqueue_tail(&all_tasks, &k->all_link);
	tasks_alive++;
}

/*
 * task_create_user: a new active task with an empty address space and a
 * new IPC space, no threads.  References: one for being alive (dropped by
 * task_finish), one for the spawner's wait if spawner is not NULL.
 * Returns NULL on resource shortage.
 */
task_t task_create_user(const char *name, task_t spawner)
{
	task_t t = zalloc(&task_zone);
	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->map = vm_map_create();
	if (t->map == NULL) {
		zfree(&task_zone, t);
		return NULL;
	}
	t->pmap = t->map->pmap;
	t->id = next_task_id++;
	strlcpy(t->name, name, sizeof(t->name));
	t->active = true;
	t->ref_count = spawner ? 2 : 1;
	t->spawner = spawner;
	queue_init(&t->threads);
	enqueue_tail(&all_tasks, &t->all_link);
	tasks_alive++;
	if (ipc_task_init(t, spawner) != KERN_SUCCESS) {
		t->active = false;
		t->spawner = NULL;
		t->ref_count = 1;
		task_finish(t);
		return NULL;
	}
	return t;
}

/* task_reference: one more reference. */
void task_reference(task_t t)
{
	t->ref_count++;
}

/* task_deallocate: drop a reference; the last one frees the struct. */
void task_deallocate(task_t t)
{
	if (t == NULL || t == kernel_task)
		return;
	assert(t->ref_count > 0);
	if (--t->ref_count > 0)
		return;
	assert(t->finished && t->thread_count == 0);
	queue_remove(&t->all_link);
	tasks_alive--;
	zfree(&task_zone, t);
}

/*
 * task_terminate: record how the task ended (first caller wins), make it
 * inactive and ask every thread to terminate.  The current thread, if it
 * belongs to t, dies on its way back to user mode.  A task with no
 * threads is finished at once.
 */
void task_terminate_internal(task_t t, int how, int code, uint32_t addr)
{
	if (t == kernel_task)
		panic("task_terminate_internal(kernel_task)");
	if (!t->exit_set) {
		t->exit_set = true;
		t->exit_info.how = how;
		t->exit_info.code = code;
		t->exit_info.addr = addr;
	}
	if (!t->active)
		return;
	t->active = false;
	ipc_task_disable(t);
	queue_foreach_safe(l, nx, &t->threads) {
		thread_t th = qlink_entry(l, struct thread, task_link);
		thread_terminate_internal(th);
	}
	if (t->thread_count == 0)
		task_finish(t);
}

/*
 * task_finish: the last thread is gone.  Release the IPC space and the
 * address space, wake whoever waits for the task, give up the waits on
 * children it never collected, and drop the "alive" reference.
 * Runs in the reaper (or in the terminator when there were no threads).
 */
void task_finish(task_t t)
{
	assert(!t->active && t->thread_count == 0 && !t->finished);
	t->finished = true;
	ipc_task_terminate(t);
	if (t->map) {
		if (current_pmap == t->pmap)
			pmap_activate(kernel_pmap);
		vm_map_deallocate(t->map);
		t->map = NULL;
		t->pmap = NULL;
	}
	thread_wakeup(t);
	queue_foreach_safe(l, nx, &all_tasks) {
		task_t c = qlink_entry(l, struct task, all_link);
		if (c->spawner == t) {
			c->spawner = NULL;
			task_deallocate(c);
		}
	}
	task_deallocate(t);
}

/* task_find: the task with this id (alive or not yet freed), or NULL. */
task_t task_find(int id)
{
	queue_foreach(l, &all_tasks) {
		task_t t = qlink_entry(l, struct task, all_link);
		if (t->id == id)
			return t;
	}
	return NULL;
}

/* task_hold: suspend every thread of t once. */
void task_hold(task_t t)
{
	t->suspend_count++;
	queue_foreach(l, &t->threads)
		thread_hold(qlink_entry(l, struct thread, task_link));
}

/* task_release: undo one task_hold. */
void task_release(task_t t)
{
	if (t->suspend_count == 0)
		return;
	t->suspend_count--;
	queue_foreach(l, &t->threads)
		thread_release(qlink_entry(l, struct thread, task_link));
}

/* task_print: one line for the debugger. */
void task_print(task_t t)
{
	printf("task %3d %-20s refs %d threads %u %s%s map %p space %p\n",
	       t->id, t->name, t->ref_count, t->thread_count,
	       t->active ? "active" : "inactive", t->finished ? " finished" : "",
	       (void *)t->map, (void *)t->itk_space);
}

/* task_print_all: every task. */
void task_print_all(void)
{
	queue_foreach(l, &all_tasks)
		task_print(qlink_entry(l, struct task, all_link));
}
