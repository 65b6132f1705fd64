//! List commands (Redis's t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP
//! LLEN LINDEX LSET LRANGE LTRIM LREM LINSERT LPOS LMOVE RPOPLPUSH LMPOP.
//!
//! The value type is `db::list::List` (a quicklist, reported as `quicklist`
//! by OBJECT ENCODING, as Redis 7.0 does for every list).
//!
//! Rules every handler keeps:
//! - argument errors come in Redis's order, which differs per command: LRANGE,
//!   LTRIM, LREM, LPOS, LPOP's count, LMOVE's directions and LMPOP's options
//!   are parsed before the key is looked up (so they win over WRONGTYPE);
//!   LINDEX and LSET look the key up first;
//! - a list never exists empty: the command that removes the last element
//!   deletes the key and fires `del` after its own event;
//! - a list is created only through `Server::db_add`, which is what wakes
//!   clients blocked on that key.
//!
//! For the blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
//! added by the server core) this file exposes the serving halves:
//! [`pop_and_reply`], [`lmove_generic`] and [`first_list_key`]. They reply
//! exactly as the blocking command does once it has data.

use super::blocking::{block_or_give_up, parse_timeout, NoWait};
use super::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::list::{Elem, List, Needle};
use crate::db::Value;
use crate::resp::{errors, reply};
use crate::server::{notify, Server};
use crate::util::parse_i64;

/// LPOP/RPOP count that is not a non-negative integer.
const MUST_BE_POSITIVE: &str = "ERR value is out of range, must be positive";
/// LSET on an index outside the list.
const INDEX_OUT_OF_RANGE: &str = "ERR index out of range";
const RANK_ZERO: &str = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const COUNT_NEGATIVE: &str = "ERR COUNT can't be negative";
const MAXLEN_NEGATIVE: &str = "ERR MAXLEN can't be negative";
const NUMKEYS_POSITIVE: &str = "ERR numkeys should be greater than 0";
const COUNT_POSITIVE: &str = "ERR count should be greater than 0";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// An integer argument of at least `min`, else `msg` (Redis's
/// getRangeLongFromObjectOrReply: a non-number gets the same message).
fn ranged_arg(a: &[u8], min: i64, msg: &'static str) -> Result<i64, CmdError> {
    match parse_i64(a) {
        Some(n) if n >= min => Ok(n),
        _ => Err(msg.into()),
    }
}

/// Append an element as a bulk string (packed integers print back as the
/// string that was pushed).
fn add_elem(out: &mut Vec<u8>, e: Elem) {
    match e {
        Elem::Bytes(b) => reply::bulk(out, b),
        Elem::Int(v) => reply::bulk_i64(out, v),
    }
}

/// LEFT → true, RIGHT → false (LMOVE, LMPOP), else a syntax error.
fn parse_where(a: &[u8]) -> Result<bool, CmdError> {
    if is(a, "left") {
        Ok(true)
    } else if is(a, "right") {
        Ok(false)
    } else {
        Err(errors::SYNTAX.into())
    }
}

