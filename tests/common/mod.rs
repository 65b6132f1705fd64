//! Shared integration-test infrastructure: a guard for a spawned server
//! process, a tiny blocking RESP client, free-port allocation and polling
//! helpers.
//!
//! Every integration test file does `mod common;` and spawns the real binary
//! (`ferrodis-server`, or whatever `FERRODIS_TEST_SERVER` points at) on
//! 127.0.0.1, on a free port, in a fresh temp dir. Nothing here sleeps for a
//! fixed time to "let things settle": waits are polls with a bound
//! ([`wait_for`]) that panic with a message when the bound is hit.
//!
//! Invariants kept by [`Server`]:
//! - the child is killed by PID (SIGKILL) and reaped when the guard drops,
//!   including while unwinding from a failed assertion;
//! - while unwinding, the tail of the server's log (and stderr) is printed so
//!   a failure explains itself;
//! - the temp dir is removed on drop.
//!
//! Only std is used: the crate has no dev-dependencies.

#![allow(dead_code)]

pub mod diff;

use std::collections::HashMap;
use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

// ---------------------------------------------------------------------------
// Binaries
// ---------------------------------------------------------------------------

/// The server under test: `$FERRODIS_TEST_SERVER` if set (e.g.
/// `/usr/bin/redis-server`, to check the tests themselves against the
/// reference), else the `ferrodis-server` binary cargo built for this test.
pub fn server_binary() -> PathBuf {
    match std::env::var_os("FERRODIS_TEST_SERVER") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_ferrodis-server")),
    }
}

/// True when the server under test is a real Redis (the tests are being run
/// against the reference). Used to guard assertions on ferrodis-only details.
pub fn testing_real_redis() -> bool {
    let out = Command::new(server_binary()).arg("-v").output();
    match out {
        // ferrodis answers `-v` in Redis's words too (tools parse them),
        // and adds `ferrodis=<version>`.
        Ok(o) => {
            let v = String::from_utf8_lossy(&o.stdout);
            v.starts_with("Redis server") && !v.contains("ferrodis=")
        }
        Err(_) => false,
    }
}

/// The reference redis-server (7.0), from `PATH` or `/usr/bin`.
///
/// Returns `None` when there is none, unless `FERRODIS_REQUIRE_REDIS=1`, in
/// which case it panics: CI sets that so a missing oracle cannot turn the
/// differential suite into a silent no-op. Callers that get `None` print
/// "skipped: no redis-server" and return.
pub fn redis_binary() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join("redis-server")));
    }
    candidates.push(PathBuf::from("/usr/bin/redis-server"));
    candidates.push(PathBuf::from("/usr/local/bin/redis-server"));
    if let Some(p) = candidates.into_iter().find(|p| p.is_file()) {
        return Some(p);
    }
    if std::env::var("FERRODIS_REQUIRE_REDIS").as_deref() == Ok("1") {
        panic!(
            "FERRODIS_REQUIRE_REDIS=1 but no redis-server was found in PATH or /usr/bin; \
             install Redis 7.0 (the reference server) or unset FERRODIS_REQUIRE_REDIS"
        );
    }
    None
}

/// `redis_binary()` or an early `return` from the calling test after printing
/// "skipped: no redis-server".
#[macro_export]
macro_rules! require_redis {
    () => {
        match common::redis_binary() {
            Some(p) => p,
            None => {
                eprintln!("skipped: no redis-server");
                return;
            }
        }
    };
}

// ---------------------------------------------------------------------------
// Ports and temp dirs
// ---------------------------------------------------------------------------

/// Size of the port window each test process walks through.
const PORT_SPAN: u32 = 2000;
/// Lowest port handed out (below the usual ephemeral range of 32768..).
const PORT_BASE: u32 = 12000;
/// Number of windows between PORT_BASE and 32000.
const PORT_WINDOWS: u32 = 10;

