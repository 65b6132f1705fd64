//! The per-key access clock: Redis's 24-bit `lru` field, which every Redis
//! object carries and which `OBJECT IDLETIME`, `OBJECT FREQ`, `DEBUG OBJECT`,
//! the RDB `IDLE`/`FREQ` opcodes and eviction read. We keep it in the meta
//! bits of the keyspace dict's entries (see `dict/key.rs` for why there),
//! so it costs no memory.
//!
//! The same 24 bits are read two ways, by `maxmemory-policy`:
//!
//! ```text
//!   LRU (any policy without "lfu"):  [        LRU clock: 24        ]
//!       Unix seconds mod 2^24 of the last access (LRU_CLOCK_RESOLUTION
//!       1000 ms, wraps every ~194 days); idle = now - clock, with wrap.
//!   LFU (volatile-lfu, allkeys-lfu): [ ldt: 16 minutes | counter: 8 ]
//!       ldt = Unix minutes mod 2^16 of the last access; counter = a
//!       logarithmic access count that starts at LFU_INIT_VAL (5), grows
//!       with probability 1/((counter-5)*lfu-log-factor+1), and loses one
//!       per lfu-decay-time minutes without access.
//! ```
//!
//! Switching the policy at runtime reinterprets the bits as they are, as in
//! Redis (whose OBJECT errors warn that the data "will take some time to
//! adjust").
//!
//! Writers: the server's key lookups stamp [`touched`] (Redis's lookupKey,
//! skipped for NOTOUCH commands and while a fork child lives); `Db::add`
//! stamps [`fresh`] (createObject); `Db::set` over an existing key stamps
//! [`overwritten`] (Redis replaces the object: a new LRU time, but the old
//! LFU data kept by dbSetValue); RESTORE and RDB loading use
//! [`Settings::restored`]; RENAME and MOVE carry the bits along.
//!
//! The settings and the current time are process-wide, like Redis's
//! `server.maxmemory_policy` and its cached `server.lruclock`: the server
//! refreshes them ([`configure`] at start-up and on CONFIG SET, [`set_now`]
//! before each command and in cron), so `Db` can stamp keys without every
//! caller passing them down. The arithmetic itself takes them as arguments
//! ([`Settings`]), which keeps it testable and lets a fork child use the
//! values frozen at fork time.

use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU8, Ordering};

use super::dict::random_u64;

/// Width of the field (Redis's LRU_BITS); equals the dict's meta bits.
pub const LRU_BITS: u32 = 24;
/// Largest LRU clock value (Redis's LRU_CLOCK_MAX).
pub const LRU_CLOCK_MAX: u32 = (1 << LRU_BITS) - 1;
/// Milliseconds per LRU clock tick (Redis's LRU_CLOCK_RESOLUTION).
pub const LRU_CLOCK_RESOLUTION: i64 = 1000;
/// Counter of a new key under LFU (Redis's LFU_INIT_VAL): high enough that
/// a key is not evicted before it had a chance to be used.
pub const LFU_INIT_VAL: u8 = 5;

const _: () = assert!(LRU_BITS == super::dict::META_BITS);

/// How the field is read and what RDB files carry, from `maxmemory-policy`
/// (Redis's MAXMEMORY_FLAG_LRU / MAXMEMORY_FLAG_LFU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Policy {
    /// `volatile-lru`, `allkeys-lru`: LRU clock; RDB files carry idle times.
    Lru = 0,
    /// `volatile-lfu`, `allkeys-lfu`: LFU data; RDB files carry counters.
    Lfu = 1,
    /// Every other policy: the LRU clock is kept (OBJECT IDLETIME works)
    /// but RDB files carry nothing.
    Other = 2,
}

impl Policy {
    /// The policy class of a `maxmemory-policy` value.
    pub fn from_name(name: &str) -> Policy {
        if name.ends_with("-lfu") {
            Policy::Lfu
        } else if name.ends_with("-lru") {
            Policy::Lru
        } else {
            Policy::Other
        }
    }

    fn from_u8(v: u8) -> Policy {
        match v {
            0 => Policy::Lru,
            1 => Policy::Lfu,
            _ => Policy::Other,
        }
    }
}

/// The configuration the clock arithmetic depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub policy: Policy,
    /// `lfu-log-factor`: how much harder each further increment gets.
    pub lfu_log_factor: u32,
    /// `lfu-decay-time`: minutes per counter decrement (0: never decay).
    pub lfu_decay_time: u32,
}

