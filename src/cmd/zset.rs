//! Sorted set commands (Redis's t_zset.c command side).
//!
//! Handlers parse and validate everything a command can reject before they
//! touch the keyspace, in the order Redis checks (so the same error wins),
//! then work through [`crate::db::zset::ZSet`], which speaks ascending
//! 0-based ranks: REV, negative indexes, LIMIT and range bounds are all
//! turned into a rank window here.
//!
//! Scores are replied with [`reply_double`]: a bulk string in RESP2 and the
//! `,` double type in RESP3, with Redis 7.0's `%.17g` text. Replies that
//! carry (member, score) pairs are flat in RESP2 and arrays of pairs in
//! RESP3, except where Redis keeps them flat (ZPOPMIN without COUNT, ZSCAN)
//! or always nests them (ZMPOP).
//!
//! A key whose last member goes is deleted (with a `del` event); new keys go
//! through `Server::db_add` so the blocking layer can wake BZPOPMIN clients.
//! [`pop_and_reply`] is the piece that layer reuses to serve them.

use super::blocking::{block_or_give_up, parse_timeout, NoWait};
use super::keys::parse_cursor;
use super::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::set::Set;
use crate::db::zset::{Limits, ZSet};
use crate::db::Value;
use crate::resp::{errors, reply};
use crate::server::notify;
use crate::util::{format_f64, parse_f64, string_match};

const NX_XX: &str = "ERR XX and NX options at the same time are not compatible";
const GT_LT_NX: &str = "ERR GT, LT, and/or NX options at the same time are not compatible";
const INCR_PAIR: &str = "ERR INCR option supports a single increment-element pair";
const SCORE_NAN: &str = "ERR resulting score is not a number (NaN)";
const MINMAX_FLOAT: &str = "ERR min or max is not a float";
const MINMAX_LEX: &str = "ERR min or max not valid string range item";
const LIMIT_NO_BY: &str =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
const WITHSCORES_BYLEX: &str =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
const WEIGHT_FLOAT: &str = "ERR weight value is not a float";
const NUMKEYS_POSITIVE: &str = "ERR numkeys should be greater than 0";
const COUNT_POSITIVE: &str = "ERR count should be greater than 0";
const MUST_BE_POSITIVE: &str = "ERR value is out of range, must be positive";
const OUT_OF_RANGE: &str = "ERR value is out of range";
const RANDMEMBER_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

fn at_least_one_key(cmd: &str) -> String {
    format!("ERR at least 1 input key is needed for '{cmd}' command")
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Append a score: bulk string in RESP2, `,` double in RESP3.
///
/// Formats straight into `out` (no temporary buffer: ZPOPMIN, ZINCRBY and
/// WITHSCORES replies call this per element). In RESP2 the `$len` header
/// depends on the text, so it is appended after the text and rotated in
/// front of it; both are a few bytes.
pub fn reply_double(out: &mut Vec<u8>, resp: u8, v: f64) {
    if resp >= 3 {
        out.push(b',');
        format_f64(out, v);
    } else {
        let start = out.len();
        format_f64(out, v);
        let len = out.len() - start;
        // %.17g text is at most 24 bytes ("-1.2345678901234567e-308").
        debug_assert!(len < 100);
        out.push(b'$');
        if len >= 10 {
            out.push(b'0' + (len / 10 % 10) as u8);
        }
        out.push(b'0' + (len % 10) as u8);
        out.extend_from_slice(b"\r\n");
        let header = out.len() - start - len;
        out[start..].rotate_right(header);
    }
    out.extend_from_slice(b"\r\n");
}

pub(super) fn limits(ctx: &Ctx) -> Limits {
    Limits::new(
        ctx.srv.config.zset_max_listpack_entries,
        ctx.srv.config.zset_max_listpack_value,
    )
}

/// Look `key` up for reading: `Ok(None)` if missing, WRONGTYPE if not a zset.
pub(super) fn read_zset<'a>(
    srv: &'a mut crate::server::Server,
    db: usize,
    key: &[u8],
    now_ms: i64,
) -> Result<Option<&'a ZSet>, CmdError> {
    match srv.lookup_read(db, key, now_ms) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// Look `key` up for writing, with the same contract as [`read_zset`].
fn write_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut ZSet>, CmdError> {
    let db = ctx.c.db;
    match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

/// After removing members from `key`: delete it if it became empty (with
/// the `del` event), count the change and publish `event` first.
fn after_remove(ctx: &mut Ctx, key: &[u8], event: &str, removed: usize) {
    if removed == 0 {
        return;
    }
    let db = ctx.c.db;
    ctx.notify(notify::ZSET, event, key, db);
    let empty = matches!(ctx.srv.dbs[db].dict.get(key), Some(Value::ZSet(z)) if z.is_empty());
    if empty {
        ctx.srv.dbs[db].remove(key);
        ctx.notify(notify::GENERIC, "del", key, db);
    }
    ctx.srv.mark_dirty(removed as u64);
}

/// Store a freshly built result at `dst` (ZRANGESTORE, ZUNIONSTORE...):
/// replace whatever was there (TTL dropped), or delete `dst` when the
/// result is empty. Replies with the result's size.
fn store_result(ctx: &mut Ctx, dst: &[u8], z: ZSet, event: &str) {
    let db = ctx.c.db;
    let n = z.len();
    // The reply goes before the event, as Redis sends them.
    ctx.c.add_int(n as i64);
    if n > 0 {
        ctx.srv.set_key(db, dst, Value::ZSet(z), ctx.now_ms);
        ctx.notify(notify::ZSET, event, dst, db);
        ctx.srv.mark_dirty(1);
    } else if ctx.srv.dbs[db].remove(dst).is_some() {
        // Redis's dbDelete: an expired destination is deleted ("del"),
        // not expired.
        ctx.notify(notify::GENERIC, "del", dst, db);
        ctx.srv.mark_dirty(1);
    }
}

/// Writes a list of members, optionally with scores, in the shape Redis
/// uses for range replies: flat in RESP2, pairs in RESP3.
struct RangeOut {
    resp: u8,
    withscores: bool,
}

impl RangeOut {
    fn begin(&self, out: &mut Vec<u8>, n: usize) {
        if self.withscores && self.resp < 3 {
            reply::array_len(out, n.saturating_mul(2));
        } else {
            reply::array_len(out, n);
        }
    }

    fn item(&self, out: &mut Vec<u8>, member: &[u8], score: f64) {
        if self.withscores && self.resp >= 3 {
            reply::array_len(out, 2);
        }
        reply::bulk(out, member);
        if self.withscores {
            reply_double(out, self.resp, score);
        }
    }
}

/// Normalize a rank range the way Redis does (negative counts from the
/// end, clamped); `None` when it selects nothing.
fn rank_window(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let llen = len as i64;
    let mut start = if start < 0 { start + llen } else { start };
    let mut end = if end < 0 { end + llen } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return None;
    }
    if end >= llen {
        end = llen - 1;
    }
    Some((start as usize, end as usize))
}

