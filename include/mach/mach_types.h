/*
 * mach/mach_types.h - the kernel-object types named in Mach interfaces.
 *
 * User code names a kernel object by a send right to its port, so every
 * object type is a mach_port_t.  Kernel code (KERNEL) holds the object
 * itself: each type is a pointer to an incomplete struct that the kernel
 * defines privately.  Stub generators rely on both views having the same
 * names.
 */
#ifndef _MACH_MACH_TYPES_H_
#define _MACH_MACH_TYPES_H_

#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>

#ifdef KERNEL

struct task;
struct thread;
struct ipc_space;
struct vm_map;
struct host;

typedef struct task		*task_t;
typedef struct task		*task_name_t;	/* task named by its name port */
typedef struct thread		*thread_t;
typedef struct thread		*thread_act_t;	/* XNU's alias for a thread */
typedef struct ipc_space	*ipc_space_t;
typedef struct vm_map		*vm_map_t;
typedef struct host		*host_t;
typedef struct host		*host_priv_t;	/* the privileged host port */
typedef struct ipc_port		*exception_handler_t;

#define TASK_NULL		((task_t) 0)
#define TASK_NAME_NULL		((task_name_t) 0)
#define THREAD_NULL		((thread_t) 0)
#define THR_ACT_NULL		((thread_act_t) 0)
#define IPC_SPACE_NULL		((ipc_space_t) 0)
#define VM_MAP_NULL		((vm_map_t) 0)
#define HOST_NULL		((host_t) 0)
#define HOST_PRIV_NULL		((host_priv_t) 0)

#else /* !KERNEL */

typedef mach_port_t	task_t;
typedef mach_port_t	task_name_t;
typedef mach_port_t	thread_t;
typedef mach_port_t	thread_act_t;
typedef mach_port_t	ipc_space_t;
typedef mach_port_t	vm_map_t;
typedef mach_port_t	host_t;
typedef mach_port_t	host_priv_t;
typedef mach_port_t	exception_handler_t;

#define TASK_NULL		((task_t) 0)
#define TASK_NAME_NULL		((task_name_t) 0)
#define THREAD_NULL		((thread_t) 0)
#define THR_ACT_NULL		((thread_act_t) 0)
#define IPC_SPACE_NULL		((ipc_space_t) 0)
#define VM_MAP_NULL		((vm_map_t) 0)
#define HOST_NULL		((host_t) 0)
#define HOST_PRIV_NULL		((host_priv_t) 0)

#endif /* KERNEL */

/* Arrays returned out of line by task_threads() and friends. */
typedef task_t			*task_array_t;
typedef thread_t		*thread_array_t;
typedef thread_act_t		*thread_act_array_t;
typedef exception_handler_t	*exception_handler_array_t;

/* A task's own map, as named in vm_* calls. */
typedef vm_map_t		vm_task_t;

#endif /* _MACH_MACH_TYPES_H_ */
