//! RDB persistence on the server side: SAVE, BGSAVE through a fork child,
//! save points, loading at start-up, DEBUG RELOAD, the final save on
//! SHUTDOWN, and the INFO persistence numbers.
//!
//! BGSAVE: the parent forks ([`crate::persist::child`]); the child writes
//! `temp-<childpid>.rdb` in `dir`, fsyncs it and renames it over
//! `dbfilename`, then `_exit`s. The parent goes on serving and reaps the
//! child from the cron with `waitpid(WNOHANG)`. While a child lives, hash
//! tables do not resize (each resize would copy pages the child shares).

use std::path::{Path, PathBuf};

use log::{info, warn};

use crate::db::dict;
use crate::persist::child::{self, ChildExit};
use crate::persist::rdb::{AuxFields, WriterOptions};
use crate::persist::snapshot::{self, SaveOptions};
use crate::server::{Server, REDIS_VERSION};
use crate::util;

/// Minimum pause between a failed background save and the next automatic
/// one (Redis's CONFIG_BGSAVE_RETRY_DELAY).
const BGSAVE_RETRY_DELAY_MS: i64 = 5000;

/// A background save in progress.
#[derive(Debug, Clone)]
pub struct RdbChild {
    pub pid: libc::pid_t,
    /// When it was forked (unix ms).
    pub start_ms: i64,
    /// `dirty` at fork time: what the save covers.
    pub dirty_at_fork: u64,
    /// Where the child reports its copy-on-write size (shared so the
    /// struct stays cheap to clone).
    pub cow_pipe: std::sync::Arc<std::fs::File>,
    /// A diskless full sync (the RDB goes to replica sockets, not to disk).
    pub to_replicas: bool,
}

/// Persistence state and counters (INFO persistence).
#[derive(Debug)]
pub struct Persistence {
    pub child: Option<RdbChild>,
    /// BGSAVE SCHEDULE asked for a save while another child ran.
    pub bgsave_scheduled: bool,
    /// Outcome of the last background save (`rdb_last_bgsave_status`).
    pub last_bgsave_ok: bool,
    /// When the last BGSAVE was attempted (for the retry delay).
    pub last_bgsave_try_ms: i64,
    /// Duration of the last background save, seconds (-1: none yet).
    pub last_bgsave_time_sec: i64,
    /// Successful saves since start-up (`rdb_saves`).
    pub rdb_saves: u64,
    /// Forks since start-up and the last fork's duration.
    pub total_forks: u64,
    pub latest_fork_usec: u64,
    /// Copy-on-write bytes of the last child (`rdb_last_cow_size`).
    pub last_cow_size: u64,
    /// Start-up load results.
    pub last_load_keys_loaded: u64,
    pub last_load_keys_expired: u64,
    /// The replication AUX fields (repl-stream-db, repl-id, repl-offset) of
    /// the last RDB loaded, when it had all three: a replica restarts from
    /// them, and takes its master's stream db from a full sync's RDB.
    pub last_load_repl: Option<crate::persist::rdb::ReplAux>,
}

impl Default for Persistence {
    fn default() -> Self {
        Persistence {
            child: None,
            bgsave_scheduled: false,
            last_bgsave_ok: true,
            last_bgsave_try_ms: 0,
            last_bgsave_time_sec: -1,
            rdb_saves: 0,
            total_forks: 0,
            latest_fork_usec: 0,
            last_cow_size: 0,
            last_load_keys_loaded: 0,
            last_load_keys_expired: 0,
            last_load_repl: None,
        }
    }
}

/// How far a load got (INFO persistence while `loading:1`).
#[derive(Debug, Default, Clone)]
pub struct LoadingProgress {
    pub start_ms: i64,
    pub total_bytes: u64,
    pub bytes: u64,
    pub keys: u64,
}

/// Why a save could not be done (the reply and the log say more).
#[derive(Debug)]
pub enum SaveError {
    /// A child is already saving.
    InProgress,
    Io(std::io::Error),
}

