/*
 * assym.c: the structure offsets and constants the assembly message path
 * (arch/i386/msg_fast.S) uses, generated from the C declarations, so an
 * assembly offset can never disagree with its structure.
 *
 * The build compiles this file to assembly only (never links it) and
 * turns each "->NAME value" marker into "#define NAME value" in
 * $(B)/gen/assym.h (the Makefile's assym rule).
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg_fast.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <mach/message.h>
#include <machine/param.h>
#include <machine/pcb.h>
#include <machine/pmap.h>
#include <machine/seg.h>

#define DEFINE(name, value) \
	__asm__ volatile("\n.ascii \"->" #name " %c0\"" : : "i"((long)(value)))
#define OFFSET(name, type, member)	DEFINE(name, offsetof(type, member))

/* What the assembly takes as given. */
_Static_assert(MACH_PORT_MAKE(0x123, 0x45) == 0x12345, "a name is index << 8 | generation");
_Static_assert(sizeof(struct ipc_entry) == 20, "msg_fast.S scales an index by 20");
_Static_assert(sizeof(((struct ipc_entry *)0)->ie_gen) == 1, "msg_fast.S compares ie_gen as a byte");
_Static_assert(sizeof(((struct thread *)0)->ith_fast) == 1, "msg_fast.S stores ith_fast as a byte");
_Static_assert(sizeof(((struct ipc_port *)0)->ip_object.io_active) == 1, "io_active is a byte");
_Static_assert(sizeof(((struct ipc_kmsg *)0)->ikm_cached) == 1, "ikm_cached is a byte");
_Static_assert(sizeof(((struct thread *)0)->wait_timer_armed) == 1, "wait_timer_armed is a byte");
_Static_assert(sizeof(((struct ipc_entry *)0)->ie_dnrequest) == 1, "ie_dnrequest is a byte");
_Static_assert(sizeof(struct qlink) == 8 && offsetof(struct qlink, prev) == 4, "qlink: next, prev");

