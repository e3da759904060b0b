/*
 * Inline access to i386 instructions the kernel needs: port I/O, control
 * registers, interrupt flag, TLB, rdtsc.
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <kern/types.h>

static inline void outb(uint16_t port, uint8_t v)
{ __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{ uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(uint16_t port, uint16_t v)
{ __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v)
{ __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint32_t read_cr0(void)
{ uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void)
{ uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void)
{ uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint32_t v)
{ __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t read_cr4(void)
{ uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint32_t v)
{ __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uintptr_t va)
{ __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline uint32_t read_eflags(void)
{ uint32_t v; __asm__ volatile("pushfl; popl %0" : "=r"(v)); return v; }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }
/* Enable interrupts and halt atomically: an interrupt pending at sti wakes the hlt. */
static inline void sti_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uint64_t rdtsc(void)
{ uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }

static inline uintptr_t read_ebp(void)
{ uintptr_t v; __asm__ volatile("mov %%ebp, %0" : "=r"(v)); return v; }

#define EFLAGS_IF	0x00000200u
#define EFLAGS_TF	0x00000100u
#define EFLAGS_IOPL	0x00003000u
#define EFLAGS_NT	0x00004000u
#define EFLAGS_RF	0x00010000u
#define EFLAGS_VM	0x00020000u
#define EFLAGS_AC	0x00040000u
/* Flags a user thread may set through thread_set_state. */
#define EFLAGS_USER_CHANGEABLE	0x00000dd5u	/* CF PF AF ZF SF TF DF OF */

#define CR0_WP		0x00010000u
#define CR0_PG		0x80000000u
#define CR4_PSE		0x00000010u
#define CR4_PGE		0x00000080u

#endif
