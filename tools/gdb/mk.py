"""GDB helpers for the mk kernel (loaded by tools/gdb/gdbinit).

Symbols
  mk-load [BUILD]          kernel symbols plus every user program's
  mk-user PROG             keep only PROG's user symbols (e.g. demo/mailbox)
  mk-programs              the user programs and their ELF files
  mk-break PROG FUNC|ADDR  breakpoint in user program PROG that stops only
                           when PROG's task runs (user programs overlap);
                           narrows the user symbols to PROG's

Measuring
  mk-itrace FUNC [N] [MAX] [PCFILE]
                           single-step until the kernel function FUNC has
                           been entered N more times (default 2, at most MAX
                           steps, default 20000); print the instructions run
                           per function, user ones per task and function;
                           the kernel addresses stepped go to PCFILE

Kernel objects
  mk-tasks                 every task
  mk-threads               every thread: state, what it waits for, current
  mk-space TASK            a task's IPC space (TASK: id or task pointer)
  mk-port ADDR             a port: receiver, rights, seqno, qlimit, queue
  mk-kmsg ADDR             a kernel message: header, descriptors, body
  mk-counters              mach_msg hot-path counters and zone statistics

Every user program is linked at 0x08048000, so their symbol files overlap:
an address below 0xc0000000 means something different in each task.
mk-load loads them all (so `info symbol`, `list` and `bt` work for
whichever GDB finds first); mk-user narrows that to one program, and
mk-break sets a breakpoint by address that stops only in the right task.
QEMU's gdbstub implements breakpoints itself on virtual addresses (no
int3 is written into memory), so a breakpoint on a user address fires in
whichever address space is current: mk-break's condition filters by task.
"""

import bisect
import collections
import os
import struct

import gdb

HERE = os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd()
ROOT = os.path.dirname(os.path.dirname(HERE)) if "__file__" in globals() else os.getcwd()

TH_STATES = {1: "run", 2: "wait", 3: "dead"}
IKOT_NAMES = {0: "none", 1: "thread", 2: "task", 3: "host", 4: "host_priv"}
PORT_TYPES = [(1 << 16, "send"), (1 << 17, "receive"), (1 << 18, "send-once"),
              (1 << 19, "port-set"), (1 << 20, "dead-name")]
MSG_TYPES = {0: "none", 15: "name", 16: "move-receive", 17: "move-send",
             18: "move-send-once", 19: "copy-send", 20: "make-send",
             21: "make-send-once", 22: "copy-receive"}
DESC_TYPES = {0: "port", 1: "ool", 2: "ool-ports", 3: "ool-volatile"}
LIST_LIMIT = 100000

_state = {"build": None, "kernel": None, "user": {}}


# ------------------------------------------------------------------ ELF

