//! The stream value type, laid out as Redis 7.0 keeps it (`t_stream.c`),
//! so that RDB files, DUMP payloads and MEMORY figures carry the same
//! bytes.
//!
//! A stream is an append-only log of entries, each a unique, growing ID
//! (`<ms>-<seq>`) and field/value pairs, plus the consumer groups that read
//! it. The entries live in nodes: listpacks keyed by their master ID (the
//! ID of the node's first entry; Redis keys a radix tree with it, in big
//! endian, which sorts the same as [`StreamId`]'s order).
//!
//! ```text
//! node = master entry, then entries
//!   master entry: count deleted num-fields field_1 .. field_N 0
//!   entry:        flags ms-diff seq-diff num-fields field value .. lp-count
//!   SAMEFIELDS:   flags ms-diff seq-diff value_1 .. value_N lp-count
//! ```
//!
//! `count` and `deleted` are the node's live and tombstoned entries; an
//! entry's ID is stored as its difference from the master ID; an entry
//! whose fields are exactly the master entry's sets `SAMEFIELDS` and stores
//! values only; `lp-count` (the entry's other elements, counted) lets
//! Redis walk a node backwards. XDEL and trimming mark entries `DELETED` in
//! place; a node goes when its last live entry does. A new node starts
//! when the last one reaches `stream-node-max-bytes` (counting the new
//! entry's raw field and value bytes) or `stream-node-max-entries`
//! (tombstones included).
//!
//! Pure data: no replies, no I/O. `cmd::stream` parses and replies;
//! `persist` writes and reads the nodes verbatim.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::persist::listpack::{self, Builder, Elements, Entry};

/// An entry flag: the entry was deleted (a tombstone readers skip).
pub const FLAG_DELETED: i64 = 1;
/// An entry flag: the entry has the master entry's fields (values only).
pub const FLAG_SAMEFIELDS: i64 = 2;
/// Largest node whatever `stream-node-max-bytes` says, and the most field
/// and value bytes one entry may have (Redis's STREAM_LISTPACK_MAX_SIZE).
pub const NODE_MAX_SIZE: usize = 1 << 30;
/// A consumer group's `entries_read` when unknown (SCG_INVALID_ENTRIES_READ).
pub const ENTRIES_READ_UNKNOWN: i64 = -1;

/// A stream entry ID. Ordered as Redis compares them: milliseconds, then
/// sequence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The ID stored in a node as differences `ms` and `seq` from this
    /// master ID (both wrap, as Redis's unsigned arithmetic does).
    pub fn plus_delta(self, ms: i64, seq: i64) -> StreamId {
        StreamId::new(
            self.ms.wrapping_add(ms as u64),
            self.seq.wrapping_add(seq as u64),
        )
    }

    /// The smallest ID above this one (`streamIncrID`); None for the last.
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The largest ID below this one (`streamDecrID`); None for 0-0.
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    /// The 128-bit big-endian form (radix tree keys, RDB PEL entries).
    pub fn to_be_bytes(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.ms.to_be_bytes());
        b[8..].copy_from_slice(&self.seq.to_be_bytes());
        b
    }

    /// Reads [`StreamId::to_be_bytes`]; None unless `b` is 16 bytes.
    pub fn from_be_bytes(b: &[u8]) -> Option<StreamId> {
        let b: &[u8; 16] = b.try_into().ok()?;
        let (ms, seq) = b.split_at(8);
        Some(StreamId::new(
            u64::from_be_bytes(ms.try_into().ok()?),
            u64::from_be_bytes(seq.try_into().ok()?),
        ))
    }

    /// Appends `<ms>-<seq>`.
    pub fn write(self, out: &mut Vec<u8>) {
        crate::util::write_u64(out, self.ms);
        out.push(b'-');
        crate::util::write_u64(out, self.seq);
    }

    pub fn to_vec(self) -> Vec<u8> {
        let mut v = Vec::with_capacity(24);
        self.write(&mut v);
        v
    }
}

/// A message delivered to a consumer of a group and not acknowledged yet
/// (Redis's streamNACK).
#[derive(Clone, Debug, PartialEq)]
pub struct PendingEntry {
    /// The consumer it was last delivered to.
    pub consumer: Vec<u8>,
    /// When it was last delivered (unix ms).
    pub delivery_time: i64,
    pub delivery_count: u64,
}

/// A consumer of a group.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Consumer {
    /// When it last read or claimed (unix ms).
    pub seen_time: i64,
    /// The IDs pending for it (each also in the group's `pending`).
    pub pending: BTreeSet<StreamId>,
}

