/*
 * ipc_rpc_task: the task_* and thread_* kernel RPCs with good and bad
 * arguments.
 *
 * Covers: task_info (flavor, count), task_get/set_special_port (kernel,
 * host and bootstrap ports, bad selectors), task_threads; threads of this
 * task made with thread_create_running and with thread_create +
 * thread_set_state + thread_resume, then thread_suspend / thread_resume
 * (counts, a suspended thread does not run, resume without suspend),
 * thread_get_state / thread_set_state (bad flavor, count, selector),
 * thread_abort, thread_info, thread_terminate; act_get_state on oneself;
 * task_create (empty, and inheriting memory: vm_read / vm_write on the
 * child), thread_create in it, task_suspend / task_resume nesting,
 * task_terminate; null and wrong-kind targets.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define STACK	(16u * 1024u)
#define POLLS	500
#define POLL_MS	10

static mach_port_t self;
static volatile uint32_t marker = 0x12345678;
static volatile uint32_t spins, started2;

/* Entry of the threads made here: count, yield, never return. */
static void spin_entry(void)
{
	for (;;) {
		__atomic_add_fetch(&spins, 1, __ATOMIC_SEQ_CST);
		(void)swtch();
	}
}

static void spin_entry2(void)
{
	started2 = 1;
	for (;;)
		(void)swtch();
}

static int wait_for(volatile uint32_t *v, uint32_t above)
{
	for (int i = 0; i < POLLS; i++) {
		if (*v > above)
			return 1;
		(void)mk_sleep_ms(POLL_MS);
	}
	return 0;
}

static int thread_state_of(thread_act_t th, thread_basic_info_data_t *info)
{
	mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;

	return thread_info(th, THREAD_BASIC_INFO, (thread_info_t)info, &n) ==
	    KERN_SUCCESS;
}

/* Wait until th is gone or terminating (thread_info stops answering). */
static int wait_dead(thread_act_t th)
{
	thread_basic_info_data_t info;

	for (int i = 0; i < POLLS; i++) {
		if (!thread_state_of(th, &info))
			return 1;
		(void)mk_sleep_ms(POLL_MS);
	}
	return 0;
}

static unsigned int thread_count(task_t task)
{
	thread_act_array_t list = NULL;
	mach_msg_type_number_t n = 0;

	if (task_threads(task, &list, &n) != KERN_SUCCESS)
		return ~0u;
	for (unsigned int i = 0; i < n; i++)
		(void)mach_port_deallocate(self, list[i]);
	if (n)
		(void)vm_deallocate(self, (vm_address_t)list, n * sizeof(*list));
	return n;
}

