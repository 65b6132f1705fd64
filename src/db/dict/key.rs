//! How a [`Dict`](super::Dict) entry holds its key: a thin owning pointer to
//! the exact-size key bytes plus one 64-bit word that packs the length with
//! 24 bits the dict's user may keep per entry ("meta").
//!
//! # Why
//!
//! The keyspace needs Redis's 24-bit `lru` field per key (the LRU clock or
//! the LFU counter; see `db::clock`), and ferrodis promises to use less
//! memory per key than Redis. The entry had no room: `next` (8) + the key's
//! `Box<[u8]>` fat pointer (16) + `Value` (16, see `db::thin`) = 40 bytes,
//! and a 41st byte would cost a whole 8 more with alignment. But the length
//! half of the fat pointer wastes its top bits: a key is at most
//! `proto-max-bulk-len` bytes and cannot in practice come near 2^40 bytes
//! (1 TiB), so 40 bits of length leave 24 bits free, exactly the width of
//! Redis's field. The entry stays 40 bytes.
//!
//! The alternatives were worse: storing the clock inside `Value` needs the
//! enum's padding, which Rust does not let a field use; a separate side
//! table costs more than the field; a thin key with an inline length prefix
//! moves bytes into the key allocation instead of saving them.
//!
//! The dict is generic and also serves hash fields, set members and the
//! expires index; for them meta is simply 0 and costs nothing. Reading the
//! key costs one AND (masking the length), which the comparison loop does
//! anyway on a register it already holds.
//!
//! ```text
//!   PackedKey { ptr ─────────────► [k e y b y t e s]   (Box<[u8]> allocation)
//!               word: [ meta:24 | len:40 ] }
//! ```

use std::fmt;
use std::ops::Deref;
use std::ptr::{self, NonNull};
use std::slice;

/// Bits of the word holding the length.
const LEN_BITS: u32 = 40;
const LEN_MASK: u64 = (1 << LEN_BITS) - 1;

/// Bits of per-entry metadata a dict user may store beside each key.
pub const META_BITS: u32 = 24;
/// Largest meta value; larger values are truncated to their low 24 bits.
pub const META_MAX: u32 = (1 << META_BITS) - 1;

/// An owned key (what a `Box<[u8]>` holds) plus 24 bits of meta, in 16 bytes.
pub(super) struct PackedKey {
    /// Start of the key bytes, obtained from `Box::<[u8]>::into_raw`
    /// (dangling but well aligned for an empty key, as Box makes it).
    ptr: NonNull<u8>,
    /// Length in the low [`LEN_BITS`], meta in the high [`META_BITS`].
    word: u64,
}

// SAFETY: a PackedKey owns its bytes exclusively, exactly like the Box<[u8]>
// it was made from (which is Send and Sync); nothing is shared or interior-
// mutable.
unsafe impl Send for PackedKey {}
// SAFETY: see Send above: `&PackedKey` only hands out `&[u8]`.
unsafe impl Sync for PackedKey {}

impl PackedKey {
    /// Takes ownership of `key` without copying it.
    ///
    /// Panics if the key is 1 TiB or longer: no client can make us hold one
    /// (the allocation would fail first), so this is a local invariant.
    #[inline]
    pub(super) fn new(key: Box<[u8]>, meta: u32) -> PackedKey {
        let len = key.len() as u64;
        assert!(len <= LEN_MASK, "key of {len} bytes cannot be stored");
        let raw = Box::into_raw(key) as *mut u8;
        PackedKey {
            // SAFETY: Box::into_raw never returns null (empty boxes get a
            // dangling, non-null pointer).
            ptr: unsafe { NonNull::new_unchecked(raw) },
            word: len | ((meta & META_MAX) as u64) << LEN_BITS,
        }
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        (self.word & LEN_MASK) as usize
    }

    /// The 24 bits of meta.
    #[inline]
    pub(super) fn meta(&self) -> u32 {
        (self.word >> LEN_BITS) as u32
    }

    /// Replaces the meta (truncated to 24 bits); the key is unchanged.
    #[inline]
    pub(super) fn set_meta(&mut self, meta: u32) {
        self.word = (self.word & LEN_MASK) | ((meta & META_MAX) as u64) << LEN_BITS;
    }

    /// Gives the key back as the Box it came from.
    #[inline]
    pub(super) fn into_box(self) -> Box<[u8]> {
        let len = self.len();
        let ptr = self.ptr.as_ptr();
        std::mem::forget(self);
        // SAFETY: `ptr`/`len` came from `Box::into_raw` of a `Box<[u8]>` of
        // exactly this length, and forgetting `self` above makes this the
        // only owner again (no double free in Drop).
        unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(ptr, len)) }
    }
}

impl Deref for PackedKey {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` points to `len` initialised bytes owned by `self`
        // (a valid Box<[u8]> allocation, or dangling with len 0), alive as
        // long as the borrow of `self`.
        unsafe { slice::from_raw_parts(self.ptr.as_ptr(), self.len()) }
    }
}

impl Drop for PackedKey {
    fn drop(&mut self) {
        let len = self.len();
        // SAFETY: as in `into_box`: rebuild the original Box and drop it;
        // `self` is never used again.
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), len)) });
    }
}

impl fmt::Debug for PackedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}/{}", String::from_utf8_lossy(self), self.meta())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_is_a_fat_pointer() {
        assert_eq!(std::mem::size_of::<PackedKey>(), 16);
        assert_eq!(std::mem::size_of::<Box<[u8]>>(), 16);
    }

    #[test]
    fn keeps_bytes_and_meta_apart() {
        for len in [0usize, 1, 7, 44, 1000] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let boxed: Box<[u8]> = bytes.clone().into_boxed_slice();
            let at = boxed.as_ptr();
            let mut k = PackedKey::new(boxed, META_MAX);
            assert_eq!(&*k, &bytes[..]);
            assert_eq!(k.meta(), META_MAX);
            k.set_meta(0x12_3456);
            assert_eq!(k.meta(), 0x12_3456);
            assert_eq!(k.len(), len);
            // Wider values keep their low 24 bits and never touch the length.
            k.set_meta(u32::MAX);
            assert_eq!((k.meta(), k.len()), (META_MAX, len));
            let back = k.into_box();
            assert_eq!(&*back, &bytes[..]);
            if len > 0 {
                assert_eq!(back.as_ptr(), at, "no copy");
            }
        }
    }
}
