//! The keyspace hash table: byte-string keys to values, with incremental
//! rehashing, a Redis-compatible SCAN cursor and random sampling.
//!
//! # Why not `std::collections::HashMap`
//!
//! The server needs three things std's map does not offer:
//!
//! * **SCAN with Redis's guarantee.** A cursor that survives arbitrary
//!   inserts, deletes, growth and shrinking between calls, and still returns
//!   every element that was present for the whole scan at least once.
//! * **Random keys.** RANDOMKEY, SRANDMEMBER/SPOP and eviction sampling need
//!   a roughly uniform random element in O(1) expected time.
//! * **No stalls.** Growing a 10M-key table must not stop the event loop for
//!   the tens of milliseconds a full rehash takes; the work is spread over
//!   the following operations and the server cron instead.
//!
//! So this is a port of the *ideas* of Redis's `dict.c` (the code is our own):
//! separate chaining over power-of-two bucket arrays, and two tables during a
//! resize.
//!
//! # Layout and per-entry cost
//!
//! ```text
//!   Dict
//!   ├── ht0: [ *, ∅, *, ∅, ... ]   the table (the old one while rehashing)
//!   ├── ht1: [ ... ]               the new table, only while rehashing
//!   └── rehash_idx: Some(i)        ht0 buckets below i are already moved
//!
//!   bucket ──► Entry { next, key: PackedKey, value: V } ──► Entry ──► ∅
//!                               │
//!                               └──► key bytes (exact-size allocation)
//! ```
//!
//! A bucket is one `Option<Box<Entry>>`, i.e. a nullable pointer (8 bytes).
//! An entry is one allocation holding the chain link (8), the key (16: a
//! pointer, and a word packing the length with 24 bits of per-entry "meta",
//! see [`key`]) and the value inline: `24 + size_of::<V>()` bytes on 64-bit
//! targets, plus the key bytes in their own allocation (no header, no
//! terminator). The keyspace keeps Redis's `lru` access clock in the meta
//! bits (`db::clock`); other users leave them 0. With a load factor between 0.5 and 1 the bucket array adds
//! 8–16 bytes per key. Redis, for comparison, spends a 24-byte `dictEntry`,
//! a 16-byte `robj` for the value, an sds header for the key and the same
//! bucket pointers. We do not store the hash in the entry: it would cost 8
//! bytes per key and the hash is cheap to recompute during a rehash.
//!
//! # Invariants
//!
//! * Bucket arrays are empty or a power of two long (>= [`INITIAL_SIZE`]);
//!   `hash & (size - 1)` picks the bucket.
//! * `rehash_idx.is_some()` iff ht1 is allocated. While rehashing, every
//!   bucket of ht0 below `rehash_idx` is empty, new entries go to ht1, and
//!   lookups and removals look in both tables.
//! * A key appears at most once across both tables.
//! * `ht0.used + ht1.used == len()`.
//!
//! # Growth, shrinking and the resize switch
//!
//! Before an insertion, if the load factor reaches 1 (`len >= buckets`), a
//! table of the next power of two >= len + 1 is allocated as ht1 and the
//! rehash starts. Every mutating call (`insert*`, `get_or_insert_with`,
//! `get_mut`, `remove`) then moves one bucket (Redis's `_dictRehashStep`),
//! and the cron can spend a time budget with [`Dict::rehash_for_micros`].
//! `get` takes `&self` and so never helps.
//!
//! While a fork child is alive the server calls `set_resize_allowed(false)`:
//! rehashing touches every page of the table, which would copy the whole
//! keyspace through copy-on-write. Then we only grow once the load factor
//! exceeds [`FORCE_RESIZE_RATIO`] (Redis's `dict_force_resize_ratio`), do
//! not shrink at all, and a rehash already under way pauses. Shrinking is never automatic: the cron calls
//! [`Dict::shrink_if_needed`], which halves down to the smallest power of two
//! >= len once fewer than 10% of the buckets are used.
//!
//! # The SCAN cursor
//!
//! The cursor is a bucket index, but it is incremented from the *most*
//! significant bit of the mask downwards (reverse the bits, add one, reverse
//! back). With power-of-two tables the buckets that one bucket splits into
//! when the table doubles (or merges into when it halves) share its low
//! bits, and reverse-order increments visit all of them before moving on;
//! so the buckets already visited stay visited whatever the size becomes
//! between calls. While rehashing, one call visits bucket `cursor` of the
//! smaller table and every bucket of the larger table that expands from it.
//! Elements may be returned more than once (after a shrink), never missed.
//!
//! # Who uses it
//!
//! `db` keeps the keyspace and the expires index in a `Dict` each, and the
//! set/hash encodings may reuse it. Readers: lookups, SCAN/KEYS, RANDOMKEY,
//! the active expiry cycle (via [`Dict::scan_buckets`]) and the RDB writer in
//! the fork child (via [`Dict::iter`], which needs no mutation). The cron
//! drives [`Dict::rehash_for_micros`] and [`Dict::shrink_if_needed`].
//! The module is pure data: no I/O, no replies, single-threaded use. Its
//! one `unsafe` block takes the bucket arrays from zeroed memory (see
//! `Table::with_size`).

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::iter::Chain;
use std::mem;
use std::slice;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use std::vec;

mod key;

use key::PackedKey;
pub use key::{META_BITS, META_MAX};

/// Smallest non-empty table, as Redis's `DICT_HT_INITIAL_SIZE`.
pub const INITIAL_SIZE: usize = 4;

/// With resizing disallowed we still grow once `len / buckets` exceeds this
/// (Redis's `dict_force_resize_ratio`), so chains cannot grow without bound.
pub const FORCE_RESIZE_RATIO: usize = 5;

/// Below this fill percentage `shrink_if_needed` shrinks the table
/// (Redis's `HASHTABLE_MIN_FILL`).
pub const MIN_FILL_PERCENT: usize = 10;

/// How many entries `fair_random_entry` samples before picking one
/// (Redis's `GETFAIR_NUM_ENTRIES`).
const FAIR_SAMPLE: usize = 15;

/// Random probes `random_entry` makes before falling back to a linear walk.
/// Redis probes without bound, which costs O(buckets) on a nearly empty
/// table that could not shrink (resize switch off during a long BGSAVE).
const RANDOM_PROBES: usize = 256;

// ---------------------------------------------------------------------------
// Seeds, hashing and the small PRNG
// ---------------------------------------------------------------------------

/// Per-process secrets, drawn once from the OS.
struct Seeds {
    /// Keys of the byte hash; every multiplication operand is masked by one
    /// of these so an attacker cannot aim for a zero product.
    hash: [u64; 4],
    /// Starting point of the `random_u64` sequence.
    rng: u64,
}

static SEEDS: OnceLock<Seeds> = OnceLock::new();

fn seeds() -> &'static Seeds {
    SEEDS.get_or_init(|| {
        // std seeds `RandomState` from the OS (getrandom on Linux) and SipHash
        // under a secret 128-bit key is unpredictable, which is all we need;
        // this keeps seeding free of FFI and of file I/O.
        let state = RandomState::new();
        let word = |i: u64| state.hash_one(i);
        Seeds {
            hash: [word(0), word(1), word(2), word(3)],
            rng: word(4),
        }
    })
}

/// Odd constants for the PRNG increment and the final mix (wyhash's).
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;

/// 64x64 -> 128 bit multiply folded back to 64 bits: the mixing primitive.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = (a as u128) * (b as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

#[inline(always)]
fn read64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn read32(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w) as u64
}

/// Hashes `bytes` with the per-process seed. Fast for the 10–20 byte keys
/// typical of a keyspace: keys up to 16 bytes cost two overlapping loads and
/// two multiplies. The structure follows wyhash (multiply-fold of 64-bit
/// words) but every multiplicand is xored with a secret, so inputs that zero
/// a product cannot be chosen without knowing the seed.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    hash_with(bytes, &seeds().hash)
}

