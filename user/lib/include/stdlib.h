/*
 * stdlib.h - memory allocation, exit and conversions of libmk.
 */
#ifndef _STDLIB_H_
#define _STDLIB_H_

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX	0x7fffffff

/*
 * malloc family.  Blocks are 16-byte aligned; small ones come from size
 * classes, large ones straight from vm_allocate.  Thread-safe.
 */
void	*malloc(size_t size);
void	free(void *ptr);
void	*calloc(size_t count, size_t size);
void	*realloc(void *ptr, size_t size);

/* Flush buffered output and end the task with status. */
void	exit(int status) __attribute__((noreturn));
/* End the task at once with status 134 (128 + SIGABRT), after a message. */
void	abort(void) __attribute__((noreturn));

int		atoi(const char *s);
unsigned long	strtoul(const char *s, char **end, int base);
/* Next pseudo-random number in [0, RAND_MAX]; *seed holds the state. */
int		rand_r(unsigned int *seed);

#endif /* _STDLIB_H_ */
