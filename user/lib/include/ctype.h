/*
 * ctype.h - character classes of the "C" locale (ASCII only).
 * Arguments are an unsigned char value or EOF, as in C.
 */
#ifndef _CTYPE_H_
#define _CTYPE_H_

/* Decimal digit. */
static inline int isdigit(int c) { return c >= '0' && c <= '9'; }
/* Upper-case letter. */
static inline int isupper(int c) { return c >= 'A' && c <= 'Z'; }
/* Lower-case letter. */
static inline int islower(int c) { return c >= 'a' && c <= 'z'; }
/* Letter. */
static inline int isalpha(int c) { return isupper(c) || islower(c); }
/* Letter or digit. */
static inline int isalnum(int c) { return isalpha(c) || isdigit(c); }
/* Hexadecimal digit. */
static inline int isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* Space, tab, newline, vertical tab, form feed or carriage return. */
static inline int isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}
/* Printing character, space included. */
static inline int isprint(int c) { return c >= 0x20 && c < 0x7f; }
/* Control character. */
static inline int iscntrl(int c) { return (c >= 0 && c < 0x20) || c == 0x7f; }
/* Printing character other than space, letter or digit. */
static inline int ispunct(int c)
{
	return isprint(c) && c != ' ' && !isalnum(c);
}
/* The upper-case form of c, or c. */
static inline int toupper(int c) { return islower(c) ? c - 'a' + 'A' : c; }
/* The lower-case form of c, or c. */
static inline int tolower(int c) { return isupper(c) ? c - 'A' + 'a' : c; }

#endif /* _CTYPE_H_ */
