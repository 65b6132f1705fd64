//! Consumer group commands (Redis's `t_stream.c`): XGROUP (CREATE SETID
//! DESTROY CREATECONSUMER DELCONSUMER HELP), XACK, XPENDING, XCLAIM and
//! XAUTOCLAIM. Reading through a group is `stream_read`.
//!
//! Claims reach replicas and the AOF as Redis sends them: one idempotent
//! `XCLAIM ... FORCE JUSTID LASTID` per entry claimed (or dropped from the
//! pending list because the entry was deleted), and `XGROUP SETID` when
//! only the group's last ID moved.

use super::stream::{
    bulk_id, entry_reply, lookup_stream, lookup_stream_mut, parse_id_full, parse_interval_id,
    parse_strict_id,
};
use super::stream_read::{setid_propagation, xclaim_propagation};
use crate::cmd::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::stream::{ConsumerGroup, Stream, StreamId, ENTRIES_READ_UNKNOWN};
use crate::db::Value;
use crate::resp::{errors, reply};
use crate::server::{notify, Server};

/// `NOGROUP No such key 'k' or consumer group 'g'` (XPENDING, XCLAIM...).
fn no_key_or_group(key: &[u8], group: &[u8]) -> CmdError {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        errors::clip(key, usize::MAX),
        errors::clip(group, usize::MAX)
    )
    .into()
}

/// The stream and group for XACK/XCLAIM/XAUTOCLAIM/XPENDING.
fn group_of<'a>(
    srv: &'a mut Server,
    db: usize,
    key: &[u8],
    group: &[u8],
    now: i64,
) -> Result<Option<&'a mut Stream>, CmdError> {
    Ok(lookup_stream_mut(srv, db, key, now)?.filter(|s| s.groups.contains_key(group)))
}

// ---------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------

/// XGROUP HELP
pub fn xgroup_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    crate::cmd::server::add_help(
        ctx.c,
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    );
    Ok(())
}

fn xgroup_syntax(sub: &[u8]) -> CmdError {
    errors::subcommand_syntax(sub, "xgroup").into()
}

/// ENTRIESREAD's value: a count, or -1 for "unknown".
fn parse_entries_read(a: &[u8]) -> Result<i64, CmdError> {
    let n = arg_i64(a)?;
    if n < 0 && n != ENTRIES_READ_UNKNOWN {
        return Err("ERR value for ENTRIESREAD must be positive or -1".into());
    }
    Ok(n)
}

/// The key must exist for every XGROUP subcommand but CREATE MKSTREAM, and
/// the group for SETID, CREATECONSUMER and DELCONSUMER.
fn xgroup_target<'a>(
    ctx: &'a mut Ctx,
    argv: &[&[u8]],
    mkstream: bool,
    needs_group: bool,
) -> Result<Option<&'a mut Stream>, CmdError> {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let s = lookup_stream_mut(ctx.srv, db, argv[2], now)?;
    if s.is_none() && !mkstream {
        return Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.".into());
    }
    if needs_group && s.as_ref().is_none_or(|s| !s.groups.contains_key(argv[3])) {
        return Err(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            errors::clip(argv[3], usize::MAX),
            errors::clip(argv[2], usize::MAX)
        )
        .into());
    }
    Ok(s)
}

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
pub fn xgroup_create(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 8 {
        return Err(xgroup_syntax(argv[1]));
    }
    let (mut mkstream, mut entries_read) = (false, ENTRIES_READ_UNKNOWN);
    let mut i = 5;
    while i < argv.len() {
        if is(argv[i], "mkstream") {
            mkstream = true;
            i += 1;
        } else if is(argv[i], "entriesread") && i + 1 < argv.len() {
            entries_read = parse_entries_read(argv[i + 1])?;
            i += 2;
        } else {
            return Err(xgroup_syntax(argv[1]));
        }
    }
    let (key, name) = (argv[2], argv[3]);
    let last = xgroup_target(ctx, argv, mkstream, false)?.map(|s| s.last_id);
    let id = match argv[4] {
        b"$" => last.unwrap_or(StreamId::MIN),
        other => parse_strict_id(other)?,
    };
    let db = ctx.c.db;
    if last.is_none() {
        ctx.srv.db_add(db, key, Value::Stream(Box::default()));
    }
    let Some(Value::Stream(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(errors::WRONGTYPE.into());
    };
    if s.groups.contains_key(name) {
        return Err("BUSYGROUP Consumer Group name already exists".into());
    }
    s.groups
        .insert(name.to_vec(), ConsumerGroup::new(id, entries_read));
    ctx.c.add_ok();
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STREAM, "xgroup-create", key, db);
    Ok(())
}

