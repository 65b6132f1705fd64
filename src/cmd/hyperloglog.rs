//! HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE,
//! PFDEBUG and PFSELFTEST.
//!
//! A HyperLogLog is a string in Redis's own layout, byte for byte, because
//! users move them around as strings (GET/SET, DUMP/RESTORE, RDB files,
//! replication between ferrodis and Redis) and expect the other side to
//! read them:
//!
//! - a 16-byte header: `HYLL`, the encoding (0 dense, 1 sparse), three
//!   zero bytes, and the last computed cardinality as a little-endian u64
//!   whose top bit set means "stale";
//! - dense: 16384 registers of 6 bits, packed from the low bits of each
//!   byte up (12288 bytes);
//! - sparse: run-length opcodes over the registers, ZERO `00xxxxxx` (1-64
//!   zero registers), XZERO `01xxxxxx yyyyyyyy` (1-16384 zeros) and VAL
//!   `1vvvvvxx` (1-4 registers of value 1-32). A new HLL is sparse and
//!   turns dense when a register exceeds 32 or the string would grow past
//!   `hll-sparse-max-bytes`.
//!
//! Updates of the sparse form split and merge opcodes exactly as Redis
//! does, so the same PFADDs give the same bytes on both servers (DEBUG
//! DIGEST agrees between a Redis master and a ferrodis replica), and the
//! estimate is Ertl's improved estimator over the register histogram, as
//! in Redis 5 and later.

use super::{CmdError, CmdResult, Ctx};
use crate::db::thin::RawBytes;
use crate::db::{RStr, Value};
use crate::resp::errors;
use crate::server::notify;

/// Register index bits: 2^14 registers.
const P: u32 = 14;
const REGISTERS: usize = 1 << P;
/// Hash bits left for the run of zeros.
const Q: usize = 64 - P as usize;
const HEADER: usize = 16;
const DENSE_SIZE: usize = HEADER + (REGISTERS * 6).div_ceil(8);
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
/// Largest register value a sparse VAL opcode holds.
const SPARSE_VAL_MAX: u8 = 32;
const SPARSE_VAL_MAX_LEN: usize = 4;
const SPARSE_ZERO_MAX_LEN: usize = 64;
const SPARSE_XZERO_MAX_LEN: usize = 16384;
/// 0.5 / ln(2).
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

const NOT_AN_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";

/// The sparse form did not add up to 16384 registers.
struct Corrupt;

// ---------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------

/// MurmurHash64A as Redis has it (endian-neutral: words read little-endian).
fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let mut k = u64::from_le_bytes(b).wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= (b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element lands in and the length of its `0...01`
/// pattern (1 to Q + 1).
fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    // A sentinel bit above the Q used bits ends the run at Q + 1.
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

// ---------------------------------------------------------------------------
// Dense registers
// ---------------------------------------------------------------------------

fn dense_get(regs: &[u8], i: usize) -> u8 {
    let (byte, shift) = (i * 6 / 8, (i * 6) & 7);
    let lo = regs[byte] as u32 >> shift;
    let hi = regs.get(byte + 1).map_or(0, |&b| (b as u32) << (8 - shift));
    ((lo | hi) & 63) as u8
}

fn dense_put(regs: &mut [u8], i: usize, value: u8) {
    let (byte, shift) = (i * 6 / 8, (i * 6) & 7);
    let v = value as u32;
    regs[byte] &= !((63u32 << shift) as u8);
    regs[byte] |= (v << shift) as u8;
    if let Some(next) = regs.get_mut(byte + 1) {
        *next &= !((63u32 >> (8 - shift)) as u8);
        *next |= (v >> (8 - shift)) as u8;
    }
}

/// Raise register `i` to `count`; whether it changed.
fn dense_raise(regs: &mut [u8], i: usize, count: u8) -> bool {
    let raise = count > dense_get(regs, i);
    if raise {
        dense_put(regs, i, count);
    }
    raise
}

// ---------------------------------------------------------------------------
// Sparse opcodes
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `len` zero registers (ZERO or XZERO).
    Zeros { len: usize, wide: bool },
    /// `len` registers holding `value`.
    Val { value: u8, len: usize },
}

