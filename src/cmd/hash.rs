//! Hash commands (being written).
