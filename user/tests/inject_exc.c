/*
 * inject_exc: allocation failures while an exception is delivered (issue
 * 10, item 3).
 *
 * A child (testaux/fuzz_faulter) inherits this task's exception port for
 * EXC_BAD_ACCESS, and is told to write to address 0 with the nth
 * allocation of kalloc, of pages or of each zone made to fail
 * (user/testaux/fuzz_inject.h).  The kernel builds the exception_raise
 * message (a reply port, the message, the thread and task rights) and
 * sends it; this task receives it and answers KERN_FAILURE, so the child
 * is terminated.
 *
 * Documented outcomes: the exception_raise message arrives, well formed
 * (id 2401, EXC_BAD_ACCESS, the child's thread and task rights), or,
 * when the kernel could not build or send it, that handler level fails and
 * the fault, unhandled, terminates the child (MK_EXIT_FAULT); either way
 * the child ends by the fault, nothing leaks and the IPC audit is clean.
 */
#include "../testaux/fuzz_inject.h"
#include <mach/exception_types.h>
#include <mach/task_special_ports.h>
#include <mk/mach_port.h>

static mach_port_t exc_port, hello_port, child_port;
static int child = -1;
static unsigned delivered;

/* Start a child with our exception port, and learn its port. */
static void prepare(void)
{
	mach_port_t self = mach_task_self(), old = MACH_PORT_NULL;
	(void)task_get_special_port(self, TASK_BOOTSTRAP_PORT, &old);
	(void)task_set_special_port(self, TASK_BOOTSTRAP_PORT, hello_port);
	child = mk_spawn("testaux/fuzz_faulter");
	(void)task_set_special_port(self, TASK_BOOTSTRAP_PORT, old);
	if (old != MACH_PORT_NULL)
		(void)mach_port_deallocate(self, old);
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	child_port = MACH_PORT_NULL;
	if (child > 0 && mach_msg(&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), hello_port,
				  30000, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		child_port = u.h.msgh_remote_port;
}

/* Tell the child to fault; take its exception (if one comes) and refuse it. */
static kern_return_t op_exc(int *okp)
{
	mach_msg_header_t go;
	memset(&go, 0, sizeof(go));
	go.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	go.msgh_size = sizeof(go);
	go.msgh_remote_port = child_port;
	mach_msg_return_t mr = mach_msg(&go, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(go), 0,
					MACH_PORT_NULL, 1000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		/* no message (the right is still ours): the child is killed by finish() */
		*okp = mr == MACH_SEND_NO_BUFFER;
		return mr;
	}
	child_port = MACH_PORT_NULL;
	union {
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t thread, task;
			NDR_record_t ndr;
			exception_type_t exc;
			mach_msg_type_number_t codeCnt;
			integer_t code[2];
		} m;
		uint8_t b[512];
	} u;
	memset(&u, 0, sizeof(u));
	mr = mach_msg(&u.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), exc_port, 3000,
		      MACH_PORT_NULL);
	if (mr == MACH_RCV_TIMED_OUT) {
		*okp = 1;	/* the kernel could not deliver it: the child dies of the fault */
		return mr;
	}
	if (mr != MACH_MSG_SUCCESS) {
		*okp = 0;
		return mr;
	}
	delivered++;
	*okp = u.m.h.msgh_id == 2401 && u.m.exc == EXC_BAD_ACCESS &&
	       MACH_PORT_VALID(u.m.thread.name) && MACH_PORT_VALID(u.m.task.name);
	(void)mach_port_deallocate(mach_task_self(), u.m.thread.name);
	(void)mach_port_deallocate(mach_task_self(), u.m.task.name);
	/* refuse: the child is terminated */
	mig_reply_error_t r;
	memset(&r, 0, sizeof(r));
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.Head.msgh_size = sizeof(r);
	r.Head.msgh_remote_port = u.m.h.msgh_remote_port;
	r.Head.msgh_id = 2401 + 100;
	r.NDR = NDR_record;
	r.RetCode = KERN_FAILURE;
	mr = mach_msg(&r.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(r), 0, MACH_PORT_NULL, 1000,
		      MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS && mr != MACH_SEND_NO_BUFFER)
		*okp = 0;
	return KERN_SUCCESS;
}

/* The child must have ended by its fault (or have been killed, if it never got the word). */
static int finish(void)
{
	struct mk_exit_info info = { 0, 0, 0 };
	unsigned hz = mk_info(MK_INFO_HZ);
	if (child <= 0)
		return 0;
	if (child_port != MACH_PORT_NULL) {
		/* it was never told to fault (the send failed): end it */
		(void)mach_port_deallocate(mach_task_self(), child_port);
		child_port = MACH_PORT_NULL;
		(void)mk_task_kill(child);
		kern_return_t kr = mk_task_wait(child, 30 * hz, &info);
		child = -1;
		return kr == KERN_SUCCESS;
	}
	kern_return_t kr = mk_task_wait(child, 30 * hz, &info);
	if (kr == KERN_OPERATION_TIMED_OUT) {
		(void)mk_task_kill(child);
		(void)mk_task_wait(child, 30 * hz, &info);
		child = -1;
		return 0;
	}
	child = -1;
	return kr == KERN_SUCCESS && info.how == MK_EXIT_FAULT;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &exc_port);
	(void)mach_port_insert_right(self, exc_port, exc_port, MACH_MSG_TYPE_MAKE_SEND);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &hello_port);
	(void)mach_port_insert_right(self, hello_port, hello_port, MACH_MSG_TYPE_MAKE_SEND);
	/* children inherit the task's exception ports when spawned */
	tap_ok(task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, exc_port, EXCEPTION_DEFAULT, 0) ==
	       KERN_SUCCESS, "exception port set for the children to inherit");
	int ok = 0;
	prepare();
	kern_return_t r = op_exc(&ok);
	tap_ok(r == KERN_SUCCESS && ok && finish() && delivered == 1,
	       "with nothing failing the exception is delivered and the child dies of it");
	inject_prepare = prepare;
	inject_finish = finish;
	inject_sweep("exception delivery", op_exc);
	inject_empty_cache = 1;
	inject_sweep("exception delivery, kmsg cache empty", op_exc);
	tap_ok(delivered > 1, "exceptions delivered during the sweep: %u", delivered);
	(void)task_set_exception_ports(self, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL, EXCEPTION_DEFAULT, 0);
	(void)mach_port_destroy(self, exc_port);
	(void)mach_port_destroy(self, hello_port);
	return tap_done();
}
