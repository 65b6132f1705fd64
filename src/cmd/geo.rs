//! Geo commands (Redis's geo.c and geohash.c): GEOADD, GEOPOS, GEODIST and
//! GEOHASH. A place is a sorted-set member whose score is a 52-bit
//! geohash: 26 bits of latitude (over Redis's -85.05112878..85.05112878,
//! the Web Mercator limit) interleaved with 26 bits of longitude, latitude
//! on the even bits. GEOADD turns its coordinates into scores and runs as
//! ZADD, which is also what replicas and the AOF receive, as in Redis.

use super::{zset, CmdResult, Ctx};
use crate::resp::{errors, reply};
use crate::util::{parse_f64, LongDouble};

const LONG_MIN: f64 = -180.0;
const LONG_MAX: f64 = 180.0;
const LAT_MIN: f64 = -85.051_128_78;
const LAT_MAX: f64 = 85.051_128_78;
/// Bits per coordinate.
const STEP: u32 = 26;
/// Redis's mean Earth radius for distances, in meters.
const EARTH_RADIUS_M: f64 = 6_372_797.560_856;

/// Spread the low 32 bits of `v` onto the even bits.
fn spread(v: u32) -> u64 {
    let mut x = v as u64;
    x = (x | x << 16) & 0x0000_ffff_0000_ffff;
    x = (x | x << 8) & 0x00ff_00ff_00ff_00ff;
    x = (x | x << 4) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | x << 2) & 0x3333_3333_3333_3333;
    (x | x << 1) & 0x5555_5555_5555_5555
}

/// Gather the even bits of `x` (the inverse of [`spread`]).
fn squash(x: u64) -> u32 {
    let mut x = x & 0x5555_5555_5555_5555;
    x = (x | x >> 1) & 0x3333_3333_3333_3333;
    x = (x | x >> 2) & 0x0f0f_0f0f_0f0f_0f0f;
    x = (x | x >> 4) & 0x00ff_00ff_00ff_00ff;
    x = (x | x >> 8) & 0x0000_ffff_0000_ffff;
    (x | x >> 16) as u32
}

/// The geohash of a point over the given ranges (None outside them).
fn encode(lon: f64, lat: f64, lon_range: (f64, f64), lat_range: (f64, f64)) -> Option<u64> {
    let inside = |v: f64, (lo, hi): (f64, f64)| v >= lo && v <= hi;
    if !inside(lon, (LONG_MIN, LONG_MAX)) || !inside(lat, (LAT_MIN, LAT_MAX)) {
        return None;
    }
    if !inside(lon, lon_range) || !inside(lat, lat_range) {
        return None;
    }
    let scale = (1u64 << STEP) as f64;
    // Fixed point by truncation, as Redis's conversion to uint32 does.
    let lat_cell = ((lat - lat_range.0) / (lat_range.1 - lat_range.0) * scale) as u32;
    let lon_cell = ((lon - lon_range.0) / (lon_range.1 - lon_range.0) * scale) as u32;
    Some(spread(lat_cell) | spread(lon_cell) << 1)
}

/// The score GEOADD stores for a point.
fn score_of(lon: f64, lat: f64) -> Option<u64> {
    encode(lon, lat, (LONG_MIN, LONG_MAX), (LAT_MIN, LAT_MAX))
}

/// A score as Redis's `(uint64_t)` cast of it on x86-64, which matters
/// for GEOPOS on a sorted set written by ZADD: negative scores wrap
/// around as 64-bit integers, and anything out of range (infinities,
/// 2^64 and up) becomes the "integer indefinite" pattern the conversion
/// instruction gives, folded as the compiler's unsigned sequence does.
fn score_bits(score: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    const INDEFINITE: u64 = 1 << 63;
    let truncate = |x: f64| {
        if x.is_nan() || !(-TWO_63..TWO_63).contains(&x) {
            INDEFINITE
        } else {
            x as i64 as u64
        }
    };
    if score < TWO_63 {
        truncate(score)
    } else {
        truncate(score - TWO_63) ^ INDEFINITE
    }
}

