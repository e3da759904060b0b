/*
 * Frame-pointer backtraces.
 */
#include <kern/backtrace.h>
#include <kern/ksyms.h>
#include <kern/printf.h>
#include <machine/param.h>

#define BT_MAX_FRAMES	32

/* print_symbol: addr as func+0xoff when the symbol table knows it. */
void print_symbol(uintptr_t addr)
{
	uint32_t off;
	const char *name = ksyms_lookup(addr, &off);
	if (name)
		printf("%08lx %s+%#x", (unsigned long)addr, name, off);
	else
		printf("%08lx ?", (unsigned long)addr);
}

/*
 * backtrace_print: walk saved-EBP links from ebp.  Stops at a NULL, a
 * misaligned or non-kernel frame pointer, a frame that does not move up
 * the stack, or after BT_MAX_FRAMES.  Safe to call from panic.
 */
void backtrace_print(uintptr_t eip, uintptr_t ebp)
{
	int n = 0;
	printf("backtrace:\n  #%d ", n++);
	print_symbol(eip);
	printf("\n");
	while (ebp != 0 && n < BT_MAX_FRAMES) {
		if ((ebp & 3) || ebp < KERNBASE || ebp >= DIRECTMAP_END - 8)
			break;
		const uintptr_t *frame = (const uintptr_t *)ebp;
		uintptr_t ret = frame[1];
		if (ret < KERNBASE)
			break;
		printf("  #%d ", n++);
		print_symbol(ret - 1);	/* inside the call instruction */
		printf("\n");
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
}
