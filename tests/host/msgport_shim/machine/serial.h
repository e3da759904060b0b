/*
 * Host shim of the serial console: serial_putc appends to a capture
 * buffer the tests read back (shim_serial_text in shim.h).
 */
#ifndef _SHIM_MACHINE_SERIAL_H_
#define _SHIM_MACHINE_SERIAL_H_

void serial_putc(int c);

#endif
