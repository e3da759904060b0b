#!/usr/bin/env python3
"""Host-side test runner: `make test` calls it (GUIDE.md section 3).

It runs native host test binaries and boots the kernel under QEMU, reading
TAP from each, and ends with a summary whose last line is exactly
``N passed, N failed``.  Exit status is 0 iff nothing failed.

Host tests (``--host BIN``): BIN prints TAP on stdout.  Each top-level
``ok``/``not ok`` line counts (``# SKIP`` counts as passed, ``not ok # TODO``
as an expected failure, i.e. not failed).  A binary that exits non-zero, dies
on a signal, times out, or whose points disagree with its ``1..N`` plan adds
one failure ``host BIN: <reason>`` (a non-zero exit after a ``not ok`` line
is the binary reporting that failure, not an extra one).

Boots (``--boot LABEL=CMDLINE``): boots KERNEL with CMDLINE under QEMU (TCG),
echoes the serial console live as ``[LABEL] line`` and saves it to
LOGDIR/LABEL.log.  Top-level TAP points count as ``LABEL: ...``.  The guest
must end with isa-debug-exit: QEMU exit 33 = all passed, 35 = some failed.
Anything else (exit 0/1 from a triple fault or reset, the hard timeout, a
``panic:`` line, no plan or fewer/more points than planned, 33 with a
``not ok`` seen, 35 without one) adds one failure ``boot LABEL: <reason>``,
printed with the last 40 lines of the serial log.  QEMU runs in its own
process group, which is always killed before the runner moves on.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402  (shared helpers beside this file)
from tap import say  # noqa: E402

HOST_TIMEOUT = 120.0
BOOT_TIMEOUT = 600.0
TAIL_LINES = 40
LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Tally:
    """Running totals for the whole run."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []
        self.skipped = 0
        self.todo = 0

    def add_points(self, prefix: str, parser: tap.TapParser) -> None:
        """Count the TAP points of one source, naming failures ``prefix: ...``."""
        self.passed += len(parser.passed)
        self.skipped += parser.skipped
        self.todo += parser.todo
        self.failed += [f"{prefix}: {r.title()}" for r in parser.failed]

    def fail(self, name: str) -> None:
        """Record one failure that is not a TAP point (crash, timeout...)."""
        self.failed.append(name)


def show_failure(title: str, reasons: list[str], lines: list[str],
                 stderr: list[str], prefix: str) -> None:
    """Print why a host binary or boot failed, with the tail of its output."""
    say(f"{prefix} FAILED: {'; '.join(reasons)}")
    if lines:
        shown = tap.tail(lines, TAIL_LINES)
        say(f"{prefix} --- last {len(shown)} lines of {title} ---")
        for line in shown:
            say(f"{prefix} | {line}")
    else:
        say(f"{prefix} --- {title} is empty ---")
    if stderr:
        say(f"{prefix} --- stderr (last {min(len(stderr), TAIL_LINES)}) ---")
        for line in tap.tail(stderr, TAIL_LINES):
            say(f"{prefix} ! {line}")


def write_log(path: str, lines: list[str], stderr: list[str]) -> None:
    """Save a captured stream (and stderr, if any) to ``path``."""
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
        if stderr:
            f.write("--- stderr ---\n")
            for line in stderr:
                f.write(line + "\n")


def run_host(binary: str, timeout: float, logdir: str, tally: Tally) -> None:
    """Run one native TAP test binary and add its results to ``tally``."""
    name = os.path.basename(binary)
    prefix = f"[{name}]"
    say(f"==> host {binary}")
    parser = tap.TapParser()

    def on_line(stream: str, line: str) -> None:
        if stream == "stdout":
            parser.feed(line)
            say(f"{prefix} {line}")
        else:
            say(f"{prefix} ! {line}")

    cmd = [binary if os.sep in binary else os.path.join(".", binary)]
    res = tap.run_streaming(cmd, timeout, on_line)
    write_log(os.path.join(logdir, f"host-{name}.log"), res.lines, res.stderr)

    reasons = []
    if res.start_error:
        reasons.append(res.start_error)
    elif res.timed_out:
        reasons.append(f"timed out after {timeout:g}s (killed)")
    elif res.status != 0 and not (res.status > 0 and parser.failed):
        # A positive exit status is how a TAP producer says "some failed";
        # it is only an extra failure when no 'not ok' explains it.
        reasons.append(tap.describe_exit(res.status))
    if not res.start_error:
        problem = parser.plan_problem()
        if problem:
            reasons.append(problem)
    if parser.bail_out:
        reasons.append(f"Bail out! {parser.bail_out}")

    tally.add_points(name, parser)
    if reasons:
        show_failure("output", reasons, res.lines, res.stderr, prefix)
        tally.fail(f"host {name}: {'; '.join(reasons)}")
    say(f"<== host {name}: {len(parser.passed)} passed, "
        f"{len(parser.failed) + bool(reasons)} failed")


def boot_reasons(res: tap.RunResult, parser: tap.TapParser,
                 timeout: float) -> list[str]:
    """Return every reason this boot counts as a boot failure (may be [])."""
    reasons = []
    if res.start_error:
        return [res.start_error]
    if res.timed_out:
        reasons.append(f"timed out after {timeout:g}s (QEMU killed)")
    if res.panic_line is not None:
        reasons.append(f"kernel panic ({res.panic_line.strip()})")
    if not res.timed_out and res.panic_line is None:
        if res.status == tap.EXIT_ALL_PASSED:
            if parser.failed:
                reasons.append("inconsistent: QEMU exit 33 (all passed) but "
                               f"{len(parser.failed)} 'not ok' seen")
        elif res.status == tap.EXIT_SOME_FAILED:
            if not parser.failed:
                reasons.append("inconsistent: QEMU exit 35 (some failed) but "
                               "no 'not ok' seen")
        else:
            reasons.append(tap.describe_guest_exit(res.status))
    problem = parser.plan_problem()
    if problem:
        reasons.append(problem)
    if parser.bail_out:
        reasons.append(f"Bail out! {parser.bail_out}")
    return reasons


