//! `ferrodis-server [config-file] [--directive value ...]`: parse the command
//! line like redis-server, load the configuration, daemonize if asked, then
//! run the server until shutdown.

use ferrodis::alloc::CountingAlloc;
use ferrodis::config::{self, Config};
use ferrodis::logging;
use ferrodis::server::{Server, REDIS_VERSION};
use log::{info, warn};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn usage() {
    eprintln!("Usage: ./ferrodis-server [/path/to/redis.conf] [options] [-]");
    eprintln!("       ./ferrodis-server - (read config from stdin)");
    eprintln!("       ./ferrodis-server -v or --version");
    eprintln!("       ./ferrodis-server -h or --help");
    eprintln!();
    eprintln!("Examples:");
    eprintln!("       ./ferrodis-server (run the server with default conf)");
    eprintln!("       ./ferrodis-server /etc/redis/6379.conf");
    eprintln!("       ./ferrodis-server --port 7777");
    eprintln!("       ./ferrodis-server --port 7777 --replicaof 127.0.0.1 8888");
    eprintln!("       ./ferrodis-server /etc/myredis.conf --loglevel verbose -");
    eprintln!("       ./ferrodis-server /etc/myredis.conf --loglevel verbose");
}

/// Transparent huge pages cost a server like this one in two ways. Before
/// Linux 5.8, every page the parent wrote after a fork (BGSAVE, full sync)
/// was copied 2 MB at a time instead of 4 KB; later kernels split the huge
/// page and copy 4 KB, but every first touch still clears 2 MB.
/// `disable-thp yes` (the default) turns them off for this process, as
/// Redis does. Redis only needs that when THP is `always`; we also do it
/// under `madvise`, because mimalloc asks for huge pages for its arenas
/// (loading 1M keys went from 1.3 s to 1.5-1.7 s with them, most of it
/// clearing pages; a save's walk over the keys was no faster with them).
/// If THP is `always` and it cannot be turned off, Redis's warning.
fn check_transparent_huge_pages(disable: bool) {
    // SAFETY: prctl with integer arguments only; it changes a flag of this
    // process and touches no memory of ours.
    let disabled = disable && unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } == 0;
    let Ok(mode) = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled") else {
        return;
    };
    if disabled || !mode.contains("[always]") {
        return;
    }
    warn!("WARNING you have Transparent Huge Pages (THP) support enabled in your kernel. This will create latency and memory usage issues with Redis. To fix this issue run the command 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root, and add it to your /etc/rc.local in order to retain the setting after a reboot. Redis must be restarted after THP is disabled (set to 'madvise' or 'never').");
}

fn version_line() -> String {
    format!(
        "Redis server v={REDIS_VERSION} sha=00000000:0 malloc={} bits={} build=0 ferrodis={}",
        ferrodis::alloc::allocator_name(),
        usize::BITS,
        env!("CARGO_PKG_VERSION")
    )
}

/// Fork into the background like Redis's daemonize(): the parent exits, the
/// child starts a new session and points stdio at /dev/null.
fn daemonize() {
    // SAFETY: we are single-threaded here (no threads were started), so
    // fork is safe; the parent only calls _exit.
    match unsafe { libc::fork() } {
        -1 => {
            eprintln!("fork failed: {}", std::io::Error::last_os_error());
            // SAFETY: plain process exit; nothing to flush yet.
            unsafe { libc::_exit(1) };
        }
        0 => {}
        // SAFETY: the parent leaves without running destructors.
        _ => unsafe { libc::_exit(0) },
    }
    // SAFETY: setsid and the dup2 calls operate on our own process and fds.
    unsafe {
        libc::setsid();
        let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if fd >= 0 {
            libc::dup2(fd, 0);
            libc::dup2(fd, 1);
            libc::dup2(fd, 2);
            if fd > 2 {
                libc::close(fd);
            }
        }
    }
}

