//! Per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM),
//! compared with real Redis 7.0. Durations differ between servers, so the
//! comparison is of everything else: which commands appear, their call
//! counts, the percentile labels, and bucket edges that only Redis's
//! HdrHistogram layout produces.

mod common;

use common::{redis_binary, server_binary, Client, Reply, Server};

/// The same workload on a fresh connection.
fn workload(c: &mut Client) {
    assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), Reply::ok());
    for i in 0..20 {
        c.cmd(&["SET", &format!("k{i}"), "v"]);
    }
    for i in 0..7 {
        c.cmd(&["GET", &format!("k{i}")]);
    }
    c.cmd(&["CONFIG", "GET", "maxmemory"]);
    c.cmd(&["NOSUCHCOMMAND"]);
}

/// INFO latencystats as (command, [percentile labels]); asserts every
/// value has three decimals.
fn latencystats(c: &mut Client) -> Vec<(String, Vec<String>)> {
    let info = c.cmd(&["INFO", "latencystats"]);
    let text = info.as_str().expect("INFO text").to_string();
    let mut rows: Vec<(String, Vec<String>)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("latency_percentiles_usec_"))
        .map(|l| {
            let (name, values) = l.split_once(':').expect("name:values");
            let labels = values
                .split(',')
                .map(|kv| {
                    let (label, v) = kv.split_once('=').expect("label=value");
                    let (_, decimals) = v.split_once('.').expect("a decimal value");
                    assert_eq!(decimals.len(), 3, "{l}");
                    label.to_string()
                })
                .collect();
            (name.to_string(), labels)
        })
        .collect();
    rows.sort();
    rows
}

/// LATENCY HISTOGRAM as (command, calls, [bucket edges]).
fn histogram(c: &mut Client, names: &[&str]) -> Vec<(String, i64, Vec<i64>)> {
    let mut args = vec!["LATENCY", "HISTOGRAM"];
    args.extend(names);
    let reply = c.cmd(&args);
    let top = reply.as_array().expect("RESP2 map as array").to_vec();
    let mut out = Vec::new();
    for pair in top.chunks(2) {
        let name = pair[0].as_str().expect("command name").to_string();
        let body = pair[1].as_array().expect("calls and histogram");
        assert_eq!(body[0].as_str(), Some("calls"));
        assert_eq!(body[2].as_str(), Some("histogram_usec"));
        let calls = body[1].as_int().expect("calls");
        let cdf = body[3].as_array().expect("histogram map");
        let edges: Vec<i64> = cdf
            .iter()
            .step_by(2)
            .map(|e| e.as_int().expect("edge"))
            .collect();
        let counts: Vec<i64> = cdf
            .iter()
            .skip(1)
            .step_by(2)
            .map(|e| e.as_int().expect("count"))
            .collect();
        // Cumulative, growing, ending at the number of calls.
        assert!(counts.windows(2).all(|w| w[0] < w[1]), "{name}: {counts:?}");
        assert_eq!(counts.last().copied(), Some(calls), "{name}");
        out.push((name, calls, edges));
    }
    out.sort();
    out
}

/// Upper edges (us) of the buckets holding 1024 ns * 2^k: 1, 2, 4, 8, 16,
/// 33, 66, 132, ... as Redis prints them.
fn valid_edges() -> Vec<i64> {
    (0..21)
        .map(|k| {
            let level: i64 = 1024 << k;
            let width = if level < 256 {
                1
            } else {
                1i64 << (64 - (level as u64).leading_zeros() - 8)
            };
            (level + width - 1) / 1000
        })
        .collect()
}

#[test]
fn latency_stats_report_like_redis() {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let edges = valid_edges();
    let mut seen = Vec::new();
    for binary in [redis, server_binary()] {
        let server = Server::start(&binary, &["--save", ""]);
        let mut c = server.client();
        workload(&mut c);
        let stats = latencystats(&mut c);
        let hist = histogram(&mut c, &["set", "GET", "config", "nosuch"]);
        for (name, _, e) in &hist {
            assert!(
                e.iter().all(|x| edges.contains(x)),
                "{}: {name} edges {e:?}",
                binary.display()
            );
        }
        let counts: Vec<(String, i64)> = hist.into_iter().map(|(n, calls, _)| (n, calls)).collect();
        // Other percentiles, then tracking off: no new command appears.
        c.cmd(&[
            "CONFIG",
            "SET",
            "latency-tracking-info-percentiles",
            "0 99.99 100",
        ]);
        let relabeled = latencystats(&mut c);
        c.cmd(&["CONFIG", "SET", "latency-tracking", "no"]);
        c.cmd(&["PING"]);
        let off = c.cmd(&["INFO", "latencystats"]);
        c.cmd(&["CONFIG", "SET", "latency-tracking", "yes"]);
        let after_ping = latencystats(&mut c);
        let all = c.cmd(&["LATENCY", "HISTOGRAM"]);
        let all_len = all.as_array().map(|a| a.len());
        seen.push((stats, counts, relabeled, off, after_ping, all_len));
    }
    let ferrodis = seen.pop().expect("ferrodis run");
    let redis = seen.pop().expect("redis run");
    assert!(redis.0.iter().any(|(n, _)| n == "set"), "{:?}", redis.0);
    assert_eq!(ferrodis.0, redis.0, "INFO latencystats commands and labels");
    assert_eq!(ferrodis.1, redis.1, "LATENCY HISTOGRAM commands and calls");
    assert_eq!(ferrodis.2, redis.2, "relabeled percentiles");
    assert_eq!(ferrodis.3, redis.3, "latency-tracking no");
    assert_eq!(ferrodis.4, redis.4, "PING not tracked while off");
    assert_eq!(ferrodis.5, redis.5, "LATENCY HISTOGRAM with no names");
}

/// `cmdstat_<name>`'s calls and failed_calls.
fn calls_of(c: &mut Client, name: &str) -> (String, String) {
    let line = c.info_field("commandstats", &format!("cmdstat_{name}"));
    let field = |f: &str| {
        line.split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{f}=")))
            .unwrap_or("-")
            .to_string()
    };
    (field("calls"), field("failed_calls"))
}

#[test]
fn a_blocking_command_counts_once_however_it_ends() {
    let Some(redis) = redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let mut seen = Vec::new();
    for binary in [redis, server_binary()] {
        let server = Server::start(&binary, &["--save", ""]);
        let mut c = server.client();
        let mut other = server.client();
        c.cmd(&["CONFIG", "RESETSTAT"]);
        // Timed out.
        c.cmd(&["BLPOP", "nothing", "0.05"]);
        let timed_out = calls_of(&mut other, "blpop");
        // Served by a push from another client.
        c.send_cmd(&[b"BLPOP", b"q", b"5"]);
        other.wait_blocked(1);
        other.cmd(&["RPUSH", "q", "x"]);
        c.read_reply();
        let served = calls_of(&mut other, "blpop");
        // Ended by CLIENT UNBLOCK ... ERROR: a failed call.
        let id = c.cmd(&["CLIENT", "ID"]).as_int().expect("id").to_string();
        c.send_cmd(&[b"BLPOP", b"q", b"5"]);
        other.wait_blocked(1);
        other.cmd(&["CLIENT", "UNBLOCK", &id, "ERROR"]);
        assert!(c.read_reply().is_error());
        let unblocked = calls_of(&mut other, "blpop");
        seen.push((timed_out, served, unblocked));
    }
    assert_eq!(
        seen[1], seen[0],
        "(calls, failed_calls) after each ending, ferrodis vs redis"
    );
    assert_eq!(seen[0].2, ("3".to_string(), "1".to_string()));
}
