//! The RDB file format, version 10 as written by Redis 7.0: a streaming
//! writer ([`RdbWriter`]), a streaming reader ([`RdbReader`]) and the DUMP /
//! RESTORE payload built from the same value codec.
//!
//! ```text
//! "REDIS0010"
//! AUX(0xFA) key value ...           redis-ver, redis-bits, ctime, used-mem,
//!                                   [repl-stream-db, repl-id, repl-offset], aof-base
//! [MODULE_AUX(0xF7) ...] [FUNCTION2(0xF5) code ...]
//! per database:
//!   SELECTDB(0xFE) <len db>  RESIZEDB(0xFB) <len keys> <len expires>
//!   per key: [EXPIRETIME_MS(0xFC) i64 LE] [IDLE(0xF8) <len> | FREQ(0xF9) u8]
//!            <type u8> <string key> <value>
//! EOF(0xFF) <crc64 u64 LE over all previous bytes; 0 = checksum disabled>
//! ```
//!
//! Lengths (`rdbSaveLen`): `00xxxxxx` 6 bits; `01xxxxxx xxxxxxxx` 14 bits;
//! `0x80` + u32 BE; `0x81` + u64 BE. A first byte `11xxxxxx` marks a
//! specially encoded string instead: INT8/16/32 (little endian) or LZF
//! (`<len clen> <len ulen> <clen bytes>`).
//!
//! The writer makes the same choices as Redis (integer encodings for short
//! canonical integers, LZF only above 20 bytes and only when it saves at
//! least 4, listpacks and intsets built byte for byte the same), so for the
//! same keys in the same order the output equals Redis's. Element order of
//! hashtable-encoded sets/hashes and the node split of quicklists are the
//! caller's: Redis writes dict iteration order, zset skiplists from the
//! highest score down, and quicklist nodes as they sit in memory.
//!
//! The reader accepts versions 1..=10 and every value encoding Redis 7.0 can
//! load, validates embedded blobs as deeply as Redis's sanitizer, and hands
//! back neutral values ([`RdbValue`]) tagged with the type they came from.
//! Module values are refused with an error naming the module. Input is
//! untrusted: no panics, and no allocation sized by a length field before the
//! bytes behind it have actually arrived.
//!
//! Empty collections: Redis 7.0 skips keys whose collection loads empty
//! (old files may have them); the reader yields them and leaves the choice
//! to the loader ([`RdbValue::is_empty_collection`]).
//!
//! Callers: the (future) SAVE/BGSAVE child, replication full sync, DEBUG
//! RELOAD, DUMP/RESTORE. Pass a buffered reader: it makes many small reads.
//! The writer gathers its many small writes itself (see `FLUSH_AT`).

use std::fmt;
use std::io::{self, Read, Write};

use super::{crc64, intset, listpack, lzf, ziplist};
use crate::db::stream::{self, Consumer, ConsumerGroup, PendingEntry, Stream, StreamId};
use crate::util::{parse_f64, parse_i64};
use std::collections::BTreeMap;

/// The RDB version Redis 7.0 writes and the highest it reads.
pub const RDB_VERSION: u16 = 10;

// ---------------------------------------------------------------------------
// Opcodes and types
// ---------------------------------------------------------------------------

/// Library code of a function (Redis 7.0 format).
pub const RDB_OPCODE_FUNCTION2: u8 = 245;
/// Pre-release 7.0 function format, refused by Redis 7.0 too.
pub const RDB_OPCODE_FUNCTION_PRE_GA: u8 = 246;
pub const RDB_OPCODE_MODULE_AUX: u8 = 247;
pub const RDB_OPCODE_IDLE: u8 = 248;
pub const RDB_OPCODE_FREQ: u8 = 249;
pub const RDB_OPCODE_AUX: u8 = 250;
pub const RDB_OPCODE_RESIZEDB: u8 = 251;
pub const RDB_OPCODE_EXPIRETIME_MS: u8 = 252;
pub const RDB_OPCODE_EXPIRETIME: u8 = 253;
pub const RDB_OPCODE_SELECTDB: u8 = 254;
pub const RDB_OPCODE_EOF: u8 = 255;

/// Quicklist node containers in `RDB_TYPE_LIST_QUICKLIST_2`.
const QUICKLIST_NODE_CONTAINER_PLAIN: u64 = 1;
const QUICKLIST_NODE_CONTAINER_PACKED: u64 = 2;

/// Module value opcodes (`RDB_MODULE_OPCODE_*`), needed to skip module aux data.
const RDB_MODULE_OPCODE_EOF: u64 = 0;
const RDB_MODULE_OPCODE_SINT: u64 = 1;
const RDB_MODULE_OPCODE_UINT: u64 = 2;
const RDB_MODULE_OPCODE_FLOAT: u64 = 3;
const RDB_MODULE_OPCODE_DOUBLE: u64 = 4;
const RDB_MODULE_OPCODE_STRING: u64 = 5;

/// Value type bytes (`RDB_TYPE_*`), in Redis's numbering. 8 was never used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RdbType {
    String = 0,
    /// Linked list of strings (before quicklists).
    List = 1,
    Set = 2,
    /// Sorted set with scores as text.
    ZSet = 3,
    Hash = 4,
    /// Sorted set with binary double scores.
    ZSet2 = 5,
    /// Pre-release module format.
    Module = 6,
    Module2 = 7,
    HashZipmap = 9,
    ListZiplist = 10,
    SetIntset = 11,
    ZSetZiplist = 12,
    HashZiplist = 13,
    /// Quicklist of ziplist nodes (RDB 7..9).
    ListQuicklist = 14,
    StreamListpacks = 15,
    HashListpack = 16,
    ZSetListpack = 17,
    /// Quicklist of listpack or plain nodes (RDB 10).
    ListQuicklist2 = 18,
    StreamListpacks2 = 19,
}

impl RdbType {
    /// The type for a type byte, if the byte is one.
    pub fn from_u8(b: u8) -> Option<RdbType> {
        use RdbType::*;
        Some(match b {
            0 => String,
            1 => List,
            2 => Set,
            3 => ZSet,
            4 => Hash,
            5 => ZSet2,
            6 => Module,
            7 => Module2,
            9 => HashZipmap,
            10 => ListZiplist,
            11 => SetIntset,
            12 => ZSetZiplist,
            13 => HashZiplist,
            14 => ListQuicklist,
            15 => StreamListpacks,
            16 => HashListpack,
            17 => ZSetListpack,
            18 => ListQuicklist2,
            19 => StreamListpacks2,
            _ => return None,
        })
    }

