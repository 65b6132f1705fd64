//! Generic keyspace commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX KEYS
//! SCAN RANDOMKEY DBSIZE FLUSHDB FLUSHALL MOVE SWAPDB TOUCH DUMP RESTORE
//! OBJECT.
//!
//! Access clock (see `db::clock`): reads and writes through the server's
//! lookups touch a key; EXISTS, TYPE and OBJECT look without touching;
//! TOUCH exists to touch; RENAME and MOVE carry the clock with the value;
//! RESTORE IDLETIME/FREQ set it.

use super::{arg_db_index, arg_i64, db_in_range, is, parse_db_arg, CmdResult, Ctx};
use crate::db::{clock, RStr, Value};
use crate::resp::errors;
use crate::server::notify;
use crate::util::string_match;

pub fn del(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let mut deleted = 0;
    for key in &argv[1..] {
        ctx.srv.expire_key_if_needed(db, key, ctx.now_ms);
        if ctx.srv.dbs[db].remove(key).is_some() {
            deleted += 1;
            ctx.srv.touch_key(db, key);
            ctx.notify(notify::GENERIC, "del", key, db);
        }
    }
    // A WATCH on a key that was not there is not touched (Redis signals
    // the deleted keys only).
    ctx.srv.touched_exactly = true;
    ctx.srv.mark_dirty(deleted);
    ctx.c.add_int(deleted as i64);
    Ok(())
}

/// UNLINK frees values in the background in Redis. Dropping here is fine for
/// now: values are freed where they are dropped; large values will move to
/// a lazy-free path with the bigger types.
pub fn unlink(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    del(ctx, argv)
}

/// EXISTS counts without touching the keys' access clocks; TOUCH counts
/// and touches (both count keyspace hits and misses, as in Redis).
fn count_existing(ctx: &mut Ctx, keys: &[&[u8]], touch: bool) -> i64 {
    let db = ctx.c.db;
    let mut n = 0;
    for key in keys {
        let found = if touch {
            ctx.srv.lookup_read(db, key, ctx.now_ms).is_some()
        } else {
            ctx.srv.lookup_read_notouch(db, key, ctx.now_ms).is_some()
        };
        n += found as i64;
    }
    n
}

pub fn exists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = count_existing(ctx, &argv[1..], false);
    ctx.c.add_int(n);
    Ok(())
}

pub fn touch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = count_existing(ctx, &argv[1..], true);
    ctx.c.add_int(n);
    Ok(())
}

pub fn r#type(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = match ctx.srv.lookup_read_notouch(ctx.c.db, argv[1], ctx.now_ms) {
        Some(v) => v.type_name(),
        None => "none",
    };
    ctx.c.add_simple(name.as_bytes());
    Ok(())
}

/// Shared by RENAME and RENAMENX. Returns false when `nx` and the target
/// exists.
fn rename_generic(ctx: &mut Ctx, argv: &[&[u8]], nx: bool) -> Result<bool, super::CmdError> {
    let db = ctx.c.db;
    let (src, dst) = (argv[1], argv[2]);
    if ctx.srv.lookup_write(db, src, ctx.now_ms).is_none() {
        return Err(errors::NO_SUCH_KEY.into());
    }
    if src == dst {
        return Ok(!nx);
    }
    let dst_exists = ctx.srv.key_exists(db, dst, ctx.now_ms);
    if nx && dst_exists {
        return Ok(false);
    }
    let d = &mut ctx.srv.dbs[db];
    let ttl = d.expire_at(src);
    // The value moves with its access clock, as Redis moves the object.
    let Some((value, clock)) = d.remove_with_clock(src) else {
        return Err(errors::NO_SUCH_KEY.into());
    };
    d.remove(dst);
    d.add_with_clock(dst, value, clock);
    if let Some(t) = ttl {
        d.set_expire(dst, t);
    }
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::GENERIC, "rename_from", src, db);
    ctx.notify(notify::GENERIC, "rename_to", dst, db);
    ctx.srv.signal_key_ready(db, dst);
    Ok(true)
}

pub fn rename(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    rename_generic(ctx, argv, false)?;
    ctx.c.add_ok();
    Ok(())
}

