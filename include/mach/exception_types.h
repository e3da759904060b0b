/*
 * mach/exception_types.h - machine-independent exception types, masks and
 * behaviors (XNU osfmk/mach/exception_types.h).  The i386 codes are in
 * <mach/i386/exception.h>, included here.
 */
#ifndef _MACH_EXCEPTION_TYPES_H_
#define _MACH_EXCEPTION_TYPES_H_

#include <mach/i386/exception.h>

#define EXC_BAD_ACCESS		1	/* code: kern_return_t, subcode: address */
#define EXC_BAD_INSTRUCTION	2	/* illegal or undefined instruction */
#define EXC_ARITHMETIC		3	/* code says which */
#define EXC_EMULATION		4	/* emulation instruction */
#define EXC_SOFTWARE		5	/* software generated; code says which */
#define EXC_BREAKPOINT		6	/* trace, breakpoint */
#define EXC_SYSCALL		7	/* system call (unknown trap number) */
#define EXC_MACH_SYSCALL	8	/* Mach system call */
#define EXC_RPC_ALERT		9	/* RPC alert */
#define EXC_CRASH		10	/* abnormal process exit */
#define EXC_RESOURCE		11	/* resource limit hit */
#define EXC_GUARD		12	/* guarded resource violated */
#define EXC_CORPSE_NOTIFY	13	/* process exited to corpse state */

#define FIRST_EXCEPTION		1	/* 0 is illegal */
/* Not in XNU (which has only EXC_TYPES_COUNT): the last valid type. */
#define LAST_EXCEPTION		(EXC_TYPES_COUNT - 1)

/* EXC_SOFTWARE codes reserved by XNU. */
#define EXC_SOFT_SIGNAL		0x10003	/* Unix signal */

/*
 * Behaviors: which message the kernel sends to the handler.  The flag
 * MACH_EXCEPTION_CODES asks for 64-bit codes (mach_exception_raise*).
 */
#define EXCEPTION_DEFAULT		1	/* exception_raise: identity */
#define EXCEPTION_STATE			2	/* exception_raise_state: state */
#define EXCEPTION_STATE_IDENTITY	3	/* both */
#define MACH_EXCEPTION_CODES		0x80000000	/* 64-bit codes */

/* Bit n selects exception type n; bit 0 is unused. */
#define EXC_MASK_BAD_ACCESS		(1 << EXC_BAD_ACCESS)
#define EXC_MASK_BAD_INSTRUCTION	(1 << EXC_BAD_INSTRUCTION)
#define EXC_MASK_ARITHMETIC		(1 << EXC_ARITHMETIC)
#define EXC_MASK_EMULATION		(1 << EXC_EMULATION)
#define EXC_MASK_SOFTWARE		(1 << EXC_SOFTWARE)
#define EXC_MASK_BREAKPOINT		(1 << EXC_BREAKPOINT)
#define EXC_MASK_SYSCALL		(1 << EXC_SYSCALL)
#define EXC_MASK_MACH_SYSCALL		(1 << EXC_MACH_SYSCALL)
#define EXC_MASK_RPC_ALERT		(1 << EXC_RPC_ALERT)
#define EXC_MASK_CRASH			(1 << EXC_CRASH)
#define EXC_MASK_RESOURCE		(1 << EXC_RESOURCE)
#define EXC_MASK_GUARD			(1 << EXC_GUARD)
#define EXC_MASK_CORPSE_NOTIFY		(1 << EXC_CORPSE_NOTIFY)

/* As in XNU, EXC_MASK_ALL leaves out EXC_CRASH and EXC_CORPSE_NOTIFY. */
#define EXC_MASK_ALL	(EXC_MASK_BAD_ACCESS |		\
			 EXC_MASK_BAD_INSTRUCTION |	\
			 EXC_MASK_ARITHMETIC |		\
			 EXC_MASK_EMULATION |		\
			 EXC_MASK_SOFTWARE |		\
			 EXC_MASK_BREAKPOINT |		\
			 EXC_MASK_SYSCALL |		\
			 EXC_MASK_MACH_SYSCALL |	\
			 EXC_MASK_RPC_ALERT |		\
			 EXC_MASK_RESOURCE |		\
			 EXC_MASK_GUARD |		\
			 EXC_MASK_MACHINE)

#ifndef __ASSEMBLER__

#include <mach/machine/types.h>
#include <mach/port.h>
#include <mach/mach_types.h>
#include <mach/thread_status.h>

typedef int				exception_type_t;
typedef integer_t			exception_data_type_t;
typedef int64_t				mach_exception_data_type_t;
typedef int				exception_behavior_t;
typedef exception_data_type_t		*exception_data_t;
typedef mach_exception_data_type_t	*mach_exception_data_t;
typedef unsigned int			exception_mask_t;
typedef exception_mask_t		*exception_mask_array_t;
typedef exception_behavior_t		*exception_behavior_array_t;
typedef thread_state_flavor_t		*exception_flavor_array_t;
typedef mach_port_t			*exception_port_array_t;
typedef mach_exception_data_type_t	mach_exception_code_t;
typedef mach_exception_data_type_t	mach_exception_subcode_t;

#endif /* !__ASSEMBLER__ */

#endif /* _MACH_EXCEPTION_TYPES_H_ */
