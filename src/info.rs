//! INFO: the server's report on itself, section by section, with Redis's
//! field names (monitoring tools and client libraries parse them).
//!
//! `INFO` alone prints the default sections; `all` adds commandstats and
//! latency sections; `everything` adds modules too. Several section names may
//! be given (Redis 7).

use std::fmt::Write;

use crate::client::Client;
use crate::server::{Server, FERRODIS_VERSION, REDIS_VERSION};
use crate::util;

const DEFAULT_SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// Render the requested sections (lower-case names).
pub fn render(srv: &Server, me: &Client, requested: &[String]) -> String {
    let mut wanted: Vec<&str> = Vec::new();
    if requested.is_empty() || requested.iter().any(|s| s == "default") {
        wanted.extend(DEFAULT_SECTIONS);
    }
    for s in requested {
        match s.as_str() {
            "all" | "everything" => {
                wanted.extend(DEFAULT_SECTIONS);
                wanted.push("commandstats");
                wanted.push("latencystats");
            }
            "default" => {}
            other => wanted.push(other),
        }
    }
    let mut out = String::new();
    let order = [
        "server",
        "clients",
        "memory",
        "persistence",
        "stats",
        "replication",
        "cpu",
        "modules",
        "commandstats",
        "errorstats",
        "latencystats",
        "cluster",
        "keyspace",
    ];
    for section in order {
        if !wanted.contains(&section) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        match section {
            "server" => server(srv, &mut out),
            "clients" => clients(srv, me, &mut out),
            "memory" => memory(srv, me, &mut out),
            "persistence" => persistence(srv, &mut out),
            "stats" => stats(srv, &mut out),
            "replication" => replication(srv, &mut out),
            "cpu" => cpu(&mut out),
            "modules" => out.push_str("# Modules\r\n"),
            "commandstats" => commandstats(srv, &mut out),
            "errorstats" => errorstats(srv, &mut out),
            "latencystats" => latencystats(srv, &mut out),
            "cluster" => out.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
            "keyspace" => keyspace(srv, &mut out),
            _ => {}
        }
    }
    out
}

macro_rules! field {
    ($out:expr, $name:expr, $value:expr) => {
        let _ = write!($out, "{}:{}\r\n", $name, $value);
    };
}

fn uname() -> (String, String) {
    // SAFETY: an all-zero utsname is valid; uname fills it.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is a valid, writable utsname.
    if unsafe { libc::uname(&mut u) } != 0 {
        return (String::new(), String::new());
    }
    let text = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).to_string()
    };
    (
        format!("{} {}", text(&u.sysname), text(&u.release)),
        text(&u.machine),
    )
}

fn server(srv: &Server, out: &mut String) {
    let (os, machine) = uname();
    let now_us = util::now_us();
    let uptime = srv.uptime_secs();
    out.push_str("# Server\r\n");
    field!(out, "redis_version", REDIS_VERSION);
    field!(out, "ferrodis_version", FERRODIS_VERSION);
    field!(out, "redis_git_sha1", "00000000");
    field!(out, "redis_git_dirty", 0);
    field!(out, "redis_build_id", "0");
    field!(out, "redis_mode", "standalone");
    field!(out, "os", format!("{os} {machine}"));
    field!(out, "arch_bits", usize::BITS);
    field!(out, "monotonic_clock", "POSIX clock_gettime");
    field!(out, "multiplexing_api", "epoll");
    field!(out, "atomicvar_api", "c11-builtin");
    field!(out, "gcc_version", "0.0.0");
    field!(out, "process_id", std::process::id());
    field!(out, "process_supervised", "no");
    field!(out, "run_id", srv.run_id);
    field!(out, "tcp_port", srv.tcp_port());
    field!(out, "server_time_usec", now_us);
    field!(out, "uptime_in_seconds", uptime);
    field!(out, "uptime_in_days", uptime / 86400);
    field!(out, "hz", srv.config.hz);
    field!(out, "configured_hz", srv.config.hz);
    field!(out, "lru_clock", (now_us / 1_000_000) & ((1 << 24) - 1));
    field!(out, "executable", srv.executable.display());
    field!(
        out,
        "config_file",
        srv.config
            .config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    );
    field!(out, "io_threads_active", 0);
}

