/*
 * The printf formatting engine, shared by the kernel and user/lib.
 * It has no dependencies beyond the compiler's freestanding headers.
 *
 * Conversions: d i u x X o c s p %; flags - 0 + space #; width and
 * precision (also as *); length modifiers hh h l ll z t j.
 */
#ifndef _KERN_FMT_H_
#define _KERN_FMT_H_

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_emit_t)(int c, void *arg);

/* Format into emit(); returns the number of characters produced. */
int fmt_vformat(fmt_emit_t emit, void *arg, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
