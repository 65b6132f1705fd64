//! Pub/sub: channel and pattern subscriptions, PUBLISH fan-out, and
//! keyspace notifications (`notify-keyspace-events`).
//!
//! Subscriptions are kept twice: on the client (what it is subscribed to,
//! for UNSUBSCRIBE without arguments and for CLIENT LIST's sub=/psub=) and
//! on the server (who listens to a channel, for PUBLISH). Messages to other
//! clients are appended to their reply buffers and flushed by the normal
//! write path. The publishing client is outside the slab while its command
//! runs, so it is passed in separately when it may be a receiver (a RESP3
//! client can publish while subscribed).

use crate::client::{Client, ClientKind};
use crate::resp::reply;
use crate::server::Server;
use crate::util::string_match;

/// Keyspace-event class bits, parsed from `notify-keyspace-events`.
pub mod event_flags {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 12;
    pub const NEW: u32 = 1 << 13;
    /// `A`: every class except key-miss and new.
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

/// Parse a `notify-keyspace-events` value into flags (the config layer has
/// already validated it).
pub fn parse_event_flags(s: &str) -> u32 {
    s.bytes().fold(0, |f, c| {
        f | match c {
            b'A' => event_flags::ALL,
            b'K' => event_flags::KEYSPACE,
            b'E' => event_flags::KEYEVENT,
            other => class_flag(other),
        }
    })
}

/// Flag of one event-class letter; the same letters serve the config value
/// and the classes command handlers pass (`server::notify::*`).
fn class_flag(class: u8) -> u32 {
    use event_flags::*;
    match class {
        b'g' => GENERIC,
        b'$' => STRING,
        b'l' => LIST,
        b's' => SET,
        b'h' => HASH,
        b'z' => ZSET,
        b'x' => EXPIRED,
        b'e' => EVICTED,
        b't' => STREAM,
        b'm' => KEY_MISS,
        b'd' => MODULE,
        b'n' => NEW,
        _ => 0,
    }
}

/// Append a `subscribe`-style confirmation: [kind, name, count].
pub fn add_subscription_reply(c: &mut Client, kind: &[u8], name: Option<&[u8]>, count: usize) {
    reply::push_len(&mut c.reply, c.resp, 3);
    reply::bulk(&mut c.reply, kind);
    match name {
        Some(n) => reply::bulk(&mut c.reply, n),
        None => reply::null_bulk(&mut c.reply, c.resp),
    }
    reply::int(&mut c.reply, count as i64);
}

/// A `message` (or sharded `smessage`) push.
fn add_message(c: &mut Client, kind: &[u8], channel: &[u8], msg: &[u8]) {
    reply::push_len(&mut c.reply, c.resp, 3);
    reply::bulk(&mut c.reply, kind);
    reply::bulk(&mut c.reply, channel);
    reply::bulk(&mut c.reply, msg);
}

fn add_pmessage(c: &mut Client, pattern: &[u8], channel: &[u8], msg: &[u8]) {
    reply::push_len(&mut c.reply, c.resp, 4);
    reply::bulk(&mut c.reply, b"pmessage");
    reply::bulk(&mut c.reply, pattern);
    reply::bulk(&mut c.reply, channel);
    reply::bulk(&mut c.reply, msg);
}

/// Who listens to each channel: the clients' slots.
pub type Subscribers = std::collections::HashMap<Box<[u8]>, Vec<usize>>;

fn add_subscriber(map: &mut Subscribers, channel: &[u8], slot: usize) {
    map.entry(channel.into()).or_default().push(slot);
}

/// Forget `slot` on `channel`, and the channel once nobody listens.
fn remove_subscriber(map: &mut Subscribers, channel: &[u8], slot: usize) {
    if let Some(slots) = map.get_mut(channel) {
        slots.retain(|&s| s != slot);
        if slots.is_empty() {
            map.remove(channel);
        }
    }
}

impl Server {
    /// SUBSCRIBE one channel; replies with the confirmation.
    pub fn subscribe(&mut self, c: &mut Client, channel: &[u8]) {
        if c.channels.insert(channel.into()) {
            add_subscriber(&mut self.pubsub_channels, channel, c.slot);
        }
        c.kind = ClientKind::PubSub;
        add_subscription_reply(c, b"subscribe", Some(channel), c.subscription_count());
    }