/// The list at `key` for a write: None when missing, WRONGTYPE when the key
/// holds something else. Takes the server (not the Ctx) so the caller can
/// keep writing to the client while holding the list.
fn list_write<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a mut List>, CmdError> {
    match srv.lookup_write(db, key, now) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// The list at `key` for a read (hit/miss statistics), as [`list_write`].
fn list_read<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a List>, CmdError> {
    match srv.lookup_read(db, key, now) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// Delete `key` if its list became empty, with the `del` event Redis sends.
fn delete_if_empty(ctx: &mut Ctx, db: usize, key: &[u8]) {
    if matches!(ctx.srv.dbs[db].dict.get(key), Some(Value::List(l)) if l.is_empty()) {
        ctx.srv.dbs[db].remove(key);
        ctx.notify(notify::GENERIC, "del", key, db);
    }
}

/// Push `value` to the list at `key`, creating it (through `db_add`) when it
/// does not exist. The caller has looked the key up (lazy expiry done, one
/// access counted) and checked it is a list or absent.
fn push_or_create(srv: &mut Server, db: usize, key: &[u8], value: &[u8], left: bool) {
    if let Some(Value::List(l)) = srv.dbs[db].dict.get_mut(key) {
        l.push(value, left);
        return;
    }
    let mut l = List::new(srv.config.list_max_listpack_size);
    l.push(value, left);
    srv.db_add(db, key, Value::List(Box::new(l)));
}

// ---------------------------------------------------------------------------
// Push
// ---------------------------------------------------------------------------

/// LPUSH/RPUSH (`only_existing` false) and LPUSHX/RPUSHX: push every element
/// in argument order, reply with the new length (0 for X on a missing key).
fn push_generic(ctx: &mut Ctx, argv: &[&[u8]], left: bool, only_existing: bool) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let elems = &argv[2..];
    let len = match list_write(ctx.srv, db, key, ctx.now_ms)? {
        Some(l) => {
            for e in elems {
                l.push(e, left);
            }
            l.len()
        }
        None if only_existing => {
            ctx.c.add_int(0);
            return Ok(());
        }
        None => {
            let mut l = List::new(ctx.srv.config.list_max_listpack_size);
            for e in elems {
                l.push(e, left);
            }
            let n = l.len();
            ctx.srv.db_add(db, key, Value::List(Box::new(l)));
            n
        }
    };
    ctx.c.add_int(len as i64);
    let event = if left { "lpush" } else { "rpush" };
    ctx.notify(notify::LIST, event, key, db);
    ctx.srv.mark_dirty(elems.len() as u64);
    Ok(())
}

pub fn lpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    push_generic(ctx, argv, true, false)
}

pub fn rpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    push_generic(ctx, argv, false, false)
}

pub fn lpushx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    push_generic(ctx, argv, true, true)
}

pub fn rpushx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    push_generic(ctx, argv, false, true)
}

// ---------------------------------------------------------------------------
// Pop (shared with the blocking commands)
// ---------------------------------------------------------------------------

/// The reply shape of a pop, one per command family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopReply {
    /// LPOP/RPOP without count: the element as a bulk string.
    Bulk,
    /// LPOP/RPOP with count: an array of up to `n` elements.
    Array(usize),
    /// BLPOP/BRPOP: `[key, element]`.
    KeyBulk,
    /// LMPOP/BLMPOP: `[key, [up to n elements]]`.
    KeyArray(usize),
}

/// Pop from the list at `key` in the client's db, which the caller knows to
/// be a non-empty list, and reply in `shape`. Fires `lpop`/`rpop` (once,
/// whatever the count), deletes the key with `del` when it empties, marks
/// the dataset dirty. Returns the number of elements popped.
///
/// Called by LPOP/RPOP/LMPOP here and, once blocking lands, by the core when
/// it serves a blocked BLPOP/BRPOP/BLMPOP client. Propagation (BLPOP is
/// replicated as LPOP) is the caller's business.
pub fn pop_and_reply(ctx: &mut Ctx, key: &[u8], left: bool, shape: PopReply) -> usize {
    let db = ctx.c.db;
    let resp = ctx.c.resp;
    // The caller's lookup was the key's one access (Redis pops from the
    // object it looked up), so no second touch of its clock here.
    let Some(Value::List(l)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        // Not a non-empty list: the caller broke the contract. Answer as
        // if the key were missing rather than panic.
        debug_assert!(false, "pop_and_reply on a key that is not a list");
        match shape {
            PopReply::Bulk => reply::null_bulk(&mut ctx.c.reply, resp),
            _ => reply::null_array(&mut ctx.c.reply, resp),
        }
        return 0;
    };
    let out = &mut ctx.c.reply;
    let want = match shape {
        PopReply::Bulk | PopReply::KeyBulk => 1,
        PopReply::Array(n) | PopReply::KeyArray(n) => n.min(l.len()),
    };
    match shape {
        PopReply::KeyBulk | PopReply::KeyArray(_) => {
            reply::array_len(out, 2);
            reply::bulk(out, key);
        }
        _ => {}
    }
    if let PopReply::Array(_) | PopReply::KeyArray(_) = shape {
        reply::array_len(out, want);
    }
    let mut popped = 0;
    for _ in 0..want {
        match l.pop(left) {
            Some(v) => {
                reply::bulk(out, &v);
                popped += 1;
            }
            // Only reachable if the contract (non-empty) was broken.
            None => reply::null_bulk(out, resp),
        }
    }
    let event = if left { "lpop" } else { "rpop" };
    ctx.notify(notify::LIST, event, key, db);
    delete_if_empty(ctx, db, key);
    ctx.srv.mark_dirty(popped as u64);
    popped
}

