#!/usr/bin/env python3
"""Write src/cmd/meta/data.rs: the COMMAND INFO / COMMAND DOCS facts that the
rows of src/cmd/table.rs do not carry (tips, key specs, doc flags, history,
argument trees), taken from a real Redis 7.0.

Usage: scripts/gen-command-meta.py PORT [OUTPUT]

The command names are read from src/cmd/table.rs (top-level rows and the
subcommand tables), so rerun this after adding rows. Each name is asked with
COMMAND INFO and COMMAND DOCS over RESP3 (which keeps sets, maps and status
replies apart). The output is sorted by full name and has no timestamp, so
the same table and the same Redis give the same file byte for byte.

The renderer in src/cmd/meta.rs prints fields in a fixed order (Redis's);
this script checks every reply against that order and stops if Redis ever
prints something it cannot reproduce.
"""
import os
import re
import socket
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "src", "cmd", "table.rs")
OUTPUT = os.path.join(ROOT, "src", "cmd", "meta", "data.rs")

# Flag names in the order Redis 7.0 prints them (addReplyFlagsForKeyArgs,
# addReplyFlagsForArg, addReplyDocFlagsForCommand); the Rust constants have
# the same names, upper-cased.
KEY_FLAGS = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
             "not_key", "incomplete", "variable_flags"]
ARG_FLAGS = ["optional", "multiple", "multiple_token"]
DOC_FLAGS = ["deprecated", "syscmd"]
ARG_TYPES = ["string", "integer", "double", "key", "pattern", "unix-time",
             "pure-token", "oneof", "block"]
# Field orders the renderer uses.
ARG_FIELDS = ["name", "type", "key_spec_index", "token", "summary", "since",
              "flags", "deprecated_since", "arguments"]
DOC_FIELDS = ["summary", "since", "group", "complexity", "doc_flags",
              "deprecated_since", "replaced_by", "history", "arguments",
              "subcommands"]
SPEC_FIELDS = ["notes", "flags", "begin_search", "find_keys"]


class Fail(Exception):
    pass


# ---------------------------------------------------------------------------
# RESP3 client keeping the reply types
# ---------------------------------------------------------------------------

class Resp3:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.f = self.sock.makefile("rb")
        self.call("HELLO", "3")

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.read()

    def read(self):
        line = self.f.readline()[:-2]
        t, rest = chr(line[0]), line[1:]
        if t == "+":
            return ("status", rest.decode())
        if t == "-":
            raise Fail(rest.decode())
        if t == ":":
            return int(rest)
        if t in "$=":
            data = self.f.read(int(rest) + 2)[:-2].decode()
            return data[4:] if t == "=" else data
        if t == "_":
            return None
        if t in "*~":
            kind = "array" if t == "*" else "set"
            return (kind, [self.read() for _ in range(int(rest))])
        if t == "%":
            return ("map", [(self.read(), self.read()) for _ in range(int(rest))])
        raise Fail("unexpected reply %r" % line)


def expect(v, kind):
    if not (isinstance(v, tuple) and v[0] == kind):
        raise Fail("expected %s, got %r" % (kind, v))
    return v[1]


def fields(m, order, what):
    """A RESP3 map as a dict, after checking its keys follow `order`."""
    pairs = expect(m, "map")
    keys = [k for k, _ in pairs]
    known = [k for k in order if k in keys]
    if keys != known:
        raise Fail("%s: fields %r not in the order %r" % (what, keys, order))
    return dict(pairs)


def flag_bits(v, names, what):
    got = [s for _, s in expect(v, "set")]
    if got != [n for n in names if n in got]:
        raise Fail("%s: flags %r not in Redis's order" % (what, got))
    return got


# ---------------------------------------------------------------------------
# Rust literals
# ---------------------------------------------------------------------------

def rs(s):
    out = '"'
    for ch in s:
        if ch in '\\"':
            out += "\\" + ch
        elif ch == "\n":
            out += "\\n"
        elif ord(ch) < 32:
            out += "\\u{%x}" % ord(ch)
        else:
            out += ch
    return out + '"'


