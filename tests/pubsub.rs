//! Behaviour across connections: PUBLISH fan-out to channel and pattern
//! subscribers, keyspace notifications, WATCH invalidated by another
//! client, CLIENT PAUSE holding writes, MONITOR.

mod common;

use std::time::{Duration, Instant};

use common::{server_binary, Reply, Server};

fn bulk(s: &str) -> Reply {
    Reply::Bulk(Some(s.as_bytes().to_vec()))
}

fn array(items: Vec<Reply>) -> Reply {
    Reply::Array(Some(items))
}

#[test]
fn publish_reaches_channel_and_pattern_subscribers() {
    let s = Server::start(server_binary(), &[]);
    let mut sub = s.client();
    sub.cmd(&["SUBSCRIBE", "news"]);
    let mut psub = s.client();
    psub.cmd(&["PSUBSCRIBE", "n*"]);
    let mut pubc = s.client();
    assert_eq!(pubc.cmd(&["PUBLISH", "news", "hello"]), Reply::Int(2));
    assert_eq!(
        sub.read_reply(),
        array(vec![bulk("message"), bulk("news"), bulk("hello")])
    );
    assert_eq!(
        psub.read_reply(),
        array(vec![
            bulk("pmessage"),
            bulk("n*"),
            bulk("news"),
            bulk("hello")
        ])
    );
    assert_eq!(pubc.cmd(&["PUBLISH", "other", "x"]), Reply::Int(0));
    assert_eq!(
        pubc.cmd(&["PUBSUB", "NUMSUB", "news"]),
        array(vec![bulk("news"), Reply::Int(1)])
    );
    assert_eq!(pubc.cmd(&["PUBSUB", "NUMPAT"]), Reply::Int(1));
    // A closed subscriber stops counting.
    drop(sub);
    common::wait_for(
        100,
        Duration::from_millis(10),
        || pubc.cmd(&["PUBLISH", "news", "again"]) == Reply::Int(1),
        "subscriber removed after disconnect",
    );
}

#[test]
fn keyspace_notifications_follow_the_config() {
    let s = Server::start(server_binary(), &["--notify-keyspace-events", "KEA"]);
    let mut sub = s.client();
    sub.cmd(&["PSUBSCRIBE", "__key*__:*"]);
    let mut c = s.client();
    c.cmd(&["SET", "k", "v"]);
    let ev1 = sub.read_reply();
    let ev2 = sub.read_reply();
    assert_eq!(
        ev1,
        array(vec![
            bulk("pmessage"),
            bulk("__key*__:*"),
            bulk("__keyspace@0__:k"),
            bulk("set")
        ])
    );
    assert_eq!(
        ev2,
        array(vec![
            bulk("pmessage"),
            bulk("__key*__:*"),
            bulk("__keyevent@0__:set"),
            bulk("k")
        ])
    );
}

#[test]
fn watch_is_invalidated_by_another_client() {
    let s = Server::start(server_binary(), &[]);
    let mut a = s.client();
    let mut b = s.client();
    a.cmd(&["SET", "k", "1"]);
    a.cmd(&["WATCH", "k"]);
    b.cmd(&["SET", "k", "2"]);
    // CLIENT LIST shows the doomed transaction ('d'), then MULTI ('x')
    // first, as Redis orders the flags.
    let id = a.cmd(&["CLIENT", "ID"]).as_int().expect("id").to_string();
    let flags = |b: &mut common::Client| {
        let list = b.cmd(&["CLIENT", "LIST", "ID", &id]);
        let line = list.as_str().expect("CLIENT LIST").to_string();
        line.split(' ')
            .find_map(|f| f.strip_prefix("flags="))
            .expect("flags field")
            .to_string()
    };
    assert_eq!(flags(&mut b), "d");
    a.cmd(&["MULTI"]);
    assert_eq!(flags(&mut b), "xd");
    a.cmd(&["SET", "k", "3"]);
    assert_eq!(a.cmd(&["EXEC"]), Reply::Array(None));
    assert_eq!(flags(&mut b), "N");
    // CLIENT NO-EVICT shows last ('e'); RESET keeps it, as in Redis 7.0.
    assert_eq!(a.cmd(&["CLIENT", "NO-EVICT", "on"]), Reply::ok());
    a.cmd(&["MULTI"]);
    assert_eq!(flags(&mut b), "xe");
    a.cmd(&["DISCARD"]);
    a.cmd(&["RESET"]);
    assert_eq!(flags(&mut b), "e");
    a.cmd(&["CLIENT", "NO-EVICT", "off"]);
    assert_eq!(flags(&mut b), "N");
    assert_eq!(a.cmd(&["GET", "k"]), bulk("2"));
    // Without interference the transaction runs.
    a.cmd(&["WATCH", "k"]);
    a.cmd(&["MULTI"]);
    a.cmd(&["SET", "k", "3"]);
    assert_eq!(a.cmd(&["EXEC"]), array(vec![Reply::ok()]));
}