    /// Redis's name for the type (`RDB_TYPE_*` without the prefix).
    pub fn name(self) -> &'static str {
        use RdbType::*;
        match self {
            String => "STRING",
            List => "LIST",
            Set => "SET",
            ZSet => "ZSET",
            Hash => "HASH",
            ZSet2 => "ZSET_2",
            Module => "MODULE",
            Module2 => "MODULE_2",
            HashZipmap => "HASH_ZIPMAP",
            ListZiplist => "LIST_ZIPLIST",
            SetIntset => "SET_INTSET",
            ZSetZiplist => "ZSET_ZIPLIST",
            HashZiplist => "HASH_ZIPLIST",
            ListQuicklist => "LIST_QUICKLIST",
            StreamListpacks => "STREAM_LISTPACKS",
            HashListpack => "HASH_LISTPACK",
            ZSetListpack => "ZSET_LISTPACK",
            ListQuicklist2 => "LIST_QUICKLIST_2",
            StreamListpacks2 => "STREAM_LISTPACKS_2",
        }
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// What went wrong while reading.
#[derive(Debug)]
pub enum RdbErrorKind {
    /// The underlying reader failed.
    Io(io::Error),
    /// The input ended in the middle of something.
    Truncated,
    /// The file does not start with `REDIS`.
    BadMagic,
    /// The version is outside 1..=10 (or not a number).
    UnsupportedVersion(u32),
    /// A byte where an opcode or type byte belongs is neither.
    UnknownType(u8),
    /// A valid type ferrodis cannot load (modules, streams, ...).
    Unsupported(String),
    /// The trailing CRC64 does not match the content.
    BadChecksum { expected: u64, found: u64 },
    /// Anything structurally wrong: bad length encoding, corrupt listpack,
    /// ziplist, zipmap, intset or LZF data, duplicates, bad scores.
    Corrupt(String),
}

/// A reading error and the byte offset (from the start of the input) of the
/// item or field it concerns, when known.
#[derive(Debug)]
pub struct RdbError {
    pub kind: RdbErrorKind,
    pub offset: Option<u64>,
}

impl RdbError {
    fn new(kind: RdbErrorKind, offset: u64) -> RdbError {
        RdbError {
            kind,
            offset: Some(offset),
        }
    }

    fn corrupt(msg: impl Into<String>, offset: u64) -> RdbError {
        RdbError::new(RdbErrorKind::Corrupt(msg.into()), offset)
    }
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RdbErrorKind::Io(e) => write!(f, "I/O error reading RDB: {}", e)?,
            RdbErrorKind::Truncated => f.write_str("Unexpected EOF reading RDB file")?,
            RdbErrorKind::BadMagic => f.write_str("Wrong signature trying to load DB from file")?,
            RdbErrorKind::UnsupportedVersion(v) => {
                write!(f, "Can't handle RDB format version {}", v)?
            }
            RdbErrorKind::UnknownType(t) => write!(f, "Unknown RDB encoding type {}", t)?,
            RdbErrorKind::Unsupported(what) => f.write_str(what)?,
            RdbErrorKind::BadChecksum { expected, found } => write!(
                f,
                "Wrong RDB checksum expected: ({:x}) got: ({:x})",
                expected, found
            )?,
            RdbErrorKind::Corrupt(m) => write!(f, "Corrupt RDB: {}", m)?,
        }
        if let Some(o) = self.offset {
            write!(f, " (at byte offset {})", o)?;
        }
        Ok(())
    }
}

impl std::error::Error for RdbError {}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// A value as read, in a neutral form. Element order is the file's order.
#[derive(Debug, Clone, PartialEq)]
pub enum RdbValue {
    String(Vec<u8>),
    List(Vec<Vec<u8>>),
    Set(Vec<Vec<u8>>),
    /// A set that came from an intset blob.
    IntSet(Vec<i64>),
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    ZSet(Vec<(Vec<u8>, f64)>),
    Stream(Box<Stream>),
}

impl RdbValue {
    /// True for a list/set/hash/zset with no elements, which Redis 7.0
    /// skips when loading.
    pub fn is_empty_collection(&self) -> bool {
        match self {
            RdbValue::String(_) => false,
            RdbValue::List(v) | RdbValue::Set(v) => v.is_empty(),
            RdbValue::IntSet(v) => v.is_empty(),
            RdbValue::Hash(v) => v.is_empty(),
            RdbValue::ZSet(v) => v.is_empty(),
            // An emptied stream keeps its IDs and groups: Redis loads it.
            RdbValue::Stream(_) => false,
        }
    }
}

/// A decoded value plus where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RdbObject {
    pub value: RdbValue,
    /// The type byte it was stored with (tells the loader which compact
    /// encoding it had).
    pub rdb_type: RdbType,
    /// For quicklists: elements per node, in order (a plain node counts 1;
    /// empty nodes, which Redis drops, are not listed). Empty otherwise.
    pub list_nodes: Vec<u32>,
}

