//! Request framing: turns a byte stream into commands, as Redis's
//! `processMultibulkBuffer` / `processInlineBuffer` do, with the same error
//! strings and the same tolerance (the two bytes after a bulk are skipped, not
//! checked).
//!
//! The parser is resumable: a command split across reads keeps what was
//! already parsed in [`ParseState`], so a request with a million arguments
//! arriving in small chunks is scanned once, not once per chunk.

/// Longest inline command, and longest `*`/`$` header line, Redis accepts.
pub const INLINE_MAX: usize = 64 * 1024;

/// Limits that apply while parsing; see `proto-max-bulk-len`.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    pub max_bulk_len: u64,
    /// Before AUTH, Redis refuses big requests outright (DoS protection).
    pub unauthenticated: bool,
}

/// Where one argument lives: a byte range of the command's buffer, or of the
/// inline scratch buffer (inline arguments may be unescaped, so they are
/// copied).
pub type ArgRange = (u32, u32);

#[derive(Default, Debug)]
pub struct ParseState {
    /// Arguments still expected by the multibulk in progress (0 = none started).
    pending: usize,
    /// Length of the bulk whose header was read but whose data is incomplete.
    bulk_len: Option<usize>,
    /// Bytes of the current command consumed so far.
    consumed: usize,
    /// Argument ranges, relative to the start of the current command.
    pub args: Vec<ArgRange>,
    /// Whether `args` index into `scratch` (inline) or the input (multibulk).
    pub inline: bool,
    pub scratch: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A whole command ending at this offset; its arguments are in the state.
    /// An empty argument list (blank inline line, `*0`) is possible and is skipped by the caller.
    Command(usize),
    /// More bytes are needed. The caller keeps the buffer from the command's start.
    Incomplete,
    /// The stream is malformed; reply with this (after `-ERR `) and close.
    Error(&'static str),
}

impl ParseState {
    pub fn is_mid_command(&self) -> bool {
        self.consumed > 0 || self.pending > 0
    }

    fn reset(&mut self) {
        self.pending = 0;
        self.bulk_len = None;
        self.consumed = 0;
        self.args.clear();
        self.inline = false;
    }

    /// Parses the next command of `buf`, which starts at the current command's
    /// first byte. Call again with the same buffer (grown) after `Incomplete`.
    pub fn parse(&mut self, buf: &[u8], limits: ParseLimits) -> Parsed {
        if !self.is_mid_command() {
            self.args.clear();
            self.inline = false;
            match buf.first() {
                None => return Parsed::Incomplete,
                Some(b'*') => {}
                Some(_) => return self.parse_inline(buf),
            }
        }
        self.parse_multibulk(buf, limits)
    }

    fn parse_inline(&mut self, buf: &[u8]) -> Parsed {
        // Redis looks for the newline with `strchr`, which gives up at a NUL
        // byte: an inline request with a NUL before its newline never
        // completes (until it is too big).
        let line_end = buf.iter().position(|&b| b == b'\n' || b == 0).filter(|&i| buf[i] == b'\n');
        let Some(nl) = line_end else {
            if buf.len() > INLINE_MAX {
                return Parsed::Error("Protocol error: too big inline request");
            }
            return Parsed::Incomplete;
        };
        let line_end = if nl > 0 && buf[nl - 1] == b'\r' { nl - 1 } else { nl };
        self.inline = true;
        self.scratch.clear();
        if split_inline_args(&buf[..line_end], &mut self.scratch, &mut self.args).is_err() {
            self.reset();
            return Parsed::Error("Protocol error: unbalanced quotes in request");
        }
        Parsed::Command(nl + 1)
    }

