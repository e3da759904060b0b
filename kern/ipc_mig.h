/*
 * What the generated kernel servers (build/gen/mach/NAMEServer.c) need from
 * the kernel: the object types behind ipc_space_t, task_t, thread_act_t,
 * vm_map_t and host_t, and the port <-> object conversions the .defs
 * files name.  The implementations of the routines are declared by the
 * generated NAMEServer.h headers.
 */
#ifndef _KERN_IPC_MIG_H_
#define _KERN_IPC_MIG_H_

#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kern/host.h>
#include <kern/ipc_tt.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <vm/vm_map.h>

#endif
