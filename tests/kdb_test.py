#!/usr/bin/env python3
"""Kernel debugger test (part of `make test`): prints TAP, exits 1 on failure.

Drives kdb over the serial line: QEMU's serial port is this script's pipe
(-serial stdio, stdin and stdout are pipes), so every byte written goes to
the UART and every byte the kernel prints comes back.

Boot 1, `test only=ring3 kdb trace=sched`: kdb is entered at boot by the
  option; a few commands run; `continue` lets the short test run finish,
  which must end with QEMU exit code 33 (all passed), with sched trace lines
  on the way.
Boot 2, run mode: once the demos are up (the mailbox demo has parked two
  messages and waits on a port set), the break key (Ctrl-]) enters kdb;
  every command runs and its answer is checked against what the mailbox
  did; `continue` resumes; a serial BREAK (QEMU's Ctrl-A b, the serial
  line being multiplexed with the monitor as in `make run`) enters kdb
  again; `panic` makes a
  panic, which prints registers, context and a symbolized backtrace and
  comes back to kdb; `reboot` ends QEMU (it runs with -no-reboot).

Environment: MK_BUILD (default build), QEMU (default qemu-system-i386).
"""

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("MK_BUILD", os.path.join(ROOT, "build"))
KERNEL = os.path.join(BUILD, "kernel.elf")
QEMU = os.environ.get("QEMU", "qemu-system-i386")
WAIT = 60.0          # seconds for any one answer (TCG may be slow)
PROMPT = "kdb> "
BREAK = b"\x1d"      # Ctrl-]
SERIAL_BREAK = b"\x01b"  # Ctrl-A b: QEMU's mux sends a BREAK condition
PLAN = 42


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
        if not cond and diag is not None:
            for line in str(diag).splitlines()[-25:]:
                print(f"#   {line}")
        sys.stdout.flush()
        return bool(cond)


