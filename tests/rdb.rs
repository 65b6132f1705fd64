//! RDB persistence end to end: SAVE/BGSAVE files that survive restarts and
//! load in real Redis (and the reverse), `redis-check-rdb` on our files,
//! BGSAVE under a write load, `kill -9` during BGSAVE, refusing corrupt
//! files, save points, DEBUG RELOAD and the final save on shutdown.
//! Datasets are compared with DEBUG DIGEST, the same algorithm in both.

mod common;

use std::time::Duration;

use common::{check_rdb, redis_binary, server_binary, wait_for, Client, Reply, Server, TempDir};

const DEBUG: &[&str] = &["--enable-debug-command", "yes"];

fn args<'a>(dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--dir", dir, "--enable-debug-command", "yes"];
    v.extend_from_slice(extra);
    v
}

/// Every type in compact and big encodings, TTLs, several databases.
fn fill(c: &mut Client) {
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["SET", "int", "12345"]);
    c.cmd(&["SET", "str", "hello world"]);
    c.cmd(&["SET", "big", &"x".repeat(5000)]);
    c.cmd(&["SET", "ttl", "v", "PX", "100000000"]);
    c.cmd(&["RPUSH", "list", "a", "b", "1", "2"]);
    for i in 0..300 {
        c.cmd(&["RPUSH", "biglist", &format!("element-{i}")]);
        c.cmd(&["HSET", "bighash", &format!("f{i}"), &"v".repeat(i % 80)]);
        c.cmd(&["SADD", "bigset", &format!("m{i}")]);
        c.cmd(&[
            "ZADD",
            "bigzset",
            &format!("{}", i as f64 / 7.0),
            &format!("z{i}"),
        ]);
    }
    c.cmd(&["HSET", "hash", "f1", "v1", "f2", "2"]);
    c.cmd(&["SADD", "intset", "1", "2", "-3"]);
    c.cmd(&["SADD", "strset", "a", "b"]);
    c.cmd(&["ZADD", "zset", "1.5", "a", "-2", "b", "inf", "c"]);
    c.cmd(&["EXPIRE", "hash", "100000"]);
    // Streams: several nodes, a tombstone, one with every entry deleted.
    for i in 1..=250 {
        c.cmd(&[
            "XADD",
            "stream",
            &format!("{i}-1"),
            "f",
            &i.to_string(),
            "g",
            "v",
        ]);
    }
    c.cmd(&["XADD", "stream", "251-1", "other", "fields"]);
    c.cmd(&["XDEL", "stream", "7-1", "120-1"]);
    c.cmd(&["XADD", "emptied", "1-1", "a", "1"]);
    c.cmd(&["XDEL", "emptied", "1-1"]);
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", "other", "db3"]);
    c.cmd(&["SELECT", "0"]);
}

fn digest(c: &mut Client) -> Reply {
    c.cmd(&["DEBUG", "DIGEST"])
}

#[test]
fn save_restart_and_real_redis_interop() {
    let Some(redis) = redis_binary() else { return };
    let data = TempDir::new("rdb-interop");
    let dir = data.path().to_str().expect("utf8 path");
    // ferrodis writes, ferrodis and real Redis load.
    let mut ours = Server::start(server_binary(), &args(dir, &[]));
    let mut c = ours.client();
    fill(&mut c);
    let d1 = digest(&mut c);
    assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
    check_rdb(&data.path().join("dump.rdb"));
    ours.stop();
    let again = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut again.client()), d1);
    assert!(again.log().contains("DB loaded from disk"));
    drop(again);
    let mut real = Server::start(&redis, &args(dir, &[]));
    let mut rc = real.client();
    assert_eq!(digest(&mut rc), d1, "real Redis loaded a different dataset");
    assert_eq!(
        rc.cmd(&["OBJECT", "ENCODING", "bigzset"]),
        Reply::Bulk(Some(b"skiplist".to_vec()))
    );
    // Real Redis writes, ferrodis loads.
    rc.cmd(&["SET", "from-redis", "1"]);
    rc.cmd(&["ZADD", "zset", "0.1", "tenth"]);
    // Consumer groups, pending entries and consumers made by Redis.
    rc.cmd(&["XGROUP", "CREATE", "stream", "g1", "0"]);
    rc.cmd(&["XGROUP", "CREATE", "stream", "g2", "$"]);
    rc.cmd(&[
        "XREADGROUP",
        "GROUP",
        "g1",
        "alice",
        "COUNT",
        "3",
        "STREAMS",
        "stream",
        ">",
    ]);
    rc.cmd(&["XGROUP", "CREATECONSUMER", "stream", "g2", "bob"]);
    let groups = rc.cmd(&["XINFO", "GROUPS", "stream"]);
    let d2 = digest(&mut rc);
    assert_eq!(rc.cmd(&["SAVE"]), Reply::ok());
    real.stop();
    let back = Server::start(server_binary(), &args(dir, &[]));
    let mut bc = back.client();
    assert_eq!(digest(&mut bc), d2);
    assert_eq!(bc.cmd(&["XINFO", "GROUPS", "stream"]), groups);
}