impl Op {
    /// The opcode at `p` (a truncated XZERO reads a zero low byte).
    fn at(bytes: &[u8], p: usize) -> Op {
        let b = bytes[p];
        if b & 0xc0 == 0 {
            Op::Zeros {
                len: (b & 0x3f) as usize + 1,
                wide: false,
            }
        } else if b & 0x80 == 0 {
            let low = bytes.get(p + 1).copied().unwrap_or(0) as usize;
            Op::Zeros {
                len: (((b & 0x3f) as usize) << 8 | low) + 1,
                wide: true,
            }
        } else {
            Op::Val {
                value: ((b >> 2) & 0x1f) + 1,
                len: (b & 3) as usize + 1,
            }
        }
    }

    fn registers(self) -> usize {
        match self {
            Op::Zeros { len, .. } | Op::Val { len, .. } => len,
        }
    }

    fn size(self) -> usize {
        match self {
            Op::Zeros { wide: true, .. } => 2,
            _ => 1,
        }
    }
}

fn val_byte(value: u8, len: usize) -> u8 {
    0x80 | (value - 1) << 2 | (len - 1) as u8
}

/// Append the shortest zero-run opcode for `len` registers (at most 16384).
fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > SPARSE_ZERO_MAX_LEN {
        let l = len - 1;
        out.push(0x40 | (l >> 8) as u8);
        out.push((l & 0xff) as u8);
    } else {
        out.push((len - 1) as u8);
    }
}

/// Walk the sparse registers as (first register, opcode) runs.
fn sparse_runs(bytes: &[u8]) -> impl Iterator<Item = Op> + '_ {
    let mut p = HEADER;
    std::iter::from_fn(move || {
        (p < bytes.len()).then(|| {
            let op = Op::at(bytes, p);
            p += op.size();
            op
        })
    })
}

/// Call `f(first register, value, length)` for each VAL run of a sparse
/// HLL; Corrupt unless the runs cover exactly the 16384 registers (a run
/// past the last register stops the walk before `f` sees it).
fn for_each_val_run(hll: &[u8], mut f: impl FnMut(usize, u8, usize)) -> Result<(), Corrupt> {
    let mut idx = 0;
    for op in sparse_runs(hll) {
        if let Op::Val { value, len } = op {
            if idx + len > REGISTERS {
                return Err(Corrupt);
            }
            f(idx, value, len);
        }
        idx += op.registers();
    }
    if idx == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// An empty HLL: sparse, one XZERO for all registers, cached count 0.
fn new_hll() -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER + 2);
    v.extend_from_slice(b"HYLL");
    v.push(SPARSE);
    v.extend_from_slice(&[0; 11]);
    let mut left = REGISTERS;
    while left > 0 {
        let n = left.min(SPARSE_XZERO_MAX_LEN);
        push_zeros(&mut v, n);
        left -= n;
    }
    v
}

fn invalidate_cache(hll: &mut [u8]) {
    hll[15] |= 0x80;
}

/// Turn a sparse HLL dense (nothing to do when it is dense already).
fn to_dense(hll: &mut RawBytes) -> Result<(), Corrupt> {
    if hll[4] == DENSE {
        return Ok(());
    }
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HEADER].copy_from_slice(&hll[..HEADER]);
    dense[4] = DENSE;
    let regs = &mut dense[HEADER..];
    for_each_val_run(hll, |first, value, len| {
        (first..first + len).for_each(|i| dense_put(regs, i, value))
    })?;
    *hll = RawBytes::new(&dense);
    Ok(())
}

/// Replace `old_len` bytes at `at` with `with`, moving the rest.
fn splice(hll: &mut RawBytes, at: usize, old_len: usize, with: &[u8]) {
    let len = hll.len();
    let new_len = len + with.len() - old_len;
    if new_len > len {
        hll.resize(new_len);
    }
    hll.copy_within(at + old_len..len, at + with.len());
    hll[at..at + with.len()].copy_from_slice(with);
    if new_len < len {
        hll.resize(new_len);
    }
}

