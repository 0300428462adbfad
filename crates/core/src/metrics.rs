//! Rates INFO reports as `instantaneous_*`, sampled on the periodic tick the
//! way Redis samples them in its cron: the rate over each interval, averaged
//! over the last 16 intervals.

const SAMPLES: usize = 16;

#[derive(Default, Debug, Clone)]
pub struct InstantRate {
    samples: [f64; SAMPLES],
    next: usize,
    last_ms: i64,
    last_total: u64,
}

impl InstantRate {
    /// Records the counter's current `total` at `now_ms`.
    pub fn sample(&mut self, now_ms: i64, total: u64) {
        if self.last_ms != 0 {
            let elapsed = now_ms - self.last_ms;
            let delta = total.saturating_sub(self.last_total) as f64;
            self.samples[self.next] = if elapsed > 0 { delta * 1000.0 / elapsed as f64 } else { 0.0 };
            self.next = (self.next + 1) % SAMPLES;
        }
        self.last_ms = now_ms;
        self.last_total = total;
    }

    /// Units per second, averaged over the recent samples.
    pub fn per_sec(&self) -> f64 {
        self.samples.iter().sum::<f64>() / SAMPLES as f64
    }
}

#[derive(Default, Debug, Clone)]
pub struct Metrics {
    pub ops: InstantRate,
    pub net_input: InstantRate,
    pub net_output: InstantRate,
    /// The most memory the allocator has held (INFO `used_memory_peak`).
    pub peak_memory: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_rates_over_sixteen_samples() {
        let mut r = InstantRate::default();
        r.sample(1_000, 0);
        r.sample(1_100, 1_000); // 10,000/s over one interval of sixteen
        assert_eq!(r.per_sec(), 10_000.0 / 16.0);
        for i in 2..=17 {
            r.sample(1_000 + 100 * i, 1_000 * i as u64);
        }
        assert_eq!(r.per_sec(), 10_000.0);
    }
}
