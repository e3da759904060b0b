/*
 * msg_fast.S: the message hot path's common case in assembly, for
 * mach_msg (trap 31) through sysenter.
 *
 * It does what ipc/mach_msg_fast.c does for a combined send+receive of
 * one of the two RPC header shapes (a request carrying COPY_SEND and
 * MAKE_SEND_ONCE of the port we receive on, or a reply carrying
 * MOVE_SEND_ONCE and no reply port) when a thread waits for it in the
 * hot path (ITH_FAST_WAIT, kern/thread.h):
 *
 *   1. check everything, changing nothing: the arguments and the
 *      message are copied in (into the kmsg on top of the kmsg cache,
 *      which the message uses in place and which stays there), the
 *      names translated, the waiting server and its buffer checked;
 *   2. commit: the rights move (the reply right gets its name in the
 *      server's space at once), the header and trailer are made as the
 *      server receives them, the server leaves its port's waiters and we
 *      join ours, exactly as mach_msg_fast() leaves them;
 *   3. switch to the server: its address space first, where we copy its
 *      message out to its buffer, finishing its receive (ITH_FAST_DONE,
 *      the result in its ith_state); then its stack, with a
 *      switch_context frame for us so that the C scheduler can switch
 *      back to us;
 *   4. once we run again, our receive is usually done the same way: the
 *      result is in ith_state.
 *
 * Anything else at step 1 goes to mach_msg_trap_frame(), the C hot path
 * and its fall-offs, which starts over: nothing has changed.  A wakeup
 * other than a finished receive at step 4 (a general send's message, an
 * abort, a dead port) goes to mach_msg_fast_resume(), the C hot path's
 * receive half.  The counters are the C path's.
 *
 * The kernel is uniprocessor and not preemptible, and interrupts are off:
 * nothing runs between a check and the change it guards.  User memory is
 * read (the sender's, before any kernel state is looked at: a fault there
 * is resolved or falls to the C path, which reports it) and written (the
 * server's, under its address space with cpu_current_thread already the
 * server, so that a fault is resolved in its map, or makes its result
 * MACH_RCV_INVALID_DATA, the rights being in its space already, as
 * fast_put does) only with copy_recover armed.
 *
 * Invariants relied on instead of checks: a thread with ITH_FAST_WAIT is
 * waiting (TH_WAIT, no event, no timer: end_wait() resets ith_fast); a
 * thread on a port's waiter list holds the port's receive right in its
 * task's space, and the port is active with nothing queued
 * (ipc_port_destroy and ipc_port_clear_receiver empty the list; a
 * message goes to a waiter before it is queued); a receive right's port
 * is active; a user task has a pmap.  Structure offsets come from
 * arch/i386/gen/assym.c.
 *
 * Registers through steps 1-3: EBP the current thread, EBX the message
 * header (in the kmsg), ECX the destination port, ESI our receive port,
 * EDX the server thread, EDI our space; EAX is scratch.
 */
#include <assym.h>
#include <machine/trap.h>

/* Locals, below the return address and the trap frame pointer. */
#define L_MSG		0	/* the 5 argument words, as the user gave them */
#define L_OPTION	4
#define L_SEND_SIZE	8
#define L_RCV_SIZE	12
#define L_RCV_NAME	16
#define L_DENTRY	20	/* reply: our send-once entry */
#define L_TSIZE		24	/* the server's trailer size */
#define L_NEED		28	/* message + trailer bytes */
#define L_INDEX		32	/* request: the reply right's index */
#define LOCALS		36
#define L_TF		(LOCALS + 4)	/* struct trapframe * */
#define L_FRAME		(LOCALS + 8)	/* the struct trapframe itself */

#define ARG_WORDS	5	/* msg, option, send_size, rcv_size, rcv_name */

/*
 * LOOKUP name, namelow, entry, fail: ipc_entry_lookup of the name in
 * register `name' (one of EAX..EDX; `namelow' its low byte, the
 * generation) in the space at EDI: the entry's address in `entry', or a
 * jump to fail.
 */
.macro	LOOKUP name, namelow, entry, fail
	movl	\name, \entry
	shrl	$8, \entry			/* the index; 0 is never a name */
	jz	\fail
	cmpl	IS_TABLE_SIZE(%edi), \entry
	jae	\fail
	leal	(\entry, \entry, 4), \entry	/* * IE_SIZE (20) */
	shll	$2, \entry
	addl	IS_TABLE(%edi), \entry
	cmpb	IE_GEN(\entry), \namelow
	jne	\fail
