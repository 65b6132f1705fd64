//! The keyspace: numbered databases, each a dictionary of keys to typed values
//! plus an index of keys with a time to live.
//!
//! Invariants:
//! - every key in `expires` is also in `dict` (a TTL never outlives its key);
//! - a key whose TTL is in the past is *logically* gone: lookups treat it as
//!   missing and (on a master) delete it on the spot — lazy expiry — while the
//!   active cycle ([`Db::active_expire_step`]) reclaims keys nobody touches.
//!
//! - every key carries Redis's 24-bit access clock in its dict entry's meta
//!   bits ([`clock`]): [`Db::add`] and [`Db::set`] stamp it, the server's
//!   lookups touch it, [`Db::remove_with_clock`] / [`Db::add_with_clock`]
//!   carry it when a key moves.
//!
//! This module is pure data: no replies, no I/O. Callers pass the current
//! time in, so one command sees one clock reading (the access clock reads
//! the time the server set for the command, see [`clock::set_now`]).

pub mod clock;
pub mod dict;
pub mod hash;
pub mod list;
pub mod set;
pub mod stream;
pub mod thin;
pub mod value;
pub mod zset;

pub use dict::Dict;
pub use value::{RStr, Value};

/// While set, no key counts as expired: an AOF replay must see keys as they
/// were when its commands ran (Redis does not expire while loading).
static EXPIRY_PAUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Pause (or resume) expiry for the whole process (AOF loading).
pub fn set_expiry_paused(paused: bool) {
    EXPIRY_PAUSED.store(paused, std::sync::atomic::Ordering::Relaxed);
}

/// One database (`SELECT n`).
pub struct Db {
    /// Index of this database, as in `SELECT`.
    pub id: usize,
    /// Key → value.
    pub dict: Dict<Value>,
    /// Key → absolute expiry time in unix milliseconds, for volatile keys only.
    pub expires: Dict<i64>,
    /// Scan cursor of the active expiry cycle over `expires`, so that each
    /// cycle continues where the previous one stopped (Redis 6+ behaviour).
    pub expires_cursor: u64,
    /// Running average of the TTL left on sampled keys (INFO keyspace avg_ttl).
    pub avg_ttl: i64,
}

/// Why a key was removed by [`Db::expire_if_needed`]; the caller propagates
/// a DEL and fires notifications.
#[derive(Debug, PartialEq, Eq)]
pub enum Expired {
    No,
    Yes,
}

