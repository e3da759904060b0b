"""User side: the client header and one stub per routine (<name>User.c).

A stub builds the request on its stack, sends it and receives the reply
with one mach_msg() call on the thread's MIG reply port, checks the reply
as XNU MIG does (id, complex bit, size, descriptor types and
dispositions) and copies the results out.  A reply that fails a check is
destroyed with mach_msg_destroy() and the stub returns MIG_REPLY_MISMATCH
or MIG_TYPE_ERROR; an error reply returns its RetCode.  After a failed
mach_msg() the reply port is given back with mig_put_reply_port() when
the send never happened and destroyed with mig_dealloc_reply_port()
otherwise, as XNU's stubs do.  User stubs are for user space only.
"""

import gen_common as gc
import layout
import mtypes


def header(sub, infos, defs_name, guard):
    """Text of the user header."""
    out = [gc.HEADER_NOTE % defs_name, "#ifndef %s" % guard,
           "#define %s" % guard, ""]
    out += gc.std_includes()
    out += gc.imports(sub, "u")
    out.append("")
    out.append("#define %s_MSG_BASE %d\t/* first routine id */"
               % (sub.name, sub.base))
    out.append("#define %s_MSG_COUNT %d\t/* ids, skips included */"
               % (sub.name, sub.count))
    out.append("")
    out.append("/* { name, id } of each routine, for tracing and tests. */")
    out.append("#define subsystem_to_name_map_%s \\" % sub.name)
    names = ["    { \"%s\", %d }" % (ri.name, ri.msgid) for ri in infos]
    out.append(", \\\n".join(names) if names else "    { 0, 0 }")
    out.append("")
    out += gc.msg_typedefs(sub, infos)
    out.append("")
    out.append("/* Request descriptions (--fuzz-source), see <mach/mig.h>. */")
    out.append("extern const struct mig_fuzz_routine %s_fuzz_table[];"
               % sub.name)
    out.append("extern const unsigned int %s_fuzz_count;" % sub.name)
    out.append("")
    out.append("#ifndef KERNEL")
    for ri in infos:
        out.append("")
        out.append("/* %s %s: id %d */" % (
            "simpleroutine" if ri.simple else "routine", ri.name, ri.msgid))
        out.append(layout.proto("extern kern_return_t",
                                sub.user_prefix + ri.name,
                                ri.params("user")) + ";")
    out.append("")
    out.append("#endif /* !KERNEL */")
    out.append("")
    out.append("#endif /* %s */" % guard)
    return "\n".join(out) + "\n"


def source(sub, infos, defs_name, header_name):
    """Text of the user stubs file."""
    out = [gc.HEADER_NOTE % defs_name,
           "#include \"%s\"" % header_name, "",
           "#ifdef KERNEL",
           "#error \"MIG user stubs are for user space\"",
           "#endif", "",
           "/*",
           " * mig_msg_failed: release the reply port after mach_msg()",
           " * failed.  If the request was never sent the port is still",
           " * clean and goes back to the cache; otherwise a reply may",
           " * yet arrive on it, so it is destroyed.",
           " */",
           "static void",
           "mig_msg_failed(mach_port_t reply_port, mach_msg_return_t mr)",
           "{",
           "\tswitch (mr) {",
           "\tcase MACH_SEND_INVALID_DATA:",
           "\tcase MACH_SEND_INVALID_DEST:",
           "\tcase MACH_SEND_INVALID_HEADER:",
           "\t\tmig_put_reply_port(reply_port);",
           "\t\tbreak;",
           "\tdefault:",
           "\t\tmig_dealloc_reply_port(reply_port);",
           "\t\tbreak;",
           "\t}",
           "}", ""]
    uses_failed = False
    for ri in infos:
        lines, used = _stub(sub, ri)
        uses_failed = uses_failed or used
        out += lines
    if not uses_failed:
        start = out.index("/*", 5)
        end = out.index("}", start) + 2
        del out[start:end]
    return "\n".join(out) + "\n"


class _Writer(object):
    def __init__(self):
        self.lines = []

    def __call__(self, s):
        self.lines.append(s)


