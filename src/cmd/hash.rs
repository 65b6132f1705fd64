//! Hash commands (Redis's `t_hash.c`): HSET HSETNX HMSET HGET HMGET HDEL
//! HEXISTS HLEN HSTRLEN HGETALL HKEYS HVALS HINCRBY HINCRBYFLOAT HRANDFIELD
//! HSCAN.
//!
//! The value type and its encodings live in `db::hash`; this file parses
//! arguments, checks them in the order Redis does (which error wins matters
//! to clients and to the differential tests), and writes replies in RESP2
//! and RESP3. Writers create the key on demand (`hash_for_write`), apply the
//! `hash-max-listpack-*` thresholds through `Hash::set`, delete the key when
//! its last field goes, mark the keyspace dirty and raise the keyspace
//! events Redis raises (`hset`, `hdel`, `hincrby`, `hincrbyfloat`, `del`).

use crate::cmd::keys::parse_cursor;
use crate::cmd::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::hash::Hash;
use crate::db::Value;
use crate::resp::errors;
use crate::resp::reply;
use crate::server::{notify, Server};
use crate::util::{parse_i64, string_match, write_i64, write_u64, LongDouble};

const HASH_NOT_INTEGER: &str = "ERR hash value is not an integer";
const HASH_NOT_FLOAT: &str = "ERR hash value is not a float";
const INCR_NAN_OR_INF: &str = "ERR value is NaN or Infinity";
const VALUE_OUT_OF_RANGE: &str = "ERR value is out of range";
const HRANDFIELD_COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

/// HRANDFIELD with a huge negative count asks for an unbounded reply; Redis
/// stops only when the output buffer limit closes the client (unlimited by
/// default, so it eats memory until the OOM killer ends it — seen with
/// 7.0.15). We stop at this many reply bytes and close the client instead.
const RANDOM_REPLY_CAP: usize = 1 << 30;

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

/// The hash at `key` for reading (lazy expiry, hit/miss stats): `None` when
/// missing, WRONGTYPE for another type.
fn lookup_hash<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a Hash>, CmdError> {
    match srv.lookup_read(db, key, now) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// The hash at `key` for writing, created empty when missing (Redis's
/// `hashTypeLookupWriteOrCreate`). Callers must leave at least one field in
/// a hash they created, since empty hashes never exist.
fn hash_for_write<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<&'a mut Hash, CmdError> {
    let exists = match srv.lookup_write(db, key, now) {
        None => false,
        Some(Value::Hash(_)) => true,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    if !exists {
        srv.db_add(db, key, Value::Hash(Hash::new()));
    }
    match srv.dbs[db].dict.get_mut(key) {
        Some(Value::Hash(h)) => Ok(h),
        // Just checked or added above.
        _ => Err(errors::WRONGTYPE.into()),
    }
}

/// `hash-max-listpack-entries` and `hash-max-listpack-value`.
fn thresholds(srv: &Server) -> (i64, i64) {
    (
        srv.config.hash_max_listpack_entries,
        srv.config.hash_max_listpack_value,
    )
}

// ---------------------------------------------------------------------------
// Writers
// ---------------------------------------------------------------------------

/// HSET and HMSET: set every pair; returns how many fields were new.
/// The pair count is checked before the key (Redis's order).
fn hset_generic(ctx: &mut Ctx, argv: &[&[u8]], name: &str) -> Result<i64, CmdError> {
    if argv.len() % 2 == 1 {
        return Err(errors::wrong_arity(name).into());
    }
    let db = ctx.c.db;
    let key = argv[1];
    let (max_entries, max_value) = thresholds(ctx.srv);
    let h = hash_for_write(ctx.srv, db, key, ctx.now_ms)?;
    let mut created = 0;
    for pair in argv[2..].chunks_exact(2) {
        if h.set(pair[0], pair[1], max_entries, max_value) {
            created += 1;
        }
    }
    ctx.notify(notify::HASH, "hset", key, db);
    ctx.srv.mark_dirty(((argv.len() - 2) / 2) as u64);
    Ok(created)
}

/// HSET key field value [field value ...] → number of new fields.
pub fn hset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let created = hset_generic(ctx, argv, "hset")?;
    ctx.c.add_int(created);
    Ok(())
}