#[test]
fn dump_and_restore_across_servers() {
    let Some(redis) = redis_binary() else { return };
    let ours = Server::start(server_binary(), DEBUG);
    let real = Server::start(&redis, DEBUG);
    let (mut a, mut b) = (ours.client(), real.client());
    fill(&mut a);
    fill(&mut b);
    for key in [
        "int", "str", "big", "list", "biglist", "hash", "bighash", "intset", "bigset", "zset",
        "bigzset",
    ] {
        let from_ours = a.cmd(&["DUMP", key]);
        let from_real = b.cmd(&["DUMP", key]);
        let (Reply::Bulk(Some(p1)), Reply::Bulk(Some(p2))) = (from_ours, from_real) else {
            panic!("DUMP {key} failed");
        };
        // Each server restores the other's payload to the same value.
        let copy = format!("{key}-copy");
        assert_eq!(
            b.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &p1]),
            Reply::ok(),
            "{key}"
        );
        assert_eq!(
            a.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &p2]),
            Reply::ok(),
            "{key}"
        );
        let da = a.cmd(&["DEBUG", "DIGEST-VALUE", &copy]);
        let db = b.cmd(&["DEBUG", "DIGEST-VALUE", &copy]);
        assert_eq!(da, db, "{key}");
        // RESTORE-ASKING (cluster migration's form) restores alike.
        let asked = format!("{key}-asking");
        let restore_asking = a.cmd_bytes(&[b"RESTORE-ASKING", asked.as_bytes(), b"0", &p2]);
        assert_eq!(restore_asking, Reply::ok(), "{key}");
        assert_eq!(a.cmd(&["DEBUG", "DIGEST-VALUE", &asked]), db, "{key}");
        // DIGEST-VALUE covers the TTL too; the copies were restored without one.
        if key != "hash" {
            assert_eq!(da, a.cmd(&["DEBUG", "DIGEST-VALUE", key]), "{key}");
        }
    }
}

#[test]
fn bgsave_under_writes_keeps_the_fork_snapshot_and_reaps_the_child() {
    let data = TempDir::new("rdb-bgsave");
    let dir = data.path().to_str().expect("utf8 path");
    let s = Server::start(
        server_binary(),
        &args(dir, &["--rdb-key-save-delay", "2000"]),
    );
    let mut c = s.client();
    c.cmd(&["DEBUG", "POPULATE", "200"]);
    let before = digest(&mut c);
    assert_eq!(
        c.cmd(&["BGSAVE"]),
        Reply::Status("Background saving started".into())
    );
    assert_eq!(
        c.cmd(&["BGSAVE"]),
        Reply::Error("ERR Background save already in progress".into())
    );
    // Writes keep being answered while the child works.
    let mut n = 0;
    while c
        .info("persistence")
        .get("rdb_bgsave_in_progress")
        .map(String::as_str)
        == Some("1")
    {
        assert_eq!(c.cmd(&["SET", &format!("during:{n}"), "x"]), Reply::ok());
        n += 1;
        assert!(n < 100_000, "BGSAVE never finished");
    }
    assert!(n > 0, "no write happened during the save");
    assert_eq!(
        c.info("persistence")
            .get("rdb_last_bgsave_status")
            .map(String::as_str),
        Some("ok")
    );
    assert!(s
        .log()
        .contains("Background saving terminated with success"));
    // No zombie child left behind.
    let children = std::fs::read_to_string(format!("/proc/{}/task/{}/children", s.pid(), s.pid()))
        .unwrap_or_default();
    assert!(children.trim().is_empty(), "child not reaped: {children}");
    // The file holds the dataset as of the fork.
    let loaded = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut loaded.client()), before);
}

