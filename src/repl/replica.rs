//! Replica side of replication: REPLICAOF, the link to our master, the RDB
//! transfer of a full sync, and the master's command stream.
//!
//! The link is a non-blocking state machine driven by the reactor (token
//! `Target::MasterLink`) and by `replica_cron`, never by blocking calls:
//!
//! ```text
//!  Connect ──cron──> Connecting ──writable──> ReceivePong ──+PONG──> ReceiveHandshake
//!     ^                                                              (AUTH, REPLCONF
//!     |  error / timeout / link lost                                  listening-port,
//!     +---------------------------------------------------------      ip-address, capa:
//!                                                                     sent pipelined)
//!  ReceivePsync <────────────────────────────────────────────────────────────┘
//!     ├─ +FULLRESYNC id off ─> Transfer ($len or $EOF:<mark>, to temp-<pid>.<n>.rdb)
//!     │                          └─ loaded ─┐
//!     └─ +CONTINUE [id] ────────────────────┴─> Connected (the socket becomes a
//!                                               Client of kind Master in the slab)
//! ```
//!
//! With `repl-diskless-load swapdb` (or `on-empty-db` while we hold no
//! key) the Transfer state does not write the temp file: the RDB is parsed
//! from the socket into fresh databases (`diskless_load.rs`), which replace
//! ours only once complete, so a failed transfer keeps the old dataset.
//!
//! Once connected, the master's commands run through the normal dispatch
//! (`process_master_command`) with replies suppressed, exempt from the
//! READONLY/MASTERDOWN/auth checks. `master_repl_offset` advances by the
//! exact bytes of each command applied (a whole MULTI…EXEC at once, as Redis
//! counts it), and those bytes go to `repl_feed` so our backlog and our own
//! replicas see the master's stream unchanged (chained replication keeps one
//! replication ID and one offset space). Nothing the master sends is
//! propagated again through propagate.rs.
//!
//! Cached master: as Redis 7.0, the "cached master" is just our own
//! `replid`/`master_repl_offset` — after a lost link, or when a master is
//! turned into a replica — and PSYNC asks to continue from `offset + 1`.
//! It also remembers the db the master's stream is in (`master_db`), since
//! nothing repeats the SELECT after a +CONTINUE. A replica's own RDB carries
//! all three (repl-id, repl-offset, repl-stream-db), so a replica restarted
//! with `replicaof` starts with a cached master, as Redis 7.0 does.
//!
//! Host names: only IP literals and `localhost` are accepted, so the loop
//! never waits on a DNS lookup.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use log::{info, warn};
use mio::net::TcpStream;

use crate::client::{Client, ClientKind};
use crate::persist::writeback::{self, WritebackFile};
use crate::reactor::{Ready, Target};
use crate::server::Server;
use crate::util;

/// Idle CPU the host must have had for `repl-overlap-load auto` to parse
/// the RDB while it arrives: about what the parse itself takes.
const OVERLAP_MIN_IDLE_CORES: f64 = 1.0;

/// Bytes read from the link per read call during the handshake/transfer.
const LINK_READ_CHUNK: usize = 64 * 1024;
/// Length of the diskless transfer's EOF mark (`$EOF:<40 bytes>`).
const EOF_MARK_LEN: usize = 40;

/// Where the link to the master is (Redis's `repl_state`, condensed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// No link: the cron connects at its next run.
    Connect,
    /// Non-blocking TCP connect in progress.
    Connecting,
    /// PING sent, waiting for its reply.
    ReceivePong,
    /// AUTH / REPLCONF sent in one go, waiting for their replies in order.
    ReceiveHandshake,
    /// PSYNC sent, waiting for +FULLRESYNC / +CONTINUE.
    ReceivePsync,
    /// Receiving the RDB payload of a full sync.
    Transfer,
    /// The link is a Master client streaming commands.
    Connected,
}

/// A reply the handshake waits for, in the order the requests were sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Auth,
    Port,
    Ip,
    Capa,
}

/// The RDB being received during a full sync.
#[derive(Debug)]
struct Transfer {
    file: WritebackFile,
    path: String,
    /// Payload size (`$<len>`), or None in the `$EOF:<mark>` form.
    size: Option<u64>,
    mark: Vec<u8>,
    /// Bytes of payload received so far (INFO master_sync_read_bytes).
    read: u64,
    /// EOF form: the last bytes received, held back until we know they are
    /// not the mark (the mark itself never reaches the file).
    tail: Vec<u8>,
}

/// The socket to our master before it becomes a client.
#[derive(Debug)]
struct Link {
    stream: TcpStream,
    addr: SocketAddr,
    /// Received and not yet consumed.
    inbuf: Vec<u8>,
    /// Requests not yet written (the handshake is a few hundred bytes, so
    /// it almost always leaves at once).
    out: Vec<u8>,
    /// Replies the handshake still waits for.
    expect: VecDeque<Expect>,
    /// Set between the header line and the end of the payload.
    transfer: Option<Transfer>,
    /// The master's replication ID and offset from +FULLRESYNC.
    full_replid: String,
    full_offset: i64,
}

/// Replica-side state: who our master is and the link to it.
#[derive(Debug)]
pub struct ReplicaState {
    pub master_host: String,
    pub master_port: u16,
    pub state: LinkState,
    link: Option<Link>,
    /// Slot of the Master client once connected.
    pub master_slot: Option<usize>,
    /// We hold a cached master (our replid/offset can be offered to PSYNC).
    pub cached: bool,
    /// The database the master's stream has selected at our offset: the
    /// master client's db while connected, kept here across a lost link,
    /// and taken from the `repl-stream-db` AUX field of an RDB (a full
    /// sync's, or our own at start-up). A master does not repeat its
    /// SELECT after a partial resync, and a sub-replica's full sync from
    /// us does not start with one either (our stream is our master's,
    /// byte for byte), so the next command must run in this db.
    pub master_db: usize,
    /// Last byte received on the link (handshake/transfer), unix ms.
    pub transfer_last_io_ms: i64,
    /// When the link went down (unix s; 0: never up).
    pub down_since: i64,
    /// When `replica_cron` last did its once-a-second work.
    last_cron_ms: i64,
    /// When the transfer's progress was last logged (unix ms).
    progress_logged_ms: i64,
    /// Counter for temp file names.
    temp_seq: u64,
    /// Set while a full sync's RDB is parsed from the socket
    /// (`repl-diskless-load`): the link is out of this struct meanwhile,
    /// and INFO takes the transfer numbers from here.
    socket_load: Option<SocketLoad>,
}

/// Progress of an RDB loaded straight from the master's socket.
#[derive(Debug, Clone, Copy)]
struct SocketLoad {
    /// `$<len>`, or None in the `$EOF:` form.
    size: Option<u64>,
    read: u64,
}

