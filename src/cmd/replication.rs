//! Replication commands of the master side: REPLCONF, SYNC, PSYNC. The
//! work is in `repl::primary`; these are the entry points from the command
//! table. (REPLICAOF/ROLE live in `replicaof.rs`.)

use super::{is, CmdResult, Ctx};
use crate::client::ClientKind;
use crate::repl::failover;

/// REPLCONF <option> <value> [<option> <value> ...]
pub fn replconf(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.srv.replconf_command(ctx.c, argv)
}

/// SYNC: the pre-PSYNC full synchronisation.
pub fn sync(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.c.kind != ClientKind::Replica && ctx.srv.repl.failover.active() {
        return Err(failover::SYNC_WHILE_FAILING_OVER.into());
    }
    ctx.srv.sync_command(ctx.c, argv)
}

/// PSYNC <replid> <offset> [FAILOVER]: partial resync when possible, else
/// full. FAILOVER: our master hands its role over to us first (failover.rs).
pub fn psync(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.c.kind == ClientKind::Replica {
        // Already a replica: ignored, as Redis does.
        return Ok(());
    }
    if argv.len() > 3 && is(argv[3], "failover") {
        ctx.srv.psync_failover_request(ctx.c, argv[1], ctx.now_ms)?;
    }
    if ctx.srv.repl.failover.active() {
        return Err(failover::SYNC_WHILE_FAILING_OVER.into());
    }
    ctx.srv.sync_command(ctx.c, argv)
}
