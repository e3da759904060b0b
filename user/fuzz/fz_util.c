/*
 * The fuzzer's random streams, value generators and the small message
 * protocol its tasks talk with (see fz.h).
 */
#include <string.h>
#include <mach/mach.h>
#include <mach/task_special_ports.h>
#include <mach/mk_traps.h>
#include "fz.h"

/* ------------------------------------------------------------ random */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* fz_rng_seed: see fz.h. */
void fz_rng_seed(struct fz_rng *r, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
	uint64_t s = mix64(0x9e3779b97f4a7c15ull ^ a);
	s = mix64(s ^ ((uint64_t)b << 32 | c));
	s = mix64(s ^ ((uint64_t)d << 32 | e));
	r->s = s ? s : 1;
}

/* fz_rand: xorshift64* */
uint32_t fz_rand(struct fz_rng *r)
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

/* fz_below: see fz.h. */
uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)fz_rand(r) * n) >> 32);
}

/* fz_one_in: see fz.h. */
int fz_one_in(struct fz_rng *r, uint32_t n)
{
	return fz_below(r, n) == 0;
}

static const uint32_t boundary[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 100, 127, 128, 255, 256, 511, 512,
	1023, 1024, 4095, 4096, 4097, 8192, 65535, 65536, 65537, 0x100000, 0x7ffffffe,
	0x7fffffff, 0x80000000, 0x80000001, 0xbfffffff, 0xc0000000, 0xc0001000, 0xf0000000,
	0xfffff000, 0xfffffff0, 0xfffffffc, 0xfffffffe, 0xffffffff, 0x10000000, 0x3fffffff,
	0x40000000, 0xffff, 0xff, 0x1ff, 0x100, 0x101, 0x103, 0xfffffeff,
};

/* fz_int: see fz.h. */
uint32_t fz_int(struct fz_rng *r)
{
	switch (fz_below(r, 8)) {
	case 0:
	case 1:
	case 2:
		return boundary[fz_below(r, sizeof(boundary) / sizeof(boundary[0]))];
	case 3:
		return fz_below(r, 16);
	case 4:
		return fz_below(r, 1024);
	case 5:
		return boundary[fz_below(r, sizeof(boundary) / sizeof(boundary[0]))] +
		       fz_below(r, 5) - 2;
	default:
		return fz_rand(r);
	}
}