/// A consumer group (Redis's streamCG).
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerGroup {
    /// The last ID delivered to the group.
    pub last_id: StreamId,
    /// Entries the group has read ([`ENTRIES_READ_UNKNOWN`] when unknown):
    /// with the stream's `entries_added`, its lag.
    pub entries_read: i64,
    /// Every message delivered and not acknowledged, by ID.
    pub pending: BTreeMap<StreamId, PendingEntry>,
    /// Consumers by name (name order, as Redis's radix tree).
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl ConsumerGroup {
    pub fn new(last_id: StreamId, entries_read: i64) -> ConsumerGroup {
        ConsumerGroup {
            last_id,
            entries_read,
            pending: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// Adds consumer `name` seen at `now_ms`; false if it exists.
    pub fn create_consumer(&mut self, name: &[u8], now_ms: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(
            name.to_vec(),
            Consumer {
                seen_time: now_ms,
                pending: BTreeSet::new(),
            },
        );
        true
    }

    /// Removes consumer `name` and its pending entries (which nobody owns
    /// then: they leave the group's list too). Returns how many it had.
    pub fn delete_consumer(&mut self, name: &[u8]) -> u64 {
        let Some(c) = self.consumers.remove(name) else {
            return 0;
        };
        for id in &c.pending {
            self.pending.remove(id);
        }
        c.pending.len() as u64
    }

    /// Acknowledges `id`: false when it was not pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        let Some(p) = self.pending.remove(&id) else {
            return false;
        };
        if let Some(c) = self.consumers.get_mut(&p.consumer) {
            c.pending.remove(&id);
        }
        true
    }

    /// Makes `id` pending for `consumer` (which must exist), taking it
    /// from whoever had it; `delivery` is (time, count) to set.
    pub fn assign(
        &mut self,
        id: StreamId,
        consumer: &[u8],
        delivery_time: i64,
        delivery_count: u64,
    ) {
        if let Some(old) = self.pending.get(&id) {
            if old.consumer != consumer {
                let old = old.consumer.clone();
                if let Some(c) = self.consumers.get_mut(&old) {
                    c.pending.remove(&id);
                }
            }
        }
        self.pending.insert(
            id,
            PendingEntry {
                consumer: consumer.to_vec(),
                delivery_time,
                delivery_count,
            },
        );
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pending.insert(id);
        }
    }
}

/// A stream.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Stream {
    /// Nodes in master ID order, each a listpack (layout in the module
    /// header). A deque, not a tree: entries are added at the back and
    /// trimmed from the front, lookups are binary searches, and a stream
    /// of one node costs one slot instead of a tree leaf.
    nodes: VecDeque<(StreamId, Vec<u8>)>,
    /// Live entries.
    length: u64,
    /// The ID of the last entry ever added (0-0 for a new stream): new IDs
    /// must be above it, even after that entry was deleted.
    pub last_id: StreamId,
    /// The first live entry's ID (0-0 when empty).
    pub first_id: StreamId,
    /// The largest ID ever deleted by XDEL.
    pub max_deleted_id: StreamId,
    /// Entries ever added (XADD count, or XSETID ENTRIESADDED).
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: BTreeMap<Vec<u8>, ConsumerGroup>,
}

/// Why [`Stream::append`] refused an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendError {
    /// The ID is not above the last one: EDOM.
    IdTooSmall,
    /// The fields and values are too large for a node (ERANGE), or `<ms>-*`
    /// found no sequence left at `<ms>`.
    TooLarge,
}

/// How XADD/XTRIM trim (Redis's streamAddTrimArgs, parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trim {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Drop entries below this ID.
    MinId(StreamId),
}

/// Where the ID of a node's entry is read from: the element's integer,
/// read as Redis's lpGetInteger does (strings holding integers count).
fn int_of(e: &Entry<'_>) -> i64 {
    match e {
        Entry::Int(v) => *v,
        Entry::Str(s) => crate::util::parse_i64(s).unwrap_or(0),
    }
}

/// An entry's elements, `lp-count` itself excluded (Redis's lp-count).
fn entry_lp_count(numfields: usize, samefields: bool) -> i64 {
    let n = numfields as i64;
    if samefields {
        n + 3
    } else {
        2 * n + 4
    }
}

/// One entry found by walking a node.
#[derive(Debug, Clone, Copy)]
struct NodeEntry {
    id: StreamId,
    flags: i64,
    /// Index (into the node's elements) of the `flags` element.
    flags_at: usize,
}

/// A node's elements with their offsets, and its entries: what XDEL and
/// trimming, which edit the node, need (reads walk it lazily instead).
struct NodeView<'a> {
    elems: Vec<(usize, Entry<'a>)>,
    entries: Vec<NodeEntry>,
}

