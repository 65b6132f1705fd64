//! WAIT and min-replicas-to-write with ferrodis masters and replicas:
//! WAIT's count with 0, 1 and 2 replicas and its timeout; writes refused
//! with NOREPLICAS, then accepted, as replicas come and go.

mod common;

use std::time::{Duration, Instant};

use common::{server_binary, wait_for, Client, Reply, Server};

fn replica_of(master: &Server) -> Server {
    let port = master.port().to_string();
    Server::start(
        server_binary(),
        &[
            "--replicaof",
            "127.0.0.1",
            &port,
            "--repl-diskless-sync",
            "no",
        ],
    )
}

fn wait_online(m: &mut Client, n: usize) {
    wait_for(
        300,
        Duration::from_millis(20),
        || {
            let info = m.info("replication");
            (0..n).all(|i| {
                info.get(&format!("slave{i}"))
                    .is_some_and(|v| v.contains("state=online"))
            }) && info.get("connected_slaves").map(String::as_str) == Some(&n.to_string())
        },
        &format!("{n} replicas online"),
    );
}

#[test]
fn wait_counts_acknowledging_replicas_and_times_out() {
    let master = Server::start(server_binary(), &["--repl-diskless-sync", "no"]);
    let mut m = master.client();
    // No replica: WAIT answers 0 at once for 0, and after the timeout for 1.
    m.cmd(&["SET", "a", "1"]);
    assert_eq!(m.cmd(&["WAIT", "0", "0"]), Reply::Int(0));
    let t = Instant::now();
    assert_eq!(m.cmd(&["WAIT", "1", "200"]), Reply::Int(0));
    assert!(t.elapsed() >= Duration::from_millis(150));
    let r1 = replica_of(&master);
    wait_online(&mut m, 1);
    m.cmd(&["SET", "b", "2"]);
    assert_eq!(m.cmd(&["WAIT", "1", "5000"]), Reply::Int(1));
    let r2 = replica_of(&master);
    wait_online(&mut m, 2);
    m.cmd(&["INCR", "c"]);
    assert_eq!(m.cmd(&["WAIT", "2", "5000"]), Reply::Int(2));
    // Asking for more than exist: the count after the timeout.
    assert_eq!(m.cmd(&["WAIT", "3", "300"]), Reply::Int(2));
    assert_eq!(
        r1.client().cmd(&["GET", "c"]),
        Reply::Bulk(Some(b"1".to_vec()))
    );
    assert_eq!(
        r2.client().cmd(&["GET", "c"]),
        Reply::Bulk(Some(b"1".to_vec()))
    );
    // WAIT on a replica is an error.
    match r1.client().cmd(&["WAIT", "0", "0"]) {
        Reply::Error(e) => assert!(e.starts_with("ERR WAIT cannot be used with replica instances")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn min_replicas_to_write_refuses_then_accepts() {
    let master = Server::start(
        server_binary(),
        &[
            "--repl-diskless-sync",
            "no",
            "--min-replicas-to-write",
            "1",
            "--min-replicas-max-lag",
            "10",
        ],
    );
    let mut m = master.client();
    assert_eq!(
        m.cmd(&["SET", "a", "1"]),
        Reply::Error("NOREPLICAS Not enough good replicas to write.".into())
    );
    assert_eq!(m.cmd(&["GET", "a"]), Reply::Bulk(None));
    let mut r = replica_of(&master);
    wait_online(&mut m, 1);
    wait_for(
        300,
        Duration::from_millis(20),
        || m.cmd(&["SET", "a", "1"]) == Reply::ok(),
        "write accepted with a good replica",
    );
    assert_eq!(
        m.info("replication")
            .get("min_slaves_good_slaves")
            .map(String::as_str),
        Some("1")
    );
    r.kill();
    wait_for(
        300,
        Duration::from_millis(20),
        || matches!(m.cmd(&["SET", "a", "2"]), Reply::Error(e) if e.starts_with("NOREPLICAS")),
        "writes refused again once the replica is gone",
    );
}

#[test]
fn a_stuck_replica_is_dropped_at_its_output_limit_and_resyncs() {
    let master = Server::start(
        server_binary(),
        &[
            "--repl-diskless-sync",
            "no",
            "--client-output-buffer-limit",
            "replica",
            "1mb",
            "0",
            "0",
            "--enable-debug-command",
            "yes",
        ],
    );
    let mut m = master.client();
    let replica = Server::start(
        server_binary(),
        &[
            "--replicaof",
            "127.0.0.1",
            &master.port().to_string(),
            "--enable-debug-command",
            "yes",
        ],
    );
    wait_online(&mut m, 1);
    // SIGSTOP: the replica stops reading, so its output buffer on the
    // master grows with every write.
    let signal = |sig: &str| {
        std::process::Command::new("kill")
            .args([sig, &replica.pid().to_string()])
            .status()
            .expect("kill");
    };
    signal("-STOP");
    // 40 MB of stream over one key: the dataset stays at 100 KB, so only an
    // unbounded replica buffer could make the master's peak RSS grow by
    // anything near that.
    let peak_before = peak_rss_kb(master.pid());
    let value = "v".repeat(100_000);
    for i in 0..400 {
        m.cmd(&["SET", "k", &format!("{i}{value}")]);
    }
    wait_for(
        300,
        Duration::from_millis(20),
        || {
            m.info("replication")
                .get("connected_slaves")
                .map(String::as_str)
                == Some("0")
        },
        "stuck replica dropped",
    );
    if common::server_binary()
        .to_string_lossy()
        .contains("ferrodis")
    {
        assert!(master
            .log()
            .contains("for overcoming of output buffer limits"));
    }
    let growth_kb = peak_rss_kb(master.pid()).saturating_sub(peak_before);
    assert!(
        growth_kb < 16 * 1024,
        "master's peak RSS grew by {growth_kb} kB while 40 MB were written for a stopped replica"
    );
    signal("-CONT");
    wait_online(&mut m, 1);
    let mut r = replica.client();
    wait_for(
        500,
        Duration::from_millis(20),
        || r.cmd(&["DEBUG", "DIGEST"]) == m.cmd(&["DEBUG", "DIGEST"]),
        "replica converged after resync",
    );
}

#[test]
fn shutdown_of_a_master_waits_for_its_replica() {
    let master = Server::start(
        server_binary(),
        &[
            "--repl-diskless-sync",
            "no",
            "--enable-debug-command",
            "yes",
        ],
    );
    let mut m = master.client();
    let replica = Server::start(
        server_binary(),
        &[
            "--replicaof",
            "127.0.0.1",
            &master.port().to_string(),
            "--enable-debug-command",
            "yes",
        ],
    );
    wait_online(&mut m, 1);
    // Writes and SHUTDOWN in one go: the replica cannot have acknowledged
    // them yet when SHUTDOWN arrives.
    let mut pipeline = Vec::new();
    for i in 0..200 {
        pipeline.extend_from_slice(
            format!(
                "*3\r\n$3\r\nSET\r\n${}\r\nk{i}\r\n$1\r\nv\r\n",
                format!("k{i}").len()
            )
            .as_bytes(),
        );
    }
    pipeline.extend_from_slice(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n");
    m.send_raw(&pipeline);
    let mut master = master;
    master.wait_exit();
    assert!(
        master
            .log()
            .contains("Waiting for replicas before shutting down."),
        "the master did not wait for its lagging replica"
    );
    let mut r = replica.client();
    assert_eq!(r.cmd(&["DBSIZE"]), Reply::Int(200));
}

/// Peak resident set size of a process (VmHWM in /proc/PID/status), in kB.
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}
