#!/usr/bin/env python3
"""Print rows for src/cmd/table.rs from what a real Redis 7.0 reports.

Usage: scripts/gen-command-table.py PORT name[:handler] ...

Arity, flags, ACL categories, key positions and the COMMAND DOCS facts are
taken from the reference server so the table cannot drift from Redis. The
handler path defaults to `module::name` where the module is guessed from the
command's group; pass `name:path` to override. Container commands get a
`&[...]` sub-table with one row per subcommand.
"""
import socket
import sys

GROUP_MODULE = {
    "string": "string", "generic": "keys", "connection": "connection",
    "server": "server",
}


def resp_read(f):
    line = f.readline().rstrip(b"\r\n")
    t, rest = line[:1], line[1:]
    if t in (b"+",):
        return rest.decode()
    if t == b"-":
        raise RuntimeError(rest.decode())
    if t == b":":
        return int(rest)
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if t == b"*":
        n = int(rest)
        return None if n < 0 else [resp_read(f) for _ in range(n)]
    raise RuntimeError("bad reply %r" % line)


def command(sock, f, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)
    return resp_read(f)


def pairs(lst):
    return dict(zip(lst[0::2], lst[1::2]))


def rust_str(s):
    return '"' + (s or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def row(info, docs, handler):
    name, arity, flags, first, last, step, acl = info[:7]
    subs = info[9] if len(info) > 9 else []
    short = name.split("|")[-1]
    # Flag constants are the wire names upper-cased, except movablekeys.
    names = {"movablekeys": "MOVABLE_KEYS"}
    flag_expr = " | ".join(names.get(fl, fl.upper()) for fl in flags) or "0"
    acl_s = " ".join(a.lstrip("@") for a in acl)
    d = pairs(docs) if docs else {}
    sub_table = f"{short.upper().replace('-', '_')}_SUBCOMMANDS" if subs else "&[]"
    fields = [rust_str(short), handler, str(arity), flag_expr, rust_str(acl_s),
              f"({first}, {last}, {step})", sub_table,
              rust_str(d.get("group")), rust_str(d.get("since")),
              rust_str(d.get("complexity")), rust_str(d.get("summary"))]
    return "    cmd(" + ", ".join(fields) + "),", subs


def main():
    port = int(sys.argv[1])
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    tables = []
    for spec in sys.argv[2:]:
        spec, _, only = spec.partition("/")
        only = set(only.split(",")) if only else None
        name, _, handler = spec.partition(":")
        info = command(sock, f, "COMMAND", "INFO", name)[0]
        docs = pairs(command(sock, f, "COMMAND", "DOCS", name))[name]
        d = pairs(docs)
        mod = GROUP_MODULE.get(d.get("group"), "server")
        text, subs = row(info, docs, handler or f"{mod}::{name}")
        print(text)
        if subs:
            sdocs = pairs(d.get("subcommands", []))
            rows = []
            for s in sorted(subs):
                sub = s[0].split("|")[1]
                if only is not None and sub not in only:
                    continue
                h = f"{mod}::{name}_{sub.replace('-', '_')}"
                rows.append(row(s, sdocs.get(s[0]), h)[0])
            tables.append((name, rows))
    for name, rows in tables:
        print()
        print("#[rustfmt::skip]")
        print(f"const {name.upper()}_SUBCOMMANDS: &[Command] = &[")
        print("\n".join(rows))
        print("];")


if __name__ == "__main__":
    main()
