/*
 * ipc_ool: out-of-line memory and out-of-line port arrays.
 *
 * Within this task: 1 MiB sent by copy (virtual and physical) arrives at
 * a new address with the bytes it had when it was sent, even if the
 * sender writes to its region before the receive, and the two copies are
 * independent afterwards; with deallocate set the sender's range is gone
 * once the send returns (vm_region skips it, a FIXED allocation there
 * succeeds) and the data still arrives intact; small unaligned and empty
 * regions; a bad copy option.  With testaux/ipc_ool_peer: 1 MiB each way,
 * with and without deallocate, content checked by the receiver.  OOL
 * port arrays of 64 and 2048 rights to one port coalesce into one name.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define MIB	(1024u * 1024u)
#define PAGE	4096u

static mach_port_t self, P, pc;

union rcvbuf {
	mach_msg_header_t	head;
	struct ool_msg		ool;
	struct ool_sum		sum;
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_ool_ports_descriptor_t	ports;
	} ports;
	uint8_t			space[512];
};

static mach_msg_return_t send_ool(mach_port_t dest, const void *addr,
				  uint32_t size, int dealloc,
				  mach_msg_copy_options_t copy, uint32_t seed,
				  mach_msg_id_t id)
{
	struct ool_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = id;
	m.body.msgh_descriptor_count = 1;
	m.data.address = (void *)(uintptr_t)addr;
	m.data.size = size;
	m.data.deallocate = dealloc;
	m.data.copy = copy;
	m.data.type = MACH_MSG_OOL_DESCRIPTOR;
	m.seed = seed;
	return ipc_send(&m.head, sizeof(m));
}

static void fill(uint8_t *p, uint32_t size, uint32_t seed)
{
	for (uint32_t i = 0; i < size; i++)
		p[i] = ool_pattern(i, seed);
}

/* Bytes of p[0..size) that differ from the pattern of seed. */
static uint32_t mismatches(const uint8_t *p, uint32_t size, uint32_t seed)
{
	uint32_t bad = 0;

	for (uint32_t i = 0; i < size; i++)
		if (p[i] != ool_pattern(i, seed))
			bad++;
	return bad;
}

/* Give a received region back (rounded out to pages). */
static void release(const void *addr, uint32_t size)
{
	if (size == 0)
		return;
	vm_address_t start = (vm_address_t)addr & ~(PAGE - 1);
	vm_address_t end = ((vm_address_t)addr + size + PAGE - 1) & ~(PAGE - 1);
	(void)vm_deallocate(self, start, end - start);
}

/* Is [a, a + size) unmapped?  Checked with vm_region and FIXED allocation. */
static int range_gone(vm_address_t a, vm_size_t size, int *region_ok)
{
	vm_address_t r = a;
	vm_size_t rsize = 0;
	vm_region_basic_info_data_t info;
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT;
	mach_port_t obj = MACH_PORT_NULL;
	kern_return_t kr = vm_region(self, &r, &rsize, VM_REGION_BASIC_INFO,
	    (vm_region_info_t)&info, &count, &obj);

	/* vm_region reports the first region at or above a */
	*region_ok = kr == KERN_INVALID_ADDRESS ||
	    (kr == KERN_SUCCESS && r >= a + size);
	vm_address_t again = a;
	kr = vm_allocate(self, &again, size, VM_FLAGS_FIXED);
	if (kr != KERN_SUCCESS)
		return 0;
	(void)vm_deallocate(self, again, size);
	return 1;
}

static void local_copy(mach_msg_copy_options_t copy, const char *how)
{
	mach_port_t q = ipc_port_send();
	vm_address_t src = 0;
	union rcvbuf m;

	if (!tap_ok(vm_allocate(self, &src, MIB, VM_FLAGS_ANYWHERE) ==
	    KERN_SUCCESS, "%s: allocate 1 MiB", how))
		return;
	uint8_t *s = (uint8_t *)src;
	fill(s, MIB, 1);
	mach_msg_return_t mr = send_ool(q, s, MIB, 0, copy, 1, 1);
	/* change the source while the message waits */
	memset(s, 0xaa, PAGE);
	memset(s + MIB - PAGE, 0xbb, PAGE);
	s[MIB / 2] ^= 0xff;
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	uint8_t *d = m.ool.data.address;
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    m.ool.data.size == MIB && d != NULL && d != s &&
	    m.ool.data.type == MACH_MSG_OOL_DESCRIPTOR,
	    "%s: 1 MiB arrives at a new address (mr 0x%x/0x%x, %p, size %u)",
	    how, mr, mr2, (void *)d, m.ool.data.size);
	if (mr2 != MACH_MSG_SUCCESS || d == NULL) {
		(void)vm_deallocate(self, src, MIB);
		(void)mach_port_destroy(self, q);
		return;
	}
	uint32_t bad = mismatches(d, MIB, 1);
	tap_ok(bad == 0, "%s: it holds the bytes as they were when sent "
	    "(%u differ)", how, bad);
	d[0] = 0x11;
	d[MIB - 1] = 0x22;
	tap_ok(s[0] == 0xaa && s[MIB - 1] == 0xbb &&
	    s[PAGE] == ool_pattern(PAGE, 1),
	    "%s: the sender's region is its own (0x%x 0x%x)", how, s[0],
	    s[MIB - 1]);
	release(d, MIB);
	(void)vm_deallocate(self, src, MIB);
	(void)mach_port_destroy(self, q);
}

