//! Per-command latency histograms, for LATENCY HISTOGRAM and INFO
//! latencystats.
//!
//! Redis keeps an HDR histogram per command (values in nanoseconds from 1
//! to 1 second, two significant figures) and reports from it: percentiles
//! read at the histogram's own resolution, and a cumulative distribution
//! in power-of-two steps. Both depend on exactly where each value lands,
//! so this histogram uses the same layout: 128-slot halves of buckets,
//! each bucket twice as wide as the one before. Recording a call is an
//! index computed with one `leading_zeros` and one increment.

/// Values below are recorded as this (a call that took under a microsecond).
const LOWEST_NS: u64 = 1;
/// Values above are recorded as this (1 s).
const HIGHEST_NS: u64 = 1_000_000_000;
/// Two significant figures need 256 slots per bucket (2 × 10², rounded up
/// to a power of two); each bucket after the first uses its upper half.
const HALF_MAGNITUDE: u32 = 7;
const HALF_COUNT: usize = 1 << HALF_MAGNITUDE;
const SLOT_MASK: u64 = (2 << HALF_MAGNITUDE) - 1;
/// Buckets until 256 << (n - 1) passes [`HIGHEST_NS`].
const BUCKETS: usize = 23;
const COUNTS_LEN: usize = (BUCKETS + 1) * HALF_COUNT;

/// The first step of the cumulative distribution (ns); each next one doubles.
const FIRST_STEP_NS: u64 = 1024;

/// One command's latencies.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    counts: Box<[u64]>,
    total: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram { counts: vec![0; COUNTS_LEN].into_boxed_slice(), total: 0 }
    }
}

/// The bucket a value falls in: how far past the first bucket its highest bit is.
#[inline]
fn bucket_of(ns: u64) -> u32 {
    64 - (ns | SLOT_MASK).leading_zeros() - (HALF_MAGNITUDE + 1)
}

#[inline]
fn index_of(ns: u64) -> usize {
    let bucket = bucket_of(ns);
    let slot = (ns >> bucket) as usize;
    ((bucket as usize + 1) << HALF_MAGNITUDE) + slot - HALF_COUNT
}

/// The lowest value counted at `index`.
fn value_at(index: usize) -> u64 {
    let bucket = (index >> HALF_MAGNITUDE) as i64 - 1;
    let slot = (index & (HALF_COUNT - 1)) + HALF_COUNT;
    if bucket < 0 {
        (slot - HALF_COUNT) as u64
    } else {
        (slot as u64) << bucket
    }
}

/// The lowest value counted in the same slot as `ns`.
fn lowest_equivalent(ns: u64) -> u64 {
    let bucket = bucket_of(ns);
    (ns >> bucket) << bucket
}

/// The highest value counted in the same slot as `ns`.
fn highest_equivalent(ns: u64) -> u64 {
    lowest_equivalent(ns) + (1 << bucket_of(ns)) - 1
}

impl LatencyHistogram {
    /// Counts one call that took `usec` microseconds.
    #[inline]
    pub fn record(&mut self, usec: u64) {
        let ns = usec.saturating_mul(1000).clamp(LOWEST_NS, HIGHEST_NS);
        self.counts[index_of(ns)] += 1;
        self.total += 1;
    }

    /// Calls recorded.
    pub fn calls(&self) -> u64 {
        self.total
    }

