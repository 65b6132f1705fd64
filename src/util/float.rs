//! Floating point with Redis's exact rules: `strtod`/`strtold` parsing,
//! `%.17g` and `%.17Lf` formatting as glibc prints them, and x87 long
//! doubles for INCRBYFLOAT. Decimal conversion is exact (a small big-integer
//! implementation), so results match C's digit for digit.

use std::cmp::Ordering;

use super::write_u64;

// ---------------------------------------------------------------------------
// Big integers (private): just enough arithmetic for exact conversions.
// ---------------------------------------------------------------------------

/// Base 10^9 limb, used to turn `m * 2^e` into decimal digits.
const DEC_BASE: u64 = 1_000_000_000;

/// Little-endian base-10^9 number times a factor below 2^32, in place.
fn dec_mul_small(n: &mut Vec<u32>, f: u32) {
    let mut carry: u64 = 0;
    for limb in n.iter_mut() {
        let x = u64::from(*limb) * u64::from(f) + carry;
        *limb = (x % DEC_BASE) as u32;
        carry = x / DEC_BASE;
    }
    while carry > 0 {
        n.push((carry % DEC_BASE) as u32);
        carry /= DEC_BASE;
    }
}

/// Exact decimal expansion of `m * 2^e2`.
///
/// Returns the significant digits (ASCII, no leading or trailing zeros,
/// empty for zero) and `point`, the count of digits before the decimal
/// point: the value is `0.DIGITS * 10^point`.
fn exact_decimal(m: u64, e2: i32) -> (Vec<u8>, i32) {
    if m == 0 {
        return (Vec::new(), 0);
    }
    let mut n: Vec<u32> = Vec::with_capacity(4);
    let mut mm = m;
    while mm > 0 {
        n.push((mm % DEC_BASE) as u32);
        mm /= DEC_BASE;
    }
    // m * 2^-k == m * 5^k / 10^k, so negative exponents only shift the
    // decimal point after multiplying by 5^k.
    let (mut rem, factor_chunk, chunk_pow, small) = if e2 >= 0 {
        (e2 as u32, 1u32 << 31, 31u32, 2u32)
    } else {
        (e2.unsigned_abs(), 1_220_703_125u32, 13u32, 5u32) // 5^13
    };
    while rem >= chunk_pow {
        dec_mul_small(&mut n, factor_chunk);
        rem -= chunk_pow;
    }
    if rem > 0 {
        dec_mul_small(&mut n, small.pow(rem));
    }
    let mut digits = Vec::with_capacity(n.len() * 9);
    if let Some((top, rest)) = n.split_last() {
        write_u64(&mut digits, u64::from(*top));
        for limb in rest.iter().rev() {
            let s = u64::from(*limb);
            let mut d = [b'0'; 9];
            let mut v = s;
            for slot in d.iter_mut().rev() {
                *slot = b'0' + (v % 10) as u8;
                v /= 10;
            }
            digits.extend_from_slice(&d);
        }
    }
    let total = digits.len() as i32;
    let point = if e2 >= 0 { total } else { total + e2 };
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, point)
}

