//! Differential cases for the stream commands (XADD XLEN XRANGE XREVRANGE
//! XDEL XTRIM XSETID XINFO XREAD XGROUP XREADGROUP XACK XPENDING XCLAIM
//! XAUTOCLAIM): every option and error reply, Redis's ID
//! parsing quirks, node splitting and approximate trimming with small
//! `stream-node-max-*` settings (so XINFO's radix-tree counters, DUMP
//! payloads and digests must match byte for byte), RESP3 shapes, and
//! consumer groups read from a DUMP payload a real Redis made. Syntax of
//! the table: see the header of `tests/differential.rs`.
//!
//! Cases that lower a node limit with CONFIG SET restore it as their last
//! step, since the servers live for the whole suite.

mod common;

use common::diff::{cases, Case};
use common::{Reply, Server};

const CASES: &[Case] = cases! {
    // ---------------------------------------------------------------- XADD
    "xadd_explicit_ids": ["XADD", "s", "1-1", "a", "1", "b", "2"] ["XADD", "s", "1-2", "a", "1"] ["XADD", "s", "2", "c", "3"] ["XRANGE", "s", "-", "+"] ["XLEN", "s"] ["TYPE", "s"] ["OBJECT", "ENCODING", "s"];
    "xadd_seq_star": ["XADD", "s", "5-*", "a", "1"] ["XADD", "s", "5-*", "a", "2"] ["XADD", "s", "6-*", "a", "3"] ["XADD", "s", "0-*", "a", "4"] ["XRANGE", "s", "-", "+"];
    "xadd_seq_star_on_new_stream_at_zero": ["XADD", "s", "0-*", "a", "1"] ["XADD", "s", "0-*", "a", "2"] ["XRANGE", "s", "-", "+"];
    "xadd_id_not_above_top": ["XADD", "s", "5-5", "a", "1"] ["XADD", "s", "5-5", "a", "1"] ["XADD", "s", "5-4", "a", "1"] ["XADD", "s", "4", "a", "1"] ["XLEN", "s"];
    "xadd_zero_id": ["XADD", "s", "0-0", "a", "1"] ["EXISTS", "s"] ["XADD", "s", "0", "a", "1"] ["XADD", "s", "0-1", "a", "1"] ["XRANGE", "s", "-", "+"];
    "xadd_last_possible_id": ["XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"] ["XADD", "s", "*", "a", "1"] ["XADD", "s", "18446744073709551615-*", "a", "1"];
    "xadd_seq_exhausted": ["XADD", "s", "7-18446744073709551615", "a", "1"] ["XADD", "s", "7-*", "a", "1"] ["XADD", "s", "8-*", "a", "1"];
    "xadd_id_syntax": ["XADD", "s", "x", "a", "1"] ["XADD", "s", "1-x", "a", "1"] ["XADD", "s", "-", "a", "1"] ["XADD", "s", "+", "a", "1"] ["XADD", "s", "1-2-3", "a", "1"] ["XADD", "s", "-1", "a", "1"] ["XADD", "s", "", "a", "1"] ["XADD", "s", "18446744073709551616", "a", "1"] ["XADD", "s", "*-1", "a", "1"] ["EXISTS", "s"];
    "xadd_id_strtoull_quirks": ["XADD", "s", " 5", "a", "1"] ["XADD", "s", "006-1", "a", "1"] ["XADD", "s", "+7-1", "a", "1"] ["XADD", "s", "8-+2", "a", "1"] ["XADD", "s", "9- 3", "a", "1"] ["XRANGE", "s", "-", "+"];
    "xadd_arity": ["XADD", "s", "*"] ["XADD", "s", "*", "a"] ["XADD", "s", "*", "a", "1", "b"] ["XADD", "s"] ["XADD", "s", "1-1"] ["EXISTS", "s"];
    "xadd_options_without_id": ["XADD", "s", "NOMKSTREAM"] ["XADD", "s", "MAXLEN", "5"] ["XADD", "s", "MAXLEN"] ["XADD", "s", "LIMIT", "5"];
    "xadd_nomkstream": ["XADD", "s", "NOMKSTREAM", "1-1", "a", "1"] ["EXISTS", "s"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "NOMKSTREAM", "2-1", "a", "1"] ["XLEN", "s"];
    "xadd_wrongtype": ["SET", "k", "v"] ["XADD", "k", "1-1", "a", "1"] ["XADD", "k", "NOMKSTREAM", "1-1", "a", "1"] ["XADD", "k", "0-0", "a", "1"] ["GET", "k"];
    "xadd_integer_like_fields": ["XADD", "s", "1-1", "1", "2", "-3", "4", "007", "+5", "9223372036854775808", "x"] ["XADD", "s", "2-1", "1", "x", "-3", "y", "007", "z", "9223372036854775808", "w"] ["XRANGE", "s", "-", "+"] ["DEBUG", "DIGEST-VALUE", "s"] ["DUMP", "s"];
    "xadd_binary": ["XADD", "s", "1-1", "a\u{0}b", "v\r\nw", "", ""] ["XRANGE", "s", "-", "+"] ["DUMP", "s"];
    "xadd_samefields_and_different_fields": ["XADD", "s", "1-1", "a", "1", "b", "2"] ["XADD", "s", "2-1", "a", "3", "b", "4"] ["XADD", "s", "3-1", "b", "5", "a", "6"] ["XADD", "s", "4-1", "a", "7"] ["XADD", "s", "5-1", "a", "8", "b", "9", "c", "10"] ["XRANGE", "s", "-", "+"] ["DUMP", "s"] ["DEBUG", "DIGEST-VALUE", "s"];
    "xadd_negative_seq_delta": ["XADD", "s", "1-9", "a", "1"] ["XADD", "s", "2-0", "a", "2"] ["XADD", "s", "2-5", "a", "3"] ["XRANGE", "s", "-", "+"] ["DUMP", "s"] ["XDEL", "s", "2-0"] ["XRANGE", "s", "-", "+"] ["DUMP", "s"];
    "xadd_case_insensitive_options": ["xadd", "s", "nomkstream", "1-1", "a", "1"] ["xadd", "s", "maxlen", "=", "1", "2-1", "a", "1"] ["XADD", "s", "MaxLen", "~", "1", "3-1", "a", "1"] ["XRANGE", "s", "-", "+"];

    // ---------------------------------------------------------------- XADD / XTRIM trimming
    "xadd_maxlen_exact": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "MAXLEN", "2", "3-1", "a", "3"] ["XADD", "s", "MAXLEN", "=", "2", "4-1", "a", "4"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["DUMP", "s"];
    "xadd_maxlen_zero_keeps_empty_stream": ["XADD", "s", "MAXLEN", "0", "1-1", "a", "1"] ["EXISTS", "s"] ["XLEN", "s"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "1-2", "a", "1"];
    "xadd_minid_exact": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "MINID", "2-1", "3-1", "a", "3"] ["XADD", "s", "MINID", "=", "3", "4-1", "a", "4"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"];
    "xadd_trim_errors": ["XADD", "s", "MAXLEN", "-1", "1-1", "a", "1"] ["XADD", "s", "MAXLEN", "x", "1-1", "a", "1"] ["XADD", "s", "MINID", "-", "1-1", "a", "1"] ["XADD", "s", "MINID", "x", "1-1", "a", "1"] ["XADD", "s", "MAXLEN", "1", "MINID", "1", "1-1", "a", "1"] ["XADD", "s", "MAXLEN", "1", "LIMIT", "2", "1-1", "a", "1"] ["XADD", "s", "LIMIT", "2", "1-1", "a", "1"] ["XADD", "s", "LIMIT", "0", "1-1", "a", "1"] ["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "1-1", "a", "1"] ["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "x", "1-1", "a", "1"] ["XLEN", "s"];
    "xadd_approx_trims_whole_nodes": ["CONFIG", "SET", "stream-node-max-entries", "3"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "1"] ["XADD", "s", "3-1", "a", "1"] ["XADD", "s", "4-1", "a", "1"] ["XADD", "s", "5-1", "a", "1"] ["XADD", "s", "MAXLEN", "~", "3", "6-1", "a", "1"] ["XADD", "s", "MAXLEN", "~", "2", "7-1", "a", "1"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "xadd_approx_with_limit": ["CONFIG", "SET", "stream-node-max-entries", "2"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "1"] ["XADD", "s", "3-1", "a", "1"] ["XADD", "s", "4-1", "a", "1"] ["XADD", "s", "5-1", "a", "1"] ["XADD", "s", "6-1", "a", "1"] ["XADD", "s", "MAXLEN", "~", "0", "LIMIT", "2", "7-1", "a", "1"] ["XLEN", "s"] ["XTRIM", "s", "MINID", "~", "9", "LIMIT", "4"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "xtrim_maxlen_exact_inside_node": ["CONFIG", "SET", "stream-node-max-entries", "4"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XADD", "s", "4-1", "a", "4"] ["XADD", "s", "5-1", "a", "5"] ["XADD", "s", "6-1", "a", "6"] ["XTRIM", "s", "MAXLEN", "3"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["XTRIM", "s", "MAXLEN", "3"] ["XTRIM", "s", "MAXLEN", "0"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "xtrim_minid_inside_node": ["CONFIG", "SET", "stream-node-max-entries", "4"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XADD", "s", "4-1", "a", "4"] ["XADD", "s", "5-1", "a", "5"] ["XDEL", "s", "2-1"] ["XTRIM", "s", "MINID", "4"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["XTRIM", "s", "MINID", "~", "5-1"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "xtrim_errors": ["XTRIM", "s"] ["XTRIM", "s", "MAXLEN"] ["XTRIM", "s", "FOO", "1"] ["XTRIM", "s", "MAXLEN", "1", "FOO"] ["XTRIM", "s", "LIMIT", "1"] ["XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"] ["XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1"] ["XTRIM", "s", "MAXLEN", "-5"] ["XTRIM", "nokey", "MAXLEN", "1"];
    "xtrim_wrongtype": ["SET", "k", "v"] ["XTRIM", "k", "MAXLEN", "1"] ["XTRIM", "k", "FOO"];
    "xtrim_node_bytes_limit": ["CONFIG", "SET", "stream-node-max-bytes", "60"] ["XADD", "s", "1-1", "field", "aaaaaaaaaaaaaaaaaaaa"] ["XADD", "s", "2-1", "field", "bbbbbbbbbbbbbbbbbbbb"] ["XADD", "s", "3-1", "field", "cccccccccccccccccccc"] ["XADD", "s", "4-1", "other", "d"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["XTRIM", "s", "MAXLEN", "~", "1"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-bytes", "4096"];

    // ---------------------------------------------------------------- XRANGE / XREVRANGE
    "xrange_bounds": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "1-2", "a", "2"] ["XADD", "s", "2-0", "a", "3"] ["XADD", "s", "3-7", "a", "4"] ["XRANGE", "s", "1", "1"] ["XRANGE", "s", "1-2", "2"] ["XRANGE", "s", "2", "+"] ["XRANGE", "s", "3-8", "+"] ["XRANGE", "s", "+", "-"] ["XRANGE", "s", "3", "1"];
    "xrange_exclusive": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "1-2", "a", "2"] ["XADD", "s", "2-0", "a", "3"] ["XRANGE", "s", "(1-1", "+"] ["XRANGE", "s", "-", "(2-0"] ["XRANGE", "s", "(1-1", "(2-0"] ["XRANGE", "s", "(1", "+"] ["XREVRANGE", "s", "(2-0", "-"] ["XREVRANGE", "s", "+", "(1-1"];
    "xrange_exclusive_errors": ["XADD", "s", "1-1", "a", "1"] ["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"] ["XRANGE", "s", "-", "(0-0"] ["XRANGE", "s", "(-", "+"] ["XRANGE", "s", "-", "(+"] ["XRANGE", "s", "(", "+"] ["XREVRANGE", "s", "(0", "-"];
    "xrange_count": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XRANGE", "s", "-", "+", "COUNT", "2"] ["XRANGE", "s", "-", "+", "count", "0"] ["XRANGE", "s", "-", "+", "COUNT", "-5"] ["XREVRANGE", "s", "+", "-", "COUNT", "1"] ["XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3"] ["XRANGE", "nokey", "-", "+", "COUNT", "0"];
    "xrange_errors": ["XRANGE", "s", "x", "+"] ["XRANGE", "s", "-", "y"] ["XRANGE", "s", "-", "+", "COUNT"] ["XRANGE", "s", "-", "+", "COUNT", "x"] ["XRANGE", "s", "-", "+", "FOO", "1"] ["XRANGE", "s", "-"] ["XREVRANGE", "s", "+"];
    "xrange_missing_and_wrongtype": ["XRANGE", "nokey", "-", "+"] ["XREVRANGE", "nokey", "+", "-"] ["SET", "k", "v"] ["XRANGE", "k", "-", "+"] ["XRANGE", "k", "-", "+", "COUNT", "0"] ["XLEN", "k"];
    "xrange_across_nodes": ["CONFIG", "SET", "stream-node-max-entries", "2"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XADD", "s", "4-1", "a", "4"] ["XADD", "s", "5-1", "a", "5"] ["XRANGE", "s", "2-1", "4-1"] ["XREVRANGE", "s", "4-1", "2"] ["XRANGE", "s", "3-1", "+", "COUNT", "2"] ["XREVRANGE", "s", "+", "-", "COUNT", "3"] ["XDEL", "s", "3-1", "4-1"] ["XRANGE", "s", "-", "+"] ["XREVRANGE", "s", "+", "-"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];

    "xrevrange_entry_shapes": ["XADD", "s", "1-9", "a", "1", "b", "2"] ["XADD", "s", "2-0", "a", "3", "b", "4"] ["XADD", "s", "2-5", "b", "5", "a", "6"] ["XADD", "s", "3-1", "n", "-12", "big", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"] ["XADD", "s", "4-1", "huge", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"] ["XADD", "s", "5-1", "a", "7", "b", "8"] ["XDEL", "s", "2-5"] ["XREVRANGE", "s", "+", "-"] ["XREVRANGE", "s", "4-1", "2", "COUNT", "2"] ["XREVRANGE", "s", "(5-1", "(1-9"] ["XREVRANGE", "s", "2-4", "-"] ["XREAD", "STREAMS", "s", "2-0"];

    // ---------------------------------------------------------------- XDEL / XLEN
    "xdel_basic": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XDEL", "s", "2-1", "2-1", "9-9"] ["XLEN", "s"] ["XRANGE", "s", "-", "+"] ["XINFO", "STREAM", "s"] ["DUMP", "s"];
    "xdel_first_and_last": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XDEL", "s", "1-1"] ["XINFO", "STREAM", "s"] ["XDEL", "s", "3-1"] ["XINFO", "STREAM", "s"] ["XADD", "s", "3-1", "a", "x"] ["XADD", "s", "3-2", "a", "x"] ["XLEN", "s"];
    "xdel_everything_keeps_key": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XDEL", "s", "1-1", "2-1"] ["EXISTS", "s"] ["XLEN", "s"] ["XINFO", "STREAM", "s"] ["DUMP", "s"] ["DEBUG", "DIGEST-VALUE", "s"];
    "xdel_parses_every_id_first": ["XADD", "s", "1-1", "a", "1"] ["XDEL", "s", "1-1", "x"] ["XLEN", "s"] ["XDEL", "s", "-"] ["XDEL", "s", "+"] ["XDEL", "s", "(1-1"];
    "xdel_missing_and_wrongtype": ["XDEL", "nokey", "1-1"] ["XDEL", "nokey", "x"] ["SET", "k", "v"] ["XDEL", "k", "1-1"] ["XDEL"] ["XDEL", "s"];
    "xlen_arity_and_wrongtype": ["XLEN"] ["XLEN", "a", "b"] ["XLEN", "nokey"] ["LPUSH", "l", "x"] ["XLEN", "l"];

    // ---------------------------------------------------------------- XSETID
    "xsetid_basic": ["XADD", "s", "1-1", "a", "1"] ["XSETID", "s", "5-5"] ["XINFO", "STREAM", "s"] ["XADD", "s", "5-5", "a", "1"] ["XADD", "s", "5-*", "a", "1"] ["XSETID", "s", "1-0"] ["XSETID", "s", "5-6"];
    "xsetid_options": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "1"] ["XDEL", "s", "1-1"] ["XSETID", "s", "3-0", "ENTRIESADDED", "7", "MAXDELETEDID", "2-5"] ["XINFO", "STREAM", "s"] ["XSETID", "s", "3-0", "ENTRIESADDED", "0"] ["XSETID", "s", "3-0", "ENTRIESADDED", "-1"] ["XSETID", "s", "3-0", "MAXDELETEDID", "4-0"] ["XSETID", "s", "3-0", "MAXDELETEDID", "+"] ["XSETID", "s", "3-0", "FOO", "1"] ["XSETID", "s", "3-0", "ENTRIESADDED"] ["XSETID", "s", "3-0", "ENTRIESADDED", "x"];
    "xsetid_below_deleted_on_emptied_stream": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XDEL", "s", "1-1", "2-1"] ["XSETID", "s", "1"] ["XINFO", "STREAM", "s"] ["XSETID", "s", "0-5", "MAXDELETEDID", "0-1"] ["XINFO", "STREAM", "s"];
    "xsetid_errors": ["XSETID", "nokey", "1-1"] ["XSETID", "nokey", "x"] ["XSETID", "nokey", "-"] ["SET", "k", "v"] ["XSETID", "k", "1-1"] ["XSETID", "k"];

    // ---------------------------------------------------------------- XINFO
    "xinfo_stream_empty_and_full": ["XADD", "s", "MAXLEN", "0", "1-1", "a", "1"] ["XINFO", "STREAM", "s"] ["XINFO", "STREAM", "s", "FULL"] ["XADD", "s", "2-1", "a", "1", "b", "2"] ["XADD", "s", "3-1", "c", "3"] ["XINFO", "STREAM", "s"] ["XINFO", "STREAM", "s", "FULL"] ["XINFO", "STREAM", "s", "FULL", "COUNT", "1"] ["XINFO", "STREAM", "s", "FULL", "COUNT", "0"] ["XINFO", "STREAM", "s", "FULL", "COUNT", "-3"];
    "xinfo_stream_errors": ["XINFO", "STREAM", "nokey"] ["XINFO", "STREAM"] ["SET", "k", "v"] ["XINFO", "STREAM", "k"] ["XADD", "s", "1-1", "a", "1"] ["XINFO", "STREAM", "s", "FOO"] ["XINFO", "STREAM", "s", "FULL", "COUNT"] ["XINFO", "STREAM", "s", "FULL", "LIMIT", "1"] ["XINFO", "STREAM", "s", "FULL", "COUNT", "x"] ["XINFO", "STREAM", "s", "FULL", "COUNT", "1", "X"];
    "xinfo_groups_consumers_without_groups": ["XADD", "s", "1-1", "a", "1"] ["XINFO", "GROUPS", "s"] ["XINFO", "CONSUMERS", "s", "g"] ["XINFO", "GROUPS", "nokey"] ["XINFO", "CONSUMERS", "nokey", "g"] ["XINFO", "GROUPS"] ["XINFO", "FOO", "s"] ["XINFO"];
    "xinfo_help": ["XINFO", "HELP"] ["XINFO", "HELP", "x"];
    "xinfo_radix_tree_counts": ["CONFIG", "SET", "stream-node-max-entries", "1"] ["XADD", "s", "1-1", "a", "1"] ["XINFO", "STREAM", "s"] ["XADD", "s", "1-2", "a", "1"] ["XINFO", "STREAM", "s"] ["XADD", "s", "256-2", "a", "1"] ["XINFO", "STREAM", "s"] ["XADD", "s", "257-0", "a", "1"] ["XADD", "s", "65536-0", "a", "1"] ["XADD", "s", "18446744073709551615-0", "a", "1"] ["XINFO", "STREAM", "s"] ["XDEL", "s", "1-2"] ["XINFO", "STREAM", "s"] ["XDEL", "s", "256-2", "257-0"] ["XINFO", "STREAM", "s"] ["XTRIM", "s", "MAXLEN", "1"] ["XINFO", "STREAM", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "xinfo_resp3": ["@ignore", "HELLO", "3"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "b", "2"] ["XINFO", "STREAM", "s"] ["XINFO", "STREAM", "s", "FULL"] ["XRANGE", "s", "-", "+"] ["XRANGE", "s", "-", "+", "COUNT", "0"] ["XADD", "nokey", "NOMKSTREAM", "*", "a", "1"] ["XINFO", "GROUPS", "s"];

    // ---------------------------------------------------------------- generic commands on streams
    "stream_generic_commands": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "b", "2"] ["XDEL", "s", "1-1"] ["COPY", "s", "c"] ["XINFO", "STREAM", "c"] ["XRANGE", "c", "-", "+"] ["RENAME", "c", "d"] ["XLEN", "d"] ["GET", "s"] ["LPUSH", "s", "x"] ["@scan", "TYPE", "stream"] ["DEBUG", "DIGEST-VALUE", "s", "d"] ["DEL", "s"] ["EXISTS", "s"];
    "stream_dump_restore": ["XADD", "s", "1-1", "a", "1", "b", "2"] ["XADD", "s", "2-1", "a", "3", "b", "4"] ["XDEL", "s", "1-1"] ["XSETID", "s", "9-9", "ENTRIESADDED", "5", "MAXDELETEDID", "1-1"] ["DUMP", "s"] ["RESTORE", "r", "0", "x"] ["DEBUG", "DIGEST-VALUE", "s"];
    "stream_digest_of_db": ["XADD", "s", "1-1", "a", "1"] ["XADD", "t", "5-5", "x", "y", "z", "12"] ["DEBUG", "DIGEST"];
    "stream_reload": ["CONFIG", "SET", "stream-node-max-entries", "2"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "b", "3"] ["XDEL", "s", "2-1"] ["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"] ["DEBUG", "RELOAD"] ["XINFO", "STREAM", "s", "FULL"] ["XINFO", "STREAM", "e"] ["DUMP", "s"] ["CONFIG", "SET", "stream-node-max-entries", "100"];
    "stream_keyspace_events": ["@ignore", "HELLO", "3"] ["CONFIG", "SET", "notify-keyspace-events", "KEA"] ["PSUBSCRIBE", "__keyevent@0__:*"] ["@raw", "*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n1-1\r\n$1\r\na\r\n$1\r\n1\r\n"] ["@raw", "*7\r\n$4\r\nXADD\r\n$1\r\ns\r\n$6\r\nMAXLEN\r\n$1\r\n1\r\n$3\r\n2-1\r\n$1\r\na\r\n$1\r\n2\r\n"] ["@raw", "*4\r\n$4\r\nXDEL\r\n$1\r\ns\r\n$3\r\n2-1\r\n$3\r\n9-9\r\n"] ["@raw", "*3\r\n$4\r\nXDEL\r\n$1\r\ns\r\n$3\r\n9-9\r\n"] ["@raw", "*3\r\n$6\r\nXSETID\r\n$1\r\ns\r\n$3\r\n5-5\r\n"] ["@raw", "*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n6-1\r\n$1\r\na\r\n$1\r\n3\r\n"] ["@raw", "*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n7-1\r\n$1\r\na\r\n$1\r\n4\r\n"] ["@raw", "*4\r\n$5\r\nXTRIM\r\n$1\r\ns\r\n$6\r\nMAXLEN\r\n$1\r\n0\r\n"] ["@raw", "*4\r\n$5\r\nXTRIM\r\n$1\r\ns\r\n$6\r\nMAXLEN\r\n$1\r\n0\r\n"] ["@raw", "*6\r\n$4\r\nXADD\r\n$1\r\nn\r\n$10\r\nNOMKSTREAM\r\n$1\r\n*\r\n$1\r\na\r\n$1\r\n1\r\n"] ["CONFIG", "SET", "notify-keyspace-events", ""];
    // ---------------------------------------------------------------- XREAD (no blocking)
    "xread_basic": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "t", "5-1", "b", "1"] ["XREAD", "STREAMS", "s", "0"] ["XREAD", "STREAMS", "s", "1-1"] ["XREAD", "STREAMS", "s", "2-1"] ["XREAD", "COUNT", "1", "STREAMS", "s", "t", "0", "0"] ["XREAD", "STREAMS", "s", "nokey", "t", "0", "0", "5"] ["XREAD", "STREAMS", "s", "$"] ["XREAD", "STREAMS", "s", "1"];
    "xread_errors": ["XADD", "s", "1-1", "a", "1"] ["XREAD", "STREAMS", "s"] ["XREAD", "STREAMS"] ["XREAD", "STREAMS", "s", "t", "0"] ["XREAD", "STREAMS", "s", ">"] ["XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"] ["XREAD", "NOACK", "STREAMS", "s", "0"] ["XREAD", "FOO", "STREAMS", "s", "0"] ["XREAD", "COUNT", "x", "STREAMS", "s", "0"] ["XREAD", "BLOCK", "x", "STREAMS", "s", "0"] ["XREAD", "BLOCK", "-1", "STREAMS", "s", "0"] ["XREAD", "BLOCK", "1.5", "STREAMS", "s", "0"] ["XREAD", "STREAMS", "s", "x"] ["XREAD", "STREAMS", "s", "-"] ["XREAD", "COUNT", "-3", "STREAMS", "s", "0"] ["XREAD", "COUNT", "1"];
    "xread_wrongtype_order": ["SET", "k", "v"] ["XADD", "s", "1-1", "a", "1"] ["XREAD", "STREAMS", "s", "k", "0", "0"] ["XREAD", "STREAMS", "s", "k", "x", "0"] ["XREAD", "STREAMS", "k", "s", "0", "x"];
    "xread_in_multi_does_not_block": ["MULTI"] ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"] ["XREAD", "BLOCK", "100", "STREAMS", "s", "0"] ["EXEC"];
    "xread_resp3": ["@ignore", "HELLO", "3"] ["XADD", "s", "1-1", "a", "1"] ["XADD", "t", "1-1", "b", "2"] ["XREAD", "STREAMS", "s", "t", "0", "0"] ["XREAD", "STREAMS", "s", "$"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"] ["XPENDING", "s", "g"] ["XPENDING", "s", "nogroup"] ["XAUTOCLAIM", "s", "g", "d", "0", "0", "JUSTID"] ["XINFO", "GROUPS", "s"] ["XGROUP", "DESTROY", "s", "g"] ["XGROUP", "CREATE", "s", "g", "0"] ["XPENDING", "s", "g"];

    // ---------------------------------------------------------------- XGROUP
    "xgroup_create": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XGROUP", "CREATE", "s", "g", "0"] ["XGROUP", "CREATE", "s", "last", "$"] ["XGROUP", "CREATE", "s", "mid", "1", "ENTRIESREAD", "1"] ["XGROUP", "CREATE", "s", "unk", "1-0", "ENTRIESREAD", "-1", "MKSTREAM"] ["XINFO", "GROUPS", "s"] ["XINFO", "STREAM", "s"];
    "xgroup_create_errors": ["XGROUP", "CREATE", "nokey", "g", "0"] ["XGROUP", "CREATE", "nokey", "g", "x", "MKSTREAM"] ["EXISTS", "nokey"] ["XGROUP", "CREATE", "nokey", "g", "$", "MKSTREAM"] ["XINFO", "STREAM", "nokey"] ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "x"] ["XGROUP", "CREATE", "s", "g", "-"] ["XGROUP", "CREATE", "s", "g", "0", "FOO"] ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD"] ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "-2"] ["XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "x"] ["XGROUP", "CREATE", "s", "g", "0", "MKSTREAM", "MKSTREAM", "MKSTREAM", "MKSTREAM"] ["XGROUP", "CREATE", "s", "g"] ["SET", "k", "v"] ["XGROUP", "CREATE", "k", "g", "0"] ["XGROUP", "CREATE", "k", "g", "0", "MKSTREAM"];
    "xgroup_setid": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XGROUP", "CREATE", "s", "g", "0"] ["XGROUP", "SETID", "s", "g", "1-1"] ["XINFO", "GROUPS", "s"] ["XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "2"] ["XINFO", "GROUPS", "s"] ["XGROUP", "SETID", "s", "g", "-"] ["XINFO", "GROUPS", "s"] ["XGROUP", "SETID", "s", "g", "+"] ["XINFO", "GROUPS", "s"] ["XGROUP", "SETID", "s", "nog", "0"] ["XGROUP", "SETID", "nokey", "g", "0"] ["XGROUP", "SETID", "s", "g", "x"] ["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD"] ["XGROUP", "SETID", "s", "g", "0", "FOO", "1"] ["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "-5"];
    "xgroup_consumers_and_destroy": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XGROUP", "CREATECONSUMER", "s", "g", "c1"] ["XGROUP", "CREATECONSUMER", "s", "g", "c1"] ["XGROUP", "CREATECONSUMER", "s", "nog", "c1"] ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"] ["XINFO", "GROUPS", "s"] ["XPENDING", "s", "g"] ["XGROUP", "DELCONSUMER", "s", "g", "c2"] ["XGROUP", "DELCONSUMER", "s", "g", "c2"] ["XGROUP", "DELCONSUMER", "s", "g", "c1"] ["XPENDING", "s", "g"] ["XINFO", "GROUPS", "s"] ["XGROUP", "DESTROY", "s", "g"] ["XGROUP", "DESTROY", "s", "g"] ["XGROUP", "DESTROY", "nokey", "g"] ["XINFO", "GROUPS", "s"];
    "xgroup_help_and_syntax": ["XGROUP", "HELP"] ["XGROUP"] ["XGROUP", "FOO"] ["XGROUP", "HELP", "x"] ["XGROUP", "DESTROY", "s"] ["XGROUP", "CREATECONSUMER", "s", "g"];

    // ---------------------------------------------------------------- XREADGROUP
    "xreadgroup_new_and_history": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "b", "3"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"] ["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"] ["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "1-1"] ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", "0"] ["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"] ["XPENDING", "s", "g"] ["XINFO", "GROUPS", "s"];
    "xreadgroup_noack": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c", "NOACK", "COUNT", "1", "STREAMS", "s", ">"] ["XPENDING", "s", "g"] ["XINFO", "GROUPS", "s"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"];
    "xreadgroup_deleted_entry_in_history": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"] ["XDEL", "s", "1-1"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"] ["XINFO", "GROUPS", "s"] ["XPENDING", "s", "g"];
    "xreadgroup_lag_and_entries_read": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XADD", "s", "4-1", "a", "4"] ["XGROUP", "CREATE", "s", "g", "0"] ["XINFO", "GROUPS", "s"] ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"] ["XINFO", "GROUPS", "s"] ["XDEL", "s", "3-1"] ["XINFO", "GROUPS", "s"] ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"] ["XINFO", "GROUPS", "s"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"] ["XINFO", "GROUPS", "s"] ["XGROUP", "CREATE", "s", "h", "2-1"] ["XINFO", "GROUPS", "s"] ["XGROUP", "SETID", "s", "h", "4-1"] ["XINFO", "GROUPS", "s"] ["XTRIM", "s", "MAXLEN", "0"] ["XINFO", "GROUPS", "s"];
    "xreadgroup_errors": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "nokey", ">"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"] ["XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"] ["SET", "k", "v"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"] ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "k", ">", ">"] ["XPENDING", "s", "g"];

    // ---------------------------------------------------------------- XACK / XPENDING / XCLAIM / XAUTOCLAIM
    "xack_and_pending": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"] ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"] ["XPENDING", "s", "g"] ["XPENDING", "s", "g", "IDLE", "99999999", "-", "+", "10"] ["XPENDING", "s", "g", "-", "+", "0"] ["XPENDING", "s", "g", "(1-1", "(3-1", "10", "nobody"] ["XACK", "s", "g", "1-1", "1-1", "9-9"] ["XACK", "s", "g", "2-1", "x"] ["XACK", "s", "nog", "2-1"] ["XACK", "nokey", "g", "2-1"] ["XPENDING", "s", "g"] ["XACK", "s", "g", "2-1", "3-1"] ["XPENDING", "s", "g"];
    "xpending_errors": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XPENDING", "s", "g", "-"] ["XPENDING", "s", "g", "-", "+"] ["XPENDING", "s", "g", "-", "+", "x"] ["XPENDING", "s", "g", "x", "+", "1"] ["XPENDING", "s", "g", "-", "y", "1"] ["XPENDING", "s", "g", "IDLE", "x", "-", "+", "1"] ["XPENDING", "s", "g", "IDLE", "5", "-", "+"] ["XPENDING", "s", "g", "(18446744073709551615-18446744073709551615", "+", "1"] ["XPENDING", "s", "g", "-", "(0-0", "1"] ["XPENDING", "s", "nog"] ["XPENDING", "s", "nog", "-", "+", "1"] ["SET", "k", "v"] ["XPENDING", "k", "g"] ["XPENDING", "s", "g", "-", "+", "1", "c", "extra", "more"];
    "xclaim": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"] ["XCLAIM", "s", "g", "c2", "0", "1-1"] ["XCLAIM", "s", "g", "c2", "99999999", "2-1"] ["XCLAIM", "s", "g", "c2", "0", "2-1", "3-1", "9-9", "JUSTID"] ["XPENDING", "s", "g"] ["XADD", "s", "4-1", "a", "4"] ["XCLAIM", "s", "g", "c3", "0", "4-1"] ["XCLAIM", "s", "g", "c3", "0", "4-1", "FORCE", "JUSTID", "LASTID", "4-1"] ["XINFO", "GROUPS", "s"] ["XCLAIM", "s", "g", "c3", "0", "1-1", "RETRYCOUNT", "9", "IDLE", "0", "TIME", "0", "JUSTID"] ["XDEL", "s", "1-1"] ["XCLAIM", "s", "g", "c3", "0", "1-1"] ["XPENDING", "s", "g"] ["XCLAIM", "s", "g", "c3", "0", "5-5", "LASTID", "9-9"] ["XINFO", "GROUPS", "s"];
    "xclaim_errors": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XCLAIM", "s", "nog", "c", "0", "1-1"] ["XCLAIM", "nokey", "g", "c", "0", "1-1"] ["XCLAIM", "s", "g", "c", "x", "1-1"] ["XCLAIM", "s", "g", "c", "0", "x"] ["XCLAIM", "s", "g", "c", "0", "1-1", "IDLE"] ["XCLAIM", "s", "g", "c", "0", "1-1", "IDLE", "x"] ["XCLAIM", "s", "g", "c", "0", "1-1", "TIME", "x"] ["XCLAIM", "s", "g", "c", "0", "1-1", "RETRYCOUNT", "x"] ["XCLAIM", "s", "g", "c", "0", "1-1", "LASTID", "-"] ["XCLAIM", "s", "g", "c", "0", "1-1", "justid", "force", "2-1"] ["XCLAIM", "s", "g", "c", "-5", "1-1", "FORCE", "JUSTID"] ["SET", "k", "v"] ["XCLAIM", "k", "g", "c", "0", "1-1"] ["XCLAIM", "s", "g", "c", "0"];
    "xautoclaim": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XADD", "s", "3-1", "a", "3"] ["XADD", "s", "4-1", "a", "4"] ["XGROUP", "CREATE", "s", "g", "0"] ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"] ["XAUTOCLAIM", "s", "g", "c2", "0", "0", "COUNT", "2"] ["XAUTOCLAIM", "s", "g", "c2", "0", "3-1", "COUNT", "1", "JUSTID"] ["XAUTOCLAIM", "s", "g", "c2", "99999999", "0"] ["XDEL", "s", "2-1", "4-1"] ["XAUTOCLAIM", "s", "g", "c3", "0", "0", "JUSTID"] ["XAUTOCLAIM", "s", "g", "c3", "0", "(1-1"] ["XPENDING", "s", "g"] ["XAUTOCLAIM", "s", "g", "c4", "0", "0", "COUNT", "1"] ["XAUTOCLAIM", "s", "g", "c4", "0", "9-9"];
    "xautoclaim_errors": ["XADD", "s", "1-1", "a", "1"] ["XGROUP", "CREATE", "s", "g", "0"] ["XAUTOCLAIM", "s", "g", "c", "x", "0"] ["XAUTOCLAIM", "s", "g", "c", "0", "x"] ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"] ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "x"] ["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "99999999999999999"] ["XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO"] ["XAUTOCLAIM", "s", "g", "c", "0", "(18446744073709551615-18446744073709551615"] ["XAUTOCLAIM", "s", "nog", "c", "0", "0"] ["XAUTOCLAIM", "nokey", "g", "c", "0", "0"] ["SET", "k", "v"] ["XAUTOCLAIM", "k", "g", "c", "0", "0"] ["XAUTOCLAIM", "k", "g", "c", "x", "0"];
    "groups_survive_reload_and_dump": ["XADD", "s", "1-1", "a", "1"] ["XADD", "s", "2-1", "a", "2"] ["XGROUP", "CREATE", "s", "g", "0"] ["XGROUP", "CREATE", "s", "h", "$", "ENTRIESREAD", "2"] ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"] ["XGROUP", "CREATECONSUMER", "s", "h", "idle"] ["DEBUG", "RELOAD"] ["XINFO", "GROUPS", "s"] ["XPENDING", "s", "g"] ["COPY", "s", "t"] ["XINFO", "GROUPS", "t"] ["XPENDING", "t", "g"] ["DEBUG", "DIGEST-VALUE", "s", "t"];
};