/// HMSET key field value [field value ...] → OK (deprecated form of HSET).
pub fn hmset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    hset_generic(ctx, argv, "hmset")?;
    ctx.c.add_ok();
    Ok(())
}

/// HSETNX key field value → 1 if set, 0 if the field existed.
pub fn hsetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let (key, field, value) = (argv[1], argv[2], argv[3]);
    let (max_entries, max_value) = thresholds(ctx.srv);
    let h = hash_for_write(ctx.srv, db, key, ctx.now_ms)?;
    // An existing field leaves the hash untouched, encoding included.
    if h.contains(field) {
        ctx.c.add_int(0);
        return Ok(());
    }
    h.set(field, value, max_entries, max_value);
    ctx.notify(notify::HASH, "hset", key, db);
    ctx.srv.mark_dirty(1);
    ctx.c.add_int(1);
    Ok(())
}

/// HDEL key field [field ...] → number of fields removed; the key goes
/// with its last field.
pub fn hdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let (deleted, emptied) = match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => (0, false),
        Some(Value::Hash(h)) => {
            let mut n = 0;
            for f in &argv[2..] {
                if h.remove(f) {
                    n += 1;
                    if h.is_empty() {
                        break;
                    }
                }
            }
            (n, h.is_empty())
        }
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    if deleted > 0 {
        ctx.notify(notify::HASH, "hdel", key, db);
        if emptied {
            ctx.srv.dbs[db].remove(key);
            ctx.notify(notify::GENERIC, "del", key, db);
        }
        ctx.srv.mark_dirty(deleted as u64);
    }
    ctx.c.add_int(deleted);
    Ok(())
}

/// HINCRBY key field increment → the new value. The increment is parsed
/// before the key is looked at; a stored value must be a strict integer.
pub fn hincrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let incr = arg_i64(argv[3])?;
    let db = ctx.c.db;
    let (key, field) = (argv[1], argv[2]);
    let (max_entries, max_value) = thresholds(ctx.srv);
    let h = hash_for_write(ctx.srv, db, key, ctx.now_ms)?;
    let old = match h.get(field) {
        Some(v) => parse_i64(v).ok_or(HASH_NOT_INTEGER)?,
        None => 0,
    };
    let new = old.checked_add(incr).ok_or(errors::OVERFLOW)?;
    let mut text = Vec::with_capacity(20);
    write_i64(&mut text, new);
    h.set(field, &text, max_entries, max_value);
    ctx.notify(notify::HASH, "hincrby", key, db);
    ctx.srv.mark_dirty(1);
    ctx.c.add_int(new);
    Ok(())
}

/// HINCRBYFLOAT key field increment → the new value as a bulk string.
/// Computed in x87 long double and stored as `%.17Lf` text with trailing
/// zeros trimmed, exactly like INCRBYFLOAT, so values and replies match
/// Redis digit for digit.
pub fn hincrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let incr = LongDouble::parse(argv[3]).ok_or(errors::NOT_FLOAT)?;
    if !incr.is_finite() {
        return Err(INCR_NAN_OR_INF.into());
    }
    let db = ctx.c.db;
    let (key, field) = (argv[1], argv[2]);
    let (max_entries, max_value) = thresholds(ctx.srv);
    let h = hash_for_write(ctx.srv, db, key, ctx.now_ms)?;
    let old = match h.get(field) {
        Some(v) => LongDouble::parse(v).ok_or(HASH_NOT_FLOAT)?,
        None => LongDouble::ZERO,
    };
    let new = old.add(incr);
    if !new.is_finite() {
        return Err(errors::NAN_OR_INF.into());
    }
    let mut text = Vec::with_capacity(32);
    new.format_human(&mut text);
    h.set(field, &text, max_entries, max_value);
    // The result, not the increment, goes to replicas: float arithmetic
    // could differ there.
    ctx.srv.propagate_instead(
        db,
        vec![b"HSET".to_vec(), key.to_vec(), field.to_vec(), text.clone()],
    );
    ctx.notify(notify::HASH, "hincrbyfloat", key, db);
    ctx.srv.mark_dirty(1);
    ctx.c.add_bulk(&text);
    Ok(())
}