.endm

/*
 * RIGHT name, namelow, reg, type: LOOKUP the name into `reg', which must
 * hold a right of `type' (a MACH_PORT_TYPE_* bit); its port in `reg'.
 */
.macro	RIGHT name, namelow, reg, type
	LOOKUP	\name, \namelow, \reg, fall
	testl	$\type, IE_BITS(\reg)
	jz	fall
	movl	IE_OBJECT(\reg), \reg
.endm

/*
 * WAITER: with ECX the destination, find the thread waiting for the
 * message in the hot path (EDX).  Nobody, or a thread in the general
 * receive (a kernel reply port's, say): fall.
 */
.macro	WAITER
	leal	IP_RCV_WAITERS(%ecx), %eax
	movl	(%eax), %edx
	cmpl	%eax, %edx
	je	fall				/* nobody waits */
	subl	$TH_WAIT_LINK, %edx
	cmpb	$ITH_FAST_WAIT_, TH_FAST(%edx)	/* so TH_WAIT: not aborted */
	jne	fall				/* waits in the general receive */
.endm

/*
 * SERVER: with ESI our receive port and EDX the waiting server, check
 * that we may wait on our port, that the server's buffer takes the
 * message and a format-0 trailer, and that we may wait and switch the
 * quick way.  Anything else: fall.
 */
.macro	SERVER
	cmpl	$0, IP_PSET(%esi)		/* we receive on the port alone */
	jne	fall
	leal	IP_MESSAGES(%esi), %eax		/* with nothing queued */
	cmpl	%eax, IP_MESSAGES(%esi)
	jne	fall
	movl	TH_OPTION(%edx), %eax
	shrl	$24, %eax			/* GET_RCV_ELEMENTS */
	andl	$0xf, %eax
	movzbl	mach_msg_trailer_sizes(%eax), %eax
	cmpl	$TRAILER_FORMAT0_SIZE, %eax
	ja	fall
	movl	%eax, L_TSIZE(%esp)
	addl	L_SEND_SIZE(%esp), %eax
	cmpl	TH_MSIZE(%edx), %eax
	ja	fall				/* the general send reports it */
	movl	%eax, L_NEED(%esp)
	testl	$AST_TERMINATE_, TH_AST(%ebp)
	jnz	fall				/* our wait would end at once */
.endm

/*
 * COMMIT: the first changes, for both shapes: the counters, the
 * message's size, its trailer and sequence number, and the name the
 * server knows the destination by.
 */
.macro	COMMIT
	incl	mach_msg_asm_deliveries		/* mach_msg_counters_sync() */
	movl	L_SEND_SIZE(%esp), %eax
	movl	%eax, MSGH_SIZE(%ebx)
	addl	%ebx, %eax			/* the trailer */
	movl	$MACH_MSG_TRAILER_FORMAT_0_, TRAILER_TYPE(%eax)
	movl	L_TSIZE(%esp), %edi
	movl	%edi, TRAILER_SIZE(%eax)
	cmpl	$TRAILER_SEQNO, %edi
	jbe	1f				/* the null trailer: no more */
	movl	IP_SEQNO(%ecx), %edi
	movl	%edi, TRAILER_SEQNO(%eax)
	movl	$0, TRAILER_SENDER(%eax)	/* a user task's token */
	movl	$0, TRAILER_SENDER + 4(%eax)
1:	incl	IP_SEQNO(%ecx)
	movl	IP_RECEIVER_NAME(%ecx), %eax
	movl	%eax, MSGH_LOCAL(%ebx)
.endm

	.text
	.p2align 4
/*
 * mach_msg_asm(struct trapframe *tf): from sysenter_entry, for
 * mach_msg_trap.  Stores the mach_msg result in tf->eax and returns, or
 * goes to mach_msg_trap_frame(tf) with the stack as it found it.  May
 * block.  Changes any register.
 */
	.globl	mach_msg_asm
	.type	mach_msg_asm, @function
