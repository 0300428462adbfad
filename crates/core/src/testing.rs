//! Test support: a connection to a fresh engine that sends commands through
//! the real `feed` path and returns the raw reply bytes.

use crate::client::ConnInfo;
use crate::engine::{Engine, EngineOptions};

pub struct TestConn {
    pub engine: Engine,
    pub handle: u32,
}

impl Default for TestConn {
    fn default() -> Self {
        Self::new()
    }
}

impl TestConn {
    /// An engine with a frozen clock (advance it with `advance`).
    pub fn new() -> Self {
        let mut engine = Engine::new(EngineOptions { databases: 16, frozen_clock: true });
        let handle = engine.connect(ConnInfo { addr: "127.0.0.1:50000".into(), laddr: "127.0.0.1:6379".into(), fd: 8 });
        TestConn { engine, handle }
    }

    /// A second connection to the same engine.
    pub fn connect(&mut self) -> u32 {
        self.engine.connect(ConnInfo { addr: "127.0.0.1:50001".into(), laddr: "127.0.0.1:6379".into(), fd: 9 })
    }

    /// Sends raw protocol bytes; returns everything the engine replied.
    pub fn raw(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.raw_on(self.handle, bytes)
    }

    pub fn raw_on(&mut self, handle: u32, bytes: &[u8]) -> Vec<u8> {
        self.engine.feed(handle, bytes);
        let out = self.engine.output().to_vec();
        self.engine.clear_output();
        out
    }

    /// Sends one command (as a multibulk); returns the reply as a string
    /// (lossy UTF-8) for readable assertions.
    pub fn cmd(&mut self, args: &[&str]) -> String {
        let h = self.handle;
        self.cmd_on(h, args)
    }

    pub fn cmd_on(&mut self, handle: u32, args: &[&str]) -> String {
        let bytes: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        String::from_utf8_lossy(&self.cmd_bytes_on(handle, &bytes)).into_owned()
    }

    pub fn cmd_bytes(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let h = self.handle;
        self.cmd_bytes_on(h, args)
    }

    pub fn cmd_bytes_on(&mut self, handle: u32, args: &[&[u8]]) -> Vec<u8> {
        let mut req = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            req.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            req.extend_from_slice(a);
            req.extend_from_slice(b"\r\n");
        }
        self.raw_on(handle, &req)
    }

    pub fn advance(&mut self, ms: i64) {
        self.engine.server.clock.advance(ms);
    }

    pub fn now(&self) -> i64 {
        self.engine.server.clock.now_ms()
    }
}

/// Splits bytes holding whole RESP2/RESP3 replies into one slice per reply.
pub fn frames(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let end = pos + frame_len(&bytes[pos..]);
        out.push(&bytes[pos..end]);
        pos = end;
    }
    out
}

/// The length of the reply at the start of `b`.
fn frame_len(b: &[u8]) -> usize {
    let line_end = b.windows(2).position(|w| w == b"\r\n").expect("a whole reply") + 2;
    let n = || std::str::from_utf8(&b[1..line_end - 2]).unwrap().parse::<i64>().unwrap();
    match b[0] {
        b'$' | b'=' | b'!' if n() >= 0 => line_end + n() as usize + 2,
        b'*' | b'>' | b'~' | b'%' | b'|' if n() > 0 => {
            let items = if matches!(b[0], b'%' | b'|') { 2 * n() } else { n() };
            let mut len = line_end;
            for _ in 0..items {
                len += frame_len(&b[len..]);
            }
            len
        }
        _ => line_end,
    }
}

/// Runs one line of a recorded script, the way the zset and geo oracle
/// transcripts are written: words as `split_words` reads them; `config set
/// name value` is applied to the engine's config (CONFIG is host-side).
pub fn run_line(c: &mut TestConn, line: &str) -> String {
    let words = split_words(line);
    let args: Vec<&[u8]> = words.iter().map(|w| w.as_slice()).collect();
    if args.len() == 4 && args[0].eq_ignore_ascii_case(b"config") && args[1].eq_ignore_ascii_case(b"set") {
        let (name, value) = (String::from_utf8_lossy(args[2]), String::from_utf8_lossy(args[3]));
        c.engine.server.config.set(&name, &value).unwrap();
        return "+OK\r\n".into();
    }
    String::from_utf8_lossy(&c.cmd_bytes(&args)).into_owned()
}

/// Shell-like words: "double" or 'single' quotes, no escapes.
fn split_words(line: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut quote: Option<u8> = None;
    let mut any = false;
    for &b in line.as_bytes() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => cur.push(b),
            None if b == b'"' || b == b'\'' => {
                quote = Some(b);
                any = true;
            }
            None if b == b' ' => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(b),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A command as COMMAND INFO prints it: name, arity, flags, (first, last,
/// step) key positions, ACL categories; flags and `@categories` separated
/// by spaces.
pub type Declaration = (&'static str, i32, &'static str, (i32, i32, i32), &'static str);

/// Asserts that `commands` (with their subcommands) hold exactly the
/// `expected` declarations, flags and categories in any order.
pub fn assert_declarations(commands: &[crate::command::CommandSpec], expected: &[Declaration]) {
    let declared: Vec<&crate::command::CommandSpec> =
        commands.iter().chain(commands.iter().flat_map(|c| c.subcommands.iter())).collect();
    assert_eq!(declared.len(), expected.len(), "declared commands and subcommands");
    let sorted = |words: Vec<String>| {
        let mut w: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        w.sort();
        w
    };
    let words = |text: &str| text.split(' ').map(String::from).collect::<Vec<_>>();
    for &(name, arity, flags, keys, categories) in expected {
        let spec = declared.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} not declared"));
        assert_eq!(spec.arity, arity, "{name}");
        assert_eq!(sorted(spec.flag_names().map(String::from).collect()), sorted(words(flags)), "{name}");
        assert_eq!((spec.keys.first, spec.keys.last, spec.keys.step), keys, "{name}");
        let have = spec.acl_category_names().map(|c| format!("@{c}")).collect();
        assert_eq!(sorted(have), sorted(words(categories)), "{name}");
    }
}

/// Replies spelled as RESP2 text, for readable assertions on `TestConn::cmd`.
pub mod reply {
    pub fn bulk(s: &str) -> String {
        format!("${}\r\n{s}\r\n", s.len())
    }

    /// An array of bulk strings.
    pub fn bulks(items: &[&str]) -> String {
        let mut out = format!("*{}\r\n", items.len());
        for it in items {
            out.push_str(&bulk(it));
        }
        out
    }

    pub fn int(n: i64) -> String {
        format!(":{n}\r\n")
    }

    /// The bulk strings of a reply made only of arrays, maps and bulk
    /// strings, in order (KEYS, SCAN, HGETALL …).
    pub fn bulk_strings(reply: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = reply;
        while let Some(end) = rest.find("\r\n") {
            let line = &rest[..end];
            rest = &rest[end + 2..];
            if let Some(len) = line.strip_prefix('$') {
                let len: usize = len.parse().unwrap();
                out.push(rest[..len].to_string());
                rest = &rest[len + 2..];
            } else {
                assert!(line.starts_with(['*', '%']), "unexpected line {line:?} in {reply:?}");
            }
        }
        out
    }
}
