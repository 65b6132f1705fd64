//! Server commands: INFO CONFIG TIME COMMAND SHUTDOWN DEBUG SLOWLOG LASTSAVE.

use super::flags::NO_MANDATORY_KEYS;
use super::{arg_i64, is, meta, CmdError, CmdResult, Command, Ctx};
use crate::client::Client;
use crate::resp::errors;
use crate::server::Server;
use crate::util;

/// Reply to `<CMD> HELP`: Redis's header line, the lines, and the HELP
/// line Redis 7.0 ends every help with.
pub fn add_help(c: &mut Client, cmd: &str, lines: &[&str]) {
    c.add_array_len(lines.len() + 3);
    c.add_simple(
        format!("{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").as_bytes(),
    );
    for l in lines {
        c.add_simple(l.as_bytes());
    }
    c.add_simple(b"HELP");
    c.add_simple(b"    Prints this help.");
}

pub fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let sections: Vec<String> = argv[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .collect();
    let text = crate::info::render(ctx.srv, ctx.c, &sections);
    ctx.c.add_verbatim(text.as_bytes());
    Ok(())
}

/// MONITOR: from now on the client receives every executed command.
pub fn monitor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.c.multi.is_some() {
        return Err("ERR MONITOR isn't allowed for DENY BLOCKING client".into());
    }
    if !ctx.c.monitor {
        ctx.c.monitor = true;
        ctx.srv.monitors.push(ctx.c.slot);
    }
    ctx.c.add_ok();
    Ok(())
}

pub fn time(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let us = util::now_us();
    ctx.c.add_array_len(2);
    ctx.c.add_bulk((us / 1_000_000).to_string().as_bytes());
    ctx.c.add_bulk((us % 1_000_000).to_string().as_bytes());
    Ok(())
}

/// SAVE: write the snapshot now, blocking the server.
pub fn save(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    match ctx.srv.rdb_save() {
        Ok(()) => {
            ctx.c.add_ok();
            Ok(())
        }
        Err(crate::persistence::SaveError::InProgress) => Err(errors::BGSAVE_IN_PROGRESS.into()),
        Err(crate::persistence::SaveError::Io(_)) => Err("ERR".into()),
    }
}

/// BGSAVE [SCHEDULE]: save in a fork child.
pub fn bgsave(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let schedule = match argv.get(1) {
        None => false,
        Some(a) if is(a, "schedule") && argv.len() == 2 => true,
        Some(_) => return Err(errors::SYNTAX.into()),
    };
    if ctx.srv.persistence.child.is_some() {
        if schedule {
            ctx.srv.persistence.bgsave_scheduled = true;
            ctx.c.add_simple(b"Background saving scheduled");
            return Ok(());
        }
        return Err(errors::BGSAVE_IN_PROGRESS.into());
    }
    if ctx.srv.aof.child.is_some() {
        if schedule {
            ctx.srv.persistence.bgsave_scheduled = true;
            ctx.c.add_simple(b"Background saving scheduled");
            return Ok(());
        }
        return Err("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.".into());
    }
    match ctx.srv.rdb_bgsave() {
        Ok(_) => {
            ctx.c.add_simple(b"Background saving started");
            Ok(())
        }
        Err(_) => Err("ERR".into()),
    }
}

/// BGREWRITEAOF: rewrite the AOF in a fork child (see aof_server.rs);
/// scheduled while another child runs or inside a transaction.
pub fn bgrewriteaof(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.srv.aof.child.is_some() {
        return Err("ERR Background append only file rewriting already in progress".into());
    }
    if ctx.srv.has_active_child() || ctx.c.in_exec {
        ctx.srv.aof.rewrite_scheduled = true;
        ctx.srv.aof.consecutive_failures = 0;
        ctx.c
            .add_simple(b"Background append only file rewriting scheduled");
        return Ok(());
    }
    match ctx.srv.aof_rewrite_background() {
        Ok(_) => {
            ctx.c.add_simple(b"Background append only file rewriting started");
            Ok(())
        }
        Err(_) => Err("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.".into()),
    }
}

