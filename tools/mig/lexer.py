"""Tokenizer for the MIG subset read by tools/mig/mig.py.

The input is MIG interface syntax without a C preprocessor.  Comments
(`//` and `/* */`) are dropped.  The only `#` line understood is
`#include <file>` / `#include "file"`, which becomes an INCLUDE token;
any other preprocessor line is an error, because nothing here evaluates
conditionals.  After the words import, uimport, simport and kimport the next
`<...>` or `"..."` is read as one PATH token.
"""


class MigError(Exception):
    """An error in a .defs file, reported as file:line: message."""

    def __init__(self, where, msg):
        Exception.__init__(self, "%s: %s" % (where, msg))


class Token(object):
    """One token: kind is IDENT, NUMBER, PUNCT, PATH or INCLUDE."""

    __slots__ = ("kind", "value", "where")

    def __init__(self, kind, value, where):
        self.kind = kind
        self.value = value
        self.where = where

    def __repr__(self):
        return "Token(%s, %r)" % (self.kind, self.value)


_PUNCT = set(";:,=()[]^*+-<>{}")
_PATH_WORDS = ("import", "uimport", "simport", "kimport")


def c_open(ch):
    """True for '<' (a system include), False for '"'."""
    return ch == "<"


def _read_path(text, i, where):
    """Read <...> or "..." starting at text[i]; return (path, next index)."""
    close = {"<": ">", '"': '"'}.get(text[i])
    if close is None:
        raise MigError(where, "expected <file> or \"file\"")
    end = text.find(close, i + 1)
    nl = text.find("\n", i + 1)
    if end < 0 or (0 <= nl < end):
        raise MigError(where, "unterminated file name")
    path = text[i + 1:end].strip()
    return (path if c_open(text[i]) else '"%s"' % path), end + 1


def tokenize(text, filename):
    """Split text into a list of Tokens; raise MigError on bad input."""
    toks = []
    i = 0
    line = 1
    n = len(text)
    want_path = False
    at_line_start = True
    while i < n:
        c = text[i]
        where = "%s:%d" % (filename, line)
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise MigError(where, "unterminated comment")
            line += text.count("\n", i, end)
            i = end + 2
            continue
        if c == "#":
            if not at_line_start:
                raise MigError(where, "stray '#'")
            j = i + 1
            while j < n and text[j] in " \t":
                j += 1
            k = j
            while k < n and (text[k].isalnum() or text[k] == "_"):
                k += 1
            word = text[j:k]
            if word != "include":
                raise MigError(where, "preprocessor directive '#%s' is not "
                               "supported (no C preprocessor)" % word)
            while k < n and text[k] in " \t":
                k += 1
            path, i = _read_path(text, k, where)
            toks.append(Token("INCLUDE", path, where))
            continue
        at_line_start = False
        if want_path:
            path, i = _read_path(text, i, where)
            toks.append(Token("PATH", path, where))
            want_path = False
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            toks.append(Token("IDENT", word, where))
            if word.lower() in _PATH_WORDS:
                want_path = True
            i = j
            continue
        if c.isdigit():
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            lit = text[i:j]
            try:
                val = int(lit, 0) if not (len(lit) > 1 and lit[0] == "0"
                                          and lit[1].isdigit()) \
                    else int(lit, 8)
            except ValueError:
                raise MigError(where, "bad number '%s'" % lit)
            toks.append(Token("NUMBER", val, where))
            i = j
            continue
        if c in _PUNCT:
            toks.append(Token("PUNCT", c, where))
            i += 1
            continue
        raise MigError(where, "unexpected character %r" % c)
    return toks
