//! The replica side against a real Redis 7.0 master: the server under test
//! (ferrodis, or real Redis with `FERRODIS_TEST_SERVER=/usr/bin/redis-server`
//! to check the tests themselves) replicates from a `redis-server` master.
//!
//! Datasets are compared with DEBUG DIGEST after the replica's offset has
//! caught up with the master's (`master_repl_offset` on both), so every
//! byte of the stream was applied. Nothing sleeps for a fixed time: every
//! wait polls with a bound.

mod common;

use std::time::Duration;

use common::{wait_for, wait_for_log, Client, Reply, Server};

/// Arguments of the real master: immediate diskless full syncs.
const MASTER_ARGS: &[&str] = &[
    "--enable-debug-command",
    "yes",
    "--repl-diskless-sync-delay",
    "0",
];

fn start_master(extra: &[&str]) -> Option<Server> {
    let redis = common::redis_binary()?;
    let mut args: Vec<&str> = MASTER_ARGS.to_vec();
    args.extend_from_slice(extra);
    Some(Server::start(redis, &args))
}

/// The server under test as a replica of `master`.
fn start_replica(master: &Server, extra: &[&str]) -> Server {
    let port = master.port().to_string();
    let mut args = vec![
        "--enable-debug-command",
        "yes",
        "--replicaof",
        "127.0.0.1",
        &port,
    ];
    args.extend_from_slice(extra);
    Server::start(common::server_binary(), &args)
}