/// A value to write, in one of the encodings Redis 7.0 writes. Element
/// order is written as given.
#[derive(Debug, Clone, Copy)]
pub enum ValueRef<'a> {
    /// `RDB_TYPE_STRING`.
    String(&'a [u8]),
    /// `RDB_TYPE_LIST_QUICKLIST_2`, one listpack (PACKED) node per slice.
    Quicklist(&'a [Vec<Vec<u8>>]),
    /// `RDB_TYPE_SET` (hashtable encoding).
    Set(&'a [Vec<u8>]),
    /// `RDB_TYPE_SET_INTSET`.
    IntSet(&'a [i64]),
    /// `RDB_TYPE_HASH` (hashtable encoding).
    Hash(&'a [(Vec<u8>, Vec<u8>)]),
    /// `RDB_TYPE_HASH_LISTPACK`.
    HashListpack(&'a [(Vec<u8>, Vec<u8>)]),
    /// `RDB_TYPE_ZSET_2` (skiplist encoding).
    ZSet(&'a [(Vec<u8>, f64)]),
    /// `RDB_TYPE_ZSET_LISTPACK`, pairs in ascending (score, member) order.
    ZSetListpack(&'a [(Vec<u8>, f64)]),
    /// `RDB_TYPE_STREAM_LISTPACKS_2`.
    Stream(&'a Stream),
}

impl ValueRef<'_> {
    /// The type byte this value is written with.
    pub fn rdb_type(&self) -> RdbType {
        match self {
            ValueRef::String(_) => RdbType::String,
            ValueRef::Quicklist(_) => RdbType::ListQuicklist2,
            ValueRef::Set(_) => RdbType::Set,
            ValueRef::IntSet(_) => RdbType::SetIntset,
            ValueRef::Hash(_) => RdbType::Hash,
            ValueRef::HashListpack(_) => RdbType::HashListpack,
            ValueRef::ZSet(_) => RdbType::ZSet2,
            ValueRef::ZSetListpack(_) => RdbType::ZSetListpack,
            ValueRef::Stream(_) => RdbType::StreamListpacks2,
        }
    }
}

/// Per-key metadata written before the type byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyMeta {
    /// Absolute expiry, Unix milliseconds.
    pub expire_ms: Option<i64>,
    /// LRU idle time in seconds (written when maxmemory-policy is an LRU one).
    pub idle: Option<u64>,
    /// LFU logarithmic counter (written when maxmemory-policy is an LFU one).
    pub freq: Option<u8>,
}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

/// Writer settings, named after the config directives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterOptions {
    /// `rdbcompression`: LZF-compress strings longer than 20 bytes.
    pub compression: bool,
    /// `rdbchecksum`: end with the CRC64; when off the trailer is 0.
    pub checksum: bool,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            compression: true,
            checksum: true,
        }
    }
}

/// The AUX fields Redis 7.0 writes at the top of every file, in its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuxFields {
    /// `redis-ver`, e.g. "7.0.15".
    pub redis_ver: String,
    /// `redis-bits`: 64 or 32.
    pub redis_bits: u32,
    /// `ctime`: Unix seconds at save time.
    pub ctime: i64,
    /// `used-mem`: bytes in use at save time.
    pub used_mem: u64,
    /// `repl-stream-db`, `repl-id`, `repl-offset`: present when the save
    /// carries replication info (a master with a backlog, or a replica).
    pub repl: Option<ReplAux>,
    /// `aof-base`: 1 when the RDB is an AOF preamble.
    pub aof_base: bool,
}

/// Replication AUX fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplAux {
    pub stream_db: i64,
    pub replid: String,
    pub offset: i64,
}

/// Output is gathered in a buffer and handed to `out` (and the CRC) in
/// blocks of about this size: a snapshot is mostly pieces of a few bytes
/// (type bytes, lengths, short strings), and running the CRC and the
/// destination's `write_all` per piece cost more than the pieces.
const FLUSH_AT: usize = 32 * 1024;

/// Streams an RDB file into `W`, keeping the running CRC64.
///
/// Order of calls for a whole file: [`write_magic`](Self::write_magic),
/// [`write_aux_fields`](Self::write_aux_fields) (or `write_aux`), optional
/// `write_function`s, then per database `select_db`, `resize_db` and
/// `write_key`s, then [`finish`](Self::finish). The writer does not police
/// the order. Every method returns the underlying writer's error unchanged;
/// after an error the output is unusable.
pub struct RdbWriter<W: Write> {
    /// Destination.
    out: W,
    /// Running CRC64 of everything handed to `out` (kept only if
    /// `opts.checksum`).
    crc: u64,
    /// Bytes handed to `out` so far.
    flushed: u64,
    /// Bytes written but not yet handed to `out` (see [`FLUSH_AT`]).
    pending: Vec<u8>,
    opts: WriterOptions,
    /// LZF output, reused from string to string.
    lzf_out: Vec<u8>,
    /// Listpack builder, reused from value to value (taken out while a
    /// listpack is being built, hence the Option).
    lp: Option<listpack::Builder>,
}

impl<W: Write> RdbWriter<W> {
    pub fn new(out: W, opts: WriterOptions) -> RdbWriter<W> {
        RdbWriter {
            out,
            crc: 0,
            flushed: 0,
            pending: Vec::new(),
            opts,
            lzf_out: Vec::new(),
            lp: None,
        }
    }

    /// Appends bytes to the output.
    #[inline]
    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        if b.len() >= FLUSH_AT {
            // A big piece goes straight through rather than being copied.
            self.flush_pending()?;
            return self.write_through(b);
        }
        self.pending.extend_from_slice(b);
        if self.pending.len() >= FLUSH_AT {
            self.flush_pending()?;
        }
        Ok(())
    }

    /// Hands the pending bytes to the CRC and the destination.
    fn flush_pending(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let r = self.write_through(&pending);
        self.pending = pending;
        self.pending.clear();
        r
    }

    fn write_through(&mut self, b: &[u8]) -> io::Result<()> {
        if self.opts.checksum {
            self.crc = crc64::update(self.crc, b);
        }
        self.flushed += b.len() as u64;
        self.out.write_all(b)
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.flushed + self.pending.len() as u64
    }

    /// The running checksum (0 when checksums are off).
    pub fn checksum(&self) -> u64 {
        if self.opts.checksum {
            crc64::update(self.crc, &self.pending)
        } else {
            0
        }
    }

    /// `REDIS0010`.
    pub fn write_magic(&mut self) -> io::Result<()> {
        self.put(format!("REDIS{:04}", RDB_VERSION).as_bytes())
    }

    /// One AUX field; both parts go through the string encoder, so numeric
    /// values get integer encodings exactly as `rdbSaveAuxFieldStrInt`.
    pub fn write_aux(&mut self, key: &[u8], value: &[u8]) -> io::Result<()> {
        self.put(&[RDB_OPCODE_AUX])?;
        self.write_string(key)?;
        self.write_string(value)
    }

    /// The standard AUX block (`rdbSaveInfoAuxFields`).
    pub fn write_aux_fields(&mut self, aux: &AuxFields) -> io::Result<()> {
        self.write_aux(b"redis-ver", aux.redis_ver.as_bytes())?;
        self.write_aux(b"redis-bits", aux.redis_bits.to_string().as_bytes())?;
        self.write_aux(b"ctime", aux.ctime.to_string().as_bytes())?;
        self.write_aux(b"used-mem", aux.used_mem.to_string().as_bytes())?;
        if let Some(r) = &aux.repl {
            self.write_aux(b"repl-stream-db", r.stream_db.to_string().as_bytes())?;
            self.write_aux(b"repl-id", r.replid.as_bytes())?;
            self.write_aux(b"repl-offset", r.offset.to_string().as_bytes())?;
        }
        self.write_aux(b"aof-base", if aux.aof_base { b"1" } else { b"0" })
    }

    /// One function library (`RDB_OPCODE_FUNCTION2` + its code).
    pub fn write_function(&mut self, code: &[u8]) -> io::Result<()> {
        self.put(&[RDB_OPCODE_FUNCTION2])?;
        self.write_string(code)
    }

    /// `SELECTDB`.
    pub fn select_db(&mut self, db: u64) -> io::Result<()> {
        self.put(&[RDB_OPCODE_SELECTDB])?;
        self.write_len(db)
    }

    /// `RESIZEDB`: key count and count of keys with an expiry.
    pub fn resize_db(&mut self, db_size: u64, expires_size: u64) -> io::Result<()> {
        self.put(&[RDB_OPCODE_RESIZEDB])?;
        self.write_len(db_size)?;
        self.write_len(expires_size)
    }

    /// One key (`rdbSaveKeyValuePair`): expiry, idle/freq, type, key, value.
    pub fn write_key(&mut self, key: &[u8], meta: &KeyMeta, value: &ValueRef) -> io::Result<()> {
        self.write_key_header(key, meta, value.rdb_type())?;
        self.write_value_body(value)
    }

    /// Everything of a key before its value: expiry, idle/freq, type byte
    /// `t` and the key name. The caller writes a value of type `t` next
    /// (with `write_len`, `write_string`, `write_listpack`...), which lets
    /// a snapshot stream a collection without first copying it out.
    pub fn write_key_header(&mut self, key: &[u8], meta: &KeyMeta, t: RdbType) -> io::Result<()> {
        if let Some(ms) = meta.expire_ms {
            self.put(&[RDB_OPCODE_EXPIRETIME_MS])?;
            self.put(&ms.to_le_bytes())?;
        }
        if let Some(idle) = meta.idle {
            self.put(&[RDB_OPCODE_IDLE])?;
            self.write_len(idle)?;
        }
        if let Some(freq) = meta.freq {
            self.put(&[RDB_OPCODE_FREQ, freq])?;
        }
        self.write_type(t)?;
        self.write_string(key)
    }

    /// Type byte plus value (what DUMP serializes).
    pub fn write_value(&mut self, value: &ValueRef) -> io::Result<()> {
        self.write_type(value.rdb_type())?;
        self.write_value_body(value)
    }

    pub fn write_type(&mut self, t: RdbType) -> io::Result<()> {
        self.put(&[t as u8])
    }

    /// The value without its type byte (`rdbSaveObject`).
    pub fn write_value_body(&mut self, value: &ValueRef) -> io::Result<()> {
        match *value {
            ValueRef::String(s) => self.write_string(s),
            ValueRef::Quicklist(nodes) => {
                self.write_len(nodes.len() as u64)?;
                for node in nodes {
                    self.write_quicklist_node(|b| {
                        for e in node {
                            b.push(e);
                        }
                    })?;
                }
                Ok(())
            }
            ValueRef::Set(members) => {
                self.write_len(members.len() as u64)?;
                for m in members {
                    self.write_string(m)?;
                }
                Ok(())
            }
            ValueRef::IntSet(v) => self.write_string(&intset::encode(v)),
            ValueRef::Hash(pairs) => {
                self.write_len(pairs.len() as u64)?;
                for (f, v) in pairs {
                    self.write_string(f)?;
                    self.write_string(v)?;
                }
                Ok(())
            }
            ValueRef::HashListpack(pairs) => self.write_listpack(|b| {
                for (f, v) in pairs {
                    b.push(f);
                    b.push(v);
                }
            }),
            ValueRef::ZSet(pairs) => {
                self.write_len(pairs.len() as u64)?;
                for (m, score) in pairs {
                    self.write_string(m)?;
                    self.write_binary_double(*score)?;
                }
                Ok(())
            }
            ValueRef::ZSetListpack(pairs) => self.write_listpack(|b| {
                for (m, score) in pairs {
                    b.push(m);
                    b.push_score(*score);
                }
            }),
            ValueRef::Stream(st) => self.write_stream(st),
        }
    }

    /// A stream as `RDB_TYPE_STREAM_LISTPACKS_2` (rdbSaveObject): the nodes
    /// (master ID as a 16-byte big-endian string, then the listpack), the
    /// length, last, first and largest deleted IDs, entries added, then
    /// every group with its pending entries and consumers.
    pub fn write_stream(&mut self, st: &Stream) -> io::Result<()> {
        self.write_len(st.node_count() as u64)?;
        for (master, lp) in st.nodes() {
            self.write_string(&master.to_be_bytes())?;
            self.write_string(lp)?;
        }
        self.write_len(st.len())?;
        for id in [st.last_id, st.first_id, st.max_deleted_id] {
            self.write_len(id.ms)?;
            self.write_len(id.seq)?;
        }
        self.write_len(st.entries_added)?;
        self.write_len(st.groups.len() as u64)?;
        for (name, g) in &st.groups {
            self.write_string(name)?;
            self.write_len(g.last_id.ms)?;
            self.write_len(g.last_id.seq)?;
            // -1 ("unknown") goes out as the all-ones length, as in Redis.
            self.write_len(g.entries_read as u64)?;
            self.write_len(g.pending.len() as u64)?;
            for (id, p) in &g.pending {
                self.put(&id.to_be_bytes())?;
                self.put(&p.delivery_time.to_le_bytes())?;
                self.write_len(p.delivery_count)?;
            }
            self.write_len(g.consumers.len() as u64)?;
            for (cname, c) in &g.consumers {
                self.write_string(cname)?;
                self.put(&c.seen_time.to_le_bytes())?;
                self.write_len(c.pending.len() as u64)?;
                for id in &c.pending {
                    self.put(&id.to_be_bytes())?;
                }
            }
        }
        Ok(())
    }

    /// A listpack as a string: `fill` appends the elements to a builder
    /// (reused across calls, so no allocation per value).
    pub fn write_listpack(&mut self, fill: impl FnOnce(&mut listpack::Builder)) -> io::Result<()> {
        let mut b = self.lp.take().unwrap_or_default();
        b.reset();
        fill(&mut b);
        let r = self.write_string(b.finish_ref());
        self.lp = Some(b);
        r
    }

    /// One PACKED quicklist node (container type, then the listpack `fill`
    /// builds), after the node count that [`RdbType::ListQuicklist2`]
    /// values start with.
    pub fn write_quicklist_node(
        &mut self,
        fill: impl FnOnce(&mut listpack::Builder),
    ) -> io::Result<()> {
        self.write_len(QUICKLIST_NODE_CONTAINER_PACKED)?;
        self.write_listpack(fill)
    }

    /// `rdbSaveLen`.
    pub fn write_len(&mut self, len: u64) -> io::Result<()> {
        let mut buf = [0u8; 9];
        let n = encode_len(&mut buf, len);
        self.put(&buf[..n])
    }

    /// `rdbSaveRawString`: integer encoding for short canonical integers
    /// that fit 32 bits, LZF when enabled and worthwhile, raw otherwise.
    pub fn write_string(&mut self, s: &[u8]) -> io::Result<()> {
        // Only a digit or '-' can start an integer: most strings are
        // settled by their first byte.
        if s.len() <= 11 && matches!(s.first(), Some(b'-' | b'0'..=b'9')) {
            if let Some(v) = parse_i64(s) {
                if let Ok(v) = i8::try_from(v) {
                    return self.put(&[0xC0, v as u8]);
                } else if let Ok(v) = i16::try_from(v) {
                    let b = v.to_le_bytes();
                    return self.put(&[0xC1, b[0], b[1]]);
                } else if let Ok(v) = i32::try_from(v) {
                    let b = v.to_le_bytes();
                    return self.put(&[0xC2, b[0], b[1], b[2], b[3]]);
                }
            }
        }
        if self.opts.compression && s.len() > 20 {
            // rdbSaveLzfStringObject: worth it only if it saves 4 bytes.
            let mut c = std::mem::take(&mut self.lzf_out);
            let compressed = lzf::compress_into(s, s.len() - 4, &mut c);
            let r = if compressed {
                self.put(&[0xC3])
                    .and_then(|_| self.write_len(c.len() as u64))
                    .and_then(|_| self.write_len(s.len() as u64))
                    .and_then(|_| self.put(&c))
            } else {
                Ok(())
            };
            self.lzf_out = c;
            if compressed {
                return r;
            }
        }
        self.write_len(s.len() as u64)?;
        self.put(s)
    }

    /// `rdbSaveBinaryDoubleValue`: 8 bytes little endian.
    pub fn write_binary_double(&mut self, v: f64) -> io::Result<()> {
        self.put(&v.to_le_bytes())
    }

    /// Writes EOF and the checksum, flushes, and returns the destination.
    pub fn finish(mut self) -> io::Result<W> {
        self.put(&[RDB_OPCODE_EOF])?;
        self.flush_pending()?;
        let crc = self.crc;
        self.out.write_all(&crc.to_le_bytes())?;
        self.flushed += 8;
        self.out.flush()?;
        Ok(self.out)
    }

    /// The destination with everything written so far, without EOF (used
    /// for DUMP payloads).
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush_pending()?;
        Ok(self.out)
    }
}

