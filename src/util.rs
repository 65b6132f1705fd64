//! Number parsing and formatting with Redis's exact rules, glob matching,
//! clocks and random ids.
//!
//! Almost everything a client sends is a byte string, and many commands
//! turn some of those strings into numbers and numbers back into strings.
//! Clients (and the Tcl test suite) notice every difference, so this file
//! reproduces Redis 7.0's C routines to the byte rather than using Rust's
//! own conversions:
//!
//! * integers: `string2ll` (no sign but `-`, no leading zeros, no spaces)
//!   and `ll2string`;
//! * doubles: `string2d` (glibc `strtod` over the whole string, NaN
//!   rejected) for ZADD-style scores, and `%.17g` for replies, which is what
//!   `addReplyDouble` prints in 7.0 (later versions print a shorter
//!   round-trip form; 7.0 does not, so `ZSCORE` of 0.1 is
//!   `0.10000000000000001`);
//! * long doubles: INCRBYFLOAT and HINCRBYFLOAT compute in C `long double`,
//!   the x87 80-bit extended format on x86_64, parse with `strtold` and
//!   print with `%.17Lf` minus trailing zeros. That is why `10.5 + 0.1`
//!   answers `10.6` in Redis while plain f64 would print
//!   `10.59999999999999964`. [`LongDouble`] keeps the 80-bit value; the
//!   addition itself runs on the x87 unit, everything else is done here in
//!   software so the result does not depend on the C library.
//!
//! Decimal conversion is exact: a binary float is `m * 2^e`, whose decimal
//! expansion is finite, so we expand it with a tiny base-10^9 big integer
//! and round the digit string half-to-even the way glibc's printf does in
//! the default rounding mode. Parsing goes the other way with a base-2^32
//! big integer: the decimal input becomes an exact ratio, one long division
//! yields the mantissa plus a sticky bit, and rounding is half-to-even with
//! gradual underflow, which is what glibc's `strtod`/`strtold` produce. The
//! big integers are only as large as the input forces (Redis caps
//! long-double strings at 5 KiB), so no input can make us allocate much or
//! loop for long.
//!
//! [`string_match`] is `stringmatchlen` as of 7.0.15, including its quirks
//! (signed-char ranges, unterminated classes) and the two guards added for
//! CVE-2022-36021: a recursion cap of 1000 nested stars and the
//! "skip longer matches" early exit that keeps `*a*a*a*...b` linear-ish.
//!
//! Nothing here panics on any input: these functions are fed by the
//! network. Callers: `cmd::*` (argument parsing, replies), `config`
//! (memory sizes), `repl` (run ids), `server` (clocks, INFO).

use std::cmp::Ordering;
use std::io::Read;

// ---------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------

