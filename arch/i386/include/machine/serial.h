/*
 * 16550 UART on COM1: the kernel console.
 */
#ifndef _MACHINE_SERIAL_H_
#define _MACHINE_SERIAL_H_

void serial_init(void);
/* Write one byte, polling until the transmitter has room. */
void serial_putc(int c);
/* Read one byte if one is waiting; -1 otherwise.  Never blocks. */
int serial_getc_nowait(void);
/* Enable the receive interrupt (IRQ 4) once the IDT is up. */
void serial_enable_rx_irq(void);

#endif
