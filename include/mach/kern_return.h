/*
 * mach/kern_return.h - status codes of Mach kernel calls.
 *
 * Values are XNU's (osfmk/mach/kern_return.h).  Message-level failures have
 * their own codes in <mach/message.h>; MIG stub failures in
 * <mach/mig_errors.h>.  All of them fit in a kern_return_t.
 */
#ifndef _MACH_KERN_RETURN_H_
#define _MACH_KERN_RETURN_H_

typedef int	kern_return_t;

_Static_assert(sizeof(kern_return_t) == 4, "kern_return_t is 32 bits");

#define KERN_SUCCESS			0
#define KERN_INVALID_ADDRESS		1	/* address not valid in the map */
#define KERN_PROTECTION_FAILURE		2	/* valid, but access not permitted */
#define KERN_NO_SPACE			3	/* range in use, or none large enough */
#define KERN_INVALID_ARGUMENT		4	/* an argument is invalid */
#define KERN_FAILURE			5	/* catch-all failure */
#define KERN_RESOURCE_SHORTAGE		6	/* a system resource ran out */
#define KERN_NOT_RECEIVER		7	/* caller lacks the receive right */
#define KERN_NO_ACCESS			8	/* bogus access restriction */
#define KERN_MEMORY_FAILURE		9	/* memory object destroyed */
#define KERN_MEMORY_ERROR		10	/* memory object could not supply data */
#define KERN_ALREADY_IN_SET		11	/* receive right already in a port set */
#define KERN_NOT_IN_SET			12	/* receive right not in a port set */
#define KERN_NAME_EXISTS		13	/* name already denotes a right */
#define KERN_ABORTED			14	/* operation was aborted */
#define KERN_INVALID_NAME		15	/* name denotes no right */
#define KERN_INVALID_TASK		16	/* target task is not active */
#define KERN_INVALID_RIGHT		17	/* name denotes the wrong kind of right */
#define KERN_INVALID_VALUE		18	/* range error */
#define KERN_UREFS_OVERFLOW		19	/* user-reference count would overflow */
#define KERN_INVALID_CAPABILITY		20	/* port capability is improper */
#define KERN_RIGHT_EXISTS		21	/* right already held under another name */
#define KERN_INVALID_HOST		22	/* target is not a host */
#define KERN_MEMORY_PRESENT		23	/* precious data already present */
#define KERN_MEMORY_DATA_MOVED		24	/* (kernel internal) page moved */
#define KERN_MEMORY_RESTART_COPY	25	/* (kernel internal) retry copy */
#define KERN_INVALID_PROCESSOR_SET	26	/* not a processor set control port */
#define KERN_POLICY_LIMIT		27	/* scheduling attributes over limit */
#define KERN_INVALID_POLICY		28	/* scheduling policy not enabled */
#define KERN_INVALID_OBJECT		29	/* memory object failed to initialise */
#define KERN_ALREADY_WAITING		30	/* event already has a waiter */
#define KERN_DEFAULT_SET		31	/* cannot destroy the default pset */
#define KERN_EXCEPTION_PROTECTED	32	/* exception port is protected */
#define KERN_INVALID_LEDGER		33	/* a ledger was required */
#define KERN_INVALID_MEMORY_CONTROL	34	/* not a memory cache control port */
#define KERN_INVALID_SECURITY		35	/* not a host security port */
#define KERN_NOT_DEPRESSED		36	/* thread priority was not depressed */
#define KERN_TERMINATED			37	/* object has been terminated */
#define KERN_LOCK_SET_DESTROYED		38	/* lock set destroyed */
#define KERN_LOCK_UNSTABLE		39	/* lock holder terminated */
#define KERN_LOCK_OWNED			40	/* lock owned by another thread */
#define KERN_LOCK_OWNED_SELF		41	/* lock owned by the caller */
#define KERN_SEMAPHORE_DESTROYED	42	/* semaphore destroyed */
#define KERN_RPC_SERVER_TERMINATED	43	/* RPC server died before replying */
#define KERN_RPC_TERMINATE_ORPHAN	44	/* terminate an orphaned activation */
#define KERN_RPC_CONTINUE_ORPHAN	45	/* let an orphaned activation run */
#define KERN_NOT_SUPPORTED		46	/* operation not supported */
#define KERN_NODE_DOWN			47	/* remote node unreachable */
#define KERN_NOT_WAITING		48	/* signalled thread was not waiting */
#define KERN_OPERATION_TIMED_OUT	49	/* thread operation timed out */
#define KERN_CODESIGN_ERROR		50	/* page rejected by signature check */
#define KERN_POLICY_STATIC		51	/* property cannot change now */
#define KERN_INSUFFICIENT_BUFFER_SIZE	52	/* caller's buffer too small */
#define KERN_DENIED			53	/* denied by security policy */
#define KERN_MISSING_KC			54	/* kernel collection missing */
#define KERN_INVALID_KC			55	/* kernel collection invalid */
#define KERN_NOT_FOUND			56	/* requested object not found */

#define KERN_RETURN_MAX			0x100	/* largest code in this range */

#endif /* _MACH_KERN_RETURN_H_ */
