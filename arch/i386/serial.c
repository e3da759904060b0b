/*
 * COM1 16550 UART driver: 115200 baud, 8N1, FIFOs on.  Output is polled;
 * input is read by polling or from the receive interrupt.
 */
#include <kern/types.h>
#include <machine/cpu.h>
#include <machine/serial.h>

#define COM1		0x3f8
#define UART_DATA	0	/* THR/RBR, or DLL with DLAB */
#define UART_IER	1	/* or DLM with DLAB */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

/*
 * serial_init: program COM1.  Called once, first thing at boot, with
 * interrupts off.
 */
void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);		/* DLAB */
	outb(COM1 + UART_DATA, 0x01);		/* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);		/* FIFO on, cleared, 14-byte trigger */
	outb(COM1 + UART_MCR, 0x0b);		/* DTR, RTS, OUT2 (IRQ gate) */
}

/*
 * serial_putc: write one byte; "\n" goes out as "\r\n".  Spins only while
 * the transmitter is full.
 */
void serial_putc(int c)
{
	if (c == '\n')
		serial_putc('\r');
	while ((inb(COM1 + UART_LSR) & LSR_THRE) == 0)
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* serial_getc_nowait: a received byte, or -1 when none is waiting. */
int serial_getc_nowait(void)
{
	if ((inb(COM1 + UART_LSR) & LSR_DR) == 0)
		return -1;
	return inb(COM1 + UART_DATA);
}

/*
 * serial_enable_rx_irq: raise IRQ 4 when a byte arrives, or on a line
 * status change (a BREAK, which reads as a NUL byte).
 */
void serial_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, 0x05);
}
