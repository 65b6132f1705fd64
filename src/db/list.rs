//! The list value type: a quicklist, Redis's deque of packed nodes.
//!
//! Redis 7.0 reports `quicklist` for every list (`OBJECT ENCODING`): the
//! single-listpack encoding for small lists only arrived in 7.2. We keep the
//! same shape because it is what makes lists cheap in memory: elements are
//! not heap objects of their own but byte runs packed back to back inside a
//! few bounded nodes, so an element costs its bytes plus two small length
//! prefixes.
//!
//! ```text
//!  List { nodes: VecDeque<Node>, len }
//!    ┌──────────┐   ┌──────────┐   ┌──────────┐
//!    │ Node 0   │ ⇄ │ Node 1   │ ⇄ │ Node 2   │      (VecDeque: O(1) at both ends)
//!    └──────────┘   └──────────┘   └──────────┘
//!  Node.buf:
//!    [ dead | len data backlen | len data backlen | ... ]   (spare capacity after)
//!      ^head ^first entry
//! ```
//!
//! Entry layout: a header `payload length << 1 | is_integer` as a LEB128
//! varint, the payload, then the header again as a varint written backwards
//! (its low group last, so it can be read from the right). The two headers
//! let a node be walked from either end, which keeps pops and reverse scans
//! at the tail O(1) per element, like listpack's backlen. A string that is
//! the canonical decimal form of an i64 is stored as that integer (zigzag,
//! 1-8 little-endian bytes), as listpack does: "12345" takes 4 bytes. Reads
//! hand out [`Elem`] (bytes or integer) so nothing is formatted until a reply
//! needs it; comparisons go through a [`Needle`] packed once.
//!
//! Invariants:
//! - no node is empty; `len` is the sum of the node counts;
//! - a node holds entries `buf[head..]` and nothing else; bytes before `head`
//!   are dead space left by front pops, reused by front pushes;
//! - a node stays within the limit set by `fill` (Redis's
//!   `list-max-listpack-size`, taken when the list is created, as Redis does):
//!   negative = at most 4/8/16/32/64 KB of entries (-1..-5), positive = at
//!   most that many entries and at most 8 KB. A single element larger than
//!   the limit lives alone in its own node.
//!
//! Complexity: push/pop at either end O(1) amortized; index lookups walk the
//! node headers from the nearer end and then one bounded node, so
//! O(nodes + node size). Middle inserts and replacements rewrite one node and
//! split it when it overflows.
//!
//! Pure data: no replies, no I/O. Called by `cmd::list` (and later the RDB
//! code through [`List::iter`] / [`List::push_back`]).

use std::collections::VecDeque;

use crate::util::{i64_len, parse_i64, write_i64};

/// Node byte limits for fill -1..-5 (Redis's `optimization_level`).
const SIZE_LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Byte limit of a node when the fill counts entries (Redis's
/// SIZE_SAFETY_LIMIT), so a count fill cannot build huge nodes.
const SIZE_SAFETY_LIMIT: usize = 8192;
/// Clamp of the fill factor (Redis's FILL_MAX and the last level).
const FILL_MAX: i64 = 32767;
const FILL_MIN: i64 = -5;
/// Redis's default `list-max-listpack-size`.
pub const DEFAULT_FILL: i64 = -2;

// ---------------------------------------------------------------------------
// Entry encoding
// ---------------------------------------------------------------------------

/// Bytes of a LEB128 varint holding `n`.
fn varint_len(n: usize) -> usize {
    let mut l = 1;
    let mut n = n >> 7;
    while n > 0 {
        l += 1;
        n >>= 7;
    }
    l
}

/// An element prepared for storage. Strings that are the canonical form of
/// an i64 (what Redis's listpack stores as integers) are packed as a
/// zigzag little-endian integer of 1-8 bytes, so "12345" costs 4 bytes in
/// a node instead of 7.
#[derive(Debug, Clone, Copy)]
enum Packed<'a> {
    Bytes(&'a [u8]),
    /// Zigzag value and its byte count.
    Int(u64, usize),
}

impl<'a> Packed<'a> {
    fn new(data: &'a [u8]) -> Packed<'a> {
        match parse_i64(data) {
            // parse_i64 accepts only digits with no leading zeros, so equal
            // lengths mean `data` is exactly how the integer prints back.
            Some(v) if i64_len(v) == data.len() => {
                let zz = ((v << 1) ^ (v >> 63)) as u64;
                let n = (64 - zz.leading_zeros() as usize).div_ceil(8);
                Packed::Int(zz, n.max(1))
            }
            _ => Packed::Bytes(data),
        }
    }

    /// The header varint: payload length << 1, low bit set for integers.
    fn header(&self) -> usize {
        match self {
            Packed::Bytes(b) => b.len() << 1,
            Packed::Int(_, n) => (n << 1) | 1,
        }
    }

    fn payload_len(&self) -> usize {
        match self {
            Packed::Bytes(b) => b.len(),
            Packed::Int(_, n) => *n,
        }
    }

    /// Bytes the entry takes inside a node.
    fn size(&self) -> usize {
        self.payload_len() + 2 * varint_len(self.header())
    }
}

/// One element as stored: a byte string, or an integer whose canonical
/// decimal form is the element (callers reply with it as a bulk string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elem<'a> {
    Bytes(&'a [u8]),
    Int(i64),
}

impl Elem<'_> {
    /// The element's bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Elem::Bytes(b) => b.to_vec(),
            Elem::Int(v) => {
                let mut out = Vec::with_capacity(20);
                write_i64(&mut out, *v);
                out
            }
        }
    }

    /// Whether the element equals the string `n` was made from. Packing is
    /// canonical, so a string element never equals an integer needle.
    pub fn matches(&self, n: &Needle) -> bool {
        match (self, n.0) {
            (Elem::Bytes(a), Packed::Bytes(b)) => *a == b,
            (Elem::Int(a), Packed::Int(zz, _)) => *a == unzigzag(zz),
            _ => false,
        }
    }
}

