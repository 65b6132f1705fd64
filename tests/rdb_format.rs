//! RDB format against the real Redis 7.0: read what redis-server saves and
//! DUMPs, write files and payloads that redis-server and redis-check-rdb
//! accept, and compare our writer's bytes with Redis's for the same keys.
//!
//! Uses `ferrodis::persist` directly (no ferrodis server). Needs
//! `redis-server`, `redis-cli`-free (we speak RESP ourselves) and
//! `redis-check-rdb`; skips when they are missing unless
//! `FERRODIS_REQUIRE_REDIS=1`. Ports 24600..=24699 on 127.0.0.1; every
//! server is killed by PID when its guard drops.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::time::Duration;

use ferrodis::db::stream::Stream;
use ferrodis::persist::rdb::{
    dump_payload, parse_dump_payload, parse_dump_payload_object, KeyMeta, RdbItem, RdbReader,
    RdbType, RdbValue, RdbWriter, ReaderOptions, ValueRef, WriterOptions,
};

// ---------------------------------------------------------------------------
// Harness: binaries, ports, temp dirs, server guard, RESP client
// ---------------------------------------------------------------------------

fn find_bin(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/bin", "/usr/local/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return Some(p);
        }
    }
    None
}

/// The redis-server binary, or None (test skipped) when absent.
fn redis() -> Option<PathBuf> {
    let found = find_bin("redis-server");
    if found.is_none() {
        if std::env::var("FERRODIS_REQUIRE_REDIS").as_deref() == Ok("1") {
            panic!("redis-server not found and FERRODIS_REQUIRE_REDIS=1");
        }
        eprintln!("skipping: redis-server not installed");
    }
    found
}

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

