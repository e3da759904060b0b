/*
 * mailbox: a task that keeps IPC state around for the debuggers to show.
 *
 * It leaves two messages queued on a port it never reads ("the mailbox"):
 * a simple one (id 4201, some text) and a complex one (id 4202) carrying
 * a send right to a second port, "the bell".  The bell is put in a port
 * set, and the main thread then blocks receiving on the set, forever.
 * So a live system always has a queued simple and complex kmsg, a port
 * set with a member and a waiting receiver:
 *
 *   kdb> show tasks               find mailbox's task id, say 6
 *   kdb> show space 6             the mailbox, the bell, the set
 *   kdb> show port 6:<mailbox>    2 queued messages
 *   kdb> show kmsg <addr>         one of them in detail
 *   kdb> show pset                the set, its member, its receiver
 *
 * tests/gdb_test.py breaks in mailbox_wait() (by address, in this task
 * only) and inspects the same objects with the GDB helpers.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>

#define MAILBOX_TEXT_ID		4201
#define MAILBOX_RIGHT_ID	4202

struct text_msg {
	mach_msg_header_t head;
	char text[32];
};

struct right_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t bell;
};

/* Queue one message on box (a send right); returns mach_msg's result. */
static mach_msg_return_t park_text(mach_port_t box)
{
	struct text_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = box;
	m.head.msgh_id = MAILBOX_TEXT_ID;
	strcpy(m.text, "a letter nobody reads");
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* Queue a complex message carrying a send right to bell. */
static mach_msg_return_t park_right(mach_port_t box, mach_port_t bell)
{
	struct right_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = box;
	m.head.msgh_id = MAILBOX_RIGHT_ID;
	m.body.msgh_descriptor_count = 1;
	m.bell.name = bell;
	m.bell.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.bell.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * mailbox_wait: block receiving on the set; nothing is ever sent to it.
 * Not inlined, so that it has an address to break on.
 */
__attribute__((noinline)) mach_msg_return_t mailbox_wait(mach_port_t set)
{
	struct {
		mach_msg_header_t head;
		uint8_t space[256];
	} m;

	return mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), set,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

int main(void)
{
	mach_port_t box, bell, set;
	mach_port_t self = mach_task_self();
	kern_return_t kr;

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &box);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(self, box, box,
		    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &bell);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(self, bell, set);
	if (kr != KERN_SUCCESS) {
		printf("mailbox: set-up failed: %d\n", kr);
		return 1;
	}
	mach_msg_return_t mr = park_text(box);
	if (mr == MACH_MSG_SUCCESS)
		mr = park_right(box, bell);
	if (mr != MACH_MSG_SUCCESS) {
		printf("mailbox: send failed: %#x\n", mr);
		return 1;
	}
	printf("mailbox: 2 messages parked on port %#x; waiting on port set "
	    "%#x (bell %#x)\n", box, set, bell);
	mr = mailbox_wait(set);
	printf("mailbox: woke up: %#x\n", mr);
	return 0;
}
