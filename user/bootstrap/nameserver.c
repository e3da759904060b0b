/*
 * The name service: a thread of the bootstrap task that serves the
 * bootstrap port with launchd's register (403) and look_up (404)
 * requests (wire format in <servers/bootstrap.h>).
 *
 * State: a table of (name, send right) pairs.  Several names may hold the
 * same port; the space then keeps one name for it with one user
 * reference per table entry.  A dead-name request, armed once per port
 * with a send-once right to the service port itself, tells the server
 * when a registered port dies; the notification queues behind any
 * earlier request, so a look_up sent after the port died never sees it.
 * Only this thread touches the table.
 *
 * Replies go out with a zero send timeout: a client whose reply port is
 * full (only possible with a send right rather than a send-once right)
 * loses its reply instead of stalling the service.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mig.h>
#include <mk/mach_port.h>
#include <mk/thread.h>
#include <servers/bootstrap.h>
#include "nameserver.h"

#define READY_WAIT_MS	10
#define READY_TRIES	3000

struct service {
	mach_port_t	port;		/* MACH_PORT_NULL: slot free */
	name_t		name;
};

static struct service services[NAMESERVER_MAX_SERVICES];
static mach_port_t service_port = MACH_PORT_NULL;
static volatile int server_ready;

/* Every request and notification fits; larger messages are dropped. */
union request {
	mach_msg_header_t			head;
	bootstrap_register_request_t		reg;
	bootstrap_look_up_request_t		look_up;
	mach_dead_name_notification_t		dead_name;
	uint8_t					space[512];
};

union reply {
	mach_msg_header_t			head;
	mig_reply_error_t			error;
	bootstrap_look_up_reply_t		look_up;
};

static struct service *find(const char *name)
{
	for (int i = 0; i < NAMESERVER_MAX_SERVICES; i++)
		if (services[i].port != MACH_PORT_NULL &&
		    strcmp(services[i].name, name) == 0)
			return &services[i];
	return NULL;
}

/* Entries holding port. */
static int holders(mach_port_t port)
{
	int n = 0;

	for (int i = 0; i < NAMESERVER_MAX_SERVICES; i++)
		if (services[i].port == port)
			n++;
	return n;
}

/* A request's name is usable if it is NUL-terminated and not empty. */
static int name_ok(const char *name)
{
	if (name[0] == '\0')
		return 0;
	for (int i = 1; i < BOOTSTRAP_MAX_NAME_LEN; i++)
		if (name[i] == '\0')
			return 1;
	return 0;
}

/*
 * The port under `port' died: forget every entry for it and drop all of
 * the dead name's user references (the entries' and, where the kernel
 * adds one, the notification's).  A stale or forged notification, for a
 * name that is not a dead name here, changes nothing.
 */
static void port_died(mach_port_t port)
{
	mach_port_type_t type;
	mach_port_urefs_t refs = 0;

	if (!MACH_PORT_VALID(port) ||
	    mach_port_type(mach_task_self(), port, &type) != KERN_SUCCESS ||
	    type != MACH_PORT_TYPE_DEAD_NAME)
		return;
	for (int i = 0; i < NAMESERVER_MAX_SERVICES; i++)
		if (services[i].port == port)
			services[i].port = MACH_PORT_NULL;
	if (mach_port_get_refs(mach_task_self(), port,
	    MACH_PORT_RIGHT_DEAD_NAME, &refs) == KERN_SUCCESS && refs > 0)
		(void)mach_port_mod_refs(mach_task_self(), port,
		    MACH_PORT_RIGHT_DEAD_NAME, -(mach_port_delta_t)refs);
}

/* Is the registered port already dead?  Then drop it (see port_died). */
static int check_dead(struct service *s)
{
	mach_port_type_t type;

	if (mach_port_type(mach_task_self(), s->port, &type) == KERN_SUCCESS &&
	    !(type & MACH_PORT_TYPE_DEAD_NAME))
		return 0;
	port_died(s->port);
	s->port = MACH_PORT_NULL;
	return 1;
}

/*
 * register: the descriptor's right (already in this space) goes into the
 * table or is released.  Returns the reply code.
 */