static void local_deallocate(void)
{
	mach_port_t q = ipc_port_send();
	vm_address_t src = 0;
	union rcvbuf m;
	int region_ok = 0;

	if (!tap_ok(vm_allocate(self, &src, MIB, VM_FLAGS_ANYWHERE) ==
	    KERN_SUCCESS, "deallocate: allocate 1 MiB"))
		return;
	fill((uint8_t *)src, MIB, 3);
	mach_msg_return_t mr = send_ool(q, (void *)src, MIB, 1,
	    MACH_MSG_VIRTUAL_COPY, 3, 2);
	int gone = range_gone(src, MIB, &region_ok);
	tap_ok(mr == MACH_MSG_SUCCESS && gone,
	    "deallocate: after the send the sender's range is unmapped "
	    "(mr 0x%x, FIXED allocation there %s)", mr,
	    gone ? "works" : "fails");
	tap_ok(region_ok, "deallocate: vm_region skips the old range");
	/* reuse the range for something else before the receive */
	vm_address_t again = src;
	if (vm_allocate(self, &again, MIB, VM_FLAGS_FIXED) == KERN_SUCCESS)
		memset((void *)again, 0x5c, MIB);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	uint8_t *d = m.ool.data.address;
	tap_ok(mr2 == MACH_MSG_SUCCESS && m.ool.data.size == MIB && d != NULL &&
	    mismatches(d, MIB, 3) == 0,
	    "deallocate: the data still arrives intact (mr 0x%x)", mr2);
	if (mr2 == MACH_MSG_SUCCESS)
		release(d, m.ool.data.size);
	(void)vm_deallocate(self, src, MIB);
	(void)mach_port_destroy(self, q);
}

static void local_odd_sizes(void)
{
	mach_port_t q = ipc_port_send();
	vm_address_t src = 0;
	union rcvbuf m;

	(void)vm_allocate(self, &src, 2 * PAGE, VM_FLAGS_ANYWHERE);
	uint8_t *s = (uint8_t *)src;
	fill(s + 10, 100, 4);
	mach_msg_return_t mr = send_ool(q, s + 10, 100, 0,
	    MACH_MSG_PHYSICAL_COPY, 4, 3);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    m.ool.data.size == 100 && m.ool.data.address != NULL &&
	    mismatches(m.ool.data.address, 100, 4) == 0,
	    "100 bytes at page offset 10 arrive intact (mr 0x%x/0x%x)", mr,
	    mr2);
	if (mr2 == MACH_MSG_SUCCESS)
		release(m.ool.data.address, m.ool.data.size);

	/* straddling a page boundary */
	fill(s + PAGE - 50, 100, 5);
	mr = send_ool(q, s + PAGE - 50, 100, 0, MACH_MSG_VIRTUAL_COPY, 5, 3);
	mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    m.ool.data.size == 100 &&
	    mismatches(m.ool.data.address, 100, 5) == 0,
	    "100 bytes across a page boundary arrive intact");
	if (mr2 == MACH_MSG_SUCCESS)
		release(m.ool.data.address, m.ool.data.size);

	mr = send_ool(q, s, 0, 0, MACH_MSG_VIRTUAL_COPY, 0, 3);
	mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    m.ool.data.size == 0 && m.ool.data.address == NULL,
	    "an empty region arrives as address 0, size 0 (%p, %u)",
	    m.ool.data.address, m.ool.data.size);

	mr = send_ool(q, s, 100, 0, MACH_MSG_ALLOCATE, 0, 3);
	tap_ok(mr == MACH_SEND_INVALID_TYPE &&
	    ipc_status(q).mps_msgcount == 0,
	    "copy option MACH_MSG_ALLOCATE from a sender: "
	    "MACH_SEND_INVALID_TYPE (0x%x)", mr);
	(void)vm_deallocate(self, src, 2 * PAGE);
	(void)mach_port_destroy(self, q);
}

