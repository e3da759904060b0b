/*
 * vm_alloc: vm_allocate / vm_deallocate in the task's own map.
 *
 * Anywhere allocation gives zero-filled, writable, page-aligned memory;
 * after vm_deallocate the same range can be allocated FIXED again (so it
 * was really unmapped) and reads as zeros again; a FIXED allocation that
 * overlaps a live one fails with KERN_NO_SPACE; nonsense arguments fail
 * (an impossible size, a FIXED address in kernel space, a range that
 * wraps), and deallocating kernel space does no harm.
 */
#include <stdint.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>

#define SIZE		(64u * 1024u)
#define PAGE		4096u
#define KERNEL_ADDR	0xc0000000u

/* The byte the pattern puts at offset i. */
static uint8_t pattern(uint32_t i)
{
	return (uint8_t)((i * 7u + 3u) ^ (i >> 8));
}

/* Returns the offset of the first nonzero byte, or -1 if all are zero. */
static long first_nonzero(const volatile uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != 0)
			return (long)i;
	return -1;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	vm_address_t a = 0, b, c;
	kern_return_t kr;
	long bad;

	kr = vm_allocate(self, &a, SIZE, VM_FLAGS_ANYWHERE);
	if (!tap_ok(kr == KERN_SUCCESS, "vm_allocate anywhere 64 KiB (kr %d)",
	    kr))
		return tap_done();
	tap_ok(a != 0 && (a & (PAGE - 1)) == 0 && a + SIZE <= KERNEL_ADDR,
	    "address 0x%08lx is page aligned user space", (unsigned long)a);

	volatile uint8_t *p = (volatile uint8_t *)a;
	bad = first_nonzero(p, SIZE);
	tap_ok(bad < 0, "new memory reads as zeros (first nonzero byte: %ld)",
	    bad);

	for (uint32_t i = 0; i < SIZE; i++)
		p[i] = pattern(i);
	bad = -1;
	for (uint32_t i = 0; i < SIZE && bad < 0; i++)
		if (p[i] != pattern(i))
			bad = (long)i;
	tap_ok(bad < 0, "pattern written and read back (first bad byte: %ld)",
	    bad);

	c = a + PAGE;
	kr = vm_allocate(self, &c, 2 * PAGE, VM_FLAGS_FIXED);
	tap_ok(kr == KERN_NO_SPACE,
	    "FIXED allocation inside a live region: KERN_NO_SPACE (kr %d)", kr);
	tap_ok(p[PAGE] == pattern(PAGE), "failed allocation left data alone");

	kr = vm_deallocate(self, a, SIZE);
	tap_ok(kr == KERN_SUCCESS, "vm_deallocate (kr %d)", kr);

	b = a;
	kr = vm_allocate(self, &b, SIZE, VM_FLAGS_FIXED);
	tap_ok(kr == KERN_SUCCESS && b == a,
	    "FIXED allocation at the freed address (kr %d, 0x%08lx)", kr,
	    (unsigned long)b);
	if (kr == KERN_SUCCESS) {
		bad = first_nonzero(p, SIZE);
		tap_ok(bad < 0, "reallocated memory reads as zeros "
		    "(first nonzero byte: %ld)", bad);
		kr = vm_deallocate(self, b, SIZE);
		tap_ok(kr == KERN_SUCCESS, "vm_deallocate again (kr %d)", kr);
	}

	c = 0;
	kr = vm_allocate(self, &c, 0xffffff00u, VM_FLAGS_ANYWHERE);
	tap_ok(kr != KERN_SUCCESS, "vm_allocate of 0xffffff00 bytes fails "
	    "(kr %d)", kr);
	if (kr == KERN_SUCCESS)
		(void)vm_deallocate(self, c, 0xffffff00u);

	c = KERNEL_ADDR;
	kr = vm_allocate(self, &c, PAGE, VM_FLAGS_FIXED);
	tap_ok(kr != KERN_SUCCESS, "FIXED allocation in kernel space fails "
	    "(kr %d)", kr);

	kr = vm_deallocate(self, 0xfffff000u, 2 * PAGE);
	tap_ok(kr == KERN_INVALID_ARGUMENT,
	    "vm_deallocate of a range that wraps: KERN_INVALID_ARGUMENT "
	    "(kr %d)", kr);

	/*
	 * Mach clamps a deallocation to the task's map, so a range in kernel
	 * space is ignored (XNU and GNU Mach return KERN_SUCCESS); refusing
	 * it with KERN_INVALID_ADDRESS would be fine too.  Either way the
	 * kernel must be unharmed: this task's next trap still works.
	 */
	kr = vm_deallocate(self, KERNEL_ADDR + 0x100000u, PAGE);
	tap_ok((kr == KERN_SUCCESS || kr == KERN_INVALID_ADDRESS) &&
	    mk_info(MK_INFO_HZ) > 0,
	    "vm_deallocate in kernel space is ignored or refused, harmlessly "
	    "(kr %d)", kr);

	return tap_done();
}
