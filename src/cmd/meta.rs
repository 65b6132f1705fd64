//! Command metadata beyond the table row: what COMMAND INFO, COMMAND DOCS
//! and COMMAND GETKEYS need and `table.rs` does not carry.
//!
//! The table row (arity, flags, ACL categories, legacy key range, group,
//! since, complexity, summary) stays the one source for dispatch. This module
//! adds, per full command name (`get`, `config|get`), Redis 7.0's tips, key
//! specs, doc flags, deprecation, history and argument tree. The data lives
//! in `meta/data.rs`, generated from a real Redis by
//! `scripts/gen-command-meta.py`; this file holds its types, the lookup, the
//! key extraction behind COMMAND GETKEYS[ANDFLAGS], and the renderers of one
//! COMMAND INFO / COMMAND DOCS entry, which print fields in exactly the
//! order and reply types Redis 7.0.15 uses (sets and maps degrade to arrays
//! in RESP2 through the client's reply helpers).
//!
//! A command of the table without an entry here (one Redis 7.0 does not
//! know, such as 7.2's CLIENT SETINFO) is rendered with no tips, no key
//! specs and only the row's documentation fields.

mod data;

use super::flags::*;
use super::{Command, FLAG_NAMES};
use crate::client::Client;

// ---------------------------------------------------------------------------
// Types of the generated data
// ---------------------------------------------------------------------------

/// Key spec flags (`CMD_KEY_*`), in the order Redis prints them.
pub const K_RO: u16 = 1 << 0;
pub const K_RW: u16 = 1 << 1;
pub const K_OW: u16 = 1 << 2;
pub const K_RM: u16 = 1 << 3;
pub const K_ACCESS: u16 = 1 << 4;
pub const K_UPDATE: u16 = 1 << 5;
pub const K_INSERT: u16 = 1 << 6;
pub const K_DELETE: u16 = 1 << 7;
pub const K_NOT_KEY: u16 = 1 << 8;
pub const K_INCOMPLETE: u16 = 1 << 9;
pub const K_VARIABLE_FLAGS: u16 = 1 << 10;
const KEY_FLAG_NAMES: &[&str] = &[
    "RO",
    "RW",
    "OW",
    "RM",
    "access",
    "update",
    "insert",
    "delete",
    "not_key",
    "incomplete",
    "variable_flags",
];

/// Argument flags (`CMD_ARG_*`).
pub const A_OPTIONAL: u8 = 1 << 0;
pub const A_MULTIPLE: u8 = 1 << 1;
pub const A_MULTIPLE_TOKEN: u8 = 1 << 2;
const ARG_FLAG_NAMES: &[&str] = &["optional", "multiple", "multiple_token"];

/// Documentation flags (`CMD_DOC_*`).
pub const D_DEPRECATED: u8 = 1 << 0;
pub const D_SYSCMD: u8 = 1 << 1;
const DOC_FLAG_NAMES: &[&str] = &["deprecated", "syscmd"];

/// Argument types, indexes into [`ARG_TYPE_NAMES`] (Redis's `ARG_TYPE_*`).
pub type ArgType = u8;
pub const STRING: ArgType = 0;
pub const INTEGER: ArgType = 1;
pub const DOUBLE: ArgType = 2;
pub const KEY: ArgType = 3;
pub const PATTERN: ArgType = 4;
pub const UNIX_TIME: ArgType = 5;
pub const PURE_TOKEN: ArgType = 6;
pub const ONEOF: ArgType = 7;
pub const BLOCK: ArgType = 8;
const ARG_TYPE_NAMES: &[&str] = &[
    "string",
    "integer",
    "double",
    "key",
    "pattern",
    "unix-time",
    "pure-token",
    "oneof",
    "block",
];

/// Where the search for a key spec's keys starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BeginSearch {
    /// Not describable by a spec (SORT): GETKEYS falls back to code.
    Unknown,
    /// A fixed argument index.
    Index(i32),
    /// After `keyword`, searched from `startfrom` (negative: from the end,
    /// backwards).
    Keyword(&'static str, i32),
}

/// How the keys are found from the begin_search position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FindKeys {
    Unknown,
    /// `(lastkey, keystep, limit)`: lastkey relative to the first key, or
    /// negative from the end of argv; limit divides the remaining args.
    Range(i32, i32, i32),
    /// `(keynumidx, firstkey, keystep)`: the key count is the argument at
    /// keynumidx, the keys start at firstkey (both relative to begin_search).
    Keynum(i32, i32, i32),
}

