/*
 * kdb's `show` commands: views of tasks, threads, IPC spaces, ports, port
 * sets, queued messages, counters and zones.  Each object is printed by
 * the print routine beside its code (task_print, ipc_port_print, ...);
 * this file finds the objects, checks addresses typed by the user against
 * the kernel's lists before touching them, and adds the cross references
 * (which task receives on a port, which port a message waits on).
 */
#include <ipc/ipc_audit.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg_fast.h>
#include <kern/kdb.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

/* Exception totals, kern/exception.c. */
extern unsigned long exc_raised, exc_handled, exc_unhandled;

#define KDB_DUMP_BYTES	64	/* message body bytes `show kmsg ADDR` dumps */

static const char *const kdb_counter_help[MMC_COUNT] = {
#define X(name, desc) [MMC_##name] = desc,
	MACH_MSG_COUNTERS(X)
#undef X
};

/* Is p a port on all_ports?  (Typed addresses are checked before use.) */
static ipc_port_t kdb_port_lookup(uintptr_t addr)
{
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		if ((uintptr_t)p == addr)
			return p;
	}
	return IP_NULL;
}

/* The queued kmsg at addr and the port it waits on, or NULL. */
static ipc_kmsg_t kdb_kmsg_lookup(uintptr_t addr, ipc_port_t *portp)
{
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		queue_foreach(m, &p->ip_messages) {
			ipc_kmsg_t k = qlink_entry(m, struct ipc_kmsg, ikm_link);
			if ((uintptr_t)k == addr) {
				*portp = p;
				return k;
			}
		}
	}
	return IKM_NULL;
}

/* "task 3 (echo_server) name 0x103", "the kernel", ... for a port's receiver. */
static void kdb_print_receiver(ipc_port_t p)
{
	printf("  receiver: ");
	if (!ip_active(p))
		printf("none (dead port)\n");
	else if (p->ip_receiver == ipc_space_kernel)
		printf("the kernel (kernel object, type %u)\n", p->ip_kotype);
	else if (p->ip_receiver == ipc_space_reply)
		printf("the kernel (reply port of a kernel RPC)\n");
	else if (p->ip_receiver == NULL)
		printf("in transit in a message to port %p\n", (void *)p->ip_destination);
	else if (p->ip_receiver->is_task != NULL)
		printf("task %d (%s) name %#x\n", p->ip_receiver->is_task->id,
		       p->ip_receiver->is_task->name, p->ip_receiver_name);
	else
		printf("space %p name %#x\n", (void *)p->ip_receiver, p->ip_receiver_name);
}

/* One port in full: its print routine (which lists its messages), its receiver. */
static void kdb_port_full(ipc_port_t p)
{
	ipc_port_print(p);
	kdb_print_receiver(p);
}

static void show_tasks(int argc __unused, char **argv __unused)
{
	task_print_all();
}

/* The port (or set) whose list `link` is on, searching `which` lists. */
static bool kdb_find_waiter(const struct qlink *link, bool senders, ipc_port_t *portp,
			    ipc_pset_t *psetp)
{
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		queue_foreach(w, senders ? &p->ip_snd_waiters : &p->ip_rcv_waiters) {
			if (w == link) {
				*portp = p;
				return true;
			}
		}
	}
	if (senders)
		return false;
	queue_foreach(l, &all_psets) {
		ipc_pset_t s = qlink_entry(l, struct ipc_pset, ips_all_link);
		queue_foreach(w, &s->ips_rcv_waiters) {
			if (w == link) {
				*psetp = s;
				return true;
			}
		}
	}
	return false;
}

/* One more line for a waiting thread: what it waits for, in words. */
static void kdb_print_wait(thread_t t)
{
	ipc_port_t port = IP_NULL;
	ipc_pset_t set = IPS_NULL;
	if (t->state != TH_WAIT)
		return;
	printf("      waiting: ");
	if (qlink_linked(&t->ith_wait_link) && kdb_find_waiter(&t->ith_wait_link, false, &port, &set)) {
		if (port != IP_NULL)
			printf("mach_msg receive on port %p (id %u)", (void *)port, port->ip_id);
		else
			printf("mach_msg receive on port set %p (id %u)", (void *)set, set->ips_id);
	} else if (qlink_linked(&t->ith_send_link) &&
		   kdb_find_waiter(&t->ith_send_link, true, &port, &set)) {
		printf("mach_msg send to full port %p (id %u)", (void *)port, port->ip_id);
	} else if (t->wait_event == NULL) {
		printf("no event (sleep, reply or long IPC)");
	} else {
		bool named = false;
		queue_foreach(l, &all_tasks) {
			task_t k = qlink_entry(l, struct task, all_link);
			if ((event_t)k == t->wait_event) {
				printf("end of task %d (%s)", k->id, k->name);
				named = true;
			}
		}
		queue_foreach(l, &all_threads) {
			thread_t o = qlink_entry(l, struct thread, all_link);
			if ((event_t)o == t->wait_event) {
				printf("end of thread %d (%s)", o->id, o->name);
				named = true;
			}
		}
		if (!named)
			printf("event %p", t->wait_event);
	}
	printf("%s\n", t->wait_timer_armed ? ", with a timeout" : "");
}

