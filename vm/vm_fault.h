/*
 * Page faults, and kernel access to the memory of any map.
 *
 * A user page comes into existence when it is first touched: vm_fault
 * gives it a zero-filled frame, mapped writable only if the entry allows
 * writing.  The kernel reads and writes a map that need not be loaded in
 * CR3 through the direct map of physical memory, never through the
 * task's own addresses, so these routines work on any map and never
 * fault themselves.
 */
#ifndef _VM_VM_FAULT_H_
#define _VM_VM_FAULT_H_

#include <vm/vm_map.h>

/*
 * Resolve a fault at va for the given access (VM_PROT_READ, _WRITE or
 * _EXECUTE bits).
 */
kern_return_t vm_fault(vm_map_t map, vaddr_t va, vm_prot_t access);

/* Make sure the page at va (page aligned, inside entry) has a frame. */
kern_return_t vm_fault_page(vm_map_t map, vm_map_entry_t entry, vaddr_t va,
			    paddr_t *pa);

/* Copy between a kernel buffer and [uaddr, uaddr + len) of map. */
kern_return_t vm_map_read_bytes(vm_map_t map, vaddr_t uaddr, void *kbuf,
				size_t len);
kern_return_t vm_map_write_bytes(vm_map_t map, vaddr_t uaddr,
				 const void *kbuf, size_t len, bool force);

/* Counters since boot. */
struct vm_fault_stats {
	unsigned long faults;		/* vm_fault calls that succeeded */
	unsigned long zero_fills;	/* frames given to untouched pages */
	unsigned long write_upgrades;	/* read-only PTEs made writable */
};
void vm_fault_stats(struct vm_fault_stats *st);

#endif /* _VM_VM_FAULT_H_ */
