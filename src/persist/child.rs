//! Fork children: the only place that forks, waits and `_exit`s.
//!
//! BGSAVE (and later AOF rewrites and diskless full syncs) run in a child
//! process that sees a frozen copy of the dataset through copy-on-write,
//! while the parent keeps serving clients. Rules the child follows, because
//! it shares file descriptors and a copied heap with the parent:
//! - it never touches the poller (the epoll instance is shared: an
//!   `epoll_ctl` there would change the parent's interest list), client
//!   sockets or the parent's files (pid file, AOF);
//! - it logs through the unbuffered logger (role letter `C`);
//! - it ends with `libc::_exit`, after catching panics, so no destructor,
//!   exit handler or stdio flush of the parent's state runs in it;
//! - SIGTERM/SIGINT get their default action back, so killing the child
//!   kills it instead of reaching the parent's shutdown flag.
//!
//! The parent reaps with `waitpid(WNOHANG)` from the cron, never blocking.

use std::io;

use crate::logging;

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildExit {
    /// Exit status 0.
    Success,
    /// Non-zero exit status.
    Failed(i32),
    /// Killed by a signal.
    Signaled(i32),
}

/// A forked child as the parent sees it.
#[derive(Debug)]
pub struct Spawned {
    pub pid: libc::pid_t,
    /// Read end of a pipe on which the child reports, just before exiting,
    /// how many bytes it copied on write (its private dirty memory). The
    /// child measures itself so the parent never walks the child's page
    /// tables from the event loop (reading another process's smaps costs
    /// tens of milliseconds for a big dataset).
    pub cow_pipe: std::fs::File,
}

/// Fork a child that runs `work` and exits with 0 when it returns true,
/// 1 otherwise (or on a panic).
pub fn spawn(work: impl FnOnce() -> bool) -> io::Result<Spawned> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 fills the two descriptors we pass.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors are fresh and owned from here on.
    let (read_end, write_end) = unsafe {
        use std::os::fd::FromRawFd;
        (
            std::fs::File::from_raw_fd(fds[0]),
            std::fs::File::from_raw_fd(fds[1]),
        )
    };
    // SAFETY: ferrodis runs its dataset on one thread. The only other
    // thread is the AOF fsync thread (aof_server.rs), which takes none of
    // our locks; glibc's fork handlers keep malloc consistent in the child.
    // The child only runs `work` and then `_exit`s.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    if pid > 0 {
        drop(write_end);
        return Ok(Spawned {
            pid,
            cow_pipe: read_end,
        });
    }
    drop(read_end);
    // In the child.
    logging::set_role(b'C');
    // SAFETY: restoring default dispositions is async-signal-safe and only
    // affects this process.
    unsafe {
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
        libc::signal(libc::SIGINT, libc::SIG_DFL);
    }
    super::sched::enter_batch();
    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(false);
    let cow = private_dirty_bytes_of("self");
    {
        use std::io::Write;
        let mut w = write_end;
        let _ = w.write_all(&cow.to_le_bytes());
    }
    // SAFETY: leave at once, without running the parent's destructors.
    unsafe { libc::_exit(if ok { 0 } else { 1 }) }
}

/// The copy-on-write size a finished child reported (0 if it reported
/// nothing, e.g. it was killed).
pub fn reported_cow(pipe: &std::fs::File) -> u64 {
    use std::io::Read;
    let mut b = [0u8; 8];
    let mut reader = pipe;
    match reader.read_exact(&mut b) {
        Ok(()) => u64::from_le_bytes(b),
        Err(_) => 0,
    }
}

/// Reap a child if it has exited, with the copy-on-write size it reported;
/// None while it is still running.
pub fn reap_with_cow(pid: libc::pid_t, cow_pipe: &std::fs::File) -> Option<(ChildExit, u64)> {
    try_reap(pid).map(|exit| (exit, reported_cow(cow_pipe)))
}

/// Reap `pid` if it has exited; None while it is still running.
pub fn try_reap(pid: libc::pid_t) -> Option<ChildExit> {
    let mut status: libc::c_int = 0;
    // SAFETY: waitpid with WNOHANG on our own child; `status` is valid.
    let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if r <= 0 {
        if r < 0 {
            // ECHILD: already reaped elsewhere; report it as failed so the
            // caller clears its state.
            return Some(ChildExit::Failed(-1));
        }
        return None;
    }
    if libc::WIFSIGNALED(status) {
        return Some(ChildExit::Signaled(libc::WTERMSIG(status)));
    }
    match libc::WEXITSTATUS(status) {
        0 => Some(ChildExit::Success),
        code => Some(ChildExit::Failed(code)),
    }
}

/// Ask a child to stop (SIGUSR1 in Redis; any signal that is not caught
/// ends it) and wait for it. Used when a save is aborted (FLUSHALL,
/// SHUTDOWN): the temp file is removed by the caller.
pub fn kill_and_wait(pid: libc::pid_t) {
    // SAFETY: signalling and waiting on our own child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
    }
}

/// Send SIGKILL to a child without waiting: the cron reaps it and runs the
/// usual end-of-child handling (a diskless sync whose last replica left).
pub fn kill(pid: libc::pid_t) {
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Resident memory a process has written to privately (copy-on-write),
/// from /proc/<who>/smaps_rollup; 0 when unavailable. Reported as
/// `rdb_last_cow_size`.
fn private_dirty_bytes_of(who: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{who}/smaps_rollup")) else {
        return 0;
    };
    text.lines()
        .filter(|l| l.starts_with("Private_Dirty:"))
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum::<u64>()
        * 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_exit_codes_are_reported() {
        let ok = spawn(|| true).expect("fork").pid;
        let bad = spawn(|| false).expect("fork").pid;
        // (A panicking child is not tested here: the test harness is
        // multi-threaded, and the panic message would take stderr's lock,
        // which another thread may have held at fork time.)
        for (pid, want) in [(ok, ChildExit::Success), (bad, ChildExit::Failed(1))] {
            let mut got = None;
            for _ in 0..500 {
                got = try_reap(pid);
                if got.is_some() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            assert_eq!(got, Some(want));
        }
    }
}
