//! SORT and SORT_RO (Redis's sort.c).
//!
//! SORT reads a list, set or sorted set, orders its elements (numerically
//! by default, by bytes with ALPHA, or by weights fetched through a BY
//! pattern), cuts a LIMIT window, optionally replaces every element by
//! values fetched through GET patterns, and replies with the result or
//! stores it as a list (STORE). SORT_RO is SORT without STORE.
//!
//! What we copy from Redis 7.0, because clients can see it:
//! - Options are parsed first, left to right; the first bad one answers
//!   (`syntax error`, or the LIMIT integer error), before WRONGTYPE.
//! - A BY pattern without `*` means "do not sort" and sticks even if a later
//!   BY has a `*`. Lists and sorted sets then keep their own order (reversed
//!   by DESC) and LIMIT cuts that order; sets keep their iteration order,
//!   except with STORE, where Redis forces an ALPHA sort so that the stored
//!   result does not depend on the hash table's layout.
//! - Numeric weights are read with C's `strtod` on a C string: leading white
//!   space is skipped, bytes after a NUL are ignored, an empty string is 0,
//!   and trailing garbage, NaN or an out-of-range value (ERANGE, which glibc
//!   also raises for inexact subnormals) fail the whole command with
//!   "One or more scores can't be converted into double" (after sorting,
//!   so nothing is stored).
//! - Equal numeric weights fall back to comparing the elements' bytes, so the
//!   order is total. ALPHA compares with `strcoll` in the reply case (in the
//!   C locale: `strcmp`, which stops at a NUL) and with a binary compare when
//!   storing. Redis sorts with glibc's `qsort`, a stable merge sort; ties
//!   that remain (equal ALPHA weights from BY) keep the source order, and so
//!   does our stable sort.
//! - A missing BY weight counts as 0 (numeric) or sorts first (ALPHA); a
//!   missing GET value replies nil, or stores an empty string.
//! - Sorting a sorted set converts a listpack one to a skiplist for good
//!   (Redis does it in place before reading), visible in OBJECT ENCODING.
//!
//! Every key read through a pattern goes through `lookup_read`, so lazy
//! expiry and keyspace hit/miss statistics behave as in Redis.
//!
//! Not copied: the cluster-mode and ACL refusals of BY/GET (no cluster or
//! key ACLs here yet), and the forced sort of a set in "do not sort" mode
//! from scripts (no scripting yet): when those arrive, they belong in
//! [`parse_options`] and [`sort_generic`].

use std::cmp::Ordering;

use super::{arg_i64, is, CmdError, CmdResult, Ctx};
use crate::db::list::List;
use crate::db::Value;
use crate::resp::errors;
use crate::server::{notify, Server};
use crate::util::parse_f64;

const SCORE_NOT_DOUBLE: &str = "ERR One or more scores can't be converted into double";

/// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
/// [ALPHA] [STORE destination]
pub fn sort(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sort_generic(ctx, argv, false)
}

/// SORT_RO: SORT without STORE (STORE is a syntax error).
pub fn sort_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    sort_generic(ctx, argv, true)
}

/// The parsed options of one SORT call.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    /// LIMIT offset and count as given (clamped later against the length).
    limit_start: i64,
    limit_count: i64,
    /// The last BY pattern, if any.
    by: Option<&'a [u8]>,
    /// Some BY pattern had no `*`: keep the source order.
    dontsort: bool,
    /// GET patterns, in order.
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

/// Parses the options after the key, as Redis does: left to right, the
/// first unknown word (or an option missing its arguments) is a syntax
/// error, and LIMIT's numbers are checked as they come.
fn parse_options<'a>(argv: &[&'a [u8]], readonly: bool) -> Result<Options<'a>, CmdError> {
    let mut o = Options {
        desc: false,
        alpha: false,
        limit_start: 0,
        limit_count: -1,
        by: None,
        dontsort: false,
        gets: Vec::new(),
        store: None,
    };
    let mut j = 2;
    while j < argv.len() {
        let left = argv.len() - j - 1;
        let a = argv[j];
        if is(a, "asc") {
            o.desc = false;
        } else if is(a, "desc") {
            o.desc = true;
        } else if is(a, "alpha") {
            o.alpha = true;
        } else if is(a, "limit") && left >= 2 {
            o.limit_start = arg_i64(argv[j + 1])?;
            o.limit_count = arg_i64(argv[j + 2])?;
            j += 2;
        } else if !readonly && is(a, "store") && left >= 1 {
            o.store = Some(argv[j + 1]);
            j += 1;
        } else if is(a, "by") && left >= 1 {
            let pat = argv[j + 1];
            o.by = Some(pat);
            // Redis looks for the `*` with strchr, so a NUL hides it.
            if !c_str(pat).contains(&b'*') {
                o.dontsort = true;
            }
            j += 1;
        } else if is(a, "get") && left >= 1 {
            o.gets.push(argv[j + 1]);
            j += 1;
        } else {
            return Err(errors::SYNTAX.into());
        }
        j += 1;
    }
    Ok(o)
}

