"""Server side: <name>Server.h and <name>Server.c.

For each routine a stub _X<routine>(InHeadP, OutHeadP) checks the request
(size and complex bit: MIG_BAD_ARGUMENTS; descriptor types and
dispositions: MIG_TYPE_ERROR), translates ports with the types' intran
functions, calls the implementation <serverprefix><routine>() with the
same arguments as the user stub (results by pointer), runs destructors,
applies outtran to returned ports and builds the reply.  Any failure
leaves a mig_reply_error_t carrying the code.

<subsystem>_server() is the demux: it fills the reply header as XNU MIG
does and answers an unknown id with MIG_BAD_ID (returning FALSE).
<subsystem>_server_routine() maps an id to its stub and the const
<serverprefix><subsystem>_subsystem descriptor lists every stub with its
maximum reply size, for the kernel's hashed kobject dispatch table.

The same file compiles in the kernel (-DKERNEL: ports are ipc_port
pointers; for a KernelServer subsystem the request port is the header's
remote port and replies carry rights in their PORT_* form) and in user
programs (ports are names).
"""

import gen_common as gc
import layout
import mtypes


def names(sub):
    """(subsystem struct/variable name, demux name) of the subsystem."""
    ss = "%s%s_subsystem" % (sub.server_prefix, sub.name)
    demux = sub.server_demux or "%s_server" % sub.name
    return ss, demux


def header(sub, infos, defs_name, guard):
    """Text of the server header."""
    ss, demux = names(sub)
    out = [gc.HEADER_NOTE % defs_name, "#ifndef %s" % guard,
           "#define %s" % guard, ""]
    out += gc.std_includes()
    out += gc.imports(sub, "s")
    out.append("")
    out += gc.msg_typedefs(sub, infos)
    out.append("")
    out.append("/* Request descriptions (--fuzz-source), see <mach/mig.h>. */")
    out.append("extern const struct mig_fuzz_routine %s_fuzz_table[];"
               % sub.name)
    out.append("extern const unsigned int %s_fuzz_count;" % sub.name)
    out.append("")
    out.append("/* Every request and every reply of the subsystem. */")
    out.append("union __RequestUnion__%s {" % ss)
    for ri in infos:
        out.append("\t__Request__%s_t Request_%s;" % (ri.name, ri.name))
    out.append("\tmach_msg_header_t Head;")
    out.append("};")
    out.append("union __ReplyUnion__%s {" % ss)
    for ri in infos:
        if ri.reply is not None:
            out.append("\t__Reply__%s_t Reply_%s;" % (ri.name, ri.name))
    out.append("\tmig_reply_error_t Error;")
    out.append("};")
    out.append("")
    out.append("/* Implementations the server provides. */")
    for ri in infos:
        out.append("")
        out.append("/* %s %s: id %d */" % (
            "simpleroutine" if ri.simple else "routine", ri.name, ri.msgid))
        out.append(layout.proto("extern kern_return_t",
                                sub.server_prefix + ri.name,
                                ri.params("server")) + ";")
    out.append("")
    out.append("/* Demux: serve one request; FALSE if the id is unknown. */")
    out.append("extern boolean_t %s(mach_msg_header_t *InHeadP,"
               % demux)
    out.append("    mach_msg_header_t *OutHeadP);")
    out.append("")
    out.append("/* Stub serving an id, or 0 if the id is not ours. */")
    out.append("extern mig_routine_t %s_routine(mach_msg_header_t *InHeadP);"
               % demux)
    out.append("")
    out.append("/* Ids %d..%d; routine[id - start]; maxsize: largest reply."
               " */" % (sub.base, sub.base + sub.count - 1))
    out.append("extern const struct %s {" % ss)
    out.append("\tmig_server_routine_t server;")
    out.append("\tmach_msg_id_t start;")
    out.append("\tmach_msg_id_t end;")
    out.append("\tunsigned int maxsize;")
    out.append("\tvm_address_t reserved;")
    out.append("\tstruct routine_descriptor routine[%d];" % max(sub.count, 1))
    out.append("} %s;" % ss)
    out.append("")
    out.append("#endif /* %s */" % guard)
    return "\n".join(out) + "\n"