/// Raise register `index` of a sparse HLL to `count`, turning it dense
/// when the sparse form cannot hold the value or would pass `max_bytes`.
/// Whether the register changed.
fn sparse_raise(
    hll: &mut RawBytes,
    index: usize,
    count: u8,
    max_bytes: usize,
) -> Result<bool, Corrupt> {
    if count > SPARSE_VAL_MAX {
        return promote(hll, index, count);
    }
    // Find the opcode covering the register, and the one before it.
    let (mut p, mut first, mut prev) = (HEADER, 0, None);
    let mut found = None;
    while p < hll.len() {
        let op = Op::at(hll, p);
        if index < first + op.registers() {
            found = Some(op);
            break;
        }
        prev = Some(p);
        p += op.size();
        first += op.registers();
    }
    let Some(op) = found else {
        return Err(Corrupt);
    };
    let last = first + op.registers() - 1;
    match op {
        // The register already holds as much: nothing to do.
        Op::Val { value, .. } if value >= count => return Ok(false),
        // A run of one register is rewritten in place.
        Op::Val { len: 1, .. }
        | Op::Zeros {
            len: 1,
            wide: false,
        } => {
            hll[p] = val_byte(count, 1);
        }
        // Otherwise split the run around the register: at worst
        // XZERO-VAL-XZERO, five bytes for two.
        _ => {
            let mut seq = Vec::with_capacity(5);
            match op {
                Op::Zeros { .. } => {
                    if index != first {
                        push_zeros(&mut seq, index - first);
                    }
                    seq.push(val_byte(count, 1));
                    if index != last {
                        push_zeros(&mut seq, last - index);
                    }
                }
                Op::Val { value, .. } => {
                    if index != first {
                        seq.push(val_byte(value, index - first));
                    }
                    seq.push(val_byte(count, 1));
                    if index != last {
                        seq.push(val_byte(value, last - index));
                    }
                }
            }
            if seq.len() > op.size() && hll.len() + seq.len() - op.size() > max_bytes {
                return promote(hll, index, count);
            }
            splice(hll, p, op.size(), &seq);
        }
    }
    merge_adjacent_vals(hll, prev.unwrap_or(HEADER));
    invalidate_cache(hll);
    Ok(true)
}

/// After an update, merge neighbouring VAL opcodes of equal value (up to
/// four registers each) among the five opcodes from `from` on, as Redis
/// does, so both servers keep the same bytes.
fn merge_adjacent_vals(hll: &mut RawBytes, from: usize) {
    let mut p = from;
    for _ in 0..5 {
        if p >= hll.len() {
            break;
        }
        let op = Op::at(hll, p);
        let Op::Val { value, len } = op else {
            p += op.size();
            continue;
        };
        if p + 1 < hll.len() && hll[p + 1] & 0x80 != 0 {
            if let Op::Val {
                value: v2,
                len: len2,
            } = Op::at(hll, p + 1)
            {
                if v2 == value && len + len2 <= SPARSE_VAL_MAX_LEN {
                    // Merged into the second, the first removed; the merged
                    // opcode is tried again against its right neighbour.
                    splice(hll, p, 2, &[val_byte(value, len + len2)]);
                    continue;
                }
            }
        }
        p += 1;
    }
}

fn promote(hll: &mut RawBytes, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(hll)?;
    Ok(dense_raise(&mut hll[HEADER..], index, count))
}

/// Raise the register of `element`, in either encoding.
fn add(hll: &mut RawBytes, element: &[u8], max_bytes: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    match hll[4] {
        DENSE => Ok(dense_raise(&mut hll[HEADER..], index, count)),
        _ => sparse_raise(hll, index, count, max_bytes),
    }
}

/// Fold an HLL into `max`, one byte per register: max[i] = MAX(max[i], reg).
fn merge_into(max: &mut [u8; REGISTERS], hll: &[u8]) -> Result<(), Corrupt> {
    if hll[4] == DENSE {
        let regs = &hll[HEADER..];
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(regs, i));
        }
        return Ok(());
    }
    for_each_val_run(hll, |first, value, len| {
        for m in &mut max[first..first + len] {
            *m = (*m).max(value);
        }
    })
}

// ---------------------------------------------------------------------------
// Estimation
// ---------------------------------------------------------------------------

/// How many registers hold each value (0-63).
fn histogram(hll: &[u8]) -> Result<[u32; 64], Corrupt> {
    let mut h = [0u32; 64];
    if hll[4] == DENSE {
        let regs = &hll[HEADER..];
        (0..REGISTERS).for_each(|i| h[dense_get(regs, i) as usize] += 1);
        return Ok(h);
    }
    let mut nonzero = 0;
    for_each_val_run(hll, |_, value, len| {
        h[value as usize] += len as u32;
        nonzero += len;
    })?;
    // The runs cover every register: the rest are zeros.
    h[0] = (REGISTERS - nonzero) as u32;
    Ok(h)
}

