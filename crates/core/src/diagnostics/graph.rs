//! LATENCY GRAPH: an event's samples drawn as Redis draws them — a title
//! line, a rule, then a filled ASCII chart four rows high (one column per
//! sample, oldest on the left, up to 80 columns per band) with each
//! column's age written downwards beneath it.

use super::latency::Series;

/// Columns per band of the chart.
const COLUMNS: usize = 80;
/// Rows of the chart itself; each row has three levels (`_`, `o`, `#`).
const ROWS: usize = 4;
const LEVELS: &[u8] = b"_o#";

/// The whole graph for `event`, ages measured from `now_secs`.
pub fn render(event: &str, series: &Series, now_secs: i64) -> String {
    let samples: Vec<(u64, String)> = series.history().map(|s| (s.latency_ms, age_label(now_secs - s.time))).collect();
    let low = samples.iter().map(|s| s.0).min().unwrap_or(0);
    let high = samples.iter().map(|s| s.0).max().unwrap_or(0);
    let mut out = format!("{event} - high {high} ms, low {low} ms (all time high {} ms)\n", series.max_ms);
    out.push_str(&"-".repeat(COLUMNS));
    out.push('\n');
    for (n, band) in samples.chunks(COLUMNS).enumerate() {
        if n > 0 {
            out.push('\n');
        }
        draw_band(&mut out, band, low, high);
    }
    out
}

/// How long ago a sample was: seconds under a minute, then minutes,
/// hours, days.
fn age_label(elapsed: i64) -> String {
    match elapsed {
        e if e < 60 => format!("{e}s"),
        e if e < 3600 => format!("{}m", e / 60),
        e if e < 86_400 => format!("{}h", e / 3600),
        e => format!("{}d", e / 86_400),
    }
}

/// One band: the chart rows, a blank spacer row, then the labels one
/// character per row. Heights are scaled between the lowest and highest
/// sample of the whole graph.
fn draw_band(out: &mut String, band: &[(u64, String)], low: u64, high: u64) {
    let levels = LEVELS.len() * ROWS;
    let span = if high == low { 1.0 } else { (high - low) as f64 };
    // Redis truncates the scaled value before dividing by the span.
    let heights: Vec<usize> = band
        .iter()
        .map(|(ms, _)| {
            let step = (((*ms - low) as f64 * levels as f64) as i64 as f64 / span) as usize;
            step.min(levels - 1)
        })
        .collect();
    for row in 0..ROWS {
        // The top row first: what part of each column's height shows in it.
        let base = (ROWS - row - 1) * LEVELS.len();
        let line: String = heights
            .iter()
            .map(|&h| match h.checked_sub(base) {
                Some(level) if level < LEVELS.len() => LEVELS[level] as char,
                Some(_) => '|',
                None => ' ',
            })
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&" ".repeat(band.len()));
    out.push('\n');
    let tallest = band.iter().map(|(_, label)| label.len()).max().unwrap_or(0);
    for i in 0..tallest {
        let line: String = band.iter().map(|(_, label)| label.as_bytes().get(i).map_or(' ', |&b| b as char)).collect();
        out.push_str(&line);
        out.push('\n');
    }
}