def elf_symbols(path, kinds=(1, 2)):
    """Return {name: (value, size)} of an ELF32 file's defined symbols of
    the given STT_ kinds (default objects and functions)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        raise gdb.GdbError(f"{path}: not a 32-bit ELF file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2e)
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
                for i in range(shnum)]
    syms = {}
    for sh in sections:
        if sh[1] != 2:          # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 16):
            name, value, size, info, _other, shndx = struct.unpack_from("<IIIBBH", data, off)
            if shndx == 0 or name == 0:
                continue
            start = strtab[4] + name
            end = data.index(b"\0", start)
            sym = data[start:end].decode(errors="replace")
            kind = info & 0xf
            if kind in kinds and (sym not in syms or info >> 4 == 1):  # GLOBAL wins
                syms[sym] = (value, size)
    return syms


def build_dir(arg=None):
    """The build directory: the argument, $MK_BUILD, or ROOT/build."""
    if arg:
        return os.path.abspath(arg)
    if _state["build"]:
        return _state["build"]
    return os.path.abspath(os.environ.get("MK_BUILD", os.path.join(ROOT, "build")))


def user_programs(bdir):
    """{"demo/mailbox": path} for every user ELF under BUILD/user."""
    top = os.path.join(bdir, "user")
    progs = {}
    for dirpath, _dirs, files in os.walk(top):
        for f in files:
            if f.endswith(".elf"):
                path = os.path.join(dirpath, f)
                progs[os.path.relpath(path, top)[:-4]] = path
    return dict(sorted(progs.items()))


def find_program(name):
    """Resolve PROG ("demo/mailbox", or a unique base name) to (name, path)."""
    progs = user_programs(build_dir())
    if name in progs:
        return name, progs[name]
    hits = [p for p in progs if os.path.basename(p) == name]
    if len(hits) == 1:
        return hits[0], progs[hits[0]]
    if not hits:
        raise gdb.GdbError(f"no user program {name!r} (see mk-programs)")
    raise gdb.GdbError(f"{name!r} is ambiguous: {', '.join(hits)}")


def add_user_symbols(name, path):
    gdb.execute(f"add-symbol-file {path}", to_string=True)
    _state["user"][name] = path


def remove_user_symbols():
    for name, path in list(_state["user"].items()):
        try:
            gdb.execute(f"remove-symbol-file {path}", to_string=True)
        except gdb.error:
            pass
        del _state["user"][name]


# ------------------------------------------------------------------ kernel access

def kernel_objfile():
    for o in gdb.objfiles():
        if _state["kernel"] and o.filename == _state["kernel"]:
            return o
    for o in gdb.objfiles():
        if o.filename.endswith("kernel.elf"):
            return o
    raise gdb.GdbError("kernel symbols are not loaded (mk-load)")


def ksym(name):
    """The value of kernel variable `name` (global or file-static)."""
    o = kernel_objfile()
    s = o.lookup_global_symbol(name) or o.lookup_static_symbol(name)
    if s is None:
        raise gdb.GdbError(f"kernel symbol {name} not found")
    return s.value()


def ktype(name):
    """A kernel type, looked up in the kernel's scope first."""
    try:
        block = gdb.block_for_pc(int(ksym("kmain").address))
        return gdb.lookup_type(name, block)
    except (gdb.error, RuntimeError):
        return gdb.lookup_type(name)


def addr(v):
    return int(v) & 0xffffffff


def offsetof(tname, field):
    t = ktype(tname)
    for f in t.fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError(f"{tname} has no field {field}")


def qlist(head, tname, field):
    """Iterate a struct qlink list: head is a qlink value (not a pointer)."""
    h = addr(head.address)
    off = offsetof(tname, field)
    ptype = ktype(tname).pointer()
    link = head["next"]
    n = 0
    while addr(link) != h and addr(link) != 0 and n < LIST_LIMIT:
        yield gdb.Value(addr(link) - off).cast(ptype)
        link = link["next"]
        n += 1


def cstr(v):
    try:
        return v.string(length=v.type.sizeof).split("\0")[0]
    except (gdb.error, gdb.MemoryError):
        return "?"


def ptr_arg(arg, tname):
    """Evaluate arg (an expression or a hex address) as a tname pointer."""
    if not arg.strip():
        raise gdb.GdbError("an address or expression is needed")
    v = gdb.parse_and_eval(arg)
    return gdb.Value(addr(v)).cast(ktype(tname).pointer())


def tasks():
    return list(qlist(ksym("all_tasks"), "struct task", "all_link"))


def task_arg(arg):
    """A task by id (decimal) or by pointer expression."""
    arg = arg.strip()
    if arg.isdigit():
        for t in tasks():
            if int(t["id"]) == int(arg):
                return t
        raise gdb.GdbError(f"no task {arg}")
    return ptr_arg(arg, "struct task")


def symbolize(a):
    try:
        s = gdb.execute(f"info symbol {a:#x}", to_string=True).strip()
    except gdb.error:
        return None
    if s.startswith("No symbol"):
        return None
    return s.split(" in section")[0]


def receiver_str(p):
    if not p["ip_object"]["io_active"]:
        return "none (dead)"
    r = addr(p["ip_receiver"])
    if r == addr(ksym("ipc_space_kernel")):
        return f"kernel (kobject {IKOT_NAMES.get(int(p['ip_kotype']), p['ip_kotype'])} " \
               f"{addr(p['ip_kobject']):#x})"
    if r == addr(ksym("ipc_space_reply")):
        return "kernel (kernel RPC reply port)"
    if r == 0:
        return f"in transit to port {addr(p['ip_destination']):#x}"
    t = p["ip_receiver"]["is_task"]
    if addr(t) == 0:
        return f"space {r:#x}"
    return f"task {int(t['id'])} ({cstr(t['name'])})"