/// LPOP/RPOP key [count].
fn pop_generic(ctx: &mut Ctx, argv: &[&[u8]], left: bool) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::wrong_arity(if left { "lpop" } else { "rpop" }).into());
    }
    let count = match argv.get(2) {
        Some(a) => Some(ranged_arg(a, 0, MUST_BE_POSITIVE)?),
        None => None,
    };
    let db = ctx.c.db;
    if list_write(ctx.srv, db, argv[1], ctx.now_ms)?.is_none() {
        match count {
            Some(_) => ctx.c.add_null_array(),
            None => ctx.c.add_null(),
        }
        return Ok(());
    }
    match count {
        None => {
            pop_and_reply(ctx, argv[1], left, PopReply::Bulk);
        }
        Some(0) => ctx.c.add_array_len(0),
        Some(n) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            pop_and_reply(ctx, argv[1], left, PopReply::Array(n));
        }
    }
    Ok(())
}

pub fn lpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    pop_generic(ctx, argv, true)
}

pub fn rpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    pop_generic(ctx, argv, false)
}

/// The first of `keys` that holds a list in the client's db (lists are
/// never empty), or None. WRONGTYPE as soon as a key before it holds another
/// type, as Redis's mpop scan does. Used by LMPOP and, later, BLMPOP to
/// decide between serving and blocking.
pub fn first_list_key<'k>(ctx: &mut Ctx, keys: &[&'k [u8]]) -> Result<Option<&'k [u8]>, CmdError> {
    let db = ctx.c.db;
    for &k in keys {
        if list_write(ctx.srv, db, k, ctx.now_ms)?.is_some() {
            return Ok(Some(k));
        }
    }
    Ok(None)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub fn lmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    lmpop_generic(ctx, argv, 1, None)
}