/// Rounds `0.DIGITS * 10^point` so that only the first `cut` digits of
/// `digits` remain (`cut` may be <= 0 or past the end), half to even like
/// glibc printf. Returns the new digits (trailing zeros stripped) and point.
fn round_digits(digits: &[u8], point: i32, cut: i64) -> (Vec<u8>, i32) {
    let len = digits.len() as i64;
    if cut >= len {
        return (digits.to_vec(), point);
    }
    if cut < 0 {
        // The first dropped position is a leading zero: below one half.
        return (Vec::new(), point);
    }
    let cut = cut as usize;
    let next = digits[cut];
    let rest_nonzero = digits[cut + 1..].iter().any(|&d| d != b'0');
    let prev_odd = cut > 0 && (digits[cut - 1] - b'0') % 2 == 1;
    let up = next > b'5' || (next == b'5' && (rest_nonzero || prev_odd));
    let mut kept = digits[..cut].to_vec();
    let mut point = point;
    if up {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                point += 1;
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    while kept.last() == Some(&b'0') {
        kept.pop();
    }
    (kept, point)
}

/// Digit at position `i` of `0.DIGITS` (zero outside the stored digits).
fn digit_at(digits: &[u8], i: i64) -> u8 {
    if i >= 0 && (i as usize) < digits.len() {
        digits[i as usize]
    } else {
        b'0'
    }
}

/// printf `%.{prec}f` of the non-negative value `m * 2^e2` (no sign).
fn write_fixed(out: &mut Vec<u8>, m: u64, e2: i32, prec: usize) {
    let (digits, point) = exact_decimal(m, e2);
    let (digits, point) = round_digits(&digits, point, i64::from(point) + prec as i64);
    if digits.is_empty() || point <= 0 {
        out.push(b'0');
    } else {
        for i in 0..i64::from(point) {
            out.push(digit_at(&digits, i));
        }
    }
    if prec > 0 {
        out.push(b'.');
        for i in 0..prec as i64 {
            out.push(digit_at(&digits, i64::from(point) + i));
        }
    }
}

/// printf `%.{prec}g` of the non-negative value `m * 2^e2` (no sign).
fn write_general(out: &mut Vec<u8>, m: u64, e2: i32, prec: usize) {
    let prec = prec.max(1);
    let (digits, point) = exact_decimal(m, e2);
    if digits.is_empty() {
        out.push(b'0');
        return;
    }
    let (digits, point) = round_digits(&digits, point, prec as i64);
    let x = i64::from(point) - 1; // exponent of the leading digit
    if x < -4 || x >= prec as i64 {
        // %e form; `digits` already has trailing zeros removed, which is
        // what %g's default (no '#') asks for.
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if x < 0 { b'-' } else { b'+' });
        if x.abs() < 10 {
            out.push(b'0');
        }
        write_u64(out, x.unsigned_abs());
    } else {
        let p = i64::from(point);
        if p <= 0 {
            out.push(b'0');
        } else {
            for i in 0..p {
                out.push(digit_at(&digits, i));
            }
        }
        let frac_end = digits.len() as i64; // trailing zeros already gone
        if frac_end > p {
            out.push(b'.');
            for i in p..frac_end {
                out.push(digit_at(&digits, i));
            }
        }
    }
}

/// Little-endian base-2^32 unsigned integer for exact parsing.
#[derive(Clone, Debug)]
struct BigBin(Vec<u32>);

