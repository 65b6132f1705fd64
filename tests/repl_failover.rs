//! Coordinated failover (`FAILOVER`): a master hands its role to a replica
//! while a client keeps writing, and no acknowledged write is lost.
//!
//! - Under writes: master M with replicas R1, R2; `FAILOVER TO R1` while a
//!   client writes keys with an incrementing counter. Afterwards R1 is a
//!   master, M a replica of R1 (which it reached with a partial resync: the
//!   `PSYNC ... FAILOVER` path), R2 still replicates M (Redis moves no other
//!   replica), every acknowledged write is on R1 and all digests converge.
//! - Without TO: the master picks a replica that acknowledged everything.
//! - ABORT while waiting for a target stopped with SIGSTOP: back to
//!   no-failover, paused writes go on; TIMEOUT gives up the same way and
//!   TIMEOUT with FORCE goes on anyway.
//! - Errors and states compared with a real Redis 7.0 in the same situation
//!   (fake replicas made of raw connections make the situations exact).
//!
//! The server under test is `server_binary()`; with
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server` everything runs on Redis.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{
    send_signal, server_binary, wait_for, wait_for_log, wait_synced, Client, Reply, Server,
};

const SIGCONT: i32 = 18;
const SIGSTOP: i32 = 19;

/// Every node: DEBUG DIGEST, disk-based syncs that start at once, a PING
/// every second; a timeout long enough for a replica stopped by a test.
const NODE: &[&str] = &[
    "--enable-debug-command",
    "yes",
    "--repl-diskless-sync",
    "no",
    "--repl-ping-replica-period",
    "1",
    "--repl-timeout",
    "20",
];

fn start_node(bin: &Path, extra: &[&str]) -> Server {
    let mut args = NODE.to_vec();
    args.extend_from_slice(extra);
    Server::start(bin, &args)
}

fn replica_of(bin: &Path, of: &Server) -> Server {
    let port = of.port().to_string();
    start_node(bin, &["--replicaof", "127.0.0.1", &port])
}

fn stat(c: &mut Client, name: &str) -> i64 {
    c.info_field("stats", name).parse().unwrap_or(-1)
}

fn failover_state(c: &mut Client) -> String {
    c.info_field("replication", "master_failover_state")
}

fn ok(r: Reply) -> Reply {
    assert!(!r.is_error(), "unexpected error reply: {r:?}");
    r
}

/// Waits until `replica`'s link to `master` is up and `master` lists it
/// online (so FAILOVER TO may name it).
fn wait_online(master: &Server, replica: &Server) {
    let mut m = master.client();
    let mut r = replica.client();
    let needle = format!("port={},state=online", replica.port());
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            r.info_field("replication", "master_link_status") == "up"
                && m.info("replication").values().any(|v| v.contains(&needle))
        },
        "replica never came online",
    );
}

/// ROLE as (role, master port for a replica).
fn role(c: &mut Client) -> (String, i64) {
    let r = c.cmd(&["ROLE"]);
    let v = r.as_array().unwrap_or_else(|| panic!("ROLE: {r:?}"));
    let name = v[0].as_str().unwrap_or_default().to_string();
    let port = if name == "slave" {
        v[2].as_int().unwrap_or(-1)
    } else {
        -1
    };
    (name, port)
}

/// A client writing `w:<n>` = n with n = 0, 1, 2... until stopped or
/// refused; returns the counters of the acknowledged writes.
fn spawn_writer(port: u16, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<u64>> {
    std::thread::spawn(move || {
        let mut c = Client::connect(port).expect("writer connect");
        let mut acked = Vec::new();
        let mut n = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let v = n.to_string();
            match c.try_cmd(&["SET", &format!("w:{n}"), &v]) {
                Ok(Reply::Status(s)) if s == "OK" => acked.push(n),
                // -READONLY once the master became a replica.
                Ok(_) | Err(_) => break,
            }
            n += 1;
        }
        acked
    })
}

#[test]
fn failover_to_replica_under_writes_keeps_every_acked_write() {
    let bin = server_binary();
    let m = start_node(&bin, &[]);
    let r1 = replica_of(&bin, &m);
    let r2 = replica_of(&bin, &m);
    wait_online(&m, &r1);
    wait_online(&m, &r2);
    let mut mc = m.client();
    let full_before = stat(&mut mc, "sync_full");

    let stop = Arc::new(AtomicBool::new(false));
    let writer = spawn_writer(m.port(), stop.clone());
    let mut probe = m.client();
    wait_for(
        1000,
        Duration::from_millis(5),
        || probe.cmd(&["DBSIZE"]).as_int().is_some_and(|n| n >= 300),
        "the writer never wrote",
    );
    let r1_port = r1.port().to_string();
    assert_eq!(
        mc.cmd(&["FAILOVER", "TO", "127.0.0.1", &r1_port]),
        Reply::ok()
    );

    // M ends as a replica of R1 with its link up and the failover over.
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            let info = mc.info("replication");
            info.get("role").map(String::as_str) == Some("slave")
                && info.get("master_port") == Some(&r1_port)
                && info.get("master_link_status").map(String::as_str) == Some("up")
                && info.get("master_failover_state").map(String::as_str) == Some("no-failover")
        },
        "M never became a connected replica of R1",
    );
    stop.store(true, Ordering::Relaxed);
    let acked = writer.join().expect("writer panicked");
    assert!(
        acked.len() >= 300,
        "only {} writes acknowledged",
        acked.len()
    );

    let mut r1c = r1.client();
    assert_eq!(role(&mut r1c).0, "master");
    assert_eq!(role(&mut mc), ("slave".to_string(), r1.port() as i64));
    assert_eq!(failover_state(&mut r1c), "no-failover");
    // Every acknowledged write reached the new master.
    for n in &acked {
        let got = r1c.cmd(&["GET", &format!("w:{n}")]);
        assert_eq!(got, Reply::bulk(&n.to_string()), "acked write w:{n} lost");
    }
    // R2 was not moved: it replicates M, which replicates R1.
    let mut r2c = r2.client();
    assert_eq!(role(&mut r2c), ("slave".to_string(), m.port() as i64));
    // A write on the new master flows down the chain.
    ok(r1c.cmd(&["SET", "after", "failover"]));
    wait_synced(&[&r1, &m, &r2]);
    assert_eq!(r2c.cmd(&["GET", "after"]), Reply::bulk("failover"));

    // M continued its own history on R1 (PSYNC ... FAILOVER, +CONTINUE),
    // and R2 continued with M: no full sync anywhere.
    assert_eq!(stat(&mut r1c, "sync_partial_ok"), 1);
    assert_eq!(stat(&mut r1c, "sync_full"), 0);
    assert_eq!(stat(&mut mc, "sync_full"), full_before);
    wait_for_log(&r1, "Failover request received for replid");
    wait_for_log(
        &m,
        &format!("Failover target 127.0.0.1:{r1_port} is synced, failing over."),
    );
}

#[test]
fn failover_without_target_picks_a_synced_replica() {
    let bin = server_binary();
    let m = start_node(&bin, &[]);
    let r1 = replica_of(&bin, &m);
    let r2 = replica_of(&bin, &m);
    wait_online(&m, &r1);
    wait_online(&m, &r2);
    let mut mc = m.client();
    for i in 0..100 {
        ok(mc.cmd(&["SET", &format!("k{i}"), "v"]));
    }
    assert_eq!(mc.cmd(&["FAILOVER"]), Reply::ok());
    wait_for_log(&m, "FAILOVER requested to any replica.");
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            let info = mc.info("replication");
            info.get("role").map(String::as_str) == Some("slave")
                && info.get("master_link_status").map(String::as_str) == Some("up")
                && info.get("master_failover_state").map(String::as_str) == Some("no-failover")
        },
        "M never became a connected replica",
    );
    let (_, port) = role(&mut mc);
    let (new_master, other) = if port == r1.port() as i64 {
        (&r1, &r2)
    } else {
        assert_eq!(port, r2.port() as i64, "M follows an unknown port");
        (&r2, &r1)
    };
    assert_eq!(role(&mut new_master.client()).0, "master");
    ok(new_master.client().cmd(&["SET", "after", "1"]));
    wait_synced(&[new_master, &m, other]);
    assert_eq!(other.client().cmd(&["DBSIZE"]), Reply::Int(101));
}

#[test]
fn failover_abort_and_timeout_while_the_target_lags() {
    let bin = server_binary();
    let m = start_node(&bin, &[]);
    let r1 = replica_of(&bin, &m);
    wait_online(&m, &r1);
    let mut mc = m.client();
    ok(mc.cmd(&["SET", "before", "1"]));
    wait_synced(&[&m, &r1]);
    let r1_port = r1.port().to_string();

    // The target cannot acknowledge anything while stopped.
    assert!(send_signal(r1.pid(), SIGSTOP));
    ok(mc.cmd(&["SET", "lag", "1"]));
    assert_eq!(
        mc.cmd(&["FAILOVER", "TO", "127.0.0.1", &r1_port]),
        Reply::ok()
    );
    assert_eq!(failover_state(&mut mc), "waiting-for-sync");
    // Writes wait (CLIENT PAUSE WRITE semantics), reads do not.
    let mut writer = m.client();
    writer.send_cmd(&[b"SET", b"paused", b"1"]);
    assert_eq!(mc.cmd(&["GET", "before"]), Reply::bulk("1"));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(mc.cmd(&["EXISTS", "paused"]), Reply::Int(0));
    // The failover's pause is its own: CLIENT UNPAUSE does not end it.
    assert_eq!(mc.cmd(&["CLIENT", "UNPAUSE"]), Reply::ok());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(mc.cmd(&["EXISTS", "paused"]), Reply::Int(0));
    assert_eq!(
        mc.cmd(&["FAILOVER", "TO", "127.0.0.1", &r1_port]),
        Reply::Error("ERR FAILOVER already in progress.".into())
    );
    assert_eq!(mc.cmd(&["FAILOVER", "ABORT"]), Reply::ok());
    assert_eq!(failover_state(&mut mc), "no-failover");
    assert_eq!(writer.read_reply(), Reply::ok());
    assert_eq!(role(&mut mc).0, "master");
    wait_for_log(
        &m,
        &format!("FAILOVER to 127.0.0.1:{r1_port} aborted: Failover manually aborted"),
    );

    // TIMEOUT without FORCE gives up.
    assert_eq!(
        mc.cmd(&["FAILOVER", "TO", "127.0.0.1", &r1_port, "TIMEOUT", "300"]),
        Reply::ok()
    );
    wait_for_log(
        &m,
        &format!("FAILOVER to 127.0.0.1:{r1_port} aborted: Replica never caught up before timeout"),
    );
    assert_eq!(failover_state(&mut mc), "no-failover");
    assert_eq!(role(&mut mc).0, "master");
    ok(mc.cmd(&["SET", "after-timeout", "1"]));

    // TIMEOUT with FORCE fails over anyway; it completes once the target
    // runs again.
    assert_eq!(
        mc.cmd(&[
            "FAILOVER",
            "TO",
            "127.0.0.1",
            &r1_port,
            "TIMEOUT",
            "300",
            "FORCE"
        ]),
        Reply::ok()
    );
    wait_for_log(
        &m,
        &format!("FAILOVER to 127.0.0.1:{r1_port} time out exceeded, failing over."),
    );
    assert_eq!(failover_state(&mut mc), "failover-in-progress");
    assert!(send_signal(r1.pid(), SIGCONT));
    wait_for(
        1500,
        Duration::from_millis(10),
        || failover_state(&mut mc) == "no-failover",
        "the forced failover never ended",
    );
    let mut r1c = r1.client();
    assert_eq!(role(&mut r1c).0, "master");
    assert_eq!(role(&mut mc), ("slave".to_string(), r1.port() as i64));
    wait_synced(&[&r1, &m]);
}

/// Failover between a master run by `m_bin` and a replica run by `r_bin`:
/// the PSYNC ... FAILOVER exchange between different implementations.
fn failover_between(m_bin: &Path, r_bin: &Path) {
    let m = start_node(m_bin, &[]);
    let r1 = replica_of(r_bin, &m);
    wait_online(&m, &r1);
    let mut mc = m.client();
    for i in 0..200 {
        ok(mc.cmd(&["RPUSH", "list", &i.to_string()]));
        ok(mc.cmd(&["SET", &format!("k{i}"), &i.to_string()]));
    }
    let rp = r1.port().to_string();
    assert_eq!(mc.cmd(&["FAILOVER", "TO", "127.0.0.1", &rp]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            let info = mc.info("replication");
            info.get("master_port") == Some(&rp)
                && info.get("master_link_status").map(String::as_str) == Some("up")
                && info.get("master_failover_state").map(String::as_str) == Some("no-failover")
        },
        "M never became a connected replica of R1",
    );
    let mut r1c = r1.client();
    assert_eq!(role(&mut r1c).0, "master");
    assert_eq!(stat(&mut r1c, "sync_partial_ok"), 1);
    assert_eq!(stat(&mut r1c, "sync_full"), 0);
    ok(r1c.cmd(&["RPUSH", "list", "after"]));
    wait_synced(&[&r1, &m]);
    assert_eq!(mc.cmd(&["LLEN", "list"]), Reply::Int(201));
}

#[test]
fn failover_between_ferrodis_and_redis() {
    let redis = require_redis!();
    let ours = server_binary();
    failover_between(&ours, &redis);
    failover_between(&redis, &ours);
}

// ---------------------------------------------------------------------------
// Differential: errors and states against a real Redis
// ---------------------------------------------------------------------------

/// A raw connection that registers as a replica announcing `port`, and
/// (when `sync`) asks for a full sync. It never acknowledges anything.
fn fake_replica(master: &Server, port: u16, capa_eof: bool, sync: bool) -> Client {
    let mut c = master.client();
    let p = port.to_string();
    ok(c.cmd(&["REPLCONF", "listening-port", &p]));
    if capa_eof {
        ok(c.cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]));
    }
    if sync {
        c.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    }
    c
}

/// Runs the scenario on `bin`; returns (case, reply) pairs to compare.
fn error_scenario(bin: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut record = |name: &str, r: Reply| out.push((name.to_string(), format!("{r:?}")));

    // A master without replicas: options are parsed before the state is
    // looked at.
    let m = start_node(bin, &[]);
    let mut c = m.client();
    for args in [
        vec!["FAILOVER"],
        vec!["FAILOVER", "ABORT"],
        vec!["FAILOVER", "abort", "TIMEOUT", "10"],
        vec!["FAILOVER", "FORCE"],
        vec!["FAILOVER", "FORCE", "FORCE"],
        vec!["FAILOVER", "TIMEOUT", "0"],
        vec!["FAILOVER", "TIMEOUT", "-5"],
        vec!["FAILOVER", "TIMEOUT", "abc"],
        vec!["FAILOVER", "TIMEOUT", "10", "TIMEOUT", "10"],
        vec!["FAILOVER", "TIMEOUT"],
        vec!["FAILOVER", "TO", "127.0.0.1"],
        vec!["FAILOVER", "TO", "127.0.0.1", "notaport"],
        vec!["FAILOVER", "TO", "127.0.0.1", "1", "TO", "127.0.0.1", "2"],
        vec!["FAILOVER", "BOGUS"],
        vec!["FAILOVER", "TO", "127.0.0.1", "1"],
        vec![
            "PSYNC",
            "0000000000000000000000000000000000000000",
            "1",
            "FAILOVER",
        ],
    ] {
        let r = c.cmd(&args);
        record(&format!("no replicas: {args:?}"), r);
    }
    record("no replicas: state", Reply::Status(failover_state(&mut c)));

    // A real replica.
    let r = replica_of(bin, &m);
    wait_online(&m, &r);
    let rp = r.port().to_string();
    let mut rc = r.client();
    for args in [
        vec!["FAILOVER", "FORCE"],
        vec!["FAILOVER", "TO", "127.0.0.1", &rp, "FORCE"],
        vec!["FAILOVER", "TIMEOUT", "100", "FORCE"],
        vec!["FAILOVER", "TO", "127.0.0.1", "1"],
        vec!["FAILOVER", "TO", "10.1.2.3", &rp],
        vec!["FAILOVER", "TO", "127.0.0.1", "65537"],
        vec!["FAILOVER", "ABORT"],
    ] {
        let reply = c.cmd(&args);
        record(&format!("one replica: {args:?}"), reply);
    }
    for args in [
        vec!["FAILOVER"],
        vec!["FAILOVER", "ABORT"],
        vec!["FAILOVER", "TO", "127.0.0.1", &rp],
        vec![
            "PSYNC",
            "0000000000000000000000000000000000000000",
            "1",
            "FAILOVER",
        ],
    ] {
        let reply = rc.cmd(&args);
        record(&format!("on the replica: {args:?}"), reply);
    }

    // A replica that is attached but not online: waiting for a diskless
    // sync whose delay has not passed.
    ok(c.cmd(&["CONFIG", "SET", "repl-diskless-sync", "yes"]));
    ok(c.cmd(&["CONFIG", "SET", "repl-diskless-sync-delay", "30"]));
    let _waiting = fake_replica(&m, 7001, true, true);
    wait_for_log(&m, "Delay next BGSAVE for diskless SYNC");
    let reply = c.cmd(&["FAILOVER", "TO", "127.0.0.1", "7001"]);
    record("target not online", reply);
    drop(_waiting);
    ok(c.cmd(&["CONFIG", "SET", "repl-diskless-sync", "no"]));

    // A replica online that never acknowledges: FAILOVER waits for it.
    let _stuck = fake_replica(&m, 7002, false, true);
    wait_for(
        1000,
        Duration::from_millis(10),
        || {
            c.info("replication")
                .values()
                .any(|v| v.contains("port=7002,state=online"))
        },
        "fake replica never online",
    );
    ok(c.cmd(&["SET", "moves", "the offset"]));
    let reply = c.cmd(&["FAILOVER", "TO", "127.0.0.1", "7002"]);
    record("waiting: start", reply);
    record("waiting: state", Reply::Status(failover_state(&mut c)));
    for args in [
        vec!["FAILOVER"],
        vec!["FAILOVER", "TIMEOUT", "0"],
        vec!["FAILOVER", "BOGUS"],
        vec!["FAILOVER", "TO", "127.0.0.1", "7002"],
        vec!["REPLICAOF", "127.0.0.1", "1"],
        vec!["REPLICAOF", "NO", "ONE"],
    ] {
        let reply = c.cmd(&args);
        record(&format!("waiting: {args:?}"), reply);
    }
    let mut other = m.client();
    let reply = other.cmd(&["PSYNC", "?", "-1"]);
    record("waiting: PSYNC from another replica", reply);
    let reply = m.client().cmd(&["SYNC"]);
    record("waiting: SYNC from another replica", reply);
    let reply = c.cmd(&["FAILOVER", "ABORT"]);
    record("waiting: abort", reply);
    record("aborted: state", Reply::Status(failover_state(&mut c)));
    let reply = c.cmd(&["FAILOVER", "ABORT"]);
    record("aborted: abort again", reply);
    // (With TO: the real replica, in sync, must not be picked instead.)
    let reply = c.cmd(&["FAILOVER", "TO", "127.0.0.1", "7002", "TIMEOUT", "200"]);
    record("timeout: start", reply);
    wait_for_log(
        &m,
        "FAILOVER to 127.0.0.1:7002 aborted: Replica never caught up before timeout",
    );
    record("timeout: state", Reply::Status(failover_state(&mut c)));
    out
}

#[test]
fn failover_errors_match_redis() {
    let redis = require_redis!();
    let ours = error_scenario(&server_binary());
    let theirs = error_scenario(&redis);
    assert_eq!(ours.len(), theirs.len());
    for ((case, a), (_, b)) in ours.iter().zip(&theirs) {
        assert_eq!(a, b, "{case}: ours {a}, Redis {b}");
    }
}
