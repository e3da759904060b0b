/*
 * mach/policy.h - scheduling policy identifiers (XNU osfmk/mach/policy.h).
 * Only the identifiers are provided; info structures are not.
 */
#ifndef _MACH_POLICY_H_
#define _MACH_POLICY_H_

typedef int	policy_t;

#define POLICY_NULL		0	/* none */
#define POLICY_TIMESHARE	1	/* timesharing */
#define POLICY_RR		2	/* fixed-priority round robin */
#define POLICY_FIFO		4	/* fixed-priority FIFO */

#endif /* _MACH_POLICY_H_ */
