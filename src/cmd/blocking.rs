//! What every blocking command shares: parsing the timeout, and either
//! blocking the client on its keys or, inside MULTI/EXEC, answering as if
//! the wait had timed out. The waiting itself is `crate::blocking`.

use super::{CmdError, Ctx};
use crate::resp::errors;

/// Parse a blocking command's timeout (seconds, fractions allowed) into an
/// absolute unix time in ms, 0 meaning "forever", with Redis's messages.
/// Redis multiplies a long double by 1000 and converts it to a long long;
/// a value too large for that conversion comes out negative there, hence
/// "timeout is negative" for `1e20` too.
pub fn parse_timeout(arg: &[u8], now_ms: i64) -> Result<i64, CmdError> {
    let secs = crate::util::parse_f64(arg)
        .filter(|v| !v.is_nan())
        .ok_or(CmdError::from(errors::TIMEOUT_NOT_FLOAT))?;
    let ms = (secs * 1000.0).ceil();
    if !(0.0..9.2e18).contains(&ms) {
        return Err(errors::TIMEOUT_NEGATIVE.into());
    }
    let ms = ms as i64;
    if ms == 0 {
        return Ok(0);
    }
    now_ms
        .checked_add(ms)
        .ok_or_else(|| CmdError::from("ERR timeout is out of range"))
}

/// How a blocking command answers when it cannot block (inside MULTI):
/// BLMOVE/BRPOPLPUSH with a null bulk, the others with a null array.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NoWait {
    NullArray,
    NullBulk,
}

/// Nothing to serve: block on `keys` until `deadline` (0 = forever), or,
/// inside MULTI/EXEC where blocking is impossible, answer `no_wait`.
pub fn block_or_give_up(
    ctx: &mut Ctx,
    keys: &[&[u8]],
    deadline: i64,
    argv: &[&[u8]],
    no_wait: NoWait,
) {
    if ctx.c.in_exec {
        match no_wait {
            NoWait::NullArray => ctx.c.add_null_array(),
            NoWait::NullBulk => ctx.c.add_null(),
        }
        return;
    }
    let db = ctx.c.db;
    ctx.srv.block_on_keys(ctx.c, db, keys, deadline, argv);
}
