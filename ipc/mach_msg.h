/*
 * The message traps.
 */
#ifndef _IPC_MACH_MSG_H_
#define _IPC_MACH_MSG_H_

#include <kern/types.h>
#include <mach/message.h>

/* Arguments of mach_msg_overwrite_trap as they sit on the user stack. */
struct mach_msg_overwrite_trap_args {
	uint32_t msg;
	uint32_t option;
	uint32_t send_size;
	uint32_t rcv_size;
	uint32_t rcv_name;
	uint32_t timeout;
	uint32_t notify;
	uint32_t rcv_msg;
	uint32_t scatter_list_size;
};
_Static_assert(sizeof(struct mach_msg_overwrite_trap_args) == 36, "nine cdecl words");

mach_msg_return_t mach_msg_overwrite_trap(struct mach_msg_overwrite_trap_args *a);
/* mach_msg_trap: the same without rcv_msg / scatter list (7 words). */
mach_msg_return_t mach_msg_trap(struct mach_msg_overwrite_trap_args *a);

mach_msg_return_t mach_msg_send(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_timeout_t timeout,
				mach_port_name_t notify);
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				   mach_msg_timeout_t timeout, mach_port_name_t notify,
				   mach_msg_size_t slist_size);

/*
 * Set by the nohotpath boot option and mk_hotpath; read by the hot path
 * (ipc/mach_msg_fast.c).  Whoever changes it calls mach_msg_asm_update().
 */
extern bool enable_hotpath;
/*
 * mach_msg_asm_enabled: may arch/i386/msg_fast.S take a message?  The hot
 * path is on, no context switch is traced (TRACE_SCHED) and no thread has
 * long-IPC state (the switch hook): one test for the assembly instead of
 * three.  mach_msg_asm_update() recomputes it; it is called wherever
 * enable_hotpath, trace_mask or sched_switch_hook_threads change.
 */
extern bool mach_msg_asm_enabled;
void mach_msg_asm_update(void);

#endif
