/*
 * mach/mach.h - the header Mach programs include.
 *
 * Pulls in the ABI types and constants and, for user code, the entry
 * points the user library always provides: the task's cached self port,
 * mach_thread_self, mach_host_self, mach_reply_port, mach_msg,
 * mach_msg_overwrite, swtch, swtch_pri and thread_switch.  The RPC stubs
 * generated from the .defs files come in through <mach/mach_interface.h>
 * when it has been generated.
 */
#ifndef _MACH_MACH_H_
#define _MACH_MACH_H_

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/mig_errors.h>
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include <mach/thread_switch.h>
#include <mach/task_special_ports.h>
#include <mach/thread_special_ports.h>
#include <mach/host_special_ports.h>
#include <mach/task_info.h>
#include <mach/thread_info.h>
#include <mach/host_info.h>
#include <mach/syscall_sw.h>
#include <mach/mach_traps.h>
#include <mach/mach_init.h>

#if !defined(KERNEL) && defined(__has_include)
#if __has_include(<mach/mach_interface.h>)
#include <mach/mach_interface.h>
#endif
/* libmk's public mach_port_* and vm_* names (trap first, then the RPC) */
#if __has_include(<mk/mach_port.h>)
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#endif
#endif

#endif /* _MACH_MACH_H_ */
