/*
 * kernel_startup: from the machine being up to the first user task.
 *
 * Order: the scheduler and task/thread structures, IPC (spaces, the
 * kmsg cache, the kernel-object dispatch table, the host port), the
 * kernel's own threads (idle, reaper, the main thread), then leave the
 * boot stack.  The main thread runs the self-tests in test mode and
 * starts the bootstrap task, the first user task, which starts the rest.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/assert.h>
#include <kern/bootopt.h>
#include <kern/bootprog.h>
#include <kern/console_thread.h>
#include <kern/lib.h>
#include <kern/host.h>
#include <kern/kdb.h>
#include <kern/ktest.h>
#include <kern/long_ipc.h>
#include <kern/msgport.h>
#include <kern/mk_trap.h>
#include <kern/panic_hooks.h>
#include <kern/printf.h>
#include <kern/startup.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/cpu.h>
#include <machine/qemu.h>

int ktest_failures;

static void print_panic_context(void)
{
	thread_t t = current_thread();
	if (t == NULL) {
		printf("panic context: boot, no thread yet\n");
		return;
	}
	printf("panic context: thread %d (%s) of task %d (%s)\n", t->id, t->name,
	       t->task ? t->task->id : -1, t->task ? t->task->name : "?");
}

/* Start the first user task; false if there is none in the image. */
static bool start_bootstrap(void)
{
	const struct bootprog *bp = bootprog_find("bootstrap/bootstrap");
	if (bp == NULL) {
		printf("mk: no bootstrap program in the boot image\n");
		return false;
	}
	task_t t;
	kern_return_t kr = bootprog_spawn(bp, NULL, &t);
	if (kr != KERN_SUCCESS) {
		printf("mk: bootstrap failed to start (%d)\n", kr);
		return false;
	}
	printf("mk: bootstrap task %d started\n", t->id);
	return true;
}

/* The kernel's main thread: self-tests in test mode, then the bootstrap task. */
static void main_thread(void *arg __unused)
{
	if (bootopt.test) {
		unsigned nk = 0;
		extern const struct ktest_desc __ktests_start[], __ktests_end[];
		for (const struct ktest_desc *d = __ktests_start; d < __ktests_end; d++) {
			char full[80];
			snprintf(full, sizeof(full), "ktest/%s", d->name);
			if (test_selected(full))
				nk++;
		}
		unsigned nu = 0;
		for (unsigned i = 0; i < bootprog_count(); i++) {
			const struct bootprog *bp = bootprog_get(i);
			if (strncmp(bp->name, "tests/", 6) == 0 && test_selected(bp->name))
				nu++;
		}
		printf("TAP version 13\n1..%u\n", nk + nu);
		if (bootopt.panic_test)
			panic("panic_test: deliberate panic requested on the command line");
		int ran = 0;
		ktest_failures = ktest_run_all(1, bootopt.only, &ran);
		test_first_point = (unsigned)ran + 1;
	}
	if (bootopt.bench) {
		/* kernel-thread benchmarks run here; user ones in the bootstrap's run */
		printf("BENCH lwkt_domsg_rt %u insns\n", lwkt_bench_domsg_rt(20000));
	}
	if (!start_bootstrap() && (bootopt.test || bootopt.bench)) {
		qemu_exit(QEMU_EXIT_FAIL);
	}
	kernel_thread_exit();
}

/* kernel_startup: see the file comment.  Never returns. */
void kernel_startup(void)
{
	panic_context_hook = print_panic_context;
	/* no FPU state is saved: FPU and SSE instructions trap (#NM / #UD) */
	__asm__ volatile("movl %%cr0, %%eax; orl $0x4, %%eax; movl %%eax, %%cr0" ::: "eax");

	enable_hotpath = !bootopt.nohotpath;
	mach_msg_asm_update();
	sched_init();
	thread_bootstrap();
	task_bootstrap();
	ipc_space_bootstrap();
	ipc_kmsg_init();
	ipc_kobject_init();
	host_init();

	sched_start_idle();
	reaper_start();
	console_thread_init();
	lipc_init();
	kernel_thread_create("main", main_thread, NULL, BASEPRI_KERNEL - 8);
	kdb_init();
	sched_start();
}
