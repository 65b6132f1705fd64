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

use std::io::Read;

mod float;
pub mod idle;

pub use float::{format_f64, format_f64_fixed, format_f64_resp3, parse_f64, LongDouble};

// ---------------------------------------------------------------------------
// Memory hints
// ---------------------------------------------------------------------------

/// Asks the CPU to start loading the cache line at `p` into its caches,
/// so that a read of it a little later does not wait for memory. A hint
/// only: nothing is read, and any address (dangling, even null) is fine.
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

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
