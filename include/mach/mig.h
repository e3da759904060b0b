/*
 * mach/mig.h - what MIG-generated stubs and their users share.
 *
 * tools/mig/mig.py generates, per .defs file, user stubs (one function per
 * routine that sends the request and waits for the reply) and server
 * stubs (_X<routine> functions, a demux <subsystem>_server() and a const
 * subsystem descriptor).  Names and layouts here follow XNU's
 * osfmk/mach/mig.h so that the kernel's kobject server can treat every
 * generated subsystem descriptor as a struct mig_subsystem.
 */
#ifndef _MACH_MIG_H_
#define _MACH_MIG_H_

#include <mach/machine/types.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/message.h>
#include <mach/ndr.h>

/* A server stub: decode the request at InHeadP, build the reply. */
typedef void	(*mig_stub_routine_t)(mach_msg_header_t *InHeadP,
		    mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t	mig_routine_t;

/* Maps a request to the stub that serves it, or 0 if none does. */
typedef mig_routine_t	(*mig_server_routine_t)(mach_msg_header_t *InHeadP);

/* Unused by this generator (always 0); kept for XNU's layout. */
typedef kern_return_t	(*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t	routine_arg_descriptor;
typedef mach_msg_type_descriptor_t	*routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t	*mig_routine_arg_descriptor_t;

#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL	((mig_routine_arg_descriptor_t) 0)

/*
 * One routine of a subsystem.  A skipped id has every field 0.
 * max_reply_msg is the largest reply the stub can build, without trailer.
 */
struct routine_descriptor {
	mig_impl_routine_t	impl_routine;	/* 0 */
	mig_stub_routine_t	stub_routine;	/* _X<routine> */
	unsigned int		argc;		/* implementation arguments */
	unsigned int		descr_count;	/* descriptors in the request */
	routine_arg_descriptor_t arg_descr;	/* 0 */
	unsigned int		max_reply_msg;	/* bytes */
};

typedef struct routine_descriptor	*routine_descriptor_t;
typedef struct routine_descriptor	mig_routine_descriptor;
typedef mig_routine_descriptor		*mig_routine_descriptor_t;

/*
 * Generic view of a generated `const struct <prefix><name>_subsystem`:
 * ids start..end-1 map to routine[id - start]; maxsize is the largest
 * reply of any routine (mig_reply_error_t at least).  The generated
 * structs declare routine[] with its real length.
 */
typedef struct mig_subsystem {
	mig_server_routine_t	server;		/* <name>_server_routine */
	mach_msg_id_t		start;		/* first id */
	mach_msg_id_t		end;		/* last id + 1 */
	mach_msg_size_t		maxsize;	/* largest reply */
	vm_address_t		reserved;	/* 0 */
	mig_routine_descriptor	routine[1];	/* end - start entries */
} *mig_subsystem_t;

#define MIG_SUBSYSTEM_NULL	((mig_subsystem_t) 0)

/*
 * Helpers used by generated code.
 *
 * _WALIGN_: round a byte count up to the 4-byte unit of inline data.
 * MIG_ADDR_TO_DESC: store an address or vm_offset_t in the address field
 * of an out-of-line descriptor (a 32-bit integer in user builds on a
 * 64-bit host, see __MACH_UPTR).  MIG_DESC_TO: read one back as type T.
 */
#ifndef _WALIGN_
#define _WALIGN_(x)	(((x) + 3) & ~3)
#endif
#define MIG_ADDR_TO_DESC(v)	((__MACH_UPTR(void *))(uintptr_t)(v))
#define MIG_DESC_TO(T, a)	((T)(uintptr_t)(a))

#ifndef KERNEL
/*
 * Per-thread reply port of user stubs, provided by user/lib.
 * mig_get_reply_port: the calling thread's reply port (created on first
 *	use); the stubs receive replies on it.
 * mig_put_reply_port: give it back after a call that never sent (the port
 *	holds no stray reply, keep caching it).
 * mig_dealloc_reply_port: destroy it after a failed call (a late reply may
 *	still arrive on it); the next mig_get_reply_port makes a new one.
 */
extern mach_port_t	mig_get_reply_port(void);
extern void		mig_dealloc_reply_port(mach_port_t reply_port);
extern void		mig_put_reply_port(mach_port_t reply_port);

/*
 * Release every right and out-of-line region a received message carries
 * (user/lib).  Stubs call it on replies they reject.
 */
extern void		mach_msg_destroy(mach_msg_header_t *msg);
#endif /* !KERNEL */

/*
 * Fuzz tables: tools/mig/mig.py --fuzz-source emits, per subsystem,
 *	const struct mig_fuzz_routine <name>_fuzz_table[];
 *	const unsigned int <name>_fuzz_count;
 * one entry per routine in id order, listing the request's fields in
 * message order.  Offsets are those of the largest request; fields after
 * a variable array (MIG_FUZZ_INLINE_ARRAY) move back by the bytes it
 * leaves unused, so a fuzzer that keeps offsets fixed sends full arrays.
 */
#define MIG_FUZZ_PORT		1	/* port descriptor */
#define MIG_FUZZ_PORT_ARRAY	2	/* max_count port descriptors */
#define MIG_FUZZ_OOL		3	/* OOL memory; size: element bytes */
#define MIG_FUZZ_OOL_PORTS	4	/* OOL port names */
#define MIG_FUZZ_NDR		5	/* NDR_record_t */
#define MIG_FUZZ_SCALAR		6	/* size bytes of inline data */
#define MIG_FUZZ_COUNT		7	/* element count of the next array */
#define MIG_FUZZ_INLINE_ARRAY	8	/* up to max_count elements */

#define MIG_FUZZ_SIMPLEROUTINE	0x1	/* no reply */
#define MIG_FUZZ_COMPLEX	0x2	/* request has descriptors */

struct mig_fuzz_field {
	unsigned int	kind;		/* MIG_FUZZ_* */
	unsigned int	disposition;	/* ports: as sent; 0 polymorphic */
	unsigned int	offset;		/* from the header's start */
	unsigned int	size;		/* one value or element, bytes */
	unsigned int	max_count;	/* arrays and counts; 0 unbounded */
	const char	*name;		/* argument or count name */
};

struct mig_fuzz_routine {
	mach_msg_id_t	id;
	const char	*name;
	unsigned int	flags;		/* MIG_FUZZ_SIMPLEROUTINE, _COMPLEX */
	unsigned int	request_disposition; /* of msgh_remote_port */
	unsigned int	max_size;	/* largest request, bytes */
	unsigned int	min_size;	/* smallest request, bytes */
	unsigned int	descriptor_count;
	unsigned int	field_count;
	const struct mig_fuzz_field *fields;
};

#endif /* _MACH_MIG_H_ */
