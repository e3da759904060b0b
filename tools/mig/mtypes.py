"""MIG types: what a .defs `type` declaration means for the generator.

Every type has a kind:

  scalar      fixed-size inline data (integers, MACH_MSG_TYPE_PORT_NAME)
  struct      struct[N] of T: fixed inline data, a C struct by value
  farray      array[N] of T: fixed inline data, a C array
  varray      array[*:N] of T: count + up to N elements inline
  ool         ^array[] of T, array[] of T: out-of-line memory + count
  port        one port right (a port descriptor in the message)

An array whose element is a port becomes port descriptors (inline
arrays: one descriptor per element, as XNU MIG does) or an out-of-line
ports descriptor (ool).

Port types carry two dispositions, as in MIG: `send` is what the sending
side puts in the message (COPY_SEND, MAKE_SEND_ONCE, ...) and `recv` is
what the receiving side finds there after the kernel's copyin (PORT_SEND,
PORT_SEND_ONCE, ...).  POLY (-1) in either place means the side in
question passes or gets the disposition as an extra argument.
"""

import copy

POLY = -1

# Dispositions by MIG name: (send side, receive side).
PORT_DISPOSITIONS = {
    "MACH_MSG_TYPE_MOVE_RECEIVE": (16, 16),
    "MACH_MSG_TYPE_MOVE_SEND": (17, 17),
    "MACH_MSG_TYPE_MOVE_SEND_ONCE": (18, 18),
    "MACH_MSG_TYPE_COPY_SEND": (19, 17),
    "MACH_MSG_TYPE_MAKE_SEND": (20, 17),
    "MACH_MSG_TYPE_MAKE_SEND_ONCE": (21, 18),
    "MACH_MSG_TYPE_PORT_RECEIVE": (POLY, 16),
    "MACH_MSG_TYPE_PORT_SEND": (POLY, 17),
    "MACH_MSG_TYPE_PORT_SEND_ONCE": (POLY, 18),
    "MACH_MSG_TYPE_POLYMORPHIC": (POLY, POLY),
    "polymorphic": (POLY, POLY),
}

DISPOSITION_NAMES = {
    16: "MACH_MSG_TYPE_MOVE_RECEIVE",
    17: "MACH_MSG_TYPE_MOVE_SEND",
    18: "MACH_MSG_TYPE_MOVE_SEND_ONCE",
    19: "MACH_MSG_TYPE_COPY_SEND",
    20: "MACH_MSG_TYPE_MAKE_SEND",
    21: "MACH_MSG_TYPE_MAKE_SEND_ONCE",
}

# Inline data types by MIG name: (size in bytes, C type when used bare).
SCALAR_BUILTINS = {
    "MACH_MSG_TYPE_BOOLEAN": (4, "boolean_t"),
    "MACH_MSG_TYPE_INTEGER_8": (1, "int8_t"),
    "MACH_MSG_TYPE_INTEGER_16": (2, "int16_t"),
    "MACH_MSG_TYPE_INTEGER_32": (4, "int32_t"),
    "MACH_MSG_TYPE_INTEGER_64": (8, "int64_t"),
    "MACH_MSG_TYPE_CHAR": (1, "char"),
    "MACH_MSG_TYPE_BYTE": (1, "uint8_t"),
    "MACH_MSG_TYPE_BIT": (1, "uint8_t"),
    "MACH_MSG_TYPE_REAL_32": (4, "float"),
    "MACH_MSG_TYPE_REAL_64": (8, "double"),
    "MACH_MSG_TYPE_PORT_NAME": (4, "mach_port_name_t"),
    "int": (4, "int"),
    "unsigned": (4, "unsigned"),
    "char": (1, "char"),
}


class Trans(object):
    """A translation clause: `intran: T f(U)`, `outtran`, `destructor`."""

    def __init__(self, result_type, func, arg_type):
        self.result_type = result_type
        self.func = func
        self.arg_type = arg_type


class MigType(object):
    """A named MIG type; see the module comment for kinds."""

    def __init__(self, name, kind):
        self.name = name
        self.kind = kind
        self.size = 0          # bytes of one value (scalar/struct/farray)
        self.elem = None       # element MigType for arrays
        self.count = 0         # farray/struct element count, varray max
        self.send = None       # port: disposition the sender uses
        self.recv = None       # port: disposition the receiver sees
        self.ctype = name      # C type in messages and prototypes
        self.cusertype = None  # C type on the user side, if different
        self.cservertype = None
        self.intran = None
        self.outtran = None
        self.destructor = None

    def derive(self, name):
        """Return a copy named `name`, as `type name = self;` makes."""
        t = copy.copy(self)
        t.name = name
        t.ctype = name
        t.cusertype = None
        t.cservertype = None
        return t

    def is_port(self):
        """True for one port right."""
        return self.kind == "port"

    def elem_is_port(self):
        """True for an array (inline or ool) of port rights."""
        return self.elem is not None and self.elem.kind == "port"

    def user_ctype(self):
        """C type the user-side prototype uses."""
        return self.cusertype or self.ctype

    def server_ctype(self):
        """C type the server-side implementation uses."""
        if self.cservertype:
            return self.cservertype
        if self.intran is not None:
            return self.intran.result_type
        return self.ctype

    def max_scalar(self):
        """Size of the largest scalar inside (sets the C alignment)."""
        if self.kind in ("struct", "farray", "varray", "ool"):
            return self.elem.max_scalar()
        return 4 if self.kind == "port" else self.size

    def wire_size(self):
        """Bytes of one inline value as MIG packs it (before padding)."""
        if self.kind in ("scalar", "struct", "farray"):
            return self.size
        if self.kind == "port":
            return 4
        raise ValueError("no fixed wire size for %s" % self.name)


def builtin_types():
    """Return a dict of the types MIG knows before any declaration."""
    types = {}
    for name, (send, recv) in PORT_DISPOSITIONS.items():
        t = MigType(name, "port")
        t.send = send
        t.recv = recv
        t.ctype = "mach_port_t"
        t.size = 4
        types[name] = t
    for name, (size, ctype) in SCALAR_BUILTINS.items():
        t = MigType(name, "scalar")
        t.size = size
        t.ctype = ctype
        types[name] = t
    return types


def make_array(name, elem, lo_star, count, ool, where, error):
    """Build an array type.

    lo_star: True for `[*:N]` (variable, max N); count: N or None for
    `[]`; ool: True for `^array`.  `array[] of T` without ^ is out of
    line too, as in MIG.
    """
    if elem.kind in ("varray", "ool"):
        raise error(where, "array of variable arrays is not supported")
    if count is None or ool:
        t = MigType(name, "ool")
        t.elem = elem
        t.count = count or 0
        return t
    if lo_star:
        t = MigType(name, "varray")
        t.elem = elem
        t.count = count
        return t
    t = MigType(name, "farray")
    t.elem = elem
    t.count = count
    if elem.kind == "port":
        t.size = 4 * count
    else:
        t.size = elem.wire_size() * count
    return t


def make_struct(name, elem, count, where, error):
    """Build struct[N] of T (fixed inline data)."""
    if elem.kind not in ("scalar", "struct", "farray"):
        raise error(where, "struct of non-scalar type is not supported")
    t = MigType(name, "struct")
    t.elem = elem
    t.count = count
    t.size = elem.wire_size() * count
    return t