impl<'a> NodeView<'a> {
    /// Walks node `lp` whose master ID is `master`. A node that does not
    /// follow the layout (only possible from a file that slipped past the
    /// loader's checks) yields the entries before the damage.
    fn new(master: StreamId, lp: &'a [u8]) -> NodeView<'a> {
        let mut it = Elements::new(lp);
        let mut elems = Vec::new();
        loop {
            let pos = it.pos();
            match it.next() {
                Some(e) => elems.push((pos, e)),
                None => break,
            }
        }
        let int = |i: usize| elems.get(i).map(|(_, e)| int_of(e));
        let master_fields = int(2).unwrap_or(0).max(0) as usize;
        let mut entries = Vec::new();
        let mut i = 3 + master_fields + 1;
        while i < elems.len() {
            let (Some(flags), Some(ms), Some(seq)) = (int(i), int(i + 1), int(i + 2)) else {
                break;
            };
            let same = flags & FLAG_SAMEFIELDS != 0;
            let (first, numfields) = if same {
                (i + 3, master_fields)
            } else {
                match int(i + 3) {
                    Some(n) if n >= 0 => (i + 4, n as usize),
                    _ => break,
                }
            };
            let values = if same { numfields } else { 2 * numfields };
            let next = first + values + 1;
            if next > elems.len() {
                break;
            }
            entries.push(NodeEntry {
                id: master.plus_delta(ms, seq),
                flags,
                flags_at: i,
            });
            i = next;
        }
        NodeView { elems, entries }
    }

    fn live_count(&self) -> i64 {
        self.elems.first().map_or(0, |(_, e)| int_of(e))
    }
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Live entries (XLEN).
    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Nodes (XINFO's radix-tree-keys; a node per key here).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The nodes, by master ID, as listpacks (RDB, DUMP, MEMORY).
    pub fn nodes(&self) -> impl Iterator<Item = (StreamId, &[u8])> + '_ {
        self.nodes.iter().map(|(id, lp)| (*id, lp.as_slice()))
    }

    /// Adds a node read from a file (the loader has checked its layout);
    /// false when a node with that master ID is already there.
    pub fn insert_loaded_node(&mut self, master: StreamId, lp: Vec<u8>) -> bool {
        let at = self.nodes.partition_point(|(m, _)| *m < master);
        if self.nodes.get(at).is_some_and(|(m, _)| *m == master) {
            return false;
        }
        self.nodes.insert(at, (master, lp));
        true
    }

    /// Index of the node that would hold `id`: the last one whose master
    /// ID is not above it.
    fn node_for(&self, id: StreamId) -> Option<usize> {
        self.nodes.partition_point(|(m, _)| *m <= id).checked_sub(1)
    }

    /// Sets the live-entry count read from a file.
    pub fn set_loaded_length(&mut self, length: u64) {
        self.length = length;
    }

    /// Live entries counted node by node (the loader's consistency check).
    pub fn count_live(&self) -> u64 {
        self.nodes
            .iter()
            .map(|(m, lp)| NodeView::new(*m, lp).live_count().max(0) as u64)
            .sum()
    }

    /// The ID a new entry gets (streamAppendItem's first half): `given`
    /// is the ID asked for, with `seq_given` false for `<ms>-*`; None asks
    /// for an automatic ID at `now_ms`.
    pub fn next_id(
        &self,
        given: Option<StreamId>,
        seq_given: bool,
        now_ms: u64,
    ) -> Result<StreamId, AppendError> {
        let id = match given {
            Some(id) if seq_given => id,
            Some(id) if id.ms == self.last_id.ms => {
                if self.last_id.seq == u64::MAX {
                    // Redis 7.0 fails here without setting errno, so XADD
                    // answers with its other message.
                    return Err(AppendError::TooLarge);
                }
                StreamId::new(id.ms, self.last_id.seq + 1)
            }
            Some(id) => id,
            None if now_ms > self.last_id.ms => StreamId::new(now_ms, 0),
            // Redis increments the sequence without checking: at the very
            // last ID it wraps to 0, which the test below refuses.
            None => StreamId::new(self.last_id.ms, self.last_id.seq.wrapping_add(1)),
        };
        if id <= self.last_id {
            return Err(AppendError::IdTooSmall);
        }
        Ok(id)
    }

    /// Appends an entry with ID `id` (from [`Stream::next_id`]) and the
    /// pairs `fv` (field, value, field, value, ...), as streamAppendItem.
    pub fn append(
        &mut self,
        id: StreamId,
        fv: &[&[u8]],
        node_max_bytes: usize,
        node_max_entries: i64,
    ) -> Result<(), AppendError> {
        if id <= self.last_id {
            return Err(AppendError::IdTooSmall);
        }
        let total: usize = fv.iter().map(|x| x.len()).sum();
        if total > NODE_MAX_SIZE {
            return Err(AppendError::TooLarge);
        }
        let numfields = fv.len() / 2;
        let max_bytes = match node_max_bytes {
            0 => NODE_MAX_SIZE,
            n => n.min(NODE_MAX_SIZE),
        };
        let mut tail = self.nodes.back_mut();
        let room = tail.as_ref().is_some_and(|(_, lp)| {
            if lp.len() + total >= max_bytes {
                return false;
            }
            if node_max_entries > 0 {
                let mut it = Elements::new(lp);
                let live = it.next().map_or(0, |e| int_of(&e));
                let dead = it.next().map_or(0, |e| int_of(&e));
                return live + dead < node_max_entries;
            }
            true
        });
        match tail.as_mut() {
            Some((master, slot)) if room => {
                let master = *master;
                let mut lp = std::mem::take(slot);
                let (live, same) = {
                    let mut it = Elements::new(&lp);
                    let live = it.next().map_or(0, |e| int_of(&e));
                    it.next();
                    let nmf = it.next().map_or(0, |e| int_of(&e));
                    let same = nmf == numfields as i64
                        && (0..numfields).all(|k| match it.next() {
                            Some(Entry::Str(s)) => s == fv[2 * k],
                            Some(Entry::Int(v)) => {
                                let mut tmp = Vec::with_capacity(20);
                                crate::util::write_i64(&mut tmp, v);
                                tmp == fv[2 * k]
                            }
                            None => false,
                        });
                    (live, same)
                };
                let count_at = Elements::new(&lp).pos();
                listpack::replace_int(&mut lp, count_at, live + 1);
                let mut b = Builder::resume(lp);
                push_entry(&mut b, id, master, fv, same);
                *slot = b.finish();
            }
            _ => {
                // The tail node is full for good: give back the room its
                // appends grew into. A copy, not shrink_to_fit: the
                // allocator shrinks a block in place (keeping its size
                // class) when the new size is at least half the old.
                if let Some((_, full)) = tail.as_mut() {
                    if full.capacity() > full.len() {
                        *full = full.as_slice().to_vec();
                    }
                }
                let mut b = Builder::new();
                b.push_int(1);
                b.push_int(0);
                b.push_int(numfields as i64);
                for k in 0..numfields {
                    b.push(fv[2 * k]);
                }
                b.push_int(0);
                push_entry(&mut b, id, id, fv, true);
                if self.nodes.capacity() == 0 {
                    // Most streams are small: one slot, not a default four.
                    self.nodes.reserve_exact(1);
                }
                self.nodes.push_back((id, b.finish()));
            }
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(())
    }

    /// Walks live entries with IDs in `start..=end`, ascending (or
    /// descending with `rev`), calling `f` with each ID and its pairs
    /// until it returns false.
    pub fn scan(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
        mut f: impl FnMut(StreamId, &[(Entry<'_>, Entry<'_>)]) -> bool,
    ) {
        if start > end {
            return;
        }
        // The node holding `start` (or `end` backwards) is the last one
        // whose master ID is not above it.
        let nodes: Box<dyn Iterator<Item = &(StreamId, Vec<u8>)>> = if rev {
            match self.node_for(end) {
                Some(last) => Box::new(self.nodes.range(..=last).rev()),
                None => return,
            }
        } else {
            let first = self.node_for(start).unwrap_or(0);
            Box::new(self.nodes.range(first..))
        };
        // A node is decoded only as far as the walk goes: a short range
        // need not decode a whole node, in either direction.
        let mut pairs = Vec::new();
        for (master, lp) in nodes {
            let go_on = if rev {
                scan_backward(*master, lp, start, end, &mut pairs, &mut f)
            } else {
                scan_forward(*master, lp, start, end, &mut pairs, &mut f)
            };
            if !go_on {
                return;
            }
        }
    }

    /// Whether a live entry `id` is in the stream (streamEntryExists).
    pub fn contains(&self, id: StreamId) -> bool {
        let mut found = false;
        self.scan(id, id, false, |_, _| {
            found = true;
            false
        });
        found
    }

    /// The group's `entries_read` after it delivers `id`, which is above
    /// its last ID (streamReplyWithRange's counter update).
    pub fn entries_read_after(&self, entries_read: i64, id: StreamId) -> i64 {
        if entries_read != ENTRIES_READ_UNKNOWN && !self.has_tombstones_from(id) {
            entries_read + 1
        } else if self.entries_added > 0 {
            self.read_counter_of(id).unwrap_or(ENTRIES_READ_UNKNOWN)
        } else {
            entries_read
        }
    }

    /// The first (or last) live entry's ID (streamGetEdgeID); None when
    /// the stream is empty.
    pub fn edge_id(&self, first: bool) -> Option<StreamId> {
        let mut found = None;
        self.scan(StreamId::MIN, StreamId::MAX, !first, |id, _| {
            found = Some(id);
            false
        });
        found
    }

    /// Deletes the live entry `id` (streamDeleteItem): marks it deleted,
    /// or drops its node when it was the node's last live entry. Returns
    /// whether it was there. The caller updates `first_id` and
    /// `max_deleted_id` as XDEL does.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some(at) = self.node_for(id) else {
            return false;
        };
        let (master, lp) = &mut self.nodes[at];
        let master = *master;
        let (flags_pos, flags, live) = {
            let view = NodeView::new(master, lp);
            let Some(e) = view
                .entries
                .iter()
                .find(|e| e.id == id && e.flags & FLAG_DELETED == 0)
            else {
                return false;
            };
            (view.elems[e.flags_at].0, e.flags, view.live_count())
        };
        if live <= 1 {
            self.nodes.remove(at);
        } else {
            listpack::replace_int(lp, flags_pos, flags | FLAG_DELETED);
            adjust_counts(lp, -1);
        }
        self.length -= 1;
        true
    }

