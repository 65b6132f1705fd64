//! Keyspace behaviour over time and across connections: active and lazy
//! expiry, database isolation (SELECT, SWAPDB and MOVE seen from other
//! connections), and iteration over datasets too large for the differential
//! suite.
//!
//! Expiry is observed without timing assertions: DBSIZE counts keys that are
//! logically expired but not yet removed, so "removed without being touched"
//! and "removed on access" can be told apart by polling and by ordering
//! deadlines (a key set earlier with a shorter TTL has surely expired once a
//! later one has).

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{server_binary, wait_for, Client, Reply, Server};

fn dbsize(c: &mut Client) -> i64 {
    c.cmd(&["DBSIZE"])
        .as_int()
        .expect("DBSIZE returns an integer")
}

fn expired_keys(c: &mut Client) -> i64 {
    c.info("stats")["expired_keys"]
        .parse()
        .expect("expired_keys")
}

#[test]
fn active_expiry_removes_keys_nobody_touches() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let mut pipe = Vec::new();
    for i in 0..100 {
        pipe.extend(common::encode_strs(&[
            "SET",
            &format!("tmp{i}"),
            "v",
            "PX",
            "100",
        ]));
    }
    c.send_raw(&pipe);
    for _ in 0..100 {
        assert_eq!(c.read_reply(), Reply::ok());
    }
    assert_eq!(c.cmd(&["SET", "keep", "v"]), Reply::ok());
    // Only DBSIZE (which never expires anything) is used while waiting.
    wait_for(
        1000,
        Duration::from_millis(10),
        || dbsize(&mut c) == 1,
        "active expiry did not remove the 100 volatile keys",
    );
    assert_eq!(c.cmd(&["GET", "keep"]), Reply::bulk("v"));
    assert_eq!(expired_keys(&mut c), 100);
    let ks = c.info("keyspace");
    // avg_ttl is a running estimate that lags a cycle behind: not compared.
    let db0 = ks.get("db0").map(String::as_str).unwrap_or("");
    assert!(
        db0.starts_with("keys=1,expires=0,"),
        "INFO keyspace db0: {db0:?}"
    );
}

#[test]
fn lazy_expiry_on_access_when_active_expiry_is_off() {
    let s = Server::start(server_binary(), &["--enable-debug-command", "yes"]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), Reply::ok());
    // `early` expires no later than `late`.
    assert_eq!(c.cmd(&["SET", "early", "v", "PX", "1"]), Reply::ok());
    assert_eq!(c.cmd(&["SET", "late", "v", "PX", "30"]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || c.cmd(&["GET", "late"]) == Reply::nil(),
        "GET never saw `late` expire",
    );
    // `late` was removed by the access; `early` has expired too but nobody
    // touched it and active expiry is off, so it is still stored.
    assert_eq!(
        dbsize(&mut c),
        1,
        "untouched expired key must stay until accessed"
    );
    assert_eq!(expired_keys(&mut c), 1);
    assert_eq!(c.cmd(&["EXISTS", "early"]), Reply::Int(0));
    assert_eq!(dbsize(&mut c), 0, "EXISTS on an expired key must delete it");
    assert_eq!(expired_keys(&mut c), 2);

    // Turning active expiry back on removes untouched keys again.
    assert_eq!(c.cmd(&["SET", "a", "v", "PX", "1"]), Reply::ok());
    assert_eq!(c.cmd(&["SET", "b", "v", "PX", "30"]), Reply::ok());
    assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || dbsize(&mut c) == 0,
        "active expiry did not resume",
    );
}

