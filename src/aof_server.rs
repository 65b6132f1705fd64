//! The append-only file on the server side (Redis 7.0's multi-part AOF):
//! loading at start-up, appending the propagated stream, fsync policies,
//! BGREWRITEAOF and automatic rewrites, switching AOF on and off at run
//! time, and the INFO persistence numbers. The file formats live in
//! [`crate::persist::aof`].
//!
//! Writing: [`crate::propagate`] hands every propagated unit to
//! [`Server::feed_aof`], which appends it to `buf`. `before_sleep` calls
//! [`Server::aof_flush`] before any reply goes out, so a client never sees
//! an acknowledgement for a write that is not in the file yet; with
//! `appendfsync always` the file is also fsynced there, first.
//!
//! fsync with `everysec` happens on one dedicated thread (Redis's bio
//! thread), at most once per second, so a slow disk never stalls the event
//! loop. That thread only receives `File`s (duplicated descriptors) over a
//! channel, calls `fdatasync` and closes them: it takes no lock of ours and
//! never touches the dataset. A fork child is a copy of the main thread
//! only, so it never runs it; glibc's fork handlers keep malloc usable in
//! the child even if the thread was freeing a channel block at fork time.
//!
//! Rewrites follow Redis 7.0: the parent opens a new INCR file at once
//! (listed in the manifest right away) and keeps appending there while a
//! fork child writes the new BASE from its frozen copy of the dataset into
//! `temp-rewriteaof-bg-<pid>.aof`. When the child succeeds the parent
//! renames it into the AOF directory, writes the manifest (new base + the
//! new incr) atomically and deletes the files the new base replaced. No
//! rewrite buffer is needed.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use log::{info, warn};

use crate::client::Client;
use crate::db::dict;
use crate::persist::aof::{self, CommandReader, Manifest, Next};
use crate::persist::child::{self, ChildExit};
use crate::persist::rdb::AuxFields;
use crate::persist::snapshot::{self, SaveOptions};
use crate::server::{Server, REDIS_VERSION};
use crate::util;

/// AOF state (Redis's aof_state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AofStatus {
    Off,
    On,
    /// Switched on at run time: the first rewrite must finish before the
    /// files describe the dataset.
    WaitRewrite,
}

/// A rewrite child.
#[derive(Debug, Clone)]
pub struct AofChild {
    pub pid: libc::pid_t,
    pub start_ms: i64,
    /// The base is written with the RDB preamble.
    pub preamble: bool,
    /// Where the child reports its copy-on-write size.
    pub cow_pipe: std::sync::Arc<File>,
}

/// The fsync thread: receives descriptors to fdatasync (and close).
#[derive(Debug)]
struct Fsyncer {
    tx: mpsc::Sender<File>,
    pending: Arc<AtomicUsize>,
}

impl Fsyncer {
    fn start() -> io::Result<Fsyncer> {
        let (tx, rx) = mpsc::channel::<File>();
        let pending = Arc::new(AtomicUsize::new(0));
        let p = pending.clone();
        std::thread::Builder::new()
            .name("aof-fsync".into())
            .spawn(move || {
                for f in rx {
                    let _ = f.sync_data();
                    drop(f);
                    p.fetch_sub(1, Ordering::AcqRel);
                }
            })?;
        Ok(Fsyncer { tx, pending })
    }

    fn submit(&self, f: File) {
        self.pending.fetch_add(1, Ordering::AcqRel);
        if self.tx.send(f).is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
        }
    }

    fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }
}

/// AOF state and counters.
#[derive(Debug)]
pub struct Aof {
    pub status: AofStatus,
    pub manifest: Manifest,
    /// The INCR file being appended to.
    file: Option<File>,
    /// Propagated bytes not yet written.
    pub buf: Vec<u8>,
    pub child: Option<AofChild>,
    pub rewrite_scheduled: bool,
    pub last_rewrite_time_sec: i64,
    pub last_bgrewrite_ok: bool,
    pub rewrites: u64,
    pub consecutive_failures: u64,
    pub last_write_ok: bool,
    /// strerror text of the last failed write (MISCONF's message).
    pub last_write_error: String,
    /// `aof_current_size`: base + incr bytes.
    pub current_size: u64,
    /// `aof_base_size`: the size at the last rewrite (auto-rewrite growth
    /// is measured against it).
    pub base_size: u64,
    /// Bytes in the current incr file.
    incr_size: u64,
    /// `current_size` when the last fsync was started.
    fsync_offset: u64,
    last_fsync_ms: i64,
    fsyncer: Option<Fsyncer>,
    pub delayed_fsync: u64,
    pub last_cow_size: u64,
}

