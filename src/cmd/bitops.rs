//! Bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS,
//! BITOP, BITFIELD and BITFIELD_RO.
//!
//! Bitmaps are plain strings: bit 0 is the most significant bit of the
//! first byte. Reads treat a string as followed by endless zero bits;
//! writes grow it with zero bytes as far as they reach. A string written
//! in place becomes `raw` (as Redis's dbUnshareStringValue makes it), and a
//! write that leaves every bit as it was neither dirties the dataset nor
//! reaches replicas or keyspace listeners (Redis 7.0 counts only changes).
//!
//! The order of the checks, and so which error a wrong call gets, follows
//! Redis 7.0: BITCOUNT and BITPOS look the key up before they read their
//! range (a missing key answers before a bad range is noticed), BITFIELD
//! parses every operation before it looks at the key.

use super::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::client::ClientKind;
use crate::db::thin::RawBytes;
use crate::db::{RStr, Value};
use crate::resp::errors;
use crate::server::notify;

const BIT_OFFSET_RANGE: &str = "ERR bit offset is not an integer or out of range";
const BIT_VALUE_RANGE: &str = "ERR bit is not an integer or out of range";
const BITFIELD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/// A bit offset argument. With `field_bits` (BITFIELD), `#N` means the
/// N-th field of that width. The offset must address a byte below
/// `proto-max-bulk-len`, except in the stream from our master, which
/// already applied the command.
fn bit_offset(ctx: &Ctx, arg: &[u8], field_bits: Option<u32>) -> Result<u64, CmdError> {
    let (digits, scale) = match (arg.first(), field_bits) {
        (Some(b'#'), Some(bits)) => (&arg[1..], bits as i64),
        _ => (arg, 1),
    };
    // Redis multiplies in a C long long; a product that wraps negative is
    // refused below like any negative offset.
    let offset = crate::util::parse_i64(digits)
        .ok_or(BIT_OFFSET_RANGE)?
        .wrapping_mul(scale);
    let limit = ctx.srv.config.proto_max_bulk_len;
    if offset < 0 || (ctx.c.kind != ClientKind::Master && offset >> 3 >= limit) {
        return Err(BIT_OFFSET_RANGE.into());
    }
    Ok(offset as u64)
}

/// The bit at `offset` (0 past the end).
fn bit_at(bytes: &[u8], offset: u64) -> bool {
    let byte = (offset >> 3) as usize;
    byte < bytes.len() && bytes[byte] & (0x80 >> (offset & 7)) != 0
}

/// The string at `key` for an in-place write reaching bit `last_bit`,
/// created empty or grown with zero bytes as needed (Redis's
/// lookupStringForBitCommand). Also says whether it was created or grown.
fn string_for_write<'a>(
    ctx: &'a mut Ctx,
    key: &[u8],
    last_bit: u64,
) -> Result<(&'a mut RawBytes, bool), CmdError> {
    let db = ctx.c.db;
    let need = (last_bit >> 3) as usize + 1;
    let exists = match ctx.srv.lookup_write(db, key, ctx.now_ms) {
        None => false,
        Some(Value::Str(_)) => true,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    if !exists {
        ctx.srv.db_add(db, key, Value::Str(RStr::empty_raw()));
    }
    let Some(Value::Str(s)) = ctx.srv.dbs[db].dict.get_mut(key) else {
        return Err(errors::WRONGTYPE.into());
    };
    let buf = s.make_raw();
    let grown = buf.len() < need;
    if grown {
        buf.resize(need);
    }
    Ok((buf, grown || !exists))
}

pub fn setbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let offset = bit_offset(ctx, argv[2], None)?;
    let on = match crate::util::parse_i64(argv[3]) {
        Some(0) => false,
        Some(1) => true,
        _ => return Err(BIT_VALUE_RANGE.into()),
    };
    let key = argv[1];
    let (buf, reshaped) = string_for_write(ctx, key, offset)?;
    let was = bit_at(buf, offset);
    if reshaped || was != on {
        let mask = 0x80u8 >> (offset & 7);
        let byte = &mut buf[(offset >> 3) as usize];
        *byte = if on { *byte | mask } else { *byte & !mask };
        let db = ctx.c.db;
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::STRING, "setbit", key, db);
    }
    ctx.c.add_int(was as i64);
    Ok(())
}

