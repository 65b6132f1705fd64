//! Listpack blobs (`listpack.c`), the compact encoding Redis 7.0 uses for
//! small hashes and zsets and for quicklist nodes, and which RDB files embed
//! verbatim as strings.
//!
//! ```text
//! <total-bytes u32 LE> <num-elements u16 LE> <entry> ... <0xFF>
//! entry = <encoding+data> <backlen>
//! ```
//!
//! An element that is the canonical decimal form of an i64 is stored as an
//! integer in the smallest of 7-bit unsigned, 13/16/24/32/64-bit signed
//! forms; anything else as a string with a 6-bit, 12-bit or 32-bit length.
//! `backlen` is the size of `encoding+data` in 7-bit groups (most significant
//! group first, every group but the first with the high bit set) so the list
//! can be walked backwards. `num-elements` saturates at 65535 ("unknown").
//!
//! [`Builder`] produces exactly the bytes Redis produces when it appends the
//! same elements one by one; [`decode`] validates a blob as strictly as
//! Redis's deep integrity check and never panics.

use crate::util::{format_f64, parse_i64};

/// `num-elements` value meaning "count the entries yourself".
const NUMELE_UNKNOWN: u16 = u16::MAX;
const HEADER_SIZE: usize = 6;
const EOF: u8 = 0xFF;

/// One decoded element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl Entry<'_> {
    /// The element as Redis would hand it to a client: integers in decimal.
    pub fn to_vec(self) -> Vec<u8> {
        match self {
            Entry::Int(v) => v.to_string().into_bytes(),
            Entry::Str(s) => s.to_vec(),
        }
    }
}

/// Builds a listpack by appending elements (Redis `lpAppend` semantics).
#[derive(Debug, Clone)]
pub struct Builder {
    /// Header placeholder, then the entries written so far.
    buf: Vec<u8>,
    /// Elements appended.
    count: usize,
    /// Scratch for score text ([`Builder::push_score`]), kept across calls.
    text: Vec<u8>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    pub fn new() -> Builder {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(&[0; HEADER_SIZE]);
        Builder {
            buf,
            count: 0,
            text: Vec::new(),
        }
    }

    /// Appends an element; canonical integers are stored as integers.
    pub fn push(&mut self, ele: &[u8]) {
        match parse_i64(ele) {
            Some(v) => self.push_int(v),
            None => self.push_str(ele),
        }
    }

