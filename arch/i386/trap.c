/*
 * C side of trap handling: interrupts, kernel-mode faults, and the
 * hand-off of user-mode faults to the machine-independent kernel.
 */
#include <kern/types.h>
#include <kern/assert.h>
#include <kern/backtrace.h>
#include <kern/printf.h>
#include <kern/trap_mi.h>
#include <machine/cpu.h>
#include <machine/param.h>
#include <machine/pic.h>
#include <machine/seg.h>
#include <machine/trap.h>
#include <machine/trap_catch.h>

uintptr_t copy_recover;
struct trap_catch *trap_catcher;
static irq_handler_t irq_handlers[NIRQ];

static const char *const trap_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error",
};

extern void idt_init(void);

/* trap_init: IDT and PICs.  Once at boot, interrupts off. */
void trap_init(void)
{
	idt_init();
	pic_init();
}

/* irq_register: call fn for every interrupt on irq, and unmask it. */
void irq_register(int irq, irq_handler_t fn)
{
	irq_handlers[irq] = fn;
	pic_unmask(irq);
}

/* trap_print: dump a trap frame (for panics and fatal user faults). */
void trap_print(const struct trapframe *tf)
{
	const char *name = tf->trapno < 32 && trap_names[tf->trapno]
			   ? trap_names[tf->trapno] : "?";
	printf("trap %u (%s) err %#x eip %08x cs %04x eflags %08x cr2 %08x\n",
	       tf->trapno, name, tf->err, tf->eip, tf->cs & 0xffff, tf->eflags,
	       read_cr2());
	printf("eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	printf("esi %08x edi %08x ebp %08x", tf->esi, tf->edi, tf->ebp);
	if (tf_from_user(tf))
		printf(" uesp %08x ss %04x", tf->uesp, tf->ss & 0xffff);
	printf("\n");
}

/* A fault in kernel mode: recover if someone expects it, else panic. */
static void kernel_trap(struct trapframe *tf)
{
	struct trap_catch *c = trap_catcher;
	if (c && c->vector == (int)tf->trapno) {
		c->hits++;
		c->err = tf->err;
		c->cr2 = read_cr2();
		if (c->resume)
			tf->eip = c->resume;
		return;
	}
	if (tf->trapno == T_DEBUG) {
		/* a user trap flag carried into the kernel by sysenter: drop it */
		tf->eflags &= ~EFLAGS_TF;
		return;
	}
	if (tf->trapno == T_PAGEFLT) {
		uintptr_t va = read_cr2();
		if (kernel_page_fault(tf, va))
			return;
		if (copy_recover && va < VM_MAX_USER) {
			tf->eip = copy_recover;
			return;
		}
	}
	printf("\nfatal kernel trap:\n");
	trap_print(tf);
	backtrace_print(tf->eip, tf->ebp);
	panic("kernel trap %u at %#x", tf->trapno, tf->eip);
}

/*
 * trap: entry from alltraps for every vector except the Mach trap gate.
 * Interrupts are off throughout.
 */
void trap(struct trapframe *tf)
{
	uint32_t n = tf->trapno;

	if (n >= T_IRQ0 && n < T_IRQ0 + NIRQ) {
		int irq = (int)(n - T_IRQ0);
		if (irq == 7 || irq == 15) {
			/* spurious? check the in-service register */
			uint16_t cmd = irq == 7 ? 0x20 : 0xa0;
			outb(cmd, 0x0b);
			if ((inb(cmd) & 0x80) == 0) {
				if (irq == 15)
					pic_eoi(2);
				return;
			}
		}
		pic_eoi(irq);
		if (irq_handlers[irq])
			irq_handlers[irq](tf);
		return;
	}
	if (tf_from_user(tf))
		user_trap(tf);
	else
		kernel_trap(tf);
}

/* Called on the double-fault task's own stack. */
void double_fault_report(void);
void double_fault_report(void)
{
	printf("\ndouble fault: kernel stack esp0 %08x (overflow?)\n", ktss.esp0);
	printf("faulting eip %08x esp %08x ebp %08x\n", ktss.eip, ktss.esp, ktss.ebp);
	backtrace_print(ktss.eip, ktss.ebp);
	panic("double fault");
}