#[test]
fn stream_commands_match_redis() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

#[test]
fn enough_cases() {
    assert!(CASES.len() >= 50, "only {} cases", CASES.len());
}

/// A stream with consumer groups, pending entries and consumers, made by a
/// real Redis (ferrodis has no group commands yet) and moved with DUMP /
/// RESTORE: both servers must show the same groups, and DUMP it back byte
/// for byte.
#[test]
fn consumer_groups_from_a_redis_payload() {
    let Some(redis) = common::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let source = Server::start(&redis, common::diff::SERVER_ARGS);
    let mut src = source.client();
    for args in [
        &["XADD", "s", "1-1", "a", "1"][..],
        &["XADD", "s", "2-1", "a", "2"],
        &["XADD", "s", "3-1", "b", "3"],
        &["XADD", "s", "4-1", "b", "4"],
        &["XGROUP", "CREATE", "s", "g1", "0"],
        &["XGROUP", "CREATE", "s", "g2", "$"],
        &["XGROUP", "CREATE", "s", "g0", "2-1", "ENTRIESREAD", "2"],
        &[
            "XREADGROUP",
            "GROUP",
            "g1",
            "alice",
            "COUNT",
            "2",
            "STREAMS",
            "s",
            ">",
        ],
        &[
            "XREADGROUP",
            "GROUP",
            "g1",
            "bob",
            "COUNT",
            "1",
            "STREAMS",
            "s",
            ">",
        ],
        &["XGROUP", "CREATECONSUMER", "s", "g1", "carol"],
        &["XACK", "s", "g1", "2-1"],
        &["XDEL", "s", "4-1"],
    ] {
        assert!(!matches!(src.cmd(args), Reply::Error(_)), "{args:?}");
    }
    let Reply::Bulk(Some(payload)) = src.cmd(&["DUMP", "s"]) else {
        panic!("no DUMP payload");
    };
    let run = |binary: &std::path::Path| -> Vec<Vec<u8>> {
        let server = Server::start(binary, common::diff::SERVER_ARGS);
        let mut c = server.client();
        let restore: Vec<&[u8]> = vec![b"RESTORE", b"s", b"0", &payload];
        c.send_cmd(&restore);
        let mut out = vec![c.read_raw_reply()];
        for args in [
            &["XINFO", "STREAM", "s", "FULL"][..],
            &["XINFO", "GROUPS", "s"],
            &["XINFO", "STREAM", "s"],
            &["DUMP", "s"],
            &["DEBUG", "DIGEST-VALUE", "s"],
            &["XINFO", "CONSUMERS", "s", "nogroup"],
        ] {
            let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            c.send_cmd(&argv);
            out.push(c.read_raw_reply());
        }
        out
    };
    let expected = run(&redis);
    let got = run(&common::server_binary());
    assert_eq!(expected[0], b"+OK\r\n");
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        assert!(
            e == g,
            "step {i}: expected {:?}, got {:?}",
            common::escape(e),
            common::escape(g)
        );
    }
}

