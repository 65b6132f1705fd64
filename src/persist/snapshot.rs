//! The dataset as an RDB stream, both ways: write every database with the
//! encodings Redis 7.0 would pick (so a real Redis loading our file ends up
//! with the same OBJECT ENCODINGs), and load a file into fresh databases,
//! re-deciding compact vs big encodings with our configured thresholds as
//! Redis does when it loads.
//!
//! Used by SAVE and the BGSAVE child (write), start-up loading and DEBUG
//! RELOAD (read), and later by replication's full sync.

use std::io::{self, Read, Write};
use std::path::Path;

use crate::config::Config;
use crate::db::clock::{self, Policy};
use crate::db::hash::Hash;
use crate::db::list::{Elem, List};
use crate::db::set::{Member, Set};
use crate::db::zset::{Limits, ZSet};
use crate::db::{Db, RStr, Value};
use crate::persist::rdb::{
    AuxFields, KeyMeta, RdbError, RdbErrorKind, RdbItem, RdbReader, RdbType, RdbValue, RdbWriter,
    ReaderOptions, ValueRef, WriterOptions,
};
use crate::persist::writeback::WritebackFile;

/// Elements per listpack node when writing a list: Redis's default node
/// size limit (`list-max-listpack-size -2`, 8 KB) keeps nodes small; this
/// only affects how the file groups elements, not what loads.
const NODE_BYTES: usize = 8 * 1024;

/// How to write a snapshot.
#[derive(Debug, Clone, Copy)]
pub struct SaveOptions {
    pub writer: WriterOptions,
    /// `rdb-key-save-delay`: microseconds to sleep after each key (a test
    /// knob that makes saves slow on purpose).
    pub key_save_delay_us: i64,
    /// The access-clock settings: under an LRU policy every key is written
    /// with its idle time (`IDLE`), under an LFU one with its counter
    /// (`FREQ`), otherwise with neither (Redis's rdbSaveKeyValuePair).
    pub clock: clock::Settings,
    /// The time idle times and counter decay are computed at: when the
    /// save started (a fork child's clock is frozen at fork, as Redis's
    /// cached LRU clock is in its child).
    pub now_ms: i64,
}

/// Write `dbs` as a complete RDB stream (magic, AUX, keys, EOF, checksum).
/// Returns the writer's output when done.
pub fn write_rdb<W: Write>(
    out: W,
    dbs: &[Db],
    aux: &AuxFields,
    opts: SaveOptions,
) -> io::Result<W> {
    let mut w = RdbWriter::new(out, opts.writer);
    w.write_magic()?;
    w.write_aux_fields(aux)?;
    for db in dbs {
        if db.is_empty() {
            continue;
        }
        w.select_db(db.id as u64)?;
        w.resize_db(db.len() as u64, db.expires.len() as u64)?;
        for (key, value, stamp) in db.dict.iter_prefetching(Value::heap_addr) {
            let (idle, freq) = match opts.clock.policy {
                Policy::Lru => (Some(clock::idle_ms(stamp, opts.now_ms) / 1000), None),
                Policy::Lfu => (None, Some(opts.clock.lfu_counter(stamp, opts.now_ms))),
                Policy::Other => (None, None),
            };
            let meta = KeyMeta {
                expire_ms: db.expire_at(key),
                idle,
                freq,
            };
            write_key(&mut w, key, &meta, value)?;
            if opts.key_save_delay_us > 0 {
                std::thread::sleep(std::time::Duration::from_micros(
                    opts.key_save_delay_us as u64,
                ));
            }
        }
    }
    w.finish()
}

/// Write one key with the encoding Redis 7.0 would use for the value.
///
/// Collections are streamed from the value into the writer: the same bytes
/// as [`with_value_ref`] + [`RdbWriter::write_key`] (DUMP's path, which
/// the tests compare this with), without copying every element out first.
fn write_key<W: Write>(
    w: &mut RdbWriter<W>,
    key: &[u8],
    meta: &KeyMeta,
    value: &Value,
) -> io::Result<()> {
    w.write_key_header(key, meta, rdb_type_of(value))?;
    write_value_body(w, value)
}

/// The type byte Redis 7.0 writes `value` with.
fn rdb_type_of(value: &Value) -> RdbType {
    match value {
        Value::Str(_) => RdbType::String,
        Value::List(_) => RdbType::ListQuicklist2,
        Value::Hash(h) if h.encoding() == "listpack" => RdbType::HashListpack,
        Value::Hash(_) => RdbType::Hash,
        Value::Set(s) if s.is_intset() => RdbType::SetIntset,
        Value::Set(_) => RdbType::Set,
        Value::ZSet(z) if z.is_listpack() => RdbType::ZSetListpack,
        Value::ZSet(_) => RdbType::ZSet2,
        Value::Stream(_) => RdbType::StreamListpacks2,
    }
}

