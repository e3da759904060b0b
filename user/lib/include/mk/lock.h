/*
 * mk/lock.h - a simple lock for user threads.
 *
 * A test-and-set word.  A thread that finds it taken yields with swtch()
 * rather than spinning out its time slice, so on one CPU the holder runs
 * again soon.  Not recursive; no fairness.  Zero-initialised means free.
 */
#ifndef _MK_LOCK_H_
#define _MK_LOCK_H_

#include <mach/mach_traps.h>

typedef struct {
	volatile int	held;
} mk_lock_t;

#define MK_LOCK_INIT	{ 0 }

/* Take the lock, yielding while another thread holds it. */
static inline void mk_lock(mk_lock_t *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
		(void)swtch();
}

/* Take the lock if it is free; return nonzero on success. */
static inline int mk_trylock(mk_lock_t *l)
{
	return !__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE);
}

/* Release a lock the caller holds. */
static inline void mk_unlock(mk_lock_t *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif /* _MK_LOCK_H_ */
