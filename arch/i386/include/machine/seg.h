/*
 * Segment selectors of the flat i386 GDT, and the TSS.
 */
#ifndef _MACHINE_SEG_H_
#define _MACHINE_SEG_H_

#define GDT_KCODE	1
#define GDT_KDATA	2
#define GDT_UCODE	3
#define GDT_UDATA	4
#define GDT_TSS		5
#define GDT_DFTSS	6	/* double-fault task */
#define GDT_NENTRIES	7

#define SEL_KPL		0
#define SEL_UPL		3
#define KERNEL_CS	((GDT_KCODE << 3) | SEL_KPL)	/* 0x08 */
#define KERNEL_DS	((GDT_KDATA << 3) | SEL_KPL)	/* 0x10 */
#define USER_CS		((GDT_UCODE << 3) | SEL_UPL)	/* 0x1b */
#define USER_DS		((GDT_UDATA << 3) | SEL_UPL)	/* 0x23 */
#define TSS_SEL		(GDT_TSS << 3)			/* 0x28 */
#define DFTSS_SEL	(GDT_DFTSS << 3)		/* 0x30 */

#ifndef __ASSEMBLER__
#include <kern/types.h>

/* Hardware 32-bit task-state segment (Intel SDM vol. 3, 7.2.1). */
struct i386_tss {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
};
_Static_assert(sizeof(struct i386_tss) == 104, "TSS layout is fixed by the CPU");

extern struct i386_tss ktss;

void gdt_init(void);
/* tss_set_kstack: the stack the CPU switches to on entry from ring 3. */
static inline void tss_set_kstack(uintptr_t esp0) { ktss.esp0 = esp0; }
/* Program the SYSENTER MSRs for the fast trap entry. */
void sysenter_init(void);
#endif

#endif
