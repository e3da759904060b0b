/*
 * mach/port.h - port names, rights and port attributes.
 *
 * A task refers to a port through a name in its IPC space; one name may
 * denote several rights for the same port (send and receive coalesce;
 * each send-once right gets a name of its own).  Values follow XNU
 * (osfmk/mach/port.h).
 */
#ifndef _MACH_PORT_H_
#define _MACH_PORT_H_

#include <mach/boolean.h>
#include <mach/vm_types.h>

/* The name of a right in some IPC space.  Carries no right by itself. */
typedef natural_t		mach_port_name_t;
typedef mach_port_name_t	*mach_port_name_array_t;

#ifdef KERNEL
/*
 * Inside the kernel a right is held as a pointer to the port object; the
 * kernel keeps count of the references and kinds of rights it holds.
 */
struct ipc_port;
typedef struct ipc_port		*mach_port_t;
#else
/* In user space a right is named by its name in the task's space. */
typedef mach_port_name_t	mach_port_t;
#endif
typedef mach_port_t		*mach_port_array_t;

#if __SIZEOF_POINTER__ == 4 || !defined(KERNEL)
_Static_assert(sizeof(mach_port_t) == 4, "mach_port_t is 32 bits on i386");
#endif

/*
 * MACH_PORT_NULL: no port.  MACH_PORT_DEAD: a right was present but its
 * port died.  Both may be carried in messages.
 */
#define MACH_PORT_NULL		0		/* loosely typed on purpose */
#define MACH_PORT_DEAD		((mach_port_name_t) ~0)
#define MACH_PORT_VALID(name)	\
	(((name) != MACH_PORT_NULL) && ((name) != MACH_PORT_DEAD))

/*
 * Kernel-chosen names are (index << 8) | generation.  The index selects the
 * entry in the space's table; the generation (low byte) advances each time
 * the entry is reused, so a stale name does not reach the new right.
 * Note: MACH_PORT_GEN here returns the generation in bits 0..7; XNU's macro
 * returns it shifted to bits 24..31.  The name layout itself is XNU's.
 */
#define MACH_PORT_INDEX(name)		((mach_port_name_t)(name) >> 8)
#define MACH_PORT_GEN(name)		((mach_port_name_t)(name) & 0xff)
#define MACH_PORT_MAKE(index, gen)	\
	((mach_port_name_t)(((mach_port_name_t)(index) << 8) | \
	    ((mach_port_name_t)(gen) & 0xff)))

/* A kind of right, as passed to mach_port_allocate, mach_port_get_refs... */
typedef natural_t	mach_port_right_t;

#define MACH_PORT_RIGHT_SEND		((mach_port_right_t) 0)
#define MACH_PORT_RIGHT_RECEIVE		((mach_port_right_t) 1)
#define MACH_PORT_RIGHT_SEND_ONCE	((mach_port_right_t) 2)
#define MACH_PORT_RIGHT_PORT_SET	((mach_port_right_t) 3)
#define MACH_PORT_RIGHT_DEAD_NAME	((mach_port_right_t) 4)
#define MACH_PORT_RIGHT_LABELH		((mach_port_right_t) 5)	/* obsolete */
#define MACH_PORT_RIGHT_NUMBER		((mach_port_right_t) 6)	/* count */

/* Set of rights a name denotes (mach_port_type, mach_port_names). */
typedef natural_t		mach_port_type_t;
typedef mach_port_type_t	*mach_port_type_array_t;

/* Right r is represented by bit 16 + r. */
#define MACH_PORT_TYPE(right)	\
	((mach_port_type_t)(((mach_port_type_t) 1) << \
	    ((right) + ((mach_port_right_t) 16))))

#define MACH_PORT_TYPE_NONE		((mach_port_type_t) 0)
#define MACH_PORT_TYPE_SEND		MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE		MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE	MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET		MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME	MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_LABELH		MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH)