impl Server {
    /// AUX fields for a file written now.
    pub(crate) fn rdb_aux(&self) -> AuxFields {
        AuxFields {
            redis_ver: REDIS_VERSION.to_string(),
            redis_bits: usize::BITS,
            ctime: util::now_ms() / 1000,
            used_mem: crate::alloc::used_memory() as u64,
            repl: self.repl_save_info(),
            aof_base: false,
        }
    }

    /// How to write an RDB stream now (also the AOF rewrite's preamble).
    pub(crate) fn save_options(&self) -> SaveOptions {
        SaveOptions {
            writer: WriterOptions {
                compression: self.config.rdbcompression,
                checksum: self.config.rdbchecksum,
            },
            key_save_delay_us: self.config.rdb_key_save_delay,
            clock: crate::db::clock::Settings::from_config(&self.config),
            now_ms: util::now_ms(),
        }
    }

    /// Directory the RDB file lives in (the process chdir'd into `dir`).
    pub(crate) fn rdb_dir(&self) -> PathBuf {
        PathBuf::from(".")
    }

    /// How often a save hands its file to writeback (`rdb-save-incremental-fsync`).
    fn save_writeback_step(&self) -> u64 {
        if self.config.rdb_save_incremental_fsync {
            crate::persist::writeback::SAVE_STEP
        } else {
            0
        }
    }

    /// SAVE: write the snapshot in the foreground.
    pub fn rdb_save(&mut self) -> Result<(), SaveError> {
        if self.persistence.child.is_some() {
            return Err(SaveError::InProgress);
        }
        let temp = format!("temp-{}.rdb", std::process::id());
        let aux = self.rdb_aux();
        let opts = self.save_options();
        let dir = self.rdb_dir();
        let step = self.save_writeback_step();
        match snapshot::save_file(
            &dir,
            &temp,
            &self.config.dbfilename,
            &self.dbs,
            &aux,
            opts,
            step,
        ) {
            Ok(()) => {
                info!("DB saved on disk");
                self.dirty = 0;
                self.lastsave = util::now_ms() / 1000;
                self.persistence.last_bgsave_ok = true;
                self.persistence.rdb_saves += 1;
                Ok(())
            }
            Err(e) => {
                warn!("Failed saving the DB: {e}");
                Err(SaveError::Io(e))
            }
        }
    }

    /// BGSAVE: fork a child that writes the snapshot.
    pub fn rdb_bgsave(&mut self) -> Result<libc::pid_t, SaveError> {
        if self.has_active_child() {
            return Err(SaveError::InProgress);
        }
        self.persistence.last_bgsave_try_ms = util::now_ms();
        let aux = self.rdb_aux();
        let dir = self.rdb_dir();
        let final_name = self.config.dbfilename.clone();
        let step = self.save_writeback_step();
        self.fork_rdb_child(false, aux, move |dbs, aux, opts| {
            let temp = format!("temp-{}.rdb", std::process::id());
            match snapshot::save_file(&dir, &temp, &final_name, dbs, aux, opts, step) {
                Ok(()) => {
                    info!("DB saved on disk");
                    true
                }
                Err(e) => {
                    warn!("Write error saving DB on disk: {e}");
                    false
                }
            }
        })
    }

