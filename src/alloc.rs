//! The global allocator: mimalloc, plus a running total of live bytes, so
//! INFO's `used_memory` is exact and means what Redis's means (the usable
//! size of every block, size-class rounding included, as zmalloc counts
//! with jemalloc). One relaxed atomic add per allocation; the server is
//! single-threaded, so the counter is never contended.
//!
//! Why mimalloc and not the system allocator: like Redis's jemalloc it
//! keeps blocks of one size class together on their own pages. With
//! glibc's malloc a key's entry, key and value end up interleaved with
//! everything else, so the writes that follow a fork (a BGSAVE, a full
//! sync) copy three times as many pages through copy-on-write, and the
//! resident size per key is higher.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

use libmimalloc_sys as mi;

static USED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static STARTUP: AtomicUsize = AtomicUsize::new(0);

/// Alignment every plain `mi_malloc` block has. `.cargo/config.toml` builds
/// mimalloc with `MI_MAX_ALIGN_SIZE=8`, which gives small blocks size
/// classes one word apart (8, 16, 24, 32, 40, ...) instead of two (the C
/// default, for `max_align_t`): a 40-byte dict entry takes 40 bytes, not 48.
/// Rust says what alignment it needs in each `Layout`, so the few layouts
/// that ask for more than a word take the aligned calls below. Built without
/// that flag, blocks are 16-aligned and this stays correct.
const PLAIN_ALIGN: usize = 8;

pub struct CountingAlloc;

/// Requests up to this size get a block of exactly their size class
/// (`mi_good_size`); bigger ones are rounded to larger spans that only the
/// block itself knows (checked by the tests).
const CLASS_SIZED_MAX: usize = 256 * 1024;

/// The bytes the live block at `p`, asked for with `size` and `align`,
/// counts for: its usable size. For the plain small blocks that make up
/// nearly every allocation, that is the request's size class, computed
/// from the layout that alloc and dealloc both know; asking mimalloc about
/// the pointer instead reads the block's page header, and was 4% of an RDB
/// load. A realloc that mimalloc does in place (a shrink to at least half)
/// leaves a block of the old class counted as the new size's: the total
/// stays consistent, since dealloc gets that same size back.
#[inline]
fn counted(p: *const u8, size: usize, align: usize) -> usize {
    if align <= PLAIN_ALIGN && size <= CLASS_SIZED_MAX {
        // SAFETY: pure arithmetic on size classes; touches no memory.
        unsafe { mi::mi_good_size(size) }
    } else {
        usable(p)
    }
}

/// Usable size of a live block (at least what was asked for).
#[inline]
fn usable(p: *const u8) -> usize {
    // SAFETY: callers pass blocks that mimalloc returned and that are live.
    unsafe { mi::mi_usable_size(p.cast::<c_void>()) }
}

// SAFETY: every method forwards to mimalloc with the layout's size, and with
// its alignment whenever plain blocks could be less aligned (mimalloc's
// aligned calls honour any power of two); mimalloc frees and reallocates
// blocks from either kind of call. The counters do not touch the memory.
//
// Not `mimalloc::MiMalloc`: it always calls `mi_malloc_aligned`, and
// mimalloc 3 serves an aligned request for a size that is not a power of two
// by over-allocating `size + align - 1` until a page of the exact size
// exists, which that path never creates. Every 40-byte entry took 48 bytes,
// every 24-byte block 32.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain C allocation calls; a null result is passed on.
        let p = unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_malloc(layout.size())
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align())
            }
        }
        .cast::<u8>();
        if !p.is_null() {
            add(counted(p, layout.size(), layout.align()));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_zalloc(layout.size())
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align())
            }
        }
        .cast::<u8>();
        if !p.is_null() {
            add(counted(p, layout.size(), layout.align()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        USED.fetch_sub(
            counted(ptr, layout.size(), layout.align()),
            Ordering::Relaxed,
        );
        // SAFETY: `ptr` is a live block from this allocator (the caller's
        // contract); mi_free needs no size or alignment.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) };
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = counted(ptr, layout.size(), layout.align());
        // SAFETY: `ptr` is a live block of `layout` (the caller's contract);
        // the aligned call keeps the alignment a plain block might not have.
        let p = unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size)
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
            }
        }
        .cast::<u8>();
        if !p.is_null() {
            USED.fetch_sub(old, Ordering::Relaxed);
            add(counted(p, new_size, layout.align()));
        }
        p
    }
}

