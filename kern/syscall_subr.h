/*
 * The swtch family: voluntary yields and timed sleeps.
 */
#ifndef _KERN_SYSCALL_SUBR_H_
#define _KERN_SYSCALL_SUBR_H_

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>

boolean_t swtch(void);
boolean_t swtch_pri(int pri);
kern_return_t thread_switch(mach_port_name_t thread_name, int option, uint32_t option_time);

#endif