    fn parse_multibulk(&mut self, buf: &[u8], limits: ParseLimits) -> Parsed {
        let mut pos = self.consumed;
        if self.pending == 0 {
            let (count, cr) = match plain_header(buf, pos) {
                Some((n, cr)) => (n as i64, cr),
                None => {
                    let Some(cr) = memchr(b'\r', &buf[pos..]).map(|i| i + pos) else {
                        if buf.len() - pos > INLINE_MAX {
                            return self.fail("Protocol error: too big mbulk count string");
                        }
                        return Parsed::Incomplete;
                    };
                    if cr + 1 >= buf.len() {
                        return Parsed::Incomplete;
                    }
                    match parse_i64(&buf[pos + 1..cr]) {
                        Some(n) if n <= i32::MAX as i64 => (n, cr),
                        _ => return self.fail("Protocol error: invalid multibulk length"),
                    }
                }
            };
            if limits.unauthenticated && count > 10 {
                return self.fail("Protocol error: unauthenticated multibulk length");
            }
            pos = cr + 2;
            if count <= 0 {
                self.reset();
                return Parsed::Command(pos);
            }
            self.pending = count as usize;
            // Trust the count only as far as the bytes present could hold it.
            self.args.reserve(self.pending.min(buf.len() / 4 + 1));
        }
        while self.pending > 0 {
            let len = match self.bulk_len {
                Some(len) => len,
                None => {
                    let (len, cr) = match plain_header(buf, pos).filter(|_| buf[pos] == b'$') {
                        Some((n, cr)) if n as u64 <= limits.max_bulk_len => (n, cr),
                        Some(_) => return self.fail("Protocol error: invalid bulk length"),
                        None => {
                            let Some(cr) = memchr(b'\r', &buf[pos..]).map(|i| i + pos) else {
                                if buf.len() - pos > INLINE_MAX {
                                    return self.fail("Protocol error: too big bulk count string");
                                }
                                break;
                            };
                            if cr + 1 >= buf.len() {
                                break;
                            }
                            if buf[pos] != b'$' {
                                return self.fail_expected_dollar(buf[pos]);
                            }
                            match parse_i64(&buf[pos + 1..cr]) {
                                Some(n) if n >= 0 && (n as u64) <= limits.max_bulk_len => (n as usize, cr),
                                _ => return self.fail("Protocol error: invalid bulk length"),
                            }
                        }
                    };
                    if limits.unauthenticated && len > 16384 {
                        return self.fail("Protocol error: unauthenticated bulk length");
                    }
                    pos = cr + 2;
                    self.bulk_len = Some(len);
                    len
                }
            };
            if buf.len() - pos < len + 2 {
                break;
            }
            self.args.push((pos as u32, (pos + len) as u32));
            pos += len + 2;
            self.bulk_len = None;
            self.pending -= 1;
        }
        self.consumed = pos;
        if self.pending > 0 {
            return Parsed::Incomplete;
        }
        self.consumed = 0;
        Parsed::Command(pos)
    }

    fn fail(&mut self, msg: &'static str) -> Parsed {
        self.reset();
        Parsed::Error(msg)
    }

    fn fail_expected_dollar(&mut self, got: u8) -> Parsed {
        self.reset();
        // Redis prints the offending byte with %c; keep the message static by
        // naming printable bytes and falling back to a generic form.
        Parsed::Error(expected_dollar_message(got))
    }

    /// Bytes still needed before the bulk in progress is complete, if known:
    /// lets the caller reserve a large argument's buffer once.
    pub fn bulk_remaining(&self, buffered: usize) -> Option<usize> {
        self.bulk_len.map(|len| (self.consumed + len + 2).saturating_sub(buffered))
    }
}

/// The header at `pos` (`*` or `$`, not checked here) when it has the
/// shape nearly every request uses: 1 to 9 digits, no sign, no leading
/// zero, then `\r` and one more byte buffered. Returns the number and where
/// its `\r` is, reading the digits in the same pass that finds the end —
/// three or more headers per command make this worth a fast path. Any other
/// shape returns `None` and takes the general path, which knows every error.
#[inline(always)]
fn plain_header(buf: &[u8], pos: usize) -> Option<(usize, usize)> {
    let digits = buf.get(pos + 1..)?;
    let mut n = digits.first()?.wrapping_sub(b'0') as usize;
    if n > 9 {
        return None;
    }
    let mut i = 1;
    loop {
        let c = *digits.get(i)?;
        if c == b'\r' {
            break;
        }
        let digit = c.wrapping_sub(b'0') as usize;
        // Not a digit, a tenth digit, or a digit after a leading zero.
        if digit > 9 || i == 9 || n == 0 {
            return None;
        }
        n = n * 10 + digit;
        i += 1;
    }
    let cr = pos + 1 + i;
    // Its `\n` must be there too.
    (cr + 1 < buf.len()).then_some((n, cr))
}

fn expected_dollar_message(got: u8) -> &'static str {
    const MESSAGES: [&str; 95] = {
        // "Protocol error: expected '$', got 'X'" for every printable X.
        macro_rules! msgs {
            ($($c:literal)*) => { [$(concat!("Protocol error: expected '$', got '", $c, "'")),*] };
        }
        msgs!(" " "!" "\"" "#" "$" "%" "&" "'" "(" ")" "*" "+" "," "-" "." "/"
              "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" ":" ";" "<" "=" ">" "?"
              "@" "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O"
              "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" "[" "\\" "]" "^" "_"
              "`" "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o"
              "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" "{" "|" "}" "~")
    };
    match got {
        0x20..=0x7e => MESSAGES[(got - 0x20) as usize],
        _ => "Protocol error: expected '$', got something else",
    }
}