/// Encodes `len` as `rdbSaveLen` does; returns the byte count.
fn encode_len(buf: &mut [u8; 9], len: u64) -> usize {
    if len < 1 << 6 {
        buf[0] = len as u8;
        1
    } else if len < 1 << 14 {
        buf[0] = ((len >> 8) as u8) | 0x40;
        buf[1] = len as u8;
        2
    } else if len <= u32::MAX as u64 {
        buf[0] = 0x80;
        buf[1..5].copy_from_slice(&(len as u32).to_be_bytes());
        5
    } else {
        buf[0] = 0x81;
        buf[1..9].copy_from_slice(&len.to_be_bytes());
        9
    }
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

/// One top-level item of an RDB file.
#[derive(Debug, Clone, PartialEq)]
pub enum RdbItem {
    /// An AUX field (redis-ver, ctime, repl-id, ...; old files also had
    /// `lua` scripts here).
    Aux(Vec<u8>, Vec<u8>),
    SelectDb(u64),
    ResizeDb {
        db_size: u64,
        expires_size: u64,
    },
    /// A function library's code.
    Function(Vec<u8>),
    /// Module auxiliary data, skipped; names the module.
    ModuleAux {
        module: String,
    },
    Key {
        key: Vec<u8>,
        /// Absolute expiry in Unix ms (EXPIRETIME seconds are converted).
        expire_ms: Option<i64>,
        idle: Option<u64>,
        freq: Option<u8>,
        value: RdbValue,
        rdb_type: RdbType,
        /// See [`RdbObject::list_nodes`].
        list_nodes: Vec<u32>,
    },
    /// End of file; the checksum, if present and non-zero, was verified.
    Eof,
}

/// Reader settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Verify the trailing CRC64 (`rdbchecksum` /
    /// `sanitize-dump-payload`-independent; Redis skips it when the
    /// stored checksum is 0).
    pub verify_checksum: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            verify_checksum: true,
        }
    }
}