/// The value after its type byte (Redis's rdbSaveObject), streamed.
fn write_value_body<W: Write>(w: &mut RdbWriter<W>, value: &Value) -> io::Result<()> {
    match value {
        Value::Str(s) => s.with_bytes(|b| w.write_string(b)),
        Value::List(l) => write_quicklist(w, l),
        Value::Hash(h) if h.encoding() == "listpack" => w.write_listpack(|b| {
            for (f, v) in h.iter() {
                b.push(f);
                b.push(v);
            }
        }),
        Value::Hash(h) => {
            w.write_len(h.len() as u64)?;
            for (f, v) in h.iter() {
                w.write_string(f)?;
                w.write_string(v)?;
            }
            Ok(())
        }
        Value::Set(s) if s.is_intset() => {
            // Rare enough (and intset::encode wants a slice) to collect.
            with_value_ref(value, |v| w.write_value_body(v))
        }
        Value::Set(s) => {
            w.write_len(s.len() as u64)?;
            for m in s.iter() {
                m.with_bytes(|b| w.write_string(b))?;
            }
            Ok(())
        }
        Value::ZSet(z) if z.is_listpack() => w.write_listpack(|b| {
            z.for_each(|m, score| {
                b.push(m);
                b.push_score(score);
            })
        }),
        Value::ZSet(z) => {
            w.write_len(z.len() as u64)?;
            // Redis writes skiplists from the highest score down.
            let mut r = Ok(());
            z.for_range(0, usize::MAX, true, |m, score| {
                if r.is_ok() {
                    r = w.write_string(m).and_then(|_| w.write_binary_double(score));
                }
            });
            r
        }
        Value::Stream(st) => w.write_stream(st),
    }
}

/// Bytes `value` takes in an RDB file after its type byte, with or without
/// LZF (`rdbcompression`): DEBUG OBJECT's `serializedlength` (Redis's
/// rdbSavedObjectLen). Computed by writing into a sink. Redis serializes a
/// quicklist node by node as it sits in memory, so a list is measured with
/// our in-memory nodes (which follow Redis's node limits) rather than the
/// regrouping [`write_quicklist`] does for files.
pub fn serialized_len(value: &Value, compression: bool) -> u64 {
    let opts = crate::persist::rdb::WriterOptions {
        compression,
        checksum: false,
    };
    let mut w = RdbWriter::new(io::sink(), opts);
    // Writing to a sink cannot fail.
    let _ = match value {
        Value::List(l) => write_quicklist_nodes(&mut w, l, l.node_lens()),
        _ => write_value_body(&mut w, value),
    };
    w.written()
}

/// A list as `RDB_TYPE_LIST_QUICKLIST_2` (after the type byte): node count,
/// then each node of about [`NODE_BYTES`] as a listpack, grouped exactly as
/// [`list_nodes`] groups them.
fn write_quicklist<W: Write>(w: &mut RdbWriter<W>, l: &List) -> io::Result<()> {
    // The node count comes first, so find the node sizes in a first pass
    // (lengths only), then stream each node's elements.
    let mut sizes: Vec<usize> = Vec::new();
    let mut cur = 0usize;
    let mut bytes = 0;
    for e in l.iter() {
        let len = elem_len(e);
        if cur > 0 && bytes + len > NODE_BYTES {
            sizes.push(cur);
            cur = 0;
            bytes = 0;
        }
        bytes += len + 2;
        cur += 1;
    }
    if cur > 0 {
        sizes.push(cur);
    }
    write_quicklist_nodes(w, l, sizes.into_iter())
}

/// The node count, then the list's elements as listpack nodes of
/// `sizes` elements each (which must add up to the list's length).
fn write_quicklist_nodes<W: Write>(
    w: &mut RdbWriter<W>,
    l: &List,
    sizes: impl ExactSizeIterator<Item = usize>,
) -> io::Result<()> {
    w.write_len(sizes.len() as u64)?;
    let mut it = l.iter();
    for n in sizes {
        w.write_quicklist_node(|b| {
            for e in it.by_ref().take(n) {
                match e {
                    Elem::Bytes(s) => b.push(s),
                    // The element's decimal text is canonical, which the
                    // listpack would store as this same integer.
                    Elem::Int(v) => b.push_int(v),
                }
            }
        })?;
    }
    Ok(())
}

/// The length of a list element's text.
fn elem_len(e: Elem) -> usize {
    match e {
        Elem::Bytes(b) => b.len(),
        Elem::Int(v) => {
            let digits = v.unsigned_abs().checked_ilog10().unwrap_or(0) as usize + 1;
            digits + usize::from(v < 0)
        }
    }
}

/// DUMP: the value's serialization with RDB version and CRC64 footer.
pub fn dump_value(value: &Value, compression: bool) -> Vec<u8> {
    with_value_ref(value, |v| crate::persist::rdb::dump_payload(v, compression))
}