/// The start-up banner (scripts look for its `PID:` line).
fn banner(port: i64, pid: u32) -> String {
    let art = [
        r"    ___                      _ _     ",
        r"   / _/__ _ __ _ __ ___   __| (_)___ ",
        r"  | |/ _ \ '__| '__/ _ \ / _` | / __|",
        r"  |  _ __/ |  | | | (_) | (_| | \__ \",
        r"  |_| \___|_|  |_|  \___/ \__,_|_|___/",
    ];
    let mut out = String::from("\n");
    for line in art {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(
        "\n  ferrodis {} (Redis {REDIS_VERSION} compatible) {} bit\n  Running in standalone mode\n  Port: {port}\n  PID: {pid}\n\n",
        env!("CARGO_PKG_VERSION"),
        usize::BITS
    ));
    out
}

fn write_pidfile(path: &str) {
    if let Err(e) = std::fs::write(path, format!("{}\n", std::process::id())) {
        warn!("Failed to write PID file: {e}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = getopts::Options::new();
    opts.optflag("v", "version", "print the version");
    opts.optflag("h", "help", "print the usage");
    if let Some(first) = args.first() {
        // Only a lone -v/-h is ours; everything else is redis-server syntax
        // (`--port 6380`), which getopts would reject as unknown.
        if matches!(first.as_str(), "-v" | "--version" | "-h" | "--help") {
            if let Ok(m) = opts.parse(&args[..1]) {
                if m.opt_present("v") {
                    println!("{}", version_line());
                } else {
                    usage();
                }
                // Allowed exit: nothing runs yet.
                std::process::exit(0);
            }
        }
    }
    let (file, extra) = match config::args_to_config_text(&args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let (cfg, warnings) = match Config::load(file.as_deref(), &extra) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if cfg.daemonize {
        daemonize();
    }
    logging::init(&cfg.logfile, &cfg.loglevel);
    let pid = std::process::id();
    warn!("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
    warn!(
        "Redis version={REDIS_VERSION}, bits={}, commit=00000000, modified=0, pid={pid}, just started",
        usize::BITS
    );
    if file.is_none() {
        warn!("Warning: no config file specified, using the default config. In order to specify a config file use ferrodis-server /path/to/redis.conf");
    } else {
        warn!("Configuration loaded");
    }
    for w in &warnings {
        warn!("{w}");
    }
    if !cfg.dir.is_empty() {
        if let Err(e) = std::env::set_current_dir(&cfg.dir) {
            warn!("Can't chdir to '{}': {e}", cfg.dir);
            std::process::exit(1);
        }
    }
    logging::set_role(b'M');
    check_transparent_huge_pages(cfg.disable_thp);
    info!("monotonic clock: POSIX clock_gettime");
    let pidfile = cfg.pidfile.clone();
    // Like Redis: the banner goes to an interactive terminal, or anywhere
    // when always-show-logo is set; otherwise a single log line.
    // SAFETY: isatty only inspects the descriptor.
    let tty = unsafe { libc::isatty(1) } == 1;
    let show_logo = cfg.always_show_logo || (cfg.logfile.is_empty() && tty);
    let port = cfg.port;
    let mut server = match Server::new(cfg) {
        Ok(s) => s,
        Err(e) => {
            warn!("{e}");
            std::process::exit(1);
        }
    };
    if show_logo {
        logging::raw(&banner(port, pid));
    } else {
        info!("Running mode=standalone, port={port}.");
    }
    if !pidfile.is_empty() {
        write_pidfile(&pidfile);
    }
    Server::install_signal_handlers();
    warn!("Server initialized");
    if let Err(e) = server.load_at_startup() {
        // A bad file stops the start, and nothing is overwritten.
        warn!("{e}");
        std::process::exit(1);
    }
    info!("Ready to accept connections");
    ferrodis::alloc::mark_startup();
    let code = server.run();
    std::process::exit(code);
}
