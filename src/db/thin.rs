//! Owned byte buffers behind one thin pointer, for the values the keyspace
//! holds by the million.
//!
//! # Why
//!
//! A `Box<[u8]>` is a 16-byte fat pointer and a `Vec<u8>` 24 bytes. Inside
//! [`Value`](super::Value) every variant pays for the widest one, and the
//! value sits in every dict entry: with a `Vec` in it the value was 32 bytes
//! and the entry 56, which the allocator rounds to 64. Moving the length into
//! the allocation, in front of the bytes, makes every buffer one pointer, so
//! `Value` fits in 16 bytes and an entry in 40 (an exact allocator class).
//! The length costs bytes in the allocation instead: one byte for the short
//! strings of [`EmbStr`], which is why it has its own header.
//!
//! ```text
//!   EmbStr      ─► [len:u8 | bytes ...]                 exact size
//!   PackedBytes ─► [len:u32 | aux:u32 | bytes ...]      exact size
//!   RawBytes    ─► [len:usize | cap:usize | bytes ...]  grows like a Vec
//! ```
//!
//! All the unsafe code is in [`ThinBuf`], which owns one allocation of a
//! header followed by `capacity` bytes; the three public types are safe
//! wrappers that choose the header.

use std::alloc::{self, Layout};
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// The part of an allocation in front of the bytes. It says how many bytes
/// follow (the capacity), which is all `ThinBuf` needs to free it.
///
/// # Safety
/// `capacity()` must return the value the buffer was allocated with, for as
/// long as the header is stored in it: `ThinBuf` computes the layout it
/// frees and reallocates from it.
unsafe trait Header: Copy {
    fn capacity(&self) -> usize;
}

/// One allocation: a header `H`, then `capacity` bytes, of which the wrapper
/// type knows how many are initialised (all of them, for the exact-size
/// buffers; `len` for [`RawBytes`], whose spare bytes are zeroed anyway).
#[repr(transparent)]
struct ThinBuf<H: Header> {
    ptr: NonNull<H>,
    _owns: PhantomData<H>,
}

// SAFETY: a ThinBuf owns its allocation exclusively, like a Box<[u8]>; it has
// no interior mutability, so shared references only read.
unsafe impl<H: Header + Send> Send for ThinBuf<H> {}
// SAFETY: as for Send.
unsafe impl<H: Header + Sync> Sync for ThinBuf<H> {}

impl<H: Header> ThinBuf<H> {
    /// Offset of the bytes: right after the header (u8 needs no alignment).
    const DATA: usize = std::mem::size_of::<H>();

    /// Where the allocation starts (for [`crate::util::prefetch`]).
    #[inline]
    fn addr(&self) -> *const u8 {
        self.ptr.as_ptr().cast()
    }

    fn layout(capacity: usize) -> Layout {
        let size = Self::DATA
            .checked_add(capacity)
            .expect("a buffer longer than the address space cannot exist");
        Layout::from_size_align(size, std::mem::align_of::<H>())
            .expect("buffer size overflows isize")
    }

