//! DEBUG DIGEST and DEBUG DIGEST-VALUE: a SHA-1 based fingerprint of the
//! dataset that is bit-for-bit the one Redis 7.0 computes, so tests can
//! compare a ferrodis server with a real Redis (e.g. master and replica).
//!
//! The scheme, built from two primitives over a 20-byte accumulator:
//! - `xor(d, data)`: `d ^= SHA1(data)` — order-independent, used for the
//!   members of sets, hashes and sorted sets and for the keys of a database;
//! - `mix(d, data)`: `d = SHA1(d ^ SHA1(data))` — order-dependent, used for
//!   sequences (list elements, key then type then value).
//!
//! What is fed in, per key: `mix(key)`, `mix(type code as u32 big-endian)`
//! (string 0, list 1, set 2, zset 3, hash 4), then the value, then
//! `xor("!!expire!!")` when the key has a TTL; then `xor(result, key
//! digest)` (the 20 bytes are hashed again, not xored raw). Hash and zset
//! entries are digested the same way: a fresh accumulator mixes field and
//! value (member and score) and is `xor`ed into the value's digest. Each
//! non-empty database first mixes its id (u32 big-endian) into the result.
//! Integer-encoded strings and members are hashed as their
//! decimal text; zset scores as C's `%.17g` (`inf`, `-inf`, `-0`), which is
//! what 7.0 uses (7.2 switched to the shortest round-trip form). An empty
//! dataset digests to twenty zero bytes. Logically expired keys that are
//! still stored count, as in Redis (DEBUG does not trigger lazy expiry).

use crate::db::{Db, Value};
use crate::util::{format_f64, write_i64};

/// A 20-byte digest accumulator (also the SHA-1 output size).
pub type Digest = [u8; 20];

// --------------------------------------------------------------------------
// SHA-1 (FIPS 180-1)
// --------------------------------------------------------------------------

/// Incremental SHA-1.
#[derive(Clone)]
pub struct Sha1 {
    h: [u32; 5],
    block: [u8; 64],
    /// Bytes waiting in `block`.
    used: usize,
    /// Total message length in bytes.
    total: u64,
}

impl Default for Sha1 {
    fn default() -> Self {
        Sha1::new()
    }
}

