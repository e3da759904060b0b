/*
 * libmk.h - private interfaces between the files of libmk.
 */
#ifndef _LIBMK_LIBMK_H_
#define _LIBMK_LIBMK_H_

#include <mach/vm_types.h>
#include <mach/port.h>

/* A line buffer of console output (stdio.c). */
#define LIBMK_OUTBUF_SIZE	1024

struct libmk_outbuf {
	unsigned int	len;			/* bytes waiting in buf */
	char		buf[LIBMK_OUTBUF_SIZE];
};

/*
 * Write out whatever ob holds.  The caller owns ob (it is its thread's
 * buffer, or it holds the shared buffer's lock).
 */
void __libmk_outbuf_flush(struct libmk_outbuf *ob);

/* Write out the calling thread's buffer and the shared one (exit). */
void __libmk_flush_output(void);

/*
 * The output buffer of the calling thread if mk_thread_start made it
 * (found from the stack pointer), or NULL for any other thread, which
 * then uses the shared buffer.
 */
struct libmk_outbuf *__libmk_thread_outbuf(void);

/*
 * Where the calling thread keeps its MIG reply port (mig_reply_port.c):
 * in its control page if mk_thread_start made it, else in one word shared
 * by all other threads (in practice the main thread).
 */
mach_port_t *__libmk_reply_port_slot(void);

/* Called by crt0 before main. */
void __libmk_init(void);

#endif /* _LIBMK_LIBMK_H_ */