/// What an element is compared by.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Numeric weights; ties compare the elements' bytes.
    Numeric,
    /// ALPHA on the elements themselves.
    AlphaSelf,
    /// ALPHA on weights fetched by BY (a missing weight sorts first).
    AlphaBy,
}

/// One element to sort and its weight.
struct Item {
    elem: Vec<u8>,
    score: f64,
    cmp: Option<Vec<u8>>,
}

/// The body of SORT and SORT_RO.
///
/// Replies with the (windowed, GET-mapped) elements, or with their count
/// after storing them at the STORE key as a list (deleting it if empty),
/// which fires `sortstore` (or `del`) and marks the dataset dirty.
fn sort_generic(ctx: &mut Ctx, argv: &[&[u8]], readonly: bool) -> CmdResult {
    let o = parse_options(argv, readonly)?;
    let db = ctx.c.db;
    let now = ctx.now_ms;
    let key = argv[1];
    let mut dontsort = o.dontsort;
    let mut alpha = o.alpha;
    let mut by = o.by;

    // Find the source's type and length first; the elements are copied out
    // below because the patterns need the keyspace while we hold them.
    let (kind, len) = match ctx.srv.lookup_read(db, key, now) {
        None => (Kind::List, 0),
        Some(Value::List(l)) => (Kind::List, l.len()),
        Some(Value::Set(s)) => (Kind::Set, s.len()),
        Some(Value::ZSet(z)) => (Kind::ZSet, z.len()),
        Some(_) => return Err(errors::WRONGTYPE.into()),
    };

    // A set has no order of its own: storing its iteration order would make
    // the stored list depend on the hash table's layout, so Redis sorts it.
    if dontsort && kind == Kind::Set && o.store.is_some() {
        dontsort = false;
        alpha = true;
        by = None;
    }

    if kind == Kind::ZSet {
        if let Some(Value::ZSet(z)) = ctx.srv.dbs[db].dict.get_mut(key) {
            if z.is_listpack() {
                z.convert_to_skiplist();
            }
        }
    }

    // LIMIT window in Redis's arithmetic: inputs clamped to the length (no
    // overflow), an offset past the end gives an empty window.
    let n = len as i64;
    let mut start = o.limit_start.clamp(0, n);
    let count = o.limit_count.clamp(-1, n);
    let mut end = if count < 0 { n - 1 } else { start + count - 1 };
    if start >= n {
        start = n - 1;
        end = n - 2;
    }
    if end >= n {
        end = n - 1;
    }

    let elems = load_elements(ctx.srv, db, key, kind, dontsort, o.desc, start, end);
    if dontsort && kind != Kind::Set && end >= start {
        // The window was cut while loading.
        end -= start;
        start = 0;
    }

    let mut items: Vec<Item> = elems
        .into_iter()
        .map(|elem| Item {
            elem,
            score: 0.0,
            cmp: None,
        })
        .collect();

    let mut conversion_error = false;
    if !dontsort {
        let mode = match (alpha, by.is_some()) {
            (false, _) => Mode::Numeric,
            (true, false) => Mode::AlphaSelf,
            (true, true) => Mode::AlphaBy,
        };
        for it in items.iter_mut() {
            let weight = match by {
                Some(pat) => match lookup_by_pattern(ctx.srv, db, now, pat, &it.elem) {
                    Some(w) => Some(w),
                    None => continue,
                },
                None => None,
            };
            match mode {
                Mode::AlphaBy => it.cmp = weight,
                Mode::AlphaSelf => {}
                Mode::Numeric => match strtod_weight(weight.as_deref().unwrap_or(&it.elem)) {
                    Some(s) => it.score = s,
                    None => conversion_error = true,
                },
            }
        }
        if !conversion_error {
            let coll = o.store.is_none();
            let desc = o.desc;
            items.sort_by(|a, b| {
                let c = compare(a, b, mode, coll);
                if desc {
                    c.reverse()
                } else {
                    c
                }
            });
        }
    }
    if conversion_error {
        return Err(SCORE_NOT_DOUBLE.into());
    }

    let window: &[Item] = if end >= start {
        &items[start as usize..=end as usize]
    } else {
        &[]
    };
    let out_len = window.len() * o.gets.len().max(1);

    match o.store {
        None => {
            ctx.c.add_array_len(out_len);
            for it in window {
                if o.gets.is_empty() {
                    ctx.c.add_bulk(&it.elem);
                }
                for pat in &o.gets {
                    match lookup_by_pattern(ctx.srv, db, now, pat, &it.elem) {
                        Some(v) => ctx.c.add_bulk(&v),
                        None => ctx.c.add_null(),
                    }
                }
            }
        }
        Some(dst) => {
            let mut list = List::new(ctx.srv.config.list_max_listpack_size);
            for it in window {
                if o.gets.is_empty() {
                    list.push_back(&it.elem);
                }
                for pat in &o.gets {
                    let v = lookup_by_pattern(ctx.srv, db, now, pat, &it.elem);
                    list.push_back(v.as_deref().unwrap_or(b""));
                }
            }
            if out_len > 0 {
                ctx.srv.set_key(db, dst, Value::List(Box::new(list)), now);
                // SORT's key specs cannot place STORE's key, so the call
                // does not touch it for WATCH: done here, as Redis's setKey.
                ctx.srv.touch_key(db, dst);
                ctx.notify(notify::LIST, "sortstore", dst, db);
                ctx.srv.mark_dirty(out_len as u64);
            } else if ctx.srv.dbs[db].remove(dst).is_some() {
                // Redis's dbDelete: an expired destination is deleted
                // ("del"), not expired.
                ctx.srv.touch_key(db, dst);
                ctx.notify(notify::GENERIC, "del", dst, db);
                ctx.srv.mark_dirty(1);
            }
            ctx.c.add_int(out_len as i64);
        }
    }
    Ok(())
}

