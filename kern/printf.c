/*
 * Kernel printf onto the serial console.  The kernel is non-preemptible,
 * so one printf's output is never interleaved with another's.
 */
#include <kern/types.h>
#include <kern/printf.h>
#include <machine/serial.h>

/* cons_putc: one character to the console. */
void cons_putc(int c)
{
	serial_putc(c);
}

/* cons_write: len bytes to the console. */
void cons_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		serial_putc(buf[i]);
}

static void cons_emit(int c, void *arg __unused)
{
	serial_putc(c);
}

/* vprintf: format to the console; returns the characters written. */
int vprintf(const char *fmt, va_list ap)
{
	return fmt_vformat(cons_emit, NULL, fmt, ap);
}

/* printf: format to the console; returns the characters written. */
int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
