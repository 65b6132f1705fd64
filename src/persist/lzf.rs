//! LZF compression as bundled with Redis (`lzf_c.c`, `lzf_d.c`, liblzf 3.6
//! built with HLOG 16, VERY_FAST 1, ULTRA_FAST 0).
//!
//! Stream format, a sequence of commands:
//!
//! ```text
//! 000LLLLL <L+1 literal bytes>       literal run of 1..=32 bytes
//! LLLooooo oooooooo                  back reference, length L+2 (L in 1..=6)
//! 111ooooo LLLLLLLL oooooooo         back reference, length L+9
//! ```
//!
//! The offset `o` (13 bits) counts back from the current output position
//! minus one. [`compress`] reproduces Redis's compressor decision for
//! decision (same hash, same table size, same match loop, same lazy hash
//! updates after a match) so that an RDB we write is byte-identical to the
//! one Redis writes for the same strings. Note: later liblzf copies (and
//! Redis's source tree after 7.0) also refuse matches starting in the last
//! four input bytes (`ip + 4 < in_end`); the redis-server 7.0.15 binary does
//! not, and matching its output is what counts here (checked against it by
//! tests/rdb_format.rs). One caveat: liblzf leaves its hash
//! table uninitialised on the stack, so a stale slot can, very rarely, make
//! Redis find a match we do not; both outputs decompress to the same bytes.
//!
//! [`decompress`] is fed by files and the network: it checks every command
//! against the input and output bounds and returns an error rather than
//! reading or writing out of range.

/// Log2 of the hash table size (lzfP.h `HLOG`).
const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
/// Longest literal run one command can carry.
const MAX_LIT: usize = 1 << 5;
/// Farthest back a reference can reach.
const MAX_OFF: usize = 1 << 13;
/// Longest match one reference can carry.
const MAX_REF: usize = (1 << 8) + (1 << 3);

/// Largest expansion a valid stream can have: a 3-byte long reference
/// yields at most 264 bytes. Used to refuse absurd declared lengths before
/// allocating for them.
pub const MAX_EXPANSION: usize = 88;

