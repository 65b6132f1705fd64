//! Coordinated failover (Redis 6.2+ `FAILOVER`): a master hands its role to
//! one of its replicas without losing an acknowledged write.
//!
//! ```text
//!  no-failover ──FAILOVER──► waiting-for-sync ──target acked our whole stream──►
//!      ▲          (writes paused)   │            failover-in-progress
//!      │                            │ TIMEOUT    (we are a replica of the target,
//!      │                            │ (FORCE:     PSYNC <id> <off> FAILOVER)
//!      │                            │  go on)         │
//!      └──── abort / PSYNC answered (+CONTINUE, +FULLRESYNC) ◄──┘
//! ```
//!
//! Why the pause: once writes stop, `master_repl_offset` stops moving, so
//! "the target acknowledged exactly `master_repl_offset`" means it holds
//! every write any client was told succeeded. Writes that arrive meanwhile
//! wait (CLIENT PAUSE WRITE semantics) and run when the failover ends — on a
//! replica by then, so they get -READONLY instead of being lost.
//!
//! Nothing else may move the offset while we wait, or the target could never
//! match it: the replication cron's PING and WAIT's `REPLCONF GETACK` are held
//! back during the failover (as Redis does), and no GETACK of our own is sent
//! either — it would enter the stream and the target's answer (its offset
//! *before* the GETACK) would never equal ours. The target's once-a-second
//! `REPLCONF ACK` tells us when it has caught up.
//!
//! The switch itself reuses REPLICAOF: we become a replica of the target
//! with ourselves as the cached master, and our PSYNC carries a `FAILOVER`
//! argument. The target ([`Server::psync_failover_request`]) checks that we
//! speak of its own replication ID, turns itself into a master exactly as
//! REPLICAOF NO ONE does (our ID becomes its `replid2`), and answers the same
//! PSYNC with +CONTINUE: the old master continues with a partial resync.
//!
//! Other replicas are not moved (Redis does not either): they are
//! disconnected when we become a replica and resynchronise with us, now a
//! chained replica of the new master.

use log::{info, warn};

use crate::client::Client;
use crate::cmd::{arg_i64, is, CmdResult, Ctx};
use crate::repl::primary::SyncState;
use crate::server::Server;

/// FAILOVER ABORT with nothing to abort.
const NOT_IN_PROGRESS: &str = "ERR No failover in progress.";
const ALREADY: &str = "ERR FAILOVER already in progress.";
const ON_REPLICA: &str = "ERR FAILOVER is not valid when server is a replica.";
const NO_REPLICAS: &str = "ERR FAILOVER requires connected replicas.";
const FORCE_NEEDS: &str =
    "ERR FAILOVER with force option requires both a timeout and target HOST and IP.";
const NOT_A_REPLICA: &str = "ERR FAILOVER target HOST and PORT is not a replica.";
const NOT_ONLINE: &str = "ERR FAILOVER target replica is not online.";
const BAD_TIMEOUT: &str = "ERR FAILOVER timeout must be greater than 0";
/// PSYNC ... FAILOVER whose ID is not ours.
const REPLID_MISMATCH: &str = "ERR PSYNC FAILOVER replid must match my replid.";
/// PSYNC ... FAILOVER sent to a master.
const TO_A_MASTER: &str = "ERR PSYNC FAILOVER can't be sent to a master.";
/// SYNC/PSYNC from a replica while we are handing our role over.
pub const SYNC_WHILE_FAILING_OVER: &str = "NOMASTERLINK Can't SYNC while failing over";
/// REPLICAOF while failing over.
pub const REPLICAOF_WHILE_FAILING_OVER: &str = "ERR REPLICAOF not allowed while failing over.";

/// Where a failover is (INFO's `master_failover_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    #[default]
    None,
    /// Writes paused; waiting for the target to acknowledge our offset.
    WaitForSync,
    /// We are a replica of the target, sending it PSYNC ... FAILOVER.
    InProgress,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::None => "no-failover",
            Phase::WaitForSync => "waiting-for-sync",
            Phase::InProgress => "failover-in-progress",
        }
    }
}

/// The failover in progress, if any.
#[derive(Debug, Default)]
pub struct FailoverState {
    pub phase: Phase,
    /// The replica taking over: given with TO, or the first one found in
    /// sync when none was given.
    target: Option<(String, i64)>,
    /// Unix ms after which waiting-for-sync gives up (FORCE: goes on); 0:
    /// no TIMEOUT.
    end_ms: i64,
    force: bool,
    /// Set by the link when the target answered our PSYNC ... FAILOVER:
    /// true when it accepted, false when it refused. Acted upon right after
    /// the link event, once the link's own bookkeeping is done.
    psync_outcome: Option<bool>,
}

