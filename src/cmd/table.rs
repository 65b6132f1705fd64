//! The command table. Rows are generated from a real Redis 7.0 by
//! `scripts/gen-command-table.py` (arity, flags, ACL categories, key
//! positions and COMMAND DOCS facts), then pointed at our handlers. Keep the
//! metadata as Redis reports it: clients and tools rely on it.

use super::flags::*;
// Data-type modules are imported before their rows land.
#[allow(unused_imports)]
use super::{
    connection, container, expire, hash, keys, list, server, set, string, zset, Command, Handler,
};

/// Build a row. A `const fn` keeps the table a plain static slice.
#[allow(clippy::too_many_arguments)]
const fn cmd(
    name: &'static str,
    handler: Handler,
    arity: i32,
    flags: u32,
    acl: &'static str,
    keys: (i32, i32, i32),
    subcommands: &'static [Command],
    group: &'static str,
    since: &'static str,
    complexity: &'static str,
    summary: &'static str,
) -> Command {
    Command {
        name,
        handler,
        arity,
        flags,
        acl,
        first_key: keys.0,
        last_key: keys.1,
        key_step: keys.2,
        subcommands,
        group,
        since,
        summary,
        complexity,
    }
}

/// Every top-level command.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    cmd("ping", connection::ping, -1, FAST, "fast connection", (0, 0, 0), &[], "connection", "1.0.0", "O(1)", "Ping the server"),
    cmd("echo", connection::echo, 2, LOADING | STALE | FAST, "fast connection", (0, 0, 0), &[], "connection", "1.0.0", "O(1)", "Echo the given string"),
    cmd("quit", connection::quit, -1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, "fast connection", (0, 0, 0), &[], "connection", "1.0.0", "O(1)", "Close the connection"),
    cmd("select", connection::select, 2, LOADING | STALE | FAST, "fast connection", (0, 0, 0), &[], "connection", "1.0.0", "O(1)", "Change the selected database for the current connection"),
    cmd("auth", connection::auth, -2, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, "fast connection", (0, 0, 0), &[], "connection", "1.0.0", "O(N) where N is the number of passwords defined for the user", "Authenticate to the server"),
    cmd("hello", connection::hello, -1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, "fast connection", (0, 0, 0), &[], "connection", "6.0.0", "O(1)", "Handshake with Redis"),
    cmd("client", container, -2, 0, "slow", (0, 0, 0), CLIENT_SUBCOMMANDS, "connection", "2.4.0", "Depends on subcommand.", "A container for client connection commands"),
    cmd("del", keys::del, -2, WRITE, "keyspace write slow", (1, -1, 1), &[], "generic", "1.0.0", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", "Delete a key"),
    cmd("unlink", keys::unlink, -2, WRITE | FAST, "keyspace write fast", (1, -1, 1), &[], "generic", "4.0.0", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking."),
    cmd("exists", keys::exists, -2, READONLY | FAST, "keyspace read fast", (1, -1, 1), &[], "generic", "1.0.0", "O(N) where N is the number of keys to check.", "Determine if a key exists"),
    cmd("type", keys::r#type, 2, READONLY | FAST, "keyspace read fast", (1, 1, 1), &[], "generic", "1.0.0", "O(1)", "Determine the type stored at key"),
    cmd("rename", keys::rename, 3, WRITE, "keyspace write slow", (1, 2, 1), &[], "generic", "1.0.0", "O(1)", "Rename a key"),
    cmd("renamenx", keys::renamenx, 3, WRITE | FAST, "keyspace write fast", (1, 2, 1), &[], "generic", "1.0.0", "O(1)", "Rename a key, only if the new key does not exist"),
    cmd("keys", keys::keys, 2, READONLY, "keyspace read slow dangerous", (0, 0, 0), &[], "generic", "1.0.0", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.", "Find all keys matching the given pattern"),
    cmd("scan", keys::scan, -2, READONLY, "keyspace read slow", (0, 0, 0), &[], "generic", "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "Incrementally iterate the keys space"),
    cmd("randomkey", keys::randomkey, 1, READONLY, "keyspace read slow", (0, 0, 0), &[], "generic", "1.0.0", "O(1)", "Return a random key from the keyspace"),
    cmd("dbsize", keys::dbsize, 1, READONLY | FAST, "keyspace read fast", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Return the number of keys in the selected database"),
    cmd("flushdb", keys::flushdb, -1, WRITE, "keyspace write slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(N) where N is the number of keys in the selected database", "Remove all keys from the current database"),
    cmd("flushall", keys::flushall, -1, WRITE, "keyspace write slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(N) where N is the total number of keys in all databases", "Remove all keys from all databases"),
    cmd("move", keys::r#move, 3, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "1.0.0", "O(1)", "Move a key to another database"),
    cmd("swapdb", keys::swapdb, 3, WRITE | FAST, "keyspace write fast dangerous", (0, 0, 0), &[], "server", "4.0.0", "O(N) where N is the count of clients watching or blocking on keys from both databases.", "Swaps two Redis databases"),
    cmd("touch", keys::touch, -2, READONLY | FAST, "keyspace read fast", (1, -1, 1), &[], "generic", "3.2.1", "O(N) where N is the number of keys that will be touched.", "Alters the last access time of a key(s). Returns the number of existing keys specified."),
    cmd("expire", expire::expire, -3, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "1.0.0", "O(1)", "Set a key's time to live in seconds"),
    cmd("pexpire", expire::pexpire, -3, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "2.6.0", "O(1)", "Set a key's time to live in milliseconds"),
    cmd("expireat", expire::expireat, -3, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "1.2.0", "O(1)", "Set the expiration for a key as a UNIX timestamp"),
    cmd("pexpireat", expire::pexpireat, -3, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "2.6.0", "O(1)", "Set the expiration for a key as a UNIX timestamp specified in milliseconds"),
    cmd("ttl", expire::ttl, 2, READONLY | FAST, "keyspace read fast", (1, 1, 1), &[], "generic", "1.0.0", "O(1)", "Get the time to live for a key in seconds"),
    cmd("pttl", expire::pttl, 2, READONLY | FAST, "keyspace read fast", (1, 1, 1), &[], "generic", "2.6.0", "O(1)", "Get the time to live for a key in milliseconds"),
    cmd("expiretime", expire::expiretime, 2, READONLY | FAST, "keyspace read fast", (1, 1, 1), &[], "generic", "7.0.0", "O(1)", "Get the expiration Unix timestamp for a key"),
    cmd("pexpiretime", expire::pexpiretime, 2, READONLY | FAST, "keyspace read fast", (1, 1, 1), &[], "generic", "7.0.0", "O(1)", "Get the expiration Unix timestamp for a key in milliseconds"),
    cmd("persist", expire::persist, 2, WRITE | FAST, "keyspace write fast", (1, 1, 1), &[], "generic", "2.2.0", "O(1)", "Remove the expiration from a key"),
    cmd("object", container, -2, 0, "slow", (0, 0, 0), OBJECT_SUBCOMMANDS, "generic", "2.2.3", "Depends on subcommand.", "A container for object introspection commands"),
    cmd("get", string::get, 2, READONLY | FAST, "read string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Get the value of a key"),
    cmd("set", string::set, -3, WRITE | DENYOOM, "write string slow", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Set the string value of a key"),
    cmd("setnx", string::setnx, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Set the value of a key, only if the key does not exist"),
    cmd("setex", string::setex, 4, WRITE | DENYOOM, "write string slow", (1, 1, 1), &[], "string", "2.0.0", "O(1)", "Set the value and expiration of a key"),
    cmd("psetex", string::psetex, 4, WRITE | DENYOOM, "write string slow", (1, 1, 1), &[], "string", "2.6.0", "O(1)", "Set the value and expiration in milliseconds of a key"),
    cmd("mget", string::mget, -2, READONLY | FAST, "read string fast", (1, -1, 1), &[], "string", "1.0.0", "O(N) where N is the number of keys to retrieve.", "Get the values of all the given keys"),
    cmd("mset", string::mset, -3, WRITE | DENYOOM, "write string slow", (1, -1, 2), &[], "string", "1.0.1", "O(N) where N is the number of keys to set.", "Set multiple keys to multiple values"),
    cmd("msetnx", string::msetnx, -3, WRITE | DENYOOM, "write string slow", (1, -1, 2), &[], "string", "1.0.1", "O(N) where N is the number of keys to set.", "Set multiple keys to multiple values, only if none of the keys exist"),
    cmd("getset", string::getset, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Set the string value of a key and return its old value"),
    cmd("getdel", string::getdel, 2, WRITE | FAST, "write string fast", (1, 1, 1), &[], "string", "6.2.0", "O(1)", "Get the value of a key and delete the key"),
    cmd("getex", string::getex, -2, WRITE | FAST, "write string fast", (1, 1, 1), &[], "string", "6.2.0", "O(1)", "Get the value of a key and optionally set its expiration"),
    cmd("incr", string::incr, 2, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Increment the integer value of a key by one"),
    cmd("decr", string::decr, 2, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Decrement the integer value of a key by one"),
    cmd("incrby", string::incrby, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Increment the integer value of a key by the given amount"),
    cmd("decrby", string::decrby, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "1.0.0", "O(1)", "Decrement the integer value of a key by the given number"),
    cmd("incrbyfloat", string::incrbyfloat, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "2.6.0", "O(1)", "Increment the float value of a key by the given amount"),
    cmd("append", string::append, 3, WRITE | DENYOOM | FAST, "write string fast", (1, 1, 1), &[], "string", "2.0.0", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.", "Append a value to a key"),
    cmd("strlen", string::strlen, 2, READONLY | FAST, "read string fast", (1, 1, 1), &[], "string", "2.2.0", "O(1)", "Get the length of the value stored in a key"),
    cmd("getrange", string::getrange, 4, READONLY, "read string slow", (1, 1, 1), &[], "string", "2.4.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", "Get a substring of the string stored at a key"),
    cmd("substr", string::substr, 4, READONLY, "read string slow", (1, 1, 1), &[], "string", "1.0.0", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", "Get a substring of the string stored at a key"),
    cmd("setrange", string::setrange, 4, WRITE | DENYOOM, "write string slow", (1, 1, 1), &[], "string", "2.2.0", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.", "Overwrite part of a string at key starting at the specified offset"),
    cmd("info", server::info, -1, LOADING | STALE, "slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Get information and statistics about the server"),
    cmd("config", container, -2, 0, "slow", (0, 0, 0), CONFIG_SUBCOMMANDS, "server", "2.0.0", "Depends on subcommand.", "A container for server configuration commands"),
    cmd("time", server::time, 1, LOADING | STALE | FAST, "fast", (0, 0, 0), &[], "server", "2.6.0", "O(1)", "Return the current server time"),
    cmd("command", server::command, -1, LOADING | STALE, "slow connection", (0, 0, 0), COMMAND_SUBCOMMANDS, "server", "2.8.13", "O(N) where N is the total number of Redis commands", "Get array of Redis command details"),
    cmd("shutdown", server::shutdown, -1, ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", "Synchronously save the dataset to disk and then shut down the server"),
    cmd("debug", server::debug, -2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "Depends on subcommand.", "A container for debugging commands"),
    cmd("slowlog", container, -2, 0, "slow", (0, 0, 0), SLOWLOG_SUBCOMMANDS, "server", "2.2.12", "Depends on subcommand.", "A container for slow log commands"),
    cmd("lastsave", server::lastsave, 1, LOADING | STALE | FAST, "admin fast dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Get the UNIX time stamp of the last successful save to disk"),
    // -- lists --

    // -- hashes --

    // -- sets --

    // -- sorted sets --

    // -- end of data types --
];
#[rustfmt::skip]
static CLIENT_SUBCOMMANDS: &[Command] = &[
    cmd("getname", connection::client_getname, 2, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "2.6.9", "O(1)", "Get the current connection name"),
    cmd("getredir", connection::client_getredir, 2, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "6.0.0", "O(1)", "Get tracking notifications redirection client ID if any"),
    cmd("help", connection::client_help, 2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "5.0.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("id", connection::client_id, 2, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "5.0.0", "O(1)", "Returns the client ID for the current connection"),
    cmd("info", connection::client_info, 2, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "6.2.0", "O(1)", "Returns information about the current client connection."),
    cmd("kill", connection::client_kill, -3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "2.4.0", "O(N) where N is the number of client connections", "Kill the connection of a client"),
    cmd("list", connection::client_list, -2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "2.4.0", "O(N) where N is the number of client connections", "Get the list of client connections"),
    cmd("no-evict", connection::client_no_evict, 3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "7.0.0", "O(1)", "Set client eviction mode for the current connection"),
    cmd("reply", connection::client_reply, 3, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "3.2.0", "O(1)", "Instruct the server whether to reply to commands"),
    // Redis 7.2's CLIENT SETINFO, accepted because client libraries send it.
    cmd("setinfo", connection::client_setinfo, 4, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "7.2.0", "O(1)", "Set client or connection specific info"),
    cmd("setname", connection::client_setname, 3, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "2.6.9", "O(1)", "Set the current connection name"),
    cmd("unblock", connection::client_unblock, -3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "5.0.0", "O(log N) where N is the number of client connections", "Unblock a client blocked in a blocking command from a different connection"),
];

#[rustfmt::skip]
static OBJECT_SUBCOMMANDS: &[Command] = &[
    cmd("encoding", keys::object_encoding, 3, READONLY, "keyspace read slow", (2, 2, 1), &[], "generic", "2.2.3", "O(1)", "Inspect the internal encoding of a Redis object"),
    cmd("help", keys::object_help, 2, LOADING | STALE, "keyspace slow", (0, 0, 0), &[], "generic", "6.2.0", "O(1)", "Show helpful text about the different subcommands"),
];

#[rustfmt::skip]
static CONFIG_SUBCOMMANDS: &[Command] = &[
    cmd("get", server::config_get, -3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.0.0", "O(N) when N is the number of configuration parameters provided", "Get the values of configuration parameters"),
    cmd("help", server::config_help, 2, LOADING | STALE, "slow", (0, 0, 0), &[], "server", "5.0.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("resetstat", server::config_resetstat, 2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.0.0", "O(1)", "Reset the stats returned by INFO"),
    cmd("rewrite", server::config_rewrite, 2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.8.0", "O(1)", "Rewrite the configuration file with the in memory configuration"),
    cmd("set", server::config_set, -4, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.0.0", "O(N) when N is the number of configuration parameters provided", "Set configuration parameters to the given values"),
];

#[rustfmt::skip]
static COMMAND_SUBCOMMANDS: &[Command] = &[
    cmd("count", server::command_count, 2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "2.8.13", "O(1)", "Get total number of Redis commands"),
    cmd("docs", server::command_docs, -2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "7.0.0", "O(N) where N is the number of commands to look up", "Get array of specific Redis command documentation"),
    cmd("getkeys", server::command_getkeys, -4, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "2.8.13", "O(N) where N is the number of arguments to the command", "Extract keys given a full Redis command"),
    cmd("getkeysandflags", server::command_getkeysandflags, -4, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "7.0.0", "O(N) where N is the number of arguments to the command", "Extract keys and access flags given a full Redis command"),
    cmd("help", server::command_help, 2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "5.0.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("info", server::command_info, -2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "2.8.13", "O(N) where N is the number of commands to look up", "Get array of specific Redis command details, or all when no argument is given."),
    cmd("list", server::command_list, -2, LOADING | STALE, "slow connection", (0, 0, 0), &[], "server", "7.0.0", "O(N) where N is the total number of Redis commands", "Get an array of Redis command names"),
];

#[rustfmt::skip]
static SLOWLOG_SUBCOMMANDS: &[Command] = &[
    cmd("get", server::slowlog_get, -2, ADMIN | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.2.12", "O(N) where N is the number of entries returned", "Get the slow log's entries"),
    cmd("help", server::slowlog_help, 2, LOADING | STALE, "slow", (0, 0, 0), &[], "server", "6.2.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("len", server::slowlog_len, 2, ADMIN | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.2.12", "O(1)", "Get the slow log's length"),
    cmd("reset", server::slowlog_reset, 2, ADMIN | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.2.12", "O(N) where N is the number of entries in the slowlog", "Clear all entries from the slow log"),
];