// ---------------------------------------------------------------------------
// Range specifications
// ---------------------------------------------------------------------------

/// C `strtod` over the whole argument, as zslParseRange uses it: leading
/// white space allowed, overflow gives ±inf, underflow gives 0, an empty
/// string is 0; NaN and trailing bytes are rejected. Redis hands strtod
/// the argument as a C string, so a NUL byte ends it (`"1\0x"` is 1).
fn strtod_full(s: &[u8]) -> Option<f64> {
    let s = &s[..memchr::memchr(0, s).unwrap_or(s.len())];
    if s.is_empty() {
        return Some(0.0);
    }
    let t = {
        let skip = s
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            .count();
        &s[skip..]
    };
    if let Some(v) = parse_f64(t) {
        return Some(v);
    }
    // parse_f64 rejects what strtod takes with ERANGE (1e999, 1e-999):
    // Rust's parser saturates to ±inf / 0 the same way.
    let v: f64 = std::str::from_utf8(t).ok()?.parse().ok()?;
    if v.is_nan() {
        None
    } else {
        Some(v)
    }
}

/// A score interval (Redis's zrangespec).
#[derive(Clone, Copy)]
struct ScoreRange {
    min: f64,
    max: f64,
    minex: bool,
    maxex: bool,
}

fn parse_score_bound(a: &[u8]) -> Option<(f64, bool)> {
    match a.first() {
        Some(b'(') => strtod_full(&a[1..]).map(|v| (v, true)),
        _ => strtod_full(a).map(|v| (v, false)),
    }
}

fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    let err = || CmdError::from(MINMAX_FLOAT);
    let (min, minex) = parse_score_bound(min).ok_or_else(err)?;
    let (max, maxex) = parse_score_bound(max).ok_or_else(err)?;
    Ok(ScoreRange {
        min,
        max,
        minex,
        maxex,
    })
}

/// A bound of a lex interval (Redis's zlexrangespec item).
#[derive(Clone)]
enum LexBound {
    NegInf,
    PosInf,
    Incl(Vec<u8>),
    Excl(Vec<u8>),
}

fn parse_lex_bound(a: &[u8]) -> Result<LexBound, CmdError> {
    match a.first() {
        Some(b'+') if a.len() == 1 => Ok(LexBound::PosInf),
        Some(b'-') if a.len() == 1 => Ok(LexBound::NegInf),
        Some(b'(') => Ok(LexBound::Excl(a[1..].to_vec())),
        Some(b'[') => Ok(LexBound::Incl(a[1..].to_vec())),
        _ => Err(MINMAX_LEX.into()),
    }
}

/// Either kind of interval, as the ranks it covers in a given set.
enum Interval {
    Score(ScoreRange),
    Lex(LexBound, LexBound),
}

impl Interval {
    /// The ascending rank window `[lo, hi)` of the members inside.
    fn ranks(&self, z: &ZSet) -> (usize, usize) {
        match self {
            Interval::Score(r) => {
                let (min, max, minex, maxex) = (r.min, r.max, r.minex, r.maxex);
                let lo = z.count_while(&|s, _| if minex { s <= min } else { s < min });
                let hi = z.count_while(&|s, _| if maxex { s < max } else { s <= max });
                (lo, hi.max(lo))
            }
            Interval::Lex(min, max) => {
                let lo = z.count_while(&|_, m| match min {
                    LexBound::NegInf => false,
                    LexBound::PosInf => true,
                    LexBound::Incl(x) => m < x.as_slice(),
                    LexBound::Excl(x) => m <= x.as_slice(),
                });
                let hi = z.count_while(&|_, m| match max {
                    LexBound::NegInf => false,
                    LexBound::PosInf => true,
                    LexBound::Incl(x) => m <= x.as_slice(),
                    LexBound::Excl(x) => m < x.as_slice(),
                });
                (lo, hi.max(lo))
            }
        }
    }
}

/// Apply LIMIT to the window `[lo, hi)` walked in the given direction.
/// Returns the ascending rank window to visit, or `None` if empty.
/// A negative offset selects nothing; a negative count means "all".
fn limit_window(
    lo: usize,
    hi: usize,
    rev: bool,
    offset: i64,
    count: i64,
) -> Option<(usize, usize)> {
    if offset < 0 || hi <= lo {
        return None;
    }
    let avail = hi - lo;
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    if offset >= avail {
        return None;
    }
    let mut n = avail - offset;
    if count >= 0 {
        n = n.min(usize::try_from(count).unwrap_or(usize::MAX));
    }
    if n == 0 {
        return None;
    }
    if rev {
        let top = hi - 1 - offset;
        Some((top + 1 - n, top))
    } else {
        Some((lo + offset, lo + offset + n - 1))
    }
}