    /// Fork the RDB child: `work` runs in it with the frozen dataset, the
    /// AUX fields and the save options, and says whether it succeeded.
    /// `to_replicas`: a diskless full sync streaming to replica sockets
    /// (`repl/diskless.rs`), whose end updates no save counters.
    pub(crate) fn fork_rdb_child(
        &mut self,
        to_replicas: bool,
        aux: AuxFields,
        work: impl FnOnce(&[crate::db::Db], &AuxFields, SaveOptions) -> bool,
    ) -> Result<libc::pid_t, SaveError> {
        if self.has_active_child() {
            return Err(SaveError::InProgress);
        }
        let now = util::now_ms();
        let opts = self.save_options();
        let fork_start = util::monotonic_us();
        let dbs = &self.dbs;
        let spawned = child::spawn(|| work(dbs, &aux, opts));
        match spawned {
            Ok(child::Spawned { pid, cow_pipe }) => {
                self.persistence.latest_fork_usec = util::monotonic_us() - fork_start;
                self.persistence.total_forks += 1;
                if to_replicas {
                    info!("Background RDB transfer started by pid {pid}");
                } else {
                    info!("Background saving started by pid {pid}");
                }
                self.persistence.child = Some(RdbChild {
                    pid,
                    cow_pipe: std::sync::Arc::new(cow_pipe),
                    start_ms: now,
                    dirty_at_fork: self.dirty,
                    to_replicas,
                });
                dict::set_resize_allowed(false);
                Ok(pid)
            }
            Err(e) => {
                if !to_replicas {
                    self.persistence.last_bgsave_ok = false;
                }
                warn!("Can't save in background: fork: {e}");
                Err(SaveError::Io(e))
            }
        }
    }

    /// From the cron: reap a finished child, run a scheduled BGSAVE, and
    /// check the save points.
    pub(crate) fn persistence_cron(&mut self, now_ms: i64) {
        if let Some(c) = self.persistence.child.clone() {
            if let Some((exit, cow)) = child::reap_with_cow(c.pid, &c.cow_pipe) {
                self.persistence.last_cow_size = cow;
                self.bgsave_done(c, exit, now_ms);
            }
            return;
        }
        if self.aof.child.is_some() {
            // One fork child at a time: the AOF rewrite runs.
            return;
        }
        if self.persistence.bgsave_scheduled {
            self.persistence.bgsave_scheduled = false;
            let _ = self.rdb_bgsave();
            return;
        }
        let since_save = now_ms / 1000 - self.lastsave;
        let retry_ok = self.persistence.last_bgsave_ok
            || now_ms - self.persistence.last_bgsave_try_ms > BGSAVE_RETRY_DELAY_MS;
        let point = self.config.save.iter().copied().find(|&(secs, changes)| {
            self.dirty >= changes as u64 && since_save >= secs && retry_ok
        });
        if let Some((secs, changes)) = point {
            let _ = changes;
            info!("{} changes in {} seconds. Saving...", self.dirty, secs);
            let _ = self.rdb_bgsave();
        }
    }

    /// A background save ended: log as Redis does and update the counters.
    fn bgsave_done(&mut self, c: RdbChild, exit: ChildExit, now_ms: i64) {
        self.persistence.child = None;
        dict::set_resize_allowed(true);
        self.persistence.last_bgsave_time_sec = (now_ms - c.start_ms) / 1000;
        if c.to_replicas {
            // Nothing was written to disk: lastsave, dirty and the BGSAVE
            // status stay as they were (Redis's backgroundSaveDoneHandlerSocket).
            match exit {
                ChildExit::Success => info!("Background RDB transfer terminated with success"),
                ChildExit::Failed(_) => warn!("Background transfer error"),
                ChildExit::Signaled(sig) => {
                    warn!("Background transfer terminated by signal {sig}")
                }
            }
            self.bgsave_done_for_replicas(exit == ChildExit::Success);
            return;
        }
        // Replication: replicas waiting for this snapshot.
        self.bgsave_done_for_replicas(exit == ChildExit::Success);
        match exit {
            ChildExit::Success => {
                info!("Background saving terminated with success");
                self.dirty = self.dirty.saturating_sub(c.dirty_at_fork);
                self.lastsave = now_ms / 1000;
                self.persistence.last_bgsave_ok = true;
                self.persistence.rdb_saves += 1;
            }
            ChildExit::Failed(_) => {
                warn!("Background saving error");
                self.persistence.last_bgsave_ok = false;
            }
            ChildExit::Signaled(sig) => {
                warn!("Background saving terminated by signal {sig}");
                let _ = std::fs::remove_file(self.rdb_dir().join(format!("temp-{}.rdb", c.pid)));
                // A save killed on purpose (SIGUSR1 in Redis) is not an error.
                if sig != libc::SIGUSR1 {
                    self.persistence.last_bgsave_ok = false;
                }
            }
        }
    }

