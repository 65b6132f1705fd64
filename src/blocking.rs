//! Clients that wait: blocking commands (BLPOP, BZPOPMIN...), CLIENT PAUSE,
//! and the MONITOR feed.
//!
//! Blocking works by re-execution. A blocking command that finds nothing to
//! serve calls [`Server::block_on_keys`]: the client keeps its argv, is
//! queued on each key (FIFO per key, as Redis serves them), and stops
//! processing input. When a command creates one of those keys,
//! `signal_key_ready` notes it; after that command the server runs the
//! waiting clients' commands again, oldest first, while the key has data.
//! A client whose command finds the key empty again simply stays queued.
//! Deadlines live in an ordered set so the loop can sleep exactly until the
//! next one.

use crate::client::{Blocked, Client, ClientKind};
use crate::cmd::flags;
use crate::resp::errors;
use crate::server::Server;

impl Server {
    /// Called by a blocking command that has nothing to serve: wait on
    /// `keys` of `db` until one gets data or `timeout_ms` (0 = forever)
    /// passes. The command's argv is kept to run it again. Inside
    /// MULTI/EXEC a blocking command must not block: the caller checks
    /// `c.in_exec` and replies as for a timeout instead.
    pub fn block_on_keys(
        &mut self,
        c: &mut Client,
        db: usize,
        keys: &[&[u8]],
        timeout_ms: i64,
        argv: &[&[u8]],
    ) {
        c.block_requested = true;
        if c.blocked.is_some() {
            // Already waiting (woken for a key that was emptied again):
            // keep the place in every queue.
            return;
        }
        let deadline_ms = (timeout_ms > 0).then_some(timeout_ms);
        let idx = self.commands.lookup(argv[0]).unwrap_or_default();
        for key in keys {
            self.blocking_keys
                .entry((db, (*key).into()))
                .or_default()
                .push_back(c.slot);
        }
        if let Some(d) = deadline_ms {
            self.blocked_clients.insert((d, c.slot));
        }
        c.blocked = Some(Blocked {
            db,
            keys: keys.iter().map(|k| (*k).into()).collect(),
            deadline_ms,
            idx,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
            call_us: 0,
        });
    }

    /// Take `c` out of every wait queue.
    pub fn unblock_client(&mut self, c: &mut Client) {
        let Some(b) = c.blocked.take() else {
            return;
        };
        for key in b.keys {
            let k = (b.db, key);
            if let Some(q) = self.blocking_keys.get_mut(&k) {
                q.retain(|&s| s != c.slot);
                if q.is_empty() {
                    self.blocking_keys.remove(&k);
                }
            }
        }
        if let Some(d) = b.deadline_ms {
            self.blocked_clients.remove(&(d, c.slot));
        }
    }

    /// A key got data: blocked clients waiting on it will be served after
    /// the current command.
    pub fn signal_key_ready(&mut self, db: usize, key: &[u8]) {
        if self.blocking_keys.is_empty() {
            return;
        }
        let k = (db, Box::<[u8]>::from(key));
        if self.blocking_keys.contains_key(&k) && !self.ready_keys.contains(&k) {
            self.ready_keys.push(k);
        }
    }

    /// Number of clients waiting in blocking commands (INFO blocked_clients).
    pub fn blocked_count(&self) -> usize {
        self.clients
            .iter()
            .filter(|(_, c)| c.as_ref().is_some_and(|c| c.blocked.is_some()))
            .count()
    }

    /// Serve the clients blocked on ready keys, oldest first, by running
    /// their commands again. `current` ran the command that made the keys
    /// ready (it cannot be blocked itself). Serving may make more keys
    /// ready (BLMOVE pushes), so loop until none is left.
    pub(crate) fn serve_blocked_clients(&mut self, current: &mut Client) {
        let _ = current;
        while !self.ready_keys.is_empty() {
            for (db, key) in std::mem::take(&mut self.ready_keys) {
                let k = (db, key);
                let waiting: Vec<usize> = match self.blocking_keys.get(&k) {
                    Some(q) => q.iter().copied().collect(),
                    None => continue,
                };
                for slot in waiting {
                    if !self.dbs[db].dict.contains_key(&k.1) {
                        break;
                    }
                    self.rerun_blocked(slot);
                }
            }
        }
    }

    /// Run a blocked client's command again; if it was served, unblock the
    /// client and go on with the rest of its input.
    fn rerun_blocked(&mut self, slot: usize) {
        let Some(mut c) = self.take_client(slot) else {
            return;
        };
        let Some(b) = c.blocked.clone() else {
            self.put_client(c);
            return;
        };
        c.block_requested = false;
        let argv: Vec<&[u8]> = b.argv.iter().map(|a| a.as_slice()).collect();
        self.call(&mut c, b.idx, &argv);
        if !c.block_requested {
            self.unblock_client(&mut c);
            self.after_command(&mut c);
            self.process_input(&mut c);
        }
        self.put_client(c);
    }

