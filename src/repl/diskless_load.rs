//! The replica's side of `repl-diskless-load on-empty-db|swapdb`: the RDB
//! of a full sync is parsed straight from the master's socket instead of
//! going through a temp file.
//!
//! [`SocketPayload`] is the `Read` the RDB parser pulls from. The link's
//! socket stays non-blocking (it is registered with the reactor, and the
//! master client reuses it afterwards); when no byte is there the adapter
//! waits with poll(2) in short slices, calling a hook between them so the
//! server keeps answering its clients while the master is slow, and gives
//! up after `repl-timeout` without a byte, as Redis's SO_RCVTIMEO does.
//!
//! The payload must end exactly where the master's command stream begins:
//!
//! - `$<len>`: the adapter never reads past `len` bytes from the socket;
//!   then it reports end of input.
//! - `$EOF:<mark>`: the length is unknown, and the RDB itself says where it
//!   ends (EOF opcode and checksum). The adapter holds the last 40 bytes it
//!   received back from the parser, since they may be the mark; once the
//!   parser is done, [`SocketPayload::finish`] checks that the next 40
//!   bytes are the mark (Redis's "Replication stream EOF marker is
//!   broken"). A master sends nothing after the mark before our first ACK,
//!   so holding bytes back never waits for bytes that will not come.
//!
//! Bytes received past the payload are handed back to become the start of
//! the command stream.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;

use mio::net::TcpStream;

use crate::util;

/// Bytes read from the socket per read call.
const CHUNK: usize = 64 * 1024;
/// Longest single wait in poll(2): the hook runs at least this often while
/// the master is silent, so clients see at most this much extra latency.
const POLL_SLICE_MS: i64 = 100;
/// How often the hook runs while bytes flow (it serves clients).
const HOOK_EVERY_US: u64 = 100_000;

/// What the hook learns each time it runs.
#[derive(Debug, Clone, Copy)]
pub struct PayloadProgress {
    /// Payload bytes received so far (INFO `master_sync_read_bytes`).
    pub read: u64,
}

/// `Read` over the payload of a full sync arriving on `stream`.
pub struct SocketPayload<'a> {
    stream: &'a TcpStream,
    /// Received and not yet given to the parser, from `pos`.
    buf: Vec<u8>,
    pos: usize,
    /// `$<len>` form: payload bytes still to come from the socket.
    left: Option<u64>,
    /// `$EOF:` form: the mark, whose length is held back from the parser.
    mark: Option<Vec<u8>>,
    timeout_ms: i64,
    read: u64,
    last_hook_us: u64,
    last_newline_ms: i64,
    hook: &'a mut dyn FnMut(PayloadProgress),
    /// Where every payload byte handed to the parser is also written: the
    /// RDB file of a disk-based load that parses as it receives (see
    /// `copying_to`).
    copy_to: Option<&'a mut dyn Write>,
}

