//! Protocol and connection behaviour a differential test cannot show: large
//! values, deep pipelines, slow writers, and the limits that close clients
//! (query buffer, maxclients, idle timeout, inline size) plus requirepass.
//!
//! Every test spawns its own server (`common::server_binary()`); run them
//! against the reference with
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server cargo test --test protocol`.

mod common;

use std::io::Write;
use std::time::Duration;

use common::{server_binary, wait_for, Client, Reply, Server};

/// A value of `len` bytes that contains CR, LF, NUL and every other byte.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[test]
fn one_megabyte_value_round_trips() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let value = pattern(1024 * 1024);
    assert_eq!(c.cmd_bytes(&[b"SET", b"big", &value]), Reply::ok());
    assert_eq!(c.cmd(&["STRLEN", "big"]), Reply::Int(1024 * 1024));
    match c.cmd(&["GET", "big"]) {
        Reply::Bulk(Some(v)) => assert!(v == value, "GET big returned different bytes"),
        other => panic!("GET big: {other:?}"),
    }
    // APPEND past 1 MB and read a range across the boundary.
    assert_eq!(
        c.cmd(&["APPEND", "big", "tail"]),
        Reply::Int(1024 * 1024 + 4)
    );
    let r = c.cmd(&["GETRANGE", "big", "-6", "-1"]);
    let mut want = value[value.len() - 2..].to_vec();
    want.extend_from_slice(b"tail");
    assert_eq!(r, Reply::Bulk(Some(want)));
}

#[test]
fn ten_thousand_pipelined_pings_in_one_write() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    const N: usize = 10_000;
    let mut buf = Vec::with_capacity(N * 14);
    for _ in 0..N {
        buf.extend_from_slice(b"*1\r\n$4\r\nPING\r\n");
    }
    // Write from another thread so a server that answers while we still
    // write cannot deadlock the test on full socket buffers.
    let mut w = c.stream().try_clone().expect("clone socket");
    let writer = std::thread::spawn(move || w.write_all(&buf));
    for i in 0..N {
        let r = c.read_raw_reply();
        assert_eq!(r, b"+PONG\r\n", "reply {i} of {N}");
    }
    writer
        .join()
        .expect("writer thread")
        .expect("write 10000 PINGs");
    // Nothing more: the next reply belongs to the next command.
    assert_eq!(c.cmd(&["ECHO", "done"]), Reply::bulk("done"));
}

#[test]
fn mixed_pipeline_keeps_order() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let mut buf = Vec::new();
    for i in 0..1000 {
        let v = i.to_string();
        buf.extend(common::encode_strs(&["SET", &format!("k{i}"), &v]));
        buf.extend(common::encode_strs(&["INCR", &format!("k{i}")]));
        buf.extend_from_slice(format!("GET k{i}\r\n").as_bytes());
    }
    c.send_raw(&buf);
    for i in 0..1000 {
        assert_eq!(c.read_reply(), Reply::ok());
        assert_eq!(c.read_reply(), Reply::Int(i + 1));
        assert_eq!(c.read_reply(), Reply::bulk(&(i + 1).to_string()));
    }
}

#[test]
fn request_sent_one_byte_at_a_time() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let value = pattern(300);
    let req = common::encode_command(&[b"SET", b"slow", &value]);
    let mut req2 = req.clone();
    req2.extend_from_slice(b"GET slow\r\n");
    for b in &req2 {
        c.send_raw(std::slice::from_ref(b));
    }
    assert_eq!(c.read_reply(), Reply::ok());
    assert_eq!(c.read_reply(), Reply::Bulk(Some(value)));
}

#[test]
fn query_buffer_limit_closes_client() {
    let s = Server::start(server_binary(), &["--client-query-buffer-limit", "1mb"]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["PING"]), Reply::Status("PONG".into()));
    // A 2 MB bulk that never completes: the server must drop us once more
    // than 1 MB is buffered.
    let mut closed = c
        .try_send_raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n")
        .is_err();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..32 {
        if closed || c.try_send_raw(&chunk).is_err() {
            closed = true;
            break;
        }
    }
    assert!(
        closed || c.is_closed_by_peer(),
        "client over the query buffer limit was not closed"
    );
    let mut other = s.client();
    assert_eq!(other.cmd(&["EXISTS", "k"]), Reply::Int(0));
    assert_eq!(other.cmd(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn too_big_inline_request_is_a_protocol_error() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    // More than 64 KB without a newline.
    let _ = c.try_send_raw(&vec![b'a'; 70 * 1024]);
    let r = c.try_read_reply();
    assert!(
        matches!(&r, Ok(Reply::Error(e)) if e == "ERR Protocol error: too big inline request"),
        "got {r:?}"
    );
    assert!(
        c.is_closed_by_peer(),
        "connection left open after a protocol error"
    );
    assert_eq!(s.client().cmd(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn too_big_multibulk_count_line_is_a_protocol_error() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let mut req = b"*".to_vec();
    req.extend(vec![b'1'; 70 * 1024]);
    let _ = c.try_send_raw(&req);
    let r = c.try_read_reply();
    assert!(
        matches!(&r, Ok(Reply::Error(e)) if e == "ERR Protocol error: too big mbulk count string"),
        "got {r:?}"
    );
    assert!(
        c.is_closed_by_peer(),
        "connection left open after a protocol error"
    );
}

#[test]
fn maxclients_rejects_the_extra_client() {
    let s = Server::start(server_binary(), &["--maxclients", "2"]);
    // The readiness probe's connection may not be reaped yet: retry until two
    // clients are in.
    let mut first = None;
    wait_for(
        500,
        Duration::from_millis(10),
        || match Client::connect(s.port()).map(|mut c| (c.try_cmd(&["PING"]), c)) {
            Ok((Ok(Reply::Status(p)), c)) if p == "PONG" => {
                first = Some(c);
                true
            }
            _ => false,
        },
        "first client never accepted",
    );
    let mut second = None;
    wait_for(
        500,
        Duration::from_millis(10),
        || match Client::connect(s.port()).map(|mut c| (c.try_cmd(&["PING"]), c)) {
            Ok((Ok(Reply::Status(p)), c)) if p == "PONG" => {
                second = Some(c);
                true
            }
            _ => false,
        },
        "second client never accepted",
    );
    let mut third = Client::connect(s.port()).expect("TCP connect still succeeds");
    let r = third.try_read_reply();
    assert!(
        matches!(&r, Ok(Reply::Error(e)) if e == "ERR max number of clients reached"),
        "third client got {r:?}"
    );
    assert!(third.is_closed_by_peer(), "rejected client was not closed");
    // The two accepted clients still work.
    assert_eq!(first.unwrap().cmd(&["PING"]), Reply::Status("PONG".into()));
    assert_eq!(second.unwrap().cmd(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn idle_client_is_closed_after_timeout() {
    let s = Server::start(server_binary(), &["--timeout", "1"]);
    let mut c = s.client();
    assert_eq!(c.cmd(&["SET", "k", "v"]), Reply::ok());
    // Blocks until the server closes us (bounded by the 10 s read timeout).
    assert!(
        c.is_closed_by_peer(),
        "idle client was not closed within the read timeout"
    );
    assert_eq!(s.client().cmd(&["GET", "k"]), Reply::bulk("v"));
}

#[test]
fn requirepass_noauth_wrongpass_and_auth() {
    let s = Server::start(server_binary(), &["--requirepass", "s3cret"]);
    let mut c = s.client();
    assert_eq!(
        c.cmd(&["GET", "k"]),
        Reply::Error("NOAUTH Authentication required.".into())
    );
    assert_eq!(
        c.cmd(&["PING"]),
        Reply::Error("NOAUTH Authentication required.".into())
    );
    assert_eq!(
        c.cmd(&["AUTH", "wrong"]),
        Reply::Error("WRONGPASS invalid username-password pair or user is disabled.".into())
    );
    assert_eq!(
        c.cmd(&["AUTH", "default", "wrong"]),
        Reply::Error("WRONGPASS invalid username-password pair or user is disabled.".into())
    );
    assert_eq!(
        c.cmd(&["SET", "k", "v"]),
        Reply::Error("NOAUTH Authentication required.".into())
    );
    assert_eq!(c.cmd(&["AUTH", "s3cret"]), Reply::ok());
    assert_eq!(c.cmd(&["SET", "k", "v"]), Reply::ok());
    assert_eq!(c.cmd(&["GET", "k"]), Reply::bulk("v"));

    let mut d = s.client();
    assert_eq!(d.cmd(&["AUTH", "default", "s3cret"]), Reply::ok());
    assert_eq!(d.cmd(&["GET", "k"]), Reply::bulk("v"));
    // A fresh connection starts unauthenticated again.
    let mut e = s.client();
    assert_eq!(
        e.cmd(&["GET", "k"]),
        Reply::Error("NOAUTH Authentication required.".into())
    );
    // QUIT is allowed without AUTH.
    assert_eq!(e.cmd(&["QUIT"]), Reply::ok());
    assert!(e.is_closed_by_peer());
}

#[test]
fn unauthenticated_big_multibulk_is_rejected() {
    // Redis refuses large multibulk headers before AUTH (a cheap DoS guard).
    let s = Server::start(server_binary(), &["--requirepass", "s3cret"]);
    let mut c = s.client();
    let _ = c.try_send_raw(b"*100\r\n");
    let r = c.try_read_reply();
    assert!(
        matches!(&r, Ok(Reply::Error(e)) if e == "ERR Protocol error: unauthenticated multibulk length"),
        "got {r:?}"
    );
    assert!(c.is_closed_by_peer());
}

#[test]
fn many_connections_are_served_independently() {
    let s = Server::start(server_binary(), &[]);
    let mut clients: Vec<Client> = (0..50).map(|_| s.client()).collect();
    for (i, c) in clients.iter_mut().enumerate() {
        assert_eq!(c.cmd(&["CLIENT", "SETNAME", &format!("c{i}")]), Reply::ok());
    }
    for (i, c) in clients.iter_mut().enumerate().rev() {
        assert_eq!(c.cmd(&["CLIENT", "GETNAME"]), Reply::bulk(&format!("c{i}")));
    }
    let info = clients[0].info("clients");
    let connected: i64 = info["connected_clients"]
        .parse()
        .expect("connected_clients");
    assert!(connected >= 50, "connected_clients = {connected}");
}

#[test]
fn latency_monitor_records_slow_commands() {
    let s = Server::start(
        common::server_binary(),
        &[
            "--latency-monitor-threshold",
            "5",
            "--enable-debug-command",
            "yes",
        ],
    );
    let mut c = s.client();
    assert_eq!(c.cmd(&["DEBUG", "SLEEP", "0.02"]), Reply::ok());
    match c.cmd(&["LATENCY", "LATEST"]) {
        Reply::Array(Some(rows)) => {
            assert_eq!(rows.len(), 1, "{rows:?}");
            match &rows[0] {
                Reply::Array(Some(f)) => {
                    assert_eq!(f[0], Reply::Bulk(Some(b"command".to_vec())));
                    assert!(matches!(f[2], Reply::Int(ms) if ms >= 20), "{f:?}");
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.cmd(&["LATENCY", "RESET"]), Reply::Int(1));
    assert_eq!(c.cmd(&["LATENCY", "LATEST"]), Reply::Array(Some(vec![])));
}
