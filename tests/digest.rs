//! DEBUG DIGEST / DEBUG DIGEST-VALUE must be bit-for-bit Redis 7.0's: the
//! same dataset is loaded into a real redis-server and the server under
//! test, and the digests (whole dataset and per key, in every database) are
//! compared, then compared again after each single-value change, which must
//! also move the digest. Replication tests rely on these digests to compare
//! mixed ferrodis/Redis topologies.

mod common;

use common::{server_binary, Client, Reply, Server};

const ARGS: &[&str] = &["--enable-debug-command", "yes"];
const ZEROS: &str = "0000000000000000000000000000000000000000";

/// The reference and the subject, driven in lockstep.
struct Pair {
    reference: Client,
    subject: Client,
}

impl Pair {
    /// Runs a command on both servers; the replies must agree.
    fn both(&mut self, args: &[&str]) -> Reply {
        let bytes: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        self.both_bytes(&bytes)
    }

    fn both_bytes(&mut self, args: &[&[u8]]) -> Reply {
        let r = self.reference.cmd_bytes(args);
        let s = self.subject.cmd_bytes(args);
        assert_eq!(r, s, "replies differ for {:?}", printable(args));
        assert!(!r.is_error(), "{:?} failed: {r:?}", printable(args));
        r
    }

    /// DEBUG DIGEST on both; they must be equal. Returns the digest.
    fn digest(&mut self, what: &str) -> String {
        let r = self.reference.cmd(&["DEBUG", "DIGEST"]);
        let s = self.subject.cmd(&["DEBUG", "DIGEST"]);
        assert_eq!(r, s, "DEBUG DIGEST differs {what}");
        match r {
            Reply::Status(d) => {
                assert_eq!(d.len(), 40, "{d}");
                d
            }
            other => panic!("DEBUG DIGEST replied {other:?}"),
        }
    }

    /// DEBUG DIGEST-VALUE of `keys` in the selected database, on both.
    fn digest_values(&mut self, keys: &[&str]) -> Vec<String> {
        let mut args = vec!["DEBUG", "DIGEST-VALUE"];
        args.extend_from_slice(keys);
        let r = self.reference.cmd(&args);
        let s = self.subject.cmd(&args);
        assert_eq!(r, s, "DEBUG DIGEST-VALUE differs for {keys:?}");
        let items = r.as_array().expect("DIGEST-VALUE replies an array");
        assert_eq!(items.len(), keys.len());
        items
            .iter()
            .map(|i| match i {
                Reply::Status(d) if d.len() == 40 => d.clone(),
                other => panic!("DIGEST-VALUE element {other:?}"),
            })
            .collect()
    }

    /// Every key of the selected database (sorted), as seen by the reference;
    /// the subject must have the same set.
    fn keys(&mut self) -> Vec<String> {
        let sorted = |r: Reply| {
            let mut v: Vec<String> = r
                .as_array()
                .expect("KEYS array")
                .iter()
                .map(|k| k.as_str().expect("key").to_string())
                .collect();
            v.sort();
            v
        };
        let r = sorted(self.reference.cmd(&["KEYS", "*"]));
        let s = sorted(self.subject.cmd(&["KEYS", "*"]));
        assert_eq!(r, s, "keyspaces differ");
        r
    }

    /// Per-key digests of every key in every database that holds keys.
    fn check_all_keys(&mut self, dbs: &[u32]) {
        for db in dbs {
            self.both(&["SELECT", &db.to_string()]);
            let keys = self.keys();
            let refs: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
            let digests = self.digest_values(&refs);
            for (k, d) in keys.iter().zip(&digests) {
                assert_ne!(d, ZEROS, "db {db} key {k} has a zero digest");
            }
        }
        self.both(&["SELECT", "0"]);
    }
}