impl<'a> SocketPayload<'a> {
    /// `pending`: bytes that followed the `$` line in the link's buffer;
    /// what lies past a `$<len>` payload is left in it. `size`: the
    /// `$<len>` length, or None with `mark` for the `$EOF:` form.
    pub fn new(
        stream: &'a TcpStream,
        pending: &mut Vec<u8>,
        size: Option<u64>,
        mark: Option<Vec<u8>>,
        timeout_ms: i64,
        hook: &'a mut dyn FnMut(PayloadProgress),
    ) -> SocketPayload<'a> {
        let take = match size {
            Some(n) => (n.min(pending.len() as u64)) as usize,
            None => pending.len(),
        };
        let buf: Vec<u8> = pending.drain(..take).collect();
        let now_ms = util::now_ms();
        SocketPayload {
            stream,
            read: buf.len() as u64,
            left: size.map(|n| n - take as u64),
            buf,
            pos: 0,
            mark,
            timeout_ms: timeout_ms.max(1),
            last_hook_us: util::monotonic_us(),
            last_newline_ms: now_ms,
            hook,
            copy_to: None,
        }
    }

    /// Also write the payload, exactly the bytes the parser sees (never
    /// the EOF mark), to `file`: the load keeps the RDB file a disk-based
    /// sync leaves behind. A write error fails the read that met it.
    pub fn copying_to(mut self, file: &'a mut dyn Write) -> Self {
        self.copy_to = Some(file);
        self
    }

    /// Payload bytes received so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    fn held_back(&self) -> usize {
        self.mark.as_ref().map_or(0, Vec::len)
    }

    /// Run the hook if it has not run for a while; also keep the master
    /// from thinking we are gone during a long load: Redis's replica sends
    /// a newline once a second (replicationSendNewlineToMaster), which the
    /// master reads as an empty inline command.
    fn tick(&mut self) {
        let now_us = util::monotonic_us();
        if now_us.saturating_sub(self.last_hook_us) >= HOOK_EVERY_US {
            self.last_hook_us = now_us;
            (self.hook)(PayloadProgress { read: self.read });
        }
        let now_ms = util::now_ms();
        if now_ms - self.last_newline_ms >= 1000 {
            self.last_newline_ms = now_ms;
            // A full send buffer only delays the keepalive.
            let _ = (&*self.stream).write(b"\n");
        }
    }

    /// Read at least one more byte from the socket into `buf`, waiting up
    /// to the timeout. Errors: TimedOut, UnexpectedEof (the master closed
    /// the connection), or the socket's own.
    fn fill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let want = match self.left {
            Some(0) => return Ok(()),
            Some(n) => (n as usize).min(CHUNK),
            None => CHUNK,
        };
        let at = self.buf.len();
        self.buf.resize(at + want, 0);
        let mut idle_since = util::now_ms();
        let result = loop {
            match (&*self.stream).read(&mut self.buf[at..]) {
                Ok(0) => {
                    break Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "connection lost",
                    ))
                }
                Ok(n) => break Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let now = util::now_ms();
                    let waited = now - idle_since;
                    if waited >= self.timeout_ms {
                        break Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "timeout reading from the master",
                        ));
                    }
                    wait_readable(self.stream, (self.timeout_ms - waited).min(POLL_SLICE_MS));
                    // The hook may take a while (it serves clients): that
                    // time is not the master's silence.
                    let before = util::now_ms();
                    self.tick();
                    idle_since += util::now_ms() - before;
                }
                Err(e) => break Err(e),
            }
        };
        match result {
            Ok(n) => {
                self.buf.truncate(at + n);
                self.read += n as u64;
                if let Some(left) = self.left.as_mut() {
                    *left -= n as u64;
                }
                Ok(())
            }
            Err(e) => {
                self.buf.truncate(at);
                Err(e)
            }
        }
    }

    /// After the parser saw the RDB's end: check that the payload ends
    /// here, and return what was received past it (the beginning of the
    /// command stream). Err with Redis's log message otherwise.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        match self.mark.take() {
            Some(mark) => {
                while self.buf.len() - self.pos < mark.len() {
                    if let Err(e) = self.fill() {
                        return Err(format!("Replication stream EOF marker is broken ({e})"));
                    }
                }
                let got = &self.buf[self.pos..self.pos + mark.len()];
                if got != mark.as_slice() {
                    return Err("Replication stream EOF marker is broken".to_string());
                }
                Ok(self.buf.split_off(self.pos + mark.len()))
            }
            None => {
                if self.pos < self.buf.len() || self.left != Some(0) {
                    return Err(
                        "MASTER <-> REPLICA sync: the RDB ended before the announced payload size"
                            .to_string(),
                    );
                }
                Ok(Vec::new())
            }
        }
    }
}

