//! `Server`: the single owner of all state, and the event loop that drives it.
//!
//! One thread does everything, as in Redis: accept connections, read
//! requests, execute commands, write replies, and run the periodic `cron`
//! (`hz` times per second) for active expiry, client timeouts and statistics.
//!
//! ```text
//!   loop {
//!     before_sleep()      flush replies, fast expiry cycle, free closed clients
//!     poll(timeout)       timeout = 0 if work is queued, else until next cron
//!     handle events       accept / read+execute / write
//!     cron() when due
//!   }
//! ```
//!
//! Clients live in a slab as `Option<Box<Client>>`. While a client's requests
//! run, its box is taken out of the slab so that a handler can hold
//! `&mut Server` and `&mut Client` at once; commands that look at other
//! clients (CLIENT LIST/KILL) see the slot as empty and are handed the
//! current client separately.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use log::{debug, info, warn};
use mio::net::TcpListener;
use slab::Slab;

use crate::client::{Client, ClientKind, ReplyMode};
use crate::cmd::{self, flags, Command, Ctx};
use crate::config::Config;
use crate::db::{clock, Db};
use crate::net;
use crate::reactor::{Reactor, Ready, Target};
use crate::resp::errors;
use crate::resp::parse::Parsed;
use crate::util;

/// Version reported as `redis_version` (client libraries gate features on it).
pub const REDIS_VERSION: &str = "7.0.15";
/// Our own version (`ferrodis_version` in INFO).
pub const FERRODIS_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Bytes read from a socket per read call.
const READ_CHUNK: usize = 16 * 1024;
/// Most bytes read from one client per event before serving others.
const MAX_READ_PER_EVENT: usize = 1024 * 1024;
/// Most bytes written to one client per turn before serving others
/// (Redis's NET_MAX_WRITES_PER_EVENT).
const MAX_WRITE_PER_EVENT: usize = 64 * 1024;
/// Arguments held on the stack while a command runs; longer commands spill
/// into a Vec.
const STACK_ARGV: usize = 16;

/// A write from a normal client on a `replica-read-only` replica.
const READONLY_REPLICA: &str = "READONLY You can't write against a read only replica.";
/// A command without the `stale` flag while the link to the master is down
/// and `replica-serve-stale-data` is off.
const MASTERDOWN: &str =
    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/// Set by the SIGTERM/SIGINT handler; the loop turns it into a shutdown.
static SHUTDOWN_SIGNAL: AtomicBool = AtomicBool::new(false);
/// Which signal asked for the shutdown (for the log line).
static SHUTDOWN_SIGNUM: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Counters behind INFO stats.
#[derive(Default, Debug)]
pub struct Stats {
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub rejected_connections: u64,
    pub expired_keys: u64,
    pub expired_stale_perc: f64,
    pub expired_time_cap_reached_count: u64,
    pub expire_cycle_cpu_ms: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub net_input_bytes: u64,
    pub net_output_bytes: u64,
    pub total_error_replies: u64,
    pub unexpected_error_replies: u64,
    pub total_reads_processed: u64,
    pub total_writes_processed: u64,
    pub client_recent_max_input_buffer: usize,
    pub client_recent_max_output_buffer: usize,
    /// Full syncs served, partial resyncs accepted / refused (INFO stats).
    pub sync_full: u64,
    pub sync_partial_ok: u64,
    pub sync_partial_err: u64,
    /// Full syncs by `repl::primary::FullSyncReason`.
    pub sync_full_reasons: [u64; 6],
    /// Error replies by code (`ERR`, `WRONGTYPE`, ...): INFO errorstats.
    pub errors: HashMap<String, u64>,
    /// Samples for instantaneous_ops_per_sec and the kbps figures.
    pub inst: InstantMetrics,
}

/// Ring of samples taken every 100 ms, as Redis's trackInstantaneousMetric.
#[derive(Default, Debug)]
pub struct InstantMetrics {
    last_sample_ms: i64,
    last_ops: u64,
    last_in: u64,
    last_out: u64,
    ops: [f64; 16],
    input: [f64; 16],
    output: [f64; 16],
    idx: usize,
}

impl InstantMetrics {
    fn sample(&mut self, now_ms: i64, ops: u64, input: u64, output: u64) {
        let dt = now_ms - self.last_sample_ms;
        if self.last_sample_ms != 0 && dt > 0 {
            let per_sec = |d: u64| d as f64 * 1000.0 / dt as f64;
            self.ops[self.idx] = per_sec(ops - self.last_ops);
            self.input[self.idx] = per_sec(input - self.last_in);
            self.output[self.idx] = per_sec(output - self.last_out);
            self.idx = (self.idx + 1) % 16;
        }
        self.last_sample_ms = now_ms;
        self.last_ops = ops;
        self.last_in = input;
        self.last_out = output;
    }

    pub fn ops_per_sec(&self) -> u64 {
        (self.ops.iter().sum::<f64>() / 16.0) as u64
    }

    pub fn input_kbps(&self) -> f64 {
        self.input.iter().sum::<f64>() / 16.0 / 1024.0
    }

    pub fn output_kbps(&self) -> f64 {
        self.output.iter().sum::<f64>() / 16.0 / 1024.0
    }
}

/// Per-command counters (INFO commandstats).
#[derive(Default, Debug, Clone)]
pub struct CmdStats {
    pub calls: u64,
    pub usec: u64,
    pub rejected_calls: u64,
    pub failed_calls: u64,
    /// Call durations, once called with `latency-tracking yes` (INFO
    /// latencystats, LATENCY HISTOGRAM).
    pub latency: Option<Box<crate::histogram::LatencyHistogram>>,
}

/// One entry of the command lookup table: a top-level command or a
/// subcommand, with its full name (`config|get`) and its counters.
pub struct CmdEntry {
    pub cmd: &'static Command,
    pub full_name: String,
    pub stats: CmdStats,
    /// Server-internal flags (`flags::PUBSUB_CONTEXT`, `flags::MULTI_CONTROL`),
    /// which Redis keeps out of COMMAND INFO.
    pub internal: u32,
}

impl CmdEntry {
    /// Whether the row or the internal flags carry `flag`.
    pub fn has(&self, flag: u32) -> bool {
        self.cmd.has(flag) || self.internal & flag != 0
    }
}

/// Commands a RESP2 subscriber may still send.
const PUBSUB_CONTEXT_COMMANDS: &[&str] = &[
    "ping",
    "subscribe",
    "psubscribe",
    "unsubscribe",
    "punsubscribe",
    "ssubscribe",
    "sunsubscribe",
    "quit",
    "reset",
];
/// Commands that act at once inside MULTI instead of being queued.
const MULTI_CONTROL_COMMANDS: &[&str] = &["exec", "discard", "multi", "watch", "quit", "reset"];

/// Name → command, built once at start-up from the static table.
pub struct CommandTable {
    pub entries: Vec<CmdEntry>,
    by_name: HashMap<Vec<u8>, usize>,
}

impl CommandTable {
    fn new() -> CommandTable {
        let mut t = CommandTable {
            entries: Vec::new(),
            by_name: HashMap::new(),
        };
        for c in cmd::COMMANDS {
            t.add(c, c.name.to_string());
            for s in c.subcommands {
                t.add(s, format!("{}|{}", c.name, s.name));
            }
        }
        t
    }

    fn add(&mut self, cmd: &'static Command, full_name: String) {
        self.by_name
            .insert(full_name.as_bytes().to_vec(), self.entries.len());
        let mut internal = 0;
        if PUBSUB_CONTEXT_COMMANDS.contains(&full_name.as_str()) {
            internal |= flags::PUBSUB_CONTEXT;
        }
        if MULTI_CONTROL_COMMANDS.contains(&full_name.as_str()) {
            internal |= flags::MULTI_CONTROL;
        }
        self.entries.push(CmdEntry {
            cmd,
            full_name,
            stats: CmdStats::default(),
            internal,
        });
    }

    /// Find a command (or `parent|sub`) by name, case-insensitively.
    pub fn lookup(&self, name: &[u8]) -> Option<usize> {
        if name.len() > 64 {
            return None;
        }
        let mut buf = [0u8; 64];
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        self.by_name.get(&lower[..]).copied()
    }

