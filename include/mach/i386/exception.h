/*
 * mach/i386/exception.h - i386 codes carried in exception messages.
 *
 * Values are XNU's (osfmk/mach/i386/exception.h).  An exception message
 * carries code[0] and code[1] (EXCEPTION_CODE_MAX of them).  XNU's i386
 * user_trap() (osfmk/i386/trap.c) raises, for a user-mode fault:
 *
 *   CPU trap              exception            code[0]            code[1]
 *   #DE divide error      EXC_ARITHMETIC       EXC_I386_DIV       0
 *   #DB debug             EXC_BREAKPOINT       EXC_I386_SGL       0
 *   #BP int3              EXC_BREAKPOINT       EXC_I386_BPT       0
 *   #OF into              EXC_ARITHMETIC       EXC_I386_INTO      0
 *   #BR bound             EXC_SOFTWARE         EXC_I386_BOUND     0
 *   #UD invalid opcode    EXC_BAD_INSTRUCTION  EXC_I386_INVOP     0
 *   #TS invalid TSS       EXC_BAD_INSTRUCTION  EXC_I386_INVTSSFLT error code
 *   #NP segment absent    EXC_BAD_INSTRUCTION  EXC_I386_SEGNPFLT  error code
 *   #SS stack fault       EXC_BAD_INSTRUCTION  EXC_I386_STKFLT    error code
 *   #GP general prot.     EXC_BAD_INSTRUCTION  EXC_I386_GPFLT     error code
 *   #PF page fault        EXC_BAD_ACCESS       kern_return_t of   fault address
 *                                              the failed fault
 *   #MF x87 error         EXC_ARITHMETIC       EXC_I386_EXTERR    FPU status
 *   #XM SSE error         EXC_ARITHMETIC       EXC_I386_SSEEXTERR MXCSR
 *
 * (The 64-bit XNU kernel later reports #GP as EXC_BAD_ACCESS/EXC_I386_GPFLT.)
 *
 * A Mach trap number the kernel does not implement is not an error return:
 * XNU's mach_call_munger() (osfmk/i386/bsd_i386.c) raises EXC_SYSCALL with
 * code[0] = the (positive) trap number and code[1] = 1.
 */
#ifndef _MACH_I386_EXCEPTION_H_
#define _MACH_I386_EXCEPTION_H_

#define EXC_TYPES_COUNT		14	/* EXC_* values, including illegal 0 */
#define EXCEPTION_CODE_MAX	2	/* code and subcode */

/* EXC_BAD_INSTRUCTION */
#define EXC_I386_INVOP		1

/* EXC_ARITHMETIC */
#define EXC_I386_DIV		1
#define EXC_I386_INTO		2
#define EXC_I386_NOEXT		3
#define EXC_I386_EXTOVR		4
#define EXC_I386_EXTERR		5
#define EXC_I386_EMERR		6
#define EXC_I386_BOUND		7
#define EXC_I386_SSEEXTERR	8

/* EXC_BREAKPOINT */
#define EXC_I386_SGL		1	/* single step */
#define EXC_I386_BPT		2	/* int3 */

/* CPU trap numbers, used as codes where the trap itself is reported. */
#define EXC_I386_DIVERR		0	/* divide by 0 */
#define EXC_I386_SGLSTP		1	/* single step */
#define EXC_I386_NMIFLT		2	/* NMI */
#define EXC_I386_BPTFLT		3	/* breakpoint */
#define EXC_I386_INTOFLT	4	/* INTO overflow */
#define EXC_I386_BOUNDFLT	5	/* BOUND range */
#define EXC_I386_INVOPFLT	6	/* invalid opcode */
#define EXC_I386_NOEXTFLT	7	/* no FPU */
#define EXC_I386_DBLFLT		8	/* double fault */
#define EXC_I386_EXTOVRFLT	9	/* FPU segment overrun */
#define EXC_I386_INVTSSFLT	10	/* invalid TSS */
#define EXC_I386_SEGNPFLT	11	/* segment not present */
#define EXC_I386_STKFLT		12	/* stack fault */
#define EXC_I386_GPFLT		13	/* general protection */
#define EXC_I386_PGFLT		14	/* page fault */
#define EXC_I386_EXTERRFLT	16	/* x87 FPU error */
#define EXC_I386_ALIGNFLT	17	/* alignment check */
#define EXC_I386_ENOEXTFLT	32	/* emulated FPU not present */
#define EXC_I386_ENDPERR	33	/* emulated FPU error */

/* No i386-specific exception types. */
#define EXC_MASK_MACHINE	0

#endif /* _MACH_I386_EXCEPTION_H_ */
