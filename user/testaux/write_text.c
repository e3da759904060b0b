/*
 * testaux/write_text: write to the first word of main, in the read-only
 * text segment.  Expected end: page fault (14) at the address of main,
 * which lies in the text pages from 0x08048000.
 */
#include <stdio.h>

int main(void)
{
	volatile unsigned int *text = (volatile unsigned int *)(void *)main;

	printf("write_text: writing main at %p\n", (void *)text);
	*text = 0xcccccccc;
	printf("write_text: no fault\n");
	return 0;
}