#[test]
fn client_pause_write_holds_writes_until_unpause() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut w = s.client();
    assert_eq!(
        admin.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]),
        Reply::ok()
    );
    // Reads still run.
    assert_eq!(w.cmd(&["GET", "k"]), Reply::Bulk(None));
    w.send_cmd(&[b"SET", b"k", b"v"]);
    // The write is held: another client does not see it.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(admin.cmd(&["GET", "k"]), Reply::Bulk(None));
    assert_eq!(admin.cmd(&["CLIENT", "UNPAUSE"]), Reply::ok());
    assert_eq!(w.read_reply(), Reply::ok());
    assert_eq!(admin.cmd(&["GET", "k"]), bulk("v"));
}

#[test]
fn client_pause_ends_by_itself() {
    let s = Server::start(server_binary(), &[]);
    let mut admin = s.client();
    let mut w = s.client();
    admin.cmd(&["CLIENT", "PAUSE", "200", "ALL"]);
    let start = Instant::now();
    assert_eq!(w.cmd(&["PING"]), Reply::Status("PONG".into()));
    assert!(
        start.elapsed() >= Duration::from_millis(150),
        "PING was not held by the pause"
    );
}

#[test]
fn monitor_sees_commands_of_other_clients() {
    let s = Server::start(server_binary(), &[]);
    let mut m = s.client();
    assert_eq!(m.cmd(&["MONITOR"]), Reply::ok());
    let mut c = s.client();
    c.cmd(&["SET", "greeting", "hi there"]);
    match m.read_reply() {
        Reply::Status(line) => {
            assert!(line.ends_with(r#""SET" "greeting" "hi there""#), "{line}");
            assert!(line.contains(" [0 127.0.0.1:"), "{line}");
        }
        other => panic!("unexpected monitor line {other:?}"),
    }
}

#[test]
fn a_subscriber_that_does_not_read_is_disconnected_at_the_hard_limit() {
    let s = Server::start(
        server_binary(),
        &["--client-output-buffer-limit", "pubsub", "1mb", "0", "0"],
    );
    let mut sub = s.client();
    sub.cmd(&["SUBSCRIBE", "flood"]);
    let mut p = s.client();
    let big = "x".repeat(1 << 20);
    // Enough to fill the socket buffers and then pass the 1 MB limit.
    for _ in 0..40 {
        p.cmd(&["PUBLISH", "flood", &big]);
    }
    common::wait_for(
        200,
        std::time::Duration::from_millis(20),
        || p.cmd(&["PUBSUB", "NUMSUB", "flood"]) == array(vec![bulk("flood"), Reply::Int(0)]),
        "subscriber disconnected",
    );
    if common::server_binary()
        .to_string_lossy()
        .contains("ferrodis")
    {
        assert!(s
            .log()
            .contains("scheduled to be closed ASAP for overcoming of output buffer limits"));
    }
}

/// PUBLISH (and SPUBLISH) on a master reaches the subscribers of its
/// replicas, down a chain, as in Redis (it travels in the replication stream, not the AOF).
/// A real Redis replica gets it too when one is installed.
#[test]
fn publish_on_a_master_reaches_subscribers_of_its_replicas() {
    let args = [
        "--enable-debug-command",
        "yes",
        "--repl-diskless-sync-delay",
        "0",
    ];
    let master = Server::start(server_binary(), &args);
    let replica = Server::start(server_binary(), &args);
    let chained = Server::start(server_binary(), &args);
    let real = common::redis_binary().map(|bin| Server::start(bin, &args));
    let mut links = vec![(&replica, &master), (&chained, &replica)];
    if let Some(r) = &real {
        links.push((r, &master));
    }
    for (r, m) in &links {
        let port = m.port().to_string();
        assert_eq!(
            r.client().cmd(&["REPLICAOF", "127.0.0.1", &port]),
            Reply::ok()
        );
    }
    for (r, m) in &links {
        common::wait_caught_up(m, r);
    }
    let mut subscribers: Vec<_> = [&replica, &chained]
        .into_iter()
        .chain(real.as_ref())
        .map(|s| {
            let mut c = s.client();
            c.cmd(&["SUBSCRIBE", "news"]);
            c.cmd(&["SSUBSCRIBE", "shard-news"]);
            c
        })
        .collect();
    // INFO counts the shard channel where it is subscribed (Redis too).
    for s in [&replica, &chained].into_iter().chain(real.as_ref()) {
        let info = s.client().cmd(&["INFO", "stats"]);
        assert!(
            info.as_str()
                .is_some_and(|t| t.contains("pubsubshard_channels:1\r\n")),
            "{}: {info:?}",
            s.binary().display()
        );
    }
    let mut m = master.client();
    // Nobody listens on the master itself.
    assert_eq!(
        m.cmd(&["PUBLISH", "news", "from-the-master"]),
        Reply::Int(0)
    );
    for sub in &mut subscribers {
        assert_eq!(
            sub.read_reply(),
            array(vec![bulk("message"), bulk("news"), bulk("from-the-master")])
        );
    }
    // SPUBLISH travels the same way.
    assert_eq!(m.cmd(&["SPUBLISH", "shard-news", "sharded"]), Reply::Int(0));
    for sub in &mut subscribers {
        assert_eq!(
            sub.read_reply(),
            array(vec![bulk("smessage"), bulk("shard-news"), bulk("sharded")])
        );
    }
}
