//! The hash value type: field → value maps with Redis 7.0's two encodings.
//!
//! # Encodings (as `OBJECT ENCODING` reports them)
//!
//! * `listpack` — small hashes: every field and value in one exact-size byte
//!   buffer, pairs in insertion order. Lookups are linear, which is cheaper
//!   than hashing for the few short entries this form may hold (by default
//!   at most 512 of at most 64 bytes each).
//! * `hashtable` — a [`Dict`] from field to value, O(1) lookups, SCAN
//!   cursors with Redis's guarantees and fair random entries.
//!
//! Conversion rules, checked against redis-server 7.0.15:
//! * A hash starts as a listpack (also when the thresholds are 0: the first
//!   write then converts it right away).
//! * Before a field/value is written, a field or value longer than
//!   `hash-max-listpack-value` bytes converts (Redis 7.0's `hashTypeSet`
//!   and `hashTypeTryConversion` checks; HINCRBY* with a long field too).
//! * After any write (new field *or* update of an existing one), more than
//!   `hash-max-listpack-entries` entries converts — so lowering the config
//!   takes effect on a hash's next write.
//! * A `hashtable` never goes back, whatever is deleted.
//!
//! # Listpack layout and per-entry cost
//!
//! ```text
//!   buf: [ varint flen | field bytes | varint vlen | value bytes ] * len
//! ```
//!
//! Lengths are LEB128 varints: one byte up to 127 bytes, which covers every
//! entry under the default 64-byte limit, so a pair costs its bytes plus 2.
//! Redis's listpack spends an encoding byte and a back-length byte per
//! element (4 per pair) plus a 7-byte header. The buffer is a boxed slice
//! sized exactly (each write reallocates, as `lpInsert` does; the size is
//! bounded by the thresholds), and the pair count sits next to it so HLEN
//! is O(1). We do not store integers in binary form as Redis does, so a
//! value such as `123456` costs 6 bytes here against 4 there.
//!
//! A `hashtable` entry is a `Dict` entry (24 bytes plus the 16-byte boxed
//! value slice) with the field and the value in exact-size allocations of
//! their own, plus 8–16 bytes of bucket array; Redis spends a 24-byte
//! `dictEntry` and two sds strings with their headers.
//!
//! The module is pure data: commands live in `cmd::hash`.

use std::collections::HashSet;

use super::dict::{random_u64, Dict};
use super::thin::{PackedBytes, Pick, ThinOrBoxed, ThinPointer};

/// Largest listpack in bytes, whatever `hash-max-listpack-*` allow.
const LISTPACK_SAFETY_LIMIT: usize = 1 << 30;

/// The big encoding: field → value.
type Table = Dict<Box<[u8]>>;

/// A hash value: a [`Listpack`] for small hashes (insertion ordered; see
/// the module header), a boxed [`Table`] for everything else, in one word
/// so that every [`Value`](super::Value) stays 16 bytes.
#[derive(Clone)]
pub struct Hash(ThinOrBoxed<Listpack, Table>);

/// A hash seen in its current encoding.
enum Enc<'a> {
    Listpack(&'a Listpack),
    Table(&'a Table),
}

/// A hash seen in its current encoding, to change in place.
enum EncMut<'a> {
    Listpack(&'a mut Listpack),
    Table(&'a mut Table),
}

impl Hash {
    /// Where the encoding's block lives, without reading it (for
    /// prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.0.heap_addr()
    }

    fn from_listpack(lp: Listpack) -> Hash {
        Hash(ThinOrBoxed::thin(lp))
    }

    fn from_table(d: Table) -> Hash {
        Hash(ThinOrBoxed::boxed(Box::new(d)))
    }

    #[inline]
    fn enc(&self) -> Enc<'_> {
        match self.0.get() {
            Pick::Thin(lp) => Enc::Listpack(lp),
            Pick::Boxed(d) => Enc::Table(d),
        }
    }

    #[inline]
    fn enc_mut(&mut self) -> EncMut<'_> {
        match self.0.get_mut() {
            Pick::Thin(lp) => EncMut::Listpack(lp),
            Pick::Boxed(d) => EncMut::Table(d),
        }
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.enc() {
            Enc::Listpack(lp) => f.debug_tuple("Listpack").field(lp).finish(),
            Enc::Table(d) => f.debug_map().entries(d.iter()).finish(),
        }
    }
}

