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
//! - `skiplist`: a [`Dict`] member → score for O(1) lookups plus a skiplist
//!   with span counts (Redis's zskiplist) for O(log n) rank and range
//!   operations.
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

use super::dict::{random_u64, Dict};

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

/// A sorted set.
#[derive(Debug, Clone, PartialEq)]
pub enum ZSet {
    Listpack(Listpack),
    /// Boxed so that a small (listpack) zset does not carry the skiplist's
    /// 100-odd bytes of headers.
    Skiplist(Box<Big>),
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
/// buf: | score: f64 LE (8) | len: varint | member: len bytes | score ... |
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listpack {
    /// The encoded entries.
    buf: Vec<u8>,
    /// Number of entries.
    len: usize,
}

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

    /// Insert a member known to be absent. `-0` is stored as `0` (see the
    /// module notes).
    fn insert(&mut self, member: &[u8], score: f64) {
        let score = if score == 0.0 { 0.0 } else { score };
        let at = self
            .iter()
            .find(|e| !before(e.score, e.member, score, member))
            .map_or(self.buf.len(), |e| e.start);
        let mut enc = Vec::with_capacity(8 + 5 + member.len());
        enc.extend_from_slice(&score.to_le_bytes());
        let mut n = member.len();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                enc.push(b);
                break;
            }
            enc.push(b | 0x80);
        }
        enc.extend_from_slice(member);
        // Exact growth: small zsets are many, and doubling slack would cost
        // more than the data (Redis's listpack also grows to the exact size).
        self.buf.reserve_exact(enc.len());
        self.buf.splice(at..at, enc);
        self.len += 1;
    }

    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (start, end, score) = {
            let e = self.find(member)?;
            (e.start, e.end, e.score)
        };
        self.buf.drain(start..end);
        self.len -= 1;
        Some(score)
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
        let sb: [u8; 8] = self.buf.get(start..start + 8)?.try_into().ok()?;
        let mut p = start + 8;
        let mut len = 0usize;
        let mut shift = 0;
        loop {
            let b = *self.buf.get(p)?;
            p += 1;
            len |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        let member = self.buf.get(p..p + len)?;
        self.pos = p + len;
        Some(LpEntry {
            start,
            end: self.pos,
            member,
            score: f64::from_le_bytes(sb),
        })
    }
}

// ---------------------------------------------------------------------------
// Skiplist
// ---------------------------------------------------------------------------

/// Skiplist levels: enough for 2^64 elements at p = 1/4.
const MAX_LEVEL: usize = 32;
/// "No node" in the arena.
const NIL: u32 = u32::MAX;
/// The header node's arena index.
const HEAD: u32 = 0;

/// One forward link of a node.
#[derive(Debug, Clone, Copy)]
struct Level {
    forward: u32,
    /// How many rank positions the link jumps over.
    span: usize,
}

#[derive(Debug, Clone)]
struct Node {
    member: Box<[u8]>,
    score: f64,
    /// Previous node on level 0 (NIL for the first).
    backward: u32,
    level: Vec<Level>,
}

/// Redis's zskiplist with nodes in an arena (indexes instead of pointers).
/// Node 0 is the header; freed slots are reused.
#[derive(Debug, Clone)]
struct SkipList {
    nodes: Vec<Node>,
    free: Vec<u32>,
    tail: u32,
    len: usize,
    /// Levels in use (at least 1).
    level: usize,
}

impl SkipList {
    fn new() -> SkipList {
        let head = Node {
            member: Box::default(),
            score: 0.0,
            backward: NIL,
            level: vec![
                Level {
                    forward: NIL,
                    span: 0
                };
                MAX_LEVEL
            ],
        };
        SkipList {
            nodes: vec![head],
            free: Vec::new(),
            tail: NIL,
            len: 0,
            level: 1,
        }
    }

    #[inline]
    fn fwd(&self, x: u32, i: usize) -> u32 {
        self.nodes[x as usize].level[i].forward
    }