impl Db {
    pub fn new(id: usize) -> Db {
        Db {
            id,
            dict: Dict::new(),
            expires: Dict::new(),
            expires_cursor: 0,
            avg_ttl: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    /// Absolute expiry time of `key` in ms, if it has one.
    pub fn expire_at(&self, key: &[u8]) -> Option<i64> {
        if self.expires.is_empty() {
            return None;
        }
        self.expires.get(key).copied()
    }

    /// Whether `key` exists but its TTL has passed.
    pub fn is_expired(&self, key: &[u8], now_ms: i64) -> bool {
        if EXPIRY_PAUSED.load(std::sync::atomic::Ordering::Relaxed) {
            return false;
        }
        matches!(self.expire_at(key), Some(t) if t <= now_ms)
    }

    /// Lazy expiry: delete `key` if its TTL has passed. When `delete` is false
    /// (a replica, where only the master's DEL may remove keys) the key stays
    /// but is still reported as expired so reads can hide it.
    pub fn expire_if_needed(&mut self, key: &[u8], now_ms: i64, delete: bool) -> Expired {
        if !self.is_expired(key, now_ms) {
            return Expired::No;
        }
        if delete {
            self.remove(key);
        }
        Expired::Yes
    }

    /// Look a key up for reading, honouring expiry. `delete_expired` as in
    /// [`expire_if_needed`](Self::expire_if_needed).
    pub fn lookup(&mut self, key: &[u8], now_ms: i64, delete_expired: bool) -> Option<&Value> {
        if self.expire_if_needed(key, now_ms, delete_expired) == Expired::Yes {
            return None;
        }
        self.dict.get(key)
    }

    /// Look a key up for writing, honouring expiry (an expired key is deleted
    /// first, so the write sees an empty slot).
    pub fn lookup_mut(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Value> {
        self.expire_if_needed(key, now_ms, true);
        self.dict.get_mut(key)
    }

    /// Whether `key` exists (logically) right now.
    pub fn exists(&mut self, key: &[u8], now_ms: i64, delete_expired: bool) -> bool {
        self.lookup(key, now_ms, delete_expired).is_some()
    }

    /// Store `value` at `key`, replacing any old value. The TTL is dropped
    /// unless `keep_ttl` (SET ... KEEPTTL); the caller sets a new one after.
    /// An existing key's access clock is [`clock::overwritten`], a new
    /// key's [`clock::fresh`].
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        if let Some(slot) = self.dict.get_mut_touch(key, clock::overwritten) {
            *slot = value;
            if !keep_ttl && !self.expires.is_empty() {
                self.expires.remove(key);
            }
        } else {
            self.dict
                .insert_new_with_meta(key.into(), value, clock::fresh());
        }
    }

    /// Add a key read from a snapshot, with its expiry and access clock,
    /// without looking it up: `hash` is the key's, as `dict.prefetch`
    /// returned it. A corrupt snapshot may hold a key twice, which this
    /// stores twice; the loader asks [`Db::loaded_duplicate`] once every key
    /// is in, and fails the load if there is one.
    pub fn add_loaded(
        &mut self,
        hash: u64,
        key: Box<[u8]>,
        value: Value,
        expire_ms: Option<i64>,
        clock: u32,
    ) {
        if let Some(t) = expire_ms {
            self.expires
                .insert_unchecked(Box::<[u8]>::from(&*key), t, 0);
        }
        self.dict.insert_hashed_unchecked(hash, key, value, clock);
    }

    /// A key held twice after a load, if any.
    pub fn loaded_duplicate(&self) -> Option<&[u8]> {
        self.dict.first_duplicate()
    }

    /// Size the keyspace and expires tables for a snapshot's announced
    /// counts (RESIZEDB) before its keys arrive.
    pub fn reserve(&mut self, keys: usize, expires: usize) {
        self.dict.reserve(keys);
        self.expires.reserve(expires);
    }

    /// Add a key known to be absent, with a fresh access clock.
    pub fn add(&mut self, key: &[u8], value: Value) {
        self.dict
            .insert_new_with_meta(key.into(), value, clock::fresh());
    }

    /// Add a key known to be absent with the given access clock (a key
    /// moved by RENAME/MOVE, or restored with its idle time or counter).
    pub fn add_with_clock(&mut self, key: &[u8], value: Value, clock: u32) {
        self.dict.insert_new_with_meta(key.into(), value, clock);
    }

    /// Delete a key and its TTL. Returns the value if there was one.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.remove_with_clock(key).map(|(v, _)| v)
    }

    /// Delete a key and its TTL, handing back the value and access clock.
    pub fn remove_with_clock(&mut self, key: &[u8]) -> Option<(Value, u32)> {
        let (_, v, clock) = self.dict.remove_with_meta(key)?;
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        Some((v, clock))
    }

    /// The raw access clock of `key` (no expiry check, no touch).
    pub fn clock_of(&self, key: &[u8]) -> Option<u32> {
        self.dict.get_with_meta(key).map(|(_, c)| c)
    }

    /// Replace the access clock of an existing key.
    pub fn set_clock(&mut self, key: &[u8], clock: u32) {
        self.dict.set_meta(key, clock);
    }

    /// Set the absolute expiry of an existing key.
    pub fn set_expire(&mut self, key: &[u8], when_ms: i64) {
        debug_assert!(self.dict.contains_key(key));
        if let Some(t) = self.expires.get_mut(key) {
            *t = when_ms;
        } else {
            self.expires.insert_new(key.into(), when_ms);
        }
    }

    /// Remove the TTL of a key. Returns whether it had one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        self.expires.remove(key).is_some()
    }

    /// Drop every key.
    pub fn clear(&mut self) {
        self.dict.clear();
        self.expires.clear();
        self.expires_cursor = 0;
        self.avg_ttl = 0;
    }

    /// A random key that is not logically expired, or None. Like Redis's
    /// dbRandomKey it retries a bounded number of times when it hits expired
    /// keys (deleting them on a master); if every key is volatile and expired
    /// on a replica, it gives up and returns one of them anyway.
    pub fn random_key(&mut self, now_ms: i64, delete_expired: bool) -> Option<Vec<u8>> {
        let mut tries = 0;
        loop {
            let (key, _) = self.dict.random_entry()?;
            let key = key.to_vec();
            if !self.is_expired(&key, now_ms) {
                return Some(key);
            }
            if !delete_expired {
                tries += 1;
                if tries >= 100 || self.expires.len() == self.dict.len() && tries > 10 {
                    return Some(key);
                }
                continue;
            }
            self.remove(&key);
        }
    }

