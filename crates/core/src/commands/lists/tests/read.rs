//! LLEN LRANGE LINDEX LPOS.

use super::*;

#[test]
pub(super) fn llen() {
    let c = run_owned(script![
        ("LLEN k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("LLEN k", int(3)),
        ("SET s v", OK),
        ("LLEN s", WRONGTYPE),
        ("LLEN k k", "-ERR wrong number of arguments for 'llen' command\r\n"),
    ]);
    // LLEN reads count hits and misses (the WRONGTYPE lookup is a hit).
    assert_eq!(stats(&c), (2, 1, 4));
}

#[test]
pub(super) fn lrange() {
    run_owned(script![
        ("LRANGE k 0 -1", EMPTY),
        ("RPUSH k a b c d e", int(5)),
        ("LRANGE k 0 -1", bulks(&["a", "b", "c", "d", "e"])),
        ("LRANGE k 1 3", bulks(&["b", "c", "d"])),
        ("LRANGE k -2 -1", bulks(&["d", "e"])),
        ("LRANGE k -100 1", bulks(&["a", "b"])),
        ("LRANGE k 3 100", bulks(&["d", "e"])),
        ("LRANGE k 4 4", bulks(&["e"])),
        ("LRANGE k 5 10", EMPTY),
        ("LRANGE k 3 1", EMPTY),
        ("LRANGE k -1 -2", EMPTY),
        ("LRANGE k -100 -6", EMPTY),
        ("LRANGE k 0 -6", EMPTY),
        ("LRANGE k -9223372036854775808 9223372036854775807", bulks(&["a", "b", "c", "d", "e"])),
        ("LRANGE k a 1", NOT_INTEGER),
        ("LRANGE k 0 b", NOT_INTEGER),
        // The indexes are read before the key.
        ("LRANGE nokey a 1", NOT_INTEGER),
        ("SET s v", OK),
        ("LRANGE s a 1", NOT_INTEGER),
        ("LRANGE s 0 1", WRONGTYPE),
        ("LRANGE k 0", "-ERR wrong number of arguments for 'lrange' command\r\n"),
    ]);
}

#[test]
pub(super) fn lindex() {
    run_owned(script![
        ("LINDEX k 0", NULL),
        // A missing key is null before the index is read.
        ("LINDEX k abc", NULL),
        ("RPUSH k a b c", int(3)),
        ("LINDEX k 0", bulk("a")),
        ("LINDEX k 2", bulk("c")),
        ("LINDEX k -1", bulk("c")),
        ("LINDEX k -3", bulk("a")),
        ("LINDEX k 3", NULL),
        ("LINDEX k -4", NULL),
        ("LINDEX k 9223372036854775807", NULL),
        ("LINDEX k -9223372036854775808", NULL),
        ("LINDEX k abc", NOT_INTEGER),
        ("LINDEX k 1.0", NOT_INTEGER),
        ("SET s v", OK),
        ("LINDEX s 0", WRONGTYPE),
        ("LINDEX s abc", WRONGTYPE),
    ]);
}

#[test]
pub(super) fn lpos() {
    run_owned(script![
        ("LPOS k a", NULL),
        ("LPOS k a COUNT 0", EMPTY),
        ("LPOS k a RANK 2 MAXLEN 1", NULL),
        ("RPUSH k a b c 1 2 3 c c", int(8)),
        ("LPOS k c", int(2)),
        ("LPOS k nope", NULL),
        ("LPOS k c RANK 1", int(2)),
        ("LPOS k c RANK 2", int(6)),
        ("LPOS k c RANK 4", NULL),
        ("LPOS k c RANK -1", int(7)),
        ("LPOS k c RANK -3", int(2)),
        ("LPOS k c RANK -4", NULL),
        ("LPOS k c COUNT 2", ints(&[2, 6])),
        ("LPOS k c COUNT 0", ints(&[2, 6, 7])),
        ("LPOS k c COUNT 10", ints(&[2, 6, 7])),
        ("LPOS k c RANK 2 COUNT 0", ints(&[6, 7])),
        ("LPOS k c RANK -1 COUNT 2", ints(&[7, 6])),
        ("LPOS k c RANK -2 COUNT 0", ints(&[6, 2])),
        ("LPOS k nope COUNT 0", EMPTY),
        ("LPOS k c COUNT 0 MAXLEN 3", ints(&[2])),
        ("LPOS k c MAXLEN 2", NULL),
        ("LPOS k c MAXLEN 3", int(2)),
        ("LPOS k c RANK -1 MAXLEN 1", int(7)),
        ("LPOS k c RANK -3 MAXLEN 2", NULL),
        ("LPOS k c RANK -1 COUNT 0 MAXLEN 2", ints(&[7, 6])),
        ("LPOS k c MAXLEN 0", int(2)),
        ("LPOS k 1", int(3)),
        ("lpos k c rank 2 count 1 maxlen 8", ints(&[6])),
        // Options may repeat; the last one wins.
        ("LPOS k c RANK 5 RANK 1 COUNT 1 COUNT 0", ints(&[2, 6, 7])),
        ("LPOS k c RANK -9223372036854775807", NULL),
        ("LPOS k c RANK 9223372036854775807 COUNT 0", EMPTY),
    ]);
}

#[test]
fn lpos_errors() {
    let rank_zero = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n";
    run_owned(script![
        ("RPUSH k a", int(1)),
        ("LPOS k a RANK 0", rank_zero),
        ("LPOS nokey a RANK 0", rank_zero),
        ("LPOS k a RANK abc", NOT_INTEGER),
        ("LPOS k a RANK 1.5", NOT_INTEGER),
        ("LPOS k a COUNT -1", "-ERR COUNT can't be negative\r\n"),
        ("LPOS k a COUNT abc", "-ERR COUNT can't be negative\r\n"),
        ("LPOS k a MAXLEN -1", "-ERR MAXLEN can't be negative\r\n"),
        ("LPOS k a MAXLEN abc", "-ERR MAXLEN can't be negative\r\n"),
        ("LPOS k a RANK", SYNTAX),
        ("LPOS k a COUNT", SYNTAX),
        ("LPOS k a MAXLEN", SYNTAX),
        ("LPOS k a FOO 1", SYNTAX),
        ("LPOS k a COUNT 1 FOO", SYNTAX),
        // Options are read in order: the first bad one decides.
        ("LPOS k a COUNT -1 RANK 0", "-ERR COUNT can't be negative\r\n"),
        ("LPOS k a RANK 0 COUNT -1", rank_zero),
        ("SET s v", OK),
        ("LPOS s a", WRONGTYPE),
        ("LPOS s a RANK 0", rank_zero),
        ("LPOS k", "-ERR wrong number of arguments for 'lpos' command\r\n"),
    ]);
}

#[test]
fn lpos_rank_range_is_checked_as_in_7_2() {
    // 7.2 refuses a rank whose negation overflows (7.0 took it and found nothing).
    run_owned(script![
        ("RPUSH k a", int(1)),
        (
            "LPOS k a RANK -9223372036854775808",
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
        ),
    ]);
}

#[test]
pub(super) fn long_lists_read_from_the_nearer_end() {
    // 10,000 elements over many nodes: every index, both iterators.
    let mut c = conn();
    let elems: Vec<String> = (0..10_000).map(|i| format!("element-{i}")).collect();
    for chunk in elems.chunks(1000) {
        let mut cmd = vec!["RPUSH", "k"];
        cmd.extend(chunk.iter().map(String::as_str));
        c.cmd(&cmd);
    }
    compressed::observe(&c);
    for i in (0..10_000).step_by(97) {
        assert_eq!(c.cmd(&["LINDEX", "k", &i.to_string()]), bulk(&elems[i]));
        assert_eq!(c.cmd(&["LINDEX", "k", &(i as i64 - 10_000).to_string()]), bulk(&elems[i]));
        assert_eq!(c.cmd(&["LPOS", "k", &elems[i]]), int(i as i64));
        assert_eq!(c.cmd(&["LPOS", "k", &elems[i], "RANK", "-1"]), int(i as i64));
    }
    let want: Vec<&str> = elems[4321..4400].iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&["LRANGE", "k", "4321", "4399"]), bulks(&want));
    let all: Vec<&str> = elems.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&["LRANGE", "k", "0", "-1"]), bulks(&all));
}
