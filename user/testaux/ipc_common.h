/*
 * ipc_common.h - helpers shared by the ipc_* tests (user/tests) and the
 * helper programs they spawn (user/testaux).  Header-only: every test is
 * one program, so each gets its own copy of what it uses.
 *
 * Handing a port to a child: a spawned task inherits its spawner's
 * TASK_BOOTSTRAP_PORT.  ipc_spawn_with_port() installs a send right of the
 * test's choosing there just for the spawn and puts the old one back, so a
 * child finds its parent's port with ipc_parent_port() without involving
 * the name service.
 */
#ifndef _TESTAUX_IPC_COMMON_H_
#define _TESTAUX_IPC_COMMON_H_

#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>

#define IPC_WAIT_S		60	/* for a child to end */
#define IPC_RCV_MS		60000	/* for an expected message */
#define IPC_NONE_MS		0	/* for a message that must not be there */
#define IPC_BAD_NAME		0x7ffff00bu	/* a name nobody allocates */
#define IPC_BAD_TYPE		0xffffffffu	/* "no type": lookup failed */
#define IPC_BAD_REFS		0xffffffffu	/* "no refs": lookup failed */

/* The rights under name (MACH_PORT_TYPE_*), or IPC_BAD_TYPE if none. */
static inline mach_port_type_t ipc_type(mach_port_name_t name)
{
	mach_port_type_t t;

	if (mach_port_type(mach_task_self(), name, &t) != KERN_SUCCESS)
		return IPC_BAD_TYPE;
	return t;
}

/* User references of right under name, or IPC_BAD_REFS on error. */
static inline mach_port_urefs_t ipc_refs(mach_port_name_t name,
					 mach_port_right_t right)
{
	mach_port_urefs_t r;

	if (mach_port_get_refs(mach_task_self(), name, right, &r) !=
	    KERN_SUCCESS)
		return IPC_BAD_REFS;
	return r;
}

/* A new receive right, or MACH_PORT_NULL. */
static inline mach_port_t ipc_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &p) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* A new receive right with one send right under the same name. */
static inline mach_port_t ipc_port_send(void)
{
	mach_port_t p = ipc_port();

	if (p != MACH_PORT_NULL &&
	    mach_port_insert_right(mach_task_self(), p, p,
	    MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS) {
		(void)mach_port_destroy(mach_task_self(), p);
		return MACH_PORT_NULL;
	}
	return p;
}

/* The receive-status attributes of port (zeroed on error). */
static inline mach_port_status_t ipc_status(mach_port_t port)
{
	mach_port_status_t st;
	mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;

	memset(&st, 0, sizeof(st));
	if (mach_port_get_attributes(mach_task_self(), port,
	    MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &n) !=
	    KERN_SUCCESS)
		memset(&st, 0xff, sizeof(st));
	return st;
}

/* Receive one message on port into buf, waiting at most ms. */
static inline mach_msg_return_t ipc_recv(mach_msg_header_t *buf,
					 mach_msg_size_t size,
					 mach_port_t port, unsigned int ms)
{
	return mach_msg(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, size, port,
	    ms, MACH_PORT_NULL);
}

/* Send msg (size bytes) without blocking on a full queue. */
static inline mach_msg_return_t ipc_send(mach_msg_header_t *msg,
					 mach_msg_size_t size)
{
	return mach_msg(msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* A message with one out-of-line descriptor (see ipc_ool_msg_init). */
struct ipc_ool_msg {
	mach_msg_header_t h;
	mach_msg_body_t b;
	mach_msg_ool_descriptor_t mem;
};

/*
 * Make m a message to dest (MAKE_SEND, no reply port) carrying the
 * out-of-line region [addr, addr + size), to be sent with ipc_send.
 */
static inline void ipc_ool_msg_init(struct ipc_ool_msg *m, mach_port_t dest, const void *addr,
				    mach_msg_size_t size)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = dest;
	m->b.msgh_descriptor_count = 1;
	m->mem.address = (void *)(uintptr_t)addr;
	m->mem.size = size;
	m->mem.type = MACH_MSG_OOL_DESCRIPTOR;
}

/*
 * Send a bare message (header only) with id to dest (disposition
 * dest_type), reply port reply (reply_type, 0 for none).
 */
static inline mach_msg_return_t ipc_send_bare(mach_port_t dest,
					      mach_msg_type_name_t dest_type,
					      mach_port_t reply,
					      mach_msg_type_name_t reply_type,
					      mach_msg_id_t id)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(dest_type, reply_type);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = dest;
	h.msgh_local_port = reply;
	h.msgh_id = id;
	return ipc_send(&h, sizeof(h));
}

/*
 * Receive and destroy every message queued on port; returns how many.
 * Never waits.
 */
static inline int ipc_drain(mach_port_t port)
{
	union {
		mach_msg_header_t	h;
		uint8_t			space[4096];
	} m;
	int n = 0;

	while (ipc_recv(&m.h, sizeof(m), port, IPC_NONE_MS) ==
	    MACH_MSG_SUCCESS) {
		mach_msg_destroy(&m.h);
		n++;
	}
	return n;
}

/*
 * Spawn the boot program prog with a copy of the send right `port' as its
 * bootstrap port; this task's own bootstrap port is put back afterwards.
 * Returns the task id (> 0) or a value <= 0 on failure.
 */
static inline int ipc_spawn_with_port(const char *prog, mach_port_t port)
{
	mach_port_t self = mach_task_self(), saved = MACH_PORT_NULL;

	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &saved) !=
	    KERN_SUCCESS)
		return -KERN_FAILURE;
	if (task_set_special_port(self, TASK_BOOTSTRAP_PORT, port) !=
	    KERN_SUCCESS) {
		(void)mach_port_deallocate(self, saved);
		return -KERN_FAILURE;
	}
	int task = mk_spawn(prog);
	(void)task_set_special_port(self, TASK_BOOTSTRAP_PORT, saved);
	(void)mach_port_deallocate(self, saved);
	return task;
}

