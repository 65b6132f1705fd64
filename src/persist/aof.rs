//! The append-only file, Redis 7.0's multi-part layout: the format side
//! (names, manifest, command stream reader, command-form base writer). No
//! server state here; `crate::aof_server` drives it.
//!
//! Layout, inside `dir/appenddirname`:
//! - `<appendfilename>.<seq>.base.rdb` (or `.base.aof` without the RDB
//!   preamble): the dataset at the last rewrite;
//! - `<appendfilename>.<seq>.incr.aof`: the commands written since, in the
//!   RESP multibulk form clients use (`*<argc>\r\n$<len>\r\n<arg>\r\n...`);
//! - `<appendfilename>.manifest`: one line per file,
//!   `file <name> seq <n> type <b|h|i>`, base first, then history, then
//!   the incr files in replay order. It is replaced atomically (temp file +
//!   rename), so it always names a complete set of files.

use std::io::{self, BufRead, Read, Write};

use crate::db::{Db, Value};

/// Rewrites emit at most this many elements per command (Redis's
/// AOF_REWRITE_ITEMS_PER_CMD).
const ITEMS_PER_CMD: usize = 64;

/// Longest manifest line Redis accepts (AOF_ANNOTATION_LINE_MAX_LEN).
const MANIFEST_LINE_MAX: usize = 1024;

/// Kind of a file listed in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Base,
    Incr,
    /// Replaced by a rewrite, waiting to be deleted.
    History,
}

impl FileType {
    fn letter(self) -> char {
        match self {
            FileType::Base => 'b',
            FileType::Incr => 'i',
            FileType::History => 'h',
        }
    }
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AofInfo {
    pub name: String,
    pub seq: u64,
    pub kind: FileType,
}

/// The manifest: which files make up the AOF, in load order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub base: Option<AofInfo>,
    pub incrs: Vec<AofInfo>,
    pub history: Vec<AofInfo>,
    /// Highest sequence numbers used so far (new files take the next).
    pub base_seq: u64,
    pub incr_seq: u64,
}

/// Manifest file name for `appendfilename`.
pub fn manifest_name(filename: &str) -> String {
    format!("{filename}.manifest")
}

/// Temporary manifest name (renamed over the real one).
pub fn temp_manifest_name(filename: &str) -> String {
    format!("temp-{filename}.manifest")
}

/// Temporary incr file used while AOF is being switched on at run time.
pub fn temp_incr_name(filename: &str) -> String {
    format!("temp-{filename}.incr")
}

/// Temporary base file written by a rewrite child of pid `pid`, in `dir`.
pub fn temp_rewrite_name(pid: u32) -> String {
    format!("temp-rewriteaof-bg-{pid}.aof")
}

