//! Transaction commands: MULTI EXEC DISCARD WATCH UNWATCH.

use super::{CmdResult, Ctx};

pub fn multi(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.c.multi.is_some() {
        return Err("ERR MULTI calls can not be nested".into());
    }
    ctx.c.multi = Some(Vec::new());
    ctx.c.multi_error = false;
    ctx.c.add_ok();
    Ok(())
}

pub fn exec(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now_ms;
    ctx.srv.exec_transaction(ctx.c, now).map_err(Into::into)
}

pub fn discard(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.c.multi.is_none() {
        return Err("ERR DISCARD without MULTI".into());
    }
    ctx.srv.discard_transaction(ctx.c);
    ctx.c.add_ok();
    Ok(())
}

pub fn watch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.c.multi.is_some() {
        return Err("ERR WATCH inside MULTI is not allowed".into());
    }
    let db = ctx.c.db;
    for key in &argv[1..] {
        ctx.srv.watch_key(ctx.c, db, key, ctx.now_ms);
    }
    ctx.c.add_ok();
    Ok(())
}

pub fn unwatch(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.srv.unwatch_all(ctx.c);
    ctx.c.add_ok();
    Ok(())
}
