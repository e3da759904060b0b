/*
 * Number conversions: strtoul and atoi.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>

/* The value of digit c in bases up to 36, or 36 if it is none. */
static unsigned digit_value(int c)
{
	if (isdigit(c))
		return (unsigned)(c - '0');
	if (islower(c))
		return (unsigned)(c - 'a' + 10);
	if (isupper(c))
		return (unsigned)(c - 'A' + 10);
	return 36;
}

/*
 * strtoul: convert the start of s in base (2..36, or 0 for C-style
 * prefixes 0x and 0) after optional white space and sign; a '-' negates
 * the result as C requires.  *end (if end is not NULL) gets the first
 * unused character, or s when there were no digits.  Returns the value,
 * or ULONG_MAX if it overflows (there is no errno).
 */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	int negative = 0, overflow = 0, any = 0;
	unsigned long value = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	for (;; p++) {
		unsigned d = digit_value((unsigned char)*p);
		if (d >= (unsigned)base)
			break;
		any = 1;
		if (value > (ULONG_MAX - d) / (unsigned)base)
			overflow = 1;
		else
			value = value * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (overflow)
		return ULONG_MAX;
	return negative ? -value : value;
}

/*
 * atoi: the decimal integer at the start of s (white space and a sign
 * allowed).  Returns 0 when there is none; overflow is not detected.
 */
int atoi(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	int negative = *s == '-';
	unsigned long v = strtoul(s + (negative || *s == '+'), NULL, 10);
	return negative ? -(int)v : (int)v;
}