/// Same encoding and same pairs (order ignored for tables, which have
/// none that users can rely on).
impl PartialEq for Hash {
    fn eq(&self, other: &Hash) -> bool {
        match (self.enc(), other.enc()) {
            (Enc::Listpack(a), Enc::Listpack(b)) => a == b,
            (Enc::Table(a), Enc::Table(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            _ => false,
        }
    }
}

impl Default for Hash {
    fn default() -> Self {
        Hash::from_listpack(Listpack::default())
    }
}

// ---------------------------------------------------------------------------
// Listpack
// ---------------------------------------------------------------------------

/// Field/value pairs packed in one buffer (layout in the module header).
#[derive(Debug, Clone, PartialEq, Default)]
#[repr(transparent)]
pub struct Listpack {
    /// Exactly the encoded pairs, no spare capacity; its `aux` number is
    /// the count of pairs, so HLEN is O(1) and the whole thing one pointer.
    buf: PackedBytes,
}

// SAFETY: repr(transparent) over PackedBytes, which is a ThinPointer.
unsafe impl ThinPointer for Listpack {}

/// Appends `n` as an LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Bytes `put_varint` would write for `n`.
fn varint_len(mut n: usize) -> usize {
    let mut l = 1;
    while n >= 0x80 {
        n >>= 7;
        l += 1;
    }
    l
}

/// Reads the length-prefixed string at `pos` of our own buffer; returns the
/// string's range. The buffer is only ever written by `put_varint` followed
/// by the bytes, so it is well formed.
fn read_item(buf: &[u8], mut pos: usize) -> (usize, usize) {
    let mut n = 0usize;
    let mut shift = 0;
    loop {
        let b = buf[pos];
        pos += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (pos, pos + n)
}

/// Where one pair lives in the buffer.
#[derive(Clone, Copy)]
struct Slot {
    /// First byte of the pair (the field's length prefix).
    start: usize,
    /// The field bytes.
    field: (usize, usize),
    /// First byte of the value's length prefix.
    vstart: usize,
    /// The value bytes; `value.1` is also where the next pair starts.
    value: (usize, usize),
}

impl Listpack {
    pub fn len(&self) -> usize {
        self.buf.aux() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of the buffer (MEMORY USAGE later; tests).
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    fn slot_at(&self, start: usize) -> Slot {
        let field = read_item(&self.buf, start);
        let value = read_item(&self.buf, field.1);
        Slot {
            start,
            field,
            vstart: field.1,
            value,
        }
    }

    fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= self.buf.len() {
                return None;
            }
            let s = self.slot_at(pos);
            pos = s.value.1;
            Some(s)
        })
    }

    /// Pairs in insertion order.
    pub fn iter(&self) -> ListpackIter<'_> {
        ListpackIter {
            buf: &self.buf,
            pos: 0,
            left: self.len(),
        }
    }

    fn find(&self, field: &[u8]) -> Option<Slot> {
        self.slots()
            .find(|s| &self.buf[s.field.0..s.field.1] == field)
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        self.find(field).map(|s| &self.buf[s.value.0..s.value.1])
    }

    /// Replaces `buf[range]` with `with`, reallocating to the exact size.
    fn splice(&mut self, from: usize, to: usize, with: &[u8]) {
        self.buf.splice(from, to, with);
    }

    /// Sets `field` to `value`; true if the field is new (appended last).
    pub fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        let mut enc = Vec::with_capacity(varint_len(value.len()) + value.len());
        match self.find(field) {
            Some(s) => {
                put_varint(&mut enc, value.len());
                enc.extend_from_slice(value);
                self.splice(s.vstart, s.value.1, &enc);
                false
            }
            None => {
                enc.reserve(varint_len(field.len()) + field.len());
                put_varint(&mut enc, field.len());
                enc.extend_from_slice(field);
                put_varint(&mut enc, value.len());
                enc.extend_from_slice(value);
                let end = self.buf.len();
                self.splice(end, end, &enc);
                self.buf.set_aux(self.buf.aux() + 1);
                true
            }
        }
    }

    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field) {
            Some(s) => {
                self.splice(s.start, s.value.1, &[]);
                self.buf.set_aux(self.buf.aux() - 1);
                true
            }
            None => false,
        }
    }
}