pub fn renamenx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let done = rename_generic(ctx, argv, true)?;
    ctx.c.add_int(done as i64);
    Ok(())
}

pub fn keys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let pattern = argv[1];
    let all = pattern == b"*";
    let now = ctx.now_ms;
    let d = &ctx.srv.dbs[ctx.c.db];
    let found: Vec<&[u8]> = d
        .dict
        .keys()
        .filter(|k| (all || string_match(pattern, k, false)) && !d.is_expired(k, now))
        .collect();
    ctx.c.add_array_len(found.len());
    for k in found {
        crate::resp::reply::bulk(&mut ctx.c.reply, k);
    }
    Ok(())
}

/// Parse a SCAN-family cursor the way Redis does, with C's strtoul: no
/// leading blank, an optional sign (a minus wraps around), decimal digits
/// to the end; an empty string is cursor 0.
pub fn parse_cursor(a: &[u8]) -> Result<u64, super::CmdError> {
    let invalid = || super::CmdError::from(errors::INVALID_CURSOR);
    let (negative, digits) = match a.first() {
        Some(b'-') => (true, &a[1..]),
        Some(b'+') => (false, &a[1..]),
        _ => (false, a),
    };
    if digits.is_empty() {
        // strtoul consumed nothing: valid only if there was nothing at all.
        return if a.is_empty() { Ok(0) } else { Err(invalid()) };
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return Err(invalid());
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add((d - b'0') as u64))
            .ok_or_else(invalid)?;
    }
    Ok(if negative { v.wrapping_neg() } else { v })
}

/// Options of the SCAN family: MATCH (None when absent or `*`), COUNT
/// (default 10, at least 1) and, for SCAN only, TYPE.
pub struct ScanOpts<'a> {
    pub pattern: Option<&'a [u8]>,
    pub count: i64,
    pub type_filter: Option<&'a [u8]>,
}

/// Parse the options after a SCAN-family cursor, with Redis's errors.
pub fn parse_scan_opts<'a>(
    args: &[&'a [u8]],
    allow_type: bool,
) -> Result<ScanOpts<'a>, super::CmdError> {
    let mut o = ScanOpts {
        pattern: None,
        count: 10,
        type_filter: None,
    };
    let mut i = 0;
    while i < args.len() {
        let has_value = i + 1 < args.len();
        if is(args[i], "count") && has_value {
            o.count = arg_i64(args[i + 1])?;
            if o.count < 1 {
                return Err(errors::SYNTAX.into());
            }
        } else if is(args[i], "match") && has_value {
            o.pattern = Some(args[i + 1]).filter(|p| *p != b"*");
        } else if allow_type && is(args[i], "type") && has_value {
            o.type_filter = Some(args[i + 1]);
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 2;
    }
    Ok(o)
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
pub fn scan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut cursor = parse_cursor(argv[1])?;
    let ScanOpts {
        pattern,
        count,
        type_filter,
    } = parse_scan_opts(&argv[2..], true)?;
    let now = ctx.now_ms;
    let db = ctx.c.db;
    let d = &ctx.srv.dbs[db];
    let mut found: Vec<Vec<u8>> = Vec::new();
    // Like Redis: visit buckets until COUNT keys were collected, bounded by
    // 10×COUNT buckets so a sparse table cannot make one call unbounded.
    let mut budget = count.saturating_mul(10);
    loop {
        cursor = d.dict.scan(cursor, |k, _| found.push(k.to_vec()));
        budget -= 1;
        if cursor == 0 || budget <= 0 || found.len() as i64 >= count {
            break;
        }
    }
    found.retain(|k| {
        if let Some(p) = pattern {
            if !string_match(p, k, false) {
                return false;
            }
        }
        if d.is_expired(k, now) {
            return false;
        }
        if let Some(t) = type_filter {
            let Some(v) = d.dict.get(k) else { return false };
            if !t.eq_ignore_ascii_case(v.type_name().as_bytes()) {
                return false;
            }
        }
        true
    });
    let mut cur = Vec::new();
    crate::util::write_u64(&mut cur, cursor);
    ctx.c.add_array_len(2);
    ctx.c.add_bulk(&cur);
    ctx.c.add_array_len(found.len());
    for k in &found {
        ctx.c.add_bulk(k);
    }
    Ok(())
}

