//! The append-only file end to end (Redis 7.0's multi-part AOF): every
//! acknowledged write survives `kill -9` with `appendfsync always`,
//! BGREWRITEAOF under writes, truncated tails (`aof-load-truncated`),
//! incomplete MULTI/EXEC at the end, CONFIG SET appendonly at run time,
//! `redis-check-aof` on our files, and real Redis loading our directory
//! (and the reverse). Datasets are compared with DEBUG DIGEST.
//!
//! Everything here also runs against real Redis
//! (`FERRODIS_TEST_SERVER=/usr/bin/redis-server`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{free_port, redis_binary, server_binary, wait_for, Client, Reply, Server, TempDir};

fn args<'a>(dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "--dir",
        dir,
        "--enable-debug-command",
        "yes",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
    ];
    v.extend_from_slice(extra);
    v
}

/// Writes of every type, TTLs in every form, several databases, MULTI/EXEC
/// and commands rewritten by propagation (SPOP, INCRBYFLOAT, pops that
/// empty a key, expired keys).
fn fill(c: &mut Client, tag: &str) {
    let k = |s: &str| format!("{tag}{s}");
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["SET", &k("int"), "12345"]);
    c.cmd(&["SET", &k("str"), "hello world"]);
    c.cmd(&["APPEND", &k("str"), "!"]);
    c.cmd(&["INCRBYFLOAT", &k("float"), "1.5"]);
    c.cmd(&["SET", &k("big"), &"x".repeat(3000)]);
    c.cmd(&["SET", &k("ex"), "v", "EX", "100000"]);
    c.cmd(&["SETEX", &k("setex"), "100000", "v"]);
    c.cmd(&["SET", &k("gone"), "v", "PX", "1"]);
    c.cmd(&["RPUSH", &k("list"), "a", "b", "1", "2"]);
    c.cmd(&["LPUSH", &k("popped"), "only"]);
    c.cmd(&["LPOP", &k("popped")]);
    for i in 0..150 {
        c.cmd(&["RPUSH", &k("biglist"), &format!("element-{i}")]);
        c.cmd(&["HSET", &k("bighash"), &format!("f{i}"), &"v".repeat(i % 70)]);
        c.cmd(&["SADD", &k("bigset"), &format!("m{i}")]);
        c.cmd(&[
            "ZADD",
            &k("bigzset"),
            &format!("{}", i as f64 / 7.0),
            &format!("z{i}"),
        ]);
    }
    c.cmd(&["SPOP", &k("bigset"), "3"]);
    // Streams: explicit and generated IDs, a tombstone, approximate trims,
    // an emptied stream with its counters.
    for i in 1..=120 {
        c.cmd(&["XADD", &k("stream"), &format!("{i}-1"), "f", &i.to_string()]);
    }
    c.cmd(&["XADD", &k("stream"), "*", "auto", "id"]);
    c.cmd(&["XADD", &k("stream"), "MAXLEN", "~", "50", "*", "f", "x"]);
    c.cmd(&["XDEL", &k("stream"), "110-1"]);
    c.cmd(&["XADD", &k("emptied"), "1-1", "a", "1"]);
    c.cmd(&["XDEL", &k("emptied"), "1-1"]);
    c.cmd(&["XSETID", &k("emptied"), "7-7", "ENTRIESADDED", "3"]);
    c.cmd(&["XGROUP", "CREATE", &k("stream"), "g", "0"]);
    c.cmd(&[
        "XREADGROUP",
        "GROUP",
        "g",
        "alice",
        "COUNT",
        "2",
        "STREAMS",
        &k("stream"),
        ">",
    ]);
    c.cmd(&["XGROUP", "CREATECONSUMER", &k("stream"), "g", "bob"]);
    c.cmd(&["HSET", &k("hash"), "f1", "v1", "f2", "2"]);
    c.cmd(&["HINCRBYFLOAT", &k("hash"), "f2", "0.25"]);
    c.cmd(&["SADD", &k("intset"), "1", "2", "-3"]);
    c.cmd(&["ZADD", &k("zset"), "1.5", "a", "-2", "b", "inf", "c"]);
    c.cmd(&["ZINCRBY", &k("zset"), "2", "a"]);
    c.cmd(&["EXPIRE", &k("hash"), "100000"]);
    c.cmd(&["PEXPIRE", &k("list"), "100000000"]);
    c.cmd(&["EXPIREAT", &k("intset"), "4000000000"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["INCR", &k("counter")]);
    c.cmd(&["INCR", &k("counter")]);
    c.cmd(&["SELECT", "4"]);
    c.cmd(&["SADD", &k("txset"), "x", "y"]);
    c.cmd(&["EXEC"]);
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", &k("other"), "db3"]);
    c.cmd(&["RENAME", &k("other"), &k("renamed")]);
    c.cmd(&["SELECT", "9"]);
    c.cmd(&["SET", &k("del-me"), "1"]);
    c.cmd(&["DEL", &k("del-me")]);
    c.cmd(&["SET", &k("nine"), "9"]);
    c.cmd(&["SELECT", "0"]);
    // Let the 1 ms key expire, and delete it now (a lazy expiry, propagated
    // as DEL) so the digest never depends on when active expiry runs.
    std::thread::sleep(Duration::from_millis(5));
    c.cmd(&["EXISTS", &k("gone")]);
}