class Guest:
    """QEMU with its serial console on our pipes."""

    def __init__(self, cmdline, log, monitor=False):
        self.log = open(log, "w", encoding="utf-8", errors="replace")
        # with monitor, the serial line is multiplexed with QEMU's monitor
        # as `make run` does (-serial mon:stdio): Ctrl-A b sends a BREAK
        serial = ["-serial", "mon:stdio"] if monitor else ["-serial", "stdio", "-monitor", "none"]
        self.proc = subprocess.Popen(
            [QEMU, "-accel", "tcg", "-m", "256M", "-display", "none", "-no-reboot",
             "-kernel", KERNEL, "-append", cmdline, *serial,
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.buf = ""
        self.eof = False

    def _read(self, timeout):
        if self.eof:
            return False
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return False
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            self.eof = True
            return False
        text = data.decode(errors="replace").replace("\r", "")
        self.log.write(text)
        self.log.flush()
        self.buf += text
        return True

    def expect(self, pattern, timeout=WAIT):
        """Consume output up to and including the regex; return it (None on timeout)."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                out = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return out
            left = end - time.monotonic()
            if left <= 0 or (self.eof and not self._read(0)):
                return None
            self._read(min(left, 0.5))

    def send(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def cmd(self, line):
        """Type a command; return its answer (the text up to the next prompt)."""
        self.send(line.encode() + b"\r")
        out = self.expect(re.escape(PROMPT))
        if out is None:
            return f"<no prompt after {line!r}; got: {self.buf[-500:]!r}>"
        out = out[:-len(PROMPT)]
        first, _, rest = out.partition("\n")      # the echoed command line
        return rest if first.strip() == line else out

    def wait_exit(self, timeout=WAIT):
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self._read(0.2)
        while self._read(0):
            pass
        return self.proc.poll()

    def close(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()


def boot_option(t, logdir):
    """Boot 1: kdb at boot, then a short test run that must pass."""
    g = Guest("test only=ring3 kdb trace=sched", os.path.join(logdir, "kdb_test-boot.log"))
    try:
        banner = g.expect(re.escape(PROMPT))
        t.ok(banner is not None and 'kdb: stopped: "kdb" on the command line' in banner and
             "mk: tracing sched" in banner,
             "boot option kdb: debugger entered at boot (trace=sched announced)", banner or g.buf)
        out = g.cmd("help")
        t.ok(all(w in out for w in ("show tasks", "show threads", "show space", "show port",
                                     "show pset", "show kmsg", "show counters", "show zones",
                                     "show audit", "show waitfor",
                                     "bt", "continue", "reboot", "Ctrl-]")),
             "help lists every command and the break key", out)
        out = g.cmd("show tasks")
        t.ok(re.search(r"task\s+0 kernel\s+refs \d+ threads [1-9]", out), "show tasks at boot: "
             "the kernel task", out)
        out = g.cmd("show threads")
        t.ok(all(re.search(r"thread\s+\d+ %s\s" % n, out) for n in ("idle", "reaper", "main")),
             "show threads at boot: idle, reaper, main", out)
        out = g.cmd("bt")
        t.ok("kernel_startup+" in out and "kmain+" in out,
             "bt at boot: symbolized, through kernel_startup and kmain", out)
        out = g.cmd("frobnicate")
        t.ok("unknown command" in out, "an unknown command is refused", out)
        g.send(b"continue\r")
        out = g.expect(r"kdb: continuing")
        t.ok(out is not None, "continue leaves the debugger", g.buf[-500:])
        status = g.wait_exit()
        text = g.buf
        t.ok(status == 33 and re.search(r"^ok \d+ - tests/ring3", text, re.M),
             "after continue the test run finishes: tests/ring3 ok, QEMU exit 33",
             f"exit {status}\n{text[-1500:]}")
        t.ok(re.search(r"^\[sched \d+\] switch to \d+ \(\w+\)", text, re.M),
             "trace=sched prints compact switch lines", text[-1500:])
    finally:
        g.close()


def boot_break(t, logdir):
    """Boot 2: break key on a running system, every command, panic, reboot."""
    g = Guest("", os.path.join(logdir, "kdb_test-run.log"), monitor=True)
    try:
        up = g.expect(r"bootstrap: system up.*\n")
        parked = g.expect(r"mailbox: 2 messages parked on port (0x[0-9a-f]+)[^\n]*\n")
        t.ok(up is not None and parked is not None, "run mode: demos up, mailbox parked",
             g.buf[-1500:])
        box_name = re.search(r"parked on port (0x[0-9a-f]+)", parked or "")
        box_name = box_name.group(1) if box_name else "0x?"
        time.sleep(0.5)
        g.send(BREAK)
        banner = g.expect(re.escape(PROMPT))
        t.ok(banner is not None and "kdb: stopped: break key on the console" in banner,
             "the break key (Ctrl-]) enters kdb", banner or g.buf[-800:])

        out = g.cmd("show tasks")
        m = re.search(r"task\s+(\d+) mailbox\s+refs \d+ threads 1 active", out)
        t.ok(m and re.search(r"task\s+\d+ bootstrap\s+refs \d+ threads \d+ active", out),
             "show tasks: bootstrap and the mailbox task", out)
        tid = m.group(1) if m else "0"

        out = g.cmd("show threads")
        m = re.search(r"thread\s+(\d+) mailbox\s+task\s+%s wait .*\n\s+waiting: mach_msg receive "
                      r"on port set (0x[0-9a-f]+)" % tid, out)
        t.ok(m is not None and re.search(r"^\*", out, re.M),
             "show threads: the mailbox thread waits on its port set; one is current", out)
        thread_id = m.group(1) if m else "0"
        set_addr = m.group(2) if m else "0x?"

        out = g.cmd(f"show space {tid}")
        rows = re.findall(r"name\s+(0x[0-9a-f]+)\s+([a-z -]+?)\s+urefs\s+(\d+)\s+object (0x[0-9a-f]+)",
                          out)
        by_name = {r[0]: r for r in rows}
        box = by_name.get(box_name)
        sets = [r for r in rows if r[1].strip() == "port-set"]
        t.ok(box is not None and box[1].strip() == "send receive" and box[2] == "1" and
             len(sets) == 1 and sets[0][3] == set_addr and sets[0][2] == "0" and
             any(r[1].strip() == "receive" and r[2] == "0" for r in rows) and
             re.search(r"entries %d/\d+" % len(rows), out),
             "show space: mailbox (send+receive, 1 uref), the set, a receive right", out)
        box_addr = box[3] if box else "0x0"

        out = g.cmd(f"show port {tid}:{box_name}")
        t.ok(f"receiver: task {tid} (mailbox) name {box_name}" in out,
             "show port task:name: receiver task and name", out)
        t.ok(re.search(r"srights 3 sorights 0 mscount 1 seqno 0 qlimit \d+ msgcount 2", out),
             "show port: 3 send rights, 0 send-once, make-send 1, seqno 0, 2 queued", out)
        kmsgs = re.findall(r"kmsg (0x[0-9a-f]+) id (\d+) size (\d+)", out)
        t.ok([k[1] for k in kmsgs] == ["4201", "4202"] and kmsgs[0][2] == "56" and
             kmsgs[1][2] == "40",
             "show port: messages 4201 (56 bytes) and 4202 (40) queued in order", out)
        out2 = g.cmd(f"show port {box_addr}")
        t.ok(f"port {box_addr}" in out2 and "msgcount 2" in out2,
             "show port <addr>: the same port", out2)
        out = g.cmd("show port 0x1234")
        t.ok("is not a port" in out, "show port: a wrong address is refused", out)
        out = g.cmd(f"show port {tid}:0x7777")
        t.ok("has no name" in out, "show port: a wrong name is refused", out)

        out = g.cmd("show kmsg")
        t.ok(out.count(f"port {box_addr}: kmsg") == 2 and "queued message(s)" in out and
             re.search(r"bits 0x80000011 remote %s local 0 id 4202" % box_addr, out),
             "show kmsg: both parked messages on the mailbox port, 4202 complex", out)
        if kmsgs:
            out = g.cmd(f"show kmsg {kmsgs[0][0]}")
            t.ok(f"queued on port {box_addr}" in out and "61 20 6c 65 74 74 65 72" in out,
                 "show kmsg <addr>: header, port, body bytes (\"a letter\")", out)
        else:
            t.ok(False, "show kmsg <addr>: no kmsg address found")
        out = g.cmd("show kmsg 0x10")
        t.ok("is not a queued kmsg" in out, "show kmsg: a wrong address is refused", out)

        out = g.cmd("show pset")
        t.ok(f"pset {set_addr}" in out and f"in task {tid} (mailbox)" in out and
             "1 thread(s) waiting to receive" in out and re.search(r"members: 0x[0-9a-f]+", out),
             "show pset: the mailbox's set, one member, one waiting receiver", out)

        out = g.cmd("show counters")
        t.ok(re.search(r"combined_S_R\s+\d+", out) and re.search(r"fall_no_receiver\s+\d+", out)
             and "sched: switches" in out, "show counters: hot-path counters and totals", out)
        out = g.cmd("show zones")
        t.ok(re.search(r"ipc\.ports\s+size\s+\d+ in-use\s+\d+", out) and "threads" in out,
             "show zones: zone statistics", out)
        out = g.cmd("show waitfor")
        t.ok(re.search(r"thread %s \(mailbox, task %s\) receives on set \d+ of task %s\n"
                       r"\s+member port \d+ \(0 queued\)\n\s+<- " % (thread_id, tid, tid), out) and
             re.search(r"receives on port \d+ \(\d+ queued\) of task 1 \(bootstrap\)\n"
                       r"\s+<- send right named 0x[0-9a-f]+ in task 1 \(bootstrap\)", out) and
             re.search(r"^\d+ thread\(s\) waiting on ports or sets", out, re.M),
             "show waitfor: the mailbox thread on its set; the bootstrap and who can send to it", out)
        out = g.cmd("show audit")
        t.ok(re.search(r"audit: \d+ spaces, \d+ ports, [1-9]\d* sets, [2-9]\d* kmsgs: "
                       r"0 violation\(s\)", out),
             "show audit: the IPC auditor from kdb, no violations", out)
        out = g.cmd(f"show map {tid}")
        t.ok("vm_map" in out and re.search(r"\[08048000, [0-9a-f]+\) r.x", out),
             "show map: the mailbox's address map, text at 0x08048000", out)

        out = g.cmd(f"bt {thread_id}")
        t.ok(f"thread {thread_id} (mailbox)" in out and "thread_block+" in out and
             "mach_msg_receive+" in out and
             re.search(r"user state: eip 0804[0-9a-f]{4}", out),
             "bt <thread>: kernel backtrace of the blocked mailbox thread and its user eip", out)
        out = g.cmd("bt")
        t.ok("backtrace" in out, "bt: where kdb stopped", out)
        out = g.cmd("bt 9999")
        t.ok("no thread 9999" in out, "bt: a wrong thread id is refused", out)

        out = g.cmd("trace ipc,vm")
        t.ok("trace: ipc vm" in out, "trace ipc,vm sets the mask", out)
        out = g.cmd("trace off")
        t.ok("trace: off" in out, "trace off clears it", out)

        g.send(b"c\r")
        t.ok(g.expect(r"kdb: continuing") is not None, "continue resumes the system",
             g.buf[-500:])
        time.sleep(0.5)
        g.send(SERIAL_BREAK)
        banner = g.expect(re.escape(PROMPT))
        t.ok(banner is not None and "break key" in banner,
             "a serial BREAK (Ctrl-A b) enters kdb again after continue", banner or g.buf[-500:])

        g.send(b"panic\r")
        out = g.expect(re.escape(PROMPT))
        t.ok(out is not None and "panic: kdb: panic requested from the debugger" in out and
             re.search(r"eax [0-9a-f]{8} ebx", out) and "panic context: thread" in out,
             "panic: message, registers and current thread", out or g.buf[-800:])
        t.ok(out is not None and re.search(r"backtrace:\n\s+#0 c0[0-9a-f]{6} \w+", out),
             "panic: symbolized backtrace", out)
        t.ok(out is not None and "kdb: stopped: panic" in out,
             "a panic outside test mode enters kdb", out)
        out = g.cmd("bt")
        t.ok("panic+" in out, "bt after the panic shows panic()", out)
        g.send(b"reboot\r")
        t.ok(g.expect(r"kdb: rebooting") is not None, "reboot", g.buf[-300:])
        status = g.wait_exit()
        t.ok(status == 0, f"reboot ends QEMU (-no-reboot): exit status {status}")
    finally:
        g.close()


def main():
    t = Tap()
    if shutil.which(QEMU) is None:
        print(f"1..0 # SKIP {QEMU} not found")
        return 0
    print(f"1..{PLAN}")
    if not os.path.isfile(KERNEL):
        print(f"# kernel {KERNEL} not found")
        return 1
    logdir = os.path.join(BUILD, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    boot_option(t, logdir)
    boot_break(t, logdir)
    if t.n != PLAN:
        print(f"# planned {PLAN} points, ran {t.n}")
        return 1
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
