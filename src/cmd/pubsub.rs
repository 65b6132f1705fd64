//! Pub/sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH,
//! the sharded SSUBSCRIBE SUNSUBSCRIBE SPUBLISH (a standalone server has
//! one shard: they are channels of their own namespace, without patterns),
//! and PUBSUB CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/SHARDNUMSUB.

use super::{CmdResult, Ctx};
use crate::client::Client;
use crate::pubsub::{add_subscription_reply, Subscribers};
use crate::server::Server;
use crate::util::string_match;

pub fn subscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    for ch in &argv[1..] {
        ctx.srv.subscribe(ctx.c, ch);
    }
    Ok(())
}

pub fn psubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    for p in &argv[1..] {
        ctx.srv.psubscribe(ctx.c, p);
    }
    Ok(())
}

/// UNSUBSCRIBE [channel ...]: without arguments, every channel; with none
/// subscribed, one confirmation with a null channel.
pub fn unsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let all = |c: &Client| c.channels.iter().cloned().collect();
    unsubscribe_each(
        ctx,
        argv,
        b"unsubscribe",
        all,
        Client::subscription_count,
        Server::unsubscribe,
    );
    Ok(())
}

pub fn punsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let all = |c: &Client| c.patterns.clone();
    unsubscribe_each(
        ctx,
        argv,
        b"punsubscribe",
        all,
        Client::subscription_count,
        Server::punsubscribe,
    );
    Ok(())
}

/// The (P|S)UNSUBSCRIBE pattern: the named channels (or patterns), else
/// `all` the client has of that kind; with nothing to leave, one `kind`
/// confirmation with a null name and the client's `left` count.
fn unsubscribe_each(
    ctx: &mut Ctx,
    argv: &[&[u8]],
    kind: &[u8],
    all: impl FnOnce(&Client) -> Vec<Box<[u8]>>,
    left: impl FnOnce(&Client) -> usize,
    leave: fn(&mut Server, &mut Client, &[u8], bool),
) {
    let targets: Vec<Box<[u8]>> = if argv.len() > 1 {
        argv[1..].iter().map(|a| Box::from(*a)).collect()
    } else {
        all(ctx.c)
    };
    if targets.is_empty() {
        let n = left(ctx.c);
        add_subscription_reply(ctx.c, kind, None, n);
    }
    for t in targets {
        leave(ctx.srv, ctx.c, &t, true);
    }
}

pub fn publish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = ctx.srv.publish(Some(&mut *ctx.c), argv[1], argv[2]);
    published(ctx, argv, n);
    Ok(())
}

/// After (S)PUBLISH delivered to `receivers` local subscribers: the
/// command goes to our replicas, whose subscribers get it too (what our
/// own master sent reaches them with the rest of its stream), and the
/// count is the reply.
fn published(ctx: &mut Ctx, argv: &[&[u8]], receivers: usize) {
    if ctx.c.kind != crate::client::ClientKind::Master {
        ctx.srv.propagate_to_replicas(argv);
    }
    ctx.c.add_int(receivers as i64);
}

pub fn ssubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // EXEC denies blocking, and Redis counts SSUBSCRIBE as such (SUBSCRIBE
    // is let through inside a transaction).
    if ctx.c.in_exec {
        return Err("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client".into());
    }
    for ch in &argv[1..] {
        ctx.srv.ssubscribe(ctx.c, ch);
    }
    Ok(())
}

/// SUNSUBSCRIBE [channel ...]: as UNSUBSCRIBE, over shard channels (the
/// count in the replies is theirs only).
pub fn sunsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let all = |c: &Client| c.shard_channels.iter().cloned().collect();
    let left = |c: &Client| c.shard_channels.len();
    unsubscribe_each(ctx, argv, b"sunsubscribe", all, left, Server::sunsubscribe);
    Ok(())
}

pub fn spublish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = ctx.srv.spublish(Some(&mut *ctx.c), argv[1], argv[2]);
    published(ctx, argv, n);
    Ok(())
}

/// PUBSUB SHARDCHANNELS [pattern]: shard channels with a subscriber.
pub fn pubsub_shardchannels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    add_channel_names(ctx.c, &ctx.srv.pubsub_shard_channels, argv.get(2).copied());
    Ok(())
}

/// PUBSUB SHARDNUMSUB [channel ...]: subscribers per shard channel, as
/// NUMSUB replies.
pub fn pubsub_shardnumsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    add_subscriber_counts(ctx.c, &ctx.srv.pubsub_shard_channels, &argv[2..]);
    Ok(())
}

/// The channels of `subscribers` matching `pattern` (all without one).
fn add_channel_names(c: &mut Client, subscribers: &Subscribers, pattern: Option<&[u8]>) {
    let names: Vec<&Box<[u8]>> = subscribers
        .keys()
        .filter(|ch| pattern.is_none_or(|p| string_match(p, ch, false)))
        .collect();
    c.add_array_len(names.len());
    for n in names {
        c.add_bulk(n);
    }
}

/// Channel, subscriber count, ...: a flat array even in RESP3 (what Redis
/// 7.0 sends).
fn add_subscriber_counts(c: &mut Client, subscribers: &Subscribers, channels: &[&[u8]]) {
    c.add_array_len(channels.len() * 2);
    for ch in channels {
        c.add_bulk(ch);
        c.add_int(subscribers.get(*ch).map_or(0, Vec::len) as i64);
    }
}

/// PUBSUB CHANNELS [pattern]: channels with at least one subscriber.
pub fn pubsub_channels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    add_channel_names(ctx.c, &ctx.srv.pubsub_channels, argv.get(2).copied());
    Ok(())
}

/// PUBSUB NUMSUB [channel ...]: subscriber count per channel.
pub fn pubsub_numsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    add_subscriber_counts(ctx.c, &ctx.srv.pubsub_channels, &argv[2..]);
    Ok(())
}

/// PUBSUB NUMPAT: number of pattern subscriptions (by all clients).
pub fn pubsub_numpat(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    // Redis counts distinct patterns, not subscriptions.
    let mut distinct: Vec<&[u8]> = ctx
        .srv
        .pubsub_patterns
        .iter()
        .map(|(p, _)| &p[..])
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    let n = distinct.len();
    ctx.c.add_int(n as i64);
    Ok(())
}

pub fn pubsub_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    super::server::add_help(
        ctx.c,
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    );
    Ok(())
}
