/*
 * The vm_* calls that have no trap: each is the MIG RPC of the vm_map
 * subsystem (3800), whose generated user stub carries the prefix
 * _kernelrpc_ (<mach/vm_map.h>, generated).  Arguments and results are the
 * stubs' own; see vm_map.defs.
 */
#include <mach/mach.h>
#include <mach/vm_map.h>
#include <mk/mach_vm.h>

/*
 * vm_region: the region at or after *address: its start, size and the
 * information of kind flavor.
 */
kern_return_t vm_region(vm_map_t target_task, vm_address_t *address,
			vm_size_t *size, vm_region_flavor_t flavor,
			vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			mach_port_t *object_name)
{
	return _kernelrpc_vm_region(target_task, address, size, flavor, info,
	    infoCnt, object_name);
}

/* vm_inherit: set how a range is passed to child tasks. */
kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address,
			 vm_size_t size, vm_inherit_t new_inheritance)
{
	return _kernelrpc_vm_inherit(target_task, address, size,
	    new_inheritance);
}

/* vm_read: a copy of a range, returned out of line in *data. */
kern_return_t vm_read(vm_map_t target_task, vm_address_t address,
		      vm_size_t size, vm_offset_t *data,
		      mach_msg_type_number_t *dataCnt)
{
	return _kernelrpc_vm_read(target_task, address, size, data, dataCnt);
}

/* vm_write: copy dataCnt bytes at data into the target at address. */
kern_return_t vm_write(vm_map_t target_task, vm_address_t address,
		       vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	return _kernelrpc_vm_write(target_task, address, data, dataCnt);
}

/* vm_copy: copy a range of the target within the target. */
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address)
{
	return _kernelrpc_vm_copy(target_task, source_address, size,
	    dest_address);
}

/* vm_read_overwrite: copy a range of the target into the caller at data. */
kern_return_t vm_read_overwrite(vm_map_t target_task, vm_address_t address,
				vm_size_t size, vm_address_t data,
				vm_size_t *outsize)
{
	return _kernelrpc_vm_read_overwrite(target_task, address, size, data,
	    outsize);
}
