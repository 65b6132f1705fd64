//! Typed values stored in the keyspace and their encodings.
//!
//! Strings keep Redis's three encodings because users see them through
//! `OBJECT ENCODING` and tools depend on the answers:
//! - `int`: the string is the canonical decimal form of an i64 (no leading
//!   zeros, no `+`) and at most 20 bytes — stored as the number itself;
//! - `embstr`: created by a command that stores a fresh value of at most
//!   44 bytes — stored as an exact-size boxed slice;
//! - `raw`: longer values, and any value modified in place (APPEND, SETRANGE),
//!   which keeps spare capacity for further growth.
//!
//! Further types (list, hash, set, zset) join this enum with their compact and
//! big encodings.

use crate::util::{parse_i64, write_i64};

/// Longest string Redis stores as embstr.
pub const EMBSTR_MAX: usize = 44;

/// A string value.
#[derive(Debug, Clone, PartialEq)]
pub enum RStr {
    Int(i64),
    Emb(Box<[u8]>),
    Raw(Vec<u8>),
}

/// A value in the keyspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(RStr),
    /// Boxed: a quicklist header is 48 bytes and a skiplist zset far more;
    /// inline they would make every key (strings included) pay for them.
    List(Box<super::list::List>),
    Hash(super::hash::Hash),
    Set(super::set::Set),
    ZSet(Box<super::zset::ZSet>),
}

impl RStr {
    /// Encode a freshly stored string the way Redis's tryObjectEncoding does.
    pub fn new(bytes: &[u8]) -> RStr {
        if bytes.len() <= 20 {
            if let Some(n) = parse_i64(bytes) {
                return RStr::Int(n);
            }
        }
        if bytes.len() <= EMBSTR_MAX {
            RStr::Emb(bytes.into())
        } else {
            RStr::Raw(bytes.to_vec())
        }
    }

    /// A string made from an owned buffer (no copy for long values).
    pub fn from_vec(bytes: Vec<u8>) -> RStr {
        if bytes.len() <= EMBSTR_MAX {
            RStr::new(&bytes)
        } else {
            RStr::Raw(bytes)
        }
    }

    /// Call `f` with the bytes of the string (formats integers on the stack).
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            RStr::Int(n) => {
                let mut tmp = Vec::with_capacity(20);
                write_i64(&mut tmp, *n);
                f(&tmp)
            }
            RStr::Emb(b) => f(b),
            RStr::Raw(v) => f(v),
        }
    }

    /// The bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    pub fn len(&self) -> usize {
        match self {
            RStr::Int(n) => {
                let mut tmp = Vec::with_capacity(20);
                write_i64(&mut tmp, *n);
                tmp.len()
            }
            RStr::Emb(b) => b.len(),
            RStr::Raw(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value as an integer, if it is one (INCR and friends).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            RStr::Int(n) => Some(*n),
            RStr::Emb(b) => parse_i64(b),
            RStr::Raw(v) => parse_i64(v),
        }
    }

    /// Turn the string into the mutable `raw` form and hand out its buffer
    /// (APPEND, SETRANGE: Redis's dbUnshareStringValue).
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, RStr::Raw(_)) {
            *self = RStr::Raw(self.to_vec());
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
            RStr::Emb(_) => "embstr",
            RStr::Raw(_) => "raw",
        }
    }
}

impl Value {
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
        }
    }

    /// Approximate bytes used by the value (MEMORY USAGE); `samples` bounds
    /// the work on big hashes as Redis's SAMPLES option does (0 = all).
    pub fn mem_usage(&self, samples: usize) -> usize {
        let own = std::mem::size_of::<Value>();
        own + match self {
            Value::Str(RStr::Int(_)) => 0,
            Value::Str(RStr::Emb(b)) => b.len(),
            Value::Str(RStr::Raw(v)) => v.capacity(),
            Value::List(l) => l.mem_usage(),
            Value::Hash(h) => h.mem_usage(samples),
            Value::Set(s) => s.mem_bytes(),
            Value::ZSet(z) => z.mem_usage(),
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
        let mut s = RStr::new(b"12");
        s.make_raw().push(b'3');
        assert_eq!(s.encoding(), "raw");
        assert_eq!(s.as_i64(), Some(123));
    }
}
