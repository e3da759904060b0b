/*
 * Operations on the rights a space holds under a name.
 *
 * All take the space and a name already looked up to its entry (active
 * space, entry in use).  Results follow Mach: KERN_INVALID_RIGHT when the
 * name does not hold the right the operation needs, KERN_INVALID_VALUE
 * for a bad right type or delta, KERN_UREFS_OVERFLOW past
 * MACH_PORT_UREFS_MAX.
 */
#ifndef _IPC_IPC_RIGHT_H_
#define _IPC_IPC_RIGHT_H_

#include <ipc/ipc_space.h>

struct ipc_port;

/* If the entry names a send/send-once right to a dead port, turn it into
 * a dead name (releasing the port).  Returns true if it did. */
bool ipc_right_check(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);

kern_return_t ipc_right_dealloc(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);
kern_return_t ipc_right_destroy(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);
kern_return_t ipc_right_delta(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
			      mach_port_right_t right, mach_port_delta_t delta);
kern_return_t ipc_right_info(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
			     mach_port_type_t *typep, mach_port_urefs_t *urefsp);

/*
 * Copyin: can the entry supply a right with disposition msgt_name?
 * (With deadok, a dead name may supply a send or send-once right, which
 * arrives as MACH_PORT_DEAD.)  ipc_right_copyin_check says yes or no
 * without changing anything; ipc_right_copyin takes the right out:
 * *objectp gets the object (with the reference the transit right holds)
 * or IO_DEAD.
 */
bool ipc_right_copyin_check(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
			    mach_msg_type_name_t msgt_name, bool deadok);
kern_return_t ipc_right_copyin(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
			       mach_msg_type_name_t msgt_name, bool deadok, ipc_object_t *objectp);

/* ipc_object_copyin: lookup + copyin; MACH_SEND_INVALID_* are the caller's
 * to choose, this returns KERN_INVALID_NAME / KERN_INVALID_RIGHT. */
kern_return_t ipc_object_copyin(ipc_space_t space, mach_port_name_t name,
				mach_msg_type_name_t msgt_name, ipc_object_t *objectp);
/*
 * ipc_object_copyout: put a right in transit (type PORT_SEND,
 * PORT_SEND_ONCE or PORT_RECEIVE; consumes its reference) into space,
 * coalescing send and receive rights into an existing name.  Returns
 * KERN_SUCCESS and *namep, or KERN_NO_SPACE/KERN_RESOURCE_SHORTAGE/
 * KERN_UREFS_OVERFLOW (the right is then still the caller's).
 * IO_NULL and IO_DEAD copy out as MACH_PORT_NULL / MACH_PORT_DEAD.
 */
kern_return_t ipc_object_copyout(ipc_space_t space, ipc_object_t object,
				 mach_msg_type_name_t msgt_name, mach_port_name_t *namep);
/* Copy out at a chosen name (mach_port_insert_right). */
kern_return_t ipc_object_copyout_name(ipc_space_t space, ipc_object_t object,
				      mach_msg_type_name_t msgt_name, mach_port_name_t name);
/* ipc_object_destroy: release a right in transit of type msgt_name. */
void ipc_object_destroy(ipc_object_t object, mach_msg_type_name_t msgt_name);
/* The in-transit type a disposition produces (MAKE_SEND -> PORT_SEND ...). */
mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t msgt_name);

#endif
