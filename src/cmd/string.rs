//! String commands (Redis's t_string.c).

use super::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::{RStr, Value};
use crate::resp::{errors, reply};
use crate::server::notify;
use crate::util::LongDouble;

/// Append a string value as a bulk reply without copying it.
fn add_str(out: &mut Vec<u8>, s: &RStr) {
    match (s, s.as_bytes()) {
        (_, Some(b)) => reply::bulk(out, b),
        (RStr::Int(n), None) => reply::bulk_i64(out, *n),
        (_, None) => reply::bulk(out, b""),
    }
}

/// Reply with the string at `key`, nil if missing; WRONGTYPE otherwise.
fn get_generic(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let db = ctx.c.db;
    match ctx.srv.lookup_read(db, key, ctx.now_ms) {
        None => ctx.c.add_null(),
        Some(Value::Str(s)) => add_str(&mut ctx.c.reply, s),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    }
    Ok(())
}

pub fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    get_generic(ctx, argv[1])
}

/// Expiry requested by SET / GETEX options.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireOpt {
    None,
    /// Absolute unix time in ms.
    At(i64),
    KeepTtl,
    Persist,
}

/// Turn an EX/PX/EXAT/PXAT value into an absolute ms time, with Redis's
/// checks: positive, and no overflow.
fn expire_from_arg(
    arg: &[u8],
    unit_ms: i64,
    absolute: bool,
    now: i64,
    cmd: &str,
) -> Result<i64, CmdError> {
    let v = arg_i64(arg)?;
    let invalid = || -> CmdError { errors::invalid_expire(cmd).into() };
    if v <= 0 {
        return Err(invalid());
    }
    let ms = v.checked_mul(unit_ms).ok_or_else(invalid)?;
    if absolute {
        Ok(ms)
    } else {
        ms.checked_add(now).ok_or_else(invalid)
    }
}

/// Options of SET (Redis's parseExtendedStringArgumentsOrReply).
struct SetOpts {
    nx: bool,
    xx: bool,
    get: bool,
    expire: ExpireOpt,
}

/// The unit (ms) of an EX/PX/EXAT/PXAT option, and whether it is absolute.
fn expiry_option(a: &[u8]) -> Option<(i64, bool)> {
    if is(a, "ex") {
        Some((1000, false))
    } else if is(a, "px") {
        Some((1, false))
    } else if is(a, "exat") {
        Some((1000, true))
    } else if is(a, "pxat") {
        Some((1, true))
    } else {
        None
    }
}

/// An expiry option seen while parsing: its value is checked only once
/// every option parsed, as Redis does, so a syntax error anywhere wins
/// over a bad number (`SET k v PX abc bogus` is a syntax error).
struct PendingExpiry<'a> {
    value: &'a [u8],
    unit_ms: i64,
    absolute: bool,
}

impl PendingExpiry<'_> {
    fn resolve(&self, now: i64, cmd: &str) -> Result<ExpireOpt, CmdError> {
        expire_from_arg(self.value, self.unit_ms, self.absolute, now, cmd).map(ExpireOpt::At)
    }
}

fn parse_set_opts(args: &[&[u8]], now: i64) -> Result<SetOpts, CmdError> {
    let mut o = SetOpts {
        nx: false,
        xx: false,
        get: false,
        expire: ExpireOpt::None,
    };
    let mut expire_kind: Option<&[u8]> = None;
    let mut pending = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let next = args.get(i + 1);
        // An expiry option may repeat (the last wins) but not mix with another.
        let expire_ok = expire_kind.is_none_or(|k| k.eq_ignore_ascii_case(a));
        if is(a, "nx") && !o.xx {
            o.nx = true;
        } else if is(a, "xx") && !o.nx {
            o.xx = true;
        } else if is(a, "get") {
            o.get = true;
        } else if is(a, "keepttl") && expire_ok {
            o.expire = ExpireOpt::KeepTtl;
            expire_kind = Some(a);
        } else if let (Some((unit_ms, absolute)), true, Some(value)) =
            (expiry_option(a), expire_ok, next)
        {
            expire_kind = Some(a);
            pending = Some(PendingExpiry {
                value,
                unit_ms,
                absolute,
            });
            i += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if let Some(p) = pending {
        o.expire = p.resolve(now, "set")?;
    }
    Ok(o)
}

/// The common part of SET, SETNX, SETEX, PSETEX, GETSET.
/// Returns whether the value was stored. With `get`, the old value (or nil)
/// is replied before anything else; the caller adds the normal reply.
fn set_generic(ctx: &mut Ctx, key: &[u8], value: &[u8], o: &SetOpts) -> Result<bool, CmdError> {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    if o.get {
        // GET needs the old value to be a string before anything changes.
        match ctx.srv.lookup_read(db, key, now) {
            None => ctx.c.add_null(),
            Some(Value::Str(s)) => add_str(&mut ctx.c.reply, s),
            Some(_) => return Err(errors::WRONGTYPE.into()),
        }
    }
    let exists = ctx.srv.key_exists(db, key, now);
    if (o.nx && exists) || (o.xx && !exists) {
        return Ok(false);
    }
    let keep_ttl = o.expire == ExpireOpt::KeepTtl;
    ctx.srv.dbs[db].set(key, Value::Str(RStr::new(value)), keep_ttl);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STRING, "set", key, db);
    if let ExpireOpt::At(when) = o.expire {
        ctx.srv.dbs[db].set_expire(key, when);
        ctx.notify(notify::GENERIC, "expire", key, db);
        // Relative expiries become absolute so a replica or an AOF replay
        // expires the key at the same moment.
        let mut ms = Vec::with_capacity(20);
        crate::util::write_i64(&mut ms, when);
        ctx.srv.propagate_instead(
            db,
            vec![
                b"SET".to_vec(),
                key.to_vec(),
                value.to_vec(),
                b"PXAT".to_vec(),
                ms,
            ],
        );
    }
    Ok(true)
}

