/*
 * The one trap-frame layout.  Every entry into the kernel from an
 * exception, an interrupt or a system call builds exactly this frame on
 * the kernel stack (arch/i386/trap_entry.S); every exit unwinds it.
 * The Mach thread state (i386_thread_state_t) is read from and written to
 * this frame.
 */
#ifndef _MACHINE_TRAP_H_
#define _MACHINE_TRAP_H_

/* CPU exception vectors */
#define T_DIVIDE	0
#define T_DEBUG		1
#define T_NMI		2
#define T_BPT		3
#define T_OFLOW		4
#define T_BOUND		5
#define T_PRIVINFLT	6	/* #UD */
#define T_DNA		7
#define T_DOUBLEFLT	8
#define T_FPOPFLT	9
#define T_TSSFLT	10
#define T_SEGNPFLT	11
#define T_STKFLT	12
#define T_GPFLT		13
#define T_PAGEFLT	14
#define T_FPERR		16
#define T_ALIGN		17
#define T_MCHK		18
#define T_SIMD		19

#define T_IRQ0		32	/* PIC IRQs 0..15 are remapped to 32..47 */
#define T_MACH_TRAP	0x80	/* Mach trap gate (int $0x80) */

/* Page-fault error code bits */
#define PF_P		0x1	/* protection violation (page present) */
#define PF_W		0x2	/* write access */
#define PF_U		0x4	/* from user mode */

/* Offsets used by assembly; checked below. */
#define TF_GS		0
#define TF_EDI		16
#define TF_EAX		44
#define TF_TRAPNO	48
#define TF_ERR		52
#define TF_EIP		56
#define TF_CS		60
#define TF_EFLAGS	64
#define TF_UESP		68
#define TF_SS		72
#define TF_SIZE		76

#ifndef __ASSEMBLER__
#include <kern/types.h>

struct trapframe {
	/* pushed by trap_entry.S */
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, isp;	/* pushal: isp is ignored by popal */
	uint32_t ebx, edx, ecx, eax;
	uint32_t trapno, err;
	/* pushed by the CPU */
	uint32_t eip, cs, eflags;
	uint32_t uesp, ss;		/* only valid when coming from ring 3 */
};

_Static_assert(offsetof(struct trapframe, gs) == TF_GS, "tf gs");
_Static_assert(offsetof(struct trapframe, edi) == TF_EDI, "tf edi");
_Static_assert(offsetof(struct trapframe, eax) == TF_EAX, "tf eax");
_Static_assert(offsetof(struct trapframe, trapno) == TF_TRAPNO, "tf trapno");
_Static_assert(offsetof(struct trapframe, err) == TF_ERR, "tf err");
_Static_assert(offsetof(struct trapframe, eip) == TF_EIP, "tf eip");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "tf cs");
_Static_assert(offsetof(struct trapframe, eflags) == TF_EFLAGS, "tf eflags");
_Static_assert(offsetof(struct trapframe, uesp) == TF_UESP, "tf uesp");
_Static_assert(offsetof(struct trapframe, ss) == TF_SS, "tf ss");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "tf size");

static inline bool tf_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

void trap(struct trapframe *tf);
void trap_init(void);
void trap_print(const struct trapframe *tf);
/* Return-to-user tail in trap_entry.S; a new thread's first frame ends here. */
void trap_return(void) __noreturn;

/* Interrupt handlers registered for PIC lines. */
typedef void (*irq_handler_t)(struct trapframe *tf);
void irq_register(int irq, irq_handler_t fn);
#endif

#endif
