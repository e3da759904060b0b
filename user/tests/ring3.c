/*
 * ring3: the program runs in ring 3 with no I/O privilege.
 *
 * Checks CS and SS (RPL bits 0-1 must be 3), that IOPL (EFLAGS bits
 * 12-13) is 0, and that interrupts are enabled (IF, bit 9) so the kernel
 * can preempt user code.
 */
#include <stdint.h>
#include <mk/tap.h>

#define EFLAGS_IF	(1u << 9)
#define EFLAGS_IOPL	(3u << 12)

int main(void)
{
	uint16_t cs, ss;
	uint32_t eflags;

	__asm__ volatile("movw %%cs, %0" : "=r"(cs));
	__asm__ volatile("movw %%ss, %0" : "=r"(ss));
	__asm__ volatile("pushfl\n\tpopl %0" : "=r"(eflags));

	tap_ok((cs & 3) == 3, "CS 0x%04x has RPL 3", cs);
	tap_ok((ss & 3) == 3, "SS 0x%04x has RPL 3", ss);
	tap_ok((eflags & EFLAGS_IOPL) == 0, "IOPL is 0 (EFLAGS 0x%08x)",
	    eflags);
	tap_ok((eflags & EFLAGS_IF) != 0, "interrupts enabled in user mode");
	return tap_done();
}
