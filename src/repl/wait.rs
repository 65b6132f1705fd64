//! WAIT numreplicas timeout, and min-replicas-to-write.
//!
//! WAIT blocks its client until `numreplicas` replicas acknowledged the
//! replication offset of the client's last write. The first WAIT of an
//! event-loop turn asks every replica for an acknowledgement right away
//! (`REPLCONF GETACK *` in the stream) instead of waiting for their
//! once-a-second ACK; waiters are checked in `before_sleep`, after the turn's
//! ACKs were read, and answered with the count when satisfied or timed out.

use crate::client::Client;
use crate::cmd::{arg_i64, CmdResult, Ctx};
use crate::repl::primary::SyncState;
use crate::server::Server;

/// A client blocked in WAIT.
#[derive(Debug, Clone)]
pub struct Waiter {
    pub slot: usize,
    /// Offset every counted replica must have acknowledged.
    pub offset: i64,
    pub numreplicas: i64,
    /// Unix ms; None waits forever.
    pub deadline_ms: Option<i64>,
}

/// Wait state kept by the server.
#[derive(Debug, Default)]
pub struct WaitState {
    pub waiters: Vec<Waiter>,
    /// A WAIT asked for ACKs this turn: send GETACK in `before_sleep`.
    pub getack_pending: bool,
}

impl Server {
    /// Online replicas whose state satisfies `pred`.
    fn count_online_replicas(
        &self,
        pred: impl Fn(&crate::repl::primary::ReplicaConn) -> bool,
    ) -> i64 {
        self.repl
            .primary
            .replicas
            .iter()
            .filter_map(|&slot| self.clients.get(slot)?.as_ref()?.repl.as_deref())
            .filter(|r| r.state == Some(SyncState::Online) && pred(r))
            .count() as i64
    }

    /// Replicas (online) that acknowledged at least `offset`.
    pub fn replicas_acked(&self, offset: i64) -> i64 {
        self.count_online_replicas(|r| r.ack_off >= offset)
    }

    /// Replicas online whose last ACK is at most `min-replicas-max-lag`
    /// seconds old (Redis's "good" replicas).
    pub fn good_replicas(&self, now_ms: i64) -> i64 {
        let max_lag = self.config.min_replicas_max_lag;
        self.count_online_replicas(|r| (now_ms - r.ack_time_ms) / 1000 <= max_lag)
    }

    /// Whether `min-replicas-to-write` refuses writes now.
    pub fn not_enough_good_replicas(&self, now_ms: i64) -> bool {
        let min = self.config.min_replicas_to_write;
        min > 0
            && self.config.min_replicas_max_lag > 0
            && !self.repl.is_replica()
            && self.good_replicas(now_ms) < min
    }

    /// Answer the waiters whose replicas caught up or whose time is up;
    /// send the GETACK a WAIT asked for.
    pub(crate) fn process_waiters(&mut self, now_ms: i64) {
        // A GETACK would move the offset a failover waits for its target
        // to reach: it goes once the failover is over (as Redis).
        if self.wait.getack_pending && !self.failover_holds_stream() {
            self.wait.getack_pending = false;
            if !self.repl.primary.replicas.is_empty() {
                let mut cmd = Vec::new();
                crate::propagate::encode_command(&mut cmd, &[b"REPLCONF", b"GETACK", b"*"]);
                self.repl_feed(&cmd);
            }
        }
        if self.wait.waiters.is_empty() {
            return;
        }
        let waiters = std::mem::take(&mut self.wait.waiters);
        for w in waiters {
            let acked = self.replicas_acked(w.offset);
            let timed_out = w.deadline_ms.is_some_and(|d| d <= now_ms);
            if acked >= w.numreplicas || timed_out {
                self.unblock_wait(w.slot, acked);
            } else {
                self.wait.waiters.push(w);
            }
        }
    }

    /// Reply to a WAIT client and let it go on with its input.
    fn unblock_wait(&mut self, slot: usize, count: i64) {
        let Some(mut c) = self.take_client(slot) else {
            return;
        };
        c.waiting = false;
        c.add_int(count);
        self.process_input(&mut c);
        self.put_client(c);
    }

    /// A client goes away: forget its WAIT.
    pub(crate) fn forget_waiter(&mut self, c: &Client) {
        self.wait.waiters.retain(|w| w.slot != c.slot);
    }
}

/// WAIT numreplicas timeout
pub fn wait(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.srv.repl.is_replica() {
        return Err("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.".into());
    }
    let numreplicas = arg_i64(argv[1])?;
    let timeout = arg_i64(argv[2])?;
    if timeout < 0 {
        return Err(crate::resp::errors::TIMEOUT_NEGATIVE.into());
    }
    let offset = ctx.c.woff;
    let acked = ctx.srv.replicas_acked(offset);
    // Enough already, or inside MULTI where nothing may block.
    if acked >= numreplicas || ctx.c.in_exec {
        ctx.c.add_int(acked);
        return Ok(());
    }
    ctx.c.waiting = true;
    let deadline_ms = (timeout > 0).then(|| ctx.now_ms.saturating_add(timeout));
    ctx.srv.wait.waiters.push(Waiter {
        slot: ctx.c.slot,
        offset,
        numreplicas,
        deadline_ms,
    });
    ctx.srv.wait.getack_pending = true;
    Ok(())
}
