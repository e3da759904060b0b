/*
 * Memory and string routines.
 *
 * The memory routines use the string instructions: compact, quick enough
 * for a teaching kernel's user space, and immune to the compiler turning
 * a byte loop back into a call to the routine being defined.
 */
#include <string.h>

/*
 * memcpy: copy n bytes from src to dst (the areas must not overlap).
 * Returns dst.
 */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	const void *s = src;
	size_t words = n >> 2;
	size_t bytes = n & 3;

	__asm__ volatile("rep movsl\n\t"
			 "movl %[bytes], %%ecx\n\t"
			 "rep movsb"
			 : "+D"(d), "+S"(s), "+c"(words)
			 : [bytes] "r"(bytes)
			 : "memory");
	return dst;
}

/*
 * memmove: copy n bytes from src to dst; the areas may overlap.
 * Returns dst.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* dst overlaps the tail of src: copy backwards. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\t"
			 "rep movsb\n\t"
			 "cld"
			 : "+D"(d), "+S"(s), "+c"(n)
			 :
			 : "memory");
	return dst;
}

/*
 * memset: fill n bytes at dst with the byte c.  Returns dst.
 */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}

/*
 * memcmp: compare n bytes as unsigned chars.  Returns <0, 0 or >0 as a
 * sorts before, equal to or after b.
 */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/*
 * strlen: the number of bytes before the terminating NUL.
 */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/*
 * strcmp: compare two strings as unsigned chars.  Returns <0, 0 or >0.
 */
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/*
 * strncmp: strcmp limited to the first n bytes.  Returns <0, 0 or >0.
 */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

/*
 * strcpy: copy src with its NUL to dst.  Returns dst.
 */
char *strcpy(char *restrict dst, const char *restrict src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/*
 * strncpy: copy at most n bytes of src to dst, padding with NULs up to n;
 * dst is not terminated when src has n bytes or more.  Returns dst.
 */
char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	if (i < n)
		memset(dst + i, 0, n - i);
	return dst;
}

/*
 * strchr: the first occurrence of (char)c in s, the NUL included.
 * Returns a pointer to it or NULL.
 */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

/*
 * strrchr: the last occurrence of (char)c in s, the NUL included.
 * Returns a pointer to it or NULL.
 */
char *strrchr(const char *s, int c)
{
	const char *found = NULL;

	for (;; s++) {
		if (*s == (char)c)
			found = s;
		if (*s == '\0')
			return (char *)found;
	}
}

/*
 * strstr: the first occurrence of needle in haystack.  Returns a pointer
 * to it, haystack if needle is empty, or NULL.
 */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)haystack;
	for (; *haystack; haystack++)
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return NULL;
}
