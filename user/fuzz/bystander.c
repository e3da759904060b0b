/*
 * fuzz/bystander: a task nobody fuzzes.  It fills a region with a pattern
 * and keeps a message with in-line data queued on a port of its own; on
 * each FZ_MSG_CHECK from the coordinator it verifies both, byte for byte,
 * and answers FZ_MSG_CHECKED with the number of bad bytes (0: intact).
 * A fuzzing task that reaches into another task's memory or messages
 * shows up here.  FZ_MSG_EXIT ends it.
 */
#include <string.h>
#include <mach/mach.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include "fz.h"

#define REGION_SIZE	(64u * 1024)
#define KEEP_WORDS	16

static uint32_t pattern_word(uint32_t i)
{
	return i * 2654435761u ^ 0x5a5aa5a5u;
}

/* Queue the keep-alive message on q. */
static void queue_keep(mach_port_t q)
{
	uint32_t w[KEEP_WORDS];
	for (uint32_t i = 0; i < KEEP_WORDS; i++)
		w[i] = pattern_word(i + 7);
	(void)fz_send(q, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, FZ_MSG_PING, NULL, NULL, 0,
		      w, KEEP_WORDS);
}

/* Bad bytes in the region and the queued message (which is queued again). */
static uint32_t verify(const uint32_t *region, mach_port_t q)
{
	uint32_t bad = 0;
	for (uint32_t i = 0; i < REGION_SIZE / 4; i++)
		if (region[i] != pattern_word(i))
			bad += 4;
	struct fz_msg m;
	if (fz_recv(q, &m, 0) != MACH_MSG_SUCCESS || m.head.msgh_id != FZ_MSG_PING) {
		bad += 1000000;
	} else {
		unsigned n;
		const uint32_t *w = fz_msg_words(&m, &n);
		if (n != KEEP_WORDS)
			bad += 1000;
		for (uint32_t i = 0; i < n && i < KEEP_WORDS; i++)
			if (w[i] != pattern_word(i + 7))
				bad += 4;
	}
	queue_keep(q);
	return bad;
}

int main(void)
{
	mach_port_t self = mach_task_self(), parent, q;
	vm_address_t a = 0;
	if (vm_allocate(self, &a, REGION_SIZE, VM_FLAGS_ANYWHERE) != KERN_SUCCESS ||
	    mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &q) != KERN_SUCCESS)
		return 1;
	uint32_t *region = (uint32_t *)a;
	for (uint32_t i = 0; i < REGION_SIZE / 4; i++)
		region[i] = pattern_word(i);
	queue_keep(q);
	mach_port_t me = fz_hello(&parent, NULL, NULL, 0, NULL, 0);
	if (me == MACH_PORT_NULL)
		return 1;
	for (;;) {
		struct fz_msg m;
		if (fz_recv(me, &m, 0x7fffffff) != MACH_MSG_SUCCESS)
			continue;
		if (m.head.msgh_id == FZ_MSG_EXIT)
			return 0;
		if (m.head.msgh_id != FZ_MSG_CHECK || m.head.msgh_remote_port == MACH_PORT_NULL)
			continue;
		uint32_t bad = verify(region, q);
		(void)fz_send(m.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL,
			      0, FZ_MSG_CHECKED, NULL, NULL, 0, &bad, 1);
	}
}
