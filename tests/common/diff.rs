//! The differential harness: scripted cases sent to a real redis-server and
//! to the server under test, replies compared byte for byte (or as sets
//! where Redis gives no order). Each `tests/diff_*.rs` file holds a table of
//! cases for one area and calls [`run_suite`].

#![allow(dead_code, unused_macros, unused_imports)]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::{escape, parse_reply, split_aggregate, Client, ReadError, Reply, Server};

/// How to compare the replies of a case.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Byte for byte.
    Exact,
    /// Top-level array elements sorted before comparing.
    Unordered,
    /// Top-level arrays as (field, value) pairs, pairs sorted.
    Pairs,
}

/// One scripted case.
pub struct Case {
    pub name: &'static str,
    pub mode: Mode,
    pub steps: &'static [&'static [&'static str]],
}

/// `"name" [Mode]: [argv] [argv] ... ;` — one case per line.
macro_rules! cases {
    ($( $name:literal $( [$mode:ident] )? : $( [ $($arg:expr),* $(,)? ] )* ; )*) => {
        &[ $( $crate::common::diff::Case {
            name: $name,
            mode: $crate::common::diff::cases!(@mode $($mode)?),
            steps: &[ $( &[ $($arg),* ] ),* ],
        }, )* ]
    };
    (@mode) => { $crate::common::diff::Mode::Exact };
    (@mode $m:ident) => { $crate::common::diff::Mode::$m };
}

// ---------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------

/// The payload of the sync marker sent after raw bytes.
const SYNC_TOKEN: &str = "__ferrodis_differential_sync__";

/// Read timeout for case connections. A server under test that never
/// answers costs this much once per case (the case stops at the first
/// timeout).
const CASE_TIMEOUT: Duration = Duration::from_secs(3);

/// What one step produced on one server.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// The reply bytes (several replies concatenated for raw steps), then
    /// `<EOF>` if the server closed the connection.
    Bytes(Vec<u8>),
    /// An integer reply, compared with a tolerance.
    Approx(i64),
    /// A failure of the connection (timeout, I/O error, bad RESP); the case
    /// stops here.
    Broken(String),
}

fn render(o: &Outcome) -> String {
    match o {
        Outcome::Bytes(b) => format!("\"{}\"", escape(b)),
        Outcome::Approx(i) => format!(":{i} (approx)"),
        Outcome::Broken(m) => format!("<{m}>"),
    }
}

/// Runs a case on one server; returns one outcome per step executed (the run
/// stops after a broken connection or an EOF).
fn run_case(port: u16, case: &Case) -> Vec<Outcome> {
    let mut out = Vec::new();
    let mut c = match Client::connect_timeout(port, CASE_TIMEOUT) {
        Ok(c) => c,
        Err(e) => return vec![Outcome::Broken(format!("connect failed: {e}"))],
    };
    match c.try_cmd(&["FLUSHALL"]) {
        Ok(Reply::Status(s)) if s == "OK" => {}
        other => {
            return vec![Outcome::Broken(format!(
                "FLUSHALL before the case: {other:?}"
            ))]
        }
    }
    for step in case.steps {
        let o = run_step(&mut c, step);
        let stop = match &o {
            Outcome::Broken(_) => true,
            Outcome::Bytes(b) => b.ends_with(b"<EOF>"),
            Outcome::Approx(_) => false,
        };
        out.push(o);
        if stop {
            break;
        }
    }
    out
}

fn read_err(e: ReadError) -> Outcome {
    Outcome::Broken(format!("{e}"))
}