static PORT_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A port on 127.0.0.1 that was free a moment ago.
///
/// Each test process walks its own window of ports (chosen from its pid) with
/// a process-wide counter, so parallel test binaries rarely meet; a bind probe
/// skips ports that are taken. A server can still lose the race for the port,
/// which is why [`Server::start`] retries on another port when binding fails.
pub fn free_port() -> u16 {
    let window = std::process::id() % PORT_WINDOWS;
    let start = PORT_BASE + window * PORT_SPAN;
    for _ in 0..PORT_SPAN {
        let n = PORT_COUNTER.fetch_add(1, Ordering::Relaxed) % PORT_SPAN;
        let port = (start + n) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("free_port: no free port in {start}..{}", start + PORT_SPAN);
}

static DIR_COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty directory under the system temp dir, named after the pid
/// and a process-wide counter. Removed by [`TempDir`]'s drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = DIR_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "ferrodis-test-{}-{}-{}",
            tag,
            std::process::id(),
            n
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------
// Signals (std has no kill(2) with a signal number; libc is linked anyway)
// ---------------------------------------------------------------------------

pub const SIGKILL: i32 = 9;
pub const SIGTERM: i32 = 15;

extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}

/// Sends `sig` to `pid`; returns false if the process does not exist.
pub fn send_signal(pid: u32, sig: i32) -> bool {
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe { kill(pid as i32, sig) == 0 }
}

/// True if a process with this pid exists (signal 0 probes without sending).
pub fn pid_alive(pid: u32) -> bool {
    send_signal(pid, 0)
}

// ---------------------------------------------------------------------------
// Polling
// ---------------------------------------------------------------------------

/// Polls `cond` up to `tries` times, `delay` apart; panics with `msg` if it
/// never held. This is the only way tests wait for asynchronous effects.
pub fn wait_for(tries: u32, delay: Duration, mut cond: impl FnMut() -> bool, msg: &str) {
    for i in 0..tries {
        if cond() {
            return;
        }
        if i + 1 < tries {
            std::thread::sleep(delay);
        }
    }
    panic!("wait_for: condition not met after {tries} tries of {delay:?}: {msg}");
}

/// Waits (up to ~10 s) until the server's log contains `pattern`.
pub fn wait_for_log(server: &Server, pattern: &str) {
    wait_for(
        1000,
        Duration::from_millis(10),
        || server.log().contains(pattern),
        &format!(
            "log of server on port {} never contained {pattern:?}",
            server.port()
        ),
    );
}

// ---------------------------------------------------------------------------
// Server guard
// ---------------------------------------------------------------------------

/// How long a server may take to answer its first PING.
const START_TRIES: u32 = 1500;
const START_DELAY: Duration = Duration::from_millis(10);

/// A spawned server process. Killed (SIGKILL, by pid) and reaped on drop.
pub struct Server {
    /// The child; `None` once it has been reaped.
    child: Option<Child>,
    /// Pid of the child (kept after reaping, for messages).
    pid: u32,
    port: u16,
    dir: TempDir,
    binary: PathBuf,
    /// Exit status once reaped.
    status: Option<ExitStatus>,
    /// Do not print the log on drop (it was printed already).
    quiet: bool,
}

impl Server {
    /// Spawns `binary` with the standard test arguments plus `args` and waits
    /// until it answers PING. Retries on another port if binding failed.
    pub fn start(binary: impl AsRef<Path>, args: &[&str]) -> Server {
        Self::start_inner(binary.as_ref(), None, args)
    }

    /// Like [`start`](Self::start) but first writes `conf` to
    /// `<dir>/server.conf` and passes it as the config file (first argument,
    /// as redis-server requires). Command-line arguments override it.
    pub fn start_with_config(binary: impl AsRef<Path>, conf: &str, args: &[&str]) -> Server {
        Self::start_inner(binary.as_ref(), Some(conf), args)
    }

