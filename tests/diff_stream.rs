//! Differential cases for the stream commands (XADD XLEN XRANGE XREVRANGE
//! XDEL XTRIM XSETID XINFO): every option and error reply, Redis's ID
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