pub fn lastsave(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_int(ctx.srv.lastsave);
    Ok(())
}

// --------------------------------------------------------------------------
// CONFIG
// --------------------------------------------------------------------------

pub fn config_get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let pairs = ctx.srv.config.get(&argv[2..]);
    ctx.c.add_map_len(pairs.len());
    for (k, v) in pairs {
        ctx.c.add_bulk(k.as_bytes());
        ctx.c.add_bulk(v.as_bytes());
    }
    Ok(())
}

pub fn config_set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if !argv.len().is_multiple_of(2) {
        return Err(errors::wrong_arity("config|set").into());
    }
    let pairs: Vec<(&[u8], &[u8])> = argv[2..].chunks(2).map(|p| (p[0], p[1])).collect();
    let local = ctx.c.addr.ip().is_loopback();
    let previous = ctx.srv.config.clone();
    let changed = ctx
        .srv
        .config
        .set_from_client(&pairs, local)
        .map_err(CmdError::from)?;
    if let Err(e) = apply_config_changes(ctx.srv, &changed) {
        // All or nothing, as Redis: put every directive back, and listen
        // where we listened before.
        ctx.srv.config = previous;
        if let Err(again) = ctx.srv.rebind() {
            log::warn!("Failed to restore the previous listeners: {again}");
        }
        return Err(e);
    }
    ctx.c.add_ok();
    Ok(())
}

/// Side effects of configuration changes that the server must act upon.
/// On error nothing was changed outside the config (the caller restores it).
fn apply_config_changes(srv: &mut Server, changed: &[&str]) -> CmdResult {
    if let Some(name) = changed.iter().find(|n| **n == "port" || **n == "bind") {
        if srv.rebind().is_err() {
            log::warn!(
                "Failed applying new configuration. Possibly related to new {name} setting. Restoring previous settings."
            );
            let why = if *name == "port" {
                "Unable to listen on this port"
            } else {
                "Failed to bind to specified addresses."
            };
            return Err(format!(
                "ERR CONFIG SET failed (possibly related to argument '{name}') - {why}"
            )
            .into());
        }
    }
    if changed.contains(&"loglevel") {
        crate::logging::set_level(&srv.config.loglevel);
    }
    if changed.contains(&"appendonly") {
        if srv.config.appendonly {
            if srv.aof_start().is_err() {
                return Err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.".into());
            }
        } else {
            srv.aof_stop();
        }
    }
    if changed
        .iter()
        .any(|n| matches!(*n, "maxmemory-policy" | "lfu-log-factor" | "lfu-decay-time"))
    {
        crate::db::clock::configure(crate::db::clock::Settings::from_config(&srv.config));
    }
    if changed.contains(&"notify-keyspace-events") {
        srv.notify_flags = crate::pubsub::parse_event_flags(&srv.config.notify_keyspace_events);
    }
    Ok(())
}

pub fn config_resetstat(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.srv.reset_stats();
    ctx.c.add_ok();
    Ok(())
}