    fn start_inner(binary: &Path, conf: Option<&str>, args: &[&str]) -> Server {
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let mut s = Self::spawn(binary, conf, port, args);
            match s.wait_ready() {
                Ok(()) => return s,
                Err(exited) => {
                    let log = s.log_and_stderr();
                    if exited && bind_failed(&log, port) {
                        // Lost the race for the port: try another one.
                        last_log = log;
                        continue;
                    }
                    let status = s.status;
                    drop_quietly(s);
                    panic!(
                        "server {} did not come up on port {port} ({}); log tail:\n{}",
                        binary.display(),
                        match status {
                            Some(st) => format!("exited with {st}"),
                            None => "no PONG in time".to_string(),
                        },
                        tail(&log, 40)
                    );
                }
            }
        }
        panic!(
            "server could not bind a port after 5 attempts; last log:\n{}",
            tail(&last_log, 40)
        );
    }

    /// Spawns the process without waiting for it to become ready. `port` is
    /// passed as `--port`. Stdout/stderr go to `<dir>/stdout` and
    /// `<dir>/stderr`.
    pub fn spawn(binary: &Path, conf: Option<&str>, port: u16, args: &[&str]) -> Server {
        let dir = TempDir::new("srv");
        let mut cmd = Command::new(binary);
        if let Some(conf) = conf {
            let path = dir.path().join("server.conf");
            fs::write(&path, conf).expect("write config");
            cmd.arg(&path);
        }
        let log = dir.path().join("server.log");
        let port_s = port.to_string();
        cmd.args(["--port", &port_s, "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(dir.path())
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--logfile")
            .arg(&log)
            .args(args);
        Self::spawn_command(cmd, dir, port, binary)
    }

    /// Spawns an arbitrary command line (no standard arguments added) in a
    /// fresh temp dir, for tests of the command line itself. `port` is only
    /// recorded (use 0 if the process never listens).
    pub fn spawn_raw(binary: &Path, args: &[&str], port: u16) -> Server {
        let dir = TempDir::new("raw");
        let mut cmd = Command::new(binary);
        cmd.args(args).current_dir(dir.path());
        Self::spawn_command(cmd, dir, port, binary)
    }

    fn spawn_command(mut cmd: Command, dir: TempDir, port: u16, binary: &Path) -> Server {
        let stdout = fs::File::create(dir.path().join("stdout")).expect("create stdout file");
        let stderr = fs::File::create(dir.path().join("stderr")).expect("create stderr file");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(stdout))
            .stderr(Stdio::from(stderr));
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot spawn {}: {e}", binary.display()));
        Server {
            pid: child.id(),
            child: Some(child),
            port,
            dir,
            binary: binary.to_path_buf(),
            status: None,
            quiet: false,
        }
    }

    /// Polls PING until PONG. `Err(true)` if the process exited meanwhile,
    /// `Err(false)` if it never answered.
    pub fn wait_ready(&mut self) -> Result<(), bool> {
        for _ in 0..START_TRIES {
            if self.try_wait().is_some() {
                return Err(true);
            }
            if let Ok(mut c) = Client::connect_timeout(self.port, Duration::from_secs(2)) {
                match c.try_cmd(&["PING"]) {
                    Ok(Reply::Status(s)) if s == "PONG" => return Ok(()),
                    Ok(Reply::Error(e)) if e.starts_with("NOAUTH") => return Ok(()),
                    _ => {}
                }
            }
            std::thread::sleep(START_DELAY);
        }
        Err(false)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// A new connection with a 10 s read timeout.
    pub fn client(&self) -> Client {
        Client::connect(self.port)
            .unwrap_or_else(|e| panic!("cannot connect to server on port {}: {e}", self.port))
    }

    /// The server's log file (empty if it does not exist yet).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir().join("server.log")).unwrap_or_default()
    }

    /// Everything the process wrote to stderr.
    pub fn stderr(&self) -> String {
        fs::read_to_string(self.dir().join("stderr")).unwrap_or_default()
    }

    /// Everything the process wrote to stdout.
    pub fn stdout(&self) -> String {
        fs::read_to_string(self.dir().join("stdout")).unwrap_or_default()
    }

    fn log_and_stderr(&self) -> String {
        let mut s = self.log();
        let (out, err) = (self.stdout(), self.stderr());
        if !out.is_empty() {
            s.push_str("\n--- stdout ---\n");
            s.push_str(&out);
        }
        if !err.is_empty() {
            s.push_str("\n--- stderr ---\n");
            s.push_str(&err);
        }
        s
    }

    /// Non-blocking reap: the exit status if the process has exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(st)) = child.try_wait() {
                    self.status = Some(st);
                    self.child = None;
                }
            }
        }
        self.status
    }

    /// Waits (polling, up to ~20 s) for the process to exit; panics if it
    /// does not.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let port = self.port;
        wait_for(
            2000,
            Duration::from_millis(10),
            || self.try_wait().is_some(),
            &format!("server on port {port} did not exit"),
        );
        self.status.expect("status set by try_wait")
    }

    /// SIGKILL and reap.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            if let Ok(st) = child.wait() {
                self.status = Some(st);
            }
        }
    }

    /// SIGTERM and wait for the process to exit; returns its status.
    pub fn stop(&mut self) -> ExitStatus {
        if self.try_wait().is_none() {
            send_signal(self.pid, SIGTERM);
        }
        self.wait_exit()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() && !self.quiet {
            eprintln!(
                "==== server {} (pid {}, port {}) log tail ====\n{}\n==== end of log ====",
                self.binary.display(),
                self.pid,
                self.port,
                tail(&self.log_and_stderr(), 40)
            );
        }
    }
}

