/*
 * Kernel messages.
 *
 * A kmsg holds one message in kernel memory: the header, the body and
 * room for the largest trailer.  After copyin, the header's port fields
 * and the port descriptors hold ipc_port pointers (each a right in
 * transit: its type is in the bits/disposition), out-of-line memory
 * descriptors hold vm_map_copy_t pointers, and out-of-line port arrays a
 * kalloc'd array of ipc_port pointers.
 *
 * The kmsg cache keeps a few buffers of IKM_SAVED_MSG_SIZE so that the
 * common small message needs no allocation (ikm_cache_get/put).
 */
#ifndef _IPC_IPC_KMSG_H_
#define _IPC_IPC_KMSG_H_

#include <ipc/ipc_object.h>
#include <kern/queue.h>
#include <kern/types.h>
#include <mach/mk_hotpath.h>

struct ipc_space;
struct vm_map;

struct ipc_kmsg {
	struct qlink ikm_link;		/* on a port's queue */
	mach_msg_size_t ikm_size;	/* bytes at ikm_header */
	mach_msg_header_t *ikm_header;	/* == (void *)(kmsg + 1) */
	bool ikm_cached;		/* a cache-sized buffer */
};
typedef struct ipc_kmsg *ipc_kmsg_t;

#define IKM_NULL		((ipc_kmsg_t)0)
/* Message + trailer bytes of a cached kmsg. */
#define IKM_SAVED_MSG_SIZE	256
#define IKM_CACHE_SLOTS		4
/* The largest inline message accepted (header and inline data). */
#define IKM_MAX_INLINE		(1024u * 1024)

/* The trailer that follows the message body. */
static inline mach_msg_max_trailer_t *ikm_trailer(ipc_kmsg_t k)
{
	return (mach_msg_max_trailer_t *)((char *)k->ikm_header + round_msg(k->ikm_header->msgh_size));
}

extern unsigned ipc_kmsgs_alive;		/* allocated and not cached */
extern unsigned long ikm_cache_hits, ikm_cache_misses;
extern ipc_kmsg_t ikm_cache[];
extern uint32_t mach_msg_counters[];	/* ipc/mach_msg_fast.c */
extern int ikm_ncached;

/* The hot path's allocation: a cached kmsg, or IKM_NULL if none is left. */
static inline ipc_kmsg_t ikm_cache_get(void)
{
	if (ikm_ncached == 0)
		return IKM_NULL;
	ipc_kmsg_t k = ikm_cache[--ikm_ncached];	/* ikm_header is k + 1, link unused */
	ikm_cache_hits++;
	mach_msg_counters[MMC_kmsg_cache_hits]++;
	ipc_kmsgs_alive++;
	return k;
}

/* The hot path's free: back to the cache if there is room (true). */
static inline bool ikm_cache_put(ipc_kmsg_t k)
{
	if (!k->ikm_cached || ikm_ncached >= IKM_CACHE_SLOTS)
		return false;
	ikm_cache[ikm_ncached++] = k;
	ipc_kmsgs_alive--;
	return true;
}

void ipc_kmsg_init(void);
/* A kmsg with room for msg_size bytes of message plus any trailer. */
ipc_kmsg_t ipc_kmsg_alloc(mach_msg_size_t msg_size);
void ipc_kmsg_free(ipc_kmsg_t kmsg);
/* Release every right and memory region the message carries, then free. */
void ipc_kmsg_destroy(ipc_kmsg_t kmsg);

/* Copy a user message in (MACH_SEND_MSG_TOO_SMALL/NO_BUFFER/INVALID_DATA/TOO_LARGE). */
mach_msg_return_t ipc_kmsg_get(mach_msg_header_t *umsg, mach_msg_size_t size, ipc_kmsg_t *kmsgp);
/* Copy a kernel-built message into a kmsg. */
mach_msg_return_t ipc_kmsg_get_from_kernel(const mach_msg_header_t *msg, mach_msg_size_t size,
					   ipc_kmsg_t *kmsgp);
/* Copy size bytes of the message out to the user and free the kmsg. */
mach_msg_return_t ipc_kmsg_put(mach_msg_header_t *umsg, ipc_kmsg_t kmsg, mach_msg_size_t size);

/* Rights and memory in (sender's space/map) and out (receiver's). */
mach_msg_return_t ipc_kmsg_copyin(ipc_kmsg_t kmsg, struct ipc_space *space, struct vm_map *map);
mach_msg_return_t ipc_kmsg_copyin_header(ipc_kmsg_t kmsg, struct ipc_space *space);
mach_msg_return_t ipc_kmsg_copyout(ipc_kmsg_t kmsg, struct ipc_space *space, struct vm_map *map,
				   mach_msg_body_t *slist);
/* Give the rights back to the sender after a failed send (copyout_pseudo). */
mach_msg_return_t ipc_kmsg_copyout_pseudo(ipc_kmsg_t kmsg, struct ipc_space *space,
					  struct vm_map *map);
/* Destroy everything but the destination, which becomes its receiver's name. */
void ipc_kmsg_copyout_dest(ipc_kmsg_t kmsg, struct ipc_space *space);
/* Kernel-side copyout for messages the kernel itself receives. */
void ipc_kmsg_copyout_to_kernel(ipc_kmsg_t kmsg, struct ipc_space *space);

/* Send: kernel objects are served at once, others are queued. */
mach_msg_return_t ipc_kmsg_send(ipc_kmsg_t kmsg, mach_msg_option_t option, mach_msg_timeout_t timeout);
/* Kernel-originated send that never blocks (notifications, replies). */
void ipc_kmsg_send_always(ipc_kmsg_t kmsg);

void ipc_kmsg_print(ipc_kmsg_t kmsg);

/*
 * ikm_trailer_fill: the trailer at t, of `size' bytes (a
 * REQUESTED_TRAILER_SIZE): type, size and sequence number; the sender's
 * token was set when the message was made.  Elements past the format-0
 * trailer, which this kernel does not produce, read as zeros: a cached
 * kmsg must never show a receiver what an earlier message left there.
 */
static inline void ikm_trailer_fill(mach_msg_max_trailer_t *t, mach_msg_size_t size,
				    mach_port_seqno_t seqno)
{
	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t->msgh_trailer_size = size;
	t->msgh_seqno = seqno;
	if (size > sizeof(mach_msg_format_0_trailer_t)) {
		char *rest = (char *)t + sizeof(mach_msg_format_0_trailer_t);
		for (mach_msg_size_t i = 0; i < size - sizeof(mach_msg_format_0_trailer_t); i += 4)
			*(uint32_t *)(rest + i) = 0;
	}
}

/*
 * ikm_trailer_finish: fill in the trailer a receiver asked for (option's
 * MACH_RCV_TRAILER_ELEMENTS) with ikm_trailer_fill.  Returns its size.
 */
static inline mach_msg_size_t ikm_trailer_finish(ipc_kmsg_t k, mach_msg_option_t option,
						 mach_port_seqno_t seqno)
{
	mach_msg_size_t size = REQUESTED_TRAILER_SIZE(option);
	ikm_trailer_fill(ikm_trailer(k), size, seqno);
	return size;
}

#endif
