/*
 * Address maps: the regions a task may use, and what it may do with them.
 *
 * Design.  All user memory is anonymous, private and zero-filled on first
 * touch; there are no vm_objects.  A map is a sorted list of entries, each
 * a page-aligned range [start, end) with a protection, a maximum
 * protection and an inheritance.  The pmap is the only record of which
 * physical page backs a user page: a page exists only once it has been
 * touched (vm_fault), written by the kernel (vm_map_write_bytes) or
 * brought in by vm_map_copyout.  The entry that covers a mapped page owns
 * that page: removing the range (vm_map_remove, vm_map_deallocate) frees
 * it, and vm_map_copyin with src_destroy moves it out of the pmap into a
 * copy.  Nothing else refers to a user page, so there is no page sharing
 * and no copy-on-write: a copy is made eagerly, page by page.
 *
 * Invariants (checked by vm_map_verify):
 *   - entries are sorted, disjoint, page aligned, start < end, and lie in
 *     [VM_MIN_USER, VM_MAX_USER);
 *   - protection is a subset of max_protection, both within VM_PROT_ALL;
 *   - nentries counts the entries and size is the sum of their lengths;
 *   - a user page is mapped in the pmap only inside some entry, and it is
 *     mapped writable only if that entry's protection allows writing.
 *
 * Concurrency.  The kernel is uniprocessor and non-preemptible and nothing
 * here blocks: a map needs no lock.  Allocation failures are returned as
 * KERN_RESOURCE_SHORTAGE, never waited out.
 *
 * Limitation (machine): an i386 PTE cannot make a present page
 * inaccessible to user mode while keeping it, so pages already resident
 * in an entry whose protection drops to VM_PROT_NONE stay readable by the
 * task itself (writes are refused).  The kernel paths (vm_fault,
 * vm_map_read_bytes, vm_read) honour the entry protection exactly.
 */
#ifndef _VM_VM_MAP_H_
#define _VM_VM_MAP_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/vm_region.h>
#include <mach/vm_statistics.h>
#include <mach/mach_types.h>

#ifdef VM_HOST_SHIM
/* Host unit tests (tests/host/vm_shim): a fake pmap and direct map. */
#include <vm_shim/vm_machine.h>
#else
#include <machine/param.h>
#include <machine/pmap.h>
#endif

struct vm_map_entry {
	struct vm_map_entry *prev, *next;	/* address order; map->header ends */
	vaddr_t start;				/* first byte, page aligned */
	vaddr_t end;				/* byte after the last, page aligned */
	vm_prot_t protection;			/* what the task may do now */
	vm_prot_t max_protection;		/* the most protection may become */
	vm_inherit_t inheritance;		/* what a child task gets */
};
typedef struct vm_map_entry *vm_map_entry_t;

struct vm_map {
	struct vm_map_entry header;	/* sentinel: next = first, prev = last */
	pmap_t pmap;			/* the page tables; owned by the map */
	unsigned nentries;		/* entries on the list */
	vm_size_t size;			/* bytes covered by entries */
	unsigned ref_count;		/* references; the last one destroys */
	struct vm_map_entry *hint;	/* last entry looked up, or &header */
};

#define vm_map_first_entry(map)	((map)->header.next)
#define vm_map_to_entry(map)	(&(map)->header)

/* Set up the map and entry zones.  Idempotent; vm_map_create calls it. */
void vm_map_init(void);

/* Map lifetime. */
vm_map_t vm_map_create(void);
void vm_map_reference(vm_map_t map);
void vm_map_deallocate(vm_map_t map);

/* Entries. */
bool vm_map_lookup_entry(vm_map_t map, vaddr_t addr, vm_map_entry_t *entry);
kern_return_t vm_map_find_space(vm_map_t map, vaddr_t *addr, vm_size_t size);
kern_return_t vm_map_enter(vm_map_t map, vaddr_t *addr, vm_size_t size,
			   bool anywhere, vm_prot_t prot, vm_prot_t max,
			   vm_inherit_t inheritance);
kern_return_t vm_map_remove(vm_map_t map, vaddr_t start, vaddr_t end);
kern_return_t vm_map_clip_range(vm_map_t map, vaddr_t start, vaddr_t end);
kern_return_t vm_map_protect(vm_map_t map, vaddr_t start, vaddr_t end,
			     vm_prot_t new_prot, bool set_max);
kern_return_t vm_map_inherit(vm_map_t map, vaddr_t start, vaddr_t end,
			     vm_inherit_t inheritance);
kern_return_t vm_map_check_range(vm_map_t map, vaddr_t start, vaddr_t end,
				 vm_prot_t prot);

/* Is [addr, addr + size) inside user space, without wrapping? */
static inline bool vm_user_range_ok(vaddr_t addr, vm_size_t size)
{
	return addr >= VM_MIN_USER && addr <= VM_MAX_USER &&
	       size <= VM_MAX_USER - addr;
}

/* Debugging. */
void vm_map_print(vm_map_t map);
bool vm_map_verify(vm_map_t map);

/* Global counters, for statistics and leak checks in tests. */
struct vm_map_stats {
	unsigned maps;		/* maps alive */
	unsigned entries;	/* entries alive, all maps */
};
void vm_map_stats(struct vm_map_stats *st);

/*
 * The kernel side of the vm_map subsystem (vm/vm_user.c), with XNU's
 * vm_map.defs argument lists.  See vm_user.c for each routine.
 */
kern_return_t vm_allocate(vm_map_t target, vm_address_t *address,
			  vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target, vm_address_t address,
			    vm_size_t size);
kern_return_t vm_protect(vm_map_t target, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection);
kern_return_t vm_inherit(vm_map_t target, vm_address_t address,
			 vm_size_t size, vm_inherit_t new_inheritance);
kern_return_t vm_read(vm_map_t target, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t vm_write(vm_map_t target, vm_address_t address,
		       vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t vm_region(vm_map_t target, vm_address_t *address,
			vm_size_t *size, vm_region_flavor_t flavor,
			vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			mach_port_t *object_name);
kern_return_t vm_copy(vm_map_t target, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address);
kern_return_t vm_read_overwrite(vm_map_t target, vm_address_t address,
				vm_size_t size, vm_address_t data,
				vm_size_t *outsize);
/* vm_read_overwrite with the destination map explicit (host-testable). */
kern_return_t vm_read_overwrite_map(vm_map_t target, vm_address_t address,
				    vm_size_t size, vm_map_t dest,
				    vm_address_t data, vm_size_t *outsize);

#endif /* _VM_VM_MAP_H_ */
