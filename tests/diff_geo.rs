//! Differential cases for the geo commands: the scores GEOADD stores
//! (compared through ZRANGE WITHSCORES), coordinates as Redis prints them
//! in RESP2 and RESP3, distances in every unit, searches (GEORADIUS*,
//! GEOSEARCH*) compared in order (unsorted and ANY results come out in the
//! order of Redis's cell scan), errors and their order. Case syntax: see
//! tests/differential.rs.

mod common;

use common::diff::{cases, Case};
use common::Reply;

const CASES: &[Case] = cases! {
    "geoadd_and_read_back": ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"] ["ZRANGE", "g", "0", "-1", "WITHSCORES"] ["GEOPOS", "g", "Palermo", "Catania", "nowhere"] ["GEODIST", "g", "Palermo", "Catania"] ["GEODIST", "g", "Palermo", "Catania", "km"] ["GEODIST", "g", "Palermo", "Catania", "MI"] ["GEODIST", "g", "Palermo", "Catania", "ft"] ["GEODIST", "g", "Palermo", "Catania", "m"] ["GEOHASH", "g", "Palermo", "Catania", "nowhere"] ["TYPE", "g"] ["OBJECT", "ENCODING", "g"];
    "geoadd_options": ["GEOADD", "g", "1", "2", "a"] ["GEOADD", "g", "NX", "3", "4", "a", "5", "6", "b"] ["GEOADD", "g", "XX", "CH", "7", "8", "a", "9", "10", "c"] ["GEOADD", "g", "CH", "7", "8", "a"] ["GEOADD", "g", "ch", "nx", "ch", "1", "1", "d"] ["ZRANGE", "g", "0", "-1", "WITHSCORES"] ["GEOADD", "g", "XX", "NX", "1", "2", "a"] ["GEOADD", "g", "GT", "1", "2", "a"] ["GEOADD", "g", "1", "2"] ["GEOADD", "g", "1", "2", "a", "3"];
    "geoadd_ranges": ["GEOADD", "g", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "zero"] ["GEOPOS", "g", "ne", "sw", "zero"] ["GEOHASH", "g", "ne", "sw", "zero"] ["GEOADD", "g", "180.0000001", "0", "x"] ["GEOADD", "g", "0", "85.06", "x"] ["GEOADD", "g", "-200", "-90", "x"] ["GEOADD", "g", "inf", "0", "x"] ["GEOADD", "g", "1", "2", "ok", "0", "91", "bad"] ["EXISTS", "g", "ok"] ["ZCARD", "g"];
    "geoadd_bad_numbers": ["GEOADD", "g", "abc", "1", "x"] ["GEOADD", "g", "1", "", "x"] ["GEOADD", "g", "nan", "1", "x"] ["GEOADD", "g", "1", "2", "a", "x", "2", "b"] ["EXISTS", "g"] ["GEOADD", "g", "0x10", "1e1", "hex"] ["GEOPOS", "g", "hex"];
    "geo_wrongtype": ["SET", "s", "x"] ["GEOADD", "s", "1", "2", "a"] ["GEOPOS", "s", "a"] ["GEODIST", "s", "a", "b"] ["GEOHASH", "s", "a"] ["GEODIST", "s", "a", "b", "yards"] ["GEOADD", "s", "1", "2"];
    "geo_missing_keys": ["GEOPOS", "nokey", "a", "b"] ["GEOHASH", "nokey", "a"] ["GEODIST", "nokey", "a", "b"] ["GEOPOS", "nokey"] ["GEOHASH", "nokey"];
    "geodist_cases": ["GEOADD", "g", "10", "20", "a", "10", "-30", "b", "-170", "20", "c", "10.5", "20.5", "d"] ["GEODIST", "g", "a", "b"] ["GEODIST", "g", "a", "c", "km"] ["GEODIST", "g", "a", "d", "mi"] ["GEODIST", "g", "a", "a"] ["GEODIST", "g", "a", "nowhere"] ["GEODIST", "g", "a", "b", "yd"] ["GEODIST", "g", "a", "b", "km", "x"] ["GEODIST", "g", "a"];
    "geo_on_plain_zset_scores": ["ZADD", "z", "0", "zero", "1", "one", "4503599627370495", "top", "123456.789", "frac"] ["GEOPOS", "z", "zero", "one", "top", "frac"] ["GEOHASH", "z", "zero", "one", "top", "frac"] ["GEODIST", "z", "zero", "top"];
    "geo_on_out_of_range_scores": ["ZADD", "z", "-1", "a", "-100", "b", "-inf", "c", "inf", "d", "1e300", "e", "9223372036854775807", "f", "18446744073709551616", "g", "-0.5", "h", "-1e300", "i"] ["GEOPOS", "z", "a", "b", "c", "d", "e", "f", "g", "h", "i"] ["GEOHASH", "z", "a", "b", "c", "d", "e", "f", "g", "h", "i"] ["GEODIST", "z", "a", "c"] ["GEODIST", "z", "b", "f", "km"];
    "geo_resp3": ["@ignore", "HELLO", "3"] ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"] ["GEOPOS", "g", "Palermo", "nowhere"] ["GEODIST", "g", "Palermo", "Catania", "km"] ["GEODIST", "g", "Palermo", "nowhere"] ["GEOHASH", "g", "Palermo", "nowhere"];
    "georadius_basic": ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"] ["GEORADIUS", "Sicily", "15", "37", "200", "km"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "ASC"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "WITHHASH", "WITHDIST", "DESC"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "2", "ANY"] ["GEORADIUS_RO", "Sicily", "15", "37", "100", "km"] ["GEORADIUSBYMEMBER", "Sicily", "Palermo", "100", "mi", "WITHDIST"] ["GEORADIUSBYMEMBER_RO", "Sicily", "Catania", "0", "m", "WITHDIST"] ["GEORADIUS", "Sicily", "15", "37", "1", "m"];
    "geosearch_basic": ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"] ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"] ["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"] ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "200", "200", "km"] ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "DESC", "COUNT", "3"] ["GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"] ["ZRANGE", "dst", "0", "-1", "WITHSCORES"] ["GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST", "ASC", "COUNT", "2"] ["ZRANGE", "dst", "0", "-1", "WITHSCORES"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d2"] ["ZRANGE", "d2", "0", "-1", "WITHSCORES"] ["GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "d2"] ["ZRANGE", "d2", "0", "-1", "WITHSCORES"] ["GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"] ["EXISTS", "dst"] ["GEOSEARCHSTORE", "dst", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"] ["GEORADIUS", "nokey", "0", "0", "1", "m", "STORE", "d2"] ["EXISTS", "d2"] ["GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "m"] ["GEORADIUSBYMEMBER", "nokey", "x", "1", "m"] ["GEORADIUSBYMEMBER", "nokey", "x", "-1", "m"];
    "geosearch_errors": ["GEOADD", "g", "1", "2", "a"] ["GEOSEARCH", "g", "FROMMEMBER", "a"] ["GEOSEARCH", "g", "BYRADIUS", "1", "km"] ["geosearch", "g", "FROMLONLAT", "1", "2"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"] ["GEOSEARCH", "g", "FROMLONLAT", "200", "2", "BYRADIUS", "1", "km"] ["GEOSEARCH", "g", "FROMLONLAT", "x", "2", "BYRADIUS", "1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "x", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "-1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "yd"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYBOX", "x", "1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYBOX", "1", "x", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYBOX", "-1", "1", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "COUNT", "0"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "COUNT", "x"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "ANY"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "STORE", "x"] ["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "WITHDIST"] ["GEORADIUS", "g", "1", "2", "1", "km", "STORE", "x", "WITHHASH"] ["GEORADIUS_RO", "g", "1", "2", "1", "km", "STORE", "x"] ["GEORADIUS", "g", "1", "2", "1", "km", "FROMMEMBER", "a"] ["GEORADIUSBYMEMBER", "g", "nope", "1", "km"] ["GEORADIUS", "g", "1", "2", "1"] ["SET", "s", "x"] ["GEOSEARCH", "s", "FROMMEMBER", "a", "BYRADIUS", "1", "km"] ["GEORADIUS", "s", "1", "2", "x", "km"] ["GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "bogus"];
    "geosearch_extremes": ["GEOADD", "g", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "z", "179.999", "0", "e", "-179.999", "0", "w"] ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1e308", "km", "ASC"] ["GEOSEARCH", "g", "FROMLONLAT", "180", "85.05112878", "BYRADIUS", "0", "m"] ["GEOSEARCH", "g", "FROMLONLAT", "180", "0", "BYRADIUS", "500", "km"] ["GEOSEARCH", "g", "FROMLONLAT", "-180", "0", "BYBOX", "1000", "1000", "km", "WITHDIST"] ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYBOX", "1e300", "1e300", "mi"] ["GEOSEARCH", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "4.9e-324", "m"] ["GEORADIUS", "g", "0", "85", "20000", "km", "COUNT", "1", "ANY"] ["GEOSEARCH", "g", "FROMMEMBER", "ne", "BYRADIUS", "10000", "km", "DESC", "WITHCOORD"] ["GEOSEARCH", "g", "FROMLONLAT", "0", "-85.05112878", "BYBOX", "40000", "40000", "km", "COUNT", "2"];
    "geosearch_resp3": ["@ignore", "HELLO", "3"] ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"] ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD", "WITHDIST", "WITHHASH", "ASC"] ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m"];
    "geo_watch_and_events": ["GEOADD", "g", "1", "2", "a"] ["WATCH", "g"] ["GEOADD", "g", "1", "2", "a"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "g"] ["GEOADD", "g", "3", "4", "a"] ["MULTI"] ["PING"] ["EXEC"];
};