/// XGROUP SETID key group id|$ [ENTRIESREAD n]
pub fn xgroup_setid(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut entries_read = ENTRIES_READ_UNKNOWN;
    match argv.len() {
        5 => {}
        7 if is(argv[5], "entriesread") => entries_read = parse_entries_read(argv[6])?,
        _ => return Err(xgroup_syntax(argv[1])),
    }
    let (key, name) = (argv[2], argv[3]);
    let Some(s) = xgroup_target(ctx, argv, false, true)? else {
        return Ok(());
    };
    let id = match argv[4] {
        b"$" => s.last_id,
        other => parse_id_full(other, 0, false, false)?.0,
    };
    if let Some(g) = s.groups.get_mut(name) {
        g.last_id = id;
        g.entries_read = entries_read;
    }
    let db = ctx.c.db;
    ctx.c.add_ok();
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STREAM, "xgroup-setid", key, db);
    Ok(())
}

/// XGROUP DESTROY key group → 1 if it existed.
pub fn xgroup_destroy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, name) = (argv[2], argv[3]);
    let Some(s) = xgroup_target(ctx, argv, false, false)? else {
        return Ok(());
    };
    if s.groups.remove(name).is_none() {
        ctx.c.add_int(0);
        return Ok(());
    }
    let db = ctx.c.db;
    ctx.c.add_int(1);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STREAM, "xgroup-destroy", key, db);
    // Consumers blocked on this group hear of it.
    ctx.srv.signal_key_ready(db, key);
    Ok(())
}

/// XGROUP CREATECONSUMER key group consumer → 1 if created.
pub fn xgroup_createconsumer(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, name, consumer) = (argv[2], argv[3], argv[4]);
    let now = ctx.now_ms;
    let Some(s) = xgroup_target(ctx, argv, false, true)? else {
        return Ok(());
    };
    let created = s
        .groups
        .get_mut(name)
        .is_some_and(|g| g.create_consumer(consumer, now));
    let db = ctx.c.db;
    ctx.c.add_int(created as i64);
    if created {
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::STREAM, "xgroup-createconsumer", key, db);
    } else {
        ctx.srv.propagate_nothing();
    }
    Ok(())
}

/// XGROUP DELCONSUMER key group consumer → its pending entries, dropped.
pub fn xgroup_delconsumer(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, name, consumer) = (argv[2], argv[3], argv[4]);
    let Some(s) = xgroup_target(ctx, argv, false, true)? else {
        return Ok(());
    };
    let Some(g) = s.groups.get_mut(name) else {
        return Ok(());
    };
    if !g.consumers.contains_key(consumer) {
        ctx.c.add_int(0);
        ctx.srv.propagate_nothing();
        return Ok(());
    }
    let pending = g.delete_consumer(consumer);
    let db = ctx.c.db;
    ctx.c.add_int(pending as i64);
    ctx.srv.mark_dirty(1);
    ctx.notify(notify::STREAM, "xgroup-delconsumer", key, db);
    Ok(())
}

// ---------------------------------------------------------------------------
// XACK / XPENDING
// ---------------------------------------------------------------------------

/// XACK key group id [id ...] → entries acknowledged. Every ID is parsed
/// before any is acknowledged.
pub fn xack(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let (key, name) = (argv[1], argv[2]);
    let Some(s) = group_of(ctx.srv, db, key, name, now)? else {
        ctx.c.add_int(0);
        return Ok(());
    };
    let ids = argv[3..]
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(g) = s.groups.get_mut(name) else {
        return Ok(());
    };
    let acked = ids.into_iter().filter(|id| g.ack(*id)).count();
    ctx.c.add_int(acked as i64);
    if acked > 0 {
        ctx.srv.mark_dirty(acked as u64);
    } else {
        ctx.srv.propagate_nothing();
    }
    Ok(())
}