    /// Stop a running background save (FLUSHALL, SHUTDOWN, DEBUG RELOAD).
    pub fn kill_rdb_child(&mut self) {
        if let Some(c) = self.persistence.child.take() {
            warn!("Killing running BGSAVE child: {}", c.pid);
            child::kill_and_wait(c.pid);
            let _ = std::fs::remove_file(self.rdb_dir().join(format!("temp-{}.rdb", c.pid)));
            dict::set_resize_allowed(true);
            // Replication: replicas waiting for this snapshot fail.
            self.bgsave_done_for_replicas(false);
        }
    }

    /// Whether writes must be refused with MISCONF: the last background
    /// save failed, save points exist and `stop-writes-on-bgsave-error`.
    pub fn writes_refused_by_misconf(&self) -> bool {
        self.config.stop_writes_on_bgsave_error
            && !self.config.save.is_empty()
            && !self.persistence.last_bgsave_ok
    }

    /// Load `dbfilename` at start-up if it exists. Errors are fatal for
    /// the caller (Redis refuses to start on a bad file and overwrites
    /// nothing).
    pub fn load_at_startup(&mut self) -> Result<(), String> {
        // With appendonly yes the AOF is the source of truth (aof_server.rs).
        if self.aof_load_at_startup()? {
            return Ok(());
        }
        let path = self.rdb_dir().join(&self.config.dbfilename);
        if !path.exists() {
            return Ok(());
        }
        let start = util::monotonic_us();
        self.load_rdb_file_serving(&path, true)?;
        info!(
            "Done loading RDB, keys loaded: {}, keys expired: {}.",
            self.persistence.last_load_keys_loaded, self.persistence.last_load_keys_expired
        );
        info!(
            "DB loaded from disk: {:.3} seconds",
            (util::monotonic_us() - start) as f64 / 1e6
        );
        // A replica continues from the saved replication ID and offset.
        self.replica_restore_from_rdb();
        self.master_restore_from_rdb();
        Ok(())
    }

    /// A master restarted from its own snapshot keeps its replication
    /// history, as Redis 7.0 does: the saved ID becomes `replid2` (valid up
    /// to the saved offset), the offset carries on from the saved one, and a
    /// backlog exists at once, so replicas that were in sync when the master
    /// stopped continue with a partial resync instead of a full one.
    fn master_restore_from_rdb(&mut self) {
        if self.repl.is_replica() {
            return;
        }
        let Some(r) = self.persistence.last_load_repl.clone() else {
            return;
        };
        if r.replid.len() != 40 {
            return;
        }
        self.repl.replid2 = r.replid;
        self.repl.second_repl_offset = r.offset + 1;
        self.repl.master_repl_offset = r.offset;
        self.create_backlog();
        info!(
            "Kept the replication history of the saved dataset (replid2 {} up to offset {}) so replicas can partially resync",
            self.repl.replid2, r.offset
        );
    }

    /// Replace the dataset with the content of an RDB file, without serving
    /// clients meanwhile (DEBUG RELOAD runs inside a command).
    pub fn load_rdb_file(&mut self, path: &Path) -> Result<(), String> {
        self.load_rdb_file_serving(path, false)
    }