    /// Resolve argv to an entry: the subcommand for container commands.
    /// Errors are Redis's unknown command / subcommand / arity messages.
    fn resolve(&self, argv: &[&[u8]]) -> Result<usize, (Option<usize>, String)> {
        let Some(top) = self.lookup(argv[0]) else {
            return Err((None, errors::unknown_command(argv[0], &argv[1..])));
        };
        let cmd = self.entries[top].cmd;
        if cmd.subcommands.is_empty() {
            return Ok(top);
        }
        if argv.len() == 1 {
            return Err((Some(top), errors::wrong_arity(cmd.name)));
        }
        match cmd.subcommand(argv[1]) {
            Some(sub) => {
                let full = format!("{}|{}", cmd.name, sub.name);
                Ok(self.by_name[full.as_bytes()])
            }
            None => Err((
                Some(top),
                errors::unknown_subcommand(argv[1], &String::from_utf8_lossy(argv[0])),
            )),
        }
    }
}

/// A slow log entry (SLOWLOG GET).
pub struct SlowlogEntry {
    pub id: u64,
    pub time: i64,
    pub duration_us: u64,
    pub argv: Vec<Vec<u8>>,
    pub peer: String,
    pub name: Vec<u8>,
}

/// Listening socket and the address it serves.
struct Listener {
    socket: TcpListener,
    addr: SocketAddr,
}

pub struct Server {
    pub config: Config,
    pub dbs: Vec<Db>,
    /// Connections; a slot is `None` while its client is executing.
    pub clients: Slab<Option<Box<Client>>>,
    pub(crate) reactor: Reactor,
    listeners: Vec<Listener>,
    next_client_id: u64,
    /// Clients with replies to flush in `before_sleep`.
    pub(crate) pending_writes: Vec<usize>,
    /// Clients whose socket may hold unread bytes (read cap reached).
    pending_reads: Vec<usize>,
    /// The events of the current loop turn not handled yet. They live here,
    /// not in a local, because a handler may run a long load that serves
    /// clients meanwhile (`process_events_while_loading`): the poller is
    /// edge-triggered, so an event already taken from it is never reported
    /// again, and its client would wait for the whole load.
    turn_events: std::collections::VecDeque<Ready>,
    /// Clients to free at the end of the turn.
    to_close: Vec<usize>,
    pub commands: CommandTable,
    pub stats: Stats,
    /// Changes since the last save (rdb_changes_since_last_save).
    pub dirty: u64,
    pub lastsave: i64,
    pub start_time_ms: i64,
    /// 40 hex characters, new at each start (run_id in INFO).
    pub run_id: String,
    pub repl: crate::repl::ReplState,
    pub slowlog: std::collections::VecDeque<SlowlogEntry>,
    pub slowlog_next_id: u64,
    /// DEBUG SET-ACTIVE-EXPIRE.
    pub active_expire_enabled: bool,
    /// The last active expiry cycle found many stale keys, so `before_sleep`
    /// runs the fast cycle too.
    expire_stale_high: bool,
    last_fast_expire_us: u64,
    /// Set by SHUTDOWN or a signal; the loop exits at the end of the turn.
    pub shutdown_asap: bool,
    /// SHUTDOWN already did its final save (a signal's shutdown has not).
    pub shutdown_saved: bool,
    /// SHUTDOWN's (nosave, save, force) while it waits for replicas.
    pub shutdown_flags: Option<(bool, bool, bool)>,
    /// Until when (unix ms) a shutdown waits for lagging replicas.
    shutdown_deadline: Option<i64>,
    /// Path of the executable (INFO `executable`).
    pub executable: PathBuf,
    cronloops: u64,
    /// When the next cron is due (monotonic µs).
    next_cron_us: u64,
    /// Reusable buffer for keys deleted by the expiry cycle.
    expired_scratch: Vec<Box<[u8]>>,
    /// Where the running top-level command's reply starts in its client's
    /// buffer (tracking messages Redis sends mid-command go there).
    pub(crate) cmd_reply_start: usize,
    /// Client-side caching state (see tracking.rs).
    pub(crate) tracking: crate::tracking::Tracking,
    /// Client id → slab slot, for the clients tracking messages go to.
    pub(crate) client_slots: HashMap<crate::client::ClientId, usize>,
    /// WATCHed keys → slots of the clients watching them (see multi.rs).
    pub(crate) watched_keys: HashMap<(usize, Box<[u8]>), Vec<usize>>,
    /// Keys modified by the running command, to invalidate WATCHes after it.
    pub(crate) pending_touches: Vec<crate::multi::Touch>,
    /// The running command touched exactly the keys it changed (DEL of
    /// keys that may be missing): the call does not touch its key
    /// arguments after it.
    pub(crate) touched_exactly: bool,
    /// Pub/sub: channel → subscriber slots, and (pattern, slot) pairs.
    pub(crate) pubsub_channels: crate::pubsub::Subscribers,
    /// Sharded channels (SSUBSCRIBE): subscriber slots per channel.
    pub(crate) pubsub_shard_channels: crate::pubsub::Subscribers,
    pub(crate) pubsub_patterns: Vec<(Box<[u8]>, usize)>,
    /// Blocking: (db, key) → slots of blocked clients in arrival order.
    pub(crate) blocking_keys: HashMap<(usize, Box<[u8]>), std::collections::VecDeque<usize>>,
    /// Keys that received data while clients were blocked on them.
    pub(crate) ready_keys: Vec<(usize, Box<[u8]>)>,
    /// Slots of blocked clients, with their deadlines, for timeouts.
    pub(crate) blocked_clients: std::collections::BTreeSet<(i64, usize)>,
    /// Slots of MONITOR clients.
    pub(crate) monitors: Vec<usize>,
    /// Command propagation to the AOF and replicas (see propagate.rs).
    pub propagation: crate::propagate::Propagation,
    /// DEBUG PROPAGATION-LOG: a copy of the propagated stream, for tests.
    pub propagation_log: Option<Vec<u8>>,
    /// RDB persistence state (see persistence.rs).
    pub persistence: crate::persistence::Persistence,
    /// Append-only file state (see aof_server.rs).
    pub aof: crate::aof_server::Aof,
    /// Loading a dataset (INFO `loading:1`).
    pub loading: bool,
    /// Loading in the background of a served dataset (Redis's
    /// `async_loading`): a replica's `repl-diskless-load swapdb` full sync
    /// from the master whose history we already hold. The old dataset
    /// stays readable; only `no-async-loading` commands get -LOADING.
    pub async_loading: bool,
    /// Progress of that load.
    pub loading_progress: crate::persistence::LoadingProgress,
    /// Clients in WAIT (see repl/wait.rs).
    pub wait: crate::repl::wait::WaitState,
    /// LATENCY samples.
    pub latency: crate::latency::LatencyMonitor,
    /// Parsed `notify-keyspace-events` (see pubsub.rs).
    pub(crate) notify_flags: u32,
    /// CLIENT PAUSE in force: (end time in unix ms, pause every command).
    pub(crate) pause: Option<(i64, bool)>,
    /// Clients holding a command back until the pause ends.
    pub(crate) paused_clients: Vec<usize>,
    /// A command from our master is running: keys are never treated as
    /// expired (the master decides, and sends DEL), as Redis's
    /// expireIfNeeded does for the master client.
    pub(crate) executing_master: bool,
}

/// Outcome of a read from a client socket.
enum ReadOutcome {
    /// Bytes were read (or none yet); keep the connection.
    Open,
    /// The cap was reached: more may be waiting.
    Capped,
    /// EOF or error: close.
    Closed,
}