fn run_step(c: &mut Client, step: &[&str]) -> Outcome {
    match step[0] {
        "@raw" | "@bytewise" => {
            let bytes = step[1].as_bytes();
            let res = if step[0] == "@raw" {
                c.try_send_raw(bytes)
            } else {
                bytes
                    .iter()
                    .try_for_each(|b| c.try_send_raw(std::slice::from_ref(b)))
            };
            // A write error means the server closed: read what it sent.
            let _ = res.and_then(|_| c.try_send_raw(&super::encode_strs(&["ECHO", SYNC_TOKEN])));
            let marker = format!("${}\r\n{}\r\n", SYNC_TOKEN.len(), SYNC_TOKEN).into_bytes();
            let mut acc = Vec::new();
            loop {
                match c.try_read_raw_reply() {
                    Ok(r) if r == marker => return Outcome::Bytes(acc),
                    Ok(r) => acc.extend_from_slice(&r),
                    Err(ReadError::Eof) => {
                        acc.extend_from_slice(b"<EOF>");
                        return Outcome::Bytes(acc);
                    }
                    Err(e) => return read_err(e),
                }
            }
        }
        "@rawclose" => {
            let _ = c.try_send_raw(step[1].as_bytes());
            let mut acc = Vec::new();
            loop {
                match c.try_read_raw_reply() {
                    Ok(r) => acc.extend_from_slice(&r),
                    Err(ReadError::Eof) => {
                        acc.extend_from_slice(b"<EOF>");
                        return Outcome::Bytes(acc);
                    }
                    Err(ReadError::Io(e)) => {
                        acc.extend_from_slice(format!("<no EOF: {e}>").as_bytes());
                        return Outcome::Bytes(acc);
                    }
                    Err(e) => return read_err(e),
                }
            }
        }
        "@eof" => match c.try_read_raw_reply() {
            Err(ReadError::Eof) => Outcome::Bytes(b"<EOF>".to_vec()),
            Ok(r) => Outcome::Bytes(r),
            Err(e) => read_err(e),
        },
        "@scan" => scan_all(c, &step[1..]),
        // Run the command but do not compare its reply (HELLO 3 carries the
        // client id, which differs between the servers).
        "@ignore" => match run_step(c, &step[1..]) {
            Outcome::Broken(m) => Outcome::Broken(m),
            _ => Outcome::Bytes(b"<ignored>".to_vec()),
        },
        // Per-step comparison modes, for cases that mix ordered replies with
        // replies Redis gives in no particular order (SMEMBERS, HGETALL).
        "@sorted" => normalize(&run_step(c, &step[1..]), Mode::Unordered),
        "@pairs" => normalize(&run_step(c, &step[1..]), Mode::Pairs),
        "@approx" => match c.try_cmd(&step[2..]) {
            Ok(Reply::Int(i)) => Outcome::Approx(i),
            Ok(other) => Outcome::Broken(format!("expected an integer, got {other:?}")),
            Err(e) => read_err(e),
        },
        _ => {
            let args: Vec<&[u8]> = step.iter().map(|a| a.as_bytes()).collect();
            if let Err(e) = c.try_send_raw(&super::encode_command(&args)) {
                return Outcome::Broken(format!("write failed: {e}"));
            }
            match c.try_read_raw_reply() {
                Ok(r) => Outcome::Bytes(r),
                Err(ReadError::Eof) => Outcome::Bytes(b"<EOF>".to_vec()),
                Err(e) => read_err(e),
            }
        }
    }
}