/// Call `f` with the value in the form and encoding Redis 7.0 writes it.
/// Collections are materialized first (the writer takes slices): fine for
/// DUMP's one value; snapshots stream instead ([`write_key`]).
fn with_value_ref<R>(value: &Value, f: impl FnOnce(&ValueRef) -> R) -> R {
    match value {
        Value::Str(s) => s.with_bytes(|b| f(&ValueRef::String(b))),
        Value::List(l) => {
            let nodes = list_nodes(l);
            f(&ValueRef::Quicklist(&nodes))
        }
        Value::Hash(h) => {
            let pairs: Vec<(Vec<u8>, Vec<u8>)> =
                h.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect();
            if h.encoding() == "listpack" {
                f(&ValueRef::HashListpack(&pairs))
            } else {
                f(&ValueRef::Hash(&pairs))
            }
        }
        Value::Set(s) => {
            if s.is_intset() {
                let ints: Vec<i64> = s
                    .iter()
                    .filter_map(|m| match m {
                        Member::Int(v) => Some(v),
                        Member::Bytes(_) => None,
                    })
                    .collect();
                f(&ValueRef::IntSet(&ints))
            } else {
                let members: Vec<Vec<u8>> =
                    s.iter().map(|m| m.with_bytes(|b| b.to_vec())).collect();
                f(&ValueRef::Set(&members))
            }
        }
        Value::ZSet(z) => {
            let mut pairs = Vec::with_capacity(z.len());
            z.for_each(|m, s| pairs.push((m.to_vec(), s)));
            if z.is_listpack() {
                f(&ValueRef::ZSetListpack(&pairs))
            } else {
                // Redis writes skiplists from the highest score down.
                pairs.reverse();
                f(&ValueRef::ZSet(&pairs))
            }
        }
        Value::Stream(st) => f(&ValueRef::Stream(st)),
    }
}

/// Group a list's elements into nodes of about `NODE_BYTES`.
fn list_nodes(l: &List) -> Vec<Vec<Vec<u8>>> {
    let mut nodes = Vec::new();
    let mut cur: Vec<Vec<u8>> = Vec::new();
    let mut bytes = 0;
    for e in l.iter() {
        let v = e.to_vec();
        if !cur.is_empty() && bytes + v.len() > NODE_BYTES {
            nodes.push(std::mem::take(&mut cur));
            bytes = 0;
        }
        bytes += v.len() + 2;
        cur.push(v);
    }
    if !cur.is_empty() {
        nodes.push(cur);
    }
    nodes
}