pub fn randomkey(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let deletes = ctx.srv.expire_deletes();
    let before = ctx.srv.dbs[ctx.c.db].len();
    let key = ctx.srv.dbs[ctx.c.db].random_key(ctx.now_ms, deletes);
    let expired = before - ctx.srv.dbs[ctx.c.db].len();
    ctx.srv.stats.expired_keys += expired as u64;
    match key {
        Some(k) => ctx.c.add_bulk(&k),
        None => ctx.c.add_null(),
    }
    Ok(())
}

pub fn dbsize(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_int(ctx.srv.dbs[ctx.c.db].len() as i64);
    Ok(())
}

/// FLUSHDB / FLUSHALL accept one optional ASYNC|SYNC flag.
fn parse_flush_flag(argv: &[&[u8]]) -> CmdResult {
    match argv.len() {
        1 => Ok(()),
        2 if is(argv[1], "async") || is(argv[1], "sync") => Ok(()),
        _ => Err(errors::SYNTAX.into()),
    }
}

pub fn flushdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    parse_flush_flag(argv)?;
    ctx.srv.touch_db(Some(ctx.c.db));
    ctx.srv.tracking_flush(ctx.c);
    let d = &mut ctx.srv.dbs[ctx.c.db];
    let n = d.len() as u64;
    d.clear();
    ctx.srv.mark_dirty(n);
    ctx.c.add_ok();
    Ok(())
}

pub fn flushall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    parse_flush_flag(argv)?;
    ctx.srv.touch_db(None);
    ctx.srv.tracking_flush(ctx.c);
    let mut n = 0;
    for d in &mut ctx.srv.dbs {
        n += d.len() as u64;
        d.clear();
    }
    // Redis counts a FLUSHALL as at least one change, even on an empty server.
    ctx.srv.mark_dirty(n + 1);
    // A save in progress describes data that no longer exists; with save
    // points configured, Redis also writes the now empty dataset at once.
    ctx.srv.kill_rdb_child();
    if !ctx.srv.config.save.is_empty() {
        let _ = ctx.srv.rdb_save();
        // The empty snapshot still counts as a change to propagate.
        ctx.srv.mark_dirty(1);
    }
    ctx.c.add_ok();
    Ok(())
}

pub fn r#move(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let src = ctx.c.db;
    let dst = arg_db_index(argv[2], ctx.srv.dbs.len())?;
    if src == dst {
        return Err(errors::SAME_OBJECT.into());
    }
    let key = argv[1];
    if ctx.srv.lookup_write(src, key, ctx.now_ms).is_none() {
        ctx.c.add_int(0);
        return Ok(());
    }
    if ctx.srv.key_exists(dst, key, ctx.now_ms) {
        ctx.c.add_int(0);
        return Ok(());
    }
    let ttl = ctx.srv.dbs[src].expire_at(key);
    let Some((value, clock)) = ctx.srv.dbs[src].remove_with_clock(key) else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let d = &mut ctx.srv.dbs[dst];
    d.add_with_clock(key, value, clock);
    if let Some(t) = ttl {
        d.set_expire(key, t);
    }
    // The call touches the source for WATCH; the destination DB's key too.
    ctx.srv.touch_key(dst, key);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::GENERIC, "move_from", key, src);
    ctx.notify(notify::GENERIC, "move_to", key, dst);
    ctx.srv.signal_key_ready(dst, key);
    ctx.c.add_int(1);
    Ok(())
}