pub fn getbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let offset = bit_offset(ctx, argv[2], None)?;
    let bit = match ctx.srv.lookup_read(ctx.c.db, argv[1], ctx.now_ms) {
        None => false,
        Some(Value::Str(s)) => s.with_bytes(|b| bit_at(b, offset)),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    ctx.c.add_int(bit as i64);
    Ok(())
}

/// Whether a range is counted in bytes or in bits (BITCOUNT and BITPOS's
/// last argument).
fn range_unit(arg: Option<&&[u8]>) -> Result<bool, CmdError> {
    match arg {
        None => Ok(false),
        Some(a) if is(a, "byte") => Ok(false),
        Some(a) if is(a, "bit") => Ok(true),
        Some(_) => Err(errors::SYNTAX.into()),
    }
}

/// A start/end pair over `len` units made absolute as Redis does: negative
/// values count from the end, then both are clamped into the string.
/// None when the range is empty (the first past the second).
fn clamp_range(mut start: i64, mut end: i64, len: i64) -> Option<(i64, i64)> {
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    let (start, end) = (start.max(0), end.max(0).min(len - 1));
    (start <= end).then_some((start, end))
}

/// A BITCOUNT/BITPOS range as bit positions (both included): `start` and
/// `end` count bits, or bytes (checked for emptiness before they are
/// scaled, so a huge start cannot wrap around).
fn bit_range(start: i64, end: i64, len: i64, in_bits: bool) -> Option<(u64, u64)> {
    if in_bits {
        let (from, to) = clamp_range(start, end, len * 8)?;
        Some((from as u64, to as u64))
    } else {
        let (from, to) = clamp_range(start, end, len)?;
        Some((from as u64 * 8, to as u64 * 8 + 7))
    }
}

/// Set bits in `bytes` between bit positions `from` and `to`, both included.
fn count_bits(bytes: &[u8], from: u64, to: u64) -> u64 {
    let (first, last) = ((from >> 3) as usize, (to >> 3) as usize);
    let whole = &bytes[first..=last];
    let mut n = popcount(whole);
    // Take away the bits of the edge bytes that lie outside the range.
    n -= (whole[0] & !(0xffu8 >> (from & 7))).count_ones() as u64;
    n -= (whole[whole.len() - 1] & (0x7fu8 >> (to & 7))).count_ones() as u64;
    n
}

fn popcount(bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let mut n: u64 = 0;
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        n += u64::from_ne_bytes(a).count_ones() as u64;
    }
    n + words
        .remainder()
        .iter()
        .map(|b| b.count_ones() as u64)
        .sum::<u64>()
}

pub fn bitcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let s = match ctx.srv.lookup_read(ctx.c.db, argv[1], ctx.now_ms) {
        None => {
            ctx.c.add_int(0);
            return Ok(());
        }
        Some(Value::Str(s)) => s,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    let count = s.with_bytes(|bytes| -> Result<u64, CmdError> {
        let len = bytes.len() as i64;
        let range = match argv.len() {
            2 => bit_range(0, -1, len, false),
            4 | 5 => {
                let (start, end) = (arg_i64(argv[2])?, arg_i64(argv[3])?);
                if start < 0 && end < 0 && start > end {
                    return Ok(0);
                }
                bit_range(start, end, len, range_unit(argv.get(4))?)
            }
            _ => return Err(errors::SYNTAX.into()),
        };
        Ok(range.map_or(0, |(from, to)| count_bits(bytes, from, to)))
    })?;
    ctx.c.add_int(count as i64);
    Ok(())
}