fn clients(srv: &Server, me: &Client, out: &mut String) {
    let _ = me;
    out.push_str("# Clients\r\n");
    field!(out, "connected_clients", srv.connected_clients());
    field!(out, "cluster_connections", 0);
    field!(out, "maxclients", srv.config.maxclients);
    field!(
        out,
        "client_recent_max_input_buffer",
        srv.stats.client_recent_max_input_buffer
    );
    field!(
        out,
        "client_recent_max_output_buffer",
        srv.stats.client_recent_max_output_buffer
    );
    field!(out, "blocked_clients", srv.blocked_count());
    field!(out, "tracking_clients", srv.tracking.clients);
    field!(out, "clients_in_timeout_table", 0);
}

/// Resident set size from /proc (bytes).
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
    pages * page
}

fn total_system_memory() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let pages = unsafe { libc::sysconf(libc::_SC_PHYS_PAGES) }.max(0) as u64;
    // SAFETY: as above.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as u64;
    pages * page
}

fn memory(srv: &Server, me: &Client, out: &mut String) {
    let used = crate::alloc::used_memory() as u64;
    let peak = crate::alloc::peak_memory() as u64;
    let rss = rss_bytes();
    let startup = crate::alloc::startup_memory() as u64;
    let sysmem = total_system_memory();
    let human = |b: u64| util::format_memory_human(b);
    let overhead = startup;
    let dataset = used.saturating_sub(overhead);
    out.push_str("# Memory\r\n");
    field!(out, "used_memory", used);
    field!(out, "used_memory_human", human(used));
    field!(out, "used_memory_rss", rss);
    field!(out, "used_memory_rss_human", human(rss));
    field!(out, "used_memory_peak", peak);
    field!(out, "used_memory_peak_human", human(peak));
    field!(
        out,
        "used_memory_peak_perc",
        format!("{:.2}%", used as f64 * 100.0 / peak.max(1) as f64)
    );
    field!(out, "used_memory_overhead", overhead);
    field!(out, "used_memory_startup", startup);
    field!(out, "used_memory_dataset", dataset);
    field!(
        out,
        "used_memory_dataset_perc",
        format!(
            "{:.2}%",
            dataset as f64 * 100.0 / (used.saturating_sub(startup)).max(1) as f64
        )
    );
    field!(out, "allocator_allocated", used);
    field!(out, "allocator_active", used);
    field!(out, "allocator_resident", rss);
    field!(out, "total_system_memory", sysmem);
    field!(out, "total_system_memory_human", human(sysmem));
    for f in ["used_memory_lua", "used_memory_vm_eval"] {
        field!(out, f, 0);
    }
    field!(out, "used_memory_lua_human", "0B");
    field!(out, "used_memory_scripts_eval", 0);
    field!(out, "number_of_cached_scripts", 0);
    field!(out, "number_of_functions", 0);
    field!(out, "number_of_libraries", 0);
    field!(out, "used_memory_vm_functions", 0);
    field!(out, "used_memory_vm_total", 0);
    field!(out, "used_memory_vm_total_human", "0B");
    field!(out, "used_memory_functions", 0);
    field!(out, "used_memory_scripts", 0);
    field!(out, "used_memory_scripts_human", "0B");
    field!(out, "maxmemory", srv.config.maxmemory);
    field!(
        out,
        "maxmemory_human",
        human(srv.config.maxmemory.max(0) as u64)
    );
    field!(out, "maxmemory_policy", srv.config.maxmemory_policy);
    let frag = rss as f64 / used.max(1) as f64;
    field!(out, "allocator_frag_ratio", "1.00");
    field!(out, "allocator_frag_bytes", 0);
    field!(out, "allocator_rss_ratio", format!("{frag:.2}"));
    field!(out, "allocator_rss_bytes", rss.saturating_sub(used));
    field!(out, "rss_overhead_ratio", "1.00");
    field!(out, "rss_overhead_bytes", 0);
    field!(out, "mem_fragmentation_ratio", format!("{frag:.2}"));
    field!(out, "mem_fragmentation_bytes", rss as i64 - used as i64);
    // Client buffers by kind; the caller is out of the slab while it runs.
    let (mut replicas, mut normal) = (0usize, 0usize);
    for c in srv
        .clients
        .iter()
        .filter_map(|(_, c)| c.as_deref())
        .chain([me])
    {
        match c.kind {
            crate::client::ClientKind::Replica => replicas += c.memory_usage(),
            _ => normal += c.memory_usage(),
        }
    }
    // The backlog and the replicas share one replication buffer. As Redis
    // 7.0 reports it: up to repl-backlog-size it is the backlog's; what
    // is held beyond that is the replicas' (their unsent streams).
    let buffers = srv.repl.backlog.as_ref().map_or(0, |b| b.allocated());
    let size = srv.repl.backlog.as_ref().map_or(0, |b| b.size());
    let has_replicas = !srv.repl.primary.replicas.is_empty();
    let (backlog, held_for_replicas) = if has_replicas && buffers > size {
        (size, buffers - size)
    } else {
        (buffers, 0)
    };
    field!(out, "mem_not_counted_for_evict", 0);
    field!(out, "mem_replication_backlog", backlog);
    field!(out, "mem_total_replication_buffers", buffers);
    field!(out, "mem_clients_slaves", replicas + held_for_replicas);
    field!(out, "mem_clients_normal", normal);
    field!(out, "mem_cluster_links", 0);
    field!(out, "mem_aof_buffer", srv.aof.buf.capacity());
    field!(out, "mem_allocator", crate::alloc::allocator_name());
    field!(out, "active_defrag_running", 0);
    field!(out, "lazyfree_pending_objects", 0);
    field!(out, "lazyfreed_objects", 0);
}

