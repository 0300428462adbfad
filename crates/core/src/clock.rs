//! The engine's one source of time. Tests freeze or advance it so expiry is
//! deterministic and instant; the server runs on the system clock.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Default, Debug, Clone)]
pub struct Clock {
    /// When set, time stands still at this unix-ms instant.
    frozen: Option<i64>,
    /// Added to the system time (moves a running clock forward).
    offset_ms: i64,
}

impl Clock {
    /// Milliseconds since the unix epoch, as the engine sees them.
    #[inline]
    pub fn now_ms(&self) -> i64 {
        match self.frozen {
            Some(t) => t,
            None => system_ms() + self.offset_ms,
        }
    }

    /// Microseconds since the unix epoch (TIME, client ages).
    pub fn now_us(&self) -> i64 {
        match self.frozen {
            Some(t) => t * 1000,
            None => system_us() + self.offset_ms * 1000,
        }
    }

    pub fn freeze(&mut self) {
        self.frozen = Some(self.now_ms());
    }

    pub fn unfreeze(&mut self) {
        if let Some(t) = self.frozen.take() {
            self.offset_ms = t - system_ms();
        }
    }

    pub fn advance(&mut self, ms: i64) {
        match &mut self.frozen {
            Some(t) => *t += ms,
            None => self.offset_ms += ms,
        }
    }

    pub fn set(&mut self, unix_ms: i64) {
        match &mut self.frozen {
            Some(t) => *t = unix_ms,
            None => self.offset_ms = unix_ms - system_ms(),
        }
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen.is_some()
    }
}

fn system_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

fn system_ms() -> i64 {
    system_us() / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_when_told() {
        let mut c = Clock::default();
        c.freeze();
        let t = c.now_ms();
        c.advance(1500);
        assert_eq!(c.now_ms(), t + 1500);
        c.unfreeze();
        assert!(c.now_ms() >= t + 1500);
    }
}
