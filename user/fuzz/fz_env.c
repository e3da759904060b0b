/*
 * The worker's fuzzing environment (see fz.h): the arena the kernel may
 * scribble on, the pool of names of every right type, the names that must
 * survive, and the generators of hostile names and pointers.
 *
 * Memory safety of the worker itself: every pointer handed to the kernel
 * either lies in the arena (a fixed high region followed by an
 * inaccessible guard page, so a forward copy of any length stops there),
 * or is checked not to overlap any region the worker owns (image, heap,
 * stacks: recorded by fz_env_protect_memory once its threads exist).
 */
#include <string.h>
#include <mach/mach.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include "fz.h"

struct fz_env fz;
volatile unsigned fz_failures;

#define ARENA_BASE	0x60000000u
#define GUARD_SIZE	4096u
#define MAX_OWN		64

/* Regions the worker owns: never a target for a kernel write. */
static struct { uint32_t start, end, prot; } own[MAX_OWN];
static unsigned nown;

extern char _start[];	/* crt0: start of the text */

/* fz_arena_reset: see fz.h. */
void fz_arena_reset(void)
{
	mach_port_t self = fz.self;
	vm_address_t a = ARENA_BASE;
	(void)vm_deallocate(self, ARENA_BASE, FZ_ARENA_SIZE + GUARD_SIZE);
	if (vm_allocate(self, &a, FZ_ARENA_SIZE + GUARD_SIZE, VM_FLAGS_FIXED) != KERN_SUCCESS)
		return;
	/* contents: written by the kernel (vm_write), never by the worker */
	static uint32_t pattern[1024];
	for (unsigned i = 0; i < 1024; i++)
		pattern[i] = i * 0x01010101u ^ fz.seed ^ (i << 20);
	for (unsigned off = 0; off + sizeof(pattern) <= FZ_ARENA_SIZE; off += 8 * sizeof(pattern))
		(void)vm_write(self, ARENA_BASE + off, (vm_offset_t)pattern, sizeof(pattern));
	(void)vm_protect(self, fz.ro_page, 4096, 0, VM_PROT_READ);
	(void)vm_protect(self, ARENA_BASE + FZ_ARENA_SIZE, GUARD_SIZE, 0, VM_PROT_NONE);
}

/* fz_env_init: see fz.h. */
void fz_env_init(uint32_t seed, uint32_t round, uint32_t worker)
{
	fz.seed = seed;
	fz.round = round;
	fz.worker = worker;
	fz.self = mach_task_self();
	fz.host = mach_host_self();
	fz.arena = ARENA_BASE;
	fz.ro_page = ARENA_BASE + FZ_ARENA_SIZE - 2 * 4096;
	fz.text = (vm_address_t)_start;
	fz_protect(fz.self);
	fz_protect(fz.host);
	fz_arena_reset();
}

/*
 * fz_env_protect_memory: record every region mapped now (except the
 * arena) as the worker's own.  Called once the threads exist.
 */
void fz_env_protect_memory(void)
{
	vm_address_t addr = 0;
	nown = 0;
	while (nown < MAX_OWN) {
		vm_size_t size = 0;
		vm_region_basic_info_data_t info;
		mach_msg_type_number_t cnt = VM_REGION_BASIC_INFO_COUNT;
		mach_port_t obj = MACH_PORT_NULL;
		if (vm_region(fz.self, &addr, &size, VM_REGION_BASIC_INFO, (vm_region_info_t)&info,
			      &cnt, &obj) != KERN_SUCCESS)
			break;
		if (addr < ARENA_BASE || addr >= ARENA_BASE + FZ_ARENA_SIZE + GUARD_SIZE) {
			own[nown].start = addr;
			own[nown].end = addr + size;
			own[nown].prot = (uint32_t)info.protection;
			nown++;
		}
		if (addr + size < addr)
			break;
		addr += size;
	}
}

/* fz_overlaps_own: see fz.h. */
int fz_overlaps_own(uint32_t p, uint32_t len)
{
	uint32_t end = p + len;
	if (len == 0)
		end = p + 1;
	if (end < p)
		return p < 0xc0000000u;	/* wraps: the kernel must refuse it anyway */
	for (unsigned i = 0; i < nown; i++)
		if (p < own[i].end && end > own[i].start)
			return 1;
	return 0;
}