fn persistence(srv: &Server, out: &mut String) {
    let p = &srv.persistence;
    let now_s = crate::util::now_ms() / 1000;
    out.push_str("# Persistence\r\n");
    field!(out, "loading", (srv.loading && !srv.async_loading) as u8);
    field!(out, "async_loading", srv.async_loading as u8);
    field!(out, "current_cow_peak", 0);
    field!(out, "current_cow_size", 0);
    field!(out, "current_cow_size_age", 0);
    field!(out, "current_fork_perc", "0.00");
    field!(out, "current_save_keys_processed", 0);
    field!(out, "current_save_keys_total", 0);
    field!(out, "rdb_changes_since_last_save", srv.dirty);
    field!(out, "rdb_bgsave_in_progress", p.child.is_some() as u8);
    field!(out, "rdb_last_save_time", srv.lastsave);
    field!(
        out,
        "rdb_last_bgsave_status",
        if p.last_bgsave_ok { "ok" } else { "err" }
    );
    field!(out, "rdb_last_bgsave_time_sec", p.last_bgsave_time_sec);
    field!(
        out,
        "rdb_current_bgsave_time_sec",
        p.child.as_ref().map_or(-1, |c| now_s - c.start_ms / 1000)
    );
    field!(out, "rdb_saves", p.rdb_saves);
    field!(out, "rdb_last_cow_size", p.last_cow_size);
    field!(out, "rdb_last_load_keys_expired", p.last_load_keys_expired);
    field!(out, "rdb_last_load_keys_loaded", p.last_load_keys_loaded);
    srv.aof_info(out);
    if srv.loading {
        // Redis's loading fields, plus the keys loaded so far (ferrodis:
        // a load is easier to follow in keys than in bytes).
        let l = &srv.loading_progress;
        let elapsed_s = ((crate::util::now_ms() - l.start_ms) / 1000).max(0);
        let perc = if l.total_bytes > 0 {
            l.bytes as f64 * 100.0 / l.total_bytes as f64
        } else {
            0.0
        };
        let eta = if l.bytes > 0 && elapsed_s > 0 {
            ((l.total_bytes.saturating_sub(l.bytes)) as f64 / (l.bytes as f64 / elapsed_s as f64))
                as i64
        } else {
            1
        };
        field!(out, "loading_start_time", l.start_ms / 1000);
        field!(out, "loading_total_bytes", l.total_bytes);
        field!(out, "loading_rdb_used_mem", 0);
        field!(out, "loading_loaded_bytes", l.bytes);
        field!(out, "loading_loaded_perc", format!("{perc:.2}"));
        field!(out, "loading_eta_seconds", eta);
        field!(out, "loading_loaded_keys", l.keys);
    }
}