def source(sub, infos, defs_name, header_name):
    """Text of the server stubs file."""
    ss, demux = names(sub)
    out = [gc.HEADER_NOTE % defs_name, "#include \"%s\"" % header_name, "",
           "/*",
           " * Where the request and reply ports are.  A message the kernel",
           " * copied out to a user server has them swapped (the reply port",
           " * is msgh_remote_port); a kernel server sees the message as it",
           " * was sent.",
           " */"]
    if sub.kernel_server:
        out += ["#ifdef KERNEL",
                "#define MIG_REQUEST_PORT(h)\t((h)->msgh_remote_port)",
                "#define MIG_REPLY_PORT(h)\t((h)->msgh_local_port)",
                "#define MIG_REPLY_BITS(b)\tMACH_MSGH_BITS_LOCAL(b)",
                "#else"]
    out += ["#define MIG_REQUEST_PORT(h)\t((h)->msgh_local_port)",
            "#define MIG_REPLY_PORT(h)\t((h)->msgh_remote_port)",
            "#define MIG_REPLY_BITS(b)\tMACH_MSGH_BITS_REMOTE(b)"]
    if sub.kernel_server:
        out.append("#endif")
    out.append("")
    for ri in infos:
        out += _stub(sub, ri)
    out += _dispatch(sub, infos, ss, demux)
    return "\n".join(out) + "\n"


class _Writer(object):
    def __init__(self):
        self.lines = []

    def __call__(self, s):
        self.lines.append(s)


def _in_place(ri, i):
    """True if out varray i can be written straight into the reply.

    That is the first variable array of the reply (its offset is fixed),
    with elements whose alignment the 4-byte packed reply respects.
    """
    rep = ri.reply
    return rep.variable and rep.tail()[0].info is i and \
        i.elem.max_scalar() <= 4


def _reply_disp(sub, t, name):
    """C text for the disposition a server reply gives port type t."""
    if t.send == mtypes.POLY:
        return None, "%sPoly" % name
    if sub.kernel_server and t.send != t.recv and t.recv != mtypes.POLY:
        return (gc.disp_name(t.recv), gc.disp_name(t.send)), None
    return None, gc.disp_name(t.send)


def _emit_disp(w, lhs, sub, t, name, indent="\t"):
    pair, text = _reply_disp(sub, t, name)
    if pair is None:
        w("%s%s = %s;" % (indent, lhs, text))
    else:
        w("#ifdef KERNEL")
        w("%s%s = %s;" % (indent, lhs, pair[0]))
        w("#else")
        w("%s%s = %s;" % (indent, lhs, pair[1]))
        w("#endif")