pub fn config_rewrite(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    match ctx.srv.config.rewrite() {
        Ok(()) => {
            log::info!("CONFIG REWRITE executed with success.");
            ctx.c.add_ok();
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

pub fn config_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    add_help(
        ctx.c,
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    );
    Ok(())
}

// --------------------------------------------------------------------------
// COMMAND
// --------------------------------------------------------------------------
//
// Everything is rendered from the server's command table (the one dispatch
// uses) plus `meta` for tips, key specs and the documentation tree. Only the
// commands we implement are listed: that is what a client may call. Redis
// lists commands and subcommands in its hash table's order, which changes
// with every restart; we use table order.

/// A command of the table by name for COMMAND INFO / DOCS: `get`, or
/// `parent|sub` for a subcommand (Redis's lookupCommandBySds: at most one
/// `|`, case-insensitive). Returns the row and its canonical full name.
fn lookup_full_name(srv: &Server, name: &[u8]) -> Option<(&'static Command, String)> {
    if name.iter().filter(|&&b| b == b'|').count() > 1 {
        return None;
    }
    let e = &srv.commands.entries[srv.commands.lookup(name)?];
    Some((e.cmd, e.full_name.clone()))
}

/// Top-level commands in table order.
fn top_level(srv: &Server) -> Vec<(&'static Command, String)> {
    srv.commands
        .entries
        .iter()
        .filter(|e| !e.full_name.contains('|'))
        .map(|e| (e.cmd, e.full_name.clone()))
        .collect()
}

/// COMMAND: COMMAND INFO for every command.
pub fn command(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 1 {
        // Arity is -1 so a bare COMMAND works; a container with an unknown
        // subcommand lands here.
        return Err(errors::unknown_subcommand(argv[1], "COMMAND").into());
    }
    let all = top_level(ctx.srv);
    ctx.c.add_array_len(all.len());
    for (cmd, name) in all {
        meta::add_info(ctx.c, cmd, &name);
    }
    Ok(())
}

/// COMMAND COUNT: the number of top-level commands.
pub fn command_count(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let n = top_level(ctx.srv).len();
    ctx.c.add_int(n as i64);
    Ok(())
}

/// COMMAND INFO [name ...]: one entry per name, null for unknown names.
pub fn command_info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 2 {
        return command(ctx, &argv[..1]);
    }
    ctx.c.add_array_len(argv.len() - 2);
    for name in &argv[2..] {
        match lookup_full_name(ctx.srv, name) {
            Some((cmd, full)) => meta::add_info(ctx.c, cmd, &full),
            None => ctx.c.add_null(),
        }
    }
    Ok(())
}

/// COMMAND DOCS [name ...]: a map name → docs; unknown names are skipped.
pub fn command_docs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let found: Vec<(&Command, String)> = if argv.len() == 2 {
        top_level(ctx.srv)
    } else {
        argv[2..]
            .iter()
            .filter_map(|n| lookup_full_name(ctx.srv, n))
            .collect()
    };
    ctx.c.add_map_len(found.len());
    for (cmd, name) in found {
        ctx.c.add_bulk(name.as_bytes());
        meta::add_docs(ctx.c, cmd, &name);
    }
    Ok(())
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]:
/// full names, each container followed by its subcommands (which are
/// filtered on their own).
pub fn command_list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    enum Filter<'a> {
        All,
        Module,
        AclCat(&'a [u8]),
        Pattern(&'a [u8]),
    }
    let filter = match argv.len() {
        2 => Filter::All,
        5 if is(argv[2], "filterby") => {
            if is(argv[3], "module") {
                Filter::Module
            } else if is(argv[3], "aclcat") {
                Filter::AclCat(argv[4])
            } else if is(argv[3], "pattern") {
                Filter::Pattern(argv[4])
            } else {
                return Err(errors::SYNTAX.into());
            }
        }
        _ => return Err(errors::SYNTAX.into()),
    };
    let names: Vec<&str> = ctx
        .srv
        .commands
        .entries
        .iter()
        .filter(|e| match filter {
            Filter::All => true,
            // No modules: no module has commands.
            Filter::Module => false,
            Filter::AclCat(cat) => e.cmd.acl.split(' ').any(|a| is(cat, a)),
            Filter::Pattern(p) => util::string_match(p, e.full_name.as_bytes(), true),
        })
        .map(|e| e.full_name.as_str())
        .collect();
    ctx.c.add_array_len(names.len());
    for n in names {
        ctx.c.add_bulk(n.as_bytes());
    }
    Ok(())
}

/// COMMAND GETKEYS <command ...>: the keys of a full command line.
pub fn command_getkeys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    getkeys(ctx, argv, false)
}