#define MACH_PORT_TYPE_SEND_RECEIVE	\
	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS	\
	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS	\
	(MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD	\
	(MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS	\
	(MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)

/* Extra bits mach_port_type/mach_port_names may report: requests armed. */
#define MACH_PORT_TYPE_DNREQUEST		0x80000000	/* dead-name */
#define MACH_PORT_TYPE_SPREQUEST		0x40000000	/* send-possible */
#define MACH_PORT_TYPE_SPREQUEST_DELAYED	0x20000000

/* User references on a name, and changes to them. */
typedef natural_t	mach_port_urefs_t;
typedef integer_t	mach_port_delta_t;

/*
 * Most user references one name may carry for one kind of right; going
 * past it fails with KERN_UREFS_OVERFLOW.  XNU keeps this value in its
 * kernel-private osfmk/ipc/port.h; it is public here because tests check it.
 */
#define MACH_PORT_UREFS_MAX	((mach_port_urefs_t) ((1 << 16) - 1))

/* Attributes of a receive right (mach_port_get_attributes). */
typedef natural_t	mach_port_seqno_t;	/* sequence number */
typedef natural_t	mach_port_mscount_t;	/* make-send count */
typedef natural_t	mach_port_msgcount_t;	/* messages queued */
typedef natural_t	mach_port_rights_t;	/* number of rights */

/* Opaque value a receiver may attach to a port (mach_port_set_context). */
typedef mach_vm_address_t	mach_port_context_t;

#define MACH_PORT_SRIGHTS_NONE		0	/* no send rights exist */
#define MACH_PORT_SRIGHTS_PRESENT	1	/* send rights exist */
typedef unsigned int	mach_port_srights_t;

typedef struct mach_port_status {
	mach_port_rights_t	mps_pset;	/* count of containing port sets */
	mach_port_seqno_t	mps_seqno;	/* sequence number */
	mach_port_mscount_t	mps_mscount;	/* make-send count */
	mach_port_msgcount_t	mps_qlimit;	/* queue limit */
	mach_port_msgcount_t	mps_msgcount;	/* messages queued */
	mach_port_rights_t	mps_sorights;	/* send-once rights outstanding */
	boolean_t		mps_srights;	/* send rights exist? */
	boolean_t		mps_pdrequest;	/* port-destroyed requested? */
	boolean_t		mps_nsrequest;	/* no-senders requested? */
	natural_t		mps_flags;	/* MACH_PORT_STATUS_FLAG_* */
} mach_port_status_t;

_Static_assert(sizeof(mach_port_status_t) == 40, "mach_port_status_t layout");

/* Queue limits.  A new port queues MACH_PORT_QLIMIT_DEFAULT messages. */
#define MACH_PORT_QLIMIT_ZERO		((mach_port_msgcount_t) 0)
#define MACH_PORT_QLIMIT_BASIC		((mach_port_msgcount_t) 5)
#define MACH_PORT_QLIMIT_SMALL		((mach_port_msgcount_t) 16)
#define MACH_PORT_QLIMIT_LARGE		((mach_port_msgcount_t) 1024)
#define MACH_PORT_QLIMIT_KERNEL		((mach_port_msgcount_t) 65534)
#define MACH_PORT_QLIMIT_MIN		MACH_PORT_QLIMIT_ZERO
#define MACH_PORT_QLIMIT_DEFAULT	MACH_PORT_QLIMIT_BASIC
#define MACH_PORT_QLIMIT_MAX		MACH_PORT_QLIMIT_LARGE

typedef struct mach_port_limits {
	mach_port_msgcount_t	mpl_qlimit;	/* queue limit */
} mach_port_limits_t;

_Static_assert(sizeof(mach_port_limits_t) == 4, "mach_port_limits_t layout");

/* mps_flags bits. */
#define MACH_PORT_STATUS_FLAG_TEMPOWNER		0x01
#define MACH_PORT_STATUS_FLAG_GUARDED		0x02
#define MACH_PORT_STATUS_FLAG_STRICT_GUARD	0x04
#define MACH_PORT_STATUS_FLAG_IMP_DONATION	0x08
#define MACH_PORT_STATUS_FLAG_REVIVE		0x10
#define MACH_PORT_STATUS_FLAG_TASKPTR		0x20

/* Variable-length attribute buffer, in natural_t units. */
typedef integer_t	*mach_port_info_t;

/* Flavors for mach_port_get_attributes / mach_port_set_attributes. */
typedef int	mach_port_flavor_t;
#define MACH_PORT_LIMITS_INFO		1	/* mach_port_limits_t */
#define MACH_PORT_RECEIVE_STATUS	2	/* mach_port_status_t */
#define MACH_PORT_DNREQUESTS_SIZE	3	/* int: dead-name table size */
#define MACH_PORT_TEMPOWNER		4
#define MACH_PORT_IMPORTANCE_RECEIVER	5
#define MACH_PORT_DENAP_RECEIVER	6
#define MACH_PORT_INFO_EXT		7

#define MACH_PORT_LIMITS_INFO_COUNT	((natural_t) \
	(sizeof(mach_port_limits_t) / sizeof(natural_t)))
#define MACH_PORT_RECEIVE_STATUS_COUNT	((natural_t) \
	(sizeof(mach_port_status_t) / sizeof(natural_t)))
#define MACH_PORT_DNREQUESTS_SIZE_COUNT	1

/* Port allocation request (mach_port_allocate_qos).  64 bits in total. */
typedef struct mach_port_qos {
	unsigned int	name:1;		/* caller supplies the name */
	unsigned int	prealloc:1;	/* preallocate a message */
	unsigned int	pad1:30;
	natural_t	len;
} mach_port_qos_t;

_Static_assert(sizeof(mach_port_qos_t) == 8, "mach_port_qos_t layout");

#endif /* _MACH_PORT_H_ */