#[test]
fn expired_keys_are_invisible_to_every_read_command() {
    let s = Server::start(server_binary(), &["--enable-debug-command", "yes"]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), Reply::ok());
    for k in ["k1", "k2", "k3", "k4", "k5", "k6", "k7"] {
        assert_eq!(c.cmd(&["SET", k, "12", "PX", "1"]), Reply::ok());
    }
    assert_eq!(c.cmd(&["SET", "marker", "v", "PX", "20"]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || c.cmd(&["EXISTS", "marker"]) == Reply::Int(0),
        "marker never expired",
    );
    assert_eq!(c.cmd(&["TTL", "k1"]), Reply::Int(-2));
    assert_eq!(c.cmd(&["STRLEN", "k2"]), Reply::Int(0));
    assert_eq!(c.cmd(&["TYPE", "k3"]), Reply::Status("none".into()));
    assert_eq!(
        c.cmd(&["MGET", "k4", "k5"]),
        Reply::Array(Some(vec![Reply::nil(), Reply::nil()]))
    );
    assert_eq!(
        c.cmd(&["INCR", "k6"]),
        Reply::Int(1),
        "INCR on an expired key starts from 0"
    );
    assert_eq!(c.cmd(&["TTL", "k6"]), Reply::Int(-1));
    assert_eq!(
        c.cmd(&["SET", "k7", "x", "NX"]),
        Reply::ok(),
        "NX sees an expired key as absent"
    );
    assert_eq!(
        sorted_keys(&mut c, "*"),
        ["k6", "k7"],
        "KEYS lists only live keys"
    );
}

fn sorted_keys(c: &mut Client, pattern: &str) -> Vec<String> {
    let r = c.cmd(&["KEYS", pattern]);
    let mut keys: Vec<String> = r
        .as_array()
        .unwrap_or_else(|| panic!("KEYS returned {r:?}"))
        .iter()
        .map(|k| k.as_str().expect("key is text").to_string())
        .collect();
    keys.sort();
    keys
}

#[test]
fn persist_cancels_a_pending_expiry() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "20"]), Reply::ok());
    assert_eq!(c.cmd(&["PERSIST", "k"]), Reply::Int(1));
    assert_eq!(c.cmd(&["SET", "marker", "v", "PX", "40"]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || c.cmd(&["EXISTS", "marker"]) == Reply::Int(0),
        "marker never expired",
    );
    assert_eq!(c.cmd(&["GET", "k"]), Reply::bulk("v"));
    assert_eq!(c.cmd(&["TTL", "k"]), Reply::Int(-1));
}

#[test]
fn overwriting_with_set_drops_the_old_ttl() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["SET", "k", "old", "PX", "20"]), Reply::ok());
    assert_eq!(c.cmd(&["SET", "k", "new"]), Reply::ok());
    assert_eq!(c.cmd(&["SET", "marker", "v", "PX", "40"]), Reply::ok());
    wait_for(
        1000,
        Duration::from_millis(10),
        || c.cmd(&["EXISTS", "marker"]) == Reply::Int(0),
        "marker never expired",
    );
    assert_eq!(c.cmd(&["GET", "k"]), Reply::bulk("new"));
}

#[test]
fn select_isolates_databases_across_connections() {
    let s = Server::start(server_binary(), &[]);
    let mut a = s.client();
    let mut b = s.client();
    assert_eq!(b.cmd(&["SELECT", "1"]), Reply::ok());
    assert_eq!(a.cmd(&["SET", "k", "in0"]), Reply::ok());
    assert_eq!(b.cmd(&["SET", "k", "in1"]), Reply::ok());
    assert_eq!(b.cmd(&["SET", "only1", "x"]), Reply::ok());
    assert_eq!(a.cmd(&["GET", "k"]), Reply::bulk("in0"));
    assert_eq!(b.cmd(&["GET", "k"]), Reply::bulk("in1"));
    assert_eq!(dbsize(&mut a), 1);
    assert_eq!(dbsize(&mut b), 2);

    // FLUSHDB only touches the caller's database.
    assert_eq!(a.cmd(&["FLUSHDB"]), Reply::ok());
    assert_eq!(dbsize(&mut a), 0);
    assert_eq!(dbsize(&mut b), 2);

    // A new connection starts in db 0 whatever others selected.
    let mut c = s.client();
    assert_eq!(dbsize(&mut c), 0);

    // INFO keyspace lists only non-empty databases.
    let ks = c.info("keyspace");
    assert!(!ks.contains_key("db0"), "empty db0 listed: {ks:?}");
    assert_eq!(
        ks.get("db1").map(String::as_str),
        Some("keys=2,expires=0,avg_ttl=0")
    );
}

