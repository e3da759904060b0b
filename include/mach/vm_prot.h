/*
 * mach/vm_prot.h - memory protection codes (XNU osfmk/mach/vm_prot.h).
 */
#ifndef _MACH_VM_PROT_H_
#define _MACH_VM_PROT_H_

typedef int	vm_prot_t;

#define VM_PROT_NONE		((vm_prot_t) 0x00)
#define VM_PROT_READ		((vm_prot_t) 0x01)	/* read permission */
#define VM_PROT_WRITE		((vm_prot_t) 0x02)	/* write permission */
#define VM_PROT_EXECUTE		((vm_prot_t) 0x04)	/* execute permission */

/* Protection of newly allocated memory, and every permission. */
#define VM_PROT_DEFAULT		(VM_PROT_READ | VM_PROT_WRITE)
#define VM_PROT_ALL		(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

/* vm_map/vm_protect only: leave the protection unchanged. */
#define VM_PROT_NO_CHANGE	((vm_prot_t) 0x08)
/* vm_map/vm_region: map a copy, never the original. */
#define VM_PROT_COPY		((vm_prot_t) 0x10)
/* Memory-object requests only: the page is wanted for a copy (same bit). */
#define VM_PROT_WANTS_COPY	((vm_prot_t) 0x10)

#endif /* _MACH_VM_PROT_H_ */