/// A free port in 24600..=24699 (counter plus bind probe).
fn free_port() -> u16 {
    for _ in 0..200 {
        let n = NEXT_PORT.fetch_add(1, Ordering::SeqCst);
        let port = 24600 + (n + (std::process::id() as u16 % 50)) % 100;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in 24600..=24699");
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "ferrodis-rdb-{}-{}-{}",
            tag,
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A redis-server child, killed by PID on drop.
struct Redis {
    child: Child,
    port: u16,
}

/// Whether a server on `port` answers PING with +PONG (not -LOADING while
/// an RDB loads). Any I/O error (refused, reset while the server starts)
/// is "not yet", so the start loop retries instead of failing.
fn answers_pong(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut reply = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut reply).is_ok() && &reply == b"+PONG\r\n"
}

impl Redis {
    fn start(bin: &Path, dir: &Path, dbfilename: &str, extra: &[&str]) -> Redis {
        for _ in 0..5 {
            let port = free_port();
            let mut args: Vec<String> = vec![
                "--port".into(),
                port.to_string(),
                "--bind".into(),
                "127.0.0.1".into(),
                "--save".into(),
                "".into(),
                "--appendonly".into(),
                "no".into(),
                "--dir".into(),
                dir.display().to_string(),
                "--dbfilename".into(),
                dbfilename.into(),
                "--logfile".into(),
                format!("redis-{}.log", port),
            ];
            args.extend(extra.iter().map(|s| s.to_string()));
            let child = Command::new(bin)
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn redis-server");
            let mut r = Redis { child, port };
            for _ in 0..200 {
                if let Ok(Some(_)) = r.child.try_wait() {
                    break; // died (port race?): retry on another port
                }
                if answers_pong(port) {
                    return r;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            let log = std::fs::read_to_string(dir.join(format!("redis-{}.log", port)))
                .unwrap_or_default();
            if r.child.try_wait().ok().flatten().is_none() {
                panic!("redis-server on {} did not become ready:\n{}", port, log);
            }
            eprintln!("redis-server exited early on port {}:\n{}", port, log);
        }
        panic!("could not start redis-server");
    }

    fn client(&self) -> Client {
        Client::connect(self.port).unwrap()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill(); // SIGKILL to this child's PID only
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Reply {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Reply::Bulk(Some(b)) => b.clone(),
            Reply::Status(s) => s.clone().into_bytes(),
            other => panic!("not a string reply: {:?}", other),
        }
    }

    fn int(&self) -> i64 {
        match self {
            Reply::Int(n) => *n,
            other => panic!("not an integer reply: {:?}", other),
        }
    }

    fn array(&self) -> Vec<Vec<u8>> {
        match self {
            Reply::Array(Some(v)) => v.iter().map(Reply::bytes).collect(),
            other => panic!("not an array reply: {:?}", other),
        }
    }
}

struct Client {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

impl Client {
    fn connect(port: u16) -> std::io::Result<Client> {
        let s = TcpStream::connect(("127.0.0.1", port))?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Client {
            r: BufReader::new(s.try_clone()?),
            w: s,
        })
    }

    fn cmd_bytes(&mut self, args: &[&[u8]]) -> Reply {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            out.extend_from_slice(a);
            out.extend_from_slice(b"\r\n");
        }
        self.w.write_all(&out).unwrap();
        self.read_reply()
    }

    fn cmd(&mut self, args: &[&str]) -> Reply {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        self.cmd_bytes(&a)
    }

    fn ok(&mut self, args: &[&[u8]]) {
        let r = self.cmd_bytes(args);
        assert!(
            !matches!(r, Reply::Error(_)),
            "{:?} -> {:?}",
            String::from_utf8_lossy(args[0]),
            r
        );
    }

    fn read_reply(&mut self) -> Reply {
        let mut line = Vec::new();
        self.r.read_until(b'\n', &mut line).unwrap();
        assert!(line.len() >= 3, "connection closed");
        let body = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
        match line[0] {
            b'+' => Reply::Status(body),
            b'-' => Reply::Error(body),
            b':' => Reply::Int(body.parse().unwrap()),
            b'$' => {
                let n: i64 = body.parse().unwrap();
                if n < 0 {
                    return Reply::Bulk(None);
                }
                let mut b = vec![0u8; n as usize + 2];
                self.r.read_exact(&mut b).unwrap();
                b.truncate(n as usize);
                Reply::Bulk(Some(b))
            }
            b'*' => {
                let n: i64 = body.parse().unwrap();
                if n < 0 {
                    return Reply::Array(None);
                }
                Reply::Array(Some((0..n).map(|_| self.read_reply()).collect()))
            }
            c => panic!("bad reply type {}", c as char),
        }
    }
}

// ---------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------

/// A value in comparable form.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(Vec<u8>),
    List(Vec<Vec<u8>>),
    /// Sorted members.
    Set(Vec<Vec<u8>>),
    /// Sorted by field.
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    /// Sorted by member.
    ZSet(Vec<(Vec<u8>, f64)>),
}

struct Entry {
    db: u64,
    key: Vec<u8>,
    val: Val,
    /// Absolute expiry in ms.
    expire_ms: Option<i64>,
    /// OBJECT ENCODING Redis reports (None for strings: depends on length).
    enc: Option<&'static str>,
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn normalize(v: &RdbValue) -> Val {
    match v {
        RdbValue::String(s) => Val::Str(s.clone()),
        RdbValue::List(l) => Val::List(l.clone()),
        RdbValue::Set(s) => {
            let mut s = s.clone();
            s.sort();
            Val::Set(s)
        }
        RdbValue::IntSet(s) => {
            let mut s: Vec<Vec<u8>> = s.iter().map(|i| i.to_string().into_bytes()).collect();
            s.sort();
            Val::Set(s)
        }
        RdbValue::Hash(h) => {
            let mut h = h.clone();
            h.sort();
            Val::Hash(h)
        }
        RdbValue::ZSet(z) => {
            let mut z = z.clone();
            z.sort_by(|a, b| a.0.cmp(&b.0));
            Val::ZSet(z)
        }
        RdbValue::Stream(_) => panic!("the generated dataset has no streams"),
    }
}

fn dataset() -> Vec<Entry> {
    let mut seed = 0x1234_5678_9abc_def1u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let noise: Vec<u8> = (0..300).map(|_| rnd() as u8).collect();
    let future = 4_102_444_800_000i64; // 2100-01-01
    let e = |db, key: &str, val, expire_ms, enc| Entry {
        db,
        key: b(key),
        val,
        expire_ms,
        enc,
    };
    let mut d = vec![
        e(0, "s:int8", Val::Str(b("-7")), None, None),
        e(0, "s:int16", Val::Str(b("12345")), None, None),
        e(0, "s:int32", Val::Str(b("-2000000000")), None, None),
        e(0, "s:int64", Val::Str(b("9223372036854775807")), None, None),
        e(0, "s:notint", Val::Str(b("007")), None, None),
        e(0, "s:short", Val::Str(b("hello world")), None, None),
        e(0, "s:noise", Val::Str(noise.clone()), None, None),
        e(0, "s:comp", Val::Str(b"abcabcabd".repeat(50)), None, None),
        e(0, "s:empty", Val::Str(vec![]), None, None),
        e(0, "s:binary", Val::Str(vec![0, 255, 13, 10, 0]), None, None),
        e(
            0,
            "l:small",
            Val::List(vec![
                b("a"),
                b("1"),
                b("-300"),
                b("70000"),
                b("x".repeat(100).as_str()),
                b(""),
            ]),
            None,
            Some("quicklist"),
        ),
        e(
            0,
            "l:big",
            Val::List(
                (0..3000)
                    .map(|i| format!("element-{}", i).into_bytes())
                    .collect(),
            ),
            None,
            Some("quicklist"),
        ),
        e(
            0,
            "set:int",
            Val::Set(vec![b("-5"), b("1"), b("100000"), b("2"), b("3")]),
            None,
            Some("intset"),
        ),
        e(
            0,
            "set:bigint",
            Val::Set((0..600).map(|i| (i * 7).to_string().into_bytes()).collect()),
            None,
            Some("hashtable"),
        ),
        e(
            0,
            "set:str",
            Val::Set(vec![b("a"), b("b"), b("c")]),
            None,
            Some("hashtable"),
        ),
        e(
            0,
            "h:small",
            Val::Hash(vec![
                (b("f1"), b("v1")),
                (b("n"), b("42")),
                (b("neg"), b("-1000000")),
            ]),
            None,
            Some("listpack"),
        ),
        e(
            0,
            "h:big",
            Val::Hash(
                (0..600)
                    .map(|i| {
                        (
                            format!("field{}", i).into_bytes(),
                            format!("v{}", i * 3).into_bytes(),
                        )
                    })
                    .collect(),
            ),
            None,
            Some("hashtable"),
        ),
        e(
            0,
            "h:longval",
            Val::Hash(vec![(b("f"), b("y".repeat(100).as_str()))]),
            None,
            Some("hashtable"),
        ),
        e(
            0,
            "z:small",
            Val::ZSet(vec![
                (b("a"), 1.0),
                (b("b"), 2.5),
                (b("c"), f64::NEG_INFINITY),
                (b("d"), 0.1),
                (b("e"), -3e20),
            ]),
            None,
            Some("listpack"),
        ),
        e(
            0,
            "z:big",
            Val::ZSet(
                (0..200)
                    .map(|i| (format!("m{}", i).into_bytes(), i as f64 / 3.0))
                    .collect(),
            ),
            None,
            Some("skiplist"),
        ),
        e(
            0,
            "ttl:s",
            Val::Str(b("expiring")),
            Some(future + 123),
            None,
        ),
        e(
            0,
            "ttl:h",
            Val::Hash(vec![(b("a"), b("b"))]),
            Some(future + 456),
            Some("listpack"),
        ),
        e(3, "db3:s", Val::Str(b("in db 3")), None, None),
        e(
            3,
            "db3:l",
            Val::List(vec![b("x"), b("y")]),
            Some(future),
            Some("quicklist"),
        ),
        e(
            15,
            "db15:z",
            Val::ZSet(vec![(b("only"), 7.0)]),
            None,
            Some("listpack"),
        ),
    ];
    for en in &mut d {
        en.val = match std::mem::replace(&mut en.val, Val::Str(vec![])) {
            Val::Set(mut s) => {
                s.sort();
                Val::Set(s)
            }
            Val::Hash(mut h) => {
                h.sort();
                Val::Hash(h)
            }
            Val::ZSet(mut z) => {
                z.sort_by(|a, b| a.0.cmp(&b.0));
                Val::ZSet(z)
            }
            v => v,
        };
    }
    d
}

fn fmt_score(f: f64) -> Vec<u8> {
    if f == f64::INFINITY {
        b("inf")
    } else if f == f64::NEG_INFINITY {
        b("-inf")
    } else {
        format!("{:e}", f).into_bytes() // exact round trip; Redis parses it
    }
}

/// Loads the dataset into a running Redis with commands.
fn fill(c: &mut Client, data: &[Entry]) {
    for e in data {
        c.ok(&[b"SELECT", e.db.to_string().as_bytes()]);
        let k = e.key.as_slice();
        match &e.val {
            Val::Str(s) => c.ok(&[b"SET", k, s]),
            Val::List(l) => {
                for chunk in l.chunks(500) {
                    let mut a: Vec<&[u8]> = vec![b"RPUSH", k];
                    a.extend(chunk.iter().map(|x| x.as_slice()));
                    c.ok(&a);
                }
            }
            Val::Set(s) => {
                let mut a: Vec<&[u8]> = vec![b"SADD", k];
                a.extend(s.iter().map(|x| x.as_slice()));
                c.ok(&a);
            }
            Val::Hash(h) => {
                let mut a: Vec<&[u8]> = vec![b"HSET", k];
                for (f, v) in h {
                    a.push(f);
                    a.push(v);
                }
                c.ok(&a);
            }
            Val::ZSet(z) => {
                let scores: Vec<Vec<u8>> = z.iter().map(|(_, s)| fmt_score(*s)).collect();
                let mut a: Vec<&[u8]> = vec![b"ZADD", k];
                for ((m, _), s) in z.iter().zip(scores.iter()) {
                    a.push(s);
                    a.push(m);
                }
                c.ok(&a);
            }
        }
        if let Some(ms) = e.expire_ms {
            c.ok(&[b"PEXPIREAT", k, ms.to_string().as_bytes()]);
        }
    }
}

/// Reads the dataset back from a running Redis with commands and checks it
/// (values, TTLs, encodings, key counts).
fn check_live(c: &mut Client, data: &[Entry]) {
    let mut per_db: BTreeMap<u64, i64> = BTreeMap::new();
    for e in data {
        *per_db.entry(e.db).or_default() += 1;
        c.ok(&[b"SELECT", e.db.to_string().as_bytes()]);
        let k = e.key.as_slice();
        let name = String::from_utf8_lossy(k).into_owned();
        let got = match &e.val {
            Val::Str(_) => Val::Str(c.cmd_bytes(&[b"GET", k]).bytes()),
            Val::List(_) => Val::List(c.cmd_bytes(&[b"LRANGE", k, b"0", b"-1"]).array()),
            Val::Set(_) => {
                let mut s = c.cmd_bytes(&[b"SMEMBERS", k]).array();
                s.sort();
                Val::Set(s)
            }
            Val::Hash(_) => {
                let flat = c.cmd_bytes(&[b"HGETALL", k]).array();
                let mut h: Vec<_> = flat
                    .chunks(2)
                    .map(|p| (p[0].clone(), p[1].clone()))
                    .collect();
                h.sort();
                Val::Hash(h)
            }
            Val::ZSet(_) => {
                let flat = c
                    .cmd_bytes(&[b"ZRANGE", k, b"0", b"-1", b"WITHSCORES"])
                    .array();
                let mut z: Vec<_> = flat
                    .chunks(2)
                    .map(|p| (p[0].clone(), ferrodis::util::parse_f64(&p[1]).unwrap()))
                    .collect();
                z.sort_by(|a, b| a.0.cmp(&b.0));
                Val::ZSet(z)
            }
        };
        assert_eq!(got, e.val, "value of {}", name);
        let pexp = c.cmd_bytes(&[b"PEXPIRETIME", k]).int();
        assert_eq!(pexp, e.expire_ms.unwrap_or(-1), "PEXPIRETIME of {}", name);
        if let Some(enc) = e.enc {
            let got = c.cmd_bytes(&[b"OBJECT", b"ENCODING", k]).bytes();
            assert_eq!(String::from_utf8_lossy(&got), enc, "encoding of {}", name);
        }
    }
    for (db, n) in per_db {
        c.ok(&[b"SELECT", db.to_string().as_bytes()]);
        assert_eq!(c.cmd(&["DBSIZE"]).int(), n, "DBSIZE of db {}", db);
    }
}

/// What a file says about one key: value, type, expiry, quicklist nodes.
type KeyInfo = (RdbValue, RdbType, Option<i64>, Vec<u32>);

/// Everything a file holds, keyed by (db, key).
struct Parsed {
    aux: Vec<(Vec<u8>, Vec<u8>)>,
    keys: BTreeMap<(u64, Vec<u8>), KeyInfo>,
    /// Items in file order, for the byte comparison.
    items: Vec<RdbItem>,
    /// Byte offset where each item starts, plus the file length at the end.
    offsets: Vec<u64>,
}

fn parse_file(path: &Path) -> Parsed {
    let f = std::fs::File::open(path).unwrap();
    let mut r = RdbReader::new(std::io::BufReader::new(f), ReaderOptions::default()).unwrap();
    let mut p = Parsed {
        aux: vec![],
        keys: BTreeMap::new(),
        items: vec![],
        offsets: vec![],
    };
    let mut db = 0;
    let mut saw_eof = false;
    loop {
        let at = r.offset();
        let Some(item) = r
            .next_item()
            .unwrap_or_else(|e| panic!("reading {}: {}", path.display(), e))
        else {
            p.offsets.push(at);
            break;
        };
        p.offsets.push(at);
        match &item {
            RdbItem::Aux(k, v) => p.aux.push((k.clone(), v.clone())),
            RdbItem::SelectDb(n) => db = *n,
            RdbItem::Key {
                key,
                expire_ms,
                value,
                rdb_type,
                list_nodes,
                ..
            } => {
                p.keys.insert(
                    (db, key.clone()),
                    (value.clone(), *rdb_type, *expire_ms, list_nodes.clone()),
                );
            }
            RdbItem::Eof => saw_eof = true,
            _ => {}
        }
        p.items.push(item);
    }
    assert!(saw_eof);
    p
}

fn enc_of(t: RdbType) -> &'static str {
    match t {
        RdbType::ListQuicklist2 => "quicklist",
        RdbType::SetIntset => "intset",
        RdbType::Set | RdbType::Hash => "hashtable",
        RdbType::HashListpack | RdbType::ZSetListpack => "listpack",
        RdbType::ZSet2 => "skiplist",
        other => panic!("unexpected type {:?}", other),
    }
}

fn check_parsed(p: &Parsed, data: &[Entry]) {
    assert_eq!(p.keys.len(), data.len(), "key count");
    for e in data {
        let name = String::from_utf8_lossy(&e.key).into_owned();
        let (v, t, exp, _) = p
            .keys
            .get(&(e.db, e.key.clone()))
            .unwrap_or_else(|| panic!("missing {}", name));
        assert_eq!(normalize(v), e.val, "value of {}", name);
        assert_eq!(*exp, e.expire_ms, "expiry of {}", name);
        match e.enc {
            Some(enc) => assert_eq!(enc_of(*t), enc, "encoding of {}", name),
            None => assert_eq!(*t, RdbType::String),
        }
    }
}

// ---------------------------------------------------------------------------
// (a) Reading what Redis writes
// ---------------------------------------------------------------------------

#[test]
fn read_redis_saves_and_dumps() {
    let Some(bin) = redis() else { return };
    let data = dataset();
    for compression in ["yes", "no"] {
        let dir = TempDir::new("read");
        let srv = Redis::start(&bin, &dir.0, "dump.rdb", &["--rdbcompression", compression]);
        let mut c = srv.client();
        fill(&mut c, &data);
        check_live(&mut c, &data); // the dataset's encodings are what we think
        assert_eq!(c.cmd(&["SAVE"]), Reply::Status("OK".into()));
        let p = parse_file(&dir.0.join("dump.rdb"));
        check_parsed(&p, &data);
        let ver = p
            .aux
            .iter()
            .find(|(k, _)| k == b"redis-ver")
            .map(|(_, v)| v.clone());
        assert_eq!(ver, Some(b("7.0.15")));
        // DUMP every key and parse the payload.
        for e in &data {
            c.ok(&[b"SELECT", e.db.to_string().as_bytes()]);
            let payload = c.cmd_bytes(&[b"DUMP", &e.key]).bytes();
            let v =
                parse_dump_payload(&payload).unwrap_or_else(|err| panic!("{:?}: {}", e.key, err));
            assert_eq!(normalize(&v), e.val);
        }
    }
}

// ---------------------------------------------------------------------------
// (b) Redis reading what we write
// ---------------------------------------------------------------------------

/// The ValueRef our writer uses for an entry, in the encoding Redis would
/// pick; owned storage is returned alongside.
enum Owned {
    S(Vec<u8>),
    Q(Vec<Vec<Vec<u8>>>),
    Set(Vec<Vec<u8>>),
    I(Vec<i64>),
    H(Vec<(Vec<u8>, Vec<u8>)>, bool),
    Z(Vec<(Vec<u8>, f64)>, bool),
    X(Box<Stream>),
}

fn owned_for(e: &Entry) -> Owned {
    match (&e.val, e.enc) {
        (Val::Str(s), _) => Owned::S(s.clone()),
        (Val::List(l), _) => Owned::Q(l.chunks(128).map(|c| c.to_vec()).collect()),
        (Val::Set(s), Some("intset")) => Owned::I(
            s.iter()
                .map(|x| std::str::from_utf8(x).unwrap().parse().unwrap())
                .collect(),
        ),
        (Val::Set(s), _) => Owned::Set(s.clone()),
        (Val::Hash(h), enc) => Owned::H(h.clone(), enc == Some("listpack")),
        (Val::ZSet(z), enc) => {
            let mut z = z.clone();
            z.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if enc != Some("listpack") {
                z.reverse(); // Redis writes skiplists highest first
            }
            Owned::Z(z, enc == Some("listpack"))
        }
    }
}

fn as_ref(o: &Owned) -> ValueRef<'_> {
    match o {
        Owned::S(s) => ValueRef::String(s),
        Owned::Q(n) => ValueRef::Quicklist(n),
        Owned::Set(s) => ValueRef::Set(s),
        Owned::I(i) => ValueRef::IntSet(i),
        Owned::H(h, true) => ValueRef::HashListpack(h),
        Owned::H(h, false) => ValueRef::Hash(h),
        Owned::Z(z, true) => ValueRef::ZSetListpack(z),
        Owned::Z(z, false) => ValueRef::ZSet(z),
        Owned::X(st) => ValueRef::Stream(st),
    }
}

