"""Parser for the MIG subset: statements to a Subsystem model.

Statements understood (keywords are case-insensitive, as in MIG):

  subsystem [KernelServer|KernelUser] name base;
  serverprefix P;  userprefix P;  serverdemux name;
  type T = <type-spec> [clauses];
  import <f>; uimport <f>; simport <f>;   (<f>.defs: read it; else
                                           #include it in the output)
  kimport <f>;             (ours: server side, kernel builds only)
  #include <f.defs>
  routine name(args);  simpleroutine name(args);  skip;

A type-spec is a type name, a MACH_MSG_TYPE_* name, `polymorphic`,
array[N] / array[*:N] / array[] of T, ^array[...] of T, struct[N] of T.
Clauses: ctype:, cusertype:, cservertype:, intran:, outtran:,
destructor:.  Array bounds may be sums and products of numbers.

An argument is `[dir] name : type-spec [clauses] [, flag]*` where dir is
in (default), out, inout, requestport, replyport, sreplyport,
ureplyport or msgseqno, and flags are SameCount, CountInOut, Dealloc,
NotDealloc, PhysicalCopy, const.
"""

import os

from lexer import MigError, tokenize
import mtypes

ARG_DIRS = ("in", "out", "inout", "requestport", "replyport", "sreplyport",
            "ureplyport", "msgseqno")
ARG_FLAGS = ("samecount", "countinout", "dealloc", "notdealloc",
             "physicalcopy", "const")
CLAUSES = ("ctype", "cusertype", "cservertype", "intran", "outtran",
           "destructor")


class Arg(object):
    """One routine argument as written in the .defs file."""

    def __init__(self, name, direction, mtype, flags, where):
        self.name = name
        self.dir = direction
        self.type = mtype
        self.flags = flags
        self.where = where


class Routine(object):
    """A routine or simpleroutine; number is its index in the subsystem."""

    def __init__(self, name, simple, args, number, where):
        self.name = name
        self.simple = simple
        self.args = args
        self.number = number
        self.where = where
        self.msgid = None


class Subsystem(object):
    """Everything one .defs file (and what it includes) declares."""

    def __init__(self):
        self.name = None
        self.base = None
        self.kernel_server = False
        self.kernel_user = False
        self.server_prefix = ""
        self.user_prefix = ""
        self.server_demux = None
        self.routines = []        # Routine objects, skips not included
        self.count = 0            # routines + skips
        self.imports = []         # (which, path): which is "", "u", "s"
        self.types = mtypes.builtin_types()


