//! Diskless full sync on the master side (`repl-diskless-sync yes`):
//! replicas arriving within `repl-diskless-sync-delay` share ONE fork child
//! that streams the RDB to their sockets; a replica arriving early in a
//! transfer joins it (ferrodis), later it gets its own child;
//! `repl-diskless-sync-max-replicas` ends the delay early; a replica
//! killed in the middle of a (deliberately slow) transfer does not disturb
//! the other one, and the child is killed when no replica is left; the raw
//! protocol (`$EOF:<mark>` ... `<mark>`, nothing more before the first
//! ACK); replicas without `capa eof` get a disk sync.
//!
//! Replicas are ferrodis and real Redis 7.0. The server under test is the
//! master; run with `FERRODIS_TEST_SERVER=/usr/bin/redis-server` to check
//! the tests themselves against Redis (the log lines asserted are Redis's).

mod common;

use std::io::Read;
use std::time::Duration;

use common::{
    read_at_least, read_line, redis_binary, server_binary, wait_caught_up, wait_for, wait_for_log,
    Client, Reply, Server,
};

/// Logged once per diskless child.
const SOCKET_BGSAVE: &str = "Starting BGSAVE for SYNC with target: replicas sockets";

fn start_master(extra: &[&str]) -> Server {
    let mut args = vec![
        "--enable-debug-command",
        "yes",
        "--repl-diskless-sync",
        "yes",
    ];
    args.extend_from_slice(extra);
    Server::start(server_binary(), &args)
}

/// A replica of `master` run by `bin` (ferrodis or Redis), attached with REPLICAOF once it is up: started
/// with `--replicaof`, the start would wait for its first PONG, which a
/// replica loading the RDB while it arrives (`repl-overlap-load auto` on
/// an idle host) only gives once the whole sync is over.
fn start_replica_with(bin: &std::path::Path, master: &Server) -> Server {
    let replica = Server::start(bin, &["--enable-debug-command", "yes"]);
    let port = master.port().to_string();
    assert_eq!(
        replica.client().cmd(&["REPLICAOF", "127.0.0.1", &port]),
        Reply::ok()
    );
    replica
}

fn stat(c: &mut Client, field: &str) -> i64 {
    c.info_field("stats", field).parse().unwrap_or(-1)
}

fn count(log: &str, pattern: &str) -> usize {
    log.matches(pattern).count()
}

/// Every type, compact and big encodings, TTLs, several databases, and
/// enough keys for the RDB to span many pipe chunks.
fn fill(c: &mut Client, keys: usize) {
    assert_eq!(
        c.cmd(&["DEBUG", "POPULATE", &keys.to_string(), "key", "100"]),
        Reply::ok()
    );
    c.cmd(&["SET", "ttl", "v", "PX", "100000000"]);
    c.cmd(&["RPUSH", "list", "a", "b", "1", "2"]);
    c.cmd(&["HSET", "hash", "f", "v", "n", "1"]);
    c.cmd(&["SADD", "intset", "1", "2", "3"]);
    c.cmd(&["ZADD", "zset", "1", "a", "2.5", "b"]);
    for i in 0..200 {
        c.cmd(&["RPUSH", "biglist", &format!("element-{i}")]);
        c.cmd(&["HSET", "bighash", &format!("f{i}"), &"v".repeat(i % 80)]);
        c.cmd(&["SADD", "bigset", &format!("m{i}")]);
    }
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", "in3", "x"]);
    c.cmd(&["SELECT", "0"]);
}