#[inline]
fn hash_with(b: &[u8], k: &[u64; 4]) -> u64 {
    let len = b.len();
    let mut s = k[0];
    let (lo, hi) = if len <= 16 {
        if len >= 8 {
            (read64(b, 0), read64(b, len - 8))
        } else if len >= 4 {
            (read32(b, 0), read32(b, len - 4))
        } else if len > 0 {
            // First, middle and last byte cover 1..=3 byte keys exactly.
            let v = ((b[0] as u64) << 16) | ((b[len / 2] as u64) << 8) | b[len - 1] as u64;
            (v, 0)
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while len - i > 16 {
            s = fold(read64(b, i) ^ k[1], read64(b, i + 8) ^ s);
            i += 16;
        }
        // The last 16 bytes, possibly overlapping the final block.
        (read64(b, len - 16), read64(b, len - 8))
    };
    // The overlapping reads are ambiguous on their own; the length settles it.
    let x = fold(lo ^ k[2], hi ^ s);
    fold(x ^ k[3], (len as u64) ^ P1)
}

/// wyrand counter; an atomic so the function is safe from any thread, and
/// a fork child simply continues the parent's sequence.
static RNG_STATE: AtomicU64 = AtomicU64::new(0);

/// A fast non-cryptographic random number (wyrand). Used for random keys,
/// sampling and anything else in the server that needs cheap randomness.
pub fn random_u64() -> u64 {
    let s = RNG_STATE
        .fetch_add(P0, Ordering::Relaxed)
        .wrapping_add(P0)
        .wrapping_add(seeds().rng);
    fold(s, s ^ P1)
}

/// Uniform-ish integer in `0..n` (`n > 0`) by multiply-high, no division.
#[inline]
fn random_below(n: usize) -> usize {
    ((random_u64() as u128 * n as u128) >> 64) as usize
}

// ---------------------------------------------------------------------------
// The resize switch
// ---------------------------------------------------------------------------

static RESIZE_ALLOWED: AtomicBool = AtomicBool::new(true);

/// Allows or forbids ordinary resizing of every `Dict` in the process
/// (Redis's `dictEnableResize`/`dictDisableResize`). The server turns it off
/// while a fork child lives, to avoid copy-on-write of the tables.
pub fn set_resize_allowed(allowed: bool) {
    RESIZE_ALLOWED.store(allowed, Ordering::Relaxed);
}

/// Current state of the switch set by [`set_resize_allowed`].
pub fn resize_allowed() -> bool {
    RESIZE_ALLOWED.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------
// Entries and tables
// ---------------------------------------------------------------------------

/// A chain link: null pointer when the chain ends (8 bytes thanks to the
/// `Option<Box<_>>` niche).
type Link<V> = Option<Box<Entry<V>>>;

/// One key/value pair, the node of a bucket's chain (Redis's `dictEntry`).
struct Entry<V> {
    /// Next entry in the same bucket.
    next: Link<V>,
    /// The key, kept in the caller's allocation for its whole life here,
    /// and the entry's meta bits.
    key: PackedKey,
    /// The value, stored inline.
    value: V,
}

/// The entries of a chain, from the one given.
struct ChainWalk<'a, V>(Option<&'a Entry<V>>);

impl<'a, V> Iterator for ChainWalk<'a, V> {
    type Item = &'a Entry<V>;

    fn next(&mut self) -> Option<&'a Entry<V>> {
        let e = self.0?;
        self.0 = e.next.as_deref();
        Some(e)
    }
}

/// One bucket array (Redis's `ht_table[i]` with its `ht_used[i]`).
struct Table<V> {
    /// Chain heads; empty, or a power of two long.
    buckets: Box<[Link<V>]>,
    /// Entries stored in this table.
    used: usize,
}

impl<V> Table<V> {
    fn empty() -> Self {
        Table {
            buckets: Box::new([]),
            used: 0,
        }
    }

    /// A table of `size` (a power of two) empty buckets.
    fn with_size(size: usize) -> Self {
        debug_assert!(size.is_power_of_two());
        // Zeroed memory comes from calloc, which for big tables maps fresh
        // zero pages lazily: allocating the 128 MiB table of a 10M-key
        // keyspace then costs nothing up front, and the page faults are
        // spread over the incremental rehash (Redis uses zcalloc likewise).
        let zeroed = Box::<[Link<V>]>::new_zeroed_slice(size);
        // SAFETY: std documents that `Option<Box<T>>` has the null-pointer
        // layout, so the all-zero bit pattern is a valid `None`.
        let buckets = unsafe { zeroed.assume_init() };
        Table { buckets, used: 0 }
    }

    #[inline]
    fn size(&self) -> usize {
        self.buckets.len()
    }

    /// Mask selecting a bucket; 0 for an empty table, which callers must
    /// not index.
    #[inline]
    fn mask(&self) -> usize {
        self.buckets.len().saturating_sub(1)
    }

    #[inline]
    fn index(&self, h: u64) -> usize {
        (h as usize) & self.mask()
    }

    /// A key that two entries of one chain hold, if any. The walk is in
    /// bucket order and asks for memory ahead of itself: the head entry of
    /// the bucket [`PREFETCH_DISTANCE`] × 2 ahead, then, once that has
    /// arrived, the key and second entry of chains of two or more.
    fn chain_duplicate(&self) -> Option<&[u8]> {
        let buckets = &self.buckets;
        for (i, head) in buckets.iter().enumerate() {
            if let Some(e) = buckets
                .get(i + 2 * PREFETCH_DISTANCE)
                .and_then(|l| l.as_deref())
            {
                crate::util::prefetch(e);
            }
            let near = buckets
                .get(i + PREFETCH_DISTANCE)
                .and_then(|l| l.as_deref());
            if let Some((e, second)) = near.and_then(|e| Some((e, e.next.as_deref()?))) {
                crate::util::prefetch(e.key.as_ptr());
                crate::util::prefetch(second);
            }
            let mut first = head.as_deref();
            while let Some(e) = first {
                if ChainWalk(e.next.as_deref()).any(|other| *other.key == *e.key) {
                    return Some(&e.key);
                }
                first = e.next.as_deref();
            }
        }
        None
    }

    fn find(&self, h: u64, key: &[u8]) -> Option<&Entry<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut cur = self.buckets[self.index(h)].as_deref();
        while let Some(e) = cur {
            if *e.key == *key {
                return Some(e);
            }
            cur = e.next.as_deref();
        }
        None
    }

    fn find_mut(&mut self, h: u64, key: &[u8]) -> Option<&mut Entry<V>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = self.index(h);
        let mut cur = self.buckets[idx].as_deref_mut();
        while let Some(e) = cur {
            if *e.key == *key {
                return Some(e);
            }
            cur = e.next.as_deref_mut();
        }
        None
    }

    /// Detaches the entry for `key` from its chain, if present.
    fn unlink(&mut self, h: u64, key: &[u8]) -> Option<Box<Entry<V>>> {
        if self.buckets.is_empty() {
            return None;
        }
        let idx = self.index(h);
        let mut cur = &mut self.buckets[idx];
        while cur.as_ref().is_some_and(|e| *e.key != *key) {
            // The loop condition just saw `Some`.
            cur = &mut cur.as_mut().unwrap().next;
        }
        let mut e = cur.take()?;
        *cur = e.next.take();
        self.used -= 1;
        Some(e)
    }

    /// Removes the entries for which `keep` says false; returns how many.
    fn retain(&mut self, keep: &mut impl FnMut(&[u8], &mut V) -> bool) -> usize {
        let mut removed = 0;
        for bucket in self.buckets.iter_mut() {
            let mut cur = bucket;
            while cur.is_some() {
                // The loop condition just saw `Some`.
                let e = cur.as_mut().unwrap();
                if keep(&e.key, &mut e.value) {
                    cur = &mut cur.as_mut().unwrap().next;
                } else {
                    let mut dead = cur.take().unwrap();
                    *cur = dead.next.take();
                    removed += 1;
                }
            }
        }
        self.used -= removed;
        removed
    }
}

// ---------------------------------------------------------------------------
// Dict
// ---------------------------------------------------------------------------

/// Hash table from byte-string keys to `V`; see the module documentation.
pub struct Dict<V> {
    /// The table; while rehashing, the old one being drained.
    ht0: Table<V>,
    /// The new table while rehashing, empty otherwise.
    ht1: Table<V>,
    /// Next ht0 bucket to move to ht1 (Redis's `rehashidx`); `None` when
    /// not rehashing.
    rehash_idx: Option<usize>,
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Dict<V> {
    /// An empty dict; allocates nothing until the first insertion.
    pub fn new() -> Self {
        Dict {
            ht0: Table::empty(),
            ht1: Table::empty(),
            rehash_idx: None,
        }
    }

    /// An empty dict that holds `n` entries without growing.
    pub fn with_capacity(n: usize) -> Self {
        let mut d = Self::new();
        if n > 0 {
            d.resize_to(n);
        }
        d
    }

    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.ht0.used + self.ht1.used
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every entry and both tables (Redis's `dictEmpty`). This is
    /// O(len) on the calling thread; lazy freeing is the caller's business.
    pub fn clear(&mut self) {
        *self = Self::new();
    }

    /// True while an incremental rehash is in progress.
    #[inline]
    pub fn is_rehashing(&self) -> bool {
        self.rehash_idx.is_some()
    }

    /// Total bucket count of both tables (INFO, DEBUG HTSTATS).
    pub fn buckets(&self) -> usize {
        self.ht0.size() + self.ht1.size()
    }

    /// Approximate bytes spent on the structure itself: the `Dict`, the
    /// bucket arrays and the entry nodes (whose size includes `V`'s inline
    /// part). Key bytes and anything `V` owns on the heap are not counted,
    /// nor is allocator rounding.
    pub fn mem_overhead(&self) -> usize {
        mem::size_of::<Self>()
            + self.buckets() * mem::size_of::<Link<V>>()
            + self.len() * mem::size_of::<Entry<V>>()
    }

    // -- lookups ------------------------------------------------------------

    fn find(&self, h: u64, key: &[u8]) -> Option<&Entry<V>> {
        if let Some(e) = self.ht0.find(h, key) {
            return Some(e);
        }
        if self.rehash_idx.is_some() {
            self.ht1.find(h, key)
        } else {
            None
        }
    }

    fn find_mut(&mut self, h: u64, key: &[u8]) -> Option<&mut Entry<V>> {
        let rehashing = self.rehash_idx.is_some();
        if let Some(e) = self.ht0.find_mut(h, key) {
            return Some(e);
        }
        if rehashing {
            self.ht1.find_mut(h, key)
        } else {
            None
        }
    }

    /// The value for `key`. Takes `&self`, so it does no rehash step.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        if self.is_empty() {
            return None;
        }
        self.find(hash_bytes(key), key).map(|e| &e.value)
    }

