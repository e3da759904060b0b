/*
 * L4-style long IPC: see kern/long_ipc.h (states, rendezvous) and
 * <mach/mk_long_ipc.h> (ABI, checks, return codes).
 *
 * Order of a send, all before a byte of data moves:
 *   1. dest must be a send right to a port a task can receive on;
 *   2. the sender's header and dopes are copied in (metadata only) and
 *      every range checked against user space;
 *   3. a receiver is found (or awaited); its buffers were checked against
 *      user space when it posted its receive;
 *   4. truncation: dwords, string count and each string against the
 *      receiver's room: both sides get "message truncated";
 *   5. the sender's source ranges must be readable in its map (else the
 *      sender gets MACH_SEND_INVALID_DATA, the receiver "aborted") and the
 *      receiver's target ranges writable in its map (else
 *      MACH_SEND_INVALID_MEMORY / MACH_RCV_INVALID_DATA);
 *   6. dwords, then each string, go through the window in one copy each.
 * The receiver writes its own results (counts, string sizes) back into
 * its header when it wakes.
 */
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/long_ipc.h>
#include <kern/printf.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <mach/message.h>
#include <mach/mk_long_ipc.h>
#include <mach/port.h>
#include <mach/vm_prot.h>
#include <machine/copyio.h>
#include <machine/lipc_window.h>
#include <vm/vm_map.h>

#define LIPC_BUCKETS	32

enum lipc_state { LT_IDLE, LT_RCV_WAIT, LT_RCV_MATCHED, LT_SND_WAIT };

struct lipc_range {
	uint32_t addr;
	uint32_t size;
};

/* One thread's long-IPC state; every field is changed only with the
 * kernel's single lock (interrupts off) held, by the owner or by the
 * partner thread of a rendezvous as noted. */
struct lipc_thread {
	struct thread *lt_thread;
	enum lipc_state lt_state;	/* owner; partner sets IDLE when done */
	struct ipc_port *lt_port;	/* RCV_WAIT / SND_WAIT: the port */
	struct qlink lt_link;		/* on the port's bucket list */
	struct lipc_thread *lt_partner;	/* SND_WAIT: set by the receiver */
	bool lt_port_died;		/* SND_WAIT ended by the port's death */
	mach_msg_return_t lt_result;	/* receive outcome, set by the sender */

	/* the posted receive (RCV_WAIT, RCV_MATCHED), read by the sender */
	uint32_t lt_rmsg;		/* user address of the receive header */
	uint32_t lt_rroom;		/* dwords it has room for */
	uint32_t lt_rnbuf;		/* receive buffers */
	uint32_t lt_rdopes;		/* user address of the receive dopes */
	struct lipc_range lt_rbuf[MK_LIPC_MAX_STRINGS];
	/* what arrived (or was offered), written by the sender */
	uint32_t lt_got_dwords, lt_got_strings;
	uint32_t lt_got_size[MK_LIPC_MAX_STRINGS];

	/* the message being sent (owner only) */
	uint32_t lt_smsg;
	uint32_t lt_sdwords, lt_snstr;
	struct lipc_range lt_sstr[MK_LIPC_MAX_STRINGS];

	struct lipc_window lt_win;	/* the sender's copy window */
};

struct lipc_bucket {
	struct qlink rcv;		/* struct lipc_thread in RCV_WAIT */
	struct qlink snd;		/* struct lipc_thread in SND_WAIT */
};

static struct lipc_bucket buckets[LIPC_BUCKETS];

static inline struct lipc_bucket *bucket_of(ipc_port_t port)
{
	uintptr_t v = (uintptr_t)port;
	return &buckets[((v >> 4) ^ (v >> 10)) % LIPC_BUCKETS];
}

/* The first thread on list waiting on port, taken off the list. */
static struct lipc_thread *take_waiter(struct qlink *list, ipc_port_t port)
{
	queue_foreach(l, list) {
		struct lipc_thread *lt = qlink_entry(l, struct lipc_thread, lt_link);
		if (lt->lt_port == port) {
			queue_remove(l);
			return lt;
		}
	}
	return NULL;
}