impl Default for Settings {
    /// Redis's defaults: noeviction, factor 10, decay 1 minute.
    fn default() -> Settings {
        Settings {
            policy: Policy::Other,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
        }
    }
}

// ---------------------------------------------------------------------------
// Process-wide state
// ---------------------------------------------------------------------------

static POLICY: AtomicU8 = AtomicU8::new(Policy::Other as u8);
static LFU_LOG_FACTOR: AtomicU32 = AtomicU32::new(10);
static LFU_DECAY_TIME: AtomicU32 = AtomicU32::new(1);
/// Unix ms of the command being run (Redis's cached clocks).
static NOW_MS: AtomicI64 = AtomicI64::new(0);

/// Installs `s` for every later stamp (start-up, CONFIG SET).
pub fn configure(s: Settings) {
    POLICY.store(s.policy as u8, Ordering::Relaxed);
    LFU_LOG_FACTOR.store(s.lfu_log_factor, Ordering::Relaxed);
    LFU_DECAY_TIME.store(s.lfu_decay_time, Ordering::Relaxed);
}

/// The settings installed by [`configure`].
#[inline]
pub fn settings() -> Settings {
    Settings {
        policy: Policy::from_u8(POLICY.load(Ordering::Relaxed)),
        lfu_log_factor: LFU_LOG_FACTOR.load(Ordering::Relaxed),
        lfu_decay_time: LFU_DECAY_TIME.load(Ordering::Relaxed),
    }
}

/// Sets the time stamps are taken at (before each command, in cron).
#[inline]
pub fn set_now(now_ms: i64) {
    NOW_MS.store(now_ms, Ordering::Relaxed);
}

/// The time set by [`set_now`].
#[inline]
pub fn now_ms() -> i64 {
    NOW_MS.load(Ordering::Relaxed)
}

/// The field of a key created now (createObject).
#[inline]
pub fn fresh() -> u32 {
    settings().fresh(now_ms())
}

/// The field after an access now (lookupKey).
#[inline]
pub fn touched(clock: u32) -> u32 {
    settings().touched(clock, now_ms())
}

