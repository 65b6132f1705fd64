//! The sorted set value type (Redis's t_zset.c data side).
//!
//! A sorted set maps unique members (byte strings) to f64 scores and keeps
//! them ordered by (score, member), members compared as raw bytes. Two
//! encodings, as `OBJECT ENCODING` reports them:
//!
//! - `listpack`: one contiguous, sorted byte buffer, used while the set has
//!   at most `zset-max-listpack-entries` members of at most
//!   `zset-max-listpack-value` bytes each. Every operation is a linear walk,
//!   which is what Redis does too and is cheap at these sizes.
//! - `skiplist`: a hash index member → node for O(1) lookups plus a
//!   skiplist with span counts (Redis's zskiplist) for O(log n) rank and
//!   range operations, sharing one arena of nodes (see [`Big`]).
//!
//! A set converts from listpack to skiplist when an insertion breaks either
//! limit and never converts back; only commands that build a fresh
//! destination (ZUNIONSTORE, ZRANGESTORE...) choose the encoding anew, see
//! [`ZSet::fresh`].
//!
//! Listpack quirk copied from Redis 7.0: a listpack stores scores as text
//! and `-0` comes back as integer `0`, so a `-0` score reads back as `0` in
//! the listpack encoding while the skiplist keeps `-0`.
//!
//! Everything here works with ascending 0-based ranks; commands translate
//! REV and negative indexes before calling in. This module does no I/O and
//! builds no replies.

use super::dict::{
    hash_bytes, random_u64, resize_allowed, FORCE_RESIZE_RATIO, INITIAL_SIZE, MIN_FILL_PERCENT,
};
use super::thin::{PackedBytes, Pick, ThinOrBoxed, ThinPointer};

/// The conversion thresholds (from the config), clamped to be non-negative.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// zset-max-listpack-entries.
    pub max_entries: usize,
    /// zset-max-listpack-value.
    pub max_value: usize,
}

impl Limits {
    pub fn new(max_entries: i64, max_value: i64) -> Limits {
        Limits {
            max_entries: max_entries.max(0) as usize,
            max_value: max_value.max(0) as usize,
        }
    }
}

/// A sorted set: a listpack, or a boxed skiplist, in one word (so a
/// small zset costs its packed bytes and nothing else).
#[derive(Clone)]
pub struct ZSet(ThinOrBoxed<Listpack, Big>);

/// A sorted set seen in its current encoding.
enum Enc<'a> {
    Listpack(&'a Listpack),
    Skiplist(&'a Big),
}

/// The same, mutable.
enum EncMut<'a> {
    Listpack(&'a mut Listpack),
    Skiplist(&'a mut Big),
}

/// A listpack never grows past this (Redis's own safety limit): past it an
/// addition converts to the skiplist whatever the configured limits say.
const LISTPACK_SAFETY_LIMIT: usize = 1 << 30;

/// What [`ZSet::upsert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Updated,
    Unchanged,
}

/// The (score, member) order: scores with `<` (so -0 == 0), then bytes.
#[inline]
fn before(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> bool {
    s1 < s2 || (s1 == s2 && m1 < m2)
}

// ---------------------------------------------------------------------------
// Listpack
// ---------------------------------------------------------------------------

/// The compact encoding: entries sorted by (score, member) in one buffer.
///
/// ```text
/// buf: | score | len: varint | member: len bytes | score ... |
/// score: varint (zigzag(n) << 1)             an integral score n, |n| <= 2^53
///        varint 1, then f64 LE (8 bytes)     any other score
/// ```
///
/// Small integral scores, the common case (ranks, counters, timestamps),
/// take one to four bytes instead of eight, as Redis's listpack stores
/// them as integers.
#[derive(Debug, Clone, PartialEq, Default)]
#[repr(transparent)]
pub struct Listpack {
    /// Exactly the encoded entries; `aux` is their number.
    buf: PackedBytes,
}

// SAFETY: repr(transparent) over PackedBytes, which is a ThinPointer.
unsafe impl ThinPointer for Listpack {}

/// One decoded listpack entry and where it sits in the buffer.
struct LpEntry<'a> {
    start: usize,
    end: usize,
    member: &'a [u8],
    score: f64,
}

impl Listpack {
    fn iter(&self) -> LpIter<'_> {
        LpIter {
            buf: &self.buf,
            pos: 0,
        }
    }

    fn find(&self, member: &[u8]) -> Option<LpEntry<'_>> {
        self.iter().find(|e| e.member == member)
    }

    #[inline]
    fn len(&self) -> usize {
        self.buf.aux() as usize
    }

    /// Whether adding `member` keeps the listpack within `lim` and under
    /// the safety limit.
    fn has_room_for(&self, member: &[u8], lim: Limits) -> bool {
        self.len() < lim.max_entries
            && member.len() <= lim.max_value
            && self.buf.len() + member.len() + MAX_ENTRY_OVERHEAD <= LISTPACK_SAFETY_LIMIT
    }

    /// Insert a member known to be absent. `-0` is stored as `0` (see the
    /// module notes).
    fn insert(&mut self, member: &[u8], score: f64) {
        let score = if score == 0.0 { 0.0 } else { score };
        let at = self
            .iter()
            .find(|e| !before(e.score, e.member, score, member))
            .map_or(self.buf.len(), |e| e.start);
        let mut enc = Vec::with_capacity(MAX_ENTRY_OVERHEAD + member.len());
        put_entry(&mut enc, member, score);
        // Exact growth: small zsets are many, and doubling slack would cost
        // more than the data (Redis's listpack also grows to the exact size).
        self.buf.splice(at, at, &enc);
        self.buf.set_aux(self.buf.aux() + 1);
    }

    /// A listpack of `unique` (members unique, any order; sorted by the
    /// call when they fit) built in one allocation, or None, `unique`
    /// untouched, when it would break `lim` or the safety limit.
    fn fitting(unique: &mut [(Vec<u8>, f64)], lim: Limits) -> Option<Listpack> {
        let bytes: usize = unique
            .iter()
            .map(|(m, _)| m.len() + MAX_ENTRY_OVERHEAD)
            .sum();
        let fits = unique.len() <= lim.max_entries
            && unique.iter().all(|(m, _)| m.len() <= lim.max_value)
            && bytes <= LISTPACK_SAFETY_LIMIT;
        if !fits {
            return None;
        }
        // total_cmp orders -0 before 0; the listpack stores both as 0 and
        // orders them by member (see the module notes).
        for e in unique.iter_mut() {
            if e.1 == 0.0 {
                e.1 = 0.0;
            }
        }
        unique.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Some(Listpack::from_sorted(unique))
    }

    /// A listpack of entries already sorted by (score, member), members
    /// unique, built in one allocation.
    fn from_sorted(entries: &[(Vec<u8>, f64)]) -> Listpack {
        let size = entries
            .iter()
            .map(|(m, _)| m.len() + MAX_ENTRY_OVERHEAD)
            .sum();
        let mut enc = Vec::with_capacity(size);
        for (m, s) in entries {
            put_entry(&mut enc, m, *s);
        }
        Listpack {
            buf: PackedBytes::new(&enc, entries.len() as u32),
        }
    }

    /// Drop the entry at `start..end`.
    fn remove_at(&mut self, start: usize, end: usize) {
        self.buf.splice(start, end, &[]);
        self.buf.set_aux(self.buf.aux() - 1);
    }

    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (start, end, score) = {
            let e = self.find(member)?;
            (e.start, e.end, e.score)
        };
        self.remove_at(start, end);
        Some(score)
    }
}

