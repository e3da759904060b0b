/*
 * The trap table and the Mach trap gate's dispatcher.
 *
 * Entry (int $0x80): EAX holds the trap number; the arguments are the
 * caller's cdecl arguments, starting at the user ESP + 4.  The result goes
 * back in EAX.  XNU's Mach trap numbers are used as positive numbers
 * (<mach/syscall_sw.h>); this kernel's own traps start at 0x1000
 * (<mach/mk_traps.h>).  An unknown number raises EXC_SYSCALL with the
 * number in code[0] and 1 in code[1], as XNU does.
 */
#include <ipc/ipc_traps.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_msg_fast.h>
#include <kern/exception.h>
#include <kern/long_ipc.h>
#include <kern/fault_inject.h>
#include <kern/mk_trap.h>
#include <kern/syscall_subr.h>
#include <kern/trap_mi.h>
#include <mach/kern_return.h>
#include <mach/mk_traps.h>
#include <mach/syscall_sw.h>
#include <machine/copyio.h>
#include <machine/trap.h>

#define MAX_TRAP_ARGS	9

typedef uint32_t (*trap_fn_t)(const uint32_t *a);

struct mach_trap {
	uint8_t nargs;
	trap_fn_t fn;
	const char *name;
};

#define A(i)	(a[i])

static uint32_t t_mach_reply_port(const uint32_t *a __unused) { return mach_reply_port_trap(); }
static uint32_t t_thread_self(const uint32_t *a __unused) { return thread_self_trap(); }
static uint32_t t_task_self(const uint32_t *a __unused) { return task_self_trap(); }
static uint32_t t_host_self(const uint32_t *a __unused) { return host_self_trap(); }
static uint32_t t_mach_msg(const uint32_t *a)
{
	struct mach_msg_overwrite_trap_args args;
	__builtin_memcpy(&args, a, 7 * sizeof(uint32_t));
	return mach_msg_trap(&args);
}
static uint32_t t_mach_msg_overwrite(const uint32_t *a)
{
	struct mach_msg_overwrite_trap_args args;
	__builtin_memcpy(&args, a, sizeof(args));
	return mach_msg_overwrite_trap(&args);
}
static uint32_t t_swtch_pri(const uint32_t *a) { return swtch_pri((int)A(0)); }
static uint32_t t_swtch(const uint32_t *a __unused) { return swtch(); }
static uint32_t t_thread_switch(const uint32_t *a) { return thread_switch(A(0), (int)A(1), A(2)); }
static uint32_t t_vm_allocate(const uint32_t *a)
{ return kernelrpc_vm_allocate_trap(A(0), (vm_address_t *)A(1), A(2), (int)A(3)); }
static uint32_t t_vm_deallocate(const uint32_t *a)
{ return kernelrpc_vm_deallocate_trap(A(0), A(1), A(2)); }
static uint32_t t_vm_protect(const uint32_t *a)
{ return kernelrpc_vm_protect_trap(A(0), A(1), A(2), (boolean_t)A(3), (vm_prot_t)A(4)); }
static uint32_t t_port_allocate(const uint32_t *a)
{ return kernelrpc_port_allocate_trap(A(0), A(1), (mach_port_name_t *)A(2)); }
static uint32_t t_port_destroy(const uint32_t *a) { return kernelrpc_port_destroy_trap(A(0), A(1)); }
static uint32_t t_port_deallocate(const uint32_t *a) { return kernelrpc_port_deallocate_trap(A(0), A(1)); }
static uint32_t t_port_mod_refs(const uint32_t *a)
{ return kernelrpc_port_mod_refs_trap(A(0), A(1), A(2), (mach_port_delta_t)A(3)); }
static uint32_t t_port_move_member(const uint32_t *a)
{ return kernelrpc_port_move_member_trap(A(0), A(1), A(2)); }
static uint32_t t_port_insert_right(const uint32_t *a)
{ return kernelrpc_port_insert_right_trap(A(0), A(1), A(2), A(3)); }
static uint32_t t_port_insert_member(const uint32_t *a)
{ return kernelrpc_port_insert_member_trap(A(0), A(1), A(2)); }
static uint32_t t_port_extract_member(const uint32_t *a)
{ return kernelrpc_port_extract_member_trap(A(0), A(1), A(2)); }

