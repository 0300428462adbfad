//! The bitmap family through the real `feed` path. `redis72.txt` is a
//! transcript taken from redis-server 7.2.4: every command there is
//! replayed here and must get the same bytes back.

use crate::testing::TestConn;

pub(crate) mod events;

/// A reply as the transcripts spell it: CR and LF as `\r` `\n`, other
/// bytes outside printable ASCII as `\xNN`.
pub(crate) fn escape(reply: &[u8]) -> String {
    let mut out = String::new();
    for &b in reply {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

/// The bytes [`escape`] spelled.
fn unescape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match bytes[i + 1] {
            b'r' => out.push(b'\r'),
            b'n' => out.push(b'\n'),
            b'\\' => out.push(b'\\'),
            b'x' => {
                out.push(u8::from_str_radix(&text[i + 2..i + 4], 16).expect("two hex digits"));
                i += 2;
            }
            other => panic!("unknown escape \\{}", other as char),
        }
        i += 2;
    }
    out
}

/// Replays `escaped words => escaped reply` lines on a fresh engine,
/// asserting each reply.
pub(crate) fn replay(transcript: &str) -> TestConn {
    let mut c = TestConn::new();
    for line in transcript.lines().filter(|l| !l.is_empty()) {
        let (command, expected) = line.split_once(" => ").expect("a transcript line");
        let words: Vec<Vec<u8>> = command.split(' ').map(unescape).collect();
        let args: Vec<&[u8]> = words.iter().map(Vec::as_slice).collect();
        let got = escape(&c.cmd_bytes(&args));
        assert_eq!(got, expected, "{}", &command[..command.len().min(200)]);
    }
    c
}

#[test]
fn replies_match_redis_7_2() {
    replay(include_str!("redis72.txt"));
}