/// The first bit equal to `bit` between bit positions `from` and `to`,
/// both included.
fn find_bit(bytes: &[u8], bit: bool, from: u64, to: u64) -> Option<u64> {
    // Bytes with no bit of the wanted kind are skipped whole.
    let skip = if bit { 0x00 } else { 0xff };
    let (first, last) = ((from >> 3) as usize, (to >> 3) as usize);
    for (i, &raw) in bytes[first..=last].iter().enumerate() {
        let at = first + i;
        // Bits outside the range read as the unwanted value.
        let mut b = raw;
        if at == first {
            let outside = !(0xffu8 >> (from & 7));
            b = if bit { b & !outside } else { b | outside };
        }
        if at == last {
            let outside = 0x7fu8 >> (to & 7);
            b = if bit { b & !outside } else { b | outside };
        }
        if b != skip {
            let within = if bit { b } else { !b }.leading_zeros() as u64;
            return Some(at as u64 * 8 + within);
        }
    }
    None
}

pub fn bitpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let bit = match arg_i64(argv[2])? {
        0 => false,
        1 => true,
        _ => return Err("ERR The bit argument must be 1 or 0.".into()),
    };
    let s = match ctx.srv.lookup_read(ctx.c.db, argv[1], ctx.now_ms) {
        // A missing key is an endless run of zeros.
        None => {
            ctx.c.add_int(if bit { -1 } else { 0 });
            return Ok(());
        }
        Some(Value::Str(s)) => s,
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };
    let pos = s.with_bytes(|bytes| -> Result<i64, CmdError> {
        let len = bytes.len() as i64;
        let end_given = argv.len() >= 5;
        let range = match argv.len() {
            3 => bit_range(0, -1, len, false),
            4..=6 => {
                let start = arg_i64(argv[3])?;
                let in_bits = range_unit(argv.get(5))?;
                let end = match argv.get(4) {
                    Some(a) => arg_i64(a)?,
                    None => -1,
                };
                bit_range(start, end, len, in_bits)
            }
            _ => return Err(errors::SYNTAX.into()),
        };
        // An empty range holds neither a 0 nor a 1.
        let Some((from, to)) = range else {
            return Ok(-1);
        };
        Ok(match find_bit(bytes, bit, from, to) {
            Some(p) => p as i64,
            // Without an explicit end the string is followed by zeros, so
            // the first clear bit is the one just past it.
            None if !bit && !end_given => len * 8,
            None => -1,
        })
    })?;
    ctx.c.add_int(pos);
    Ok(())
}

#[derive(Clone, Copy)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// Combine one more source into BITOP's result. Bytes past the end of a
/// string count as zeros, so the result is as long as the longest source.
fn fold_source(out: &mut Vec<u8>, src: &[u8], op: BitOp, first: bool) {
    if first {
        out.extend_from_slice(src);
        if matches!(op, BitOp::Not) {
            out.iter_mut().for_each(|b| *b = !*b);
        }
        return;
    }
    if out.len() < src.len() {
        out.resize(src.len(), 0);
    }
    let (head, tail) = out.split_at_mut(src.len());
    match op {
        BitOp::And => {
            head.iter_mut().zip(src).for_each(|(o, b)| *o &= b);
            tail.fill(0);
        }
        BitOp::Or => head.iter_mut().zip(src).for_each(|(o, b)| *o |= b),
        BitOp::Xor => head.iter_mut().zip(src).for_each(|(o, b)| *o ^= b),
        // NOT has a single source.
        BitOp::Not => {}
    }
}

