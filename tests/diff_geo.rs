//! Differential cases for the geo commands ferrodis has (GEOADD, GEOPOS,
//! GEODIST, GEOHASH): the scores GEOADD stores (compared through ZRANGE
//! WITHSCORES), coordinates as Redis prints them in RESP2 and RESP3,
//! distances in every unit, errors and their order. Case syntax: see
//! tests/differential.rs.

mod common;

use common::diff::{cases, Case};

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
    "geo_watch_and_events": ["GEOADD", "g", "1", "2", "a"] ["WATCH", "g"] ["GEOADD", "g", "1", "2", "a"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "g"] ["GEOADD", "g", "3", "4", "a"] ["MULTI"] ["PING"] ["EXEC"];
};

#[test]
fn differential_geo() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}