// ---------------------------------------------------------------------------
// Hash
// ---------------------------------------------------------------------------

/// Iterator over the pairs of a listpack, in insertion order.
pub struct ListpackIter<'a> {
    buf: &'a [u8],
    /// Start of the next pair.
    pos: usize,
    /// Pairs not yet returned.
    left: usize,
}

impl<'a> Iterator for ListpackIter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let f = read_item(self.buf, self.pos);
        let v = read_item(self.buf, f.1);
        self.pos = v.1;
        self.left -= 1;
        Some((&self.buf[f.0..f.1], &self.buf[v.0..v.1]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for ListpackIter<'_> {}

/// Iterator over the pairs of a hash (listpack order or table order).
pub enum Iter<'a> {
    Listpack(ListpackIter<'a>),
    Table(super::dict::Iter<'a, Box<[u8]>>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Listpack(it) => it.next(),
            Iter::Table(it) => it.next().map(|(k, v)| (k, &**v)),
        }
    }
}

/// Uniform random integer in `0..n` (`n > 0`).
fn random_below(n: usize) -> usize {
    ((random_u64() as u128 * n as u128) >> 64) as usize
}

impl Hash {
    /// Approximate bytes used (MEMORY USAGE): exact for the listpack; for
    /// the table, the table overhead plus `samples` entries (0 = all)
    /// extrapolated to the whole hash, as Redis samples nested values.
    pub fn mem_usage(&self, samples: usize) -> usize {
        match self.enc() {
            Enc::Listpack(lp) => std::mem::size_of::<Hash>() + lp.buf.len(),
            Enc::Table(d) => {
                let n = d.len();
                let take = if samples == 0 { n } else { samples.min(n) };
                let sampled: usize = d
                    .iter()
                    .take(take)
                    .map(|(k, v)| k.len() + v.len() + 32)
                    .sum();
                let per = sampled.checked_div(take).unwrap_or(0);
                std::mem::size_of::<Hash>() + d.mem_overhead() + per * n
            }
        }
    }

    /// An empty hash in the compact encoding.
    pub fn new() -> Hash {
        Hash::default()
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self.enc() {
            Enc::Listpack(_) => "listpack",
            Enc::Table(_) => "hashtable",
        }
    }

    pub fn len(&self) -> usize {
        match self.enc() {
            Enc::Listpack(lp) => lp.len(),
            Enc::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self.enc() {
            Enc::Listpack(lp) => lp.get(field),
            Enc::Table(d) => d.get(field).map(|v| &**v),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Pairs: insertion order for a listpack, table order otherwise.
    pub fn iter(&self) -> Iter<'_> {
        match self.enc() {
            Enc::Listpack(lp) => Iter::Listpack(lp.iter()),
            Enc::Table(d) => Iter::Table(d.iter()),
        }
    }

    /// Moves a listpack hash to the hashtable encoding (no-op otherwise).
    pub fn convert_to_table(&mut self) {
        if let Enc::Listpack(lp) = self.enc() {
            let mut d = Dict::with_capacity(lp.len());
            for (f, v) in lp.iter() {
                d.insert_new(f.into(), v.into());
            }
            *self = Hash::from_table(d);
        }
    }

    /// A hash of `pairs`, whose fields must be distinct (a loaded RDB value:
    /// the reader refuses duplicates), in the encoding that setting them
    /// one by one would end in, built without the per-field lookups and
    /// reallocations of [`Hash::set`]: a listpack in one allocation, or a
    /// table sized up front.
    pub fn from_unique_pairs(
        pairs: &[(Vec<u8>, Vec<u8>)],
        max_entries: i64,
        max_value: i64,
    ) -> Hash {
        let encoded: usize = pairs
            .iter()
            .map(|(f, v)| varint_len(f.len()) + f.len() + varint_len(v.len()) + v.len())
            .sum();
        let fits = pairs.len() as i64 <= max_entries
            && pairs
                .iter()
                .all(|(f, v)| f.len() as i64 <= max_value && v.len() as i64 <= max_value)
            && encoded <= LISTPACK_SAFETY_LIMIT;
        if !fits {
            let mut d = Dict::with_capacity(pairs.len());
            for (f, v) in pairs {
                d.insert_new(f.as_slice().into(), v.as_slice().into());
            }
            return Hash::from_table(d);
        }
        let mut enc = Vec::with_capacity(encoded);
        for (f, v) in pairs {
            put_varint(&mut enc, f.len());
            enc.extend_from_slice(f);
            put_varint(&mut enc, v.len());
            enc.extend_from_slice(v);
        }
        Hash::from_listpack(Listpack {
            buf: PackedBytes::new(&enc, pairs.len() as u32),
        })
    }

    /// Sets `field` to `value` and applies the conversion rules of the
    /// module header with the given thresholds (`hash-max-listpack-*`).
    /// Returns true if the field is new.
    pub fn set(&mut self, field: &[u8], value: &[u8], max_entries: i64, max_value: i64) -> bool {
        if let Enc::Listpack(lp) = self.enc() {
            let too_long = field.len() as i64 > max_value || value.len() as i64 > max_value;
            // Redis's LISTPACK_MAX_SAFETY_SIZE: whatever the thresholds say,
            // a listpack never grows past 1 GB (ours could not pass 4 GB).
            let too_big = lp.bytes() + field.len() + value.len() > LISTPACK_SAFETY_LIMIT;
            if too_long || too_big {
                self.convert_to_table();
            }
        }
        match self.enc_mut() {
            EncMut::Listpack(lp) => {
                let new = lp.set(field, value);
                if lp.len() as i64 > max_entries {
                    self.convert_to_table();
                }
                new
            }
            EncMut::Table(d) => match d.get_mut(field) {
                Some(v) => {
                    *v = value.into();
                    false
                }
                None => {
                    d.insert_new(field.into(), value.into());
                    true
                }
            },
        }
    }

    /// Removes `field`; true if it was there. Never converts.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self.enc_mut() {
            EncMut::Listpack(lp) => lp.remove(field),
            EncMut::Table(d) => d.remove(field).is_some(),
        }
    }

    /// One random pair (HRANDFIELD without a count, negative counts); None
    /// only for an empty hash.
    pub fn random_pair(&self) -> Option<(&[u8], &[u8])> {
        match self.enc() {
            Enc::Listpack(lp) => {
                if lp.is_empty() {
                    return None;
                }
                lp.iter().nth(random_below(lp.len()))
            }
            Enc::Table(d) => d.fair_random_entry().map(|(k, v)| (k, &**v)),
        }
    }

    /// Calls `f` with `count` random pairs drawn with repetition (HRANDFIELD
    /// with a negative count) until it returns false. A listpack is indexed
    /// once so each draw is O(1) rather than a walk of the buffer.
    pub fn random_pairs(&self, count: u64, mut f: impl FnMut(&[u8], &[u8]) -> bool) {
        match self.enc() {
            Enc::Listpack(lp) => {
                let pairs: Vec<(&[u8], &[u8])> = lp.iter().collect();
                if pairs.is_empty() {
                    return;
                }
                for _ in 0..count {
                    let (k, v) = pairs[random_below(pairs.len())];
                    if !f(k, v) {
                        return;
                    }
                }
            }
            Enc::Table(d) => {
                for _ in 0..count {
                    let Some((k, v)) = d.fair_random_entry() else {
                        return;
                    };
                    if !f(k, v) {
                        return;
                    }
                }
            }
        }
    }

    /// `count` distinct random pairs, `count < len()` (HRANDFIELD with a
    /// positive count smaller than the hash). A listpack answers in its own
    /// order (Redis's `lpRandomPairsUnique` selection sampling); a table in
    /// table order when most of it is wanted, else in the order drawn, as
    /// Redis's cases 3 and 4 do.
    pub fn random_pairs_unique(&self, count: usize) -> Vec<(&[u8], &[u8])> {
        let size = self.len();
        let count = count.min(size);
        let mut out = Vec::with_capacity(count);
        match self.enc() {
            Enc::Listpack(lp) => {
                // Knuth's selection sampling: keep each pair with
                // probability needed / remaining.
                let mut needed = count;
                for (i, pair) in lp.iter().enumerate() {
                    if needed == 0 {
                        break;
                    }
                    if random_below(size - i) < needed {
                        out.push(pair);
                        needed -= 1;
                    }
                }
            }
            Enc::Table(d) => {
                if count.saturating_mul(3) > size {
                    // Most of it: take all, then drop random ones.
                    let mut all: Vec<(&[u8], &[u8])> = d.iter().map(|(k, v)| (k, &**v)).collect();
                    while all.len() > count {
                        let i = random_below(all.len());
                        all.swap_remove(i);
                    }
                    out = all;
                } else {
                    let mut seen: HashSet<&[u8]> = HashSet::with_capacity(count);
                    while out.len() < count {
                        let Some((k, v)) = d.fair_random_entry() else {
                            break;
                        };
                        if seen.insert(k) {
                            out.push((k, &**v));
                        }
                    }
                }
            }
        }
        out
    }

    /// HSCAN step. A listpack hands out every pair in one call and ends the
    /// scan (returns 0) whatever the cursor, as Redis does; a table visits
    /// the buckets for `cursor` and returns the next cursor (0: done).
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], &[u8])) -> u64 {
        match self.enc() {
            Enc::Listpack(lp) => {
                for (k, v) in lp.iter() {
                    f(k, v);
                }
                0
            }
            Enc::Table(d) => d.scan(cursor, |k, v| f(k, v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redis 7.0's default hash-max-listpack-entries.
    const ENTRIES: i64 = 512;

    fn pairs(h: &Hash) -> Vec<(Vec<u8>, Vec<u8>)> {
        h.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect()
    }

    #[test]
    fn from_unique_pairs_ends_in_the_encoding_set_would() {
        let long = vec![b'v'; 65];
        let cases: Vec<Vec<(Vec<u8>, Vec<u8>)>> = vec![
            vec![(b"a".to_vec(), b"1".to_vec())],
            (0..512)
                .map(|i| (format!("f{i}").into_bytes(), b"v".to_vec()))
                .collect(),
            (0..513)
                .map(|i| (format!("f{i}").into_bytes(), b"v".to_vec()))
                .collect(),
            vec![
                (b"a".to_vec(), b"1".to_vec()),
                (b"b".to_vec(), long.clone()),
            ],
            vec![(long.clone(), b"1".to_vec())],
            vec![(Vec::new(), Vec::new()), (b"x".to_vec(), vec![b'y'; 200])],
        ];
        for pairs_in in cases {
            for (entries, value) in [(ENTRIES, 64), (0, 64), (2, 1000)] {
                let mut one_by_one = Hash::new();
                for (f, v) in &pairs_in {
                    one_by_one.set(f, v, entries, value);
                }
                let bulk = Hash::from_unique_pairs(&pairs_in, entries, value);
                assert_eq!(bulk.encoding(), one_by_one.encoding());
                assert_eq!(bulk.len(), pairs_in.len());
                if bulk.encoding() == "listpack" {
                    assert_eq!(pairs(&bulk), pairs_in, "insertion order");
                }
                assert_eq!(bulk, one_by_one);
            }
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(std::mem::size_of::<Hash>(), 8);
    }

    #[test]
    fn listpack_set_get_remove_order() {
        let mut h = Hash::new();
        assert!(h.set(b"a", b"1", ENTRIES, 64));
        assert!(h.set(b"b", b"2", ENTRIES, 64));
        assert!(h.set(b"", b"", ENTRIES, 64));
        assert!(!h.set(b"a", b"updated value", ENTRIES, 64));
        assert_eq!(h.encoding(), "listpack");
        assert_eq!(h.len(), 3);
        assert_eq!(h.get(b"a"), Some(&b"updated value"[..]));
        assert_eq!(h.get(b""), Some(&b""[..]));
        assert_eq!(h.get(b"c"), None);
        assert_eq!(
            pairs(&h),
            vec![
                (b"a".to_vec(), b"updated value".to_vec()),
                (b"b".to_vec(), b"2".to_vec()),
                (b"".to_vec(), b"".to_vec())
            ]
        );
        assert!(h.remove(b"b"));
        assert!(!h.remove(b"b"));
        assert_eq!(h.len(), 2);
        assert_eq!(pairs(&h)[1].0, b"");
        // Exact-size buffer: 2 bytes of prefixes per pair.
        if let Enc::Listpack(lp) = h.enc() {
            assert_eq!(lp.bytes(), 2 + 1 + 13 + 2);
        }
    }

    #[test]
    fn long_items_use_multibyte_prefixes() {
        let mut lp = Listpack::default();
        let big = vec![b'x'; 300];
        lp.set(&big, b"v");
        lp.set(b"k", &big);
        assert_eq!(lp.get(&big), Some(&b"v"[..]));
        assert_eq!(lp.get(b"k"), Some(&big[..]));
        assert_eq!(lp.bytes(), 2 + 300 + 1 + 1 + 1 + 1 + 2 + 300);
        lp.set(b"k", b"short");
        assert_eq!(lp.get(b"k"), Some(&b"short"[..]));
        assert_eq!(lp.len(), 2);
    }

    #[test]
    fn converts_on_entries_and_never_back() {
        let mut h = Hash::new();
        for i in 0..ENTRIES {
            h.set(format!("f{i}").as_bytes(), b"v", ENTRIES, 64);
        }
        assert_eq!(h.encoding(), "listpack");
        h.set(b"f0", b"w", ENTRIES, 64);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"new", b"v", ENTRIES, 64);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), ENTRIES as usize + 1);
        assert_eq!(h.get(b"f0"), Some(&b"w"[..]));
        for i in 0..ENTRIES {
            h.remove(format!("f{i}").as_bytes());
        }
        assert_eq!(h.len(), 1);
        assert_eq!(h.encoding(), "hashtable");
    }

    #[test]
    fn converts_on_long_items_and_on_update_over_limit() {
        let mut h = Hash::new();
        h.set(&[b'f'; 64], &[b'v'; 64], ENTRIES, 64);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"x", &[b'v'; 65], ENTRIES, 64);
        assert_eq!(h.encoding(), "hashtable");
        let mut h = Hash::new();
        h.set(&[b'f'; 65], b"", ENTRIES, 64);
        assert_eq!(h.encoding(), "hashtable");
        // Lowered entries limit: an update of an existing field converts.
        let mut h = Hash::new();
        h.set(b"a", b"1", ENTRIES, 64);
        h.set(b"b", b"1", ENTRIES, 64);
        assert!(!h.set(b"a", b"2", 1, 64));
        assert_eq!(h.encoding(), "hashtable");
        // Zero thresholds convert on the first write.
        let mut h = Hash::new();
        h.set(b"a", b"1", 0, 64);
        assert_eq!(h.encoding(), "hashtable");
        let mut h = Hash::new();
        h.set(b"", b"", ENTRIES, 0);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn random_and_scan() {
        for n in [1usize, 5, 200] {
            let mut h = Hash::new();
            for i in 0..n {
                // A lowered limit so that n = 200 is a table.
                h.set(format!("f{i}").as_bytes(), b"v", 128, 64);
            }
            for _ in 0..50 {
                let (k, v) = h.random_pair().unwrap();
                assert!(h.get(k) == Some(v));
            }
            let mut draws = 0;
            h.random_pairs(30, |k, v| {
                assert!(h.get(k) == Some(v));
                draws += 1;
                draws < 20
            });
            assert_eq!(draws, 20);
            for count in [1, n / 4, n / 2, n - 1, n] {
                let got = h.random_pairs_unique(count);
                assert_eq!(got.len(), count);
                let set: HashSet<&[u8]> = got.iter().map(|p| p.0).collect();
                assert_eq!(set.len(), count);
            }
            let mut seen = HashSet::new();
            let mut cursor = 0;
            loop {
                cursor = h.scan(cursor, |k, _| {
                    seen.insert(k.to_vec());
                });
                if cursor == 0 {
                    break;
                }
            }
            assert_eq!(seen.len(), n);
        }
        assert!(Hash::new().random_pair().is_none());
    }
}
