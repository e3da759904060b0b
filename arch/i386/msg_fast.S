/*
 * msg_fast.S: the message hot path's common case in assembly, for
 * mach_msg through sysenter.
 *
 * It does exactly what ipc/mach_msg_fast.c does for a combined
 * send+receive of one of the two RPC header shapes (a request carrying
 * COPY_SEND + MAKE_SEND_ONCE of the port we receive on, or a reply
 * carrying MOVE_SEND_ONCE and no reply port) when a thread of the
 * destination's space waits for it in the hot path:
 *
 *   1. check everything, changing nothing: the arguments and the
 *      message are copied in (to a kmsg that stays in the kmsg cache
 *      until step 2), the names translated, the waiting server and its
 *      buffer checked;
 *   2. commit: the kmsg leaves the cache, the rights move (the reply
 *      right gets a name in the server's space at once), the header and
 *      trailer are made as the server will receive them, the server's
 *      receive is finished (ITH_FAST_READY) and our own wait is set up
 *      on our receive port, exactly as mach_msg_fast() leaves them;
 *   3. switch straight to the server (a switch_context frame, so that
 *      the C scheduler can switch back to us);
 *   4. once we run again: copy our message out, kmsg back to the cache.
 *
 * Anything else at step 1 goes to mach_msg_trap_frame(), the C hot path
 * and its fall-offs, which starts over: nothing has changed.  A wakeup
 * other than a finished receive at step 4 goes to
 * mach_msg_fast_resume(), the C hot path's receive half.  The counters
 * are the C path's.
 *
 * The kernel is uniprocessor and not preemptible, and interrupts are off:
 * nothing runs between a check and the change it guards.  The only user
 * memory touched is read before any kernel state is looked at (a fault
 * there is resolved, or falls to the C path, which reports it) and
 * written at step 4.  Structure offsets come from arch/i386/gen/assym.c.
 *
 * Registers through steps 1-3: EBP the current thread, EBX the header in
 * the kmsg, ECX the destination port, ESI our receive port, EDX the
 * server thread, EDI our space; EAX is scratch.
 */
#include <assym.h>
#include <machine/trap.h>
#include <mach/syscall_sw.h>

/* Locals, below the return address and the trap frame pointer. */
#define L_MSG		0	/* the 5 argument words, as the user gave them */
#define L_OPTION	4
#define L_SEND_SIZE	8
#define L_RCV_SIZE	12
#define L_RCV_NAME	16
#define L_KMSG		20	/* the cached kmsg the message is copied into */
#define L_DENTRY	24	/* reply: our send-once entry */
#define L_TSIZE		28	/* the server's trailer size */
#define L_NEED		32	/* message + trailer bytes */
#define L_INDEX		36	/* request: the reply right's index */
#define LOCALS		40
#define L_TF		(LOCALS + 4)	/* struct trapframe * */

#define ARG_WORDS	5	/* msg, option, send_size, rcv_size, rcv_name */

/*
 * LOOKUP name, entry, fail: ipc_entry_lookup of the name in register
 * `name' (one of EAX..EDX: its low byte is the generation) in the space
 * at EDI; the entry's address in `entry'.  No entry: jump to fail.
 */
.macro	LOOKUP name, namelow, entry, fail
	movl	\name, \entry
	shrl	$8, \entry			/* index; 0 is never a name */
	jz	\fail
	cmpl	IS_TABLE_SIZE(%edi), \entry
	jae	\fail
	leal	(\entry, \entry, 4), \entry	/* * IE_SIZE (20) */
	shll	$2, \entry
	addl	IS_TABLE(%edi), \entry
	cmpb	IE_GEN(\entry), \namelow
	jne	\fail
.endm

/* The C path, from the start (only before the locals are made). */
#define FALL_EARLY	mach_msg_trap_frame

	.text
	.p2align 4
/*
 * mach_msg_asm(struct trapframe *tf): from sysenter_msg_frame, the
 * message traps.  Stores the mach_msg result in tf->eax, or goes to
 * mach_msg_trap_frame(tf) with the stack as it found it.  May block.
 */
	.globl	mach_msg_asm
	.type	mach_msg_asm, @function
