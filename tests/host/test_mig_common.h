/*
 * test_mig_common.h - shared state of the tests/host/test_mig*.c files.
 */
#ifndef _TEST_MIG_COMMON_H_
#define _TEST_MIG_COMMON_H_

#include <stdarg.h>
#include <stddef.h>

#include <mach/message.h>
#include <mach/mig.h>

#define FAKE_REPLY_PORT		0x777u	/* what mig_get_reply_port returns */
#define TEST_MIG_PLAN		64	/* checks main() runs */

/* The fake kernel's knobs and what it saw. */
struct fake_state {
	boolean_t		(*server)(mach_msg_header_t *,
				    mach_msg_header_t *);
	void			(*spoil)(mach_msg_header_t *reply);
	mach_msg_return_t	send_error;	/* fail before sending */
	mach_msg_return_t	rcv_error;	/* fail after serving */
	mach_port_seqno_t	seqno;		/* in the request's trailer */
	/* observations */
	int			calls;
	int			get_reply, put_reply, dealloc_reply;
	int			destroyed;
	boolean_t		served;
	mach_msg_option_t	last_option;
	mach_msg_size_t		last_send_size;
	mach_port_name_t	last_rcv_name;
	unsigned char		last_request[4096];
};

extern struct fake_state fake;

void		fake_reset(void);
boolean_t	fake_deliver(mach_msg_header_t *dst, mach_msg_size_t room,
		    const mach_msg_header_t *msg, mach_port_seqno_t seqno);
void		*low_alloc(size_t size);
int		tap(int cond, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		diag(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

void		run_stub_tests(void);
void		run_server_tests(void);
void		run_real_defs_tests(void);

#endif /* _TEST_MIG_COMMON_H_ */
