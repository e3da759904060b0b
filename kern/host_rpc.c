/*
 * The kernel side of the mach_host subsystem (host_info,
 * host_statistics; XNU's ids from 200) and of this kernel's mk_stats
 * subsystem (kernel statistics for tests and benchmarks).
 *
 * The generated servers convert the request port with
 * convert_port_to_host(): a port that is not the host port arrives as
 * NULL.  XNU answers that with KERN_INVALID_ARGUMENT in host_info and
 * KERN_INVALID_HOST in host_statistics; the mk_stats routines use
 * KERN_INVALID_ARGUMENT.  Nothing here takes or gives references.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/mach_msg_fast.h>
#include <kern/host.h>
#include <kern/lib.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <machine/param.h>
#include <mach/host_info.h>
#include <mach/machine.h>
#include <mach/vm_statistics.h>
#include <mach/mach_hostServer.h>
#include <mach/mk_statsServer.h>
#include <vm/vm_fault.h>
#include <vm/vm_page.h>


/* Bytes of RAM: the top of physical memory the kernel manages. */
static uint64_t memory_bytes(void)
{
	struct vm_page_stats st;
	vm_page_stats(&st);
	return (uint64_t)st.highest * PAGE_SIZE;
}

/*
 * host_info: information about the machine, by flavor.
 *   HOST_BASIC_INFO: one CPU, memory_size (RAM bytes, capped at 2 GiB as
 *     in XNU), CPU_TYPE_I386 / CPU_SUBTYPE_I386_ALL.  At least
 *     HOST_BASIC_INFO_OLD_COUNT words: with fewer than
 *     HOST_BASIC_INFO_COUNT only the old five-word form is written.
 *   HOST_SCHED_INFO: min_timeout (one clock tick) and min_quantum, in ms.
 * *host_info_outCnt (words available) is set to the words written.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (not the host, unknown
 * flavor); KERN_FAILURE (count too small, XNU's answer).
 */
