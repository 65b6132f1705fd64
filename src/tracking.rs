//! Client-side caching: `CLIENT TRACKING` and its invalidation messages
//! (Redis's tracking.c).
//!
//! A client that turned tracking on caches what it read; the server tells
//! it when that may have changed. Two modes:
//!
//! - default: every key a read-only command of the client fetched goes
//!   into a table `key -> client ids` ([`Tracking::table`]). When the key
//!   is modified (the same signal that breaks a WATCH), or expires, each
//!   of those clients gets one `invalidate [key]` message and the key
//!   leaves the table: a client hears about a key once per read.
//!   OPTIN/OPTOUT limit the remembering to reads after `CLIENT CACHING
//!   yes` / to reads not after `CLIENT CACHING no`.
//! - BCAST: nothing is remembered; a client subscribes to key prefixes
//!   (`""` = every key) and gets, once per event-loop turn, the keys under
//!   each prefix modified during that turn.
//!
//! The table is keyed by key name alone, not by database (as in Redis).
//! Messages are RESP3 pushes `>2 invalidate <keys>`, or, when the client
//! redirects them to another connection, pub/sub messages on
//! `__redis__:invalidate` for a RESP2 one. FLUSHDB/FLUSHALL send every
//! tracking client a null instead of keys. NOLOOP skips keys the client
//! modified itself.
//!
//! Messages are queued while commands run and delivered after the command
//! (so the modifying client's own invalidation follows its reply, as Redis
//! 7.0 orders it) or at the end of the event-loop turn.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::client::{Client, ClientId};
use crate::resp::reply;
use crate::server::Server;

/// The pub/sub channel RESP2 connections receive redirected messages on.
pub const INVALIDATE_CHANNEL: &[u8] = b"__redis__:invalidate";

/// Most keys [`Server::tracking_limit_table`] evicts per turn (Redis's
/// effort cap), so a lowered `tracking-table-max-keys` never stalls a turn.
const EVICTIONS_PER_TURN: usize = 1000;

/// A client's tracking mode (present while tracking is on).
#[derive(Debug, Default, Clone)]
pub struct ClientTracking {
    /// Client the messages go to; 0 = this connection itself.
    pub redirect: ClientId,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    /// `CLIENT CACHING yes` (OPTIN) or `no` (OPTOUT) applies to the next
    /// command.
    pub caching: bool,
    /// The redirect client went away: messages are being lost.
    pub broken_redirect: bool,
    /// BCAST prefixes, sorted as Redis lists them.
    pub prefixes: BTreeSet<Box<[u8]>>,
}

/// The options of one `CLIENT TRACKING on` call.
#[derive(Debug, Default)]
pub struct TrackingOptions {
    pub redirect: ClientId,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    pub prefixes: Vec<Box<[u8]>>,
}

/// What a queued message says.
#[derive(Debug)]
enum Payload {
    /// A key of the default-mode table was modified by client `by` (0:
    /// by the server, as an expiry); checked against the target's mode
    /// when delivered.
    Key { key: Box<[u8]>, by: ClientId },
    /// Keys under a BCAST prefix, already filtered for NOLOOP.
    Keys(Vec<Box<[u8]>>),
    /// FLUSHDB / FLUSHALL: everything.
    Flush,
}

/// One BCAST prefix: its subscribers and what changed under it this turn.
#[derive(Debug, Default)]
struct Prefix {
    /// In subscription order.
    clients: Vec<ClientId>,
    /// Keys modified this turn, with the client that modified each last
    /// (0: the server), for NOLOOP.
    keys: BTreeMap<Box<[u8]>, ClientId>,
}

/// The server's tracking state.
#[derive(Debug, Default)]
pub struct Tracking {
    /// Default mode: key -> clients that may have it cached.
    table: HashMap<Box<[u8]>, Vec<ClientId>>,
    /// Sum of the table's client lists (INFO tracking_total_items).
    items: usize,
    prefixes: BTreeMap<Box<[u8]>, Prefix>,
    /// Clients with tracking on (INFO tracking_clients).
    pub clients: usize,
    /// Messages waiting for delivery: (tracking client, payload).
    outbox: Vec<(ClientId, Payload)>,
}

impl Tracking {
    /// Whether a modified key can concern anyone.
    #[inline]
    pub fn active(&self) -> bool {
        !self.table.is_empty() || !self.prefixes.is_empty()
    }

