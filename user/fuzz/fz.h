/*
 * fz.h - the in-guest fuzzer (issue 10): what its files share.
 *
 * Tasks of a fuzz run:
 *   coord      the coordinator: reads the parameters (the kernel command
 *              line when it is the first task of the fuzz image, or a
 *              message from the test that spawned it), starts a bystander
 *              and, round after round, W workers; after every round it runs
 *              the kernel's IPC invariant auditor, asks the bystander to
 *              verify its memory and compares the kernel's object counts
 *              with their baseline.
 *   worker     runs T fuzz threads, each making C calls with hostile
 *              arguments: every Mach trap, every kernel RPC (from the MIG
 *              fuzz tables, so a new routine is covered without anyone
 *              adding it), mach_msg with random headers and descriptors,
 *              and the long-IPC trap.  Targets that may be wrecked belong
 *              to its victim.
 *   victim     a task whose task, thread and memory the worker may
 *              destroy; the coordinator spawns one for a worker on
 *              request (again when it dies) and ends them all with the
 *              round, with the tasks the workers' task_create calls made.
 *   bystander  a task nobody fuzzes: its memory is checksummed.
 *
 * Every call is generated from a random stream seeded by (seed, round,
 * worker, thread, call index) only, so a reported call can be replayed
 * (see README: make fuzz SEED=... ROUND=... VERBOSE=1).  What the call
 * finds in the task's name space depends on what ran before, and with
 * several threads on how they interleaved.
 */
#ifndef _FUZZ_FZ_H_
#define _FUZZ_FZ_H_

#include <stdint.h>
#include <mach/mach.h>
#include <mach/mig.h>

/* ------------------------------------------------------------ parameters */

#define FZ_MAX_WORKERS		8
#define FZ_MAX_THREADS		8

struct fz_params {
	uint32_t seed;
	uint32_t round;
	uint32_t worker;		/* index in the round */
	uint32_t threads;		/* fuzz threads per worker */
	uint32_t calls;			/* calls per thread */
	uint32_t verbose;		/* print every call (replay) */
	uint32_t only_thread;		/* verbose: 0 = all, else thread + 1 */
	uint32_t kinds;			/* 1 << FZ_K_*: kinds of call made (0: all) */
};

/*
 * A whole run, as the coordinator takes it: from the command line of the
 * fuzz image, or as the words of a FZ_MSG_PARAMS message from the task
 * that spawned it (tests/fuzz_short), in this order.
 */
struct fz_run {
	uint32_t seed, n, workers, threads, calls;
	uint32_t only_round;	/* 0: every round, else round + 1 */
	uint32_t verbose, only_thread, timeout_s;
	uint32_t kinds;		/* 1 << FZ_K_* to make (0: every kind) */
	uint32_t only_worker;	/* 0: every worker, else worker + 1 */
};

/* ------------------------------------------------------------ protocol */

/* Message ids between coordinator, workers, victims and the bystander. */
#define FZ_MSG_HELLO		0x46a0	/* child -> parent, local = child's port */
#define FZ_MSG_PARAMS		0x46a1	/* parent -> child: struct fz_params */
#define FZ_MSG_DONE		0x46a2	/* worker -> coordinator: struct fz_report */
#define FZ_MSG_CHECK		0x46a3	/* coordinator -> bystander */
#define FZ_MSG_CHECKED		0x46a4	/* bystander's answer: data = 0 intact */
#define FZ_MSG_EXIT		0x46a5	/* parent -> child: end now */
#define FZ_MSG_VICTIM		0x46a6	/* worker <-> coordinator: a new victim */
#define FZ_MSG_PING		0x46a7	/* worker -> victim's port (no meaning) */
#define FZ_MSG_CREATED		0x46a8	/* worker -> coordinator: a task task_create made */

/* A small message with one 32-bit word and up to 6 port descriptors. */
struct fz_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port[6];
	NDR_record_t			ndr;
	uint32_t			data[24];
};