/// Drops a server without printing its log (the caller prints it).
fn drop_quietly(mut s: Server) {
    s.quiet = true;
    drop(s);
}

/// Whether the log says binding `port` failed.
fn bind_failed(log: &str, port: u16) -> bool {
    log.contains("Address already in use")
        || (log.contains(&port.to_string()) && log.to_lowercase().contains("bind"))
}

/// The last `n` lines of `s`.
pub fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

// ---------------------------------------------------------------------------
// RESP client
// ---------------------------------------------------------------------------

/// A parsed reply (RESP2 and RESP3).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Status(String),
    /// `-ERR ...` or a RESP3 blob error; the text after the dash.
    Error(String),
    Int(i64),
    /// `$-1` is `Bulk(None)`.
    Bulk(Option<Vec<u8>>),
    /// `*-1` is `Array(None)`.
    Array(Option<Vec<Reply>>),
    /// RESP3 `,`; `inf`, `-inf` and `nan` parse too.
    Double(f64),
    Map(Vec<(Reply, Reply)>),
    Set(Vec<Reply>),
    /// RESP3 `_`.
    Null,
    Bool(bool),
    Push(Vec<Reply>),
    /// RESP3 `=`: format (e.g. "txt") and payload.
    Verbatim(String, Vec<u8>),
    BigNumber(String),
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".into())
    }

    pub fn bulk(s: &str) -> Reply {
        Reply::Bulk(Some(s.as_bytes().to_vec()))
    }

    pub fn nil() -> Reply {
        Reply::Bulk(None)
    }

    /// Status, bulk or verbatim text as `&str` (None if not UTF-8 or another
    /// type).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Reply::Status(s) | Reply::Error(s) => Some(s),
            Reply::Bulk(Some(b)) | Reply::Verbatim(_, b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Reply::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Elements of an array, set or push reply.
    pub fn as_array(&self) -> Option<&[Reply]> {
        match self {
            Reply::Array(Some(v)) | Reply::Set(v) | Reply::Push(v) => Some(v),
            _ => None,
        }
    }
}

/// Why reading a reply failed.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection (clean EOF or reset) before a complete
    /// reply arrived.
    Eof,
    /// Read timeout or another I/O error.
    Io(io::Error),
    /// Bytes that are not valid RESP.
    Protocol(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Eof => write!(f, "connection closed"),
            ReadError::Io(e) => write!(f, "I/O error: {e}"),
            ReadError::Protocol(m) => write!(f, "bad reply: {m}"),
        }
    }
}

/// A blocking RESP client for tests. Requests are written as multibulk;
/// replies are read one at a time, byte-exact.
pub struct Client {
    stream: TcpStream,
    /// Bytes read but not yet consumed as replies.
    buf: Vec<u8>,
    port: u16,
}

impl Client {
    /// Connects to 127.0.0.1:`port` with a 10 s read/write timeout.
    pub fn connect(port: u16) -> io::Result<Client> {
        Self::connect_timeout(port, Duration::from_secs(10))
    }

    pub fn connect_timeout(port: u16, timeout: Duration) -> io::Result<Client> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream,
            buf: Vec::new(),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn set_timeout(&mut self, timeout: Duration) {
        let _ = self.stream.set_read_timeout(Some(timeout));
        let _ = self.stream.set_write_timeout(Some(timeout));
    }