mach_msg_asm:
	movl	8 + TF_UESP(%esp), %esi		/* the arguments start at ESI + 4 */
	leal	4 - VM_MIN_USER_(%esi), %eax
	cmpl	$(VM_MAX_USER_ - VM_MIN_USER_ - 4 * ARG_WORDS), %eax
	ja	mach_msg_trap_frame
	movl	$fall, copy_recover
	cmpl	$MACH_MSG_OPTION_NONE_, 4 + L_OPTION(%esi)
	je	null				/* does nothing, successfully */
	cmpb	$0, mach_msg_asm_enabled	/* hot path on, plain switches */
	je	fall

	/* step 1: the arguments and the message, the only user reads */
	subl	$LOCALS, %esp
	addl	$4, %esi
	movl	%esp, %edi
	movl	$ARG_WORDS, %ecx
	rep movsl
	movl	L_OPTION(%esp), %eax
	andl	$~MACH_RCV_TRAILER_MASK_, %eax
	cmpl	$FAST_OPTIONS_, %eax
	jne	fall
	movl	L_SEND_SIZE(%esp), %ecx	/* whole words, header to FAST_ASM_MAX_SEND */
	leal	-MSGH_HEADER_SIZE(%ecx), %eax
	testl	$~(FAST_ASM_MAX_SEND_ - MSGH_HEADER_SIZE), %eax
	jnz	fall
	movl	ikm_ncached, %eax		/* the kmsg on top of the cache */
	testl	%eax, %eax
	jz	fall
	movl	ikm_cache - 4(, %eax, 4), %eax
	movl	IKM_HEADER(%eax), %ebx
	movl	L_MSG(%esp), %esi		/* good for FAST_RCV_SPAN bytes */
	leal	-VM_MIN_USER_(%esi), %eax
	cmpl	$(VM_MAX_USER_ - VM_MIN_USER_ - FAST_RCV_SPAN_), %eax
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

	/* request: a server waiting; the reply port is the port we receive on */
	movl	MSGH_REMOTE(%ebx), %eax
	RIGHT	%eax, %al, %ecx, MACH_PORT_TYPE_SEND_
	WAITER
	movl	MSGH_LOCAL(%ebx), %eax
	cmpl	L_RCV_NAME(%esp), %eax
	jne	fall
	RIGHT	%eax, %al, %esi, MACH_PORT_TYPE_RECEIVE_
	SERVER
	movl	TH_TASK(%edx), %edi		/* the server's space ... */
	movl	TASK_SPACE(%edi), %edi
	movl	IS_FREE(%edi), %eax		/* ... has a name free */
	testl	%eax, %eax
	jz	fall

	/*
	 * step 2, request.  The send right copied in is used up by the
	 * copyout (the destination's counts do not change); the send-once
	 * right made for our port takes the server space's first free name.
	 */
	COMMIT
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

reply:
	/* reply: a send-once right, no reply port */
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
	WAITER
	movl	L_RCV_NAME(%esp), %eax
	RIGHT	%eax, %al, %esi, MACH_PORT_TYPE_RECEIVE_
	SERVER

	/*
	 * step 2, reply.  Our send-once entry is freed; the right it held is
	 * used up by the server's receive.
	 */
	COMMIT
	decl	IP_SORIGHTS(%ecx)
	decl	IP_REFERENCES(%ecx)		/* not the last: the receive right holds one */
	movl	L_DENTRY(%esp), %ecx
	movl	$0, IE_BITS(%ecx)
	movl	$0, IE_OBJECT(%ecx)
	movb	IE_GEN(%ecx), %al
	incb	%al
	cmpb	$0xff, %al			/* MACH_PORT_DEAD stays unreachable */
	jne	1f
	xorl	%eax, %eax
