/*
 * QEMU's isa-debug-exit device (iobase 0xf4): writing v makes QEMU exit
 * with status (v << 1) | 1.  Without the device the write is ignored.
 */
#ifndef _MACHINE_QEMU_H_
#define _MACHINE_QEMU_H_

#include <machine/cpu.h>

#define QEMU_EXIT_PASS		0x10	/* QEMU exits 33 */
#define QEMU_EXIT_FAIL		0x11	/* QEMU exits 35 */
#define QEMU_EXIT_PANIC		0x12	/* QEMU exits 37 */

static inline void qemu_exit(uint8_t v)
{
	outb(0xf4, v);
}

#endif