fn digest(c: &mut Client) -> Reply {
    c.cmd(&["DEBUG", "DIGEST"])
}

fn info_field(c: &mut Client, name: &str) -> String {
    let Reply::Bulk(Some(text)) = c.cmd(&["INFO", "persistence"]) else {
        panic!("INFO failed");
    };
    let text = String::from_utf8_lossy(&text).to_string();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
        .unwrap_or_else(|| panic!("no {name} in INFO persistence:\n{text}"))
}

fn wait_rewrite_done(c: &mut Client) {
    let mut waited = 0;
    while info_field(c, "aof_rewrite_in_progress") != "0"
        || info_field(c, "aof_rewrite_scheduled") != "0"
    {
        std::thread::sleep(Duration::from_millis(20));
        waited += 1;
        assert!(waited < 1000, "rewrite never finished");
    }
}

fn manifest(dir: &Path) -> String {
    fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).expect("manifest")
}

/// The files of type `kind` listed in the manifest.
fn manifest_files(dir: &Path, kind: &str) -> Vec<String> {
    manifest(dir)
        .lines()
        .filter(|l| l.ends_with(&format!("type {kind}")))
        .map(|l| l.split(' ').nth(1).expect("name").to_string())
        .collect()
}

fn last_incr(dir: &Path) -> PathBuf {
    let incrs = manifest_files(dir, "i");
    dir.join("appendonlydir")
        .join(incrs.last().expect("an incr file"))
}

/// `redis-check-aof` accepts the directory's manifest (when installed).
fn check_aof(dir: &Path) {
    let Some(redis) = redis_binary() else { return };
    let checker = redis.with_file_name("redis-check-aof");
    let checker = if checker.exists() {
        checker
    } else {
        "redis-check-aof".into()
    };
    let out = match Command::new(checker)
        .arg(dir.join("appendonlydir/appendonly.aof.manifest"))
        .output()
    {
        Ok(o) => o,
        Err(_) => return,
    };
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains("All AOF files and manifest are valid"),
        "redis-check-aof: {text}"
    );
}

#[test]
fn first_start_creates_base_and_incr() {
    let data = TempDir::new("aof-first");
    let dir = data.path().to_str().expect("utf8 path");
    let s = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(
        manifest(data.path()),
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    assert!(data
        .path()
        .join("appendonlydir/appendonly.aof.1.base.rdb")
        .exists());
    let mut c = s.client();
    assert_eq!(info_field(&mut c, "aof_enabled"), "1");
    assert_eq!(info_field(&mut c, "aof_last_write_status"), "ok");
    c.cmd(&["SET", "a", "1"]);
    let incr = fs::read(last_incr(data.path())).expect("incr");
    assert_eq!(
        incr,
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    assert!(s
        .log()
        .contains("Creating AOF base file appendonly.aof.1.base.rdb on server start"));
    check_aof(data.path());
}

#[test]
fn always_fsync_survives_kill9() {
    let data = TempDir::new("aof-kill9");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    fill(&mut c, "");
    let d1 = digest(&mut c);
    s.kill();
    check_aof(data.path());
    let s2 = Server::start(server_binary(), &args(dir, &[]));
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    assert!(s2.log().contains("DB loaded from append only file"));
    // Appending continues in the same incr file after a restart.
    fill(&mut c2, "second-");
    let d2 = digest(&mut c2);
    drop(c2);
    drop(s2);
    let s3 = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut s3.client()), d2);
}

#[test]
fn aof_takes_precedence_over_rdb() {
    let data = TempDir::new("aof-precedence");
    let dir = data.path().to_str().expect("utf8 path");
    let mut plain = Server::start(
        server_binary(),
        &["--dir", dir, "--enable-debug-command", "yes"],
    );
    let mut c = plain.client();
    c.cmd(&["SET", "in-rdb", "1"]);
    assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
    plain.stop();
    // No AOF yet: Redis starts empty and writes an empty base.
    let s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    assert_eq!(c.cmd(&["DBSIZE"]), Reply::Int(0));
}