impl ReplicaState {
    pub fn new(master_host: String, master_port: u16) -> ReplicaState {
        ReplicaState {
            master_host,
            master_port,
            state: LinkState::Connect,
            link: None,
            master_slot: None,
            cached: false,
            master_db: 0,
            transfer_last_io_ms: 0,
            down_since: 0,
            last_cron_ms: 0,
            progress_logged_ms: 0,
            temp_seq: 0,
            socket_load: None,
        }
    }

    /// Whether the handshake is running (ROLE says "handshake").
    pub fn in_handshake(&self) -> bool {
        matches!(
            self.state,
            LinkState::ReceivePong | LinkState::ReceiveHandshake | LinkState::ReceivePsync
        )
    }
}

/// What one step of the link's state machine decided.
enum Step {
    /// Wait for more bytes.
    Wait,
    /// Give up this attempt (already logged); the cron retries.
    Fail,
    /// The link becomes the Master client; the bytes left in `inbuf` are
    /// the beginning of the command stream.
    Promote,
}

/// Resolve a master address without touching DNS.
fn resolve(host: &str, port: u16) -> Option<SocketAddr> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    host.parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, port))
}

/// Encode a request for the master.
fn request(out: &mut Vec<u8>, argv: &[&[u8]]) {
    crate::propagate::encode_command(out, argv);
}

/// Take one `\n`-terminated line out of `buf` (without `\r\n`).
fn take_line(buf: &mut Vec<u8>) -> Option<String> {
    let pos = memchr::memchr(b'\n', buf)?;
    let mut line: Vec<u8> = buf.drain(..=pos).collect();
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Some(String::from_utf8_lossy(&line).into_owned())
}

impl Server {
    // ----------------------------------------------------------------------
    // REPLICAOF
    // ----------------------------------------------------------------------

    /// REPLICAOF host port: forget the current master (or stop being a
    /// master), then connect to the new one. A master keeps its replid and
    /// offset as a cached master so the new master may accept a PSYNC; our
    /// own replicas are disconnected and will resync with us.
    pub fn replica_set_master(&mut self, host: String, port: u16) {
        let was_master = !self.repl.is_replica();
        self.replica_drop_link();
        self.disconnect_replicas();
        let mut rs = ReplicaState::new(host.clone(), port);
        if was_master {
            info!("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.");
            rs.cached = true;
        } else if let Some(old) = &self.repl.replica {
            rs.cached = old.cached || old.master_slot.is_some();
            rs.master_db = old.master_db;
        }
        self.repl.replica = Some(rs);
        self.config.replicaof = Some((host, port));
        crate::logging::set_role(b'S');
        self.replica_connect();
    }

    /// REPLICAOF NO ONE: keep the data, become a master with a new replid
    /// (the old one stays valid as replid2 up to our offset, so replicas of
    /// our old master that follow us can continue with a partial resync).
    pub fn replica_unset_master(&mut self) {
        if !self.repl.is_replica() {
            return;
        }
        self.replica_drop_link();
        self.repl.replica = None;
        self.config.replicaof = None;
        crate::logging::set_role(b'M');
        self.repl.shift_replid();
        warn!(
            "Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
            self.repl.replid2, self.repl.second_repl_offset, self.repl.replid
        );
        self.disconnect_replicas();
        // The next propagated command starts with a SELECT.
        self.propagation.stream_db = -1;
    }

    /// Close the master client or the half-set-up link, whichever exists.
    fn replica_drop_link(&mut self) {
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if let Some(slot) = rs.master_slot.take() {
            rs.cached = true;
            if let Some(Some(c)) = self.clients.get(slot) {
                rs.master_db = c.db;
            }
            self.close_client_later(slot);
        }
        self.cancel_handshake();
    }

    /// Disconnect the replicas attached to us (they reconnect and resync).
    fn disconnect_replicas(&mut self) {
        let slots: Vec<usize> = self
            .clients
            .iter()
            .filter(|(_, c)| c.as_ref().is_some_and(|c| c.kind == ClientKind::Replica))
            .map(|(s, _)| s)
            .collect();
        for s in slots {
            self.close_client_later(s);
        }
    }

    // ----------------------------------------------------------------------
    // Connecting and the handshake
    // ----------------------------------------------------------------------

    /// Start a non-blocking connection to the master (state Connect only).
    fn replica_connect(&mut self) {
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if rs.state != LinkState::Connect {
            return;
        }
        info!("Connecting to MASTER {}:{}", rs.master_host, rs.master_port);
        let Some(addr) = resolve(&rs.master_host, rs.master_port) else {
            warn!(
                "Unable to connect to MASTER: can't resolve '{}' (only IP addresses and localhost are accepted)",
                rs.master_host
            );
            return;
        };
        let mut stream = match TcpStream::connect(addr) {
            Ok(s) => s,
            Err(e) => {
                warn!("Unable to connect to MASTER: {e}");
                return;
            }
        };
        if let Err(e) = self.reactor.register(&mut stream, Target::MasterLink, true) {
            warn!("Unable to connect to MASTER: {e}");
            return;
        }
        let rs = self.repl.replica.as_mut().expect("checked above");
        rs.state = LinkState::Connecting;
        rs.transfer_last_io_ms = util::now_ms();
        rs.link = Some(Link {
            stream,
            addr,
            inbuf: Vec::new(),
            out: Vec::new(),
            expect: VecDeque::new(),
            transfer: None,
            full_replid: String::new(),
            full_offset: -1,
        });
        info!("MASTER <-> REPLICA sync started");
    }

    /// Abandon the link being set up (error, timeout, REPLICAOF): close the
    /// socket, remove a partial RDB; the cron reconnects.
    fn cancel_handshake(&mut self) {
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if let Some(mut link) = rs.link.take() {
            self.reactor.deregister(&mut link.stream);
            if let Some(t) = link.transfer.take() {
                let _ = std::fs::remove_file(&t.path);
            }
        }
        let rs = self.repl.replica.as_mut().expect("checked above");
        if rs.state != LinkState::Connected {
            rs.state = LinkState::Connect;
        }
    }

    /// An event on the link to our master (before it becomes a client).
    pub(crate) fn handle_master_link_event(&mut self, ev: Ready) {
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        let Some(mut link) = rs.link.take() else {
            return;
        };
        let step = self.link_event(&mut link, ev);
        match step {
            Step::Wait => {
                if let Some(rs) = self.repl.replica.as_mut() {
                    rs.link = Some(link);
                } else {
                    self.reactor.deregister(&mut link.stream);
                }
            }
            Step::Fail => {
                if let Some(rs) = self.repl.replica.as_mut() {
                    rs.link = Some(link);
                }
                self.cancel_handshake();
            }
            Step::Promote => self.create_master_client(link),
        }
    }

