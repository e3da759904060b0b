/*
 * The long-IPC copy window (i386).
 *
 * A long-IPC transfer copies from the sender's memory (the current
 * address space) straight into the receiver's.  The receiver's memory is
 * reached through the window: the two page-directory slots WINDOW_PDX and
 * WINDOW_PDX + 1 of the CURRENT page directory (0xf0000000 - 0xf07fffff,
 * <machine/param.h>) receive copies of the two receiver page-directory
 * entries that cover [base, base + 8 MiB) of the receiver, base being a
 * multiple of 4 MiB.  Receiver address ra then appears at
 * WINDOW_BASE + (ra - base):
 *
 *   sender's page directory                  receiver's page directory
 *   +------------------------+ 0x000
 *   | sender user PDEs       |              +------------------------+
 *   |                        |              | ... PDX(base)     -----+--> PT a
 *   +------------------------+ 0x300        | ... PDX(base) + 1 -----+--> PT b
 *   | kernel direct map      |              +------------------------+
 *   +------------------------+ 0x3c0 WINDOW_PDX
 *   | window slot 0  --------+--> PT a   (copy of the receiver's PDE)
 *   | window slot 1  --------+--> PT b
 *   +------------------------+ 0x3c2
 *
 * Both directories share the receiver's page tables, so the window sees
 * exactly the receiver's pages, with the receiver's protections: a
 * read-only receiver page stays read-only (CR0.WP makes a kernel write to
 * it fault).  The copies lose PTE_U, so user mode can never use the
 * window, and only user-half PDEs (index < KERNEL_PDX) are ever copied:
 * the window cannot show kernel memory or any task but the receiver.
 *
 * Window faults.  A fault at a window address while a window copy runs
 * is resolved by lipc_window_fault(): if the receiver's PDE now exists
 * (or differs from the copy) it is copied again; otherwise the page is
 * missing or read-only and vm_fault() runs on the receiver's map; then
 * the copy retries.  When the receiver's map cannot resolve the fault
 * (hole, read-only entry, no memory) the copy is aborted through the
 * recovery path of lipc_copy_bytes and reports a receiver fault.  A fault
 * on the sender's side goes through kernel_page_fault()'s copyin path
 * (copy_recover is armed) and, unresolved, ends the copy as a sender
 * fault.
 *
 * TLB.  The window's translations are flushed (CR3 reload: user and
 * window entries are never global) whenever loaded window PDEs are torn
 * down: when the window moves to another receiver region, when a copy
 * ends, and when the CPU switches away from the thread that loaded them
 * (the scheduler's switch hook; the thread's next window access faults
 * and refills the PDEs).  A single reload, not a per-page invlpg loop,
 * also drops translations the CPU may have cached speculatively for
 * window pages the copy never touched.
 *
 * Ownership: a struct lipc_window belongs to one thread (kern/long_ipc.c
 * keeps it in the thread's long-IPC state).  The PDE slots belong to the
 * CPU: at most one window is loaded at a time (uniprocessor, kernel not
 * preemptible, interrupts off in the kernel).  No locks.
 *
 * The arithmetic at the top is pure and is unit-tested on the host
 * (tests/host/test_lipc_window.c); the rest is kernel only.
 */
#ifndef _MACHINE_LIPC_WINDOW_H_
#define _MACHINE_LIPC_WINDOW_H_

#include <stdbool.h>
#include <stdint.h>
#include "param.h"	/* quoted: the host test includes this header by path */

/* ---------------------------------------------------------------- arithmetic */

#define LIPC_PDX(va)		((uint32_t)(va) >> PDE_SHIFT)
#define LIPC_WINDOW_SLOTS	(WINDOW_SIZE / PDE_SIZE)
#define LIPC_USER_PDES		LIPC_PDX(VM_MAX_USER)	/* PDEs the window may copy */

_Static_assert(WINDOW_SIZE == 2u * PDE_SIZE, "the window is two PDE slots");
_Static_assert((WINDOW_BASE & (PDE_SIZE - 1)) == 0, "window PDE aligned");
_Static_assert(WINDOW_BASE >= VM_MAX_USER && WINDOW_BASE + WINDOW_SIZE > WINDOW_BASE,
	       "window in the kernel half, not wrapping");
_Static_assert((VM_MAX_USER & (PDE_SIZE - 1)) == 0, "user space ends on a PDE");

/* Window position for a copy whose next byte goes to receiver address ra. */
static inline uint32_t lipc_win_base(uint32_t ra)
{
	return ra & ~(uint32_t)(PDE_SIZE - 1);
}

