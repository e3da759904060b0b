/*
 * copyin / copyout: see <machine/copyio.h>.
 *
 * The range check and the copy run with copy_recover pointing at
 * copy_fault; kernel_trap() resumes there when a user page fault cannot
 * be resolved.  Interrupts are off in the kernel, so copy_recover cannot
 * be seen by anyone but this copy.
 */
#include <machine/param.h>
#include <machine/copyio.h>

	.text
/* int copyin(const void *user_src, void *kernel_dst, size_t len) */
	.globl	copyin
	.p2align 4
copyin:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %esi
	movl	16(%esp), %edi
	movl	20(%esp), %ecx
	cmpl	$VM_MIN_USER, %esi
	jb	copy_bad
	movl	%esi, %eax
	addl	%ecx, %eax
	jc	copy_bad
	cmpl	$VM_MAX_USER, %eax
	ja	copy_bad
	jmp	copy_common

/* int copyout(const void *kernel_src, void *user_dst, size_t len) */
	.globl	copyout
	.p2align 4
copyout:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %esi
	movl	16(%esp), %edi
	movl	20(%esp), %ecx
	cmpl	$VM_MIN_USER, %edi
	jb	copy_bad
	movl	%edi, %eax
	addl	%ecx, %eax
	jc	copy_bad
	cmpl	$VM_MAX_USER, %eax
	ja	copy_bad

copy_common:
	movl	$copy_fault, copy_recover
	cld
	movl	%ecx, %edx
	shrl	$2, %ecx
	rep movsl
	movl	%edx, %ecx
	andl	$3, %ecx
	rep movsb
	movl	$0, copy_recover
	xorl	%eax, %eax
	popl	%edi
	popl	%esi
	ret

copy_fault:
	movl	$0, copy_recover
copy_bad:
	movl	$COPYIO_FAULT, %eax
	popl	%edi
	popl	%esi
	ret
