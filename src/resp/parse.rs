//! Incremental request parser: RESP2 multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
//! and inline commands (`GET k\r\n`), as `processMultibulkBuffer` and
//! `processInlineBuffer` do in Redis.
//!
//! The parser never copies arguments. It records each argument as a span
//! (start, end) into the client's query buffer, and it keeps its state between
//! reads so a 100 MB bulk arriving in 16 KB pieces is scanned once, not once
//! per read. The caller owns the buffer; after it has executed the parsed
//! commands it drops the consumed prefix and calls [`RequestParser::shift`]
//! so that spans of a half-parsed command stay valid.
//!
//! ```text
//!  query_buf: | done .......... | *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhel| (more to come)
//!                               ^cmd_start                            ^pos
//!  spans:                            [SET] [k]      (two of three args so far)
//! ```

use memchr::memchr;

/// Longest header line (`*<count>` / `$<len>`) or inline request accepted
/// before a newline shows up. Matches Redis's PROTO_INLINE_MAX_SIZE.
pub const INLINE_MAX: usize = 64 * 1024;
/// Largest multibulk count Redis accepts (INT_MAX in 7.0).
const MULTIBULK_MAX: i64 = i32::MAX as i64;
/// Limits while the client has not authenticated yet (Redis 7.0 behaviour:
/// an attacker without the password cannot make us allocate much).
const UNAUTH_MULTIBULK_MAX: i64 = 10;
const UNAUTH_BULK_MAX: i64 = 16384;

/// An argument's position in the query buffer: `buf[start..end]`.
pub type Span = (usize, usize);