impl Default for Aof {
    fn default() -> Self {
        Aof {
            status: AofStatus::Off,
            manifest: Manifest::default(),
            file: None,
            buf: Vec::new(),
            child: None,
            rewrite_scheduled: false,
            last_rewrite_time_sec: -1,
            last_bgrewrite_ok: true,
            rewrites: 0,
            consecutive_failures: 0,
            last_write_ok: true,
            last_write_error: String::new(),
            current_size: 0,
            base_size: 0,
            incr_size: 0,
            fsync_offset: 0,
            last_fsync_ms: 0,
            fsyncer: None,
            delayed_fsync: 0,
            last_cow_size: 0,
        }
    }
}

impl Aof {
    /// Pending background fsyncs (`aof_pending_bio_fsync`).
    pub fn pending_fsync(&self) -> usize {
        self.fsyncer.as_ref().map_or(0, |f| f.pending())
    }
}

/// Outcome of loading one file.
#[derive(Debug, PartialEq, Eq)]
enum LoadOutcome {
    Ok,
    Empty,
    Truncated,
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

impl Server {
    /// The AOF directory (the process runs inside `dir`).
    fn aof_dir(&self) -> PathBuf {
        PathBuf::from(&self.config.appenddirname)
    }

    fn aof_path(&self, name: &str) -> PathBuf {
        self.aof_dir().join(name)
    }

    /// Whether any fork child (RDB or AOF) is running.
    pub fn has_active_child(&self) -> bool {
        self.persistence.child.is_some() || self.aof.child.is_some()
    }

