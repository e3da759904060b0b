/*
 * Fault-safe copies between the kernel and the current user address space.
 *
 * Each checks that the whole user range lies in [VM_MIN_USER, VM_MAX_USER)
 * without wrapping, then copies.  A fault on a user page that the VM
 * system cannot resolve ends the copy with an error instead of a panic.
 * They return 0 on success and COPYIO_FAULT on a bad range or a fault;
 * after a fault, part of the destination may have been written.
 */
#ifndef _MACHINE_COPYIO_H_
#define _MACHINE_COPYIO_H_

#define COPYIO_FAULT	1

#ifndef __ASSEMBLER__
#include <kern/types.h>
#include <machine/param.h>

extern uintptr_t copy_recover;	/* where a user fault in a copy resumes */

int copyin(const void *user_src, void *kernel_dst, size_t len);
int copyout(const void *kernel_src, void *user_dst, size_t len);

/* Is [addr, addr + len) wholly inside user space? */
static inline bool user_range_ok(uintptr_t addr, size_t len)
{
	return addr >= 0x1000u && addr + len >= addr && addr + len <= 0xc0000000u;
}

/*
 * copy_words: move n 32-bit words from src to dst with copy_recover
 * armed, the string move the kernel's direction flag (always clear in
 * the kernel: every entry from user mode clears it) runs forwards.
 * Returns 0, or COPYIO_FAULT when a user page fault could not be
 * resolved (kernel_trap resumes at the local label with EAX still
 * COPYIO_FAULT).  The caller has checked the user range.
 */
static inline int copy_words(const void *src, void *dst, size_t n)
{
	int r;
	__asm__ volatile("movl	$1f, copy_recover\n\t"
			 "rep movsl\n\t"
			 "xorl	%0, %0\n"
			 "1:\tmovl	$0, copy_recover"
			 : "=a"(r), "+S"(src), "+D"(dst), "+c"(n)
			 : "0"(COPYIO_FAULT)
			 : "memory");
	return r;
}

/* Is [addr, addr + 4 * n) inside user space?  One compare for small n. */
static inline bool user_words_ok(uintptr_t addr, size_t n)
{
	return addr - VM_MIN_USER <= (VM_MAX_USER - VM_MIN_USER) - 4 * n;
}

/*
 * copyin_words / copyout_words: copyin and copyout of n words (n at most
 * a few thousand), inline for the message hot path.  Same results.
 */
static inline int copyin_words(const void *user_src, void *kernel_dst, size_t n)
{
	if (!user_words_ok((uintptr_t)user_src, n))
		return COPYIO_FAULT;
	return copy_words(user_src, kernel_dst, n);
}

static inline int copyout_words(const void *kernel_src, void *user_dst, size_t n)
{
	if (!user_words_ok((uintptr_t)user_dst, n))
		return COPYIO_FAULT;
	return copy_words(kernel_src, user_dst, n);
}
#endif /* !__ASSEMBLER__ */

#endif
