//! Typed values stored in the keyspace and their encodings.
//!
//! Strings keep Redis's three encodings because users see them through
//! `OBJECT ENCODING` and tools depend on the answers:
//! - `int`: the string is the canonical decimal form of an i64 (no leading
//!   zeros, no `+`) and at most 20 bytes — stored as the number itself;
//! - `embstr`: created by a command that stores a fresh value of at most
//!   44 bytes — stored inside the value (up to 14 bytes) or as an exact-size
//!   buffer behind one pointer with a one-byte length;
//! - `raw`: longer values, and any value modified in place (APPEND, SETRANGE),
//!   which keeps spare capacity for further growth. A fresh value of up to
//!   255 bytes is stored like an embstr all the same (it is only reported
//!   as `raw`): growth capacity it will likely never use would cost 16
//!   bytes of header and the rounding, and APPEND converts it anyway.
//!
//! Further types (list, hash, set, zset) join this enum with their compact and
//! big encodings.

use super::thin::{EmbStr, RawBytes};
use crate::util::{parse_i64, write_i64};

/// Longest string Redis stores as embstr.
pub const EMBSTR_MAX: usize = 44;

/// Longest embstr kept inside the value itself, with no allocation: what
/// fits beside the enum's tag and a length byte in 16 bytes.
pub const INLINE_MAX: usize = 14;

/// A string value.
///
/// `Inline` and `Emb` up to [`EMBSTR_MAX`] bytes are Redis's `embstr`
/// (users see one encoding); they differ only in where the bytes live.
/// Longer `Emb` strings are `raw` to users. Every variant is at most 15
/// bytes after the tag, so an `RStr` is 16 bytes and, with the other types
/// boxed behind one pointer, so is a [`Value`].
#[derive(Debug, Clone, PartialEq)]
pub enum RStr {
    Int(i64),
    Inline { len: u8, bytes: [u8; INLINE_MAX] },
    Emb(EmbStr),
    Raw(RawBytes),
}

/// A value in the keyspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(RStr),
    /// Boxed: a quicklist header is 48 bytes;
    /// inline it would make every key (strings included) pay for it.
    List(Box<super::list::List>),
    Hash(super::hash::Hash),
    Set(super::set::Set),
    ZSet(super::zset::ZSet),
    /// Boxed: the stream header (counters, IDs, groups) is large.
    Stream(Box<super::stream::Stream>),
}

impl RStr {
    /// Encode a freshly stored string the way Redis's tryObjectEncoding does.
    pub fn new(bytes: &[u8]) -> RStr {
        if bytes.len() <= 20 {
            if let Some(n) = parse_i64(bytes) {
                return RStr::Int(n);
            }
        }
        RStr::text(bytes)
    }

    /// A string stored as text even when it reads as an integer (what Redis
    /// does with INCRBYFLOAT's result): embstr when short, else raw (held
    /// exactly, see the module notes, up to 255 bytes).
    pub fn text(bytes: &[u8]) -> RStr {
        if bytes.len() <= INLINE_MAX {
            let mut inline = [0u8; INLINE_MAX];
            inline[..bytes.len()].copy_from_slice(bytes);
            RStr::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            }
        } else {
            match EmbStr::new(bytes) {
                Some(e) => RStr::Emb(e),
                None => RStr::Raw(RawBytes::new(bytes)),
            }
        }
    }

    /// An empty `raw` string, ready to grow (SETRANGE on a missing key).
    pub fn empty_raw() -> RStr {
        RStr::Raw(RawBytes::new(&[]))
    }

    /// A string made from a loaded buffer, encoded as [`RStr::new`] would.
    pub fn from_vec(bytes: Vec<u8>) -> RStr {
        RStr::new(&bytes)
    }

    /// The bytes, unless the string is held as an integer.
    #[inline]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            RStr::Int(_) => None,
            RStr::Inline { len, bytes } => Some(&bytes[..*len as usize]),
            RStr::Emb(b) => Some(b),
            RStr::Raw(v) => Some(v),
        }
    }

    /// Call `f` with the bytes of the string (formats integers on the stack).
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match (self, self.as_bytes()) {
            (_, Some(b)) => f(b),
            (RStr::Int(n), None) => {
                let mut tmp = Vec::with_capacity(20);
                write_i64(&mut tmp, *n);
                f(&tmp)
            }
            (_, None) => f(&[]),
        }
    }

    /// The bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    pub fn len(&self) -> usize {
        self.with_bytes(|b| b.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value as an integer, if it is one (INCR and friends).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            RStr::Int(n) => Some(*n),
            _ => self.as_bytes().and_then(parse_i64),
        }
    }

    /// Turn the string into the mutable `raw` form and hand out its buffer
    /// (APPEND, SETRANGE: Redis's dbUnshareStringValue).
    pub fn make_raw(&mut self) -> &mut RawBytes {
        if !matches!(self, RStr::Raw(_)) {
            *self = RStr::Raw(self.with_bytes(RawBytes::new));
        }
        match self {
            RStr::Raw(v) => v,
            _ => unreachable!("converted to raw just above"),
        }
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            RStr::Int(_) => "int",
            RStr::Inline { .. } => "embstr",
            RStr::Emb(b) if b.len() <= EMBSTR_MAX => "embstr",
            RStr::Emb(_) | RStr::Raw(_) => "raw",
        }
    }

    /// Bytes allocated for the string beyond the value itself.
    pub fn heap_bytes(&self) -> usize {
        match self {
            RStr::Int(_) | RStr::Inline { .. } => 0,
            RStr::Emb(b) => 1 + b.len(),
            RStr::Raw(v) => 2 * std::mem::size_of::<usize>() + v.capacity(),
        }
    }
}