    /// A buffer holding `header` and a copy of `bytes`, its capacity zeroed
    /// beyond them.
    fn new(header: H, bytes: &[u8]) -> Self {
        let capacity = header.capacity();
        debug_assert!(bytes.len() <= capacity);
        let layout = Self::layout(capacity);
        // SAFETY: the layout has a non-zero size (a header of at least one
        // byte); the pointer is checked for null; the header write is
        // aligned (the layout has H's alignment); the copy and the zeroing
        // stay inside the `capacity` bytes after the header.
        unsafe {
            let raw = alloc::alloc(layout);
            let Some(ptr) = NonNull::new(raw.cast::<H>()) else {
                alloc::handle_alloc_error(layout)
            };
            ptr.as_ptr().write(header);
            let data = raw.add(Self::DATA);
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), data, bytes.len());
            std::ptr::write_bytes(data.add(bytes.len()), 0, capacity - bytes.len());
            ThinBuf {
                ptr,
                _owns: PhantomData,
            }
        }
    }

    #[inline]
    fn header(&self) -> H {
        // SAFETY: `ptr` points to the header written in `new`/`resize`.
        unsafe { self.ptr.as_ptr().read() }
    }

    /// Replaces the header; its capacity must stay the allocated one.
    #[inline]
    fn set_header(&mut self, header: H) {
        debug_assert_eq!(header.capacity(), self.header().capacity());
        // SAFETY: as in `header`; `&mut self` means no one else reads it.
        unsafe { self.ptr.as_ptr().write(header) }
    }

    /// The first `len` bytes (`len <= capacity`, initialised: every byte is,
    /// since `new` and `resize` zero what they add).
    #[inline]
    fn bytes(&self, len: usize) -> &[u8] {
        debug_assert!(len <= self.header().capacity());
        // SAFETY: the allocation holds `capacity` initialised bytes after
        // the header, alive while `self` is borrowed.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().cast::<u8>().add(Self::DATA), len) }
    }

    #[inline]
    fn bytes_mut(&mut self, len: usize) -> &mut [u8] {
        debug_assert!(len <= self.header().capacity());
        // SAFETY: as in `bytes`, and `&mut self` makes the borrow unique.
        unsafe {
            std::slice::from_raw_parts_mut(self.ptr.as_ptr().cast::<u8>().add(Self::DATA), len)
        }
    }

    /// Gives the buffer `header`'s capacity (bytes up to the smaller of the
    /// two capacities are kept; new ones are zeroed) and stores `header`.
    fn resize(&mut self, header: H) {
        let old = self.header().capacity();
        let new = header.capacity();
        let new_layout = Self::layout(new);
        // SAFETY: the block was allocated with `layout(old)`, and realloc
        // gets the new size of a layout with the same alignment; on success
        // the old pointer is dead and we keep only the new one; the zeroing
        // and the header write stay inside the new block.
        unsafe {
            let raw = alloc::realloc(
                self.ptr.as_ptr().cast::<u8>(),
                Self::layout(old),
                new_layout.size(),
            );
            let Some(ptr) = NonNull::new(raw.cast::<H>()) else {
                alloc::handle_alloc_error(new_layout)
            };
            if new > old {
                std::ptr::write_bytes(raw.add(Self::DATA + old), 0, new - old);
            }
            ptr.as_ptr().write(header);
            self.ptr = ptr;
        }
    }
}

impl<H: Header> Drop for ThinBuf<H> {
    fn drop(&mut self) {
        let layout = Self::layout(self.header().capacity());
        // SAFETY: allocated (or last reallocated) with exactly this layout,
        // per the `Header` contract; never used again.
        unsafe { alloc::dealloc(self.ptr.as_ptr().cast::<u8>(), layout) }
    }
}

// ---------------------------------------------------------------------------
// EmbStr: short immutable strings
// ---------------------------------------------------------------------------

/// Longest string an [`EmbStr`] holds (its length is one byte).
pub const EMB_MAX: usize = u8::MAX as usize;

// SAFETY: the one byte is the length, which is the capacity.
unsafe impl Header for u8 {
    fn capacity(&self) -> usize {
        *self as usize
    }
}

/// An immutable string of at most [`EMB_MAX`] bytes behind one pointer, with
/// a one-byte length in front (Redis's embstr idea: one allocation, no spare).
pub struct EmbStr(ThinBuf<u8>);

impl EmbStr {
    /// Where the bytes live, without reading them (for prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.0.addr()
    }

    /// A copy of `bytes`, or `None` if it is longer than [`EMB_MAX`].
    pub fn new(bytes: &[u8]) -> Option<EmbStr> {
        let len = u8::try_from(bytes.len()).ok()?;
        Some(EmbStr(ThinBuf::new(len, bytes)))
    }
}

impl Deref for EmbStr {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.0.bytes(self.0.header() as usize)
    }
}

