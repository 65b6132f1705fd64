//! Unit tests of the configuration: lexer, every type's errors, aliases,
//! include, command-line conversion, CONFIG GET/SET/REWRITE.

use super::*;

fn load_text(text: &str) -> Result<(Config, Vec<String>), ConfigError> {
    Config::load(None, text)
}

fn load_err(text: &str) -> String {
    match load_text(text) {
        Ok(_) => panic!("expected an error for {:?}", text),
        Err(e) => e.to_string(),
    }
}

fn sv(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ferrodis-config-{}-{}", tag, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn get1(c: &Config, name: &str) -> String {
    c.get_one(name).unwrap()
}

#[test]
fn lexer_quotes_and_escapes() {
    let s = |l: &str| split_args(l.as_bytes());
    assert_eq!(
        s("  a  b\tc "),
        Some(vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()])
    );
    assert_eq!(
        s(r#""a b" 'c d'"#),
        Some(vec![b"a b".to_vec(), b"c d".to_vec()])
    );
    assert_eq!(
        s(r#""\n\r\t\b\a\\\"\x41\xzz""#),
        Some(vec![b"\n\r\t\x08\x07\\\"Axzz".to_vec()])
    );
    assert_eq!(
        s(r"'it\'s' '\n'"),
        Some(vec![b"it's".to_vec(), b"\\n".to_vec()])
    );
    assert_eq!(s(r#""""#), Some(vec![Vec::new()]));
    assert_eq!(s(r#"a"b c"d"#), None); // closing quote glued to text
    assert_eq!(
        s(r#"a"b c" d"#),
        Some(vec![b"ab c".to_vec(), b"d".to_vec()])
    );
    assert_eq!(s(r#""abc"#), None);
    assert_eq!(s("'abc"), None);
    assert_eq!(s(r#""abc"x"#), None);
    assert_eq!(s(""), Some(vec![]));
    // repr round-trips arbitrary bytes.
    let raw = b"a \"q\" \\ \x01\xff\n".to_vec();
    assert_eq!(split_args(repr(&raw).as_bytes()), Some(vec![raw]));
}

#[test]
fn fatal_error_format() {
    assert_eq!(
        load_err("port abc"),
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port abc'\nargument couldn't be parsed into an integer"
    );
    let dir = tmpdir("fatal");
    let f = dir.join("bad.conf");
    std::fs::write(&f, "# c\n  port 70000  \n").unwrap();
    let e = Config::load(Some(f.to_str().unwrap()), "").unwrap_err();
    assert_eq!(e.line, Some((2, "port 70000".to_string())));
    assert_eq!(e.reason, "argument must be between 0 and 65535 inclusive");
    let e = Config::load(Some("/nonexistent/x.conf"), "").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Fatal error, can't open config file '/nonexistent/x.conf': No such file or directory"
    );
}

#[test]
fn parse_errors_per_type() {
    let reason = |t: &str| load_text(t).unwrap_err().reason;
    assert_eq!(reason("port 1 2"), "wrong number of arguments");
    assert_eq!(
        reason("foo bar"),
        "Bad directive or wrong number of arguments"
    );
    assert_eq!(
        reason("port \"12"),
        "Unbalanced quotes in configuration line"
    );
    assert_eq!(
        reason("loglevel foo"),
        "argument(s) must be one of the following: debug, verbose, notice, warning"
    );
    assert_eq!(reason("maxmemory abc"), "argument must be a memory value");
    assert_eq!(reason("maxmemory -1"), "argument must be a memory value");
    assert_eq!(reason("maxmemory 1.5gb"), "argument must be a memory value");
    assert_eq!(
        reason("maxmemory-clients abc"),
        "argument must be a memory or percent value"
    );
    assert_eq!(
        reason("maxmemory-clients 200%"),
        "percentage argument must be less or equal to 100"
    );
    assert_eq!(reason("daemonize maybe"), "argument must be 'yes' or 'no'");
    assert_eq!(
        reason("unixsocketperm 999"),
        "argument couldn't be parsed as an octal number"
    );
    assert_eq!(
        reason("unixsocketperm 1000"),
        "argument must be between 0 and 777 inclusive"
    );
    assert_eq!(reason("save 0 1"), "Invalid save parameters");
    assert_eq!(reason("save 10"), "Invalid save parameters");
    assert_eq!(
        reason("dir /nonexistent-ferrodis"),
        "No such file or directory"
    );
    assert_eq!(reason("dir /etc/passwd"), "Not a directory");
    assert_eq!(
        reason("dbfilename a/b"),
        "dbfilename can't be a path, just a filename"
    );
    assert_eq!(reason("replicaof localhost abc"), "Invalid master port");
    assert_eq!(
        reason("client-output-buffer-limit foo 1 2 3"),
        "Invalid client class specified in buffer limit configuration."
    );
    assert_eq!(
        reason("client-output-buffer-limit normal 1 2"),
        "Wrong number of arguments in buffer limit configuration."
    );
    assert_eq!(
        reason("client-output-buffer-limit master 1 2 3"),
        "Invalid client class specified in buffer limit configuration."
    );
    assert_eq!(
        reason("notify-keyspace-events Z"),
        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
    );
    assert_eq!(
        reason("oom-score-adj-values 1 2"),
        "wrong number of arguments"
    );
    assert_eq!(
        reason("oom-score-adj-values 1 2 x"),
        "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
    );
    assert_eq!(
        reason("shutdown-on-sigint foo"),
        "argument(s) must be one of the following: default, save, nosave, now, force"
    );
    assert_eq!(
        reason("maxclients 0"),
        "argument must be between 1 and 4294967295 inclusive"
    );
    assert_eq!(
        reason("slowlog-log-slower-than -2"),
        "argument must be between -1 and 9223372036854775807 inclusive"
    );
    assert_eq!(
        reason("port 0123"),
        "argument couldn't be parsed into an integer"
    );
    assert_eq!(reason("user"), "Bad directive or wrong number of arguments");
    assert_eq!(
        reason("sentinel monitor x"),
        "sentinel directive while not in sentinel mode"
    );
    assert_eq!(reason("a.b"), "Module config specified without value");
    assert_eq!(
        reason("latency-tracking-info-percentiles 200"),
        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
    );
    assert_eq!(
        reason("propagation-error-behavior x"),
        "argument(s) must be one of the following: ignore, panic, panic-on-replicas"
    );
    // Deprecated directives are skipped, so the error is on line 4 (+1).
    let e = load_text(
        "list-max-ziplist-entries 5\nlist-max-ziplist-value 5\nlua-replicate-commands yes\nport x",
    )
    .unwrap_err();
    assert_eq!(e.line.map(|l| l.0), Some(5));
}

#[test]
fn aliases_and_case() {
    let (c, _) = load_text("SLAVE-READ-ONLY no\nhash-max-ziplist-entries 100\nlist-max-ziplist-size 7\nslaveof 10.0.0.1 6380\nslave-priority 3\nmin-slaves-to-write 2\nzset-max-ziplist-value 1kb\nLogLevel WARNING").unwrap();
    assert!(!c.replica_read_only);
    assert_eq!(c.hash_max_listpack_entries, 100);
    assert_eq!(c.list_max_listpack_size, 7);
    assert_eq!(c.replicaof, Some(("10.0.0.1".to_string(), 6380)));
    assert_eq!(c.replica_priority, 3);
    assert_eq!(c.min_replicas_to_write, 2);
    assert_eq!(c.zset_max_listpack_value, 1024);
    assert_eq!(c.loglevel, "warning");
    assert_eq!(get1(&c, "slaveof"), "10.0.0.1 6380");
    assert_eq!(get1(&c, "hash-max-ziplist-entries"), "100");
}

#[test]
fn defaults_match_redis() {
    let c = Config::default();
    let want = [
        ("bind", "* -::*"),
        ("save", "3600 1 300 100 60 10000"),
        (
            "client-output-buffer-limit",
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
        ),
        ("port", "6379"),
        ("maxmemory", "0"),
        ("maxmemory-clients", "0"),
        ("unixsocketperm", "0"),
        ("proto-max-bulk-len", "536870912"),
        ("client-query-buffer-limit", "1073741824"),
        ("active-defrag-ignore-bytes", "104857600"),
        ("auto-aof-rewrite-min-size", "67108864"),
        ("oom-score-adj-values", "0 200 800"),
        ("latency-tracking-info-percentiles", "50 99 99.9"),
        ("notify-keyspace-events", ""),
        ("replicaof", ""),
        ("loglevel", "notice"),
        ("appendfsync", "everysec"),
        ("enable-debug-command", "no"),
        ("shutdown-on-sigint", "default"),
        ("proc-title-template", "{title} {listen-addr} {server-mode}"),
        ("appendfilename", "appendonly.aof"),
        ("repl-backlog-size", "1048576"),
        ("busy-reply-threshold", "5000"),
        ("lua-time-limit", "5000"),
        ("loading-process-events-interval-bytes", "2097152"),
        ("acl-pubsub-default", "resetchannels"),
        ("syslog-facility", "local0"),
        ("tls-auth-clients", "yes"),
    ];
    for (n, v) in want {
        assert_eq!(get1(&c, n), v, "{}", n);
    }
    assert_eq!(c.save, vec![(3600, 1), (300, 100), (60, 10000)]);
    assert_eq!(c.bind, vec!["*", "-::*"]);
}

#[test]
fn glob_covers_every_directive_once() {
    let c = Config::default();
    let all = c.get(&[b"*"]);
    // 191 names (with aliases) in a TLS build of 7.0.15, plus dir.
    let names: HashSet<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), all.len());
    assert!(names.contains("slave-read-only") && names.contains("replica-read-only"));
    assert!(!names.contains("rdb-key-save-delay")); // hidden
    assert_eq!(all.len(), 192);
    // Several patterns, overlaps reported once; exact names echo as typed.
    let r = c.get(&[b"port", b"PORT", b"po*", b"port"]);
    assert_eq!(
        r,
        vec![
            ("port".into(), "6379".into()),
            ("PORT".into(), "6379".into())
        ]
    );
    assert_eq!(c.get(&[b"x*"]), vec![]);
    assert_eq!(
        c.get(&[b"rdb-key-save-delay"]),
        vec![("rdb-key-save-delay".into(), "0".into())]
    );
    let d = c.get(&[b"*delay*"]);
    assert_eq!(d.len(), 2, "{:?}", d);
}

#[test]
fn save_reset_rule() {
    let (c, _) = load_text("save 900 1\nsave 300 10").unwrap();
    assert_eq!(c.save, vec![(900, 1), (300, 10)]);
    let (c, _) = load_text("save \"\"").unwrap();
    assert!(c.save.is_empty());
    assert_eq!(get1(&c, "save"), "");
    let (c, _) = load_text("save 900 1 300 10\nsave 60 5").unwrap();
    assert_eq!(c.save, vec![(900, 1), (300, 10), (60, 5)]);
    let (c, _) = load_text("port 1").unwrap();
    assert_eq!(c.save.len(), 3);
}

#[test]
fn include_and_glob_include() {
    let dir = tmpdir("include");
    std::fs::write(dir.join("a.conf"), "hz 11\n").unwrap();
    std::fs::write(dir.join("b.conf"), "timeout 7\n").unwrap();
    let main = dir.join("main.conf");
    std::fs::write(
        &main,
        format!(
            "port 7000\ninclude {}/a.conf\ninclude {}/*.conf.d\ninclude {}/[b]*.conf\n",
            dir.display(),
            dir.display(),
            dir.display()
        ),
    )
    .unwrap();
    let (c, _) = Config::load(Some(main.to_str().unwrap()), "port 7001").unwrap();
    assert_eq!((c.port, c.hz, c.timeout), (7001, 11, 7));
    assert_eq!(c.config_file.as_deref(), Some(main.as_path()));
    // An error inside an included file reports that file's line.
    std::fs::write(dir.join("bad.conf"), "\n\ndaemonize maybe\n").unwrap();
    let e = load_text(&format!("include {}/bad.conf", dir.display())).unwrap_err();
    assert_eq!(e.line, Some((3, "daemonize maybe".to_string())));
    // Self-inclusion stops instead of recursing forever.
    let selfinc = dir.join("self.conf");
    std::fs::write(&selfinc, format!("include {}\n", selfinc.display())).unwrap();
    assert!(Config::load(Some(selfinc.to_str().unwrap()), "").is_err());
}

#[test]
fn command_line_conversion() {
    let conv = |a: &[&str]| args_to_config_text_from(&sv(a), &mut io::empty()).unwrap();
    assert_eq!(
        conv(&["/etc/x.conf", "--port", "7000"]),
        (Some("/etc/x.conf".into()), "port \"7000\" ".into())
    );
    assert_eq!(
        conv(&["--save", "", "--appendonly", "yes"]).1,
        "save \"\" \nappendonly \"yes\" "
    );
    assert_eq!(conv(&["--save", "--port", "1"]).1, "save \"\"\nport \"1\" ");
    assert_eq!(conv(&["--port", "1", "--save"]).1, "port \"1\" \nsave \"\"");
    assert_eq!(
        conv(&["--save", "900", "1", "300", "10"]).1,
        "save \"900\" \"1\" \"300\" \"10\" "
    );
    assert_eq!(conv(&["--port 6380"]).1, "port 6380 ");
    assert_eq!(
        conv(&["--requirepass", "a b\"c"]).1,
        "requirepass \"a b\\\"c\" "
    );
    let (f, extra) =
        args_to_config_text_from(&sv(&["-", "--port", "2"]), &mut &b"hz 20\n"[..]).unwrap();
    assert_eq!(f, None);
    assert_eq!(extra, "hz 20\n\nport \"2\" ");
    // Line numbers as redis-server reports them for options.
    let (_, extra) = conv(&["--port", "abc"]);
    let e = Config::load(None, &extra).unwrap_err();
    assert_eq!(e.line, Some((2, "port \"abc\"".to_string())));
    let (_, extra) = conv(&["--port", "1", "--daemonize", "maybe"]);
    assert_eq!(
        Config::load(None, &extra).unwrap_err().line.map(|l| l.0),
        Some(3)
    );
    let (c, _) =
        Config::load(None, &conv(&["--save", "", "--bind", "127.0.0.1", "::1"]).1).unwrap();
    assert!(c.save.is_empty());
    assert_eq!(c.bind, vec!["127.0.0.1", "::1"]);
}

#[test]
fn warnings_for_unimplemented() {
    let (_, w) = load_text("appendonly yes\nport 1").unwrap();
    assert!(w.is_empty(), "{:?}", w);
    let (c, w) = load_text("appendonly yes\nmaxmemory 1gb\nloadmodule /x.so").unwrap();
    assert!(c.appendonly);
    assert_eq!(w.len(), 2, "{:?}", w);
    assert!(w[0].contains("maxmemory"));
}

#[test]
fn hz_is_clamped() {
    assert_eq!(load_text("hz 0").unwrap().0.hz, 1);
    let mut c = Config::default();
    c.set(&[(b"hz", b"1000")]).unwrap();
    assert_eq!(get1(&c, "hz"), "500");
    c.set(&[(b"repl-backlog-size", b"1000")]).unwrap();
    assert_eq!(c.repl_backlog_size, 16384);
}

#[test]
fn get_formatting() {
    let (c, _) = load_text(
        "maxmemory 1K\nhash-max-ziplist-value 1kb\nmaxmemory-clients 10%\nnotify-keyspace-events KEA\nclient-output-buffer-limit normal 1mb 2mb 3\nunixsocketperm 700\nlatency-tracking-info-percentiles 0.5 99.123456789\nshutdown-on-sigint force now\nenable-debug-command LOCAL",
    )
    .unwrap();
    assert_eq!(get1(&c, "maxmemory"), "1000");
    assert_eq!(get1(&c, "hash-max-listpack-value"), "1024");
    assert_eq!(get1(&c, "maxmemory-clients"), "10%");
    assert_eq!(get1(&c, "notify-keyspace-events"), "AKE");
    assert_eq!(
        get1(&c, "client-output-buffer-limit"),
        "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    );
    assert_eq!(get1(&c, "unixsocketperm"), "700");
    assert_eq!(c.unixsocketperm, 0o700);
    assert_eq!(
        get1(&c, "latency-tracking-info-percentiles"),
        "0.5 99.123457"
    );
    assert_eq!(get1(&c, "shutdown-on-sigint"), "now force");
    assert_eq!(c.enable_debug_command, "local");
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(get1(&c, "dir"), cwd.to_string_lossy());
    assert_eq!(
        keyspace_events_canonical("$lshzxetdgnm").as_deref(),
        Some("Am")
    );
    assert_eq!(keyspace_events_canonical("Kx").as_deref(), Some("xK"));
}

#[test]
fn set_errors_and_atomicity() {
    let mut c = Config::default();
    assert_eq!(
        c.set(&[(b"maxmemory", b"abc")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"
    );
    assert_eq!(
        c.set(&[(b"foo", b"bar")]).unwrap_err(),
        "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
    );
    assert_eq!(
        c.set(&[(b"port", b"1"), (b"port", b"2")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'port') - duplicate parameter"
    );
    assert_eq!(
        c.set(&[(b"daemonize", b"yes")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"
    );
    assert_eq!(
        c.set(&[(b"dir", b"/tmp")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"
    );
    assert_eq!(
        c.set(&[(b"replicaof", b"a 1")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config"
    );
    // Atomic: the first pair is valid but the second is not.
    let before = c.clone();
    assert_eq!(
        c.set(&[(b"maxmemory", b"5"), (b"port", b"99999")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"
    );
    assert_eq!(c, before);
    // The failing name is reported as registered (alias spelling).
    assert_eq!(
        c.set(&[(b"slave-priority", b"1"), (b"replica-priority", b"x")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'replica-priority') - argument couldn't be parsed into an integer"
    );
    assert_eq!(
        c.set(&[(b"maxmemory-policy", b"x")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"
    );
    assert_eq!(
        c.set(&[(b"shutdown-on-sigint", b"save nosave")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously"
    );
    assert!(c
        .set(&[(b"bind", b"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17")])
        .is_err());
    // Successful multi-set reports what changed, canonical names.
    let changed = c
        .set(&[
            (b"Slave-Priority", b"5"),
            (b"save", b""),
            (b"maxmemory", b"0"),
            (b"loglevel", b"WARNING"),
        ])
        .unwrap();
    assert_eq!(changed, vec!["replica-priority", "save", "loglevel"]);
    assert_eq!(
        (c.replica_priority, c.save.is_empty(), c.loglevel.as_str()),
        (5, true, "warning")
    );
    c.set(&[
        (b"save", b"3600 1 300 100"),
        (b"client-output-buffer-limit", b"replica 1gb 100mb 30"),
    ])
    .unwrap();
    assert_eq!(c.save, vec![(3600, 1), (300, 100)]);
    assert_eq!(c.client_output_buffer_limit[1], (1 << 30, 100 << 20, 30));
    assert!(c.set(&[(b"save", b"100 10 100")]).is_err());
    assert!(c
        .set(&[(b"client-output-buffer-limit", b"normal 1 2")])
        .is_err());
}

#[test]
fn set_dir_when_protected_configs_enabled() {
    let (mut c, _) = load_text("enable-protected-configs yes").unwrap();
    assert_eq!(
        c.set(&[(b"dir", b"/nonexistent-ferrodis")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory"
    );
    assert_eq!(
        c.set(&[(b"dir", b"/etc/passwd")]).unwrap_err(),
        "ERR CONFIG SET failed (possibly related to argument 'dir') - Not a directory"
    );
    assert!(c.set(&[(b"dbfilename", b"x.rdb")]).is_ok());
    let (mut l, _) = load_text("enable-protected-configs local").unwrap();
    assert!(l.set(&[(b"dbfilename", b"y.rdb")]).is_err());
    assert!(l
        .set_from_client(&[(b"dbfilename", b"y.rdb")], true)
        .is_ok());
}

#[test]
fn rewrite_matches_redis() {
    let dir = tmpdir("rewrite");
    let path = dir.join("rw.conf");
    let original = "# my header comment\nport 22003\nbind 127.0.0.1\n\n# save section\nsave 900 1\nsave 300 10\nSlave-Read-Only yes\nmaxmemory 100mb\nloglevel notice\nenable-protected-configs yes\nunknown-thing 1\nlatency-tracking-info-percentiles 50 99.99\nhash-max-ziplist-entries 100\ninclude /nonexistent.conf\nrename-command flushall \"\"\n";
    std::fs::write(&path, original).unwrap();
    let mut c = Config {
        config_file: Some(path.clone()),
        port: 22003,
        bind: vec!["127.0.0.1".into()],
        enable_protected_configs: "yes".into(),
        hash_max_listpack_entries: 100,
        latency_tracking_info_percentiles: vec![50.0, 99.99],
        ..Config::default()
    };
    c.set(&[
        (b"maxmemory", b"0"),
        (b"save", b"3600 1"),
        (b"slave-read-only", b"no"),
        (b"loglevel", b"warning"),
        (b"client-output-buffer-limit", b"replica 1gb 100mb 30"),
        (b"notify-keyspace-events", b"Kx"),
        (b"hz", b"20"),
        (b"maxmemory-clients", b"5%"),
        (b"replica-priority", b"7"),
        (b"oom-score-adj-values", b"0 100 800"),
        (b"hash-max-ziplist-value", b"1kb"),
        (b"latency-tracking-info-percentiles", b""),
        (b"repl-backlog-size", b"1000"),
        (b"masterauth", b"a b\"c"),
        (b"shutdown-on-sigterm", b"now force"),
        (b"proc-title-template", b"{title} x"),
        (b"appendfsync", b"no"),
    ])
    .unwrap();
    c.rewrite().unwrap();
    let got = std::fs::read_to_string(&path).unwrap();
    let cwd = std::env::current_dir().unwrap();
    // Redis appends in its dict's order; we append in table order.
    let want = format!(
        "# my header comment\nport 22003\nbind 127.0.0.1\n\n# save section\nsave 3600 1\n\nreplica-read-only no\nmaxmemory 0\nloglevel warning\nenable-protected-configs yes\n# ??? unknown-thing 1\nlatency-tracking-info-percentiles \"\"\nhash-max-listpack-entries 100\ninclude /nonexistent.conf\nrename-command flushall \"\"\n\n# Generated by CONFIG REWRITE\nproc-title-template \"{{title}} x\"\nmasterauth \"a b\\\"c\"\nappendfsync no\nshutdown-on-sigterm now force\nreplica-priority 7\nhz 20\nrepl-backlog-size 16kb\nhash-max-listpack-value 1kb\nmaxmemory-clients 5%\ndir {}\nclient-output-buffer-limit replica 1gb 100mb 30\noom-score-adj-values 0 100 800\nnotify-keyspace-events \"xK\"\nuser default on nopass ~* &* +@all\n",
        repr(cwd.to_string_lossy().as_bytes())
    );
    assert_eq!(got, want);
    // A second rewrite reuses lines per directive as Redis does: the one
    // client-output-buffer-limit line now carries the first class
    // ("normal", at its default) and the replica class is appended again.
    c.rewrite().unwrap();
    let again = std::fs::read_to_string(&path).unwrap();
    assert!(again.contains("\nclient-output-buffer-limit normal 0 0 0\n"));
    assert!(again.ends_with("+@all\n\nclient-output-buffer-limit replica 1gb 100mb 30\n"));
    let text = again.replace("include /nonexistent.conf\n", "");
    let (back, _) = load_text(&text).unwrap();
    for name in [
        "save",
        "maxmemory-clients",
        "masterauth",
        "client-output-buffer-limit",
        "notify-keyspace-events",
        "hz",
        "proc-title-template",
    ] {
        assert_eq!(get1(&back, name), get1(&c, name), "{}", name);
    }
    // save "" and no temp files left behind.
    c.set(&[(b"save", b"")]).unwrap();
    c.rewrite().unwrap();
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("\nsave \"\"\n"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    assert_eq!(
        Config::default().rewrite().unwrap_err(),
        "ERR The server is running without a config file"
    );
}

#[test]
fn never_panics_on_garbage() {
    let inputs = [
        "\"",
        "'",
        "\\",
        "\"\\x",
        "save",
        "bind",
        "client-output-buffer-limit",
        "replicaof",
        "replicaof a",
        "oom-score-adj-values",
        "latency-tracking-info-percentiles nan",
        "maxmemory 99999999999999999999999gb",
        "port -",
        "port 99999999999999999999999",
        "dir",
        "\u{0}\u{1}",
        "notify-keyspace-events \"\"",
        "proc-title-template {",
        "proc-title-template }{",
    ];
    for i in inputs {
        let _ = load_text(i);
        let mut c = Config::default();
        let mut parts = i.splitn(2, ' ');
        let n = parts.next().unwrap_or("");
        let v = parts.next().unwrap_or("");
        let _ = c.set(&[(n.as_bytes(), v.as_bytes())]);
    }
    for s in ["", "-", "--", "--x", "\u{ff}"] {
        let _ = args_to_config_text_from(&sv(&[s, s]), &mut io::empty());
    }
}

#[test]
fn loads_system_redis_conf() {
    let path = "/etc/redis/redis.conf";
    if !Path::new(path).exists() {
        return;
    }
    // Debian's file names a logfile and a dir we may not be able to
    // use; override them the way a test harness would.
    match Config::load(Some(path), "logfile \"\"\ndir /") {
        Ok((c, _)) => assert_eq!(c.logfile, ""),
        Err(e) => panic!("{}", e),
    }
}