/// A value to compare elements with (LPOS, LREM, LINSERT), packed once.
#[derive(Debug, Clone, Copy)]
pub struct Needle<'a>(Packed<'a>);

impl<'a> Needle<'a> {
    pub fn new(data: &'a [u8]) -> Needle<'a> {
        Needle(Packed::new(data))
    }
}

fn unzigzag(zz: u64) -> i64 {
    ((zz >> 1) as i64) ^ -((zz & 1) as i64)
}

/// Write the entry for `e` into `dst`, which is exactly `e.size()` bytes.
fn write_entry(dst: &mut [u8], e: &Packed) {
    let h = e.header();
    let vl = varint_len(h);
    let n = e.payload_len();
    // Forward header: low group first, continuation bit on all but the last.
    let mut v = h;
    for (i, b) in dst[..vl].iter_mut().enumerate() {
        *b = (v & 0x7f) as u8 | if i + 1 < vl { 0x80 } else { 0 };
        v >>= 7;
    }
    match e {
        Packed::Bytes(data) => dst[vl..vl + n].copy_from_slice(data),
        Packed::Int(zz, _) => dst[vl..vl + n].copy_from_slice(&zz.to_le_bytes()[..n]),
    }
    // Backward header: the same groups in reverse memory order, so reading
    // right to left meets the low group first; the leftmost byte has no
    // continuation bit.
    let back = &mut dst[vl + n..];
    let mut v = h;
    for i in 0..vl {
        back[vl - 1 - i] = (v & 0x7f) as u8 | if i + 1 < vl { 0x80 } else { 0 };
        v >>= 7;
    }
}

/// Append the entry for `e` to `v`.
fn put_entry(v: &mut Vec<u8>, e: &Packed) {
    let start = v.len();
    v.resize(start + e.size(), 0);
    write_entry(&mut v[start..], e);
}

/// The encoded entry as its own buffer (middle inserts).
fn encode_entry(e: &Packed) -> Vec<u8> {
    let mut v = Vec::with_capacity(e.size());
    put_entry(&mut v, e);
    v
}

/// Where an entry sits in a node's buffer.
struct Raw {
    /// Integer payload (else bytes).
    int: bool,
    /// Payload range.
    start: usize,
    end: usize,
    /// Start of the following entry.
    next: usize,
}

// ---------------------------------------------------------------------------
// Node
// ---------------------------------------------------------------------------

/// One packed node of the quicklist.
#[derive(Debug, Clone)]
struct Node {
    /// Entries live in `buf[head..]`; see the module diagram.
    buf: Vec<u8>,
    /// Offset of the first entry; bytes before it are dead (front pops) and
    /// reusable by front pushes.
    head: usize,
    /// Number of entries.
    count: usize,
}

impl Node {
    fn with_entry(data: &Packed) -> Node {
        let mut n = Node {
            buf: Vec::with_capacity(data.size()),
            head: 0,
            count: 0,
        };
        n.push_back(data);
        n
    }

    /// Live bytes (what counts against the node limit).
    fn bytes(&self) -> usize {
        self.buf.len() - self.head
    }

    /// Decode the entry starting at `pos`.
    fn entry(&self, pos: usize) -> Raw {
        let mut h = 0usize;
        let mut shift = 0;
        let mut p = pos;
        loop {
            let b = self.buf[p];
            p += 1;
            h |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let end = p + (h >> 1);
        Raw {
            int: h & 1 == 1,
            start: p,
            end,
            next: end + varint_len(h),
        }
    }

    /// Start of the entry after the one at `pos`.
    fn next(&self, pos: usize) -> usize {
        self.entry(pos).next
    }

    /// Start of the entry that ends (exclusive) at `end`.
    fn prev(&self, end: usize) -> usize {
        let mut h = 0usize;
        let mut shift = 0;
        let mut p = end;
        loop {
            p -= 1;
            let b = self.buf[p];
            h |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        p - (h >> 1) - varint_len(h)
    }

    /// The element of a decoded entry.
    fn elem(&self, r: &Raw) -> Elem<'_> {
        let payload = &self.buf[r.start..r.end];
        if r.int {
            let mut le = [0u8; 8];
            le[..payload.len()].copy_from_slice(payload);
            Elem::Int(unzigzag(u64::from_le_bytes(le)))
        } else {
            Elem::Bytes(payload)
        }
    }

    /// The element starting at `pos`.
    fn data(&self, pos: usize) -> Elem<'_> {
        self.elem(&self.entry(pos))
    }

    /// Byte offset of entry `i` (< count), walking from the nearer end.
    fn pos_of(&self, i: usize) -> usize {
        if i <= self.count / 2 {
            let mut p = self.head;
            for _ in 0..i {
                p = self.next(p);
            }
            p
        } else {
            let mut p = self.buf.len();
            for _ in i..self.count {
                p = self.prev(p);
            }
            p
        }
    }

