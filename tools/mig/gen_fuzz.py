"""Fuzz table: a description of every request of a subsystem.

<subsystem>_fuzz_table[] has one struct mig_fuzz_routine per routine
(struct definitions and field kinds are in <mach/mig.h>): its id, name,
whether it is a simpleroutine, the request's size bounds and descriptor
count, the disposition the request port is sent with, and a list of
request fields in message order (descriptors, then NDR and inline data).
Offsets and sizes are taken with offsetof/sizeof from the request
typedefs, so they are right for whatever compiler builds the table.
Offsets are those of the largest request: a field after a variable
array moves back by the bytes that array does not use.
"""

import gen_common as gc
import mtypes

_KIND = {
    "port": "MIG_FUZZ_PORT",
    "portarray": "MIG_FUZZ_PORT_ARRAY",
    "ool": "MIG_FUZZ_OOL",
    "oolports": "MIG_FUZZ_OOL_PORTS",
    "ndr": "MIG_FUZZ_NDR",
    "scalar": "MIG_FUZZ_SCALAR",
    "count": "MIG_FUZZ_COUNT",
    "vdata": "MIG_FUZZ_INLINE_ARRAY",
}


def _disp(t):
    if t is None or t.send == mtypes.POLY:
        return "0"
    return gc.disp_name(t.send)


def _field(rq_t, f):
    i = f.info
    off = "__builtin_offsetof(%s, %s)" % (rq_t, f.name)
    member = "((%s *)0)->%s" % (rq_t, f.name)
    disp = "0"
    if f.kind == "port":
        size, count = "sizeof(mach_msg_port_descriptor_t)", "1"
        disp = _disp(i.type)
    elif f.kind == "portarray":
        size, count = "sizeof(mach_msg_port_descriptor_t)", str(f.max)
        disp = _disp(i.type.elem)
    elif f.kind == "ool":
        size = str(i.elem.wire_size())
        count = str(i.type.count)
    elif f.kind == "oolports":
        size, count = "4", str(i.type.count)
        disp = _disp(i.type.elem)
    elif f.kind == "vdata":
        size, count = "sizeof(%s)" % f.ctype, str(f.max)
    elif f.kind == "count":
        size = "sizeof(mach_msg_type_number_t)"
        count = str(i.type.count if i.cls in ("varray", "portarray")
                    else 0)
    else:
        size, count = "sizeof(%s)" % member, "1"
    return "\t{ %s, %s, (unsigned int)%s, (unsigned int)%s, %s, \"%s\" }," % (
        _KIND[f.kind], disp, off, size, count, f.name)


def source(sub, infos, defs_name, header_name):
    """Text of the fuzz table file."""
    out = [gc.HEADER_NOTE % defs_name, "#include \"%s\"" % header_name, ""]
    for ri in infos:
        rq_t = "__Request__%s_t" % ri.name
        fields = ri.request.fields
        if not fields:
            continue
        out.append("static const struct mig_fuzz_field %s_fuzz_%s[] = {"
                   % (sub.name, ri.name))
        for f in fields:
            out.append(_field(rq_t, f))
        out.append("};")
        out.append("")
    out.append("/* Every routine of the %s subsystem, in id order. */"
               % sub.name)
    out.append("const struct mig_fuzz_routine %s_fuzz_table[] = {"
               % sub.name)
    for ri in infos:
        rq_t = "__Request__%s_t" % ri.name
        req = ri.request
        if req.variable:
            minsize = "__builtin_offsetof(%s, %s)" % (rq_t,
                                                      req.tail()[0].name)
            for f in req.tail()[1:]:
                if f.kind != "vdata":
                    minsize += " + _WALIGN_(sizeof(((%s *)0)->%s))" % (
                        rq_t, f.name)
        else:
            minsize = "sizeof(%s)" % rq_t
        flags = []
        if ri.simple:
            flags.append("MIG_FUZZ_SIMPLEROUTINE")
        if req.complex:
            flags.append("MIG_FUZZ_COMPLEX")
        nf = len(req.fields)
        farr = "%s_fuzz_%s" % (sub.name, ri.name) if nf else "0"
        out.append("\t{ %d, \"%s\", %s, %s, (unsigned int)sizeof(%s), "
                   "(unsigned int)(%s), %d, %d, %s }," % (
                       ri.msgid, ri.name, " | ".join(flags) or "0",
                       _disp(ri.reqport.type), rq_t, minsize, req.ndesc,
                       nf, farr))
    if not infos:
        out.append("\t{ 0, 0, 0, 0, 0, 0, 0, 0, 0 },")
    out.append("};")
    out.append("")
    out.append("const unsigned int %s_fuzz_count = %d;" % (sub.name,
                                                          len(infos)))
    return "\n".join(out) + "\n"