impl Sha1 {
    pub fn new() -> Sha1 {
        Sha1 {
            h: [
                0x6745_2301,
                0xEFCD_AB89,
                0x98BA_DCFE,
                0x1032_5476,
                0xC3D2_E1F0,
            ],
            block: [0; 64],
            used: 0,
            total: 0,
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.used > 0 {
            let take = (64 - self.used).min(data.len());
            self.block[self.used..self.used + take].copy_from_slice(&data[..take]);
            self.used += take;
            data = &data[take..];
            if self.used < 64 {
                return;
            }
            let block = self.block;
            self.compress(&block);
            self.used = 0;
        }
        let mut chunks = data.chunks_exact(64);
        for chunk in &mut chunks {
            let mut block = [0u8; 64];
            block.copy_from_slice(chunk);
            self.compress(&block);
        }
        let rest = chunks.remainder();
        self.block[..rest.len()].copy_from_slice(rest);
        self.used = rest.len();
    }

    pub fn finish(mut self) -> Digest {
        let bits = self.total.wrapping_mul(8);
        // Padding: a 1 bit, zeros up to 56 mod 64, then the bit length.
        let pad_len = if self.used < 56 {
            56 - self.used
        } else {
            120 - self.used
        };
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        pad[pad_len..pad_len + 8].copy_from_slice(&bits.to_be_bytes());
        let total = self.total;
        self.update(&pad[..pad_len + 8]);
        self.total = total;
        debug_assert_eq!(self.used, 0);
        let mut out = [0u8; 20];
        for (o, h) in out.chunks_exact_mut(4).zip(self.h) {
            o.copy_from_slice(&h.to_be_bytes());
        }
        out
    }

    fn compress(&mut self, block: &[u8; 64]) {
        let mut w = [0u32; 80];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = self.h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (h, v) in self.h.iter_mut().zip([a, b, c, d, e]) {
            *h = h.wrapping_add(v);
        }
    }
}

/// SHA-1 of `data` in one call.
pub fn sha1(data: &[u8]) -> Digest {
    let mut s = Sha1::new();
    s.update(data);
    s.finish()
}

// --------------------------------------------------------------------------
// Digest primitives
// --------------------------------------------------------------------------

/// `d ^= SHA1(data)`: adds `data` to an unordered collection digest.
pub fn xor_digest(d: &mut Digest, data: &[u8]) {
    for (x, h) in d.iter_mut().zip(sha1(data)) {
        *x ^= h;
    }
}

/// `d = SHA1(d ^ SHA1(data))`: appends `data` to an ordered sequence
/// digest, so `mix(a); mix(b)` differs from `mix(b); mix(a)` and from
/// `mix(a ++ b)`.
pub fn mix_digest(d: &mut Digest, data: &[u8]) {
    xor_digest(d, data);
    *d = sha1(d);
}

/// `mix_digest` of an integer's decimal text.
fn mix_int(d: &mut Digest, v: i64, tmp: &mut Vec<u8>) {
    tmp.clear();
    write_i64(tmp, v);
    mix_digest(d, tmp);
}

/// Lower-case hex, as DEBUG DIGEST prints it.
pub fn to_hex(d: &Digest) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Redis's object type numbers (OBJ_STRING...), which are hashed.
fn type_code(v: &Value) -> u32 {
    match v {
        Value::Str(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
        Value::Stream(_) => 6,
    }
}

/// Redis's xorObjectDigest: mixes the type and contents of `v` into `d`
/// (not resetting it first), then the expire marker if `has_ttl`.
pub fn mix_value(d: &mut Digest, v: &Value, has_ttl: bool) {
    mix_digest(d, &type_code(v).to_be_bytes());
    let mut tmp = Vec::with_capacity(32);
    match v {
        Value::Str(s) => s.with_bytes(|b| mix_digest(d, b)),
        Value::List(l) => {
            for e in l.iter() {
                match e {
                    crate::db::list::Elem::Bytes(b) => mix_digest(d, b),
                    crate::db::list::Elem::Int(n) => mix_int(d, n, &mut tmp),
                }
            }
        }
        Value::Set(s) => {
            for m in s.iter() {
                m.with_bytes(|b| xor_digest(d, b));
            }
        }
        Value::ZSet(z) => z.for_each(|member, score| {
            let mut e = [0u8; 20];
            mix_digest(&mut e, member);
            tmp.clear();
            format_f64(&mut tmp, score);
            mix_digest(&mut e, &tmp);
            xor_digest(d, &e);
        }),
        Value::Hash(h) => {
            for (field, val) in h.iter() {
                let mut e = [0u8; 20];
                mix_digest(&mut e, field);
                mix_digest(&mut e, val);
                xor_digest(d, &e);
            }
        }
        // Entries in order, each its ID as "<ms>.<seq>" then its fields
        // and values; consumer groups are not part of the digest.
        Value::Stream(s) => {
            use crate::db::stream::StreamId;
            use crate::persist::listpack::Entry;
            let mut mix_entry = |d: &mut Digest, e: &Entry<'_>| match e {
                Entry::Str(b) => mix_digest(d, b),
                Entry::Int(n) => mix_int(d, *n, &mut tmp),
            };
            s.scan(StreamId::MIN, StreamId::MAX, false, |id, pairs| {
                mix_digest(d, format!("{}.{}", id.ms, id.seq).as_bytes());
                for (f, v) in pairs {
                    mix_entry(d, f);
                    mix_entry(d, v);
                }
                true
            });
        }
    }
    if has_ttl {
        xor_digest(d, b"!!expire!!");
    }
}

/// DEBUG DIGEST-VALUE for one key of `db`: zeros when the key is not stored.
/// The key name itself is not part of this digest.
pub fn key_value_digest(db: &Db, key: &[u8]) -> Digest {
    let mut d = [0u8; 20];
    if let Some(v) = db.dict.get(key) {
        mix_value(&mut d, v, db.expire_at(key).is_some());
    }
    d
}

/// DEBUG DIGEST over all databases.
pub fn dataset_digest(dbs: &[Db]) -> Digest {
    let mut out = [0u8; 20];
    for (id, db) in dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        mix_digest(&mut out, &(id as u32).to_be_bytes());
        let has_ttls = !db.expires.is_empty();
        for (key, v) in db.dict.iter() {
            let mut d = [0u8; 20];
            mix_digest(&mut d, key);
            mix_value(&mut d, v, has_ttls && db.expires.contains_key(key));
            // Like the elements of a hash, the key digest goes in hashed
            // once more (Redis's xorDigest over the 20 bytes).
            xor_digest(&mut out, &d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::list::List;
    use crate::db::zset::{Limits, ZSet};

    fn hex(data: &[u8]) -> String {
        to_hex(&sha1(data))
    }

    #[test]
    fn sha1_vectors() {
        assert_eq!(hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(b"The quick brown fox jumps over the lazy dog"),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"
        );
        assert_eq!(
            hex(&[b'a'; 1_000_000]),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn sha1_incremental_matches_one_shot() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        // Every split point around block and padding boundaries.
        for cut in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 500, 999, 1000] {
            let mut s = Sha1::new();
            s.update(&data[..cut]);
            s.update(&data[cut..]);
            assert_eq!(s.finish(), sha1(&data), "cut {cut}");
        }
        for len in 50..=130 {
            let mut s = Sha1::new();
            for b in &data[..len] {
                s.update(std::slice::from_ref(b));
            }
            assert_eq!(s.finish(), sha1(&data[..len]), "len {len}");
        }
    }

    // Expected values below were produced by Redis 7.0.15.
    #[test]
    fn matches_redis() {
        let mut db = Db::new(0);
        assert_eq!(dataset_digest(std::slice::from_ref(&db)), [0u8; 20]);
        db.add(b"k", Value::from_bytes(b"v"));
        let mut l = List::new(-2);
        l.push_back(b"1");
        l.push_back(b"a");
        db.add(b"l", Value::List(Box::new(l)));
        assert_eq!(
            to_hex(&dataset_digest(std::slice::from_ref(&db))),
            "c99c4f1da099a6f6f51f974a0a6eafd108298582"
        );
        assert_eq!(
            to_hex(&key_value_digest(&db, b"k")),
            "d79ee9fe5d5ad902d7f6620efc3b07b75ddd742f"
        );
        assert_eq!(
            to_hex(&key_value_digest(&db, b"l")),
            "6338765fcf6f6d64c48e88d07505a3e7233fe561"
        );
        assert_eq!(key_value_digest(&db, b"nokey"), [0u8; 20]);
        db.set_expire(b"k", i64::MAX);
        assert_eq!(
            to_hex(&key_value_digest(&db, b"k")),
            "311b17018163335616e089f6b951c82c477335ac"
        );
        let z = ZSet::fresh([(b"a".to_vec(), 0.1)], Limits::new(128, 64));
        db.add(b"z", Value::ZSet(z));
        assert_eq!(
            to_hex(&key_value_digest(&db, b"z")),
            "b07654932c32238dbd9b8626f0dc40f18d973527"
        );
    }
}
