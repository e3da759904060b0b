/*
 * kmain: the C entry point, called by boot/boot.S on the boot stack with
 * paging on (boot mapping), interrupts off.
 */
#include <boot/multiboot.h>
#include <kern/assert.h>
#include <kern/bootopt.h>
#include <kern/clock.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/startup.h>
#include <kern/zalloc.h>
#include <machine/param.h>
#include <machine/pmap.h>
#include <machine/seg.h>
#include <machine/serial.h>
#include <machine/trap.h>
#include <vm/vm_page.h>

struct boot_info boot_info;

static void print_memory_map(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MBI_MMAP))
		return;
	const char *p = phystokv(mbi->mmap_addr);
	const char *end = p + mbi->mmap_length;
	while (p < end) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		printf("  mem %08llx-%08llx %s\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->len - 1),
		       e->type == MULTIBOOT_MEMORY_AVAILABLE ? "available" : "reserved");
		p += e->size + 4;
	}
}

/*
 * kmain: bring the machine up, then hand over to the scheduler.
 * Never returns.
 */
void kmain(uint32_t magic, uint32_t mbi_pa);
void kmain(uint32_t magic, uint32_t mbi_pa)
{
	serial_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot loader (magic %#x)", magic);
	const struct multiboot_info *mbi = phystokv(mbi_pa);

	/* Copy what we need before the page allocator can reuse the memory. */
	bootopt_parse((mbi->flags & MBI_CMDLINE) ? phystokv(mbi->cmdline) : "");
	if (mbi->flags & MBI_LOADER_NAME)
		strlcpy(boot_info.loader, phystokv(mbi->boot_loader_name),
			sizeof(boot_info.loader));

	printf("\nmk: Mach-style microkernel for i386, booted by %s\n",
	       boot_info.loader[0] ? boot_info.loader : "a multiboot loader");
	printf("mk: command line \"%s\"\n", bootopt.cmdline);
	print_memory_map(mbi);

	gdt_init();
	trap_init();
	sysenter_init();
	vm_page_bootstrap(mbi);
	pmap_bootstrap();
	kalloc_init();

	struct vm_page_stats st;
	vm_page_stats(&st);
	printf("mk: %u MiB managed, %u pages free, kernel %p-%p, HZ=%d\n",
	       st.total / 256, st.free, (void *)_kernel_start, (void *)_kernel_end, HZ);

	clock_init();
	kernel_startup();
}