    /// Write the manifest atomically: temp file, fsync, rename.
    fn aof_persist_manifest(&self) -> io::Result<()> {
        let name = aof::manifest_name(&self.config.appendfilename);
        let temp = self.aof_path(&aof::temp_manifest_name(&self.config.appendfilename));
        let result = (|| {
            let mut f = File::create(&temp)?;
            f.write_all(self.aof.manifest.to_text().as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&temp, self.aof_path(&name))?;
            if let Ok(d) = File::open(self.aof_dir()) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if let Err(e) = &result {
            warn!("Can't persist the AOF manifest file {name}: {e}");
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// Read the manifest if the directory holds one (done at start-up even
    /// with AOF off, so that BGREWRITEAOF continues the sequence).
    fn aof_load_manifest(&mut self) -> Result<(), String> {
        let path = self.aof_path(&aof::manifest_name(&self.config.appendfilename));
        match std::fs::read(&path) {
            Ok(text) => {
                self.aof.manifest = Manifest::parse(&text)?;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!(
                "Fatal error: can't open the AOF manifest {} for reading: {e}",
                aof::manifest_name(&self.config.appendfilename)
            )),
        }
    }

    /// Start-up with the AOF: read the manifest; with `appendonly yes` load
    /// the files (they take precedence over the RDB) and open the incr file
    /// for appending, creating the first base and incr when there are none.
    /// Returns whether the AOF was in charge of loading.
    pub fn aof_load_at_startup(&mut self) -> Result<bool, String> {
        self.aof_load_manifest()?;
        if !self.config.appendonly {
            return Ok(false);
        }
        std::fs::create_dir_all(self.aof_dir()).map_err(|e| {
            format!(
                "Can't open or create append-only dir {}: {e}",
                self.config.appenddirname
            )
        })?;
        let start = util::monotonic_us();
        let loaded = self.aof_load_files()?;
        if loaded {
            info!(
                "DB loaded from append only file: {:.3} seconds",
                (util::monotonic_us() - start) as f64 / 1e6
            );
        }
        self.aof.status = AofStatus::On;
        self.aof_open_on_start()?;
        self.refresh_propagation_active();
        Ok(true)
    }

    /// Replay the files of the manifest. Returns false when there was
    /// nothing to load.
    fn aof_load_files(&mut self) -> Result<bool, String> {
        let m = self.aof.manifest.clone();
        let files: Vec<String> = m
            .base
            .iter()
            .chain(m.incrs.iter())
            .map(|f| f.name.clone())
            .collect();
        if files.is_empty() {
            return Ok(false);
        }
        let mut total = 0;
        for f in &files {
            let p = self.aof_path(f);
            match std::fs::metadata(&p) {
                Ok(md) => total += md.len(),
                Err(e) => {
                    return Err(format!("The append log file {f} doesn't exist: {e}"));
                }
            }
        }
        if total == 0 {
            return Ok(false);
        }
        let was_active = self.propagation.active;
        self.propagation.active = false;
        self.loading = true;
        dict::set_resize_allowed(true);
        crate::db::set_expiry_paused(true);
        let mut result = Ok(());
        let n = files.len();
        for (i, f) in files.iter().enumerate() {
            let is_base = i == 0 && m.base.is_some();
            let last = i + 1 == n;
            let start = util::monotonic_us();
            match self.aof_load_one(f) {
                Ok(LoadOutcome::Truncated) if !last => {
                    result = Err(format!(
                        "Fatal error: the truncated file {f} is not the last file"
                    ));
                    break;
                }
                Ok(LoadOutcome::Ok) | Ok(LoadOutcome::Truncated) => {
                    info!(
                        "DB loaded from {} file {f}: {:.3} seconds",
                        if is_base { "base" } else { "incr" },
                        (util::monotonic_us() - start) as f64 / 1e6
                    );
                }
                Ok(LoadOutcome::Empty) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        crate::db::set_expiry_paused(false);
        self.loading = false;
        self.propagation.active = was_active;
        result?;
        self.aof.base_size = m
            .base
            .as_ref()
            .map_or(0, |b| file_size(&self.aof_path(&b.name)));
        Ok(true)
    }

    /// Replay one file: an RDB (base with preamble) and/or commands run
    /// through a fake client. A truncated tail is cut off when
    /// `aof-load-truncated` allows it.
    fn aof_load_one(&mut self, name: &str) -> Result<LoadOutcome, String> {
        let path = self.aof_path(name);
        let file = File::open(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                format!("The append log file {name} doesn't exist: {e}")
            } else {
                format!("Fatal error: can't open the append log file {name} for reading: {e}")
            }
        })?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len == 0 {
            return Ok(LoadOutcome::Empty);
        }
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut offset = 0u64;
        let is_rdb = {
            use std::io::BufRead;
            let head = reader.fill_buf().map_err(|e| {
                format!("Unrecoverable error reading the append only file {name}: {e}")
            })?;
            head.starts_with(b"REDIS")
        };
        if is_rdb {
            info!("Reading RDB base file on AOF loading...");
            let mut fresh: Vec<crate::db::Db> =
                (0..self.dbs.len()).map(crate::db::Db::new).collect();
            let mut counting = CountingReader {
                inner: &mut reader,
                n: 0,
            };
            let loaded = snapshot::load_rdb(
                &mut counting,
                &mut fresh,
                &self.config,
                util::now_ms(),
                false,
            );
            let info = loaded.map_err(|e| {
                format!("Error reading the RDB base file {name}, AOF loading aborted ({e})")
            })?;
            // The RDB reader reads ahead: commands that follow the RDB in
            // the same file start where it stopped consuming.
            offset = counting.n - info.trailing_bytes as u64;
            {
                use std::io::Seek;
                reader.seek(std::io::SeekFrom::Start(offset)).map_err(|e| {
                    format!("Unrecoverable error reading the append only file {name}: {e}")
                })?;
            }
            if let Some(ver) = info.aux_str("redis-ver") {
                info!("Loading RDB produced by version {ver}");
            }
            if info.aux_str("aof-base").as_deref() == Some("1") {
                info!("RDB is base AOF");
            }
            info!(
                "Done loading RDB, keys loaded: {}, keys expired: {}.",
                info.keys_loaded, info.keys_expired
            );
            self.dbs = fresh;
        }
        let mut fake = fake_client()
            .map_err(|e| format!("Can't create the client that replays the AOF: {e}"))?;
        let mut cr = CommandReader::new(reader, offset);
        let mut valid_up_to = offset;
        let mut valid_before_multi = offset;
        let truncated_at = loop {
            let next = cr.next_command().map_err(|e| {
                format!("Unrecoverable error reading the append only file {name}: {e}")
            })?;
            match next {
                Next::Eof => {
                    if fake.multi.is_some() {
                        warn!("Revert incomplete MULTI/EXEC transaction in AOF file {name}");
                        break Some(valid_before_multi);
                    }
                    break None;
                }
                Next::Truncated => break Some(valid_up_to),
                Next::BadFormat => {
                    return Err(format!(
                        "Bad file format reading the append only file {name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
                    ));
                }
                Next::Command(argv) => {
                    if self.commands.lookup(&argv[0]).is_none() {
                        return Err(format!(
                            "Unknown command '{}' reading the append only file {name}",
                            String::from_utf8_lossy(&argv[0])
                        ));
                    }
                    if argv[0].eq_ignore_ascii_case(b"multi") {
                        valid_before_multi = valid_up_to;
                    }
                    let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
                    self.process_command_owned(&mut fake, &refs);
                    fake.reply.clear();
                    fake.sent = 0;
                    valid_up_to = cr.offset;
                }
            }
        };
        let Some(valid) = truncated_at else {
            return Ok(LoadOutcome::Ok);
        };
        if self.config.aof_load_truncated {
            warn!("!!! Warning: short read while loading the AOF file {name}!!!");
            warn!("!!! Truncating the AOF {name} at offset {valid} !!!");
            let cut = OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_len(valid));
            if let Err(e) = cut {
                return Err(format!("Error truncating the AOF file {name}: {e}"));
            }
            warn!("AOF {name} loaded anyway because aof-load-truncated is enabled");
            return Ok(LoadOutcome::Truncated);
        }
        Err(format!(
            "Unexpected end of file reading the append only file {name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
        ))
    }

    /// After loading: make sure a base and an incr exist (a fresh start
    /// writes the base from the current dataset) and open the incr file.
    fn aof_open_on_start(&mut self) -> Result<(), String> {
        let fname = self.config.appendfilename.clone();
        if self.aof.manifest.base.is_none() && self.aof.manifest.incrs.is_empty() {
            let preamble = self.config.aof_use_rdb_preamble;
            let base = self.aof.manifest.new_base(&fname, preamble);
            let path = self.aof_path(&base);
            write_base_file(
                &path,
                &self.dbs,
                preamble,
                self.aof_save_options(),
                self.aof_aux(),
            )
            .map_err(|e| format!("Can't create the AOF base file {base}: {e}"))?;
            info!("Creating AOF base file {base} on server start");
            self.aof.base_size = file_size(&path);
        }
        let (incr, created) = match self.aof.manifest.incrs.last() {
            Some(i) => (i.name.clone(), false),
            None => (self.aof.manifest.new_incr(&fname), true),
        };
        let file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(self.aof_path(&incr))
            .map_err(|e| format!("Can't open the append-only file {incr}: {e}"))?;
        if created {
            info!("Creating AOF incr file {incr} on server start");
        } else {
            info!("Opening AOF incr file {incr} on server start");
        }
        self.aof.incr_size = file.metadata().map(|m| m.len()).unwrap_or(0);
        self.aof.file = Some(file);
        self.aof_persist_manifest()
            .map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
        self.aof_update_current_size();
        self.aof.fsync_offset = self.aof.current_size;
        Ok(())
    }

    /// `aof_current_size`: base plus every incr file.
    fn aof_update_current_size(&mut self) {
        let m = &self.aof.manifest;
        let total: u64 = m
            .base
            .iter()
            .chain(m.incrs.iter())
            .map(|f| file_size(&self.aof_path(&f.name)))
            .sum();
        self.aof.current_size = total;
    }

    /// The RDB preamble is written like any snapshot (Redis uses
    /// rdbSaveRio for both), access clocks included.
    fn aof_save_options(&self) -> SaveOptions {
        self.save_options()
    }

    fn aof_aux(&self) -> AuxFields {
        AuxFields {
            redis_ver: REDIS_VERSION.to_string(),
            redis_bits: usize::BITS,
            ctime: util::now_ms() / 1000,
            used_mem: crate::alloc::used_memory() as u64,
            repl: None,
            aof_base: true,
        }
    }

    /// A propagated unit: keep it for the next flush while the AOF is on
    /// (or being switched on by a running rewrite).
    pub(crate) fn feed_aof(&mut self, bytes: &[u8]) {
        match self.aof.status {
            AofStatus::On => self.aof.buf.extend_from_slice(bytes),
            AofStatus::WaitRewrite if self.aof.child.is_some() => {
                self.aof.buf.extend_from_slice(bytes)
            }
            _ => {}
        }
    }

    /// Whether the AOF consumes the propagated stream.
    pub(crate) fn aof_consumes_stream(&self) -> bool {
        self.aof.status != AofStatus::Off
    }

    /// Write the buffer to the incr file and fsync as `appendfsync` says.
    /// Called before replies are sent (`before_sleep`); `force` also
    /// fsyncs synchronously whatever the policy (shutdown, switching off).
    pub(crate) fn aof_flush(&mut self, force: bool) {
        if self.aof.file.is_none() {
            return;
        }
        let now = util::now_ms();
        let policy = self.config.appendfsync.as_str();
        if !self.aof.buf.is_empty() {
            let Some(file) = self.aof.file.as_mut() else {
                return;
            };
            let mut written = 0;
            let mut err = None;
            while written < self.aof.buf.len() {
                match file.write(&self.aof.buf[written..]) {
                    Ok(0) => {
                        err = Some(io::Error::from(io::ErrorKind::WriteZero));
                        break;
                    }
                    Ok(n) => written += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            self.aof.buf.drain(..written);
            self.aof.current_size += written as u64;
            self.aof.incr_size += written as u64;
            if let Some(e) = err {
                warn!("Error writing to the AOF file: {e}");
                self.aof.last_write_error = crate::server::os_error_text(&e);
                if policy == "always" {
                    warn!("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                    std::process::exit(1);
                }
                self.aof.last_write_ok = false;
                return;
            }
            if !self.aof.last_write_ok {
                warn!("AOF write error looks solved, Redis can write again.");
                self.aof.last_write_ok = true;
            }
        }
        if self.aof.fsync_offset == self.aof.current_size {
            return;
        }
        if !force && self.config.no_appendfsync_on_rewrite && self.has_active_child() {
            return;
        }
        if force || policy == "always" {
            if let Some(f) = self.aof.file.as_ref() {
                if let Err(e) = f.sync_data() {
                    warn!("Can't persist AOF for fsync error when the AOF fsync policy is 'always': {e}. Exiting...");
                    std::process::exit(1);
                }
            }
            self.aof.fsync_offset = self.aof.current_size;
            self.aof.last_fsync_ms = now;
        } else if policy == "everysec" && now - self.aof.last_fsync_ms >= 1000 {
            if self.aof.pending_fsync() > 0 {
                self.aof.delayed_fsync += 1;
                return;
            }
            self.aof_background_fsync();
            self.aof.fsync_offset = self.aof.current_size;
            self.aof.last_fsync_ms = now;
        }
    }

    /// Hand a duplicate of the incr descriptor to the fsync thread.
    fn aof_background_fsync(&mut self) {
        let Some(dup) = self.aof.file.as_ref().and_then(|f| f.try_clone().ok()) else {
            return;
        };
        self.aof_fsync_later(dup);
    }

    /// fsync and close `f` on the fsync thread (inline if it can't start).
    fn aof_fsync_later(&mut self, f: File) {
        if self.aof.fsyncer.is_none() {
            match Fsyncer::start() {
                Ok(t) => self.aof.fsyncer = Some(t),
                Err(e) => warn!("Can't start the AOF fsync thread: {e}"),
            }
        }
        match self.aof.fsyncer.as_ref() {
            Some(t) => t.submit(f),
            None => {
                let _ = f.sync_data();
            }
        }
    }

    /// BGREWRITEAOF: open a new incr file, then fork a child that writes
    /// the new base.
    pub fn aof_rewrite_background(&mut self) -> Result<libc::pid_t, String> {
        if self.has_active_child() {
            return Err("child in progress".into());
        }
        if let Err(e) = std::fs::create_dir_all(self.aof_dir()) {
            warn!(
                "Can't open or create append-only dir {}: {e}",
                self.config.appenddirname
            );
            return Err(e.to_string());
        }
        self.aof.rewrite_scheduled = false;
        self.aof_flush(true);
        if let Err(e) = self.aof_open_new_incr() {
            self.aof.last_bgrewrite_ok = false;
            self.aof.consecutive_failures += 1;
            return Err(e);
        }
        let preamble = self.config.aof_use_rdb_preamble;
        let opts = self.aof_save_options();
        let aux = self.aof_aux();
        let dbs = &self.dbs;
        let fork_start = util::monotonic_us();
        let spawned = child::spawn(|| {
            let temp = aof::temp_rewrite_name(std::process::id());
            let path = PathBuf::from(&temp);
            match write_base_file(&path, dbs, preamble, opts, aux) {
                Ok(()) => {
                    info!("Successfully created the temporary AOF base file {temp}");
                    true
                }
                Err(e) => {
                    warn!("Error writing the temporary AOF base file {temp}: {e}");
                    let _ = std::fs::remove_file(&path);
                    false
                }
            }
        });
        match spawned {
            Ok(child::Spawned { pid, cow_pipe }) => {
                self.persistence.latest_fork_usec = util::monotonic_us() - fork_start;
                self.persistence.total_forks += 1;
                info!("Background append only file rewriting started by pid {pid}");
                self.aof.child = Some(AofChild {
                    pid,
                    start_ms: util::now_ms(),
                    preamble,
                    cow_pipe: std::sync::Arc::new(cow_pipe),
                });
                dict::set_resize_allowed(false);
                Ok(pid)
            }
            Err(e) => {
                warn!("Can't rewrite append only file in background: fork: {e}");
                self.aof.last_bgrewrite_ok = false;
                self.aof.consecutive_failures += 1;
                Err(e.to_string())
            }
        }
    }

    /// At the start of a rewrite: further writes go to a new incr file.
    /// With AOF on it is listed in the manifest at once; while AOF is being
    /// switched on it is a temp file renamed when the rewrite succeeds; with
    /// AOF off there is none.
    fn aof_open_new_incr(&mut self) -> Result<(), String> {
        let fname = self.config.appendfilename.clone();
        let (path, name) = match self.aof.status {
            AofStatus::Off => return Ok(()),
            AofStatus::On => {
                let mut m = self.aof.manifest.clone();
                let name = m.new_incr(&fname);
                (self.aof_path(&name), Some((name, m)))
            }
            AofStatus::WaitRewrite => (self.aof_path(&aof::temp_incr_name(&fname)), None),
        };
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(|e| {
                warn!("Can't open the append-only file {}: {e}", path.display());
                e.to_string()
            })?;
        if let Some((name, m)) = name {
            let old = std::mem::replace(&mut self.aof.manifest, m);
            if let Err(e) = self.aof_persist_manifest() {
                self.aof.manifest = old;
                let _ = std::fs::remove_file(&path);
                return Err(e.to_string());
            }
            info!("Creating AOF incr file {name} on background rewrite");
        }
        if let Some(old) = self.aof.file.replace(file) {
            // Its data may not be on disk yet: fsync and close it off the loop.
            self.aof_fsync_later(old);
        }
        self.aof.incr_size = 0;
        // The new file must start by selecting the stream's database.
        if self.propagation.stream_db >= 0 {
            let db = self.propagation.stream_db.to_string();
            let mut sel = Vec::new();
            crate::propagate::encode_command(&mut sel, &[b"SELECT", db.as_bytes()]);
            self.aof.buf.splice(0..0, sel);
        }
        Ok(())
    }

    /// From the cron: reap the rewrite child, start scheduled or automatic
    /// rewrites.
    pub(crate) fn aof_cron(&mut self, now_ms: i64) {
        if let Some(c) = self.aof.child.clone() {
            if let Some((exit, cow)) = child::reap_with_cow(c.pid, &c.cow_pipe) {
                self.aof.last_cow_size = cow;
                self.aof_rewrite_done(c, exit, now_ms);
            }
            return;
        }
        if self.has_active_child() {
            return;
        }
        if self.aof.rewrite_scheduled {
            let _ = self.aof_rewrite_background();
            return;
        }
        let perc = self.config.auto_aof_rewrite_percentage;
        if self.aof.status == AofStatus::On
            && perc > 0
            && self.aof.current_size as i64 > self.config.auto_aof_rewrite_min_size
        {
            let base = self.aof.base_size.max(1) as i64;
            let growth = (self.aof.current_size as i64 * 100 / base) - 100;
            if growth >= perc {
                info!("Starting automatic rewriting of AOF on {growth}% growth");
                let _ = self.aof_rewrite_background();
            }
        }
    }

    /// The rewrite child ended: install the new base and manifest, or
    /// clean up after a failure.
    fn aof_rewrite_done(&mut self, c: AofChild, exit: ChildExit, now_ms: i64) {
        self.aof.child = None;
        dict::set_resize_allowed(!self.has_active_child());
        self.aof.last_rewrite_time_sec = (now_ms - c.start_ms) / 1000;
        let temp = aof::temp_rewrite_name(c.pid as u32);
        let ok = match exit {
            ChildExit::Success => {
                info!("Background AOF rewrite terminated with success");
                match self.aof_install_rewrite(&temp, c.preamble) {
                    Ok(()) => true,
                    Err(e) => {
                        warn!("{e}");
                        false
                    }
                }
            }
            ChildExit::Failed(_) => {
                warn!("Background AOF rewrite terminated with error");
                false
            }
            ChildExit::Signaled(sig) => {
                warn!("Background AOF rewrite terminated by signal {sig}");
                false
            }
        };
        if ok {
            info!("Background AOF rewrite finished successfully");
            self.aof.last_bgrewrite_ok = true;
            self.aof.consecutive_failures = 0;
            self.aof.rewrites += 1;
        } else {
            let _ = std::fs::remove_file(&temp);
            self.aof.last_bgrewrite_ok = false;
            self.aof.consecutive_failures += 1;
            if self.aof.status == AofStatus::WaitRewrite {
                self.aof.rewrite_scheduled = true;
            }
        }
    }

    /// Rename the child's base into the directory, write the new manifest,
    /// delete the files it replaced.
    fn aof_install_rewrite(&mut self, temp: &str, preamble: bool) -> Result<(), String> {
        let fname = self.config.appendfilename.clone();
        let mut m = self.aof.manifest.clone();
        let base = m.new_base(&fname, preamble);
        std::fs::rename(temp, self.aof_path(&base)).map_err(|e| {
            format!("Error trying to rename the temporary AOF base file {temp} into {base}: {e}")
        })?;
        let mut renamed_incr = None;
        if self.aof.status == AofStatus::WaitRewrite {
            let incr = m.new_incr(&fname);
            let temp_incr = aof::temp_incr_name(&fname);
            std::fs::rename(self.aof_path(&temp_incr), self.aof_path(&incr)).map_err(|e| {
                format!(
                    "Error trying to rename the temporary AOF incr file {temp_incr} into {incr}: {e}"
                )
            })?;
            renamed_incr = Some((temp_incr, incr));
        }
        if self.aof.status == AofStatus::Off {
            for mut i in m.incrs.drain(..) {
                i.kind = aof::FileType::History;
                m.history.push(i);
            }
        } else {
            m.mark_rewritten_incrs_as_history();
        }
        let old = std::mem::replace(&mut self.aof.manifest, m);
        if let Err(e) = self.aof_persist_manifest() {
            self.aof.manifest = old;
            let _ = std::fs::remove_file(self.aof_path(&base));
            return Err(format!("Can't persist the AOF manifest after rewrite: {e}"));
        }
        info!("Successfully renamed the temporary AOF base file {temp} into {base}");
        if let Some((t, i)) = renamed_incr {
            info!("Successfully renamed the temporary AOF incr file {t} into {i}");
            self.aof.status = AofStatus::On;
        }
        let history = std::mem::take(&mut self.aof.manifest.history);
        if !history.is_empty() {
            for h in &history {
                info!("Removing the history file {} in the background", h.name);
                let _ = std::fs::remove_file(self.aof_path(&h.name));
            }
            let _ = self.aof_persist_manifest();
        }
        self.aof.current_size = file_size(&self.aof_path(&base)) + self.aof.incr_size;
        self.aof.base_size = self.aof.current_size;
        Ok(())
    }

    /// Stop a running rewrite (AOF switched off, shutdown).
    pub fn kill_aof_child(&mut self) {
        if let Some(c) = self.aof.child.take() {
            info!("Killing running AOF rewrite child: {}", c.pid);
            child::kill_and_wait(c.pid);
            let _ = std::fs::remove_file(aof::temp_rewrite_name(c.pid as u32));
            let _ = std::fs::remove_file(
                self.aof_path(&aof::temp_incr_name(&self.config.appendfilename)),
            );
            dict::set_resize_allowed(!self.has_active_child());
        }
    }

    /// CONFIG SET appendonly yes: build the AOF from the dataset with a
    /// rewrite. Err when the rewrite could not start.
    pub fn aof_start(&mut self) -> Result<(), String> {
        if self.aof.status != AofStatus::Off {
            return Ok(());
        }
        if self.aof.child.is_some() {
            warn!("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.");
            self.kill_aof_child();
        }
        self.aof.status = AofStatus::WaitRewrite;
        self.refresh_propagation_active();
        if self.has_active_child() {
            self.aof.rewrite_scheduled = true;
            warn!("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.");
            return Ok(());
        }
        if let Err(e) = self.aof_rewrite_background() {
            warn!("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
            self.aof.status = AofStatus::Off;
            self.refresh_propagation_active();
            return Err(e);
        }
        Ok(())
    }

    /// CONFIG SET appendonly no: flush, fsync and close.
    pub fn aof_stop(&mut self) {
        if self.aof.status == AofStatus::Off {
            return;
        }
        self.aof_flush(true);
        if let Some(f) = self.aof.file.take() {
            let _ = f.sync_data();
        }
        self.aof.buf.clear();
        self.aof.status = AofStatus::Off;
        self.aof.rewrite_scheduled = false;
        self.kill_aof_child();
        info!("Background append only file rewriting is stopped");
        self.refresh_propagation_active();
    }

    /// Shutdown: stop a rewrite, write and fsync what is buffered.
    pub fn aof_shutdown(&mut self) {
        self.kill_aof_child();
        if self.aof.status == AofStatus::On && self.aof.file.is_some() {
            self.aof_flush(true);
            info!("Calling fsync() on the AOF file.");
        }
    }

    /// INFO persistence's aof_* block.
    pub fn aof_info(&self, out: &mut String) {
        let a = &self.aof;
        let now_s = util::now_ms() / 1000;
        let mut f = |k: &str, v: String| {
            out.push_str(k);
            out.push(':');
            out.push_str(&v);
            out.push_str("\r\n");
        };
        f(
            "aof_enabled",
            ((a.status != AofStatus::Off) as u8).to_string(),
        );
        f(
            "aof_rewrite_in_progress",
            (a.child.is_some() as u8).to_string(),
        );
        f(
            "aof_rewrite_scheduled",
            (a.rewrite_scheduled as u8).to_string(),
        );
        f(
            "aof_last_rewrite_time_sec",
            a.last_rewrite_time_sec.to_string(),
        );
        f(
            "aof_current_rewrite_time_sec",
            a.child
                .as_ref()
                .map_or(-1, |c| now_s - c.start_ms / 1000)
                .to_string(),
        );
        f(
            "aof_last_bgrewrite_status",
            if a.last_bgrewrite_ok { "ok" } else { "err" }.into(),
        );
        f("aof_rewrites", a.rewrites.to_string());
        f(
            "aof_rewrites_consecutive_failures",
            a.consecutive_failures.to_string(),
        );
        f(
            "aof_last_write_status",
            if a.last_write_ok { "ok" } else { "err" }.into(),
        );
        f("aof_last_cow_size", a.last_cow_size.to_string());
        f("module_fork_in_progress", "0".into());
        f("module_fork_last_cow_size", "0".into());
        if a.status != AofStatus::Off {
            f("aof_current_size", a.current_size.to_string());
            f("aof_base_size", a.base_size.to_string());
            f(
                "aof_pending_rewrite",
                (a.rewrite_scheduled as u8).to_string(),
            );
            f("aof_buffer_length", a.buf.len().to_string());
            f("aof_pending_bio_fsync", a.pending_fsync().to_string());
            f("aof_delayed_fsync", a.delayed_fsync.to_string());
        }
    }
}

/// A client that runs AOF commands: no socket peer, replies discarded.
/// (A `Client` owns a socket; this one gets a fresh, unconnected one that
/// nothing reads or writes.)
fn fake_client() -> std::io::Result<Client> {
    use std::os::fd::FromRawFd;
    // SAFETY: plain socket(2) call; the result is checked before use.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` is a valid socket we own from here on.
    let std_stream = unsafe { std::net::TcpStream::from_raw_fd(fd) };
    let stream = mio::net::TcpStream::from_std(std_stream);
    let addr: std::net::SocketAddr = ([0, 0, 0, 0], 0).into();
    Ok(Client::new(
        crate::client::AOF_CLIENT_ID,
        usize::MAX,
        stream,
        addr,
        addr,
        util::now_ms(),
        true,
    ))
}

/// Counts the bytes read through it (where an RDB preamble ends).
struct CountingReader<R> {
    inner: R,
    n: u64,
}

impl<R: io::Read> io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// Write a BASE file at `path` (RDB preamble or commands), fsynced.
fn write_base_file(
    path: &std::path::Path,
    dbs: &[crate::db::Db],
    preamble: bool,
    opts: SaveOptions,
    aux: AuxFields,
) -> io::Result<()> {
    let file = File::create(path)?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    if preamble {
        w = snapshot::write_rdb(w, dbs, &aux, opts)?;
    } else {
        aof::write_dataset_commands(&mut w, dbs, util::now_ms())?;
    }
    let file = w.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}