/// XPENDING key group [[IDLE min-idle] start end count [consumer]]
pub fn xpending(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let summary = argv.len() == 3;
    if !summary && !(6..=9).contains(&argv.len()) {
        return Err(errors::SYNTAX.into());
    }
    let mut range = None;
    let mut min_idle = 0i64;
    let mut consumer: Option<&[u8]> = None;
    if !summary {
        let mut at = 3;
        if is(argv[3], "idle") {
            min_idle = arg_i64(argv[4])?;
            if argv.len() < 8 {
                return Err(errors::SYNTAX.into());
            }
            at += 2;
        }
        let count = arg_i64(argv[at + 2])?.max(0) as usize;
        let (mut start, start_ex) = parse_interval_id(argv[at], 0)?;
        if start_ex {
            start = start
                .next()
                .ok_or("ERR invalid start ID for the interval")?;
        }
        let (mut end, end_ex) = parse_interval_id(argv[at + 1], u64::MAX)?;
        if end_ex {
            end = end.prev().ok_or("ERR invalid end ID for the interval")?;
        }
        if at + 3 < argv.len() {
            consumer = Some(argv[at + 3]);
        }
        range = Some((start, end, count));
    }
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let resp = ctx.c.resp;
    let (key, name) = (argv[1], argv[2]);
    let s = lookup_stream(ctx.srv, db, key, now)?;
    let Some(g) = s.and_then(|s| s.groups.get(name)) else {
        return Err(no_key_or_group(key, name));
    };
    let mut out = Vec::new();
    match range {
        None => {
            reply::array_len(&mut out, 4);
            reply::int(&mut out, g.pending.len() as i64);
            match (g.pending.keys().next(), g.pending.keys().next_back()) {
                (Some(first), Some(last)) => {
                    bulk_id(&mut out, *first);
                    bulk_id(&mut out, *last);
                    let owners: Vec<_> = g
                        .consumers
                        .iter()
                        .filter(|(_, c)| !c.pending.is_empty())
                        .collect();
                    reply::array_len(&mut out, owners.len());
                    for (cname, c) in owners {
                        reply::array_len(&mut out, 2);
                        reply::bulk(&mut out, cname);
                        reply::bulk_i64(&mut out, c.pending.len() as i64);
                    }
                }
                _ => {
                    reply::null_bulk(&mut out, resp);
                    reply::null_bulk(&mut out, resp);
                    reply::null_array(&mut out, resp);
                }
            }
        }
        Some((start, end, count)) => {
            let ids: Vec<StreamId> = match consumer {
                Some(c) => match g.consumers.get(c) {
                    Some(c) if start <= end => c.pending.range(start..=end).copied().collect(),
                    _ => Vec::new(),
                },
                None if start <= end => g.pending.range(start..=end).map(|(id, _)| *id).collect(),
                None => Vec::new(),
            };
            let mut body = Vec::new();
            let mut n = 0;
            for id in ids {
                if n >= count {
                    break;
                }
                let Some(p) = g.pending.get(&id) else {
                    continue;
                };
                if min_idle != 0 && now - p.delivery_time < min_idle {
                    continue;
                }
                n += 1;
                reply::array_len(&mut body, 4);
                bulk_id(&mut body, id);
                reply::bulk(&mut body, &p.consumer);
                reply::int(&mut body, (now - p.delivery_time).max(0));
                reply::int(&mut body, p.delivery_count as i64);
            }
            reply::array_len(&mut out, n);
            out.extend_from_slice(&body);
        }
    }
    ctx.c.out().extend_from_slice(&out);
    Ok(())
}

// ---------------------------------------------------------------------------
// XCLAIM / XAUTOCLAIM
// ---------------------------------------------------------------------------

/// A min-idle-time argument, negative meaning 0.
fn parse_min_idle(a: &[u8], cmd: &str) -> Result<i64, CmdError> {
    crate::util::parse_i64(a)
        .map(|v| v.max(0))
        .ok_or_else(|| format!("ERR Invalid min-idle-time argument for {cmd}").into())
}

