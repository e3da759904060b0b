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

int copyin(const void *user_src, void *kernel_dst, size_t len);
int copyout(const void *kernel_src, void *user_dst, size_t len);

/* Is [addr, addr + len) wholly inside user space? */
static inline bool user_range_ok(uintptr_t addr, size_t len)
{
	return addr >= 0x1000u && addr + len >= addr && addr + len <= 0xc0000000u;
}
#endif /* !__ASSEMBLER__ */

#endif
