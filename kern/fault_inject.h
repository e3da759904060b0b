/*
 * The robustness-testing traps (<mach/mk_audit.h>): the IPC auditor,
 * kernel counters, the command line, and allocation fault injection on
 * top of zone_fail_nth, kalloc_fail_nth and vm_page_fail_nth.
 */
#ifndef _KERN_FAULT_INJECT_H_
#define _KERN_FAULT_INJECT_H_

#include <kern/types.h>
#include <mach/kern_return.h>

/*
 * mk_audit_trap: the mk_audit trap (op, arg, user buffer, its size); see
 * <mach/mk_audit.h> for each op and its result.  Interrupts off; does not
 * block.
 */
int mk_audit_trap(uint32_t op, uint32_t arg, uint32_t ubuf, uint32_t size);

/*
 * mk_fault_inject_trap: the mk_fault_inject trap (kind, n, user zone
 * name); see <mach/mk_audit.h>.  Returns the count that was pending for
 * the kind, or -KERN_INVALID_ARGUMENT / -KERN_INVALID_ADDRESS.
 */
int mk_fault_inject_trap(uint32_t kind, uint32_t n, uint32_t uzone);

#endif
