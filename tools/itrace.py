#!/usr/bin/env python3
"""Count, function by function, the instructions of one kernel operation.

Boots the kernel under QEMU with its gdbstub, lets GDB run it to a chosen
point (a sequence of kernel breakpoints, each with a hit count), then
runs tools/gdb/mk.py's mk-itrace there: single steps until a kernel
function has been entered N more times, and prints the instructions run
per function (user ones per task and function) and their order.

The default is the rpc_rt_inter_task benchmark: boot `bench
only=bench/rpc`, stop at the second mk_spawn (bench/rpc starting
benchaux/rpc_client), let 3000 message traps go by (the warm-up), then
trace from one message trap to the second one after it: one round trip,
the client's trap and the server's, with both tasks' user code between.
Its total agrees with `make bench`'s figure for that row.  With
--lines, the kernel instructions are also counted per source line
(addr2line; assembly sources have line information too): inlined C to
its own lines, an assembly macro to the line that uses it.

    python3 tools/itrace.py [--kernel build/kernel.elf]
        [--cmdline "bench only=bench/rpc"]
        [--stop mk_spawn_trap:2 --stop mach_msg_asm:3000]
        [--func mach_msg_asm] [--entries 2] [--lines]
"""
import argparse
import collections
import os
import shlex
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default=os.path.join(ROOT, "build", "kernel.elf"))
    ap.add_argument("--cmdline", default="bench only=bench/rpc")
    ap.add_argument("--stop", action="append", metavar="FUNC:HITS",
                    help="run to the HITS-th entry of kernel function FUNC (repeatable, "
                         "in order; default mk_spawn_trap:2 then mach_msg_asm:3000)")
    ap.add_argument("--func", default="mach_msg_asm",
                    help="trace until this kernel function is entered --entries more times")
    ap.add_argument("--entries", type=int, default=2)
    ap.add_argument("--max", type=int, default=20000, help="step limit")
    ap.add_argument("--qemu", default="qemu-system-i386")
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--lines", action="store_true",
                    help="also count the kernel instructions per source line "
                         "(inlined code is charged to its own line)")
    args = ap.parse_args(argv)
    stops = args.stop or ["mk_spawn_trap:2", "mach_msg_asm:3000"]

    port = free_port()
    qemu = shlex.split(args.qemu) + [
        "-accel", "tcg", "-m", "128", "-display", "none", "-serial", "null",
        "-monitor", "none", "-no-reboot", "-S", "-gdb", f"tcp:127.0.0.1:{port}",
        "-kernel", args.kernel, "-append", args.cmdline]
    lines = ["set confirm off", "set pagination off",
             f"source {os.path.join(ROOT, 'tools', 'gdb', 'mk.py')}",
             f"mk-load {os.path.dirname(os.path.abspath(args.kernel))}",
             f"target remote 127.0.0.1:{port}"]
    for stop in stops:
        func, _, hits = stop.partition(":")
        lines += [f"tbreak {func}" if not hits or int(hits) <= 1 else f"break {func}"]
        if hits and int(hits) > 1:
            lines += [f"ignore $bpnum {int(hits) - 1}"]
        lines += ["continue", "delete"]
    pcfile = None
    if args.lines:
        fd, pcfile = tempfile.mkstemp(suffix=".pcs")
        os.close(fd)
    lines += [f"mk-itrace {args.func} {args.entries} {args.max} {pcfile or ''}".rstrip(),
              "kill", "quit"]
    with tempfile.NamedTemporaryFile("w", suffix=".gdb", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    env = dict(os.environ, MK_BUILD=os.path.dirname(os.path.abspath(args.kernel)))
    q = subprocess.Popen(qemu, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        out = subprocess.run([args.gdb, "-q", "-batch", "-nx", "-x", script, args.kernel],
                             capture_output=True, text=True, timeout=args.timeout, env=env)
    finally:
        q.kill()
        q.wait()
        os.unlink(script)
    report = [ln for ln in out.stdout.splitlines()
              if ln.startswith(("mk-itrace", "  ", "in order"))]
    if not report:
        sys.stderr.write(out.stdout + out.stderr)
        return 1
    print("\n".join(report))
    if pcfile:
        print_lines(args.kernel, pcfile)
        os.unlink(pcfile)
    return 0


def print_lines(kernel: str, pcfile: str) -> None:
    """Fold the stepped kernel addresses of PCFILE per source line."""
    with open(pcfile) as f:
        pcs = [ln.strip() for ln in f if ln.strip()]
    unique = sorted(set(pcs))
    out = subprocess.run(["i686-linux-gnu-addr2line", "-e", kernel] + unique,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    where = {pc: os.path.relpath(loc, ROOT) if loc.startswith("/") else loc
             for pc, loc in zip(unique, out)}
    counts = collections.Counter(where[pc] for pc in pcs)
    print("per source line (kernel):")
    for loc, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:6}  {loc}")


if __name__ == "__main__":
    sys.exit(main())
