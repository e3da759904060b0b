/*
 * ipc_rpc_vm: the vm_* kernel RPCs (and their traps), host_info,
 * host_statistics and this kernel's statistics RPCs, with good and bad
 * arguments.
 *
 * Covers: vm_allocate (size 0, bad flags, kernel space, FIXED over a live
 * region), vm_protect (lowering, raising past the maximum, unknown bits,
 * unmapped), vm_region (the region and its protections, nothing above,
 * bad flavor and count), vm_inherit, vm_read / vm_write / vm_copy /
 * vm_read_overwrite (content, unmapped and read-only ranges, a bad data
 * pointer caught by the stub's send: MACH_SEND_INVALID_MEMORY); the
 * calls on a null map and on a thread port; host_info (basic and sched
 * flavors, bad flavor and count, a task port as host), host_statistics,
 * mk_ipc_counts against mk_info, mk_zone_info.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define PAGE		4096u
#define KERNEL_ADDR	0xc0000000u

static mach_port_t self;

static int region_at(vm_address_t want, vm_address_t *start, vm_size_t *size,
		     vm_region_basic_info_data_t *info, kern_return_t *kr)
{
	mach_msg_type_number_t n = VM_REGION_BASIC_INFO_COUNT;
	mach_port_t obj = MACH_PORT_NULL;

	*start = want;
	*kr = vm_region(self, start, size, VM_REGION_BASIC_INFO,
	    (vm_region_info_t)info, &n, &obj);
	if (obj != MACH_PORT_NULL)
		(void)mach_port_deallocate(self, obj);
	return *kr == KERN_SUCCESS && n == VM_REGION_BASIC_INFO_COUNT;
}

static void allocate_protect_region(void)
{
	vm_address_t a = 0, b;
	vm_size_t size = 0;
	vm_region_basic_info_data_t info;
	kern_return_t kr;

	kr = vm_allocate(self, &a, 0, VM_FLAGS_ANYWHERE);
	tap_ok(kr == KERN_SUCCESS && a == 0, "vm_allocate of 0 bytes: success, "
	    "address 0 (kr %d, 0x%lx)", kr, (unsigned long)a);
	kr = vm_allocate(self, &a, PAGE,
	    VM_FLAGS_ANYWHERE | VM_FLAGS_RETURN_DATA_ADDR);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_allocate with a vm_map-only "
	    "flag: KERN_INVALID_ARGUMENT (kr %d)", kr);
	a = KERNEL_ADDR;
	kr = vm_allocate(self, &a, PAGE, VM_FLAGS_FIXED);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_allocate FIXED in kernel space: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);
	a = 0;
	kr = vm_allocate(self, &a, 4 * PAGE, VM_FLAGS_ANYWHERE);
	if (!tap_ok(kr == KERN_SUCCESS, "vm_allocate 4 pages (kr %d)", kr))
		return;
	b = a + PAGE;
	kr = vm_allocate(self, &b, PAGE, VM_FLAGS_FIXED);
	tap_ok(kr == KERN_NO_SPACE, "FIXED over a live region: KERN_NO_SPACE "
	    "(kr %d)", kr);

	vm_address_t start;
	int ok = region_at(a, &start, &size, &info, &kr);
	tap_ok(ok && start == a && size == 4 * PAGE &&
	    info.protection == VM_PROT_DEFAULT &&
	    info.max_protection == VM_PROT_ALL,
	    "vm_region: 4 pages at the address, rw-, max rwx (kr %d, 0x%lx, "
	    "%lu, prot %d/%d)", kr, (unsigned long)start, (unsigned long)size,
	    info.protection, info.max_protection);

	kr = vm_protect(self, a + PAGE, PAGE, FALSE, VM_PROT_READ);
	ok = region_at(a + PAGE, &start, &size, &info, &kr);
	tap_ok(ok && start == a + PAGE && size == PAGE &&
	    info.protection == VM_PROT_READ,
	    "vm_protect one page read-only splits the region (0x%lx, %lu, "
	    "prot %d)", (unsigned long)start, (unsigned long)size,
	    info.protection);
	kr = vm_protect(self, a + 2 * PAGE, PAGE, TRUE, VM_PROT_READ);
	kern_return_t kr2 = vm_protect(self, a + 2 * PAGE, PAGE, FALSE,
	    VM_PROT_READ | VM_PROT_WRITE);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_PROTECTION_FAILURE,
	    "after lowering the maximum to read, asking for write: "
	    "KERN_PROTECTION_FAILURE (kr %d %d)", kr, kr2);
	kr = vm_protect(self, a, PAGE, FALSE, 0x100);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_protect with unknown bits: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = vm_protect(self, a + 3 * PAGE, 2 * PAGE, FALSE, VM_PROT_READ);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_protect of a partly unmapped "
	    "range: KERN_INVALID_ADDRESS (kr %d)", kr);
	kr = vm_inherit(self, a, PAGE, VM_INHERIT_NONE);
	ok = region_at(a, &start, &size, &info, &kr2);
	tap_ok(kr == KERN_SUCCESS && ok && info.inheritance == VM_INHERIT_NONE,
	    "vm_inherit NONE shows in vm_region (kr %d, %d)", kr,
	    info.inheritance);
	kr = vm_inherit(self, a, PAGE, 77);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_inherit 77: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);

	mach_msg_type_number_t n = VM_REGION_BASIC_INFO_COUNT;
	mach_port_t obj = MACH_PORT_NULL;
	start = a;
	kr = vm_region(self, &start, &size, 9999, (vm_region_info_t)&info, &n,
	    &obj);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_region flavor 9999: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = 2;
	start = a;
	kr = vm_region(self, &start, &size, VM_REGION_BASIC_INFO,
	    (vm_region_info_t)&info, &n, &obj);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_region with count 2: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	ok = region_at(a + 3 * PAGE, &start, &size, &info, &kr);
	(void)vm_deallocate(self, a + 3 * PAGE, PAGE);
	vm_address_t next = 0;
	vm_size_t nsize = 0;
	ok = region_at(a + 3 * PAGE, &next, &nsize, &info, &kr2);
	tap_ok(kr2 == KERN_INVALID_ADDRESS || (ok && next > a + 3 * PAGE),
	    "vm_region in a hole reports the next region up (kr %d, 0x%lx)",
	    kr2, (unsigned long)next);
	ok = region_at(KERNEL_ADDR, &start, &size, &info, &kr);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_region in kernel space: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);
	(void)vm_deallocate(self, a, 4 * PAGE);
	kr = vm_deallocate(self, a, 4 * PAGE);
	tap_ok(kr == KERN_SUCCESS, "vm_deallocate of unmapped space: "
	    "KERN_SUCCESS (kr %d)", kr);
	kr = vm_deallocate(self, 0xfffff000u, 2 * PAGE);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_deallocate of a range that "
	    "wraps: KERN_INVALID_ARGUMENT (kr %d)", kr);
}

static void read_write_copy(void)
{
	vm_address_t a = 0, hole;
	kern_return_t kr;

	kr = vm_allocate(self, &a, 4 * PAGE, VM_FLAGS_ANYWHERE);
	if (!tap_ok(kr == KERN_SUCCESS, "vm_allocate 4 pages (kr %d)", kr))
		return;
	uint8_t *p = (uint8_t *)a;
	for (unsigned int i = 0; i < 2 * PAGE; i++)
		p[i] = (uint8_t)(i * 13 + 1);
	hole = a + 3 * PAGE;
	(void)vm_deallocate(self, hole, PAGE);
	(void)vm_protect(self, a + 2 * PAGE, PAGE, FALSE, VM_PROT_READ);

	vm_offset_t data = 0;
	mach_msg_type_number_t cnt = 0;
	kr = vm_read(self, a + 10, 2 * PAGE - 20, &data, &cnt);
	tap_ok(kr == KERN_SUCCESS && cnt == 2 * PAGE - 20 && data != 0 &&
	    data != a + 10 && memcmp((void *)data, p + 10, cnt) == 0,
	    "vm_read of 2 pages less 20 bytes: a copy with the same bytes "
	    "(kr %d, %u)", kr, cnt);
	if (kr == KERN_SUCCESS)
		(void)vm_deallocate(self, data, cnt);
	kr = vm_read(self, hole, 16, &data, &cnt);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_read of an unmapped page: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);
	kr = vm_read(self, KERNEL_ADDR, 16, &data, &cnt);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_read of kernel space: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);

	uint8_t src[64];
	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(0xa0 + i);
	kr = vm_write(self, a + 100, (vm_offset_t)src, sizeof(src));
	tap_ok(kr == KERN_SUCCESS && memcmp(p + 100, src, sizeof(src)) == 0,
	    "vm_write of 64 bytes (kr %d)", kr);
	kr = vm_write(self, hole, (vm_offset_t)src, sizeof(src));
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_write to an unmapped page: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);
	kr = vm_write(self, a + 2 * PAGE, (vm_offset_t)src, sizeof(src));
	tap_ok(kr == KERN_PROTECTION_FAILURE, "vm_write to a read-only page: "
	    "KERN_PROTECTION_FAILURE (kr %d)", kr);
	kr = vm_write(self, a, (vm_offset_t)hole, 64);
	tap_ok(kr == MACH_SEND_INVALID_MEMORY, "vm_write from an unmapped "
	    "buffer: the stub's send fails, MACH_SEND_INVALID_MEMORY (0x%x)",
	    kr);

	kr = vm_copy(self, a, PAGE, a + PAGE);
	tap_ok(kr == KERN_SUCCESS && memcmp(p, p + PAGE, PAGE) == 0,
	    "vm_copy of a page (kr %d)", kr);
	kr = vm_copy(self, a, PAGE, a + 2 * PAGE);
	tap_ok(kr == KERN_PROTECTION_FAILURE, "vm_copy onto a read-only page: "
	    "KERN_PROTECTION_FAILURE (kr %d)", kr);
	kr = vm_copy(self, hole, PAGE, a);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_copy from an unmapped page: "
	    "KERN_INVALID_ADDRESS (kr %d)", kr);

	uint8_t back[64];
	vm_size_t out = 0;
	memset(back, 0, sizeof(back));
	kr = vm_read_overwrite(self, a + 100, sizeof(back), (vm_address_t)back,
	    &out);
	tap_ok(kr == KERN_SUCCESS && out == sizeof(back) &&
	    memcmp(back, src, sizeof(back)) == 0,
	    "vm_read_overwrite into a local buffer (kr %d, %lu)", kr,
	    (unsigned long)out);
	kr = vm_read_overwrite(self, a, 64, hole, &out);
	tap_ok(kr == KERN_INVALID_ADDRESS, "vm_read_overwrite into an unmapped "
	    "page: KERN_INVALID_ADDRESS (kr %d)", kr);
	kr = vm_read_overwrite(self, a, 64, a + 2 * PAGE, &out);
	tap_ok(kr == KERN_PROTECTION_FAILURE, "vm_read_overwrite into a "
	    "read-only page: KERN_PROTECTION_FAILURE (kr %d)", kr);
	(void)vm_deallocate(self, a, 4 * PAGE);
}

static void bad_maps(void)
{
	vm_address_t a = 0;
	vm_offset_t data;
	mach_msg_type_number_t cnt;
	kern_return_t kr;
	mach_port_t th = mach_thread_self();

	kr = vm_allocate(MACH_PORT_NULL, &a, PAGE, VM_FLAGS_ANYWHERE);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "vm_allocate on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);
	kr = vm_read(MACH_PORT_NULL, (vm_address_t)&a, 4, &data, &cnt);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "vm_read on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);
	kr = vm_allocate(th, &a, PAGE, VM_FLAGS_ANYWHERE);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_allocate on a thread port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = vm_deallocate(th, a, PAGE);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_deallocate on a thread port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = vm_read(th, (vm_address_t)&a, 4, &data, &cnt);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "vm_read on a thread port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	(void)mach_port_deallocate(self, th);
}

static void host_and_stats(void)
{
	mach_port_t host = mach_host_self();
	host_basic_info_data_t bi;
	host_sched_info_data_t si;
	mach_msg_type_number_t n;
	kern_return_t kr;

	n = HOST_BASIC_INFO_COUNT;
	kr = host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &n);
	tap_ok(kr == KERN_SUCCESS && n == HOST_BASIC_INFO_COUNT &&
	    bi.max_cpus == 1 && bi.avail_cpus == 1 && bi.memory_size > 0 &&
	    bi.max_mem >= bi.memory_size,
	    "host_info BASIC: 1 CPU, %u bytes of memory (kr %d)",
	    bi.memory_size, kr);
	n = HOST_SCHED_INFO_COUNT;
	kr = host_info(host, HOST_SCHED_INFO, (host_info_t)&si, &n);
	tap_ok(kr == KERN_SUCCESS && n == HOST_SCHED_INFO_COUNT &&
	    si.min_timeout > 0 && si.min_quantum > 0,
	    "host_info SCHED: min timeout %d ms, quantum %d ms (kr %d)",
	    si.min_timeout, si.min_quantum, kr);
	n = HOST_BASIC_INFO_COUNT;
	kr = host_info(host, 9999, (host_info_t)&bi, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "host_info flavor 9999: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = 2;
	kr = host_info(host, HOST_BASIC_INFO, (host_info_t)&bi, &n);
	tap_ok(kr == KERN_FAILURE, "host_info with count 2: KERN_FAILURE "
	    "(kr %d)", kr);
	n = HOST_BASIC_INFO_COUNT;
	kr = host_info(self, HOST_BASIC_INFO, (host_info_t)&bi, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "host_info on a task port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	n = HOST_BASIC_INFO_COUNT;
	kr = host_info(MACH_PORT_NULL, HOST_BASIC_INFO, (host_info_t)&bi, &n);
	tap_ok(kr == MACH_SEND_INVALID_DEST, "host_info on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", kr);

	vm_statistics_data_t vs;
	n = HOST_VM_INFO_COUNT;
	kr = host_statistics(host, HOST_VM_INFO, (host_info_t)&vs, &n);
	tap_ok(kr == KERN_SUCCESS && n == HOST_VM_INFO_COUNT &&
	    vs.free_count > 0, "host_statistics VM: %u free pages (kr %d)",
	    vs.free_count, kr);
	n = HOST_VM_INFO_COUNT;
	kr = host_statistics(self, HOST_VM_INFO, (host_info_t)&vs, &n);
	tap_ok(kr == KERN_INVALID_HOST, "host_statistics on a task port: "
	    "KERN_INVALID_HOST (kr %d)", kr);

	natural_t ports, psets, kmsgs, pfree, ptotal, tasks, threads;
	kr = mk_ipc_counts(host, &ports, &psets, &kmsgs, &pfree, &ptotal,
	    &tasks, &threads);
	unsigned int iports = mk_info(MK_INFO_PORTS);
	unsigned int itasks = mk_info(MK_INFO_TASKS);
	unsigned int ithreads = mk_info(MK_INFO_THREADS);
	tap_ok(kr == KERN_SUCCESS && ports == iports && tasks == itasks &&
	    threads == ithreads && pfree > 0 && pfree <= ptotal,
	    "mk_ipc_counts agrees with mk_info: ports %u/%u tasks %u/%u "
	    "threads %u/%u (kr %d)", ports, iports, tasks, itasks, threads,
	    ithreads, kr);
	kr = mk_ipc_counts(self, &ports, &psets, &kmsgs, &pfree, &ptotal,
	    &tasks, &threads);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "mk_ipc_counts on a task port: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	mk_zone_info_t zones[MK_ZONE_INFO_MAX];
	n = MK_ZONE_INFO_MAX;
	kr = mk_zone_info(host, zones, &n);
	int named = 0;
	for (unsigned int i = 0; kr == KERN_SUCCESS && i < n; i++)
		if (zones[i].name[0] != '\0' && zones[i].elem_size > 0 &&
		    zones[i].allocs >= zones[i].frees)
			named++;
	tap_ok(kr == KERN_SUCCESS && n > 0 && named == (int)n,
	    "mk_zone_info: %u zones, each named and sized (kr %d)", n, kr);

	mach_port_urefs_t r0 = ipc_refs(host, MACH_PORT_RIGHT_SEND);
	mach_port_t h2 = mach_host_self();
	tap_ok(h2 == host && ipc_refs(host, MACH_PORT_RIGHT_SEND) == r0 + 1,
	    "mach_host_self again: same name, one more uref");
	(void)mach_port_deallocate(self, h2);
	(void)mach_port_deallocate(self, host);
}

int main(void)
{
	self = mach_task_self();
	allocate_protect_region();
	read_write_copy();
	bad_maps();
	host_and_stats();
	return tap_done();
}