def _desc_send(w, var, f):
    """Write one request descriptor (user side)."""
    i = f.info
    t = i.type
    d = "%s->%s" % (var, f.name)
    if f.kind == "port":
        w("\t%s.name = %s;" % (d, i.name))
        w("\t%s.pad1 = 0;" % d)
        w("\t%s.pad2 = 0;" % d)
        if t.send == mtypes.POLY:
            w("\t%s.disposition = %sPoly;" % (d, i.name))
        else:
            w("\t%s.disposition = %s;" % (d, gc.disp_name(t.send)))
        w("\t%s.type = MACH_MSG_PORT_DESCRIPTOR;" % d)
    elif f.kind == "portarray":
        n = i.cnt_name() if i.variable else str(f.max)
        w("\tfor (mig_i = 0; mig_i < %d; mig_i++) {" % f.max)
        w("\t\t%s[mig_i].name = mig_i < %s ? %s[mig_i] : MACH_PORT_NULL;"
          % (d, n, i.name))
        w("\t\t%s[mig_i].pad1 = 0;" % d)
        w("\t\t%s[mig_i].pad2 = 0;" % d)
        w("\t\t%s[mig_i].disposition = %s;"
          % (d, gc.disp_name(t.elem.send)))
        w("\t\t%s[mig_i].type = MACH_MSG_PORT_DESCRIPTOR;" % d)
        w("\t}")
    elif f.kind == "ool":
        size = "(mach_msg_size_t)(%s * %d)" % (i.cnt_name(),
                                              i.elem.wire_size())
        w("\t%s.address = MIG_ADDR_TO_DESC(%s);" % (d, i.name))
        w("\t%s.size = %s;" % (d, size))
        w("\t%s.deallocate = %s;" % (d, "TRUE" if "dealloc" in i.arg.flags
                                      else "FALSE"))
        w("\t%s.copy = %s;" % (d, "MACH_MSG_PHYSICAL_COPY"
                               if "physicalcopy" in i.arg.flags
                               else "MACH_MSG_VIRTUAL_COPY"))
        w("\t%s.pad1 = 0;" % d)
        w("\t%s.type = MACH_MSG_OOL_DESCRIPTOR;" % d)
    else:
        w("\t%s.address = MIG_ADDR_TO_DESC(%s);" % (d, i.name))
        w("\t%s.count = %s;" % (d, i.cnt_name()))
        w("\t%s.deallocate = %s;" % (d, "TRUE" if "dealloc" in i.arg.flags
                                      else "FALSE"))
        w("\t%s.copy = MACH_MSG_PHYSICAL_COPY;" % d)
        w("\t%s.disposition = %s;" % (d, gc.disp_name(t.elem.send)))
        w("\t%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;" % d)


def _desc_check(w, var, f, fail):
    """Check one reply descriptor's type and disposition (user side)."""
    i = f.info
    t = i.type
    d = "%s->%s" % (var, f.name)
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


