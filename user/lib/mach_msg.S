/*
 * mach_msg and mach_msg_overwrite: the entry points (the rest is in
 * mach_msg.c).
 *
 * A call whose option word has no library option (MACH_SEND_INTERRUPT,
 * MACH_RCV_INTERRUPT) traps at once through sysenter with ECX = ESP:
 * the kernel reads the message trap's arguments at ECX + 4, which are
 * exactly this function's own cdecl arguments, so nothing is copied.
 * MACH_MSG_SUCCESS and every result but the two interrupted ones return
 * to the caller directly; those two go to mach_msg_interrupted(mr, the
 * same arguments), which restarts as XNU's library does.  A call with
 * library options goes to mach_msg_library, which strips them first.
 *
 * The registers kept are those cdecl asks for (EBX, ESI, EDI, EBP, ESP);
 * the kernel keeps them across the trap.
 */
#include <mach/syscall_sw.h>
#include "mach_msg_entry.h"

/* MSGENTRY name, trap number, argument words, C routines */
.macro	MSGENTRY name, number, nargs, library, interrupted
	.text
	.p2align 4
	.globl	\name
	.type	\name, @function
\name:
	testl	$LIBMK_MSG_LIBRARY_OPTIONS, 8(%esp)	/* option */
	jnz	\library
	movl	$\number, %eax
	movl	%esp, %ecx
	movl	$1f, %edx
	sysenter
1:	testl	%eax, %eax
	jnz	2f
	ret
2:	cmpl	$LIBMK_SEND_INTERRUPTED, %eax
	je	3f
	cmpl	$LIBMK_RCV_INTERRUPTED, %eax
	je	3f
	ret
3:	/* \interrupted(mr, the nargs arguments) */
	.rept	\nargs
	pushl	(4 * \nargs)(%esp)
	.endr
	pushl	%eax
	call	\interrupted
	addl	$(4 * (\nargs + 1)), %esp
	ret
	.size	\name, . - \name
.endm

MSGENTRY mach_msg, MACH_TRAP_MACH_MSG, 7, mach_msg_library, mach_msg_interrupted
MSGENTRY mach_msg_overwrite, MACH_TRAP_MACH_MSG_OVERWRITE, 9, \
	mach_msg_overwrite_library, mach_msg_overwrite_interrupted

	.section .note.GNU-stack, "", @progbits
