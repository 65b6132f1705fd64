//! Geo commands (Redis's geo.c, geohash.c and geohash_helper.c): GEOADD,
//! GEOPOS, GEODIST, GEOHASH, and the searches GEORADIUS[BYMEMBER][_RO],
//! GEOSEARCH and GEOSEARCHSTORE. A place is a sorted-set member whose score is a 52-bit
//! geohash: 26 bits of latitude (over Redis's -85.05112878..85.05112878,
//! the Web Mercator limit) interleaved with 26 bits of longitude, latitude
//! on the even bits. GEOADD turns its coordinates into scores and runs as
//! ZADD, which is also what replicas and the AOF receive, as in Redis.

use super::{zset, CmdError, CmdResult, Ctx};
use crate::resp::{errors, reply};
use crate::server::notify;
use crate::util::{parse_f64, LongDouble};

const LONG_MIN: f64 = -180.0;
const LONG_MAX: f64 = 180.0;
const LAT_MIN: f64 = -85.051_128_78;
const LAT_MAX: f64 = 85.051_128_78;
/// Bits per coordinate.
const STEP: u32 = 26;
/// Redis's mean Earth radius for distances, in meters.
const EARTH_RADIUS_M: f64 = 6_372_797.560_856;
/// Half the Earth's circumference in Web Mercator meters.
const MERCATOR_MAX: f64 = 20_037_726.37;
const BAD_UNIT: &str = "ERR unsupported unit provided. please use M, KM, FT, MI";

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

/// The geohash of a point over the given ranges (None outside them), at
/// `step` bits per coordinate.
fn encode_at(
    lon: f64,
    lat: f64,
    lon_range: (f64, f64),
    lat_range: (f64, f64),
    step: u32,
) -> Option<u64> {
    let inside = |v: f64, (lo, hi): (f64, f64)| v >= lo && v <= hi;
    if !inside(lon, (LONG_MIN, LONG_MAX)) || !inside(lat, (LAT_MIN, LAT_MAX)) {
        return None;
    }
    if !inside(lon, lon_range) || !inside(lat, lat_range) {
        return None;
    }
    let scale = (1u64 << step) as f64;
    // Fixed point by truncation, as Redis's conversion to uint32 does.
    let lat_cell = ((lat - lat_range.0) / (lat_range.1 - lat_range.0) * scale) as u32;
    let lon_cell = ((lon - lon_range.0) / (lon_range.1 - lon_range.0) * scale) as u32;
    Some(spread(lat_cell) | spread(lon_cell) << 1)
}

