/*
 * exc_pagefault: a server in this task (A) catches the page faults of
 * another task (B = testaux/exc_faulter) and repairs them in B's address
 * space.
 *
 * A makes a port, installs a send right to it as its own task exception
 * port for EXC_BAD_ACCESS (EXCEPTION_DEFAULT), spawns B (which inherits
 * the port), and puts its own exception ports back as they were.  Then it
 * serves B's two exceptions by hand (no MIG server), checking each
 * exception_raise request (XNU's exc.defs layout, id 2401):
 *
 *   1. B loads from an unmapped address: EXC_BAD_ACCESS with code
 *      {KERN_INVALID_ADDRESS, address}.  A maps the page in B
 *      (vm_allocate VM_FLAGS_FIXED on B's task port from the message),
 *      fills it (vm_write) and replies KERN_SUCCESS.
 *   2. B stores to a page it made read-only: code
 *      {KERN_PROTECTION_FAILURE, address}.  A makes the page writable
 *      (vm_protect on B's task port) and replies KERN_SUCCESS.
 *
 * Each request's thread port must name the faulting thread (its ECX holds
 * the faulting address, thread_get_state) and its task port B's task (A
 * reads back, with vm_read, what it wrote).  B exits 0 only if both
 * accesses completed with the values A provided.  Every right received
 * is released, so the bootstrap's leak check holds.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>

/* Must match testaux/exc_faulter.c. */
#define PF_ADDR		0x3a000abcu
#define PF_PAGE		0x3a000000u
#define PAGE		4096u
#define PF_PATTERN(i)	(0x5eed0000u ^ (uint32_t)(i))

#define RCV_TIMEOUT_MS	60000u		/* generous: TCG may be slow */
#define WAIT_S		60

union exc_msg {
	__Request__exception_raise_t req;
	mach_msg_header_t head;
	uint8_t space[sizeof(__Request__exception_raise_t) + 256];
};

static uint32_t fill[PAGE / 4];

/* Restore this task's handlers for EXC_MASK_BAD_ACCESS from a swap. */
static kern_return_t restore_ports(exception_mask_t *masks, mach_msg_type_number_t cnt,
				   mach_port_t *ports, exception_behavior_t *behaviors,
				   thread_state_flavor_t *flavors)
{
	kern_return_t all = KERN_SUCCESS;
	for (mach_msg_type_number_t i = 0; i < cnt; i++) {
		kern_return_t kr = task_set_exception_ports(mach_task_self(), masks[i], ports[i],
							    behaviors[i], flavors[i]);
		if (kr != KERN_SUCCESS)
			all = kr;
		if (MACH_PORT_VALID(ports[i]))
			mach_port_deallocate(mach_task_self(), ports[i]);
	}
	return all;
}

