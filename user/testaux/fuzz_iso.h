/*
 * fuzz_iso.h - what the isolation tests (user/tests/isolation_*.c) and
 * their child (testaux/fuzz_iso_child.c) share: the hello message, the
 * commands, the child's region, and starting a child.
 */
#ifndef _TESTAUX_FUZZ_ISO_H_
#define _TESTAUX_FUZZ_ISO_H_

#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>

#define ISO_HELLO		0x150
#define ISO_SYSEXIT_KERNEL	0x151
#define ISO_TF_SYSENTER		0x152
#define ISO_READ_WINDOW		0x153
#define ISO_CHECK_REGION	0x154
#define ISO_SPIN		0x155
#define ISO_FAULT		0x156

#define ISO_REGION		0x30000000u
#define ISO_REGION_SIZE		(16u * 1024)

static inline uint32_t iso_pattern(uint32_t i)
{
	return i * 0x9e3779b1u ^ 0xc0ffee00u;
}

/* The child's hello: its port (reply), task and thread, two addresses. */
struct iso_hello {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	task;
	mach_msg_port_descriptor_t	thread;
	uint32_t			privileged;	/* address of privileged() */
	uint32_t			region;
};

/* A command to the child: the id says what, arg how. */
struct iso_cmd {
	mach_msg_header_t	head;
	uint32_t		arg;
};

/* A started child: its task id and the rights its hello brought. */
struct iso_child {
	int id;
	mach_port_t port, task, thread;
	uint32_t privileged, region;
};

#ifdef _TESTAUX_IPC_COMMON_H_
/* Start testaux/fuzz_iso_child and take its hello.  0 on success. */
static inline int iso_start(struct iso_child *c)
{
	mach_port_t p = ipc_port_send();
	union {
		struct iso_hello h;
		uint8_t b[256];
	} u;
	memset(c, 0, sizeof(*c));
	c->id = ipc_spawn_with_port("testaux/fuzz_iso_child", p);
	if (c->id <= 0 || ipc_recv(&u.h.head, sizeof(u), p, 30000) != MACH_MSG_SUCCESS ||
	    u.h.head.msgh_id != ISO_HELLO) {
		(void)mach_port_destroy(mach_task_self(), p);
		return -1;
	}
	(void)mach_port_destroy(mach_task_self(), p);
	c->port = u.h.head.msgh_remote_port;
	c->task = u.h.task.name;
	c->thread = u.h.thread.name;
	c->privileged = u.h.privileged;
	c->region = u.h.region;
	return 0;
}

/* Send command id (with arg) to the child. */
static inline mach_msg_return_t iso_command(struct iso_child *c, mach_msg_id_t id, uint32_t arg)
{
	struct iso_cmd m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = c->port;
	m.head.msgh_id = id;
	m.arg = arg;
	return ipc_send(&m.head, sizeof(m));
}

/* Wait for the child's end; release its rights.  Returns how it ended. */
static inline struct mk_exit_info iso_end(struct iso_child *c, unsigned secs)
{
	struct mk_exit_info info = { 0, 0, 0 };
	unsigned hz = mk_info(MK_INFO_HZ);
	if (mk_task_wait(c->id, secs * hz, &info) == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(c->id);
		(void)mk_task_wait(c->id, 10 * hz, &info);
		info.how = -1;
	}
	mach_port_t names[] = { c->port, c->task, c->thread };
	for (unsigned i = 0; i < 3; i++)
		if (MACH_PORT_VALID(names[i]))
			(void)mach_port_deallocate(mach_task_self(), names[i]);
	return info;
}
#endif

#endif /* _TESTAUX_FUZZ_ISO_H_ */
