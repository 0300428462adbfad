//! `list-compress-depth`: the same replies with inner nodes compressed, and
//! less memory. The scripts of the other list tests are played again with
//! a depth of 1 over small nodes ([`replay`]); random command sequences run
//! on a compressing and a plain engine side by side must answer alike.

use super::*;
use crate::types::Value;
use crate::util::rng::Rng;

/// `list-max-listpack-size` for replays: entries per node.
pub(super) const FILL: &str = "8";

thread_local! {
    /// The most nodes seen compressed at once during a replay.
    static SEEN: Cell<usize> = const { Cell::new(0) };
}

/// Compressed nodes of every list in database 0, each list checked whole.
fn compressed_nodes(c: &TestConn) -> usize {
    let mut total = 0;
    for (_, v) in c.engine.server.dbs[0].keys().iter() {
        if let Value::List(l) = v {
            l.check();
            total += l.compressed_nodes();
        }
    }
    total
}

/// Records how many nodes `c` has compressed, during a replay ([`run`]
/// calls this after every step).
pub(super) fn observe(c: &TestConn) {
    if COMPRESSED.get() {
        SEEN.set(SEEN.get().max(compressed_nodes(c)));
    }
}

/// Plays `test` again with compression on; returns the most nodes it had
/// compressed at once.
fn replay(test: fn()) -> usize {
    COMPRESSED.set(true);
    SEEN.set(0);
    let result = std::panic::catch_unwind(test);
    COMPRESSED.set(false);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    SEEN.get()
}

#[test]
fn list_tests_give_the_same_replies_with_inner_nodes_compressed() {
    let tests: [(&str, fn()); 16] = [
        ("lrem", edit::lrem),
        ("ltrim", edit::ltrim),
        ("pop_one", pop::pop_one),
        ("pop_with_count", pop::pop_with_count),
        ("lmpop", pop::lmpop),
        ("lmove_every_direction", pop::lmove_every_direction),
        ("rpoplpush", pop::rpoplpush),
        ("push_to_both_ends", push::push_to_both_ends),
        ("pushx_only_on_existing_lists", push::pushx_only_on_existing_lists),
        ("linsert", push::linsert),
        ("lset", push::lset),
        ("llen", read::llen),
        ("lrange", read::lrange),
        ("lindex", read::lindex),
        ("lpos", read::lpos),
        ("long_lists_read_from_the_nearer_end", read::long_lists_read_from_the_nearer_end),
    ];
    for (name, test) in tests {
        let seen = replay(test);
        // The scripts' few short elements fill no node worth compressing;
        // the long list's 10,000 fill 1250 nodes of 8.
        if name.starts_with("long_lists") {
            assert_eq!(seen, 1250 - 2, "{name}");
        }
    }
}

/// A random list command over keys `a` and `b`, with elements that
/// compress (shared prefixes, runs) and some that do not.
fn random_command(rng: &mut Rng) -> Vec<String> {
    let mut r = |n: u64| rng.next_u64() % n;
    let key = if r(4) == 0 { "b" } else { "a" };
    let elem = match r(5) {
        0 => "x".repeat(r(200) as usize),
        1 => format!("{:x}", r(u64::MAX)),
        2 => r(1000).to_string(),
        _ => format!("element:{}", r(50)),
    };
    let index = (r(400) as i64 - 200).to_string();
    let end = if r(2) == 0 { "LEFT" } else { "RIGHT" };
    let words: Vec<String> = match r(16) {
        0..=2 => {
            let mut c = vec![if r(2) == 0 { "LPUSH" } else { "RPUSH" }.to_string(), key.to_string()];
            for i in 0..1 + r(40) {
                c.push(format!("element:{}", (i * 7 + r(9)) % 60));
            }
            c
        }
        3 => vec!["LPOP".into(), key.into(), (1 + r(20)).to_string()],
        4 => vec!["RPOP".into(), key.into()],
        5 => vec!["LINDEX".into(), key.into(), index],
        6 => vec!["LRANGE".into(), key.into(), index, (r(400) as i64 - 100).to_string()],
        7 => vec!["LSET".into(), key.into(), index, elem],
        8 => {
            let pivot = format!("element:{}", r(60));
            vec!["LINSERT".into(), key.into(), if r(2) == 0 { "BEFORE" } else { "AFTER" }.into(), pivot, elem]
        }
        9 => vec!["LREM".into(), key.into(), (r(7) as i64 - 3).to_string(), format!("element:{}", r(60))],
        10 => vec!["LTRIM".into(), key.into(), r(5).to_string(), (-1 - r(5) as i64).to_string()],
        11 => vec![
            "LPOS".into(),
            key.into(),
            format!("element:{}", r(60)),
            "RANK".into(),
            "-2".into(),
            "COUNT".into(),
            "0".into(),
        ],
        12 => vec!["LMOVE".into(), key.into(), if key == "a" { "b" } else { "a" }.into(), end.into(), "LEFT".into()],
        13 => vec!["LMPOP".into(), "2".into(), key.into(), "a".into(), end.into(), "COUNT".into(), r(30).to_string()],
        14 => vec!["LLEN".into(), key.into()],
        _ => vec!["LRANGE".into(), key.into(), "0".into(), "-1".into()],
    };
    words
}

