/*
 * malloc, free, calloc, realloc over vm_allocate.
 *
 * Every block starts with a 16-byte header, so user pointers are 16-byte
 * aligned.  Blocks of up to SMALL_MAX bytes (header included) come in
 * eight power-of-two size classes from 32 to 4096 bytes; each class keeps
 * a free list, refilled by carving 64 KiB arenas from vm_allocate.  Small
 * blocks are recycled within their class and never returned to the kernel.
 * Larger blocks get whole pages of their own from vm_allocate and go back
 * with vm_deallocate when freed.  One lock serialises everything.
 *
 * free() checks the header: a pointer malloc did not return, or one freed
 * twice, ends the task with a message (abort) rather than corrupt the heap
 * silently.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>
#include <mk/lock.h>
#include <mk/mach_vm.h>

#define PAGE		4096u
#define HDR_SIZE	16u
#define NCLASSES	8
#define SMALL_MIN	32u			/* class 0 block size */
#define SMALL_MAX	(SMALL_MIN << (NCLASSES - 1))	/* 4096 */
#define ARENA_SIZE	(64u * 1024u)
#define LARGE_CLASS	0xffu

#define MAGIC_USED	0x6d6b6d41u		/* block handed out */
#define MAGIC_FREE	0x6d6b6646u		/* block on a free list */

struct block {
	uint32_t	magic;
	uint32_t	cls;		/* size class, or LARGE_CLASS */
	uint32_t	size;		/* whole block, header included */
	struct block	*next;		/* free-list link (free blocks only) */
};

_Static_assert(sizeof(struct block) == HDR_SIZE, "header is 16 bytes");

static mk_lock_t heap_lock = MK_LOCK_INIT;
static struct block *free_list[NCLASSES];
static uintptr_t arena_next, arena_end;	/* unused part of the arena */

/* The smallest class whose blocks hold total bytes. */
static unsigned size_class(size_t total)
{
	unsigned cls = 0;

	while ((SMALL_MIN << cls) < total)
		cls++;
	return cls;
}

/* Take a block of class cls; heap_lock held.  NULL when out of memory. */
static struct block *small_alloc(unsigned cls)
{
	uint32_t size = SMALL_MIN << cls;
	struct block *b = free_list[cls];

	if (b != NULL) {
		free_list[cls] = b->next;
		return b;
	}
	if (arena_end - arena_next < size) {
		vm_address_t a = 0;
		if (vm_allocate(mach_task_self(), &a, ARENA_SIZE,
		    VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
			return NULL;
		/* The tail of the old arena is too small for this class: lost. */
		arena_next = a;
		arena_end = a + ARENA_SIZE;
	}
	b = (struct block *)arena_next;
	arena_next += size;
	b->cls = cls;
	b->size = size;
	return b;
}

/* Pages of its own for a block of total bytes.  NULL when out of memory. */
static struct block *large_alloc(size_t total)
{
	vm_address_t a = 0;
	vm_size_t size = (total + PAGE - 1) & ~(vm_size_t)(PAGE - 1);

	if (vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE) !=
	    KERN_SUCCESS)
		return NULL;
	struct block *b = (struct block *)a;
	b->cls = LARGE_CLASS;
	b->size = size;
	return b;
}

/* The header of a block malloc handed out; aborts on a bad pointer. */
static struct block *checked_header(void *ptr, const char *who)
{
	struct block *b = (struct block *)((char *)ptr - HDR_SIZE);

	if (((uintptr_t)ptr & (HDR_SIZE - 1)) != 0 || b->magic != MAGIC_USED) {
		printf("%s(%p): %s\n", who, ptr,
		    b->magic == MAGIC_FREE ? "block already freed" :
		    "not a block from malloc");
		abort();
	}
	return b;
}

/*
 * malloc: a 16-byte aligned block of at least size bytes (malloc(0) gives
 * a unique minimal block).  Returns NULL when memory runs out.
 */
void *malloc(size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - HDR_SIZE - PAGE)
		return NULL;
	size_t total = size + HDR_SIZE;
	if (total <= SMALL_MAX) {
		mk_lock(&heap_lock);
		b = small_alloc(size_class(total));
		mk_unlock(&heap_lock);
	} else {
		b = large_alloc(total);
	}
	if (b == NULL)
		return NULL;
	b->magic = MAGIC_USED;
	b->next = NULL;
	return (char *)b + HDR_SIZE;
}

/*
 * free: give back a block from malloc, calloc or realloc; NULL is
 * ignored.  Aborts on a pointer that is not a live block.
 */
void free(void *ptr)
{
	if (ptr == NULL)
		return;
	mk_lock(&heap_lock);
	struct block *b = checked_header(ptr, "free");
	if (b->cls == LARGE_CLASS) {
		b->magic = 0;
		mk_unlock(&heap_lock);
		(void)vm_deallocate(mach_task_self(), (vm_address_t)b, b->size);
		return;
	}
	b->magic = MAGIC_FREE;
	b->next = free_list[b->cls];
	free_list[b->cls] = b;
	mk_unlock(&heap_lock);
}

/*
 * calloc: a zeroed block for count elements of size bytes.  Returns NULL
 * on overflow or when memory runs out.
 */
void *calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	void *p = malloc(count * size);
	if (p != NULL)
		memset(p, 0, count * size);
	return p;
}

/*
 * realloc: resize a block, moving it if it must grow past its capacity.
 * realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL.
 * Returns the (possibly new) block, or NULL with p untouched when memory
 * runs out.
 */
void *realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	mk_lock(&heap_lock);
	size_t capacity = checked_header(ptr, "realloc")->size - HDR_SIZE;
	mk_unlock(&heap_lock);
	if (size <= capacity)
		return ptr;
	void *n = malloc(size);
	if (n == NULL)
		return NULL;
	memcpy(n, ptr, capacity);
	free(ptr);
	return n;
}