def port_brief(a):
    """"port #12 -> task 3 (name) 0x103" for a port address."""
    if a == 0:
        return "null"
    if a == 0xffffffff:
        return "dead"
    p = gdb.Value(a).cast(ktype("struct ipc_port").pointer())
    try:
        rname = int(p["ip_receiver_name"])
        return f"{a:#x} (port {int(p['ip_id'])}, receiver {receiver_str(p)} name {rname:#x})"
    except gdb.MemoryError:
        return f"{a:#x} (unreadable)"


def type_str(bits):
    names = [n for b, n in PORT_TYPES if bits & b]
    return "+".join(names) if names else "none"


# ------------------------------------------------------------------ commands

class MkCommand(gdb.Command):
    """Base: catch GDB errors into one readable line."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except gdb.MemoryError as e:
            raise gdb.GdbError(f"{self.__class__.__name__}: memory not readable: {e}")


class MkLoad(MkCommand):
    """mk-load [BUILD]: load build/kernel.elf and every user program's symbols."""

    def __init__(self):
        super().__init__("mk-load")

    def run(self, arg):
        bdir = build_dir(arg.strip() or None)
        _state["build"] = bdir
        kernel = os.path.join(bdir, "kernel.elf")
        if not os.path.isfile(kernel):
            raise gdb.GdbError(f"{kernel} not found: run make first")
        gdb.execute(f"symbol-file {kernel}", to_string=True)
        _state["kernel"] = kernel
        remove_user_symbols()
        progs = user_programs(bdir)
        for name, path in progs.items():
            add_user_symbols(name, path)
        print(f"mk: kernel symbols from {kernel}; {len(progs)} user programs at "
              f"0x08048000 (overlapping: see mk-user, mk-break)")


class MkUser(MkCommand):
    """mk-user PROG: user symbols of PROG only (e.g. mk-user demo/mailbox)."""

    def __init__(self):
        super().__init__("mk-user")

    def run(self, arg):
        name, path = find_program(arg.strip())
        remove_user_symbols()
        add_user_symbols(name, path)
        print(f"mk: user symbols from {path} only")


class MkPrograms(MkCommand):
    """mk-programs: the user programs whose symbols can be loaded."""

    def __init__(self):
        super().__init__("mk-programs")

    def run(self, arg):
        for name, path in user_programs(build_dir()).items():
            mark = "*" if name in _state["user"] else " "
            print(f"{mark} {name:32} {path}")


class MkTaskBreakpoint(gdb.Breakpoint):
    """A breakpoint on a user address that stops only in one task."""

    def __init__(self, spec, task_name):
        super().__init__(spec, gdb.BP_BREAKPOINT, internal=False)
        self.task_name = task_name

    def stop(self):
        try:
            t = ksym("cpu_current_thread")["task"]
            return addr(t) != 0 and cstr(t["name"]) == self.task_name
        except gdb.error:
            return False


class MkBreak(MkCommand):
    """mk-break PROG FUNC|ADDR: stop when PROG's task reaches FUNC (or ADDR).

The breakpoint is set by address, from PROG's own ELF symbols, and its
condition compares the running task's name with PROG's base name, so
other programs executing the same user address do not stop.  The user
symbols are narrowed to PROG's (as mk-user does) so that the stop shows
PROG's source; mk-load brings every program's back."""

    def __init__(self):
        super().__init__("mk-break")

    def run(self, arg):
        words = arg.split()
        if len(words) != 2:
            raise gdb.GdbError("usage: mk-break PROG FUNC|ADDR")
        name, path = find_program(words[0])
        where = words[1]
        if where.startswith("*"):
            where = where[1:]
        try:
            a = int(where, 0)
        except ValueError:
            syms = elf_symbols(path)
            if where not in syms:
                raise gdb.GdbError(f"{name} has no symbol {where}")
            a = syms[where][0]
        if list(_state["user"]) != [name]:
            remove_user_symbols()
            add_user_symbols(name, path)
            print(f"mk: user symbols from {path} only (mk-load brings all back)")
        bp = MkTaskBreakpoint(f"*{a:#x}", os.path.basename(name))
        print(f"mk: breakpoint {bp.number} at {a:#x} ({name} {words[1]}), "
              f"only in task \"{os.path.basename(name)}\"")


