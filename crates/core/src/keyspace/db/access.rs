//! Access tracking for eviction and OBJECT IDLETIME/FREQ, in the 32 bits the
//! table keeps beside each entry (Redis keeps the same 24 bits in `robj.lru`).
//!
//! Under an LRU policy (and every non-LFU one) the bits hold a clock in
//! seconds that wraps at 2^24 (~194 days); under an LFU policy they hold the
//! minute of the last decrement in the high 16 bits and a logarithmic access
//! counter in the low 8.

/// Which of the two the bits hold; the server's maxmemory-policy decides.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Tracking {
    #[default]
    Lru,
    Lfu {
        /// `lfu-log-factor`: how many hits it takes to grow the counter.
        log_factor: u32,
        /// `lfu-decay-time`: minutes for the counter to lose one point (0 = never).
        decay_minutes: u32,
    },
}

impl Tracking {
    /// Redis's defaults for `lfu-log-factor` and `lfu-decay-time`.
    pub const LFU_DEFAULT: Tracking = Tracking::Lfu { log_factor: 10, decay_minutes: 1 };

    pub fn is_lfu(&self) -> bool {
        matches!(self, Tracking::Lfu { .. })
    }
}

pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;
/// A new key's counter starts above zero so it is not evicted before it had
/// a chance to be read.
pub const LFU_INIT_VAL: u32 = 5;

/// The LRU clock: unix seconds, wrapped to 24 bits.
#[inline]
pub fn lru_clock(now_ms: i64) -> u32 {
    ((now_ms / 1000) as u64 & LRU_CLOCK_MAX as u64) as u32
}

/// Milliseconds since an LRU stamp, allowing for one wrap of the clock.
pub fn idle_ms(stamp: u32, now_ms: i64) -> u64 {
    let clock = lru_clock(now_ms);
    let secs = if clock >= stamp { clock - stamp } else { clock + (LRU_CLOCK_MAX - stamp) };
    secs as u64 * 1000
}

fn lfu_minutes(now_ms: i64) -> u32 {
    ((now_ms / 60_000) as u64 & 0xffff) as u32
}

/// The LFU counter after the decay owed for the minutes since it was last
/// decremented (what OBJECT FREQ reports; reading does not store it).
pub fn lfu_count(meta: u32, now_ms: i64, decay_minutes: u32) -> u32 {
    let last = meta >> 8;
    let counter = meta & 0xff;
    let now = lfu_minutes(now_ms);
    let elapsed = if now >= last { now - last } else { 0xffff - last + now };
    // A decay time of 0 means the counter never decays.
    let periods = elapsed.checked_div(decay_minutes).unwrap_or(0);
    counter.saturating_sub(periods)
}

/// The stamp of a value created now.
pub fn fresh(tracking: Tracking, now_ms: i64) -> u32 {
    match tracking {
        Tracking::Lru => lru_clock(now_ms),
        Tracking::Lfu { .. } => (lfu_minutes(now_ms) << 8) | LFU_INIT_VAL,
    }
}

/// The stamp after one access. `coin` is uniform in [0, 1): the counter grows
/// with probability 1/((counter - init) * log_factor + 1), so it reaches 255
/// only after about a million hits at the default factor.
pub fn accessed(tracking: Tracking, meta: u32, now_ms: i64, coin: f64) -> u32 {
    match tracking {
        Tracking::Lru => lru_clock(now_ms),
        Tracking::Lfu { log_factor, decay_minutes } => {
            let mut counter = lfu_count(meta, now_ms, decay_minutes);
            if counter < 255 {
                let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
                if coin < 1.0 / (base * log_factor as f64 + 1.0) {
                    counter += 1;
                }
            }
            (lfu_minutes(now_ms) << 8) | counter
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_idle_time_survives_the_clock_wrapping() {
        let stamp = lru_clock(1_000_000);
        assert_eq!(idle_ms(stamp, 1_000_000 + 7_999), 7_000);
        // A stamp taken just before the 24-bit clock wraps.
        let before_wrap = (LRU_CLOCK_MAX as i64 - 1) * 1000;
        let stamp = lru_clock(before_wrap);
        assert_eq!(idle_ms(stamp, before_wrap + 5_000), 4_000);
    }

    #[test]
    fn lfu_counter_grows_slowly_and_decays() {
        let t = Tracking::LFU_DEFAULT;
        let now = 3_600_000;
        let m = fresh(t, now);
        assert_eq!(lfu_count(m, now, 1), 5);
        // At the initial value every access counts.
        let m = accessed(t, m, now, 0.99);
        assert_eq!(m & 0xff, 6);
        // Above it, a coin over 1/(1*10+1) does not.
        assert_eq!(accessed(t, m, now, 0.5) & 0xff, 6);
        assert_eq!(accessed(t, m, now, 0.05) & 0xff, 7);
        // One point lost per decay period (a minute), down to zero.
        assert_eq!(lfu_count(m, now + 3 * 60_000, 1), 3);
        assert_eq!(lfu_count(m, now + 60 * 60_000, 1), 0);
        assert_eq!(lfu_count(m, now + 60 * 60_000, 0), 6);
    }
}
