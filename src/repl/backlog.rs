//! The replication buffer: the stream's recent bytes, held once for the
//! backlog and for every replica's output.
//!
//! Two consumers need the stream's bytes. The backlog keeps the newest
//! `repl-backlog-size` bytes so that a replica that lost its link can
//! continue with a partial resync (+CONTINUE). And each replica needs the
//! bytes it has not been sent yet: while its RDB is made and sent, that is
//! everything produced since the fork. Copying the stream into each
//! replica's output buffer, as Redis did before 7.0, costs a copy per
//! replica per write and holds the same bytes N + 1 times during a full
//! sync. Like Redis 7.0, we keep the bytes once, in fixed-size blocks, and a
//! replica is only a position in them (`ReplicaConn::stream_next`). The
//! server trims the oldest blocks once the backlog no longer needs them
//! (more than `size` newer bytes exist) and no replica still has to send
//! them; so the history a PSYNC can be served from is whatever is held,
//! which may be more than `size`, as Redis 7.0 reports it.
//!
//! Offsets follow Redis: the stream's bytes are numbered from 1, and
//! `master_repl_offset` is the number of the last byte produced. A buffer
//! created when `master_repl_offset` is N starts empty with its first byte
//! offset at N + 1 (`repl_backlog_first_byte_offset` in INFO). A replica
//! that has applied everything up to offset K asks for K + 1; the request
//! can be served when `first_offset() <= K + 1 <= end + 1` (asking for
//! end + 1 is valid and sends nothing).
//!
//! ```text
//!   blocks: [ full ][ full ][ full ][ partly filled ]
//!           ^ first_offset                        ^ end_offset
//! ```
//!
//! Every block but the last is full, so finding the block of an offset is
//! a division, not a search.

use std::collections::VecDeque;
use std::io::IoSlice;

/// Bytes per block: Redis's reply chunk size, big enough that a write
/// fills a socket buffer from a few blocks, small enough that trimming
/// frees memory soon after a slow replica catches up.
pub const BLOCK_SIZE: usize = 16 * 1024;

/// The replication stream's held bytes, addressed by replication offset.
#[derive(Debug)]
pub struct Backlog {
    blocks: VecDeque<Vec<u8>>,
    /// Capacity of each block (BLOCK_SIZE but in unit tests).
    block_size: usize,
    /// `repl-backlog-size`: history kept for PSYNC whatever the replicas do.
    size: usize,
    /// Replication offset of the first byte held (end + 1 when empty).
    first_offset: i64,
    /// Replication offset of the last byte appended (the master offset).
    end_offset: i64,
    /// A trimmed block kept for the next append, so that a steady stream
    /// does not allocate and free a block every BLOCK_SIZE bytes.
    spare: Option<Vec<u8>>,
}

impl Backlog {
    /// An empty buffer keeping at least `size` bytes (at least 1) of
    /// history, for a stream whose last produced byte is `master_repl_offset`.
    pub fn new(size: usize, master_repl_offset: i64) -> Backlog {
        Backlog::with_block_size(size, master_repl_offset, BLOCK_SIZE)
    }

    fn with_block_size(size: usize, master_repl_offset: i64, block_size: usize) -> Backlog {
        Backlog {
            blocks: VecDeque::new(),
            block_size,
            size: size.max(1),
            first_offset: master_repl_offset + 1,
            end_offset: master_repl_offset,
            spare: None,
        }
    }

    /// History kept for PSYNC (`repl-backlog-size`).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Bytes held.
    pub fn histlen(&self) -> usize {
        (self.end_offset + 1 - self.first_offset) as usize
    }

    /// Offset of the oldest byte held (end + 1 when empty).
    pub fn first_offset(&self) -> i64 {
        self.first_offset
    }

    /// Offset of the newest byte held.
    pub fn end_offset(&self) -> i64 {
        self.end_offset
    }

    /// Memory the blocks take (INFO's replication buffer fields).
    pub fn allocated(&self) -> usize {
        self.blocks.len() * self.block_size
    }

    /// Append stream bytes. Nothing is dropped here: see [`Backlog::trim`].
    pub fn append(&mut self, mut data: &[u8]) {
        self.end_offset += data.len() as i64;
        while !data.is_empty() {
            let room = self.blocks.back().map_or(0, |b| self.block_size - b.len());
            if room == 0 {
                let mut block = self.spare.take().unwrap_or_default();
                block.clear();
                block.reserve_exact(self.block_size);
                self.blocks.push_back(block);
                continue;
            }
            let n = room.min(data.len());
            if let Some(last) = self.blocks.back_mut() {
                last.extend_from_slice(&data[..n]);
            }
            data = &data[n..];
        }
    }

    /// Whether the oldest block could go as far as the backlog is
    /// concerned: the rest still holds `size` bytes. Cheap enough to ask
    /// after every append, before finding out what the replicas need.
    pub fn over_size(&self) -> bool {
        self.blocks.len() > 1 && self.histlen() - self.block_size >= self.size
    }

    /// Drop the oldest blocks the backlog does not need (the newer ones
    /// hold `size` bytes) and no replica does either: each replica still
    /// has to send everything from its position, the lowest of which is
    /// `needed_from` (i64::MAX with no such replica). Never drops the last
    /// block.
    pub fn trim(&mut self, needed_from: i64) {
        while self.over_size() && self.first_offset + self.block_size as i64 <= needed_from {
            if let Some(block) = self.blocks.pop_front() {
                self.first_offset += block.len() as i64;
                self.spare = Some(block);
            }
        }
    }