pub fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let o = parse_set_opts(&argv[3..], ctx.now_ms)?;
    let stored = set_generic(ctx, argv[1], argv[2], &o)?;
    if !o.get {
        if stored {
            ctx.c.add_ok();
        } else {
            ctx.c.add_null();
        }
    }
    Ok(())
}

pub fn setnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let o = SetOpts {
        nx: true,
        xx: false,
        get: false,
        expire: ExpireOpt::None,
    };
    let stored = set_generic(ctx, argv[1], argv[2], &o)?;
    ctx.c.add_int(stored as i64);
    Ok(())
}

fn setex_generic(ctx: &mut Ctx, argv: &[&[u8]], unit_ms: i64, name: &str) -> CmdResult {
    let when = expire_from_arg(argv[2], unit_ms, false, ctx.now_ms, name)?;
    let o = SetOpts {
        nx: false,
        xx: false,
        get: false,
        expire: ExpireOpt::At(when),
    };
    set_generic(ctx, argv[1], argv[3], &o)?;
    ctx.c.add_ok();
    Ok(())
}

pub fn setex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setex_generic(ctx, argv, 1000, "setex")
}

pub fn psetex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    setex_generic(ctx, argv, 1, "psetex")
}

pub fn getset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let o = SetOpts {
        nx: false,
        xx: false,
        get: true,
        expire: ExpireOpt::None,
    };
    set_generic(ctx, argv[1], argv[2], &o)?;
    Ok(())
}

pub fn getdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    get_generic(ctx, argv[1])?;
    let db = ctx.c.db;
    if ctx.srv.dbs[db].remove(argv[1]).is_some() {
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::GENERIC, "del", argv[1], db);
        ctx.srv
            .propagate_instead(db, vec![b"DEL".to_vec(), argv[1].to_vec()]);
    }
    Ok(())
}

