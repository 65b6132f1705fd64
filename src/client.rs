//! Per-connection state: the query buffer and its parser, the reply buffer,
//! and everything a command may ask about the connection (selected db,
//! authentication, name, protocol version, flags).
//!
//! A client never reaches into the keyspace; commands get the client and the
//! server side by side (see `cmd::Ctx`).
//!
//! ```text
//!  query_buf  | consumed | request being parsed | unread space |
//!  reply      | sent     | waiting to be written               |
//! ```

use std::net::SocketAddr;

use mio::net::TcpStream;

use crate::resp::parse::RequestParser;
use crate::resp::reply;

/// Unique, never reused id of a connection (CLIENT ID).
pub type ClientId = u64;

/// The id of the fake client that replays the AOF at start-up (Redis's
/// CLIENT_ID_AOF): it runs while the server is loading, so it must not be
/// refused with -LOADING.
pub const AOF_CLIENT_ID: ClientId = u64::MAX;

/// Kind of a connection, as CLIENT LIST's `flags=` and CLIENT KILL TYPE see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Normal,
    /// The link to our master (a replica's upstream).
    Master,
    /// A replica connected to us.
    Replica,
    PubSub,
}

/// Argument of `CLIENT REPLY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    On,
    Off,
    /// Skip the reply of the next command only.
    Skip,
    /// Set by `CLIENT REPLY SKIP` and turned into `Skip` after that command.
    SkipNext,
}

pub struct Client {
    /// CLIENT ID.
    pub id: ClientId,
    /// Key of this client in the server's slab (and its mio token).
    pub slot: usize,
    pub stream: TcpStream,
    /// Peer address (`addr=` in CLIENT LIST).
    pub addr: SocketAddr,
    /// Local address the client connected to (`laddr=`).
    pub laddr: SocketAddr,
    /// Bytes received and not yet executed.
    pub query_buf: Vec<u8>,
    /// Parse state over `query_buf`.
    pub parser: RequestParser,
    /// Bytes waiting to be written to the socket; `reply[sent..]` is pending.
    pub reply: Vec<u8>,
    pub sent: usize,
    /// Selected database.
    pub db: usize,
    /// CLIENT SETNAME.
    pub name: Option<Vec<u8>>,
    /// CLIENT SETINFO lib-name / lib-ver.
    pub lib_name: Option<Vec<u8>>,
    pub lib_ver: Option<Vec<u8>>,
    /// Passed AUTH (or no password is configured).
    pub authenticated: bool,
    /// Protocol version chosen with HELLO (2 or 3).
    pub resp: u8,
    pub kind: ClientKind,
    pub reply_mode: ReplyMode,
    /// Close once the reply buffer is flushed (QUIT, protocol errors).
    pub close_after_reply: bool,
    /// Close at the next opportunity without flushing (CLIENT KILL, limits).
    pub close_asap: bool,
    /// Already queued in the server's pending-write list this turn.
    pub pending_write: bool,
    /// WRITABLE interest is registered with the poller.
    pub write_registered: bool,
    /// Creation time and last command time, unix ms (age=, idle=).
    pub ctime_ms: i64,
    pub last_interaction_ms: i64,
    /// Full name of the last command executed (`cmd=` in CLIENT LIST).
    pub last_cmd: String,
    /// Bytes of the last command's arguments (`argv-mem=`).
    pub argv_mem: usize,
    /// MULTI state: the commands queued so far (None outside MULTI).
    pub multi: Option<Vec<QueuedCommand>>,
    /// A command failed to queue: EXEC must answer EXECABORT.
    pub multi_error: bool,
    /// Running inside EXEC (blocking commands must not block).
    pub in_exec: bool,
    /// WATCHed keys: (db, key, existed-and-not-expired when watched).
    pub watched: Vec<(usize, Box<[u8]>, bool)>,
    /// CLIENT NO-EVICT on (flag `e`).
    pub no_evict: bool,
    /// CLIENT TRACKING mode, while on (see tracking.rs).
    pub tracking: Option<Box<crate::tracking::ClientTracking>>,
    /// A watched key was modified: the next EXEC fails.
    pub watch_dirty: bool,
    /// Pub/sub channel subscriptions.
    pub channels: std::collections::HashSet<Box<[u8]>>,
    /// Pub/sub pattern subscriptions, in subscription order.
    pub patterns: Vec<Box<[u8]>>,
    /// Sharded pub/sub channel subscriptions (SSUBSCRIBE).
    pub shard_channels: std::collections::HashSet<Box<[u8]>>,
    /// Waiting in a blocking command (BLPOP...).
    pub blocked: Option<Blocked>,
    /// Set by a handler that asked to block during the current call.
    pub block_requested: bool,
    /// Receives the MONITOR feed.
    pub monitor: bool,
    /// A command held back by CLIENT PAUSE, run when the pause ends.
    pub paused_cmd: Option<Vec<Vec<u8>>>,
    /// Since when (unix ms) the output buffer has been over its soft limit.
    pub obuf_soft_since: Option<i64>,
    /// Replication offset right after this client's last write (WAIT).
    pub woff: i64,
    /// Blocked in WAIT: no input is processed until it is answered.
    pub waiting: bool,
    /// Master link only: bytes of the master's stream executed inside a
    /// MULTI not yet EXECed; they count toward the replication offset (and
    /// are forwarded) all at once at EXEC, as Redis counts them.
    pub repl_pending: Vec<u8>,
    /// Replication (master side): REPLCONF announcements, and the sync
    /// state once SYNC/PSYNC made this connection a replica.
    pub repl: Option<Box<crate::repl::primary::ReplicaConn>>,
}

