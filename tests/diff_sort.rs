//! Differential cases for SORT and SORT_RO: numeric and ALPHA orders,
//! ASC/DESC, LIMIT edge cases (negative and overflowing values), BY with
//! string keys and hash fields, "do not sort" on lists, sets and sorted
//! sets, GET with `#`, hash fields and missing keys, STORE (result, type,
//! TTL, deletion on an empty result), SORT_RO, the error replies and their
//! order, strtod quirks of numeric weights, and RESP3 forms.
//!
//! Sets in "do not sort" mode reply in hash-table order, which is ours, not
//! Redis's: those cases compare with `@sorted` (intsets iterate in ascending
//! order on both sides and are compared exactly). See `tests/differential.rs`
//! for the case syntax.

mod common;

const CASES: &[common::diff::Case] = common::diff::cases! {
    // ---------------------------------------------------------------- numeric / alpha
    "numeric_list": ["RPUSH", "l", "3", "1", "2", "10", "-5", "2.5"] ["SORT", "l"] ["SORT", "l", "DESC"] ["SORT", "l", "ASC"];
    "numeric_set_intset": ["SADD", "s", "30", "-1", "7", "100"] ["SORT", "s"] ["SORT", "s", "DESC"];
    "numeric_set_hashtable": ["SADD", "s", "1.5", "-2.25", "1e3", "0x10", "7"] ["SORT", "s"] ["SORT", "s", "desc"];
    "numeric_zset": ["ZADD", "z", "1", "30", "2", "4", "3", "100"] ["SORT", "z"] ["SORT", "z", "DESC"] ["OBJECT", "ENCODING", "z"];
    "numeric_ties_compare_bytes": ["RPUSH", "l", "1.0", "1", "01", "1e0", "0", "-0", "0.0"] ["SORT", "l"] ["SORT", "l", "DESC"];
    "numeric_inf_and_hex": ["RPUSH", "l", "inf", "-inf", "0x1A", "-Infinity", "1e308", "+3"] ["SORT", "l"] ["SORT", "l", "DESC"];
    "numeric_strtod_quirks": ["RPUSH", "l", " 4", "\t3", "", "2\0junk", "\n1"] ["SORT", "l"];
    "numeric_not_a_number": ["RPUSH", "l", "1", "abc", "2"] ["SORT", "l"] ["SORT", "l", "LIMIT", "0", "1"];
    "numeric_trailing_space": ["RPUSH", "l", "1 "] ["SORT", "l"];
    "numeric_only_space": ["RPUSH", "l", " "] ["SORT", "l"];
    "numeric_nan": ["RPUSH", "l", "nan"] ["SORT", "l"] ["RPUSH", "m", "-NaN", "1"] ["SORT", "m"];
    "numeric_out_of_range": ["RPUSH", "l", "1e400"] ["SORT", "l"] ["RPUSH", "m", "1e-400"] ["SORT", "m"] ["RPUSH", "n", "1e-310"] ["SORT", "n"];
    "numeric_error_stores_nothing": ["RPUSH", "l", "x", "1"] ["RPUSH", "dst", "keep"] ["SORT", "l", "STORE", "dst"] ["LRANGE", "dst", "0", "-1"];
    "alpha_list": ["RPUSH", "l", "banana", "apple", "Cherry", "10", "9", "", "apple2"] ["SORT", "l", "ALPHA"] ["SORT", "l", "ALPHA", "DESC"];
    "alpha_set": ["SADD", "s", "b", "a", "c", "ab", "B"] ["SORT", "s", "ALPHA"] ["SORT", "s", "alpha", "desc"];
    "alpha_zset": ["ZADD", "z", "1", "c", "2", "a", "3", "b"] ["SORT", "z", "ALPHA"] ["SORT", "z", "ALPHA", "DESC"];
    "alpha_numbers_as_text": ["RPUSH", "l", "10", "9", "100", "-1"] ["SORT", "l", "ALPHA"];
    "alpha_binary_store_vs_reply": ["RPUSH", "l", "a\0c", "a\0b", "a", "a\0a"] ["SORT", "l", "ALPHA", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["SORT", "l", "ALPHA"] ["SORT", "l", "ALPHA", "DESC"];
    "alpha_high_bytes": ["RPUSH", "l", "\u{e9}", "z", "\u{20ac}", "a"] ["SORT", "l", "ALPHA"] ["SORT", "l", "ALPHA", "DESC"];
    "options_case_insensitive": ["RPUSH", "l", "b", "a"] ["sort", "l", "aLpHa", "dEsC"] ["SORT", "l", "alpha", "Asc"];
    "options_last_order_wins": ["RPUSH", "l", "1", "3", "2"] ["SORT", "l", "DESC", "ASC"] ["SORT", "l", "ASC", "DESC"] ["SORT", "l", "ALPHA", "ALPHA"];

    // ---------------------------------------------------------------- LIMIT
    "limit_basic": ["RPUSH", "l", "5", "4", "3", "2", "1"] ["SORT", "l", "LIMIT", "0", "2"] ["SORT", "l", "LIMIT", "1", "3"] ["SORT", "l", "LIMIT", "3", "10"] ["SORT", "l", "LIMIT", "2", "2", "DESC"];
    "limit_zero_count": ["RPUSH", "l", "1", "2", "3"] ["SORT", "l", "LIMIT", "0", "0"] ["SORT", "l", "LIMIT", "1", "0"];
    "limit_negative": ["RPUSH", "l", "1", "2", "3"] ["SORT", "l", "LIMIT", "-1", "2"] ["SORT", "l", "LIMIT", "1", "-1"] ["SORT", "l", "LIMIT", "-5", "-5"] ["SORT", "l", "LIMIT", "0", "-2"];
    "limit_past_end": ["RPUSH", "l", "1", "2", "3"] ["SORT", "l", "LIMIT", "3", "1"] ["SORT", "l", "LIMIT", "2", "1"] ["SORT", "l", "LIMIT", "100", "100"];
    "limit_overflow": ["RPUSH", "l", "1", "2", "3"] ["SORT", "l", "LIMIT", "2", "9223372036854775807"] ["SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"] ["SORT", "l", "LIMIT", "-9223372036854775808", "-9223372036854775808"] ["SORT", "l", "LIMIT", "1", "-9223372036854775808"];
    "limit_overflow_nosort": ["RPUSH", "l", "1", "2", "3"] ["SORT", "l", "BY", "nosort", "LIMIT", "2", "9223372036854775807"] ["SORT", "l", "BY", "nosort", "LIMIT", "9223372036854775807", "1"] ["SORT", "l", "BY", "nosort", "LIMIT", "-9223372036854775808", "2", "DESC"];
    "limit_not_integer": ["RPUSH", "l", "1"] ["SORT", "l", "LIMIT", "a", "1"] ["SORT", "l", "LIMIT", "0", "1.5"] ["SORT", "l", "LIMIT", "9223372036854775808", "1"] ["SORT", "l", "LIMIT", " 1", "1"];
    "limit_missing_args": ["RPUSH", "l", "1"] ["SORT", "l", "LIMIT"] ["SORT", "l", "LIMIT", "0"] ["SORT", "l", "LIMIT", "0", "1", "LIMIT"];
    "limit_on_missing_key": ["SORT", "nokey", "LIMIT", "0", "10"] ["SORT", "nokey", "LIMIT", "-1", "-1", "DESC", "ALPHA"];
    "limit_twice_last_wins": ["RPUSH", "l", "1", "2", "3", "4"] ["SORT", "l", "LIMIT", "0", "1", "LIMIT", "2", "2"];

    // ---------------------------------------------------------------- BY
    "by_string_keys": ["RPUSH", "l", "a", "b", "c"] ["MSET", "w_a", "3", "w_b", "1", "w_c", "2"] ["SORT", "l", "BY", "w_*"] ["SORT", "l", "BY", "w_*", "DESC"];
    "by_missing_weights_zero": ["RPUSH", "l", "a", "b", "c", "d"] ["MSET", "w_a", "-1", "w_c", "1"] ["SORT", "l", "BY", "w_*"] ["SORT", "l", "BY", "w_*", "DESC"];
    "by_hash_field": ["RPUSH", "l", "1", "2", "3"] ["HSET", "h_1", "f", "30"] ["HSET", "h_2", "f", "10"] ["HSET", "h_3", "f", "20", "g", "0"] ["SORT", "l", "BY", "h_*->f"] ["SORT", "l", "BY", "h_*->g"] ["SORT", "l", "BY", "h_*->f", "DESC", "LIMIT", "0", "2"];
    "by_hash_field_wrong_types": ["RPUSH", "l", "1", "2"] ["SET", "h_1", "5"] ["HSET", "h_2", "f", "1"] ["SORT", "l", "BY", "h_*->f"] ["RPUSH", "w_2", "x"] ["SORT", "l", "BY", "w_*"];
    "by_pattern_middle": ["RPUSH", "l", "x", "y"] ["MSET", "pre_x_post", "2", "pre_y_post", "1"] ["SORT", "l", "BY", "pre_*_post"];
    "by_only_first_star": ["RPUSH", "l", "x", "y"] ["MSET", "x*", "2", "y*", "1"] ["SORT", "l", "BY", "**"];
    "by_arrow_without_field": ["RPUSH", "l", "x", "y"] ["MSET", "k_x->", "2", "k_y->", "1"] ["SORT", "l", "BY", "k_*->"];
    "by_arrow_before_star": ["RPUSH", "l", "x", "y"] ["MSET", "a->b_x", "2", "a->b_y", "1"] ["SORT", "l", "BY", "a->b_*"];
    "by_alpha": ["RPUSH", "l", "1", "2", "3", "4"] ["MSET", "w_1", "b", "w_2", "a", "w_3", "c"] ["SORT", "l", "BY", "w_*", "ALPHA"] ["SORT", "l", "BY", "w_*", "ALPHA", "DESC"];
    "by_alpha_ties_keep_order": ["RPUSH", "l", "x", "y", "z", "w"] ["SORT", "l", "BY", "nokey_*", "ALPHA"] ["SORT", "l", "BY", "nokey_*", "ALPHA", "DESC"];
    "by_numeric_ties": ["RPUSH", "l", "c", "a", "b"] ["SORT", "l", "BY", "nokey_*"] ["SORT", "l", "BY", "nokey_*", "DESC"] ["SORT", "l", "BY", "nokey_*", "LIMIT", "1", "1"];
    "by_weight_not_number": ["RPUSH", "l", "a", "b"] ["MSET", "w_a", "1", "w_b", "one"] ["SORT", "l", "BY", "w_*"] ["SORT", "l", "BY", "w_*", "ALPHA"];
    "by_element_not_number_ok": ["RPUSH", "l", "a", "b"] ["MSET", "w_a", "2", "w_b", "1"] ["SORT", "l", "BY", "w_*"];
    "by_set_and_zset": ["SADD", "s", "a", "b", "c"] ["ZADD", "z", "1", "a", "2", "b", "3", "c"] ["MSET", "w_a", "3", "w_b", "1", "w_c", "2"] ["SORT", "s", "BY", "w_*"] ["SORT", "z", "BY", "w_*"];
    "by_binary_element": ["RPUSH", "l", "a\0b", "c"] ["SET", "w_a\0b", "5"] ["SET", "w_c", "1"] ["SORT", "l", "BY", "w_*"];

    // ---------------------------------------------------------------- nosort
    "nosort_list": ["RPUSH", "l", "3", "1", "2"] ["SORT", "l", "BY", "nosort"] ["SORT", "l", "BY", "nosort", "DESC"] ["SORT", "l", "BY", "nosort", "ALPHA"];
    "nosort_list_limit": ["RPUSH", "l", "e", "d", "c", "b", "a"] ["SORT", "l", "BY", "nosort", "LIMIT", "1", "2"] ["SORT", "l", "BY", "nosort", "LIMIT", "1", "2", "DESC"] ["SORT", "l", "BY", "nosort", "LIMIT", "3", "100", "DESC"] ["SORT", "l", "BY", "nosort", "LIMIT", "5", "1"];
    "nosort_list_not_numbers": ["RPUSH", "l", "x", "y"] ["SORT", "l", "BY", "nosort"];
    "nosort_zset": ["ZADD", "z", "1", "c", "2", "b", "3", "a"] ["SORT", "z", "BY", "nosort"] ["SORT", "z", "BY", "nosort", "DESC"] ["SORT", "z", "BY", "nosort", "LIMIT", "1", "1"] ["SORT", "z", "BY", "nosort", "LIMIT", "1", "5", "DESC"] ["SORT", "z", "BY", "nosort", "LIMIT", "0", "1", "DESC"];
    "nosort_zset_converts": ["ZADD", "z", "1", "a", "2", "b"] ["OBJECT", "ENCODING", "z"] ["SORT_RO", "z", "BY", "nosort"] ["OBJECT", "ENCODING", "z"] ["ZADD", "y", "1", "a"] ["SORT", "y", "ALPHA"] ["OBJECT", "ENCODING", "y"];
    "nosort_set_intset": ["SADD", "s", "5", "1", "3"] ["SORT", "s", "BY", "nosort"] ["SORT", "s", "BY", "nosort", "LIMIT", "1", "1"];
    "nosort_set_hashtable": ["SADD", "s", "b", "a", "c", "1"] ["@sorted", "SORT", "s", "BY", "nosort"] ["@sorted", "SORT", "s", "BY", "nosort", "DESC"];
    "nosort_set_store_sorts": ["SADD", "s", "b", "10", "a", "9"] ["SORT", "s", "BY", "nosort", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["SORT", "s", "BY", "nosort", "DESC", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["SORT", "s", "BY", "nosort", "LIMIT", "1", "2", "STORE", "d"] ["LRANGE", "d", "0", "-1"];
    "nosort_sticky": ["RPUSH", "l", "3", "1", "2"] ["MSET", "w_1", "1", "w_2", "2", "w_3", "3"] ["SORT", "l", "BY", "nosort", "BY", "w_*"] ["SORT", "l", "BY", "w_*", "BY", "nosort"];
    "nosort_with_get": ["RPUSH", "l", "2", "1"] ["MSET", "o_1", "one", "o_2", "two"] ["SORT", "l", "BY", "nosort", "GET", "o_*", "GET", "#"];

    // ---------------------------------------------------------------- GET
    "get_string_keys": ["RPUSH", "l", "2", "1", "3"] ["MSET", "o_1", "one", "o_2", "two"] ["SORT", "l", "GET", "o_*"] ["SORT", "l", "GET", "#", "GET", "o_*"] ["SORT", "l", "GET", "o_*", "DESC", "LIMIT", "0", "2"];
    "get_hash_fields": ["RPUSH", "l", "1", "2"] ["HSET", "h_1", "name", "ann", "age", "30"] ["HSET", "h_2", "name", "bob"] ["SORT", "l", "GET", "h_*->name", "GET", "h_*->age", "GET", "#"];
    "get_wrong_types_nil": ["RPUSH", "l", "1", "2"] ["RPUSH", "o_1", "x"] ["SET", "h_2", "s"] ["SORT", "l", "GET", "o_*", "GET", "h_*->f"];
    "get_without_star": ["RPUSH", "l", "1", "2"] ["SET", "fixed", "v"] ["SORT", "l", "GET", "fixed"] ["SORT", "l", "GET", "##"];
    "get_int_values": ["RPUSH", "l", "a"] ["SET", "o_a", "12345"] ["HSET", "h_a", "f", "-7"] ["SORT", "l", "BY", "nosort", "GET", "o_*", "GET", "h_*->f"];
    "get_by_combined": ["RPUSH", "l", "1", "2", "3"] ["HSET", "u_1", "w", "3", "n", "c"] ["HSET", "u_2", "w", "1", "n", "a"] ["HSET", "u_3", "w", "2", "n", "b"] ["SORT", "l", "BY", "u_*->w", "GET", "u_*->n"] ["SORT", "l", "BY", "u_*->w", "GET", "u_*->n", "DESC", "LIMIT", "1", "5"];
    "get_on_empty": ["SORT", "nokey", "GET", "#", "GET", "x_*"];

    // ---------------------------------------------------------------- STORE
    "store_basic": ["RPUSH", "l", "3", "1", "2"] ["SORT", "l", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["TYPE", "d"] ["OBJECT", "ENCODING", "d"] ["LRANGE", "l", "0", "-1"];
    "store_overwrites_other_type": ["RPUSH", "l", "2", "1"] ["SET", "d", "x"] ["EXPIRE", "d", "100"] ["SORT", "l", "STORE", "d"] ["TYPE", "d"] ["TTL", "d"] ["LRANGE", "d", "0", "-1"];
    "store_onto_source": ["RPUSH", "l", "3", "1", "2"] ["SORT", "l", "DESC", "STORE", "l"] ["LRANGE", "l", "0", "-1"];
    "store_empty_deletes": ["SET", "d", "x"] ["SORT", "nokey", "STORE", "d"] ["EXISTS", "d"] ["RPUSH", "l", "1"] ["SORT", "l", "LIMIT", "5", "1", "STORE", "l"] ["EXISTS", "l"] ["SORT", "nokey", "STORE", "nokey2"] ["EXISTS", "nokey2"];
    "store_with_get": ["RPUSH", "l", "1", "2", "3"] ["MSET", "o_1", "one", "o_3", "three"] ["SORT", "l", "GET", "o_*", "GET", "#", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["LLEN", "d"];
    "store_alpha_limit": ["SADD", "s", "d", "a", "c", "b"] ["SORT", "s", "ALPHA", "LIMIT", "1", "2", "STORE", "d"] ["LRANGE", "d", "0", "-1"];
    "store_zset_source": ["ZADD", "z", "3", "a", "1", "b", "2", "c"] ["SORT", "z", "BY", "nosort", "DESC", "STORE", "d"] ["LRANGE", "d", "0", "-1"];
    "store_missing_arg": ["RPUSH", "l", "1"] ["SORT", "l", "STORE"];
    "store_wakes_blpop_shape": ["RPUSH", "l", "1", "2"] ["SORT", "l", "STORE", "d"] ["LPOP", "d"] ["LPOP", "d"] ["EXISTS", "d"];
    "store_big_list": ["RPUSH", "l", "9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "19", "18", "17", "16", "15", "14", "13", "12", "11", "10"] ["CONFIG", "SET", "list-max-listpack-size", "4"] ["SORT", "l", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["LINDEX", "d", "13"] ["CONFIG", "SET", "list-max-listpack-size", "-2"];

    // ---------------------------------------------------------------- SORT_RO
    "sort_ro_basic": ["RPUSH", "l", "3", "1", "2"] ["SORT_RO", "l"] ["SORT_RO", "l", "DESC", "LIMIT", "0", "2"] ["SORT_RO", "l", "ALPHA", "GET", "#"];
    "sort_ro_store_is_syntax_error": ["RPUSH", "l", "1"] ["SORT_RO", "l", "STORE", "d"] ["EXISTS", "d"];
    "sort_ro_by_get": ["RPUSH", "l", "a", "b"] ["MSET", "w_a", "2", "w_b", "1", "o_a", "A"] ["SORT_RO", "l", "BY", "w_*", "GET", "o_*", "GET", "#"];
    "sort_ro_wrongtype": ["SET", "k", "v"] ["SORT_RO", "k"] ["SORT_RO", "nokey"];

    // ---------------------------------------------------------------- errors
    "err_wrongtype": ["SET", "k", "v"] ["SORT", "k"] ["HSET", "h", "f", "v"] ["SORT", "h"] ["SORT", "k", "STORE", "d"] ["EXISTS", "d"];
    "err_syntax": ["RPUSH", "l", "1"] ["SORT", "l", "FOO"] ["SORT", "l", "BY"] ["SORT", "l", "GET"] ["SORT", "l", "ALPHA", "DESC", "x"];
    "err_order_syntax_before_wrongtype": ["SET", "k", "v"] ["SORT", "k", "FOO"] ["SORT", "k", "LIMIT", "a", "1"] ["SORT", "k", "LIMIT", "0", "1"];
    "err_order_first_option_wins": ["RPUSH", "l", "1"] ["SORT", "l", "LIMIT", "a", "1", "FOO"] ["SORT", "l", "FOO", "LIMIT", "a", "1"];
    "err_arity": ["SORT"] ["SORT_RO"];
    "missing_key_empty": ["SORT", "nokey"] ["SORT", "nokey", "BY", "nosort", "DESC"] ["SORT_RO", "nokey", "ALPHA"];
    "empty_string_element_alpha": ["RPUSH", "l", "", "a"] ["SORT", "l", "ALPHA"] ["SORT", "l"];

    // ---------------------------------------------------------------- MULTI / keyspace
    "multi_sort_store": ["RPUSH", "l", "2", "1"] ["MULTI"] ["SORT", "l", "STORE", "d"] ["LRANGE", "d", "0", "-1"] ["EXEC"];

    // ---------------------------------------------------------------- RESP3
    "resp3_sort": ["@ignore", "HELLO", "3"] ["RPUSH", "l", "2", "1"] ["SORT", "l"] ["SORT", "nokey"] ["SORT", "l", "GET", "nokey_*", "GET", "#"] ["SORT", "l", "STORE", "d"];
    "resp3_sort_ro_errors": ["@ignore", "HELLO", "3"] ["RPUSH", "l", "x"] ["SORT_RO", "l"] ["SORT_RO", "l", "STORE", "d"] ["SET", "k", "v"] ["SORT_RO", "k"];
};

#[test]
fn differential_sort() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}
