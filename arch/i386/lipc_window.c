/*
 * The long-IPC copy window: see <machine/lipc_window.h> for the design
 * (window PDE slots, window faults, TLB policy).
 *
 * State of the CPU (uniprocessor, kernel not preemptible, interrupts off
 * in the kernel, so no locks):
 *   win_loaded  the window whose receiver PDEs sit in the window slots of
 *               win_pd (the directory that was current when they were
 *               written), or NULL when both slots are empty;
 *   win_cur     the window of the current thread's running copy step, for
 *               lipc_window_fault, or NULL.
 *
 * The copy itself is lipc_copy_bytes (assembly below): rep movs with
 * copy_recover pointing at its own recovery label, so that a fault the
 * kernel cannot resolve, on either side, ends it with an error.
 */
#include <kern/assert.h>
#include <kern/printf.h>
#include <mach/vm_prot.h>
#include <machine/cpu.h>
#include <machine/lipc_window.h>
#include <machine/pmap.h>
#include <machine/trap.h>
#include <machine/trap_catch.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

/* Faults in a row at one window address before the copy gives up. */
#define LIPC_FAULT_RETRIES	4

_Static_assert(WINDOW_PDX == LIPC_PDX(WINDOW_BASE), "window slot index");
_Static_assert(KERNEL_PDX == LIPC_USER_PDES, "user PDEs end where the kernel's start");

struct mk_lipc_stats lipc_stats;
static struct lipc_window *win_loaded;
static pd_entry_t *win_pd;
static struct lipc_window *win_cur;

/*
 * lipc_copy_bytes(dst, src, n): copy n bytes; 0 on success, 1 if a fault
 * was not resolved (then a prefix of dst may be written).  Same shape as
 * copyin/copyout (arch/i386/copyio.S): the recovery label runs with the
 * stack exactly as at the faulting rep movs.
 */
int lipc_copy_bytes(void *dst, const void *src, uint32_t n);
extern char lipc_copy_fault[];
__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"	.globl	lipc_copy_bytes\n"
	"	.type	lipc_copy_bytes, @function\n"
	"lipc_copy_bytes:\n"
	"	pushl	%esi\n"
	"	pushl	%edi\n"
	"	movl	12(%esp), %edi\n"
	"	movl	16(%esp), %esi\n"
	"	movl	20(%esp), %ecx\n"
	"	movl	$lipc_copy_fault, copy_recover\n"
	"	cld\n"
	"	movl	%ecx, %edx\n"
	"	shrl	$2, %ecx\n"
	"	rep movsl\n"
	"	movl	%edx, %ecx\n"
	"	andl	$3, %ecx\n"
	"	rep movsb\n"
	"	movl	$0, copy_recover\n"
	"	xorl	%eax, %eax\n"
	"	popl	%edi\n"
	"	popl	%esi\n"
	"	ret\n"
	"	.globl	lipc_copy_fault\n"
	"lipc_copy_fault:\n"
	"	movl	$0, copy_recover\n"
	"	movl	$1, %eax\n"
	"	popl	%edi\n"
	"	popl	%esi\n"
	"	ret\n"
	"	.size	lipc_copy_bytes, . - lipc_copy_bytes\n");

/* What a receiver PDE becomes in the window: no PTE_U, nothing odd. */
static inline pd_entry_t window_pde(pd_entry_t rpde)
{
	if (!(rpde & PTE_P) || (rpde & PTE_PS))
		return 0;
	return rpde & (PTE_FRAME | PTE_P | PTE_W);
}

/* The receiver PDE (sanitized) that window slot `slot` of w shows. */
static pd_entry_t receiver_pde(const struct lipc_window *w, uint32_t slot)
{
	uint32_t pdx = LIPC_PDX(w->lw_base) + slot;
	if (!lipc_win_pdx_ok(pdx))
		return 0;
	return window_pde(w->lw_map->pmap->pd[pdx]);
}

static void tlb_flush_all(void)
{
	write_cr3(read_cr3());
	lipc_stats.tlb_full_flushes++;
}