// ---------------------------------------------------------------------------
// ZADD, ZINCRBY
// ---------------------------------------------------------------------------

/// ZADD flags (Redis's ZADD_IN_*).
#[derive(Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// The shared body of ZADD and ZINCRBY. `argv[score_idx..]` holds the
/// score/member pairs. Replies with the count (or the new score for INCR),
/// creates the key if needed and publishes `zadd` / `zincr`.
fn zadd_generic(ctx: &mut Ctx, argv: &[&[u8]], score_idx: usize, f: AddFlags) -> CmdResult {
    let pairs = &argv[score_idx..];
    if !pairs.len().is_multiple_of(2) || pairs.is_empty() {
        return Err(errors::SYNTAX.into());
    }
    if f.nx && f.xx {
        return Err(NX_XX.into());
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(GT_LT_NX.into());
    }
    if f.incr && pairs.len() > 2 {
        return Err(INCR_PAIR.into());
    }
    // Every score is checked before anything changes (Redis's order). The
    // common one-pair call keeps its score on the stack.
    let mut one = [0.0f64; 1];
    let mut many = Vec::new();
    let scores: &mut [f64] = if pairs.len() == 2 {
        &mut one
    } else {
        many.resize(pairs.len() / 2, 0.0);
        &mut many
    };
    for (slot, p) in scores.iter_mut().zip(pairs.chunks(2)) {
        *slot = parse_f64(p[0]).ok_or(CmdError::from(errors::NOT_FLOAT))?;
    }
    let key = argv[1];
    let db = ctx.c.db;
    let lim = limits(ctx);
    let z = match write_zset(ctx, key)? {
        Some(z) => z,
        None if f.xx => {
            if f.incr {
                ctx.c.add_null();
            } else {
                ctx.c.add_int(0);
            }
            return Ok(());
        }
        None => {
            let z = ZSet::new_for_add(pairs[1].len(), lim);
            ctx.srv.db_add(db, key, Value::ZSet(z));
            // Not a second lookup: that would count as another access of
            // the key's LFU clock.
            let Some(Value::ZSet(z)) = ctx.srv.dbs[db].dict.get_mut(key) else {
                unreachable!("created just above")
            };
            z
        }
    };
    let (mut added, mut updated, mut processed) = (0usize, 0usize, 0usize);
    let mut new_score = None;
    let mut failed = None;
    for (p, &score) in pairs.chunks(2).zip(scores.iter()) {
        // One lookup per member: `upsert` hands the current score to this
        // closure, which applies the flags and names the new score.
        z.upsert(p[1], lim, |cur| {
            let Some(cur) = cur else {
                if f.xx {
                    return None;
                }
                added += 1;
                new_score = Some(score);
                processed += 1;
                return Some(score);
            };
            if f.nx {
                return None;
            }
            let mut score = score;
            if f.incr {
                score += cur;
                if score.is_nan() {
                    failed = Some(SCORE_NAN);
                    return None;
                }
            }
            if (f.lt && score >= cur) || (f.gt && score <= cur) {
                return None;
            }
            new_score = Some(score);
            processed += 1;
            if score != cur {
                updated += 1;
                Some(score)
            } else {
                None
            }
        });
        if failed.is_some() {
            break;
        }
    }
    if added + updated > 0 {
        let event = if f.incr { "zincr" } else { "zadd" };
        ctx.notify(notify::ZSET, event, key, db);
        ctx.srv.mark_dirty((added + updated) as u64);
    }
    if let Some(e) = failed {
        return Err(e.into());
    }
    if f.incr {
        match new_score {
            Some(s) if processed > 0 => reply_double(&mut ctx.c.reply, ctx.c.resp, s),
            _ => ctx.c.add_null(),
        }
    } else {
        ctx.c
            .add_int((if f.ch { added + updated } else { added }) as i64);
    }
    Ok(())
}

/// Reads ZADD's flags from `argv[i..]` into `f`; returns where the
/// score/member pairs start.
fn parse_add_flags(argv: &[&[u8]], mut i: usize, f: &mut AddFlags) -> usize {
    while let Some(a) = argv.get(i) {
        if is(a, "nx") {
            f.nx = true;
        } else if is(a, "xx") {
            f.xx = true;
        } else if is(a, "gt") {
            f.gt = true;
        } else if is(a, "lt") {
            f.lt = true;
        } else if is(a, "ch") {
            f.ch = true;
        } else if is(a, "incr") {
            f.incr = true;
        } else {
            break;
        }
        i += 1;
    }
    i
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
pub fn zadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut f = AddFlags::default();
    let i = parse_add_flags(argv, 2, &mut f);
    zadd_generic(ctx, argv, i, f)
}

/// ZINCRBY key increment member
pub fn zincrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut f = AddFlags {
        incr: true,
        ..AddFlags::default()
    };
    // Redis parses ZINCRBY as ZADD INCR: an increment spelled like a flag
    // (`ZINCRBY k NX m`) is taken as one, leaving no pair: a syntax error.
    let i = parse_add_flags(argv, 2, &mut f);
    zadd_generic(ctx, argv, i, f)
}

// ---------------------------------------------------------------------------
// Point reads and removal
// ---------------------------------------------------------------------------

/// ZREM key member [member ...]
pub fn zrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let Some(z) = write_zset(ctx, key)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let mut removed = 0;
    for m in &argv[2..] {
        if z.remove(m).is_some() {
            removed += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    after_remove(ctx, key, "zrem", removed);
    ctx.c.add_int(removed as i64);
    Ok(())
}

/// ZSCORE key member
pub fn zscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let score = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.and_then(|z| z.score(argv[2]));
    match score {
        Some(s) => reply_double(&mut ctx.c.reply, ctx.c.resp, s),
        None => ctx.c.add_null(),
    }
    Ok(())
}

