//! LPOP RPOP (with and without count), LMPOP, LMOVE, RPOPLPUSH.

use super::*;

#[test]
pub(super) fn pop_one() {
    let c = run_owned(script![
        ("LPOP k", NULL),
        ("RPOP k", NULL),
        ("RPUSH k a b c", int(3)),
        ("LPOP k", bulk("a")),
        ("RPOP k", bulk("c")),
        ("RPOP k", bulk("b")),
        // The last element takes the key with it.
        ("EXISTS k", int(0)),
        ("LPOP k", NULL),
        ("SET s v", OK),
        ("LPOP s", WRONGTYPE),
        ("RPOP s", WRONGTYPE),
    ]);
    // Pops look keys up for writing: no hits or misses (EXISTS counts its miss).
    assert_eq!(stats(&c), (0, 1, 7));
}

#[test]
pub(super) fn pop_with_count() {
    run_owned(script![
        // A missing key is a null array with a count, whatever the count.
        ("LPOP k 1", NULL_ARRAY),
        ("RPOP k 0", NULL_ARRAY),
        ("RPUSH k a b c d e", int(5)),
        ("LPOP k 0", EMPTY),
        ("RPOP k 0", EMPTY),
        ("LPOP k 2", bulks(&["a", "b"])),
        ("RPOP k 2", bulks(&["e", "d"])),
        ("LPOP k 1", bulks(&["c"])),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("RPOP k 10", bulks(&["c", "b", "a"])),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("LPOP k 9223372036854775807", bulks(&["a", "b", "c"])),
        ("RPUSH k a", int(1)),
        ("LPOP k -1", "-ERR value is out of range, must be positive\r\n"),
        ("RPOP k -1", "-ERR value is out of range, must be positive\r\n"),
        ("LPOP k abc", "-ERR value is out of range, must be positive\r\n"),
        ("LPOP k 1.5", "-ERR value is out of range, must be positive\r\n"),
        ("LPOP k 99999999999999999999", "-ERR value is out of range, must be positive\r\n"),
        // The count is read before the key is looked up.
        ("LPOP nokey -1", "-ERR value is out of range, must be positive\r\n"),
        ("SET s v", OK),
        ("LPOP s -1", "-ERR value is out of range, must be positive\r\n"),
        ("LPOP s 0", WRONGTYPE),
        ("RPOP s 2", WRONGTYPE),
        ("LPOP k 1 2", "-ERR wrong number of arguments for 'lpop' command\r\n"),
        ("RPOP k 1 2", "-ERR wrong number of arguments for 'rpop' command\r\n"),
        ("LPOP", "-ERR wrong number of arguments for 'lpop' command\r\n"),
        ("LRANGE k 0 -1", bulks(&["a"])),
    ]);
}

#[test]
pub(super) fn lmpop() {
    run_owned(script![
        ("LMPOP 2 a b LEFT", NULL_ARRAY),
        ("RPUSH b 1 2 3", int(3)),
        ("LMPOP 2 a b LEFT", "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n1\r\n"),
        ("LMPOP 2 a b RIGHT COUNT 5", "*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n"),
        ("EXISTS b", int(0)),
        ("RPUSH a x y z", int(3)),
        ("RPUSH b q", int(1)),
        // The first key with elements wins; the others are left alone.
        ("LMPOP 2 a b left count 2", "*2\r\n$1\r\na\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"),
        ("LMPOP 3 nokey b a RIGHT", "*2\r\n$1\r\nb\r\n*1\r\n$1\r\nq\r\n"),
        ("LMPOP 1 a RIGHT COUNT 1", "*2\r\n$1\r\na\r\n*1\r\n$1\r\nz\r\n"),
        ("LMPOP 1 a RIGHT", NULL_ARRAY),
        // The same key twice is fine.
        ("RPUSH a 1", int(1)),
        ("LMPOP 2 a a LEFT", "*2\r\n$1\r\na\r\n*1\r\n$1\r\n1\r\n"),
    ]);
}