#[inline]
fn idx(h: u32) -> usize {
    // lzf_c.c IDX for VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1),
    // all in 32-bit unsigned arithmetic.
    ((h >> (24 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

#[inline]
fn frst(d: &[u8], p: usize) -> u32 {
    ((d[p] as u32) << 8) | d[p + 1] as u32
}

#[inline]
fn next(v: u32, d: &[u8], p: usize) -> u32 {
    (v << 8) | d[p + 2] as u32
}

/// Compresses `input` into at most `out_len` bytes, like
/// `lzf_compress(in, in_len, out, out_len)`. Returns `None` when the output
/// would not fit (Redis's return value 0), or when either length is zero.
pub fn compress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    compress_into(input, out_len, &mut out).then_some(out)
}

/// [`compress`] into `out` (cleared first, its allocation reused, which is
/// what a snapshot compressing millions of short strings wants). Returns
/// false, leaving `out` unspecified, when [`compress`] would return `None`.
pub fn compress_into(input: &[u8], out_len: usize, out: &mut Vec<u8>) -> bool {
    // One table per thread, reused: filling 2^16 slots for every string of
    // a snapshot cost more than compressing the strings.
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        t.begin(input.len());
        compress_with(&mut t, input, out_len, out)
    })
}

/// The hash table of recent input positions (liblzf's `htab`), shared by
/// successive calls without being cleared between them: a slot holds
/// `base + position` and only values at or above the current call's `base`
/// count, so every call starts from an empty table as liblzf's contract
/// says, at no per-call cost. `base` grows by each input's length and, being
/// a u64, never wraps.
struct Table {
    /// A fixed-size array, so that indexing with a masked hash needs no
    /// bounds check.
    slots: Box<[u64; HSIZE]>,
    /// Where the current call's positions start.
    base: u64,
    /// Where the next call's positions will start.
    next_base: u64,
}

impl Table {
    fn new() -> Table {
        let slots: Box<[u64; HSIZE]> = match vec![0u64; HSIZE].into_boxed_slice().try_into() {
            Ok(b) => b,
            Err(_) => unreachable!("the vector has HSIZE slots"),
        };
        // Slots start at 0, below every base.
        Table {
            slots,
            base: 1,
            next_base: 1,
        }
    }

    /// Starts a call over `len` input bytes: slots written by earlier calls
    /// become "never set".
    fn begin(&mut self, len: usize) {
        self.base = self.next_base;
        self.next_base = self.base + len as u64 + 1;
    }

    /// The input position in `slot`, `usize::MAX` when never set (which the
    /// validity test rejects just as liblzf rejects a null slot).
    #[inline]
    fn get(&self, slot: usize) -> usize {
        let v = self.slots[slot & (HSIZE - 1)];
        if v >= self.base {
            (v - self.base) as usize
        } else {
            usize::MAX
        }
    }

    #[inline]
    fn set(&mut self, slot: usize, pos: usize) {
        self.slots[slot & (HSIZE - 1)] = self.base + pos as u64;
    }
}

thread_local! {
    static TABLE: std::cell::RefCell<Table> = std::cell::RefCell::new(Table::new());
}

fn compress_with(htab: &mut Table, input: &[u8], out_len: usize, out: &mut Vec<u8>) -> bool {
    let in_len = input.len();
    if in_len == 0 || out_len == 0 {
        return false;
    }
    // Two spare bytes: liblzf may advance `op` one past a full literal run
    // and write the run header behind it before checking the bound.
    out.clear();
    out.resize(out_len + 2, 0);
    let mut ip = 0usize;
    let mut op = 1usize; // start run: out[0] will hold the run header
    let mut lit = 0usize;

    if in_len < 2 {
        // The main loop does not run; only the tail copy below does.
    } else {
        let mut hval = frst(input, ip);
        while ip + 2 < in_len {
            hval = next(hval, input, ip);
            let slot = idx(hval);
            let r = htab.get(slot);
            htab.set(slot, ip);
            if r < ip
                && ip - r - 1 < MAX_OFF
                && r > 0
                && input[r] == input[ip]
                && input[r + 1] == input[ip + 1]
                && input[r + 2] == input[ip + 2]
            {
                let off = ip - r - 1;
                let mut len = 2usize;
                let maxlen = (in_len - ip - len).min(MAX_REF);

                out[op - lit - 1] = (lit as u8).wrapping_sub(1); // stop run
                if lit == 0 {
                    op -= 1; // undo an empty run
                }
                if op + 3 + 1 >= out_len {
                    return false;
                }
                // liblzf's unrolled loop: when more than 16 bytes may match
                // it compares 16 bytes without the maxlen bound, then
                // continues bounded; the result can exceed maxlen by up to
                // two bytes, which the input length still covers.
                let mut unrolled_done = false;
                if maxlen > 16 {
                    unrolled_done = true;
                    for _ in 0..16 {
                        len += 1;
                        if input[r + len] != input[ip + len] {
                            unrolled_done = false;
                            break;
                        }
                    }
                    if !unrolled_done {
                        // Broke out early: len is the first mismatch.
                    }
                }
                if maxlen <= 16 || unrolled_done {
                    loop {
                        len += 1;
                        if !(len < maxlen && input[r + len] == input[ip + len]) {
                            break;
                        }
                    }
                }

                len -= 2; // now the number of octets minus one
                ip += 1;
                if len < 7 {
                    out[op] = ((off >> 8) + (len << 5)) as u8;
                    op += 1;
                } else {
                    out[op] = ((off >> 8) + (7 << 5)) as u8;
                    out[op + 1] = (len - 7) as u8;
                    op += 2;
                }
                out[op] = off as u8;
                op += 1;
                lit = 0;
                op += 1; // start run

                ip += len + 1;
                if ip + 2 >= in_len {
                    break;
                }
                // VERY_FAST: rehash only the two positions before ip.
                ip -= 2;
                hval = frst(input, ip);
                hval = next(hval, input, ip);
                htab.set(idx(hval), ip);
                ip += 1;
                hval = next(hval, input, ip);
                htab.set(idx(hval), ip);
                ip += 1;
            } else {
                if op >= out_len {
                    return false;
                }
                lit += 1;
                out[op] = input[ip];
                op += 1;
                ip += 1;
                if lit == MAX_LIT {
                    out[op - lit - 1] = (lit - 1) as u8;
                    lit = 0;
                    op += 1;
                }
            }
        }
    }

    if op + 3 > out_len {
        return false;
    }
    while ip < in_len {
        lit += 1;
        out[op] = input[ip];
        op += 1;
        ip += 1;
        if lit == MAX_LIT {
            out[op - lit - 1] = (lit - 1) as u8;
            lit = 0;
            op += 1;
        }
    }
    out[op - lit - 1] = (lit as u8).wrapping_sub(1); // end run
    if lit == 0 {
        op -= 1;
    }
    out.truncate(op);
    true
}

/// Why a compressed stream was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LzfError {
    /// A command needs more input bytes than remain.
    TruncatedInput,
    /// The stream expands beyond the declared output length.
    OutputOverflow,
    /// A back reference points before the start of the output.
    BadReference,
    /// The stream ended before producing the declared length.
    ShortOutput,
}

