/*
 * kdb: the serial kernel debugger's entry points, line input, command
 * loop and backtraces (the object views are in kdb_show.c).
 *
 * Everything here runs with interrupts off and polls the UART, so it
 * works from the panic path, from the serial interrupt and at boot, on
 * whatever kernel stack was current.  Input and the command words live in
 * static buffers to keep that stack's use small.
 */
#include <ipc/mach_msg.h>
#include <kern/assert.h>
#include <kern/backtrace.h>
#include <kern/bootopt.h>
#include <kern/kdb.h>
#include <kern/lib.h>
#include <kern/panic_hooks.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <machine/copyio.h>
#include <machine/cpu.h>
#include <machine/pcb.h>
#include <machine/pic.h>
#include <machine/serial.h>
#include <machine/trap.h>

#define KDB_LINE	128
#define KDB_MAXARGS	8
#define KDB_UFRAMES	16	/* user frames bt follows */

static int kdb_depth;			/* > 0 while inside */
static struct trapframe *kdb_tf;	/* the interrupted context, or NULL */
static bool kdb_panic_requested;	/* the `panic` command */
static char kdb_line[KDB_LINE];
static bool kdb_last_cr;		/* swallow the \n of a \r\n pair */

/* ------------------------------------------------------------ input */

/* The next byte from the console, spinning until one arrives. */
static int kdb_getc(void)
{
	int c;
	while ((c = serial_getc_nowait()) < 0)
		;
	return c;
}

/*
 * Read one line into kdb_line with echo; backspace/DEL erase, Ctrl-U
 * erases the line, Ctrl-C abandons it.  Returns its length.
 */
static size_t kdb_readline(void)
{
	size_t n = 0;
	for (;;) {
		int c = kdb_getc();
		bool after_cr = kdb_last_cr;
		kdb_last_cr = c == '\r';
		if (c == '\n' && after_cr)
			continue;
		if (c == '\r' || c == '\n') {
			printf("\n");
			break;
		}
		if (c == 0x7f || c == '\b') {
			if (n > 0) {
				n--;
				printf("\b \b");
			}
		} else if (c == 0x15) {
			for (; n > 0; n--)
				printf("\b \b");
		} else if (c == 0x03) {
			printf("^C\n");
			n = 0;
			break;
		} else if (c >= 0x20 && c < 0x7f && n < KDB_LINE - 1) {
			kdb_line[n++] = (char)c;
			cons_putc(c);
		}
	}
	kdb_line[n] = '\0';
	return n;
}