void assym(void);
void assym(void)
{
	/* struct thread */
	OFFSET(TH_KSP, struct thread, pcb.ksp);
	OFFSET(TH_KSTACK, struct thread, pcb.kstack);
	OFFSET(TH_STATE, struct thread, state);
	OFFSET(TH_QUANTUM, struct thread, quantum);
	OFFSET(TH_AST, struct thread, ast);
	OFFSET(TH_WAIT_EVENT, struct thread, wait_event);
	OFFSET(TH_INTERRUPTIBLE, struct thread, interruptible);
	OFFSET(TH_WAIT_RESULT, struct thread, wait_result);
	OFFSET(TH_WAIT_TIMER_ARMED, struct thread, wait_timer_armed);
	OFFSET(TH_TASK, struct thread, task);
	OFFSET(TH_WAIT_LINK, struct thread, ith_wait_link);
	OFFSET(TH_KMSG, struct thread, ith_kmsg);
	OFFSET(TH_MSTATE, struct thread, ith_state);
	OFFSET(TH_MSIZE, struct thread, ith_msize);
	OFFSET(TH_OPTION, struct thread, ith_option);
	OFFSET(TH_SEQNO, struct thread, ith_seqno);
	OFFSET(TH_FAST, struct thread, ith_fast);
	OFFSET(TH_RCV_BUF, struct thread, ith_rcv_buf);
	DEFINE(TH_RUN_, TH_RUN);
	DEFINE(TH_WAIT_, TH_WAIT);
	DEFINE(AST_TERMINATE_, AST_TERMINATE);
	DEFINE(QUANTUM_TICKS_, QUANTUM_TICKS);
	DEFINE(THREAD_WAITING_, THREAD_WAITING);
	DEFINE(THREAD_AWAKENED_, THREAD_AWAKENED);
	DEFINE(THREAD_INTERRUPTIBLE_, THREAD_INTERRUPTIBLE);
	DEFINE(ITH_FAST_NONE_, ITH_FAST_NONE);
	DEFINE(ITH_FAST_WAIT_, ITH_FAST_WAIT);
	DEFINE(ITH_FAST_READY_, ITH_FAST_READY);
	DEFINE(ITH_FAST_DONE_, ITH_FAST_DONE);
	DEFINE(KSTACK_SIZE_, KSTACK_SIZE);
	DEFINE(VM_MIN_USER_, VM_MIN_USER);
	DEFINE(VM_MAX_USER_, VM_MAX_USER);
	DEFINE(TRACE_SCHED_, TRACE_SCHED);

	/* tasks, pmaps, the TSS */
	OFFSET(TASK_SPACE, struct task, itk_space);
	OFFSET(TASK_PMAP, struct task, pmap);
	OFFSET(PMAP_PD_PA, struct pmap, pd_pa);
	OFFSET(TSS_ESP0, struct i386_tss, esp0);

	/* IPC spaces and entries */
	OFFSET(IS_TABLE, struct ipc_space, is_table);
	OFFSET(IS_TABLE_SIZE, struct ipc_space, is_table_size);
	OFFSET(IS_FREE, struct ipc_space, is_free);
	OFFSET(IS_USED, struct ipc_space, is_used);
	OFFSET(IE_OBJECT, struct ipc_entry, ie_object);
	OFFSET(IE_BITS, struct ipc_entry, ie_bits);
	OFFSET(IE_NEXT, struct ipc_entry, ie_next);
	OFFSET(IE_GEN, struct ipc_entry, ie_gen);
	OFFSET(IE_DNREQUEST, struct ipc_entry, ie_dnrequest);
	DEFINE(IE_SIZE, sizeof(struct ipc_entry));
	DEFINE(IE_BITS_TYPE_MASK_, IE_BITS_TYPE_MASK);
	DEFINE(MACH_PORT_TYPE_SEND_, MACH_PORT_TYPE_SEND);
	DEFINE(MACH_PORT_TYPE_RECEIVE_, MACH_PORT_TYPE_RECEIVE);
	DEFINE(MACH_PORT_TYPE_SEND_ONCE_, MACH_PORT_TYPE_SEND_ONCE);

	/* ports */
	OFFSET(IP_ACTIVE, struct ipc_port, ip_object.io_active);
	OFFSET(IP_REFERENCES, struct ipc_port, ip_object.io_references);
	OFFSET(IP_RECEIVER, struct ipc_port, ip_receiver);
	OFFSET(IP_RECEIVER_NAME, struct ipc_port, ip_receiver_name);
	OFFSET(IP_SORIGHTS, struct ipc_port, ip_sorights);
	OFFSET(IP_SEQNO, struct ipc_port, ip_seqno);
	OFFSET(IP_MESSAGES, struct ipc_port, ip_messages);
	OFFSET(IP_RCV_WAITERS, struct ipc_port, ip_rcv_waiters);
	OFFSET(IP_PSET, struct ipc_port, ip_pset);

	/* kmsgs and message headers */
	OFFSET(IKM_HEADER, struct ipc_kmsg, ikm_header);
	OFFSET(IKM_CACHED, struct ipc_kmsg, ikm_cached);
	DEFINE(IKM_CACHE_SLOTS_, IKM_CACHE_SLOTS);
	OFFSET(MSGH_BITS, mach_msg_header_t, msgh_bits);
	OFFSET(MSGH_SIZE, mach_msg_header_t, msgh_size);
	OFFSET(MSGH_REMOTE, mach_msg_header_t, msgh_remote_port);
	OFFSET(MSGH_LOCAL, mach_msg_header_t, msgh_local_port);
	OFFSET(MSGH_VOUCHER, mach_msg_header_t, msgh_voucher_port);
	DEFINE(MSGH_HEADER_SIZE, sizeof(mach_msg_header_t));
	OFFSET(TRAILER_TYPE, mach_msg_format_0_trailer_t, msgh_trailer_type);
	OFFSET(TRAILER_SIZE, mach_msg_format_0_trailer_t, msgh_trailer_size);
	OFFSET(TRAILER_SEQNO, mach_msg_format_0_trailer_t, msgh_seqno);
	OFFSET(TRAILER_SENDER, mach_msg_format_0_trailer_t, msgh_sender);
	DEFINE(TRAILER_FORMAT0_SIZE, sizeof(mach_msg_format_0_trailer_t));
	DEFINE(MACH_MSG_TRAILER_FORMAT_0_, MACH_MSG_TRAILER_FORMAT_0);
	DEFINE(MACH_RCV_TRAILER_MASK_, MACH_RCV_TRAILER_MASK);
	DEFINE(MACH_MSG_SUCCESS_, MACH_MSG_SUCCESS);
	DEFINE(MACH_RCV_IN_PROGRESS_, MACH_RCV_IN_PROGRESS);
	DEFINE(MACH_MSG_OPTION_NONE_, MACH_MSG_OPTION_NONE);
	DEFINE(MACH_RCV_INVALID_DATA_, MACH_RCV_INVALID_DATA);

	/* the hot path's shapes and limits (ipc/mach_msg_fast.h) */
	DEFINE(FAST_OPTIONS_, FAST_OPTIONS);
	DEFINE(FAST_MAX_SEND_, FAST_MAX_SEND);
	DEFINE(FAST_ASM_MAX_SEND_, FAST_ASM_MAX_SEND);
	DEFINE(FAST_RCV_SPAN_, FAST_RCV_SPAN);
	DEFINE(BITS_REQUEST_, BITS_REQUEST);
	DEFINE(BITS_REPLY_, BITS_REPLY);
	DEFINE(BITS_REQUEST_OUT_, BITS_REQUEST_OUT);
	DEFINE(BITS_REPLY_OUT_, BITS_REPLY_OUT);
}