/// COMMAND GETKEYSANDFLAGS <command ...>: the keys, each with its key spec
/// flags.
pub fn command_getkeysandflags(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    getkeys(ctx, argv, true)
}

/// Redis's getKeysSubcommandImpl: resolve the command as dispatch would
/// (name, then subcommand of a container), check it can have keys and its
/// arity, then extract the keys from the key specs.
fn getkeys(ctx: &mut Ctx, argv: &[&[u8]], with_flags: bool) -> CmdResult {
    const INVALID_COMMAND: &str = "ERR Invalid command specified";
    let args = &argv[2..];
    // Dispatch names have no `|`: `config|get` is not a command name here.
    let top = if args[0].contains(&b'|') {
        None
    } else {
        ctx.srv.commands.lookup(args[0])
    };
    let top = &ctx.srv.commands.entries[top.ok_or(INVALID_COMMAND)?];
    let (cmd, name) = match args.get(1) {
        Some(sub) if !top.cmd.subcommands.is_empty() => {
            let sub = top.cmd.subcommand(sub).ok_or(INVALID_COMMAND)?;
            (sub, format!("{}|{}", top.full_name, sub.name))
        }
        _ => (top.cmd, top.full_name.clone()),
    };
    if !meta::has_keys(&name) {
        return Err("ERR The command has no key arguments".into());
    }
    if !cmd.arity_ok(args.len()) {
        return Err("ERR Invalid number of arguments specified for command".into());
    }
    let keys = meta::get_keys(&name, cmd.arity, args);
    if keys.is_empty() && !cmd.has(NO_MANDATORY_KEYS) {
        return Err("ERR Invalid arguments specified for command".into());
    }
    ctx.c.add_array_len(keys.len());
    for k in keys {
        if with_flags {
            ctx.c.add_array_len(2);
            ctx.c.add_bulk(args[k.pos]);
            meta::add_key_flags(ctx.c, k.flags);
        } else {
            ctx.c.add_bulk(args[k.pos]);
        }
    }
    Ok(())
}

pub fn command_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    add_help(
        ctx.c,
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    );
    Ok(())
}

// --------------------------------------------------------------------------
// SHUTDOWN, DEBUG, SLOWLOG
// --------------------------------------------------------------------------

