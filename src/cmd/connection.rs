//! Connection commands: PING ECHO QUIT SELECT AUTH HELLO and the CLIENT
//! family.

use super::{arg_i64, is, CmdResult, Ctx};
use crate::client::{Client, ClientKind, ReplyMode};
use crate::resp::errors;
use crate::server::{Server, REDIS_VERSION};
use crate::tracking::TrackingOptions;

pub fn ping(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 2 {
        return Err(errors::wrong_arity("ping").into());
    }
    if ctx.c.resp == 2 && ctx.c.subscription_count() > 0 {
        // A RESP2 subscriber gets PING's answer in the shape of a message.
        ctx.c.add_array_len(2);
        ctx.c.add_bulk(b"pong");
        ctx.c.add_bulk(argv.get(1).copied().unwrap_or(b""));
    } else if argv.len() == 2 {
        ctx.c.add_bulk(argv[1]);
    } else {
        ctx.c.add_simple(b"PONG");
    }
    Ok(())
}

/// RESET: back to a fresh connection (no MULTI, WATCH, subscriptions,
/// name, db 0, RESP2, REPLY ON, not monitoring; authentication kept off
/// when a password is required).
pub fn reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.srv.discard_transaction(ctx.c);
    ctx.srv.unsubscribe_all(ctx.c);
    ctx.srv.tracking_disable(ctx.c);
    if ctx.c.monitor {
        ctx.c.monitor = false;
        let slot = ctx.c.slot;
        ctx.srv.monitors.retain(|&s| s != slot);
    }
    let c = &mut *ctx.c;
    c.db = 0;
    c.name = None;
    c.resp = 2;
    c.reply_mode = ReplyMode::On;
    c.kind = ClientKind::Normal;
    c.authenticated = ctx.srv.config.requirepass.is_empty();
    c.add_simple(b"RESET");
    Ok(())
}

/// CLIENT PAUSE timeout [WRITE|ALL]
pub fn client_pause(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let ms =
        crate::util::parse_i64(argv[2]).ok_or("ERR timeout is not an integer or out of range")?;
    if ms < 0 {
        return Err("ERR timeout is negative".into());
    }
    let all = match argv.get(3) {
        None => true,
        Some(m) if is(m, "all") => true,
        Some(m) if is(m, "write") => false,
        Some(_) => return Err("ERR CLIENT PAUSE mode must be WRITE or ALL".into()),
    };
    if argv.len() > 4 {
        return Err(errors::SYNTAX.into());
    }
    ctx.srv.pause_clients(ctx.now_ms.saturating_add(ms), all);
    ctx.c.add_ok();
    Ok(())
}

pub fn client_unpause(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.srv.unpause_clients();
    ctx.c.add_ok();
    Ok(())
}

pub fn echo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_bulk(argv[1]);
    Ok(())
}

pub fn quit(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_ok();
    ctx.c.close_after_reply = true;
    Ok(())
}

pub fn select(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.c.db = super::arg_db_index(argv[1], ctx.srv.dbs.len())?;
    ctx.c.add_ok();
    Ok(())
}

/// Check a username/password pair against the only user we have, `default`,
/// whose password is `requirepass` (none: any password is accepted).
fn check_password(srv: &Server, user: &[u8], pass: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    let required = srv.config.requirepass.as_bytes();
    required.is_empty() || constant_time_eq(required, pass)
}

/// Compare secrets without an early exit that would leak the matching prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, &x) in a.iter().enumerate() {
        diff |= (x ^ b.get(i).copied().unwrap_or(0)) as usize;
    }
    diff == 0
}

pub fn auth(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::SYNTAX.into());
    }
    let (user, pass) = if argv.len() == 2 {
        // AUTH <password> with no password configured is a mistake Redis
        // points out rather than silently accepting.
        if ctx.srv.config.requirepass.is_empty() {
            return Err(errors::AUTH_NOT_CONFIGURED.into());
        }
        (&b"default"[..], argv[1])
    } else {
        (argv[1], argv[2])
    };
    if check_password(ctx.srv, user, pass) {
        ctx.c.authenticated = true;
        ctx.c.add_ok();
        Ok(())
    } else {
        Err(errors::WRONGPASS.into())
    }
}