fn rewrite_under_writes(preamble: &str) {
    let data = TempDir::new("aof-rewrite");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(
        server_binary(),
        &args(dir, &["--aof-use-rdb-preamble", preamble]),
    );
    let mut c = s.client();
    fill(&mut c, "");
    // Slow the child down so writes land while it runs.
    c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "2000"]);
    assert_eq!(
        c.cmd(&["BGREWRITEAOF"]),
        Reply::Status("Background append only file rewriting started".into())
    );
    assert_eq!(
        c.cmd(&["BGREWRITEAOF"]),
        Reply::Error("ERR Background append only file rewriting already in progress".into())
    );
    let bgsave = c.cmd(&["BGSAVE"]);
    assert!(
        matches!(&bgsave, Reply::Error(e) if e.contains("can't BGSAVE right now")),
        "{bgsave:?}"
    );
    assert_eq!(info_field(&mut c, "aof_rewrite_in_progress"), "1");
    // During the rewrite the manifest already lists the new incr file.
    assert_eq!(manifest_files(data.path(), "i").len(), 2);
    fill(&mut c, "during-");
    c.cmd(&["SELECT", "5"]);
    c.cmd(&["SET", "during-db5", "x"]);
    c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_rewrite_done(&mut c);
    c.cmd(&["SELECT", "5"]);
    c.cmd(&["SET", "after", "y"]);
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["SET", "after0", "z"]);
    let d1 = digest(&mut c);
    // DEBUG DIGEST leaves consumer groups out.
    let groups = c.cmd(&["XPENDING", "stream", "g"]);
    assert!(matches!(&groups, Reply::Array(Some(a)) if a.first() == Some(&Reply::Int(2))));
    let ext = if preamble == "yes" { "rdb" } else { "aof" };
    assert_eq!(
        manifest(data.path()),
        format!(
            "file appendonly.aof.2.base.{ext} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
        )
    );
    let mut names: Vec<String> = fs::read_dir(data.path().join("appendonlydir"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("appendonly.aof.2.base.{ext}"),
            "appendonly.aof.2.incr.aof".to_string(),
            "appendonly.aof.manifest".to_string()
        ]
    );
    assert_eq!(info_field(&mut c, "aof_rewrites"), "1");
    assert_eq!(info_field(&mut c, "aof_last_bgrewrite_status"), "ok");
    assert!(s
        .log()
        .contains("Background append only file rewriting started by pid"));
    assert!(s
        .log()
        .contains("Background AOF rewrite terminated with success"));
    assert!(s
        .log()
        .contains("Background AOF rewrite finished successfully"));
    s.kill();
    check_aof(data.path());
    let s2 = Server::start(server_binary(), &args(dir, &[]));
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    assert_eq!(c2.cmd(&["XPENDING", "stream", "g"]), groups);
}

#[test]
fn bgrewriteaof_under_writes_rdb_preamble() {
    rewrite_under_writes("yes");
}

#[test]
fn bgrewriteaof_under_writes_command_base() {
    rewrite_under_writes("no");
}

#[test]
fn bgrewriteaof_is_scheduled_during_bgsave() {
    let data = TempDir::new("aof-sched");
    let dir = data.path().to_str().expect("utf8 path");
    let s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    fill(&mut c, "");
    c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "3000"]);
    assert_eq!(
        c.cmd(&["BGSAVE"]),
        Reply::Status("Background saving started".into())
    );
    assert_eq!(
        c.cmd(&["BGREWRITEAOF"]),
        Reply::Status("Background append only file rewriting scheduled".into())
    );
    assert_eq!(info_field(&mut c, "aof_rewrite_scheduled"), "1");
    c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_rewrite_done(&mut c);
    wait_for(
        500,
        Duration::from_millis(20),
        || info_field(&mut c, "aof_rewrites") == "1",
        "scheduled rewrite never ran",
    );
}

/// Append half a command to the last incr file.
fn truncate_tail(dir: &Path) {
    let path = last_incr(dir);
    let mut bytes = fs::read(&path).expect("incr");
    bytes.extend_from_slice(b"*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$2\r\nab");
    fs::write(&path, bytes).expect("write incr");
}

fn start_fails(dir: &str, extra: &[&str]) -> String {
    let port = free_port();
    let mut s = Server::spawn(&server_binary(), None, port, &args(dir, extra));
    match s.wait_ready() {
        Ok(()) => panic!("server started on a truncated AOF"),
        Err(_) => {
            let st = s.wait_exit();
            assert!(!st.success());
            s.log()
        }
    }
}

