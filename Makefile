# Build, boot, test and debug the kernel.  `make help` lists the targets.
#
# Everything lands in build/.  The kernel is linked twice: the first link
# provides the symbol table (tools/gensyms.py), the second links it into
# .ksyms, the last section, so no other address moves.

CROSS    ?= i686-linux-gnu-
CC       := $(CROSS)gcc
NM       := $(CROSS)nm
OBJCOPY  := $(CROSS)objcopy
AR       := $(CROSS)ar
HOSTCC   ?= gcc
PYTHON   ?= python3
QEMU     ?= qemu-system-i386
GDB      ?= gdb
GDBPORT  ?= 1234
MEM      ?= 256M
CMDLINE  ?=
TIMEOUT  ?= 900
B        := build
V        ?= 0
ifeq ($(V),0)
Q        := @
say       = @printf '  %-7s %s\n' $(1) $(2);
else
Q        :=
say       =
endif

.DEFAULT_GOAL := all
# generated sources are kept, not removed as make intermediates
.SECONDARY:

# ---------------------------------------------------------------- flags

WARN      := -Wall -Wextra -Werror
COMMON    := -std=gnu11 -m32 -march=i686 -O2 -g -ffreestanding -fno-pie -fno-pic \
             -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
             -mgeneral-regs-only -fno-asynchronous-unwind-tables $(WARN) -MMD -MP
KCFLAGS   := $(COMMON) -DKERNEL -Iinclude -I. -Iarch/i386/include -I$(B)/gen
KASFLAGS  := -m32 -g -DKERNEL -D__ASSEMBLER__ -Iinclude -I. -Iarch/i386/include -I$(B)/gen -MMD -MP
KLDFLAGS  := -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
             -Wl,--no-warn-rwx-segments -T linker.ld
UCFLAGS   := $(COMMON) -Iinclude -Iuser/lib/include -I$(B)/gen
ULDFLAGS  := -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
             -Wl,--no-warn-rwx-segments -T user/lib/user.ld
HOSTCFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
             -fno-omit-frame-pointer -Iinclude -I. -Itests/host

# ---------------------------------------------------------------- kernel

