/*
 * Global descriptor table: flat kernel and user code/data segments, the
 * task-state segment used for ring-3 -> ring-0 stack switches, and a
 * second TSS that the double-fault task gate switches to, so a kernel
 * stack overflow is reported instead of triple-faulting.
 */
#include <kern/types.h>
#include <kern/lib.h>
#include <machine/seg.h>
#include <machine/cpu.h>

struct seg_desc {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_hi_flags;
	uint8_t base_hi;
};
_Static_assert(sizeof(struct seg_desc) == 8, "descriptor layout is fixed by the CPU");

#define ACC_P		0x80
#define ACC_DPL(d)	((d) << 5)
#define ACC_S		0x10	/* code/data */
#define ACC_CODE	0x0a	/* execute/read */
#define ACC_DATA	0x02	/* read/write */
#define ACC_TSS32	0x09	/* available 32-bit TSS */
#define FL_G		0x80	/* 4 KiB granularity */
#define FL_D		0x40	/* 32-bit */

static struct seg_desc gdt[GDT_NENTRIES] __aligned(8);
struct i386_tss ktss __aligned(16);
static struct i386_tss dftss __aligned(16);
static uint8_t dfstack[4096] __aligned(16);

static void set_desc(int i, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	gdt[i].limit_lo = limit & 0xffff;
	gdt[i].base_lo = base & 0xffff;
	gdt[i].base_mid = (base >> 16) & 0xff;
	gdt[i].access = access;
	gdt[i].limit_hi_flags = ((limit >> 16) & 0x0f) | flags;
	gdt[i].base_hi = (base >> 24) & 0xff;
}

extern void double_fault_task(void);

/*
 * gdt_init: load the GDT and the TSS, reload every segment register.
 * Called once at boot with interrupts off.
 */
void gdt_init(void)
{
	set_desc(GDT_KCODE, 0, 0xfffff, ACC_P | ACC_DPL(0) | ACC_S | ACC_CODE, FL_G | FL_D);
	set_desc(GDT_KDATA, 0, 0xfffff, ACC_P | ACC_DPL(0) | ACC_S | ACC_DATA, FL_G | FL_D);
	set_desc(GDT_UCODE, 0, 0xfffff, ACC_P | ACC_DPL(3) | ACC_S | ACC_CODE, FL_G | FL_D);
	set_desc(GDT_UDATA, 0, 0xfffff, ACC_P | ACC_DPL(3) | ACC_S | ACC_DATA, FL_G | FL_D);

	memset(&ktss, 0, sizeof(ktss));
	ktss.ss0 = KERNEL_DS;
	ktss.iomap_base = sizeof(ktss);		/* no I/O bitmap: all ports trap */
	set_desc(GDT_TSS, (uint32_t)&ktss, sizeof(ktss) - 1, ACC_P | ACC_TSS32, 0);

	memset(&dftss, 0, sizeof(dftss));
	dftss.esp = dftss.esp0 = (uint32_t)(dfstack + sizeof(dfstack));
	dftss.ss = dftss.ss0 = KERNEL_DS;
	dftss.ds = dftss.es = dftss.fs = dftss.gs = KERNEL_DS;
	dftss.cs = KERNEL_CS;
	dftss.eip = (uint32_t)double_fault_task;
	dftss.cr3 = read_cr3();
	dftss.iomap_base = sizeof(dftss);
	set_desc(GDT_DFTSS, (uint32_t)&dftss, sizeof(dftss) - 1, ACC_P | ACC_TSS32, 0);

	struct { uint16_t limit; uint32_t base; } __packed gdtr = {
		sizeof(gdt) - 1, (uint32_t)gdt
	};
	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\tmovw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
		"movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
		"movw %w3, %%ax\n\tltr %%ax"
		: : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "i"(TSS_SEL)
		: "eax", "memory");
}

static inline void wrmsr(uint32_t msr, uint32_t lo, uint32_t hi)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"(lo), "d"(hi));
}

/*
 * sysenter_init: program the SYSENTER MSRs.  SYSEXIT derives the user
 * selectors from SYSENTER_CS: CS + 16 | 3 = USER_CS and CS + 24 | 3 =
 * USER_DS, which the GDT's order guarantees (checked below).
 */
void sysenter_init(void)
{
	extern char sysenter_entry[], sysenter_scratch_top[];
	_Static_assert(USER_CS == (KERNEL_CS + 16) + 3, "SYSEXIT's code selector");
	_Static_assert(USER_DS == (KERNEL_CS + 24) + 3, "SYSEXIT's stack selector");
	wrmsr(0x174, KERNEL_CS, 0);			/* IA32_SYSENTER_CS */
	wrmsr(0x175, (uint32_t)sysenter_scratch_top, 0);	/* IA32_SYSENTER_ESP */
	wrmsr(0x176, (uint32_t)sysenter_entry, 0);	/* IA32_SYSENTER_EIP */
}


/* dftss_set_cr3: the double-fault task runs on the kernel page directory. */
void dftss_set_cr3(uint32_t cr3)
{
	dftss.cr3 = cr3;
}