#[test]
fn truncated_tail_loads_only_when_allowed() {
    let data = TempDir::new("aof-trunc");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    fill(&mut c, "");
    let d1 = digest(&mut c);
    s.kill();
    truncate_tail(data.path());
    let len = fs::metadata(last_incr(data.path())).expect("incr").len();
    let log = start_fails(dir, &["--aof-load-truncated", "no"]);
    assert!(
        log.contains("Unexpected end of file reading the append only file"),
        "{log}"
    );
    // The file is left alone.
    assert_eq!(
        fs::metadata(last_incr(data.path())).expect("incr").len(),
        len
    );
    let s2 = Server::start(
        server_binary(),
        &args(dir, &["--aof-load-truncated", "yes"]),
    );
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    let log = s2.log();
    assert!(
        log.contains("!!! Warning: short read while loading the AOF file"),
        "{log}"
    );
    assert!(
        log.contains("loaded anyway because aof-load-truncated is enabled"),
        "{log}"
    );
    assert_eq!(
        fs::metadata(last_incr(data.path())).expect("incr").len(),
        len - 26
    );
    check_aof(data.path());
}

#[test]
fn incomplete_transaction_at_the_end_is_reverted() {
    let data = TempDir::new("aof-multi");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    c.cmd(&["SET", "k", "1"]);
    let d1 = digest(&mut c);
    s.kill();
    let path = last_incr(data.path());
    let mut bytes = fs::read(&path).expect("incr");
    let before = bytes.len() as u64;
    bytes.extend_from_slice(b"*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n2\r\n");
    fs::write(&path, bytes).expect("write incr");
    let s2 = Server::start(server_binary(), &args(dir, &[]));
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    assert_eq!(c2.cmd(&["GET", "k"]), Reply::bulk("1"));
    assert!(s2
        .log()
        .contains("Revert incomplete MULTI/EXEC transaction in AOF file"));
    assert_eq!(fs::metadata(&path).expect("incr").len(), before);
}

#[test]
fn config_set_appendonly_builds_the_aof() {
    let data = TempDir::new("aof-config");
    let dir = data.path().to_str().expect("utf8 path");
    let mut s = Server::start(
        server_binary(),
        &[
            "--dir",
            dir,
            "--enable-debug-command",
            "yes",
            "--appendfsync",
            "always",
        ],
    );
    let mut c = s.client();
    fill(&mut c, "");
    assert_eq!(info_field(&mut c, "aof_enabled"), "0");
    assert_eq!(c.cmd(&["CONFIG", "SET", "appendonly", "yes"]), Reply::ok());
    assert_eq!(info_field(&mut c, "aof_enabled"), "1");
    fill(&mut c, "more-");
    wait_rewrite_done(&mut c);
    c.cmd(&["SET", "after", "1"]);
    let d1 = digest(&mut c);
    assert_eq!(manifest_files(data.path(), "b").len(), 1);
    assert_eq!(manifest_files(data.path(), "i").len(), 1);
    s.kill();
    check_aof(data.path());
    let s2 = Server::start(server_binary(), &args(dir, &[]));
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    // Switching it off stops appending.
    assert_eq!(c2.cmd(&["CONFIG", "SET", "appendonly", "no"]), Reply::ok());
    assert_eq!(info_field(&mut c2, "aof_enabled"), "0");
    let size = fs::metadata(last_incr(data.path())).expect("incr").len();
    c2.cmd(&["SET", "not-logged", "1"]);
    assert_eq!(
        fs::metadata(last_incr(data.path())).expect("incr").len(),
        size
    );
}

#[test]
fn real_redis_loads_our_aof_and_we_load_its() {
    let Some(redis) = redis_binary() else { return };
    let data = TempDir::new("aof-interop");
    let dir = data.path().to_str().expect("utf8 path");
    // We write (base + incr, then after a rewrite), real Redis loads.
    let mut ours = Server::start(server_binary(), &args(dir, &[]));
    let mut c = ours.client();
    fill(&mut c, "");
    let d1 = digest(&mut c);
    ours.kill();
    let mut real = Server::start(&redis, &args(dir, &[]));
    assert_eq!(
        digest(&mut real.client()),
        d1,
        "real Redis loaded another dataset"
    );
    real.kill();
    let mut ours = Server::start(server_binary(), &args(dir, &[]));
    let mut c = ours.client();
    c.cmd(&["BGREWRITEAOF"]);
    fill(&mut c, "x-");
    wait_rewrite_done(&mut c);
    let d2 = digest(&mut c);
    ours.kill();
    let mut real = Server::start(&redis, &args(dir, &[]));
    let mut rc = real.client();
    assert_eq!(
        digest(&mut rc),
        d2,
        "real Redis loaded another dataset after a rewrite"
    );
    // Real Redis writes and rewrites, we load.
    fill(&mut rc, "redis-");
    rc.cmd(&["BGREWRITEAOF"]);
    wait_rewrite_done(&mut rc);
    fill(&mut rc, "redis2-");
    let d3 = digest(&mut rc);
    real.kill();
    let back = Server::start(server_binary(), &args(dir, &[]));
    assert_eq!(digest(&mut back.client()), d3);
}

