//! The command table and dispatch.
//!
//! One static table holds, per command, the wire name, the handler, the arity
//! (Redis's sign rule: `-N` means "at least N arguments"), the flags and the
//! key positions. Dispatch and COMMAND INFO/COUNT/LIST both read this table,
//! so what we say about a command can never disagree with what we do.
//! Container commands (CONFIG, CLIENT, OBJECT...) carry a sub-table that is
//! searched with the second argument, as Redis 7 does (`config|get`).
//!
//! Every handler has the shape `fn(&mut Ctx, &[&[u8]]) -> CmdResult`:
//! it appends its reply to the client and returns `Err` with Redis's message
//! for a reply error (the caller writes it, counts it in errorstats and keeps
//! the connection open).

pub mod bitops;
pub mod blocking;
pub mod cluster;
pub mod connection;
pub mod expire;
pub mod geo;
pub mod hash;
pub mod hyperloglog;
pub mod keys;
pub mod list;
pub mod meta;
pub mod multi;
pub mod pubsub;
pub mod replicaof;
pub mod replication;
pub mod server;
pub mod set;
pub mod sort;
pub mod stream;
pub mod stream_group;
pub mod stream_read;
pub mod string;
mod table;
pub mod zset;

use std::borrow::Cow;

use crate::client::Client;
use crate::server::Server;

pub use table::COMMANDS;

/// A reply error: Redis's full message including its code (`ERR ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdError(pub Cow<'static, str>);

impl From<&'static str> for CmdError {
    fn from(s: &'static str) -> Self {
        CmdError(Cow::Borrowed(s))
    }
}

impl From<String> for CmdError {
    fn from(s: String) -> Self {
        CmdError(Cow::Owned(s))
    }
}

pub type CmdResult = Result<(), CmdError>;

/// What a handler works with: the whole server state and the calling client,
/// which is taken out of the client table while it runs (so both can be
/// borrowed mutably at once), plus the time of the command.
pub struct Ctx<'a> {
    pub srv: &'a mut Server,
    pub c: &'a mut Client,
    /// Unix time in ms, read once per command so the whole command sees one clock.
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// Raise a keyspace event for `key` in `db` (`class` from
    /// `server::notify`), delivered to the calling client too when it is
    /// subscribed to it.
    pub fn notify(&mut self, class: u8, event: &str, key: &[u8], db: usize) {
        self.srv
            .notify_keyspace_event_from(Some(self.c), class, event, key, db);
    }
}

pub type Handler = fn(&mut Ctx, &[&[u8]]) -> CmdResult;

/// Command flags (COMMAND INFO's second field). Names in [`FLAG_NAMES`].
pub mod flags {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const PUBSUB: u32 = 1 << 4;
    pub const NOSCRIPT: u32 = 1 << 5;
    pub const BLOCKING: u32 = 1 << 6;
    pub const LOADING: u32 = 1 << 7;
    pub const STALE: u32 = 1 << 8;
    pub const SKIP_MONITOR: u32 = 1 << 9;
    pub const SKIP_SLOWLOG: u32 = 1 << 10;
    pub const FAST: u32 = 1 << 11;
    pub const NO_AUTH: u32 = 1 << 12;
    pub const MAY_REPLICATE: u32 = 1 << 13;
    pub const SENTINEL: u32 = 1 << 14;
    pub const ONLY_SENTINEL: u32 = 1 << 15;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 16;
    pub const PROTECTED: u32 = 1 << 17;
    pub const NO_ASYNC_LOADING: u32 = 1 << 18;
    pub const NO_MULTI: u32 = 1 << 19;
    pub const MOVABLE_KEYS: u32 = 1 << 20;
    pub const ALLOW_BUSY: u32 = 1 << 21;
    pub const ASKING: u32 = 1 << 22;
    // Internal flags, not reported by COMMAND INFO.
    /// Allowed while a RESP2 client is subscribed (PING, (P)SUBSCRIBE...).
    pub const PUBSUB_CONTEXT: u32 = 1 << 28;
    /// Runs immediately inside MULTI instead of being queued.
    pub const MULTI_CONTROL: u32 = 1 << 29;
}

/// Wire names of the flags, in the order Redis lists them.
pub const FLAG_NAMES: &[(u32, &str)] = &[
    (flags::WRITE, "write"),
    (flags::READONLY, "readonly"),
    (flags::DENYOOM, "denyoom"),
    (flags::ADMIN, "admin"),
    (flags::PUBSUB, "pubsub"),
    (flags::NOSCRIPT, "noscript"),
    (flags::BLOCKING, "blocking"),
    (flags::LOADING, "loading"),
    (flags::STALE, "stale"),
    (flags::SKIP_MONITOR, "skip_monitor"),
    (flags::SKIP_SLOWLOG, "skip_slowlog"),
    (flags::ASKING, "asking"),
    (flags::FAST, "fast"),
    (flags::NO_AUTH, "no_auth"),
    (flags::MAY_REPLICATE, "may_replicate"),
    (flags::SENTINEL, "sentinel"),
    (flags::ONLY_SENTINEL, "only_sentinel"),
    (flags::NO_MANDATORY_KEYS, "no_mandatory_keys"),
    (flags::PROTECTED, "protected"),
    (flags::NO_ASYNC_LOADING, "no_async_loading"),
    (flags::NO_MULTI, "no_multi"),
    (flags::MOVABLE_KEYS, "movablekeys"),
    (flags::ALLOW_BUSY, "allow_busy"),
];

