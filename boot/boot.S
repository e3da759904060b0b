/*
 * Multiboot v1 entry.
 *
 * The loader (GRUB or QEMU -kernel) jumps to _start in 32-bit protected
 * mode with paging off, EAX = multiboot magic and EBX = the physical
 * address of the multiboot information.  The kernel is linked at
 * KERNBASE + 1 MiB but loaded at 1 MiB, so until paging is on only
 * position-independent code and physical addresses (symbol - KERNBASE)
 * may be used.
 *
 * Early paging: one page directory of 4 MiB (PSE) pages maps the first
 * BOOT_MAP_MB of physical memory twice, at 0 (so the instruction after
 * the CR0 write still runs) and at KERNBASE.  pmap_bootstrap() replaces
 * it with the real kernel page directory, which drops the low alias.
 */
#include <machine/param.h>

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* modules page aligned; memory info */
#define BOOT_MAP_PDES	8		/* 32 MiB */

#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_PS		0x080

	.section .multiboot, "a"
	.p2align 2
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.section .text.entry, "ax"
	.globl	_start
_start:
	cli
	cld
	movl	%eax, %esi			/* keep the magic */

	/* clear the boot page directory */
	movl	$(boot_pd - KERNBASE), %edi
	xorl	%eax, %eax
	movl	$1024, %ecx
	rep stosl

	/* map [0, BOOT_MAP_PDES * 4 MiB) at 0 and at KERNBASE */
	movl	$(boot_pd - KERNBASE), %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	xorl	%ecx, %ecx
1:	movl	%eax, (%edi, %ecx, 4)
	movl	%eax, ((KERNBASE >> 22) * 4)(%edi, %ecx, 4)
	addl	$PDE_SIZE, %eax
	incl	%ecx
	cmpl	$BOOT_MAP_PDES, %ecx
	jb	1b

	movl	%cr4, %eax
	orl	$0x10, %eax			/* CR4.PSE */
	movl	%eax, %cr4
	movl	%edi, %cr3
	movl	%cr0, %eax
	orl	$0x80010000, %eax		/* CR0.PG | CR0.WP */
	movl	%eax, %cr0

	movl	$higher_half, %eax
	jmp	*%eax

higher_half:
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp			/* terminates backtraces */
	pushl	%ebx				/* multiboot info, physical */
	pushl	%esi				/* multiboot magic */
	call	kmain
2:	cli
	hlt
	jmp	2b

	.section .bss
	.p2align 12
	.globl	boot_pd
boot_pd:
	.space	4096
	.globl	boot_stack, boot_stack_top
boot_stack:
	.space	KSTACK_SIZE
boot_stack_top:
