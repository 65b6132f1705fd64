//! Unit tests for the RDB codec: encodings, writer → reader round trips of
//! every type, old encodings built by hand, and hostile input (truncation at
//! every offset, bit flips, random garbage).

use super::*;

fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed | 1;
    move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn v(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn string_bytes(s: &[u8], compression: bool) -> Vec<u8> {
    let mut w = RdbWriter::new(
        Vec::new(),
        WriterOptions {
            compression,
            checksum: true,
        },
    );
    w.write_string(s).unwrap();
    w.into_inner().unwrap()
}

fn read_all(data: &[u8]) -> Result<Vec<RdbItem>, RdbError> {
    let r = RdbReader::new(data, ReaderOptions::default())?;
    r.collect()
}

#[test]
fn length_encodings() {
    let cases: [(u64, &[u8]); 7] = [
        (0, &[0x00]),
        (63, &[0x3F]),
        (64, &[0x40, 0x40]),
        (16383, &[0x7F, 0xFF]),
        (16384, &[0x80, 0, 0, 0x40, 0]),
        (u32::MAX as u64, &[0x80, 0xFF, 0xFF, 0xFF, 0xFF]),
        (1 << 32, &[0x81, 0, 0, 0, 1, 0, 0, 0, 0]),
    ];
    for (n, want) in cases {
        let mut buf = [0u8; 9];
        let k = encode_len(&mut buf, n);
        assert_eq!(&buf[..k], want, "len {}", n);
        let mut src = Source::new(want, 16);
        assert_eq!(read_len(&mut src).unwrap(), n);
    }
}

#[test]
fn string_encodings() {
    assert_eq!(string_bytes(b"0", true), vec![0xC0, 0]);
    assert_eq!(string_bytes(b"-128", true), vec![0xC0, 0x80]);
    assert_eq!(string_bytes(b"128", true), vec![0xC1, 0x80, 0]);
    assert_eq!(
        string_bytes(b"-32769", true),
        vec![0xC2, 0xFF, 0x7F, 0xFF, 0xFF]
    );
    assert_eq!(
        string_bytes(b"2147483647", true),
        vec![0xC2, 0xFF, 0xFF, 0xFF, 0x7F]
    );
    // Fits no 32-bit encoding, or not canonical, or longer than 11: raw.
    assert_eq!(
        string_bytes(b"2147483648", true),
        [&[10u8][..], b"2147483648"].concat()
    );
    assert_eq!(string_bytes(b"007", true), vec![3, b'0', b'0', b'7']);
    assert_eq!(string_bytes(b"-0", true), vec![2, b'-', b'0']);
    assert_eq!(string_bytes(b"+1", true), vec![2, b'+', b'1']);
    assert_eq!(string_bytes(b"", true), vec![0]);
    // LZF only above 20 bytes and when on.
    let s = vec![b'a'; 20];
    assert_eq!(string_bytes(&s, true)[0], 20);
    let s = vec![b'a'; 21];
    assert_eq!(string_bytes(&s, true)[0], 0xC3);
    assert_eq!(string_bytes(&s, false)[0], 21);
    // Incompressible: raw even with compression on.
    let mut r = rng(3);
    let s: Vec<u8> = (0..100).map(|_| r() as u8).collect();
    assert_eq!(string_bytes(&s, true)[..2], [0x40, 100]);
    // And they all read back.
    for s in [&b"12"[..], b"-70000", b"007", &[b'z'; 500], &s] {
        for c in [true, false] {
            let b = string_bytes(s, c);
            let mut src = Source::new(&b[..], 16);
            assert_eq!(read_string(&mut src).unwrap(), s);
        }
    }
}

/// One key of every written encoding, plus metadata variants.
fn sample_keys() -> Vec<(Vec<u8>, KeyMeta, OwnedValue)> {
    let big_list: Vec<Vec<u8>> = (0..300)
        .map(|i| format!("item-{}", i).into_bytes())
        .collect();
    vec![
        (v("str"), KeyMeta::default(), OwnedValue::String(v("hello"))),
        (
            v("int"),
            KeyMeta {
                expire_ms: Some(1_900_000_000_123),
                ..Default::default()
            },
            OwnedValue::String(v("-42")),
        ),
        (
            v("long"),
            KeyMeta {
                idle: Some(77),
                ..Default::default()
            },
            OwnedValue::String(b"xyz".repeat(100)),
        ),
        (
            v("freq"),
            KeyMeta {
                freq: Some(5),
                ..Default::default()
            },
            OwnedValue::String(vec![0, 1, 2, 255]),
        ),
        (
            v("list"),
            KeyMeta::default(),
            OwnedValue::Quicklist(vec![
                vec![v("a"), v("1"), v("-5000"), b"q".repeat(5000)],
                big_list,
            ]),
        ),
        (
            v("set"),
            KeyMeta::default(),
            OwnedValue::Set(vec![v("x"), v("y"), v("12")]),
        ),
        (
            v("iset"),
            KeyMeta::default(),
            OwnedValue::IntSet(vec![1, -70000, 5]),
        ),
        (
            v("hash"),
            KeyMeta::default(),
            OwnedValue::Hash(vec![(v("f"), v("v")), (v("n"), v("99999999999"))]),
        ),
        (
            v("hlp"),
            KeyMeta::default(),
            OwnedValue::HashListpack(vec![(v("f"), v("v")), (v("7"), b"w".repeat(70))]),
        ),
        (
            v("zset"),
            KeyMeta::default(),
            OwnedValue::ZSet(vec![(v("c"), 3.5), (v("b"), f64::INFINITY), (v("a"), -0.0)]),
        ),
        (
            v("zlp"),
            KeyMeta::default(),
            OwnedValue::ZSetListpack(vec![
                (v("m1"), -1.0),
                (v("m2"), 0.1),
                (v("m3"), 1e300),
                (v("m4"), 5e15),
            ]),
        ),
    ]
}

/// Owned form of ValueRef for tests.
enum OwnedValue {
    String(Vec<u8>),
    Quicklist(Vec<Vec<Vec<u8>>>),
    Set(Vec<Vec<u8>>),
    IntSet(Vec<i64>),
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
    HashListpack(Vec<(Vec<u8>, Vec<u8>)>),
    ZSet(Vec<(Vec<u8>, f64)>),
    ZSetListpack(Vec<(Vec<u8>, f64)>),
}

impl OwnedValue {
    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            OwnedValue::String(s) => ValueRef::String(s),
            OwnedValue::Quicklist(n) => ValueRef::Quicklist(n),
            OwnedValue::Set(s) => ValueRef::Set(s),
            OwnedValue::IntSet(s) => ValueRef::IntSet(s),
            OwnedValue::Hash(h) => ValueRef::Hash(h),
            OwnedValue::HashListpack(h) => ValueRef::HashListpack(h),
            OwnedValue::ZSet(z) => ValueRef::ZSet(z),
            OwnedValue::ZSetListpack(z) => ValueRef::ZSetListpack(z),
        }
    }

    fn expected(&self) -> RdbValue {
        match self {
            OwnedValue::String(s) => RdbValue::String(s.clone()),
            OwnedValue::Quicklist(n) => RdbValue::List(n.concat()),
            OwnedValue::Set(s) => RdbValue::Set(s.clone()),
            OwnedValue::IntSet(s) => {
                let mut s = s.clone();
                s.sort();
                RdbValue::IntSet(s)
            }
            OwnedValue::Hash(h) | OwnedValue::HashListpack(h) => RdbValue::Hash(h.clone()),
            OwnedValue::ZSet(z) | OwnedValue::ZSetListpack(z) => RdbValue::ZSet(z.clone()),
        }
    }
}