/* fz_protect: see fz.h. */
void fz_protect(mach_port_t name)
{
	if (name == MACH_PORT_NULL || fz_is_protected(name) || fz.nprotect >= FZ_PROTECT_MAX)
		return;
	unsigned i = __atomic_fetch_add(&fz.nprotect, 1, __ATOMIC_SEQ_CST);
	if (i < FZ_PROTECT_MAX)
		fz.protect[i] = name;
}

/* fz_guard_reply: see fz.h. */
void fz_guard_reply(void)
{
	fz_protect(mig_get_reply_port());
}

/* fz_is_protected: see fz.h. */
int fz_is_protected(mach_port_t name)
{
	unsigned n = fz.nprotect < FZ_PROTECT_MAX ? fz.nprotect : FZ_PROTECT_MAX;
	for (unsigned i = 0; i < n; i++)
		if (fz.protect[i] == name)
			return 1;
	return 0;
}

/* fz_pool_refresh: see fz.h. */
void fz_pool_refresh(struct fz_rng *r)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	if (mach_port_names(fz.self, &names, &nn, &types, &nt) != KERN_SUCCESS)
		return;
	unsigned k = 0;
	for (unsigned i = 0; i < nn && i < nt && k < FZ_POOL_MAX; i++) {
		if (fz_is_protected(names[i]) || names[i] == fz.victim_task ||
		    names[i] == fz.victim_port)
			continue;
		fz.pool[k] = names[i];
		fz.pool_type[k] = types[i];
		k++;
	}
	fz.npool = k;
	/* keep the space small: destroy a few names when it grows */
	if (k > FZ_POOL_MAX / 2) {
		for (unsigned j = 0; j < k / 4; j++) {
			mach_port_t n = fz.pool[fz_below(r, k)];
			int victim = 0;
			for (unsigned v = 0; v < FZ_VICTIM_THREADS; v++)
				victim |= n == fz.victim_thread[v];
			if (!victim)
				(void)mach_port_destroy(fz.self, n);
		}
	}
	(void)vm_deallocate(fz.self, (vm_address_t)names, nn * sizeof(*names));
	(void)vm_deallocate(fz.self, (vm_address_t)types, nt * sizeof(*types));
}

/* fz_pool_pick: see fz.h. */
mach_port_t fz_pool_pick(struct fz_rng *r, mach_port_type_t want)
{
	unsigned n = fz.npool;
	if (n == 0)
		return MACH_PORT_NULL;
	unsigned start = fz_below(r, n);
	for (unsigned i = 0; i < n; i++) {
		unsigned j = (start + i) % n;
		if (fz.pool_type[j] & want)
			return fz.pool[j];
	}
	return MACH_PORT_NULL;
}

/* A name for any use (protected names included, for non-destructive use). */
mach_port_t fz_name(struct fz_rng *r)
{
	switch (fz_below(r, 16)) {
	case 0:
		return MACH_PORT_NULL;
	case 1:
		return MACH_PORT_DEAD;
	case 2:
		return fz_int(r);
	case 3:
		return (fz_below(r, 64) << 8) | fz_below(r, 4);	/* plausible names */
	case 4:
		return fz.protect[fz_below(r, fz.nprotect < FZ_PROTECT_MAX ? fz.nprotect : FZ_PROTECT_MAX)];
	case 5:
		return fz.victim_task;
	case 6:
		return fz.victim_thread[fz_below(r, FZ_VICTIM_THREADS)];
	case 7:
		return fz.victim_port;
	default: {
		unsigned n = fz.npool;
		return n ? fz.pool[fz_below(r, n)] : fz_int(r);
	}
	}
}

/* fz_name_safe: see fz.h. */
mach_port_t fz_name_safe(struct fz_rng *r)
{
	for (int i = 0; i < 8; i++) {
		mach_port_t n = fz_name(r);
		if (!fz_is_protected(n))
			return n;
	}
	return MACH_PORT_NULL;
}

/* Does the part of [p, p + len) below the top of user space touch own writable memory? */
static int overlaps_own_writable(uint32_t p, uint32_t len)
{
	if (p >= 0xc0000000u)
		return 0;
	uint32_t end = len < 0xc0000000u - p ? p + (len ? len : 1) : 0xc0000000u;
	for (unsigned i = 0; i < nown; i++)
		if ((own[i].prot & VM_PROT_WRITE) && p < own[i].end && end > own[i].start)
			return 1;
	return 0;
}

