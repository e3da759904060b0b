/*
 * tasks_isolated: tasks have separate address spaces.
 *
 * This task fills a page at 0x20000000 with a pattern and spawns
 * testaux/isolation_peer, which allocates its own page at the same
 * address, must find it all zeros, and writes a pattern of its own.  The
 * child must exit 0 and this task's page must still hold its pattern.
 */
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>

#define ADDR	0x20000000u
#define PAGE	4096u
#define WAIT_S	30

static unsigned char pattern(unsigned int i)
{
	return (unsigned char)(0xc3 ^ i ^ (i >> 8));
}

int main(void)
{
	vm_address_t a = ADDR;
	struct mk_exit_info info = { 0, 0, 0 };
	kern_return_t kr;

	kr = vm_allocate(mach_task_self(), &a, PAGE, VM_FLAGS_FIXED);
	if (!tap_ok(kr == KERN_SUCCESS, "vm_allocate FIXED at 0x%08x (kr %d)",
	    ADDR, kr))
		return tap_done();
	volatile unsigned char *p = (volatile unsigned char *)ADDR;
	for (unsigned int i = 0; i < PAGE; i++)
		p[i] = pattern(i);

	int task = mk_spawn("testaux/isolation_peer");
	if (!tap_ok(task > 0, "isolation_peer spawned (%d)", task))
		return tap_done();
	kr = mk_task_wait(task, WAIT_S * mk_info(MK_INFO_HZ), &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(task);
		(void)mk_task_wait(task, WAIT_S * mk_info(MK_INFO_HZ), &info);
	}
	tap_ok(kr == KERN_SUCCESS, "isolation_peer waited for (kr %d)", kr);
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 0,
	    "isolation_peer saw a zero-filled page of its own "
	    "(how %d, code %d)", info.how, info.code);

	unsigned int bad = 0;
	for (unsigned int i = 0; i < PAGE; i++)
		if (p[i] != pattern(i))
			bad++;
	tap_ok(bad == 0, "this task's page kept its pattern (%u bytes "
	    "changed)", bad);
	(void)vm_deallocate(mach_task_self(), a, PAGE);
	return tap_done();
}