    /// The value for `key` and the entry's meta bits. Like `get`, no
    /// rehash step.
    pub fn get_with_meta(&self, key: &[u8]) -> Option<(&V, u32)> {
        if self.is_empty() {
            return None;
        }
        self.find(hash_bytes(key), key)
            .map(|e| (&e.value, e.key.meta()))
    }

    /// The stored key and value for `key`.
    pub fn get_key_value(&self, key: &[u8]) -> Option<(&[u8], &V)> {
        if self.is_empty() {
            return None;
        }
        self.find(hash_bytes(key), key).map(|e| (&*e.key, &e.value))
    }

    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.get(key).is_some()
    }

    /// Mutable access to the value for `key`; does one rehash step.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        self.rehash_one();
        self.find_mut(hash_bytes(key), key).map(|e| &mut e.value)
    }

    /// Like `get_mut`, and replaces the entry's meta with `update(meta)` in
    /// the same walk: the keyspace stamps its access clock this way on every
    /// lookup, so a touch costs no second search.
    #[inline]
    pub fn get_mut_touch(&mut self, key: &[u8], update: impl FnOnce(u32) -> u32) -> Option<&mut V> {
        if self.is_empty() {
            return None;
        }
        self.rehash_one();
        let e = self.find_mut(hash_bytes(key), key)?;
        e.key.set_meta(update(e.key.meta()));
        Some(&mut e.value)
    }

    /// Sets the meta bits of `key`'s entry (truncated to [`META_BITS`]).
    /// Returns false if the key is absent.
    pub fn set_meta(&mut self, key: &[u8], meta: u32) -> bool {
        self.get_mut_touch(key, |_| meta).is_some()
    }

    // -- insertion and removal ---------------------------------------------

    /// Inserts or replaces. On replace the stored key allocation and meta
    /// are kept (the new `key` is dropped) and the old value is returned.
    /// A new entry's meta is 0.
    pub fn insert(&mut self, key: Box<[u8]>, value: V) -> Option<V> {
        self.rehash_one();
        self.expand_if_needed();
        let h = hash_bytes(&key);
        if let Some(e) = self.find_mut(h, &key) {
            return Some(mem::replace(&mut e.value, value));
        }
        self.link_new(h, PackedKey::new(key, 0), value);
        None
    }

    /// Inserts a key the caller knows is absent, skipping the lookup
    /// (RDB loading, copying). Checked only in debug builds.
    pub fn insert_new(&mut self, key: Box<[u8]>, value: V) {
        self.insert_new_with_meta(key, value, 0);
    }

    /// [`insert_new`](Self::insert_new) with the entry's meta bits.
    pub fn insert_new_with_meta(&mut self, key: Box<[u8]>, value: V, meta: u32) {
        self.rehash_one();
        self.expand_if_needed();
        let h = hash_bytes(&key);
        debug_assert!(self.find(h, &key).is_none(), "insert_new: key exists");
        self.link_new(h, PackedKey::new(key, meta), value);
    }

    /// Inserts `key` without looking for it first, for bulk loads that
    /// check for duplicates once at the end with
    /// [`first_duplicate`](Self::first_duplicate): a key inserted twice is
    /// held twice until then. `h` must be `hash_bytes(&key)`.
    ///
    /// Why: looking each key up walks its chain, one cache miss per entry
    /// and per same-length key compared, in random order; that was about a
    /// fifth of an RDB load. The check at the end walks the buckets in
    /// order and prefetches ahead.
    pub fn insert_hashed_unchecked(&mut self, h: u64, key: Box<[u8]>, value: V, meta: u32) {
        debug_assert_eq!(h, hash_bytes(&key));
        self.rehash_one();
        self.expand_if_needed();
        self.link_new(h, PackedKey::new(key, meta), value);
    }

    /// [`insert_hashed_unchecked`](Self::insert_hashed_unchecked), hashing
    /// the key itself.
    pub fn insert_unchecked(&mut self, key: Box<[u8]>, value: V, meta: u32) {
        let h = hash_bytes(&key);
        self.insert_hashed_unchecked(h, key, value, meta);
    }

    /// A key held twice (after unchecked inserts), if any. Equal keys have
    /// equal hashes and so share a chain of the same table; while
    /// rehashing, a key still in the old table may also have its double in
    /// the new one.
    pub fn first_duplicate(&self) -> Option<&[u8]> {
        if let Some(k) = self.ht0.chain_duplicate() {
            return Some(k);
        }
        self.rehash_idx?;
        if let Some(k) = self.ht1.chain_duplicate() {
            return Some(k);
        }
        // Rare (a load that ends mid-rehash): look each old key up.
        self.ht0
            .buckets
            .iter()
            .flat_map(|head| ChainWalk(head.as_deref()))
            .find(|e| self.ht1.find(hash_bytes(&e.key), &e.key).is_some())
            .map(|e| &*e.key)
    }

    /// Asks the CPU to start loading the bucket `key` would go to, so that a
    /// lookup or insert of `key` a little later does not wait for memory.
    /// A hint only: it changes nothing and cannot fault. Returns the key's
    /// hash, for [`insert_hashed_unchecked`](Self::insert_hashed_unchecked).
    #[inline]
    pub fn prefetch(&self, key: &[u8]) -> u64 {
        let h = hash_bytes(key);
        let table = if self.rehash_idx.is_some() {
            &self.ht1
        } else {
            &self.ht0
        };
        if table.buckets.is_empty() {
            return h;
        }
        crate::util::prefetch(&table.buckets[table.index(h)]);
        h
    }

    /// Makes room for `n` entries in all, so that inserting up to that many
    /// does not rehash on the way (Redis's `dictTryExpand` when RESIZEDB
    /// announces a database's size). Does nothing while rehashing or when
    /// the table is already big enough.
    pub fn reserve(&mut self, n: usize) {
        if n > self.ht0.size() {
            self.resize_to(n);
        }
    }

    /// The value for `key`, inserting `f()` first if it is absent; the key
    /// is copied into a new box only in that case. Returns the value and
    /// whether it was inserted.
    pub fn get_or_insert_with(&mut self, key: &[u8], f: impl FnOnce() -> V) -> (&mut V, bool) {
        self.rehash_one();
        self.expand_if_needed();
        let h = hash_bytes(key);
        // Two walks on a hit: returning the borrow from a conditional
        // `find_mut` and then inserting is not accepted by today's borrow
        // checker, and chains are short.
        if self.find(h, key).is_some() {
            let e = self.find_mut(h, key).expect("entry found just above");
            return (&mut e.value, false);
        }
        let e = self.link_new(h, PackedKey::new(key.into(), 0), f());
        (&mut e.value, true)
    }

    /// Pushes a new entry on the head of its chain in the table receiving
    /// inserts. The table must already be allocated (`expand_if_needed`).
    fn link_new(&mut self, h: u64, key: PackedKey, value: V) -> &mut Entry<V> {
        let table = if self.rehash_idx.is_some() {
            &mut self.ht1
        } else {
            &mut self.ht0
        };
        debug_assert!(table.size() > 0);
        let idx = table.index(h);
        table.used += 1;
        let slot = &mut table.buckets[idx];
        let next = slot.take();
        slot.insert(Box::new(Entry { next, key, value }))
    }

    /// Removes `key`, giving back the stored key and the value.
    pub fn remove(&mut self, key: &[u8]) -> Option<(Box<[u8]>, V)> {
        self.remove_with_meta(key).map(|(k, v, _)| (k, v))
    }

    /// Removes `key`, giving back the stored key, the value and the meta.
    pub fn remove_with_meta(&mut self, key: &[u8]) -> Option<(Box<[u8]>, V, u32)> {
        if self.is_empty() {
            return None;
        }
        self.rehash_one();
        let h = hash_bytes(key);
        let e = match self.ht0.unlink(h, key) {
            Some(e) => e,
            None if self.rehash_idx.is_some() => self.ht1.unlink(h, key)?,
            None => return None,
        };
        let Entry { key, value, .. } = *e;
        let meta = key.meta();
        Some((key.into_box(), value, meta))
    }

    /// Keeps only the entries for which `keep` returns true. Does not
    /// shrink; the cron's `shrink_if_needed` will.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8], &mut V) -> bool) {
        self.ht0.retain(&mut keep);
        self.ht1.retain(&mut keep);
        if self.rehash_idx.is_some() && self.ht0.used == 0 {
            // Nothing left to move: finish now rather than on the next step.
            self.rehash_step(0);
        }
    }

    // -- resizing and rehashing ---------------------------------------------

    /// Starts using a table of the smallest power of two >= `min` (and >=
    /// `INITIAL_SIZE`), like Redis's `_dictExpand`. Refused while rehashing,
    /// when `min` is below `len`, or when the size would not change.
    fn resize_to(&mut self, min: usize) -> bool {
        if self.rehash_idx.is_some() || min < self.ht0.used {
            return false;
        }
        let size = min.max(INITIAL_SIZE).next_power_of_two();
        if size == self.ht0.size() {
            return false;
        }
        let table = Table::with_size(size);
        if self.ht0.used == 0 {
            // Nothing to move (first allocation, or an emptied table).
            self.ht0 = table;
        } else {
            self.ht1 = table;
            self.rehash_idx = Some(0);
        }
        true
    }

    /// Grows before an insertion if needed (Redis's `_dictExpandIfNeeded`).
    fn expand_if_needed(&mut self) {
        if self.rehash_idx.is_some() {
            return;
        }
        let size = self.ht0.size();
        if size == 0 {
            self.resize_to(INITIAL_SIZE);
            return;
        }
        let used = self.ht0.used;
        if used >= size && (resize_allowed() || used / size > FORCE_RESIZE_RATIO) {
            self.resize_to(used + 1);
        }
    }

    /// Shrinks to the smallest power of two >= len (minimum 4) when fewer
    /// than 10% of the buckets are used. Does nothing while rehashing or
    /// while resizing is disallowed. Returns true if a resize started.
    /// Meant for the server cron (Redis's `tryResizeHashTables`).
    pub fn shrink_if_needed(&mut self) -> bool {
        if !resize_allowed() || self.rehash_idx.is_some() {
            return false;
        }
        let size = self.ht0.size();
        let used = self.ht0.used;
        if size > INITIAL_SIZE && used * 100 / size < MIN_FILL_PERCENT {
            self.resize_to(used.max(INITIAL_SIZE))
        } else {
            false
        }
    }

    /// One bucket's worth of rehash, done by mutating operations.
    #[inline]
    fn rehash_one(&mut self) {
        // While a fork child lives a rehash in progress waits (as Redis
        // 7.2's DICT_RESIZE_AVOID): moving an entry rewrites its link, and
        // with entries spread over the heap, a rehash would copy nearly
        // every page of the keyspace through copy-on-write. Lookups look in
        // both tables meanwhile, and inserts go to the new one.
        if self.rehash_idx.is_some() && resize_allowed() {
            self.rehash_step(1);
        }
    }

    /// Moves up to `n` non-empty buckets from ht0 to ht1, visiting at most
    /// `10 * n` empty ones so a sparse table cannot make one call slow
    /// (Redis's `dictRehash`). Returns true if there is more to do.
    pub fn rehash_step(&mut self, n: usize) -> bool {
        let Some(mut idx) = self.rehash_idx else {
            return false;
        };
        let shrinking = self.ht1.size() < self.ht0.size();
        let mask1 = self.ht1.mask();
        let mut empty_visits = n * 10;
        let mut left = n;
        while left > 0 && self.ht0.used != 0 {
            left -= 1;
            // In bounds: ht0 still holds entries, all at or above `idx`.
            while self.ht0.buckets[idx].is_none() {
                idx += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    self.rehash_idx = Some(idx);
                    return true;
                }
            }
            let mut chain = self.ht0.buckets[idx].take();
            while let Some(mut e) = chain {
                chain = e.next.take();
                // When shrinking the new index is the old one's low bits,
                // which saves hashing the key again.
                let dst = if shrinking {
                    idx & mask1
                } else {
                    (hash_bytes(&e.key) as usize) & mask1
                };
                e.next = self.ht1.buckets[dst].take();
                self.ht1.buckets[dst] = Some(e);
                self.ht0.used -= 1;
                self.ht1.used += 1;
            }
            idx += 1;
        }
        if self.ht0.used == 0 {
            self.ht0 = mem::replace(&mut self.ht1, Table::empty());
            self.rehash_idx = None;
            return false;
        }
        self.rehash_idx = Some(idx);
        true
    }

    /// Rehashes in batches of 100 buckets until done or until `us`
    /// microseconds have passed (Redis's `dictRehashMilliseconds`, for the
    /// cron). Returns the number of buckets requested, a rough work count.
    pub fn rehash_for_micros(&mut self, us: u64) -> usize {
        let start = Instant::now();
        let budget = Duration::from_micros(us);
        let mut done = 0;
        while self.rehash_step(100) {
            done += 100;
            if start.elapsed() >= budget {
                break;
            }
        }
        done
    }

    // -- iteration ------------------------------------------------------------

    /// Every entry once, in unspecified order (both tables while rehashing).
    pub fn iter(&self) -> Iter<'_, V> {
        Iter {
            buckets: self.ht0.buckets.iter().chain(self.ht1.buckets.iter()),
            node: None,
            remaining: self.len(),
        }
    }

    /// Like `iter`, with each entry's meta bits (the RDB writer saves the
    /// keyspace's access clock from them).
    pub fn iter_with_meta(&self) -> IterMeta<'_, V> {
        IterMeta(self.iter())
    }

    /// Like [`iter_with_meta`](Self::iter_with_meta), for walks that read
    /// every key and value of a big dict (the RDB writer). An entry, its
    /// key bytes and its value's heap block each sit in their own
    /// allocation, so a plain walk waits on memory three times per key.
    /// This one asks the CPU for them a few buckets before returning them:
    /// first the entries of a bucket [`PREFETCH_DISTANCE`] × 2 ahead, then,
    /// once those are cached, the key bytes and the block `value_addr`
    /// names of the entries [`PREFETCH_DISTANCE`] ahead. The misses then
    /// overlap the caller's work on the keys before them.
    pub fn iter_prefetching<F>(&self, value_addr: F) -> IterAhead<'_, V, F>
    where
        F: Fn(&V) -> Option<*const u8>,
    {
        let walk = self.iter();
        let mut near = walk.buckets.clone();
        let mut far = walk.buckets.clone();
        // Skip the first PREFETCH_DISTANCE (and twice as many) buckets.
        near.nth(PREFETCH_DISTANCE - 1);
        far.nth(2 * PREFETCH_DISTANCE - 1);
        IterAhead {
            walk,
            near,
            far,
            value_addr,
        }
    }

    /// Like `iter` with mutable values.
    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        let remaining = self.len();
        IterMut {
            buckets: self
                .ht0
                .buckets
                .iter_mut()
                .chain(self.ht1.buckets.iter_mut()),
            node: None,
            remaining,
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// Empties the dict, handing out its entries (FLUSHDB, RDB loading into
    /// another structure). Entries not consumed are dropped with the iterator.
    pub fn drain(&mut self) -> IntoIter<V> {
        mem::take(self).into_iter()
    }

    // -- SCAN -----------------------------------------------------------------

    /// Visits the entries of the bucket(s) addressed by `cursor` and returns
    /// the next cursor, 0 once the scan is complete (Redis's `dictScan`).
    ///
    /// Start with 0. Every entry present from the first call to the last is
    /// passed to `f` at least once, even if the table grows, shrinks or
    /// rehashes between calls; entries may be repeated.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], &V)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut visit = |bucket: &Link<V>| {
            let mut cur = bucket.as_deref();
            while let Some(e) = cur {
                f(&e.key, &e.value);
                cur = e.next.as_deref();
            }
        };
        let mut v = cursor;
        if self.rehash_idx.is_none() {
            let m0 = self.ht0.mask() as u64;
            visit(&self.ht0.buckets[(v & m0) as usize]);
            return next_cursor(v, m0);
        }
        let (small, large) = if self.ht0.size() <= self.ht1.size() {
            (&self.ht0, &self.ht1)
        } else {
            (&self.ht1, &self.ht0)
        };
        let m0 = small.mask() as u64;
        let m1 = large.mask() as u64;
        visit(&small.buckets[(v & m0) as usize]);
        // Then every bucket of the larger table whose low bits are the
        // cursor's: the high bits beyond the small mask count through all
        // their values in reverse order, and when they wrap to zero the
        // carry has advanced the small-table part of the cursor.
        loop {
            visit(&large.buckets[(v & m1) as usize]);
            v = next_cursor(v, m1);
            if v & (m0 ^ m1) == 0 {
                break;
            }
        }
        v
    }

    /// Runs `scan` for up to `max_buckets` cursor steps, stopping early when
    /// the scan completes. Returns the next cursor (0 when complete).
    pub fn scan_buckets(
        &self,
        mut cursor: u64,
        max_buckets: usize,
        mut f: impl FnMut(&[u8], &V),
    ) -> u64 {
        for _ in 0..max_buckets {
            cursor = self.scan(cursor, &mut f);
            if cursor == 0 {
                break;
            }
        }
        cursor
    }

    // -- random access ------------------------------------------------------------

    /// Bucket `i` of the virtual concatenation ht0 ++ ht1.
    #[inline]
    fn virtual_bucket(&self, i: usize) -> &Link<V> {
        let s0 = self.ht0.size();
        if i < s0 {
            &self.ht0.buckets[i]
        } else {
            &self.ht1.buckets[i - s0]
        }
    }

    /// Head of a random non-empty chain: uniform over non-empty buckets of
    /// both tables, skipping ht0's already-migrated prefix, which is empty.
    fn random_chain(&self) -> Option<&Entry<V>> {
        if self.is_empty() {
            return None;
        }
        let start = self.rehash_idx.unwrap_or(0);
        let span = self.buckets() - start;
        for _ in 0..RANDOM_PROBES {
            if let Some(e) = self
                .virtual_bucket(start + random_bucket_offset(span))
                .as_deref()
            {
                return Some(e);
            }
        }
        // Nearly empty table: walk from a random point instead (biased
        // towards buckets after long empty runs, but bounded).
        let from = random_below(span);
        (0..span)
            .map(|k| start + (from + k) % span)
            .find_map(|i| self.virtual_bucket(i).as_deref())
    }

    /// A random entry (Redis's `dictGetRandomKey`): a random non-empty
    /// bucket, then a random element of its chain. Entries in long chains
    /// are less likely than others; see `fair_random_entry`.
    pub fn random_entry(&self) -> Option<(&[u8], &V)> {
        let head = self.random_chain()?;
        let mut len = 0;
        let mut cur = Some(head);
        while let Some(e) = cur {
            len += 1;
            cur = e.next.as_deref();
        }
        let mut e = head;
        for _ in 0..random_below(len) {
            // `len` counted this many successors.
            e = e.next.as_deref().unwrap();
        }
        Some((&e.key, &e.value))
    }

    /// Appends up to `count` entries found by walking consecutive buckets
    /// from a random point (Redis's `dictGetSomeKeys`): cheap, not uniform,
    /// may return duplicates, and may return fewer than asked when the walk
    /// runs out of its `10 * count` steps. Returns how many were appended.
    pub fn sample_entries<'a>(&'a self, count: usize, out: &mut Vec<(&'a [u8], &'a V)>) -> usize {
        let count = count.min(self.len());
        if count == 0 {
            return 0;
        }
        let tables: &[&Table<V>] = if self.rehash_idx.is_some() {
            &[&self.ht0, &self.ht1]
        } else {
            &[&self.ht0]
        };
        let rehash_idx = self.rehash_idx.unwrap_or(0);
        let max_mask = self.ht0.mask().max(self.ht1.mask());
        let mut stored = 0;
        let mut steps = count * 10;
        let mut empty_run = 0;
        let mut i = random_u64() as usize & max_mask;
        while stored < count && steps > 0 {
            steps -= 1;
            for (j, t) in tables.iter().enumerate() {
                if j == 0 && tables.len() == 2 && i < rehash_idx {
                    // Migrated ht0 buckets are empty. If `i` is also past
                    // the end of ht1 (a shrink), jump to the live part of ht0.
                    if i >= self.ht1.size() {
                        i = rehash_idx;
                    } else {
                        continue;
                    }
                }
                if i >= t.size() {
                    continue;
                }
                let mut cur = t.buckets[i].as_deref();
                if cur.is_none() {
                    empty_run += 1;
                    if empty_run >= 5 && empty_run > count {
                        // A long hole: try somewhere else.
                        i = random_u64() as usize & max_mask;
                        empty_run = 0;
                    }
                    continue;
                }
                empty_run = 0;
                while let Some(e) = cur {
                    out.push((&e.key, &e.value));
                    stored += 1;
                    if stored == count {
                        return stored;
                    }
                    cur = e.next.as_deref();
                }
            }
            i = (i + 1) & max_mask;
        }
        stored
    }

    /// Keys-only form of [`Dict::sample_entries`].
    pub fn sample<'a>(&'a self, count: usize, out: &mut Vec<&'a [u8]>) {
        let mut entries = Vec::with_capacity(count.min(self.len()));
        self.sample_entries(count, &mut entries);
        out.extend(entries.into_iter().map(|(k, _)| k));
    }

    /// A random entry with less chain-length bias (Redis's
    /// `dictGetFairRandomKey`): sample a handful of entries and pick one,
    /// falling back to `random_entry` if the sample came back empty.
    pub fn fair_random_entry(&self) -> Option<(&[u8], &V)> {
        let mut picks = Vec::with_capacity(FAIR_SAMPLE);
        if self.sample_entries(FAIR_SAMPLE, &mut picks) == 0 {
            return self.random_entry();
        }
        Some(picks[random_below(picks.len())])
    }

    // -- statistics -------------------------------------------------------------

    /// Chain statistics as Redis's `dictGetStats` prints them for DEBUG
    /// HTSTATS: one block for ht0, and one for ht1 while rehashing.
    pub fn stats(&self) -> String {
        let mut s = table_stats(&self.ht0, 0);
        if self.rehash_idx.is_some() {
            s.push_str(&table_stats(&self.ht1, 1));
        }
        s
    }
}