/// Gives pending entry `id` to `consumer` (created if needed) with the
/// delivery time and count Redis sets, and returns the replicas' XCLAIM.
#[allow(clippy::too_many_arguments)]
fn claim_one(
    s: &mut Stream,
    key: &[u8],
    name: &[u8],
    consumer: &[u8],
    id: StreamId,
    delivery_time: i64,
    count: Option<u64>,
    now: i64,
    created: &mut bool,
) -> Vec<Vec<u8>> {
    let Some(g) = s.groups.get_mut(name) else {
        return Vec::new();
    };
    match g.consumers.get_mut(consumer) {
        Some(c) => c.seen_time = now,
        None => *created |= g.create_consumer(consumer, now),
    }
    let deliveries = g.pending.get(&id).map_or(1, |p| p.delivery_count);
    let deliveries = count.unwrap_or(deliveries);
    g.assign(id, consumer, delivery_time, deliveries);
    xclaim_propagation(key, name, g, id)
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms]
/// [TIME unix-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
pub fn xclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let (key, name, consumer) = (argv[1], argv[2], argv[3]);
    if group_of(ctx.srv, db, key, name, now)?.is_none() {
        return Err(no_key_or_group(key, name));
    }
    let min_idle = parse_min_idle(argv[4], "XCLAIM")?;
    // IDs run until the first argument that does not parse as one.
    let mut ids = Vec::new();
    let mut j = 5;
    while j < argv.len() {
        match parse_strict_id(argv[j]) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let (mut force, mut justid) = (false, false);
    let mut delivery: Option<i64> = None;
    let mut retry: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        let opt = argv[j];
        let int = |a: &[u8], what: &str| -> Result<i64, CmdError> {
            crate::util::parse_i64(a)
                .ok_or_else(|| format!("ERR Invalid {what} option argument for XCLAIM").into())
        };
        if is(opt, "force") {
            force = true;
        } else if is(opt, "justid") {
            justid = true;
        } else if is(opt, "idle") && more {
            j += 1;
            delivery = Some(now - int(argv[j], "IDLE")?);
        } else if is(opt, "time") && more {
            j += 1;
            delivery = Some(int(argv[j], "TIME")?);
        } else if is(opt, "retrycount") && more {
            j += 1;
            retry = Some(int(argv[j], "RETRYCOUNT")?);
        } else if is(opt, "lastid") && more {
            j += 1;
            last_id = parse_strict_id(argv[j])?;
        } else {
            return Err(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                errors::clip(opt, usize::MAX)
            )
            .into());
        }
        j += 1;
    }
    // A time in the future or before the epoch means "now" (clients may
    // compute it from a clock slightly ahead of ours).
    let delivery_time = match delivery {
        Some(t) if (0..=now).contains(&t) => t,
        _ => now,
    };
    let Some(Value::Stream(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(no_key_or_group(key, name));
    };
    let mut props: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut moved_last = false;
    if let Some(g) = s.groups.get_mut(name) {
        if last_id > g.last_id {
            g.last_id = last_id;
            moved_last = true;
        }
    }
    let mut body = Vec::new();
    let mut n = 0usize;
    let mut created = false;
    for id in ids {
        let pending = s
            .groups
            .get(name)
            .and_then(|g| g.pending.get(&id))
            .map(|p| p.delivery_time);
        if !s.contains(id) {
            // The entry is gone: so is its pending entry, here and on
            // replicas (through the same XCLAIM).
            if pending.is_some() {
                if let Some(g) = s.groups.get_mut(name) {
                    props.push(xclaim_propagation(key, name, g, id));
                    g.ack(id);
                }
                moved_last = false;
            }
            continue;
        }
        match pending {
            // FORCE creates it; its idle time does not matter then.
            None if force => {}
            None => continue,
            Some(t) if min_idle != 0 && now - t < min_idle => continue,
            Some(_) => {}
        }
        let count = match (retry, pending) {
            (Some(r), _) => Some(r as u64),
            (None, None) if !justid => Some(2),
            (None, Some(_)) if !justid => s
                .groups
                .get(name)
                .and_then(|g| g.pending.get(&id))
                .map(|p| p.delivery_count + 1),
            (None, None) => Some(1),
            (None, Some(_)) => None,
        };
        props.push(claim_one(
            s,
            key,
            name,
            consumer,
            id,
            delivery_time,
            count,
            now,
            &mut created,
        ));
        moved_last = false;
        claimed_reply(&mut body, s, id, justid);
        n += 1;
    }
    if moved_last {
        if let Some(g) = s.groups.get(name) {
            props.push(setid_propagation(key, name, g));
        }
    }
    if created {
        ctx.notify(notify::STREAM, "xgroup-createconsumer", key, db);
    }
    ctx.c.add_array_len(n);
    ctx.c.out().extend_from_slice(&body);
    finish_claims(ctx.srv, db, props);
    Ok(())
}