/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
pub fn shutdown(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (mut nosave, mut save, mut abort, mut other) = (false, false, false, false);
    for a in &argv[1..] {
        if is(a, "nosave") {
            nosave = true;
        } else if is(a, "save") {
            save = true;
        } else if is(a, "abort") {
            abort = true;
        } else if is(a, "now") || is(a, "force") {
            other = true;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    if (nosave && save) || (abort && (nosave || save || other)) {
        return Err(errors::SYNTAX.into());
    }
    if abort {
        return Err("ERR No shutdown in progress.".into());
    }
    let force = argv[1..].iter().any(|a| is(a, "force"));
    let now = argv[1..].iter().any(|a| is(a, "now"));
    // A master with replicas first lets them catch up (shutdown-timeout);
    // the final save then happens in the event loop, after the wait.
    if !now && ctx.srv.replicas_lagging() {
        ctx.srv.shutdown_flags = Some((nosave, save, force));
        ctx.srv.shutdown_asap = true;
        return Ok(());
    }
    // Saving happens here, while the client can still be told about a
    // failure; on success there is no reply: the connection closes with the
    // process.
    if !ctx.srv.shutdown_save(nosave, save) && !force {
        return Err("ERR Errors trying to SHUTDOWN. Check logs.".into());
    }
    ctx.srv.shutdown_saved = true;
    ctx.srv.shutdown_asap = true;
    Ok(())
}

fn debug_allowed(ctx: &Ctx) -> CmdResult {
    match ctx.srv.config.enable_debug_command.as_str() {
        "yes" => Ok(()),
        "local" if ctx.c.addr.ip().is_loopback() => Ok(()),
        _ => Err(errors::DEBUG_LOCAL_ONLY.into()),
    }
}

pub fn debug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    debug_allowed(ctx)?;
    let sub = argv[1];
    if is(sub, "help") {
        add_help(
            ctx.c,
            "DEBUG",
            &[
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        );
    } else if is(sub, "sleep") && argv.len() == 3 {
        let secs = util::parse_f64(argv[2]).ok_or(errors::NOT_FLOAT)?;
        if secs > 0.0 {
            std::thread::sleep(std::time::Duration::from_secs_f64(secs.min(1e9)));
        }
        ctx.c.add_ok();
    } else if is(sub, "propagation-log") && argv.len() == 3 {
        // ferrodis-only test aid: capture the propagated command stream
        // (ON), hand it over and clear it (GET), or stop (OFF).
        if is(argv[2], "on") {
            ctx.srv.propagation_log = Some(Vec::new());
            ctx.srv.propagation.active = true;
            ctx.c.add_ok();
        } else if is(argv[2], "off") {
            ctx.srv.propagation_log = None;
            ctx.srv.refresh_propagation_active();
            ctx.c.add_ok();
        } else if is(argv[2], "get") {
            let log = ctx
                .srv
                .propagation_log
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default();
            ctx.c.add_bulk(&log);
        } else {
            return Err(errors::SYNTAX.into());
        }
    } else if is(sub, "reload") {
        ctx.srv.debug_reload().map_err(|e| format!("ERR {e}"))?;
        ctx.c.add_ok();
    } else if is(sub, "change-repl-id") && argv.len() == 2 {
        log::warn!("Changing replication IDs after receiving DEBUG change-repl-id");
        ctx.srv.repl.replid = util::random_hex(40);
        ctx.srv.repl.replid2 = "0".repeat(40);
        ctx.srv.repl.second_repl_offset = -1;
        ctx.c.add_ok();
    } else if is(sub, "set-active-expire") && argv.len() == 3 {
        ctx.srv.active_expire_enabled = arg_i64(argv[2])? != 0;
        ctx.c.add_ok();
    } else if is(sub, "populate") && (3..=5).contains(&argv.len()) {
        let count = arg_i64(argv[2])?;
        if count < 0 {
            return Err("ERR count must be greater or equal to 0".into());
        }
        let prefix = argv.get(3).copied().unwrap_or(b"key");
        let size = match argv.get(4) {
            Some(a) => Some(arg_i64(a)?.max(0) as usize),
            None => None,
        };
        populate(ctx, count as u64, prefix, size);
        ctx.c.add_ok();
    } else if is(sub, "object") && argv.len() == 3 {
        let line = debug_object(ctx, argv[2]).ok_or(errors::NO_SUCH_KEY)?;
        ctx.c.add_simple(line.as_bytes());
    } else if is(sub, "digest") && argv.len() == 2 {
        // Status replies, as Redis sends them. Keys are read without lazy
        // expiry: a logically expired key still counts until deleted.
        let d = crate::digest::dataset_digest(&ctx.srv.dbs);
        ctx.c.add_simple(crate::digest::to_hex(&d).as_bytes());
    } else if is(sub, "digest-value") {
        let db = ctx.c.db;
        ctx.c.add_array_len(argv.len() - 2);
        for key in &argv[2..] {
            let d = crate::digest::key_value_digest(&ctx.srv.dbs[db], key);
            ctx.c.add_simple(crate::digest::to_hex(&d).as_bytes());
        }
    } else {
        return Err(errors::subcommand_syntax(sub, "debug").into());
    }
    Ok(())
}

/// DEBUG OBJECT's status line, in Redis 7.0's format, or None when the key
/// is missing. Like Redis it reads the dict directly: no lazy expiry, no
/// statistics, no touch. `Value at` is the value's address in its entry;
/// `lru` the raw 24-bit clock; `lru_seconds_idle` is computed from it even
/// under LFU, as Redis does. Lists add Redis's quicklist fields, computed
/// from our nodes: each node's size is that of the listpack Redis would
/// hold for the same elements, and nodes are never compressed here.
fn debug_object(ctx: &Ctx, key: &[u8]) -> Option<String> {
    use crate::db::{clock, Value};
    use std::fmt::Write;
    let (v, stamp) = ctx.srv.dbs[ctx.c.db].dict.get_with_meta(key)?;
    let mut line = format!(
        "Value at:{:p} refcount:{} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
        v as *const Value,
        super::keys::refcount(&ctx.srv.config, v),
        v.encoding(),
        crate::persist::snapshot::serialized_len(v, ctx.srv.config.rdbcompression),
        stamp,
        clock::idle_ms(stamp, ctx.now_ms) / 1000
    );
    if let Value::List(l) = v {
        let nodes = l.node_count();
        let mut elems = l.iter();
        let mut lp = crate::persist::listpack::Builder::new();
        let mut bytes = 0;
        for n in l.node_lens() {
            lp.reset();
            for e in elems.by_ref().take(n) {
                match e {
                    crate::db::list::Elem::Bytes(b) => lp.push(b),
                    crate::db::list::Elem::Int(i) => lp.push_int(i),
                }
            }
            bytes += lp.finish_ref().len();
        }
        let _ = write!(
            line,
            " ql_nodes:{nodes} ql_avg_node:{:.2} ql_listpack_max:{} ql_compressed:0 ql_uncompressed_size:{bytes}",
            l.len() as f64 / nodes as f64,
            l.fill()
        );
    }
    Some(line)
}

/// DEBUG POPULATE: keys `<prefix>:<n>` with values `value:<n>`, padded with
/// zero bytes or cut to `size` when given; existing keys are left alone.
fn populate(ctx: &mut Ctx, count: u64, prefix: &[u8], size: Option<usize>) {
    let db = ctx.c.db;
    let mut key = Vec::with_capacity(prefix.len() + 21);
    let mut val = Vec::with_capacity(32);
    for n in 0..count {
        key.clear();
        key.extend_from_slice(prefix);
        key.push(b':');
        util::write_u64(&mut key, n);
        if ctx.srv.dbs[db].dict.contains_key(&key) {
            continue;
        }
        val.clear();
        val.extend_from_slice(b"value:");
        util::write_u64(&mut val, n);
        if let Some(s) = size {
            val.resize(s, 0);
        }
        ctx.srv.dbs[db].add(&key, crate::db::Value::from_bytes(&val));
    }
}

// --------------------------------------------------------------------------
// MEMORY
// --------------------------------------------------------------------------

/// MEMORY USAGE key [SAMPLES count]: bytes used by the key, its value and
/// the dictionary entries that hold them (an estimate, as in Redis).
pub fn memory_usage(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut samples = 5usize;
    let mut i = 3;
    while i < argv.len() {
        if is(argv[i], "samples") && i + 1 < argv.len() {
            let n = arg_i64(argv[i + 1])?;
            if n < 0 {
                return Err(errors::SYNTAX.into());
            }
            samples = n as usize;
            i += 2;
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let db = ctx.c.db;
    let deleted = ctx.srv.expire_key_if_needed(db, argv[2], ctx.now_ms);
    let size = match ctx.srv.dbs[db]
        .dict
        .get_key_value(argv[2])
        .filter(|_| !deleted)
    {
        // Key bytes, the dictionary node (next pointer, key box, value) and
        // the value's own memory.
        Some((k, v)) => k.len() + 3 * std::mem::size_of::<usize>() + v.mem_usage(samples),
        None => {
            ctx.c.add_null();
            return Ok(());
        }
    };
    ctx.c.add_int(size as i64);
    Ok(())
}

pub fn memory_doctor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let text: &[u8] = if crate::alloc::used_memory() < 5 << 20 {
        b"Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting."
    } else {
        b"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."
    };
    ctx.c.add_verbatim(text);
    Ok(())
}

pub fn memory_malloc_stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c
        .add_verbatim(b"Stats not supported for the current allocator");
    Ok(())
}

/// MEMORY PURGE: hand free heap pages back to the system, as Redis asks
/// jemalloc to.
pub fn memory_purge(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    // SAFETY: malloc_trim only releases memory the allocator holds free.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
    ctx.c.add_ok();
    Ok(())
}

/// MEMORY STATS: Redis's fields with our allocator's numbers.
pub fn memory_stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    use crate::alloc;
    let used = alloc::used_memory() as i64;
    let startup = alloc::startup_memory() as i64;
    let peak = alloc::peak_memory() as i64;
    let keys: usize = ctx.srv.dbs.iter().map(|d| d.len()).sum();
    let overhead = startup;
    let dataset = (used - overhead).max(0);
    let ints: Vec<(&str, i64)> = vec![
        ("peak.allocated", peak),
        ("total.allocated", used),
        ("startup.allocated", startup),
        ("replication.backlog", 0),
        ("clients.slaves", 0),
        ("clients.normal", 0),
        ("cluster.links", 0),
        ("aof.buffer", 0),
        ("lua.caches", 0),
        ("functions.caches", 0),
    ];
    let dbs: Vec<(usize, i64, i64)> = ctx
        .srv
        .dbs
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| {
            (
                d.id,
                d.dict.mem_overhead() as i64,
                d.expires.mem_overhead() as i64,
            )
        })
        .collect();
    let c = &mut *ctx.c;
    c.add_map_len(ints.len() + dbs.len() + 7);
    for (k, v) in ints {
        c.add_bulk(k.as_bytes());
        c.add_int(v);
    }
    for (id, main, expires) in dbs {
        c.add_bulk(format!("db.{id}").as_bytes());
        c.add_map_len(3);
        c.add_bulk(b"overhead.hashtable.main");
        c.add_int(main);
        c.add_bulk(b"overhead.hashtable.expires");
        c.add_int(expires);
        c.add_bulk(b"overhead.hashtable.slot-to-keys");
        c.add_int(0);
    }
    c.add_bulk(b"overhead.total");
    c.add_int(overhead);
    c.add_bulk(b"keys.count");
    c.add_int(keys as i64);
    c.add_bulk(b"keys.bytes-per-key");
    c.add_int(if keys > 0 { dataset / keys as i64 } else { 0 });
    c.add_bulk(b"dataset.bytes");
    c.add_int(dataset);
    c.add_bulk(b"dataset.percentage");
    c.add_bulk(
        format!(
            "{}",
            dataset as f64 * 100.0 / (used - startup).max(1) as f64
        )
        .as_bytes(),
    );
    c.add_bulk(b"peak.percentage");
    c.add_bulk(format!("{}", used as f64 * 100.0 / peak.max(1) as f64).as_bytes());
    c.add_bulk(b"fragmentation.bytes");
    c.add_int(0);
    Ok(())
}

