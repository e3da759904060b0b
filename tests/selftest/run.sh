#!/usr/bin/env bash
# Self-test of tests/runner.py and tests/bench.py against a fake QEMU
# (tests/selftest/fake_qemu.py) and fake host test binaries
# (tests/selftest/host/*.sh).  Prints TAP; exits non-zero if any check fails.
#
# Usage: tests/selftest/run.sh        (from anywhere; takes about 30 s)
#
# Each case runs one command and checks its exit status, its last output
# line, optional strings its output must contain, its wall time, and that no
# process started by the fake QEMU is still alive afterwards.

set -u
cd "$(dirname "$0")/../.." || exit 2
SELF=tests/selftest
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
touch "$TMP/kernel.elf"
export FAKE_QEMU_PIDS="$TMP/pids"

RUNNER=(python3 tests/runner.py --qemu "$SELF/fake_qemu.py"
        --kernel "$TMP/kernel.elf" --logdir "$TMP/logs")
BENCH=(python3 tests/bench.py --qemu "$SELF/fake_qemu.py"
       --kernel "$TMP/kernel.elf" --log "$TMP/bench.log"
       --markdown "$TMP/bench.md")

n=0
failures=0

# alive PID: true if PID exists and is not a zombie.
alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# check NAME RC LAST MAXSECS [MUST-CONTAIN...] -- COMMAND...
check() {
    local name=$1 want_rc=$2 want_last=$3 max=$4
    shift 4
    local -a needles=()
    while [ "$1" != -- ]; do needles+=("$1"); shift; done
    shift
    n=$((n + 1))
    : >"$FAKE_QEMU_PIDS"
    local out="$TMP/case$n.out" start end rc problems=()
    start=$(date +%s)
    # A hung runner must fail this case, not hang the self-test.
    timeout -k 5 $((max + 30)) "$@" >"$out" 2>&1
    rc=$?
    end=$(date +%s)
    local last
    last=$(tail -n 1 "$out")
    [ "$rc" = "$want_rc" ] || problems+=("exit status $rc, want $want_rc")
    [ -z "$want_last" ] || [ "$last" = "$want_last" ] ||
        problems+=("last line '$last', want '$want_last'")
    local needle
    for needle in "${needles[@]}"; do
        grep -qF -- "$needle" "$out" || problems+=("output lacks '$needle'")
    done
    [ $((end - start)) -le "$max" ] ||
        problems+=("took $((end - start))s, limit ${max}s")
    local pid
    while read -r pid; do
        if alive "$pid"; then
            problems+=("process $pid left running")
            kill -9 "$pid" 2>/dev/null
        fi
    done <"$FAKE_QEMU_PIDS"
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok $n - $name"
    else
        failures=$((failures + 1))
        echo "not ok $n - $name"
        local p
        for p in "${problems[@]}"; do echo "    # $p"; done
        echo "    # --- output (last 15 lines) ---"
        tail -n 15 "$out" | sed 's/^/    # /'
    fi
}

echo "TAP version 13"

check "tap/bench unit tests" 0 OK 30 -- \
    python3 -m unittest discover -s "$SELF" -p 'test_*.py'

# --- boots -----------------------------------------------------------------
check "boot: all pass (exit 33), subtests and SKIP" 0 "3 passed, 0 failed" 10 \
    "[t] ok 3 - kmsg cache" "[t]     not ok 2 - indented, not counted" \
    "1 skipped" -- "${RUNNER[@]}" --boot t=pass
check "boot: log file saved without CR" 0 "" 5 -- \
    sh -c "grep -qx 'ok 3 - kmsg cache' '$TMP/logs/t.log'"
check "boot: some fail (exit 35)" 1 "2 passed, 1 failed" 10 \
    "FAILED: t: not ok 2 - port refs" -- "${RUNNER[@]}" --boot t=somefail
check "boot: triple fault (exit 0)" 1 "2 passed, 1 failed" 10 \
    "FAILED: boot t: QEMU exited with status 0" "plan 1..4 but 2" \
    "[t] | ok 2 - b" -- "${RUNNER[@]}" --boot t=triple
check "boot: hard timeout kills QEMU group" 1 "1 passed, 1 failed" 15 \
    "FAILED: boot t: timed out after 3s (QEMU killed)" -- \
    "${RUNNER[@]}" --timeout 3 --boot t=hang
check "boot: panic stops ~5 s later, backtrace shown" 1 "1 passed, 1 failed" 15 \
    "FAILED: boot t: kernel panic (panic: assertion failed" \
    "[t] | backtrace: 0xc0100042 kmain" -- \
    "${RUNNER[@]}" --timeout 120 --boot t=panic
check "boot: no plan" 1 "2 passed, 1 failed" 10 \
    "FAILED: boot t: no TAP plan" -- "${RUNNER[@]}" --boot t=noplan
check "boot: fewer points than plan" 1 "3 passed, 1 failed" 10 \
    "FAILED: boot t: plan 1..5 but 3 test points seen" -- \
    "${RUNNER[@]}" --boot t=short
check "boot: exit 33 with not ok is inconsistent" 1 "1 passed, 2 failed" 10 \
    "FAILED: t: not ok 2 - b" "FAILED: boot t: inconsistent: QEMU exit 33" -- \
    "${RUNNER[@]}" --boot t=inconsistent33
check "boot: exit 35 without not ok is inconsistent" 1 "2 passed, 1 failed" 10 \
    "FAILED: boot t: inconsistent: QEMU exit 35" -- \
    "${RUNNER[@]}" --boot t=inconsistent35
