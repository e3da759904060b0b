/*
 * stdio.h - console output of libmk.
 *
 * There are no FILE streams.  Output goes to the kernel console through
 * mk_debug_write, line-buffered: each thread started with mk_thread_start
 * has a buffer of its own, every other thread shares one (under a lock),
 * and a buffer is written out at each newline, when it is full, when its
 * thread ends and at exit().  A line is therefore never split between
 * threads unless it is longer than the buffer.
 */
#ifndef _STDIO_H_
#define _STDIO_H_

#include <stdarg.h>
#include <stddef.h>

#define EOF	(-1)

/* Print to the console; return the number of characters produced. */
int	printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	vprintf(const char *fmt, va_list ap);
/* Print s and a newline; return a non-negative number. */
int	puts(const char *s);
/* Print one character; return it as an unsigned char. */
int	putchar(int c);

/*
 * Format into buf (at most size bytes, always terminated when size > 0);
 * return the length the whole output would have (kern/fmt.c).
 */
int	vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int	snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* _STDIO_H_ */