// ---------------------------------------------------------------------------
// PackedBytes: exact-size encodings (listpacks, intsets)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
#[repr(C)]
struct PackedHeader {
    len: u32,
    aux: u32,
}

// SAFETY: `len` is the capacity; `aux` never changes the allocation.
unsafe impl Header for PackedHeader {
    fn capacity(&self) -> usize {
        self.len as usize
    }
}

/// Longest buffer a [`PackedBytes`] holds. Its users convert to their big
/// encoding long before this (as Redis keeps listpacks under 1 GB).
pub const PACKED_MAX: usize = u32::MAX as usize;

/// An exact-size byte buffer behind one pointer, with one 32-bit number the
/// owner may keep beside it (`aux`: an entry count, a width). Every change
/// reallocates to the exact new size, as Redis's listpack and intset do.
#[repr(transparent)]
pub struct PackedBytes(ThinBuf<PackedHeader>);

impl PackedBytes {
    /// A copy of `bytes` with `aux`. The caller keeps buffers under
    /// [`PACKED_MAX`] (a longer one is a bug, not an input error).
    pub fn new(bytes: &[u8], aux: u32) -> PackedBytes {
        let len = u32::try_from(bytes.len()).expect("packed buffer over 4 GiB");
        PackedBytes(ThinBuf::new(PackedHeader { len, aux }, bytes))
    }

    #[inline]
    pub fn aux(&self) -> u32 {
        self.0.header().aux
    }

    #[inline]
    pub fn set_aux(&mut self, aux: u32) {
        let len = self.0.header().len;
        self.0.set_header(PackedHeader { len, aux });
    }

    /// Replaces `self[from..to]` with `with`, reallocating in place to the
    /// exact new size (what `Vec::splice` plus `into_boxed_slice` did, in
    /// one realloc and one move of the tail).
    pub fn splice(&mut self, from: usize, to: usize, with: &[u8]) {
        let old_len = self.len();
        assert!(from <= to && to <= old_len, "splice range out of bounds");
        let new_len = old_len - (to - from) + with.len();
        let len = u32::try_from(new_len).expect("packed buffer over 4 GiB");
        let aux = self.aux();
        if new_len > old_len {
            self.0.resize(PackedHeader { len, aux });
            self.0
                .bytes_mut(new_len)
                .copy_within(to..old_len, from + with.len());
        } else {
            self.0
                .bytes_mut(old_len)
                .copy_within(to..old_len, from + with.len());
            self.0.resize(PackedHeader { len, aux });
        }
        self.0.bytes_mut(new_len)[from..from + with.len()].copy_from_slice(with);
    }
}

impl Default for PackedBytes {
    /// Empty, with `aux` 0.
    fn default() -> PackedBytes {
        PackedBytes::new(&[], 0)
    }
}

impl Deref for PackedBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.0.bytes(self.0.header().len as usize)
    }
}

impl DerefMut for PackedBytes {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        let len = self.0.header().len as usize;
        self.0.bytes_mut(len)
    }
}

// ---------------------------------------------------------------------------
// RawBytes: growable strings
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
#[repr(C)]
struct RawHeader {
    len: usize,
    cap: usize,
}

// SAFETY: `cap` is the capacity allocated.
unsafe impl Header for RawHeader {
    fn capacity(&self) -> usize {
        self.cap
    }
}

/// A growable byte string behind one pointer (Redis's `raw` sds): what
/// APPEND and SETRANGE grow, with spare capacity so repeated appends are
/// amortised O(1).
pub struct RawBytes(ThinBuf<RawHeader>);

/// Redis's sdsMakeRoomFor: below 1 MB double the needed length, above it
/// add 1 MB.
const GROW_DOUBLING_LIMIT: usize = 1024 * 1024;

