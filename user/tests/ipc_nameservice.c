/*
 * ipc_nameservice: the bootstrap task's name service, and a plain Mach
 * client/server pair that finds each other through it.
 *
 * Covers: bootstrap_port set at start-up; register / look_up with
 * launchd's codes (BOOTSTRAP_UNKNOWN_SERVICE, BOOTSTRAP_NAME_IN_USE,
 * BOOTSTRAP_NO_MEMORY); the rights each call moves (register copies the
 * caller's send right, look_up gives one more uref); unregistering with
 * MACH_PORT_NULL; a registered port that dies is forgotten before any
 * later request is answered; malformed requests get MIG errors; then
 * testaux/ipc_echo_server registers itself, this task looks it up and
 * makes echo RPCs with MAKE_SEND_ONCE reply rights, and after the server
 * quits its name is gone.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"
#include "../testaux/ipc_echo.h"

#define ECHO_SERVICE	"mk.test.ipc_echo"
#define NAME_A		"mk.test.ipc_ns.a"
#define NAME_B		"mk.test.ipc_ns.b"
#define LOOKUP_TRIES	3000
#define LOOKUP_WAIT_MS	10
#define ECHO_CALLS	20
#define FILL_MAX	80

static mach_port_t self, bp;

/* Send a raw request to the bootstrap port; return the reply's RetCode. */
static kern_return_t raw_request(mach_msg_header_t *req, mach_msg_size_t size,
				 mach_msg_id_t *reply_id)
{
	union {
		mig_reply_error_t	e;
		uint8_t			space[512];
	} r;
	mach_port_t rp = ipc_port();

	req->msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->msgh_size = size;
	req->msgh_remote_port = bp;
	req->msgh_local_port = rp;
	mach_msg_return_t mr = mach_msg(req, MACH_SEND_MSG, size, 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		mr = ipc_recv(&r.e.Head, sizeof(r), rp, IPC_RCV_MS);
	(void)mach_port_mod_refs(self, rp, MACH_PORT_RIGHT_RECEIVE, -1);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	*reply_id = r.e.Head.msgh_id;
	if (r.e.Head.msgh_size != sizeof(mig_reply_error_t))
		return MIG_TYPE_ERROR;
	return r.e.RetCode;
}

static void arguments(void)
{
	mach_port_t p = 0x1234;
	kern_return_t kr;
	char longname[BOOTSTRAP_MAX_NAME_LEN + 1];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[BOOTSTRAP_MAX_NAME_LEN] = '\0';
	kr = bootstrap_look_up(bp, "mk.test.ipc_ns.nothing", &p);
	tap_ok(kr == BOOTSTRAP_UNKNOWN_SERVICE && p == 0x1234,
	    "look_up of an unknown name: BOOTSTRAP_UNKNOWN_SERVICE (%d), "
	    "*sp untouched", kr);
	kr = bootstrap_look_up(bp, NULL, &p);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "look_up of NULL: "
	    "KERN_INVALID_ARGUMENT (%d)", kr);
	kr = bootstrap_look_up(bp, "", &p);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "look_up of \"\": "
	    "KERN_INVALID_ARGUMENT (%d)", kr);
	kr = bootstrap_look_up(bp, NAME_A, NULL);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "look_up into NULL: "
	    "KERN_INVALID_ARGUMENT (%d)", kr);
	kr = bootstrap_look_up(bp, longname, &p);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "look_up of a 128-byte name: "
	    "KERN_INVALID_ARGUMENT (%d)", kr);
	longname[BOOTSTRAP_MAX_NAME_LEN - 1] = '\0';
	kr = bootstrap_look_up(bp, longname, &p);
	tap_ok(kr == BOOTSTRAP_UNKNOWN_SERVICE, "look_up of a 127-byte name "
	    "reaches the server: BOOTSTRAP_UNKNOWN_SERVICE (%d)", kr);
	kr = bootstrap_look_up(MACH_PORT_NULL, NAME_A, &p);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "look_up on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);

	/* Requests the server cannot use. */
	mach_msg_id_t rid = 0;
	struct {
		mach_msg_header_t	head;
		NDR_record_t		ndr;
		uint32_t		junk[4];
	} junk;
	memset(&junk, 0, sizeof(junk));
	junk.head.msgh_id = 399;
	kr = raw_request(&junk.head, sizeof(junk), &rid);
	tap_ok(kr == MIG_BAD_ID && rid == 499, "unknown request id: MIG_BAD_ID "
	    "in reply 499 (%d, id %d)", kr, rid);
	memset(&junk, 0, sizeof(junk));
	junk.head.msgh_id = BOOTSTRAP_MSG_LOOK_UP;
	kr = raw_request(&junk.head, sizeof(junk), &rid);
	tap_ok(kr == MIG_BAD_ARGUMENTS && rid == 504, "short look_up request: "
	    "MIG_BAD_ARGUMENTS (%d, id %d)", kr, rid);
	bootstrap_look_up_request_t lu;
	memset(&lu, 0, sizeof(lu));
	memset(lu.service_name, 'y', sizeof(lu.service_name));
	lu.head.msgh_id = BOOTSTRAP_MSG_LOOK_UP;
	kr = raw_request(&lu.head, sizeof(lu), &rid);
	tap_ok(kr == MIG_BAD_ARGUMENTS, "unterminated name: MIG_BAD_ARGUMENTS "
	    "(%d)", kr);
}