impl std::fmt::Display for LzfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LzfError::TruncatedInput => "LZF stream truncated",
            LzfError::OutputOverflow => "LZF stream longer than its declared length",
            LzfError::BadReference => "LZF back reference before start of output",
            LzfError::ShortOutput => "LZF stream shorter than its declared length",
        })
    }
}

/// Decompresses `input`, which must expand to exactly `out_len` bytes.
///
/// Never panics and never allocates more than `out_len` bytes; callers
/// reading `out_len` from a file should first check it against
/// `input.len() * MAX_EXPANSION`.
pub fn decompress(input: &[u8], out_len: usize) -> Result<Vec<u8>, LzfError> {
    let mut out: Vec<u8> = Vec::with_capacity(out_len);
    let mut ip = 0usize;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < 32 {
            let run = ctrl + 1;
            if out.len() + run > out_len {
                return Err(LzfError::OutputOverflow);
            }
            let lits = input.get(ip..ip + run).ok_or(LzfError::TruncatedInput)?;
            out.extend_from_slice(lits);
            ip += run;
        } else {
            let mut len = ctrl >> 5;
            let mut back = (ctrl & 0x1f) << 8;
            if len == 7 {
                len += *input.get(ip).ok_or(LzfError::TruncatedInput)? as usize;
                ip += 1;
            }
            back += *input.get(ip).ok_or(LzfError::TruncatedInput)? as usize;
            ip += 1;
            let len = len + 2;
            if out.len() + len > out_len {
                return Err(LzfError::OutputOverflow);
            }
            // The reference starts back + 1 bytes before the output end.
            let start = out
                .len()
                .checked_sub(back + 1)
                .ok_or(LzfError::BadReference)?;
            copy_back_reference(&mut out, start, len);
        }
    }
    if out.len() != out_len {
        return Err(LzfError::ShortOutput);
    }
    Ok(out)
}