/* t's state, made on first use; NULL on memory shortage. */
static struct lipc_thread *lipc_state(thread_t t)
{
	struct lipc_thread *lt = t->ith_lipc;
	if (lt != NULL)
		return lt;
	lt = kzalloc(sizeof(*lt));
	if (lt == NULL)
		return NULL;
	lt->lt_thread = t;
	lt->lt_state = LT_IDLE;
	lipc_window_init(&lt->lt_win);
	t->ith_lipc = lt;
	sched_switch_hook_threads++;	/* context_switch calls the hook from now on */
	mach_msg_asm_update();
	return lt;
}

/* The scheduler's switch hook: tear down the outgoing thread's window. */
static void lipc_switch_hook(thread_t prev __unused, thread_t next)
{
	struct lipc_thread *lt = next->ith_lipc;
	lipc_window_switch(lt != NULL ? &lt->lt_win : NULL);
}

/*
 * lipc_init: empty port hash; install the switch hook.  Once at boot,
 * before the first user thread runs.
 */
void lipc_init(void)
{
	for (unsigned i = 0; i < LIPC_BUCKETS; i++) {
		queue_init(&buckets[i].rcv);
		queue_init(&buckets[i].snd);
	}
	assert(sched_switch_hook == NULL);
	sched_switch_hook = lipc_switch_hook;
}

/* Is [addr, addr + size) a valid place for size bytes (size 0: anywhere)? */
static inline bool range_ok(uint32_t addr, uint32_t size)
{
	return size == 0 || user_range_ok(addr, size);
}

/* Is a buffer of header + d dwords + s dopes at addr in user space? */
static bool msg_range_ok(uint32_t addr, uint32_t d, uint32_t s)
{
	uint64_t size = MK_LIPC_HEADER_SIZE + 4ull * d + (uint64_t)MK_LIPC_DOPE_SIZE * s;
	return size <= VM_MAX_USER && user_range_ok(addr, (size_t)size);
}

/* Copy in and check the sender's header and dopes (steps 2 above). */
static mach_msg_return_t load_send(struct lipc_thread *lt, uint32_t smsg)
{
	mk_lipc_msg_t h;
	mk_lipc_string_t d[MK_LIPC_MAX_STRINGS];

	if (!user_range_ok(smsg, sizeof(h)) || copyin((const void *)smsg, &h, sizeof(h)))
		return MACH_SEND_INVALID_DATA;
	if (h.lm_dwords > MK_LIPC_MAX_DWORDS || h.lm_strings > MK_LIPC_MAX_STRINGS)
		return MACH_SEND_INVALID_HEADER;
	if (!msg_range_ok(smsg, h.lm_dwords, h.lm_strings))
		return MACH_SEND_INVALID_DATA;
	uint32_t dopes = smsg + MK_LIPC_HEADER_SIZE + 4 * h.lm_dwords;
	if (h.lm_strings &&
	    copyin((const void *)dopes, d, h.lm_strings * sizeof(d[0])))
		return MACH_SEND_INVALID_DATA;
	for (uint32_t i = 0; i < h.lm_strings; i++) {
		if (!range_ok(d[i].ls_addr, d[i].ls_size))
			return MACH_SEND_INVALID_DATA;
		lt->lt_sstr[i].addr = d[i].ls_addr;
		lt->lt_sstr[i].size = d[i].ls_size;
	}
	lt->lt_smsg = smsg;
	lt->lt_sdwords = h.lm_dwords;
	lt->lt_snstr = h.lm_strings;
	return MACH_MSG_SUCCESS;
}