/// Quote a file name the way Redis's manifest does when it holds spaces or
/// unprintable bytes (sdscatrepr); plain names stay as they are.
fn quote_name(name: &str) -> String {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if plain {
        return name.to_string();
    }
    let mut s = String::from("\"");
    for b in name.bytes() {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}

impl Manifest {
    /// Name of a new BASE file with the next sequence number; the current
    /// base (if any) becomes history.
    pub fn new_base(&mut self, filename: &str, rdb_preamble: bool) -> String {
        self.base_seq += 1;
        let ext = if rdb_preamble { "rdb" } else { "aof" };
        let name = format!("{filename}.{}.base.{ext}", self.base_seq);
        if let Some(mut old) = self.base.take() {
            old.kind = FileType::History;
            self.history.push(old);
        }
        self.base = Some(AofInfo {
            name: name.clone(),
            seq: self.base_seq,
            kind: FileType::Base,
        });
        name
    }

    /// Append a new INCR file with the next sequence number; returns its name.
    pub fn new_incr(&mut self, filename: &str) -> String {
        self.incr_seq += 1;
        let name = format!("{filename}.{}.incr.aof", self.incr_seq);
        self.incrs.push(AofInfo {
            name: name.clone(),
            seq: self.incr_seq,
            kind: FileType::Incr,
        });
        name
    }

    /// After a rewrite: every incr file but the last (the one opened when
    /// the rewrite started) is covered by the new base.
    pub fn mark_rewritten_incrs_as_history(&mut self) {
        let keep = self.incrs.pop();
        for mut i in self.incrs.drain(..) {
            i.kind = FileType::History;
            self.history.push(i);
        }
        if let Some(k) = keep {
            self.incrs.push(k);
        }
    }

    /// The manifest's text.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let all = self
            .base
            .iter()
            .chain(self.history.iter())
            .chain(self.incrs.iter());
        for f in all {
            s.push_str(&format!(
                "file {} seq {} type {}\n",
                quote_name(&f.name),
                f.seq,
                f.kind.letter()
            ));
        }
        s
    }

    /// Parse a manifest. Errors carry Redis's messages.
    pub fn parse(text: &[u8]) -> Result<Manifest, String> {
        let mut m = Manifest::default();
        let mut max_incr_seq = 0;
        for raw in text.split(|&b| b == b'\n') {
            if raw.len() > MANIFEST_LINE_MAX {
                return Err("The AOF manifest file contains too long line".into());
            }
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() || trimmed[0] == b'#' {
                continue;
            }
            let Some(args) = crate::util::split_args(trimmed) else {
                return Err("Invalid AOF manifest file format".into());
            };
            if args.len() < 6 || !args.len().is_multiple_of(2) {
                return Err("Invalid AOF manifest file format".into());
            }
            let (mut name, mut seq, mut kind) = (None, None, None);
            for kv in args.chunks(2) {
                let val = String::from_utf8_lossy(&kv[1]).into_owned();
                match kv[0].as_slice() {
                    b"file" => name = Some(val),
                    b"seq" => seq = val.parse::<u64>().ok(),
                    b"type" => {
                        kind = match val.as_str() {
                            "b" => Some(FileType::Base),
                            "i" => Some(FileType::Incr),
                            "h" => Some(FileType::History),
                            _ => None,
                        }
                    }
                    _ => {}
                }
            }
            let (Some(name), Some(seq), Some(kind)) = (name, seq, kind) else {
                return Err("Invalid AOF manifest file format".into());
            };
            let info = AofInfo { name, seq, kind };
            match kind {
                FileType::Base => {
                    if m.base.is_some() {
                        return Err("Found duplicate base file information".into());
                    }
                    m.base_seq = seq;
                    m.base = Some(info);
                }
                FileType::History => m.history.push(info),
                FileType::Incr => {
                    if seq <= max_incr_seq {
                        return Err("Found a non-monotonic sequence number".into());
                    }
                    max_incr_seq = seq;
                    m.incr_seq = seq;
                    m.incrs.push(info);
                }
            }
        }
        Ok(m)
    }
}

/// What the command reader found next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Command(Vec<Vec<u8>>),
    /// Clean end of the file (at a command boundary).
    Eof,
    /// The file ends inside a command.
    Truncated,
    /// Not the AOF format.
    BadFormat,
}

/// Reads commands from an AOF stream, tracking the offset of the end of
/// the last complete command.
pub struct CommandReader<R: BufRead> {
    input: R,
    /// Bytes consumed so far.
    pub offset: u64,
    line: Vec<u8>,
}

impl<R: BufRead> CommandReader<R> {
    pub fn new(input: R, offset: u64) -> CommandReader<R> {
        CommandReader {
            input,
            offset,
            line: Vec::new(),
        }
    }

    /// One `\n`-terminated line into `self.line`; false at EOF or when the
    /// line is cut short.
    fn read_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let n = self.input.read_until(b'\n', &mut self.line)?;
        self.offset += n as u64;
        Ok(n > 0 && self.line.last() == Some(&b'\n'))
    }

    fn number(line: &[u8]) -> Option<i64> {
        let digits = line.strip_suffix(b"\n")?;
        let digits = digits.strip_suffix(b"\r").unwrap_or(digits);
        crate::util::parse_i64(digits)
    }

    /// The next command. Annotations (`#...` lines) are skipped.
    pub fn next_command(&mut self) -> io::Result<Next> {
        loop {
            self.line.clear();
            let n = self.input.read_until(b'\n', &mut self.line)?;
            self.offset += n as u64;
            if n == 0 {
                return Ok(Next::Eof);
            }
            if self.line.last() != Some(&b'\n') {
                return Ok(Next::Truncated);
            }
            if self.line[0] == b'#' {
                continue;
            }
            break;
        }
        if self.line[0] != b'*' {
            return Ok(Next::BadFormat);
        }
        let argc = match Self::number(&self.line[1..]) {
            Some(n) if n >= 1 => n as usize,
            _ => return Ok(Next::BadFormat),
        };
        let mut argv = Vec::with_capacity(argc.min(1024));
        for _ in 0..argc {
            if !self.read_line()? {
                return Ok(Next::Truncated);
            }
            if self.line[0] != b'$' {
                return Ok(Next::BadFormat);
            }
            let len = match Self::number(&self.line[1..]) {
                Some(n) if n >= 0 => n as usize,
                _ => return Ok(Next::BadFormat),
            };
            // Read the argument and its CRLF without trusting `len` for an
            // up-front allocation.
            let mut arg = Vec::with_capacity(len.min(1 << 20));
            let want = len as u64 + 2;
            let got = (&mut self.input).take(want).read_to_end(&mut arg)?;
            self.offset += got as u64;
            if (got as u64) < want {
                return Ok(Next::Truncated);
            }
            arg.truncate(len);
            argv.push(arg);
        }
        Ok(Next::Command(argv))
    }

    pub fn into_inner(self) -> R {
        self.input
    }
}