/// Two ferrodis replicas attached within the delay share one child; a third
/// one arriving later gets its own. The syncs write nothing to disk and do
/// not count as saves.
#[test]
fn replicas_within_the_delay_share_one_fork() {
    let master = start_master(&["--repl-diskless-sync-delay", "2"]);
    let mut m = master.client();
    fill(&mut m, 20000);
    let dirty_before = m.info_field("persistence", "rdb_changes_since_last_save");
    let lastsave_before = m.cmd(&["LASTSAVE"]);

    let bin = server_binary();
    let r1 = start_replica_with(&bin, &master);
    let r2 = start_replica_with(&bin, &master);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    let log = master.log();
    assert_eq!(count(&log, SOCKET_BGSAVE), 1, "one shared child:\n{log}");
    assert_eq!(count(&log, "Delay next BGSAVE for diskless SYNC"), 2);
    assert_eq!(stat(&mut m, "sync_full"), 2);
    for r in [&r1, &r2] {
        let name = format!("127.0.0.1:{}", r.port());
        assert!(log.contains(&format!(
            "Streamed RDB transfer with replica {name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming"
        )), "{log}");
        wait_for_log(
            &master,
            &format!("Synchronization with replica {name} succeeded"),
        );
    }
    assert!(log.contains("Diskless rdb transfer, done reading from pipe, 2 replicas still up."));

    // The stream follows the RDB (SELECT first: writes go to db 3).
    m.cmd(&["SELECT", "3"]);
    m.cmd(&["INCR", "counter"]);
    m.cmd(&["SELECT", "0"]);
    m.cmd(&["DEL", "key:7"]);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);

    // Nothing was saved: no file, no save counters touched.
    assert!(!master.dir().join("dump.rdb").exists());
    assert_eq!(m.cmd(&["LASTSAVE"]), lastsave_before);
    let dirty_after: i64 = m
        .info_field("persistence", "rdb_changes_since_last_save")
        .parse()
        .unwrap_or(-1);
    assert!(
        dirty_after >= dirty_before.parse().unwrap_or(i64::MAX),
        "dirty was reset: {dirty_before} -> {dirty_after}"
    );

    // A latecomer: a child of its own.
    let r3 = start_replica_with(&bin, &master);
    wait_caught_up(&master, &r3);
    assert_eq!(count(&master.log(), SOCKET_BGSAVE), 2);
    assert_eq!(stat(&mut m, "sync_full"), 3);
    m.cmd(&["SET", "after", "all"]);
    for r in [&r1, &r2, &r3] {
        wait_caught_up(&master, r);
    }
}

/// The same with real Redis replicas.
#[test]
fn real_redis_replicas_share_one_fork() {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let master = start_master(&["--repl-diskless-sync-delay", "2"]);
    let mut m = master.client();
    fill(&mut m, 20000);
    let r1 = start_replica_with(&redis, &master);
    let r2 = start_replica_with(&redis, &master);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    assert_eq!(count(&master.log(), SOCKET_BGSAVE), 1);
    assert_eq!(stat(&mut m, "sync_full"), 2);
    assert!(r1
        .log()
        .contains("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF"));

    m.cmd(&["HSET", "hash", "g", "w"]);
    m.cmd(&["SELECT", "5"]);
    m.cmd(&["SET", "in5", "five"]);
    m.cmd(&["SELECT", "0"]);
    let r3 = start_replica_with(&redis, &master);
    for r in [&r1, &r2, &r3] {
        wait_caught_up(&master, r);
    }
    assert_eq!(count(&master.log(), SOCKET_BGSAVE), 2);
    assert_eq!(stat(&mut m, "sync_full"), 3);
}

/// `repl-diskless-sync-max-replicas`: the child starts as soon as that many
/// replicas wait, long before the delay.
#[test]
fn max_replicas_ends_the_delay() {
    let master = start_master(&[
        "--repl-diskless-sync-delay",
        "60",
        "--repl-diskless-sync-max-replicas",
        "2",
    ]);
    let mut m = master.client();
    fill(&mut m, 1000);
    let bin = server_binary();
    let r1 = start_replica_with(&bin, &master);
    let r2 = start_replica_with(&bin, &master);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    assert_eq!(count(&master.log(), SOCKET_BGSAVE), 1);
}

/// A replica killed (SIGKILL) in the middle of a slow transfer: the other
/// replica's sync completes; then with one replica only, killing it kills
/// the child and the master stays usable.
#[test]
fn replica_killed_mid_transfer_does_not_disturb_the_other() {
    // 5000 keys at 400 us each: a transfer of about 2 s.
    let master = start_master(&[
        "--repl-diskless-sync-delay",
        "1",
        "--rdb-key-save-delay",
        "400",
    ]);
    let mut m = master.client();
    fill(&mut m, 5000);
    let redis = redis_binary();
    let bin = server_binary();
    let mut victim = start_replica_with(&bin, &master);
    let survivor = start_replica_with(redis.as_deref().unwrap_or(&bin), &master);
    wait_for_log(&master, SOCKET_BGSAVE);
    // Let some of the RDB flow, then kill the victim.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        m.info_field("persistence", "rdb_bgsave_in_progress"),
        "1",
        "the transfer should still be running"
    );
    victim.kill();
    // Writes during the transfer reach the survivor after its RDB.
    m.cmd(&["SET", "during", "transfer"]);
    wait_caught_up(&master, &survivor);
    let log = master.log();
    assert_eq!(count(&log, SOCKET_BGSAVE), 1, "{log}");
    assert!(
        log.contains("Diskless rdb transfer, done reading from pipe, 1 replicas still up."),
        "{log}"
    );
    assert!(!log.contains("killing fork child"), "{log}");
    let mut s = survivor.client();
    assert_eq!(s.cmd(&["GET", "during"]), Reply::bulk("transfer"));

    // Now a lone replica dies mid-transfer: the child is killed.
    drop(survivor);
    let mut lone = start_replica_with(&bin, &master);
    wait_for(
        1000,
        Duration::from_millis(10),
        || count(&master.log(), SOCKET_BGSAVE) == 2,
        "no second diskless child",
    );
    std::thread::sleep(Duration::from_millis(300));
    lone.kill();
    wait_for_log(
        &master,
        "Diskless rdb transfer, last replica dropped, killing fork child.",
    );
    wait_for(
        1000,
        Duration::from_millis(10),
        || m.info_field("persistence", "rdb_bgsave_in_progress") == "0",
        "the child was not reaped",
    );
    assert_eq!(m.cmd(&["PING"]), Reply::Status("PONG".into()));
    // The next replica still syncs.
    let next = start_replica_with(&bin, &master);
    wait_caught_up(&master, &next);
}

