/*
 * Mach traps that create or hand out rights: mach_reply_port,
 * task_self_trap, thread_self_trap, host_self_trap, and XNU's
 * _kernelrpc_* traps, which perform a few mach_port / vm calls on the
 * caller's own task without building a message.
 */
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/ipc_traps.h>
#include <kern/host.h>
#include <kern/ipc_mig.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/copyio.h>
#include <mach/mach_portServer.h>
#include <mach/vm_mapServer.h>

/* Copy a new send right out into the caller's space; NULL on failure. */
static mach_port_name_t send_right_name(ipc_port_t sright)
{
	mach_port_name_t name;
	if (!IP_VALID(sright))
		return MACH_PORT_NULL;
	if (ipc_object_copyout(current_task()->itk_space, ip_to_object(sright),
			       MACH_MSG_TYPE_PORT_SEND, &name) != KERN_SUCCESS) {
		ipc_port_release_send(sright);
		return MACH_PORT_NULL;
	}
	return name;
}

/* mach_reply_port: a new port; the caller gets its receive right. */
mach_port_name_t mach_reply_port_trap(void)
{
	mach_port_name_t name;
	ipc_port_t port;
	if (ipc_port_alloc(current_task()->itk_space, &name, &port) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}

/* task_self_trap: a send right (one more uref) to the caller's task port. */
mach_port_name_t task_self_trap(void)
{
	return send_right_name(retrieve_task_self(current_task()));
}

/* thread_self_trap: a send right to the calling thread's port. */
mach_port_name_t thread_self_trap(void)
{
	return send_right_name(retrieve_thread_self(current_thread()));
}

/*
 * host_self_trap: a send right to the caller's TASK_HOST_PORT: the
 * privileged host port in privileged tasks, else the host port (or
 * whatever the task set it to, as XNU).
 */
mach_port_name_t host_self_trap(void)
{
	return send_right_name(ipc_port_copy_send(current_task()->itk_host));
}

/*
 * The _kernelrpc traps name their target task by a send right in the
 * caller's space, as the MIG routines do; only the caller's own task is
 * served here (XNU's traps likewise work on the current task, other
 * targets go through the MIG path): anything else gets
 * MACH_SEND_INVALID_DEST, which tells libmk to fall back to the RPC.
 */
static ipc_space_t target_space(mach_port_name_t target)
{
	task_t t = port_name_to_task(target);
	return t == current_task() ? t->itk_space : NULL;
}

static vm_map_t target_map(mach_port_name_t target)
{
	task_t t = port_name_to_task(target);
	return t == current_task() ? t->map : NULL;
}

/* _kernelrpc_mach_vm_allocate_trap(target, *addr, size, flags) */
kern_return_t kernelrpc_vm_allocate_trap(mach_port_name_t target, vm_address_t *uaddr,
					 vm_size_t size, int flags)
{
	vm_map_t map = target_map(target);
	vm_address_t addr;
	if (map == NULL)
		return MACH_SEND_INVALID_DEST;
	if (copyin(uaddr, &addr, sizeof(addr)))
		return KERN_INVALID_ADDRESS;
	kern_return_t kr = vm_allocate(map, &addr, size, flags);
	if (kr == KERN_SUCCESS && copyout(&addr, uaddr, sizeof(addr))) {
		vm_deallocate(map, addr, size);
		return KERN_INVALID_ADDRESS;
	}
	return kr;
}

/* _kernelrpc_mach_vm_deallocate_trap(target, addr, size) */
kern_return_t kernelrpc_vm_deallocate_trap(mach_port_name_t target, vm_address_t addr, vm_size_t size)
{
	vm_map_t map = target_map(target);
	return map ? vm_deallocate(map, addr, size) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_vm_protect_trap(target, addr, size, set_max, prot) */
kern_return_t kernelrpc_vm_protect_trap(mach_port_name_t target, vm_address_t addr, vm_size_t size,
					boolean_t set_maximum, vm_prot_t prot)
{
	vm_map_t map = target_map(target);
	return map ? vm_protect(map, addr, size, set_maximum, prot) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_port_allocate_trap(target, right, *name) */
kern_return_t kernelrpc_port_allocate_trap(mach_port_name_t target, mach_port_right_t right,
					   mach_port_name_t *uname)
{
	ipc_space_t space = target_space(target);
	mach_port_name_t name;
	if (space == NULL)
		return MACH_SEND_INVALID_DEST;
	kern_return_t kr = mach_port_allocate(space, right, &name);
	if (kr == KERN_SUCCESS && copyout(&name, uname, sizeof(name))) {
		mach_port_destroy(space, name);
		return KERN_INVALID_ADDRESS;
	}
	return kr;
}

/* _kernelrpc_mach_port_destroy_trap(target, name) */
kern_return_t kernelrpc_port_destroy_trap(mach_port_name_t target, mach_port_name_t name)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_destroy(space, name) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_port_deallocate_trap(target, name) */
kern_return_t kernelrpc_port_deallocate_trap(mach_port_name_t target, mach_port_name_t name)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_deallocate(space, name) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_port_mod_refs_trap(target, name, right, delta) */
kern_return_t kernelrpc_port_mod_refs_trap(mach_port_name_t target, mach_port_name_t name,
					   mach_port_right_t right, mach_port_delta_t delta)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_mod_refs(space, name, right, delta) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_port_move_member_trap(target, member, after) */
kern_return_t kernelrpc_port_move_member_trap(mach_port_name_t target, mach_port_name_t member,
					      mach_port_name_t after)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_move_member(space, member, after) : MACH_SEND_INVALID_DEST;
}

/*
 * _kernelrpc_mach_port_insert_right_trap(target, name, poly, polyPoly):
 * poly is a name in the caller's space with disposition polyPoly.
 */
kern_return_t kernelrpc_port_insert_right_trap(mach_port_name_t target, mach_port_name_t name,
					       mach_port_name_t poly, mach_msg_type_name_t polyPoly)
{
	ipc_space_t space = target_space(target);
	if (space == NULL)
		return MACH_SEND_INVALID_DEST;
	if (!MACH_MSG_TYPE_PORT_ANY(polyPoly))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(poly))
		return KERN_INVALID_CAPABILITY;
	ipc_entry_t e = ipc_entry_lookup(space, poly);
	if (e == NULL)
		return KERN_INVALID_NAME;
	if (!ipc_right_copyin_check(space, poly, e, polyPoly, false))
		return KERN_INVALID_RIGHT;
	/* reject before taking anything when the target name is taken */
	ipc_entry_t te = ipc_entry_lookup(space, name);
	if (te != NULL && te->ie_object != e->ie_object)
		return KERN_NAME_EXISTS;
	ipc_object_t obj;
	kern_return_t kr = ipc_right_copyin(space, poly, e, polyPoly, false, &obj);
	if (kr != KERN_SUCCESS)
		return kr;
	mach_msg_type_name_t type = ipc_object_copyin_type(polyPoly);
	kr = mach_port_insert_right(space, name, (ipc_port_t)obj, type);
	if (kr != KERN_SUCCESS)
		ipc_object_destroy(obj, type);
	return kr;
}

/* _kernelrpc_mach_port_insert_member_trap(target, name, pset) */
kern_return_t kernelrpc_port_insert_member_trap(mach_port_name_t target, mach_port_name_t name,
						mach_port_name_t pset)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_insert_member(space, name, pset) : MACH_SEND_INVALID_DEST;
}

/* _kernelrpc_mach_port_extract_member_trap(target, name, pset) */
kern_return_t kernelrpc_port_extract_member_trap(mach_port_name_t target, mach_port_name_t name,
						 mach_port_name_t pset)
{
	ipc_space_t space = target_space(target);
	return space ? mach_port_extract_member(space, name, pset) : MACH_SEND_INVALID_DEST;
}
