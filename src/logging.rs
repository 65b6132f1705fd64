//! Logging in Redis's line format, through the `log` facade:
//!
//! ```text
//! 4480:M 22 Nov 2026 00:04:15.893 * Ready to accept connections
//! ```
//! pid, role letter (`M` master, `S` replica, `C` fork child, `X` sentinel),
//! local time with milliseconds, level mark (`.` debug, `-` verbose,
//! `*` notice, `#` warning), message.
//!
//! Redis's four levels map onto `log`'s: debug→Trace, verbose→Debug,
//! notice→Info, warning→Warn. Like Redis, the log file is opened for each
//! line, so logrotate can move it away without a signal; there is no buffer
//! and no lock, which also makes logging from a fork child safe.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use log::{Level, LevelFilter, Log, Metadata, Record};

/// Role letter printed after the pid.
static ROLE: AtomicU8 = AtomicU8::new(b'M');

struct Logger {
    /// Empty: standard output.
    file: String,
}

static LOGGER: OnceLock<Logger> = OnceLock::new();

/// Map a `loglevel` value to a filter. Unknown values never reach here
/// (config validates them), but default to notice.
pub fn level_filter(loglevel: &str) -> LevelFilter {
    match loglevel {
        "debug" => LevelFilter::Trace,
        "verbose" => LevelFilter::Debug,
        "warning" => LevelFilter::Warn,
        "nothing" => LevelFilter::Off,
        _ => LevelFilter::Info,
    }
}

/// Install the logger. Later calls only change the level (CONFIG SET loglevel).
pub fn init(logfile: &str, loglevel: &str) {
    let logger = LOGGER.get_or_init(|| Logger {
        file: logfile.to_string(),
    });
    let _ = log::set_logger(logger);
    log::set_max_level(level_filter(loglevel));
}

/// Change the level at run time.
pub fn set_level(loglevel: &str) {
    log::set_max_level(level_filter(loglevel));
}

/// Set the role letter (`M`, `S`, `C`, `X`).
pub fn set_role(letter: u8) {
    ROLE.store(letter, Ordering::Relaxed);
}

/// Format the current local time like Redis: `22 Nov 2026 00:04:15.893`.
pub fn timestamp() -> String {
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: gettimeofday fills the struct we pass; the tz argument may be null.
    unsafe { libc::gettimeofday(&mut tv, std::ptr::null_mut()) };
    // SAFETY: an all-zero tm is valid; localtime_r fills it from tv_sec.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call.
    unsafe { libc::localtime_r(&tv.tv_sec, &mut tm) };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        tm.tm_mday,
        MONTHS[tm.tm_mon.clamp(0, 11) as usize],
        tm.tm_year + 1900,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        tv.tv_usec / 1000
    )
}

fn mark(level: Level) -> char {
    match level {
        Level::Trace => '.',
        Level::Debug => '-',
        Level::Info => '*',
        Level::Warn | Level::Error => '#',
    }
}

/// Write one raw line (no prefix) to the log destination; used for the ASCII
/// logo, which Redis prints without the usual prefix.
pub fn raw(text: &str) {
    let file = LOGGER.get().map(|l| l.file.as_str()).unwrap_or("");
    write_out(file, text.as_bytes());
}

fn write_out(file: &str, bytes: &[u8]) {
    if file.is_empty() {
        let _ = std::io::stdout().lock().write_all(bytes);
        let _ = std::io::stdout().flush();
    } else if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = f.write_all(bytes);
    }
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format!(
            "{}:{} {} {} {}\n",
            std::process::id(),
            ROLE.load(Ordering::Relaxed) as char,
            timestamp(),
            mark(record.level()),
            record.args()
        );
        write_out(&self.file, line.as_bytes());
    }

    fn flush(&self) {}
}
