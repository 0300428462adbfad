//! Random command sequences replayed against a real Redis 7.2, comparing
//! every reply byte for byte and, after every command, each list's
//! encoding and node layout (DEBUG OBJECT's `ql_nodes` and
//! `ql_uncompressed_size`) with this engine's. The installed oracle of the
//! differential suite is 7.0, whose lists are always quicklists, so this
//! one needs a 7.2 server of its own:
//!
//! ```sh
//! redis-server --port 6372 --save '' --enable-debug-command yes &
//! FERROKV_ORACLE_72=127.0.0.1:6372 cargo test -p ferrokv-core lists -- --include-ignored --test-threads=1
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use crate::testing::TestConn;
use crate::types::Value;
use crate::util::rng::Rng;

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

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[(rng.next_u64() % items.len() as u64) as usize]
}

fn below(rng: &mut Rng, n: u64) -> i64 {
    (rng.next_u64() % n) as i64
}

fn element(rng: &mut Rng) -> Vec<u8> {
    match below(rng, 10) {
        0 => below(rng, 200).to_string().into_bytes(),
        1 => (-below(rng, 100_000)).to_string().into_bytes(),
        2 => vec![b'L'; 64 + below(rng, 3000) as usize],
        3 => vec![b'x'; below(rng, 60) as usize],
        _ => format!("e{}", below(rng, 12)).into_bytes(),
    }
}

fn random_command(rng: &mut Rng, small: bool) -> Vec<Vec<u8>> {
    let keys = ["a", "b", "c", "a", "b", "s"];
    let key = |rng: &mut Rng| pick(rng, &keys).as_bytes().to_vec();
    let end = |rng: &mut Rng| pick(rng, &["LEFT", "RIGHT"]).as_bytes().to_vec();
    let int = |rng: &mut Rng, span: i64| (below(rng, 2 * span as u64 + 1) - span).to_string().into_bytes();
    let cmd: Vec<Vec<u8>> = match below(rng, 22) {
        0..=5 => {
            let name = pick(rng, &["LPUSH", "RPUSH", "RPUSH", "LPUSH", "LPUSHX", "RPUSHX"]);
            let mut c = vec![name.as_bytes().to_vec(), key(rng)];
            for _ in 0..1 + below(rng, if small { 2 } else { 6 }) {
                c.push(element(rng));
            }
            c
        }
        6 | 7 => {
            let mut c = vec![pick(rng, &["LPOP", "RPOP"]).as_bytes().to_vec(), key(rng)];
            if below(rng, 2) == 0 {
                c.push(below(rng, 8).to_string().into_bytes());
            }
            c
        }
        8 | 9 => {
            let e = element(rng);
            vec![b"LINSERT".to_vec(), key(rng), pick(rng, &["BEFORE", "AFTER"]).as_bytes().to_vec(), e, element(rng)]
        }
        10 => vec![b"LSET".to_vec(), key(rng), int(rng, 30), element(rng)],
        11 => vec![b"LREM".to_vec(), key(rng), int(rng, 3), element(rng)],
        12 => vec![b"LTRIM".to_vec(), key(rng), int(rng, 40), int(rng, 40)],
        13 | 14 => vec![b"LMOVE".to_vec(), key(rng), key(rng), end(rng), end(rng)],
        15 => vec![b"RPOPLPUSH".to_vec(), key(rng), key(rng)],
        16 => {
            let mut c = vec![b"LMPOP".to_vec(), b"2".to_vec(), key(rng), key(rng), end(rng)];
            if below(rng, 2) == 0 {
                c.extend([b"COUNT".to_vec(), (1 + below(rng, 10)).to_string().into_bytes()]);
            }
            c
        }
        17 => vec![b"LRANGE".to_vec(), key(rng), int(rng, 30), int(rng, 30)],
        18 => vec![b"LINDEX".to_vec(), key(rng), int(rng, 30)],
        19 => {
            let mut c = vec![b"LPOS".to_vec(), key(rng), element(rng)];
            if below(rng, 2) == 0 {
                let r = below(rng, 5) + 1;
                c.extend([b"RANK".to_vec(), (if below(rng, 2) == 0 { r } else { -r }).to_string().into_bytes()]);
            }
            if below(rng, 2) == 0 {
                c.extend([b"COUNT".to_vec(), below(rng, 4).to_string().into_bytes()]);
            }
            if below(rng, 2) == 0 {
                c.extend([b"MAXLEN".to_vec(), below(rng, 20).to_string().into_bytes()]);
            }
            c
        }
        20 => vec![b"LLEN".to_vec(), key(rng)],
        _ => {
            let fill = pick(rng, &["-1", "-2", "-2", "-3", "-5", "1", "2", "3", "4", "5", "8", "16", "128", "0"]);
            vec![b"CONFIG".to_vec(), b"SET".to_vec(), b"list-max-listpack-size".to_vec(), fill.as_bytes().to_vec()]
        }
    };
    cmd
}

