/*
 * Loading ELF32 executables into a fresh address space.
 */
#include <kern/bootprog.h>
#include <kern/lib.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <machine/param.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>

#define EI_NIDENT	16
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf32_ehdr {
	uint8_t ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header");

/*
 * Map [start, end) with at least prot.  Pages a previous segment already
 * mapped (segments may share a page) keep their entry and gain prot.
 */
static kern_return_t map_segment(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t prot)
{
	vaddr_t p = start;
	while (p < end) {
		vm_map_entry_t entry;
		if (vm_map_lookup_entry(map, p, &entry)) {
			vm_prot_t merged = entry->protection | prot;
			kern_return_t kr = vm_map_protect(map, p, p + PAGE_SIZE, merged, false);
			if (kr != KERN_SUCCESS)
				return kr;
			p += PAGE_SIZE;
			continue;
		}
		vaddr_t q = p + PAGE_SIZE;
		while (q < end && !vm_map_lookup_entry(map, q, &entry))
			q += PAGE_SIZE;
		vaddr_t addr = p;
		kern_return_t kr = vm_map_enter(map, &addr, q - p, false, prot, VM_PROT_ALL,
						VM_INHERIT_DEFAULT);
		if (kr != KERN_SUCCESS)
			return kr;
		p = q;
	}
	return KERN_SUCCESS;
}

/*
 * elf_load: check the image is an i386 executable whose segments lie in
 * user space, allocate each PT_LOAD range (zero-filled, with the
 * segment's protection) and copy its file bytes in.  Returns
 * KERN_INVALID_ARGUMENT for a malformed image, or the VM error.
 */
kern_return_t elf_load(struct vm_map *map, const uint8_t *image, size_t size, uintptr_t *entry)
{
	const struct elf32_ehdr *eh = (const void *)image;
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) != 0 ||
	    eh->ident[4] != 1 || eh->type != ET_EXEC || eh->machine != EM_386 ||
	    eh->phentsize != sizeof(struct elf32_phdr) ||
	    eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct elf32_phdr))
		return KERN_INVALID_ARGUMENT;

	const struct elf32_phdr *ph = (const void *)(image + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		uint32_t va = ph[i].vaddr, memsz = ph[i].memsz, filesz = ph[i].filesz;
		if (filesz > memsz || ph[i].offset > size || filesz > size - ph[i].offset ||
		    va < VM_MIN_USER || memsz > VM_MAX_USER - va)
			return KERN_INVALID_ARGUMENT;
		vm_prot_t prot = ((ph[i].flags & PF_R) ? VM_PROT_READ : 0) |
				 ((ph[i].flags & PF_W) ? VM_PROT_WRITE : 0) |
				 ((ph[i].flags & PF_X) ? VM_PROT_EXECUTE : 0);
		kern_return_t kr = map_segment(map, trunc_page(va), round_page(va + memsz), prot);
		if (kr != KERN_SUCCESS)
			return kr;
		kr = vm_map_write_bytes(map, va, image + ph[i].offset, filesz, true);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	*entry = eh->entry;
	return KERN_SUCCESS;
}