#[test]
fn kill_9_during_bgsave_leaves_the_previous_dump_intact() {
    let data = TempDir::new("rdb-kill");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(
        server_binary(),
        &args(dir, &["--rdb-key-save-delay", "100000"]),
    );
    let mut c = s.client();
    c.cmd(&["SET", "first", "1"]);
    assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
    let saved = digest(&mut c);
    c.cmd(&["DEBUG", "POPULATE", "100"]);
    c.cmd(&["BGSAVE"]);
    wait_for(
        100,
        Duration::from_millis(10),
        || s.log().contains("Background saving started"),
        "BGSAVE started",
    );
    s.kill();
    // The child may outlive its parent for a moment; the temp file is not
    // dump.rdb in any case.
    let restarted = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut restarted.client()), saved);
}

#[test]
fn corrupt_or_truncated_files_are_refused_and_kept() {
    let data = TempDir::new("rdb-corrupt");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    fill(&mut c);
    c.cmd(&["SAVE"]);
    s.stop();
    let path = data.path().join("dump.rdb");
    let good = std::fs::read(&path).expect("read dump");
    for (name, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("bit-flipped", {
            let mut b = good.clone();
            let i = b.len() / 3;
            b[i] ^= 0x10;
            b
        }),
    ] {
        std::fs::write(&path, &bytes).expect("write corrupt dump");
        let mut bad = Server::spawn(&server_binary(), None, common::free_port(), &args(dir, &[]));
        let status = bad.wait_exit();
        assert!(
            !status.success(),
            "{name}: server started on a corrupt file"
        );
        let log = bad.log();
        assert!(
            log.contains("RDB") || log.contains("checksum"),
            "{name}: unclear log: {log}"
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{name}: file was overwritten"
        );
    }
}

/// A file that holds a key twice is refused at start-up, with Redis 7.0's
/// log line (Redis logs it, then panics; ferrodis logs it and exits).
/// Built by hand: version 10, DB 0, the string key "k" twice, EOF and a
/// zero checksum (which both servers take as "saved without one").
#[test]
fn a_file_with_a_duplicated_key_is_refused() {
    let data = TempDir::new("rdb-duplicate");
    let dir = data.path().to_str().expect("utf8 path");
    let mut bytes = b"REDIS0010".to_vec();
    bytes.extend_from_slice(&[0xFE, 0x00]);
    for value in [b"v1", b"v2"] {
        bytes.extend_from_slice(&[0x00, 0x01, b'k', 0x02]);
        bytes.extend_from_slice(value);
    }
    bytes.push(0xFF);
    bytes.extend_from_slice(&[0; 8]);
    let path = data.path().join("dump.rdb");
    std::fs::write(&path, &bytes).expect("write dump");
    let mut bad = Server::spawn(&server_binary(), None, common::free_port(), &args(dir, &[]));
    let status = bad.wait_exit();
    assert!(
        !status.success(),
        "server started on a file with a duplicated key"
    );
    let log = bad.log();
    assert!(
        log.contains("RDB has duplicated key 'k' in DB 0"),
        "unclear log: {log}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        bytes,
        "file was overwritten"
    );
}

#[test]
fn save_points_debug_reload_and_shutdown_save() {
    let data = TempDir::new("rdb-points");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &["--save", "1", "2"]));
    let mut c = s.client();
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SET", "b", "2"]);
    wait_for(
        300,
        Duration::from_millis(10),
        || s.log().contains("changes in 1 seconds. Saving..."),
        "save point triggered a BGSAVE",
    );
    c.cmd(&["RPUSH", "l", "x"]);
    let d = digest(&mut c);
    assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), Reply::ok());
    assert_eq!(digest(&mut c), d);
    c.cmd(&["SET", "after-reload", "1"]);
    let d = digest(&mut c);
    // SIGTERM with save points: the final snapshot is written.
    s.stop();
    assert!(s
        .log()
        .contains("Saving the final RDB snapshot before exiting."));
    let back = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut back.client()), d);
}

