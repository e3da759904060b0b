#!/usr/bin/env python3
"""Stand-in for qemu-system-i386 used by the runner self-tests.

It checks that it was given the arguments GUIDE.md fixes, then plays the
scenario named by the kernel command line (``-append SCENARIO``): it prints
scripted serial lines on stdout, then exits with a chosen status (as QEMU does
after an isa-debug-exit write), or hangs.

If the environment variable FAKE_QEMU_PIDS names a file, the pid of this
process and of any helper child it starts are appended to it, so the
self-test can check that nothing is left running afterwards.
"""

import os
import subprocess
import sys
import time

PASS = ["TAP version 13", "1..3", "# kernel self-tests", "ok 1 - ports",
        "    1..2", "    ok 1 - sub a", "    not ok 2 - indented, not counted",
        "ok 2 - fpu # SKIP no fpu", "ok 3 - kmsg cache"]
BENCH_GOOD = ["BENCH null_trap 48 insns", "BENCH rpc_rt_intra_task 310 insns",
              "BENCH rpc_rt_inter_task 380.5 insns",
              "BENCH rpc_rt_inter_task_slow 1200 insns",
              "BENCH kernel_rpc_rt 900 insns", "BENCH exception_rt 1500 insns",
              "BENCH longipc_4k 2048 insns", "BENCH longipc_64k 20000 insns",
              "BENCH kmsg_copy_64k 50000 insns", "BENCH ctx_switch 150 insns"]

# scenario: (serial lines, then: exit status | "hang"; options)
SCENARIOS = {
    "pass": (PASS, 33, {"crlf": True}),
    "somefail": (["TAP version 13", "1..3", "ok 1 - a",
                  "not ok 2 - port refs", "# got 2 expected 1", "ok 3 - c"],
                 35, {}),
    "triple": (["TAP version 13", "1..4", "ok 1 - a", "ok 2 - b"], 0, {}),
    "hang": (["TAP version 13", "1..2", "ok 1 - a"], "hang", {"child": True}),
    "panic": (["TAP version 13", "1..3", "ok 1 - a",
               "panic: assertion failed: port->ref > 0 (ipc_port.c:42)",
               "backtrace: 0xc0101234 ipc_port_release",
               "backtrace: 0xc0100042 kmain"], "hang", {}),
    "noplan": (["TAP version 13", "ok 1 - a", "ok 2 - b"], 33, {}),
    "short": (["TAP version 13", "1..5", "ok 1 - a", "ok 2 - b", "ok 3 - c"],
              33, {}),
    "inconsistent33": (["1..2", "ok 1 - a", "not ok 2 - b"], 33, {}),
    "inconsistent35": (["1..2", "ok 1 - a", "ok 2 - b"], 35, {}),
    "oddexit": (["1..1", "ok 1 - a"], 5, {}),
    "partial": (["1..2", "ok 1 - a", "ok 2 - no newline"], 33,
                {"no_final_newline": True}),
    "orphan": (["1..1", "ok 1 - a"], 33, {"orphan": True}),
    "qemu_error": (["qemu-system-i386: could not load kernel"], 1,
                   {"stderr": True}),
    "bench": (BENCH_GOOD, 33, {}),  # bench.py's default --cmdline
    "bench_good": (BENCH_GOOD, 33, {}),
    "bench_over": (["BENCH null_trap 75 insns",
                    "BENCH rpc_rt_inter_task 550 insns",
                    "BENCH rpc_rt_inter_task_slow 700 insns"], 33, {}),
    "bench_partial": (["BENCH null_trap 40 insns",
                       "BENCH lwkt_domsg_rt 123.25 insns"], 33, {}),
    "bench_fail35": (["BENCH null_trap 40 insns"], 35, {}),
}

REQUIRED = [["-m", "256M"], ["-display", "none"], ["-no-reboot"],
            ["-serial", "stdio"],
            ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
            ["-monitor", "none"]]


def arg_after(argv, flag):
    """Return the argument following ``flag``, or None."""
    return argv[argv.index(flag) + 1] if flag in argv[:-1] else None


def has_seq(argv, seq):
    """True if ``seq`` appears contiguously in ``argv``."""
    return any(argv[i:i + len(seq)] == seq for i in range(len(argv)))


def check_args(argv, scenario):
    """Return a list of problems with the QEMU command line."""
    problems = [f"missing {' '.join(s)}" for s in REQUIRED
                if not has_seq(argv, s)]
    kernel = arg_after(argv, "-kernel")
    if kernel is None or not os.path.isfile(kernel):
        problems.append(f"-kernel missing or not a file: {kernel}")
    accel = arg_after(argv, "-accel")
    if accel == "kvm":
        if not has_seq(argv, ["-cpu", "host"]):
            problems.append("kvm without -cpu host")
    elif accel != "tcg":
        problems.append(f"bad -accel {accel}")
    elif scenario.startswith("bench") and not has_seq(argv,
                                                      ["-icount", "shift=0"]):
        problems.append("bench without -icount shift=0")
    return problems


def main():
    argv = sys.argv[1:]
    scenario = arg_after(argv, "-append") or ""
    if scenario not in SCENARIOS:
        print(f"fake-qemu: unknown scenario {scenario!r}", file=sys.stderr)
        return 1
    problems = check_args(argv, scenario)
    if problems:
        print(f"fake-qemu: bad arguments: {'; '.join(problems)}",
              file=sys.stderr)
        return 1
    lines, end, opts = SCENARIOS[scenario]
    pidfile = os.environ.get("FAKE_QEMU_PIDS")
    pids = [os.getpid()]
    if opts.get("child") or opts.get("orphan"):
        # A helper in our process group; "orphan" keeps stdout open after
        # we exit, which the runner must not wait on forever.
        child = subprocess.Popen(["sleep", "300"], stdin=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        pids.append(child.pid)
    if pidfile:
        with open(pidfile, "a") as f:
            f.write("".join(f"{p}\n" for p in pids))
    print("SeaBIOS (fake)", file=sys.stderr, flush=True)
    out = sys.stderr.buffer if opts.get("stderr") else sys.stdout.buffer
    eol = b"\r\n" if opts.get("crlf") else b"\n"
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        out.write(line.encode() + (b"" if last and opts.get("no_final_newline")
                                   else eol))
        out.flush()
        time.sleep(0.01)
    if end == "hang":
        while True:
            time.sleep(60)
    os._exit(end)  # do not wait for the child, like QEMU would not


if __name__ == "__main__":
    sys.exit(main())