/// HELLO [protover [AUTH user pass] [SETNAME name]]
pub fn hello(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut proto = None;
    let mut i = 1;
    if argv.len() >= 2 {
        let v = match crate::util::parse_i64(argv[1]) {
            Some(v) => v,
            None => return Err("ERR Protocol version is not an integer or out of range".into()),
        };
        if !(2..=3).contains(&v) {
            return Err(errors::NOPROTO.into());
        }
        proto = Some(v as u8);
        i = 2;
    }
    let mut setname = None;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        if is(argv[i], "auth") && more >= 2 {
            if !check_password(ctx.srv, argv[i + 1], argv[i + 2]) {
                return Err(errors::WRONGPASS.into());
            }
            ctx.c.authenticated = true;
            i += 3;
        } else if is(argv[i], "setname") && more >= 1 {
            validate_name(argv[i + 1])?;
            setname = Some(argv[i + 1]);
            i += 2;
        } else {
            return Err(format!(
                "ERR Syntax error in HELLO option '{}'",
                errors::clip(argv[i], 128)
            )
            .into());
        }
    }
    if !ctx.c.authenticated {
        return Err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time".into());
    }
    if let Some(name) = setname {
        ctx.c.name = (!name.is_empty()).then(|| name.to_vec());
    }
    if let Some(p) = proto {
        ctx.c.resp = p;
    }
    let c = &mut *ctx.c;
    c.add_map_len(7);
    c.add_bulk(b"server");
    c.add_bulk(b"redis");
    c.add_bulk(b"version");
    c.add_bulk(REDIS_VERSION.as_bytes());
    c.add_bulk(b"proto");
    c.add_int(c.resp as i64);
    c.add_bulk(b"id");
    c.add_int(c.id as i64);
    c.add_bulk(b"mode");
    c.add_bulk(b"standalone");
    c.add_bulk(b"role");
    c.add_bulk(b"master");
    c.add_bulk(b"modules");
    c.add_array_len(0);
    Ok(())
}

/// Client names may not contain spaces or control characters (they would
/// break CLIENT LIST's format).
fn validate_name(name: &[u8]) -> CmdResult {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(errors::CLIENT_NAME_SPACES.into());
    }
    Ok(())
}

pub fn client_id(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.c.add_int(ctx.c.id as i64);
    Ok(())
}

pub fn client_setname(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    validate_name(argv[2])?;
    ctx.c.name = (!argv[2].is_empty()).then(|| argv[2].to_vec());
    ctx.c.add_ok();
    Ok(())
}

pub fn client_getname(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    match ctx.c.name.clone() {
        Some(n) => ctx.c.add_bulk(&n),
        None => ctx.c.add_null(),
    }
    Ok(())
}

/// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; libraries send it).
pub fn client_setinfo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let value = argv[3];
    if value.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(format!(
            "ERR {} cannot contain spaces, newlines or special characters.",
            String::from_utf8_lossy(argv[2]).to_ascii_lowercase()
        )
        .into());
    }
    let v = (!value.is_empty()).then(|| value.to_vec());
    if is(argv[2], "lib-name") {
        ctx.c.lib_name = v;
    } else if is(argv[2], "lib-ver") {
        ctx.c.lib_ver = v;
    } else {
        return Err(format!("ERR Unrecognized option '{}'", errors::clip(argv[2], 128)).into());
    }
    ctx.c.add_ok();
    Ok(())
}

/// CLIENT GETREDIR: -1 without tracking, 0 when messages come here.
pub fn client_getredir(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let redir = ctx.c.tracking.as_ref().map_or(-1, |t| t.redirect as i64);
    ctx.c.add_int(redir);
    Ok(())
}