    /// Append an entry. The buffer grows to the exact size, as Redis's
    /// listpack does: the allocator's realloc stays in place while the
    /// block's size class has room, and doubling left small lists with up
    /// to half their node unused.
    fn push_back(&mut self, data: &Packed) {
        let need = data.size();
        if self.buf.capacity() - self.buf.len() < need {
            self.buf.reserve_exact(need);
        }
        put_entry(&mut self.buf, data);
        self.count += 1;
    }

    /// Prepend an entry, into the dead space before `head` when it fits; else
    /// the buffer is rebuilt with headroom proportional to its size (a
    /// quarter, so repeated front pushes stay O(1) amortized).
    fn push_front(&mut self, data: &Packed, limit: usize) {
        let need = data.size();
        if self.head < need {
            let live = self.bytes();
            // A quarter of the node as headroom: front pushes stay O(1)
            // amortised without a small list carrying double its size.
            let room = need.max((live / 4).min(limit.saturating_sub(live + need)));
            let mut nb = Vec::with_capacity(room + live);
            nb.resize(room, 0);
            nb.extend_from_slice(&self.buf[self.head..]);
            self.buf = nb;
            self.head = room;
        }
        self.head -= need;
        let h = self.head;
        write_entry(&mut self.buf[h..h + need], data);
        self.count += 1;
    }

    fn pop_front(&mut self) -> Vec<u8> {
        let r = self.entry(self.head);
        let v = self.elem(&r).to_vec();
        self.head = r.next;
        self.count -= 1;
        if self.count == 0 {
            self.buf.clear();
            self.head = 0;
        }
        v
    }

    fn pop_back(&mut self) -> Vec<u8> {
        let p = self.prev(self.buf.len());
        let v = self.data(p).to_vec();
        self.buf.truncate(p);
        self.count -= 1;
        if self.count == 0 {
            self.buf.clear();
            self.head = 0;
        }
        v
    }

    /// Drop the first `k` (<= count) entries.
    fn remove_front(&mut self, k: usize) {
        let mut p = self.head;
        for _ in 0..k {
            p = self.next(p);
        }
        self.head = p;
        self.count -= k;
    }

    /// Drop the last `k` (<= count) entries.
    fn remove_back(&mut self, k: usize) {
        let mut p = self.buf.len();
        for _ in 0..k {
            p = self.prev(p);
        }
        self.buf.truncate(p);
        self.count -= k;
    }

    /// Insert an entry at byte offset `pos` (an entry start, or the end).
    fn insert_at(&mut self, pos: usize, data: &Packed) {
        let e = encode_entry(data);
        self.buf.splice(pos..pos, e);
        self.count += 1;
    }

    /// Replace the entry starting at `pos`.
    fn replace_at(&mut self, pos: usize, data: &Packed) {
        let end = self.next(pos);
        let e = encode_entry(data);
        self.buf.splice(pos..end, e);
    }

    /// Remove the entries whose byte ranges are listed (ascending, disjoint).
    fn remove_ranges(&mut self, ranges: &[(usize, usize)]) {
        let removed: usize = ranges.iter().map(|r| r.1 - r.0).sum();
        let mut nb = Vec::with_capacity(self.bytes() - removed);
        let mut at = self.head;
        for &(s, e) in ranges {
            nb.extend_from_slice(&self.buf[at..s]);
            at = e;
        }
        nb.extend_from_slice(&self.buf[at..]);
        self.buf = nb;
        self.head = 0;
        self.count -= ranges.len();
    }

    /// Move entries `i..` into a new node (compact buffers on both sides).
    fn split_off(&mut self, i: usize) -> Node {
        let p = self.pos_of(i);
        let right = Node {
            buf: self.buf[p..].to_vec(),
            head: 0,
            count: self.count - i,
        };
        self.buf.truncate(p);
        self.count = i;
        self.compact();
        right
    }

    /// Append all of `other`'s entries.
    fn append(&mut self, other: &Node) {
        self.buf.extend_from_slice(&other.buf[other.head..]);
        self.count += other.count;
    }

