//! Run-time configuration: CONFIG SET side effects (rebinding the listener),
//! CONFIG REWRITE on a real file, and the start-up banner.

mod common;

use std::time::Duration;

use common::{free_port, server_binary, wait_for, Client, Reply, Server};

#[test]
fn config_set_port_moves_the_listener() {
    let s = Server::start(server_binary(), &[]);
    let new_port = free_port();
    let mut c = s.client();
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "port", &new_port.to_string()]),
        Reply::ok()
    );
    // The old port stops accepting; the new one serves.
    wait_for(
        50,
        Duration::from_millis(20),
        || Client::connect(s.port()).is_err(),
        "old port still accepts connections",
    );
    let mut moved = Client::connect(new_port).expect("connect to the new port");
    assert_eq!(moved.cmd(&["PING"]), Reply::Status("PONG".into()));
    assert_eq!(
        moved.cmd(&["CONFIG", "GET", "port"]),
        Reply::Array(Some(vec![
            Reply::Bulk(Some(b"port".to_vec())),
            Reply::Bulk(Some(new_port.to_string().into_bytes())),
        ]))
    );
    // Move back so the guard's shutdown path finds the server.
    assert_eq!(
        moved.cmd(&["CONFIG", "SET", "port", &s.port().to_string()]),
        Reply::ok()
    );
}

#[test]
fn config_set_bind_failure_keeps_the_old_listener() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let r = c.cmd(&["CONFIG", "SET", "bind", "192.0.2.1"]);
    assert_eq!(
        r,
        Reply::Error(
            "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses."
                .into()
        )
    );
    let mut again = s.client();
    assert_eq!(again.cmd(&["PING"]), Reply::Status("PONG".into()));
    assert_eq!(
        again.cmd(&["CONFIG", "GET", "bind"]),
        Reply::Array(Some(vec![
            Reply::Bulk(Some(b"bind".to_vec())),
            Reply::Bulk(Some(b"127.0.0.1".to_vec())),
        ]))
    );
}

#[test]
fn config_rewrite_keeps_comments_and_records_changes() {
    let conf = "# my comment\nhz 10\n\n# another\nmaxmemory 1mb\n";
    let s = Server::start_with_config(server_binary(), conf, &[]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["CONFIG", "SET", "hz", "20"]), Reply::ok());
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]),
        Reply::ok()
    );
    assert_eq!(c.cmd(&["CONFIG", "REWRITE"]), Reply::ok());
    let text = std::fs::read_to_string(s.dir().join("server.conf")).expect("read rewritten config");
    assert!(text.contains("# my comment\n"), "{text}");
    assert!(text.contains("# another\n"), "{text}");
    assert!(text.contains("\nhz 20\n"), "{text}");
    assert!(text.contains("maxmemory-policy allkeys-lru"), "{text}");
    assert!(text.contains("maxmemory 1mb"), "{text}");
}

#[test]
fn config_rewrite_without_a_file_is_refused() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    assert_eq!(
        c.cmd(&["CONFIG", "REWRITE"]),
        Reply::Error("ERR The server is running without a config file".into())
    );
}

#[test]
fn banner_shows_the_pid_with_always_show_logo() {
    let s = Server::start(server_binary(), &["--always-show-logo", "yes"]);
    let pid_line = format!("PID: {}", s.pid());
    wait_for(
        50,
        Duration::from_millis(20),
        || s.log().contains(&pid_line),
        "banner with the PID line",
    );
}
