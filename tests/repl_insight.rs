//! ferrodis explains its full syncs: every full sync records why it was
//! needed, in the log line and in INFO replication (a counter per reason,
//! the last reason, and per replica its sync phase and RDB progress).

mod common;

use std::time::Duration;

use common::{server_binary, wait_for, Client, Server};

fn field(c: &mut Client, name: &str) -> String {
    c.info("replication").get(name).cloned().unwrap_or_default()
}

fn wait_online(m: &mut Client) {
    wait_for(
        300,
        Duration::from_millis(20),
        || field(m, "slave0").contains("state=online"),
        "replica online",
    );
}

#[test]
fn full_sync_reasons_are_counted_logged_and_shown_per_replica() {
    let master = Server::start(
        server_binary(),
        &["--repl-diskless-sync", "no", "--repl-backlog-size", "16kb"],
    );
    let mut m = master.client();
    let replica = Server::start(
        server_binary(),
        &["--replicaof", "127.0.0.1", &master.port().to_string()],
    );
    wait_online(&mut m);
    // A fresh replica has no history: "no cached master".
    assert!(
        field(&mut m, "full_sync_reasons").contains("no_cached_master=1"),
        "{:?}",
        m.info("replication")
    );
    assert_eq!(field(&mut m, "last_full_sync_reason"), "no_cached_master");
    assert!(
        field(&mut m, "replica0_sync").starts_with("phase=online,"),
        "{:?}",
        m.info("replication")
    );
    assert!(master
        .log()
        .contains("needed: the replica has no cached master"));
    // Drop the link and write more than the 16 KB backlog holds before the
    // replica comes back: "offset outside the backlog".
    m.cmd(&["CLIENT", "KILL", "TYPE", "replica"]);
    m.cmd(&["SET", "big", &"x".repeat(100_000)]);
    wait_for(
        300,
        Duration::from_millis(20),
        || field(&mut m, "last_full_sync_reason") == "offset_outside_backlog",
        "second full sync explained",
    );
    assert!(field(&mut m, "full_sync_reasons").contains("offset_outside_backlog=1"));
    assert!(master.log().contains("outside what the backlog holds"));
    wait_online(&mut m);
    drop(replica);
}