#[test]
fn random_commands_answer_alike_compressed_or_not() {
    for (seed, fill) in [(1, "8"), (2, "-1"), (3, "3"), (4, "16"), (5, "64")] {
        let mut rng = Rng::new(seed);
        let mut plain = TestConn::new();
        let mut packed = TestConn::new();
        plain.engine.server.config.set("list-max-listpack-size", fill).unwrap();
        packed.engine.server.config.set("list-max-listpack-size", fill).unwrap();
        packed.engine.server.config.set("list-compress-depth", ["1", "2"][seed as usize % 2]).unwrap();
        let mut seen = 0;
        for step in 0..3000 {
            let cmd = random_command(&mut rng);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            assert_eq!(packed.cmd(&args), plain.cmd(&args), "seed {seed} step {step}: {}", cmd.join(" "));
            seen = seen.max(compressed_nodes(&packed));
        }
        assert_eq!(compressed_nodes(&plain), 0);
        assert!(seen > 3, "fill {fill}: at most {seen} nodes compressed");
    }
}

#[test]
fn config_set_applies_to_lists_converted_afterwards() {
    // Like Redis's quicklist, a list keeps the depth it had when it became
    // a quicklist: `old` stays uncompressed, `new` compresses.
    let mut c = TestConn::new();
    let push = |c: &mut TestConn, key: &str, from: usize| {
        let elems: Vec<String> = (from..from + 5000).map(|i| format!("element:{i}")).collect();
        let mut cmd = vec!["RPUSH", key];
        cmd.extend(elems.iter().map(String::as_str));
        c.cmd(&cmd);
    };
    push(&mut c, "old", 0);
    assert_eq!(compressed_nodes(&c), 0);
    c.engine.server.config.set("list-compress-depth", "1").unwrap();
    push(&mut c, "old", 5000);
    assert_eq!(compressed_nodes(&c), 0);
    push(&mut c, "new", 0);
    push(&mut c, "new", 5000);
    let usage = |c: &mut TestConn, key: &str| {
        let reply = c.cmd(&["MEMORY", "USAGE", key]);
        reply.trim_start_matches(':').trim_end().parse::<usize>().unwrap()
    };
    let (old, new) = (usage(&mut c, "old"), usage(&mut c, "new"));
    assert!(new < old / 2, "{new} bytes compressed, {old} not");
    assert!(compressed_nodes(&c) > 10);
    assert_eq!(c.cmd(&["LRANGE", "old", "0", "-1"]), c.cmd(&["LRANGE", "new", "0", "-1"]));
    // Back to a listpack and a quicklist again: the old list takes depth 1.
    c.cmd(&["LTRIM", "old", "0", "9"]);
    let before = compressed_nodes(&c);
    push(&mut c, "old", 10);
    assert!(compressed_nodes(&c) > before);
}