#[test]
fn auto_rewrite_on_growth() {
    let data = TempDir::new("aof-auto");
    let dir = data.path().to_str().expect("utf8 path");
    let s = Server::start(
        server_binary(),
        &args(
            dir,
            &[
                "--auto-aof-rewrite-percentage",
                "100",
                "--auto-aof-rewrite-min-size",
                "10kb",
                "--appendfsync",
                "everysec",
            ],
        ),
    );
    let mut c = s.client();
    for i in 0..200 {
        c.cmd(&["SET", &format!("k{i}"), &"v".repeat(100)]);
    }
    wait_for(
        500,
        Duration::from_millis(20),
        || info_field(&mut c, "aof_rewrites") != "0",
        "no automatic rewrite",
    );
    wait_rewrite_done(&mut c);
    assert!(s.log().contains("Starting automatic rewriting of AOF on"));
}

#[test]
fn everysec_and_no_policies_keep_data_across_restarts() {
    let data = TempDir::new("aof-everysec");
    let dir = data.path().to_str().expect("utf8 path");
    // everysec: one second after the writes they are on disk, even through
    // kill -9.
    let mut s = Server::start(server_binary(), &args(dir, &["--appendfsync", "everysec"]));
    let mut c = s.client();
    fill(&mut c, "");
    let d1 = digest(&mut c);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(info_field(&mut c, "aof_last_write_status"), "ok");
    s.kill();
    let mut s2 = Server::start(server_binary(), &args(dir, &["--appendfsync", "no"]));
    let mut c2 = s2.client();
    assert_eq!(digest(&mut c2), d1);
    // no: a clean shutdown (SIGTERM) writes and fsyncs what is buffered.
    fill(&mut c2, "no-");
    let d2 = digest(&mut c2);
    assert!(s2.stop().success());
    let s3 = Server::start(server_binary(), &args(dir, &["--appendfsync", "no"]));
    assert_eq!(digest(&mut s3.client()), d2);
}

/// A base file holding an RDB followed by commands (what an RDB-preamble
/// AOF of Redis 6 was): the commands after the RDB are replayed too, also
/// when the RDB reader has read ahead into them.
#[test]
fn commands_after_an_rdb_base_are_replayed() {
    let data = TempDir::new("aof-rdb-then-commands");
    let dir = data.path().to_str().expect("utf8 path");
    let mut plain = Server::start(server_binary(), &["--dir", dir]);
    let mut c = plain.client();
    for i in 0..2000 {
        c.cmd(&["SET", &format!("rdb:{i}"), &format!("value-{i}")]);
    }
    assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
    plain.stop();
    let rdb = fs::read(data.path().join("dump.rdb")).expect("dump.rdb");
    fs::remove_file(data.path().join("dump.rdb")).expect("remove dump.rdb");

    let mut s = Server::start(server_binary(), &args(dir, &[]));
    s.client().cmd(&["SET", "in-incr", "1"]);
    s.stop();
    let base = manifest_files(data.path(), "b");
    let base = data.path().join("appendonlydir").join(&base[0]);
    assert!(base.to_string_lossy().ends_with(".rdb"), "{base:?}");
    let mut bytes = rdb;
    bytes.extend(common::encode_strs(&["SET", "after-rdb", "1"]));
    bytes.extend(common::encode_strs(&["RPUSH", "after-list", "a", "b"]));
    fs::write(&base, bytes).expect("write base");

    let s = Server::start(server_binary(), &args(dir, &[]));
    let mut c = s.client();
    assert_eq!(c.cmd(&["DBSIZE"]), Reply::Int(2003));
    assert_eq!(c.cmd(&["GET", "rdb:1999"]), Reply::bulk("value-1999"));
    assert_eq!(c.cmd(&["GET", "after-rdb"]), Reply::bulk("1"));
    assert_eq!(c.cmd(&["LLEN", "after-list"]), Reply::Int(2));
    assert_eq!(c.cmd(&["GET", "in-incr"]), Reply::bulk("1"));
}