/// ZMSCORE key member [member ...]
pub fn zmscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let resp = ctx.c.resp;
    let z = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let out = &mut ctx.c.reply;
    reply::array_len(out, argv.len() - 2);
    for m in &argv[2..] {
        match z.and_then(|z| z.score(m)) {
            Some(s) => reply_double(out, resp, s),
            None => reply::null_bulk(out, resp),
        }
    }
    Ok(())
}

/// ZCARD key
pub fn zcard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.map_or(0, |z| z.len());
    ctx.c.add_int(n as i64);
    Ok(())
}

/// ZCOUNT key min max
pub fn zcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let r = Interval::Score(parse_score_range(argv[2], argv[3])?);
    let n = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.map_or(0, |z| {
        let (lo, hi) = r.ranks(z);
        hi - lo
    });
    ctx.c.add_int(n as i64);
    Ok(())
}

/// ZLEXCOUNT key min max
pub fn zlexcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let r = Interval::Lex(parse_lex_bound(argv[2])?, parse_lex_bound(argv[3])?);
    let n = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.map_or(0, |z| {
        let (lo, hi) = r.ranks(z);
        hi - lo
    });
    ctx.c.add_int(n as i64);
    Ok(())
}

fn rank_generic(ctx: &mut Ctx, argv: &[&[u8]], rev: bool) -> CmdResult {
    let r = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?.and_then(|z| {
        z.rank(argv[2])
            .map(|(r, _)| if rev { z.len() - 1 - r } else { r })
    });
    match r {
        Some(r) => ctx.c.add_int(r as i64),
        None => ctx.c.add_null(),
    }
    Ok(())
}

/// ZRANK key member
pub fn zrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    rank_generic(ctx, argv, false)
}

/// ZREVRANK key member
pub fn zrevrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    rank_generic(ctx, argv, true)
}

// ---------------------------------------------------------------------------
// ZRANGE family
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

/// Redis's zrangeGenericCommand. `argv[first]` is the source key, followed
/// by the two bounds and the options. `rtype`/`rev` are fixed by the
/// legacy commands (`None` direction = not fixed, REV allowed). With
/// `store`, the result goes to `argv[1]` instead of the reply.
fn zrange_generic(
    ctx: &mut Ctx,
    argv: &[&[u8]],
    first: usize,
    store: bool,
    mut rtype: RangeType,
    fixed_rev: Option<bool>,
) -> CmdResult {
    let mut withscores = false;
    let mut limit: Option<(i64, i64)> = None;
    let mut rev = fixed_rev;
    let mut i = first + 3;
    while i < argv.len() {
        let a = argv[i];
        let left = argv.len() - i - 1;
        if !store && is(a, "withscores") {
            withscores = true;
        } else if is(a, "limit") && left >= 2 {
            limit = Some((arg_i64(argv[i + 1])?, arg_i64(argv[i + 2])?));
            i += 2;
        } else if rtype == RangeType::Auto && is(a, "byscore") {
            rtype = RangeType::Score;
        } else if rtype == RangeType::Auto && is(a, "bylex") {
            rtype = RangeType::Lex;
        } else if rev.is_none() && is(a, "rev") {
            rev = Some(true);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if rtype == RangeType::Auto {
        rtype = RangeType::Rank;
    }
    let rev = rev.unwrap_or(false);
    // Redis checks the count, not the option: LIMIT x -1 (no limit) passes
    // with a rank range, and the offset is then unused.
    if limit.is_some_and(|(_, count)| count != -1) && rtype == RangeType::Rank {
        return Err(LIMIT_NO_BY.into());
    }
    if withscores && rtype == RangeType::Lex {
        return Err(WITHSCORES_BYLEX.into());
    }
    // REV with BYSCORE/BYLEX takes its bounds as "max min".
    let (a1, a2) = (argv[first + 1], argv[first + 2]);
    let (min_arg, max_arg) = if rev && rtype != RangeType::Rank {
        (a2, a1)
    } else {
        (a1, a2)
    };
    enum Spec {
        Rank(i64, i64),
        Range(Interval),
    }
    let spec = match rtype {
        RangeType::Rank => Spec::Rank(arg_i64(a1)?, arg_i64(a2)?),
        RangeType::Score => Spec::Range(Interval::Score(parse_score_range(min_arg, max_arg)?)),
        _ => Spec::Range(Interval::Lex(
            parse_lex_bound(min_arg)?,
            parse_lex_bound(max_arg)?,
        )),
    };
    let (offset, count) = limit.unwrap_or((0, -1));
    let resp = ctx.c.resp;
    let lim = limits(ctx);
    let src = argv[first];
    let Some(z) = read_zset(ctx.srv, ctx.c.db, src, ctx.now_ms)? else {
        if store {
            store_result(ctx, argv[1], ZSet::default(), "zrangestore");
        } else {
            ctx.c.add_array_len(0);
        }
        return Ok(());
    };
    // The ascending rank window to visit (in reverse if `rev`).
    let window = match spec {
        Spec::Rank(start, end) => rank_window(start, end, z.len()).map(|(s, e)| {
            if rev {
                (z.len() - 1 - e, z.len() - 1 - s)
            } else {
                (s, e)
            }
        }),
        Spec::Range(r) => {
            let (lo, hi) = r.ranks(z);
            limit_window(lo, hi, rev, offset, count)
        }
    };
    if store {
        let mut entries = Vec::new();
        if let Some((s, e)) = window {
            z.for_range(s, e, rev, |m, sc| entries.push((m.to_vec(), sc)));
        }
        store_result(ctx, argv[1], ZSet::fresh(entries, lim), "zrangestore");
        return Ok(());
    }
    let w = RangeOut { resp, withscores };
    let out = &mut ctx.c.reply;
    match window {
        None => w.begin(out, 0),
        Some((s, e)) => {
            w.begin(out, e - s + 1);
            z.for_range(s, e, rev, |m, sc| w.item(out, m, sc));
        }
    }
    Ok(())
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
pub fn zrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Auto, None)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
pub fn zrangestore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 2, true, RangeType::Auto, None)
}