fn raw_histogram(regs: &[u8; REGISTERS]) -> [u32; 64] {
    let mut h = [0u32; 64];
    regs.iter().for_each(|&r| h[(r & 63) as usize] += 1);
    h
}

/// Ertl's sigma ("New cardinality estimation algorithms for HyperLogLog
/// sketches", arXiv:1702.01284).
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if z == before {
            return z;
        }
    }
}

/// Ertl's tau (same paper).
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if z == before {
            return z / 3.0;
        }
    }
}

/// The cardinality estimate from a register histogram. The float
/// operations run in Redis's order, so both servers answer the same.
fn estimate(h: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - h[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += h[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(h[0] as f64 / m);
    (ALPHA_INF * m * m / z).round() as u64
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/// Whether a string is an HLL Redis would accept: the header, a known
/// encoding and, when dense, the exact size. Integer-encoded strings never
/// are.
fn is_hll(s: &RStr) -> bool {
    s.as_bytes().is_some_and(|b| {
        b.len() >= HEADER
            && &b[..4] == b"HYLL"
            && b[4] <= SPARSE
            && (b[4] == SPARSE || b.len() == DENSE_SIZE)
    })
}

/// The HLL at `key` (looked up for writing), as a raw string to update in
/// place; None when the key does not exist.
fn hll_for_write<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<Option<&'a mut RawBytes>, CmdError> {
    let db = ctx.c.db;
    match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => return Ok(None),
        Some(Value::Str(s)) if is_hll(s) => {}
        Some(Value::Str(_)) => return Err(NOT_AN_HLL.into()),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    }
    match ctx.srv.dbs[db].dict.get_mut(key) {
        Some(Value::Str(s)) => Ok(Some(s.make_raw())),
        _ => Err(errors::WRONGTYPE.into()),
    }
}

/// The HLL at `key` for writing, created empty (sparse) when missing;
/// also says whether it was created.
fn hll_or_new<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<(&'a mut RawBytes, bool), CmdError> {
    let db = ctx.c.db;
    let created = hll_for_write(ctx, key)?.is_none();
    if created {
        ctx.srv
            .db_add(db, key, Value::Str(RStr::Raw(RawBytes::new(&new_hll()))));
    }
    match ctx.srv.dbs[db].dict.get_mut(key) {
        Some(Value::Str(s)) => Ok((s.make_raw(), created)),
        _ => Err(CORRUPT.into()),
    }
}

/// Check a key read by PFCOUNT/PFMERGE: missing, or an HLL.
fn check_hll(v: Option<&Value>) -> Result<Option<&RStr>, CmdError> {
    match v {
        None => Ok(None),
        Some(Value::Str(s)) if is_hll(s) => Ok(Some(s)),
        Some(Value::Str(_)) => Err(NOT_AN_HLL.into()),
        Some(_) => Err(errors::WRONGTYPE.into()),
    }
}

fn sparse_max_bytes(ctx: &Ctx) -> usize {
    usize::try_from(ctx.srv.config.hll_sparse_max_bytes).unwrap_or(usize::MAX)
}

pub fn pfadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (db, key) = (ctx.c.db, argv[1]);
    let max_bytes = sparse_max_bytes(ctx);
    let (hll, created) = hll_or_new(ctx, key)?;
    // Creating the key is a change of its own, as in Redis.
    let mut updated = created as u64;
    for element in &argv[2..] {
        // A corrupt sparse form stops the command; registers raised before
        // it stay raised, unannounced, as in Redis.
        if add(hll, element, max_bytes).map_err(|_| CmdError::from(CORRUPT))? {
            updated += 1;
        }
    }
    if updated > 0 {
        invalidate_cache(hll);
        ctx.srv.mark_dirty(updated);
        ctx.notify(notify::STRING, "pfadd", key, db);
    }
    ctx.c.add_int((updated > 0) as i64);
    Ok(())
}