pub fn memory_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    add_help(
        ctx.c,
        "MEMORY",
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    );
    Ok(())
}

// --------------------------------------------------------------------------
// LATENCY
// --------------------------------------------------------------------------

pub fn latency_latest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let rows: Vec<(String, i64, u64, u64)> = ctx
        .srv
        .latency
        .events
        .iter()
        .filter_map(|(name, s)| {
            s.samples
                .back()
                .map(|&(t, ms)| (name.clone(), t, ms, s.max))
        })
        .collect();
    ctx.c.add_array_len(rows.len());
    for (name, t, ms, max) in rows {
        ctx.c.add_array_len(4);
        ctx.c.add_bulk(name.as_bytes());
        ctx.c.add_int(t);
        ctx.c.add_int(ms as i64);
        ctx.c.add_int(max as i64);
    }
    Ok(())
}

pub fn latency_history(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = String::from_utf8_lossy(argv[2]).to_string();
    let samples: Vec<(i64, u64)> = ctx
        .srv
        .latency
        .events
        .get(&name)
        .map(|s| s.samples.iter().copied().collect())
        .unwrap_or_default();
    ctx.c.add_array_len(samples.len());
    for (t, ms) in samples {
        ctx.c.add_array_len(2);
        ctx.c.add_int(t);
        ctx.c.add_int(ms as i64);
    }
    Ok(())
}