/// The field after the value of an existing key was replaced now.
#[inline]
pub fn overwritten(clock: u32) -> u32 {
    settings().overwritten(clock, now_ms())
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

/// The LRU clock at `now_ms` (Redis's getLRUClock).
#[inline]
pub fn lru_clock(now_ms: i64) -> u32 {
    ((now_ms / LRU_CLOCK_RESOLUTION) as u64 & LRU_CLOCK_MAX as u64) as u32
}

/// Milliseconds since the access recorded in an LRU `clock`, allowing for
/// one wrap of the clock (Redis's estimateObjectIdleTime). Meaningless, but
/// still computed by DEBUG OBJECT, for LFU data.
pub fn idle_ms(clock: u32, now_ms: i64) -> u64 {
    let now = lru_clock(now_ms) as u64;
    let clock = clock as u64;
    let ticks = if now >= clock {
        now - clock
    } else {
        now + (LRU_CLOCK_MAX as u64 - clock)
    };
    ticks * LRU_CLOCK_RESOLUTION as u64
}

/// Unix minutes mod 2^16 (Redis's LFUGetTimeInMinutes).
#[inline]
fn lfu_minutes(now_ms: i64) -> u32 {
    ((now_ms / 1000 / 60) as u64 & 0xffff) as u32
}

/// Minutes since `ldt`, allowing for one wrap (Redis's LFUTimeElapsed).
fn lfu_elapsed(ldt: u32, now_ms: i64) -> u32 {
    let now = lfu_minutes(now_ms);
    if now >= ldt {
        now - ldt
    } else {
        65535 - ldt + now
    }
}

/// One probabilistic increment of a logarithmic counter (LFULogIncr); `r`
/// is uniform in [0, 1). With `factor` 0 every access counts.
pub fn lfu_log_incr(counter: u8, factor: u32, r: f64) -> u8 {
    if counter == 255 {
        return 255;
    }
    let base = (counter as f64 - LFU_INIT_VAL as f64).max(0.0);
    let p = 1.0 / (base * factor as f64 + 1.0);
    if r < p {
        counter + 1
    } else {
        counter
    }
}

/// A uniform double in [0, 1) from 53 random bits.
fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

impl Settings {
    /// The settings a configuration asks for.
    pub fn new(policy: &str, lfu_log_factor: i64, lfu_decay_time: i64) -> Settings {
        Settings {
            policy: Policy::from_name(policy),
            // Both are bounded to 0..=INT_MAX by the config table.
            lfu_log_factor: lfu_log_factor.clamp(0, u32::MAX as i64) as u32,
            lfu_decay_time: lfu_decay_time.clamp(0, u32::MAX as i64) as u32,
        }
    }

    /// The settings of a configuration's `maxmemory-policy`,
    /// `lfu-log-factor` and `lfu-decay-time`.
    pub fn from_config(cfg: &crate::config::Config) -> Settings {
        Settings::new(
            &cfg.maxmemory_policy,
            cfg.lfu_log_factor,
            cfg.lfu_decay_time,
        )
    }

    #[inline]
    pub fn is_lfu(&self) -> bool {
        self.policy == Policy::Lfu
    }

    /// The field of a key created at `now_ms`.
    #[inline]
    pub fn fresh(&self, now_ms: i64) -> u32 {
        if self.is_lfu() {
            lfu_minutes(now_ms) << 8 | LFU_INIT_VAL as u32
        } else {
            lru_clock(now_ms)
        }
    }

    /// The field after an access at `now_ms`: the LRU clock, or the LFU
    /// counter decayed, then maybe incremented (updateLFU).
    #[inline]
    pub fn touched(&self, clock: u32, now_ms: i64) -> u32 {
        if self.is_lfu() {
            let counter = self.lfu_counter(clock, now_ms);
            let counter = lfu_log_incr(counter, self.lfu_log_factor, random_unit());
            lfu_minutes(now_ms) << 8 | counter as u32
        } else {
            lru_clock(now_ms)
        }
    }

    /// The field after the value of an existing key was replaced.
    #[inline]
    pub fn overwritten(&self, clock: u32, now_ms: i64) -> u32 {
        if self.is_lfu() {
            clock
        } else {
            lru_clock(now_ms)
        }
    }

    /// The LFU counter after the decay owed since its last access
    /// (LFUDecrAndReturn): what OBJECT FREQ and RDB files show.
    pub fn lfu_counter(&self, clock: u32, now_ms: i64) -> u8 {
        let counter = clock & 0xff;
        let periods = match self.lfu_decay_time {
            0 => 0,
            d => lfu_elapsed(clock >> 8, now_ms) / d,
        };
        counter.saturating_sub(periods) as u8
    }

    /// The field for a key given an LFU `freq` or an idle time in seconds
    /// (RESTORE FREQ/IDLETIME, RDB FREQ/IDLE opcodes), as Redis's
    /// objectSetLRUOrLFU: under LFU only `freq` counts, otherwise only
    /// `idle_secs`. None when the relevant one is absent (the key keeps its
    /// fresh stamp).
    pub fn restored(&self, freq: Option<u8>, idle_secs: Option<u64>, now_ms: i64) -> Option<u32> {
        if self.is_lfu() {
            return freq.map(|f| lfu_minutes(now_ms) << 8 | f as u32);
        }
        // Redis holds the idle time in a signed long long: values past
        // i64::MAX read as negative, i.e. absent.
        let idle = i64::try_from(idle_secs?).ok()?;
        // Seconds are clock ticks with 1000 ms ticks. An idle time longer
        // than the clock's current value wraps: Redis 7.0.15 adds
        // LRU_CLOCK_MAX once to a negative difference and stores the low 24
        // bits of the result (measured against redis-server 7.0.15 over
        // idle times from 1e5 to 1e11; see the tests).
        let now = lru_clock(now_ms) as i64;
        let mut abs = now.wrapping_sub(idle);
        if abs < 0 {
            abs += LRU_CLOCK_MAX as i64;
        }
        Some((abs as u64 & LRU_CLOCK_MAX as u64) as u32)
    }
}

#[cfg(test)]
pub(crate) struct TestGuard(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

#[cfg(test)]
pub(crate) fn test_guard() -> TestGuard {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TestGuard(LOCK.lock().unwrap_or_else(|e| e.into_inner()))
}

#[cfg(test)]
impl Drop for TestGuard {
    fn drop(&mut self) {
        configure(Settings::default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn lfu(factor: u32, decay: u32) -> Settings {
        Settings {
            policy: Policy::Lfu,
            lfu_log_factor: factor,
            lfu_decay_time: decay,
        }
    }

    #[test]
    fn policy_classes() {
        assert_eq!(Policy::from_name("allkeys-lru"), Policy::Lru);
        assert_eq!(Policy::from_name("volatile-lru"), Policy::Lru);
        assert_eq!(Policy::from_name("allkeys-lfu"), Policy::Lfu);
        assert_eq!(Policy::from_name("volatile-lfu"), Policy::Lfu);
        for p in [
            "noeviction",
            "allkeys-random",
            "volatile-random",
            "volatile-ttl",
        ] {
            assert_eq!(Policy::from_name(p), Policy::Other);
        }
    }

    #[test]
    fn lru_clock_and_idle_time() {
        let s = Settings::default();
        let t = 1_700_000_123_000;
        let c = s.fresh(t);
        assert_eq!(c, ((t / 1000) % (1 << 24)) as u32);
        assert_eq!(idle_ms(c, t), 0);
        assert_eq!(idle_ms(c, t + 999), 0);
        assert_eq!(idle_ms(c, t + 5_000), 5_000);
        assert_eq!(s.touched(c, t + 7_000), lru_clock(t + 7_000));
        assert_eq!(s.overwritten(c, t + 7_000), lru_clock(t + 7_000));
        // Across the wrap of the 24-bit clock (Redis's formula loses a tick).
        let wrap_at = (1i64 << 24) * 1000;
        assert_eq!(idle_ms(lru_clock(wrap_at - 2000), wrap_at + 3000), 4000);
    }

    #[test]
    fn lfu_counter_grows_and_decays() {
        let t = 1_700_000_000_000;
        let s = lfu(0, 1);
        let c = s.fresh(t);
        assert_eq!(c & 0xff, LFU_INIT_VAL as u32);
        assert_eq!(c >> 8, lfu_minutes(t));
        // Factor 0: every access counts, up to 255.
        let mut c2 = c;
        for _ in 0..300 {
            c2 = s.touched(c2, t);
        }
        assert_eq!(s.lfu_counter(c2, t), 255);
        // One decrement per elapsed decay period; never below zero.
        let c = s.touched(c, t);
        assert_eq!(s.lfu_counter(c, t), 6);
        assert_eq!(s.lfu_counter(c, t + 3 * MIN), 3);
        assert_eq!(s.lfu_counter(c, t + 100 * MIN), 0);
        assert_eq!(lfu(0, 2).lfu_counter(c, t + 3 * MIN), 5);
        assert_eq!(lfu(0, 0).lfu_counter(c, t + 100 * MIN), 6);
        // Overwriting keeps LFU data.
        assert_eq!(s.overwritten(c, t + MIN), c);
    }

    #[test]
    fn lfu_log_incr_probability() {
        assert_eq!(lfu_log_incr(255, 0, 0.0), 255);
        assert_eq!(lfu_log_incr(3, 10, 0.99), 4, "below INIT_VAL always counts");
        // counter 15, factor 10: p = 1/101.
        assert_eq!(lfu_log_incr(15, 10, 0.0099), 16);
        assert_eq!(lfu_log_incr(15, 10, 0.0100), 15);
        assert!((0..1000).all(|_| (0.0..1.0).contains(&random_unit())));
    }

    #[test]
    fn restored_follows_the_policy() {
        let t = 1_700_000_000_000;
        let lru = Settings::default();
        let now = lru_clock(t);
        assert_eq!(lru.restored(None, Some(1000), t), Some(now - 1000));
        assert_eq!(lru.restored(Some(9), None, t), None);
        assert_eq!(lru.restored(None, Some(u64::MAX), t), None);
        // Beyond the clock's current value it wraps, exactly as real
        // Redis: with its clock at 154200, RESTORE ... IDLETIME n stored
        // these lru values (DEBUG OBJECT) and OBJECT IDLETIME read back n
        // for the first three.
        let at = 154_200_000;
        let stored = |idle: u64| lru.restored(None, Some(idle), at).unwrap();
        assert_eq!(stored(154_000), 200);
        assert_eq!(stored(160_000), 16_771_415);
        assert_eq!(stored(16_777_215), 154_200);
        assert_eq!(stored(16_777_216), 154_199);
        assert_eq!(stored(20_000_000), 13_708_631);
        assert_eq!(stored(1_000_000_000), 6_787_159);
        assert_eq!(stored(99_999_999_999), 9_138_776);
        assert_eq!(idle_ms(stored(154_000), at), 154_000_000);
        assert_eq!(idle_ms(stored(160_000), at), 160_000_000);
        assert_eq!(idle_ms(stored(16_777_215), at), 0);
        let s = lfu(10, 1);
        assert_eq!(
            s.restored(Some(9), Some(5), t),
            Some(lfu_minutes(t) << 8 | 9)
        );
        assert_eq!(s.restored(None, Some(5), t), None);
    }
}
