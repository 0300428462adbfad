//! Reply encoding. Handlers call typed methods (`bulk`, `map_len`, `null` …)
//! and the writer picks the RESP2 or RESP3 form for the client, as Redis's
//! `addReply*` family does; no handler ever writes protocol bytes itself.

use crate::util::float::format_double;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

/// The output buffer of one `feed` call, shared by every command of it.
#[derive(Default)]
pub struct Reply {
    pub buf: Vec<u8>,
    pub proto: Protocol,
}

impl Reply {
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    pub fn ok(&mut self) {
        self.raw(b"+OK\r\n");
    }

    pub fn simple(&mut self, s: &str) {
        self.buf.push(b'+');
        self.raw(s.as_bytes());
        self.raw(b"\r\n");
    }

    /// An error reply. `msg` carries its own code ("ERR …", "WRONGTYPE …").
    pub fn error(&mut self, msg: &str) {
        self.buf.push(b'-');
        // Newlines would break the framing; Redis replaces them with spaces.
        self.buf.extend(msg.bytes().map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }));
        self.raw(b"\r\n");
    }

    #[inline]
    pub fn int(&mut self, n: i64) {
        self.prefixed(b':', n);
    }

    #[inline]
    pub fn bulk(&mut self, data: &[u8]) {
        self.prefixed(b'$', data.len() as i64);
        self.raw(data);
        self.raw(b"\r\n");
    }

    pub fn bulk_str(&mut self, s: &str) {
        self.bulk(s.as_bytes());
    }

    /// An integer sent as a bulk string (e.g. INCRBYFLOAT's result is a string).
    pub fn bulk_int(&mut self, n: i64) {
        let mut tmp = itoa_buf();
        let s = fmt_i64(n, &mut tmp);
        self.bulk(s);
    }

    /// The null bulk string: `$-1` in RESP2, `_` in RESP3.
    #[inline]
    pub fn null(&mut self) {
        match self.proto {
            Protocol::Resp2 => self.raw(b"$-1\r\n"),
            Protocol::Resp3 => self.raw(b"_\r\n"),
        }
    }

    /// The null array: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        match self.proto {
            Protocol::Resp2 => self.raw(b"*-1\r\n"),
            Protocol::Resp3 => self.raw(b"_\r\n"),
        }
    }

    #[inline]
    pub fn array_len(&mut self, n: usize) {
        self.prefixed(b'*', n as i64);
    }

    /// A map of `n` pairs: a flat array of 2n elements in RESP2.
    pub fn map_len(&mut self, n: usize) {
        match self.proto {
            Protocol::Resp2 => self.prefixed(b'*', 2 * n as i64),
            Protocol::Resp3 => self.prefixed(b'%', n as i64),
        }
    }

    pub fn set_len(&mut self, n: usize) {
        match self.proto {
            Protocol::Resp2 => self.prefixed(b'*', n as i64),
            Protocol::Resp3 => self.prefixed(b'~', n as i64),
        }
    }

    pub fn push_len(&mut self, n: usize) {
        match self.proto {
            Protocol::Resp2 => self.prefixed(b'*', n as i64),
            Protocol::Resp3 => self.prefixed(b'>', n as i64),
        }
    }

    /// A double: a bulk string in RESP2, `,` in RESP3, formatted as Redis does.
    pub fn double(&mut self, v: f64) {
        let s = format_double(v);
        match self.proto {
            Protocol::Resp2 => self.bulk(s.as_bytes()),
            Protocol::Resp3 => {
                self.buf.push(b',');
                self.raw(s.as_bytes());
                self.raw(b"\r\n");
            }
        }
    }

    pub fn bool(&mut self, v: bool) {
        match self.proto {
            Protocol::Resp2 => self.int(v as i64),
            Protocol::Resp3 => self.raw(if v { b"#t\r\n" } else { b"#f\r\n" }),
        }
    }

    /// Text for humans (INFO, CLIENT LIST …): verbatim `txt:` in RESP3.
    pub fn verbatim(&mut self, text: &[u8]) {
        match self.proto {
            Protocol::Resp2 => self.bulk(text),
            Protocol::Resp3 => {
                self.prefixed(b'=', text.len() as i64 + 4);
                self.raw(b"txt:");
                self.raw(text);
                self.raw(b"\r\n");
            }
        }
    }

    pub fn bulks<'a>(&mut self, items: impl ExactSizeIterator<Item = &'a [u8]>) {
        self.array_len(items.len());
        for it in items {
            self.bulk(it);
        }
    }

    #[inline]
    fn prefixed(&mut self, tag: u8, n: i64) {
        // The common small cases without formatting.
        self.buf.push(tag);
        if (0..10).contains(&n) {
            self.buf.push(b'0' + n as u8);
        } else {
            let mut tmp = itoa_buf();
            let s = fmt_i64(n, &mut tmp);
            self.buf.extend_from_slice(s);
        }
        self.raw(b"\r\n");
    }
}

pub fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// Formats `n` in decimal into `buf`, returning the used tail.
pub fn fmt_i64(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = digits_before(buf, 20, n.unsigned_abs());
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// "00" "01" … "99": two digits per division, as most integer formatters
/// do — every reply carries lengths and counts, so this is on the hot path.
const DIGIT_PAIRS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        table[2 * i] = b'0' + (i / 10) as u8;
        table[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    table
};

/// Writes `n` in decimal so that it ends just before `buf[end]`; returns
/// where it starts. `buf` must have room (20 bytes hold any u64).
#[inline]
pub fn digits_before(buf: &mut [u8], mut end: usize, mut n: u64) -> usize {
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        end -= 1;
        buf[end] = b'0' + n as u8;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_per_protocol() {
        let mut r = Reply::default();
        r.null();
        r.map_len(2);
        r.double(1.5);
        r.bool(true);
        assert_eq!(r.buf, b"$-1\r\n*4\r\n$3\r\n1.5\r\n:1\r\n");
        let mut r = Reply { proto: Protocol::Resp3, ..Default::default() };
        r.null();
        r.map_len(2);
        r.double(1.5);
        r.bool(true);
        r.verbatim(b"hi");
        assert_eq!(r.buf, b"_\r\n%2\r\n,1.5\r\n#t\r\n=6\r\ntxt:hi\r\n");
    }

    #[test]
    fn integers_and_errors() {
        let mut r = Reply::default();
        r.int(i64::MIN);
        r.int(7);
        r.error("ERR bad\r\nthing");
        assert_eq!(r.buf, b":-9223372036854775808\r\n:7\r\n-ERR bad  thing\r\n");
    }

    #[test]
    fn decimal_formatting_matches_display() {
        let mut cases = vec![0, 9, 10, 99, 100, 101, 999, 1000, 12345, i64::MAX, i64::MIN, -1, -10, -100];
        let mut x: i64 = 1;
        for _ in 0..19 {
            cases.extend([x - 1, x, x + 1, -x]);
            x = x.saturating_mul(10);
        }
        for n in cases {
            let mut buf = itoa_buf();
            assert_eq!(fmt_i64(n, &mut buf), n.to_string().as_bytes());
        }
        let mut buf = [0u8; 20];
        let start = digits_before(&mut buf, 20, u64::MAX);
        assert_eq!(&buf[start..], u64::MAX.to_string().as_bytes());
    }
}
