#!/usr/bin/env python3
"""Host driver of the in-guest fuzzer: ``make fuzz SEED=... N=...`` (issue 10).

Boots the fuzz image (build/fuzz/kernel.elf: the kernel with the fuzz
coordinator, user/fuzz/coord.c, as its first task) under QEMU with the
run's parameters on the kernel command line, echoes the guest's console
(the verbose per-call lines of a replay included) and saves it to
LOGDIR/fuzz-seed-SEED.log.

The run passes when the guest ends with QEMU exit 33 after
``# FUZZ done seed S: C calls, 0 failure(s)``.  It fails on:

* a kernel panic or fatal kernel trap (the kernel prints it and exits),
* a ``# FUZZ-FAIL`` line: a worker hurt by the kernel, a hang found by the
  coordinator's watchdog (with each stuck thread's trap and call), an IPC
  invariant violation, the bystander's memory changed, or a leak,
* a guest that prints nothing for --silence seconds (the kernel itself is
  stuck) or runs past the overall time limit.

Failures are reported with the seed, the round the guest was in and the
command that replays it, e.g. ``make fuzz SEED=7 N=... ROUND=3 VERBOSE=1``:
ROUND runs that round alone, VERBOSE prints every call before it is made
(THREAD=k only fuzz thread k's), so the last call printed before a panic is
the one that caused it.  Exit status: 0 passed, 1 failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time

PASS_EXIT = 33
ROUND_RE = re.compile(r"^# FUZZ round (\d+) seed (\d+)")
DONE_RE = re.compile(r"^# FUZZ done seed (\d+): (\d+) calls, (\d+) failure")
FAIL_MARK = "# FUZZ-FAIL"
PANIC_MARKS = ("panic:", "fatal kernel trap", "double fault")
CALL_RE = re.compile(r"^# fz w\d+ t\d+ #\d+ ")


def say(text: str = "") -> None:
    """Print a line of the driver's own."""
    print(text, flush=True)


def cmdline(a: argparse.Namespace) -> str:
    """The kernel command line of the run."""
    words = ["test", "only=@fuzz-image", f"fuzz_seed={a.seed}", f"fuzz_n={a.n}",
             f"fuzz_workers={a.workers}", f"fuzz_threads={a.threads}",
             f"fuzz_calls={a.calls}", f"fuzz_timeout={a.round_timeout}"]
    if a.round != "":
        words.append(f"fuzz_round={int(a.round)}")
    if a.verbose not in ("", "0"):
        words.append("fuzz_verbose=1")
    if a.thread != "":
        words.append(f"fuzz_thread={int(a.thread) + 1}")
    if a.worker != "":
        words.append(f"fuzz_worker={int(a.worker)}")
    if a.kinds != "":
        words.append(f"fuzz_kinds={int(a.kinds, 0)}")
    return " ".join(words)