    fn link_event(&mut self, link: &mut Link, ev: Ready) -> Step {
        let state = self.repl.replica.as_ref().map(|r| r.state);
        if state == Some(LinkState::Connecting) {
            if let Ok(Some(e)) | Err(e) = link.stream.take_error() {
                warn!("Error condition on socket for SYNC: {}", os_text(&e));
                return Step::Fail;
            }
            match link.stream.peer_addr() {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotConnected => return Step::Wait,
                Err(e) => {
                    warn!("Error condition on socket for SYNC: {}", os_text(&e));
                    return Step::Fail;
                }
            }
            info!("Non blocking connect for SYNC fired the event.");
            request(&mut link.out, &[b"PING"]);
            self.set_link_state(LinkState::ReceivePong);
        }
        if !link.out.is_empty() && !flush_out(link) {
            warn!("Error condition on socket for SYNC: write error");
            return Step::Fail;
        }
        if !ev.readable {
            return Step::Wait;
        }
        // Read until WouldBlock (edge-triggered), consuming as we go so the
        // buffer stays one chunk long even while a large RDB arrives.
        let mut chunk = vec![0u8; LINK_READ_CHUNK];
        loop {
            match (&link.stream).read(&mut chunk) {
                Ok(0) => {
                    let msg = if self.link_state() == Some(LinkState::Transfer) {
                        "MASTER <-> REPLICA sync: I/O error trying to sync with MASTER: connection lost"
                    } else {
                        "Master closed the connection during the replication handshake"
                    };
                    warn!("{msg}");
                    return Step::Fail;
                }
                Ok(n) => {
                    self.stats.net_input_bytes += n as u64;
                    if let Some(rs) = self.repl.replica.as_mut() {
                        rs.transfer_last_io_ms = util::now_ms();
                    }
                    link.inbuf.extend_from_slice(&chunk[..n]);
                    match self.link_consume(link) {
                        Step::Wait => {}
                        other => return other,
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Step::Wait,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    warn!("Error condition on socket for SYNC: {}", os_text(&e));
                    return Step::Fail;
                }
            }
        }
    }

    fn link_state(&self) -> Option<LinkState> {
        self.repl.replica.as_ref().map(|r| r.state)
    }

    fn set_link_state(&mut self, s: LinkState) {
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.state = s;
        }
    }

    /// Consume what `link.inbuf` holds according to the state.
    fn link_consume(&mut self, link: &mut Link) -> Step {
        loop {
            let Some(state) = self.link_state() else {
                return Step::Fail;
            };
            match state {
                LinkState::Transfer => return self.transfer_consume(link),
                LinkState::ReceivePong => {
                    let Some(line) = take_line(&mut link.inbuf) else {
                        return Step::Wait;
                    };
                    // An auth error is fine here: AUTH comes next.
                    if line.starts_with('-')
                        && !line.starts_with("-NOAUTH")
                        && !line.starts_with("-NOPERM")
                        && !line.starts_with("-ERR operation not permitted")
                    {
                        warn!("Error reply to PING from master: '{line}'");
                        return Step::Fail;
                    }
                    info!("Master replied to PING, replication can continue...");
                    self.send_handshake(link);
                    if !flush_out(link) {
                        return Step::Fail;
                    }
                }
                LinkState::ReceiveHandshake => {
                    let Some(line) = take_line(&mut link.inbuf) else {
                        return Step::Wait;
                    };
                    let Some(what) = link.expect.pop_front() else {
                        return Step::Fail;
                    };
                    if line.starts_with('-') {
                        match what {
                            Expect::Auth => {
                                warn!("Unable to AUTH to MASTER: {line}");
                                return Step::Fail;
                            }
                            Expect::Port => info!(
                                "(Non critical) Master does not understand REPLCONF listening-port: {line}"
                            ),
                            Expect::Ip => info!(
                                "(Non critical) Master does not understand REPLCONF ip-address: {line}"
                            ),
                            Expect::Capa => info!(
                                "(Non critical) Master does not understand REPLCONF capa: {line}"
                            ),
                        }
                    }
                    if link.expect.is_empty() {
                        self.send_psync(link);
                        if !flush_out(link) {
                            return Step::Fail;
                        }
                    }
                }
                LinkState::ReceivePsync => {
                    let Some(line) = take_line(&mut link.inbuf) else {
                        return Step::Wait;
                    };
                    match self.psync_reply(link, &line) {
                        Step::Wait => {}
                        other => return other,
                    }
                }
                // Nothing is read in these states.
                LinkState::Connect | LinkState::Connecting | LinkState::Connected => {
                    return Step::Wait
                }
            }
        }
    }

    /// After the PONG: AUTH, REPLCONF listening-port, ip-address and capa,
    /// sent together; their replies are read in order.
    fn send_handshake(&mut self, link: &mut Link) {
        let cfg = &self.config;
        if !cfg.masterauth.is_empty() {
            if cfg.masteruser.is_empty() {
                request(&mut link.out, &[b"AUTH", cfg.masterauth.as_bytes()]);
            } else {
                request(
                    &mut link.out,
                    &[
                        b"AUTH",
                        cfg.masteruser.as_bytes(),
                        cfg.masterauth.as_bytes(),
                    ],
                );
            }
            link.expect.push_back(Expect::Auth);
        }
        let port = if cfg.replica_announce_port != 0 {
            cfg.replica_announce_port
        } else {
            cfg.port
        };
        let port = port.to_string();
        request(
            &mut link.out,
            &[b"REPLCONF", b"listening-port", port.as_bytes()],
        );
        link.expect.push_back(Expect::Port);
        if !cfg.replica_announce_ip.is_empty() {
            request(
                &mut link.out,
                &[
                    b"REPLCONF",
                    b"ip-address",
                    cfg.replica_announce_ip.as_bytes(),
                ],
            );
            link.expect.push_back(Expect::Ip);
        }
        request(
            &mut link.out,
            &[b"REPLCONF", b"capa", b"eof", b"capa", b"psync2"],
        );
        link.expect.push_back(Expect::Capa);
        self.set_link_state(LinkState::ReceiveHandshake);
    }

    /// PSYNC with our cached master (our own replid and offset), or
    /// `PSYNC ? -1` for a full sync.
    fn send_psync(&mut self, link: &mut Link) {
        let cached = self.repl.replica.as_ref().is_some_and(|r| r.cached);
        if cached {
            let off = (self.repl.master_repl_offset + 1).to_string();
            info!(
                "Trying a partial resynchronization (request {}:{}).",
                self.repl.replid, off
            );
            let replid = self.repl.replid.clone();
            let mut argv: Vec<&[u8]> = vec![b"PSYNC", replid.as_bytes(), off.as_bytes()];
            // A coordinated failover asks the target to take over (failover.rs).
            argv.extend(self.failover_psync_arg());
            request(&mut link.out, &argv);
        } else {
            info!("Partial resynchronization not possible (no cached master)");
            let mut argv: Vec<&[u8]> = vec![b"PSYNC", b"?", b"-1"];
            argv.extend(self.failover_psync_arg());
            request(&mut link.out, &argv);
        }
        self.set_link_state(LinkState::ReceivePsync);
    }