/* Empty the window slots and drop their translations. */
static void window_unload(void)
{
	struct lipc_window *w = win_loaded;
	if (w == NULL)
		return;
	win_pd[WINDOW_PDX] = 0;
	win_pd[WINDOW_PDX + 1] = 0;
	/* another directory in CR3 means the switch already flushed */
	if (win_pd == current_pmap->pd)
		tlb_flush_all();
	w->lw_loaded = false;
	win_loaded = NULL;
	win_pd = NULL;
}

/* Write w's receiver PDEs into the current directory's window slots. */
static void window_load(struct lipc_window *w)
{
	pd_entry_t *pd = current_pmap->pd;
	assert(win_loaded == NULL);
	pd[WINDOW_PDX] = receiver_pde(w, 0);
	pd[WINDOW_PDX + 1] = receiver_pde(w, 1);
	win_loaded = w;
	win_pd = pd;
	w->lw_loaded = true;
}

/* lipc_window_init: a window that shows nothing. */
void lipc_window_init(struct lipc_window *w)
{
	w->lw_map = NULL;
	w->lw_base = 0;
	w->lw_loaded = false;
	w->lw_copying = false;
	w->lw_lo = w->lw_hi = 0;
	w->lw_last_va = 0;
	w->lw_repeat = 0;
	w->lw_rcv_fault = false;
	w->lw_rcv_kr = KERN_SUCCESS;
}

/*
 * lipc_window_copy: copy len bytes from src, an address the current
 * thread may read (a user address of the current task, checked by the
 * caller to lie in user space; or kernel memory, for self-tests), to
 * receiver address ra in rmap, through w, moving w as often as needed.
 * [ra, ra + len) must lie in user space (asserted).  Runs in the context
 * of w's thread, interrupts off; never blocks.  The window stays
 * positioned (and may stay loaded) afterwards: lipc_window_close ends it.
 * Returns LIPC_COPY_OK; LIPC_COPY_SENDER_FAULT when the source faulted
 * and the current map could not resolve it; or LIPC_COPY_RECEIVER_FAULT
 * when rmap could not resolve a fault at the target, with *rkr set to
 * vm_fault's answer.  After a fault a prefix of the target may be
 * written.
 */
int lipc_window_copy(struct lipc_window *w, struct vm_map *rmap, uint32_t ra,
		     const void *src, uint32_t len, kern_return_t *rkr)
{
	const char *s = src;

	assert(rmap != NULL && rmap->pmap != NULL);
	assert(len == 0 || vm_user_range_ok(ra, len));
	while (len > 0) {
		uint32_t base, n;
		if (lipc_win_step(w->lw_map == rmap, w->lw_base, ra, len, &base, &n)) {
			if (w->lw_loaded)
				window_unload();
			w->lw_map = rmap;
			w->lw_base = base;
			lipc_stats.window_moves++;
		}
		if (!w->lw_loaded) {
			window_unload();	/* someone else's, if any */
			window_load(w);
		}
		w->lw_lo = ra;
		w->lw_hi = ra + n;
		w->lw_last_va = 0;
		w->lw_repeat = 0;
		w->lw_rcv_fault = false;
		w->lw_copying = true;
		win_cur = w;
		int failed = lipc_copy_bytes((void *)lipc_win_va(base, ra), s, n);
		win_cur = NULL;
		w->lw_copying = false;
		if (failed) {
			if (w->lw_rcv_fault) {
				*rkr = w->lw_rcv_kr;
				return LIPC_COPY_RECEIVER_FAULT;
			}
			lipc_stats.sender_aborts++;
			return LIPC_COPY_SENDER_FAULT;
		}
		lipc_stats.bytes += n;
		ra += n;
		s += n;
		len -= n;
	}
	return LIPC_COPY_OK;
}

/*
 * lipc_window_close: tear w down (empty the slots and flush the TLB if it
 * is loaded) and forget its position.  Context of w's thread, or the
 * reaper for a dead thread's window.
 */
void lipc_window_close(struct lipc_window *w)
{
	if (w->lw_loaded) {
		assert(win_loaded == w);
		window_unload();
	}
	if (win_cur == w)
		win_cur = NULL;
	w->lw_map = NULL;
	w->lw_copying = false;
}

