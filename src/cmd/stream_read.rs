//! XREAD and XREADGROUP (Redis's xreadCommand): read new entries from one
//! or more streams, optionally waiting for them (BLOCK), and with a group,
//! deliver them to a consumer (its pending entries list, the group's last
//! delivered ID) or re-read the consumer's own history.
//!
//! Blocking follows the server's re-execution model (`crate::blocking`):
//! the command waits with its argv rewritten so that running it again asks
//! for exactly what it waited for: `$` becomes the stream's last ID at the
//! time it blocked, and a missing COUNT becomes Redis's 1000 for replies
//! served after a wait. XADD signals the key; the re-run serves the client
//! or leaves it waiting.
//!
//! What replicas get (Redis's forms): every entry delivered into a pending
//! list as `XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID
//! LASTID last`; with NOACK the group's new position as `XGROUP SETID ...
//! ENTRIESREAD n` (preceded by `XGROUP CREATECONSUMER` when the read created
//! the consumer); nothing for history reads.

use super::blocking::{block_or_give_up, NoWait};
use super::stream::{bulk_id, entry_reply, lookup_stream, parse_strict_id};
use crate::cmd::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::stream::{ConsumerGroup, Stream, StreamId};
use crate::db::Value;
use crate::resp::{errors, reply};
use crate::server::notify;

/// Entries a reply served after a wait holds when no COUNT was given
/// (XREAD_BLOCKED_DEFAULT_COUNT).
const BLOCKED_DEFAULT_COUNT: &[u8] = b"1000";

/// Where a stream is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum From {
    /// Entries above this ID.
    After(StreamId),
    /// `>`: what the group has not delivered yet.
    Undelivered,
}

struct ReadArgs<'a> {
    /// Absolute deadline in ms (0: forever); None without BLOCK.
    block: Option<i64>,
    count: u64,
    count_given: bool,
    group: Option<(&'a [u8], &'a [u8])>,
    noack: bool,
    /// Index of the first key.
    streams_at: usize,
    n: usize,
}

/// BLOCK's milliseconds (getTimeoutFromObjectOrReply, UNIT_MILLISECONDS).
fn parse_block_ms(arg: &[u8], now_ms: i64) -> Result<i64, CmdError> {
    let ms = crate::util::parse_i64(arg).ok_or("ERR timeout is not an integer or out of range")?;
    if ms < 0 {
        return Err(errors::TIMEOUT_NEGATIVE.into());
    }
    if ms == 0 {
        return Ok(0);
    }
    now_ms
        .checked_add(ms)
        .ok_or_else(|| CmdError::from("ERR timeout is out of range"))
}

fn parse_read_args<'a>(
    ctx: &Ctx,
    argv: &[&'a [u8]],
    grouped: bool,
) -> Result<ReadArgs<'a>, CmdError> {
    let mut a = ReadArgs {
        block: None,
        count: 0,
        count_given: false,
        group: None,
        noack: false,
        streams_at: 0,
        n: 0,
    };
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let o = argv[i];
        if is(o, "block") && more > 0 {
            i += 1;
            a.block = Some(parse_block_ms(argv[i], ctx.now_ms)?);
        } else if is(o, "count") && more > 0 {
            i += 1;
            a.count = arg_i64(argv[i])?.max(0) as u64;
            a.count_given = true;
        } else if is(o, "streams") && more > 0 {
            a.streams_at = i + 1;
            let rest = argv.len() - a.streams_at;
            if !rest.is_multiple_of(2) {
                // Redis 7.0 says XREAD and '$' for XREADGROUP too.
                return Err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.".into());
            }
            a.n = rest / 2;
            break;
        } else if is(o, "group") && more >= 2 {
            if !grouped {
                return Err(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
                        .into(),
                );
            }
            a.group = Some((argv[i + 1], argv[i + 2]));
            i += 2;
        } else if is(o, "noack") {
            if !grouped {
                return Err(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
                        .into(),
                );
            }
            a.noack = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if a.streams_at == 0 {
        return Err(errors::SYNTAX.into());
    }
    if grouped && a.group.is_none() {
        return Err("ERR Missing GROUP option for XREADGROUP".into());
    }
    Ok(a)
}

/// XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
pub fn xread(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_generic(ctx, argv, false)
}

/// XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK]
/// STREAMS key [key ...] id|> [id|> ...]
pub fn xreadgroup(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // Replicas and the AOF get what the read changed, never the read.
    ctx.srv.propagate_nothing();
    read_generic(ctx, argv, true)
}

fn read_generic(ctx: &mut Ctx, argv: &[&[u8]], grouped: bool) -> CmdResult {
    let a = parse_read_args(ctx, argv, grouped)?;
    let db = ctx.c.db;
    let keys = &argv[a.streams_at..a.streams_at + a.n];
    let id_args = &argv[a.streams_at + a.n..];
    // Resolve every ID first, in order, as Redis does: a later key's error
    // wins over nothing, an earlier one's over a later one's.
    let mut from = Vec::with_capacity(a.n);
    for (key, id_arg) in keys.iter().zip(id_args) {
        let now = ctx.now_ms;
        let s = lookup_stream(ctx.srv, db, key, now)?;
        if let Some((group, _)) = a.group {
            if s.is_none_or(|s| !s.groups.contains_key(group)) {
                if ctx.c.blocked.is_some() {
                    // Woken (XGROUP DESTROY signals the key) to find the
                    // group gone.
                    return Err(
                        "NOGROUP the consumer group this client was blocked on no longer exists"
                            .into(),
                    );
                }
                return Err(format!(
                    "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                    errors::clip(key, usize::MAX),
                    errors::clip(group, usize::MAX)
                )
                .into());
            }
        }
        from.push(match *id_arg {
            b"$" if grouped => return Err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.".into()),
            b"$" => From::After(s.map_or(StreamId::MIN, |s| s.last_id)),
            b">" if !grouped => return Err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.".into()),
            b">" => From::Undelivered,
            other => From::After(parse_strict_id(other)?),
        });
    }

    let resp = ctx.c.resp;
    let mut body = Vec::new();
    let mut served = 0usize;
    for (key, start) in keys.iter().zip(&from) {
        if serve_one(ctx, &a, key, *start, &mut body)? {
            served += 1;
        }
    }
    if served > 0 {
        let out = ctx.c.out();
        if resp == 2 {
            reply::array_len(out, served);
        } else {
            reply::map_len(out, resp, served);
        }
        out.extend_from_slice(&body);
        return Ok(());
    }
    match a.block {
        Some(deadline) => {
            // Wait with `$` made concrete and Redis's count for replies
            // served after a wait.
            let mut args: Vec<Vec<u8>> = argv.iter().map(|x| x.to_vec()).collect();
            for (j, f) in from.iter().enumerate() {
                if let (From::After(id), b"$") = (f, id_args[j]) {
                    args[a.streams_at + a.n + j] = id.to_vec();
                }
            }
            if !a.count_given {
                args.insert(1, b"COUNT".to_vec());
                args.insert(2, BLOCKED_DEFAULT_COUNT.to_vec());
            }
            let refs: Vec<&[u8]> = args.iter().map(|x| x.as_slice()).collect();
            block_or_give_up(ctx, keys, deadline, &refs, NoWait::NullArray);
            Ok(())
        }
        None => {
            ctx.c.add_null_array();
            Ok(())
        }
    }
}