    /// Whether a replica asking for the stream from `offset` (the first byte
    /// it lacks) can be served from here.
    pub fn can_serve(&self, offset: i64) -> bool {
        offset >= self.first_offset && offset <= self.end_offset + 1
    }

    /// Fill `out` with the held bytes from `offset` on, in order, one slice
    /// per block, as many as fit; returns how many slices were filled (0
    /// when there is nothing from `offset` or it is not held).
    pub fn slices_from<'a>(&'a self, offset: i64, out: &mut [IoSlice<'a>]) -> usize {
        if !self.can_serve(offset) || offset > self.end_offset {
            return 0;
        }
        let skip = (offset - self.first_offset) as usize;
        let (first, mut within) = (skip / self.block_size, skip % self.block_size);
        let mut n = 0;
        for block in self.blocks.range(first..) {
            if n == out.len() {
                break;
            }
            out[n] = IoSlice::new(&block[within..]);
            within = 0;
            n += 1;
        }
        n
    }

    /// Change the history kept for PSYNC; the next [`Backlog::trim`]
    /// applies a smaller size.
    pub fn resize(&mut self, size: usize) {
        self.size = size.max(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything held from `offset` on.
    fn from(b: &Backlog, offset: i64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = offset;
        loop {
            let mut slices = [IoSlice::new(&[]); 3];
            let n = b.slices_from(at, &mut slices);
            if n == 0 {
                return out;
            }
            for s in &slices[..n] {
                out.extend_from_slice(s);
                at += s.len() as i64;
            }
        }
    }

    fn all(b: &Backlog) -> Vec<u8> {
        from(b, b.first_offset())
    }

    #[test]
    fn offsets_start_after_the_current_master_offset() {
        let mut b = Backlog::with_block_size(16, 100, 4);
        assert_eq!(b.first_offset(), 101);
        assert_eq!(b.histlen(), 0);
        assert!(b.can_serve(101));
        assert!(!b.can_serve(100));
        assert!(!b.can_serve(102));
        b.append(b"hello");
        assert_eq!(b.end_offset(), 105);
        assert_eq!(b.first_offset(), 101);
        assert_eq!(from(&b, 103), b"llo");
        assert!(b.can_serve(106));
        assert_eq!(from(&b, 106), b"");
        assert!(!b.can_serve(107));
        assert_eq!(from(&b, 100), b"");
    }

    #[test]
    fn keeps_at_least_size_bytes_in_whole_blocks() {
        let mut b = Backlog::with_block_size(8, 0, 3);
        let mut stream = Vec::new();
        for i in 0..50u8 {
            let chunk: Vec<u8> = (0..(i % 5 + 1))
                .map(|k| i.wrapping_mul(7).wrapping_add(k))
                .collect();
            b.append(&chunk);
            b.trim(i64::MAX);
            stream.extend_from_slice(&chunk);
            let held = b.histlen();
            assert!(held >= stream.len().min(8), "{held} of {}", stream.len());
            assert!(held < 8 + 3, "held {held}");
            assert_eq!(b.end_offset(), stream.len() as i64);
            assert_eq!(all(&b), stream[stream.len() - held..]);
            // Every valid starting offset gives the right suffix.
            for off in b.first_offset()..=b.end_offset() + 1 {
                assert_eq!(from(&b, off), stream[(off - 1) as usize..]);
            }
        }
        assert!(!b.can_serve(b.first_offset() - 1));
        assert!(b.allocated() <= 4 * 3);
    }

    #[test]
    fn a_replica_position_holds_its_blocks() {
        let mut b = Backlog::with_block_size(4, 0, 4);
        b.append(b"0123456789abcdef");
        // A replica still has to send from offset 6 (byte '5').
        b.trim(6);
        assert_eq!(b.first_offset(), 5);
        assert_eq!(all(&b), b"456789abcdef");
        b.append(b"ghijklmnop");
        b.trim(6);
        assert_eq!(b.first_offset(), 5);
        // It moved on: only what the backlog needs is left.
        b.trim(i64::MAX);
        assert_eq!(all(&b), b"klmnop");
        assert_eq!(b.first_offset(), 21);
        assert_eq!(from(&b, 23), b"mnop");
    }

    #[test]
    fn one_append_spans_blocks() {
        let mut b = Backlog::with_block_size(4, 10, 4);
        b.append(b"ab");
        b.append(b"0123456789");
        b.trim(i64::MAX);
        assert_eq!(b.end_offset(), 22);
        assert_eq!(all(&b), b"6789");
        assert_eq!(b.first_offset(), 19);
        b.append(b"x");
        assert_eq!(from(&b, 22), b"9x");
    }

    #[test]
    fn resize_applies_at_the_next_trim() {
        let mut b = Backlog::with_block_size(10, 0, 2);
        b.append(b"abcdefghijklm");
        b.trim(i64::MAX);
        assert_eq!(all(&b), b"cdefghijklm");
        b.resize(4);
        assert_eq!(all(&b), b"cdefghijklm");
        b.trim(i64::MAX);
        assert_eq!(all(&b), b"ijklm");
        assert_eq!(b.first_offset(), 9);
        b.resize(20);
        b.append(b"0123456789012345678");
        b.trim(i64::MAX);
        assert_eq!(all(&b), b"m0123456789012345678");
    }

    #[test]
    fn slices_stop_where_the_output_is_full() {
        let mut b = Backlog::with_block_size(100, 0, 2);
        b.append(b"abcdefg");
        let mut slices = [IoSlice::new(&[]); 2];
        assert_eq!(b.slices_from(2, &mut slices), 2);
        assert_eq!(&*slices[0], b"b");
        assert_eq!(&*slices[1], b"cd");
    }
}