/// ZREVRANGE key start stop [WITHSCORES]
pub fn zrevrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Rank, Some(true))
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
pub fn zrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Score, Some(false))
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
pub fn zrevrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Score, Some(true))
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
pub fn zrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Lex, Some(false))
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
pub fn zrevrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zrange_generic(ctx, argv, 1, false, RangeType::Lex, Some(true))
}

// ---------------------------------------------------------------------------
// ZREMRANGEBY*
// ---------------------------------------------------------------------------

/// Remove the members selected by `window(z)` (an ascending rank window)
/// from `argv[1]`, reply with the count and publish `event`.
fn zremrange_generic(
    ctx: &mut Ctx,
    key: &[u8],
    event: &str,
    window: impl Fn(&ZSet) -> Option<(usize, usize)>,
) -> CmdResult {
    let Some(z) = write_zset(ctx, key)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let removed = match window(z) {
        Some((s, e)) => z.remove_range(s, e),
        None => 0,
    };
    after_remove(ctx, key, event, removed);
    ctx.c.add_int(removed as i64);
    Ok(())
}

/// ZREMRANGEBYRANK key start stop
pub fn zremrangebyrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (start, end) = (arg_i64(argv[2])?, arg_i64(argv[3])?);
    zremrange_generic(ctx, argv[1], "zremrangebyrank", |z| {
        rank_window(start, end, z.len())
    })
}

/// ZREMRANGEBYSCORE key min max
pub fn zremrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let r = Interval::Score(parse_score_range(argv[2], argv[3])?);
    zremrange_generic(ctx, argv[1], "zremrangebyscore", |z| {
        let (lo, hi) = r.ranks(z);
        (hi > lo).then(|| (lo, hi - 1))
    })
}

/// ZREMRANGEBYLEX key min max
pub fn zremrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let r = Interval::Lex(parse_lex_bound(argv[2])?, parse_lex_bound(argv[3])?);
    zremrange_generic(ctx, argv[1], "zremrangebylex", |z| {
        let (lo, hi) = r.ranks(z);
        (hi > lo).then(|| (lo, hi - 1))
    })
}

// ---------------------------------------------------------------------------
// Pops
// ---------------------------------------------------------------------------

/// Pop up to `count` (≥ 1) members from the low (`max` false) or high end
/// of the sorted set at `key` in `db`, which must exist, be a zset and be
/// non-empty, and reply in one of Redis's genericZpopCommand shapes:
///
/// | caller                     | `emit_key` | `nested` | reply                       |
/// |----------------------------|------------|----------|-----------------------------|
/// | ZPOPMIN (RESP2, or no COUNT) | false    | false    | `[m1, s1, m2, s2...]`       |
/// | ZPOPMIN COUNT in RESP3     | false      | true     | `[[m1, s1], ...]`           |
/// | BZPOPMIN                   | true       | false    | `[key, m1, s1]`             |
/// | ZMPOP / BZMPOP             | true       | true     | `[key, [[m1, s1], ...]]`    |
///
/// Publishes `zpopmin`/`zpopmax`, deletes the key when it empties (with
/// `del`), and marks the keyspace dirty. The blocking layer calls this to
/// serve BZPOPMIN/BZPOPMAX/BZMPOP once the key has data. Returns how many
/// members were popped (0 only if the preconditions did not hold, in which
/// case nothing is replied).
pub fn pop_and_reply(
    ctx: &mut Ctx,
    db: usize,
    key: &[u8],
    max: bool,
    count: usize,
    emit_key: bool,
    nested: bool,
) -> usize {
    let resp = ctx.c.resp;
    let Some(Value::ZSet(z)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return 0;
    };
    let n = count.min(z.len());
    if n == 0 {
        return 0;
    }
    let out = &mut ctx.c.reply;
    match (emit_key, nested) {
        (false, false) => reply::array_len(out, n * 2),
        (false, true) => reply::array_len(out, n),
        (true, false) => {
            reply::array_len(out, n * 2 + 1);
            reply::bulk(out, key);
        }
        (true, true) => {
            reply::array_len(out, 2);
            reply::bulk(out, key);
            reply::array_len(out, n);
        }
    }
    for _ in 0..n {
        // n <= len, so every pop succeeds.
        let Some((m, sc)) = z.pop(max) else { break };
        if nested {
            reply::array_len(out, 2);
        }
        reply::bulk(out, &m);
        reply_double(out, resp, sc);
    }
    let event = if max { "zpopmax" } else { "zpopmin" };
    ctx.notify(notify::ZSET, event, key, db);
    let empty = matches!(ctx.srv.dbs[db].dict.get(key), Some(Value::ZSet(z)) if z.is_empty());
    if empty {
        ctx.srv.dbs[db].remove(key);
        ctx.notify(notify::GENERIC, "del", key, db);
    }
    ctx.srv.mark_dirty(n as u64);
    n
}

/// The key to pop from among `keys`: the first that exists (WRONGTYPE if
/// that one is not a zset). Existing zsets are never empty.
fn first_zset_key<'k>(ctx: &mut Ctx, keys: &[&'k [u8]]) -> Result<Option<&'k [u8]>, CmdError> {
    for &k in keys {
        if write_zset(ctx, k)?.is_some() {
            return Ok(Some(k));
        }
    }
    Ok(None)
}