    /// The master's answer to PSYNC.
    fn psync_reply(&mut self, link: &mut Link, line: &str) -> Step {
        if line.is_empty() {
            // Newlines keep the link alive until the master replies.
            return Step::Wait;
        }
        // A failover in progress ends here, whichever way the target answered.
        let accepted = line.starts_with("+FULLRESYNC") || line.starts_with("+CONTINUE");
        self.failover_psync_answered(accepted);
        if let Some(rest) = line.strip_prefix("+FULLRESYNC") {
            let mut parts = rest.split_whitespace();
            let (Some(id), Some(off)) = (parts.next(), parts.next()) else {
                warn!("Master replied with wrong +FULLRESYNC syntax.");
                return Step::Fail;
            };
            let Ok(off) = off.parse::<i64>() else {
                warn!("Master replied with wrong +FULLRESYNC syntax.");
                return Step::Fail;
            };
            if id.len() != 40 {
                warn!("Master replied with wrong +FULLRESYNC syntax.");
                return Step::Fail;
            }
            info!("Full resync from master: {id}:{off}");
            link.full_replid = id.to_string();
            link.full_offset = off;
            self.set_link_state(LinkState::Transfer);
            return Step::Wait;
        }
        if let Some(rest) = line.strip_prefix("+CONTINUE") {
            info!("Successful partial resynchronization with master.");
            let new_id = rest.trim();
            if new_id.len() == 40 && new_id != self.repl.replid {
                warn!("Master replication ID changed to {new_id}");
                // The old ID stays valid up to our offset for our replicas.
                self.repl.replid2 = std::mem::replace(&mut self.repl.replid, new_id.to_string());
                self.repl.second_repl_offset = self.repl.master_repl_offset + 1;
                // Our replicas must learn the new ID.
                self.disconnect_replicas();
            }
            info!("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            // After a restart from our own RDB there is no backlog yet:
            // create one so our replicas can PSYNC with us (as Redis).
            self.create_backlog();
            return Step::Promote;
        }
        if line.starts_with("-NOMASTERLINK") || line.starts_with("-LOADING") {
            info!("Master is currently unable to PSYNC but should be in the future: {line}");
            return Step::Fail;
        }
        if line.starts_with("-ERR") {
            warn!("Master does not support PSYNC or is in error state (reply: {line})");
        } else {
            warn!("Unexpected reply to PSYNC from master: {line}");
        }
        Step::Fail
    }

    // ----------------------------------------------------------------------
    // Receiving the RDB
    // ----------------------------------------------------------------------

    /// Transfer state: the `$` header, then the payload into the temp file.
    fn transfer_consume(&mut self, link: &mut Link) -> Step {
        while link.transfer.is_none() {
            let Some(line) = take_line(&mut link.inbuf) else {
                return Step::Wait;
            };
            if line.is_empty() {
                // Keepalive newline while the master prepares the RDB.
                continue;
            }
            if let Some(err) = line.strip_prefix('-') {
                warn!("MASTER aborted replication with an error: {err}");
                return Step::Fail;
            }
            let Some(spec) = line.strip_prefix('$') else {
                warn!("Bad protocol from MASTER, the first byte is not '$' (we received '{line}'), are you sure the host and port are right?");
                return Step::Fail;
            };
            let diskless = self.use_diskless_load();
            // Beyond Redis: with `repl-diskless-load disabled` Redis first
            // stores the whole RDB, then loads it, so that a failed transfer
            // leaves the old dataset alone. With no dataset there is nothing
            // to protect: we parse the payload as it arrives and write the
            // same file meanwhile, so the load overlaps the transfer (and a
            // diskless master's generation) instead of following it, where
            // `repl-overlap-load` allows it.
            let parse_as_received =
                !diskless && self.dbs.iter().all(|d| d.is_empty()) && self.overlap_load_allowed();
            let to = if diskless { "parser" } else { "disk" };
            let (size, mark) = if let Some(m) = spec.strip_prefix("EOF:") {
                if m.len() != EOF_MARK_LEN {
                    warn!("Bad protocol from MASTER: wrong EOF mark length");
                    return Step::Fail;
                }
                info!(
                    "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to {to}"
                );
                (None, m.as_bytes().to_vec())
            } else {
                let Ok(n) = spec.parse::<u64>() else {
                    warn!("Bad protocol from MASTER: invalid bulk length '{spec}'");
                    return Step::Fail;
                };
                info!("MASTER <-> REPLICA sync: receiving {n} bytes from master to {to}");
                (Some(n), Vec::new())
            };
            if diskless || parse_as_received {
                if parse_as_received {
                    info!("MASTER <-> REPLICA sync: our dataset is empty, loading the RDB while it is written to disk");
                }
                return if self.load_from_socket(link, size, mark, parse_as_received) {
                    Step::Promote
                } else {
                    Step::Fail
                };
            }
            let Some((file, path)) = self.create_transfer_file() else {
                return Step::Fail;
            };
            link.transfer = Some(Transfer {
                file: WritebackFile::new(file, writeback::TRANSFER_STEP),
                path,
                size,
                mark,
                read: 0,
                tail: Vec::new(),
            });
        }
        let Some(t) = link.transfer.as_mut() else {
            return Step::Fail;
        };
        let done = match t.size {
            Some(size) => {
                let want = (size - t.read).min(link.inbuf.len() as u64) as usize;
                if let Err(e) = t.file.write_all(&link.inbuf[..want]) {
                    warn!("Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: {e}");
                    return Step::Fail;
                }
                link.inbuf.drain(..want);
                t.read += want as u64;
                t.read == size
            }
            None => {
                t.read += link.inbuf.len() as u64;
                t.tail.append(&mut link.inbuf);
                if t.tail.len() > EOF_MARK_LEN {
                    let cut = t.tail.len() - EOF_MARK_LEN;
                    if let Err(e) = t.file.write_all(&t.tail[..cut]) {
                        warn!("Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: {e}");
                        return Step::Fail;
                    }
                    t.tail.drain(..cut);
                }
                // The master sends nothing after the mark before it knows we
                // loaded the RDB (it waits for our first ACK), so the mark is
                // always the last bytes received.
                t.tail == t.mark
            }
        };
        if !done {
            return Step::Wait;
        }
        if self.load_transferred_rdb(link) {
            Step::Promote
        } else {
            Step::Fail
        }
    }

    /// A fresh temp file for a full sync's RDB (Redis's `temp-<pid>.<n>.rdb`
    /// in the working directory), or None after logging why.
    fn create_transfer_file(&mut self) -> Option<(File, String)> {
        let seq = self.repl.replica.as_mut().map_or(0, |r| {
            r.temp_seq += 1;
            r.temp_seq
        });
        let path = format!("temp-{}.{}.rdb", std::process::id(), seq);
        match File::create(&path) {
            Ok(f) => Some((f, path)),
            Err(e) => {
                warn!("Opening the temp file needed for MASTER <-> REPLICA synchronization: {e}");
                None
            }
        }
    }

    /// Make a received RDB file durable and give it the `dbfilename` name,
    /// as a disk-based sync leaves it. False on failure (logged; the temp
    /// file is removed).
    fn install_transfer_file(&self, file: File, path: &str) -> bool {
        if let Err(e) = file.sync_all() {
            warn!("Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: {e}");
            let _ = std::fs::remove_file(path);
            return false;
        }
        drop(file);
        if let Err(e) = std::fs::rename(path, &self.config.dbfilename) {
            warn!("Failed trying to rename the temp DB into {} in MASTER <-> REPLICA synchronization: {e}", self.config.dbfilename);
            let _ = std::fs::remove_file(path);
            return false;
        }
        true
    }

    /// The payload is complete: replace the dataset with it and take the
    /// master's replication ID and offset. False on failure (logged).
    fn load_transferred_rdb(&mut self, link: &mut Link) -> bool {
        let Some(t) = link.transfer.take() else {
            return false;
        };
        if !self.install_transfer_file(t.file.into_inner(), &t.path) {
            return false;
        }
        self.attach_to_new_master();
        info!("MASTER <-> REPLICA sync: Flushing old data");
        for db in &mut self.dbs {
            *db = crate::db::Db::new(db.id);
        }
        let target = std::path::PathBuf::from(&self.config.dbfilename);
        info!("MASTER <-> REPLICA sync: Loading DB in memory");
        if let Err(e) = self.load_rdb_file_serving(&target, true) {
            warn!("{e}");
            warn!(
                "Failed trying to load the MASTER synchronization DB from disk, check server logs."
            );
            for db in &mut self.dbs {
                *db = crate::db::Db::new(db.id);
            }
            return false;
        }
        info!(
            "Done loading RDB, keys loaded: {}, keys expired: {}.",
            self.persistence.last_load_keys_loaded, self.persistence.last_load_keys_expired
        );
        self.full_sync_adopt(link);
        true
    }

    /// The data we had belongs to another history from now on (Redis's
    /// replicationAttachToNewMaster): forget the cached master, make our
    /// replicas resync with us, and let none of them PSYNC into the old
    /// history (Redis frees its backlog here).
    fn attach_to_new_master(&mut self) {
        if self.repl.replica.as_ref().is_some_and(|r| r.cached) {
            info!("Discarding previously cached master state.");
        }
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.cached = false;
        }
        self.disconnect_replicas();
        self.replica_backlog_reset();
    }