/// Largest chunk read (and so allocated) at a time for a string whose length
/// came from the input.
const READ_CHUNK: usize = 64 * 1024;
/// Largest element-count pre-allocation trusted from the input.
const MAX_PREALLOC: usize = 1024;

/// Byte source that counts its position and keeps the running CRC.
///
/// It reads ahead into a buffer of its own: the parser asks for a byte or
/// a few at a time, and going to `inner` (a file, or the replica's socket
/// payload) for each of them was a fifth of a full load's time. The CRC
/// runs over whole consumed stretches of the buffer when it is refilled
/// (or when the checksum is wanted), where slicing-by-8 works at full
/// speed, instead of over each small read.
struct Source<R: Read> {
    inner: R,
    /// Read-ahead: `buf[at..end]` is read from `inner` but not consumed.
    buf: Box<[u8]>,
    at: usize,
    end: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// CRC of every consumed byte before `buf[crc_at]`.
    crc: u64,
    crc_at: usize,
}

impl<R: Read> Source<R> {
    fn new(inner: R, capacity: usize) -> Source<R> {
        Source {
            inner,
            buf: vec![0; capacity.max(1)].into_boxed_slice(),
            at: 0,
            end: 0,
            base: 0,
            crc: 0,
            crc_at: 0,
        }
    }

    /// Bytes consumed so far.
    #[inline]
    fn pos(&self) -> u64 {
        self.base + self.at as u64
    }

    /// The checksum of every byte consumed so far.
    fn crc(&mut self) -> u64 {
        self.crc = crc64::update(self.crc, &self.buf[self.crc_at..self.at]);
        self.crc_at = self.at;
        self.crc
    }

    /// Bytes read ahead that the parser has not consumed.
    fn unread(&self) -> usize {
        self.end - self.at
    }

    /// Replaces the (fully consumed) buffer with the next bytes of `inner`.
    #[cold]
    fn refill(&mut self) -> Result<(), RdbError> {
        debug_assert_eq!(self.at, self.end);
        self.crc();
        self.base += self.end as u64;
        (self.at, self.end, self.crc_at) = (0, 0, 0);
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(0) => return Err(RdbError::new(RdbErrorKind::Truncated, self.base)),
                Ok(n) => {
                    self.end = n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(RdbError::new(RdbErrorKind::Io(e), self.base)),
            }
        }
    }

    #[inline]
    fn fill(&mut self, out: &mut [u8]) -> Result<(), RdbError> {
        if out.len() <= self.unread() {
            out.copy_from_slice(&self.buf[self.at..self.at + out.len()]);
            self.at += out.len();
            return Ok(());
        }
        let mut done = 0;
        while done < out.len() {
            if self.at == self.end {
                self.refill()?;
            }
            let n = self.unread().min(out.len() - done);
            out[done..done + n].copy_from_slice(&self.buf[self.at..self.at + n]);
            self.at += n;
            done += n;
        }
        Ok(())
    }

    #[inline]
    fn u8(&mut self) -> Result<u8, RdbError> {
        if self.at == self.end {
            self.refill()?;
        }
        let b = self.buf[self.at];
        self.at += 1;
        Ok(b)
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], RdbError> {
        let mut b = [0u8; N];
        self.fill(&mut b)?;
        Ok(b)
    }

    /// Reads `n` bytes, growing the result only as data arrives, so a huge
    /// bogus length costs at most one chunk before the input runs out.
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, RdbError> {
        if n <= self.unread() as u64 {
            let v = self.buf[self.at..self.at + n as usize].to_vec();
            self.at += n as usize;
            return Ok(v);
        }
        let mut v = Vec::with_capacity(n.min(READ_CHUNK as u64) as usize);
        let mut left = n;
        while left > 0 {
            if self.at == self.end {
                self.refill()?;
            }
            let take = (self.unread() as u64).min(left) as usize;
            v.extend_from_slice(&self.buf[self.at..self.at + take]);
            self.at += take;
            left -= take as u64;
        }
        Ok(v)
    }
}

/// A length or a special string encoding, as `rdbLoadLenByRef` sees it.
enum Len {
    Plain(u64),
    Encoded(u8),
}

/// Streams items out of an RDB file.
///
/// `new` reads and checks the magic and version; then [`next_item`]
/// (or the `Iterator` impl) yields items until [`RdbItem::Eof`]. After Eof
/// or after an error it yields nothing more.
///
/// [`next_item`]: RdbReader::next_item
pub struct RdbReader<R: Read> {
    src: Source<R>,
    /// RDB version from the magic.
    version: u32,
    opts: ReaderOptions,
    /// Set after Eof or an error.
    done: bool,
}

impl<R: Read> RdbReader<R> {
    /// Reads the 9-byte header; fails on a bad magic or a version Redis
    /// 7.0 would not load.
    pub fn new(inner: R, opts: ReaderOptions) -> Result<RdbReader<R>, RdbError> {
        let mut src = Source::new(inner, READ_CHUNK);
        let magic: [u8; 9] = src.array()?;
        if &magic[..5] != b"REDIS" {
            return Err(RdbError::new(RdbErrorKind::BadMagic, 0));
        }
        // Redis uses atoi(): take the leading digits.
        let digits: Vec<u8> = magic[5..]
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .collect();
        let version: u32 = std::str::from_utf8(&digits)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if !(1..=RDB_VERSION as u32).contains(&version) {
            return Err(RdbError::new(RdbErrorKind::UnsupportedVersion(version), 5));
        }
        Ok(RdbReader {
            src,
            version,
            opts,
            done: false,
        })
    }

