//! Replication topologies: chains (master → replica → sub-replica), several
//! replicas of one master, a replica killed with SIGKILL and restarted from
//! its own RDB (partial resync while the master's backlog covers the gap,
//! full resync once it is overrun), promotion of a replica with the others
//! re-pointed to it (PSYNC2 partial resyncs), chains mixing ferrodis and a
//! real Redis 7.0, and the failure cases of a replica (READONLY,
//! MASTERDOWN, a wrong `masterauth`, a master restarted with a new
//! replication ID, a link stalled past `repl-timeout`).
//!
//! Every test starts its own servers on free ports. Nodes are compared with
//! DEBUG DIGEST only once they are in step: every replica's link is up and
//! every node reports the same `master_replid` and `master_repl_offset`
//! ([`wait_synced`]), so each byte of the stream was applied everywhere.
//! Nothing sleeps for a fixed time; every wait polls with a bound.
//!
//! The server under test is `server_binary()`: run with
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server` to check the tests
//! themselves against Redis (the mixed-chain tests then use Redis only).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{
    send_signal, server_binary, wait_for, wait_for_log, wait_synced, Client, Reply, Server, TempDir,
};

const SIGCONT: i32 = 18;
const SIGSTOP: i32 = 19;

/// Arguments of every node: DEBUG DIGEST, disk-based syncs that start at
/// once (ferrodis has no diskless sync; real Redis would wait 5 s for
/// more replicas with diskless sync), short timeouts so failures show fast.
const NODE: &[&str] = &[
    "--enable-debug-command",
    "yes",
    "--repl-diskless-sync",
    "no",
    "--repl-ping-replica-period",
    "1",
    "--repl-timeout",
    "2",
];

fn start_node(bin: &Path, extra: &[&str]) -> Server {
    let mut args = NODE.to_vec();
    args.extend_from_slice(extra);
    Server::start(bin, &args)
}

/// A master (the server under test).
fn master(extra: &[&str]) -> Server {
    start_node(&server_binary(), extra)
}

/// A replica of `of` (the server under test).
fn replica(of: &Server, extra: &[&str]) -> Server {
    replica_bin(&server_binary(), of, extra)
}

fn replica_bin(bin: &Path, of: &Server, extra: &[&str]) -> Server {
    let port = of.port().to_string();
    let mut args = vec!["--replicaof", "127.0.0.1", &port];
    args.extend_from_slice(extra);
    start_node(bin, &args)
}

fn stat(c: &mut Client, name: &str) -> i64 {
    c.info_field("stats", name).parse().unwrap_or(-1)
}

fn ok(r: Reply) -> Reply {
    assert!(!r.is_error(), "unexpected error reply: {r:?}");
    r
}

/// Some data of every type in db 0 and db 3.
fn fill(c: &mut Client) {
    for db in ["0", "3"] {
        ok(c.cmd(&["SELECT", db]));
        ok(c.cmd(&["SET", "str", "hello"]));
        ok(c.cmd(&["SET", "ttl", "v", "EX", "100000"]));
        ok(c.cmd(&["RPUSH", "list", "a", "b", "c"]));
        ok(c.cmd(&["HSET", "hash", "f", "v", "n", "1.5"]));
        ok(c.cmd(&["SADD", "set", "a", "b", "c", "d", "e"]));
        ok(c.cmd(&["ZADD", "zset", "1", "a", "2", "b", "3", "c"]));
        for i in 0..50 {
            let v = format!("v{i}-{}", "x".repeat(i % 60));
            ok(c.cmd(&["RPUSH", "biglist", &v]));
            ok(c.cmd(&["HSET", "bighash", &i.to_string(), &v]));
            ok(c.cmd(&["SADD", "bigset", &v]));
            ok(c.cmd(&["ZADD", "bigzset", &i.to_string(), &v]));
            ok(c.cmd(&["XADD", "stream", &format!("{}-1", i + 1), "f", &v]));
        }
        ok(c.cmd(&["XDEL", "stream", "3-1"]));
    }
    ok(c.cmd(&["SELECT", "0"]));
}

/// One round of writes of every type on `master` (round `n` makes the
/// keys differ between rounds). Leaves the connection in db 0.
fn write_round(master: &Server, c: &mut Client, n: usize) {
    let k = |s: &str| format!("{s}:{n}");
    ok(c.cmd(&["SELECT", "0"]));
    // Strings and expiry in every form.
    ok(c.cmd(&["SET", &k("ex"), "v", "EX", "1000"]));
    ok(c.cmd(&["SET", &k("px"), "v", "PX", "2000000"]));
    ok(c.cmd(&["SET", &k("p"), "v"]));
    ok(c.cmd(&["EXPIRE", &k("p"), "500"]));
    ok(c.cmd(&["PERSIST", &k("ex")]));
    ok(c.cmd(&["GETEX", &k("px"), "EX", "3000"]));
    ok(c.cmd(&["GETEX", "str", "PERSIST"]));
    ok(c.cmd(&["APPEND", "str", "!"]));
    ok(c.cmd(&["INCRBYFLOAT", "float", "1.1"]));
    // Lists, with a blocking pop served by a later push.
    let mut blocked = master.client();
    blocked.send_cmd(&[b"BLPOP", k("bl").as_bytes(), b"0"]);
    wait_for(
        500,
        Duration::from_millis(5),
        || c.info_field("clients", "blocked_clients") == "1",
        "BLPOP never blocked",
    );
    ok(c.cmd(&["RPUSH", &k("bl"), "x", "y"]));
    let popped = blocked.read_reply();
    assert!(
        matches!(popped, Reply::Array(Some(ref v)) if v.len() == 2),
        "{popped:?}"
    );
    ok(c.cmd(&["LPUSH", "list", "z"]));
    ok(c.cmd(&["RPOP", "biglist"]));
    ok(c.cmd(&["LMOVE", "list", &k("moved"), "LEFT", "RIGHT"]));
    // Hashes.
    ok(c.cmd(&["HINCRBYFLOAT", "hash", "n", "0.1"]));
    ok(c.cmd(&["HSET", "bighash", &k("f"), "v"]));
    ok(c.cmd(&["HDEL", "bighash", &n.to_string()]));
    // Sets: SPOP is propagated as the SREM of what it popped.
    ok(c.cmd(&["SPOP", "set"]));
    ok(c.cmd(&["SPOP", "bigset", "2"]));
    ok(c.cmd(&["SADD", "set", &k("m")]));
    // Sorted sets.
    ok(c.cmd(&["ZINCRBY", "zset", "2.5", "a"]));
    ok(c.cmd(&["ZPOPMIN", "bigzset"]));
    ok(c.cmd(&["ZADD", "zset", "7", &k("m")]));
    // Streams: generated IDs and approximate trims must land the same.
    ok(c.cmd(&["XADD", "stream", "*", "f", &k("auto")]));
    ok(c.cmd(&["XADD", "stream", "MAXLEN", "~", "10", "*", "f", "x"]));
    ok(c.cmd(&["XTRIM", "stream", "MINID", "~", "30"]));
    ok(c.cmd(&["XDEL", "stream", "40-1"]));
    ok(c.cmd(&["XADD", &k("xs"), "NOMKSTREAM", "*", "f", "x"]));
    ok(c.cmd(&["XADD", &k("xs"), "MAXLEN", "0", "1-*", "f", "x"]));
    ok(c.cmd(&["XSETID", &k("xs"), "5-5"]));
    // Consumer groups: deliveries, acks, claims and a NOACK read.
    ok(c.cmd(&["XGROUP", "CREATE", "stream", &k("g"), "0"]));
    ok(c.cmd(&[
        "XREADGROUP",
        "GROUP",
        &k("g"),
        "alice",
        "COUNT",
        "3",
        "STREAMS",
        "stream",
        ">",
    ]));
    ok(c.cmd(&[
        "XREADGROUP",
        "GROUP",
        &k("g"),
        "bob",
        "NOACK",
        "COUNT",
        "2",
        "STREAMS",
        "stream",
        ">",
    ]));
    ok(c.cmd(&[
        "XAUTOCLAIM",
        "stream",
        &k("g"),
        "carol",
        "0",
        "0",
        "COUNT",
        "1",
    ]));
    ok(c.cmd(&["XGROUP", "CREATECONSUMER", "stream", &k("g"), "dave"]));
    // A transaction touching several dbs.
    ok(c.cmd(&["MULTI"]));
    c.cmd(&["INCR", "counter"]);
    c.cmd(&["SELECT", "5"]);
    c.cmd(&["SADD", "s5", &k("x")]);
    c.cmd(&["ZADD", "z5", "1", &k("m")]);
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["DEL", "nothing"]);
    let exec = c.cmd(&["EXEC"]);
    assert!(
        matches!(exec, Reply::Array(Some(ref v)) if v.len() == 6),
        "{exec:?}"
    );
    // Other dbs, and FLUSHDB of one of them.
    ok(c.cmd(&["SELECT", "3"]));
    ok(c.cmd(&["SET", &k("in3"), "x"]));
    ok(c.cmd(&["HINCRBYFLOAT", "hash", "n", "2.25"]));
    ok(c.cmd(&["SELECT", "7"]));
    ok(c.cmd(&["SET", "gone", "x"]));
    ok(c.cmd(&["RPUSH", "gone-list", "x"]));
    ok(c.cmd(&["FLUSHDB"]));
    ok(c.cmd(&["SET", &k("after-flush"), "x"]));
    ok(c.cmd(&["SELECT", "0"]));
}

/// Keys that expire by TTL on the master: the master's expiry deletes them
/// and propagates DELs. Waits until the master has expired all of them.
fn expire_on_master(c: &mut Client, count: usize) {
    let before = stat(c, "expired_keys");
    ok(c.cmd(&["SELECT", "2"]));
    for i in 0..count {
        ok(c.cmd(&["SET", &format!("short:{i}"), "v", "PX", "50"]));
    }
    ok(c.cmd(&["SELECT", "0"]));
    wait_for(
        500,
        Duration::from_millis(10),
        || stat(c, "expired_keys") >= before + count as i64,
        "the master never expired the short-lived keys",
    );
}

// ---------------------------------------------------------------------------
// 1. A chain and a sibling under writes of every type
// ---------------------------------------------------------------------------

/// Writes from another connection until `stop` is set: the load under
/// which replicas attach (full syncs start and finish while it runs).
fn background_writer(m: &Server, stop: &AtomicBool) {
    let mut c = m.client();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        // Not db 2: expire_on_master() checks it ends up empty.
        ok(c.cmd(&["SELECT", ["0", "1", "3", "4"][n % 4]]));
        ok(c.cmd(&["INCR", "bg:counter"]));
        ok(c.cmd(&["RPUSH", "bg:list", &n.to_string()]));
        ok(c.cmd(&["ZINCRBY", "bg:zset", "1.5", &(n % 10).to_string()]));
        ok(c.cmd(&["HINCRBYFLOAT", "bg:hash", &(n % 7).to_string(), "0.1"]));
        ok(c.cmd(&["SET", &format!("bg:ttl:{}", n % 50), "v", "PX", "100000"]));
        if n % 20 == 0 {
            ok(c.cmd(&["LTRIM", "bg:list", "-10", "-1"]));
            ok(c.cmd(&["SPOP", "set"]));
        }
        n += 1;
    }
}

#[test]
fn chain_and_sibling_follow_every_type_of_write() {
    let m = master(&[]);
    let mut mc = m.client();
    fill(&mut mc);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let writer = s.spawn(|| background_writer(&m, &stop));
        // Replicas attach while the writer runs; wait for their links so
        // their full syncs happened under load.
        let (r1, r3) = (replica(&m, &[]), replica(&m, &[]));
        let r2 = replica(&r1, &[]);
        for r in [&r1, &r3, &r2] {
            wait_for(
                1000,
                Duration::from_millis(10),
                || r.client().info_field("replication", "master_link_status") == "up",
                "a replica never synced under load",
            );
        }
        stop.store(true, Ordering::Relaxed);
        writer.join().expect("writer thread");
        wait_synced(&[&m, &r1, &r3, &r2]);
    });
    let r1 = replica(&m, &[]);
    let r3 = replica(&m, &[]);
    write_round(&m, &mut mc, 0);
    // r2 attaches to r1 while the stream runs, after the master's stream
    // selected db 3 (and without a new SELECT before the next write in it):
    // r2 must learn the stream's db from r1's RDB.
    wait_synced(&[&m, &r1, &r3]);
    ok(mc.cmd(&["SELECT", "3"]));
    ok(mc.cmd(&["SET", "db3-before-r2", "1"]));
    let r2 = replica(&r1, &[]);
    wait_for(
        1000,
        Duration::from_millis(10),
        || r2.client().info_field("replication", "master_link_status") == "up",
        "r2 never synced with r1",
    );
    ok(mc.cmd(&["SET", "db3-after-r2", "1"]));
    ok(mc.cmd(&["INCR", "db3-counter"]));
    for n in 1..4 {
        write_round(&m, &mut mc, n);
    }
    expire_on_master(&mut mc, 20);
    wait_synced(&[&m, &r1, &r2, &r3]);
    let mut r2c = r2.client();
    assert_eq!(ok(r2c.cmd(&["SELECT", "3"])), Reply::ok());
    assert_eq!(r2c.cmd(&["GET", "db3-after-r2"]), Reply::bulk("1"));
    ok(r2c.cmd(&["SELECT", "2"]));
    assert_eq!(r2c.cmd(&["DBSIZE"]), Reply::Int(0));
    // Sub-replicas report the same ID as the top of the chain.
    let mut r1c = r1.client();
    assert_eq!(r1c.info_field("replication", "connected_slaves"), "1");
    assert_eq!(mc.info_field("replication", "connected_slaves"), "2");
}

#[test]
fn chain_links_resync_partially() {
    let m = master(&[]);
    let mut mc = m.client();
    fill(&mut mc);
    let r1 = replica(&m, &[]);
    let r2 = replica(&r1, &[]);
    write_round(&m, &mut mc, 0);
    wait_synced(&[&m, &r1, &r2]);
    let mut r1c = r1.client();
    let r1_full = stat(&mut r1c, "sync_full");

    // The upper link: r1 continues from the master's backlog, and r2 (same
    // replication ID) keeps its link to r1.
    let partial = stat(&mut mc, "sync_partial_ok");
    ok(mc.cmd(&["SELECT", "3"]));
    ok(mc.cmd(&["SET", "upper", "1"]));
    assert_eq!(
        r1c.cmd(&["CLIENT", "KILL", "TYPE", "master"]),
        Reply::Int(1)
    );
    ok(mc.cmd(&["SET", "upper-during", "1"]));
    wait_for(
        500,
        Duration::from_millis(10),
        || stat(&mut mc, "sync_partial_ok") > partial,
        "r1 never resynced partially with the master",
    );
    ok(mc.cmd(&["SET", "upper-after", "1"]));
    wait_synced(&[&m, &r1, &r2]);
    assert_eq!(stat(&mut r1c, "sync_full"), r1_full);
    assert_eq!(stat(&mut r1c, "sync_partial_ok"), 0, "r2 had to reconnect");

    // The lower link: r2 continues from r1's backlog.
    let mut r2c = r2.client();
    assert_eq!(
        r2c.cmd(&["CLIENT", "KILL", "TYPE", "master"]),
        Reply::Int(1)
    );
    ok(mc.cmd(&["SET", "lower-during", "1"]));
    wait_for(
        500,
        Duration::from_millis(10),
        || stat(&mut r1c, "sync_partial_ok") == 1,
        "r2 never resynced partially with r1",
    );
    ok(mc.cmd(&["SET", "lower-after", "1"]));
    write_round(&m, &mut mc, 1);
    wait_synced(&[&m, &r1, &r2]);
    assert_eq!(stat(&mut r1c, "sync_full"), r1_full);

    // r1 promoted: r2 is disconnected (new replication ID) and continues
    // with a partial resync thanks to r1's replid2.
    assert_eq!(r1c.cmd(&["REPLICAOF", "NO", "ONE"]), Reply::ok());
    ok(r1c.cmd(&["SELECT", "3"]));
    ok(r1c.cmd(&["SET", "from-r1", "1"]));
    write_round(&r1, &mut r1c, 2);
    wait_synced(&[&r1, &r2]);
    assert_eq!(stat(&mut r1c, "sync_partial_ok"), 2);
    assert_eq!(stat(&mut r1c, "sync_full"), r1_full);
    ok(r2c.cmd(&["SELECT", "3"]));
    assert_eq!(r2c.cmd(&["GET", "from-r1"]), Reply::bulk("1"));
    assert_eq!(r2c.cmd(&["GET", "lower-after"]), Reply::bulk("1"));
}

// ---------------------------------------------------------------------------
// 2. kill -9 of a replica and a restart from its own RDB
// ---------------------------------------------------------------------------

/// A replica of `m` whose files live in `dir` (kept across restarts).
fn replica_in(m: &Server, dir: &TempDir) -> Server {
    let d = dir.path().to_string_lossy().into_owned();
    replica(m, &["--dir", &d])
}

#[test]
fn killed_replica_restarts_with_partial_then_full_resync() {
    let dir = TempDir::new("killed-replica");
    let m = master(&["--repl-backlog-size", "1mb"]);
    let mut mc = m.client();
    fill(&mut mc);
    let mut r = replica_in(&m, &dir);
    wait_synced(&[&m, &r]);

    // The master's stream is in db 3 when the replica saves, and stays
    // there (no SELECT) for the writes the replica misses: the restarted
    // replica must take the stream's db from its RDB.
    ok(mc.cmd(&["SELECT", "3"]));
    ok(mc.cmd(&["SET", "before-save", "1"]));
    wait_synced(&[&m, &r]);
    assert_eq!(r.client().cmd(&["SAVE"]), Reply::ok());
    ok(mc.cmd(&["SET", "after-save", "1"]));
    ok(mc.cmd(&["RPUSH", "list", "after-save"]));
    wait_synced(&[&m, &r]);
    r.kill();
    ok(mc.cmd(&["SET", "while-dead", "1"]));
    ok(mc.cmd(&["HSET", "hash", "while-dead", "1"]));
    let (full, partial) = (stat(&mut mc, "sync_full"), stat(&mut mc, "sync_partial_ok"));
    let mut r = replica_in(&m, &dir);
    wait_synced(&[&m, &r]);
    assert_eq!(
        stat(&mut mc, "sync_partial_ok"),
        partial + 1,
        "no partial resync"
    );
    assert_eq!(stat(&mut mc, "sync_full"), full, "unexpected full resync");
    let mut rc = r.client();
    ok(rc.cmd(&["SELECT", "3"]));
    assert_eq!(rc.cmd(&["GET", "while-dead"]), Reply::bulk("1"));

    // Now overrun a tiny backlog while the replica is down: full resync.
    ok(mc.cmd(&["CONFIG", "SET", "repl-backlog-size", "16kb"]));
    assert_eq!(rc.cmd(&["SAVE"]), Reply::ok());
    r.kill();
    let big = "y".repeat(500);
    for i in 0..100 {
        ok(mc.cmd(&["SET", &format!("overrun:{i}"), &big]));
    }
    let (full, partial) = (stat(&mut mc, "sync_full"), stat(&mut mc, "sync_partial_ok"));
    let r = replica_in(&m, &dir);
    wait_synced(&[&m, &r]);
    assert_eq!(stat(&mut mc, "sync_full"), full + 1, "no full resync");
    assert_eq!(stat(&mut mc, "sync_partial_ok"), partial);
}

// ---------------------------------------------------------------------------
// 3. Promotion of a replica, the old master and a sibling following it
// ---------------------------------------------------------------------------

#[test]
fn promoted_replica_serves_old_master_and_sibling_with_partial_resyncs() {
    let m = master(&[]);
    let mut mc = m.client();
    fill(&mut mc);
    let r1 = replica(&m, &[]);
    let r3 = replica(&m, &[]);
    write_round(&m, &mut mc, 0);
    wait_synced(&[&m, &r1, &r3]);

    let mut r1c = r1.client();
    let (full, partial) = (
        stat(&mut r1c, "sync_full"),
        stat(&mut r1c, "sync_partial_ok"),
    );
    assert_eq!(r1c.cmd(&["REPLICAOF", "NO", "ONE"]), Reply::ok());
    let p1 = r1.port().to_string();
    assert_eq!(mc.cmd(&["REPLICAOF", "127.0.0.1", &p1]), Reply::ok());
    assert_eq!(
        r3.client().cmd(&["REPLICAOF", "127.0.0.1", &p1]),
        Reply::ok()
    );
    wait_synced(&[&r1, &m, &r3]);
    assert_eq!(stat(&mut r1c, "sync_partial_ok"), partial + 2);
    assert_eq!(stat(&mut r1c, "sync_full"), full);
    assert_eq!(full, 0);

    // Writes on the new master reach both.
    write_round(&r1, &mut r1c, 1);
    ok(r1c.cmd(&["SET", "from-new-master", "1"]));
    wait_synced(&[&r1, &m, &r3]);
    assert_eq!(mc.cmd(&["GET", "from-new-master"]), Reply::bulk("1"));
    assert_eq!(stat(&mut r1c, "sync_full"), 0);
}

// ---------------------------------------------------------------------------
// 4. Chains mixing ferrodis and real Redis
// ---------------------------------------------------------------------------

#[test]
fn redis_master_ferrodis_replica_redis_subreplica() {
    let redis = require_redis!();
    let rm = start_node(&redis, &[]);
    let mut rmc = rm.client();
    fill(&mut rmc);
    let f = replica(&rm, &[]);
    let rr = replica_bin(&redis, &f, &[]);
    write_round(&rm, &mut rmc, 0);
    wait_synced(&[&rm, &f, &rr]);

    let partial = stat(&mut rmc, "sync_partial_ok");
    let full = stat(&mut rmc, "sync_full");
    // Leave the master's stream in db 3 across the reconnection.
    ok(rmc.cmd(&["SELECT", "3"]));
    ok(rmc.cmd(&["SET", "before-kill", "1"]));
    wait_synced(&[&rm, &f, &rr]);
    assert_eq!(
        f.client().cmd(&["CLIENT", "KILL", "TYPE", "master"]),
        Reply::Int(1)
    );
    ok(rmc.cmd(&["SET", "during-reconnect", "1"]));
    wait_for(
        500,
        Duration::from_millis(10),
        || stat(&mut rmc, "sync_partial_ok") > partial,
        "the ferrodis replica never resynced partially",
    );
    ok(rmc.cmd(&["SET", "after-reconnect", "1"]));
    write_round(&rm, &mut rmc, 1);
    wait_synced(&[&rm, &f, &rr]);
    assert_eq!(stat(&mut rmc, "sync_partial_ok"), partial + 1);
    assert_eq!(stat(&mut rmc, "sync_full"), full);
    let mut rrc = rr.client();
    ok(rrc.cmd(&["SELECT", "3"]));
    assert_eq!(rrc.cmd(&["GET", "after-reconnect"]), Reply::bulk("1"));

    // The real Redis sub-replica continues from the ferrodis backlog.
    let mut fc = f.client();
    let (f_full, f_partial) = (stat(&mut fc, "sync_full"), stat(&mut fc, "sync_partial_ok"));
    assert_eq!(
        rrc.cmd(&["CLIENT", "KILL", "TYPE", "master"]),
        Reply::Int(1)
    );
    ok(rmc.cmd(&["SET", "lower-during", "1"]));
    wait_for(
        500,
        Duration::from_millis(10),
        || stat(&mut fc, "sync_partial_ok") > f_partial,
        "the Redis sub-replica never resynced partially with ferrodis",
    );
    write_round(&rm, &mut rmc, 2);
    wait_synced(&[&rm, &f, &rr]);
    assert_eq!(stat(&mut fc, "sync_full"), f_full);
}

#[test]
fn ferrodis_master_redis_replica_ferrodis_subreplica() {
    let redis = require_redis!();
    let fm = master(&[]);
    let mut fmc = fm.client();
    fill(&mut fmc);
    let rr = replica_bin(&redis, &fm, &[]);
    write_round(&fm, &mut fmc, 0);
    let f2 = replica(&rr, &[]);
    write_round(&fm, &mut fmc, 1);
    expire_on_master(&mut fmc, 5);
    wait_synced(&[&fm, &rr, &f2]);

    // Each link drops in turn and resumes from the backlog above it.
    let mut rrc = rr.client();
    let mut w = fm.client();
    ok(w.cmd(&["SELECT", "3"]));
    for (killed, above, name) in [(&rr, &mut fmc, "Redis"), (&f2, &mut rrc, "ferrodis")] {
        let (full, partial) = (stat(above, "sync_full"), stat(above, "sync_partial_ok"));
        ok(w.cmd(&["SET", "before", name]));
        assert_eq!(
            killed.client().cmd(&["CLIENT", "KILL", "TYPE", "master"]),
            Reply::Int(1)
        );
        ok(w.cmd(&["SET", "during", name]));
        wait_for(
            500,
            Duration::from_millis(10),
            || stat(above, "sync_partial_ok") > partial,
            &format!("the {name} replica never resynced partially"),
        );
        assert_eq!(stat(above, "sync_full"), full);
    }
    write_round(&fm, &mut fmc, 2);
    wait_synced(&[&fm, &rr, &f2]);
}

// ---------------------------------------------------------------------------
// 5. A replica's failure cases
// ---------------------------------------------------------------------------

#[test]
fn replica_is_read_only_and_refuses_stale_data_when_asked() {
    let mut m = master(&[]);
    ok(m.client().cmd(&["SET", "k", "v"]));
    let r = replica(&m, &["--replica-serve-stale-data", "no"]);
    wait_synced(&[&m, &r]);
    let mut rc = r.client();
    assert_eq!(
        rc.cmd(&["SET", "k", "w"]),
        Reply::Error("READONLY You can't write against a read only replica.".into())
    );
    assert_eq!(rc.cmd(&["GET", "k"]), Reply::bulk("v"));
    m.kill();
    wait_for(
        500,
        Duration::from_millis(10),
        || rc.info_field("replication", "master_link_status") == "down",
        "the link never went down",
    );
    assert_eq!(
        rc.cmd(&["GET", "k"]),
        Reply::Error(
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
                .into()
        )
    );
}

#[test]
fn wrong_masterauth_means_no_sync() {
    let m = master(&["--requirepass", "secret"]);
    let mut mc = m.client();
    ok(mc.cmd(&["AUTH", "secret"]));
    ok(mc.cmd(&["SET", "k", "v"]));
    let r = replica(&m, &["--masterauth", "wrong"]);
    wait_for_log(&r, "Unable to AUTH to MASTER");
    let mut rc = r.client();
    assert_eq!(rc.info_field("replication", "master_link_status"), "down");
    assert_eq!(rc.cmd(&["DBSIZE"]), Reply::Int(0));
    assert_eq!(stat(&mut mc, "sync_full"), 0);
}

#[test]
fn master_restarted_with_a_new_id_forces_a_full_resync() {
    let mut m = master(&[]);
    let port = m.port();
    let mut mc = m.client();
    fill(&mut mc);
    let r = replica(&m, &[]);
    let r2 = replica(&r, &[]);
    wait_synced(&[&m, &r, &r2]);
    let mut rc = r.client();
    let old_id = rc.info_field("replication", "master_replid");
    m.kill();
    // The same port, no data (a fresh dir): a new replication ID.
    let mut m2 = Server::spawn(&server_binary(), None, port, NODE);
    assert!(m2.wait_ready().is_ok(), "the master did not restart");
    // r's sub-replica follows it into the new history (a full sync too).
    wait_synced(&[&m2, &r, &r2]);
    assert_eq!(rc.cmd(&["DBSIZE"]), Reply::Int(0));
    assert_eq!(r2.client().cmd(&["DBSIZE"]), Reply::Int(0));
    ok(rc.cmd(&["SELECT", "3"]));
    assert_eq!(rc.cmd(&["DBSIZE"]), Reply::Int(0));
    assert_ne!(rc.info_field("replication", "master_replid"), old_id);
    assert_eq!(stat(&mut m2.client(), "sync_full"), 1);
}

#[test]
fn stalled_link_times_out_and_reconnects() {
    let m = master(&[]);
    let mut mc = m.client();
    fill(&mut mc);
    let r = replica(&m, &[]);
    wait_synced(&[&m, &r]);
    assert!(send_signal(m.pid(), SIGSTOP));
    // Resume the master even if the wait below fails.
    struct Cont(u32);
    impl Drop for Cont {
        fn drop(&mut self) {
            send_signal(self.0, SIGCONT);
        }
    }
    let cont = Cont(m.pid());
    wait_for_log(&r, "MASTER timeout: no data nor PING received...");
    drop(cont);
    ok(mc.cmd(&["SET", "after-stall", "1"]));
    write_round(&m, &mut mc, 0);
    wait_synced(&[&m, &r]);
    assert_eq!(r.client().cmd(&["GET", "after-stall"]), Reply::bulk("1"));
    // The master kept its backlog: the reconnection was a partial resync.
    assert_eq!(stat(&mut mc, "sync_full"), 1);
    assert!(stat(&mut mc, "sync_partial_ok") >= 1);
}