impl RawBytes {
    /// Where the bytes live, without reading them (for prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.0.addr()
    }

    /// A copy of `bytes` with no spare capacity.
    pub fn new(bytes: &[u8]) -> RawBytes {
        RawBytes(ThinBuf::new(
            RawHeader {
                len: bytes.len(),
                cap: bytes.len(),
            },
            bytes,
        ))
    }

    #[inline]
    pub fn capacity(&self) -> usize {
        self.0.header().cap
    }

    /// Makes the string `new_len` bytes long: cut, or extended with zeros
    /// (SETRANGE past the end).
    pub fn resize(&mut self, new_len: usize) {
        let h = self.0.header();
        if new_len > h.cap {
            let cap = if new_len < GROW_DOUBLING_LIMIT {
                new_len * 2
            } else {
                new_len.saturating_add(GROW_DOUBLING_LIMIT)
            };
            self.0.resize(RawHeader { len: new_len, cap });
        } else {
            if new_len > h.len {
                // Spare bytes may hold what an earlier cut left behind.
                self.0.bytes_mut(new_len)[h.len..].fill(0);
            }
            self.0.set_header(RawHeader {
                len: new_len,
                cap: h.cap,
            });
        }
    }

    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        let at = self.len();
        self.resize(at + bytes.len());
        self.0.bytes_mut(at + bytes.len())[at..].copy_from_slice(bytes);
    }
}

impl Deref for RawBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.0.bytes(self.0.header().len)
    }
}

impl DerefMut for RawBytes {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        let len = self.0.header().len;
        self.0.bytes_mut(len)
    }
}

// ---------------------------------------------------------------------------
// ThinOrBoxed: a compact encoding or a big one, in one word
// ---------------------------------------------------------------------------

/// A type that is exactly one non-null pointer to an allocation aligned to
/// at least 2, so bit 0 of the address is always clear.
///
/// # Safety
/// The type must be `#[repr(transparent)]` over such a pointer, all the way
/// down, and every value of it must keep bit 0 clear.
pub unsafe trait ThinPointer: Sized {}

// SAFETY: PackedBytes is repr(transparent) over ThinBuf, itself over a
// NonNull<PackedHeader>, whose allocation has the header's 4-byte alignment.
unsafe impl ThinPointer for PackedBytes {}

/// Which of the two a [`ThinOrBoxed`] holds.
pub enum Pick<A, B> {
    Thin(A),
    Boxed(B),
}

/// Either a [`ThinPointer`] `A` (a compact encoding such as a listpack) or
/// a `Box<B>` (the big encoding), in one word: bit 0 of the address says
/// which. An enum of the two would be two words, and would make every
/// [`Value`](super::Value) pay for the second.
///
/// The compact form is stored untagged, as the very bits of an `A`, so a
/// reference to the word *is* a reference to an `A`: borrows hand out
/// `&A` / `&mut A` directly, and whatever `A`'s own methods do to its
/// pointer (a realloc) lands in the word with bit 0 still clear.
pub struct ThinOrBoxed<A: ThinPointer, B> {
    word: NonNull<u8>,
    _owns: PhantomData<(A, Box<B>)>,
}

// SAFETY: owns exactly one A or one Box<B>, with no sharing.
unsafe impl<A: ThinPointer + Send, B: Send> Send for ThinOrBoxed<A, B> {}
// SAFETY: shared references only give out &A or &B.
unsafe impl<A: ThinPointer + Sync, B: Sync> Sync for ThinOrBoxed<A, B> {}

const BOXED_TAG: usize = 1;

impl<A: ThinPointer, B> ThinOrBoxed<A, B> {
    /// Checked at compile time for each `A`: one pointer wide.
    const A_IS_A_WORD: () = assert!(std::mem::size_of::<A>() == std::mem::size_of::<usize>());
    /// And the box's target leaves bit 0 free.
    const B_IS_ALIGNED: () = assert!(std::mem::align_of::<B>() >= 2);

    pub fn thin(a: A) -> Self {
        let () = Self::A_IS_A_WORD;
        let a = std::mem::ManuallyDrop::new(a);
        // SAFETY: by the ThinPointer contract `A` is exactly one non-null
        // pointer; ownership moves into the word (`a` is not dropped).
        let word: NonNull<u8> = unsafe { std::mem::transmute_copy(&*a) };
        debug_assert_eq!(word.as_ptr() as usize & BOXED_TAG, 0);
        ThinOrBoxed {
            word,
            _owns: PhantomData,
        }
    }