    /// Drop the dead head and the spare capacity: done when a node stops
    /// being an end node that grows, so only the two end nodes carry slack.
    fn compact(&mut self) {
        if self.head > 0 {
            self.buf.drain(..self.head);
            self.head = 0;
        }
        self.buf.shrink_to_fit();
    }
}

// ---------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------

/// A list value (always `quicklist` for OBJECT ENCODING in Redis 7.0).
#[derive(Debug, Clone)]
pub struct List {
    /// The nodes, head first. Never holds an empty node.
    nodes: VecDeque<Node>,
    /// Total number of elements.
    len: usize,
    /// Node limit: Redis's `list-max-listpack-size`, clamped to -5..=32767.
    fill: i16,
}

impl Default for List {
    fn default() -> List {
        List::new(DEFAULT_FILL)
    }
}

/// Two lists are equal when they hold the same elements, whatever their
/// node layout.
impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl List {
    /// An empty list whose nodes follow `fill` (`list-max-listpack-size`).
    pub fn new(fill: i64) -> List {
        List {
            // One slot: most lists are small, and VecDeque doubles from there.
            nodes: VecDeque::with_capacity(1),
            len: 0,
            fill: fill.clamp(FILL_MIN, FILL_MAX) as i16,
        }
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of nodes (tests and DEBUG-style introspection).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Elements per node, head first (DEBUG OBJECT regroups [`List::iter`]
    /// by these to size each node as Redis would).
    pub fn node_lens(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.nodes.iter().map(|n| n.count)
    }

    /// The `list-max-listpack-size` the list was created with (clamped).
    pub fn fill(&self) -> i64 {
        self.fill as i64
    }

    /// Approximate heap bytes used (MEMORY USAGE).
    pub fn mem_usage(&self) -> usize {
        std::mem::size_of::<List>()
            + self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.nodes.iter().map(|n| n.buf.capacity()).sum::<usize>()
    }

    /// The byte limit of a node.
    fn size_limit(&self) -> usize {
        if self.fill < 0 {
            SIZE_LEVELS[(-(self.fill as i32) - 1) as usize]
        } else {
            SIZE_SAFETY_LIMIT
        }
    }

    /// Whether `node` may take one more element of `sz` bytes (Redis's
    /// _quicklistNodeAllowInsert with our entry overhead).
    fn allow_insert(&self, node: &Node, e: &Packed) -> bool {
        self.may_grow(node.bytes(), node.count, e.size())
    }

    /// The same test for a node of `bytes` live bytes and `count` entries
    /// taking an entry of `size` bytes (also for a node being planned).
    fn may_grow(&self, bytes: usize, count: usize, size: usize) -> bool {
        let new_sz = bytes + size;
        if self.fill < 0 {
            new_sz <= self.size_limit()
        } else {
            new_sz <= SIZE_SAFETY_LIMIT && count < self.fill as usize
        }
    }

    /// Whether a node with more than one entry exceeds its limits.
    fn over_limit(&self, node: &Node) -> bool {
        if node.count <= 1 {
            return false;
        }
        if self.fill < 0 {
            node.bytes() > self.size_limit()
        } else {
            node.bytes() > SIZE_SAFETY_LIMIT || node.count > self.fill as usize
        }
    }

    /// Whether two nodes' entries fit in one node.
    fn can_merge(&self, a: &Node, b: &Node) -> bool {
        let bytes = a.bytes() + b.bytes();
        if self.fill < 0 {
            bytes <= self.size_limit()
        } else {
            bytes <= SIZE_SAFETY_LIMIT && a.count + b.count <= self.fill as usize
        }
    }

    /// A list of `items` in order, with the nodes `push_back` one by one
    /// would make, each allocated once at its exact size (loading a list
    /// pushed element by element spent most of its time reallocating).
    pub fn from_items(fill: i64, items: &[impl AsRef<[u8]>]) -> List {
        let mut list = List::new(fill);
        let packed: Vec<Packed> = items.iter().map(|i| Packed::new(i.as_ref())).collect();
        let mut rest = &packed[..];
        while let Some(first) = rest.first() {
            let mut node = Node {
                buf: Vec::new(),
                head: 0,
                count: 1,
            };
            let mut bytes = first.size();
            while let Some(next) = rest.get(node.count) {
                if !list.may_grow(bytes, node.count, next.size()) {
                    break;
                }
                bytes += next.size();
                node.count += 1;
            }
            node.buf = Vec::with_capacity(bytes);
            for p in &rest[..node.count] {
                put_entry(&mut node.buf, p);
            }
            rest = &rest[node.count..];
            list.len += node.count;
            list.nodes.push_back(node);
        }
        list
    }

    pub fn push_back(&mut self, data: &[u8]) {
        let data = &Packed::new(data);
        match self.nodes.back() {
            Some(n) if self.allow_insert(n, data) => {
                if let Some(n) = self.nodes.back_mut() {
                    n.push_back(data);
                }
            }
            _ => {
                if let Some(n) = self.nodes.back_mut() {
                    n.compact();
                }
                self.nodes.push_back(Node::with_entry(data));
            }
        }
        self.len += 1;
    }

    pub fn push_front(&mut self, data: &[u8]) {
        let data = &Packed::new(data);
        let limit = self.size_limit();
        match self.nodes.front() {
            Some(n) if self.allow_insert(n, data) => {
                if let Some(n) = self.nodes.front_mut() {
                    n.push_front(data, limit);
                }
            }
            _ => {
                if let Some(n) = self.nodes.front_mut() {
                    n.compact();
                }
                self.nodes.push_front(Node::with_entry(data));
            }
        }
        self.len += 1;
    }

    /// Push at the head (`left`) or the tail.
    pub fn push(&mut self, data: &[u8], left: bool) {
        if left {
            self.push_front(data)
        } else {
            self.push_back(data)
        }
    }

    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        let n = self.nodes.front_mut()?;
        let v = n.pop_front();
        if n.count == 0 {
            self.nodes.pop_front();
        }
        self.len -= 1;
        Some(v)
    }

    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let n = self.nodes.back_mut()?;
        let v = n.pop_back();
        if n.count == 0 {
            self.nodes.pop_back();
        }
        self.len -= 1;
        Some(v)
    }

    /// Pop from the head (`left`) or the tail.
    pub fn pop(&mut self, left: bool) -> Option<Vec<u8>> {
        if left {
            self.pop_front()
        } else {
            self.pop_back()
        }
    }

    /// Turn a Redis index (negative counts from the tail) into a position,
    /// or None when it is out of range.
    pub fn normalize(&self, index: i64) -> Option<usize> {
        let len = self.len as i64;
        let i = if index < 0 { len + index } else { index };
        if (0..len).contains(&i) {
            Some(i as usize)
        } else {
            None
        }
    }

    /// (node index, entry index in the node) of element `i` (< len), walking
    /// the node headers from the nearer end.
    fn locate(&self, i: usize) -> (usize, usize) {
        if i < self.len / 2 {
            let mut rest = i;
            for (ni, n) in self.nodes.iter().enumerate() {
                if rest < n.count {
                    return (ni, rest);
                }
                rest -= n.count;
            }
        } else {
            let mut from_end = self.len - i; // >= 1
            for (ni, n) in self.nodes.iter().enumerate().rev() {
                if from_end <= n.count {
                    return (ni, n.count - from_end);
                }
                from_end -= n.count;
            }
        }
        unreachable!("index below len is always in some node")
    }

    /// Element at a Redis index (LINDEX).
    pub fn get(&self, index: i64) -> Option<Elem<'_>> {
        let i = self.normalize(index)?;
        let (ni, ei) = self.locate(i);
        let n = &self.nodes[ni];
        Some(n.data(n.pos_of(ei)))
    }