    /// The master's dataset is in place (loaded from disk or from the
    /// socket): take its replication ID, offset and stream db. What follows
    /// is the same for both ways of loading.
    fn full_sync_adopt(&mut self, link: &mut Link) {
        self.repl.replid = std::mem::take(&mut link.full_replid);
        self.repl.master_repl_offset = link.full_offset;
        self.repl.clear_replid2();
        // The stream after the RDB continues in the db it names (a master
        // starts with a SELECT anyway; a replica serving us cannot).
        let stream_db = self
            .persistence
            .last_load_repl
            .as_ref()
            .map(|r| r.stream_db);
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.master_db = stream_db
                .filter(|&d| d >= 0 && (d as usize) < self.dbs.len())
                .unwrap_or(0) as usize;
        }
        // The backlog starts at the master's offset (it was reset before
        // the load, at our old one).
        self.replica_backlog_reset();
        self.dirty += 1;
        info!("MASTER <-> REPLICA sync: Finished with success");
    }

    /// Whether this full sync's RDB is parsed straight from the socket:
    /// `repl-diskless-load swapdb` always, `on-empty-db` when we hold no
    /// key (Redis's useDisklessLoad).
    fn use_diskless_load(&self) -> bool {
        match self.config.repl_diskless_load.as_str() {
            "swapdb" => true,
            "on-empty-db" => self.dbs.iter().all(|d| d.is_empty()),
            _ => false,
        }
    }

    /// Load the RDB payload straight from the master's socket into fresh
    /// databases, serving clients meanwhile, and swap it in when complete
    /// (see `diskless_load.rs`). With `swapdb` the current dataset stays
    /// in place until then, readable when the master is the one we were
    /// already following (async loading), and is kept when the load fails;
    /// with `on-empty-db` there is nothing to keep. With `keep_file` the
    /// payload is also written to the file a disk-based sync leaves behind
    /// (an empty dataset with `disabled`). False on failure (logged): the
    /// caller drops the link and the cron retries.
    fn load_from_socket(
        &mut self,
        link: &mut Link,
        size: Option<u64>,
        mark: Vec<u8>,
        keep_file: bool,
    ) -> bool {
        use super::diskless_load::{PayloadProgress, SocketPayload};
        use std::cell::{Cell, RefCell};

        let swapdb = self.config.repl_diskless_load == "swapdb";
        let mut file = None;
        if keep_file {
            let Some(created) = self.create_transfer_file() else {
                return false;
            };
            let file_writer = WritebackFile::new(created.0, writeback::TRANSFER_STEP);
            file = Some((
                io::BufWriter::with_capacity(1 << 18, file_writer),
                created.1,
            ));
        }
        if !swapdb {
            self.attach_to_new_master();
            info!("MASTER <-> REPLICA sync: Flushing old data");
            for db in &mut self.dbs {
                *db = crate::db::Db::new(db.id);
            }
        }
        // Our dataset is an earlier point of the very history being sent:
        // serving it meanwhile is serving stale data, as a replica whose
        // link is down does. From another master's history it is not.
        let async_load = swapdb && link.full_replid == self.repl.replid;
        info!("MASTER <-> REPLICA sync: Loading DB in memory");
        let mut fresh: Vec<crate::db::Db> = (0..self.dbs.len()).map(crate::db::Db::new).collect();
        let now = util::now_ms();
        let deletes = self.expire_deletes();
        let cfg = self.config.clone();
        let timeout_ms = self.config.repl_timeout.max(1) * 1000;
        self.loading = true;
        self.async_loading = async_load;
        self.loading_progress = crate::persistence::LoadingProgress {
            start_ms: now,
            total_bytes: size.unwrap_or(0),
            ..Default::default()
        };
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.socket_load = Some(SocketLoad { size, read: 0 });
        }
        let mut pending = std::mem::take(&mut link.inbuf);
        let mark = size.is_none().then_some(mark);
        let mark_form = mark.is_some();
        let (loaded, rest, read) = {
            // Both callbacks below serve clients; they never run inside
            // each other (one is called between keys, the other while
            // waiting for bytes), so they share the server through a
            // RefCell.
            let srv = RefCell::new(&mut *self);
            let last_serve_us = Cell::new(util::monotonic_us());
            let mut hook = |p: PayloadProgress| {
                let mut s = srv.borrow_mut();
                if let Some(rs) = s.repl.replica.as_mut() {
                    rs.transfer_last_io_ms = util::now_ms();
                    if let Some(l) = rs.socket_load.as_mut() {
                        l.read = p.read;
                    }
                }
                last_serve_us.set(util::monotonic_us());
                s.process_events_while_loading();
            };
            let mut payload = SocketPayload::new(
                &link.stream,
                &mut pending,
                size,
                mark,
                timeout_ms,
                &mut hook,
            );
            if let Some((writer, _)) = file.as_mut() {
                payload = payload.copying_to(writer);
            }
            let batch = crate::persist::sched::BatchGuard::new();
            let loaded = crate::persist::snapshot::load_rdb_with_progress(
                &mut payload,
                &mut fresh,
                &cfg,
                now,
                deletes,
                &mut |keys, bytes| {
                    let mut s = srv.borrow_mut();
                    s.loading_progress.keys = keys;
                    s.loading_progress.bytes = bytes;
                    // Keys can take long to build even when bytes are
                    // there (key-load-delay): serve about every 100 ms.
                    let now_us = util::monotonic_us();
                    if now_us.saturating_sub(last_serve_us.get()) >= 100_000 {
                        last_serve_us.set(now_us);
                        s.process_events_while_loading();
                    }
                },
            );
            drop(batch);
            let read = payload.bytes_read();
            let rest = match &loaded {
                // Bytes after the RDB's checksum, inside the payload: they
                // would sit where the mark or the payload's end belongs.
                Ok(info) if info.trailing_bytes > 0 => Err(if mark_form {
                    "Replication stream EOF marker is broken".to_string()
                } else {
                    "MASTER <-> REPLICA sync: the RDB ended before the announced payload size"
                        .to_string()
                }),
                Ok(_) => payload.finish(),
                Err(_) => Err(String::new()),
            };
            (loaded, rest, read)
        };
        self.loading = false;
        self.async_loading = false;
        self.stats.net_input_bytes += read;
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.socket_load = None;
            rs.transfer_last_io_ms = util::now_ms();
        }
        let outcome = match (loaded, rest) {
            (Ok(info), Ok(rest)) => Ok((info, rest)),
            (Ok(_), Err(msg)) => Err(msg),
            (Err(e), _) => Err(match &e.kind {
                crate::persist::rdb::RdbErrorKind::Io(io)
                    if io.kind() == io::ErrorKind::TimedOut =>
                {
                    "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.".to_string()
                }
                crate::persist::rdb::RdbErrorKind::Io(io)
                    if io.kind() == io::ErrorKind::UnexpectedEof =>
                {
                    "MASTER <-> REPLICA sync: I/O error trying to sync with MASTER: connection lost"
                        .to_string()
                }
                _ => format!("Short read or OOM loading DB. Unrecoverable error, aborting now. ({e})"),
            }),
        };
        // The file a disk-based sync leaves: complete and renamed before
        // the dataset is adopted, or gone.
        let outcome = match (outcome, file) {
            (Ok(v), Some((writer, path))) => match writer.into_inner() {
                Ok(f) => {
                    if self.install_transfer_file(f.into_inner(), &path) {
                        Ok(v)
                    } else {
                        Err("Failed to store the RDB received from the MASTER".to_string())
                    }
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    Err(format!("Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: {}", e.error()))
                }
            },
            (Err(msg), Some((_, path))) => {
                let _ = std::fs::remove_file(&path);
                Err(msg)
            }
            (outcome, None) => outcome,
        };
        let (info, rest) = match outcome {
            Ok(v) => v,
            Err(msg) => {
                warn!("{msg}");
                warn!("Failed trying to load the MASTER synchronization DB from socket, check server logs.");
                if swapdb {
                    drop(fresh);
                    info!("MASTER <-> REPLICA sync: Discarding temporary DB in background");
                }
                return false;
            }
        };
        self.record_load(&info);
        info!(
            "Done loading RDB, keys loaded: {}, keys expired: {}.",
            info.keys_loaded, info.keys_expired
        );
        if swapdb {
            self.attach_to_new_master();
            info!("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
            let old = std::mem::replace(&mut self.dbs, fresh);
            info!("MASTER <-> REPLICA sync: Discarding old DB in background");
            drop(old);
        } else {
            self.dbs = fresh;
        }
        // What followed the payload starts the command stream.
        link.inbuf = rest;
        link.inbuf.extend_from_slice(&pending);
        self.full_sync_adopt(link);
        true
    }

    /// After a full sync our old backlog describes another history: start
    /// a fresh one at the new offset so that sub-replicas can PSYNC with us
    /// (Redis creates one too). Our replicas were disconnected before: no
    /// position of theirs refers to the old buffer.
    fn replica_backlog_reset(&mut self) {
        self.repl.backlog = None;
        // A fresh backlog at the master's offset, so our own replicas can
        // partially resync with us from here on (chained replication).
        self.create_backlog();
        self.refresh_propagation_active();
    }

    // ----------------------------------------------------------------------
    // The master client
    // ----------------------------------------------------------------------

    /// Turn the link into a Client of kind Master; what the link read past
    /// the PSYNC reply or the RDB is the start of the command stream.
    fn create_master_client(&mut self, link: Link) {
        let Link {
            mut stream,
            addr,
            inbuf,
            ..
        } = link;
        let slot = self.clients.vacant_key();
        if let Err(e) = self
            .reactor
            .set_writable(&mut stream, Target::Client(slot), false)
        {
            warn!("Error registering the master link: {e}");
            self.reactor.deregister(&mut stream);
            self.set_link_state(LinkState::Connect);
            return;
        }
        let laddr = stream.local_addr().unwrap_or(addr);
        let now = util::now_ms();
        let id = self.new_client_id();
        let mut c = Client::new(id, slot, stream, addr, laddr, now, true);
        c.kind = ClientKind::Master;
        c.query_buf = inbuf;
        c.db = self.repl.replica.as_ref().map_or(0, |r| r.master_db);
        self.clients.insert(Some(Box::new(c)));
        self.client_slots.insert(id, slot);
        if let Some(rs) = self.repl.replica.as_mut() {
            rs.master_slot = Some(slot);
            rs.state = LinkState::Connected;
            rs.cached = false;
        }
        // Bytes already received: run them now (no event will announce them).
        if let Some(mut c) = self.take_client(slot) {
            self.process_input(&mut c);
            self.put_client(c);
        }
        // The first ACK puts us online on the master's side.
        self.replica_send_ack();
    }

    /// Queue `REPLCONF ACK <offset>` to the master.
    fn replica_send_ack(&mut self) {
        let Some(slot) = self.repl.replica.as_ref().and_then(|r| r.master_slot) else {
            return;
        };
        let off = self.repl.master_repl_offset.to_string();
        if let Some(Some(c)) = self.clients.get_mut(slot) {
            request(&mut c.reply, &[b"REPLCONF", b"ACK", off.as_bytes()]);
            if !c.pending_write {
                c.pending_write = true;
                self.queue_write(slot);
            }
        }
    }

    /// Run one command of the master's stream. Replies are dropped, except
    /// the one to REPLCONF GETACK. The caller accounts the bytes with
    /// [`master_command_done`](Self::master_command_done).
    pub(crate) fn process_master_command(&mut self, c: &mut Client, argv: &[&[u8]]) {
        if argv.len() >= 2
            && argv[0].eq_ignore_ascii_case(b"replconf")
            && argv[1].eq_ignore_ascii_case(b"getack")
        {
            // The offset before this command, as Redis answers.
            let off = self.repl.master_repl_offset.to_string();
            request(&mut c.reply, &[b"REPLCONF", b"ACK", off.as_bytes()]);
            return;
        }
        let start = c.reply.len();
        self.executing_master = true;
        self.dispatch(c, argv);
        self.executing_master = false;
        c.reply.truncate(start.max(c.sent));
    }

    /// Account `bytes` (one request of the master's stream) as applied: the
    /// offset advances and the bytes are forwarded to our backlog and
    /// replicas — at once, or at EXEC for a transaction, as Redis counts.
    pub(crate) fn master_command_done(&mut self, c: &mut Client, bytes: &[u8]) {
        if c.multi.is_some() || !c.repl_pending.is_empty() {
            c.repl_pending.extend_from_slice(bytes);
            if c.multi.is_some() {
                return;
            }
            let pending = std::mem::take(&mut c.repl_pending);
            self.replica_apply_bytes(&pending);
            c.repl_pending = pending;
            c.repl_pending.clear();
        } else {
            self.replica_apply_bytes(bytes);
        }
    }

    /// Advance the offset by `bytes` and hand them to the master side. The
    /// master side may advance `master_repl_offset` itself (as Redis's
    /// feedReplicationBuffer does when a backlog exists); if it did not,
    /// we do, so the offset counts every applied byte exactly once.
    fn replica_apply_bytes(&mut self, bytes: &[u8]) {
        let before = self.repl.master_repl_offset;
        // A replica's AOF records its master's stream, as Redis's does. The
        // raw bytes carry the master's own SELECTs, so our notion of the
        // stream's current database is no longer known.
        self.feed_aof(bytes);
        self.propagation.stream_db = -1;
        self.repl_feed(bytes);
        if self.repl.master_repl_offset == before {
            self.repl.master_repl_offset += bytes.len() as i64;
        }
    }

    /// The Master client is being freed (link lost, CLIENT KILL, timeout):
    /// keep our replid/offset as the cached master and reconnect from cron.
    /// `db` is the master client's database, where the stream continues.
    pub(crate) fn replica_master_freed(&mut self, slot: usize, db: usize) {
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if rs.master_slot != Some(slot) {
            return;
        }
        info!("Connection with master lost.");
        info!("Caching the disconnected master state.");
        rs.master_slot = None;
        rs.cached = true;
        rs.master_db = db;
        rs.state = LinkState::Connect;
        rs.down_since = util::now_ms() / 1000;
    }

    /// The db the master's stream is in at our offset, when we have a
    /// master (connected or cached): for the `repl-stream-db` AUX field
    /// of the RDBs we write, as Redis's rdbPopulateSaveInfo.
    pub(crate) fn replica_stream_db(&self) -> Option<usize> {
        let rs = self.repl.replica.as_ref()?;
        if let Some(slot) = rs.master_slot {
            // The master client is out of the slab while it executes; it
            // cannot be executing here (SAVE/BGSAVE come from other clients).
            if let Some(Some(c)) = self.clients.get(slot) {
                return Some(c.db);
            }
            return Some(rs.master_db);
        }
        rs.cached.then_some(rs.master_db)
    }

    /// Start-up of a replica whose RDB carries replication info: adopt its
    /// replid/offset as a cached master, so the first PSYNC can continue
    /// where the saved dataset ends (Redis 7.0's loadDataFromDisk).
    pub fn replica_restore_from_rdb(&mut self) {
        let Some(r) = self.persistence.last_load_repl.clone() else {
            return;
        };
        let ndbs = self.dbs.len();
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if r.replid.len() != 40 || r.offset < 0 || r.stream_db < 0 || r.stream_db as usize >= ndbs {
            return;
        }
        rs.cached = true;
        rs.master_db = r.stream_db as usize;
        self.repl.replid = r.replid;
        self.repl.master_repl_offset = r.offset;
        self.repl.clear_replid2();
        info!("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.");
    }

    // ----------------------------------------------------------------------
    // Cron
    // ----------------------------------------------------------------------

    /// Replica-side periodic work, once a second: reconnect, time out a
    /// silent master or a stalled handshake/transfer, send REPLCONF ACK.
    pub(crate) fn replica_cron(&mut self, now_ms: i64) {
        let timeout_ms = self.config.repl_timeout.max(1) * 1000;
        let Some(rs) = self.repl.replica.as_mut() else {
            return;
        };
        if now_ms - rs.last_cron_ms < 1000 {
            return;
        }
        rs.last_cron_ms = now_ms;
        let idle = now_ms - rs.transfer_last_io_ms;
        match rs.state {
            LinkState::Connecting
            | LinkState::ReceivePong
            | LinkState::ReceiveHandshake
            | LinkState::ReceivePsync
                if idle > timeout_ms =>
            {
                warn!("Timeout connecting to the MASTER...");
                self.cancel_handshake();
            }
            LinkState::Transfer if idle > timeout_ms => {
                warn!("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
                self.cancel_handshake();
            }
            // Every 5 seconds, how far the transfer got, so a long full
            // sync can be followed in the log.
            LinkState::Transfer if now_ms - rs.progress_logged_ms >= 5000 => {
                rs.progress_logged_ms = now_ms;
                if let Some(t) = rs.link.as_ref().and_then(|l| l.transfer.as_ref()) {
                    match t.size {
                        Some(size) if size > 0 => info!(
                            "MASTER <-> REPLICA sync: received {} of {size} bytes ({:.1}%)",
                            t.read,
                            t.read as f64 * 100.0 / size as f64
                        ),
                        _ => info!("MASTER <-> REPLICA sync: received {} bytes so far", t.read),
                    }
                }
            }
            LinkState::Connected => {
                let slot = rs.master_slot;
                let last = slot
                    .and_then(|s| self.clients.get(s))
                    .and_then(|c| c.as_ref())
                    .map(|c| c.last_interaction_ms);
                if let (Some(slot), Some(last)) = (slot, last) {
                    if now_ms - last > timeout_ms {
                        warn!("MASTER timeout: no data nor PING received...");
                        self.close_client_later(slot);
                        return;
                    }
                }
                self.replica_send_ack();
            }
            _ => {}
        }
        if self.link_state() == Some(LinkState::Connect) {
            self.replica_connect();
        }
    }

    /// `repl-overlap-load`: whether an empty replica may parse the RDB as
    /// it arrives. `auto` allows it when the host had at least one idle
    /// core just before: the parse then runs on a core nobody wanted, while
    /// on a busy host (several servers and their clients on few cores) it
    /// would take CPU time from them, the master of this very sync
    /// included, for a gain that needs that idle core. Without a reading
    /// (no /proc/stat) it is allowed.
    fn overlap_load_allowed(&self) -> bool {
        match self.config.repl_overlap_load.as_str() {
            "yes" => true,
            "no" => false,
            _ => match self.repl.host_idle.idle_cores() {
                Some(idle) if idle < OVERLAP_MIN_IDLE_CORES => {
                    info!("MASTER <-> REPLICA sync: the host has {idle:.1} idle cores, loading the RDB after the transfer (repl-overlap-load auto)");
                    false
                }
                _ => true,
            },
        }
    }

    /// Whether MASTERDOWN applies: a replica whose link is not up with
    /// `replica-serve-stale-data no`.
    pub fn replica_link_down_refuses(&self) -> bool {
        self.repl.replica.as_ref().is_some_and(|r| {
            r.state != LinkState::Connected && !self.config.replica_serve_stale_data
        })
    }

    /// Offset of the stream read from the master (applied + buffered).
    fn replica_read_offset(&self) -> i64 {
        let rs = self.repl.replica.as_ref();
        let buffered = rs
            .and_then(|r| r.master_slot)
            .and_then(|s| self.clients.get(s))
            .and_then(|c| c.as_ref())
            .map_or(0, |c| c.repl_pending.len() + c.query_buf.len());
        self.repl.master_repl_offset + buffered as i64
    }

    /// ROLE's state word for the link.
    pub fn replica_role_state(&self) -> &'static str {
        match self.repl.replica.as_ref() {
            None => "none",
            Some(r) if r.in_handshake() => "handshake",
            Some(r) => match r.state {
                LinkState::Connect => "connect",
                LinkState::Connecting => "connecting",
                LinkState::Transfer => "sync",
                LinkState::Connected => "connected",
                _ => "unknown",
            },
        }
    }

    /// ROLE's offset for a replica: the master client's, or -1.
    pub fn replica_role_offset(&self) -> i64 {
        match self.repl.replica.as_ref() {
            Some(r) if r.master_slot.is_some() => self.repl.master_repl_offset,
            _ => -1,
        }
    }

    /// Whether we are a replica whose link with its master is not up
    /// (`master_link_status:down`).
    pub fn master_link_down(&self) -> bool {
        self.repl
            .replica
            .as_ref()
            .is_some_and(|rs| rs.state != LinkState::Connected)
    }

    /// INFO replication lines of the replica side (master_host ... ),
    /// appended to `out`; nothing on a master.
    pub fn info_replica(&self, out: &mut String) {
        use std::fmt::Write;
        let Some(rs) = self.repl.replica.as_ref() else {
            return;
        };
        let now = util::now_ms();
        let up = rs.state == LinkState::Connected;
        let last_io = rs
            .master_slot
            .and_then(|s| self.clients.get(s))
            .and_then(|c| c.as_ref())
            .map_or(-1, |c| (now - c.last_interaction_ms) / 1000);
        let (read_off, off) = if rs.master_slot.is_some() || rs.cached {
            (self.replica_read_offset(), self.repl.master_repl_offset)
        } else {
            (1, 1)
        };
        let _ = write!(
            out,
            "master_host:{}\r\nmaster_port:{}\r\nmaster_link_status:{}\r\nmaster_last_io_seconds_ago:{}\r\nmaster_sync_in_progress:{}\r\nslave_read_repl_offset:{}\r\nslave_repl_offset:{}\r\n",
            rs.master_host,
            rs.master_port,
            if up { "up" } else { "down" },
            last_io,
            (rs.state == LinkState::Transfer) as i32,
            read_off,
            off
        );
        if rs.state == LinkState::Transfer {
            let (size, read) = match (
                &rs.socket_load,
                rs.link.as_ref().and_then(|l| l.transfer.as_ref()),
            ) {
                (Some(l), _) => (l.size.unwrap_or(0) as i64, l.read as i64),
                (None, Some(t)) => (t.size.unwrap_or(0) as i64, t.read as i64),
                (None, None) => (0, 0),
            };
            let perc = if size > 0 {
                read as f64 / size as f64 * 100.0
            } else {
                0.0
            };
            let _ = write!(
                out,
                "master_sync_total_bytes:{size}\r\nmaster_sync_read_bytes:{read}\r\nmaster_sync_left_bytes:{}\r\nmaster_sync_perc:{perc:.2}\r\nmaster_sync_last_io_seconds_ago:{}\r\n",
                size - read,
                (now - rs.transfer_last_io_ms) / 1000
            );
        }
        if !up {
            let since = if rs.down_since != 0 {
                now / 1000 - rs.down_since
            } else {
                -1
            };
            let _ = write!(out, "master_link_down_since_seconds:{since}\r\n");
        }
        let _ = write!(
            out,
            "slave_priority:{}\r\nslave_read_only:{}\r\nreplica_announced:1\r\n",
            self.config.replica_priority, self.config.replica_read_only as i32
        );
    }
}

/// Write what the socket takes of `link.out`; false on a write error.
fn flush_out(link: &mut Link) -> bool {
    while !link.out.is_empty() {
        match (&link.stream).write(&link.out) {
            Ok(0) => return false,
            Ok(n) => {
                link.out.drain(..n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

/// strerror-like text of an I/O error ("Connection refused").
fn os_text(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