impl Read for SocketPayload<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let ready = (self.buf.len() - self.pos).saturating_sub(self.held_back());
            if ready > 0 {
                let n = ready.min(out.len());
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                if let Some(file) = self.copy_to.as_mut() {
                    file.write_all(&out[..n]).map_err(|e| {
                        io::Error::new(
                            e.kind(),
                            format!("Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: {e}"),
                        )
                    })?;
                }
                return Ok(n);
            }
            if self.left == Some(0) {
                // `$<len>` payload consumed: the RDB parser sees its end.
                return Ok(0);
            }
            // The hook runs per chunk received (and while waiting), not per
            // read: the parser reads field by field, and a clock read for
            // each would cost as much as the parsing.
            self.tick();
            self.fill()?;
        }
    }
}

/// Wait up to `ms` for `stream` to become readable (or in error).
fn wait_readable(stream: &TcpStream, ms: i64) {
    let mut pfd = libc::pollfd {
        fd: stream.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe {
        libc::poll(&mut pfd, 1, ms.clamp(0, i32::MAX as i64) as i32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream as StdStream};

    fn pair() -> (TcpStream, StdStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let writer = StdStream::connect(addr).unwrap();
        let (reader, _) = l.accept().unwrap();
        reader.set_nonblocking(true).unwrap();
        (TcpStream::from_std(reader), writer)
    }

    #[test]
    fn sized_payload_stops_at_its_length() {
        let (r, mut w) = pair();
        w.write_all(b"defghNEXT").unwrap();
        let mut pending = b"abc".to_vec();
        let mut hook = |_: PayloadProgress| {};
        let mut p = SocketPayload::new(&r, &mut pending, Some(8), None, 2000, &mut hook);
        let mut got = Vec::new();
        p.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"abcdefgh");
        assert_eq!(p.bytes_read(), 8);
        assert_eq!(p.finish().unwrap(), b"");
        // What follows the payload stays in the socket for the stream.
        let mut rest = [0u8; 8];
        let mut n = 0;
        while n == 0 {
            n = (&r).read(&mut rest).unwrap_or(0);
        }
        assert_eq!(&rest[..n], b"NEXT");
    }

    #[test]
    fn sized_payload_leaves_extra_pending_bytes() {
        let (r, _w) = pair();
        let mut pending = b"abcXYZ".to_vec();
        let mut hook = |_: PayloadProgress| {};
        let mut p = SocketPayload::new(&r, &mut pending, Some(3), None, 2000, &mut hook);
        let mut got = Vec::new();
        p.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"abc");
        assert_eq!(pending, b"XYZ");
    }

    #[test]
    fn eof_mark_is_held_back_and_checked() {
        let (r, mut w) = pair();
        let mark = vec![b'm'; 40];
        w.write_all(b"payload").unwrap();
        w.write_all(&mark).unwrap();
        let mut pending = Vec::new();
        let mut hook = |_: PayloadProgress| {};
        let mut p = SocketPayload::new(&r, &mut pending, None, Some(mark), 2000, &mut hook);
        let mut got = [0u8; 7];
        p.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"payload");
        assert_eq!(p.finish().unwrap(), b"");
    }

    #[test]
    fn broken_mark_and_timeout_fail() {
        let (r, mut w) = pair();
        w.write_all(b"x").unwrap();
        w.write_all(&[b'z'; 40]).unwrap();
        let mut pending = Vec::new();
        let mut hook = |_: PayloadProgress| {};
        let mut p =
            SocketPayload::new(&r, &mut pending, None, Some(vec![b'm'; 40]), 300, &mut hook);
        let mut one = [0u8; 1];
        p.read_exact(&mut one).unwrap();
        assert!(p.finish().is_err());

        // Nothing more arrives: the read times out after repl-timeout.
        let mut pending = Vec::new();
        let mut hook = |_: PayloadProgress| {};
        let mut p = SocketPayload::new(&r, &mut pending, Some(10), None, 300, &mut hook);
        let err = p.read(&mut one).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(w);
    }
}
