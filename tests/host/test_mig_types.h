/*
 * test_mig_types.h - C types of tests/host/test_mig.defs.
 */
#ifndef _TEST_MIG_TYPES_H_
#define _TEST_MIG_TYPES_H_

#include <mach/std_types.h>

typedef int32_t			*test_words_t;
typedef char			*test_bytes_t;
typedef int32_t			*test_masks_t;
typedef int32_t			*test_ool_ptr_t;
typedef mach_port_t		*test_handlers_t;

typedef struct {
	int32_t	first;
	int32_t	second;
} test_pair_t;

/* What test_port_to_thing() makes of a port; the server's view. */
struct test_thing {
	mach_port_t	port;
	int		refs;
};
typedef struct test_thing	*test_thing_t;

test_thing_t	test_port_to_thing(mach_port_t port);
mach_port_t	test_thing_to_port(test_thing_t thing);
void		test_thing_release(test_thing_t thing);

#endif /* _TEST_MIG_TYPES_H_ */
