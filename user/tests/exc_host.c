/*
 * exc_host: the host level of exception delivery, and the privileged
 * host port that guards it.
 *
 *   - This task was spawned by bootstrap, so its TASK_HOST_PORT (what
 *     mach_host_self() returns) is the privileged host port;
 *     host_get_special_port gives both host ports, and refuses the
 *     unprivileged one, another node and an unknown `which'.
 *   - host_{set,get,swap}_exception_ports refuse the unprivileged port
 *     with KERN_INVALID_ARGUMENT (as XNU), and refuse bad masks and
 *     behaviors like the task routines.
 *   - A child (testaux/exc_ud2) with no thread or task handler: its ud2
 *     goes to the host port H, whose success (EIP past the ud2) lets the
 *     child return 42.
 *   - With a task-level port C inherited too: C is asked first; C's
 *     KERN_FAILURE moves the same exception on to H; H's failure ends
 *     the chain and the child dies of trap 6.
 *   - After host_swap_exception_ports puts the old (empty) handlers
 *     back, nothing is left at host level.
 *   - A task that sets its TASK_HOST_PORT to the host port has dropped
 *     the privilege: its mach_host_self() no longer sets host handlers.
 *
 * The host handlers are global: every wait here has a timeout, and the
 * test puts the host level back the way it found it.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/host_special_ports.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>

#define RCV_TIMEOUT_MS	30000u
#define WAIT_S		60

/* ok if got == want; the message shows what came back */
#define IS(got, want, msg) do {						\
	int got_ = (int)(got);						\
	tap_ok(got_ == (int)(want), "%s (got %#x)", (msg), got_);	\
} while (0)

union req {
	mach_msg_header_t head;
	__Request__exception_raise_t def;
	uint8_t space[sizeof(__Request__exception_raise_t) + 256];
};

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* Number of handlers set at host level for any exception. */
static int host_handlers(mach_port_t host)
{
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	if (host_get_exception_ports(host, EXC_MASK_ALL, masks, &cnt, ports, behaviors,
				     flavors) != KERN_SUCCESS)
		return -1;
	int n = 0;
	for (mach_msg_type_number_t i = 0; i < cnt; i++) {
		if (MACH_PORT_VALID(ports[i])) {
			n++;
			mach_port_deallocate(mach_task_self(), ports[i]);
		}
	}
	return n;
}

/*
 * Receive one exception_raise on port; check it is the child's ud2 and
 * answer it: success skips the ud2, anything else is the RetCode.
 * *eip gets the faulting EIP.  Returns 1 if the request was as expected.
 */
static int serve(mach_port_t port, kern_return_t ret, uint32_t *eip)
{
	union req q;
	mach_msg_return_t mr = mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(q),
					port, RCV_TIMEOUT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return 0;
	mach_port_t self = mach_task_self();
	int good = q.head.msgh_id == 2401 && (q.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		   q.def.exception == EXC_BAD_INSTRUCTION && q.def.codeCnt == 2 &&
		   q.def.code[0] == EXC_I386_INVOP && q.def.task.name != self;
	i386_thread_state_t ts;
	mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
	memset(&ts, 0, sizeof(ts));
	good &= thread_get_state(q.def.thread.name, i386_THREAD_STATE, (thread_state_t)&ts,
				 &cnt) == KERN_SUCCESS;
	*eip = ts.eip;
	if (ret == KERN_SUCCESS) {
		ts.eip += 2;
		good &= thread_set_state(q.def.thread.name, i386_THREAD_STATE,
					 (thread_state_t)&ts, cnt) == KERN_SUCCESS;
	}
	if (q.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_port_deallocate(self, q.def.thread.name);
		mach_port_deallocate(self, q.def.task.name);
	}
	mig_reply_error_t r;
	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_remote_port = q.head.msgh_remote_port;
	r.Head.msgh_id = q.head.msgh_id + 100;
	r.Head.msgh_size = sizeof(r);
	r.NDR = NDR_record;
	r.RetCode = ret;
	good &= mach_msg(&r.Head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) == MACH_MSG_SUCCESS;
	return good;
}

/* Wait for child (killing it after WAIT_S); the way it ended. */
static struct mk_exit_info reap(int child)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	struct mk_exit_info info = { 0, 0, 0 };
	if (mk_task_wait(child, WAIT_S * hz, &info) == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(child);
		mk_task_wait(child, WAIT_S * hz, &info);
		info.how = -1;
	}
	return info;
}