    /// Trims as XADD/XTRIM do (streamTrim): whole nodes from the front,
    /// then, unless `approx`, entries inside the next node. `limit` (0 for
    /// none) caps the entries removed, counted in whole nodes. Returns the
    /// entries removed and keeps `first_id` right.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted = 0u64;
        while let Some((master, lp)) = self.nodes.front() {
            if let Trim::MaxLen(max) = how {
                if self.length <= max {
                    break;
                }
            }
            let view = NodeView::new(*master, lp);
            let entries = view.live_count().max(0) as u64;
            if limit > 0 && deleted + entries > limit {
                break;
            }
            let remove_node = match how {
                Trim::MaxLen(max) => self.length - entries >= max,
                // The node's last entry, tombstone or not.
                Trim::MinId(min) => view.entries.last().is_none_or(|e| e.id < min),
            };
            if remove_node {
                self.nodes.pop_front();
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            // Mark entries deleted from the front of this node, then stop:
            // the node still has live entries to keep.
            let mut marks = Vec::new();
            let mut length = self.length;
            for e in &view.entries {
                let stop = match how {
                    Trim::MaxLen(max) => length <= max,
                    Trim::MinId(min) => e.id >= min,
                };
                if stop {
                    break;
                }
                if e.flags & FLAG_DELETED == 0 {
                    marks.push((view.elems[e.flags_at].0, e.flags | FLAG_DELETED));
                    length -= 1;
                }
            }
            drop(view);
            let Some((_, lp)) = self.nodes.front_mut() else {
                break;
            };
            // Back to front, so earlier offsets stay valid while later
            // elements move.
            for &(pos, flags) in marks.iter().rev() {
                listpack::replace_int(lp, pos, flags);
            }
            adjust_counts(lp, -(marks.len() as i64));
            deleted += marks.len() as u64;
            self.length = length;
            break;
        }
        if self.nodes.capacity() > 4 * self.nodes.len().max(1) {
            self.nodes.shrink_to_fit();
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.first_id = self.edge_id(true).unwrap_or(StreamId::MIN);
        }
        deleted
    }