/// Random offset in `0..span` for `random_chain`. Kept apart so the common
/// power-of-two case avoids the multiply.
#[inline]
fn random_bucket_offset(span: usize) -> usize {
    if span.is_power_of_two() {
        random_u64() as usize & (span - 1)
    } else {
        random_below(span)
    }
}

/// Reverse-binary increment of a SCAN cursor under `mask`: set the bits
/// above the mask so the carry runs off them, then add one to the reversed
/// value.
#[inline]
fn next_cursor(v: u64, mask: u64) -> u64 {
    (v | !mask).reverse_bits().wrapping_add(1).reverse_bits()
}

/// One table's block of `Dict::stats`, byte-compatible with Redis 7.0's
/// `_dictGetStatsHt` (including its f32 arithmetic, and its habit of not
/// printing the last, "50 or longer", histogram slot).
fn table_stats<V>(t: &Table<V>, id: usize) -> String {
    use fmt::Write;
    const LEN_SLOTS: usize = 50;
    if t.used == 0 {
        return "No stats available for empty dictionaries\n".to_string();
    }
    let mut hist = [0usize; LEN_SLOTS];
    let (mut slots, mut max_chain, mut total_chain) = (0usize, 0usize, 0usize);
    for b in t.buckets.iter() {
        let mut len = 0;
        let mut cur = b.as_deref();
        while let Some(e) = cur {
            len += 1;
            cur = e.next.as_deref();
        }
        hist[len.min(LEN_SLOTS - 1)] += 1;
        if len > 0 {
            slots += 1;
            max_chain = max_chain.max(len);
            total_chain += len;
        }
    }
    let name = if id == 0 {
        "main hash table"
    } else {
        "rehashing target"
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "Hash table {id} stats ({name}):\n table size: {}\n number of elements: {}\n \
         different slots: {slots}\n max chain length: {max_chain}\n \
         avg chain length (counted): {:.2}\n avg chain length (computed): {:.2}\n \
         Chain length distribution:\n",
        t.size(),
        t.used,
        total_chain as f32 / slots as f32,
        t.used as f32 / slots as f32
    );
    for (len, &n) in hist[..LEN_SLOTS - 1].iter().enumerate() {
        if n > 0 {
            let pct = (n as f32 / t.size() as f32) * 100.0;
            let _ = writeln!(s, "   {len}: {n} ({pct:.2}%)");
        }
    }
    s
}

