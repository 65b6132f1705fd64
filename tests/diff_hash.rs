//! Differential cases for the hash commands (HSET ... HSCAN): every command,
//! option and error reply, WRONGTYPE against a string, empty-key deletion,
//! the listpack/hashtable encodings across their thresholds, RESP3 shapes,
//! and random commands only where the reply is deterministic (a one-field
//! hash, a count covering the whole hash). Syntax of the table: see the
//! header of `tests/differential.rs`.
//!
//! Listpack hashes reply in insertion order, which Redis shares, so those
//! replies are compared exactly; hashtable replies use `@pairs`/`@sorted`.
//! Cases that lower a threshold with CONFIG SET restore it as their last
//! step, since the servers live for the whole suite.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::diff::{cases, Case};
use common::{Client, Reply, Server};

/// 64 bytes: the longest field or value a listpack hash keeps.
const S64: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
/// 65 bytes: one more, which converts to hashtable.
const S65: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm";

const CASES: &[Case] = cases! {
    // ---------------------------------------------------------------- HSET / HMSET / HSETNX
    "hset_basic": ["HSET", "h", "a", "1", "b", "2"] ["HSET", "h", "a", "3", "c", "4"] ["HGETALL", "h"] ["HLEN", "h"] ["TYPE", "h"] ["OBJECT", "ENCODING", "h"];
    "hset_duplicate_fields_in_one_call": ["HSET", "h", "a", "1", "a", "2"] ["HGET", "h", "a"] ["HLEN", "h"] ["HGETALL", "h"];
    "hset_update_keeps_position": ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HSET", "h", "b", "22"] ["HGETALL", "h"] ["HSET", "h", "a", "a much longer value than before"] ["HGETALL", "h"];
    "hset_readd_goes_last": ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HDEL", "h", "a"] ["HSET", "h", "a", "9"] ["HKEYS", "h"] ["HVALS", "h"];
    "hset_odd_args": ["HSET", "h", "a", "1", "b"] ["HSET", "h", "a"] ["EXISTS", "h"];
    "hset_arity": ["HSET"] ["HSET", "h"] ["HsEt", "h", "a"];
    "hset_case_insensitive_name": ["hset", "h", "a", "1"] ["HsEt", "h", "b", "2"] ["hgetall", "h"];
    "hset_binary": ["HSET", "h", "a\u{0}b", "v\r\nw", "", ""] ["HGET", "h", "a\u{0}b"] ["HGET", "h", ""] ["HGETALL", "h"] ["HSTRLEN", "h", "a\u{0}b"];
    "hset_wrongtype": ["SET", "s", "v"] ["HSET", "s", "a", "1"] ["GET", "s"];
    "hset_odd_args_beat_wrongtype": ["SET", "s", "v"] ["HSET", "s", "a", "1", "b"] ["HMSET", "s", "a"];
    "hset_keeps_ttl": ["HSET", "h", "a", "1"] ["EXPIRE", "h", "1000"] ["HSET", "h", "b", "2"] ["@approx", "2", "TTL", "h"];
    "hset_per_db": ["SELECT", "1"] ["HSET", "h", "a", "1"] ["SELECT", "0"] ["HGET", "h", "a"] ["EXISTS", "h"] ["SELECT", "1"] ["HGET", "h", "a"];
    "hmset_basic": ["HMSET", "h", "a", "1", "b", "2"] ["HMSET", "h", "a", "x"] ["HGETALL", "h"];
    "hmset_odd_args": ["HMSET", "h", "a", "1", "b"] ["HMSET", "h", "a"] ["EXISTS", "h"];
    "hmset_wrongtype": ["SET", "s", "v"] ["HMSET", "s", "a", "1"];
    "hsetnx_basic": ["HSETNX", "h", "a", "1"] ["HSETNX", "h", "a", "2"] ["HGET", "h", "a"] ["HSETNX", "h", "b", "3"] ["HGETALL", "h"];
    "hsetnx_arity": ["HSETNX", "h", "a"] ["HSETNX", "h", "a", "1", "b"];
    "hsetnx_wrongtype": ["SET", "s", "v"] ["HSETNX", "s", "a", "1"];

    // ---------------------------------------------------------------- HGET / HMGET / HEXISTS / HLEN / HSTRLEN
    "hget_basic": ["HGET", "nokey", "a"] ["HSET", "h", "a", "1"] ["HGET", "h", "a"] ["HGET", "h", "b"] ["HGET", "h", "A"];
    "hget_arity": ["HGET", "h"] ["HGET", "h", "a", "b"];
    "hget_wrongtype": ["SET", "s", "v"] ["HGET", "s", "a"];
    "hmget_basic": ["HMGET", "nokey", "a", "b"] ["HSET", "h", "a", "1", "c", "3"] ["HMGET", "h", "a", "b", "c", "a"];
    "hmget_arity": ["HMGET", "h"];
    "hmget_wrongtype": ["SET", "s", "v"] ["HMGET", "s", "a"];
    "hexists_basic": ["HEXISTS", "nokey", "a"] ["HSET", "h", "a", "1", "", "e"] ["HEXISTS", "h", "a"] ["HEXISTS", "h", "b"] ["HEXISTS", "h", ""];
    "hexists_arity": ["HEXISTS", "h"] ["HEXISTS", "h", "a", "b"];
    "hexists_wrongtype": ["SET", "s", "v"] ["HEXISTS", "s", "a"];
    "hlen_basic": ["HLEN", "nokey"] ["HSET", "h", "a", "1", "b", "2"] ["HLEN", "h"] ["HDEL", "h", "a"] ["HLEN", "h"];
    "hlen_arity": ["HLEN"] ["HLEN", "h", "x"];
    "hlen_wrongtype": ["SET", "s", "v"] ["HLEN", "s"];
    "hstrlen_basic": ["HSTRLEN", "nokey", "a"] ["HSET", "h", "a", "hello", "n", "12345", "m", "-1", "e", ""] ["HSTRLEN", "h", "a"] ["HSTRLEN", "h", "n"] ["HSTRLEN", "h", "m"] ["HSTRLEN", "h", "e"] ["HSTRLEN", "h", "zz"];
    "hstrlen_arity": ["HSTRLEN", "h"] ["HSTRLEN", "h", "a", "b"];
    "hstrlen_wrongtype": ["SET", "s", "v"] ["HSTRLEN", "s", "a"];

    // ---------------------------------------------------------------- HDEL
    "hdel_basic": ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HDEL", "h", "a", "x"] ["HDEL", "h", "a"] ["HGETALL", "h"] ["HLEN", "h"];
    "hdel_last_field_deletes_key": ["HSET", "h", "a", "1", "b", "2"] ["HDEL", "h", "a", "b", "c"] ["EXISTS", "h"] ["TYPE", "h"] ["HLEN", "h"] ["HGETALL", "h"];
    "hdel_duplicates": ["HSET", "h", "a", "1", "b", "2"] ["HDEL", "h", "a", "a", "a"] ["HDEL", "h", "b", "b"] ["EXISTS", "h"];
    "hdel_missing_key": ["HDEL", "nokey", "a"] ["EXISTS", "nokey"];
    "hdel_recreate_has_no_ttl": ["HSET", "h", "a", "1"] ["EXPIRE", "h", "1000"] ["HDEL", "h", "a"] ["HSET", "h", "a", "1"] ["TTL", "h"];
    "hdel_arity": ["HDEL", "h"] ["HDEL"];
    "hdel_wrongtype": ["SET", "s", "v"] ["HDEL", "s", "a"];

    // ---------------------------------------------------------------- HGETALL / HKEYS / HVALS
    "hgetall_order": ["HSET", "h", "z", "1", "a", "2", "m", "3"] ["HGETALL", "h"] ["HKEYS", "h"] ["HVALS", "h"];
    "hgetall_missing": ["HGETALL", "nokey"] ["HKEYS", "nokey"] ["HVALS", "nokey"];
    "hgetall_arity": ["HGETALL"] ["HGETALL", "a", "b"] ["HKEYS"] ["HKEYS", "a", "b"] ["HVALS"] ["HVALS", "a", "b"];
    "hgetall_wrongtype": ["SET", "s", "v"] ["HGETALL", "s"] ["HKEYS", "s"] ["HVALS", "s"];
    "hgetall_many_listpack": ["HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3", "f4", "v4", "f5", "v5", "f6", "v6", "f7", "v7", "f8", "v8", "f9", "v9", "f10", "v10", "f11", "v11", "f12", "v12"] ["HGETALL", "h"] ["HKEYS", "h"] ["HVALS", "h"] ["OBJECT", "ENCODING", "h"];

    // ---------------------------------------------------------------- HINCRBY
    "hincrby_basic": ["HINCRBY", "h", "f", "5"] ["HINCRBY", "h", "f", "-10"] ["HGET", "h", "f"] ["HINCRBY", "h", "f", "0"] ["HGETALL", "h"];
    "hincrby_existing_int": ["HSET", "h", "f", "100"] ["HINCRBY", "h", "f", "23"] ["HSTRLEN", "h", "f"];
    "hincrby_bad_increment": ["HINCRBY", "h", "f", "abc"] ["HINCRBY", "h", "f", "1.5"] ["HINCRBY", "h", "f", ""] ["HINCRBY", "h", "f", "+1"] ["HINCRBY", "h", "f", " 1"] ["HINCRBY", "h", "f", "9223372036854775808"] ["EXISTS", "h"];
    "hincrby_bad_value": ["HSET", "h", "a", "abc", "b", "1.0", "c", " 1", "d", "+1", "e", "01", "f", "", "g", "-0"] ["HINCRBY", "h", "a", "1"] ["HINCRBY", "h", "b", "1"] ["HINCRBY", "h", "c", "1"] ["HINCRBY", "h", "d", "1"] ["HINCRBY", "h", "e", "1"] ["HINCRBY", "h", "f", "1"] ["HINCRBY", "h", "g", "1"];
    "hincrby_overflow": ["HSET", "h", "f", "9223372036854775807"] ["HINCRBY", "h", "f", "1"] ["HINCRBY", "h", "f", "-1"] ["HSET", "h", "f", "-9223372036854775808"] ["HINCRBY", "h", "f", "-1"] ["HINCRBY", "h", "f", "9223372036854775807"] ["HGET", "h", "f"];
    "hincrby_extremes": ["HINCRBY", "h", "a", "9223372036854775807"] ["HINCRBY", "h", "b", "-9223372036854775808"] ["HINCRBY", "h", "b", "-1"] ["HGETALL", "h"];
    "hincrby_negative_zero_incr": ["HINCRBY", "h", "f", "-0"] ["HINCRBY", "h", "f", "-1"];
    "hincrby_arity": ["HINCRBY", "h", "f"] ["HINCRBY", "h", "f", "1", "2"];
    "hincrby_wrongtype": ["SET", "s", "v"] ["HINCRBY", "s", "f", "1"] ["HINCRBY", "s", "f", "abc"];
    "hincrby_keeps_listpack": ["HSET", "h", "a", "1"] ["HINCRBY", "h", "a", "1000000"] ["OBJECT", "ENCODING", "h"];

    // ---------------------------------------------------------------- HINCRBYFLOAT
    "hincrbyfloat_basic": ["HINCRBYFLOAT", "h", "f", "10.5"] ["HINCRBYFLOAT", "h", "f", "0.1"] ["HGET", "h", "f"] ["HINCRBYFLOAT", "h", "f", "-10.6"];
    "hincrbyfloat_exponents": ["HINCRBYFLOAT", "h", "f", "5.0e3"] ["HINCRBYFLOAT", "h", "f", "2.0e2"] ["HINCRBYFLOAT", "h", "f", "1E-2"] ["HGET", "h", "f"];
    "hincrbyfloat_precision": ["HINCRBYFLOAT", "h", "f", "0.1"] ["HINCRBYFLOAT", "h", "f", "0.2"] ["HINCRBYFLOAT", "h", "g", "1.1"] ["HINCRBYFLOAT", "h", "g", "1.1"] ["HINCRBYFLOAT", "h", "g", "1.1"] ["HINCRBYFLOAT", "h", "p", "3.14159265358979323846"];
    "hincrbyfloat_integral_result": ["HINCRBYFLOAT", "h", "f", "1.5"] ["HINCRBYFLOAT", "h", "f", "1.5"] ["HGET", "h", "f"] ["HINCRBY", "h", "f", "1"];
    "hincrbyfloat_negative_zero": ["HINCRBYFLOAT", "h", "f", "-0"] ["HINCRBYFLOAT", "h", "g", "-0.0"] ["HGETALL", "h"];
    "hincrbyfloat_tiny_and_huge": ["HINCRBYFLOAT", "h", "a", "1e-20"] ["HINCRBYFLOAT", "h", "b", "1.5e-10"] ["HINCRBYFLOAT", "h", "c", "1e20"] ["HINCRBYFLOAT", "h", "d", "1e300"] ["HSTRLEN", "h", "d"];
    "hincrbyfloat_existing_values": ["HSET", "h", "i", "10", "e", "1e3", "x", "0x10", "s", "  1"] ["HINCRBYFLOAT", "h", "i", "1.5"] ["HINCRBYFLOAT", "h", "e", "1"] ["HINCRBYFLOAT", "h", "x", "1"] ["HINCRBYFLOAT", "h", "s", "1"];
    "hincrbyfloat_bad_increment": ["HINCRBYFLOAT", "h", "f", "abc"] ["HINCRBYFLOAT", "h", "f", ""] ["HINCRBYFLOAT", "h", "f", " 1"] ["HINCRBYFLOAT", "h", "f", "1 "] ["HINCRBYFLOAT", "h", "f", "nan"] ["HINCRBYFLOAT", "h", "f", "1e99999"] ["EXISTS", "h"];
    "hincrbyfloat_nan_or_infinity_increment": ["HINCRBYFLOAT", "h", "f", "inf"] ["HINCRBYFLOAT", "h", "f", "-inf"] ["HINCRBYFLOAT", "h", "f", "+inf"] ["HINCRBYFLOAT", "h", "f", "Infinity"] ["EXISTS", "h"];
    "hincrbyfloat_bad_value": ["HSET", "h", "a", "abc", "b", "", "c", "nan", "d", "1e99999"] ["HINCRBYFLOAT", "h", "a", "1"] ["HINCRBYFLOAT", "h", "b", "1"] ["HINCRBYFLOAT", "h", "c", "1"] ["HINCRBYFLOAT", "h", "d", "1"];
    "hincrbyfloat_overflow": ["HINCRBYFLOAT", "h", "f", "1e4932"] ["HINCRBYFLOAT", "h", "f", "1e4932"] ["HSTRLEN", "h", "f"] ["HSET", "h", "g", "inf"] ["HINCRBYFLOAT", "h", "g", "1"];
    "hincrbyfloat_arity": ["HINCRBYFLOAT", "h", "f"] ["HINCRBYFLOAT", "h", "f", "1", "2"];
    "hincrbyfloat_wrongtype": ["SET", "s", "v"] ["HINCRBYFLOAT", "s", "f", "1"] ["HINCRBYFLOAT", "s", "f", "abc"] ["HINCRBYFLOAT", "s", "f", "inf"];

    // ---------------------------------------------------------------- encodings
    "encoding_small_is_listpack": ["HSET", "h", "a", "1"] ["OBJECT", "ENCODING", "h"];
    "encoding_value_64_listpack": ["HSET", "h", S64, S64] ["OBJECT", "ENCODING", "h"] ["HGET", "h", S64];
    "encoding_value_65_hashtable": ["HSET", "h", "a", "1"] ["HSET", "h", "b", S65] ["OBJECT", "ENCODING", "h"] ["HGET", "h", "b"] ["HGET", "h", "a"];
    "encoding_field_65_hashtable": ["HSET", "h", S65, "1"] ["OBJECT", "ENCODING", "h"] ["HGET", "h", S65];
    "encoding_hsetnx_long_value": ["HSETNX", "h", "a", S65] ["OBJECT", "ENCODING", "h"];
    "encoding_hsetnx_existing_no_convert": ["HSET", "h", "a", "1"] ["HSETNX", "h", "a", S65] ["OBJECT", "ENCODING", "h"];
    "encoding_hincrby_long_field": ["HSET", "h", "a", "1"] ["HINCRBY", "h", S65, "1"] ["OBJECT", "ENCODING", "h"] ["HGET", "h", S65];
    "encoding_hincrbyfloat_long_result": ["HSET", "h", "a", "1"] ["HINCRBYFLOAT", "h", "a", "1e70"] ["OBJECT", "ENCODING", "h"] ["HGET", "h", "a"];
    "encoding_hincrbyfloat_long_field": ["HSET", "h", "a", "1"] ["HINCRBYFLOAT", "h", S65, "1.5"] ["OBJECT", "ENCODING", "h"];
    "encoding_entries_threshold": ["CONFIG", "SET", "hash-max-listpack-entries", "4"] ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"] ["OBJECT", "ENCODING", "h"] ["HSET", "h", "e", "5"] ["OBJECT", "ENCODING", "h"] ["@pairs", "HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_entries_in_one_call": ["CONFIG", "SET", "hash-max-listpack-entries", "3"] ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"] ["OBJECT", "ENCODING", "h"] ["HLEN", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_never_converts_back": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HDEL", "h", "a", "b"] ["OBJECT", "ENCODING", "h"] ["HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"] ["HSET", "h", "a", "1"] ["OBJECT", "ENCODING", "h"];
    "encoding_long_value_then_delete": ["HSET", "h", "a", S65, "b", "1"] ["HDEL", "h", "a"] ["OBJECT", "ENCODING", "h"];
    "encoding_lowered_limit_update_converts": ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["OBJECT", "ENCODING", "h"] ["HSETNX", "h", "a", "9"] ["OBJECT", "ENCODING", "h"] ["HSET", "h", "a", "9"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_lowered_limit_hincrby_converts": ["HSET", "h", "a", "1", "b", "2"] ["CONFIG", "SET", "hash-max-listpack-entries", "1"] ["HINCRBY", "h", "a", "1"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_lowered_limit_hdel_keeps": ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["CONFIG", "SET", "hash-max-listpack-entries", "1"] ["HDEL", "h", "a"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_zero_entries": ["CONFIG", "SET", "hash-max-listpack-entries", "0"] ["HSET", "h", "a", "1"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "encoding_zero_value": ["CONFIG", "SET", "hash-max-listpack-value", "0"] ["HSET", "h", "", ""] ["OBJECT", "ENCODING", "h"] ["HSET", "h2", "a", ""] ["OBJECT", "ENCODING", "h2"] ["HSET", "h", "", "x"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-value", "64"];
    "encoding_value_limit_small": ["CONFIG", "SET", "hash-max-listpack-value", "3"] ["HSET", "h", "abc", "xyz"] ["OBJECT", "ENCODING", "h"] ["HINCRBY", "h", "n", "999"] ["OBJECT", "ENCODING", "h"] ["HINCRBY", "h", "n", "1"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-listpack-value", "64"];
    "encoding_raised_limit": ["CONFIG", "SET", "hash-max-listpack-value", "1000"] ["HSET", "h", S65, S65] ["OBJECT", "ENCODING", "h"] ["HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-value", "64"];
    "encoding_ziplist_alias": ["CONFIG", "SET", "hash-max-ziplist-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["OBJECT", "ENCODING", "h"] ["CONFIG", "SET", "hash-max-ziplist-entries", "512"];

    // ---------------------------------------------------------------- hashtable-encoded commands
    "hashtable_reads": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "22", "c", "333", "d", "4444"] ["@pairs", "HGETALL", "h"] ["@sorted", "HKEYS", "h"] ["@sorted", "HVALS", "h"] ["HLEN", "h"] ["HGET", "h", "c"] ["HMGET", "h", "a", "x", "d"] ["HSTRLEN", "h", "d"] ["HEXISTS", "h", "b"] ["HEXISTS", "h", "x"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hashtable_writes": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HSET", "h", "a", "10", "d", "4"] ["HSETNX", "h", "a", "x"] ["HSETNX", "h", "e", "5"] ["HINCRBY", "h", "a", "5"] ["HINCRBYFLOAT", "h", "b", "0.5"] ["HDEL", "h", "c", "zz"] ["@pairs", "HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hashtable_delete_all": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HDEL", "h", "a", "b"] ["HGETALL", "h"] ["HDEL", "h", "c"] ["EXISTS", "h"] ["HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hashtable_many_fields": ["CONFIG", "SET", "hash-max-listpack-entries", "4"] ["HSET", "h", "f1", "1", "f2", "2", "f3", "3", "f4", "4", "f5", "5", "f6", "6", "f7", "7", "f8", "8", "f9", "9", "f10", "10", "f11", "11", "f12", "12", "f13", "13", "f14", "14", "f15", "15", "f16", "16", "f17", "17", "f18", "18", "f19", "19", "f20", "20"] ["HLEN", "h"] ["@pairs", "HGETALL", "h"] ["HDEL", "h", "f1", "f3", "f5", "f7", "f9", "f11", "f13", "f15", "f17", "f19"] ["@sorted", "HKEYS", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];

    // ---------------------------------------------------------------- HRANDFIELD
    "hrandfield_missing": ["HRANDFIELD", "nokey"] ["HRANDFIELD", "nokey", "5"] ["HRANDFIELD", "nokey", "-5", "WITHVALUES"] ["HRANDFIELD", "nokey", "0"];
    "hrandfield_single_field": ["HSET", "h", "only", "v"] ["HRANDFIELD", "h"] ["HRANDFIELD", "h", "1"] ["HRANDFIELD", "h", "1", "WITHVALUES"] ["HRANDFIELD", "h", "-3"] ["HRANDFIELD", "h", "-3", "withvalues"] ["HRANDFIELD", "h", "5", "WithValues"];
    "hrandfield_zero": ["HSET", "h", "a", "1"] ["HRANDFIELD", "h", "0"] ["HRANDFIELD", "h", "0", "WITHVALUES"];
    "hrandfield_whole_listpack_in_order": ["HSET", "h", "z", "1", "a", "2", "m", "3"] ["HRANDFIELD", "h", "3"] ["HRANDFIELD", "h", "3", "WITHVALUES"] ["HRANDFIELD", "h", "100"] ["HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"] ["HRANDFIELD", "h", "9223372036854775807"];
    "hrandfield_whole_hashtable": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"] ["@sorted", "HRANDFIELD", "h", "4"] ["@pairs", "HRANDFIELD", "h", "10", "WITHVALUES"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hrandfield_hashtable_single_left": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["HDEL", "h", "a", "b"] ["HRANDFIELD", "h"] ["HRANDFIELD", "h", "-4", "WITHVALUES"] ["HRANDFIELD", "h", "1"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hrandfield_bad_count": ["HSET", "h", "a", "1"] ["HRANDFIELD", "h", "abc"] ["HRANDFIELD", "h", "1.5"] ["HRANDFIELD", "h", "+1"] ["HRANDFIELD", "h", ""] ["HRANDFIELD", "h", "9223372036854775808"];
    "hrandfield_count_range": ["HSET", "h", "a", "1"] ["HRANDFIELD", "h", "-9223372036854775808"] ["HRANDFIELD", "h", "-9223372036854775808", "WITHVALUES"] ["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"] ["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"] ["HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"];
    "hrandfield_syntax": ["HSET", "h", "a", "1"] ["HRANDFIELD", "h", "1", "foo"] ["HRANDFIELD", "h", "1", "WITHVALUES", "x"] ["HRANDFIELD", "h", "x", "foo"] ["HRANDFIELD", "nokey", "1", "foo"];
    "hrandfield_arity": ["HRANDFIELD"];
    "hrandfield_wrongtype_order": ["SET", "s", "v"] ["HRANDFIELD", "s"] ["HRANDFIELD", "s", "1"] ["HRANDFIELD", "s", "abc"] ["HRANDFIELD", "s", "1", "foo"] ["HRANDFIELD", "s", "-9223372036854775808"];
    "hrandfield_positive_count_sizes": ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"] ["HSET", "tmp", "x", "y"] ["HRANDFIELD", "h", "5"] ["HLEN", "h"];

    // ---------------------------------------------------------------- HSCAN
    "hscan_listpack_whole": ["HSET", "h", "z", "1", "a", "2", "m", "3"] ["HSCAN", "h", "0"] ["HSCAN", "h", "0", "COUNT", "1"] ["HSCAN", "h", "12345"] ["HSCAN", "h", "0", "COUNT", "1000"];
    "hscan_listpack_match": ["HSET", "h", "key:1", "a", "key:2", "b", "other", "key:3"] ["HSCAN", "h", "0", "MATCH", "key:*"] ["HSCAN", "h", "0", "MATCH", "*"] ["HSCAN", "h", "0", "MATCH", "nomatch"] ["HSCAN", "h", "0", "MATCH", "key:3"] ["HSCAN", "h", "0", "match", "*2", "count", "5"];
    "hscan_repeated_options": ["HSET", "h", "a1", "1", "b1", "2"] ["HSCAN", "h", "0", "MATCH", "a*", "MATCH", "b*"] ["HSCAN", "h", "0", "COUNT", "1", "COUNT", "100"];
    "hscan_cursor_forms": ["HSET", "h", "a", "1"] ["HSCAN", "h", ""] ["HSCAN", "h", "+0"] ["HSCAN", "h", "-1"] ["HSCAN", "h", "18446744073709551615"];
    "hscan_invalid_cursor": ["HSET", "h", "a", "1"] ["HSCAN", "h", "x"] ["HSCAN", "h", "1.5"] ["HSCAN", "h", " 1"] ["HSCAN", "h", "18446744073709551616"] ["HSCAN", "h", "-"];
    "hscan_bad_options": ["HSET", "h", "a", "1"] ["HSCAN", "h", "0", "COUNT", "0"] ["HSCAN", "h", "0", "COUNT", "-1"] ["HSCAN", "h", "0", "COUNT", "x"] ["HSCAN", "h", "0", "COUNT"] ["HSCAN", "h", "0", "MATCH"] ["HSCAN", "h", "0", "TYPE", "string"] ["HSCAN", "h", "0", "FOO", "bar"] ["HSCAN", "h", "0", "COUNT", "9223372036854775808"];
    "hscan_missing_key": ["HSCAN", "nokey", "0"] ["HSCAN", "nokey", "7", "COUNT", "0"] ["HSCAN", "nokey", "0", "FOO"] ["HSCAN", "nokey", "x"];
    "hscan_wrongtype_order": ["SET", "s", "v"] ["HSCAN", "s", "0"] ["HSCAN", "s", "x"] ["HSCAN", "s", "0", "COUNT", "0"];
    "hscan_arity": ["HSCAN", "h"] ["HSCAN"];
    "hscan_hashtable_match_one": ["CONFIG", "SET", "hash-max-listpack-entries", "2"] ["HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"] ["HSCAN", "h", "0", "MATCH", "c", "COUNT", "1000"] ["HSCAN", "h", "0", "MATCH", "zz*", "COUNT", "1000"] ["HSCAN", "h", "0", "MATCH", "1", "COUNT", "1000"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "hscan_hashtable_huge_count": ["CONFIG", "SET", "hash-max-listpack-entries", "1"] ["HSET", "h", "a", "1", "b", "2"] ["HDEL", "h", "a"] ["HSCAN", "h", "0", "COUNT", "9223372036854775807"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];

    // ---------------------------------------------------------------- RESP3
    "resp3_hgetall_map": ["@ignore", "HELLO", "3"] ["HSET", "h", "a", "1", "b", "2"] ["HGETALL", "h"] ["HGETALL", "nokey"] ["HKEYS", "h"] ["HVALS", "h"] ["HKEYS", "nokey"];
    "resp3_hgetall_hashtable": ["@ignore", "HELLO", "3"] ["CONFIG", "SET", "hash-max-listpack-entries", "1"] ["HSET", "h", "a", "1", "b", "2", "c", "3"] ["@pairs", "HGETALL", "h"] ["CONFIG", "SET", "hash-max-listpack-entries", "512"];
    "resp3_nulls": ["@ignore", "HELLO", "3"] ["HGET", "nokey", "a"] ["HMGET", "nokey", "a", "b"] ["HSET", "h", "a", "1"] ["HMGET", "h", "a", "b"] ["HRANDFIELD", "nokey"] ["HRANDFIELD", "nokey", "3"];
    "resp3_integers": ["@ignore", "HELLO", "3"] ["HSET", "h", "a", "1"] ["HEXISTS", "h", "a"] ["HEXISTS", "h", "b"] ["HLEN", "h"] ["HSTRLEN", "h", "a"] ["HDEL", "h", "x"] ["HSETNX", "h", "a", "2"] ["HINCRBY", "h", "a", "2"];
    "resp3_hincrbyfloat": ["@ignore", "HELLO", "3"] ["HINCRBYFLOAT", "h", "f", "1.5"] ["HINCRBYFLOAT", "h", "f", "1.5"] ["HMSET", "h", "g", "1"];
    "resp3_hrandfield_pairs": ["@ignore", "HELLO", "3"] ["HSET", "h", "a", "1", "b", "2"] ["HRANDFIELD", "h", "5", "WITHVALUES"] ["HRANDFIELD", "h", "2"] ["HDEL", "h", "b"] ["HRANDFIELD", "h", "-3", "WITHVALUES"] ["HRANDFIELD", "h", "1", "WITHVALUES"] ["HRANDFIELD", "h", "-2"] ["HRANDFIELD", "h"];
    "resp3_hscan": ["@ignore", "HELLO", "3"] ["HSET", "h", "a", "1", "b", "2"] ["HSCAN", "h", "0"] ["HSCAN", "nokey", "0"];
    "resp3_errors": ["@ignore", "HELLO", "3"] ["SET", "s", "v"] ["HGETALL", "s"] ["HSET", "h", "a"] ["HRANDFIELD", "s", "x"];
    "resp2_after_resp3": ["@ignore", "HELLO", "3"] ["HSET", "h", "a", "1"] ["HGETALL", "h"] ["@ignore", "HELLO", "2"] ["HGETALL", "h"] ["HRANDFIELD", "h", "1", "WITHVALUES"];

    // ---------------------------------------------------------------- keyspace interplay
    "type_and_del": ["HSET", "h", "a", "1"] ["TYPE", "h"] ["DEL", "h"] ["EXISTS", "h"] ["HLEN", "h"];
    "rename_hash": ["HSET", "h", "a", "1", "b", "2"] ["RENAME", "h", "h2"] ["HGETALL", "h2"] ["EXISTS", "h"] ["OBJECT", "ENCODING", "h2"];
    "string_commands_on_hash": ["HSET", "h", "a", "1"] ["GET", "h"] ["APPEND", "h", "x"] ["INCR", "h"] ["STRLEN", "h"];
    "set_overwrites_hash": ["HSET", "h", "a", "1"] ["SET", "h", "v"] ["TYPE", "h"] ["HGET", "h", "a"];
    "hash_scan_type": ["HSET", "h", "a", "1"] ["SET", "s", "v"] ["@scan", "TYPE", "hash"] ["@scan", "TYPE", "string"];
    "expired_hash_is_gone": ["HSET", "h", "a", "1"] ["PEXPIREAT", "h", "1"] ["HGET", "h", "a"] ["HLEN", "h"] ["EXISTS", "h"] ["HSET", "h", "b", "2"] ["HGETALL", "h"] ["TTL", "h"];
    "expired_hash_write": ["HSET", "h", "a", "1"] ["PEXPIREAT", "h", "1"] ["HINCRBY", "h", "a", "5"] ["HGETALL", "h"];
    // COMMAND INFO: our rows lack the tips and key specs (core table work),
    // so these run only with FERRODIS_DIFF_ALL=1.
    "later_command_info_hash": ["COMMAND", "INFO", "hset", "hget", "hmget", "hdel", "hgetall", "hincrbyfloat", "hrandfield", "hscan"];
    "later_command_info_hash_rest": ["COMMAND", "INFO", "hsetnx", "hmset", "hexists", "hlen", "hstrlen", "hkeys", "hvals", "hincrby"];
};

#[test]
fn hash_commands_match_redis() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

#[test]
fn enough_cases() {
    let run = CASES
        .iter()
        .filter(|c| !c.name.starts_with("later_"))
        .count();
    assert!(run >= 120, "only {run} cases");
}

// ---------------------------------------------------------------------------
// Properties of random and cursor replies, checked on the server under test
// (run them against real Redis with FERRODIS_TEST_SERVER to check the checks)
// ---------------------------------------------------------------------------

/// Fills `h` with `n` fields `f<i>` = `v<i>` in one HSET.
fn fill(c: &mut Client, key: &str, n: usize) {
    let mut args: Vec<String> = vec!["HSET".into(), key.into()];
    for i in 0..n {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&args), Reply::Int(n as i64));
}

fn bulks(r: &Reply) -> Vec<String> {
    r.as_array()
        .expect("an array reply")
        .iter()
        .map(|e| e.as_str().expect("bulk").to_string())
        .collect()
}

/// HSCAN with small COUNTs over listpack and hashtable hashes returns every
/// field with its value, and ends with cursor 0; a listpack in one call.
#[test]
fn hscan_full_iteration() {
    let server = Server::start(common::server_binary(), common::diff::SERVER_ARGS);
    let mut c = server.client();
    for (key, n) in [("small", 10usize), ("big", 1000)] {
        fill(&mut c, key, n);
        let mut seen = BTreeMap::new();
        let mut cursor = "0".to_string();
        let mut calls = 0;
        loop {
            let r = c.cmd(&["HSCAN", key, &cursor, "COUNT", "7"]);
            let parts = r.as_array().expect("[cursor, items]");
            cursor = parts[0].as_str().expect("cursor").to_string();
            let items = bulks(&parts[1]);
            assert_eq!(items.len() % 2, 0);
            for p in items.chunks(2) {
                seen.insert(p[0].clone(), p[1].clone());
            }
            calls += 1;
            if cursor == "0" {
                break;
            }
            assert!(calls < 10_000, "HSCAN does not terminate");
        }
        assert_eq!(seen.len(), n, "{key}");
        for (f, v) in &seen {
            assert_eq!(f[1..], v[1..], "{key}: {f} -> {v}");
        }
        if n <= 512 {
            assert_eq!(calls, 1, "a listpack hash scans in one call");
        } else {
            assert!(calls > 1, "a hashtable hash honours COUNT");
        }
    }
}

/// HRANDFIELD with counts: sizes, distinctness for positive counts,
/// membership, value pairing, on both encodings.
#[test]
fn hrandfield_properties() {
    let server = Server::start(common::server_binary(), common::diff::SERVER_ARGS);
    let mut c = server.client();
    for (key, n) in [("small", 20usize), ("big", 1000)] {
        fill(&mut c, key, n);
        let enc = c.cmd(&["OBJECT", "ENCODING", key]);
        assert_eq!(
            enc.as_str(),
            Some(if n > 512 { "hashtable" } else { "listpack" })
        );
        let valid = |f: &str| f.starts_with('f') && f[1..].parse::<usize>().is_ok_and(|i| i < n);
        for _ in 0..20 {
            let one = c.cmd(&["HRANDFIELD", key]);
            assert!(valid(one.as_str().expect("bulk")));
        }
        for count in [1usize, 2, 5, n / 3, n / 3 + 1, n - 1] {
            let got = bulks(&c.cmd(&["HRANDFIELD", key, &count.to_string()]));
            assert_eq!(got.len(), count, "{key} {count}");
            assert!(got.iter().all(|f| valid(f)));
            let distinct: BTreeSet<&String> = got.iter().collect();
            assert_eq!(distinct.len(), count, "{key} {count}: repeated fields");
            let with = bulks(&c.cmd(&["HRANDFIELD", key, &count.to_string(), "WITHVALUES"]));
            assert_eq!(with.len(), 2 * count);
            for p in with.chunks(2) {
                assert_eq!(p[0][1..], p[1][1..]);
            }
        }
        for count in [1usize, 7, 2 * n] {
            let got = bulks(&c.cmd(&["HRANDFIELD", key, &format!("-{count}")]));
            assert_eq!(got.len(), count);
            assert!(got.iter().all(|f| valid(f)));
        }
        // Many draws with repetition reach more than one field.
        let got = bulks(&c.cmd(&["HRANDFIELD", key, "-200"]));
        let distinct: BTreeSet<&String> = got.iter().collect();
        assert!(distinct.len() > 1);
    }
}

/// The default thresholds (512 entries, 64 bytes), which the case table
/// cannot reach with short literals: a 512-field hash is a listpack whose
/// HGETALL/HKEYS/HRANDFIELD-all replies equal Redis's byte for byte, and
/// field 513 converts it.
#[test]
fn default_entries_threshold_matches_redis() {
    let Some(redis) = common::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let run = |binary: &std::path::Path| -> Vec<Vec<u8>> {
        let server = Server::start(binary, common::diff::SERVER_ARGS);
        let mut c = server.client();
        fill(&mut c, "h", 512);
        let mut out = Vec::new();
        for args in [
            &["OBJECT", "ENCODING", "h"][..],
            &["HGETALL", "h"],
            &["HKEYS", "h"],
            &["HRANDFIELD", "h", "512", "WITHVALUES"],
            &["HSCAN", "h", "0"],
            &["HSET", "h", "f512", "x"],
            &["OBJECT", "ENCODING", "h"],
            &["HLEN", "h"],
        ] {
            let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
            c.send_cmd(&argv);
            out.push(c.read_raw_reply());
        }
        out
    };
    let expected = run(&redis);
    let got = run(&common::server_binary());
    assert_eq!(expected[0], b"$8\r\nlistpack\r\n");
    assert_eq!(expected[6], b"$9\r\nhashtable\r\n");
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        assert!(
            e == g,
            "step {i}: expected {:?}, got {:?}",
            common::escape(e),
            common::escape(g)
        );
    }
}