/* Copy in and check the receiver's header and dopes. */
static mach_msg_return_t load_receive(struct lipc_thread *lt, uint32_t rmsg)
{
	mk_lipc_msg_t h;
	mk_lipc_string_t d[MK_LIPC_MAX_STRINGS];

	if (!user_range_ok(rmsg, sizeof(h)) || copyin((const void *)rmsg, &h, sizeof(h)))
		return MACH_RCV_INVALID_DATA;
	if (h.lm_strings > MK_LIPC_MAX_STRINGS)
		return MACH_RCV_INVALID_ARGUMENTS;
	if (!msg_range_ok(rmsg, h.lm_dwords, h.lm_strings))
		return MACH_RCV_INVALID_DATA;
	uint32_t dopes = rmsg + MK_LIPC_HEADER_SIZE + 4 * h.lm_dwords;
	if (h.lm_strings &&
	    copyin((const void *)dopes, d, h.lm_strings * sizeof(d[0])))
		return MACH_RCV_INVALID_DATA;
	for (uint32_t i = 0; i < h.lm_strings; i++) {
		if (!range_ok(d[i].ls_addr, d[i].ls_size))
			return MACH_RCV_INVALID_DATA;
		lt->lt_rbuf[i].addr = d[i].ls_addr;
		lt->lt_rbuf[i].size = d[i].ls_size;
	}
	lt->lt_rmsg = rmsg;
	lt->lt_rroom = h.lm_dwords;
	lt->lt_rnbuf = h.lm_strings;
	lt->lt_rdopes = dopes;
	return MACH_MSG_SUCCESS;
}

/* Does s's message fit r's buffers? */
static bool message_fits(const struct lipc_thread *s, const struct lipc_thread *r)
{
	if (s->lt_sdwords > r->lt_rroom || s->lt_snstr > r->lt_rnbuf)
		return false;
	for (uint32_t i = 0; i < s->lt_snstr; i++)
		if (s->lt_sstr[i].size > r->lt_rbuf[i].size)
			return false;
	return true;
}

/* Is every source range of s readable in smap? */
static bool sender_memory_ok(const struct lipc_thread *s, vm_map_t smap)
{
	uint32_t dw = s->lt_smsg + MK_LIPC_HEADER_SIZE;
	if (vm_map_check_range(smap, dw, dw + 4 * s->lt_sdwords, VM_PROT_READ) != KERN_SUCCESS)
		return false;
	for (uint32_t i = 0; i < s->lt_snstr; i++) {
		const struct lipc_range *g = &s->lt_sstr[i];
		if (vm_map_check_range(smap, g->addr, g->addr + g->size,
				       VM_PROT_READ) != KERN_SUCCESS)
			return false;
	}
	return true;
}

/* Is every range of r that s's message will write writable in rmap? */
static bool receiver_memory_ok(const struct lipc_thread *s, const struct lipc_thread *r,
			       vm_map_t rmap)
{
	uint32_t dw = r->lt_rmsg + MK_LIPC_HEADER_SIZE;
	if (vm_map_check_range(rmap, dw, dw + 4 * s->lt_sdwords, VM_PROT_WRITE) != KERN_SUCCESS)
		return false;
	for (uint32_t i = 0; i < s->lt_snstr; i++) {
		uint32_t a = r->lt_rbuf[i].addr;
		if (vm_map_check_range(rmap, a, a + s->lt_sstr[i].size,
				       VM_PROT_WRITE) != KERN_SUCCESS)
			return false;
	}
	return true;
}

/*
 * Copy s's message (s is the current thread) into r, which is off every
 * list and blocked (RCV_WAIT taken by s, or RCV_MATCHED); then complete
 * r's receive and wake it.  Returns the sender's result.
 */