pub fn latency_reset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let events: Vec<String> = argv[2..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_string())
        .collect();
    let n = ctx.srv.latency.reset(&events);
    ctx.c.add_int(n as i64);
    Ok(())
}

/// LATENCY HISTOGRAM [command ...]: per command, its calls and the
/// cumulative distribution of their durations (see histogram.rs). Named
/// containers bring their subcommands; unknown names are skipped.
pub fn latency_histogram(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let table = &ctx.srv.commands;
    let mut picked: Vec<usize> = Vec::new();
    if argv.len() == 2 {
        picked.extend(0..table.entries.len());
    } else {
        for name in &argv[2..] {
            let Some(idx) = table.lookup(name) else {
                continue;
            };
            picked.push(idx);
            let cmd = table.entries[idx].cmd;
            for s in cmd.subcommands {
                picked.extend(table.lookup(format!("{}|{}", cmd.name, s.name).as_bytes()));
            }
        }
    }
    /// One command's part of the reply.
    struct Row {
        name: String,
        calls: u64,
        cdf: Vec<(u64, u64)>,
    }
    let rows: Vec<Row> = picked
        .into_iter()
        .filter_map(|i| {
            let e = &table.entries[i];
            let h = e.stats.latency.as_deref()?;
            Some(Row {
                name: e.full_name.clone(),
                calls: h.total(),
                cdf: h.cumulative_usec(),
            })
        })
        .collect();
    let c = &mut *ctx.c;
    c.add_map_len(rows.len());
    for row in rows {
        c.add_bulk(row.name.as_bytes());
        c.add_map_len(2);
        c.add_bulk(b"calls");
        c.add_int(row.calls as i64);
        c.add_bulk(b"histogram_usec");
        c.add_map_len(row.cdf.len());
        for (usec, count) in row.cdf {
            c.add_int(usec as i64);
            c.add_int(count as i64);
        }
    }
    Ok(())
}