    fn random_level() -> usize {
        // Each extra level with probability 1/4: two random bits per level.
        let r = random_u64();
        let mut lvl = 1;
        while lvl < MAX_LEVEL && (r >> (2 * (lvl - 1))) & 3 == 0 {
            lvl += 1;
        }
        lvl
    }

    /// For each level, the last node before (score, member), and its rank.
    fn find_update(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [usize; MAX_LEVEL]) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0usize; MAX_LEVEL];
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let f = self.fwd(x, i);
                if f == NIL {
                    break;
                }
                let n = &self.nodes[f as usize];
                if !before(n.score, &n.member, score, member) {
                    break;
                }
                rank[i] += self.nodes[x as usize].level[i].span;
                x = f;
            }
            update[i] = x;
        }
        (update, rank)
    }

    /// Insert an element known to be absent.
    fn insert(&mut self, score: f64, member: Box<[u8]>) {
        let (mut update, mut rank) = self.find_update(score, &member);
        let lvl = Self::random_level();
        if lvl > self.level {
            for i in self.level..lvl {
                rank[i] = 0;
                update[i] = HEAD;
                self.nodes[HEAD as usize].level[i].span = self.len;
            }
            self.level = lvl;
        }
        let node = Node {
            member,
            score,
            backward: if update[0] == HEAD { NIL } else { update[0] },
            level: vec![
                Level {
                    forward: NIL,
                    span: 0
                };
                lvl
            ],
        };
        let x = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        for i in 0..lvl {
            let u = update[i] as usize;
            let ul = self.nodes[u].level[i];
            self.nodes[x as usize].level[i] = Level {
                forward: ul.forward,
                span: ul.span - (rank[0] - rank[i]),
            };
            self.nodes[u].level[i] = Level {
                forward: x,
                span: rank[0] - rank[i] + 1,
            };
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(lvl) {
            self.nodes[u as usize].level[i].span += 1;
        }
        let next = self.fwd(x, 0);
        if next == NIL {
            self.tail = x;
        } else {
            self.nodes[next as usize].backward = x;
        }
        self.len += 1;
    }

    /// Remove (score, member); false if absent.
    fn delete(&mut self, score: f64, member: &[u8]) -> bool {
        let (update, _) = self.find_update(score, member);
        let x = self.fwd(update[0], 0);
        if x == NIL {
            return false;
        }
        let n = &self.nodes[x as usize];
        if n.score != score || &*n.member != member {
            return false;
        }
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let u = u as usize;
            if self.nodes[u].level[i].forward == x {
                let xl = self.nodes[x as usize].level[i];
                self.nodes[u].level[i].span += xl.span;
                self.nodes[u].level[i].span -= 1;
                self.nodes[u].level[i].forward = xl.forward;
            } else {
                self.nodes[u].level[i].span -= 1;
            }
        }
        let next = self.fwd(x, 0);
        let back = self.nodes[x as usize].backward;
        if next == NIL {
            self.tail = back;
        } else {
            self.nodes[next as usize].backward = back;
        }
        while self.level > 1 && self.fwd(HEAD, self.level - 1) == NIL {
            self.level -= 1;
        }
        self.len -= 1;
        // Release the member's memory now; the slot is recycled.
        let slot = &mut self.nodes[x as usize];
        slot.member = Box::default();
        slot.level = Vec::new();
        self.free.push(x);
        if self.len == 0 {
            self.nodes.truncate(1);
            self.free.clear();
        }
        true
    }

    /// The number of leading elements for which `pred` holds; `pred` must
    /// hold for a prefix of the order (true ... true false ... false).
    fn count_while(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        let mut x = HEAD;
        let mut rank = 0;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f == NIL {
                    break;
                }
                let n = &self.nodes[f as usize];
                if !pred(n.score, &n.member) {
                    break;
                }
                rank += self.nodes[x as usize].level[i].span;
                x = f;
            }
        }
        rank
    }

    /// The node at 0-based rank `r` (< len).
    fn by_rank(&self, r: usize) -> u32 {
        let target = r + 1;
        let mut x = HEAD;
        let mut traversed = 0;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f == NIL {
                    break;
                }
                let span = self.nodes[x as usize].level[i].span;
                if traversed + span > target {
                    break;
                }
                traversed += span;
                x = f;
            }
            if traversed == target {
                return x;
            }
        }
        NIL
    }
}

