//! Differential cases for the set commands: every command, option and error
//! reply, WRONGTYPE, empty-key deletion, intset/hashtable conversions across
//! `set-max-intset-entries` (set small inside the case, reset at its end),
//! RESP3 reply shapes, and random commands only in shapes whose reply is
//! deterministic (counts, whole-set results, follow-up membership checks).
//!
//! Intset replies are ascending in Redis, so they are compared exactly;
//! hashtable replies are compared with `@sorted`. See `tests/differential.rs`
//! for the case syntax.

mod common;

const CASES: &[common::diff::Case] = common::diff::cases! {
    // ---------------------------------------------------------------- SADD / SMEMBERS
    "sadd_basic": ["SADD", "s", "a", "b", "c"] ["SADD", "s", "a", "d"] ["SCARD", "s"] ["@sorted", "SMEMBERS", "s"] ["TYPE", "s"];
    "sadd_duplicates_in_one_call": ["SADD", "s", "x", "x", "y", "x"] ["SCARD", "s"];
    "sadd_ints_sorted": ["SADD", "s", "5", "-3", "100", "0", "5"] ["SMEMBERS", "s"] ["OBJECT", "ENCODING", "s"];
    "sadd_binary_member": ["SADD", "s", "a\0b", "", "\r\n"] ["SISMEMBER", "s", "a\0b"] ["SISMEMBER", "s", ""] ["@sorted", "SMEMBERS", "s"];
    "sadd_wrongtype": ["SET", "k", "v"] ["SADD", "k", "a"] ["GET", "k"];
    "sadd_arity": ["SADD"] ["SADD", "s"];
    "smembers_missing": ["SMEMBERS", "nokey"];
    "smembers_wrongtype": ["SET", "k", "v"] ["SMEMBERS", "k"];
    "smembers_arity": ["SMEMBERS"] ["SMEMBERS", "a", "b"];
    "smembers_intset_extremes": ["SADD", "s", "9223372036854775807", "-9223372036854775808", "0", "32767", "-32768", "2147483647", "-2147483648"] ["SMEMBERS", "s"] ["OBJECT", "ENCODING", "s"];

    // ---------------------------------------------------------------- encodings
    "enc_intset_first_int": ["SADD", "s", "1"] ["OBJECT", "ENCODING", "s"];
    "enc_hashtable_first_string": ["SADD", "s", "a"] ["OBJECT", "ENCODING", "s"] ["SADD", "t", "a", "1"] ["OBJECT", "ENCODING", "t"];
    "enc_add_string_converts": ["SADD", "s", "1", "2", "3"] ["OBJECT", "ENCODING", "s"] ["SADD", "s", "abc"] ["OBJECT", "ENCODING", "s"] ["SREM", "s", "abc"] ["OBJECT", "ENCODING", "s"] ["SCARD", "s"];
    "enc_non_canonical_ints": ["SADD", "a", "01"] ["OBJECT", "ENCODING", "a"] ["SADD", "b", "+2"] ["OBJECT", "ENCODING", "b"] ["SADD", "c", "-0"] ["OBJECT", "ENCODING", "c"] ["SADD", "d", " 1"] ["OBJECT", "ENCODING", "d"] ["SADD", "e", "1.0"] ["OBJECT", "ENCODING", "e"];
    "enc_int_overflow_string": ["SADD", "s", "9223372036854775808"] ["OBJECT", "ENCODING", "s"] ["SADD", "t", "1", "-9223372036854775809"] ["OBJECT", "ENCODING", "t"];
    "enc_add_non_canonical_to_intset": ["SADD", "s", "1"] ["SADD", "s", "01"] ["OBJECT", "ENCODING", "s"] ["SCARD", "s"] ["SISMEMBER", "s", "1"] ["SISMEMBER", "s", "01"];
    "enc_threshold": ["CONFIG", "SET", "set-max-intset-entries", "3"] ["SADD", "s", "1", "2", "3"] ["OBJECT", "ENCODING", "s"] ["SADD", "s", "3"] ["OBJECT", "ENCODING", "s"] ["SADD", "s", "4"] ["OBJECT", "ENCODING", "s"] ["SREM", "s", "4", "3"] ["OBJECT", "ENCODING", "s"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "enc_threshold_in_one_sadd": ["CONFIG", "SET", "set-max-intset-entries", "4"] ["SADD", "s", "1", "2", "3", "4", "5"] ["OBJECT", "ENCODING", "s"] ["SADD", "t", "1", "2", "3", "4"] ["OBJECT", "ENCODING", "t"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "enc_threshold_zero": ["CONFIG", "SET", "set-max-intset-entries", "0"] ["SADD", "s", "1"] ["OBJECT", "ENCODING", "s"] ["SMEMBERS", "s"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "enc_width_upgrade": ["SADD", "s", "1", "2"] ["SADD", "s", "100000"] ["SADD", "s", "-5000000000"] ["SMEMBERS", "s"] ["OBJECT", "ENCODING", "s"] ["SREM", "s", "-5000000000", "100000"] ["SMEMBERS", "s"] ["SISMEMBER", "s", "2"];
    "enc_sunionstore_back_to_intset": ["SADD", "h", "a", "1", "2", "3"] ["SREM", "h", "a"] ["OBJECT", "ENCODING", "h"] ["SUNIONSTORE", "d", "h"] ["OBJECT", "ENCODING", "d"] ["SMEMBERS", "d"];
    "enc_sinterstore_intset": ["SADD", "h", "a", "1", "2", "3"] ["SADD", "i", "2", "3", "4"] ["SINTERSTORE", "d", "h", "i"] ["OBJECT", "ENCODING", "d"] ["SMEMBERS", "d"];
    "enc_sinterstore_strings": ["SADD", "a", "x", "y", "1"] ["SADD", "b", "x", "1", "z"] ["SINTERSTORE", "d", "a", "b"] ["OBJECT", "ENCODING", "d"] ["@sorted", "SMEMBERS", "d"];
    "enc_store_over_threshold": ["CONFIG", "SET", "set-max-intset-entries", "3"] ["SADD", "a", "1", "2"] ["SADD", "b", "3", "4"] ["SUNIONSTORE", "d", "a", "b"] ["OBJECT", "ENCODING", "d"] ["SUNIONSTORE", "e", "a"] ["OBJECT", "ENCODING", "e"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "enc_sdiffstore_algorithms": ["CONFIG", "SET", "set-max-intset-entries", "4"] ["SADD", "a", "1", "2", "3", "4", "5", "6"] ["SADD", "b", "1", "2", "3", "4"] ["SDIFFSTORE", "d", "a", "b"] ["OBJECT", "ENCODING", "d"] ["SMEMBERS", "d"] ["SADD", "c", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"] ["SDIFFSTORE", "e", "a", "c"] ["EXISTS", "e"] ["SDIFFSTORE", "f", "a", "nokey"] ["OBJECT", "ENCODING", "f"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "enc_sdiffstore_algo2_converts": ["SADD", "a", "x", "1", "2", "3", "4", "5", "6", "7", "8", "9"] ["SADD", "b", "x"] ["SDIFFSTORE", "d", "a", "b"] ["OBJECT", "ENCODING", "d"] ["SMEMBERS", "d"] ["SADD", "c", "x", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"] ["SDIFFSTORE", "e", "a", "c"] ["EXISTS", "e"];
    "enc_smove_creates_by_member": ["SADD", "src", "a", "1"] ["SMOVE", "src", "d1", "1"] ["OBJECT", "ENCODING", "d1"] ["SMOVE", "src", "d2", "a"] ["OBJECT", "ENCODING", "d2"] ["EXISTS", "src"];
    "enc_smove_into_intset_converts": ["SADD", "src", "a"] ["SADD", "dst", "1", "2"] ["SMOVE", "src", "dst", "a"] ["OBJECT", "ENCODING", "dst"] ["@sorted", "SMEMBERS", "dst"];
    "enc_spop_rebuild_intset": ["SADD", "h", "a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] ["SREM", "h", "a"] ["OBJECT", "ENCODING", "h"] ["@ignore", "SPOP", "h", "9"] ["OBJECT", "ENCODING", "h"] ["SCARD", "h"];
    "enc_spop_small_count_keeps_hashtable": ["SADD", "h", "a", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] ["SREM", "h", "a"] ["@ignore", "SPOP", "h", "1"] ["OBJECT", "ENCODING", "h"] ["SCARD", "h"];

    // ---------------------------------------------------------------- SREM
    "srem_basic": ["SADD", "s", "a", "b", "c"] ["SREM", "s", "a", "x"] ["@sorted", "SMEMBERS", "s"] ["SREM", "s", "x"];
    "srem_last_deletes_key": ["SADD", "s", "a", "b"] ["SREM", "s", "a", "b", "c"] ["EXISTS", "s"] ["TYPE", "s"];
    "srem_intset": ["SADD", "s", "1", "2", "3"] ["SREM", "s", "2", "02", "abc", "99999999999999999999"] ["SMEMBERS", "s"] ["SREM", "s", "1", "3"] ["EXISTS", "s"];
    "srem_missing": ["SREM", "nokey", "a"];
    "srem_wrongtype": ["SET", "k", "v"] ["SREM", "k", "a"];
    "srem_arity": ["SREM", "s"];
    "srem_repeated_member": ["SADD", "s", "a", "b"] ["SREM", "s", "a", "a", "a"] ["SCARD", "s"];

    // ---------------------------------------------------------------- SISMEMBER / SMISMEMBER / SCARD
    "sismember_basic": ["SADD", "s", "a", "1"] ["SISMEMBER", "s", "a"] ["SISMEMBER", "s", "1"] ["SISMEMBER", "s", "b"] ["SISMEMBER", "nokey", "a"];
    "sismember_intset_forms": ["SADD", "s", "1", "-1"] ["SISMEMBER", "s", "1"] ["SISMEMBER", "s", "01"] ["SISMEMBER", "s", "-1"] ["SISMEMBER", "s", "+1"] ["SISMEMBER", "s", "1.0"] ["SISMEMBER", "s", "9223372036854775808"];
    "sismember_wrongtype": ["SET", "k", "v"] ["SISMEMBER", "k", "a"];
    "sismember_arity": ["SISMEMBER", "s"] ["SISMEMBER", "s", "a", "b"];
    "smismember_basic": ["SADD", "s", "a", "b"] ["SMISMEMBER", "s", "a", "x", "b", "a"] ["SMISMEMBER", "nokey", "a", "b"];
    "smismember_intset": ["SADD", "s", "1", "2"] ["SMISMEMBER", "s", "1", "3", "2", "x"];
    "smismember_wrongtype": ["SET", "k", "v"] ["SMISMEMBER", "k", "a"];
    "smismember_arity": ["SMISMEMBER", "s"];
    "scard_basic": ["SADD", "s", "a", "b", "1"] ["SCARD", "s"] ["SCARD", "nokey"];
    "scard_wrongtype": ["SET", "k", "v"] ["SCARD", "k"];
    "scard_arity": ["SCARD"] ["SCARD", "a", "b"];

    // ---------------------------------------------------------------- SPOP
    "spop_single_deletes": ["SADD", "s", "only"] ["SPOP", "s"] ["EXISTS", "s"] ["SPOP", "s"];
    "spop_single_intset": ["SADD", "s", "42"] ["SPOP", "s"] ["EXISTS", "s"];
    "spop_reduces_card": ["SADD", "s", "a", "b", "c"] ["@ignore", "SPOP", "s"] ["SCARD", "s"] ["@ignore", "SPOP", "s"] ["SCARD", "s"];
    "spop_missing": ["SPOP", "nokey"] ["SPOP", "nokey", "3"] ["SPOP", "nokey", "0"];
    "spop_wrongtype": ["SET", "k", "v"] ["SPOP", "k"] ["SPOP", "k", "1"];
    "spop_count_zero": ["SADD", "s", "a"] ["SPOP", "s", "0"] ["SCARD", "s"];
    "spop_count_errors": ["SADD", "s", "a"] ["SPOP", "s", "-1"] ["SPOP", "s", "abc"] ["SPOP", "s", "1.5"] ["SPOP", "s", "-0"] ["SPOP", "s", ""] ["SPOP", "s", "99999999999999999999"] ["SPOP", "s", "-9223372036854775808"] ["SCARD", "s"];
    "spop_count_error_before_type": ["SET", "k", "v"] ["SPOP", "k", "abc"] ["SPOP", "nokey", "-1"];
    "spop_syntax": ["SADD", "s", "a"] ["SPOP", "s", "1", "2"] ["SPOP", "nokey", "1", "2"] ["SPOP"];
    "spop_count_whole_intset": ["SADD", "s", "3", "1", "2"] ["SPOP", "s", "3"] ["EXISTS", "s"];
    "spop_count_more_than_size": ["SADD", "s", "3", "1", "2"] ["SPOP", "s", "100"] ["EXISTS", "s"];
    "spop_count_huge": ["SADD", "s", "a", "b"] ["@sorted", "SPOP", "s", "9223372036854775807"] ["EXISTS", "s"];
    "spop_count_whole_hashtable": ["SADD", "s", "a", "b", "c", "1"] ["@sorted", "SPOP", "s", "4"] ["EXISTS", "s"];
    "spop_count_hashtable_of_ints_sorted": ["SADD", "h", "a", "3", "1", "2"] ["SREM", "h", "a"] ["SPOP", "h", "10"];
    "spop_count_partial_small": ["SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] ["@ignore", "SPOP", "s", "2"] ["SCARD", "s"] ["OBJECT", "ENCODING", "s"];
    "spop_count_partial_large": ["SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] ["@ignore", "SPOP", "s", "9"] ["SCARD", "s"] ["OBJECT", "ENCODING", "s"];
    "spop_keeps_ttl": ["SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] ["EXPIRE", "s", "1000"] ["@ignore", "SPOP", "s", "9"] ["TTL", "s"] ["@ignore", "SPOP", "s"] ["TTL", "s"];
    "spop_arity": ["SPOP"];

    // ---------------------------------------------------------------- SRANDMEMBER
    "srandmember_single": ["SADD", "s", "only"] ["SRANDMEMBER", "s"] ["SCARD", "s"] ["SRANDMEMBER", "nokey"];
    "srandmember_single_int": ["SADD", "s", "7"] ["SRANDMEMBER", "s"];
    "srandmember_count_whole_intset": ["SADD", "s", "3", "1", "2"] ["SRANDMEMBER", "s", "3"] ["SRANDMEMBER", "s", "100"] ["SRANDMEMBER", "s", "9223372036854775807"];
    "srandmember_count_whole_hashtable": ["SADD", "s", "a", "b", "c"] ["@sorted", "SRANDMEMBER", "s", "3"] ["@sorted", "SRANDMEMBER", "s", "10"];
    "srandmember_count_zero": ["SADD", "s", "a"] ["SRANDMEMBER", "s", "0"] ["SRANDMEMBER", "nokey", "0"];
    "srandmember_missing_counts": ["SRANDMEMBER", "nokey", "5"] ["SRANDMEMBER", "nokey", "-5"];
    "srandmember_negative_single_member": ["SADD", "s", "x"] ["SRANDMEMBER", "s", "-4"] ["SADD", "i", "5"] ["SRANDMEMBER", "i", "-3"];
    "srandmember_count_errors": ["SADD", "s", "a"] ["SRANDMEMBER", "s", "abc"] ["SRANDMEMBER", "s", "-0"] ["SRANDMEMBER", "s", "1.5"] ["SRANDMEMBER", "s", ""] ["SRANDMEMBER", "s", "-9223372036854775808"] ["SRANDMEMBER", "nokey", "-9223372036854775808"];
    "srandmember_error_order": ["SET", "k", "v"] ["SRANDMEMBER", "k", "abc"] ["SRANDMEMBER", "k", "1"] ["SRANDMEMBER", "k"];
    "srandmember_syntax": ["SADD", "s", "a"] ["SRANDMEMBER", "s", "1", "2"] ["SRANDMEMBER"];
    "srandmember_does_not_remove": ["SADD", "s", "a", "b"] ["@ignore", "SRANDMEMBER", "s", "-5"] ["SCARD", "s"];

    // ---------------------------------------------------------------- SMOVE
    "smove_basic": ["SADD", "a", "x", "y"] ["SADD", "b", "z"] ["SMOVE", "a", "b", "x"] ["@sorted", "SMEMBERS", "a"] ["@sorted", "SMEMBERS", "b"];
    "smove_not_member": ["SADD", "a", "x"] ["SADD", "b", "z"] ["SMOVE", "a", "b", "q"] ["SCARD", "b"];
    "smove_already_in_dst": ["SADD", "a", "x", "y"] ["SADD", "b", "x"] ["SMOVE", "a", "b", "x"] ["SCARD", "a"] ["SCARD", "b"];
    "smove_empties_src": ["SADD", "a", "x"] ["SMOVE", "a", "b", "x"] ["EXISTS", "a"] ["SMEMBERS", "b"];
    "smove_same_key": ["SADD", "a", "x"] ["SMOVE", "a", "a", "x"] ["SMOVE", "a", "a", "y"] ["SMEMBERS", "a"];
    "smove_missing_src": ["SMOVE", "nokey", "b", "x"] ["SET", "str", "v"] ["SMOVE", "nokey", "str", "x"] ["EXISTS", "b"];
    "smove_wrongtype": ["SET", "str", "v"] ["SADD", "s", "a"] ["SMOVE", "str", "s", "a"] ["SMOVE", "s", "str", "a"] ["SMOVE", "s", "str", "zz"] ["SMEMBERS", "s"];
    "smove_intsets": ["SADD", "a", "1", "2", "3"] ["SADD", "b", "10"] ["SMOVE", "a", "b", "2"] ["SMEMBERS", "a"] ["SMEMBERS", "b"] ["OBJECT", "ENCODING", "b"];
    "smove_arity": ["SMOVE", "a", "b"] ["SMOVE", "a", "b", "c", "d"];

    // ---------------------------------------------------------------- SINTER / SINTERCARD / SINTERSTORE
    "sinter_basic": ["SADD", "a", "x", "y", "z"] ["SADD", "b", "y", "z", "w"] ["@sorted", "SINTER", "a", "b"] ["@sorted", "SINTER", "a"];
    "sinter_intsets_sorted": ["SADD", "a", "5", "1", "3", "7"] ["SADD", "b", "7", "3", "9", "1", "11"] ["SINTER", "a", "b"] ["SINTER", "b", "a"];
    "sinter_mixed": ["SADD", "a", "1", "2", "3"] ["SADD", "b", "x", "1", "3", "y"] ["SINTER", "a", "b"] ["SINTER", "b", "a"];
    "sinter_missing": ["SADD", "a", "x"] ["SINTER", "a", "nokey"] ["SINTER", "nokey"];
    "sinter_wrongtype": ["SET", "str", "v"] ["SADD", "a", "x"] ["SINTER", "a", "str"] ["SINTER", "nokey", "str"] ["SINTER", "str", "nokey"];
    "sinter_same_key": ["SADD", "a", "1", "2"] ["SINTER", "a", "a", "a"];
    "sinter_empty_result": ["SADD", "a", "1"] ["SADD", "b", "2"] ["SINTER", "a", "b"];
    "sinter_arity": ["SINTER"];
    "sintercard_basic": ["SADD", "a", "x", "y", "z"] ["SADD", "b", "y", "z", "w"] ["SINTERCARD", "2", "a", "b"] ["SINTERCARD", "1", "a"] ["SINTERCARD", "2", "a", "nokey"];
    "sintercard_limit": ["SADD", "a", "1", "2", "3", "4"] ["SADD", "b", "1", "2", "3", "4", "5"] ["SINTERCARD", "2", "a", "b", "LIMIT", "2"] ["SINTERCARD", "2", "a", "b", "limit", "0"] ["SINTERCARD", "2", "a", "b", "LIMIT", "100"] ["SINTERCARD", "2", "a", "b", "LIMIT", "9223372036854775807"] ["SINTERCARD", "1", "a", "LIMIT", "2", "LIMIT", "3"];
    "sintercard_numkeys_errors": ["SADD", "a", "x"] ["SINTERCARD", "0", "a"] ["SINTERCARD", "-1", "a"] ["SINTERCARD", "abc", "a"] ["SINTERCARD", "99999999999999999999", "a"] ["SINTERCARD", "2", "a"] ["SINTERCARD", "2147483648", "a"] ["SINTERCARD", "9223372036854775807", "a"];
    "sintercard_limit_errors": ["SADD", "a", "x"] ["SINTERCARD", "1", "a", "LIMIT"] ["SINTERCARD", "1", "a", "LIMIT", "-1"] ["SINTERCARD", "1", "a", "LIMIT", "abc"] ["SINTERCARD", "1", "a", "FOO", "1"] ["SINTERCARD", "1", "a", "a"];
    "sintercard_error_order": ["SET", "str", "v"] ["SINTERCARD", "1", "str", "LIMIT", "-1"] ["SINTERCARD", "1", "str"] ["SINTERCARD", "2", "nokey", "str"];
    "sintercard_arity": ["SINTERCARD"] ["SINTERCARD", "1"];
    "sinterstore_basic": ["SADD", "a", "x", "y", "z"] ["SADD", "b", "y", "z", "w"] ["SINTERSTORE", "d", "a", "b"] ["@sorted", "SMEMBERS", "d"] ["OBJECT", "ENCODING", "d"];
    "sinterstore_overwrites_other_type": ["SET", "d", "v"] ["EXPIRE", "d", "100"] ["SADD", "a", "1", "2"] ["SINTERSTORE", "d", "a", "a"] ["TYPE", "d"] ["TTL", "d"] ["SMEMBERS", "d"];
    "sinterstore_empty_deletes": ["SET", "d", "v"] ["SADD", "a", "1"] ["SADD", "b", "2"] ["SINTERSTORE", "d", "a", "b"] ["EXISTS", "d"] ["SET", "d", "v"] ["SINTERSTORE", "d", "a", "nokey"] ["EXISTS", "d"] ["SINTERSTORE", "d", "a", "nokey"];
    "sinterstore_dst_is_source": ["SADD", "a", "1", "2", "3"] ["SADD", "b", "2", "3", "4"] ["SINTERSTORE", "a", "a", "b"] ["SMEMBERS", "a"];
    "sinterstore_wrongtype": ["SET", "str", "v"] ["SADD", "a", "x"] ["SINTERSTORE", "d", "a", "str"] ["SINTERSTORE", "d", "nokey", "str"] ["EXISTS", "d"] ["SINTERSTORE", "str", "a"] ["TYPE", "str"];
    "sinterstore_arity": ["SINTERSTORE", "d"];

    // ---------------------------------------------------------------- SUNION / SUNIONSTORE
    "sunion_basic": ["SADD", "a", "x", "y"] ["SADD", "b", "y", "z"] ["@sorted", "SUNION", "a", "b"] ["@sorted", "SUNION", "a", "nokey", "b"];
    "sunion_intsets_sorted": ["SADD", "a", "5", "1"] ["SADD", "b", "3", "-2", "5"] ["SUNION", "a", "b"] ["SUNION", "b", "nokey", "a"];
    "sunion_hashtable_ints_sorted": ["SADD", "h", "x", "9", "4"] ["SREM", "h", "x"] ["SUNION", "h"];
    "sunion_missing": ["SUNION", "nokey"] ["SUNION", "nokey", "nokey2"];
    "sunion_over_threshold": ["CONFIG", "SET", "set-max-intset-entries", "2"] ["SADD", "a", "1", "2"] ["SADD", "b", "3"] ["@sorted", "SUNION", "a", "b"] ["CONFIG", "SET", "set-max-intset-entries", "512"];
    "sunion_wrongtype": ["SET", "str", "v"] ["SADD", "a", "x"] ["SUNION", "a", "str"] ["SUNION", "nokey", "str"];
    "sunion_arity": ["SUNION"];
    "sunionstore_basic": ["SADD", "a", "x", "y"] ["SADD", "b", "1", "2"] ["SUNIONSTORE", "d", "a", "b"] ["@sorted", "SMEMBERS", "d"] ["OBJECT", "ENCODING", "d"];
    "sunionstore_ints": ["SADD", "a", "3", "1"] ["SADD", "b", "2"] ["SUNIONSTORE", "d", "a", "b"] ["SMEMBERS", "d"] ["OBJECT", "ENCODING", "d"];
    "sunionstore_empty_deletes": ["SET", "d", "v"] ["SUNIONSTORE", "d", "nokey"] ["EXISTS", "d"] ["SUNIONSTORE", "d", "nokey"];
    "sunionstore_overwrites": ["SET", "d", "x"] ["SADD", "a", "q"] ["SUNIONSTORE", "d", "a"] ["TYPE", "d"] ["SMEMBERS", "d"];
    "sunionstore_dst_is_source": ["SADD", "a", "1"] ["SADD", "b", "2"] ["SUNIONSTORE", "a", "a", "b"] ["SMEMBERS", "a"];
    "sunionstore_wrongtype": ["SET", "str", "v"] ["SUNIONSTORE", "d", "str"] ["SUNIONSTORE", "d", "nokey", "str"] ["SADD", "a", "1"] ["SUNIONSTORE", "str", "a"] ["TYPE", "str"];
    "sunionstore_arity": ["SUNIONSTORE", "d"];

    // ---------------------------------------------------------------- SDIFF / SDIFFSTORE
    "sdiff_basic": ["SADD", "a", "x", "y", "z"] ["SADD", "b", "y"] ["SADD", "c", "z", "w"] ["@sorted", "SDIFF", "a", "b", "c"] ["@sorted", "SDIFF", "a"] ["SDIFF", "b", "a"];
    "sdiff_intsets_sorted": ["SADD", "a", "9", "1", "5", "3"] ["SADD", "b", "5"] ["SDIFF", "a", "b"] ["SDIFF", "a", "nokey"];
    "sdiff_missing_first": ["SADD", "b", "1"] ["SDIFF", "nokey", "b"] ["SDIFF", "nokey"];
    "sdiff_same_key": ["SADD", "a", "1", "2"] ["SDIFF", "a", "a"] ["SDIFF", "a", "nokey", "a"];
    "sdiff_big_other": ["SADD", "a", "1", "2", "3"] ["SADD", "b", "2", "4", "5", "6", "7", "8", "9", "10", "11"] ["SDIFF", "a", "b"] ["SDIFF", "b", "a"];
    "sdiff_mixed": ["SADD", "a", "x", "1", "2"] ["SADD", "b", "x"] ["SDIFF", "a", "b"] ["SADD", "c", "1"] ["@sorted", "SDIFF", "a", "c"];
    "sdiff_wrongtype": ["SET", "str", "v"] ["SADD", "a", "x"] ["SDIFF", "a", "str"] ["SDIFF", "str", "a"] ["SDIFF", "nokey", "str"];
    "sdiff_arity": ["SDIFF"];
    "sdiffstore_basic": ["SADD", "a", "x", "y", "z"] ["SADD", "b", "y"] ["SDIFFSTORE", "d", "a", "b"] ["@sorted", "SMEMBERS", "d"] ["OBJECT", "ENCODING", "d"];
    "sdiffstore_empty_deletes": ["SET", "d", "v"] ["SADD", "a", "1"] ["SDIFFSTORE", "d", "a", "a"] ["EXISTS", "d"] ["SET", "d", "v"] ["SDIFFSTORE", "d", "nokey", "a"] ["EXISTS", "d"];
    "sdiffstore_dst_is_source": ["SADD", "a", "1", "2", "3"] ["SADD", "b", "2"] ["SDIFFSTORE", "a", "a", "b"] ["SMEMBERS", "a"];
    "sdiffstore_overwrites_ttl": ["SET", "d", "v", "EX", "100"] ["SADD", "a", "1", "2"] ["SDIFFSTORE", "d", "a", "nokey"] ["TTL", "d"] ["SMEMBERS", "d"];
    "sdiffstore_wrongtype": ["SET", "str", "v"] ["SDIFFSTORE", "d", "str"] ["SADD", "a", "1"] ["SDIFFSTORE", "str", "a"] ["TYPE", "str"];
    "sdiffstore_arity": ["SDIFFSTORE", "d"];

    // ---------------------------------------------------------------- SSCAN
    "sscan_intset_whole": ["SADD", "s", "3", "1", "2"] ["SSCAN", "s", "0"] ["SSCAN", "s", "0", "COUNT", "1"] ["SSCAN", "s", "12345"];
    "sscan_intset_match": ["SADD", "s", "1", "10", "2", "11", "100"] ["SSCAN", "s", "0", "MATCH", "1*"] ["SSCAN", "s", "0", "MATCH", "*"] ["SSCAN", "s", "0", "MATCH", "x"];
    "sscan_hashtable_match_one": ["SADD", "s", "apple", "banana", "cherry", "date"] ["SSCAN", "s", "0", "MATCH", "ban*", "COUNT", "100"] ["SSCAN", "s", "0", "match", "*rr*", "count", "100"];
    "sscan_hashtable_single": ["SADD", "s", "only"] ["SSCAN", "s", "0"];
    "sscan_missing": ["SSCAN", "nokey", "0"] ["SSCAN", "nokey", "0", "COUNT", "0"] ["SSCAN", "nokey", "0", "FOO"];
    "sscan_cursor_errors": ["SADD", "s", "1"] ["SSCAN", "s", "abc"] ["SSCAN", "s", "-1"] ["SSCAN", "s", ""] ["SSCAN", "nokey", "abc"] ["SET", "k", "v"] ["SSCAN", "k", "abc"];
    "sscan_option_errors": ["SADD", "s", "a"] ["SSCAN", "s", "0", "COUNT", "0"] ["SSCAN", "s", "0", "COUNT", "-1"] ["SSCAN", "s", "0", "COUNT", "abc"] ["SSCAN", "s", "0", "MATCH"] ["SSCAN", "s", "0", "FOO", "bar"] ["SSCAN", "s", "0", "TYPE", "string"];
    "sscan_wrongtype": ["SET", "k", "v"] ["SSCAN", "k", "0"] ["SSCAN", "k", "0", "COUNT", "0"];
    "sscan_arity": ["SSCAN", "s"];

    // ---------------------------------------------------------------- RESP3
    "resp3_smembers": ["@ignore", "HELLO", "3"] ["SADD", "s", "3", "1", "2"] ["SMEMBERS", "s"] ["SMEMBERS", "nokey"] ["SADD", "h", "a", "b"] ["@sorted", "SMEMBERS", "h"];
    "resp3_setops": ["@ignore", "HELLO", "3"] ["SADD", "a", "1", "2"] ["SADD", "b", "2", "3"] ["SINTER", "a", "b"] ["SUNION", "a", "b"] ["SDIFF", "a", "b"] ["SINTER", "a", "nokey"] ["SUNION", "nokey"] ["SDIFF", "nokey"] ["SINTERCARD", "2", "a", "b"];
    "resp3_spop": ["@ignore", "HELLO", "3"] ["SADD", "s", "3", "1", "2"] ["SPOP", "nokey"] ["SPOP", "nokey", "2"] ["SPOP", "s", "0"] ["SPOP", "s", "5"] ["SADD", "t", "x"] ["SPOP", "t"];
    "resp3_srandmember": ["@ignore", "HELLO", "3"] ["SADD", "s", "3", "1", "2"] ["SRANDMEMBER", "s", "5"] ["SRANDMEMBER", "s", "0"] ["SRANDMEMBER", "nokey", "3"] ["SRANDMEMBER", "nokey", "-3"] ["SRANDMEMBER", "nokey"] ["SADD", "o", "z"] ["SRANDMEMBER", "o", "-2"];
    "resp3_smismember_sscan": ["@ignore", "HELLO", "3"] ["SADD", "s", "1", "2"] ["SMISMEMBER", "s", "1", "9"] ["SISMEMBER", "s", "1"] ["SSCAN", "s", "0"] ["SSCAN", "nokey", "0"];

    // ---------------------------------------------------------------- misc
    "expired_set_is_missing": ["SADD", "s", "a"] ["PEXPIREAT", "s", "1"] ["SCARD", "s"] ["SADD", "s", "1"] ["OBJECT", "ENCODING", "s"] ["TTL", "s"];
    "dirty_counts": ["CONFIG", "RESETSTAT"] ["SADD", "s", "a", "b", "c"] ["SREM", "s", "a"] ["SADD", "s", "b"] ["SMOVE", "s", "t", "b"] ["SUNIONSTORE", "u", "s", "t"] ["EXISTS", "u"];
};

/// Shapes of random replies the differential cases cannot compare: reply
/// lengths, distinctness and membership for every SPOP/SRANDMEMBER
/// strategy, and a full SSCAN of a big hashtable. Runs against the server
/// under test only (FERRODIS_TEST_SERVER=/usr/bin/redis-server checks the
/// expectations against Redis).
#[test]
fn random_replies_shape() {
    use common::{server_binary, Reply, Server};
    use std::collections::BTreeSet;

    fn strings(r: &Reply) -> Vec<String> {
        let items: &[Reply] = match r {
            Reply::Array(Some(v)) | Reply::Set(v) => v,
            other => panic!("not an array: {other:?}"),
        };
        items
            .iter()
            .map(|x| x.as_str().expect("bulk member").to_string())
            .collect()
    }

    let server = Server::start(server_binary(), common::diff::SERVER_ARGS);
    let mut c = server.client();
    for resp in ["2", "3"] {
        c.cmd(&["HELLO", resp]);
        for (key, ints) in [("si", true), ("sh", false)] {
            let members: Vec<String> = (0..40)
                .map(|i| if ints { i.to_string() } else { format!("m{i}") })
                .collect();
            let all: BTreeSet<String> = members.iter().cloned().collect();
            let mut argv = vec!["SADD", key];
            argv.extend(members.iter().map(String::as_str));
            c.cmd(&["DEL", key]);
            assert_eq!(c.cmd(&argv).as_int(), Some(40));
            // SRANDMEMBER: few (draws), many (copy and drop), negative.
            for count in [1, 5, 13, 14, 30, 39] {
                let got = strings(&c.cmd(&["SRANDMEMBER", key, &count.to_string()]));
                assert_eq!(got.len(), count, "SRANDMEMBER {key} {count}");
                let uniq: BTreeSet<String> = got.iter().cloned().collect();
                assert_eq!(uniq.len(), count, "distinct SRANDMEMBER {key} {count}");
                assert!(uniq.is_subset(&all));
            }
            let got = strings(&c.cmd(&["SRANDMEMBER", key, "-100"]));
            assert_eq!(got.len(), 100);
            assert!(got.iter().all(|m| all.contains(m)));
            // SPOP: single extractions (small count), then rebuild (big).
            let mut left = all.clone();
            for count in [3, 30] {
                let got = strings(&c.cmd(&["SPOP", key, &count.to_string()]));
                assert_eq!(got.len(), count, "SPOP {key} {count}");
                for m in &got {
                    assert!(
                        left.remove(m),
                        "SPOP {key} returned {m} twice or a stranger"
                    );
                }
                assert_eq!(c.cmd(&["SCARD", key]).as_int(), Some(left.len() as i64));
            }
            let rest: BTreeSet<String> = strings(&c.cmd(&["SMEMBERS", key])).into_iter().collect();
            assert_eq!(rest, left);
            let enc = c.cmd(&["OBJECT", "ENCODING", key]);
            assert_eq!(
                enc.as_str(),
                Some(if ints { "intset" } else { "hashtable" })
            );
        }
    }
    // The default threshold: 512 integers stay an intset, the 513th
    // converts; a store of 512 integers is an intset again.
    let ints: Vec<String> = (0..513).map(|i| (i * 7 - 1000).to_string()).collect();
    let mut argv = vec!["SADD", "t"];
    argv.extend(ints[..512].iter().map(String::as_str));
    assert_eq!(c.cmd(&argv).as_int(), Some(512));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "t"]).as_str(), Some("intset"));
    assert_eq!(c.cmd(&["SADD", "t", &ints[512]]).as_int(), Some(1));
    assert_eq!(
        c.cmd(&["OBJECT", "ENCODING", "t"]).as_str(),
        Some("hashtable")
    );
    assert_eq!(c.cmd(&["SREM", "t", &ints[0]]).as_int(), Some(1));
    assert_eq!(
        c.cmd(&["OBJECT", "ENCODING", "t"]).as_str(),
        Some("hashtable")
    );
    assert_eq!(c.cmd(&["SINTERSTORE", "u", "t", "t"]).as_int(), Some(512));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "u"]).as_str(), Some("intset"));
    assert_eq!(c.cmd(&["SUNIONSTORE", "v", "u", "t"]).as_int(), Some(512));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "v"]).as_str(), Some("intset"));
    let sorted = strings(&c.cmd(&["SMEMBERS", "u"]));
    assert_eq!(sorted, ints[1..].to_vec());

    // A full SSCAN of a big hashtable returns every member.
    c.cmd(&["HELLO", "2"]);
    let members: Vec<String> = (0..2000).map(|i| format!("x{i}")).collect();
    let mut argv = vec!["SADD", "big"];
    argv.extend(members.iter().map(String::as_str));
    c.cmd(&argv);
    let mut seen = BTreeSet::new();
    let mut cursor = "0".to_string();
    loop {
        let r = c.cmd(&["SSCAN", "big", &cursor, "COUNT", "50"]);
        let parts = r.as_array().expect("scan reply");
        cursor = parts[0].as_str().expect("cursor").to_string();
        seen.extend(strings(&parts[1]));
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen.len(), 2000);
}

#[test]
fn differential_set() {
    common::diff::run_suite(CASES, common::diff::SERVER_ARGS);
}