    /// Appends an integer element.
    pub fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        if (0..=127).contains(&v) {
            self.buf.push(v as u8);
        } else if (-4096..=4095).contains(&v) {
            let u = if v < 0 { (1i64 << 13) + v } else { v } as u16;
            self.buf.push(((u >> 8) as u8) | 0xC0);
            self.buf.push(u as u8);
        } else if (-32768..=32767).contains(&v) {
            self.buf.push(0xF1);
            self.buf.extend_from_slice(&(v as i16).to_le_bytes());
        } else if (-8_388_608..=8_388_607).contains(&v) {
            self.buf.push(0xF2);
            self.buf.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
        } else if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
            self.buf.push(0xF3);
            self.buf.extend_from_slice(&(v as i32).to_le_bytes());
        } else {
            self.buf.push(0xF4);
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
        self.end_entry(start);
    }

    /// Appends a string element verbatim, even if it looks like a number
    /// (callers wanting Redis's behaviour use [`Builder::push`]).
    pub fn push_str(&mut self, s: &[u8]) {
        let start = self.buf.len();
        let len = s.len();
        if len < 64 {
            self.buf.push(0x80 | len as u8);
        } else if len < 4096 {
            self.buf.push(0xE0 | (len >> 8) as u8);
            self.buf.push(len as u8);
        } else {
            self.buf.push(0xF0);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        }
        self.buf.extend_from_slice(s);
        self.end_entry(start);
    }

    fn end_entry(&mut self, start: usize) {
        let size = self.buf.len() - start;
        let mut tmp = [0u8; 5];
        let n = encode_backlen(&mut tmp, size as u64);
        self.buf.extend_from_slice(&tmp[..n]);
        self.count += 1;
    }

    /// Elements appended so far.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Appends a sorted set score the way Redis 7.0 stores it in a listpack:
    /// its `d2string` text (`%.17g`), which `lpAppend` turns into an
    /// integer entry when that text is a canonical integer.
    pub fn push_score(&mut self, score: f64) {
        // Integral scores print as plain integers (format_f64's own fast
        // path, below 1e15), so skip the text. -0 prints as "-0", which is
        // not canonical and stays a string: leave it to the general path.
        if score.fract() == 0.0 && score.abs() < 1e15 && !(score == 0.0 && score.is_sign_negative())
        {
            self.push_int(score as i64);
            return;
        }
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        format_f64(&mut text, score);
        self.push(&text);
        self.text = text;
    }

    /// Empties the builder for another listpack, keeping its allocations.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.buf.extend_from_slice(&[0; HEADER_SIZE]);
        self.count = 0;
    }

    /// Terminates the blob, fills in the header and returns it, leaving the
    /// builder usable only after [`Builder::reset`] (this is for callers
    /// that reuse one builder and want no allocation per listpack).
    pub fn finish_ref(&mut self) -> &[u8] {
        self.buf.push(EOF);
        let total = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&total.to_le_bytes());
        let n = if self.count >= NUMELE_UNKNOWN as usize {
            NUMELE_UNKNOWN
        } else {
            self.count as u16
        };
        self.buf[4..6].copy_from_slice(&n.to_le_bytes());
        &self.buf
    }

    /// Terminates the blob and fills in the header.
    pub fn finish(mut self) -> Vec<u8> {
        self.finish_ref();
        self.buf
    }

    /// Reopens a finished listpack to append more elements, as Redis
    /// appends to a stream node in place. `lp` must be well formed (built
    /// here, or accepted by [`decode`]).
    pub fn resume(mut lp: Vec<u8>) -> Builder {
        let count = match u16::from_le_bytes([lp[4], lp[5]]) {
            NUMELE_UNKNOWN => Elements::new(&lp).count(),
            n => n as usize,
        };
        lp.pop();
        Builder {
            buf: lp,
            count,
            text: Vec::new(),
        }
    }
}

/// The elements of a well-formed listpack, front to back; [`Elements::pos`]
/// is the offset of the next one (what [`replace_int`] takes). A malformed
/// blob ends the walk early rather than panicking.
pub struct Elements<'a> {
    lp: &'a [u8],
    pos: usize,
}

impl<'a> Elements<'a> {
    pub fn new(lp: &'a [u8]) -> Elements<'a> {
        Elements {
            lp,
            pos: HEADER_SIZE,
        }
    }

    /// Offset of the element `next` returns.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Continues from offset `pos`, the start of an element.
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        let end = self.lp.len().checked_sub(1)?;
        if self.pos >= end {
            return None;
        }
        let (entry, size) = decode_entry(&self.lp[self.pos..end]).ok()?;
        self.pos += size + backlen_size(size as u64);
        Some(entry)
    }
}