static void special_ports(mach_port_t priv, mach_port_t host)
{
	mach_port_t p = MACH_PORT_NULL;
	kern_return_t kr = host_get_special_port(priv, HOST_LOCAL_NODE, HOST_PRIV_PORT, &p);
	tap_ok(kr == KERN_SUCCESS && p == priv, "HOST_PRIV_PORT is our mach_host_self() "
	       "(kr %#x, %#x, %#x)", kr, p, priv);
	if (MACH_PORT_VALID(p))
		mach_port_deallocate(mach_task_self(), p);
	tap_ok(MACH_PORT_VALID(host) && host != priv, "HOST_PORT is another port (%#x)", host);
	p = MACH_PORT_NULL;
	tap_ok(host_get_special_port(priv, HOST_LOCAL_NODE, HOST_DYNAMIC_PAGER_PORT, &p) ==
	       KERN_SUCCESS && p == MACH_PORT_NULL, "an unset host special port is null");
	IS(host_get_special_port(host, HOST_LOCAL_NODE, HOST_PORT, &p),
		   KERN_INVALID_ARGUMENT, "host_get_special_port on the host port");
	IS(host_get_special_port(priv, 5, HOST_PORT, &p), KERN_INVALID_ARGUMENT,
		   "host_get_special_port for another node");
	IS(host_get_special_port(priv, HOST_LOCAL_NODE, 99, &p), KERN_INVALID_ARGUMENT,
		   "host_get_special_port for which 99");
	IS(host_get_special_port(priv, HOST_LOCAL_NODE, HOST_SECURITY_PORT, &p),
		   KERN_INVALID_ARGUMENT, "host_get_special_port for the security port");
}

static void refusals(mach_port_t priv, mach_port_t host, mach_port_t h)
{
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;

	IS(host_set_exception_ports(host, EXC_MASK_BAD_INSTRUCTION, h, EXCEPTION_DEFAULT, 0),
		   KERN_INVALID_ARGUMENT, "host_set_exception_ports on the unprivileged port");
	IS(host_get_exception_ports(host, EXC_MASK_ALL, masks, &cnt, ports, behaviors,
					    flavors),
		   KERN_INVALID_ARGUMENT, "host_get_exception_ports on the unprivileged port");
	cnt = EXC_TYPES_COUNT;
	IS(host_swap_exception_ports(host, EXC_MASK_ALL, h, EXCEPTION_DEFAULT, 0, masks,
					     &cnt, ports, behaviors, flavors),
		   KERN_INVALID_ARGUMENT, "host_swap_exception_ports on the unprivileged port");
	IS(host_set_exception_ports(mach_task_self(), EXC_MASK_ALL, h, EXCEPTION_DEFAULT, 0),
		   KERN_INVALID_ARGUMENT, "host_set_exception_ports on a task port");
	IS(host_set_exception_ports(priv, 1u << 30, h, EXCEPTION_DEFAULT, 0),
		   KERN_INVALID_ARGUMENT, "host_set_exception_ports with a bad mask");
	IS(host_set_exception_ports(priv, EXC_MASK_ALL, h, 77, 0),
		   KERN_INVALID_ARGUMENT, "host_set_exception_ports with a bad behavior");
	IS(host_handlers(priv), 0, "the refused calls set nothing");
}