/// One key spec (Redis 7 `keySpec`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeySpec {
    pub notes: Option<&'static str>,
    pub flags: u16,
    pub begin_search: BeginSearch,
    pub find_keys: FindKeys,
}

/// One node of a command's argument tree (COMMAND DOCS `arguments`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arg {
    pub name: &'static str,
    pub kind: ArgType,
    /// Index into the command's key specs, -1 for none; printed when set.
    pub key_spec_index: i32,
    pub token: Option<&'static str>,
    pub summary: Option<&'static str>,
    pub since: Option<&'static str>,
    pub flags: u8,
    pub deprecated_since: Option<&'static str>,
    /// Children of `oneof` and `block` arguments.
    pub arguments: &'static [Arg],
}

/// Everything COMMAND INFO / DOCS print beyond the table row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommandMeta {
    /// Full lower-case name (`config|get`); the data is sorted by it.
    pub name: &'static str,
    pub tips: &'static [&'static str],
    pub key_specs: &'static [KeySpec],
    pub doc_flags: u8,
    pub deprecated_since: Option<&'static str>,
    pub replaced_by: Option<&'static str>,
    /// `(version, change)` pairs.
    pub history: &'static [(&'static str, &'static str)],
    pub arguments: &'static [Arg],
}

// Const builders keep the generated data short: `m("get").specs(..)`.

const fn m(name: &'static str) -> CommandMeta {
    CommandMeta {
        name,
        tips: &[],
        key_specs: &[],
        doc_flags: 0,
        deprecated_since: None,
        replaced_by: None,
        history: &[],
        arguments: &[],
    }
}

impl CommandMeta {
    const fn tips(mut self, t: &'static [&'static str]) -> Self {
        self.tips = t;
        self
    }
    const fn specs(mut self, s: &'static [KeySpec]) -> Self {
        self.key_specs = s;
        self
    }
    const fn doc_flags(mut self, f: u8) -> Self {
        self.doc_flags = f;
        self
    }
    const fn deprecated(mut self, v: &'static str) -> Self {
        self.deprecated_since = Some(v);
        self
    }
    const fn replaced_by(mut self, v: &'static str) -> Self {
        self.replaced_by = Some(v);
        self
    }
    const fn history(mut self, h: &'static [(&'static str, &'static str)]) -> Self {
        self.history = h;
        self
    }
    const fn args(mut self, a: &'static [Arg]) -> Self {
        self.arguments = a;
        self
    }
}

const fn spec(flags: u16, begin_search: BeginSearch, find_keys: FindKeys) -> KeySpec {
    KeySpec {
        notes: None,
        flags,
        begin_search,
        find_keys,
    }
}

impl KeySpec {
    const fn notes(mut self, n: &'static str) -> Self {
        self.notes = Some(n);
        self
    }
}

const fn arg(name: &'static str, kind: ArgType) -> Arg {
    Arg {
        name,
        kind,
        key_spec_index: -1,
        token: None,
        summary: None,
        since: None,
        flags: 0,
        deprecated_since: None,
        arguments: &[],
    }
}

impl Arg {
    const fn ks(mut self, i: i32) -> Self {
        self.key_spec_index = i;
        self
    }
    const fn token(mut self, t: &'static str) -> Self {
        self.token = Some(t);
        self
    }
    #[allow(dead_code)] // No 7.0 argument has a summary yet; Redis prints it when present.
    const fn summary(mut self, s: &'static str) -> Self {
        self.summary = Some(s);
        self
    }
    const fn since(mut self, s: &'static str) -> Self {
        self.since = Some(s);
        self
    }
    const fn flags(mut self, f: u8) -> Self {
        self.flags = f;
        self
    }
    const fn deprecated(mut self, v: &'static str) -> Self {
        self.deprecated_since = Some(v);
        self
    }
    const fn args(mut self, a: &'static [Arg]) -> Self {
        self.arguments = a;
        self
    }
}

/// The metadata of a command by full lower-case name (`get`, `config|get`).
pub fn meta(full_name: &str) -> Option<&'static CommandMeta> {
    data::META
        .binary_search_by(|m| m.name.cmp(full_name))
        .ok()
        .map(|i| &data::META[i])
}