kern_return_t host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	if (host == NULL)
		return KERN_INVALID_ARGUMENT;

	switch (flavor) {
	case HOST_BASIC_INFO: {
		if (*host_info_outCnt < HOST_BASIC_INFO_OLD_COUNT)
			return KERN_FAILURE;
		uint64_t mem = memory_bytes();
		struct host_basic_info bi = {
			.max_cpus = 1,
			.avail_cpus = 1,
			.memory_size = mem > 0x80000000u ? 0x80000000u : (natural_t)mem,
			.cpu_type = CPU_TYPE_I386,
			.cpu_subtype = CPU_SUBTYPE_I386_ALL,
			.cpu_threadtype = CPU_THREADTYPE_NONE,
			.physical_cpu = 1,
			.physical_cpu_max = 1,
			.logical_cpu = 1,
			.logical_cpu_max = 1,
			.max_mem = mem,
		};
		mach_msg_type_number_t n = *host_info_outCnt >= HOST_BASIC_INFO_COUNT
			? HOST_BASIC_INFO_COUNT : HOST_BASIC_INFO_OLD_COUNT;
		memcpy(host_info_out, &bi, n * sizeof(integer_t));
		*host_info_outCnt = n;
		return KERN_SUCCESS;
	}
	case HOST_SCHED_INFO: {
		if (*host_info_outCnt < HOST_SCHED_INFO_COUNT)
			return KERN_FAILURE;
		struct host_sched_info si = {
			.min_timeout = 1000 / HZ,
			.min_quantum = QUANTUM_TICKS * 1000 / HZ,
		};
		memcpy(host_info_out, &si, sizeof(si));
		*host_info_outCnt = HOST_SCHED_INFO_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * host_statistics: HOST_VM_INFO, the 32-bit vm_statistics record in
 * pages: free_count (free pages), active_count (every other managed
 * page: this kernel has no inactive or wired queues, those read 0),
 * faults and zero_fill_count from the fault counters; the rest 0.  Takes
 * XNU's three revisions by count (12, 14 or 15 words).
 * *host_info_outCnt (words available) is set to the words written.
 * Returns KERN_SUCCESS; KERN_INVALID_HOST (not the host); KERN_FAILURE
 * (count below HOST_VM_INFO_REV0_COUNT); KERN_INVALID_ARGUMENT (unknown
 * flavor).
 */
kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	if (host_priv == NULL)
		return KERN_INVALID_HOST;
	if (flavor != HOST_VM_INFO)
		return KERN_INVALID_ARGUMENT;
	if (*host_info_outCnt < HOST_VM_INFO_REV0_COUNT)
		return KERN_FAILURE;

	struct vm_page_stats ps;
	struct vm_fault_stats fs;
	vm_page_stats(&ps);
	vm_fault_stats(&fs);
	vm_statistics_data_t vs;
	memset(&vs, 0, sizeof(vs));
	vs.free_count = ps.free;
	vs.active_count = ps.total - ps.free;
	vs.zero_fill_count = (natural_t)fs.zero_fills;
	vs.faults = (natural_t)fs.faults;

	mach_msg_type_number_t n = HOST_VM_INFO_REV0_COUNT;
	if (*host_info_outCnt >= HOST_VM_INFO_COUNT)
		n = HOST_VM_INFO_COUNT;
	else if (*host_info_outCnt >= HOST_VM_INFO_REV1_COUNT)
		n = HOST_VM_INFO_REV1_COUNT;
	memcpy(host_info_out, &vs, n * sizeof(integer_t));
	*host_info_outCnt = n;
	return KERN_SUCCESS;
}

/*
 * mk_zone_info: one record per kernel zone, in registration order, at
 * most *zonesCnt (set to the records written): the name (truncated to
 * 15 characters, NUL padded), element size, elements in use, pages
 * held, allocations and frees since boot.
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (not the host).
 */
kern_return_t mk_zone_info(host_t host, mk_zone_info_array_t zones,
			   mach_msg_type_number_t *zonesCnt)
{
	mach_msg_type_number_t n = 0;

	if (host == NULL)
		return KERN_INVALID_ARGUMENT;
	for (zone_t z = zone_first(); z != NULL && n < *zonesCnt; z = z->next, n++) {
		mk_zone_info_t *zi = &zones[n];
		memset(zi->name, 0, sizeof(zi->name));
		if (z->name != NULL)
			strlcpy(zi->name, z->name, sizeof(zi->name));
		zi->elem_size = (natural_t)z->elem_size;
		zi->in_use = z->in_use;
		zi->pages = z->pages;
		zi->allocs = (natural_t)z->allocs;
		zi->frees = (natural_t)z->frees;
	}
	*zonesCnt = n;
	return KERN_SUCCESS;
}

/*
 * mk_ipc_counts: objects alive now: ports, port sets, kmsgs (allocated
 * and not cached), free and managed physical pages, tasks and threads
 * (kernel ones included).
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (not the host).
 */
kern_return_t mk_ipc_counts(host_t host, natural_t *ports, natural_t *psets,
			    natural_t *kmsgs, natural_t *pages_free,
			    natural_t *pages_total, natural_t *tasks,
			    natural_t *threads)
{
	struct vm_page_stats ps;

	if (host == NULL)
		return KERN_INVALID_ARGUMENT;
	vm_page_stats(&ps);
	*ports = ipc_ports_alive;
	*psets = ipc_psets_alive;
	*kmsgs = ipc_kmsgs_alive;
	*pages_free = ps.free;
	*pages_total = ps.total;
	*tasks = tasks_alive;
	*threads = threads_alive;
	return KERN_SUCCESS;
}

/*
 * mk_hotpath_counters: the mach_msg hot-path counters
 * (mach_msg_counters[], defined by ipc/mach_msg_fast.c), at most
 * *countersCnt of them (set to the number written; 0 while the hot path
 * defines none).
 * Returns KERN_SUCCESS; KERN_INVALID_ARGUMENT (not the host).
 */
kern_return_t mk_hotpath_counters(host_t host, mk_counter_array_t counters,
				  mach_msg_type_number_t *countersCnt)
{
	if (host == NULL)
		return KERN_INVALID_ARGUMENT;
	mach_msg_counters_sync();
	mach_msg_type_number_t n = mach_msg_counters_count;
	if (n > *countersCnt)
		n = *countersCnt;
	for (mach_msg_type_number_t i = 0; i < n; i++)
		counters[i] = mach_msg_counters[i];
	*countersCnt = n;
	return KERN_SUCCESS;
}
