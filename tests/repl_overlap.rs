//! Full syncs whose save, transfer and load overlap (beyond Redis):
//!
//! - a disk-based sync (`repl-diskless-sync no`) sends the RDB file to
//!   replicas that announced `capa eof` while the BGSAVE child is still
//!   writing it, in the EOF-marked form (`src/repl/rdb_tail.rs`); replicas
//!   without that capability get `$<len>` once the file is complete;
//! - a replica with `repl-diskless-load disabled` and no data parses the
//!   payload as it arrives while still writing it to disk
//!   (`src/repl/replica.rs`); with data it keeps Redis's order, and so it
//!   does with `repl-overlap-load no`, or `auto` on a host with no idle
//!   core.
//!
//! The master is the server under test: against a real Redis master
//! (`FERRODIS_TEST_SERVER=/usr/bin/redis-server`) the ferrodis-only
//! assertions are skipped and the rest still holds.

mod common;

use std::time::Duration;

use common::{
    check_rdb, read_line, read_rdb_payload, redis_binary, server_binary, testing_real_redis,
    wait_for, wait_for_log, wait_synced, Client, Reply, Server,
};

/// 3000 keys of 1 KB at 1 ms each: the child writes its 3 MB file for
/// about 3 s, in 64 KB chunks (uncompressed, so it does not fit in one).
const SLOW_KEYS: &str = "3000";
const SLOW_SAVE: &[&str] = &["--rdb-key-save-delay", "1000", "--rdbcompression", "no"];
const SIGKILL: i32 = 9;
/// The overlap whatever the host's load (`auto` skips it on a busy host).
const OVERLAP: &[&str] = &["--repl-overlap-load", "yes"];

/// A disk-sync master holding SLOW_KEYS keys whose BGSAVE is slow.
fn slow_master() -> Server {
    let mut args = vec![
        "--enable-debug-command",
        "yes",
        "--repl-diskless-sync",
        "no",
    ];
    args.extend_from_slice(SLOW_SAVE);
    let master = Server::start(server_binary(), &args);
    let mut m = master.client();
    assert_eq!(
        m.cmd(&["DEBUG", "POPULATE", SLOW_KEYS, "key", "1000"]),
        Reply::ok()
    );
    m.cmd(&["SET", "ttl", "v", "PX", "100000000"]);
    m.cmd(&["RPUSH", "list", "a", "b", "c"]);
    master
}

/// A replica of `master` (ferrodis, or `bin`) with its own directory.
/// Started first and pointed at the master by REPLICAOF: a server started
/// with `--replicaof` may answer -LOADING to the readiness check until
/// its sync is over, and these tests look inside the sync.
fn start_replica(bin: &std::path::Path, master: &Server, extra: &[&str]) -> Server {
    let mut args = vec!["--enable-debug-command", "yes"];
    args.extend_from_slice(extra);
    let replica = Server::start(bin, &args);
    let port = master.port().to_string();
    assert_eq!(
        replica.client().cmd(&["REPLICAOF", "127.0.0.1", &port]),
        Reply::ok()
    );
    replica
}

fn ferrodis() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_ferrodis-server"))
}

/// Sync temp files (`temp-*`) left in a server's directory.
fn temp_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("server dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("temp-"))
        .collect()
}

/// Keys the replica has loaded so far in its current load.
fn loaded_keys(r: &mut Client) -> u64 {
    r.info_field("persistence", "loading_loaded_keys")
        .parse()
        .unwrap_or(0)
}

/// The pid of the master's BGSAVE child, from its log line.
fn bgsave_child_pid(master: &Server) -> u32 {
    let log = master.log();
    let line = log
        .lines()
        .rev()
        .find(|l| l.contains("Background saving started by pid "))
        .expect("a BGSAVE started");
    line.rsplit(' ')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("child pid")
}