fn printable(args: &[&[u8]]) -> Vec<String> {
    args.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

fn start() -> Option<(Server, Server, Pair)> {
    let redis = common::redis_binary()?;
    let reference = Server::start(&redis, ARGS);
    let subject = Server::start(server_binary(), ARGS);
    let pair = Pair {
        reference: reference.client(),
        subject: subject.client(),
    };
    Some((reference, subject, pair))
}

/// Loads the shared dataset and checks the encodings it was built to cover.
fn load_dataset(p: &mut Pair) {
    // Strings: int, embstr, raw (long, and modified in place), binary.
    p.both(&["SET", "s:int", "12345"]);
    p.both(&["SET", "s:neg", "-42"]);
    p.both(&["SET", "s:max", "9223372036854775807"]);
    p.both(&["SET", "s:zeropad", "007"]);
    p.both(&["SET", "s:emb", "hello world"]);
    p.both(&["SET", "s:raw", &"r".repeat(60)]);
    p.both(&["SET", "s:empty", ""]);
    p.both(&["SET", "s:app", "ab"]);
    p.both(&["APPEND", "s:app", "12"]);
    p.both_bytes(&[b"SET", b"s:bin", b"\x00\xff\r\n\x01"]);

    // Lists: listpack and quicklist, with integer-looking elements.
    p.both(&["RPUSH", "l:small", "a", "1", "-5", "b", "", "3.5"]);
    let big: Vec<String> = (0..300)
        .map(|i| {
            if i % 3 == 0 {
                i.to_string()
            } else {
                format!("elem-{i}")
            }
        })
        .collect();
    let mut args = vec!["RPUSH", "l:big"];
    args.extend(big.iter().map(|s| s.as_str()));
    p.both(&args);
    p.both(&["LPUSH", "l:long", &"x".repeat(100), "y"]);

    // Hashes: listpack and hashtable (by count and by value length).
    p.both(&["HSET", "h:lp", "f1", "v1", "f2", "2", "3", "x", "e", ""]);
    let mut fields = Vec::new();
    for i in 0..600 {
        fields.push(format!("field{i}"));
        fields.push(if i % 2 == 0 {
            i.to_string()
        } else {
            format!("value{i}")
        });
    }
    let mut args = vec!["HSET", "h:ht"];
    args.extend(fields.iter().map(|s| s.as_str()));
    p.both(&args);
    p.both(&["HSET", "h:longval", "f", &"v".repeat(100), "g", "1"]);

    // Sets: intset and hashtable (strings, and too many integers).
    p.both(&["SADD", "st:int", "1", "2", "3", "-7", "9223372036854775807"]);
    p.both(&["SADD", "st:ht", "a", "b", "c", "1", "-2"]);
    let ints: Vec<String> = (0..600).map(|i| (i * 7 - 1000).to_string()).collect();
    let mut args = vec!["SADD", "st:bigint"];
    args.extend(ints.iter().map(|s| s.as_str()));
    p.both(&args);

    // Sorted sets: listpack and skiplist, awkward scores.
    p.both(&[
        "ZADD",
        "z:lp",
        "1.5",
        "a",
        "-2",
        "b",
        "0",
        "c",
        "inf",
        "d",
        "-inf",
        "e",
        "0.1",
        "f",
        "1e300",
        "g",
        "-0",
        "h",
        "3",
        "10",
        "-1.25e-7",
        "i",
        "123456789012",
        "j",
    ]);
    let mut zargs = Vec::new();
    for i in 0..200 {
        zargs.push(format!("{}", (i as f64) * 0.37 - 20.0));
        zargs.push(format!("m{i}"));
    }
    let mut args = vec!["ZADD", "z:sl"];
    args.extend(zargs.iter().map(|s| s.as_str()));
    p.both(&args);
    p.both(&[
        "ZADD",
        "z:long",
        "inf",
        &"k".repeat(80),
        "-inf",
        "lo",
        "-0",
        "negzero",
        "0.30000000000000004",
        "third",
        "42",
        "7",
    ]);
    p.both(&["ZADD", "z:neg0", "-0", "a"]);
    p.both(&["ZADD", "z:zero", "0", "a"]);
    let long_member = "m".repeat(70);
    p.both(&["ZADD", "z:neg0sl", "-0", &long_member]);
    p.both(&["ZADD", "z:zerosl", "0", &long_member]);

    // Keys with a TTL, of every type.
    p.both(&["SET", "t:s", "v", "EX", "100000"]);
    p.both(&["RPUSH", "t:l", "a", "b"]);
    p.both(&["EXPIRE", "t:l", "100000"]);
    p.both(&["HSET", "t:h", "f", "v"]);
    p.both(&["PEXPIRE", "t:h", "100000000"]);
    p.both(&["SADD", "t:st", "5"]);
    p.both(&["EXPIREAT", "t:st", "4000000000"]);
    p.both(&["ZADD", "t:z", "1", "a"]);
    p.both(&["EXPIRE", "t:z", "100000"]);

    // Other databases, some with the same key names as db 0.
    p.both(&["SELECT", "1"]);
    p.both(&["SET", "s:emb", "hello world"]);
    p.both(&["SET", "only-in-1", "1"]);
    p.both(&["RPUSH", "l:small", "a", "1", "-5", "b", "", "3.5"]);
    p.both(&["SELECT", "5"]);
    p.both(&["ZADD", "z", "1", "one", "2.5", "two"]);
    p.both(&["SELECT", "15"]);
    p.both(&["SADD", "s", "x", "y"]);
    p.both(&["SELECT", "0"]);

    for (key, enc) in [
        ("s:int", "int"),
        ("s:max", "int"),
        ("s:zeropad", "embstr"),
        ("s:emb", "embstr"),
        ("s:raw", "raw"),
        ("s:app", "raw"),
        ("l:small", "quicklist"),
        ("l:big", "quicklist"),
        ("h:lp", "listpack"),
        ("h:ht", "hashtable"),
        ("h:longval", "hashtable"),
        ("st:int", "intset"),
        ("st:ht", "hashtable"),
        ("st:bigint", "hashtable"),
        ("z:lp", "listpack"),
        ("z:sl", "skiplist"),
        ("z:long", "skiplist"),
        ("z:neg0sl", "skiplist"),
        ("z:neg0", "listpack"),
    ] {
        let r = p.both(&["OBJECT", "ENCODING", key]);
        assert_eq!(r, Reply::bulk(enc), "encoding of {key}");
    }
}

const DBS: &[u32] = &[0, 1, 5, 15];

#[test]
fn empty_dataset_and_reply_shapes() {
    let Some((_r, _s, mut p)) = start() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    assert_eq!(p.digest("on an empty dataset"), ZEROS);
    assert_eq!(p.digest_values(&["nokey", "other"]), vec![ZEROS, ZEROS]);
    assert_eq!(p.digest_values(&[]), Vec::<String>::new());
    // Wrong arity of DIGEST is the generic subcommand error on both.
    let r = p.reference.cmd(&["DEBUG", "DIGEST", "x"]);
    assert!(r.is_error());
    assert_eq!(r, p.subject.cmd(&["DEBUG", "DIGEST", "x"]));
    // Help mentions both subcommands in Redis's words.
    let help = p.subject.cmd(&["DEBUG", "HELP"]);
    let lines: Vec<&str> = help
        .as_array()
        .expect("help array")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    for line in [
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
    ] {
        assert!(lines.contains(&line), "DEBUG HELP lacks {line:?}");
    }
    // One key makes it non-zero, deleting it brings the zeros back.
    p.both(&["SET", "k", "v"]);
    assert_ne!(p.digest("with one key"), ZEROS);
    p.both(&["DEL", "k"]);
    assert_eq!(p.digest("after deleting the only key"), ZEROS);
}

#[test]
fn same_dataset_same_digests() {
    let Some((_r, _s, mut p)) = start() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    load_dataset(&mut p);
    let d = p.digest("after loading the dataset");
    assert_ne!(d, ZEROS);
    p.check_all_keys(DBS);

    // A skiplist keeps -0 as a double, printed "-0", so it digests apart
    // from 0; a listpack stores the score as text and -0 becomes "0".
    let v = p.digest_values(&["z:neg0sl", "z:zerosl", "z:neg0", "z:zero"]);
    assert_ne!(v[0], v[1]);
    assert_eq!(v[2], v[3]);
    // The key name is not part of DIGEST-VALUE, but it is part of DIGEST.
    let before = p.digest_values(&["s:emb"]);
    p.both(&["RENAME", "s:emb", "s:renamed"]);
    assert_eq!(
        p.digest_values(&["s:renamed", "s:emb"]),
        [before[0].as_str(), ZEROS]
    );
    assert_ne!(p.digest("after RENAME"), d);
    p.both(&["RENAME", "s:renamed", "s:emb"]);
    assert_eq!(p.digest("after renaming back"), d);
    // Same key and value in two databases: identical value digests.
    let v0 = p.digest_values(&["l:small"]);
    p.both(&["SELECT", "1"]);
    assert_eq!(p.digest_values(&["l:small"]), v0);
    p.both(&["SELECT", "0"]);
    // A hashtable built in another order digests the same (xor of elements).
    let mut args = vec!["SADD".to_string(), "st:rev".to_string()];
    args.extend((0..600).rev().map(|i: i64| (i * 7 - 1000).to_string()));
    let refs: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    p.both(&refs);
    let v = p.digest_values(&["st:bigint", "st:rev"]);
    assert_eq!(v[0], v[1]);
    p.both(&["DEL", "st:rev"]);
    assert_eq!(p.digest("after the round trip"), d);
}

#[test]
fn every_single_change_moves_the_digest() {
    let Some((_r, _s, mut p)) = start() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    load_dataset(&mut p);
    let changes: &[&[&str]] = &[
        &["SET", "s:emb", "hello worle"],
        &["INCR", "s:int"],
        &["SET", "s:max", "9223372036854775806"],
        &["APPEND", "s:raw", "x"],
        &["SET", "s:empty", "0"],
        &["SETRANGE", "s:app", "0", "2"],
        &["LSET", "l:big", "150", "changed"],
        &["LSET", "l:big", "0", "1"],
        &["RPUSH", "l:small", "z"],
        // Same elements, another order.
        &["LMOVE", "l:small", "l:small", "RIGHT", "LEFT"],
        &["LSET", "l:long", "0", "Y"],
        &["HSET", "h:lp", "f1", "v2"],
        &["HSET", "h:lp", "newfield", "v"],
        &["HSET", "h:ht", "field77", "other"],
        &["HDEL", "h:ht", "field0"],
        &["HSET", "h:longval", "g", "2"],
        &["SADD", "st:int", "4"],
        &["SREM", "st:ht", "a"],
        &["SADD", "st:bigint", "abc"],
        &["ZADD", "z:lp", "1.5000000000000002", "a"],
        &["ZADD", "z:lp", "-inf", "d"],
        &["ZADD", "z:lp", "1", "new"],
        &["ZINCRBY", "z:sl", "0.5", "m10"],
        &["ZREM", "z:sl", "m199"],
        &["ZADD", "z:long", "1", "negzero"],
        &["ZADD", "z:neg0", "1", "a"],
        // TTLs: adding, removing, moving between databases.
        &["PERSIST", "t:s"],
        &["EXPIRE", "s:int", "100000"],
        &["PERSIST", "t:z"],
        &["MOVE", "t:l", "3"],
        &["SELECT", "1"],
        &["SET", "only-in-1", "2"],
        &["MOVE", "s:emb", "2"],
        &["SELECT", "15"],
        &["SADD", "s", "z"],
        &["SELECT", "0"],
        &["DEL", "h:lp"],
    ];
    let mut seen = std::collections::HashSet::new();
    let mut d = p.digest("after loading the dataset");
    seen.insert(d.clone());
    for change in changes {
        p.both(change);
        if change[0] == "SELECT" {
            continue;
        }
        let next = p.digest(&format!("after {change:?}"));
        assert_ne!(next, d, "{change:?} did not change the digest");
        assert!(
            seen.insert(next.clone()),
            "{change:?} gave an earlier digest"
        );
        d = next;
    }
    p.check_all_keys(&[0, 1, 2, 3, 5, 15]);
}

#[test]
fn logically_expired_keys_still_count() {
    let Some((_r, _s, mut p)) = start() else {
        eprintln!("skipped: no redis-server");
        return;
    };
    p.both(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    p.both(&["SET", "gone", "v", "PX", "1"]);
    let with_ttl = p.digest("with a volatile key");
    std::thread::sleep(std::time::Duration::from_millis(20));
    // DEBUG does not expire keys: the digest still has the stale key.
    assert_eq!(p.digest("after the TTL passed"), with_ttl);
    assert_ne!(p.digest_values(&["gone"])[0], ZEROS);
    assert_eq!(p.both(&["EXISTS", "gone"]), Reply::Int(0));
    assert_eq!(p.digest("after lazy expiry"), ZEROS);
}
