//! Differential cases for the list commands: LPUSH RPUSH LPUSHX RPUSHX LPOP
//! RPOP LLEN LINDEX LSET LRANGE LTRIM LREM LINSERT LPOS LMOVE RPOPLPUSH
//! LMPOP, against a real redis-server 7.0 (see `tests/common/diff.rs` for the
//! case syntax).
//!
//! Many cases first shrink `list-max-listpack-size` so that a handful of
//! elements already spans several quicklist nodes: that is where index,
//! insert, remove and trim bugs hide. Redis 7.0 reports `quicklist` for every
//! list whatever the setting, which the encoding cases pin down.
//!
//! Run against real Redis on both sides:
//! `FERRODIS_TEST_SERVER=/usr/bin/redis-server cargo test --test diff_list`.

mod common;

use common::diff::{cases, Case};

/// 300 bytes: needs a two-byte length inside a node.
const S300: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const I64_MAX: &str = "9223372036854775807";
const I64_MIN: &str = "-9223372036854775808";
const I64_OVER: &str = "9223372036854775808";

const CASES: &[Case] = cases! {
    // ---------------------------------------------------------------- push
    "lpush_basic": ["LPUSH", "l", "a"] ["LPUSH", "l", "b", "c"] ["LRANGE", "l", "0", "-1"] ["LLEN", "l"] ["TYPE", "l"];
    "rpush_basic": ["RPUSH", "l", "a"] ["RPUSH", "l", "b", "c"] ["LRANGE", "l", "0", "-1"] ["LLEN", "l"];
    "push_mixed_order": ["RPUSH", "l", "1", "2"] ["LPUSH", "l", "0", "-1"] ["RPUSH", "l", "3"] ["LRANGE", "l", "0", "-1"];
    "push_binary_and_empty": ["RPUSH", "l", "", "a\0b", "\r\n", "caf\u{e9}"] ["LRANGE", "l", "0", "-1"] ["LLEN", "l"] ["LINDEX", "l", "1"];
    "push_long_values": ["RPUSH", "l", S300, "short", S300] ["LINDEX", "l", "0"] ["LINDEX", "l", "-1"] ["LRANGE", "l", "1", "1"] ["LPOP", "l"] ["RPOP", "l"] ["LLEN", "l"];
    "push_integers": ["RPUSH", "l", "1", "-1", "0", I64_MAX, I64_MIN, "007", "1.5"] ["LRANGE", "l", "0", "-1"];
    "push_wrongtype": ["SET", "s", "v"] ["LPUSH", "s", "a"] ["RPUSH", "s", "a"] ["GET", "s"];
    "push_arity": ["LPUSH", "l"] ["RPUSH"] ["LPUSHX", "l"] ["RPUSHX", "l"];
    "pushx_missing": ["LPUSHX", "l", "a"] ["RPUSHX", "l", "a", "b"] ["EXISTS", "l"];
    "pushx_existing": ["RPUSH", "l", "a"] ["LPUSHX", "l", "b", "c"] ["RPUSHX", "l", "d", "e"] ["LRANGE", "l", "0", "-1"];
    "pushx_wrongtype": ["SET", "s", "v"] ["LPUSHX", "s", "a"] ["RPUSHX", "s", "a"];
    "push_case_insensitive_name": ["rpush", "l", "a"] ["RpUsH", "l", "b"] ["lrange", "l", "0", "-1"];
    "push_many_small_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "1", "2", "3", "4", "5", "6", "7"] ["LPUSH", "l", "0", "-1", "-2"] ["LRANGE", "l", "0", "-1"] ["LLEN", "l"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "push_returns_length_after_all": ["RPUSH", "l", "a", "b", "c", "d", "e"] ["LPUSH", "l", "x"];

    // ---------------------------------------------------------------- pop
    "lpop_basic": ["RPUSH", "l", "a", "b", "c"] ["LPOP", "l"] ["LPOP", "l"] ["LRANGE", "l", "0", "-1"];
    "rpop_basic": ["RPUSH", "l", "a", "b", "c"] ["RPOP", "l"] ["RPOP", "l"] ["LRANGE", "l", "0", "-1"];
    "pop_missing": ["LPOP", "l"] ["RPOP", "l"];
    "pop_last_deletes_key": ["RPUSH", "l", "a"] ["LPOP", "l"] ["EXISTS", "l"] ["TYPE", "l"] ["LLEN", "l"] ["LPOP", "l"];
    "rpop_last_deletes_key": ["RPUSH", "l", "a", "b"] ["RPOP", "l"] ["RPOP", "l"] ["EXISTS", "l"];
    "lpop_count": ["RPUSH", "l", "a", "b", "c", "d"] ["LPOP", "l", "2"] ["LRANGE", "l", "0", "-1"] ["LPOP", "l", "1"];
    "rpop_count": ["RPUSH", "l", "a", "b", "c", "d"] ["RPOP", "l", "3"] ["LRANGE", "l", "0", "-1"];
    "pop_count_more_than_len": ["RPUSH", "l", "a", "b"] ["LPOP", "l", "10"] ["EXISTS", "l"] ["RPUSH", "m", "a", "b"] ["RPOP", "m", I64_MAX] ["EXISTS", "m"];
    "pop_count_zero": ["RPUSH", "l", "a"] ["LPOP", "l", "0"] ["RPOP", "l", "0"] ["LLEN", "l"] ["LPOP", "nokey", "0"] ["RPOP", "nokey", "0"];
    "pop_count_missing_key": ["LPOP", "nokey", "1"] ["RPOP", "nokey", "5"];
    "pop_count_negative": ["RPUSH", "l", "a"] ["LPOP", "l", "-1"] ["RPOP", "l", "-5"] ["LPOP", "nokey", "-1"] ["LPOP", "l", I64_MIN];
    "pop_count_not_integer": ["RPUSH", "l", "a"] ["LPOP", "l", "abc"] ["RPOP", "l", "1.5"] ["LPOP", "l", I64_OVER] ["LPOP", "l", ""];
    "pop_count_wrongtype_order": ["SET", "s", "v"] ["LPOP", "s"] ["LPOP", "s", "0"] ["LPOP", "s", "1"] ["LPOP", "s", "-1"] ["RPOP", "s", "x"];
    "pop_arity": ["LPOP"] ["LPOP", "l", "1", "2"] ["RPOP", "l", "1", "2", "3"];
    "pop_resp3_nulls": ["@ignore", "HELLO", "3"] ["LPOP", "nokey"] ["RPOP", "nokey"] ["LPOP", "nokey", "1"] ["RPOP", "nokey", "0"] ["RPUSH", "l", "a", "b"] ["LPOP", "l", "0"] ["LPOP", "l", "5"];
    "pop_across_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "1", "2", "3", "4", "5", "6", "7", "8", "9"] ["LPOP", "l", "3"] ["RPOP", "l", "3"] ["LRANGE", "l", "0", "-1"] ["LPOP", "l", "3"] ["EXISTS", "l"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- llen / lindex
    "llen": ["LLEN", "l"] ["RPUSH", "l", "a", "b"] ["LLEN", "l"] ["SET", "s", "v"] ["LLEN", "s"] ["LLEN"];
    "lindex_basic": ["RPUSH", "l", "a", "b", "c"] ["LINDEX", "l", "0"] ["LINDEX", "l", "2"] ["LINDEX", "l", "-1"] ["LINDEX", "l", "-3"];
    "lindex_out_of_range": ["RPUSH", "l", "a", "b", "c"] ["LINDEX", "l", "3"] ["LINDEX", "l", "-4"] ["LINDEX", "l", I64_MAX] ["LINDEX", "l", I64_MIN];
    "lindex_missing": ["LINDEX", "nokey", "0"] ["LINDEX", "nokey", "x"];
    "lindex_not_integer": ["RPUSH", "l", "a"] ["LINDEX", "l", "x"] ["LINDEX", "l", "1.0"] ["LINDEX", "l", I64_OVER];
    "lindex_wrongtype_before_index": ["SET", "s", "v"] ["LINDEX", "s", "0"] ["LINDEX", "s", "x"];
    "lindex_arity": ["LINDEX", "l"] ["LINDEX", "l", "0", "1"];
    "lindex_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "3"] ["RPUSH", "l", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"] ["LINDEX", "l", "0"] ["LINDEX", "l", "4"] ["LINDEX", "l", "6"] ["LINDEX", "l", "7"] ["LINDEX", "l", "12"] ["LINDEX", "l", "-5"] ["LINDEX", "l", "-13"] ["LINDEX", "l", "13"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "lindex_resp3_null": ["@ignore", "HELLO", "3"] ["LINDEX", "nokey", "0"] ["RPUSH", "l", "a"] ["LINDEX", "l", "5"] ["LINDEX", "l", "0"];

    // ---------------------------------------------------------------- lset
    "lset_basic": ["RPUSH", "l", "a", "b", "c"] ["LSET", "l", "0", "x"] ["LSET", "l", "-1", "z"] ["LSET", "l", "1", ""] ["LRANGE", "l", "0", "-1"];
    "lset_out_of_range": ["RPUSH", "l", "a"] ["LSET", "l", "1", "x"] ["LSET", "l", "-2", "x"] ["LSET", "l", I64_MAX, "x"] ["LSET", "l", I64_MIN, "x"] ["LRANGE", "l", "0", "-1"];
    "lset_missing_key": ["LSET", "nokey", "0", "x"] ["LSET", "nokey", "x", "x"] ["EXISTS", "nokey"];
    "lset_wrongtype": ["SET", "s", "v"] ["LSET", "s", "0", "x"] ["LSET", "s", "x", "x"];
    "lset_not_integer": ["RPUSH", "l", "a"] ["LSET", "l", "x", "v"] ["LSET", "l", "", "v"] ["LSET", "l", I64_OVER, "v"];
    "lset_arity": ["LSET", "l", "0"] ["LSET", "l", "0", "a", "b"];
    "lset_grow_across_nodes": ["CONFIG", "SET", "list-max-listpack-size", "-1"] ["RPUSH", "l", "a", "b", "c", "d", "e", "f"] ["LSET", "l", "2", S300] ["LSET", "l", "3", S300] ["LSET", "l", "0", S300] ["LRANGE", "l", "0", "-1"] ["LSET", "l", "2", "small"] ["LRANGE", "l", "1", "3"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "lset_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "0", "1", "2", "3", "4", "5", "6"] ["LSET", "l", "3", "three"] ["LSET", "l", "-2", "five"] ["LSET", "l", "6", "six"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- lrange
    "lrange_basic": ["RPUSH", "l", "a", "b", "c", "d", "e"] ["LRANGE", "l", "0", "-1"] ["LRANGE", "l", "1", "3"] ["LRANGE", "l", "-2", "-1"] ["LRANGE", "l", "0", "0"];
    "lrange_out_of_range": ["RPUSH", "l", "a", "b", "c"] ["LRANGE", "l", "-100", "100"] ["LRANGE", "l", "5", "10"] ["LRANGE", "l", "2", "1"] ["LRANGE", "l", "0", "-4"] ["LRANGE", "l", "-1", "-2"] ["LRANGE", "l", "3", "3"];
    "lrange_extremes": ["RPUSH", "l", "a", "b", "c"] ["LRANGE", "l", I64_MIN, I64_MAX] ["LRANGE", "l", I64_MAX, I64_MIN] ["LRANGE", "l", I64_MAX, I64_MAX] ["LRANGE", "l", I64_MIN, I64_MIN] ["LRANGE", "l", "0", I64_MIN];
    "lrange_missing": ["LRANGE", "nokey", "0", "-1"] ["LRANGE", "nokey", "5", "1"];
    "lrange_not_integer_before_type": ["SET", "s", "v"] ["LRANGE", "s", "x", "1"] ["LRANGE", "s", "0", "y"] ["LRANGE", "s", "0", "1"] ["LRANGE", "nokey", "a", "b"];
    "lrange_arity": ["LRANGE", "l", "0"] ["LRANGE", "l", "0", "1", "2"];
    "lrange_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] ["LRANGE", "l", "3", "6"] ["LRANGE", "l", "-7", "-2"] ["LRANGE", "l", "1", "1"] ["LRANGE", "l", "8", "100"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "lrange_resp3": ["@ignore", "HELLO", "3"] ["RPUSH", "l", "a", "b"] ["LRANGE", "l", "0", "-1"] ["LRANGE", "nokey", "0", "-1"] ["LRANGE", "l", "5", "6"];

    // ---------------------------------------------------------------- ltrim
    "ltrim_basic": ["RPUSH", "l", "1", "2", "3", "4", "5"] ["LTRIM", "l", "1", "-2"] ["LRANGE", "l", "0", "-1"] ["LTRIM", "l", "0", "0"] ["LRANGE", "l", "0", "-1"];
    "ltrim_to_empty_deletes": ["RPUSH", "l", "1", "2", "3"] ["LTRIM", "l", "5", "10"] ["EXISTS", "l"] ["RPUSH", "m", "1", "2"] ["LTRIM", "m", "1", "0"] ["EXISTS", "m"] ["RPUSH", "n", "1"] ["LTRIM", "n", "0", "-2"] ["EXISTS", "n"];
    "ltrim_noop": ["RPUSH", "l", "1", "2", "3"] ["LTRIM", "l", "0", "-1"] ["LTRIM", "l", "-100", "100"] ["LRANGE", "l", "0", "-1"];
    "ltrim_extremes": ["RPUSH", "l", "1", "2", "3"] ["LTRIM", "l", I64_MIN, I64_MAX] ["LRANGE", "l", "0", "-1"] ["LTRIM", "l", I64_MAX, I64_MIN] ["EXISTS", "l"];
    "ltrim_missing": ["LTRIM", "nokey", "0", "1"] ["EXISTS", "nokey"];
    "ltrim_errors_order": ["SET", "s", "v"] ["LTRIM", "s", "x", "1"] ["LTRIM", "s", "0", "1"] ["LTRIM", "nokey", "0", "y"];
    "ltrim_arity": ["LTRIM", "l", "0"] ["LTRIM", "l"];
    "ltrim_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] ["LTRIM", "l", "3", "-4"] ["LRANGE", "l", "0", "-1"] ["LINDEX", "l", "2"] ["LPUSH", "l", "x"] ["RPUSH", "l", "y"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "ltrim_capped_list": ["LPUSH", "l", "1"] ["LTRIM", "l", "0", "2"] ["LPUSH", "l", "2"] ["LTRIM", "l", "0", "2"] ["LPUSH", "l", "3"] ["LTRIM", "l", "0", "2"] ["LPUSH", "l", "4"] ["LTRIM", "l", "0", "2"] ["LRANGE", "l", "0", "-1"];

    // ---------------------------------------------------------------- lrem
    "lrem_all": ["RPUSH", "l", "a", "b", "a", "c", "a"] ["LREM", "l", "0", "a"] ["LRANGE", "l", "0", "-1"];
    "lrem_from_head": ["RPUSH", "l", "a", "b", "a", "c", "a"] ["LREM", "l", "2", "a"] ["LRANGE", "l", "0", "-1"];
    "lrem_from_tail": ["RPUSH", "l", "a", "b", "a", "c", "a"] ["LREM", "l", "-2", "a"] ["LRANGE", "l", "0", "-1"];
    "lrem_none_found": ["RPUSH", "l", "a", "b"] ["LREM", "l", "0", "z"] ["LREM", "l", "1", "A"] ["LRANGE", "l", "0", "-1"];
    "lrem_to_empty_deletes": ["RPUSH", "l", "a", "a", "a"] ["LREM", "l", "0", "a"] ["EXISTS", "l"] ["LLEN", "l"];
    "lrem_extremes": ["RPUSH", "l", "a", "b", "a", "b"] ["LREM", "l", I64_MAX, "a"] ["LREM", "l", I64_MIN, "b"] ["EXISTS", "l"];
    "lrem_missing": ["LREM", "nokey", "0", "a"] ["LREM", "nokey", "-1", "a"];
    "lrem_errors_order": ["SET", "s", "v"] ["LREM", "s", "x", "a"] ["LREM", "s", "0", "a"] ["LREM", "nokey", "1.5", "a"];
    "lrem_arity": ["LREM", "l", "0"] ["LREM", "l", "0", "a", "b"];
    "lrem_many_nodes_head": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "x", "a", "x", "b", "x", "c", "x", "d", "x"] ["LREM", "l", "3", "x"] ["LRANGE", "l", "0", "-1"] ["LINDEX", "l", "3"] ["LINDEX", "l", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "lrem_many_nodes_tail": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "x", "a", "x", "b", "x", "c", "x", "d", "x"] ["LREM", "l", "-4", "x"] ["LRANGE", "l", "0", "-1"] ["RPUSH", "l", "e"] ["LPOP", "l", "2"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "lrem_binary": ["RPUSH", "l", "a\0", "a", "a\0", ""] ["LREM", "l", "0", "a\0"] ["LREM", "l", "0", ""] ["LRANGE", "l", "0", "-1"];

    // ---------------------------------------------------------------- linsert
    "linsert_before_after": ["RPUSH", "l", "a", "b", "c"] ["LINSERT", "l", "BEFORE", "b", "x"] ["LINSERT", "l", "after", "c", "y"] ["LINSERT", "l", "Before", "a", "z"] ["LRANGE", "l", "0", "-1"];
    "linsert_first_match_only": ["RPUSH", "l", "a", "b", "a"] ["LINSERT", "l", "AFTER", "a", "x"] ["LRANGE", "l", "0", "-1"];
    "linsert_pivot_missing": ["RPUSH", "l", "a"] ["LINSERT", "l", "BEFORE", "z", "x"] ["LRANGE", "l", "0", "-1"];
    "linsert_missing_key": ["LINSERT", "nokey", "BEFORE", "a", "x"] ["EXISTS", "nokey"];
    "linsert_syntax_first": ["SET", "s", "v"] ["LINSERT", "s", "MIDDLE", "a", "x"] ["LINSERT", "nokey", "foo", "a", "x"] ["LINSERT", "s", "BEFORE", "a", "x"];
    "linsert_arity": ["LINSERT", "l", "BEFORE", "a"] ["LINSERT", "l", "BEFORE", "a", "b", "c"];
    "linsert_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "0", "1", "2", "3", "4", "5"] ["LINSERT", "l", "BEFORE", "3", "x"] ["LINSERT", "l", "AFTER", "3", "y"] ["LINSERT", "l", "AFTER", "5", "z"] ["LINSERT", "l", "BEFORE", "0", "w"] ["LRANGE", "l", "0", "-1"] ["LINDEX", "l", "5"] ["LLEN", "l"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "linsert_repeated_same_spot": ["CONFIG", "SET", "list-max-listpack-size", "3"] ["RPUSH", "l", "a", "b"] ["LINSERT", "l", "AFTER", "a", "1"] ["LINSERT", "l", "AFTER", "a", "2"] ["LINSERT", "l", "AFTER", "a", "3"] ["LINSERT", "l", "AFTER", "a", "4"] ["LINSERT", "l", "AFTER", "a", "5"] ["LRANGE", "l", "0", "-1"] ["LRANGE", "l", "-3", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "linsert_long_value": ["RPUSH", "l", "a", "b"] ["LINSERT", "l", "AFTER", "a", S300] ["LINDEX", "l", "1"] ["LLEN", "l"];

    // ---------------------------------------------------------------- lpos
    "lpos_basic": ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"] ["LPOS", "l", "c"] ["LPOS", "l", "3"] ["LPOS", "l", "z"];
    "lpos_rank": ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"] ["LPOS", "l", "c", "RANK", "2"] ["LPOS", "l", "c", "RANK", "-1"] ["LPOS", "l", "c", "RANK", "-3"] ["LPOS", "l", "c", "RANK", "4"] ["LPOS", "l", "c", "RANK", "-4"];
    "lpos_count": ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"] ["LPOS", "l", "c", "COUNT", "2"] ["LPOS", "l", "c", "COUNT", "0"] ["LPOS", "l", "c", "COUNT", "10"] ["LPOS", "l", "z", "COUNT", "0"];
    "lpos_rank_and_count": ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"] ["LPOS", "l", "c", "RANK", "-1", "COUNT", "2"] ["LPOS", "l", "c", "RANK", "2", "COUNT", "0"] ["LPOS", "l", "c", "COUNT", "0", "RANK", "-2"];
    "lpos_maxlen": ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"] ["LPOS", "l", "c", "MAXLEN", "2"] ["LPOS", "l", "c", "MAXLEN", "3"] ["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"] ["LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"] ["LPOS", "l", "c", "MAXLEN", "0"];
    "lpos_last_option_wins": ["RPUSH", "l", "a", "b", "a", "a"] ["LPOS", "l", "a", "RANK", "1", "RANK", "2"] ["LPOS", "l", "a", "COUNT", "1", "COUNT", "2"] ["LPOS", "l", "a", "MAXLEN", "1", "MAXLEN", "0", "COUNT", "0"];
    "lpos_rank_extremes": ["RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"] ["LPOS", "l", "a", "RANK", I64_MIN] ["LPOS", "l", "a", "RANK", I64_MIN, "COUNT", "1"] ["LPOS", "l", "a", "RANK", I64_MIN, "COUNT", "2", "MAXLEN", "4"] ["LPOS", "l", "a", "RANK", I64_MAX] ["LPOS", "l", "a", "RANK", "-9223372036854775807"] ["LPOS", "l", "a", "COUNT", I64_MAX];
    "lpos_errors": ["RPUSH", "l", "a"] ["LPOS", "l", "a", "RANK", "0"] ["LPOS", "l", "a", "COUNT", "-1"] ["LPOS", "l", "a", "MAXLEN", "-1"] ["LPOS", "l", "a", "RANK", "x"] ["LPOS", "l", "a", "COUNT", "x"] ["LPOS", "l", "a", "MAXLEN", "x"];
    "lpos_syntax": ["RPUSH", "l", "a"] ["LPOS", "l", "a", "FOO"] ["LPOS", "l", "a", "RANK"] ["LPOS", "l", "a", "RANK", "1", "COUNT"] ["LPOS", "l", "a", "MAXLEN", "1", "x", "y"];
    "lpos_missing_key": ["LPOS", "nokey", "a"] ["LPOS", "nokey", "a", "COUNT", "0"] ["LPOS", "nokey", "a", "RANK", "-1"] ["LPOS", "nokey", "a", "RANK", "0"];
    "lpos_wrongtype_after_options": ["SET", "s", "v"] ["LPOS", "s", "a"] ["LPOS", "s", "a", "COUNT", "x"] ["LPOS", "s", "a", "RANK", "0"] ["LPOS", "s", "a", "FOO"];
    "lpos_arity": ["LPOS", "l"];
    "lpos_resp3": ["@ignore", "HELLO", "3"] ["RPUSH", "l", "a"] ["LPOS", "l", "z"] ["LPOS", "l", "a"] ["LPOS", "nokey", "a"] ["LPOS", "l", "z", "COUNT", "0"];
    "lpos_many_nodes": ["CONFIG", "SET", "list-max-listpack-size", "2"] ["RPUSH", "l", "x", "a", "x", "b", "x", "c", "x", "d", "x"] ["LPOS", "l", "x", "COUNT", "0"] ["LPOS", "l", "x", "RANK", "-2", "COUNT", "2"] ["LPOS", "l", "d"] ["LPOS", "l", "x", "RANK", "-5"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- lmove / rpoplpush
    "lmove_all_directions": ["RPUSH", "src", "1", "2", "3", "4"] ["LMOVE", "src", "dst", "LEFT", "LEFT"] ["LMOVE", "src", "dst", "LEFT", "RIGHT"] ["LMOVE", "src", "dst", "RIGHT", "LEFT"] ["LMOVE", "src", "dst", "right", "right"] ["LRANGE", "dst", "0", "-1"] ["EXISTS", "src"];
    "lmove_same_key_rotates": ["RPUSH", "l", "a", "b", "c"] ["LMOVE", "l", "l", "LEFT", "RIGHT"] ["LRANGE", "l", "0", "-1"] ["LMOVE", "l", "l", "RIGHT", "LEFT"] ["LRANGE", "l", "0", "-1"] ["LMOVE", "l", "l", "LEFT", "LEFT"] ["LRANGE", "l", "0", "-1"];
    "lmove_single_element_same_key": ["RPUSH", "l", "a"] ["LMOVE", "l", "l", "LEFT", "RIGHT"] ["LRANGE", "l", "0", "-1"] ["EXISTS", "l"];
    "lmove_missing_source": ["LMOVE", "nokey", "dst", "LEFT", "LEFT"] ["EXISTS", "dst"];
    "lmove_missing_source_wrongtype_dest": ["SET", "s", "v"] ["LMOVE", "nokey", "s", "LEFT", "LEFT"];
    "lmove_wrongtype": ["SET", "s", "v"] ["RPUSH", "l", "a"] ["LMOVE", "s", "l", "LEFT", "LEFT"] ["LMOVE", "l", "s", "LEFT", "LEFT"] ["LRANGE", "l", "0", "-1"] ["GET", "s"];
    "lmove_syntax": ["RPUSH", "l", "a"] ["LMOVE", "l", "d", "UP", "LEFT"] ["LMOVE", "l", "d", "LEFT", "DOWN"] ["LMOVE", "nokey", "d", "X", "LEFT"] ["SET", "s", "v"] ["LMOVE", "s", "d", "LEFT", "X"];
    "lmove_arity": ["LMOVE", "a", "b", "LEFT"] ["LMOVE", "a", "b", "LEFT", "RIGHT", "x"];
    "lmove_empties_source": ["RPUSH", "src", "only"] ["RPUSH", "dst", "x"] ["LMOVE", "src", "dst", "RIGHT", "LEFT"] ["EXISTS", "src"] ["LRANGE", "dst", "0", "-1"];
    "lmove_creates_dest_encoding": ["RPUSH", "src", "a", "b"] ["LMOVE", "src", "new", "LEFT", "RIGHT"] ["TYPE", "new"] ["OBJECT", "ENCODING", "new"] ["LLEN", "new"];
    "lmove_resp3": ["@ignore", "HELLO", "3"] ["LMOVE", "nokey", "d", "LEFT", "LEFT"] ["RPUSH", "l", "a"] ["LMOVE", "l", "d", "LEFT", "LEFT"];
    "rpoplpush_basic": ["RPUSH", "src", "a", "b", "c"] ["RPOPLPUSH", "src", "dst"] ["RPOPLPUSH", "src", "dst"] ["LRANGE", "src", "0", "-1"] ["LRANGE", "dst", "0", "-1"];
    "rpoplpush_same_key": ["RPUSH", "l", "a", "b", "c"] ["RPOPLPUSH", "l", "l"] ["LRANGE", "l", "0", "-1"];
    "rpoplpush_missing_and_wrongtype": ["RPOPLPUSH", "nokey", "dst"] ["SET", "s", "v"] ["RPUSH", "l", "a"] ["RPOPLPUSH", "s", "l"] ["RPOPLPUSH", "l", "s"] ["RPOPLPUSH", "nokey", "s"] ["LRANGE", "l", "0", "-1"];
    "rpoplpush_empties_source": ["RPUSH", "src", "a"] ["RPOPLPUSH", "src", "dst"] ["EXISTS", "src"] ["LRANGE", "dst", "0", "-1"];
    "rpoplpush_arity": ["RPOPLPUSH", "a"] ["RPOPLPUSH", "a", "b", "c"];
    "lmove_across_nodes": ["CONFIG", "SET", "list-max-listpack-size", "1"] ["RPUSH", "l", "1", "2", "3", "4"] ["LMOVE", "l", "l", "RIGHT", "LEFT"] ["LMOVE", "l", "m", "LEFT", "RIGHT"] ["LMOVE", "l", "m", "LEFT", "RIGHT"] ["LRANGE", "l", "0", "-1"] ["LRANGE", "m", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- lmpop
    "lmpop_left_right": ["RPUSH", "l", "a", "b", "c", "d"] ["LMPOP", "1", "l", "LEFT"] ["LMPOP", "1", "l", "RIGHT"] ["LRANGE", "l", "0", "-1"];
    "lmpop_count": ["RPUSH", "l", "a", "b", "c", "d", "e"] ["LMPOP", "1", "l", "LEFT", "COUNT", "2"] ["LMPOP", "1", "l", "right", "count", "2"] ["LMPOP", "1", "l", "LEFT", "COUNT", "10"] ["EXISTS", "l"];
    "lmpop_first_non_empty": ["RPUSH", "b", "1", "2"] ["RPUSH", "c", "x"] ["LMPOP", "3", "a", "b", "c", "LEFT"] ["LMPOP", "3", "a", "b", "c", "LEFT", "COUNT", "5"] ["LMPOP", "3", "a", "b", "c", "LEFT"] ["LMPOP", "3", "a", "b", "c", "LEFT"];
    "lmpop_all_missing": ["LMPOP", "2", "a", "b", "LEFT"] ["LMPOP", "1", "a", "RIGHT", "COUNT", "3"];
    "lmpop_wrongtype": ["SET", "s", "v"] ["RPUSH", "l", "a"] ["LMPOP", "2", "nokey", "s", "LEFT"] ["LMPOP", "2", "s", "l", "LEFT"] ["LMPOP", "2", "l", "s", "LEFT"] ["EXISTS", "l"];
    "lmpop_numkeys_errors": ["LMPOP", "0", "l", "LEFT"] ["LMPOP", "-1", "l", "LEFT"] ["LMPOP", "x", "l", "LEFT"] ["LMPOP", I64_OVER, "l", "LEFT"] ["LMPOP", "5", "l", "LEFT"] ["LMPOP", I64_MAX, "l", "LEFT"] ["LMPOP", "2", "a", "b"];
    "lmpop_where_errors": ["RPUSH", "l", "a"] ["LMPOP", "1", "l", "UP"] ["LMPOP", "1", "l", "l"] ["LMPOP", "2", "l", "LEFT", "RIGHT"] ["LLEN", "l"];
    "lmpop_count_errors": ["RPUSH", "l", "a"] ["LMPOP", "1", "l", "LEFT", "COUNT", "0"] ["LMPOP", "1", "l", "LEFT", "COUNT", "-1"] ["LMPOP", "1", "l", "LEFT", "COUNT", "x"] ["LMPOP", "1", "l", "LEFT", "COUNT", I64_OVER] ["LLEN", "l"];
    "lmpop_option_syntax": ["RPUSH", "l", "a"] ["LMPOP", "1", "l", "LEFT", "COUNT"] ["LMPOP", "1", "l", "LEFT", "FOO"] ["LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "2"] ["LMPOP", "1", "l", "LEFT", "COUNT", "1", "x"] ["LLEN", "l"];
    "lmpop_errors_before_type": ["SET", "s", "v"] ["LMPOP", "1", "s", "UP"] ["LMPOP", "1", "s", "LEFT", "COUNT", "0"] ["LMPOP", "0", "s", "LEFT"];
    "lmpop_count_huge": ["RPUSH", "l", "a", "b"] ["LMPOP", "1", "l", "RIGHT", "COUNT", I64_MAX] ["EXISTS", "l"];
    "lmpop_arity": ["LMPOP", "1", "l"] ["LMPOP", "1"];
    "lmpop_resp3": ["@ignore", "HELLO", "3"] ["LMPOP", "1", "nokey", "LEFT"] ["RPUSH", "l", "a", "b"] ["LMPOP", "1", "l", "LEFT", "COUNT", "5"];
    "lmpop_same_key_twice": ["RPUSH", "l", "a", "b"] ["LMPOP", "2", "l", "l", "LEFT"] ["LMPOP", "2", "l", "l", "LEFT", "COUNT", "3"] ["LMPOP", "2", "l", "l", "LEFT"];

    // ---------------------------------------------------------------- encodings and config
    "encoding_small": ["RPUSH", "l", "a"] ["OBJECT", "ENCODING", "l"];
    "encoding_large_values": ["RPUSH", "l", S300, S300, S300] ["OBJECT", "ENCODING", "l"] ["LLEN", "l"];
    "encoding_integers": ["RPUSH", "l", "1", "2", "3"] ["OBJECT", "ENCODING", "l"];
    "encoding_fill_positive": ["CONFIG", "SET", "list-max-listpack-size", "1"] ["RPUSH", "l", "a", "b", "c"] ["OBJECT", "ENCODING", "l"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "encoding_fill_zero": ["CONFIG", "SET", "list-max-listpack-size", "0"] ["RPUSH", "l", "a", "b", "c"] ["LPUSH", "l", "z"] ["OBJECT", "ENCODING", "l"] ["LRANGE", "l", "0", "-1"] ["LINDEX", "l", "2"] ["LSET", "l", "1", "y"] ["LINSERT", "l", "AFTER", "b", "q"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "encoding_fill_levels": ["CONFIG", "SET", "list-max-listpack-size", "-5"] ["RPUSH", "a", "1", "2"] ["OBJECT", "ENCODING", "a"] ["CONFIG", "SET", "list-max-listpack-size", "-1"] ["RPUSH", "b", S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300, S300] ["OBJECT", "ENCODING", "b"] ["LRANGE", "b", "14", "15"] ["LINDEX", "b", "13"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "encoding_fill_out_of_range": ["CONFIG", "SET", "list-max-listpack-size", "-100"] ["RPUSH", "l", "a", "b"] ["OBJECT", "ENCODING", "l"] ["LRANGE", "l", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "100000"] ["RPUSH", "m", "a", "b"] ["LRANGE", "m", "0", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "encoding_after_pops": ["RPUSH", "l", "a", "b", "c"] ["LPOP", "l", "2"] ["OBJECT", "ENCODING", "l"];
    "encoding_alias_config": ["CONFIG", "SET", "list-max-ziplist-size", "4"] ["CONFIG", "GET", "list-max-listpack-size"] ["RPUSH", "l", "1", "2", "3", "4", "5", "6", "7", "8", "9"] ["OBJECT", "ENCODING", "l"] ["LRANGE", "l", "3", "5"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- cross-type and keyspace
    "wrongtype_all_read_commands": ["SET", "s", "v"] ["LLEN", "s"] ["LINDEX", "s", "0"] ["LRANGE", "s", "0", "-1"] ["LPOS", "s", "a"];
    "wrongtype_all_write_commands": ["SET", "s", "v"] ["LSET", "s", "0", "a"] ["LTRIM", "s", "0", "1"] ["LREM", "s", "0", "a"] ["LINSERT", "s", "BEFORE", "a", "b"] ["LPOP", "s"] ["RPOP", "s", "1"] ["LMPOP", "1", "s", "LEFT"];
    "list_key_string_commands": ["RPUSH", "l", "a"] ["GET", "l"] ["APPEND", "l", "x"] ["INCR", "l"] ["TYPE", "l"];
    "list_overwritten_by_set": ["RPUSH", "l", "a"] ["SET", "l", "v"] ["LLEN", "l"] ["GET", "l"];
    "list_del_and_recreate": ["RPUSH", "l", "a", "b"] ["DEL", "l"] ["LLEN", "l"] ["LPUSH", "l", "c"] ["LRANGE", "l", "0", "-1"];
    "list_rename": ["RPUSH", "l", "a", "b"] ["RENAME", "l", "m"] ["LRANGE", "m", "0", "-1"] ["EXISTS", "l"] ["TYPE", "m"];
    "list_expire_keeps_type": ["RPUSH", "l", "a"] ["EXPIRE", "l", "100"] ["LPUSH", "l", "b"] ["TTL", "l"] ["LPOP", "l", "2"] ["EXISTS", "l"] ["TTL", "l"];
    "list_select_isolation": ["RPUSH", "l", "a"] ["SELECT", "1"] ["LLEN", "l"] ["RPUSH", "l", "x", "y"] ["SELECT", "0"] ["LRANGE", "l", "0", "-1"] ["SELECT", "1"] ["LRANGE", "l", "0", "-1"];
    "list_dbsize_after_empty": ["RPUSH", "a", "1"] ["RPUSH", "b", "1"] ["LPOP", "a"] ["DBSIZE"] ["RPOP", "b", "5"] ["DBSIZE"];
    "list_scan_type" [Unordered]: ["RPUSH", "l1", "a"] ["RPUSH", "l2", "a"] ["SET", "s", "v"] ["@scan", "TYPE", "list"] ["KEYS", "l*"];
    "list_multi_exec": ["MULTI"] ["RPUSH", "l", "a", "b"] ["LPOP", "l"] ["LLEN", "l"] ["EXEC"];

    // ---------------------------------------------------------------- workloads
    "queue_pattern": ["RPUSH", "q", "1", "2", "3"] ["LPOP", "q"] ["RPUSH", "q", "4"] ["LPOP", "q"] ["LPOP", "q"] ["RPUSH", "q", "5", "6"] ["LRANGE", "q", "0", "-1"] ["LPOP", "q", "10"] ["EXISTS", "q"];
    "stack_pattern": ["LPUSH", "s", "1", "2", "3"] ["LPOP", "s"] ["LPUSH", "s", "4"] ["LRANGE", "s", "0", "-1"] ["LPOP", "s", "3"] ["LPOP", "s"];
    "circular_list": ["RPUSH", "c", "a", "b", "c"] ["RPOPLPUSH", "c", "c"] ["RPOPLPUSH", "c", "c"] ["RPOPLPUSH", "c", "c"] ["LRANGE", "c", "0", "-1"];
    "lpos_after_edits": ["RPUSH", "l", "a", "b", "c", "d"] ["LINSERT", "l", "BEFORE", "c", "b"] ["LREM", "l", "1", "a"] ["LSET", "l", "-1", "b"] ["LPOS", "l", "b", "COUNT", "0"] ["LPOS", "l", "b", "RANK", "-1"];
    "mixed_nodes_workload": ["CONFIG", "SET", "list-max-listpack-size", "3"] ["RPUSH", "l", "a", "b", "c", "d", "e", "f", "g", "h"] ["LPUSH", "l", "0"] ["LINSERT", "l", "AFTER", "d", "d2"] ["LREM", "l", "0", "b"] ["LSET", "l", "4", "E"] ["LTRIM", "l", "1", "-2"] ["RPOP", "l", "2"] ["LPOS", "l", "E"] ["LRANGE", "l", "0", "-1"] ["LLEN", "l"] ["LINDEX", "l", "-1"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];
    "long_values_workload": ["RPUSH", "l", S300, "a", S300, "b"] ["LREM", "l", "1", S300] ["LINSERT", "l", "BEFORE", "b", S300] ["LPOS", "l", S300, "COUNT", "0"] ["LTRIM", "l", "1", "-1"] ["LRANGE", "l", "0", "-1"];
};

#[test]
fn differential_list() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

/// Seeded random operations on a few lists, replayed on both servers with
/// every reply compared: catches node-boundary bugs the scripted cases
/// miss. Each round uses another `list-max-listpack-size` so lists span
/// many nodes (fill 1..3) or few (-1, -2).
#[test]
fn random_ops_match_redis() {
    let Some(redis) = common::redis_binary() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let args = common::diff::SERVER_ARGS;
    let reference = common::Server::start(&redis, args);
    let subject = common::Server::start(common::server_binary(), args);
    let mut a = reference.client();
    let mut b = subject.client();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let long = "y".repeat(700);
    let values = ["a", "1", "c", "-5", "", long.as_str(), "007", "12345678901"];
    let keys = ["k1", "k2"];
    for fill in ["1", "2", "3", "-1", "-2"] {
        for c in [&mut a, &mut b] {
            c.cmd(&["FLUSHALL"]);
            c.cmd(&["CONFIG", "SET", "list-max-listpack-size", fill]);
        }
        for step in 0..1500 {
            let key = keys[rnd(2) as usize];
            let other = keys[rnd(2) as usize];
            let val = values[rnd(values.len() as u64) as usize];
            let idx = (rnd(21) as i64 - 10).to_string();
            let idx2 = (rnd(21) as i64 - 10).to_string();
            let cnt = rnd(5).to_string();
            let side = if rnd(2) == 0 { "LEFT" } else { "RIGHT" };
            let cmd: Vec<&str> = match rnd(14) {
                0 | 1 => vec!["RPUSH", key, val, values[rnd(4) as usize]],
                2 | 3 => vec!["LPUSH", key, val],
                4 => vec!["LPOP", key, &cnt],
                5 => vec!["RPOP", key],
                6 => vec!["LINDEX", key, &idx],
                7 => vec!["LSET", key, &idx, val],
                8 => vec![
                    "LINSERT",
                    key,
                    if rnd(2) == 0 { "BEFORE" } else { "AFTER" },
                    values[rnd(4) as usize],
                    val,
                ],
                9 => vec!["LREM", key, &idx, val],
                10 => vec!["LTRIM", key, &idx, &idx2],
                11 => vec![
                    "LMOVE",
                    key,
                    other,
                    side,
                    if rnd(2) == 0 { "LEFT" } else { "RIGHT" },
                ],
                12 => vec![
                    "LPOS",
                    key,
                    val,
                    "RANK",
                    if rnd(2) == 0 { "-1" } else { "2" },
                    "COUNT",
                    &cnt,
                ],
                _ => vec!["LMPOP", "2", key, other, side, "COUNT", "2"],
            };
            let bytes: Vec<&[u8]> = cmd.iter().map(|s| s.as_bytes()).collect();
            a.send_cmd(&bytes);
            b.send_cmd(&bytes);
            let (ra, rb) = (a.read_raw_reply(), b.read_raw_reply());
            assert_eq!(
                String::from_utf8_lossy(&ra),
                String::from_utf8_lossy(&rb),
                "fill {fill} step {step}: {cmd:?}"
            );
            // Every few steps compare the whole lists.
            if step % 50 == 0 {
                for k in keys {
                    let q: [&[u8]; 4] = [b"LRANGE", k.as_bytes(), b"0", b"-1"];
                    a.send_cmd(&q);
                    b.send_cmd(&q);
                    assert_eq!(
                        a.read_raw_reply(),
                        b.read_raw_reply(),
                        "fill {fill} step {step}: LRANGE {k}"
                    );
                }
            }
        }
    }
}

/// Blocking commands in the shapes one connection can compare: immediate
/// service, argument errors, timeouts, and MULTI.
const BLOCKING_CASES: &[Case] = cases! {
    "blpop_serves_at_once": ["RPUSH", "b", "1", "2"] ["BLPOP", "a", "b", "0"] ["BRPOP", "b", "0"] ["EXISTS", "b"];
    "blpop_wrongtype": ["SET", "s", "x"] ["BLPOP", "missing", "s", "0"];
    "blpop_timeout_errors": ["BLPOP", "q", "abc"] ["BLPOP", "q", "-1"] ["BLPOP", "q", "1e20"] ["BLPOP", "q", "nan"] ["BLPOP", "q"];
    "blpop_short_timeout": ["BLPOP", "q", "0.01"] ["BRPOP", "q", "0.001"];
    "blmove_serves_at_once": ["RPUSH", "a", "1", "2"] ["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"] ["LRANGE", "b", "0", "-1"] ["BRPOPLPUSH", "a", "b", "0"] ["LRANGE", "b", "0", "-1"] ["EXISTS", "a"];
    "blmove_errors": ["BLMOVE", "a", "b", "UP", "LEFT", "0"] ["BLMOVE", "a", "b", "LEFT", "LEFT", "x"] ["SET", "s", "x"] ["BLMOVE", "s", "b", "LEFT", "LEFT", "0"] ["RPUSH", "a", "1"] ["BLMOVE", "a", "s", "LEFT", "LEFT", "0"];
    "blmove_timeout": ["BLMOVE", "a", "b", "LEFT", "LEFT", "0.01"] ["BRPOPLPUSH", "a", "b", "0.01"];
    "blmpop_serves_at_once": ["RPUSH", "b", "1", "2", "3"] ["BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "2"] ["BLMPOP", "0", "1", "b", "RIGHT"] ["EXISTS", "b"];
    "blmpop_errors": ["BLMPOP", "0", "0", "a", "LEFT"] ["BLMPOP", "0", "1", "a", "UP"] ["BLMPOP", "x", "1", "a", "LEFT"] ["BLMPOP", "0", "1", "a", "LEFT", "COUNT", "0"] ["BLMPOP", "0", "5", "a", "LEFT"];
    "blmpop_timeout": ["BLMPOP", "0.01", "1", "a", "LEFT"];
    "blocking_in_multi": ["MULTI"] ["BLPOP", "q", "0"] ["BRPOPLPUSH", "q", "r", "0"] ["BLMPOP", "0", "1", "q", "LEFT"] ["EXEC"];
    "blocking_in_multi_resp3": ["@ignore", "HELLO", "3"] ["MULTI"] ["BLPOP", "q", "0"] ["EXEC"];
};

#[test]
fn differential_blocking() {
    common::diff::run_suite(BLOCKING_CASES, common::diff::SERVER_ARGS);
}