    /// Replace the dataset with the content of an RDB file. With `serve`,
    /// clients keep being answered while it loads (start-up, a replica's
    /// full sync): INFO shows `loading:1` and the progress, and commands
    /// that need the data get `-LOADING`. The file loads into fresh
    /// databases, so the event handling in between never sees half a
    /// dataset.
    pub fn load_rdb_file_serving(&mut self, path: &Path, serve: bool) -> Result<(), String> {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("Fatal error loading the DB: {e}. Exiting."))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut fresh: Vec<crate::db::Db> = (0..self.dbs.len()).map(crate::db::Db::new).collect();
        let now = util::now_ms();
        let deletes = self.expire_deletes();
        let cfg = self.config.clone();
        self.loading = true;
        self.loading_progress = LoadingProgress {
            start_ms: now,
            total_bytes: total,
            ..Default::default()
        };
        let mut last_serve_us = util::monotonic_us();
        let mut last_log_us = last_serve_us;
        let batch = crate::persist::sched::BatchGuard::new();
        let loaded = snapshot::load_rdb_with_progress(
            file,
            &mut fresh,
            &cfg,
            now,
            deletes,
            &mut |keys, bytes| {
                self.loading_progress.keys = keys;
                self.loading_progress.bytes = bytes;
                // Serve clients about every 100 ms, as Redis's
                // processEventsWhileBlocked does during a load.
                let now_us = util::monotonic_us();
                if now_us - last_log_us >= 5_000_000 {
                    // A long load can be followed in the log.
                    last_log_us = now_us;
                    let perc = if total > 0 {
                        bytes as f64 * 100.0 / total as f64
                    } else {
                        0.0
                    };
                    info!(
                        "Loading the dataset: {keys} keys, {bytes} of {total} bytes ({perc:.1}%)"
                    );
                }
                if serve && now_us - last_serve_us >= 100_000 {
                    last_serve_us = now_us;
                    self.process_events_while_loading();
                }
            },
        );
        drop(batch);
        self.loading = false;
        let info = loaded.map_err(|e| {
            format!("Short read or OOM loading DB. Unrecoverable error, aborting now. ({e})")
        })?;
        self.dbs = fresh;
        self.record_load(&info);
        Ok(())
    }

    /// Note what a completed load found: the version that produced it (in
    /// the log, as Redis), the INFO counters and the replication AUX
    /// fields. Shared by file loads and a replica's load from the socket.
    pub(crate) fn record_load(&mut self, info: &snapshot::LoadInfo) {
        if let Some(ver) = info.aux_str("redis-ver") {
            info!("Loading RDB produced by version {ver}");
        }
        self.persistence.last_load_keys_loaded = info.keys_loaded;
        self.persistence.last_load_keys_expired = info.keys_expired;
        self.persistence.last_load_repl = match (
            info.aux_str("repl-stream-db")
                .and_then(|v| v.parse::<i64>().ok()),
            info.aux_str("repl-id"),
            info.aux_str("repl-offset")
                .and_then(|v| v.parse::<i64>().ok()),
        ) {
            (Some(stream_db), Some(replid), Some(offset)) => Some(crate::persist::rdb::ReplAux {
                stream_db,
                replid,
                offset,
            }),
            _ => None,
        };
    }

    /// The final save of a shutdown: with save points configured (or
    /// SHUTDOWN SAVE) and not NOSAVE. Returns false when the save failed and
    /// the shutdown must not go on.
    pub fn shutdown_save(&mut self, nosave: bool, save: bool) -> bool {
        self.kill_rdb_child();
        self.aof_shutdown();
        if nosave || (!save && self.config.save.is_empty()) {
            return true;
        }
        info!("Saving the final RDB snapshot before exiting.");
        match self.rdb_save() {
            Ok(()) => true,
            Err(_) => {
                warn!("Error trying to save the DB, can't exit.");
                false
            }
        }
    }

    /// DEBUG RELOAD: save, empty the dataset and load the file again.
    pub fn debug_reload(&mut self) -> Result<(), String> {
        self.kill_rdb_child();
        self.rdb_save()
            .map_err(|_| "Error trying to save the DB".to_string())?;
        let path = self.rdb_dir().join(&self.config.dbfilename);
        self.load_rdb_file(&path)?;
        info!("DB reloaded by DEBUG RELOAD");
        Ok(())
    }
}