/* Split kdb_line into words in place; returns how many (at most max). */
static int kdb_split(char **argv, int max)
{
	int argc = 0;
	char *p = kdb_line;
	while (*p && argc < max) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

/* kdb_number: see kdb.h. */
bool kdb_number(const char *s, int base, uint32_t *out)
{
	if (s == NULL)
		return false;
	const char *digits = s;
	if (base != 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		digits = s + 2;
	if (*digits == '\0')
		return false;
	char *end;
	unsigned long v = strtoul(s, &end, base);
	if (*end != '\0')
		return false;
	*out = (uint32_t)v;
	return true;
}

/* kdb_task_arg: see kdb.h. */
struct task *kdb_task_arg(const char *s)
{
	uint32_t id;
	if (!kdb_number(s, 10, &id)) {
		printf("kdb: expected a task id (see \"show tasks\"), got \"%s\"\n", s ? s : "");
		return NULL;
	}
	task_t t = task_find((int)id);
	if (t == NULL)
		printf("kdb: no task %u\n", id);
	return t;
}

/* ------------------------------------------------------------ backtraces */

/* The thread with id `id` in any task, or NULL. */
static thread_t kdb_thread_by_id(int id)
{
	queue_foreach(l, &all_threads) {
		thread_t t = qlink_entry(l, struct thread, all_link);
		if (t->id == id)
			return t;
	}
	return NULL;
}

/* Follow a user thread's frame chain in the current address space. */
static void kdb_user_backtrace(uint32_t eip, uint32_t ebp)
{
	printf("user backtrace (no user symbols in the kernel: see tools/gdb):\n");
	printf("  #0 %08x\n", eip);
	for (int n = 1; n < KDB_UFRAMES && ebp != 0; n++) {
		uint32_t frame[2];
		if ((ebp & 3) || copyin((const void *)(uintptr_t)ebp, frame, sizeof(frame)) != 0)
			break;
		if (frame[1] == 0)
			break;
		printf("  #%d %08x\n", n, frame[1] - 1);
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
}

/* The user registers saved when t entered the kernel, if it is a user thread. */
static void kdb_user_state(thread_t t, bool walk)
{
	const struct trapframe *tf = t->pcb.tf;
	if (tf == NULL)
		return;
	printf("user state: eip %08x esp %08x ebp %08x eax %08x\n", tf->eip, tf->uesp,
	       tf->ebp, tf->eax);
	if (walk)
		kdb_user_backtrace(tf->eip, tf->ebp);
}

/* kdb_backtrace: see kdb.h.  Without an argument: where kdb was entered. */
void kdb_backtrace(int argc, char **argv, const struct trapframe *tf)
{
	thread_t cur = current_thread();
	thread_t t = cur;
	if (argc > 0) {
		uint32_t id;
		if (!kdb_number(argv[0], 10, &id)) {
			printf("kdb: usage: bt [thread id]\n");
			return;
		}
		t = kdb_thread_by_id((int)id);
		if (t == NULL) {
			printf("kdb: no thread %u\n", id);
			return;
		}
	}
	if (t != NULL)
		printf("thread %d (%s) of task %d (%s)%s\n", t->id, t->name,
		       t->task ? t->task->id : -1, t->task ? t->task->name : "?",
		       t == cur ? ", current" : "");
	if (t != cur) {
		const struct switch_frame *sf = (const struct switch_frame *)(uintptr_t)t->pcb.ksp;
		if (t->state == TH_DEAD || sf == NULL) {
			printf("no saved kernel context\n");
			return;
		}
		backtrace_print(sf->eip, sf->ebp);
		kdb_user_state(t, false);
		return;
	}
	if (tf != NULL && tf_from_user(tf)) {
		/* stopped in user mode: nothing of interest on the kernel stack */
		kdb_user_backtrace(tf->eip, tf->ebp);
		return;
	}
	if (tf != NULL)
		backtrace_print(tf->eip, tf->ebp);
	else {
		/* entered by a call: start with our caller's frame */
		const uintptr_t *fp = (const uintptr_t *)read_ebp();
		backtrace_print(fp[1] - 1, fp[0]);
	}
	if (t != NULL)
		kdb_user_state(t, t->task && t->task->pmap && t->task == current_task());
}

/* ------------------------------------------------------------ commands */

enum { KDB_STAY, KDB_LEAVE };

static int cmd_help(int argc, char **argv);

static int cmd_show(int argc, char **argv)
{
	kdb_show(argc - 1, argv + 1);
	return KDB_STAY;
}

static int cmd_bt(int argc, char **argv)
{
	kdb_backtrace(argc - 1, argv + 1, kdb_tf);
	return KDB_STAY;
}

static int cmd_trace(int argc, char **argv)
{
	if (argc > 1) {
		trace_mask = trace_parse(argv[1]);
		mach_msg_asm_update();
	}
	printf("trace: ");
	trace_print_mask();
	printf("\n");
	return KDB_STAY;
}

static int cmd_continue(int argc __unused, char **argv __unused)
{
	return KDB_LEAVE;
}

static int cmd_panic(int argc __unused, char **argv __unused)
{
	kdb_panic_requested = true;
	return KDB_LEAVE;
}

/* Reset the machine: the PC keyboard controller's reset line, else a triple fault. */
static int cmd_reboot(int argc __unused, char **argv __unused)
{
	printf("kdb: rebooting\n");
	outb(0x64, 0xfe);
	static const struct { uint16_t limit; uint32_t base; } __packed null_idt = { 0, 0 };
	__asm__ volatile("lidt %0; int $3" : : "m"(null_idt));
	for (;;)
		halt();
	return KDB_STAY;
}

static const struct kdb_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*fn)(int argc, char **argv);
} kdb_cmds[] = {
	{ "help", "", "this list", cmd_help },
	{ "show", "tasks", "every task: id, name, refs, threads, state", cmd_show },
	{ "show", "threads", "every thread: state, priority, wait event; * = current", cmd_show },
	{ "show", "space <task>", "a task's IPC space: name, type, urefs, object", cmd_show },
	{ "show", "port <addr|task:name>", "a port: receiver, rights, seqno, queue", cmd_show },
	{ "show", "pset [addr]", "port sets and their members", cmd_show },
	{ "show", "kmsg [addr]", "queued messages (all, or one in detail)", cmd_show },
	{ "show", "counters", "mach_msg hot-path counters, scheduler and IPC totals", cmd_show },
	{ "show", "zones", "zone allocator statistics", cmd_show },
	{ "show", "map <task>", "a task's address map", cmd_show },
	{ "show", "audit", "run the IPC invariant auditor (violations, totals)", cmd_show },
	{ "show", "waitfor", "wait-for relations: who waits on which port, who can send", cmd_show },
	{ "bt", "[thread]", "backtrace of a thread (default: where kdb stopped)", cmd_bt },
	{ "trace", "[ipc,sched,vm,exc|all|off]", "show or set the trace mask", cmd_trace },
	{ "continue", "", "leave kdb and resume (also \"c\")", cmd_continue },
	{ "c", NULL, NULL, cmd_continue },
	{ "panic", "", "panic on purpose (then kdb again, or exit in test mode)", cmd_panic },
	{ "reboot", "", "reset the machine (QEMU -no-reboot: exit)", cmd_reboot },
};

static int cmd_help(int argc __unused, char **argv __unused)
{
	printf("kdb commands (ids are decimal, names and addresses hex):\n");
	for (size_t i = 0; i < ARRAY_SIZE(kdb_cmds); i++) {
		const struct kdb_cmd *c = &kdb_cmds[i];
		if (c->help == NULL)
			continue;
		char left[40];
		snprintf(left, sizeof(left), "%s %s", c->name, c->args);
		printf("  %-32s %s\n", left, c->help);
	}
	printf("break key: Ctrl-] or a serial BREAK (QEMU console: Ctrl-A b)\n");
	return KDB_STAY;
}

/* Run one command line; KDB_LEAVE ends the session. */
static int kdb_execute(void)
{
	char *argv[KDB_MAXARGS];
	int argc = kdb_split(argv, KDB_MAXARGS);
	if (argc == 0)
		return KDB_STAY;
	for (size_t i = 0; i < ARRAY_SIZE(kdb_cmds); i++)
		if (strcmp(argv[0], kdb_cmds[i].name) == 0)
			return kdb_cmds[i].fn(argc, argv);
	printf("kdb: unknown command \"%s\"; try \"help\"\n", argv[0]);
	return KDB_STAY;
}

/* ------------------------------------------------------------ entry */

/* Say where the system stopped. */
static void kdb_where(const char *why, const struct trapframe *tf)
{
	thread_t t = current_thread();
	printf("\nkdb: stopped: %s\n", why);
	if (t == NULL)
		printf("kdb: no thread yet (boot context)\n");
	else
		printf("kdb: thread %d (%s) of task %d (%s)", t->id, t->name,
		       t->task ? t->task->id : -1, t->task ? t->task->name : "?");
	if (t != NULL && tf != NULL && tf_from_user(tf))
		printf(", in user mode at eip %08x\n", tf->eip);
	else if (t != NULL && tf != NULL) {
		printf(", in the kernel at ");
		print_symbol(tf->eip);
		printf("\n");
	} else if (t != NULL)
		printf("\n");
	printf("kdb: \"help\" lists the commands, \"continue\" resumes\n");
}

/* kdb_enter: see kdb.h. */
void kdb_enter(const char *why, struct trapframe *tf)
{
	if (kdb_depth > 0) {
		printf("kdb: already in the debugger (%s)\n", why);
		return;
	}
	uint32_t eflags = read_eflags();
	cli();
	kdb_depth++;
	kdb_tf = tf;
	kdb_last_cr = false;
	kdb_where(why, tf);
	for (;;) {
		printf("kdb> ");
		kdb_readline();
		if (kdb_execute() == KDB_LEAVE)
			break;
	}
	kdb_tf = NULL;
	kdb_depth--;
	if (kdb_panic_requested) {
		kdb_panic_requested = false;
		panic("kdb: panic requested from the debugger");
	}
	printf("kdb: continuing\n");
	if (eflags & EFLAGS_IF)
		sti();
}

/* kdb_active: see kdb.h. */
bool kdb_active(void)
{
	return kdb_depth > 0;
}

/* panic_debugger_hook: a panic outside test mode lands here. */
static void kdb_panic_hook(void)
{
	kdb_enter("panic (\"continue\" halts the machine, \"reboot\" restarts it)", NULL);
}

/* IRQ 4: drain the UART; the break key (or a BREAK) enters kdb. */
static void kdb_serial_intr(struct trapframe *tf)
{
	bool brk = false;
	int c;
	while ((c = serial_getc_nowait()) >= 0)
		if (c == KDB_BREAK_CHAR || c == 0)
			brk = true;
	if (brk)
		kdb_enter("break key on the console", tf);
}

/* kdb_init: see kdb.h. */
void kdb_init(void)
{
	trace_init();
	panic_debugger_hook = kdb_panic_hook;
	irq_register(IRQ_COM1, kdb_serial_intr);
	serial_enable_rx_irq();
	if (!bootopt.test && !bootopt.bench)
		printf("mk: kernel debugger: Ctrl-] or a BREAK (QEMU: Ctrl-A b) on this console\n");
	if (bootopt.kdb)
		kdb_enter("\"kdb\" on the command line", NULL);
}
