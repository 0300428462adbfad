//! LATENCY DOCTOR: a report, for a person, of what the latency monitor
//! recorded. It follows the shape of Redis's report — one numbered line
//! per event with its spike count, average, mean deviation, period and
//! all-time worst, then advice keyed to the events seen — in ferrokv's
//! own words.

use std::fmt::Write;

use super::latency::Series;
use crate::engine::Server;

/// What the samples of one event add up to.
#[derive(Debug, PartialEq)]
struct EventSummary {
    spikes: u64,
    average_ms: u64,
    /// Mean absolute deviation from the average.
    deviation_ms: u64,
    /// Seconds from the oldest sample to now (at least 1).
    period_secs: i64,
}

fn summarize(series: &Series, now_secs: i64) -> EventSummary {
    let samples: Vec<_> = series.history().collect();
    let spikes = samples.len() as u64;
    if spikes == 0 {
        return EventSummary { spikes, average_ms: 0, deviation_ms: 0, period_secs: 0 };
    }
    let average_ms = samples.iter().map(|s| s.latency_ms).sum::<u64>() / spikes;
    let deviation_ms = samples.iter().map(|s| s.latency_ms.abs_diff(average_ms)).sum::<u64>() / spikes;
    let oldest = samples.iter().map(|s| s.time).min().unwrap_or(now_secs);
    EventSummary { spikes, average_ms, deviation_ms, period_secs: (now_secs - oldest).max(1) }
}

/// Advice, each given once however many events call for it, in this order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Advice {
    EnableSlowlog,
    TuneSlowlog,
    InspectSlowlog,
    LargeObjects,
    Scheduler,
    Hz,
    MassEviction,
    Disk,
    RelaxFsync,
}

impl Advice {
    fn text(self, server: &Server) -> String {
        let threshold = server.config.latency_monitor_threshold;
        match self {
            Advice::EnableSlowlog => "The slow log is disabled (slowlog-log-slower-than is negative), so the slow \
                commands behind these spikes were not kept. Enable it with CONFIG SET slowlog-log-slower-than \
                <microseconds> to see them."
                .to_string(),
            Advice::TuneSlowlog => format!(
                "The slow log only keeps commands slower than {} microseconds, more than the {threshold} ms the \
                 latency monitor reports from: lower slowlog-log-slower-than to {} so that every command behind a \
                 spike is logged.",
                server.config.slowlog_log_slower_than,
                threshold * 1000
            ),
            Advice::InspectSlowlog => {
                "SLOWLOG GET lists the slowest recent commands with their arguments: look there for the commands \
                 behind the spikes."
                    .to_string()
            }
            Advice::LargeObjects => "Commands that walk a whole large value (SMEMBERS, HGETALL, LRANGE 0 -1, KEYS, \
                or DEL of a big collection) take time in proportion to its size: prefer SCAN-style iteration, \
                smaller values, and UNLINK for big deletions."
                .to_string(),
            Advice::Scheduler => "Even O(1) commands were slow: the process may have been descheduled or the \
                machine overloaded. Check the host's load and whether other processes compete for the CPU."
                .to_string(),
            Advice::Hz => "Key expiry ran long. Many keys expiring at the same moment cause this; spreading their \
                deadlines out, or a higher hz so each cycle does less, helps."
                .to_string(),
            Advice::MassEviction => "Eviction ran long: a large drop of maxmemory or a burst of writes forces many \
                keys out at once. Lower maxmemory gradually and watch the write load."
                .to_string(),
            Advice::Disk => "Writes to disk were slow. Keep the data directory on a local, uncontended disk (an \
                SSD if possible)."
                .to_string(),
            Advice::RelaxFsync => "With appendfsync always every write waits for the disk; appendfsync everysec \
                trades at most a second of writes for much lower latency."
                .to_string(),
        }
    }
}

/// The advice an event calls for.
fn advice_for(event: &str, server: &Server) -> Vec<Advice> {
    match event {
        "command" => {
            let mut advice = vec![Advice::InspectSlowlog, Advice::LargeObjects];
            let slower_than = server.config.slowlog_log_slower_than;
            if slower_than < 0 {
                advice.push(Advice::EnableSlowlog);
            } else if slower_than as u64 / 1000 > server.config.latency_monitor_threshold {
                advice.push(Advice::TuneSlowlog);
            }
            advice
        }
        "fast-command" => vec![Advice::Scheduler],
        "expire-cycle" => vec![Advice::Hz],
        "eviction-cycle" | "eviction-del" => vec![Advice::MassEviction],
        e if e.starts_with("aof-fsync-always") => vec![Advice::RelaxFsync, Advice::Disk],
        e if e.starts_with("aof-") || e.starts_with("rdb-") => vec![Advice::Disk],
        _ => Vec::new(),
    }
}

/// The report LATENCY DOCTOR replies.
pub fn report(server: &Server, now_ms: i64) -> String {
    let events = server.latency.events();
    let threshold = server.config.latency_monitor_threshold;
    if events.len() == 0 {
        return if threshold == 0 {
            "The latency monitor is off (latency-monitor-threshold is 0), so there is nothing to report. Turn it \
             on with CONFIG SET latency-monitor-threshold <milliseconds>: events that take at least that long are \
             then recorded, and this report describes them.\n"
                .to_string()
        } else {
            format!(
                "No latency spike has been recorded: no monitored event took {threshold} ms or more since the \
                 monitor was turned on (or last reset). Nothing to worry about.\n"
            )
        };
    }
    let now_secs = now_ms.div_euclid(1000);
    let mut out = String::from("Latency spikes were recorded in this instance. Per event:\n\n");
    let mut advice = Vec::new();
    for (n, (event, series)) in events.enumerate() {
        let s = summarize(series, now_secs);
        let _ = write!(
            out,
            "{}. {event}: {} latency spikes (average {}ms, mean deviation {}ms, period {:.2} sec). Worst all time event {}ms.",
            n + 1,
            s.spikes,
            s.average_ms,
            s.deviation_ms,
            s.period_secs as f64 / s.spikes.max(1) as f64,
            series.max_ms
        );
        out.push('\n');
        advice.extend(advice_for(event, server));
    }
    advice.sort_unstable();
    advice.dedup();
    out.push('\n');
    if advice.is_empty() {
        out.push_str("No specific advice for these events.\n");
        return out;
    }
    out.push_str("What may help:\n\n");
    for a in advice {
        out.push_str("- ");
        out.push_str(&a.text(server));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::latency::LatencyMonitor;

    #[test]
    fn summary_counts_average_deviation_and_period() {
        let mut m = LatencyMonitor::default();
        for (t, ms) in [(100, 10), (101, 20), (105, 30)] {
            m.add("command", t, ms);
        }
        let s = summarize(m.get(b"command").unwrap(), 110);
        assert_eq!(s, EventSummary { spikes: 3, average_ms: 20, deviation_ms: 6, period_secs: 10 });
        // A sample this very second still spans one second.
        let mut m = LatencyMonitor::default();
        m.add("fast-command", 200, 4);
        assert_eq!(summarize(m.get(b"fast-command").unwrap(), 200).period_secs, 1);
    }
}