fn aux() -> AuxFields {
    AuxFields {
        redis_ver: "7.0.15".into(),
        redis_bits: 64,
        ctime: 1_700_000_000,
        used_mem: 1_234_567,
        repl: Some(ReplAux {
            stream_db: 0,
            replid: "a".repeat(40),
            offset: 0,
        }),
        aof_base: false,
    }
}

fn sample_file(opts: WriterOptions) -> Vec<u8> {
    let mut w = RdbWriter::new(Vec::new(), opts);
    w.write_magic().unwrap();
    w.write_aux_fields(&aux()).unwrap();
    w.write_function(b"#!lua name=lib\nredis.register_function('f', function() return 1 end)")
        .unwrap();
    let keys = sample_keys();
    w.select_db(0).unwrap();
    w.resize_db(keys.len() as u64, 1).unwrap();
    for (k, m, val) in &keys {
        w.write_key(k, m, &val.as_ref()).unwrap();
    }
    w.select_db(9).unwrap();
    w.resize_db(1, 0).unwrap();
    w.write_key(b"other", &KeyMeta::default(), &ValueRef::String(b"db9"))
        .unwrap();
    w.finish().unwrap()
}

#[test]
fn writer_reader_round_trip() {
    for opts in [
        WriterOptions {
            compression: true,
            checksum: true,
        },
        WriterOptions {
            compression: false,
            checksum: true,
        },
        WriterOptions {
            compression: true,
            checksum: false,
        },
    ] {
        let file = sample_file(opts);
        assert_eq!(&file[..9], b"REDIS0010");
        let trailer = u64::from_le_bytes(file[file.len() - 8..].try_into().unwrap());
        if opts.checksum {
            assert_eq!(trailer, crc64::crc64(&file[..file.len() - 8]));
        } else {
            assert_eq!(trailer, 0);
        }
        let items = read_all(&file).unwrap();
        let mut it = items.into_iter();
        let a = aux();
        let want_aux: Vec<(&str, String)> = vec![
            ("redis-ver", a.redis_ver.clone()),
            ("redis-bits", "64".into()),
            ("ctime", "1700000000".into()),
            ("used-mem", "1234567".into()),
            ("repl-stream-db", "0".into()),
            ("repl-id", "a".repeat(40)),
            ("repl-offset", "0".into()),
            ("aof-base", "0".into()),
        ];
        for (k, val) in want_aux {
            assert_eq!(it.next().unwrap(), RdbItem::Aux(v(k), val.into_bytes()));
        }
        assert!(matches!(it.next().unwrap(), RdbItem::Function(_)));
        assert_eq!(it.next().unwrap(), RdbItem::SelectDb(0));
        assert_eq!(
            it.next().unwrap(),
            RdbItem::ResizeDb {
                db_size: 11,
                expires_size: 1
            }
        );
        for (k, m, val) in sample_keys() {
            match it.next().unwrap() {
                RdbItem::Key {
                    key,
                    expire_ms,
                    idle,
                    freq,
                    value,
                    rdb_type,
                    list_nodes,
                } => {
                    assert_eq!(key, k);
                    assert_eq!((expire_ms, idle, freq), (m.expire_ms, m.idle, m.freq));
                    assert_eq!(rdb_type, val.as_ref().rdb_type());
                    if let RdbValue::ZSet(z) = &value {
                        // Compare bitwise to keep -0.0 apart from 0.0.
                        let RdbValue::ZSet(want) = val.expected() else {
                            unreachable!()
                        };
                        assert_eq!(z.len(), want.len());
                        for (a, b) in z.iter().zip(want.iter()) {
                            assert_eq!(a.0, b.0);
                            assert_eq!(a.1.to_bits(), b.1.to_bits(), "{:?}", a);
                        }
                    } else {
                        assert_eq!(
                            value,
                            val.expected(),
                            "key {:?}",
                            String::from_utf8_lossy(&k)
                        );
                    }
                    if let OwnedValue::Quicklist(n) = &val {
                        assert_eq!(
                            list_nodes,
                            n.iter().map(|x| x.len() as u32).collect::<Vec<_>>()
                        );
                    }
                }
                other => panic!("expected key, got {:?}", other),
            }
        }
        assert_eq!(it.next().unwrap(), RdbItem::SelectDb(9));
        assert!(matches!(it.next().unwrap(), RdbItem::ResizeDb { .. }));
        assert!(matches!(it.next().unwrap(), RdbItem::Key { .. }));
        assert_eq!(it.next().unwrap(), RdbItem::Eof);
        assert!(it.next().is_none());
    }
}