/// LMPOP and BLMPOP. `first` is the index of numkeys; `timeout` is BLMPOP's
/// (parsed by the caller), None for LMPOP.
fn lmpop_generic(ctx: &mut Ctx, argv: &[&[u8]], first: usize, timeout: Option<i64>) -> CmdResult {
    let argv_all = argv;
    let argv = &argv[first - 1..];
    let numkeys = ranged_arg(argv[1], 1, NUMKEYS_POSITIVE)?;
    // The direction follows the keys; it must exist.
    let where_idx = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(2))
        .filter(|&i| i < argv.len())
        .ok_or(CmdError::from(errors::SYNTAX))?;
    let left = parse_where(argv[where_idx])?;
    let mut count: Option<i64> = None;
    let mut j = where_idx + 1;
    while j < argv.len() {
        if count.is_none() && is(argv[j], "count") && j + 1 < argv.len() {
            j += 1;
            count = Some(ranged_arg(argv[j], 1, COUNT_POSITIVE)?);
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let count = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    let keys = &argv[2..where_idx];
    match first_list_key(ctx, keys)? {
        Some(key) => {
            let n = pop_and_reply(ctx, key, left, PopReply::KeyArray(count));
            if timeout.is_some() {
                // BLMPOP replicates as the pop it did, never as a blocking command.
                propagate_pop(ctx, key, left, Some(n));
            }
        }
        None => match timeout {
            Some(t) => block_or_give_up(ctx, keys, t, argv_all, NoWait::NullArray),
            None => ctx.c.add_null_array(),
        },
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Blocking commands
// ---------------------------------------------------------------------------

/// A served blocking pop replicates as LPOP/RPOP key [count]: a replica
/// must never block on its master's stream.
fn propagate_pop(ctx: &mut Ctx, key: &[u8], left: bool, count: Option<usize>) {
    let mut argv = vec![
        if left {
            b"LPOP".to_vec()
        } else {
            b"RPOP".to_vec()
        },
        key.to_vec(),
    ];
    if let Some(n) = count {
        let mut c = Vec::new();
        crate::util::write_u64(&mut c, n as u64);
        argv.push(c);
    }
    let db = ctx.c.db;
    ctx.srv.propagate_instead(db, argv);
}

/// BLPOP / BRPOP key [key ...] timeout
fn bpop_generic(ctx: &mut Ctx, argv: &[&[u8]], left: bool) -> CmdResult {
    let deadline = parse_timeout(argv[argv.len() - 1], ctx.now_ms)?;
    let keys = &argv[1..argv.len() - 1];
    match first_list_key(ctx, keys)? {
        Some(key) => {
            pop_and_reply(ctx, key, left, PopReply::KeyBulk);
            propagate_pop(ctx, key, left, None);
        }
        None => block_or_give_up(ctx, keys, deadline, argv, NoWait::NullArray),
    }
    Ok(())
}

pub fn blpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bpop_generic(ctx, argv, true)
}

pub fn brpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bpop_generic(ctx, argv, false)
}

/// BLMOVE / BRPOPLPUSH: LMOVE that waits for the source to exist.
fn blmove_generic(
    ctx: &mut Ctx,
    argv: &[&[u8]],
    from_left: bool,
    to_left: bool,
    timeout: &[u8],
) -> CmdResult {
    let deadline = parse_timeout(timeout, ctx.now_ms)?;
    let (src, dst) = (argv[1], argv[2]);
    // Redis's BLMOVE looks src up and then LMOVE looks it up again: two
    // accesses on its clock. Serving a client that was blocked, Redis does
    // only LMOVE's, so a re-run (the client is still marked blocked) checks
    // without touching.
    let has_src = if ctx.c.blocked.is_some() {
        matches!(ctx.srv.dbs[ctx.c.db].dict.get(src), Some(Value::List(_)))
    } else {
        first_list_key(ctx, &[src])?.is_some()
    };
    if has_src {
        let dirty = ctx.srv.dirty;
        lmove_generic(ctx, src, dst, from_left, to_left)?;
        if ctx.srv.dirty != dirty {
            // Replicas get the non-blocking move.
            let side = |l: bool| {
                if l {
                    b"LEFT".to_vec()
                } else {
                    b"RIGHT".to_vec()
                }
            };
            let db = ctx.c.db;
            ctx.srv.propagate_instead(
                db,
                vec![
                    b"LMOVE".to_vec(),
                    src.to_vec(),
                    dst.to_vec(),
                    side(from_left),
                    side(to_left),
                ],
            );
        }
        return Ok(());
    }
    block_or_give_up(ctx, &[src], deadline, argv, NoWait::NullBulk);
    Ok(())
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
pub fn blmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let from_left = parse_where(argv[3])?;
    let to_left = parse_where(argv[4])?;
    blmove_generic(ctx, argv, from_left, to_left, argv[5])
}

/// BRPOPLPUSH source destination timeout
pub fn brpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    blmove_generic(ctx, argv, false, true, argv[3])
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub fn blmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let deadline = parse_timeout(argv[1], ctx.now_ms)?;
    lmpop_generic(ctx, argv, 2, Some(deadline))
}

// ---------------------------------------------------------------------------
// Move (shared with the blocking commands)
// ---------------------------------------------------------------------------