def _stub(sub, ri):
    w = _Writer()
    req = ri.request
    rep = ri.reply
    rq_t = "__Request__%s_t" % ri.name
    rp_t = "__Reply__%s_t" % ri.name
    w("/* %s %s: id %d */" % ("SimpleRoutine" if ri.simple else "Routine",
                              ri.name, ri.msgid))
    w("static void")
    w("_X%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)"
      % ri.name)
    w("{")
    w("\t%s *In0P = (%s *)(void *)InHeadP;" % (rq_t, rq_t))
    if rep is not None:
        w("\t%s *OutP = (%s *)(void *)OutHeadP;" % (rp_t, rp_t))
    w("\tkern_return_t RetCode;")
    w("\tmach_msg_size_t mig_size;")
    if req.variable:
        w("\tmach_msg_size_t mig_off;")
    uses_i = any(f.kind == "portarray" for f in req.descs) or \
        (rep is not None and any(f.kind == "portarray" for f in rep.descs))
    if uses_i:
        w("\tunsigned int mig_i;")
    for line in gc.data_locals(req, "mig_in_"):
        w(line)
    _locals(ri, w)
    w("")

    def fail(code):
        return "{ RetCode = %s; goto reply_error; }" % code

    # Size and complex bit.
    w("\tmig_size = In0P->Head.msgh_size;")
    w("\tif (!(%s))" % gc.size_range(req, rq_t))
    w("\t\t%s" % fail("MIG_BAD_ARGUMENTS"))
    if req.complex:
        w("\tif (!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||")
        w("\t    In0P->msgh_body.msgh_descriptor_count != %d)" % req.ndesc)
    else:
        w("\tif (In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)")
    w("\t\t%s" % fail("MIG_BAD_ARGUMENTS"))
    for f in req.descs:
        _desc_check(w, f, fail("MIG_TYPE_ERROR"))

    def count_of(f, acc):
        return acc[f.info.cnt_name()]
    acc = gc.check_data(req, "In0P", rq_t, "mig_in_", count_of, w,
                        lambda _: fail("MIG_BAD_ARGUMENTS"))
    for f in req.descs:
        i = f.info
        if f.kind == "ool":
            es = i.elem.wire_size()
            w("\tif (In0P->%s.size / %d != %s ||" % (f.name, es,
                                                   acc[i.cnt_name()]))
            w("\t    In0P->%s.size %% %d != 0)" % (f.name, es))
            w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        elif f.kind == "oolports":
            w("\tif (In0P->%s.count != %s)" % (f.name, acc[i.cnt_name()]))
            w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        elif f.kind == "portarray" and i.variable:
            w("\tif (%s > %d)" % (acc[i.cnt_name()], f.max))
            w("\t\t%s" % fail("MIG_BAD_ARGUMENTS"))
    w("")

    # Inputs: translations and copies.
    _inputs(sub, ri, w, acc)
    args = _call_args(ri, acc)
    w("\tRetCode = %s%s(%s);" % (sub.server_prefix, ri.name,
                                 ", ".join(args)))
    for i in ri.args:
        d = i.type.destructor
        if d is not None and i.dir in ("in", "requestport") and \
                i.cls in ("header", "port"):
            w("\t%s(%s);" % (d.func, i.name))
    if rep is None:
        w("\tgoto reply_error;")
    else:
        w("\tif (RetCode != KERN_SUCCESS)")
        w("\t\tgoto reply_error;")
        # An implementation that overfills an inline array would make
        # the reply overrun its buffer: refuse to build it.
        for i in ri.args:
            if i.returns and i.variable and i.samecount is None and \
                    i.cls in ("varray", "portarray"):
                w("\tif (%sCnt > %d)" % (i.name, i.type.count))
                w("\t\t{ RetCode = MIG_ARRAY_TOO_LARGE; goto reply_error; }")
        w("")
        _build_reply(sub, ri, w, acc)
        w("\treturn;")
    w("")
    w("reply_error:")
    w("\t((mig_reply_error_t *)(void *)OutHeadP)->NDR = NDR_record;")
    w("\t((mig_reply_error_t *)(void *)OutHeadP)->RetCode = RetCode;")
    w("}")
    w("")
    return w.lines


def _locals(ri, w):
    """Declare the implementation's arguments that need a variable."""
    for i in ri.args:
        t = i.type
        st = t.server_ctype()
        n = i.name
        if i.cls in ("header", "port") or (i.cls == "reply" and
                                           i.dir != "ureplyport"):
            w("\t%s %s;" % (st, n))
            poly = t.recv if i.dir != "out" else t.send
            if poly == mtypes.POLY:
                w("\tmach_msg_type_name_t %sPoly;" % n)
        elif i.cls == "seqno":
            w("\tmach_port_seqno_t %s;" % n)
        elif i.cls == "scalar" and i.returns:
            w("\t%s %s;" % (st, n))
        elif i.cls == "varray" and i.returns:
            if not _in_place(ri, i):
                w("\t%s %s[%d];" % (i.elem_ctype(), n, t.count))
            if i.samecount is None:
                w("\tmach_msg_type_number_t %sCnt;" % n)
        elif i.cls in ("ool", "oolports") and i.returns:
            w("\t%s %s;" % (st, n))
            if i.samecount is None:
                w("\tmach_msg_type_number_t %sCnt;" % n)
        elif i.cls == "portarray":
            w("\t%s %s[%d];" % (i.elem.server_ctype(), n, t.count))
            if i.returns and i.variable and i.samecount is None:
                w("\tmach_msg_type_number_t %sCnt;" % n)