/// GETEX key [EX s | PX ms | EXAT ts | PXAT ts | PERSIST]
pub fn getex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now_ms;
    let mut expire = ExpireOpt::None;
    let mut expire_kind: Option<&[u8]> = None;
    let mut pending = None;
    let mut i = 2;
    while i < argv.len() {
        let a = argv[i];
        // As in SET: an option may repeat (the last wins), not mix.
        let expire_ok = expire_kind.is_none_or(|k| k.eq_ignore_ascii_case(a));
        if is(a, "persist") && expire_ok {
            expire = ExpireOpt::Persist;
        } else if let (Some((unit_ms, absolute)), true, Some(value)) =
            (expiry_option(a), expire_ok, argv.get(i + 1))
        {
            pending = Some(PendingExpiry {
                value,
                unit_ms,
                absolute,
            });
            i += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        expire_kind = Some(a);
        i += 1;
    }
    let db = ctx.c.db;
    let key = argv[1];
    // Redis's order: a missing key is nil and a wrong type WRONGTYPE
    // before the expiry's value is looked at.
    match ctx.srv.lookup_read(db, key, now) {
        None => {
            ctx.c.add_null();
            return Ok(());
        }
        Some(Value::Str(s)) => {
            if let Some(p) = pending {
                expire = p.resolve(now, "getex")?;
            }
            add_str(&mut ctx.c.reply, s)
        }
        Some(_) => return Err(errors::WRONGTYPE.into()),
    }
    match expire {
        ExpireOpt::At(when) if when <= now => {
            ctx.srv.dbs[db].remove(key);
            ctx.srv.mark_dirty(1);
            ctx.notify(notify::GENERIC, "del", key, db);
            ctx.srv
                .propagate_instead(db, vec![b"DEL".to_vec(), key.to_vec()]);
        }
        ExpireOpt::At(when) => {
            ctx.srv.dbs[db].set_expire(key, when);
            ctx.srv.mark_dirty(1);
            ctx.notify(notify::GENERIC, "expire", key, db);
            let mut ms = Vec::with_capacity(20);
            crate::util::write_i64(&mut ms, when);
            ctx.srv
                .propagate_instead(db, vec![b"PEXPIREAT".to_vec(), key.to_vec(), ms]);
        }
        ExpireOpt::Persist => {
            if ctx.srv.dbs[db].persist(key) {
                ctx.srv.mark_dirty(1);
                ctx.notify(notify::GENERIC, "persist", key, db);
                ctx.srv
                    .propagate_instead(db, vec![b"PERSIST".to_vec(), key.to_vec()]);
            }
        }
        ExpireOpt::None | ExpireOpt::KeepTtl => {}
    }
    Ok(())
}

pub fn mget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    ctx.c.add_array_len(argv.len() - 1);
    for key in &argv[1..] {
        match ctx.srv.lookup_read(db, key, ctx.now_ms) {
            Some(Value::Str(s)) => add_str(&mut ctx.c.reply, s),
            _ => ctx.c.add_null(),
        }
    }
    Ok(())
}

fn mset_generic(ctx: &mut Ctx, argv: &[&[u8]], nx: bool, name: &str) -> Result<bool, CmdError> {
    if argv.len().is_multiple_of(2) {
        return Err(errors::wrong_arity(name).into());
    }
    let db = ctx.c.db;
    if nx {
        for pair in argv[1..].chunks(2) {
            if ctx.srv.key_exists(db, pair[0], ctx.now_ms) {
                return Ok(false);
            }
        }
    }
    for pair in argv[1..].chunks(2) {
        // Redis's setKey looks each key up for writing first: lazy expiry,
        // and one access on an existing key's clock.
        ctx.srv.key_exists(db, pair[0], ctx.now_ms);
        ctx.srv.dbs[db].set(pair[0], Value::Str(RStr::new(pair[1])), false);
        ctx.notify(notify::STRING, "set", pair[0], db);
    }
    ctx.srv.mark_dirty((argv.len() / 2) as u64);
    Ok(true)
}

pub fn mset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    mset_generic(ctx, argv, false, "mset")?;
    ctx.c.add_ok();
    Ok(())
}

pub fn msetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let done = mset_generic(ctx, argv, true, "msetnx")?;
    ctx.c.add_int(done as i64);
    Ok(())
}

/// INCR/DECR/INCRBY/DECRBY: add `by` to the integer at `key`.
fn incr_generic(ctx: &mut Ctx, key: &[u8], by: i64) -> CmdResult {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let result = match ctx.srv.lookup_write(db, key, now) {
        None => {
            ctx.srv.dbs[db].add(key, Value::Str(RStr::Int(by)));
            by
        }
        Some(Value::Str(s)) => {
            let cur = s.as_i64().ok_or(errors::NOT_INTEGER)?;
            let new = cur.checked_add(by).ok_or(errors::OVERFLOW)?;
            *s = RStr::Int(new);
            new
        }
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STRING, "incrby", key, db);
    ctx.c.add_int(result);
    Ok(())
}

pub fn incr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    incr_generic(ctx, argv[1], 1)
}

pub fn decr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    incr_generic(ctx, argv[1], -1)
}

pub fn incrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let by = arg_i64(argv[2])?;
    incr_generic(ctx, argv[1], by)
}

pub fn decrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let by = arg_i64(argv[2])?;
    if by == i64::MIN {
        return Err("ERR decrement would overflow".into());
    }
    incr_generic(ctx, argv[1], -by)
}