impl FailoverState {
    /// Whether a failover is running (waiting or switching).
    pub fn active(&self) -> bool {
        self.phase != Phase::None
    }
}

/// Address of a replica as FAILOVER TO matches it: the announced IP, else
/// the peer address; and its listening port.
fn replica_addr(c: &Client) -> Option<(String, i64, Option<SyncState>, i64)> {
    let r = c.repl.as_ref()?;
    let ip = r
        .ip_address
        .clone()
        .unwrap_or_else(|| c.addr.ip().to_canonical().to_string());
    Some((ip, r.listening_port, r.state, r.ack_off))
}

impl Server {
    /// The replicas attached to us as (ip, port, state, acked offset), in
    /// attach order.
    fn failover_replicas(&self) -> Vec<(String, i64, Option<SyncState>, i64)> {
        self.repl
            .primary
            .replicas
            .iter()
            .filter_map(|&slot| replica_addr(self.clients.get(slot)?.as_ref()?))
            .collect()
    }

    /// Redis's findReplica: the replica whose address (case-insensitive)
    /// and listening port are `host`/`port`.
    fn failover_find(&self, host: &str, port: i64) -> Option<(Option<SyncState>, i64)> {
        self.failover_replicas()
            .into_iter()
            .find(|(ip, p, _, _)| ip.eq_ignore_ascii_case(host) && *p == port)
            .map(|(_, _, state, ack)| (state, ack))
    }

    /// Start waiting for the target. Writes are held from now on until the
    /// failover ends: `must_pause` treats an active failover as a CLIENT
    /// PAUSE WRITE of its own, so neither CLIENT UNPAUSE ends it early nor
    /// does its end cut short a user's pause (Redis keeps pauses per
    /// purpose for the same reason).
    fn failover_start(&mut self, target: Option<(String, i64)>, end_ms: i64, force: bool) {
        self.repl.failover = FailoverState {
            phase: Phase::WaitForSync,
            target,
            end_ms,
            force,
            psync_outcome: None,
        };
    }

    /// Redis's clearFailoverState: back to no-failover; the writes held
    /// run now, unless a CLIENT PAUSE still holds them.
    fn failover_clear(&mut self) {
        self.repl.failover = FailoverState::default();
        if self.pause.is_none() {
            self.unpause_clients();
        }
    }

    /// Redis's abortFailover: log why, become a master again if we had
    /// already switched, and clear the state.
    fn failover_abort(&mut self, why: &str) {
        let f = &self.repl.failover;
        if !f.active() {
            return;
        }
        match &f.target {
            Some((h, p)) => info!("FAILOVER to {h}:{p} aborted: {why}"),
            None => info!("FAILOVER to any replica aborted: {why}"),
        }
        if f.phase == Phase::InProgress {
            self.replica_unset_master();
        }
        self.failover_clear();
    }

    /// Become a replica of the target; our PSYNC will say FAILOVER.
    fn failover_switch(&mut self) {
        let Some((host, port)) = self.repl.failover.target.clone() else {
            return;
        };
        self.repl.failover.phase = Phase::InProgress;
        // A port that is not a u16 never matched a replica: unreachable.
        let port = u16::try_from(port).unwrap_or(0);
        self.replica_set_master(host, port);
    }

    /// Redis's updateFailoverStatus, run every event-loop turn (after the
    /// turn's ACKs were read): time out, pick a target when none was given,
    /// and switch once the target acknowledged our whole stream. Also acts
    /// on the target's answer to our PSYNC.
    pub(crate) fn update_failover_status(&mut self, now_ms: i64) {
        if let Some(accepted) = self.repl.failover.psync_outcome.take() {
            if self.repl.failover.phase == Phase::InProgress {
                if accepted {
                    self.failover_clear();
                } else {
                    self.failover_abort("Failover target rejected psync request");
                }
            }
            return;
        }
        if self.repl.failover.phase != Phase::WaitForSync {
            return;
        }
        let f = &self.repl.failover;
        if f.end_ms != 0 && f.end_ms <= now_ms {
            if f.force {
                if let Some((h, p)) = &f.target {
                    info!("FAILOVER to {h}:{p} time out exceeded, failing over.");
                }
                self.failover_switch();
            } else {
                self.failover_abort("Replica never caught up before timeout");
            }
            return;
        }
        let offset = self.repl.master_repl_offset;
        let synced = match &f.target {
            Some((h, p)) => self
                .failover_find(h, *p)
                .is_some_and(|(_, ack)| ack == offset),
            None => {
                // Redis's rule without TO: the first replica (attach order)
                // that acknowledged everything.
                let found = self
                    .failover_replicas()
                    .into_iter()
                    .find(|(_, _, _, ack)| *ack == offset);
                match found {
                    Some((ip, port, _, _)) => {
                        self.repl.failover.target = Some((ip, port));
                        true
                    }
                    None => false,
                }
            }
        };
        if synced {
            if let Some((h, p)) = &self.repl.failover.target {
                info!("Failover target {h}:{p} is synced, failing over.");
            }
            self.failover_switch();
        }
    }

