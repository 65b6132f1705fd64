//! Propagation: every change to the dataset leaves as a command stream for
//! the AOF and the replicas, in the order it was executed.
//!
//! A write command is propagated as it was received, unless its handler
//! says otherwise: commands whose effect depends on time or chance are
//! rewritten into deterministic forms Redis 7.0 uses, so that a replica
//! or an AOF replay ends up with the same data:
//!
//! | executed                          | propagated                         |
//! |-----------------------------------|------------------------------------|
//! | SET/SETEX/PSETEX with a TTL       | SET key value PXAT <abs ms>        |
//! | EXPIRE/PEXPIRE/EXPIREAT           | PEXPIREAT key <abs ms>             |
//! | any expiry in the past, GETDEL    | DEL key                            |
//! | GETEX EX/PX/… / PERSIST           | PEXPIREAT / PERSIST                |
//! | INCRBYFLOAT / HINCRBYFLOAT        | SET … KEEPTTL / HSET with result   |
//! | SPOP                              | SREM key member…                   |
//! | BLPOP, BLMOVE, BZPOPMIN, …        | their non-blocking forms           |
//! | a key expiring (lazily or actively)| DEL key                           |
//!
//! While a top-level command runs, its operations collect in `pending`;
//! when it is done they are emitted as one unit, wrapped in MULTI/EXEC when
//! there are several (an EXEC, or a command that became several), with a
//! SELECT whenever the database changes. Nothing is encoded while no
//! consumer (AOF or replication) exists.

use crate::server::Server;

/// One operation to propagate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub db: usize,
    pub argv: Vec<Vec<u8>>,
}

/// Propagation state.
#[derive(Debug, Default)]
pub struct Propagation {
    /// Operations of the command being executed.
    pub pending: Vec<Op>,
    /// The handler chose its own propagation: skip the default (its argv).
    pub replaced: bool,
    /// Database of the last SELECT written to the stream (-1: none yet, so
    /// the first operation always starts with a SELECT).
    pub stream_db: i64,
    /// Encoded stream not yet taken by a consumer (tests, AOF, backlog).
    pub out: Vec<u8>,
    /// Whether anything consumes the stream; when false nothing is encoded.
    pub active: bool,
}

/// Encode argv as a RESP multibulk.
pub fn encode_command(out: &mut Vec<u8>, argv: &[&[u8]]) {
    out.push(b'*');
    crate::util::write_u64(out, argv.len() as u64);
    out.extend_from_slice(b"\r\n");
    for a in argv {
        out.push(b'$');
        crate::util::write_u64(out, a.len() as u64);
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

impl Server {
    /// Propagate `argv` on `db` instead of the running command's own argv
    /// (call several times for several operations).
    pub fn propagate_instead(&mut self, db: usize, argv: Vec<Vec<u8>>) {
        self.propagation.replaced = true;
        if self.propagation.active {
            self.propagation.pending.push(Op { db, argv });
        }
    }

    /// The running command propagates nothing (it changed nothing that a
    /// replica should repeat, e.g. a key that expired in the meantime).
    pub fn propagate_nothing(&mut self) {
        self.propagation.replaced = true;
    }

    /// A key was deleted because it expired: replicas and the AOF get a DEL
    /// right away, ahead of the command that noticed it.
    pub fn propagate_expired(&mut self, db: usize, key: &[u8]) {
        // Clients caching it hear of it as of any change (Redis's
        // deleteExpiredKeyAndPropagate signals the key).
        self.tracking_invalidate(key, 0);
        if self.propagation.active {
            let argv: [&[u8]; 2] = [b"DEL", key];
            self.emit(db, &argv);
            self.deliver_propagated();
        }
    }

    /// Send `argv` to the replicas (and the backlog) but not to the AOF:
    /// PUBLISH, so that clients subscribed on replicas get the messages, as
    /// in Redis. It leaves at once, without a SELECT (it does not depend on
    /// one), so inside EXEC it precedes the transaction's writes.
    pub fn propagate_to_replicas(&mut self, argv: &[&[u8]]) {
        if self.repl.is_replica() || !self.repl_consumes_stream() {
            return;
        }
        let mut bytes = Vec::new();
        encode_command(&mut bytes, argv);
        if let Some(log) = self.propagation_log.as_mut() {
            log.extend_from_slice(&bytes);
        }
        self.repl_feed(&bytes);
    }

    /// After a command's handler: queue its default propagation unless the
    /// handler replaced it. `changed` tells whether the dataset changed.
    pub(crate) fn propagate_after_call(&mut self, db: usize, argv: &[&[u8]], changed: bool) {
        let replaced = std::mem::take(&mut self.propagation.replaced);
        if !self.propagation.active || replaced || !changed {
            return;
        }
        self.propagation.pending.push(Op {
            db,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
        });
    }

    /// After a top-level command: emit what it queued as one unit.
    pub(crate) fn flush_propagation(&mut self) {
        if self.propagation.pending.is_empty() {
            return;
        }
        let ops = std::mem::take(&mut self.propagation.pending);
        let wrap = ops.len() > 1;
        if wrap {
            let db = ops[0].db;
            self.emit(db, &[b"MULTI"]);
        }
        for op in &ops {
            let argv: Vec<&[u8]> = op.argv.iter().map(|a| a.as_slice()).collect();
            self.emit(op.db, &argv);
        }
        if wrap {
            let db = ops[ops.len() - 1].db;
            self.emit(db, &[b"EXEC"]);
        }
        self.deliver_propagated();
    }

    /// Encode one operation, preceded by a SELECT when the database differs
    /// from the stream's current one.
    fn emit(&mut self, db: usize, argv: &[&[u8]]) {
        let p = &mut self.propagation;
        if p.stream_db != db as i64 {
            let mut n = Vec::with_capacity(20);
            crate::util::write_u64(&mut n, db as u64);
            encode_command(&mut p.out, &[b"SELECT", &n]);
            p.stream_db = db as i64;
        }
        encode_command(&mut p.out, argv);
    }

    /// Hand the encoded stream to its consumers (AOF buffer, replication
    /// backlog and replicas).
    fn deliver_propagated(&mut self) {
        if self.propagation.out.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.propagation.out);
        self.feed_propagated(&bytes);
        // Keep the allocation for the next command.
        let mut bytes = bytes;
        bytes.clear();
        self.propagation.out = bytes;
    }

    /// Recompute whether anything consumes the stream. Call it whenever a
    /// consumer appears or goes (a backlog is created, the AOF is switched,
    /// the test log is turned on or off).
    pub fn refresh_propagation_active(&mut self) {
        self.propagation.active = self.propagation_log.is_some()
            || self.repl_consumes_stream()
            || self.aof_consumes_stream();
    }

    /// Consumers of the propagated stream: the replication backlog and
    /// replicas (and the test log).
    fn feed_propagated(&mut self, bytes: &[u8]) {
        if let Some(log) = self.propagation_log.as_mut() {
            log.extend_from_slice(bytes);
        }
        self.feed_aof(bytes);
        // A replica forwards its master's stream instead (repl/replica.rs),
        // so its own writes (replica-read-only no) stay local, as in Redis.
        if !self.repl.is_replica() {
            self.repl_feed(bytes);
        }
    }
}
