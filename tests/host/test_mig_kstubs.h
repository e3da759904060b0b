/*
 * test_mig_kstubs.h - stand-in declarations for compiling the generated
 * server stubs of the include/mach .defs files before the kernel
 * provides them.
 *
 * The kernel's <kern/ipc_mig.h> must declare the same port translations
 * (see include/mach/mach_types.defs).  tests/host/test_mig.sh points a
 * stand-in kern/ipc_mig.h at this file when the tree has none, and
 * force-includes it in user-mode builds of the server stubs.
 */
#ifndef _TEST_MIG_KSTUBS_H_
#define _TEST_MIG_KSTUBS_H_

#include <mach/mach_types.h>

ipc_space_t	convert_port_to_space(mach_port_t port);
void		space_deallocate(ipc_space_t space);

task_t		convert_port_to_task(mach_port_t port);
void		task_deallocate(task_t task);
task_name_t	convert_port_to_task_name(mach_port_t port);
void		task_name_deallocate(task_name_t task);
mach_port_t	convert_task_to_port(task_t task);

thread_act_t	convert_port_to_thread(mach_port_t port);
void		thread_deallocate(thread_act_t thread);
mach_port_t	convert_thread_to_port(thread_act_t thread);

vm_map_t	convert_port_to_map(mach_port_t port);
void		vm_map_deallocate(vm_map_t map);

host_t		convert_port_to_host(mach_port_t port);
mach_port_t	convert_host_to_port(host_t host);
host_priv_t	convert_port_to_host_priv(mach_port_t port);

#endif /* _TEST_MIG_KSTUBS_H_ */
