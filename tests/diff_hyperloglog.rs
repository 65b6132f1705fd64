//! Differential cases for HyperLogLog (PFADD, PFCOUNT, PFMERGE, PFDEBUG):
//! replies, error strings and their order, and the strings themselves (GET
//! compares the bytes: header, cached count, sparse opcodes, dense
//! registers), across the sparse-to-dense conversion. The strings must be
//! byte-identical to Redis's, since they travel as plain strings between
//! the two servers. Case syntax: see tests/differential.rs.

mod common;

use common::diff::{cases, Case};
use common::Reply;

/// A sparse HLL written by hand with ASCII bytes only: XZERO 16255, two
/// ZERO 64 and, when `complete`, a ZERO 1 (16384 registers in all; without
/// it, one short), behind a header with a valid cached count of 0.
macro_rules! sparse_hll {
    (complete) => {
        "HYLL\u{1}\0\0\0\0\0\0\0\0\0\0\0\u{7f}\u{7e}??\0"
    };
    (short) => {
        "HYLL\u{1}\0\0\0\0\0\0\0\0\0\0\0\u{7f}\u{7e}??"
    };
}

const CASES: &[Case] = cases! {
    "pfadd_basic": ["PFADD", "h", "a", "b", "c"] ["GET", "h"] ["PFCOUNT", "h"] ["GET", "h"] ["PFADD", "h", "a"] ["PFADD", "h", "d", "a"] ["GET", "h"] ["PFCOUNT", "h"] ["TYPE", "h"] ["OBJECT", "ENCODING", "h"] ["STRLEN", "h"];
    "pfadd_without_elements": ["PFADD", "h"] ["GET", "h"] ["PFCOUNT", "h"] ["PFADD", "h"] ["GET", "h"] ["PFADD", "h", ""] ["PFCOUNT", "h"];
    "pfadd_neighbours_merge": ["PFADD", "h", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"] ["GET", "h"] ["PFDEBUG", "DECODE", "h"] ["PFADD", "h", "x", "y", "z", "w", "v", "u", "t", "s", "r", "q", "p", "o"] ["PFDEBUG", "DECODE", "h"] ["PFCOUNT", "h"];
    "pfadd_binary_elements": ["PFADD", "h", "\0", "a\0b", "\r\n", "long-element-that-spans-several-words-of-the-hash"] ["GET", "h"] ["PFCOUNT", "h"];
    "pfcount_multi": ["PFADD", "a", "x", "y"] ["PFADD", "b", "y", "z"] ["PFCOUNT", "a", "b"] ["PFCOUNT", "a", "b", "nokey"] ["PFCOUNT", "nokey", "nokey2"] ["PFCOUNT", "a", "a"] ["GET", "a"];
    "pfcount_missing": ["PFCOUNT", "nokey"] ["EXISTS", "nokey"];
    "pfmerge": ["PFADD", "a", "x", "y"] ["PFADD", "b", "y", "z", "w"] ["PFMERGE", "d", "a", "b"] ["GET", "d"] ["PFCOUNT", "d"] ["PFMERGE", "d"] ["GET", "d"] ["PFMERGE", "e"] ["GET", "e"] ["PFMERGE", "a", "b", "nokey"] ["GET", "a"] ["PFMERGE", "f", "nokey"] ["EXISTS", "f"];
    "pfmerge_into_dense": ["PFADD", "a", "x", "y"] ["PFADD", "b", "z"] ["PFDEBUG", "TODENSE", "b"] ["PFMERGE", "d", "a", "b"] ["PFDEBUG", "ENCODING", "d"] ["PFCOUNT", "d"] ["PFMERGE", "a", "b"] ["PFDEBUG", "ENCODING", "a"] ["PFCOUNT", "a"];
    "hll_wrongtype": ["SET", "s", "foo"] ["PFADD", "s", "a"] ["PFCOUNT", "s"] ["PFCOUNT", "nokey", "s"] ["PFMERGE", "d", "s"] ["EXISTS", "d"] ["PFDEBUG", "ENCODING", "s"] ["LPUSH", "l", "a"] ["PFADD", "l", "a"] ["PFCOUNT", "l"] ["PFCOUNT", "s", "l"] ["PFMERGE", "l", "s"] ["PFMERGE", "s", "l"] ["SET", "i", "123"] ["PFADD", "i", "x"] ["PFCOUNT", "i"];
    "hll_invalid_headers": ["SET", "h", "HYLL"] ["PFCOUNT", "h"] ["SET", "h", "HYLL\u{2}\0\0\0\0\0\0\0\0\0\0\0"] ["PFCOUNT", "h"] ["SET", "h", "HYLL\0\0\0\0\0\0\0\0\0\0\0\0abc"] ["PFCOUNT", "h"] ["PFADD", "h", "a"] ["SET", "h", "hyll\u{1}\0\0\0\0\0\0\0\0\0\0\0\u{7f}\u{7e}??\0"] ["PFCOUNT", "h"];
    "hll_hand_made_sparse": ["SET", "h", sparse_hll!(complete)] ["PFCOUNT", "h"] ["PFADD", "h", "a"] ["GET", "h"] ["PFCOUNT", "h"] ["PFDEBUG", "DECODE", "h"] ["OBJECT", "ENCODING", "h"];
    "hll_corrupt_sparse": ["SET", "h", sparse_hll!(short)] ["PFCOUNT", "h"] ["PFADD", "h", "a"] ["PFCOUNT", "h"] ["PFCOUNT", "h", "nokey"] ["PFMERGE", "d", "h"] ["EXISTS", "d"] ["PFDEBUG", "TODENSE", "h"] ["PFDEBUG", "GETREG", "h"] ["PFDEBUG", "ENCODING", "h"] ["SET", "g", sparse_hll!(short)] ["PFADD", "g", "x"] ["PFADD", "g", "k"];
    "pfdebug": ["PFADD", "h", "a", "b"] ["PFDEBUG", "ENCODING", "h"] ["PFDEBUG", "DECODE", "h"] ["PFDEBUG", "todense", "h"] ["PFDEBUG", "ENCODING", "h"] ["PFDEBUG", "DECODE", "h"] ["PFDEBUG", "TODENSE", "h"] ["PFCOUNT", "h"] ["PFADD", "h", "c"] ["PFCOUNT", "h"] ["STRLEN", "h"];
    "pfdebug_getreg": ["PFADD", "h", "a", "b", "c"] ["PFDEBUG", "GETREG", "h"] ["PFDEBUG", "ENCODING", "h"];
    "pfdebug_errors": ["PFDEBUG", "ENCODING", "nokey"] ["PFDEBUG", "foo", "nokey"] ["PFADD", "h", "a"] ["PFDEBUG", "foo", "h"] ["PFDEBUG", "GETREG"] ["PFDEBUG", "GETREG", "h", "x"] ["SET", "s", "x"] ["PFDEBUG", "foo", "s"];
    "hll_arity": ["PFADD"] ["PFCOUNT"] ["PFMERGE"] ["PFSELFTEST", "x"];
    "hll_sparse_max_bytes": ["CONFIG", "SET", "hll-sparse-max-bytes", "30"] ["PFADD", "h", "a", "b", "c", "d", "e"] ["PFDEBUG", "ENCODING", "h"] ["GET", "h"] ["PFADD", "h", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"] ["PFDEBUG", "ENCODING", "h"] ["PFCOUNT", "h"] ["CONFIG", "GET", "hll-sparse-max-bytes"] ["CONFIG", "SET", "hll-sparse-max-bytes", "3000"];
    "hll_watch": ["PFADD", "h", "a"] ["WATCH", "h"] ["PFADD", "h", "a"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "h"] ["PFCOUNT", "h"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "h"] ["PFCOUNT", "h"] ["MULTI"] ["PING"] ["EXEC"];
    "hll_keyspace_events": ["@ignore", "HELLO", "3"] ["CONFIG", "SET", "notify-keyspace-events", "KA"] ["SUBSCRIBE", "__keyspace@0__:h", "__keyspace@0__:d"] ["@raw", "*3\r\n$5\r\nPFADD\r\n$1\r\nh\r\n$1\r\na\r\n*3\r\n$5\r\nPFADD\r\n$1\r\nh\r\n$1\r\na\r\n*2\r\n$7\r\nPFCOUNT\r\n$1\r\nh\r\n*3\r\n$7\r\nPFMERGE\r\n$1\r\nd\r\n$1\r\nh\r\n"] ["CONFIG", "SET", "notify-keyspace-events", ""];
    "hll_in_multi_resp3": ["@ignore", "HELLO", "3"] ["MULTI"] ["PFADD", "h", "a", "b"] ["PFCOUNT", "h"] ["PFMERGE", "d", "h"] ["PFCOUNT", "d", "h"] ["EXEC"];
};

#[test]
fn differential_hyperloglog() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

/// Deterministic elements: PFADD batches of growing size take one HLL
/// through the sparse form (splits and merges of every opcode kind) into
/// the dense one; after each batch the string, the count and the encoding
/// must be Redis's. Then merges and unions across sparse and dense keys.
#[test]
fn growing_hlls_stay_byte_identical() {
    let Some(mut twin) = common::diff::Twin::start(&[]) else {
        return;
    };
    let mut both = |args: Vec<String>| twin.both(&args);
    let mut n = 0u64;
    for (key, batches) in [("small", 40), ("big", 90)] {
        for batch in 0..batches {
            let mut argv = vec!["PFADD".to_string(), key.to_string()];
            for _ in 0..(batch % 7) * 9 + 1 {
                n += 1;
                argv.push(format!("e{}", n.wrapping_mul(2_654_435_761) % 1_000_003));
            }
            both(argv);
            both(vec!["GET".into(), key.into()]);
            both(vec!["PFCOUNT".into(), key.into()]);
            both(vec!["PFDEBUG".into(), "ENCODING".into(), key.into()]);
        }
    }
    assert_eq!(
        both(vec!["PFDEBUG".into(), "ENCODING".into(), "big".into()]),
        Reply::Status("dense".into()),
        "the big HLL should have turned dense"
    );
    for argv in [
        vec!["PFCOUNT", "small", "big"],
        vec!["PFMERGE", "union", "small", "big"],
        vec!["GET", "union"],
        vec!["PFCOUNT", "union"],
        vec!["PFMERGE", "small2", "small"],
        vec!["GET", "small2"],
        vec!["PFMERGE", "small2", "union"],
        vec!["GET", "small2"],
    ] {
        both(argv.into_iter().map(String::from).collect());
    }
}