impl Server {
    /// Build the server from a loaded configuration: databases, listeners,
    /// poller. Fails (with a message fit for the log) if no listener could
    /// be bound.
    pub fn new(config: Config) -> Result<Server, String> {
        let reactor = Reactor::new().map_err(|e| format!("Failed creating the event loop: {e}"))?;
        let now = util::now_ms();
        let databases = config.databases.max(1) as usize;
        let mut srv = Server {
            dbs: (0..databases).map(Db::new).collect(),
            clients: Slab::new(),
            reactor,
            listeners: Vec::new(),
            next_client_id: 1,
            pending_writes: Vec::new(),
            pending_reads: Vec::new(),
            turn_events: std::collections::VecDeque::new(),
            to_close: Vec::new(),
            commands: CommandTable::new(),
            stats: Stats::default(),
            dirty: 0,
            lastsave: now / 1000,
            start_time_ms: now,
            run_id: util::random_hex(40),
            repl: crate::repl::ReplState::new(),
            slowlog: Default::default(),
            slowlog_next_id: 0,
            active_expire_enabled: true,
            expire_stale_high: false,
            last_fast_expire_us: 0,
            shutdown_asap: false,
            shutdown_saved: false,
            shutdown_flags: None,
            shutdown_deadline: None,
            executable: std::env::current_exe().unwrap_or_default(),
            cronloops: 0,
            next_cron_us: 0,
            expired_scratch: Vec::new(),
            cmd_reply_start: 0,
            tracking: crate::tracking::Tracking::default(),
            client_slots: HashMap::new(),
            watched_keys: HashMap::new(),
            pending_touches: Vec::new(),
            touched_exactly: false,
            pubsub_channels: HashMap::new(),
            pubsub_shard_channels: HashMap::new(),
            pubsub_patterns: Vec::new(),
            blocking_keys: HashMap::new(),
            ready_keys: Vec::new(),
            blocked_clients: Default::default(),
            monitors: Vec::new(),
            pause: None,
            paused_clients: Vec::new(),
            executing_master: false,
            latency: Default::default(),
            wait: Default::default(),
            persistence: Default::default(),
            aof: Default::default(),
            propagation: crate::propagate::Propagation {
                stream_db: -1,
                ..Default::default()
            },
            propagation_log: None,
            loading: false,
            async_loading: false,
            loading_progress: Default::default(),
            notify_flags: crate::pubsub::parse_event_flags(&config.notify_keyspace_events),
            config,
        };
        srv.bind_listeners()?;
        clock::configure(clock::Settings::from_config(&srv.config));
        clock::set_now(now);
        // `replicaof` from the config file or the command line: the cron
        // connects once the loop runs (after the dataset is loaded, which
        // already happens in replica mode: expired keys are kept).
        if let Some((host, port)) = srv.config.replicaof.clone() {
            srv.repl.replica = Some(crate::repl::replica::ReplicaState::new(host, port));
            crate::logging::set_role(b'S');
        }
        Ok(srv)
    }

    /// Close the current listeners, then bind every `bind` address on
    /// `port` and start watching the new sockets. Redis's rules: a failure is
    /// logged; it is ignored for an optional (`-`) address or when the
    /// address family or address is not available here, and fatal otherwise.
    /// The old sockets are closed first because the new ones may reuse their
    /// port (CONFIG SET bind); on failure the caller restores the previous
    /// configuration and binds again.
    fn bind_listeners(&mut self) -> Result<(), String> {
        for mut old in std::mem::take(&mut self.listeners) {
            self.reactor.deregister(&mut old.socket);
        }
        let port = self.config.port;
        let mut fresh = Vec::new();
        if port != 0 {
            let backlog = self.config.tcp_backlog.clamp(1, i32::MAX as i64) as i32;
            for entry in &self.config.bind {
                let bind = net::parse_bind(entry)?;
                let addr = SocketAddr::new(bind.ip, port as u16);
                match net::listen(addr, backlog) {
                    Ok(socket) => fresh.push(Listener { socket, addr }),
                    Err(e) => {
                        warn!(
                            "Warning: Could not create server TCP listening socket {}:{}: bind: {}",
                            bind.text,
                            port,
                            os_error_text(&e)
                        );
                        let skippable = matches!(
                            e.raw_os_error(),
                            Some(libc::EAFNOSUPPORT)
                                | Some(libc::EPROTONOSUPPORT)
                                | Some(libc::ESOCKTNOSUPPORT)
                                | Some(libc::ENOPROTOOPT)
                                | Some(libc::EADDRNOTAVAIL)
                        );
                        if !(bind.optional || skippable) {
                            return Err(format!(
                                "Failed listening on port {port} (TCP), aborting."
                            ));
                        }
                    }
                }
            }
            if fresh.is_empty() {
                return Err(format!("Failed listening on port {port} (TCP), aborting."));
            }
        }
        for (n, mut l) in fresh.into_iter().enumerate() {
            self.reactor
                .register(&mut l.socket, Target::Listener(n), false)
                .map_err(|e| format!("Failed registering listener: {e}"))?;
            self.listeners.push(l);
        }
        Ok(())
    }

    /// CONFIG SET port/bind: listen on the new addresses, or keep the old
    /// ones and report failure.
    pub fn rebind(&mut self) -> Result<(), String> {
        self.bind_listeners()
            .inspect_err(|_| warn!("Failed to bind"))
    }