/// Bytes an entry takes beyond its member, at most: a tagged f64 score and
/// a 64-bit varint length.
const MAX_ENTRY_OVERHEAD: usize = 1 + 8 + 10;

/// Appends one entry (`-0` stored as `0`, see the module notes).
fn put_entry(out: &mut Vec<u8>, member: &[u8], score: f64) {
    let score = if score == 0.0 { 0.0 } else { score };
    put_score(out, score);
    put_varint(out, member.len() as u64);
    out.extend_from_slice(member);
}

/// Largest integral score stored as an integer: every integer up to 2^53
/// is an exact f64, so it reads back as the same score.
const INT_SCORE_MAX: f64 = (1u64 << 53) as f64;

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint at `*p`, advancing it; None past the end.
fn read_varint(buf: &[u8], p: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = *buf.get(*p)?;
        *p += 1;
        n |= ((b & 0x7f) as u64) << shift.min(63);
        shift += 7;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
}

fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Appends `score` in the entry form of the [`Listpack`] layout.
fn put_score(out: &mut Vec<u8>, score: f64) {
    if score.fract() == 0.0 && score.abs() <= INT_SCORE_MAX {
        let n = score as i64;
        let zigzag = ((n << 1) ^ (n >> 63)) as u64;
        put_varint(out, zigzag << 1);
    } else {
        out.push(1);
        out.extend_from_slice(&score.to_le_bytes());
    }
}

struct LpIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for LpIter<'a> {
    type Item = LpEntry<'a>;

    fn next(&mut self) -> Option<LpEntry<'a>> {
        let start = self.pos;
        // The buffer is only ever written by `Listpack::insert`, so every
        // entry is complete; `get` keeps a corrupt buffer from panicking.
        let mut p = start;
        let head = read_varint(self.buf, &mut p)?;
        let score = if head & 1 == 0 {
            unzigzag(head >> 1) as f64
        } else {
            let sb: [u8; 8] = self.buf.get(p..p + 8)?.try_into().ok()?;
            p += 8;
            f64::from_le_bytes(sb)
        };
        let len = read_varint(self.buf, &mut p)? as usize;
        let member = self.buf.get(p..p.checked_add(len)?)?;
        self.pos = p + len;
        Some(LpEntry {
            start,
            end: self.pos,
            member,
            score,
        })
    }
}

// ---------------------------------------------------------------------------
// Skiplist + member index (the big encoding)
// ---------------------------------------------------------------------------
//
// Redis keeps a big zset as two structures sharing one sds: a dict
// member → score and a skiplist of nodes pointing at the same string. We
// keep a single copy of everything in an arena of nodes and make both
// structures index into it:
//
// ```text
//   nodes (arena, chunks of 1024) ─ slot: Node {
//       member: Box<[u8]>        the only copy of the member
//       score: f64
//       l0: {forward, span}      level 0 inline: 3/4 of nodes have no other
//       height, tower            levels 1.. : a run of height-1 links in
//                                `towers` starting at index `tower`
//       backward: u32            previous node on level 0
//       hnext: u32               next node in the same hash bucket
//   }                            (or the next free slot once freed)
//
//   towers (chunks of 4096) ─ UpLink {forward, span, fwd_tower, fwd_score}
//
//   ht[0], ht[1]: bucket heads (u32 node indexes), chained through hnext;
//   ht[1] only while an incremental rehash runs, exactly like `Dict`.
// ```
//
// A link above level 0 also carries its target's tower and score, so a
// search crosses the upper levels from tower to tower, one cache miss per
// step, and a comparison that ends a level costs none; only equal scores
// look at the node (its member). Redis's nodes hold their levels inline
// and pay one miss per comparison; levels in a separate box, as we had
// them, cost two per step.
//
// A node costs 48 bytes plus its member's bytes (plus 24 bytes per extra
// level, a third of a level per node on average), and the index 4–8 bytes
// per member: no per-entry dict allocation, no second copy of the member.
// An insertion allocates only the member; lookups hash once and reuse the
// hash for the insertion.
//
// The index keeps `Dict`'s contract where commands can see it: power-of-two
// tables grown at load factor 1 (5 while a fork forbids resizing), shrunk
// below 10% fill after removals, rehashed one bucket per write, and ZSCAN's
// reverse-binary cursor with the same guarantees.

/// Skiplist levels: enough for 2^64 elements at p = 1/4.
const MAX_LEVEL: usize = 32;
/// "No node": the end of a level, of a hash chain or of the free list.
const NIL: u32 = u32::MAX;
/// The header node's arena index.
const HEAD: u32 = 0;
/// Arena chunks hold 2^CHUNK_BITS nodes, so growth wastes at most one
/// partly filled chunk instead of the half a doubling `Vec` can leave idle,
/// and never copies the nodes already stored.
const CHUNK_BITS: u32 = 10;
const CHUNK: usize = 1 << CHUNK_BITS;

/// One forward link of a node. Spans fit in u32 because node indexes do.
#[derive(Debug, Clone, Copy)]
struct Level {
    forward: u32,
    /// How many rank positions the link jumps over.
    span: u32,
}

const UNLINKED: Level = Level {
    forward: NIL,
    span: 0,
};

#[derive(Debug, Clone)]
struct Node {
    member: Box<[u8]>,
    score: f64,
    /// Levels in all, 1 to MAX_LEVEL.
    height: u32,
    /// First link of levels 1.. in `Towers` (NIL when height is 1).
    tower: u32,
    /// Previous node on level 0 (NIL for the first).
    backward: u32,
    /// Next node in this node's hash bucket; for a free slot, the next
    /// free slot.
    hnext: u32,
    l0: Level,
}

/// A link above level 0: `Level` plus what a search needs of its target.
#[derive(Debug, Clone, Copy)]
struct UpLink {
    forward: u32,
    span: u32,
    /// `forward`'s tower, so a search moves on without touching its node.
    fwd_tower: u32,
    /// `forward`'s score: most comparisons end here.
    fwd_score: f64,
}

const UP_UNLINKED: UpLink = UpLink {
    forward: NIL,
    span: 0,
    fwd_tower: NIL,
    fwd_score: 0.0,
};

/// `Towers` chunks hold 2^TOWER_CHUNK_BITS links; a run never straddles
/// two chunks (at most MAX_LEVEL - 2 slots are left unused at a chunk's end).
const TOWER_CHUNK_BITS: u32 = 12;
const TOWER_CHUNK: usize = 1 << TOWER_CHUNK_BITS;

/// The upper levels of every node, in runs of consecutive links addressed
/// by the index of their first link. Freed runs are kept per length and
/// reused by the next node of that height.
#[derive(Debug, Clone)]
struct Towers {
    /// As in `Arena`: the first chunk grows like a `Vec`, later ones are
    /// allocated at their full size once.
    chunks: Vec<Vec<UpLink>>,
    /// Heads of the free runs by length, linked through their first link's
    /// `forward`.
    free: [u32; MAX_LEVEL],
}

impl Towers {
    fn new() -> Towers {
        Towers {
            chunks: Vec::new(),
            free: [NIL; MAX_LEVEL],
        }
    }

    /// Link `i` of the run starting at `t`.
    #[inline]
    fn get(&self, t: u32, i: usize) -> &UpLink {
        &self.chunks[(t >> TOWER_CHUNK_BITS) as usize][(t as usize & (TOWER_CHUNK - 1)) + i]
    }