impl BigBin {
    fn from_u64(v: u64) -> BigBin {
        let mut b = BigBin(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
    fn mul_add_small(&mut self, f: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in self.0.iter_mut() {
            let x = u64::from(*limb) * u64::from(f) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }
    fn mul_pow10(&mut self, mut k: u32) {
        while k >= 9 {
            self.mul_add_small(1_000_000_000, 0);
            k -= 9;
        }
        if k > 0 {
            self.mul_add_small(10u32.pow(k), 0);
        }
    }
    fn bit_len(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }
    fn shl(&mut self, bits: u64) {
        if self.is_zero() || bits == 0 {
            return;
        }
        let words = (bits / 32) as usize;
        let b = (bits % 32) as u32;
        if b > 0 {
            let mut carry = 0u32;
            for limb in self.0.iter_mut() {
                let nv = (*limb << b) | carry;
                carry = *limb >> (32 - b);
                *limb = nv;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if words > 0 {
            self.0.splice(0..0, std::iter::repeat_n(0u32, words));
        }
    }
    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.0.iter_mut().rev() {
            let nv = (*limb >> 1) | carry;
            carry = *limb << 31;
            *limb = nv;
        }
        self.trim();
    }
    fn cmp(&self, o: &BigBin) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
    /// self -= o; requires self >= o.
    fn sub(&mut self, o: &BigBin) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = i64::from(*limb) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            if x < 0 {
                *limb = (x + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                *limb = x as u32;
                borrow = 0;
            }
        }
        self.trim();
    }
}

/// A binary floating-point format: mantissa width (with the leading bit)
/// and exponent range, expressed through the weight of the mantissa's
/// lowest bit.
#[derive(Clone, Copy)]
struct FloatFormat {
    /// Mantissa bits including the leading one (53 for f64, 64 for x87).
    mant_bits: u32,
    /// Exponent of the lowest mantissa bit of the smallest denormal.
    min_lsb: i64,
    /// Largest exponent of the leading bit of a finite value.
    max_exp: i64,
}

const F64_FORMAT: FloatFormat = FloatFormat {
    mant_bits: 53,
    min_lsb: -1074,
    max_exp: 1023,
};
const X87_FORMAT: FloatFormat = FloatFormat {
    mant_bits: 64,
    min_lsb: -16445,
    max_exp: 16383,
};

/// Result of rounding an exact ratio into a float format.
#[derive(Debug, PartialEq)]
enum Rounded {
    /// Rounded to zero (underflow if the ratio was not zero).
    Zero,
    /// Overflowed the format's range.
    Inf,
    /// `mant * 2^lsb`, mant below 2^mant_bits.
    Finite(u64, i64),
}

/// Rounds `num / den * 2^bin_exp` (num, den > 0) to `fmt`, half to even,
/// with gradual underflow: the rounding glibc's strtod/strtold perform.
fn round_ratio(mut num: BigBin, mut den: BigBin, bin_exp: i64, fmt: FloatFormat) -> Rounded {
    // Scale so that q = num * 2^s / den lands in [2^(want-2), 2^want).
    let want = i64::from(fmt.mant_bits) + 2;
    let d = num.bit_len() as i64 - den.bit_len() as i64;
    let s = want - 1 - d;
    if s >= 0 {
        num.shl(s as u64);
    } else {
        den.shl((-s) as u64);
    }
    // Restoring long division, one quotient bit at a time.
    let mut q: u128 = 0;
    let mut shifted = den.clone();
    shifted.shl(want as u64);
    for i in (0..=want).rev() {
        if num.cmp(&shifted) != Ordering::Less {
            num.sub(&shifted);
            q |= 1u128 << i;
        }
        shifted.shr1();
    }
    let rem_nonzero = !num.is_zero();
    // q's bit i weighs 2^(i - s + bin_exp).
    let scale = bin_exp - s;
    let qbits = 128 - i64::from(q.leading_zeros());
    let top = qbits - 1 + scale;
    let lsb = (top - i64::from(fmt.mant_bits) + 1).max(fmt.min_lsb);
    let drop = lsb - scale; // >= 1 by construction of `want`
    let (mut mant, mut lsb) = if drop >= 128 {
        (0u128, lsb)
    } else {
        let drop = drop.max(1) as u32;
        let mant = q >> drop;
        let rbit = (q >> (drop - 1)) & 1 == 1;
        let sticky = rem_nonzero || (q & ((1u128 << (drop - 1)) - 1)) != 0;
        let up = rbit && (sticky || mant & 1 == 1);
        (mant + u128::from(up), lsb)
    };
    if mant >> fmt.mant_bits != 0 {
        mant >>= 1;
        lsb += 1;
    }
    if mant == 0 {
        return Rounded::Zero;
    }
    let lead = lsb + 127 - i64::from(mant.leading_zeros());
    if lead > fmt.max_exp {
        return Rounded::Inf;
    }
    Rounded::Finite(mant as u64, lsb)
}

// ---------------------------------------------------------------------------
// strtod / strtold syntax
// ---------------------------------------------------------------------------

/// What a float literal spelled, before conversion.
enum FloatLit<'a> {
    /// `inf` or `infinity`, any case.
    Inf,
    /// Decimal: integer digits, fraction digits, decimal exponent.
    Dec(&'a [u8], &'a [u8], i64),
    /// Hex (`0x`): integer digits, fraction digits, binary exponent.
    Hex(&'a [u8], &'a [u8], i64),
}

/// Splits a whole string the way glibc strtod reads it, requiring that
/// strtod would consume every byte (Redis checks `eptr` against the
/// length). Returns the sign and the literal, or `None` if strtod would
/// stop early, read nothing, or read a NaN (which Redis rejects anyway).
fn lex_float(s: &[u8]) -> Option<(bool, FloatLit<'_>)> {
    // strtod skips leading white space but Redis refuses it explicitly,
    // and no white space is allowed anywhere else.
    let (neg, body) = match s.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, s),
    };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Some((neg, FloatLit::Inf));
    }
    let hex = body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x';
    let (is_digit, exp_char): (fn(&u8) -> bool, u8) = if hex {
        (u8::is_ascii_hexdigit, b'p')
    } else {
        (u8::is_ascii_digit, b'e')
    };
    let rest = if hex { &body[2..] } else { body };
    let int_len = rest.iter().take_while(|c| is_digit(c)).count();
    let int = &rest[..int_len];
    let mut i = int_len;
    let mut frac: &[u8] = &[];
    if rest.get(i) == Some(&b'.') {
        let n = rest[i + 1..].iter().take_while(|c| is_digit(c)).count();
        frac = &rest[i + 1..i + 1 + n];
        i += 1 + n;
    }
    if int.is_empty() && frac.is_empty() {
        // "0x" without digits is read by strtod as "0" followed by
        // garbage, and "." or "" are no number at all: both rejected.
        return None;
    }
    let mut exp: i64 = 0;
    if i < rest.len() && (rest[i] | 0x20) == exp_char {
        let e = &rest[i + 1..];
        let (eneg, edigits) = match e.split_first() {
            Some((b'-', r)) => (true, r),
            Some((b'+', r)) => (false, r),
            _ => (false, e),
        };
        if edigits.is_empty() || !edigits.iter().all(u8::is_ascii_digit) {
            // Either strtod leaves the exponent unread (garbage follows)
            // or garbage follows its digits: Redis rejects both.
            return None;
        }
        for &c in edigits {
            // Saturate: beyond this the value is 0 or inf whatever the
            // digits are, and the conversion clamps accordingly.
            exp = (exp * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        if eneg {
            exp = -exp;
        }
        i = rest.len();
    }
    if i != rest.len() {
        return None;
    }
    Some((
        neg,
        if hex {
            FloatLit::Hex(int, frac, exp)
        } else {
            FloatLit::Dec(int, frac, exp)
        },
    ))
}

/// Exact value of a literal rounded into `fmt`, or `Rounded::Inf` for the
/// spelled-out infinity. The `bool` tells whether the literal's digits were
/// all zero (an exact zero, which strtod does not flag as an underflow).
fn convert_lit(lit: &FloatLit<'_>, fmt: FloatFormat) -> (Rounded, bool) {
    match *lit {
        FloatLit::Inf => (Rounded::Inf, false),
        FloatLit::Dec(int, frac, exp) => {
            let all = int.iter().chain(frac.iter());
            let mut num = BigBin(Vec::new());
            let mut nd: i64 = 0; // significant digits taken into num
            let mut chunk = 0u32;
            let mut chunk_len = 0u32;
            for &c in all {
                let d = u32::from(c - b'0');
                if nd == 0 && d == 0 {
                    continue; // leading zero
                }
                nd += 1;
                chunk = chunk * 10 + d;
                chunk_len += 1;
                if chunk_len == 9 {
                    num.mul_add_small(1_000_000_000, chunk);
                    chunk = 0;
                    chunk_len = 0;
                }
            }
            if nd == 0 {
                return (Rounded::Zero, true);
            }
            num.mul_add_small(10u32.pow(chunk_len), chunk);
            // value = num * 10^e10 where e10 accounts for the digits after
            // the point (leading zeros of a pure fraction included).
            let frac_len = frac.len() as i64;
            let e10 = exp - frac_len;
            // Leading digit's decimal exponent: cheap range checks keep
            // absurd exponents from building huge powers of ten.
            let lead10 = nd - 1 + e10;
            let max10 = (fmt.max_exp as f64 * std::f64::consts::LOG10_2) as i64 + 1;
            let min10 = (fmt.min_lsb as f64 * std::f64::consts::LOG10_2) as i64 - 2;
            if lead10 > max10 {
                return (Rounded::Inf, false);
            }
            if lead10 < min10 {
                return (Rounded::Zero, false);
            }
            let (n, d) = if e10 >= 0 {
                num.mul_pow10(e10 as u32);
                (num, BigBin::from_u64(1))
            } else {
                let mut den = BigBin::from_u64(1);
                den.mul_pow10((-e10) as u32);
                (num, den)
            };
            (round_ratio(n, d, 0, fmt), false)
        }
        FloatLit::Hex(int, frac, exp) => {
            let mut num = BigBin(Vec::new());
            let mut seen = false;
            let mut frac_bits: i64 = 0;
            for (k, &c) in int.iter().chain(frac.iter()).enumerate() {
                let d = (c as char).to_digit(16).unwrap_or(0);
                if k >= int.len() {
                    frac_bits += 4;
                }
                if !seen && d == 0 {
                    continue;
                }
                seen = true;
                num.mul_add_small(16, d);
            }
            if !seen {
                return (Rounded::Zero, true);
            }
            let e2 = exp - frac_bits;
            let lead = num.bit_len() as i64 - 1 + e2;
            if lead > fmt.max_exp + 1 {
                return (Rounded::Inf, false);
            }
            if lead < fmt.min_lsb - 2 {
                return (Rounded::Zero, false);
            }
            (round_ratio(num, BigBin::from_u64(1), e2, fmt), false)
        }
    }
}

// ---------------------------------------------------------------------------
// Doubles
// ---------------------------------------------------------------------------

/// Redis `string2d` (what `getDoubleFromObject` uses for ZADD scores,
/// ZINCRBY, ZRANGEBYSCORE bounds' numbers, ...).
///
/// The whole string must be a glibc `strtod` literal: optional sign,
/// decimal or `0x` hex digits with optional fraction and exponent, or
/// `inf`/`infinity` in any case. Rejected: empty input, any white space,
/// trailing bytes (an embedded NUL included), NaN in any spelling, and
/// results that overflow to infinity or underflow to zero (strtod's
/// ERANGE). Denormal results are accepted, as in Redis.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let (neg, lit) = lex_float(s)?;
    let sign = if neg { -1.0 } else { 1.0 };
    if let FloatLit::Dec(..) = lit {
        // Fast path: Rust's parser is correctly rounded (round half to
        // even) just like glibc, and the lexer already checked the syntax.
        let text = std::str::from_utf8(s).ok()?;
        let v: f64 = text.parse().ok()?;
        if v.is_infinite() {
            return None; // overflow; a spelled-out inf is FloatLit::Inf
        }
        if v == 0.0 {
            let FloatLit::Dec(int, frac, _) = lit else {
                return None;
            };
            if int.iter().chain(frac.iter()).any(|&c| c != b'0') {
                return None; // underflow to zero
            }
        }
        return Some(v);
    }
    match convert_lit(&lit, F64_FORMAT) {
        (Rounded::Inf, _) if matches!(lit, FloatLit::Inf) => Some(sign * f64::INFINITY),
        (Rounded::Inf, _) => None,
        (Rounded::Zero, true) => Some(sign * 0.0),
        (Rounded::Zero, false) => None,
        (Rounded::Finite(m, lsb), _) => Some(sign * compose_f64(m, lsb)),
    }
}

