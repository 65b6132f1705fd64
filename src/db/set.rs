//! The set value type and its two encodings, as Redis 7.0 has them.
//!
//! * `intset` ([`IntSet`]): a sorted array of distinct integers, all stored
//!   with the smallest width (16, 32 or 64 bits) that fits every member, in
//!   one exact-size allocation. Lookups are binary searches; an insert moves
//!   the tail (O(n), like Redis's memmove). Inserting a value wider than the
//!   current width rewrites the array at the new width ("upgrade"); the
//!   width never shrinks again, as in Redis.
//! * `hashtable`: a [`Dict`] with unit values (O(1) membership, SCAN cursor,
//!   random members).
//!
//! Conversion rules (Redis's `setTypeCreate`/`setTypeAdd`), checked against
//! redis-server 7.0.15:
//! * a new set starts as an intset when the member that creates it is an
//!   integer in `string2ll`'s canonical form (`1`, `-5`, not `01`, `+2`, `-0`
//!   or ` 1`), otherwise as a hashtable;
//! * an intset turns into a hashtable when a non-integer member is added, or
//!   when it grows past `set-max-intset-entries` members;
//! * a hashtable never turns back into an intset in place. Commands that
//!   build a fresh set (SINTERSTORE, SUNIONSTORE, SDIFFSTORE, the set left by
//!   SPOP with a big count) start from an empty intset and add members one
//!   by one, so their result is an intset whenever it qualifies.
//!
//! Iteration order: ascending numeric for an intset (so SMEMBERS of an
//! intset is deterministic, as in Redis), unspecified for a hashtable.
//!
//! Pure data: no replies, no I/O. Used by `cmd::set` and, later, the RDB
//! code (which can write [`IntSet::as_le_bytes`] as Redis's intset blob
//! contents directly: both are little-endian).

use super::dict::{random_u64, Dict};
use super::thin::{PackedBytes, Pick, ThinOrBoxed, ThinPointer};
use crate::util::{parse_i64, write_i64};

// ---------------------------------------------------------------------------
// IntSet
// ---------------------------------------------------------------------------

/// Width of the integers of an intset, in bytes (Redis's INTSET_ENC_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Width {
    W16 = 2,
    W32 = 4,
    W64 = 8,
}

impl Width {
    /// The smallest width that holds `v`.
    pub fn of(v: i64) -> Width {
        if v < i32::MIN as i64 || v > i32::MAX as i64 {
            Width::W64
        } else if v < i16::MIN as i64 || v > i16::MAX as i64 {
            Width::W32
        } else {
            Width::W16
        }
    }

    #[inline]
    pub fn bytes(self) -> usize {
        self as usize
    }
}

/// A sorted set of distinct integers in one exact-size little-endian buffer.
///
/// ```text
///   width = W16     data = [ lo hi | lo hi | lo hi ]   (3 members, 6 bytes)
/// ```
///
/// Invariants: `data.len()` is a multiple of `width`, members are strictly
/// ascending, and every member fits `width` (but `width` may be wider than
/// needed after removals).
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(transparent)]
pub struct IntSet {
    /// The members, `width` bytes each, ascending; the buffer's `aux`
    /// number is the width in bytes (one pointer in all).
    data: PackedBytes,
}

// SAFETY: repr(transparent) over PackedBytes, which is a ThinPointer.
unsafe impl ThinPointer for IntSet {}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::new()
    }
}

impl IntSet {
    /// An empty intset (16-bit, like Redis's `intsetNew`).
    pub fn new() -> IntSet {
        IntSet {
            data: PackedBytes::new(&[], Width::W16 as u32),
        }
    }

    /// Number of members.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len() / self.width().bytes()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Current member width.
    pub fn width(&self) -> Width {
        match self.data.aux() {
            2 => Width::W16,
            4 => Width::W32,
            _ => Width::W64,
        }
    }

    /// The members as little-endian integers of `width()` bytes each.
    pub fn as_le_bytes(&self) -> &[u8] {
        &self.data
    }