1:	movb	%al, IE_GEN(%ecx)
	movl	TH_TASK(%ebp), %edi
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
	/* the server leaves its port's waiters (queue_remove) */
	movl	TH_WAIT_LINK(%edx), %eax
	movl	TH_WAIT_LINK + 4(%edx), %ecx
	movl	%eax, (%ecx)
	movl	%ecx, 4(%eax)
	movl	$0, TH_WAIT_LINK(%edx)
	movl	$0, TH_WAIT_LINK + 4(%edx)

	/* we wait on our receive port (enqueue_tail), in the hot path */
	movl	$MACH_RCV_IN_PROGRESS_, TH_MSTATE(%ebp)
	movl	L_OPTION(%esp), %eax
	movl	%eax, TH_OPTION(%ebp)
	movl	L_RCV_SIZE(%esp), %eax
	movl	%eax, TH_MSIZE(%ebp)
	movl	L_MSG(%esp), %eax		/* mach_msg receives into msg */
	movl	%eax, TH_RCV_BUF(%ebp)
	movl	$0, TH_KMSG(%ebp)
	movb	$ITH_FAST_WAIT_, TH_FAST(%ebp)
	leal	IP_RCV_WAITERS(%esi), %eax	/* the list head */
	leal	TH_WAIT_LINK(%ebp), %ecx	/* our link */
	movl	4(%eax), %edi			/* the last element */
	movl	%eax, (%ecx)
	movl	%edi, 4(%ecx)
	movl	%ecx, (%edi)
	movl	%ecx, 4(%eax)
	movl	$TH_WAIT_, TH_STATE(%ebp)	/* assert_wait_noevent */
	movl	$0, TH_WAIT_EVENT(%ebp)
	movl	$THREAD_INTERRUPTIBLE_, TH_INTERRUPTIBLE(%ebp)
	movl	$THREAD_WAITING_, TH_WAIT_RESULT(%ebp)

	/* step 3: context_switch_to (kern/sched_switch.h) the server */
	movl	%edx, cpu_current_thread
	movl	$QUANTUM_TICKS_, TH_QUANTUM(%edx)
	movl	TH_TASK(%edx), %eax
	movl	TASK_PMAP(%eax), %eax
	cmpl	%eax, current_pmap
	je	2f
	movl	%eax, current_pmap
	movl	PMAP_PD_PA(%eax), %eax
	movl	%eax, %cr3
2:	/* in its address space: its message to its buffer (FAST_RCV_SPAN) */
	movl	L_NEED(%esp), %ecx
	movl	TH_RCV_BUF(%edx), %edi
	movl	%ebx, %esi
	shrl	$2, %ecx
	movl	$copyout_fault, copy_recover
	rep movsl
	movl	$0, copy_recover
	movl	$MACH_MSG_SUCCESS_, %eax
3:	movl	%eax, TH_MSTATE(%edx)		/* its receive is done */
	movb	$ITH_FAST_DONE_, TH_FAST(%edx)
	movl	$THREAD_AWAKENED_, TH_WAIT_RESULT(%edx)	/* clear_wait_handoff_noevent */
	movl	$TH_RUN_, TH_STATE(%edx)
	movl	TH_KSTACK(%edx), %eax		/* pcb_switch_in */
	addl	$KSTACK_SIZE_, %eax
	movl	%eax, ktss + TSS_ESP0
	movl	TH_AST(%edx), %eax		/* ast_pending: non-zero if any */
	movl	%eax, ast_pending
	/* a switch_context frame (edi, esi, ebx, ebp, return) for us */
	pushl	$resume
	pushl	%ebp
	subl	$12, %esp			/* EBX, ESI, EDI: nothing kept */
	movl	%esp, TH_KSP(%ebp)
	movl	%ebp, %eax			/* switch_context's result: prev */
	movl	TH_KSP(%edx), %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret

copyout_fault:
	/* its buffer is bad: its rights are in its space already (fast_put) */
	movl	$0, copy_recover
	movl	$MACH_RCV_INVALID_DATA_, %eax
	jmp	3b

resume:
	/* step 4: EBP is us again, ESP our locals */
	cmpb	$ITH_FAST_DONE_, TH_FAST(%ebp)
	jne	resume_general
	movb	$ITH_FAST_NONE_, TH_FAST(%ebp)
	movl	TH_MSTATE(%ebp), %eax
done:
	movl	%eax, L_FRAME + TF_EAX(%esp)
	addl	$LOCALS, %esp
	ret

resume_general:
	pushl	L_OPTION(%esp)
	pushl	L_MSG + 4(%esp)
	pushl	%ebp
	call	mach_msg_fast_resume
	addl	$12, %esp
	jmp	done

null:
	movl	$0, copy_recover
	movl	$MACH_MSG_SUCCESS_, 8 + TF_EAX(%esp)
	ret

fall:
	/*
	 * step 1 found something else, or a user read faulted, or the hot
	 * path is off: the C path, with the stack as we found it (below the
	 * trap frame at the top of our kernel stack: the frame pointer and
	 * our return address).
	 */
	movl	$0, copy_recover
	movl	ktss + TSS_ESP0, %esp
	subl	$(TF_SIZE + 8), %esp
	jmp	mach_msg_trap_frame
	.size	mach_msg_asm, . - mach_msg_asm

	.section .note.GNU-stack, "", @progbits
