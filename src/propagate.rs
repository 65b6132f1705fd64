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
    /// For the replicas only, not the AOF (PUBLISH): never preceded by a
    /// SELECT, so both consumers see the same SELECTs.
    pub replicas_only: bool,
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
            self.propagation.pending.push(Op {
                db,
                argv,
                replicas_only: false,
            });
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
    /// in Redis. It joins the running command's unit, so inside EXEC it
    /// keeps its place among the transaction's writes, within MULTI/EXEC.
    pub fn propagate_to_replicas(&mut self, argv: &[&[u8]]) {
        if self.repl.is_replica() || !self.repl_consumes_stream() {
            return;
        }
        self.propagation.pending.push(Op {
            // Unused: a replica-only operation never selects.
            db: 0,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
            replicas_only: true,
        });
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
            replicas_only: false,
        });
    }

    /// After a top-level command: emit what it queued as one unit.
    pub(crate) fn flush_propagation(&mut self) {
        if self.propagation.pending.is_empty() {
            return;
        }
        let mut ops = std::mem::take(&mut self.propagation.pending);
        if !ops.iter().any(|o| o.replicas_only) {
            self.emit_unit(&ops, ops.len() > 1);
            self.deliver_propagated();
        } else {
            // Two encodings of the unit: with the replica-only operations
            // for the replicas, without them for the AOF. Those never
            // SELECT, so both leave the stream in the same database. The
            // unit is wrapped (or not) by its full size, as Redis does.
            let wrap = ops.len() > 1;
            let db_before = self.propagation.stream_db;
            self.emit_unit(&ops, wrap);
            let to_replicas = std::mem::take(&mut self.propagation.out);
            self.propagation.stream_db = db_before;
            ops.retain(|o| !o.replicas_only);
            if !ops.is_empty() {
                self.emit_unit(&ops, wrap);
            }
            let to_aof = std::mem::take(&mut self.propagation.out);
            self.feed_split(&to_aof, &to_replicas);
        }
        // Keep the allocation for the next command.
        ops.clear();
        self.propagation.pending = ops;
    }

    /// Encode one command's operations, wrapped in MULTI/EXEC if `wrap`;
    /// MULTI and EXEC take the database of the first and last operation
    /// that selects one.
    fn emit_unit(&mut self, ops: &[Op], wrap: bool) {
        let selecting = || ops.iter().filter(|o| !o.replicas_only).map(|o| o.db);
        if wrap {
            match selecting().next() {
                Some(db) => self.emit(db, &[b"MULTI"]),
                None => encode_command(&mut self.propagation.out, &[b"MULTI"]),
            }
        }
        for op in ops {
            let argv: Vec<&[u8]> = op.argv.iter().map(|a| a.as_slice()).collect();
            if op.replicas_only {
                encode_command(&mut self.propagation.out, &argv);
            } else {
                self.emit(op.db, &argv);
            }
        }
        if wrap {
            match selecting().next_back() {
                Some(db) => self.emit(db, &[b"EXEC"]),
                None => encode_command(&mut self.propagation.out, &[b"EXEC"]),
            }
        }
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

    /// Consumers of the propagated stream: the AOF, the replication
    /// backlog and replicas (and the test log).
    fn feed_propagated(&mut self, bytes: &[u8]) {
        self.feed_split(bytes, bytes);
    }

    /// The same, for a unit whose replicas' form differs from the AOF's
    /// (see [`Server::flush_propagation`]); the test log gets the replicas'.
    fn feed_split(&mut self, to_aof: &[u8], to_replicas: &[u8]) {
        if let Some(log) = self.propagation_log.as_mut() {
            log.extend_from_slice(to_replicas);
        }
        self.feed_aof(to_aof);
        // A replica forwards its master's stream instead (repl/replica.rs),
        // so its own writes (replica-read-only no) stay local, as in Redis.
        if !self.repl.is_replica() {
            self.repl_feed(to_replicas);
        }
    }
}