/// The type of the source key (a missing key sorts as an empty list).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    List,
    Set,
    ZSet,
}

/// Copies the elements to sort out of the source.
///
/// In "do not sort" mode, lists and sorted sets give only the window
/// `start..=end` of their own order (walked from the tail with `desc`), as
/// Redis loads them; in every other case all elements come, in the source's
/// iteration order.
#[allow(clippy::too_many_arguments)]
fn load_elements(
    srv: &Server,
    db: usize,
    key: &[u8],
    kind: Kind,
    dontsort: bool,
    desc: bool,
    start: i64,
    end: i64,
) -> Vec<Vec<u8>> {
    let Some(v) = srv.dbs[db].dict.get(key) else {
        return Vec::new();
    };
    let windowed = dontsort && kind != Kind::Set;
    if windowed && end < start {
        return Vec::new();
    }
    // Both bounds are within 0..len here when windowed.
    let (s, e) = (start.max(0) as usize, end.max(0) as usize);
    let mut out = Vec::new();
    match v {
        Value::List(l) if windowed => {
            if desc {
                out.extend(l.iter_rev().skip(s).take(e - s + 1).map(|x| x.to_vec()));
            } else {
                out.extend(l.iter_from(s).take(e - s + 1).map(|x| x.to_vec()));
            }
        }
        Value::List(l) => out.extend(l.iter().map(|x| x.to_vec())),
        Value::ZSet(z) if windowed => {
            let len = z.len();
            let (a, b) = if desc {
                (len - 1 - e, len - 1 - s)
            } else {
                (s, e)
            };
            z.for_range(a, b, desc, |m, _| out.push(m.to_vec()));
        }
        Value::ZSet(z) => z.for_each(|m, _| out.push(m.to_vec())),
        Value::Set(set) => out.extend(set.iter().map(|m| m.to_vec())),
        _ => {}
    }
    out
}

/// Redis's sortCompare, before DESC is applied.
///
/// `coll` selects the reply-side ALPHA compare (`strcoll`, which in the C
/// locale is `strcmp`) over the binary compare Redis uses when storing.
fn compare(a: &Item, b: &Item, mode: Mode, coll: bool) -> Ordering {
    let text = |x: &[u8], y: &[u8]| {
        if coll {
            c_str(x).cmp(c_str(y))
        } else {
            x.cmp(y)
        }
    };
    match mode {
        Mode::Numeric => match a.score.partial_cmp(&b.score) {
            Some(Ordering::Equal) | None => a.elem.cmp(&b.elem),
            Some(o) => o,
        },
        Mode::AlphaSelf => text(&a.elem, &b.elem),
        Mode::AlphaBy => match (&a.cmp, &b.cmp) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => text(x, y),
        },
    }
}

/// The bytes before the first NUL: what C string functions see.
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

