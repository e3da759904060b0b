/*
 * Optional panic hooks, set by subsystems that exist later in boot.
 */
#ifndef _KERN_PANIC_HOOKS_H_
#define _KERN_PANIC_HOOKS_H_

extern void (*panic_context_hook)(void);	/* prints current thread/task */
extern void (*panic_debugger_hook)(void);	/* enters the kernel debugger */

#endif