/// One row of the command table.
pub struct Command {
    /// Lower-case wire name (`get`, or `get` inside CONFIG's sub-table).
    pub name: &'static str,
    pub handler: Handler,
    /// Redis arity: N exactly, or -N for at least N (the name counts).
    pub arity: i32,
    pub flags: u32,
    /// ACL categories without the `@`, space separated (`read string fast`).
    pub acl: &'static str,
    /// Key positions: first, last (negative counts from the end), step.
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    /// Container commands: the table of subcommands.
    pub subcommands: &'static [Command],
    /// COMMAND DOCS facts.
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
}

impl Command {
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// Whether `argc` arguments (including the name) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let a = self.arity;
        (a > 0 && argc as i32 == a) || (a < 0 && argc as i32 >= -a)
    }

    /// Look a subcommand up by name, case-insensitively.
    pub fn subcommand(&self, name: &[u8]) -> Option<&'static Command> {
        self.subcommands
            .iter()
            .find(|c| c.name.as_bytes().eq_ignore_ascii_case(name))
    }

    /// Positions of the keys among `argv`, from first/last/step (the commands
    /// with movable keys compute theirs in [`get_keys`]).
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if self.first_key <= 0 {
            return out;
        }
        let last = if self.last_key < 0 {
            argc as i32 + self.last_key
        } else {
            self.last_key
        };
        let mut i = self.first_key;
        while i <= last && (i as usize) < argc {
            out.push(i as usize);
            i += self.key_step.max(1);
        }
        out
    }
}

/// A database index argument, parsed as Redis's getIntFromObjectOrReply:
/// an integer that fits a C int, else `invalid` (or, without one, Redis's
/// generic messages for each case). The range of DBs is checked apart.
pub fn parse_db_arg(a: &[u8], invalid: Option<&'static str>) -> Result<i64, CmdError> {
    let v = crate::util::parse_i64(a).ok_or(invalid.unwrap_or(crate::resp::errors::NOT_INTEGER))?;
    if v < i32::MIN as i64 || v > i32::MAX as i64 {
        return Err(invalid.unwrap_or(crate::resp::errors::INT_RANGE).into());
    }
    Ok(v)
}

/// An index from [`parse_db_arg`] as a DB of this server.
pub fn db_in_range(v: i64, ndbs: usize) -> Result<usize, CmdError> {
    usize::try_from(v)
        .ok()
        .filter(|&i| i < ndbs)
        .ok_or_else(|| crate::resp::errors::DB_INDEX_RANGE.into())
}

/// A DB index argument of SELECT, MOVE or COPY: [`parse_db_arg`] with
/// Redis's generic messages, then [`db_in_range`].
pub fn arg_db_index(a: &[u8], ndbs: usize) -> Result<usize, CmdError> {
    db_in_range(parse_db_arg(a, None)?, ndbs)
}

/// A LIMIT argument (SINTERCARD, ZINTERCARD): a non-negative integer, 0
/// meaning no limit; anything else is Redis's "LIMIT can't be negative".
pub fn arg_limit(a: &[u8]) -> Result<u64, CmdError> {
    match crate::util::parse_i64(a) {
        Some(n) if n >= 0 => Ok(n as u64),
        _ => Err("ERR LIMIT can't be negative".into()),
    }
}

/// Convenience for handlers: parse an integer argument or fail with Redis's
/// "value is not an integer or out of range".
pub fn arg_i64(a: &[u8]) -> Result<i64, CmdError> {
    crate::util::parse_i64(a).ok_or_else(|| crate::resp::errors::NOT_INTEGER.into())
}

/// Case-insensitive comparison of an argument with an option name.
#[inline]
pub fn is(arg: &[u8], name: &str) -> bool {
    arg.eq_ignore_ascii_case(name.as_bytes())
}

/// Handler of a container command (CONFIG, CLIENT, OBJECT, SLOWLOG) called
/// without a known subcommand. Dispatch normally answers these itself; this
/// keeps the table total.
pub fn container(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let _ = ctx;
    let name = String::from_utf8_lossy(argv[0]).to_string();
    match argv.get(1) {
        Some(sub) => Err(crate::resp::errors::unknown_subcommand(sub, &name).into()),
        None => Err(crate::resp::errors::wrong_arity(&name.to_ascii_lowercase()).into()),
    }
}