mach_msg_asm:
	cmpb	$0, enable_hotpath
	je	FALL_EARLY
	movl	4(%esp), %eax
	cmpl	$MACH_TRAP_MACH_MSG, TF_EAX(%eax)
	jne	FALL_EARLY			/* mach_msg_overwrite: in C */
	movl	TF_UESP(%eax), %esi
	addl	$4, %esi			/* the arguments */
	leal	-VM_MIN_USER_(%esi), %eax
	cmpl	$(VM_MAX_USER_ - VM_MIN_USER_ - 4 * ARG_WORDS), %eax
	ja	FALL_EARLY
	subl	$LOCALS, %esp

	/* step 1: the arguments and the message, the only user reads */
	movl	$fall, copy_recover
	movl	%esp, %edi
	movl	$ARG_WORDS, %ecx
	rep movsl
	movl	L_OPTION(%esp), %eax
	andl	$~MACH_RCV_TRAILER_MASK_, %eax
	cmpl	$FAST_OPTIONS_, %eax
	jne	fall
	movl	L_SEND_SIZE(%esp), %ecx
	leal	-MSGH_HEADER_SIZE(%ecx), %eax
	cmpl	$(FAST_MAX_SEND_ - MSGH_HEADER_SIZE), %eax
	ja	fall
	testb	$3, %cl
	jnz	fall
	movl	ikm_ncached, %eax		/* the kmsg on top of the cache */
	testl	%eax, %eax
	jz	fall
	movl	ikm_cache - 4(, %eax, 4), %eax
	movl	%eax, L_KMSG(%esp)
	movl	IKM_HEADER(%eax), %ebx
	movl	L_MSG(%esp), %esi
	leal	-VM_MIN_USER_(%esi), %eax
	movl	$(VM_MAX_USER_ - VM_MIN_USER_), %edx
	subl	%ecx, %edx
	cmpl	%edx, %eax
	ja	fall
	movl	%ebx, %edi
	shrl	$2, %ecx
	rep movsl
	movl	$0, copy_recover

	/* the header's shape and names */
	cmpl	$0, MSGH_VOUCHER(%ebx)
	jne	fall
	movl	cpu_current_thread, %ebp
	movl	TH_TASK(%ebp), %edi
	movl	TASK_SPACE(%edi), %edi
	movl	MSGH_BITS(%ebx), %eax
	cmpl	$BITS_REQUEST_, %eax
	jne	reply

	/* request: the reply port is the port we receive on */
	movl	MSGH_LOCAL(%ebx), %eax
	cmpl	L_RCV_NAME(%esp), %eax
	jne	fall
	LOOKUP	%eax, %al, %esi, fall
	testl	$MACH_PORT_TYPE_RECEIVE_, IE_BITS(%esi)
	jz	fall
	movl	IE_OBJECT(%esi), %esi
	movl	MSGH_REMOTE(%ebx), %eax
	LOOKUP	%eax, %al, %ecx, fall
	testl	$MACH_PORT_TYPE_SEND_, IE_BITS(%ecx)
	jz	fall
	movl	IE_OBJECT(%ecx), %ecx
	jmp	server

reply:
	cmpl	$BITS_REPLY_, %eax
	jne	fall
	cmpl	$0, MSGH_LOCAL(%ebx)
	jne	fall
	movl	MSGH_REMOTE(%ebx), %eax
	LOOKUP	%eax, %al, %ecx, fall
	movl	IE_BITS(%ecx), %eax
	andl	$IE_BITS_TYPE_MASK_, %eax
	cmpl	$MACH_PORT_TYPE_SEND_ONCE_, %eax
	jne	fall
	cmpb	$0, IE_DNREQUEST(%ecx)
	jne	fall
	movl	%ecx, L_DENTRY(%esp)
	movl	IE_OBJECT(%ecx), %ecx
	movl	L_RCV_NAME(%esp), %eax
	LOOKUP	%eax, %al, %esi, fall
	testl	$MACH_PORT_TYPE_RECEIVE_, IE_BITS(%esi)
	jz	fall
	movl	IE_OBJECT(%esi), %esi

