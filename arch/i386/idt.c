/*
 * Interrupt descriptor table: the 32 CPU exceptions, the 16 remapped PIC
 * lines, the Mach trap gate (int $0x80, callable from ring 3) and a task
 * gate for double faults.  Breakpoint and overflow gates are also
 * callable from ring 3 so that user int3/into raise #BP/#OF, not #GP.
 */
#include <kern/types.h>
#include <machine/seg.h>
#include <machine/trap.h>

struct gate_desc {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;		/* P | DPL | type */
	uint16_t off_hi;
};
_Static_assert(sizeof(struct gate_desc) == 8, "gate layout is fixed by the CPU");

#define GATE_INTR32	0x8e
#define GATE_TASK	0x85
#define GATE_DPL3	0x60

static struct gate_desc idt[256] __aligned(8);

#define V(n) extern void trap_vec_##n(void);
V(0) V(1) V(2) V(3) V(4) V(5) V(6) V(7) V(8) V(9) V(10) V(11) V(12) V(13)
V(14) V(15) V(16) V(17) V(18) V(19) V(20) V(21) V(22) V(23) V(24) V(25)
V(26) V(27) V(28) V(29) V(30) V(31) V(32) V(33) V(34) V(35) V(36) V(37)
V(38) V(39) V(40) V(41) V(42) V(43) V(44) V(45) V(46) V(47)
#undef V
extern void trap_vec_mach(void);

#define E(n) trap_vec_##n,
static void (*const vectors[48])(void) = {
	E(0) E(1) E(2) E(3) E(4) E(5) E(6) E(7) E(8) E(9) E(10) E(11) E(12)
	E(13) E(14) E(15) E(16) E(17) E(18) E(19) E(20) E(21) E(22) E(23)
	E(24) E(25) E(26) E(27) E(28) E(29) E(30) E(31) E(32) E(33) E(34)
	E(35) E(36) E(37) E(38) E(39) E(40) E(41) E(42) E(43) E(44) E(45)
	E(46) E(47)
};
#undef E

static void set_gate(int n, void (*fn)(void), uint16_t sel, uint8_t type)
{
	uint32_t off = (uint32_t)fn;
	idt[n].off_lo = off & 0xffff;
	idt[n].sel = sel;
	idt[n].zero = 0;
	idt[n].type = type;
	idt[n].off_hi = off >> 16;
}

/* idt_init: fill and load the IDT.  Called once at boot, interrupts off. */
void idt_init(void)
{
	for (int i = 0; i < 48; i++)
		set_gate(i, vectors[i], KERNEL_CS, GATE_INTR32);
	set_gate(T_BPT, vectors[T_BPT], KERNEL_CS, GATE_INTR32 | GATE_DPL3);
	set_gate(T_OFLOW, vectors[T_OFLOW], KERNEL_CS, GATE_INTR32 | GATE_DPL3);
	set_gate(T_DOUBLEFLT, NULL, DFTSS_SEL, GATE_TASK);
	set_gate(T_MACH_TRAP, trap_vec_mach, KERNEL_CS, GATE_INTR32 | GATE_DPL3);

	struct { uint16_t limit; uint32_t base; } __packed idtr = {
		sizeof(idt) - 1, (uint32_t)idt
	};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