impl Value {
    /// Where the value's first heap block lives, without reading it: what
    /// a loop over many keys asks [`crate::util::prefetch`] for a few keys
    /// ahead. `None` for strings held inside the value itself.
    #[inline]
    pub fn heap_addr(&self) -> Option<*const u8> {
        match self {
            Value::Str(RStr::Int(_) | RStr::Inline { .. }) => None,
            Value::Str(RStr::Emb(e)) => Some(e.heap_addr()),
            Value::Str(RStr::Raw(r)) => Some(r.heap_addr()),
            Value::List(l) => Some((&**l as *const super::list::List).cast()),
            Value::Hash(h) => Some(h.heap_addr()),
            Value::Set(s) => Some(s.heap_addr()),
            Value::ZSet(z) => Some(z.heap_addr()),
            Value::Stream(s) => Some((&**s as *const super::stream::Stream).cast()),
        }
    }

    /// A string value from bytes, encoded as SET would store it.
    pub fn from_bytes(b: &[u8]) -> Value {
        Value::Str(RStr::new(b))
    }

    /// TYPE name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => l.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    /// Approximate bytes used by the value (MEMORY USAGE); `samples` bounds
    /// the work on big hashes as Redis's SAMPLES option does (0 = all).
    pub fn mem_usage(&self, samples: usize) -> usize {
        let own = std::mem::size_of::<Value>();
        own + match self {
            Value::Str(s) => s.heap_bytes(),
            Value::List(l) => l.mem_usage(),
            Value::Hash(h) => h.mem_usage(samples),
            Value::Set(s) => s.mem_bytes(),
            Value::ZSet(z) => z.mem_usage(),
            Value::Stream(s) => s.mem_usage(),
        }
    }

    pub fn as_str(&self) -> Option<&RStr> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str_mut(&mut self) -> Option<&mut RStr> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_encodings() {
        assert_eq!(RStr::new(b"123").encoding(), "int");
        assert_eq!(RStr::new(b"-9223372036854775808").encoding(), "int");
        assert_eq!(RStr::new(b"9223372036854775808").encoding(), "embstr");
        assert_eq!(RStr::new(b"0123").encoding(), "embstr");
        assert_eq!(RStr::new(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(RStr::new(&[b'a'; 45]).encoding(), "raw");
        assert_eq!(RStr::new(&[b'a'; 255]).encoding(), "raw");
        assert_eq!(RStr::new(&[b'a'; 256]).encoding(), "raw");
        // A fresh string up to 255 bytes is held exactly, longer ones with
        // room to grow; APPEND makes either growable.
        assert!(matches!(RStr::new(&[b'a'; 255]), RStr::Emb(_)));
        assert!(matches!(RStr::new(&[b'a'; 256]), RStr::Raw(_)));
        let mut s = RStr::new(&[b'a'; 100]);
        s.make_raw().extend_from_slice(b"b");
        assert!(matches!(s, RStr::Raw(_)));
        assert_eq!(s.len(), 101);
        let mut s = RStr::new(b"12");
        s.make_raw().extend_from_slice(b"3");
        assert_eq!(s.encoding(), "raw");
        assert_eq!(s.as_i64(), Some(123));
    }

    #[test]
    fn short_strings_live_inside_the_value() {
        assert_eq!(std::mem::size_of::<RStr>(), 16);
        for len in [0, 1, INLINE_MAX, INLINE_MAX + 1, EMBSTR_MAX, EMBSTR_MAX + 1] {
            let bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let s = RStr::new(&bytes);
            assert_eq!(s.as_bytes(), Some(&bytes[..]));
            assert_eq!(s.to_vec(), bytes);
            assert_eq!(s.len(), len);
            let inline = matches!(s, RStr::Inline { .. });
            assert_eq!(inline, len <= INLINE_MAX, "len {len}");
            assert_eq!(s.heap_bytes() == 0, inline);
        }
        // INCRBYFLOAT's text stays text.
        assert_eq!(RStr::text(b"10").encoding(), "embstr");
        assert_eq!(RStr::text(b"10").as_i64(), Some(10));
    }
}
