/*
 * testaux/longipc_peer: the receiving task of the long-IPC tests
 * (tests/longipc_content, longipc_truncate, longipc_badaddr).
 *
 * Set-up: the spawning test makes one of its ports its bootstrap special
 * port before mk_spawn, so this task inherits a send right to it.  The
 * peer allocates a port P and says hello there, handing over a send
 * right to P (msgh_local_port, MAKE_SEND).  From then on the test drives
 * it with ordinary Mach messages on P; the long-IPC data arrives on P too.
 *
 * For each LP_CMD the peer prepares receive buffers as told (sizes,
 * offsets inside their pages, fresh never-touched memory, a read-only or
 * unmapped buffer), fills everything it may check with known bytes,
 * posts one long-IPC receive on P, then checks every byte: the dwords
 * and strings that arrived against the pattern (lp_dword, lp_byte), and
 * that nothing else changed (all of it on any error).  With LP_F_ECHO it
 * then sends what it got back to the test (long IPC to its bootstrap
 * port).  The findings go back in an LP_RESULT message.  LP_QUIT ends it
 * with status 0; setup failures end it with status 2.
 *
 * The protocol section is shared with the tests, which include this
 * file with LONGIPC_PEER_PROTO_ONLY defined.
 */
#include <stdbool.h>
#include <stdint.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>

/* ------------------------------------------------------------ protocol */

#define LP_HELLO	7700
#define LP_CMD		7701
#define LP_RESULT	7702
#define LP_QUIT		7703

#define LP_MAXBUF	MK_LIPC_MAX_STRINGS
#define LP_FILL		0xa5u		/* bytes around and in receive buffers */
#define LP_DFILL	0xddddddddu	/* dword room */

#define LP_F_FRESH	0x1	/* string buffers in never-touched memory */
#define LP_F_RO		0x2	/* buffer 0 read-only */
#define LP_F_HOLE	0x4	/* buffer 0 unmapped */
#define LP_F_ECHO	0x8	/* send what arrived back to the test */
#define LP_F_TIMEOUT	0x10	/* receive with MK_LIPC_RCV_TIMEOUT, timeout_ms */

struct lp_cmd {
	mach_msg_header_t head;
	uint32_t flags;
	uint32_t seed;			/* of the expected pattern */
	uint32_t room;			/* dwords */
	uint32_t nbuf;			/* receive buffers */
	uint32_t size[LP_MAXBUF];
	uint32_t offset[LP_MAXBUF];	/* of each buffer in its first page */
	uint32_t timeout_ms;
};

struct lp_result {
	mach_msg_header_t head;
	int32_t mr;			/* what the receive returned */
	uint32_t rcv_dwords;
	uint32_t rcv_strings;
	uint32_t xfer[LP_MAXBUF];
	uint32_t dword_bad;		/* arrived dwords not as sent */
	uint32_t string_bad;		/* arrived string bytes not as sent */
	uint32_t outside_changed;	/* bytes that should be untouched but are not */
	uint32_t buf_addr[LP_MAXBUF];	/* where each buffer was */
	int32_t echo_mr;		/* the echo's send result */
};

/* The pattern: dword j and byte i of string k for a seed. */
static inline uint32_t lp_dword(uint32_t seed, uint32_t j)
{
	return (seed * 0x01000193u) ^ (j * 0x9e3779b9u) ^ 0x5bd1e995u;
}

static inline uint8_t lp_byte(uint32_t seed, uint32_t k, uint32_t i)
{
	uint32_t x = seed + k * 0x3c6ef372u + i * 131u;
	return (uint8_t)(x ^ (x >> 9) ^ (i >> 12));
}

#ifdef LONGIPC_PEER_PROTO_ONLY
/* ------------------------------------------------------------ test side */

#include <mach/mk_traps.h>
#include <mk/mach_port.h>

#define LP_WAIT_MS	60000u

struct lp_peer {
	mach_port_t mine;	/* receive right; the peer's bootstrap port */
	mach_port_t peer;	/* send right to the peer's port P */
	int task;
};

/* Spawn testaux/longipc_peer and wait for its hello.  0 on success. */
static int lp_start(struct lp_peer *p)
{
	mach_port_t old;
	union {
		mach_msg_header_t head;
		struct {
			mach_msg_header_t head;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;

	p->peer = MACH_PORT_NULL;
	p->task = 0;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p->mine) ||
	    mach_port_insert_right(mach_task_self(), p->mine, p->mine, MACH_MSG_TYPE_MAKE_SEND) ||
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p->mine))
		return 1;
	p->task = mk_spawn("testaux/longipc_peer");
	(void)task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	if (old != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), old);
	if (p->task <= 0)
		return 2;
	mach_msg_return_t mr = mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b),
					p->mine, LP_WAIT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS || b.head.msgh_id != LP_HELLO)
		return 3;
	p->peer = b.head.msgh_remote_port;
	return 0;
}

