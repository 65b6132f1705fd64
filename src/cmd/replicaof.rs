//! REPLICAOF / SLAVEOF and ROLE: the commands that change or report this
//! server's place in a replication setup. The link itself lives in
//! `repl/replica.rs`; these handlers only validate, log as Redis 7.0 does,
//! and call into it.

use log::info;

use super::{is, CmdResult, Ctx};
use crate::client::ClientKind;

/// Port outside 0..=65535 or not a number.
const INVALID_PORT: &str = "ERR Invalid master port";
/// REPLICAOF sent over a replica's own link to us.
const FROM_REPLICA: &str = "ERR Command is not valid when client is a replica.";

/// REPLICAOF host port | REPLICAOF NO ONE.
///
/// NO ONE on a replica: keep the data, shift the replid (replid2 = old
/// replid), become a master. host port: connect to that master (a no-op
/// with a distinct reply when it is the one we already follow). Keeps
/// `config.replicaof` in step for CONFIG REWRITE.
pub fn replicaof(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.srv.repl.failover.active() {
        return Err(crate::repl::failover::REPLICAOF_WHILE_FAILING_OVER.into());
    }
    if is(argv[1], "no") && is(argv[2], "one") {
        if ctx.srv.repl.is_replica() {
            ctx.srv.replica_unset_master();
            info!(
                "MASTER MODE enabled (user request from '{}')",
                super::connection::client_info_line(ctx.c, ctx.now_ms, 0)
            );
        }
        ctx.c.add_ok();
        return Ok(());
    }
    if ctx.c.kind == ClientKind::Replica {
        return Err(FROM_REPLICA.into());
    }
    let port = crate::util::parse_i64(argv[2])
        .filter(|p| (0..=65535).contains(p))
        .ok_or(INVALID_PORT)? as u16;
    let host = String::from_utf8_lossy(argv[1]).into_owned();
    if let Some(rs) = ctx.srv.repl.replica.as_ref() {
        if rs.master_host.eq_ignore_ascii_case(&host) && rs.master_port == port {
            info!("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.");
            ctx.c
                .add_simple(b"OK Already connected to specified master");
            return Ok(());
        }
    }
    ctx.srv.replica_set_master(host.clone(), port);
    info!(
        "REPLICAOF {host}:{port} enabled (user request from '{}')",
        super::connection::client_info_line(ctx.c, ctx.now_ms, 0)
    );
    ctx.c.add_ok();
    Ok(())
}

/// SLAVEOF: the old name of REPLICAOF.
pub fn slaveof(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    replicaof(ctx, argv)
}

/// ROLE. A master: `["master", offset, [[ip, port, offset]...]]`; a
/// replica: `["slave", host, port, state, offset]`.
pub fn role(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let srv = &*ctx.srv;
    match srv.repl.replica.as_ref() {
        None => {
            let replicas = srv.role_replicas();
            let c = &mut *ctx.c;
            c.add_array_len(3);
            c.add_bulk(b"master");
            c.add_int(srv.repl.master_repl_offset);
            c.add_array_len(replicas.len());
            for (ip, port, off) in replicas {
                c.add_array_len(3);
                c.add_bulk(ip.as_bytes());
                c.add_bulk(port.to_string().as_bytes());
                c.add_bulk(off.to_string().as_bytes());
            }
        }
        Some(rs) => {
            let state = srv.replica_role_state();
            let off = srv.replica_role_offset();
            let c = &mut *ctx.c;
            c.add_array_len(5);
            c.add_bulk(b"slave");
            c.add_bulk(rs.master_host.as_bytes());
            c.add_int(rs.master_port as i64);
            c.add_bulk(state.as_bytes());
            c.add_int(off);
        }
    }
    Ok(())
}

impl crate::server::Server {
    /// Online replicas as ROLE lists them: (ip, listening port, acked
    /// offset). TODO(primary): the master side owns these per-replica
    /// fields; until it exposes them the list is empty.
    pub fn role_replicas(&self) -> Vec<(String, u16, i64)> {
        self.replica_list()
    }
}
