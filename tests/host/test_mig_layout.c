/*
 * test_mig_layout.c - i386 sizes of generated messages, checked at
 * compile time against XNU MIG's layouts (header 24, body count 4,
 * descriptors 12, NDR 8, RetCode only in non-complex replies, variable
 * arrays at their maximum).  tests/host/test_mig.sh compiles this with
 * the i686 compiler in both the kernel and the user view.
 */
#include "mach_port.h"
#include "task.h"
#include "thread_act.h"
#include "vm_map.h"
#include "mach_host.h"
#include "exc.h"
#include "mk_stats.h"

#define SIZE(t, n)	_Static_assert(sizeof(t) == (n), #t " is " #n)

/* mach_port: scalars; a polymorphic right; OOL name arrays. */
SIZE(__Request__mach_port_allocate_t, 36);
SIZE(__Reply__mach_port_allocate_t, 40);
SIZE(__Request__mach_port_insert_right_t, 24 + 4 + 12 + 8 + 4);
SIZE(__Reply__mach_port_extract_right_t, 24 + 4 + 12);
SIZE(__Reply__mach_port_names_t, 24 + 4 + 12 + 12 + 8 + 4 + 4);
SIZE(__Request__mach_port_request_notification_t,
    24 + 4 + 12 + 8 + 4 + 4 + 4);
SIZE(__Request__mach_port_get_attributes_t, 24 + 8 + 4 + 4 + 4);
SIZE(__Reply__mach_port_get_attributes_t, 24 + 8 + 4 + 4 + 17 * 4);

/* task: OOL ports, CountInOut, 32 inline port descriptors. */
SIZE(__Reply__task_threads_t, 24 + 4 + 12 + 8 + 4);
SIZE(__Request__task_info_t, 24 + 8 + 4 + 4);
SIZE(__Reply__thread_create_t, 24 + 4 + 12);
SIZE(__Request__thread_create_running_t, 24 + 8 + 4 + 4 + 144 * 4);
SIZE(__Reply__task_get_exception_ports_t,
    24 + 4 + 32 * 12 + 8 + 4 + 3 * 32 * 4);
SIZE(__Request__task_swap_exception_ports_t, 24 + 4 + 12 + 8 + 3 * 4);

/* thread_act */
SIZE(__Request__thread_terminate_t, 24);
SIZE(__Reply__thread_terminate_t, 36);
SIZE(__Request__thread_set_state_t, 24 + 8 + 4 + 4 + 144 * 4);
SIZE(__Reply__thread_get_state_t, 24 + 8 + 4 + 4 + 144 * 4);

/* vm_map: a complex reply with inline data has no RetCode. */
SIZE(__Request__vm_region_t, 24 + 8 + 4 + 4 + 4);
SIZE(__Reply__vm_region_t, 24 + 4 + 12 + 8 + 4 + 4 + 4 + 10 * 4);
SIZE(__Request__vm_write_t, 24 + 4 + 12 + 8 + 4 + 4);
SIZE(__Reply__vm_read_t, 24 + 4 + 12 + 8 + 4);

/* mach_host, exc, mk_stats */
SIZE(__Reply__host_info_t, 24 + 8 + 4 + 4 + 68 * 4);
SIZE(__Request__exception_raise_t, 24 + 4 + 2 * 12 + 8 + 4 + 4 + 2 * 4);
SIZE(__Request__exception_raise_state_t,
    24 + 8 + 4 + 4 + 2 * 4 + 4 + 4 + 144 * 4);
SIZE(__Reply__exception_raise_state_t, 24 + 8 + 4 + 4 + 4 + 144 * 4);
SIZE(__Reply__mk_zone_info_t, 24 + 8 + 4 + 4 + 64 * 36);
SIZE(__Reply__mk_ipc_counts_t, 24 + 8 + 4 + 7 * 4);
