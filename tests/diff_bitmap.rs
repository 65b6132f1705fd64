//! Differential cases for the bitmap commands (SETBIT, GETBIT, BITCOUNT,
//! BITPOS, BITOP, BITFIELD, BITFIELD_RO): replies, every error and the
//! order in which Redis 7.0 checks them, integer-encoded strings read as
//! their digits, encodings after in-place writes, and which writes count
//! as changes (WATCH and keyspace events see only those). Case syntax: see
//! tests/differential.rs.

mod common;

use common::diff::{cases, Case};

const CASES: &[Case] = cases! {
    // ---------------------------------------------------------------- SETBIT / GETBIT
    "setbit_basic": ["SETBIT", "b", "7", "1"] ["GET", "b"] ["SETBIT", "b", "7", "0"] ["GET", "b"] ["SETBIT", "b", "0", "1"] ["GETBIT", "b", "0"] ["GETBIT", "b", "1"] ["GETBIT", "b", "100"] ["STRLEN", "b"];
    "setbit_grows_with_zeros": ["SET", "b", "a"] ["SETBIT", "b", "33", "1"] ["GET", "b"] ["STRLEN", "b"] ["OBJECT", "ENCODING", "b"];
    "setbit_makes_raw": ["SET", "i", "12"] ["OBJECT", "ENCODING", "i"] ["SETBIT", "i", "2", "1"] ["GET", "i"] ["OBJECT", "ENCODING", "i"] ["SET", "e", "short"] ["SETBIT", "e", "1", "1"] ["OBJECT", "ENCODING", "e"] ["SETBIT", "n", "0", "0"] ["OBJECT", "ENCODING", "n"] ["GET", "n"];
    "setbit_value_errors": ["SETBIT", "b", "0", "2"] ["SETBIT", "b", "0", "-1"] ["SETBIT", "b", "0", "x"] ["SETBIT", "b", "0", ""] ["SETBIT", "b", "0", "01"] ["SETBIT", "b", "0", " 1"] ["EXISTS", "b"];
    "setbit_offset_errors": ["SETBIT", "b", "-1", "1"] ["SETBIT", "b", "x", "1"] ["SETBIT", "b", "4294967296", "1"] ["SETBIT", "b", "99999999999999999999", "1"] ["SETBIT", "b", "#1", "1"] ["SETBIT", "b", "1.0", "1"] ["EXISTS", "b"];
    "setbit_error_order": ["LPUSH", "l", "a"] ["SETBIT", "l", "x", "1"] ["SETBIT", "l", "1", "x"] ["SETBIT", "l", "1", "1"] ["SETBIT", "nokey", "-1", "x"];
    "setbit_offset_limit_follows_config": ["CONFIG", "SET", "proto-max-bulk-len", "1mb"] ["SETBIT", "b", "8388607", "1"] ["STRLEN", "b"] ["SETBIT", "b", "8388608", "1"] ["CONFIG", "SET", "proto-max-bulk-len", "512mb"];
    "setbit_ttl_kept": ["SET", "b", "x", "EX", "100"] ["SETBIT", "b", "0", "1"] ["TTL", "b"];
    "getbit_int_encoded_reads_digits": ["SET", "i", "12"] ["GETBIT", "i", "2"] ["GETBIT", "i", "3"] ["GETBIT", "i", "10"] ["GETBIT", "i", "16"];
    "getbit_errors": ["GETBIT", "nokey", "x"] ["GETBIT", "nokey", "-1"] ["GETBIT", "nokey", "0"] ["LPUSH", "l", "a"] ["GETBIT", "l", "0"] ["GETBIT", "l", "x"] ["GETBIT", "nokey", "4294967296"];
    "bit_arity": ["SETBIT", "b", "1"] ["GETBIT", "b"] ["GETBIT", "b", "1", "2"] ["BITCOUNT"] ["BITPOS", "b"] ["BITOP", "and", "d"] ["BITFIELD"] ["BITFIELD_RO"];

    // ---------------------------------------------------------------- what counts as a change
    "setbit_unchanged_is_no_write": ["SET", "b", "a"] ["WATCH", "b"] ["SETBIT", "b", "1", "1"] ["SETBIT", "b", "0", "0"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "b"] ["SETBIT", "b", "0", "1"] ["MULTI"] ["PING"] ["EXEC"];
    "setbit_growth_is_a_write": ["SET", "b", "a"] ["WATCH", "b"] ["SETBIT", "b", "20", "0"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "c"] ["SETBIT", "c", "0", "0"] ["MULTI"] ["PING"] ["EXEC"];
    "bitfield_unchanged_is_no_write": ["SET", "b", "a"] ["WATCH", "b"] ["BITFIELD", "b", "SET", "u8", "0", "97", "INCRBY", "i4", "0", "0"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "b"] ["BITFIELD", "b", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "b"] ["BITFIELD", "b", "SET", "u8", "0", "98"] ["MULTI"] ["PING"] ["EXEC"];
    "bitfield_fail_on_missing_key_creates_it_silently": ["WATCH", "q"] ["BITFIELD", "q", "OVERFLOW", "FAIL", "SET", "u8", "0", "300"] ["MULTI"] ["PING"] ["EXEC"] ["EXISTS", "q"] ["GET", "q"];
    "bitop_watch": ["SET", "a", "x"] ["WATCH", "d"] ["BITOP", "OR", "d", "a"] ["MULTI"] ["PING"] ["EXEC"] ["WATCH", "a"] ["BITOP", "OR", "d", "a"] ["MULTI"] ["PING"] ["EXEC"];
    "bit_keyspace_events": ["@ignore", "HELLO", "3"] ["CONFIG", "SET", "notify-keyspace-events", "KA"] ["SUBSCRIBE", "__keyspace@0__:b", "__keyspace@0__:d"] ["@raw", "*4\r\n$6\r\nSETBIT\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\n1\r\n*4\r\n$6\r\nSETBIT\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\n1\r\n*6\r\n$8\r\nBITFIELD\r\n$1\r\nb\r\n$3\r\nSET\r\n$2\r\nu8\r\n$1\r\n8\r\n$1\r\n5\r\n*4\r\n$5\r\nBITOP\r\n$3\r\nNOT\r\n$1\r\nd\r\n$1\r\nb\r\n*4\r\n$5\r\nBITOP\r\n$3\r\nAND\r\n$1\r\nd\r\n$5\r\nnokey\r\n"] ["CONFIG", "SET", "notify-keyspace-events", ""];

    // ---------------------------------------------------------------- BITCOUNT
    "bitcount_basic": ["SET", "s", "foobar"] ["BITCOUNT", "s"] ["BITCOUNT", "s", "0", "0"] ["BITCOUNT", "s", "1", "1"] ["BITCOUNT", "s", "1", "-2"] ["BITCOUNT", "s", "-3", "-1"] ["BITCOUNT", "s", "4", "2"] ["BITCOUNT", "s", "-100", "100"];
    "bitcount_bit_ranges": ["SET", "s", "foobar"] ["BITCOUNT", "s", "5", "30", "BIT"] ["BITCOUNT", "s", "0", "-1", "bit"] ["BITCOUNT", "s", "1", "1", "BIT"] ["BITCOUNT", "s", "-5", "-1", "BIT"] ["BITCOUNT", "s", "7", "8", "BIT"] ["BITCOUNT", "s", "0", "0", "BYTE"] ["BITCOUNT", "s", "9", "3", "BIT"] ["BITCOUNT", "s", "47", "1000", "BIT"];
    "bitcount_int_and_empty": ["SET", "i", "255"] ["BITCOUNT", "i"] ["SET", "e", ""] ["BITCOUNT", "e"] ["BITCOUNT", "e", "0", "-1"] ["BITCOUNT", "e", "0", "0", "BIT"];
    "bitcount_errors_and_order": ["BITCOUNT", "nokey", "a", "b"] ["BITCOUNT", "nokey", "0"] ["SET", "s", "foo"] ["BITCOUNT", "s", "a", "b"] ["BITCOUNT", "s", "0"] ["BITCOUNT", "s", "0", "1", "bogus"] ["BITCOUNT", "s", "-1", "-2", "bogus"] ["BITCOUNT", "s", "0", "1", "BIT", "x"] ["LPUSH", "l", "a"] ["BITCOUNT", "l", "a", "b"] ["BITCOUNT", "s", "0", "x"];
    "bitcount_extreme_ranges": ["SET", "s", "foobar"] ["BITCOUNT", "s", "9223372036854775807", "9223372036854775807"] ["BITCOUNT", "s", "2305843009213693951", "-1"] ["BITCOUNT", "s", "-9223372036854775808", "-1"] ["BITCOUNT", "s", "-9223372036854775808", "9223372036854775807", "BIT"] ["BITCOUNT", "s", "1152921504606846976", "-1", "BIT"] ["BITCOUNT", "s", "0", "-9223372036854775808"];
    "bitcount_long_string": ["SETRANGE", "s", "1000", "\u{ff}\u{1}abcdefghijklmnopqrstuvwxyz"] ["BITCOUNT", "s"] ["BITCOUNT", "s", "999", "1003"] ["BITCOUNT", "s", "7999", "8020", "BIT"] ["BITCOUNT", "s", "8003", "8200", "BIT"];

    // ---------------------------------------------------------------- BITPOS
    "bitpos_basic": ["SET", "s", "\u{0}\u{f}\u{ff}"] ["BITPOS", "s", "1"] ["BITPOS", "s", "0"] ["BITPOS", "s", "1", "1"] ["BITPOS", "s", "1", "2"] ["BITPOS", "s", "0", "2"] ["BITPOS", "s", "0", "2", "-1"] ["BITPOS", "s", "1", "-1"];
    "bitpos_all_ones": ["SET", "s", "\u{7f}"] ["SETBIT", "f", "7", "1"] ["BITFIELD", "f", "SET", "u8", "0", "255", "SET", "u8", "8", "255"] ["BITPOS", "f", "0"] ["BITPOS", "f", "0", "0"] ["BITPOS", "f", "0", "0", "-1"] ["BITPOS", "f", "0", "1", "1"] ["BITPOS", "f", "1", "0", "-1"] ["BITPOS", "f", "0", "0", "15", "BIT"] ["BITPOS", "f", "0", "3", "BIT", "bogus"];
    "bitpos_bit_ranges": ["SET", "s", "\u{0}\u{ff}\u{f0}"] ["BITPOS", "s", "1", "7", "15", "BIT"] ["BITPOS", "s", "0", "7", "15", "BIT"] ["BITPOS", "s", "0", "8", "15", "BIT"] ["BITPOS", "s", "0", "8", "19", "BIT"] ["BITPOS", "s", "1", "17", "23", "BIT"] ["BITPOS", "s", "1", "20", "23", "BIT"] ["BITPOS", "s", "0", "20", "23", "BIT"] ["BITPOS", "s", "1", "-5", "-1", "bit"] ["BITPOS", "s", "1", "3", "2", "BIT"] ["BITPOS", "s", "0", "9", "9", "BIT"] ["BITPOS", "s", "1", "0", "0", "BYTE"];
    "bitpos_extreme_ranges": ["SET", "s", "foobar"] ["BITPOS", "s", "1", "9223372036854775807"] ["BITPOS", "s", "0", "2305843009213693951"] ["BITPOS", "s", "1", "-9223372036854775808"] ["BITPOS", "s", "0", "-9223372036854775808", "9223372036854775807", "BIT"] ["BITPOS", "s", "1", "2305843009213693951", "-1", "BYTE"] ["BITPOS", "s", "0", "0", "-9223372036854775808"];
    "bitpos_missing_and_empty": ["BITPOS", "nokey", "0"] ["BITPOS", "nokey", "1"] ["BITPOS", "nokey", "1", "x"] ["BITPOS", "nokey", "0", "5", "1", "BIT"] ["SET", "e", ""] ["BITPOS", "e", "0"] ["BITPOS", "e", "1"] ["BITPOS", "e", "0", "0"];
    "bitpos_int_encoded": ["SET", "i", "0"] ["BITPOS", "i", "0"] ["BITPOS", "i", "1"] ["BITPOS", "i", "1", "0", "-1", "BIT"];
    "bitpos_errors_and_order": ["BITPOS", "nokey", "2"] ["BITPOS", "nokey", "x"] ["BITPOS", "nokey", "-1"] ["SET", "s", "foo"] ["BITPOS", "s", "1", "x"] ["BITPOS", "s", "0", "0", "-1", "bogus"] ["BITPOS", "s", "0", "x", "-1", "bogus"] ["BITPOS", "s", "0", "0", "x", "bogus"] ["BITPOS", "s", "0", "0", "x", "BIT"] ["BITPOS", "s", "0", "0", "1", "BIT", "x"] ["LPUSH", "l", "a"] ["BITPOS", "l", "1"] ["BITPOS", "l", "2"];

    // ---------------------------------------------------------------- BITOP
    "bitop_ops": ["SET", "a", "foobar"] ["SET", "b", "abcdef"] ["SET", "c", "xy"] ["BITOP", "AND", "d", "a", "b"] ["GET", "d"] ["BITOP", "or", "d", "a", "b", "c"] ["GET", "d"] ["BITOP", "Xor", "d", "a", "c"] ["GET", "d"] ["BITOP", "NOT", "d", "c"] ["GET", "d"] ["BITOP", "AND", "d", "a", "c"] ["GET", "d"] ["OBJECT", "ENCODING", "d"];
    "bitop_missing_sources": ["SET", "a", "foo"] ["BITOP", "AND", "d", "a", "nokey"] ["GET", "d"] ["BITOP", "OR", "d", "nokey", "a"] ["GET", "d"] ["BITOP", "XOR", "d", "nokey"] ["EXISTS", "d"] ["BITOP", "NOT", "d", "nokey"] ["EXISTS", "d"];
    "bitop_int_sources_and_dst": ["SET", "i", "12"] ["SET", "d", "v", "EX", "100"] ["BITOP", "NOT", "d", "i"] ["GET", "d"] ["TTL", "d"] ["OBJECT", "ENCODING", "d"] ["LPUSH", "l", "x"] ["BITOP", "OR", "l", "i"] ["TYPE", "l"] ["BITOP", "OR", "i", "i", "i"] ["GET", "i"];
    "bitop_errors": ["BITOP", "nand", "d", "a"] ["BITOP", "NOT", "d", "a", "b"] ["LPUSH", "l", "x"] ["BITOP", "AND", "d", "nokey", "l"] ["BITOP", "nand", "d", "l"] ["EXISTS", "d"] ["BITOP", "NOT", "d", "l"];
    "bitop_empty_string_source": ["SET", "e", ""] ["SET", "d", "x"] ["BITOP", "OR", "d", "e"] ["EXISTS", "d"];

    // ---------------------------------------------------------------- BITFIELD
    "bitfield_get_set_incr": ["BITFIELD", "b", "SET", "i8", "0", "100", "GET", "i8", "0", "INCRBY", "i8", "0", "27", "GET", "u8", "0", "SET", "u4", "#3", "9", "GET", "u4", "#3", "GET", "i4", "#3"] ["GET", "b"] ["STRLEN", "b"];
    "bitfield_unaligned_wide": ["BITFIELD", "b", "SET", "i64", "3", "-2", "GET", "i64", "3", "GET", "u63", "3", "GET", "i1", "3", "GET", "u1", "66", "SET", "u63", "70", "9223372036854775807", "GET", "u63", "70", "GET", "i64", "69"] ["STRLEN", "b"];
    "bitfield_overflow_wrap": ["BITFIELD", "b", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10", "INCRBY", "u8", "0", "-20", "SET", "i8", "8", "120", "INCRBY", "i8", "8", "10", "INCRBY", "i8", "8", "-10", "SET", "u8", "16", "-1", "GET", "u8", "16", "SET", "i8", "24", "200", "GET", "i8", "24"];
    "bitfield_overflow_sat": ["BITFIELD", "b", "OVERFLOW", "SAT", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10", "INCRBY", "u8", "0", "-300", "SET", "i8", "8", "300", "INCRBY", "i8", "8", "-1000", "SET", "u8", "16", "-1", "SET", "i64", "24", "9223372036854775807", "INCRBY", "i64", "24", "1", "INCRBY", "i64", "24", "-9223372036854775808", "INCRBY", "i64", "24", "-9223372036854775808"];
    "bitfield_overflow_fail": ["BITFIELD", "b", "OVERFLOW", "FAIL", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "1", "GET", "u8", "0", "SET", "i8", "8", "-129", "SET", "i8", "8", "-128", "INCRBY", "i8", "8", "-1", "OVERFLOW", "WRAP", "INCRBY", "i8", "8", "-1", "SET", "u2", "20", "7"];
    "bitfield_i64_wrap": ["BITFIELD", "b", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "-9223372036854775808", "SET", "u63", "64", "-1", "GET", "u63", "64"];
    "bitfield_int_encoded_and_existing": ["SET", "i", "123"] ["BITFIELD", "i", "GET", "u8", "0", "GET", "u24", "0", "GET", "u8", "24"] ["OBJECT", "ENCODING", "i"] ["BITFIELD", "i", "INCRBY", "u8", "0", "1"] ["GET", "i"] ["OBJECT", "ENCODING", "i"];
    "bitfield_no_ops_and_missing": ["BITFIELD", "b"] ["BITFIELD", "b", "GET", "i8", "0"] ["EXISTS", "b"] ["BITFIELD", "b", "OVERFLOW", "SAT"] ["EXISTS", "b"] ["SET", "s", "x"] ["BITFIELD", "s"];
    "bitfield_hash_offsets": ["BITFIELD", "b", "SET", "u8", "#0", "1", "SET", "u8", "#2", "3", "SET", "i5", "#7", "-3", "GET", "i5", "#7", "GET", "u8", "#1"] ["GET", "b"] ["BITFIELD", "b", "SET", "i8", "#4611686018427387904", "7"] ["GET", "b"] ["BITFIELD", "b", "GET", "u8", "#-1"] ["BITFIELD", "b", "GET", "u8", "#"] ["BITFIELD", "b", "GET", "u8", "##1"];
    "bitfield_type_errors": ["BITFIELD", "b", "GET", "u64", "0"] ["BITFIELD", "b", "GET", "i65", "0"] ["BITFIELD", "b", "GET", "i0", "0"] ["BITFIELD", "b", "GET", "I8", "0"] ["BITFIELD", "b", "GET", "x8", "0"] ["BITFIELD", "b", "GET", "", "0"] ["BITFIELD", "b", "GET", "u", "0"] ["BITFIELD", "b", "GET", "u-1", "0"] ["BITFIELD", "b", "GET", "u08", "0"] ["BITFIELD", "b", "GET", "i8\u{0}x", "0"] ["BITFIELD", "b", "GET", "u63", "0"];
    "bitfield_syntax_errors": ["BITFIELD", "b", "FOO"] ["BITFIELD", "b", "GET", "u8"] ["BITFIELD", "b", "SET", "u8", "0"] ["BITFIELD", "b", "INCRBY", "u8", "0"] ["BITFIELD", "b", "OVERFLOW"] ["BITFIELD", "b", "OVERFLOW", "BOGUS", "GET", "u8", "0"] ["BITFIELD", "b", "get", "u8", "0", "set", "u8", "0", "x"] ["BITFIELD", "b", "INCRBY", "u8", "0", "1.5"] ["BITFIELD", "b", "SET", "u8", "-1", "1"] ["BITFIELD", "b", "SET", "u8", "4294967296", "1"] ["EXISTS", "b"];
    "bitfield_error_order": ["LPUSH", "l", "a"] ["BITFIELD", "l", "GET", "u8", "0"] ["BITFIELD", "l", "SET", "u8", "0", "1"] ["BITFIELD", "l", "FOO"] ["BITFIELD", "l", "GET", "u8", "0", "GET", "x", "0"] ["BITFIELD", "l"];
    "bitfield_ro": ["SET", "b", "abc"] ["BITFIELD_RO", "b", "GET", "u8", "0", "GET", "i4", "#3"] ["BITFIELD_RO", "b"] ["BITFIELD_RO", "nokey", "GET", "u16", "0"] ["BITFIELD_RO", "b", "SET", "u8", "0", "1"] ["BITFIELD_RO", "b", "INCRBY", "u8", "0", "1"] ["BITFIELD_RO", "b", "GET", "u8", "0", "OVERFLOW", "SAT"] ["BITFIELD_RO", "b", "GET", "u8", "x", "SET", "u8", "0", "1"] ["LPUSH", "l", "a"] ["BITFIELD_RO", "l", "GET", "u8", "0"] ["BITFIELD_RO", "l", "SET", "u8", "0", "1"] ["GET", "b"];
    "bitfield_resp3_nulls": ["@ignore", "HELLO", "3"] ["BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "GET", "u2", "0"];
    "bitfield_in_multi": ["MULTI"] ["BITFIELD", "b", "INCRBY", "u8", "0", "3"] ["SETBIT", "b", "0", "1"] ["BITCOUNT", "b"] ["BITPOS", "b", "0"] ["EXEC"];
};

#[test]
fn differential_bitmap() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}