/// The ferrodis replica has loaded keys while the master's child is still
/// writing the file; the sync ends with equal datasets, and both sides keep
/// an RDB file that redis-check-rdb accepts.
#[test]
fn disk_sync_is_sent_and_loaded_while_the_child_writes() {
    if testing_real_redis() {
        eprintln!("skipped: ferrodis-only (Redis sends the file when it is complete)");
        return;
    }
    let master = slow_master();
    let replica = start_replica(&ferrodis(), &master, OVERLAP);
    wait_for_log(&master, "Streaming the RDB to replica");
    let mut m = master.client();
    let mut r = replica.client();
    // Overlap: keys loaded on the replica while the child still runs.
    let mut seen = (0, String::new());
    wait_for(
        1000,
        Duration::from_millis(5),
        || {
            let loaded = loaded_keys(&mut r);
            let saving = m.info_field("persistence", "rdb_bgsave_in_progress");
            seen = (loaded, saving.clone());
            loaded > 0 && saving == "1"
        },
        "the replica loaded nothing while the master's child was writing",
    );
    assert!(
        seen.0 < 3000,
        "all keys loaded before the child ended: {seen:?}"
    );
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &replica]);
    // The stream goes on after the EOF-marked payload (first ACK).
    m.cmd(&["SET", "after", "sync"]);
    wait_synced(&[&master, &replica]);
    assert_eq!(r.cmd(&["GET", "after"]), Reply::bulk("sync"));

    let rlog = replica.log();
    assert!(
        rlog.contains("receiving streamed RDB from master with EOF to disk"),
        "{rlog}"
    );
    assert!(
        rlog.contains("our dataset is empty, loading the RDB while it is written to disk"),
        "{rlog}"
    );
    for dir in [master.dir(), replica.dir()] {
        check_rdb(&dir.join("dump.rdb"));
    }
    assert_eq!(temp_files(replica.dir()), Vec::<String>::new());
}

/// A real Redis replica takes the file sent while it is written (EOF form
/// to disk), and a second replica arriving meanwhile shares the BGSAVE.
#[test]
fn real_redis_replicas_share_the_streamed_bgsave() {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let master = slow_master();
    let r1 = start_replica(&redis, &master, &[]);
    wait_for_log(&master, "Background saving started");
    let mut m = master.client();
    m.cmd(&["SET", "after-fork", "1"]);
    let r2 = start_replica(&ferrodis(), &master, &[]);
    wait_for_log(&master, "Waiting for end of BGSAVE for SYNC");
    m.cmd(&["SET", "while-waiting", "2"]);
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &r1, &r2]);
    let log = master.log();
    assert_eq!(log.matches("Background saving started").count(), 1, "{log}");
    if !testing_real_redis() {
        assert!(
            r1.log()
                .contains("receiving streamed RDB from master with EOF to disk"),
            "{}",
            r1.log()
        );
    }
    let mut c2 = r2.client();
    assert_eq!(c2.cmd(&["GET", "while-waiting"]), Reply::bulk("2"));
    assert_eq!(c2.cmd(&["GET", "after-fork"]), Reply::bulk("1"));
}

/// Raw replicas: without `capa eof` the payload is `$<len>` (sent when the
/// file is complete); with it, a ferrodis master sends `$EOF:<mark>` while
/// the child writes. Both payloads are the same complete RDB.
#[test]
fn payload_form_follows_the_eof_capability() {
    let master = slow_master();
    let mut sized = master.client();
    let mut eof = master.client();
    assert_eq!(sized.cmd(&["REPLCONF", "capa", "psync2"]), Reply::ok());
    assert_eq!(
        eof.cmd(&["REPLCONF", "capa", "eof", "capa", "psync2"]),
        Reply::ok()
    );
    // The replica without the capability first: one with more capabilities
    // may share its BGSAVE, not the reverse (Redis's rule).
    let mut bufs = (Vec::new(), Vec::new());
    sized.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    assert!(read_line(&mut sized, &mut bufs.0).starts_with("+FULLRESYNC "));
    eof.send_cmd(&[b"PSYNC", b"?", b"-1"]);
    assert!(read_line(&mut eof, &mut bufs.1).starts_with("+FULLRESYNC "));
    eof.set_timeout(Duration::from_secs(30));
    sized.set_timeout(Duration::from_secs(30));
    let (eof_rdb, eof_form) = read_rdb_payload(&mut eof, &mut bufs.1);
    let (sized_rdb, sized_form) = read_rdb_payload(&mut sized, &mut bufs.0);
    assert!(!sized_form, "a replica without capa eof got the EOF form");
    assert_eq!(eof_form, !testing_real_redis());
    assert!(sized_rdb.starts_with(b"REDIS0010"));
    assert!(eof_rdb == sized_rdb, "one BGSAVE, one file");
    let mut m = master.client();
    assert_eq!(m.info_field("stats", "sync_full"), "2");
}