    /// Nodes of the radix tree Redis would hold the node keys in (XINFO's
    /// radix-tree-nodes): a compressed trie over the 16-byte keys, where
    /// every run of bytes without a branch is one node, every branch one
    /// node, and every key ends in an empty node.
    pub fn radix_tree_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self.nodes.iter().map(|(id, _)| id.to_be_bytes()).collect();
        if keys.is_empty() {
            return 1;
        }
        trie_nodes(&keys, 0)
    }

    /// A consumer group's lag (streamReplyWithCGLag): entries added to the
    /// stream that a group at `last_id`, having read `entries_read`, has
    /// not read, when that can be known.
    pub fn group_lag(&self, last_id: StreamId, entries_read: i64) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if entries_read != ENTRIES_READ_UNKNOWN && !self.has_tombstones_from(last_id) {
            return Some(self.entries_added as i64 - entries_read);
        }
        let read = self.read_counter_of(last_id)?;
        Some(self.entries_added as i64 - read)
    }

    /// Whether XDEL may have left a gap at or after `from`
    /// (streamRangeHasTombstones with no end).
    fn has_tombstones_from(&self, from: StreamId) -> bool {
        if self.is_empty()
            || self.max_deleted_id == StreamId::MIN
            || self.first_id > self.max_deleted_id
        {
            return false;
        }
        from <= self.max_deleted_id
    }

    /// How many entries were added up to `id`, when that can be known
    /// (streamEstimateDistanceFromFirstEverEntry).
    pub fn read_counter_of(&self, id: StreamId) -> Option<i64> {
        use std::cmp::Ordering;
        let added = self.entries_added as i64;
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.is_empty() && id <= self.last_id {
            return Some(added);
        }
        match id.cmp(&self.last_id) {
            Ordering::Equal => return Some(added),
            Ordering::Greater => return None,
            Ordering::Less => {}
        }
        if self.max_deleted_id == StreamId::MIN || self.max_deleted_id < self.first_id {
            match id.cmp(&self.first_id) {
                Ordering::Less => return Some(added - self.length as i64),
                Ordering::Equal => return Some(added - self.length as i64 + 1),
                Ordering::Greater => {}
            }
        }
        None
    }

    /// Approximate bytes held (MEMORY USAGE): the header, the nodes with
    /// their tree slots, and the groups' pending entries and consumers.
    pub fn mem_usage(&self) -> usize {
        const SLOT: usize = std::mem::size_of::<(StreamId, Vec<u8>)>();
        let nodes: usize = self
            .nodes
            .iter()
            .map(|(_, lp)| lp.capacity())
            .sum::<usize>()
            + self.nodes.capacity() * SLOT;
        let groups: usize = self
            .groups
            .iter()
            .map(|(name, g)| {
                name.len()
                    + std::mem::size_of::<ConsumerGroup>()
                    + g.pending
                        .values()
                        .map(|p| p.consumer.len() + 64)
                        .sum::<usize>()
                    + g.consumers
                        .iter()
                        .map(|(n, c)| n.len() + 48 + c.pending.len() * 24)
                        .sum::<usize>()
            })
            .sum();
        std::mem::size_of::<Stream>() + nodes + groups
    }
}

