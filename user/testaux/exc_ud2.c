/*
 * testaux/exc_ud2: execute ud2 with whatever exception ports it
 * inherited from its spawner.  Expected end: terminated by the invalid
 * opcode fault (trap 6).  If an exception server resumed it past the
 * instruction instead, it exits with status 42.
 */
int main(void)
{
	__asm__ volatile("ud2");
	return 42;
}