server:
	/* our receive port: nothing queued, not in a set */
	cmpb	$0, IP_ACTIVE(%esi)
	je	fall
	cmpl	$0, IP_PSET(%esi)
	jne	fall
	leal	IP_MESSAGES(%esi), %eax
	cmpl	%eax, IP_MESSAGES(%esi)
	jne	fall
	/* the destination: live, a thread waiting for it in the hot path */
	cmpb	$0, IP_ACTIVE(%ecx)
	je	fall
	leal	IP_RCV_WAITERS(%ecx), %eax
	movl	(%eax), %edx
	cmpl	%eax, %edx
	je	fall
	subl	$TH_WAIT_LINK, %edx
	cmpl	$TH_WAIT_, TH_STATE(%edx)
	jne	fall
	cmpb	$ITH_FAST_WAIT_, TH_FAST(%edx)
	jne	fall
	cmpl	$0, TH_WAIT_EVENT(%edx)
	jne	fall
	cmpb	$0, TH_WAIT_TIMER_ARMED(%edx)
	jne	fall
	/* its buffer takes the message and a format-0 trailer */
	movl	TH_OPTION(%edx), %eax
	shrl	$24, %eax
	andl	$0xf, %eax
	movzbl	mach_msg_trailer_sizes(%eax), %eax
	cmpl	$TRAILER_FORMAT0_SIZE, %eax
	ja	fall
	movl	%eax, L_TSIZE(%esp)
	addl	L_SEND_SIZE(%esp), %eax
	cmpl	TH_MSIZE(%edx), %eax
	ja	fall
	movl	%eax, L_NEED(%esp)
	/* the receive right is in its space; a request needs a free name there */
	movl	TH_TASK(%edx), %eax
	movl	TASK_SPACE(%eax), %eax
	cmpl	%eax, IP_RECEIVER(%ecx)
	jne	fall
	cmpl	$BITS_REQUEST_, MSGH_BITS(%ebx)
	jne	1f
	cmpl	$0, IS_FREE(%eax)
	je	fall
1:	/* we wait without dying; the switch needs no hook and no trace */
	testl	$AST_TERMINATE_, TH_AST(%ebp)
	jnz	fall
	cmpl	$0, sched_switch_hook_threads
	jne	fall
	testl	$TRACE_SCHED_, trace_mask
	jnz	fall

	/* step 2: commit.  The kmsg leaves the cache. */
	decl	ikm_ncached
	incl	ikm_cache_hits
	incl	ipc_kmsgs_alive
	incl	mach_msg_counters + MMC_CACHE_HITS
	incl	mach_msg_counters + MMC_COMBINED
	incl	mach_msg_counters + MMC_HANDOFF
	incl	mach_msg_counters + MMC_COPYOUT_OK
	incl	ipc_mqueue_direct_deliveries

	/* size, trailer, sequence number, the destination's name there */
	movl	L_SEND_SIZE(%esp), %eax
	movl	%eax, MSGH_SIZE(%ebx)
	addl	%ebx, %eax
	movl	$MACH_MSG_TRAILER_FORMAT_0_, TRAILER_TYPE(%eax)
	movl	$0, TRAILER_SENDER(%eax)
	movl	$0, TRAILER_SENDER + 4(%eax)
	movl	L_TSIZE(%esp), %edi
	movl	%edi, TRAILER_SIZE(%eax)
	movl	IP_SEQNO(%ecx), %edi
	movl	%edi, TRAILER_SEQNO(%eax)
	movl	%edi, TH_SEQNO(%edx)
	incl	IP_SEQNO(%ecx)
	movl	IP_RECEIVER_NAME(%ecx), %eax
	movl	%eax, MSGH_LOCAL(%ebx)
	cmpl	$BITS_REQUEST_, MSGH_BITS(%ebx)
	jne	commit_reply

	/*
	 * request: the send right copied in is used up by the copyout (the
	 * destination's counts do not change); the send-once right made
	 * for our port gets the server space's first free name.
	 */
	incl	IP_SORIGHTS(%esi)
	incl	IP_REFERENCES(%esi)
	movl	TH_TASK(%edx), %edi
	movl	TASK_SPACE(%edi), %edi
	movl	IS_FREE(%edi), %ecx
	movl	%ecx, L_INDEX(%esp)
	leal	(%ecx, %ecx, 4), %ecx
	shll	$2, %ecx
	addl	IS_TABLE(%edi), %ecx
	movl	IE_NEXT(%ecx), %eax
	movl	%eax, IS_FREE(%edi)
	incl	IS_USED(%edi)
	movl	$0, IE_NEXT(%ecx)
	movl	%esi, IE_OBJECT(%ecx)
	movl	$(MACH_PORT_TYPE_SEND_ONCE_ | 1), IE_BITS(%ecx)
	movl	L_INDEX(%esp), %eax
	shll	$8, %eax
	movb	IE_GEN(%ecx), %al
	movl	%eax, MSGH_REMOTE(%ebx)
	movl	$BITS_REQUEST_OUT_, MSGH_BITS(%ebx)
	jmp	handoff

