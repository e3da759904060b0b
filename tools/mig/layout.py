"""Message layouts and C prototypes for each routine.

This is where the XNU MIG wire format is decided.  A request is

  header
  [mach_msg_body_t + descriptors]     if any port or out-of-line argument
  [NDR_record_t]                      if any inline data follows
  inline data in argument order

and a reply is

  header
  [mach_msg_body_t + descriptors]     if any port or out-of-line result
  NDR_record_t, kern_return_t RetCode if the reply is not complex
  [NDR_record_t]                      complex reply with inline data
  inline data in argument order

Inline data: scalars (padded to 4 bytes), a count
(mach_msg_type_number_t) before each variable array and in place of each
out-of-line array, and variable arrays, which take only the bytes their
count needs (rounded up to 4), so every field after the first variable
array moves.  Out arrays marked CountInOut put their count in the request
too.  SameCount arrays share the count of the array before them.
"""

from lexer import MigError
import mtypes

CNT_T = "mach_msg_type_number_t"


class Field(object):
    """One member of a message struct.

    kind: ndr, retcode, scalar, count, vdata (variable inline array),
    port, portarray (N port descriptors), ool, oolports.
    """

    def __init__(self, kind, name, info=None):
        self.kind = kind
        self.name = name
        self.info = info          # ArgInfo this field carries, if any
        self.ctype = None         # scalar: C type; vdata: element C type
        self.pad = 0              # bytes of explicit padding after it
        self.max = 0              # vdata/portarray: element count in struct
        self.floating = False     # offset depends on earlier counts

    def is_desc(self):
        return self.kind in ("port", "portarray", "ool", "oolports")

    def decl(self):
        """C member declaration(s) for the maximum-size struct."""
        k = self.kind
        if k == "ndr":
            out = ["NDR_record_t NDR;"]
        elif k == "retcode":
            out = ["kern_return_t RetCode;"]
        elif k == "port":
            out = ["mach_msg_port_descriptor_t %s;" % self.name]
        elif k == "portarray":
            out = ["mach_msg_port_descriptor_t %s[%d];" % (self.name,
                                                           self.max)]
        elif k == "ool":
            out = ["mach_msg_ool_descriptor_t %s;" % self.name]
        elif k == "oolports":
            out = ["mach_msg_ool_ports_descriptor_t %s;" % self.name]
        elif k == "count":
            out = ["%s %s;" % (CNT_T, self.name)]
        elif k == "vdata":
            out = ["%s %s[%d];" % (self.ctype, self.name, self.max)]
        else:
            out = ["%s %s;" % (self.ctype, self.name)]
        if self.pad:
            out.append("char %s_pad[%d];" % (self.name, self.pad))
        return out


class ArgInfo(object):
    """What one argument becomes on each side.

    cls: header (request port), reply (reply-port argument), seqno,
    scalar, port, portarray, varray, ool, oolports.
    """

    def __init__(self, arg, cls):
        self.arg = arg
        self.name = arg.name
        self.type = arg.type
        self.cls = cls
        self.dir = arg.dir
        self.variable = cls in ("varray", "ool", "oolports") or \
            (cls == "portarray" and arg.type.kind == "varray")
        self.samecount = None     # ArgInfo whose count this one shares
        self.countinout = "countinout" in arg.flags
        self.elem = arg.type.elem

    @property
    def sends(self):
        """True if the argument travels in the request."""
        return self.dir in ("in", "inout")

    @property
    def returns(self):
        """True if the argument travels in the reply."""
        return self.dir in ("out", "inout")

    def cnt_name(self):
        """Name of this argument's own count (param, field, local)."""
        src = self
        while src.samecount is not None:
            src = src.samecount
        return src.name + "Cnt"

    def elem_ctype(self):
        return self.elem.ctype if self.elem is not None else None


class Message(object):
    """Fields of one message, descriptors first."""

    def __init__(self, fields):
        self.fields = fields
        self.descs = [f for f in fields if f.is_desc()]
        self.data = [f for f in fields if not f.is_desc()]
        self.complex = bool(self.descs)
        self.ndesc = 0
        for f in self.descs:
            self.ndesc += f.max if f.kind == "portarray" else 1
        self.first_var = None
        for i, f in enumerate(self.data):
            if f.kind == "vdata":
                self.first_var = i
                break
        if self.first_var is not None:
            for f in self.data[self.first_var + 1:]:
                f.floating = True

    @property
    def variable(self):
        return self.first_var is not None

    def fixed_data(self):
        """Data fields at fixed offsets (before the first variable one)."""
        if self.first_var is None:
            return list(self.data)
        return self.data[:self.first_var]

    def tail(self):
        """The first variable array and everything after it."""
        if self.first_var is None:
            return []
        return self.data[self.first_var:]