fn digest(c: &mut Client) -> String {
    c.cmd(&["DEBUG", "DIGEST"])
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Waits until the link is up and the replica applied everything the
/// master produced, then checks the datasets are equal.
fn wait_in_sync(master: &Server, replica: &Server) {
    let mut m = master.client();
    let mut r = replica.client();
    wait_for(
        1500,
        Duration::from_millis(20),
        || {
            let ri = r.info("replication");
            let mi = m.info("replication");
            ri.get("master_link_status").map(String::as_str) == Some("up")
                && ri.get("master_repl_offset") == mi.get("master_repl_offset")
                && ri.get("slave_repl_offset") == mi.get("master_repl_offset")
        },
        "replica never caught up with the master's offset",
    );
    assert_eq!(digest(&mut r), digest(&mut m), "datasets differ");
}

fn ok(r: Reply) {
    assert!(!r.is_error(), "unexpected error reply: {r:?}");
}

/// A dataset with every type and both encodings of each, in two dbs, with
/// TTLs.
fn fill(m: &mut Client) {
    for db in ["0", "3"] {
        ok(m.cmd(&["SELECT", db]));
        ok(m.cmd(&["SET", "str", "hello"]));
        ok(m.cmd(&["SET", "int", "12345"]));
        ok(m.cmd(&["SET", "ttl", "v", "EX", "1000"]));
        ok(m.cmd(&["RPUSH", "list", "a", "b", "c", "1", "2"]));
        ok(m.cmd(&["SADD", "iset", "1", "2", "3"]));
        ok(m.cmd(&["SADD", "set", "a", "b", "c"]));
        ok(m.cmd(&["HSET", "hash", "f1", "v1", "f2", "v2"]));
        ok(m.cmd(&["ZADD", "zset", "1", "a", "2.5", "b", "-3", "c"]));
        ok(m.cmd(&["PEXPIRE", "hash", "5000000"]));
        for i in 0..300 {
            let n = i.to_string();
            let v = format!("value-{i}-{}", "x".repeat(i % 70));
            ok(m.cmd(&["RPUSH", "biglist", &v]));
            ok(m.cmd(&["SADD", "bigset", &v]));
            ok(m.cmd(&["HSET", "bighash", &n, &v]));
            ok(m.cmd(&["ZADD", "bigzset", &n, &v]));
        }
    }
    ok(m.cmd(&["SELECT", "0"]));
}

/// Writes of every kind on the master once the replica is streaming.
fn write_stream(m: &mut Client, master: &Server) {
    ok(m.cmd(&["SET", "s2", "x", "PX", "100000"]));
    ok(m.cmd(&["INCRBYFLOAT", "float", "1.25"]));
    ok(m.cmd(&["INCRBYFLOAT", "float", "3.0e3"]));
    ok(m.cmd(&["APPEND", "str", " world"]));
    ok(m.cmd(&["EXPIRE", "str", "5000"]));
    ok(m.cmd(&["LPUSH", "list", "z"]));
    ok(m.cmd(&["SPOP", "set"]));
    ok(m.cmd(&["HINCRBYFLOAT", "hash", "f3", "0.5"]));
    ok(m.cmd(&["ZINCRBY", "zset", "10", "a"]));
    ok(m.cmd(&["SELECT", "3"]));
    ok(m.cmd(&["DEL", "str", "bigset"]));
    ok(m.cmd(&["RENAME", "list", "list2"]));
    ok(m.cmd(&["SELECT", "5"]));
    ok(m.cmd(&["SET", "only5", "yes"]));
    ok(m.cmd(&["MULTI"]));
    ok(m.cmd(&["SET", "t1", "a"]));
    ok(m.cmd(&["INCR", "t2"]));
    ok(m.cmd(&["SELECT", "0"]));
    ok(m.cmd(&["LPUSH", "tlist", "q"]));
    ok(m.cmd(&["EXEC"]));
    ok(m.cmd(&["SELECT", "0"]));
    // A blocking pop served by a push: the master propagates the pop.
    let mut blocked = master.client();
    blocked.send_cmd(&[b"BLPOP", b"bl", b"0"]);
    wait_for(
        500,
        Duration::from_millis(10),
        || m.info_field("clients", "blocked_clients") == "1",
        "BLPOP never blocked",
    );
    ok(m.cmd(&["RPUSH", "bl", "one", "two"]));
    let popped = blocked.read_reply();
    assert_eq!(popped.as_array().map(|a| a.len()), Some(2));
    ok(m.cmd(&["FLUSHDB"]));
    ok(m.cmd(&["SET", "after-flush", "1"]));
}

#[test]
fn full_sync_then_stream() {
    let Some(master) = start_master(&[]) else {
        return;
    };
    let mut m = master.client();
    fill(&mut m);
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let mut r = replica.client();
    assert_eq!(
        r.cmd(&["DBSIZE"]).as_int(),
        m.cmd(&["DBSIZE"]).as_int(),
        "db 0 size"
    );
    write_stream(&mut m, &master);
    wait_in_sync(&master, &replica);
    // The replica kept the master's replication ID.
    assert_eq!(
        r.info_field("replication", "master_replid"),
        m.info_field("replication", "master_replid")
    );
    // WAIT on the master: answered through REPLCONF GETACK / ACK.
    ok(m.cmd(&["SET", "waited", "1"]));
    assert_eq!(m.cmd(&["WAIT", "1", "5000"]), Reply::Int(1));
    // ROLE on a connected replica.
    let role = r.cmd(&["ROLE"]);
    let role = role.as_array().expect("ROLE array").to_vec();
    assert_eq!(role[0], Reply::bulk("slave"));
    assert_eq!(role[1], Reply::bulk("127.0.0.1"));
    assert_eq!(role[2], Reply::Int(master.port() as i64));
    assert_eq!(role[3], Reply::bulk("connected"));
    // Same master again: no-op with its own reply.
    let port = master.port().to_string();
    assert_eq!(
        r.cmd(&["REPLICAOF", "127.0.0.1", &port]),
        Reply::Status("OK Already connected to specified master".into())
    );
    assert_eq!(
        r.cmd(&["REPLICAOF", "127.0.0.1", "70000"]),
        Reply::Error("ERR Invalid master port".into())
    );
    wait_for_log(&replica, "MASTER <-> REPLICA sync: Finished with success");
}

#[test]
fn disk_based_full_sync() {
    let Some(master) = start_master(&["--repl-diskless-sync", "no"]) else {
        return;
    };
    let mut m = master.client();
    fill(&mut m);
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    wait_for_log(&replica, "from master to disk");
    write_stream(&mut m, &master);
    wait_in_sync(&master, &replica);
}

#[test]
fn partial_resync_after_killing_the_master_link() {
    let Some(master) = start_master(&[]) else {
        return;
    };
    let mut m = master.client();
    fill(&mut m);
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let full = m.info_field("stats", "sync_full");
    let partial: i64 = m
        .info_field("stats", "sync_partial_ok")
        .parse()
        .unwrap_or(0);
    let mut r = replica.client();
    let killed = r.cmd(&["CLIENT", "KILL", "TYPE", "master"]);
    assert_eq!(killed, Reply::Int(1));
    ok(m.cmd(&["SET", "during-outage", "1"]));
    ok(m.cmd(&["RPUSH", "list", "x", "y"]));
    wait_for(
        500,
        Duration::from_millis(20),
        || {
            m.info_field("stats", "sync_partial_ok")
                .parse::<i64>()
                .unwrap_or(0)
                > partial
        },
        "the master never accepted a partial resync",
    );
    wait_in_sync(&master, &replica);
    assert_eq!(m.info_field("stats", "sync_full"), full);
    wait_for_log(
        &replica,
        "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
    );
}

#[test]
fn read_only_replica_and_masterdown() {
    let Some(mut master) = start_master(&[]) else {
        return;
    };
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let mut r = replica.client();
    assert_eq!(
        r.cmd(&["SET", "k", "v"]),
        Reply::Error("READONLY You can't write against a read only replica.".into())
    );
    assert_eq!(r.cmd(&["GET", "k"]), Reply::nil());
    ok(r.cmd(&["CONFIG", "SET", "replica-serve-stale-data", "no"]));
    master.kill();
    wait_for(
        500,
        Duration::from_millis(20),
        || r.info_field("replication", "master_link_status") == "down",
        "the link never went down",
    );
    assert_eq!(
        r.cmd(&["GET", "k"]),
        Reply::Error(
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
                .into()
        )
    );
    // PING has no `stale` flag: refused too (as real Redis does).
    assert!(r.cmd(&["PING"]).is_error());
    assert_eq!(r.cmd(&["ROLE"]).as_array().map(|a| a.len()), Some(5));
    assert!(!r
        .info_field("replication", "master_link_down_since_seconds")
        .is_empty());
    // Stale data is served again when allowed.
    ok(r.cmd(&["CONFIG", "SET", "replica-serve-stale-data", "yes"]));
    assert_eq!(r.cmd(&["GET", "k"]), Reply::nil());
}

#[test]
fn wrong_masterauth_keeps_the_link_down() {
    let Some(master) = start_master(&["--requirepass", "secret"]) else {
        return;
    };
    let replica = start_replica(&master, &["--masterauth", "wrong"]);
    wait_for_log(&replica, "Unable to AUTH to MASTER");
    let mut r = replica.client();
    assert_eq!(r.info_field("replication", "master_link_status"), "down");
    // Without its master a replica serves no sync: its data may be stale.
    for sync in [&["PSYNC", "?", "-1"][..], &["SYNC"][..]] {
        assert_eq!(
            replica.client().cmd(sync),
            Reply::Error("NOMASTERLINK Can't SYNC while not connected with my master".into())
        );
    }
    // With the right password the next attempt succeeds.
    ok(r.cmd(&["CONFIG", "SET", "masterauth", "secret"]));
    wait_for(
        1000,
        Duration::from_millis(20),
        || r.info_field("replication", "master_link_status") == "up",
        "the link never came up with the right password",
    );
}

#[test]
fn replicaof_no_one_promotes() {
    let Some(master) = start_master(&[]) else {
        return;
    };
    let mut m = master.client();
    ok(m.cmd(&["SET", "a", "1"]));
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let mut r = replica.client();
    let old_id = r.info_field("replication", "master_replid");
    let offset: i64 = r
        .info_field("replication", "master_repl_offset")
        .parse()
        .expect("offset");
    assert_eq!(r.cmd(&["REPLICAOF", "NO", "ONE"]), Reply::ok());
    let info = r.info("replication");
    assert_eq!(info["role"], "master");
    assert_eq!(info["master_replid2"], old_id);
    assert_ne!(info["master_replid"], old_id);
    assert_eq!(info["second_repl_offset"], (offset + 1).to_string());
    ok(r.cmd(&["SET", "b", "2"]));
    assert_eq!(r.cmd(&["GET", "a"]), Reply::bulk("1"));
    let role = r.cmd(&["ROLE"]);
    assert_eq!(
        role.as_array().map(|a| a[0].clone()),
        Some(Reply::bulk("master"))
    );
    wait_for_log(&replica, "MASTER MODE enabled (user request from");
    // And back to replica: it resyncs with the master's data.
    let port = master.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port]), Reply::ok());
    wait_in_sync(&master, &replica);
    assert_eq!(r.cmd(&["GET", "b"]), Reply::nil());
}

#[test]
fn restarted_replica_does_a_full_sync() {
    let Some(master) = start_master(&[]) else {
        return;
    };
    let mut m = master.client();
    fill(&mut m);
    let mut replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let full: i64 = m.info_field("stats", "sync_full").parse().unwrap_or(0);
    replica.kill();
    ok(m.cmd(&["SET", "while-away", "1"]));
    let replica = start_replica(&master, &[]);
    wait_in_sync(&master, &replica);
    let full_after: i64 = m.info_field("stats", "sync_full").parse().unwrap_or(0);
    assert_eq!(full_after, full + 1);
}