    /// The underlying socket (e.g. to clone it for a writer thread).
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// Writes `bytes` as they are.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.try_send_raw(bytes)
            .unwrap_or_else(|e| panic!("write to port {}: {e}", self.port));
    }

    pub fn try_send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Writes one request encoded as a RESP multibulk.
    pub fn send_cmd(&mut self, args: &[&[u8]]) {
        self.send_raw(&encode_command(args));
    }

    /// Reads exactly one complete reply and returns its bytes unchanged.
    pub fn read_raw_reply(&mut self) -> Vec<u8> {
        self.try_read_raw_reply()
            .unwrap_or_else(|e| panic!("reading reply from port {}: {e}", self.port))
    }

    /// Reads exactly one complete reply (any RESP2/RESP3 type, attributes
    /// included) and returns its bytes.
    pub fn try_read_raw_reply(&mut self) -> Result<Vec<u8>, ReadError> {
        loop {
            match parse_reply(&self.buf) {
                Ok(Some((_, n))) => return Ok(self.buf.drain(..n).collect()),
                Ok(None) => {}
                Err(e) => return Err(ReadError::Protocol(e)),
            }
            self.fill()?;
        }
    }

    /// Reads one reply and parses it.
    pub fn try_read_reply(&mut self) -> Result<Reply, ReadError> {
        let raw = self.try_read_raw_reply()?;
        Ok(parse_reply(&raw).expect("complete").expect("complete").0)
    }

    pub fn read_reply(&mut self) -> Reply {
        self.try_read_reply()
            .unwrap_or_else(|e| panic!("reading reply from port {}: {e}", self.port))
    }

    /// Reads more bytes into the buffer; EOF and resets become
    /// `ReadError::Eof`.
    fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 16384];
        match self.stream.read(&mut chunk) {
            Ok(0) => Err(ReadError::Eof),
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            Err(e) if is_closed_error(&e) => Err(ReadError::Eof),
            Err(e) => Err(ReadError::Io(e)),
        }
    }

    /// Sends a command and reads its reply.
    pub fn cmd(&mut self, args: &[&str]) -> Reply {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.cmd_bytes(&args)
    }

    pub fn cmd_bytes(&mut self, args: &[&[u8]]) -> Reply {
        self.send_cmd(args);
        self.read_reply()
    }

    /// Like [`cmd`](Self::cmd) but reports failures instead of panicking.
    pub fn try_cmd(&mut self, args: &[&str]) -> Result<Reply, ReadError> {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.try_send_raw(&encode_command(&args)).map_err(|e| {
            if is_closed_error(&e) {
                ReadError::Eof
            } else {
                ReadError::Io(e)
            }
        })?;
        self.try_read_reply()
    }

    /// `INFO section` as a field → value map (comments and blanks skipped).
    pub fn info(&mut self, section: &str) -> HashMap<String, String> {
        let reply = self.cmd(&["INFO", section]);
        let text = reply
            .as_str()
            .unwrap_or_else(|| panic!("INFO {section} returned {reply:?}"))
            .to_string();
        parse_info(&text)
    }

    /// Wait until the server reports `n` blocked clients.
    pub fn wait_blocked(&mut self, n: usize) {
        wait_for(
            200,
            Duration::from_millis(10),
            || {
                self.info("clients")
                    .get("blocked_clients")
                    .map(String::as_str)
                    == Some(&n.to_string())
            },
            &format!("{n} blocked clients"),
        );
    }

    /// One INFO field of `section`, or "" when the server does not show it.
    pub fn info_field(&mut self, section: &str, name: &str) -> String {
        self.info(section).get(name).cloned().unwrap_or_default()
    }

    /// Waits for the server to close this connection (bounded by the read
    /// timeout). Returns true on EOF/reset; false if bytes arrived instead
    /// (they stay buffered) or the read timed out.
    pub fn is_closed_by_peer(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        matches!(self.fill(), Err(ReadError::Eof))
    }

    /// Closes the write side (the server sees EOF after the bytes sent).
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }
}

/// Whether an I/O error means the peer closed the connection.
pub fn is_closed_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
    )
}