static mach_msg_return_t transfer(struct lipc_thread *s, struct lipc_thread *r)
{
	mach_msg_return_t smr = MACH_MSG_SUCCESS, rmr = MACH_MSG_SUCCESS;
	vm_map_t smap = current_task()->map;
	vm_map_t rmap = r->lt_thread->task->map;
	kern_return_t rkr = KERN_SUCCESS;

	assert(s->lt_thread == current_thread() && r != s);
	lipc_stats.transfers++;
	r->lt_got_dwords = s->lt_sdwords;
	r->lt_got_strings = s->lt_snstr;
	for (uint32_t i = 0; i < s->lt_snstr; i++)
		r->lt_got_size[i] = s->lt_sstr[i].size;

	if (!message_fits(s, r)) {
		smr = MACH_SEND_TOO_LARGE;
		rmr = MACH_RCV_TOO_LARGE;	/* results tell what was offered */
		goto done;
	}
	if (!sender_memory_ok(s, smap)) {
		smr = MACH_SEND_INVALID_DATA;
		rmr = MK_LIPC_RCV_ABORTED;
		goto failed;
	}
	if (rmap == NULL || !receiver_memory_ok(s, r, rmap)) {
		smr = MACH_SEND_INVALID_MEMORY;
		rmr = MACH_RCV_INVALID_DATA;
		goto failed;
	}

	int rc = lipc_window_copy(&s->lt_win, rmap, r->lt_rmsg + MK_LIPC_HEADER_SIZE,
				  (const void *)(s->lt_smsg + MK_LIPC_HEADER_SIZE),
				  4 * s->lt_sdwords, &rkr);
	for (uint32_t i = 0; rc == LIPC_COPY_OK && i < s->lt_snstr; i++)
		rc = lipc_window_copy(&s->lt_win, rmap, r->lt_rbuf[i].addr,
				      (const void *)s->lt_sstr[i].addr,
				      s->lt_sstr[i].size, &rkr);
	lipc_window_close(&s->lt_win);
	if (rc == LIPC_COPY_SENDER_FAULT) {
		smr = MACH_SEND_INVALID_DATA;
		rmr = MK_LIPC_RCV_ABORTED;
		goto failed;
	}
	if (rc == LIPC_COPY_RECEIVER_FAULT) {
		smr = MACH_SEND_INVALID_MEMORY;
		rmr = MACH_RCV_INVALID_DATA;
		goto failed;
	}
	goto done;

failed:
	r->lt_got_dwords = 0;
	r->lt_got_strings = 0;
done:
	r->lt_result = rmr;
	r->lt_state = LT_IDLE;
	clear_wait(r->lt_thread, THREAD_AWAKENED);
	return smr;
}

/* No receiver waits on port: wait for one (SND_WAIT). */
static mach_msg_return_t wait_receiver(struct lipc_thread *lt, ipc_port_t port,
				       uint32_t option, uint32_t timeout,
				       struct lipc_thread **rp)
{
	if ((option & MK_LIPC_SEND_TIMEOUT) && timeout == 0)
		return MACH_SEND_TIMED_OUT;
	lt->lt_state = LT_SND_WAIT;
	lt->lt_port = port;
	lt->lt_partner = NULL;
	lt->lt_port_died = false;
	enqueue_tail(&bucket_of(port)->snd, &lt->lt_link);
	ip_reference(port);
	if (option & MK_LIPC_SEND_TIMEOUT)
		assert_wait_timeout(NULL, THREAD_INTERRUPTIBLE, ms_to_ticks(timeout));
	else
		assert_wait(NULL, THREAD_INTERRUPTIBLE);
	wait_result_t wr = thread_block();

	if (qlink_linked(&lt->lt_link))
		queue_remove(&lt->lt_link);
	lt->lt_state = LT_IDLE;
	lt->lt_port = NULL;
	ip_release(port);
	if (lt->lt_partner != NULL) {
		/* a receiver chose us, even if a timeout also fired */
		*rp = lt->lt_partner;
		lt->lt_partner = NULL;
		return MACH_MSG_SUCCESS;
	}
	if (lt->lt_port_died)
		return MACH_SEND_INVALID_DEST;
	return wr == THREAD_TIMED_OUT ? MACH_SEND_TIMED_OUT : MACH_SEND_INTERRUPTED;
}

