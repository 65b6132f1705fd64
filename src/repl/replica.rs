//! Replica side of replication (being written).

use crate::reactor::Ready;
use crate::server::Server;

/// Replica-side state: who our master is and the link to it.
#[derive(Debug)]
pub struct ReplicaState {
    pub master_host: String,
    pub master_port: u16,
}

impl Server {
    /// Replica-side periodic work (connect, reconnect, ACKs, timeouts).
    pub(crate) fn replica_cron(&mut self, now_ms: i64) {
        let _ = now_ms;
    }

    /// An event on the link to our master (before it becomes a client).
    pub(crate) fn handle_master_link_event(&mut self, ev: Ready) {
        let _ = ev;
    }

    /// INFO replication lines of the replica side (master_host ... ),
    /// appended to `out`; nothing on a master.
    pub fn info_replica(&self, out: &mut String) {
        let _ = out;
    }
}