    pub fn boxed(b: Box<B>) -> Self {
        let () = Self::B_IS_ALIGNED;
        let raw = Box::into_raw(b).cast::<u8>();
        ThinOrBoxed {
            // SAFETY: a Box pointer is non-null, and setting bit 0 of an
            // address aligned to 2 or more keeps it non-null.
            word: unsafe { NonNull::new_unchecked(raw.map_addr(|a| a | BOXED_TAG)) },
            _owns: PhantomData,
        }
    }

    /// Where the `A`'s block or the boxed `B` lives, without reading it
    /// (for prefetching).
    #[inline]
    pub fn heap_addr(&self) -> *const u8 {
        self.word.as_ptr().map_addr(|a| a & !BOXED_TAG)
    }

    #[inline]
    fn is_boxed(&self) -> bool {
        self.word.as_ptr() as usize & BOXED_TAG != 0
    }

    #[inline]
    fn boxed_ptr(&self) -> *mut B {
        self.word.as_ptr().map_addr(|a| a & !BOXED_TAG).cast::<B>()
    }

    #[inline]
    pub fn get(&self) -> Pick<&A, &B> {
        if self.is_boxed() {
            // SAFETY: tagged: the untagged address is a live Box<B> we own,
            // borrowed as long as `self`.
            Pick::Boxed(unsafe { &*self.boxed_ptr() })
        } else {
            // SAFETY: untagged: the word holds the bits of an `A` we own
            // (ThinPointer: same layout as the word).
            Pick::Thin(unsafe { &*(&self.word as *const NonNull<u8>).cast::<A>() })
        }
    }

    #[inline]
    pub fn get_mut(&mut self) -> Pick<&mut A, &mut B> {
        if self.is_boxed() {
            // SAFETY: as in `get`, and `&mut self` makes the borrow unique.
            Pick::Boxed(unsafe { &mut *self.boxed_ptr() })
        } else {
            // SAFETY: as in `get`; any `A` written through this reference
            // keeps bit 0 clear (ThinPointer), so the word stays untagged.
            Pick::Thin(unsafe { &mut *(&mut self.word as *mut NonNull<u8>).cast::<A>() })
        }
    }
}

impl<A: ThinPointer, B> Drop for ThinOrBoxed<A, B> {
    fn drop(&mut self) {
        if self.is_boxed() {
            // SAFETY: the untagged address came from Box::into_raw.
            drop(unsafe { Box::from_raw(self.boxed_ptr()) });
        } else {
            // SAFETY: the word holds an `A` we own, dropped exactly once.
            unsafe { std::ptr::drop_in_place((&mut self.word as *mut NonNull<u8>).cast::<A>()) }
        }
    }
}

impl<A: ThinPointer + Clone, B: Clone> Clone for ThinOrBoxed<A, B> {
    fn clone(&self) -> Self {
        match self.get() {
            Pick::Thin(a) => ThinOrBoxed::thin(a.clone()),
            Pick::Boxed(b) => ThinOrBoxed::boxed(Box::new(b.clone())),
        }
    }
}

// ---------------------------------------------------------------------------
// What every buffer type shares
// ---------------------------------------------------------------------------

macro_rules! byte_buffer_traits {
    ($t:ty, $clone:expr) => {
        impl Clone for $t {
            fn clone(&self) -> Self {
                $clone(self)
            }
        }
        impl Eq for $t {}
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", String::from_utf8_lossy(self))
            }
        }
    };
}

