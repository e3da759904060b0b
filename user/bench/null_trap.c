/*
 * null_trap: the cost of the cheapest Mach trap, a mach_msg_trap with
 * neither MACH_SEND_MSG nor MACH_RCV_MSG, which does nothing and returns
 * MACH_MSG_SUCCESS.  Reports guest instructions per call, loop included.
 *
 * The seven argument words of mach_msg_trap(NULL, MACH_MSG_OPTION_NONE,
 * 0, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) are all
 * zero and neither the stub nor the kernel writes them, so the loop lays
 * them out once and then only calls the stub: per iteration the user side
 * runs the call, the three-instruction stub, and three instructions of
 * result check and loop control.  Everything else is the kernel's.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/bench.h>

#define WARMUP	1000
#define N	100000

/*
 * Make n null mach_msg_trap calls.  Returns the OR of their results, so
 * MACH_MSG_SUCCESS if and only if every call returned it.
 */
static mach_msg_return_t null_msgs(unsigned int n)
{
	mach_msg_return_t all = MACH_MSG_SUCCESS;

	__asm__ volatile(
		"subl	$28, %%esp\n\t"		/* seven zero argument words */
		"movl	$0, 0(%%esp)\n\t"
		"movl	$0, 4(%%esp)\n\t"
		"movl	$0, 8(%%esp)\n\t"
		"movl	$0, 12(%%esp)\n\t"
		"movl	$0, 16(%%esp)\n\t"
		"movl	$0, 20(%%esp)\n\t"
		"movl	$0, 24(%%esp)\n"
		"1:\n\t"
		"call	mach_msg_trap\n\t"
		"orl	%%eax, %[all]\n\t"
		"decl	%[n]\n\t"
		"jnz	1b\n\t"
		"addl	$28, %%esp"
		: [all] "+b"(all), [n] "+S"(n)
		:
		: "eax", "ecx", "edx", "memory", "cc");
	return all;
}

/*
 * The same null call through the int $0x80 gate, which always builds the
 * full trap frame and dispatches through the C trap table: the cost of
 * the general trap path (reported as null_trap_int80; through sysenter a
 * null mach_msg is answered by the first test of the assembly hot path,
 * see arch/i386/msg_fast.S).
 */
static mach_msg_return_t null_msgs_int80(unsigned int n)
{
	mach_msg_return_t all = MACH_MSG_SUCCESS;

	__asm__ volatile(
		"subl	$28, %%esp\n\t"
		"movl	$0, 0(%%esp)\n\t"
		"movl	$0, 4(%%esp)\n\t"
		"movl	$0, 8(%%esp)\n\t"
		"movl	$0, 12(%%esp)\n\t"
		"movl	$0, 16(%%esp)\n\t"
		"movl	$0, 20(%%esp)\n\t"
		"movl	$0, 24(%%esp)\n"
		"1:\n\t"
		"call	2f\n\t"
		"orl	%%eax, %[all]\n\t"
		"decl	%[n]\n\t"
		"jnz	1b\n\t"
		"jmp	3f\n"
		"2:\n\t"
		"movl	$31, %%eax\n\t"		/* MACH_TRAP_MACH_MSG */
		"int	$0x80\n\t"
		"ret\n"
		"3:\n\t"
		"addl	$28, %%esp"
		: [all] "+b"(all), [n] "+S"(n)
		:
		: "eax", "ecx", "edx", "memory", "cc");
	return all;
}

int main(void)
{
	mach_msg_return_t mr = null_msgs(WARMUP);

	if (mr != MACH_MSG_SUCCESS) {
		printf("null_trap: mach_msg_trap returned 0x%x, not "
		    "MACH_MSG_SUCCESS\n", mr);
		return 1;
	}
	uint64_t t0 = mk_rdtsc();
	mr = null_msgs(N);
	uint64_t t1 = mk_rdtsc();
	if (mr != MACH_MSG_SUCCESS) {
		printf("null_trap: mach_msg_trap returned 0x%x during the "
		    "run\n", mr);
		return 1;
	}
	bench_report("null_trap", t1 - t0, N);

	t0 = mk_rdtsc();
	mr = null_msgs_int80(N);
	t1 = mk_rdtsc();
	if (mr != MACH_MSG_SUCCESS) {
		printf("null_trap_int80: mach_msg_trap returned 0x%x\n", mr);
		return 1;
	}
	bench_report("null_trap_int80", t1 - t0, N);
	return 0;
}