static kern_return_t do_register(bootstrap_register_request_t *req)
{
	mach_port_t port = req->service_port.name;
	struct service *s = find(req->service_name);

	if (port == MACH_PORT_NULL) {
		if (s == NULL)
			return BOOTSTRAP_UNKNOWN_SERVICE;
		if (!check_dead(s)) {
			(void)mach_port_deallocate(mach_task_self(), s->port);
			s->port = MACH_PORT_NULL;
		}
		return BOOTSTRAP_SUCCESS;
	}
	if (port == MACH_PORT_DEAD)
		return KERN_INVALID_RIGHT;
	if (s != NULL && !check_dead(s)) {
		(void)mach_port_deallocate(mach_task_self(), port);
		return BOOTSTRAP_NAME_IN_USE;
	}
	for (int i = 0; i < NAMESERVER_MAX_SERVICES; i++) {
		if (services[i].port != MACH_PORT_NULL)
			continue;
		if (holders(port) == 0) {
			mach_port_t prev = MACH_PORT_NULL;
			kern_return_t kr = mach_port_request_notification(
			    mach_task_self(), port, MACH_NOTIFY_DEAD_NAME, 1,
			    service_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
			if (kr != KERN_SUCCESS) {
				(void)mach_port_deallocate(mach_task_self(),
				    port);
				return kr;
			}
			if (prev != MACH_PORT_NULL)
				(void)mach_port_deallocate(mach_task_self(),
				    prev);
		}
		services[i].port = port;
		memcpy(services[i].name, req->service_name,
		    BOOTSTRAP_MAX_NAME_LEN);
		return BOOTSTRAP_SUCCESS;
	}
	(void)mach_port_deallocate(mach_task_self(), port);
	return BOOTSTRAP_NO_MEMORY;
}

/* Fill in an error reply (also used for register's success). */
static void error_reply(union reply *rep, kern_return_t kr)
{
	rep->error.Head.msgh_bits = 0;
	rep->error.Head.msgh_size = sizeof(rep->error);
	rep->error.NDR = NDR_record;
	rep->error.RetCode = kr;
}

/* look_up: a COPY_SEND of the registered right, or an error reply. */
static void do_look_up(bootstrap_look_up_request_t *req, union reply *rep)
{
	struct service *s = find(req->service_name);

	if (s == NULL || check_dead(s)) {
		error_reply(rep, BOOTSTRAP_UNKNOWN_SERVICE);
		return;
	}
	rep->look_up.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	rep->look_up.head.msgh_size = sizeof(rep->look_up);
	rep->look_up.body.msgh_descriptor_count = 1;
	rep->look_up.service_port.name = s->port;
	rep->look_up.service_port.pad1 = 0;
	rep->look_up.service_port.pad2 = 0;
	rep->look_up.service_port.disposition = MACH_MSG_TYPE_COPY_SEND;
	rep->look_up.service_port.type = MACH_MSG_PORT_DESCRIPTOR;
}

/* Is req a well-formed register request? */
static int register_ok(const union request *req)
{
	const bootstrap_register_request_t *r = &req->reg;

	return (r->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    r->head.msgh_size == sizeof(*r) &&
	    r->body.msgh_descriptor_count == 1 &&
	    r->service_port.type == MACH_MSG_PORT_DESCRIPTOR &&
	    (r->service_port.disposition == MACH_MSG_TYPE_PORT_SEND ||
	     !MACH_PORT_VALID(r->service_port.name)) &&
	    name_ok(r->service_name);
}

/* Is req a well-formed look_up request? */
static int look_up_ok(const union request *req)
{
	const bootstrap_look_up_request_t *r = &req->look_up;

	return !(r->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    r->head.msgh_size == sizeof(*r) && name_ok(r->service_name);
}

/*
 * Handle one received message.  Returns 1 with *rep filled in if a reply
 * is due, else 0.  Whatever rights the request carries besides its reply
 * right are consumed here.
 */
static int handle(union request *req, union reply *rep)
{
	mach_msg_header_t *h = &req->head;

	switch (h->msgh_id) {
	case MACH_NOTIFY_DEAD_NAME:
		if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    h->msgh_size == offsetof(mach_dead_name_notification_t,
		    trailer))
			port_died(req->dead_name.not_port);
		mach_msg_destroy(h);
		return 0;
	case MACH_NOTIFY_PORT_DELETED:
	case MACH_NOTIFY_SEND_ONCE:
		/* an unregistered name, a cancelled request: nothing to do */
		mach_msg_destroy(h);
		return 0;
	case BOOTSTRAP_MSG_REGISTER:
		if (!register_ok(req))
			break;
		error_reply(rep, do_register(&req->reg));
		return 1;
	case BOOTSTRAP_MSG_LOOK_UP:
		if (!look_up_ok(req))
			break;
		do_look_up(&req->look_up, rep);
		return 1;
	default:
		/* unknown id: MIG_BAD_ID, after the checks below */
		break;
	}

	/* A request we cannot use: release its rights, keep the reply right. */
	kern_return_t kr = (h->msgh_id == BOOTSTRAP_MSG_REGISTER ||
	    h->msgh_id == BOOTSTRAP_MSG_LOOK_UP) ? MIG_BAD_ARGUMENTS : MIG_BAD_ID;
	mach_port_t reply = h->msgh_remote_port;
	mach_msg_bits_t reply_type = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	h->msgh_remote_port = MACH_PORT_NULL;
	h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
	mach_msg_destroy(h);
	h->msgh_remote_port = reply;
	h->msgh_bits |= reply_type;
	error_reply(rep, kr);
	return 1;
}

/* Send rep to the request's reply right, or drop it if it cannot go. */
static void send_reply(union request *req, union reply *rep)
{
	mach_msg_header_t *h = &req->head;

	if (!MACH_PORT_VALID(h->msgh_remote_port))
		return;		/* no one to answer; COPY_SEND took nothing */
	rep->head.msgh_bits |= MACH_MSGH_BITS(
	    MACH_MSGH_BITS_REMOTE(h->msgh_bits), 0);
	rep->head.msgh_remote_port = h->msgh_remote_port;
	rep->head.msgh_local_port = MACH_PORT_NULL;
	rep->head.msgh_voucher_port = MACH_PORT_NULL;
	rep->head.msgh_id = BOOTSTRAP_REPLY(h->msgh_id);
	mach_msg_return_t mr = mach_msg(&rep->head,
	    MACH_SEND_MSG | MACH_SEND_TIMEOUT, rep->head.msgh_size, 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED ||
	    mr == MACH_SEND_INVALID_DEST)
		mach_msg_destroy(&rep->head);	/* the rights came back */
	else if (mr != MACH_MSG_SUCCESS)
		(void)mach_port_deallocate(mach_task_self(),
		    h->msgh_remote_port);
}

/* The server thread: make the MIG reply port, then serve forever. */
static void server_loop(void *arg)
{
	union request req;
	union reply rep;
	mach_port_type_t type;

	(void)arg;
	/* An RPC now makes this thread's reply port before any test runs. */
	(void)mach_port_type(mach_task_self(), service_port, &type);
	server_ready = 1;
	for (;;) {
		mach_msg_return_t mr = mach_msg(&req.head, MACH_RCV_MSG, 0,
		    sizeof(req), service_port, MACH_MSG_TIMEOUT_NONE,
		    MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			continue;	/* too large: the kernel dropped it */
		memset(&rep, 0, sizeof(rep));
		if (handle(&req, &rep))
			send_reply(&req, &rep);
	}
}

/* nameserver_init: see nameserver.h. */
void nameserver_init(void)
{
	mach_port_t port;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &port);
	if (kr != KERN_SUCCESS) {
		printf("bootstrap: no name service port (error %d)\n", kr);
		return;
	}
	kr = mach_port_insert_right(mach_task_self(), port, port,
	    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = task_set_special_port(mach_task_self(),
		    TASK_BOOTSTRAP_PORT, port);
	if (kr != KERN_SUCCESS) {
		printf("bootstrap: cannot install the name service port "
		    "(error %d)\n", kr);
		(void)mach_port_destroy(mach_task_self(), port);
		return;
	}
	service_port = port;
	bootstrap_port = port;	/* the send right made above */
}

/* nameserver_start: see nameserver.h. */
void nameserver_start(void)
{
	if (service_port == MACH_PORT_NULL)
		return;
	int tid = mk_thread_start(server_loop, NULL);
	if (tid <= 0) {
		printf("bootstrap: cannot start the name service (error %d)\n",
		    -tid);
		return;
	}
	for (int i = 0; i < READY_TRIES && !server_ready; i++)
		(void)mk_sleep_ms(READY_WAIT_MS);
	if (!server_ready)
		printf("bootstrap: the name service did not start\n");
}
