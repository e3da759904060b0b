/*
 * User side of L4-style long IPC (<mach/mk_long_ipc.h>): the trap stub
 * and three conveniences.
 *
 * The stub is plain assembly like those in traps.S: its cdecl arguments
 * are already where the kernel reads them (ESP + 4 at the int), and the
 * trap number comes from <mach/mk_traps.h>.
 */
#include <stddef.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>

#define LIPC_STR_(x)	#x
#define LIPC_STR(x)	LIPC_STR_(x)

__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"	.globl	mk_long_ipc\n"
	"	.type	mk_long_ipc, @function\n"
	"mk_long_ipc:\n"
	"	movl	$" LIPC_STR(MK_TRAP_LONG_IPC) ", %eax\n"
	"	int	$0x80\n"
	"	ret\n"
	"	.size	mk_long_ipc, . - mk_long_ipc\n");

/* mk_lipc_send: see <mach/mk_long_ipc.h>. */
mach_msg_return_t mk_lipc_send(mach_port_name_t dest, const mk_lipc_msg_t *snd,
			       uint32_t option_extra, uint32_t timeout_ms)
{
	return mk_long_ipc(MK_LIPC_SEND | option_extra, dest, snd, MACH_PORT_NULL,
			   NULL, timeout_ms);
}

/* mk_lipc_receive: see <mach/mk_long_ipc.h>. */
mach_msg_return_t mk_lipc_receive(mach_port_name_t rcv_name, mk_lipc_msg_t *rcv,
				  uint32_t option_extra, uint32_t timeout_ms)
{
	return mk_long_ipc(MK_LIPC_RCV | option_extra, MACH_PORT_NULL, NULL,
			   rcv_name, rcv, timeout_ms);
}

/* mk_lipc_call: see <mach/mk_long_ipc.h>. */
mach_msg_return_t mk_lipc_call(mach_port_name_t dest, const mk_lipc_msg_t *snd,
			       mach_port_name_t rcv_name, mk_lipc_msg_t *rcv,
			       uint32_t option_extra, uint32_t timeout_ms)
{
	return mk_long_ipc(MK_LIPC_SEND | MK_LIPC_RCV | option_extra, dest, snd,
			   rcv_name, rcv, timeout_ms);
}

/* mk_lipc_get_stats: see <mach/mk_long_ipc.h>. */
kern_return_t mk_lipc_get_stats(struct mk_lipc_stats *st)
{
	return mk_long_ipc(MK_LIPC_STATS, MACH_PORT_NULL, (const mk_lipc_msg_t *)st,
			   MACH_PORT_NULL, NULL, 0);
}
