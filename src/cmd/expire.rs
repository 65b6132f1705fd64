//! Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT),
//! TTL PTTL EXPIRETIME PEXPIRETIME PERSIST.

use super::{arg_i64, is, CmdResult, Ctx};
use crate::resp::errors;
use crate::server::notify;

/// How the time argument is given.
#[derive(Clone, Copy)]
enum Unit {
    Seconds,
    Millis,
}

/// Condition flags of Redis 7's EXPIRE family.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_conditions(args: &[&[u8]]) -> Result<Conditions, super::CmdError> {
    let mut c = Conditions::default();
    for a in args {
        if is(a, "nx") {
            c.nx = true;
        } else if is(a, "xx") {
            c.xx = true;
        } else if is(a, "gt") {
            c.gt = true;
        } else if is(a, "lt") {
            c.lt = true;
        } else {
            return Err(format!("ERR Unsupported option {}", errors::clip(a, 128)).into());
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(errors::EXPIRE_OPTS_NX.into());
    }
    if c.gt && c.lt {
        return Err(errors::EXPIRE_OPTS_GT_LT.into());
    }
    Ok(c)
}

/// Shared body of the four EXPIRE commands (Redis's expireGenericCommand).
/// `base_ms` is the time relative values count from (now, or 0 for *AT).
fn expire_generic(
    ctx: &mut Ctx,
    argv: &[&[u8]],
    base_ms: i64,
    unit: Unit,
    name: &str,
) -> CmdResult {
    let key = argv[1];
    // Redis validates the flags before the number.
    let cond = parse_conditions(&argv[3..])?;
    let mut when = arg_i64(argv[2])?;
    let invalid = || -> super::CmdError { errors::invalid_expire(name).into() };
    if let Unit::Seconds = unit {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    when = when.checked_add(base_ms).ok_or_else(invalid)?;
    let db = ctx.c.db;
    if ctx.srv.lookup_write(db, key, ctx.now_ms).is_none() {
        ctx.c.add_int(0);
        return Ok(());
    }
    let current = ctx.srv.dbs[db].expire_at(key);
    let allowed = if cond.nx {
        current.is_none()
    } else if cond.xx && current.is_none() {
        false
    } else if cond.gt {
        // A key without TTL counts as an infinite TTL: nothing is greater.
        current.is_some_and(|t| when > t)
    } else if cond.lt {
        current.is_none_or(|t| when < t)
    } else {
        true
    };
    if !allowed {
        ctx.c.add_int(0);
        return Ok(());
    }
    if when <= ctx.now_ms && !ctx.srv.repl.is_replica() {
        // A time in the past deletes the key right away on a master; a
        // replica sets the TTL and waits for its master's DEL, as Redis's
        // checkAlreadyExpired does.
        ctx.srv.dbs[db].remove(key);
        ctx.notify(notify::GENERIC, "del", key, db);
        ctx.c.add_int(1);
        // Replicas get an explicit DEL.
        ctx.srv
            .propagate_instead(db, vec![b"DEL".to_vec(), key.to_vec()]);
    } else {
        ctx.srv.dbs[db].set_expire(key, when);
        // Redis replies before it raises this event (it raises `del` above
        // first): a client subscribed to its own keys sees that order.
        ctx.c.add_int(1);
        ctx.notify(notify::GENERIC, "expire", key, db);
        // Absolute milliseconds, whatever form the command used.
        let mut ms = Vec::with_capacity(20);
        crate::util::write_i64(&mut ms, when);
        ctx.srv
            .propagate_instead(db, vec![b"PEXPIREAT".to_vec(), key.to_vec(), ms]);
    }
    ctx.srv.mark_dirty(1);
    Ok(())
}

pub fn expire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now_ms;
    expire_generic(ctx, argv, now, Unit::Seconds, "expire")
}

pub fn pexpire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now_ms;
    expire_generic(ctx, argv, now, Unit::Millis, "pexpire")
}

pub fn expireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    expire_generic(ctx, argv, 0, Unit::Seconds, "expireat")
}

pub fn pexpireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    expire_generic(ctx, argv, 0, Unit::Millis, "pexpireat")
}

/// What TTL-style commands report.
enum TtlOf {
    Missing,
    Persistent,
    At(i64),
}

/// A TTL query does not count as an access (Redis's LOOKUP_NOTOUCH).
fn ttl_of(ctx: &mut Ctx, key: &[u8]) -> TtlOf {
    let db = ctx.c.db;
    if ctx.srv.lookup_read_notouch(db, key, ctx.now_ms).is_none() {
        return TtlOf::Missing;
    }
    match ctx.srv.dbs[db].expire_at(key) {
        Some(t) => TtlOf::At(t),
        None => TtlOf::Persistent,
    }
}

fn reply_ttl(ctx: &mut Ctx, key: &[u8], f: impl Fn(i64, i64) -> i64) -> CmdResult {
    let v = match ttl_of(ctx, key) {
        TtlOf::Missing => -2,
        TtlOf::Persistent => -1,
        TtlOf::At(t) => f(t, ctx.now_ms),
    };
    ctx.c.add_int(v);
    Ok(())
}

pub fn ttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_ttl(ctx, argv[1], |t, now| ((t - now).max(0) + 500) / 1000)
}

pub fn pttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_ttl(ctx, argv[1], |t, now| (t - now).max(0))
}

pub fn expiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_ttl(ctx, argv[1], |t, _| (t + 500) / 1000)
}

pub fn pexpiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_ttl(ctx, argv[1], |t, _| t)
}

pub fn persist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let done =
        ctx.srv.lookup_write(db, argv[1], ctx.now_ms).is_some() && ctx.srv.dbs[db].persist(argv[1]);
    if done {
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::GENERIC, "persist", argv[1], db);
    }
    ctx.c.add_int(done as i64);
    Ok(())
}
