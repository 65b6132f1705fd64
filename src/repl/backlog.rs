//! The replication backlog: the newest `size` bytes of the replication
//! stream, addressed by replication offset, so a replica that lost its link
//! can continue with a partial resync (+CONTINUE) instead of a full one.
//!
//! Offsets follow Redis: the stream's bytes are numbered from 1, and
//! `master_repl_offset` is the number of the last byte produced. A backlog
//! created when `master_repl_offset` is N starts empty with its first byte
//! offset at N + 1 (`repl_backlog_first_byte_offset` in INFO). A replica
//! that has applied everything up to offset K asks for K + 1; the request
//! can be served when `first_offset() <= K + 1 <= end + 1` (asking for
//! end + 1 is valid and sends nothing).
//!
//! ```text
//!   buf (ring, len <= size)      idx = next write position
//!   | newer ... | idx | older ... |      history = histlen bytes ending at idx
//! ```
//!
//! The buffer grows with the data until it reaches `size` (an idle master
//! with a large `repl-backlog-size` does not pay for it up front), then
//! wraps around. Resizing (CONFIG SET repl-backlog-size) keeps the newest
//! bytes that fit.

/// Offset-addressed ring buffer of the replication stream.
#[derive(Debug)]
pub struct Backlog {
    /// Ring storage; shorter than `size` until it first fills up.
    buf: Vec<u8>,
    /// Capacity in bytes (`repl-backlog-size`).
    size: usize,
    /// Where the next byte goes. While `buf.len() < size`, equals `buf.len()`.
    idx: usize,
    /// Bytes of history held (<= `buf.len()`).
    histlen: usize,
    /// Replication offset of the last byte appended (the master offset).
    end_offset: i64,
}

impl Backlog {
    /// An empty backlog of `size` bytes (at least 1) for a stream whose last
    /// produced byte is `master_repl_offset`.
    pub fn new(size: usize, master_repl_offset: i64) -> Backlog {
        Backlog {
            buf: Vec::new(),
            size: size.max(1),
            idx: 0,
            histlen: 0,
            end_offset: master_repl_offset,
        }
    }

    /// Capacity in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Bytes of history held.
    pub fn histlen(&self) -> usize {
        self.histlen
    }

    /// Offset of the oldest byte held (end + 1 when empty).
    pub fn first_offset(&self) -> i64 {
        self.end_offset - self.histlen as i64 + 1
    }

    /// Offset of the newest byte held.
    pub fn end_offset(&self) -> i64 {
        self.end_offset
    }

