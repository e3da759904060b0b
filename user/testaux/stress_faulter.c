/*
 * testaux/stress_faulter: a task that faults over and over during the load
 * test (tests/stress_rpc), its faults handled by the test (it inherits the
 * test's exception port).  It touches 64 pages it never allocated, one
 * after another; the handler maps each and resumes it.  Exits 0 if every
 * page then read as zeros and kept what was written.
 */
#include <stdint.h>
#include <mach/mach.h>

#define FAULT_BASE	0x50000000u

int main(void)
{
	for (uint32_t i = 0; i < 64; i++) {
		volatile uint32_t *p = (volatile uint32_t *)(FAULT_BASE + i * 4096);
		if (p[1] != 0)
			return 2;
		p[1] = i + 1;
		if (p[1] != i + 1)
			return 3;
	}
	return 0;
}
