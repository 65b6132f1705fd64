//! The per-key access clock against a real redis-server 7.0: OBJECT
//! IDLETIME / FREQ, DEBUG OBJECT, TOUCH and the commands that must not
//! touch, RESTORE IDLETIME / FREQ, RDB IDLE / FREQ opcodes (DEBUG RELOAD,
//! files read by real Redis and redis-check-rdb, and the reverse), and no
//! touching while a fork child lives.
//!
//! Deterministic replies go through the differential harness. LFU counters
//! are made deterministic with `lfu-log-factor 0` (every access counts) and
//! `lfu-decay-time 0` (no decay). Values are never small integers: with
//! maxmemory 0 Redis shares those objects between keys, and so their clocks.
//! Idle times depend on the clock, so they are compared within a tolerance
//! of a tick or checked against bounds on both servers.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::diff::{cases, Case};
use common::{redis_binary, server_binary, wait_for, Client, Reply, Server, TempDir};

const DEBUG: &str = "--enable-debug-command";

/// Deterministic LFU: every access counts, nothing decays.
const LFU_ARGS: &[&str] = &[
    "--slowlog-log-slower-than",
    "-1",
    "--maxmemory-policy",
    "allkeys-lfu",
    "--lfu-log-factor",
    "0",
    "--lfu-decay-time",
    "0",
];

const CASES: &[Case] = cases! {
    "object_clock_missing_key": ["OBJECT", "IDLETIME", "nokey"] ["OBJECT", "FREQ", "nokey"] ["OBJECT", "ENCODING", "nokey"] ["OBJECT", "REFCOUNT", "nokey"];
    "object_freq_without_lfu": ["SET", "k", "value"] ["OBJECT", "FREQ", "k"] ["OBJECT", "FREQ", "nokey"];
    "object_idletime_fresh_key": ["SET", "k", "value"] ["@approx", "1", "OBJECT", "IDLETIME", "k"] ["RPUSH", "l", "a"] ["@approx", "1", "OBJECT", "IDLETIME", "l"];
    "object_clock_arity": ["OBJECT", "FREQ"] ["OBJECT", "IDLETIME"] ["OBJECT", "FREQ", "a", "b"] ["OBJECT", "IDLETIME", "a", "b"] ["OBJECT", "NOPE", "k"];
    "object_help_lists_freq_idletime": ["OBJECT", "HELP"];
    "debug_object_missing": ["DEBUG", "OBJECT", "nokey"] ["DEBUG", "OBJECT"] ["DEBUG", "OBJECT", "a", "b"];
    "command_info_object_clock": ["COMMAND", "INFO", "OBJECT|FREQ", "OBJECT|IDLETIME"] ["COMMAND", "DOCS", "OBJECT|FREQ", "OBJECT|IDLETIME"];
};

