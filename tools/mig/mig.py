#!/usr/bin/env python3
"""mig.py: generate Mach RPC stubs from a MIG-subset .defs file.

Usage:
  python3 tools/mig/mig.py --defs include/mach/mach_port.defs \
      -I include/mach \
      [--user-header build/gen/mach_port.h] \
      [--user-source build/gen/mach_portUser.c] \
      [--server-header build/gen/mach_portServer.h] \
      [--server-source build/gen/mach_portServer.c] \
      [--fuzz-source build/gen/mach_portFuzz.c] \
      [--user-prefix P] [--server-prefix P] [--list]

Each output is written only when asked for.  The sources include their
header by its file name, so keep a header next to its source (or on the
include path).  --user-prefix/--server-prefix override the .defs
userprefix/serverprefix statements.  --list prints one line per routine
(id, name, kind) and nothing else.  Exit status 1 and a file:line message
on an error in the .defs file.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_fuzz      # noqa: E402
import gen_server    # noqa: E402
import gen_user      # noqa: E402
import layout        # noqa: E402
from lexer import MigError  # noqa: E402
import defs_parser  # noqa: E402


def _guard(path):
    base = os.path.basename(path)
    return "_MIG_" + "".join(c.upper() if c.isalnum() else "_"
                             for c in base) + "_"


def _write(path, text):
    d = os.path.dirname(path)
    if d and not os.path.isdir(d):
        os.makedirs(d)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description="MIG-subset stub generator")
    ap.add_argument("--defs", required=True, help="input .defs file")
    ap.add_argument("-I", dest="incdirs", action="append", default=[],
                    help="directory searched by #include/import")
    ap.add_argument("--user-header")
    ap.add_argument("--user-source")
    ap.add_argument("--server-header")
    ap.add_argument("--server-source")
    ap.add_argument("--fuzz-source")
    ap.add_argument("--user-prefix")
    ap.add_argument("--server-prefix")
    ap.add_argument("--list", action="store_true",
                    help="print routine ids and names")
    a = ap.parse_args(argv)

    try:
        sub = defs_parser.parse(a.defs, a.incdirs)
        if a.user_prefix is not None:
            sub.user_prefix = a.user_prefix
        if a.server_prefix is not None:
            sub.server_prefix = a.server_prefix
        infos = layout.analyse(sub)
    except MigError as e:
        sys.stderr.write("mig: %s\n" % e)
        return 1

    if a.list:
        for ri in infos:
            print("%d %s %s" % (ri.msgid, ri.name,
                                "simpleroutine" if ri.simple else "routine"))
        return 0

    name = os.path.basename(a.defs)
    if (a.user_source and not a.user_header) or \
            (a.server_source and not a.server_header):
        sys.stderr.write("mig: a source needs its header option too\n")
        return 2
    if a.user_header:
        _write(a.user_header,
               gen_user.header(sub, infos, name, _guard(a.user_header)))
    if a.user_source:
        _write(a.user_source,
               gen_user.source(sub, infos, name,
                               os.path.basename(a.user_header)))
    if a.server_header:
        _write(a.server_header,
               gen_server.header(sub, infos, name, _guard(a.server_header)))
    if a.server_source:
        _write(a.server_source,
               gen_server.source(sub, infos, name,
                                 os.path.basename(a.server_header)))
    if a.fuzz_source:
        hdr = a.user_header or a.server_header
        if not hdr:
            sys.stderr.write("mig: --fuzz-source needs a header option\n")
            return 2
        _write(a.fuzz_source,
               gen_fuzz.source(sub, infos, name, os.path.basename(hdr)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