/// Pop from `src` (head when `from_left`) and push to `dst` (head when
/// `to_left`), replying with the element; nil when `src` is missing (even if
/// `dst` has the wrong type, as in Redis). WRONGTYPE when either key holds
/// another type, checked before anything changes. `src == dst` rotates.
///
/// Events in Redis's order: `lpush`/`rpush` on dst, `lpop`/`rpop` on src,
/// then `del` on src if it emptied. A missing dst is created with `db_add`
/// so clients blocked on it wake up. Used by LMOVE, RPOPLPUSH and later by
/// the core to serve BLMOVE/BRPOPLPUSH.
pub fn lmove_generic(
    ctx: &mut Ctx,
    src: &[u8],
    dst: &[u8],
    from_left: bool,
    to_left: bool,
) -> CmdResult {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let Some(l) = list_write(ctx.srv, db, src, now)? else {
        ctx.c.add_null();
        return Ok(());
    };
    if l.is_empty() {
        ctx.c.add_null();
        return Ok(());
    }
    list_write(ctx.srv, db, dst, now)?;
    // Both keys were looked up once, as in Redis: further accesses go to
    // the dict directly so the access clocks count one use each.
    let value = match ctx.srv.dbs[db].dict.get_mut(src) {
        Some(Value::List(l)) => l.pop(from_left),
        _ => None,
    };
    let Some(value) = value else {
        ctx.c.add_null();
        return Ok(());
    };
    push_or_create(ctx.srv, db, dst, &value, to_left);
    ctx.c.add_bulk(&value);
    let push_event = if to_left { "lpush" } else { "rpush" };
    ctx.notify(notify::LIST, push_event, dst, db);
    let pop_event = if from_left { "lpop" } else { "rpop" };
    ctx.notify(notify::LIST, pop_event, src, db);
    delete_if_empty(ctx, db, src);
    ctx.srv.mark_dirty(1);
    Ok(())
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
pub fn lmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let from_left = parse_where(argv[3])?;
    let to_left = parse_where(argv[4])?;
    lmove_generic(ctx, argv[1], argv[2], from_left, to_left)
}

/// RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT.
pub fn rpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    lmove_generic(ctx, argv[1], argv[2], false, true)
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

pub fn llen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = list_read(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.map_or(0, |l| l.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

/// LINDEX key index: the key is looked up before the index is parsed.
pub fn lindex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let resp = ctx.c.resp;
    let Some(l) = list_read(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        ctx.c.add_null();
        return Ok(());
    };
    let index = arg_i64(argv[2])?;
    match l.get(index) {
        Some(v) => add_elem(&mut ctx.c.reply, v),
        None => reply::null_bulk(&mut ctx.c.reply, resp),
    }
    Ok(())
}

/// Clamp a Redis start/end pair to a list of `len`: Some((start, count))
/// for a non-empty range, None for an empty one (LRANGE, LTRIM).
fn clamp_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, (end - start + 1) as usize))
}

/// LRANGE key start stop: indexes are parsed before the lookup.
pub fn lrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = arg_i64(argv[2])?;
    let end = arg_i64(argv[3])?;
    let Some(l) = list_read(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        ctx.c.add_array_len(0);
        return Ok(());
    };
    let out = &mut ctx.c.reply;
    match clamp_range(start, end, l.len()) {
        None => reply::array_len(out, 0),
        Some((s, n)) => {
            reply::array_len(out, n);
            for e in l.iter_from(s).take(n) {
                add_elem(out, e);
            }
        }
    }
    Ok(())
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
///
/// Options are parsed (last one wins) before the key is looked up. Without
/// COUNT the reply is the first qualifying index or nil; with COUNT (0 =
/// all) an array. A negative RANK scans from the tail; indexes are always
/// counted from the head.
pub fn lpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut rank: i64 = 1;
    let mut count: Option<i64> = None;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        if is(argv[j], "rank") && more {
            j += 1;
            rank = arg_i64(argv[j])?;
            if rank == 0 {
                return Err(RANK_ZERO.into());
            }
        } else if is(argv[j], "count") && more {
            j += 1;
            count = Some(ranged_arg(argv[j], 0, COUNT_NEGATIVE)?);
        } else if is(argv[j], "maxlen") && more {
            j += 1;
            maxlen = ranged_arg(argv[j], 0, MAXLEN_NEGATIVE)?;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let ele = argv[2];
    let Some(l) = list_read(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        match count {
            Some(_) => ctx.c.add_array_len(0),
            None => ctx.c.add_null(),
        }
        return Ok(());
    };
    // Redis 7.0 negates a negative rank in a C long: -LONG_MIN overflows and
    // stays negative, so every match qualifies and COUNT never ends the scan
    // early (only MAXLEN and the list's end do). Clients can observe that, so
    // we copy it.
    let from_tail = rank < 0;
    let (skip, count_stops) = if rank == i64::MIN {
        (0u64, false)
    } else {
        (rank.unsigned_abs() - 1, true)
    };
    let limit = match count {
        Some(c) if c > 0 && count_stops => c as u64,
        Some(_) => u64::MAX,
        None => 1,
    };
    let maxlen = if maxlen == 0 {
        usize::MAX
    } else {
        usize::try_from(maxlen).unwrap_or(usize::MAX)
    };
    let len = l.len();
    let found = if from_tail {
        scan_matches(l.iter_rev(), ele, skip, limit, maxlen)
    } else {
        scan_matches(l.iter(), ele, skip, limit, maxlen)
    };
    let to_index = |i: usize| if from_tail { len - 1 - i } else { i } as i64;
    match count {
        Some(_) => {
            ctx.c.add_array_len(found.len());
            for i in found {
                ctx.c.add_int(to_index(i));
            }
        }
        None => match found.first() {
            Some(&i) => ctx.c.add_int(to_index(i)),
            None => ctx.c.add_null(),
        },
    }
    Ok(())
}