/* Does the window at base show receiver address ra? */
static inline bool lipc_win_covers(uint32_t base, uint32_t ra)
{
	return ra - base < WINDOW_SIZE;
}

/* Window address of receiver address ra (lipc_win_covers(base, ra)). */
static inline uint32_t lipc_win_va(uint32_t base, uint32_t ra)
{
	return WINDOW_BASE + (ra - base);
}

/* Receiver address shown at window address va. */
static inline uint32_t lipc_win_ra(uint32_t base, uint32_t va)
{
	return base + (va - WINDOW_BASE);
}

/* Window slot (0 or 1) holding window address va. */
static inline uint32_t lipc_win_slot(uint32_t va)
{
	return (va - WINDOW_BASE) >> PDE_SHIFT;
}

/*
 * Bytes of [ra, ra + len) that the window at base can take in one go:
 * from ra up to the window's end (lipc_win_covers(base, ra)).
 */
static inline uint32_t lipc_win_span(uint32_t base, uint32_t ra, uint32_t len)
{
	uint32_t room = base + WINDOW_SIZE - ra;
	return len < room ? len : room;
}

/* May receiver PDE index pdx be copied into the window? (user half only) */
static inline bool lipc_win_pdx_ok(uint32_t pdx)
{
	return pdx < LIPC_USER_PDES;
}

/* First and last receiver PDE index covering [ra, ra + len), len > 0. */
static inline void lipc_range_pdes(uint32_t ra, uint32_t len, uint32_t *first,
				   uint32_t *last)
{
	*first = LIPC_PDX(ra);
	*last = LIPC_PDX(ra + len - 1);
}

/*
 * Window positions a copy of len > 0 bytes to ra takes when each
 * position starts at lipc_win_base of the next byte: the first covers up
 * to the end of PDE PDX(ra) + 1, each further one two more PDEs.
 */
static inline uint32_t lipc_win_moves(uint32_t ra, uint32_t len)
{
	uint32_t first, last;
	lipc_range_pdes(ra, len, &first, &last);
	return (last - first) / LIPC_WINDOW_SLOTS + 1;
}

/*
 * One step of a copy to [ra, ra + len), len > 0: keep the current window
 * (positioned, at cur_base) if it shows ra, else move it to
 * lipc_win_base(ra).  Sets *base to the window to use and *n to the bytes
 * this step copies; returns true if the window moves.
 */
static inline bool lipc_win_step(bool positioned, uint32_t cur_base, uint32_t ra,
				 uint32_t len, uint32_t *base, uint32_t *n)
{
	bool move = !positioned || !lipc_win_covers(cur_base, ra);
	*base = move ? lipc_win_base(ra) : cur_base;
	*n = lipc_win_span(*base, ra, len);
	return move;
}

#ifdef KERNEL
/* ---------------------------------------------------------------- kernel */

#include <mach/kern_return.h>
#include <mach/mk_long_ipc.h>

struct trapframe;
struct vm_map;

/* One thread's window.  Fields change only in that thread's context,
 * except lw_loaded, cleared by the switch hook. */
struct lipc_window {
	struct vm_map *lw_map;		/* receiver's map; NULL: not positioned */
	uint32_t lw_base;		/* receiver address at WINDOW_BASE */
	bool lw_loaded;			/* its PDEs sit in the CPU's window slots */
	bool lw_copying;		/* inside lipc_window_copy */
	/* the running copy step, for the fault handler */
	uint32_t lw_lo, lw_hi;		/* receiver range being written */
	uint32_t lw_last_va;		/* last faulting window address */
	unsigned lw_repeat;		/* consecutive faults at lw_last_va */
	bool lw_rcv_fault;		/* the receiver's map refused a fault */
	kern_return_t lw_rcv_kr;	/* ... with this code */
};

/* Results of lipc_window_copy. */
#define LIPC_COPY_OK		0
#define LIPC_COPY_SENDER_FAULT	1	/* the sender's source faulted */
#define LIPC_COPY_RECEIVER_FAULT 2	/* the receiver's map refused */

extern struct mk_lipc_stats lipc_stats;

void lipc_window_init(struct lipc_window *w);
int lipc_window_copy(struct lipc_window *w, struct vm_map *rmap, uint32_t ra,
		     const void *src, uint32_t len, kern_return_t *rkr);
void lipc_window_close(struct lipc_window *w);
bool lipc_window_fault(struct trapframe *tf, uintptr_t va);
void lipc_window_switch(struct lipc_window *next);
void lipc_window_print(const struct lipc_window *w);
#endif /* KERNEL */

#endif /* _MACHINE_LIPC_WINDOW_H_ */