    #[inline]
    fn get_mut(&mut self, t: u32, i: usize) -> &mut UpLink {
        &mut self.chunks[(t >> TOWER_CHUNK_BITS) as usize][(t as usize & (TOWER_CHUNK - 1)) + i]
    }

    /// A run of `len` unlinked links (0 < len < MAX_LEVEL).
    fn alloc(&mut self, len: usize) -> u32 {
        let head = self.free[len];
        if head != NIL {
            self.free[len] = self.get(head, 0).forward;
            for i in 0..len {
                *self.get_mut(head, i) = UP_UNLINKED;
            }
            return head;
        }
        let n = self.chunks.len();
        match self.chunks.last_mut() {
            Some(c) if c.len() + len <= TOWER_CHUNK => {
                let t = (n - 1) * TOWER_CHUNK + c.len();
                c.resize(c.len() + len, UP_UNLINKED);
                t as u32
            }
            _ => {
                let mut c = Vec::with_capacity(if n == 0 { 2 * MAX_LEVEL } else { TOWER_CHUNK });
                c.resize(len, UP_UNLINKED);
                self.chunks.push(c);
                (n * TOWER_CHUNK) as u32
            }
        }
    }

    /// Give back the run of `len` links at `t`.
    fn release(&mut self, t: u32, len: usize) {
        self.get_mut(t, 0).forward = self.free[len];
        self.free[len] = t;
    }

    fn bytes(&self) -> usize {
        chunked_bytes(&self.chunks)
    }
}

/// Bytes held by chunked storage (`Towers`, `Arena`): the chunk list and
/// every chunk's slots, used or not.
fn chunked_bytes<T>(chunks: &Vec<Vec<T>>) -> usize {
    chunks.capacity() * std::mem::size_of::<Vec<T>>()
        + chunks
            .iter()
            .map(|c| c.capacity() * std::mem::size_of::<T>())
            .sum::<usize>()
}

/// Node storage addressed by u32 indexes.
#[derive(Debug, Clone, Default)]
struct Arena {
    /// Every chunk but the last is full. The first grows like a `Vec` (so a
    /// zset just past the listpack limit stays small); later ones are
    /// allocated at their full size once.
    chunks: Vec<Vec<Node>>,
}

impl Arena {
    #[inline]
    fn get(&self, i: u32) -> &Node {
        &self.chunks[(i >> CHUNK_BITS) as usize][i as usize & (CHUNK - 1)]
    }

    #[inline]
    fn get_mut(&mut self, i: u32) -> &mut Node {
        &mut self.chunks[(i >> CHUNK_BITS) as usize][i as usize & (CHUNK - 1)]
    }

    fn push(&mut self, n: Node) -> u32 {
        let full = self.chunks.len().saturating_sub(1) * CHUNK;
        match self.chunks.last_mut() {
            Some(c) if c.len() < CHUNK => {
                let i = full + c.len();
                c.push(n);
                i as u32
            }
            _ => {
                let i = self.chunks.len() * CHUNK;
                // NIL stays unused: 2^32 - 1 nodes would need > 200 GB.
                debug_assert!(i < NIL as usize);
                let mut c = Vec::with_capacity(if self.chunks.is_empty() { 4 } else { CHUNK });
                c.push(n);
                self.chunks.push(c);
                i as u32
            }
        }
    }

    /// Bytes held by the node slots (not what the nodes point to).
    fn bytes(&self) -> usize {
        chunked_bytes(&self.chunks)
    }
}

/// The big encoding: Redis's zskiplist (with span counts for O(log n)
/// ranks) plus a chained hash index member → node for O(1) lookups.
#[derive(Debug, Clone)]
pub struct Big {
    nodes: Arena,
    towers: Towers,
    /// Head of the free-slot list, linked through `hnext`.
    free: u32,
    tail: u32,
    len: usize,
    /// Skiplist levels in use (at least 1).
    level: usize,
    /// Bucket heads of the index tables (see the section notes).
    ht: [Vec<u32>; 2],
    ht_used: [usize; 2],
    /// While rehashing: ht[0] buckets below this are already moved.
    rehash_idx: Option<usize>,
    /// Member bytes, for MEMORY USAGE.
    heap_bytes: usize,
}

impl PartialEq for Big {
    fn eq(&self, other: &Big) -> bool {
        if self.len != other.len {
            return false;
        }
        let (mut x, mut y) = (self.lv(HEAD, 0).forward, other.lv(HEAD, 0).forward);
        while x != NIL && y != NIL {
            let (a, b) = (self.nodes.get(x), other.nodes.get(y));
            if a.member != b.member || a.score.to_bits() != b.score.to_bits() {
                return false;
            }
            (x, y) = (a.l0.forward, b.l0.forward);
        }
        x == y
    }
}

/// A skiplist level for a new node: each extra level with probability 1/4
/// (Redis's ZSKIPLIST_P), two random bits per level.
fn random_level() -> usize {
    let r = random_u64();
    let mut lvl = 1;
    while lvl < MAX_LEVEL && (r >> (2 * (lvl - 1))) & 3 == 0 {
        lvl += 1;
    }
    lvl
}

/// Reverse-binary increment of a SCAN cursor under `mask` (as `Dict`).
#[inline]
fn next_cursor(v: u64, mask: u64) -> u64 {
    (v | !mask).reverse_bits().wrapping_add(1).reverse_bits()
}

impl Big {
    fn new() -> Big {
        let mut towers = Towers::new();
        let head = Node {
            member: Box::default(),
            score: 0.0,
            height: MAX_LEVEL as u32,
            tower: towers.alloc(MAX_LEVEL - 1),
            backward: NIL,
            hnext: NIL,
            l0: UNLINKED,
        };
        let mut nodes = Arena::default();
        nodes.push(head);
        Big {
            nodes,
            towers,
            free: NIL,
            tail: NIL,
            len: 0,
            level: 1,
            ht: [Vec::new(), Vec::new()],
            ht_used: [0, 0],
            rehash_idx: None,
            heap_bytes: 0,
        }
    }

    // -- skiplist ---------------------------------------------------------------

    /// Link `i` of node `x` (which must have that many levels).
    #[inline]
    fn lv(&self, x: u32, i: usize) -> Level {
        let n = self.nodes.get(x);
        if i == 0 {
            n.l0
        } else {
            let u = self.towers.get(n.tower, i - 1);
            Level {
                forward: u.forward,
                span: u.span,
            }
        }
    }

    /// Point link `i` of node `x` at `forward`, jumping `span` ranks (above
    /// level 0, with `forward`'s tower and score beside it).
    fn set_link(&mut self, x: u32, i: usize, forward: u32, span: u32) {
        if i == 0 {
            self.nodes.get_mut(x).l0 = Level { forward, span };
            return;
        }
        let (fwd_tower, fwd_score) = match forward {
            NIL => (NIL, 0.0),
            f => {
                let n = self.nodes.get(f);
                (n.tower, n.score)
            }
        };
        let t = self.nodes.get(x).tower;
        *self.towers.get_mut(t, i - 1) = UpLink {
            forward,
            span,
            fwd_tower,
            fwd_score,
        };
    }

    #[inline]
    fn span_mut(&mut self, x: u32, i: usize) -> &mut u32 {
        if i == 0 {
            &mut self.nodes.get_mut(x).l0.span
        } else {
            let t = self.nodes.get(x).tower;
            &mut self.towers.get_mut(t, i - 1).span
        }
    }