/// COPY source destination [DB destination-db] [REPLACE]
pub fn copy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let src = ctx.c.db;
    let mut dst = src;
    let mut replace = false;
    let mut i = 3;
    while i < argv.len() {
        if is(argv[i], "replace") {
            replace = true;
        } else if is(argv[i], "db") && i + 1 < argv.len() {
            dst = arg_db_index(argv[i + 1], ctx.srv.dbs.len())?;
            i += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let (key, new_key) = (argv[1], argv[2]);
    if src == dst && key == new_key {
        return Err(errors::SAME_OBJECT.into());
    }
    let Some(value) = ctx.srv.lookup_read(src, key, ctx.now_ms).cloned() else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let ttl = ctx.srv.dbs[src].expire_at(key);
    if ctx.srv.lookup_write(dst, new_key, ctx.now_ms).is_some() {
        if !replace {
            ctx.c.add_int(0);
            return Ok(());
        }
        ctx.srv.dbs[dst].remove(new_key);
    }
    ctx.srv.db_add(dst, new_key, value);
    if let Some(t) = ttl {
        ctx.srv.dbs[dst].set_expire(new_key, t);
    }
    // The call touches this DB's key arguments for WATCH; a copy into
    // another DB is touched here.
    ctx.srv.touch_key(dst, new_key);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::GENERIC, "copy_to", new_key, dst);
    ctx.c.add_int(1);
    Ok(())
}

pub fn swapdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = ctx.srv.dbs.len();
    // Both parsed before either is range-checked, as Redis does.
    let a = parse_db_arg(argv[1], Some("ERR invalid first DB index"))?;
    let b = parse_db_arg(argv[2], Some("ERR invalid second DB index"))?;
    let (a, b) = (db_in_range(a, n)?, db_in_range(b, n)?);
    if a != b {
        ctx.srv.touch_swapdb(a, b);
        let (lo, hi) = (a.min(b), a.max(b));
        let (left, right) = ctx.srv.dbs.split_at_mut(hi);
        let (x, y) = (&mut left[lo], &mut right[0]);
        std::mem::swap(&mut x.dict, &mut y.dict);
        std::mem::swap(&mut x.expires, &mut y.expires);
        std::mem::swap(&mut x.avg_ttl, &mut y.avg_ttl);
        std::mem::swap(&mut x.expires_cursor, &mut y.expires_cursor);
        ctx.srv.mark_dirty(1);
    }
    ctx.c.add_ok();
    Ok(())
}

/// DUMP key: the value serialized as in an RDB file, with the RDB version
/// and a CRC64, byte-identical to what Redis 7.0 produces.
pub fn dump(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let compression = ctx.srv.config.rdbcompression;
    let payload = match ctx.srv.lookup_read(ctx.c.db, argv[1], ctx.now_ms) {
        Some(v) => crate::persist::snapshot::dump_value(v, compression),
        None => {
            ctx.c.add_null();
            return Ok(());
        }
    };
    ctx.c.add_bulk(&payload);
    Ok(())
}

/// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]
pub fn restore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (mut replace, mut absttl) = (false, false);
    let (mut idle, mut freq) = (None::<i64>, None::<i64>);
    let mut j = 4;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        if is(argv[j], "replace") {
            replace = true;
        } else if is(argv[j], "absttl") {
            absttl = true;
        } else if is(argv[j], "idletime") && more && freq.is_none() {
            let v = arg_i64(argv[j + 1])?;
            if v < 0 {
                return Err("ERR Invalid IDLETIME value, must be >= 0".into());
            }
            idle = Some(v);
            j += 1;
        } else if is(argv[j], "freq") && more && idle.is_none() {
            let v = arg_i64(argv[j + 1])?;
            if !(0..=255).contains(&v) {
                return Err("ERR Invalid FREQ value, must be >= 0 and <= 255".into());
            }
            freq = Some(v);
            j += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let db = ctx.c.db;
    let key = argv[1];
    if !replace && ctx.srv.lookup_write(db, key, ctx.now_ms).is_some() {
        return Err("BUSYKEY Target key name already exists.".into());
    }
    let mut ttl = arg_i64(argv[2])?;
    if ttl < 0 {
        return Err("ERR Invalid TTL value, must be >= 0".into());
    }
    if crate::persist::rdb::verify_dump_payload(argv[3]).is_err() {
        return Err("ERR DUMP payload version or checksum are wrong".into());
    }
    let value = match crate::persist::rdb::parse_dump_payload(argv[3]) {
        Ok(v) if !v.is_empty_collection() => {
            crate::persist::snapshot::build_value(v, &ctx.srv.config)
        }
        _ => return Err("ERR Bad data format".into()),
    };
    let deleted = replace && ctx.srv.dbs[db].remove(key).is_some();
    if ttl > 0 && !absttl {
        ttl = ttl.saturating_add(ctx.now_ms);
    }
    if ttl > 0 && ttl <= ctx.now_ms {
        // Already expired: the key is gone (and the old one deleted).
        if deleted {
            ctx.notify(notify::GENERIC, "del", key, db);
            ctx.srv.mark_dirty(1);
        }
        ctx.c.add_ok();
        return Ok(());
    }
    ctx.srv.db_add(db, key, value);
    // IDLETIME/FREQ, as objectSetLRUOrLFU: the one matching the policy
    // counts, the other leaves the fresh stamp.
    let freq = freq.map(|f| f as u8);
    let idle = idle.map(|s| s as u64);
    if let Some(stamp) = clock::settings().restored(freq, idle, ctx.now_ms) {
        ctx.srv.dbs[db].set_clock(key, stamp);
    }
    if ttl > 0 {
        ctx.srv.dbs[db].set_expire(key, ttl);
    }
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::GENERIC, "restore", key, db);
    ctx.c.add_ok();
    Ok(())
}