/// Key specs of a command (none when it has no metadata).
pub fn key_specs(full_name: &str) -> &'static [KeySpec] {
    meta(full_name).map_or(&[], |m| m.key_specs)
}

/// Redis marks a command `movablekeys` when some key spec is not a plain
/// index + range (keyword searches, key counts, unknown specs): clients
/// then have to ask COMMAND GETKEYS instead of using first/last/step.
fn movable_keys(full_name: &str) -> bool {
    key_specs(full_name).iter().any(|s| {
        !matches!(
            (s.begin_search, s.find_keys),
            (BeginSearch::Index(_), FindKeys::Range(..))
        )
    })
}

// ---------------------------------------------------------------------------
// COMMAND INFO and COMMAND DOCS entries
// ---------------------------------------------------------------------------

/// Our flags that Redis never prints (sentinel-mode and protection marks).
const INTERNAL_FLAGS: u32 = SENTINEL | ONLY_SENTINEL | PROTECTED;

/// A set of status replies for the bits of `flags` (bit i ↔ `names[i]`).
fn add_flag_set(c: &mut Client, flags: u32, names: &[&str]) {
    let set = |i: usize| flags & (1 << i) != 0;
    c.add_set_len((0..names.len()).filter(|&i| set(i)).count());
    for (i, n) in names.iter().enumerate() {
        if set(i) {
            c.add_simple(n.as_bytes());
        }
    }
}

/// One COMMAND INFO entry: `[name, arity, flags, first, last, step, acl
/// categories, tips, key specs, subcommands]`, subcommands nested in table
/// order (Redis uses its dict order, which changes with every restart).
pub fn add_info(c: &mut Client, cmd: &Command, full_name: &str) {
    let meta = meta(full_name);
    c.add_array_len(10);
    c.add_bulk(full_name.as_bytes());
    c.add_int(cmd.arity as i64);
    let mut flags = cmd.flags;
    if movable_keys(full_name) {
        flags |= MOVABLE_KEYS;
    }
    // FLAG_NAMES is in Redis's order.
    let shown: Vec<&str> = FLAG_NAMES
        .iter()
        .filter(|(f, _)| flags & f & !INTERNAL_FLAGS != 0)
        .map(|(_, n)| *n)
        .collect();
    c.add_set_len(shown.len());
    for f in shown {
        c.add_simple(f.as_bytes());
    }
    c.add_int(cmd.first_key as i64);
    c.add_int(cmd.last_key as i64);
    c.add_int(cmd.key_step as i64);
    let acl: Vec<&str> = cmd.acl.split(' ').filter(|s| !s.is_empty()).collect();
    c.add_set_len(acl.len());
    for a in acl {
        let mut cat = Vec::with_capacity(a.len() + 1);
        cat.push(b'@');
        cat.extend_from_slice(a.as_bytes());
        c.add_simple(&cat);
    }
    let tips = meta.map_or(&[][..], |m| m.tips);
    c.add_set_len(tips.len());
    for t in tips {
        c.add_bulk(t.as_bytes());
    }
    let specs = meta.map_or(&[][..], |m| m.key_specs);
    c.add_set_len(specs.len());
    for s in specs {
        add_key_spec(c, s);
    }
    if cmd.subcommands.is_empty() {
        c.add_set_len(0);
    } else {
        c.add_array_len(cmd.subcommands.len());
        for s in cmd.subcommands {
            add_info(c, s, &format!("{full_name}|{}", s.name));
        }
    }
}