/// Nodes of the compressed trie over `keys` (sorted, distinct) below byte
/// `depth`; see [`Stream::radix_tree_nodes`].
fn trie_nodes(keys: &[[u8; 16]], depth: usize) -> usize {
    if depth == 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    // Sorted keys share a prefix exactly when the first and last do.
    let common = (depth..16).take_while(|&i| first[i] == last[i]).count();
    if common > 0 {
        return 1 + trie_nodes(keys, depth + common);
    }
    let mut n = 1;
    let mut rest = keys;
    while let Some(k) = rest.first() {
        let split = rest.partition_point(|x| x[depth] == k[depth]);
        n += trie_nodes(&rest[..split], depth + 1);
        rest = &rest[split..];
    }
    n
}

/// The master entry's fields, read from the front of node `lp`; `it` is
/// left at the terminating 0. None for a node without a master entry.
fn master_fields<'a>(it: &mut Elements<'a>) -> Option<Vec<Entry<'a>>> {
    let (Some(_), Some(_), Some(nmf)) = (it.next(), it.next(), it.next()) else {
        return None;
    };
    Some(it.by_ref().take(int_of(&nmf).max(0) as usize).collect())
}

/// Reads an entry's flags and ID (from `master`'s deltas) at `it`.
fn entry_head(it: &mut Elements<'_>, master: StreamId) -> Option<(i64, StreamId)> {
    let mut int = || it.next().map(|e| int_of(&e));
    let (flags, ms, seq) = (int()?, int()?, int()?);
    Some((flags, master.plus_delta(ms, seq)))
}

/// Reads the field/value pairs of an entry with `flags` into `pairs`
/// (fields from `master` for SAMEFIELDS); `it` is left at its lp-count.
fn entry_pairs<'a>(
    it: &mut Elements<'a>,
    flags: i64,
    master: &[Entry<'a>],
    pairs: &mut Vec<(Entry<'a>, Entry<'a>)>,
) -> Option<()> {
    let same = flags & FLAG_SAMEFIELDS != 0;
    let n = if same {
        master.len()
    } else {
        usize::try_from(int_of(&it.next()?)).ok()?
    };
    pairs.clear();
    for k in 0..n {
        let field = match master.get(k) {
            Some(f) if same => *f,
            _ => it.next()?,
        };
        pairs.push((field, it.next()?));
    }
    Some(())
}

/// Walks node `lp` (master ID `master`) front to back, calling `f` for its
/// live entries in `start..=end`; false once `f` asked to stop or an entry
/// passed `end`. Decodes elements one by one as it goes.
fn scan_forward<'a>(
    master: StreamId,
    lp: &'a [u8],
    start: StreamId,
    end: StreamId,
    pairs: &mut Vec<(Entry<'a>, Entry<'a>)>,
    f: &mut impl FnMut(StreamId, &[(Entry<'_>, Entry<'_>)]) -> bool,
) -> bool {
    let mut it = Elements::new(lp);
    let Some(fields) = master_fields(&mut it) else {
        return true;
    };
    it.next(); // the master entry's terminating 0
    while let Some((flags, id)) = entry_head(&mut it, master) {
        if id > end {
            return false;
        }
        if entry_pairs(&mut it, flags, &fields, pairs).is_none() {
            return true;
        }
        it.next(); // lp-count
        if id >= start && flags & FLAG_DELETED == 0 && !f(id, pairs) {
            return false;
        }
    }
    true
}