    /// The latency (ns) under which `percentile` percent of the calls
    /// fall, at the histogram's resolution (the top of the slot reached).
    pub fn value_at_percentile(&self, percentile: f64) -> u64 {
        let wanted = ((percentile.min(100.0) / 100.0 * self.total as f64) + 0.5) as u64;
        let wanted = wanted.max(1);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= wanted {
                let value = value_at(index);
                return if percentile == 0.0 { lowest_equivalent(value) } else { highest_equivalent(value) };
            }
        }
        0
    }

    /// The cumulative distribution LATENCY HISTOGRAM replies: for each
    /// power-of-two step from 1024 ns at which the count grew, the step's
    /// upper bound in microseconds and the calls at or under it. A step
    /// ends at the top of the slot holding its value, so the bounds read
    /// 1, 2, 4, 8, 16, 33, 66 … as Redis's do.
    pub fn cumulative_usec(&self) -> Vec<(u64, u64)> {
        let mut steps = Vec::new();
        let mut step = FIRST_STEP_NS;
        let mut step_lowest = lowest_equivalent(step);
        // Where the walk over the slots stands: the slot, its value and top, and calls so far.
        let (mut index, mut value, mut top, mut cumulative) = (None::<usize>, 0u64, 0u64, 0u64);
        let mut reported = 0;
        loop {
            // Go on while calls are left, or slots left lie past the next step.
            let slots_past_step = match index {
                None => value_at(0) > step_lowest,
                Some(i) => i < COUNTS_LEN && value_at(i + 1) > step_lowest,
            };
            if cumulative >= self.total && !slots_past_step {
                break;
            }
            // Walk slots until one reaches the step (or the slots run out).
            loop {
                if value >= step_lowest {
                    step *= 2;
                    step_lowest = lowest_equivalent(step);
                    break;
                }
                let i = index.map_or(0, |i| i + 1);
                index = Some(i);
                if i >= COUNTS_LEN {
                    break;
                }
                cumulative += self.counts[i];
                value = value_at(i);
                top = highest_equivalent(value);
            }
            if cumulative > reported {
                steps.push((top / 1000, cumulative));
            }
            reported = cumulative;
        }
        steps
    }
}

/// A percentile as Redis prints it in INFO and CONFIG: six decimals with
/// the trailing zeros (and a bare point) cut.
pub fn percentile_label(p: f64) -> String {
    let text = format!("{p:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_follow_two_significant_figures() {
        // Single-nanosecond slots up to 255, then slots twice as wide per bucket.
        assert_eq!(index_of(0), 0);
        assert_eq!(index_of(255), 255);
        assert_eq!((index_of(256), index_of(257)), (256, 256));
        assert_eq!(value_at(index_of(1000)), 1000);
        assert_eq!(highest_equivalent(1000), 1003);
        assert_eq!(highest_equivalent(1024), 1031);
        assert_eq!(highest_equivalent(1_000_000), 1_003_519);
        assert_eq!(index_of(HIGHEST_NS), 3054);
        assert_eq!(highest_equivalent(value_at(COUNTS_LEN - 1)), 1_073_741_823);
        for index in [0, 200, 300, 1000, 3071] {
            assert_eq!(index_of(value_at(index)), index);
        }
    }

    #[test]
    fn percentiles_read_the_top_of_the_slot() {
        let mut h = LatencyHistogram::default();
        for usec in [1, 1, 1, 2, 10] {
            h.record(usec);
        }
        assert_eq!(h.calls(), 5);
        assert_eq!(h.value_at_percentile(50.0), 1003);
        assert_eq!(h.value_at_percentile(80.0), 2007);
        assert_eq!(h.value_at_percentile(99.0), 10_047);
        assert_eq!(h.value_at_percentile(100.0), 10_047);
        assert_eq!(h.value_at_percentile(0.0), 1000);
        // Under a microsecond counts as 1 ns.
        let mut h = LatencyHistogram::default();
        h.record(0);
        assert_eq!(h.value_at_percentile(50.0), 1);
        assert_eq!(LatencyHistogram::default().value_at_percentile(50.0), 0);
    }

    #[test]
    fn cumulative_steps_are_powers_of_two_with_redis_bounds() {
        let mut h = LatencyHistogram::default();
        for usec in [0, 1, 2, 3, 4, 5, 40, 40] {
            h.record(usec);
        }
        assert_eq!(h.cumulative_usec(), vec![(1, 2), (2, 3), (4, 5), (8, 6), (66, 8)]);
        // Past half a second the last step is the end of the histogram.
        let mut h = LatencyHistogram::default();
        h.record(600_000);
        h.record(5_000_000);
        assert_eq!(h.cumulative_usec(), vec![(1_073_741, 2)]);
        let mut h = LatencyHistogram::default();
        h.record(500_000);
        assert_eq!(h.cumulative_usec(), vec![(541_065, 1)]);
        assert!(LatencyHistogram::default().cumulative_usec().is_empty());
    }

    #[test]
    fn labels_trim_like_printf() {
        assert_eq!(percentile_label(50.0), "50");
        assert_eq!(percentile_label(99.9), "99.9");
        assert_eq!(percentile_label(0.0), "0");
        assert_eq!(percentile_label(99.99999), "99.99999");
    }
}