class MkTasks(MkCommand):
    """mk-tasks: every task (id, name, references, threads, state, map, space)."""

    def __init__(self):
        super().__init__("mk-tasks")

    def run(self, arg):
        cur = ksym("cpu_current_thread")
        cur_task = addr(cur["task"]) if addr(cur) else 0
        print(f"{'':1} {'ID':>4} {'NAME':20} {'REFS':>4} {'THREADS':>7} {'STATE':9} "
              f"{'MAP':10} {'SPACE':10} TASK")
        for t in tasks():
            state = "active" if t["active"] else "inactive"
            if t["finished"]:
                state = "finished"
            mark = "*" if addr(t) == cur_task else " "
            print(f"{mark} {int(t['id']):>4} {cstr(t['name']):20} {int(t['ref_count']):>4} "
                  f"{int(t['thread_count']):>7} {state:9} {addr(t['map']):#010x} "
                  f"{addr(t['itk_space']):#010x} {addr(t):#x}")


def thread_wait(t):
    """What a waiting thread waits for, in words."""
    if int(t["state"]) != 2:
        return "-"
    timeout = ", timeout" if t["wait_timer_armed"] else ""
    link = t["ith_wait_link"]
    if addr(link["next"]) != 0:
        me = addr(link.address)
        for p in qlist(ksym("all_ports"), "struct ipc_port", "ip_all_link"):
            head = p["ip_rcv_waiters"]
            if any(addr(x) == me for x in _links(head)):
                return f"receive on port {addr(p):#x} (id {int(p['ip_id'])}){timeout}"
        for s in qlist(ksym("all_psets"), "struct ipc_pset", "ips_all_link"):
            if any(addr(x) == me for x in _links(s["ips_rcv_waiters"])):
                return f"receive on port set {addr(s):#x} (id {int(s['ips_id'])}){timeout}"
    link = t["ith_send_link"]
    if addr(link["next"]) != 0:
        me = addr(link.address)
        for p in qlist(ksym("all_ports"), "struct ipc_port", "ip_all_link"):
            if any(addr(x) == me for x in _links(p["ip_snd_waiters"])):
                return f"send to full port {addr(p):#x} (id {int(p['ip_id'])}){timeout}"
    ev = addr(t["wait_event"])
    if ev == 0:
        return f"no event (sleep, reply or long IPC){timeout}"
    for k in tasks():
        if addr(k) == ev:
            return f"end of task {int(k['id'])} ({cstr(k['name'])}){timeout}"
    for o in qlist(ksym("all_threads"), "struct thread", "all_link"):
        if addr(o) == ev:
            return f"end of thread {int(o['id'])} ({cstr(o['name'])}){timeout}"
    sym = symbolize(ev)
    return f"event {ev:#x}" + (f" <{sym}>" if sym else "") + timeout


def _links(head):
    h = addr(head.address)
    link = head["next"]
    n = 0
    while addr(link) not in (h, 0) and n < LIST_LIMIT:
        yield link
        link = link["next"]
        n += 1


class MkThreads(MkCommand):
    """mk-threads: every thread: state, priority, what it waits for; * = current."""

    def __init__(self):
        super().__init__("mk-threads")

    def run(self, arg):
        cur = addr(ksym("cpu_current_thread"))
        print(f"{'':1} {'ID':>4} {'NAME':16} {'TASK':>4} {'STATE':5} {'PRI':>3} "
              f"{'THREAD':10} WAIT")
        for t in qlist(ksym("all_threads"), "struct thread", "all_link"):
            task = t["task"]
            tid = int(task["id"]) if addr(task) else -1
            mark = "*" if addr(t) == cur else " "
            state = TH_STATES.get(int(t["state"]), str(int(t["state"])))
            print(f"{mark} {int(t['id']):>4} {cstr(t['name']):16} {tid:>4} {state:5} "
                  f"{int(t['priority']):>3} {addr(t):#010x} {thread_wait(t)}")
        if cur:
            c = ksym("cpu_current_thread")
            print(f"current: thread {int(c['id'])} ({cstr(c['name'])})")


