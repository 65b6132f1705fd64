//! Master side of replication: replicas attached to us, full and partial
//! resynchronisations, and feeding them the replication stream.
//!
//! A connection becomes a replica with SYNC or PSYNC (after optional
//! REPLCONF options: listening port, announced IP, capabilities). Its
//! per-connection state lives in `Client::repl` ([`ReplicaConn`]); the
//! server keeps the slots of all replicas, in attach order, in
//! [`PrimaryState::replicas`].
//!
//! ```text
//!  PSYNC ──(replid/offset servable from the backlog)──► +CONTINUE, backlog
//!    │                                                  tail ─► Online
//!    └─► WaitBgsaveStart ──(BGSAVE forked: +FULLRESYNC id off)──►
//!        WaitBgsaveEnd  ──(child done: open the RDB)──►
//!        SendBulk       ──($len, file chunks when writable)──► Online
//! ```
//!
//! The stream: every byte of replication stream goes through
//! [`Server::repl_feed`], which appends it once to the replication buffer
//! (`backlog.rs`, advancing `master_repl_offset`). A replica's output is a
//! position in that buffer (`ReplicaConn::stream_next`), set when its
//! stream starts: at the fork of its RDB, or at the offset a partial
//! resync continues from. A replica waiting for its RDB holds the stream
//! produced since the fork in the buffer, unsent until the RDB has been
//! sent: the replica then receives the snapshot followed by exactly the
//! commands that came after it. `+FULLRESYNC <id> <offset>` names the
//! offset at fork time, which is also the `repl-offset` AUX field of the
//! RDB. Replicas generate no replies (a replica that does is dropped, as
//! in Redis 7.0), so nothing else is interleaved with the stream.
//!
//! Several replicas share one BGSAVE (Redis's rule): a replica arriving
//! while a child started for replication runs starts its stream at the
//! position of a replica already waiting for that child, with the same
//! initial offset. A
//! replica arriving during a BGSAVE that no replica waits for (a user's
//! BGSAVE) waits for it to end, then a new BGSAVE is started for it.
//!
//! The RDB is streamed from the file on disk from the event loop: a chunk is
//! read (`pread`) only when the socket can take it, so neither memory nor
//! the loop is held by a large dataset. With `repl-diskless-sync yes`,
//! replicas that understand the EOF form get the RDB straight from a fork
//! child instead, through a pipe relayed to their sockets (`diskless.rs`).
//!
//! Full syncs are counted by reason ([`FullSyncReason`]) for INFO.

use std::fs::File;
use std::io::{self, IoSlice, Write};
use std::os::unix::fs::FileExt;

use log::{info, warn};

use crate::client::{Client, ClientKind};
use crate::cmd::CmdResult;
use crate::persist::rdb::ReplAux;
use crate::repl::backlog::Backlog;
use crate::server::Server;
use crate::util;

/// Largest file chunk read per write attempt while sending an RDB.
const BULK_CHUNK: usize = 64 * 1024;
/// Most RDB bytes sent to one replica per turn before serving others: a
/// turn that copies megabytes to several replicas delays every client's
/// reply by as much (Redis sends 16 KB per writable event); 256 KB keeps
/// a turn well under a millisecond and still moves a GB/s over loopback.
const BULK_PER_TURN: usize = 256 * 1024;
/// Longest `REPLCONF ip-address` accepted (Redis's NET_HOST_STR_LEN).
const NET_HOST_STR_LEN: usize = 256;

/// Where a replica is in its synchronisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// Needs a BGSAVE that has not started yet; gets no stream.
    WaitBgsaveStart,
    /// Told +FULLRESYNC; accumulates the stream until the RDB is ready.
    WaitBgsaveEnd,
    /// Receiving the RDB file.
    SendBulk,
    /// Receiving the stream.
    Online,
}

impl SyncState {
    /// The `state=` of INFO's slaveN lines.
    fn info_name(self) -> &'static str {
        match self {
            SyncState::WaitBgsaveStart | SyncState::WaitBgsaveEnd => "wait_bgsave",
            SyncState::SendBulk => "send_bulk",
            SyncState::Online => "online",
        }
    }
}

/// Why a replica got a full sync instead of a partial one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullSyncReason {
    /// PSYNC ? -1: the replica has no history to continue.
    ReplicaAskedFull,
    /// The old SYNC command (no partial resync possible).
    SyncCommand,
    /// The replication ID is neither our current nor our previous one.
    ReplidMismatch,
    /// The ID is known but the offset is outside what the backlog (or the
    /// previous ID's history) can serve.
    OffsetOutOfRange,
    /// No backlog exists yet.
    NoBacklog,
    /// The replica was disconnected for exceeding its output buffer limit
    /// and came back too late for the backlog.
    OutputBufferLimit,
}

impl FullSyncReason {
    pub const ALL: [FullSyncReason; 6] = [
        FullSyncReason::ReplicaAskedFull,
        FullSyncReason::SyncCommand,
        FullSyncReason::ReplidMismatch,
        FullSyncReason::OffsetOutOfRange,
        FullSyncReason::NoBacklog,
        FullSyncReason::OutputBufferLimit,
    ];

    /// Index into `Stats::sync_full_reasons`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Short name for INFO (`full_sync_reasons`, `last_full_sync_reason`).
    pub fn name(self) -> &'static str {
        match self {
            FullSyncReason::ReplicaAskedFull => "no_cached_master",
            FullSyncReason::SyncCommand => "replica_asked",
            FullSyncReason::ReplidMismatch => "replid_mismatch",
            FullSyncReason::OffsetOutOfRange => "offset_outside_backlog",
            FullSyncReason::NoBacklog => "backlog_not_created",
            FullSyncReason::OutputBufferLimit => "output_buffer_limit",
        }
    }

    /// The explanation written in the log line of every full sync.
    pub fn explain(self) -> &'static str {
        match self {
            FullSyncReason::ReplicaAskedFull => {
                "the replica has no cached master (PSYNC ? -1): it never synced, or lost its history"
            }
            FullSyncReason::SyncCommand => "the replica asked for a full sync (SYNC)",
            FullSyncReason::ReplidMismatch => {
                "the replica's replication ID is neither our current nor our previous one"
            }
            FullSyncReason::OffsetOutOfRange => {
                "the replica's offset is outside what the backlog holds (raise repl-backlog-size?)"
            }
            FullSyncReason::NoBacklog => "no backlog existed yet to continue from",
            FullSyncReason::OutputBufferLimit => {
                "the replica was dropped for its output buffer limit and the backlog no longer covers it"
            }
        }
    }
}

