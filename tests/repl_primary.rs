//! Master side of replication, with a REAL Redis 7.0 as the replica: full
//! sync of every type, following the stream (several databases, TTLs,
//! MULTI/EXEC), partial resync after the link drops, two replicas sharing
//! one BGSAVE, a full sync for an unknown replication ID, and the raw
//! protocol (REPLCONF errors, +FULLRESYNC/$len/RDB/stream, +CONTINUE).
//!
//! The server under test is the master; run with
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server` to check the tests
//! themselves against Redis. Datasets are compared with DEBUG DIGEST once
//! the replica's `slave_repl_offset` equals the master's
//! `master_repl_offset`.

mod common;

use std::time::Duration;

use common::{
    read_at_least, read_line, read_rdb_payload, redis_binary, server_binary, wait_caught_up,
    wait_for, Client, Reply, Server,
};

/// Master arguments: disk-based sync (diskless: tests/repl_diskless.rs).
const MASTER: &[&str] = &[
    "--enable-debug-command",
    "yes",
    "--repl-diskless-sync",
    "no",
];

fn start_master(extra: &[&str]) -> Server {
    let mut args = MASTER.to_vec();
    args.extend_from_slice(extra);
    Server::start(server_binary(), &args)
}

/// A real redis-server replicating from `master_port`, or None (test
/// skipped) when no redis-server is installed.
fn start_replica(master_port: u16) -> Option<Server> {
    let bin = redis_binary()?;
    let port = master_port.to_string();
    Some(Server::start(
        bin,
        &[
            "--enable-debug-command",
            "yes",
            "--replicaof",
            "127.0.0.1",
            &port,
        ],
    ))
}

fn stat(c: &mut Client, field: &str) -> i64 {
    c.info_field("stats", field).parse().unwrap_or(-1)
}

/// Every type, compact and big encodings, TTLs, several databases.
fn fill(c: &mut Client) {
    c.cmd(&["SET", "int", "12345"]);
    c.cmd(&["SET", "str", "hello world"]);
    c.cmd(&["SET", "big", &"x".repeat(5000)]);
    c.cmd(&["SET", "ttl", "v", "PX", "100000000"]);
    c.cmd(&["RPUSH", "list", "a", "b", "1", "2"]);
    c.cmd(&["HSET", "hash", "f", "v", "n", "1"]);
    c.cmd(&["SADD", "intset", "1", "2", "3"]);
    c.cmd(&["SADD", "set", "a", "b"]);
    c.cmd(&["ZADD", "zset", "1", "a", "2.5", "b"]);
    for i in 0..200 {
        c.cmd(&["RPUSH", "biglist", &format!("element-{i}")]);
        c.cmd(&["HSET", "bighash", &format!("f{i}"), &"v".repeat(i % 80)]);
        c.cmd(&["SADD", "bigset", &format!("m{i}")]);
        let score = format!("{}", i as f64 / 7.0);
        c.cmd(&["ZADD", "bigzset", &score, &format!("z{i}")]);
    }
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", "in3", "x"]);
    c.cmd(&["HSET", "h3", "a", "b"]);
    c.cmd(&["EXPIRE", "h3", "100000"]);
    c.cmd(&["SELECT", "0"]);
}

/// Writes of every type after the sync, across databases.
fn write_everything(c: &mut Client) {
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["APPEND", "str", "!"]);
    c.cmd(&["INCRBY", "int", "7"]);
    c.cmd(&["INCRBYFLOAT", "float", "1.5"]);
    c.cmd(&["SETEX", "setex", "1000", "v"]);
    c.cmd(&["LPUSH", "list", "z"]);
    c.cmd(&["RPOP", "biglist"]);
    c.cmd(&["HSET", "hash", "g", "w"]);
    c.cmd(&["HINCRBYFLOAT", "hash", "n", "0.25"]);
    c.cmd(&["HDEL", "bighash", "f3"]);
    c.cmd(&["SADD", "set", "c"]);
    c.cmd(&["SPOP", "bigset"]);
    c.cmd(&["SREM", "intset", "2"]);
    c.cmd(&["ZINCRBY", "zset", "3", "a"]);
    c.cmd(&["ZPOPMIN", "bigzset"]);
    c.cmd(&["EXPIRE", "list", "5000"]);
    c.cmd(&["PEXPIRE", "str", "9000000"]);
    c.cmd(&["DEL", "big"]);
    assert_eq!(c.cmd(&["SETBIT", "bits", "100", "1"]), Reply::Int(0));
    let fields = c.cmd(&[
        "BITFIELD", "bits", "INCRBY", "i5", "#3", "9", "SET", "u8", "0", "200",
    ]);
    assert_eq!(
        fields,
        Reply::Array(Some(vec![Reply::Int(9), Reply::Int(0)]))
    );
    assert_eq!(c.cmd(&["BITOP", "NOT", "notbits", "bits"]), Reply::Int(13));
    assert_eq!(c.cmd(&["PFADD", "hll", "a", "b", "c"]), Reply::Int(1));
    // PFCOUNT stores the count in the string and travels too.
    assert_eq!(c.cmd(&["PFCOUNT", "hll"]), Reply::Int(3));
    assert_eq!(c.cmd(&["PFMERGE", "hll2", "hll", "nokey"]), Reply::ok());
    assert_eq!(
        c.cmd(&["GEOADD", "geo", "13.361389", "38.115556", "Palermo"]),
        Reply::Int(1)
    );
    c.cmd(&["SELECT", "5"]);
    c.cmd(&["SET", "in5", "five"]);
    c.cmd(&["RPUSH", "l5", "a", "b"]);
    assert_eq!(c.cmd(&["MULTI"]), Reply::ok());
    c.cmd(&["INCR", "counter"]);
    c.cmd(&["SADD", "s5", "x", "y"]);
    c.cmd(&["ZADD", "z5", "1", "m"]);
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["DEL", "in3"]);
    let exec = c.cmd(&["EXEC"]);
    assert!(
        matches!(exec, Reply::Array(Some(ref v)) if v.len() == 5),
        "{exec:?}"
    );
    c.cmd(&["SELECT", "1"]);
    c.cmd(&["SET", "k1", "v1", "EX", "10000"]);
    c.cmd(&["SELECT", "0"]);
}

#[test]
fn real_replica_full_sync_then_stream_then_partial_resync() {
    let master = start_master(&[]);
    let mut m = master.client();
    fill(&mut m);
    let Some(replica) = start_replica(master.port()) else {
        eprintln!("skipped: no redis-server");
        return;
    };
    wait_caught_up(&master, &replica);
    assert_eq!(stat(&mut m, "sync_full"), 1);
    assert_eq!(stat(&mut m, "sync_partial_ok"), 0);
    assert_eq!(stat(&mut m, "sync_partial_err"), 0);

    // INFO replication and CLIENT LIST describe the replica.
    let mi = m.info("replication");
    assert_eq!(mi["role"], "master");
    assert_eq!(mi["connected_slaves"], "1");
    let line = &mi["slave0"];
    let want = format!("ip=127.0.0.1,port={},state=online,offset=", replica.port());
    assert!(line.starts_with(&want), "slave0:{line}");
    assert_eq!(mi["repl_backlog_active"], "1");
    assert_eq!(mi["repl_backlog_first_byte_offset"], "1");
    assert_eq!(mi["master_replid2"], "0".repeat(40));
    assert_eq!(mi["second_repl_offset"], "-1");
    let list = m.cmd(&["CLIENT", "LIST", "TYPE", "replica"]);
    let list = list.as_str().unwrap_or_default().to_string();
    assert!(list.contains("flags=S"), "{list}");

    // The stream: every type, several databases, MULTI/EXEC.
    write_everything(&mut m);
    wait_caught_up(&master, &replica);
    let mut r = replica.client();
    assert_eq!(r.cmd(&["SELECT", "5"]), Reply::ok());
    assert_eq!(r.cmd(&["GET", "counter"]), Reply::bulk("1"));
    let ttl = r.cmd(&["SELECT", "1"]);
    assert_eq!(ttl, Reply::ok());
    assert!(matches!(r.cmd(&["TTL", "k1"]), Reply::Int(t) if t > 9000));

    // Drop the link from the replica's side: it comes back with PSYNC and
    // continues from the backlog, including writes made meanwhile.
    let offset_before = m.info_field("replication", "master_repl_offset");
    r.cmd(&["CLIENT", "KILL", "TYPE", "master"]);
    m.cmd(&["SET", "during", "outage"]);
    m.cmd(&["LPUSH", "list", "more"]);
    wait_caught_up(&master, &replica);
    assert_eq!(stat(&mut m, "sync_full"), 1, "no second full sync");
    assert_eq!(stat(&mut m, "sync_partial_ok"), 1);
    assert_eq!(r.cmd(&["SELECT", "0"]), Reply::ok());
    assert_eq!(r.cmd(&["GET", "during"]), Reply::bulk("outage"));
    let offset_after = m.info_field("replication", "master_repl_offset");
    assert_ne!(offset_before, offset_after);
    if !common::testing_real_redis() {
        assert!(master.log().contains(&format!(
            "Partial resynchronization request from 127.0.0.1:{} accepted.",
            replica.port()
        )));
    }
}

#[test]
fn second_replica_shares_the_running_bgsave() {
    // 25 keys at 150 ms each: the first sync's BGSAVE runs for seconds.
    let master = start_master(&["--rdb-key-save-delay", "150000"]);
    let mut m = master.client();
    for i in 0..25 {
        m.cmd(&["SET", &format!("k{i}"), &format!("v{i}")]);
    }
    let Some(r1) = start_replica(master.port()) else {
        eprintln!("skipped: no redis-server");
        return;
    };
    common::wait_for_log(&master, "Background saving started");
    // Written after the fork: reaches the first replica through its
    // buffered stream, which the second one must copy.
    m.cmd(&["SET", "after-fork", "1"]);
    m.cmd(&["SELECT", "2"]);
    m.cmd(&["RPUSH", "l", "a"]);
    let r2 = start_replica(master.port()).expect("redis-server");
    common::wait_for_log(&master, "Waiting for end of BGSAVE for SYNC");
    m.cmd(&["SET", "while-waiting", "2"]);
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_caught_up(&master, &r1);
    wait_caught_up(&master, &r2);
    let log = master.log();
    assert_eq!(
        log.matches("Background saving started").count(),
        1,
        "one BGSAVE for both replicas:\n{log}"
    );
    assert_eq!(stat(&mut m, "sync_full"), 2);
    assert_eq!(m.info_field("replication", "connected_slaves"), "2");
    let mut c2 = r2.client();
    assert_eq!(c2.cmd(&["GET", "after-fork"]), Reply::bulk("1"));
    c2.cmd(&["SELECT", "2"]);
    assert_eq!(c2.cmd(&["GET", "while-waiting"]), Reply::bulk("2"));
}

#[test]
fn replica_of_another_history_gets_a_full_sync() {
    let m1 = start_master(&[]);
    let m2 = start_master(&[]);
    let mut c1 = m1.client();
    let mut c2 = m2.client();
    c1.cmd(&["SET", "from", "m1"]);
    c2.cmd(&["SET", "from", "m2"]);
    c2.cmd(&["RPUSH", "only-m2", "x"]);
    let Some(replica) = start_replica(m1.port()) else {
        eprintln!("skipped: no redis-server");
        return;
    };
    wait_caught_up(&m1, &replica);
    // Now point it at m2: it asks PSYNC with m1's ID, unknown to m2.
    let mut r = replica.client();
    let port2 = m2.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port2]), Reply::ok());
    wait_caught_up(&m2, &replica);
    assert_eq!(r.cmd(&["GET", "from"]), Reply::bulk("m2"));
    assert_eq!(stat(&mut c2, "sync_full"), 1);
    assert_eq!(stat(&mut c2, "sync_partial_err"), 1);
    assert_eq!(stat(&mut c2, "sync_partial_ok"), 0);
    if !common::testing_real_redis() {
        assert!(m2
            .log()
            .contains("Partial resynchronization not accepted: Replication ID mismatch"));
    }
}

#[test]
fn raw_protocol_fullresync_stream_and_continue() {
    let master = start_master(&[]);
    let mut m = master.client();
    m.cmd(&["SET", "a", "1"]);

    let mut r = master.client();
    // REPLCONF replies and errors, as Redis.
    let err = |reply: Reply| match reply {
        Reply::Error(e) => e,
        other => panic!("expected an error, got {other:?}"),
    };
    assert_eq!(
        err(r.cmd(&["REPLCONF", "listening-port"])),
        "ERR syntax error"
    );
    assert_eq!(
        err(r.cmd(&["REPLCONF", "foo", "bar"])),
        "ERR Unrecognized REPLCONF option: foo"
    );
    assert_eq!(
        err(r.cmd(&["REPLCONF", "listening-port", "x"])),
        "ERR value is not an integer or out of range"
    );
    assert_eq!(r.cmd(&["REPLCONF", "listening-port", "7777"]), Reply::ok());
    assert_eq!(
        r.cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]),
        Reply::ok()
    );
    assert_eq!(r.cmd(&["REPLCONF", "capa", "unknown-capa"]), Reply::ok());

    r.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    let mut buf = Vec::new();
    let line = read_line(&mut r, &mut buf);
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert_eq!(parts[0], "+FULLRESYNC");
    let replid = parts[1].to_string();
    let mut offset: i64 = parts[2].parse().expect("offset");
    assert_eq!(replid.len(), 40);
    // `$<len>`, or the EOF form if a ferrodis master began sending the
    // file while its child wrote it (capa eof was announced).
    let (rdb, _) = read_rdb_payload(&mut r, &mut buf);
    assert!(rdb.starts_with(b"REDIS"), "RDB expected");

    // INFO shows the replica (ack offset 0 until it acknowledges).
    let slave0 = m.info_field("replication", "slave0");
    assert!(
        slave0.starts_with("ip=127.0.0.1,port=7777,state=online,offset=0,lag="),
        "{slave0}"
    );
    // As a replica does once it has loaded the RDB (after the EOF form the
    // master streams nothing before this).
    r.send_cmd(&[b"REPLCONF", b"ACK", offset.to_string().as_bytes()]);

    // The stream starts with a SELECT after a full sync.
    m.cmd(&["SET", "b", "2"]);
    let want = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
    read_at_least(&mut r, &mut buf, want.len());
    assert_eq!(&buf[..want.len()], want);
    offset += want.len() as i64;
    buf.drain(..want.len());
    r.send_cmd(&[b"REPLCONF", b"ACK", offset.to_string().as_bytes()]);
    wait_for(
        500,
        Duration::from_millis(10),
        || {
            m.info_field("replication", "slave0")
                .contains(&format!("offset={offset},"))
        },
        "ACK offset not shown in INFO",
    );
    drop(r);

    // Reconnect and continue after the last byte we have: +CONTINUE, then
    // only what was written since.
    m.cmd(&["SET", "c", "3"]);
    let mut r = master.client();
    assert_eq!(r.cmd(&["REPLCONF", "capa", "psync2"]), Reply::ok());
    let from = (offset + 1).to_string();
    r.send_cmd(&[b"PSYNC", replid.as_bytes(), from.as_bytes()]);
    let mut buf = Vec::new();
    assert_eq!(read_line(&mut r, &mut buf), format!("+CONTINUE {replid}"));
    let want = b"*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n";
    read_at_least(&mut r, &mut buf, want.len());
    assert_eq!(&buf[..want.len()], want);
    assert_eq!(stat(&mut m, "sync_partial_ok"), 1);

    // An offset beyond what was produced: full sync, counted as an error.
    let mut r3 = master.client();
    r3.send_cmd(&[b"PSYNC", replid.as_bytes(), b"999999999"]);
    let mut buf = Vec::new();
    assert!(read_line(&mut r3, &mut buf).starts_with("+FULLRESYNC "));
    assert_eq!(stat(&mut m, "sync_partial_err"), 1);
    assert_eq!(stat(&mut m, "sync_full"), 2);
}

/// Attach a raw replica with PSYNC ? -1 and read past the RDB. Returns the
/// connection, the bytes already read after the RDB, the replication ID and
/// the offset the stream starts at.
fn raw_full_sync(master: &Server, port: &str) -> (Client, Vec<u8>, String, i64) {
    let mut r = master.client();
    assert_eq!(r.cmd(&["REPLCONF", "listening-port", port]), Reply::ok());
    assert_eq!(r.cmd(&["REPLCONF", "capa", "psync2"]), Reply::ok());
    r.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    let mut buf = Vec::new();
    let line = read_line(&mut r, &mut buf);
    let parts: Vec<String> = line.split(' ').map(String::from).collect();
    assert_eq!(parts[0], "+FULLRESYNC", "{line}");
    let offset = parts[2].parse().expect("offset");
    let len_line = read_line(&mut r, &mut buf);
    let len: usize = len_line[1..].parse().expect("bulk length");
    read_at_least(&mut r, &mut buf, len);
    buf.drain(..len);
    (r, buf, parts[1].clone(), offset)
}

#[test]
fn replicas_are_pinged_and_dropped_without_acks() {
    let master = start_master(&["--repl-ping-replica-period", "1", "--repl-timeout", "2"]);
    let (mut r, mut buf, _, _) = raw_full_sync(&master, "7001");
    // PINGs arrive through the stream, lowercase as Redis writes them, with
    // no SELECT before them.
    let ping = b"*1\r\n$4\r\nping\r\n";
    read_at_least(&mut r, &mut buf, ping.len());
    assert_eq!(&buf[..ping.len()], ping);
    // Never acknowledged: dropped after repl-timeout.
    r.set_timeout(Duration::from_secs(10));
    let mut m = master.client();
    wait_for(
        600,
        Duration::from_millis(10),
        || m.info_field("replication", "connected_slaves") == "0",
        "replica without ACKs was not dropped",
    );
    common::wait_for_log(
        &master,
        "Disconnecting timedout replica (streaming sync): 127.0.0.1:7001",
    );
}

#[test]
fn backlog_is_freed_after_ttl_without_replicas() {
    let master = start_master(&["--repl-backlog-ttl", "1"]);
    let mut m = master.client();
    let (r, _, replid, _) = raw_full_sync(&master, "7002");
    assert_eq!(m.info_field("replication", "repl_backlog_active"), "1");
    drop(r);
    wait_for(
        500,
        Duration::from_millis(10),
        || m.info_field("replication", "repl_backlog_active") == "0",
        "backlog not freed after its TTL",
    );
    // The history is gone, so is its ID.
    assert_ne!(m.info_field("replication", "master_replid"), replid);
    common::wait_for_log(
        &master,
        "Replication backlog freed after 1 seconds without connected replicas.",
    );
}

#[test]
fn big_dataset_streams_without_blocking_the_master() {
    let master = start_master(&[]);
    let mut m = master.client();
    // ~60 MB of values: the RDB is sent in many chunks.
    assert_eq!(
        m.cmd(&["DEBUG", "POPULATE", "60000", "key", "1000"]),
        Reply::ok()
    );
    let Some(replica) = start_replica(master.port()) else {
        eprintln!("skipped: no redis-server");
        return;
    };
    // The master keeps answering while the transfer runs.
    for i in 0..20 {
        m.cmd(&["SET", &format!("during{i}"), "x"]);
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_caught_up(&master, &replica);
}

/// INFO memory accounts for what replication holds: a replica that stops
/// reading leaves the stream in its output buffer, and mem_clients_slaves
/// and mem_total_replication_buffers show it (they are not constants).
#[test]
fn replica_buffers_show_in_info_memory() {
    let master = start_master(&[]);
    let mut m = master.client();
    let (_silent_replica, _, _, _) = raw_full_sync(&master, "6999");
    let value = "v".repeat(100_000);
    for i in 0..200 {
        m.cmd(&["SET", "k", &format!("{i}{value}")]);
    }
    let mem = |m: &mut Client, f: &str| m.info_field("memory", f).parse::<u64>().unwrap_or(0);
    wait_for(
        200,
        Duration::from_millis(20),
        || mem(&mut m, "mem_clients_slaves") > 4_000_000,
        "the stopped replica's buffer shows in mem_clients_slaves",
    );
    assert!(mem(&mut m, "mem_total_replication_buffers") > 4_000_000);
    assert!(mem(&mut m, "mem_replication_backlog") > 0);
    assert!(mem(&mut m, "mem_clients_normal") > 0);
}

/// The stream is held once however many replicas still have to send it
/// (Redis 7.0's shared replication buffer): two replicas that stop reading
/// each show the whole stream as their `omem`, while the master's
/// replication buffers grow by about one copy of it, not two.
#[test]
fn replicas_share_one_copy_of_the_stream() {
    let master = start_master(&[]);
    let mut m = master.client();
    let (_silent1, _, _, _) = raw_full_sync(&master, "7101");
    let (_silent2, _, _, _) = raw_full_sync(&master, "7102");
    let value = "v".repeat(100_000);
    let written = 400 * value.len() as u64;
    for i in 0..400 {
        m.cmd(&["SET", "k", &format!("{i:03}{value}")]);
    }
    let omem = |m: &mut Client| -> Vec<u64> {
        let list = m.cmd(&["CLIENT", "LIST", "TYPE", "replica"]);
        let list = list.as_str().unwrap_or_default().to_string();
        list.lines()
            .filter_map(|l| l.split(' ').find_map(|f| f.strip_prefix("omem=")))
            .map(|v| v.parse().unwrap_or(0))
            .collect()
    };
    // The socket buffers took some of it; most is still held for each.
    wait_for(
        200,
        Duration::from_millis(20),
        || {
            let o = omem(&mut m);
            o.len() == 2 && o.iter().all(|&b| b > written / 2)
        },
        "each stopped replica holds most of the stream",
    );
    let buffers: u64 = m
        .info_field("memory", "mem_total_replication_buffers")
        .parse()
        .unwrap_or(0);
    assert!(
        buffers > written / 2 && buffers < written * 3 / 2,
        "replication buffers {buffers} for a {written}-byte stream and 2 replicas"
    );
}

/// A replica's output is its stream, so a replica that sends a command
/// with a reply is dropped, as Redis 7.0 does, instead of getting the
/// reply inside its stream.
#[test]
fn a_replica_that_generates_a_reply_is_dropped() {
    let master = start_master(&[]);
    let mut m = master.client();
    let (mut r, _, _, _) = raw_full_sync(&master, "7103");
    assert_eq!(m.info_field("replication", "connected_slaves"), "1");
    r.send_cmd(&[b"PING"]);
    common::wait_for_log(
        &master,
        "Replica generated a reply to command 'ping', disconnecting it: id=",
    );
    wait_for(
        200,
        Duration::from_millis(10),
        || m.info_field("replication", "connected_slaves") == "0",
        "the replica was not dropped",
    );
    // What it was sent ends without a +PONG.
    r.set_timeout(Duration::from_secs(5));
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut r.stream(), &mut rest);
    assert!(
        !rest.windows(7).any(|w| w == b"+PONG\r\n"),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
}