/// Append one command in the AOF (RESP multibulk) form.
pub fn write_command<W: Write>(out: &mut W, argv: &[&[u8]]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(64);
    crate::propagate::encode_command(&mut buf, argv);
    out.write_all(&buf)
}

/// Write the dataset as commands (a BASE without RDB preamble, Redis's
/// rewriteAppendOnlyFileRio): per database a SELECT, then per key the
/// commands that rebuild it (at most 64 elements each) and a PEXPIREAT
/// for keys with a TTL. Expired keys are skipped.
pub fn write_dataset_commands<W: Write>(out: &mut W, dbs: &[Db], now_ms: i64) -> io::Result<()> {
    for db in dbs {
        if db.is_empty() {
            continue;
        }
        let id = db.id.to_string();
        write_command(out, &[b"SELECT", id.as_bytes()])?;
        for (key, value) in db.dict.iter() {
            let expire = db.expire_at(key);
            if expire.is_some_and(|t| t <= now_ms) {
                continue;
            }
            write_value(out, key, value)?;
            if let Some(t) = expire {
                let t = t.to_string();
                write_command(out, &[b"PEXPIREAT", key, t.as_bytes()])?;
            }
        }
    }
    Ok(())
}

/// Emit `cmd key items...` in chunks of at most ITEMS_PER_CMD items, each
/// item being `per` arguments.
fn write_chunked<W: Write>(
    out: &mut W,
    cmd: &[u8],
    key: &[u8],
    items: Vec<Vec<Vec<u8>>>,
) -> io::Result<()> {
    for chunk in items.chunks(ITEMS_PER_CMD) {
        let mut argv: Vec<&[u8]> = vec![cmd, key];
        for item in chunk {
            argv.extend(item.iter().map(|a| a.as_slice()));
        }
        write_command(out, &argv)?;
    }
    Ok(())
}

fn write_value<W: Write>(out: &mut W, key: &[u8], value: &Value) -> io::Result<()> {
    match value {
        Value::Str(s) => s.with_bytes(|b| write_command(out, &[b"SET", key, b])),
        Value::List(l) => {
            let items = l.iter().map(|e| vec![e.to_vec()]).collect();
            write_chunked(out, b"RPUSH", key, items)
        }
        Value::Set(s) => {
            let items = s
                .iter()
                .map(|m| vec![m.with_bytes(|b| b.to_vec())])
                .collect();
            write_chunked(out, b"SADD", key, items)
        }
        Value::Hash(h) => {
            let items = h
                .iter()
                .map(|(f, v)| vec![f.to_vec(), v.to_vec()])
                .collect();
            write_chunked(out, b"HMSET", key, items)
        }
        Value::ZSet(z) => {
            let mut items = Vec::with_capacity(z.len());
            z.for_each(|m, score| {
                let mut sc = Vec::with_capacity(24);
                crate::util::format_f64(&mut sc, score);
                items.push(vec![sc, m.to_vec()])
            });
            write_chunked(out, b"ZADD", key, items)
        }
        Value::Stream(s) => write_stream(out, key, s),
    }
}