static const struct mach_trap mach_traps[MACH_TRAP_XNU_LIMIT] = {
	[MACH_TRAP_KERNELRPC_MACH_VM_ALLOCATE] = { 4, t_vm_allocate, "_kernelrpc_mach_vm_allocate_trap" },
	[MACH_TRAP_KERNELRPC_MACH_VM_DEALLOCATE] = { 3, t_vm_deallocate, "_kernelrpc_mach_vm_deallocate_trap" },
	[MACH_TRAP_KERNELRPC_MACH_VM_PROTECT] = { 5, t_vm_protect, "_kernelrpc_mach_vm_protect_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_ALLOCATE] = { 3, t_port_allocate, "_kernelrpc_mach_port_allocate_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_DESTROY] = { 2, t_port_destroy, "_kernelrpc_mach_port_destroy_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_DEALLOCATE] = { 2, t_port_deallocate, "_kernelrpc_mach_port_deallocate_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_MOD_REFS] = { 4, t_port_mod_refs, "_kernelrpc_mach_port_mod_refs_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_MOVE_MEMBER] = { 3, t_port_move_member, "_kernelrpc_mach_port_move_member_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_RIGHT] = { 4, t_port_insert_right, "_kernelrpc_mach_port_insert_right_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_INSERT_MEMBER] = { 3, t_port_insert_member, "_kernelrpc_mach_port_insert_member_trap" },
	[MACH_TRAP_KERNELRPC_MACH_PORT_EXTRACT_MEMBER] = { 3, t_port_extract_member, "_kernelrpc_mach_port_extract_member_trap" },
	[MACH_TRAP_MACH_REPLY_PORT] = { 0, t_mach_reply_port, "mach_reply_port" },
	[MACH_TRAP_THREAD_SELF] = { 0, t_thread_self, "thread_self_trap" },
	[MACH_TRAP_TASK_SELF] = { 0, t_task_self, "task_self_trap" },
	[MACH_TRAP_HOST_SELF] = { 0, t_host_self, "host_self_trap" },
	[MACH_TRAP_MACH_MSG] = { 7, t_mach_msg, "mach_msg_trap" },
	[MACH_TRAP_MACH_MSG_OVERWRITE] = { 9, t_mach_msg_overwrite, "mach_msg_overwrite_trap" },
	[MACH_TRAP_SWTCH_PRI] = { 1, t_swtch_pri, "swtch_pri" },
	[MACH_TRAP_SWTCH] = { 0, t_swtch, "swtch" },
	[MACH_TRAP_THREAD_SWITCH] = { 3, t_thread_switch, "thread_switch" },
};

static uint32_t m_debug_write(const uint32_t *a) { return mk_debug_write_trap(A(0), A(1)); }
static uint32_t m_task_exit(const uint32_t *a) { return mk_task_exit_trap((int)A(0)); }
static uint32_t m_thread_spawn(const uint32_t *a) { return (uint32_t)mk_thread_spawn_trap(A(0), A(1), A(2)); }
static uint32_t m_thread_exit(const uint32_t *a __unused) { return mk_thread_exit_trap(); }
static uint32_t m_thread_join(const uint32_t *a) { return mk_thread_join_trap((int)A(0), A(1)); }
static uint32_t m_spawn(const uint32_t *a) { return (uint32_t)mk_spawn_trap(A(0)); }
static uint32_t m_task_wait(const uint32_t *a) { return mk_task_wait_trap((int)A(0), A(1), A(2)); }
static uint32_t m_task_kill(const uint32_t *a) { return mk_task_kill_trap((int)A(0)); }
static uint32_t m_info(const uint32_t *a) { return mk_info_trap((int)A(0)); }
static uint32_t m_bootprog_name(const uint32_t *a) { return mk_bootprog_name_trap(A(0), A(1), A(2)); }
static uint32_t m_test_done(const uint32_t *a) { return mk_test_done_trap((int)A(0)); }
static uint32_t m_hotpath(const uint32_t *a) { return (uint32_t)mk_hotpath_trap((int)A(0)); }
static uint32_t m_long_ipc(const uint32_t *a) { return mk_long_ipc_trap(a); }
static uint32_t m_test_selected(const uint32_t *a) { return (uint32_t)mk_test_selected_trap(A(0)); }
static uint32_t m_audit(const uint32_t *a) { return (uint32_t)mk_audit_trap(A(0), A(1), A(2), A(3)); }
static uint32_t m_fault_inject(const uint32_t *a) { return (uint32_t)mk_fault_inject_trap(A(0), A(1), A(2)); }

static const struct mach_trap mk_traps[MK_TRAP_LONG_IPC - MK_TRAP_FIRST + 1] = {
	[MK_TRAP_DEBUG_WRITE - MK_TRAP_FIRST] = { 2, m_debug_write, "mk_debug_write" },
	[MK_TRAP_TASK_EXIT - MK_TRAP_FIRST] = { 1, m_task_exit, "mk_task_exit" },
	[MK_TRAP_THREAD_SPAWN - MK_TRAP_FIRST] = { 3, m_thread_spawn, "mk_thread_spawn" },
	[MK_TRAP_THREAD_EXIT - MK_TRAP_FIRST] = { 0, m_thread_exit, "mk_thread_exit" },
	[MK_TRAP_THREAD_JOIN - MK_TRAP_FIRST] = { 2, m_thread_join, "mk_thread_join" },
	[MK_TRAP_SPAWN - MK_TRAP_FIRST] = { 1, m_spawn, "mk_spawn" },
	[MK_TRAP_TASK_WAIT - MK_TRAP_FIRST] = { 3, m_task_wait, "mk_task_wait" },
	[MK_TRAP_TASK_KILL - MK_TRAP_FIRST] = { 1, m_task_kill, "mk_task_kill" },
	[MK_TRAP_INFO - MK_TRAP_FIRST] = { 1, m_info, "mk_info" },
	[MK_TRAP_BOOTPROG_NAME - MK_TRAP_FIRST] = { 3, m_bootprog_name, "mk_bootprog_name" },
	[MK_TRAP_TEST_DONE - MK_TRAP_FIRST] = { 1, m_test_done, "mk_test_done" },
	[MK_TRAP_HOTPATH - MK_TRAP_FIRST] = { 1, m_hotpath, "mk_hotpath" },
	[MK_TRAP_TEST_SELECTED - MK_TRAP_FIRST] = { 1, m_test_selected, "mk_test_selected" },
	[MK_TRAP_LONG_IPC - MK_TRAP_FIRST] = { MK_LONG_IPC_NARGS, m_long_ipc, "mk_long_ipc" },
	[MK_TRAP_AUDIT - MK_TRAP_FIRST] = { 4, m_audit, "mk_audit" },
	[MK_TRAP_FAULT_INJECT - MK_TRAP_FIRST] = { 3, m_fault_inject, "mk_fault_inject" },
};

/*
 * mach_trap_dispatch: called from trap_vec_mach with the user's trap
 * frame.  Copies the arguments in, calls the trap, stores its result.
 * Interrupts off; the trap may block.
 */
void mach_trap_dispatch(struct trapframe *tf)
{
	uint32_t n = tf->eax;
	const struct mach_trap *t = NULL;

	/* the message traps first (sysenter_entry calls this directly) */
	if (n == MACH_TRAP_MACH_MSG_OVERWRITE || n == MACH_TRAP_MACH_MSG) {
		mach_msg_trap_frame(tf);
		return;
	}
	if (n < MACH_TRAP_XNU_LIMIT && mach_traps[n].fn)
		t = &mach_traps[n];
	else if (n - MK_TRAP_FIRST < ARRAY_SIZE(mk_traps) && mk_traps[n - MK_TRAP_FIRST].fn)
		t = &mk_traps[n - MK_TRAP_FIRST];
	if (t == NULL) {
		integer_t code[2] = { (integer_t)n, 1 };
		exception_triage(EXC_SYSCALL, code, 2);
		return;
	}
	uint32_t args[MAX_TRAP_ARGS];
	if (t->nargs && copyin((const void *)(tf->uesp + 4), args, t->nargs * sizeof(uint32_t))) {
		tf->eax = KERN_INVALID_ADDRESS;
		return;
	}
	tf->eax = t->fn(args);
}
