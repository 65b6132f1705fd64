//! Diskless full sync, master side (`repl-diskless-sync yes`): the RDB goes
//! from a fork child to the replicas' sockets without touching the disk.
//!
//! ```text
//!  child ──$EOF:<mark>\r\n RDB <mark>──► pipe ──► parent (event loop) ──► replica 1
//!                                                                    └──► replica 2
//! ```
//!
//! Replicas that announced `REPLCONF capa eof` and need a full sync wait in
//! `WaitBgsaveStart` for `repl-diskless-sync-delay` seconds (counted from
//! the first one, ended early once `repl-diskless-sync-max-replicas` wait),
//! so that replicas starting together share one child. Then
//! [`Server::start_diskless_sync`] tells each of them `+FULLRESYNC <id>
//! <offset>` and forks ONE child that writes the snapshot, in the EOF-marked
//! form (the size is unknown in advance), into a pipe. The child does not
//! write to the sockets itself: the parent owns them (and their state) for
//! the whole connection.
//!
//! The parent relays the pipe from the event loop (Redis's
//! rdbPipeReadHandler / rdbPipeWriteHandler): when the pipe is readable it
//! reads one chunk and writes it to every replica; a replica whose socket
//! did not take the whole chunk gets WRITABLE interest, and the pipe is not
//! read again until every replica has the chunk. So the slowest replica
//! sets the pace, memory stays at one chunk, and the child blocks on the
//! full pipe meanwhile. A replica that goes away is dropped from the
//! transfer without disturbing the others; when none is left the child is
//! killed.
//!
//! End of the transfer: the child closes its end after the final mark and
//! waits, on a second pipe, until the parent has read everything (the
//! parent closes its end of that pipe at EOF), so the child's exit means
//! every replica has the whole RDB. When the cron reaps it, each replica
//! is put online but its buffered stream is held until its first
//! `REPLCONF ACK`: the replica finds the mark at the very end of what it
//! received instead of searching for it inside the stream that follows.
//!
//! Replicas arriving while such a child runs join it if it has produced
//! at most [`JOIN_WINDOW`] bytes so far (Redis makes them wait for the next
//! child): the parent keeps every byte read from the pipe until then, and
//! a joiner first gets that prefix, then follows the shared chunks. Its
//! replication stream since the fork is copied from a replica already in
//! the transfer, exactly as a replica attaching to a disk BGSAVE gets it.
//! Replicas started together (after a restart or a network split) thus
//! share one fork even with `repl-diskless-sync-delay 0`, where a few
//! milliseconds between their PSYNCs used to cost a second full sync after
//! the first. Later arrivals wait for the next child, as in Redis.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;

use log::{info, warn};
use mio::unix::pipe;

use super::primary::{replica_name, SyncState};
use crate::client::{Client, ClientKind};
use crate::persist::child;
use crate::persist::snapshot;
use crate::reactor::Target;
use crate::server::Server;
use crate::util;

/// Bytes read from the pipe per chunk (the child also writes this much at
/// a time).
const PIPE_CHUNK: usize = 64 * 1024;
/// What the RDB pipe may hold. Linux's default (64 KB) makes the child
/// block, and wait for the parent to be scheduled, after every chunk; with
/// room for sixteen, the child keeps producing while the parent serves
/// clients. 1 MB is what an unprivileged process may ask for
/// (`/proc/sys/fs/pipe-max-size`). Measured on 2 cores, 1M keys under a
/// SET load: one replica's diskless sync took about a fifth less time,
/// with the same master SET p99.
const PIPE_CAPACITY: libc::c_int = 1 << 20;
/// Most RDB bytes relayed per event-loop turn. The child refills the pipe
/// as fast as it is drained, so "until the pipe is empty" could hold every
/// client's reply for the whole transfer; this keeps a turn short.
const PIPE_PER_TURN: usize = 256 * 1024;
/// A replica may join a running transfer while the child has produced at
/// most this much: the parent keeps these bytes to replay them to it.
/// About the first tenth of a second of a transfer, enough to gather
/// replicas whose PSYNCs arrive together, and a bounded cost.
pub const JOIN_WINDOW: usize = 4 << 20;
/// Length of the random EOF mark (Redis's RDB_EOF_MARK_SIZE).
pub const EOF_MARK_LEN: usize = 40;