pub fn latency_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    add_help(
        ctx.c,
        "LATENCY",
        &[
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ],
    );
    Ok(())
}

pub fn slowlog_get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let count = match argv.get(2) {
        None => 10,
        Some(a) => {
            let n = util::parse_i64(a)
                .filter(|&n| n >= -1)
                .ok_or("ERR count should be greater than or equal to -1")?;
            if n == -1 {
                usize::MAX
            } else {
                n as usize
            }
        }
    };
    let n = count.min(ctx.srv.slowlog.len());
    ctx.c.add_array_len(n);
    for e in ctx.srv.slowlog.iter().take(n) {
        let c = &mut *ctx.c;
        c.add_array_len(6);
        c.add_int(e.id as i64);
        c.add_int(e.time);
        c.add_int(e.duration_us as i64);
        c.add_array_len(e.argv.len());
        for a in &e.argv {
            c.add_bulk(a);
        }
        c.add_bulk(e.peer.as_bytes());
        c.add_bulk(&e.name);
    }
    Ok(())
}

pub fn slowlog_len(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_int(ctx.srv.slowlog.len() as i64);
    Ok(())
}

pub fn slowlog_reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.srv.slowlog.clear();
    ctx.c.add_ok();
    Ok(())
}

pub fn slowlog_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    add_help(
        ctx.c,
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    );
    Ok(())
}
