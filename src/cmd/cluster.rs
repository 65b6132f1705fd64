//! Cluster commands on a standalone server (Redis with `cluster-enabled
//! no`): CLUSTER and its subcommands, READONLY, READWRITE and ASKING exist
//! with Redis's arity, flags and docs, and answer that cluster support is
//! disabled. Client libraries probe with them to tell a cluster from a
//! single node, so the reply must be Redis's, not "unknown command".

use super::{CmdResult, Ctx};

pub fn disabled(_ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    Err("ERR This instance has cluster support disabled".into())
}
