//! Set commands (Redis's `t_set.c`): SADD SREM SMEMBERS SISMEMBER SMISMEMBER
//! SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION
//! SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
//!
//! The value type and its encodings live in `db::set`; this file holds the
//! command semantics, which follow redis-server 7.0.15 down to details users
//! can observe:
//! * argument errors come before key lookups where Redis parses first
//!   (SPOP/SRANDMEMBER counts, SINTERCARD options, SSCAN cursor), and after
//!   the type check where Redis looks the key up first (SSCAN options);
//! * the multi-key commands check the type of every key, even after a
//!   missing one, before computing anything;
//! * results built from other sets (the *STORE commands, SUNION/SDIFF
//!   replies, SPOP of the whole set) start as an empty intset and take
//!   members one by one, so their encoding and, for intsets, their ascending
//!   order match Redis's;
//! * random replies (SPOP, SRANDMEMBER) use the same strategies as Redis
//!   (case thresholds included), which decide which encoding the set left by
//!   SPOP ends up in.
//!
//! Keyspace notifications use Redis's event names; dirty counts follow
//! Redis's increments.

use super::keys::parse_cursor;
use super::{is, CmdError, CmdResult, Ctx};
use crate::db::set::{Member, OwnedMember, Set};
use crate::db::{Dict, Value};
use crate::resp::{errors, reply};
use crate::server::{notify, Server};
use crate::util::{parse_i64, string_match, write_u64};

/// SPOP's count error (any count that is not a non-negative integer).
const COUNT_NOT_POSITIVE: &str = "ERR value is out of range, must be positive";
/// SRANDMEMBER's count must have an absolute value (LONG_MIN has none).
const COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
const NUMKEYS_NOT_POSITIVE: &str = "ERR numkeys should be greater than 0";
const NUMKEYS_TOO_MANY: &str = "ERR Number of keys can't be greater than number of args";

/// SPOP with a count extracts members one at a time while the set stays at
/// least this many times bigger than the count; above that it rebuilds the
/// part that remains (Redis's SPOP_MOVE_STRATEGY_MUL).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;
/// SRANDMEMBER copies the set and removes members when it is at most this
/// many times bigger than the count (Redis's SRANDMEMBER_SUB_STRATEGY_MUL).
const SRANDMEMBER_SUB_STRATEGY_MUL: u64 = 3;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Look `key` up for reading: `Ok(None)` if missing, WRONGTYPE if it holds
/// another type. Counts a keyspace hit or miss.
fn read_set<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a Set>, CmdError> {
    match srv.lookup_read(db, key, now) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// Look `key` up for writing (expired keys deleted first, no statistics).
fn write_set<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    now: i64,
) -> Result<Option<&'a mut Set>, CmdError> {
    match srv.lookup_write(db, key, now) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// Append one member as a bulk string.
#[inline]
fn reply_member(out: &mut Vec<u8>, m: Member) {
    match m {
        Member::Int(v) => reply::bulk_i64(out, v),
        Member::Bytes(b) => reply::bulk(out, b),
    }
}

/// Delete `key`, which a command just emptied, and tell subscribers.
fn delete_emptied(ctx: &mut Ctx, db: usize, key: &[u8]) {
    ctx.srv.dbs[db].remove(key);
    ctx.notify(notify::GENERIC, "del", key, db);
}

/// Store `result` at `dst` for the *STORE commands (Redis's setKey: the old
/// value of any type and its TTL go), or delete `dst` when the result is
/// empty. Replies with the cardinality.
fn store_result(ctx: &mut Ctx, db: usize, dst: &[u8], result: Set, event: &str) {
    let n = result.len();
    if n > 0 {
        ctx.srv.set_key(db, dst, Value::Set(result), ctx.now_ms);
        ctx.c.add_int(n as i64);
        ctx.notify(notify::SET, event, dst, db);
        ctx.srv.mark_dirty(1);
    } else {
        ctx.c.add_int(0);
        if ctx.srv.dbs[db].remove(dst).is_some() {
            ctx.srv.mark_dirty(1);
            ctx.notify(notify::GENERIC, "del", dst, db);
        }
    }
}

