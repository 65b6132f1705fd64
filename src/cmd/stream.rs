//! Stream commands (Redis's `t_stream.c`): XADD XLEN XRANGE XREVRANGE XDEL
//! XTRIM XSETID XINFO.
//!
//! The value type lives in `db::stream`; this file parses arguments in
//! Redis's order (which error wins matters to clients), replies in RESP2
//! and RESP3, raises the keyspace events Redis raises (`xadd`, `xtrim`,
//! `xdel`, `xsetid`) and rewrites what replicas and the AOF receive so they
//! end with the same stream: XADD with `*` or `<ms>-*` is propagated with
//! the ID it got, and an approximate trim (`~`, whose effect depends on the
//! node layout) as the exact trim it turned out to be.

use crate::cmd::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::stream::{AppendError, ConsumerGroup, Stream, StreamId, Trim, ENTRIES_READ_UNKNOWN};
use crate::db::Value;
use crate::persist::listpack::Entry;
use crate::resp::{errors, reply};
use crate::server::{notify, Server};
use crate::util::{parse_i64, write_i64};

const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";
const NO_SUCH_KEY: &str = "ERR no such key";

// ---------------------------------------------------------------------------
// IDs
// ---------------------------------------------------------------------------

/// An ID part as Redis's string2ull reads it: a canonical integer, or else
/// what strtoull(3) accepts whole (leading blanks, a sign, leading zeros;
/// a minus sign wraps, as in C).
fn parse_u64_part(s: &[u8]) -> Option<u64> {
    if let Some(v) = parse_i64(s) {
        return u64::try_from(v).ok();
    }
    let mut rest = s;
    while let [b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r', tail @ ..] = rest {
        rest = tail;
    }
    let negative = match rest.first() {
        Some(b'-') => {
            rest = &rest[1..];
            true
        }
        Some(b'+') => {
            rest = &rest[1..];
            false
        }
        _ => false,
    };
    if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in rest {
        v = v.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(if negative { v.wrapping_neg() } else { v })
}

/// A stream ID argument (streamGenericParseIDOrReply): `-`, `+` (refused
/// when `strict`), `<ms>`, `<ms>-<seq>`, and with `star_seq` `<ms>-*`.
/// A missing sequence is `missing_seq`. Returns the ID and whether its
/// sequence was given (false only for `<ms>-*`).
pub(super) fn parse_id_full(
    a: &[u8],
    missing_seq: u64,
    strict: bool,
    star_seq: bool,
) -> Result<(StreamId, bool), CmdError> {
    // Redis copies the argument into a 128-byte C string.
    if a.len() > 127 {
        return Err(INVALID_ID.into());
    }
    let a = &a[..memchr::memchr(0, a).unwrap_or(a.len())];
    match a {
        b"-" | b"+" if strict => Err(INVALID_ID.into()),
        b"-" => Ok((StreamId::MIN, true)),
        b"+" => Ok((StreamId::MAX, true)),
        _ => {
            let (ms, seq) = match memchr::memchr(b'-', a) {
                Some(dash) => (&a[..dash], Some(&a[dash + 1..])),
                None => (a, None),
            };
            let ms = parse_u64_part(ms).ok_or(INVALID_ID)?;
            match seq {
                Some(b"*") if star_seq => Ok((StreamId::new(ms, 0), false)),
                Some(seq) => Ok((
                    StreamId::new(ms, parse_u64_part(seq).ok_or(INVALID_ID)?),
                    true,
                )),
                None => Ok((StreamId::new(ms, missing_seq), true)),
            }
        }
    }
}

/// An ID where `-` and `+` make no sense (XDEL, XSETID, MINID).
pub(super) fn parse_strict_id(a: &[u8]) -> Result<StreamId, CmdError> {
    parse_id_full(a, 0, true, false).map(|(id, _)| id)
}

/// A range bound of XRANGE: an ID, or `(ID` for an exclusive one.
/// Returns the ID and whether it is exclusive.
pub(super) fn parse_interval_id(a: &[u8], missing_seq: u64) -> Result<(StreamId, bool), CmdError> {
    if a.len() > 1 && a[0] == b'(' {
        Ok((parse_id_full(&a[1..], missing_seq, true, false)?.0, true))
    } else {
        Ok((parse_id_full(a, missing_seq, false, false)?.0, false))
    }
}

// ---------------------------------------------------------------------------
// Lookups and replies
// ---------------------------------------------------------------------------

pub(super) fn lookup_stream<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a Stream>, CmdError> {
    match srv.lookup_read(db, key, now) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

pub(super) fn lookup_stream_mut<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a mut Stream>, CmdError> {
    match srv.lookup_write(db, key, now) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// Appends a listpack element as a bulk string (integers in decimal).
fn bulk_entry(out: &mut Vec<u8>, e: &Entry<'_>) {
    match e {
        Entry::Str(s) => reply::bulk(out, s),
        Entry::Int(v) => reply::bulk_i64(out, *v),
    }
}

pub(super) fn bulk_id(out: &mut Vec<u8>, id: StreamId) {
    let mut tmp = Vec::with_capacity(41);
    id.write(&mut tmp);
    reply::bulk(out, &tmp);
}

/// One entry as XRANGE shows it: `[id, [field, value, ...]]`.
pub(super) fn entry_reply(out: &mut Vec<u8>, id: StreamId, pairs: &[(Entry<'_>, Entry<'_>)]) {
    reply::array_len(out, 2);
    bulk_id(out, id);
    reply::array_len(out, pairs.len() * 2);
    for (f, v) in pairs {
        bulk_entry(out, f);
        bulk_entry(out, v);
    }
}

/// Entries of `s` in `start..=end` (descending with `rev`), at most
/// `count` of them (0: all), as an array.
fn range_reply(
    out: &mut Vec<u8>,
    s: &Stream,
    start: StreamId,
    end: StreamId,
    rev: bool,
    count: u64,
) -> u64 {
    let mut body = Vec::new();
    let mut n = 0u64;
    s.scan(start, end, rev, |id, pairs| {
        entry_reply(&mut body, id, pairs);
        n += 1;
        count == 0 || n < count
    });
    reply::array_len(out, n as usize);
    out.extend_from_slice(&body);
    n
}

// ---------------------------------------------------------------------------
// XADD / XTRIM
// ---------------------------------------------------------------------------

/// XADD and XTRIM options (streamParseAddOrTrimArgsOrReply).
struct AddTrimArgs {
    trim: Option<Trim>,
    approx: bool,
    /// Entries a trim may remove (0: no cap).
    limit: u64,
    /// Index of the MAXLEN/MINID threshold (for the rewrite).
    trim_arg: usize,
    no_mkstream: bool,
    id: Option<StreamId>,
    seq_given: bool,
    /// Index of the ID argument (XADD).
    id_pos: usize,
}

fn parse_add_trim(ctx: &Ctx, argv: &[&[u8]], xadd: bool) -> Result<AddTrimArgs, CmdError> {
    let mut a = AddTrimArgs {
        trim: None,
        approx: false,
        limit: 0,
        trim_arg: 0,
        no_mkstream: false,
        id: None,
        seq_given: true,
        id_pos: 0,
    };
    let mut limit: Option<i64> = None;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = argv[i];
        if xadd && opt == b"*" {
            break;
        } else if (is(opt, "maxlen") || is(opt, "minid")) && more > 0 {
            if a.trim.is_some() {
                return Err("ERR syntax error, MAXLEN and MINID options at the same time are not compatible".into());
            }
            a.approx = false;
            let next = argv[i + 1];
            if more >= 2 && (next == b"~" || next == b"=") {
                a.approx = next == b"~";
                i += 1;
            }
            let v = argv[i + 1];
            a.trim = Some(if is(opt, "maxlen") {
                let n = arg_i64(v)?;
                if n < 0 {
                    return Err("ERR The MAXLEN argument must be >= 0.".into());
                }
                Trim::MaxLen(n as u64)
            } else {
                Trim::MinId(parse_strict_id(v)?)
            });
            i += 1;
            a.trim_arg = i;
        } else if is(opt, "limit") && more > 0 {
            let n = arg_i64(argv[i + 1])?;
            if n < 0 {
                return Err("ERR The LIMIT argument must be >= 0.".into());
            }
            limit = Some(n);
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            a.no_mkstream = true;
        } else if xadd {
            let (id, seq_given) = parse_id_full(opt, 0, true, true)?;
            a.id = Some(id);
            a.seq_given = seq_given;
            break;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    a.id_pos = i;
    if limit.is_some_and(|n| n > 0) && a.trim.is_none() {
        return Err(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy".into(),
        );
    }
    if !xadd && a.trim.is_none() {
        return Err("ERR syntax error, XTRIM must be called with a trimming strategy".into());
    }
    if ctx.c.obeys_unconditionally() {
        // The master or the AOF sent the trim already made exact.
        a.limit = 0;
    } else if let Some(n) = limit {
        if !a.approx {
            return Err(
                "ERR syntax error, LIMIT cannot be used without the special ~ option".into(),
            );
        }
        a.limit = n as u64;
    } else if a.approx {
        // Keep an approximate trim's work bounded (100 nodes' worth).
        let n = 100i64.saturating_mul(ctx.srv.config.stream_node_max_entries);
        a.limit = if n <= 0 { 10_000 } else { n.min(1_000_000) } as u64;
    }
    Ok(a)
}

/// After an approximate trim, what replicas get instead: `=` for `~` and
/// the length (MAXLEN) or first ID (MINID) the stream now has, so they
/// trim to exactly the same place whatever their node layout.
fn rewrite_trim(argv: &mut [Vec<u8>], a: &AddTrimArgs, s: &Stream) {
    argv[a.trim_arg - 1] = b"=".to_vec();
    argv[a.trim_arg] = match a.trim {
        Some(Trim::MinId(_)) => s.first_id.to_vec(),
        _ => {
            let mut v = Vec::new();
            write_i64(&mut v, s.len() as i64);
            v
        }
    };
}

fn owned(argv: &[&[u8]]) -> Vec<Vec<u8>> {
    argv.iter().map(|a| a.to_vec()).collect()
}

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]]
/// *|id field value [field value ...] → the new entry's ID.
pub fn xadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = parse_add_trim(ctx, argv, true)?;
    let field_pos = a.id_pos + 1;
    if field_pos > argv.len() || argv.len() - field_pos < 2 || (argv.len() - field_pos) % 2 == 1 {
        return Err(errors::wrong_arity("xadd").into());
    }
    if a.seq_given && a.id == Some(StreamId::MIN) {
        return Err("ERR The ID specified in XADD must be greater than 0-0".into());
    }
    let db = ctx.c.db;
    let key = argv[1];
    let (max_bytes, max_entries) = (
        ctx.srv.config.stream_node_max_bytes.max(0) as usize,
        ctx.srv.config.stream_node_max_entries,
    );
    let now = ctx.now_ms;
    if lookup_stream_mut(ctx.srv, db, key, now)?.is_none() {
        if a.no_mkstream {
            ctx.c.add_null();
            return Ok(());
        }
        ctx.srv.db_add(db, key, Value::Stream(Box::default()));
    }
    let Some(Value::Stream(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(errors::WRONGTYPE.into());
    };
    if s.last_id == StreamId::MAX {
        return Err(
            "ERR The stream has exhausted the last possible ID, unable to add more items".into(),
        );
    }
    let appended = s
        .next_id(a.id, a.seq_given, now.max(0) as u64)
        .and_then(|id| {
            s.append(id, &argv[field_pos..], max_bytes, max_entries)
                .map(|_| id)
        });
    let id = match appended {
        Ok(id) => id,
        Err(AppendError::IdTooSmall) => {
            return Err(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item"
                    .into(),
            )
        }
        Err(AppendError::TooLarge) => return Err("ERR Elements are too large to be stored".into()),
    };
    let mut rewritten = None;
    let trimmed = match a.trim {
        Some(trim) => {
            let n = s.trim(trim, a.approx, a.limit);
            if a.approx {
                let mut v = owned(argv);
                rewrite_trim(&mut v, &a, s);
                rewritten = Some(v);
            }
            n
        }
        None => 0,
    };
    bulk_id(ctx.c.out(), id);
    ctx.notify(notify::STREAM, "xadd", key, db);
    if trimmed > 0 {
        ctx.notify(notify::STREAM, "xtrim", key, db);
    }
    ctx.srv.mark_dirty(1);
    // Readers blocked in XREAD/XREADGROUP on this key run again.
    ctx.srv.signal_key_ready(db, key);
    if a.id.is_none() || !a.seq_given {
        let v = rewritten.get_or_insert_with(|| owned(argv));
        v[a.id_pos] = id.to_vec();
    }
    if let Some(v) = rewritten {
        ctx.srv.propagate_instead(db, v);
    }
    Ok(())
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] → entries removed.
pub fn xtrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = parse_add_trim(ctx, argv, false)?;
    let db = ctx.c.db;
    let key = argv[1];
    let Some(s) = lookup_stream_mut(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let Some(trim) = a.trim else {
        return Err(errors::SYNTAX.into());
    };
    let deleted = s.trim(trim, a.approx, a.limit);
    if deleted > 0 {
        let rewritten = a.approx.then(|| {
            let mut v = owned(argv);
            rewrite_trim(&mut v, &a, s);
            v
        });
        ctx.notify(notify::STREAM, "xtrim", key, db);
        if let Some(v) = rewritten {
            ctx.srv.propagate_instead(db, v);
        }
        ctx.srv.mark_dirty(deleted);
    }
    ctx.c.add_int(deleted as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------

/// XLEN key → live entries.
pub fn xlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let n = lookup_stream(ctx.srv, db, argv[1], ctx.now_ms)?.map_or(0, |s| s.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

fn xrange_generic(ctx: &mut Ctx, argv: &[&[u8]], rev: bool) -> CmdResult {
    let (start_arg, end_arg) = if rev {
        (argv[3], argv[2])
    } else {
        (argv[2], argv[3])
    };
    let (mut start, start_ex) = parse_interval_id(start_arg, 0)?;
    if start_ex {
        start = start
            .next()
            .ok_or("ERR invalid start ID for the interval")?;
    }
    let (mut end, end_ex) = parse_interval_id(end_arg, u64::MAX)?;
    if end_ex {
        end = end.prev().ok_or("ERR invalid end ID for the interval")?;
    }
    let mut count: i64 = -1;
    let mut j = 4;
    while j < argv.len() {
        if is(argv[j], "count") && j + 1 < argv.len() {
            count = arg_i64(argv[j + 1])?.max(0);
            j += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let db = ctx.c.db;
    let resp = ctx.c.resp;
    let Some(s) = lookup_stream(ctx.srv, db, argv[1], ctx.now_ms)? else {
        ctx.c.add_array_len(0);
        return Ok(());
    };
    if count == 0 {
        reply::null_array(ctx.c.out(), resp);
        return Ok(());
    }
    range_reply(ctx.c.out(), s, start, end, rev, count.max(0) as u64);
    Ok(())
}

/// XRANGE key start end [COUNT count]
pub fn xrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    xrange_generic(ctx, argv, false)
}

/// XREVRANGE key end start [COUNT count]
pub fn xrevrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    xrange_generic(ctx, argv, true)
}

// ---------------------------------------------------------------------------
// XDEL / XSETID
// ---------------------------------------------------------------------------

/// XDEL key id [id ...] → entries deleted. Every ID is parsed before any
/// is deleted (Redis's order), and the stream stays even when emptied.
pub fn xdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let Some(s) = lookup_stream_mut(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let ids = argv[2..]
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>, _>>()?;
    let mut deleted = 0u64;
    let mut first_gone = false;
    for id in ids {
        if s.delete(id) {
            first_gone |= id == s.first_id;
            if id > s.max_deleted_id {
                s.max_deleted_id = id;
            }
            deleted += 1;
        }
    }
    if deleted > 0 {
        if s.is_empty() {
            s.first_id = StreamId::MIN;
        } else if first_gone {
            s.first_id = s.edge_id(true).unwrap_or(StreamId::MIN);
        }
        ctx.notify(notify::STREAM, "xdel", key, db);
        ctx.srv.mark_dirty(deleted);
    }
    ctx.c.add_int(deleted as i64);
    Ok(())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID id]
pub fn xsetid(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let id = parse_strict_id(argv[2])?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < argv.len() {
        let more = i + 1 < argv.len();
        if is(argv[i], "entriesadded") && more {
            let n = arg_i64(argv[i + 1])?;
            if n < 0 {
                return Err("ERR entries_added must be positive".into());
            }
            entries_added = Some(n as u64);
        } else if is(argv[i], "maxdeletedid") && more {
            max_deleted = parse_strict_id(argv[i + 1])?;
            if id < max_deleted {
                return Err("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id".into());
            }
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 2;
    }
    let db = ctx.c.db;
    let key = argv[1];
    let Some(s) = lookup_stream_mut(ctx.srv, db, key, ctx.now_ms)? else {
        return Err(NO_SUCH_KEY.into());
    };
    if !s.is_empty() {
        if s.edge_id(false).is_some_and(|top| id < top) {
            return Err(
                "ERR The ID specified in XSETID is smaller than the target stream top item".into(),
            );
        }
        if entries_added.is_some_and(|n| s.len() > n) {
            return Err("ERR The entries_added specified in XSETID is smaller than the target stream length".into());
        }
    }
    s.last_id = id;
    if let Some(n) = entries_added {
        s.entries_added = n;
    }
    if max_deleted != StreamId::MIN {
        s.max_deleted_id = max_deleted;
    }
    ctx.c.add_ok();
    ctx.notify(notify::STREAM, "xsetid", key, db);
    ctx.srv.mark_dirty(1);
    Ok(())
}

// ---------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------

/// XINFO HELP
pub fn xinfo_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    crate::cmd::server::add_help(
        ctx.c,
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    );
    Ok(())
}

fn subcommand_syntax(sub: &[u8]) -> CmdError {
    errors::subcommand_syntax(sub, "xinfo").into()
}

fn lookup_for_xinfo<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<&'a Stream, CmdError> {
    let db = ctx.c.db;
    lookup_stream(ctx.srv, db, key, ctx.now_ms)?.ok_or_else(|| NO_SUCH_KEY.into())
}

/// A group's `entries-read` and `lag` fields (null when unknown).
fn read_and_lag(out: &mut Vec<u8>, resp: u8, s: &Stream, g: &ConsumerGroup) {
    reply::bulk(out, b"entries-read");
    if g.entries_read == ENTRIES_READ_UNKNOWN {
        reply::null_bulk(out, resp);
    } else {
        reply::int(out, g.entries_read);
    }
    reply::bulk(out, b"lag");
    match s.group_lag(g.last_id, g.entries_read) {
        Some(n) => reply::int(out, n),
        None => reply::null_bulk(out, resp),
    }
}

/// XINFO STREAM key [FULL [COUNT count]]
pub fn xinfo_stream(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let opts = &argv[3..];
    let full = !opts.is_empty();
    let mut count: i64 = 10;
    if full {
        if (opts.len() != 1 && opts.len() != 3) || !is(opts[0], "full") {
            return Err(subcommand_syntax(argv[1]));
        }
        if opts.len() == 3 {
            if !is(opts[1], "count") {
                return Err(subcommand_syntax(argv[1]));
            }
            count = arg_i64(opts[2])?;
            if count < 0 {
                count = 10;
            }
        }
    }
    let resp = ctx.c.resp;
    let s = lookup_for_xinfo(ctx, argv[2])?;
    let mut out = Vec::new();
    reply::map_len(&mut out, resp, if full { 9 } else { 10 });
    reply::bulk(&mut out, b"length");
    reply::int(&mut out, s.len() as i64);
    reply::bulk(&mut out, b"radix-tree-keys");
    reply::int(&mut out, s.node_count() as i64);
    reply::bulk(&mut out, b"radix-tree-nodes");
    reply::int(&mut out, s.radix_tree_nodes() as i64);
    reply::bulk(&mut out, b"last-generated-id");
    bulk_id(&mut out, s.last_id);
    reply::bulk(&mut out, b"max-deleted-entry-id");
    bulk_id(&mut out, s.max_deleted_id);
    reply::bulk(&mut out, b"entries-added");
    reply::int(&mut out, s.entries_added as i64);
    reply::bulk(&mut out, b"recorded-first-entry-id");
    bulk_id(&mut out, s.first_id);
    if !full {
        reply::bulk(&mut out, b"groups");
        reply::int(&mut out, s.groups.len() as i64);
        for (label, rev) in [(&b"first-entry"[..], false), (b"last-entry", true)] {
            reply::bulk(&mut out, label);
            let mut found = false;
            s.scan(StreamId::MIN, StreamId::MAX, rev, |id, pairs| {
                entry_reply(&mut out, id, pairs);
                found = true;
                false
            });
            if !found {
                reply::null_bulk(&mut out, resp);
            }
        }
    } else {
        let count = count as u64;
        reply::bulk(&mut out, b"entries");
        range_reply(&mut out, s, StreamId::MIN, StreamId::MAX, false, count);
        reply::bulk(&mut out, b"groups");
        reply::array_len(&mut out, s.groups.len());
        for (name, g) in &s.groups {
            reply::map_len(&mut out, resp, 7);
            reply::bulk(&mut out, b"name");
            reply::bulk(&mut out, name);
            reply::bulk(&mut out, b"last-delivered-id");
            bulk_id(&mut out, g.last_id);
            read_and_lag(&mut out, resp, s, g);
            reply::bulk(&mut out, b"pel-count");
            reply::int(&mut out, g.pending.len() as i64);
            reply::bulk(&mut out, b"pending");
            let shown = limited(g.pending.len(), count);
            reply::array_len(&mut out, shown);
            for (id, p) in g.pending.iter().take(shown) {
                reply::array_len(&mut out, 4);
                bulk_id(&mut out, *id);
                reply::bulk(&mut out, &p.consumer);
                reply::int(&mut out, p.delivery_time);
                reply::int(&mut out, p.delivery_count as i64);
            }
            reply::bulk(&mut out, b"consumers");
            reply::array_len(&mut out, g.consumers.len());
            for (cname, consumer) in &g.consumers {
                reply::map_len(&mut out, resp, 4);
                reply::bulk(&mut out, b"name");
                reply::bulk(&mut out, cname);
                reply::bulk(&mut out, b"seen-time");
                reply::int(&mut out, consumer.seen_time);
                reply::bulk(&mut out, b"pel-count");
                reply::int(&mut out, consumer.pending.len() as i64);
                reply::bulk(&mut out, b"pending");
                let shown = limited(consumer.pending.len(), count);
                reply::array_len(&mut out, shown);
                for id in consumer.pending.iter().take(shown) {
                    let (time, deliveries) = g
                        .pending
                        .get(id)
                        .map_or((0, 0), |p| (p.delivery_time, p.delivery_count));
                    reply::array_len(&mut out, 3);
                    bulk_id(&mut out, *id);
                    reply::int(&mut out, time);
                    reply::int(&mut out, deliveries as i64);
                }
            }
        }
    }
    ctx.c.out().extend_from_slice(&out);
    Ok(())
}

/// How many of `n` items a FULL reply shows with COUNT `count` (0: all).
fn limited(n: usize, count: u64) -> usize {
    if count == 0 {
        n
    } else {
        n.min(count as usize)
    }
}

/// XINFO GROUPS key
pub fn xinfo_groups(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let resp = ctx.c.resp;
    let s = lookup_for_xinfo(ctx, argv[2])?;
    let mut out = Vec::new();
    reply::array_len(&mut out, s.groups.len());
    for (name, g) in &s.groups {
        reply::map_len(&mut out, resp, 6);
        reply::bulk(&mut out, b"name");
        reply::bulk(&mut out, name);
        reply::bulk(&mut out, b"consumers");
        reply::int(&mut out, g.consumers.len() as i64);
        reply::bulk(&mut out, b"pending");
        reply::int(&mut out, g.pending.len() as i64);
        reply::bulk(&mut out, b"last-delivered-id");
        bulk_id(&mut out, g.last_id);
        read_and_lag(&mut out, resp, s, g);
    }
    ctx.c.out().extend_from_slice(&out);
    Ok(())
}

/// XINFO CONSUMERS key group
pub fn xinfo_consumers(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let resp = ctx.c.resp;
    let now = ctx.now_ms;
    let s = lookup_for_xinfo(ctx, argv[2])?;
    let Some(g) = s.groups.get(argv[3]) else {
        return Err(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            errors::clip(argv[3], usize::MAX),
            errors::clip(argv[2], usize::MAX)
        )
        .into());
    };
    let mut out = Vec::new();
    reply::array_len(&mut out, g.consumers.len());
    for (name, consumer) in &g.consumers {
        reply::map_len(&mut out, resp, 3);
        reply::bulk(&mut out, b"name");
        reply::bulk(&mut out, name);
        reply::bulk(&mut out, b"pending");
        reply::int(&mut out, consumer.pending.len() as i64);
        reply::bulk(&mut out, b"idle");
        reply::int(&mut out, (now - consumer.seen_time).max(0));
    }
    ctx.c.out().extend_from_slice(&out);
    Ok(())
}
