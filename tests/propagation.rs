//! What leaves a master for its replicas and the AOF: the propagated
//! command stream, captured with ferrodis's DEBUG PROPAGATION-LOG. Commands
//! whose effect depends on time or chance must arrive in deterministic
//! forms, transactions wrapped in MULTI/EXEC, with SELECT when the database
//! changes, and nothing for reads or writes that changed nothing.

mod common;

use common::{server_binary, Client, Reply, Server};

/// Parse a RESP multibulk stream into commands.
fn commands(stream: &[u8]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        match common::parse_reply(rest) {
            Ok(Some((Reply::Array(Some(items)), used))) => {
                out.push(
                    items
                        .into_iter()
                        .map(|r| match r {
                            Reply::Bulk(Some(b)) => String::from_utf8_lossy(&b).into_owned(),
                            other => format!("{other:?}"),
                        })
                        .collect(),
                );
                rest = &rest[used..];
            }
            other => panic!("bad stream {other:?}: {}", String::from_utf8_lossy(rest)),
        }
    }
    out
}

fn log(c: &mut Client) -> Vec<Vec<String>> {
    match c.cmd(&["DEBUG", "PROPAGATION-LOG", "GET"]) {
        Reply::Bulk(Some(b)) => commands(&b),
        other => panic!("{other:?}"),
    }
}

fn start() -> (Server, Client) {
    let s = Server::start(server_binary(), &["--enable-debug-command", "yes"]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["DEBUG", "PROPAGATION-LOG", "ON"]), Reply::ok());
    (s, c)
}

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn plain_writes_pass_through_with_a_select_first() {
    let (_s, mut c) = start();
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["GET", "a"]);
    c.cmd(&["SETNX", "a", "2"]);
    c.cmd(&["DEL", "missing"]);
    c.cmd(&["SELECT", "2"]);
    c.cmd(&["LPUSH", "l", "x"]);
    assert_eq!(
        log(&mut c),
        vec![
            v(&["SELECT", "0"]),
            v(&["SET", "a", "1"]),
            v(&["SELECT", "2"]),
            v(&["LPUSH", "l", "x"])
        ]
    );
}

#[test]
fn time_and_chance_become_deterministic() {
    let (_s, mut c) = start();
    c.cmd(&["SET", "k", "v", "EX", "100"]);
    c.cmd(&["EXPIRE", "k", "200"]);
    c.cmd(&["SET", "f", "1.5"]);
    c.cmd(&["INCRBYFLOAT", "f", "0.25"]);
    c.cmd(&["SADD", "s", "only"]);
    c.cmd(&["SPOP", "s"]);
    c.cmd(&["HINCRBYFLOAT", "h", "x", "2.5"]);
    c.cmd(&["EXPIRE", "f", "-1"]);
    let got = log(&mut c);
    assert_eq!(got[1][..4], v(&["SET", "k", "v", "PXAT"]));
    assert_eq!(got[2][..2], v(&["PEXPIREAT", "k"]));
    let pxat: i64 = got[1][4].parse().expect("number");
    let at: i64 = got[2][2].parse().expect("number");
    assert!(at - pxat >= 99_000, "{pxat} {at}");
    assert_eq!(got[4], v(&["SET", "f", "1.75", "KEEPTTL"]));
    assert_eq!(got[6], v(&["SREM", "s", "only"]));
    assert_eq!(got[7], v(&["HSET", "h", "x", "2.5"]));
    assert_eq!(got[8], v(&["DEL", "f"]));
}

#[test]
fn transactions_are_wrapped_and_single_ops_are_not() {
    let (_s, mut c) = start();
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["GET", "a"]);
    c.cmd(&["INCR", "a"]);
    c.cmd(&["EXEC"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "b", "1"]);
    c.cmd(&["EXEC"]);
    assert_eq!(
        log(&mut c),
        vec![
            v(&["SELECT", "0"]),
            v(&["MULTI"]),
            v(&["SET", "a", "1"]),
            v(&["INCR", "a"]),
            v(&["EXEC"]),
            v(&["SET", "b", "1"]),
        ]
    );
}