/// OBJECT's lookup (Redis's objectCommandLookup): a read that counts
/// keyspace hits and misses and expires lazily, but does not touch the
/// access clock. Returns the key's value and access clock, or replies nil
/// and returns None when the key is missing.
fn object_lookup<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Option<(&'a Value, u32)> {
    let found = ctx
        .srv
        .lookup_read_notouch(ctx.c.db, key, ctx.now_ms)
        .is_some();
    if !found {
        ctx.c.add_null();
        return None;
    }
    ctx.srv.dbs[ctx.c.db].dict.get_with_meta(key)
}

pub fn object_encoding(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if let Some((v, _)) = object_lookup(ctx, argv[2]) {
        let enc = v.encoding();
        ctx.c.add_bulk(enc.as_bytes());
    }
    Ok(())
}

/// Redis shares the objects of small integers (0..9999) unless an LRU/LFU
/// maxmemory policy needs per-key access data; those report INT_MAX as
/// their reference count. Every other value has one reference.
pub fn refcount(cfg: &crate::config::Config, v: &Value) -> i64 {
    let policy_shares = {
        let p = &cfg.maxmemory_policy;
        cfg.maxmemory == 0 || !(p.contains("lru") || p.contains("lfu"))
    };
    match v {
        Value::Str(RStr::Int(n)) if policy_shares && (0..10_000).contains(n) => i32::MAX as i64,
        _ => 1,
    }
}

/// OBJECT REFCOUNT; see [`refcount`].
pub fn object_refcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    if object_lookup(ctx, argv[2]).is_some() {
        let n = ctx.srv.dbs[db]
            .dict
            .get(argv[2])
            .map_or(1, |v| refcount(&ctx.srv.config, v));
        ctx.c.add_int(n);
    }
    Ok(())
}

/// OBJECT IDLETIME: seconds since the key's last access, from its LRU
/// clock. Refused under an LFU policy, where the field holds a counter.
pub fn object_idletime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let Some((_, stamp)) = object_lookup(ctx, argv[2]) else {
        return Ok(());
    };
    if clock::settings().is_lfu() {
        return Err(errors::IDLETIME_UNDER_LFU.into());
    }
    ctx.c
        .add_int((clock::idle_ms(stamp, ctx.now_ms) / 1000) as i64);
    Ok(())
}

/// OBJECT FREQ: the key's LFU counter after the decay it owes. Refused
/// unless an LFU policy is set.
pub fn object_freq(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let Some((_, stamp)) = object_lookup(ctx, argv[2]) else {
        return Ok(());
    };
    let settings = clock::settings();
    if !settings.is_lfu() {
        return Err(errors::FREQ_WITHOUT_LFU.into());
    }
    ctx.c
        .add_int(settings.lfu_counter(stamp, ctx.now_ms) as i64);
    Ok(())
}

pub fn object_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    super::server::add_help(
        ctx.c,
        "OBJECT",
        &[
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ],
    );
    Ok(())
}
