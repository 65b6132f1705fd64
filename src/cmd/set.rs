//! Set commands (being written).