/// The allocator's name and version, as INFO `mem_allocator` and `-v` show
/// it (Redis: `jemalloc-5.3.0`).
pub fn allocator_name() -> String {
    // Major, then two digits of minor and two of patch: 30302 is 3.3.2.
    // SAFETY: a plain query with no arguments.
    let v = unsafe { mi::mi_version() };
    format!("mimalloc-{}.{}.{}", v / 10000, v / 100 % 100, v % 100)
}

#[inline]
fn add(n: usize) {
    let now = USED.fetch_add(n, Ordering::Relaxed) + n;
    if now > PEAK.load(Ordering::Relaxed) {
        PEAK.store(now, Ordering::Relaxed);
    }
}

/// Bytes currently allocated.
pub fn used_memory() -> usize {
    USED.load(Ordering::Relaxed)
}

/// Highest value `used_memory` reached.
pub fn peak_memory() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Record the baseline after start-up (INFO used_memory_startup).
pub fn mark_startup() {
    STARTUP.store(used_memory(), Ordering::Relaxed);
}

pub fn startup_memory() -> usize {
    STARTUP.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting from the layout gives what mimalloc reports for the block,
    /// below [`CLASS_SIZED_MAX`] (where mi_good_size answers) and above.
    #[test]
    fn counted_sizes_are_the_usable_sizes() {
        let sizes = (1..=1024)
            .chain((1025..70_000).step_by(97))
            .chain((70_000..600_000).step_by(61))
            .chain([1 << 20, (1 << 20) + 1, 5 << 20, (33 << 20) + 7]);
        for size in sizes {
            let layout = Layout::from_size_align(size, 8).expect("valid layout");
            let p = unsafe { CountingAlloc.alloc(layout) };
            assert!(!p.is_null());
            assert_eq!(
                counted(p, layout.size(), layout.align()),
                usable(p),
                "a {size}-byte block"
            );
            unsafe { CountingAlloc.dealloc(p, layout) };
        }
    }

    /// The size classes the keyspace's layout is built around (see
    /// `db::thin`): one word apart, so an entry of 40 bytes costs 40.
    #[test]
    fn small_blocks_are_word_granular() {
        for size in [8usize, 16, 24, 32, 40, 48, 56, 64] {
            let layout = Layout::from_size_align(size, 8).expect("valid layout");
            let blocks: Vec<*mut u8> = (0..64)
                // SAFETY: a non-zero size; freed below.
                .map(|_| unsafe { CountingAlloc.alloc(layout) })
                .collect();
            for &p in &blocks {
                assert!(!p.is_null());
                assert_eq!(usable(p), size, "class of a {size}-byte block");
                // SAFETY: allocated just above with this layout.
                unsafe { CountingAlloc.dealloc(p, layout) };
            }
        }
    }

    /// Layouts that need more than a word still get it.
    #[test]
    fn wide_alignments_are_honoured() {
        for (size, align) in [(16usize, 16usize), (40, 16), (24, 32), (100, 64), (8, 4096)] {
            let layout = Layout::from_size_align(size, align).expect("valid layout");
            // SAFETY: non-zero sizes; each block is freed right away.
            unsafe {
                let p = CountingAlloc.alloc(layout);
                assert_eq!(p as usize % align, 0);
                let q = CountingAlloc.realloc(p, layout, size * 3);
                assert_eq!(q as usize % align, 0);
                CountingAlloc.dealloc(q, Layout::from_size_align(size * 3, align).expect("valid"));
                let z = CountingAlloc.alloc_zeroed(layout);
                assert_eq!(z as usize % align, 0);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                CountingAlloc.dealloc(z, layout);
            }
        }
    }
}