    /// The file's RDB version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> u64 {
        self.src.pos()
    }

    /// Bytes taken from the input but not consumed: after Eof, whatever
    /// followed the checksum and was read ahead with it.
    pub fn read_ahead(&self) -> usize {
        self.src.unread()
    }

    /// The next item, `Ok(None)` after Eof or an earlier error.
    pub fn next_item(&mut self) -> Result<Option<RdbItem>, RdbError> {
        self.next_item_hinting(&mut |_| {})
    }

    /// [`next_item`](Self::next_item), calling `key_read` with each key as
    /// soon as it is read, before its value is: a loader can start fetching
    /// the key's hash bucket while the value is decoded.
    pub fn next_item_hinting(
        &mut self,
        key_read: &mut dyn FnMut(&[u8]),
    ) -> Result<Option<RdbItem>, RdbError> {
        if self.done {
            return Ok(None);
        }
        let r = self.read_item(key_read);
        if !matches!(r, Ok(Some(ref i)) if *i != RdbItem::Eof) {
            self.done = true;
        }
        r
    }

    fn read_item(&mut self, key_read: &mut dyn FnMut(&[u8])) -> Result<Option<RdbItem>, RdbError> {
        let mut expire_ms = None;
        let mut idle = None;
        let mut freq = None;
        loop {
            let at = self.src.pos();
            let op = self.src.u8()?;
            match op {
                RDB_OPCODE_EXPIRETIME => {
                    let secs = i32::from_le_bytes(self.src.array()?);
                    expire_ms = Some(secs as i64 * 1000);
                }
                RDB_OPCODE_EXPIRETIME_MS => {
                    expire_ms = Some(i64::from_le_bytes(self.src.array()?));
                }
                RDB_OPCODE_IDLE => idle = Some(read_len(&mut self.src)?),
                RDB_OPCODE_FREQ => freq = Some(self.src.u8()?),
                RDB_OPCODE_SELECTDB => {
                    return Ok(Some(RdbItem::SelectDb(read_len(&mut self.src)?)))
                }
                RDB_OPCODE_RESIZEDB => {
                    let db_size = read_len(&mut self.src)?;
                    let expires_size = read_len(&mut self.src)?;
                    return Ok(Some(RdbItem::ResizeDb {
                        db_size,
                        expires_size,
                    }));
                }
                RDB_OPCODE_AUX => {
                    let k = read_string(&mut self.src)?;
                    let v = read_string(&mut self.src)?;
                    return Ok(Some(RdbItem::Aux(k, v)));
                }
                RDB_OPCODE_MODULE_AUX => {
                    let id = read_len(&mut self.src)?;
                    let module = module_name(id);
                    let when_op = read_len(&mut self.src)?;
                    if when_op != RDB_MODULE_OPCODE_UINT {
                        return Err(RdbError::corrupt(
                            format!("bad 'when' opcode in aux data of module '{}'", module),
                            at,
                        ));
                    }
                    let _when = read_len(&mut self.src)?;
                    skip_module_value(&mut self.src, &module)?;
                    return Ok(Some(RdbItem::ModuleAux { module }));
                }
                RDB_OPCODE_FUNCTION2 => {
                    return Ok(Some(RdbItem::Function(read_string(&mut self.src)?)))
                }
                RDB_OPCODE_FUNCTION_PRE_GA => {
                    return Err(RdbError::new(
                        RdbErrorKind::Unsupported(
                            "Pre-release function format not supported".into(),
                        ),
                        at,
                    ))
                }
                RDB_OPCODE_EOF => {
                    if self.version >= 5 {
                        let expected = self.src.crc();
                        let found = u64::from_le_bytes(self.src.array()?);
                        if self.opts.verify_checksum && found != 0 && found != expected {
                            return Err(RdbError::new(
                                RdbErrorKind::BadChecksum { expected, found },
                                at + 1,
                            ));
                        }
                    }
                    return Ok(Some(RdbItem::Eof));
                }
                t => {
                    let rdb_type = RdbType::from_u8(t)
                        .ok_or(RdbError::new(RdbErrorKind::UnknownType(t), at))?;
                    let key = read_string(&mut self.src)?;
                    key_read(&key);
                    let obj = read_object(&mut self.src, rdb_type, at)?;
                    return Ok(Some(RdbItem::Key {
                        key,
                        expire_ms,
                        idle,
                        freq,
                        value: obj.value,
                        rdb_type: obj.rdb_type,
                        list_nodes: obj.list_nodes,
                    }));
                }
            }
        }
    }
}

impl<R: Read> Iterator for RdbReader<R> {
    type Item = Result<RdbItem, RdbError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item().transpose()
    }
}

fn read_len_or_enc<R: Read>(src: &mut Source<R>) -> Result<Len, RdbError> {
    let at = src.pos();
    let b = src.u8()?;
    Ok(match b >> 6 {
        0 => Len::Plain((b & 0x3F) as u64),
        1 => Len::Plain((((b & 0x3F) as u64) << 8) | src.u8()? as u64),
        3 => Len::Encoded(b & 0x3F),
        _ => match b {
            0x80 => Len::Plain(u32::from_be_bytes(src.array()?) as u64),
            0x81 => Len::Plain(u64::from_be_bytes(src.array()?)),
            _ => {
                return Err(RdbError::corrupt(
                    format!("unknown length encoding 0x{:02x}", b),
                    at,
                ))
            }
        },
    })
}

fn read_len<R: Read>(src: &mut Source<R>) -> Result<u64, RdbError> {
    let at = src.pos();
    match read_len_or_enc(src)? {
        Len::Plain(n) => Ok(n),
        Len::Encoded(e) => Err(RdbError::corrupt(
            format!("encoded value 0x{:02x} where a length belongs", e),
            at,
        )),
    }
}

/// `rdbGenericLoadStringObject`.
fn read_string<R: Read>(src: &mut Source<R>) -> Result<Vec<u8>, RdbError> {
    let at = src.pos();
    match read_len_or_enc(src)? {
        Len::Plain(n) => src.bytes(n),
        Len::Encoded(0) => Ok((src.u8()? as i8).to_string().into_bytes()),
        Len::Encoded(1) => Ok(i16::from_le_bytes(src.array()?).to_string().into_bytes()),
        Len::Encoded(2) => Ok(i32::from_le_bytes(src.array()?).to_string().into_bytes()),
        Len::Encoded(3) => {
            let clen = read_len(src)?;
            let ulen = read_len(src)?;
            if clen == 0 || ulen > clen.saturating_mul(lzf::MAX_EXPANSION as u64) {
                return Err(RdbError::corrupt(
                    format!(
                        "Invalid LZF compressed string (lengths {} -> {})",
                        clen, ulen
                    ),
                    at,
                ));
            }
            let c = src.bytes(clen)?;
            lzf::decompress(&c, ulen as usize)
                .map_err(|e| RdbError::corrupt(format!("Invalid LZF compressed string: {}", e), at))
        }
        Len::Encoded(e) => Err(RdbError::corrupt(
            format!("unknown string encoding {}", e),
            at,
        )),
    }
}

/// `rdbLoadDoubleValue`: text doubles of RDB_TYPE_ZSET.
fn read_text_double<R: Read>(src: &mut Source<R>) -> Result<f64, RdbError> {
    let at = src.pos();
    match src.u8()? {
        253 => Ok(f64::NAN),
        254 => Ok(f64::INFINITY),
        255 => Ok(f64::NEG_INFINITY),
        n => {
            let b = src.bytes(n as u64)?;
            parse_f64(&b).ok_or_else(|| RdbError::corrupt("bad text double", at))
        }
    }
}

fn read_count<R: Read>(src: &mut Source<R>) -> Result<u64, RdbError> {
    read_len(src)
}

fn prealloc<T>(n: u64) -> Vec<T> {
    Vec::with_capacity((n as usize).min(MAX_PREALLOC))
}