/* Send the reply to a request: header-only mig_reply_error_t with ret. */
static mach_msg_return_t send_reply(const mach_msg_header_t *req, kern_return_t ret)
{
	__Reply__exception_raise_t r;
	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_size = sizeof(r);
	r.Head.msgh_remote_port = req->msgh_remote_port;
	r.Head.msgh_local_port = MACH_PORT_NULL;
	r.Head.msgh_id = req->msgh_id + 100;
	r.NDR = NDR_record;
	r.RetCode = ret;
	return mach_msg(&r.Head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * Check the fixed parts of a DEFAULT request for EXC_BAD_ACCESS with
 * code[0] = want_code.  Returns 1 if all is as XNU sends it.
 */
static int check_request(const char *what, const union exc_msg *m, mach_port_t exc_port,
			 kern_return_t want_code)
{
	const __Request__exception_raise_t *q = &m->req;
	int ok = 1;
	ok &= tap_ok(q->Head.msgh_id == 2401, "%s: id 2401 (exception_raise), got %d", what,
		     q->Head.msgh_id);
	ok &= tap_ok(q->Head.msgh_size == sizeof(*q), "%s: size %u, got %u", what,
		     (unsigned)sizeof(*q), q->Head.msgh_size);
	ok &= tap_ok((q->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		     MACH_MSGH_BITS_REMOTE(q->Head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
		     MACH_PORT_VALID(q->Head.msgh_remote_port),
		     "%s: complex, reply port is a send-once right (bits %#x)", what,
		     q->Head.msgh_bits);
	ok &= tap_ok(q->Head.msgh_local_port == exc_port, "%s: arrived on the exception port",
		     what);
	ok &= tap_ok(q->msgh_body.msgh_descriptor_count == 2 &&
		     q->thread.type == MACH_MSG_PORT_DESCRIPTOR &&
		     q->thread.disposition == MACH_MSG_TYPE_PORT_SEND &&
		     q->task.type == MACH_MSG_PORT_DESCRIPTOR &&
		     q->task.disposition == MACH_MSG_TYPE_PORT_SEND &&
		     MACH_PORT_VALID(q->thread.name) && MACH_PORT_VALID(q->task.name) &&
		     q->thread.name != q->task.name,
		     "%s: thread and task send rights in two port descriptors", what);
	ok &= tap_ok(q->task.name != mach_task_self(), "%s: the task port is not ours", what);
	ok &= tap_ok(memcmp(&q->NDR, &NDR_record, sizeof(NDR_record)) == 0, "%s: NDR record",
		     what);
	ok &= tap_ok(q->exception == EXC_BAD_ACCESS && q->codeCnt == 2 && q->code[0] == want_code,
		     "%s: EXC_BAD_ACCESS (%d), codeCnt 2, code[0] %d (got %d, %u, %d)", what,
		     EXC_BAD_ACCESS, want_code, q->exception, q->codeCnt, q->code[0]);
	return ok;
}

/* The faulting thread's ECX (its faulting access's address), or 0. */
static uint32_t thread_ecx(mach_port_t thread)
{
	i386_thread_state_t ts;
	mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;
	if (thread_get_state(thread, i386_THREAD_STATE, (thread_state_t)&ts, &cnt) != KERN_SUCCESS ||
	    cnt != i386_THREAD_STATE_COUNT)
		return 0;
	return ts.ecx;
}

static void release_ports(const union exc_msg *m)
{
	tap_ok(mach_port_deallocate(mach_task_self(), m->req.thread.name) == KERN_SUCCESS &&
	       mach_port_deallocate(mach_task_self(), m->req.task.name) == KERN_SUCCESS,
	       "released the thread and task rights");
}

/* Fault 1: map and fill the page at PF_PAGE in B. */
static kern_return_t fix_unmapped(const union exc_msg *m)
{
	mach_port_t task = m->req.task.name;
	tap_ok((uint32_t)m->req.code[1] == PF_ADDR, "unmapped: code[1] is the address %#x (got %#x)",
	       PF_ADDR, (uint32_t)m->req.code[1]);
	tap_ok(thread_ecx(m->req.thread.name) == PF_ADDR,
	       "unmapped: the thread port is the faulting thread (ECX %#x)", PF_ADDR);

	vm_address_t addr = PF_PAGE;
	kern_return_t kr = vm_allocate(task, &addr, PAGE, VM_FLAGS_FIXED);
	if (!tap_ok(kr == KERN_SUCCESS && addr == PF_PAGE, "vm_allocate FIXED in B at %#x (kr %#x)",
		    PF_PAGE, kr))
		return KERN_FAILURE;
	for (unsigned int i = 0; i < PAGE / 4; i++)
		fill[i] = PF_PATTERN(i);
	kr = vm_write(task, PF_PAGE, (vm_offset_t)fill, PAGE);
	if (!tap_ok(kr == KERN_SUCCESS, "vm_write of the page into B (kr %#x)", kr))
		return KERN_FAILURE;

	/* read back through the same task port: it must be B's map */
	vm_offset_t data = 0;
	mach_msg_type_number_t cnt = 0;
	kr = vm_read(task, PF_PAGE, PAGE, &data, &cnt);
	int same = kr == KERN_SUCCESS && cnt == PAGE && memcmp((void *)data, fill, PAGE) == 0;
	if (kr == KERN_SUCCESS)
		vm_deallocate(mach_task_self(), data, cnt);
	tap_ok(same, "vm_read from B gives back the page (kr %#x, cnt %u)", kr, cnt);
	return KERN_SUCCESS;
}

/* Fault 2: make B's read-only page writable. */
static kern_return_t fix_readonly(const union exc_msg *m)
{
	uint32_t addr = (uint32_t)m->req.code[1];
	uint32_t ecx = thread_ecx(m->req.thread.name);
	tap_ok(addr != 0 && addr == ecx,
	       "read-only: code[1] %#x is the address the thread stored to (ECX %#x)", addr, ecx);
	tap_ok((addr & (PAGE - 1)) == 0x40, "read-only: code[1] is the exact address, not its page");
	kern_return_t kr = vm_protect(m->req.task.name, addr & ~(PAGE - 1), PAGE, FALSE,
				      VM_PROT_READ | VM_PROT_WRITE);
	tap_ok(kr == KERN_SUCCESS, "vm_protect in B makes the page writable (kr %#x)", kr);
	return kr;
}

int main(void)
{
	mach_port_t self = mach_task_self(), exc_port;
	unsigned int hz = mk_info(MK_INFO_HZ);

	if (!tap_ok(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc_port) == KERN_SUCCESS &&
		    mach_port_insert_right(self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND) ==
			    KERN_SUCCESS,
		    "exception port made"))
		return tap_done();

	exception_mask_t masks[EXC_TYPES_COUNT];
	mach_port_t ports[EXC_TYPES_COUNT];
	exception_behavior_t behaviors[EXC_TYPES_COUNT];
	thread_state_flavor_t flavors[EXC_TYPES_COUNT];
	mach_msg_type_number_t cnt = EXC_TYPES_COUNT;
	kern_return_t kr = task_swap_exception_ports(self, EXC_MASK_BAD_ACCESS, exc_port,
						     EXCEPTION_DEFAULT, 0, masks, &cnt, ports,
						     behaviors, flavors);
	if (!tap_ok(kr == KERN_SUCCESS, "task_swap_exception_ports (kr %#x)", kr))
		return tap_done();
	int child = mk_spawn("testaux/exc_faulter");
	tap_ok(restore_ports(masks, cnt, ports, behaviors, flavors) == KERN_SUCCESS,
	       "own exception ports restored");
	/* we hold the only send right left besides B's inherited one */
	mach_port_deallocate(self, exc_port);
	if (!tap_ok(child > 0, "spawned testaux/exc_faulter (%d)", child)) {
		mach_port_destroy(self, exc_port);
		return tap_done();
	}

	static const struct {
		const char *what;
		kern_return_t code0;
		kern_return_t (*fix)(const union exc_msg *);
	} steps[] = {
		{ "unmapped", KERN_INVALID_ADDRESS, fix_unmapped },
		{ "read-only", KERN_PROTECTION_FAILURE, fix_readonly },
	};
	for (unsigned int s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		union exc_msg m;
		memset(&m, 0, sizeof(m));
		mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						sizeof(m), exc_port, RCV_TIMEOUT_MS, MACH_PORT_NULL);
		if (!tap_ok(mr == MACH_MSG_SUCCESS, "%s: exception request received (mr %#x)",
			    steps[s].what, mr))
			break;
		kern_return_t ret = KERN_FAILURE;
		if (check_request(steps[s].what, &m, exc_port, steps[s].code0))
			ret = steps[s].fix(&m);
		if (m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
			release_ports(&m);
		mr = send_reply(&m.head, ret);
		tap_ok(mr == MACH_MSG_SUCCESS, "%s: reply %#x sent (mr %#x)", steps[s].what, ret, mr);
	}

	struct mk_exit_info info = { 0, 0, 0 };
	kr = mk_task_wait(child, WAIT_S * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		mk_task_kill(child);
		mk_task_wait(child, WAIT_S * hz, &info);
	}
	tap_ok(kr == KERN_SUCCESS, "B ended (kr %#x)", kr);
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 0,
	       "B read the value A mapped and its store landed: exit 0 (how %d, code %d)", info.how,
	       info.code);

	/* no request left behind */
	union exc_msg m;
	mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
					exc_port, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "no further exception arrived (mr %#x)", mr);
	tap_ok(mach_port_destroy(self, exc_port) == KERN_SUCCESS, "exception port destroyed");
	return tap_done();
}