class MkSpace(MkCommand):
    """mk-space TASK: every entry of a task's IPC space (TASK: id or task pointer)."""

    def __init__(self):
        super().__init__("mk-space")

    def run(self, arg):
        t = task_arg(arg)
        s = t["itk_space"]
        print(f"task {int(t['id'])} ({cstr(t['name'])}) space {addr(s):#x}", end="")
        if addr(s) == 0:
            print(": none")
            return
        size = int(s["is_table_size"])
        print(f" {'active' if s['is_active'] else 'dead'}, {int(s['is_used'])} entries "
              f"used of {size}")
        print(f"  {'NAME':>10} {'TYPE':22} {'UREFS':>5} OBJECT")
        table = s["is_table"]
        for i in range(1, size):
            e = table[i]
            bits = int(e["ie_bits"])
            if bits & 0x001f0000 == 0:
                continue
            name = (i << 8) | int(e["ie_gen"])
            obj = addr(e["ie_object"])
            desc = ""
            if obj not in (0, 0xffffffff):
                o = e["ie_object"].dereference()
                if int(o["io_otype"]) == 0:
                    p = gdb.Value(obj).cast(ktype("struct ipc_port").pointer())
                    desc = f" port {int(p['ip_id'])}"
                    if int(p["ip_kotype"]):
                        desc += f" kobject {IKOT_NAMES.get(int(p['ip_kotype']), '?')}"
                    if int(p["ip_msgcount"]):
                        desc += f", {int(p['ip_msgcount'])} queued"
                    if not o["io_active"]:
                        desc += " (dead)"
                else:
                    ps = gdb.Value(obj).cast(ktype("struct ipc_pset").pointer())
                    desc = f" pset {int(ps['ips_id'])}"
            print(f"  {name:#10x} {type_str(bits):22} {bits & 0xffff:>5} {obj:#010x}{desc}")


class MkPort(MkCommand):
    """mk-port ADDR: a port's receiver, rights, make-send count, seqno, qlimit, queue."""

    def __init__(self):
        super().__init__("mk-port")

    def run(self, arg):
        p = ptr_arg(arg, "struct ipc_port")
        o = p["ip_object"]
        print(f"port {addr(p):#x} id {int(p['ip_id'])} "
              f"{'active' if o['io_active'] else 'dead'} refs {int(o['io_references'])}")
        print(f"  receiver      {receiver_str(p)} name {int(p['ip_receiver_name']):#x}")
        print(f"  send rights   {int(p['ip_srights'])}")
        print(f"  send-once     {int(p['ip_sorights'])}")
        print(f"  make-send     {int(p['ip_mscount'])}")
        print(f"  seqno         {int(p['ip_seqno'])}")
        print(f"  qlimit        {int(p['ip_qlimit'])}")
        print(f"  msgcount      {int(p['ip_msgcount'])}")
        if addr(p["ip_pset"]):
            print(f"  in port set   {addr(p['ip_pset']):#x}")
        if int(p["ip_kotype"]):
            print(f"  kobject       {IKOT_NAMES.get(int(p['ip_kotype']), '?')} "
                  f"{addr(p['ip_kobject']):#x}")
        if addr(p["ip_nsrequest"]):
            print(f"  no-senders    -> {addr(p['ip_nsrequest']):#x} "
                  f"(mscount {int(p['ip_nsmscount'])})")
        if addr(p["ip_pdrequest"]):
            print(f"  port-destroyed -> {addr(p['ip_pdrequest']):#x}")
        waiters = sum(1 for _ in _links(p["ip_rcv_waiters"]))
        senders = sum(1 for _ in _links(p["ip_snd_waiters"]))
        print(f"  waiting       {waiters} receiver(s), {senders} blocked sender(s)")
        msgs = list(qlist(p["ip_messages"], "struct ipc_kmsg", "ikm_link"))
        print(f"  queued messages: {len(msgs)}")
        for k in msgs:
            h = k["ikm_header"]
            print(f"    kmsg {addr(k):#x} id {int(h['msgh_id'])} size {int(h['msgh_size'])} "
                  f"bits {int(h['msgh_bits']):#x}")


