//! Transactions: MULTI queueing, EXEC, and the WATCH bookkeeping that makes
//! EXEC fail when a watched key changed.
//!
//! WATCH registers `(db, key) → client slots` in `Server::watched_keys`.
//! A command that modifies keys records a [`Touch`] while it runs; after the
//! command, [`Server::apply_touches`] marks every watching client dirty
//! (the current client too: it is outside the slab while it runs). When
//! nobody watches anything, recording is skipped, so the common path pays
//! one `is_empty` check per write.

use crate::client::{Client, QueuedCommand};
use crate::server::Server;

/// A modification that may invalidate WATCHes.
#[derive(Debug, Clone)]
pub struct Touch {
    pub db: usize,
    pub key: Box<[u8]>,
    /// A modification tracking clients hear about (a flush tells them
    /// otherwise, see tracking.rs).
    pub tracking: bool,
}

impl Server {
    /// Record that `key` in `db` was modified by the running command.
    pub fn touch_key(&mut self, db: usize, key: &[u8]) {
        let tracking = self.tracking.active();
        if self.watched_keys.is_empty() && !tracking {
            return;
        }
        if tracking || self.watched_keys.contains_key(&(db, Box::from(key))) {
            self.pending_touches.push(Touch {
                db,
                key: key.into(),
                tracking,
            });
        }
    }

    /// FLUSHDB / FLUSHALL / SWAPDB: every watched key of `db` (every db when
    /// None) that currently exists counts as modified. Call it before the
    /// keys go away.
    pub fn touch_db(&mut self, db: Option<usize>) {
        if self.watched_keys.is_empty() {
            return;
        }
        let keys: Vec<(usize, Box<[u8]>)> = self
            .watched_keys
            .keys()
            .filter(|(d, k)| db.is_none_or(|x| x == *d) && self.dbs[*d].dict.contains_key(k))
            .cloned()
            .collect();
        for (d, key) in keys {
            self.pending_touches.push(Touch {
                db: d,
                key,
                tracking: false,
            });
        }
    }

    /// SWAPDB: a watched key of either database changes if it exists in
    /// either of them (its value is about to be replaced or to appear).
    pub fn touch_swapdb(&mut self, a: usize, b: usize) {
        if self.watched_keys.is_empty() {
            return;
        }
        let keys: Vec<(usize, Box<[u8]>)> = self
            .watched_keys
            .keys()
            .filter(|(d, k)| {
                (*d == a || *d == b)
                    && (self.dbs[a].dict.contains_key(k) || self.dbs[b].dict.contains_key(k))
            })
            .cloned()
            .collect();
        for (db, key) in keys {
            self.pending_touches.push(Touch {
                db,
                key,
                tracking: false,
            });
        }
    }

    /// Mark the clients watching the touched keys; `current` is the client
    /// whose command did the touching.
    pub(crate) fn apply_touches(&mut self, current: &mut Client) {
        for t in std::mem::take(&mut self.pending_touches) {
            if t.tracking {
                self.tracking_invalidate(&t.key, current.id);
            }
            let Some(slots) = self.watched_keys.get(&(t.db, t.key)) else {
                continue;
            };
            for &slot in slots {
                if slot == current.slot {
                    current.watch_dirty = true;
                } else if let Some(Some(other)) = self.clients.get_mut(slot) {
                    other.watch_dirty = true;
                }
            }
        }
    }

    /// WATCH one key for `c`.
    pub fn watch_key(&mut self, c: &mut Client, db: usize, key: &[u8], now_ms: i64) {
        if c.watched.iter().any(|(d, k, _)| *d == db && &k[..] == key) {
            return;
        }
        let live = self.dbs[db].dict.contains_key(key) && !self.dbs[db].is_expired(key, now_ms);
        c.watched.push((db, key.into(), live));
        self.watched_keys
            .entry((db, key.into()))
            .or_default()
            .push(c.slot);
    }

    /// UNWATCH (also after EXEC/DISCARD and when the client goes away).
    pub fn unwatch_all(&mut self, c: &mut Client) {
        for (db, key, _) in std::mem::take(&mut c.watched) {
            let k = (db, key);
            if let Some(slots) = self.watched_keys.get_mut(&k) {
                slots.retain(|&s| s != c.slot);
                if slots.is_empty() {
                    self.watched_keys.remove(&k);
                }
            }
        }
        c.watch_dirty = false;
    }

    /// Whether EXEC must fail: a watched key was modified, or it expired
    /// since it was watched (Redis 7 treats that as a modification).
    pub fn watch_failed(&self, c: &Client, now_ms: i64) -> bool {
        c.watch_dirty
            || c.watched
                .iter()
                .any(|(db, key, live)| *live && self.dbs[*db].is_expired(key, now_ms))
    }

    /// Queue a command inside MULTI (dispatch has already checked that it
    /// exists, its arity and authentication).
    pub(crate) fn queue_multi_command(&mut self, c: &mut Client, idx: usize, argv: &[&[u8]]) {
        if self.commands.entries[idx]
            .cmd
            .has(crate::cmd::flags::NO_MULTI)
        {
            c.multi_error = true;
            let msg = "ERR Command not allowed inside a transaction";
            self.count_error(msg);
            c.add_error(msg);
            return;
        }
        if let Some(queue) = c.multi.as_mut() {
            queue.push(QueuedCommand {
                idx,
                argv: argv.iter().map(|a| a.to_vec()).collect(),
            });
        }
        c.add_simple(b"QUEUED");
    }

    /// Leave MULTI state (EXEC, DISCARD), dropping the queue and WATCHes.
    pub fn discard_transaction(&mut self, c: &mut Client) {
        c.multi = None;
        c.multi_error = false;
        self.unwatch_all(c);
    }

    /// EXEC: run the queued commands, replying with an array of their
    /// replies, or fail as Redis does.
    pub fn exec_transaction(&mut self, c: &mut Client, now_ms: i64) -> Result<(), &'static str> {
        let Some(queue) = c.multi.take() else {
            return Err("ERR EXEC without MULTI");
        };
        if c.multi_error {
            self.discard_transaction(c);
            return Err("EXECABORT Transaction discarded because of previous errors.");
        }
        if self.watch_failed(c, now_ms) {
            self.discard_transaction(c);
            c.add_null_array();
            return Ok(());
        }
        // The queue no longer counts as MULTI while it runs.
        self.unwatch_all(c);
        c.add_array_len(queue.len());
        c.in_exec = true;
        for q in &queue {
            let argv: Vec<&[u8]> = q.argv.iter().map(|a| a.as_slice()).collect();
            self.call(c, q.idx, &argv);
            if !self.pending_touches.is_empty() {
                self.apply_touches(c);
            }
        }
        c.in_exec = false;
        c.multi_error = false;
        Ok(())
    }
}