/// The wire format: +FULLRESYNC, `$EOF:<40 hex>`, the RDB, the mark, and
/// no stream bytes until the replica's first ACK. A replica without `capa
/// eof` gets a disk sync (`$<len>`).
#[test]
fn raw_protocol_eof_mark_and_stream_after_ack() {
    let master = start_master(&["--repl-diskless-sync-delay", "0"]);
    let mut m = master.client();
    m.cmd(&["SET", "a", "1"]);

    let mut r = master.client();
    assert_eq!(r.cmd(&["REPLCONF", "listening-port", "7777"]), Reply::ok());
    assert_eq!(
        r.cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]),
        Reply::ok()
    );
    r.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    let mut buf = Vec::new();
    let line = read_line(&mut r, &mut buf);
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert_eq!(parts[0], "+FULLRESYNC");
    let mut offset: i64 = parts[2].parse().expect("offset");
    let head = read_line(&mut r, &mut buf);
    let mark = head
        .strip_prefix("$EOF:")
        .unwrap_or_else(|| panic!("EOF-marked bulk expected, got {head:?}"))
        .to_string();
    assert_eq!(mark.len(), 40);
    assert!(mark.bytes().all(|b| b.is_ascii_alphanumeric()), "{mark}");
    while !buf.ends_with(mark.as_bytes()) {
        let want = buf.len() + 1;
        read_at_least(&mut r, &mut buf, want);
    }
    assert!(buf.starts_with(b"REDIS"), "RDB expected");
    wait_for_log(
        &master,
        "Synchronization with replica 127.0.0.1:7777 succeeded",
    );

    // Writes now are held until we acknowledge.
    m.cmd(&["SET", "b", "2"]);
    r.set_timeout(Duration::from_millis(300));
    let mut extra = [0u8; 64];
    let mut stream = r.stream();
    assert!(
        stream.read(&mut extra).is_err(),
        "stream bytes sent before the first ACK"
    );
    r.set_timeout(Duration::from_secs(10));
    r.send_cmd(&[b"REPLCONF", b"ACK", offset.to_string().as_bytes()]);
    let want = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
    let mut buf = Vec::new();
    read_at_least(&mut r, &mut buf, want.len());
    assert_eq!(&buf[..want.len()], want);
    offset += want.len() as i64;
    let _ = offset;
    assert!(master.log().contains(SOCKET_BGSAVE));

    // No capa eof: the disk path, with a length.
    let mut old = master.client();
    assert_eq!(old.cmd(&["REPLCONF", "capa", "psync2"]), Reply::ok());
    old.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    let mut buf = Vec::new();
    assert!(read_line(&mut old, &mut buf).starts_with("+FULLRESYNC "));
    let len_line = read_line(&mut old, &mut buf);
    assert!(
        len_line
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .is_some(),
        "{len_line:?}"
    );
    assert!(master
        .log()
        .contains("Starting BGSAVE for SYNC with target: disk"));
}

