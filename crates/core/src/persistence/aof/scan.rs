//! Reading the command part of an AOF file: where each command starts and
//! ends, whether the file ends in a torn command (a crash mid-write) or is
//! damaged, as Redis's loader and redis-check-aof tell them apart.

/// How a scan ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every byte belongs to a complete command.
    Clean,
    /// The file ends inside a command (or an unfinished MULTI): everything
    /// from `valid` on is the torn tail.
    Truncated,
    /// A byte that cannot be there, at `at`.
    Corrupt { at: usize, what: String },
}

/// The commands of a file.
#[derive(Debug)]
pub struct Scan {
    /// (start, end) byte ranges of the complete commands before `valid`.
    pub commands: Vec<(usize, usize)>,
    /// Bytes that load: up to the last complete command outside MULTI.
    pub valid: usize,
    pub ending: Ending,
}

fn line(bytes: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let rest = bytes.get(pos..)?;
    let nl = rest.windows(2).position(|w| w == b"\r\n")?;
    Some((&rest[..nl], pos + nl + 2))
}

enum Step {
    Command(usize, bool, bool),
    Annotation(usize),
    Eof,
    Corrupt(usize, String),
}

fn number(text: &[u8]) -> Option<usize> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// One command at `pos`: its end and whether it is MULTI / EXEC.
fn command(bytes: &[u8], pos: usize) -> Step {
    if bytes[pos] == b'#' {
        // An annotation (`aof-timestamp-enabled`'s "#TS:…"): Redis skips the line.
        return match line(bytes, pos) {
            Some((_, end)) => Step::Annotation(end),
            None => Step::Eof,
        };
    }
    if bytes[pos] != b'*' {
        return Step::Corrupt(pos, format!("expected '*', got '{}'", bytes[pos].escape_ascii()));
    }
    let Some((head, mut at)) = line(bytes, pos + 1) else { return Step::Eof };
    let Some(argc) = number(head).filter(|&n| n >= 1) else {
        return Step::Corrupt(pos, "invalid argument count".into());
    };
    let mut first: &[u8] = &[];
    for i in 0..argc {
        match bytes.get(at) {
            None => return Step::Eof,
            Some(b'$') => {}
            Some(_) => return Step::Corrupt(at, "expected '$'".into()),
        }
        let Some((len, start)) = line(bytes, at + 1) else { return Step::Eof };
        let Some(len) = number(len) else { return Step::Corrupt(at, "invalid bulk length".into()) };
        let end = start + len;
        if end + 2 > bytes.len() {
            return Step::Eof;
        }
        if &bytes[end..end + 2] != b"\r\n" {
            return Step::Corrupt(end, "expected CRLF after an argument".into());
        }
        if i == 0 {
            first = &bytes[start..end];
        }
        at = end + 2;
    }
    Step::Command(at, first.eq_ignore_ascii_case(b"multi"), first.eq_ignore_ascii_case(b"exec"))
}

/// Scans `bytes` from `from` (past an RDB preamble, if any).
pub fn scan(bytes: &[u8], from: usize) -> Scan {
    let mut commands = Vec::new();
    let mut pos = from;
    // Where the open MULTI began: a file ending inside it ends there.
    let mut multi_at: Option<(usize, usize)> = None;
    loop {
        if pos >= bytes.len() {
            return match multi_at {
                Some((at, count)) => {
                    commands.truncate(count);
                    Scan { commands, valid: at, ending: Ending::Truncated }
                }
                None => Scan { commands, valid: pos, ending: Ending::Clean },
            };
        }
        match command(bytes, pos) {
            Step::Command(end, is_multi, is_exec) => {
                if is_multi {
                    multi_at = Some((pos, commands.len()));
                } else if is_exec {
                    multi_at = None;
                }
                commands.push((pos, end));
                pos = end;
            }
            Step::Annotation(end) => pos = end,
            Step::Eof => {
                let (valid, count) = multi_at.unwrap_or((pos, commands.len()));
                commands.truncate(count);
                return Scan { commands, valid, ending: Ending::Truncated };
            }
            Step::Corrupt(at, what) => {
                let (valid, count) = multi_at.unwrap_or((pos, commands.len()));
                commands.truncate(count);
                return Scan { commands, valid, ending: Ending::Corrupt { at, what } };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &[u8] = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";

    #[test]
    fn complete_commands_scan_clean() {
        let bytes = [SET, SET].concat();
        let s = scan(&bytes, 0);
        assert_eq!(s.ending, Ending::Clean);
        assert_eq!(s.commands, vec![(0, SET.len()), (SET.len(), 2 * SET.len())]);
    }

    #[test]
    fn every_torn_tail_is_truncation_at_the_last_command() {
        for cut in 1..SET.len() {
            let bytes = [SET, &SET[..cut]].concat();
            let s = scan(&bytes, 0);
            assert_eq!(s.ending, Ending::Truncated, "cut at {cut}");
            assert_eq!(s.valid, SET.len());
            assert_eq!(s.commands.len(), 1);
        }
    }

    #[test]
    fn an_unfinished_multi_is_cut_before_it() {
        let bytes = [SET, b"*1\r\n$5\r\nMULTI\r\n", SET].concat();
        let s = scan(&bytes, 0);
        assert_eq!(s.ending, Ending::Truncated);
        assert_eq!(s.valid, SET.len());
        assert_eq!(s.commands.len(), 1);
        let closed = [&bytes[..], b"*1\r\n$4\r\nEXEC\r\n"].concat();
        assert_eq!(scan(&closed, 0).ending, Ending::Clean);
    }

    #[test]
    fn annotations_are_skipped() {
        let bytes = [b"#TS:1700000000\r\n".as_slice(), SET].concat();
        let s = scan(&bytes, 0);
        assert_eq!(s.ending, Ending::Clean);
        assert_eq!(s.commands, vec![(16, bytes.len())]);
    }

    #[test]
    fn garbage_is_corruption_not_truncation() {
        let bytes = [SET, b"xx", SET].concat();
        let s = scan(&bytes, 0);
        assert!(matches!(s.ending, Ending::Corrupt { at, .. } if at == SET.len()));
        let bad_len = b"*3\r\n$3\r\nSET\r\n$1\r\nkk\r\n$1\r\nv\r\n";
        assert!(matches!(scan(bad_len, 0).ending, Ending::Corrupt { .. }));
    }
}