/// CLIENT TRACKING on|off [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN]
/// [OPTOUT] [NOLOOP] (see tracking.rs).
pub fn client_tracking(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut opts = TrackingOptions::default();
    let mut i = 3;
    while i < argv.len() {
        let more = i + 1 < argv.len();
        let a = argv[i];
        if is(a, "redirect") && more {
            i += 1;
            if opts.redirect != 0 {
                return Err("ERR A client can only redirect to a single other client".into());
            }
            let id = crate::util::parse_i64(argv[i])
                .ok_or("ERR value is not an integer or out of range")?;
            // Checked now; the client may still go away later.
            let exists = id > 0
                && (id as u64 == ctx.c.id || ctx.srv.client_slots.contains_key(&(id as u64)));
            if !exists {
                return Err("ERR The client ID you want redirect to does not exist".into());
            }
            opts.redirect = id as u64;
        } else if is(a, "bcast") {
            opts.bcast = true;
        } else if is(a, "optin") {
            opts.optin = true;
        } else if is(a, "optout") {
            opts.optout = true;
        } else if is(a, "noloop") {
            opts.noloop = true;
        } else if is(a, "prefix") && more {
            i += 1;
            opts.prefixes.push(argv[i].into());
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    let on = if is(argv[2], "on") {
        true
    } else if is(argv[2], "off") {
        false
    } else {
        return Err(errors::SYNTAX.into());
    };
    ctx.srv.tracking_command(ctx.c, on, opts)?;
    ctx.c.add_ok();
    Ok(())
}

/// CLIENT CACHING yes|no: the next command's reads are remembered (OPTIN)
/// or not (OPTOUT).
pub fn client_caching(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let Some(t) = ctx.c.tracking.as_deref_mut() else {
        return Err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled".into());
    };
    if is(argv[2], "yes") {
        if !t.optin {
            return Err(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
                    .into(),
            );
        }
    } else if is(argv[2], "no") {
        if !t.optout {
            return Err(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."
                    .into(),
            );
        }
    } else {
        return Err(errors::SYNTAX.into());
    }
    t.caching = true;
    ctx.c.add_ok();
    Ok(())
}

/// CLIENT TRACKINGINFO: flags, redirect and prefixes, as Redis lists them.
pub fn client_trackinginfo(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let c = &mut *ctx.c;
    let t = c.tracking.as_deref().cloned();
    c.add_map_len(3);
    c.add_bulk(b"flags");
    let mut flags: Vec<&[u8]> = Vec::new();
    match &t {
        None => flags.push(b"off"),
        Some(t) => {
            flags.push(b"on");
            if t.bcast {
                flags.push(b"bcast");
            }
            if t.optin {
                flags.push(b"optin");
                if t.caching {
                    flags.push(b"caching-yes");
                }
            }
            if t.optout {
                flags.push(b"optout");
                if t.caching {
                    flags.push(b"caching-no");
                }
            }
            if t.noloop {
                flags.push(b"noloop");
            }
            if t.broken_redirect {
                flags.push(b"broken_redirect");
            }
        }
    }
    c.add_set_len(flags.len());
    for f in flags {
        c.add_bulk(f);
    }
    c.add_bulk(b"redirect");
    c.add_int(t.as_ref().map_or(-1, |t| t.redirect as i64));
    c.add_bulk(b"prefixes");
    let prefixes = t.map(|t| t.prefixes).unwrap_or_default();
    c.add_array_len(prefixes.len());
    for p in &prefixes {
        c.add_bulk(p);
    }
    Ok(())
}

/// CLIENT NO-EVICT on|off: shown as flag `e` (client eviction itself,
/// maxmemory-clients, is not implemented, so nothing else changes).
pub fn client_no_evict(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if is(argv[2], "on") {
        ctx.c.no_evict = true;
    } else if is(argv[2], "off") {
        ctx.c.no_evict = false;
    } else {
        return Err(errors::SYNTAX.into());
    }
    ctx.c.add_ok();
    Ok(())
}

pub fn client_reply(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if is(argv[2], "on") {
        ctx.c.reply_mode = ReplyMode::On;
        ctx.c.add_ok();
    } else if is(argv[2], "off") {
        ctx.c.reply_mode = ReplyMode::Off;
    } else if is(argv[2], "skip") {
        if ctx.c.reply_mode != ReplyMode::Off {
            ctx.c.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        return Err(errors::SYNTAX.into());
    }
    Ok(())
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if that client was blocked.
pub fn client_unblock(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let id = arg_i64(argv[2])?;
    let error = match argv.get(3) {
        None => false,
        Some(m) if is(m, "timeout") => false,
        Some(m) if is(m, "error") => true,
        Some(_) => return Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR".into()),
    };
    let done = id > 0 && ctx.srv.client_unblock(id as u64, error);
    ctx.c.add_int(done as i64);
    Ok(())
}

/// CLIENT LIST's line for one client. `stream_bytes`: a replica's unsent
/// part of the shared replication buffer, its `omem` as in Redis 7.0.
pub fn client_info_line(c: &Client, now_ms: i64, stream_bytes: usize) -> String {
    let name = c
        .name
        .as_deref()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();
    let qbuf = c.query_buf.len();
    let qbuf_free = c.query_buf.capacity() - qbuf;
    let obl = c.pending_reply_bytes();
    let events = if c.write_registered { "rw" } else { "r" };
    format!(
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem=0 rbs={} rbp={} obl={} oll=0 omem={} tot-mem={} events={} cmd={} user=default redir={} resp={}",
        c.id,
        c.addr,
        c.laddr,
        std::os::fd::AsRawFd::as_raw_fd(&c.stream),
        name,
        (now_ms - c.ctime_ms) / 1000,
        (now_ms - c.last_interaction_ms) / 1000,
        c.flags_string(),
        c.db,
        c.channels.len(),
        c.patterns.len(),
        c.shard_channels.len(),
        c.multi.as_ref().map_or(-1, |q| q.len() as i64),
        qbuf,
        qbuf_free,
        c.argv_mem,
        c.reply.capacity(),
        obl,
        obl,
        stream_bytes,
        c.memory_usage() + stream_bytes,
        events,
        c.last_cmd,
        c.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
        c.resp,
    )
}

/// Parse a CLIENT LIST / KILL `TYPE` value.
fn parse_kind(v: &[u8]) -> Option<ClientKind> {
    if is(v, "normal") {
        Some(ClientKind::Normal)
    } else if is(v, "master") {
        Some(ClientKind::Master)
    } else if is(v, "replica") || is(v, "slave") {
        Some(ClientKind::Replica)
    } else if is(v, "pubsub") {
        Some(ClientKind::PubSub)
    } else {
        None
    }
}

/// Every client, the caller included (it is out of the slab while running),
/// in connection order as Redis lists them.
fn for_each_client(srv: &Server, me: &Client, mut f: impl FnMut(&Client)) {
    let mut all: Vec<&Client> = srv
        .clients
        .iter()
        .filter_map(|(_, c)| c.as_deref())
        .collect();
    all.push(me);
    all.sort_by_key(|c| c.id);
    for c in all {
        f(c);
    }
}

pub fn client_list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut kind = None;
    let mut ids: Option<Vec<u64>> = None;
    let mut i = 2;
    while i < argv.len() {
        if is(argv[i], "type") && i + 1 < argv.len() {
            kind = Some(parse_kind(argv[i + 1]).ok_or_else(|| {
                format!(
                    "ERR Unknown client type '{}'",
                    errors::clip(argv[i + 1], 128)
                )
            })?);
            i += 2;
        } else if is(argv[i], "id") && i + 1 < argv.len() {
            let mut list = Vec::new();
            for a in &argv[i + 1..] {
                match crate::util::parse_i64(a) {
                    Some(v) if v > 0 => list.push(v as u64),
                    _ => return Err("ERR Invalid client ID".into()),
                }
            }
            ids = Some(list);
            i = argv.len();
        } else {
            return Err(errors::SYNTAX.into());
        }
    }
    let now = ctx.now_ms;
    let mut out = String::new();
    for_each_client(ctx.srv, ctx.c, |c| {
        if kind.is_some_and(|k| k != c.kind) {
            return;
        }
        if ids.as_ref().is_some_and(|l| !l.contains(&c.id)) {
            return;
        }
        out.push_str(&client_info_line(c, now, ctx.srv.replica_stream_pending(c)));
        out.push('\n');
    });
    ctx.c.add_verbatim(out.as_bytes());
    Ok(())
}

pub fn client_info(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let stream = ctx.srv.replica_stream_pending(ctx.c);
    let mut line = client_info_line(ctx.c, ctx.now_ms, stream);
    line.push('\n');
    ctx.c.add_verbatim(line.as_bytes());
    Ok(())
}

/// CLIENT KILL addr:port (old form, replies OK) or CLIENT KILL <filter>
/// <value> ... (new form, replies with the number killed).
pub fn client_kill(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    #[derive(Default)]
    struct Filter {
        addr: Option<Vec<u8>>,
        laddr: Option<Vec<u8>>,
        id: Option<u64>,
        kind: Option<ClientKind>,
        user: Option<Vec<u8>>,
        skipme: bool,
    }
    let mut f = Filter {
        skipme: true,
        ..Default::default()
    };
    let old_form = argv.len() == 3;
    if old_form {
        f.addr = Some(argv[2].to_vec());
        f.skipme = false;
    } else {
        let mut i = 2;
        while i < argv.len() {
            if i + 1 >= argv.len() {
                return Err(errors::SYNTAX.into());
            }
            let v = argv[i + 1];
            if is(argv[i], "id") {
                match crate::util::parse_i64(v) {
                    Some(n) if n > 0 => f.id = Some(n as u64),
                    _ => return Err("ERR client-id should be greater than 0".into()),
                }
            } else if is(argv[i], "type") {
                f.kind = Some(parse_kind(v).ok_or_else(|| {
                    format!("ERR Unknown client type '{}'", errors::clip(v, 128))
                })?);
            } else if is(argv[i], "addr") {
                f.addr = Some(v.to_vec());
            } else if is(argv[i], "laddr") {
                f.laddr = Some(v.to_vec());
            } else if is(argv[i], "user") {
                f.user = Some(v.to_vec());
            } else if is(argv[i], "skipme") {
                if is(v, "yes") {
                    f.skipme = true;
                } else if is(v, "no") {
                    f.skipme = false;
                } else {
                    return Err(errors::SYNTAX.into());
                }
            } else {
                return Err(errors::SYNTAX.into());
            }
            i += 2;
        }
    }
    let matches = |c: &Client| {
        f.addr
            .as_ref()
            .is_none_or(|a| c.addr.to_string().as_bytes() == &a[..])
            && f.laddr
                .as_ref()
                .is_none_or(|a| c.laddr.to_string().as_bytes() == &a[..])
            && f.id.is_none_or(|id| c.id == id)
            && f.kind.is_none_or(|k| c.kind == k)
            && f.user.as_ref().is_none_or(|u| &u[..] == b"default")
    };
    let mut victims = Vec::new();
    for (slot, c) in ctx.srv.clients.iter() {
        if let Some(c) = c {
            if matches(c) {
                victims.push(slot);
            }
        }
    }
    let me = !f.skipme && matches(ctx.c);
    let killed = victims.len() + me as usize;
    for slot in victims {
        ctx.srv.close_client_later(slot);
    }
    if me {
        // Redis closes the caller after the reply.
        ctx.c.close_after_reply = true;
    }
    if old_form {
        if killed == 0 {
            return Err(errors::NO_SUCH_CLIENT.into());
        }
        ctx.c.add_ok();
    } else {
        ctx.c.add_int(killed as i64);
    }
    Ok(())
}

pub fn client_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    super::server::add_help(
        ctx.c,
        "CLIENT",
        &[
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        ],
    );
    Ok(())
}