    /// For each level, the last node before (score, member), and its rank.
    fn find_update(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [u32; MAX_LEVEL]) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let (mut x, mut xt) = (HEAD, self.nodes.get(HEAD).tower);
        for i in (1..self.level).rev() {
            rank[i] = if i + 1 == self.level { 0 } else { rank[i + 1] };
            loop {
                let l = self.towers.get(xt, i - 1);
                if l.forward == NIL
                    || l.fwd_score > score
                    || (l.fwd_score == score && *self.nodes.get(l.forward).member >= *member)
                {
                    break;
                }
                rank[i] += l.span;
                (x, xt) = (l.forward, l.fwd_tower);
            }
            update[i] = x;
        }
        rank[0] = if self.level > 1 { rank[1] } else { 0 };
        loop {
            let l = self.nodes.get(x).l0;
            if l.forward == NIL {
                break;
            }
            let n = self.nodes.get(l.forward);
            if !before(n.score, &n.member, score, member) {
                break;
            }
            rank[0] += l.span;
            x = l.forward;
        }
        update[0] = x;
        (update, rank)
    }

    /// Link node `x` (member, score and levels set, links stale) into the
    /// skiplist at its (score, member) position.
    fn link(&mut self, x: u32) {
        let lvl = self.nodes.get(x).height as usize;
        let (mut update, mut rank) = {
            let n = self.nodes.get(x);
            self.find_update(n.score, &n.member)
        };
        if lvl > self.level {
            for i in self.level..lvl {
                rank[i] = 0;
                update[i] = HEAD;
                *self.span_mut(HEAD, i) = self.len as u32;
            }
            self.level = lvl;
        }
        for i in 0..lvl {
            let ul = self.lv(update[i], i);
            self.set_link(x, i, ul.forward, ul.span - (rank[0] - rank[i]));
            self.set_link(update[i], i, x, rank[0] - rank[i] + 1);
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(lvl) {
            *self.span_mut(u, i) += 1;
        }
        self.nodes.get_mut(x).backward = if update[0] == HEAD { NIL } else { update[0] };
        let next = self.lv(x, 0).forward;
        if next == NIL {
            self.tail = x;
        } else {
            self.nodes.get_mut(next).backward = x;
        }
        self.len += 1;
    }

    /// Take node `x` out of the skiplist; `update` is its `find_update`.
    /// The node keeps its member, score and level count.
    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let ul = self.lv(u, i);
            if ul.forward == x {
                let xl = self.lv(x, i);
                self.set_link(u, i, xl.forward, ul.span + xl.span - 1);
            } else {
                *self.span_mut(u, i) -= 1;
            }
        }
        let next = self.lv(x, 0).forward;
        let back = self.nodes.get(x).backward;
        if next == NIL {
            self.tail = back;
        } else {
            self.nodes.get_mut(next).backward = back;
        }
        while self.level > 1 && self.lv(HEAD, self.level - 1).forward == NIL {
            self.level -= 1;
        }
        self.len -= 1;
    }

    /// The number of leading elements for which `pred` holds; `pred` must
    /// hold for a prefix of the order (true ... true false ... false).
    fn count_while(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        let (mut x, mut xt) = (HEAD, self.nodes.get(HEAD).tower);
        let mut rank = 0usize;
        for i in (1..self.level).rev() {
            loop {
                let l = self.towers.get(xt, i - 1);
                if l.forward == NIL || !pred(l.fwd_score, &self.nodes.get(l.forward).member) {
                    break;
                }
                rank += l.span as usize;
                (x, xt) = (l.forward, l.fwd_tower);
            }
        }
        loop {
            let l = self.nodes.get(x).l0;
            if l.forward == NIL {
                break;
            }
            let n = self.nodes.get(l.forward);
            if !pred(n.score, &n.member) {
                break;
            }
            rank += l.span as usize;
            x = l.forward;
        }
        rank
    }

    /// The node at 0-based rank `r` (NIL unless r < len).
    fn by_rank(&self, r: usize) -> u32 {
        let target = r + 1;
        let (mut x, mut xt) = (HEAD, self.nodes.get(HEAD).tower);
        let mut traversed = 0usize;
        for i in (1..self.level).rev() {
            loop {
                let l = self.towers.get(xt, i - 1);
                if l.forward == NIL || traversed + l.span as usize > target {
                    break;
                }
                traversed += l.span as usize;
                (x, xt) = (l.forward, l.fwd_tower);
            }
            if traversed == target {
                return x;
            }
        }
        loop {
            let l = self.nodes.get(x).l0;
            if l.forward == NIL || traversed + l.span as usize > target {
                break;
            }
            traversed += l.span as usize;
            x = l.forward;
        }
        if traversed == target {
            x
        } else {
            NIL
        }
    }

    // -- slots ------------------------------------------------------------------

    /// A node for (member, score) with a random level, not linked anywhere.
    fn alloc_node(&mut self, member: Box<[u8]>, score: f64) -> u32 {
        let height = random_level();
        let tower = if height > 1 {
            self.towers.alloc(height - 1)
        } else {
            NIL
        };
        self.heap_bytes += member.len();
        let node = Node {
            member,
            score,
            height: height as u32,
            tower,
            backward: NIL,
            hnext: NIL,
            l0: UNLINKED,
        };
        if self.free == NIL {
            self.nodes.push(node)
        } else {
            let x = self.free;
            let slot = self.nodes.get_mut(x);
            self.free = slot.hnext;
            *slot = node;
            x
        }
    }

    /// Put unlinked node `x` on the free list, handing back its member. The
    /// slot's heap memory is released now; the slot itself is reused.
    fn free_node(&mut self, x: u32) -> Box<[u8]> {
        let free = self.free;
        let n = self.nodes.get_mut(x);
        let member = std::mem::take(&mut n.member);
        let (tower, height) = (n.tower, n.height as usize);
        (n.tower, n.height) = (NIL, 1);
        n.hnext = free;
        self.free = x;
        if height > 1 {
            self.towers.release(tower, height - 1);
        }
        self.heap_bytes -= member.len();
        member
    }

    // -- member index -------------------------------------------------------------

    /// The node holding `member` (whose hash is `h`), or NIL.
    fn find(&self, member: &[u8], h: u64) -> u32 {
        let tables = if self.rehash_idx.is_some() { 2 } else { 1 };
        for t in &self.ht[..tables] {
            if t.is_empty() {
                continue;
            }
            let mut x = t[h as usize & (t.len() - 1)];
            while x != NIL {
                let n = self.nodes.get(x);
                if *n.member == *member {
                    return x;
                }
                x = n.hnext;
            }
        }
        NIL
    }

    /// Allocate a table of at least `min` buckets (Dict's `resize_to`):
    /// directly when ht[0] is empty, else as ht[1] with a rehash started.
    fn resize_to(&mut self, min: usize) {
        if self.rehash_idx.is_some() || min < self.ht_used[0] {
            return;
        }
        let size = min.max(INITIAL_SIZE).next_power_of_two();
        if size == self.ht[0].len() {
            return;
        }
        if self.ht_used[0] == 0 {
            self.ht[0] = vec![NIL; size];
        } else {
            self.ht[1] = vec![NIL; size];
            self.rehash_idx = Some(0);
        }
    }

    /// Move one bucket of ht[0] to ht[1], looking at no more than 10 empty
    /// ones (Redis's `_dictRehashStep`); finish by making ht[1] the table.
    fn rehash_step(&mut self) {
        let Some(mut idx) = self.rehash_idx else {
            return;
        };
        if self.ht_used[0] > 0 {
            let mut empty_visits = 10;
            // In bounds: ht[0] still holds nodes, all at or above `idx`.
            while self.ht[0][idx] == NIL {
                idx += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    self.rehash_idx = Some(idx);
                    return;
                }
            }
            // When shrinking the new bucket is the old one's low bits.
            let shrinking = self.ht[1].len() < self.ht[0].len();
            let mask1 = self.ht[1].len() - 1;
            let mut x = std::mem::replace(&mut self.ht[0][idx], NIL);
            while x != NIL {
                let n = self.nodes.get(x);
                let next = n.hnext;
                let dst = if shrinking {
                    idx & mask1
                } else {
                    hash_bytes(&n.member) as usize & mask1
                };
                self.nodes.get_mut(x).hnext = self.ht[1][dst];
                self.ht[1][dst] = x;
                self.ht_used[0] -= 1;
                self.ht_used[1] += 1;
                x = next;
            }
            idx += 1;
        }
        if self.ht_used[0] == 0 {
            self.ht[0] = std::mem::take(&mut self.ht[1]);
            self.ht_used = [self.ht_used[1], 0];
            self.rehash_idx = None;
        } else {
            self.rehash_idx = Some(idx);
        }
    }

    /// Add node `x` (member hash `h`) to the index, growing first if the
    /// load factor reached 1 (Redis's `_dictExpandIfNeeded`).
    fn index_add(&mut self, x: u32, h: u64) {
        if self.rehash_idx.is_none() {
            let size = self.ht[0].len();
            let used = self.ht_used[0];
            if size == 0 {
                self.resize_to(INITIAL_SIZE);
            } else if used >= size && (resize_allowed() || used / size > FORCE_RESIZE_RATIO) {
                self.resize_to(used + 1);
            }
        }
        self.rehash_step();
        let t = usize::from(self.rehash_idx.is_some());
        let b = h as usize & (self.ht[t].len() - 1);
        self.nodes.get_mut(x).hnext = self.ht[t][b];
        self.ht[t][b] = x;
        self.ht_used[t] += 1;
    }

    /// Take node `x` (member hash `h`) out of the index, then shrink the
    /// table if it fell below 10% fill (Redis resizes a zset's dict after
    /// each removal; the cron only shrinks the keyspace tables).
    fn index_remove(&mut self, x: u32, h: u64) {
        self.rehash_step();
        'tables: for t in 0..2 {
            if self.ht[t].is_empty() {
                continue;
            }
            let b = h as usize & (self.ht[t].len() - 1);
            let (mut prev, mut cur) = (NIL, self.ht[t][b]);
            while cur != NIL {
                let next = self.nodes.get(cur).hnext;
                if cur == x {
                    if prev == NIL {
                        self.ht[t][b] = next;
                    } else {
                        self.nodes.get_mut(prev).hnext = next;
                    }
                    self.ht_used[t] -= 1;
                    break 'tables;
                }
                (prev, cur) = (cur, next);
            }
        }
        if resize_allowed() && self.rehash_idx.is_none() {
            let size = self.ht[0].len();
            let used = self.ht_used[0];
            if size > INITIAL_SIZE && used * 100 / size < MIN_FILL_PERCENT {
                self.resize_to(used.max(INITIAL_SIZE));
            }
        }
    }

    // -- the operations ZSet uses -------------------------------------------------

    /// The score of `member`.
    fn score(&self, member: &[u8]) -> Option<f64> {
        match self.find(member, hash_bytes(member)) {
            NIL => None,
            x => Some(self.nodes.get(x).score),
        }
    }

    /// Add a member known to be absent; `h` is its hash.
    fn insert_new(&mut self, member: Box<[u8]>, score: f64, h: u64) {
        let x = self.alloc_node(member, score);
        self.link(x);
        self.index_add(x, h);
    }

    /// Set `member`'s score, adding it if absent. Returns true if added.
    fn set(&mut self, member: &[u8], score: f64) -> bool {
        let h = hash_bytes(member);
        match self.find(member, h) {
            NIL => {
                self.insert_new(member.into(), score, h);
                true
            }
            x => {
                self.update_score(x, score);
                false
            }
        }
    }

    /// Give node `x` a new score (bit-exact; -0 and 0 differ), moving it
    /// only if its neighbours no longer bracket the score (Redis's
    /// `zslUpdateScore`). The node, its member and its levels are reused.
    fn update_score(&mut self, x: u32, score: f64) {
        let n = self.nodes.get(x);
        if n.score.to_bits() == score.to_bits() {
            return;
        }
        let (back, next) = (n.backward, n.l0.forward);
        // In place when the order holds and no link carries the old score
        // (only links above level 0 do).
        if n.height == 1
            && (back == NIL || self.nodes.get(back).score < score)
            && (next == NIL || self.nodes.get(next).score > score)
        {
            self.nodes.get_mut(x).score = score;
            return;
        }
        let (update, _) = self.find_update(n.score, &n.member);
        self.unlink(x, &update);
        self.nodes.get_mut(x).score = score;
        self.link(x);
    }

    /// Remove node `x` everywhere; `update` is its `find_update`.
    fn remove_node(&mut self, x: u32, update: &[u32; MAX_LEVEL]) -> (Box<[u8]>, f64) {
        self.unlink(x, update);
        let h = hash_bytes(&self.nodes.get(x).member);
        self.index_remove(x, h);
        let score = self.nodes.get(x).score;
        (self.free_node(x), score)
    }

    /// Remove `member`; returns its score if it was there.
    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let x = self.find(member, hash_bytes(member));
        if x == NIL {
            return None;
        }
        let score = self.nodes.get(x).score;
        let (update, _) = self.find_update(score, member);
        self.remove_node(x, &update);
        Some(score)
    }

    /// Remove and return the first (or with `max` the last) element.
    fn pop(&mut self, max: bool) -> Option<(Box<[u8]>, f64)> {
        if self.len == 0 {
            return None;
        }
        if max {
            let x = self.tail;
            let (update, _) = {
                let n = self.nodes.get(x);
                self.find_update(n.score, &n.member)
            };
            Some(self.remove_node(x, &update))
        } else {
            // The first node's predecessor is the header on every level.
            let x = self.lv(HEAD, 0).forward;
            Some(self.remove_node(x, &[HEAD; MAX_LEVEL]))
        }
    }

    /// Visit every node of the chain starting at `x`.
    fn visit_chain(&self, mut x: u32, f: &mut impl FnMut(&[u8], f64)) {
        while x != NIL {
            let n = self.nodes.get(x);
            f(&n.member, n.score);
            x = n.hnext;
        }
    }

    /// One ZSCAN step over the index (the algorithm of `Dict::scan`).
    fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], f64)) -> u64 {
        if self.len == 0 {
            return 0;
        }
        let mut v = cursor;
        if self.rehash_idx.is_none() {
            let m0 = (self.ht[0].len() - 1) as u64;
            self.visit_chain(self.ht[0][(v & m0) as usize], &mut f);
            return next_cursor(v, m0);
        }
        let (small, large) = if self.ht[0].len() <= self.ht[1].len() {
            (&self.ht[0], &self.ht[1])
        } else {
            (&self.ht[1], &self.ht[0])
        };
        let m0 = (small.len() - 1) as u64;
        let m1 = (large.len() - 1) as u64;
        self.visit_chain(small[(v & m0) as usize], &mut f);
        // Then every bucket of the larger table that expands from it.
        loop {
            self.visit_chain(large[(v & m1) as usize], &mut f);
            v = next_cursor(v, m1);
            if v & (m0 ^ m1) == 0 {
                break;
            }
        }
        v
    }

    /// Test helper: spans add up to ranks, backward links mirror level 0,
    /// and the index finds every member.
    #[cfg(test)]
    fn check(&self) {
        let mut rank_of = std::collections::HashMap::new();
        let (mut x, mut r, mut prev) = (self.lv(HEAD, 0).forward, 1usize, NIL);
        while x != NIL {
            let n = self.nodes.get(x);
            assert_eq!(n.backward, prev);
            assert_eq!(self.find(&n.member, hash_bytes(&n.member)), x);
            rank_of.insert(x, r);
            (prev, x, r) = (x, n.l0.forward, r + 1);
        }
        assert_eq!(self.tail, prev);
        assert_eq!(rank_of.len(), self.len);
        assert_eq!(self.ht_used[0] + self.ht_used[1], self.len);
        for i in 0..self.level {
            let (mut x, mut r) = (HEAD, 0usize);
            loop {
                let l = self.lv(x, i);
                if l.forward == NIL {
                    break;
                }
                r += l.span as usize;
                assert_eq!(rank_of[&l.forward], r);
                if i > 0 {
                    let u = self.towers.get(self.nodes.get(x).tower, i - 1);
                    let f = self.nodes.get(l.forward);
                    assert_eq!(
                        (u.fwd_tower, u.fwd_score.to_bits()),
                        (f.tower, f.score.to_bits())
                    );
                }
                x = l.forward;
            }
        }
    }

    /// Approximate bytes used, for MEMORY USAGE.
    fn mem_usage(&self) -> usize {
        std::mem::size_of::<Big>()
            + self.nodes.bytes()
            + self.towers.bytes()
            + self.heap_bytes
            + (self.ht[0].capacity() + self.ht[1].capacity()) * std::mem::size_of::<u32>()
    }
}

