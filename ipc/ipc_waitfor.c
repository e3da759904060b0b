/*
 * The wait-for report (mk_audit MK_AUDIT_WAITFOR, kdb's show waitfor):
 * which thread waits on which port or port set, who holds the rights
 * that could end each wait, and which senders wait for room in a full
 * queue.  Read only; prints on the console.  Split from ipc_audit.c,
 * which checks the invariants; this file only describes the waits.
 */
#include <ipc/ipc_audit.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE

/* The holder of port's receive right, as text. */
static void print_receiver(ipc_port_t p)
{
	if (p->ip_receiver == ipc_space_kernel || p->ip_receiver == ipc_space_reply)
		printf("the kernel");
	else if (p->ip_receiver == NULL)
		printf("a message in transit");
	else if (p->ip_receiver->is_task)
		printf("task %d (%s)", p->ip_receiver->is_task->id, p->ip_receiver->is_task->name);
	else
		printf("space %p", (void *)p->ip_receiver);
}

/*
 * Print who can end a wait for a message on p: every task whose space
 * holds a send or send-once right to it, then the rights no space
 * accounts for (carried in messages or held by the kernel).
 */
static void print_senders(ipc_port_t p)
{
	natural_t send = 0, sonce = 0;

	queue_foreach(l, &all_tasks) {
		task_t t = qlink_entry(l, struct task, all_link);
		ipc_space_t s = t->itk_space;
		if (s == NULL || !s->is_active || s->is_table == NULL)
			continue;
		for (uint32_t i = 1; i < s->is_table_size; i++) {
			ipc_entry_t e = &s->is_table[i];
			uint32_t type = IE_BITS_TYPE(e->ie_bits);
			if (e->ie_object != ip_to_object(p) || !(type & (T_SEND | T_SONCE)))
				continue;
			send += (type & T_SEND) != 0;
			sonce += (type & T_SONCE) != 0;
			printf("      <- %s right named %#x in task %d (%s)\n",
			       type & T_SEND ? "send" : "send-once", ipc_entry_name(s, e),
			       t->id, t->name);
		}
	}
	if (p->ip_srights > send || p->ip_sorights > sonce)
		printf("      <- %u send and %u send-once right(s) in messages or held by the "
		       "kernel\n", p->ip_srights > send ? p->ip_srights - send : 0,
		       p->ip_sorights > sonce ? p->ip_sorights - sonce : 0);
	if (p->ip_srights == 0 && p->ip_sorights == 0)
		printf("      <- no send right exists: only a timeout or an abort ends this wait\n");
}

/* ipc_audit_waitfor: see ipc_audit.h. */
int ipc_audit_waitfor(void)
{
	int n = 0;

	printf("wait-for: receivers (<- who holds a right to send to them)\n");
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		queue_foreach(w, &p->ip_rcv_waiters) {
			thread_t t = qlink_entry(w, struct thread, ith_wait_link);
			printf("  thread %d (%s, task %d) receives on port %u (%u queued) of ", t->id,
			       t->name, t->task ? t->task->id : -1, p->ip_id, p->ip_msgcount);
			print_receiver(p);
			printf("\n");
			print_senders(p);
			n++;
		}
	}
	queue_foreach(l, &all_psets) {
		ipc_pset_t s = qlink_entry(l, struct ipc_pset, ips_all_link);
		queue_foreach(w, &s->ips_rcv_waiters) {
			thread_t t = qlink_entry(w, struct thread, ith_wait_link);
			printf("  thread %d (%s, task %d) receives on set %u of task %d\n", t->id,
			       t->name, t->task ? t->task->id : -1, s->ips_id,
			       s->ips_space && s->ips_space->is_task ? s->ips_space->is_task->id : -1);
			queue_foreach(m, &s->ips_members) {
				ipc_port_t p = qlink_entry(m, struct ipc_port, ip_pset_link);
				printf("    member port %u (%u queued)\n", p->ip_id, p->ip_msgcount);
				print_senders(p);
			}
			n++;
		}
	}
	printf("wait-for: senders blocked on a full queue (-> the receiver they wait for)\n");
	queue_foreach(l, &all_ports) {
		ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
		queue_foreach(w, &p->ip_snd_waiters) {
			thread_t t = qlink_entry(w, struct thread, ith_send_link);
			printf("  thread %d (%s, task %d) sends to port %u (%u/%u queued) -> ", t->id,
			       t->name, t->task ? t->task->id : -1, p->ip_id, p->ip_msgcount,
			       p->ip_qlimit);
			print_receiver(p);
			printf("\n");
			n++;
		}
	}
	printf("wait-for: every user thread\n");
	queue_foreach(l, &all_threads) {
		thread_t t = qlink_entry(l, struct thread, all_link);
		if (t->task == kernel_task)
			continue;
		printf("  thread %d (%s) task %d: %s%s, wait event %p\n", t->id, t->name,
		       t->task ? t->task->id : -1,
		       t->state == TH_RUN ? "running" : t->state == TH_WAIT ? "waiting" : "dead",
		       t->suspend_count ? " (suspended)" : "", (void *)t->wait_event);
	}
	return n;
}