/// Reads a value of type `t` (type byte already consumed); `at` is the
/// offset of the item, used in errors about the whole value.
fn read_object<R: Read>(src: &mut Source<R>, t: RdbType, at: u64) -> Result<RdbObject, RdbError> {
    let mut list_nodes = Vec::new();
    let value = match t {
        RdbType::String => RdbValue::String(read_string(src)?),
        RdbType::List => {
            let n = read_count(src)?;
            let mut v = prealloc(n);
            for _ in 0..n {
                v.push(read_string(src)?);
            }
            RdbValue::List(v)
        }
        RdbType::Set => {
            let n = read_count(src)?;
            let mut v = prealloc(n);
            for _ in 0..n {
                v.push(read_string(src)?);
            }
            check_unique(v.iter().map(|m| m.as_slice()), "set", at)?;
            RdbValue::Set(v)
        }
        RdbType::ZSet | RdbType::ZSet2 => {
            let n = read_count(src)?;
            let mut v = prealloc(n);
            for _ in 0..n {
                let m = read_string(src)?;
                let s = if t == RdbType::ZSet {
                    read_text_double(src)?
                } else {
                    f64::from_le_bytes(src.array()?)
                };
                if s.is_nan() {
                    return Err(RdbError::corrupt("Zset with NAN score detected", at));
                }
                v.push((m, s));
            }
            check_unique(v.iter().map(|(m, _)| m.as_slice()), "zset", at)?;
            RdbValue::ZSet(v)
        }
        RdbType::Hash => {
            let n = read_count(src)?;
            let mut v = prealloc(n);
            for _ in 0..n {
                let f = read_string(src)?;
                let val = read_string(src)?;
                v.push((f, val));
            }
            check_unique(v.iter().map(|(f, _)| f.as_slice()), "hash", at)?;
            RdbValue::Hash(v)
        }
        RdbType::HashZipmap => {
            let blob_at = src.pos();
            let blob = read_string(src)?;
            let pairs = ziplist::decode_zipmap(&blob).map_err(|e| RdbError::corrupt(e, blob_at))?;
            check_unique(pairs.iter().map(|(f, _)| *f), "hash", at)?;
            RdbValue::Hash(
                pairs
                    .into_iter()
                    .map(|(f, v)| (f.to_vec(), v.to_vec()))
                    .collect(),
            )
        }
        RdbType::ListZiplist => {
            let blob_at = src.pos();
            let blob = read_string(src)?;
            let els = ziplist::decode(&blob).map_err(|e| RdbError::corrupt(e, blob_at))?;
            RdbValue::List(els.into_iter().map(listpack::Entry::to_vec).collect())
        }
        RdbType::SetIntset => {
            let blob_at = src.pos();
            let blob = read_string(src)?;
            RdbValue::IntSet(intset::decode(&blob).map_err(|e| RdbError::corrupt(e, blob_at))?)
        }
        RdbType::ZSetZiplist | RdbType::ZSetListpack => {
            let blob_at = src.pos();
            let blob = read_string(src)?;
            let els = if t == RdbType::ZSetZiplist {
                ziplist::decode(&blob)
            } else {
                listpack::decode(&blob)
            }
            .map_err(|e| RdbError::corrupt(e, blob_at))?;
            RdbValue::ZSet(zset_pairs(&els).map_err(|e| RdbError::corrupt(e, blob_at))?)
        }
        RdbType::HashZiplist | RdbType::HashListpack => {
            let blob_at = src.pos();
            let blob = read_string(src)?;
            let els = if t == RdbType::HashZiplist {
                ziplist::decode(&blob)
            } else {
                listpack::decode(&blob)
            }
            .map_err(|e| RdbError::corrupt(e, blob_at))?;
            if !els.len().is_multiple_of(2) {
                return Err(RdbError::corrupt(
                    "hash blob with an odd number of elements",
                    blob_at,
                ));
            }
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = els
                .chunks_exact(2)
                .map(|p| (p[0].to_vec(), p[1].to_vec()))
                .collect();
            check_unique(pairs.iter().map(|(f, _)| f.as_slice()), "hash", at)?;
            RdbValue::Hash(pairs)
        }
        RdbType::ListQuicklist | RdbType::ListQuicklist2 => {
            let n = read_count(src)?;
            let mut v = Vec::new();
            for _ in 0..n {
                let container = if t == RdbType::ListQuicklist2 {
                    let c_at = src.pos();
                    let c = read_len(src)?;
                    if c != QUICKLIST_NODE_CONTAINER_PLAIN && c != QUICKLIST_NODE_CONTAINER_PACKED {
                        return Err(RdbError::corrupt(
                            format!("Quicklist integrity check failed: container {}", c),
                            c_at,
                        ));
                    }
                    c
                } else {
                    QUICKLIST_NODE_CONTAINER_PACKED
                };
                let blob_at = src.pos();
                let blob = read_string(src)?;
                if container == QUICKLIST_NODE_CONTAINER_PLAIN {
                    v.push(blob);
                    list_nodes.push(1);
                    continue;
                }
                let els = if t == RdbType::ListQuicklist {
                    ziplist::decode(&blob)
                } else {
                    listpack::decode(&blob)
                }
                .map_err(|e| RdbError::corrupt(e, blob_at))?;
                if els.is_empty() {
                    continue; // Redis drops empty nodes
                }
                list_nodes.push(els.len() as u32);
                v.extend(els.into_iter().map(listpack::Entry::to_vec));
            }
            RdbValue::List(v)
        }
        RdbType::Module => {
            return Err(RdbError::new(
                RdbErrorKind::Unsupported(
                    "RDB value of type MODULE (pre-release module format) is not supported".into(),
                ),
                at,
            ))
        }
        RdbType::Module2 => {
            let id = read_len(src)?;
            return Err(RdbError::new(
                RdbErrorKind::Unsupported(format!(
                    "RDB value of type MODULE_2 (module '{}') cannot be loaded: ferrodis has no modules",
                    module_name(id)
                )),
                at,
            ));
        }
        RdbType::StreamListpacks | RdbType::StreamListpacks2 => {
            RdbValue::Stream(Box::new(read_stream(src, t == RdbType::StreamListpacks2)?))
        }
    };
    Ok(RdbObject {
        value,
        rdb_type: t,
        list_nodes,
    })
}

/// A stream value (rdbLoadObject's stream branch, with its deep checks):
/// `v2` for RDB_TYPE_STREAM_LISTPACKS_2, which adds the first and largest
/// deleted IDs, entries added and each group's entries read.
fn read_stream<R: Read>(src: &mut Source<R>, v2: bool) -> Result<Stream, RdbError> {
    let mut st = Stream::new();
    let mut live = 0u64;
    let nodes = read_count(src)?;
    for _ in 0..nodes {
        let key_at = src.pos();
        let key = read_string(src)?;
        let master = StreamId::from_be_bytes(&key).ok_or_else(|| {
            RdbError::corrupt(
                "Stream node key entry is not the size of a stream ID",
                key_at,
            )
        })?;
        let lp_at = src.pos();
        let lp = read_string(src)?;
        live += stream::validate_node(master, &lp).map_err(|e| {
            RdbError::corrupt(
                format!("Stream listpack integrity check failed: {e}"),
                lp_at,
            )
        })?;
        if !st.insert_loaded_node(master, lp) {
            return Err(RdbError::corrupt(
                "Listpack re-added with existing key",
                key_at,
            ));
        }
    }
    let len_at = src.pos();
    let length = read_len(src)?;
    if length != live {
        return Err(RdbError::corrupt(
            format!("Stream length {length} inconsistent with its {live} entries"),
            len_at,
        ));
    }
    st.set_loaded_length(length);
    let read_id = |src: &mut Source<R>| -> Result<StreamId, RdbError> {
        Ok(StreamId::new(read_len(src)?, read_len(src)?))
    };
    st.last_id = read_id(src)?;
    if v2 {
        st.first_id = read_id(src)?;
        st.max_deleted_id = read_id(src)?;
        st.entries_added = read_len(src)?;
    } else {
        st.entries_added = length;
        st.first_id = st.edge_id(true).unwrap_or(StreamId::MIN);
    }
    let groups = read_count(src)?;
    for _ in 0..groups {
        let name_at = src.pos();
        let name = read_string(src)?;
        let last_id = read_id(src)?;
        let entries_read = if v2 {
            read_len(src)? as i64
        } else {
            st.read_counter_of(last_id)
                .unwrap_or(stream::ENTRIES_READ_UNKNOWN)
        };
        if st.groups.contains_key(&name) {
            return Err(RdbError::corrupt(
                format!(
                    "Duplicated consumer group name {}",
                    String::from_utf8_lossy(&name)
                ),
                name_at,
            ));
        }
        let mut g = ConsumerGroup::new(last_id, entries_read);
        let mut owners: BTreeMap<StreamId, Option<Vec<u8>>> = BTreeMap::new();
        let mut times: Vec<(StreamId, i64, u64)> = Vec::new();
        let pel = read_count(src)?;
        for _ in 0..pel {
            let id_at = src.pos();
            let id = StreamId::from_be_bytes(&src.array::<16>()?).unwrap_or_default();
            let time = i64::from_le_bytes(src.array()?);
            let count = read_len(src)?;
            if owners.insert(id, None).is_some() {
                return Err(RdbError::corrupt(
                    "Duplicated global PEL entry loading stream consumer group",
                    id_at,
                ));
            }
            times.push((id, time, count));
        }
        let consumers = read_count(src)?;
        for _ in 0..consumers {
            let cname_at = src.pos();
            let cname = read_string(src)?;
            let seen_time = i64::from_le_bytes(src.array()?);
            let mut consumer = Consumer {
                seen_time,
                pending: Default::default(),
            };
            let n = read_count(src)?;
            for _ in 0..n {
                let id_at = src.pos();
                let id = StreamId::from_be_bytes(&src.array::<16>()?).unwrap_or_default();
                match owners.get_mut(&id) {
                    None => {
                        return Err(RdbError::corrupt(
                            "Consumer entry not found in group global PEL",
                            id_at,
                        ))
                    }
                    Some(owner) if owner.is_some() || !consumer.pending.insert(id) => {
                        return Err(RdbError::corrupt(
                            "Duplicated consumer PEL entry  loading a stream consumer group",
                            id_at,
                        ))
                    }
                    Some(owner) => *owner = Some(cname.clone()),
                }
            }
            if g.consumers.insert(cname, consumer).is_some() {
                return Err(RdbError::corrupt(
                    "Duplicate stream consumer detected.",
                    cname_at,
                ));
            }
        }
        for (id, delivery_time, delivery_count) in times {
            let Some(Some(consumer)) = owners.remove(&id) else {
                return Err(RdbError::corrupt(
                    "Stream CG PEL entry without consumer",
                    name_at,
                ));
            };
            g.pending.insert(
                id,
                PendingEntry {
                    consumer,
                    delivery_time,
                    delivery_count,
                },
            );
        }
        st.groups.insert(name, g);
    }
    Ok(st)
}

