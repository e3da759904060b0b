/*
 * _start: the ELF entry point of every user program.
 *
 * The kernel enters here on the first thread with ESP at the top of the
 * main stack and every other register zero.  There is no argument vector:
 * main gets argc 0 and argv NULL.  main's return value goes to exit(),
 * which flushes buffered output and ends the task with that status.
 */
	.section .text.entry, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	andl	$-16, %esp		/* i386 SysV: 16-byte aligned at calls */
	call	__libmk_init
	subl	$8, %esp		/* keep alignment across two pushes */
	pushl	$0			/* argv */
	pushl	$0			/* argc */
	call	main
	movl	%eax, (%esp)		/* exit(main's status) */
	call	exit
	ud2				/* exit does not return */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