#[test]
fn lazy_expiry_and_blocking_pops() {
    let (_s, mut c) = start();
    c.cmd(&["SET", "gone", "v", "PX", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(c.cmd(&["GET", "gone"]), Reply::Bulk(None));
    c.cmd(&["RPUSH", "q", "a", "b"]);
    c.cmd(&["BLPOP", "q", "0"]);
    c.cmd(&["BLMOVE", "q", "r", "LEFT", "RIGHT", "0"]);
    c.cmd(&["ZADD", "z", "1", "m"]);
    c.cmd(&["BZPOPMIN", "z", "0"]);
    let got = log(&mut c);
    assert_eq!(got[2], v(&["DEL", "gone"]), "{got:?}");
    assert_eq!(got[4], v(&["LPOP", "q"]));
    assert_eq!(got[5], v(&["LMOVE", "q", "r", "LEFT", "RIGHT"]));
    assert_eq!(got[7], v(&["ZPOPMIN", "z"]));
}

/// Only the writes that changed something travel, and a PFCOUNT that
/// stored its count in the string travels too (Redis propagates it so the
/// replicas' strings stay identical).
#[test]
fn bitmap_hyperloglog_and_geo_writes_travel_when_they_change_something() {
    let (_s, mut c) = start();
    c.cmd(&["SETBIT", "b", "3", "1"]);
    c.cmd(&["SETBIT", "b", "3", "1"]);
    c.cmd(&["BITFIELD", "b", "SET", "u4", "0", "1", "GET", "u4", "0"]);
    c.cmd(&["BITFIELD", "b", "GET", "u8", "0"]);
    c.cmd(&["PFADD", "h", "a"]);
    c.cmd(&["PFADD", "h", "a"]);
    c.cmd(&["PFCOUNT", "h"]);
    c.cmd(&["PFCOUNT", "h"]);
    c.cmd(&["PFCOUNT", "h", "other"]);
    // GEOADD travels as the ZADD it became, and not at all when it
    // changed nothing.
    c.cmd(&["GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo"]);
    c.cmd(&["GEOADD", "g", "13.361389", "38.115556", "Palermo"]);
    assert_eq!(
        log(&mut c),
        vec![
            v(&["SELECT", "0"]),
            v(&["SETBIT", "b", "3", "1"]),
            v(&["PFADD", "h", "a"]),
            v(&["PFCOUNT", "h"]),
            v(&["ZADD", "g", "CH", "3479099956230698", "Palermo"]),
        ]
    );
}

#[test]
fn publish_inside_exec_keeps_its_place_for_replicas_and_skips_the_aof() {
    let master = Server::start(
        server_binary(),
        &["--enable-debug-command", "yes", "--appendonly", "yes"],
    );
    let replica = Server::start(server_binary(), &["--enable-debug-command", "yes"]);
    let port = master.port().to_string();
    assert_eq!(
        replica.client().cmd(&["REPLICAOF", "127.0.0.1", &port]),
        Reply::ok()
    );
    common::wait_caught_up(&master, &replica);
    let mut c = master.client();
    assert_eq!(c.cmd(&["DEBUG", "PROPAGATION-LOG", "ON"]), Reply::ok());
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "k1", "v"]);
    c.cmd(&["PUBLISH", "ch", "between"]);
    c.cmd(&["SET", "k2", "v"]);
    c.cmd(&["EXEC"]);
    c.cmd(&["PUBLISH", "ch", "alone"]);
    let stream: Vec<Vec<String>> = log(&mut c)
        .into_iter()
        .filter(|cmd| cmd[0] != "SELECT")
        .collect();
    assert_eq!(
        stream,
        vec![
            v(&["MULTI"]),
            v(&["SET", "k1", "v"]),
            v(&["PUBLISH", "ch", "between"]),
            v(&["SET", "k2", "v"]),
            v(&["EXEC"]),
            v(&["PUBLISH", "ch", "alone"]),
        ]
    );
    // The AOF has the transaction, without the messages.
    let dir = master.dir().join("appendonlydir");
    let mut aof = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("appendonlydir") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().ends_with(".incr.aof") {
            aof.extend(std::fs::read(&path).expect("incr file"));
        }
    }
    let aof = commands(&aof);
    assert!(aof.contains(&v(&["SET", "k2", "v"])), "{aof:?}");
    assert!(aof.contains(&v(&["MULTI"])), "{aof:?}");
    assert!(!aof.iter().any(|cmd| cmd[0] == "PUBLISH"), "{aof:?}");
    // The replica applied the transaction around the message.
    common::wait_caught_up(&master, &replica);
    assert_eq!(
        replica.client().cmd(&["GET", "k2"]),
        Reply::Bulk(Some(b"v".to_vec()))
    );
}

