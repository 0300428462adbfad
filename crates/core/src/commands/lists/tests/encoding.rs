//! OBJECT ENCODING as Redis 7.2 reports it: `listpack` for a list within
//! `list-max-listpack-size`, `quicklist` past it, `listpack` again once it
//! is one node within half the limit. (7.0 says `quicklist` for every
//! list, which is why the differential suite leaves encodings out.)

use super::*;

const LISTPACK: &str = "$8\r\nlistpack\r\n";
const QUICKLIST: &str = "$9\r\nquicklist\r\n";

#[test]
fn small_lists_are_listpacks() {
    run_owned(script![
        ("RPUSH k a b c", int(3)),
        ("OBJECT ENCODING k", LISTPACK),
        ("LPUSH n 1 2 3", int(3)),
        ("OBJECT ENCODING n", LISTPACK),
    ]);
}

#[test]
fn a_count_limit() {
    run_owned(script![
        ("CONFIG SET list-max-listpack-size 4", OK),
        ("RPUSH k a b c d", int(4)),
        ("OBJECT ENCODING k", LISTPACK),
        ("RPUSH k e", int(5)),
        ("OBJECT ENCODING k", QUICKLIST),
        // Nodes of 4 and 1: one node of 4 after a pop, still over 4 / 2.
        ("RPOP k", bulk("e")),
        ("OBJECT ENCODING k", QUICKLIST),
        ("RPOP k", bulk("d")),
        ("OBJECT ENCODING k", QUICKLIST),
        ("RPOP k", bulk("c")),
        ("OBJECT ENCODING k", LISTPACK),
        // Several elements at once are counted together.
        ("RPUSH k 1 2 3", int(5)),
        ("OBJECT ENCODING k", QUICKLIST),
    ]);
}

#[test]
fn a_size_limit() {
    // -1 is 4096 bytes. 39 elements of 100 bytes weigh 4024 bytes; the
    // 40th is checked as 4024 + 100 > 4096.
    let elem = "x".repeat(100);
    let mut script = Vec::new();
    script.push((vec!["CONFIG", "SET", "list-max-listpack-size", "-1"], OK.to_string()));
    for i in 1..=39 {
        script.push((vec!["RPUSH", "k", &elem], int(i)));
    }
    script.push((vec!["OBJECT", "ENCODING", "k"], LISTPACK.to_string()));
    script.push((vec!["RPUSH", "k", &elem], int(40)));
    script.push((vec!["OBJECT", "ENCODING", "k"], QUICKLIST.to_string()));
    // Back once 19 are left in one node (1964 bytes <= 2048).
    script.push((vec!["LTRIM", "k", "0", "19"], OK.to_string()));
    script.push((vec!["OBJECT", "ENCODING", "k"], QUICKLIST.to_string()));
    script.push((vec!["RPOP", "k"], bulk(&elem)));
    script.push((vec!["OBJECT", "ENCODING", "k"], LISTPACK.to_string()));
    run_owned(script);
}

#[test]
fn the_default_limit_is_8kb() {
    let big = "x".repeat(8200);
    let small = "y".repeat(4000);
    run_owned(vec![
        // One element over 8 KB starts a quicklist of one node…
        (vec!["RPUSH", "big", &big], int(1)),
        (vec!["OBJECT", "ENCODING", "big"], QUICKLIST.to_string()),
        // …which stays one: over half the limit.
        (vec!["RPUSH", "big", "a"], int(2)),
        (vec!["LPOP", "big"], bulk(&big)),
        (vec!["OBJECT", "ENCODING", "big"], LISTPACK.to_string()),
        (vec!["RPUSH", "k", &small, &small], int(2)),
        (vec!["OBJECT", "ENCODING", "k"], LISTPACK.to_string()),
        (vec!["RPUSH", "k", &small], int(3)),
        (vec!["OBJECT", "ENCODING", "k"], QUICKLIST.to_string()),
    ]);
}