/// Iterates `SCAN cursor args..` until the cursor is 0 and returns the sorted,
/// de-duplicated keys as a RESP array (or the first error reply as is).
fn scan_all(c: &mut Client, args: &[&str]) -> Outcome {
    let mut cursor = "0".to_string();
    let mut keys = BTreeSet::new();
    for _ in 0..100_000 {
        let mut argv = vec!["SCAN", cursor.as_str()];
        argv.extend_from_slice(args);
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        if let Err(e) = c.try_send_raw(&super::encode_command(&argv)) {
            return Outcome::Broken(format!("write failed: {e}"));
        }
        let raw = match c.try_read_raw_reply() {
            Ok(r) => r,
            Err(e) => return read_err(e),
        };
        let reply = parse_reply(&raw).ok().flatten().map(|(r, _)| r);
        match reply {
            Some(Reply::Error(_)) => return Outcome::Bytes(raw),
            Some(Reply::Array(Some(v))) if v.len() == 2 => {
                let next = match &v[0] {
                    Reply::Bulk(Some(b)) => String::from_utf8_lossy(b).into_owned(),
                    other => return Outcome::Broken(format!("SCAN cursor not a bulk: {other:?}")),
                };
                match &v[1] {
                    Reply::Array(Some(items)) => {
                        for it in items {
                            match it {
                                Reply::Bulk(Some(b)) => {
                                    keys.insert(b.clone());
                                }
                                other => {
                                    return Outcome::Broken(format!(
                                        "SCAN key not a bulk: {other:?}"
                                    ))
                                }
                            }
                        }
                    }
                    other => return Outcome::Broken(format!("SCAN keys not an array: {other:?}")),
                }
                if next == "0" {
                    let keys: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
                    let mut enc = super::encode_command(&keys);
                    enc.splice(..0, b"scan-all:".iter().copied());
                    return Outcome::Bytes(enc);
                }
                cursor = next;
            }
            other => return Outcome::Broken(format!("SCAN reply not [cursor, keys]: {other:?}")),
        }
    }
    Outcome::Broken("SCAN did not reach cursor 0 in 100000 calls".into())
}

/// Normalizes an outcome for comparison under `mode`.
fn normalize(o: &Outcome, mode: Mode) -> Outcome {
    let Outcome::Bytes(b) = o else {
        return o.clone();
    };
    if mode == Mode::Exact {
        return o.clone();
    }
    let Some((header, mut elems)) = split_aggregate(b) else {
        return o.clone();
    };
    let total: usize = header.len() + elems.iter().map(Vec::len).sum::<usize>();
    if total != b.len() {
        // Several replies concatenated: leave as is.
        return o.clone();
    }
    match mode {
        Mode::Unordered => elems.sort(),
        Mode::Pairs => {
            if elems.len() % 2 != 0 {
                return o.clone();
            }
            let mut pairs: Vec<Vec<u8>> = elems.chunks(2).map(|p| p.concat()).collect();
            pairs.sort();
            elems = pairs;
        }
        Mode::Exact => unreachable!(),
    }
    let mut out = header;
    for e in elems {
        out.extend_from_slice(&e);
    }
    Outcome::Bytes(out)
}

/// Compares the two runs of a case; returns a readable diff, or None.
fn compare(case: &Case, expected: &[Outcome], got: &[Outcome]) -> Option<String> {
    let mut diff = String::new();
    for i in 0..expected.len().max(got.len()) {
        let step = case
            .steps
            .get(i)
            .map(|s| format!("{s:?}"))
            .unwrap_or_default();
        let e = expected.get(i).map(|o| normalize(o, case.mode));
        let g = got.get(i).map(|o| normalize(o, case.mode));
        let tol = case
            .steps
            .get(i)
            .filter(|s| s[0] == "@approx")
            .map(|s| s[1]);
        let same = match (&e, &g, tol) {
            (Some(Outcome::Approx(a)), Some(Outcome::Approx(b)), Some(t)) => {
                (a - b).abs() <= t.parse::<i64>().expect("@approx tolerance")
            }
            (e, g, _) => e == g,
        };
        if !same {
            let show = |o: &Option<Outcome>| o.as_ref().map(render).unwrap_or("<not run>".into());
            diff.push_str(&format!(
                "  step {} {}\n    expected: {}\n    got:      {}\n",
                i + 1,
                step,
                show(&e),
                show(&g)
            ));
        }
    }
    if diff.is_empty() {
        None
    } else {
        Some(format!("case {} ({:?}):\n{}", case.name, case.mode, diff))
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).map(|v| v == "1").unwrap_or(false)
}