/// Looks every key up for reading, in order, as Redis does before any set
/// operation: statistics per key, WRONGTYPE at the first key holding
/// another type (even after a missing key). Returns whether each exists.
fn check_sets(ctx: &mut Ctx, db: usize, keys: &[&[u8]]) -> Result<Vec<bool>, CmdError> {
    let mut present = Vec::with_capacity(keys.len());
    for k in keys {
        present.push(read_set(ctx.srv, db, k, ctx.now_ms)?.is_some());
    }
    Ok(present)
}

/// The sets at `keys` after [`check_sets`], `None` for missing keys.
fn collect_sets<'a>(srv: &'a Server, db: usize, keys: &[&[u8]], now: i64) -> Vec<Option<&'a Set>> {
    let d = &srv.dbs[db];
    keys.iter()
        .map(|k| match d.dict.get(k) {
            Some(Value::Set(s)) if !d.is_expired(k, now) => Some(s),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Single-key commands
// ---------------------------------------------------------------------------

/// SADD key member [member ...]. A new key's encoding is chosen by its first
/// member (intset if it is an integer), as Redis's setTypeCreate.
pub fn sadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let max = ctx.srv.config.set_max_intset_entries;
    let added = match write_set(ctx.srv, db, key, ctx.now_ms)? {
        Some(set) => argv[2..].iter().filter(|m| set.add(m, max)).count(),
        None => {
            let mut set = Set::new_for(argv[2]);
            let n = argv[2..].iter().filter(|m| set.add(m, max)).count();
            ctx.srv.db_add(db, key, Value::Set(set));
            n
        }
    };
    if added > 0 {
        ctx.notify(notify::SET, "sadd", key, db);
    }
    ctx.srv.mark_dirty(added as u64);
    ctx.c.add_int(added as i64);
    Ok(())
}

/// SREM key member [member ...]. Deletes the key once it is empty.
pub fn srem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let Some(set) = write_set(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let mut deleted = 0;
    for m in &argv[2..] {
        if set.remove(m) {
            deleted += 1;
            if set.is_empty() {
                break;
            }
        }
    }
    let emptied = set.is_empty();
    if deleted > 0 {
        ctx.notify(notify::SET, "srem", key, db);
        if emptied {
            delete_emptied(ctx, db, key);
        }
        ctx.srv.mark_dirty(deleted);
    }
    ctx.c.add_int(deleted as i64);
    Ok(())
}

/// SMOVE source destination member. Returns 0 when the source is missing
/// (before any type check, like Redis), 1 when the member moved (even if
/// the destination already had it).
pub fn smove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let (src, dst, ele) = (argv[1], argv[2], argv[3]);
    let now = ctx.now_ms;
    let src_is_set = ctx
        .srv
        .lookup_write(db, src, now)
        .map(|v| matches!(v, Value::Set(_)));
    let dst_is_set = ctx
        .srv
        .lookup_write(db, dst, now)
        .map(|v| matches!(v, Value::Set(_)));
    match src_is_set {
        None => {
            ctx.c.add_int(0);
            return Ok(());
        }
        Some(false) => return Err(errors::WRONGTYPE.into()),
        Some(true) => {}
    }
    if dst_is_set == Some(false) {
        return Err(errors::WRONGTYPE.into());
    }
    if src == dst {
        // Same set: nothing moves; the reply says whether it is a member.
        let found = matches!(ctx.srv.dbs[db].dict.get(src), Some(Value::Set(s)) if s.contains(ele));
        ctx.c.add_int(found as i64);
        return Ok(());
    }
    let Some(Value::Set(s)) = ctx.srv.dbs[db].dict.get_mut(src) else {
        ctx.c.add_int(0);
        return Ok(());
    };
    if !s.remove(ele) {
        ctx.c.add_int(0);
        return Ok(());
    }
    let src_emptied = s.is_empty();
    ctx.notify(notify::SET, "srem", src, db);
    if src_emptied {
        delete_emptied(ctx, db, src);
    }
    let max = ctx.srv.config.set_max_intset_entries;
    let added = match ctx.srv.dbs[db].dict.get_mut(dst) {
        Some(Value::Set(d)) => d.add(ele, max),
        _ => {
            let mut d = Set::new_for(ele);
            d.add(ele, max);
            ctx.srv.db_add(db, dst, Value::Set(d));
            true
        }
    };
    ctx.srv.mark_dirty(1);
    if added {
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::SET, "sadd", dst, db);
    }
    ctx.c.add_int(1);
    Ok(())
}