    /// Whether the replication stream must not move (no PING, no GETACK)
    /// because we wait for a failover target to match our offset.
    pub fn failover_holds_stream(&self) -> bool {
        self.repl.failover.phase == Phase::WaitForSync
    }

    /// The `FAILOVER` argument our PSYNC carries while we switch.
    pub(crate) fn failover_psync_arg(&self) -> Option<&'static [u8]> {
        (self.repl.failover.phase == Phase::InProgress).then_some(b"FAILOVER".as_slice())
    }

    /// The link read the target's answer to our PSYNC (accepted: +CONTINUE
    /// or +FULLRESYNC). Only recorded here; `update_failover_status` acts.
    pub(crate) fn failover_psync_answered(&mut self, accepted: bool) {
        if self.repl.failover.phase == Phase::InProgress {
            self.repl.failover.psync_outcome = Some(accepted);
        }
    }

    /// Target side of `PSYNC <replid> <offset> FAILOVER`: our master asks us
    /// to take over. When `replid` is ours, become a master (as REPLICAOF NO
    /// ONE: keep the data, our ID becomes `replid2`) so the PSYNC that
    /// follows continues the sender's history; else refuse.
    pub(crate) fn psync_failover_request(
        &mut self,
        c: &Client,
        replid: &[u8],
        now_ms: i64,
    ) -> CmdResult {
        warn!(
            "Failover request received for replid {}.",
            String::from_utf8_lossy(replid)
        );
        if !self.repl.is_replica() {
            return Err(TO_A_MASTER.into());
        }
        if !replid.eq_ignore_ascii_case(self.repl.replid.as_bytes()) {
            return Err(REPLID_MISMATCH.into());
        }
        self.replica_unset_master();
        info!(
            "MASTER MODE enabled (failover request from '{}')",
            crate::cmd::connection::client_info_line(c, now_ms, self.replica_stream_pending(c))
        );
        Ok(())
    }
}

/// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]
///
/// Replies +OK once the failover is set up; the rest happens from the event
/// loop. Options are parsed before the state is checked, as Redis does, so
/// a syntax error wins over "already in progress".
pub fn failover(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 2 && is(argv[1], "abort") {
        if !ctx.srv.repl.failover.active() {
            return Err(NOT_IN_PROGRESS.into());
        }
        ctx.srv.failover_abort("Failover manually aborted");
        ctx.c.add_ok();
        return Ok(());
    }
    let mut timeout = 0i64;
    let mut force = false;
    let mut target: Option<(String, i64)> = None;
    let mut j = 1;
    while j < argv.len() {
        let a = argv[j];
        if is(a, "timeout") && j + 1 < argv.len() && timeout == 0 {
            timeout = arg_i64(argv[j + 1])?;
            if timeout <= 0 {
                return Err(BAD_TIMEOUT.into());
            }
            j += 2;
        } else if is(a, "to") && j + 2 < argv.len() && target.is_none() {
            let port = arg_i64(argv[j + 2])?;
            target = Some((String::from_utf8_lossy(argv[j + 1]).into_owned(), port));
            j += 3;
        } else if is(a, "force") && !force {
            force = true;
            j += 1;
        } else {
            return Err(crate::resp::errors::SYNTAX.into());
        }
    }
    let srv = &mut *ctx.srv;
    if srv.repl.failover.active() {
        return Err(ALREADY.into());
    }
    if srv.repl.is_replica() {
        return Err(ON_REPLICA.into());
    }
    if srv.repl.primary.replicas.is_empty() {
        return Err(NO_REPLICAS.into());
    }
    if force && (timeout == 0 || target.is_none()) {
        return Err(FORCE_NEEDS.into());
    }
    match &target {
        Some((host, port)) => {
            match srv.failover_find(host, *port) {
                None => return Err(NOT_A_REPLICA.into()),
                Some((state, _)) if state != Some(SyncState::Online) => {
                    return Err(NOT_ONLINE.into())
                }
                Some(_) => {}
            }
            info!("FAILOVER requested to {host}:{port}.");
        }
        None => info!("FAILOVER requested to any replica."),
    }
    let end_ms = if timeout > 0 {
        ctx.now_ms.saturating_add(timeout)
    } else {
        0
    };
    srv.failover_start(target, end_ms, force);
    ctx.c.add_ok();
    Ok(())
}
