//! The RESP3 forms: sets (`~`) where Redis replies with a set, arrays
//! where it replies with an array, `_` for nulls.

use super::*;

fn resp3() -> TestConn {
    let mut c = TestConn::new();
    assert!(c.cmd(&["hello", "3"]).starts_with("%"));
    c
}

#[test]
fn set_replies() {
    let mut c = resp3();
    sadd(&mut c, "a", &["3", "1", "2"]);
    sadd(&mut c, "b", &["2", "9"]);
    assert_eq!(c.cmd(&["smembers", "a"]), set3(&["1", "2", "3"]));
    assert_eq!(c.cmd(&["smembers", "nosuch"]), "~0\r\n");
    assert_eq!(c.cmd(&["sinter", "a", "b"]), set3(&["2"]));
    assert_eq!(c.cmd(&["sinter", "a", "nosuch"]), "~0\r\n");
    assert_eq!(c.cmd(&["sunion", "a", "b"]), set3(&["1", "2", "3", "9"]));
    assert_eq!(c.cmd(&["sunion", "nosuch"]), "~0\r\n");
    assert_eq!(c.cmd(&["sdiff", "a", "b"]), set3(&["1", "3"]));
    assert_eq!(c.cmd(&["sdiff", "a", "a"]), "~0\r\n");
    assert_eq!(c.cmd(&["spop", "a", "0"]), "~0\r\n");
    assert_eq!(c.cmd(&["spop", "nosuch", "2"]), "~0\r\n");
    assert!(c.cmd(&["spop", "a", "2"]).starts_with("~2\r\n"));
    assert_eq!(c.cmd(&["spop", "b", "5"]), set3(&["2", "9"]));
}

#[test]
fn array_replies_and_nulls() {
    let mut c = resp3();
    sadd(&mut c, "a", &["1", "2"]);
    assert_eq!(c.cmd(&["srandmember", "a", "5"]), bulks(&["1", "2"]));
    assert!(c.cmd(&["srandmember", "a", "-3"]).starts_with("*3\r\n"));
    assert_eq!(c.cmd(&["srandmember", "a", "0"]), "*0\r\n");
    assert_eq!(c.cmd(&["srandmember", "nosuch", "3"]), "*0\r\n");
    assert_eq!(c.cmd(&["srandmember", "nosuch"]), "_\r\n");
    assert_eq!(c.cmd(&["spop", "nosuch"]), "_\r\n");
    assert_eq!(c.cmd(&["smismember", "a", "1", "x"]), ints(&[1, 0]));
    assert_eq!(c.cmd(&["sismember", "a", "1"]), int(1));
    assert_eq!(c.cmd(&["sscan", "a", "0"]), format!("*2\r\n{}{}", bulk("0"), bulks(&["1", "2"])));
    assert_eq!(c.cmd(&["sscan", "nosuch", "0"]), format!("*2\r\n{}*0\r\n", bulk("0")));
    assert_eq!(c.cmd(&["sintercard", "1", "a"]), int(2));
    assert_eq!(c.cmd(&["sinterstore", "d", "a"]), int(2));
}