class MkKmsg(MkCommand):
    """mk-kmsg ADDR: a kernel message: header, rights, descriptors, body bytes."""

    def __init__(self):
        super().__init__("mk-kmsg")

    def run(self, arg):
        k = ptr_arg(arg, "struct ipc_kmsg")
        h = k["ikm_header"]
        bits = int(h["msgh_bits"])
        size = int(h["msgh_size"])
        print(f"kmsg {addr(k):#x} buffer {int(k['ikm_size'])} bytes"
              f"{' (cache-sized)' if k['ikm_cached'] else ''}, "
              f"{'queued' if addr(k['ikm_link']['next']) else 'not queued'}")
        print(f"  id            {int(h['msgh_id'])}")
        print(f"  size          {size}")
        print(f"  bits          {bits:#x} remote {MSG_TYPES.get(bits & 0x1f, bits & 0x1f)} "
              f"local {MSG_TYPES.get((bits >> 8) & 0x1f, (bits >> 8) & 0x1f)}"
              f"{' complex' if bits & 0x80000000 else ''}")
        print(f"  remote port   {port_brief(addr(h['msgh_remote_port']))}")
        print(f"  local port    {port_brief(addr(h['msgh_local_port']))}")
        body_off = 24
        if bits & 0x80000000:
            inf = gdb.selected_inferior()
            base = addr(h) + 24
            count, = struct.unpack("<I", bytes(inf.read_memory(base, 4)))
            print(f"  descriptors   {count}")
            for i in range(min(count, 64)):
                d = bytes(inf.read_memory(base + 4 + 12 * i, 12))
                w0, w1, w2 = struct.unpack("<III", d)
                dtype = w2 >> 24
                if dtype == 0:
                    disp = (w2 >> 16) & 0xff
                    print(f"    [{i}] port {MSG_TYPES.get(disp, disp)} {port_brief(w0)}")
                elif dtype in (1, 3):
                    print(f"    [{i}] {DESC_TYPES[dtype]} copy {w0:#x} size {w1}")
                elif dtype == 2:
                    disp = (w2 >> 16) & 0xff
                    print(f"    [{i}] ool-ports {w1} x {MSG_TYPES.get(disp, disp)} "
                          f"array {w0:#x}")
                else:
                    print(f"    [{i}] type {dtype}?")
            body_off = 24 + 4 + 12 * count
        n = max(0, min(size - body_off, 64))
        data = bytes(gdb.selected_inferior().read_memory(addr(h) + body_off, n)) if n else b""
        print(f"  inline data   {max(0, size - body_off)} bytes" + (", first 64:" if size - body_off > 64 else ":"))
        for i in range(0, len(data), 16):
            chunk = data[i:i + 16]
            text = "".join(chr(c) if 32 <= c < 127 else "." for c in chunk)
            print(f"    {i:04x}  {chunk.hex(' '):47}  {text}")