/// Run with the LFU settings of [`LFU_ARGS`] on both servers.
const LFU_CASES: &[Case] = cases! {
    "lfu_new_key_starts_at_init": ["SET", "k", "value"] ["OBJECT", "FREQ", "k"] ["RPUSH", "l", "a", "b"] ["OBJECT", "FREQ", "l"];
    "lfu_idletime_refused": ["SET", "k", "value"] ["OBJECT", "IDLETIME", "k"] ["OBJECT", "IDLETIME", "nokey"];
    "lfu_reads_count_notouch_reads_do_not": ["SET", "k", "value"] ["GET", "k"] ["OBJECT", "FREQ", "k"] ["EXISTS", "k"] ["TYPE", "k"] ["TTL", "k"] ["PTTL", "k"] ["EXPIRETIME", "k"] ["OBJECT", "ENCODING", "k"] ["OBJECT", "REFCOUNT", "k"] ["DEBUG", "DIGEST-VALUE", "k"] ["OBJECT", "FREQ", "k"] ["TOUCH", "k", "k", "nokey"] ["OBJECT", "FREQ", "k"] ["STRLEN", "k"] ["GETRANGE", "k", "0", "1"] ["DUMP", "k"] ["OBJECT", "FREQ", "k"];
    "lfu_writes_count_and_keep_the_counter": ["SET", "k", "value"] ["SET", "k", "other"] ["OBJECT", "FREQ", "k"] ["APPEND", "k", "x"] ["SETRANGE", "k", "0", "y"] ["OBJECT", "FREQ", "k"] ["SET", "k", "third", "GET"] ["OBJECT", "FREQ", "k"] ["EXPIRE", "k", "100"] ["PERSIST", "k"] ["OBJECT", "FREQ", "k"] ["GETDEL", "k"] ["SET", "k", "again"] ["OBJECT", "FREQ", "k"];
    "lfu_rename_and_move_carry_the_counter": ["SET", "a", "value"] ["GET", "a"] ["RENAME", "a", "b"] ["OBJECT", "FREQ", "b"] ["SET", "c", "value"] ["RENAMENX", "b", "c"] ["OBJECT", "FREQ", "c"] ["MOVE", "b", "1"] ["SELECT", "1"] ["OBJECT", "FREQ", "b"] ["SET", "c", "in-db1"] ["SELECT", "0"] ["MOVE", "c", "1"] ["SELECT", "1"] ["OBJECT", "FREQ", "c"];
    "lfu_collections": ["RPUSH", "l", "a", "b"] ["LRANGE", "l", "0", "-1"] ["LPUSH", "l", "c"] ["LLEN", "l"] ["OBJECT", "FREQ", "l"] ["HSET", "h", "f", "v"] ["HGET", "h", "f"] ["HGETALL", "h"] ["OBJECT", "FREQ", "h"] ["SADD", "s", "m"] ["SISMEMBER", "s", "m"] ["SCARD", "s"] ["OBJECT", "FREQ", "s"] ["ZADD", "z", "1", "m"] ["ZSCORE", "z", "m"] ["ZRANGE", "z", "0", "-1"] ["OBJECT", "FREQ", "z"];
    "lfu_store_destinations_touch_then_keep": ["SADD", "s", "x", "y"] ["SET", "d", "value"] ["SUNIONSTORE", "d", "s"] ["OBJECT", "FREQ", "d"] ["SUNIONSTORE", "d", "s"] ["OBJECT", "FREQ", "d"] ["OBJECT", "FREQ", "s"];
    "lfu_sort_by_touches_weights": ["RPUSH", "l", "x", "y"] ["SET", "w_x", "2.5"] ["SET", "w_y", "1.5"] ["SORT", "l", "BY", "w_*", "ALPHA"] ["OBJECT", "FREQ", "w_x"] ["OBJECT", "FREQ", "l"];
    "lfu_multi_exec": ["SET", "k", "value"] ["MULTI"] ["GET", "k"] ["GET", "k"] ["EXEC"] ["OBJECT", "FREQ", "k"];
    "lfu_flushall_and_readd": ["SET", "k", "value"] ["GET", "k"] ["FLUSHALL"] ["SET", "k", "value"] ["OBJECT", "FREQ", "k"];
    // Every command once, each followed by the counters of the keys it
    // may access: catches a missing or a doubled lookup anywhere.
    "lfu_access_count_strings": ["SET", "str", "value"] ["SET", "num", "123456"] ["GET", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["GETRANGE", "str", "0", "1"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["STRLEN", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SUBSTR", "str", "0", "1"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["MGET", "str", "num", "nokey"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["GETEX", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["GETEX", "str", "PERSIST"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SET", "str", "v2"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SET", "str", "v3", "NX"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SET", "str", "v4", "XX"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SET", "str", "v5", "GET"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SETNX", "str", "v"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SETEX", "str", "100", "v"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["PSETEX", "str", "100000", "v"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["MSET", "str", "a", "num", "b"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["MSETNX", "str", "a", "newkey", "b"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["INCR", "num"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["INCRBY", "num", "5"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["DECR", "num"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["DECRBY", "num", "3"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["INCRBYFLOAT", "num", "1.5"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["APPEND", "str", "xyz"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["SETRANGE", "str", "1", "Q"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["GETSET", "str", "x"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"] ["GETDEL", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "num"];
    "lfu_access_count_generic": ["SET", "str", "value"] ["SET", "other", "value"] ["EXPIRE", "str", "100"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["PEXPIRE", "str", "100000"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["EXPIREAT", "str", "4000000000"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["PEXPIREAT", "str", "4000000000000"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["TTL", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["@ignore", "PTTL", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["EXPIRETIME", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["@ignore", "PEXPIRETIME", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["PERSIST", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["EXISTS", "str", "other"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["TYPE", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["DUMP", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["TOUCH", "str", "other", "nokey"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["RENAME", "str", "str9"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["RENAMENX", "str9", "other"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["RENAME", "str9", "str"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["MOVE", "str", "1"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"] ["UNLINK", "other"] ["OBJECT", "FREQ", "str"] ["OBJECT", "FREQ", "other"] ["OBJECT", "FREQ", "str9"];
    "lfu_access_count_lists": ["RPUSH", "l", "a", "b", "c", "d", "e"] ["RPUSH", "l2", "x"] ["LPUSH", "l", "d"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["RPUSH", "l", "d"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LPUSHX", "l", "d"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["RPUSHX", "l", "d"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LPOP", "l"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["RPOP", "l"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LPOP", "l", "2"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LLEN", "l"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LINDEX", "l", "1"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LSET", "l", "0", "q"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LRANGE", "l", "0", "-1"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LREM", "l", "0", "a"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LINSERT", "l", "BEFORE", "b", "zz"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LPOS", "l", "b"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LMOVE", "l", "l2", "LEFT", "RIGHT"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["RPOPLPUSH", "l", "l2"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LMOVE", "l", "l", "LEFT", "RIGHT"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LMPOP", "2", "l", "l2", "LEFT"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["BLPOP", "l", "0.01"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["BRPOP", "l", "0.01"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["BLMOVE", "l", "l2", "LEFT", "LEFT", "0.01"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["BRPOPLPUSH", "l", "l2", "0.01"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["BLMPOP", "0.01", "2", "l2", "l", "RIGHT", "COUNT", "2"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["LTRIM", "l", "0", "1"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["SORT", "l", "ALPHA"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["SORT_RO", "l", "ALPHA"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"] ["SORT", "l", "ALPHA", "STORE", "l2"] ["OBJECT", "FREQ", "l"] ["OBJECT", "FREQ", "l2"];
    "lfu_access_count_hashes": ["HSET", "h", "f", "v", "g", "w"] ["HSET", "h", "f", "v2"] ["OBJECT", "FREQ", "h"] ["HSETNX", "h", "f", "v"] ["OBJECT", "FREQ", "h"] ["HSETNX", "h", "n", "v"] ["OBJECT", "FREQ", "h"] ["HMSET", "h", "a", "b"] ["OBJECT", "FREQ", "h"] ["HGET", "h", "f"] ["OBJECT", "FREQ", "h"] ["HMGET", "h", "f", "g"] ["OBJECT", "FREQ", "h"] ["HDEL", "h", "f"] ["OBJECT", "FREQ", "h"] ["HEXISTS", "h", "f"] ["OBJECT", "FREQ", "h"] ["HLEN", "h"] ["OBJECT", "FREQ", "h"] ["HSTRLEN", "h", "g"] ["OBJECT", "FREQ", "h"] ["HGETALL", "h"] ["OBJECT", "FREQ", "h"] ["HKEYS", "h"] ["OBJECT", "FREQ", "h"] ["HVALS", "h"] ["OBJECT", "FREQ", "h"] ["HINCRBY", "h", "cnt", "1"] ["OBJECT", "FREQ", "h"] ["HINCRBYFLOAT", "h", "cnt", "1.5"] ["OBJECT", "FREQ", "h"] ["@ignore", "HRANDFIELD", "h"] ["OBJECT", "FREQ", "h"] ["HSCAN", "h", "0"] ["OBJECT", "FREQ", "h"];
    "lfu_access_count_sets": ["SADD", "s", "m1", "m2", "m3"] ["SADD", "s2", "m2", "m3"] ["SADD", "s", "m9"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SREM", "s", "m1"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@sorted", "SMEMBERS", "s"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SISMEMBER", "s", "m1"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SMISMEMBER", "s", "m1", "m2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SCARD", "s"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@ignore", "SRANDMEMBER", "s"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SMOVE", "s", "s2", "m3"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@sorted", "SINTER", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SINTERCARD", "2", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SINTERSTORE", "s3", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@sorted", "SUNION", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SUNIONSTORE", "s3", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@sorted", "SDIFF", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["SDIFFSTORE", "s3", "s", "s2"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@ignore", "SSCAN", "s", "0"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"] ["@ignore", "SPOP", "s"] ["OBJECT", "FREQ", "s"] ["OBJECT", "FREQ", "s2"] ["OBJECT", "FREQ", "s3"];
    "lfu_access_count_zsets": ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"] ["ZADD", "z2", "3", "c"] ["ZADD", "z", "5", "f"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZADD", "z", "XX", "6", "a"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZINCRBY", "z", "2", "a"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREM", "z", "a"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZSCORE", "z", "b"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZMSCORE", "z", "b", "c"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZCARD", "z"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZCOUNT", "z", "0", "10"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZLEXCOUNT", "z", "-", "+"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZRANGE", "z", "0", "-1"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZRANGESTORE", "z3", "z", "0", "-1"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREVRANGE", "z", "0", "-1"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZRANGEBYSCORE", "z", "0", "10"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREVRANGEBYSCORE", "z", "10", "0"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZRANGEBYLEX", "z", "-", "+"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZRANK", "z", "b"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREVRANK", "z", "b"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["@ignore", "ZRANDMEMBER", "z"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZUNION", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZINTER", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZDIFF", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZUNIONSTORE", "z3", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZINTERSTORE", "z3", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZDIFFSTORE", "z3", "2", "z", "z2"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZSCAN", "z", "0"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZPOPMIN", "z"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZPOPMAX", "z"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZMPOP", "2", "z", "z2", "MIN"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["BZPOPMIN", "z", "0.01"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["BZPOPMAX", "z", "0.01"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["BZMPOP", "0.01", "1", "z", "MAX"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREMRANGEBYRANK", "z", "0", "0"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"] ["ZREMRANGEBYSCORE", "z", "0", "1"] ["OBJECT", "FREQ", "z"] ["OBJECT", "FREQ", "z2"] ["OBJECT", "FREQ", "z3"];
};

#[test]
fn differential_access_clock() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

#[test]
fn differential_access_clock_lfu() {
    common::diff::run_suite(LFU_CASES, LFU_ARGS);
}

// ---------------------------------------------------------------------------
// Helpers for the tests that need both servers at once
// ---------------------------------------------------------------------------

/// A real Redis and ferrodis started with the same arguments (plus DEBUG),
/// or None when there is no redis-server.
fn pair(args: &[&str]) -> Option<(Server, Server)> {
    let redis = redis_binary()?;
    let mut all = vec![DEBUG, "yes"];
    all.extend_from_slice(args);
    Some((
        Server::start(&redis, &all),
        Server::start(server_binary(), &all),
    ))
}

fn int(r: &Reply) -> i64 {
    r.as_int()
        .unwrap_or_else(|| panic!("expected an integer, got {r:?}"))
}

/// The DUMP payload of a fresh string, to RESTORE from.
fn payload(c: &mut Client) -> Vec<u8> {
    c.cmd(&["SET", "__src", "restored value"]);
    match c.cmd(&["DUMP", "__src"]) {
        Reply::Bulk(Some(p)) => p,
        other => panic!("DUMP: {other:?}"),
    }
}

fn restore(c: &mut Client, key: &str, payload: &[u8], extra: &[&str]) -> Reply {
    let mut argv: Vec<&[u8]> = vec![b"RESTORE", key.as_bytes(), b"0", payload];
    argv.extend(extra.iter().map(|a| a.as_bytes()));
    c.cmd_bytes(&argv)
}

/// DEBUG OBJECT with the address and the clock fields masked, and the two
/// clock fields.
fn debug_object(c: &mut Client, key: &str) -> (String, u64, u64) {
    let r = c.cmd(&["DEBUG", "OBJECT", key]);
    let line = match &r {
        Reply::Status(s) => s.clone(),
        other => panic!("DEBUG OBJECT {key}: {other:?}"),
    };
    let mut lru = None;
    let mut idle = None;
    let masked: Vec<String> = line
        .split(' ')
        .map(|w| {
            if let Some(v) = w.strip_prefix("at:0x") {
                assert!(u64::from_str_radix(v, 16).is_ok(), "address in {line}");
                "at:0x?".to_string()
            } else if let Some(v) = w.strip_prefix("lru:") {
                lru = v.parse().ok();
                "lru:?".to_string()
            } else if let Some(v) = w.strip_prefix("lru_seconds_idle:") {
                idle = v.parse().ok();
                "lru_seconds_idle:?".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    (
        masked.join(" "),
        lru.unwrap_or_else(|| panic!("lru in {line}")),
        idle.unwrap_or_else(|| panic!("lru_seconds_idle in {line}")),
    )
}

/// Runs `f` on both clients and returns (redis's, ours).
fn both<T>(a: &mut Client, b: &mut Client, mut f: impl FnMut(&mut Client) -> T) -> (T, T) {
    (f(a), f(b))
}

// ---------------------------------------------------------------------------
// DEBUG OBJECT
// ---------------------------------------------------------------------------

/// Every type and encoding: the DEBUG OBJECT line equals Redis's apart from
/// the address and the clock, and the clock is the current LRU clock.
#[test]
fn debug_object_matches_redis() {
    let Some((real, ours)) = pair(&[]) else {
        eprintln!("skipped: no redis-server");
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let big = "x".repeat(300);
    let mut script: Vec<Vec<String>> = vec![
        vec!["SET".into(), "emb".into(), "barbarbar".into()],
        vec!["SET".into(), "int".into(), "1234567".into()],
        vec!["SET".into(), "shared".into(), "42".into()],
        vec!["SET".into(), "raw".into(), big.clone()],
        vec!["SET".into(), "neg".into(), "-98765".into()],
        vec!["APPEND".into(), "appended".into(), "abc".into()],
        vec![
            "RPUSH".into(),
            "list".into(),
            "a".into(),
            "b".into(),
            "c".into(),
            "1".into(),
            "-2".into(),
            "300000".into(),
        ],
        vec![
            "HSET".into(),
            "hash".into(),
            "f".into(),
            "v".into(),
            "n".into(),
            "12".into(),
        ],
        vec![
            "SADD".into(),
            "intset".into(),
            "1".into(),
            "2".into(),
            "70000".into(),
        ],
        vec!["SADD".into(), "strset".into(), "a".into(), "b".into()],
        vec![
            "ZADD".into(),
            "zset".into(),
            "1.5".into(),
            "a".into(),
            "2".into(),
            "b".into(),
        ],
    ];
    for i in 0..300 {
        script.push(vec![
            "RPUSH".into(),
            "biglist".into(),
            format!("element-{i}-{}", "0".repeat(50)),
        ]);
        script.push(vec!["RPUSH".into(), "growing".into(), "y".repeat(i * 7)]);
        script.push(vec![
            "HSET".into(),
            "bighash".into(),
            format!("f{i}"),
            format!("v{i}"),
        ]);
        script.push(vec!["SADD".into(), "bigset".into(), format!("m{i}")]);
        script.push(vec![
            "ZADD".into(),
            "bigzset".into(),
            i.to_string(),
            format!("m{i}"),
        ]);
    }
    // A list made with a count fill keeps that fill.
    script.push(vec![
        "CONFIG".into(),
        "SET".into(),
        "list-max-listpack-size".into(),
        "5".into(),
    ]);
    for i in 0..23 {
        script.push(vec!["LPUSH".into(), "fill5".into(), format!("x{i}")]);
    }
    script.push(vec![
        "CONFIG".into(),
        "SET".into(),
        "list-max-listpack-size".into(),
        "-2".into(),
    ]);
    for c in [&mut r, &mut o] {
        for cmd in &script {
            let argv: Vec<&str> = cmd.iter().map(|s| s.as_str()).collect();
            let reply = c.cmd(&argv);
            assert!(!reply.is_error(), "{argv:?}: {reply:?}");
        }
    }
    let keys = [
        "emb", "int", "shared", "raw", "neg", "appended", "list", "hash", "intset", "strset",
        "zset", "biglist", "growing", "bighash", "bigset", "bigzset", "fill5",
    ];
    // LZF output of multi-KB listpacks depends on leftovers in Redis's
    // compressor state, so compare lengths uncompressed as well.
    for compression in ["yes", "no"] {
        both(&mut r, &mut o, |c| {
            c.cmd(&["CONFIG", "SET", "rdbcompression", compression])
        });
        for key in keys {
            let (want, want_lru, want_idle) = debug_object(&mut r, key);
            let (got, got_lru, got_idle) = debug_object(&mut o, key);
            if compression == "no" || !["biglist", "growing"].contains(&key) {
                assert_eq!(
                    got, want,
                    "DEBUG OBJECT {key} (rdbcompression {compression})"
                );
            }
            let clock = int(&o.cmd(&["OBJECT", "IDLETIME", key]));
            assert!(got_idle <= 2 && clock <= 2, "{key}: idle {got_idle}");
            // Redis's shared integers carry the clock of their first use.
            if key != "shared" {
                assert!(want_idle <= 2, "{key}: redis idle {want_idle}");
                assert!(
                    got_lru.abs_diff(want_lru) <= 2,
                    "{key}: lru {got_lru} vs redis {want_lru}"
                );
            }
        }
    }
}

/// Under LFU the `lru` field is minutes << 8 | counter, in both servers.
#[test]
fn debug_object_shows_lfu_data() {
    let Some((real, ours)) = pair(&LFU_ARGS[2..]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let (want, got) = both(&mut r, &mut o, |c| {
        c.cmd(&["SET", "k", "value"]);
        for _ in 0..3 {
            c.cmd(&["GET", "k"]);
        }
        debug_object(c, "k")
    });
    assert_eq!(got.0, want.0);
    assert_eq!(got.1 & 0xff, 8, "counter of {:?}", got);
    assert_eq!(want.1 & 0xff, 8, "redis counter of {:?}", want);
    assert!(
        (got.1 >> 8).abs_diff(want.1 >> 8) <= 1,
        "minutes: {got:?} vs {want:?}"
    );
}

/// OBJECT counts keyspace hits and misses like a read (Redis's
/// objectCommandLookup); DEBUG OBJECT does not.
#[test]
fn object_lookups_count_keyspace_stats() {
    let Some((real, ours)) = pair(&[]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let (want, got) = both(&mut r, &mut o, |c| {
        c.cmd(&["SET", "k", "value"]);
        c.cmd(&["CONFIG", "RESETSTAT"]);
        for cmd in [
            &["OBJECT", "ENCODING", "k"][..],
            &["OBJECT", "REFCOUNT", "nokey"],
            &["OBJECT", "IDLETIME", "k"],
            &["OBJECT", "FREQ", "k"],
            &["OBJECT", "FREQ", "nokey"],
            &["DEBUG", "OBJECT", "k"],
            &["DEBUG", "OBJECT", "nokey"],
            &["EXISTS", "k", "nokey"],
            &["TYPE", "k"],
            &["TOUCH", "k", "nokey"],
        ] {
            c.cmd(cmd);
        }
        let info = c.info("stats");
        (
            info["keyspace_hits"].clone(),
            info["keyspace_misses"].clone(),
        )
    });
    assert_eq!(got, want);
    assert_eq!(got, ("6".to_string(), "4".to_string()));
}

/// A blocked client served by another client's push counts the accesses
/// Redis counts on that path (which are not always those of the same
/// command run without blocking: BLMOVE served touches its source once).
#[test]
fn served_blocked_clients_count_like_redis() {
    let Some((real, ours)) = pair(&LFU_ARGS[2..]) else {
        return;
    };
    let (want, got) = {
        let run = |srv: &Server| {
            let (mut waiter, mut pusher) = (srv.client(), srv.client());
            let mut seen = Vec::new();
            for (block, push, keys) in [
                (
                    &["BLPOP", "l", "5"][..],
                    &["RPUSH", "l", "x", "y"][..],
                    &["l"][..],
                ),
                (
                    &["BZPOPMIN", "z", "5"],
                    &["ZADD", "z", "1", "a", "2", "b"],
                    &["z"],
                ),
                (
                    &["BLMOVE", "src", "dst", "LEFT", "RIGHT", "5"],
                    &["RPUSH", "src", "x", "y"],
                    &["src", "dst"],
                ),
                (
                    &["BLMPOP", "5", "1", "l2", "LEFT"],
                    &["RPUSH", "l2", "x", "y"],
                    &["l2"],
                ),
            ] {
                let argv: Vec<&[u8]> = block.iter().map(|a| a.as_bytes()).collect();
                waiter.send_cmd(&argv);
                wait_for(
                    100,
                    Duration::from_millis(20),
                    || {
                        pusher
                            .info("clients")
                            .get("blocked_clients")
                            .map(String::as_str)
                            == Some("1")
                    },
                    "the client to block",
                );
                pusher.cmd(push);
                assert!(!waiter.read_reply().is_error());
                for k in keys {
                    seen.push(pusher.cmd(&["OBJECT", "FREQ", k]));
                }
            }
            seen
        };
        (run(&real), run(&ours))
    };
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------
// Idle time
// ---------------------------------------------------------------------------

/// Idle time grows while nobody looks; EXISTS, TYPE, the TTL family and
/// OBJECT do not reset it; GET and TOUCH do.
#[test]
fn idletime_grows_and_only_real_accesses_reset_it() {
    let Some((real, ours)) = pair(&[]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    both(&mut r, &mut o, |c| {
        c.cmd(&["SET", "k", "value"]);
        c.cmd(&["SET", "t", "value"]);
    });
    // Both servers sleep at the same time.
    r.send_cmd(&[b"DEBUG", b"SLEEP", b"2.2"]);
    o.send_cmd(&[b"DEBUG", b"SLEEP", b"2.2"]);
    assert_eq!(r.read_reply(), Reply::ok());
    assert_eq!(o.read_reply(), Reply::ok());
    for c in [&mut r, &mut o] {
        for cmd in [
            &["EXISTS", "k"][..],
            &["TYPE", "k"],
            &["TTL", "k"],
            &["PTTL", "k"],
            &["EXPIRETIME", "k"],
            &["OBJECT", "ENCODING", "k"],
            &["OBJECT", "FREQ", "k"],
            &["DEBUG", "OBJECT", "k"],
        ] {
            c.cmd(cmd);
        }
        let idle = int(&c.cmd(&["OBJECT", "IDLETIME", "k"]));
        assert!((2..=4).contains(&idle), "idle after 2.2 s: {idle}");
        c.cmd(&["GET", "k"]);
        c.cmd(&["TOUCH", "t"]);
        assert!(int(&c.cmd(&["OBJECT", "IDLETIME", "k"])) <= 1);
        assert!(int(&c.cmd(&["OBJECT", "IDLETIME", "t"])) <= 1);
    }
}

/// RESTORE IDLETIME / FREQ and their errors, including idle times beyond
/// the clock's current value, where Redis wraps the 24-bit clock.
#[test]
fn restore_sets_the_clock() {
    let Some((real, ours)) = pair(&["--lfu-decay-time", "0"]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let (pr, po) = (payload(&mut r), payload(&mut o));
    assert_eq!(pr, po);
    let p = pr;
    // Errors, byte for byte.
    for extra in [
        &["IDLETIME", "-1"][..],
        &["IDLETIME", "abc"],
        &["FREQ", "256"],
        &["FREQ", "-1"],
        &["IDLETIME", "5", "FREQ", "5"],
        &["FREQ", "5", "IDLETIME", "5"],
        &["IDLETIME"],
    ] {
        let (want, got) = both(&mut r, &mut o, |c| restore(c, "e", &p, extra));
        assert_eq!(got, want, "RESTORE ... {extra:?}");
    }
    for idle in [
        "0",
        "1000",
        "154000",
        "200000",
        "16777215",
        "16777216",
        "20000000",
        "1000000000",
        "99999999999",
    ] {
        let (want, got) = both(&mut r, &mut o, |c| {
            assert_eq!(
                restore(c, "k", &p, &["REPLACE", "IDLETIME", idle]),
                Reply::ok()
            );
            int(&c.cmd(&["OBJECT", "IDLETIME", "k"]))
        });
        // Idle times wrap with the clock, so a tick between the two
        // servers can move a wrapped value by one.
        assert!(
            want.abs_diff(got) <= 1,
            "IDLETIME {idle}: redis {want}, ours {got}"
        );
        if idle == "1000" {
            assert!((1000..=1001).contains(&got), "{got}");
        }
    }
    // Under a non-LFU policy FREQ is ignored: the key is fresh.
    let (want, got) = both(&mut r, &mut o, |c| {
        restore(c, "f", &p, &["FREQ", "100"]);
        int(&c.cmd(&["OBJECT", "IDLETIME", "f"]))
    });
    assert!(want <= 1 && got <= 1);
    // Under LFU FREQ sets the counter and IDLETIME is ignored.
    let (want, got) = both(&mut r, &mut o, |c| {
        c.cmd(&["CONFIG", "SET", "maxmemory-policy", "volatile-lfu"]);
        restore(c, "f2", &p, &["FREQ", "100"]);
        restore(c, "i2", &p, &["IDLETIME", "100"]);
        restore(c, "m2", &p, &["FREQ", "255"]);
        (
            c.cmd(&["OBJECT", "FREQ", "f2"]),
            c.cmd(&["OBJECT", "FREQ", "i2"]),
            c.cmd(&["OBJECT", "FREQ", "m2"]),
            c.cmd(&["OBJECT", "IDLETIME", "f2"]),
        )
    });
    assert_eq!(got, want);
    assert_eq!(got.0, Reply::Int(100));
    assert_eq!(got.1, Reply::Int(5));
}

// ---------------------------------------------------------------------------
// Persistence
// ---------------------------------------------------------------------------

/// DEBUG RELOAD keeps idle times under an LRU policy and counters under an
/// LFU one (the RDB carries IDLE / FREQ), and drops both otherwise.
#[test]
fn debug_reload_keeps_clocks_by_policy() {
    let Some((real, ours)) = pair(&["--lfu-decay-time", "0"]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let p = payload(&mut r);
    let (want, got) = both(&mut r, &mut o, |c| {
        let mut seen = Vec::new();
        for policy in [
            "allkeys-lru",
            "volatile-lru",
            "noeviction",
            "allkeys-random",
        ] {
            c.cmd(&["CONFIG", "SET", "maxmemory-policy", policy]);
            assert_eq!(
                restore(c, "k", &p, &["REPLACE", "IDLETIME", "5000"]),
                Reply::ok()
            );
            assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), Reply::ok());
            let idle = int(&c.cmd(&["OBJECT", "IDLETIME", "k"]));
            // Kept: about 5000. Not saved: fresh after the reload.
            seen.push((policy, idle >= 5000, idle <= 5002));
        }
        for policy in ["allkeys-lfu", "volatile-lfu"] {
            c.cmd(&["CONFIG", "SET", "maxmemory-policy", policy]);
            restore(c, "k", &p, &["REPLACE", "FREQ", "77"]);
            c.cmd(&["DEL", "fresh"]);
            c.cmd(&["SET", "fresh", "value"]);
            assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), Reply::ok());
            let freq = int(&c.cmd(&["OBJECT", "FREQ", "k"]));
            let fresh = int(&c.cmd(&["OBJECT", "FREQ", "fresh"]));
            seen.push((policy, freq == 77, fresh == 5));
        }
        seen
    });
    assert_eq!(
        got,
        vec![
            ("allkeys-lru", true, true),
            ("volatile-lru", true, true),
            ("noeviction", false, true),
            ("allkeys-random", false, true),
            ("allkeys-lfu", true, true),
            ("volatile-lfu", true, true),
        ]
    );
    assert_eq!(got, want);
}

fn check_rdb(path: &Path) {
    let Some(redis) = redis_binary() else { return };
    let checker = redis.with_file_name("redis-check-rdb");
    let out = Command::new(if checker.exists() {
        checker
    } else {
        "redis-check-rdb".into()
    })
    .arg(path)
    .output()
    .expect("run redis-check-rdb");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains("RDB looks OK"),
        "redis-check-rdb: {text}"
    );
}

/// Files with FREQ (LFU) and IDLE (LRU) opcodes written by ferrodis pass
/// redis-check-rdb and load into real Redis with the same counters and
/// idle times, and the reverse.
#[test]
fn rdb_clocks_interoperate_with_real_redis() {
    let Some(redis) = redis_binary() else {
        return;
    };
    for (policy, extra) in [("allkeys-lfu", "FREQ"), ("allkeys-lru", "IDLETIME")] {
        let data = TempDir::new("clock-rdb");
        let dir = data.path().to_str().expect("utf8 path");
        let args = [
            "--dir",
            dir,
            DEBUG,
            "yes",
            "--maxmemory-policy",
            policy,
            "--lfu-decay-time",
            "0",
        ];
        let values = ["0", "7", "100", "255"];
        let idle_or_freq = |c: &mut Client, k: &str| {
            let sub = if extra == "FREQ" { "FREQ" } else { "IDLETIME" };
            int(&c.cmd(&["OBJECT", sub, k]))
        };
        let check = |c: &mut Client, who: &str| {
            for (i, v) in values.iter().enumerate() {
                let got = idle_or_freq(c, &format!("k{i}"));
                let want: i64 = v.parse().unwrap_or(0);
                let ok = if extra == "FREQ" {
                    got == want
                } else {
                    (want..=want + 2).contains(&got)
                };
                assert!(ok, "{who} ({policy}): k{i} {extra} {got}, want {want}");
            }
        };
        // ferrodis writes; redis-check-rdb and real Redis read.
        let mut ours = Server::start(server_binary(), &args);
        let mut c = ours.client();
        let p = payload(&mut c);
        c.cmd(&["DEL", "__src"]);
        for (i, v) in values.iter().enumerate() {
            assert_eq!(
                restore(&mut c, &format!("k{i}"), &p, &[extra, v]),
                Reply::ok()
            );
        }
        c.cmd(&["RPUSH", "list", "a", "b"]);
        let digest = c.cmd(&["DEBUG", "DIGEST"]);
        assert_eq!(c.cmd(&["SAVE"]), Reply::ok());
        let rdb = data.path().join("dump.rdb");
        let bytes = std::fs::read(&rdb).expect("read dump.rdb");
        let opcode = if extra == "FREQ" { 0xf9 } else { 0xf8 };
        assert!(
            bytes.contains(&opcode),
            "{policy}: no opcode {opcode:#x} in the file"
        );
        check_rdb(&rdb);
        ours.stop();
        let mut real = Server::start(&redis, &args);
        let mut rc = real.client();
        assert_eq!(rc.cmd(&["DEBUG", "DIGEST"]), digest);
        check(&mut rc, "real Redis loading ours");
        // Real Redis writes; ferrodis reads.
        assert_eq!(rc.cmd(&["SAVE"]), Reply::ok());
        real.stop();
        let back = Server::start(server_binary(), &args);
        let mut bc = back.client();
        assert_eq!(bc.cmd(&["DEBUG", "DIGEST"]), digest);
        check(&mut bc, "ferrodis loading Redis's");
    }
}

/// While a fork child lives, lookups do not touch clocks (no copy-on-write
/// of the keyspace just for them); afterwards they do again.
#[test]
fn no_touch_while_a_child_is_saving() {
    let Some((real, ours)) = pair(&[]) else {
        return;
    };
    let (mut r, mut o) = (real.client(), ours.client());
    let p = payload(&mut r);
    let (want, got) = both(&mut r, &mut o, |c| {
        restore(c, "k", &p, &["IDLETIME", "1000"]);
        // Two keys at 0.5 s each keep the child alive for about a second.
        c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "500000"]);
        assert_eq!(
            c.cmd(&["BGSAVE"]),
            Reply::Status("Background saving started".into())
        );
        c.cmd(&["GET", "k"]);
        c.cmd(&["TOUCH", "k"]);
        let during = int(&c.cmd(&["OBJECT", "IDLETIME", "k"]));
        wait_for(
            200,
            Duration::from_millis(50),
            || {
                c.info("persistence")
                    .get("rdb_bgsave_in_progress")
                    .map(String::as_str)
                    == Some("0")
            },
            "BGSAVE to finish",
        );
        c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        c.cmd(&["GET", "k"]);
        let after = int(&c.cmd(&["OBJECT", "IDLETIME", "k"]));
        (during >= 1000, after <= 1)
    });
    assert_eq!(got, (true, true));
    assert_eq!(got, want);
}