    /// UNSUBSCRIBE one channel; replies with the confirmation when `notify`.
    pub fn unsubscribe(&mut self, c: &mut Client, channel: &[u8], notify: bool) {
        if c.channels.remove(channel) {
            remove_subscriber(&mut self.pubsub_channels, channel, c.slot);
        }
        if notify {
            add_subscription_reply(c, b"unsubscribe", Some(channel), c.subscription_count());
        }
        self.update_pubsub_kind(c);
    }

    /// PSUBSCRIBE one pattern.
    pub fn psubscribe(&mut self, c: &mut Client, pattern: &[u8]) {
        if !c.patterns.iter().any(|p| &p[..] == pattern) {
            c.patterns.push(pattern.into());
            self.pubsub_patterns.push((pattern.into(), c.slot));
        }
        c.kind = ClientKind::PubSub;
        add_subscription_reply(c, b"psubscribe", Some(pattern), c.subscription_count());
    }

    /// PUNSUBSCRIBE one pattern.
    pub fn punsubscribe(&mut self, c: &mut Client, pattern: &[u8], notify: bool) {
        if let Some(i) = c.patterns.iter().position(|p| &p[..] == pattern) {
            c.patterns.remove(i);
            let slot = c.slot;
            self.pubsub_patterns
                .retain(|(p, s)| !(*s == slot && &p[..] == pattern));
        }
        if notify {
            add_subscription_reply(c, b"punsubscribe", Some(pattern), c.subscription_count());
        }
        self.update_pubsub_kind(c);
    }

    /// SSUBSCRIBE one shard channel; the count in the reply is the
    /// client's shard channels only, as in Redis.
    pub fn ssubscribe(&mut self, c: &mut Client, channel: &[u8]) {
        if c.shard_channels.insert(channel.into()) {
            add_subscriber(&mut self.pubsub_shard_channels, channel, c.slot);
        }
        c.kind = ClientKind::PubSub;
        add_subscription_reply(c, b"ssubscribe", Some(channel), c.shard_channels.len());
    }

    /// SUNSUBSCRIBE one shard channel; replies when `notify`.
    pub fn sunsubscribe(&mut self, c: &mut Client, channel: &[u8], notify: bool) {
        if c.shard_channels.remove(channel) {
            remove_subscriber(&mut self.pubsub_shard_channels, channel, c.slot);
        }
        if notify {
            let n = c.shard_channels.len();
            add_subscription_reply(c, b"sunsubscribe", Some(channel), n);
        }
        self.update_pubsub_kind(c);
    }

    /// SPUBLISH: deliver to the shard channel's subscribers (no patterns
    /// apply); the number of receivers.
    pub fn spublish(
        &mut self,
        mut current: Option<&mut Client>,
        channel: &[u8],
        msg: &[u8],
    ) -> usize {
        let Some(slots) = self.pubsub_shard_channels.get(channel).cloned() else {
            return 0;
        };
        for &slot in &slots {
            self.deliver(current.as_deref_mut(), slot, |c| {
                add_message(c, b"smessage", channel, msg)
            });
        }
        slots.len()
    }

    /// A client with no subscription left is a normal client again.
    fn update_pubsub_kind(&self, c: &mut Client) {
        if c.kind == ClientKind::PubSub && c.total_subscriptions() == 0 {
            c.kind = ClientKind::Normal;
        }
    }

    /// Drop every subscription of a client that goes away (no replies).
    pub fn unsubscribe_all(&mut self, c: &mut Client) {
        let channels: Vec<Box<[u8]>> = c.channels.iter().cloned().collect();
        for ch in channels {
            self.unsubscribe(c, &ch, false);
        }
        let patterns = c.patterns.clone();
        for p in patterns {
            self.punsubscribe(c, &p, false);
        }
        let shard: Vec<Box<[u8]>> = c.shard_channels.iter().cloned().collect();
        for ch in shard {
            self.sunsubscribe(c, &ch, false);
        }
    }

