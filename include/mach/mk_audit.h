/*
 * mach/mk_audit.h - the kernel's robustness-testing interface: the IPC
 * invariant auditor, kernel counters for leak checks, the kernel command
 * line, and fault injection (issue 10).  Not a Mach interface: only test
 * programs and the fuzzer use it.
 *
 * Two traps, same entry convention as every trap of <mach/mk_traps.h>
 * (int $0x80, number in EAX, cdecl arguments on the user stack, result
 * in EAX):
 *
 *   0x100c  mk_audit(op, arg, buf, size)
 *     MK_AUDIT_IPC       walk every space, entry, port, port set and
 *                        queued kmsg and check the IPC invariants
 *                        (ipc/ipc_audit.c); arg: MK_AUDIT_VERBOSE prints
 *                        each violation on the console; MK_AUDIT_EXACT
 *                        says the system is quiet (no thread woken from
 *                        an IPC wait but not yet run, none in long IPC),
 *                        so reference counts must match exactly and a
 *                        reference nobody holds is found.  Returns the
 *                        number of violations (0: all hold), or -1 if the
 *                        auditor had no memory to work in.
 *     MK_AUDIT_COUNTS    copy struct mk_audit_counts to buf (size bytes at
 *                        least sizeof it) -> KERN_SUCCESS,
 *                        KERN_INVALID_ARGUMENT (size too small),
 *                        KERN_INVALID_ADDRESS (buf not writable)
 *     MK_AUDIT_ZONES     copy up to size / sizeof(struct mk_audit_zone)
 *                        zone records to buf -> the number of zones
 *                        (which may be more than were copied), or
 *                        -KERN_INVALID_ADDRESS
 *     MK_AUDIT_BOOTARGS  copy the kernel command line, NUL-terminated and
 *                        cut to size bytes, to buf -> KERN_SUCCESS,
 *                        KERN_INVALID_ARGUMENT (size 0),
 *                        KERN_INVALID_ADDRESS
 *     MK_AUDIT_PRINT     print every task, thread, port and space on the
 *                        console (for leak reports) -> KERN_SUCCESS
 *     MK_AUDIT_WAITFOR   print the wait-for relations of every user thread
 *                        (a watchdog's deadlock report) -> the number of
 *                        threads waiting on ports or sets
 *     MK_AUDIT_KSUM      a checksum of the kernel's text and read-only
 *                        data (isolation tests: no user action may change
 *                        it) -> the checksum
 *     other op           KERN_INVALID_ARGUMENT
 *
 *   0x100d  mk_fault_inject(kind, n, zone)
 *     Makes the nth allocation from now of one kind fail, as if memory
 *     were exhausted (n = 0 disarms that kind).  Kinds:
 *       MK_FI_ZONE     the zone whose name is the user string zone
 *                      (e.g. "ipc.ports"; at most 31 bytes)
 *       MK_FI_KALLOC   kalloc (every size)
 *       MK_FI_PAGE     the physical page allocator
 *       MK_FI_OFF      disarm every kind and every zone (n, zone ignored)
 *     Returns the count that was pending for that kind before the call
 *     (0: it was off, or the failure it was armed for has fired), for
 *     MK_FI_OFF the sum over everything that was still armed; or
 *     -KERN_INVALID_ARGUMENT (unknown kind, no such zone) or
 *     -KERN_INVALID_ADDRESS (zone name unreadable).  So arm with n, run
 *     the operation, then mk_fault_inject(kind, 0, zone) == 0 means the
 *     injected failure happened.  Allocations by anything in the system
 *     count, so tests arm it right before the operation under test.
 */
#ifndef _MACH_MK_AUDIT_H_
#define _MACH_MK_AUDIT_H_

#include <mach/mk_traps.h>

#ifndef MK_TRAP_AUDIT
#define MK_TRAP_AUDIT		0x100c
#endif
#ifndef MK_TRAP_FAULT_INJECT
#define MK_TRAP_FAULT_INJECT	0x100d
#endif

/* mk_audit ops */
#define MK_AUDIT_IPC		1
#define MK_AUDIT_COUNTS		2
#define MK_AUDIT_ZONES		3
#define MK_AUDIT_BOOTARGS	4
#define MK_AUDIT_PRINT		5
#define MK_AUDIT_KSUM		6
#define MK_AUDIT_WAITFOR	7

/* MK_AUDIT_IPC flags */
#define MK_AUDIT_VERBOSE	0x1
#define MK_AUDIT_EXACT		0x2

/* mk_fault_inject kinds */
#define MK_FI_OFF		0
#define MK_FI_ZONE		1
#define MK_FI_KALLOC		2
#define MK_FI_PAGE		3

#define MK_AUDIT_ZONE_NAME	20

/* Kernel object counts for leak checks (MK_AUDIT_COUNTS). */
struct mk_audit_counts {
	unsigned int	ports;		/* ipc_ports_alive */
	unsigned int	psets;
	unsigned int	kmsgs;		/* allocated, not in the kmsg cache */
	unsigned int	spaces;
	unsigned int	tasks;
	unsigned int	threads;
	unsigned int	zone_elems;	/* elements in use, all zones */
	unsigned int	zone_pages;	/* pages zones hold (never returned) */
	unsigned int	pages_total;	/* usable physical pages */
	unsigned int	pages_free;
	unsigned int	kalloc_large_pages; /* pages of kalloc blocks > 2 KiB */
};

/* One zone (MK_AUDIT_ZONES). */
struct mk_audit_zone {
	char		name[MK_AUDIT_ZONE_NAME];	/* NUL-terminated, maybe cut */
	unsigned int	in_use;
	unsigned int	pages;
};

#ifndef KERNEL
/*
 * Header-only stubs, so that every test program can call the traps
 * without a library change.  Arguments go on the stack below a dummy
 * return address, where the kernel reads a cdecl call's arguments.
 */
static inline int mk_audit(unsigned int op, unsigned int arg, void *buf, unsigned int size)
{
	int r;
	__asm__ volatile("pushl %4\n\tpushl %3\n\tpushl %2\n\tpushl %1\n\tpushl $0\n\t"
			 "int $0x80\n\taddl $20, %%esp"
			 : "=a"(r)
			 : "r"(op), "r"(arg), "r"(buf), "r"(size), "0"(MK_TRAP_AUDIT)
			 : "memory", "cc");
	return r;
}

static inline int mk_fault_inject(unsigned int kind, unsigned int n, const char *zone)
{
	int r;
	__asm__ volatile("pushl %3\n\tpushl %2\n\tpushl %1\n\tpushl $0\n\t"
			 "int $0x80\n\taddl $16, %%esp"
			 : "=a"(r)
			 : "r"(kind), "r"(n), "r"(zone), "0"(MK_TRAP_FAULT_INJECT)
			 : "memory", "cc");
	return r;
}
#endif /* !KERNEL */

#endif /* _MACH_MK_AUDIT_H_ */