int main(void)
{
	mach_port_t self = mach_task_self(), priv = mach_host_self(), host = MACH_PORT_NULL;
	kern_return_t kr = host_get_special_port(priv, HOST_LOCAL_NODE, HOST_PORT, &host);
	IS(kr, KERN_SUCCESS, "host_get_special_port(HOST_PORT) on mach_host_self()");
	special_ports(priv, host);

	IS(host_handlers(priv), 0, "no host handler at the start");
	mach_port_t h = new_port(), c = new_port();
	refusals(priv, host, h);

	/* host level only: its success resumes the child past the ud2 */
	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t old[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	kr = host_swap_exception_ports(priv, EXC_MASK_BAD_INSTRUCTION, h, EXCEPTION_DEFAULT, 0,
				       masks, &cnt, old, behaviors, flavors);
	int before = 0;
	for (mach_msg_type_number_t i = 0; kr == KERN_SUCCESS && i < cnt; i++)
		before += MACH_PORT_VALID(old[i]);
	tap_ok(kr == KERN_SUCCESS && before == 0, "host_swap_exception_ports: H set, no handler "
	       "before (kr %#x, %d)", kr, before);
	IS(host_handlers(priv), 1, "host_get_exception_ports shows H");

	uint32_t eip = 0, eip2 = 0;
	int child = mk_spawn("testaux/exc_ud2");
	tap_ok(child > 0 && serve(h, KERN_SUCCESS, &eip),
	       "no thread or task handler: the host port gets the ud2 (child %d)", child);
	struct mk_exit_info info = child > 0 ? reap(child) : (struct mk_exit_info){ 0, 0, 0 };
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 42,
	       "the host handler's success resumes the child (how %d, code %d)", info.how,
	       info.code);

	/* task level C fails, then host level H fails: trap 6 */
	kr = task_set_exception_ports(self, EXC_MASK_BAD_INSTRUCTION, c, EXCEPTION_DEFAULT, 0);
	child = kr == KERN_SUCCESS ? mk_spawn("testaux/exc_ud2") : -1;
	task_set_exception_ports(self, EXC_MASK_BAD_INSTRUCTION, MACH_PORT_NULL, EXCEPTION_DEFAULT,
				 0);
	tap_ok(child > 0 && serve(c, KERN_FAILURE, &eip), "the task level is asked before the host");
	int served = child > 0 && serve(h, KERN_FAILURE, &eip2);
	tap_ok(served && eip2 == eip,
	       "its failure moves the same exception on to the host (eip %#x, %#x)", eip, eip2);
	info = child > 0 ? reap(child) : (struct mk_exit_info){ 0, 0, 0 };
	tap_ok(info.how == MK_EXIT_FAULT && info.code == 6 && info.addr == eip,
	       "the host's failure ends the chain: trap 6 at %#x (how %d, code %d, addr %#x)", eip,
	       info.how, info.code, info.addr);
	union req q;
	tap_ok(mach_msg(&q.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(q), h, 0,
			MACH_PORT_NULL) == MACH_RCV_TIMED_OUT, "no further request at host level");

	/* put the host level back as it was (empty) */
	cnt = EXC_TYPES_COUNT;
	kr = host_swap_exception_ports(priv, EXC_MASK_ALL, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0,
				       masks, &cnt, old, behaviors, flavors);
	int found = 0, others = 0;
	for (mach_msg_type_number_t i = 0; kr == KERN_SUCCESS && i < cnt; i++) {
		if (old[i] == h && masks[i] == EXC_MASK_BAD_INSTRUCTION &&
		    behaviors[i] == EXCEPTION_DEFAULT)
			found++;
		else if (MACH_PORT_VALID(old[i]))
			others++;
		if (MACH_PORT_VALID(old[i]))
			mach_port_deallocate(self, old[i]);
	}
	tap_ok(kr == KERN_SUCCESS && found == 1 && others == 0,
	       "host_swap_exception_ports returns H for EXC_MASK_BAD_INSTRUCTION only (kr %#x, "
	       "%d, %d)", kr, found, others);
	IS(host_handlers(priv), 0, "no host handler left");

	/* dropping the privilege */
	kr = task_set_special_port(self, TASK_HOST_PORT, host);
	mach_port_t now = mach_host_self();
	tap_ok(kr == KERN_SUCCESS && now == host, "TASK_HOST_PORT set to the host port: "
	       "mach_host_self() is it (%#x)", now);
	IS(host_set_exception_ports(now, EXC_MASK_BAD_INSTRUCTION, h, EXCEPTION_DEFAULT, 0),
		   KERN_INVALID_ARGUMENT, "an unprivileged task sets no host handler");
	IS(task_set_special_port(self, TASK_HOST_PORT, priv), KERN_SUCCESS,
		   "privilege restored");

	mach_port_destroy(self, h);
	mach_port_destroy(self, c);
	return tap_done();
}
