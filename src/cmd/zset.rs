//! ZSet commands (being written).
