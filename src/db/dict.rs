//! Hash table (stub: being written).
