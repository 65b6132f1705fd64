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
use std::sync::atomic::{AtomicUsize, Ordering};

use mimalloc::MiMalloc;

static USED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static STARTUP: AtomicUsize = AtomicUsize::new(0);

pub struct CountingAlloc;

/// Usable size of a live block (at least what was asked for).
#[inline]
fn usable(p: *const u8) -> usize {
    // SAFETY: callers pass blocks that mimalloc returned and that are live.
    unsafe { MiMalloc.usable_size(p) }
}

// SAFETY: every method forwards to mimalloc, which upholds the GlobalAlloc
// contract; the counters do not affect the returned memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { MiMalloc.alloc(layout) };
        if !p.is_null() {
            add(usable(p));
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() {
            add(usable(p));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        USED.fetch_sub(usable(ptr), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { MiMalloc.dealloc(ptr, layout) };
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = usable(ptr);
        // SAFETY: same contract as the caller's.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            USED.fetch_sub(old, Ordering::Relaxed);
            add(usable(p));
        }
        p
    }
}

/// The allocator's name and version, as INFO `mem_allocator` and `-v` show
/// it (Redis: `jemalloc-5.3.0`).
pub fn allocator_name() -> String {
    // Major, then two digits of minor and two of patch: 30302 is 3.3.2.
    let v = MiMalloc.version();
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
