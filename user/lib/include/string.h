/*
 * string.h - memory and string routines of libmk.
 */
#ifndef _STRING_H_
#define _STRING_H_

#include <stddef.h>

void	*memcpy(void *restrict dst, const void *restrict src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
void	*memset(void *dst, int c, size_t n);
int	memcmp(const void *a, const void *b, size_t n);
size_t	strlen(const char *s);
int	strcmp(const char *a, const char *b);
int	strncmp(const char *a, const char *b, size_t n);
char	*strcpy(char *restrict dst, const char *restrict src);
char	*strncpy(char *restrict dst, const char *restrict src, size_t n);
char	*strchr(const char *s, int c);
char	*strrchr(const char *s, int c);
char	*strstr(const char *haystack, const char *needle);

#endif /* _STRING_H_ */