class RoutineInfo(object):
    """A routine with its arguments classified and messages laid out."""

    def __init__(self, sub, r):
        self.sub = sub
        self.r = r
        self.name = r.name
        self.simple = r.simple
        self.msgid = r.msgid
        self.args = []
        self.reqport = None
        self.replyport = None     # ArgInfo of a replyport argument
        self.classify()
        self.request = self.layout_request()
        self.reply = None if self.simple else self.layout_reply()

    def err(self, where, msg):
        return MigError(where, "routine %s: %s" % (self.name, msg))

    # -- classification -------------------------------------------------
    def classify(self):
        args = self.r.args
        if not args:
            raise self.err(self.r.where, "needs a request port argument")
        explicit = [a for a in args if a.dir == "requestport"]
        if len(explicit) > 1:
            raise self.err(self.r.where, "more than one requestport")
        reqarg = explicit[0] if explicit else args[0]
        prev_array = {"in": None, "out": None}
        for a in args:
            t = a.type
            if a is reqarg:
                if t.kind != "port" or a.dir not in ("in", "requestport"):
                    raise self.err(a.where, "request port '%s' must be an in "
                                   "port" % a.name)
                if t.send == mtypes.POLY:
                    raise self.err(a.where, "polymorphic request port is "
                                   "not supported")
                info = ArgInfo(a, "header")
                self.reqport = info
            elif a.dir in ("replyport", "ureplyport", "sreplyport"):
                if t.kind != "port":
                    raise self.err(a.where, "reply port must be a port")
                info = ArgInfo(a, "reply")
                if a.dir in ("replyport", "ureplyport"):
                    self.replyport = info
            elif a.dir == "msgseqno":
                info = ArgInfo(a, "seqno")
            elif a.dir == "requestport":
                raise self.err(a.where, "misplaced requestport")
            else:
                info = ArgInfo(a, self.arg_class(a))
                if self.simple and a.dir != "in":
                    raise self.err(a.where, "simpleroutine argument '%s' "
                                   "cannot be %s" % (a.name, a.dir))
                if info.variable and a.dir == "inout":
                    raise self.err(a.where, "inout variable arrays are not "
                                   "supported")
                if info.cls in ("portarray", "oolports") and \
                        t.elem.send == mtypes.POLY:
                    raise self.err(a.where, "arrays of polymorphic ports are "
                                   "not supported")
                side = "in" if a.dir == "in" else "out"
                if "samecount" in a.flags:
                    if not info.variable:
                        raise self.err(a.where, "SameCount on a fixed-size "
                                       "argument")
                    if prev_array[side] is None:
                        raise self.err(a.where, "SameCount with no earlier "
                                       "array")
                    info.samecount = prev_array[side]
                if info.countinout and (a.dir != "out" or
                                        info.cls not in ("varray",
                                                         "portarray")
                                        or not info.variable):
                    raise self.err(a.where, "CountInOut needs an out "
                                   "variable inline array")
                if info.variable:
                    prev_array[side] = info
            self.args.append(info)

    def arg_class(self, a):
        t = a.type
        if t.kind == "port":
            return "port"
        if t.kind in ("scalar", "struct"):
            return "scalar"
        if t.kind == "farray":
            return "portarray" if t.elem_is_port() else "scalar"
        if t.kind == "varray":
            return "portarray" if t.elem_is_port() else "varray"
        if t.kind == "ool":
            return "oolports" if t.elem_is_port() else "ool"
        raise self.err(a.where, "cannot pass type %s" % t.name)

    # -- layouts --------------------------------------------------------
    def _fields(self, infos):
        descs = []
        data = []
        for i in infos:
            if i.cls == "port":
                descs.append(Field("port", i.name, i))
            elif i.cls == "portarray":
                f = Field("portarray", i.name, i)
                f.max = i.type.count
                descs.append(f)
            elif i.cls == "ool":
                descs.append(Field("ool", i.name, i))
            elif i.cls == "oolports":
                descs.append(Field("oolports", i.name, i))
            if i.cls == "scalar":
                f = Field("scalar", i.name, i)
                f.ctype = i.type.ctype
                rem = i.type.wire_size() % 4
                f.pad = (4 - rem) if rem else 0
                data.append(f)
            elif i.variable:
                if i.samecount is None:
                    data.append(Field("count", i.cnt_name(), i))
                if i.cls == "varray":
                    f = Field("vdata", i.name, i)
                    f.ctype = i.elem_ctype()
                    f.max = i.type.count
                    rem = (i.elem.wire_size() * f.max) % 4
                    f.pad = (4 - rem) if rem else 0
                    data.append(f)
        return descs, data

    def layout_request(self):
        infos = []
        for i in self.args:
            if i.cls in ("header", "reply", "seqno"):
                continue
            if i.sends:
                infos.append(i)
            elif i.countinout:
                infos.append(("cio", i))
        descs = []
        data = []
        for item in infos:
            if isinstance(item, tuple):
                data.append(Field("count", item[1].cnt_name(), item[1]))
                continue
            d, x = self._fields([item])
            descs += d
            data += x
        fields = descs[:]
        if data:
            fields.append(Field("ndr", "NDR"))
        fields += data
        return Message(fields)

    def layout_reply(self):
        infos = [i for i in self.args
                 if i.cls not in ("header", "reply", "seqno") and i.returns]
        descs, data = self._fields(infos)
        fields = descs[:]
        if not descs:
            fields.append(Field("ndr", "NDR"))
            fields.append(Field("retcode", "RetCode"))
        elif data:
            fields.append(Field("ndr", "NDR"))
        fields += data
        return Message(fields)

    # -- prototypes -----------------------------------------------------
    def params(self, side):
        """[(ctype, name)] of the user stub (side 'user') or of the
        server implementation (side 'server')."""
        out = []
        user = side == "user"
        for i in self.args:
            t = i.type
            ct = t.user_ctype() if user else t.server_ctype()
            if i.cls == "header":
                out.append((ct, i.name))
                continue
            if i.cls == "reply":
                if (user and i.dir == "sreplyport") or \
                        (not user and i.dir == "ureplyport"):
                    continue
                out.append((ct, i.name))
                if (user and t.send == mtypes.POLY) or \
                        (not user and t.recv == mtypes.POLY):
                    out.append(("mach_msg_type_name_t", i.name + "Poly"))
                continue
            if i.cls == "seqno":
                if not user:
                    out.append(("mach_port_seqno_t", i.name))
                continue
            const = "const " if ("const" in i.arg.flags and
                                 i.dir == "in") else ""
            if i.cls == "scalar":
                if t.kind == "farray" or i.dir == "in":
                    out.append((const + ct, i.name))
                else:
                    out.append((ct + " *", i.name))
            elif i.cls == "port":
                if i.dir == "in":
                    out.append((ct, i.name))
                    poly = t.send if user else t.recv
                    if poly == mtypes.POLY:
                        out.append(("mach_msg_type_name_t", i.name + "Poly"))
                else:
                    out.append((ct + " *", i.name))
                    poly = t.recv if user else t.send
                    if poly == mtypes.POLY:
                        out.append(("mach_msg_type_name_t *",
                                    i.name + "Poly"))
            else:
                by_ref = i.dir != "in" and i.cls in ("ool", "oolports")
                out.append((const + ct + (" *" if by_ref else ""), i.name))
                if i.variable and i.samecount is None:
                    if i.dir == "in":
                        out.append((CNT_T, i.name + "Cnt"))
                    else:
                        out.append((CNT_T + " *", i.name + "Cnt"))
        return out


def analyse(sub):
    """Return RoutineInfo objects for every routine of the subsystem."""
    return [RoutineInfo(sub, r) for r in sub.routines]


def proto(ret, name, params):
    """Format a C prototype (without the trailing ';')."""
    if not params:
        return "%s %s(void)" % (ret, name)
    lines = ["%s %s(" % (ret, name)]
    for k, (ct, pn) in enumerate(params):
        sep = "," if k + 1 < len(params) else ")"
        if ct.endswith("*"):
            lines.append("\t%s%s%s" % (ct, pn, sep))
        else:
            lines.append("\t%s %s%s" % (ct, pn, sep))
    return "\n".join(lines)


def struct_lines(typename, msg, extra=None):
    """Lines of `typedef struct { ... } typename;` for a message."""
    out = ["typedef struct {", "\tmach_msg_header_t Head;"]
    if msg.complex:
        out.append("\tmach_msg_body_t msgh_body;")
    for f in msg.fields:
        for d in f.decl():
            out.append("\t" + d)
    for e in extra or []:
        out.append("\t" + e)
    out.append("} %s;" % typename)
    return out
