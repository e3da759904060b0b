/*
 * The kernel symbol table, generated at build time from the first link
 * (tools/gensyms.py) and linked into .ksyms by the second.
 *
 * Layout of .ksyms: struct ksyms_header, then count entries sorted by
 * address, then the NUL-terminated names the entries point into.
 */
#ifndef _KERN_KSYMS_H_
#define _KERN_KSYMS_H_

#include <kern/types.h>

struct ksym {
	uint32_t addr;
	uint32_t name;		/* offset into the string area */
};

struct ksyms_header {
	uint32_t magic;		/* KSYMS_MAGIC */
	uint32_t count;
	uint32_t strings;	/* offset of the string area from the header */
};
#define KSYMS_MAGIC	0x4b53594d	/* "KSYM" */
_Static_assert(sizeof(struct ksym) == 8, "tools/gensyms.py writes 8-byte entries");
_Static_assert(sizeof(struct ksyms_header) == 12, "tools/gensyms.py writes a 12-byte header");

/*
 * ksyms_lookup: the name of the function containing addr and addr's offset
 * into it; NULL when addr is outside the table.
 */
const char *ksyms_lookup(uintptr_t addr, uint32_t *offset);
/* ksyms_addr: address of the named symbol, 0 when unknown. */
uintptr_t ksyms_addr(const char *name);

#endif
