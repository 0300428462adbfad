//! Random command sequences replayed against a real Redis 7.2, comparing
//! every reply byte for byte and, after every command, each list's
//! encoding and node layout (DEBUG OBJECT's `ql_nodes` and
//! `ql_uncompressed_size`) with this engine's. The installed oracle of the
//! differential suite is 7.0, whose lists are always quicklists, so this
//! one needs a 7.2 server of its own:
//!
//! ```sh
//! redis-server --port 6372 --save '' --enable-debug-command yes &
//! FERROKV_ORACLE_72=127.0.0.1:6372 cargo test -p ferrokv-core lists -- --test-threads=1
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

struct Oracle {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Oracle {
    fn connect(addr: &str) -> Oracle {
        let writer = TcpStream::connect(addr).expect("oracle reachable");
        Oracle { reader: BufReader::new(writer.try_clone().unwrap()), writer }
    }

    fn call(&mut self, args: &[Vec<u8>]) -> Vec<u8> {
        let mut req = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            req.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            req.extend_from_slice(a);
            req.extend_from_slice(b"\r\n");
        }
        self.writer.write_all(&req).unwrap();
        let mut out = Vec::new();
        self.read_reply(&mut out);
        out
    }

    fn read_reply(&mut self, out: &mut Vec<u8>) {
        let mut line = Vec::new();
        self.reader.read_until(b'\n', &mut line).unwrap();
        out.extend_from_slice(&line);
        let n: i64 = std::str::from_utf8(&line[1..line.len() - 2]).unwrap_or("0").parse().unwrap_or(0);
        match line[0] {
            b'$' if n >= 0 => {
                let mut data = vec![0; n as usize + 2];
                self.reader.read_exact(&mut data).unwrap();
                out.extend_from_slice(&data);
            }
            b'*' | b'~' | b'>' | b'%' => {
                let items = if line[0] == b'%' { 2 * n } else { n };
                for _ in 0..items.max(0) {
                    self.read_reply(out);
                }
            }
            _ => {}
        }
    }
}

/// Plays a unit test's script on the Redis 7.2 at `addr` (fresh database,
/// default list limit, RESP2), asserting each expected reply.
pub(super) fn check_script(addr: &str, script: &[(&[&str], &str)]) {
    let mut oracle = Oracle::connect(addr);
    let call = |o: &mut Oracle, args: &[&str]| o.call(&args.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>());
    call(&mut oracle, &["HELLO", "2"]);
    call(&mut oracle, &["FLUSHALL"]);
    call(&mut oracle, &["CONFIG", "SET", "list-max-listpack-size", "-2"]);
    for (i, (cmd, want)) in script.iter().enumerate() {
        let got = call(&mut oracle, cmd);
        if *want != super::ANY {
            assert_eq!(String::from_utf8_lossy(&got), *want, "Redis 7.2, step {i}: {}", cmd.join(" "));
        }
    }
}
