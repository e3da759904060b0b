/*
 * isolation_tasks: no path lets a task reach another task's memory
 * without that task's port (issue 10, item 5).
 *
 * A child (testaux/fuzz_iso_child) fills a region at ISO_REGION with a
 * pattern and hands this task its own port only (its task and thread
 * ports are released unused at once).  Then:
 *   - vm_read / vm_write / vm_copy / vm_protect / vm_deallocate aimed at
 *     the child through every right this task holds that is not the
 *     child's task port (the child's port, our own ports, the host, a
 *     thread port, a dead name) fail, and touch nothing of the child;
 *   - out-of-line memory and long-IPC strings naming the child's address
 *     are read from this task's own map: unmapped here, the send fails;
 *     once mapped here, it is our data that travels;
 *   - the child then checks its region: intact.
 * Also: with the task port (given consensually) vm_read does work, so the
 * refusals above are about the missing right, not a broken vm_read.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_long_ipc.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"
#include "../testaux/fuzz_iso.h"

/* Does any vm call on target reach the child's region?  Returns 1 if one did. */
static int vm_reaches(mach_port_t target)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t cnt = 0;
	static uint32_t junk[1024];
	int reached = 0;
	if (vm_read(target, ISO_REGION, 4096, &data, &cnt) == KERN_SUCCESS) {
		reached = 1;
		(void)vm_deallocate(mach_task_self(), data, cnt);
	}
	reached |= vm_write(target, ISO_REGION, (vm_offset_t)junk, sizeof(junk)) == KERN_SUCCESS;
	reached |= vm_copy(target, ISO_REGION, 4096, ISO_REGION + 4096) == KERN_SUCCESS;
	reached |= vm_protect(target, ISO_REGION, 4096, 0, VM_PROT_NONE) == KERN_SUCCESS;
	reached |= vm_deallocate(target, ISO_REGION, 4096) == KERN_SUCCESS &&
		   target != mach_task_self();
	return reached;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	struct iso_child c;
	tap_ok(iso_start(&c) == 0, "child started, its region filled");
	/* keep only the child's port: no task or thread right of the child */
	mach_port_t child_thread = c.thread;
	(void)mach_port_deallocate(self, c.task);
	c.task = MACH_PORT_NULL;

	mach_port_t mine = ipc_port_send(), dead = MACH_PORT_NULL;
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	struct {
		const char *what;
		mach_port_t name;
	} targets[] = {
		{ "the host port", mach_host_self() },
		{ "the child's thread port", child_thread },
		{ "our own thread port", mach_thread_self() },
		{ "a dead name", dead },
		{ "MACH_PORT_NULL", MACH_PORT_NULL },
	};
	for (unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		tap_ok(!vm_reaches(targets[i].name), "vm calls through %s: all refused",
		       targets[i].what);
	/* an RPC to a port a task receives on is just a message: no kernel answer */
	struct {
		mach_msg_header_t h;
		NDR_record_t ndr;
		vm_address_t address;
		vm_size_t size;
	} rq;
	memset(&rq, 0, sizeof(rq));
	rq.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	rq.h.msgh_size = sizeof(rq);
	rq.h.msgh_remote_port = mine;
	rq.h.msgh_local_port = mine;
	rq.h.msgh_id = 3805;	/* vm_read */
	rq.ndr = NDR_record;
	rq.address = ISO_REGION;
	rq.size = 4096;
	union {
		mach_msg_header_t h;
		uint8_t b[512];
	} rp;
	mach_msg_return_t rmr = mach_msg(&rq.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(rq), 0,
					 MACH_PORT_NULL, 100, MACH_PORT_NULL);
	int got = ipc_recv(&rp.h, sizeof(rp), mine, 100) == MACH_MSG_SUCCESS;
	tap_ok(rmr == MACH_MSG_SUCCESS && got && rp.h.msgh_id == 3805,
	       "vm_read sent to a port of ours: only our own request comes back (%#x)", rmr);
	if (got)
		mach_msg_destroy(&rp.h);
	(void)ipc_drain(mine);	/* and the send-once notification that made */

	/* out-of-line memory naming the child's address is read from our map */
	struct ipc_ool_msg m;
	ipc_ool_msg_init(&m, mine, (const void *)ISO_REGION, 4096);
	tap_ok(ipc_send(&m.h, sizeof(m)) == MACH_SEND_INVALID_MEMORY,
	       "out-of-line memory at the child's address, unmapped here: MACH_SEND_INVALID_MEMORY");
	uint32_t lb[16];
	mk_lipc_msg_t *lm = (mk_lipc_msg_t *)lb;
	lm->lm_dwords = 0;
	lm->lm_strings = 1;
	MK_LIPC_STRINGS(lm)[0].ls_addr = ISO_REGION;
	MK_LIPC_STRINGS(lm)[0].ls_size = 4096;
	tap_ok(mk_lipc_send(c.port, lm, MK_LIPC_SEND_TIMEOUT, 0) != MACH_MSG_SUCCESS,
	       "a long-IPC string at the child's address is not the child's memory");
	vm_address_t here = ISO_REGION;
	tap_ok(vm_allocate(self, &here, 4096, VM_FLAGS_FIXED) == KERN_SUCCESS,
	       "the same address mapped here");
	memset((void *)here, 0xab, 4096);
	m.h.msgh_remote_port = mine;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	tap_ok(ipc_send(&m.h, sizeof(m)) == MACH_MSG_SUCCESS, "now the send works");
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	int ours = 0;
	if (ipc_recv(&u.h, sizeof(u), mine, 1000) == MACH_MSG_SUCCESS &&
	    (u.h.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		const mach_msg_ool_descriptor_t *d = (const void *)(u.b + sizeof(mach_msg_base_t));
		const uint8_t *p = d->address;
		ours = p != NULL && p[0] == 0xab && p[4095] == 0xab;
		(void)vm_deallocate(self, (vm_address_t)d->address, d->size);
	}
	tap_ok(ours, "and carries this task's bytes, not the child's");
	(void)vm_deallocate(self, here, 4096);

	tap_ok(iso_command(&c, ISO_CHECK_REGION, 0) == MACH_MSG_SUCCESS, "child told to check");
	struct mk_exit_info info = iso_end(&c, 30);
	tap_ok(info.how == MK_EXIT_STATUS && info.code == 0,
	       "the child's region is intact (how %d code %d)", info.how, info.code);

	/* with the task port, given on purpose, vm_read works */
	struct iso_child c2;
	int readable = 0;
	if (iso_start(&c2) == 0) {
		vm_offset_t data = 0;
		mach_msg_type_number_t cnt = 0;
		if (vm_read(c2.task, ISO_REGION, 4096, &data, &cnt) == KERN_SUCCESS) {
			readable = ((uint32_t *)data)[1] == iso_pattern(1);
			(void)vm_deallocate(self, data, cnt);
		}
		(void)mk_task_kill(c2.id);
		(void)iso_end(&c2, 10);
	}
	tap_ok(readable, "through the task port the child's memory can be read");
	(void)mach_port_destroy(self, mine);
	(void)mach_port_destroy(self, dead);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "IPC audit clean");
	return tap_done();
}