    /// Answer blocked clients whose deadline passed: a null array, as
    /// Redis replies to a timed-out BLPOP.
    pub(crate) fn handle_blocked_timeouts(&mut self, now_ms: i64) {
        while let Some(&(deadline, slot)) = self.blocked_clients.first() {
            if deadline > now_ms {
                break;
            }
            self.blocked_clients.pop_first();
            self.unblock_with(slot, false, |c| c.add_null_array());
        }
    }

    /// Unblock the client in `slot`, write `reply`, and resume its input.
    /// The command counts as one call now (a `failed` one for an error
    /// reply), since its blocking run was not counted. Returns whether
    /// the client was blocked.
    pub fn unblock_with(
        &mut self,
        slot: usize,
        failed: bool,
        reply: impl FnOnce(&mut Client),
    ) -> bool {
        let Some(mut c) = self.take_client(slot) else {
            return false;
        };
        let was_blocked = c.blocked.is_some();
        if let Some(b) = c.blocked.as_ref() {
            self.count_call(b.idx, b.call_us, failed);
            self.unblock_client(&mut c);
            reply(&mut c);
            self.process_input(&mut c);
        }
        self.put_client(c);
        was_blocked
    }

    /// CLIENT UNBLOCK on another client: TIMEOUT replies as a timeout,
    /// ERROR with Redis's UNBLOCKED error.
    pub fn client_unblock(&mut self, id: u64, error: bool) -> bool {
        let Some(&slot) = self.client_slots.get(&id) else {
            return false;
        };
        // False, and nothing written, when that client is not blocked.
        self.unblock_with(slot, error, |c| {
            if error {
                c.add_error(errors::UNBLOCKED);
            } else {
                c.add_null_array();
            }
        })
    }

    // ----------------------------------------------------------------------
    // CLIENT PAUSE
    // ----------------------------------------------------------------------

    /// Whether `c`'s command must wait for the end of a CLIENT PAUSE:
    /// every command of normal clients in ALL mode, write commands in
    /// WRITE mode. Replicas and the master link are never paused.
    pub(crate) fn must_pause(&self, c: &Client, cmd: &crate::cmd::Command) -> bool {
        let all = match self.pause {
            Some((_, all)) => all,
            // A coordinated failover holds writes until it ends
            // (repl/failover.rs), whatever CLIENT PAUSE/UNPAUSE do.
            None if self.repl.failover.active() => false,
            None => return false,
        };
        if matches!(c.kind, ClientKind::Replica | ClientKind::Master) {
            return false;
        }
        all || cmd.has(flags::WRITE) || cmd.has(flags::MAY_REPLICATE)
    }

    /// CLIENT PAUSE timeout [WRITE|ALL]. A later pause can extend but not
    /// shorten one in force, and ALL wins over WRITE, as in Redis.
    pub fn pause_clients(&mut self, until_ms: i64, all: bool) {
        self.pause = Some(match self.pause {
            Some((u, a)) => (u.max(until_ms), a || all),
            None => (until_ms, all),
        });
    }

    /// CLIENT UNPAUSE.
    pub fn unpause_clients(&mut self) {
        self.pause = None;
        self.resume_paused_clients();
    }

    /// End a pause whose time is up.
    pub(crate) fn check_pause_end(&mut self, now_ms: i64) {
        if matches!(self.pause, Some((until, _)) if until <= now_ms) {
            self.unpause_clients();
        }
    }

    /// Run the commands held back by the pause, then the rest of each
    /// client's input.
    fn resume_paused_clients(&mut self) {
        for slot in std::mem::take(&mut self.paused_clients) {
            let Some(mut c) = self.take_client(slot) else {
                continue;
            };
            if let Some(argv) = c.paused_cmd.take() {
                let args: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
                self.process_command_owned(&mut c, &args);
                self.process_input(&mut c);
            }
            self.put_client(c);
        }
    }

    // ----------------------------------------------------------------------
    // MONITOR
    // ----------------------------------------------------------------------

    /// Send one executed command to every MONITOR client, formatted as
    /// Redis does: `+<unix time>.<µs> [<db> <addr>] "arg" "arg"`.
    pub(crate) fn feed_monitors(&mut self, c: &Client, argv: &[&[u8]]) {
        let now = crate::util::now_us();
        let mut line = format!(
            "+{}.{:06} [{} {}]",
            now / 1_000_000,
            now % 1_000_000,
            c.db,
            c.addr
        );
        for a in argv {
            line.push(' ');
            line.push_str(&crate::config::repr(a));
        }
        line.push_str("\r\n");
        for &slot in &self.monitors.clone() {
            if slot == c.slot {
                continue;
            }
            if let Some(Some(m)) = self.clients.get_mut(slot) {
                m.reply.extend_from_slice(line.as_bytes());
                if !m.pending_write {
                    m.pending_write = true;
                    self.queue_write(slot);
                }
            }
        }
    }
}