/// Redis `string2ll`: parse a whole byte string as a signed 64-bit integer.
///
/// Accepts only `-?[1-9][0-9]*` or exactly `0`: no `+`, no spaces, no
/// leading zeros, and `-0` is rejected, as in Redis. Returns `None` on any
/// other input, including empty strings, strings of 21+ bytes and values
/// outside `i64`.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    // Redis refuses anything that cannot fit LONG_STR_SIZE (21) up front.
    if s.is_empty() || s.len() >= 21 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let v = parse_digits_no_leading_zero(digits)?;
    if negative {
        if v > i64::MIN.unsigned_abs() {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Unsigned sibling of [`parse_i64`]: the same strict syntax (no sign at
/// all, no leading zeros, `0` alone allowed) over the whole `u64` range.
/// Used where Redis reads unsigned values such as replication offsets.
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() >= 21 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    parse_digits_no_leading_zero(s)
}

/// `[1-9][0-9]*` as u64 with overflow detection; `None` otherwise.
fn parse_digits_no_leading_zero(d: &[u8]) -> Option<u64> {
    match d.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &c in d {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// Number of bytes `write_u64` produces for `v`.
pub fn u64_len(v: u64) -> usize {
    let mut n = 1;
    let mut v = v;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Number of bytes `write_i64` produces for `v` (digits plus a `-`).
pub fn i64_len(v: i64) -> usize {
    u64_len(v.unsigned_abs()) + usize::from(v < 0)
}

/// Appends the decimal digits of `v` (Redis `ull2string`). No allocation
/// besides growing `out`: digits are produced into a stack buffer.
pub fn write_u64(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `v` in decimal (Redis `ll2string`), `i64::MIN` included.
pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

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

// ---------------------------------------------------------------------------
// Glob matching
// ---------------------------------------------------------------------------

/// Redis `stringmatchlen`: glob-style matching of `string` against `pattern`.
///
/// `*` any run, `?` one byte, `[abc]` `[^abc]` `[a-z]` classes (ranges may
/// be reversed; bytes >= 0x80 compare as C signed chars, as in Redis),
/// `\x` escapes outside and inside classes, an unterminated `[` is closed
/// by the end of the pattern. `nocase` folds ASCII letters only. Matching
/// an empty string only succeeds for an empty pattern (`*` alone is
/// special-cased by KEYS/SCAN callers in Redis, not here). Worst case is
/// bounded: recursion stops at 1000 nested stars and a failed tail match
/// stops the outer stars from retrying longer prefixes.
pub fn string_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, nocase, &mut skip_longer, 0)
}

/// C `tolower` in the C locale on a (signed) `char` promoted to int.
fn c_tolower(c: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

fn match_impl(pat: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: u32) -> bool {
    // Protection against abusive patterns (CVE-2022-36021).
    if nesting > 1000 {
        return false;
    }
    // The C code reads one byte past the pattern, where sds keeps a NUL.
    let at = |i: usize| pat.get(i).copied().unwrap_or(0);
    let same = |a: u8, b: u8| {
        if nocase {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let mut p = 0usize;
    let mut si = 0usize;
    while p < pat.len() && si < s.len() {
        match pat[p] {
            b'*' => {
                while at(p + 1) == b'*' {
                    p += 1;
                }
                if pat.len() - p == 1 {
                    return true;
                }
                while si < s.len() {
                    if match_impl(&pat[p + 1..], &s[si..], nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    si += 1;
                }
                // The rest of the pattern matches no suffix at all, so an
                // earlier star trying a longer prefix cannot help either.
                *skip_longer = true;
                return false;
            }
            b'?' => si += 1,
            b'[' => {
                p += 1;
                let not = at(p) == b'^';
                if not {
                    p += 1;
                }
                let c = s[si];
                let mut matched = false;
                loop {
                    let plen = pat.len() - p;
                    if at(p) == b'\\' && plen >= 2 {
                        p += 1;
                        // Escaped class members compare case-sensitively
                        // even under nocase, as in Redis.
                        if pat[p] == c {
                            matched = true;
                        }
                    } else if at(p) == b']' {
                        break;
                    } else if plen == 0 {
                        // Unterminated class: step back so the common
                        // advance below lands exactly at the end.
                        p -= 1;
                        break;
                    } else if plen >= 3 && at(p + 1) == b'-' {
                        let mut start = i32::from(pat[p] as i8);
                        let mut end = i32::from(pat[p + 2] as i8);
                        let mut ch = i32::from(c as i8);
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = c_tolower(start);
                            end = c_tolower(end);
                            ch = c_tolower(ch);
                        }
                        p += 2;
                        if ch >= start && ch <= end {
                            matched = true;
                        }
                    } else if same(pat[p], c) {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                si += 1;
            }
            b => {
                let mut b = b;
                if b == b'\\' && pat.len() - p >= 2 {
                    p += 1;
                    b = pat[p];
                }
                if !same(b, s[si]) {
                    return false;
                }
                si += 1;
            }
        }
        p += 1;
        if si == s.len() {
            while at(p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pat.len() && si == s.len()
}

// ---------------------------------------------------------------------------
// Clocks
// ---------------------------------------------------------------------------

/// Unix time in milliseconds (Redis `mstime`). Wall clock: may jump.
pub fn now_ms() -> i64 {
    now_us() / 1000
}

/// Unix time in microseconds (Redis `ustime`). Wall clock: may jump.
pub fn now_us() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
        // A clock set before 1970: report it as negative, like gettimeofday.
        Err(e) => -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
    }
}

/// Microseconds from an arbitrary fixed origin that never goes backwards
/// (Redis `getMonotonicUs`, CLOCK_MONOTONIC). For timeouts and durations.
pub fn monotonic_us() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC is
    // always available on the platforms we build for.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    if rc != 0 {
        return 0;
    }
    (ts.tv_sec as u64)
        .wrapping_mul(1_000_000)
        .wrapping_add(ts.tv_nsec as u64 / 1000)
}

// ---------------------------------------------------------------------------
// Random ids
// ---------------------------------------------------------------------------

/// Fills `buf` with unpredictable bytes from /dev/urandom. If that cannot
/// be read (chroot without /dev), falls back to std's randomly keyed
/// SipHash over time and a counter: not cryptographic, but unique enough
/// for run ids, which is all Redis needs them for.
pub fn random_bytes(buf: &mut [u8]) {
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        if f.read_exact(buf).is_ok() {
            return;
        }
    }
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering as AtOrd};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = std::collections::hash_map::RandomState::new();
    for chunk in buf.chunks_mut(8) {
        let mut h = state.build_hasher();
        h.write_u64(COUNTER.fetch_add(1, AtOrd::Relaxed));
        h.write_i64(now_us());
        h.write_u64(monotonic_us());
        h.write_u32(std::process::id());
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

/// `len` random lowercase hex characters (Redis `getRandomHexChars`), e.g.
/// the 40-character run_id and replication ids.
pub fn random_hex(len: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut raw = vec![0u8; len];
    random_bytes(&mut raw);
    raw.iter()
        .map(|&b| HEX[usize::from(b & 0x0f)] as char)
        .collect()
}

// ---------------------------------------------------------------------------
// Memory sizes
// ---------------------------------------------------------------------------

/// Redis `memtoull`: a config memory size such as `100mb`.
///
/// Digits followed by an optional unit, case-insensitive: `b` (1), `k`
/// (1000), `kb` (1024), `m` (10^6), `mb` (2^20), `g` (10^9), `gb` (2^30).
/// Like Redis, an empty number counts as 0 (`""` and `"kb"` are 0) and a
/// leading `-` is an error. Deviation: where Redis would silently wrap
/// `value * unit` or return ULLONG_MAX, we reject anything that does not
/// fit in `i64`.
pub fn parse_memory(s: &[u8]) -> Option<i64> {
    let ndigits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let (digits, unit) = s.split_at(ndigits);
    let mul: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits.len() >= 128 {
        return None; // Redis's digit buffer
    }
    let mut v: u64 = 0;
    for &c in digits {
        // strtoull accepts leading zeros here, unlike string2ll.
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    i64::try_from(v.checked_mul(mul)?).ok()
}

/// Redis `bytesToHuman` as used by INFO (`used_memory_human`): bytes below
/// 1024 as `123B`, then `%.2f` with K, M, G, T, P (powers of 1024), and
/// plain bytes again from 1024^6 up.
pub fn format_memory_human(bytes: u64) -> String {
    const UNITS: [(u64, u8); 5] = [
        (1 << 10, b'K'),
        (1 << 20, b'M'),
        (1 << 30, b'G'),
        (1 << 40, b'T'),
        (1 << 50, b'P'),
    ];
    let mut out = Vec::with_capacity(16);
    if !(1024..1 << 60).contains(&bytes) {
        write_u64(&mut out, bytes);
        out.push(b'B');
    } else {
        let mut unit = UNITS[0];
        for u in UNITS {
            if bytes >= u.0 {
                unit = u;
            }
        }
        format_f64_fixed(&mut out, bytes as f64 / unit.0 as f64, 2);
        out.push(unit.1);
    }
    String::from_utf8(out).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Argument splitting
// ---------------------------------------------------------------------------

/// Blank as C's isspace() sees it.
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Splits a line as Redis's `sdssplitargs` does: blanks separate arguments;
/// "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes; 'single
/// quotes' take only \'; a closing quote must be followed by a blank or the
/// end. Returns None for unbalanced quotes.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    // Redis works on C strings: an embedded NUL ends the line.
    let line = match line.iter().position(|&c| c == 0) {
        Some(n) => &line[..n],
        None => line,
    };
    let mut args = Vec::new();
    let mut i = 0;
    let at = |k: usize| line.get(k).copied().unwrap_or(0);
    loop {
        while i < line.len() && is_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return Some(args);
        }
        let (mut inq, mut insq) = (false, false);
        let mut cur = Vec::new();
        loop {
            let c = at(i);
            if inq {
                if c == b'\\'
                    && at(i + 1) == b'x'
                    && hex_val(at(i + 2)).is_some()
                    && hex_val(at(i + 3)).is_some()
                {
                    let hi = hex_val(at(i + 2)).unwrap_or(0);
                    let lo = hex_val(at(i + 3)).unwrap_or(0);
                    cur.push(hi * 16 + lo);
                    i += 3;
                } else if c == b'\\' && i + 1 < line.len() {
                    i += 1;
                    cur.push(match line[i] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if i + 1 < line.len() && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else if i >= line.len() {
                    return None;
                } else {
                    cur.push(c);
                }
            } else if insq {
                if c == b'\\' && at(i + 1) == b'\'' {
                    i += 1;
                    cur.push(b'\'');
                } else if c == b'\'' {
                    if i + 1 < line.len() && !is_space(line[i + 1]) {
                        return None;
                    }
                    i += 1;
                    break;
                } else if i >= line.len() {
                    return None;
                } else {
                    cur.push(c);
                }
            } else if i >= line.len() || matches!(c, b' ' | b'\n' | b'\r' | b'\t' | 0) {
                break;
            } else if c == b'"' {
                inq = true;
            } else if c == b'\'' {
                insq = true;
            } else {
                cur.push(c);
            }
            i += 1;
        }
        args.push(cur);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[u8]) -> String {
        String::from_utf8_lossy(v).into_owned()
    }

    #[test]
    fn parse_i64_follows_string2ll() {
        let ok: &[(&str, i64)] = &[
            ("0", 0),
            ("1", 1),
            ("-1", -1),
            ("99", 99),
            ("-99", -99),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for &(t, v) in ok {
            assert_eq!(parse_i64(t.as_bytes()), Some(v), "{t}");
        }
        let bad = [
            "",
            "-",
            "+1",
            " 1",
            "1 ",
            "01",
            "-0",
            "00",
            "-01",
            "1a",
            "1.0",
            "0x10",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "99999999999999999999",
            "000000000000000000001",
            "\u{0}1",
        ];
        for t in bad {
            assert_eq!(parse_i64(t.as_bytes()), None, "{t:?}");
        }
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"01"), None);
    }

    #[test]
    fn write_integers() {
        for v in [0, 1, -1, 9, 10, -10, 12345, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            write_i64(&mut out, v);
            assert_eq!(s(&out), v.to_string());
            assert_eq!(i64_len(v), out.len());
        }
        for v in [0, 9, 10, 99, 100, u64::MAX] {
            let mut out = b"x".to_vec();
            write_u64(&mut out, v);
            assert_eq!(s(&out), format!("x{v}"));
            assert_eq!(u64_len(v), out.len() - 1);
        }
    }

    #[test]
    fn parse_f64_follows_string2d() {
        // Accepted by `ZADD z <score> m` on Redis 7.0.15.
        let ok: &[(&str, f64)] = &[
            ("0.1", 0.1),
            ("1e300", 1e300),
            ("-0", -0.0),
            ("inf", f64::INFINITY),
            ("+inf", f64::INFINITY),
            ("-inf", f64::NEG_INFINITY),
            ("INFINITY", f64::INFINITY),
            ("5", 5.0),
            ("1.5e-7", 1.5e-7),
            ("4.9e-324", 4.9e-324),
            ("0x1p-3", 0.125),
            ("0X1.8P1", 3.0),
            ("0x10", 16.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("+1", 1.0),
            ("1E3", 1000.0),
            ("0e999999999999", 0.0),
        ];
        for &(t, v) in ok {
            let got = parse_f64(t.as_bytes());
            assert_eq!(got.map(f64::to_bits), Some(v.to_bits()), "{t}");
        }
        // Rejected by ZADD with "ERR value is not a valid float".
        let bad = [
            "nan", "-nan", "NaN", "1e400", "1e-400", "", "abc", " 1", "1 ", "0x", "0x.", "1e",
            "1e+", ".", "infin", "1.5.5", "--1", "+-1", "1\u{0}", "0xp1", "0x1p", "1p5",
        ];
        for t in bad {
            assert_eq!(parse_f64(t.as_bytes()), None, "{t:?}");
        }
    }

    const TWO_50: f64 = (1u64 << 50) as f64;

    #[test]
    fn format_f64_is_percent_17g() {
        // `ZADD z <in> m` then `ZSCORE z m` on Redis 7.0.15 (skiplist or
        // listpack alike), plus ZINCRBY 0.1 + 0.2.
        let cases: &[(f64, &str)] = &[
            (0.1, "0.10000000000000001"),
            (1e300, "1.0000000000000001e+300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (5.0, "5"),
            (1.5e-7, "1.4999999999999999e-07"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.3, "0.29999999999999999"),
            (1e-5, "1.0000000000000001e-05"),
            (1e-4, "0.0001"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (12345678901234567.0, "12345678901234568"),
            (-2.5, "-2.5"),
            (3.0000000000000004, "3.0000000000000004"),
            (1e22, "1e+22"),
            (4.9e-324, "4.9406564584124654e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (0.125, "0.125"),
            (100.0, "100"),
            (0.5, "0.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            // C's %.17g: negative zero keeps its sign (the listpack zset
            // encoding turns it into 0 before it gets here).
            (-0.0, "-0"),
            (0.0, "0"),
            // A tie at the 17th digit rounds half to even, like glibc.
            (TWO_50 + 0.25, "1125899906842624.2"),
            (TWO_50 + 0.75, "1125899906842624.8"),
        ];
        for &(v, want) in cases {
            let mut out = Vec::new();
            format_f64(&mut out, v);
            assert_eq!(s(&out), want, "{v:e}");
            let mut out3 = Vec::new();
            format_f64_resp3(&mut out3, v);
            assert_eq!(out3, out);
        }
        let mut out = Vec::new();
        // printf("%.2f"): exact ties go to even, 942.255 is really below.
        for (v, want) in [
            (0.125, "0.12"),
            (0.375, "0.38"),
            (942.255, "942.25"),
            (-1.005, "-1.00"),
        ] {
            out.clear();
            format_f64_fixed(&mut out, v, 2);
            assert_eq!(s(&out), want, "{v}");
        }
    }

    /// What INCRBYFLOAT replies after `SET k <a>`, computed the way Redis
    /// does (string2ld both, add as long double, ld2string human).
    fn incrbyfloat(a: &str, b: &str) -> String {
        let (Some(x), Some(y)) = (
            LongDouble::parse(a.as_bytes()),
            LongDouble::parse(b.as_bytes()),
        ) else {
            return "-ERR value is not a valid float".into();
        };
        let r = x.add(y);
        if !r.is_finite() {
            return "-ERR increment would produce NaN or Infinity".into();
        }
        let mut out = Vec::new();
        r.format_human(&mut out);
        s(&out)
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn incrbyfloat_matches_redis() {
        // `SET k a; INCRBYFLOAT k b` on Redis 7.0.15 (x86_64).
        let table: &[(&str, &str, &str)] = &[
            ("10.5", "0.1", "10.6"),
            ("0", "0.1", "0.1"),
            ("0.1", "0.2", "0.3"),
            ("1", "1", "2"),
            ("10", "-10", "0"),
            ("-0.1", "0.1", "0"),
            ("1e-20", "0", "0"),
            ("0", "1e-20", "0"),
            ("1", "1e-20", "1"),
            ("5.0e3", "1", "5001"),
            ("1", "5.0e3", "5001"),
            (
                "1e4932",
                "1e4932",
                "-ERR increment would produce NaN or Infinity",
            ),
            ("3.0", "1.5", "4.5"),
            ("-5", "-0.25", "-5.25"),
            ("99999999999999999", "1", "100000000000000000"),
            ("9223372036854775807", "1", "9223372036854775808"),
            ("-9223372036854775808", "-1", "-9223372036854775809"),
            ("0.3", "0.6", "0.9"),
            ("1.1", "2.2", "3.3"),
            (
                "123456789.123456789",
                "0.000000001",
                "123456789.12345678999554366",
            ),
            ("1e17", "0.5", "100000000000000000.5"),
            ("1e18", "0.1", "1000000000000000000.125"),
            ("0x10", "0x1p-2", "16.25"),
            ("inf", "1", "-ERR increment would produce NaN or Infinity"),
            ("1", "inf", "-ERR increment would produce NaN or Infinity"),
            (
                "-inf",
                "inf",
                "-ERR increment would produce NaN or Infinity",
            ),
            ("abc", "1", "-ERR value is not a valid float"),
            ("1", "abc", "-ERR value is not a valid float"),
            (" 1", "1", "-ERR value is not a valid float"),
            ("1", " 1", "-ERR value is not a valid float"),
            ("1", "1 ", "-ERR value is not a valid float"),
            ("+1", "+1", "2"),
            (".5", ".5", "1"),
            ("5.", "1", "6"),
            ("1e", "1", "-ERR value is not a valid float"),
            ("1", "nan", "-ERR value is not a valid float"),
            ("1e-5000", "1", "-ERR value is not a valid float"),
            ("1", "1e-5000", "-ERR value is not a valid float"),
            ("1", "1e4933", "-ERR value is not a valid float"),
            ("1e-4950", "0", "0"),
            ("0.00000000000000001", "0", "0.00000000000000001"),
            ("0.000000000000000005", "0", "0"),
            ("0.000000000000000015", "0", "0.00000000000000002"),
            ("0.000000000000000025", "0", "0.00000000000000002"),
            ("-0.000000000000000001", "0", "0"),
            ("2.5", "0", "2.5"),
            ("1.00000000000000000005", "0", "1"),
            ("3.14159265358979323846", "0", "3.14159265358979324"),
            ("1e-17", "1e-17", "0.00000000000000002"),
            ("7", "-7", "0"),
            ("-7", "7", "0"),
            ("1.5e+2", "2.5E-1", "150.25"),
            ("0001.5", "0", "1.5"),
            ("-0", "0", "0"),
            ("1E3", "1e-3", "1000.001"),
            ("10.5", "-0.1", "10.4"),
            ("12345678901234567890", "0", "12345678901234567890"),
            ("18446744073709551616", "1", "18446744073709551616"),
            ("1.23456789012345678e-5", "0", "0.00001234567890123"),
            ("6.02214076e23", "1", "602214076000000000000000"),
            ("0.1", "0.1", "0.2"),
            ("0.7", "0.1", "0.8"),
            ("1\u{0}", "1", "-ERR value is not a valid float"),
        ];
        for &(a, b, want) in table {
            assert_eq!(incrbyfloat(a, b), want, "{a} + {b}");
        }
        // Long replies: compare length and leading digits.
        let r = incrbyfloat("1e308", "1e308");
        assert_eq!(r.len(), 309);
        assert!(r.starts_with("199999999999999999993371759311691291321120"));
        let r = incrbyfloat("1.7976931348623157e308", "1e308");
        assert!(r.starts_with("27976931348623157000235224044135007878929"));
        let r = incrbyfloat("1e4932", "0");
        assert_eq!(r.len(), 4933);
        assert!(r.starts_with("100000000000000000000601894938796389132"));
        assert!(r.ends_with("622720"));
        // An integer-encoded value enters as an exact conversion.
        let mut out = Vec::new();
        LongDouble::from_i64(10)
            .add(LongDouble::parse(b"0.5").unwrap_or(LongDouble::ZERO))
            .format_human(&mut out);
        assert_eq!(s(&out), "10.5");
    }

    #[test]
    fn long_double_bits_and_auto_format() {
        // Memory images and %.17Lg from glibc strtold/printf.
        let cases: &[(&str, &str, &str, &str)] = &[
            ("0.1", "3ffbcccccccccccccccd", "0.1", "0.1"),
            ("1e-20", "3fbcbce5086492111aeb", "0", "1e-20"),
            (
                "123456789012345678901",
                "4041d629d3f025e6cd87",
                "123456789012345678904",
                "1.2345678901234568e+20",
            ),
            ("-2.5e-7", "bfe98637bd05af6c69b6", "-0.00000025", "-2.5e-07"),
            (
                "1e17",
                "4037b1a2bc2ec5000000",
                "100000000000000000",
                "1e+17",
            ),
            (
                "0x1p-16445",
                "00000000000000000001",
                "0",
                "3.6451995318824746e-4951",
            ),
        ];
        for &(input, hex, human, auto) in cases {
            let v = LongDouble::parse(input.as_bytes()).expect(input);
            let got: String = v
                .to_bytes()
                .iter()
                .rev()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(got, hex, "{input}");
            let mut out = Vec::new();
            v.format_human(&mut out);
            assert_eq!(s(&out), human, "{input}");
            out.clear();
            v.format_auto(&mut out);
            assert_eq!(s(&out), auto, "{input}");
        }
        let inf = LongDouble::parse(b"-inf").expect("inf");
        assert!(!inf.is_finite());
        let mut out = Vec::new();
        inf.format_human(&mut out);
        assert_eq!(out, b"-inf");
        assert_eq!(LongDouble::from_f64(0.1).to_f64(), 0.1);
        assert_eq!(LongDouble::parse(b"0.1").map(|v| v.to_f64()), Some(0.1));
        assert_eq!(LongDouble::from_i64(i64::MIN).to_f64(), i64::MIN as f64);
        // Length limit is on bytes, not on the value.
        assert!(LongDouble::parse(&[b'0'; 5119]).is_some());
        assert!(LongDouble::parse(&[b'0'; 5120]).is_none());
    }

    #[test]
    fn string_match_like_redis() {
        // Each expectation checked with KEYS against Redis 7.0.15.
        let cases: &[(&[u8], &[u8], bool)] = &[
            (b"", b"", true),
            (b"*", b"", false), // KEYS special-cases a lone "*"
            (b"**", b"", false),
            (b"*", b"abc", true),
            (b"a*", b"abc", true),
            (b"*c", b"abc", true),
            (b"*b*", b"abc", true),
            (b"a?c", b"abc", true),
            (b"a?c", b"ac", false),
            (b"?*", b"a", true),
            (b"h[ae]llo", b"hello", true),
            (b"h[^e]llo", b"hello", false),
            (b"h[^e]llo", b"hallo", true),
            (b"h[a-b]llo", b"hbllo", true),
            (b"h[b-a]llo", b"hbllo", true), // reversed range
            (b"h\\*llo", b"h*llo", true),
            (b"h\\*llo", b"hello", false),
            (b"[\\]]", b"]", true),
            (b"[\\", b"\\", true),
            (b"[a-]", b"]", true),  // ']' is the end of the range
            (b"[a-]*", b"]", true), // ... and the class runs on to the end
            (b"[a-]*", b"*", true),
            (b"[a-]*", b"]x", false),
            (b"[", b"a", false),
            (b"[^", b"a", true), // unterminated negation matches anything
            (b"[abc", b"c", true),
            (b"\\", b"\\", true),
            (b"a\\", b"a\\", true),
            (b"[]a]", b"a", false), // ']' closes at once: empty class
            (b"[^]a", b"xa", true),
            (b"[\x80-\xff]", b"a", false), // signed chars: [-128, -1]
            (b"*a*a*a*a*a*a*a*a*a*a*a*b", &[b'a'; 50], false),
        ];
        for &(p, st, want) in cases {
            assert_eq!(string_match(p, st, false), want, "{:?} {:?}", s(p), s(st));
        }
        assert!(string_match(b"[\xff-a]", b"0", false)); // [-1, 97]
        assert!(!string_match(b"[\xff-a]", b"\x80", false));
        assert!(string_match(b"HeLLo", b"hello", true));
        assert!(string_match(b"h[A-Z]llo", b"hello", true));
        assert!(!string_match(b"h[A-Z]llo", b"hello", false));
        assert!(!string_match(b"[Z-a]", b"z", true)); // folded after swap
        assert!(!string_match(b"[\\E]", b"e", true)); // escapes ignore nocase
                                                      // 2000 nested stars hit the recursion guard instead of the stack.
        let mut p = b"a*".repeat(2000);
        p.push(b'b');
        assert!(!string_match(&p, &[b'a'; 3000], false));
        let mut t = vec![b'a'; 3000];
        t.push(b'b');
        assert!(string_match(b"*a*a*a*a*a*a*a*a*a*a*b", &t, false));
    }

    #[test]
    fn memory_sizes() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("100", Some(100)),
            ("1b", Some(1)),
            ("1k", Some(1000)),
            ("1K", Some(1000)),
            ("1kb", Some(1024)),
            ("1KB", Some(1024)),
            ("2m", Some(2_000_000)),
            ("2mb", Some(2 << 20)),
            ("3g", Some(3_000_000_000)),
            ("3Gb", Some(3 << 30)),
            ("007", Some(7)),
            ("", Some(0)),
            ("kb", Some(0)),
            ("-1", None),
            ("+1", None),
            ("1 kb", None),
            ("1t", None),
            ("1.5mb", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("99999999999gb", None),
        ];
        for &(t, want) in cases {
            assert_eq!(parse_memory(t.as_bytes()), want, "{t:?}");
        }
        // bytesToHuman, as printed in INFO memory.
        let human: &[(u64, &str)] = &[
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1.00K"),
            (964_870, "942.26K"),
            (1 << 20, "1.00M"),
            (1_048_575, "1024.00K"),
            (5 << 30, "5.00G"),
            (3 << 40, "3.00T"),
            (7 << 50, "7.00P"),
            (1 << 60, "1152921504606846976B"),
        ];
        for &(n, want) in human {
            assert_eq!(format_memory_human(n), want, "{n}");
        }
    }

    #[test]
    fn clocks_and_random() {
        let a = monotonic_us();
        let b = monotonic_us();
        assert!(b >= a);
        let ms = now_ms();
        assert!(ms > 1_600_000_000_000, "{ms}");
        assert!((now_us() / 1000 - ms).abs() < 60_000);
        let id = random_hex(40);
        assert_eq!(id.len(), 40);
        assert!(id
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(id, random_hex(40));
        let mut buf = [0u8; 33];
        random_bytes(&mut buf);
        assert!(buf.iter().any(|&x| x != 0));
        assert_eq!(random_hex(0), "");
    }

    #[test]
    fn parsers_never_panic() {
        // Seeded xorshift: random short strings over a number-ish alphabet.
        let alphabet = b"0123456789+-.eEpPxXinfaINFA \0\\*?[]^-\x80\xff";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut buf = Vec::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf.clear();
            for i in 0..(x % 24) {
                buf.push(alphabet[((x >> (i * 2 % 60)) as usize) % alphabet.len()]);
            }
            let _ = parse_i64(&buf);
            let _ = parse_u64(&buf);
            let _ = parse_memory(&buf);
            if let Some(v) = parse_f64(&buf) {
                let mut out = Vec::new();
                format_f64(&mut out, v);
            }
            if let Some(v) = LongDouble::parse(&buf) {
                let mut out = Vec::new();
                v.add(v).format_human(&mut out);
                v.format_auto(&mut out);
            }
            let (p, t) = buf.split_at(buf.len() / 2);
            let _ = string_match(p, t, x & 1 == 1);
        }
    }
}
