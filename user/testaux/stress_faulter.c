/*
 * testaux/stress_faulter: a task that faults over and over during the load
 * test (tests/stress_rpc), its faults handled by the test (it inherits the
 * test's exception port for EXC_BAD_ACCESS).  Each of STRESS_FAULT_ROUNDS
 * rounds touches STRESS_FAULT_PAGES pages it never allocated, one after
 * another; the handler maps each page and resumes it.  After a round the
 * pages are freed again, so the next round faults on them anew and the
 * task's memory stays bounded.  Exits 0 if every page read as zeros when
 * first touched and kept what was written; 1-3 name the check that failed.
 */
#include <stdint.h>
#include <mach/mach.h>
#include <mk/mach_vm.h>
#include "stress_proto.h"

#define FAULT_BASE	0x50000000u

int main(void)
{
	for (uint32_t r = 0; r < STRESS_FAULT_ROUNDS; r++) {
		for (uint32_t i = 0; i < STRESS_FAULT_PAGES; i++) {
			volatile uint32_t *p = (volatile uint32_t *)(FAULT_BASE + i * 4096);
			if (p[1] != 0)
				return 1;
			p[1] = r * STRESS_FAULT_PAGES + i + 1;
		}
		for (uint32_t i = 0; i < STRESS_FAULT_PAGES; i++)
			if (((volatile uint32_t *)(FAULT_BASE + i * 4096))[1] !=
			    r * STRESS_FAULT_PAGES + i + 1)
				return 2;
		if (vm_deallocate(mach_task_self(), FAULT_BASE, STRESS_FAULT_PAGES * 4096) !=
		    KERN_SUCCESS)
			return 3;
	}
	return 0;
}