/// One replica fed by the running diskless child.
#[derive(Debug)]
struct RelayConn {
    slot: usize,
    /// Bytes of the current chunk already written to its socket.
    sent: usize,
    /// When a chunk was last only partly written to it (unix ms), for the
    /// full-sync timeout; 0 while it keeps up.
    partial_since_ms: i64,
    /// A replica that joined late: the bytes it still needs before it can
    /// follow the shared chunks (the prefix it missed, which ends with the
    /// current chunk). Empty for the others and once caught up; no chunk
    /// is read while it is not, since it counts in `writing`.
    catch_up: Vec<u8>,
    /// Bytes of `catch_up` already written.
    caught_up: usize,
}

impl RelayConn {
    fn new(slot: usize) -> RelayConn {
        RelayConn {
            slot,
            sent: 0,
            partial_since_ms: 0,
            catch_up: Vec::new(),
            caught_up: 0,
        }
    }

    /// Whether it has every byte read from the pipe so far.
    fn has_all(&self, chunk: &[u8]) -> bool {
        self.catch_up.is_empty() && self.sent >= chunk.len()
    }
}

/// The running diskless transfer (parent side).
#[derive(Debug)]
pub struct DisklessTransfer {
    /// Read end of the RDB pipe (non-blocking, registered as ChildPipe).
    pipe: pipe::Receiver,
    /// Our end of the "you may exit" pipe: closing it releases the child.
    exit_pipe: Option<pipe::Sender>,
    conns: Vec<RelayConn>,
    /// The chunk being relayed.
    chunk: Vec<u8>,
    /// Replicas that have not received the whole chunk yet; the pipe is
    /// not read while this is non-zero.
    writing: usize,
    /// The child closed its end: everything was read.
    eof: bool,
    /// The child was killed (no replica left, or a pipe error).
    killed: bool,
    /// RDB bytes read from the child so far (sync progress in INFO/log).
    pub relayed: u64,
    /// The last relay stopped at [`PIPE_PER_TURN`] with the pipe maybe not
    /// empty: the event loop calls it again next turn (an edge-triggered
    /// pipe would not say so).
    pub capped: bool,
    /// Every byte read from the pipe, while that is at most
    /// [`JOIN_WINDOW`]; None once more was read (nobody can join then).
    prefix: Option<Vec<u8>>,
    /// The replication ID and offset the snapshot was taken at (what a
    /// joining replica's +FULLRESYNC says).
    fork_replid: String,
    fork_offset: i64,
}

impl DisklessTransfer {
    /// Whether replica `slot` receives this transfer.
    pub fn serves(&self, slot: usize) -> bool {
        self.conn_pos(slot).is_some()
    }

    fn conn_pos(&self, slot: usize) -> Option<usize> {
        self.conns.iter().position(|c| c.slot == slot)
    }
}

/// Ask for [`PIPE_CAPACITY`] on the RDB pipe. A hint: elsewhere than on
/// Linux, or if refused, the pipe keeps its size and works as before.
fn widen_pipe(pipe: &pipe::Sender) {
    #[cfg(target_os = "linux")]
    // SAFETY: F_SETPIPE_SZ on a pipe descriptor we own; it changes only
    // that pipe's capacity, and a failure changes nothing.
    unsafe {
        libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, PIPE_CAPACITY);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pipe;
}