/// Outcome of one [`RequestParser::parse`] call.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A full command is available through [`RequestParser::args`].
    Command,
    /// An empty request (`*0`, `*-1`, blank inline line) was consumed: nothing
    /// to execute, keep parsing.
    Empty,
    /// The buffer ends in the middle of a request.
    Incomplete,
    /// A malformed request. The message is Redis's, without `-ERR `; the
    /// connection must be closed after replying.
    Error(&'static str),
    /// Same as `Error` but with a message that carries a byte (`expected '$', got 'x'`).
    ErrorOwned(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Between requests: the next byte decides multibulk or inline.
    Unknown,
    Multibulk,
}

/// Per-client parse state.
#[derive(Debug)]
pub struct RequestParser {
    /// Where the next unparsed byte is.
    pos: usize,
    /// Where the current (possibly partial) request starts.
    cmd_start: usize,
    kind: Kind,
    /// Arguments still expected in the current multibulk.
    multibulk_left: i64,
    /// Length of the bulk being read, or -1 when its `$` line has not been read.
    bulk_len: i64,
    /// Spans of the arguments parsed so far.
    spans: Vec<Span>,
    /// Unquoted arguments of the last inline command; its spans point here
    /// because quoting means they are not substrings of the query buffer.
    inline_buf: Vec<u8>,
    /// Whether the last command was inline (spans index `inline_buf`).
    last_inline: bool,
}

impl Default for RequestParser {
    fn default() -> Self {
        Self::new()
    }
}

impl RequestParser {
    pub fn new() -> Self {
        RequestParser {
            pos: 0,
            cmd_start: 0,
            kind: Kind::Unknown,
            multibulk_left: 0,
            bulk_len: -1,
            spans: Vec::new(),
            inline_buf: Vec::new(),
            last_inline: false,
        }
    }

    /// Bytes of `buf` fully consumed by completed requests: the caller may drop
    /// them (then call [`shift`](Self::shift) with the same count).
    pub fn consumed(&self) -> usize {
        self.cmd_start
    }

    /// Start offset of the request currently being parsed (or of the next one).
    pub fn request_start(&self) -> usize {
        self.cmd_start
    }

    /// True when the parser is in the middle of a request.
    pub fn is_mid_request(&self) -> bool {
        self.kind != Kind::Unknown || self.pos > self.cmd_start
    }

    /// The caller removed `n` bytes from the front of the buffer.
    pub fn shift(&mut self, n: usize) {
        debug_assert!(n <= self.cmd_start);
        self.pos -= n;
        self.cmd_start -= n;
        if self.kind == Kind::Unknown || self.last_inline {
            // Spans of a finished command (or of the inline copy) do not point
            // into the dropped prefix any more: they are dead.
            self.spans.clear();
            self.last_inline = false;
        } else {
            for s in &mut self.spans {
                s.0 -= n;
                s.1 -= n;
            }
        }
    }

    /// Spans of the last complete command (valid until the next `parse`).
    /// They index the buffer returned by [`arg_bytes`](Self::arg_bytes).
    pub fn args(&self) -> &[Span] {
        &self.spans
    }

    /// The bytes the spans of the last command point into: the query buffer
    /// for multibulk requests, the parser's own copy for inline ones.
    pub fn arg_bytes<'a>(&'a self, query_buf: &'a [u8]) -> &'a [u8] {
        if self.last_inline {
            &self.inline_buf
        } else {
            query_buf
        }
    }

    /// Try to parse one request from `buf[pos..]`. `authenticated` enables the
    /// tighter limits for clients that have not passed AUTH yet;
    /// `max_bulk` is `proto-max-bulk-len`.
    pub fn parse(&mut self, buf: &[u8], authenticated: bool, max_bulk: i64) -> Parsed {
        if self.kind == Kind::Unknown {
            // A completed command's spans are dropped when the next one starts.
            self.spans.clear();
            self.last_inline = false;
            self.cmd_start = self.pos;
            if self.pos >= buf.len() {
                return Parsed::Incomplete;
            }
            if buf[self.pos] == b'*' {
                self.kind = Kind::Multibulk;
                self.multibulk_left = 0;
                self.bulk_len = -1;
            } else {
                return self.parse_inline(buf);
            }
        }
        self.parse_multibulk(buf, authenticated, max_bulk)
    }

    /// Inline requests: one line, arguments split like a shell (`sdssplitargs`).
    fn parse_inline(&mut self, buf: &[u8]) -> Parsed {
        let start = self.pos;
        let Some(nl) = memchr(b'\n', &buf[start..]) else {
            if buf.len() - start > INLINE_MAX {
                return Parsed::Error("Protocol error: too big inline request");
            }
            return Parsed::Incomplete;
        };
        let mut end = start + nl;
        let next = end + 1;
        if end > start && buf[end - 1] == b'\r' {
            end -= 1;
        }
        match crate::util::split_args(&buf[start..end]) {
            Some(args) => {
                self.pos = next;
                self.cmd_start = next;
                if args.is_empty() {
                    return Parsed::Empty;
                }
                self.spans.clear();
                self.inline_buf.clear();
                for a in args {
                    let b = self.inline_buf.len();
                    self.inline_buf.extend_from_slice(&a);
                    self.spans.push((b, self.inline_buf.len()));
                }
                self.last_inline = true;
                Parsed::Command
            }
            None => Parsed::Error("Protocol error: unbalanced quotes in request"),
        }
    }

    fn parse_multibulk(&mut self, buf: &[u8], authenticated: bool, max_bulk: i64) -> Parsed {
        if self.multibulk_left == 0 && self.spans.is_empty() && self.pos == self.cmd_start {
            // Read the `*<count>` line.
            let Some((line, next)) = read_line(buf, self.pos) else {
                if buf.len() - self.pos > INLINE_MAX {
                    return Parsed::Error("Protocol error: too big mbulk count string");
                }
                return Parsed::Incomplete;
            };
            let count = match crate::util::parse_i64(&line[1..]) {
                Some(n) if n <= MULTIBULK_MAX => n,
                _ => return Parsed::Error("Protocol error: invalid multibulk length"),
            };
            if !authenticated && count > UNAUTH_MULTIBULK_MAX {
                return Parsed::Error("Protocol error: unauthenticated multibulk length");
            }
            self.pos = next;
            if count <= 0 {
                self.finish();
                return Parsed::Empty;
            }
            self.multibulk_left = count;
            // Do not trust the count for the allocation: a client could
            // announce a billion arguments and send none.
            self.spans.reserve(count.min(1024) as usize);
        }
        while self.multibulk_left > 0 {
            if self.bulk_len < 0 {
                let Some((line, next)) = read_line(buf, self.pos) else {
                    if buf.len() - self.pos > INLINE_MAX {
                        return Parsed::Error("Protocol error: too big bulk count string");
                    }
                    return Parsed::Incomplete;
                };
                if line[0] != b'$' {
                    return Parsed::ErrorOwned(format!(
                        "Protocol error: expected '$', got '{}'",
                        line[0] as char
                    ));
                }
                let len = match crate::util::parse_i64(&line[1..]) {
                    Some(n) if (0..=max_bulk).contains(&n) => n,
                    _ => return Parsed::Error("Protocol error: invalid bulk length"),
                };
                if !authenticated && len > UNAUTH_BULK_MAX {
                    return Parsed::Error("Protocol error: unauthenticated bulk length");
                }
                self.pos = next;
                self.bulk_len = len;
            }
            let len = self.bulk_len as usize;
            if buf.len() - self.pos < len + 2 {
                return Parsed::Incomplete;
            }
            // Redis does not check that the payload is followed by CRLF: it
            // skips two bytes whatever they are. Do the same.
            self.spans.push((self.pos, self.pos + len));
            self.pos += len + 2;
            self.bulk_len = -1;
            self.multibulk_left -= 1;
        }
        self.finish();
        Parsed::Command
    }

    /// Mark the end of a request at `pos`.
    fn finish(&mut self) {
        self.kind = Kind::Unknown;
        self.cmd_start = self.pos;
        self.multibulk_left = 0;
        self.bulk_len = -1;
    }

    /// Bytes still needed for the bulk being read, when known. The caller uses
    /// it to size the next read of a big argument in one go.
    pub fn pending_bulk(&self) -> Option<usize> {
        (self.kind == Kind::Multibulk && self.bulk_len >= 0).then(|| self.bulk_len as usize + 2)
    }
}

/// The line starting at `pos` without its CRLF, and the offset after the LF.
/// Redis looks for `\r` and then requires the `\n` to be there too.
fn read_line(buf: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let cr = memchr(b'\r', &buf[pos..])? + pos;
    if cr + 1 >= buf.len() {
        return None;
    }
    Some((&buf[pos..cr], cr + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args_of(p: &RequestParser, buf: &[u8]) -> Vec<Vec<u8>> {
        let src = p.arg_bytes(buf);
        p.args().iter().map(|&(s, e)| src[s..e].to_vec()).collect()
    }

    #[test]
    fn multibulk_every_split_point() {
        let req = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n";
        for split in 0..=req.len() {
            let mut p = RequestParser::new();
            let mut buf = req[..split].to_vec();
            let first = p.parse(&buf, true, 512 << 20);
            if split < req.len() {
                assert_eq!(first, Parsed::Incomplete, "split {split}");
                buf.extend_from_slice(&req[split..]);
                assert_eq!(p.parse(&buf, true, 512 << 20), Parsed::Command);
            } else {
                assert_eq!(first, Parsed::Command);
            }
            assert_eq!(
                args_of(&p, &buf),
                vec![b"SET".to_vec(), b"k".to_vec(), b"hello".to_vec()]
            );
            assert_eq!(p.consumed(), req.len());
        }
    }

    #[test]
    fn pipelined_and_shift() {
        let mut buf = b"*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi".to_vec();
        let mut p = RequestParser::new();
        assert_eq!(p.parse(&buf, true, 1 << 20), Parsed::Command);
        assert_eq!(args_of(&p, &buf), vec![b"PING".to_vec()]);
        assert_eq!(p.parse(&buf, true, 1 << 20), Parsed::Incomplete);
        let done = p.consumed();
        assert_eq!(done, 14);
        buf.drain(..done);
        p.shift(done);
        buf.extend_from_slice(b"\r\n");
        assert_eq!(p.parse(&buf, true, 1 << 20), Parsed::Command);
        assert_eq!(args_of(&p, &buf), vec![b"ECHO".to_vec(), b"hi".to_vec()]);
    }

    #[test]
    fn protocol_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"*abc\r\n", "Protocol error: invalid multibulk length"),
            (b"*1\r\nfoo\r\n", "Protocol error: expected 'f', got 'f'"),
            (b"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
            (b"*1\r\n$x\r\n", "Protocol error: invalid bulk length"),
            (
                b"set \"a\r\n",
                "Protocol error: unbalanced quotes in request",
            ),
        ];
        for (input, want) in cases {
            let mut p = RequestParser::new();
            match p.parse(input, true, 1 << 20) {
                Parsed::Error(m) => assert_eq!(m, *want),
                Parsed::ErrorOwned(m) => assert_eq!(m, "Protocol error: expected '$', got 'f'"),
                other => panic!("{other:?} for {input:?}"),
            }
        }
        let mut p = RequestParser::new();
        assert_eq!(
            p.parse(b"*1\r\n$100\r\n", true, 10),
            Parsed::Error("Protocol error: invalid bulk length")
        );
        let mut p = RequestParser::new();
        assert_eq!(
            p.parse(b"*11\r\n", false, 10),
            Parsed::Error("Protocol error: unauthenticated multibulk length")
        );
    }

    #[test]
    fn empty_requests() {
        let mut p = RequestParser::new();
        let buf = b"*0\r\n*-1\r\n\r\n*1\r\n$4\r\nPING\r\n";
        assert_eq!(p.parse(buf, true, 100), Parsed::Empty);
        assert_eq!(p.parse(buf, true, 100), Parsed::Empty);
        assert_eq!(p.parse(buf, true, 100), Parsed::Empty);
        assert_eq!(p.parse(buf, true, 100), Parsed::Command);
    }

    #[test]
    fn inline() {
        let mut p = RequestParser::new();
        let buf = b"set k \"a b\\x41\"\r\nGET k\n";
        assert_eq!(p.parse(buf, true, 100), Parsed::Command);
        let src = p.arg_bytes(buf);
        let got: Vec<Vec<u8>> = p.args().iter().map(|&(a, b)| src[a..b].to_vec()).collect();
        assert_eq!(got, vec![b"set".to_vec(), b"k".to_vec(), b"a bA".to_vec()]);
        assert_eq!(p.parse(buf, true, 100), Parsed::Command);
        assert_eq!(p.consumed(), buf.len());
    }

    use crate::util::split_args;

    #[test]
    fn split_args_rules() {
        assert_eq!(split_args(b"").unwrap().len(), 0);
        assert_eq!(
            split_args(b"  a 'b c' \"d\\n\"").unwrap(),
            vec![b"a".to_vec(), b"b c".to_vec(), b"d\n".to_vec()]
        );
        assert!(split_args(b"\"a\"b").is_none());
        assert!(split_args(b"'abc").is_none());
        assert_eq!(split_args(b"'it\\'s'").unwrap(), vec![b"it's".to_vec()]);
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        for _ in 0..20000 {
            let mut buf = Vec::new();
            let n = (seed % 40) as usize;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                buf.push(b"*$\r\n0123-ab \"'"[(seed % 14) as usize]);
            }
            let mut p = RequestParser::new();
            for _ in 0..10 {
                match p.parse(&buf, seed & 1 == 0, 64) {
                    Parsed::Command | Parsed::Empty => continue,
                    _ => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    #[test]
    fn shift_after_complete_command() {
        let buf = b"*1\r\n$4\r\nQUIT\r\n";
        let mut p = RequestParser::new();
        assert_eq!(p.parse(buf, true, 100), Parsed::Command);
        let n = p.consumed();
        p.shift(n);
        assert_eq!(p.parse(&[], true, 100), Parsed::Incomplete);
    }
}
