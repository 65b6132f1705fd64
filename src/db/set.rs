//! The set value type (stub: being written).
//!
//! TODO(zset): the read-only methods below mirror the API of the h/set
//! branch so ZUNION/ZINTER/ZDIFF can take sets as inputs; on merge, take
//! h/set's version of this file.

/// A set value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Set {}

/// One member as a set hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl Member<'_> {
    pub fn to_vec(&self) -> Vec<u8> {
        match *self {
            Member::Int(v) => v.to_string().into_bytes(),
            Member::Bytes(b) => b.to_vec(),
        }
    }
}

impl Set {
    /// OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        "hashtable"
    }

    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        true
    }

    pub fn contains(&self, _member: &[u8]) -> bool {
        false
    }

    pub fn iter(&self) -> impl Iterator<Item = Member<'_>> + '_ {
        std::iter::empty()
    }
}
