#!/usr/bin/env python3
"""Benchmark reporter: `make bench` calls it (GUIDE.md section 4).

Boots the benchmark image under QEMU with ``-accel tcg -icount shift=0``, in
which the guest's rdtsc counts guest instructions exactly, collects the lines
``BENCH <name> <value> insns`` from the serial console and prints them as a
table against the budgets in BUDGETS, plus derived rows (ratios, instructions
per byte).  The table is also written as Markdown (default build/bench.md).

The boot must end with isa-debug-exit status 33; 35, any other exit, a
``panic:`` line or the timeout is a boot failure shown with the serial tail.
Exit status is non-zero if the boot failed or any budgeted row FAILs.  Rows
whose inputs are missing show ``n/a`` and do not fail.

With ``--kvm`` the guest runs under ``-accel kvm -cpu host``: rdtsc then
counts cycles, the figures are noisy, and budgets (which are instruction
counts) are shown but not judged.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import operator
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402  (shared helpers beside this file)
from tap import say  # noqa: E402


@dataclasses.dataclass(frozen=True)
class Budget:
    """One table row: an expression over BENCH values and its limit.

    ``expr`` uses BENCH names, numbers and + - * / (``"longipc_4k / 4096"``).
    ``op`` is "<=" or ">=", or None for an informational row.  ``stretch``
    is an optional tighter goal, reported but never failed.
    """

    expr: str
    op: str | None = None
    limit: float | None = None
    stretch: float | None = None
    digits: int = 2  # decimals shown for fractional values


# Budgets: guest instructions per operation, lower is better, unless the row
# says otherwise.  Add rows here; order here is the table order.
BUDGETS: dict[str, Budget] = {
    "null_trap": Budget("null_trap", "<=", 60),
    "rpc_rt_inter_task": Budget("rpc_rt_inter_task", "<=", 600, stretch=400),
    "kernel_rpc_rt": Budget("kernel_rpc_rt", "<=", 1200),
    "exception_rt": Budget("exception_rt", "<=", 2000),
    "rpc_rt_inter_task_slow / rpc_rt_inter_task":
        Budget("rpc_rt_inter_task_slow / rpc_rt_inter_task", ">=", 2.0),
    "longipc_64k / kmsg_copy_64k":
        Budget("longipc_64k / kmsg_copy_64k", "<=", 0.6),
    "longipc_4k per byte": Budget("longipc_4k / 4096", digits=3),
    "longipc_64k per byte": Budget("longipc_64k / 65536", digits=3),
    "kmsg_copy_64k per byte": Budget("kmsg_copy_64k / 65536", digits=3),
}

BENCH_RE = re.compile(r"^\s*BENCH\s+(\S+)\s+(\d+(?:\.\d+)?)\s+(\S+)\s*$")
BENCH_TIMEOUT = 900.0
TAIL_LINES = 40

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub,
        ast.Mult: operator.mul, ast.Div: operator.truediv}
_COMPARE = {"<=": operator.le, ">=": operator.ge}


class MissingInput(Exception):
    """An expression names a BENCH value that was not reported."""


def evaluate(expr: str, values: dict[str, float]) -> float:
    """Evaluate a budget expression; raise MissingInput if a name is absent.

    Only names, numbers and + - * / are accepted, so BUDGETS stays data.
    A division by zero also counts as a missing input (no meaningful value).
    """
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value,
                                                          (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise MissingInput(node.id)
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            try:
                return _OPS[type(node.op)](walk(node.left), walk(node.right))
            except ZeroDivisionError:
                raise MissingInput("division by zero") from None
        raise ValueError(f"unsupported budget expression {expr!r}")
    return walk(ast.parse(expr, mode="eval"))


def fmt(value: float, digits: int = 2) -> str:
    """Show integers plainly and fractions with ``digits`` decimals."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}f}"


@dataclasses.dataclass
class Row:
    """One rendered table row."""

    name: str
    value: str
    budget: str
    result: str  # PASS / FAIL / -- / n/a, maybe with a stretch note
    failed: bool = False


def build_rows(values: dict[str, float], order: list[str],
               judge: bool = True) -> list[Row]:
    """Turn BENCH values into table rows: BUDGETS first, then the rest.

    ``judge`` False (KVM cycles) shows budgets without PASS/FAIL.
    """
    rows = []
    for name, b in BUDGETS.items():
        budget = "--"
        if b.op is not None:
            budget = f"{b.op} {fmt(b.limit)}"
            if b.stretch is not None:
                budget += f" (stretch {b.op} {fmt(b.stretch)})"
        try:
            value = evaluate(b.expr, values)
        except MissingInput:
            rows.append(Row(name, "n/a", budget, "n/a"))
            continue
        if b.op is None or not judge:
            rows.append(Row(name, fmt(value, b.digits), budget, "--"))
            continue
        ok = _COMPARE[b.op](value, b.limit)
        result = "PASS" if ok else "FAIL"
        if b.stretch is not None:
            met = _COMPARE[b.op](value, b.stretch)
            result += " (stretch met)" if met else " (stretch not met)"
        rows.append(Row(name, fmt(value, b.digits), budget, result,
                        failed=not ok))
    for name in order:
        if name not in BUDGETS:
            rows.append(Row(name, fmt(values[name]), "--", "--"))
    return rows


