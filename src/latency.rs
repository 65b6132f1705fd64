//! The latency monitor (LATENCY LATEST/HISTORY/RESET): when
//! `latency-monitor-threshold` is above zero, every command slower than it
//! is recorded under the event `command` (or `fast-command` for commands
//! flagged fast), keeping the last 160 samples per event and the maximum,
//! as Redis's latency.c does.

use std::collections::BTreeMap;

/// Samples kept per event.
const HISTORY_LEN: usize = 160;

/// One event's record.
#[derive(Debug, Default, Clone)]
pub struct EventSeries {
    /// (unix seconds, latency ms), oldest first; one sample per second at most.
    pub samples: std::collections::VecDeque<(i64, u64)>,
    /// Highest latency ever recorded for this event (ms).
    pub max: u64,
}

/// All events, by name (sorted, so LATEST lists them in a stable order).
#[derive(Debug, Default)]
pub struct LatencyMonitor {
    pub events: BTreeMap<String, EventSeries>,
}

impl LatencyMonitor {
    /// Record `ms` for `event` at `now_s`. Two samples in the same second
    /// keep the larger one, as Redis does.
    pub fn add_sample(&mut self, event: &str, now_s: i64, ms: u64) {
        let series = self.events.entry(event.to_string()).or_default();
        series.max = series.max.max(ms);
        match series.samples.back_mut() {
            Some(last) if last.0 == now_s => last.1 = last.1.max(ms),
            _ => {
                series.samples.push_back((now_s, ms));
                if series.samples.len() > HISTORY_LEN {
                    series.samples.pop_front();
                }
            }
        }
    }

    /// Forget the given events (all when empty); returns how many existed.
    pub fn reset(&mut self, events: &[String]) -> usize {
        if events.is_empty() {
            let n = self.events.len();
            self.events.clear();
            return n;
        }
        events
            .iter()
            .filter(|e| self.events.remove(e.as_str()).is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_per_second_and_reset() {
        let mut m = LatencyMonitor::default();
        m.add_sample("command", 10, 5);
        m.add_sample("command", 10, 3);
        m.add_sample("command", 11, 7);
        let s = &m.events["command"];
        assert_eq!(
            s.samples.iter().copied().collect::<Vec<_>>(),
            vec![(10, 5), (11, 7)]
        );
        assert_eq!(s.max, 7);
        for t in 0..500 {
            m.add_sample("fast-command", t, 1);
        }
        assert_eq!(m.events["fast-command"].samples.len(), HISTORY_LEN);
        assert_eq!(m.reset(&["command".into(), "nope".into()]), 1);
        assert_eq!(m.reset(&[]), 1);
    }
}