/// A key spec map: `notes` (when present), `flags`, `begin_search`,
/// `find_keys`, each search a `{type, spec}` map.
fn add_key_spec(c: &mut Client, s: &KeySpec) {
    c.add_map_len(3 + usize::from(s.notes.is_some()));
    if let Some(n) = s.notes {
        c.add_bulk(b"notes");
        c.add_bulk(n.as_bytes());
    }
    c.add_bulk(b"flags");
    add_flag_set(c, s.flags as u32, KEY_FLAG_NAMES);
    c.add_bulk(b"begin_search");
    c.add_map_len(2);
    c.add_bulk(b"type");
    match s.begin_search {
        BeginSearch::Unknown => {
            c.add_bulk(b"unknown");
            c.add_bulk(b"spec");
            c.add_map_len(0);
        }
        BeginSearch::Index(i) => {
            c.add_bulk(b"index");
            c.add_bulk(b"spec");
            c.add_map_len(1);
            c.add_bulk(b"index");
            c.add_int(i as i64);
        }
        BeginSearch::Keyword(k, from) => {
            c.add_bulk(b"keyword");
            c.add_bulk(b"spec");
            c.add_map_len(2);
            c.add_bulk(b"keyword");
            c.add_bulk(k.as_bytes());
            c.add_bulk(b"startfrom");
            c.add_int(from as i64);
        }
    }
    c.add_bulk(b"find_keys");
    c.add_map_len(2);
    c.add_bulk(b"type");
    let (kind, fields) = match s.find_keys {
        FindKeys::Unknown => ("unknown", [("", 0); 3]),
        FindKeys::Range(last, step, limit) => (
            "range",
            [("lastkey", last), ("keystep", step), ("limit", limit)],
        ),
        FindKeys::Keynum(idx, first, step) => (
            "keynum",
            [("keynumidx", idx), ("firstkey", first), ("keystep", step)],
        ),
    };
    c.add_bulk(kind.as_bytes());
    c.add_bulk(b"spec");
    if kind == "unknown" {
        c.add_map_len(0);
        return;
    }
    c.add_map_len(3);
    for (name, v) in fields {
        c.add_bulk(name.as_bytes());
        c.add_int(v as i64);
    }
}

/// One COMMAND DOCS entry (the value; the caller writes the name): a map of
/// summary, since, group, then complexity, doc_flags, deprecated_since,
/// replaced_by, history, arguments and subcommands when present.
pub fn add_docs(c: &mut Client, cmd: &Command, full_name: &str) {
    let meta = meta(full_name);
    let doc_flags = meta.map_or(0, |m| m.doc_flags);
    let deprecated = meta.and_then(|m| m.deprecated_since);
    let replaced_by = meta.and_then(|m| m.replaced_by);
    let history = meta.map_or(&[][..], |m| m.history);
    let args = meta.map_or(&[][..], |m| m.arguments);
    let len = 3
        + usize::from(!cmd.complexity.is_empty())
        + usize::from(doc_flags != 0)
        + usize::from(deprecated.is_some())
        + usize::from(replaced_by.is_some())
        + usize::from(!history.is_empty())
        + usize::from(!args.is_empty())
        + usize::from(!cmd.subcommands.is_empty());
    c.add_map_len(len);
    for (k, v) in [
        ("summary", cmd.summary),
        ("since", cmd.since),
        ("group", cmd.group),
    ] {
        c.add_bulk(k.as_bytes());
        c.add_bulk(v.as_bytes());
    }
    if !cmd.complexity.is_empty() {
        c.add_bulk(b"complexity");
        c.add_bulk(cmd.complexity.as_bytes());
    }
    if doc_flags != 0 {
        c.add_bulk(b"doc_flags");
        add_flag_set(c, doc_flags as u32, DOC_FLAG_NAMES);
    }
    if let Some(v) = deprecated {
        c.add_bulk(b"deprecated_since");
        c.add_bulk(v.as_bytes());
    }
    if let Some(v) = replaced_by {
        c.add_bulk(b"replaced_by");
        c.add_bulk(v.as_bytes());
    }
    if !history.is_empty() {
        c.add_bulk(b"history");
        c.add_set_len(history.len());
        for (version, change) in history {
            c.add_array_len(2);
            c.add_bulk(version.as_bytes());
            c.add_bulk(change.as_bytes());
        }
    }
    if !args.is_empty() {
        c.add_bulk(b"arguments");
        add_args(c, args);
    }
    if !cmd.subcommands.is_empty() {
        c.add_bulk(b"subcommands");
        c.add_map_len(cmd.subcommands.len());
        for s in cmd.subcommands {
            let name = format!("{full_name}|{}", s.name);
            c.add_bulk(name.as_bytes());
            add_docs(c, s, &name);
        }
    }
}