/// Standard arguments for both servers of the suite: identical so that
/// CONFIG GET and friends agree. The slow log is disabled so a scheduler
/// hiccup cannot put a command into it and change SLOWLOG LEN.
pub const SERVER_ARGS: &[&str] = &["--slowlog-log-slower-than", "-1"];

/// Run `cases` against a real redis-server and the server under test, both
/// started with `server_args`, and panic with a readable diff of every case
/// whose replies differ. Cases named `later_*` run only with
/// FERRODIS_DIFF_ALL=1; FERRODIS_DIFF_ONLY=substr selects cases;
/// FERRODIS_DIFF_DUMP=1 prints the reference replies.
pub fn run_suite(cases_table: &[Case], server_args: &[&str]) {
    let Some(redis) = super::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let started = Instant::now();
    let reference = Server::start(&redis, server_args);
    let subject = Server::start(super::server_binary(), server_args);

    let all = env_flag("FERRODIS_DIFF_ALL");
    let dump = env_flag("FERRODIS_DIFF_DUMP");
    let only = std::env::var("FERRODIS_DIFF_ONLY").ok();

    let mut names = std::collections::HashSet::new();
    for case in cases_table {
        assert!(names.insert(case.name), "duplicate case name {}", case.name);
    }

    let mut failures = Vec::new();
    let (mut ran, mut skipped, mut broken) = (0, 0, 0);
    for case in cases_table {
        if (!all && case.name.starts_with("later_"))
            || only.as_deref().is_some_and(|o| !case.name.contains(o))
        {
            skipped += 1;
            continue;
        }
        ran += 1;
        let expected = run_case(reference.port(), case);
        if let Some(Outcome::Broken(m)) = expected.last() {
            panic!("reference server failed case {}: {m}", case.name);
        }
        if dump {
            eprintln!("== {} ({:?})", case.name, case.mode);
            for (s, o) in case.steps.iter().zip(&expected) {
                eprintln!("  {s:?}\n    -> {}", render(o));
            }
        }
        let got = run_case(subject.port(), case);
        if matches!(got.last(), Some(Outcome::Broken(_))) {
            broken += 1;
        }
        if let Some(d) = compare(case, &expected, &got) {
            failures.push(d);
        }
        if broken >= 10 {
            failures.push(format!(
                "stopping after {broken} cases with broken connections (is the server under test up?)"
            ));
            break;
        }
    }
    eprintln!(
        "differential: {ran} cases run, {skipped} skipped, {} failed, {:?}",
        failures.len(),
        started.elapsed()
    );
    if !failures.is_empty() {
        panic!(
            "{} of {ran} differential cases differ from redis-server ({}):\n\n{}",
            failures.len(),
            super::server_binary().display(),
            failures.join("\n")
        );
    }
}

pub(crate) use cases;

/// A real redis-server and the server under test side by side, for tests
/// that generate their commands: [`Twin::both`] sends one to each and
/// asserts equal replies. None (test skipped) without a redis-server.
pub struct Twin {
    _reference: Server,
    _subject: Server,
    r: super::Client,
    f: super::Client,
}

impl Twin {
    pub fn start(args: &[&str]) -> Option<Twin> {
        let Some(redis) = super::redis_binary() else {
            eprintln!("skipped: no redis-server");
            return None;
        };
        let reference = Server::start(&redis, args);
        let subject = Server::start(super::server_binary(), args);
        let (r, f) = (reference.client(), subject.client());
        Some(Twin {
            _reference: reference,
            _subject: subject,
            r,
            f,
        })
    }

    /// Send `args` to both servers; panics when the replies differ, else
    /// returns Redis's.
    pub fn both(&mut self, args: &[String]) -> Reply {
        let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let (want, got) = (self.r.cmd_bytes(&argv), self.f.cmd_bytes(&argv));
        let shown: Vec<&str> = args.iter().take(6).map(String::as_str).collect();
        assert_eq!(got, want, "reply to {shown:?}... differs from Redis's");
        want
    }
}
