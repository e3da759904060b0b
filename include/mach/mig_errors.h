/*
 * mach/mig_errors.h - errors of MIG-generated stubs and the generic error
 * reply (XNU osfmk/mach/mig_errors.h).
 *
 * The codes are negative for compatibility with old MIG clients, not in the
 * system/subsystem error space.
 */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MIG_TYPE_ERROR		-300	/* client: reply failed type check */
#define MIG_REPLY_MISMATCH	-301	/* client: wrong reply msgh_id */
#define MIG_REMOTE_ERROR	-302	/* server detected an error */
#define MIG_BAD_ID		-303	/* server: unknown request msgh_id */
#define MIG_BAD_ARGUMENTS	-304	/* server: request failed type check */
#define MIG_NO_REPLY		-305	/* server: send no reply */
#define MIG_EXCEPTION		-306	/* server raised an exception */
#define MIG_ARRAY_TOO_LARGE	-307	/* client: array exceeds its buffer */
#define MIG_SERVER_DIED		-308	/* reply port died: server gone */
#define MIG_TRAILER_ERROR	-309	/* trailer of unknown format */

/*
 * The reply a server sends whenever it fails a request; clients must
 * accept it in place of the expected reply.  msgh_id is request id + 100.
 */
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
} mig_reply_error_t;
#pragma pack(pop)

#if __SIZEOF_POINTER__ == 4 || !defined(KERNEL)
_Static_assert(sizeof(mig_reply_error_t) == 36, "MIG error reply");
_Static_assert(__builtin_offsetof(mig_reply_error_t, RetCode) == 32,
    "RetCode follows header and NDR");
#endif

#endif /* _MACH_MIG_ERRORS_H_ */
