//! Disk-backed full sync, sent while the BGSAVE child is still writing
//! the RDB (beyond Redis).
//!
//! With `repl-diskless-sync no`, Redis waits for the child to finish the
//! file before it sends a byte (`$<len>` needs the length), and the replica
//! can only start loading after that: the sync takes the save time plus
//! the transfer plus the load, one after the other. A replica that
//! announced `capa eof` also accepts the EOF-marked form, whose length is
//! not known up front, so ferrodis sends such replicas the file as the
//! child writes it, like `tail -f`, and ends with the mark once the child
//! has exited successfully. The file is still written, fsynced and renamed
//! exactly as before (it stays the persistence file), the replica gets the
//! same bytes sooner, and a ferrodis replica parses them as they come (see
//! `replica.rs`), so save, transfer and load overlap. Each replica goes at
//! its own pace: a slow one holds back neither the child nor the others.
//! Replicas without `capa eof` get the classic transfer at the end.
//!
//!   WaitBgsaveEnd ──(child's temp file exists)──► SendBulk, growing
//!   SendBulk, growing ──(caught up)──► waits for the file to grow
//!   child exits OK ──► growing = false: the rest, then the mark ──► Online
//!   child fails    ──► the replica is dropped (it will resync)
//!
//! There is no readiness event for "the file grew": while a transfer is
//! caught up with the child, the event loop polls with a short timeout
//! ([`TAIL_POLL`]) and retries, only as long as such a transfer exists.

use std::fs::File;
use std::time::Duration;

use log::{info, warn};

use super::primary::{BulkTransfer, SyncState};
use crate::server::Server;
use crate::util;

/// Longest wait for a file that grows: the child writes tens of MB per
/// second, so a couple of milliseconds is a few hundred KB.
pub const TAIL_POLL: Duration = Duration::from_millis(2);

/// Master-side state of the transfers that follow a growing file.
#[derive(Debug, Default)]
pub struct TailState {
    /// A disk BGSAVE for replication runs and replicas may follow it.
    pub active: bool,
    /// Replicas that sent all the file holds so far.
    pub waiters: Vec<usize>,
}

impl Server {
    /// Whether the event loop must come back within [`TAIL_POLL`].
    pub(crate) fn rdb_tail_active(&self) -> bool {
        self.repl.primary.tail.active
    }

    /// Once per event-loop turn while active: start following the file for
    /// replicas waiting for the BGSAVE, and retry those that caught up.
    pub(crate) fn rdb_tail_tick(&mut self) {
        let child = match self.persistence.child.as_ref() {
            Some(c) if !c.to_replicas => c.pid,
            _ => {
                // The child is gone: `rdb_tail_child_done` woke everyone.
                self.repl.primary.tail.active = false;
                return;
            }
        };
        self.start_tail_transfers(child);
        for slot in std::mem::take(&mut self.repl.primary.tail.waiters) {
            let Some(Some(c)) = self.clients.get(slot) else {
                continue;
            };
            let growing = c
                .repl
                .as_ref()
                .and_then(|r| r.bulk.as_ref())
                .is_some_and(|b| b.growing);
            if growing {
                self.schedule_write(slot);
            }
        }
    }

    /// Replicas that wait for the running BGSAVE and take the EOF form
    /// start receiving its file, once the child has created it.
    fn start_tail_transfers(&mut self, child: libc::pid_t) {
        let path = self.rdb_dir().join(format!("temp-{child}.rdb"));
        let slots = self.repl.primary.replicas.clone();
        for slot in slots {
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            let Some(r) = c.repl.as_mut() else {
                continue;
            };
            if r.state != Some(SyncState::WaitBgsaveEnd) || !r.capa_eof || c.close_asap {
                continue;
            }
            let file = match File::open(&path) {
                Ok(f) => f,
                // Not created yet: next turn.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
                Err(e) => {
                    // The classic transfer at the end still works.
                    warn!(
                        "Can't open {} to stream it to replicas: {e}",
                        path.display()
                    );
                    self.repl.primary.tail.active = false;
                    return;
                }
            };
            r.state = Some(SyncState::SendBulk);
            r.bulk = Some(BulkTransfer::growing(
                file,
                util::random_hex(super::diskless::EOF_MARK_LEN),
            ));
            info!(
                "Streaming the RDB to replica {} while the BGSAVE child writes it",
                super::primary::replica_name(c)
            );
            self.schedule_write(slot);
        }
    }

    /// The BGSAVE child ended: transfers that follow its file learn their
    /// final size and finish (with the mark), or are dropped if it failed.
    pub(crate) fn rdb_tail_child_done(&mut self, success: bool) {
        self.repl.primary.tail.active = false;
        self.repl.primary.tail.waiters.clear();
        let slots = self.repl.primary.replicas.clone();
        for slot in slots {
            let Some(Some(c)) = self.clients.get_mut(slot) else {
                continue;
            };
            let Some(b) = c.repl.as_mut().and_then(|r| r.bulk.as_mut()) else {
                continue;
            };
            if !b.growing {
                continue;
            }
            if !success {
                warn!("SYNC failed. BGSAVE child returned an error");
                self.close_client_later(slot);
                continue;
            }
            if let Err(e) = b.finish_growing() {
                warn!("SYNC failed. Can't stat DB after BGSAVE: {e}");
                self.close_client_later(slot);
                continue;
            }
            self.schedule_write(slot);
        }
    }
}