    /// Deliver `msg` on `channel` to every subscriber; `current` is the
    /// client running the command, which may be a subscriber itself.
    /// Returns the number of receivers (PUBLISH's reply).
    pub fn publish(
        &mut self,
        mut current: Option<&mut Client>,
        channel: &[u8],
        msg: &[u8],
    ) -> usize {
        let mut receivers = 0;
        if let Some(slots) = self.pubsub_channels.get(channel).cloned() {
            for slot in slots {
                receivers += 1;
                self.deliver(current.as_deref_mut(), slot, |c| {
                    add_message(c, b"message", channel, msg)
                });
            }
        }
        if !self.pubsub_patterns.is_empty() {
            let matching: Vec<(Box<[u8]>, usize)> = self
                .pubsub_patterns
                .iter()
                .filter(|(p, _)| string_match(p, channel, false))
                .cloned()
                .collect();
            for (pattern, slot) in matching {
                receivers += 1;
                self.deliver(current.as_deref_mut(), slot, |c| {
                    add_pmessage(c, &pattern, channel, msg)
                });
            }
        }
        receivers
    }

    /// Append a message to the client in `slot` (or to `current` when that
    /// is the one) and queue it for writing.
    fn deliver(
        &mut self,
        current: Option<&mut Client>,
        slot: usize,
        write: impl FnOnce(&mut Client),
    ) {
        match current {
            Some(me) if me.slot == slot => write(me),
            _ => {
                if let Some(Some(mut c)) = self.clients.get_mut(slot).map(|s| s.take()) {
                    write(&mut c);
                    if !c.pending_write {
                        c.pending_write = true;
                        self.queue_write(slot);
                    }
                    // A subscriber that does not read must not grow without
                    // bound (pubsub class of client-output-buffer-limit).
                    let over =
                        !c.close_asap && self.output_limit_reached(&mut c, crate::util::now_ms());
                    self.clients[slot] = Some(c);
                    if over {
                        self.close_client_later(slot);
                    }
                }
            }
        }
    }

    /// Keyspace notification for `event` on `key` (`class` is one of
    /// `server::notify::*`), published on `__keyspace@<db>__:<key>` and
    /// `__keyevent@<db>__:<event>` as `notify-keyspace-events` asks.
    pub fn notify_keyspace_event(&mut self, class: u8, event: &str, key: &[u8], db: usize) {
        self.notify_keyspace_event_from(None, class, event, key, db);
    }

    /// [`notify_keyspace_event`](Self::notify_keyspace_event) raised by a
    /// command of `current`, which is out of the client table while it
    /// runs: a RESP3 client subscribed to its own keys gets the message in
    /// its reply stream at this point, as in Redis.
    pub fn notify_keyspace_event_from(
        &mut self,
        mut current: Option<&mut Client>,
        class: u8,
        event: &str,
        key: &[u8],
        db: usize,
    ) {
        let flags = self.notify_flags;
        if flags & (event_flags::KEYSPACE | event_flags::KEYEVENT) == 0
            || flags & class_flag(class) == 0
        {
            return;
        }
        if flags & event_flags::KEYSPACE != 0 {
            let mut channel = format!("__keyspace@{db}__:").into_bytes();
            channel.extend_from_slice(key);
            self.publish(current.as_deref_mut(), &channel, event.as_bytes());
        }
        if flags & event_flags::KEYEVENT != 0 {
            let channel = format!("__keyevent@{db}__:{event}");
            self.publish(current, channel.as_bytes(), key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_flag_parsing() {
        use event_flags::*;
        assert_eq!(parse_event_flags(""), 0);
        assert_eq!(parse_event_flags("KEA"), KEYSPACE | KEYEVENT | ALL);
        assert_eq!(parse_event_flags("Ex"), KEYEVENT | EXPIRED);
        assert_eq!(parse_event_flags("Kl$"), KEYSPACE | LIST | STRING);
    }
}