/// An argument list: an array of maps with name, type, key_spec_index
/// (keys only), token, summary, since, flags, deprecated_since, and the
/// children of oneof/block arguments (always printed for those, even empty).
fn add_args(c: &mut Client, args: &[Arg]) {
    c.add_array_len(args.len());
    for a in args {
        // Printed for keys, and for the patterns that name keys (SORT BY/GET).
        let is_key = a.key_spec_index >= 0;
        let nested = a.kind == ONEOF || a.kind == BLOCK;
        let len = 2
            + usize::from(is_key)
            + usize::from(a.token.is_some())
            + usize::from(a.summary.is_some())
            + usize::from(a.since.is_some())
            + usize::from(a.flags != 0)
            + usize::from(a.deprecated_since.is_some())
            + usize::from(nested);
        c.add_map_len(len);
        c.add_bulk(b"name");
        c.add_bulk(a.name.as_bytes());
        c.add_bulk(b"type");
        let kind = ARG_TYPE_NAMES
            .get(a.kind as usize)
            .copied()
            .unwrap_or("string");
        c.add_bulk(kind.as_bytes());
        if is_key {
            c.add_bulk(b"key_spec_index");
            c.add_int(a.key_spec_index as i64);
        }
        for (k, v) in [
            ("token", a.token),
            ("summary", a.summary),
            ("since", a.since),
        ] {
            if let Some(v) = v {
                c.add_bulk(k.as_bytes());
                c.add_bulk(v.as_bytes());
            }
        }
        if a.flags != 0 {
            c.add_bulk(b"flags");
            add_flag_set(c, a.flags as u32, ARG_FLAG_NAMES);
        }
        if let Some(v) = a.deprecated_since {
            c.add_bulk(b"deprecated_since");
            c.add_bulk(v.as_bytes());
        }
        if nested {
            c.add_bulk(b"arguments");
            add_args(c, a.arguments);
        }
    }
}

// ---------------------------------------------------------------------------
// Key extraction (COMMAND GETKEYS / GETKEYSANDFLAGS)
// ---------------------------------------------------------------------------

/// A key found in an argv: its position and the key spec flags (0 when the
/// keys came from a per-command routine, as in Redis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef {
    pub pos: usize,
    pub flags: u16,
}

/// Writes the key spec flags of a key (COMMAND GETKEYSANDFLAGS).
pub fn add_key_flags(c: &mut Client, flags: u16) {
    add_flag_set(c, flags as u32, KEY_FLAG_NAMES);
}

/// Whether a command can have keys at all (Redis's doesCommandHaveKeys):
/// a spec that is not `not_key` (channels), or a per-command routine.
pub fn has_keys(full_name: &str) -> bool {
    key_specs(full_name)
        .iter()
        .any(|s| s.flags & K_NOT_KEY == 0)
        || native_kind(full_name).is_some()
}

/// The keys of `argv` (argv[0] is the command name; arity already checked),
/// as Redis 7.0's getKeysFromCommandWithSpecs finds them: from the key specs
/// when their flags are reliable, otherwise (or when a spec does not fit
/// this argv) from the command's own routine. An empty result means "no
/// keys", which GETKEYS reports as an error unless the command is flagged
/// no_mandatory_keys.
pub fn get_keys(full_name: &str, arity: i32, argv: &[&[u8]]) -> Vec<KeyRef> {
    let specs = key_specs(full_name);
    let has_keyspec = specs.iter().any(|s| s.flags & K_NOT_KEY == 0);
    let has_varflags = specs.iter().any(|s| s.flags & K_VARIABLE_FLAGS != 0);
    if has_keyspec && !has_varflags {
        if let Some(keys) = keys_from_specs(specs, arity, argv) {
            return keys;
        }
    }
    match native_kind(full_name) {
        Some(Native::Set) => set_keys(argv),
        Some(Native::Bitfield) => bitfield_keys(argv),
        Some(Native::Generic {
            store,
            count,
            first,
            step,
        }) => generic_keys(store, count, first, step, argv),
        None => Vec::new(),
    }
}

