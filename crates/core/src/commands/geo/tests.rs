//! Tests for the geo commands, through the real feed path: transcripts
//! recorded from redis-server (`oracle`), and what a transcript cannot show
//! (keyspace events, encodings of stored results, declarations) in
//! `behaviour`.

use crate::testing::TestConn;

mod behaviour;
mod oracle;

/// Runs each line and compares its raw reply where one is given.
fn check(steps: &[(&str, Option<&str>)]) {
    let mut c = TestConn::new();
    for (line, want) in steps {
        let got = run_line(&mut c, line);
        if let Some(want) = want {
            assert_eq!(&got, want, "{line}");
        }
    }
}

/// One script line: `config set name value` goes to the engine's config
/// (CONFIG is host-side); anything else is sent as a command.
fn run_line(c: &mut TestConn, line: &str) -> String {
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