/// INCRBYFLOAT computes in x87 long double and stores the result as text,
/// exactly as Redis does (so `10.5` + `0.1` is `10.6`).
pub fn incrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let key = argv[1];
    let current = match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => LongDouble::from_i64(0),
        Some(Value::Str(s)) => s.with_bytes(LongDouble::parse).ok_or(errors::NOT_FLOAT)?,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    let incr = LongDouble::parse(argv[2]).ok_or(errors::NOT_FLOAT)?;
    let result = current.add(incr);
    if !result.is_finite() {
        return Err(errors::NAN_OR_INF.into());
    }
    let mut text = Vec::with_capacity(32);
    result.format_human(&mut text);
    // Redis stores the text as a fresh string object (embstr when short),
    // never as an int, even when the result is integral.
    let value = RStr::text(&text);
    ctx.srv.dbs[db].set(key, Value::Str(value), true);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STRING, "incrbyfloat", key, db);
    // The result, not the increment: float arithmetic could differ on a
    // replica; KEEPTTL keeps the key's expiry there too.
    ctx.srv.propagate_instead(
        db,
        vec![
            b"SET".to_vec(),
            key.to_vec(),
            text.clone(),
            b"KEEPTTL".to_vec(),
        ],
    );
    ctx.c.add_bulk(&text);
    Ok(())
}

/// Refuse a string that would grow past `proto-max-bulk-len`.
fn check_string_length(ctx: &Ctx, total: u64) -> CmdResult {
    if total > ctx.srv.config.proto_max_bulk_len as u64 {
        return Err(errors::STRING_TOO_BIG.into());
    }
    Ok(())
}

pub fn append(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let (key, extra) = (argv[1], argv[2]);
    let max = ctx.srv.config.proto_max_bulk_len as u64;
    let len = match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => {
            ctx.srv.dbs[db].add(key, Value::Str(RStr::new(extra)));
            extra.len()
        }
        Some(Value::Str(s)) => {
            let total = s.len() as u64 + extra.len() as u64;
            if total > max {
                return Err(errors::STRING_TOO_BIG.into());
            }
            let buf = s.make_raw();
            buf.extend_from_slice(extra);
            buf.len()
        }
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STRING, "append", key, db);
    ctx.c.add_int(len as i64);
    Ok(())
}

pub fn strlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = match ctx.srv.lookup_read(ctx.c.db, argv[1], ctx.now_ms) {
        None => 0,
        Some(Value::Str(s)) => s.len(),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    ctx.c.add_int(n as i64);
    Ok(())
}

pub fn getrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut start = arg_i64(argv[2])?;
    let mut end = arg_i64(argv[3])?;
    let db = ctx.c.db;
    let s = match ctx.srv.lookup_read(db, argv[1], ctx.now_ms) {
        None => {
            ctx.c.add_bulk(b"");
            return Ok(());
        }
        Some(Value::Str(s)) => s.clone(),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    // Redis's rules, including the special case of two negative indexes in
    // the wrong order.
    if start < 0 && end < 0 && start > end {
        ctx.c.add_bulk(b"");
        return Ok(());
    }
    s.with_bytes(|bytes| {
        let len = bytes.len() as i64;
        if start < 0 {
            start += len;
        }
        if end < 0 {
            end += len;
        }
        start = start.max(0);
        end = end.max(0);
        if end >= len {
            end = len - 1;
        }
        if start > end || len == 0 {
            ctx.c.add_bulk(b"");
        } else {
            ctx.c.add_bulk(&bytes[start as usize..=end as usize]);
        }
    });
    Ok(())
}

pub fn substr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    getrange(ctx, argv)
}

pub fn setrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let offset = arg_i64(argv[2])?;
    if offset < 0 {
        return Err(errors::OFFSET_RANGE.into());
    }
    let (key, value) = (argv[1], argv[3]);
    let db = ctx.c.db;
    let exists = match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => false,
        Some(Value::Str(_)) => true,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    if !exists {
        if value.is_empty() {
            ctx.c.add_int(0);
            return Ok(());
        }
        check_string_length(ctx, offset as u64 + value.len() as u64)?;
        ctx.srv.dbs[db].add(key, Value::Str(RStr::empty_raw()));
    } else if value.is_empty() {
        let len = match ctx.srv.dbs[db].dict.get(key) {
            Some(Value::Str(s)) => s.len(),
            _ => 0,
        };
        ctx.c.add_int(len as i64);
        return Ok(());
    } else {
        check_string_length(ctx, offset as u64 + value.len() as u64)?;
    }
    let Some(Value::Str(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(errors::WRONGTYPE.into());
    };
    let buf = s.make_raw();
    let end = offset as usize + value.len();
    if buf.len() < end {
        buf.resize(end);
    }
    buf[offset as usize..end].copy_from_slice(value);
    let len = buf.len();
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STRING, "setrange", key, db);
    ctx.c.add_int(len as i64);
    Ok(())
}