/// The slowest replica sets the pace: while a raw replica does not read,
/// the pipe is not drained (the child blocks), the other replica's sync
/// does not finish, and the master keeps serving; once it reads, both
/// complete.
#[test]
fn slow_replica_paces_the_transfer_without_blocking_the_master() {
    // (DEBUG POPULATE's padding would compress to almost nothing.)
    let master = start_master(&["--repl-diskless-sync-delay", "1", "--rdbcompression", "no"]);
    let mut m = master.client();
    // About 30 MB of RDB: far more than the sockets' buffers hold.
    assert_eq!(
        m.cmd(&["DEBUG", "POPULATE", "60000", "key", "500"]),
        Reply::ok()
    );
    let mut slow = master.client();
    assert_eq!(
        slow.cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]),
        Reply::ok()
    );
    slow.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    let fast = start_replica_with(&server_binary(), &master);
    wait_for_log(&master, SOCKET_BGSAVE);
    std::thread::sleep(Duration::from_millis(1500));
    let mut f = fast.client();
    assert_ne!(
        f.info_field("replication", "master_link_status"),
        "up",
        "the fast replica finished although the slow one read nothing"
    );
    assert_eq!(m.info_field("persistence", "rdb_bgsave_in_progress"), "1");
    assert_eq!(m.cmd(&["SET", "during", "stall"]), Reply::ok());

    // Now read everything.
    let mut buf = Vec::new();
    assert!(read_line(&mut slow, &mut buf).starts_with("+FULLRESYNC "));
    let head = read_line(&mut slow, &mut buf);
    let mark = head.strip_prefix("$EOF:").expect("EOF mark").to_string();
    let mut total = buf.len();
    let mut tail = std::mem::take(&mut buf);
    let mut chunk = vec![0u8; 1 << 16];
    while !tail.ends_with(mark.as_bytes()) {
        let mut stream = slow.stream();
        let got = stream.read(&mut chunk).expect("read the RDB");
        assert!(got > 0, "master closed the link");
        total += got;
        tail.extend_from_slice(&chunk[..got]);
        let keep = tail.len().saturating_sub(64);
        tail.drain(..keep);
    }
    assert!(total > 20_000_000, "only {total} bytes");
    wait_caught_up(&master, &fast);
    assert!(master
        .log()
        .contains("Diskless rdb transfer, done reading from pipe, 2 replicas still up."));
}

/// FLUSHALL kills the running RDB child (Redis 7.0 does, so that the
/// flush is what gets saved): the replica's diskless sync fails, it comes
/// back, and ends up with the flushed dataset.
#[test]
fn flushall_mid_transfer_fails_the_sync_and_the_replica_resyncs() {
    let master = start_master(&[
        "--repl-diskless-sync-delay",
        "0",
        "--rdb-key-save-delay",
        "500",
    ]);
    let mut m = master.client();
    fill(&mut m, 4000);
    let replica = start_replica_with(&server_binary(), &master);
    wait_for_log(&master, SOCKET_BGSAVE);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(m.cmd(&["FLUSHALL"]), Reply::ok());
    m.cmd(&["SET", "after", "flush"]);
    wait_caught_up(&master, &replica);
    let mut r = replica.client();
    assert_eq!(r.cmd(&["DBSIZE"]), Reply::Int(1));
    let log = master.log();
    assert!(
        log.contains("SYNC failed. BGSAVE child returned an error"),
        "{log}"
    );
    assert!(count(&log, SOCKET_BGSAVE) >= 2);
}