    /// Install the signal handlers: SIGTERM/SIGINT request a clean shutdown,
    /// SIGPIPE is ignored (a closed peer shows up as a write error).
    pub fn install_signal_handlers() {
        extern "C" fn on_shutdown_signal(sig: libc::c_int) {
            SHUTDOWN_SIGNUM.store(sig, Ordering::SeqCst);
            SHUTDOWN_SIGNAL.store(true, Ordering::SeqCst);
        }
        // SAFETY: the handler only stores to atomics, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            let handler = on_shutdown_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::signal(libc::SIGTERM, handler);
            libc::signal(libc::SIGINT, handler);
        }
    }

    /// Run the event loop until shutdown. Returns the process exit code.
    pub fn run(&mut self) -> i32 {
        let mut ready = Vec::with_capacity(1024);
        self.next_cron_us = util::monotonic_us();
        loop {
            self.before_sleep();
            let relay_capped = self
                .repl
                .primary
                .diskless
                .as_ref()
                .is_some_and(|t| t.capped);
            let timeout =
                if self.pending_reads.is_empty() && self.pending_writes.is_empty() && !relay_capped
                {
                    let now = util::monotonic_us();
                    let mut t = Duration::from_micros(self.next_cron_us.saturating_sub(now));
                    if let Some(&(deadline, _)) = self.blocked_clients.first() {
                        let left = (deadline - util::now_ms()).max(0) as u64;
                        t = t.min(Duration::from_millis(left));
                    }
                    if self.rdb_tail_active() {
                        t = t.min(crate::repl::rdb_tail::TAIL_POLL);
                    }
                    t
                } else {
                    Duration::ZERO
                };
            if let Err(e) = self.reactor.poll(Some(timeout), &mut ready) {
                warn!("poll failed: {e}");
                return 1;
            }
            self.turn_events.extend(ready.drain(..));
            while let Some(ev) = self.turn_events.pop_front() {
                self.handle_event(ev);
            }
            self.continue_capped_reads();
            if relay_capped {
                self.diskless_pipe_readable();
            }
            if self.rdb_tail_active() {
                self.rdb_tail_tick();
            }
            self.handle_blocked_timeouts(util::now_ms());
            self.check_pause_end(util::now_ms());
            if util::monotonic_us() >= self.next_cron_us {
                self.cron();
                let period = 1_000_000 / self.config.hz.clamp(1, 500) as u64;
                self.next_cron_us = util::monotonic_us() + period;
            }
            if SHUTDOWN_SIGNAL.swap(false, Ordering::SeqCst) {
                let name = match SHUTDOWN_SIGNUM.load(Ordering::SeqCst) {
                    libc::SIGINT => "SIGINT",
                    _ => "SIGTERM",
                };
                warn!("Received {name} scheduling shutdown...");
                self.shutdown_asap = true;
            }
            if self.shutdown_asap && !self.shutdown_waits_for_replicas(util::now_ms()) {
                if self.prepare_for_shutdown() {
                    return 0;
                }
                self.shutdown_asap = false;
                self.shutdown_flags = None;
            }
        }
    }

    /// Answer clients while a long load runs (called from the loader every
    /// 100 ms or so): accept, read and execute — commands without the
    /// `loading` flag get -LOADING — and write replies. The master link is
    /// left alone: the load itself is part of its handling.
    pub(crate) fn process_events_while_loading(&mut self) {
        // First what the turn that started the load had not handled yet
        // (see `turn_events`), and clients that stopped at the read cap.
        let (master, carried): (Vec<Ready>, Vec<Ready>) = std::mem::take(&mut self.turn_events)
            .into_iter()
            .partition(|ev| ev.target == Target::MasterLink);
        self.turn_events.extend(master);
        for ev in carried {
            self.handle_event(ev);
        }
        self.continue_capped_reads();
        let mut ready = Vec::new();
        if self.reactor.poll(Some(Duration::ZERO), &mut ready).is_err() {
            return;
        }
        for ev in ready {
            if ev.target != Target::MasterLink {
                self.handle_event(ev);
            }
        }
        let pending = std::mem::take(&mut self.pending_writes);
        for slot in pending {
            self.write_to_client(slot);
        }
        self.free_closed_clients();
    }

    fn handle_event(&mut self, ev: Ready) {
        match ev.target {
            Target::Listener(n) => self.accept(n),
            Target::MasterLink => self.handle_master_link_event(ev),
            Target::ChildPipe => self.diskless_pipe_readable(),
            Target::Client(slot) => {
                if ev.writable {
                    self.write_to_client(slot);
                }
                if ev.readable {
                    self.read_and_process(slot);
                }
            }
        }
    }

    // ----------------------------------------------------------------------
    // Connections
    // ----------------------------------------------------------------------

    fn accept(&mut self, n: usize) {
        loop {
            let (mut stream, addr) = match self.listeners[n].socket.accept() {
                Ok(pair) => pair,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    warn!("Accepting client connection: {e}");
                    return;
                }
            };
            self.stats.total_connections_received += 1;
            if self.clients.len() as i64 >= self.config.maxclients {
                // Redis writes the error straight to the socket and closes it.
                let _ = stream.write_all(b"-ERR max number of clients reached\r\n");
                self.stats.rejected_connections += 1;
                continue;
            }
            if self.config.protected_mode
                && self.config.requirepass.is_empty()
                && !addr.ip().is_loopback()
                && !addr.ip().to_canonical().is_loopback()
            {
                // Same refusal as Redis: one error line, then close.
                let _ = stream.write_all(errors::PROTECTED_MODE.as_bytes());
                self.stats.rejected_connections += 1;
                continue;
            }
            net::tune_client_socket(&stream, self.config.tcp_keepalive);
            let laddr = stream.local_addr().unwrap_or(self.listeners[n].addr);
            let slot = self.clients.vacant_key();
            if let Err(e) = self
                .reactor
                .register(&mut stream, Target::Client(slot), false)
            {
                warn!("Error registering fd event for the new client: {e}");
                continue;
            }
            let id = self.new_client_id();
            let authenticated = self.config.requirepass.is_empty();
            let client = Client::new(id, slot, stream, addr, laddr, util::now_ms(), authenticated);
            self.clients.insert(Some(Box::new(client)));
            self.client_slots.insert(id, slot);
            debug!("Accepted {addr}");
        }
    }

    /// `client-output-buffer-limit` for the client's class (normal, replica,
    /// pubsub): over the hard limit, or over the soft limit for longer than
    /// its seconds, the client must be closed (Redis logs it and closes it
    /// asap, so a slow or stuck reader cannot make the server's memory grow
    /// without bound). A zero limit means none. Keeps the soft-limit clock.
    pub fn output_limit_reached(&mut self, c: &mut Client, now_ms: i64) -> bool {
        let class = match c.kind {
            ClientKind::Replica => 1,
            ClientKind::PubSub => 2,
            ClientKind::Normal | ClientKind::Master => 0,
        };
        // The master link's replies are suppressed; never limit it.
        if c.kind == ClientKind::Master {
            return false;
        }
        let (hard, soft, secs) = self.config.client_output_buffer_limit[class];
        let used = (c.pending_reply_bytes() + self.replica_stream_pending(c)) as i64;
        let hard_hit = hard > 0 && used >= hard;
        let soft_hit = soft > 0 && used >= soft;
        if !soft_hit {
            c.obuf_soft_since = None;
        }
        let soft_expired = match (soft_hit, c.obuf_soft_since) {
            (true, None) => {
                c.obuf_soft_since = Some(now_ms);
                secs == 0
            }
            (true, Some(since)) => now_ms - since > secs * 1000,
            (false, _) => false,
        };
        if hard_hit || soft_expired {
            warn!(
                "Client {} scheduled to be closed ASAP for overcoming of output buffer limits.",
                describe_client(c)
            );
            return true;
        }
        false
    }

    /// A fresh, never reused client id.
    pub(crate) fn new_client_id(&mut self) -> u64 {
        let id = self.next_client_id;
        self.next_client_id += 1;
        id
    }

    /// Queue a client whose reply buffer grew outside its own command
    /// (pub/sub messages, unblocking) for the write in `before_sleep`.
    pub(crate) fn queue_write(&mut self, slot: usize) {
        self.pending_writes.push(slot);
    }

    /// Queue a write for client `slot` unless one is queued already (a
    /// client in the slab only; one taken out is queued by `put_client`).
    pub(crate) fn schedule_write(&mut self, slot: usize) {
        if let Some(Some(c)) = self.clients.get_mut(slot) {
            if !c.pending_write {
                c.pending_write = true;
                self.pending_writes.push(slot);
            }
        }
    }

    /// Register (or drop) WRITABLE interest for a client in the slab.
    pub(crate) fn set_client_writable(&mut self, slot: usize, on: bool) {
        if let Some(Some(c)) = self.clients.get_mut(slot) {
            if c.write_registered != on {
                c.write_registered = on;
                let _ = self
                    .reactor
                    .set_writable(&mut c.stream, Target::Client(slot), on);
            }
        }
    }

    /// Mark a client to be freed at the end of the turn.
    pub fn close_client_later(&mut self, slot: usize) {
        if let Some(Some(c)) = self.clients.get_mut(slot) {
            if !c.close_asap {
                c.close_asap = true;
                self.to_close.push(slot);
            }
        }
    }

    fn free_client(&mut self, slot: usize) {
        if let Some(Some(mut c)) = self.clients.try_remove(slot) {
            self.client_slots.remove(&c.id);
            self.tracking_disable(&mut c);
            self.unwatch_all(&mut c);
            self.unsubscribe_all(&mut c);
            self.forget_waiter(&c);
            self.unblock_client(&mut c);
            self.monitors.retain(|&s| s != slot);
            self.paused_clients.retain(|&s| s != slot);
            self.replica_freed(&c);
            self.reactor.deregister(&mut c.stream);
            if c.kind == ClientKind::Master {
                self.replica_master_freed(slot, c.db);
            }
            debug!("Client closed connection {}", c.addr);
        }
    }

    fn free_closed_clients(&mut self) {
        while let Some(slot) = self.to_close.pop() {
            self.free_client(slot);
        }
    }

    /// Read what the socket has (until WouldBlock or the per-event cap).
    fn read_from_client(&mut self, c: &mut Client) -> ReadOutcome {
        let mut total = 0;
        loop {
            // Size the read for a big argument being received, so a large
            // bulk arrives in few syscalls (as Redis does for big args).
            let want = c
                .parser
                .pending_bulk()
                .map(|n| n.saturating_sub(c.query_buf.len() - c.parser.request_start()))
                .filter(|&n| n > READ_CHUNK)
                .unwrap_or(READ_CHUNK)
                .min(MAX_READ_PER_EVENT);
            match net::read_into_spare(&c.stream, &mut c.query_buf, want) {
                Ok(0) => return ReadOutcome::Closed,
                Ok(n) => {
                    total += n;
                    self.stats.net_input_bytes += n as u64;
                    self.stats.total_reads_processed += 1;
                    if total >= MAX_READ_PER_EVENT {
                        return ReadOutcome::Capped;
                    }
                    // A short read drained the socket: with edge-triggered
                    // polling, data arriving later raises a new event, so
                    // the extra read that would only say WouldBlock is saved.
                    if n < want {
                        return ReadOutcome::Open;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return ReadOutcome::Open,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    debug!("Reading from client: {e}");
                    return ReadOutcome::Closed;
                }
            }
        }
    }

    /// Readable event: read, then execute every complete request.
    fn read_and_process(&mut self, slot: usize) {
        let Some(mut c) = self.take_client(slot) else {
            return;
        };
        if c.close_asap {
            self.put_client(c);
            return;
        }
        match self.read_from_client(&mut c) {
            ReadOutcome::Closed => {
                self.put_client(c);
                self.close_client_later(slot);
                return;
            }
            ReadOutcome::Capped => self.pending_reads.push(slot),
            ReadOutcome::Open => {}
        }
        c.last_interaction_ms = util::now_ms();
        self.process_input(&mut c);
        if c.query_buf.len() as i64 > self.config.client_query_buffer_limit {
            warn!(
                "Closing client that reached max query buffer length: {} (qbuf initial bytes: {:?})",
                describe_client(&c),
                String::from_utf8_lossy(&c.query_buf[..c.query_buf.len().min(64)])
            );
            c.close_asap = true;
            self.to_close.push(slot);
        }
        self.stats.client_recent_max_input_buffer = self
            .stats
            .client_recent_max_input_buffer
            .max(c.query_buf.capacity());
        self.put_client(c);
    }

    /// Clients that hit the read cap get another turn without waiting for an
    /// event (edge-triggered: no new event would come for data already there).
    fn continue_capped_reads(&mut self) {
        let pending = std::mem::take(&mut self.pending_reads);
        for slot in pending {
            self.read_and_process(slot);
        }
    }

    pub(crate) fn take_client(&mut self, slot: usize) -> Option<Box<Client>> {
        self.clients.get_mut(slot).and_then(|s| s.take())
    }

    pub(crate) fn put_client(&mut self, c: Box<Client>) {
        let slot = c.slot;
        if c.has_pending_reply() && !c.pending_write {
            self.pending_writes.push(slot);
        }
        let mut c = c;
        if c.has_pending_reply()
            && !c.close_asap
            && self.output_limit_reached(&mut c, util::now_ms())
        {
            c.close_asap = true;
        }
        if c.has_pending_reply() {
            c.pending_write = true;
        }
        if c.close_asap && !self.to_close.contains(&slot) {
            self.to_close.push(slot);
        }
        if let Some(s) = self.clients.get_mut(slot) {
            *s = Some(c);
        }
    }

    /// Execute every complete request in the client's query buffer.
    pub(crate) fn process_input(&mut self, c: &mut Client) {
        let qb = std::mem::take(&mut c.query_buf);
        let mut parser = std::mem::take(&mut c.parser);
        let max_bulk = self.config.proto_max_bulk_len;
        let from_master = c.kind == ClientKind::Master;
        loop {
            if c.close_after_reply
                || c.close_asap
                || c.blocked.is_some()
                || c.paused_cmd.is_some()
                || c.waiting
            {
                break;
            }
            // Where this request starts: the master's stream is accounted
            // byte for byte (replication offset, forwarding).
            let start = parser.consumed();
            match parser.parse(&qb, c.authenticated, max_bulk) {
                Parsed::Incomplete => break,
                Parsed::Empty => {
                    if from_master {
                        self.master_command_done(c, &qb[start..parser.consumed()]);
                    }
                    continue;
                }
                Parsed::Command => {
                    let src = parser.arg_bytes(&qb);
                    let spans = parser.args();
                    c.argv_mem = spans.iter().map(|(s, e)| e - s).sum();
                    if spans.len() <= STACK_ARGV {
                        let mut argv: [&[u8]; STACK_ARGV] = [&[]; STACK_ARGV];
                        for (i, &(s, e)) in spans.iter().enumerate() {
                            argv[i] = &src[s..e];
                        }
                        if from_master {
                            self.process_master_command(c, &argv[..spans.len()]);
                        } else {
                            self.process_command(c, &argv[..spans.len()]);
                        }
                    } else {
                        let argv: Vec<&[u8]> = spans.iter().map(|&(s, e)| &src[s..e]).collect();
                        if from_master {
                            self.process_master_command(c, &argv);
                        } else {
                            self.process_command(c, &argv);
                        }
                    }
                    if from_master {
                        self.master_command_done(c, &qb[start..parser.consumed()]);
                    }
                }
                Parsed::Error(msg) => {
                    self.protocol_error(c, msg);
                    break;
                }
                Parsed::ErrorOwned(msg) => {
                    self.protocol_error(c, &msg);
                    break;
                }
            }
        }
        // Drop what was executed; keep a half-received request.
        let done = parser.consumed();
        let mut qb = qb;
        if done == qb.len() {
            qb.clear();
            if qb.capacity() > 1 << 20 {
                qb = Vec::new();
            }
        } else if done > 0 {
            qb.drain(..done);
        }
        parser.shift(done);
        c.query_buf = qb;
        c.parser = parser;
    }

    /// Reply to a malformed request and close after the reply, as Redis does.
    fn protocol_error(&mut self, c: &mut Client, msg: &str) {
        debug!("Protocol error ({msg}) from client: {}", describe_client(c));
        let full = format!("ERR {msg}");
        self.count_error(&full);
        c.add_error(&full);
        c.close_after_reply = true;
    }

    /// Count an error reply in INFO errorstats / total_error_replies.
    pub fn count_error(&mut self, msg: &str) {
        let code = msg.split(' ').next().unwrap_or("ERR");
        self.stats.total_error_replies += 1;
        if let Some(n) = self.stats.errors.get_mut(code) {
            *n += 1;
        } else if self.stats.errors.len() < 128 {
            self.stats.errors.insert(code.to_string(), 1);
        }
    }

    /// Run a command whose argv is owned elsewhere (a command held back by
    /// CLIENT PAUSE).
    pub(crate) fn process_command_owned(&mut self, c: &mut Client, argv: &[&[u8]]) {
        self.process_command(c, argv);
    }

    /// Look up, check and run one command (Redis's processCommand + call).
    fn process_command(&mut self, c: &mut Client, argv: &[&[u8]]) {
        let skip_this = c.reply_mode == ReplyMode::SkipNext;
        if skip_this {
            c.reply_mode = ReplyMode::On;
        }
        let reply_start = c.reply.len();
        let was_replica = c.kind == ClientKind::Replica;
        self.cmd_reply_start = c.reply.len();
        self.dispatch(c, argv);
        // CLIENT CACHING lasts for the next command: a transaction's
        // queue and CLIENT's own subcommands keep it (Redis's resetClient).
        if let Some(t) = c.tracking.as_deref_mut() {
            if c.multi.is_none() && !argv[0].eq_ignore_ascii_case(b"client") {
                t.caching = false;
            }
        }
        if skip_this || c.reply_mode == ReplyMode::Off {
            c.reply.truncate(reply_start.max(c.sent));
        }
        if was_replica && c.reply.len() > reply_start {
            // A replica's output is its stream: a reply would land inside
            // it. Redis 7.0 drops such a replica, and so do we.
            c.reply.truncate(reply_start);
            warn!(
                "Replica generated a reply to command '{}', disconnecting it: {}",
                c.last_cmd,
                crate::cmd::connection::client_info_line(
                    c,
                    util::now_ms(),
                    self.replica_stream_pending(c)
                )
            );
            c.close_asap = true;
        }
    }

    pub(crate) fn dispatch(&mut self, c: &mut Client, argv: &[&[u8]]) {
        let idx = match self.commands.resolve(argv) {
            Ok(i) => i,
            Err((top, msg)) => {
                if let Some(t) = top {
                    self.commands.entries[t].stats.rejected_calls += 1;
                }
                if c.multi.is_some() {
                    c.multi_error = true;
                }
                self.count_error(&msg);
                c.add_error(&msg);
                return;
            }
        };
        let cmd = self.commands.entries[idx].cmd;
        if !cmd.arity_ok(argv.len()) {
            let msg = errors::wrong_arity(&self.commands.entries[idx].full_name);
            self.reject(c, idx, &msg);
            return;
        }
        if !c.authenticated && !cmd.has(flags::NO_AUTH) {
            self.reject(c, idx, errors::NOAUTH);
            return;
        }
        if self.loading
            && !self.async_loading
            && !cmd.has(flags::LOADING)
            && c.id != crate::client::AOF_CLIENT_ID
        {
            self.reject(c, idx, "LOADING Redis is loading the dataset in memory");
            return;
        }
        if self.async_loading && cmd.has(flags::NO_ASYNC_LOADING) {
            self.reject(c, idx, "LOADING Redis is loading the dataset in memory");
            return;
        }
        let entry = &self.commands.entries[idx];
        if c.resp == 2 && c.subscription_count() > 0 && !entry.has(flags::PUBSUB_CONTEXT) {
            let msg = format!(
                "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                self.commands.entries[idx].full_name
            );
            self.reject(c, idx, &msg);
            return;
        }
        // Redis refuses PING too, so monitoring notices the disk error.
        let misconf_applies =
            cmd.has(flags::WRITE) || cmd.has(flags::DENYOOM) || cmd.name == "ping";
        // Our master's commands are obeyed whatever our local state.
        let obey = c.kind == ClientKind::Master;
        if !obey && cmd.has(flags::WRITE) && self.not_enough_good_replicas(util::now_ms()) {
            self.reject(c, idx, "NOREPLICAS Not enough good replicas to write.");
            return;
        }
        if misconf_applies && !obey && self.writes_refused_by_misconf() {
            self.reject(c, idx, errors::MISCONF);
            return;
        }
        if misconf_applies
            && !obey
            && self.aof.status != crate::aof_server::AofStatus::Off
            && !self.aof.last_write_ok
        {
            let msg = format!(
                "MISCONF Errors writing to the AOF file: {}",
                self.aof.last_write_error
            );
            self.reject(c, idx, &msg);
            return;
        }
        if !obey && cmd.has(flags::WRITE) && self.config.replica_read_only && self.repl.is_replica()
        {
            self.reject(c, idx, READONLY_REPLICA);
            return;
        }
        if !obey && !cmd.has(flags::STALE) && self.replica_link_down_refuses() {
            self.reject(c, idx, MASTERDOWN);
            return;
        }
        if c.multi.is_some() && !self.commands.entries[idx].has(flags::MULTI_CONTROL) {
            self.queue_multi_command(c, idx, argv);
            return;
        }
        if self.must_pause(c, cmd) {
            c.paused_cmd = Some(argv.iter().map(|a| a.to_vec()).collect());
            self.paused_clients.push(c.slot);
            return;
        }
        self.call(c, idx, argv);
        self.after_command(c);
    }

    /// Work that follows a top-level command: WATCH invalidation, clients
    /// blocked on keys the command filled, and pending keyspace effects.
    pub(crate) fn after_command(&mut self, c: &mut Client) {
        let offset = self.repl.master_repl_offset;
        self.flush_propagation();
        if self.repl.master_repl_offset != offset {
            // What WAIT will require replicas to acknowledge.
            c.woff = self.repl.master_repl_offset;
        }
        if !self.pending_touches.is_empty() {
            self.apply_touches(c);
        }
        // Its own invalidations follow the client's reply.
        self.tracking_deliver(Some(c));
        if !self.ready_keys.is_empty() {
            self.serve_blocked_clients(c);
        }
    }

    fn reject(&mut self, c: &mut Client, idx: usize, msg: &str) {
        self.commands.entries[idx].stats.rejected_calls += 1;
        // A refused EXEC ends the transaction, and says why (Redis's
        // execCommandAbort), in MULTI or not; Redis words the reason
        // without the generic ERR code but keeps any other.
        if self.commands.entries[idx].full_name == "exec" {
            self.discard_transaction(c);
            let reason = msg.strip_prefix("ERR ").unwrap_or(msg);
            let abort = format!("EXECABORT Transaction discarded because of: {reason}");
            self.count_error(&abort);
            c.add_error(&abort);
            return;
        }
        // A command refused while queueing dooms the transaction (EXECABORT).
        if c.multi.is_some() {
            c.multi_error = true;
        }
        self.count_error(msg);
        c.add_error(msg);
    }

    /// Positions in `argv` of the keys command `idx` may have written, for
    /// WATCH: the keys its key specs do not mark read-only. Redis signals
    /// only what a command writes, so `SUNIONSTORE dst src` leaves a WATCH
    /// on `src` alone. Keys found by a command's own routine (no flags)
    /// count as written; so do first/last/step's for a command without key
    /// specs. Specs that cannot place their keys (SORT's STORE) leave it to
    /// the handler.
    fn written_key_positions(&self, idx: usize, argv: &[&[u8]]) -> Vec<usize> {
        use crate::cmd::meta::{get_keys, key_specs, K_OW, K_RM, K_RW};
        let entry = &self.commands.entries[idx];
        let keys = get_keys(&entry.full_name, entry.cmd.arity, argv);
        if keys.is_empty() {
            if !key_specs(&entry.full_name).is_empty() {
                return Vec::new();
            }
            return entry.cmd.key_positions(argv.len());
        }
        keys.into_iter()
            .filter(|k| k.flags == 0 || k.flags & (K_RW | K_OW | K_RM) != 0)
            .map(|k| k.pos)
            .collect()
    }

    /// Run the handler of entry `idx` with statistics and the slow log.
    pub(crate) fn call(&mut self, c: &mut Client, idx: usize, argv: &[&[u8]]) {
        let cmd = self.commands.entries[idx].cmd;
        if !self.monitors.is_empty() && !cmd.has(flags::SKIP_MONITOR) && !cmd.has(flags::ADMIN) {
            self.feed_monitors(c, argv);
        }
        let dirty_before = self.dirty;
        self.touched_exactly = false;
        if c.last_cmd != self.commands.entries[idx].full_name {
            c.last_cmd.clear();
            c.last_cmd.push_str(&self.commands.entries[idx].full_name);
        }
        let start = util::monotonic_us();
        let now_ms = util::now_ms();
        c.block_requested = false;
        // Keys created or touched by the command carry this time.
        clock::set_now(now_ms);
        let result = {
            let mut ctx = Ctx {
                srv: self,
                c,
                now_ms,
            };
            (cmd.handler)(&mut ctx, argv)
        };
        let duration = util::monotonic_us().saturating_sub(start);
        match c.blocked.as_mut() {
            // It blocked: counted once, when it is served or gives up
            // (Redis's updateStatsOnUnblock).
            Some(b) if c.block_requested => b.call_us += duration,
            _ => self.count_call(idx, duration, false),
        }
        c.last_interaction_ms = now_ms;
        if let Err(e) = result {
            self.commands.entries[idx].stats.failed_calls += 1;
            self.count_error(&e.0);
            c.add_error(&e.0);
        }
        self.stats.total_commands_processed += 1;
        if c.kind == ClientKind::Master {
            // The master's stream is forwarded byte for byte by the replica
            // side (see repl/replica.rs): never propagate it a second time.
            self.propagation.pending.clear();
            self.propagation.replaced = false;
        } else if cmd.has(flags::WRITE) {
            self.propagate_after_call(c.db, argv, self.dirty != dirty_before);
        } else if cmd.has(flags::READONLY) && self.dirty > dirty_before {
            // A read command that changed the dataset (PFCOUNT storing its
            // count in the string) is propagated too, as Redis does. EXEC
            // is neither: its commands were propagated one by one.
            self.propagate_after_call(c.db, argv, true);
        } else {
            self.propagation.replaced = false;
        }
        if cmd.has(flags::READONLY) && c.tracking.is_some() {
            self.tracking_remember_keys(c, idx, argv);
        }
        if self.dirty != dirty_before
            && (!self.watched_keys.is_empty() || self.tracking.active())
            && !self.touched_exactly
        {
            // A write changed the dataset: the keys it writes may be
            // WATCHed, or cached by tracking clients.
            for p in self.written_key_positions(idx, argv) {
                self.touch_key(c.db, argv[p]);
            }
        }
        if !cmd.has(flags::SKIP_SLOWLOG) {
            self.slowlog_push(c, argv, duration, now_ms);
        }
        let threshold = self.config.latency_monitor_threshold;
        if threshold > 0 && duration / 1000 >= threshold as u64 {
            let event = if cmd.has(flags::FAST) {
                "fast-command"
            } else {
                "command"
            };
            self.latency
                .add_sample(event, now_ms / 1000, duration / 1000);
        }
    }

    /// One call of command `idx` in INFO commandstats and its latency
    /// histogram.
    pub(crate) fn count_call(&mut self, idx: usize, duration_us: u64, failed: bool) {
        let latency_tracking = self.config.latency_tracking;
        let Some(entry) = self.commands.entries.get_mut(idx) else {
            return;
        };
        let s = &mut entry.stats;
        s.calls += 1;
        s.usec += duration_us;
        if failed {
            s.failed_calls += 1;
        }
        if latency_tracking {
            s.latency
                .get_or_insert_with(Default::default)
                .record(duration_us * 1000);
        }
    }

    fn slowlog_push(&mut self, c: &Client, argv: &[&[u8]], duration_us: u64, now_ms: i64) {
        let threshold = self.config.slowlog_log_slower_than;
        if threshold < 0 || (duration_us as i64) < threshold {
            return;
        }
        // Redis keeps at most 32 arguments and 128 bytes of each.
        let mut args: Vec<Vec<u8>> = Vec::new();
        let keep = argv.len().min(32);
        for (i, a) in argv.iter().take(keep).enumerate() {
            if i == 31 && argv.len() > 32 {
                args.push(format!("... ({} more arguments)", argv.len() - 31).into_bytes());
                break;
            }
            if a.len() > 128 {
                let mut v = a[..128].to_vec();
                v.extend_from_slice(format!("... ({} more bytes)", a.len() - 128).as_bytes());
                args.push(v);
            } else {
                args.push(a.to_vec());
            }
        }
        self.slowlog.push_front(SlowlogEntry {
            id: self.slowlog_next_id,
            time: now_ms / 1000,
            duration_us,
            argv: args,
            peer: c.addr.to_string(),
            name: c.name.clone().unwrap_or_default(),
        });
        self.slowlog_next_id += 1;
        let max = self.config.slowlog_max_len.max(0) as usize;
        self.slowlog.truncate(max);
    }

    // ----------------------------------------------------------------------
    // Writing replies
    // ----------------------------------------------------------------------

    /// Write as much of the client's reply as the socket takes. Registers
    /// WRITABLE interest when bytes remain, drops it when done; closes the
    /// client after its last reply when asked to.
    fn write_to_client(&mut self, slot: usize) {
        // Replicas waiting for their RDB hold their buffer; RDB bytes go first.
        if !self.replica_write_gate(slot) {
            return;
        }
        let Some(Some(c)) = self.clients.get_mut(slot) else {
            return;
        };
        c.pending_write = false;
        // As in Redis, a client marked for closing gets nothing more: a
        // replica killed by CLIENT KILL inside MULTI must not receive the
        // writes that follow the kill in the transaction.
        if c.close_asap {
            return;
        }
        let mut written = 0;
        let mut failed = false;
        while c.sent < c.reply.len() {
            match c.stream.write(&c.reply[c.sent..]) {
                Ok(0) => {
                    failed = true;
                    break;
                }
                Ok(n) => {
                    c.sent += n;
                    written += n;
                    if written >= MAX_WRITE_PER_EVENT && c.kind != ClientKind::Replica {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    debug!("Error writing to client: {e}");
                    failed = true;
                    break;
                }
            }
        }
        // A replica's stream follows, from the shared replication buffer.
        let mut stream_left = 0;
        if !failed && c.kind == ClientKind::Replica && !c.has_pending_reply() {
            if let Some(b) = self.repl.backlog.as_ref() {
                match crate::repl::primary::write_stream(c, b) {
                    Ok((n, left)) => {
                        written += n;
                        stream_left = left;
                    }
                    Err(e) => {
                        debug!(
                            "Error writing to replica {}: {e}",
                            crate::repl::primary::replica_name(c)
                        );
                        failed = true;
                    }
                }
            }
        }
        self.stats.net_output_bytes += written as u64;
        if written > 0 {
            self.stats.total_writes_processed += 1;
        }
        if failed {
            self.close_client_later(slot);
            return;
        }
        let Some(Some(c)) = self.clients.get_mut(slot) else {
            return;
        };
        let remaining = c.has_pending_reply() || stream_left > 0;
        c.compact_reply();
        if remaining {
            if !c.write_registered {
                c.write_registered = true;
                let _ = self
                    .reactor
                    .set_writable(&mut c.stream, Target::Client(slot), true);
            }
            // Capped rather than blocked: try again next turn.
            if written >= MAX_WRITE_PER_EVENT {
                c.pending_write = true;
                self.pending_writes.push(slot);
            }
        } else {
            if c.write_registered {
                c.write_registered = false;
                let _ = self
                    .reactor
                    .set_writable(&mut c.stream, Target::Client(slot), false);
            }
            if c.close_after_reply {
                self.close_client_later(slot);
            }
        }
    }

    /// Work done before the loop sleeps in poll: the fast expiry cycle,
    /// replies flushed directly (most fit in the socket buffer, so WRITABLE
    /// is rarely needed), and clients freed.
    fn before_sleep(&mut self) {
        if self.active_expire_enabled && self.expire_stale_high {
            let now = util::monotonic_us();
            if now.saturating_sub(self.last_fast_expire_us) >= 2000 {
                self.last_fast_expire_us = now;
                self.active_expire_cycle(1000);
            }
        }
        self.process_waiters(util::now_ms());
        // After the turn's ACKs were read: a failover target may be in sync.
        self.update_failover_status(util::now_ms());
        self.tracking_before_sleep();
        // The AOF gets the writes before any client sees their replies.
        self.aof_flush(false);
        let pending = std::mem::take(&mut self.pending_writes);
        for slot in pending {
            self.write_to_client(slot);
        }
        self.free_closed_clients();
    }

    // ----------------------------------------------------------------------
    // Cron
    // ----------------------------------------------------------------------

    /// Periodic work, `hz` times per second (Redis's serverCron).
    fn cron(&mut self) {
        self.cronloops += 1;
        let now_ms = util::now_ms();
        // For keys stamped outside commands (blocked clients served, loads).
        clock::set_now(now_ms);
        self.stats.inst.sample(
            now_ms,
            self.stats.total_commands_processed,
            self.stats.net_input_bytes,
            self.stats.net_output_bytes,
        );
        self.clients_cron(now_ms);
        self.databases_cron();
        self.persistence_cron(now_ms);
        self.aof_cron(now_ms);
        self.primary_cron(now_ms);
        // On every server, not only replicas: a REPLICAOF can come at any
        // time, and its sync starts before a reading taken then would
        // cover a useful window. One small proc read per tick.
        if self.config.repl_overlap_load == "auto" {
            self.repl.host_idle.sample();
        }
        self.replica_cron(now_ms);
        self.free_closed_clients();
    }

    /// Close idle clients (`timeout`) and reset the recent buffer maxima.
    fn clients_cron(&mut self, now_ms: i64) {
        let hz = self.config.hz.clamp(1, 500) as u64;
        if !self.cronloops.is_multiple_of(hz) {
            return;
        }
        self.stats.client_recent_max_input_buffer = 0;
        self.stats.client_recent_max_output_buffer = 0;
        let timeout = self.config.timeout;
        if timeout <= 0 {
            return;
        }
        let idle: Vec<usize> = self
            .clients
            .iter()
            .filter_map(|(slot, c)| {
                let c = c.as_ref()?;
                let exempt = matches!(
                    c.kind,
                    ClientKind::Master | ClientKind::Replica | ClientKind::PubSub
                );
                (!exempt && now_ms - c.last_interaction_ms > timeout * 1000).then_some(slot)
            })
            .collect();
        for slot in idle {
            debug!("Closing idle client");
            self.close_client_later(slot);
        }
    }

    /// Active expiry and incremental rehashing of the databases.
    fn databases_cron(&mut self) {
        if self.active_expire_enabled {
            // A quarter of a cron tick at most, as Redis's slow cycle.
            let budget = 250_000 / self.config.hz.clamp(1, 500) as u64;
            self.active_expire_cycle(budget);
        }
        // Resizing and rehashing rewrite the tables and entries: with a fork
        // child alive that would copy the keyspace through copy-on-write,
        // so they wait for it to end (Redis's databasesCron).
        if self.has_active_child() {
            return;
        }
        let rehash = self.config.activerehashing;
        for db in &mut self.dbs {
            db.dict.shrink_if_needed();
            db.expires.shrink_if_needed();
            if rehash {
                db.dict.rehash_for_micros(1000);
                db.expires.rehash_for_micros(1000);
            }
        }
    }

    /// Sample volatile keys and delete expired ones, within `budget_us`.
    /// Keeps going on a database while more than 10% of the sampled keys
    /// were expired (scaled by `active-expire-effort`), as Redis does.
    fn active_expire_cycle(&mut self, budget_us: u64) {
        let start = util::monotonic_us();
        let effort = self.config.active_expire_effort.clamp(1, 10) as usize;
        let per_loop = 20 + 20 / 4 * (effort - 1);
        let acceptable_stale = 10usize.saturating_sub(effort - 1);
        let now_ms = util::now_ms();
        let mut stale_high = false;
        let mut scratch = std::mem::take(&mut self.expired_scratch);
        let (mut sampled_total, mut expired_total) = (0usize, 0usize);
        'dbs: for id in 0..self.dbs.len() {
            if self.dbs[id].expires.is_empty() {
                continue;
            }
            loop {
                let (sampled, expired) =
                    self.dbs[id].active_expire_step(now_ms, per_loop, &mut scratch);
                sampled_total += sampled;
                expired_total += expired;
                self.stats.expired_keys += expired as u64;
                for key in &scratch {
                    self.notify_keyspace_event(notify::EXPIRED, "expired", key, id);
                    self.propagate_expired(id, key);
                }
                if util::monotonic_us() - start > budget_us {
                    self.stats.expired_time_cap_reached_count += 1;
                    stale_high = true;
                    break 'dbs;
                }
                if sampled == 0 || expired * 100 / sampled <= acceptable_stale {
                    break;
                }
                stale_high = true;
            }
        }
        self.expired_scratch = scratch;
        self.expire_stale_high = stale_high;
        if sampled_total > 0 {
            let perc = expired_total as f64 / sampled_total as f64;
            self.stats.expired_stale_perc = perc * 0.05 + self.stats.expired_stale_perc * 0.95;
        }
        self.stats.expire_cycle_cpu_ms += (util::monotonic_us() - start) / 1000;
    }

    // ----------------------------------------------------------------------
    // Keyspace access for commands
    // ----------------------------------------------------------------------

    /// Whether lookups may delete expired keys (a replica waits for its
    /// master's DEL instead).
    pub fn expire_deletes(&self) -> bool {
        !self.repl.is_replica()
    }

    /// Look a key up for reading: lazy expiry, hit/miss statistics, and a
    /// touch of its access clock (Redis's lookupKeyRead).
    pub fn lookup_read(&mut self, db: usize, key: &[u8], now_ms: i64) -> Option<&crate::db::Value> {
        self.lookup_read_flags(db, key, now_ms, true)
    }

    /// [`lookup_read`](Self::lookup_read) that leaves the access clock
    /// alone (Redis's LOOKUP_NOTOUCH): EXISTS, TYPE, the TTL family and
    /// OBJECT look at a key without making it recently used.
    pub fn lookup_read_notouch(
        &mut self,
        db: usize,
        key: &[u8],
        now_ms: i64,
    ) -> Option<&crate::db::Value> {
        self.lookup_read_flags(db, key, now_ms, false)
    }

    fn lookup_read_flags(
        &mut self,
        db: usize,
        key: &[u8],
        now_ms: i64,
        touch: bool,
    ) -> Option<&crate::db::Value> {
        let deletes = self.expire_deletes();
        let d = &mut self.dbs[db];
        if !self.executing_master && d.is_expired(key, now_ms) {
            if deletes {
                d.remove(key);
                self.stats.expired_keys += 1;
                self.notify_keyspace_event(notify::EXPIRED, "expired", key, db);
                self.propagate_expired(db, key);
            }
            self.stats.keyspace_misses += 1;
            return None;
        }
        let found = if touch && self.clock_touch_allowed() {
            self.dbs[db]
                .dict
                .get_mut_touch(key, clock::touched)
                .map(|v| &*v)
        } else {
            self.dbs[db].dict.get(key)
        };
        match found {
            Some(v) => {
                self.stats.keyspace_hits += 1;
                Some(v)
            }
            None => {
                self.stats.keyspace_misses += 1;
                None
            }
        }
    }

    /// Look a key up for writing: an expired key is deleted first; the
    /// access clock is touched (Redis's lookupKeyWrite).
    pub fn lookup_write(
        &mut self,
        db: usize,
        key: &[u8],
        now_ms: i64,
    ) -> Option<&mut crate::db::Value> {
        self.expire_key_if_needed(db, key, now_ms);
        if self.clock_touch_allowed() {
            self.dbs[db].dict.get_mut_touch(key, clock::touched)
        } else {
            self.dbs[db].dict.get_mut(key)
        }
    }

    /// Whether a key exists, without touching statistics. The commands
    /// that ask (SET, MSETNX, RENAMENX and MOVE targets, *STORE
    /// destinations) do a write lookup in Redis, so the access clock of an
    /// existing key is touched.
    pub fn key_exists(&mut self, db: usize, key: &[u8], now_ms: i64) -> bool {
        self.expire_key_if_needed(db, key, now_ms);
        let d = &self.dbs[db];
        if !self.executing_master && d.is_expired(key, now_ms) {
            return false;
        }
        if self.clock_touch_allowed() {
            self.dbs[db]
                .dict
                .get_mut_touch(key, clock::touched)
                .is_some()
        } else {
            self.dbs[db].dict.contains_key(key)
        }
    }

    /// Whether lookups may stamp access clocks: not while a fork child
    /// lives, because writing into every read key would copy the pages of
    /// the keyspace the child is saving (Redis's "copy on write madness").
    #[inline]
    fn clock_touch_allowed(&self) -> bool {
        !self.has_active_child()
    }

    /// Delete `key` if its TTL has passed (and this server may delete).
    pub fn expire_key_if_needed(&mut self, db: usize, key: &[u8], now_ms: i64) -> bool {
        let d = &mut self.dbs[db];
        if self.executing_master || !d.is_expired(key, now_ms) {
            return false;
        }
        if self.expire_deletes() {
            self.dbs[db].remove(key);
            self.stats.expired_keys += 1;
            self.notify_keyspace_event(notify::EXPIRED, "expired", key, db);
            self.propagate_expired(db, key);
        }
        true
    }

    /// Note a change of the dataset (for save points and, later, replication).
    #[inline]
    pub fn mark_dirty(&mut self, n: u64) {
        self.dirty += n;
    }

    // ----------------------------------------------------------------------
    // Shutdown
    // ----------------------------------------------------------------------

    /// Last steps before exiting: flush replies that fit, remove the pid
    /// file. Returns false if the shutdown must be aborted.
    pub fn prepare_for_shutdown(&mut self) -> bool {
        warn!("User requested shutdown...");
        let (nosave, save, force) = self.shutdown_flags.unwrap_or((false, false, false));
        if !self.shutdown_saved && !self.shutdown_save(nosave, save) && !force {
            // A signal asked for the shutdown and the save failed: keep
            // running, as Redis does, rather than lose data.
            warn!("SIGTERM received but errors trying to shut down the server, check the logs for more information");
            return false;
        }
        // Give clients their last replies (best effort, non-blocking).
        let slots: Vec<usize> = self.clients.iter().map(|(s, _)| s).collect();
        for slot in slots {
            self.write_to_client(slot);
        }
        if !self.config.pidfile.is_empty() {
            info!("Removing the pid file.");
            let _ = std::fs::remove_file(&self.config.pidfile);
        }
        warn!("Redis is now ready to exit, bye bye...");
        true
    }

    /// Whether an online replica has not acknowledged our whole stream.
    pub fn replicas_lagging(&self) -> bool {
        !self.repl.is_replica()
            && self.repl.backlog.is_some()
            && self.replicas_acked(self.repl.master_repl_offset) < self.replica_list().len() as i64
    }

    /// Redis 7.0's graceful shutdown of a master: pause writes, ask the
    /// replicas for an ACK, and wait (at most `shutdown-timeout` seconds)
    /// until all of them acknowledged the whole stream, so that none loses
    /// the last writes. Returns true while the shutdown must keep waiting.
    fn shutdown_waits_for_replicas(&mut self, now_ms: i64) -> bool {
        if self.config.shutdown_timeout <= 0 || !self.replicas_lagging() {
            return false;
        }
        match self.shutdown_deadline {
            None => {
                warn!("Waiting for replicas before shutting down.");
                let deadline = now_ms + self.config.shutdown_timeout * 1000;
                self.shutdown_deadline = Some(deadline);
                self.pause_clients(deadline, false);
                self.wait.getack_pending = true;
                true
            }
            Some(d) if now_ms < d => true,
            Some(_) => {
                warn!("Lagging replica(s) did not catch up before the shutdown timeout.");
                false
            }
        }
    }

    /// Number of connected clients (INFO connected_clients).
    pub fn connected_clients(&self) -> usize {
        self.clients.len()
    }

    /// The listening port actually in use (for INFO and logs).
    pub fn tcp_port(&self) -> i64 {
        self.config.port
    }

    /// Uptime in seconds.
    pub fn uptime_secs(&self) -> i64 {
        (util::now_ms() - self.start_time_ms) / 1000
    }
}