/// The child dies while its file is being sent: the replica is dropped,
/// keeps no partial dataset or temp file, and resyncs with the next BGSAVE.
#[test]
fn child_killed_mid_stream_drops_the_replica_which_resyncs() {
    if testing_real_redis() {
        eprintln!("skipped: ferrodis-only log lines");
        return;
    }
    let master = slow_master();
    let replica = start_replica(
        &ferrodis(),
        &master,
        &["--repl-timeout", "5", "--repl-overlap-load", "yes"],
    );
    wait_for_log(&master, "Streaming the RDB to replica");
    let mut r = replica.client();
    wait_for(
        1000,
        Duration::from_millis(5),
        || loaded_keys(&mut r) > 0,
        "the replica never started loading",
    );
    let child = bgsave_child_pid(&master);
    assert!(common::send_signal(child, SIGKILL));
    wait_for_log(&master, "SYNC failed. BGSAVE child returned an error");
    wait_for_log(
        &replica,
        "Failed trying to load the MASTER synchronization DB from socket",
    );
    let mut m = master.client();
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &replica]);
    assert_eq!(m.info_field("stats", "sync_full"), "2");
    assert_eq!(temp_files(replica.dir()), Vec::<String>::new());
}

/// With data of its own, the replica keeps Redis's order (store, then
/// load), whatever form the payload takes.
#[test]
fn replica_with_data_loads_after_the_transfer() {
    let master = slow_master();
    let replica = Server::start(ferrodis(), &["--enable-debug-command", "yes"]);
    let mut r = replica.client();
    r.cmd(&["SET", "mine", "1"]);
    let port = master.port().to_string();
    assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", &port]), Reply::ok());
    let mut m = master.client();
    m.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &replica]);
    assert_eq!(r.cmd(&["EXISTS", "mine"]), Reply::Int(0));
    assert_loaded_after_the_transfer(&replica);
    check_rdb(&replica.dir().join("dump.rdb"));
}

/// The replica-side log of a sync whose load followed the transfer.
fn assert_loaded_after_the_transfer(replica: &Server) {
    let log = replica.log();
    assert!(
        !log.contains("loading the RDB while it is written"),
        "{log}"
    );
    assert!(
        log.contains("MASTER <-> REPLICA sync: Loading DB in memory"),
        "{log}"
    );
}

/// `repl-overlap-load no`: an empty replica keeps Redis's order too.
#[test]
fn an_empty_replica_told_not_to_overlap_loads_after_the_transfer() {
    if testing_real_redis() {
        eprintln!("skipped: ferrodis-only directive");
        return;
    }
    let master = slow_master();
    let replica = start_replica(&ferrodis(), &master, &["--repl-overlap-load", "no"]);
    wait_for_log(&master, "Streaming the RDB to replica");
    master
        .client()
        .cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &replica]);
    assert_eq!(
        replica.client().cmd(&["DBSIZE"]),
        master.client().cmd(&["DBSIZE"])
    );
    assert_loaded_after_the_transfer(&replica);
}

/// `repl-overlap-load auto` (the default) on a host with no idle core:
/// the replica does not take CPU time from the others for a parallel
/// load, and says why.
#[test]
fn auto_overlap_waits_for_the_transfer_on_a_busy_host() {
    if testing_real_redis() {
        eprintln!("skipped: ferrodis-only behaviour");
        return;
    }
    if !std::path::Path::new("/proc/stat").exists() {
        eprintln!("skipped: no /proc/stat, auto always overlaps");
        return;
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus > 8 {
        // Our spinners may be held to a few of them (a CPU quota), and
        // /proc/stat would still count the rest as idle.
        eprintln!("skipped: {cpus} CPUs are more than this test can keep busy");
        return;
    }
    let master = slow_master();
    let replica = Server::start(ferrodis(), &["--enable-debug-command", "yes"]);
    // Every CPU busy, long enough for the replica's cron to see it.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let spinners: Vec<_> = (0..cpus)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let port = master.port().to_string();
    let reply = replica.client().cmd(&["REPLICAOF", "127.0.0.1", &port]);
    wait_for_log(
        &replica,
        "receiving streamed RDB from master with EOF to disk",
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for s in spinners {
        let _ = s.join();
    }
    assert_eq!(reply, Reply::ok());
    master
        .client()
        .cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
    wait_synced(&[&master, &replica]);
    assert_eq!(
        replica.client().cmd(&["DBSIZE"]),
        master.client().cmd(&["DBSIZE"])
    );
    let log = replica.log();
    assert!(
        log.contains("idle cores, loading the RDB after the transfer (repl-overlap-load auto)"),
        "{log}"
    );
    assert_loaded_after_the_transfer(&replica);
}
