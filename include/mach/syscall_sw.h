/*
 * mach/syscall_sw.h - Mach trap numbers of this kernel.
 *
 * XNU numbers its Mach traps negatively (osfmk/mach/syscall_sw.h,
 * kern/syscall_sw.c); this kernel uses the same numbers, positive.  How a
 * trap is entered and how arguments are passed is this kernel's own choice
 * and is documented with the trap entry code, not here.
 *
 *   number  trap                      arguments
 *   10      _kernelrpc_mach_vm_allocate_trap
 *                                     target, vm_address_t *addr,
 *                                     vm_size_t size, int flags
 *   12      _kernelrpc_mach_vm_deallocate_trap
 *                                     target, vm_address_t address,
 *                                     vm_size_t size
 *   14      _kernelrpc_mach_vm_protect_trap
 *                                     target, vm_address_t address,
 *                                     vm_size_t size,
 *                                     boolean_t set_maximum,
 *                                     vm_prot_t new_protection
 *   16      _kernelrpc_mach_port_allocate_trap
 *                                     target, mach_port_right_t right,
 *                                     mach_port_name_t *name
 *   17      _kernelrpc_mach_port_destroy_trap
 *                                     target, name
 *   18      _kernelrpc_mach_port_deallocate_trap
 *                                     target, name
 *   19      _kernelrpc_mach_port_mod_refs_trap
 *                                     target, name, mach_port_right_t right,
 *                                     mach_port_delta_t delta
 *   20      _kernelrpc_mach_port_move_member_trap
 *                                     target, member, after
 *   21      _kernelrpc_mach_port_insert_right_trap
 *                                     target, name, poly,
 *                                     mach_msg_type_name_t polyPoly
 *   22      _kernelrpc_mach_port_insert_member_trap
 *                                     target, name, pset
 *   23      _kernelrpc_mach_port_extract_member_trap
 *                                     target, name, pset
 *   26      mach_reply_port           -
 *   27      thread_self_trap          -
 *   28      task_self_trap            -
 *   29      host_self_trap            -
 *   31      mach_msg_trap             msg, option, send_size, rcv_size,
 *                                     rcv_name, timeout, notify
 *   32      mach_msg_overwrite_trap   as mach_msg_trap, then rcv_msg,
 *                                     rcv_limit
 *   59      swtch_pri                 pri
 *   60      swtch                     -
 *   61      thread_switch             thread_name, option, option_time
 *
 * The _kernelrpc traps are XNU's fast forms of the mach_port and vm_map
 * RPCs of the same names (osfmk/kern/syscall_sw.c, osfmk/mach/mach_traps.h;
 * 11, 13 and 15 are not implemented here).  target, name, member, after,
 * poly and pset are mach_port_name_t; every result is a kern_return_t.
 * One difference from XNU: XNU passes the vm traps' addresses and sizes
 * as 64-bit mach_vm_* values even for 32-bit callers; this kernel has
 * only the i386 ABI and passes them as vm_address_t / vm_size_t, one
 * 32-bit word each (so every argument of every trap is one word).  When
 * target does not name a task (space), a trap answers
 * MACH_SEND_INVALID_DEST and the library falls back to the MIG RPC, as
 * libsyscall does.
 *
 * Traps of this kernel only, outside XNU's range (XNU stops below 128),
 * start at 0x1000 and are listed in <mach/mk_traps.h>.
 *
 * Any other number raises EXC_SYSCALL as XNU does (see
 * <mach/i386/exception.h>); it is not an error return.
 */
#ifndef _MACH_SYSCALL_SW_H_
#define _MACH_SYSCALL_SW_H_

#define MACH_TRAP_KERNELRPC_MACH_VM_ALLOCATE		10
#define MACH_TRAP_KERNELRPC_MACH_VM_DEALLOCATE		12
#define MACH_TRAP_KERNELRPC_MACH_VM_PROTECT		14
#define MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE		16
#define MACH_TRAP_KERNELRPC_MACH_PORT_DESTROY		17
#define MACH_TRAP_KERNELRPC_MACH_PORT_DEALLOCATE	18
#define MACH_TRAP_KERNELRPC_MACH_PORT_MOD_REFS		19
#define MACH_TRAP_KERNELRPC_MACH_PORT_MOVE_MEMBER	20
#define MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_RIGHT	21
#define MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_MEMBER	22
#define MACH_TRAP_KERNELRPC_MACH_PORT_EXTRACT_MEMBER	23

#define MACH_TRAP_MACH_REPLY_PORT		26
#define MACH_TRAP_THREAD_SELF			27
#define MACH_TRAP_TASK_SELF			28
#define MACH_TRAP_HOST_SELF			29
#define MACH_TRAP_MACH_MSG			31
#define MACH_TRAP_MACH_MSG_OVERWRITE		32
#define MACH_TRAP_SWTCH_PRI			59
#define MACH_TRAP_SWTCH				60
#define MACH_TRAP_THREAD_SWITCH			61

/* One past the highest XNU-numbered trap this kernel may implement. */
#define MACH_TRAP_XNU_LIMIT			128

/* This kernel's own traps (0x1000 and up) are in <mach/mk_traps.h>. */

#endif /* _MACH_SYSCALL_SW_H_ */