/// Write `dbs` to `dir/final_name` safely: into `dir/temp_name`, fsync,
/// then rename over the final name, so a crash never leaves a half file
/// under the real name. The temp file is removed on failure. Writeback of
/// the file starts every `writeback_step` bytes (0: only at the fsync).
pub fn save_file(
    dir: &Path,
    temp_name: &str,
    final_name: &str,
    dbs: &[Db],
    aux: &AuxFields,
    opts: SaveOptions,
    writeback_step: u64,
) -> io::Result<()> {
    let tmp = dir.join(temp_name);
    let result = (|| {
        let file = WritebackFile::new(std::fs::File::create(&tmp)?, writeback_step);
        let buffered = io::BufWriter::with_capacity(1 << 16, file);
        let buffered = write_rdb(buffered, dbs, aux, opts)?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.into_inner().sync_all()?;
        std::fs::rename(&tmp, dir.join(final_name))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What a load produced besides the databases.
#[derive(Debug, Default)]
pub struct LoadInfo {
    pub keys_loaded: u64,
    pub keys_expired: u64,
    /// AUX fields as found (redis-ver, ctime, repl-id, repl-offset...).
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
    /// Input bytes read past the end of the RDB (see
    /// [`RdbReader::read_ahead`]): a payload of exactly one RDB has none.
    pub trailing_bytes: usize,
}

impl LoadInfo {
    /// An AUX field's value as text.
    pub fn aux_str(&self, name: &str) -> Option<String> {
        self.aux
            .iter()
            .find(|(k, _)| k.as_slice() == name.as_bytes())
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }
}

/// Read a whole RDB stream into `dbs` (which should be empty). Keys whose
/// TTL passed are skipped when `drop_expired` (a master; a replica keeps
/// them for its master's DEL). `key_load_delay_us` is Redis's
/// `key-load-delay` test knob.
pub fn load_rdb<R: Read>(
    input: R,
    dbs: &mut [Db],
    cfg: &Config,
    now_ms: i64,
    drop_expired: bool,
) -> Result<LoadInfo, RdbError> {
    load_rdb_with_progress(input, dbs, cfg, now_ms, drop_expired, &mut |_, _| {})
}

/// [`load_rdb`], calling `progress(keys loaded, bytes read)` every
/// [`PROGRESS_EVERY`] keys (and after every key when `key-load-delay` is
/// set), so that the caller can serve clients and report progress while a
/// big file loads.
pub fn load_rdb_with_progress<R: Read>(
    input: R,
    dbs: &mut [Db],
    cfg: &Config,
    now_ms: i64,
    drop_expired: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LoadInfo, RdbError> {
    let info = load_keys(input, dbs, cfg, now_ms, drop_expired, progress)?;
    // Keys went in without a lookup each (see Dict::insert_hashed_unchecked):
    // a file that holds a key twice is refused here, as Redis refuses it.
    for db in dbs.iter() {
        if let Some(key) = db.loaded_duplicate() {
            return Err(RdbError {
                kind: RdbErrorKind::Corrupt(format!(
                    "RDB has duplicated key '{}' in DB {}",
                    String::from_utf8_lossy(key),
                    db.id
                )),
                offset: None,
            });
        }
    }
    Ok(info)
}

/// The reading part of [`load_rdb_with_progress`]: every key into `dbs`,
/// duplicates included.
fn load_keys<R: Read>(
    input: R,
    dbs: &mut [Db],
    cfg: &Config,
    now_ms: i64,
    drop_expired: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<LoadInfo, RdbError> {
    let mut reader = RdbReader::new(input, ReaderOptions::default())?;
    let mut info = LoadInfo::default();
    let clocks = clock::Settings::from_config(cfg);
    let mut db = 0usize;
    let delay = cfg.key_load_delay;
    loop {
        // Each key's bucket is fetched while its value is decoded: the
        // insert below then finds it in cache (the miss on the bucket was
        // half the time of inserting, on 1M keys).
        let keyspace = &dbs[db].dict;
        let mut key_hash = 0;
        let Some(item) = reader.next_item_hinting(&mut |key| key_hash = keyspace.prefetch(key))?
        else {
            info.trailing_bytes = reader.read_ahead();
            return Ok(info);
        };
        match item {
            RdbItem::Aux(k, v) => info.aux.push((k, v)),
            RdbItem::SelectDb(n) => {
                if n as usize >= dbs.len() {
                    return Err(RdbError {
                        kind: RdbErrorKind::Unsupported(format!(
                            "FATAL: Data file was created with a Redis server configured to handle more than {} databases. Exiting",
                            dbs.len()
                        )),
                        offset: Some(reader.offset()),
                    });
                }
                db = n as usize;
            }
            RdbItem::Key {
                key,
                expire_ms,
                idle,
                freq,
                value,
                ..
            } => {
                if value.is_empty_collection() {
                    continue;
                }
                if drop_expired && expire_ms.is_some_and(|t| t <= now_ms) {
                    info.keys_expired += 1;
                    continue;
                }
                let loaded = build_value(value, cfg);
                // IDLE/FREQ set the access clock as Redis's
                // objectSetLRUOrLFU does; without them the key is fresh.
                let stamp = clocks
                    .restored(freq, idle, now_ms)
                    .unwrap_or_else(|| clocks.fresh(now_ms));
                dbs[db].add_loaded(key_hash, key.into_boxed_slice(), loaded, expire_ms, stamp);
                info.keys_loaded += 1;
                if delay > 0 {
                    std::thread::sleep(std::time::Duration::from_micros(delay as u64));
                    progress(info.keys_loaded, reader.offset());
                } else if info.keys_loaded.is_multiple_of(PROGRESS_EVERY) {
                    progress(info.keys_loaded, reader.offset());
                }
            }
            RdbItem::Eof => {
                info.trailing_bytes = reader.read_ahead();
                return Ok(info);
            }
            RdbItem::ResizeDb {
                db_size,
                expires_size,
            } => {
                // Sizes come from the file: cap them so a corrupt header
                // cannot make us allocate a huge table up front.
                let cap = |n: u64| n.min(RESIZE_HINT_MAX) as usize;
                dbs[db].reserve(cap(db_size), cap(expires_size));
            }
            RdbItem::Function(_) | RdbItem::ModuleAux { .. } => {}
        }
    }
}

/// Largest RESIZEDB count honoured up front (2^27 buckets, 1 GiB of
/// table): beyond it the tables grow as keys arrive, as usual.
const RESIZE_HINT_MAX: u64 = 1 << 27;

/// Keys between two progress callbacks while loading.
pub const PROGRESS_EVERY: u64 = 1024;

/// Turn a decoded value into ours, choosing encodings with our thresholds.
pub fn build_value(v: RdbValue, cfg: &Config) -> Value {
    match v {
        RdbValue::String(b) => Value::Str(RStr::from_vec(b)),
        RdbValue::List(items) => Value::List(Box::new(List::from_items(
            cfg.list_max_listpack_size,
            &items,
        ))),
        RdbValue::Set(members) => {
            let mut s = match members.first() {
                Some(first) => Set::new_for(first),
                None => Set::new_intset(),
            };
            for m in &members {
                s.add(m, cfg.set_max_intset_entries);
            }
            Value::Set(s)
        }
        RdbValue::IntSet(ints) => {
            let mut s = Set::new_intset();
            for v in ints {
                s.add_member(Member::Int(v), cfg.set_max_intset_entries);
            }
            Value::Set(s)
        }
        // The reader has refused duplicate fields.
        RdbValue::Hash(pairs) => Value::Hash(Hash::from_unique_pairs(
            &pairs,
            cfg.hash_max_listpack_entries,
            cfg.hash_max_listpack_value,
        )),
        RdbValue::ZSet(pairs) => {
            let lim = Limits::new(cfg.zset_max_listpack_entries, cfg.zset_max_listpack_value);
            Value::ZSet(ZSet::fresh(pairs, lim))
        }
        RdbValue::Stream(st) => Value::Stream(st),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aux() -> AuxFields {
        AuxFields {
            redis_ver: "7.0.15".into(),
            redis_bits: 64,
            ctime: 0,
            used_mem: 0,
            repl: None,
            aof_base: false,
        }
    }

    /// Every type in compact and big encodings, with TTLs, in two databases.
    fn sample(cfg: &Config) -> Vec<Db> {
        let mut dbs: Vec<Db> = (0..3).map(Db::new).collect();
        let d = &mut dbs[0];
        d.add(b"int", Value::from_bytes(b"12345"));
        d.add(b"emb", Value::from_bytes(b"hello"));
        d.add(b"raw", Value::from_bytes(&[b'x'; 300]));
        d.set_expire(b"emb", 4_000_000_000_000);
        let mut l = List::new(cfg.list_max_listpack_size);
        for i in 0..5000 {
            l.push_back(format!("e{i}").as_bytes());
        }
        d.add(b"list", Value::List(Box::new(l)));
        let mut small = Hash::new();
        small.set(
            b"f",
            b"v",
            cfg.hash_max_listpack_entries,
            cfg.hash_max_listpack_value,
        );
        d.add(b"hsmall", Value::Hash(small));
        let mut big = Hash::new();
        for i in 0..1000 {
            big.set(
                format!("f{i}").as_bytes(),
                b"v",
                cfg.hash_max_listpack_entries,
                cfg.hash_max_listpack_value,
            );
        }
        d.add(b"hbig", Value::Hash(big));
        let mut ints = Set::new_intset();
        ints.add(b"7", cfg.set_max_intset_entries);
        ints.add(b"-3", cfg.set_max_intset_entries);
        d.add(b"sint", Value::Set(ints));
        let mut strs = Set::new_for(b"a");
        strs.add(b"a", cfg.set_max_intset_entries);
        strs.add(b"b", cfg.set_max_intset_entries);
        d.add(b"sstr", Value::Set(strs));
        let lim = Limits::new(cfg.zset_max_listpack_entries, cfg.zset_max_listpack_value);
        d.add(
            b"zsmall",
            Value::ZSet(ZSet::fresh(
                vec![(b"a".to_vec(), 1.5), (b"b".to_vec(), -2.0)],
                lim,
            )),
        );
        let many: Vec<(Vec<u8>, f64)> = (0..500)
            .map(|i| (format!("m{i}").into_bytes(), i as f64 / 3.0))
            .collect();
        d.add(b"zbig", Value::ZSet(ZSet::fresh(many, lim)));
        dbs[2].add(b"other", Value::from_bytes(b"db2"));
        dbs
    }

    #[test]
    fn round_trip_keeps_values_ttls_and_encodings() {
        let cfg = Config::default();
        let dbs = sample(&cfg);
        let opts = SaveOptions {
            writer: WriterOptions::default(),
            key_save_delay_us: 0,
            clock: clock::Settings::default(),
            now_ms: 0,
        };
        let bytes = write_rdb(Vec::new(), &dbs, &aux(), opts).expect("write");
        let mut back: Vec<Db> = (0..3).map(Db::new).collect();
        let info = load_rdb(&bytes[..], &mut back, &cfg, 0, true).expect("load");
        assert_eq!(info.keys_loaded, 11);
        for (a, b) in dbs.iter().zip(&back) {
            assert_eq!(a.len(), b.len());
            for (k, v) in a.dict.iter() {
                let w = b.dict.get(k).expect("key loaded");
                assert_eq!(v, w, "key {}", String::from_utf8_lossy(k));
                assert_eq!(
                    v.encoding(),
                    w.encoding(),
                    "key {}",
                    String::from_utf8_lossy(k)
                );
                assert_eq!(a.expire_at(k), b.expire_at(k));
            }
        }
    }

    /// Under an LRU policy keys are saved with their idle time and load
    /// back with that idle time (the time between save and load does not
    /// count, as in Redis); under LFU with their decayed counter; under any
    /// other policy with neither, and they load fresh.
    #[test]
    fn access_clocks_round_trip_by_policy() {
        let t = 1_700_000_000_000i64;
        let mut cfg = Config::default();
        let mut dbs = vec![Db::new(0)];
        for policy in ["allkeys-lru", "allkeys-lfu", "noeviction"] {
            cfg.maxmemory_policy = policy.into();
            cfg.lfu_decay_time = 1;
            let s = clock::Settings::from_config(&cfg);
            dbs[0].clear();
            // LRU: idle 0, 100 s and 30 days; LFU: counters 5, 40 (two
            // minutes old, so decayed to 38) and 255.
            let stamps = if s.is_lfu() {
                let min = (t / 60_000) as u32 & 0xffff;
                [min << 8 | 5, (min - 2) << 8 | 40, min << 8 | 255]
            } else {
                let now = clock::lru_clock(t);
                [now, now - 100, now - 30 * 86_400]
            };
            for (i, st) in stamps.iter().enumerate() {
                let k = format!("k{i}");
                dbs[0].add_with_clock(k.as_bytes(), Value::from_bytes(b"value"), *st);
            }
            let opts = SaveOptions {
                writer: WriterOptions::default(),
                key_save_delay_us: 0,
                clock: s,
                now_ms: t,
            };
            let bytes = write_rdb(Vec::new(), &dbs, &aux(), opts).expect("write");
            let idle_ops = bytes.windows(2).filter(|w| w == b"\xf8\x00").count();
            let freq_ops = bytes.windows(2).filter(|w| w[0] == 0xf9).count();
            let later = t + 3_000;
            let mut back = vec![Db::new(0)];
            load_rdb(&bytes[..], &mut back, &cfg, later, true).expect("load");
            let got: Vec<u32> = (0..3)
                .map(|i| back[0].clock_of(format!("k{i}").as_bytes()).unwrap())
                .collect();
            match s.policy {
                Policy::Lru => {
                    assert!(idle_ops >= 1 && freq_ops == 0, "{bytes:x?}");
                    let idle: Vec<u64> = got
                        .iter()
                        .map(|c| clock::idle_ms(*c, later) / 1000)
                        .collect();
                    assert_eq!(idle, [0, 100, 30 * 86_400]);
                }
                Policy::Lfu => {
                    let counters: Vec<u8> = got.iter().map(|c| s.lfu_counter(*c, later)).collect();
                    assert_eq!(counters, [5, 38, 255]);
                }
                Policy::Other => {
                    assert_eq!((idle_ops, freq_ops), (0, 0), "{bytes:x?}");
                    assert!(got.iter().all(|c| *c == s.fresh(later)));
                }
            }
        }
    }

    /// DEBUG OBJECT's serializedlength: the value's RDB bytes after the
    /// type byte, e.g. a length byte plus the text, or an integer encoding.
    #[test]
    fn serialized_len_matches_rdb_bytes() {
        assert_eq!(serialized_len(&Value::from_bytes(b"barbarbar"), true), 10);
        assert_eq!(serialized_len(&Value::from_bytes(b"12345"), true), 3);
        let long = vec![b'a'; 100];
        assert!(serialized_len(&Value::from_bytes(&long), true) < 20);
        assert_eq!(serialized_len(&Value::from_bytes(&long), false), 102);
        let body_in_file = |k: &[u8], v: &Value| {
            let mut w = RdbWriter::new(Vec::new(), WriterOptions::default());
            write_key(&mut w, k, &KeyMeta::default(), v).expect("write");
            let whole = w.into_inner().expect("flush").len() as u64;
            // Less the type byte, the key's length byte and the key.
            whole - 2 - k.len() as u64
        };
        let cfg = Config::default();
        for db in sample(&cfg) {
            for (k, v) in db.dict.iter() {
                // Big lists are regrouped into nodes for files; see below.
                if !matches!(v, Value::List(_)) {
                    assert_eq!(serialized_len(v, true), body_in_file(k, v));
                }
            }
        }
        // A list is measured by its in-memory nodes, as Redis serializes
        // them: one small node is the same either way, while many nodes
        // cost a node header each.
        let mut small = List::new(-2);
        let mut big = List::new(4);
        for i in 0..10 {
            small.push_back(format!("e{i}").as_bytes());
            big.push_back(format!("e{i}").as_bytes());
        }
        let small = Value::List(Box::new(small));
        assert_eq!(serialized_len(&small, true), body_in_file(b"l", &small));
        assert_eq!(big.node_count(), 3);
        let big = Value::List(Box::new(big));
        // Node count, then per node: container byte, listpack length byte,
        // listpack (7 header/end bytes + 4 bytes per "eN" entry).
        assert_eq!(serialized_len(&big, false), 1 + 3 * 2 + 3 * 7 + 10 * 4);
        assert_eq!(body_in_file(b"l", &big), 1 + 2 + 7 + 10 * 4);
    }

    /// The snapshot's streaming `write_key` writes the same bytes as the
    /// materializing `with_value_ref` path (DUMP's), for every type and
    /// encoding, with and without compression.
    #[test]
    fn streamed_keys_equal_materialized_keys() {
        let cfg = Config::default();
        let mut dbs = sample(&cfg);
        let d = &mut dbs[0];
        // Integer elements, elements bigger than a node, compressible text.
        let mut l = List::new(cfg.list_max_listpack_size);
        for e in [
            &b"12"[..],
            b"-7",
            b"9223372036854775807",
            b"-0",
            b"007",
            b"x",
        ] {
            l.push_back(e);
        }
        l.push_back(&[b'a'; 9000]);
        l.push_back(b"after the big one, compressible compressible compressible");
        d.add(b"lmixed", Value::List(Box::new(l)));
        // Integral, huge, tiny, negative, infinite scores.
        let lim = Limits::new(cfg.zset_max_listpack_entries, cfg.zset_max_listpack_value);
        let scores = [
            3.0,
            -42.0,
            1e15,
            999_999_999_999_999.0,
            1e300,
            1234.56,
            -0.001,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let pairs: Vec<(Vec<u8>, f64)> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("m{i}").into_bytes(), *s))
            .collect();
        d.add(b"zscores", Value::ZSet(ZSet::fresh(pairs, lim)));
        let mut hs = Set::new_for(b"a");
        for m in [&b"12"[..], b"text member", b"-5"] {
            hs.add(m, cfg.set_max_intset_entries);
        }
        d.add(b"smixed", Value::Set(hs));
        d.add(b"bigint", Value::from_bytes(b"-9223372036854775808"));
        d.set_expire(b"lmixed", 5_000_000_000_000);
        for compression in [true, false] {
            let opts = WriterOptions {
                compression,
                checksum: true,
            };
            for db in &dbs {
                for (key, value) in db.dict.iter() {
                    let meta = KeyMeta {
                        expire_ms: db.expire_at(key),
                        idle: None,
                        freq: None,
                    };
                    let mut streamed = RdbWriter::new(Vec::new(), opts);
                    write_key(&mut streamed, key, &meta, value).expect("write");
                    let mut collected = RdbWriter::new(Vec::new(), opts);
                    with_value_ref(value, |v| collected.write_key(key, &meta, v)).expect("write");
                    assert_eq!(
                        streamed.into_inner().expect("vec"),
                        collected.into_inner().expect("vec"),
                        "key {} compression {compression}",
                        String::from_utf8_lossy(key)
                    );
                }
            }
        }
    }

    #[test]
    fn expired_keys_are_dropped_on_a_master_only() {
        let cfg = Config::default();
        let mut dbs: Vec<Db> = vec![Db::new(0)];
        dbs[0].add(b"old", Value::from_bytes(b"v"));
        dbs[0].set_expire(b"old", 1000);
        let opts = SaveOptions {
            writer: WriterOptions::default(),
            key_save_delay_us: 0,
            clock: clock::Settings::default(),
            now_ms: 0,
        };
        let bytes = write_rdb(Vec::new(), &dbs, &aux(), opts).expect("write");
        let mut master = vec![Db::new(0)];
        let info = load_rdb(&bytes[..], &mut master, &cfg, 5000, true).expect("load");
        assert_eq!((info.keys_loaded, info.keys_expired), (0, 1));
        let mut replica = vec![Db::new(0)];
        load_rdb(&bytes[..], &mut replica, &cfg, 5000, false).expect("load");
        assert_eq!(replica[0].len(), 1);
    }

    /// A file holding a key twice is refused, as Redis refuses it, though
    /// the load inserts without looking keys up: here db 0's section comes
    /// twice, with a key of each type in both.
    #[test]
    fn a_key_held_twice_is_refused() {
        let cfg = Config::default();
        let opts = SaveOptions {
            writer: WriterOptions::default(),
            key_save_delay_us: 0,
            clock: clock::Settings::default(),
            now_ms: 0,
        };
        let mut twice = sample(&cfg);
        let again = sample(&cfg).swap_remove(0);
        let doubled = again
            .dict
            .iter()
            .next()
            .map(|(k, _)| k.to_vec())
            .expect("a key");
        twice.push(again);
        let bytes = write_rdb(Vec::new(), &twice, &aux(), opts).expect("write");
        let mut back: Vec<Db> = (0..3).map(Db::new).collect();
        let err = load_rdb(&bytes[..], &mut back, &cfg, 0, true).expect_err("a duplicate");
        assert!(
            err.to_string().contains("RDB has duplicated key '")
                && err.to_string().contains("in DB 0"),
            "{err}"
        );
        // Without the second section the same keys load.
        let once = sample(&cfg);
        let bytes = write_rdb(Vec::new(), &once, &aux(), opts).expect("write");
        let mut back: Vec<Db> = (0..3).map(Db::new).collect();
        load_rdb(&bytes[..], &mut back, &cfg, 0, true).expect("load");
        assert!(back[0].dict.contains_key(&doubled));
    }

    #[test]
    fn truncated_files_are_refused() {
        let cfg = Config::default();
        let dbs = sample(&cfg);
        let opts = SaveOptions {
            writer: WriterOptions::default(),
            key_save_delay_us: 0,
            clock: clock::Settings::default(),
            now_ms: 0,
        };
        let bytes = write_rdb(Vec::new(), &dbs, &aux(), opts).expect("write");
        for cut in [0, 5, 9, 30, bytes.len() / 2, bytes.len() - 1] {
            let mut back: Vec<Db> = (0..3).map(Db::new).collect();
            assert!(
                load_rdb(&bytes[..cut], &mut back, &cfg, 0, true).is_err(),
                "cut at {cut}"
            );
        }
    }
    /// A seeded xorshift64: the mutation tests below are the same run
    /// after run, so a failure names a reproducible case.
    fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// Corrupts `b` in 1-4 places: bit flips, bytes that are special in
    /// the format (length encodings 0x40/0x80/0x81/0xC0-0xC3, EOF 0xFF),
    /// random bytes, or a cut.
    fn mutate(b: &mut Vec<u8>, next: &mut impl FnMut() -> u64) {
        for _ in 0..1 + next() % 4 {
            if b.is_empty() {
                return;
            }
            let pos = (next() as usize) % b.len();
            match next() % 6 {
                0 => b[pos] ^= 1 << (next() % 8),
                1 => b[pos] = 0xff,
                2 => b[pos] = 0,
                3 => b[pos] = next() as u8,
                4 => b[pos] = [0x40, 0x80, 0x81, 0xc0, 0xc3, 0x7f][(next() % 6) as usize],
                _ => b.truncate(pos),
            }
        }
    }

    /// Corrupted files are refused or, where the damage still parses (no
    /// checksum), load into values that save and load again: never a
    /// panic, whatever the bytes. (200k cases of this passed in a longer
    /// run, with debug overflow checks; a few hundred stay in the suite.)
    #[test]
    fn corrupted_files_never_panic() {
        let cfg = Config::default();
        let dbs = sample(&cfg);
        for checksum in [false, true] {
            let opts = SaveOptions {
                writer: WriterOptions {
                    compression: true,
                    checksum,
                },
                key_save_delay_us: 0,
                clock: clock::Settings::default(),
                now_ms: 0,
            };
            let bytes = write_rdb(Vec::new(), &dbs, &aux(), opts).expect("write");
            let mut next = xorshift(0x9e37_79b9_7f4a_7c15 ^ checksum as u64);
            for case in 0..300 {
                let mut b = bytes.clone();
                mutate(&mut b, &mut next);
                let survived = std::panic::catch_unwind(|| {
                    let mut back: Vec<Db> = (0..16).map(Db::new).collect();
                    if load_rdb(&b[..], &mut back, &cfg, 0, true).is_ok() {
                        let again = write_rdb(Vec::new(), &back, &aux(), opts).expect("save");
                        let mut third: Vec<Db> = (0..16).map(Db::new).collect();
                        load_rdb(&again[..], &mut third, &cfg, 0, true).expect("load again");
                    }
                });
                assert!(survived.is_ok(), "case {case} (checksum {checksum})");
            }
        }
    }

    /// RESTORE payloads come from the network with a checksum anyone can
    /// compute: corrupted bodies with a valid footer are refused or build
    /// values that DUMP again, never a panic.
    #[test]
    fn corrupted_restore_payloads_never_panic() {
        let cfg = Config::default();
        let dbs = sample(&cfg);
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for (key, value) in dbs[0].dict.iter() {
            let payload = dump_value(value, true);
            let (body, footer) = payload.split_at(payload.len() - 10);
            for case in 0..100 {
                let mut p = body.to_vec();
                mutate(&mut p, &mut next);
                p.extend_from_slice(&footer[..2]);
                let crc = crate::persist::crc64::crc64(&p);
                p.extend_from_slice(&crc.to_le_bytes());
                let survived = std::panic::catch_unwind(|| {
                    // RESTORE's own filter: an empty collection is "Bad data format".
                    let parsed = crate::persist::rdb::parse_dump_payload(&p).ok();
                    if let Some(v) = parsed.filter(|v| !v.is_empty_collection()) {
                        let built = build_value(v, &cfg);
                        let again = dump_value(&built, true);
                        crate::persist::rdb::parse_dump_payload(&again).expect("dump again");
                    }
                });
                assert!(
                    survived.is_ok(),
                    "key {} case {case}",
                    String::from_utf8_lossy(key)
                );
            }
        }
    }
}