    /// Append stream bytes, dropping the oldest ones beyond `size`.
    pub fn append(&mut self, mut data: &[u8]) {
        self.end_offset += data.len() as i64;
        if data.len() >= self.size {
            // Only the tail survives: start over with it, full.
            data = &data[data.len() - self.size..];
            self.buf.clear();
            self.buf.extend_from_slice(data);
            self.idx = 0;
            self.histlen = self.size;
            return;
        }
        if self.buf.len() < self.size {
            // Growing phase: idx == buf.len().
            let n = (self.size - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..n]);
            self.histlen += n;
            self.idx = self.buf.len() % self.size;
            data = &data[n..];
        }
        while !data.is_empty() {
            let n = (self.size - self.idx).min(data.len());
            self.buf[self.idx..self.idx + n].copy_from_slice(&data[..n]);
            self.idx = (self.idx + n) % self.size;
            self.histlen = (self.histlen + n).min(self.size);
            data = &data[n..];
        }
    }

    /// Whether a replica asking for the stream from `offset` (the first byte
    /// it lacks) can be served from here.
    pub fn can_serve(&self, offset: i64) -> bool {
        offset >= self.first_offset() && offset <= self.end_offset + 1
    }

    /// Append to `out` every byte from `offset` to the end. Returns the
    /// number of bytes copied, or None when `offset` is outside the history.
    pub fn copy_from(&self, offset: i64, out: &mut Vec<u8>) -> Option<usize> {
        if !self.can_serve(offset) {
            return None;
        }
        let skip = (offset - self.first_offset()) as usize;
        let n = self.histlen - skip;
        if n == 0 {
            return Some(0);
        }
        let cap = self.buf.len();
        let start = (self.idx + cap - self.histlen + skip) % cap;
        let first = n.min(cap - start);
        out.extend_from_slice(&self.buf[start..start + first]);
        out.extend_from_slice(&self.buf[..n - first]);
        Some(n)
    }

    /// Change the capacity, keeping the newest bytes that fit.
    pub fn resize(&mut self, size: usize) {
        let size = size.max(1);
        if size == self.size {
            return;
        }
        let keep = self.histlen.min(size);
        let mut newest = Vec::with_capacity(keep);
        let from = self.end_offset - keep as i64 + 1;
        self.copy_from(from, &mut newest);
        self.buf = newest;
        self.size = size;
        self.histlen = keep;
        self.idx = keep % size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(b: &Backlog) -> Vec<u8> {
        let mut v = Vec::new();
        b.copy_from(b.first_offset(), &mut v).expect("in range");
        v
    }

    #[test]
    fn offsets_start_after_the_current_master_offset() {
        let mut b = Backlog::new(16, 100);
        assert_eq!(b.first_offset(), 101);
        assert_eq!(b.histlen(), 0);
        assert!(b.can_serve(101));
        assert!(!b.can_serve(100));
        assert!(!b.can_serve(102));
        b.append(b"hello");
        assert_eq!(b.end_offset(), 105);
        assert_eq!(b.first_offset(), 101);
        let mut v = Vec::new();
        assert_eq!(b.copy_from(103, &mut v), Some(3));
        assert_eq!(v, b"llo");
        v.clear();
        assert_eq!(b.copy_from(106, &mut v), Some(0));
        assert_eq!(b.copy_from(107, &mut v), None);
        assert_eq!(b.copy_from(100, &mut v), None);
    }

    #[test]
    fn wraps_around_keeping_the_newest_bytes() {
        let mut b = Backlog::new(8, 0);
        let mut stream = Vec::new();
        for i in 0..50u8 {
            let chunk: Vec<u8> = (0..(i % 5 + 1))
                .map(|k| i.wrapping_mul(7).wrapping_add(k))
                .collect();
            b.append(&chunk);
            stream.extend_from_slice(&chunk);
            let keep = stream.len().min(8);
            assert_eq!(b.histlen(), keep);
            assert_eq!(b.end_offset(), stream.len() as i64);
            assert_eq!(all(&b), stream[stream.len() - keep..]);
            // Every valid starting offset returns the right suffix.
            for off in b.first_offset()..=b.end_offset() + 1 {
                let mut v = Vec::new();
                b.copy_from(off, &mut v).expect("in range");
                assert_eq!(v, stream[(off - 1) as usize..]);
            }
        }
        assert!(!b.can_serve(b.first_offset() - 1));
    }

    #[test]
    fn append_larger_than_size_keeps_the_tail() {
        let mut b = Backlog::new(4, 10);
        b.append(b"ab");
        b.append(b"0123456789");
        assert_eq!(all(&b), b"6789");
        assert_eq!(b.first_offset(), 19);
        assert_eq!(b.end_offset(), 22);
        b.append(b"x");
        assert_eq!(all(&b), b"789x");
    }

    #[test]
    fn resize_keeps_newest_data() {
        let mut b = Backlog::new(10, 0);
        b.append(b"abcdefghijklm"); // holds defghijklm
        b.resize(4);
        assert_eq!(all(&b), b"jklm");
        assert_eq!(b.first_offset(), 10);
        b.append(b"no");
        assert_eq!(all(&b), b"lmno");
        b.resize(20);
        assert_eq!(all(&b), b"lmno");
        b.append(b"0123456789012345678");
        assert_eq!(b.histlen(), 20);
        assert_eq!(all(&b), b"o0123456789012345678");
        assert_eq!(b.end_offset(), 34);
        assert_eq!(b.first_offset(), 15);
        let mut e = Backlog::new(5, 7);
        e.resize(3);
        assert_eq!(e.histlen(), 0);
        assert_eq!(e.first_offset(), 8);
        e.append(b"abcd");
        assert_eq!(all(&e), b"bcd");
    }
}