fn stats(srv: &Server, out: &mut String) {
    let s = &srv.stats;
    out.push_str("# Stats\r\n");
    field!(
        out,
        "total_connections_received",
        s.total_connections_received
    );
    field!(out, "total_commands_processed", s.total_commands_processed);
    field!(out, "instantaneous_ops_per_sec", s.inst.ops_per_sec());
    field!(out, "total_net_input_bytes", s.net_input_bytes);
    field!(out, "total_net_output_bytes", s.net_output_bytes);
    field!(out, "total_net_repl_input_bytes", 0);
    field!(out, "total_net_repl_output_bytes", 0);
    field!(
        out,
        "instantaneous_input_kbps",
        format!("{:.2}", s.inst.input_kbps())
    );
    field!(
        out,
        "instantaneous_output_kbps",
        format!("{:.2}", s.inst.output_kbps())
    );
    field!(out, "instantaneous_input_repl_kbps", "0.00");
    field!(out, "instantaneous_output_repl_kbps", "0.00");
    field!(out, "rejected_connections", s.rejected_connections);
    field!(out, "sync_full", s.sync_full);
    field!(out, "sync_partial_ok", s.sync_partial_ok);
    field!(out, "sync_partial_err", s.sync_partial_err);
    field!(out, "expired_keys", s.expired_keys);
    field!(
        out,
        "expired_stale_perc",
        format!("{:.2}", s.expired_stale_perc * 100.0)
    );
    field!(
        out,
        "expired_time_cap_reached_count",
        s.expired_time_cap_reached_count
    );
    field!(out, "expire_cycle_cpu_milliseconds", s.expire_cycle_cpu_ms);
    for f in [
        "evicted_keys",
        "evicted_clients",
        "total_eviction_exceeded_time",
        "current_eviction_exceeded_time",
    ] {
        field!(out, f, 0);
    }
    field!(out, "keyspace_hits", s.keyspace_hits);
    field!(out, "keyspace_misses", s.keyspace_misses);
    field!(out, "pubsub_channels", srv.pubsub_channels.len());
    field!(out, "pubsub_patterns", srv.pubsub_patterns.len());
    field!(out, "pubsubshard_channels", srv.pubsub_shard_channels.len());
    field!(out, "latest_fork_usec", srv.persistence.latest_fork_usec);
    field!(out, "total_forks", srv.persistence.total_forks);
    for f in [
        "migrate_cached_sockets",
        "slave_expires_tracked_keys",
        "active_defrag_hits",
        "active_defrag_misses",
        "active_defrag_key_hits",
        "active_defrag_key_misses",
        "total_active_defrag_time",
        "current_active_defrag_time",
    ] {
        field!(out, f, 0);
    }
    field!(out, "tracking_total_keys", srv.tracking.total_keys());
    field!(out, "tracking_total_items", srv.tracking.total_items());
    field!(
        out,
        "tracking_total_prefixes",
        srv.tracking.total_prefixes()
    );
    field!(out, "unexpected_error_replies", s.unexpected_error_replies);
    field!(out, "total_error_replies", s.total_error_replies);
    field!(out, "dump_payload_sanitizations", 0);
    field!(out, "total_reads_processed", s.total_reads_processed);
    field!(out, "total_writes_processed", s.total_writes_processed);
    field!(out, "io_threaded_reads_processed", 0);
    field!(out, "io_threaded_writes_processed", 0);
    field!(out, "reply_buffer_shrinks", 0);
    field!(out, "reply_buffer_expands", 0);
}

