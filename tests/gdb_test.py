#!/usr/bin/env python3
"""GDB helpers test (part of `make test`): prints TAP, exits 1 on failure.

Boots the kernel in run mode under QEMU, paused, with its gdbstub on a
free local TCP port, and drives the GDB on PATH in batch mode with
tools/gdb/gdbinit (the set-up `make gdb` uses):

  1. a kernel breakpoint (kmain) is hit at boot;
  2. `mk-break demo/mailbox mailbox_wait` stops in user code, in the
     mailbox task (user/demo/mailbox.c, which has left two messages queued
     on its port and is about to wait on a port set);
  3. mk-tasks, mk-threads, mk-space, mk-port, mk-kmsg and mk-counters run
     there, and their output is checked against what the mailbox did and
     against plain GDB expressions;
  4. a kernel breakpoint (mach_msg_overwrite_trap) restricted to the mailbox task
     is hit when the mailbox enters the kernel to receive.

QEMU is always killed at the end.  Environment: MK_BUILD (default
build), QEMU (default qemu-system-i386), GDB (default gdb).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("MK_BUILD", os.path.join(ROOT, "build"))
KERNEL = os.path.join(BUILD, "kernel.elf")
QEMU = os.environ.get("QEMU", "qemu-system-i386")
GDB = os.environ.get("GDB", "gdb")
GDB_TIMEOUT = 90
PLAN = 28

# Runs inside GDB: every command's output between markers, errors caught.
DRIVER = r'''
import gdb, re

def section(name, cmd):
    print("@@@ section " + name)
    try:
        out = gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        out = "ERROR: %s\n" % e
    print(out, end="")
    print("@@@ end")
    return out

def value(key, expr):
    try:
        v = gdb.parse_and_eval(expr)
        s = str(v)
    except gdb.error as e:
        s = "ERROR %s" % e
    print("@@@ value %s %s" % (key, s.replace("\n", " ")))

section("kernel-break", "tbreak kmain")
section("kernel-stop", "continue")
value("kernel-pc", "(unsigned long)$pc")
value("kmain", "(unsigned long)&kmain")
section("user-break", "mk-break demo/mailbox mailbox_wait")
section("user-stop", "continue")
value("user-pc", "(unsigned long)$pc")
value("cur-task", "cpu_current_thread->task->name")
value("cur-task-id", "cpu_current_thread->task->id")
value("cur-thread-id", "cpu_current_thread->id")
section("user-bt", "bt 3")
section("tasks", "mk-tasks")
section("threads", "mk-threads")
tid = int(gdb.parse_and_eval("cpu_current_thread->task->id"))
space = section("space", "mk-space %d" % tid)
box = None
for line in space.splitlines():
    m = re.match(r"\s+(0x[0-9a-f]+)\s+send\+receive\s+\d+\s+(0x[0-9a-f]+) port \d+, 2 queued", line)
    if m:
        box = m.group(2)
if box:
    print("@@@ value box %s" % box)
    value("box-srights", "((struct ipc_port *)%s)->ip_srights" % box)
    value("box-mscount", "((struct ipc_port *)%s)->ip_mscount" % box)
    value("box-qlimit", "((struct ipc_port *)%s)->ip_qlimit" % box)
    value("box-name", "((struct ipc_port *)%s)->ip_receiver_name" % box)
    port = section("port", "mk-port %s" % box)
    kmsgs = re.findall(r"kmsg (0x[0-9a-f]+) id", port)
    for i, k in enumerate(kmsgs):
        print("@@@ value kmsg%d %s" % (i, k))
        value("kmsg%d-id" % i, "((struct ipc_kmsg *)%s)->ikm_header->msgh_id" % k)
        section("kmsg%d" % i, "mk-kmsg %s" % k)
section("counters", "mk-counters")
value("ports-alive", "ipc_ports_alive")
section("kernel-user-break",
        'break mach_msg_overwrite_trap if $_streq(cpu_current_thread->task->name, "mailbox")')
section("kernel-user-stop", "continue")
section("kernel-user-bt", "bt 2")
value("kernel-user-task", "cpu_current_thread->task->name")
'''


class Tap:
    """Minimal TAP producer."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=None):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {what}")
        if not cond and diag:
            for line in str(diag).splitlines()[-25:]:
                print(f"#   {line}")
        sys.stdout.flush()
        return cond


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse(out):
    """Sections and values from the driver's output."""
    sections, values = {}, {}
    cur = None
    for line in out.splitlines():
        if line.startswith("@@@ section "):
            cur = line[12:].strip()
            sections[cur] = []
        elif line.startswith("@@@ end"):
            cur = None
        elif line.startswith("@@@ value "):
            parts = line[10:].split(" ", 1)
            values[parts[0]] = parts[1] if len(parts) > 1 else ""
        elif cur is not None:
            sections[cur].append(line)
    return {k: "\n".join(v) for k, v in sections.items()}, values