/// An RDB file being sent to a replica.
#[derive(Debug)]
pub struct BulkTransfer {
    file: File,
    /// The file's size; while `growing`, what the child has written so far.
    pub size: u64,
    /// File bytes sent so far.
    pub off: u64,
    /// `$<size>\r\n`, or `$EOF:<mark>\r\n`, sent first.
    preamble: Vec<u8>,
    preamble_sent: usize,
    /// The BGSAVE child is still writing the file (`rdb_tail.rs`).
    pub growing: bool,
    /// EOF form: the mark, sent after the last byte of the file.
    mark: Option<Vec<u8>>,
    mark_sent: usize,
}

impl BulkTransfer {
    /// A finished RDB file of `size` bytes, sent as `$<size>`.
    pub fn sized(file: File, size: u64) -> BulkTransfer {
        BulkTransfer {
            file,
            size,
            off: 0,
            preamble: format!("${size}\r\n").into_bytes(),
            preamble_sent: 0,
            growing: false,
            mark: None,
            mark_sent: 0,
        }
    }

    /// A file the BGSAVE child is still writing, sent in the EOF form.
    pub fn growing(file: File, mark: String) -> BulkTransfer {
        BulkTransfer {
            file,
            size: 0,
            off: 0,
            preamble: format!("$EOF:{mark}\r\n").into_bytes(),
            preamble_sent: 0,
            growing: true,
            mark: Some(mark.into_bytes()),
            mark_sent: 0,
        }
    }

    /// The child is done: the file has its final size.
    pub fn finish_growing(&mut self) -> io::Result<()> {
        self.size = self.file.metadata()?.len();
        self.growing = false;
        Ok(())
    }

    /// While growing: learn how much more the child has written. False if
    /// nothing.
    fn grew(&mut self) -> bool {
        match self.file.metadata() {
            Ok(m) if m.len() > self.size => {
                self.size = m.len();
                true
            }
            _ => false,
        }
    }
}

/// Replication state of one connection: what REPLCONF announced, and once
/// SYNC/PSYNC made it a replica, where it is in its synchronisation.
#[derive(Debug, Default)]
pub struct ReplicaConn {
    /// REPLCONF listening-port (0: unknown).
    pub listening_port: i64,
    /// REPLCONF ip-address (else the peer address is used).
    pub ip_address: Option<String>,
    /// REPLCONF capa eof / psync2.
    pub capa_eof: bool,
    pub capa_psync2: bool,
    /// None until SYNC/PSYNC.
    pub state: Option<SyncState>,
    /// Highest offset acknowledged with REPLCONF ACK, and when (unix ms).
    pub ack_off: i64,
    pub ack_time_ms: i64,
    /// Offset the RDB it waits for was taken at (+FULLRESYNC's).
    pub psync_initial_offset: i64,
    /// Offset of the next stream byte to send it, from the shared
    /// replication buffer (`backlog.rs`): set when its stream starts (the
    /// fork of its RDB, or a partial resync), None while it waits for a
    /// BGSAVE to start. The buffer holds every byte from here on.
    pub stream_next: Option<i64>,
    /// Attached with SYNC: no +FULLRESYNC line, no ACKs expected.
    pub pre_psync: bool,
    /// The RDB being sent (SendBulk).
    pub bulk: Option<BulkTransfer>,
    /// Why this replica's last full sync was needed.
    pub full_sync_reason: Option<FullSyncReason>,
    /// When the sync progress of this replica was last logged (unix ms).
    pub progress_logged_ms: i64,
    /// When it started waiting for a BGSAVE (unix ms): the diskless sync
    /// delay counts from the first waiting replica.
    pub wait_start_ms: i64,
    /// Online after a diskless transfer, but its buffered stream is held
    /// until its first REPLCONF ACK (Redis's repl_start_cmd_stream_on_ack).
    pub stream_on_ack: bool,
}

/// Master-side state.
#[derive(Debug, Default)]
pub struct PrimaryState {
    /// Slots of the replica clients, in attach order (slaveN in INFO).
    pub replicas: Vec<usize>,
    /// Why the last full sync happened (INFO `last_full_sync_reason`).
    pub last_full_sync_reason: Option<FullSyncReason>,
    /// Replicas (ip:port) dropped for their output buffer limit, and when:
    /// if they come back needing a full sync, that is the reason.
    pub obuf_dropped: std::collections::HashMap<String, i64>,
    /// Unix seconds since the last replica left (backlog TTL); 0: not set.
    pub no_replicas_since: i64,
    /// When the once-a-second replication cron last ran (unix ms).
    last_cron_ms: i64,
    /// Runs of the once-a-second cron (PING period).
    cron_loops: u64,
    /// Buffer reused for RDB file chunks.
    chunk: Vec<u8>,
    /// The diskless transfer in progress, if any.
    pub diskless: Option<super::diskless::DisklessTransfer>,
    /// Transfers following a disk BGSAVE's file as it is written.
    pub tail: super::rdb_tail::TailState,
}