def run_qemu(cmd: list[str], limit: float, silence: float, log) -> tuple[int | None, str, list[str]]:
    """Run QEMU, echo and log its output; stop on exit, time limit or silence.

    Returns (exit status or None if killed, why it was stopped, all lines).
    """
    lines: list[str] = []
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    start = last = time.monotonic()
    why = ""
    partial = b""
    try:
        while True:
            now = time.monotonic()
            if now - start > limit:
                why = f"time limit of {limit:.0f} s reached"
                break
            if now - last > silence:
                why = f"no output for {silence:.0f} s (the kernel is stuck?)"
                break
            if not sel.select(timeout=1.0):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                proc.wait()
                break
            last = time.monotonic()
            partial += chunk
            *done, partial = partial.split(b"\n")
            for raw in done:
                line = raw.decode("utf-8", errors="replace").rstrip("\r")
                lines.append(line)
                log.write(line + "\n")
                print(line, flush=True)
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
    if partial:
        lines.append(partial.decode("utf-8", errors="replace"))
    return (proc.returncode if not why else None), why, lines


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", required=True)
    p.add_argument("--qemu", default="qemu-system-i386")
    p.add_argument("--mem", default="256M")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n", type=int, default=100000, help="calls in all")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=3)
    p.add_argument("--calls", type=int, default=1000, help="calls per thread per round")
    p.add_argument("--round", default="", help="replay this round only")
    p.add_argument("--verbose", default="", help="print every call (replays)")
    p.add_argument("--thread", default="", help="verbose: only this fuzz thread")
    p.add_argument("--worker", default="", help="run only this worker")
    p.add_argument("--kinds", default="", help="bit mask of call kinds (1<<FZ_K_*)")
    p.add_argument("--timeout", type=float, default=600,
                   help="guest watchdog: seconds a round may take")
    p.add_argument("--limit", type=float, default=0,
                   help="host limit for the whole run, seconds (0: from N)")
    p.add_argument("--logdir", default="build/fuzz-logs")
    a = p.parse_args()
    a.round_timeout = int(a.timeout)
    silence = a.timeout + 120
    limit = a.limit or max(1200.0, a.n / 50.0)
    if not os.path.exists(a.kernel):
        say(f"fuzz: no kernel at {a.kernel}")
        return 2

    os.makedirs(a.logdir, exist_ok=True)
    logpath = os.path.join(a.logdir, f"fuzz-seed-{a.seed}.log")
    cl = cmdline(a)
    cmd = [a.qemu, "-accel", "tcg", "-m", a.mem, "-display", "none", "-no-reboot",
           "-kernel", a.kernel, "-append", cl, "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    say(f"fuzz: seed {a.seed}, {a.n} calls; kernel command line: {cl}")
    t0 = time.monotonic()
    with open(logpath, "w", encoding="utf-8") as log:
        status, why, lines = run_qemu(cmd, limit, silence, log)
    elapsed = time.monotonic() - t0

    rnd = None
    done = None
    fails = []
    panic = []
    calls = []
    for i, line in enumerate(lines):
        m = ROUND_RE.match(line)
        if m:
            rnd = int(m.group(1))
        m = DONE_RE.match(line)
        if m:
            done = (int(m.group(2)), int(m.group(3)))
        if line.startswith(FAIL_MARK):
            fails.append(line)
        if any(line.lstrip().startswith(k) for k in PANIC_MARKS) and not panic:
            panic = lines[max(0, i - 2):i + 25]
        if CALL_RE.match(line):
            calls.append(line)

    reasons = []
    if why:
        reasons.append(why)
    if panic:
        reasons.append("kernel panic")
    if fails:
        reasons.append(f"{len(fails)} FUZZ-FAIL line(s)")
    if done is None and not why and not panic:
        reasons.append("the run did not finish (no '# FUZZ done' line)")
    if status is not None and status != PASS_EXIT and not panic:
        reasons.append(f"QEMU exit status {status} (33 means passed)")
    if done is not None and done[1] != 0 and not fails:
        reasons.append(f"{done[1]} failure(s)")

    say("")
    if not reasons:
        say(f"fuzz: PASSED seed {a.seed}: {done[0] if done else '?'} calls in {elapsed:.0f} s, "
            f"0 panics, 0 invariant failures, 0 leaks (log {logpath})")
        return 0
    say(f"fuzz: FAILED seed {a.seed}" + (f", round {rnd}" if rnd is not None else "") +
        f": {'; '.join(reasons)}")
    for line in fails[:20]:
        say(f"fuzz: | {line}")
    if panic:
        say("fuzz: --- the panic ---")
        for line in panic:
            say(f"fuzz: | {line}")
    if calls:
        say("fuzz: --- the last calls printed ---")
        for line in calls[-8:]:
            say(f"fuzz: | {line}")
    replay = (f"make fuzz SEED={a.seed} N={a.n} WORKERS={a.workers} THREADS={a.threads} "
              f"CALLS={a.calls}")
    if rnd is not None:
        replay += f" ROUND={rnd}"
    say(f"fuzz: replay with: {replay} VERBOSE=1   (log {logpath})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