def num(s, default=None):
    """An integer from a GDB value string (decimal or hex), or default."""
    if s is None:
        return default
    m = re.search(r"-?(0x[0-9a-fA-F]+|\d+)", s)
    return int(m.group(0), 0) if m else default


def elf_symbol(path, name):
    """Address of a symbol in an ELF32 file (nm-free)."""
    sys.path.insert(0, os.path.join(ROOT, "tools", "gdb"))
    import struct
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2e)
    secs = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    for sh in secs:
        if sh[1] != 2:
            continue
        strtab = secs[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 16):
            n, value = struct.unpack_from("<II", data, off)
            start = strtab[4] + n
            if data[start:data.index(b"\0", start)] == name.encode():
                return value
    return None


def checks(t, out, serial):
    s, v = parse(out)
    mailbox_elf = os.path.join(BUILD, "user", "demo", "mailbox.elf")
    wait_addr = elf_symbol(mailbox_elf, "mailbox_wait")

    # 1. kernel breakpoint at boot
    t.ok(num(v.get("kernel-pc")) == num(v.get("kmain")) and "kmain" in s.get("kernel-stop", ""),
         "kernel breakpoint: stopped at kmain", s.get("kernel-stop"))

    # 2. user breakpoint, in the right task
    t.ok("only in task \"mailbox\"" in s.get("user-break", ""),
         "mk-break sets a task-filtered breakpoint", s.get("user-break"))
    t.ok(wait_addr is not None and num(v.get("user-pc")) == wait_addr,
         f"user breakpoint: pc is mailbox_wait ({wait_addr:#x})" if wait_addr else
         "user breakpoint: mailbox_wait found", out[-2000:])
    t.ok('"mailbox"' in v.get("cur-task", ""), "user breakpoint hit in the mailbox task",
         v.get("cur-task"))
    t.ok("mailbox_wait" in s.get("user-bt", "") and "mailbox.c" in s.get("user-bt", ""),
         "bt at the user breakpoint shows mailbox.c's symbols", s.get("user-bt"))
    task_id = num(v.get("cur-task-id"), -1)
    thread_id = num(v.get("cur-thread-id"), -1)

    # 3. mk-tasks
    tasks = s.get("tasks", "")
    t.ok(all(h in tasks for h in ("ID", "NAME", "REFS", "THREADS", "STATE", "MAP", "SPACE")),
         "mk-tasks: header fields", tasks)
    t.ok(re.search(r"^\s+0 kernel\s+\d+\s+\d+ active", tasks, re.M) is not None,
         "mk-tasks: kernel task 0, active", tasks)
    t.ok(re.search(r"^\s+\d+ bootstrap\s+\d+\s+\d+ active", tasks, re.M) is not None,
         "mk-tasks: bootstrap task, active", tasks)
    t.ok(re.search(r"^\*\s+%d mailbox\s+\d+\s+1 active\s+0x[0-9a-f]{8} 0x[0-9a-f]{8}" % task_id,
                   tasks, re.M) is not None,
         "mk-tasks: mailbox current (*), one thread, map and space", tasks)

    # mk-threads
    threads = s.get("threads", "")
    t.ok(all(h in threads for h in ("ID", "NAME", "TASK", "STATE", "PRI", "WAIT")),
         "mk-threads: header fields", threads)
    t.ok(re.search(r"^\*\s+%d mailbox\s+%d run\s+\d+" % (thread_id, task_id), threads, re.M)
         is not None and f"current: thread {thread_id} (mailbox)" in threads,
         "mk-threads: the mailbox thread is current and running", threads)
    t.ok(re.search(r"^\s+1 idle\s+0 (run|wait)", threads, re.M) is not None,
         "mk-threads: idle thread of the kernel task", threads)
    t.ok(re.search(r"^\s+\d+ \w+\s+0 wait\s+\d+ 0x[0-9a-f]+ event 0x[0-9a-f]+ <\w+",
                   threads, re.M) is not None,
         "mk-threads: a kernel thread's wait event is symbolized", threads)

    # mk-space
    space = s.get("space", "")
    rows = re.findall(r"^\s+(0x[0-9a-f]+)\s+(\S+)\s+(\d+) (0x[0-9a-f]+)(.*)$", space, re.M)
    t.ok(f"task {task_id} (mailbox)" in space and "NAME" in space and "UREFS" in space,
         "mk-space: task, header", space)
    box_rows = [r for r in rows if "2 queued" in r[4]]
    box = box_rows[0] if len(box_rows) == 1 else None
    t.ok(re.search(r"(\d+) entries used", space) and
         int(re.search(r"(\d+) entries used", space).group(1)) == len(rows),
         "mk-space: one row per entry in use", space)
    t.ok(box is not None and box[1] == "send+receive" and box[2] == "1",
         "mk-space: mailbox send+receive, 1 uref, 2 queued", space)
    t.ok(any(r[1] == "receive" and r[2] == "0" for r in rows) and
         any(r[1] == "port-set" and r[2] == "0" and "pset" in r[4] for r in rows),
         "mk-space: bell receive (0 urefs) and port set (0 urefs)", space)
    t.ok(any(r[1] == "send" and "kobject task" in r[4] for r in rows),
         "mk-space: the task's self send right names a task kobject", space)

    # mk-port
    port = s.get("port", "")
    box_name = box[0] if box else "?"
    t.ok(re.search(r"receiver\s+task %d \(mailbox\) name %s" % (task_id, box_name), port)
         is not None, "mk-port: receiver is the mailbox task, under its name", port)
    fields = dict(re.findall(r"^\s+(send rights|send-once|make-send|seqno|qlimit|msgcount)\s+(\d+)",
                             port, re.M))
    t.ok(fields.get("send rights") == "3" and fields.get("send rights") ==
         str(num(v.get("box-srights"))),
         "mk-port: 3 send rights (the entry's and one per queued message)", port)
    t.ok(fields.get("send-once") == "0" and fields.get("make-send") == "1" and
         fields.get("make-send") == str(num(v.get("box-mscount"))),
         "mk-port: 0 send-once, make-send count 1", port)
    t.ok(fields.get("seqno") == "0" and fields.get("qlimit") == str(num(v.get("box-qlimit"))) and
         fields.get("msgcount") == "2",
         "mk-port: seqno 0, qlimit, 2 messages", port)
    t.ok(re.search(r"queued messages: 2\n\s+kmsg 0x[0-9a-f]+ id 4201 size 56.*\n"
                   r"\s+kmsg 0x[0-9a-f]+ id 4202 size 40", port) is not None,
         "mk-port: the queue lists ids 4201 then 4202", port)

    # mk-kmsg
    k0, k1 = s.get("kmsg0", ""), s.get("kmsg1", "")
    t.ok(re.search(r"^\s+id\s+4201$", k0, re.M) and re.search(r"^\s+size\s+56$", k0, re.M) and
         "bits          0x11 remote move-send" in k0 and
         "remote port   %s (port" % v.get("box", "?") in k0 and "a letter nobody" in k0,
         "mk-kmsg: simple message 4201, size, remote port, inline text", k0)
    t.ok(re.search(r"^\s+id\s+4202$", k1, re.M) and " complex" in k1 and
         re.search(r"descriptors\s+1\n\s+\[0\] port move-send 0x[0-9a-f]+ \(port \d+, receiver "
                   r"task %d \(mailbox\)" % task_id, k1) is not None,
         "mk-kmsg: complex message 4202 carries a send right to the bell", k1)

    # mk-counters
    ctr = s.get("counters", "")
    t.ok(re.search(r"^\s+combined_S_R\s+\d+$", ctr, re.M) and
         re.search(r"^\s+fall_no_receiver\s+\d+$", ctr, re.M) and "hot path" in ctr,
         "mk-counters: hot-path counters", ctr)
    m = re.search(r"^\s+ipc\.ports\s+120\s+(\d+)\s+\d+", ctr, re.M) or \
        re.search(r"^\s+ipc\.ports\s+\d+\s+(\d+)\s+\d+", ctr, re.M)
    t.ok(m is not None and int(m.group(1)) == num(v.get("ports-alive")),
         "mk-counters: zone table; ipc.ports in-use equals ipc_ports_alive", ctr)

    # 4. kernel breakpoint in the mailbox task's context
    kbt = s.get("kernel-user-bt", "")
    t.ok("mach_msg_overwrite_trap" in kbt and '"mailbox"' in v.get("kernel-user-task", ""),
         "kernel breakpoint (conditional on the task) hit in mailbox's mach_msg_overwrite_trap",
         s.get("kernel-user-stop", "") + kbt)