def flags_expr(got, prefix=""):
    if not got:
        return "0"
    return " | ".join(prefix + g.upper() for g in got)


def key_spec(v, what):
    d = fields(v, SPEC_FIELDS, what)
    fl = flags_expr(flag_bits(d["flags"], KEY_FLAGS, what), "K_")
    bs = dict(expect(d["begin_search"], "map"))
    spec = dict(expect(bs["spec"], "map"))
    if bs["type"] == "index":
        begin = "BeginSearch::Index(%d)" % spec["index"]
    elif bs["type"] == "keyword":
        begin = "BeginSearch::Keyword(%s, %d)" % (rs(spec["keyword"]), spec["startfrom"])
    elif bs["type"] == "unknown" and not spec:
        begin = "BeginSearch::Unknown"
    else:
        raise Fail("%s: begin_search %r" % (what, bs))
    fk = dict(expect(d["find_keys"], "map"))
    spec = dict(expect(fk["spec"], "map"))
    if fk["type"] == "range":
        if list(spec) != ["lastkey", "keystep", "limit"]:
            raise Fail("%s: range spec %r" % (what, spec))
        find = "FindKeys::Range(%d, %d, %d)" % (spec["lastkey"], spec["keystep"], spec["limit"])
    elif fk["type"] == "keynum":
        if list(spec) != ["keynumidx", "firstkey", "keystep"]:
            raise Fail("%s: keynum spec %r" % (what, spec))
        find = "FindKeys::Keynum(%d, %d, %d)" % (spec["keynumidx"], spec["firstkey"], spec["keystep"])
    elif fk["type"] == "unknown" and not spec:
        find = "FindKeys::Unknown"
    else:
        raise Fail("%s: find_keys %r" % (what, fk))
    out = "spec(%s, %s, %s)" % (fl, begin, find)
    if "notes" in d:
        out += ".notes(%s)" % rs(d["notes"])
    return out


def arg_list(v, what):
    return "&[" + ", ".join(arg(a, what) for a in expect(v, "array")) + "]"


def arg(v, what):
    d = fields(v, ARG_FIELDS, what)
    if d["type"] not in ARG_TYPES:
        raise Fail("%s: argument type %r" % (what, d["type"]))
    kind = d["type"].upper().replace("-", "_")
    out = "arg(%s, %s)" % (rs(d["name"]), kind)
    # Keys always name their key spec; SORT's BY/GET patterns do too.
    if d["type"] == "key" and "key_spec_index" not in d:
        raise Fail("%s: key without key_spec_index %r" % (what, d))
    if "key_spec_index" in d:
        out += ".ks(%d)" % d["key_spec_index"]
    for k in ("token", "summary", "since", "deprecated_since"):
        if k in d:
            out += ".%s(%s)" % ("deprecated" if k == "deprecated_since" else k, rs(d[k]))
    if "flags" in d:
        out += ".flags(%s)" % flags_expr(flag_bits(d["flags"], ARG_FLAGS, what), "A_")
    block = d["type"] in ("oneof", "block")
    if block != ("arguments" in d):
        raise Fail("%s: arguments on %r" % (what, d["type"]))
    if block:
        out += ".args(%s)" % arg_list(d["arguments"], what + "/" + d["name"])
    return out


