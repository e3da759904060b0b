/*
 * exc_server_dies: an exception server that goes away without
 * answering must not leave the faulting task hanging.
 *
 * For each mode, this task spawns testaux/exc_dying_server (S) with its
 * bootstrap port set to our port P, gets S's exception port E and control
 * port C from S's HELLO, installs E as our task's EXC_BAD_INSTRUCTION
 * port just long enough to spawn testaux/exc_ud2 (F, which inherits it),
 * and tells S the mode (see testaux/exc_dying_server.c):
 *
 *   exit     S receives F's request and exits without replying;
 *   killed   S receives it, reports GOT, and we kill S (mk_task_kill);
 *   queued   the request is queued on E, S reports GOT, we kill S;
 *   drop     S receives it and deallocates the reply right (S lives on);
 *   destroy  the request is queued and S destroys E's receive right.
 *
 * In every mode F has no further handler, so it must end, within a
 * generous timeout, terminated by its fault: MK_EXIT_FAULT, trap 6, at
 * the ud2.  S must end as the mode says (exit 0 / killed).
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>

/* Must match testaux/exc_dying_server.c. */
#define HELLO_ID	0x48454c4f
#define MODE_ID		0x4d4f4445
#define GOT_ID		0x474f5421
#define QUIT_ID		0x51554954
enum { MODE_EXIT = 1, MODE_HOLD, MODE_QUEUED, MODE_DROP, MODE_DESTROY };

#define RCV_TIMEOUT_MS	60000u
#define WAIT_S		60

static const struct {
	const char *name;
	int mode;
	int got;	/* S reports GOT */
	int kill;	/* we kill S */
} modes[] = {
	{ "exit", MODE_EXIT, 0, 0 },
	{ "killed", MODE_HOLD, 1, 1 },
	{ "queued", MODE_QUEUED, 1, 1 },
	{ "drop", MODE_DROP, 1, 0 },
	{ "destroy", MODE_DESTROY, 1, 0 },
};

static int spawn_with_bootstrap(const char *prog, mach_port_t bp)
{
	mach_port_t self = mach_task_self(), old = MACH_PORT_NULL;
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &old) != KERN_SUCCESS ||
	    task_set_special_port(self, TASK_BOOTSTRAP_PORT, bp) != KERN_SUCCESS)
		return -1;
	int id = mk_spawn(prog);
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, old);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(self, old);
	return id;
}

/* Spawn testaux/exc_ud2 with e as its task's EXC_BAD_INSTRUCTION port. */
static int spawn_faulter(mach_port_t e)
{
	mach_port_t self = mach_task_self();
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t old[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	if (task_swap_exception_ports(self, EXC_MASK_BAD_INSTRUCTION, e, EXCEPTION_DEFAULT, 0,
				      masks, &cnt, old, behaviors, flavors) != KERN_SUCCESS)
		return -1;
	int id = mk_spawn("testaux/exc_ud2");
	for (mach_msg_type_number_t i = 0; i < cnt; i++) {
		task_set_exception_ports(self, masks[i], old[i], behaviors[i], flavors[i]);
		if (MACH_PORT_VALID(old[i]))
			mach_port_deallocate(self, old[i]);
	}
	return id;
}

static mach_msg_return_t send_to(mach_port_t port, mach_msg_id_t id, int mode)
{
	struct {
		mach_msg_header_t h;
		NDR_record_t ndr;
		int mode;
	} m;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = port;
	m.h.msgh_id = id;
	m.ndr = NDR_record;
	m.mode = mode;
	return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static kern_return_t wait_task(int id, struct mk_exit_info *info)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	kern_return_t kr = mk_task_wait(id, WAIT_S * hz, info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(id);
		mk_task_wait(id, WAIT_S * hz, info);
	}
	return kr;
}

static void run_mode(unsigned int i, mach_port_t p)
{
	const char *n = modes[i].name;
	mach_port_t self = mach_task_self();
	struct mk_exit_info info = { 0, 0, 0 };

	int s = spawn_with_bootstrap("testaux/exc_dying_server", p);
	if (!tap_ok(s > 0, "%s: server spawned (%d)", n, s))
		return;
	union {
		mach_msg_header_t h;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t body;
			mach_msg_port_descriptor_t e;
		} hello;
		uint8_t space[256];
	} m;
	mach_msg_return_t mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
					RCV_TIMEOUT_MS, MACH_PORT_NULL);
	int ok = tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == HELLO_ID &&
			(m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
			m.hello.body.msgh_descriptor_count == 1 &&
			MACH_PORT_VALID(m.hello.e.name) && MACH_PORT_VALID(m.h.msgh_remote_port),
			"%s: got the server's exception and control ports (mr %#x)", n, mr);
	if (!ok) {
		mk_task_kill(s);
		wait_task(s, &info);
		return;
	}
	mach_port_t e = m.hello.e.name, c = m.h.msgh_remote_port;

	int f = spawn_faulter(e);
	mach_port_deallocate(self, e);
	tap_ok(f > 0, "%s: faulter spawned with the server's port (%d)", n, f);
	tap_ok(send_to(c, MODE_ID, modes[i].mode) == MACH_MSG_SUCCESS, "%s: mode sent", n);

	if (modes[i].got) {
		mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
			      RCV_TIMEOUT_MS, MACH_PORT_NULL);
		tap_ok(mr == MACH_MSG_SUCCESS && m.h.msgh_id == GOT_ID,
		       "%s: the server has the request (mr %#x, id %#x)", n, mr, m.h.msgh_id);
	}
	if (modes[i].kill)
		tap_ok(mk_task_kill(s) == KERN_SUCCESS, "%s: server killed", n);

	if (f > 0) {
		kern_return_t kr = wait_task(f, &info);
		tap_ok(kr == KERN_SUCCESS, "%s: the faulter did not hang (kr %#x)", n, kr);
		tap_ok(info.how == MK_EXIT_FAULT && info.code == 6 && info.addr >= 0x08048000u &&
		       info.addr < 0x08148000u,
		       "%s: the faulter was terminated by its fault, trap 6 (how %d, code %d, "
		       "addr %#x)", n, info.how, info.code, info.addr);
	}

	if (!modes[i].kill && modes[i].mode != MODE_EXIT)
		send_to(c, QUIT_ID, 0);
	kern_return_t kr = wait_task(s, &info);
	int want_how = modes[i].kill ? MK_EXIT_KILLED : MK_EXIT_STATUS;
	tap_ok(kr == KERN_SUCCESS && info.how == want_how && (modes[i].kill || info.code == 0),
	       "%s: the server ended as it should (kr %#x, how %d, code %d)", n, kr, info.how,
	       info.code);
	mach_port_deallocate(self, c);
}

int main(void)
{
	mach_port_t self = mach_task_self(), p;
	if (!tap_ok(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS &&
		    mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS,
		    "port P made"))
		return tap_done();
	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		run_mode(i, p);
	mach_port_destroy(self, p);
	return tap_done();
}