/// SISMEMBER key member
pub fn sismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let found =
        read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.is_some_and(|s| s.contains(argv[2]));
    ctx.c.add_int(found as i64);
    Ok(())
}

/// SMISMEMBER key member [member ...]: an array of 0/1 (zeros for a missing
/// key), integers in RESP3 too.
pub fn smismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let set = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let out = &mut ctx.c.reply;
    reply::array_len(out, argv.len() - 2);
    for m in &argv[2..] {
        reply::int(out, set.is_some_and(|s| s.contains(m)) as i64);
    }
    Ok(())
}

/// SCARD key
pub fn scard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.map_or(0, |s| s.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

/// SMEMBERS key: a set reply, ascending for an intset.
pub fn smembers(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let resp = ctx.c.resp;
    let set = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let out = &mut ctx.c.reply;
    match set {
        None => reply::set_len(out, resp, 0),
        Some(s) => {
            reply::set_len(out, resp, s.len());
            for m in s.iter() {
                reply_member(out, m);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// SPOP and SRANDMEMBER
// ---------------------------------------------------------------------------

/// SPOP key [count]. Without a count: one random member (null if the key
/// is missing), the key deleted when emptied.
pub fn spop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 3 {
        return spop_with_count(ctx, argv);
    }
    if argv.len() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let db = ctx.c.db;
    let key = argv[1];
    let Some(set) = write_set(ctx.srv, db, key, ctx.now_ms)? else {
        ctx.c.add_null();
        return Ok(());
    };
    let Some(m) = set.random_owned() else {
        ctx.c.add_null();
        return Ok(());
    };
    set.remove_member(m.as_member());
    let emptied = set.is_empty();
    ctx.notify(notify::SET, "spop", key, db);
    // SPOP is random: replicas and the AOF get the member that was taken.
    let member = m.as_member().with_bytes(|b| b.to_vec());
    ctx.srv
        .propagate_instead(db, vec![b"SREM".to_vec(), key.to_vec(), member]);
    reply_member(&mut ctx.c.reply, m.as_member());
    if emptied {
        delete_emptied(ctx, db, key);
    }
    ctx.srv.mark_dirty(1);
    Ok(())
}

/// SPOP key count: a set reply of up to `count` distinct members.
///
/// Three strategies, as Redis: the whole set when `count >= size` (the key
/// goes); single random extractions while the set stays much bigger than
/// `count`; otherwise build a new set from the members that stay and hand
/// out the old one (which is why a hashtable of integers can come back as an
/// intset).
fn spop_with_count(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let count = match parse_i64(argv[2]) {
        Some(n) if n >= 0 => n as u64,
        _ => return Err(COUNT_NOT_POSITIVE.into()),
    };
    let db = ctx.c.db;
    let key = argv[1];
    let resp = ctx.c.resp;
    let max = ctx.srv.config.set_max_intset_entries;
    let size = match write_set(ctx.srv, db, key, ctx.now_ms)? {
        None => {
            ctx.c.add_set_len(0);
            return Ok(());
        }
        Some(set) => set.len() as u64,
    };
    if count == 0 {
        ctx.c.add_set_len(0);
        return Ok(());
    }
    ctx.notify(notify::SET, "spop", key, db);
    // One change per member popped (what 7.0.15 counts).
    ctx.srv.mark_dirty(count.min(size));

    if count >= size {
        // Redis serves this through SUNION of the key alone: one more read
        // lookup, and a reply in the order of a freshly built set.
        if let Some(Value::Set(s)) = ctx.srv.lookup_read(db, key, ctx.now_ms) {
            let copy = s.rebuilt(max);
            reply::set_len(&mut ctx.c.reply, resp, copy.len());
            for m in copy.iter() {
                reply_member(&mut ctx.c.reply, m);
            }
        }
        delete_emptied(ctx, db, key);
        ctx.srv
            .propagate_instead(db, vec![b"DEL".to_vec(), key.to_vec()]);
        return Ok(());
    }

    // Each member handed out is propagated as `SREM key <members…>` (in
    // batches, as Redis does), and the SPOP itself is not.
    let mut handed: Vec<Vec<u8>> = Vec::new();
    let Some(Value::Set(set)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Ok(());
    };
    let out = &mut ctx.c.reply;
    reply::set_len(out, resp, count as usize);
    let remaining = size - count;
    if remaining * SPOP_MOVE_STRATEGY_MUL > count {
        for _ in 0..count {
            let Some(m) = set.random_owned() else { break };
            set.remove_member(m.as_member());
            reply_member(out, m.as_member());
            handed.push(m.as_member().with_bytes(|b| b.to_vec()));
        }
    } else {
        let mut kept: Option<Set> = None;
        for _ in 0..remaining {
            let Some(m) = set.random_owned() else { break };
            let new = kept.get_or_insert_with(|| match &m {
                OwnedMember::Int(_) => Set::new_intset(),
                OwnedMember::Bytes(b) => Set::new_for(b),
            });
            new.add_member(m.as_member(), max);
            set.remove_member(m.as_member());
        }
        for m in set.iter() {
            reply_member(out, m);
            handed.push(m.with_bytes(|b| b.to_vec()));
        }
        // Swapping in place keeps the key's TTL (Redis's dbOverwrite).
        if let Some(new) = kept {
            *set = new;
        }
    }
    for batch in handed.chunks(1024) {
        let mut argv = Vec::with_capacity(batch.len() + 2);
        argv.push(b"SREM".to_vec());
        argv.push(key.to_vec());
        argv.extend(batch.iter().cloned());
        ctx.srv.propagate_instead(db, argv);
    }
    Ok(())
}

/// SRANDMEMBER key [count]. Without a count: one random member or null.
pub fn srandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 3 {
        return srandmember_with_count(ctx, argv);
    }
    if argv.len() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let set = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    match set.and_then(|s| s.random_member()) {
        Some(m) => reply_member(&mut ctx.c.reply, m),
        None => ctx.c.add_null(),
    }
    Ok(())
}

/// SRANDMEMBER key count: an array (in RESP3 too, as 7.0 replies). A
/// positive count gives distinct members, at most the whole set; a negative
/// count gives exactly |count| members, possibly repeated.
///
/// Like Redis, a huge negative count streams that many members into the
/// reply buffer; nothing is preallocated from the count.
fn srandmember_with_count(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let l = super::arg_i64(argv[2])?;
    if l == i64::MIN {
        return Err(COUNT_RANGE.into());
    }
    let (count, uniq) = (l.unsigned_abs(), l >= 0);
    let set = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let out = &mut ctx.c.reply;
    let Some(set) = set else {
        reply::array_len(out, 0);
        return Ok(());
    };
    let size = set.len() as u64;
    if count == 0 || size == 0 {
        reply::array_len(out, 0);
        return Ok(());
    }
    if !uniq {
        reply::array_len(out, count as usize);
        for _ in 0..count {
            if let Some(m) = set.random_member() {
                reply_member(out, m);
            }
        }
        return Ok(());
    }
    if count >= size {
        reply::array_len(out, size as usize);
        for m in set.iter() {
            reply_member(out, m);
        }
        return Ok(());
    }
    reply::array_len(out, count as usize);
    if count * SRANDMEMBER_SUB_STRATEGY_MUL > size {
        // Close to the whole set: copy it and drop random members.
        let mut all: Vec<Member> = set.iter().collect();
        while all.len() as u64 > count {
            let i = (crate::db::dict::random_u64() % all.len() as u64) as usize;
            all.swap_remove(i);
        }
        for m in all {
            reply_member(out, m);
        }
    } else {
        // Much bigger set: draw until `count` distinct members.
        let mut seen: Dict<()> = Dict::with_capacity(count as usize);
        while (seen.len() as u64) < count {
            let Some(m) = set.random_member() else { break };
            m.with_bytes(|b| {
                if !seen.contains_key(b) {
                    seen.insert_new(b.into(), ());
                    reply::bulk(out, b);
                }
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Intersection
// ---------------------------------------------------------------------------

/// What an intersection produces.
enum InterOut<'a> {
    /// SINTER: a set reply.
    Reply,
    /// SINTERCARD: the cardinality, stopping at `limit` (0 = no limit).
    Card(u64),
    /// SINTERSTORE: stored at this key.
    Store(&'a [u8]),
}

/// The intersection of the sets at `keys` (Redis's sinterGenericCommand).
/// Missing keys are empty sets, so any missing key makes the result empty
/// (after every key's type was checked). The smallest set is walked and its
/// members tested against the others; an intset walked first gives an
/// ascending reply.
fn sinter_generic(ctx: &mut Ctx, keys: &[&[u8]], mode: InterOut) -> CmdResult {
    let db = ctx.c.db;
    let resp = ctx.c.resp;
    let present = check_sets(ctx, db, keys)?;
    let max = ctx.srv.config.set_max_intset_entries;
    let mut sets: Vec<&Set> = collect_sets(ctx.srv, db, keys, ctx.now_ms)
        .into_iter()
        .flatten()
        .collect();
    if present.contains(&false) || sets.len() < keys.len() {
        match mode {
            InterOut::Store(dst) => {
                // Redis's early exit on a missing set deletes, then
                // replies (the event goes first, unlike the other paths).
                if ctx.srv.dbs[db].remove(dst).is_some() {
                    ctx.notify(notify::GENERIC, "del", dst, db);
                    ctx.srv.mark_dirty(1);
                }
                ctx.c.add_int(0);
            }
            InterOut::Card(_) => ctx.c.add_int(0),
            InterOut::Reply => ctx.c.add_set_len(0),
        }
        return Ok(());
    }
    // Stable, like glibc's qsort (a merge sort) on ties.
    sets.sort_by_key(|s| s.len());
    let first = sets[0];
    let mut result = Set::new_intset();
    let mut body = Vec::new();
    let mut card: u64 = 0;
    for m in first.iter() {
        let in_all = sets[1..]
            .iter()
            .all(|s| std::ptr::eq(*s, first) || s.contains_member(m));
        if !in_all {
            continue;
        }
        match mode {
            InterOut::Store(_) => {
                result.add_member(m, max);
            }
            InterOut::Card(limit) => {
                card += 1;
                if limit > 0 && card >= limit {
                    break;
                }
            }
            InterOut::Reply => {
                card += 1;
                reply_member(&mut body, m);
            }
        }
    }
    match mode {
        InterOut::Store(dst) => store_result(ctx, db, dst, result, "sinterstore"),
        InterOut::Card(_) => ctx.c.add_int(card as i64),
        InterOut::Reply => {
            reply::set_len(&mut ctx.c.reply, resp, card as usize);
            ctx.c.reply.extend_from_slice(&body);
        }
    }
    Ok(())
}

/// SINTER key [key ...]
pub fn sinter(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sinter_generic(ctx, &argv[1..], InterOut::Reply)
}

/// SINTERSTORE destination key [key ...]
pub fn sinterstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sinter_generic(ctx, &argv[2..], InterOut::Store(argv[1]))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]. Options are checked
/// before any key is looked up.
pub fn sintercard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let numkeys = match parse_i64(argv[1]) {
        Some(n) if n > 0 => n as u64,
        _ => return Err(NUMKEYS_NOT_POSITIVE.into()),
    };
    if numkeys > (argv.len() - 2) as u64 {
        return Err(NUMKEYS_TOO_MANY.into());
    }
    let keys_end = 2 + numkeys as usize;
    let mut limit: u64 = 0;
    let mut j = keys_end;
    while j < argv.len() {
        if is(argv[j], "limit") && j + 1 < argv.len() {
            j += 1;
            limit = super::arg_limit(argv[j])?;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    sinter_generic(ctx, &argv[2..keys_end], InterOut::Card(limit))
}

// ---------------------------------------------------------------------------
// Union and difference
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Diff,
}

/// SUNION/SDIFF and their STORE forms (Redis's sunionDiffGenericCommand).
/// The result is built in a fresh intset (so it is an intset, replied in
/// ascending order, whenever it qualifies). SDIFF picks between Redis's two
/// algorithms by the same work estimate, because they leave the result in
/// different encodings: walking the first set adds only survivors, while
/// "add the first set, remove the others" may have converted the result on
/// the way.
fn sunion_diff_generic(ctx: &mut Ctx, keys: &[&[u8]], dst: Option<&[u8]>, op: SetOp) -> CmdResult {
    let db = ctx.c.db;
    let resp = ctx.c.resp;
    check_sets(ctx, db, keys)?;
    let max = ctx.srv.config.set_max_intset_entries;
    let mut sets = collect_sets(ctx.srv, db, keys, ctx.now_ms);
    let mut result = Set::new_intset();
    let size = |s: &Option<&Set>| s.map_or(0, |s| s.len() as u64);
    match op {
        SetOp::Union => {
            for s in sets.iter().flatten() {
                for m in s.iter() {
                    result.add_member(m, max);
                }
            }
        }
        SetOp::Diff => {
            if let Some(first) = sets[0] {
                let (mut one, mut two) = (0u64, 0u64);
                for s in sets.iter().flatten() {
                    one += first.len() as u64;
                    two += s.len() as u64;
                }
                if one / 2 <= two {
                    // Algorithm 1: walk the first set; biggest sets first so
                    // a member is rejected early.
                    sets[1..].sort_by_key(|s| std::cmp::Reverse(size(s)));
                    for m in first.iter() {
                        let excluded = sets[1..]
                            .iter()
                            .flatten()
                            .any(|s| std::ptr::eq(*s, first) || s.contains_member(m));
                        if !excluded {
                            result.add_member(m, max);
                        }
                    }
                } else {
                    // Algorithm 2: add the first set, remove the others.
                    for (j, s) in sets.iter().enumerate() {
                        let Some(s) = s else { continue };
                        for m in s.iter() {
                            if j == 0 {
                                result.add_member(m, max);
                            } else {
                                result.remove_member(m);
                            }
                        }
                        if result.is_empty() {
                            break;
                        }
                    }
                }
            }
        }
    }
    match dst {
        None => {
            let out = &mut ctx.c.reply;
            reply::set_len(out, resp, result.len());
            for m in result.iter() {
                reply_member(out, m);
            }
        }
        Some(dst) => {
            let event = if op == SetOp::Union {
                "sunionstore"
            } else {
                "sdiffstore"
            };
            store_result(ctx, db, dst, result, event);
        }
    }
    Ok(())
}

/// SUNION key [key ...]
pub fn sunion(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sunion_diff_generic(ctx, &argv[1..], None, SetOp::Union)
}

/// SUNIONSTORE destination key [key ...]
pub fn sunionstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sunion_diff_generic(ctx, &argv[2..], Some(argv[1]), SetOp::Union)
}

/// SDIFF key [key ...]
pub fn sdiff(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sunion_diff_generic(ctx, &argv[1..], None, SetOp::Diff)
}

/// SDIFFSTORE destination key [key ...]
pub fn sdiffstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sunion_diff_generic(ctx, &argv[2..], Some(argv[1]), SetOp::Diff)
}

// ---------------------------------------------------------------------------
// SSCAN
// ---------------------------------------------------------------------------

/// SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is parsed
/// before the key lookup and the options after it (so a missing key answers
/// an empty scan whatever the options). An intset is returned whole with
/// cursor 0, as Redis does for its compact encodings; a hashtable is walked
/// with the dict's reverse-binary cursor, at most 10×COUNT buckets per call.
pub fn sscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut cursor = parse_cursor(argv[2])?;
    let Some(set) = read_set(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        let out = &mut ctx.c.reply;
        reply::array_len(out, 2);
        reply::bulk(out, b"0");
        reply::array_len(out, 0);
        return Ok(());
    };
    let super::keys::ScanOpts { pattern, count, .. } =
        super::keys::parse_scan_opts(&argv[3..], false)?;
    let mut found: Vec<Vec<u8>> = Vec::new();
    match set.as_dict() {
        None => {
            found.extend(set.iter().map(|m| m.to_vec()));
            cursor = 0;
        }
        Some(d) => {
            let mut budget = count.saturating_mul(10);
            loop {
                cursor = d.scan(cursor, |k, _| found.push(k.to_vec()));
                budget -= 1;
                if cursor == 0 || budget <= 0 || found.len() as i64 >= count {
                    break;
                }
            }
        }
    }
    if let Some(p) = pattern {
        found.retain(|m| string_match(p, m, false));
    }
    let mut cur = Vec::with_capacity(20);
    write_u64(&mut cur, cursor);
    let out = &mut ctx.c.reply;
    reply::array_len(out, 2);
    reply::bulk(out, &cur);
    reply::array_len(out, found.len());
    for m in &found {
        reply::bulk(out, m);
    }
    Ok(())
}