static void show_threads(int argc __unused, char **argv __unused)
{
	queue_foreach(l, &all_threads) {
		thread_t t = qlink_entry(l, struct thread, all_link);
		thread_print(t);
		kdb_print_wait(t);
	}
}

static void show_space(int argc, char **argv)
{
	task_t t = kdb_task_arg(argc > 0 ? argv[0] : NULL);
	if (t == NULL)
		return;
	printf("task %d (%s): ", t->id, t->name);
	if (t->itk_space == NULL) {
		printf("no IPC space\n");
		return;
	}
	ipc_space_print(t->itk_space);
}

static void show_port(int argc, char **argv)
{
	if (argc < 1) {
		printf("kdb: usage: show port <addr> | show port <task id>:<name>\n");
		return;
	}
	char *colon = strchr(argv[0], ':');
	uint32_t v;
	if (colon == NULL) {
		if (!kdb_number(argv[0], 16, &v)) {
			printf("kdb: \"%s\" is not an address\n", argv[0]);
			return;
		}
		ipc_port_t p = kdb_port_lookup(v);
		if (p == IP_NULL) {
			printf("kdb: %#x is not a port\n", v);
			return;
		}
		kdb_port_full(p);
		return;
	}
	*colon = '\0';
	task_t t = kdb_task_arg(argv[0]);
	if (t == NULL)
		return;
	if (!kdb_number(colon + 1, 16, &v)) {
		printf("kdb: \"%s\" is not a port name\n", colon + 1);
		return;
	}
	ipc_entry_t e = t->itk_space ? ipc_entry_lookup(t->itk_space, v) : NULL;
	if (e == NULL) {
		printf("kdb: task %d has no name %#x\n", t->id, v);
		return;
	}
	if (!IO_VALID(e->ie_object) || e->ie_object->io_otype != IOT_PORT) {
		printf("kdb: name %#x of task %d is not a port (bits %#x)\n", v, t->id,
		       e->ie_bits);
		return;
	}
	printf("task %d (%s) name %#x: urefs %u\n", t->id, t->name, v,
	       IE_BITS_UREFS(e->ie_bits));
	kdb_port_full(ip_from_object(e->ie_object));
}

static void show_pset(int argc, char **argv)
{
	uint32_t addr = 0;
	if (argc > 0 && !kdb_number(argv[0], 16, &addr)) {
		printf("kdb: \"%s\" is not an address\n", argv[0]);
		return;
	}
	unsigned n = 0;
	queue_foreach(l, &all_psets) {
		ipc_pset_t s = qlink_entry(l, struct ipc_pset, ips_all_link);
		if (addr != 0 && (uintptr_t)s != addr)
			continue;
		n++;
		ipc_pset_print(s);
		if (s->ips_space && s->ips_space->is_task)
			printf("  in task %d (%s)\n", s->ips_space->is_task->id,
			       s->ips_space->is_task->name);
		unsigned waiting = 0;
		queue_foreach(w, &s->ips_rcv_waiters)
			waiting++;
		printf("  %u thread(s) waiting to receive\n", waiting);
	}
	if (n == 0 && addr != 0)
		printf("kdb: %#x is not a port set\n", addr);
	else if (n == 0)
		printf("no port sets\n");
}

/* The header, the port it waits on and the first bytes of the body. */
static void kdb_kmsg_full(ipc_kmsg_t k, ipc_port_t port)
{
	ipc_kmsg_print(k);
	printf("  queued on port %p (id %u)\n", (void *)port, port->ip_id);
	mach_msg_header_t *h = k->ikm_header;
	uint32_t body = h->msgh_size > sizeof(*h) ? h->msgh_size - sizeof(*h) : 0;
	const uint8_t *b = (const uint8_t *)(h + 1);
	printf("  body %u bytes%s", body, body > KDB_DUMP_BYTES ? ", first 64:" : ":");
	for (uint32_t i = 0; i < body && i < KDB_DUMP_BYTES; i++)
		printf("%s%02x", i % 16 == 0 ? "\n   " : " ", b[i]);
	printf("\n");
}

