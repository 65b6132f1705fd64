//! The replication backlog (being written).

/// Offset-addressed ring buffer of the replication stream.
#[derive(Debug, Default)]
pub struct Backlog {}