/// A command queued by MULTI.
#[derive(Debug, Clone)]
pub struct QueuedCommand {
    /// Entry in the server's command table.
    pub idx: usize,
    pub argv: Vec<Vec<u8>>,
}

/// What a blocked client waits for.
#[derive(Debug, Clone)]
pub struct Blocked {
    /// Database and keys the client waits on.
    pub db: usize,
    pub keys: Vec<Box<[u8]>>,
    /// Unix ms when the wait times out; None waits forever.
    pub deadline_ms: Option<i64>,
    /// The command to run again when a key is ready, and its table entry.
    pub idx: usize,
    pub argv: Vec<Vec<u8>>,
    /// Time the command ran before it blocked (us): counted in its stats
    /// when it ends by a timeout or CLIENT UNBLOCK, as Redis does.
    pub call_us: u64,
}

impl Client {
    pub fn new(
        id: ClientId,
        slot: usize,
        stream: TcpStream,
        addr: SocketAddr,
        laddr: SocketAddr,
        now_ms: i64,
        authenticated: bool,
    ) -> Client {
        Client {
            id,
            slot,
            stream,
            addr,
            laddr,
            query_buf: Vec::new(),
            parser: RequestParser::new(),
            reply: Vec::new(),
            sent: 0,
            db: 0,
            name: None,
            lib_name: None,
            lib_ver: None,
            authenticated,
            resp: 2,
            kind: ClientKind::Normal,
            reply_mode: ReplyMode::On,
            close_after_reply: false,
            close_asap: false,
            pending_write: false,
            write_registered: false,
            ctime_ms: now_ms,
            last_interaction_ms: now_ms,
            last_cmd: String::from("NULL"),
            argv_mem: 0,
            multi: None,
            multi_error: false,
            in_exec: false,
            watched: Vec::new(),
            no_evict: false,
            tracking: None,
            watch_dirty: false,
            channels: Default::default(),
            patterns: Vec::new(),
            shard_channels: Default::default(),
            blocked: None,
            block_requested: false,
            monitor: false,
            paused_cmd: None,
            obuf_soft_since: None,
            woff: 0,
            waiting: false,
            repl_pending: Vec::new(),
            repl: None,
        }
    }

    /// Memory this client holds: its buffers' capacity plus the struct
    /// (CLIENT LIST's tot-mem, INFO's mem_clients_*).
    pub fn memory_usage(&self) -> usize {
        self.query_buf.capacity() + self.reply.capacity() + std::mem::size_of::<Client>()
    }

    /// Bytes queued and not yet written.
    pub fn pending_reply_bytes(&self) -> usize {
        self.reply.len() - self.sent
    }