/// Walks the key specs; `None` when one does not fit the argv (unknown
/// type, missing or bad key count, keys out of range, incomplete spec).
fn keys_from_specs(specs: &[KeySpec], arity: i32, argv: &[&[u8]]) -> Option<Vec<KeyRef>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if spec.flags & K_NOT_KEY != 0 {
            continue;
        }
        let mut first: i64 = match spec.begin_search {
            BeginSearch::Index(i) => i as i64,
            BeginSearch::Keyword(word, from) => {
                match keyword_position(word, from as i64, argv) {
                    Some(p) => p + 1,
                    // Keyword absent: this spec has no keys here.
                    None => continue,
                }
            }
            BeginSearch::Unknown => return None,
        };
        let (last, step) = match spec.find_keys {
            FindKeys::Range(lastkey, step, limit) => {
                let (lastkey, limit) = (lastkey as i64, limit as i64);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (last, step as i64)
            }
            FindKeys::Keynum(idx, firstkey, step) => {
                let at = first + idx as i64;
                let n = argv.get(usize::try_from(at).ok()?)?;
                let n = crate::util::parse_i64(n).filter(|&n| n >= 0)?;
                first += firstkey as i64;
                (first.saturating_add(n) - 1, step as i64)
            }
            FindKeys::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc {
            return None;
        }
        let mut i = first;
        while i <= last {
            // Only commands with a variable arity can reach here with too
            // few arguments; Redis then skips the position.
            if i >= argc || i < first {
                if arity < 0 {
                    i += step.max(1);
                    continue;
                }
                return None;
            }
            keys.push(KeyRef {
                pos: i as usize,
                flags: spec.flags,
            });
            i += step.max(1);
        }
        if spec.flags & K_INCOMPLETE != 0 {
            return None;
        }
    }
    Some(keys)
}

/// Position of `word` (case-insensitive) searching from `from` (negative:
/// from the end backwards, down to argv[2]), as Redis's keyword search.
fn keyword_position(word: &str, from: i64, argv: &[&[u8]]) -> Option<i64> {
    let argc = argv.len() as i64;
    let start = if from > 0 { from } else { argc + from };
    let end = if from > 0 { argc - 1 } else { 1 };
    let mut i = start;
    while i != end {
        if i >= argc || i < 1 {
            break;
        }
        if argv[i as usize].eq_ignore_ascii_case(word.as_bytes()) {
            return Some(i);
        }
        i += if start <= end { 1 } else { -1 };
    }
    None
}

/// Commands whose keys Redis 7.0 can also find with code (a `getkeys_proc`)
/// among those whose specs we can describe. TODO(meta): SORT, MIGRATE,
/// BITFIELD, GEORADIUS and XREAD have routines of their own; add them with
/// the commands.
enum Native {
    /// SET: the key's flags depend on the GET option.
    Set,
    /// BITFIELD: read-only when every operation is a GET.
    Bitfield,
    /// Key-count commands (ZUNIONSTORE, LMPOP, SINTERCARD, EVAL...):
    /// Redis's genericGetKeys, positions of the destination, the count, the
    /// first key and the step.
    Generic {
        store: usize,
        count: usize,
        first: usize,
        step: usize,
    },
}

fn native_kind(full_name: &str) -> Option<Native> {
    match full_name {
        "set" => return Some(Native::Set),
        "bitfield" => return Some(Native::Bitfield),
        _ => {}
    }
    let specs = key_specs(full_name);
    // Every 7.0 command with a key-count spec has a genericGetKeys routine
    // matching it: the count spec gives count/first/step, a leading index
    // spec (ZUNIONSTORE's destination) gives the store key.
    let (begin, idx, firstkey, step) =
        specs
            .iter()
            .find_map(|s| match (s.begin_search, s.find_keys) {
                (BeginSearch::Index(b), FindKeys::Keynum(i, f, st)) => Some((b, i, f, st)),
                _ => None,
            })?;
    let store = specs
        .iter()
        .find_map(|s| match (s.begin_search, s.find_keys) {
            (BeginSearch::Index(b), FindKeys::Range(0, _, _)) => Some(b as usize),
            _ => None,
        })
        .unwrap_or(0);
    Some(Native::Generic {
        store,
        count: (begin + idx).max(0) as usize,
        first: (begin + firstkey).max(0) as usize,
        step: step.max(1) as usize,
    })
}

/// Redis's setGetKeys: the key is always argv[1]; RW access update when a
/// GET option follows the value, otherwise OW update.
fn set_keys(argv: &[&[u8]]) -> Vec<KeyRef> {
    let get = argv.iter().skip(3).any(|a| {
        // Redis compares a C string, so bytes after a NUL do not count.
        let a = a.split(|&b| b == 0).next().unwrap_or(&[]);
        a.eq_ignore_ascii_case(b"get")
    });
    let flags = if get {
        K_RW | K_ACCESS | K_UPDATE
    } else {
        K_OW | K_UPDATE
    };
    vec![KeyRef { pos: 1, flags }]
}