class _Parser(object):
    """Recursive-descent parser over the token list of one file."""

    def __init__(self, sub, toks, filename, search, seen):
        self.sub = sub
        self.toks = toks
        self.pos = 0
        self.filename = filename
        self.search = search
        self.seen = seen

    # -- token helpers --------------------------------------------------
    def where(self):
        if self.pos < len(self.toks):
            return self.toks[self.pos].where
        return "%s:EOF" % self.filename

    def peek(self, off=0):
        i = self.pos + off
        return self.toks[i] if i < len(self.toks) else None

    def next(self):
        t = self.peek()
        if t is None:
            raise MigError(self.where(), "unexpected end of file")
        self.pos += 1
        return t

    def is_punct(self, ch, off=0):
        t = self.peek(off)
        return t is not None and t.kind == "PUNCT" and t.value == ch

    def is_word(self, word, off=0):
        t = self.peek(off)
        return t is not None and t.kind == "IDENT" and t.value.lower() == word

    def expect_punct(self, ch):
        t = self.next()
        if t.kind != "PUNCT" or t.value != ch:
            raise MigError(t.where, "expected '%s', got %r" % (ch, t.value))

    def expect_ident(self):
        t = self.next()
        if t.kind != "IDENT":
            raise MigError(t.where, "expected a name, got %r" % (t.value,))
        return t.value

    def expr(self):
        """Parse a constant: numbers joined by + - *."""
        def term():
            t = self.next()
            if t.kind != "NUMBER":
                raise MigError(t.where, "expected a number, got %r"
                               % (t.value,))
            v = t.value
            while self.is_punct("*"):
                self.next()
                t = self.next()
                if t.kind != "NUMBER":
                    raise MigError(t.where, "expected a number")
                v *= t.value
            return v
        v = term()
        while self.is_punct("+") or self.is_punct("-"):
            op = self.next().value
            v = v + term() if op == "+" else v - term()
        return v

    # -- statements -----------------------------------------------------
    def parse(self):
        while self.peek() is not None:
            t = self.peek()
            if t.kind == "INCLUDE":
                self.next()
                self.include(t.value.strip('"'), t.where)
                continue
            if t.kind == "PUNCT" and t.value == ";":
                self.next()
                continue
            if t.kind != "IDENT":
                raise MigError(t.where, "expected a statement")
            word = t.value.lower()
            self.next()
            handler = getattr(self, "st_" + word, None)
            if handler is None:
                raise MigError(t.where, "unknown statement '%s'" % t.value)
            handler(t.where)

    def include(self, path, where):
        full = None
        here = os.path.dirname(self.filename)
        cands = [os.path.join(here, path)] + \
            [os.path.join(d, path) for d in self.search] + \
            [os.path.join(d, os.path.basename(path)) for d in self.search]
        for c in cands:
            if os.path.isfile(c):
                full = os.path.realpath(c)
                break
        if full is None:
            raise MigError(where, "cannot find '%s'" % path)
        if full in self.seen:
            return
        parse_file(self.sub, full, self.search, self.seen)

    def st_subsystem(self, where):
        while self.is_word("kernelserver") or self.is_word("kerneluser"):
            w = self.next().value.lower()
            if w == "kernelserver":
                self.sub.kernel_server = True
            else:
                self.sub.kernel_user = True
        if self.sub.name is not None:
            raise MigError(where, "second subsystem statement")
        self.sub.name = self.expect_ident()
        self.sub.base = self.expr()
        self.expect_punct(";")

    def _prefix(self):
        name = self.expect_ident()
        self.expect_punct(";")
        return name

    def st_serverprefix(self, where):
        self.sub.server_prefix = self._prefix()

    def st_userprefix(self, where):
        self.sub.user_prefix = self._prefix()

    def st_serverdemux(self, where):
        self.sub.server_demux = self._prefix()

    def _import(self, which, where):
        t = self.next()
        if t.kind != "PATH":
            raise MigError(t.where, "expected <file> after import")
        self.expect_punct(";")
        path = t.value.strip('"')
        if path.endswith(".defs"):
            self.include(path, where)
        else:
            self.sub.imports.append((which, t.value))

    def st_import(self, where):
        self._import("", where)

    def st_uimport(self, where):
        self._import("u", where)

    def st_simport(self, where):
        self._import("s", where)

    def st_kimport(self, where):
        self._import("k", where)

    def st_skip(self, where):
        self.expect_punct(";")
        self.sub.count += 1

    def st_type(self, where):
        name = self.expect_ident()
        self.expect_punct("=")
        t = self.type_spec(name)
        self.clauses(t)
        self.expect_punct(";")
        self.sub.types[name] = t

    def st_routine(self, where):
        self.routine(where, False)

    def st_simpleroutine(self, where):
        self.routine(where, True)

    # -- types ----------------------------------------------------------
    def lookup(self, name, where):
        t = self.sub.types.get(name)
        if t is None:
            raise MigError(where, "unknown type '%s'" % name)
        return t

    def type_spec(self, name):
        """Parse what follows `=`; return a new MigType called name."""
        where = self.where()
        if self.is_punct("^"):
            self.next()
            if not self.is_word("array"):
                raise MigError(where, "expected 'array' after '^'")
            return self.array_spec(name, True)
        if self.is_word("array"):
            return self.array_spec(name, False)
        if self.is_word("struct"):
            self.next()
            self.expect_punct("[")
            n = self.expr()
            self.expect_punct("]")
            if not self.is_word("of"):
                raise MigError(self.where(), "expected 'of'")
            self.next()
            elem = self.elem_type()
            return mtypes.make_struct(name, elem, n, where, MigError)
        if self.is_word("c_string"):
            raise MigError(where, "c_string types are not supported")
        base = self.lookup(self.expect_ident(), where)
        return base.derive(name)

    def elem_type(self):
        where = self.where()
        return self.lookup(self.expect_ident(), where)

    def array_spec(self, name, ool):
        where = self.where()
        self.next()                      # 'array'
        self.expect_punct("[")
        star = False
        count = None
        if self.is_punct("]"):
            pass
        elif self.is_punct("*"):
            self.next()
            star = True
            if self.is_punct(":"):
                self.next()
                count = self.expr()
        else:
            count = self.expr()
        self.expect_punct("]")
        if not self.is_word("of"):
            raise MigError(self.where(), "expected 'of'")
        self.next()
        elem = self.elem_type()
        if star and count is None:
            ool = True
        return mtypes.make_array(name, elem, star, count, ool, where,
                                 MigError)

    def ctype_words(self):
        """Read a C type: words and '*' up to the next clause or ; , )."""
        words = []
        while True:
            t = self.peek()
            if t is None:
                break
            if t.kind == "IDENT":
                if t.value.lower() in CLAUSES and self.is_punct(":", 1):
                    break
                words.append(t.value)
                self.next()
            elif t.kind == "PUNCT" and t.value == "*":
                words.append("*")
                self.next()
            else:
                break
        if not words:
            raise MigError(self.where(), "expected a C type")
        return " ".join(words)

    def clauses(self, t):
        while self.peek() is not None and self.peek().kind == "IDENT" \
                and self.peek().value.lower() in CLAUSES \
                and self.is_punct(":", 1):
            word = self.next().value.lower()
            self.next()                  # ':'
            if word in ("ctype", "cusertype", "cservertype"):
                setattr(t, word, self.ctype_words())
            elif word == "destructor":
                func = self.expect_ident()
                self.expect_punct("(")
                argt = self.ctype_words()
                self.expect_punct(")")
                t.destructor = mtypes.Trans(None, func, argt)
            else:
                res = self.ctype_words()
                parts = res.rsplit(" ", 1)
                if len(parts) != 2:
                    raise MigError(self.where(), "expected 'type func(type)'"
                                   " in %s" % word)
                self.expect_punct("(")
                argt = self.ctype_words()
                self.expect_punct(")")
                setattr(t, word, mtypes.Trans(parts[0], parts[1], argt))

    # -- routines -------------------------------------------------------
    def routine(self, where, simple):
        name = self.expect_ident()
        self.expect_punct("(")
        args = []
        while not self.is_punct(")"):
            args.append(self.argument(name))
            if self.is_punct(";"):
                self.next()
            elif not self.is_punct(")"):
                raise MigError(self.where(), "expected ';' or ')'")
        self.expect_punct(")")
        self.expect_punct(";")
        r = Routine(name, simple, args, self.sub.count, where)
        self.sub.routines.append(r)
        self.sub.count += 1

    def argument(self, rname):
        where = self.where()
        direction = "in"
        if self.peek() is not None and self.peek().kind == "IDENT" \
                and self.peek().value.lower() in ARG_DIRS \
                and not self.is_punct(":", 1):
            direction = self.next().value.lower()
        name = self.expect_ident()
        self.expect_punct(":")
        tname = self.expect_ident()
        if self.is_punct("="):
            self.next()
            mtype = self.type_spec(tname)
            self.clauses(mtype)
        else:
            mtype = self.lookup(tname, where)
            if self.peek() is not None and self.peek().kind == "IDENT" \
                    and self.peek().value.lower() in CLAUSES:
                mtype = mtype.derive(tname)
                mtype.ctype = self.lookup(tname, where).ctype
                self.clauses(mtype)
        flags = set()
        while self.is_punct(","):
            self.next()
            f = self.expect_ident().lower()
            if f not in ARG_FLAGS:
                raise MigError(self.where(), "unknown argument flag '%s'" % f)
            flags.add(f)
        return Arg(name, direction, mtype, flags, where)


def parse_file(sub, path, search, seen):
    """Parse path into sub; search is the -I list, seen the read files."""
    seen.add(os.path.realpath(path))
    try:
        with open(path) as f:
            text = f.read()
    except IOError as e:
        raise MigError(path, str(e))
    _Parser(sub, tokenize(text, path), path, search, seen).parse()


def parse(path, search):
    """Parse the top-level .defs file; return the Subsystem."""
    sub = Subsystem()
    parse_file(sub, path, search, set())
    if sub.name is None:
        raise MigError(path, "no subsystem statement")
    for r in sub.routines:
        r.msgid = sub.base + r.number
    return sub
