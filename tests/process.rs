//! The server as a process: command line, config files, start-up failures,
//! logging, pid files, daemonizing and the ways it ends (SHUTDOWN, SIGTERM).
//!
//! Run against the reference with
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server cargo test --test process`.

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use common::{
    free_port, pid_alive, send_signal, server_binary, wait_for, wait_for_log, Client, Reply,
    Server, TempDir, SIGKILL, SIGTERM,
};

#[test]
fn version_flag_prints_a_version_line() {
    for flag in ["-v", "--version"] {
        let out = std::process::Command::new(server_binary())
            .arg(flag)
            .output()
            .expect("run server binary");
        assert!(out.status.success(), "{flag} exited with {}", out.status);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "{flag} should print exactly one line, got {stdout:?}"
        );
        // Same shape as Redis ("Redis server v=7.0.15 sha=... bits=64 ...") so
        // scripts that parse `v=` keep working.
        assert!(lines[0].contains(" v="), "{flag} printed {:?}", lines[0]);
    }
}

#[test]
fn log_file_says_ready_to_accept_connections() {
    let s = Server::start(server_binary(), &[]);
    wait_for_log(&s, "Ready to accept connections");
    // The log line shape: "<pid>:<role> <date> <level> <message>".
    let log = s.log();
    let line = log
        .lines()
        .find(|l| l.contains("Ready to accept connections"))
        .expect("ready line");
    assert!(
        line.starts_with(&format!("{}:M ", s.pid())),
        "log line does not start with '<pid>:M ': {line:?}"
    );
}

#[test]
fn shutdown_nosave_exits_with_code_zero() {
    let mut s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["SET", "k", "v"]), Reply::ok());
    c.send_cmd(&[b"SHUTDOWN", b"NOSAVE"]);
    // No reply on success: the connection just ends.
    assert!(
        c.is_closed_by_peer(),
        "SHUTDOWN NOSAVE left the connection open"
    );
    let status = s.wait_exit();
    assert_eq!(status.code(), Some(0), "exit status {status}");
    assert!(
        !s.dir().join("dump.rdb").exists(),
        "NOSAVE must not write an RDB file"
    );
}

#[test]
fn shutdown_with_bad_argument_is_refused() {
    let mut s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    assert_eq!(
        c.cmd(&["SHUTDOWN", "MAYBE"]),
        Reply::Error("ERR syntax error".into())
    );
    assert_eq!(c.cmd(&["PING"]), Reply::Status("PONG".into()));
    assert!(
        s.try_wait().is_none(),
        "server exited after a refused SHUTDOWN"
    );
}

#[test]
fn sigterm_exits_cleanly_and_removes_the_pidfile() {
    let tmp = TempDir::new("pid");
    let pidfile = tmp.path().join("server.pid");
    let pidfile_s = pidfile.to_str().expect("utf-8 path").to_string();
    let mut s = Server::start(server_binary(), &["--pidfile", &pidfile_s]);
    wait_for(
        500,
        Duration::from_millis(10),
        || read_pid(&pidfile).is_some(),
        "pid file never written",
    );
    assert_eq!(read_pid(&pidfile), Some(s.pid()));
    let status = s.stop();
    assert_eq!(status.code(), Some(0), "SIGTERM exit status {status}");
    assert!(!pidfile.exists(), "pid file left behind after SIGTERM");
    let log = s.log();
    assert!(
        log.contains("Received SIGTERM"),
        "log does not mention SIGTERM:\n{log}"
    );
}

#[test]
fn daemonize_writes_the_daemon_pid_and_serves() {
    let tmp = TempDir::new("daemon");
    let pidfile = tmp.path().join("daemon.pid");
    let logfile = tmp.path().join("daemon.log");
    let port = free_port();
    let port_s = port.to_string();
    let dir_s = tmp.path().to_str().expect("utf-8 path");
    let args = [
        "--port",
        &port_s,
        "--bind",
        "127.0.0.1",
        "--dir",
        dir_s,
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "yes",
        "--pidfile",
        pidfile.to_str().expect("utf-8 path"),
        "--logfile",
        logfile.to_str().expect("utf-8 path"),
    ];
    let mut launcher = Server::spawn_raw(&server_binary(), &args, port);
    let status = launcher.wait_exit();
    assert_eq!(
        status.code(),
        Some(0),
        "the foreground process should exit 0 after forking"
    );
    wait_for(
        1000,
        Duration::from_millis(10),
        || read_pid(&pidfile).is_some(),
        "daemon never wrote its pid file",
    );
    let pid = read_pid(&pidfile).expect("pid");
    let mut guard = KillOnDrop(Some(pid));
    assert_ne!(
        pid,
        launcher.pid(),
        "pid file holds the launcher's pid, not the daemon's"
    );
    assert!(pid_alive(pid), "daemon pid {pid} is not running");

    let mut c = None;
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            c = Client::connect(port).ok();
            c.is_some()
        },
        "daemon does not accept connections",
    );
    let mut c = c.expect("client");
    assert_eq!(c.cmd(&["PING"]), Reply::Status("PONG".into()));
    let info = c.info("server");
    assert_eq!(
        info.get("process_id").map(String::as_str),
        Some(pid.to_string().as_str())
    );
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            fs::read_to_string(&logfile)
                .unwrap_or_default()
                .contains("Ready to accept connections")
        },
        "daemon log never said it was ready",
    );

    // SIGTERM: the daemon removes its pid file and stops listening. (It is
    // not our child, so its exit status cannot be read here.)
    assert!(send_signal(pid, SIGTERM));
    wait_for(
        1000,
        Duration::from_millis(10),
        || !pidfile.exists(),
        "daemon did not remove its pid file on SIGTERM",
    );
    wait_for(
        1000,
        Duration::from_millis(10),
        || Client::connect(port).is_err(),
        "daemon still accepts connections after SIGTERM",
    );
    // Gone: never signal this pid again (it may be reused).
    guard.0 = None;
}

#[test]
fn port_already_in_use_is_fatal_and_logged() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind a port");
    let port = listener.local_addr().expect("addr").port();
    let mut s = Server::spawn(&server_binary(), None, port, &[]);
    let status = s.wait_exit();
    assert!(
        !status.success(),
        "server started although port {port} is taken"
    );
    let out = format!("{}\n{}\n{}", s.log(), s.stdout(), s.stderr());
    assert!(
        out.contains(&port.to_string()),
        "no log line mentions the port {port}:\n{out}"
    );
    drop(listener);
}

#[test]
fn bad_value_in_config_file_is_fatal() {
    let conf = "# a comment\n\nport notanumber\n";
    let mut s = Server::spawn(&server_binary(), Some(conf), free_port(), &[]);
    let status = s.wait_exit();
    assert!(!status.success(), "server accepted a bad config file");
    let err = s.stderr();
    assert!(err.contains("FATAL CONFIG FILE ERROR"), "stderr:\n{err}");
    assert!(
        err.contains("at line 3"),
        "stderr does not give the line number:\n{err}"
    );
    assert!(
        err.contains(">>> 'port notanumber'"),
        "stderr does not quote the line:\n{err}"
    );
    assert!(
        err.contains("argument couldn't be parsed into an integer"),
        "stderr:\n{err}"
    );
}

#[test]
fn unknown_directive_in_config_file_is_fatal() {
    let conf = "no-such-directive yes\n";
    let mut s = Server::spawn(&server_binary(), Some(conf), free_port(), &[]);
    let status = s.wait_exit();
    assert!(!status.success(), "server accepted an unknown directive");
    let err = s.stderr();
    assert!(err.contains("FATAL CONFIG FILE ERROR"), "stderr:\n{err}");
    assert!(
        err.contains("Bad directive or wrong number of arguments"),
        "stderr:\n{err}"
    );
}

#[test]
fn unknown_option_on_the_command_line_is_fatal() {
    let mut s = Server::spawn(
        &server_binary(),
        None,
        free_port(),
        &["--no-such-option", "1"],
    );
    let status = s.wait_exit();
    assert!(
        !status.success(),
        "server accepted an unknown command-line option"
    );
    assert!(
        s.stderr().contains("FATAL CONFIG FILE ERROR"),
        "stderr:\n{}",
        s.stderr()
    );
}

#[test]
fn missing_config_file_is_fatal() {
    let tmp = TempDir::new("nofile");
    let missing = tmp.path().join("missing.conf");
    let port_s = free_port().to_string();
    let mut s = Server::spawn_raw(
        &server_binary(),
        &[
            missing.to_str().expect("utf-8"),
            "--port",
            &port_s,
            "--bind",
            "127.0.0.1",
        ],
        0,
    );
    let status = s.wait_exit();
    assert!(!status.success(), "server started without its config file");
}

#[test]
fn include_directive_is_honoured() {
    let tmp = TempDir::new("inc");
    let included = tmp.path().join("included.conf");
    fs::write(&included, "maxmemory 12345678\nhz 25\n").expect("write included config");
    let conf = format!(
        "include {}\nmaxmemory-policy allkeys-lru\n",
        included.display()
    );
    let s = Server::start_with_config(server_binary(), &conf, &[]);
    let mut c = s.client();
    assert_eq!(config_get(&mut c, "maxmemory"), "12345678");
    assert_eq!(config_get(&mut c, "hz"), "25");
    assert_eq!(config_get(&mut c, "maxmemory-policy"), "allkeys-lru");
}

#[test]
fn command_line_overrides_config_file() {
    let s = Server::start_with_config(server_binary(), "hz 20\ndatabases 4\n", &["--hz", "30"]);
    let mut c = s.client();
    assert_eq!(config_get(&mut c, "hz"), "30");
    assert_eq!(config_get(&mut c, "databases"), "4");
    assert_eq!(
        c.cmd(&["SELECT", "4"]),
        Reply::Error("ERR DB index is out of range".into())
    );
    assert_eq!(c.cmd(&["SELECT", "3"]), Reply::ok());
}

#[test]
fn config_file_comments_quotes_and_units() {
    let conf = "# comment\n   \nmaxmemory 2mb\nmaxmemory-policy \"volatile-lru\"\n  hz 12  \n";
    let s = Server::start_with_config(server_binary(), conf, &[]);
    let mut c = s.client();
    assert_eq!(config_get(&mut c, "maxmemory"), "2097152");
    assert_eq!(config_get(&mut c, "maxmemory-policy"), "volatile-lru");
    assert_eq!(config_get(&mut c, "hz"), "12");
}

#[test]
fn sigkill_leaves_no_server_behind() {
    // The guard's kill path: after kill() the port is free again.
    let mut s = Server::start(server_binary(), &[]);
    let port = s.port();
    s.kill();
    assert!(
        s.try_wait().is_some(),
        "process still running after SIGKILL"
    );
    wait_for(
        500,
        Duration::from_millis(10),
        || Client::connect(port).is_err(),
        "port still accepting after SIGKILL",
    );
}

/// `CONFIG GET name` → the single value.
fn config_get(c: &mut Client, name: &str) -> String {
    let r = c.cmd(&["CONFIG", "GET", name]);
    let items = r
        .as_array()
        .unwrap_or_else(|| panic!("CONFIG GET {name}: {r:?}"));
    assert_eq!(items.len(), 2, "CONFIG GET {name}: {r:?}");
    items[1].as_str().expect("value").to_string()
}

/// The pid in a pid file, if the file exists and holds a complete number.
fn read_pid(path: &Path) -> Option<u32> {
    let s = fs::read_to_string(path).ok()?;
    if !s.ends_with('\n') && s.trim().is_empty() {
        return None;
    }
    s.trim().parse().ok()
}

/// Kills a process that is not our child (a daemon) when dropped, unless
/// disarmed (set to None) once it is known to have exited.
struct KillOnDrop(Option<u32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            send_signal(pid, SIGKILL);
        }
    }
}