pub fn bitop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let op = match argv[1] {
        a if is(a, "and") => BitOp::And,
        a if is(a, "or") => BitOp::Or,
        a if is(a, "xor") => BitOp::Xor,
        a if is(a, "not") => BitOp::Not,
        _ => return Err(errors::SYNTAX.into()),
    };
    if matches!(op, BitOp::Not) && argv.len() != 4 {
        return Err("ERR BITOP NOT must be called with a single source key.".into());
    }
    let (db, dst) = (ctx.c.db, argv[2]);
    // Sources in order, folded into the result as they are found: a
    // missing key is an empty string, another type stops the command.
    let mut out: Vec<u8> = Vec::new();
    for (i, key) in argv[3..].iter().enumerate() {
        match ctx.srv.lookup_read(db, key, ctx.now_ms) {
            None => fold_source(&mut out, &[], op, i == 0),
            Some(Value::Str(s)) => s.with_bytes(|b| fold_source(&mut out, b, op, i == 0)),
            Some(_) => return Err(errors::WRONGTYPE.into()),
        }
    }
    let len = out.len();
    if len > 0 {
        // Stored as Redis stores a fresh computed buffer: raw, no TTL.
        let value = Value::Str(RStr::Raw(RawBytes::new(&out)));
        ctx.srv.set_key(db, dst, value, ctx.now_ms);
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::STRING, "set", dst, db);
    } else if ctx.srv.dbs[db].remove(dst).is_some() {
        ctx.srv.mark_dirty(1);
        ctx.notify(notify::GENERIC, "del", dst, db);
    }
    ctx.c.add_int(len as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// BITFIELD
// ---------------------------------------------------------------------------

/// What BITFIELD does when SET or INCRBY leaves a field's range.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

/// A field type: `i1`..`i64` or `u1`..`u63`.
#[derive(Clone, Copy)]
struct FieldType {
    signed: bool,
    bits: u32,
}

enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

struct Field {
    op: FieldOp,
    ty: FieldType,
    offset: u64,
    overflow: Overflow,
}

/// A field type argument. Redis reads the width as a C string, so it ends
/// at a NUL byte; the sign letter is lower case only.
fn field_type(arg: &[u8]) -> Result<FieldType, CmdError> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(BITFIELD_TYPE.into()),
    };
    let width = &arg[1..];
    let width = &width[..memchr::memchr(0, width).unwrap_or(width.len())];
    match crate::util::parse_i64(width) {
        Some(b) if b >= 1 && b <= if signed { 64 } else { 63 } => Ok(FieldType {
            signed,
            bits: b as u32,
        }),
        _ => Err(BITFIELD_TYPE.into()),
    }
}

/// Parse BITFIELD's operations (everything after the key).
fn parse_fields(ctx: &Ctx, args: &[&[u8]]) -> Result<Vec<Field>, CmdError> {
    let mut fields = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut i = 0;
    while i < args.len() {
        let (sub, rest) = (args[i], args.len() - i - 1);
        if is(sub, "overflow") && rest >= 1 {
            overflow = match args[i + 1] {
                a if is(a, "wrap") => Overflow::Wrap,
                a if is(a, "sat") => Overflow::Sat,
                a if is(a, "fail") => Overflow::Fail,
                _ => return Err("ERR Invalid OVERFLOW type specified".into()),
            };
            i += 2;
            continue;
        }
        let takes_value = if is(sub, "get") && rest >= 2 {
            false
        } else if (is(sub, "set") || is(sub, "incrby")) && rest >= 3 {
            true
        } else {
            return Err(errors::SYNTAX.into());
        };
        let ty = field_type(args[i + 1])?;
        let offset = bit_offset(ctx, args[i + 2], Some(ty.bits))?;
        let op = if !takes_value {
            FieldOp::Get
        } else if is(sub, "set") {
            FieldOp::Set(arg_i64(args[i + 3])?)
        } else {
            FieldOp::IncrBy(arg_i64(args[i + 3])?)
        };
        fields.push(Field {
            op,
            ty,
            offset,
            overflow,
        });
        i += if takes_value { 4 } else { 3 };
    }
    Ok(fields)
}

/// The `bits`-wide unsigned field at bit `offset` (zeros past the end).
fn get_unsigned(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    let mut v = 0u64;
    for i in 0..bits as u64 {
        v = (v << 1) | bit_at(bytes, offset + i) as u64;
    }
    v
}

/// The signed field: the unsigned one with its top bit extended.
fn get_signed(bytes: &[u8], offset: u64, bits: u32) -> i64 {
    let v = get_unsigned(bytes, offset, bits);
    if bits < 64 && v & (1 << (bits - 1)) != 0 {
        (v | (u64::MAX << bits)) as i64
    } else {
        v as i64
    }
}

/// Store the low `bits` bits of `value` at bit `offset`; the buffer
/// already reaches that far.
fn set_field(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for i in 0..bits as u64 {
        let on = value >> (bits as u64 - 1 - i) & 1 != 0;
        let at = offset + i;
        let mask = 0x80u8 >> (at & 7);
        let byte = &mut bytes[(at >> 3) as usize];
        *byte = if on { *byte | mask } else { *byte & !mask };
    }
}