// ---------------------------------------------------------------------------
// The sorted set API
// ---------------------------------------------------------------------------

impl Default for ZSet {
    fn default() -> Self {
        ZSet::from_listpack(Listpack::default())
    }
}

impl std::fmt::Debug for ZSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.enc() {
            Enc::Listpack(lp) => f.debug_tuple("Listpack").field(lp).finish(),
            Enc::Skiplist(b) => f.debug_tuple("Skiplist").field(b).finish(),
        }
    }
}

/// Same encoding and same contents.
impl PartialEq for ZSet {
    fn eq(&self, other: &ZSet) -> bool {
        match (self.enc(), other.enc()) {
            (Enc::Listpack(a), Enc::Listpack(b)) => a == b,
            (Enc::Skiplist(a), Enc::Skiplist(b)) => a == b,
            _ => false,
        }
    }
}

impl ZSet {
    /// Where the encoding's block lives, without reading it (for
    /// prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.0.heap_addr()
    }

    fn from_listpack(lp: Listpack) -> ZSet {
        ZSet(ThinOrBoxed::thin(lp))
    }

    fn from_big(b: Big) -> ZSet {
        ZSet(ThinOrBoxed::boxed(Box::new(b)))
    }

    #[inline]
    fn enc(&self) -> Enc<'_> {
        match self.0.get() {
            Pick::Thin(lp) => Enc::Listpack(lp),
            Pick::Boxed(b) => Enc::Skiplist(b),
        }
    }

    #[inline]
    fn enc_mut(&mut self) -> EncMut<'_> {
        match self.0.get_mut() {
            Pick::Thin(lp) => EncMut::Listpack(lp),
            Pick::Boxed(b) => EncMut::Skiplist(b),
        }
    }

    /// The empty set ZADD/ZINCRBY create (Redis 7.0): skiplist when
    /// listpacks are disabled or the first member named in the command is
    /// already too long for one.
    pub fn new_for_add(first_member_len: usize, lim: Limits) -> ZSet {
        if lim.max_entries == 0 || first_member_len > lim.max_value {
            ZSet::from_big(Big::new())
        } else {
            ZSet::default()
        }
    }

    /// A set built from scratch for a command's destination key
    /// (ZUNIONSTORE, ZRANGESTORE...) or an RDB load: listpack when the final
    /// contents fit both limits, as Redis's convert-if-needed step decides.
    /// A repeated member keeps its last score.
    pub fn fresh(entries: impl IntoIterator<Item = (Vec<u8>, f64)>, lim: Limits) -> ZSet {
        let mut v: Vec<(Vec<u8>, f64)> = entries.into_iter().collect();
        if v.len() > lim.max_entries {
            // Too many for a listpack unless members repeat: let the
            // skiplist sort it out, and convert if it does fit after all.
            let mut big = Big::new();
            for (m, s) in &v {
                big.set(m, *s);
            }
            let z = ZSet::from_big(big);
            if z.len() > lim.max_entries {
                return z;
            }
            let mut unique = Vec::with_capacity(z.len());
            z.for_each(|m, s| unique.push((m.to_vec(), s)));
            return Listpack::fitting(&mut unique, lim).map_or(z, ZSet::from_listpack);
        }
        // Members unique, the last score of a repeated member winning (the
        // stable sort keeps repeats in their original order).
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut unique: Vec<(Vec<u8>, f64)> = Vec::with_capacity(v.len());
        for e in v {
            match unique.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => unique.push(e),
            }
        }
        if let Some(lp) = Listpack::fitting(&mut unique, lim) {
            return ZSet::from_listpack(lp);
        }
        let mut big = Big::new();
        for (m, s) in unique {
            let h = hash_bytes(&m);
            big.insert_new(m.into_boxed_slice(), s, h);
        }
        ZSet::from_big(big)
    }

    /// Approximate bytes used (MEMORY USAGE).
    pub fn mem_usage(&self) -> usize {
        std::mem::size_of::<ZSet>()
            + match self.enc() {
                Enc::Listpack(lp) => lp.buf.len(),
                Enc::Skiplist(b) => b.mem_usage(),
            }
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self.enc() {
            Enc::Listpack(_) => "listpack",
            Enc::Skiplist(_) => "skiplist",
        }
    }

    pub fn len(&self) -> usize {
        match self.enc() {
            Enc::Listpack(lp) => lp.len(),
            Enc::Skiplist(b) => b.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match self.enc() {
            Enc::Listpack(lp) => lp.find(member).map(|e| e.score),
            Enc::Skiplist(b) => b.score(member),
        }
    }

    /// Convert a listpack to the skiplist encoding (no-op otherwise).
    pub fn convert_to_skiplist(&mut self) {
        if let Enc::Listpack(lp) = self.enc() {
            let mut big = Big::new();
            for e in lp.iter() {
                big.insert_new(e.member.into(), e.score, hash_bytes(e.member));
            }
            *self = ZSet::from_big(big);
        }
    }

    /// Set `member`'s score, adding it if absent. Returns true if it was
    /// added. An addition that breaks a listpack limit converts first.
    pub fn insert(&mut self, member: &[u8], score: f64, lim: Limits) -> bool {
        self.upsert(member, lim, |_| Some(score)) == Upsert::Added
    }

    /// Look `member` up once and let `decide` pick its new score from the
    /// current one (`None`: absent); `decide` returning `None` leaves the
    /// set alone. The score is stored bit-exactly (the skiplist keeps -0).
    /// This is ZADD's whole per-member step with a single hash lookup.
    pub fn upsert(
        &mut self,
        member: &[u8],
        lim: Limits,
        decide: impl FnOnce(Option<f64>) -> Option<f64>,
    ) -> Upsert {
        if let EncMut::Listpack(lp) = self.enc_mut() {
            if let Some(cur) = lp.find(member).map(|e| e.score) {
                let Some(score) = decide(Some(cur)) else {
                    return Upsert::Unchanged;
                };
                lp.remove(member);
                lp.insert(member, score);
                return Upsert::Updated;
            }
            let Some(score) = decide(None) else {
                return Upsert::Unchanged;
            };
            if lp.has_room_for(member, lim) {
                lp.insert(member, score);
                return Upsert::Added;
            }
            self.convert_to_skiplist();
            if let EncMut::Skiplist(b) = self.enc_mut() {
                b.insert_new(member.into(), score, hash_bytes(member));
            }
            return Upsert::Added;
        }
        let EncMut::Skiplist(b) = self.enc_mut() else {
            return Upsert::Unchanged;
        };
        let h = hash_bytes(member);
        match b.find(member, h) {
            NIL => match decide(None) {
                Some(score) => {
                    b.insert_new(member.into(), score, h);
                    Upsert::Added
                }
                None => Upsert::Unchanged,
            },
            x => match decide(Some(b.nodes.get(x).score)) {
                Some(score) => {
                    b.update_score(x, score);
                    Upsert::Updated
                }
                None => Upsert::Unchanged,
            },
        }
    }

    /// Remove `member`; returns its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match self.enc_mut() {
            EncMut::Listpack(lp) => lp.remove(member),
            EncMut::Skiplist(b) => b.remove(member),
        }
    }

    /// Remove and return the lowest element (the highest with `max`).
    pub fn pop(&mut self, max: bool) -> Option<(Box<[u8]>, f64)> {
        match self.enc_mut() {
            EncMut::Listpack(lp) => {
                let e = if max {
                    lp.iter().last()
                } else {
                    lp.iter().next()
                }?;
                let (start, end) = (e.start, e.end);
                let out = (e.member.into(), e.score);
                lp.remove_at(start, end);
                Some(out)
            }
            EncMut::Skiplist(b) => b.pop(max),
        }
    }

    /// The number of leading elements (ascending) for which `pred(score,
    /// member)` holds. `pred` must hold on a prefix of the order; this is
    /// how ranks and range bounds are found (O(log n) on the skiplist).
    pub fn count_while(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        match self.enc() {
            Enc::Listpack(lp) => lp.iter().take_while(|e| pred(e.score, e.member)).count(),
            Enc::Skiplist(b) => b.count_while(pred),
        }
    }

    /// Ascending 0-based rank and score of `member`.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        let score = self.score(member)?;
        let r = self.count_while(&|s, m| before(s, m, score, member));
        Some((r, score))
    }

    /// Visit ascending ranks `start..=end` (clamped to the set), in
    /// descending order when `rev`.
    pub fn for_range(&self, start: usize, end: usize, rev: bool, mut f: impl FnMut(&[u8], f64)) {
        let len = self.len();
        if len == 0 || start > end || start >= len {
            return;
        }
        let end = end.min(len - 1);
        match self.enc() {
            Enc::Listpack(lp) => {
                let it = lp.iter().skip(start).take(end - start + 1);
                if rev {
                    let v: Vec<LpEntry> = it.collect();
                    for e in v.iter().rev() {
                        f(e.member, e.score);
                    }
                } else {
                    for e in it {
                        f(e.member, e.score);
                    }
                }
            }
            Enc::Skiplist(b) => {
                let mut x = b.by_rank(if rev { end } else { start });
                for _ in start..=end {
                    if x == NIL {
                        break;
                    }
                    let n = b.nodes.get(x);
                    f(&n.member, n.score);
                    x = if rev { n.backward } else { n.l0.forward };
                }
            }
        }
    }

    /// Visit every element in ascending order.
    pub fn for_each(&self, f: impl FnMut(&[u8], f64)) {
        self.for_range(0, usize::MAX, false, f);
    }

    /// Remove ascending ranks `start..=end` (clamped); returns how many.
    pub fn remove_range(&mut self, start: usize, end: usize) -> usize {
        let mut doomed: Vec<Vec<u8>> = Vec::new();
        self.for_range(start, end, false, |m, _| doomed.push(m.to_vec()));
        for m in &doomed {
            self.remove(m);
        }
        doomed.len()
    }

    /// A uniformly random element (on the skiplist, through a random rank:
    /// O(log n) and free of the chain-length bias of a bucket pick).
    pub fn random_entry(&self) -> Option<(&[u8], f64)> {
        match self.enc() {
            Enc::Listpack(lp) => {
                if lp.len() == 0 {
                    return None;
                }
                let i = ((random_u64() as u128 * lp.len() as u128) >> 64) as usize;
                lp.iter().nth(i).map(|e| (e.member, e.score))
            }
            Enc::Skiplist(b) => {
                if b.len == 0 {
                    return None;
                }
                let r = ((random_u64() as u128 * b.len as u128) >> 64) as usize;
                let n = b.nodes.get(b.by_rank(r));
                Some((&n.member, n.score))
            }
        }
    }

    /// One step of ZSCAN: a listpack is returned whole with cursor 0; a
    /// skiplist is scanned through its member index (SCAN guarantees).
    pub fn scan(&self, cursor: u64, f: impl FnMut(&[u8], f64)) -> u64 {
        match self.enc() {
            Enc::Listpack(_) => {
                self.for_each(f);
                0
            }
            Enc::Skiplist(b) => b.scan(cursor, f),
        }
    }

    /// Whether the set uses the compact encoding.
    pub fn is_listpack(&self) -> bool {
        matches!(self.enc(), Enc::Listpack(_))
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listpack_scores_round_trip_in_their_short_forms() {
        let scores = [
            0.0,
            1.0,
            -1.0,
            63.0,
            -64.0,
            1_700_000_000_000.0,
            INT_SCORE_MAX,
            -INT_SCORE_MAX,
            INT_SCORE_MAX + 2.0,
            1.5,
            -0.25,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        let mut lp = Listpack::default();
        for (i, &score) in scores.iter().enumerate() {
            lp.insert(format!("m{i}").as_bytes(), score);
        }
        for (i, &score) in scores.iter().enumerate() {
            let e = lp.find(format!("m{i}").as_bytes()).expect("member present");
            assert_eq!(e.score.to_bits(), score.to_bits(), "score {score}");
        }
        // An integral score costs a byte or two; the rest 9.
        let mut small = Vec::new();
        put_score(&mut small, 5.0);
        assert_eq!(small.len(), 1);
        let mut frac = Vec::new();
        put_score(&mut frac, 0.5);
        assert_eq!(frac.len(), 9);
    }

    /// Small deterministic generator so failures repeat.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn contents(z: &ZSet) -> Vec<(Vec<u8>, f64)> {
        let mut v = Vec::new();
        z.for_each(|m, s| v.push((m.to_vec(), s)));
        v
    }

    fn sorted_model(model: &std::collections::HashMap<Vec<u8>, f64>) -> Vec<(Vec<u8>, f64)> {
        let mut v: Vec<(Vec<u8>, f64)> = model.iter().map(|(m, s)| (m.clone(), *s)).collect();
        v.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap().then_with(|| a.0.cmp(&b.0)));
        v
    }

    fn check_against_model(seed: u64, lim: Limits, ops: usize) {
        let mut rng = Rng(seed);
        let mut z = ZSet::new_for_add(1, lim);
        let mut model = std::collections::HashMap::new();
        for step in 0..ops {
            let m = format!("m{}", rng.below(300)).into_bytes();
            match rng.below(10) {
                0..=4 => {
                    let s = (rng.below(50) as f64) - 25.0;
                    let added = z.insert(&m, s, lim);
                    assert_eq!(added, model.insert(m.clone(), s).is_none());
                }
                5..=6 => {
                    assert_eq!(z.remove(&m), model.remove(&m));
                }
                7 => {
                    let a = rng.below(320) as usize;
                    let b = rng.below(320) as usize;
                    let removed = z.remove_range(a, b);
                    let want = sorted_model(&model);
                    let mut n = 0;
                    for (i, (mm, _)) in want.iter().enumerate() {
                        if i >= a && i <= b {
                            model.remove(mm);
                            n += 1;
                        }
                    }
                    assert_eq!(removed, n);
                }
                8 => {
                    let max = rng.below(2) == 1;
                    let want = sorted_model(&model);
                    let exp = if max { want.last() } else { want.first() };
                    let got = z.pop(max).map(|(m, s)| (m.into_vec(), s));
                    assert_eq!(got.as_ref(), exp);
                    if let Some((m, _)) = got {
                        model.remove(&m);
                    }
                }
                _ => {
                    assert_eq!(z.score(&m), model.get(&m).copied());
                }
            }
            let want = sorted_model(&model);
            assert_eq!(z.len(), want.len(), "step {step}");
            if step % 7 == 0 {
                if let Enc::Skiplist(b) = z.enc() {
                    b.check();
                }
                assert_eq!(contents(&z), want, "step {step}");
                // Ranks, rank access in both directions, bounds.
                for (i, (mm, s)) in want.iter().enumerate() {
                    assert_eq!(z.rank(mm), Some((i, *s)));
                }
                if !want.is_empty() {
                    let a = rng.below(want.len() as u64) as usize;
                    let b = a + rng.below(5) as usize;
                    let mut got = Vec::new();
                    z.for_range(a, b, true, |m, s| got.push((m.to_vec(), s)));
                    let mut exp: Vec<_> = want[a..=b.min(want.len() - 1)].to_vec();
                    exp.reverse();
                    assert_eq!(got, exp);
                }
                let pivot = (rng.below(50) as f64) - 25.0;
                let c = z.count_while(&|s, _| s < pivot);
                assert_eq!(c, want.iter().filter(|e| e.1 < pivot).count());
            }
        }
    }

    #[test]
    fn skiplist_matches_model() {
        for seed in 1..6 {
            check_against_model(seed * 7919, Limits::new(0, 64), 3000);
        }
    }

    #[test]
    fn listpack_matches_model_and_converts() {
        for seed in 1..6 {
            check_against_model(seed * 104729, Limits::new(128, 64), 3000);
        }
    }

    #[test]
    fn conversion_thresholds() {
        let lim = Limits::new(3, 4);
        let mut z = ZSet::new_for_add(1, lim);
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"a", 1.0, lim);
        z.insert(b"b", 2.0, lim);
        z.insert(b"c", 3.0, lim);
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"c", 5.0, lim); // update: no growth
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"d", 4.0, lim);
        assert_eq!(z.encoding(), "skiplist");
        z.remove(b"d");
        z.remove(b"c");
        assert_eq!(z.encoding(), "skiplist", "never converts back");
        let mut z = ZSet::new_for_add(1, lim);
        z.insert(b"abcde", 1.0, lim);
        assert_eq!(z.encoding(), "skiplist");
        assert_eq!(ZSet::new_for_add(5, lim).encoding(), "skiplist");
        assert_eq!(
            ZSet::new_for_add(1, Limits::new(0, 4)).encoding(),
            "skiplist"
        );
        let f = ZSet::fresh(vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), 2.0)], lim);
        assert_eq!(f.encoding(), "listpack");
        let f = ZSet::fresh(vec![(b"abcde".to_vec(), 1.0)], lim);
        assert_eq!(f.encoding(), "skiplist");
    }

    #[test]
    fn negative_zero() {
        let lim = Limits::new(128, 64);
        let mut z = ZSet::new_for_add(1, lim);
        z.insert(b"m", -0.0, lim);
        assert!(z.score(b"m").unwrap().is_sign_positive());
        let lim0 = Limits::new(0, 64);
        let mut z = ZSet::new_for_add(1, lim0);
        z.insert(b"m", -0.0, lim0);
        assert!(z.score(b"m").unwrap().is_sign_negative());
        z.insert(b"m", 0.0, lim0);
        assert!(z.score(b"m").unwrap().is_sign_positive());
        assert_eq!(z.rank(b"m"), Some((0, 0.0)));
    }

    #[test]
    fn fresh_matches_inserting_one_by_one() {
        let lim = Limits::new(4, 8);
        let build = |entries: &[(&str, f64)]| {
            let v: Vec<(Vec<u8>, f64)> = entries
                .iter()
                .map(|(m, s)| (m.as_bytes().to_vec(), *s))
                .collect();
            let mut one_by_one = ZSet::new_for_add(1, Limits::new(0, 0));
            for (m, s) in &v {
                one_by_one.insert(m, *s, Limits::new(0, 0));
            }
            let z = ZSet::fresh(v, lim);
            assert_eq!(contents(&z), contents(&one_by_one), "{entries:?}");
            z
        };
        // Repeats keep their last score; -0 sorts with 0, by member.
        let z = build(&[("b", 2.0), ("a", 5.0), ("b", -1.0), ("z", -0.0), ("c", 0.0)]);
        assert!(z.is_listpack());
        assert_eq!(
            contents(&z),
            [
                (b"b".to_vec(), -1.0),
                (b"c".to_vec(), 0.0),
                (b"z".to_vec(), 0.0),
                (b"a".to_vec(), 5.0)
            ]
        );
        // More entries than the limit, but only four members.
        let z = build(&[
            ("a", 1.0),
            ("b", 2.0),
            ("a", 3.0),
            ("c", 4.0),
            ("d", 0.5),
            ("d", 9.0),
        ]);
        assert!(z.is_listpack());
        assert!(
            !build(&[("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0), ("e", 5.0)]).is_listpack()
        );
        assert!(!build(&[("a-long-one", 1.0)]).is_listpack());
        // Repeats bring it within the entry limit, but a member is too long.
        assert!(!build(&[
            ("a-long-one", 1.0),
            ("a", 2.0),
            ("a", 3.0),
            ("b", 4.0),
            ("b", 5.0)
        ])
        .is_listpack());
        assert!(build(&[]).is_empty());
    }

    #[test]
    fn a_small_zset_is_one_word() {
        assert_eq!(std::mem::size_of::<ZSet>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn long_members_and_infinities() {
        let lim = Limits::new(128, 1000);
        let mut z = ZSet::new_for_add(1, lim);
        let long = vec![b'x'; 300];
        z.insert(&long, f64::INFINITY, lim);
        z.insert(b"a", f64::NEG_INFINITY, lim);
        z.insert(b"", 0.0, lim);
        assert_eq!(
            contents(&z),
            vec![
                (b"a".to_vec(), f64::NEG_INFINITY),
                (b"".to_vec(), 0.0),
                (long.clone(), f64::INFINITY)
            ]
        );
        assert_eq!(z.rank(&long), Some((2, f64::INFINITY)));
        assert!(z.random_entry().is_some());
        let mut n = 0;
        assert_eq!(z.scan(0, |_, _| n += 1), 0);
        assert_eq!(n, 3);
    }
}
