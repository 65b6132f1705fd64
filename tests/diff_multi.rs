//! Differential cases for transactions (MULTI/EXEC/DISCARD/WATCH) and the
//! pub/sub replies a single connection can observe (RESP2 subscriber mode,
//! RESP3 push messages to itself). Case syntax: see tests/differential.rs.

mod common;

use common::diff::{cases, Case};

const CASES: &[Case] = cases! {
    "multi_exec_basic": ["MULTI"] ["SET", "a", "1"] ["INCR", "a"] ["GET", "a"] ["EXEC"];
    "multi_empty_exec": ["MULTI"] ["EXEC"];
    "multi_nested": ["MULTI"] ["MULTI"] ["EXEC"];
    "exec_without_multi": ["EXEC"];
    "discard_without_multi": ["DISCARD"];
    "watch_sees_written_keys_only": ["SADD", "src", "a"] ["WATCH", "src"] ["SUNIONSTORE", "dst", "src"] ["COPY", "src", "d2"] ["SORT", "src", "ALPHA", "STORE", "s9"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "dst"] ["SUNIONSTORE", "dst", "src"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "s9"] ["SORT", "src", "ALPHA", "STORE", "s9"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "d2"] ["COPY", "src", "d2", "REPLACE"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_sees_move_into_its_db": ["SELECT", "5"] ["WATCH", "mk"] ["SELECT", "0"] ["SET", "mk", "1"] ["MOVE", "mk", "5"] ["MULTI"] ["PING"] ["EXEC"] ["SELECT", "5"] ["WATCH", "c"] ["SELECT", "0"] ["SET", "c", "1"] ["COPY", "c", "c", "DB", "5"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_ignores_del_of_missing_keys": ["SET", "a", "1"] ["WATCH", "gone"] ["DEL", "a", "gone"] ["UNLINK", "gone"] ["MULTI"] ["PING"] ["EXEC"] ["SET", "b", "1"] ["WATCH", "b"] ["DEL", "b", "gone"] ["MULTI"] ["PING"] ["EXEC"];
    "exec_refused_aborts_the_transaction": ["EXEC", "x"] ["MULTI"] ["SET", "a", "1"] ["EXEC", "x"] ["EXEC"] ["GET", "a"] ["CONFIG", "RESETSTAT"] ["EXEC", "x"] ["INFO", "errorstats"];
    "keyspace_events_reach_the_calling_client": ["@ignore", "HELLO", "3"] ["CONFIG", "SET", "notify-keyspace-events", "KEA"] ["PSUBSCRIBE", "__key*__:*"] ["@raw", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n*2\r\n$4\r\nLPOP\r\n$1\r\nl\r\n*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\n*3\r\n$6\r\nEXPIRE\r\n$1\r\ns\r\n$3\r\n100\r\n*3\r\n$3\r\nDEL\r\n$1\r\nk\r\n$1\r\ns\r\n"] ["CONFIG", "SET", "notify-keyspace-events", ""];
    "sharded_pubsub_resp2": ["SSUBSCRIBE", "a", "b"] ["SSUBSCRIBE", "a"] ["SUBSCRIBE", "x"] ["PING"] ["SUNSUBSCRIBE", "a", "zz"] ["SUNSUBSCRIBE"] ["SUNSUBSCRIBE"] ["PUBSUB", "SHARDCHANNELS"] ["UNSUBSCRIBE"] ["PUBSUB", "SHARDCHANNELS"] ["SPUBLISH", "a", "x"];
    "sharded_pubsub_resp3": ["@ignore", "HELLO", "3"] ["SSUBSCRIBE", "a", "b"] ["@raw", "*3\r\n$8\r\nSPUBLISH\r\n$1\r\na\r\n$2\r\nhi\r\n"] ["PUBLISH", "a", "not-for-shard-subscribers"] ["PUBSUB", "SHARDNUMSUB", "a", "b", "c"] ["PUBSUB", "SHARDNUMSUB"] ["@sorted", "PUBSUB", "SHARDCHANNELS"] ["PUBSUB", "SHARDCHANNELS", "a*"] ["PUBSUB", "NUMSUB", "a"] ["@raw", "*2\r\n$10\r\nPSUBSCRIBE\r\n$1\r\n*\r\n*3\r\n$8\r\nSPUBLISH\r\n$1\r\nb\r\n$24\r\npatterns-do-not-see-this\r\n"] ["SUNSUBSCRIBE", "a"] ["@raw", "*3\r\n$8\r\nSPUBLISH\r\n$1\r\nb\r\n$2\r\nyo\r\n"] ["SPUBLISH", "a", "gone"] ["RESET"] ["PUBSUB", "SHARDCHANNELS"] ["SPUBLISH", "b", "after-reset"];
    "sharded_pubsub_in_multi": ["MULTI"] ["SSUBSCRIBE", "q"] ["SUBSCRIBE", "r"] ["EXEC"] ["PUBSUB", "SHARDCHANNELS"];
    "sharded_pubsub_errors": ["SSUBSCRIBE"] ["SPUBLISH", "a"] ["PUBSUB", "SHARDNUMSUB", "a", "b"] ["SUNSUBSCRIBE"] ["SUNSUBSCRIBE", "nope"];
    "multi_discard": ["SET", "a", "1"] ["MULTI"] ["SET", "a", "2"] ["DISCARD"] ["GET", "a"] ["EXEC"];
    "multi_runtime_error_keeps_going": ["SET", "s", "x"] ["MULTI"] ["INCR", "s"] ["SET", "t", "1"] ["EXEC"] ["GET", "t"];
    "multi_unknown_command_aborts": ["MULTI"] ["SET", "a", "1"] ["NOSUCHCMD", "x"] ["EXEC"] ["EXISTS", "a"];
    "multi_arity_error_aborts": ["MULTI"] ["SET", "a"] ["SET", "b", "1"] ["EXEC"] ["EXISTS", "b"];
    "multi_watch_inside": ["MULTI"] ["WATCH", "a"] ["EXEC"];
    "multi_select_inside": ["MULTI"] ["SELECT", "1"] ["SET", "a", "1"] ["EXEC"] ["GET", "a"] ["SELECT", "0"] ["EXISTS", "a"];
    "multi_exec_after_abort_clears_state": ["MULTI"] ["NOPE"] ["EXEC"] ["EXEC"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_unmodified_key": ["SET", "a", "1"] ["WATCH", "a"] ["MULTI"] ["INCR", "a"] ["EXEC"];
    "watch_modified_by_self": ["SET", "a", "1"] ["WATCH", "a"] ["SET", "a", "2"] ["MULTI"] ["INCR", "a"] ["EXEC"] ["GET", "a"];
    "watch_missing_key_then_created": ["WATCH", "nk"] ["SET", "nk", "1"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_missing_key_untouched": ["WATCH", "nk"] ["MULTI"] ["PING"] ["EXEC"];
    "unwatch_clears": ["SET", "a", "1"] ["WATCH", "a"] ["SET", "a", "2"] ["UNWATCH"] ["MULTI"] ["GET", "a"] ["EXEC"];
    "watch_then_del": ["SET", "a", "1"] ["WATCH", "a"] ["DEL", "a"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_then_expire": ["SET", "a", "1"] ["WATCH", "a"] ["EXPIRE", "a", "100"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_then_flushall": ["SET", "a", "1"] ["WATCH", "a"] ["FLUSHALL"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_missing_then_flushall": ["WATCH", "a"] ["FLUSHALL"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_then_flushdb_other_db": ["SET", "a", "1"] ["WATCH", "a"] ["SELECT", "1"] ["FLUSHDB"] ["SELECT", "0"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_other_db_key": ["SELECT", "1"] ["SET", "a", "1"] ["WATCH", "a"] ["SELECT", "0"] ["SET", "a", "2"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_then_setnx_noop": ["SET", "a", "1"] ["WATCH", "a"] ["SETNX", "a", "2"] ["MULTI"] ["PING"] ["EXEC"];
    "watch_arity": ["WATCH"];
    "watch_multi_keys": ["MSET", "a", "1", "b", "2"] ["WATCH", "a", "b", "c"] ["SET", "b", "3"] ["MULTI"] ["PING"] ["EXEC"];
    "exec_resets_watch": ["SET", "a", "1"] ["WATCH", "a"] ["MULTI"] ["PING"] ["EXEC"] ["SET", "a", "2"] ["MULTI"] ["PING"] ["EXEC"];
    "discard_resets_watch": ["SET", "a", "1"] ["WATCH", "a"] ["MULTI"] ["DISCARD"] ["SET", "a", "2"] ["MULTI"] ["PING"] ["EXEC"];
    "multi_resp3_null_exec": ["@ignore", "HELLO", "3"] ["SET", "a", "1"] ["WATCH", "a"] ["SET", "a", "2"] ["MULTI"] ["PING"] ["EXEC"];
    "multi_queued_errors_reply": ["MULTI"] ["GET"] ["DISCARD"];
    "multi_info_inside": ["MULTI"] ["TIME"] ["DISCARD"];
    "subscribe_replies": ["SUBSCRIBE", "a", "b", "a"] ["PING"] ["PING", "hi"] ["GET", "k"] ["UNSUBSCRIBE", "b"] ["UNSUBSCRIBE"] ["UNSUBSCRIBE"] ["GET", "k"];
    "psubscribe_replies": ["PSUBSCRIBE", "n*", "m?"] ["PUNSUBSCRIBE", "m?"] ["PUNSUBSCRIBE"] ["PUNSUBSCRIBE"];
    "subscribe_mixed_count": ["SUBSCRIBE", "a"] ["PSUBSCRIBE", "p*"] ["SUBSCRIBE", "b"] ["PUNSUBSCRIBE", "p*"] ["UNSUBSCRIBE", "a", "b"];
    "subscribe_arity": ["SUBSCRIBE"] ["PSUBSCRIBE"];
    "publish_no_subscribers": ["PUBLISH", "ch", "msg"];
    "pubsub_numsub_numpat_self": ["SUBSCRIBE", "x"] ["RESET"] ["PUBSUB", "NUMSUB", "x", "y"] ["PUBSUB", "NUMPAT"] ["PUBSUB", "CHANNELS"];
    "resp3_publish_to_self": ["@ignore", "HELLO", "3"] ["SUBSCRIBE", "ch"] ["PUBLISH", "ch", "hello"] ["GET", "k"] ["PSUBSCRIBE", "c*"] ["PUBLISH", "ch", "two"] ["PUBSUB", "NUMSUB", "ch"] ["PUBSUB", "NUMPAT"] ["PUBSUB", "CHANNELS", "c*"];
    "resp3_unsubscribe_push": ["@ignore", "HELLO", "3"] ["SUBSCRIBE", "a"] ["UNSUBSCRIBE"] ["UNSUBSCRIBE"];
    "pubsub_help": ["PUBSUB", "HELP"];
    "pubsub_unknown_sub": ["PUBSUB", "NOPE"];
    "reset_reply": ["SELECT", "3"] ["CLIENT", "SETNAME", "x"] ["RESET"] ["CLIENT", "GETNAME"] ["SET", "k", "v"] ["SELECT", "0"] ["EXISTS", "k"];
    "reset_in_multi": ["MULTI"] ["SET", "a", "1"] ["RESET"] ["EXEC"] ["EXISTS", "a"];
    "client_reply_off_on": ["@raw", "CLIENT REPLY OFF
SET a 1
GET a
CLIENT REPLY ON
GET a
"];
    "client_reply_skip": ["@raw", "CLIENT REPLY SKIP
SET a 1
GET a
"] ["@raw", "CLIENT REPLY OFF
CLIENT REPLY SKIP
PING
CLIENT REPLY ON
"];
    "client_reply_bad": ["CLIENT", "REPLY", "MAYBE"];
    "client_pause_errors": ["CLIENT", "PAUSE", "abc"] ["CLIENT", "PAUSE", "-1"] ["CLIENT", "PAUSE", "10", "NOPE"] ["CLIENT", "UNPAUSE"];
    "client_unblock_not_blocked": ["CLIENT", "UNBLOCK", "999999"] ["CLIENT", "UNBLOCK", "999999", "ERROR"] ["CLIENT", "UNBLOCK", "1", "MAYBE"] ["CLIENT", "UNBLOCK", "x"];
};

#[test]
fn differential_multi_and_pubsub() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}