/// Positions (in scan order) of the matches of `ele` after the first `skip`
/// ones, at most `limit` of them, looking at no more than `maxlen` elements.
fn scan_matches<'a>(
    it: impl Iterator<Item = Elem<'a>>,
    ele: &[u8],
    skip: u64,
    limit: u64,
    maxlen: usize,
) -> Vec<usize> {
    let ele = Needle::new(ele);
    let mut out = Vec::new();
    let mut matches = 0u64;
    for (i, e) in it.take(maxlen).enumerate() {
        if e.matches(&ele) {
            matches += 1;
            if matches > skip {
                out.push(i);
                if out.len() as u64 >= limit {
                    break;
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Other writes
// ---------------------------------------------------------------------------

/// LSET key index element: "no such key" and WRONGTYPE before the index.
pub fn lset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let Some(l) = list_write(ctx.srv, db, argv[1], ctx.now_ms)? else {
        return Err(errors::NO_SUCH_KEY.into());
    };
    let index = arg_i64(argv[2])?;
    if !l.set(index, argv[3]) {
        return Err(INDEX_OUT_OF_RANGE.into());
    }
    ctx.c.add_ok();
    ctx.notify(notify::LIST, "lset", argv[1], db);
    ctx.srv.mark_dirty(1);
    Ok(())
}

/// LTRIM key start stop: OK even for a missing key; `ltrim` fires whenever
/// the key exists, then `del` if nothing is left.
pub fn ltrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = arg_i64(argv[2])?;
    let end = arg_i64(argv[3])?;
    let db = ctx.c.db;
    let key = argv[1];
    let Some(l) = list_write(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_ok();
        return Ok(());
    };
    let len = l.len();
    let (ltrim, rtrim) = match clamp_range(start, end, len) {
        None => (len, 0),
        Some((s, n)) => (s, len - s - n),
    };
    l.remove_front(ltrim);
    l.remove_back(rtrim);
    ctx.c.add_ok();
    ctx.notify(notify::LIST, "ltrim", key, db);
    delete_if_empty(ctx, db, key);
    ctx.srv.mark_dirty((ltrim + rtrim) as u64);
    Ok(())
}

/// LREM key count element: count > 0 from the head, < 0 from the tail,
/// 0 all. The count is parsed before the lookup.
pub fn lrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let count = arg_i64(argv[2])?;
    let db = ctx.c.db;
    let key = argv[1];
    let Some(l) = list_write(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let limit = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    let removed = l.remove(argv[3], limit, count < 0);
    ctx.c.add_int(removed as i64);
    if removed > 0 {
        ctx.notify(notify::LIST, "lrem", key, db);
        delete_if_empty(ctx, db, key);
        ctx.srv.mark_dirty(removed as u64);
    }
    Ok(())
}

/// LINSERT key BEFORE|AFTER pivot element: the direction is checked first;
/// 0 for a missing key, -1 when the pivot is absent, else the new length.
pub fn linsert(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let after = if is(argv[2], "after") {
        true
    } else if is(argv[2], "before") {
        false
    } else {
        return Err(errors::SYNTAX.into());
    };
    let db = ctx.c.db;
    let key = argv[1];
    let Some(l) = list_write(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    if !l.insert(argv[3], argv[4], after) {
        ctx.c.add_int(-1);
        return Ok(());
    }
    let len = l.len();
    ctx.c.add_int(len as i64);
    ctx.notify(notify::LIST, "linsert", key, db);
    ctx.srv.mark_dirty(1);
    Ok(())
}
