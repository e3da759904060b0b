/*
 * printf-style formatting, shared by the kernel and user/lib.
 */
#include "fmt.h"
#include <stdint.h>
#include <stdbool.h>

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none */
	int len;		/* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static int emit_n(fmt_emit_t emit, void *arg, int c, int n)
{
	for (int i = 0; i < n; i++)
		emit(c, arg);
	return n > 0 ? n : 0;
}

/* Emit a converted number held in digits[] (most significant first). */
static int emit_number(fmt_emit_t emit, void *arg, const struct spec *sp,
		       const char *prefix, const char *digits, int ndigits)
{
	int plen = 0, out = 0;
	while (prefix[plen])
		plen++;
	int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	int body = plen + zeros + ndigits;
	int pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left && !(sp->zero && sp->prec < 0))
		out += emit_n(emit, arg, ' ', pad), pad = 0;
	for (int i = 0; i < plen; i++)
		emit(prefix[i], arg), out++;
	if (!sp->left && pad)		/* zero padding goes after the sign */
		out += emit_n(emit, arg, '0', pad), pad = 0;
	out += emit_n(emit, arg, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		emit(digits[i], arg), out++;
	out += emit_n(emit, arg, ' ', pad);
	return out;
}

static int format_int(fmt_emit_t emit, void *arg, const struct spec *sp,
		      unsigned long long v, bool neg, unsigned base, bool upper,
		      char conv)
{
	char tmp[24], digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	const char *prefix = "";

	if (!(v == 0 && sp->prec == 0)) {
		do {
			tmp[n++] = set[v % base];
			v /= base;
		} while (v);
	}
	for (int i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];

	if (neg)
		prefix = "-";
	else if (conv == 'd' && sp->plus)
		prefix = "+";
	else if (conv == 'd' && sp->space)
		prefix = " ";
	else if (sp->alt && base == 16 && n > 0 && !(n == 1 && digits[0] == '0'))
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (n == 0 || digits[0] != '0') && sp->prec <= n)
		prefix = "0";	/* '#' forces a leading 0 unless precision gave one */
	return emit_number(emit, arg, sp, prefix, digits, n);
}

/*
 * fmt_vformat: format fmt with the arguments in ap, handing each output
 * character to emit(c, arg).  Returns the number of characters emitted.
 */
int fmt_vformat(fmt_emit_t emit, void *arg, const char *fmt, va_list ap)
{
	int out = 0;

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			emit(*p, arg);
			out++;
			continue;
		}
		struct spec sp = { .prec = -1 };
		for (;;) {
			p++;
			if (*p == '-') sp.left = true;
			else if (*p == '0') sp.zero = true;
			else if (*p == '+') sp.plus = true;
			else if (*p == ' ') sp.space = true;
			else if (*p == '#') sp.alt = true;
			else break;
		}
		if (*p == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sp.width = sp.width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			sp.prec = 0;
			if (*p == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					sp.prec = sp.prec * 10 + (*p++ - '0');
			}
		}
		for (;; p++) {
			if (*p == 'h') sp.len = sp.len == -1 ? -2 : -1;
			else if (*p == 'l') sp.len = sp.len == 1 ? 2 : 1;
			else if (*p == 'z' || *p == 't') sp.len = sizeof(size_t) == 8 ? 2 : 1;
			else if (*p == 'j') sp.len = 2;
			else break;
		}

		char c = *p;
		switch (c) {
		case 'd':
		case 'i': {
			long long v;
			if (sp.len == 2) v = va_arg(ap, long long);
			else if (sp.len == 1) v = va_arg(ap, long);
			else v = va_arg(ap, int);
			if (sp.len == -1) v = (short)v;
			if (sp.len == -2) v = (signed char)v;
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
						       : (unsigned long long)v;
			out += format_int(emit, arg, &sp, mag, v < 0, 10, false, 'd');
			break;
		}
		case 'u': case 'x': case 'X': case 'o': {
			unsigned long long v;
			if (sp.len == 2) v = va_arg(ap, unsigned long long);
			else if (sp.len == 1) v = va_arg(ap, unsigned long);
			else v = va_arg(ap, unsigned int);
			if (sp.len == -1) v = (unsigned short)v;
			if (sp.len == -2) v = (unsigned char)v;
			unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
			out += format_int(emit, arg, &sp, v, false, base, c == 'X', c);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			sp.alt = true;
			out += format_int(emit, arg, &sp, v, false, 16, false, 'x');
			break;
		}
		case 'c': {
			int ch = va_arg(ap, int);
			int pad = sp.width > 1 ? sp.width - 1 : 0;
			if (!sp.left) out += emit_n(emit, arg, ' ', pad);
			emit(ch, arg), out++;
			if (sp.left) out += emit_n(emit, arg, ' ', pad);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			int n = 0;
			while (s[n] && (sp.prec < 0 || n < sp.prec))
				n++;
			int pad = sp.width > n ? sp.width - n : 0;
			if (!sp.left) out += emit_n(emit, arg, ' ', pad);
			for (int i = 0; i < n; i++)
				emit(s[i], arg), out++;
			if (sp.left) out += emit_n(emit, arg, ' ', pad);
			break;
		}
		case '%':
			emit('%', arg), out++;
			break;
		case '\0':
			return out;
		default:		/* unknown: print it literally */
			emit('%', arg), emit(c, arg), out += 2;
			break;
		}
	}
	return out;
}

struct sbuf {
	char *buf;
	size_t size, pos;
};

static void sbuf_emit(int c, void *arg)
{
	struct sbuf *sb = arg;
	if (sb->pos + 1 < sb->size)
		sb->buf[sb->pos] = (char)c;
	sb->pos++;
}

/*
 * vsnprintf: format into buf, writing at most size bytes including the
 * terminating NUL.  Returns the length the full output would have.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf sb = { buf, size, 0 };
	int n = fmt_vformat(sbuf_emit, &sb, fmt, ap);
	if (size > 0)
		buf[sb.pos < size ? sb.pos : size - 1] = '\0';
	return n;
}

/* snprintf: vsnprintf with variadic arguments. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
