//! CRC-64/Jones as Redis computes it (`crc64.c`): polynomial
//! 0xad93d23594c935a9, reflected input and output, initial value 0, no final
//! xor. RDB files end with this checksum over every preceding byte, and DUMP
//! payloads end with it over the value and the version footer.
//!
//! RDB loading and saving run the whole dataset through [`update`], so it has
//! two implementations with the same result as the bytewise loop:
//!
//! - slicing-by-8 (eight tables built at compile time, eight input bytes per
//!   step), portable, about 1.4 GB/s. Each step waits on the previous one's
//!   table lookups, which caps it there.
//! - on x86_64 CPUs with PCLMULQDQ, carry-less multiplication folding
//!   (Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ",
//!   reflected variant). A CRC is the message polynomial times x^64 modulo P,
//!   and a 128-bit lane `A` followed by `d` more bits may be replaced by
//!   `A * x^d mod P`, which two carry-less multiplies by constants compute.
//!   Four independent lanes are folded 512 bits at a time so that one
//!   fold's latency overlaps the others (eight lanes were no faster: the
//!   multiplier is then busy every cycle), then merged into one and reduced
//!   to 64 bits with Barrett reduction; leftover bytes go through the
//!   tables. The constants are derived from the polynomial at compile time.
//!
//! The CPU is probed once; other CPUs and architectures use the tables.

/// The Jones polynomial without its x^64 term, x^63 in the top bit.
const POLY: u64 = 0xad93_d235_94c9_35a9;

/// The same in reflected (LSB-first) form: bit `i` is the coefficient of
/// x^(63-i). Every value below is in this form, as the CRC register is.
const POLY_REFLECTED: u64 = POLY.reverse_bits();

/// `TABLES[0]` is the classic bytewise table; `TABLES[k][b]` is the CRC of
/// byte `b` followed by `k` zero bytes, which slicing-by-8 needs.
static TABLES: [[u64; 256]; 8] = build_tables();

const fn build_tables() -> [[u64; 256]; 8] {
    let mut t = [[0u64; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u64;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY_REFLECTED
            } else {
                crc >> 1
            };
            bit += 1;
        }
        t[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

/// x^n mod P, reflected. Multiplying by x is a right shift in this form, and
/// the bit shifted out (x^63 before the shift) brings P back in.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const fn xpow_mod(n: u32) -> u64 {
    let mut r = 1u64 << 63;
    let mut i = 0;
    while i < n {
        r = if r & 1 == 1 {
            (r >> 1) ^ POLY_REFLECTED
        } else {
            r >> 1
        };
        i += 1;
    }
    r
}

/// floor(x^128 / P) without its x^64 term, reflected: the Barrett constant.
/// Long division one quotient bit at a time, in natural (MSB-first) form
/// where the remainder's overflow is easy to see.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const fn barrett_mu() -> u64 {
    // x^64 = 1 * P + POLY.
    let mut quot = 1u64;
    let mut rem = POLY;
    let mut i = 0;
    while i < 64 {
        let carry = rem >> 63;
        rem <<= 1;
        // The quotient's leading x^64 falls off the top: it is implied.
        quot <<= 1;
        if carry == 1 {
            rem ^= POLY;
            quot |= 1;
        }
        i += 1;
    }
    quot.reverse_bits()
}

/// Continues a running checksum `crc` over `data` (start from 0), exactly
/// like Redis's `crc64(crc, data, len)`.
pub fn update(crc: u64, data: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if data.len() >= clmul::MIN_LEN && clmul::available() {
        // SAFETY: available() saw PCLMULQDQ and SSE4.1 on this CPU.
        return unsafe { clmul::update(crc, data) };
    }
    update_table(crc, data)
}

/// The checksum of a whole buffer.
pub fn crc64(data: &[u8]) -> u64 {
    update(0, data)
}