/// Pairs member/score elements of a zset blob; scores must parse and not be NaN.
fn zset_pairs(els: &[listpack::Entry<'_>]) -> Result<Vec<(Vec<u8>, f64)>, String> {
    if !els.len().is_multiple_of(2) {
        return Err("zset blob with an odd number of elements".into());
    }
    let mut out = Vec::with_capacity(els.len() / 2);
    for p in els.chunks_exact(2) {
        let score = match p[1] {
            listpack::Entry::Int(v) => v as f64,
            listpack::Entry::Str(s) => parse_f64(s).ok_or("zset blob with a bad score")?,
        };
        if score.is_nan() {
            return Err("Zset with NAN score detected".into());
        }
        out.push((p[0].to_vec(), score));
    }
    check_unique(out.iter().map(|(m, _)| m.as_slice()), "zset", 0)
        .map_err(|_| "zset blob with duplicate members".to_string())?;
    Ok(out)
}

/// Refuses duplicate members/fields, as Redis does on load.
fn check_unique<'a>(
    items: impl Iterator<Item = &'a [u8]>,
    what: &str,
    at: u64,
) -> Result<(), RdbError> {
    let mut v: Vec<&[u8]> = items.collect();
    v.sort_unstable();
    if v.windows(2).any(|w| w[0] == w[1]) {
        return Err(RdbError::corrupt(
            format!("Duplicate {} members detected", what),
            at,
        ));
    }
    Ok(())
}

/// Skips a module value serialized with the module opcodes.
fn skip_module_value<R: Read>(src: &mut Source<R>, module: &str) -> Result<(), RdbError> {
    loop {
        let at = src.pos();
        match read_len(src)? {
            RDB_MODULE_OPCODE_EOF => return Ok(()),
            RDB_MODULE_OPCODE_SINT | RDB_MODULE_OPCODE_UINT => {
                read_len(src)?;
            }
            RDB_MODULE_OPCODE_STRING => {
                read_string(src)?;
            }
            RDB_MODULE_OPCODE_FLOAT => {
                src.array::<4>()?;
            }
            RDB_MODULE_OPCODE_DOUBLE => {
                src.array::<8>()?;
            }
            op => {
                return Err(RdbError::corrupt(
                    format!("unknown opcode {} in aux data of module '{}'", op, module),
                    at,
                ))
            }
        }
    }
}

/// The 9-character module type name packed in a module id
/// (`moduleTypeNameByID`); the low 10 bits are the encoding version.
fn module_name(id: u64) -> String {
    const CSET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut name = [0u8; 9];
    let mut id = id >> 10;
    for j in (0..9).rev() {
        name[j] = CSET[(id & 63) as usize];
        id >>= 6;
    }
    String::from_utf8_lossy(&name).into_owned()
}

// ---------------------------------------------------------------------------
// DUMP / RESTORE payloads
// ---------------------------------------------------------------------------

/// Serializes a value as DUMP does (`createDumpPayload`): type byte, value,
/// RDB version as u16 LE, CRC64 of all of that as u64 LE. `compression`
/// follows the server's `rdbcompression`.
pub fn dump_payload(value: &ValueRef, compression: bool) -> Vec<u8> {
    let mut w = RdbWriter::new(
        Vec::new(),
        WriterOptions {
            compression,
            checksum: false,
        },
    );
    // Writing into a Vec cannot fail.
    let _ = w.write_value(value);
    let mut buf = w.into_inner().unwrap_or_default();
    buf.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(&buf);
    buf.extend_from_slice(&crc.to_le_bytes());
    buf
}

/// Checks the footer of a RESTORE payload (`verifyDumpPayload`): at least
/// 10 bytes, version ≤ 10, CRC64 matching. The server answers any failure
/// with "ERR DUMP payload version or checksum are wrong".
pub fn verify_dump_payload(p: &[u8]) -> Result<(), RdbError> {
    if p.len() < 10 {
        return Err(RdbError::new(RdbErrorKind::Truncated, p.len() as u64));
    }
    let footer = &p[p.len() - 10..];
    let ver = u16::from_le_bytes([footer[0], footer[1]]);
    if ver > RDB_VERSION {
        return Err(RdbError::new(
            RdbErrorKind::UnsupportedVersion(ver as u32),
            (p.len() - 10) as u64,
        ));
    }
    let expected = crc64::crc64(&p[..p.len() - 8]);
    let found = u64::from_le_bytes(footer[2..10].try_into().unwrap_or([0; 8]));
    if expected != found {
        return Err(RdbError::new(
            RdbErrorKind::BadChecksum { expected, found },
            (p.len() - 8) as u64,
        ));
    }
    Ok(())
}

/// Verifies and decodes a RESTORE payload. Like Redis, bytes after the
/// value and before the footer are ignored.
pub fn parse_dump_payload_object(p: &[u8]) -> Result<RdbObject, RdbError> {
    verify_dump_payload(p)?;
    let body = &p[..p.len() - 10];
    let mut src = Source::new(body, body.len().min(READ_CHUNK));
    let t = src.u8()?;
    let rdb_type = RdbType::from_u8(t).ok_or(RdbError::new(RdbErrorKind::UnknownType(t), 0))?;
    read_object(&mut src, rdb_type, 0)
}

/// [`parse_dump_payload_object`] returning just the value.
pub fn parse_dump_payload(p: &[u8]) -> Result<RdbValue, RdbError> {
    parse_dump_payload_object(p).map(|o| o.value)
}

#[cfg(test)]
mod tests;