fn write_dataset(path: &Path, data: &[Entry], opts: WriterOptions) {
    let f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut w = RdbWriter::new(f, opts);
    w.write_magic().unwrap();
    w.write_aux_fields(&ferrodis::persist::rdb::AuxFields {
        redis_ver: "7.0.15".into(),
        redis_bits: 64,
        ctime: 1_700_000_000,
        used_mem: 1_000_000,
        repl: None,
        aof_base: false,
    })
    .unwrap();
    let mut dbs: BTreeMap<u64, Vec<&Entry>> = BTreeMap::new();
    for e in data {
        dbs.entry(e.db).or_default().push(e);
    }
    for (db, entries) in dbs {
        w.select_db(db).unwrap();
        let expires = entries.iter().filter(|e| e.expire_ms.is_some()).count();
        w.resize_db(entries.len() as u64, expires as u64).unwrap();
        for e in entries {
            let o = owned_for(e);
            let meta = KeyMeta {
                expire_ms: e.expire_ms,
                ..Default::default()
            };
            w.write_key(&e.key, &meta, &as_ref(&o)).unwrap();
        }
    }
    w.finish().unwrap().flush().unwrap();
}

#[test]
fn redis_loads_what_we_write() {
    let Some(bin) = redis() else { return };
    let check_bin = find_bin("redis-check-rdb").expect("redis-check-rdb next to redis-server");
    let data = dataset();
    for opts in [
        WriterOptions {
            compression: true,
            checksum: true,
        },
        WriterOptions {
            compression: false,
            checksum: false,
        },
    ] {
        let dir = TempDir::new("write");
        let path = dir.0.join("ours.rdb");
        write_dataset(&path, &data, opts);
        // Our reader agrees with itself.
        check_parsed(&parse_file(&path), &data);
        // redis-check-rdb agrees.
        let out = Command::new(&check_bin).arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && text.contains("RDB looks OK"),
            "redis-check-rdb:\n{}",
            text
        );
        // redis-server loads it with the same values, TTLs and encodings.
        let srv = Redis::start(&bin, &dir.0, "ours.rdb", &[]);
        let mut c = srv.client();
        check_live(&mut c, &data);
        // And RESTOREs our DUMP payloads.
        c.ok(&[b"SELECT", b"1"]);
        for (i, e) in data.iter().enumerate() {
            let o = owned_for(e);
            let payload = dump_payload(&as_ref(&o), opts.compression);
            let k = format!("restored:{}", i).into_bytes();
            let r = c.cmd_bytes(&[b"RESTORE", &k, b"0", &payload]);
            assert_eq!(
                r,
                Reply::Status("OK".into()),
                "RESTORE of {:?}",
                String::from_utf8_lossy(&e.key)
            );
            // Compare through DUMP of the restored key, parsed by us.
            let back = c.cmd_bytes(&[b"DUMP", &k]).bytes();
            assert_eq!(normalize(&parse_dump_payload(&back).unwrap()), e.val);
            if let Some(enc) = e.enc {
                assert_eq!(
                    c.cmd_bytes(&[b"OBJECT", b"ENCODING", &k]).bytes(),
                    enc.as_bytes()
                );
            }
        }
        // A corrupted payload is refused with Redis's message.
        let mut bad = dump_payload(&ValueRef::String(b"x"), true);
        bad[1] ^= 1;
        assert_eq!(
            c.cmd_bytes(&[b"RESTORE", b"bad", b"0", &bad]),
            Reply::Error("ERR DUMP payload version or checksum are wrong".into())
        );
    }
}