    /// Member at position `i` (`i < len()`), decoded at width `w`.
    #[inline]
    fn read(data: &[u8], w: Width, i: usize) -> i64 {
        let at = i * w.bytes();
        match w {
            Width::W16 => i16::from_le_bytes([data[at], data[at + 1]]) as i64,
            Width::W32 => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[at..at + 4]);
                i32::from_le_bytes(b) as i64
            }
            Width::W64 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[at..at + 8]);
                i64::from_le_bytes(b)
            }
        }
    }

    /// Append `v` encoded at width `w` to `out`.
    #[inline]
    fn write(out: &mut Vec<u8>, w: Width, v: i64) {
        match w {
            Width::W16 => out.extend_from_slice(&(v as i16).to_le_bytes()),
            Width::W32 => out.extend_from_slice(&(v as i32).to_le_bytes()),
            Width::W64 => out.extend_from_slice(&v.to_le_bytes()),
        }
    }

    /// Member at position `i`; panics if out of range (callers index
    /// within `len()`).
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        Self::read(&self.data, self.width(), i)
    }

    /// Binary search: `Ok(pos)` if present, `Err(insert_pos)` if not.
    fn search(&self, v: i64) -> Result<usize, usize> {
        if Width::of(v) > self.width() {
            // Cannot be present; it would go to one end.
            return Err(if v < 0 { 0 } else { self.len() });
        }
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let m = self.get(mid);
            if m == v {
                return Ok(mid);
            } else if m < v {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Err(lo)
    }

    pub fn contains(&self, v: i64) -> bool {
        self.search(v).is_ok()
    }

    /// Adds `v`; returns false if it was already a member. Reallocates the
    /// buffer at its exact new size, upgrading the width if `v` needs it.
    pub fn insert(&mut self, v: i64) -> bool {
        let pos = match self.search(v) {
            Ok(_) => return false,
            Err(p) => p,
        };
        let n = self.len();
        let w = self.width().max(Width::of(v));
        if w == self.width() {
            let mut member = Vec::with_capacity(8);
            Self::write(&mut member, w, v);
            let at = pos * w.bytes();
            self.data.splice(at, at, &member);
        } else {
            let mut out = Vec::with_capacity((n + 1) * w.bytes());
            // Upgrade: `v` is wider than every member, so it is either the
            // new minimum (negative) or the new maximum (positive).
            if v < 0 {
                Self::write(&mut out, w, v);
            }
            for i in 0..n {
                Self::write(&mut out, w, self.get(i));
            }
            if v >= 0 {
                Self::write(&mut out, w, v);
            }
            self.data = PackedBytes::new(&out, w as u32);
        }
        true
    }

    /// Removes `v`; returns false if it was not a member. The width stays.
    pub fn remove(&mut self, v: i64) -> bool {
        let Ok(pos) = self.search(v) else {
            return false;
        };
        let wb = self.width().bytes();
        self.data.splice(pos * wb, (pos + 1) * wb, &[]);
        true
    }

    /// A uniformly random member, `None` when empty.
    pub fn random(&self) -> Option<i64> {
        let n = self.len();
        if n == 0 {
            return None;
        }
        Some(self.get(((random_u64() as u128 * n as u128) >> 64) as usize))
    }

    /// Members in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// Bytes of memory used (the struct and the buffer).
    pub fn mem_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.data.len()
    }
}

// ---------------------------------------------------------------------------
// Set
// ---------------------------------------------------------------------------

/// The most members an intset keeps before it becomes a hashtable:
/// `set-max-intset-entries`, but never so many that the buffer passes 1 GB
/// (Redis 7.2 clamps the same way; 7.0 would grow until its 32-bit length
/// field wrapped).
fn intset_limit(max_intset_entries: i64) -> u64 {
    max_intset_entries.clamp(0, (1 << 30) / 8) as u64
}

/// A set value in one of Redis's two encodings, in one word so that every
/// [`Value`](super::Value) stays 16 bytes: an [`IntSet`] (`intset`: integer
/// members only, at most `set-max-intset-entries`) or a boxed dict
/// (`hashtable`).
#[derive(Clone)]
pub struct Set(ThinOrBoxed<IntSet, Dict<()>>);

