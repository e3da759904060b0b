/*
 * testaux/exc_badtrap: make a trap with a number the kernel does not
 * implement (int $0x80, EAX = 0x7777) with no exception handler.
 * Expected end: terminated by the EXC_SYSCALL exception, reported as the
 * trap gate (0x80) at the EIP after the int.  If the trap simply
 * returned, it exits with status 42.
 */
int main(void)
{
	unsigned int eax = 0x7777;

	__asm__ volatile("int $0x80" : "+a"(eax) : : "ecx", "edx", "memory", "cc");
	return 42;
}