def run_boot(label: str, cmdline: str, args: argparse.Namespace,
             tally: Tally) -> None:
    """Boot the kernel once with ``cmdline`` and add its results to ``tally``."""
    prefix = f"[{label}]"
    log_path = os.path.join(args.logdir, f"{label}.log")
    cmd = tap.qemu_command(args.qemu, args.kernel, cmdline,
                           ["-accel", "tcg"], args.extra_qemu_args)
    say(f"==> boot {label}: {' '.join(cmd)}")
    parser = tap.TapParser()

    def on_line(stream: str, line: str) -> None:
        if stream == "stdout":
            parser.feed(line)
            say(f"{prefix} {line}")
        else:
            say(f"{prefix} ! {line}")

    if not os.path.isfile(args.kernel):
        res = tap.RunResult(start_error=f"kernel image {args.kernel} not found")
    else:
        res = tap.run_streaming(cmd, args.timeout, on_line, watch_panic=True)
    write_log(log_path, res.lines, res.stderr)

    reasons = boot_reasons(res, parser, args.timeout)
    tally.add_points(label, parser)
    if reasons:
        show_failure(f"serial log ({log_path})", reasons, res.lines,
                     res.stderr, prefix)
        tally.fail(f"boot {label}: {'; '.join(reasons)}")
    say(f"<== boot {label}: {len(parser.passed)} passed, "
        f"{len(parser.failed) + bool(reasons)} failed, "
        f"{tap.describe_guest_exit(res.status)}, {res.elapsed:.1f}s, "
        f"log {log_path}")


def parse_boot(spec: str) -> tuple[str, str]:
    """Split ``LABEL=CMDLINE`` (argparse type for --boot)."""
    label, sep, cmdline = spec.partition("=")
    if not sep or not LABEL_RE.match(label):
        raise argparse.ArgumentTypeError(
            f"expected LABEL=CMDLINE with LABEL matching {LABEL_RE.pattern}, "
            f"got {spec!r}")
    return label, cmdline


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Example: tests/runner.py --host build/host/test_names "
               "--boot test=test --kernel build/kernel.elf. "
               "The last output line is always 'N passed, N failed'; "
               "exit status is 0 iff N failed is 0.")
    ap.add_argument("--host", action="append", default=[], metavar="BIN",
                    help="native test binary printing TAP (repeatable)")
    ap.add_argument("--host-timeout", type=float, default=HOST_TIMEOUT,
                    metavar="SECONDS",
                    help=f"per host binary (default {HOST_TIMEOUT:g})")
    ap.add_argument("--boot", action="append", default=[], type=parse_boot,
                    metavar="LABEL=CMDLINE",
                    help="boot KERNEL with this command line (repeatable); "
                         "serial log goes to LOGDIR/LABEL.log")
    ap.add_argument("--kernel", default="build/kernel.elf",
                    help="multiboot kernel image (default build/kernel.elf)")
    ap.add_argument("--timeout", type=float, default=BOOT_TIMEOUT,
                    metavar="SECONDS",
                    help=f"hard limit per boot (default {BOOT_TIMEOUT:g})")
    ap.add_argument("--logdir", default="build/test-logs",
                    help="where logs go (default build/test-logs)")
    ap.add_argument("--qemu", default="qemu-system-i386",
                    help="QEMU binary, may include arguments "
                         "(default qemu-system-i386)")
    ap.add_argument("--extra-qemu-args", default="", metavar="ARGS",
                    help="extra QEMU arguments, split with shell rules")
    args = ap.parse_args(argv)
    if not args.host and not args.boot:
        ap.error("nothing to run: give at least one --host or --boot")
    labels = [label for label, _ in args.boot]
    if len(set(labels)) != len(labels):
        ap.error("boot labels must be unique (they name the log files)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run everything, print the summary, return the exit status."""
    args = parse_args(argv)
    tally = Tally()
    try:
        os.makedirs(args.logdir, exist_ok=True)
    except OSError as exc:
        say(f"cannot create log directory {args.logdir}: {exc}")
        say(f"0 passed, {len(args.host) + len(args.boot)} failed")
        return 1
    jobs = [(f"host {os.path.basename(b)}",
             lambda b=b: run_host(b, args.host_timeout, args.logdir, tally))
            for b in args.host]
    jobs += [(f"boot {label}",
              lambda label=label, c=c: run_boot(label, c, args, tally))
             for label, c in args.boot]
    for name, job in jobs:
        try:
            job()
        except Exception:  # a runner bug must still end in a summary line
            say(traceback.format_exc().rstrip())
            tally.fail(f"{name}: runner internal error (traceback above)")

    say("")
    say("==> summary")
    if tally.skipped or tally.todo:
        say(f"({tally.skipped} skipped, {tally.todo} todo; counted as passed)")
    for name in tally.failed:
        say(f"FAILED: {name}")
    say(f"{tally.passed} passed, {len(tally.failed)} failed")
    return 0 if not tally.failed else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