/// Walks node `lp` back to front as Redis does (each entry's lp-count
/// leads from its end to its flags), calling `f` for live entries in
/// `start..=end`; false once `f` asked to stop or an entry fell below
/// `start`. Only the entries visited are decoded.
fn scan_backward<'a>(
    master: StreamId,
    lp: &'a [u8],
    start: StreamId,
    end: StreamId,
    pairs: &mut Vec<(Entry<'a>, Entry<'a>)>,
    f: &mut impl FnMut(StreamId, &[(Entry<'_>, Entry<'_>)]) -> bool,
) -> bool {
    let Some(fields) = master_fields(&mut Elements::new(lp)) else {
        return true;
    };
    let mut pos = lp.len().saturating_sub(1);
    // Each step: the entry's lp-count, then back that many elements to
    // its flags; the master entry's count is the terminating 0.
    while let Some((count, count_at)) = listpack::element_before(lp, pos) {
        let count = int_of(&count);
        if count <= 0 {
            return true;
        }
        let mut flags_at = count_at;
        for _ in 0..count {
            match listpack::element_before(lp, flags_at) {
                Some((_, at)) => flags_at = at,
                None => return true,
            }
        }
        pos = flags_at;
        let mut it = Elements::new(lp);
        it.seek(flags_at);
        let Some((flags, id)) = entry_head(&mut it, master) else {
            return true;
        };
        if id < start {
            return false;
        }
        if id > end || flags & FLAG_DELETED != 0 {
            continue;
        }
        if entry_pairs(&mut it, flags, &fields, pairs).is_none() {
            return true;
        }
        if !f(id, pairs) {
            return false;
        }
    }
    true
}

/// Appends one entry to node builder `b` (master ID `master`).
fn push_entry(b: &mut Builder, id: StreamId, master: StreamId, fv: &[&[u8]], same: bool) {
    let numfields = fv.len() / 2;
    b.push_int(if same { FLAG_SAMEFIELDS } else { 0 });
    b.push_int(id.ms.wrapping_sub(master.ms) as i64);
    b.push_int(id.seq.wrapping_sub(master.seq) as i64);
    if !same {
        b.push_int(numfields as i64);
    }
    for k in 0..numfields {
        if !same {
            b.push(fv[2 * k]);
        }
        b.push(fv[2 * k + 1]);
    }
    b.push_int(entry_lp_count(numfields, same));
}

/// Moves `n` entries of node `lp` from live to deleted (n < 0) in its
/// master entry's counts.
fn adjust_counts(lp: &mut Vec<u8>, n: i64) {
    let mut it = Elements::new(lp);
    let live_at = it.pos();
    let live = it.next().map_or(0, |e| int_of(&e));
    listpack::replace_int(lp, live_at, live + n);
    let mut it = Elements::new(lp);
    it.next();
    let dead_at = it.pos();
    let dead = it.next().map_or(0, |e| int_of(&e));
    listpack::replace_int(lp, dead_at, dead - n);
}

