"""Shared helpers for the host-side test runner and bench reporter.

Two things live here, both python3 stdlib only:

* ``TapParser``: counts top-level TAP results (``ok`` / ``not ok`` lines at
  column 0) and the ``1..N`` plan.  Indented lines are subtests and only shown.
* ``run_streaming``: runs a command in its own process group, hands every
  stdout/stderr line to a callback as it arrives, enforces a hard timeout,
  optionally stops a few seconds after a ``panic:`` line, and always kills the
  whole process group before returning, so no QEMU is ever left behind.

Plus ``qemu_command`` / ``describe_guest_exit`` for the isa-debug-exit protocol
of GUIDE.md section 3: the guest writes a value V to port 0xf4 and QEMU exits
with status ``(V << 1) | 1``; 33 (V=0x10) means all passed, 35 (V=0x11) means
some failed, anything else is a boot failure.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import re
import shlex
import signal
import subprocess
import threading
import time
from typing import Callable

# ---------------------------------------------------------------------------
# isa-debug-exit protocol

EXIT_ALL_PASSED = 33  # guest wrote 0x10
EXIT_SOME_FAILED = 35  # guest wrote 0x11

PANIC_MARKER = "panic:"
PANIC_GRACE_SECONDS = 5.0  # time allowed for backtrace lines after a panic


def qemu_command(qemu: str, kernel: str, cmdline: str, accel_args: list[str],
                 extra_args: str = "") -> list[str]:
    """Build the QEMU argument vector for one boot.

    ``qemu`` may carry arguments of its own (``"python3 fake_qemu.py"``); it
    is split with shell rules, as is ``extra_args``.
    """
    return [
        *shlex.split(qemu),
        *accel_args,
        "-m", "256M",
        "-display", "none",
        "-no-reboot",
        "-kernel", kernel,
        "-append", cmdline,
        "-serial", "stdio",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-monitor", "none",
        *shlex.split(extra_args),
    ]


def describe_exit(status: int | None) -> str:
    """Say in words how a process ended, given its Popen returncode."""
    if status is None:
        return "did not exit"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"killed by {name}"
    return f"exit status {status}"


def describe_guest_exit(status: int | None) -> str:
    """Explain a QEMU exit status in terms of the isa-debug-exit protocol."""
    if status == EXIT_ALL_PASSED:
        return "guest reported all passed (QEMU exit 33)"
    if status == EXIT_SOME_FAILED:
        return "guest reported some failed (QEMU exit 35)"
    if status in (0, 1):
        return (f"QEMU exited with status {status} without a test verdict "
                "(triple fault, reset, shutdown, or QEMU error)")
    if status is not None and status > 0 and status & 1:
        return (f"guest wrote unexpected value {status >> 1:#x} to "
                f"isa-debug-exit (QEMU exit {status})")
    return f"QEMU {describe_exit(status)}"


# ---------------------------------------------------------------------------
# TAP parsing

_RESULT_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s+|-$)?(.*)$")
_PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
# A directive follows an unescaped '#': "ok 3 - name # SKIP no fpu".
_DIRECTIVE_RE = re.compile(r"(?<!\\)#\s*(SKIP|TODO)\S*\s*(.*)$", re.IGNORECASE)


@dataclasses.dataclass
class TapResult:
    """One top-level TAP test point."""

    ok: bool
    number: int | None
    description: str
    directive: str | None  # "SKIP", "TODO" or None
    reason: str = ""

    @property
    def failed(self) -> bool:
        """A point fails when it is ``not ok`` without a SKIP/TODO directive."""
        return not self.ok and self.directive is None

    def title(self) -> str:
        """Render the point as ``not ok 3 - name`` for summaries."""
        num = f" {self.number}" if self.number is not None else ""
        desc = f" - {self.description}" if self.description else ""
        return f"{'ok' if self.ok else 'not ok'}{num}{desc}"


class TapParser:
    """Incremental TAP (version 13 / KTAP) reader for one stream.

    Only lines starting at column 0 count: ``ok``/``not ok`` results and the
    first ``1..N`` plan.  Indented lines (subtests), ``#`` comments, the
    ``TAP version`` header and any other console noise are ignored.
    ``not ok ... # TODO`` is an expected failure and does not count as failed;
    ``# SKIP`` points (even ``not ok``) count as passed (skipped).
    """

    def __init__(self) -> None:
        self.results: list[TapResult] = []
        self.plan: int | None = None
        self.extra_plans = 0
        self.bail_out: str | None = None

    def feed(self, line: str) -> TapResult | None:
        """Parse one line (without newline); return the result it holds, if any."""
        line = line.rstrip("\r\n")
        if line.startswith("Bail out!"):
            if self.bail_out is None:
                self.bail_out = line[len("Bail out!"):].strip() or "(no reason)"
            return None
        m = _PLAN_RE.match(line)
        if m:
            if self.plan is None:
                self.plan = int(m.group(1))
            else:
                self.extra_plans += 1
            return None
        m = _RESULT_RE.match(line)
        if not m:
            return None
        desc = m.group(3).strip()
        directive = None
        reason = ""
        d = _DIRECTIVE_RE.search(desc)
        if d:
            directive = d.group(1).upper()
            reason = d.group(2).strip()
            desc = desc[:d.start()].rstrip()
        number = int(m.group(2)) if m.group(2) else None
        result = TapResult(m.group(1) == "ok", number, desc, directive, reason)
        self.results.append(result)
        return result

    @property
    def passed(self) -> list[TapResult]:
        """Points that count as passed (including SKIP and TODO)."""
        return [r for r in self.results if not r.failed]

    @property
    def failed(self) -> list[TapResult]:
        """Points that count as failed."""
        return [r for r in self.results if r.failed]

    @property
    def skipped(self) -> int:
        """Number of points carrying a SKIP directive."""
        return sum(1 for r in self.results if r.directive == "SKIP")

    @property
    def todo(self) -> int:
        """Number of points carrying a TODO directive."""
        return sum(1 for r in self.results if r.directive == "TODO")

    def plan_problem(self) -> str | None:
        """Return why plan and points disagree, or None if they agree."""
        seen = len(self.results)
        if self.plan is None:
            return f"no TAP plan (1..N) seen ({seen} test points)"
        if seen != self.plan:
            return f"plan 1..{self.plan} but {seen} test points seen"
        if self.extra_plans:
            return "more than one top-level TAP plan"
        return None


# ---------------------------------------------------------------------------
# Running a process with live, line-by-line output


@dataclasses.dataclass
class RunResult:
    """How a streamed process ended."""

    status: int | None = None  # Popen returncode; negative = signal
    timed_out: bool = False
    panic_line: str | None = None  # first line containing "panic:"
    killed: bool = False  # we killed it (timeout or panic)
    start_error: str | None = None  # it could not be started at all
    lines: list[str] = dataclasses.field(default_factory=list)  # stdout lines
    stderr: list[str] = dataclasses.field(default_factory=list)
    elapsed: float = 0.0


LineCallback = Callable[[str, str], None]  # (stream "stdout"/"stderr", line)


def _pump(stream, name: str, q: "queue.Queue") -> None:
    """Reader thread: push decoded lines of ``stream`` to ``q``, then EOF."""
    try:
        for raw in iter(stream.readline, b""):
            q.put((name, raw.decode("utf-8", errors="replace").rstrip("\r\n")))
    finally:
        q.put((name, None))


def _leader_exited(pid: int) -> bool:
    """True once ``pid`` has exited; does NOT reap it (so its pgid stays ours)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _kill_group(pgid: int) -> None:
    """SIGKILL every process in group ``pgid``; ignore an empty group."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_streaming(cmd: list[str], timeout: float, on_line: LineCallback,
                  watch_panic: bool = False,
                  panic_grace: float = PANIC_GRACE_SECONDS) -> RunResult:
    """Run ``cmd`` and stream its output line by line to ``on_line``.

    The process runs in a new session (its own process group) with stdin at
    /dev/null.  It is stopped when:

    * it exits by itself (its output is drained for up to 1 s more),
    * ``timeout`` seconds have passed (``timed_out``), or
    * ``watch_panic`` is set and ``panic_grace`` seconds have passed since the
      first stdout line containing ``panic:`` (``panic_line``).

    Whatever happens, including KeyboardInterrupt, the whole process group is
    SIGKILLed before this returns.  The group leader is only reaped after that
    kill, so its pid (= pgid) cannot have been recycled in between.
    """
    result = RunResult()
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as exc:
        result.start_error = f"cannot run {cmd[0]}: {exc.strerror or exc}"
        return result

    q: queue.Queue = queue.Queue()
    threads = [threading.Thread(target=_pump, args=(proc.stdout, "stdout", q),
                                daemon=True),
               threading.Thread(target=_pump, args=(proc.stderr, "stderr", q),
                                daemon=True)]
    for t in threads:
        t.start()

    def handle(name: str, line: str) -> None:
        if name == "stdout":
            result.lines.append(line)
            if (watch_panic and result.panic_line is None
                    and PANIC_MARKER in line):
                result.panic_line = line
        else:
            result.stderr.append(line)
        on_line(name, line)

    deadline = start + timeout
    panic_deadline = None
    drain_deadline = None  # set once the leader has exited
    open_streams = 2
    try:
        while True:
            now = time.monotonic()
            if now >= deadline:
                result.timed_out = True
                break
            if result.panic_line is not None and panic_deadline is None:
                panic_deadline = now + panic_grace
            if panic_deadline is not None and now >= panic_deadline:
                break
            if drain_deadline is not None and now >= drain_deadline:
                break
            if not open_streams:
                # Output closed; the exit itself may lag a moment behind.
                if _leader_exited(proc.pid):
                    break
                time.sleep(0.02)
                continue
            try:
                name, line = q.get(timeout=0.1)
            except queue.Empty:
                if drain_deadline is None and _leader_exited(proc.pid):
                    drain_deadline = time.monotonic() + 1.0
                continue
            if line is None:
                open_streams -= 1
            else:
                handle(name, line)
        result.killed = not _leader_exited(proc.pid)
    finally:
        _kill_group(proc.pid)
        proc.wait()
    for t in threads:
        t.join(timeout=2.0)
    # Lines that arrived between the last get() and the kill.
    while True:
        try:
            name, line = q.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            handle(name, line)
    result.status = proc.returncode
    result.elapsed = time.monotonic() - start
    return result


def tail(lines: list[str], count: int = 40) -> list[str]:
    """Return the last ``count`` lines."""
    return lines[-count:]


def say(text: str = "") -> None:
    """Print one line and flush it, so ``make`` shows progress live."""
    print(text, flush=True)