/// Slicing-by-8.
fn update_table(mut crc: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let word = crc ^ u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        crc = TABLES[7][(word & 0xff) as usize]
            ^ TABLES[6][((word >> 8) & 0xff) as usize]
            ^ TABLES[5][((word >> 16) & 0xff) as usize]
            ^ TABLES[4][((word >> 24) & 0xff) as usize]
            ^ TABLES[3][((word >> 32) & 0xff) as usize]
            ^ TABLES[2][((word >> 40) & 0xff) as usize]
            ^ TABLES[1][((word >> 48) & 0xff) as usize]
            ^ TABLES[0][(word >> 56) as usize];
    }
    for &b in chunks.remainder() {
        crc = TABLES[0][((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

/// Folding with PCLMULQDQ.
///
/// A 128-bit lane loaded little-endian holds the message's first bit in bit
/// 0, so its low qword is the lane's high-degree half `A_hi` and its high
/// qword the low-degree half `A_lo`: lane = A_hi * x^64 + A_lo. Moving it `d`
/// bits along is A_hi * (x^(d+64) mod P) + A_lo * (x^d mod P), two 64x64
/// carry-less multiplies whose sum has degree < 128, i.e. another lane.
///
/// The product of two reflected 64-bit values lands one bit short of where a
/// reflected 128-bit value wants it (the result has 127 bits and PCLMULQDQ
/// puts its top coefficient in bit 0). Every fold constant is therefore
/// x^(k-1) rather than x^k: the missing factor x is exactly that shift.
#[cfg(target_arch = "x86_64")]
mod clmul {
    use super::{update_table, xpow_mod, POLY_REFLECTED};
    use std::arch::x86_64::*;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// Below this the tables win: the setup and the final reduction cost
    /// about as much as slicing-by-8 spends on a few words.
    pub const MIN_LEN: usize = 32;

    /// Multipliers (for the low qword, for the high qword) that move a lane
    /// `d` bits along the message.
    const fn fold_pair(d: u32) -> (u64, u64) {
        (xpow_mod(d + 64 - 1), xpow_mod(d - 1))
    }

    /// Four lanes folded over the next four.
    pub(super) const FOLD_512: (u64, u64) = fold_pair(512);
    /// One lane folded over the next.
    pub(super) const FOLD_128: (u64, u64) = fold_pair(128);
    /// See [`super::barrett_mu`].
    pub(super) const MU: u64 = super::barrett_mu();

    /// 0 until probed, then 1 (no) or 2 (yes).
    static HAVE: AtomicU8 = AtomicU8::new(0);

    /// Whether this CPU has what [`update`] needs. Racing first callers probe
    /// twice and store the same answer.
    #[inline]
    pub fn available() -> bool {
        match HAVE.load(Ordering::Relaxed) {
            0 => {
                let yes = std::arch::is_x86_feature_detected!("pclmulqdq")
                    && std::arch::is_x86_feature_detected!("sse4.1");
                HAVE.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
                yes
            }
            h => h == 2,
        }
    }

    /// The first 16 bytes of `s` as a lane.
    #[inline(always)]
    fn load(s: &[u8]) -> __m128i {
        let s = &s[..16];
        // SAFETY: `s` is 16 readable bytes and loadu has no alignment
        // requirement; SSE2 is part of x86_64.
        unsafe { _mm_loadu_si128(s.as_ptr().cast()) }
    }

    /// `lane` moved along by the distance `k` was made for, plus `next`.
    #[inline]
    #[target_feature(enable = "pclmulqdq,sse4.1")]
    fn fold(lane: __m128i, k: (u64, u64), next: __m128i) -> __m128i {
        let k = _mm_set_epi64x(k.1 as i64, k.0 as i64);
        let hi = _mm_clmulepi64_si128(lane, k, 0x00);
        let lo = _mm_clmulepi64_si128(lane, k, 0x11);
        _mm_xor_si128(_mm_xor_si128(hi, lo), next)
    }

    /// The 127-bit carry-less product of `a` and `b`, as PCLMULQDQ leaves it.
    #[inline]
    #[target_feature(enable = "pclmulqdq,sse4.1")]
    fn clmul64(a: u64, b: u64) -> u128 {
        let p = _mm_clmulepi64_si128(_mm_cvtsi64_si128(a as i64), _mm_cvtsi64_si128(b as i64), 0);
        let lo = _mm_cvtsi128_si64(p) as u64;
        let hi = _mm_extract_epi64(p, 1) as u64;
        (hi as u128) << 64 | lo as u128
    }

    /// The CRC register for a message whose folded remainder is `lane`, that
    /// is lane * x^64 mod P.
    #[inline]
    #[target_feature(enable = "pclmulqdq,sse4.1")]
    fn reduce(lane: __m128i) -> u64 {
        // lane * x^64 = A_hi * x^128 + A_lo * x^64. Folding A_hi by 128 bits
        // and moving A_lo to the low (high-degree) qword leaves a 128-bit V
        // with the same remainder.
        let k = _mm_set_epi64x(0, FOLD_128.1 as i64);
        let v = _mm_xor_si128(_mm_clmulepi64_si128(lane, k, 0x00), _mm_srli_si128(lane, 8));
        let v_hi = _mm_cvtsi128_si64(v) as u64;
        let v_lo = _mm_extract_epi64(v, 1) as u64;
        // Barrett: V mod P = V_lo + (q * P mod x^64) with the quotient
        // q = floor(V_hi * x^64 / P) = V_hi + floor(V_hi * MU / x^64).
        // The high-degree half of a product is its low qword shifted up by
        // the missing bit; the low-degree half is bits 63..127.
        let q = v_hi ^ ((clmul64(v_hi, MU) as u64) << 1);
        v_lo ^ (clmul64(q, POLY_REFLECTED) >> 63) as u64
    }

    /// Same as [`super::update_table`], for any length.
    ///
    /// # Safety
    /// The CPU must support PCLMULQDQ and SSE4.1 ([`available`]).
    #[target_feature(enable = "pclmulqdq,sse4.1")]
    pub unsafe fn update(crc: u64, data: &[u8]) -> u64 {
        if data.len() < 16 {
            return update_table(crc, data);
        }
        // The running CRC carries on as crc * x^(8 * len), which lines up
        // with the data's first 64 bits: it is xored into them, as the tables
        // do.
        let crc = _mm_cvtsi64_si128(crc as i64);
        let (mut lane, rest) = if data.len() >= 64 {
            let (head, rest) = data.split_at(64);
            let mut x = [
                _mm_xor_si128(load(head), crc),
                load(&head[16..]),
                load(&head[32..]),
                load(&head[48..]),
            ];
            let mut blocks = rest.chunks_exact(64);
            for b in &mut blocks {
                x[0] = fold(x[0], FOLD_512, load(b));
                x[1] = fold(x[1], FOLD_512, load(&b[16..]));
                x[2] = fold(x[2], FOLD_512, load(&b[32..]));
                x[3] = fold(x[3], FOLD_512, load(&b[48..]));
            }
            let lane = fold(
                fold(fold(x[0], FOLD_128, x[1]), FOLD_128, x[2]),
                FOLD_128,
                x[3],
            );
            (lane, blocks.remainder())
        } else {
            (_mm_xor_si128(load(data), crc), &data[16..])
        };
        let mut lanes = rest.chunks_exact(16);
        for l in &mut lanes {
            lane = fold(lane, FOLD_128, load(l));
        }
        update_table(reduce(lane), lanes.remainder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytewise(mut crc: u64, data: &[u8]) -> u64 {
        for &b in data {
            crc ^= b as u64;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ POLY_REFLECTED
                } else {
                    crc >> 1
                };
            }
        }
        crc
    }

    /// Deterministic bytes (xorshift64), without a dependency.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 32) as u8
            })
            .collect()
    }

    #[test]
    fn check_vector() {
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
        assert_eq!(crc64(b""), 0);
    }

    #[test]
    fn sliced_matches_bytewise_and_streams() {
        let data: Vec<u8> = (0..1000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 999, 1000] {
            assert_eq!(crc64(&data[..len]), bytewise(0, &data[..len]));
            assert_eq!(update_table(0, &data[..len]), bytewise(0, &data[..len]));
        }
        // Feeding in pieces gives the same answer as one call.
        let mut crc = 0;
        for piece in data.chunks(13) {
            crc = update(crc, piece);
        }
        assert_eq!(crc, crc64(&data));
    }

    /// Polynomials over GF(2) as coefficient vectors (index = degree), by
    /// schoolbook long division: nothing shared with the shift-register code
    /// that computes the constants.
    fn poly_divmod(num: &[bool], den: &[bool]) -> (Vec<bool>, Vec<bool>) {
        let d = den.len() - 1;
        assert!(den[d]);
        let mut rem = num.to_vec();
        let mut quot = vec![false; num.len().saturating_sub(d).max(1)];
        for i in (d..num.len()).rev() {
            if rem[i] {
                quot[i - d] = true;
                for (j, &c) in den.iter().enumerate() {
                    rem[i - d + j] ^= c;
                }
            }
        }
        rem.truncate(d);
        (quot, rem)
    }

    /// The 64 coefficients below x^64 of `p`, reflected (x^63 in bit 0).
    fn reflected(p: &[bool]) -> u64 {
        (0..64).fold(0, |r, deg| match p.get(deg) {
            Some(true) => r | 1 << (63 - deg),
            _ => r,
        })
    }

    fn x_pow(n: usize) -> Vec<bool> {
        let mut p = vec![false; n + 1];
        p[n] = true;
        p
    }

    #[test]
    fn constants_follow_from_polynomial() {
        // 0xad93d23594c935a9 has x^63 in its top bit, plus the implied x^64.
        let p: Vec<bool> = (0..=64)
            .map(|deg| deg == 64 || POLY >> deg & 1 == 1)
            .collect();
        assert_eq!(POLY_REFLECTED, 0x95ac_9329_ac4b_c9b5);
        let xmod = |n: usize| reflected(&poly_divmod(&x_pow(n), &p).1);
        for n in [0, 1, 63, 64, 65, 127, 191, 200, 511, 575] {
            assert_eq!(xpow_mod(n as u32), xmod(n), "x^{n} mod P");
        }
        let (mu, _) = poly_divmod(&x_pow(128), &p);
        assert_eq!(mu.len(), 65);
        assert!(mu[64]);
        assert_eq!(barrett_mu(), reflected(&mu));
        // The table's byte 1 is x^7 * x^64 mod P by definition.
        assert_eq!(TABLES[0][1], xmod(71));
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(clmul::FOLD_512, (xmod(575), xmod(511)));
            assert_eq!(clmul::FOLD_128, (xmod(191), xmod(127)));
            assert_eq!(clmul::MU, reflected(&mu));
        }
    }

    /// Calls the folding path directly, whatever the length, when the CPU
    /// has it; `None` otherwise.
    #[cfg(target_arch = "x86_64")]
    fn clmul_update(crc: u64, data: &[u8]) -> Option<u64> {
        if !clmul::available() {
            return None;
        }
        // SAFETY: available() saw PCLMULQDQ and SSE4.1.
        Some(unsafe { clmul::update(crc, data) })
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn clmul_matches_bytewise() {
        if clmul_update(0, b"").is_none() {
            eprintln!("no PCLMULQDQ on this CPU; folding path not tested");
            return;
        }
        let starts = [0, !0, 0xe9c6_d914_c4b8_d9ca, 0x8000_0000_0000_0001];
        let buf = noise(7, (1 << 20) + 3 + 16);
        for len in 0..=600 {
            for offset in 0..16 {
                let data = &buf[offset..offset + len];
                let crc = starts[(len + offset) % starts.len()];
                assert_eq!(
                    clmul_update(crc, data),
                    Some(bytewise(crc, data)),
                    "len {len} offset {offset} crc {crc:#x}"
                );
            }
        }
        for len in [4096, 65537, (1 << 20) + 3] {
            for (i, offset) in [1, 8, 15].into_iter().enumerate() {
                let data = &buf[offset..offset + len];
                let crc = starts[i];
                assert_eq!(
                    clmul_update(crc, data),
                    Some(bytewise(crc, data)),
                    "len {len}"
                );
            }
        }
        assert_eq!(crc64(&buf), bytewise(0, &buf));
    }

    #[test]
    fn pieces_of_any_size_match_one_call() {
        let data = noise(42, 300_000);
        let whole = crc64(&data);
        assert_eq!(whole, update_table(0, &data));
        let mut sizes = noise(9, 4096).into_iter().cycle();
        for round in 0..20 {
            // Mostly small pieces, now and then a large one.
            let mut crc = 0;
            let mut rest = &data[..];
            while !rest.is_empty() {
                let s = sizes.next().unwrap() as usize;
                let n = if s < 16 { s * 997 + round } else { s };
                let (piece, tail) = rest.split_at(n.min(rest.len()));
                crc = update(crc, piece);
                rest = tail;
            }
            assert_eq!(crc, whole, "round {round}");
        }
    }
}