/// The big encoding: member → score for O(1) lookups, plus the skiplist.
#[derive(Debug, Clone)]
pub struct Big {
    dict: Dict<f64>,
    zsl: SkipList,
}

impl PartialEq for Big {
    fn eq(&self, other: &Big) -> bool {
        if self.zsl.len != other.zsl.len {
            return false;
        }
        let mut a = Vec::new();
        let mut b = Vec::new();
        let collect = |z: &Big, out: &mut Vec<(Vec<u8>, u64)>| {
            let mut x = z.zsl.fwd(HEAD, 0);
            while x != NIL {
                let n = &z.zsl.nodes[x as usize];
                out.push((n.member.to_vec(), n.score.to_bits()));
                x = n.level[0].forward;
            }
        };
        collect(self, &mut a);
        collect(other, &mut b);
        a == b
    }
}

impl Big {
    fn new() -> Big {
        Big {
            dict: Dict::new(),
            zsl: SkipList::new(),
        }
    }
}

// ---------------------------------------------------------------------------
// The sorted set API
// ---------------------------------------------------------------------------

impl Default for ZSet {
    fn default() -> Self {
        ZSet::Listpack(Listpack::default())
    }
}

impl ZSet {
    /// The empty set ZADD/ZINCRBY create (Redis 7.0): skiplist when
    /// listpacks are disabled or the first member named in the command is
    /// already too long for one.
    pub fn new_for_add(first_member_len: usize, lim: Limits) -> ZSet {
        if lim.max_entries == 0 || first_member_len > lim.max_value {
            ZSet::Skiplist(Box::new(Big::new()))
        } else {
            ZSet::default()
        }
    }

    /// A set built from scratch for a command's destination key
    /// (ZUNIONSTORE, ZRANGESTORE...): listpack when the final contents fit
    /// both limits, as Redis's convert-if-needed step decides.
    pub fn fresh(entries: impl IntoIterator<Item = (Vec<u8>, f64)>, lim: Limits) -> ZSet {
        let mut big = Big::new();
        for (m, s) in entries {
            let m: Box<[u8]> = m.into();
            if let Some(old) = big.dict.get(&m).copied() {
                big.zsl.delete(old, &m);
            }
            big.dict.insert(m.clone(), s);
            big.zsl.insert(s, m);
        }
        let mut z = ZSet::Skiplist(Box::new(big));
        let fits = {
            let mut max_len = 0;
            z.for_each(|m, _| max_len = max_len.max(m.len()));
            z.len() <= lim.max_entries && max_len <= lim.max_value
        };
        if fits {
            let mut lp = Listpack::default();
            z.for_each(|m, s| lp.insert(m, s));
            z = ZSet::Listpack(lp);
        }
        z
    }