/// One line describing a client for log messages (like CLIENT LIST's).
pub fn describe_client(c: &Client) -> String {
    format!(
        "id={} addr={} laddr={} name={}",
        c.id,
        c.addr,
        c.laddr,
        String::from_utf8_lossy(c.name.as_deref().unwrap_or(b""))
    )
}

/// strerror text of an OS error ("Address already in use").
pub(crate) fn os_error_text(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl Server {
    /// CONFIG RESETSTAT: zero the counters INFO reports.
    pub fn reset_stats(&mut self) {
        self.stats = Stats::default();
        for e in &mut self.commands.entries {
            e.stats = CmdStats::default();
        }
    }
}

/// Keyspace event classes (`notify-keyspace-events` letters).
pub mod notify {
    pub const GENERIC: u8 = b'g';
    pub const STRING: u8 = b'$';
    pub const LIST: u8 = b'l';
    pub const SET: u8 = b's';
    pub const HASH: u8 = b'h';
    pub const ZSET: u8 = b'z';
    pub const STREAM: u8 = b't';
    pub const EXPIRED: u8 = b'x';
    pub const EVICTED: u8 = b'e';
    pub const NEW: u8 = b'n';
}

impl Server {
    /// Add a key known to be absent. Every command that creates a key goes
    /// through here, so clients blocked on that key (BLPOP, BZPOPMIN...) can
    /// be woken up.
    pub fn db_add(&mut self, db: usize, key: &[u8], value: crate::db::Value) {
        let wakes = matches!(value, crate::db::Value::List(_) | crate::db::Value::ZSet(_));
        self.dbs[db].add(key, value);
        if wakes {
            self.signal_key_ready(db, key);
        }
    }

    /// Redis's setKey: store `value` at `key`, replacing any value there
    /// and its TTL (the *STORE commands, BITOP); a new key goes through
    /// [`db_add`](Self::db_add), so clients blocked on it wake up.
    pub fn set_key(&mut self, db: usize, key: &[u8], value: crate::db::Value, now_ms: i64) {
        if self.key_exists(db, key, now_ms) {
            self.dbs[db].set(key, value, false);
        } else {
            self.db_add(db, key, value);
        }
    }
}