    pub fn total_keys(&self) -> usize {
        self.table.len()
    }

    pub fn total_items(&self) -> usize {
        self.items
    }

    pub fn total_prefixes(&self) -> usize {
        self.prefixes.len()
    }

    fn remember(&mut self, key: &[u8], id: ClientId) {
        let ids = self.table.entry(key.into()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
            self.items += 1;
        }
    }

    /// `key` was modified by client `by`: queue its invalidation for the
    /// default-mode clients that read it (forgetting it), and, with
    /// `bcast`, note it under every prefix it falls in.
    fn invalidate(&mut self, key: &[u8], by: ClientId, bcast: bool) {
        if bcast {
            for (prefix, p) in self.prefixes.iter_mut() {
                if key.starts_with(prefix) {
                    p.keys.insert(key.into(), by);
                }
            }
        }
        if let Some(ids) = self.table.remove(key) {
            self.items -= ids.len();
            for id in ids {
                self.outbox.push((
                    id,
                    Payload::Key {
                        key: key.into(),
                        by,
                    },
                ));
            }
        }
    }

    /// Prefix collisions Redis refuses: a new prefix that is a prefix of,
    /// or starts with, one the client has (the same one included) or
    /// another new one.
    fn check_prefixes(existing: &BTreeSet<Box<[u8]>>, new: &[Box<[u8]>]) -> Result<(), String> {
        let overlap = |a: &[u8], b: &[u8]| a.starts_with(b) || b.starts_with(a);
        for (i, p) in new.iter().enumerate() {
            if let Some(e) = existing.iter().find(|e| overlap(e, p)) {
                return Err(format!(
                    "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(e)
                ));
            }
            if let Some(o) = new[i + 1..].iter().find(|o| overlap(o, p)) {
                return Err(format!(
                    "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(o)
                ));
            }
        }
        Ok(())
    }
}

/// The message for `to`: an `invalidate` push, or the pub/sub form for a
/// RESP2 connection listening on the channel; None when `to` cannot be
/// told. `flush_null_resp` is the protocol of the tracking client, whose
/// null a flush carries.
fn message_for(
    to: &Client,
    redirected: bool,
    payload: &[&[u8]],
    flush_null_resp: Option<u8>,
) -> Option<Vec<u8>> {
    let mut msg = Vec::new();
    let out = &mut msg;
    if to.resp >= 3 {
        reply::push_len(out, 3, 2);
        reply::bulk(out, b"invalidate");
    } else if redirected && to.subscription_count() > 0 {
        reply::push_len(out, 2, 3);
        reply::bulk(out, b"message");
        reply::bulk(out, INVALIDATE_CHANNEL);
    } else {
        // RESP2 has no out-of-band messages on a request connection.
        return None;
    }
    match flush_null_resp {
        Some(resp) => reply::null_bulk(out, resp),
        None => {
            reply::array_len(out, payload.len());
            for k in payload {
                reply::bulk(out, k);
            }
        }
    }
    Some(msg)
}