def render_text(rows: list[Row]) -> list[str]:
    """Render rows as an aligned plain-text table."""
    header = Row("benchmark", "value", "budget", "result")
    table = [header] + rows
    w = [max(len(getattr(r, f)) for r in table)
         for f in ("name", "value", "budget")]
    lines = []
    for i, r in enumerate(table):
        lines.append(f"{r.name:<{w[0]}}  {r.value:>{w[1]}}  "
                     f"{r.budget:<{w[2]}}  {r.result}".rstrip())
        if i == 0:
            lines.append(f"{'-' * w[0]}  {'-' * w[1]}  {'-' * w[2]}  ------")
    return lines


def render_markdown(rows: list[Row], units: str, notes: list[str]) -> str:
    """Render rows as a Markdown document."""
    out = ["# Benchmark results", "", f"Figures: {units}.", ""]
    out += [f"- {n}" for n in notes]
    if notes:
        out.append("")
    out += ["| benchmark | value | budget | result |",
            "| --- | ---: | --- | --- |"]
    for r in rows:
        out.append(f"| {r.name} | {r.value} | {r.budget} | {r.result} |")
    return "\n".join(out) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="build/kernel.elf",
                    help="multiboot kernel image (default build/kernel.elf)")
    ap.add_argument("--cmdline", default="bench",
                    help="kernel command line (default 'bench')")
    ap.add_argument("--timeout", type=float, default=BENCH_TIMEOUT,
                    metavar="SECONDS",
                    help=f"hard limit for the boot (default {BENCH_TIMEOUT:g})")
    ap.add_argument("--kvm", action="store_true",
                    help="use -accel kvm -cpu host: cycles, noisy, not judged")
    ap.add_argument("--qemu", default="qemu-system-i386",
                    help="QEMU binary, may include arguments")
    ap.add_argument("--extra-qemu-args", default="", metavar="ARGS",
                    help="extra QEMU arguments, split with shell rules")
    ap.add_argument("--log", default="build/bench.log",
                    help="serial log file (default build/bench.log)")
    ap.add_argument("--markdown", default="build/bench.md",
                    help="Markdown table output (default build/bench.md)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Boot, collect BENCH lines, print and save the table; return status."""
    args = parse_args(argv)
    if args.kvm:
        accel = ["-accel", "kvm", "-cpu", "host"]
        units = ("CPU cycles per operation (KVM: noisy, only comparable "
                 "within one run; budgets not judged)")
    else:
        accel = ["-accel", "tcg", "-icount", "shift=0"]
        units = "guest instructions per operation (TCG, -icount shift=0)"
    cmd = tap.qemu_command(args.qemu, args.kernel, args.cmdline, accel,
                           args.extra_qemu_args)
    say(f"==> bench: {' '.join(cmd)}")

    values: dict[str, float] = {}
    order: list[str] = []
    notes: list[str] = []

    def on_line(stream: str, line: str) -> None:
        if stream != "stdout":
            say(f"[bench] ! {line}")
            return
        say(f"[bench] {line}")
        m = BENCH_RE.match(line)
        if not m:
            return
        name, value, unit = m.group(1), float(m.group(2)), m.group(3)
        if unit != "insns":
            notes.append(f"{name}: unit '{unit}' (expected 'insns')")
        if name in values:
            notes.append(f"{name}: reported more than once, last value kept")
        else:
            order.append(name)
        values[name] = value

    if not os.path.isfile(args.kernel):
        res = tap.RunResult(start_error=f"kernel image {args.kernel} not found")
    else:
        res = tap.run_streaming(cmd, args.timeout, on_line, watch_panic=True)
    for path in (args.log, args.markdown):
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(args.log, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in res.lines + res.stderr)

    reasons = []
    if res.start_error:
        reasons.append(res.start_error)
    else:
        if res.timed_out:
            reasons.append(f"timed out after {args.timeout:g}s (QEMU killed)")
        if res.panic_line is not None:
            reasons.append(f"kernel panic ({res.panic_line.strip()})")
        if (not res.timed_out and res.panic_line is None
                and res.status != tap.EXIT_ALL_PASSED):
            reasons.append(tap.describe_guest_exit(res.status))
    if reasons:
        say(f"[bench] FAILED: {'; '.join(reasons)}")
        shown = tap.tail(res.lines, TAIL_LINES)
        if shown:
            say(f"[bench] --- last {len(shown)} lines of serial log "
                f"({args.log}) ---")
        else:
            say(f"[bench] --- serial log ({args.log}) is empty ---")
        for line in shown:
            say(f"[bench] | {line}")
        for line in tap.tail(res.stderr, TAIL_LINES):
            say(f"[bench] ! {line}")
        notes.append(f"BOOT FAILED: {'; '.join(reasons)}")

    rows = build_rows(values, order, judge=not args.kvm)
    say("")
    say(f"==> benchmark results: {units}")
    for line in render_text(rows):
        say(line)
    for n in notes:
        say(f"note: {n}")
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(render_markdown(rows, units, notes))

    failed = [r.name for r in rows if r.failed]
    if failed:
        say(f"over budget: {', '.join(failed)}")
    if reasons:
        say("bench: boot failed")
    verdict = "FAILED" if failed or reasons else "ok"
    say(f"bench {verdict}: {len(values)} figures, {len(failed)} over budget, "
        f"written to {args.markdown}")
    return 1 if failed or reasons else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