check "boot: unexpected debug-exit value" 1 "1 passed, 1 failed" 10 \
    "unexpected value 0x2 to isa-debug-exit (QEMU exit 5)" -- \
    "${RUNNER[@]}" --boot t=oddexit
check "boot: last line without newline" 0 "2 passed, 0 failed" 10 -- \
    "${RUNNER[@]}" --boot t=partial
check "boot: child holding the pipe is killed, no hang" 0 "1 passed, 0 failed" 10 -- \
    "${RUNNER[@]}" --boot t=orphan
check "boot: QEMU error shows stderr" 1 "0 passed, 1 failed" 10 \
    "[t] ! qemu-system-i386: could not load kernel" "no TAP plan" -- \
    "${RUNNER[@]}" --boot t=qemu_error
check "boot: missing kernel image" 1 "0 passed, 1 failed" 10 \
    "FAILED: boot t: kernel image $TMP/nokernel not found" -- \
    "${RUNNER[@]}" --kernel "$TMP/nokernel" --boot t=pass
check "boot: QEMU binary missing" 1 "0 passed, 1 failed" 10 \
    "FAILED: boot t: cannot run $TMP/no-qemu" -- \
    "${RUNNER[@]}" --qemu "$TMP/no-qemu" --boot t=pass

# --- host tests ------------------------------------------------------------
check "host: passing binary" 0 "3 passed, 0 failed" 10 \
    "[pass.sh] ok 3 - window arithmetic" -- "${RUNNER[@]}" --host "$SELF/host/pass.sh"
check "host: not ok + exit 1 counts once" 1 "1 passed, 1 failed" 10 \
    "FAILED: fail.sh: not ok 2 - b" -- "${RUNNER[@]}" --host "$SELF/host/fail.sh"
check "host: crash (SIGSEGV)" 1 "1 passed, 1 failed" 10 \
    "FAILED: host crash.sh: killed by SIGSEGV" "[crash.sh] ! AddressSanitizer" -- \
    "${RUNNER[@]}" --host "$SELF/host/crash.sh"
check "host: plan mismatch with exit 0" 1 "2 passed, 1 failed" 10 \
    "FAILED: host plan.sh: plan 1..4 but 2 test points seen" -- \
    "${RUNNER[@]}" --host "$SELF/host/plan.sh"
check "host: hang is killed at --host-timeout" 1 "1 passed, 1 failed" 10 \
    "FAILED: host hang.sh: timed out after 2s" -- \
    "${RUNNER[@]}" --host-timeout 2 --host "$SELF/host/hang.sh"
check "host: TODO failure is not a failure" 0 "2 passed, 0 failed" 10 -- \
    "${RUNNER[@]}" --host "$SELF/host/todo.sh"
check "host: missing binary" 1 "0 passed, 1 failed" 10 \
    "FAILED: host nothere: cannot run" -- "${RUNNER[@]}" --host "$TMP/nothere"

# --- whole runs and usage --------------------------------------------------
check "mixed run sums everything" 1 "10 passed, 3 failed" 20 \
    "FAILED: fail.sh: not ok 2 - b" "FAILED: a: not ok 2 - port refs" \
    "FAILED: boot c: QEMU exited with status 0" -- \
    "${RUNNER[@]}" --host "$SELF/host/pass.sh" --host "$SELF/host/fail.sh" \
    --boot a=somefail --boot b=partial --boot c=triple
check "usage: nothing to run is an error" 2 "" 5 "nothing to run" -- \
    python3 tests/runner.py
check "usage: bad --boot label" 2 "" 5 "LABEL=CMDLINE" -- \
    python3 tests/runner.py --boot "../x=pass"
check "unusable log directory still ends in a summary" 1 "0 passed, 1 failed" 5 \
    "cannot create log directory" -- "${RUNNER[@]}" --logdir /dev/null/x --boot t=pass
check "usage: --help" 0 "" 5 "--extra-qemu-args" -- python3 tests/runner.py --help

# --- bench -----------------------------------------------------------------
check "bench: all within budget" 0 "" 10 \
    "bench ok: 10 figures, 0 over budget" "PASS (stretch met)" \
    "rpc_rt_inter_task_slow / rpc_rt_inter_task" "longipc_4k per byte" \
    "ctx_switch" -- "${BENCH[@]}"
check "bench: markdown written" 0 "" 5 -- \
    grep -q '^| null_trap | 48 | <= 60 | PASS |$' "$TMP/bench.md"
check "bench: over budget fails" 1 "" 10 "over budget: null_trap" \
    "PASS (stretch not met)" -- "${BENCH[@]}" --cmdline bench_over
check "bench: missing inputs are n/a" 0 "" 10 "lwkt_domsg_rt" "n/a" -- \
    "${BENCH[@]}" --cmdline bench_partial
check "bench: exit 35 is a boot failure" 1 "" 10 "bench: boot failed" \
    "guest reported some failed" -- "${BENCH[@]}" --cmdline bench_fail35
check "bench: panic is a boot failure" 1 "" 15 "kernel panic" -- \
    "${BENCH[@]}" --cmdline panic
check "bench: --kvm passes -accel kvm -cpu host" 0 "" 10 "CPU cycles" \
    "-accel kvm -cpu host" -- "${BENCH[@]}" --kvm --cmdline bench_good

echo "1..$n"
if [ "$failures" -ne 0 ]; then
    echo "# $failures of $n self-tests failed"
    exit 1
fi
echo "# all $n self-tests passed"