static void show_kmsg(int argc, char **argv)
{
	if (argc > 0) {
		uint32_t addr;
		ipc_port_t port;
		if (!kdb_number(argv[0], 16, &addr)) {
			printf("kdb: \"%s\" is not an address\n", argv[0]);
			return;
		}
		ipc_kmsg_t k = kdb_kmsg_lookup(addr, &port);
		if (k == IKM_NULL) {
			printf("kdb: %#x is not a queued kmsg\n", addr);
			return;
		}
		kdb_kmsg_full(k, port);
		return;
	}
	unsigned n = 0;
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		queue_foreach(m, &p->ip_messages) {
			if (n++ == 0)
				printf("queued messages (port: kmsg):\n");
			printf("  port %p: ", (void *)p);
			ipc_kmsg_print(qlink_entry(m, struct ipc_kmsg, ikm_link));
		}
	}
	printf("%u queued message(s), %u kmsg(s) allocated\n", n, ipc_kmsgs_alive);
}

static void show_counters(int argc __unused, char **argv __unused)
{
	mach_msg_counters_sync();
	printf("mach_msg hot path (%s):\n", enable_hotpath ? "on" : "off");
	for (unsigned i = 0; i < MMC_COUNT; i++)
		printf("  %-26s %10u  %s\n", mach_msg_counter_names[i], mach_msg_counters[i],
		       kdb_counter_help[i]);
	struct vm_fault_stats vs;
	vm_fault_stats(&vs);
	printf("ipc: ports %u psets %u spaces %u kmsgs %u; kmsg cache hits %lu misses %lu; "
	       "direct deliveries %lu\n", ipc_ports_alive, ipc_psets_alive, ipc_spaces_alive,
	       ipc_kmsgs_alive, ikm_cache_hits, ikm_cache_misses, ipc_mqueue_direct_deliveries);
	printf("sched: switches %lu handoffs %lu; tasks %u threads %u\n", sched_switches,
	       sched_handoffs, tasks_alive, threads_alive);
	printf("exceptions: raised %lu handled %lu unhandled %lu; vm faults %lu zero-fills %lu\n",
	       exc_raised, exc_handled, exc_unhandled, vs.faults, vs.zero_fills);
}

static void show_zones(int argc __unused, char **argv __unused)
{
	zone_print_all();
}

static void show_map(int argc, char **argv)
{
	task_t t = kdb_task_arg(argc > 0 ? argv[0] : NULL);
	if (t == NULL)
		return;
	printf("task %d (%s): ", t->id, t->name);
	if (t->map == NULL)
		printf("no address map\n");
	else
		vm_map_print(t->map);
}

/* The IPC invariant auditor, verbose: each violation and a summary line. */
static void show_audit(int argc __unused, char **argv __unused)
{
	(void)ipc_audit(true);
}

/* Who waits for whom (ipc_audit_waitfor): for finding a deadlock. */
static void show_waitfor(int argc __unused, char **argv __unused)
{
	printf("%d thread(s) waiting on ports or sets\n", ipc_audit_waitfor());
}

static const struct {
	const char *what;
	void (*fn)(int argc, char **argv);
} kdb_show_cmds[] = {
	{ "tasks", show_tasks },
	{ "threads", show_threads },
	{ "space", show_space },
	{ "port", show_port },
	{ "pset", show_pset },
	{ "kmsg", show_kmsg },
	{ "counters", show_counters },
	{ "zones", show_zones },
	{ "map", show_map },
	{ "audit", show_audit },
	{ "waitfor", show_waitfor },
};

/* kdb_show: see kdb.h. */
void kdb_show(int argc, char **argv)
{
	if (argc > 0) {
		for (size_t i = 0; i < ARRAY_SIZE(kdb_show_cmds); i++) {
			if (strcmp(argv[0], kdb_show_cmds[i].what) == 0) {
				kdb_show_cmds[i].fn(argc - 1, argv + 1);
				return;
			}
		}
	}
	printf("kdb: show what? tasks threads space port pset kmsg counters zones map audit waitfor\n");
}