impl<V: fmt::Debug> fmt::Debug for Dict<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (String::from_utf8_lossy(k), v)))
            .finish()
    }
}

impl<V: Clone> Clone for Dict<V> {
    fn clone(&self) -> Self {
        let mut d = Dict::with_capacity(self.len());
        for (k, v, meta) in self.iter_with_meta() {
            d.insert_new_with_meta(k.into(), v.clone(), meta);
        }
        d
    }
}

impl<V> Extend<(Box<[u8]>, V)> for Dict<V> {
    fn extend<I: IntoIterator<Item = (Box<[u8]>, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<V> FromIterator<(Box<[u8]>, V)> for Dict<V> {
    fn from_iter<I: IntoIterator<Item = (Box<[u8]>, V)>>(iter: I) -> Self {
        let mut d = Dict::new();
        d.extend(iter);
        d
    }
}

// ---------------------------------------------------------------------------
// Iterators
// ---------------------------------------------------------------------------

/// Borrowing iterator over `(key, value)`; see [`Dict::iter`].
pub struct Iter<'a, V> {
    /// Chain heads still to visit: ht0's, then ht1's.
    buckets: Buckets<'a, V>,
    /// Next entry of the chain being walked.
    node: Option<&'a Entry<V>>,
    /// Entries not yet returned; lets us stop before trailing empty buckets.
    remaining: usize,
}

/// ht0's bucket array, then ht1's, walked as one sequence.
type Buckets<'a, V> = Chain<slice::Iter<'a, Link<V>>, slice::Iter<'a, Link<V>>>;

impl<'a, V> Iter<'a, V> {
    /// The next entry, meta included.
    #[inline]
    fn next_entry(&mut self) -> Option<&'a Entry<V>> {
        self.next_entry_with(|| {})
    }