/// Redis's bitfieldGetKeys: the key is argv[1]; RO access while the
/// operations are GETs and OVERFLOWs with their arguments, RW access update
/// from the first SET or INCRBY, or anything it cannot read (a syntax
/// error might be a write).
fn bitfield_keys(argv: &[&[u8]]) -> Vec<KeyRef> {
    let mut read_only = true;
    let mut i = 2;
    while i < argv.len() {
        let rest = argv.len() - i - 1;
        // C-string comparisons, as in set_keys.
        let a = argv[i].split(|&b| b == 0).next().unwrap_or(&[]);
        let is = |name: &str| a.eq_ignore_ascii_case(name.as_bytes());
        if is("get") && rest >= 2 {
            i += 3;
        } else if is("overflow") && rest >= 1 {
            i += 2;
        } else {
            read_only = false;
            break;
        }
    }
    let flags = if read_only {
        K_RO | K_ACCESS
    } else {
        K_RW | K_ACCESS | K_UPDATE
    };
    vec![KeyRef { pos: 1, flags }]
}

/// Redis's genericGetKeys: `atoi` of the count (no keys when it is below 1
/// or more than the arguments left), the keys, then the destination; no
/// flags.
fn generic_keys(
    store: usize,
    count: usize,
    first: usize,
    step: usize,
    argv: &[&[u8]],
) -> Vec<KeyRef> {
    let Some(n) = argv.get(count) else {
        return Vec::new();
    };
    let num = atoi(n);
    let room = (argv.len().saturating_sub(first) / step) as i64;
    if num < 1 || num > room {
        return Vec::new();
    }
    let mut keys: Vec<KeyRef> = (0..num as usize)
        .map(|i| KeyRef {
            pos: first + i * step,
            flags: 0,
        })
        .collect();
    if store != 0 {
        keys.push(KeyRef {
            pos: store,
            flags: 0,
        });
    }
    keys
}

