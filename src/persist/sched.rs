//! Bulk work yields the CPU to the work clients wait for.
//!
//! Writing a snapshot in a fork child and loading a whole dataset (at
//! start-up, or a replica's full sync) are throughput jobs: nobody waits on
//! any single step of them. The event loop is the opposite: a client waits
//! on every turn. Instances are commonly run several to a host (a master
//! and its replicas on different ports), and a full sync puts a fork child,
//! the master's loop and a loading replica on the same cores at once.
//!
//! Linux's `SCHED_BATCH` class says so to the scheduler without taking
//! anyone's share away: the thread keeps the weight of nice 0, but it does
//! not preempt others when it wakes up. Measured on a 2-core machine, a
//! master's SET p99 during a diskless sync of 500k keys improved by about
//! a tenth, within the noise of single runs; the share of CPU time, which
//! mostly sets that latency, is unchanged by design.
//!
//! Renicing the fork child was tried too and is a trade, not a gain: at
//! nice 10, with a master, replica, SET load and `bench.sh`'s poller on 2
//! cores, the master's SET p99 during a 1-replica diskless sync of 1M keys
//! went from 1.25x Redis's to 0.97x, but the sync from 0.67x Redis's time
//! to 0.89x (the child got what the busy tasks left), and the 3-replica
//! rows did not improve; nice 3 did no better than nice 0.
//!
//! Every call is a hint: on other systems, or where the calls are refused,
//! nothing changes and nothing fails.

/// Run the calling thread as bulk work from now on (the fork child does
/// this once, before writing its snapshot).
pub fn enter_batch() {
    if let Some(attr) = imp::get() {
        imp::set(&imp::batch_of(attr));
    }
}

/// Bulk scheduling for as long as the guard lives; the thread gets its
/// earlier policy and slice back when the guard drops (a load ends and the
/// server serves clients again).
pub struct BatchGuard {
    previous: Option<imp::Attr>,
}

impl BatchGuard {
    pub fn new() -> BatchGuard {
        let previous = imp::get();
        if let Some(attr) = previous {
            imp::set(&imp::batch_of(attr));
        }
        BatchGuard { previous }
    }
}

impl Default for BatchGuard {
    fn default() -> BatchGuard {
        BatchGuard::new()
    }
}

impl Drop for BatchGuard {
    fn drop(&mut self) {
        if let Some(attr) = &self.previous {
            imp::set(attr);
        }
    }
}

#[cfg(target_os = "linux")]
mod imp {
    /// `struct sched_attr` as of SCHED_ATTR_SIZE_VER0 (48 bytes), which
    /// every kernel with the calls accepts.
    #[repr(C)]
    #[derive(Clone, Copy, Debug, Default)]
    pub struct Attr {
        pub size: u32,
        pub sched_policy: u32,
        pub sched_flags: u64,
        pub sched_nice: i32,
        pub sched_priority: u32,
        pub sched_runtime: u64,
        pub sched_deadline: u64,
        pub sched_period: u64,
    }

    const NORMAL: u32 = libc::SCHED_OTHER as u32;
    const BATCH: u32 = libc::SCHED_BATCH as u32;

    /// The calling thread's attributes, when its policy is one a thread may
    /// set for itself without privileges (normal or batch): a server run
    /// under a real-time policy on purpose is left alone.
    pub fn get() -> Option<Attr> {
        let mut attr = Attr::default();
        let size = std::mem::size_of::<Attr>() as libc::c_uint;
        // SAFETY: sched_getattr writes at most `size` bytes into `attr`,
        // which is a valid, writable sched_attr of that size; pid 0 is the
        // calling thread.
        let r = unsafe { libc::syscall(libc::SYS_sched_getattr, 0, &mut attr, size, 0) };
        (r == 0 && (attr.sched_policy == NORMAL || attr.sched_policy == BATCH)).then_some(attr)
    }

    /// The same thread as bulk work, with the kernel's default slice.
    pub fn batch_of(attr: Attr) -> Attr {
        Attr {
            sched_policy: BATCH,
            sched_runtime: 0,
            ..attr
        }
    }

    pub fn set(attr: &Attr) {
        let attr = Attr {
            size: std::mem::size_of::<Attr>() as u32,
            sched_flags: 0,
            ..*attr
        };
        // SAFETY: `attr` is a valid sched_attr whose size field matches;
        // the call only changes the calling thread (pid 0). A refusal
        // (older kernel, seccomp) leaves the thread as it was.
        unsafe {
            libc::syscall(libc::SYS_sched_setattr, 0, &attr, 0);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    #[derive(Clone, Copy, Debug)]
    pub struct Attr;
    pub fn get() -> Option<Attr> {
        None
    }
    pub fn batch_of(attr: Attr) -> Attr {
        attr
    }
    pub fn set(_attr: &Attr) {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn guard_switches_to_batch_and_back() {
        // Tests run on threads of their own: this changes only this one.
        std::thread::spawn(|| {
            let before = imp::get();
            {
                let _g = BatchGuard::new();
                if before.is_some() {
                    assert_eq!(
                        imp::get().map(|a| a.sched_policy),
                        Some(libc::SCHED_BATCH as u32)
                    );
                }
            }
            let after = imp::get();
            assert_eq!(
                after.map(|a| a.sched_policy),
                before.map(|a| a.sched_policy)
            );
            assert_eq!(
                after.map(|a| a.sched_runtime),
                before.map(|a| a.sched_runtime)
            );
        })
        .join()
        .expect("test thread");
    }
}