/// The centre of the cell a score names, clamped into the valid ranges.
fn decode(score: f64) -> (f64, f64) {
    let bits = score_bits(score);
    let (lat_cell, lon_cell) = (squash(bits), squash(bits >> 1));
    let cells = (1u64 << STEP) as f64;
    let edge = |cell: u32, (lo, hi): (f64, f64)| {
        let low = lo + (cell as f64 / cells) * (hi - lo);
        let high = lo + (cell.wrapping_add(1) as f64 / cells) * (hi - lo);
        (low + high) / 2.0
    };
    let lon = edge(lon_cell, (LONG_MIN, LONG_MAX)).clamp(LONG_MIN, LONG_MAX);
    let lat = edge(lat_cell, (LAT_MIN, LAT_MAX)).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// Great-circle distance in meters (haversine), as Redis computes it.
fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let rad = std::f64::consts::PI / 180.0;
    let v = ((lon2 * rad - lon1 * rad) / 2.0).sin();
    // Same meridian: the latitude difference is the distance.
    if v == 0.0 {
        return EARTH_RADIUS_M * (lat2 * rad - lat1 * rad).abs();
    }
    let (lat1r, lat2r) = (lat1 * rad, lat2 * rad);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// Meters per unit of a GEODIST unit argument.
fn unit(arg: &[u8]) -> Option<f64> {
    [("m", 1.0), ("km", 1000.0), ("ft", 0.3048), ("mi", 1609.34)]
        .into_iter()
        .find(|(name, _)| arg.eq_ignore_ascii_case(name.as_bytes()))
        .map(|(_, meters)| meters)
}

/// A coordinate as Redis shows it (`%.17Lf`, trailing zeros dropped): a
/// bulk string in RESP2, a double in RESP3.
fn add_coordinate(out: &mut Vec<u8>, resp: u8, v: f64) {
    let mut text = Vec::with_capacity(24);
    LongDouble::from_f64(v).format_human(&mut text);
    if resp >= 3 {
        out.push(b',');
        out.extend_from_slice(&text);
        out.extend_from_slice(b"\r\n");
    } else {
        reply::bulk(out, &text);
    }
}

pub fn geoadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut first = 2;
    let (mut nx, mut xx) = (false, false);
    while first < argv.len() {
        let opt = argv[first];
        if opt.eq_ignore_ascii_case(b"nx") {
            nx = true;
        } else if opt.eq_ignore_ascii_case(b"xx") {
            xx = true;
        } else if !opt.eq_ignore_ascii_case(b"ch") {
            break;
        }
        first += 1;
    }
    if !(argv.len() - first).is_multiple_of(3) || (nx && xx) {
        return Err(errors::SYNTAX.into());
    }
    // ZADD key [options] score member ..., every point checked first.
    let mut zadd: Vec<Vec<u8>> = vec![b"ZADD".to_vec()];
    zadd.extend(argv[1..first].iter().map(|a| a.to_vec()));
    for point in argv[first..].chunks_exact(3) {
        let lon = parse_f64(point[0]).ok_or(errors::NOT_FLOAT)?;
        let lat = parse_f64(point[1]).ok_or(errors::NOT_FLOAT)?;
        let score = score_of(lon, lat)
            .ok_or_else(|| format!("ERR invalid longitude,latitude pair {lon:.6},{lat:.6}"))?;
        zadd.push(score.to_string().into_bytes());
        zadd.push(point[2].to_vec());
    }
    let args: Vec<&[u8]> = zadd.iter().map(Vec::as_slice).collect();
    let dirty = ctx.srv.dirty;
    zset::zadd(ctx, &args)?;
    if ctx.srv.dirty != dirty {
        ctx.srv.propagate_instead(ctx.c.db, zadd);
    } else {
        ctx.srv.propagate_nothing();
    }
    Ok(())
}

pub fn geopos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let z = zset::read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let (out, resp) = (&mut ctx.c.reply, ctx.c.resp);
    reply::array_len(out, argv.len() - 2);
    for member in &argv[2..] {
        match z.and_then(|z| z.score(member)) {
            Some(score) => {
                let (lon, lat) = decode(score);
                reply::array_len(out, 2);
                add_coordinate(out, resp, lon);
                add_coordinate(out, resp, lat);
            }
            None => reply::null_array(out, resp),
        }
    }
    Ok(())
}

pub fn geodist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let meters = match argv.len() {
        4 => 1.0,
        5 => unit(argv[4]).ok_or("ERR unsupported unit provided. please use M, KM, FT, MI")?,
        _ => return Err(errors::SYNTAX.into()),
    };
    let z = zset::read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let scores = z.and_then(|z| Some((z.score(argv[2])?, z.score(argv[3])?)));
    match scores {
        Some((a, b)) => {
            let ((lon1, lat1), (lon2, lat2)) = (decode(a), decode(b));
            let d = distance(lon1, lat1, lon2, lat2) / meters;
            ctx.c.add_bulk(format!("{d:.4}").as_bytes());
        }
        None => ctx.c.add_null(),
    }
    Ok(())
}

pub fn geohash(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let z = zset::read_zset(ctx.srv, ctx.c.db, argv[1], ctx.now_ms)?;
    let (out, resp) = (&mut ctx.c.reply, ctx.c.resp);
    reply::array_len(out, argv.len() - 2);
    for member in &argv[2..] {
        // The standard geohash uses latitudes -90..90: decode, re-encode.
        let hash = z.and_then(|z| z.score(member)).and_then(|score| {
            let (lon, lat) = decode(score);
            encode(lon, lat, (-180.0, 180.0), (-90.0, 90.0))
        });
        match hash {
            Some(bits) => {
                // 52 bits make ten characters; the eleventh is always '0'.
                let mut text = [b'0'; 11];
                for (i, c) in text.iter_mut().take(10).enumerate() {
                    *c = ALPHABET[(bits >> (52 - (i + 1) * 5) & 0x1f) as usize];
                }
                reply::bulk(out, &text);
            }
            None => reply::null_bulk(out, resp),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_positions_match_redis() {
        // GEOADD g 13.361389 38.115556 Palermo in Redis 7.0 stores this
        // score, and GEOPOS answers this centre.
        assert_eq!(score_of(13.361389, 38.115556), Some(3479099956230698));
        let (lon, lat) = decode(3479099956230698.0);
        for (v, shown) in [
            (lon, &b"13.36138933897018433"[..]),
            (lat, b"38.11555639549629859"),
        ] {
            let mut t = Vec::new();
            LongDouble::from_f64(v).format_human(&mut t);
            assert_eq!(t, shown);
        }
        assert_eq!(squash(spread(0x3ff_ffff)), 0x3ff_ffff);
    }
}
