//! A counting global allocator: the system allocator plus a running total of
//! live bytes, so INFO's `used_memory` is exact (Redis gets the same number
//! from jemalloc/zmalloc). One relaxed atomic add per allocation; the server
//! is single-threaded, so the counter is never contended.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static USED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static STARTUP: AtomicUsize = AtomicUsize::new(0);

pub struct CountingAlloc;

// SAFETY: every method forwards to `System`, which upholds the GlobalAlloc
// contract; the counters do not affect the returned memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        USED.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            USED.fetch_sub(layout.size(), Ordering::Relaxed);
            add(new_size);
        }
        p
    }
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
