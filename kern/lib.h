/*
 * Freestanding string and memory routines.
 */
#ifndef _KERN_LIB_H_
#define _KERN_LIB_H_

#include <kern/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
/* strstr_simple: does s contain sub? */
bool strstr_simple(const char *s, const char *sub);

#endif