def _desc_check(w, f, fail):
    i = f.info
    t = i.type
    d = "In0P->%s" % f.name
    if f.kind == "port":
        cond = "%s.type != MACH_MSG_PORT_DESCRIPTOR" % d
        if t.recv != mtypes.POLY:
            cond += " ||\n\t    %s.disposition != %s" % (
                d, gc.disp_name(t.recv))
        w("\tif (%s)" % cond)
        w("\t\t%s" % fail)
    elif f.kind == "portarray":
        w("\tfor (mig_i = 0; mig_i < %d; mig_i++) {" % f.max)
        w("\t\tif (%s[mig_i].type != MACH_MSG_PORT_DESCRIPTOR ||" % d)
        w("\t\t    %s[mig_i].disposition != %s)"
          % (d, gc.disp_name(t.elem.recv)))
        w("\t\t\t%s" % fail)
        w("\t}")
    elif f.kind == "ool":
        w("\tif (%s.type != MACH_MSG_OOL_DESCRIPTOR)" % d)
        w("\t\t%s" % fail)
    else:
        w("\tif (%s.type != MACH_MSG_OOL_PORTS_DESCRIPTOR ||" % d)
        w("\t    %s.disposition != %s)" % (d, gc.disp_name(t.elem.recv)))
        w("\t\t%s" % fail)


def _port_in(t, src):
    if t.intran is not None:
        return "%s(%s)" % (t.intran.func, src)
    return src


def _inputs(sub, ri, w, acc):
    for i in ri.args:
        t = i.type
        n = i.name
        if i.cls == "header":
            w("\t%s = %s;" % (n, _port_in(t, "MIG_REQUEST_PORT(InHeadP)")))
        elif i.cls == "reply" and i.dir != "ureplyport":
            w("\t%s = %s;" % (n, _port_in(t, "MIG_REPLY_PORT(InHeadP)")))
            if t.recv == mtypes.POLY:
                w("\t%sPoly = MIG_REPLY_BITS(InHeadP->msgh_bits);" % n)
        elif i.cls == "seqno":
            w("\t%s = ((mach_msg_seqno_trailer_t *)(void *)((char *)InHeadP"
              % n)
            w("\t    + round_msg(InHeadP->msgh_size)))->msgh_seqno;")
        elif i.cls == "port" and i.dir == "in":
            w("\t%s = %s;" % (n, _port_in(t, "In0P->%s.name" % n)))
            if t.recv == mtypes.POLY:
                w("\t%sPoly = In0P->%s.disposition;" % (n, n))
        elif i.cls == "scalar" and i.dir == "inout":
            if t.kind in ("farray", "struct"):
                w("\t__builtin_memcpy(&%s, &%s, sizeof(%s));"
                  % (n, acc[n], n))
            else:
                w("\t%s = %s;" % (n, acc[n]))
        elif i.cls == "portarray" and i.dir == "in":
            cnt = acc[i.cnt_name()] if i.variable else str(t.count)
            w("\tfor (mig_i = 0; mig_i < %s; mig_i++)" % cnt)
            w("\t\t%s[mig_i] = In0P->%s[mig_i].name;" % (n, n))
        elif i.returns and i.variable and i.samecount is None:
            mx = t.count if i.cls in ("varray", "portarray") else 0
            if i.countinout:
                cio = acc[i.cnt_name()]
                w("\t%sCnt = %s < %d ? %s : %d;" % (n, cio, mx, cio, mx))
            else:
                w("\t%sCnt = %d;" % (n, mx))
        if i.cls in ("ool", "oolports") and i.dir == "out":
            w("\t%s = 0;" % n)