/* MACH_RCV_OVERWRITE: the receive buffer's descriptor says where data goes. */
static void overwrite(void)
{
	mach_port_t q = ipc_port_send();
	vm_address_t src = 0, dest = 0;
	union rcvbuf m;
	const mach_msg_size_t slist = sizeof(mach_msg_header_t) +
	    sizeof(mach_msg_body_t) + sizeof(mach_msg_ool_descriptor_t);

	(void)vm_allocate(self, &src, 2 * PAGE, VM_FLAGS_ANYWHERE);
	(void)vm_allocate(self, &dest, 2 * PAGE, VM_FLAGS_ANYWHERE);
	fill((uint8_t *)src, 5000, 7);
	mach_msg_return_t mr = send_ool(q, (void *)src, 5000, 0,
	    MACH_MSG_VIRTUAL_COPY, 7, 4);
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr2 = mach_msg_overwrite(&m.head, MACH_RCV_MSG |
	    MACH_RCV_TIMEOUT | MACH_RCV_OVERWRITE, 0, sizeof(m), q, 0,
	    MACH_PORT_NULL, &m.head, sizeof(mach_msg_header_t) - 4);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_RCV_SCATTER_SMALL &&
	    ipc_status(q).mps_msgcount == 1,
	    "MACH_RCV_OVERWRITE with a scatter list shorter than a header: "
	    "MACH_RCV_SCATTER_SMALL, message kept (0x%x)", mr2);
	memset(&m, 0, sizeof(m));
	m.ool.body.msgh_descriptor_count = 1;
	m.ool.data.address = (void *)dest;
	m.ool.data.size = 2 * PAGE;
	m.ool.data.copy = MACH_MSG_OVERWRITE;
	m.ool.data.type = MACH_MSG_OOL_DESCRIPTOR;
	mr2 = mach_msg_overwrite(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
	    MACH_RCV_OVERWRITE, 0, sizeof(m), q, 0, MACH_PORT_NULL, &m.head,
	    slist);
	tap_ok(mr2 == MACH_MSG_SUCCESS && m.ool.data.address == (void *)dest &&
	    m.ool.data.size == 5000 && mismatches((uint8_t *)dest, 5000, 7) == 0,
	    "MACH_RCV_OVERWRITE: 5000 bytes land where the scatter list said "
	    "(0x%x, %p vs 0x%lx)", mr2, m.ool.data.address,
	    (unsigned long)dest);
	(void)vm_deallocate(self, src, 2 * PAGE);
	(void)vm_deallocate(self, dest, 2 * PAGE);
	if (mr2 == MACH_MSG_SUCCESS && m.ool.data.address != (void *)dest)
		release(m.ool.data.address, m.ool.data.size);
	(void)mach_port_destroy(self, q);
}

static void port_arrays(void)
{
	mach_port_t q = ipc_port_send(), target = ipc_port();
	vm_address_t a = 0;
	union rcvbuf m;

	(void)vm_allocate(self, &a, 2 * PAGE, VM_FLAGS_ANYWHERE);
	mach_port_name_t *names = (mach_port_name_t *)a;
	const uint32_t counts[2] = { 64, 2 * PAGE / sizeof(mach_port_name_t) };
	for (int k = 0; k < 2; k++) {
		uint32_t n = counts[k];
		for (uint32_t i = 0; i < n; i++)
			names[i] = target;
		memset(&m, 0, sizeof(m));
		m.ports.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
		    0) | MACH_MSGH_BITS_COMPLEX;
		m.ports.head.msgh_size = sizeof(m.ports);
		m.ports.head.msgh_remote_port = q;
		m.ports.body.msgh_descriptor_count = 1;
		m.ports.ports.address = names;
		m.ports.ports.count = n;
		m.ports.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.ports.ports.copy = MACH_MSG_PHYSICAL_COPY;
		m.ports.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		mach_msg_return_t mr = ipc_send(&m.head, sizeof(m.ports));
		mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q,
		    IPC_RCV_MS);
		mach_port_name_t *got = m.ports.ports.address;
		uint32_t same = 0;
		if (mr2 == MACH_MSG_SUCCESS && got != NULL)
			for (uint32_t i = 0; i < m.ports.ports.count; i++)
				if (got[i] == target)
					same++;
		tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
		    m.ports.ports.count == n && same == n &&
		    m.ports.ports.disposition == MACH_MSG_TYPE_PORT_SEND,
		    "OOL array of %u MAKE_SEND rights to one port: all %u "
		    "arrive as its name (mr 0x%x/0x%x)", n, same, mr, mr2);
		tap_ok(ipc_refs(target, MACH_PORT_RIGHT_SEND) == n &&
		    ipc_status(target).mps_mscount ==
		    (k == 0 ? 64 : 64 + n),
		    "%u send urefs under that name, mscount %u", ipc_refs(target,
		    MACH_PORT_RIGHT_SEND), ipc_status(target).mps_mscount);
		if (mr2 == MACH_MSG_SUCCESS && got != NULL)
			release(got, n * sizeof(*got));
		(void)mach_port_mod_refs(self, target, MACH_PORT_RIGHT_SEND,
		    -(mach_port_delta_t)ipc_refs(target, MACH_PORT_RIGHT_SEND));
	}
	(void)vm_deallocate(self, a, 2 * PAGE);
	(void)mach_port_destroy(self, target);
	(void)mach_port_destroy(self, q);
}