def _stub(sub, ri):
    """Lines of one user stub; second value: uses mig_msg_failed."""
    w = _Writer()
    req = ri.request
    rep = ri.reply
    rq_t = "__Request__%s_t" % ri.name
    rp_t = "__Reply__%s_t" % ri.name
    fname = sub.user_prefix + ri.name
    w("/* %s %s: id %d */" % ("SimpleRoutine" if ri.simple else "Routine",
                              ri.name, ri.msgid))
    w(layout.proto("kern_return_t", fname, ri.params("user")))
    w("{")
    if ri.simple:
        w("\t%s Mess;" % rq_t)
        w("\t%s *InP = &Mess;" % rq_t)
    else:
        w("\tunion {")
        w("\t\t%s In;" % rq_t)
        w("\t\t%s Out;" % rp_t)
        w("\t\tmig_reply_error_t Err;")
        w("\t\tchar rcv[sizeof(%s) + sizeof(mach_msg_trailer_t)];" % rp_t)
        w("\t} Mess;")
        w("\t%s *InP = &Mess.In;" % rq_t)
        w("\t%s *Out0P = &Mess.Out;" % rp_t)
    w("\tmach_msg_return_t msg_result;")
    w("\tmach_msg_size_t msgh_size;")
    if not ri.simple:
        w("\tmach_port_t reply_port;")
    needs_i = any(f.kind == "portarray" for f in req.descs) or \
        (rep is not None and any(f.kind == "portarray" for f in rep.fields))
    if needs_i:
        w("\tunsigned int mig_i;")
    if rep is not None and rep.variable:
        w("\tmach_msg_size_t mig_size;")
        w("\tmach_msg_size_t mig_off;")
        for line in gc.data_locals(rep, "mig_out_"):
            w(line)
    elif rep is not None:
        w("\tmach_msg_size_t mig_size;")
    w("")

    # In-array limits.
    for i in ri.args:
        if i.sends and i.cls in ("varray", "portarray") and i.variable \
                and i.samecount is None:
            w("\tif (%sCnt > %d)" % (i.name, i.type.count))
            w("\t\treturn MIG_ARRAY_TOO_LARGE;")

    # Descriptors.
    for f in req.descs:
        _desc_send(w, "InP", f)
    if req.complex:
        w("\tInP->msgh_body.msgh_descriptor_count = %d;" % req.ndesc)

    def value(f):
        i = f.info
        if f.kind == "count":
            if i.countinout:
                return "(*%sCnt < %d ? *%sCnt : %d)" % (
                    i.name, i.type.count, i.name, i.type.count)
            return i.cnt_name()
        if f.kind == "vdata":
            return (i.name, i.cnt_name())
        if i.type.kind == "farray":
            return ("copy", i.name)
        if i.type.kind == "struct":
            return ("copy", i.name if i.dir == "inout" else "&" + i.name)
        return ("*%s" % i.name) if i.dir == "inout" else i.name
    if not gc.fill_data(req, "InP", rq_t, value, w, "msgh_size"):
        w("\tmsgh_size = (mach_msg_size_t)sizeof(%s);" % rq_t)

    # Header.
    rbits = gc.disp_name(ri.reqport.type.send)
    if ri.replyport is not None:
        rp = ri.replyport
        lbits = "%sPoly" % rp.name if rp.type.send == mtypes.POLY else \
            gc.disp_name(rp.type.send)
        rport = rp.name
    elif ri.simple:
        lbits, rport = "0", "MACH_PORT_NULL"
    else:
        lbits, rport = "MACH_MSG_TYPE_MAKE_SEND_ONCE", "mig_get_reply_port()"
    bits = "MACH_MSGH_BITS(%s, %s)" % (rbits, lbits)
    if req.complex:
        bits += " | MACH_MSGH_BITS_COMPLEX"
    if not ri.simple:
        w("\treply_port = %s;" % rport)
        rport = "reply_port"
    w("\tInP->Head.msgh_bits = %s;" % bits)
    w("\tInP->Head.msgh_size = msgh_size;")
    w("\tInP->Head.msgh_remote_port = %s;" % ri.reqport.name)
    w("\tInP->Head.msgh_local_port = %s;" % rport)
    w("\tInP->Head.msgh_voucher_port = 0;")
    w("\tInP->Head.msgh_id = %d;" % ri.msgid)
    w("")
    if ri.simple:
        w("\tmsg_result = mach_msg(&InP->Head, MACH_SEND_MSG, msgh_size, 0,")
        w("\t    MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);")
        w("\treturn msg_result;")
        w("}")
        w("")
        return w.lines, False
    w("\tmsg_result = mach_msg(&InP->Head, MACH_SEND_MSG | MACH_RCV_MSG,")
    w("\t    msgh_size, (mach_msg_size_t)sizeof(Mess.rcv), reply_port,")
    w("\t    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);")
    w("\tif (msg_result != MACH_MSG_SUCCESS) {")
    if ri.replyport is None:
        w("\t\tmig_msg_failed(reply_port, msg_result);")
    w("\t\treturn msg_result;")
    w("\t}")
    w("")
    _reply_check(ri, w, rp_t)
    w("bad_reply:")
    w("\tmach_msg_destroy(&Out0P->Head);")
    w("\treturn msg_result;")
    w("}")
    w("")
    return w.lines, ri.replyport is None