/// Appends `len` bytes copied from `out[start..]`, as if byte by byte:
/// when the reference reaches past the old end (`start + len` beyond
/// `out.len()`), it repeats the bytes from `start` on, which is how LZF
/// encodes runs. Done a period at a time (a memset for a run of one byte)
/// rather than a push per byte.
fn copy_back_reference(out: &mut Vec<u8>, start: usize, len: usize) {
    let period = out.len() - start;
    if period == 1 {
        let b = out[start];
        out.resize(out.len() + len, b);
        return;
    }
    let mut left = len;
    while left > 0 {
        // Each pass copies at most one period, all of it already written.
        let n = left.min(period);
        let from = out.len() - period;
        out.extend_from_within(from..from + n);
        left -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*) for test data.
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed | 1;
        move || {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            s.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    #[test]
    fn round_trips() {
        let mut r = rng(7);
        let mut inputs: Vec<Vec<u8>> = vec![
            b"a".to_vec(),
            b"ab".to_vec(),
            b"abc".to_vec(),
            vec![b'x'; 1000],
            b"hello hello hello hello hello hello hello".to_vec(),
            // Back references that overlap their own output (periods 2-7).
            b"ab".repeat(200),
            b"abc".repeat(100),
            b"abcdefg".repeat(50),
        ];
        for n in [5usize, 21, 64, 300, 5000, 70000] {
            // Compressible: small alphabet.
            inputs.push((0..n).map(|_| b"abcd"[(r() % 4) as usize]).collect());
            // Incompressible.
            inputs.push((0..n).map(|_| r() as u8).collect());
        }
        for inp in &inputs {
            // Generous output room: must always succeed.
            let c = compress(inp, inp.len() + inp.len() / 16 + 64).expect("fits");
            assert_eq!(decompress(&c, inp.len()).unwrap(), *inp);
            // Redis's budget: only if it saves 4 bytes.
            if let Some(c) = compress(inp, inp.len().saturating_sub(4)) {
                assert!(c.len() <= inp.len() - 4);
                assert_eq!(decompress(&c, inp.len()).unwrap(), *inp);
            }
        }
        assert!(compress(&[0u8; 100], 0).is_none());
        assert!(compress(&[], 10).is_none());
    }

    #[test]
    fn back_references_copy_as_byte_by_byte() {
        let mut r = rng(11);
        let prefix: Vec<u8> = (0..64).map(|_| r() as u8).collect();
        for period in 1..=12 {
            for len in 0..=40 {
                let start = prefix.len() - period;
                let mut want = prefix.clone();
                for i in 0..len {
                    let b = want[start + i];
                    want.push(b);
                }
                let mut got = prefix.clone();
                copy_back_reference(&mut got, start, len);
                assert_eq!(got, want, "period {period}, length {len}");
            }
        }
    }

    #[test]
    fn known_encoding() {
        // 'a' x 30: one literal, then one back reference of length 28 at
        // offset 0 (a run), then the final two literals are not needed.
        let c = compress(&[b'a'; 30], 26).unwrap();
        assert_eq!(decompress(&c, 30).unwrap(), vec![b'a'; 30]);
        assert!(c.len() < 10);
    }

    #[test]
    fn hostile_inputs() {
        // Reference before the start.
        assert_eq!(decompress(&[0x20, 0x00], 10), Err(LzfError::BadReference));
        // Literal run longer than the input.
        assert_eq!(decompress(&[0x05, b'a'], 6), Err(LzfError::TruncatedInput));
        // Missing offset byte / long length byte.
        assert_eq!(
            decompress(&[0x00, b'a', 0x20], 10),
            Err(LzfError::TruncatedInput)
        );
        assert_eq!(
            decompress(&[0x00, b'a', 0xe0], 10),
            Err(LzfError::TruncatedInput)
        );
        // Output overflow and underflow.
        assert_eq!(
            decompress(&[0x01, b'a', b'b'], 1),
            Err(LzfError::OutputOverflow)
        );
        assert_eq!(
            decompress(&[0x01, b'a', b'b'], 3),
            Err(LzfError::ShortOutput)
        );
        assert_eq!(decompress(&[], 1), Err(LzfError::ShortOutput));
        // Random garbage never panics.
        let mut r = rng(42);
        for _ in 0..20000 {
            let n = (r() % 40) as usize;
            let data: Vec<u8> = (0..n).map(|_| r() as u8).collect();
            let out_len = (r() % 200) as usize;
            if let Ok(v) = decompress(&data, out_len) {
                assert_eq!(v.len(), out_len);
            }
        }
    }
}
