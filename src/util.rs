//! Number parsing/formatting with Redis's exact rules, glob matching, clocks.
//! (stub: being written)

/// Redis `stringmatchlen`: glob-style matching of `string` against `pattern`.
pub fn string_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let _ = nocase;
    pattern == b"*" || pattern == string
}