/// Builds the f64 `m * 2^lsb`, known to be representable exactly.
fn compose_f64(m: u64, lsb: i64) -> f64 {
    // Scale in steps that keep every intermediate exact: m has at most 53
    // bits, so multiplying by powers of two only moves the exponent until
    // the final step lands on the (possibly denormal) result.
    let mut v = m as f64;
    let mut e = lsb;
    while e > 0 {
        let step = e.min(1000);
        v *= f64::from_bits(((1023 + step) as u64) << 52);
        e -= step;
    }
    while e < 0 {
        // Stop halving in big steps before the denormal range so the last
        // multiplication is the only one that can land on a denormal.
        let step = (-e).min(1000);
        v *= f64::from_bits(((1023 - step) as u64) << 52);
        e += step;
    }
    v
}

/// Appends what Redis 7.0 replies for a double in RESP2 and RESP3:
/// `inf`, `-inf`, else C's `%.17g` (`0.10000000000000001`, `1e+300`,
/// `-0`, `5`, `1.4999999999999999e-07`). NaN, which Redis never replies,
/// prints as glibc would (`nan`/`-nan`).
pub fn format_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_nan() {
        out.extend_from_slice(if v.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        return;
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let a = v.abs();
    if a.is_infinite() {
        out.extend_from_slice(b"inf");
        return;
    }
    // Fast path: small integers print as themselves under %.17g.
    if a < 1e15 && a == a.trunc() {
        write_u64(out, a as u64);
        return;
    }
    let (m, e2) = decode_f64(a);
    write_general(out, m, e2, 17);
}

/// RESP3 double body (the text after `,`). Redis 7.0 formats it with the
/// same `%.17g` and the same `inf`/`-inf` spellings as RESP2, so this is
/// [`format_f64`] under the name the RESP3 encoder looks for.
pub fn format_f64_resp3(out: &mut Vec<u8>, v: f64) {
    format_f64(out, v);
}

/// Splits a finite non-negative f64 into `m * 2^e2`.
fn decode_f64(a: f64) -> (u64, i32) {
    let bits = a.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    }
}

