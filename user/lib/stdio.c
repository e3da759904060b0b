/*
 * Console output: printf, vprintf, puts, putchar.
 *
 * Text is collected in a line buffer and handed to mk_debug_write at each
 * newline or when the buffer fills.  Threads made by mk_thread_start own a
 * buffer each (thread.c keeps it beside their stack); all other threads
 * share one buffer under shared_lock, held for a whole call so that one
 * call's output is never mixed with another's.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mk_traps.h>
#include <mk/lock.h>
#include "../../kern/fmt.h"
#include "libmk.h"

_Static_assert(LIBMK_OUTBUF_SIZE <= MK_DEBUG_WRITE_MAX, "a buffer goes out in one mk_debug_write");

static struct libmk_outbuf shared_out;
static mk_lock_t shared_lock = MK_LOCK_INIT;

/*
 * __libmk_outbuf_flush: write ob's contents to the console and empty it.
 * The caller owns ob.
 */
void __libmk_outbuf_flush(struct libmk_outbuf *ob)
{
	if (ob->len > 0)
		(void)mk_debug_write(ob->buf, ob->len);
	ob->len = 0;
}

/*
 * __libmk_flush_output: flush the calling thread's own buffer (if any)
 * and the shared buffer.
 */
void __libmk_flush_output(void)
{
	struct libmk_outbuf *ob = __libmk_thread_outbuf();

	if (ob != NULL)
		__libmk_outbuf_flush(ob);
	mk_lock(&shared_lock);
	__libmk_outbuf_flush(&shared_out);
	mk_unlock(&shared_lock);
}

/* fmt_vformat's sink: append c, writing the buffer out at a line end. */
static void out_char(int c, void *arg)
{
	struct libmk_outbuf *ob = arg;

	ob->buf[ob->len++] = (char)c;
	if (c == '\n' || ob->len == LIBMK_OUTBUF_SIZE)
		__libmk_outbuf_flush(ob);
}

/* Take the caller's buffer, locking the shared one if that is it. */
static struct libmk_outbuf *out_begin(void)
{
	struct libmk_outbuf *ob = __libmk_thread_outbuf();

	if (ob == NULL) {
		mk_lock(&shared_lock);
		ob = &shared_out;
	}
	return ob;
}

/* Give back a buffer from out_begin. */
static void out_end(struct libmk_outbuf *ob)
{
	if (ob == &shared_out)
		mk_unlock(&shared_lock);
}

/*
 * vprintf: format to the console.  Returns the number of characters
 * produced.
 */
int vprintf(const char *fmt, va_list ap)
{
	struct libmk_outbuf *ob = out_begin();
	int n = fmt_vformat(out_char, ob, fmt, ap);

	out_end(ob);
	return n;
}

/*
 * printf: format to the console.  Returns the number of characters
 * produced.
 */
int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/*
 * puts: print s and a newline.  Returns the number of characters
 * printed.
 */
int puts(const char *s)
{
	struct libmk_outbuf *ob = out_begin();
	int n = 0;

	for (; *s; s++, n++)
		out_char((unsigned char)*s, ob);
	out_char('\n', ob);
	out_end(ob);
	return n + 1;
}

/*
 * putchar: print one character.  Returns it as an unsigned char.
 */
int putchar(int c)
{
	struct libmk_outbuf *ob = out_begin();

	out_char((unsigned char)c, ob);
	out_end(ob);
	return (unsigned char)c;
}
