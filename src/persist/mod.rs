//! Persistence: the formats, and the process-level helpers that saving and
//! loading need. The server side (SAVE/BGSAVE, save points, loading at
//! start-up) lives in `persistence.rs`, `aof_server.rs` and `repl/`, and
//! calls in here.
//!
//! Layout:
//! - [`rdb`]: the RDB stream (version 10, as Redis 7.0.15 writes it; reads
//!   1..=10), value codec and DUMP/RESTORE payloads;
//! - [`snapshot`]: a whole dataset to and from an RDB stream;
//! - [`aof`]: the AOF manifest and command files;
//! - [`listpack`], [`intset`]: the compact encodings Redis 7.0 writes inside
//!   RDB values, byte-identical to Redis's;
//! - [`ziplist`]: ziplist and zipmap, legacy encodings still found in files
//!   written by older versions (read only);
//! - [`lzf`]: the string compressor, decision-for-decision Redis's;
//! - [`crc64`]: the checksum that ends RDB files and DUMP payloads;
//! - [`child`]: forking, reaping and the rules a fork child follows;
//! - [`sched`]: saving and loading run as batch work for the scheduler;
//! - [`writeback`]: big files handed to disk writeback while written.
//!
//! The codecs are pure: std plus `crate::util`'s number formatting, no
//! sockets, no server types; streaming over `std::io::Read`/`Write`, so the
//! same code serves a file, a fork child's pipe or a replica socket buffer.
//! Input is treated as hostile: decoders return [`rdb::RdbError`] (or a
//! message for the blob codecs) and never panic or allocate by a length field
//! before the data behind it exists.

pub mod aof;
pub mod child;
pub mod crc64;
pub mod intset;
pub mod listpack;
pub mod lzf;
pub mod rdb;
pub mod sched;
pub mod snapshot;
pub mod writeback;
pub mod ziplist;
