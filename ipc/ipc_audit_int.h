/*
 * The IPC auditor's insides, shared by its files: ipc_audit.c (the pass,
 * the tables of known objects, rights, kmsgs, zones), ipc_audit_space.c
 * (spaces and their entries) and ipc_audit_port.c (ports and port sets).
 * See ipc_audit.c for what is checked.
 */
#ifndef _IPC_IPC_AUDIT_INT_H_
#define _IPC_IPC_AUDIT_INT_H_

#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>
#include <kern/thread.h>

#define AUDIT_PRINT_MAX		40	/* violations printed in verbose mode */

#define T_SEND		MACH_PORT_TYPE_SEND
#define T_RECEIVE	MACH_PORT_TYPE_RECEIVE
#define T_SONCE		MACH_PORT_TYPE_SEND_ONCE
#define T_PSET		MACH_PORT_TYPE_PORT_SET
#define T_DEAD		MACH_PORT_TYPE_DEAD_NAME

/* What was found about one port. */
struct ptally {
	ipc_port_t port;		/* NULL: empty hash slot */
	uint32_t send, sonce, recv;	/* rights found */
	uint32_t refs;			/* references found */
	uint32_t rcv_waiters;		/* receivers waiting: each may hold one more */
	uint32_t dn_flags;		/* entries flagged with a dead-name request */
	uint32_t dn_matched;		/* requests that match such an entry */
};

/* What was found about one port set. */
struct stally {
	ipc_pset_t set;
	uint32_t refs;
	uint32_t entries;
};

struct audit {
	bool verbose;
	bool exact;			/* references must match exactly */
	int violations;
	struct ptally *ports;		/* open-addressing hash, pcap slots */
	uint32_t pcap;
	struct stally *sets;
	uint32_t scap;
	ipc_space_t *spaces;
	uint32_t nspaces, spcap;
	uint32_t nports, nsets, nkmsgs;
	/* scratch for the free-list walk of one space */
	uint8_t *marks;
	uint32_t marks_size;
};

/* Count one violation; print it in verbose mode (the first AUDIT_PRINT_MAX). */
void violation(struct audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The tally of a known port or set, or NULL for a pointer that is neither. */
struct ptally *port_tally(struct audit *a, const void *p);
struct stally *set_tally(struct audit *a, const void *s);
/* Is s a live space (one of a task's)?  Is t a thread on all_threads? */
bool known_space(struct audit *a, ipc_space_t s);
bool known_thread(thread_t t);
/* Count one right of kernel-form type `type' to obj, found at `where'. */
void count_right(struct audit *a, const void *obj, mach_msg_type_name_t type, const char *where);
/* One kmsg: queued on a port (queued_on), or held elsewhere (NULL). */
void audit_kmsg(struct audit *a, ipc_kmsg_t k, ipc_port_t queued_on, const char *where);
/* A space: its table, free list, hash chains and every used entry. */
void audit_space(struct audit *a, ipc_space_t s);
/* A port: first collect what it holds (requests, waiters, queue), then check it. */
void collect_port(struct audit *a, struct ptally *pt);
void check_port(struct audit *a, struct ptally *pt);
/* A port set: membership and its name. */
void audit_set(struct audit *a, struct stally *st);

#endif