/// Serves one stream of the read into `body` if it has something for the
/// reader (Redis's serve_synchronously); returns whether it did.
fn serve_one(
    ctx: &mut Ctx,
    a: &ReadArgs,
    key: &[u8],
    start: From,
    body: &mut Vec<u8>,
) -> Result<bool, CmdError> {
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let resp = ctx.c.resp;
    let Some(s) = lookup_stream(ctx.srv, db, key, now)? else {
        return Ok(false);
    };
    let Some((group_name, consumer_name)) = a.group else {
        let From::After(after) = start else {
            return Ok(false);
        };
        if s.edge_id(false).is_none_or(|top| top <= after) {
            return Ok(false);
        }
        add_stream_header(body, resp, key);
        read_range(body, s, after, a.count);
        return Ok(true);
    };
    let Some(Value::Stream(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Ok(false);
    };
    let Some(group_last) = s.groups.get(group_name).map(|g| g.last_id) else {
        return Ok(false);
    };
    let history = match start {
        From::After(id) => Some(id),
        From::Undelivered if s.edge_id(false).is_some_and(|top| top > group_last) => None,
        From::Undelivered => return Ok(false),
    };
    add_stream_header(body, resp, key);
    let st: &mut Stream = s;
    let created = touch_consumer(st, group_name, consumer_name, now);
    if created {
        ctx.notify(notify::STREAM, "xgroup-createconsumer", key, db);
    }
    let Some(Value::Stream(st)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Ok(true);
    };
    match history {
        Some(after) => read_history(body, st, group_name, consumer_name, after, a.count, now),
        None => {
            let props = deliver_new(body, st, key, group_name, consumer_name, a, now, created);
            for p in props {
                ctx.srv.propagate_instead(db, p);
            }
        }
    }
    ctx.srv.mark_dirty(1);
    Ok(true)
}

/// The key that heads a stream's part of the reply: `[key, entries]` in
/// RESP2, a map key in RESP3.
fn add_stream_header(body: &mut Vec<u8>, resp: u8, key: &[u8]) {
    if resp == 2 {
        reply::array_len(body, 2);
    }
    reply::bulk(body, key);
}

/// Entries of `s` above `after`, at most `count` (0: all).
fn read_range(body: &mut Vec<u8>, s: &Stream, after: StreamId, count: u64) {
    let mut part = Vec::new();
    let mut n = 0u64;
    if let Some(start) = after.next() {
        s.scan(start, StreamId::MAX, false, |id, pairs| {
            entry_reply(&mut part, id, pairs);
            n += 1;
            count == 0 || n < count
        });
    }
    reply::array_len(body, n as usize);
    body.extend_from_slice(&part);
}

/// Looks the consumer up (refreshing when it was seen) or creates it;
/// returns whether it was created.
fn touch_consumer(s: &mut Stream, group: &[u8], consumer: &[u8], now: i64) -> bool {
    let Some(g) = s.groups.get_mut(group) else {
        return false;
    };
    match g.consumers.get_mut(consumer) {
        Some(c) => {
            c.seen_time = now;
            false
        }
        None => g.create_consumer(consumer, now),
    }
}

/// A consumer's own history above `after` (streamReplyWithRangeFromConsumerPEL):
/// each pending entry it owns, or `[id, nil]` for one deleted since; each
/// counts as delivered again.
fn read_history(
    body: &mut Vec<u8>,
    s: &mut Stream,
    group: &[u8],
    consumer: &[u8],
    after: StreamId,
    count: u64,
    now: i64,
) {
    let ids: Vec<StreamId> = match (
        after.next(),
        s.groups.get(group).and_then(|g| g.consumers.get(consumer)),
    ) {
        (Some(start), Some(c)) => c
            .pending
            .range(start..)
            .take(if count == 0 {
                usize::MAX
            } else {
                count as usize
            })
            .copied()
            .collect(),
        _ => Vec::new(),
    };
    reply::array_len(body, ids.len());
    let mut present = Vec::with_capacity(ids.len());
    for &id in &ids {
        let mut found = false;
        s.scan(id, id, false, |id, pairs| {
            entry_reply(body, id, pairs);
            found = true;
            false
        });
        if !found {
            reply::array_len(body, 2);
            bulk_id(body, id);
            reply::null_array(body, 2);
        }
        present.push(found);
    }
    if let Some(g) = s.groups.get_mut(group) {
        for (id, found) in ids.iter().zip(present) {
            if let (true, Some(p)) = (found, g.pending.get_mut(id)) {
                p.delivery_time = now;
                p.delivery_count += 1;
            }
        }
    }
}

/// Delivers entries the group has not seen yet to `consumer` (Redis's
/// streamReplyWithRange with a group): moves the group's last ID and read
/// counter, and unless NOACK makes each entry pending for the consumer.
/// Returns what replicas must run.
#[allow(clippy::too_many_arguments)]
fn deliver_new(
    body: &mut Vec<u8>,
    s: &mut Stream,
    key: &[u8],
    group: &[u8],
    consumer: &[u8],
    a: &ReadArgs,
    now: i64,
    created: bool,
) -> Vec<Vec<Vec<u8>>> {
    let Some(last) = s.groups.get(group).map(|g| g.last_id) else {
        return Vec::new();
    };
    let mut part = Vec::new();
    let mut ids = Vec::new();
    if let Some(start) = last.next() {
        s.scan(start, StreamId::MAX, false, |id, pairs| {
            entry_reply(&mut part, id, pairs);
            ids.push(id);
            a.count == 0 || (ids.len() as u64) < a.count
        });
    }
    reply::array_len(body, ids.len());
    body.extend_from_slice(&part);
    let mut props = Vec::new();
    let counters: Vec<i64> = {
        let g_read = s.groups.get(group).map_or(0, |g| g.entries_read);
        let mut read = g_read;
        ids.iter()
            .map(|&id| {
                read = s.entries_read_after(read, id);
                read
            })
            .collect()
    };
    let Some(g) = s.groups.get_mut(group) else {
        return props;
    };
    for (&id, read) in ids.iter().zip(counters) {
        g.last_id = id;
        g.entries_read = read;
        if !a.noack {
            g.assign(id, consumer, now, 1);
            props.push(xclaim_propagation(key, group, g, id));
        }
    }
    if a.noack && !ids.is_empty() {
        if created {
            props.push(vec![
                b"XGROUP".to_vec(),
                b"CREATECONSUMER".to_vec(),
                key.to_vec(),
                group.to_vec(),
                consumer.to_vec(),
            ]);
        }
        props.push(setid_propagation(key, group, g));
    }
    props
}

/// What replicas run for a pending entry (streamPropagateXCLAIM): an
/// XCLAIM that recreates it exactly, whoever has it on the replica.
pub(super) fn xclaim_propagation(
    key: &[u8],
    group_name: &[u8],
    g: &ConsumerGroup,
    id: StreamId,
) -> Vec<Vec<u8>> {
    let (owner, time, count) = g.pending.get(&id).map_or((Vec::new(), 0, 0), |p| {
        (p.consumer.clone(), p.delivery_time, p.delivery_count)
    });
    vec![
        b"XCLAIM".to_vec(),
        key.to_vec(),
        group_name.to_vec(),
        owner,
        b"0".to_vec(),
        id.to_vec(),
        b"TIME".to_vec(),
        time.to_string().into_bytes(),
        b"RETRYCOUNT".to_vec(),
        count.to_string().into_bytes(),
        b"FORCE".to_vec(),
        b"JUSTID".to_vec(),
        b"LASTID".to_vec(),
        g.last_id.to_vec(),
    ]
}

/// What replicas run for a group's new position (streamPropagateGroupID).
pub(super) fn setid_propagation(key: &[u8], group_name: &[u8], g: &ConsumerGroup) -> Vec<Vec<u8>> {
    vec![
        b"XGROUP".to_vec(),
        b"SETID".to_vec(),
        key.to_vec(),
        group_name.to_vec(),
        g.last_id.to_vec(),
        b"ENTRIESREAD".to_vec(),
        g.entries_read.to_string().into_bytes(),
    ]
}
