/*
 * Tasks: an address space, an IPC space and a set of threads.
 *
 * Life cycle: task_create_user() makes an active task with no threads.
 * task_terminate_internal() makes it inactive and asks every thread to terminate;
 * when the last thread is reaped, task_finish() (in the reaper thread)
 * releases the address space and the IPC space and wakes whoever waits
 * for the task's end.  The struct itself lives until its last reference
 * goes (the "alive" reference dropped by task_finish, the spawner's wait
 * reference, and port references).
 */
#ifndef _KERN_TASK_H_
#define _KERN_TASK_H_

#include <kern/queue.h>
#include <mach/mk_traps.h>
#include <machine/pmap.h>

struct vm_map;
struct ipc_space;
struct ipc_port;

struct task {
	int id;
	char name[32];
	int ref_count;
	bool active;			/* false once terminating */
	bool finished;			/* threads gone, resources released */
	bool waited;			/* the spawner collected the exit info */

	struct vm_map *map;
	pmap_t pmap;			/* map's pmap, cached for the switch path */
	struct ipc_space *itk_space;

	struct qlink threads;		/* struct thread.task_link */
	unsigned thread_count;
	int suspend_count;

	struct task *spawner;		/* may wait for this task (mk_task_wait) */
	struct mk_exit_info exit_info;
	bool exit_set;

	/* ports (ipc/, kern/ipc_tt.c) */
	struct ipc_port *itk_self;	/* the task's kernel port */
	struct ipc_port *itk_sself;	/* send right task_self_trap copies */
	struct ipc_port *itk_bootstrap;	/* send right */
	struct ipc_port *itk_host;	/* send right */
	void *itk_exc;			/* exception ports */

	struct qlink all_link;
};
typedef struct task *task_t;

extern struct task kernel_task_store;
#define kernel_task	(&kernel_task_store)
extern struct qlink all_tasks;
extern unsigned tasks_alive;

static inline task_t current_task(void);

void task_bootstrap(void);
/* New active task with an empty address space; NULL on shortage. */
task_t task_create_user(const char *name, task_t spawner);
void task_reference(task_t t);
void task_deallocate(task_t t);
/* Terminate: record how (if not yet recorded), stop every thread. */
void task_terminate_internal(task_t t, int how, int code, uint32_t addr);
/* Called by the reaper when the task's last thread is gone. */
void task_finish(task_t t);
task_t task_find(int id);
void task_hold(task_t t);
void task_release(task_t t);
void task_print(task_t t);
void task_print_all(void);

#include <kern/thread.h>
static inline task_t current_task(void) { return current_thread()->task; }

#endif
