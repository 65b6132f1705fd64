//! Master side of replication (being written).

use crate::server::Server;

/// Master-side state.
#[derive(Debug, Default)]
pub struct PrimaryState {}

impl Server {
    /// Append propagated (or, on a replica, applied) stream bytes to the
    /// backlog and to every replica's output buffer.
    pub fn repl_feed(&mut self, bytes: &[u8]) {
        let _ = bytes;
    }

    /// Master-side periodic work (pings to replicas, timeouts).
    pub(crate) fn primary_cron(&mut self, now_ms: i64) {
        let _ = now_ms;
    }

    /// Whether the propagated stream has a replication consumer.
    pub fn repl_consumes_stream(&self) -> bool {
        false
    }

    /// INFO replication lines of the master side (connected_slaves, slaveN,
    /// backlog fields), appended to `out`.
    pub fn info_primary(&self, out: &mut String) {
        use std::fmt::Write;
        let r = &self.repl;
        let _ = write!(
            out,
            "connected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:{}\r\nmaster_replid2:{}\r\nmaster_repl_offset:{}\r\nsecond_repl_offset:{}\r\nrepl_backlog_active:0\r\nrepl_backlog_size:{}\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n",
            r.replid, r.replid2, r.master_repl_offset, r.second_repl_offset, self.config.repl_backlog_size
        );
    }
}
