/*
 * The boot image's program table and spawning programs from it.
 */
#include <kern/bootprog.h>
#include <kern/exception_ports.h>
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <vm/vm_map.h>

extern const struct bootprog __bootprogs_start[], __bootprogs_end[];

/* bootprog_count: programs in the image. */
unsigned bootprog_count(void)
{
	return (unsigned)(__bootprogs_end - __bootprogs_start);
}

/* bootprog_get: program i (sorted by name), or NULL. */
const struct bootprog *bootprog_get(unsigned i)
{
	return i < bootprog_count() ? &__bootprogs_start[i] : NULL;
}

/* bootprog_find: the program with this exact name, or NULL. */
const struct bootprog *bootprog_find(const char *name)
{
	for (const struct bootprog *bp = __bootprogs_start; bp < __bootprogs_end; bp++)
		if (strcmp(bp->name, name) == 0)
			return bp;
	return NULL;
}

/* bootprog_count_prefix: programs whose name starts with prefix. */
unsigned bootprog_count_prefix(const char *prefix)
{
	unsigned n = 0;
	size_t len = strlen(prefix);
	for (const struct bootprog *bp = __bootprogs_start; bp < __bootprogs_end; bp++)
		if (strncmp(bp->name, prefix, len) == 0)
			n++;
	return n;
}

/* bootprog_spawn: see bootprog.h. */
kern_return_t bootprog_spawn(const struct bootprog *bp, task_t spawner, task_t *taskp)
{
	const char *base = strchr(bp->name, '/') ? strchr(bp->name, '/') + 1 : bp->name;
	task_t t = task_create_user(base, spawner);
	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;

	uintptr_t entry;
	kern_return_t kr = KERN_SUCCESS;
	if (spawner && spawner != kernel_task)
		kr = exception_ports_inherit(t, spawner);	/* as task_create does */
	if (kr == KERN_SUCCESS)
		kr = elf_load(t->map, bp->start, (size_t)(bp->end - bp->start), &entry);
	vm_offset_t stack = USER_STACK_TOP - USER_STACK_SIZE;
	if (kr == KERN_SUCCESS)
		kr = vm_map_enter(t->map, &stack, USER_STACK_SIZE, false,
				  VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	thread_t th = NULL;
	if (kr == KERN_SUCCESS) {
		th = thread_create_user(t, entry, USER_STACK_TOP - 16);
		if (th == NULL)
			kr = KERN_RESOURCE_SHORTAGE;
	}
	if (kr != KERN_SUCCESS) {
		if (spawner) {
			t->spawner = NULL;
			t->ref_count--;
		}
		task_terminate_internal(t, MK_EXIT_KILLED, kr, 0);
		return kr;
	}
	thread_release(th);
	*taskp = t;
	return KERN_SUCCESS;
}