static void task_info_and_ports(void)
{
	task_basic_info_data_t bi;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;
	kern_return_t kr;

	kr = task_info(self, TASK_BASIC_INFO, (task_info_t)&bi, &n);
	tap_ok(kr == KERN_SUCCESS && n == TASK_BASIC_INFO_COUNT &&
	    bi.suspend_count == 0 && bi.virtual_size >= 4096 &&
	    bi.resident_size > 0 && bi.resident_size <= bi.virtual_size,
	    "task_info BASIC: not suspended, %u bytes mapped, %u resident "
	    "(kr %d)", bi.virtual_size, bi.resident_size, kr);
	n = TASK_BASIC_INFO_COUNT;
	kr = task_info(self, 9999, (task_info_t)&bi, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "task_info flavor 9999: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = 1;
	kr = task_info(self, TASK_BASIC_INFO, (task_info_t)&bi, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "task_info with count 1: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = TASK_BASIC_INFO_COUNT;
	kr = task_info(MACH_PORT_NULL, TASK_BASIC_INFO, (task_info_t)&bi, &n);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "task_info on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);
	mach_port_t th = mach_thread_self();
	n = TASK_BASIC_INFO_COUNT;
	kr = task_info(th, TASK_BASIC_INFO, (task_info_t)&bi, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "task_info on a thread port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = task_suspend(th);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "task_suspend on a thread port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);

	mach_port_t p = MACH_PORT_NULL;
	mach_port_urefs_t before = ipc_refs(self, MACH_PORT_RIGHT_SEND);
	kr = task_get_special_port(self, TASK_KERNEL_PORT, &p);
	tap_ok(kr == KERN_SUCCESS && p == self &&
	    ipc_refs(self, MACH_PORT_RIGHT_SEND) == before + 1,
	    "TASK_KERNEL_PORT is our task port, one more uref (kr %d, 0x%x)",
	    kr, p);
	(void)mach_port_deallocate(self, p);
	mach_port_t host = mach_host_self();
	kr = task_get_special_port(self, TASK_HOST_PORT, &p);
	tap_ok(kr == KERN_SUCCESS && p == host, "TASK_HOST_PORT is the host "
	    "port (kr %d, 0x%x vs 0x%x)", kr, p, host);
	(void)mach_port_deallocate(self, p);
	(void)mach_port_deallocate(self, host);
	kr = task_get_special_port(self, 99, &p);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "get special port 99: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = task_set_special_port(self, TASK_KERNEL_PORT, self);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "set TASK_KERNEL_PORT: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = task_set_special_port(self, 99, MACH_PORT_NULL);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "set special port 99: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);

	mach_port_t saved = MACH_PORT_NULL, mine = ipc_port_send();
	(void)task_get_special_port(self, TASK_BOOTSTRAP_PORT, &saved);
	kr = task_set_special_port(self, TASK_BOOTSTRAP_PORT, mine);
	kern_return_t kr2 = task_get_special_port(self, TASK_BOOTSTRAP_PORT, &p);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && p == mine &&
	    ipc_refs(mine, MACH_PORT_RIGHT_SEND) == 2,
	    "set TASK_BOOTSTRAP_PORT, then get it back (kr %d %d)", kr, kr2);
	(void)mach_port_deallocate(self, p);
	kr = task_set_special_port(self, TASK_BOOTSTRAP_PORT, saved);
	tap_ok(kr == KERN_SUCCESS && ipc_status(mine).mps_srights == 1,
	    "put the old one back: the task no longer holds ours (kr %d)", kr);
	(void)mach_port_deallocate(self, saved);
	(void)mach_port_destroy(self, mine);

	thread_act_array_t list = NULL;
	n = 0;
	kr = task_threads(self, &list, &n);
	int found = 0;
	for (unsigned int i = 0; kr == KERN_SUCCESS && i < n; i++) {
		if (list[i] == th)
			found++;
		(void)mach_port_deallocate(self, list[i]);
	}
	tap_ok(kr == KERN_SUCCESS && n >= 1 && found == 1,
	    "task_threads lists %u thread(s), ours among them (kr %d)", n, kr);
	if (kr == KERN_SUCCESS && n)
		(void)vm_deallocate(self, (vm_address_t)list, n * sizeof(*list));
	(void)mach_port_deallocate(self, th);
}

/* Our registers as a template, with eip/esp for a new thread. */
static int make_state(i386_thread_state_t *st, void (*fn)(void),
		      vm_address_t stack)
{
	mach_port_t me = mach_thread_self();
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	kern_return_t kr = thread_get_state(me, i386_THREAD_STATE,
	    (thread_state_t)st, &n);

	(void)mach_port_deallocate(self, me);
	if (kr != KERN_SUCCESS || n != i386_THREAD_STATE_COUNT)
		return 0;
	st->eip = (uint32_t)(uintptr_t)fn;
	st->esp = (uint32_t)(stack + STACK - 16);
	st->ebp = 0;
	return 1;
}

static void own_threads(void)
{
	vm_address_t stack = 0, stack2 = 0;
	i386_thread_state_t st;
	thread_act_t th = MACH_PORT_NULL, th2 = MACH_PORT_NULL;
	thread_basic_info_data_t info;
	kern_return_t kr;

	(void)vm_allocate(self, &stack, STACK, VM_FLAGS_ANYWHERE);
	(void)vm_allocate(self, &stack2, STACK, VM_FLAGS_ANYWHERE);
	int ok = make_state(&st, spin_entry, stack);
	tap_ok(ok && st.cs != 0 && st.ss != 0, "thread_get_state of ourselves: "
	    "cs 0x%x ss 0x%x", st.cs, st.ss);
	unsigned int threads0 = thread_count(self);

	kr = thread_create_running(self, i386_THREAD_STATE, (thread_state_t)&st,
	    i386_THREAD_STATE_COUNT, &th);
	int ran = kr == KERN_SUCCESS && wait_for(&spins, 0);
	tap_ok(ran && thread_count(self) == threads0 + 1,
	    "thread_create_running: the thread runs (kr %d, %u threads)", kr,
	    thread_count(self));
	if (kr != KERN_SUCCESS) {
		(void)vm_deallocate(self, stack, STACK);
		(void)vm_deallocate(self, stack2, STACK);
		return;
	}

	kr = thread_suspend(th);
	int stopped = 0;
	for (int i = 0; i < POLLS && !stopped; i++) {
		if (thread_state_of(th, &info) &&
		    info.run_state == TH_STATE_STOPPED)
			stopped = 1;
		else
			(void)mk_sleep_ms(POLL_MS);
	}
	tap_ok(kr == KERN_SUCCESS && stopped && info.suspend_count == 1,
	    "thread_suspend: stopped, suspend count 1 (kr %d, state %d)", kr,
	    info.run_state);
	uint32_t s0 = spins;
	(void)mk_sleep_ms(50);
	tap_ok(spins == s0, "a suspended thread does not run (%u -> %u)", s0,
	    spins);
	i386_thread_state_t cur;
	mach_msg_type_number_t n = i386_THREAD_STATE_COUNT;
	kr = thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&cur, &n);
	tap_ok(kr == KERN_SUCCESS && n == i386_THREAD_STATE_COUNT &&
	    cur.esp > stack && cur.esp <= stack + STACK && cur.cs == st.cs,
	    "thread_get_state of it: esp 0x%x in its stack (kr %d)", cur.esp,
	    kr);
	n = i386_THREAD_STATE_COUNT - 1;
	kr = thread_get_state(th, i386_THREAD_STATE, (thread_state_t)&cur, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_get_state with a short "
	    "count: KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = i386_THREAD_STATE_COUNT;
	kr = thread_get_state(th, 9999, (thread_state_t)&cur, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_get_state flavor 9999: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	i386_thread_state_t bad = cur;
	bad.cs = 0x08;		/* the kernel's code segment */
	kr = thread_set_state(th, i386_THREAD_STATE, (thread_state_t)&bad,
	    i386_THREAD_STATE_COUNT);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_set_state with a kernel "
	    "code selector: KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = thread_set_state(th, i386_THREAD_STATE, (thread_state_t)&cur,
	    i386_THREAD_STATE_COUNT - 1);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_set_state with a short "
	    "count: KERN_INVALID_ARGUMENT (kr %d)", kr);

	kr = thread_resume(th);
	int again = kr == KERN_SUCCESS && wait_for(&spins, spins);
	tap_ok(again && thread_state_of(th, &info) && info.suspend_count == 0,
	    "thread_resume: it runs again (kr %d)", kr);
	kr = thread_resume(th);
	tap_ok(kr == KERN_FAILURE, "thread_resume of a running thread: "
	    "KERN_FAILURE (kr %d)", kr);
	kr = thread_abort(th);
	tap_ok(kr == KERN_SUCCESS, "thread_abort of a running thread "
	    "(kr %d)", kr);
	n = THREAD_BASIC_INFO_COUNT;
	kr = thread_info(th, 9999, (thread_info_t)&info, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_info flavor 9999: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);

	/* thread_create + thread_set_state + thread_resume */
	kr = thread_create(self, &th2);
	int stopped2 = thread_state_of(th2, &info) &&
	    info.run_state == TH_STATE_STOPPED && info.suspend_count == 1;
	tap_ok(kr == KERN_SUCCESS && stopped2,
	    "thread_create: a stopped thread, suspend count 1 (kr %d)", kr);
	i386_thread_state_t st2;
	ok = make_state(&st2, spin_entry2, stack2);
	kr = thread_set_state(th2, i386_THREAD_STATE, (thread_state_t)&st2,
	    i386_THREAD_STATE_COUNT);
	kern_return_t kr2 = thread_resume(th2);
	tap_ok(ok && kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    wait_for(&started2, 0), "thread_set_state + thread_resume: it "
	    "starts where told (kr %d %d)", kr, kr2);

	mach_port_t me = mach_thread_self();
	n = i386_THREAD_STATE_COUNT;
	kr = act_get_state(me, i386_THREAD_STATE, (thread_state_t)&cur, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "act_get_state on oneself: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	(void)mach_port_deallocate(self, me);

	kr = thread_terminate(th);
	kr2 = thread_terminate(th2);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && wait_dead(th) &&
	    wait_dead(th2), "thread_terminate both (kr %d %d)", kr, kr2);
	kr = thread_terminate(th);
	tap_ok(kr == KERN_TERMINATED || kr == KERN_INVALID_ARGUMENT ||
	    kr == MACH_SEND_INVALID_DEST,
	    "thread_terminate again: refused (0x%x)", kr);
	tap_ok(thread_count(self) == threads0, "back to %u thread(s) (%u)",
	    threads0, thread_count(self));
	(void)mach_port_deallocate(self, th);
	(void)mach_port_deallocate(self, th2);
	(void)vm_deallocate(self, stack, STACK);
	(void)vm_deallocate(self, stack2, STACK);

	kr = thread_info(MACH_PORT_NULL, THREAD_BASIC_INFO, (thread_info_t)&info,
	    &n);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "thread_info on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);
	n = THREAD_BASIC_INFO_COUNT;
	kr = thread_info(self, THREAD_BASIC_INFO, (thread_info_t)&info, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_info on a task port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = thread_suspend(self);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "thread_suspend on a task port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
}

static int suspend_count(task_t t)
{
	task_basic_info_data_t bi;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;

	if (task_info(t, TASK_BASIC_INFO, (task_info_t)&bi, &n) != KERN_SUCCESS)
		return -1;
	return bi.suspend_count;
}

static void child_tasks(void)
{
	task_t child = MACH_PORT_NULL;
	thread_act_t th = MACH_PORT_NULL;
	kern_return_t kr;

	kr = task_create(self, NULL, 0, FALSE, &child);
	if (!tap_ok(kr == KERN_SUCCESS && child != self,
	    "task_create (kr %d)", kr))
		return;
	tap_ok(thread_count(child) == 0 && suspend_count(child) == 0,
	    "the new task has no threads and is not suspended");
	kr = thread_create(child, &th);
	thread_act_array_t list = NULL;
	mach_msg_type_number_t n = 0;
	kern_return_t kr2 = task_threads(child, &list, &n);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && n == 1 &&
	    list[0] == th, "thread_create in it: task_threads lists that "
	    "thread under the same name (kr %d)", kr);
	if (kr2 == KERN_SUCCESS) {
		for (unsigned int i = 0; i < n; i++)
			(void)mach_port_deallocate(self, list[i]);
		if (n)
			(void)vm_deallocate(self, (vm_address_t)list,
			    n * sizeof(*list));
	}
	kr = task_suspend(child);
	kr2 = task_suspend(child);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    suspend_count(child) == 2, "task_suspend twice: count 2 (%d)",
	    suspend_count(child));
	kr = task_resume(child);
	kr2 = task_resume(child);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    suspend_count(child) == 0, "task_resume twice: count 0 (%d)",
	    suspend_count(child));
	kr = task_resume(child);
	tap_ok(kr == KERN_FAILURE, "task_resume of a task not suspended: "
	    "KERN_FAILURE (kr %d)", kr);
	kr = thread_terminate(th);
	tap_ok(kr == KERN_SUCCESS, "thread_terminate its never-started thread "
	    "(kr %d)", kr);
	kr = task_terminate(child);
	tap_ok(kr == KERN_SUCCESS, "task_terminate (kr %d)", kr);
	(void)mach_port_deallocate(self, th);
	(void)mach_port_deallocate(self, child);

	/* inherit_memory: the child gets a copy of our memory */
	child = MACH_PORT_NULL;
	kr = task_create(self, NULL, 0, TRUE, &child);
	vm_offset_t data = 0;
	mach_msg_type_number_t cnt = 0;
	kr2 = vm_read(child, (vm_address_t)&marker, sizeof(marker), &data, &cnt);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    cnt == sizeof(marker) && *(uint32_t *)data == 0x12345678,
	    "task_create inheriting memory: vm_read in the child finds our "
	    "data (kr %d %d)", kr, kr2);
	if (kr2 == KERN_SUCCESS)
		(void)vm_deallocate(self, data, cnt);
	uint32_t v = 0xabcdef01;
	kr = vm_write(child, (vm_address_t)&marker, (vm_offset_t)&v, sizeof(v));
	kr2 = vm_read(child, (vm_address_t)&marker, sizeof(marker), &data, &cnt);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    *(uint32_t *)data == 0xabcdef01 && marker == 0x12345678,
	    "vm_write into the child changes its copy only (kr %d %d)", kr,
	    kr2);
	if (kr2 == KERN_SUCCESS)
		(void)vm_deallocate(self, data, cnt);
	(void)task_terminate(child);
	(void)mach_port_deallocate(self, child);
}

int main(void)
{
	self = mach_task_self();
	task_info_and_ports();
	own_threads();
	child_tasks();
	return tap_done();
}
