//! Replication: identity (replication ID and offset), the role of this
//! server, and the two sides.
//!
//! - [`primary`]: the master side — the backlog, replicas connected to us
//!   (SYNC/PSYNC/REPLCONF), full syncs through a BGSAVE child, feeding the
//!   propagated stream to the backlog and every online replica.
//! - [`replica`]: the replica side — REPLICAOF, the non-blocking link to our
//!   master (handshake, RDB transfer and load), applying its stream and
//!   forwarding exactly the bytes applied to our own backlog and replicas,
//!   so a chain keeps one replication ID and one offset space.
//! - [`backlog`]: the offset-addressed ring buffer behind partial resyncs.
//! - [`diskless`], [`diskless_load`], [`rdb_tail`]: the ways a full sync's
//!   RDB travels (through a pipe; parsed from the socket; a disk BGSAVE's
//!   file sent while it is written).
//!
//! Offsets: `master_repl_offset` counts every byte of replication stream
//! this server has produced (a master) or applied (a replica) under
//! `replid`. A master only counts once a backlog exists, as Redis does.

pub mod backlog;
pub mod diskless;
pub mod diskless_load;
pub mod failover;
pub mod primary;
pub mod rdb_tail;
pub mod replica;
pub mod wait;

/// Replication identity, shared by both sides.
#[derive(Debug)]
pub struct ReplState {
    /// Current replication ID (40 hex characters).
    pub replid: String,
    /// Previous ID, valid up to `second_repl_offset` (PSYNC2 after a
    /// promotion); forty zeros when none.
    pub replid2: String,
    /// Bytes of stream produced/applied under `replid`.
    pub master_repl_offset: i64,
    /// Last offset valid for `replid2`, or -1.
    pub second_repl_offset: i64,
    /// The backlog, created when the first replica attaches.
    pub backlog: Option<backlog::Backlog>,
    /// Master side state (replicas, full syncs in progress...).
    pub primary: primary::PrimaryState,
    /// Replica side state (our master and the link to it), None on a master.
    pub replica: Option<replica::ReplicaState>,
    /// The coordinated failover (FAILOVER command) in progress, if any.
    pub failover: failover::FailoverState,
    /// The host's idle CPU of late, sampled by the cron while
    /// `repl-overlap-load` is `auto` (read when a full sync starts).
    pub host_idle: crate::util::idle::IdleMeter,
}

impl ReplState {
    pub fn new() -> ReplState {
        ReplState {
            replid: crate::util::random_hex(40),
            replid2: "0".repeat(40),
            master_repl_offset: 0,
            second_repl_offset: -1,
            backlog: None,
            primary: primary::PrimaryState::default(),
            replica: None,
            failover: failover::FailoverState::default(),
            host_idle: crate::util::idle::IdleMeter::default(),
        }
    }

    /// True when this server replicates from a master.
    pub fn is_replica(&self) -> bool {
        self.replica.is_some()
    }

    /// A fresh replication ID, forgetting the previous one.
    pub fn change_replid(&mut self) {
        self.replid = crate::util::random_hex(40);
    }

    /// Forget `replid2`.
    pub fn clear_replid2(&mut self) {
        self.replid2 = "0".repeat(40);
        self.second_repl_offset = -1;
    }

    /// Keep the current ID as `replid2` (valid up to the current offset) and
    /// take a new one: what a replica does when it becomes a master, so that
    /// its own replicas can continue with a partial resync (PSYNC2).
    pub fn shift_replid(&mut self) {
        self.replid2 = std::mem::take(&mut self.replid);
        self.second_repl_offset = self.master_repl_offset + 1;
        self.change_replid();
    }
}

impl Default for ReplState {
    fn default() -> Self {
        ReplState::new()
    }
}