/// Checks a node read from a file the way Redis's deep integrity check
/// does (streamValidateListpackIntegrity): the master entry, every entry's
/// shape and lp-count, IDs inside the node ascending from `master`, and the
/// live/deleted counts. Returns the node's live entries.
pub fn validate_node(master: StreamId, lp: &[u8]) -> Result<u64, String> {
    let elems = listpack::decode(lp)?;
    let int = |i: usize, what: &str| -> Result<i64, String> {
        match elems.get(i) {
            Some(Entry::Int(v)) => Ok(*v),
            Some(Entry::Str(s)) => crate::util::parse_i64(s)
                .ok_or_else(|| format!("stream node {what} is not an integer")),
            None => Err(format!("stream node ends before its {what}")),
        }
    };
    let live = int(0, "entry count")?;
    let dead = int(1, "deleted count")?;
    let nmf = int(2, "master field count")?;
    if live < 0 || dead < 0 || nmf < 0 || nmf as usize > elems.len() {
        return Err("stream node has a bad master entry".into());
    }
    let nmf = nmf as usize;
    if int(3 + nmf, "master entry terminator")? != 0 {
        return Err("stream node master entry is not terminated by 0".into());
    }
    let (mut seen_live, mut seen_dead) = (0i64, 0i64);
    let mut prev: Option<StreamId> = None;
    let mut i = 4 + nmf;
    while i < elems.len() {
        let flags = int(i, "entry flags")?;
        let ms = int(i + 1, "entry ms delta")?;
        let seq = int(i + 2, "entry seq delta")?;
        let id = master.plus_delta(ms, seq);
        if id < master || prev.is_some_and(|p| id <= p) {
            return Err("stream node entry IDs are not ascending".into());
        }
        prev = Some(id);
        let same = flags & FLAG_SAMEFIELDS != 0;
        let (first, numfields) = if same {
            (i + 3, nmf)
        } else {
            let n = int(i + 3, "entry field count")?;
            if n < 0 || n as usize > elems.len() {
                return Err("stream node entry has a bad field count".into());
            }
            (i + 4, n as usize)
        };
        let values = if same { numfields } else { 2 * numfields };
        let count_at = first + values;
        if int(count_at, "entry lp-count")? != entry_lp_count(numfields, same) {
            return Err("stream node entry has a wrong lp-count".into());
        }
        if flags & FLAG_DELETED != 0 {
            seen_dead += 1;
        } else {
            seen_live += 1;
        }
        i = count_at + 1;
    }
    if seen_live != live || seen_dead != dead {
        return Err("stream node counts do not match its entries".into());
    }
    if live == 0 {
        return Err("stream node has no live entry".into());
    }
    Ok(live as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &Stream) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        s.scan(StreamId::MIN, StreamId::MAX, false, |id, _| {
            out.push((id.ms, id.seq));
            true
        });
        out
    }

    fn add(s: &mut Stream, ms: u64, seq: u64, fv: &[&[u8]]) {
        s.append(StreamId::new(ms, seq), fv, 4096, 3).unwrap();
    }

    #[test]
    fn append_splits_nodes_and_reads_back() {
        let mut s = Stream::new();
        for i in 1..=7 {
            add(&mut s, i, 0, &[b"f", b"v", b"n", b"12"]);
        }
        add(&mut s, 8, 0, &[b"other", b"x"]);
        assert_eq!(s.len(), 8);
        assert_eq!(s.node_count(), 3);
        let mut got = Vec::new();
        s.scan(StreamId::new(7, 0), StreamId::MAX, false, |id, p| {
            let p: Vec<_> = p.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
            got.push((id.ms, p));
            true
        });
        assert_eq!(
            got,
            vec![
                (
                    7,
                    vec![
                        (b"f".to_vec(), b"v".to_vec()),
                        (b"n".to_vec(), b"12".to_vec())
                    ]
                ),
                (8, vec![(b"other".to_vec(), b"x".to_vec())]),
            ]
        );
        for (m, lp) in s.nodes() {
            validate_node(m, lp).unwrap();
        }
    }

    #[test]
    fn delete_and_trim_keep_counts() {
        let mut s = Stream::new();
        for i in 1..=9 {
            add(&mut s, i, 0, &[b"f", b"v"]);
        }
        assert!(s.delete(StreamId::new(2, 0)));
        assert!(!s.delete(StreamId::new(2, 0)));
        assert_eq!(s.len(), 8);
        for (m, lp) in s.nodes() {
            validate_node(m, lp).unwrap();
        }
        // Exact MAXLEN 5: node 1-3 goes whole (2 live), then 4-0 is marked.
        assert_eq!(s.trim(Trim::MaxLen(5), false, 0), 3);
        assert_eq!(ids(&s), vec![(5, 0), (6, 0), (7, 0), (8, 0), (9, 0)]);
        assert_eq!(s.first_id, StreamId::new(5, 0));
        // Approximate: only whole nodes.
        assert_eq!(s.trim(Trim::MinId(StreamId::new(9, 0)), true, 0), 2);
        assert_eq!(ids(&s), vec![(7, 0), (8, 0), (9, 0)]);
        for (m, lp) in s.nodes() {
            validate_node(m, lp).unwrap();
        }
    }

    #[test]
    fn ids_follow_redis_rules() {
        let mut s = Stream::new();
        assert_eq!(s.next_id(None, true, 5).unwrap(), StreamId::new(5, 0));
        add(&mut s, 5, 3, &[b"a", b"1"]);
        assert_eq!(s.next_id(None, true, 4).unwrap(), StreamId::new(5, 4));
        let star = Some(StreamId::new(5, 0));
        assert_eq!(s.next_id(star, false, 0).unwrap(), StreamId::new(5, 4));
        assert_eq!(
            s.next_id(Some(StreamId::new(5, 3)), true, 0),
            Err(AppendError::IdTooSmall)
        );
        assert_eq!(StreamId::MAX.next(), None);
        assert_eq!(StreamId::new(1, 0).prev(), Some(StreamId::new(0, u64::MAX)));
    }
}