/// Timestamps and idle times differ between two runs by the time between
/// them: integers within ten minutes of now become `NOW`, and the idle
/// field of XPENDING's entries and XINFO CONSUMERS becomes 0.
fn mask_times(r: Reply, now_ms: i64) -> Reply {
    match r {
        Reply::Int(v) if (v - now_ms).abs() < 600_000 => Reply::Status("NOW".into()),
        Reply::Array(Some(items)) => Reply::Array(Some(
            items.into_iter().map(|r| mask_times(r, now_ms)).collect(),
        )),
        other => other,
    }
}

fn mask_idle(r: Reply, at: usize) -> Reply {
    match r {
        Reply::Array(Some(rows)) => Reply::Array(Some(
            rows.into_iter()
                .map(|row| match row {
                    Reply::Array(Some(mut f)) if f.len() > at => {
                        f[at] = Reply::Int(0);
                        Reply::Array(Some(f))
                    }
                    other => other,
                })
                .collect(),
        )),
        other => other,
    }
}

/// Delivery counts, owners, delivery times given with TIME, consumers and
/// their pending lists after reads, claims and automatic claims: equal to
/// Redis's once wall-clock values are masked.
#[test]
fn pending_entries_details_match_redis() {
    let Some(redis) = common::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let script: &[&[&str]] = &[
        &["XADD", "s", "1-1", "a", "1"],
        &["XADD", "s", "2-1", "a", "2"],
        &["XADD", "s", "3-1", "b", "3"],
        &["XADD", "s", "4-1", "b", "4"],
        &["XGROUP", "CREATE", "s", "g", "0"],
        &[
            "XREADGROUP",
            "GROUP",
            "g",
            "alice",
            "COUNT",
            "3",
            "STREAMS",
            "s",
            ">",
        ],
        &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
        &["XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", "1000"],
        &[
            "XCLAIM",
            "s",
            "g",
            "bob",
            "0",
            "2-1",
            "RETRYCOUNT",
            "7",
            "JUSTID",
        ],
        &["XCLAIM", "s", "g", "carol", "0", "4-1", "FORCE", "JUSTID"],
        &[
            "XCLAIM", "s", "g", "carol", "0", "3-1", "IDLE", "5000", "JUSTID",
        ],
        &["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1"],
        &["XGROUP", "CREATECONSUMER", "s", "g", "erin"],
        &["XPENDING", "s", "g"],
        &["XPENDING", "s", "g", "-", "+", "100"],
        &["XPENDING", "s", "g", "-", "+", "100", "carol"],
        &["XINFO", "CONSUMERS", "s", "g"],
        &["XINFO", "STREAM", "s", "FULL"],
        &["XINFO", "GROUPS", "s"],
    ];
    let run = |binary: &std::path::Path| -> Vec<Reply> {
        let server = Server::start(binary, common::diff::SERVER_ARGS);
        let mut c = server.client();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        script
            .iter()
            .map(|args| {
                let r = mask_times(c.cmd(args), now);
                match args[..2] {
                    ["XPENDING", _] if args.len() > 3 => mask_idle(r, 2),
                    ["XINFO", "CONSUMERS"] => mask_idle(r, 5),
                    _ => r,
                }
            })
            .collect()
    };
    let expected = run(&redis);
    let got = run(&common::server_binary());
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        assert_eq!(e, g, "step {i}: {:?}", script[i]);
    }
}