/// C's `atoi`: optional blanks and sign, then digits up to the first other
/// byte; saturates instead of overflowing.
fn atoi(s: &[u8]) -> i64 {
    let s = s
        .iter()
        .position(|b| !b" \t\n\r\x0b\x0c".contains(b))
        .map_or(&[][..], |i| &s[i..]);
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &b in digits.iter().take_while(|b| b.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add((b - b'0') as i64);
    }
    if neg {
        -v
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_sorted_and_unique() {
        for w in data::META.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn every_table_row_has_metadata() {
        for c in super::super::COMMANDS {
            let mut names = vec![c.name.to_string()];
            names.extend(
                c.subcommands
                    .iter()
                    .map(|s| format!("{}|{}", c.name, s.name)),
            );
            for n in names {
                assert!(
                    meta(&n).is_some() || data::UNKNOWN_TO_REDIS.contains(&n.as_str()),
                    "no metadata for {n}: rerun scripts/gen-command-meta.py"
                );
            }
        }
    }

    #[test]
    fn key_spec_indexes_are_in_range() {
        fn walk(args: &[Arg], n: usize, name: &str) {
            for a in args {
                if a.kind == KEY {
                    assert!((a.key_spec_index as usize) < n, "{name}: {}", a.name);
                }
                walk(a.arguments, n, name);
            }
        }
        for m in data::META {
            walk(m.arguments, m.key_specs.len(), m.name);
        }
    }

    fn positions(name: &str, arity: i32, argv: &[&str]) -> Vec<usize> {
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        get_keys(name, arity, &argv).iter().map(|k| k.pos).collect()
    }

    #[test]
    fn keys_from_range_specs() {
        assert_eq!(positions("get", 2, &["get", "k"]), vec![1]);
        assert_eq!(
            positions("mset", -3, &["mset", "a", "1", "b", "2"]),
            vec![1, 3]
        );
        assert_eq!(positions("mset", -3, &["mset", "a", "1", "b"]), vec![1, 3]);
        assert_eq!(positions("del", -2, &["del", "a", "b", "c"]), vec![1, 2, 3]);
        assert_eq!(
            positions("object|encoding", 3, &["object", "encoding", "k"]),
            vec![2]
        );
        assert!(positions("config|get", -3, &["config", "get", "x"]).is_empty());
    }

    #[test]
    fn set_flags_follow_get() {
        let argv: Vec<&[u8]> = vec![b"set", b"k", b"v", b"GeT"];
        assert_eq!(
            get_keys("set", -3, &argv)[0].flags,
            K_RW | K_ACCESS | K_UPDATE
        );
        assert_eq!(get_keys("set", -3, &argv[..3])[0].flags, K_OW | K_UPDATE);
    }

    fn argv<'a>(a: &[&'a str]) -> Vec<&'a [u8]> {
        a.iter().map(|s| s.as_bytes()).collect()
    }

    /// ZUNIONSTORE's specs: the destination, then `numkeys` keys.
    const ZUNIONSTORE: &[KeySpec] = &[
        spec(
            K_OW | K_UPDATE,
            BeginSearch::Index(1),
            FindKeys::Range(0, 1, 0),
        ),
        spec(
            K_RO | K_ACCESS,
            BeginSearch::Index(2),
            FindKeys::Keynum(0, 1, 1),
        ),
    ];

    #[test]
    fn keys_from_keynum_specs() {
        let pos = |a: &[&str]| {
            keys_from_specs(ZUNIONSTORE, -4, &argv(a))
                .map(|k| k.iter().map(|k| k.pos).collect::<Vec<_>>())
        };
        assert_eq!(
            pos(&["zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"]),
            Some(vec![1, 3, 4])
        );
        // Zero, negative, unparsable or too many keys: the specs give up.
        assert_eq!(pos(&["zunionstore", "d", "0", "a"]), None);
        assert_eq!(pos(&["zunionstore", "d", "-1", "a"]), None);
        assert_eq!(pos(&["zunionstore", "d", "2abc", "a", "b"]), None);
        assert_eq!(pos(&["zunionstore", "d", "3", "a", "b"]), None);
        assert_eq!(pos(&["zunionstore", "d", "9223372036854775807", "a"]), None);
    }

    #[test]
    fn generic_fallback_is_atoi_based() {
        // Redis's genericGetKeys(1, 2, 3, 1): keys then destination, no flags.
        let keys = generic_keys(1, 2, 3, 1, &argv(&["zunionstore", "d", "2abc", "a", "b"]));
        let pos: Vec<usize> = keys.iter().map(|k| k.pos).collect();
        assert_eq!(pos, vec![3, 4, 1]);
        assert!(keys.iter().all(|k| k.flags == 0));
        assert!(generic_keys(1, 2, 3, 1, &argv(&["zunionstore", "d", "0", "a"])).is_empty());
        assert!(generic_keys(1, 2, 3, 1, &argv(&["zunionstore", "d", "5", "a"])).is_empty());
        assert!(generic_keys(0, 9, 10, 1, &argv(&["x"])).is_empty());
    }

    #[test]
    fn keys_from_keyword_specs() {
        // GEORADIUS's STORE key: keyword searched backwards from the end.
        let specs = &[
            spec(
                K_RO | K_ACCESS,
                BeginSearch::Index(1),
                FindKeys::Range(0, 1, 0),
            ),
            spec(
                K_OW | K_UPDATE,
                BeginSearch::Keyword("STORE", 6),
                FindKeys::Range(0, 1, 0),
            ),
        ];
        let a = argv(&["georadius", "k", "0", "0", "1", "km", "STORE", "dst"]);
        let pos: Vec<usize> = keys_from_specs(specs, -6, &a)
            .unwrap()
            .iter()
            .map(|k| k.pos)
            .collect();
        assert_eq!(pos, vec![1, 7]);
        // No keyword: only the first spec's key.
        let a = argv(&["georadius", "k", "0", "0", "1", "km"]);
        assert_eq!(keys_from_specs(specs, -6, &a).unwrap().len(), 1);
        // Keyword as the last argument: Redis's search stops before it.
        let a = argv(&["georadius", "k", "0", "0", "1", "km", "STORE"]);
        assert_eq!(keys_from_specs(specs, -6, &a).unwrap().len(), 1);
        // Negative startfrom searches backwards.
        let specs = &[spec(
            K_RO,
            BeginSearch::Keyword("STREAMS", -2),
            FindKeys::Range(-1, 1, 2),
        )];
        let a = argv(&["xread", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"]);
        let pos: Vec<usize> = keys_from_specs(specs, -4, &a)
            .unwrap()
            .iter()
            .map(|k| k.pos)
            .collect();
        assert_eq!(pos, vec![4, 5]);
    }

    #[test]
    fn atoi_is_c_like() {
        assert_eq!(atoi(b"2abc"), 2);
        assert_eq!(atoi(b"  -7"), -7);
        assert_eq!(atoi(b"x"), 0);
        assert_eq!(atoi(b"99999999999999999999999"), i64::MAX);
    }
}
