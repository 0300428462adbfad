//! The latency monitor: for each event (a command, an eviction cycle …)
//! that took at least `latency-monitor-threshold` milliseconds, the worst
//! latency of each second for the last 160 seconds it happened in, and the
//! worst ever.

use std::time::Duration;

use crate::engine::Server;

/// Samples kept per event (Redis's `LATENCY_TS_LEN`).
pub const HISTORY_LEN: usize = 160;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample {
    /// Unix seconds; 0 marks an unused slot.
    pub time: i64,
    pub latency_ms: u64,
}

#[derive(Clone, Debug)]
pub struct Series {
    samples: [Sample; HISTORY_LEN],
    /// The slot the next sample goes to.
    next: usize,
    pub max_ms: u64,
}

impl Default for Series {
    fn default() -> Self {
        Series { samples: [Sample::default(); HISTORY_LEN], next: 0, max_ms: 0 }
    }
}

impl Series {
    /// Records a latency at `time`; samples of one second merge into their worst.
    fn add(&mut self, time: i64, latency_ms: u64) {
        self.max_ms = self.max_ms.max(latency_ms);
        let prev = &mut self.samples[(self.next + HISTORY_LEN - 1) % HISTORY_LEN];
        if prev.time == time {
            prev.latency_ms = prev.latency_ms.max(latency_ms);
            return;
        }
        self.samples[self.next] = Sample { time, latency_ms };
        self.next = (self.next + 1) % HISTORY_LEN;
    }

    /// The most recent sample.
    pub fn latest(&self) -> Sample {
        self.samples[(self.next + HISTORY_LEN - 1) % HISTORY_LEN]
    }

    /// Every recorded sample, oldest first.
    pub fn history(&self) -> impl Iterator<Item = Sample> + '_ {
        (0..HISTORY_LEN).map(|i| self.samples[(self.next + i) % HISTORY_LEN]).filter(|s| s.time != 0)
    }
}

/// Every event's series, in the order events first happened.
#[derive(Default, Debug)]
pub struct LatencyMonitor {
    events: Vec<(&'static str, Series)>,
}

impl LatencyMonitor {
    pub fn add(&mut self, event: &'static str, time: i64, latency_ms: u64) {
        match self.events.iter_mut().find(|(name, _)| *name == event) {
            Some((_, series)) => series.add(time, latency_ms),
            None => {
                let mut series = Series::default();
                series.add(time, latency_ms);
                self.events.push((event, series));
            }
        }
    }

    pub fn events(&self) -> impl ExactSizeIterator<Item = &(&'static str, Series)> {
        self.events.iter()
    }

    pub fn get(&self, event: &[u8]) -> Option<&Series> {
        self.events.iter().find(|(name, _)| name.as_bytes() == event).map(|(_, s)| s)
    }

    /// Forgets one event; true if it had samples.
    pub fn reset_event(&mut self, event: &[u8]) -> bool {
        let before = self.events.len();
        self.events.retain(|(name, _)| name.as_bytes() != event);
        self.events.len() != before
    }

    /// Forgets every event; returns how many there were.
    pub fn reset_all(&mut self) -> usize {
        std::mem::take(&mut self.events).len()
    }
}

/// Records `latency_ms` for `event` if the monitor is on and it reaches the threshold.
pub fn sample_ms_if_over(server: &mut Server, event: &'static str, latency_ms: u64, now_ms: i64) {
    let threshold = server.config.latency_monitor_threshold;
    if threshold > 0 && latency_ms >= threshold {
        server.latency.add(event, now_ms.div_euclid(1000), latency_ms);
    }
}

/// [`sample_ms_if_over`] for a measured duration.
pub fn sample_if_over(server: &mut Server, event: &'static str, elapsed: Duration, now_ms: i64) {
    if server.config.latency_monitor_threshold > 0 {
        sample_ms_if_over(server, event, elapsed.as_millis() as u64, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_worst_of_each_second_and_wraps() {
        let mut m = LatencyMonitor::default();
        m.add("command", 100, 5);
        m.add("command", 100, 9);
        m.add("command", 100, 7);
        m.add("command", 101, 3);
        let s = m.get(b"command").unwrap();
        assert_eq!(
            s.history().collect::<Vec<_>>(),
            vec![Sample { time: 100, latency_ms: 9 }, Sample { time: 101, latency_ms: 3 }]
        );
        assert_eq!((s.latest().time, s.latest().latency_ms, s.max_ms), (101, 3, 9));
        for t in 0..200 {
            m.add("command", 1000 + t, 1);
        }
        let s = m.get(b"command").unwrap();
        assert_eq!(s.history().count(), HISTORY_LEN);
        assert_eq!(s.history().next().unwrap().time, 1040);
        assert_eq!(s.max_ms, 9);
        assert!(m.reset_event(b"command"));
        assert!(!m.reset_event(b"command"));
    }
}