/* fz_size: see fz.h. */
uint32_t fz_size(struct fz_rng *r)
{
	switch (fz_below(r, 12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2 * fz_below(r, 64) + 1;		/* odd */
	case 3:
		return 4096 * (1 + fz_below(r, 4)) + fz_below(r, 3) - 1;
	case 4:
		return boundary[fz_below(r, sizeof(boundary) / sizeof(boundary[0]))];
	case 5:
		return 0u - 4096 * fz_below(r, 4) - fz_below(r, 8);	/* wraps */
	case 6:
		return 0x7fffffffu - fz_below(r, 8);
	default:
		return 4 * fz_below(r, 512);
	}
}

/* ------------------------------------------------------------ messages */

/* fz_send: see fz.h. */
mach_msg_return_t fz_send(mach_port_t dest, mach_msg_type_name_t dest_disp,
			  mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id,
			  const mach_port_t *ports, const mach_msg_type_name_t *disps,
			  unsigned ndescs, const uint32_t *words, unsigned nwords)
{
	return fz_send_timeout(dest, dest_disp, reply, reply_disp, id, ports, disps, ndescs,
			       words, nwords, 10000);
}

/* fz_send_timeout: see fz.h. */
mach_msg_return_t fz_send_timeout(mach_port_t dest, mach_msg_type_name_t dest_disp,
				  mach_port_t reply, mach_msg_type_name_t reply_disp,
				  mach_msg_id_t id, const mach_port_t *ports,
				  const mach_msg_type_name_t *disps, unsigned ndescs,
				  const uint32_t *words, unsigned nwords, unsigned timeout_ms)
{
	struct fz_msg m;
	memset(&m, 0, sizeof(m));
	if (ndescs > 6)
		ndescs = 6;
	if (nwords > 24)
		nwords = 24;
	/* descriptors first, then NDR and words right after them */
	char *p = (char *)&m.port[ndescs];
	for (unsigned i = 0; i < ndescs; i++) {
		m.port[i].name = ports[i];
		m.port[i].disposition = disps[i];
		m.port[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	memcpy(p, &NDR_record, sizeof(NDR_record_t));
	p += sizeof(NDR_record_t);
	memcpy(p, &nwords, sizeof(nwords));
	p += sizeof(nwords);
	if (nwords)
		memcpy(p, words, nwords * sizeof(uint32_t));
	p += nwords * sizeof(uint32_t);
	m.head.msgh_bits = MACH_MSGH_BITS(dest_disp, reply ? reply_disp : 0) |
			   (ndescs ? MACH_MSGH_BITS_COMPLEX : 0);
	m.head.msgh_size = (mach_msg_size_t)(p - (char *)&m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = id;
	m.body.msgh_descriptor_count = ndescs;
	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.head.msgh_size, 0,
			MACH_PORT_NULL, timeout_ms, MACH_PORT_NULL);
}

/* fz_recv: see fz.h. */
mach_msg_return_t fz_recv(mach_port_t port, struct fz_msg *m, unsigned ms)
{
	memset(m, 0, sizeof(*m));
	return mach_msg(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, ms,
			MACH_PORT_NULL);
}

/* Where the NDR record of a received fz_msg starts. */
static const char *msg_tail(const struct fz_msg *m)
{
	unsigned n = 0;
	if (m->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		n = m->body.msgh_descriptor_count;
		if (n > 6)
			n = 6;
	}
	return (const char *)&m->port[n];
}

/* fz_msg_ports: see fz.h. */
unsigned fz_msg_ports(const struct fz_msg *m, mach_port_t *out, unsigned max)
{
	if (!(m->head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return 0;
	unsigned n = m->body.msgh_descriptor_count;
	if (n > 6)
		n = 6;
	if (n > max)
		n = max;
	for (unsigned i = 0; i < n; i++)
		out[i] = m->port[i].name;
	return n;
}

/* fz_msg_words: see fz.h. */
const uint32_t *fz_msg_words(const struct fz_msg *m, unsigned *n)
{
	const char *p = msg_tail(m) + sizeof(NDR_record_t);
	uint32_t cnt;
	memcpy(&cnt, p, sizeof(cnt));
	if ((size_t)(p + 4 - (const char *)m) > m->head.msgh_size)
		cnt = 0;
	if (cnt > 24)
		cnt = 24;
	*n = cnt;
	return (const uint32_t *)(p + 4);
}

/* fz_spawn_child: see fz.h. */
int fz_spawn_child(const char *name, mach_port_t port, mach_port_t *child,
		   struct fz_msg *hello, unsigned ms)
{
	mach_port_t self = mach_task_self(), old = MACH_PORT_NULL;
	struct fz_msg local;
	struct fz_msg *m = hello ? hello : &local;

	(void)task_get_special_port(self, TASK_BOOTSTRAP_PORT, &old);
	if (task_set_special_port(self, TASK_BOOTSTRAP_PORT, port) != KERN_SUCCESS)
		return -1;
	int id = mk_spawn(name);
	(void)task_set_special_port(self, TASK_BOOTSTRAP_PORT, old);
	if (old != MACH_PORT_NULL)
		(void)mach_port_deallocate(self, old);
	if (id <= 0)
		return -1;
	if (fz_recv(port, m, ms) != MACH_MSG_SUCCESS || m->head.msgh_id != FZ_MSG_HELLO) {
		(void)mk_task_kill(id);
		struct mk_exit_info info;
		(void)mk_task_wait(id, 1000, &info);
		return -1;
	}
	*child = m->head.msgh_remote_port;
	return id;
}

/* fz_hello: see fz.h. */
mach_port_t fz_hello(mach_port_t *parent, const mach_port_t *ports,
		     const mach_msg_type_name_t *disps, unsigned n,
		     const uint32_t *words, unsigned nwords)
{
	mach_port_t self = mach_task_self(), me = MACH_PORT_NULL;
	*parent = MACH_PORT_NULL;
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, parent) != KERN_SUCCESS ||
	    *parent == MACH_PORT_NULL)
		return MACH_PORT_NULL;
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &me) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	if (fz_send(*parent, MACH_MSG_TYPE_COPY_SEND, me, MACH_MSG_TYPE_MAKE_SEND, FZ_MSG_HELLO,
		    ports, disps, n, words, nwords) != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	return me;
}