fn encode(lon: f64, lat: f64, lon_range: (f64, f64), lat_range: (f64, f64)) -> Option<u64> {
    encode_at(lon, lat, lon_range, lat_range, STEP)
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
    let a = Cell {
        bits: score_bits(score),
        step: STEP,
    }
    .area();
    let lon = ((a.lon.0 + a.lon.1) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((a.lat.0 + a.lat.1) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// Great-circle distance in meters (haversine), as Redis 7.0 computes it.
fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let rad = std::f64::consts::PI / 180.0;
    let (lat1r, lon1r, lat2r, lon2r) = (lat1 * rad, lon1 * rad, lat2 * rad, lon2 * rad);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let v = ((lon2r - lon1r) / 2.0).sin();
    2.0 * EARTH_RADIUS_M * (u * u + lat1r.cos() * lat2r.cos() * v * v).sqrt().asin()
}

/// Meters per unit of a unit argument.
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
        5 => unit(argv[4]).ok_or(BAD_UNIT)?,
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

// ---------------------------------------------------------------------------
// Searches: GEORADIUS[BYMEMBER][_RO], GEOSEARCH, GEOSEARCHSTORE
// ---------------------------------------------------------------------------

/// A cell of the geohash grid at `step` bits per coordinate.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Cell {
    bits: u64,
    step: u32,
}

/// Longitude and latitude spans of a cell.
struct Area {
    lon: (f64, f64),
    lat: (f64, f64),
}

impl Cell {
    /// "No cell": a neighbour the search left out.
    const NONE: Cell = Cell { bits: 0, step: 0 };

    fn containing(lon: f64, lat: f64, step: u32) -> Cell {
        let bits = encode_at(lon, lat, (LONG_MIN, LONG_MAX), (LAT_MIN, LAT_MAX), step);
        Cell {
            bits: bits.unwrap_or(0),
            step,
        }
    }

    fn area(self) -> Area {
        let cells = (1u64 << self.step) as f64;
        let span = |cell: u32, (lo, hi): (f64, f64)| {
            let low = lo + (cell as f64 / cells) * (hi - lo);
            let high = lo + (cell.wrapping_add(1) as f64 / cells) * (hi - lo);
            (low, high)
        };
        Area {
            lon: span(squash(self.bits >> 1), (LONG_MIN, LONG_MAX)),
            lat: span(squash(self.bits), (LAT_MIN, LAT_MAX)),
        }
    }

    /// The neighbouring cell `dx` east and `dy` north (each -1, 0 or 1),
    /// wrapping around the grid as Redis's bit arithmetic does.
    fn moved(self, dx: i8, dy: i8) -> Cell {
        const ODD: u64 = 0xaaaa_aaaa_aaaa_aaaa;
        const EVEN: u64 = 0x5555_5555_5555_5555;
        let shift = 64 - self.step * 2;
        let step_along = |part: u64, others: u64, d: i8| {
            if d == 0 {
                return part;
            }
            // `others` filled with ones lets the carry cross them.
            let fill = others >> shift;
            let moved = if d > 0 {
                part.wrapping_add(fill + 1)
            } else {
                (part | fill).wrapping_sub(fill + 1)
            };
            moved & (!others >> shift)
        };
        let lon = step_along(self.bits & ODD, EVEN, dx);
        let lat = step_along(self.bits & EVEN, ODD, dy);
        Cell {
            bits: lon | lat,
            step: self.step,
        }
    }

    /// Scores of the members inside: `min <= score < max`.
    fn scores(self) -> (f64, f64) {
        let shift = 52 - self.step * 2;
        (
            (self.bits << shift) as f64,
            ((self.bits + 1) << shift) as f64,
        )
    }
}

#[derive(Clone, Copy)]
enum Extent {
    Radius(f64),
    Box { width: f64, height: f64 },
}

/// What a search covers: a circle or an axis-aligned box around a point,
/// its sizes in the unit given (`to_meters` converts).
struct Shape {
    lon: f64,
    lat: f64,
    extent: Extent,
    to_meters: f64,
}

impl Shape {
    /// Longitude and latitude bounds of the searched area (Redis's
    /// geohashBoundingBox: meridians narrow towards the poles).
    fn bounds(&self) -> Area {
        let rad = std::f64::consts::PI / 180.0;
        let (half_w, half_h) = match self.extent {
            Extent::Radius(r) => (r, r),
            Extent::Box { width, height } => (width / 2.0, height / 2.0),
        };
        let (width, height) = (self.to_meters * half_w, self.to_meters * half_h);
        let lat_delta = height / EARTH_RADIUS_M / rad;
        let lon_delta_at = |lat: f64| width / EARTH_RADIUS_M / (lat * rad).cos() / rad;
        let lon_delta = if self.lat < 0.0 {
            lon_delta_at(self.lat - lat_delta)
        } else {
            lon_delta_at(self.lat + lat_delta)
        };
        Area {
            lon: (self.lon - lon_delta, self.lon + lon_delta),
            lat: (self.lat - lat_delta, self.lat + lat_delta),
        }
    }

    /// The distance from the centre to a point, when the point is inside.
    fn contains(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.extent {
            Extent::Radius(r) => {
                let d = distance(self.lon, self.lat, lon, lat);
                (d <= r * self.to_meters).then_some(d)
            }
            Extent::Box { width, height } => {
                let along_lat = distance(lon, lat, self.lon, lat);
                let along_lon = distance(lon, lat, lon, self.lat);
                if along_lat > width * self.to_meters / 2.0
                    || along_lon > height * self.to_meters / 2.0
                {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }

    /// The cells to scan, in Redis's order: the centre's, then north,
    /// south, east, west, north-east, north-west, south-east, south-west,
    /// those the area cannot reach left out (geohashCalculateAreasByShape).
    fn cells(&self) -> [Cell; 9] {
        let b = self.bounds();
        let radius = match self.extent {
            Extent::Radius(r) => r,
            Extent::Box { width, height } => {
                ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
            }
        } * self.to_meters;
        let mut step = estimate_step(radius, self.lat);
        let mut centre = Cell::containing(self.lon, self.lat, step);
        // A neighbour that does not reach the area's edge: one step coarser.
        let (n, s) = (centre.moved(0, 1).area(), centre.moved(0, -1).area());
        let (e, w) = (centre.moved(1, 0).area(), centre.moved(-1, 0).area());
        if step > 1
            && (n.lat.1 < b.lat.1 || s.lat.0 > b.lat.0 || e.lon.1 < b.lon.1 || w.lon.0 > b.lon.0)
        {
            step -= 1;
            centre = Cell::containing(self.lon, self.lat, step);
        }
        let mut c = [
            centre,
            centre.moved(0, 1),
            centre.moved(0, -1),
            centre.moved(1, 0),
            centre.moved(-1, 0),
            centre.moved(1, 1),
            centre.moved(-1, 1),
            centre.moved(1, -1),
            centre.moved(-1, -1),
        ];
        if step >= 2 {
            let a = centre.area();
            let mut drop = |idx: [usize; 3]| idx.iter().for_each(|&i| c[i] = Cell::NONE);
            if a.lat.0 < b.lat.0 {
                drop([2, 7, 8]);
            }
            if a.lat.1 > b.lat.1 {
                drop([1, 5, 6]);
            }
            if a.lon.0 < b.lon.0 {
                drop([4, 6, 8]);
            }
            if a.lon.1 > b.lon.1 {
                drop([3, 5, 7]);
            }
        }
        c
    }
}

/// Bits per coordinate of cells about as large as `range_m` at `lat`.
fn estimate_step(mut range_m: f64, lat: f64) -> u32 {
    if range_m == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range_m < MERCATOR_MAX {
        range_m *= 2.0;
        step += 1;
    }
    step -= 2;
    // Meridians converge: wider cells near the poles.
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u32
}

/// A member found by a search.
struct Found {
    member: Vec<u8>,
    score: f64,
    lon: f64,
    lat: f64,
    dist: f64,
}

/// The members inside `shape`, cell by cell in Redis's order; with
/// `limit` (COUNT ... ANY) the scan stops once that many are found.
fn search(z: &crate::db::zset::ZSet, shape: &Shape, limit: usize) -> Vec<Found> {
    let mut found = Vec::new();
    let cells = shape.cells();
    let mut last: Option<usize> = None;
    for (i, &cell) in cells.iter().enumerate() {
        if cell == Cell::NONE {
            continue;
        }
        // Wide searches give equal neighbours: scan each cell once (Redis
        // compares with the last scanned neighbour, never the centre).
        if last.is_some_and(|l| l > 0 && cells[l] == cell) {
            continue;
        }
        if limit > 0 && found.len() >= limit {
            break;
        }
        let (min, max) = cell.scores();
        let start = z.count_while(&|s, _| s < min);
        let end = z.count_while(&|s, _| s < max);
        if end > start {
            z.for_range(start, end - 1, false, |member, score| {
                if limit > 0 && found.len() >= limit {
                    return;
                }
                let (lon, lat) = decode(score);
                if let Some(dist) = shape.contains(lon, lat) {
                    found.push(Found {
                        member: member.to_vec(),
                        score,
                        lon,
                        lat,
                        dist,
                    });
                }
            });
        }
        last = Some(i);
    }
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SearchKind {
    /// GEORADIUS[_RO] key lon lat radius unit ...
    Radius,
    /// GEORADIUSBYMEMBER[_RO] key member radius unit ...
    ByMember,
    /// GEOSEARCH key ... / GEOSEARCHSTORE dst key ...
    Search { store: bool },
}

fn distance_arg(radius: &[u8], unit_arg: &[u8]) -> Result<(f64, f64), CmdError> {
    let r = parse_f64(radius).ok_or("ERR need numeric radius")?;
    if r < 0.0 {
        return Err("ERR radius cannot be negative".into());
    }
    Ok((r, unit(unit_arg).ok_or(BAD_UNIT)?))
}

fn point_arg(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), CmdError> {
    let lon = parse_f64(lon).ok_or(errors::NOT_FLOAT)?;
    let lat = parse_f64(lat).ok_or(errors::NOT_FLOAT)?;
    if score_of(lon, lat).is_none() {
        return Err(format!("ERR invalid longitude,latitude pair {lon:.6},{lat:.6}").into());
    }
    Ok((lon, lat))
}

const NO_MEMBER: &str = "ERR could not decode requested zset member";

fn search_generic(ctx: &mut Ctx, argv: &[&[u8]], kind: SearchKind, no_store: bool) -> CmdResult {
    let db = ctx.c.db;
    let src = if kind == (SearchKind::Search { store: true }) {
        argv[2]
    } else {
        argv[1]
    };
    let z = zset::read_zset(ctx.srv, db, src, ctx.now_ms)?;
    let member_pos = |m: &[u8]| z.and_then(|z| z.score(m)).map(decode).ok_or(NO_MEMBER);
    let mut centre: Option<(f64, f64)> = None;
    let mut extent: Option<(Extent, f64)> = None;
    let mut store: Option<&[u8]> = None;
    let base = match kind {
        SearchKind::Radius => {
            centre = Some(point_arg(argv[2], argv[3])?);
            let (r, m) = distance_arg(argv[4], argv[5])?;
            extent = Some((Extent::Radius(r), m));
            6
        }
        SearchKind::ByMember => {
            if z.is_some() {
                centre = Some(member_pos(argv[2])?);
                let (r, m) = distance_arg(argv[3], argv[4])?;
                extent = Some((Extent::Radius(r), m));
            }
            5
        }
        SearchKind::Search { store: true } => {
            store = Some(argv[1]);
            3
        }
        SearchKind::Search { store: false } => 2,
    };
    let geosearch = matches!(kind, SearchKind::Search { .. });
    let (mut with_dist, mut with_hash, mut with_coord) = (false, false, false);
    let (mut from_member, mut from_lonlat, mut by_radius, mut by_box) =
        (false, false, false, false);
    let (mut any, mut store_dist) = (false, false);
    let mut order: Option<bool> = None; // Some(true): ascending
    let mut count: i64 = 0;
    let opts = &argv[base.min(argv.len())..];
    let mut i = 0;
    while i < opts.len() {
        let a = opts[i];
        let rest = opts.len() - i - 1;
        let is = |name: &str| a.eq_ignore_ascii_case(name.as_bytes());
        if is("withdist") {
            with_dist = true;
        } else if is("withhash") {
            with_hash = true;
        } else if is("withcoord") {
            with_coord = true;
        } else if is("any") {
            any = true;
        } else if is("asc") {
            order = Some(true);
        } else if is("desc") {
            order = Some(false);
        } else if is("count") && rest >= 1 {
            count = super::arg_i64(opts[i + 1])?;
            if count <= 0 {
                return Err("ERR COUNT must be > 0".into());
            }
            i += 1;
        } else if (is("store") || is("storedist")) && rest >= 1 && !no_store && !geosearch {
            store = Some(opts[i + 1]);
            store_dist = is("storedist");
            i += 1;
        } else if is("storedist") && kind == (SearchKind::Search { store: true }) {
            store_dist = true;
        } else if is("frommember") && rest >= 1 && geosearch && !from_lonlat {
            if z.is_some() {
                centre = Some(member_pos(opts[i + 1])?);
            }
            from_member = true;
            i += 1;
        } else if is("fromlonlat") && rest >= 2 && geosearch && !from_member {
            centre = Some(point_arg(opts[i + 1], opts[i + 2])?);
            from_lonlat = true;
            i += 2;
        } else if is("byradius") && rest >= 2 && geosearch && !by_box {
            let (r, m) = distance_arg(opts[i + 1], opts[i + 2])?;
            extent = Some((Extent::Radius(r), m));
            by_radius = true;
            i += 2;
        } else if is("bybox") && rest >= 3 && geosearch && !by_radius {
            let w = parse_f64(opts[i + 1]).ok_or("ERR need numeric width")?;
            let h = parse_f64(opts[i + 2]).ok_or("ERR need numeric height")?;
            if w < 0.0 || h < 0.0 {
                return Err("ERR height or width cannot be negative".into());
            }
            let m = unit(opts[i + 3]).ok_or(BAD_UNIT)?;
            extent = Some((
                Extent::Box {
                    width: w,
                    height: h,
                },
                m,
            ));
            by_box = true;
            i += 3;
        } else {
            return Err(errors::SYNTAX.into());
        }
        i += 1;
    }
    if store.is_some() && (with_dist || with_hash || with_coord) {
        let what = if geosearch {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return Err(format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )
        .into());
    }
    let name = String::from_utf8_lossy(argv[0]);
    if geosearch && !(from_member || from_lonlat) {
        return Err(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )
        .into());
    }
    if geosearch && !(by_radius || by_box) {
        return Err(
            format!("ERR exactly one of BYRADIUS and BYBOX can be specified for {name}").into(),
        );
    }
    if any && count == 0 {
        return Err("ERR the ANY argument requires COUNT argument".into());
    }
    let (Some(z), Some((lon, lat)), Some((extent, to_meters))) = (z, centre, extent) else {
        // No source key: nothing found.
        match store {
            Some(dst) => store_found(ctx, db, dst, Vec::new(), false, geosearch),
            None => ctx.c.add_array_len(0),
        }
        return Ok(());
    };
    // COUNT without an order means the closest ones.
    if count > 0 && order.is_none() && !any {
        order = Some(true);
    }
    let shape = Shape {
        lon,
        lat,
        extent,
        to_meters,
    };
    let limit = if any { count as usize } else { 0 };
    let mut found = search(z, &shape, limit);
    if let Some(ascending) = order {
        found.sort_by(|a, b| {
            let o = a
                .dist
                .partial_cmp(&b.dist)
                .unwrap_or(std::cmp::Ordering::Equal);
            if ascending {
                o
            } else {
                o.reverse()
            }
        });
    }
    if count > 0 {
        found.truncate(count as usize);
    }
    for f in &mut found {
        f.dist /= to_meters;
    }
    match store {
        Some(dst) => store_found(ctx, db, dst, found, store_dist, geosearch),
        None => {
            let extras = with_dist as usize + with_hash as usize + with_coord as usize;
            let (out, resp) = (&mut ctx.c.reply, ctx.c.resp);
            reply::array_len(out, found.len());
            for f in &found {
                if extras > 0 {
                    reply::array_len(out, extras + 1);
                }
                reply::bulk(out, &f.member);
                if with_dist {
                    reply::bulk(out, format!("{:.4}", f.dist).as_bytes());
                }
                if with_hash {
                    reply::int(out, f.score as i64);
                }
                if with_coord {
                    reply::array_len(out, 2);
                    add_coordinate(out, resp, f.lon);
                    add_coordinate(out, resp, f.lat);
                }
            }
        }
    }
    Ok(())
}

/// STORE / STOREDIST / GEOSEARCHSTORE: the found members as a sorted set
/// at `dst` (scored by geohash, or by distance), replacing what was there;
/// nothing found deletes `dst`. Replies with the count.
fn store_found(
    ctx: &mut Ctx,
    db: usize,
    dst: &[u8],
    found: Vec<Found>,
    by_dist: bool,
    geosearch: bool,
) {
    let n = found.len();
    if n > 0 {
        let entries = found
            .into_iter()
            .map(|f| (f.member, if by_dist { f.dist } else { f.score }));
        let value =
            crate::db::Value::ZSet(crate::db::zset::ZSet::fresh(entries, zset::limits(ctx)));
        ctx.srv.set_key(db, dst, value, ctx.now_ms);
        let event = if geosearch {
            "geosearchstore"
        } else {
            "georadiusstore"
        };
        ctx.notify(notify::ZSET, event, dst, db);
        ctx.srv.mark_dirty(n as u64);
    } else if ctx.srv.dbs[db].remove(dst).is_some() {
        ctx.notify(notify::GENERIC, "del", dst, db);
        ctx.srv.mark_dirty(1);
    }
    ctx.c.add_int(n as i64);
}

pub fn georadius(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::Radius, false)
}

pub fn georadius_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::Radius, true)
}

pub fn georadiusbymember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::ByMember, false)
}

pub fn georadiusbymember_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::ByMember, true)
}

pub fn geosearch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::Search { store: false }, true)
}

pub fn geosearchstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    search_generic(ctx, argv, SearchKind::Search { store: true }, false)
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