fn zpop_generic(ctx: &mut Ctx, argv: &[&[u8]], max: bool) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let count = match argv.get(2) {
        Some(a) => match crate::util::parse_i64(a) {
            Some(n) if n >= 0 => Some(n as u64),
            _ => return Err(MUST_BE_POSITIVE.into()),
        },
        None => None,
    };
    let Some(key) = first_zset_key(ctx, &argv[1..2])? else {
        ctx.c.add_array_len(0);
        return Ok(());
    };
    if count == Some(0) {
        ctx.c.add_array_len(0);
        return Ok(());
    }
    let n = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    let nested = count.is_some() && ctx.c.resp >= 3;
    let db = ctx.c.db;
    pop_and_reply(ctx, db, key, max, n, false, nested);
    Ok(())
}

/// ZPOPMIN key [count]
pub fn zpopmin(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zpop_generic(ctx, argv, false)
}

/// ZPOPMAX key [count]
pub fn zpopmax(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zpop_generic(ctx, argv, true)
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub fn zmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    zmpop_generic(ctx, argv, 1, None)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
pub fn bzmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let deadline = parse_timeout(argv[1], ctx.now_ms)?;
    zmpop_generic(ctx, argv, 2, Some(deadline))
}

/// Redis's blocking zset pops find the key (blockingGenericZpopCommand)
/// and then pop through genericZpopCommand, which looks it up again: two
/// accesses on the key's clock (visible in OBJECT FREQ), which we repeat.
fn second_zpop_lookup(ctx: &mut Ctx, key: &[u8]) {
    let db = ctx.c.db;
    let _ = ctx.srv.lookup_write(db, key, ctx.now_ms);
}

/// BZPOPMIN / BZPOPMAX key [key ...] timeout
fn bzpop_generic(ctx: &mut Ctx, argv: &[&[u8]], max: bool) -> CmdResult {
    let deadline = parse_timeout(argv[argv.len() - 1], ctx.now_ms)?;
    let keys = &argv[1..argv.len() - 1];
    match first_zset_key(ctx, keys)? {
        Some(key) => {
            let db = ctx.c.db;
            second_zpop_lookup(ctx, key);
            pop_and_reply(ctx, db, key, max, 1, true, false);
            // Replicas get the non-blocking pop.
            let cmd = if max {
                b"ZPOPMAX".to_vec()
            } else {
                b"ZPOPMIN".to_vec()
            };
            ctx.srv.propagate_instead(db, vec![cmd, key.to_vec()]);
        }
        None => block_or_give_up(ctx, keys, deadline, argv, NoWait::NullArray),
    }
    Ok(())
}

pub fn bzpopmin(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bzpop_generic(ctx, argv, false)
}

pub fn bzpopmax(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bzpop_generic(ctx, argv, true)
}

