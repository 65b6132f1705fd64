//! Writeback while a big file is written: each time `step` more bytes have
//! been written, ask the kernel to start writing that range to disk
//! (`sync_file_range(SYNC_FILE_RANGE_WRITE)`), without waiting for it.
//!
//! An RDB of a few GB written in one go otherwise sits dirty in the page
//! cache until the final fsync, which then has to wait for all of it: on a
//! replica that fsync blocks the event loop at the end of every disk-based
//! full sync. Dirty pages beyond the kernel's limits also throttle whichever
//! process dirties the next page, the master's main loop included. Redis
//! starts writeback every 8 MB of a replica's received RDB, and with
//! `rdb-save-incremental-fsync` fsyncs every 4 MB of a save. We start
//! writeback in both places; the final fsync still makes the file durable
//! and reports any error, so the ranges are only a hint and their errors
//! are ignored.

use std::fs::File;
use std::io::{self, Write};

/// Bytes between two writeback requests of a received RDB (Redis's
/// REPL_MAX_WRITTEN_BEFORE_FSYNC).
pub const TRANSFER_STEP: u64 = 8 << 20;
/// Bytes between two writeback requests of a save with
/// `rdb-save-incremental-fsync` (Redis's REDIS_AUTOSYNC_BYTES).
pub const SAVE_STEP: u64 = 4 << 20;

/// A file written front to back whose completed ranges are handed to
/// writeback as it grows.
#[derive(Debug)]
pub struct WritebackFile {
    file: File,
    /// Bytes written so far.
    written: u64,
    /// Everything before this offset has been handed to writeback.
    handed: u64,
    /// Hand a range over every `step` bytes; 0: never.
    step: u64,
    /// Ranges handed over (for tests and logs).
    ranges: u64,
}

impl WritebackFile {
    pub fn new(file: File, step: u64) -> WritebackFile {
        WritebackFile {
            file,
            written: 0,
            handed: 0,
            step,
            ranges: 0,
        }
    }

    /// The file, to fsync and close.
    pub fn into_inner(self) -> File {
        self.file
    }

    /// How many ranges were handed to writeback.
    pub fn ranges(&self) -> u64 {
        self.ranges
    }

    fn maybe_start_writeback(&mut self) {
        if self.step == 0 || self.written - self.handed < self.step {
            return;
        }
        start_writeback(&self.file, self.handed, self.written - self.handed);
        self.handed = self.written;
        self.ranges += 1;
    }
}

impl Write for WritebackFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        self.maybe_start_writeback();
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(target_os = "linux")]
fn start_writeback(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: a plain syscall on a descriptor `file` keeps open; it reads
    // no memory of ours.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _offset: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn temp_path(tag: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("ferrodis-writeback-{tag}-{}", std::process::id()))
    }

    #[test]
    fn hands_over_each_completed_step_and_keeps_the_bytes() {
        let path = temp_path("steps");
        let file = File::create(&path).expect("create");
        let mut w = WritebackFile::new(file, 1000);
        let data: Vec<u8> = (0..4500u32).map(|i| (i * 7 % 251) as u8).collect();
        // Odd write sizes: a range is handed over once a step has passed,
        // whatever the write boundaries.
        for piece in data.chunks(333) {
            w.write_all(piece).expect("write");
        }
        // Handed over at 1332, 2664 and 3996 bytes; the last 504 wait for
        // the final fsync.
        assert_eq!(w.ranges(), 3);
        w.into_inner().sync_all().expect("sync");
        let mut back = Vec::new();
        File::open(&path)
            .and_then(|mut f| f.read_to_end(&mut back))
            .expect("read");
        let _ = std::fs::remove_file(&path);
        assert_eq!(back, data);
    }

    #[test]
    fn step_zero_never_hands_over() {
        let path = temp_path("off");
        let file = File::create(&path).expect("create");
        let mut w = WritebackFile::new(file, 0);
        w.write_all(&[1u8; 10_000]).expect("write");
        assert_eq!(w.ranges(), 0);
        let _ = std::fs::remove_file(&path);
    }
}