/// A set seen in its current encoding.
enum Enc<'a> {
    Int(&'a IntSet),
    Hash(&'a Dict<()>),
}

/// A set seen in its current encoding, to change in place.
enum EncMut<'a> {
    Int(&'a mut IntSet),
    Hash(&'a mut Dict<()>),
}

impl std::fmt::Debug for Set {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// One member as a set hands it out: integers of an intset are not strings
/// until someone needs the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// Call `f` with the member's bytes (integers formatted on the stack).
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match *self {
            Member::Int(v) => {
                let mut tmp = Vec::with_capacity(20);
                write_i64(&mut tmp, v);
                f(&tmp)
            }
            Member::Bytes(b) => f(b),
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }
}

/// Iterator over the members of a [`Set`].
pub enum Iter<'a> {
    Int(&'a IntSet, usize),
    Hash(super::dict::Iter<'a, ()>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Member<'a>;

    fn next(&mut self) -> Option<Member<'a>> {
        match self {
            Iter::Int(s, i) => {
                if *i >= s.len() {
                    return None;
                }
                *i += 1;
                Some(Member::Int(s.get(*i - 1)))
            }
            Iter::Hash(it) => it.next().map(|(k, _)| Member::Bytes(k)),
        }
    }
}

/// Equality of members, whatever the encodings (two sets holding the same
/// members are the same value to a client).
impl PartialEq for Set {
    fn eq(&self, other: &Set) -> bool {
        self.len() == other.len() && self.iter().all(|m| m.with_bytes(|b| other.contains(b)))
    }
}

impl Default for Set {
    fn default() -> Self {
        Set::from_intset(IntSet::new())
    }
}

impl Set {
    /// Where the encoding's block lives, without reading it (for
    /// prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.0.heap_addr()
    }

    fn from_intset(s: IntSet) -> Set {
        Set(ThinOrBoxed::thin(s))
    }

    fn from_dict(d: Dict<()>) -> Set {
        Set(ThinOrBoxed::boxed(Box::new(d)))
    }

    #[inline]
    fn enc(&self) -> Enc<'_> {
        match self.0.get() {
            Pick::Thin(s) => Enc::Int(s),
            Pick::Boxed(d) => Enc::Hash(d),
        }
    }

    #[inline]
    fn enc_mut(&mut self) -> EncMut<'_> {
        match self.0.get_mut() {
            Pick::Thin(s) => EncMut::Int(s),
            Pick::Boxed(d) => EncMut::Hash(d),
        }
    }

    /// An empty set able to hold `first` (Redis's `setTypeCreate`): an
    /// intset if `first` is a canonical integer, else a hashtable. Adding
    /// `first` is up to the caller.
    pub fn new_for(first: &[u8]) -> Set {
        if parse_i64(first).is_some() {
            Set::from_intset(IntSet::new())
        } else {
            Set::new_hash(0)
        }
    }

    /// An empty intset: the start of every set built from others.
    pub fn new_intset() -> Set {
        Set::from_intset(IntSet::new())
    }

    /// An empty hashtable presized for `n` members.
    pub fn new_hash(n: usize) -> Set {
        Set::from_dict(if n == 0 {
            Dict::new()
        } else {
            Dict::with_capacity(n)
        })
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self.enc() {
            Enc::Int(_) => "intset",
            Enc::Hash(_) => "hashtable",
        }
    }

    /// Number of members (SCARD).
    pub fn len(&self) -> usize {
        match self.enc() {
            Enc::Int(s) => s.len(),
            Enc::Hash(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_intset(&self) -> bool {
        matches!(self.enc(), Enc::Int(_))
    }

    /// Turn an intset into a hashtable presized for its members (Redis's
    /// `setTypeConvert`). No-op on a hashtable.
    pub fn convert_to_hash(&mut self) {
        if let Enc::Int(s) = self.enc() {
            let mut d = Dict::with_capacity(s.len());
            let mut buf = Vec::with_capacity(20);
            for v in s.iter() {
                buf.clear();
                write_i64(&mut buf, v);
                d.insert_new(buf.as_slice().into(), ());
            }
            *self = Set::from_dict(d);
        }
    }

    /// Add `member`; returns false if it was already there (Redis's
    /// `setTypeAdd`). An intset becomes a hashtable when `member` is not a
    /// canonical integer or when it grows past `max_intset_entries`.
    pub fn add(&mut self, member: &[u8], max_intset_entries: i64) -> bool {
        match self.enc_mut() {
            EncMut::Hash(d) => {
                let (_, inserted) = d.get_or_insert_with(member, || ());
                inserted
            }
            EncMut::Int(s) => match parse_i64(member) {
                Some(v) => {
                    if !s.insert(v) {
                        return false;
                    }
                    if s.len() as u64 > intset_limit(max_intset_entries) {
                        self.convert_to_hash();
                    }
                    true
                }
                None => {
                    self.convert_to_hash();
                    if let EncMut::Hash(d) = self.enc_mut() {
                        d.insert_new(member.into(), ());
                    }
                    true
                }
            },
        }
    }

    /// Add an integer member (iteration results of an intset).
    pub fn add_member(&mut self, m: Member, max_intset_entries: i64) -> bool {
        match (self.enc_mut(), m) {
            (EncMut::Int(s), Member::Int(v)) => {
                if !s.insert(v) {
                    return false;
                }
                if s.len() as u64 > intset_limit(max_intset_entries) {
                    self.convert_to_hash();
                }
                true
            }
            _ => m.with_bytes(|b| self.add(b, max_intset_entries)),
        }
    }

    /// Remove `member`; returns false if it was not there. A hashtable
    /// shrinks its bucket array when it gets sparse (Redis does
    /// `dictResize` after a delete).
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.enc_mut() {
            EncMut::Hash(d) => {
                let removed = d.remove(member).is_some();
                if removed {
                    d.shrink_if_needed();
                }
                removed
            }
            EncMut::Int(s) => parse_i64(member).is_some_and(|v| s.remove(v)),
        }
    }

    /// Remove a member handed out by `iter`/`random_member`.
    pub fn remove_member(&mut self, m: Member) -> bool {
        match (self.enc_mut(), m) {
            (EncMut::Int(s), Member::Int(v)) => s.remove(v),
            _ => m.with_bytes(|b| self.remove(b)),
        }
    }

    /// Membership (SISMEMBER).
    pub fn contains(&self, member: &[u8]) -> bool {
        match self.enc() {
            Enc::Hash(d) => d.contains_key(member),
            Enc::Int(s) => parse_i64(member).is_some_and(|v| s.contains(v)),
        }
    }

    /// Membership of a member of another set, without formatting integers
    /// when both sides are intsets.
    pub fn contains_member(&self, m: Member) -> bool {
        match (self.enc(), m) {
            (Enc::Int(s), Member::Int(v)) => s.contains(v),
            _ => m.with_bytes(|b| self.contains(b)),
        }
    }

    /// The members: ascending for an intset, unspecified for a hashtable.
    pub fn iter(&self) -> Iter<'_> {
        match self.enc() {
            Enc::Int(s) => Iter::Int(s, 0),
            Enc::Hash(d) => Iter::Hash(d.iter()),
        }
    }

    /// A random member (SRANDMEMBER, SPOP); `None` when empty. Hashtables
    /// use the dict's fair sampling, as Redis's `dictGetFairRandomKey`.
    pub fn random_member(&self) -> Option<Member<'_>> {
        match self.enc() {
            Enc::Int(s) => s.random().map(Member::Int),
            Enc::Hash(d) => d.fair_random_entry().map(|(k, _)| Member::Bytes(k)),
        }
    }

    /// A random member, owned (for callers that remove it next).
    pub fn random_owned(&self) -> Option<OwnedMember> {
        self.random_member().map(|m| match m {
            Member::Int(v) => OwnedMember::Int(v),
            Member::Bytes(b) => OwnedMember::Bytes(b.to_vec()),
        })
    }

    /// The hashtable, for SSCAN's cursor (None for an intset, which SSCAN
    /// returns whole).
    pub fn as_dict(&self) -> Option<&Dict<()>> {
        match self.enc() {
            Enc::Hash(d) => Some(d),
            Enc::Int(_) => None,
        }
    }

    /// A fresh set holding the members of `self`, built the way Redis's
    /// SUNION builds its result: an intset that takes the members one by
    /// one (so a hashtable of integers comes back as an intset).
    pub fn rebuilt(&self, max_intset_entries: i64) -> Set {
        let mut out = Set::new_intset();
        for m in self.iter() {
            out.add_member(m, max_intset_entries);
        }
        out
    }

    /// Approximate bytes used (MEMORY USAGE).
    pub fn mem_bytes(&self) -> usize {
        match self.enc() {
            Enc::Int(s) => s.mem_bytes(),
            Enc::Hash(d) => d.mem_overhead() + d.keys().map(|k| k.len()).sum::<usize>(),
        }
    }
}