def command_meta(name, info, docs):
    """The Rust expression for one command, or None when nothing is beyond
    what the table row holds (a command Redis does not know is an error)."""
    items = expect(info, "array")
    tips = [t for t in expect(items[7], "set")]
    if not all(isinstance(t, str) for t in tips):
        raise Fail("%s: tips must be bulk strings: %r" % (name, tips))
    specs = [key_spec(s, name) for s in expect(items[8], "set")]
    flags = [s for _, s in expect(items[2], "set")]
    # The renderer derives movablekeys from the key specs (as Redis 7.0
    # does for every built-in command); check that this holds.
    movable = any("BeginSearch::Index(" not in s or "FindKeys::Range(" not in s
                  for s in specs)
    if movable != ("movablekeys" in flags):
        raise Fail("%s: movablekeys does not follow from the key specs" % name)
    d = fields(docs, DOC_FIELDS, name)
    out = "m(%s)" % rs(name)
    if tips:
        out += ".tips(&[%s])" % ", ".join(rs(t) for t in tips)
    if specs:
        out += "\n        .specs(&[%s])" % ", ".join(specs)
    if "doc_flags" in d:
        out += ".doc_flags(%s)" % flags_expr(flag_bits(d["doc_flags"], DOC_FLAGS, name), "D_")
    if "deprecated_since" in d:
        out += ".deprecated(%s)" % rs(d["deprecated_since"])
    if "replaced_by" in d:
        out += ".replaced_by(%s)" % rs(d["replaced_by"])
    if "history" in d:
        hist = []
        for h in expect(d["history"], "set"):
            since, change = expect(h, "array")
            hist.append("(%s, %s)" % (rs(since), rs(change)))
        out += "\n        .history(&[%s])" % ", ".join(hist)
    if "arguments" in d:
        args = [arg(a, name) for a in expect(d["arguments"], "array")]
        out += "\n        .args(&[\n            %s,\n        ])" % ",\n            ".join(args)
    return out


# ---------------------------------------------------------------------------
# Names from the command table
# ---------------------------------------------------------------------------

def table_names():
    """Full names (`get`, `config|get`) of every row in table.rs."""
    text = open(TABLE).read()
    tables = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"\s*(?:pub\s+)?(?:static|const)\s+([A-Z_]+)\s*:\s*&\[Command\]", line)
        if m:
            current = tables.setdefault(m.group(1), [])
            continue
        m = re.match(r'\s*cmd\("([^"]+)",(.*)', line)
        if m and current is not None:
            sub = re.search(r",\s*([A-Z_]+_SUBCOMMANDS)\s*,", m.group(2))
            current.append((m.group(1), sub.group(1) if sub else None))
    names = []
    for name, sub in tables.get("COMMANDS", []):
        names.append(name)
        for s, _ in tables.get(sub, []) if sub else []:
            names.append("%s|%s" % (name, s))
    return sorted(set(names))


HEADER = """\
//! GENERATED by scripts/gen-command-meta.py from Redis {version}: do not edit.
//!
//! Regenerate after adding rows to src/cmd/table.rs (the names come from
//! there): start a redis-server 7.0 on a free port, then
//! `scripts/gen-command-meta.py PORT`. The output depends only on the table
//! and on that Redis, so rerunning it changes nothing.
//!
//! One entry per full command name (`get`, `config|get`), sorted for
//! [`super::meta`]'s binary search: tips, key specs and the COMMAND DOCS
//! fields beyond the table row (doc flags, deprecation, history, arguments).

use super::*;

/// Commands of the table that Redis {version} does not know (no entry).
#[allow(dead_code)]
pub const UNKNOWN_TO_REDIS: &[&str] = &[{unknown}];

#[rustfmt::skip]
pub static META: &[CommandMeta] = &[
"""


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    port = int(sys.argv[1])
    output = sys.argv[2] if len(sys.argv) == 3 else OUTPUT
    r = Resp3(port)
    info_text = r.call("INFO", "server")
    version = re.search(r"redis_version:(\S+)", info_text).group(1)
    entries, unknown = [], []
    for name in table_names():
        info = expect(r.call("COMMAND", "INFO", name), "array")[0]
        if info is None:
            unknown.append(name)
            continue
        docs = dict(expect(r.call("COMMAND", "DOCS", name), "map"))[name]
        entries.append("    " + command_meta(name, info, docs) + ",")
    text = HEADER.format(version=version, unknown=", ".join(rs(u) for u in unknown))
    text += "\n".join(entries) + "\n];\n"
    with open(output, "w") as f:
        f.write(text)
    sys.stderr.write("%s: %d commands, not in Redis %s: %s\n"
                     % (output, len(entries), version, ", ".join(unknown) or "none"))


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        sys.exit("gen-command-meta: %s" % e)