// ---------------------------------------------------------------------------
// (c) Byte-for-byte comparison
// ---------------------------------------------------------------------------

/// Re-writes every item of a Redis-saved file with our writer (same AUX
/// values, same key order, each value in the encoding it was read from, same
/// quicklist node split) and expects the identical file, CRC included.
#[test]
fn our_bytes_equal_redis_bytes() {
    let Some(bin) = redis() else { return };
    let data = dataset();
    for compression in ["yes", "no"] {
        let dir = TempDir::new("bytes");
        let srv = Redis::start(&bin, &dir.0, "dump.rdb", &["--rdbcompression", compression]);
        let mut c = srv.client();
        fill(&mut c, &data);
        assert_eq!(c.cmd(&["SAVE"]), Reply::Status("OK".into()));
        rewrite_matches(&dir.0.join("dump.rdb"), compression == "yes");
    }
}

/// Re-writes every item of Redis-saved `file` with our writer (same AUX
/// values, same key order, each value in the encoding it was read from, same
/// quicklist node split) and expects the identical file, CRC included.
fn rewrite_matches(file: &Path, compression: bool) {
    let theirs = std::fs::read(file).unwrap();
    let p = parse_file(file);

    let opts = WriterOptions {
        compression,
        checksum: true,
    };
    let mut w = RdbWriter::new(Vec::new(), opts);
    w.write_magic().unwrap();
    // Offsets where each item starts in our output.
    let mut ours_at: Vec<u64> = vec![];
    for item in &p.items {
        ours_at.push(w.written());
        match item {
            RdbItem::Aux(k, v) => w.write_aux(k, v).unwrap(),
            RdbItem::SelectDb(n) => w.select_db(*n).unwrap(),
            RdbItem::ResizeDb {
                db_size,
                expires_size,
            } => w.resize_db(*db_size, *expires_size).unwrap(),
            RdbItem::Function(code) => w.write_function(code).unwrap(),
            RdbItem::Key {
                key,
                expire_ms,
                idle,
                freq,
                value,
                rdb_type,
                list_nodes,
            } => {
                let meta = KeyMeta {
                    expire_ms: *expire_ms,
                    idle: *idle,
                    freq: *freq,
                };
                let o = match (value, rdb_type) {
                    (RdbValue::String(s), _) => Owned::S(s.clone()),
                    (RdbValue::List(l), _) => {
                        let mut nodes = vec![];
                        let mut at = 0;
                        for &n in list_nodes {
                            nodes.push(l[at..at + n as usize].to_vec());
                            at += n as usize;
                        }
                        Owned::Q(nodes)
                    }
                    (RdbValue::Set(s), _) => Owned::Set(s.clone()),
                    (RdbValue::IntSet(i), _) => Owned::I(i.clone()),
                    (RdbValue::Hash(h), t) => Owned::H(h.clone(), *t == RdbType::HashListpack),
                    (RdbValue::ZSet(z), t) => Owned::Z(z.clone(), *t == RdbType::ZSetListpack),
                    (RdbValue::Stream(st), _) => Owned::X(st.clone()),
                };
                w.write_key(key, &meta, &as_ref(&o)).unwrap();
            }
            RdbItem::ModuleAux { .. } => panic!("no modules expected"),
            RdbItem::Eof => {}
        }
    }
    let ours = w.finish().unwrap();
    ours_at.push(ours.len() as u64);
    // Compare item by item (to name the culprit), then the whole file,
    // CRC included. In theory liblzf's uninitialised hash table could
    // let Redis find an LZF match we do not (see persist/lzf.rs); it has
    // not happened with this dataset.

    for (i, item) in p.items.iter().enumerate() {
        let a = &ours[ours_at[i] as usize..ours_at[i + 1] as usize];
        let b = &theirs[p.offsets[i] as usize..p.offsets[i + 1] as usize];
        if a != b {
            match item {
                RdbItem::Eof => {}
                other => panic!(
                    "rdbcompression {}: item {:?} differs: ours {:?} theirs {:?}",
                    compression,
                    short(other),
                    a,
                    b
                ),
            }
        }
    }

    assert_eq!(ours, theirs, "whole file incl. CRC");
}

