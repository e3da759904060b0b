/*
 * Programs linked into the boot image (tools/genimages.py), and starting
 * them as tasks.
 */
#ifndef _KERN_BOOTPROG_H_
#define _KERN_BOOTPROG_H_

#include <machine/param.h>

#include <kern/types.h>
#include <mach/kern_return.h>

struct vm_map;

struct task;

struct bootprog {
	const char *name;		/* e.g. "tests/vm_basic" */
	const uint8_t *start, *end;	/* the ELF image */
};
_Static_assert(sizeof(struct bootprog) == 12, "tools/genimages.py emits 3 words per program");

/*
 * A boot program's stack ends one page below the top of user space: that
 * page stays unmapped (a guard against running off the end), and a
 * buffer on the initial stack has at least FAST_RCV_SPAN bytes of user
 * space after it, as the message hot path wants of a waiter's buffer
 * (ipc/mach_msg_fast.h).
 */
#define USER_STACK_TOP	(VM_MAX_USER - PAGE_SIZE)
#define USER_STACK_SIZE	(1024u * 1024u)

unsigned bootprog_count(void);
const struct bootprog *bootprog_get(unsigned i);
const struct bootprog *bootprog_find(const char *name);
/* Count programs whose name starts with prefix. */
unsigned bootprog_count_prefix(const char *prefix);
/*
 * bootprog_spawn: a new task running the program, its first thread
 * runnable.  spawner may wait for it.  Returns KERN_SUCCESS and *taskp,
 * KERN_RESOURCE_SHORTAGE, or KERN_INVALID_ARGUMENT for a bad ELF image.
 */
kern_return_t bootprog_spawn(const struct bootprog *bp, struct task *spawner,
			     struct task **taskp);

/* elf_load: map and copy an ELF32 executable's segments; sets *entry. */
kern_return_t elf_load(struct vm_map *map, const uint8_t *image, size_t size, uintptr_t *entry);

#endif