    /// Approximate bytes used (MEMORY USAGE). The skiplist side counts the
    /// member twice (dict key and skiplist node) plus a fixed per-node cost.
    pub fn mem_usage(&self) -> usize {
        match self {
            ZSet::Listpack(lp) => std::mem::size_of::<ZSet>() + lp.buf.capacity(),
            ZSet::Skiplist(b) => {
                let mut members = 0;
                b.dict.iter().for_each(|(m, _)| members += m.len());
                std::mem::size_of::<ZSet>() + b.dict.mem_overhead() + 2 * members + 56 * b.zsl.len
            }
        }
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            ZSet::Listpack(_) => "listpack",
            ZSet::Skiplist(_) => "skiplist",
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ZSet::Listpack(lp) => lp.len,
            ZSet::Skiplist(b) => b.zsl.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            ZSet::Listpack(lp) => lp.find(member).map(|e| e.score),
            ZSet::Skiplist(b) => b.dict.get(member).copied(),
        }
    }

    /// Convert a listpack to the skiplist encoding (no-op otherwise).
    pub fn convert_to_skiplist(&mut self) {
        if let ZSet::Listpack(lp) = self {
            let mut big = Big::new();
            for e in lp.iter() {
                let m: Box<[u8]> = e.member.into();
                big.dict.insert(m.clone(), e.score);
                big.zsl.insert(e.score, m);
            }
            *self = ZSet::Skiplist(Box::new(big));
        }
    }

    /// Set `member`'s score, adding it if absent. Returns true if it was
    /// added. An addition that breaks a listpack limit converts first.
    pub fn insert(&mut self, member: &[u8], score: f64, lim: Limits) -> bool {
        if let ZSet::Listpack(lp) = self {
            if lp.remove(member).is_some() {
                lp.insert(member, score);
                return false;
            }
            if lp.len < lim.max_entries && member.len() <= lim.max_value {
                lp.insert(member, score);
                return true;
            }
            self.convert_to_skiplist();
        }
        let ZSet::Skiplist(b) = self else {
            unreachable!("converted just above")
        };
        match b.dict.get_mut(member) {
            Some(old) => {
                let prev = *old;
                *old = score;
                if prev.to_bits() != score.to_bits() {
                    b.zsl.delete(prev, member);
                    b.zsl.insert(score, member.into());
                }
                false
            }
            None => {
                let m: Box<[u8]> = member.into();
                b.dict.insert(m.clone(), score);
                b.zsl.insert(score, m);
                true
            }
        }
    }

    /// Remove `member`; returns its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match self {
            ZSet::Listpack(lp) => lp.remove(member),
            ZSet::Skiplist(b) => {
                let (_, score) = b.dict.remove(member)?;
                b.zsl.delete(score, member);
                // Redis resizes a zset's dict after removals (the server
                // cron only shrinks the keyspace tables).
                b.dict.shrink_if_needed();
                Some(score)
            }
        }
    }

    /// The number of leading elements (ascending) for which `pred(score,
    /// member)` holds. `pred` must hold on a prefix of the order; this is
    /// how ranks and range bounds are found (O(log n) on the skiplist).
    pub fn count_while(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        match self {
            ZSet::Listpack(lp) => lp.iter().take_while(|e| pred(e.score, e.member)).count(),
            ZSet::Skiplist(b) => b.zsl.count_while(pred),
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
        match self {
            ZSet::Listpack(lp) => {
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
            ZSet::Skiplist(b) => {
                let zsl = &b.zsl;
                let mut x = zsl.by_rank(if rev { end } else { start });
                for _ in start..=end {
                    if x == NIL {
                        break;
                    }
                    let n = &zsl.nodes[x as usize];
                    f(&n.member, n.score);
                    x = if rev { n.backward } else { n.level[0].forward };
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

    /// A random element (skiplist: the dict's fair pick, as Redis).
    pub fn random_entry(&self) -> Option<(&[u8], f64)> {
        match self {
            ZSet::Listpack(lp) => {
                if lp.len == 0 {
                    return None;
                }
                let i = ((random_u64() as u128 * lp.len as u128) >> 64) as usize;
                lp.iter().nth(i).map(|e| (e.member, e.score))
            }
            ZSet::Skiplist(b) => b.dict.fair_random_entry().map(|(m, s)| (m, *s)),
        }
    }

    /// One step of ZSCAN: a listpack is returned whole with cursor 0; a
    /// skiplist is scanned through its dict (SCAN guarantees).
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], f64)) -> u64 {
        match self {
            ZSet::Listpack(_) => {
                self.for_each(f);
                0
            }
            ZSet::Skiplist(b) => b.dict.scan(cursor, |m, s| f(m, *s)),
        }
    }

    /// Whether the set uses the compact encoding.
    pub fn is_listpack(&self) -> bool {
        matches!(self, ZSet::Listpack(_))
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

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
                _ => {
                    assert_eq!(z.score(&m), model.get(&m).copied());
                }
            }
            let want = sorted_model(&model);
            assert_eq!(z.len(), want.len(), "step {step}");
            if step % 7 == 0 {
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