#[test]
fn lmpop_errors() {
    run_owned(script![
        ("RPUSH a x", int(1)),
        ("SET s v", OK),
        ("LMPOP 0 a LEFT", "-ERR numkeys should be greater than 0\r\n"),
        ("LMPOP -1 a LEFT", "-ERR numkeys should be greater than 0\r\n"),
        ("LMPOP abc a LEFT", "-ERR numkeys should be greater than 0\r\n"),
        ("LMPOP 1.5 a LEFT", "-ERR numkeys should be greater than 0\r\n"),
        ("LMPOP 1 a LEFT COUNT 0", "-ERR count should be greater than 0\r\n"),
        ("LMPOP 1 a LEFT COUNT -1", "-ERR count should be greater than 0\r\n"),
        ("LMPOP 1 a LEFT COUNT abc", "-ERR count should be greater than 0\r\n"),
        ("LMPOP 1 a LEFT COUNT", SYNTAX),
        ("LMPOP 1 a LEFT COUNT 1 COUNT 1", SYNTAX),
        ("LMPOP 1 a LEFT FOO", SYNTAX),
        ("LMPOP 1 a MIDDLE", SYNTAX),
        // numkeys runs past the arguments.
        ("LMPOP 2 a LEFT", SYNTAX),
        ("LMPOP 5 a b LEFT", SYNTAX),
        // With numkeys 2 the end word is taken as a key.
        ("LMPOP 1 a b LEFT", SYNTAX),
        ("LMPOP 1 a", "-ERR wrong number of arguments for 'lmpop' command\r\n"),
        // A key of another type is an error once reached…
        ("LMPOP 2 s a LEFT", WRONGTYPE),
        ("LMPOP 2 nokey s LEFT", WRONGTYPE),
        // …and not when a list before it has elements.
        ("LMPOP 2 a s LEFT", "*2\r\n$1\r\na\r\n*1\r\n$1\r\nx\r\n"),
    ]);
}

#[test]
pub(super) fn lmove_every_direction() {
    run_owned(script![
        ("RPUSH src a b c d", int(4)),
        ("LMOVE src dst LEFT RIGHT", bulk("a")),
        ("LMOVE src dst RIGHT LEFT", bulk("d")),
        ("LMOVE src dst LEFT LEFT", bulk("b")),
        ("LMOVE src dst right right", bulk("c")),
        ("EXISTS src", int(0)),
        ("LRANGE dst 0 -1", bulks(&["b", "d", "a", "c"])),
        ("LMOVE src dst LEFT RIGHT", NULL),
        ("LMOVE dst dst LEFT RIGHT", bulk("b")),
        ("LRANGE dst 0 -1", bulks(&["d", "a", "c", "b"])),
        ("LMOVE dst dst RIGHT LEFT", bulk("b")),
        ("LMOVE dst dst LEFT LEFT", bulk("b")),
        ("LMOVE dst dst RIGHT RIGHT", bulk("c")),
        ("LRANGE dst 0 -1", bulks(&["b", "d", "a", "c"])),
        ("RPUSH one x", int(1)),
        ("LMOVE one one LEFT RIGHT", bulk("x")),
        ("LRANGE one 0 -1", bulks(&["x"])),
    ]);
}

#[test]
fn lmove_errors() {
    run_owned(script![
        ("RPUSH src a", int(1)),
        ("SET s v", OK),
        ("LMOVE src dst UP LEFT", SYNTAX),
        ("LMOVE src dst LEFT DOWN", SYNTAX),
        ("LMOVE nokey dst UP LEFT", SYNTAX),
        ("LMOVE s dst LEFT LEFT", WRONGTYPE),
        ("LMOVE src s LEFT LEFT", WRONGTYPE),
        // Nothing moved on the error.
        ("LRANGE src 0 -1", bulks(&["a"])),
        // A missing source is null even when the destination is not a list.
        ("LMOVE nokey s LEFT LEFT", NULL),
        ("LMOVE src dst LEFT", "-ERR wrong number of arguments for 'lmove' command\r\n"),
    ]);
}