fn show(args: &[Vec<u8>]) -> String {
    args.iter()
        .map(|a| if a.len() > 20 { format!("<{} bytes>", a.len()) } else { String::from_utf8_lossy(a).into_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// (encoding, nodes, listpack bytes) as Redis shows them; nodes and bytes
/// only for a quicklist.
fn redis_layout(oracle: &mut Oracle, key: &str) -> Option<(String, usize, usize)> {
    let enc = oracle.call(&[b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.as_bytes().to_vec()]);
    let enc = String::from_utf8_lossy(&enc).lines().nth(1)?.to_string();
    if enc != "quicklist" {
        return Some((enc, 0, 0));
    }
    let dbg = oracle.call(&[b"DEBUG".to_vec(), b"OBJECT".to_vec(), key.as_bytes().to_vec()]);
    let dbg = String::from_utf8_lossy(&dbg).into_owned();
    let field = |name: &str| -> usize {
        let at = dbg.find(&format!("{name}:")).unwrap() + name.len() + 1;
        dbg[at..].split([' ', '\r']).next().unwrap().parse().unwrap()
    };
    Some((enc, field("ql_nodes"), field("ql_uncompressed_size")))
}

fn our_layout(c: &mut TestConn, key: &str) -> Option<(String, usize, usize)> {
    let now = c.now();
    match c.engine.server.dbs[0].get(key.as_bytes(), now)? {
        Value::List(l) if l.encoding() == "quicklist" => {
            let (nodes, bytes) = l.node_stats();
            Some(("quicklist".into(), nodes, bytes))
        }
        v => Some((v.encoding().into(), 0, 0)),
    }
}

#[test]
#[ignore = "needs a Redis 7.2 server: FERROKV_ORACLE_72=host:port"]
fn random_sequences_match_redis_72() {
    let Ok(addr) = std::env::var("FERROKV_ORACLE_72") else {
        return;
    };
    let runs: u64 = std::env::var("FERROKV_ORACLE_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    let mut oracle = Oracle::connect(&addr);
    // What the runs covered: replies and layouts seen (shown with --nocapture).
    let mut seen = std::collections::BTreeMap::new();
    for seed in 1..=runs {
        let mut rng = Rng::new(seed);
        let mut c = TestConn::new();
        oracle.call(&[b"FLUSHALL".to_vec()]);
        oracle.call(&[b"CONFIG".to_vec(), b"SET".to_vec(), b"list-max-listpack-size".to_vec(), b"-2".to_vec()]);
        oracle.call(&[b"SET".to_vec(), b"s".to_vec(), b"str".to_vec()]);
        c.cmd(&["SET", "s", "str"]);
        let mut history = Vec::new();
        for _ in 0..600 {
            let cmd = random_command(&mut rng, seed % 2 == 0);
            history.push(show(&cmd));
            let theirs = oracle.call(&cmd);
            if cmd[0] == b"CONFIG" {
                let value = String::from_utf8_lossy(&cmd[3]).into_owned();
                c.engine.server.config.set("list-max-listpack-size", &value).unwrap();
                continue;
            }
            let refs: Vec<&[u8]> = cmd.iter().map(|a| a.as_slice()).collect();
            let ours = c.cmd_bytes(&refs);
            let tail = history[history.len().saturating_sub(12)..].join("\n  ");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "seed {seed}, reply to {}\n  {tail}",
                show(&cmd)
            );
            let kind = if ours.starts_with(b"-") { String::from_utf8_lossy(&ours).into_owned() } else { "ok".into() };
            *seen.entry(kind).or_insert(0u64) += 1;
            for key in ["a", "b", "c"] {
                let ours = our_layout(&mut c, key);
                if let Some((enc, nodes, _)) = &ours {
                    *seen.entry(format!("{enc} {}", (*nodes).min(4))).or_insert(0u64) += 1;
                }
                assert_eq!(ours, redis_layout(&mut oracle, key), "seed {seed}, key {key}\n  {tail}");
            }
        }
    }
    println!("{seen:#?}");
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
