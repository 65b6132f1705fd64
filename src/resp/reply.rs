//! Reply encoders. Each function appends one RESP value (or an aggregate
//! header) to an output buffer. Functions that take `resp` pick the RESP2 or
//! RESP3 form of the same value, as `addReply*` do in Redis's networking.c:
//! a map is a flat array in RESP2, a null is `$-1`/`*-1` in RESP2 and `_` in
//! RESP3, and so on.

use crate::util::write_i64;

#[inline]
fn header(out: &mut Vec<u8>, prefix: u8, n: i64) {
    out.push(prefix);
    write_i64(out, n);
    out.extend_from_slice(b"\r\n");
}

/// `+OK`-style status line. `s` must not contain CR or LF.
#[inline]
pub fn simple(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'+');
    out.extend_from_slice(s);
    out.extend_from_slice(b"\r\n");
}

/// An error line. `msg` starts with its code (`ERR`, `WRONGTYPE`...).
/// Newlines inside would break the protocol, so they become spaces, as
/// Redis's addReplyErrorLength does.
pub fn error(out: &mut Vec<u8>, msg: &str) {
    out.push(b'-');
    let start = out.len();
    out.extend_from_slice(msg.as_bytes());
    for b in &mut out[start..] {
        if *b == b'\r' || *b == b'\n' {
            *b = b' ';
        }
    }
    out.extend_from_slice(b"\r\n");
}

#[inline]
pub fn int(out: &mut Vec<u8>, v: i64) {
    header(out, b':', v);
}

#[inline]
pub fn bulk(out: &mut Vec<u8>, data: &[u8]) {
    header(out, b'$', data.len() as i64);
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

/// A bulk string holding the decimal form of `v` (GET of an int-encoded string).
pub fn bulk_i64(out: &mut Vec<u8>, v: i64) {
    let mut tmp = Vec::with_capacity(20);
    write_i64(&mut tmp, v);
    bulk(out, &tmp);
}

#[inline]
pub fn array_len(out: &mut Vec<u8>, n: usize) {
    header(out, b'*', n as i64);
}

/// Map header: `%n` in RESP3, an array of 2n elements in RESP2.
pub fn map_len(out: &mut Vec<u8>, resp: u8, n: usize) {
    if resp >= 3 {
        header(out, b'%', n as i64);
    } else {
        header(out, b'*', 2 * n as i64);
    }
}

/// Set header: `~n` in RESP3, an array in RESP2.
pub fn set_len(out: &mut Vec<u8>, resp: u8, n: usize) {
    header(out, if resp >= 3 { b'~' } else { b'*' }, n as i64);
}

/// Push header (pub/sub messages): `>n` in RESP3, an array in RESP2.
pub fn push_len(out: &mut Vec<u8>, resp: u8, n: usize) {
    header(out, if resp >= 3 { b'>' } else { b'*' }, n as i64);
}

/// The null used where a bulk string is missing (GET of a missing key).
pub fn null_bulk(out: &mut Vec<u8>, resp: u8) {
    out.extend_from_slice(if resp >= 3 { b"_\r\n" } else { b"$-1\r\n" });
}

/// The null used where an array is missing (e.g. a timed-out BLPOP).
pub fn null_array(out: &mut Vec<u8>, resp: u8) {
    out.extend_from_slice(if resp >= 3 { b"_\r\n" } else { b"*-1\r\n" });
}

/// Boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
pub fn boolean(out: &mut Vec<u8>, resp: u8, v: bool) {
    if resp >= 3 {
        out.extend_from_slice(if v { b"#t\r\n" } else { b"#f\r\n" });
    } else {
        int(out, v as i64);
    }
}

/// Verbatim string (`=len\r\ntxt:...`) in RESP3, a bulk string in RESP2.
/// Used by INFO, CLIENT LIST/INFO and other human-readable replies.
pub fn verbatim(out: &mut Vec<u8>, resp: u8, text: &[u8]) {
    if resp >= 3 {
        header(out, b'=', text.len() as i64 + 4);
        out.extend_from_slice(b"txt:");
        out.extend_from_slice(text);
        out.extend_from_slice(b"\r\n");
    } else {
        bulk(out, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let mut o = Vec::new();
        simple(&mut o, b"OK");
        int(&mut o, -42);
        bulk(&mut o, b"hi");
        null_bulk(&mut o, 2);
        null_bulk(&mut o, 3);
        map_len(&mut o, 2, 2);
        map_len(&mut o, 3, 2);
        error(&mut o, "ERR a\r\nb");
        verbatim(&mut o, 3, b"x");
        assert_eq!(
            o,
            b"+OK\r\n:-42\r\n$2\r\nhi\r\n$-1\r\n_\r\n*4\r\n%2\r\n-ERR a  b\r\n=5\r\ntxt:x\r\n"
                .to_vec()
        );
    }
}