#[test]
pub(super) fn rpoplpush() {
    let c = run_owned(script![
        ("RPOPLPUSH src dst", NULL),
        ("RPUSH src a b c", int(3)),
        ("RPOPLPUSH src dst", bulk("c")),
        ("RPOPLPUSH src dst", bulk("b")),
        ("LRANGE dst 0 -1", bulks(&["b", "c"])),
        ("RPOPLPUSH dst dst", bulk("c")),
        ("LRANGE dst 0 -1", bulks(&["c", "b"])),
        ("RPOPLPUSH src dst", bulk("a")),
        ("EXISTS src", int(0)),
        ("LRANGE dst 0 -1", bulks(&["a", "c", "b"])),
        ("SET s v", OK),
        ("RPOPLPUSH s dst", WRONGTYPE),
        ("RPOPLPUSH dst s", WRONGTYPE),
        ("RPOPLPUSH nokey s", NULL),
        ("RPOPLPUSH src", "-ERR wrong number of arguments for 'rpoplpush' command\r\n"),
    ]);
    // 3 pushed, 4 moves, the SET; LRANGE and EXISTS count as reads.
    assert_eq!(stats(&c).2, 8);
}

#[test]
fn moves_keep_the_destination_ttl_and_signal_nothing_harmful() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["RPUSH", "src", "a", "b"]), ":2\r\n");
    assert_eq!(c.cmd(&["RPUSH", "dst", "x"]), ":1\r\n");
    assert_eq!(c.cmd(&["PEXPIRE", "dst", "10000"]), ":1\r\n");
    assert_eq!(c.cmd(&["LMOVE", "src", "dst", "LEFT", "LEFT"]), "$1\r\na\r\n");
    assert_eq!(c.cmd(&["PTTL", "dst"]), ":10000\r\n");
    // An expired destination is gone before the push: a fresh list, no TTL.
    c.advance(10_000);
    assert_eq!(c.cmd(&["LMOVE", "src", "dst", "LEFT", "LEFT"]), "$1\r\nb\r\n");
    assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
    assert_eq!(c.cmd(&["PTTL", "dst"]), ":-1\r\n");
}

#[test]
fn reusable_cores_for_the_blocking_commands() {
    use crate::client::{Client, ConnInfo};
    use crate::commands::lists::{move_element, pop_from, COMMANDS};
    use crate::engine::Ctx;
    use crate::resp::writer::Reply;
    use crate::types::list::End;

    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["RPUSH", "k", "a", "b", "c", "d"]), ":4\r\n");
    assert_eq!(c.cmd(&["SET", "s", "v"]), "+OK\r\n");
    // A context as the blocking code will build one to serve a client.
    let now = c.now();
    let mut client = Client::new(99, 99, ConnInfo::default(), now, true);
    let mut out = Reply::default();
    let ctx = &mut Ctx {
        server: &mut c.engine.server,
        client: &mut client,
        others: &mut [],
        out: &mut out,
        now,
        spec: &COMMANDS[0],
    };
    {
        assert_eq!(pop_from(ctx, b"k", End::Right, 2), Ok(Some(vec![b"d".to_vec(), b"c".to_vec()])));
        assert_eq!(pop_from(ctx, b"k", End::Left, 0), Ok(Some(vec![])));
        assert_eq!(pop_from(ctx, b"nokey", End::Left, 1), Ok(None));
        assert_eq!(pop_from(ctx, b"s", End::Left, 1), Err(crate::command::errors::WRONGTYPE));
        assert_eq!(move_element(ctx, b"k", b"k2", End::Left, End::Right), Ok(Some(b"a".to_vec())));
        assert_eq!(move_element(ctx, b"k", b"s", End::Left, End::Right), Err(crate::command::errors::WRONGTYPE));
        assert_eq!(move_element(ctx, b"nokey", b"k2", End::Left, End::Right), Ok(None));
        assert_eq!(pop_from(ctx, b"k", End::Left, 5), Ok(Some(vec![b"b".to_vec()])));
        assert_eq!(pop_from(ctx, b"k", End::Left, 5), Ok(None));
    }
    assert!(out.buf.is_empty(), "the cores write no reply");
    assert_eq!(c.cmd(&["EXISTS", "k"]), ":0\r\n");
    assert_eq!(c.cmd(&["LRANGE", "k2", "0", "-1"]), "*1\r\n$1\r\na\r\n");
    // 4 pushed, the SET, 2 + 1 + 1 popped or moved.
    assert_eq!(stats(&c).2, 9);
}