/*
 * Wait up to secs for a spawned task to end; kill it if it does not.
 * Returns 0 if it exited with status 0, else a nonzero value (the exit
 * status, or -1 for any other ending).
 */
static inline int ipc_wait(int task, unsigned int secs)
{
	struct mk_exit_info info = { 0, 0, 0 };
	unsigned int hz = mk_info(MK_INFO_HZ);

	if (task <= 0)
		return -1;
	kern_return_t kr = mk_task_wait(task, secs * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(task);
		(void)mk_task_wait(task, secs * hz, &info);
		return -1;
	}
	if (kr != KERN_SUCCESS || info.how != MK_EXIT_STATUS)
		return -1;
	return info.code;
}

/* Child side: the send right the parent handed over (or MACH_PORT_NULL). */
static inline mach_port_t ipc_parent_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &p) !=
	    KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* Ticks since boot, and ms converted to ticks (rounded down). */
static inline unsigned int ipc_ticks(void)
{
	return mk_info(MK_INFO_TICKS);
}

static inline unsigned int ipc_ms_to_ticks(unsigned int ms)
{
	return ms * mk_info(MK_INFO_HZ) / 1000u;
}

/*
 * The dispositions test (tests/ipc_dispositions) and its peer
 * (testaux/ipc_disp_peer).  The parent hands over its port P; the peer
 * sends DISP_HELLO to P with a MAKE_SEND of its own port C as the reply
 * port.  Every later message goes parent -> C; for each, the peer sends a
 * DISP_REPORT to P describing, in order, the right in the header's reply
 * field (if any) and every right in the descriptors (an OOL port array
 * contributes one entry per element), as seen from the peer's space.
 *
 *   DISP_INSPECT	report; keep the rights
 *   DISP_QUERY		report on names[] (peer names from earlier reports)
 *   DISP_REPLY_SO	send a bare message id DISP_SO_ID on names[0]
 *			(MOVE_SEND_ONCE), then report on names[0]
 *   DISP_GIVE		send names[0] back to P in a port descriptor with
 *			disposition arg, then report on names[0]
 *   DISP_DROP		mach_port_destroy each of names[], report on them
 *   DISP_EXIT		end with status 0 (no report)
 *
 * Every report also gives the peer's own name for C (peer_port).
 */
#define DISP_HELLO	0x4400
#define DISP_INSPECT	0x4401
#define DISP_QUERY	0x4402
#define DISP_REPLY_SO	0x4403
#define DISP_GIVE	0x4404
#define DISP_DROP	0x4405
#define DISP_EXIT	0x4409
#define DISP_REPORT	0x4480
#define DISP_GIVEN	0x4481
#define DISP_SO_ID	0x4482
#define DISP_MAX	8

#pragma pack(push, 4)
struct disp_right {
	mach_port_name_t	name;
	kern_return_t		kr;		/* of mach_port_type */
	mach_port_type_t	type;
	mach_port_urefs_t	send, sonce, recv, dead;
};

struct disp_report {
	mach_msg_header_t	head;
	mach_port_name_t	peer_port;	/* the peer's name for C */
	uint32_t		count;
	struct disp_right	r[DISP_MAX];
};

/* A simple command: names[] in the peer's space, arg as the command says. */
struct disp_cmd {
	mach_msg_header_t	head;
	uint32_t		arg;
	uint32_t		count;
	mach_port_name_t	names[DISP_MAX];
};
#pragma pack(pop)

/*
 * The OOL test (tests/ipc_ool) and its peer (testaux/ipc_ool_peer): the
 * peer sends OOL_HELLO (reply MAKE_SEND of its port) to the parent's
 * port; the parent sends OOL_DATA with one OOL region; the peer answers
 * OOL_SUM with the region's size, address alignment and checksum, then
 * sends OOL_BACK: a region of OOL_BACK_SIZE bytes of ool_pattern(i, 2)
 * with deallocate set, and reports whether its own copy is gone.
 */
#define OOL_HELLO	0x4500
#define OOL_DATA	0x4501
#define OOL_SUM		0x4502
#define OOL_BACK	0x4503
#define OOL_EXIT	0x4509
#define OOL_BACK_SIZE	(1024u * 1024u)

#pragma pack(push, 4)
struct ool_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	data;
	uint32_t			seed;
};

struct ool_sum {
	mach_msg_header_t	head;
	uint32_t		size;
	uint32_t		page_offset;
	uint32_t		sum;
	uint32_t		bad;		/* bytes not matching the pattern */
	uint32_t		gone;		/* OOL_BACK: sender's range gone */
};
#pragma pack(pop)

/* The byte at offset i of a region filled with seed. */
static inline uint8_t ool_pattern(uint32_t i, uint32_t seed)
{
	return (uint8_t)((i * 131u + seed * 7u) ^ (i >> 10) ^ (i >> 17));
}

/*
 * The notify test's peer (testaux/ipc_notify_peer): sends NOTIFY_HELLO to
 * the parent's port with two port descriptors, MAKE_SEND of its ports C1
 * and C2, then waits on C1 for NOTIFY_DIE and exits 0.
 */
#define NOTIFY_HELLO	0x4600
#define NOTIFY_DIE	0x4601

#pragma pack(push, 4)
struct notify_hello {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port[2];
};
#pragma pack(pop)

#endif /* _TESTAUX_IPC_COMMON_H_ */