/// A numeric weight as SORT reads it with `strtod` (see the file header):
/// `None` when Redis would report a conversion error.
fn strtod_weight(b: &[u8]) -> Option<f64> {
    let s = c_str(b);
    if s.is_empty() {
        // strtod converts nothing and stops at the terminator: weight 0.
        return Some(0.0);
    }
    // C's isspace in the C locale.
    let skip = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let t = &s[skip..];
    let v = parse_f64(t)?;
    // glibc flags an inexact subnormal result with ERANGE, which Redis
    // rejects here; a decimal literal can only produce one inexactly.
    // Hex literals are exact when short enough, and are let through.
    let hex = {
        let u = t
            .strip_prefix(b"-")
            .or_else(|| t.strip_prefix(b"+"))
            .unwrap_or(t);
        u.len() > 1 && u[0] == b'0' && (u[1] | 0x20) == b'x'
    };
    if v.is_subnormal() && !hex {
        return None;
    }
    Some(v)
}

/// Redis's lookupKeyByPattern: the value a GET or BY pattern names for
/// element `subst`, or `None` (reply nil, weight missing).
///
/// `#` is the element itself. Otherwise the first `*` is replaced by the
/// element; a `->field` suffix after the `*` reads that hash field, else
/// the key must hold a string. A pattern without `*` names nothing. The
/// C-string quirks of Redis's parsing (a NUL ends the search for `*` and
/// `->`) are kept, so the same pattern names the same key.
fn lookup_by_pattern(
    srv: &mut Server,
    db: usize,
    now: i64,
    pattern: &[u8],
    subst: &[u8],
) -> Option<Vec<u8>> {
    if pattern.first() == Some(&b'#') && (pattern.len() == 1 || pattern[1] == 0) {
        return Some(subst.to_vec());
    }
    let cp = c_str(pattern);
    let star = cp.iter().position(|&c| c == b'*')?;
    // "->" followed by at least one (C string) byte marks a hash field,
    // which runs to the end of the whole pattern.
    let field_at = cp[star + 1..]
        .windows(2)
        .position(|w| w == b"->")
        .map(|i| star + 1 + i)
        .filter(|&f| f + 2 < cp.len());
    let (postfix_end, field) = match field_at {
        Some(f) => (f, Some(&pattern[f + 2..])),
        None => (pattern.len(), None),
    };
    let mut name = Vec::with_capacity(pattern.len() + subst.len());
    name.extend_from_slice(&pattern[..star]);
    name.extend_from_slice(subst);
    name.extend_from_slice(&pattern[star + 1..postfix_end]);

    match (srv.lookup_read(db, &name, now)?, field) {
        (Value::Hash(h), Some(f)) => h.get(f).map(|v| v.to_vec()),
        (Value::Str(s), None) => Some(s.to_vec()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_strtod() {
        assert_eq!(strtod_weight(b""), Some(0.0));
        assert_eq!(strtod_weight(b" \t1.5"), Some(1.5));
        assert_eq!(strtod_weight(b"2\0junk"), Some(2.0));
        assert_eq!(strtod_weight(b"0x10"), Some(16.0));
        assert_eq!(strtod_weight(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod_weight(b" "), None);
        assert_eq!(strtod_weight(b"1 "), None);
        assert_eq!(strtod_weight(b"nan"), None);
        assert_eq!(strtod_weight(b"1e400"), None);
        assert_eq!(strtod_weight(b"1e-400"), None);
        assert_eq!(strtod_weight(b"1e-310"), None);
        assert!(strtod_weight(b"0x1p-1074").is_some());
    }

    #[test]
    fn c_strings_stop_at_nul() {
        assert_eq!(c_str(b"ab\0cd"), b"ab");
        assert_eq!(c_str(b"abc"), b"abc");
    }

    #[test]
    fn compare_numeric_ties_use_bytes() {
        let it = |e: &[u8], s: f64| Item {
            elem: e.to_vec(),
            score: s,
            cmp: None,
        };
        assert_eq!(
            compare(&it(b"b", 1.0), &it(b"a", 1.0), Mode::Numeric, true),
            Ordering::Greater
        );
        assert_eq!(
            compare(&it(b"b", 0.0), &it(b"a", 1.0), Mode::Numeric, true),
            Ordering::Less
        );
        assert_eq!(
            compare(&it(b"a\0z", 0.0), &it(b"a\0b", 0.0), Mode::AlphaSelf, true),
            Ordering::Equal
        );
        assert_eq!(
            compare(&it(b"a\0z", 0.0), &it(b"a\0b", 0.0), Mode::AlphaSelf, false),
            Ordering::Greater
        );
    }
}
