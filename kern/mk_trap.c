/*
 * This kernel's own traps: console output, task exit with a status,
 * threads without the Mach RPCs, spawning boot-image programs, waiting
 * for them, statistics, and ending a test run.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/mach_msg.h>
#include <kern/bootopt.h>
#include <kern/bootprog.h>
#include <kern/clock.h>
#include <kern/console_thread.h>
#include <kern/lib.h>
#include <kern/mk_trap.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <machine/copyio.h>
#include <machine/param.h>
#include <machine/qemu.h>
#include <vm/vm_page.h>

unsigned test_first_point = 1;

/*
 * mk_debug_write: len bytes from the user to the console, in chunks.  At
 * most MK_DEBUG_WRITE_MAX a call, so that no task holds the console (and
 * the kernel, which copies it all in one trap) for long.
 */
kern_return_t mk_debug_write_trap(uint32_t buf, uint32_t len)
{
	char chunk[128];
	if (len > MK_DEBUG_WRITE_MAX)
		return KERN_INVALID_ARGUMENT;
	while (len > 0) {
		uint32_t n = len < sizeof(chunk) ? len : sizeof(chunk);
		if (copyin((const void *)buf, chunk, n))
			return KERN_INVALID_ADDRESS;
		console_write(chunk, n);	/* serialised by the console thread */
		buf += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

/* mk_task_exit: end the calling task with status (the thread dies on return). */
kern_return_t mk_task_exit_trap(int status)
{
	task_terminate_internal(current_task(), MK_EXIT_STATUS, status, 0);
	return KERN_SUCCESS;
}

/*
 * mk_thread_spawn: a new thread in the caller's task running entry(arg)
 * on the given stack (ESP = stack_top - 8: a zero return address, then arg).
 */
int mk_thread_spawn_trap(uint32_t entry, uint32_t arg, uint32_t stack_top)
{
	uint32_t frame[2] = { 0, arg };
	if (stack_top < 8 || copyout(frame, (void *)(stack_top - 8), sizeof(frame)))
		return -KERN_INVALID_ADDRESS;
	thread_t t = thread_create_user(current_task(), entry, stack_top - 8);
	if (t == NULL)
		return -KERN_RESOURCE_SHORTAGE;
	thread_release(t);
	return t->id;
}

/* mk_thread_exit: the calling thread ends (the last one ends the task). */
kern_return_t mk_thread_exit_trap(void)
{
	thread_terminate_internal(current_thread());
	return KERN_SUCCESS;
}

/* mk_thread_join: wait until thread tid of the caller's task is gone. */
kern_return_t mk_thread_join_trap(int tid, uint32_t timeout_ticks)
{
	thread_t self = current_thread();
	if (tid == self->id)
		return KERN_INVALID_ARGUMENT;
	thread_t t;
	while ((t = thread_find(self->task, tid)) != NULL) {
		if (timeout_ticks)
			assert_wait_timeout(t, THREAD_INTERRUPTIBLE, timeout_ticks);
		else
			assert_wait(t, THREAD_INTERRUPTIBLE);
		wait_result_t wr = thread_block();
		if (wr == THREAD_TIMED_OUT)
			return KERN_OPERATION_TIMED_OUT;
		if (wr == THREAD_INTERRUPTED)
			return KERN_ABORTED;
	}
	return KERN_SUCCESS;
}

/* mk_spawn: start the boot-image program called name. */
int mk_spawn_trap(uint32_t uname)
{
	char name[64];
	size_t i;
	for (i = 0; i < sizeof(name); i++) {
		if (copyin((const char *)uname + i, &name[i], 1))
			return -KERN_INVALID_ADDRESS;
		if (name[i] == '\0')
			break;
	}
	if (i == sizeof(name))
		return -KERN_INVALID_ARGUMENT;
	const struct bootprog *bp = bootprog_find(name);
	if (bp == NULL)
		return -KERN_INVALID_ARGUMENT;
	task_t t;
	kern_return_t kr = bootprog_spawn(bp, current_task(), &t);
	return kr == KERN_SUCCESS ? t->id : -kr;
}

/* mk_task_wait: wait for a task the caller spawned; copy out how it ended. */
kern_return_t mk_task_wait_trap(int id, uint32_t timeout_ticks, uint32_t uinfo)
{
	task_t t = task_find(id);
	if (t == NULL || t->spawner != current_task() || t->waited)
		return KERN_INVALID_ARGUMENT;
	while (!t->finished) {
		if (timeout_ticks)
			assert_wait_timeout(t, THREAD_INTERRUPTIBLE, timeout_ticks);
		else
			assert_wait(t, THREAD_INTERRUPTIBLE);
		wait_result_t wr = thread_block();
		if (t->finished)
			break;
		if (wr == THREAD_TIMED_OUT)
			return KERN_OPERATION_TIMED_OUT;
		if (wr == THREAD_INTERRUPTED)
			return KERN_ABORTED;
	}
	if (copyout(&t->exit_info, (void *)uinfo, sizeof(t->exit_info)))
		return KERN_INVALID_ADDRESS;
	t->waited = true;
	t->spawner = NULL;
	task_deallocate(t);
	return KERN_SUCCESS;
}

/* mk_task_kill: terminate a task the caller spawned. */
kern_return_t mk_task_kill_trap(int id)
{
	task_t t = task_find(id);
	if (t == NULL || t->spawner != current_task())
		return KERN_INVALID_ARGUMENT;
	task_terminate_internal(t, MK_EXIT_KILLED, 0, 0);
	return KERN_SUCCESS;
}

static uint32_t zone_in_use_total(void)
{
	uint32_t n = 0;
	for (zone_t z = zone_first(); z; z = z->next)
		n += z->in_use;
	return n;
}

/* mk_info: one kernel figure (MK_INFO_*); 0 for an unknown key. */
uint32_t mk_info_trap(int key)
{
	switch (key) {
	case MK_INFO_TICKS:	return (uint32_t)ticks;
	case MK_INFO_HZ:	return HZ;
	case MK_INFO_MODE:	return bootopt.test ? MK_MODE_TEST : bootopt.bench ? MK_MODE_BENCH : MK_MODE_RUN;
	case MK_INFO_TEST_FIRST: return test_first_point;
	case MK_INFO_BOOTPROGS:	return bootprog_count();
	case MK_INFO_ZONE_INUSE: return zone_in_use_total();
	case MK_INFO_PAGES_FREE: return vm_page_free_count();
	case MK_INFO_THREADS:	return threads_alive;
	case MK_INFO_TASKS:	return tasks_alive;
	case MK_INFO_PORTS:	return ipc_ports_alive;
	case MK_INFO_KMSGS:	return ipc_kmsgs_alive;
	default:		return 0;
	}
}

/* mk_bootprog_name: the name of boot program index. */
kern_return_t mk_bootprog_name_trap(uint32_t index, uint32_t ubuf, uint32_t size)
{
	const struct bootprog *bp = bootprog_get(index);
	if (bp == NULL)
		return KERN_INVALID_ARGUMENT;
	size_t len = strlen(bp->name) + 1;
	if (size < len)
		return KERN_NO_SPACE;
	return copyout(bp->name, (void *)ubuf, len) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}

/* mk_test_done: end a test or bench run with the QEMU exit status. */
kern_return_t mk_test_done_trap(int failed)
{
	if (!bootopt.test && !bootopt.bench)
		return KERN_FAILURE;
	extern int ktest_failures;
	printf("# done: %d user test(s) and %d self-test(s) failed\n", failed, ktest_failures);
	qemu_exit(failed || ktest_failures ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	return KERN_FAILURE;	/* no debug-exit device: keep running */
}

/* mk_hotpath: switch the mach_msg hot path; returns the previous setting. */
int mk_hotpath_trap(int on)
{
	int was = enable_hotpath;
	if (on == 0 || on == 1)
		enable_hotpath = on;
	mach_msg_asm_update();
	return was;
}

/* test_selected: no only= filter, or name contains its text. */
bool test_selected(const char *name)
{
	return strstr_simple(name, bootopt.only);
}

/* mk_test_selected: test_selected for a user string (0 if unreadable). */
int mk_test_selected_trap(uint32_t uname)
{
	char name[64];
	for (size_t i = 0; i < sizeof(name); i++) {
		if (copyin((const char *)uname + i, &name[i], 1))
			return 0;
		if (name[i] == '\0')
			return test_selected(name);
	}
	return 0;
}