/// Streams as Redis saves them (nodes with tombstones and both entry forms,
/// an emptied stream, consumer groups with pending entries and consumers):
/// we read them and write the same bytes back.
#[test]
fn stream_bytes_equal_redis_bytes() {
    let Some(bin) = redis() else { return };
    for compression in ["yes", "no"] {
        let dir = TempDir::new("streambytes");
        let srv = Redis::start(
            &bin,
            &dir.0,
            "dump.rdb",
            &[
                "--rdbcompression",
                compression,
                "--stream-node-max-entries",
                "7",
            ],
        );
        let mut c = srv.client();
        for i in 1..=40u32 {
            let v = format!("value-{i}-{}", "x".repeat(i as usize));
            let f = if i % 5 == 0 { "other" } else { "field" };
            c.cmd(&[
                "XADD",
                "s",
                &format!("{i}-{}", i % 3),
                f,
                &v,
                "n",
                &i.to_string(),
            ]);
        }
        c.cmd(&["XDEL", "s", "3-0", "9-0", "10-1"]);
        c.cmd(&["XADD", "emptied", "1-1", "a", "1"]);
        c.cmd(&["XDEL", "emptied", "1-1"]);
        c.cmd(&["XGROUP", "CREATE", "s", "readers", "0"]);
        c.cmd(&["XGROUP", "CREATE", "s", "late", "$", "ENTRIESREAD", "40"]);
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "readers",
            "alice",
            "COUNT",
            "4",
            "STREAMS",
            "s",
            ">",
        ]);
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "readers",
            "bob",
            "COUNT",
            "2",
            "STREAMS",
            "s",
            ">",
        ]);
        c.cmd(&["XGROUP", "CREATECONSUMER", "s", "late", "carol"]);
        c.cmd(&["XACK", "s", "readers", "2-2"]);
        assert_eq!(c.cmd(&["XLEN", "s"]), Reply::Int(37));
        assert!(matches!(c.cmd(&["XINFO", "GROUPS", "s"]), Reply::Array(Some(g)) if g.len() == 2));
        assert_eq!(c.cmd(&["SAVE"]), Reply::Status("OK".into()));
        rewrite_matches(&dir.0.join("dump.rdb"), compression == "yes");
    }
}

