/*
 * Numbers of this kernel's own traps, for traps.S.
 *
 * <mach/mk_traps.h> is the authority but declares C structures, so the
 * assembler cannot include it.  mk_trapnum_check.c includes both headers:
 * any number that differs here is a macro redefinition and fails the build.
 */
#ifndef _LIBMK_MK_TRAPNUM_H_
#define _LIBMK_MK_TRAPNUM_H_

#define MK_TRAP_DEBUG_WRITE_	0x1000
#define MK_TRAP_TASK_EXIT	0x1001
#define MK_TRAP_THREAD_SPAWN	0x1002
#define MK_TRAP_THREAD_EXIT	0x1003
#define MK_TRAP_THREAD_JOIN	0x1004
#define MK_TRAP_SPAWN		0x1005
#define MK_TRAP_TASK_WAIT	0x1006
#define MK_TRAP_TASK_KILL	0x1007
#define MK_TRAP_INFO		0x1008
#define MK_TRAP_BOOTPROG_NAME	0x1009
#define MK_TRAP_TEST_DONE	0x100a

#endif