    /// Replace the element at a Redis index (LSET). False when out of range.
    pub fn set(&mut self, index: i64, data: &[u8]) -> bool {
        let Some(i) = self.normalize(index) else {
            return false;
        };
        let (ni, ei) = self.locate(i);
        let n = &mut self.nodes[ni];
        let p = n.pos_of(ei);
        n.replace_at(p, &Packed::new(data));
        self.fix_node(ni);
        true
    }

    /// Split node `ni` until every piece is within the limits (after a
    /// middle insert or a replacement made it grow).
    fn fix_node(&mut self, ni: usize) {
        if !self.over_limit(&self.nodes[ni]) {
            return;
        }
        let half = self.nodes[ni].count / 2;
        let right = self.nodes[ni].split_off(half);
        self.nodes.insert(ni + 1, right);
        self.fix_node(ni + 1);
        self.fix_node(ni);
    }

    /// Merge node `ni` with its neighbours when they fit together, so
    /// deletions in the middle do not leave a trail of tiny nodes.
    fn merge_around(&mut self, ni: usize) {
        if ni + 1 < self.nodes.len() && self.can_merge(&self.nodes[ni], &self.nodes[ni + 1]) {
            if let Some(right) = self.nodes.remove(ni + 1) {
                self.nodes[ni].append(&right);
            }
        }
        if ni > 0 && ni < self.nodes.len() && self.can_merge(&self.nodes[ni - 1], &self.nodes[ni]) {
            if let Some(right) = self.nodes.remove(ni) {
                self.nodes[ni - 1].append(&right);
            }
        }
    }

    /// Iterate from the head.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// Iterate from position `start` (0-based from the head) to the tail.
    pub fn iter_from(&self, start: usize) -> Iter<'_> {
        if start >= self.len {
            return Iter {
                list: self,
                node: 0,
                pos: 0,
                remaining: 0,
            };
        }
        let (ni, ei) = self.locate(start);
        Iter {
            list: self,
            node: ni,
            pos: self.nodes[ni].pos_of(ei),
            remaining: self.len - start,
        }
    }

    /// Iterate from the tail towards the head.
    pub fn iter_rev(&self) -> RevIter<'_> {
        if self.len == 0 {
            return RevIter {
                list: self,
                node: 0,
                end: 0,
                remaining: 0,
            };
        }
        let last = self.nodes.len() - 1;
        RevIter {
            list: self,
            node: last,
            end: self.nodes[last].buf.len(),
            remaining: self.len,
        }
    }

    /// Insert `data` before (or `after`) the first element equal to `pivot`
    /// (LINSERT). False when the pivot is not found.
    pub fn insert(&mut self, pivot: &[u8], data: &[u8], after: bool) -> bool {
        let pivot = Needle::new(pivot);
        for ni in 0..self.nodes.len() {
            let n = &self.nodes[ni];
            let mut p = n.head;
            while p < n.buf.len() {
                let next = n.next(p);
                if n.data(p).matches(&pivot) {
                    let at = if after { next } else { p };
                    self.nodes[ni].insert_at(at, &Packed::new(data));
                    self.len += 1;
                    self.fix_node(ni);
                    return true;
                }
                p = next;
            }
        }
        false
    }

    /// Remove up to `limit` elements equal to `value` (0 = all), scanning
    /// from the head, or from the tail when `from_tail` (LREM). Returns how
    /// many were removed.
    pub fn remove(&mut self, value: &[u8], limit: usize, from_tail: bool) -> usize {
        let value = Needle::new(value);
        let mut left = if limit == 0 { usize::MAX } else { limit };
        let mut removed = 0;
        let order: Vec<usize> = if from_tail {
            (0..self.nodes.len()).rev().collect()
        } else {
            (0..self.nodes.len()).collect()
        };
        let mut touched = Vec::new();
        for ni in order {
            if left == 0 {
                break;
            }
            let n = &self.nodes[ni];
            let mut ranges = Vec::new();
            if from_tail {
                let mut end = n.buf.len();
                while end > n.head && ranges.len() < left {
                    let p = n.prev(end);
                    if n.data(p).matches(&value) {
                        ranges.push((p, end));
                    }
                    end = p;
                }
                ranges.reverse();
            } else {
                let mut p = n.head;
                while p < n.buf.len() && ranges.len() < left {
                    let next = n.next(p);
                    if n.data(p).matches(&value) {
                        ranges.push((p, next));
                    }
                    p = next;
                }
            }
            if !ranges.is_empty() {
                left -= ranges.len();
                removed += ranges.len();
                self.nodes[ni].remove_ranges(&ranges);
                touched.push(ni);
            }
        }
        if removed > 0 {
            self.len -= removed;
            // Drop emptied nodes, then merge small survivors (highest index
            // first so earlier indexes stay valid).
            touched.sort_unstable();
            for &ni in touched.iter().rev() {
                if self.nodes[ni].count == 0 {
                    self.nodes.remove(ni);
                }
            }
            let mut ni = 0;
            while ni < self.nodes.len() {
                let before = self.nodes.len();
                self.merge_around(ni);
                if self.nodes.len() == before {
                    ni += 1;
                }
            }
        }
        removed
    }

    /// Remove `k` elements from the head (LTRIM's left part).
    pub fn remove_front(&mut self, mut k: usize) {
        k = k.min(self.len);
        self.len -= k;
        while k > 0 {
            let Some(n) = self.nodes.front_mut() else {
                break;
            };
            if n.count <= k {
                k -= n.count;
                self.nodes.pop_front();
            } else {
                n.remove_front(k);
                k = 0;
            }
        }
    }

    /// Remove `k` elements from the tail (LTRIM's right part).
    pub fn remove_back(&mut self, mut k: usize) {
        k = k.min(self.len);
        self.len -= k;
        while k > 0 {
            let Some(n) = self.nodes.back_mut() else {
                break;
            };
            if n.count <= k {
                k -= n.count;
                self.nodes.pop_back();
            } else {
                n.remove_back(k);
                k = 0;
            }
        }
    }
}

