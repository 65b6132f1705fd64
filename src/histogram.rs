//! Per-command latency histograms (`latency-tracking`): what INFO
//! latencystats and LATENCY HISTOGRAM report.
//!
//! Redis keeps them in an HdrHistogram (lowest value 1, highest 10^9,
//! 2 significant figures) fed with each call's duration in nanoseconds,
//! and prints bucket bounds from it, so the numbers users see
//! (`p50=8.031`, `16 => 7`) are bucket edges of that layout. This is the
//! same layout, so the same durations print the same way:
//!
//! - values below 256 have buckets of width 1;
//! - above, each power of two `[2^k, 2^(k+1))` is cut into 128 buckets of
//!   width `2^(k-7)`.
//!
//! A value's bucket index is `(bit length of (v | 255) - 8) * 128 + (v >>
//! shift)`, so recording is a few bit operations and one increment.

/// Largest duration tracked (ns): one second, as Redis.
const HIGHEST: u64 = 1_000_000_000;
/// log2 of the buckets per power of two (128).
const HALF_COUNT_MAGNITUDE: u32 = 7;
const HALF_COUNT: u64 = 1 << HALF_COUNT_MAGNITUDE;
/// Number of counters covering 0..=HIGHEST.
const COUNTS_LEN: usize = counts_len();

const fn counts_len() -> usize {
    // Power-of-two ranges needed above the first 256 values.
    let mut buckets = 1;
    let mut untrackable: u64 = 2 * HALF_COUNT;
    while untrackable <= HIGHEST {
        untrackable <<= 1;
        buckets += 1;
    }
    (buckets + 1) * HALF_COUNT as usize
}

/// Range number of `v`: 0 for values below 256, then one per power of two.
fn range_of(v: u64) -> u32 {
    (64 - (v | (2 * HALF_COUNT - 1)).leading_zeros()) - (HALF_COUNT_MAGNITUDE + 1)
}

fn index_of(v: u64) -> usize {
    let range = range_of(v);
    let sub = v >> range;
    // Range 0 uses sub-buckets 0..256, the others 128..256.
    ((range as u64) * HALF_COUNT + sub) as usize
}

/// Lowest value of the bucket at `index` (counts are walked by index).
fn value_at(index: usize) -> u64 {
    let index = index as u64;
    let mut range = (index >> HALF_COUNT_MAGNITUDE) as i64 - 1;
    let mut sub = (index & (HALF_COUNT - 1)) + HALF_COUNT;
    if range < 0 {
        sub -= HALF_COUNT;
        range = 0;
    }
    sub << range
}

/// Highest value in the bucket holding `v` (HdrHistogram's
/// highest_equivalent_value): what Redis prints.
fn highest_equivalent(v: u64) -> u64 {
    let range = range_of(v);
    ((v >> range) << range) + (1u64 << range) - 1
}

#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    counts: Box<[u64]>,
    total: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram {
            counts: vec![0; COUNTS_LEN].into_boxed_slice(),
            total: 0,
        }
    }
}

impl LatencyHistogram {
    /// Record one call of `ns` nanoseconds (clamped into the tracked
    /// range, as Redis does).
    pub fn record(&mut self, ns: u64) {
        let v = ns.clamp(1, HIGHEST);
        if let Some(c) = self.counts.get_mut(index_of(v)) {
            *c += 1;
            self.total += 1;
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// HdrHistogram's value_at_percentile: the upper edge of the bucket
    /// holding the call at that rank (nanoseconds).
    pub fn value_at_percentile(&self, percentile: f64) -> u64 {
        let p = percentile.min(100.0);
        let wanted = (((p / 100.0) * self.total as f64) + 0.5) as u64;
        let wanted = wanted.max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= wanted {
                return highest_equivalent(value_at(i));
            }
        }
        0
    }

    /// LATENCY HISTOGRAM's cumulative distribution: at 1024 ns, 2048 ns, ...
    /// (HdrHistogram's logarithmic iteration), the calls up to that bucket,
    /// keyed by the bucket's upper edge in microseconds; only where the
    /// count grew, up to the bucket holding the slowest call.
    pub fn cumulative_usec(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let (mut level, mut cumulative, mut previous) = (1024u64, 0u64, 0u64);
        let mut counted_to = 0usize;
        while cumulative < self.total && level <= HIGHEST * 2 {
            let level_index = index_of(level);
            while counted_to <= level_index && counted_to < self.counts.len() {
                cumulative += self.counts[counted_to];
                counted_to += 1;
            }
            if cumulative > previous {
                out.push((highest_equivalent(level) / 1000, cumulative));
            }
            previous = cumulative;
            level *= 2;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_edges_match_what_redis_prints() {
        // Durations of 8, 12 and 51 us print as 8.031, 12.031 and 51.199.
        for (us, edge) in [(8, 8031), (12, 12031), (51, 51199), (1, 1003), (2, 2007)] {
            let mut h = LatencyHistogram::default();
            h.record(us * 1000);
            assert_eq!(h.value_at_percentile(50.0), edge, "{us} us");
        }
    }

    #[test]
    fn percentiles_follow_ranks() {
        let mut h = LatencyHistogram::default();
        for us in 1..=100u64 {
            h.record(us * 1000);
        }
        assert_eq!(h.value_at_percentile(50.0), highest_equivalent(50_000));
        assert_eq!(h.value_at_percentile(99.0), highest_equivalent(99_000));
        assert_eq!(h.value_at_percentile(100.0), highest_equivalent(100_000));
        assert_eq!(h.total(), 100);
    }

    #[test]
    fn cumulative_distribution_is_keyed_by_power_of_two_edges() {
        let mut h = LatencyHistogram::default();
        for us in [5, 5, 12, 40] {
            h.record(us * 1000);
        }
        // 5 us falls under the 8192 ns level (printed 8), 12 us under
        // 16384 (16), 40 us under 65536 (66).
        assert_eq!(h.cumulative_usec(), vec![(8, 2), (16, 3), (66, 4)]);
        assert!(LatencyHistogram::default().cumulative_usec().is_empty());
    }

    #[test]
    fn extreme_values_are_clamped() {
        let mut h = LatencyHistogram::default();
        h.record(0);
        h.record(u64::MAX);
        assert_eq!(h.total(), 2);
        assert!(h.value_at_percentile(100.0) >= HIGHEST);
    }
}