/// A claimed entry in the reply: its ID with JUSTID, else the entry.
fn claimed_reply(body: &mut Vec<u8>, s: &Stream, id: StreamId, justid: bool) {
    if justid {
        bulk_id(body, id);
    } else {
        s.scan(id, id, false, |id, pairs| {
            entry_reply(body, id, pairs);
            false
        });
    }
}

/// Sends the claims' XCLAIMs (or nothing) to replicas and counts them.
fn finish_claims(srv: &mut Server, db: usize, props: Vec<Vec<Vec<u8>>>) {
    if props.is_empty() {
        srv.propagate_nothing();
        return;
    }
    srv.mark_dirty(props.len() as u64);
    for p in props {
        srv.propagate_instead(db, p);
    }
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
/// → [next start, claimed entries, IDs dropped because deleted].
pub fn xautoclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let min_idle = parse_min_idle(argv[4], "XAUTOCLAIM")?;
    let (mut start, start_ex) = parse_interval_id(argv[5], 0)?;
    if start_ex {
        start = start
            .next()
            .ok_or("ERR invalid start ID for the interval")?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        if is(argv[j], "count") && j + 1 < argv.len() {
            count = crate::util::parse_i64(argv[j + 1])
                .filter(|c| (1..=i64::MAX / 16).contains(c))
                .ok_or("ERR COUNT must be > 0")?;
            j += 1;
        } else if is(argv[j], "justid") {
            justid = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let (key, name, consumer) = (argv[1], argv[2], argv[3]);
    let Some(s) = group_of(ctx.srv, db, key, name, now)? else {
        return Err(no_key_or_group(key, name));
    };
    // Redis allocates COUNT IDs up front and reports when it cannot: past
    // what a 47-bit address space can map.
    if count > (1i64 << 47) / 16 {
        return Err(
            "ERR Insufficient memory, failed allocating transient memory, COUNT too high.".into(),
        );
    }
    let mut attempts = count.saturating_mul(10);
    let mut left = count;
    let mut props = Vec::new();
    let mut body = Vec::new();
    let mut claimed = 0usize;
    let mut deleted = Vec::new();
    let mut created = false;
    let mut cursor = start;
    let mut next = StreamId::MIN;
    while let Some((id, delivered)) = s.groups.get(name).and_then(|g| {
        g.pending
            .range(cursor..)
            .next()
            .map(|(id, p)| (*id, p.delivery_time))
    }) {
        if attempts == 0 || left == 0 {
            next = id;
            break;
        }
        attempts -= 1;
        cursor = match id.next() {
            Some(n) => n,
            None => StreamId::MAX,
        };
        if !s.contains(id) {
            if let Some(g) = s.groups.get_mut(name) {
                props.push(xclaim_propagation(key, name, g, id));
                g.ack(id);
            }
            deleted.push(id);
            left -= 1;
        } else if min_idle == 0 || now - delivered >= min_idle {
            let count = if justid {
                None
            } else {
                s.groups
                    .get(name)
                    .and_then(|g| g.pending.get(&id))
                    .map(|p| p.delivery_count + 1)
            };
            props.push(claim_one(
                s,
                key,
                name,
                consumer,
                id,
                now,
                count,
                now,
                &mut created,
            ));
            claimed_reply(&mut body, s, id, justid);
            claimed += 1;
            left -= 1;
        }
        if id == StreamId::MAX {
            break;
        }
    }
    if created {
        ctx.notify(notify::STREAM, "xgroup-createconsumer", key, db);
    }
    let out = ctx.c.out();
    reply::array_len(out, 3);
    bulk_id(out, next);
    reply::array_len(out, claimed);
    out.extend_from_slice(&body);
    reply::array_len(out, deleted.len());
    for id in deleted {
        bulk_id(out, id);
    }
    finish_claims(ctx.srv, db, props);
    Ok(())
}