/// The sync phase and RDB bytes sent the master reports for its first
/// replica (`replica0_sync:` in INFO replication, ferrodis only).
fn first_replica_rdb_sent(m: &mut Client) -> u64 {
    let info = m.info("replication");
    info.get("replica0_sync")
        .and_then(|v| {
            v.split(',')
                .find_map(|kv| kv.strip_prefix("rdb_bytes_sent="))
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// With `repl-diskless-sync-delay 0` a second replica whose PSYNC comes
/// while the first one's child has produced little joins that child
/// (ferrodis; Redis makes it wait for a second fork): one child, both full
/// syncs counted, the joiner fed the RDB prefix it missed and the stream
/// since the fork. The joiner is a real Redis replica when available.
#[test]
fn a_replica_arriving_early_in_a_transfer_joins_it() {
    if common::testing_real_redis() {
        eprintln!("skipped: joining a running transfer is ferrodis's");
        return;
    }
    let master = start_master(&["--repl-diskless-sync-delay", "0"]);
    let mut m = master.client();
    fill(&mut m, 2000);
    // 2 ms per key: the transfer lasts about 4 s.
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "2000"]);
    let r1 = start_replica_with(&server_binary(), &master);
    wait_for_log(&master, SOCKET_BGSAVE);
    // Writes after the fork belong to both replicas' streams.
    m.cmd(&["SET", "after-fork", "1"]);
    m.cmd(&["SELECT", "3"]);
    m.cmd(&["INCR", "counter"]);
    m.cmd(&["SELECT", "0"]);
    let joiner_bin = redis_binary().unwrap_or_else(server_binary);
    let r2 = start_replica_with(&joiner_bin, &master);
    wait_for_log(&master, "joins the running diskless transfer");
    m.cmd(&["SET", "during-transfer", "2"]);
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    let log = master.log();
    assert_eq!(count(&log, SOCKET_BGSAVE), 1, "one child for both:\n{log}");
    assert_eq!(stat(&mut m, "sync_full"), 2);
    assert!(log.contains("Diskless rdb transfer, done reading from pipe, 2 replicas still up."));
    m.cmd(&["SET", "after-sync", "3"]);
    for r in [&r1, &r2] {
        wait_caught_up(&master, r);
        assert_eq!(r.client().cmd(&["GET", "after-fork"]), Reply::bulk("1"));
    }
}

/// Past the join window (4 MB of RDB produced) a new replica waits for the
/// next child, as in Redis.
#[test]
fn a_replica_arriving_late_in_a_transfer_waits_for_the_next_child() {
    if common::testing_real_redis() {
        eprintln!("skipped: reads ferrodis's sync progress");
        return;
    }
    let master = start_master(&["--repl-diskless-sync-delay", "0", "--rdbcompression", "no"]);
    let mut m = master.client();
    // Eight 1 MB values in DB 0, then slow keys in DB 1 (written after
    // DB 0 whatever the hash order): the window closes early on.
    assert_eq!(
        m.cmd(&["DEBUG", "POPULATE", "8", "big", "1000000"]),
        Reply::ok()
    );
    m.cmd(&["SELECT", "1"]);
    fill(&mut m, 200);
    m.cmd(&["SELECT", "0"]);
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "10000"]);
    let r1 = start_replica_with(&server_binary(), &master);
    wait_for(
        1000,
        Duration::from_millis(10),
        || first_replica_rdb_sent(&mut m) > 5_000_000,
        "5 MB of RDB relayed to the first replica",
    );
    let r2 = start_replica_with(&server_binary(), &master);
    wait_for_log(
        &master,
        "Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC",
    );
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    let log = master.log();
    assert!(
        !log.contains("joins the running diskless transfer"),
        "{log}"
    );
    assert_eq!(count(&log, SOCKET_BGSAVE), 2);
    assert_eq!(stat(&mut m, "sync_full"), 2);
}

/// A joiner with megabytes to catch up (more than its socket takes at
/// once) gets all of them before the shared chunks, then the stream.
#[test]
fn a_replica_joining_with_megabytes_to_catch_up_gets_them_all() {
    if common::testing_real_redis() {
        eprintln!("skipped: joining a running transfer is ferrodis's");
        return;
    }
    let master = start_master(&["--repl-diskless-sync-delay", "0", "--rdbcompression", "no"]);
    let mut m = master.client();
    // Three 1 MB values in DB 0 (random bytes: the socket buffers cannot
    // swallow 3 MB at once), then slow keys in DB 1: the RDB holds DB 0
    // first, so the child is still busy once the 3 MB have gone out
    // (within one DB the order is the hash table's, not insertion's).
    // Random bytes, which LZF cannot shrink below the 3 MB waited for.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..3 {
        let v: Vec<u8> = (0..1_000_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        m.cmd_bytes(&[b"SET", format!("big:{i}").as_bytes(), &v]);
    }
    m.cmd(&["SELECT", "1"]);
    fill(&mut m, 300);
    m.cmd(&["SELECT", "0"]);
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "5000"]);
    let r1 = start_replica_with(&server_binary(), &master);
    wait_for(
        1000,
        Duration::from_millis(10),
        || first_replica_rdb_sent(&mut m) > 3_000_000,
        "3 MB of RDB relayed to the first replica",
    );
    m.cmd(&["SET", "after-fork", "1"]);
    let r2 = start_replica_with(&server_binary(), &master);
    wait_for_log(&master, "joins the running diskless transfer");
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    let log = master.log();
    assert_eq!(count(&log, SOCKET_BGSAVE), 1);
    let behind: usize = log
        .lines()
        .find_map(|l| {
            l.split(": ")
                .nth(1)?
                .strip_suffix(" bytes of RDB to catch up")
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(behind > 3_000_000, "caught up only {behind} bytes:\n{log}");
    assert_eq!(r2.client().cmd(&["GET", "after-fork"]), Reply::bulk("1"));
}
