#!/bin/sh
# tests/host/test_mig.sh - build (and run) the host test of tools/mig.
#
#   sh tests/host/test_mig.sh [--build-only]
#
# From a clean tree: generates stubs for tests/host/test_mig.defs and for
# every interface in include/mach/*.defs under build/host/mig/, builds
# build/host/test_mig natively with -fsanitize=address,undefined, checks
# that the server stubs of the real interfaces compile for the host (user
# mode) and for the kernel (i686, -DKERNEL, -fsyntax-only), then runs the
# test (TAP on stdout).  Exits non-zero on any failure.
# CC (default gcc) and KCC (default i686-linux-gnu-gcc) may be overridden.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

CC=${CC:-gcc}
KCC=${KCC:-i686-linux-gnu-gcc}
PY=${PYTHON:-python3}
OUT=build/host/mig
GEN=$OUT/gen
REAL=$OUT/real
STANDIN=$OUT/standin
BIN=build/host/test_mig
MIG="$PY tools/mig/mig.py"
REAL_DEFS="mach_port task thread_act vm_map mach_host exc mk_stats"

WARN="-std=gnu11 -Wall -Wextra -Werror"
HOSTFLAGS="$WARN -g -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer"
# The stand-ins come first: this tests the generator, not the kernel.
INC="-Iinclude -I$STANDIN -I."
KFLAGS="$WARN -ffreestanding -m32 -DKERNEL -fno-omit-frame-pointer"

rm -rf "$OUT"
mkdir -p "$GEN" "$REAL" "$STANDIN/mach" "$STANDIN/kern"

# Headers other parts of the tree will provide; stand-ins until they do.
printf '#include "%s/tests/host/test_mig_kstubs.h"\n' "$ROOT" \
    > "$STANDIN/kern/ipc_mig.h"

# Stubs of the test interface.
$MIG --defs tests/host/test_mig.defs -I include/mach \
    --user-header "$GEN/test_mig.h" --user-source "$GEN/test_migUser.c" \
    --server-header "$GEN/test_migServer.h" \
    --server-source "$GEN/test_migServer.c" \
    --fuzz-source "$GEN/test_migFuzz.c"

# Stubs of the real interfaces.
for d in $REAL_DEFS; do
	$MIG --defs "include/mach/$d.defs" -I include \
	    --user-header "$REAL/$d.h" --user-source "$REAL/${d}User.c" \
	    --server-header "$REAL/${d}Server.h" \
	    --server-source "$REAL/${d}Server.c" \
	    --fuzz-source "$REAL/${d}Fuzz.c"
done

# Kernel view: every server stub file and user header must compile for
# the i686 kernel.
for d in $REAL_DEFS; do
	$KCC $KFLAGS $INC -I"$REAL" -fsyntax-only "$REAL/${d}Server.c"
	printf '#include "%s.h"\n' "$d" |
	    $KCC $KFLAGS $INC -I"$REAL" -fsyntax-only -x c -
done

# i386 user view: the user stubs as user/lib will build them.
for d in $REAL_DEFS; do
	$KCC $WARN -ffreestanding -m32 $INC -I"$REAL" -fsyntax-only \
	    "$REAL/${d}User.c"
done

# i386 message sizes against XNU's, in both views.
$KCC $KFLAGS $INC -I"$REAL" -fsyntax-only tests/host/test_mig_layout.c
$KCC $WARN -ffreestanding -m32 $INC -I"$REAL" -fsyntax-only \
    tests/host/test_mig_layout.c

# Host user view of the real server stubs (not linked: the kernel
# implements them), with the translations declared by the stub header.
for d in $REAL_DEFS; do
	$CC $HOSTFLAGS $INC -I"$REAL" -include tests/host/test_mig_kstubs.h \
	    -c "$REAL/${d}Server.c" -o "$OUT/${d}Server.o"
done

# The test program.
OBJS=""
for src in tests/host/test_mig.c tests/host/test_mig_stubs.c \
    tests/host/test_mig_server.c; do
	o="$OUT/$(basename "$src" .c).o"
	$CC $HOSTFLAGS $INC -Itests/host -I"$GEN" -c "$src" -o "$o"
	OBJS="$OBJS $o"
done
$CC $HOSTFLAGS $INC -Itests/host -I"$GEN" -I"$REAL" \
    -c tests/host/test_mig_real.c -o "$OUT/test_mig_real.o"
OBJS="$OBJS $OUT/test_mig_real.o"
for f in test_migUser test_migServer test_migFuzz; do
	$CC $HOSTFLAGS $INC -Itests/host -I"$GEN" -c "$GEN/$f.c" \
	    -o "$OUT/$f.o"
	OBJS="$OBJS $OUT/$f.o"
done
for d in $REAL_DEFS; do
	for f in "${d}User" "${d}Fuzz"; do
		$CC $HOSTFLAGS $INC -I"$REAL" -c "$REAL/$f.c" -o "$OUT/$f.o"
		OBJS="$OBJS $OUT/$f.o"
	done
done
OBJS="$OBJS $OUT/excServer.o"
mkdir -p "$(dirname "$BIN")"
$CC $HOSTFLAGS $OBJS -o "$BIN"

if [ "${1:-}" = "--build-only" ]; then
	exit 0
fi
exec "$BIN"