#[test]
fn stream_ids_and_approximate_trims_go_out_exact() {
    let (_s, mut c) = start();
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "2"]),
        Reply::ok()
    );
    c.cmd(&["XADD", "s", "1-1", "a", "1"]);
    c.cmd(&["XADD", "s", "5-*", "a", "2"]);
    let auto = match c.cmd(&["XADD", "s", "*", "a", "3"]) {
        Reply::Bulk(Some(b)) => String::from_utf8(b).expect("id"),
        other => panic!("{other:?}"),
    };
    for i in 0..4 {
        c.cmd(&["XADD", "t", &format!("{}-1", i + 1), "f", "v"]);
    }
    // Nodes of 2 entries, and `~` removes whole nodes only: of 5 entries,
    // MAXLEN ~ 2 keeps 3, which is what replicas are told to keep.
    c.cmd(&["XADD", "t", "MAXLEN", "~", "2", "5-1", "f", "v"]);
    c.cmd(&["XTRIM", "t", "MINID", "~", "5"]);
    c.cmd(&["XTRIM", "t", "MAXLEN", "~", "0", "LIMIT", "1"]);
    // An exact trim goes out as written.
    c.cmd(&["XADD", "t", "MAXLEN", "1", "6-1", "f", "v"]);
    c.cmd(&["XDEL", "s", "1-1", "9-9"]);
    // Nothing changed, nothing sent.
    c.cmd(&["XDEL", "s", "9-9"]);
    c.cmd(&["XTRIM", "s", "MAXLEN", "~", "5"]);
    c.cmd(&["XADD", "nos", "NOMKSTREAM", "*", "a", "1"]);
    c.cmd(&["XSETID", "s", "99999999999999-0"]);
    let got = log(&mut c);
    assert_eq!(got[2], v(&["XADD", "s", "5-0", "a", "2"]));
    assert_eq!(got[3], v(&["XADD", "s", &auto, "a", "3"]));
    assert_eq!(
        got[8],
        v(&["XADD", "t", "MAXLEN", "=", "3", "5-1", "f", "v"])
    );
    assert_eq!(got[9], v(&["XTRIM", "t", "MINID", "=", "5-1"]));
    // LIMIT stays (as in Redis): a master's or the AOF's trim ignores it.
    assert_eq!(
        got[10],
        v(&["XTRIM", "t", "MAXLEN", "=", "0", "LIMIT", "1"])
    );
    assert_eq!(got[11], v(&["XADD", "t", "MAXLEN", "1", "6-1", "f", "v"]));
    assert_eq!(got[12], v(&["XDEL", "s", "1-1", "9-9"]));
    assert_eq!(got[13], v(&["XSETID", "s", "99999999999999-0"]));
    assert_eq!(got.len(), 14, "{got:?}");
}

/// Consumer groups reach replicas as Redis 7.0 sends them (read from its
/// AOF for the same commands): deliveries and claims as idempotent XCLAIMs,
/// a NOACK read as the consumer's creation plus XGROUP SETID in one
/// MULTI/EXEC, several claims of one command in one MULTI/EXEC, and
/// nothing for history reads, empty reads or a missing consumer.
#[test]
fn consumer_groups_go_out_as_xclaim_and_setid() {
    let (_s, mut c) = start();
    for args in [
        &["XADD", "s", "1-1", "a", "1"][..],
        &["XADD", "s", "2-1", "a", "2"],
        &["XADD", "s", "3-1", "a", "3"],
        &["XGROUP", "CREATE", "s", "g", "0"],
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "alice",
            "COUNT",
            "1",
            "STREAMS",
            "s",
            ">",
        ],
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "bob",
            "COUNT",
            "5",
            "STREAMS",
            "s",
            "0",
        ],
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "carol",
            "NOACK",
            "COUNT",
            "1",
            "STREAMS",
            "s",
            ">",
        ],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        &["XREADGROUP", "GROUP", "g", "dave", "STREAMS", "s", ">"],
        &["XREADGROUP", "GROUP", "g", "erin", "STREAMS", "s", ">"],
        &["XCLAIM", "s", "g", "frank", "0", "1-1"],
        &["XAUTOCLAIM", "s", "g", "gina", "0", "0"],
        &["XDEL", "s", "3-1"],
        &["XCLAIM", "s", "g", "frank", "0", "3-1"],
        &["XGROUP", "CREATECONSUMER", "s", "g", "hank"],
        &["XGROUP", "DELCONSUMER", "s", "g", "nobody"],
        &["XACK", "s", "g", "9-9"],
    ] {
        assert!(!c.cmd(args).is_error(), "{args:?}");
    }
    let got: Vec<Vec<String>> = log(&mut c)
        .into_iter()
        .map(|mut cmd| {
            if cmd[0] == "XCLAIM" {
                assert!(cmd[7].parse::<i64>().is_ok_and(|t| t > 1_600_000_000_000));
                cmd[7] = "T".into();
            }
            cmd
        })
        .collect();
    let claim = |who: &str, id: &str, n: &str, last: &str| {
        v(&[
            "XCLAIM",
            "s",
            "g",
            who,
            "0",
            id,
            "TIME",
            "T",
            "RETRYCOUNT",
            n,
            "FORCE",
            "JUSTID",
            "LASTID",
            last,
        ])
    };
    let expected = vec![
        v(&["SELECT", "0"]),
        v(&["XADD", "s", "1-1", "a", "1"]),
        v(&["XADD", "s", "2-1", "a", "2"]),
        v(&["XADD", "s", "3-1", "a", "3"]),
        v(&["XGROUP", "CREATE", "s", "g", "0"]),
        claim("alice", "1-1", "1", "1-1"),
        v(&["MULTI"]),
        v(&["XGROUP", "CREATECONSUMER", "s", "g", "carol"]),
        v(&["XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD", "2"]),
        v(&["EXEC"]),
        claim("dave", "3-1", "1", "3-1"),
        claim("frank", "1-1", "3", "3-1"),
        v(&["MULTI"]),
        claim("gina", "1-1", "4", "3-1"),
        claim("gina", "3-1", "2", "3-1"),
        v(&["EXEC"]),
        v(&["XDEL", "s", "3-1"]),
        claim("gina", "3-1", "2", "3-1"),
        v(&["XGROUP", "CREATECONSUMER", "s", "g", "hank"]),
    ];
    assert_eq!(got, expected);
}