/* Send a command (flags, sizes... filled in by the caller). */
static mach_msg_return_t lp_command(struct lp_peer *p, struct lp_cmd *c)
{
	c->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	c->head.msgh_size = sizeof(*c);
	c->head.msgh_remote_port = p->peer;
	c->head.msgh_local_port = MACH_PORT_NULL;
	c->head.msgh_voucher_port = MACH_PORT_NULL;
	c->head.msgh_id = LP_CMD;
	return mach_msg(&c->head, MACH_SEND_MSG, sizeof(*c), 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* Wait for the result of the last command. */
static mach_msg_return_t lp_result(struct lp_peer *p, struct lp_result *r)
{
	union {
		struct lp_result res;
		struct {
			struct lp_result res;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;
	mach_msg_return_t mr = mach_msg(&b.res.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					sizeof(b), p->mine, LP_WAIT_MS, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS && b.res.head.msgh_id != LP_RESULT)
		mr = MACH_RCV_INVALID_TYPE;
	*r = b.res;
	return mr;
}

/* Tell the peer to quit and wait for it; 0 if it exited with status 0. */
static int lp_stop(struct lp_peer *p)
{
	struct mk_exit_info info = { 0, 0, 0 };
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = p->peer,
		.msgh_id = LP_QUIT,
	};
	int rc = 0;
	if (p->task > 0) {
		if (p->peer == MACH_PORT_NULL ||
		    mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			(void)mk_task_kill(p->task);
		kern_return_t kr = mk_task_wait(p->task, 30 * mk_info(MK_INFO_HZ), &info);
		if (kr != KERN_SUCCESS) {
			(void)mk_task_kill(p->task);
			(void)mk_task_wait(p->task, 30 * mk_info(MK_INFO_HZ), &info);
		}
		rc = kr != KERN_SUCCESS || info.how != MK_EXIT_STATUS || info.code != 0;
	}
	if (p->peer != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), p->peer);
	(void)mach_port_destroy(mach_task_self(), p->mine);
	return rc;
}
#endif /* LONGIPC_PEER_PROTO_ONLY */

#ifndef LONGIPC_PEER_PROTO_ONLY
/* ------------------------------------------------------------ the peer */

#include <stdio.h>
#include <string.h>
#include <mk/mach_vm.h>

#define PAGE		4096u
#define FRESH_BASE	0x50000000u	/* fresh buffers: one new 4 MiB region each */
#define FRESH_STEP	0x00800000u

static mach_port_t port, parent;
static unsigned fresh_next;

struct rbuf {
	vm_address_t region;		/* page aligned */
	vm_size_t region_size;
	uint32_t addr;			/* region + offset */
	uint32_t size;
	uint8_t fill;			/* what the untouched bytes hold */
	bool readable;			/* may be checked afterwards */
};

static vm_size_t round_pg(uint32_t n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static kern_return_t make_buffer(const struct lp_cmd *c, uint32_t k, struct rbuf *b)
{
	kern_return_t kr;

	b->size = c->size[k];
	b->region_size = round_pg(c->offset[k] + c->size[k]) + PAGE;	/* + a page after */
	b->fill = LP_FILL;
	b->readable = true;
	if (c->flags & LP_F_FRESH) {
		b->region = FRESH_BASE + (fresh_next++ % 64) * FRESH_STEP;
		kr = vm_allocate(mach_task_self(), &b->region, b->region_size, VM_FLAGS_FIXED);
		b->fill = 0;		/* zero fill on first touch, after the receive */
	} else {
		b->region = 0;
		kr = vm_allocate(mach_task_self(), &b->region, b->region_size, VM_FLAGS_ANYWHERE);
		if (kr == KERN_SUCCESS)
			memset((void *)b->region, LP_FILL, b->region_size);
	}
	if (kr != KERN_SUCCESS)
		return kr;
	b->addr = b->region + c->offset[k];
	if (k == 0 && (c->flags & LP_F_RO))
		kr = vm_protect(mach_task_self(), b->region, b->region_size, FALSE, VM_PROT_READ);
	if (k == 0 && (c->flags & LP_F_HOLE)) {
		kr = vm_deallocate(mach_task_self(), b->region, b->region_size);
		b->readable = false;
	}
	return kr;
}

static void free_buffer(struct rbuf *b)
{
	if (b->readable)
		(void)vm_deallocate(mach_task_self(), b->region, b->region_size);
}

/* Count bytes of b that differ from what they should hold. */
static void check_buffer(const struct lp_cmd *c, uint32_t k, const struct rbuf *b,
			 uint32_t arrived, struct lp_result *r)
{
	const uint8_t *p = (const uint8_t *)b->region;
	uint32_t start = b->addr - b->region;

	if (!b->readable)
		return;
	for (uint32_t i = 0; i < b->region_size; i++) {
		if (i >= start && i < start + arrived) {
			if (p[i] != lp_byte(c->seed, k, i - start))
				r->string_bad++;
		} else if (p[i] != b->fill) {
			r->outside_changed++;
		}
	}
}

static void do_cmd(const struct lp_cmd *c, struct lp_result *r)
{
	struct rbuf bufs[LP_MAXBUF];
	uint32_t nbuf = c->nbuf < LP_MAXBUF ? c->nbuf : LP_MAXBUF;
	vm_address_t mva = 0;
	vm_size_t msize = round_pg(MK_LIPC_MSG_SIZE(c->room, nbuf));
	uint32_t made = 0;

	memset(r, 0, sizeof(*r));
	r->mr = -1;
	r->echo_mr = -1;
	if (vm_allocate(mach_task_self(), &mva, msize, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) {
		r->mr = -2;
		return;
	}
	mk_lipc_msg_t *m = (mk_lipc_msg_t *)mva;
	m->lm_dwords = c->room;
	m->lm_strings = nbuf;
	m->lm_rcv_dwords = m->lm_rcv_strings = 0xeeeeeeeeu;
	for (uint32_t j = 0; j < c->room; j++)
		MK_LIPC_DWORDS(m)[j] = LP_DFILL;
	mk_lipc_string_t *d = MK_LIPC_STRINGS(m);
	for (; made < nbuf; made++) {
		if (make_buffer(c, made, &bufs[made]) != KERN_SUCCESS) {
			r->mr = -3;
			goto out;
		}
		d[made].ls_addr = bufs[made].addr;
		d[made].ls_size = bufs[made].size;
		d[made].ls_xfer = 0xeeeeeeeeu;
		r->buf_addr[made] = bufs[made].addr;
	}

	r->mr = mk_lipc_receive(port, m, (c->flags & LP_F_TIMEOUT) ? MK_LIPC_RCV_TIMEOUT : 0,
				c->timeout_ms);
	bool ok = r->mr == MACH_MSG_SUCCESS;
	bool reported = ok || r->mr == MACH_RCV_TOO_LARGE;
	r->rcv_dwords = reported ? m->lm_rcv_dwords : 0;
	r->rcv_strings = reported ? m->lm_rcv_strings : 0;
	for (uint32_t k = 0; k < nbuf; k++)
		r->xfer[k] = reported ? d[k].ls_xfer : 0;
	for (uint32_t j = 0; j < c->room; j++) {
		if (ok && j < m->lm_rcv_dwords) {
			if (MK_LIPC_DWORDS(m)[j] != lp_dword(c->seed, j))
				r->dword_bad++;
		} else if (MK_LIPC_DWORDS(m)[j] != LP_DFILL) {
			r->outside_changed++;
		}
	}
	for (uint32_t k = 0; k < nbuf; k++)
		check_buffer(c, k, &bufs[k], ok && k < m->lm_rcv_strings ? d[k].ls_xfer : 0, r);

	if (ok && (c->flags & LP_F_ECHO)) {
		/* send it back as it came: same dwords, strings from our buffers */
		m->lm_dwords = m->lm_rcv_dwords;
		uint32_t ns = m->lm_rcv_strings;
		mk_lipc_string_t e[LP_MAXBUF];
		for (uint32_t k = 0; k < ns; k++) {
			e[k].ls_addr = d[k].ls_addr;
			e[k].ls_size = d[k].ls_xfer;
			e[k].ls_xfer = 0;
		}
		m->lm_strings = ns;
		memcpy(MK_LIPC_STRINGS(m), e, ns * sizeof(e[0]));
		r->echo_mr = mk_lipc_send(parent, m, MK_LIPC_SEND_TIMEOUT, 30000);
	}
out:
	for (uint32_t k = 0; k < made; k++)
		free_buffer(&bufs[k]);
	(void)vm_deallocate(mach_task_self(), mva, msize);
}

static mach_msg_return_t send_plain(mach_msg_header_t *h, mach_msg_size_t size, int id,
				    mach_port_t local, mach_msg_type_name_t local_type)
{
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, local_type);
	h->msgh_size = size;
	h->msgh_remote_port = parent;
	h->msgh_local_port = local;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = id;
	return mach_msg(h, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

int main(void)
{
	union {
		struct lp_cmd cmd;
		struct {
			struct lp_cmd cmd;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} in;
	struct lp_result res;
	mach_msg_header_t hello;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS) {
		printf("longipc_peer: no bootstrap port or no port\n");
		return 2;
	}
	if (send_plain(&hello, sizeof(hello), LP_HELLO, port, MACH_MSG_TYPE_MAKE_SEND) !=
	    MACH_MSG_SUCCESS) {
		printf("longipc_peer: hello failed\n");
		return 2;
	}
	for (;;) {
		mach_msg_return_t mr = mach_msg(&in.cmd.head, MACH_RCV_MSG, 0, sizeof(in), port,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			printf("longipc_peer: command receive failed: %#x\n", mr);
			return 2;
		}
		if (in.cmd.head.msgh_id == LP_QUIT)
			return 0;
		if (in.cmd.head.msgh_id != LP_CMD)
			continue;
		do_cmd(&in.cmd, &res);
		mr = send_plain(&res.head, sizeof(res), LP_RESULT, MACH_PORT_NULL, 0);
		if (mr != MACH_MSG_SUCCESS) {
			printf("longipc_peer: result send failed: %#x\n", mr);
			return 2;
		}
	}
}
#endif /* !LONGIPC_PEER_PROTO_ONLY */
