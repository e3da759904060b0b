/*
 * Kernel console output.
 */
#ifndef _KERN_PRINTF_H_
#define _KERN_PRINTF_H_

#include <kern/fmt.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* Write raw bytes to the console. */
void cons_write(const char *buf, size_t len);
void cons_putc(int c);

#endif