#[test]
fn swapdb_is_seen_by_connections_already_selected() {
    let s = Server::start(server_binary(), &[]);
    let mut a = s.client();
    let mut b = s.client();
    assert_eq!(b.cmd(&["SELECT", "1"]), Reply::ok());
    assert_eq!(a.cmd(&["SET", "where", "was0"]), Reply::ok());
    assert_eq!(b.cmd(&["SET", "where", "was1"]), Reply::ok());
    assert_eq!(a.cmd(&["SWAPDB", "0", "1"]), Reply::ok());
    assert_eq!(a.cmd(&["GET", "where"]), Reply::bulk("was1"));
    assert_eq!(b.cmd(&["GET", "where"]), Reply::bulk("was0"));
}

#[test]
fn move_is_seen_from_the_target_database() {
    let s = Server::start(server_binary(), &[]);
    let mut a = s.client();
    let mut b = s.client();
    assert_eq!(b.cmd(&["SELECT", "7"]), Reply::ok());
    assert_eq!(a.cmd(&["SET", "k", "v", "EXAT", "4000000000"]), Reply::ok());
    assert_eq!(a.cmd(&["MOVE", "k", "7"]), Reply::Int(1));
    assert_eq!(a.cmd(&["EXISTS", "k"]), Reply::Int(0));
    assert_eq!(b.cmd(&["GET", "k"]), Reply::bulk("v"));
    assert_eq!(b.cmd(&["EXPIRETIME", "k"]), Reply::Int(4000000000));
}

#[test]
fn scan_visits_every_key_of_a_large_dataset() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    const N: usize = 10_000;
    let mut pipe = Vec::new();
    for chunk in (0..N).collect::<Vec<_>>().chunks(500) {
        let mut args = vec!["MSET".to_string()];
        for i in chunk {
            args.push(format!("key:{i}"));
            args.push(i.to_string());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        pipe.extend(common::encode_strs(&refs));
    }
    c.send_raw(&pipe);
    for _ in 0..N / 500 {
        assert_eq!(c.read_reply(), Reply::ok());
    }
    assert_eq!(dbsize(&mut c), N as i64);

    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    let mut calls = 0;
    loop {
        calls += 1;
        assert!(calls < 100_000, "SCAN does not terminate");
        let r = c.cmd(&["SCAN", &cursor, "COUNT", "100"]);
        let parts = r
            .as_array()
            .unwrap_or_else(|| panic!("SCAN returned {r:?}"));
        cursor = parts[0].as_str().expect("cursor").to_string();
        for k in parts[1].as_array().expect("keys") {
            seen.insert(k.as_str().expect("key").to_string());
        }
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen.len(), N, "SCAN must return every key at least once");
    assert!(
        calls > 1,
        "SCAN with COUNT 100 over 10000 keys took a single call"
    );

    // MATCH filters but still terminates and is complete.
    let mut matched = HashSet::new();
    let mut cursor = "0".to_string();
    loop {
        let r = c.cmd(&["SCAN", &cursor, "MATCH", "key:99*"]);
        let parts = r.as_array().expect("SCAN reply");
        cursor = parts[0].as_str().expect("cursor").to_string();
        for k in parts[1].as_array().expect("keys") {
            matched.insert(k.as_str().expect("key").to_string());
        }
        if cursor == "0" {
            break;
        }
    }
    let want: HashSet<String> = (0..N)
        .map(|i| format!("key:{i}"))
        .filter(|k| k.starts_with("key:99"))
        .collect();
    assert_eq!(matched, want);

    assert_eq!(
        c.cmd(&["KEYS", "*"]).as_array().map(<[Reply]>::len),
        Some(N)
    );
    let rk = c.cmd(&["RANDOMKEY"]);
    let rk = rk.as_str().expect("RANDOMKEY returns a key");
    assert!(seen.contains(rk), "RANDOMKEY returned unknown key {rk}");
    assert_eq!(c.cmd(&["FLUSHALL", "ASYNC"]), Reply::ok());
    assert_eq!(dbsize(&mut c), 0);
}