/// `value + incr` for an unsigned field of `bits` bits: None when it fits,
/// else what the overflow policy stores (Fail stores nothing and its
/// value is never used). Mirrors Redis's checkUnsignedBitfieldOverflow,
/// including how it treats a value already out of range (a negative SET).
fn unsigned_overflow(value: u64, incr: i64, bits: u32, policy: Overflow) -> Option<u64> {
    let max = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = (value as i64).wrapping_neg();
    let wrapped = || value.wrapping_add(incr as u64) & max;
    if value > max || (incr > 0 && incr > max_incr) {
        Some(if policy == Overflow::Sat {
            max
        } else {
            wrapped()
        })
    } else if incr < 0 && incr < min_incr {
        Some(if policy == Overflow::Sat {
            0
        } else {
            wrapped()
        })
    } else {
        None
    }
}

/// Signed counterpart of [`unsigned_overflow`] (checkSignedBitfieldOverflow).
fn signed_overflow(value: i64, incr: i64, bits: u32, policy: Overflow) -> Option<i64> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrapped = || {
        let sum = (value as u64).wrapping_add(incr as u64);
        if bits == 64 {
            sum as i64
        } else if sum & (1 << (bits - 1)) != 0 {
            (sum | (u64::MAX << bits)) as i64
        } else {
            (sum & !(u64::MAX << bits)) as i64
        }
    };
    let wide = bits != 64;
    if value > max || (wide && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr) {
        Some(if policy == Overflow::Sat {
            max
        } else {
            wrapped()
        })
    } else if value < min || (wide && incr < min_incr) || (value < 0 && incr < 0 && incr < min_incr)
    {
        Some(if policy == Overflow::Sat {
            min
        } else {
            wrapped()
        })
    } else {
        None
    }
}

/// Run one SET or INCRBY on `buf`: the reply (None for an overflow under
/// FAIL, which writes nothing) and whether the field changed.
fn write_field(buf: &mut [u8], f: &Field) -> (Option<i64>, bool) {
    let (bits, offset) = (f.ty.bits, f.offset);
    if f.ty.signed {
        let old = get_signed(buf, offset, bits);
        let (value, incr) = match f.op {
            FieldOp::IncrBy(n) => (old, n),
            _ => (field_value(&f.op), 0),
        };
        let overflow = signed_overflow(value, incr, bits, f.overflow);
        if overflow.is_some() && f.overflow == Overflow::Fail {
            return (None, false);
        }
        let new = overflow.unwrap_or(value.wrapping_add(incr));
        set_field(buf, offset, bits, new as u64);
        let reply = if matches!(f.op, FieldOp::IncrBy(_)) {
            new
        } else {
            old
        };
        (Some(reply), new != old)
    } else {
        let old = get_unsigned(buf, offset, bits);
        let (value, incr) = match f.op {
            FieldOp::IncrBy(n) => (old, n),
            _ => (field_value(&f.op) as u64, 0),
        };
        let overflow = unsigned_overflow(value, incr, bits, f.overflow);
        if overflow.is_some() && f.overflow == Overflow::Fail {
            return (None, false);
        }
        let new = overflow.unwrap_or(value.wrapping_add(incr as u64));
        set_field(buf, offset, bits, new);
        let reply = if matches!(f.op, FieldOp::IncrBy(_)) {
            new
        } else {
            old
        };
        (Some(reply as i64), new != old)
    }
}

fn field_value(op: &FieldOp) -> i64 {
    match op {
        FieldOp::Set(n) | FieldOp::IncrBy(n) => *n,
        FieldOp::Get => 0,
    }
}

fn read_field(bytes: &[u8], f: &Field) -> i64 {
    if f.ty.signed {
        get_signed(bytes, f.offset, f.ty.bits)
    } else {
        get_unsigned(bytes, f.offset, f.ty.bits) as i64
    }
}