static void register_and_look_up(void)
{
	mach_port_t r = ipc_port_send(), r2 = ipc_port_send(), p = 0;
	kern_return_t kr;

	kr = bootstrap_register(bp, NAME_A, r);
	tap_ok(kr == BOOTSTRAP_SUCCESS, "register " NAME_A " (%d)", kr);
	tap_ok(ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1,
	    "the caller keeps its send right (%u uref)",
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = bootstrap_register(bp, NAME_A, r2);
	tap_ok(kr == BOOTSTRAP_NAME_IN_USE, "register it again: "
	    "BOOTSTRAP_NAME_IN_USE (%d)", kr);
	tap_ok(ipc_refs(r2, MACH_PORT_RIGHT_SEND) == 1,
	    "the refused right is still the caller's (%u)",
	    ipc_refs(r2, MACH_PORT_RIGHT_SEND));

	kr = bootstrap_look_up(bp, NAME_A, &p);
	tap_ok(kr == BOOTSTRAP_SUCCESS && p == r &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "look_up gives the same name with one more uref (%d, 0x%x vs 0x%x, "
	    "%u)", kr, p, r, ipc_refs(r, MACH_PORT_RIGHT_SEND));
	(void)mach_port_deallocate(self, r);

	kr = bootstrap_register(bp, NAME_B, r);
	p = 0;
	kern_return_t kr2 = bootstrap_look_up(bp, NAME_B, &p);
	tap_ok(kr == BOOTSTRAP_SUCCESS && kr2 == BOOTSTRAP_SUCCESS && p == r,
	    "the same port under a second name (%d, %d)", kr, kr2);
	(void)mach_port_deallocate(self, r);

	kr = bootstrap_register(bp, NAME_A, MACH_PORT_NULL);
	kr2 = bootstrap_look_up(bp, NAME_A, &p);
	tap_ok(kr == BOOTSTRAP_SUCCESS && kr2 == BOOTSTRAP_UNKNOWN_SERVICE,
	    "registering MACH_PORT_NULL unregisters (%d, then look_up %d)", kr,
	    kr2);
	kr = bootstrap_register(bp, NAME_A, MACH_PORT_NULL);
	tap_ok(kr == BOOTSTRAP_UNKNOWN_SERVICE, "unregistering again: "
	    "BOOTSTRAP_UNKNOWN_SERVICE (%d)", kr);
	p = 0;
	kr = bootstrap_look_up(bp, NAME_B, &p);
	tap_ok(kr == BOOTSTRAP_SUCCESS && p == r, "the other name still "
	    "works (%d)", kr);
	(void)mach_port_deallocate(self, p);
	tap_ok(ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1, "the caller is back to "
	    "1 uref (%u)", ipc_refs(r, MACH_PORT_RIGHT_SEND));

	/* The port dies: the name is forgotten before the next request. */
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	kr2 = bootstrap_look_up(bp, NAME_B, &p);
	tap_ok(kr == KERN_SUCCESS && kr2 == BOOTSTRAP_UNKNOWN_SERVICE,
	    "after its port died, look_up " NAME_B ": "
	    "BOOTSTRAP_UNKNOWN_SERVICE (%d)", kr2);
	kr = bootstrap_register(bp, NAME_B, r2);
	tap_ok(kr == BOOTSTRAP_SUCCESS, "and the name can be registered again "
	    "(%d)", kr);
	kr = bootstrap_register(bp, NAME_B, MACH_PORT_NULL);
	kr2 = mach_port_deallocate(self, r2);
	tap_ok(kr == BOOTSTRAP_SUCCESS && kr2 == KERN_SUCCESS &&
	    ipc_status(r2).mps_srights == 0,
	    "unregistered, and with the caller's right gone no send right is "
	    "left: the server released its own (%d, srights %u)", kr,
	    ipc_status(r2).mps_srights);
	(void)mach_port_destroy(self, r);	/* the dead name */
	(void)mach_port_destroy(self, r2);
}

static void table_full(void)
{
	mach_port_t r = ipc_port_send();
	kern_return_t kr = KERN_SUCCESS;
	char name[40];
	int n;

	for (n = 0; n < FILL_MAX; n++) {
		snprintf(name, sizeof(name), "mk.test.ipc_ns.fill.%d", n);
		kr = bootstrap_register(bp, name, r);
		if (kr != BOOTSTRAP_SUCCESS)
			break;
	}
	tap_ok(kr == BOOTSTRAP_NO_MEMORY && n > 0 && n < FILL_MAX,
	    "registering until the table is full: BOOTSTRAP_NO_MEMORY after "
	    "%d names (%d)", n, kr);
	tap_ok(ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1, "the caller's right "
	    "is untouched (%u)", ipc_refs(r, MACH_PORT_RIGHT_SEND));
	int bad = 0;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "mk.test.ipc_ns.fill.%d", i);
		if (bootstrap_register(bp, name, MACH_PORT_NULL) !=
		    BOOTSTRAP_SUCCESS)
			bad++;
	}
	(void)mach_port_deallocate(self, r);
	tap_ok(bad == 0 && ipc_status(r).mps_srights == 0,
	    "all %d unregistered (%d failed), the server holds no right "
	    "(srights %u)", n, bad, ipc_status(r).mps_srights);
	(void)mach_port_destroy(self, r);
}