/// An owned member, for removing a member found by a lookup that borrowed
/// the set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedMember {
    Int(i64),
    Bytes(Vec<u8>),
}

impl OwnedMember {
    pub fn as_member(&self) -> Member<'_> {
        match self {
            OwnedMember::Int(v) => Member::Int(*v),
            OwnedMember::Bytes(b) => Member::Bytes(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        let mut v: Vec<Vec<u8>> = s.iter().map(|m| m.to_vec()).collect();
        if !s.is_intset() {
            v.sort();
        }
        v
    }

    #[test]
    fn intset_insert_remove_sorted() {
        let mut s = IntSet::new();
        for v in [5, -3, 100, 0, 5, -3] {
            s.insert(v);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![-3, 0, 5, 100]);
        assert_eq!(s.width(), Width::W16);
        assert_eq!(s.as_le_bytes().len(), 8);
        assert!(s.contains(100) && !s.contains(101));
        assert!(s.remove(0));
        assert!(!s.remove(0));
        assert!(!s.remove(1 << 40));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![-3, 5, 100]);
    }

    #[test]
    fn intset_upgrades_and_keeps_width() {
        let mut s = IntSet::new();
        s.insert(1);
        s.insert(70000);
        assert_eq!(s.width(), Width::W32);
        s.insert(-(1 << 40));
        assert_eq!(s.width(), Width::W64);
        s.insert(i64::MAX);
        s.insert(i64::MIN);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![i64::MIN, -(1 << 40), 1, 70000, i64::MAX]
        );
        assert!(s.remove(i64::MIN) && s.remove(-(1 << 40)) && s.remove(i64::MAX));
        assert_eq!(s.width(), Width::W64);
        assert_eq!(s.as_le_bytes().len(), 16);
        assert!(s.contains(70000));
        assert!(!s.contains(i16::MAX as i64));
    }

    #[test]
    fn intset_random_is_a_member() {
        let mut s = IntSet::new();
        assert_eq!(s.random(), None);
        for v in 0..10 {
            s.insert(v * 3);
        }
        for _ in 0..100 {
            assert!(s.contains(s.random().unwrap()));
        }
    }

    #[test]
    fn set_create_and_convert() {
        assert!(Set::new_for(b"12").is_intset());
        for m in [
            &b"01"[..],
            b"+2",
            b"-0",
            b" 1",
            b"abc",
            b"9223372036854775808",
        ] {
            assert!(!Set::new_for(m).is_intset(), "{m:?}");
        }
        let mut s = Set::new_for(b"1");
        assert!(s.add(b"1", 512));
        assert!(!s.add(b"1", 512));
        assert!(s.add(b"2", 512));
        assert_eq!(s.encoding(), "intset");
        assert!(s.add(b"abc", 512));
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(
            members(&s),
            vec![b"1".to_vec(), b"2".to_vec(), b"abc".to_vec()]
        );
        assert!(s.remove(b"abc"));
        assert_eq!(s.encoding(), "hashtable");
        // Rebuilding brings it back to an intset.
        assert_eq!(s.rebuilt(512).encoding(), "intset");
        assert_eq!(s.rebuilt(1).encoding(), "hashtable");
    }

    #[test]
    fn set_converts_past_max_entries() {
        let mut s = Set::new_intset();
        for i in 0..3 {
            s.add(i.to_string().as_bytes(), 3);
        }
        assert_eq!(s.encoding(), "intset");
        s.add(b"3", 3);
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 4);
        let mut z = Set::new_intset();
        z.add(b"1", 0);
        assert_eq!(z.encoding(), "hashtable");
        assert!(z.contains(b"1"));
    }

    #[test]
    fn set_membership_and_equality() {
        let mut a = Set::new_intset();
        let mut b = Set::new_hash(0);
        for m in [&b"3"[..], b"1", b"2"] {
            a.add(m, 512);
            b.add(m, 512);
        }
        assert_eq!(a, b);
        assert!(a.contains(b"2") && !a.contains(b"02") && !a.contains(b"x"));
        assert!(b.contains_member(Member::Int(3)));
        assert!(a.contains_member(Member::Bytes(b"1")));
        assert_eq!(
            members(&a),
            vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]
        );
        assert!(a.remove_member(Member::Int(1)));
        assert!(b.remove_member(Member::Int(1)));
        assert_eq!(a, b);
        let r = b.random_owned().unwrap();
        assert!(b.contains_member(r.as_member()));
    }

    #[test]
    fn set_stays_small() {
        assert!(std::mem::size_of::<Set>() <= 24);
    }
}