KSRCS := $(wildcard boot/*.S arch/i386/*.S arch/i386/*.c kern/*.c ipc/*.c vm/*.c)
KOBJS := $(patsubst %,$(B)/k/%.o,$(KSRCS))

# User programs linked into the boot image (tools/genimages.py).
ULIB_SRCS  := $(wildcard user/lib/*.c user/lib/*.S)
ULIB_OBJS  := $(patsubst %,$(B)/u/%.o,$(ULIB_SRCS)) $(B)/u/kern/fmt.c.o \
              $(patsubst %,$(B)/u/gen/%User.c.o,mach_port task thread_act vm_map mach_host mk_stats host_priv exc) \
              $(B)/u/gen/excServer.c.o
# Every file is one program, except user/bootstrap/, which is one program
# made of all its files (bootstrap.c has main).
UPROGS     := bootstrap/bootstrap \
              $(patsubst user/%.c,%,$(wildcard user/tests/*.c user/bench/*.c \
              user/demo/*.c user/testaux/*.c user/benchaux/*.c))
# The fuzzer's programs (user/fuzz/, issue 10; fz_*.c are its library).
UPROGS     += $(patsubst user/%.c,%,$(filter-out user/fuzz/fz_%,$(wildcard user/fuzz/*.c)))
BOOTSTRAP_EXTRA := $(patsubst %,$(B)/u/%.o,$(filter-out user/bootstrap/bootstrap.c,$(wildcard user/bootstrap/*.c)))
UPROG_ELFS := $(patsubst %,$(B)/user/%.elf,$(UPROGS))

# The message hot path gets EBP as a general register (i386 has few); the
# backtracer stops cleanly at a frame without a frame pointer.
$(B)/k/ipc/mach_msg_fast.c.o: KCFLAGS += -fomit-frame-pointer

# Structure offsets for the assembly message path: arch/i386/gen/assym.c
# compiled to assembly (never linked), its "->NAME value" markers turned
# into #defines.
$(B)/gen/assym.s: arch/i386/gen/assym.c | deps
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(KCFLAGS) -S $< -o $@

$(B)/gen/assym.h: $(B)/gen/assym.s
	$(call say,GEN,$@)sed -n 's/^.*->\([A-Za-z0-9_]*\) \(-\{0,1\}[0-9][0-9]*\).*$$/#define \1 \2/p' \
		$< > $@.tmp && mv $@.tmp $@

$(B)/k/arch/i386/msg_fast.S.o: $(B)/gen/assym.h

$(B)/k/%.c.o: %.c | deps
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.S.o: %.S | deps
	@mkdir -p $(dir $@)
	$(call say,AS,$<)$(CC) $(KASFLAGS) -c $< -o $@

$(B)/k/gen/%.S.o: $(B)/gen/%.S
	@mkdir -p $(dir $@)
	$(call say,AS,$<)$(CC) $(KASFLAGS) -c $< -o $@

$(B)/gen/ksyms0.S:
	@mkdir -p $(dir $@)
	$(Q)printf '\t.section .ksyms, "a"\n' > $@

$(B)/gen/userimages.S: tools/genimages.py $(UPROG_ELFS)
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) tools/genimages.py $@ $(UPROG_ELFS)

# ---------------------------------------------------------------- MIG
# tools/mig turns include/mach/*.defs into kernel servers and user stubs.
MIG       := $(PYTHON) tools/mig/mig.py
MIG_DEPS  := $(wildcard tools/mig/*.py) include/mach/std_types.defs include/mach/mach_types.defs
GEN       := $(B)/gen/mach
KSERVERS  := mach_port task thread_act vm_map mach_host mk_stats host_priv
USTUBS    := mach_port task thread_act vm_map mach_host mk_stats host_priv exc
# libmk wraps these with XNU's trap-first functions, as libsyscall does
MIG_UPREFIX_mach_port := --user-prefix _kernelrpc_
MIG_UPREFIX_vm_map    := --user-prefix _kernelrpc_

$(GEN)/%Server.c $(GEN)/%Server.h: include/mach/%.defs $(MIG_DEPS)
	@mkdir -p $(GEN)
	$(call say,MIG,$<)$(MIG) --defs $< -I include --server-header $(GEN)/$*Server.h \
		--server-source $(GEN)/$*Server.c --fuzz-source $(GEN)/$*Fuzz.c

$(GEN)/%User.c $(GEN)/%.h: include/mach/%.defs $(MIG_DEPS)
	@mkdir -p $(GEN)
	$(call say,MIG,$<)$(MIG) --defs $< -I include --user-header $(GEN)/$*.h \
		--user-source $(GEN)/$*User.c $(MIG_UPREFIX_$*)

$(GEN)/mach_interface.h: $(patsubst %,$(GEN)/%.h,$(USTUBS))
	$(Q)printf '/* generated: every MIG user interface */\n' > $@
	$(Q)for h in $(USTUBS); do printf '#include <mach/%s.h>\n' $$h >> $@; done

MIG_KOBJS := $(patsubst %,$(B)/k/gen/%Server.c.o,$(KSERVERS))
MIG_HDRS  := $(patsubst %,$(GEN)/%Server.h,$(KSERVERS)) $(patsubst %,$(GEN)/%.h,$(USTUBS)) \
             $(GEN)/mach_interface.h

$(B)/k/gen/%Server.c.o: $(GEN)/%Server.c $(GEN)/%Server.h
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(KCFLAGS) -I$(GEN) -c $< -o $@

# Kernel and user objects may include generated headers.
UPROG_OBJS := $(patsubst %,$(B)/u/user/%.c.o,$(UPROGS))
$(KOBJS) $(ULIB_OBJS) $(UPROG_OBJS) $(BOOTSTRAP_EXTRA): | $(MIG_HDRS)

KLINK_OBJS := $(KOBJS) $(MIG_KOBJS) $(B)/k/gen/userimages.S.o $(EXTRA_KOBJS)

$(B)/kernel.pass1.elf: $(KLINK_OBJS) $(B)/k/gen/ksyms0.S.o linker.ld
	$(call say,LD,$@)$(CC) $(KLDFLAGS) -o $@ $(KLINK_OBJS) $(B)/k/gen/ksyms0.S.o -lgcc

$(B)/gen/ksyms.S: $(B)/kernel.pass1.elf tools/gensyms.py
	$(Q)$(NM) -n $< > $(B)/kernel.pass1.nm
	$(call say,GEN,$@)$(PYTHON) tools/gensyms.py $(B)/kernel.pass1.nm $@

$(B)/kernel.elf: $(KLINK_OBJS) $(B)/k/gen/ksyms.S.o linker.ld
	$(call say,LD,$@)$(CC) $(KLDFLAGS) -o $@.tmp $(KLINK_OBJS) $(B)/k/gen/ksyms.S.o -lgcc
	@$(NM) -n $@.tmp | grep -v ' __ksyms_end$$\| _kernel_end$$' > $(B)/kernel.final.nm
	@grep -v ' __ksyms_end$$\| _kernel_end$$' $(B)/kernel.pass1.nm | cmp -s - $(B)/kernel.final.nm || \
		{ echo "error: symbols moved between the two links"; exit 1; }
	$(Q)mv $@.tmp $@

# ---------------------------------------------------------------- user

$(B)/u/%.c.o: %.c | deps
	@mkdir -p $(dir $@)
	$(call say,UCC,$<)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/u/%.S.o: %.S | deps
	@mkdir -p $(dir $@)
	$(CC) -m32 -D__ASSEMBLER__ -Iinclude -Iuser/lib/include -MMD -MP -c $< -o $@

$(B)/u/gen/%.c.o: $(GEN)/%.c
	@mkdir -p $(dir $@)
	$(call say,UCC,$<)$(CC) $(UCFLAGS) -I$(GEN) -c $< -o $@

$(B)/user/libmk.a: $(ULIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/user/%.elf: $(B)/u/user/%.c.o $(B)/user/libmk.a user/lib/user.ld
	@mkdir -p $(dir $@)
	$(call say,ULD,$@)$(CC) $(ULDFLAGS) -o $@ $(B)/u/user/lib/crt0.S.o $< $(B)/user/libmk.a -lgcc

$(B)/user/bootstrap/bootstrap.elf: $(B)/u/user/bootstrap/bootstrap.c.o $(BOOTSTRAP_EXTRA) \
		$(B)/user/libmk.a user/lib/user.ld
	@mkdir -p $(dir $@)
	$(call say,ULD,$@)$(CC) $(ULDFLAGS) -o $@ $(B)/u/user/lib/crt0.S.o $< $(BOOTSTRAP_EXTRA) \
		$(B)/user/libmk.a -lgcc

# ---------------------------------------------------------------- fuzzer
# user/fuzz/ (issue 10): fz_*.c and the MIG fuzz tables of every subsystem
# the Makefile knows (a new .defs in KSERVERS or USTUBS is fuzzed at once)
# make libfuzz.a; every other file there is a program linked with it.
# The fuzz image is the same kernel with fuzz/coord as its first task.
FUZZ_SUBSYS   := $(sort $(KSERVERS) $(USTUBS))
FUZZ_PROGS    := $(patsubst user/%.c,%,$(filter-out user/fuzz/fz_%,$(wildcard user/fuzz/*.c)))
FUZZ_LIB_OBJS := $(patsubst %,$(B)/u/%.o,$(wildcard user/fuzz/fz_*.c)) \
                 $(patsubst %,$(B)/u/gen/%Fuzz.c.o,$(FUZZ_SUBSYS)) $(B)/u/gen/fz_tables.c.o
$(FUZZ_LIB_OBJS): | $(MIG_HDRS)

$(GEN)/%Fuzz.c: $(GEN)/%Server.c
	@test -f $@

$(GEN)/fz_tables.c: Makefile
	@mkdir -p $(dir $@)
	$(Q)printf '/* generated by the Makefile: every fuzz table */\n#include "fz.h"\n' > $@
	$(Q)for s in $(FUZZ_SUBSYS); do printf 'extern const struct mig_fuzz_routine %s_fuzz_table[];\nextern const unsigned int %s_fuzz_count;\n' $$s $$s >> $@; done
	$(Q)printf 'const struct fz_subsystem fz_subsystems[] = {\n' >> $@
	$(Q)for s in $(FUZZ_SUBSYS); do printf '\t{ "%s", %s_fuzz_table, &%s_fuzz_count },\n' $$s $$s $$s >> $@; done
	$(Q)printf '};\nconst unsigned int fz_nsubsystems = %u;\n' $(words $(FUZZ_SUBSYS)) >> $@

$(B)/u/gen/fz_tables.c.o: UCFLAGS += -Iuser/fuzz

$(B)/user/libfuzz.a: $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/user/fuzz/%.elf: $(B)/u/user/fuzz/%.c.o $(B)/user/libfuzz.a $(B)/user/libmk.a user/lib/user.ld
	@mkdir -p $(dir $@)
	$(call say,ULD,$@)$(CC) $(ULDFLAGS) -o $@ $(B)/u/user/lib/crt0.S.o $< $(B)/user/libfuzz.a \
		$(B)/user/libmk.a -lgcc

FUZZ_IMG_PROGS := $(B)/fuzzimg/user/bootstrap/bootstrap.elf $(patsubst %,$(B)/user/%.elf,$(FUZZ_PROGS))
FUZZ_KLINK     := $(KOBJS) $(MIG_KOBJS) $(B)/k/gen/fuzzimages.S.o $(EXTRA_KOBJS)

$(B)/fuzzimg/user/bootstrap/bootstrap.elf: $(B)/user/fuzz/coord.elf
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(B)/gen/fuzzimages.S: tools/genimages.py $(FUZZ_IMG_PROGS)
	$(call say,GEN,$@)$(PYTHON) tools/genimages.py $@ $(FUZZ_IMG_PROGS)

$(B)/fuzz/kernel.pass1.elf: $(FUZZ_KLINK) $(B)/k/gen/ksyms0.S.o linker.ld
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(KLDFLAGS) -o $@ $(FUZZ_KLINK) $(B)/k/gen/ksyms0.S.o -lgcc

$(B)/gen/fuzz-ksyms.S: $(B)/fuzz/kernel.pass1.elf tools/gensyms.py
	$(Q)$(NM) -n $< > $(B)/fuzz/kernel.pass1.nm
	$(call say,GEN,$@)$(PYTHON) tools/gensyms.py $(B)/fuzz/kernel.pass1.nm $@

$(B)/fuzz/kernel.elf: $(FUZZ_KLINK) $(B)/k/gen/fuzz-ksyms.S.o linker.ld
	$(call say,LD,$@)$(CC) $(KLDFLAGS) -o $@ $(FUZZ_KLINK) $(B)/k/gen/fuzz-ksyms.S.o -lgcc

# ---------------------------------------------------------------- host tests

# Single-file host tests build with the generic rule; the others have
# their own rules below.
HOST_SIMPLE := test_abi test_fmt test_vm_map test_lipc_window
HOST_TESTS  := $(patsubst %,$(B)/host/%,$(HOST_SIMPLE)) $(B)/host/test_mig $(B)/host/test_msgport

$(B)/host/%: tests/host/%.c
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -o $@ $<

# The MIG generator: stubs and servers from a test .defs and the real ones.
MIG_TEST_DEPS := $(wildcard tools/mig/*.py include/mach/*.defs include/mach/*.h tests/host/test_mig*)
$(B)/host/test_mig: $(MIG_TEST_DEPS)
	$(call say,HOSTCC,$@)sh tests/host/test_mig.sh --build-only > $(B)/host-test-mig-build.log 2>&1 || \
		{ cat $(B)/host-test-mig-build.log; exit 1; }

# LWKT message ports on a host shim of the scheduler.
MSGPORT_HOST_SRCS := tests/host/msgport_shim/shim.c kern/msgport.c \
                     kern/msgport_test.c kern/msgport_bench.c kern/console_thread.c
$(B)/host/test_msgport: tests/host/test_msgport.c $(MSGPORT_HOST_SRCS)
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$<)$(HOSTCC) -DLWKT_HOST_SHIM -Itests/host/msgport_shim \
		$(HOSTCFLAGS) -pthread -o $@ $< $(MSGPORT_HOST_SRCS)

# ---------------------------------------------------------------- targets

QEMU_BASE := $(QEMU) -accel tcg -m $(MEM) -no-reboot \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04

.PHONY: all deps run iso run-iso test bench itrace debug gdb clean help host-tests fuzz

all: $(B)/kernel.elf

deps:
	@sh tools/deps.sh

help:
	@echo "make [all]    build build/kernel.elf"
	@echo "make run      boot it in QEMU, serial console on this terminal (Ctrl-A x quits)"
	@echo "make iso      build build/kernel.iso (GRUB, serial console)"
	@echo "make run-iso  boot the ISO through GRUB"
	@echo "make test     host unit tests + in-guest tests; last line 'N passed, N failed'"
	@echo "make bench    benchmarks in guest instructions (-icount shift=0)"
	@echo "make itrace   instructions of one RPC round trip, per function"
	@echo "make fuzz     the in-guest fuzzer: SEED=n N=calls (see README to replay a failure)"
	@echo "make debug    QEMU paused with its gdbstub on GDBPORT ($(GDBPORT))"
	@echo "make gdb      attach GDB to 'make debug' with tools/gdb (mk-* commands), stop at kmain"
	@echo "make clean    remove build/"

run: $(B)/kernel.elf
	$(QEMU_BASE) -display none -serial mon:stdio -kernel $< -append "$(CMDLINE)"

$(B)/kernel.iso: $(B)/kernel.elf boot/grub.cfg | deps
	rm -rf $(B)/iso
	mkdir -p $(B)/iso/boot/grub
	cp $(B)/kernel.elf $(B)/iso/boot/kernel.elf
	sed 's|@CMDLINE@|$(CMDLINE)|' boot/grub.cfg > $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2> $(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

iso: $(B)/kernel.iso

run-iso: $(B)/kernel.iso
	$(QEMU_BASE) -display none -serial mon:stdio -cdrom $<

host-tests: $(HOST_TESTS)

test: $(B)/kernel.elf $(HOST_TESTS)
	MK_BUILD=$(B) $(PYTHON) tests/runner.py --kernel $(B)/kernel.elf --timeout $(TIMEOUT) \
		--logdir $(B)/test-logs $(addprefix --host ,$(HOST_TESTS)) \
		--host tests/gdb_test.py --host tests/kdb_test.py \
		--boot "test=test $(CMDLINE)" \
		--boot "nohotpath=test nohotpath only=tests/ipc_ $(CMDLINE)"

# make fuzz SEED=n N=calls [WORKERS= THREADS= CALLS= ROUND= VERBOSE=1 THREAD= WORKER= KINDS=
#            FUZZ_TIMEOUT=]  (tests/fuzz.py; README: reproducing a failure)
SEED         ?= 1
N            ?= 100000
WORKERS      ?= 4
THREADS      ?= 3
CALLS        ?= 1000
FUZZ_TIMEOUT ?= 600
fuzz: $(B)/fuzz/kernel.elf
	$(PYTHON) tests/fuzz.py --kernel $< --seed $(SEED) --n $(N) --workers $(WORKERS) \
		--threads $(THREADS) --calls $(CALLS) --round '$(ROUND)' --verbose '$(VERBOSE)' \
		--thread '$(THREAD)' --worker '$(WORKER)' --kinds '$(KINDS)' \
		--timeout $(FUZZ_TIMEOUT) --mem $(MEM) --logdir $(B)/fuzz-logs

bench: $(B)/kernel.elf
	$(PYTHON) tests/bench.py --kernel $(B)/kernel.elf --cmdline "bench $(CMDLINE)"

# Where the instructions of one rpc_rt_inter_task round trip go, function
# by function (single-stepped through QEMU's gdbstub; ITRACE= passes more
# options to tools/itrace.py).
itrace: $(B)/kernel.elf
	$(PYTHON) tools/itrace.py --kernel $(B)/kernel.elf $(ITRACE)

debug: $(B)/kernel.elf
	@echo "QEMU paused; gdbstub on tcp::$(GDBPORT).  In another terminal: make gdb"
	$(QEMU_BASE) -display none -serial mon:stdio -S -gdb tcp::$(GDBPORT) \
		-kernel $< -append "$(CMDLINE)"

gdb: $(B)/kernel.elf
	MK_BUILD=$(B) $(GDB) -q -x tools/gdb/gdbinit -ex 'target remote :$(GDBPORT)' \
		-ex 'tbreak kmain' -ex 'continue'

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