/* Send 1 MiB of seed to the peer; return its answer. */
static int to_peer(uint32_t seed, int dealloc, struct ool_sum *sum,
		   int *gone)
{
	vm_address_t src = 0;
	union rcvbuf m;
	int region_ok;

	if (vm_allocate(self, &src, MIB, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 0;
	fill((uint8_t *)src, MIB, seed);
	mach_msg_return_t mr = send_ool(pc, (void *)src, MIB, dealloc,
	    MACH_MSG_VIRTUAL_COPY, seed, OOL_DATA);
	*gone = range_gone(src, MIB, &region_ok);
	if (!dealloc || mr != MACH_MSG_SUCCESS)
		(void)vm_deallocate(self, src, MIB);
	if (mr != MACH_MSG_SUCCESS)
		return 0;
	if (ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS) != MACH_MSG_SUCCESS ||
	    m.head.msgh_id != OOL_SUM)
		return 0;
	*sum = m.sum;
	return 1;
}

static void with_peer(void)
{
	P = ipc_port_send();
	int task = ipc_spawn_with_port("testaux/ipc_ool_peer", P);
	union rcvbuf m;

	if (!tap_ok(task > 0, "spawn testaux/ipc_ool_peer (%d)", task))
		goto out;
	mach_msg_return_t mr = ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS);
	pc = m.head.msgh_remote_port;
	if (!tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == OOL_HELLO &&
	    ipc_type(pc) == MACH_PORT_TYPE_SEND, "hello from the peer "
	    "(mr 0x%x)", mr)) {
		(void)mk_task_kill(task);
		(void)ipc_wait(task, IPC_WAIT_S);
		goto out;
	}

	struct ool_sum sum;
	int gone = 0;
	int ok = to_peer(5, 0, &sum, &gone);
	tap_ok(ok && sum.size == MIB && sum.bad == 0 && !gone,
	    "1 MiB copied to the peer arrives intact (size %u, %u differ), "
	    "ours stays", sum.size, sum.bad);
	ok = to_peer(6, 1, &sum, &gone);
	tap_ok(ok && sum.size == MIB && sum.bad == 0 && gone,
	    "1 MiB moved to the peer (deallocate) arrives intact (%u differ), "
	    "our range is gone (%d)", sum.bad, gone);

	mr = ipc_send_bare(pc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
	    OOL_BACK);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS);
	uint8_t *d = m.ool.data.address;
	uint32_t size = m.ool.data.size;
	int good = mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    m.head.msgh_id == OOL_BACK && size == OOL_BACK_SIZE && d != NULL;
	tap_ok(good && mismatches(d, size, 2) == 0,
	    "1 MiB from the peer arrives intact (mr 0x%x/0x%x, size %u)", mr,
	    mr2, size);
	if (good)
		release(d, size);
	mr = ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == OOL_SUM &&
	    m.sum.gone == 1, "the peer's range was gone after its send (%u)",
	    m.sum.gone);

	(void)ipc_send_bare(pc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
	    OOL_EXIT);
	int status = ipc_wait(task, IPC_WAIT_S);
	tap_ok(status == 0, "the peer exited 0 (%d)", status);
out:
	(void)ipc_drain(P);
	(void)mach_port_destroy(self, pc);
	(void)mach_port_destroy(self, P);
}

int main(void)
{
	self = mach_task_self();
	unsigned int pages0 = mk_info(MK_INFO_PAGES_FREE);
	local_copy(MACH_MSG_VIRTUAL_COPY, "virtual copy");
	local_copy(MACH_MSG_PHYSICAL_COPY, "physical copy");
	local_deallocate();
	local_odd_sizes();
	overwrite();
	port_arrays();
	with_peer();
	unsigned int pages1 = mk_info(MK_INFO_PAGES_FREE);
	tap_diag("free pages %u -> %u (%+d)", pages0, pages1,
	    (int)(pages1 - pages0));
	return tap_done();
}
