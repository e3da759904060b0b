/*
 * User threads: mk_thread_start / mk_thread_wait over the kernel's
 * mk_thread_spawn / mk_thread_join / mk_thread_exit.
 *
 * Each thread gets one region from vm_allocate:
 *
 *   base                 control page: fn, arg, the thread's output buffer
 *                        and MIG reply port
 *   base + PAGE          guard page, no access (when vm_protect allows)
 *   base + 2 * PAGE      stack, MK_THREAD_STACK_SIZE bytes, growing down
 *
 * A small table maps thread ids to regions.  Its slots go FREE -> LIVE
 * (before the thread runs) -> JOINING (while its creator waits) -> FREE
 * (after the join, when the region is gone).  table_lock guards changes;
 * current_ctl() reads LIVE and JOINING slots without it, which
 * is safe because a thread's own slot cannot change while it runs.
 */
#include <stddef.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/lock.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>
#include "libmk.h"

#define PAGE		4096u
#define STACK_OFFSET	(2 * PAGE)
#define REGION_SIZE	(STACK_OFFSET + MK_THREAD_STACK_SIZE)
/* The initial thread's stack: the top 1 MiB of user space (kern/bootprog.h). */
#define MAIN_STACK_BASE	0xbff00000u

enum { SLOT_FREE, SLOT_LIVE, SLOT_JOINING };

struct thread_ctl {
	void			(*fn)(void *);
	void			*arg;
	mach_port_t		reply_port;	/* MACH_PORT_NULL until used */
	struct libmk_outbuf	out;
};

_Static_assert(sizeof(struct thread_ctl) <= PAGE, "control page");

static struct {
	volatile int		state;
	volatile int		tid;	/* 0 until mk_thread_spawn returns */
	volatile vm_address_t	base;
} slots[MK_THREAD_MAX];

static mk_lock_t table_lock = MK_LOCK_INIT;

static mach_port_t shared_reply_port = MACH_PORT_NULL;

/* Where every thread made here starts: run fn, clean up, end. */
static void thread_trampoline(void *p)
{
	struct thread_ctl *ctl = p;

	ctl->fn(ctl->arg);
	__libmk_outbuf_flush(&ctl->out);
	if (ctl->reply_port != MACH_PORT_NULL)
		(void)mach_port_mod_refs(mach_task_self(), ctl->reply_port,
		    MACH_PORT_RIGHT_RECEIVE, -1);
	mk_thread_exit();
}

/* The control page of the calling thread if it runs on a stack made here. */
static struct thread_ctl *current_ctl(void)
{
	vm_address_t sp = (vm_address_t)__builtin_frame_address(0);

	/* the first thread runs on the stack the kernel gave the task */
	if (sp >= MAIN_STACK_BASE)
		return NULL;
	for (int i = 0; i < MK_THREAD_MAX; i++) {
		if (slots[i].state == SLOT_FREE)
			continue;
		vm_address_t base = slots[i].base;
		if (sp >= base + STACK_OFFSET && sp < base + REGION_SIZE)
			return (struct thread_ctl *)base;
	}
	return NULL;
}

/*
 * __libmk_thread_outbuf: the output buffer of the calling thread if it
 * runs on a stack made here, else NULL.
 */
struct libmk_outbuf *__libmk_thread_outbuf(void)
{
	struct thread_ctl *ctl = current_ctl();

	return ctl != NULL ? &ctl->out : NULL;
}

/*
 * __libmk_reply_port_slot: the calling thread's MIG reply port word (see
 * libmk.h).  Never NULL.
 */
mach_port_t *__libmk_reply_port_slot(void)
{
	struct thread_ctl *ctl = current_ctl();

	return ctl != NULL ? &ctl->reply_port : &shared_reply_port;
}

/*
 * mk_thread_start: run fn(arg) in a new thread of this task.  Returns the
 * thread id (> 0) or a negative kern_return_t (see <mk/thread.h>).
 */
int mk_thread_start(void (*fn)(void *), void *arg)
{
	vm_address_t base = 0;
	kern_return_t kr;
	int slot = -1;

	kr = vm_allocate(mach_task_self(), &base, REGION_SIZE,
	    VM_FLAGS_ANYWHERE);
	if (kr != KERN_SUCCESS)
		return -kr;
	/* A guard page is a nicety: run without one if protection fails. */
	(void)vm_protect(mach_task_self(), base + PAGE, PAGE, FALSE,
	    VM_PROT_NONE);

	struct thread_ctl *ctl = (struct thread_ctl *)base;
	ctl->fn = fn;
	ctl->arg = arg;
	ctl->reply_port = MACH_PORT_NULL;
	ctl->out.len = 0;

	mk_lock(&table_lock);
	for (int i = 0; i < MK_THREAD_MAX; i++) {
		if (slots[i].state == SLOT_FREE) {
			slot = i;
			slots[i].base = base;
			slots[i].tid = 0;
			slots[i].state = SLOT_LIVE;
			break;
		}
	}
	mk_unlock(&table_lock);
	if (slot < 0) {
		(void)vm_deallocate(mach_task_self(), base, REGION_SIZE);
		return -KERN_RESOURCE_SHORTAGE;
	}

	/*
	 * The kernel starts the thread with ESP = top - 8, where it puts a
	 * zero return address and then arg.  Choosing top 12 bytes below a
	 * 16-byte boundary makes ESP + 4 16-byte aligned at entry, as the
	 * i386 SysV ABI expects of a called function.
	 */
	void *top = (void *)(base + REGION_SIZE - 12);
	int tid = mk_thread_spawn(thread_trampoline, ctl, top);
	if (tid <= 0) {
		mk_lock(&table_lock);
		slots[slot].state = SLOT_FREE;
		mk_unlock(&table_lock);
		(void)vm_deallocate(mach_task_self(), base, REGION_SIZE);
		return tid < 0 ? tid : -KERN_FAILURE;
	}
	slots[slot].tid = tid;
	return tid;
}

/*
 * mk_thread_wait: wait for thread tid (made by mk_thread_start) to end and
 * free its stack.  Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT, or the
 * kernel's mk_thread_join error (see <mk/thread.h>).
 */
kern_return_t mk_thread_wait(int tid)
{
	int slot = -1;
	kern_return_t kr;

	if (tid <= 0)
		return KERN_INVALID_ARGUMENT;
	mk_lock(&table_lock);
	for (int i = 0; i < MK_THREAD_MAX; i++) {
		if (slots[i].state == SLOT_LIVE && slots[i].tid == tid) {
			slot = i;
			slots[i].state = SLOT_JOINING;
			break;
		}
	}
	mk_unlock(&table_lock);
	if (slot < 0)
		return KERN_INVALID_ARGUMENT;

	kr = mk_thread_join(tid, 0);
	if (kr != KERN_SUCCESS) {
		mk_lock(&table_lock);
		slots[slot].state = SLOT_LIVE;
		mk_unlock(&table_lock);
		return kr;
	}
	/* The thread is gone: nothing runs on its stack any more. */
	(void)vm_deallocate(mach_task_self(), slots[slot].base, REGION_SIZE);
	mk_lock(&table_lock);
	slots[slot].state = SLOT_FREE;
	mk_unlock(&table_lock);
	return KERN_SUCCESS;
}