fn bitfield_generic(ctx: &mut Ctx, argv: &[&[u8]], read_only: bool) -> CmdResult {
    let fields = parse_fields(ctx, &argv[2..])?;
    let key = argv[1];
    let writes = fields.iter().any(|f| !matches!(f.op, FieldOp::Get));
    if !writes {
        let mut replies = Vec::with_capacity(fields.len());
        match ctx.srv.lookup_read(ctx.c.db, key, ctx.now_ms) {
            None => replies.extend(fields.iter().map(|f| read_field(&[], f))),
            Some(Value::Str(s)) => {
                s.with_bytes(|b| replies.extend(fields.iter().map(|f| read_field(b, f))))
            }
            Some(_) => return Err(errors::WRONGTYPE.into()),
        }
        ctx.c.add_array_len(replies.len());
        for r in replies {
            ctx.c.add_int(r);
        }
        return Ok(());
    }
    if read_only {
        return Err("ERR BITFIELD_RO only supports the GET subcommand".into());
    }
    let last_bit = fields
        .iter()
        .filter(|f| !matches!(f.op, FieldOp::Get))
        .map(|f| f.offset + f.ty.bits as u64 - 1)
        .max()
        .unwrap_or(0);
    let (buf, reshaped) = string_for_write(ctx, key, last_bit)?;
    let mut replies = Vec::with_capacity(fields.len());
    let mut changes = 0;
    for f in &fields {
        if matches!(f.op, FieldOp::Get) {
            replies.push(Some(read_field(buf, f)));
            continue;
        }
        let (reply, changed) = write_field(buf, f);
        // Redis counts a write that changed the field, or any written
        // field once the string was created or grown for this call.
        if reply.is_some() && (changed || reshaped) {
            changes += 1;
        }
        replies.push(reply);
    }
    ctx.c.add_array_len(replies.len());
    for r in replies {
        match r {
            Some(n) => ctx.c.add_int(n),
            None => ctx.c.add_null(),
        }
    }
    if changes > 0 {
        let db = ctx.c.db;
        ctx.srv.mark_dirty(changes);
        ctx.notify(notify::STRING, "setbit", key, db);
    }
    Ok(())
}

pub fn bitfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bitfield_generic(ctx, argv, false)
}

pub fn bitfield_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    bitfield_generic(ctx, argv, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_back_what_was_written() {
        let mut buf = vec![0u8; 16];
        for (offset, bits, value) in [(0, 8, 0xa5), (3, 13, 0x1abc), (7, 64, u64::MAX - 5)] {
            set_field(&mut buf, offset, bits, value);
            assert_eq!(get_unsigned(&buf, offset, bits), value);
        }
        set_field(&mut buf, 5, 4, 0b1010);
        assert_eq!(get_signed(&buf, 5, 4), -6);
    }

    #[test]
    fn overflow_policies() {
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Wrap), Some(4));
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Sat), Some(255));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Sat), Some(0));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Wrap), Some(251));
        assert_eq!(unsigned_overflow(5, 10, 8, Overflow::Wrap), None);
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Wrap), Some(-126));
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Sat), Some(127));
        assert_eq!(signed_overflow(-120, -10, 8, Overflow::Sat), Some(-128));
        assert_eq!(
            signed_overflow(i64::MAX, 1, 64, Overflow::Wrap),
            Some(i64::MIN)
        );
        assert_eq!(
            signed_overflow(-1, i64::MIN, 64, Overflow::Sat),
            Some(i64::MIN)
        );
        assert_eq!(signed_overflow(0, i64::MIN, 64, Overflow::Sat), None);
    }

    #[test]
    fn bit_search_and_count_respect_the_range_edges() {
        let bytes = [0b0000_1111u8, 0xff, 0b1000_0000];
        assert_eq!(find_bit(&bytes, true, 0, 23), Some(4));
        assert_eq!(find_bit(&bytes, false, 4, 16), None);
        assert_eq!(find_bit(&bytes, false, 4, 17), Some(17));
        assert_eq!(count_bits(&bytes, 0, 23), 13);
        assert_eq!(count_bits(&bytes, 6, 16), 11);
        assert_eq!(count_bits(&bytes, 17, 17), 0);
    }
}