pub fn pfcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let db = ctx.c.db;
    if argv.len() > 2 {
        // Several keys: the cardinality of their union, nothing cached.
        let mut max = Box::new([0u8; REGISTERS]);
        for key in &argv[1..] {
            let v = ctx.srv.lookup_read(db, key, ctx.now_ms);
            if let Some(s) = check_hll(v)? {
                s.with_bytes(|b| merge_into(&mut max, b))
                    .map_err(|_| CmdError::from(CORRUPT))?;
            }
        }
        ctx.c.add_int(estimate(&raw_histogram(&max)) as i64);
        return Ok(());
    }
    let key = argv[1];
    if check_hll(ctx.srv.lookup_read(db, key, ctx.now_ms))?.is_none() {
        ctx.c.add_int(0);
        return Ok(());
    }
    let Some(Value::Str(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(CORRUPT.into());
    };
    let hll = s.make_raw();
    let mut cached = [0u8; 8];
    cached.copy_from_slice(&hll[8..16]);
    if cached[7] & 0x80 == 0 {
        ctx.c.add_int(u64::from_le_bytes(cached) as i64);
        return Ok(());
    }
    let count = histogram(hll)
        .map(|h| estimate(&h))
        .map_err(|_| CmdError::from(CORRUPT))?;
    // Storing the count changes the string: replicas and the AOF get this
    // PFCOUNT so their copies stay byte-identical.
    hll[8..16].copy_from_slice(&count.to_le_bytes());
    ctx.srv.mark_dirty(1);
    ctx.c.add_int(count as i64);
    Ok(())
}

pub fn pfmerge(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (db, dst) = (ctx.c.db, argv[1]);
    let mut max = Box::new([0u8; REGISTERS]);
    let mut dense = false;
    // The destination is a source too.
    for key in &argv[1..] {
        let v = ctx.srv.lookup_read(db, key, ctx.now_ms);
        if let Some(s) = check_hll(v)? {
            s.with_bytes(|b| {
                dense |= b[4] == DENSE;
                merge_into(&mut max, b)
            })
            .map_err(|_| CmdError::from(CORRUPT))?;
        }
    }
    let max_bytes = sparse_max_bytes(ctx);
    let (hll, _) = hll_or_new(ctx, dst)?;
    // With a dense input the result will be dense anyway: convert first.
    if dense {
        to_dense(hll).map_err(|_| CmdError::from(CORRUPT))?;
    }
    for (i, &count) in max.iter().enumerate().filter(|(_, &c)| c > 0) {
        if hll[4] == DENSE {
            dense_raise(&mut hll[HEADER..], i, count);
        } else {
            // The destination was validated with the sources; Redis
            // ignores a failure here too.
            let _ = sparse_raise(hll, i, count, max_bytes);
        }
    }
    invalidate_cache(hll);
    ctx.srv.mark_dirty(1);
    // A merge is announced as an add, as Redis does.
    ctx.notify(notify::STRING, "pfadd", dst, db);
    ctx.c.add_ok();
    Ok(())
}

pub fn pfdebug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let sub = argv[1];
    let Some(hll) = hll_for_write(ctx, argv[2])? else {
        return Err("ERR The specified key does not exist".into());
    };
    let is = |name: &str| sub.eq_ignore_ascii_case(name.as_bytes());
    if is("getreg") {
        let converted = hll[4] == SPARSE;
        to_dense(hll).map_err(|_| CmdError::from(CORRUPT))?;
        let regs: Vec<u8> = (0..REGISTERS)
            .map(|i| dense_get(&hll[HEADER..], i))
            .collect();
        if converted {
            // The encoding changed: replicas must convert too.
            ctx.srv.mark_dirty(1);
        }
        ctx.c.add_array_len(REGISTERS);
        regs.into_iter().for_each(|r| ctx.c.add_int(r as i64));
    } else if is("decode") {
        if hll[4] != SPARSE {
            return Err("ERR HLL encoding is not sparse".into());
        }
        let text: Vec<String> = sparse_runs(hll)
            .map(|op| match op {
                Op::Zeros { len, wide: false } => format!("z:{len}"),
                Op::Zeros { len, wide: true } => format!("Z:{len}"),
                Op::Val { value, len } => format!("v:{value},{len}"),
            })
            .collect();
        ctx.c.add_bulk(text.join(" ").as_bytes());
    } else if is("encoding") {
        let name = if hll[4] == DENSE { "dense" } else { "sparse" };
        ctx.c.add_simple(name.as_bytes());
    } else if is("todense") {
        let converted = hll[4] == SPARSE;
        to_dense(hll).map_err(|_| CmdError::from(CORRUPT))?;
        if converted {
            ctx.srv.mark_dirty(1);
        }
        ctx.c.add_int(converted as i64);
    } else {
        let name = crate::resp::errors::clip(sub, usize::MAX);
        return Err(format!("ERR Unknown PFDEBUG subcommand '{name}'").into());
    }
    Ok(())
}