#[test]
fn zset_listpack_scores_as_redis_stores_them() {
    // Integer scores become listpack integers, others %.17g text.
    let z = vec![
        (v("a"), 1.0),
        (v("b"), 0.1),
        (v("c"), -0.0),
        (v("d"), f64::NEG_INFINITY),
    ];
    let mut w = RdbWriter::new(
        Vec::new(),
        WriterOptions {
            compression: false,
            checksum: false,
        },
    );
    w.write_value_body(&ValueRef::ZSetListpack(&z)).unwrap();
    let b = w.into_inner().unwrap();
    let mut src = Source::new(&b[..], 16);
    let blob = read_string(&mut src).unwrap();
    let els = listpack::decode(&blob).unwrap();
    assert_eq!(els[1], listpack::Entry::Int(1));
    assert_eq!(els[3], listpack::Entry::Str(b"0.10000000000000001"));
    assert_eq!(els[5], listpack::Entry::Str(b"-0"));
    assert_eq!(els[7], listpack::Entry::Str(b"-inf"));
}

/// Builds a file with arbitrary version and raw items, for old encodings.
fn handmade(version: u32, body: &[u8]) -> Vec<u8> {
    let mut f = format!("REDIS{:04}", version).into_bytes();
    f.extend_from_slice(body);
    f.push(RDB_OPCODE_EOF);
    if version >= 5 {
        let crc = crc64::crc64(&f);
        f.extend_from_slice(&crc.to_le_bytes());
    }
    f
}