#[test]
fn conversions_on_every_path() {
    run_owned(script![
        ("CONFIG SET list-max-listpack-size 3", OK),
        // LINSERT converts before looking for the pivot: a missed insert converts too.
        ("RPUSH k a b c", int(3)),
        ("LINSERT k BEFORE nope x", int(-1)),
        ("OBJECT ENCODING k", QUICKLIST),
        ("DEL k", int(1)),
        // LSET converts as if it added an element, then tries to shrink:
        // one node of 3 is over 3 / 2, so it stays a quicklist.
        ("RPUSH k a b c", int(3)),
        ("LSET k 0 z", OK),
        ("OBJECT ENCODING k", QUICKLIST),
        ("LSET k 5 z", "-ERR index out of range\r\n"),
        ("DEL k", int(1)),
        ("RPUSH k a b c", int(3)),
        ("LSET k 9 z", "-ERR index out of range\r\n"),
        ("OBJECT ENCODING k", QUICKLIST),
        // LREM and LTRIM shrink it back.
        ("RPUSH k a b", int(5)),
        ("LREM k 0 a", int(2)),
        ("OBJECT ENCODING k", QUICKLIST),
        ("LREM k 1 b", int(1)),
        ("OBJECT ENCODING k", QUICKLIST),
        ("LTRIM k 0 0", OK),
        ("OBJECT ENCODING k", LISTPACK),
        // LMOVE: the destination converts, the source shrinks (nodes of
        // 3 and 1: it takes one node of 1 element).
        ("DEL k", int(1)),
        ("RPUSH src a b c d", int(4)),
        ("RPUSH dst x y z", int(3)),
        ("LMOVE src dst LEFT RIGHT", bulk("a")),
        ("OBJECT ENCODING dst", QUICKLIST),
        ("OBJECT ENCODING src", QUICKLIST),
        ("LMOVE src dst LEFT RIGHT", bulk("b")),
        ("OBJECT ENCODING src", QUICKLIST),
        ("LMOVE src dst LEFT RIGHT", bulk("c")),
        ("OBJECT ENCODING src", LISTPACK),
        // Pops with a count, LMPOP and RPOPLPUSH shrink too.
        ("RPUSH p 1 2 3 4 5 6", int(6)),
        ("OBJECT ENCODING p", QUICKLIST),
        ("LPOP p 4", bulks(&["1", "2", "3", "4"])),
        ("OBJECT ENCODING p", QUICKLIST),
        ("LMPOP 1 p RIGHT", "*2\r\n$1\r\np\r\n*1\r\n$1\r\n6\r\n"),
        ("OBJECT ENCODING p", LISTPACK),
    ]);
}

#[test]
fn limit_changes_apply_to_later_conversions() {
    run_owned(script![
        ("RPUSH k a b c d e f", int(6)),
        ("OBJECT ENCODING k", LISTPACK),
        // Lowering the limit converts nothing until the list grows…
        ("CONFIG SET list-max-listpack-size 2", OK),
        ("OBJECT ENCODING k", LISTPACK),
        ("RPUSH k g", int(7)),
        ("OBJECT ENCODING k", QUICKLIST),
        // …and raising it converts nothing until the list shrinks.
        ("CONFIG SET list-max-listpack-size 100", OK),
        ("OBJECT ENCODING k", QUICKLIST),
        ("RPOP k", bulk("g")),
        ("OBJECT ENCODING k", LISTPACK),
        // 0 means one element a node, and no way back.
        ("CONFIG SET list-max-listpack-size 0", OK),
        ("RPUSH z a", int(1)),
        ("OBJECT ENCODING z", LISTPACK),
        ("RPUSH z b", int(2)),
        ("OBJECT ENCODING z", QUICKLIST),
        ("RPOP z", bulk("b")),
        ("OBJECT ENCODING z", QUICKLIST),
        // Below -5 counts as -5 (64 KB).
        ("CONFIG SET list-max-listpack-size -100", OK),
        ("RPUSH big a", int(1)),
        ("OBJECT ENCODING big", LISTPACK),
    ]);
}

#[test]
fn long_lists_stay_compact() {
    // Short strings over 8 KB nodes: about what a Redis listpack takes per
    // element (its bytes plus 2), with little spare capacity.
    let mut c = TestConn::new();
    let n = 100_000;
    let elems: Vec<String> = (0..n).map(|i| format!("value:{i:06}")).collect();
    for chunk in elems.chunks(5000) {
        let mut cmd = vec!["RPUSH", "k"];
        cmd.extend(chunk.iter().map(String::as_str));
        c.cmd(&cmd);
    }
    let now = c.now();
    let value = c.engine.server.dbs[0].get(b"k", now).unwrap();
    let per_element = value.heap_size() as f64 / n as f64;
    // 12 bytes of data + 2 of lengths = 14; nodes are sealed near full.
    assert!(per_element < 15.5, "{per_element} bytes per element");
}