/* Worker report (after the worker's index in FZ_MSG_DONE's words). */
struct fz_report {
	uint32_t calls;			/* calls made */
	uint32_t exceptions;		/* EXC_SYSCALL and friends handled */
	uint32_t victims;		/* victims spawned */
	uint32_t failures;		/* problems the worker itself saw */
	uint32_t made[6], ok[6];	/* calls made / succeeded by kind FZ_K_* - 1 */
};

/*
 * Send a struct fz_msg (size from ndescs and nwords), waiting at most
 * timeout_ms for room in the queue; fz_send waits up to 10 s (control
 * messages).
 */
mach_msg_return_t fz_send_timeout(mach_port_t dest, mach_msg_type_name_t dest_disp,
				  mach_port_t reply, mach_msg_type_name_t reply_disp,
				  mach_msg_id_t id, const mach_port_t *ports,
				  const mach_msg_type_name_t *disps, unsigned ndescs,
				  const uint32_t *words, unsigned nwords, unsigned timeout_ms);
mach_msg_return_t fz_send(mach_port_t dest, mach_msg_type_name_t dest_disp,
			  mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id,
			  const mach_port_t *ports, const mach_msg_type_name_t *disps,
			  unsigned ndescs, const uint32_t *words, unsigned nwords);
/* Receive one message on port into m (any size up to sizeof *m), waiting ms. */
mach_msg_return_t fz_recv(mach_port_t port, struct fz_msg *m, unsigned ms);
/* The port descriptors of a received struct fz_msg, and its words. */
unsigned fz_msg_ports(const struct fz_msg *m, mach_port_t *out, unsigned max);
const uint32_t *fz_msg_words(const struct fz_msg *m, unsigned *n);

/*
 * Spawn boot program `name` with `port` lent as this task's bootstrap
 * port for the spawn, then wait (ms) for its hello on `port`.  Returns
 * the task id (> 0) and the child's port (the hello's reply right, a send
 * right) in *child, or -1.  The hello may carry ports; they land in
 * *hello when it is not NULL.
 */
int fz_spawn_child(const char *name, mach_port_t port, mach_port_t *child,
		   struct fz_msg *hello, unsigned ms);
/*
 * A child's side: send hello (with ports and words) to the parent found
 * as the bootstrap port (*parent); returns the child's own new port, the
 * hello's reply port, or MACH_PORT_NULL.
 */
mach_port_t fz_hello(mach_port_t *parent, const mach_port_t *ports,
		     const mach_msg_type_name_t *disps, unsigned n,
		     const uint32_t *words, unsigned nwords);

/* ------------------------------------------------------------ random */

struct fz_rng {
	uint64_t s;
};