/// PFSELFTEST: Redis's internal check of the register packing and of the
/// estimator's error, run on this implementation.
pub fn pfselftest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    match self_test() {
        Ok(()) => ctx.c.add_ok(),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn self_test() -> Result<(), String> {
    let mut seed = crate::util::now_ms() as u64 | 1;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // 1: every register keeps what was stored, neighbours untouched.
    let mut regs = vec![0u8; DENSE_SIZE - HEADER];
    let mut bytes = vec![0u8; REGISTERS];
    for _ in 0..1000 {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (next() & 63) as u8;
            dense_put(&mut regs, i, *b);
        }
        for (i, &b) in bytes.iter().enumerate() {
            let got = dense_get(&regs, i);
            if got != b {
                return Err(format!(
                    "TESTFAILED Register {i} should be {b} but is {got}"
                ));
            }
        }
    }
    // 2: dense and sparse agree, and the error stays within bounds.
    let mut dense = RawBytes::new(&new_hll());
    to_dense(&mut dense).map_err(|_| "TESTFAILED dense conversion".to_string())?;
    let mut sparse = RawBytes::new(&new_hll());
    let rel_err = 1.04 / (REGISTERS as f64).sqrt();
    let salt = next();
    let mut checkpoint: u64 = 1;
    for j in 1..=10_000_000u64 {
        let element = (j ^ salt).to_ne_bytes();
        let _ = add(&mut dense, &element, 3000);
        let _ = add(&mut sparse, &element, 3000);
        if j != checkpoint {
            continue;
        }
        if j < 1500 && sparse[4] != SPARSE {
            return Err("TESTFAILED sparse encoding not used".into());
        }
        let count = |h: &RawBytes| histogram(h).map(|h| estimate(&h)).unwrap_or(u64::MAX);
        let estimated = count(&dense);
        if estimated != count(&sparse) {
            return Err("TESTFAILED dense/sparse disagree".into());
        }
        let max_err = if j == 10 {
            1
        } else {
            (rel_err * 6.0 * checkpoint as f64).ceil() as u64
        };
        let abs_err = checkpoint.abs_diff(estimated);
        if abs_err > max_err {
            return Err(format!(
                "TESTFAILED Too big error. card:{checkpoint} abserr:{abs_err}"
            ));
        }
        checkpoint *= 10;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_land_where_redis_puts_them() {
        // Redis 7.0: PFADD h a, then PFDEBUG GETREG h has register 12711
        // at 2 and every other at 0.
        assert_eq!(pattern(b"a"), (12711, 2));
    }

    #[test]
    fn sparse_and_dense_count_alike() {
        let mut sparse = RawBytes::new(&new_hll());
        let mut dense = RawBytes::new(&new_hll());
        to_dense(&mut dense).ok().expect("empty sparse converts");
        for i in 0..2000u32 {
            let e = format!("element:{i}");
            let a = add(&mut sparse, e.as_bytes(), 3000).ok().expect("valid");
            let b = add(&mut dense, e.as_bytes(), 3000).ok().expect("valid");
            assert_eq!(a, b);
        }
        let hs = histogram(&sparse).ok().expect("valid");
        let hd = histogram(&dense).ok().expect("valid");
        assert_eq!(hs, hd);
        let n = estimate(&hd);
        assert!((1900..=2100).contains(&n), "{n}");
    }

    #[test]
    fn truncated_sparse_forms_are_corrupt_not_panics() {
        let full = new_hll();
        for cut in HEADER..full.len() {
            let mut h = RawBytes::new(&full[..cut]);
            assert!(histogram(&h).is_err());
            assert!(add(&mut h, b"x", 3000).is_err() || cut == full.len());
            let mut h = RawBytes::new(&full[..cut]);
            assert!(to_dense(&mut h).is_err());
        }
        // A VAL run past the last register.
        let mut bad = full.clone();
        bad.truncate(HEADER);
        push_zeros(&mut bad, 16383);
        bad.push(val_byte(3, 4));
        let mut max = [0u8; REGISTERS];
        assert!(merge_into(&mut max, &bad).is_err());
    }

    #[test]
    fn self_test_passes() {
        assert_eq!(self_test(), Ok(()));
    }
}