    /// [`next_entry`](Self::next_entry), calling `on_bucket` each time the
    /// walk moves on to the next bucket.
    #[inline]
    fn next_entry_with(&mut self, mut on_bucket: impl FnMut()) -> Option<&'a Entry<V>> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(e) = self.node {
                self.node = e.next.as_deref();
                self.remaining -= 1;
                return Some(e);
            }
            on_bucket();
            self.node = self.buckets.next()?.as_deref();
        }
    }
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a [u8], &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_entry().map(|e| (&*e.key, &e.value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

/// Borrowing iterator over `(key, value, meta)`; see [`Dict::iter_with_meta`].
pub struct IterMeta<'a, V>(Iter<'a, V>);

impl<'a, V> Iterator for IterMeta<'a, V> {
    type Item = (&'a [u8], &'a V, u32);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next_entry()
            .map(|e| (&*e.key, &e.value, e.key.meta()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> ExactSizeIterator for IterMeta<'_, V> {}

/// How many buckets ahead of the one returned [`IterAhead`] asks for keys
/// and values (and twice as far for entries). Each key costs its writer a
/// microsecond or more, so a few buckets cover a memory access of about
/// 100 ns even where half the buckets are empty; a larger distance would
/// only risk evicting lines before their use.
pub const PREFETCH_DISTANCE: usize = 4;

/// Borrowing iterator over `(key, value, meta)` that prefetches ahead; see
/// [`Dict::iter_prefetching`].
pub struct IterAhead<'a, V, F> {
    /// The walk itself, as [`Iter`] does it.
    walk: Iter<'a, V>,
    /// The same buckets, [`PREFETCH_DISTANCE`] ahead of `walk`'s next one.
    near: Buckets<'a, V>,
    /// And twice as far ahead.
    far: Buckets<'a, V>,
    /// The heap block of a value worth prefetching, if any.
    value_addr: F,
}

impl<'a, V, F> Iterator for IterAhead<'a, V, F>
where
    F: Fn(&V) -> Option<*const u8>,
{
    type Item = (&'a [u8], &'a V, u32);

    fn next(&mut self) -> Option<Self::Item> {
        let (near, far, value_addr) = (&mut self.near, &mut self.far, &self.value_addr);
        // Each bucket the walk moves to moves both look-aheads by one.
        let on_bucket = || {
            if let Some(e) = far.next().and_then(|l| l.as_deref()) {
                crate::util::prefetch(e);
            }
            if let Some(e) = near.next().and_then(|l| l.as_deref()) {
                crate::util::prefetch(e.key.as_ptr());
                if let Some(block) = value_addr(&e.value) {
                    crate::util::prefetch(block);
                }
                if let Some(second) = e.next.as_deref() {
                    crate::util::prefetch(second);
                }
            }
        };
        self.walk
            .next_entry_with(on_bucket)
            .map(|e| (&*e.key, &e.value, e.key.meta()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.walk.size_hint()
    }
}

impl<V, F: Fn(&V) -> Option<*const u8>> ExactSizeIterator for IterAhead<'_, V, F> {}

impl<'a, V> IntoIterator for &'a Dict<V> {
    type Item = (&'a [u8], &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

/// Iterator over `(key, &mut value)`; see [`Dict::iter_mut`].
pub struct IterMut<'a, V> {
    /// Chain heads still to visit: ht0's, then ht1's.
    buckets: Chain<slice::IterMut<'a, Link<V>>, slice::IterMut<'a, Link<V>>>,
    /// Next entry of the chain being walked.
    node: Option<&'a mut Entry<V>>,
    /// Entries not yet returned.
    remaining: usize,
}

impl<'a, V> Iterator for IterMut<'a, V> {
    type Item = (&'a [u8], &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(e) = self.node.take() {
                let Entry { next, key, value } = e;
                self.node = next.as_deref_mut();
                self.remaining -= 1;
                return Some((&**key, value));
            }
            self.node = self.buckets.next()?.as_deref_mut();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<V> ExactSizeIterator for IterMut<'_, V> {}

impl<'a, V> IntoIterator for &'a mut Dict<V> {
    type Item = (&'a [u8], &'a mut V);
    type IntoIter = IterMut<'a, V>;
    fn into_iter(self) -> IterMut<'a, V> {
        self.iter_mut()
    }
}

/// Owning iterator over `(key, value)`; see [`Dict::drain`].
pub struct IntoIter<V> {
    /// Chain heads still to visit: ht0's, then ht1's.
    buckets: Chain<vec::IntoIter<Link<V>>, vec::IntoIter<Link<V>>>,
    /// Rest of the chain being consumed.
    node: Link<V>,
    /// Entries not yet returned.
    remaining: usize,
}

impl<V> Iterator for IntoIter<V> {
    type Item = (Box<[u8]>, V);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        loop {
            if let Some(mut e) = self.node.take() {
                self.node = e.next.take();
                self.remaining -= 1;
                let Entry { key, value, .. } = *e;
                return Some((key.into_box(), value));
            }
            self.node = self.buckets.next()?;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<V> ExactSizeIterator for IntoIter<V> {}

impl<V> IntoIterator for Dict<V> {
    type Item = (Box<[u8]>, V);
    type IntoIter = IntoIter<V>;
    fn into_iter(self) -> IntoIter<V> {
        let remaining = self.len();
        let Dict { ht0, ht1, .. } = self;
        IntoIter {
            buckets: ht0
                .buckets
                .into_vec()
                .into_iter()
                .chain(ht1.buckets.into_vec()),
            node: None,
            remaining,
        }
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::collections::HashSet;
    use std::rc::Rc;
    use std::sync::{Mutex, MutexGuard};

    /// The resize switch is process-wide and tests run on several threads:
    /// tests that depend on resize behaviour hold this lock, and the guard
    /// turns resizing back on when dropped (even on panic).
    static RESIZE_LOCK: Mutex<()> = Mutex::new(());

    struct ResizeGuard(#[allow(dead_code)] MutexGuard<'static, ()>);

    impl Drop for ResizeGuard {
        fn drop(&mut self) {
            set_resize_allowed(true);
        }
    }

    fn resize_lock() -> ResizeGuard {
        let g = RESIZE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        set_resize_allowed(true);
        ResizeGuard(g)
    }

    /// Deterministic xorshift for the property-style tests.
    struct TestRng(u64);

    impl TestRng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn key(i: usize) -> Box<[u8]> {
        format!("key:{i}").into_bytes().into_boxed_slice()
    }

    /// Asserts the structural invariants listed in the module header.
    fn check_invariants<V>(d: &Dict<V>) {
        for t in [&d.ht0, &d.ht1] {
            assert!(t.size() == 0 || t.size().is_power_of_two());
            let mut n = 0;
            for (i, b) in t.buckets.iter().enumerate() {
                let mut cur = b.as_deref();
                while let Some(e) = cur {
                    assert_eq!(t.index(hash_bytes(&e.key)), i, "entry in wrong bucket");
                    n += 1;
                    cur = e.next.as_deref();
                }
            }
            assert_eq!(n, t.used);
        }
        match d.rehash_idx {
            Some(ri) => {
                assert!(d.ht1.size() > 0);
                assert!(d.ht0.buckets[..ri].iter().all(|b| b.is_none()));
            }
            None => assert_eq!(d.ht1.size(), 0),
        }
        let keys: HashSet<&[u8]> = d.keys().collect();
        assert_eq!(keys.len(), d.len(), "duplicate key");
    }

    #[test]
    fn hash_basics() {
        assert_eq!(hash_bytes(b"foo"), hash_bytes(b"foo"));
        let mut seen = HashSet::new();
        // Short keys of every length, and keys differing in one byte.
        for len in 0..64 {
            let mut k = vec![b'a'; len];
            assert!(seen.insert(hash_bytes(&k)));
            if len > 0 {
                k[len - 1] = b'b';
                assert!(seen.insert(hash_bytes(&k)));
                k[0] = b'c';
                assert!(seen.insert(hash_bytes(&k)));
            }
        }
        // Low bits spread well enough for bucket selection.
        let mut counts = [0usize; 16];
        for i in 0..16_000 {
            counts[(hash_bytes(&key(i)) & 15) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn random_u64_varies() {
        let v: HashSet<u64> = (0..1000).map(|_| random_u64()).collect();
        assert_eq!(v.len(), 1000);
    }

    #[test]
    fn insert_get_remove_replace_at_scale() {
        const N: usize = 100_000;
        let mut d = Dict::new();
        for i in 0..N {
            assert_eq!(d.insert(key(i), i), None);
        }
        assert_eq!(d.len(), N);
        for i in 0..N {
            assert_eq!(d.get(&key(i)), Some(&i));
        }
        assert_eq!(d.get(b"nope"), None);
        // Replace keeps the original key allocation.
        let before = d.get_key_value(&key(7)).unwrap().0.as_ptr();
        assert_eq!(d.insert(key(7), 70), Some(7));
        assert_eq!(d.get_key_value(&key(7)).unwrap().0.as_ptr(), before);
        *d.get_mut(&key(8)).unwrap() += 1;
        assert_eq!(d.get(&key(8)), Some(&9));
        for i in (0..N).step_by(2) {
            let (k, _) = d.remove(&key(i)).unwrap();
            assert_eq!(k, key(i));
        }
        assert_eq!(d.len(), N / 2);
        for i in 0..N {
            assert_eq!(d.contains_key(&key(i)), i % 2 == 1);
        }
        assert_eq!(d.remove(&key(0)), None);
        check_invariants(&d);
    }

    #[test]
    fn get_or_insert_with_and_insert_new() {
        let mut d = Dict::new();
        let (v, inserted) = d.get_or_insert_with(b"a", || 1);
        assert!(inserted);
        *v += 10;
        let (v, inserted) = d.get_or_insert_with(b"a", || unreachable!());
        assert!(!inserted);
        assert_eq!(*v, 11);
        d.insert_new(key(1), 5);
        assert_eq!(d.get(&key(1)), Some(&5));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn growth_and_load_factor() {
        let _g = resize_lock();
        let mut d = Dict::new();
        assert_eq!(d.buckets(), 0);
        for i in 0..4 {
            d.insert(key(i), ());
        }
        assert_eq!(d.buckets(), 4);
        d.insert(key(4), ());
        assert!(d.is_rehashing());
        assert_eq!(d.ht1.size(), 8);
        while d.rehash_step(1) {}
        assert_eq!(d.buckets(), 8);
        assert_eq!(Dict::<()>::with_capacity(100).buckets(), 128);
        assert_eq!(Dict::<()>::with_capacity(0).buckets(), 0);
    }

    #[test]
    fn operations_interleaved_with_rehash() {
        let _g = resize_lock();
        let mut rng = TestRng(0x5eed);
        let mut d = Dict::new();
        let mut model = std::collections::HashMap::new();
        let mut saw_rehash = 0;
        for round in 0..20_000 {
            let k = key(rng.below(3000));
            match rng.below(6) {
                0 | 1 => assert_eq!(d.insert(k.clone(), round), model.insert(k, round)),
                2 => assert_eq!(d.remove(&k).map(|(_, v)| v), model.remove(&k)),
                3 => assert_eq!(d.get(&k), model.get(&k)),
                4 => assert_eq!(d.get_mut(&k).copied(), model.get(&k).copied()),
                _ => {
                    d.shrink_if_needed();
                }
            }
            if d.is_rehashing() {
                saw_rehash += 1;
            }
            if round % 997 == 0 {
                check_invariants(&d);
            }
        }
        assert!(saw_rehash > 100, "test never ran mid-rehash");
        assert_eq!(d.len(), model.len());
        for (k, v) in &model {
            assert_eq!(d.get(k), Some(v));
        }
        check_invariants(&d);
    }

    #[test]
    fn iteration_sees_each_key_once() {
        let _g = resize_lock();
        let mut d = Dict::new();
        for n in [0usize, 1, 5, 100, 1000] {
            d.clear();
            for i in 0..n {
                d.insert(key(i), i);
            }
            // Force a rehash in progress when there is something to rehash.
            if n > 4 {
                for i in n..2 * n {
                    d.insert(key(i), i);
                }
                for i in n..2 * n {
                    d.remove(&key(i));
                }
                d.shrink_if_needed();
            }
            let seen: Vec<&[u8]> = d.keys().collect();
            assert_eq!(seen.len(), n);
            assert_eq!(seen.iter().collect::<HashSet<_>>().len(), n);
            assert_eq!(d.iter().len(), n);
            // The prefetching walk returns the same entries in the same
            // order, across both tables while rehashing.
            let plain: Vec<_> = d.iter_with_meta().collect();
            let ahead: Vec<_> = d
                .iter_prefetching(|v| Some((v as *const usize).cast::<u8>()))
                .collect();
            assert_eq!(plain, ahead);
            for (_, v) in d.iter_mut() {
                *v += 1;
            }
            for i in 0..n {
                assert_eq!(d.get(&key(i)), Some(&(i + 1)));
            }
        }
        // Mid-rehash explicitly.
        let mut d = Dict::new();
        for i in 0..64 {
            d.insert(key(i), i);
        }
        d.insert(key(64), 64);
        assert!(d.is_rehashing());
        d.rehash_step(3);
        assert!(d.is_rehashing());
        let mut ks: Vec<_> = d.keys().map(|k| k.to_vec()).collect();
        ks.sort();
        ks.dedup();
        assert_eq!(ks.len(), 65);
        let drained: Vec<_> = d.drain().collect();
        assert_eq!(drained.len(), 65);
        assert!(d.is_empty());
        assert_eq!(d.buckets(), 0);
    }

    #[test]
    fn retain_removes_matching() {
        let mut d: Dict<usize> = (0..1000).map(|i| (key(i), i)).collect();
        d.retain(|_, v| *v % 3 == 0);
        assert_eq!(d.len(), 334);
        assert!(d.iter().all(|(_, v)| v % 3 == 0));
        check_invariants(&d);
    }

    #[test]
    fn scan_empty_and_complete() {
        let d: Dict<()> = Dict::new();
        assert_eq!(d.scan(0, |_, _| panic!()), 0);
        let mut d = Dict::new();
        d.insert(key(1), ());
        d.remove(&key(1));
        assert_eq!(d.scan(0, |_, _| panic!()), 0);
        for i in 0..1000 {
            d.insert(key(i), ());
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        loop {
            cursor = d.scan_buckets(cursor, 10, |k, _| {
                seen.insert(k.to_vec());
            });
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(seen.len(), 1000);
    }

    /// The SCAN guarantee under random growth, shrinking and rehash steps
    /// between calls: keys present for the whole scan are all returned.
    #[test]
    fn scan_guarantee_under_resize() {
        let _g = resize_lock();
        for trial in 0..200u64 {
            let mut rng = TestRng(0x9e37_79b9_7f4a_7c15 ^ (trial + 1));
            let mut d = Dict::new();
            let stable = 1 + rng.below(300);
            for i in 0..stable {
                d.insert(key(i), ());
            }
            // Sometimes start mid-rehash.
            if rng.below(2) == 0 {
                for i in 0..rng.below(2000) {
                    d.insert(key(1_000_000 + i), ());
                }
            }
            let mut extra = 2_000_000;
            let mut seen = HashSet::new();
            let mut cursor = 0;
            let mut calls = 0;
            loop {
                cursor = d.scan(cursor, |k, _| {
                    seen.insert(k.to_vec());
                });
                calls += 1;
                assert!(calls < 1_000_000, "scan does not terminate");
                if cursor == 0 {
                    break;
                }
                match rng.below(8) {
                    0 => {
                        // Burst of growth.
                        for _ in 0..rng.below(500) {
                            d.insert(key(extra), ());
                            extra += 1;
                        }
                    }
                    1 => {
                        // Drop every temporary key and shrink.
                        let temp: Vec<Box<[u8]>> = d
                            .keys()
                            .filter(|k| {
                                let n: usize =
                                    std::str::from_utf8(&k[4..]).unwrap().parse().unwrap();
                                n >= stable
                            })
                            .map(|k| k.into())
                            .collect();
                        for k in temp {
                            d.remove(&k);
                        }
                        d.shrink_if_needed();
                    }
                    2 => {
                        d.rehash_step(rng.below(4));
                    }
                    3 => {
                        d.shrink_if_needed();
                    }
                    _ => {}
                }
            }
            for i in 0..stable {
                assert!(seen.contains(&*key(i)), "trial {trial}: key {i} missed");
            }
        }
    }

    #[test]
    fn random_entry_hits_everything() {
        let mut d = Dict::new();
        assert!(d.random_entry().is_none());
        assert!(d.fair_random_entry().is_none());
        for i in 0..20 {
            d.insert(key(i), i);
        }
        let mut hits = HashSet::new();
        for _ in 0..20_000 {
            hits.insert(*d.random_entry().unwrap().1);
            hits.insert(*d.fair_random_entry().unwrap().1);
        }
        assert_eq!(hits.len(), 20);
        // Mid-rehash, and after emptying most of a big table.
        let _g = resize_lock();
        let mut d = Dict::new();
        for i in 0..5000 {
            d.insert(key(i), i);
        }
        for i in 1..5000 {
            d.remove(&key(i));
            assert!(d.random_entry().is_some());
        }
        assert_eq!(d.random_entry().unwrap().1, &0);
        d.insert(key(1), 1);
        assert!(d.shrink_if_needed());
        assert!(d.is_rehashing());
        let mut hits = HashSet::new();
        for _ in 0..1000 {
            hits.insert(*d.random_entry().unwrap().1);
        }
        assert_eq!(hits.len(), 2);
    }

    /// Unchecked inserts hold a key twice until `first_duplicate` finds
    /// it: in one chain, and, while rehashing, across the two tables
    /// (every key of the old table is tried as the doubled one).
    #[test]
    fn first_duplicate_finds_a_key_inserted_twice() {
        let mut d = Dict::new();
        for i in 0..1000 {
            d.insert_unchecked(key(i), i, 0);
        }
        assert_eq!(d.first_duplicate(), None);
        d.insert_unchecked(key(500), 0, 0);
        assert_eq!(d.first_duplicate(), Some(&key(500)[..]));

        let n = 64;
        for doubled in 0..=n {
            let mut d = Dict::new();
            for i in 0..=n {
                d.insert_unchecked(key(i), i, 0);
            }
            assert!(d.is_rehashing(), "the last insert starts a rehash");
            assert_eq!(d.first_duplicate(), None);
            d.insert_unchecked(key(doubled), 0, 0);
            assert_eq!(d.first_duplicate(), Some(&key(doubled)[..]), "{doubled}");
        }
    }

    #[test]
    fn sample_bounds() {
        let mut d = Dict::new();
        let mut out = Vec::new();
        d.sample(10, &mut out);
        assert!(out.is_empty());
        for i in 0..5 {
            d.insert(key(i), ());
        }
        let mut out = Vec::new();
        d.sample(100, &mut out);
        assert!(!out.is_empty() && out.len() <= 5);
        for i in 5..1000 {
            d.insert(key(i), ());
        }
        // Like Redis's dictGetSomeKeys, a sample probes at most 10 buckets
        // per key asked for and may come back short, even empty, when the
        // probes land in empty buckets (for one key at this fill, about 5e-5
        // of calls). So one call is only bounded; many calls must find keys.
        for count in [1, 10, 50] {
            let mut found = 0;
            for _ in 0..100 {
                let mut out = Vec::new();
                d.sample(count, &mut out);
                assert!(out.len() <= count);
                assert!(out.iter().all(|k| d.contains_key(k)));
                found += out.len();
            }
            assert!(
                found >= count * 50,
                "{count}: only {found} keys in 100 samples"
            );
        }
        let mut entries = Vec::new();
        assert_eq!(d.sample_entries(0, &mut entries), 0);
    }

    #[test]
    fn clear_resets() {
        let mut d = Dict::new();
        for i in 0..100 {
            d.insert(key(i), i);
        }
        d.clear();
        assert!(d.is_empty());
        assert_eq!(d.buckets(), 0);
        assert!(!d.is_rehashing());
        assert_eq!(d.get(&key(1)), None);
        d.insert(key(1), 1);
        assert_eq!(d.get(&key(1)), Some(&1));
    }

    #[test]
    fn resize_switch_respected() {
        let _g = resize_lock();
        let mut d = Dict::new();
        for i in 0..4 {
            d.insert(key(i), ());
        }
        set_resize_allowed(false);
        // Load factor up to 5 is tolerated; 6 * size forces the growth.
        for i in 4..24 {
            d.insert(key(i), ());
        }
        assert_eq!(d.buckets(), 4);
        assert!(!d.is_rehashing());
        d.insert(key(24), ());
        assert!(d.is_rehashing());
        while d.rehash_step(10) {}
        for i in 25..10_000 {
            d.insert(key(i), ());
        }
        for i in 10..10_000 {
            d.remove(&key(i));
        }
        while d.rehash_step(100) {}
        assert!(!d.shrink_if_needed(), "shrank with resizing disallowed");
        set_resize_allowed(true);
        assert!(d.shrink_if_needed());
        while d.rehash_step(100) {}
        assert_eq!(d.buckets(), 16);
        assert!(!d.shrink_if_needed());
        assert_eq!(d.len(), 10);
        check_invariants(&d);
    }

    #[test]
    fn rehash_for_micros_finishes() {
        let _g = resize_lock();
        let mut d = Dict::new();
        for i in 0..(1 << 12) + 1 {
            d.insert(key(i), ());
        }
        assert!(d.is_rehashing());
        while d.is_rehashing() {
            d.rehash_for_micros(1000);
        }
        assert_eq!(d.buckets(), 1 << 13);
        assert!(d.mem_overhead() >= (1 << 13) * 8);
        assert!(d.stats().contains("number of elements: 4097"));
    }

    struct Counted(Rc<Cell<usize>>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn drops_every_value_exactly_once() {
        let drops = Rc::new(Cell::new(0));
        let mk = || Counted(drops.clone());
        {
            let mut d = Dict::new();
            for i in 0..1000 {
                d.insert(key(i), mk());
            }
            drop(d.insert(key(0), mk())); // replaced value: 1 drop
            assert_eq!(drops.get(), 1);
            drop(d.remove(&key(1))); // 2
            d.retain(|k, _| *k != *key(2)); // 3
            assert_eq!(drops.get(), 3);
            let mut it = d.drain();
            drop(it.next()); // 4
            drop(it); // the other 997 of the 998 left
            assert_eq!(drops.get(), 1001);
            for i in 0..100 {
                d.insert(key(i), mk());
            }
            d.insert(key(100), mk()); // starts a rehash; drop mid-rehash
            assert!(d.is_rehashing() || d.len() == 101);
            let c = d.len();
            d.clear();
            assert_eq!(drops.get(), 1001 + c);
            for i in 0..50 {
                d.insert(key(i), mk());
            }
        }
        assert_eq!(drops.get(), 1152);
    }

    /// Memory per key must not grow: the keyspace's access clock lives in
    /// the key's length word, and every value is one 16-byte `Value` (see
    /// `db::thin`), so a keyspace entry is 40 bytes, an allocator class.
    #[test]
    fn entry_sizes() {
        assert_eq!(mem::size_of::<Entry<crate::db::Value>>(), 40);
        assert_eq!(mem::size_of::<crate::db::Value>(), 16);
        assert_eq!(mem::size_of::<Entry<()>>(), 24);
        assert_eq!(mem::size_of::<Entry<i64>>(), 32);
        assert_eq!(mem::size_of::<Entry<Box<[u8]>>>(), 40);
    }

    #[test]
    fn meta_follows_its_entry() {
        let _g = resize_lock();
        let mut d = Dict::new();
        for i in 0..1000 {
            d.insert_new_with_meta(key(i), i, i as u32 * 7);
        }
        // Inserted under growth and rehashing: every entry kept its bits.
        for i in 0..1000 {
            assert_eq!(d.get_with_meta(&key(i)), Some((&i, i as u32 * 7)));
        }
        assert_eq!(d.get_with_meta(b"nope"), None);
        // Replacing a value keeps the entry's meta; a new entry starts at 0.
        d.insert(key(3), 33);
        assert_eq!(d.get_with_meta(&key(3)), Some((&33, 21)));
        d.insert(key(5000), 1);
        assert_eq!(d.get_with_meta(&key(5000)), Some((&1, 0)));
        // Touch and set, truncated to 24 bits.
        let v = d.get_mut_touch(&key(4), |m| m + 1).unwrap();
        *v += 1;
        assert_eq!(d.get_with_meta(&key(4)), Some((&5, 29)));
        assert!(d.set_meta(&key(4), u32::MAX));
        assert_eq!(d.get_with_meta(&key(4)).unwrap().1, META_MAX);
        assert!(!d.set_meta(b"nope", 1));
        assert!(d.get_mut_touch(b"nope", |_| unreachable!()).is_none());
        // Iteration, clone and removal hand the meta out.
        assert!(d
            .iter_with_meta()
            .all(|(k, _, m)| d.get_with_meta(k).unwrap().1 == m));
        assert_eq!(d.iter_with_meta().len(), d.len());
        // The prefetching walk returns exactly what the plain one does.
        let plain: Vec<_> = d.iter_with_meta().collect();
        let ahead: Vec<_> = d
            .iter_prefetching(|v| Some((v as *const usize).cast::<u8>()))
            .collect();
        assert_eq!(plain, ahead);
        assert_eq!(d.iter_prefetching(|_| None).len(), d.len());
        let c = d.clone();
        assert_eq!(c.get_with_meta(&key(999)), Some((&999, 6993)));
        assert_eq!(d.remove_with_meta(&key(10)), Some((key(10), 10, 70)));
        assert_eq!(d.remove_with_meta(&key(10)), None);
        check_invariants(&d);
    }
}