    pub fn has_pending_reply(&self) -> bool {
        self.reply.len() > self.sent
    }

    /// Our master's link or the AOF loader (Redis's mustObeyClient): what
    /// they send was already decided elsewhere and is applied as written.
    pub fn obeys_unconditionally(&self) -> bool {
        self.kind == ClientKind::Master || self.id == AOF_CLIENT_ID
    }

    /// The output buffer replies are appended to. While CLIENT REPLY OFF/SKIP
    /// is in force, replies go to a scratch area that is dropped afterwards
    /// (see `Server::call`), so handlers never have to care.
    #[inline]
    pub fn out(&mut self) -> &mut Vec<u8> {
        &mut self.reply
    }

    // Convenience encoders: each appends one value to the reply buffer.

    #[inline]
    pub fn add_ok(&mut self) {
        self.reply.extend_from_slice(b"+OK\r\n");
    }

    #[inline]
    pub fn add_simple(&mut self, s: &[u8]) {
        reply::simple(&mut self.reply, s);
    }

    #[inline]
    pub fn add_error(&mut self, msg: &str) {
        reply::error(&mut self.reply, msg);
    }

    #[inline]
    pub fn add_int(&mut self, v: i64) {
        reply::int(&mut self.reply, v);
    }

    #[inline]
    pub fn add_bulk(&mut self, b: &[u8]) {
        reply::bulk(&mut self.reply, b);
    }

    #[inline]
    pub fn add_null(&mut self) {
        reply::null_bulk(&mut self.reply, self.resp);
    }

    #[inline]
    pub fn add_null_array(&mut self) {
        reply::null_array(&mut self.reply, self.resp);
    }

    #[inline]
    pub fn add_array_len(&mut self, n: usize) {
        reply::array_len(&mut self.reply, n);
    }

    #[inline]
    pub fn add_map_len(&mut self, n: usize) {
        reply::map_len(&mut self.reply, self.resp, n);
    }

    #[inline]
    pub fn add_set_len(&mut self, n: usize) {
        reply::set_len(&mut self.reply, self.resp, n);
    }

    #[inline]
    pub fn add_verbatim(&mut self, text: &[u8]) {
        reply::verbatim(&mut self.reply, self.resp, text);
    }

    #[inline]
    pub fn add_bool(&mut self, v: bool) {
        reply::boolean(&mut self.reply, self.resp, v);
    }

    /// Subscriptions (channels + patterns), as the pub/sub replies count them.
    pub fn subscription_count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    /// Every subscription, shard channels included: a client with any is
    /// in the subscribed state.
    pub fn total_subscriptions(&self) -> usize {
        self.subscription_count() + self.shard_channels.len()
    }

    /// Drop the part of the reply buffer that was written.
    pub fn compact_reply(&mut self) {
        if self.sent == self.reply.len() {
            self.reply.clear();
            self.sent = 0;
            // Give memory back after a huge reply (e.g. KEYS *).
            if self.reply.capacity() > 1 << 20 {
                self.reply = Vec::new();
            }
        } else if self.sent > 64 * 1024 && self.sent * 2 > self.reply.len() {
            self.reply.drain(..self.sent);
            self.sent = 0;
        }
    }

    /// Flags for CLIENT LIST (`flags=`).
    pub fn flags_string(&self) -> String {
        let mut f = String::new();
        match self.kind {
            ClientKind::Replica => f.push('S'),
            ClientKind::Master => f.push('M'),
            ClientKind::PubSub => f.push('P'),
            ClientKind::Normal => {}
        }
        if self.monitor {
            f.push('O');
        }
        if self.multi.is_some() {
            f.push('x');
        }
        if self.blocked.is_some() {
            f.push('b');
        }
        if let Some(t) = self.tracking.as_deref() {
            f.push('t');
            if t.broken_redirect {
                f.push('R');
            }
            if t.bcast {
                f.push('B');
            }
        }
        if self.watch_dirty {
            f.push('d');
        }
        if self.close_after_reply {
            f.push('c');
        }
        if self.close_asap {
            f.push('A');
        }
        if self.no_evict {
            f.push('e');
        }
        if f.is_empty() {
            f.push('N');
        }
        f
    }
}
