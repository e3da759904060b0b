/*
 * Host shim of the kernel thread API used by kern/msgport.c and its
 * tests: simulated kernel threads (see shim.c).
 */
#ifndef _SHIM_KERN_THREAD_H_
#define _SHIM_KERN_THREAD_H_

struct thread;
typedef struct thread *thread_t;

thread_t current_thread(void);
thread_t kernel_thread_create(const char *name, void (*fn)(void *),
			      void *arg, int pri);
void kernel_thread_exit(void) __attribute__((noreturn));

#endif