/// One run of LCS IDX: where it lies in each string (inclusive).
struct LcsMatch {
    a: (usize, usize),
    b: (usize, usize),
}

/// The longest common subsequence of `a` and `b` by the classic dynamic
/// programme, walked back from the end as Redis does, with the runs of
/// consecutive matches found on the way (last run first). None when the
/// table cannot be allocated.
fn lcs_of(a: &[u8], b: &[u8]) -> Option<(Vec<u8>, Vec<LcsMatch>)> {
    let width = b.len() + 1;
    let cells = (a.len() + 1).checked_mul(width)?;
    let mut dp: Vec<u32> = Vec::new();
    dp.try_reserve_exact(cells).ok()?;
    dp.resize(cells, 0);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            dp[i * width + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * width + j - 1] + 1
            } else {
                dp[(i - 1) * width + j].max(dp[i * width + j - 1])
            };
        }
    }
    let mut left = dp[a.len() * width + b.len()] as usize;
    let mut text = vec![0u8; left];
    let mut runs = Vec::new();
    // The run being extended backwards, if any.
    let mut run: Option<LcsMatch> = None;
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 {
        let mut close = false;
        if a[i - 1] == b[j - 1] {
            text[left - 1] = a[i - 1];
            match &mut run {
                None => {
                    run = Some(LcsMatch {
                        a: (i - 1, i - 1),
                        b: (j - 1, j - 1),
                    })
                }
                Some(r) if r.a.0 == i && r.b.0 == j => {
                    r.a.0 -= 1;
                    r.b.0 -= 1;
                }
                Some(_) => close = true,
            }
            // A run that reached the start of either string is complete.
            if run.as_ref().is_some_and(|r| r.a.0 == 0 || r.b.0 == 0) {
                close = true;
            }
            left -= 1;
            i -= 1;
            j -= 1;
        } else {
            if dp[(i - 1) * width + j] > dp[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            close = run.is_some();
        }
        if close {
            runs.extend(run.take());
        }
    }
    Some((text, runs))
}

pub fn lcs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // A missing key is an empty string; None: another type. Both keys are
    // looked up (and counted) before either is checked.
    let mut text_at = |key: &[u8]| match ctx.srv.lookup_read(ctx.c.db, key, ctx.now_ms) {
        None => Some(Vec::new()),
        Some(Value::Str(s)) => Some(s.to_vec()),
        Some(_) => None,
    };
    let (a, b) = (text_at(argv[1]), text_at(argv[2]));
    let (Some(a), Some(b)) = (a, b) else {
        return Err("ERR The specified keys must contain string values".into());
    };
    let (mut want_len, mut want_idx, mut with_match_len) = (false, false, false);
    let mut min_match_len: u64 = 0;
    let mut k = 3;
    while k < argv.len() {
        let opt = argv[k];
        if is(opt, "idx") {
            want_idx = true;
        } else if is(opt, "len") {
            want_len = true;
        } else if is(opt, "withmatchlen") {
            with_match_len = true;
        } else if is(opt, "minmatchlen") && k + 1 < argv.len() {
            min_match_len = arg_i64(argv[k + 1])?.max(0) as u64;
            k += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        k += 1;
    }
    if want_idx && want_len {
        return Err("ERR If you want both the length and indexes, please just use IDX.".into());
    }
    let Some((text, runs)) = lcs_of(&a, &b) else {
        return Err("ERR Insufficient memory, failed allocating transient memory for LCS".into());
    };
    if want_idx {
        let runs: Vec<&LcsMatch> = runs
            .iter()
            .filter(|r| (r.a.1 - r.a.0 + 1) as u64 >= min_match_len)
            .collect();
        ctx.c.add_map_len(2);
        ctx.c.add_bulk(b"matches");
        ctx.c.add_array_len(runs.len());
        for r in runs {
            ctx.c.add_array_len(2 + with_match_len as usize);
            for (from, to) in [r.a, r.b] {
                ctx.c.add_array_len(2);
                ctx.c.add_int(from as i64);
                ctx.c.add_int(to as i64);
            }
            if with_match_len {
                ctx.c.add_int((r.a.1 - r.a.0 + 1) as i64);
            }
        }
        ctx.c.add_bulk(b"len");
        ctx.c.add_int(text.len() as i64);
    } else if want_len {
        ctx.c.add_int(text.len() as i64);
    } else {
        ctx.c.add_bulk(&text);
    }
    Ok(())
}