/* Give up on the copy step: the receiver's map answered kr. */
static bool window_abort(struct lipc_window *w, struct trapframe *tf,
			 kern_return_t kr)
{
	w->lw_rcv_fault = true;
	w->lw_rcv_kr = kr;
	lipc_stats.receiver_aborts++;
	tf->eip = (uintptr_t)lipc_copy_fault;
	return true;
}

/*
 * lipc_window_fault: a kernel-mode page fault at va, a window address
 * (kernel_page_fault sends every fault in [WINDOW_BASE, WINDOW_BASE +
 * WINDOW_SIZE) here).  Only a fault inside lipc_copy_bytes during a copy
 * step of the current thread is ours; anything else returns false (a
 * kernel bug: the caller panics).  Ours is resolved by re-copying the
 * receiver's PDE into its slot, or by vm_fault in the receiver's map
 * (write access) and then re-copying it; the faulting instruction then
 * runs again.  If the address lies outside the step's receiver range,
 * keeps faulting, or the receiver's map refuses, the copy is aborted:
 * tf->eip is moved to the copy's recovery label and the step reports a
 * receiver fault.  Returns true in both cases.  Interrupts off.
 */
bool lipc_window_fault(struct trapframe *tf, uintptr_t va)
{
	struct lipc_window *w = win_cur;

	if (va - WINDOW_BASE >= WINDOW_SIZE || w == NULL || !w->lw_copying ||
	    copy_recover != (uintptr_t)lipc_copy_fault)
		return false;
	lipc_stats.window_faults++;
	uint32_t ra = lipc_win_ra(w->lw_base, va);
	if (ra < w->lw_lo || ra >= w->lw_hi)
		return window_abort(w, tf, KERN_INVALID_ADDRESS);
	if (trunc_page(va) == w->lw_last_va) {
		if (++w->lw_repeat >= LIPC_FAULT_RETRIES)
			return window_abort(w, tf, KERN_FAILURE);
	} else {
		w->lw_last_va = trunc_page(va);
		w->lw_repeat = 0;
	}

	uint32_t slot = lipc_win_slot(va);
	if (!w->lw_loaded) {
		/* torn down by a switch since the step began: load again */
		window_unload();
		window_load(w);
		lipc_stats.pde_refills++;
		return true;
	}
	pd_entry_t *wpde = &win_pd[WINDOW_PDX + slot];
	pd_entry_t want = receiver_pde(w, slot);
	/* compare without PTE_A, which the CPU sets in the window's copy */
	if (want != 0 && (*wpde & (PTE_FRAME | PTE_P | PTE_W)) != want) {
		bool was_present = (*wpde & PTE_P) != 0;
		*wpde = want;
		if (was_present)	/* a different table: drop the old one */
			tlb_flush_all();
		lipc_stats.pde_refills++;
		return true;
	}
	/* the PDE is current: the page is missing or read-only */
	kern_return_t kr = vm_fault(w->lw_map, ra, VM_PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return window_abort(w, tf, kr);
	lipc_stats.receiver_faults++;
	*wpde = receiver_pde(w, slot);	/* vm_fault may have made the table */
	invlpg(va);
	return true;
}

/*
 * lipc_window_switch: the CPU switches to a thread whose window is next
 * (NULL if it has none).  Tears down the loaded window if it is not next's
 * (the TLB is flushed unless the switch changed CR3) and makes next's
 * running copy step, if any, the one window faults belong to.  Called by
 * the scheduler's switch hook (kern/long_ipc.c) after the new pmap is
 * active.  Interrupts off.
 */
void lipc_window_switch(struct lipc_window *next)
{
	if (win_loaded != NULL && win_loaded != next) {
		window_unload();
		lipc_stats.switch_unloads++;
	}
	win_cur = (next != NULL && next->lw_copying) ? next : NULL;
}

/* lipc_window_print: one line about w, for the debugger and panics. */
void lipc_window_print(const struct lipc_window *w)
{
	printf("lipc window %p: map %p base %08x%s%s step [%08x, %08x) "
	       "repeat %u%s\n", (const void *)w, (void *)w->lw_map, w->lw_base,
	       w->lw_loaded ? " loaded" : "", w->lw_copying ? " copying" : "",
	       w->lw_lo, w->lw_hi, w->lw_repeat,
	       w->lw_rcv_fault ? " rcv-fault" : "");
}
