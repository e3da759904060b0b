/*
 * Multiboot (v1) information passed by the loader; only what the kernel
 * reads.  All addresses are physical.
 */
#ifndef _BOOT_MULTIBOOT_H_
#define _BOOT_MULTIBOOT_H_

#include <kern/types.h>

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002

#define MBI_MEMORY	0x001
#define MBI_CMDLINE	0x004
#define MBI_MODS	0x008
#define MBI_MMAP	0x040
#define MBI_LOADER_NAME	0x200

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};
_Static_assert(offsetof(struct multiboot_info, mmap_addr) == 48, "multiboot layout");
_Static_assert(offsetof(struct multiboot_info, boot_loader_name) == 64, "multiboot layout");

struct multiboot_mmap_entry {
	uint32_t size;			/* of the rest of the entry */
	uint64_t addr;
	uint64_t len;
	uint32_t type;			/* 1 = available RAM */
} __packed;
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot mmap entry");

struct multiboot_module {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
};

#define MULTIBOOT_MEMORY_AVAILABLE	1

#endif