#[inline]
pub fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Redis's `string2ll`: optional '-', digits, no leading zeros, no '+', no spaces.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 20 || (digits[0] == b'0' && (digits.len() > 1 || neg)) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Redis's `sdssplitargs`: whitespace-separated words, "double quotes" with C
/// escapes (\n \r \t \b \a \\ \" \xHH) and 'single quotes' with only \'. A
/// closing quote must be followed by whitespace or the end.
fn split_inline_args(line: &[u8], out: &mut Vec<u8>, args: &mut Vec<ArgRange>) -> Result<(), ()> {
    let mut i = 0;
    loop {
        while i < line.len() && is_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return Ok(());
        }
        let start = out.len();
        let mut in_dq = false;
        let mut in_sq = false;
        loop {
            let c = line.get(i).copied();
            if in_dq {
                match c {
                    None => return Err(()),
                    Some(b'\\') if i + 3 < line.len() && line[i + 1] == b'x' => {
                        if let (Some(h), Some(l)) = (hex(line[i + 2]), hex(line[i + 3])) {
                            out.push(h * 16 + l);
                            i += 4;
                        } else {
                            out.push(b'\\');
                            i += 1;
                        }
                        continue;
                    }
                    Some(b'\\') if i + 1 < line.len() => {
                        out.push(match line[i + 1] {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 8,
                            b'a' => 7,
                            other => other,
                        });
                        i += 2;
                        continue;
                    }
                    Some(b'"') => {
                        if i + 1 < line.len() && !is_space(line[i + 1]) {
                            return Err(());
                        }
                        i += 1;
                        break;
                    }
                    Some(c) => out.push(c),
                }
            } else if in_sq {
                match c {
                    None => return Err(()),
                    Some(b'\\') if i + 1 < line.len() && line[i + 1] == b'\'' => {
                        out.push(b'\'');
                        i += 2;
                        continue;
                    }
                    Some(b'\'') => {
                        if i + 1 < line.len() && !is_space(line[i + 1]) {
                            return Err(());
                        }
                        i += 1;
                        break;
                    }
                    Some(c) => out.push(c),
                }
            } else {
                match c {
                    None => break,
                    Some(c) if is_space(c) => break,
                    Some(b'"') => in_dq = true,
                    Some(b'\'') => in_sq = true,
                    Some(c) => out.push(c),
                }
            }
            i += 1;
        }
        args.push((start as u32, out.len() as u32));
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | 0x0b | 0x0c)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ParseLimits = ParseLimits { max_bulk_len: 512 * 1024 * 1024, unauthenticated: false };

    fn args_of(st: &ParseState, buf: &[u8]) -> Vec<Vec<u8>> {
        let src = if st.inline { &st.scratch[..] } else { buf };
        st.args.iter().map(|&(a, b)| src[a as usize..b as usize].to_vec()).collect()
    }

    #[test]
    fn multibulk_whole_and_split_at_every_byte() {
        let req = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n";
        let mut st = ParseState::default();
        assert_eq!(st.parse(req, LIMITS), Parsed::Command(req.len()));
        assert_eq!(args_of(&st, req), vec![b"SET".to_vec(), b"k".to_vec(), b"hello".to_vec()]);
        for cut in 1..req.len() {
            let mut st = ParseState::default();
            assert_eq!(st.parse(&req[..cut], LIMITS), Parsed::Incomplete, "cut {cut}");
            assert_eq!(st.parse(req, LIMITS), Parsed::Command(req.len()));
            assert_eq!(args_of(&st, req).len(), 3);
        }
    }

    #[test]
    fn inline_with_quotes_and_escapes() {
        let req = b"set \"a b\\x41\\n\" 'it\\'s'\r\n";
        let mut st = ParseState::default();
        assert_eq!(st.parse(req, LIMITS), Parsed::Command(req.len()));
        assert_eq!(args_of(&st, req), vec![b"set".to_vec(), b"a bA\n".to_vec(), b"it's".to_vec()]);
        let mut st = ParseState::default();
        assert_eq!(st.parse(b"\r\n", LIMITS), Parsed::Command(2));
        assert!(st.args.is_empty());
    }

    #[test]
    fn protocol_errors_match_redis() {
        let cases: &[(&[u8], &str)] = &[
            (b"*abc\r\n", "Protocol error: invalid multibulk length"),
            (b"*3000000000\r\n", "Protocol error: invalid multibulk length"),
            (b"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
            (b"*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
            (b"set \"a\r\n", "Protocol error: unbalanced quotes in request"),
            (b"get \"a\"b\r\n", "Protocol error: unbalanced quotes in request"),
        ];
        for (req, msg) in cases {
            let mut st = ParseState::default();
            assert_eq!(st.parse(req, LIMITS), Parsed::Error(msg), "{:?}", String::from_utf8_lossy(req));
        }
        let big = vec![b'a'; INLINE_MAX + 1];
        assert_eq!(ParseState::default().parse(&big, LIMITS), Parsed::Error("Protocol error: too big inline request"));
        let limits = ParseLimits { max_bulk_len: 10, ..LIMITS };
        assert_eq!(
            ParseState::default().parse(b"*1\r\n$11\r\n", limits),
            Parsed::Error("Protocol error: invalid bulk length")
        );
    }

    /// Headers of every shape, whole and split at every byte: the plain
    /// ones take the fast path, the rest the general one, with one outcome.
    #[test]
    fn header_shapes_parse_or_fail_the_same_way_split_anywhere() {
        let nine = format!("*1\r\n$123456789\r\n{}\r\n", "x".repeat(123_456_789));
        let ten = "*1\r\n$0000000001\r\nx\r\n";
        let cases: Vec<(&[u8], Parsed)> = vec![
            (b"*1\r\n$0\r\n\r\n", Parsed::Command(10)),
            (b"*2\r\n$1\r\na\r\n$10\r\n0123456789\r\n", Parsed::Command(28)),
            (b"*01\r\n$1\r\na\r\n", Parsed::Error("Protocol error: invalid multibulk length")),
            (b"*0\r\n", Parsed::Command(4)),
            (b"*-1\r\n", Parsed::Command(5)),
            (nine.as_bytes(), Parsed::Command(nine.len())),
            (b"*1\r\n$01\r\nx\r\n", Parsed::Error("Protocol error: invalid bulk length")),
            (ten.as_bytes(), Parsed::Error("Protocol error: invalid bulk length")),
            (b"*1\r\n$1x\r\nx\r\n", Parsed::Error("Protocol error: invalid bulk length")),
            (b"*1\r\n$\r\nx\r\n", Parsed::Error("Protocol error: invalid bulk length")),
            (b"*1\r\n:1\r\nx\r\n", Parsed::Error("Protocol error: expected '$', got ':'")),
            (b"*\r\n", Parsed::Error("Protocol error: invalid multibulk length")),
        ];
        for (req, expected) in &cases {
            let whole = ParseState::default().parse(req, LIMITS);
            assert_eq!(&whole, expected, "{:?}", String::from_utf8_lossy(&req[..req.len().min(20)]));
            // Split inside the headers (the long case's bulk is too big to walk).
            for cut in 1..req.len().min(40) {
                let mut st = ParseState::default();
                match st.parse(&req[..cut], LIMITS) {
                    Parsed::Incomplete => assert_eq!(&st.parse(req, LIMITS), expected, "cut {cut}"),
                    early => assert_eq!(&early, expected, "cut {cut}"),
                }
            }
        }
        // 9 digits over the limit take the fast path's check.
        let limits = ParseLimits { max_bulk_len: 99_999_999, ..LIMITS };
        assert_eq!(
            ParseState::default().parse(b"*1\r\n$100000000\r\n", limits),
            Parsed::Error("Protocol error: invalid bulk length")
        );
    }

    #[test]
    fn inline_request_with_a_nul_before_its_newline_never_completes() {
        let mut st = ParseState::default();
        assert_eq!(st.parse(b"\x00\xff x\r\nPING\r\n", LIMITS), Parsed::Incomplete);
        assert_eq!(st.parse(b"ECHO ab\x00cd\r\n", LIMITS), Parsed::Incomplete);
        let mut big = b"ECHO a\x00\r\n".to_vec();
        big.resize(INLINE_MAX + 1, b'x');
        assert_eq!(st.parse(&big, LIMITS), Parsed::Error("Protocol error: too big inline request"));
        // In a multibulk argument a NUL is just a byte.
        assert_eq!(st.parse(b"*1\r\n$3\r\na\x00b\r\n", LIMITS), Parsed::Command(13));
    }

    #[test]
    fn empty_multibulk_is_skipped() {
        let mut st = ParseState::default();
        assert_eq!(st.parse(b"*0\r\n", LIMITS), Parsed::Command(4));
        assert!(st.args.is_empty());
        assert_eq!(st.parse(b"*-1\r\n", LIMITS), Parsed::Command(5));
    }

    #[test]
    fn string2ll_rules() {
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"007"), None);
        assert_eq!(parse_i64(b"-0"), None);
        assert_eq!(parse_i64(b"+1"), None);
        assert_eq!(parse_i64(b" 1"), None);
        assert_eq!(parse_i64(b"0"), Some(0));
    }
}