/// The element that ends just before offset `pos` of a well-formed
/// listpack (`pos` may be the terminator's offset), found through its
/// backlen (`lpPrev`), and the offset where it starts; None at the header
/// or on a malformed blob.
pub fn element_before(lp: &[u8], pos: usize) -> Option<(Entry<'_>, usize)> {
    let mut at = pos;
    let mut size = 0usize;
    let mut shift = 0;
    loop {
        at = at.checked_sub(1).filter(|&a| a >= HEADER_SIZE)?;
        let b = lp[at];
        size |= ((b & 127) as usize) << shift;
        if b & 128 == 0 {
            break;
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
    let start = at.checked_sub(size).filter(|&s| s >= HEADER_SIZE)?;
    let end = lp.len().checked_sub(1)?;
    let (entry, decoded) = decode_entry(lp.get(start..end)?).ok()?;
    (decoded == size).then_some((entry, start))
}

/// Bytes the backlen of an entry of `l` bytes takes.
fn backlen_size(l: u64) -> usize {
    let mut tmp = [0u8; 5];
    encode_backlen(&mut tmp, l)
}

/// Replaces the element at offset `pos` of `lp` (found with [`Elements`])
/// with the integer `v`, moving the rest when the encoding's size changes,
/// and fixes the header's byte count (`lpReplaceInteger`).
pub fn replace_int(lp: &mut Vec<u8>, pos: usize, v: i64) {
    let end = lp.len() - 1;
    let Ok((_, size)) = decode_entry(&lp[pos..end]) else {
        return;
    };
    let old = size + backlen_size(size as u64);
    let mut b = Builder {
        buf: Vec::with_capacity(12),
        count: 0,
        text: Vec::new(),
    };
    b.push_int(v);
    lp.splice(pos..pos + old, b.buf);
    let total = lp.len() as u32;
    lp[0..4].copy_from_slice(&total.to_le_bytes());
}

/// Listpack of the given elements, as Redis would build it.
pub fn encode<T: AsRef<[u8]>>(elements: &[T]) -> Vec<u8> {
    let mut b = Builder::new();
    for e in elements {
        b.push(e.as_ref());
    }
    b.finish()
}

/// Writes the backlen for an entry of `l` bytes into `buf` and returns how
/// many bytes it took (`lpEncodeBacklen`, thresholds included).
fn encode_backlen(buf: &mut [u8; 5], l: u64) -> usize {
    if l <= 127 {
        buf[0] = l as u8;
        1
    } else if l < 16383 {
        buf[0] = (l >> 7) as u8;
        buf[1] = ((l & 127) | 128) as u8;
        2
    } else if l < 2_097_151 {
        buf[0] = (l >> 14) as u8;
        buf[1] = (((l >> 7) & 127) | 128) as u8;
        buf[2] = ((l & 127) | 128) as u8;
        3
    } else if l < 268_435_455 {
        buf[0] = (l >> 21) as u8;
        buf[1] = (((l >> 14) & 127) | 128) as u8;
        buf[2] = (((l >> 7) & 127) | 128) as u8;
        buf[3] = ((l & 127) | 128) as u8;
        4
    } else {
        buf[0] = (l >> 28) as u8;
        buf[1] = (((l >> 21) & 127) | 128) as u8;
        buf[2] = (((l >> 14) & 127) | 128) as u8;
        buf[3] = (((l >> 7) & 127) | 128) as u8;
        buf[4] = ((l & 127) | 128) as u8;
        5
    }
}

/// Decodes and validates a whole listpack: header size and count, every
/// entry's encoding, bounds and backlen, the terminator. Errors name the
/// problem and its offset inside the blob.
pub fn decode(lp: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    if lp.len() < HEADER_SIZE + 1 {
        return Err(format!("listpack too short ({} bytes)", lp.len()));
    }
    let total = u32::from_le_bytes([lp[0], lp[1], lp[2], lp[3]]) as usize;
    if total != lp.len() {
        return Err(format!(
            "listpack header says {} bytes, blob has {}",
            total,
            lp.len()
        ));
    }
    let numele = u16::from_le_bytes([lp[4], lp[5]]);
    let end = lp.len() - 1;
    if lp[end] != EOF {
        return Err("listpack does not end with 0xFF".into());
    }
    let mut out = Vec::with_capacity((numele as usize).min(1024));
    let mut p = HEADER_SIZE;
    while p < end {
        let (entry, size) =
            decode_entry(&lp[p..end]).map_err(|e| format!("{} at listpack offset {}", e, p))?;
        let mut tmp = [0u8; 5];
        let n = encode_backlen(&mut tmp, size as u64);
        if lp.get(p + size..p + size + n) != Some(&tmp[..n]) || p + size + n > end {
            return Err(format!("listpack entry at offset {} has a bad backlen", p));
        }
        out.push(entry);
        p += size + n;
    }
    if numele != NUMELE_UNKNOWN && numele as usize != out.len() {
        return Err(format!(
            "listpack header counts {} elements, found {}",
            numele,
            out.len()
        ));
    }
    Ok(out)
}

/// Decodes one entry from the front of `b` (which excludes the terminator);
/// returns it and the size of encoding+data.
fn decode_entry(b: &[u8]) -> Result<(Entry<'_>, usize), String> {
    let need = |n: usize| -> Result<&[u8], String> {
        b.get(..n)
            .ok_or_else(|| "listpack entry runs past the end".to_string())
    };
    let c = b[0];
    let sext = |v: u64, bits: u32| -> i64 { ((v << (64 - bits)) as i64) >> (64 - bits) };
    if c & 0x80 == 0 {
        Ok((Entry::Int(c as i64), 1))
    } else if c & 0xC0 == 0x80 {
        let len = (c & 0x3F) as usize;
        let s = need(1 + len)?;
        Ok((Entry::Str(&s[1..]), 1 + len))
    } else if c & 0xE0 == 0xC0 {
        let s = need(2)?;
        let u = (((c & 0x1F) as u64) << 8) | s[1] as u64;
        Ok((Entry::Int(sext(u, 13)), 2))
    } else if c & 0xF0 == 0xE0 {
        let s = need(2)?;
        let len = (((c & 0x0F) as usize) << 8) | s[1] as usize;
        let s = need(2 + len)?;
        Ok((Entry::Str(&s[2..]), 2 + len))
    } else {
        match c {
            0xF0 => {
                let s = need(5)?;
                let len = u32::from_le_bytes([s[1], s[2], s[3], s[4]]) as usize;
                let s = need(5usize.checked_add(len).ok_or("listpack length overflow")?)?;
                Ok((Entry::Str(&s[5..]), 5 + len))
            }
            0xF1..=0xF4 => {
                let width = [2usize, 3, 4, 8][(c - 0xF1) as usize];
                let s = need(1 + width)?;
                let mut le = [0u8; 8];
                le[..width].copy_from_slice(&s[1..1 + width]);
                let v = sext(u64::from_le_bytes(le), (width * 8) as u32);
                Ok((Entry::Int(v), 1 + width))
            }
            _ => Err(format!("listpack bad encoding byte 0x{:02x}", c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `push_score`'s integer shortcut gives what pushing the d2string
    /// text gives, and a reset builder starts over.
    #[test]
    fn scores_match_their_text() {
        let mut fast = Builder::new();
        let mut slow = Builder::new();
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            127.0,
            128.0,
            -4096.0,
            1e15 - 1.0,
            1e15,
            -1e15,
            4503599627370496.0,
            1e300,
            0.1,
            1234.56,
            -2.5e-300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        let mut seed = 7u64;
        let randoms = (0..2000).map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let v = (seed >> 20) as i64 - (1 << 43);
            if seed & 1 == 0 {
                v as f64
            } else {
                v as f64 / 100.0
            }
        });
        for v in specials.into_iter().chain(randoms) {
            fast.push_score(v);
            let mut text = Vec::new();
            format_f64(&mut text, v);
            slow.push(&text);
        }
        assert_eq!(fast.finish_ref(), slow.finish_ref());
        fast.reset();
        fast.push(b"x");
        assert_eq!(fast.finish_ref(), &encode(&[b"x"])[..]);
    }

    /// Walking back through backlens of every width finds each element
    /// and its start, as walking forward does.
    #[test]
    fn elements_walk_backwards() {
        let elems: Vec<Vec<u8>> = vec![
            b"a".to_vec(),
            b"-12".to_vec(),
            vec![b'x'; 200],
            vec![b'y'; 20_000],
            b"9223372036854775807".to_vec(),
            vec![b'z'; 3_000_000],
        ];
        let lp = encode(&elems);
        let mut forward = Vec::new();
        let mut it = Elements::new(&lp);
        while let (at, Some(e)) = (it.pos(), it.next()) {
            forward.push((e, at));
        }
        let mut backward = Vec::new();
        let mut pos = lp.len() - 1;
        while let Some((e, at)) = element_before(&lp, pos) {
            backward.push((e, at));
            pos = at;
        }
        backward.reverse();
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), elems.len());
    }

    #[test]
    fn known_bytes() {
        // Empty listpack: 7 bytes.
        assert_eq!(encode::<&[u8]>(&[]), vec![7, 0, 0, 0, 0, 0, 0xFF]);
        // "a", 5, -1, 1000, "-0"
        let lp = encode(&[&b"a"[..], b"5", b"-1", b"1000", b"-0"]);
        let body = &lp[6..lp.len() - 1];
        assert_eq!(
            body,
            &[
                0x81, b'a', 2, // 6-bit string
                5, 1, // 7-bit uint
                0xDF, 0xFF, 2, // 13-bit -1
                0xC3, 0xE8, 2, // 13-bit 1000
                0x82, b'-', b'0', 3 // "-0" is not canonical
            ][..]
        );
        assert_eq!(lp[4], 5);
        assert_eq!(
            lp.len() as u32,
            u32::from_le_bytes([lp[0], lp[1], lp[2], lp[3]])
        );
    }

    #[test]
    fn round_trip_all_widths() {
        let ints = [
            0i64,
            127,
            128,
            -1,
            -4096,
            4095,
            4096,
            -4097,
            32767,
            -32768,
            32768,
            8_388_607,
            -8_388_608,
            8_388_608,
            i32::MAX as i64,
            i32::MIN as i64,
            i32::MAX as i64 + 1,
            i64::MAX,
            i64::MIN,
        ];
        let strs: Vec<Vec<u8>> = vec![
            vec![],
            b"x".repeat(63),
            b"y".repeat(64),
            b"z".repeat(4095),
            b"w".repeat(4096),
            b"v".repeat(20000),
            b"007".to_vec(),
        ];
        let mut b = Builder::new();
        for &i in &ints {
            b.push(i.to_string().as_bytes());
        }
        for s in &strs {
            b.push(s);
        }
        let lp = b.finish();
        let got = decode(&lp).unwrap();
        for (k, &i) in ints.iter().enumerate() {
            assert_eq!(got[k], Entry::Int(i));
        }
        for (k, s) in strs.iter().enumerate() {
            assert_eq!(got[ints.len() + k], Entry::Str(s));
        }
    }

    #[test]
    fn backlen_thresholds() {
        for l in [
            1u64,
            127,
            128,
            16382,
            16383,
            2_097_150,
            2_097_151,
            268_435_454,
            268_435_455,
        ] {
            let mut b = [0; 5];
            let n = encode_backlen(&mut b, l);
            // Decode backwards as lpDecodeBacklen does.
            let mut v = 0u64;
            let mut shift = 0;
            for i in (0..n).rev() {
                v |= ((b[i] & 127) as u64) << shift;
                shift += 7;
                if b[i] & 128 == 0 {
                    assert_eq!(i, 0);
                }
            }
            assert_eq!(v, l);
        }
    }

    #[test]
    fn many_elements_saturate_count() {
        let els: Vec<Vec<u8>> = (0..70000).map(|i| i.to_string().into_bytes()).collect();
        let lp = encode(&els);
        assert_eq!(&lp[4..6], &[0xFF, 0xFF]);
        assert_eq!(decode(&lp).unwrap().len(), 70000);
    }

    #[test]
    fn corrupt_blobs_error() {
        let good = encode(&[&b"hello"[..], b"12345", b"x"]);
        assert!(decode(&good).is_ok());
        // Every truncation and every single-byte change must not panic.
        for n in 0..good.len() {
            let _ = decode(&good[..n]);
            assert!(decode(&good[..n]).is_err());
        }
        for i in 0..good.len() {
            for v in [0u8, 1, 0x7F, 0x80, 0xC0, 0xE0, 0xF0, 0xF4, 0xF5, 0xFF] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = decode(&bad);
            }
        }
        let mut bad = good.clone();
        bad[4] = 2; // wrong count
        assert!(decode(&bad).is_err());
    }
}