def _call_args(ri, acc):
    out = []
    for i in ri.args:
        t = i.type
        n = i.name
        if i.cls == "header":
            out.append(n)
        elif i.cls == "reply":
            if i.dir == "ureplyport":
                continue
            out.append(n)
            if t.recv == mtypes.POLY:
                out.append(n + "Poly")
        elif i.cls == "seqno":
            out.append(n)
        elif i.cls == "scalar":
            if i.dir == "in":
                out.append(acc[n])
            elif t.kind == "farray":
                out.append(n)
            else:
                out.append("&" + n)
        elif i.cls == "port":
            if i.dir == "in":
                out.append(n)
                if t.recv == mtypes.POLY:
                    out.append(n + "Poly")
            else:
                out.append("&" + n)
                if t.send == mtypes.POLY:
                    out.append("&%sPoly" % n)
        else:
            own_cnt = i.variable and i.samecount is None
            if i.dir == "in":
                if i.cls == "varray":
                    out.append(acc[n])
                elif i.cls in ("ool", "oolports"):
                    out.append("MIG_DESC_TO(%s, In0P->%s.address)"
                               % (t.server_ctype(), n))
                else:
                    out.append(n)
                if own_cnt:
                    out.append(acc[i.cnt_name()])
            else:
                if i.cls == "varray" and _in_place(ri, i):
                    out.append("OutP->%s" % n)
                elif i.cls in ("ool", "oolports"):
                    out.append("&" + n)
                else:
                    out.append(n)
                if own_cnt:
                    out.append("&%sCnt" % n)
    return out


def _port_out(t, name):
    if t.outtran is not None:
        return "%s(%s)" % (t.outtran.func, name)
    return name


def _build_reply(sub, ri, w, acc):
    rep = ri.reply
    rp_t = "__Reply__%s_t" % ri.name
    for f in rep.descs:
        i = f.info
        t = i.type
        n = i.name
        d = "OutP->%s" % n
        if f.kind == "port":
            w("\t%s.name = %s;" % (d, _port_out(t, n)))
            w("\t%s.pad1 = 0;" % d)
            w("\t%s.pad2 = 0;" % d)
            _emit_disp(w, "%s.disposition" % d, sub, t, n)
            w("\t%s.type = MACH_MSG_PORT_DESCRIPTOR;" % d)
        elif f.kind == "portarray":
            cnt = i.cnt_name() if i.variable else str(f.max)
            w("\tfor (mig_i = 0; mig_i < %d; mig_i++) {" % f.max)
            w("\t\t%s[mig_i].name = mig_i < %s ? %s[mig_i] : MACH_PORT_NULL;"
              % (d, cnt, n))
            w("\t\t%s[mig_i].pad1 = 0;" % d)
            w("\t\t%s[mig_i].pad2 = 0;" % d)
            _emit_disp(w, "%s[mig_i].disposition" % d, sub, t.elem, n,
                       "\t\t")
            w("\t\t%s[mig_i].type = MACH_MSG_PORT_DESCRIPTOR;" % d)
            w("\t}")
        elif f.kind == "ool":
            w("\t%s.address = MIG_ADDR_TO_DESC(%s);" % (d, n))
            w("\t%s.size = (mach_msg_size_t)(%s * %d);"
              % (d, i.cnt_name(), i.elem.wire_size()))
            w("\t%s.deallocate = %s;" % (d, "TRUE" if "dealloc" in
                                          i.arg.flags else "FALSE"))
            w("\t%s.copy = %s;" % (d, "MACH_MSG_PHYSICAL_COPY"
                                   if "physicalcopy" in i.arg.flags
                                   else "MACH_MSG_VIRTUAL_COPY"))
            w("\t%s.pad1 = 0;" % d)
            w("\t%s.type = MACH_MSG_OOL_DESCRIPTOR;" % d)
        else:
            w("\t%s.address = MIG_ADDR_TO_DESC(%s);" % (d, n))
            w("\t%s.count = %s;" % (d, i.cnt_name()))
            w("\t%s.deallocate = %s;" % (d, "TRUE" if "dealloc" in
                                          i.arg.flags else "FALSE"))
            w("\t%s.copy = MACH_MSG_PHYSICAL_COPY;" % d)
            _emit_disp(w, "%s.disposition" % d, sub, t.elem, n)
            w("\t%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;" % d)
    if rep.complex:
        w("\tOutP->msgh_body.msgh_descriptor_count = %d;" % rep.ndesc)

    def value(f):
        i = f.info
        if f.kind == "count":
            return i.cnt_name()
        if f.kind == "vdata":
            src = None if _in_place(ri, i) else i.name
            return (src, i.cnt_name())
        if i.type.kind == "farray":
            return ("copy", i.name)
        if i.type.kind == "struct":
            return ("copy", "&" + i.name)
        return i.name
    if gc.fill_data(rep, "OutP", rp_t, value, w, "mig_size"):
        w("\tOutP->Head.msgh_size = mig_size;")
    else:
        w("\tOutP->Head.msgh_size = (mach_msg_size_t)sizeof(%s);" % rp_t)
    if rep.complex:
        w("\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;")