def _reply_check(ri, w, rp_t):
    rep = ri.reply

    def fail(code):
        return "{ msg_result = %s; goto bad_reply; }" % code
    w("\tif (Out0P->Head.msgh_id != %d) {" % (ri.msgid + 100))
    w("\t\tmsg_result = Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE ?")
    w("\t\t    MIG_SERVER_DIED : MIG_REPLY_MISMATCH;")
    w("\t\tgoto bad_reply;")
    w("\t}")
    w("\tmig_size = Out0P->Head.msgh_size;")
    size_ok = gc.size_range(rep, rp_t)
    if not rep.complex:
        w("\tif ((Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||")
        w("\t    (!(%s) &&" % size_ok)
        w("\t     (mig_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||")
        w("\t      Out0P->RetCode == KERN_SUCCESS)))")
        w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        w("\tif (Out0P->RetCode != KERN_SUCCESS)")
        w("\t\treturn Out0P->RetCode;")
    else:
        w("\tif (!(Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {")
        w("\t\tif (mig_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||")
        w("\t\t    Mess.Err.RetCode == KERN_SUCCESS)")
        w("\t\t\t%s" % fail("MIG_TYPE_ERROR"))
        w("\t\treturn Mess.Err.RetCode;")
        w("\t}")
        w("\tif (Out0P->msgh_body.msgh_descriptor_count != %d ||" % rep.ndesc)
        w("\t    !(%s))" % size_ok)
        w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        for f in rep.descs:
            _desc_check(w, "Out0P", f, fail("MIG_TYPE_ERROR"))

    def count_of(f, acc):
        return acc[f.info.cnt_name()]
    acc = gc.check_data(rep, "Out0P", rp_t, "mig_out_", count_of, w,
                        lambda _: fail("MIG_TYPE_ERROR"))
    # Out-of-line sizes must agree with their counts.
    for f in rep.descs:
        i = f.info
        if f.kind == "ool":
            es = i.elem.wire_size()
            w("\tif (Out0P->%s.size / %d != %s ||" % (f.name, es,
                                                    acc[i.cnt_name()]))
            w("\t    Out0P->%s.size %% %d != 0)" % (f.name, es))
            w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        elif f.kind == "oolports":
            w("\tif (Out0P->%s.count != %s)" % (f.name, acc[i.cnt_name()]))
            w("\t\t%s" % fail("MIG_TYPE_ERROR"))
        elif f.kind == "portarray" and i.variable:
            w("\tif (%s > %d)" % (acc[i.cnt_name()], f.max))
            w("\t\t%s" % fail("MIG_TYPE_ERROR"))
    w("")
    _copy_out(ri, w, acc)
    w("\treturn KERN_SUCCESS;")
    w("")


def _copy_out(ri, w, acc):
    """Copy reply values to the caller's out arguments."""
    for i in ri.args:
        if not i.returns or i.cls in ("header", "reply", "seqno"):
            continue
        n = i.name
        if i.cls == "scalar":
            if i.type.kind == "farray":
                w("\t__builtin_memcpy(%s, %s, sizeof(Out0P->%s));"
                  % (n, acc[n], n))
            elif i.type.kind == "struct":
                w("\t__builtin_memcpy(%s, &%s, sizeof(Out0P->%s));"
                  % (n, acc[n], n))
            else:
                w("\t*%s = %s;" % (n, acc[n]))
        elif i.cls == "port":
            w("\t*%s = Out0P->%s.name;" % (n, n))
            if i.type.recv == mtypes.POLY:
                w("\t*%sPoly = Out0P->%s.disposition;" % (n, n))
        elif i.cls == "ool":
            w("\t*%s = MIG_DESC_TO(%s, Out0P->%s.address);"
              % (n, i.type.user_ctype(), n))
            if i.samecount is None:
                w("\t*%sCnt = %s;" % (n, acc[i.cnt_name()]))
        elif i.cls == "oolports":
            w("\t*%s = MIG_DESC_TO(%s, Out0P->%s.address);"
              % (n, i.type.user_ctype(), n))
            if i.samecount is None:
                w("\t*%sCnt = %s;" % (n, acc[i.cnt_name()]))
        elif i.cls == "portarray":
            if i.variable:
                cnt = acc[i.cnt_name()]
                if i.samecount is None:
                    w("\tif (%s > *%sCnt) {" % (cnt, n))
                    w("\t\tfor (mig_i = 0; mig_i < *%sCnt; mig_i++)" % n)
                    w("\t\t\t%s[mig_i] = Out0P->%s[mig_i].name;" % (n, n))
                    w("\t\t*%sCnt = %s;" % (n, cnt))
                    w("\t\treturn MIG_ARRAY_TOO_LARGE;")
                    w("\t}")
                    w("\t*%sCnt = %s;" % (n, cnt))
                w("\tfor (mig_i = 0; mig_i < %s; mig_i++)" % cnt)
            else:
                w("\tfor (mig_i = 0; mig_i < %d; mig_i++)" % i.type.count)
            w("\t\t%s[mig_i] = Out0P->%s[mig_i].name;" % (n, n))
        elif i.cls == "varray":
            cnt = acc[i.cnt_name()]
            es = "sizeof(%s)" % i.elem_ctype()
            if i.samecount is None:
                w("\tif (%s > *%sCnt) {" % (cnt, n))
                w("\t\t__builtin_memcpy(%s, %s, %s * *%sCnt);"
                  % (n, acc[n], es, n))
                w("\t\t*%sCnt = %s;" % (n, cnt))
                w("\t\treturn MIG_ARRAY_TOO_LARGE;")
                w("\t}")
            w("\t__builtin_memcpy(%s, %s, %s * %s);" % (n, acc[n], es, cnt))
            if i.samecount is None:
                w("\t*%sCnt = %s;" % (n, cnt))