/// A stream as Redis's rewriteStreamObject writes it: an XADD per entry
/// (an empty stream is made with `XADD MAXLEN 0`), XSETID for the last ID
/// and counters, then per group XGROUP CREATE, and per consumer its
/// pending entries as XCLAIM ... FORCE (or XGROUP CREATECONSUMER).
fn write_stream<W: Write>(
    out: &mut W,
    key: &[u8],
    s: &crate::db::stream::Stream,
) -> io::Result<()> {
    use crate::db::stream::StreamId;
    let text = |e: &crate::persist::listpack::Entry<'_>| e.to_vec();
    let mut result = Ok(());
    if s.is_empty() {
        write_command(out, &[b"XADD", key, b"MAXLEN", b"0", b"0-1", b"x", b"y"])?;
    } else {
        s.scan(StreamId::MIN, StreamId::MAX, false, |id, pairs| {
            let id = id.to_vec();
            let mut args: Vec<Vec<u8>> = Vec::with_capacity(pairs.len() * 2);
            for (f, v) in pairs {
                args.push(text(f));
                args.push(text(v));
            }
            let mut argv: Vec<&[u8]> = vec![b"XADD", key, &id];
            argv.extend(args.iter().map(|a| a.as_slice()));
            result = write_command(out, &argv);
            result.is_ok()
        });
        result?;
    }
    let entries_added = s.entries_added.to_string();
    write_command(
        out,
        &[
            b"XSETID",
            key,
            &s.last_id.to_vec(),
            b"ENTRIESADDED",
            entries_added.as_bytes(),
            b"MAXDELETEDID",
            &s.max_deleted_id.to_vec(),
        ],
    )?;
    for (name, g) in &s.groups {
        let entries_read = g.entries_read.to_string();
        write_command(
            out,
            &[
                b"XGROUP",
                b"CREATE",
                key,
                name,
                &g.last_id.to_vec(),
                b"ENTRIESREAD",
                entries_read.as_bytes(),
            ],
        )?;
        for (cname, consumer) in &g.consumers {
            if consumer.pending.is_empty() {
                write_command(out, &[b"XGROUP", b"CREATECONSUMER", key, name, cname])?;
                continue;
            }
            for id in &consumer.pending {
                let Some(p) = g.pending.get(id) else {
                    continue;
                };
                let (time, count) = (p.delivery_time.to_string(), p.delivery_count.to_string());
                write_command(
                    out,
                    &[
                        b"XCLAIM",
                        key,
                        name,
                        cname,
                        b"0",
                        &id.to_vec(),
                        b"TIME",
                        time.as_bytes(),
                        b"RETRYCOUNT",
                        count.as_bytes(),
                        b"JUSTID",
                        b"FORCE",
                    ],
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trip() {
        let mut m = Manifest::default();
        m.new_base("appendonly.aof", true);
        m.new_incr("appendonly.aof");
        let text = m.to_text();
        assert_eq!(
            text,
            "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
        assert_eq!(Manifest::parse(text.as_bytes()).unwrap(), m);
        m.new_incr("appendonly.aof");
        m.new_base("appendonly.aof", false);
        m.mark_rewritten_incrs_as_history();
        let parsed = Manifest::parse(m.to_text().as_bytes()).unwrap();
        assert_eq!(
            parsed.base.as_ref().unwrap().name,
            "appendonly.aof.2.base.aof"
        );
        assert_eq!(parsed.incrs.len(), 1);
        assert_eq!(parsed.incrs[0].name, "appendonly.aof.2.incr.aof");
        assert_eq!(parsed.history.len(), 2);
        assert!(Manifest::parse(b"file x seq 1\n").is_err());
        assert!(Manifest::parse(b"file a seq 2 type i\nfile b seq 1 type i\n").is_err());
    }

    #[test]
    fn quoted_names_round_trip() {
        let mut m = Manifest::default();
        m.new_base("my file.aof", true);
        let parsed = Manifest::parse(m.to_text().as_bytes()).unwrap();
        assert_eq!(parsed.base.unwrap().name, "my file.aof.1.base.rdb");
    }

    #[test]
    fn reader_reports_commands_truncation_and_bad_format() {
        let data =
            b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n#TS:1\r\n*3\r\n$3\r\nset\r\n$1\r\nk\r\n$2\r\nab";
        let mut r = CommandReader::new(&data[..], 0);
        assert_eq!(
            r.next_command().unwrap(),
            Next::Command(vec![b"SELECT".to_vec(), b"0".to_vec()])
        );
        assert_eq!(r.offset, 23);
        assert_eq!(r.next_command().unwrap(), Next::Truncated);
        let mut r = CommandReader::new(&b"*1\r\n$4\r\nPING\r\n"[..], 0);
        assert!(matches!(r.next_command().unwrap(), Next::Command(_)));
        assert_eq!(r.next_command().unwrap(), Next::Eof);
        let mut r = CommandReader::new(&b"garbage\r\n"[..], 0);
        assert_eq!(r.next_command().unwrap(), Next::BadFormat);
        let mut r = CommandReader::new(&b"*1\r\n$99999999999\r\nab"[..], 0);
        assert_eq!(r.next_command().unwrap(), Next::Truncated);
    }
}