/// Write what remains of `bytes` from `*sent` on to a replica's socket.
/// Ok(true) when all of it is written, Ok(false) when the socket is full.
fn write_from(
    c: &mut Client,
    bytes: &[u8],
    sent: &mut usize,
    net_out: &mut u64,
) -> io::Result<bool> {
    while *sent < bytes.len() {
        match c.stream.write(&bytes[*sent..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                *sent += n;
                *net_out += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Write what one replica still lacks: its catch-up bytes, then the rest
/// of the shared `chunk`. Ok(true) when it has everything read so far.
fn write_chunk(
    c: &mut Client,
    conn: &mut RelayConn,
    chunk: &[u8],
    net_out: &mut u64,
) -> io::Result<bool> {
    if !conn.catch_up.is_empty() {
        if !write_from(c, &conn.catch_up, &mut conn.caught_up, net_out)? {
            return Ok(false);
        }
        // Freed, not kept: this was up to JOIN_WINDOW bytes.
        conn.catch_up = Vec::new();
        conn.caught_up = 0;
    }
    write_from(c, chunk, &mut conn.sent, net_out)
}

impl Server {
    /// Whether a full sync for the replicas now waiting goes to sockets:
    /// diskless sync is on and every one of them understands the EOF form
    /// (Redis's mincapa rule: one old replica makes it a disk sync for all).
    pub(crate) fn diskless_target(&self, cur: Option<&Client>) -> bool {
        if !self.config.repl_diskless_sync {
            return false;
        }
        let capa = |c: &Client| c.repl.as_ref().is_none_or(|r| r.capa_eof);
        self.repl.primary.replicas.iter().all(|&slot| {
            let c = match cur {
                Some(cc) if cc.slot == slot => cc,
                _ => match self.clients.get(slot) {
                    Some(Some(c)) => c,
                    _ => return true,
                },
            };
            c.repl.as_ref().and_then(|r| r.state) != Some(SyncState::WaitBgsaveStart) || capa(c)
        })
    }

    /// Whether the RDB child running now is a diskless transfer, which a
    /// new replica cannot join.
    pub(crate) fn diskless_child_running(&self) -> bool {
        self.persistence
            .child
            .as_ref()
            .is_some_and(|c| c.to_replicas)
            || self.repl.primary.diskless.is_some()
    }

    /// Redis's shouldStartChildForReplication: replicas wait in
    /// `WaitBgsaveStart` and, with diskless sync, the delay since the first
    /// of them has passed or enough of them wait.
    pub(crate) fn replication_child_due(&self, now_ms: i64) -> bool {
        let mut waiting = 0i64;
        let mut longest = 0i64;
        for &slot in &self.repl.primary.replicas {
            let Some(Some(c)) = self.clients.get(slot) else {
                continue;
            };
            let Some(r) = c.repl.as_ref() else {
                continue;
            };
            if r.state == Some(SyncState::WaitBgsaveStart) {
                waiting += 1;
                longest = longest.max(now_ms - r.wait_start_ms);
            }
        }
        if waiting == 0 {
            return false;
        }
        let max = self.config.repl_diskless_sync_max_replicas;
        !self.config.repl_diskless_sync
            || (max > 0 && waiting >= max)
            || longest >= self.config.repl_diskless_sync_delay * 1000
    }

    /// Set up every replica in `WaitBgsaveStart` for a full sync (the
    /// +FULLRESYNC line) and fork the child streaming the RDB to them.
    /// `cur` is the client running SYNC/PSYNC (out of the slab). On
    /// failure the replicas are dropped.
    pub(crate) fn start_diskless_sync(&mut self, mut cur: Option<&mut Client>) {
        // The AUX fields describe the stream as it is at fork time, before
        // the replicas' stream restarts with a SELECT.
        let aux = self.rdb_aux();
        let pipes = pipe::new().and_then(|(tx, rx)| {
            let (exit_tx, exit_rx) = pipe::new()?;
            // The child writes and waits with blocking calls.
            tx.set_nonblocking(false)?;
            widen_pipe(&tx);
            exit_rx.set_nonblocking(false)?;
            Ok((tx, rx, exit_tx, exit_rx))
        });
        let slots = self.repl.primary.replicas.clone();
        let (tx, rx, exit_tx, exit_rx) = match pipes {
            Ok(p) => p,
            Err(e) => {
                warn!("Can't create the pipes of a diskless sync: {e}");
                self.fail_waiting_replicas(&slots, cur);
                return;
            }
        };

        let replid = self.repl.replid.clone();
        let offset = self.repl.master_repl_offset;
        let mut conns = Vec::new();
        let mut dropped = Vec::new();
        for &slot in &slots {
            let c: &mut Client = match cur.as_deref_mut() {
                Some(cc) if cc.slot == slot => cc,
                _ => match self.clients.get_mut(slot) {
                    Some(Some(b)) => b,
                    _ => continue,
                },
            };
            if c.repl.as_ref().and_then(|r| r.state) != Some(SyncState::WaitBgsaveStart) {
                continue;
            }
            if super::primary::setup_full_resync(
                c,
                &replid,
                offset,
                &mut self.stats.net_output_bytes,
            ) {
                conns.push(RelayConn::new(slot));
            } else {
                dropped.push(slot);
            }
        }
        // The replicas' stream restarts after the snapshot: begin it with
        // a SELECT.
        self.propagation.stream_db = -1;
        for slot in dropped {
            self.close_replica(slot, cur.as_deref_mut());
        }

        let mark = util::random_hex(EOF_MARK_LEN);
        // The child must not keep the parent's ends open: its own copy of
        // the read end would hide our death from its writes, and its copy
        // of the exit pipe's write end would keep it waiting forever.
        let parent_fds = [rx.as_raw_fd(), exit_tx.as_raw_fd()];
        let forked = self.fork_rdb_child(true, aux, move |dbs, aux, opts| {
            for fd in parent_fds {
                // SAFETY: closing descriptors of this (child) process that
                // nothing in it uses; the parent's copies stay open.
                unsafe {
                    libc::close(fd);
                }
            }
            let mut out = io::BufWriter::with_capacity(PIPE_CHUNK, &tx);
            let written = (|| {
                write!(out, "$EOF:{mark}\r\n")?;
                let mut out = snapshot::write_rdb(out, dbs, aux, opts)?;
                out.write_all(mark.as_bytes())?;
                out.flush()
            })();
            if let Err(e) = &written {
                warn!("Write error sending DB to replicas: {e}");
            }
            drop(tx);
            // Wait for the parent to have read everything: it closes its
            // end (read returns 0), or dies (same).
            let mut byte = [0u8; 1];
            let mut exit_rx = exit_rx;
            let _ = exit_rx.read(&mut byte);
            written.is_ok()
        });
        if forked.is_err() {
            warn!("BGSAVE for replication failed");
            let slots: Vec<usize> = conns.iter().map(|c| c.slot).collect();
            for slot in slots {
                self.close_replica(slot, cur.as_deref_mut());
            }
            return;
        }
        let mut rx = rx;
        if let Err(e) = self.reactor.register(&mut rx, Target::ChildPipe, false) {
            // Without events the relay would never start: give up now.
            warn!("Unrecoverable error creating the diskless sync pipe event: {e}");
            if let Some(c) = &self.persistence.child {
                child::kill(c.pid);
            }
        }
        self.repl.primary.diskless = Some(DisklessTransfer {
            pipe: rx,
            exit_pipe: Some(exit_tx),
            conns,
            chunk: Vec::with_capacity(PIPE_CHUNK),
            writing: 0,
            eof: false,
            killed: false,
            relayed: 0,
            capped: false,
            // Reserved whole: growing by doubling would copy it and hold
            // the old and the new block at once; untouched capacity costs
            // no memory.
            prefix: Some(Vec::with_capacity(JOIN_WINDOW)),
            fork_replid: replid,
            fork_offset: offset,
        });
    }

    /// A replica needing a full sync while a diskless child runs: let it
    /// join the transfer if the child is still within [`JOIN_WINDOW`] (see
    /// the module header). False when it cannot, and it waits for the
    /// next child as in Redis.
    pub(crate) fn join_diskless_transfer(&mut self, c: &mut Client) -> bool {
        let Some(mut t) = self.repl.primary.diskless.take() else {
            return false;
        };
        let joined = self.try_join(&mut t, c);
        self.repl.primary.diskless = Some(t);
        joined
    }

    fn try_join(&mut self, t: &mut DisklessTransfer, c: &mut Client) -> bool {
        let eof_capable = c.repl.as_ref().is_some_and(|r| r.capa_eof && !r.pre_psync);
        let Some(prefix) = t.prefix.as_ref() else {
            return false;
        };
        if !eof_capable || t.eof || t.killed {
            return false;
        }
        // Its stream starts at the fork, like that of every replica of the
        // transfer, whose positions keep it in the shared buffer.
        let fork_stream_held = self
            .repl
            .backlog
            .as_ref()
            .is_some_and(|b| b.can_serve(t.fork_offset + 1));
        if !fork_stream_held {
            return false;
        }
        if !super::primary::setup_full_resync(
            c,
            &t.fork_replid,
            t.fork_offset,
            &mut self.stats.net_output_bytes,
        ) {
            c.close_asap = true;
            return true;
        }
        let mut conn = RelayConn::new(c.slot);
        // It gets the current chunk inside its catch-up bytes.
        conn.catch_up = prefix.clone();
        conn.sent = t.chunk.len();
        info!(
            "Replica {} joins the running diskless transfer: {} bytes of RDB to catch up",
            replica_name(c),
            conn.catch_up.len()
        );
        match write_chunk(c, &mut conn, &t.chunk, &mut self.stats.net_output_bytes) {
            Ok(true) => {}
            Ok(false) => {
                conn.partial_since_ms = util::now_ms();
                t.writing += 1;
                // `c` runs this command out of the slab, where
                // set_client_writable cannot reach it: register directly.
                if !c.write_registered {
                    c.write_registered = true;
                    let _ = self
                        .reactor
                        .set_writable(&mut c.stream, Target::Client(c.slot), true);
                }
            }
            Err(e) => {
                warn!("Diskless rdb transfer, write error sending DB to replica: {e}");
                c.close_asap = true;
                return true;
            }
        }
        t.conns.push(conn);
        true
    }

    /// A replication child could not be started: the waiting replicas are
    /// told and dropped (Redis's startBgsaveForReplication on error).
    fn fail_waiting_replicas(&mut self, slots: &[usize], mut cur: Option<&mut Client>) {
        for &slot in slots {
            let c: &mut Client = match cur.as_deref_mut() {
                Some(cc) if cc.slot == slot => cc,
                _ => match self.clients.get_mut(slot) {
                    Some(Some(b)) => b,
                    _ => continue,
                },
            };
            if c.repl.as_ref().and_then(|r| r.state) != Some(SyncState::WaitBgsaveStart) {
                continue;
            }
            c.repl = None;
            c.kind = ClientKind::Normal;
            c.add_error("ERR BGSAVE failed, replication can't continue");
            c.close_after_reply = true;
            self.repl.primary.replicas.retain(|&s| s != slot);
            if cur.as_ref().is_none_or(|cc| cc.slot != slot) {
                self.queue_write(slot);
            }
        }
    }

    /// The pipe is readable (or a stalled relay may go on): read chunks and
    /// write each to every replica, until the pipe is empty, a replica's
    /// socket is full, the child closed its end, or [`PIPE_PER_TURN`].
    pub(crate) fn diskless_pipe_readable(&mut self) {
        let Some(mut t) = self.repl.primary.diskless.take() else {
            return;
        };
        let now = util::now_ms();
        let mut this_turn = 0usize;
        t.capped = false;
        while t.writing == 0 && !t.eof && !t.killed {
            if this_turn >= PIPE_PER_TURN {
                t.capped = true;
                break;
            }
            t.chunk.resize(PIPE_CHUNK, 0);
            let n = match t.pipe.read(&mut t.chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    t.chunk.clear();
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    warn!("Diskless rdb transfer, read error sending DB to replicas: {e}");
                    for conn in std::mem::take(&mut t.conns) {
                        self.close_client_later(conn.slot);
                    }
                    self.kill_diskless_child(&mut t);
                    break;
                }
            };
            t.chunk.truncate(n);
            t.relayed += n as u64;
            this_turn += n;
            let keep = t
                .prefix
                .as_ref()
                .is_some_and(|p| p.len() + n <= JOIN_WINDOW);
            match t.prefix.as_mut() {
                Some(p) if keep => p.extend_from_slice(&t.chunk),
                _ => t.prefix = None,
            }
            if n == 0 {
                t.eof = true;
                self.reactor.deregister(&mut t.pipe);
                warn!(
                    "Diskless rdb transfer, done reading from pipe, {} replicas still up.",
                    t.conns.len()
                );
                // Every replica has every byte: the child may exit.
                t.exit_pipe = None;
                break;
            }
            let mut i = 0;
            while i < t.conns.len() {
                let conn = &mut t.conns[i];
                // The pipe is read only once every replica has every byte
                // (`writing` is 0), so a joiner has caught up by now.
                debug_assert!(conn.catch_up.is_empty());
                conn.sent = 0;
                let Some(Some(c)) = self.clients.get_mut(conn.slot) else {
                    t.conns.remove(i);
                    continue;
                };
                match write_chunk(c, conn, &t.chunk, &mut self.stats.net_output_bytes) {
                    Ok(true) => {}
                    Ok(false) => {
                        conn.partial_since_ms = now;
                        t.writing += 1;
                        let slot = conn.slot;
                        self.set_client_writable(slot, true);
                    }
                    Err(e) => {
                        warn!("Diskless rdb transfer, write error sending DB to replica: {e}");
                        let slot = conn.slot;
                        t.conns.remove(i);
                        self.close_client_later(slot);
                        continue;
                    }
                }
                i += 1;
            }
            if t.conns.is_empty() {
                warn!("Diskless rdb transfer, last replica dropped, killing fork child.");
                self.kill_diskless_child(&mut t);
            }
        }
        self.repl.primary.diskless = Some(t);
    }

    /// A replica of the transfer can take more: write the rest of the
    /// chunk; once every replica has it, read the pipe again.
    pub(crate) fn diskless_replica_writable(&mut self, slot: usize) {
        let Some(mut t) = self.repl.primary.diskless.take() else {
            return;
        };
        let Some(i) = t.conn_pos(slot) else {
            self.repl.primary.diskless = Some(t);
            return;
        };
        let conn = &mut t.conns[i];
        let had_all = conn.has_all(&t.chunk);
        let res = match self.clients.get_mut(slot) {
            Some(Some(c)) => write_chunk(c, conn, &t.chunk, &mut self.stats.net_output_bytes),
            _ => Err(io::ErrorKind::NotConnected.into()),
        };
        let mut resume = false;
        match res {
            Ok(true) => {
                self.set_client_writable(slot, false);
                if !had_all {
                    conn.partial_since_ms = 0;
                    t.writing -= 1;
                    resume = t.writing == 0;
                }
            }
            Ok(false) => {}
            Err(e) => {
                warn!("Diskless rdb transfer, write error sending DB to replica: {e}");
                t.conns.remove(i);
                if !had_all {
                    t.writing -= 1;
                    resume = t.writing == 0;
                }
                self.close_client_later(slot);
            }
        }
        self.repl.primary.diskless = Some(t);
        if resume {
            self.diskless_pipe_readable();
        }
    }

    /// A replica is being freed: drop it from the transfer. The others go
    /// on; with none left the child is killed (Redis does the same).
    pub(crate) fn diskless_replica_gone(&mut self, slot: usize) {
        let Some(mut t) = self.repl.primary.diskless.take() else {
            return;
        };
        let mut resume = false;
        if let Some(i) = t.conn_pos(slot) {
            let conn = t.conns.remove(i);
            if !conn.has_all(&t.chunk) {
                t.writing -= 1;
                resume = t.writing == 0;
            }
            if t.conns.is_empty() && !t.eof && !t.killed {
                warn!("Diskless rdb transfer, last replica dropped, killing fork child.");
                self.kill_diskless_child(&mut t);
                resume = false;
            }
        }
        self.repl.primary.diskless = Some(t);
        if resume {
            self.diskless_pipe_readable();
        }
    }

    /// Kill the transfer's child; the cron reaps it and fails the replicas.
    fn kill_diskless_child(&mut self, t: &mut DisklessTransfer) {
        t.killed = true;
        if let Some(c) = &self.persistence.child {
            child::kill(c.pid);
        }
    }

    /// Replicas of the transfer that have made no progress for
    /// `repl-timeout` seconds (Redis: "Disconnecting timedout replica (full
    /// sync)"): one stuck replica would stall the others.
    pub(crate) fn diskless_timed_out(&self, now_ms: i64) -> Vec<usize> {
        let timeout_ms = self.config.repl_timeout.max(1) * 1000;
        let Some(t) = self.repl.primary.diskless.as_ref() else {
            return Vec::new();
        };
        t.conns
            .iter()
            .filter(|c| c.partial_since_ms != 0 && now_ms - c.partial_since_ms > timeout_ms)
            .map(|c| c.slot)
            .collect()
    }

    /// The diskless child ended (reaped, or killed by FLUSHALL/SHUTDOWN).
    /// On success every replica of the transfer received the whole RDB: it
    /// goes online, with its buffered stream held until its first ACK.
    pub(crate) fn diskless_done(&mut self, mut t: DisklessTransfer, success: bool) {
        if !t.eof {
            self.reactor.deregister(&mut t.pipe);
        }
        let success = success && t.eof && !t.killed;
        let now = util::now_ms();
        let slots = self.repl.primary.replicas.clone();
        for slot in slots {
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            if c.repl.as_ref().and_then(|r| r.state) != Some(SyncState::WaitBgsaveEnd) {
                continue;
            }
            if !success || t.conn_pos(slot).is_none() {
                warn!("SYNC failed. BGSAVE child returned an error");
                self.close_client_later(slot);
                continue;
            }
            // ("from slave": Redis 7.0.15's exact words, which users grep.)
            info!(
                "Streamed RDB transfer with replica {} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming",
                replica_name(c)
            );
            if let Some(r) = c.repl.as_mut() {
                r.state = Some(SyncState::Online);
                r.ack_time_ms = now;
                r.stream_on_ack = true;
            }
            info!("Synchronization with replica {} succeeded", replica_name(c));
        }
    }
}