commit_reply:
	/*
	 * reply: our send-once entry is freed; the right it held is used up
	 * by the server's receive.
	 */
	decl	IP_SORIGHTS(%ecx)
	decl	IP_REFERENCES(%ecx)		/* not the last: the receive right holds one */
	movl	L_DENTRY(%esp), %ecx
	movl	$0, IE_BITS(%ecx)
	movl	$0, IE_OBJECT(%ecx)
	movb	IE_GEN(%ecx), %al
	incb	%al
	cmpb	$0xff, %al			/* MACH_PORT_DEAD stays unreachable */
	jne	2f
	xorl	%eax, %eax
2:	movb	%al, IE_GEN(%ecx)
	movl	cpu_current_thread, %edi
	movl	TH_TASK(%edi), %edi
	movl	TASK_SPACE(%edi), %edi
	movl	IS_FREE(%edi), %eax
	movl	%eax, IE_NEXT(%ecx)
	movl	MSGH_REMOTE(%ebx), %eax
	shrl	$8, %eax
	movl	%eax, IS_FREE(%edi)
	decl	IS_USED(%edi)
	movl	$0, MSGH_REMOTE(%ebx)
	movl	$BITS_REPLY_OUT_, MSGH_BITS(%ebx)

handoff:
	/* the server: off the waiters, its receive finished, runnable */
	movl	TH_WAIT_LINK(%edx), %eax	/* queue_remove */
	movl	TH_WAIT_LINK + 4(%edx), %ecx
	movl	%eax, (%ecx)
	movl	%ecx, 4(%eax)
	movl	$0, TH_WAIT_LINK(%edx)
	movl	$0, TH_WAIT_LINK + 4(%edx)
	movl	$MACH_MSG_SUCCESS_, TH_MSTATE(%edx)
	movl	L_KMSG(%esp), %eax
	movl	%eax, TH_KMSG(%edx)
	movl	L_NEED(%esp), %eax
	movl	%eax, TH_MSIZE(%edx)
	movb	$ITH_FAST_READY_, TH_FAST(%edx)
	movl	$THREAD_AWAKENED_, TH_WAIT_RESULT(%edx)
	movl	$TH_RUN_, TH_STATE(%edx)

	/* us: waiting on our receive port (enqueue_tail), in the hot path */
	movl	$MACH_RCV_IN_PROGRESS_, TH_MSTATE(%ebp)
	movl	L_OPTION(%esp), %eax
	movl	%eax, TH_OPTION(%ebp)
	movl	L_RCV_SIZE(%esp), %eax
	movl	%eax, TH_MSIZE(%ebp)
	movl	$0, TH_KMSG(%ebp)
	movb	$ITH_FAST_WAIT_, TH_FAST(%ebp)
	leal	IP_RCV_WAITERS(%esi), %eax	/* the list head */
	leal	TH_WAIT_LINK(%ebp), %ecx	/* our link */
	movl	4(%eax), %edi			/* the last element */
	movl	%eax, (%ecx)
	movl	%edi, 4(%ecx)
	movl	%ecx, (%edi)
	movl	%ecx, 4(%eax)
	movl	$TH_WAIT_, TH_STATE(%ebp)
	movl	$0, TH_WAIT_EVENT(%ebp)
	movl	$THREAD_INTERRUPTIBLE_, TH_INTERRUPTIBLE(%ebp)
	movl	$THREAD_WAITING_, TH_WAIT_RESULT(%ebp)

	/* step 3: context_switch_to (kern/sched_switch.h) the server */
	incl	sched_switches
	incl	sched_handoffs
	movl	%edx, cpu_current_thread
	movl	$QUANTUM_TICKS_, TH_QUANTUM(%edx)
	movl	TH_TASK(%edx), %eax
	movl	TASK_PMAP(%eax), %eax		/* a user task's: never NULL */
	cmpl	%eax, current_pmap
	je	3f
	movl	%eax, current_pmap
	movl	PMAP_PD_PA(%eax), %eax
	movl	%eax, %cr3
