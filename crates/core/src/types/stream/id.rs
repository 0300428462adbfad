//! Stream entry IDs: `<ms>-<seq>`, two unsigned 64-bit halves ordered as a
//! pair, parsed with Redis's rules (including its lenient `strtoull`
//! fallback, so `007-1` and `+5` are IDs while `-5` is not).

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

/// An ID as typed for XADD: `*`-sequence (`5-*`) leaves `seq` to the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedId {
    pub id: StreamId,
    pub seq_given: bool,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }

    /// The next ID in order, `None` past the last possible one.
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The previous ID in order, `None` before 0-0.
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    /// Parses `ms[-seq]`, `-` and `+`; `missing_seq` fills an absent sequence.
    /// `strict` refuses `-` and `+`; `allow_star_seq` accepts `ms-*` (XADD).
    pub fn parse_with(arg: &[u8], missing_seq: u64, strict: bool, allow_star_seq: bool) -> Option<ParsedId> {
        // Redis copies the argument into a 128-byte buffer first.
        if arg.len() > 127 {
            return None;
        }
        match arg {
            b"-" | b"+" if strict => return None,
            b"-" => return Some(ParsedId { id: StreamId::MIN, seq_given: true }),
            b"+" => return Some(ParsedId { id: StreamId::MAX, seq_given: true }),
            _ => {}
        }
        // A NUL ends the C string Redis parses.
        let arg = &arg[..arg.iter().position(|&b| b == 0).unwrap_or(arg.len())];
        let (ms_part, seq_part) = match arg.iter().position(|&b| b == b'-') {
            Some(dash) => (&arg[..dash], Some(&arg[dash + 1..])),
            None => (arg, None),
        };
        let ms = parse_u64(ms_part)?;
        let (seq, seq_given) = match seq_part {
            Some(b"*") if allow_star_seq => (0, false),
            Some(s) => (parse_u64(s)?, true),
            None => (missing_seq, true),
        };
        Some(ParsedId { id: StreamId::new(ms, seq), seq_given })
    }

    /// The plain form most commands take: `-`/`+` allowed.
    pub fn parse(arg: &[u8], missing_seq: u64) -> Option<StreamId> {
        Self::parse_with(arg, missing_seq, false, false).map(|p| p.id)
    }

    /// The strict form: `-`/`+` refused.
    pub fn parse_strict(arg: &[u8]) -> Option<StreamId> {
        Self::parse_with(arg, 0, true, false).map(|p| p.id)
    }

    pub fn to_bytes(self) -> Vec<u8> {
        let mut buf = [0u8; Self::TEXT_MAX];
        self.format(&mut buf).to_vec()
    }

    /// The longest text form: two 20-digit halves and the dash.
    pub const TEXT_MAX: usize = 41;

    /// Writes `ms-seq` into the end of `buf` and returns it: replies carry
    /// one ID per entry, and this spares the formatter's machinery and an
    /// allocation each time.
    pub fn format(self, buf: &mut [u8; Self::TEXT_MAX]) -> &[u8] {
        use crate::resp::writer::digits_before;
        let dash = digits_before(buf, Self::TEXT_MAX, self.seq) - 1;
        buf[dash] = b'-';
        let start = digits_before(buf, dash, self.ms);
        &buf[start..]
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; Self::TEXT_MAX];
        // Only ASCII digits and a dash.
        f.write_str(std::str::from_utf8(self.format(&mut buf)).expect("ASCII"))
    }
}

/// Redis's `string2ull`: a canonical signed integer must not be negative;
/// anything else goes through `strtoull`, which skips leading whitespace,
/// takes a sign (a minus negates modulo 2^64) and refuses overflow.
fn parse_u64(s: &[u8]) -> Option<u64> {
    if let Some(n) = canonical_i64(s) {
        return u64::try_from(n).ok();
    }
    let mut i = s.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)).count();
    let mut negative = false;
    if let Some(&sign @ (b'+' | b'-')) = s.get(i) {
        negative = sign == b'-';
        i += 1;
    }
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative { n.wrapping_neg() } else { n })
}

/// Redis's `string2ll`: an optional minus, no leading zeros, no spaces.
fn canonical_i64(s: &[u8]) -> Option<i64> {
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || (digits[0] == b'0' && s.len() > 1) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_as_redis_reads_them() {
        assert_eq!(StreamId::parse(b"5", 0), Some(StreamId::new(5, 0)));
        assert_eq!(StreamId::parse(b"5", u64::MAX), Some(StreamId::new(5, u64::MAX)));
        assert_eq!(StreamId::parse(b"5-3", 0), Some(StreamId::new(5, 3)));
        assert_eq!(StreamId::parse(b"-", 0), Some(StreamId::MIN));
        assert_eq!(StreamId::parse(b"+", 0), Some(StreamId::MAX));
        assert_eq!(StreamId::parse_strict(b"+"), None);
        assert_eq!(StreamId::parse(b"007-01", 0), Some(StreamId::new(7, 1)));
        assert_eq!(StreamId::parse(b"18446744073709551615-1", 0), Some(StreamId::new(u64::MAX, 1)));
        assert_eq!(StreamId::parse(b"18446744073709551616", 0), None);
        assert_eq!(StreamId::parse(b"-5", 0), None);
        // The first dash splits: nothing stands before it.
        assert_eq!(StreamId::parse(b"-0", 0), None);
        assert_eq!(StreamId::parse(b"+5-1", 0), Some(StreamId::new(5, 1)));
        assert_eq!(StreamId::parse(b"abc", 0), None);
        assert_eq!(StreamId::parse(b"1-", 0), None);
        assert_eq!(StreamId::parse(b"1-2-3", 0), None);
        assert_eq!(StreamId::parse(b"5-*", 0), None);
        let star = StreamId::parse_with(b"5-*", 0, true, true).unwrap();
        assert_eq!((star.id, star.seq_given), (StreamId::new(5, 0), false));
    }

    #[test]
    fn next_and_prev_carry_across_the_halves() {
        assert_eq!(StreamId::new(1, u64::MAX).next(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.next(), None);
        assert_eq!(StreamId::new(2, 0).prev(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::MIN.prev(), None);
    }
}