/* Seed a stream from any number of words. */
void fz_rng_seed(struct fz_rng *r, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);
uint32_t fz_rand(struct fz_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t fz_below(struct fz_rng *r, uint32_t n);
/* true with probability 1/n. */
int fz_one_in(struct fz_rng *r, uint32_t n);
/* A boundary or random integer. */
uint32_t fz_int(struct fz_rng *r);
/* A size: 0, 1, odd, page-sized, huge, wrapping, or small random. */
uint32_t fz_size(struct fz_rng *r);

/* ------------------------------------------------------------ environment */

/*
 * The worker's fuzzing environment.  Only the kernel reads and writes the
 * arena; the worker never touches it after setting it up, so a region the
 * fuzz unmapped or protected cannot fault the worker itself.
 */
#define FZ_ARENA_SIZE		(256u * 1024)
#define FZ_POOL_MAX		512
#define FZ_PROTECT_MAX		96
#define FZ_VICTIM_THREADS	3

struct fz_env {
	uint32_t seed, round, worker;
	vm_address_t arena;		/* FZ_ARENA_SIZE bytes, then a guard page */
	vm_address_t ro_page;		/* read-only page inside the arena */
	vm_address_t text;		/* this program's text (read-only) */
	mach_port_t self, host, thread_self[FZ_MAX_THREADS + 2];

	/* names the fuzz must never destroy or move (control ports, self) */
	mach_port_t protect[FZ_PROTECT_MAX];
	volatile unsigned nprotect;

	/* a snapshot of this space's other names, refreshed now and then */
	mach_port_t pool[FZ_POOL_MAX];
	mach_port_type_t pool_type[FZ_POOL_MAX];
	volatile unsigned npool;

	/* the victim: its task, threads and a port it receives on */
	volatile mach_port_t victim_task, victim_port;
	volatile mach_port_t victim_thread[FZ_VICTIM_THREADS];
	volatile int victim_id;
	mach_port_t victim_names[64];	/* names in the victim's space */
	volatile unsigned nvictim_names;

	uint32_t kinds;			/* enabled kinds of call, 1 << FZ_K_* */

	/* two ports (receive and send rights) long-IPC calls meet on */
	mach_port_t lipc_port[2];

	/*
	 * Tasks task_create made: a task without threads lives until it is
	 * terminated, so each goes to the coordinator (FZ_MSG_CREATED) as it
	 * appears, which ends it at the end of the round; meanwhile it is a
	 * fuzz target too (its name here may go stale).
	 */
	mach_port_t created[16];
	volatile unsigned ncreated;
	mach_port_t report_port;	/* the coordinator's (protected) */
};

extern struct fz_env fz;

/* Problems the worker itself noticed (kernel misbehaviour seen from user). */
extern volatile unsigned fz_failures;

/* Set the environment up (arena, special names); call once, main thread. */
void fz_env_init(uint32_t seed, uint32_t round, uint32_t worker);
/* Record the regions mapped now as the worker's own (after its threads exist). */
void fz_env_protect_memory(void);
/* Does [p, p + len) touch the worker's own memory?  (A wrap below the kernel does.) */
int fz_overlaps_own(uint32_t p, uint32_t len);
/* Protect a name from the fuzz. */
void fz_protect(mach_port_t name);
/*
 * Protect the calling thread's MIG reply port.  libmk replaces it after a
 * failed call; the new one must not be exposed to the fuzz (a reply taken
 * from it would leave the next call waiting for ever).
 */
void fz_guard_reply(void);
int fz_is_protected(mach_port_t name);
/* Refresh the pool from mach_port_names; drop names beyond a limit. */
void fz_pool_refresh(struct fz_rng *r);
/* Restore the arena's mappings (the fuzz may unmap or protect it). */
void fz_arena_reset(void);

/* A name of some kind: pool, special, victim, random, null, dead. */
mach_port_t fz_name(struct fz_rng *r);
/* A name from the pool with one of the type bits, or 0. */
mach_port_t fz_pool_pick(struct fz_rng *r, mach_port_type_t want);
/* A name for a destructive use: never a protected one. */
mach_port_t fz_name_safe(struct fz_rng *r);
/*
 * A pointer the kernel may read or write len bytes of plain data at:
 * arena, straddling into the guard page, kernel, unmapped, read-only,
 * NULL.  No byte of it below the top of user space is the worker's own
 * writable memory (so never across the top: the stack is there).
 */
uint32_t fz_ptr(struct fz_rng *r, uint32_t len);
/*
 * The same for memory the kernel only reads (data to send): may also run
 * across the top of user space, through the top of the worker's stack.
 */
uint32_t fz_ptr_src(struct fz_rng *r, uint32_t len);
/*
 * A pointer that is invalid for len bytes (NULL, kernel, the guard page,
 * straddling out of user space or into the guard): for buffers the kernel
 * would parse for addresses to write to or unmap (a message to send, a
 * scatter list, long-IPC receive dopes), whose contents must be crafted.
 */
uint32_t fz_bad_ptr(struct fz_rng *r, uint32_t len);
/* A message disposition (valid ones more often). */
mach_msg_type_name_t fz_disp(struct fz_rng *r);

/* ------------------------------------------------------------ calls */

/* Per fuzz thread state. */
struct fz_thread {
	unsigned index;			/* 0 .. threads-1 */
	mach_port_t reply;		/* this thread's reply port (protected) */
	mach_port_t self;		/* its thread port name */
	uint32_t call;			/* index of the call being made */
	uint32_t what;			/* FZ_K_* of the call being made */
	uint32_t trapno;		/* trap number or routine id */
	char desc[160];			/* verbose: the call in words */
	int verbose;
	uint32_t calls_done;
	uint32_t result;		/* of the call just made (0: it succeeded) */
	int gentle;			/* this call keeps to well-formed requests */
	uint32_t made[8], ok[8];	/* calls made and succeeded, by FZ_K_* */
	/* scratch buffers (valid memory the fuzz may point the kernel at) */
	uint32_t sbuf[1024];		/* message built to send */
	uint32_t rbuf[2048];		/* receive buffer */
	mach_port_t names[64];		/* OOL port array */
};

/* Kinds of calls. */
#define FZ_K_TRAP		1	/* a trap other than mach_msg */
#define FZ_K_MSG		2	/* mach_msg with a random message */
#define FZ_K_RPC		3	/* a kernel RPC from the fuzz tables */
#define FZ_K_LIPC		4	/* the long-IPC trap */
#define FZ_K_STACK		5	/* a trap with a hostile user stack */
#define FZ_K_POOL		6	/* pool maintenance (make rights of every type) */

/* Make call number t->call (seeded from it), updating t's state. */
void fz_call(struct fz_thread *t);

/* In verbose mode, describe the call in t->desc and print it before it is made. */
#define FZ_DESC(t, ...) do { if ((t)->verbose) { \
	snprintf((t)->desc, sizeof((t)->desc), __VA_ARGS__); \
	printf("# fz w%u t%u #%u %s\n", fz.worker, (t)->index, (t)->call, (t)->desc); } } while (0)

