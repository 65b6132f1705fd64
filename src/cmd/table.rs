//! The command table. Rows are generated from a real Redis 7.0 by
//! `scripts/gen-command-table.py` (arity, flags, ACL categories, key
//! positions and COMMAND DOCS facts), then pointed at our handlers. Keep the
//! metadata as Redis reports it: clients and tools rely on it.

use super::flags::*;
// Data-type modules are imported before their rows land.
use super::replication;
#[allow(unused_imports)]
use super::{
    bitops, connection, container, expire, hash, hyperloglog, keys, list, multi, pubsub, replicaof,
    server, set, sort, string, zset, Command, Handler,
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
    cmd("copy", keys::copy, -3, WRITE | DENYOOM, "keyspace write slow", (1, 2, 1), &[], "generic", "6.2.0", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.", "Copy a key"),
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
    cmd("lcs", string::lcs, -3, READONLY, "read string slow", (1, 2, 1), &[], "string", "7.0.0", "O(N*M) where N and M are the lengths of s1 and s2, respectively", "Find longest common substring"),
    cmd("setbit", bitops::setbit, 4, WRITE | DENYOOM, "write bitmap slow", (1, 1, 1), &[], "bitmap", "2.2.0", "O(1)", "Sets or clears the bit at offset in the string value stored at key"),
    cmd("getbit", bitops::getbit, 3, READONLY | FAST, "read bitmap fast", (1, 1, 1), &[], "bitmap", "2.2.0", "O(1)", "Returns the bit value at offset in the string value stored at key"),
    cmd("bitcount", bitops::bitcount, -2, READONLY, "read bitmap slow", (1, 1, 1), &[], "bitmap", "2.6.0", "O(N)", "Count set bits in a string"),
    cmd("bitpos", bitops::bitpos, -3, READONLY, "read bitmap slow", (1, 1, 1), &[], "bitmap", "2.8.7", "O(N)", "Find first bit set or clear in a string"),
    cmd("bitop", bitops::bitop, -4, WRITE | DENYOOM, "write bitmap slow", (2, -1, 1), &[], "bitmap", "2.6.0", "O(N)", "Perform bitwise operations between strings"),
    cmd("bitfield", bitops::bitfield, -2, WRITE | DENYOOM, "write bitmap slow", (1, 1, 1), &[], "bitmap", "3.2.0", "O(1) for each subcommand specified", "Perform arbitrary bitfield integer operations on strings"),
    cmd("bitfield_ro", bitops::bitfield_ro, -2, READONLY | FAST, "read bitmap fast", (1, 1, 1), &[], "bitmap", "6.0.0", "O(1) for each subcommand specified", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD"),
    cmd("pfadd", hyperloglog::pfadd, -2, WRITE | DENYOOM | FAST, "write hyperloglog fast", (1, 1, 1), &[], "hyperloglog", "2.8.9", "O(1) to add every element.", "Adds the specified elements to the specified HyperLogLog."),
    cmd("pfcount", hyperloglog::pfcount, -2, READONLY, "read hyperloglog slow", (1, -1, 1), &[], "hyperloglog", "2.8.9", "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.", "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s)."),
    cmd("pfmerge", hyperloglog::pfmerge, -2, WRITE | DENYOOM, "write hyperloglog slow", (1, -1, 1), &[], "hyperloglog", "2.8.9", "O(N) to merge N HyperLogLogs, but with high constant times.", "Merge N different HyperLogLogs into a single one."),
    cmd("pfdebug", hyperloglog::pfdebug, 3, WRITE | DENYOOM | ADMIN, "write hyperloglog admin slow dangerous", (2, 2, 1), &[], "hyperloglog", "2.8.9", "N/A", "Internal commands for debugging HyperLogLog values"),
    cmd("pfselftest", hyperloglog::pfselftest, 1, ADMIN, "hyperloglog admin slow dangerous", (0, 0, 0), &[], "hyperloglog", "2.8.9", "N/A", "An internal command for testing HyperLogLog values"),
    cmd("info", server::info, -1, LOADING | STALE, "slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Get information and statistics about the server"),
    cmd("config", container, -2, 0, "slow", (0, 0, 0), CONFIG_SUBCOMMANDS, "server", "2.0.0", "Depends on subcommand.", "A container for server configuration commands"),
    cmd("time", server::time, 1, LOADING | STALE | FAST, "fast", (0, 0, 0), &[], "server", "2.6.0", "O(1)", "Return the current server time"),
    cmd("command", server::command, -1, LOADING | STALE, "slow connection", (0, 0, 0), COMMAND_SUBCOMMANDS, "server", "2.8.13", "O(N) where N is the total number of Redis commands", "Get array of Redis command details"),
    cmd("shutdown", server::shutdown, -1, ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", "Synchronously save the dataset to disk and then shut down the server"),
    cmd("debug", server::debug, -2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "Depends on subcommand.", "A container for debugging commands"),
    cmd("slowlog", container, -2, 0, "slow", (0, 0, 0), SLOWLOG_SUBCOMMANDS, "server", "2.2.12", "Depends on subcommand.", "A container for slow log commands"),
    cmd("lastsave", server::lastsave, 1, LOADING | STALE | FAST, "admin fast dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Get the UNIX time stamp of the last successful save to disk"),
    // -- lists --
    cmd("lpush", list::lpush, -3, WRITE | DENYOOM | FAST, "write list fast", (1, 1, 1), &[], "list", "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Prepend one or multiple elements to a list"),
    cmd("rpush", list::rpush, -3, WRITE | DENYOOM | FAST, "write list fast", (1, 1, 1), &[], "list", "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Append one or multiple elements to a list"),
    cmd("lpushx", list::lpushx, -3, WRITE | DENYOOM | FAST, "write list fast", (1, 1, 1), &[], "list", "2.2.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Prepend an element to a list, only if the list exists"),
    cmd("rpushx", list::rpushx, -3, WRITE | DENYOOM | FAST, "write list fast", (1, 1, 1), &[], "list", "2.2.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Append an element to a list, only if the list exists"),
    cmd("lpop", list::lpop, -2, WRITE | FAST, "write list fast", (1, 1, 1), &[], "list", "1.0.0", "O(N) where N is the number of elements returned", "Remove and get the first elements in a list"),
    cmd("rpop", list::rpop, -2, WRITE | FAST, "write list fast", (1, 1, 1), &[], "list", "1.0.0", "O(N) where N is the number of elements returned", "Remove and get the last elements in a list"),
    cmd("llen", list::llen, 2, READONLY | FAST, "read list fast", (1, 1, 1), &[], "list", "1.0.0", "O(1)", "Get the length of a list"),
    cmd("lindex", list::lindex, 3, READONLY, "read list slow", (1, 1, 1), &[], "list", "1.0.0", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).", "Get an element from a list by its index"),
    cmd("lset", list::lset, 4, WRITE | DENYOOM, "write list slow", (1, 1, 1), &[], "list", "1.0.0", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).", "Set the value of an element in a list by its index"),
    cmd("lrange", list::lrange, 4, READONLY, "read list slow", (1, 1, 1), &[], "list", "1.0.0", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.", "Get a range of elements from a list"),
    cmd("ltrim", list::ltrim, 4, WRITE, "write list slow", (1, 1, 1), &[], "list", "1.0.0", "O(N) where N is the number of elements to be removed by the operation.", "Trim a list to the specified range"),
    cmd("lrem", list::lrem, 4, WRITE, "write list slow", (1, 1, 1), &[], "list", "1.0.0", "O(N+M) where N is the length of the list and M is the number of elements removed.", "Remove elements from a list"),
    cmd("linsert", list::linsert, 5, WRITE | DENYOOM, "write list slow", (1, 1, 1), &[], "list", "2.2.0", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).", "Insert an element before or after another element in a list"),
    cmd("lpos", list::lpos, -3, READONLY, "read list slow", (1, 1, 1), &[], "list", "6.0.6", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.", "Return the index of matching elements on a list"),
    cmd("lmove", list::lmove, 5, WRITE | DENYOOM, "write list slow", (1, 2, 1), &[], "list", "6.2.0", "O(1)", "Pop an element from a list, push it to another list and return it"),
    cmd("rpoplpush", list::rpoplpush, 3, WRITE | DENYOOM, "write list slow", (1, 2, 1), &[], "list", "1.2.0", "O(1)", "Remove the last element in a list, prepend it to another list and return it"),
    cmd("lmpop", list::lmpop, -4, WRITE | MOVABLE_KEYS, "write list slow", (0, 0, 0), &[], "list", "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "Pop elements from a list"),

    cmd("blpop", list::blpop, -3, WRITE | NOSCRIPT | BLOCKING, "write list slow blocking", (1, -2, 1), &[], "list", "2.0.0", "O(N) where N is the number of provided keys.", "Remove and get the first element in a list, or block until one is available"),
    cmd("brpop", list::brpop, -3, WRITE | NOSCRIPT | BLOCKING, "write list slow blocking", (1, -2, 1), &[], "list", "2.0.0", "O(N) where N is the number of provided keys.", "Remove and get the last element in a list, or block until one is available"),
    cmd("blmove", list::blmove, 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, "write list slow blocking", (1, 2, 1), &[], "list", "6.2.0", "O(1)", "Pop an element from a list, push it to another list and return it; or block until one is available"),
    cmd("brpoplpush", list::brpoplpush, 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, "write list slow blocking", (1, 2, 1), &[], "list", "2.2.0", "O(1)", "Pop an element from a list, push it to another list and return it; or block until one is available"),
    cmd("blmpop", list::blmpop, -5, WRITE | BLOCKING | MOVABLE_KEYS, "write list slow blocking", (0, 0, 0), &[], "list", "7.0.0", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "Pop elements from a list, or block until one is available"),

    // -- hashes --
    cmd("hset", hash::hset, -4, WRITE | DENYOOM | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.", "Set the string value of a hash field"),
    cmd("hsetnx", hash::hsetnx, 4, WRITE | DENYOOM | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1)", "Set the value of a hash field, only if the field does not exist"),
    cmd("hget", hash::hget, 3, READONLY | FAST, "read hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1)", "Get the value of a hash field"),
    cmd("hmset", hash::hmset, -4, WRITE | DENYOOM | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the number of fields being set.", "Set multiple hash fields to multiple values"),
    cmd("hmget", hash::hmget, -3, READONLY | FAST, "read hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the number of fields being requested.", "Get the values of all the given hash fields"),
    cmd("hdel", hash::hdel, -3, WRITE | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the number of fields to be removed.", "Delete one or more hash fields"),
    cmd("hexists", hash::hexists, 3, READONLY | FAST, "read hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1)", "Determine if a hash field exists"),
    cmd("hlen", hash::hlen, 2, READONLY | FAST, "read hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1)", "Get the number of fields in a hash"),
    cmd("hstrlen", hash::hstrlen, 3, READONLY | FAST, "read hash fast", (1, 1, 1), &[], "hash", "3.2.0", "O(1)", "Get the length of the value of a hash field"),
    cmd("hgetall", hash::hgetall, 2, READONLY, "read hash slow", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the size of the hash.", "Get all the fields and values in a hash"),
    cmd("hkeys", hash::hkeys, 2, READONLY, "read hash slow", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the size of the hash.", "Get all the fields in a hash"),
    cmd("hvals", hash::hvals, 2, READONLY, "read hash slow", (1, 1, 1), &[], "hash", "2.0.0", "O(N) where N is the size of the hash.", "Get all the values in a hash"),
    cmd("hincrby", hash::hincrby, 4, WRITE | DENYOOM | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.0.0", "O(1)", "Increment the integer value of a hash field by the given number"),
    cmd("hincrbyfloat", hash::hincrbyfloat, 4, WRITE | DENYOOM | FAST, "write hash fast", (1, 1, 1), &[], "hash", "2.6.0", "O(1)", "Increment the float value of a hash field by the given amount"),
    cmd("hrandfield", hash::hrandfield, -2, READONLY, "read hash slow", (1, 1, 1), &[], "hash", "6.2.0", "O(N) where N is the number of fields returned", "Get one or multiple random fields from a hash"),
    cmd("hscan", hash::hscan, -3, READONLY, "read hash slow", (1, 1, 1), &[], "hash", "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", "Incrementally iterate hash fields and associated values"),

    // -- sets --
    cmd("sadd", set::sadd, -3, WRITE | DENYOOM | FAST, "write set fast", (1, 1, 1), &[], "set", "1.0.0", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "Add one or more members to a set"),
    cmd("srem", set::srem, -3, WRITE | FAST, "write set fast", (1, 1, 1), &[], "set", "1.0.0", "O(N) where N is the number of members to be removed.", "Remove one or more members from a set"),
    cmd("smembers", set::smembers, 2, READONLY, "read set slow", (1, 1, 1), &[], "set", "1.0.0", "O(N) where N is the set cardinality.", "Get all the members in a set"),
    cmd("sismember", set::sismember, 3, READONLY | FAST, "read set fast", (1, 1, 1), &[], "set", "1.0.0", "O(1)", "Determine if a given value is a member of a set"),
    cmd("smismember", set::smismember, -3, READONLY | FAST, "read set fast", (1, 1, 1), &[], "set", "6.2.0", "O(N) where N is the number of elements being checked for membership", "Returns the membership associated with the given elements for a set"),
    cmd("scard", set::scard, 2, READONLY | FAST, "read set fast", (1, 1, 1), &[], "set", "1.0.0", "O(1)", "Get the number of members in a set"),
    cmd("spop", set::spop, -2, WRITE | FAST, "write set fast", (1, 1, 1), &[], "set", "1.0.0", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", "Remove and return one or multiple random members from a set"),
    cmd("srandmember", set::srandmember, -2, READONLY, "read set slow", (1, 1, 1), &[], "set", "1.0.0", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", "Get one or multiple random members from a set"),
    cmd("smove", set::smove, 4, WRITE | FAST, "write set fast", (1, 2, 1), &[], "set", "1.0.0", "O(1)", "Move a member from one set to another"),
    cmd("sinter", set::sinter, -2, READONLY, "read set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets"),
    cmd("sintercard", set::sintercard, -3, READONLY | MOVABLE_KEYS, "read set slow", (0, 0, 0), &[], "set", "7.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets and return the cardinality of the result"),
    cmd("sinterstore", set::sinterstore, -3, WRITE | DENYOOM, "write set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", "Intersect multiple sets and store the resulting set in a key"),
    cmd("sunion", set::sunion, -2, READONLY, "read set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Add multiple sets"),
    cmd("sunionstore", set::sunionstore, -3, WRITE | DENYOOM, "write set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Add multiple sets and store the resulting set in a key"),
    cmd("sdiff", set::sdiff, -2, READONLY, "read set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Subtract multiple sets"),
    cmd("sdiffstore", set::sdiffstore, -3, WRITE | DENYOOM, "write set slow", (1, -1, 1), &[], "set", "1.0.0", "O(N) where N is the total number of elements in all given sets.", "Subtract multiple sets and store the resulting set in a key"),
    cmd("sscan", set::sscan, -3, READONLY, "read set slow", (1, 1, 1), &[], "set", "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", "Incrementally iterate Set elements"),

    // -- sorted sets --
    cmd("zadd", zset::zadd, -4, WRITE | DENYOOM | FAST, "write sortedset fast", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", "Add one or more members to a sorted set, or update its score if it already exists"),
    cmd("zincrby", zset::zincrby, 4, WRITE | DENYOOM | FAST, "write sortedset fast", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(log(N)) where N is the number of elements in the sorted set.", "Increment the score of a member in a sorted set"),
    cmd("zrem", zset::zrem, -3, WRITE | FAST, "write sortedset fast", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", "Remove one or more members from a sorted set"),
    cmd("zscore", zset::zscore, 3, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(1)", "Get the score associated with the given member in a sorted set"),
    cmd("zmscore", zset::zmscore, -3, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "6.2.0", "O(N) where N is the number of members being requested.", "Get the score associated with the given members in a sorted set"),
    cmd("zcard", zset::zcard, 2, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(1)", "Get the number of members in a sorted set"),
    cmd("zcount", zset::zcount, 4, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Count the members in a sorted set with scores within the given values"),
    cmd("zlexcount", zset::zlexcount, 4, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "2.8.9", "O(log(N)) with N being the number of elements in the sorted set.", "Count the number of members in a sorted set between a given lexicographical range"),
    cmd("zrange", zset::zrange, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", "Return a range of members in a sorted set"),
    cmd("zrangestore", zset::zrangestore, -5, WRITE | DENYOOM, "write sortedset slow", (1, 2, 1), &[], "sorted-set", "6.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.", "Store a range of members from sorted set into another key"),
    cmd("zrevrange", zset::zrevrange, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", "Return a range of members in a sorted set, by index, with scores ordered from high to low"),
    cmd("zrangebyscore", zset::zrangebyscore, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "1.0.5", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by score"),
    cmd("zrevrangebyscore", zset::zrevrangebyscore, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "2.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by score, with scores ordered from high to low"),
    cmd("zrangebylex", zset::zrangebylex, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by lexicographical range"),
    cmd("zrevrangebylex", zset::zrevrangebylex, -4, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings."),
    cmd("zrank", zset::zrank, 3, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(log(N))", "Determine the index of a member in a sorted set"),
    cmd("zrevrank", zset::zrevrank, 3, READONLY | FAST, "read sortedset fast", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(log(N))", "Determine the index of a member in a sorted set, with scores ordered from high to low"),
    cmd("zremrangebyrank", zset::zremrangebyrank, 4, WRITE, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set within the given indexes"),
    cmd("zremrangebyscore", zset::zremrangebyscore, 4, WRITE, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "1.2.0", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set within the given scores"),
    cmd("zremrangebylex", zset::zremrangebylex, 4, WRITE, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "2.8.9", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", "Remove all members in a sorted set between the given lexicographical range"),
    cmd("zpopmin", zset::zpopmin, -2, WRITE | FAST, "write sortedset fast", (1, 1, 1), &[], "sorted-set", "5.0.0", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with the lowest scores in a sorted set"),
    cmd("zpopmax", zset::zpopmax, -2, WRITE | FAST, "write sortedset fast", (1, 1, 1), &[], "sorted-set", "5.0.0", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with the highest scores in a sorted set"),
    cmd("zmpop", zset::zmpop, -4, WRITE | MOVABLE_KEYS, "write sortedset slow", (0, 0, 0), &[], "sorted-set", "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with scores in a sorted set"),
    cmd("zrandmember", zset::zrandmember, -2, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "6.2.0", "O(N) where N is the number of elements returned", "Get one or multiple random elements from a sorted set"),
    cmd("zunion", zset::zunion, -3, READONLY | MOVABLE_KEYS, "read sortedset slow", (0, 0, 0), &[], "sorted-set", "6.2.0", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", "Add multiple sorted sets"),
    cmd("zintercard", zset::zintercard, -3, READONLY | MOVABLE_KEYS, "read sortedset slow", (0, 0, 0), &[], "sorted-set", "7.0.0", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", "Intersect multiple sorted sets and return the cardinality of the result"),
    cmd("zinter", zset::zinter, -3, READONLY | MOVABLE_KEYS, "read sortedset slow", (0, 0, 0), &[], "sorted-set", "6.2.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", "Intersect multiple sorted sets"),
    cmd("zdiff", zset::zdiff, -3, READONLY | MOVABLE_KEYS, "read sortedset slow", (0, 0, 0), &[], "sorted-set", "6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", "Subtract multiple sorted sets"),
    cmd("zunionstore", zset::zunionstore, -4, WRITE | DENYOOM | MOVABLE_KEYS, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", "Add multiple sorted sets and store the resulting sorted set in a new key"),
    cmd("zinterstore", zset::zinterstore, -4, WRITE | DENYOOM | MOVABLE_KEYS, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "2.0.0", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", "Intersect multiple sorted sets and store the resulting sorted set in a new key"),
    cmd("zdiffstore", zset::zdiffstore, -4, WRITE | DENYOOM | MOVABLE_KEYS, "write sortedset slow", (1, 1, 1), &[], "sorted-set", "6.2.0", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", "Subtract multiple sorted sets and store the resulting sorted set in a new key"),
    cmd("zscan", zset::zscan, -3, READONLY, "read sortedset slow", (1, 1, 1), &[], "sorted-set", "2.8.0", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", "Incrementally iterate sorted sets elements and associated scores"),

    cmd("bzpopmin", zset::bzpopmin, -3, WRITE | NOSCRIPT | BLOCKING | FAST, "write sortedset fast blocking", (1, -2, 1), &[], "sorted-set", "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available"),
    cmd("bzpopmax", zset::bzpopmax, -3, WRITE | NOSCRIPT | BLOCKING | FAST, "write sortedset fast blocking", (1, -2, 1), &[], "sorted-set", "5.0.0", "O(log(N)) with N being the number of elements in the sorted set.", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available"),
    cmd("bzmpop", zset::bzmpop, -5, WRITE | BLOCKING | MOVABLE_KEYS, "write sortedset slow blocking", (0, 0, 0), &[], "sorted-set", "7.0.0", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "Remove and return members with scores in a sorted set or block until one is available"),

    cmd("replicaof", replicaof::replicaof, 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, "admin slow dangerous", (0, 0, 0), &[], "server", "5.0.0", "O(1)", "Make the server a replica of another instance, or promote it as master."),
    cmd("slaveof", replicaof::slaveof, 3, ADMIN | NOSCRIPT | STALE | NO_ASYNC_LOADING, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Make the server a replica of another instance, or promote it as master."),
    cmd("role", replicaof::role, 1, NOSCRIPT | LOADING | STALE | FAST, "admin fast dangerous", (0, 0, 0), &[], "server", "2.8.12", "O(1)", "Return the role of the instance in the context of replication"),

    // -- end of data types --
    cmd("sort", sort::sort, -2, WRITE | DENYOOM | MOVABLE_KEYS, "write set sortedset list slow dangerous", (1, 1, 1), &[], "generic", "1.0.0", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", "Sort the elements in a list, set or sorted set"),
    cmd("sort_ro", sort::sort_ro, -2, READONLY | MOVABLE_KEYS, "read set sortedset list slow dangerous", (1, 1, 1), &[], "generic", "7.0.0", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", "Sort the elements in a list, set or sorted set. Read-only variant of SORT."),

    // -- transactions, pub/sub, monitoring --
    cmd("wait", crate::repl::wait::wait, 3, NOSCRIPT, "slow connection", (0, 0, 0), &[], "generic", "3.0.0", "O(1)", "Wait for the synchronous replication of all the write commands sent in the context of the current connection"),
    cmd("replconf", replication::replconf, -1, ADMIN | NOSCRIPT | LOADING | STALE | ALLOW_BUSY, "admin slow dangerous", (0, 0, 0), &[], "server", "3.0.0", "O(1)", "An internal command for configuring the replication stream"),
    cmd("sync", replication::sync, 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "", "Internal command used for replication"),
    cmd("psync", replication::psync, -3, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, "admin slow dangerous", (0, 0, 0), &[], "server", "2.8.0", "", "Internal command used for replication"),
    cmd("failover", crate::repl::failover::failover, -1, ADMIN | NOSCRIPT | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "6.2.0", "O(1)", "Start a coordinated failover between this server and one of its replicas."),
    cmd("dump", keys::dump, 2, READONLY, "keyspace read slow", (1, 1, 1), &[], "generic", "2.6.0", "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).", "Return a serialized version of the value stored at the specified key."),
    cmd("restore", keys::restore, -4, WRITE | DENYOOM, "keyspace write slow dangerous", (1, 1, 1), &[], "generic", "2.6.0", "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).", "Create a key using the provided serialized value, previously obtained using DUMP."),
    cmd("save", server::save, 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(N) where N is the total number of keys in all databases", "Synchronously save the dataset to disk"),
    cmd("bgsave", server::bgsave, -1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Asynchronously save the dataset to disk"),
    cmd("bgrewriteaof", server::bgrewriteaof, 1, ADMIN | NOSCRIPT | NO_ASYNC_LOADING, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "O(1)", "Asynchronously rewrite the append-only file"),
    cmd("memory", container, -2, 0, "slow", (0, 0, 0), MEMORY_SUBCOMMANDS, "server", "4.0.0", "Depends on subcommand.", "A container for memory diagnostics commands"),
    cmd("latency", container, -2, 0, "slow", (0, 0, 0), LATENCY_SUBCOMMANDS, "server", "2.8.13", "Depends on subcommand.", "A container for latency diagnostics commands"),
    cmd("multi", multi::multi, 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, "fast transaction", (0, 0, 0), &[], "transactions", "1.2.0", "O(1)", "Mark the start of a transaction block"),
    cmd("exec", multi::exec, 1, NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG, "slow transaction", (0, 0, 0), &[], "transactions", "1.2.0", "Depends on commands in the transaction", "Execute all commands issued after MULTI"),
    cmd("discard", multi::discard, 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, "fast transaction", (0, 0, 0), &[], "transactions", "2.0.0", "O(N), when N is the number of queued commands", "Discard all commands issued after MULTI"),
    cmd("watch", multi::watch, -2, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, "fast transaction", (1, -1, 1), &[], "transactions", "2.2.0", "O(1) for every key.", "Watch the given keys to determine execution of the MULTI/EXEC block"),
    cmd("unwatch", multi::unwatch, 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, "fast transaction", (0, 0, 0), &[], "transactions", "2.2.0", "O(1)", "Forget about all watched keys"),
    cmd("subscribe", pubsub::subscribe, -2, PUBSUB | NOSCRIPT | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.0.0", "O(N) where N is the number of channels to subscribe to.", "Listen for messages published to the given channels"),
    cmd("unsubscribe", pubsub::unsubscribe, -1, PUBSUB | NOSCRIPT | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.0.0", "O(N) where N is the number of clients already subscribed to a channel.", "Stop listening for messages posted to the given channels"),
    cmd("psubscribe", pubsub::psubscribe, -2, PUBSUB | NOSCRIPT | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.0.0", "O(N) where N is the number of patterns the client is already subscribed to.", "Listen for messages published to channels matching the given patterns"),
    cmd("punsubscribe", pubsub::punsubscribe, -1, PUBSUB | NOSCRIPT | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.0.0", "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).", "Stop listening for messages posted to channels matching the given patterns"),
    cmd("publish", pubsub::publish, 3, PUBSUB | LOADING | STALE | FAST, "pubsub fast", (0, 0, 0), &[], "pubsub", "2.0.0", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", "Post a message to a channel"),
    cmd("pubsub", container, -2, 0, "slow", (0, 0, 0), PUBSUB_SUBCOMMANDS, "pubsub", "2.8.0", "Depends on subcommand.", "A container for Pub/Sub commands"),
    cmd("monitor", server::monitor, 1, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "1.0.0", "", "Listen for all requests received by the server in real time"),
    cmd("reset", connection::reset, 1, NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY, "fast connection", (0, 0, 0), &[], "connection", "6.2.0", "O(1)", "Reset the connection"),
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
    cmd("pause", connection::client_pause, -3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "2.9.50", "O(1)", "Stop processing commands from clients for some time"),
    cmd("reply", connection::client_reply, 3, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "3.2.0", "O(1)", "Instruct the server whether to reply to commands"),
    // Redis 7.2's CLIENT SETINFO, accepted because client libraries send it.
    cmd("setinfo", connection::client_setinfo, 4, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "7.2.0", "O(1)", "Set client or connection specific info"),
    cmd("setname", connection::client_setname, 3, NOSCRIPT | LOADING | STALE, "slow connection", (0, 0, 0), &[], "connection", "2.6.9", "O(1)", "Set the current connection name"),
    cmd("unblock", connection::client_unblock, -3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "5.0.0", "O(log N) where N is the number of client connections", "Unblock a client blocked in a blocking command from a different connection"),
    cmd("unpause", connection::client_unpause, 2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous connection", (0, 0, 0), &[], "connection", "6.2.0", "O(N) Where N is the number of paused clients", "Resume processing of clients that were paused"),
];

#[rustfmt::skip]
static OBJECT_SUBCOMMANDS: &[Command] = &[
    cmd("encoding", keys::object_encoding, 3, READONLY, "keyspace read slow", (2, 2, 1), &[], "generic", "2.2.3", "O(1)", "Inspect the internal encoding of a Redis object"),
    cmd("freq", keys::object_freq, 3, READONLY, "keyspace read slow", (2, 2, 1), &[], "generic", "4.0.0", "O(1)", "Get the logarithmic access frequency counter of a Redis object"),
    cmd("help", keys::object_help, 2, LOADING | STALE, "keyspace slow", (0, 0, 0), &[], "generic", "6.2.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("idletime", keys::object_idletime, 3, READONLY, "keyspace read slow", (2, 2, 1), &[], "generic", "2.2.3", "O(1)", "Get the time since a Redis object was last accessed"),
    cmd("refcount", keys::object_refcount, 3, READONLY, "keyspace read slow", (2, 2, 1), &[], "generic", "2.2.3", "O(1)", "Get the number of references to the value of the key"),
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

#[rustfmt::skip]
static PUBSUB_SUBCOMMANDS: &[Command] = &[
    cmd("channels", pubsub::pubsub_channels, -2, PUBSUB | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.8.0", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)", "List active channels"),
    cmd("help", pubsub::pubsub_help, 2, LOADING | STALE, "slow", (0, 0, 0), &[], "pubsub", "6.2.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("numpat", pubsub::pubsub_numpat, 2, PUBSUB | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.8.0", "O(1)", "Get the count of unique patterns pattern subscriptions"),
    cmd("numsub", pubsub::pubsub_numsub, -2, PUBSUB | LOADING | STALE, "pubsub slow", (0, 0, 0), &[], "pubsub", "2.8.0", "O(N) for the NUMSUB subcommand, where N is the number of requested channels", "Get the count of subscribers for channels"),
];

#[rustfmt::skip]
static LATENCY_SUBCOMMANDS: &[Command] = &[
    cmd("help", server::latency_help, 2, LOADING | STALE, "slow", (0, 0, 0), &[], "server", "2.8.13", "O(1)", "Show helpful text about the different subcommands."),
    cmd("history", server::latency_history, 3, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.8.13", "O(1)", "Return timestamp-latency samples for the event."),
    cmd("latest", server::latency_latest, 2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.8.13", "O(1)", "Return the latest latency samples for all events."),
    cmd("reset", server::latency_reset, -2, ADMIN | NOSCRIPT | LOADING | STALE, "admin slow dangerous", (0, 0, 0), &[], "server", "2.8.13", "O(1)", "Reset latency data for one or more events."),
];

#[rustfmt::skip]
static MEMORY_SUBCOMMANDS: &[Command] = &[
    cmd("doctor", server::memory_doctor, 2, 0, "slow", (0, 0, 0), &[], "server", "4.0.0", "O(1)", "Outputs memory problems report"),
    cmd("help", server::memory_help, 2, LOADING | STALE, "slow", (0, 0, 0), &[], "server", "4.0.0", "O(1)", "Show helpful text about the different subcommands"),
    cmd("malloc-stats", server::memory_malloc_stats, 2, 0, "slow", (0, 0, 0), &[], "server", "4.0.0", "Depends on how much memory is allocated, could be slow", "Show allocator internal stats"),
    cmd("purge", server::memory_purge, 2, 0, "slow", (0, 0, 0), &[], "server", "4.0.0", "Depends on how much memory is allocated, could be slow", "Ask the allocator to release memory"),
    cmd("stats", server::memory_stats, 2, 0, "slow", (0, 0, 0), &[], "server", "4.0.0", "O(1)", "Show memory usage details"),
    cmd("usage", server::memory_usage, -3, READONLY, "read slow", (2, 2, 1), &[], "server", "4.0.0", "O(N) where N is the number of samples.", "Estimate the memory usage of a key"),
];