// ---------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------

/// HGET key field → the value or nil.
pub fn hget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let h = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?;
    match h.and_then(|h| h.get(argv[2])) {
        Some(v) => reply::bulk(&mut ctx.c.reply, v),
        None => ctx.c.add_null(),
    }
    Ok(())
}

/// HMGET key field [field ...] → one value or nil per field (all nil for a
/// missing key).
pub fn hmget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let h = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?;
    let c = &mut *ctx.c;
    c.add_array_len(argv.len() - 2);
    for f in &argv[2..] {
        match h.and_then(|h| h.get(f)) {
            Some(v) => reply::bulk(&mut c.reply, v),
            None => reply::null_bulk(&mut c.reply, c.resp),
        }
    }
    Ok(())
}

/// HEXISTS key field → 1 or 0 (an integer in RESP3 too, as in Redis).
pub fn hexists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let h = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?;
    let found = h.is_some_and(|h| h.contains(argv[2]));
    ctx.c.add_int(found as i64);
    Ok(())
}

/// HLEN key → number of fields, 0 for a missing key.
pub fn hlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let n = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?.map_or(0, |h| h.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

/// HSTRLEN key field → length of the value, 0 when missing.
pub fn hstrlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let h = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?;
    let n = h.and_then(|h| h.get(argv[2])).map_or(0, |v| v.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

/// What HGETALL/HKEYS/HVALS return.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Keys,
    Values,
    Both,
}

/// HGETALL (a map in RESP3), HKEYS and HVALS (arrays). Listpack hashes
/// answer in insertion order.
fn hgetall_generic(ctx: &mut Ctx, key: &[u8], part: Part) -> CmdResult {
    let db = ctx.c.db;
    let h = lookup_hash(ctx.srv, db, key, ctx.now_ms)?;
    let c = &mut *ctx.c;
    let n = h.map_or(0, |h| h.len());
    if part == Part::Both {
        c.add_map_len(n);
    } else {
        c.add_array_len(n);
    }
    if let Some(h) = h {
        for (f, v) in h.iter() {
            if part != Part::Values {
                reply::bulk(&mut c.reply, f);
            }
            if part != Part::Keys {
                reply::bulk(&mut c.reply, v);
            }
        }
    }
    Ok(())
}

pub fn hgetall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    hgetall_generic(ctx, argv[1], Part::Both)
}

pub fn hkeys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    hgetall_generic(ctx, argv[1], Part::Keys)
}

pub fn hvals(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    hgetall_generic(ctx, argv[1], Part::Values)
}

// ---------------------------------------------------------------------------
// HRANDFIELD
// ---------------------------------------------------------------------------

