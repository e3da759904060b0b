/*
 * faults: user faults end the faulting task, and only that task.
 *
 * Spawns each testaux program below, each of which prints a line and
 * then does one forbidden thing, and checks how it ended
 * (mk_task_wait's struct mk_exit_info): killed by a fault with the
 * expected trap number, and for page faults at the address it touched;
 * for other faults the reported address is the EIP, which must lie in the
 * program's text.  A child that does not fault exits with a status
 * instead, which fails the check.  After each child this task checks that
 * it still runs normally: its memory is intact and traps still work.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>

#define T_UD		6	/* invalid opcode */
#define T_GP		13	/* general protection */
#define T_PF		14	/* page fault */

#define TEXT_START	0x08048000u
#define TEXT_END	0x08148000u	/* generous: 1 MiB of text */
#define ANY_TEXT	0		/* addr: somewhere in the text */
#define WAIT_S		30

static const struct {
	const char	*name;
	int		trap;
	unsigned int	addr;		/* fault address, or ANY_TEXT */
} cases[] = {
	{ "testaux/touch_unmapped",	T_PF,	0x30000000u },
	{ "testaux/read_kernel",	T_PF,	0xc0100000u },
	{ "testaux/write_readonly",	T_PF,	0x31000000u },
	{ "testaux/write_text",		T_PF,	ANY_TEXT },
	{ "testaux/touch_deallocated",	T_PF,	0x32000000u },
	{ "testaux/priv_cli",		T_GP,	ANY_TEXT },
	{ "testaux/priv_hlt",		T_GP,	ANY_TEXT },
	{ "testaux/priv_in",		T_GP,	ANY_TEXT },
	{ "testaux/priv_out",		T_GP,	ANY_TEXT },
	{ "testaux/undefined_insn",	T_UD,	ANY_TEXT },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static const char *how_name(int how)
{
	switch (how) {
	case MK_EXIT_STATUS:	return "exit";
	case MK_EXIT_FAULT:	return "fault";
	case MK_EXIT_KILLED:	return "killed";
	default:		return "?";
	}
}

int main(void)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	unsigned char canary[256];

	for (unsigned int i = 0; i < sizeof(canary); i++)
		canary[i] = (unsigned char)(i ^ 0xa5);

	for (unsigned int i = 0; i < NCASES; i++) {
		const char *name = cases[i].name;
		struct mk_exit_info info = { 0, 0, 0 };

		int task = mk_spawn(name);
		if (!tap_ok(task > 0, "%s: spawned (%d)", name, task))
			continue;
		kern_return_t kr = mk_task_wait(task, WAIT_S * hz, &info);
		if (kr == KERN_OPERATION_TIMED_OUT) {
			(void)mk_task_kill(task);
			(void)mk_task_wait(task, WAIT_S * hz, &info);
		}
		if (!tap_ok(kr == KERN_SUCCESS, "%s: waited (kr %d)", name, kr))
			continue;
		tap_ok(info.how == MK_EXIT_FAULT && info.code == cases[i].trap,
		    "%s: ended by trap %d (%s, code %d)", name, cases[i].trap,
		    how_name(info.how), info.code);
		if (cases[i].addr != ANY_TEXT)
			tap_ok(info.addr == cases[i].addr,
			    "%s: fault address 0x%08x (got 0x%08x)", name,
			    cases[i].addr, info.addr);
		else
			tap_ok(info.addr >= TEXT_START && info.addr < TEXT_END,
			    "%s: fault address 0x%08x is in the text", name,
			    info.addr);

		int intact = 1;
		for (unsigned int j = 0; j < sizeof(canary); j++)
			if (canary[j] != (unsigned char)(j ^ 0xa5))
				intact = 0;
		tap_ok(intact && mk_info(MK_INFO_HZ) == hz,
		    "%s: this task runs on after the child died", name);
	}
	return tap_done();
}