#[test]
fn differential_geo() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}

/// A deterministic cloud of points (clusters near the equator, mid
/// latitudes, the poles' limits and the antimeridian) and searches of
/// every shape, unit, order and option over it: replies compared with
/// Redis's in order, which checks the cell scan as well as the filter.
#[test]
fn searches_match_redis_over_a_point_cloud() {
    let Some(mut twin) = common::diff::Twin::start(&[]) else {
        return;
    };
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let unit_f = |n: &mut dyn FnMut() -> u64| (n() % 1_000_000) as f64 / 1_000_000.0;
    let centres = [
        (0.0, 0.0),
        (13.4, 38.1),
        (-179.5, 10.0),
        (179.9, -20.0),
        (40.0, 84.0),
        (-70.0, -83.0),
    ];
    let mut points = Vec::new();
    for (i, &(clon, clat)) in centres.iter().enumerate() {
        for j in 0..60 {
            let spread = [0.05, 0.5, 3.0][j % 3];
            let lon: f64 = (clon + (unit_f(&mut next) - 0.5) * 2.0 * spread).clamp(-180.0, 180.0);
            let lat: f64 = (clat + (unit_f(&mut next) - 0.5) * 2.0 * spread).clamp(-85.05, 85.05);
            points.push((format!("p{i}-{j}"), lon, lat));
        }
    }
    let mut both = |args: Vec<String>| twin.both(&args);
    for (name, lon, lat) in &points {
        both(vec![
            "GEOADD".into(),
            "cloud".into(),
            format!("{lon:.6}"),
            format!("{lat:.6}"),
            name.clone(),
        ]);
    }
    let units = [("m", 1.0), ("km", 1000.0), ("mi", 1609.34), ("ft", 0.3048)];
    let mut several = 0;
    for k in 0..400 {
        let (ulabel, umeters) = units[k % 4];
        let size_m = [500.0, 20_000.0, 300_000.0, 3_000_000.0][(k / 4) % 4];
        let size = format!("{:.3}", size_m / umeters);
        let mut argv: Vec<String> = vec!["GEOSEARCH".into(), "cloud".into()];
        if k % 5 == 0 {
            argv.extend([
                "FROMMEMBER".into(),
                points[(next() as usize) % points.len()].0.clone(),
            ]);
        } else {
            let (clon, clat) = centres[(next() as usize) % centres.len()];
            let lon = (clon + (unit_f(&mut next) - 0.5) * 2.0).clamp(-180.0, 180.0);
            let lat = (clat + (unit_f(&mut next) - 0.5) * 2.0).clamp(-85.0, 85.0);
            argv.extend([
                "FROMLONLAT".into(),
                format!("{lon:.5}"),
                format!("{lat:.5}"),
            ]);
        }
        if k % 2 == 0 {
            argv.extend(["BYRADIUS".into(), size.clone(), ulabel.into()]);
        } else {
            argv.extend([
                "BYBOX".into(),
                size.clone(),
                format!("{:.3}", size_m / umeters / 2.0),
                ulabel.into(),
            ]);
        }
        match k % 6 {
            0 => argv.push("ASC".into()),
            1 => argv.push("DESC".into()),
            2 => argv.extend(["COUNT".into(), "3".into()]),
            3 => argv.extend(["COUNT".into(), "2".into(), "ANY".into()]),
            _ => {}
        }
        if k % 3 == 0 {
            argv.extend(["WITHDIST".into(), "WITHCOORD".into(), "WITHHASH".into()]);
        }
        if matches!(both(argv), Reply::Array(Some(v)) if v.len() > 1) {
            several += 1;
        }
    }
    // The searches must mostly find several points, or order is untested.
    assert!(
        several > 150,
        "only {several} searches found more than one point"
    );
}