/// Head-to-tail iterator over a list's elements.
pub struct Iter<'a> {
    list: &'a List,
    /// Current node.
    node: usize,
    /// Byte offset of the next entry in the current node.
    pos: usize,
    /// Elements left to yield.
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Elem<'a>;

    fn next(&mut self) -> Option<Elem<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let nodes = &self.list.nodes;
        if self.pos >= nodes[self.node].buf.len() {
            self.node += 1;
            self.pos = nodes[self.node].head;
        }
        let n = &nodes[self.node];
        let r = n.entry(self.pos);
        self.pos = r.next;
        self.remaining -= 1;
        Some(n.elem(&r))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

/// Tail-to-head iterator over a list's elements.
pub struct RevIter<'a> {
    list: &'a List,
    /// Current node.
    node: usize,
    /// Byte offset just past the next entry to yield in the current node.
    end: usize,
    /// Elements left to yield.
    remaining: usize,
}

impl<'a> Iterator for RevIter<'a> {
    type Item = Elem<'a>;

    fn next(&mut self) -> Option<Elem<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let nodes = &self.list.nodes;
        if self.end <= nodes[self.node].head {
            self.node -= 1;
            self.end = nodes[self.node].buf.len();
        }
        let n = &nodes[self.node];
        let p = n.prev(self.end);
        self.end = p;
        self.remaining -= 1;
        Some(n.data(p))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_items_makes_the_nodes_push_back_makes() {
        let big = vec![b'x'; 9000];
        for fill in [-5, -2, -1, 1, 3, 128] {
            for n in [1usize, 2, 7, 128, 129, 1000] {
                let items: Vec<Vec<u8>> = (0..n)
                    .map(|i| match i % 4 {
                        0 => i.to_string().into_bytes(),
                        1 => format!("element-{i}").into_bytes(),
                        2 if i % 50 == 2 => big.clone(),
                        _ => vec![b'v'; i % 300],
                    })
                    .collect();
                let mut one_by_one = List::new(fill);
                for i in &items {
                    one_by_one.push_back(i);
                }
                let bulk = List::from_items(fill, &items);
                assert_eq!(check(&bulk), items, "fill {fill}, {n} items");
                let shape = |l: &List| {
                    l.nodes
                        .iter()
                        .map(|n| (n.count, n.bytes()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(shape(&bulk), shape(&one_by_one), "fill {fill}, {n} items");
                assert!(bulk.nodes.iter().all(|n| n.buf.capacity() == n.buf.len()));
            }
        }
        assert!(List::from_items(-2, &[] as &[Vec<u8>]).is_empty());
    }

    /// Check the invariants and return the elements.
    fn check(l: &List) -> Vec<Vec<u8>> {
        let mut total = 0;
        for n in &l.nodes {
            assert!(n.count > 0, "empty node");
            // Walk forward and backward: both must agree with count.
            let mut p = n.head;
            let mut c = 0;
            while p < n.buf.len() {
                p = n.next(p);
                c += 1;
            }
            assert_eq!(p, n.buf.len());
            assert_eq!(c, n.count);
            let mut e = n.buf.len();
            let mut c = 0;
            while e > n.head {
                e = n.prev(e);
                c += 1;
            }
            assert_eq!(e, n.head);
            assert_eq!(c, n.count);
            if n.count > 1 {
                assert!(!l.over_limit(n), "node over limit");
            }
            total += n.count;
        }
        assert_eq!(total, l.len());
        let fwd: Vec<Vec<u8>> = l.iter().map(|e| e.to_vec()).collect();
        let mut rev: Vec<Vec<u8>> = l.iter_rev().map(|e| e.to_vec()).collect();
        rev.reverse();
        assert_eq!(fwd, rev);
        fwd
    }

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    /// A reference model next to the real list.
    fn elem(i: usize) -> Vec<u8> {
        // Integers (packed) and strings that only look like them.
        match i % 11 {
            7 => return format!("{}", (i as i64 - 20) * 1_000_003).into_bytes(),
            8 => return format!("0{i}").into_bytes(),
            9 => {
                return if i.is_multiple_of(2) {
                    b"-0".to_vec()
                } else {
                    i64::MIN.to_string().into_bytes()
                }
            }
            _ => {}
        }
        // Varied sizes, including ones with 2- and 3-byte varints.
        let len = match i % 7 {
            0 => 0,
            1 => 3,
            2 => 127,
            3 => 128,
            4 => 300,
            5 => 20_000,
            _ => 10,
        };
        let mut v = format!("{i}:").into_bytes();
        v.resize(len.max(v.len()), b'x');
        v
    }

    #[test]
    fn varints_round_trip() {
        for len in [0usize, 1, 127, 128, 16383, 16384, 70000] {
            let data = vec![7u8; len];
            let mut n = Node::with_entry(&Packed::new(&data));
            n.push_back(&Packed::new(b"z"));
            assert_eq!(n.data(n.head), Elem::Bytes(&data[..]));
            assert_eq!(n.prev(n.buf.len()), n.next(n.head));
            assert_eq!(n.prev(n.next(n.head)), 0);
        }
    }

    #[test]
    fn integers_are_packed() {
        let mut l = List::new(-2);
        for s in [
            "0",
            "-1",
            "12345",
            "9223372036854775807",
            "-9223372036854775808",
            "007",
            "+1",
            "-0",
            "1.0",
            " 1",
        ] {
            l.push_back(s.as_bytes());
        }
        let v = check(&l);
        assert_eq!(v[2], b("12345"));
        assert_eq!(l.get(0), Some(Elem::Int(0)));
        assert_eq!(l.get(3), Some(Elem::Int(i64::MAX)));
        assert_eq!(l.get(4), Some(Elem::Int(i64::MIN)));
        assert_eq!(l.get(5), Some(Elem::Bytes(b"007")));
        assert_eq!(l.get(6), Some(Elem::Bytes(b"+1")));
        assert_eq!(l.get(7), Some(Elem::Bytes(b"-0")));
        // "12345": 1 header + 2 payload + 1 trailer.
        assert_eq!(Packed::new(b"12345").size(), 4);
        assert_eq!(Packed::new(b"-1").size(), 3);
        assert!(l.insert(b"12345", b"x", true));
        assert!(!l.insert(b"012345", b"x", true));
        assert_eq!(l.remove(b"-1", 0, false), 1);
        assert_eq!(l.remove(b"-0", 0, false), 1);
        assert_eq!(
            l.iter().position(|e| e.matches(&Needle::new(b"x"))),
            Some(2)
        );
    }

    #[test]
    fn push_pop_both_ends() {
        let mut l = List::new(-2);
        let mut model = VecDeque::new();
        for i in 0..3000 {
            let e = elem(i);
            if i % 3 == 0 {
                l.push_front(&e);
                model.push_front(e);
            } else {
                l.push_back(&e);
                model.push_back(e);
            }
        }
        assert_eq!(check(&l), model.iter().cloned().collect::<Vec<_>>());
        assert!(l.node_count() > 1);
        for i in 0..2000 {
            if i % 2 == 0 {
                assert_eq!(l.pop_front(), model.pop_front());
            } else {
                assert_eq!(l.pop_back(), model.pop_back());
            }
        }
        assert_eq!(check(&l), model.iter().cloned().collect::<Vec<_>>());
        while l.pop_front().is_some() {}
        assert!(l.is_empty());
        assert_eq!(l.node_count(), 0);
        assert_eq!(l.pop_back(), None);
    }

    #[test]
    fn index_get_set() {
        let mut l = List::new(-1);
        for i in 0..500 {
            l.push_back(&elem(i));
        }
        for i in 0..500 {
            assert_eq!(l.get(i as i64).map(|e| e.to_vec()), Some(elem(i)));
            assert_eq!(l.get(i as i64 - 500).map(|e| e.to_vec()), Some(elem(i)));
        }
        assert_eq!(l.get(500), None);
        assert_eq!(l.get(-501), None);
        assert_eq!(l.get(i64::MIN), None);
        assert_eq!(l.get(i64::MAX), None);
        // Growing replacements split nodes; shrinking ones keep order.
        assert!(l.set(10, &[b'q'; 5000]));
        assert!(l.set(-1, b"last"));
        assert!(!l.set(500, b"no"));
        let v = check(&l);
        assert_eq!(v[10], vec![b'q'; 5000]);
        assert_eq!(v[499], b("last"));
        assert_eq!(v[11], elem(11));
    }

    #[test]
    fn count_fill_limits_entries() {
        let mut l = List::new(3);
        for i in 0..10 {
            l.push_back(format!("{i}").as_bytes());
        }
        assert_eq!(l.node_count(), 4);
        // fill 0: one element per node.
        let mut z = List::new(0);
        for i in 0..5 {
            z.push_front(format!("{i}").as_bytes());
        }
        assert_eq!(z.node_count(), 5);
        check(&z);
        // Fill is clamped.
        assert_eq!(List::new(-100).fill, -5);
        assert_eq!(List::new(i64::MAX).fill, 32767);
    }

    #[test]
    fn insert_and_split() {
        let mut l = List::new(4);
        for s in ["a", "b", "c", "d"] {
            l.push_back(s.as_bytes());
        }
        assert!(l.insert(b"c", b"x", false));
        assert!(l.insert(b"d", b"y", true));
        assert!(!l.insert(b"zz", b"y", true));
        assert_eq!(
            check(&l),
            vec![b("a"), b("b"), b("x"), b("c"), b("d"), b("y")]
        );
        assert!(l.node_count() >= 2);
        for _ in 0..50 {
            assert!(l.insert(b"x", b"m", true));
        }
        assert_eq!(l.len(), 56);
        check(&l);
    }

    #[test]
    fn remove_both_directions() {
        let mut l = List::new(2);
        for s in ["a", "b", "a", "c", "a", "b", "a"] {
            l.push_back(s.as_bytes());
        }
        assert_eq!(l.remove(b"a", 2, true), 2);
        assert_eq!(check(&l), vec![b("a"), b("b"), b("a"), b("c"), b("b")]);
        assert_eq!(l.remove(b"b", 1, false), 1);
        assert_eq!(check(&l), vec![b("a"), b("a"), b("c"), b("b")]);
        assert_eq!(l.remove(b"a", 0, false), 2);
        assert_eq!(check(&l), vec![b("c"), b("b")]);
        assert_eq!(l.remove(b"zz", 0, false), 0);
        assert_eq!(l.remove(b"c", 0, true), 1);
        assert_eq!(l.remove(b"b", 0, true), 1);
        assert!(l.is_empty());
        assert_eq!(l.node_count(), 0);
    }

    #[test]
    fn remove_merges_small_nodes() {
        let mut l = List::new(-2);
        for i in 0..5000 {
            l.push_back(if i % 10 == 0 { b"keep" } else { b"drop" });
        }
        let before = l.node_count();
        assert_eq!(l.remove(b"drop", 0, false), 4500);
        assert!(l.node_count() < before);
        assert_eq!(check(&l).len(), 500);
    }

    #[test]
    fn trim_ends() {
        let mut l = List::new(5);
        for i in 0..23 {
            l.push_back(format!("{i}").as_bytes());
        }
        l.remove_front(7);
        l.remove_back(6);
        let v = check(&l);
        assert_eq!(v.len(), 10);
        assert_eq!(v[0], b("7"));
        assert_eq!(v[9], b("16"));
        l.remove_front(100);
        assert!(l.is_empty());
        assert_eq!(l.node_count(), 0);
    }

    #[test]
    fn iter_from_and_equality() {
        let mut a = List::new(3);
        let mut b2 = List::new(-5);
        for i in 0..20 {
            a.push_back(&elem(i));
            b2.push_back(&elem(i));
        }
        assert_eq!(a, b2);
        let tail: Vec<Vec<u8>> = a.iter_from(15).map(|e| e.to_vec()).collect();
        assert_eq!(tail.len(), 5);
        assert_eq!(tail[0], elem(15));
        assert_eq!(a.iter_from(20).count(), 0);
        b2.pop_back();
        assert_ne!(a, b2);
    }

    /// Random operations against a VecDeque model, for several fills.
    #[test]
    fn random_model() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for fill in [-5, -2, -1, 0, 1, 2, 7, 128] {
            let mut l = List::new(fill);
            let mut m: VecDeque<Vec<u8>> = VecDeque::new();
            for step in 0..4000 {
                let v = elem(rnd(40));
                let len = m.len() as i64;
                let idx = rnd(2 * m.len() + 3) as i64 - len - 1;
                match rnd(10) {
                    0 | 1 => {
                        l.push_back(&v);
                        m.push_back(v);
                    }
                    2 | 3 => {
                        l.push_front(&v);
                        m.push_front(v);
                    }
                    4 => assert_eq!(l.pop_front(), m.pop_front()),
                    5 => assert_eq!(l.pop_back(), m.pop_back()),
                    6 => {
                        let i = l.normalize(idx);
                        assert_eq!(l.set(idx, &v), i.is_some());
                        if let Some(i) = i {
                            m[i] = v;
                        }
                    }
                    7 => {
                        let i = l.normalize(idx);
                        assert_eq!(l.get(idx).map(|e| e.to_vec()), i.map(|i| m[i].clone()));
                    }
                    8 => {
                        let pivot = elem(rnd(40));
                        let after = rnd(2) == 0;
                        let at = m.iter().position(|e| *e == pivot);
                        assert_eq!(l.insert(&pivot, &v, after), at.is_some());
                        if let Some(at) = at {
                            m.insert(at + after as usize, v);
                        }
                    }
                    _ => {
                        let limit = rnd(3);
                        let from_tail = rnd(2) == 0;
                        let mut removed = 0;
                        let mut keep: Vec<bool> = vec![true; m.len()];
                        let order: Vec<usize> = if from_tail {
                            (0..m.len()).rev().collect()
                        } else {
                            (0..m.len()).collect()
                        };
                        for i in order {
                            if (limit == 0 || removed < limit) && m[i] == v {
                                keep[i] = false;
                                removed += 1;
                            }
                        }
                        let mut it = keep.iter();
                        m.retain(|_| *it.next().unwrap_or(&true));
                        assert_eq!(l.remove(&v, limit, from_tail), removed);
                    }
                }
                if step % 97 == 0 {
                    assert_eq!(check(&l), m.iter().cloned().collect::<Vec<_>>());
                }
            }
            assert_eq!(check(&l), m.iter().cloned().collect::<Vec<_>>());
        }
    }

    #[test]
    fn front_push_reuses_dead_space() {
        let mut l = List::new(-2);
        for _ in 0..100 {
            l.push_back(b"abcdef");
        }
        for _ in 0..50 {
            l.pop_front();
        }
        let cap = l.nodes[0].buf.capacity();
        for _ in 0..50 {
            l.push_front(b"ghijkl");
        }
        assert_eq!(l.nodes[0].buf.capacity(), cap);
        assert_eq!(check(&l).len(), 100);
        assert!(l.mem_usage() < 8192);
    }
}
