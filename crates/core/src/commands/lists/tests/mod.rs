//! The list family through the real `feed` path, asserting exact reply
//! bytes. Most tests are scripts of (command, expected reply) that
//! [`run`] plays on a fresh engine; with `FERROKV_ORACLE_72=host:port` set
//! it plays each script on that Redis 7.2 server too, checking the expected
//! replies themselves (OBJECT ENCODING included: 7.0 always says
//! quicklist, so the differential suite against 7.0 cannot check it).
//!
//! ```sh
//! redis-server --port 6372 --save '' --enable-debug-command yes &
//! FERROKV_ORACLE_72=127.0.0.1:6372 cargo test -p ferrokv-core lists -- --test-threads=1
//! ```

use std::cell::Cell;

use crate::testing::reply::{bulk, bulks, int};
use crate::testing::TestConn;

mod blocking;
mod compressed;
mod edit;
mod encoding;
mod oracle;
mod pop;
mod push;
mod read;
mod resp3;
mod table;

/// Expected reply that is not compared (HELLO's server details).
const ANY: &str = "<any>";

/// One step: a command and its exact reply.
type Step<'a> = (&'a [&'a str], &'a str);

fn ints(items: &[i64]) -> String {
    let mut out = format!("*{}\r\n", items.len());
    for &n in items {
        out.push_str(&int(n));
    }
    out
}

const OK: &str = "+OK\r\n";
const NULL: &str = "$-1\r\n";
const NULL_ARRAY: &str = "*-1\r\n";
const EMPTY: &str = "*0\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";
const NOT_INTEGER: &str = "-ERR value is not an integer or out of range\r\n";

thread_local! {
    /// Set while [`compressed::replay`] plays a test again with inner
    /// nodes compressed.
    static COMPRESSED: Cell<bool> = const { Cell::new(false) };
}

/// A fresh engine; under [`compressed::replay`], one whose lists keep one
/// node at each end uncompressed and spread over nodes of a few elements.
fn conn() -> TestConn {
    let mut c = TestConn::new();
    if COMPRESSED.get() {
        let config = &mut c.engine.server.config;
        config.set("list-compress-depth", "1").unwrap();
        config.set("list-max-listpack-size", compressed::FILL).unwrap();
    }
    c
}

/// Plays `script` on a fresh engine (CONFIG SET, a host command, is applied
/// to the engine's config directly), and on the 7.2 oracle when one is set.
/// Under [`compressed::replay`] the script's node sizes are not applied and
/// OBJECT ENCODING is not compared (small nodes make more quicklists);
/// every other reply must be the same.
fn run(script: &[Step]) -> TestConn {
    let compressed = COMPRESSED.get();
    let mut c = conn();
    for (i, (cmd, want)) in script.iter().enumerate() {
        if cmd.len() == 4 && cmd[0].eq_ignore_ascii_case("config") && cmd[1].eq_ignore_ascii_case("set") {
            if !(compressed && cmd[2].eq_ignore_ascii_case("list-max-listpack-size")) {
                c.engine.server.config.set(cmd[2], cmd[3]).unwrap();
            }
            continue;
        }
        let got = c.cmd(cmd);
        if *want != ANY && !(compressed && cmd[0].eq_ignore_ascii_case("object")) {
            assert_eq!(got, *want, "step {i}: {}", cmd.join(" "));
        }
        if compressed {
            compressed::observe(&c);
        }
    }
    if let (Ok(addr), false) = (std::env::var("FERROKV_ORACLE_72"), compressed) {
        oracle::check_script(&addr, script);
    }
    c
}

/// Runs `script` and returns the engine for further checks.
fn run_owned(script: Vec<(Vec<&str>, String)>) -> TestConn {
    let steps: Vec<(&[&str], &str)> = script.iter().map(|(c, r)| (c.as_slice(), r.as_str())).collect();
    run(&steps)
}

/// Builds a script from (command line split on spaces, expected reply).
macro_rules! script {
    ($(($cmd:expr, $reply:expr)),* $(,)?) => {
        vec![$(($cmd.split(' ').collect::<Vec<&str>>(), String::from($reply))),*]
    };
}
use script;

/// (keyspace_hits, keyspace_misses, changes since the engine started).
fn stats(c: &TestConn) -> (u64, u64, u64) {
    let s = &c.engine.server.stats;
    (s.keyspace_hits, s.keyspace_misses, s.dirty)
}
