//! List commands (being written).