/// ZMPOP and BZMPOP; `first` is the index of numkeys, `timeout` BZMPOP's
/// deadline (None for ZMPOP).
fn zmpop_generic(
    ctx: &mut Ctx,
    argv_all: &[&[u8]],
    first: usize,
    timeout: Option<i64>,
) -> CmdResult {
    let argv = &argv_all[first - 1..];
    let numkeys = match crate::util::parse_i64(argv[1]) {
        Some(n) if n >= 1 => n as u64,
        _ => return Err(NUMKEYS_POSITIVE.into()),
    };
    let where_idx = match usize::try_from(numkeys).ok().and_then(|n| n.checked_add(2)) {
        Some(w) if w < argv.len() => w,
        _ => return Err(errors::SYNTAX.into()),
    };
    let max = if is(argv[where_idx], "min") {
        false
    } else if is(argv[where_idx], "max") {
        true
    } else {
        return Err(errors::SYNTAX.into());
    };
    let mut count: Option<u64> = None;
    let mut i = where_idx + 1;
    while i < argv.len() {
        if count.is_none() && is(argv[i], "count") && i + 1 < argv.len() {
            match crate::util::parse_i64(argv[i + 1]) {
                Some(n) if n >= 1 => count = Some(n as u64),
                _ => return Err(COUNT_POSITIVE.into()),
            }
            i += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let keys = &argv[2..where_idx];
    let Some(key) = first_zset_key(ctx, keys)? else {
        match timeout {
            Some(t) => block_or_give_up(ctx, keys, t, argv_all, NoWait::NullArray),
            None => ctx.c.add_null_array(),
        }
        return Ok(());
    };
    let n = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    let db = ctx.c.db;
    if timeout.is_some() {
        second_zpop_lookup(ctx, key);
    }
    let popped = pop_and_reply(ctx, db, key, max, n, true, true);
    if timeout.is_some() {
        let cmd = if max {
            b"ZPOPMAX".to_vec()
        } else {
            b"ZPOPMIN".to_vec()
        };
        let mut count = Vec::new();
        crate::util::write_u64(&mut count, popped as u64);
        ctx.srv
            .propagate_instead(db, vec![cmd, key.to_vec(), count]);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER
// ---------------------------------------------------------------------------

/// ZRANDMEMBER key [count [WITHSCORES]]
pub fn zrandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 2 {
        let pick = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?
            .and_then(|z| z.random_entry().map(|(m, _)| m.to_vec()));
        match pick {
            Some(m) => ctx.c.add_bulk(&m),
            None => ctx.c.add_null(),
        }
        return Ok(());
    }
    let l = arg_i64(argv[2])?;
    if l == i64::MIN {
        return Err(RANDMEMBER_RANGE.into());
    }
    let withscores = match argv.len() {
        3 => false,
        4 if is(argv[3], "withscores") => true,
        _ => return Err(errors::SYNTAX.into()),
    };
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(OUT_OF_RANGE.into());
    }
    let resp = ctx.c.resp;
    let Some(z) = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        ctx.c.add_array_len(0);
        return Ok(());
    };
    let w = RangeOut { resp, withscores };
    let out = &mut ctx.c.reply;
    if l == 0 {
        w.begin(out, 0);
        return Ok(());
    }
    let size = z.len();
    if l < 0 {
        // With repetitions: `-l` independent picks. Like Redis, this is not
        // bounded by the set's size; the reply is built as we go.
        let n = l.unsigned_abs();
        w.begin(out, usize::try_from(n).unwrap_or(usize::MAX));
        for _ in 0..n {
            if let Some((m, s)) = z.random_entry() {
                w.item(out, m, s);
            }
        }
        return Ok(());
    }
    let count = usize::try_from(l).unwrap_or(usize::MAX);
    if count >= size {
        // The whole set, highest score first, as Redis replies it.
        w.begin(out, size);
        z.for_range(0, size - 1, true, |m, s| w.item(out, m, s));
        return Ok(());
    }
    // Distinct members. Few of many: draw at random until enough distinct
    // ones came up. Otherwise: shuffle a copy and keep a prefix.
    let mut picks: Vec<(Vec<u8>, f64)> = Vec::with_capacity(count);
    if !z.is_listpack() && count * 3 <= size {
        let mut seen = std::collections::HashSet::with_capacity(count);
        while picks.len() < count {
            if let Some((m, s)) = z.random_entry() {
                if seen.insert(m.to_vec()) {
                    picks.push((m.to_vec(), s));
                }
            }
        }
    } else {
        let mut all: Vec<(Vec<u8>, f64)> = Vec::with_capacity(size);
        z.for_each(|m, s| all.push((m.to_vec(), s)));
        for i in 0..count {
            let j = i + (crate::db::dict::random_u64() % (size - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(count);
        picks = all;
    }
    w.begin(out, picks.len());
    for (m, s) in &picks {
        w.item(out, m, *s);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF and their STORE forms
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// Redis's zunionInterAggregate: a NaN sum (inf + -inf) becomes 0.
fn aggregate(target: &mut f64, v: f64, agg: Aggregate) {
    match agg {
        Aggregate::Sum => {
            *target += v;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if v < *target {
                *target = v
            }
        }
        Aggregate::Max => {
            if v > *target {
                *target = v
            }
        }
    }
}

/// An input of a set operation: a sorted set, or a plain set whose
/// members all count with score 1.
#[derive(Clone, Copy)]
enum Src<'a> {
    Missing,
    Z(&'a ZSet),
    S(&'a Set),
}

impl Src<'_> {
    fn len(&self) -> usize {
        match self {
            Src::Missing => 0,
            Src::Z(z) => z.len(),
            Src::S(s) => s.len(),
        }
    }

    fn score(&self, m: &[u8]) -> Option<f64> {
        match self {
            Src::Missing => None,
            Src::Z(z) => z.score(m),
            Src::S(s) => s.contains(m).then_some(1.0),
        }
    }

    fn for_each(&self, mut f: impl FnMut(&[u8], f64)) {
        match self {
            Src::Missing => {}
            Src::Z(z) => z.for_each(f),
            Src::S(s) => {
                for m in s.iter() {
                    f(&m.to_vec(), 1.0);
                }
            }
        }
    }
}

/// Run `op` over `srcs` (with `weights`, same length) and return the result
/// sorted by (score, member).
/// ZINTERCARD's count: the members of the smallest input found in every
/// other one, stopping at `limit` (0: none) as Redis does, without
/// building or sorting the intersection.
fn intersection_card(srcs: &[Src], limit: usize) -> usize {
    let Some(smallest) = (0..srcs.len()).min_by_key(|&i| srcs[i].len()) else {
        return 0;
    };
    let mut n = 0;
    srcs[smallest].for_each(|m, _| {
        let counted_enough = limit > 0 && n >= limit;
        if !counted_enough
            && srcs
                .iter()
                .enumerate()
                .all(|(j, s)| j == smallest || s.score(m).is_some())
        {
            n += 1;
        }
    });
    n
}

fn compute_setop(srcs: &[Src], weights: &[f64], op: SetOp, agg: Aggregate) -> Vec<(Vec<u8>, f64)> {
    let weigh = |w: f64, s: f64| {
        let v = w * s;
        if v.is_nan() {
            0.0
        } else {
            v
        }
    };
    // Smallest input first (Redis's qsort by cardinality, except for DIFF
    // whose first input is special); the order matters for float sums.
    let mut order: Vec<usize> = (0..srcs.len()).collect();
    if op != SetOp::Diff {
        order.sort_by_key(|&i| srcs[i].len());
    }
    let mut result: Vec<(Vec<u8>, f64)> = Vec::new();
    match op {
        SetOp::Inter => {
            let first = order[0];
            srcs[first].for_each(|m, s| {
                let mut score = weigh(weights[first], s);
                for &j in &order[1..] {
                    match srcs[j].score(m) {
                        Some(v) => aggregate(&mut score, v * weights[j], agg),
                        None => return,
                    }
                }
                result.push((m.to_vec(), score));
            });
        }
        SetOp::Union => {
            let mut acc: crate::db::Dict<f64> = crate::db::Dict::new();
            for &i in &order {
                srcs[i].for_each(|m, s| {
                    let score = weigh(weights[i], s);
                    let (slot, new) = acc.get_or_insert_with(m, || score);
                    if !new {
                        aggregate(slot, score, agg);
                    }
                });
            }
            result = acc.iter().map(|(m, s)| (m.to_vec(), *s)).collect();
        }
        SetOp::Diff => {
            srcs[0].for_each(|m, s| {
                if srcs[1..].iter().all(|o| o.score(m).is_none()) {
                    result.push((m.to_vec(), s));
                }
            });
        }
    }
    result.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    result
}

/// What a sorted-set operation does with its result.
#[derive(Clone, Copy, PartialEq)]
enum SetopOut {
    /// Reply it (optionally WITHSCORES); numkeys is `argv[1]`.
    Reply,
    /// Store it at `argv[1]`; numkeys is `argv[2]`.
    Store,
    /// Reply its size, up to LIMIT (ZINTERCARD); numkeys is `argv[1]`.
    Card,
}

/// Redis's zunionInterDiffGenericCommand.
fn setop_generic(ctx: &mut Ctx, argv: &[&[u8]], out: SetopOut, op: SetOp, name: &str) -> CmdResult {
    let store = out == SetopOut::Store;
    let nk_idx = if store { 2 } else { 1 };
    let numkeys = arg_i64(argv[nk_idx])?;
    if numkeys < 1 {
        return Err(at_least_one_key(name).into());
    }
    let avail = (argv.len() - nk_idx - 1) as u64;
    if numkeys as u64 > avail {
        return Err(errors::SYNTAX.into());
    }
    let n = numkeys as usize;
    let keys = &argv[nk_idx + 1..nk_idx + 1 + n];
    // Type checks come before option parsing, as in Redis.
    let db = ctx.c.db;
    let now = ctx.now_ms;
    for k in keys {
        match ctx.srv.lookup_read(db, k, now) {
            None | Some(Value::ZSet(_)) | Some(Value::Set(_)) => {}
            Some(_) => return Err(errors::WRONGTYPE.into()),
        }
    }
    let mut weights = vec![1.0; n];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0usize;
    let mut i = nk_idx + 1 + n;
    while i < argv.len() {
        let left = argv.len() - i - 1;
        let a = argv[i];
        if out == SetopOut::Card {
            // ZINTERCARD knows LIMIT only (0: no limit).
            if !(left >= 1 && is(a, "limit")) {
                return Err(errors::SYNTAX.into());
            }
            limit = usize::try_from(super::arg_limit(argv[i + 1])?).unwrap_or(usize::MAX);
            i += 2;
            continue;
        }
        if op != SetOp::Diff && left >= n && is(a, "weights") {
            for (j, w) in weights.iter_mut().enumerate() {
                *w = parse_f64(argv[i + 1 + j]).ok_or(CmdError::from(WEIGHT_FLOAT))?;
            }
            i += n;
        } else if op != SetOp::Diff && left >= 1 && is(a, "aggregate") {
            let v = argv[i + 1];
            agg = if is(v, "sum") {
                Aggregate::Sum
            } else if is(v, "min") {
                Aggregate::Min
            } else if is(v, "max") {
                Aggregate::Max
            } else {
                return Err(errors::SYNTAX.into());
            };
            i += 1;
        } else if !store && is(a, "withscores") {
            withscores = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let lim = limits(ctx);
    let d = &ctx.srv.dbs[db];
    let srcs: Vec<Src> = keys
        .iter()
        .map(|k| {
            if d.is_expired(k, now) {
                return Src::Missing;
            }
            match d.dict.get(k) {
                Some(Value::ZSet(z)) => Src::Z(z),
                Some(Value::Set(s)) => Src::S(s),
                _ => Src::Missing,
            }
        })
        .collect();
    if out == SetopOut::Card {
        let card = intersection_card(&srcs, limit);
        ctx.c.add_int(card as i64);
        return Ok(());
    }
    let result = compute_setop(&srcs, &weights, op, agg);
    if store {
        let event = match op {
            SetOp::Union => "zunionstore",
            SetOp::Inter => "zinterstore",
            SetOp::Diff => "zdiffstore",
        };
        store_result(ctx, argv[1], ZSet::fresh(result, lim), event);
    } else {
        let w = RangeOut {
            resp: ctx.c.resp,
            withscores,
        };
        let out = &mut ctx.c.reply;
        w.begin(out, result.len());
        for (m, s) in &result {
            w.item(out, m, *s);
        }
    }
    Ok(())
}

/// ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zunion(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Reply, SetOp::Union, "zunion")
}

/// ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zinter(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Reply, SetOp::Inter, "zinter")
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
pub fn zintercard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Card, SetOp::Inter, "zintercard")
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
pub fn zdiff(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Reply, SetOp::Diff, "zdiff")
}

/// ZUNIONSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
pub fn zunionstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Store, SetOp::Union, "zunionstore")
}

/// ZINTERSTORE dst numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
pub fn zinterstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Store, SetOp::Inter, "zinterstore")
}

/// ZDIFFSTORE dst numkeys key [key ...]
pub fn zdiffstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setop_generic(ctx, argv, SetopOut::Store, SetOp::Diff, "zdiffstore")
}