/// `ip:port` of a replica as Redis's logs and INFO name it.
pub fn replica_name(c: &Client) -> String {
    let (ip, port) = replica_ip_port(c);
    if port == 0 {
        return format!("{ip}:<unknown-replica-port>");
    }
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

fn replica_ip_port(c: &Client) -> (String, i64) {
    let r = c.repl.as_deref();
    let ip = r
        .and_then(|r| r.ip_address.clone())
        .unwrap_or_else(|| c.addr.ip().to_canonical().to_string());
    (ip, r.map_or(0, |r| r.listening_port))
}

/// `ip:port` naming a replica across reconnections.
fn replica_key(c: &Client) -> String {
    let (ip, port) = replica_ip_port(c);
    format!("{ip}:{port}")
}

fn sync_state(c: &Client) -> Option<SyncState> {
    c.repl.as_ref().and_then(|r| r.state)
}

/// Write `bytes` straight to the socket (protocol lines Redis writes
/// outside the output buffer: +FULLRESYNC, keepalive newlines). False when
/// the socket did not take them all, which ends the replica.
fn write_direct(c: &mut Client, bytes: &[u8]) -> bool {
    matches!(c.stream.write(bytes), Ok(n) if n == bytes.len())
}

/// Write replica `c`'s unsent stream from the shared buffer `b`, as much
/// as its socket takes: (bytes written, bytes still unsent). An error when
/// the socket failed, or when its position is no longer held (which the
/// trimming rules exclude; the replica is better dropped than fed a gap).
pub(crate) fn write_stream(c: &mut Client, b: &Backlog) -> Result<(usize, usize), String> {
    let Some(mut next) = c.repl.as_ref().and_then(|r| r.stream_next) else {
        return Ok((0, 0));
    };
    if !b.can_serve(next) {
        warn!(
            "Replica {} dropped: its stream position {next} is no longer held (buffer from {})",
            replica_name(c),
            b.first_offset()
        );
        return Err("stream position not held".into());
    }
    let mut written = 0;
    let mut slices = [IoSlice::new(&[]); 64];
    let outcome = loop {
        let n = b.slices_from(next, &mut slices);
        if n == 0 {
            break Ok((written, 0));
        }
        match c.stream.write_vectored(&slices[..n]) {
            Ok(0) => break Err("connection closed".into()),
            Ok(k) => {
                next += k as i64;
                written += k;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                break Ok((written, (b.end_offset() + 1 - next) as usize));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e.to_string()),
        }
    };
    if let Some(r) = c.repl.as_mut() {
        r.stream_next = Some(next);
    }
    outcome
}

/// Redis's replicationSetupSlaveForFullResync: remember the offset of the
/// RDB, start accumulating the stream (WaitBgsaveEnd), and tell a PSYNC
/// replica `+FULLRESYNC <id> <offset>`. False when that line could not be
/// written. The caller resets the stream's SELECT state.
pub(crate) fn setup_full_resync(
    c: &mut Client,
    replid: &str,
    offset: i64,
    net_out: &mut u64,
) -> bool {
    let pre_psync = match c.repl.as_mut() {
        Some(r) => {
            r.psync_initial_offset = offset;
            r.stream_next = Some(offset + 1);
            r.state = Some(SyncState::WaitBgsaveEnd);
            r.pre_psync
        }
        None => return false,
    };
    if pre_psync {
        return true;
    }
    let line = format!("+FULLRESYNC {replid} {offset}\r\n");
    *net_out += line.len() as u64;
    write_direct(c, line.as_bytes())
}

impl Server {
    // ------------------------------------------------------------------
    // The stream
    // ------------------------------------------------------------------

    /// Append replication stream bytes (propagated commands on a master;
    /// on a replica, the bytes applied from its master) to the replication
    /// buffer and advance `master_repl_offset`. The replicas whose stream
    /// has started share those bytes (see `backlog.rs`): online ones are
    /// scheduled for a write, and any of them whose unsent part passes
    /// `client-output-buffer-limit replica` is dropped. Nothing happens
    /// without a backlog: a master counts offsets only once a replica has
    /// attached.
    pub fn repl_feed(&mut self, bytes: &[u8]) {
        self.sync_backlog_size();
        let Some(b) = self.repl.backlog.as_mut() else {
            return;
        };
        b.append(bytes);
        self.repl.master_repl_offset += bytes.len() as i64;
        let now = util::now_ms();
        let mut over_limit = Vec::new();
        for i in 0..self.repl.primary.replicas.len() {
            let slot = self.repl.primary.replicas[i];
            // A replica executing a command right now is out of the slab;
            // replicas only send REPLCONF, which produces no stream.
            let Some(Some(mut c)) = self.clients.get_mut(slot).map(|s| s.take()) else {
                continue;
            };
            let streaming = c.repl.as_ref().and_then(|r| r.stream_next).is_some();
            if streaming && !c.close_asap {
                if sync_state(&c) == Some(SyncState::Online) && !c.pending_write {
                    c.pending_write = true;
                    self.pending_writes.push(slot);
                }
                // A replica that cannot keep up must not make our memory
                // grow without bound: `client-output-buffer-limit replica`.
                if self.output_limit_reached(&mut c, now) {
                    over_limit.push(slot);
                    self.repl.primary.obuf_dropped.insert(replica_key(&c), now);
                }
            }
            self.clients[slot] = Some(c);
        }
        for slot in over_limit {
            self.close_client_later(slot);
        }
        self.trim_repl_buffer();
    }

    /// Unsent stream bytes of replica `c` (0 for other clients): what it
    /// holds of the shared buffer, its share of the output buffer limit.
    pub fn replica_stream_pending(&self, c: &Client) -> usize {
        let next = c.repl.as_ref().and_then(|r| r.stream_next);
        match (next, self.repl.backlog.as_ref()) {
            (Some(next), Some(b)) => (b.end_offset() + 1 - next).max(0) as usize,
            _ => 0,
        }
    }

    /// Queue a write of replica `c`'s stream. `c` runs a command, out of
    /// the slab, and put_client only sees its (empty) reply buffer.
    fn queue_stream_write(&mut self, c: &mut Client) {
        if !c.pending_write {
            c.pending_write = true;
            self.pending_writes.push(c.slot);
        }
    }

    /// Free the buffer's oldest blocks that neither the backlog nor any
    /// replica needs any more.
    pub(crate) fn trim_repl_buffer(&mut self) {
        if !self.repl.backlog.as_ref().is_some_and(|b| b.over_size()) {
            return;
        }
        let mut needed_from = i64::MAX;
        for &slot in &self.repl.primary.replicas {
            // A replica out of the slab runs a command right now: its
            // position is unknown, so trim another time.
            let Some(Some(c)) = self.clients.get(slot) else {
                return;
            };
            if let Some(next) = c.repl.as_ref().and_then(|r| r.stream_next) {
                needed_from = needed_from.min(next);
            }
        }
        if let Some(b) = self.repl.backlog.as_mut() {
            b.trim(needed_from);
        }
    }

    /// (ip, listening port, acknowledged offset) of each replica that has
    /// completed its sync, for ROLE.
    pub fn replica_list(&self) -> Vec<(String, u16, i64)> {
        self.repl
            .primary
            .replicas
            .iter()
            .filter_map(|&slot| {
                let c = self.clients.get(slot)?.as_ref()?;
                let rc = c.repl.as_ref()?;
                if rc.state != Some(SyncState::Online) {
                    return None;
                }
                let (ip, port) = replica_ip_port(c);
                Some((ip, port.clamp(0, u16::MAX as i64) as u16, rc.ack_off))
            })
            .collect()
    }

    /// Whether the propagated stream has a replication consumer.
    pub fn repl_consumes_stream(&self) -> bool {
        self.repl.backlog.is_some()
    }

    /// Create the backlog (if none) at the current offset, and start
    /// encoding the propagated stream.
    pub fn create_backlog(&mut self) {
        if self.repl.backlog.is_none() {
            let size = self.config.repl_backlog_size.max(1) as usize;
            self.repl.backlog = Some(super::backlog::Backlog::new(
                size,
                self.repl.master_repl_offset,
            ));
            self.refresh_propagation_active();
        }
    }

    /// Drop the backlog and stop encoding the stream when nothing else
    /// consumes it.
    pub fn free_backlog(&mut self) {
        self.repl.backlog = None;
        self.refresh_propagation_active();
    }

    /// Apply a CONFIG SET of `repl-backlog-size` to the live backlog.
    fn sync_backlog_size(&mut self) {
        let want = self.config.repl_backlog_size.max(1) as usize;
        if let Some(b) = self.repl.backlog.as_mut() {
            if b.size() != want {
                b.resize(want);
                self.trim_repl_buffer();
            }
        }
    }

    /// The replication AUX fields of an RDB written now (repl-stream-db,
    /// repl-id, repl-offset), as Redis's rdbPopulateSaveInfo: on a master
    /// once a backlog exists; on a replica with a master (connected or
    /// cached), our master's ID and offset and the db its stream is in.
    /// A replica needs them in its own dump to PSYNC after a restart, and
    /// its sub-replicas need the stream db from the RDB of their full sync
    /// (the stream that follows is our master's, with no SELECT of ours).
    pub fn repl_save_info(&self) -> Option<ReplAux> {
        if self.repl.is_replica() {
            let db = self.replica_stream_db()?;
            return Some(ReplAux {
                stream_db: db as i64,
                replid: self.repl.replid.clone(),
                offset: self.repl.master_repl_offset,
            });
        }
        // A master only once a backlog exists.
        self.repl.backlog.as_ref()?;
        let db = self.propagation.stream_db;
        Some(ReplAux {
            // -1: no write since the last full sync; the next write starts
            // with a SELECT, so 0 is safe (as Redis does).
            stream_db: if db < 0 { 0 } else { db },
            replid: self.repl.replid.clone(),
            offset: self.repl.master_repl_offset,
        })
    }

    // ------------------------------------------------------------------
    // REPLCONF, SYNC, PSYNC
    // ------------------------------------------------------------------

    /// REPLCONF <option> <value> ...: replica announcements and ACKs.
    /// ACK and GETACK never reply.
    pub(crate) fn replconf_command(&mut self, c: &mut Client, argv: &[&[u8]]) -> CmdResult {
        if argv.len().is_multiple_of(2) {
            return Err(crate::resp::errors::SYNTAX.into());
        }
        for pair in argv[1..].chunks(2) {
            let (opt, val) = (pair[0], pair[1]);
            if crate::cmd::is(opt, "listening-port") {
                let port = crate::cmd::arg_i64(val)?;
                c.repl.get_or_insert_with(Default::default).listening_port = port;
            } else if crate::cmd::is(opt, "ip-address") {
                if val.len() >= NET_HOST_STR_LEN {
                    return Err(format!(
                        "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
                        val.len()
                    )
                    .into());
                }
                c.repl.get_or_insert_with(Default::default).ip_address =
                    Some(String::from_utf8_lossy(val).into_owned());
            } else if crate::cmd::is(opt, "capa") {
                let r = c.repl.get_or_insert_with(Default::default);
                if crate::cmd::is(val, "eof") {
                    r.capa_eof = true;
                } else if crate::cmd::is(val, "psync2") {
                    r.capa_psync2 = true;
                }
                // Capabilities we do not know are ignored, as Redis does.
            } else if crate::cmd::is(opt, "ack") {
                if c.kind != ClientKind::Replica {
                    return Ok(());
                }
                let Some(off) = util::parse_i64(val) else {
                    return Ok(());
                };
                let now = util::now_ms();
                let mut released = false;
                if let Some(r) = c.repl.as_mut() {
                    r.ack_off = r.ack_off.max(off);
                    r.ack_time_ms = now;
                    if r.stream_on_ack && r.state == Some(SyncState::Online) {
                        // The replica loaded the streamed RDB: its held
                        // stream may go now.
                        r.stream_on_ack = false;
                        released = true;
                    }
                }
                if released {
                    self.queue_stream_write(c);
                }
                return Ok(());
            } else if crate::cmd::is(opt, "getack") {
                // Answered by a replica to its master; a master ignores it.
                return Ok(());
            } else if crate::cmd::is(opt, "rdb-only") {
                crate::cmd::arg_i64(val)?;
            } else {
                return Err(format!(
                    "ERR Unrecognized REPLCONF option: {}",
                    String::from_utf8_lossy(opt)
                )
                .into());
            }
        }
        c.add_ok();
        Ok(())
    }

    /// SYNC / PSYNC <replid> <offset>: try a partial resync, else set the
    /// replica up for a full one (sharing a running BGSAVE when possible).
    pub(crate) fn sync_command(&mut self, c: &mut Client, argv: &[&[u8]]) -> CmdResult {
        if c.kind == ClientKind::Replica {
            // Already a replica: ignored, as Redis does.
            return Ok(());
        }
        // A replica without its master would hand out a history that may
        // already be stale, under an ID that is not its own.
        if self.master_link_down() {
            return Err("NOMASTERLINK Can't SYNC while not connected with my master".into());
        }
        if c.has_pending_reply() {
            return Err("ERR SYNC and PSYNC are invalid with pending output".into());
        }
        c.repl.get_or_insert_with(Default::default);
        info!("Replica {} asks for synchronization", replica_name(c));
        let reason = if crate::cmd::is(argv[0], "psync") && argv.len() >= 3 {
            match self.try_partial_resync(c, argv[1], argv[2]) {
                Ok(()) => {
                    self.stats.sync_partial_ok += 1;
                    return Ok(());
                }
                Err(reason) => {
                    if !argv[1].starts_with(b"?") {
                        self.stats.sync_partial_err += 1;
                    }
                    reason
                }
            }
        } else {
            if let Some(r) = c.repl.as_mut() {
                r.pre_psync = true;
            }
            FullSyncReason::SyncCommand
        };
        // A replica we dropped for its output buffer limit that now needs
        // a full sync: that drop is the real cause.
        let key = replica_key(c);
        let reason = match self.repl.primary.obuf_dropped.remove(&key) {
            Some(_) if reason != FullSyncReason::SyncCommand => FullSyncReason::OutputBufferLimit,
            _ => reason,
        };
        self.stats.sync_full += 1;
        self.stats.sync_full_reasons[reason.index()] += 1;
        self.repl.primary.last_full_sync_reason = Some(reason);
        info!(
            "Full sync of replica {} needed: {} ({})",
            replica_name(c),
            reason.explain(),
            reason.name()
        );
        if let Some(r) = c.repl.as_mut() {
            r.full_sync_reason = Some(reason);
        }

        let now = util::now_ms();
        if let Some(r) = c.repl.as_mut() {
            r.state = Some(SyncState::WaitBgsaveStart);
            r.ack_time_ms = now;
            r.wait_start_ms = now;
        }
        c.kind = ClientKind::Replica;
        self.repl.primary.replicas.push(c.slot);

        if self.repl.primary.replicas.len() == 1 && self.repl.backlog.is_none() {
            // No past history: a fresh ID, and no previous one.
            self.repl.change_replid();
            self.repl.clear_replid2();
            self.create_backlog();
            info!(
                "Replication backlog created, my new replication IDs are '{}' and '{}'",
                self.repl.replid, self.repl.replid2
            );
        }

        let eof = c.repl.as_ref().is_some_and(|r| r.capa_eof);
        if self.diskless_child_running() {
            // Its RDB is already flowing: join it while it is young enough,
            // else wait for the next child.
            if !self.join_diskless_transfer(c) {
                info!("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
            }
        } else if self.persistence.child.is_some() {
            self.attach_to_running_bgsave(c);
        } else if self.config.repl_diskless_sync && eof && self.config.repl_diskless_sync_delay > 0
        {
            // primary_cron forks once the delay has passed, so replicas
            // arriving meanwhile share the child.
            info!("Delay next BGSAVE for diskless SYNC");
        } else if self.has_active_child() {
            info!("No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed");
        } else {
            self.start_bgsave_for_replication(Some(c));
        }
        Ok(())
    }

    /// Redis's masterTryPartialResynchronization: serve the replica from
    /// the backlog if its ID and offset allow it, else say why not.
    fn try_partial_resync(
        &mut self,
        c: &mut Client,
        replid: &[u8],
        offset: &[u8],
    ) -> Result<(), FullSyncReason> {
        let name = replica_name(c);
        let asked = String::from_utf8_lossy(replid);
        let Some(psync_offset) = util::parse_i64(offset) else {
            return Err(FullSyncReason::OffsetOutOfRange);
        };
        let r = &self.repl;
        let same_id = asked == r.replid;
        let prev_id = asked == r.replid2;
        if !same_id && (!prev_id || psync_offset > r.second_repl_offset) {
            if replid.starts_with(b"?") {
                info!("Full resync requested by replica {name}");
                return Err(FullSyncReason::ReplicaAskedFull);
            }
            if !prev_id {
                info!(
                    "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '{asked}', my replication IDs are '{}' and '{}')",
                    r.replid, r.replid2
                );
                return Err(FullSyncReason::ReplidMismatch);
            }
            info!(
                "Partial resynchronization not accepted: Requested offset for second ID was {psync_offset}, but I can reply up to {}",
                r.second_repl_offset
            );
            return Err(FullSyncReason::OffsetOutOfRange);
        }
        let servable = r.backlog.as_ref().map(|b| b.can_serve(psync_offset));
        if servable != Some(true) {
            info!(
                "Unable to partial resync with replica {name} for lack of backlog (Replica request was: {psync_offset})."
            );
            if psync_offset > r.master_repl_offset {
                warn!("Warning: replica {name} tried to PSYNC with an offset that is greater than the master replication offset.");
            }
            return Err(if servable.is_none() {
                FullSyncReason::NoBacklog
            } else {
                FullSyncReason::OffsetOutOfRange
            });
        }

        // Accepted: the replica is online from here on, its stream starting
        // at the offset it asked for. Like +FULLRESYNC, +CONTINUE goes
        // straight to the socket: a replica's output is only its stream.
        let now = util::now_ms();
        let psync2 = {
            let rc = c.repl.get_or_insert_with(Default::default);
            rc.state = Some(SyncState::Online);
            rc.ack_time_ms = now;
            rc.stream_next = Some(psync_offset);
            rc.capa_psync2
        };
        c.kind = ClientKind::Replica;
        self.repl.primary.replicas.push(c.slot);
        let line = if psync2 {
            format!("+CONTINUE {}\r\n", self.repl.replid)
        } else {
            "+CONTINUE\r\n".to_string()
        };
        self.stats.net_output_bytes += line.len() as u64;
        if !write_direct(c, line.as_bytes()) {
            c.close_asap = true;
        }
        let sent = self.replica_stream_pending(c);
        if sent > 0 {
            self.queue_stream_write(c);
        }
        info!(
            "Partial resynchronization request from {name} accepted. Sending {sent} bytes of backlog starting from offset {psync_offset}."
        );
        Ok(())
    }

    /// A BGSAVE is running when `c` asks for a full sync: share it if it was
    /// started for replication (some replica waits for its end), else wait
    /// for the next one.
    fn attach_to_running_bgsave(&mut self, c: &mut Client) {
        let (eof, psync2) = c
            .repl
            .as_ref()
            .map_or((false, false), |r| (r.capa_eof, r.capa_psync2));
        let donor = self.repl.primary.replicas.iter().copied().find(|&slot| {
            let Some(Some(other)) = self.clients.get(slot) else {
                return false;
            };
            let Some(r) = other.repl.as_ref() else {
                return false;
            };
            // A replica already receiving the file while the child writes
            // it (`rdb_tail.rs`) still waits for this BGSAVE: its buffer
            // holds the whole stream since the fork.
            let waits = r.state == Some(SyncState::WaitBgsaveEnd)
                || r.bulk.as_ref().is_some_and(|b| b.growing);
            // The new replica must have every capability the RDB was made for.
            waits && (!r.capa_eof || eof) && (!r.capa_psync2 || psync2)
        });
        let Some(donor) = donor else {
            info!(
                "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC"
            );
            return;
        };
        let Some(Some(other)) = self.clients.get(donor) else {
            return;
        };
        // The donor's stream starts at that fork, and so does this
        // replica's: the shared buffer holds it all for the donor.
        let offset = other.repl.as_ref().map_or(0, |r| r.psync_initial_offset);
        self.propagation.stream_db = -1;
        if !setup_full_resync(
            c,
            &self.repl.replid,
            offset,
            &mut self.stats.net_output_bytes,
        ) {
            c.close_asap = true;
        }
        if self.repl.primary.diskless.is_none() {
            // A disk BGSAVE: its file may be followed from the start.
            self.repl.primary.tail.active = true;
        }
        info!("Waiting for end of BGSAVE for SYNC");
    }

    /// Fork a BGSAVE for the replicas waiting for one (`cur` is the client
    /// running SYNC/PSYNC, out of the slab), and tell them +FULLRESYNC. On
    /// failure they are told and dropped.
    fn start_bgsave_for_replication(&mut self, mut cur: Option<&mut Client>) {
        if self.diskless_target(cur.as_deref()) {
            info!("Starting BGSAVE for SYNC with target: replicas sockets");
            self.start_diskless_sync(cur);
            return;
        }
        info!("Starting BGSAVE for SYNC with target: disk");
        let ok = self.rdb_bgsave().is_ok();
        if !ok {
            warn!("BGSAVE for replication failed");
        }
        let offset = self.repl.master_repl_offset;
        let replid = self.repl.replid.clone();
        if ok {
            // The replicas' stream restarts after the snapshot: begin it
            // with a SELECT.
            self.propagation.stream_db = -1;
            // Those taking the EOF form get the file while it is written.
            self.repl.primary.tail.active = true;
        }
        let slots = self.repl.primary.replicas.clone();
        let mut dropped = Vec::new();
        for slot in slots {
            let c: &mut Client = match cur.as_deref_mut() {
                Some(cc) if cc.slot == slot => cc,
                _ => match self.clients.get_mut(slot) {
                    Some(Some(b)) => b,
                    _ => continue,
                },
            };
            if sync_state(c) != Some(SyncState::WaitBgsaveStart) {
                continue;
            }
            if ok {
                if !setup_full_resync(c, &replid, offset, &mut self.stats.net_output_bytes) {
                    dropped.push(slot);
                }
            } else {
                c.repl = None;
                c.kind = ClientKind::Normal;
                c.add_error("ERR BGSAVE failed, replication can't continue");
                c.close_after_reply = true;
                dropped.push(slot);
            }
        }
        for slot in dropped {
            if ok {
                self.close_replica(slot, cur.as_deref_mut());
            } else {
                self.repl.primary.replicas.retain(|&s| s != slot);
                self.queue_write(slot);
            }
        }
    }

    /// Close a replica whether it is in the slab or is `cur`.
    pub(super) fn close_replica(&mut self, slot: usize, cur: Option<&mut Client>) {
        match cur {
            Some(c) if c.slot == slot => c.close_asap = true,
            _ => self.close_client_later(slot),
        }
    }

    /// The BGSAVE child ended (or was killed): replicas waiting for it start
    /// receiving the file, or are dropped if it failed. Replicas still
    /// waiting for a BGSAVE to start get one from `primary_cron`.
    pub(crate) fn bgsave_done_for_replicas(&mut self, success: bool) {
        if let Some(t) = self.repl.primary.diskless.take() {
            self.diskless_done(t, success);
            return;
        }
        self.rdb_tail_child_done(success);
        let path = self.rdb_dir().join(&self.config.dbfilename);
        let slots = self.repl.primary.replicas.clone();
        for slot in slots {
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            if sync_state(c) != Some(SyncState::WaitBgsaveEnd) {
                continue;
            }
            if !success {
                warn!("SYNC failed. BGSAVE child returned an error");
                self.close_client_later(slot);
                continue;
            }
            let opened = File::open(&path).and_then(|f| {
                let size = f.metadata()?.len();
                Ok((f, size))
            });
            let (file, size) = match opened {
                Ok(x) => x,
                Err(e) => {
                    warn!("SYNC failed. Can't open/stat DB after BGSAVE: {e}");
                    self.close_client_later(slot);
                    continue;
                }
            };
            if let Some(r) = c.repl.as_mut() {
                r.state = Some(SyncState::SendBulk);
                r.bulk = Some(BulkTransfer::sized(file, size));
            }
            self.schedule_write(slot);
        }
    }

    // ------------------------------------------------------------------
    // Writing to replicas
    // ------------------------------------------------------------------

    /// Called first by `write_to_client`: whether the normal write of the
    /// output buffer may go on. Replicas waiting for their RDB hold their
    /// buffer; a replica in SendBulk is sent RDB chunks first (and goes on
    /// with its buffer once the whole file is sent).
    pub(crate) fn replica_write_gate(&mut self, slot: usize) -> bool {
        let Some(Some(c)) = self.clients.get_mut(slot) else {
            return true;
        };
        if c.kind != ClientKind::Replica {
            return true;
        }
        let held = c.repl.as_ref().is_some_and(|r| r.stream_on_ack);
        match sync_state(c) {
            None => true,
            Some(SyncState::Online) if !held => true,
            Some(SyncState::SendBulk) => self.send_bulk_to_replica(slot),
            Some(state) => {
                c.pending_write = false;
                if state == SyncState::WaitBgsaveEnd {
                    // Its socket may take more of the diskless RDB.
                    self.diskless_replica_writable(slot);
                }
                false
            }
        }
    }

    /// Send as much of the RDB as the socket takes (at most BULK_PER_TURN).
    /// True when the whole file has been sent and the replica is online.
    fn send_bulk_to_replica(&mut self, slot: usize) -> bool {
        enum Outcome {
            Done,
            Blocked,
            Capped,
            /// Sent all the growing file holds so far.
            Starved,
            Failed(String),
        }
        let Some(Some(c)) = self.clients.get_mut(slot) else {
            return false;
        };
        c.pending_write = false;
        let chunk = &mut self.repl.primary.chunk;
        let mut written = 0usize;
        let outcome = 'send: {
            let Some(b) = c.repl.as_mut().and_then(|r| r.bulk.as_mut()) else {
                break 'send Outcome::Done;
            };
            loop {
                if written >= BULK_PER_TURN {
                    break 'send Outcome::Capped;
                }
                let res = if b.preamble_sent < b.preamble.len() {
                    c.stream
                        .write(&b.preamble[b.preamble_sent..])
                        .map(|n| b.preamble_sent += n)
                        .map(|_| ())
                } else if b.off < b.size {
                    let want = ((b.size - b.off) as usize).min(BULK_CHUNK);
                    chunk.resize(want, 0);
                    let n = match b.file.read_at(&mut chunk[..want], b.off) {
                        Ok(0) => break 'send Outcome::Failed("file truncated".into()),
                        Ok(n) => n,
                        Err(e) => break 'send Outcome::Failed(e.to_string()),
                    };
                    c.stream.write(&chunk[..n]).map(|w| {
                        b.off += w as u64;
                        written += w;
                    })
                } else if b.growing {
                    if b.grew() {
                        continue;
                    }
                    break 'send Outcome::Starved;
                } else if let Some(mark) = b.mark.as_deref().filter(|m| b.mark_sent < m.len()) {
                    c.stream
                        .write(&mark[b.mark_sent..])
                        .map(|n| b.mark_sent += n)
                } else {
                    break 'send Outcome::Done;
                };
                match res {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        break 'send Outcome::Blocked
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break 'send Outcome::Failed(e.to_string()),
                }
            }
        };
        self.stats.net_output_bytes += written as u64;
        match outcome {
            Outcome::Done => {
                let now = util::now_ms();
                let mut marked = false;
                if let Some(r) = c.repl.as_mut() {
                    marked = r.bulk.take().is_some_and(|b| b.mark.is_some());
                    r.state = Some(SyncState::Online);
                    r.ack_time_ms = now;
                    // After an EOF-marked RDB the replica must find the
                    // mark at the very end of what it received: the stream
                    // waits for its first ACK, as after a diskless sync.
                    r.stream_on_ack = marked;
                }
                if marked {
                    info!(
                        "Streamed RDB transfer with replica {} succeeded (disk). Waiting for REPLCONF ACK from slave to enable streaming",
                        replica_name(c)
                    );
                }
                info!("Synchronization with replica {} succeeded", replica_name(c));
                !marked
            }
            Outcome::Starved => {
                self.repl.primary.tail.waiters.push(slot);
                false
            }
            Outcome::Blocked => {
                self.set_client_writable(slot, true);
                false
            }
            Outcome::Capped => {
                c.pending_write = true;
                self.pending_writes.push(slot);
                false
            }
            Outcome::Failed(e) => {
                warn!("Write error sending DB to replica: {e}");
                self.close_client_later(slot);
                false
            }
        }
    }

    /// A replica connection is being freed.
    pub(crate) fn replica_freed(&mut self, c: &Client) {
        if c.kind != ClientKind::Replica {
            return;
        }
        info!("Connection with replica {} lost.", replica_name(c));
        self.repl.primary.replicas.retain(|&s| s != c.slot);
        self.diskless_replica_gone(c.slot);
        if self.repl.primary.replicas.is_empty() {
            self.repl.primary.no_replicas_since = util::now_ms() / 1000;
        }
        // What only it still had to send can go now.
        self.trim_repl_buffer();
    }

    // ------------------------------------------------------------------
    // Cron
    // ------------------------------------------------------------------

    /// Master-side periodic work: start a BGSAVE for replicas waiting for
    /// one (every tick), and once a second PING the replicas, drop the
    /// ones that stopped acknowledging, keep waiting ones alive with a
    /// newline, and free an unused backlog after `repl-backlog-ttl`.
    pub(crate) fn primary_cron(&mut self, now_ms: i64) {
        self.log_sync_progress(now_ms);
        self.sync_backlog_size();
        if !self.has_active_child()
            && self.repl.primary.diskless.is_none()
            && self.replication_child_due(now_ms)
        {
            self.start_bgsave_for_replication(None);
        }
        if now_ms - self.repl.primary.last_cron_ms < 1000 {
            return;
        }
        self.repl.primary.last_cron_ms = now_ms;
        self.repl.primary.cron_loops += 1;
        let now_s = now_ms / 1000;
        if self.repl.primary.no_replicas_since == 0 {
            self.repl.primary.no_replicas_since = now_s;
        }

        // `ping` (lowercase, as Redis) through the stream, so replicas can detect a dead master and
        // offsets move as in Redis (no SELECT: it is not a keyspace command).
        let period = self.config.repl_ping_replica_period.max(1) as u64;
        if !self.repl.is_replica()
            && !self.failover_holds_stream()
            && !self.repl.primary.replicas.is_empty()
            && self.repl.primary.cron_loops.is_multiple_of(period)
        {
            self.repl_feed(b"*1\r\n$4\r\nping\r\n");
        }

        let timeout_ms = self.config.repl_timeout.max(1) * 1000;
        let mut to_close = self.diskless_timed_out(now_ms);
        for &slot in &to_close {
            if let Some(Some(c)) = self.clients.get(slot) {
                warn!(
                    "Disconnecting timedout replica (full sync): {}",
                    replica_name(c)
                );
            }
        }
        // A keepalive newline inside a streamed RDB would corrupt it.
        let streaming = self.repl.primary.diskless.is_some();
        for &slot in &self.repl.primary.replicas {
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            let Some(r) = c.repl.as_ref() else {
                continue;
            };
            let waiting = r.state == Some(SyncState::WaitBgsaveStart)
                || (r.state == Some(SyncState::WaitBgsaveEnd) && !streaming);
            if r.state == Some(SyncState::Online)
                && !r.pre_psync
                && now_ms - r.ack_time_ms > timeout_ms
            {
                warn!(
                    "Disconnecting timedout replica (streaming sync): {}",
                    replica_name(c)
                );
                to_close.push(slot);
            } else if waiting && !write_direct(c, b"\n") {
                // The newline keeps the replica's read timeout from firing
                // while the snapshot is made; replicas skip newlines before
                // $len.
                to_close.push(slot);
            }
        }
        for slot in to_close {
            self.close_client_later(slot);
        }

        let ttl = self.config.repl_backlog_ttl;
        if ttl > 0
            && self.repl.backlog.is_some()
            && self.repl.primary.replicas.is_empty()
            && !self.repl.is_replica()
            && now_s - self.repl.primary.no_replicas_since > ttl
        {
            // Our history is gone: nobody may continue it, so a new ID.
            self.repl.change_replid();
            self.repl.clear_replid2();
            self.free_backlog();
            info!("Replication backlog freed after {ttl} seconds without connected replicas.");
        }
    }

    // ------------------------------------------------------------------
    // INFO
    // ------------------------------------------------------------------

    /// INFO replication lines of the master side (connected_slaves, slaveN,
    /// backlog fields), appended to `out`.
    pub fn info_primary(&self, out: &mut String) {
        use std::fmt::Write;
        let r = &self.repl;
        let now_s = util::now_ms() / 1000;
        let _ = write!(out, "connected_slaves:{}\r\n", r.primary.replicas.len());
        if self.config.min_replicas_to_write > 0 && self.config.min_replicas_max_lag > 0 {
            let _ = write!(
                out,
                "min_slaves_good_slaves:{}\r\n",
                self.good_replicas(util::now_ms())
            );
        }
        let mut n = 0;
        for &slot in &r.primary.replicas {
            let Some(Some(c)) = self.clients.get(slot) else {
                continue;
            };
            let Some(rc) = c.repl.as_ref() else {
                continue;
            };
            let Some(state) = rc.state else {
                continue;
            };
            let (ip, port) = replica_ip_port(c);
            let _ = write!(
                out,
                "slave{n}:ip={ip},port={port},state={},offset={},lag={}\r\n",
                state.info_name(),
                rc.ack_off,
                now_s - rc.ack_time_ms / 1000
            );
            n += 1;
        }
        let (active, first, histlen) = match &r.backlog {
            Some(b) => (1, b.first_offset(), b.histlen()),
            None => (0, 0, 0),
        };
        let _ = write!(
            out,
            "master_failover_state:{}\r\nmaster_replid:{}\r\nmaster_replid2:{}\r\nmaster_repl_offset:{}\r\nsecond_repl_offset:{}\r\nrepl_backlog_active:{active}\r\nrepl_backlog_size:{}\r\nrepl_backlog_first_byte_offset:{first}\r\nrepl_backlog_histlen:{histlen}\r\n",
            r.failover.phase.name(), r.replid, r.replid2, r.master_repl_offset, r.second_repl_offset, self.config.repl_backlog_size
        );
        self.info_sync_insight(out);
    }

    /// ferrodis's own replication fields, after Redis's (so parsers of the
    /// Redis fields are unaffected): why full syncs happened, and where each
    /// replica's full sync stands.
    ///
    /// ```text
    /// full_sync_reasons:no_cached_master=1,replica_asked=0,...
    /// last_full_sync_reason:offset_outside_backlog
    /// replica0_sync:phase=sending_rdb,rdb_bytes_sent=1048576,rdb_bytes_total=4194304,percent=25.00,last_full_sync_reason=no_cached_master
    /// ```
    fn info_sync_insight(&self, out: &mut String) {
        use std::fmt::Write;
        let counts: Vec<String> = FullSyncReason::ALL
            .iter()
            .map(|r| format!("{}={}", r.name(), self.stats.sync_full_reasons[r.index()]))
            .collect();
        let _ = write!(out, "full_sync_reasons:{}\r\n", counts.join(","));
        let last = self
            .repl
            .primary
            .last_full_sync_reason
            .map_or("none", |r| r.name());
        let _ = write!(out, "last_full_sync_reason:{last}\r\n");
        for (n, &slot) in self.repl.primary.replicas.iter().enumerate() {
            let Some((phase, sent, total)) = self.sync_progress(slot) else {
                continue;
            };
            let reason = self
                .clients
                .get(slot)
                .and_then(|c| c.as_ref())
                .and_then(|c| c.repl.as_ref())
                .and_then(|r| r.full_sync_reason)
                .map_or("none", |r| r.name());
            let perc = if total > 0 {
                sent as f64 * 100.0 / total as f64
            } else {
                0.0
            };
            let _ = write!(
                out,
                "replica{n}_sync:phase={phase},rdb_bytes_sent={sent},rdb_bytes_total={total},percent={perc:.2},last_full_sync_reason={reason}\r\n"
            );
        }
    }

    /// Where replica `slot`'s synchronisation stands: phase name, RDB bytes
    /// sent and total (0 when unknown, e.g. a diskless stream's total).
    pub fn sync_progress(&self, slot: usize) -> Option<(&'static str, u64, u64)> {
        let c = self.clients.get(slot)?.as_ref()?;
        let r = c.repl.as_ref()?;
        Some(match r.state? {
            SyncState::WaitBgsaveStart => ("waiting_for_bgsave", 0, 0),
            SyncState::WaitBgsaveEnd => match &self.repl.primary.diskless {
                Some(t) if t.serves(slot) => ("streaming_rdb", t.relayed, 0),
                _ => ("bgsave_in_progress", 0, 0),
            },
            SyncState::SendBulk => match &r.bulk {
                // Sent while the child writes it: the total is not known yet.
                Some(b) if b.growing => ("sending_rdb", b.off, 0),
                Some(b) => ("sending_rdb", b.off, b.size),
                None => ("sending_rdb", 0, 0),
            },
            SyncState::Online => ("online", 0, 0),
        })
    }

    /// Log the progress of long full syncs, every 5 seconds per replica, so
    /// an operator watching the log can tell how far along a sync is.
    pub(crate) fn log_sync_progress(&mut self, now_ms: i64) {
        let slots = self.repl.primary.replicas.clone();
        for slot in slots {
            let Some((phase, sent, total)) = self.sync_progress(slot) else {
                continue;
            };
            if phase == "online" || phase == "waiting_for_bgsave" {
                continue;
            }
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            let name = replica_name(c);
            let Some(r) = c.repl.as_mut() else {
                continue;
            };
            if r.progress_logged_ms == 0 {
                r.progress_logged_ms = now_ms;
                continue;
            }
            if now_ms - r.progress_logged_ms < 5000 {
                continue;
            }
            r.progress_logged_ms = now_ms;
            if total > 0 {
                info!(
                    "Full sync of replica {name}: {phase}, {sent} of {total} bytes ({:.1}%)",
                    sent as f64 * 100.0 / total as f64
                );
            } else {
                info!("Full sync of replica {name}: {phase}, {sent} bytes so far");
            }
        }
    }
}