/// XREADGROUP of new entries, waiting for them.
const GROUP_READ: &[&str] = &[
    "XREADGROUP",
    "GROUP",
    "g",
    "c",
    "BLOCK",
    "0",
    "STREAMS",
    "s",
    ">",
];

/// Blocking reads on both servers, step by step over two connections:
/// XREAD BLOCK with `$` and with an ID, served by an XADD from another
/// client (only what arrived after `$`), a timeout, XREADGROUP BLOCK `>`
/// served into the consumer's pending list, and a group destroyed under a
/// blocked reader. Replies are compared byte for byte.
#[test]
fn blocking_reads_match_redis() {
    let Some(redis) = common::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let run = |binary: &std::path::Path| -> Vec<Vec<u8>> {
        let server = Server::start(binary, common::diff::SERVER_ARGS);
        let mut w = server.client();
        let mut r = server.client();
        let mut out = Vec::new();
        let send = |c: &mut common::Client, args: &[&str]| {
            let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            c.send_cmd(&argv);
        };
        w.cmd(&["XADD", "s", "1-1", "a", "1"]);
        // `$`: only entries added after the read started.
        send(
            &mut r,
            &["XREAD", "BLOCK", "0", "STREAMS", "s", "t", "$", "$"],
        );
        w.wait_blocked(1);
        w.cmd(&["XADD", "t", "5-1", "b", "2"]);
        out.push(r.read_raw_reply());
        // An explicit ID, COUNT, and an XADD that does not reach it.
        send(
            &mut r,
            &["XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "2-0"],
        );
        w.wait_blocked(1);
        w.cmd(&["XADD", "s", "2-0", "a", "2"]);
        w.cmd(&["XADD", "s", "3-1", "a", "3"]);
        w.cmd(&["XADD", "s", "3-2", "a", "4"]);
        out.push(r.read_raw_reply());
        // A timeout.
        send(&mut r, &["XREAD", "BLOCK", "50", "STREAMS", "s", "$"]);
        out.push(r.read_raw_reply());
        // A group read waits for new entries and owns what it gets.
        w.cmd(&["XGROUP", "CREATE", "s", "g", "$"]);
        send(&mut r, GROUP_READ);
        w.wait_blocked(1);
        w.cmd(&["XADD", "s", "4-1", "a", "5"]);
        out.push(r.read_raw_reply());
        for args in [
            &["XPENDING", "s", "g"][..],
            &["XINFO", "GROUPS", "s"],
            &["XLEN", "s"],
        ] {
            send(&mut w, args);
            out.push(w.read_raw_reply());
        }
        // The group goes away under a blocked reader.
        send(&mut r, GROUP_READ);
        w.wait_blocked(1);
        w.cmd(&["XGROUP", "DESTROY", "s", "g"]);
        out.push(r.read_raw_reply());
        out
    };
    let expected = run(&redis);
    let got = run(&common::server_binary());
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        assert!(
            e == g,
            "step {i}: expected {:?}, got {:?}",
            common::escape(e),
            common::escape(g)
        );
    }
}
