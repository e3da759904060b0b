/*
 * switch_context(uint32_t *old_ksp, uint32_t new_ksp, struct thread *prev)
 *
 * Saves EBP, EBX, ESI, EDI and the return address on the current stack,
 * stores ESP in *old_ksp, switches to new_ksp, restores the same
 * registers from there and returns prev in EAX.  The layout matches
 * struct switch_frame in <machine/pcb.h>.
 *
 * thread_start_trampoline: where a new thread's first switch "returns".
 * Its switch frame holds fn in EBX and arg in ESI; it calls
 * thread_start(prev, fn, arg), which never returns.
 */
	.text
	.globl	switch_context
	.p2align 4
switch_context:
	movl	4(%esp), %eax		/* old_ksp */
	movl	8(%esp), %edx		/* new_ksp */
	movl	12(%esp), %ecx		/* prev */
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%edx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	movl	%ecx, %eax
	ret

	.globl	thread_start_trampoline
thread_start_trampoline:
	pushl	%esi			/* arg */
	pushl	%ebx			/* fn */
	pushl	%eax			/* prev */
	call	thread_start
1:	hlt
	jmp	1b