impl PartialEq for EmbStr {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// The bytes and `aux` (the same bytes may mean other things under another
/// `aux`, such as an intset's width).
impl PartialEq for PackedBytes {
    fn eq(&self, other: &Self) -> bool {
        self.aux() == other.aux() && **self == **other
    }
}

impl PartialEq for RawBytes {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

byte_buffer_traits!(EmbStr, |s: &EmbStr| EmbStr(ThinBuf::new(s.0.header(), s)));
byte_buffer_traits!(PackedBytes, |p: &PackedBytes| PackedBytes::new(p, p.aux()));
byte_buffer_traits!(RawBytes, |r: &RawBytes| RawBytes::new(r));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pointer_each() {
        let word = std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<EmbStr>(), word);
        assert_eq!(std::mem::size_of::<PackedBytes>(), word);
        assert_eq!(std::mem::size_of::<RawBytes>(), word);
        assert_eq!(std::mem::size_of::<Option<RawBytes>>(), word);
    }

    #[test]
    fn emb_holds_up_to_255_bytes() {
        for len in [0usize, 1, 14, 44, 255] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let s = EmbStr::new(&bytes).expect("fits");
            assert_eq!(&*s, &bytes[..]);
            assert_eq!(s.clone(), s);
        }
        assert!(EmbStr::new(&[0; 256]).is_none());
    }

    #[test]
    fn packed_splice_matches_vec_splice() {
        let mut p = PackedBytes::new(b"hello world", 7);
        let mut v = b"hello world".to_vec();
        for (from, to, with) in [
            (0, 0, &b">>"[..]),
            (2, 7, b""),
            (3, 4, b"0123456789"),
            (0, 5, b"x"),
            (1, 1, b""),
        ] {
            p.splice(from, to, with);
            v.splice(from..to, with.iter().copied());
            assert_eq!(&*p, &v[..]);
            assert_eq!(p.aux(), 7);
        }
        let end = p.len();
        p.splice(0, end, b"");
        assert!(p.is_empty());
        p.set_aux(9);
        assert_eq!((p.aux(), p.clone().aux()), (9, 9));
        p[..0].copy_from_slice(b"");
    }

    #[test]
    fn raw_grows_and_zero_fills() {
        let mut r = RawBytes::new(b"ab");
        r.extend_from_slice(b"cd");
        assert_eq!(&*r, b"abcd");
        assert!(r.capacity() >= 4);
        r.resize(2);
        assert_eq!(&*r, b"ab");
        // What the cut left in the spare bytes must not come back.
        r.resize(6);
        assert_eq!(&*r, b"ab\0\0\0\0");
        r[5] = b'!';
        assert_eq!(&*r, b"ab\0\0\0!");
        let mut big = RawBytes::new(b"");
        for i in 0..10_000u32 {
            big.extend_from_slice(&i.to_le_bytes());
        }
        assert_eq!(big.len(), 40_000);
        assert_eq!(&big[4..8], &1u32.to_le_bytes());
        assert_eq!(big.clone(), big);
        assert_eq!(big.clone().capacity(), 40_000);
    }

    #[test]
    fn thin_or_boxed_switches_and_drops() {
        type Either = ThinOrBoxed<PackedBytes, Vec<String>>;
        assert_eq!(std::mem::size_of::<Either>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<Option<Either>>(),
            std::mem::size_of::<usize>()
        );
        let mut e = Either::thin(PackedBytes::new(b"abc", 3));
        match e.get_mut() {
            // Reallocations through the reference land in the word.
            Pick::Thin(p) => {
                p.splice(3, 3, &[b'!'; 1000]);
                p.set_aux(4);
            }
            Pick::Boxed(_) => panic!("thin expected"),
        }
        let copy = e.clone();
        for x in [&e, &copy] {
            match x.get() {
                Pick::Thin(p) => assert_eq!((p.len(), p.aux(), &p[..4]), (1003, 4, &b"abc!"[..])),
                Pick::Boxed(_) => panic!("thin expected"),
            }
        }
        e = Either::boxed(Box::new(vec!["x".to_string()]));
        if let Pick::Boxed(v) = e.get_mut() {
            v.push("y".into());
        }
        match e.clone().get() {
            Pick::Boxed(v) => assert_eq!(v, &["x", "y"]),
            Pick::Thin(_) => panic!("boxed expected"),
        }
    }
}