class MkCounters(MkCommand):
    """mk-counters: the mach_msg hot-path counters and zone statistics."""

    def __init__(self):
        super().__init__("mk-counters")

    def run(self, arg):
        counters = ksym("mach_msg_counters")
        names = ksym("mach_msg_counter_names")
        n = int(counters.type.sizeof // counters.type.target().sizeof)
        # msg_fast.S counts its deliveries in one word that
        # mach_msg_counters_sync() folds into these; add it as that would
        asm = int(ksym("mach_msg_asm_deliveries"))
        folded = {"combined_S_R", "handoff", "fast_copyout_ok", "kmsg_cache_hits"}
        print(f"mach_msg hot path ({'on' if ksym('enable_hotpath') else 'off'}):")
        for i in range(n):
            name = names[i].string()
            value = int(counters[i]) + (asm if name in folded else 0)
            print(f"  {name:28} {value:>10}")
        print(f"kmsg cache: hits {int(ksym('ikm_cache_hits')) + asm} misses "
              f"{int(ksym('ikm_cache_misses'))}; kmsgs alive {int(ksym('ipc_kmsgs_alive'))}")
        print(f"sched: switches {int(ksym('sched_switches')) + asm} handoffs "
              f"{int(ksym('sched_handoffs')) + asm}")
        print("zones:")
        print(f"  {'NAME':16} {'SIZE':>6} {'IN-USE':>7} {'FREE':>7} {'PAGES':>6} "
              f"{'ALLOCS':>9} {'FREES':>9}")
        z = ksym("all_zones")
        n = 0
        while addr(z) and n < 1000:
            print(f"  {z['name'].string():16} {int(z['elem_size']):>6} {int(z['in_use']):>7} "
                  f"{int(z['free_count']):>7} {int(z['pages']):>6} {int(z['allocs']):>9} "
                  f"{int(z['frees']):>9}")
            z = z["next"]
            n += 1


class _SymbolTable:
    """Address -> function name over one ELF file's functions and the
    untyped labels of its assembly."""

    def __init__(self, path):
        syms = sorted((v, n) for n, (v, _size) in elf_symbols(path, (0, 2)).items()
                      if v and not n.startswith("."))
        self.addrs = [v for v, _n in syms]
        self.names = [n for _v, n in syms]

    def name(self, a):
        i = bisect.bisect_right(self.addrs, a) - 1
        return self.names[i] if i >= 0 else f"{a:#x}"


class MkItrace(MkCommand):
    """mk-itrace FUNC [N] [MAX] [PCFILE]: count the instructions of N entries into FUNC.

From where the target is stopped, single-step until the kernel function
FUNC has been entered N more times (default 2: stopped at the top of a
mach_msg trap, two entries later one RPC round trip has gone by), or MAX
steps (default 20000).  Prints the total, the instructions per function
(user-mode ones as task:function, resolved with that program's ELF) and
the order the functions ran in.  QEMU's gdbstub steps with interrupts
masked, so a timer tick does not get into the count; each iteration of a
REP string instruction is one step, as -icount counts it.  Slow (a few
hundred steps a second): meant for one operation at a time.  With PCFILE,
the address of every kernel instruction stepped is written there, one
hex address a line, in order (tools/itrace.py --lines folds them per
source line)."""

    def __init__(self):
        super().__init__("mk-itrace")

    def run(self, arg):
        words = arg.split()
        if not words:
            raise gdb.GdbError("usage: mk-itrace FUNC [N] [MAX] [PCFILE]")
        target = int(gdb.parse_and_eval(f"(unsigned int)&{words[0]}"))
        entries = int(words[1]) if len(words) > 1 else 2
        limit = int(words[2]) if len(words) > 2 else 20000
        pcfile = open(words[3], "w") if len(words) > 3 else None
        kernel = _SymbolTable(_state["kernel"] or os.path.join(build_dir(), "kernel.elf"))
        users = {}
        counts = collections.Counter()
        order = []
        steps = 0
        seen = 0
        while steps < limit:
            pc = int(gdb.parse_and_eval("$pc")) & 0xffffffff
            if pc == target and steps:
                seen += 1
                if seen == entries:
                    break
            if pc >= 0xc0000000:
                where = kernel.name(pc)
                if pcfile:
                    pcfile.write(f"{pc:#x}\n")
            else:
                task = cstr(ksym("cpu_current_thread")["task"]["name"])
                if task not in users:
                    try:
                        users[task] = _SymbolTable(find_program(task)[1])
                    except gdb.GdbError:
                        users[task] = None
                table = users[task]
                where = f"{task}:{table.name(pc) if table else hex(pc)}"
            counts[where] += 1
            if order and order[-1][0] == where:
                order[-1][1] += 1
            else:
                order.append([where, 1])
            gdb.execute("stepi", to_string=True)
            steps += 1
        if pcfile:
            pcfile.close()
        user = sum(n for w, n in counts.items() if ":" in w)
        print(f"mk-itrace: {steps} instructions ({steps - user} kernel, {user} user) "
              f"for {seen} entr{'y' if seen == 1 else 'ies'} into {words[0]}"
              + ("" if seen == entries else f" (stopped at {limit} steps)"))
        for where, n in counts.most_common():
            print(f"  {n:6}  {where}")
        print("in order:")
        for where, n in order:
            print(f"  {n:6}  {where}")


for _cls in (MkLoad, MkUser, MkPrograms, MkBreak, MkTasks, MkThreads, MkSpace, MkPort,
             MkKmsg, MkCounters, MkItrace):
    _cls()
