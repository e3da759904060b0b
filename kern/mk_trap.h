/*
 * This kernel's own traps (numbers and contract in <mach/mk_traps.h>).
 */
#ifndef _KERN_MK_TRAP_H_
#define _KERN_MK_TRAP_H_

#include <kern/types.h>
#include <mach/kern_return.h>

kern_return_t mk_debug_write_trap(uint32_t buf, uint32_t len);
kern_return_t mk_task_exit_trap(int status);
int mk_thread_spawn_trap(uint32_t entry, uint32_t arg, uint32_t stack_top);
kern_return_t mk_thread_exit_trap(void);
kern_return_t mk_thread_join_trap(int tid, uint32_t timeout_ticks);
int mk_spawn_trap(uint32_t uname);
kern_return_t mk_task_wait_trap(int id, uint32_t timeout_ticks, uint32_t uinfo);
kern_return_t mk_task_kill_trap(int id);
uint32_t mk_info_trap(int key);
kern_return_t mk_bootprog_name_trap(uint32_t index, uint32_t ubuf, uint32_t size);
kern_return_t mk_test_done_trap(int failed);
int mk_hotpath_trap(int on);
int mk_test_selected_trap(uint32_t uname);
/* Does the boot option only= select this test name? */
bool test_selected(const char *name);

/* The first TAP number the bootstrap uses for user tests. */
extern unsigned test_first_point;

#endif