#[test]
fn failed_bgsave_turns_on_misconf() {
    let data = TempDir::new("rdb-misconf");
    let sub = data.path().join("gone");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let dir = sub.to_str().expect("utf8 path");
    let s = Server::start(server_binary(), &args(dir, &["--save", "1000", "1"]));
    let mut c = s.client();
    std::fs::remove_dir_all(&sub).expect("remove dir");
    c.cmd(&["BGSAVE"]);
    wait_for(
        300,
        Duration::from_millis(10),
        || {
            c.info("persistence")
                .get("rdb_last_bgsave_status")
                .map(String::as_str)
                == Some("err")
        },
        "failed BGSAVE",
    );
    match c.cmd(&["SET", "k", "v"]) {
        Reply::Error(e) => assert!(e.starts_with("MISCONF "), "{e}"),
        other => panic!("write accepted after a failed save: {other:?}"),
    }
    assert_eq!(c.cmd(&["GET", "k"]), Reply::Bulk(None));
}

#[test]
fn clients_are_answered_while_a_big_file_loads() {
    let data = TempDir::new("rdb-loading");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    c.cmd(&["DEBUG", "POPULATE", "3000"]);
    assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
    s.stop();
    // 3000 keys at 1 ms each: a load of about three seconds.
    let port = common::free_port();
    // Redis serves clients every N bytes loaded, ferrodis every 100 ms.
    let extra = [
        "--key-load-delay",
        "1000",
        "--loading-process-events-interval-bytes",
        "1024",
    ];
    let mut loading = Server::spawn(&server_binary(), None, port, &args(dir, &extra));
    let mut seen_loading = false;
    let mut seen_error = false;
    for _ in 0..500 {
        if let Ok(mut c) = Client::connect(port) {
            let info = c.info("persistence");
            if info.get("loading").map(String::as_str) == Some("1") {
                seen_loading = true;
                assert!(info.contains_key("loading_loaded_perc"), "{info:?}");
                if let Reply::Error(e) = c.cmd(&["GET", "key:1"]) {
                    assert_eq!(e, "LOADING Redis is loading the dataset in memory");
                    seen_error = true;
                }
            } else if seen_loading {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        seen_loading && seen_error,
        "never saw the server answering while loading"
    );
    let mut c = Client::connect(port).expect("connect after loading");
    assert_eq!(c.cmd(&["DBSIZE"]), Reply::Int(3000));
    loading.kill();
}

/// The scheduling policy of a process, from /proc/PID/sched (0 normal,
/// 3 batch); None where the file does not show it.
fn sched_policy(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/sched")).ok()?;
    let line = text.lines().find(|l| l.starts_with("policy"))?;
    line.split(':').nth(1)?.trim().parse().ok()
}

#[test]
fn the_save_child_runs_as_batch_work_and_the_event_loop_does_not() {
    let data = TempDir::new("rdb-batch");
    let dir = data.path().to_str().expect("utf8 path");
    let s = Server::start(
        server_binary(),
        &args(dir, &["--rdb-key-save-delay", "100000"]),
    );
    let Some(own) = sched_policy(s.pid()) else {
        return; // no /proc/PID/sched here (kernel without CONFIG_SCHED_DEBUG)
    };
    assert_eq!(own, 0, "the event loop keeps the normal policy");
    let mut c = s.client();
    // 20 keys at 0.1 s each: the child lives 2 s.
    c.cmd(&["DEBUG", "POPULATE", "20"]);
    assert_eq!(
        c.cmd(&["BGSAVE"]),
        Reply::Status("Background saving started".into())
    );
    let children = format!("/proc/{}/task/{}/children", s.pid(), s.pid());
    let mut child = None;
    wait_for(
        200,
        Duration::from_millis(10),
        || {
            child = std::fs::read_to_string(&children)
                .ok()
                .and_then(|t| t.split_whitespace().next()?.parse::<u32>().ok());
            child.is_some()
        },
        "the BGSAVE child",
    );
    let child = child.expect("child pid");
    // The child switches right after the fork: give it the moment.
    wait_for(
        200,
        Duration::from_millis(5),
        || sched_policy(child) == Some(3),
        "SCHED_BATCH in the child",
    );
    assert_eq!(sched_policy(s.pid()), Some(0), "the parent is unchanged");
}
