/*
 * exc_demo: a task whose page faults its own exception server repairs.
 *
 * A second thread serves the task's EXC_BAD_ACCESS port with the
 * MIG-generated exc_server() (XNU's exc.defs, exception_raise 2401).  The
 * main thread then reads a few words from DEMO_ADDR, a page nothing maps.
 * Each fault becomes an exception message; catch_exception_raise() maps
 * the page in the faulting task (vm_allocate VM_FLAGS_FIXED on the task
 * port from the message), writes a greeting into it and replies
 * KERN_SUCCESS, and the faulting load is retried and finds the data.
 *
 * Started by `make run' (every user/demo program is); prints what
 * happened and exits 0.  With trace=exc,vm the kernel's side shows too.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/excServer.h>
#include <mk/thread.h>

#define DEMO_ADDR	0x5a000000u	/* unmapped until the server maps it */
#define DEMO_TEXT	"written by the exception server"

static mach_port_t exc_port;
static int faults_served;

/*
 * catch_exception_raise: map the page at the faulting address, fill it,
 * and let the thread retry.  Anything else is refused.
 */
kern_return_t catch_exception_raise(mach_port_t port, mach_port_t thread,
    mach_port_t task, exception_type_t exception, exception_data_t code,
    mach_msg_type_number_t codeCnt)
{
	(void)port;
	kern_return_t ret = KERN_FAILURE;

	if (exception == EXC_BAD_ACCESS && codeCnt == 2) {
		vm_address_t page = (vm_address_t)code[1] & ~(vm_address_t)0xfff;
		printf("exc_demo: server: EXC_BAD_ACCESS (code %d) at 0x%08x, "
		    "mapping the page\n", code[0], (unsigned int)code[1]);
		ret = vm_allocate(task, &page, 4096, VM_FLAGS_FIXED);
		if (ret == KERN_SUCCESS) {
			/* same task: the page is ours to fill */
			strcpy((char *)page, DEMO_TEXT);
			faults_served++;
		}
	}
	(void)mach_port_deallocate(mach_task_self(), thread);
	(void)mach_port_deallocate(mach_task_self(), task);
	return ret;
}

/* Not used: the port is registered with EXCEPTION_DEFAULT. */
kern_return_t catch_exception_raise_state(mach_port_t port,
    exception_type_t exception, const exception_data_t code,
    mach_msg_type_number_t codeCnt, int *flavor, const thread_state_t old_state,
    mach_msg_type_number_t old_stateCnt, thread_state_t new_state,
    mach_msg_type_number_t *new_stateCnt)
{
	(void)port; (void)exception; (void)code; (void)codeCnt; (void)flavor;
	(void)old_state; (void)old_stateCnt; (void)new_state; (void)new_stateCnt;
	return KERN_FAILURE;
}

/* Not used: the port is registered with EXCEPTION_DEFAULT. */
kern_return_t catch_exception_raise_state_identity(mach_port_t port,
    mach_port_t thread, mach_port_t task, exception_type_t exception,
    exception_data_t code, mach_msg_type_number_t codeCnt, int *flavor,
    thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
    thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	(void)port; (void)thread; (void)task; (void)exception; (void)code;
	(void)codeCnt; (void)flavor; (void)old_state; (void)old_stateCnt;
	(void)new_state; (void)new_stateCnt;
	return KERN_FAILURE;
}

/* The server thread: one request at a time, forever. */
static void serve(void *arg)
{
	static union {
		mach_msg_header_t h;
		uint8_t space[sizeof(union __RequestUnion__catch_exc_subsystem) + 64];
	} in;
	static union {
		mach_msg_header_t h;
		union __ReplyUnion__catch_exc_subsystem r;
	} out;

	(void)arg;
	for (;;) {
		mach_msg_return_t mr = mach_msg(&in.h, MACH_RCV_MSG, 0,
		    sizeof(in), exc_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			printf("exc_demo: server: receive failed: %#x\n", mr);
			return;
		}
		(void)exc_server(&in.h, &out.h);
		mr = mach_msg(&out.h, MACH_SEND_MSG, out.h.msgh_size, 0,
		    MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			printf("exc_demo: server: reply failed: %#x\n", mr);
	}
}

int main(void)
{
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &exc_port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), exc_port,
		    exc_port, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = task_set_exception_ports(mach_task_self(),
		    EXC_MASK_BAD_ACCESS, exc_port, EXCEPTION_DEFAULT,
		    THREAD_STATE_NONE);
	if (kr != KERN_SUCCESS) {
		printf("exc_demo: cannot set up the exception port: %d\n", kr);
		return 1;
	}
	if (mk_thread_start(serve, NULL) <= 0) {
		printf("exc_demo: cannot start the server thread\n");
		return 1;
	}

	printf("exc_demo: reading 0x%08x, which nothing maps\n", DEMO_ADDR);
	const volatile char *p = (const volatile char *)DEMO_ADDR;
	char text[sizeof(DEMO_TEXT)];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = p[i];
	int ok = strcmp(text, DEMO_TEXT) == 0;
	printf("exc_demo: read \"%s\" after %d fault(s) served: %s\n", text,
	    faults_served, ok ? "ok" : "WRONG");
	/* the server thread blocks in mach_msg; ending the task ends it */
	return ok ? 0 : 1;
}