3:	movl	TH_KSTACK(%edx), %eax
	addl	$KSTACK_SIZE_, %eax
	movl	%eax, ktss + TSS_ESP0
	xorl	%eax, %eax
	cmpl	$0, TH_AST(%edx)
	setne	%al
	movl	%eax, ast_pending
	/* the frame switch_context leaves: it resumes us at `resume' */
	pushl	$resume
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, TH_KSP(%ebp)
	movl	%ebp, %eax			/* switch_context's result: prev */
	movl	TH_KSP(%edx), %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

resume:
	/* step 4: EBP is us again, ESP our locals */
	cmpb	$ITH_FAST_READY_, TH_FAST(%ebp)
	jne	resume_general
	movb	$ITH_FAST_NONE_, TH_FAST(%ebp)
	movl	TH_KMSG(%ebp), %edx
	movl	$0, TH_KMSG(%ebp)
	movl	TH_MSIZE(%ebp), %ecx
	movl	L_MSG(%esp), %edi		/* mach_msg receives into msg */
	leal	-VM_MIN_USER_(%edi), %eax
	movl	$(VM_MAX_USER_ - VM_MIN_USER_), %esi
	subl	%ecx, %esi
	cmpl	%esi, %eax
	ja	copyout_fault
	movl	IKM_HEADER(%edx), %esi
	shrl	$2, %ecx
	movl	$copyout_fault, copy_recover
	rep movsl
	movl	$0, copy_recover
	/* the kmsg back to the cache (ikm_cache_put), else freed */
	cmpb	$0, IKM_CACHED(%edx)
	je	free_kmsg
	movl	ikm_ncached, %eax
	cmpl	$IKM_CACHE_SLOTS_, %eax
	jae	free_kmsg
	movl	%edx, ikm_cache(, %eax, 4)
	incl	ikm_ncached
	decl	ipc_kmsgs_alive
	xorl	%eax, %eax			/* MACH_MSG_SUCCESS */
done:
	movl	L_TF(%esp), %ecx
	movl	%eax, TF_EAX(%ecx)
	addl	$LOCALS, %esp
	ret

free_kmsg:
	pushl	%edx
	call	ipc_kmsg_free
	addl	$4, %esp
	xorl	%eax, %eax
	jmp	done

copyout_fault:
	/* the rights are in our space already: as fast_put, the kmsg goes */
	movl	$0, copy_recover
	pushl	%edx
	call	ipc_kmsg_free
	addl	$4, %esp
	movl	$MACH_RCV_INVALID_DATA_, %eax
	jmp	done

resume_general:
	/* a general send's message, an abort, a dead port: the C half */
	pushl	L_OPTION(%esp)
	pushl	L_MSG + 4(%esp)
	pushl	%ebp
	call	mach_msg_fast_resume
	addl	$12, %esp
	jmp	done

fall:
	/* step 1 found something else (or a user fault): the C path */
	movl	$0, copy_recover
	addl	$LOCALS, %esp
	jmp	mach_msg_trap_frame
	.size	mach_msg_asm, . - mach_msg_asm

	.section .note.GNU-stack, "", @progbits