impl Server {
    /// The client with `id`: `current` (running a command, out of the
    /// slab) or one in the slab.
    fn tracked_client<'a>(
        clients: &'a mut slab::Slab<Option<Box<Client>>>,
        slots: &HashMap<ClientId, usize>,
        current: Option<&'a mut Client>,
        id: ClientId,
    ) -> Option<&'a mut Client> {
        if let Some(c) = current {
            if c.id == id {
                return Some(c);
            }
        }
        let slot = *slots.get(&id)?;
        clients.get_mut(slot)?.as_deref_mut()
    }

    /// CLIENT TRACKING on: checks done by the caller.
    pub fn tracking_enable(&mut self, c: &mut Client, opts: TrackingOptions) {
        let was = c.tracking.take();
        if was.is_none() {
            self.tracking.clients += 1;
        }
        let mut t = ClientTracking {
            redirect: opts.redirect,
            optin: opts.optin,
            optout: opts.optout,
            noloop: opts.noloop,
            // Prefixes add up over calls; caching and a broken redirect
            // start over.
            prefixes: was.map(|w| w.prefixes).unwrap_or_default(),
            ..ClientTracking::default()
        };
        if opts.bcast {
            t.bcast = true;
            let mut prefixes = opts.prefixes;
            if prefixes.is_empty() {
                prefixes.push(Box::default());
            }
            for p in prefixes {
                if t.prefixes.insert(p.clone()) {
                    self.tracking
                        .prefixes
                        .entry(p)
                        .or_default()
                        .clients
                        .push(c.id);
                }
            }
        }
        c.tracking = Some(Box::new(t));
    }

    /// CLIENT TRACKING off, RESET, and a client going away.
    pub fn tracking_disable(&mut self, c: &mut Client) {
        let Some(t) = c.tracking.take() else {
            return;
        };
        self.tracking.clients -= 1;
        for p in &t.prefixes {
            if let Some(state) = self.tracking.prefixes.get_mut(p) {
                state.clients.retain(|&id| id != c.id);
                if state.clients.is_empty() {
                    self.tracking.prefixes.remove(p);
                }
            }
        }
    }

    /// CLIENT TRACKING's checks of Redis's order, then on or off.
    pub fn tracking_command(
        &mut self,
        c: &mut Client,
        on: bool,
        opts: TrackingOptions,
    ) -> Result<(), String> {
        if !on {
            self.tracking_disable(c);
            return Ok(());
        }
        if !opts.bcast && !opts.prefixes.is_empty() {
            return Err("ERR PREFIX option requires BCAST mode to be enabled".into());
        }
        if let Some(t) = &c.tracking {
            if t.bcast != opts.bcast {
                return Err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.".into());
            }
        }
        if opts.bcast && (opts.optin || opts.optout) {
            return Err("ERR OPTIN and OPTOUT are not compatible with BCAST".into());
        }
        if opts.optin && opts.optout {
            return Err("ERR You can't specify both OPTIN mode and OPTOUT mode".into());
        }
        if let Some(t) = &c.tracking {
            if (opts.optin && t.optout) || (opts.optout && t.optin) {
                return Err("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.".into());
            }
        }
        if opts.bcast {
            let existing = c
                .tracking
                .as_ref()
                .map(|t| t.prefixes.clone())
                .unwrap_or_default();
            Tracking::check_prefixes(&existing, &opts.prefixes)?;
        }
        self.tracking_enable(c, opts);
        Ok(())
    }

    /// After a read-only command of a tracking client in default mode:
    /// remember the keys it read (Redis's trackingRememberKeys).
    pub(crate) fn tracking_remember_keys(&mut self, c: &Client, idx: usize, argv: &[&[u8]]) {
        let Some(t) = c.tracking.as_deref() else {
            return;
        };
        if t.bcast || (t.optin && !t.caching) || (t.optout && t.caching) {
            return;
        }
        let entry = &self.commands.entries[idx];
        let keys = crate::cmd::meta::get_keys(&entry.full_name, entry.cmd.arity, argv);
        for k in keys {
            self.tracking.remember(argv[k.pos], c.id);
        }
    }

    /// A key was modified (Redis's trackingInvalidateKey): by client `by`
    /// (0 for the server itself).
    pub(crate) fn tracking_invalidate(&mut self, key: &[u8], by: ClientId) {
        if self.tracking.active() {
            self.tracking.invalidate(key, by, true);
        }
    }

    /// FLUSHDB / FLUSHALL: every tracking client gets a null, and the
    /// table is emptied. `current` runs the flush.
    pub(crate) fn tracking_flush(&mut self, current: &Client) {
        if self.tracking.clients > 0 {
            let ids = self
                .clients
                .iter()
                .filter_map(|(_, c)| c.as_deref())
                .chain(std::iter::once(current))
                .filter(|c| c.tracking.is_some())
                .map(|c| c.id);
            let outbox: Vec<(ClientId, Payload)> = ids.map(|id| (id, Payload::Flush)).collect();
            self.tracking.outbox.extend(outbox);
        }
        self.tracking.table.clear();
        self.tracking.items = 0;
    }

    /// End of the event-loop turn: the keys modified under each BCAST
    /// prefix go to its clients (Redis's
    /// trackingBroadcastInvalidationMessages), then `tracking-table-max-keys`
    /// is enforced.
    pub(crate) fn tracking_before_sleep(&mut self) {
        let mut queued = Vec::new();
        for p in self.tracking.prefixes.values_mut() {
            if p.keys.is_empty() {
                continue;
            }
            let keys = std::mem::take(&mut p.keys);
            for &id in &p.clients {
                let noloop = Self::tracked_client(&mut self.clients, &self.client_slots, None, id)
                    .and_then(|c| c.tracking.as_deref())
                    .is_some_and(|t| t.noloop);
                let list: Vec<Box<[u8]>> = keys
                    .iter()
                    .filter(|&(_, &by)| !noloop || by != id)
                    .map(|(k, _)| k.clone())
                    .collect();
                if !list.is_empty() {
                    queued.push((id, Payload::Keys(list)));
                }
            }
        }
        self.tracking.outbox.extend(queued);
        self.tracking_limit_table();
        self.tracking_deliver(None);
    }

    /// Redis's trackingLimitUsedSlots: over `tracking-table-max-keys` (0 =
    /// no limit), keys leave the table with an invalidation, as if
    /// modified, so that clients stop caching them.
    fn tracking_limit_table(&mut self) {
        let max = self.config.tracking_table_max_keys as usize;
        if max == 0 || self.tracking.table.len() <= max {
            return;
        }
        let excess = (self.tracking.table.len() - max).min(EVICTIONS_PER_TURN);
        let keys: Vec<Box<[u8]>> = self.tracking.table.keys().take(excess).cloned().collect();
        for key in keys {
            self.tracking.invalidate(&key, 0, false);
        }
    }

    /// Deliver queued messages; `current` is the client whose command just
    /// ran (its messages follow its reply).
    pub(crate) fn tracking_deliver(&mut self, mut current: Option<&mut Client>) {
        if self.tracking.outbox.is_empty() {
            return;
        }
        for (id, payload) in std::mem::take(&mut self.tracking.outbox) {
            self.tracking_send(current.as_deref_mut(), id, payload);
        }
    }

    /// Redis's sendTrackingMessage, after the default-mode checks.
    fn tracking_send(&mut self, mut current: Option<&mut Client>, id: ClientId, payload: Payload) {
        let current_id = current.as_ref().map(|c| c.id);
        let Some(target) = Self::tracked_client(
            &mut self.clients,
            &self.client_slots,
            current.as_deref_mut(),
            id,
        ) else {
            return;
        };
        let Some(t) = target.tracking.as_deref() else {
            return;
        };
        if let Payload::Key { by, .. } = &payload {
            // A client that switched to BCAST, or NOLOOP about its own write.
            if t.bcast || (t.noloop && *by == id) {
                return;
            }
        }
        let redirect = t.redirect;
        let resp = target.resp;
        let target_slot = (current_id != Some(id)).then_some(target.slot);
        let (keys, flush_null): (Vec<&[u8]>, Option<u8>) = match &payload {
            Payload::Key { key, .. } => (vec![&key[..]], None),
            Payload::Keys(keys) => (keys.iter().map(|k| &k[..]).collect(), None),
            Payload::Flush => (Vec::new(), Some(resp)),
        };
        if redirect == 0 {
            if let Some(msg) = message_for(target, false, &keys, flush_null) {
                target.reply.extend_from_slice(&msg);
                if let Some(slot) = target_slot {
                    self.queue_write(slot);
                }
            }
            return;
        }
        let to_current = current_id == Some(redirect);
        match Self::tracked_client(
            &mut self.clients,
            &self.client_slots,
            current.as_deref_mut(),
            redirect,
        ) {
            Some(to) => {
                let Some(msg) = message_for(to, true, &keys, flush_null) else {
                    return;
                };
                if !to_current {
                    to.reply.extend_from_slice(&msg);
                    let slot = to.slot;
                    self.queue_write(slot);
                } else if target_slot.is_some() {
                    // Another client's message, redirected to the one
                    // whose command caused it: Redis sends it while the
                    // command runs, ahead of its reply.
                    let at = self.cmd_reply_start.clamp(to.sent, to.reply.len());
                    to.reply.splice(at..at, msg.iter().copied());
                    self.cmd_reply_start = at + msg.len();
                } else {
                    to.reply.extend_from_slice(&msg);
                }
            }
            None => {
                // Tell the tracking client its messages are being lost.
                let Some(target) =
                    Self::tracked_client(&mut self.clients, &self.client_slots, current, id)
                else {
                    return;
                };
                if let Some(t) = target.tracking.as_deref_mut() {
                    t.broken_redirect = true;
                }
                if target.resp >= 3 {
                    reply::push_len(&mut target.reply, 3, 2);
                    reply::bulk(&mut target.reply, b"tracking-redir-broken");
                    reply::int(&mut target.reply, redirect as i64);
                    if let Some(slot) = target_slot {
                        self.queue_write(slot);
                    }
                }
            }
        }
    }
}