def _dispatch(sub, infos, ss, demux):
    by_num = {ri.r.number: ri for ri in infos}
    out = []
    out.append("/*")
    out.append(" * %s: serve one request of the %s subsystem." % (demux,
                                                                 sub.name))
    out.append(" * Fills the reply header (reply port, id + 100, minimal size)")
    out.append(" * and calls the routine's stub; an unknown id leaves a")
    out.append(" * MIG_BAD_ID error reply and returns FALSE.")
    out.append(" */")
    out.append("boolean_t")
    out.append("%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)"
               % demux)
    out.append("{")
    out.append("\tmig_routine_t routine;")
    out.append("")
    out.append("\tOutHeadP->msgh_bits = MACH_MSGH_BITS(")
    out.append("\t    MIG_REPLY_BITS(InHeadP->msgh_bits), 0);")
    out.append("\tOutHeadP->msgh_remote_port = MIG_REPLY_PORT(InHeadP);")
    out.append("\tOutHeadP->msgh_size = (mach_msg_size_t)"
               "sizeof(mig_reply_error_t);")
    out.append("\tOutHeadP->msgh_local_port = MACH_PORT_NULL;")
    out.append("\tOutHeadP->msgh_voucher_port = 0;")
    out.append("\tOutHeadP->msgh_id = (mach_msg_id_t)"
               "((unsigned int)InHeadP->msgh_id + 100u);")
    out.append("")
    out.append("\troutine = %s_routine(InHeadP);" % demux)
    out.append("\tif (routine == 0) {")
    out.append("\t\t((mig_reply_error_t *)(void *)OutHeadP)->NDR = "
               "NDR_record;")
    out.append("\t\t((mig_reply_error_t *)(void *)OutHeadP)->RetCode = "
               "MIG_BAD_ID;")
    out.append("\t\treturn FALSE;")
    out.append("\t}")
    out.append("\t(*routine)(InHeadP, OutHeadP);")
    out.append("\treturn TRUE;")
    out.append("}")
    out.append("")
    out.append("/* %s_routine: the stub for InHeadP's id, or 0. */" % demux)
    out.append("mig_routine_t")
    out.append("%s_routine(mach_msg_header_t *InHeadP)" % demux)
    out.append("{")
    out.append("\tunsigned int idx = (unsigned int)InHeadP->msgh_id - %du;"
               % sub.base)
    out.append("")
    out.append("\tif (idx >= %du)" % sub.count)
    out.append("\t\treturn 0;")
    out.append("\treturn %s.routine[idx].stub_routine;" % ss)
    out.append("}")
    out.append("")
    out.append("const struct %s %s = {" % (ss, ss))
    out.append("\t%s_routine," % demux)
    out.append("\t%d," % sub.base)
    out.append("\t%d," % (sub.base + sub.count))
    out.append("\t(unsigned int)sizeof(union __ReplyUnion__%s)," % ss)
    out.append("\t(vm_address_t)0,")
    out.append("\t{")
    for k in range(max(sub.count, 1)):
        ri = by_num.get(k)
        if ri is None:
            out.append("\t\t{ 0, 0, 0, 0, 0, 0 },\t/* %d: skip */"
                       % (sub.base + k))
            continue
        size = "sizeof(__Reply__%s_t)" % ri.name if ri.reply is not None \
            else "sizeof(mig_reply_error_t)"
        nargs = len(ri.params("server"))
        out.append("\t\t{ 0, _X%s, %d, %d, 0, (unsigned int)%s },"
                   "\t/* %d */" % (ri.name, nargs, ri.request.ndesc, size,
                                   ri.msgid))
    out.append("\t}")
    out.append("};")
    return out