// ---------------------------------------------------------------------------
// ZSCAN
// ---------------------------------------------------------------------------

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
///
/// A listpack is returned whole with cursor 0; a skiplist is walked through
/// its dict with SCAN's guarantees, visiting at most 10×COUNT buckets.
pub fn zscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut cursor = parse_cursor(argv[2])?;
    let Some(z) = read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)? else {
        ctx.c.add_array_len(2);
        ctx.c.add_bulk(b"0");
        ctx.c.add_array_len(0);
        return Ok(());
    };
    let super::keys::ScanOpts { pattern, count, .. } =
        super::keys::parse_scan_opts(&argv[3..], false)?;
    // Like Redis: COUNT bounds the elements collected before MATCH filters
    // them, and at most 10×COUNT buckets are visited per call.
    let mut found: Vec<(Vec<u8>, f64)> = Vec::new();
    let mut budget = count.saturating_mul(10);
    loop {
        cursor = z.scan(cursor, |m, s| found.push((m.to_vec(), s)));
        budget -= 1;
        if cursor == 0 || budget <= 0 || found.len() as i64 >= count {
            break;
        }
    }
    if let Some(p) = pattern {
        found.retain(|(m, _)| string_match(p, m, false));
    }
    let mut cur = Vec::new();
    crate::util::write_u64(&mut cur, cursor);
    let out = &mut ctx.c.reply;
    reply::array_len(out, 2);
    reply::bulk(out, &cur);
    reply::array_len(out, found.len() * 2);
    let mut text = Vec::with_capacity(24);
    for (m, s) in &found {
        reply::bulk(out, m);
        text.clear();
        format_f64(&mut text, *s);
        reply::bulk(out, &text);
    }
    Ok(())
}
