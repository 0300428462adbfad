//! The slow log: the latest commands that took at least
//! `slowlog-log-slower-than` microseconds, newest first, at most
//! `slowlog-max-len` of them, with their arguments trimmed as Redis trims
//! them so a huge command does not pin its memory.

use std::collections::VecDeque;

use crate::client::Client;

/// Arguments kept per entry; the last kept one says how many were left out.
pub const MAX_ARGS: usize = 32;
/// Bytes kept per argument.
pub const MAX_ARG_BYTES: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub struct SlowEntry {
    pub id: u64,
    /// Unix seconds when it was logged.
    pub time: i64,
    pub duration_us: u64,
    pub argv: Vec<Vec<u8>>,
    /// `ip:port` of the client.
    pub peer: String,
    pub client_name: Vec<u8>,
}

#[derive(Default, Debug)]
pub struct SlowLog {
    /// Newest first.
    entries: VecDeque<SlowEntry>,
    next_id: u64,
}

impl SlowLog {
    /// Logs a command that ran `duration_us` if the configuration asks for
    /// it, dropping the oldest entries past `max_len`. `slower_than` < 0
    /// disables the log.
    pub fn push_if_slow(
        &mut self,
        slower_than: i64,
        max_len: usize,
        duration_us: u64,
        now_ms: i64,
        argv: &[&[u8]],
        client: &Client,
    ) {
        if slower_than < 0 || max_len == 0 {
            return;
        }
        if duration_us >= slower_than as u64 {
            let entry = SlowEntry {
                id: self.next_id,
                time: now_ms.div_euclid(1000),
                duration_us,
                argv: trim_argv(argv),
                peer: client.info.addr.clone(),
                client_name: client.name.clone().unwrap_or_default(),
            };
            self.next_id += 1;
            self.entries.push_front(entry);
        }
        self.entries.truncate(max_len);
    }

    /// The newest `count` entries, newest first.
    pub fn newest(&self, count: usize) -> impl ExactSizeIterator<Item = &SlowEntry> {
        self.entries.iter().take(count)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// SLOWLOG RESET: the entries go; ids keep counting.
    pub fn reset(&mut self) {
        self.entries.clear();
    }
}

/// At most [`MAX_ARGS`] arguments, the last of which tells how many more
/// there were when some were cut, and each cut to [`MAX_ARG_BYTES`] with a
/// note of the bytes left out.
pub fn trim_argv(argv: &[&[u8]]) -> Vec<Vec<u8>> {
    let kept = argv.len().min(MAX_ARGS);
    let mut out = Vec::with_capacity(kept);
    for (i, arg) in argv.iter().take(kept).enumerate() {
        if kept != argv.len() && i == kept - 1 {
            out.push(format!("... ({} more arguments)", argv.len() - kept + 1).into_bytes());
        } else if arg.len() > MAX_ARG_BYTES {
            let mut cut = arg[..MAX_ARG_BYTES].to_vec();
            cut.extend_from_slice(format!("... ({} more bytes)", arg.len() - MAX_ARG_BYTES).as_bytes());
            out.push(cut);
        } else {
            out.push(arg.to_vec());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_long_commands_and_arguments() {
        let long = vec![b'x'; 200];
        let many: Vec<&[u8]> = (0..40).map(|_| &long[..3]).collect();
        let trimmed = trim_argv(&many);
        assert_eq!(trimmed.len(), 32);
        assert_eq!(trimmed[31], b"... (9 more arguments)");
        assert_eq!(trimmed[30], b"xxx");
        let trimmed = trim_argv(&[b"set", &long]);
        assert_eq!(trimmed[1].len(), 128 + "... (72 more bytes)".len());
        assert!(trimmed[1].ends_with(b"x... (72 more bytes)"));
        // Exactly 32 arguments are all kept.
        assert_eq!(trim_argv(&many[..32]).last().unwrap(), b"xxx");
    }
}