    /// One step of the active expiry cycle: visit `expires` buckets from the
    /// saved cursor, deleting keys whose time has passed, until `max_keys`
    /// keys were examined or the table was fully walked. Returns
    /// (examined, expired keys). The caller loops while the expired ratio is
    /// high and its time budget allows, as activeExpireCycle does.
    pub fn active_expire_step(
        &mut self,
        now_ms: i64,
        max_keys: usize,
        out: &mut Vec<Box<[u8]>>,
    ) -> (usize, usize) {
        let mut examined = 0;
        let mut ttl_sum = 0i64;
        let mut ttl_samples = 0i64;
        out.clear();
        let mut cursor = self.expires_cursor;
        // Several buckets per call; each bucket holds ~1 key at load factor 1.
        let mut buckets = 0;
        loop {
            cursor = self.expires.scan(cursor, |k, &when| {
                examined += 1;
                if when <= now_ms {
                    out.push(k.into());
                } else {
                    ttl_sum += when - now_ms;
                    ttl_samples += 1;
                }
            });
            buckets += 1;
            if cursor == 0 || examined >= max_keys || buckets >= max_keys * 20 {
                break;
            }
        }
        self.expires_cursor = cursor;
        for k in out.iter() {
            self.remove(k);
        }
        if ttl_samples > 0 {
            let avg = ttl_sum / ttl_samples;
            // Same smoothing as Redis: new = old*(49/50) + sample*(1/50).
            self.avg_ttl = if self.avg_ttl == 0 {
                avg
            } else {
                (self.avg_ttl / 50) * 49 + avg / 50
            };
        }
        (examined, out.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::from_bytes(v.as_bytes())
    }

    #[test]
    fn lazy_expiry_on_master_and_replica() {
        let mut db = Db::new(0);
        db.set(b"k", s("v"), false);
        db.set_expire(b"k", 100);
        assert!(db.lookup(b"k", 99, true).is_some());
        // A replica hides the key but keeps it.
        assert!(db.lookup(b"k", 100, false).is_none());
        assert_eq!(db.len(), 1);
        // A master deletes it.
        assert!(db.lookup(b"k", 100, true).is_none());
        assert_eq!(db.len(), 0);
        assert!(db.expires.is_empty());
    }

    #[test]
    fn set_drops_ttl_unless_keepttl() {
        let mut db = Db::new(0);
        db.set(b"k", s("v"), false);
        db.set_expire(b"k", 1000);
        db.set(b"k", s("w"), true);
        assert_eq!(db.expire_at(b"k"), Some(1000));
        db.set(b"k", s("x"), false);
        assert_eq!(db.expire_at(b"k"), None);
    }

    /// New keys are stamped fresh; overwriting takes a new LRU time but
    /// keeps LFU data; moving a key with its clock keeps it.
    #[test]
    fn access_clock_stamps() {
        let _g = clock::test_guard();
        let t = 1_700_000_000_000;
        let mut db = Db::new(0);
        clock::configure(clock::Settings::default());
        clock::set_now(t);
        db.add(b"a", s("v"));
        db.set(b"b", s("v"), false);
        assert_eq!(db.clock_of(b"a"), Some(clock::lru_clock(t)));
        assert_eq!(db.clock_of(b"b"), Some(clock::lru_clock(t)));
        clock::set_now(t + 5_000);
        db.set(b"a", s("w"), false);
        assert_eq!(db.clock_of(b"a"), Some(clock::lru_clock(t + 5_000)));
        assert_eq!(db.clock_of(b"nope"), None);

        let lfu = clock::Settings::new("allkeys-lfu", 0, 0);
        clock::configure(lfu);
        db.add(b"c", s("v"));
        let c = db.clock_of(b"c").unwrap();
        assert_eq!(lfu.lfu_counter(c, t), clock::LFU_INIT_VAL);
        db.set_clock(b"c", c + 7);
        db.set(b"c", s("w"), false);
        assert_eq!(db.clock_of(b"c"), Some(c + 7));
        let (v, moved) = db.remove_with_clock(b"c").unwrap();
        db.add_with_clock(b"d", v, moved);
        assert_eq!(db.clock_of(b"d"), Some(c + 7));
    }

    #[test]
    fn active_expiry_reclaims_untouched_keys() {
        let mut db = Db::new(0);
        for i in 0..1000 {
            let k = format!("k{i}");
            db.set(k.as_bytes(), s("v"), false);
            if i % 2 == 0 {
                db.set_expire(k.as_bytes(), 50);
            }
        }
        let mut out = Vec::new();
        let mut rounds = 0;
        while db.len() > 500 && rounds < 10_000 {
            db.active_expire_step(100, 20, &mut out);
            rounds += 1;
        }
        assert_eq!(db.len(), 500);
        assert!(db.expires.is_empty());
    }
}