static void echo_pair(void)
{
	mach_port_t server = MACH_PORT_NULL, reply = ipc_port();
	kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;
	int tries;

	int task = mk_spawn("testaux/ipc_echo_server");
	if (!tap_ok(task > 0, "spawn testaux/ipc_echo_server (%d)", task))
		return;
	for (tries = 0; tries < LOOKUP_TRIES; tries++) {
		kr = bootstrap_look_up(bp, ECHO_SERVICE, &server);
		if (kr != BOOTSTRAP_UNKNOWN_SERVICE)
			break;
		(void)mk_sleep_ms(LOOKUP_WAIT_MS);
	}
	if (!tap_ok(kr == BOOTSTRAP_SUCCESS &&
	    ipc_type(server) == MACH_PORT_TYPE_SEND &&
	    ipc_refs(server, MACH_PORT_RIGHT_SEND) == 1,
	    "look_up " ECHO_SERVICE ": a send right (%d after %d tries)", kr,
	    tries)) {
		(void)mk_task_kill(task);
		(void)ipc_wait(task, IPC_WAIT_S);
		(void)mach_port_destroy(self, reply);
		return;
	}

	int good = 0;
	kern_return_t first_bad = KERN_SUCCESS;
	for (int i = 0; i < ECHO_CALLS; i++) {
		uint8_t out[ECHO_MAX_DATA], back[ECHO_MAX_DATA];
		uint32_t len = (uint32_t)(i * 13) % ECHO_MAX_DATA;
		for (uint32_t j = 0; j < len; j++)
			out[j] = (uint8_t)(i * 31 + j);
		memset(back, 0, sizeof(back));
		kr = echo_call(server, reply, ECHO_MSG_ECHO, out, len, back);
		if (kr == KERN_SUCCESS && memcmp(out, back, len) == 0)
			good++;
		else if (first_bad == KERN_SUCCESS)
			first_bad = kr != KERN_SUCCESS ? kr : -1;
	}
	tap_ok(good == ECHO_CALLS, "%d of %d echo RPCs came back intact "
	    "(first failure %d)", good, ECHO_CALLS, first_bad);
	mach_port_status_t st = ipc_status(reply);
	tap_ok(ipc_type(reply) == MACH_PORT_TYPE_RECEIVE && st.mps_sorights == 0
	    && st.mps_msgcount == 0 && st.mps_srights == 0,
	    "every send-once reply right was used up (sorights %u, queued %u)",
	    st.mps_sorights, st.mps_msgcount);
	kr = echo_call(server, reply, 0x4777, NULL, 0, NULL);
	tap_ok(kr == MIG_BAD_ID, "an unknown request: MIG_BAD_ID (%d)", kr);
	tap_ok(ipc_refs(server, MACH_PORT_RIGHT_SEND) == 1, "the client still "
	    "holds 1 uref for the server (%u)",
	    ipc_refs(server, MACH_PORT_RIGHT_SEND));

	kr = echo_call(server, reply, ECHO_MSG_QUIT, NULL, 0, NULL);
	tap_ok(kr == KERN_SUCCESS, "quit request answered (%d)", kr);
	int status = ipc_wait(task, IPC_WAIT_S);
	tap_ok(status == 0, "ipc_echo_server exited 0 (%d)", status);
	mach_port_t p = MACH_PORT_NULL;
	kr = bootstrap_look_up(bp, ECHO_SERVICE, &p);
	tap_ok(kr == BOOTSTRAP_UNKNOWN_SERVICE, "after it ended, "
	    ECHO_SERVICE " is unknown (%d)", kr);
	tap_ok(ipc_type(server) == MACH_PORT_TYPE_DEAD_NAME,
	    "the client's right is a dead name (type 0x%x)", ipc_type(server));
	(void)mach_port_destroy(self, server);
	(void)mach_port_destroy(self, reply);
}

int main(void)
{
	self = mach_task_self();
	tap_ok(bootstrap_port != MACH_PORT_NULL,
	    "libmk set bootstrap_port at start-up (0x%x)", bootstrap_port);
	bp = bootstrap_port_get();
	if (!tap_ok(bp != MACH_PORT_NULL &&
	    (ipc_type(bp) & MACH_PORT_TYPE_SEND),
	    "the task has a bootstrap port: a send right (0x%x, type 0x%x)",
	    bp, ipc_type(bp)))
		return tap_done();
	arguments();
	register_and_look_up();
	table_full();
	echo_pair();
	return tap_done();
}
