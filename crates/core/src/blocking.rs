//! Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK …), the way Redis
//! 7.2 does it: a command that finds nothing to serve blocks its client on
//! some keys; when one of them gets data of the type it waits for, the
//! command is run again for that client, in the order clients blocked;
//! if it still finds nothing it keeps waiting, in its place. Deadlines are
//! checked by the periodic tick.

use std::collections::{HashMap, VecDeque};

use crate::command::errors::{self, CmdError};
use crate::types::Value;
use crate::util::float::parse_double;

/// (database index, key)
pub type DbKey = (usize, Vec<u8>);

/// The type of value a blocked client waits for: only a key holding it wakes
/// the client (a key recreated as another type leaves it waiting, as in Redis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaits {
    List,
    ZSet,
    /// XREAD, and XREADGROUP when `group` is set: a group reader is also
    /// woken when the key is deleted or overwritten (its group went with
    /// it), and gets the error its re-run command meets, as in Redis 7.2.
    Stream {
        group: bool,
    },
    /// Its own script, paused past busy-reply-threshold (no key wakes it).
    Script,
}

impl Awaits {
    pub fn matches(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (Awaits::List, Value::List(_)) | (Awaits::ZSet, Value::ZSet(_)) | (Awaits::Stream { .. }, Value::Stream(_))
        )
    }

    /// Whether a key signalled ready, now holding `value` (`None`: gone),
    /// wakes a client waiting for this.
    pub fn wakes_on(self, value: Option<&Value>) -> bool {
        match value {
            _ if self == (Awaits::Stream { group: true }) => true,
            Some(v) => self.matches(v),
            None => false,
        }
    }
}

/// Why a client is blocked, kept on the client.
#[derive(Clone, Debug)]
pub struct BlockedState {
    pub db: usize,
    pub keys: Vec<Vec<u8>>,
    /// Unix ms; `None` waits forever.
    pub deadline: Option<i64>,
    pub awaits: Awaits,
    /// The command, run again when a key gets data (filled in by the engine).
    pub argv: Vec<Vec<u8>>,
    /// How long the call that blocked ran: the slow log counts it when the
    /// client is unblocked.
    pub duration_us: u64,
}

/// The waiters of every key, first come first served.
#[derive(Default)]
pub struct Blocking {
    queues: HashMap<DbKey, VecDeque<u32>>,
}

impl Blocking {
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }

    /// Keys some client waits on (INFO's total_blocking_keys).
    pub fn keys(&self) -> usize {
        self.queues.len()
    }

    pub fn add(&mut self, db: usize, key: &[u8], handle: u32) {
        self.queues.entry((db, key.to_vec())).or_default().push_back(handle);
    }

    pub fn remove(&mut self, db: usize, key: &[u8], handle: u32) {
        let k = (db, key.to_vec());
        if let Some(q) = self.queues.get_mut(&k) {
            q.retain(|&h| h != handle);
            if q.is_empty() {
                self.queues.remove(&k);
            }
        }
    }

    /// The clients waiting on a key, in the order they blocked.
    pub fn waiters(&self, db: usize, key: &[u8]) -> Vec<u32> {
        self.queues.get(&(db, key.to_vec())).map(|q| q.iter().copied().collect()).unwrap_or_default()
    }
}

const TIMEOUT_OUT_OF_RANGE: CmdError = CmdError::Static("ERR timeout is out of range");

/// A blocking command's timeout in (possibly fractional) seconds, as Redis
/// reads it: 0 waits forever; the result is a unix-ms deadline.
pub fn parse_timeout(arg: &[u8], now_ms: i64) -> Result<Option<i64>, CmdError> {
    let secs = parse_double(arg).ok_or(errors::TIMEOUT_NOT_FLOAT)?;
    if !secs.is_finite() {
        return Err(errors::TIMEOUT_NOT_FLOAT);
    }
    if secs < 0.0 {
        return Err(errors::TIMEOUT_NEGATIVE);
    }
    let ms = (secs * 1000.0).ceil();
    if ms >= (i64::MAX - now_ms) as f64 {
        return Err(TIMEOUT_OUT_OF_RANGE);
    }
    Ok(if ms == 0.0 { None } else { Some(now_ms + ms as i64) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_as_redis_reads_them() {
        assert_eq!(parse_timeout(b"0", 1000), Ok(None));
        assert_eq!(parse_timeout(b"1.5", 1000), Ok(Some(2500)));
        assert_eq!(parse_timeout(b"0.0001", 1000), Ok(Some(1001)));
        assert_eq!(parse_timeout(b"-1", 1000), Err(errors::TIMEOUT_NEGATIVE));
        assert_eq!(parse_timeout(b"abc", 1000), Err(errors::TIMEOUT_NOT_FLOAT));
        assert_eq!(parse_timeout(b"1e300", 1000), Err(TIMEOUT_OUT_OF_RANGE));
    }
}