/*
 * Enter trap n with the 9 argument words, by int $0x80 or sysenter at
 * random, now and then with hostile EFLAGS bits set (fz_hostile_eflags).
 */
uint32_t fz_enter(struct fz_rng *r, uint32_t n, const uint32_t *a);
/* EFLAGS bits to enter a trap with: 0 mostly, else some of DF, NT, AC. */
uint32_t fz_hostile_eflags(struct fz_rng *r);
/* One mach_msg / mach_msg_overwrite call with a random message (fz_msg.c). */
void fz_msg_call(struct fz_thread *t, struct fz_rng *r);

/* Raw trap entry: int $0x80 or sysenter with the 9 argument words, EFLAGS |= flags. */
uint32_t fz_trap_int(uint32_t n, const uint32_t *args, uint32_t flags);
uint32_t fz_trap_sysenter(uint32_t n, const uint32_t *args, uint32_t flags);
/* A trap with ESP (int) or ECX (sysenter) set to esp, EFLAGS |= flags. */
uint32_t fz_trap_badstack(uint32_t n, uint32_t esp, uint32_t use_sysenter, uint32_t flags);

/* The RPC fuzzer (fz_mig.c). */
void fz_rpc(struct fz_thread *t, struct fz_rng *r);
/* Note what a kernel reply brings that must not be lost (task_create's task). */
void fz_note_reply(mach_msg_header_t *h, unsigned bufsize);
/* Drain a thread's reply port; free what the messages carried. */
void fz_drain(mach_port_t port, uint32_t *buf, unsigned size);
/*
 * Release the out-of-line memory a received message (in a buffer of
 * bufsize bytes) carries and, with drop_rights, its rights; kept rights
 * join the pool.  Memory the kernel says it mapped over the worker's own
 * is reported as a failure, not released.
 */
void fz_release(mach_msg_header_t *h, unsigned bufsize, int drop_rights);

/* The fuzz tables of every subsystem (generated list, fz_tables.c). */
struct fz_subsystem {
	const char *name;
	const struct mig_fuzz_routine *table;
	const unsigned int *count;
};
extern const struct fz_subsystem fz_subsystems[];
extern const unsigned int fz_nsubsystems;

#endif /* _FUZZ_FZ_H_ */