def main():
    t = Tap()
    if shutil.which(GDB) is None or shutil.which(QEMU) is None:
        print(f"1..0 # SKIP {GDB} or {QEMU} not found")
        return 0
    print(f"1..{PLAN}")
    if not os.path.isfile(KERNEL):
        t.ok(False, f"kernel {KERNEL} exists")
        return 1
    tmp = tempfile.mkdtemp(prefix="mk-gdb-test-")
    driver = os.path.join(tmp, "driver.py")
    with open(driver, "w") as f:
        f.write(DRIVER)
    serial = os.path.join(tmp, "serial.log")
    port = free_port()
    qemu = subprocess.Popen(
        [QEMU, "-accel", "tcg", "-m", "256M", "-display", "none", "-no-reboot",
         "-kernel", KERNEL, "-append", "", "-serial", f"file:{serial}", "-monitor", "none",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    out = ""
    try:
        time.sleep(0.3)
        env = dict(os.environ, MK_BUILD=BUILD)
        cmd = [GDB, "-q", "-nx", "-batch", "-x", os.path.join(ROOT, "tools", "gdb", "gdbinit"),
               "-ex", f"target remote 127.0.0.1:{port}", "-x", driver]
        try:
            res = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                 capture_output=True, text=True, timeout=GDB_TIMEOUT)
            out = res.stdout + res.stderr
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or "")
            out += f"\nGDB timed out after {GDB_TIMEOUT}s"
        with open(os.path.join(BUILD, "test-logs", "gdb_test.gdb.log")
                  if os.path.isdir(os.path.join(BUILD, "test-logs")) else os.devnull, "w") as f:
            f.write(out)
        checks(t, out, serial)
    finally:
        try:
            os.killpg(qemu.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        qemu.wait()
    if t.failed:
        print("# serial log tail:")
        try:
            with open(serial, errors="replace") as f:
                for line in f.read().splitlines()[-20:]:
                    print(f"#   {line}")
        except OSError:
            pass
    shutil.rmtree(tmp, ignore_errors=True)
    if t.n != PLAN:
        print(f"# planned {PLAN} points, ran {t.n}")
        return 1
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