/// INFO replication: the role, then the replica side's fields (on a
/// replica), the master side's (replicas, failover state), the identity
/// and the backlog — Redis's order.
fn replication(srv: &Server, out: &mut String) {
    let r = &srv.repl;
    out.push_str("# Replication\r\n");
    field!(out, "role", if r.is_replica() { "slave" } else { "master" });
    srv.info_replica(out);
    srv.info_primary(out);
}

fn cpu(out: &mut String) {
    let usage = |who| {
        // SAFETY: an all-zero rusage is valid; getrusage fills it.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `ru` is valid and writable.
        unsafe { libc::getrusage(who, &mut ru) };
        let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        (t(ru.ru_stime), t(ru.ru_utime))
    };
    let (sys, user) = usage(libc::RUSAGE_SELF);
    let (csys, cuser) = usage(libc::RUSAGE_CHILDREN);
    let (tsys, tuser) = usage(libc::RUSAGE_THREAD);
    out.push_str("# CPU\r\n");
    field!(out, "used_cpu_sys", format!("{sys:.6}"));
    field!(out, "used_cpu_user", format!("{user:.6}"));
    field!(out, "used_cpu_sys_children", format!("{csys:.6}"));
    field!(out, "used_cpu_user_children", format!("{cuser:.6}"));
    field!(out, "used_cpu_sys_main_thread", format!("{tsys:.6}"));
    field!(out, "used_cpu_user_main_thread", format!("{tuser:.6}"));
}

fn commandstats(srv: &Server, out: &mut String) {
    out.push_str("# Commandstats\r\n");
    for e in &srv.commands.entries {
        let s = &e.stats;
        if s.calls == 0 && s.rejected_calls == 0 && s.failed_calls == 0 {
            continue;
        }
        let per_call = if s.calls > 0 {
            s.usec as f64 / s.calls as f64
        } else {
            0.0
        };
        let _ = write!(
            out,
            "cmdstat_{}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}\r\n",
            e.full_name, s.calls, s.usec, per_call, s.rejected_calls, s.failed_calls
        );
    }
}

/// `latency_percentiles_usec_<command>:p50=…,p99=…,p99.9=…` for every
/// command with recorded calls, at `latency-tracking-info-percentiles`
/// (empty while `latency-tracking` is off, as Redis).
fn latencystats(srv: &Server, out: &mut String) {
    out.push_str("# Latencystats\r\n");
    if !srv.config.latency_tracking {
        return;
    }
    let percentiles = &srv.config.latency_tracking_info_percentiles;
    for e in &srv.commands.entries {
        let Some(h) = e.stats.latency.as_deref() else {
            continue;
        };
        let _ = write!(out, "latency_percentiles_usec_{}:", e.full_name);
        for (i, &p) in percentiles.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let value = h.value_at_percentile(p) as f64 / 1000.0;
            let _ = write!(out, "{sep}p{p}={value:.3}");
        }
        out.push_str("\r\n");
    }
}

fn errorstats(srv: &Server, out: &mut String) {
    out.push_str("# Errorstats\r\n");
    let mut codes: Vec<_> = srv.stats.errors.iter().collect();
    codes.sort();
    for (code, n) in codes {
        let _ = write!(out, "errorstat_{code}:count={n}\r\n");
    }
}

fn keyspace(srv: &Server, out: &mut String) {
    out.push_str("# Keyspace\r\n");
    for db in &srv.dbs {
        if db.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "db{}:keys={},expires={},avg_ttl={}\r\n",
            db.id,
            db.len(),
            db.expires.len(),
            db.avg_ttl
        );
    }
}