/// C `printf("%.{prec}f", v)` for finite `v` (glibc rounding), appended.
pub fn format_f64_fixed(out: &mut Vec<u8>, v: f64, prec: usize) {
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let (m, e2) = decode_f64(v.abs());
    write_fixed(out, m, e2, prec);
}

// ---------------------------------------------------------------------------
// Long doubles (INCRBYFLOAT, HINCRBYFLOAT)
// ---------------------------------------------------------------------------

/// A C `long double` as Redis sees it on x86_64 Linux: the x87 80-bit
/// extended format (1 sign bit, 15 exponent bits, 64-bit mantissa with an
/// explicit leading bit), stored as in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongDouble {
    /// Mantissa, leading bit explicit (set for normal numbers).
    mant: u64,
    /// Sign bit (0x8000) and biased exponent (bias 16383, 0x7fff = inf/nan).
    se: u16,
}

/// Longest string `string2ld` accepts is one byte shorter than this
/// (MAX_LONG_DOUBLE_CHARS, 5 KiB, room for the terminating NUL).
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

impl LongDouble {
    /// Positive zero.
    pub const ZERO: LongDouble = LongDouble { mant: 0, se: 0 };

    /// Redis `string2ld`: the whole string as a glibc `strtold` literal
    /// (same syntax as [`parse_f64`]), rounded to 64 mantissa bits.
    /// Rejected: empty strings, 5120 bytes or more, white space, trailing
    /// bytes (embedded NUL included), NaN, overflow to infinity and
    /// underflow to zero. `inf`/`-inf` spelled out are accepted.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.len() >= MAX_LONG_DOUBLE_CHARS {
            return None;
        }
        let (neg, lit) = lex_float(s)?;
        let sign: u16 = if neg { 0x8000 } else { 0 };
        match convert_lit(&lit, X87_FORMAT) {
            (Rounded::Inf, _) if matches!(lit, FloatLit::Inf) => Some(LongDouble {
                mant: 1 << 63,
                se: sign | 0x7fff,
            }),
            (Rounded::Inf, _) => None,
            (Rounded::Zero, true) => Some(LongDouble { mant: 0, se: sign }),
            (Rounded::Zero, false) => None,
            (Rounded::Finite(m, lsb), _) => Some(Self::compose(neg, m, lsb)),
        }
    }

    /// Exact `m * 2^lsb` (m < 2^64, lsb >= -16445, in range), signed.
    fn compose(neg: bool, m: u64, lsb: i64) -> LongDouble {
        let sign: u16 = if neg { 0x8000 } else { 0 };
        if m == 0 {
            return LongDouble { mant: 0, se: sign };
        }
        // Normalise so the leading bit is bit 63, unless that would take
        // the exponent below the denormal floor.
        let lz = i64::from(m.leading_zeros());
        let room = lsb - X87_FORMAT.min_lsb; // how far we may shift left
        let shift = lz.min(room).max(0);
        let mant = m << shift;
        let lsb = lsb - shift;
        let biased = if mant >> 63 == 1 { lsb + 63 + 16383 } else { 0 };
        LongDouble {
            mant,
            se: sign | (biased.clamp(0, 0x7ffe) as u16),
        }
    }

    /// Exact conversion from an integer (C's `(long double)ll`, which is
    /// exact because the mantissa has 64 bits).
    pub fn from_i64(v: i64) -> LongDouble {
        Self::compose(v < 0, v.unsigned_abs(), 0)
    }

    /// Exact conversion from a double (every f64 fits in 80 bits).
    pub fn from_f64(v: f64) -> LongDouble {
        let neg = v.is_sign_negative();
        if v.is_nan() {
            return LongDouble {
                mant: 0xc000_0000_0000_0000,
                se: 0x7fff | if neg { 0x8000 } else { 0 },
            };
        }
        if v.is_infinite() {
            return LongDouble {
                mant: 1 << 63,
                se: 0x7fff | if neg { 0x8000 } else { 0 },
            };
        }
        let (m, e2) = decode_f64(v.abs());
        Self::compose(neg, m, i64::from(e2))
    }

    /// Builds a value from its 10-byte memory image (little-endian
    /// mantissa, then sign/exponent).
    pub fn from_bytes(b: [u8; 10]) -> LongDouble {
        let mut m = [0u8; 8];
        m.copy_from_slice(&b[..8]);
        LongDouble {
            mant: u64::from_le_bytes(m),
            se: u16::from_le_bytes([b[8], b[9]]),
        }
    }

    /// The 10-byte memory image, as `fstp tbyte` writes it.
    pub fn to_bytes(self) -> [u8; 10] {
        let mut b = [0u8; 10];
        b[..8].copy_from_slice(&self.mant.to_le_bytes());
        b[8..].copy_from_slice(&self.se.to_le_bytes());
        b
    }

    /// True unless infinite or NaN (Redis: `!isnan(v) && !isinf(v)`).
    pub fn is_finite(&self) -> bool {
        self.se & 0x7fff != 0x7fff
    }

    /// True for NaN (exponent all ones, fraction bits nonzero).
    pub fn is_nan(&self) -> bool {
        !self.is_finite() && self.mant << 1 != 0
    }

    fn is_negative(&self) -> bool {
        self.se & 0x8000 != 0
    }

    /// `(m, e2)` with value `m * 2^e2` for finite values (sign dropped).
    fn decode(&self) -> (u64, i32) {
        let biased = i32::from(self.se & 0x7fff);
        if biased == 0 {
            (self.mant, -16445)
        } else {
            (self.mant, biased - 16383 - 63)
        }
    }

    /// `self + other` in C `long double` arithmetic: on x86_64 this runs
    /// on the x87 unit, whose default precision control on Linux is the
    /// full 64-bit mantissa, so the result (inf/NaN included) is the one
    /// Redis computes. Elsewhere it falls back to f64 arithmetic, which
    /// loses the extra 11 bits; see [`LongDouble::add_f64_fallback`].
    // The server is written against an inherent `add` (no trait import
    // needed); `std::ops::Add` is implemented too and delegates here.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: LongDouble) -> LongDouble {
        #[cfg(target_arch = "x86_64")]
        {
            let a = self.to_bytes();
            let b = other.to_bytes();
            let mut r = [0u8; 10];
            // SAFETY: the three pointers address live, properly sized
            // 10-byte buffers (`tbyte`); the x87 stack is left as found
            // (two loads, one pop by faddp, one pop by fstp) and the
            // registers we touch are declared clobbered. The asm does not
            // touch the Rust stack.
            unsafe {
                std::arch::asm!(
                    "fld tbyte ptr [{a}]",
                    "fld tbyte ptr [{b}]",
                    "faddp st(1), st",
                    "fstp tbyte ptr [{r}]",
                    a = in(reg) a.as_ptr(),
                    b = in(reg) b.as_ptr(),
                    r = in(reg) r.as_mut_ptr(),
                    out("st(0)") _,
                    out("st(1)") _,
                    options(nostack),
                );
            }
            LongDouble::from_bytes(r)
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.add_f64_fallback(other)
        }
    }

    /// Portable approximation of [`LongDouble::add`]: round both operands
    /// to f64, add, widen back. Only used off x86_64, where `long double`
    /// differs anyway (a 128-bit quad on aarch64 Linux).
    pub fn add_f64_fallback(self, other: LongDouble) -> LongDouble {
        LongDouble::from_f64(self.to_f64() + other.to_f64())
    }

    /// Rounds to the nearest f64 (half to even, like C's conversion).
    pub fn to_f64(&self) -> f64 {
        let sign = if self.is_negative() { -1.0 } else { 1.0 };
        if self.is_nan() {
            return f64::NAN;
        }
        if !self.is_finite() {
            return sign * f64::INFINITY;
        }
        let (m, e2) = self.decode();
        if m == 0 {
            return sign * 0.0;
        }
        match round_ratio(
            BigBin::from_u64(m),
            BigBin::from_u64(1),
            i64::from(e2),
            F64_FORMAT,
        ) {
            Rounded::Zero => sign * 0.0,
            Rounded::Inf => sign * f64::INFINITY,
            Rounded::Finite(m, lsb) => sign * compose_f64(m, lsb),
        }
    }

    /// Redis `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing zeros
    /// and a trailing `.` removed, and `-0` turned into `0`. Infinities are
    /// `inf`/`-inf` and NaN is `nan`, spelled explicitly as Redis does.
    /// Large values print every integer digit (up to ~4933 of them).
    pub fn format_human(&self, out: &mut Vec<u8>) {
        if self.special(out) {
            return;
        }
        let start = out.len();
        if self.is_negative() {
            out.push(b'-');
        }
        let (m, e2) = self.decode();
        write_fixed(out, m, e2, 17);
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
        if &out[start..] == b"-0" {
            out.truncate(start);
            out.push(b'0');
        }
    }

    /// Redis `ld2string(..., LD_STR_AUTO)`: `%.17Lg`, with the same
    /// explicit `inf`/`-inf`/`nan` spellings.
    pub fn format_auto(&self, out: &mut Vec<u8>) {
        if self.special(out) {
            return;
        }
        if self.is_negative() {
            out.push(b'-');
        }
        let (m, e2) = self.decode();
        write_general(out, m, e2, 17);
    }

    /// Writes inf/nan spellings; returns false for finite values.
    fn special(&self, out: &mut Vec<u8>) -> bool {
        if self.is_nan() {
            out.extend_from_slice(b"nan");
        } else if !self.is_finite() {
            out.extend_from_slice(if self.is_negative() { b"-inf" } else { b"inf" });
        } else {
            return false;
        }
        true
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    fn add(self, other: LongDouble) -> LongDouble {
        LongDouble::add(self, other)
    }
}