fn short(item: &RdbItem) -> String {
    let s = format!("{:?}", item);
    s.chars().take(200).collect()
}

/// DUMP payloads: ours equal Redis's for keys whose element order is
/// deterministic (strings, compact encodings).
#[test]
fn dump_bytes_equal_redis() {
    let Some(bin) = redis() else { return };
    let data = dataset();
    let dir = TempDir::new("dumpbytes");
    let srv = Redis::start(&bin, &dir.0, "dump.rdb", &[]);
    let mut c = srv.client();
    fill(&mut c, &data);
    for e in &data {
        if matches!(e.enc, Some("hashtable") | Some("skiplist")) {
            continue;
        }
        c.ok(&[b"SELECT", e.db.to_string().as_bytes()]);
        let theirs = c.cmd_bytes(&[b"DUMP", &e.key]).bytes();
        let obj = parse_dump_payload_object(&theirs).unwrap();
        let o = match (&e.val, e.enc) {
            (Val::List(l), _) => {
                let mut nodes = vec![];
                let mut at = 0;
                for &n in &obj.list_nodes {
                    nodes.push(l[at..at + n as usize].to_vec());
                    at += n as usize;
                }
                Owned::Q(nodes)
            }
            _ => owned_for(e),
        };
        let ours = dump_payload(&as_ref(&o), true);
        assert_eq!(ours, theirs, "DUMP of {}", String::from_utf8_lossy(&e.key));
    }
}