/* The send phase of the trap. */
static mach_msg_return_t lipc_send(struct lipc_thread *lt, mach_port_name_t dest,
				   uint32_t smsg, uint32_t option, uint32_t timeout)
{
	ipc_entry_t e = ipc_entry_lookup(current_task()->itk_space, dest);
	if (e == NULL || !(e->ie_bits & MACH_PORT_TYPE_SEND) || e->ie_object == IO_NULL)
		return MACH_SEND_INVALID_DEST;
	ipc_port_t port = ip_from_object(e->ie_object);
	if (!ip_active(port) || port->ip_receiver == ipc_space_kernel ||
	    port->ip_receiver == ipc_space_reply)
		return MACH_SEND_INVALID_DEST;	/* no thread can receive there */

	mach_msg_return_t mr = load_send(lt, smsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	struct lipc_thread *r = take_waiter(&bucket_of(port)->rcv, port);
	if (r == NULL) {
		mr = wait_receiver(lt, port, option, timeout, &r);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	return transfer(lt, r);
}

/* Write the receive results into the receiver's header and dopes. */
static mach_msg_return_t finish_receive(struct lipc_thread *lt)
{
	mach_msg_return_t mr = lt->lt_result;
	if (mr != MACH_MSG_SUCCESS && mr != MACH_RCV_TOO_LARGE)
		return mr;
	uint32_t res[2] = { lt->lt_got_dwords, lt->lt_got_strings };
	if (copyout(res, (void *)(lt->lt_rmsg + 8), sizeof(res)))
		return MACH_RCV_HEADER_ERROR;
	for (uint32_t i = 0; i < lt->lt_rnbuf; i++) {
		uint32_t xfer = i < lt->lt_got_strings ? lt->lt_got_size[i] : 0;
		void *where = (void *)(lt->lt_rdopes + i * MK_LIPC_DOPE_SIZE +
				       __builtin_offsetof(mk_lipc_string_t, ls_xfer));
		if (copyout(&xfer, where, sizeof(xfer)))
			return MACH_RCV_HEADER_ERROR;
	}
	return mr;
}

/* The receive phase of the trap. */
static mach_msg_return_t lipc_receive(struct lipc_thread *lt, mach_port_name_t name,
				      uint32_t rmsg, uint32_t option, uint32_t timeout)
{
	ipc_entry_t e = ipc_entry_lookup(current_task()->itk_space, name);
	if (e == NULL || !(e->ie_bits & MACH_PORT_TYPE_RECEIVE) || e->ie_object == IO_NULL)
		return MACH_RCV_INVALID_NAME;
	ipc_port_t port = ip_from_object(e->ie_object);

	mach_msg_return_t mr = load_receive(lt, rmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	lt->lt_result = MACH_RCV_IN_PROGRESS;

	struct lipc_thread *s = take_waiter(&bucket_of(port)->snd, port);
	if (s != NULL) {
		/* a sender waits: it copies into us as soon as it runs */
		s->lt_partner = lt;
		lt->lt_state = LT_RCV_MATCHED;
		(void)clear_wait(s->lt_thread, THREAD_AWAKENED);
		assert_wait(NULL, THREAD_UNINT);
		(void)thread_block();
		assert(lt->lt_state == LT_IDLE);
		return finish_receive(lt);
	}

	if ((option & MK_LIPC_RCV_TIMEOUT) && timeout == 0)
		return MACH_RCV_TIMED_OUT;
	lt->lt_state = LT_RCV_WAIT;
	lt->lt_port = port;
	enqueue_tail(&bucket_of(port)->rcv, &lt->lt_link);
	ip_reference(port);
	if (option & MK_LIPC_RCV_TIMEOUT)
		assert_wait_timeout(NULL, THREAD_INTERRUPTIBLE, ms_to_ticks(timeout));
	else
		assert_wait(NULL, THREAD_INTERRUPTIBLE);
	wait_result_t wr = thread_block();

	if (lt->lt_state == LT_RCV_WAIT) {
		/* no sender came: timed out or interrupted */
		if (qlink_linked(&lt->lt_link))
			queue_remove(&lt->lt_link);
		lt->lt_state = LT_IDLE;
		lt->lt_result = wr == THREAD_TIMED_OUT ? MACH_RCV_TIMED_OUT
						       : MACH_RCV_INTERRUPTED;
	}
	lt->lt_port = NULL;
	ip_release(port);
	return finish_receive(lt);
}

/*
 * mk_long_ipc_trap: the MK_TRAP_LONG_IPC trap.  args holds the six cdecl
 * words (option, dest, snd, rcv_name, rcv, timeout_ms) copied from the
 * user stack.  Runs in the calling thread, interrupts off; may block in
 * each phase.  Returns a mach_msg_return_t (see <mach/mk_long_ipc.h>).
 */
uint32_t mk_long_ipc_trap(const uint32_t *args)
{
	uint32_t option = args[0];
	mach_port_name_t dest = args[1];
	uint32_t snd = args[2];
	mach_port_name_t rcv_name = args[3];
	uint32_t rcv = args[4];
	uint32_t timeout = args[5];

	if (option & ~MK_LIPC_OPTIONS_ALL)
		return MACH_SEND_INVALID_OPTIONS;
	if (option & MK_LIPC_STATS) {
		if (option != MK_LIPC_STATS)
			return MACH_SEND_INVALID_OPTIONS;
		if (copyout(&lipc_stats, (void *)snd, sizeof(lipc_stats)))
			return KERN_INVALID_ADDRESS;
		return KERN_SUCCESS;
	}
	if (!(option & (MK_LIPC_SEND | MK_LIPC_RCV)))
		return MACH_MSG_SUCCESS;
	struct lipc_thread *lt = lipc_state(current_thread());
	if (lt == NULL)
		return (option & MK_LIPC_SEND) ? MACH_SEND_NO_BUFFER : KERN_RESOURCE_SHORTAGE;
	assert(lt->lt_state == LT_IDLE);

	if (option & MK_LIPC_SEND) {
		mach_msg_return_t mr = lipc_send(lt, dest, snd, option, timeout);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MK_LIPC_RCV)
		return lipc_receive(lt, rcv_name, rcv, option, timeout);
	return MACH_MSG_SUCCESS;
}

/* End the waits of every thread on list waiting on port. */
static void wake_waiters(struct qlink *list, ipc_port_t port, bool senders)
{
	queue_foreach_safe(l, nx, list) {
		struct lipc_thread *lt = qlink_entry(l, struct lipc_thread, lt_link);
		if (lt->lt_port != port)
			continue;
		queue_remove(l);
		if (senders) {
			lt->lt_port_died = true;
		} else {
			lt->lt_state = LT_IDLE;
			lt->lt_result = MACH_RCV_PORT_DIED;
		}
		(void)clear_wait(lt->lt_thread, THREAD_AWAKENED);
	}
}

/*
 * lipc_port_destroyed: port's receive right has left its space (moved
 * or destroyed) or port has died.  Receivers waiting on it get
 * MACH_RCV_PORT_DIED (the name they used no longer denotes the right);
 * if the port is dead, waiting senders get MACH_SEND_INVALID_DEST.  The
 * woken threads drop their own port references.  Interrupts off.
 */
void lipc_port_destroyed(ipc_port_t port)
{
	struct lipc_bucket *b = bucket_of(port);
	wake_waiters(&b->rcv, port, false);
	if (!ip_active(port))
		wake_waiters(&b->snd, port, true);
}

/*
 * lipc_thread_terminate: free t's long-IPC state.  t is dead and off the
 * CPU (the reaper calls this), so it waits nowhere and its window is not
 * loaded; both are made sure of anyway.
 */
void lipc_thread_terminate(struct thread *t)
{
	struct lipc_thread *lt = t->ith_lipc;
	if (lt == NULL)
		return;
	if (qlink_linked(&lt->lt_link))
		queue_remove(&lt->lt_link);
	lipc_window_close(&lt->lt_win);
	t->ith_lipc = NULL;
	sched_switch_hook_threads--;
	mach_msg_asm_update();
	kfree(lt, sizeof(*lt));
}

/* lipc_thread_print: t's long-IPC state in one line, for the debugger. */
void lipc_thread_print(struct thread *t)
{
	static const char *const names[] = { "idle", "rcv-wait", "rcv-matched", "snd-wait" };
	const struct lipc_thread *lt = t->ith_lipc;
	if (lt == NULL) {
		printf("thread %d: no long-IPC state\n", t->id);
		return;
	}
	printf("thread %d: long IPC %s port %p partner %p result %#x rmsg %08x room %u "
	       "bufs %u smsg %08x dwords %u strings %u\n", t->id, names[lt->lt_state],
	       (void *)lt->lt_port, (void *)lt->lt_partner, lt->lt_result, lt->lt_rmsg,
	       lt->lt_rroom, lt->lt_rnbuf, lt->lt_smsg, lt->lt_sdwords, lt->lt_snstr);
	lipc_window_print(&lt->lt_win);
}