/// Parses `INFO` text into a map.
pub fn parse_info(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Encodes a request as a RESP multibulk.
pub fn encode_command(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// `&[&str]` → multibulk bytes.
pub fn encode_strs(args: &[&str]) -> Vec<u8> {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    encode_command(&args)
}

/// Escapes bytes for failure messages: printable ASCII as is, `\r`, `\n`,
/// `\t`, `\\`, `\"` and `\xNN` otherwise.
pub fn escape(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Finds the end of the line starting at `start` (index of `\r` of `\r\n`).
fn line_end(buf: &[u8], start: usize) -> Option<usize> {
    buf[start..]
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|p| start + p)
}

/// Parses one reply from the start of `buf`.
///
/// `Ok(None)` when `buf` holds only part of a reply, `Ok(Some((reply, len)))`
/// with the number of bytes it took, `Err` for bytes that are not RESP.
pub fn parse_reply(buf: &[u8]) -> Result<Option<(Reply, usize)>, String> {
    parse_at(buf, 0)
}

fn parse_at(buf: &[u8], pos: usize) -> Result<Option<(Reply, usize)>, String> {
    if pos >= buf.len() {
        return Ok(None);
    }
    let Some(end) = line_end(buf, pos + 1) else {
        return Ok(None);
    };
    let line = std::str::from_utf8(&buf[pos + 1..end])
        .map_err(|_| format!("non-UTF-8 header line at byte {pos}"))?;
    let next = end + 2;
    let int = |s: &str| -> Result<i64, String> {
        s.parse::<i64>()
            .map_err(|_| format!("bad length/integer {s:?}"))
    };
    let t = buf[pos];
    match t {
        b'+' => Ok(Some((Reply::Status(line.to_string()), next))),
        b'-' => Ok(Some((Reply::Error(line.to_string()), next))),
        b':' => Ok(Some((Reply::Int(int(line)?), next))),
        b'(' => Ok(Some((Reply::BigNumber(line.to_string()), next))),
        b'_' => Ok(Some((Reply::Null, next))),
        b'#' => match line {
            "t" => Ok(Some((Reply::Bool(true), next))),
            "f" => Ok(Some((Reply::Bool(false), next))),
            _ => Err(format!("bad boolean {line:?}")),
        },
        b',' => {
            let v = match line {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                _ => line
                    .parse::<f64>()
                    .map_err(|_| format!("bad double {line:?}"))?,
            };
            Ok(Some((Reply::Double(v), next)))
        }
        b'$' | b'!' | b'=' => {
            let len = int(line)?;
            if len < 0 {
                return if t == b'$' {
                    Ok(Some((Reply::Bulk(None), next)))
                } else {
                    Err(format!("negative length {len}"))
                };
            }
            let len = len as usize;
            if buf.len() < next + len + 2 {
                return Ok(None);
            }
            if &buf[next + len..next + len + 2] != b"\r\n" {
                return Err("bulk payload not followed by CRLF".into());
            }
            let data = buf[next..next + len].to_vec();
            let reply = match t {
                b'$' => Reply::Bulk(Some(data)),
                b'!' => Reply::Error(String::from_utf8_lossy(&data).into_owned()),
                _ => {
                    if data.len() < 4 || data[3] != b':' {
                        return Err("verbatim string without format prefix".into());
                    }
                    Reply::Verbatim(
                        String::from_utf8_lossy(&data[..3]).into_owned(),
                        data[4..].to_vec(),
                    )
                }
            };
            Ok(Some((reply, next + len + 2)))
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n = int(line)?;
            if n < 0 {
                return if t == b'*' {
                    Ok(Some((Reply::Array(None), next)))
                } else {
                    Err(format!("negative aggregate length {n}"))
                };
            }
            let count = if t == b'%' || t == b'|' {
                2 * n as usize
            } else {
                n as usize
            };
            let mut items = Vec::with_capacity(count.min(1024));
            let mut p = next;
            for _ in 0..count {
                match parse_at(buf, p)? {
                    Some((r, np)) => {
                        items.push(r);
                        p = np;
                    }
                    None => return Ok(None),
                }
            }
            let reply = match t {
                b'*' => Reply::Array(Some(items)),
                b'~' => Reply::Set(items),
                b'>' => Reply::Push(items),
                b'%' => {
                    let mut pairs = Vec::with_capacity(items.len() / 2);
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    Reply::Map(pairs)
                }
                _ => {
                    // An attribute is metadata in front of the real reply:
                    // the reply that follows is the one returned, and its
                    // bytes are counted so raw reads stay byte-exact.
                    return match parse_at(buf, p)? {
                        Some((r, np)) => Ok(Some((r, np))),
                        None => Ok(None),
                    };
                }
            };
            Ok(Some((reply, p)))
        }
        other => Err(format!(
            "unknown reply type byte {:?} at {pos}",
            other as char
        )),
    }
}

/// Byte length of each top-level element of a raw array/set/push reply, or
/// None if `raw` is not such an aggregate. Returns (header, elements).
pub fn split_aggregate(raw: &[u8]) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    if raw.is_empty() || !matches!(raw[0], b'*' | b'~' | b'>' | b'%') {
        return None;
    }
    let end = line_end(raw, 1)?;
    let mut n: i64 = std::str::from_utf8(&raw[1..end]).ok()?.parse().ok()?;
    if n < 0 {
        return None;
    }
    if raw[0] == b'%' {
        // A map of n pairs holds 2n elements.
        n *= 2;
    }
    let header = raw[..end + 2].to_vec();
    let mut p = end + 2;
    let mut elems = Vec::new();
    for _ in 0..n {
        let (_, np) = parse_at(raw, p).ok()??;
        elems.push(raw[p..np].to_vec());
        p = np;
    }
    Some((header, elems))
}

// ---------------------------------------------------------------------------
// Replication
// ---------------------------------------------------------------------------

/// DEBUG DIGEST of the server's whole dataset.
pub fn digest(c: &mut Client) -> String {
    match c.cmd(&["DEBUG", "DIGEST"]) {
        Reply::Status(s) => s,
        Reply::Bulk(Some(b)) => String::from_utf8_lossy(&b).into_owned(),
        other => panic!("DEBUG DIGEST: {other:?}"),
    }
}

/// Waits until every replica among `nodes` has its link up and all nodes
/// report the same replication ID and offset (the master's pings keep the
/// offset moving, so this polls for a moment where they agree), then
/// asserts that all datasets are equal.
pub fn wait_synced(nodes: &[&Server]) {
    let mut clients: Vec<Client> = nodes.iter().map(|s| s.client()).collect();
    let mut last = String::new();
    wait_for(
        1500,
        Duration::from_millis(10),
        || {
            let infos: Vec<_> = clients.iter_mut().map(|c| c.info("replication")).collect();
            let get = |i: usize, k: &str| infos[i].get(k).cloned().unwrap_or_default();
            last = (0..infos.len())
                .map(|i| {
                    format!(
                        "[{} {} {} link={}]",
                        get(i, "role"),
                        get(i, "master_replid"),
                        get(i, "master_repl_offset"),
                        get(i, "master_link_status")
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            (0..infos.len()).all(|i| {
                (get(i, "role") == "master" || get(i, "master_link_status") == "up")
                    && get(i, "master_replid") == get(0, "master_replid")
                    && get(i, "master_repl_offset") == get(0, "master_repl_offset")
            })
        },
        "nodes never reached the same replication ID and offset",
    );
    let digests: Vec<String> = clients.iter_mut().map(digest).collect();
    // DEBUG DIGEST leaves consumer groups out: compare those of `stream`.
    let groups: Vec<Reply> = clients
        .iter_mut()
        .map(|c| c.cmd(&["XINFO", "GROUPS", "stream"]))
        .collect();
    for (i, g) in groups.iter().enumerate() {
        assert_eq!(g, &groups[0], "node {i}: other consumer groups");
    }
    for (i, d) in digests.iter().enumerate() {
        assert_eq!(
            d,
            &digests[0],
            "node {i} (port {}) has another dataset; state: {last}",
            nodes[i].port()
        );
    }
}

/// Waits (up to 30 s: big or slow syncs) until `replica`'s link is up and
/// it has applied everything `master` produced (`slave_repl_offset` equals
/// the master's `master_repl_offset`), then asserts equal datasets. Unlike
/// [`wait_synced`] it does not need the pings to pause: it compares the
/// replica's applied offset with the master's at one moment.
pub fn wait_caught_up(master: &Server, replica: &Server) {
    let mut m = master.client();
    let mut r = replica.client();
    wait_for(
        3000,
        Duration::from_millis(10),
        || {
            let ri = r.info("replication");
            let mo = m.info_field("replication", "master_repl_offset");
            ri.get("master_link_status").map(String::as_str) == Some("up")
                && ri.get("slave_repl_offset") == Some(&mo)
        },
        "replica never caught up with the master's offset",
    );
    assert_eq!(digest(&mut m), digest(&mut r), "datasets differ");
}

/// Read from `c`'s socket until `buf` holds at least `n` bytes.
pub fn read_at_least(c: &mut Client, buf: &mut Vec<u8>, n: usize) {
    let mut chunk = [0u8; 65536];
    while buf.len() < n {
        let mut stream = c.stream();
        let got = stream.read(&mut chunk).expect("read from master");
        assert!(got > 0, "master closed the link");
        buf.extend_from_slice(&chunk[..got]);
    }
}

/// Read one CRLF-terminated line (skipping keepalive newlines before it).
pub fn read_line(c: &mut Client, buf: &mut Vec<u8>) -> String {
    loop {
        while buf.first() == Some(&b'\n') {
            buf.remove(0);
        }
        if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
            let line = String::from_utf8_lossy(&buf[..p]).into_owned();
            buf.drain(..p + 2);
            return line;
        }
        let want = buf.len() + 1;
        read_at_least(c, buf, want);
    }
}

/// After `+FULLRESYNC`: read the RDB payload in either form the master may
/// send — `$<len>` or `$EOF:<mark>` (a diskless sync, or a ferrodis disk
/// sync sent while the child writes) — and return it with whether it came
/// in the EOF form; what followed it stays in `buf`. After the EOF form a
/// master streams nothing until the replica's first `REPLCONF ACK`.
pub fn read_rdb_payload(c: &mut Client, buf: &mut Vec<u8>) -> (Vec<u8>, bool) {
    let header = read_line(c, buf);
    if let Some(mark) = header.strip_prefix("$EOF:") {
        let mark = mark.as_bytes().to_vec();
        assert_eq!(mark.len(), 40, "EOF mark of 40 bytes: {header:?}");
        loop {
            if let Some(at) = buf.windows(mark.len()).position(|w| w == mark) {
                let payload: Vec<u8> = buf.drain(..at).collect();
                buf.drain(..mark.len());
                return (payload, true);
            }
            let want = buf.len() + 1;
            read_at_least(c, buf, want);
        }
    }
    let len: usize = header
        .strip_prefix('$')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad bulk header {header:?}"));
    read_at_least(c, buf, len);
    (buf.drain(..len).collect(), false)
}

/// Check an RDB file with the real `redis-check-rdb` (next to the reference
/// redis-server); does nothing when there is none.
pub fn check_rdb(path: &Path) {
    let Some(redis) = redis_binary() else { return };
    let checker = redis.with_file_name("redis-check-rdb");
    let checker = if checker.exists() {
        checker
    } else {
        "redis-check-rdb".into()
    };
    let out = Command::new(checker)
        .arg(path)
        .output()
        .expect("run redis-check-rdb");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains("RDB looks OK"),
        "redis-check-rdb {}: {text}",
        path.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_split_point() {
        let fixtures: &[&[u8]] = &[
            b"+OK\r\n",
            b"-ERR x\r\n",
            b":-12\r\n",
            b"$3\r\na\r\n\r\n",
            b"$-1\r\n",
            b"*2\r\n$1\r\na\r\n*1\r\n:1\r\n",
            b"*-1\r\n",
            b"%1\r\n+k\r\n,1.5\r\n",
            b"~1\r\n#t\r\n",
            b"=7\r\ntxt:abc\r\n",
            b"|1\r\n+a\r\n+b\r\n:5\r\n",
        ];
        for f in fixtures {
            for cut in 0..f.len() {
                assert!(parse_reply(&f[..cut]).unwrap().is_none(), "{f:?} cut {cut}");
            }
            assert_eq!(parse_reply(f).unwrap().unwrap().1, f.len(), "{f:?}");
        }
    }
}
