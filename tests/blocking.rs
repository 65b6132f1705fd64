//! Blocking list commands across connections: wake-up by a push, FIFO order
//! among waiters, timeouts, chained BLMOVE, CLIENT UNBLOCK, MULTI, and the
//! input a blocked client sent after its blocking command.

mod common;

use std::time::{Duration, Instant};

use common::{server_binary, Reply, Server};

fn bulk(s: &str) -> Reply {
    Reply::Bulk(Some(s.as_bytes().to_vec()))
}

fn arr(items: &[&str]) -> Reply {
    Reply::Array(Some(items.iter().map(|s| bulk(s)).collect()))
}

#[test]
fn blpop_is_woken_by_a_push_from_another_client() {
    let s = Server::start(server_binary(), &[]);
    let mut waiter = s.client();
    let mut admin = s.client();
    waiter.send_cmd(&[b"BLPOP", b"q1", b"q2", b"0"]);
    admin.wait_blocked(1);
    assert_eq!(admin.cmd(&["RPUSH", "q2", "a", "b"]), Reply::Int(2));
    assert_eq!(waiter.read_reply(), arr(&["q2", "a"]));
    assert_eq!(admin.cmd(&["LRANGE", "q2", "0", "-1"]), arr(&["b"]));
}

#[test]
fn waiters_are_served_in_arrival_order() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut first = s.client();
    let mut second = s.client();
    first.send_cmd(&[b"BRPOP", b"q", b"0"]);
    admin.wait_blocked(1);
    second.send_cmd(&[b"BRPOP", b"q", b"0"]);
    admin.wait_blocked(2);
    admin.cmd(&["LPUSH", "q", "x"]);
    assert_eq!(first.read_reply(), arr(&["q", "x"]));
    admin.wait_blocked(1);
    admin.cmd(&["LPUSH", "q", "y"]);
    assert_eq!(second.read_reply(), arr(&["q", "y"]));
}

#[test]
fn timeout_answers_a_null_array() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    let start = Instant::now();
    assert_eq!(c.cmd(&["BLPOP", "nothing", "0.2"]), Reply::Array(None));
    assert!(start.elapsed() >= Duration::from_millis(150));
    // The connection goes on normally.
    assert_eq!(c.cmd(&["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn blmove_chain_wakes_the_next_waiter() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut mover = s.client();
    let mut popper = s.client();
    mover.send_cmd(&[b"BLMOVE", b"a", b"b", b"LEFT", b"RIGHT", b"0"]);
    admin.wait_blocked(1);
    popper.send_cmd(&[b"BLPOP", b"b", b"0"]);
    admin.wait_blocked(2);
    admin.cmd(&["RPUSH", "a", "v"]);
    assert_eq!(mover.read_reply(), bulk("v"));
    assert_eq!(popper.read_reply(), arr(&["b", "v"]));
    assert_eq!(admin.cmd(&["EXISTS", "a", "b"]), Reply::Int(0));
}

#[test]
fn client_unblock_and_pipelined_commands() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut c = s.client();
    let id = match c.cmd(&["CLIENT", "ID"]) {
        Reply::Int(i) => i,
        other => panic!("{other:?}"),
    };
    // BLPOP then PING in one write: PING must wait for BLPOP's answer.
    c.send_raw(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
    admin.wait_blocked(1);
    assert_eq!(
        admin.cmd(&["CLIENT", "UNBLOCK", &id.to_string(), "ERROR"]),
        Reply::Int(1)
    );
    assert_eq!(
        c.read_reply(),
        Reply::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into())
    );
    assert_eq!(c.read_reply(), Reply::Status("PONG".into()));
    assert_eq!(
        admin.cmd(&["CLIENT", "UNBLOCK", &id.to_string()]),
        Reply::Int(0)
    );
}

#[test]
fn blocking_commands_do_not_block_inside_multi() {
    let s = Server::start(server_binary(), &[]);
    let mut c = s.client();
    c.cmd(&["MULTI"]);
    c.cmd(&["BLPOP", "q", "0"]);
    c.cmd(&["BLMOVE", "q", "r", "LEFT", "LEFT", "0"]);
    assert_eq!(
        c.cmd(&["EXEC"]),
        Reply::Array(Some(vec![Reply::Array(None), Reply::Bulk(None)]))
    );
}

#[test]
fn a_disconnected_waiter_is_forgotten() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut gone = s.client();
    gone.send_cmd(&[b"BLPOP", b"q", b"0"]);
    admin.wait_blocked(1);
    drop(gone);
    admin.wait_blocked(0);
    admin.cmd(&["RPUSH", "q", "kept"]);
    assert_eq!(admin.cmd(&["LLEN", "q"]), Reply::Int(1));
}

#[test]
fn bzpopmin_is_woken_by_zadd() {
    let s = Server::start(server_binary(), &[]);
    let mut waiter = s.client();
    let mut admin = s.client();
    waiter.send_cmd(&[b"BZPOPMIN", b"z", b"0"]);
    admin.wait_blocked(1);
    admin.cmd(&["ZADD", "z", "2", "b", "1", "a"]);
    assert_eq!(waiter.read_reply(), arr(&["z", "a", "1"]));
    assert_eq!(admin.cmd(&["ZCARD", "z"]), Reply::Int(1));
}
