//! How much CPU the whole host leaves idle, from the `cpu` line of
//! /proc/stat: optional parallel work (an empty replica parsing its full
//! sync while the RDB still arrives) runs only where a core would
//! otherwise sit idle, so that on a busy host it takes no CPU time from
//! the servers that share it.
//!
//! The reading is cheap (the first line of one proc file) and taken by the
//! server cron, so that a window of at least one cron period is always at
//! hand when the answer is needed.

use std::io::Read;
use std::time::{Duration, Instant};

/// Shortest window an answer is computed over: /proc/stat counts in ticks
/// of 10 ms, so a shorter window would be mostly rounding.
const MIN_WINDOW: Duration = Duration::from_millis(50);

/// Idle time of all CPUs together, sampled over time.
#[derive(Debug, Default)]
pub struct IdleMeter {
    /// The two latest readings, oldest first: when, and the idle ticks
    /// (idle + iowait, all CPUs) counted by then.
    readings: [Option<(Instant, u64)>; 2],
}

impl IdleMeter {
    /// Takes a reading, unless the last one is younger than
    /// [`MIN_WINDOW`] (so that a fast cron, `hz 100`, still leaves a
    /// window long enough). Nothing happens where /proc/stat cannot be
    /// read.
    pub fn sample(&mut self) {
        if self.readings[1].is_some_and(|(at, _)| at.elapsed() < MIN_WINDOW) {
            return;
        }
        if let Some(ticks) = idle_ticks() {
            self.readings = [self.readings[1], Some((Instant::now(), ticks))];
        }
    }

    /// Idle CPUs, in cores (1.5: one and a half cores idle on average),
    /// from the oldest reading that is at least [`MIN_WINDOW`] old until
    /// now. `None` without such a reading or without /proc/stat.
    pub fn idle_cores(&self) -> Option<f64> {
        let now_ticks = idle_ticks()?;
        let now = Instant::now();
        let &(then, ticks) = self
            .readings
            .iter()
            .flatten()
            .find(|(at, _)| now.duration_since(*at) >= MIN_WINDOW)?;
        let secs = now.duration_since(then).as_secs_f64();
        Some(now_ticks.saturating_sub(ticks) as f64 / ticks_per_second() / secs)
    }
}

/// Idle plus iowait ticks of all CPUs since boot: fields 4 and 5 of the
/// `cpu` line (`cpu user nice system idle iowait irq ...`).
fn idle_ticks() -> Option<u64> {
    // The first line is all we need; the file goes on for kilobytes
    // (per-CPU lines, one counter per interrupt).
    let mut head = [0u8; 256];
    let n = std::fs::File::open("/proc/stat")
        .and_then(|mut f| f.read(&mut head))
        .ok()?;
    parse_cpu_line(&head[..n])
}

/// The idle + iowait ticks of the aggregate `cpu` line at the start of
/// `text`.
fn parse_cpu_line(text: &[u8]) -> Option<u64> {
    let line = text.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut fields = line.split_ascii_whitespace();
    if fields.next()? != "cpu" {
        return None;
    }
    let mut counts = fields.map(|f| f.parse::<u64>().ok());
    let (_user, _nice, _system) = (counts.next()??, counts.next()??, counts.next()??);
    let (idle, iowait) = (counts.next()??, counts.next()??);
    idle.checked_add(iowait)
}

/// The unit of /proc/stat's counters (USER_HZ, 100 on Linux).
fn ticks_per_second() -> f64 {
    // SAFETY: sysconf takes an integer and reads no memory of ours.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz > 0 {
        hz as f64
    } else {
        100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_idle_and_iowait_of_the_cpu_line() {
        let text = b"cpu  4705 356 584 3699176 23060 0 277 0 0 0\ncpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n";
        assert_eq!(parse_cpu_line(text), Some(3_699_176 + 23_060));
        // A line cut short in the 256-byte read still has its first fields.
        assert_eq!(parse_cpu_line(b"cpu  1 2 3 40 5"), Some(45));
        assert_eq!(parse_cpu_line(b"cpu0 1 2 3 4 5\n"), None);
        assert_eq!(parse_cpu_line(b"cpu  1 2 x 4 5\n"), None);
        assert_eq!(parse_cpu_line(b"cpu  1 2 3\n"), None);
        assert_eq!(parse_cpu_line(b""), None);
    }

    #[test]
    fn answers_once_a_reading_is_old_enough() {
        let mut m = IdleMeter::default();
        assert_eq!(m.idle_cores(), None, "no reading yet");
        m.sample();
        if idle_ticks().is_none() {
            return; // no /proc/stat here
        }
        assert_eq!(m.idle_cores(), None, "the window is still too short");
        std::thread::sleep(MIN_WINDOW + Duration::from_millis(20));
        m.sample();
        // A reading right after another is skipped: the window stays.
        m.sample();
        let idle = m.idle_cores().expect("the first reading is old enough");
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        assert!(
            (0.0..=cpus + 0.5).contains(&idle),
            "{idle} idle cores on {cpus} CPUs"
        );
    }
}
