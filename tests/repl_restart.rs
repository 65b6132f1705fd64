//! Restarts without full syncs (Redis 7.0 behaviour): a master shut down
//! cleanly and restarted from its snapshot keeps its replication history,
//! so its replica continues with a partial resync.

mod common;

use std::time::Duration;

use common::{server_binary, wait_for, Reply, Server, TempDir};

#[test]
fn clean_master_restart_allows_a_partial_resync() {
    let data = TempDir::new("repl-restart");
    let dir = data.path().to_str().expect("utf8 path");
    let port = common::free_port();
    let port_s = port.to_string();
    let master_args = [
        "--dir",
        dir,
        "--repl-diskless-sync",
        "no",
        "--enable-debug-command",
        "yes",
    ];
    let mut master = Server::spawn(&server_binary(), None, port, &master_args);
    master.wait_ready().expect("master up");
    let mut m = master.client();
    let replica = Server::start(
        server_binary(),
        &[
            "--replicaof",
            "127.0.0.1",
            &port_s,
            "--enable-debug-command",
            "yes",
        ],
    );
    let mut r = replica.client();
    for i in 0..100 {
        m.cmd(&["SET", &format!("k{i}"), "v"]);
    }
    wait_for(
        300,
        Duration::from_millis(20),
        || {
            r.info_field("replication", "master_repl_offset")
                == m.info_field("replication", "master_repl_offset")
        },
        "replica in sync",
    );
    // Clean shutdown with a final save: the snapshot carries the
    // replication ID and offset.
    m.send_raw(b"*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n");
    master.wait_exit();
    let mut master = Server::spawn(&server_binary(), None, port, &master_args);
    master.wait_ready().expect("master back");
    let mut m = master.client();
    wait_for(
        500,
        Duration::from_millis(20),
        || r.info_field("replication", "master_link_status") == "up",
        "replica reconnected",
    );
    assert_eq!(
        m.info_field("stats", "sync_full"),
        "0",
        "the replica needed a full sync"
    );
    assert_eq!(m.info_field("stats", "sync_partial_ok"), "1");
    m.cmd(&["SET", "after", "restart"]);
    wait_for(
        300,
        Duration::from_millis(20),
        || r.cmd(&["GET", "after"]) == Reply::Bulk(Some(b"restart".to_vec())),
        "writes after the restart reach the replica",
    );
    assert_eq!(r.cmd(&["DEBUG", "DIGEST"]), m.cmd(&["DEBUG", "DIGEST"]));
}
