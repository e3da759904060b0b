/*
 * The robustness-testing traps: mk_audit (the IPC invariant auditor,
 * object counts, the kernel command line) and mk_fault_inject (make the
 * nth allocation of a zone, of kalloc or of physical pages fail).  The
 * contract is in <mach/mk_audit.h>.
 *
 * Fault injection only arms the counters the allocators already have
 * (zone_fail_nth, kalloc_fail_nth, vm_page_fail_nth); the allocator that
 * reaches its count returns NULL / 0 exactly as when memory is exhausted,
 * so every caller's shortage path runs.  A test checks that each such
 * failure surfaces as the documented error with nothing leaked.
 */
#include <ipc/ipc_audit.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/bootopt.h>
#include <kern/fault_inject.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <mach/mk_audit.h>
#include <machine/copyio.h>
#include <vm/vm_page.h>

/* Copy out as many zone records as fit; return the number of zones. */
static int copy_zones(uint32_t ubuf, uint32_t size)
{
	uint32_t room = size / sizeof(struct mk_audit_zone), n = 0;
	for (zone_t z = zone_first(); z; z = z->next, n++) {
		if (n >= room)
			continue;
		struct mk_audit_zone rec;
		memset(&rec, 0, sizeof(rec));
		strlcpy(rec.name, z->name, sizeof(rec.name));
		rec.in_use = z->in_use;
		rec.pages = z->pages;
		if (copyout(&rec, (void *)(ubuf + n * sizeof(rec)), sizeof(rec)))
			return -KERN_INVALID_ADDRESS;
	}
	return (int)n;
}

/* mk_audit_trap: see fault_inject.h. */
int mk_audit_trap(uint32_t op, uint32_t arg, uint32_t ubuf, uint32_t size)
{
	switch (op) {
	case MK_AUDIT_IPC:
		return ipc_audit_flags(((arg & MK_AUDIT_VERBOSE) ? IPC_AUDIT_VERBOSE : 0) |
				       ((arg & MK_AUDIT_EXACT) ? IPC_AUDIT_EXACT : 0));
	case MK_AUDIT_COUNTS: {
		struct mk_audit_counts c;
		if (size < sizeof(c))
			return KERN_INVALID_ARGUMENT;
		ipc_audit_counts(&c);
		return copyout(&c, (void *)ubuf, sizeof(c)) ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
	}
	case MK_AUDIT_ZONES:
		return copy_zones(ubuf, size);
	case MK_AUDIT_BOOTARGS: {
		if (size == 0)
			return KERN_INVALID_ARGUMENT;
		size_t len = strlen(bootopt.cmdline) + 1;
		char nul = '\0';
		if (len > size)
			len = size;
		if (copyout(bootopt.cmdline, (void *)ubuf, len - 1) ||
		    copyout(&nul, (void *)(ubuf + len - 1), 1))
			return KERN_INVALID_ADDRESS;
		return KERN_SUCCESS;
	}
	case MK_AUDIT_PRINT:
		queue_foreach(l, &all_tasks) {
			task_t t = qlink_entry(l, struct task, all_link);
			printf("task %3d %-16s refs %d threads %u %s%s spawner %d%s exit %d/%d\n",
			       t->id, t->name, t->ref_count, t->thread_count,
			       t->active ? "active" : "inactive", t->finished ? " finished" : "",
			       t->spawner ? t->spawner->id : 0, t->waited ? " waited" : "",
			       t->exit_info.how, t->exit_info.code);
		}
		thread_print_all();
		queue_foreach(l, &all_ports) {
			ipc_port_t p = qlink_entry(l, struct ipc_port, ip_all_link);
			struct task *rt = p->ip_receiver && p->ip_receiver != ipc_space_kernel &&
					  p->ip_receiver != ipc_space_reply ? p->ip_receiver->is_task : NULL;
			printf("port %4u %s refs %u srights %u sorights %u receiver %s%d name %#x "
			       "kotype %u msgs %u\n", p->ip_id, ip_active(p) ? "active" : "dead  ",
			       p->ip_object.io_references, p->ip_srights, p->ip_sorights,
			       p->ip_receiver == ipc_space_kernel ? "kernel" :
			       p->ip_receiver == ipc_space_reply ? "reply" : "task ",
			       rt ? rt->id : -1, p->ip_receiver_name, p->ip_kotype, p->ip_msgcount);
		}
		queue_foreach(l, &all_tasks) {
			task_t t = qlink_entry(l, struct task, all_link);
			if (t->itk_space)
				ipc_space_print(t->itk_space);
		}
		return KERN_SUCCESS;
	case MK_AUDIT_WAITFOR:
		return ipc_audit_waitfor();
	case MK_AUDIT_KSUM: {
		extern const char _kernel_start[], _sdata[];
		uint32_t a = 1, b = 0;	/* Adler-style, modulo 2^16 halves */
		for (const char *p = _kernel_start; p < _sdata; p++) {
			a = (a + (uint8_t)*p) & 0xffff;
			b = (b + a) & 0xffff;
		}
		return (int)((b << 16) | a);
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* Read a zone name from the user: KERN_INVALID_ADDRESS if unreadable, KERN_INVALID_ARGUMENT if too long. */
static kern_return_t copyin_name(uint32_t uname, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (copyin((const char *)uname + i, &buf[i], 1))
			return KERN_INVALID_ADDRESS;
		if (buf[i] == '\0')
			return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

/* mk_fault_inject_trap: see fault_inject.h. */
int mk_fault_inject_trap(uint32_t kind, uint32_t n, uint32_t uzone)
{
	unsigned was;
	switch (kind) {
	case MK_FI_OFF:
		was = kalloc_fail_pending() + vm_page_fail_pending();
		kalloc_fail_nth(0);
		vm_page_fail_nth(0);
		for (zone_t z = zone_first(); z; z = z->next) {
			was += z->fail_nth;
			zone_fail_nth(z, 0);
		}
		return (int)was;
	case MK_FI_ZONE: {
		char name[32];
		kern_return_t kr = copyin_name(uzone, name, sizeof(name));
		if (kr != KERN_SUCCESS)
			return -kr;
		zone_t z = zone_find(name);
		if (z == NULL)
			return -KERN_INVALID_ARGUMENT;
		was = z->fail_nth;
		zone_fail_nth(z, n);
		return (int)was;
	}
	case MK_FI_KALLOC:
		was = kalloc_fail_pending();
		kalloc_fail_nth(n);
		return (int)was;
	case MK_FI_PAGE:
		was = vm_page_fail_pending();
		vm_page_fail_nth(n);
		return (int)was;
	default:
		return -KERN_INVALID_ARGUMENT;
	}
}