/// HRANDFIELD key [count [WITHVALUES]]
///
/// Without a count: one random field, nil for a missing key. With a count
/// (parsed and range-checked before the key is looked at): an array, empty
/// for a missing key;
/// * negative: |count| fields drawn with repetition;
/// * positive: distinct fields, the whole hash (in its order) when count
///   reaches its size.
///
/// WITHVALUES interleaves values (RESP2) or makes each element a
/// `[field, value]` pair (RESP3).
pub fn hrandfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    if argv.len() == 2 {
        let h = lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)?;
        match h.and_then(|h| h.random_pair()) {
            Some((f, _)) => reply::bulk(&mut ctx.c.reply, f),
            None => ctx.c.add_null(),
        }
        return Ok(());
    }
    let count = arg_i64(argv[2])?;
    if count == i64::MIN {
        return Err(HRANDFIELD_COUNT_RANGE.into());
    }
    if argv.len() > 4 || (argv.len() == 4 && !is(argv[3], "withvalues")) {
        return Err(errors::SYNTAX.into());
    }
    let withvalues = argv.len() == 4;
    // The reply length is count * 2 in RESP2, which must not overflow.
    if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(VALUE_OUT_OF_RANGE.into());
    }
    let h = match lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)? {
        Some(h) => h,
        None => {
            ctx.c.add_array_len(0);
            return Ok(());
        }
    };
    let c = &mut *ctx.c;
    let resp3_pairs = withvalues && c.resp >= 3;
    let put = |out: &mut Vec<u8>, f: &[u8], v: &[u8]| {
        if resp3_pairs {
            reply::array_len(out, 2);
        }
        reply::bulk(out, f);
        if withvalues {
            reply::bulk(out, v);
        }
    };
    let reply_len = |n: usize| if withvalues && !resp3_pairs { n * 2 } else { n };
    if count == 0 {
        c.add_array_len(0);
        return Ok(());
    }
    let size = h.len();
    let want = count.unsigned_abs();
    if count < 0 || want == 1 {
        // Drawn with repetition, each draw independent.
        c.add_array_len(reply_len(want as usize));
        h.random_pairs(want, |f, v| {
            put(&mut c.reply, f, v);
            if c.reply.len() > RANDOM_REPLY_CAP {
                c.close_asap = true;
                return false;
            }
            true
        });
        return Ok(());
    }
    if want >= size as u64 {
        c.add_array_len(reply_len(size));
        for (f, v) in h.iter() {
            put(&mut c.reply, f, v);
        }
        return Ok(());
    }
    let picks = h.random_pairs_unique(want as usize);
    c.add_array_len(reply_len(picks.len()));
    for (f, v) in picks {
        put(&mut c.reply, f, v);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// HSCAN
// ---------------------------------------------------------------------------

/// HSCAN key cursor [MATCH pattern] [COUNT count]
///
/// The cursor is checked first, then the key (a missing key answers an
/// empty scan even when the options are bad), then the options. A listpack
/// hash comes back whole with cursor 0; a table is walked with the
/// `Dict::scan` cursor until COUNT pairs were collected or 20 × COUNT
/// buckets were visited (Redis doubles COUNT for hashes, then allows ten
/// steps per element). MATCH filters on the field only.
pub fn hscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut cursor = parse_cursor(argv[2])?;
    let db = ctx.c.db;
    let h = match lookup_hash(ctx.srv, db, argv[1], ctx.now_ms)? {
        Some(h) => h,
        None => {
            ctx.c.reply.extend_from_slice(b"*2\r\n$1\r\n0\r\n*0\r\n");
            return Ok(());
        }
    };
    let super::keys::ScanOpts { pattern, count, .. } =
        super::keys::parse_scan_opts(&argv[3..], false)?;
    // Copied out: the dict's scan callback only lends its entries.
    let mut found: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut budget = count.saturating_mul(20);
    loop {
        cursor = h.scan(cursor, |f, v| found.push((f.to_vec(), v.to_vec())));
        if cursor == 0 || budget == 0 || found.len() as i64 >= count {
            break;
        }
        budget -= 1;
    }
    if let Some(p) = pattern {
        found.retain(|(f, _)| string_match(p, f, false));
    }
    let c = &mut *ctx.c;
    let mut cur = Vec::with_capacity(20);
    write_u64(&mut cur, cursor);
    c.add_array_len(2);
    reply::bulk(&mut c.reply, &cur);
    c.add_array_len(found.len() * 2);
    for (f, v) in found {
        reply::bulk(&mut c.reply, &f);
        reply::bulk(&mut c.reply, &v);
    }
    Ok(())
}