fn raw_str(s: &[u8]) -> Vec<u8> {
    string_bytes(s, false)
}

fn only_key(file: &[u8]) -> (RdbValue, RdbType, Option<i64>) {
    let items = read_all(file).unwrap();
    for i in items {
        if let RdbItem::Key {
            value,
            rdb_type,
            expire_ms,
            ..
        } = i
        {
            return (value, rdb_type, expire_ms);
        }
    }
    panic!("no key");
}

#[test]
fn old_encodings() {
    let mut pairs = Vec::new();
    // RDB_TYPE_LIST (plain), with an old EXPIRETIME in seconds.
    let mut b = vec![RDB_OPCODE_EXPIRETIME];
    b.extend_from_slice(&1_500_000_000i32.to_le_bytes());
    b.push(1);
    b.extend(raw_str(b"k"));
    b.push(2);
    b.extend(raw_str(b"a"));
    b.extend(string_bytes(b"123", false));
    let (val, t, exp) = only_key(&handmade(6, &b));
    assert_eq!(
        (val, t, exp),
        (
            RdbValue::List(vec![v("a"), v("123")]),
            RdbType::List,
            Some(1_500_000_000_000)
        )
    );
    pairs.push(());

    // RDB_TYPE_ZSET with text doubles, including inf.
    let mut b = vec![3];
    b.extend(raw_str(b"z"));
    b.push(2);
    b.extend(raw_str(b"m"));
    b.push(3);
    b.extend_from_slice(b"1.5");
    b.extend(raw_str(b"n"));
    b.push(254);
    let (val, _, _) = only_key(&handmade(3, &b));
    assert_eq!(
        val,
        RdbValue::ZSet(vec![(v("m"), 1.5), (v("n"), f64::INFINITY)])
    );

    // Ziplist list, zset and hash; zipmap hash; quicklist v1.
    let zl = ziplist::encode_for_tests(&[&b"x"[..], b"7", b"-3"]);
    let mut b = vec![RdbType::ListZiplist as u8];
    b.extend(raw_str(b"l"));
    b.extend(raw_str(&zl));
    assert_eq!(
        only_key(&handmade(9, &b)).0,
        RdbValue::List(vec![v("x"), v("7"), v("-3")])
    );

    let zl = ziplist::encode_for_tests(&[&b"m"[..], b"2", b"n", b"2.5"]);
    let mut b = vec![RdbType::ZSetZiplist as u8];
    b.extend(raw_str(b"z"));
    b.extend(raw_str(&zl));
    assert_eq!(
        only_key(&handmade(9, &b)).0,
        RdbValue::ZSet(vec![(v("m"), 2.0), (v("n"), 2.5)])
    );

    let zl = ziplist::encode_for_tests(&[&b"f"[..], b"v", b"g", b"1"]);
    let mut b = vec![RdbType::HashZiplist as u8];
    b.extend(raw_str(b"h"));
    b.extend(raw_str(&zl));
    assert_eq!(
        only_key(&handmade(9, &b)).0,
        RdbValue::Hash(vec![(v("f"), v("v")), (v("g"), v("1"))])
    );

    let zm = ziplist::encode_zipmap_for_tests(&[(b"f", b"v")]);
    let mut b = vec![RdbType::HashZipmap as u8];
    b.extend(raw_str(b"h"));
    b.extend(raw_str(&zm));
    assert_eq!(
        only_key(&handmade(2, &b)).0,
        RdbValue::Hash(vec![(v("f"), v("v"))])
    );

    let mut b = vec![RdbType::ListQuicklist as u8];
    b.extend(raw_str(b"q"));
    b.push(3);
    b.extend(string_bytes(
        &ziplist::encode_for_tests(&[&b"a"[..], b"b"]),
        true,
    ));
    b.extend(raw_str(&ziplist::encode_for_tests::<&[u8]>(&[])));
    b.extend(string_bytes(
        &ziplist::encode_for_tests(&[b"c".repeat(100)]),
        true,
    ));
    let items = read_all(&handmade(8, &b)).unwrap();
    match &items[0] {
        RdbItem::Key {
            value, list_nodes, ..
        } => {
            assert_eq!(
                *value,
                RdbValue::List(vec![v("a"), v("b"), b"c".repeat(100)])
            );
            assert_eq!(*list_nodes, vec![2, 1]);
        }
        other => panic!("{:?}", other),
    }

    // Quicklist 2 with a plain node.
    let mut b = vec![RdbType::ListQuicklist2 as u8];
    b.extend(raw_str(b"q"));
    b.push(2);
    b.push(1);
    b.extend(raw_str(b"plain element"));
    b.push(2);
    b.extend(raw_str(&listpack::encode(&[&b"p"[..]])));
    assert_eq!(
        only_key(&handmade(10, &b)).0,
        RdbValue::List(vec![v("plain element"), v("p")])
    );

    // Module aux is skipped; FUNCTION2 comes out.
    let mut b = vec![RDB_OPCODE_MODULE_AUX, 0x81];
    b.extend_from_slice(&0x1234_5678_9abc_def0u64.to_be_bytes());
    b.extend_from_slice(&[2, 2, 5]); // when opcode UINT, when = 2, STRING
    b.extend(raw_str(b"blob"));
    b.extend_from_slice(&[4, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // DOUBLE + EOF
    b.push(RdbType::String as u8);
    b.extend(raw_str(b"k"));
    b.extend(raw_str(b"v"));
    let items = read_all(&handmade(10, &b)).unwrap();
    assert!(matches!(items[0], RdbItem::ModuleAux { .. }));
    assert!(matches!(items[1], RdbItem::Key { .. }));
}

#[test]
fn refused_types_and_versions() {
    let err = |f: &[u8]| read_all(f).unwrap_err();
    assert!(matches!(err(b"REDIX0010").kind, RdbErrorKind::BadMagic));
    assert!(matches!(
        err(b"REDIS0011").kind,
        RdbErrorKind::UnsupportedVersion(11)
    ));
    assert!(matches!(
        err(b"REDIS0000").kind,
        RdbErrorKind::UnsupportedVersion(0)
    ));
    assert!(matches!(err(b"REDIS").kind, RdbErrorKind::Truncated));

    // Streams load (tests/diff_stream.rs, tests/rdb_format.rs); broken
    // ones are refused with what is wrong.
    let stream_with = |node_key: &[u8], node: &[u8]| {
        let mut b = vec![RdbType::StreamListpacks2 as u8];
        b.extend(raw_str(b"s"));
        b.push(1);
        b.extend(raw_str(node_key));
        b.extend(raw_str(node));
        b.push(0);
        handmade(10, &b)
    };
    let e = err(&stream_with(b"short", b""));
    assert!(e.to_string().contains("not the size of a stream ID"), "{e}");
    let e = err(&stream_with(&[0u8; 16], b"not a listpack"));
    assert!(
        e.to_string()
            .contains("Stream listpack integrity check failed"),
        "{e}"
    );
    // A well-formed listpack that is no stream node: [1, 0, 0, 0] says one
    // live entry, but there is none.
    let lp = crate::persist::listpack::encode(&[&b"1"[..], b"0", b"0", b"0"]);
    let e = err(&stream_with(&[0u8; 16], &lp));
    assert!(e.to_string().contains("counts do not match"), "{e}");
    let mut b = vec![RdbType::Module2 as u8];
    b.extend(raw_str(b"m"));
    b.push(0x81);
    b.extend_from_slice(&u64::MAX.to_be_bytes());
    let e = err(&handmade(10, &b));
    assert!(e.to_string().contains("module '_________'"), "{}", e);
    let e = err(&handmade(10, &[100]));
    assert!(matches!(e.kind, RdbErrorKind::UnknownType(100)));
    assert_eq!(e.offset, Some(9));
}

#[test]
fn checksum_mismatch_and_zero() {
    let mut f = sample_file(WriterOptions::default());
    let n = f.len();
    f[n - 1] ^= 1;
    assert!(matches!(
        read_all(&f).unwrap_err().kind,
        RdbErrorKind::BadChecksum { .. }
    ));
    // Verification off: accepted.
    let r = RdbReader::new(
        &f[..],
        ReaderOptions {
            verify_checksum: false,
        },
    )
    .unwrap();
    assert!(r.collect::<Result<Vec<_>, _>>().is_ok());
    // Stored 0 means "not computed".
    f[n - 8..].copy_from_slice(&[0; 8]);
    assert!(read_all(&f).is_ok());
}

#[test]
fn truncation_at_every_offset_errors() {
    for opts in [
        WriterOptions::default(),
        WriterOptions {
            compression: false,
            checksum: true,
        },
    ] {
        let f = sample_file(opts);
        for n in 0..f.len() {
            let e = read_all(&f[..n]);
            assert!(e.is_err(), "truncated at {} of {} read fine", n, f.len());
        }
        assert!(read_all(&f).is_ok());
    }
}

#[test]
fn bit_flips_detected() {
    let f = sample_file(WriterOptions::default());
    let mut r = rng(99);
    for _ in 0..3000 {
        let mut g = f.clone();
        let i = (r() as usize) % (g.len() - 8); // flips in the trailer are a separate test
        g[i] ^= 1 << (r() % 8);
        assert!(read_all(&g).is_err(), "flip at {} undetected", i);
    }
}

#[test]
fn random_garbage_never_panics() {
    let mut r = rng(1234);
    let f = sample_file(WriterOptions::default());
    for round in 0..20000 {
        let data: Vec<u8> = if round % 2 == 0 {
            // Valid header then noise.
            let mut d = b"REDIS0010".to_vec();
            let n = (r() % 64) as usize;
            d.extend((0..n).map(|_| r() as u8));
            d
        } else {
            // Real file with several random bytes overwritten.
            let mut d = f.clone();
            for _ in 0..(1 + r() % 4) {
                let i = (r() as usize) % d.len();
                d[i] = r() as u8;
            }
            d
        };
        let _ = read_all(&data);
        let _ = RdbReader::new(
            &data[..],
            ReaderOptions {
                verify_checksum: false,
            },
        )
        .map(|r| r.count());
        let _ = parse_dump_payload(&data);
    }
}

#[test]
fn huge_lengths_do_not_allocate() {
    // A string claiming 2^62 bytes, a list claiming 2^40 elements, an LZF
    // string claiming 4 GiB from 3 bytes: all must fail quickly.
    let mut b = vec![0u8];
    b.extend(raw_str(b"k"));
    b.push(0x81);
    b.extend_from_slice(&(1u64 << 62).to_be_bytes());
    assert!(matches!(
        read_all(&handmade(10, &b)).unwrap_err().kind,
        RdbErrorKind::Truncated
    ));
    let mut b = vec![1u8];
    b.extend(raw_str(b"k"));
    b.push(0x81);
    b.extend_from_slice(&(1u64 << 40).to_be_bytes());
    assert!(read_all(&handmade(10, &b)).is_err());
    let mut b = vec![0u8];
    b.extend(raw_str(b"k"));
    b.extend_from_slice(&[0xC3, 3, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0, b'a', 0]);
    assert!(matches!(
        read_all(&handmade(10, &b)).unwrap_err().kind,
        RdbErrorKind::Corrupt(_)
    ));
}

#[test]
fn duplicates_and_nan_refused() {
    let mut b = vec![RdbType::Set as u8];
    b.extend(raw_str(b"s"));
    b.push(2);
    b.extend(raw_str(b"a"));
    b.extend(raw_str(b"a"));
    assert!(read_all(&handmade(10, &b))
        .unwrap_err()
        .to_string()
        .contains("Duplicate"));
    let mut b = vec![RdbType::ZSet2 as u8];
    b.extend(raw_str(b"z"));
    b.push(1);
    b.extend(raw_str(b"a"));
    b.extend_from_slice(&f64::NAN.to_le_bytes());
    assert!(read_all(&handmade(10, &b))
        .unwrap_err()
        .to_string()
        .contains("NAN"));
}

#[test]
fn dump_payloads() {
    for (_, _, val) in sample_keys() {
        for c in [true, false] {
            let p = dump_payload(&val.as_ref(), c);
            assert_eq!(&p[p.len() - 10..p.len() - 8], &[10, 0]);
            let o = parse_dump_payload_object(&p).unwrap();
            assert_eq!(o.rdb_type, val.as_ref().rdb_type());
            if !matches!(val, OwnedValue::ZSet(_) | OwnedValue::ZSetListpack(_)) {
                assert_eq!(o.value, val.expected());
            }
            let mut bad = p.clone();
            bad[0] ^= 0x40;
            assert!(parse_dump_payload(&bad).is_err());
            for n in 0..p.len() {
                assert!(parse_dump_payload(&p[..n]).is_err());
            }
        }
    }
    // Known payload: DUMP of SET k "hello" in Redis 7.0.
    let p = dump_payload(&ValueRef::String(b"hello"), true);
    assert_eq!(&p[..8], &[0x00, 0x05, b'h', b'e', b'l', b'l', b'o', 0x0a]);
    // Version 11 refused even with a matching CRC.
    let mut p = dump_payload(&ValueRef::String(b"x"), true);
    let n = p.len();
    p[n - 10] = 11;
    let crc = crc64::crc64(&p[..n - 8]);
    p[n - 8..].copy_from_slice(&crc.to_le_bytes());
    assert!(matches!(
        parse_dump_payload(&p).unwrap_err().kind,
        RdbErrorKind::UnsupportedVersion(11)
    ));
}

#[test]
fn module_names() {
    // "mymodule1" packed with encver 3.
    let cset = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut id = 0u64;
    for c in b"mymodule1" {
        id = (id << 6) | cset.iter().position(|x| x == c).unwrap() as u64;
    }
    id = (id << 10) | 3;
    assert_eq!(module_name(id), "mymodule1");
}