/* fz_ptr: see fz.h. */
uint32_t fz_ptr(struct fz_rng *r, uint32_t len)
{
	uint32_t p = fz_ptr_src(r, len);
	/*
	 * The kernel may write a prefix of a buffer before it finds the rest
	 * bad (a receive buffer or scatter list is used for the message's size,
	 * not its own): the worker's stack sits at the top of user space, so an
	 * "across the top" pointer would let it write there.
	 */
	if (overlaps_own_writable(p, len))
		return ARENA_BASE + 4 * fz_below(r, 1024);
	return p;
}

/* fz_ptr_src: see fz.h. */
uint32_t fz_ptr_src(struct fz_rng *r, uint32_t len)
{
	uint32_t arena_end = ARENA_BASE + FZ_ARENA_SIZE;
	uint32_t p;
	switch (fz_below(r, 16)) {
	case 0:
		return 0;
	case 1:
		p = 1 + fz_below(r, 0xfff);
		break;
	case 2:		/* straddling into the guard page */
		return arena_end - 1 - fz_below(r, len < 64 ? 64 : (len > 4096 ? 4096 : len));
	case 3:		/* unaligned, in the arena */
		return ARENA_BASE + fz_below(r, FZ_ARENA_SIZE);
	case 4:		/* read-only */
		return fz_one_in(r, 2) ? fz.ro_page + 4 * fz_below(r, 1024) : fz.text + 4 * fz_below(r, 256);
	case 5: {	/* kernel */
		static const uint32_t k[] = { 0xc0000000u, 0xc0100000u, 0xc0400000u, 0xf0000000u,
					      0xf0400000u, 0xfffff000u, 0xffffffffu, 0xe0000000u };
		return k[fz_below(r, 8)] - (fz_one_in(r, 4) ? fz_below(r, 16) : 0);
	}
	case 6:		/* across the top of user space */
		return 0xc0000000u - 1 - fz_below(r, len < 16 ? 16 : (len > 8192 ? 8192 : len));
	case 7:		/* the guard page itself */
		return arena_end + fz_below(r, GUARD_SIZE);
	case 8:
		p = fz_rand(r);
		break;
	case 9:		/* just below the guard, for len */
		return len < FZ_ARENA_SIZE ? arena_end - (len & ~3u) : ARENA_BASE;
	default:	/* inside the arena, aligned, fits when it can */
		if (len < FZ_ARENA_SIZE)
			return ARENA_BASE + 4 * fz_below(r, (FZ_ARENA_SIZE - len) / 4 + 1);
		return ARENA_BASE;
	}
	if (fz_overlaps_own(p, len))
		return ARENA_BASE + 4 * fz_below(r, 1024);
	return p;
}

/* fz_bad_ptr: see fz.h. */
uint32_t fz_bad_ptr(struct fz_rng *r, uint32_t len)
{
	uint32_t arena_end = ARENA_BASE + FZ_ARENA_SIZE;
	uint32_t k = len > 1 ? 1 + fz_below(r, len - 1 < 4096 ? len - 1 : 4096) : 0;
	switch (fz_below(r, 7)) {
	case 0:
		return 0;
	case 1:
		return fz_below(r, 0x1000);
	case 2:
		return 0xc0000000u + fz_below(r, 0x40000000u);
	case 3:
		return arena_end + fz_below(r, GUARD_SIZE - 16);
	case 4:		/* the first len - k bytes readable, the rest the guard */
		return k ? arena_end - (len - k < 4096 ? len - k : 4096) : arena_end;
	case 5:		/* across the top of user space */
		return k ? 0xc0000000u - (len - k < 4096 ? len - k : 4096) : 0xc0000000u;
	default:
		return 0xf0000000u + 4 * fz_below(r, 0x200000);
	}
}

/* fz_disp: see fz.h. */
mach_msg_type_name_t fz_disp(struct fz_rng *r)
{
	static const mach_msg_type_name_t valid[] = {
		MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
		MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
		MACH_MSG_TYPE_COPY_RECEIVE, MACH_MSG_TYPE_PORT_NAME, 0,
	};
	if (fz_one_in(r, 6))
		return fz_below(r, 32);
	return valid[fz_below(r, sizeof(valid) / sizeof(valid[0]))];
}
