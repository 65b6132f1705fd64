//! Replication commands of the master side: REPLCONF, SYNC, PSYNC. The
//! work is in `repl::primary`; these are the entry points from the command
//! table. (REPLICAOF/ROLE live in `replicaof.rs`.)

use super::{CmdResult, Ctx};

/// REPLCONF <option> <value> [<option> <value> ...]
pub fn replconf(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.srv.replconf_command(ctx.c, argv)
}

/// SYNC: the pre-PSYNC full synchronisation.
pub fn sync(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.srv.sync_command(ctx.c, argv)
}

/// PSYNC <replid> <offset>: partial resync when possible, else full.
pub fn psync(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.srv.sync_command(ctx.c, argv)
}
