/*
 * User entry points of every kernel trap.
 *
 * Each stub is a plain cdecl function: its arguments are already on the
 * stack where the kernel reads them (ESP+4 at the int instruction), EAX
 * carries the trap number in and the result out.  cdecl lets a callee
 * clobber EAX, ECX and EDX, so the stubs rely on the kernel for nothing
 * more than keeping EBX, ESI, EDI, EBP and ESP.
 */
#include <mach/syscall_sw.h>
#include <mach/mk_traps.h>

.macro	TRAP name, number
	.text
	.p2align 4
	.globl	\name
	.type	\name, @function
\name:
	movl	$\number, %eax
	int	$0x80
	ret
	.size	\name, . - \name
.endm

/*
 * The same through sysenter (arch/i386/trap_entry.S): ECX = ESP, so the
 * kernel finds the arguments where int $0x80 leaves them, EDX = where
 * SYSEXIT returns.  Used for the message traps, the hot path.
 */
.macro	FTRAP name, number
	.text
	.p2align 4
	.globl	\name
	.type	\name, @function
\name:
	movl	$\number, %eax
	movl	%esp, %ecx
	movl	$1f, %edx
	sysenter
1:	ret
	.size	\name, . - \name
.endm

/* XNU's Mach traps (<mach/mach_traps.h>). */
TRAP	mach_reply_port,		MACH_TRAP_MACH_REPLY_PORT
TRAP	thread_self_trap,		MACH_TRAP_THREAD_SELF
TRAP	task_self_trap,			MACH_TRAP_TASK_SELF
TRAP	host_self_trap,			MACH_TRAP_HOST_SELF
FTRAP	mach_msg_trap,			MACH_TRAP_MACH_MSG
FTRAP	mach_msg_overwrite_trap,	MACH_TRAP_MACH_MSG_OVERWRITE
TRAP	swtch_pri,			MACH_TRAP_SWTCH_PRI
TRAP	swtch,				MACH_TRAP_SWTCH
TRAP	thread_switch,			MACH_TRAP_THREAD_SWITCH

/* XNU's kernel-RPC traps (<mk/kernelrpc.h>). */
TRAP	_kernelrpc_mach_vm_allocate_trap,	MACH_TRAP_KERNELRPC_MACH_VM_ALLOCATE
TRAP	_kernelrpc_mach_vm_deallocate_trap,	MACH_TRAP_KERNELRPC_MACH_VM_DEALLOCATE
TRAP	_kernelrpc_mach_vm_protect_trap,	MACH_TRAP_KERNELRPC_MACH_VM_PROTECT
TRAP	_kernelrpc_mach_port_allocate_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE
TRAP	_kernelrpc_mach_port_destroy_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_DESTROY
TRAP	_kernelrpc_mach_port_deallocate_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_DEALLOCATE
TRAP	_kernelrpc_mach_port_mod_refs_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_MOD_REFS
TRAP	_kernelrpc_mach_port_move_member_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_MOVE_MEMBER
TRAP	_kernelrpc_mach_port_insert_right_trap,	MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_RIGHT
TRAP	_kernelrpc_mach_port_insert_member_trap, MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_MEMBER
TRAP	_kernelrpc_mach_port_extract_member_trap, MACH_TRAP_KERNELRPC_MACH_PORT_EXTRACT_MEMBER

/* This kernel's own traps (<mach/mk_traps.h>). */
TRAP	mk_debug_write,			MK_TRAP_DEBUG_WRITE
TRAP	mk_task_exit,			MK_TRAP_TASK_EXIT
TRAP	mk_thread_spawn,		MK_TRAP_THREAD_SPAWN
TRAP	mk_thread_exit,			MK_TRAP_THREAD_EXIT
TRAP	mk_thread_join,			MK_TRAP_THREAD_JOIN
TRAP	mk_spawn,			MK_TRAP_SPAWN
TRAP	mk_task_wait,			MK_TRAP_TASK_WAIT
TRAP	mk_task_kill,			MK_TRAP_TASK_KILL
TRAP	mk_info,			MK_TRAP_INFO
TRAP	mk_bootprog_name,		MK_TRAP_BOOTPROG_NAME
TRAP	mk_test_done,			MK_TRAP_TEST_DONE
TRAP	mk_hotpath,			MK_TRAP_HOTPATH
TRAP	mk_test_selected,		MK_TRAP_TEST_SELECTED

	.section .note.GNU-stack, "", @progbits
