use super::*;

const NO_SUCH_KEY: &str = "-ERR no such key\r\n";
const SAME: &str = "-ERR source and destination objects are the same\r\n";
const DB_RANGE: &str = "-ERR DB index is out of range\r\n";
const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
const NOT_INT32: &str = "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n";

#[test]
fn rename_moves_value_and_deadline() {
    let mut c = TestConn::new();
    set(&mut c, "a", "1");
    assert_eq!(c.cmd(&["expire", "a", "100"]), int(1));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["rename", "a", "b"]), OK);
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    assert_eq!(c.cmd(&["exists", "a"]), int(0));
    assert_eq!(c.cmd(&["get", "b"]), bulk("1"));
    assert_eq!(c.cmd(&["ttl", "b"]), int(100));
    // Overwriting takes the source's deadline, or none.
    set(&mut c, "c", "2");
    assert_eq!(c.cmd(&["expire", "c", "5"]), int(1));
    assert_eq!(c.cmd(&["rename", "b", "c"]), OK);
    assert_eq!(c.cmd(&["ttl", "c"]), int(100));
    set(&mut c, "d", "3");
    assert_eq!(c.cmd(&["rename", "d", "c"]), OK);
    assert_eq!(c.cmd(&["ttl", "c"]), int(-1));
    assert_eq!(c.cmd(&["get", "c"]), bulk("3"));
    assert_eq!(c.cmd(&["dbsize"]), int(1));
}

#[test]
fn rename_errors_and_same_name() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["rename", "a", "b"]), NO_SUCH_KEY);
    assert_eq!(c.cmd(&["renamenx", "a", "b"]), NO_SUCH_KEY);
    // Renaming a missing key to itself is still an error.
    assert_eq!(c.cmd(&["rename", "a", "a"]), NO_SUCH_KEY);
    assert_eq!(c.cmd(&["renamenx", "a", "a"]), NO_SUCH_KEY);
    set(&mut c, "a", "1");
    assert_eq!(c.cmd(&["expire", "a", "9"]), int(1));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["rename", "a", "a"]), OK);
    assert_eq!(c.cmd(&["renamenx", "a", "a"]), int(0));
    assert_eq!(c.engine.server.stats.dirty, dirty);
    assert_eq!(c.cmd(&["ttl", "a"]), int(9));
    // An expired source is missing.
    assert_eq!(c.cmd(&["pexpire", "a", "1"]), int(1));
    c.advance(1);
    assert_eq!(c.cmd(&["rename", "a", "b"]), NO_SUCH_KEY);
}

#[test]
fn renamenx_refuses_an_existing_destination() {
    let mut c = TestConn::new();
    set(&mut c, "a", "1");
    set(&mut c, "b", "2");
    assert_eq!(c.cmd(&["renamenx", "a", "b"]), int(0));
    assert_eq!(c.cmd(&["get", "b"]), bulk("2"));
    assert_eq!(c.cmd(&["renamenx", "a", "c"]), int(1));
    assert_eq!(c.cmd(&["get", "c"]), bulk("1"));
    // An expired destination does not count as existing.
    assert_eq!(c.cmd(&["pexpire", "b", "1"]), int(1));
    c.advance(1);
    assert_eq!(c.cmd(&["renamenx", "c", "b"]), int(1));
    assert_eq!(c.cmd(&["get", "b"]), bulk("1"));
}

#[test]
fn copy_within_a_database() {
    let mut c = TestConn::new();
    set(&mut c, "c", "1");
    assert_eq!(c.cmd(&["expire", "c", "100"]), int(1));
    assert_eq!(c.cmd(&["copy", "c", "c"]), SAME);
    assert_eq!(c.cmd(&["copy", "nokey", "d"]), int(0));
    // Same name is checked before existence.
    assert_eq!(c.cmd(&["copy", "nokey", "nokey"]), SAME);
    assert_eq!(c.cmd(&["copy", "c", "d"]), int(1));
    assert_eq!(c.cmd(&["get", "d"]), bulk("1"));
    assert_eq!(c.cmd(&["ttl", "d"]), int(100));
    set(&mut c, "e", "2");
    assert_eq!(c.cmd(&["copy", "e", "d"]), int(0));
    assert_eq!(c.cmd(&["get", "d"]), bulk("1"));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["copy", "e", "d", "REPLACE"]), int(1));
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    assert_eq!(c.cmd(&["get", "d"]), bulk("2"));
    assert_eq!(c.cmd(&["ttl", "d"]), int(-1));
    // The copy is independent of its source.
    set(&mut c, "e", "3");
    assert_eq!(c.cmd(&["get", "d"]), bulk("2"));
}

#[test]
fn copy_to_another_database() {
    let mut c = TestConn::new();
    set(&mut c, "c", "1");
    assert_eq!(c.cmd(&["copy", "c", "c", "db", "1"]), int(1));
    assert_eq!(c.cmd(&["copy", "c", "c", "db", "0"]), SAME);
    assert_eq!(c.cmd(&["copy", "c", "c", "db", "1"]), int(0));
    assert_eq!(c.cmd(&["copy", "c", "c", "db", "1", "replace"]), int(1));
    // Repeated options: the last DB wins.
    assert_eq!(c.cmd(&["copy", "c", "x", "replace", "replace", "db", "2", "DB", "3"]), int(1));
    assert_eq!(c.cmd(&["select", "3"]), OK);
    assert_eq!(c.cmd(&["keys", "*"]), bulks(&["x"]));
    assert_eq!(c.cmd(&["select", "1"]), OK);
    assert_eq!(c.cmd(&["get", "c"]), bulk("1"));
    assert_eq!(c.cmd(&["dbsize"]), int(1));
}

#[test]
fn copy_option_errors() {
    let mut c = TestConn::new();
    set(&mut c, "c", "1");
    assert_eq!(c.cmd(&["copy", "c", "d", "db", "16"]), DB_RANGE);
    assert_eq!(c.cmd(&["copy", "c", "d", "db", "-1"]), DB_RANGE);
    assert_eq!(c.cmd(&["copy", "c", "d", "db", "x"]), NOT_INT);
    assert_eq!(c.cmd(&["copy", "c", "d", "db", "4294967296"]), NOT_INT32);
    assert_eq!(c.cmd(&["copy", "c", "d", "foo"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["copy", "c", "d", "db"]), "-ERR syntax error\r\n");
    // Options are read left to right; the first bad one answers.
    assert_eq!(c.cmd(&["copy", "c", "d", "db", "20", "bad"]), DB_RANGE);
    assert_eq!(c.cmd(&["copy", "c", "d", "bad", "db", "20"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["copy", "c"]), "-ERR wrong number of arguments for 'copy' command\r\n");
    assert_eq!(c.cmd(&["exists", "d"]), int(0));
}

#[test]
fn move_between_databases() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "100"]), int(1));
    assert_eq!(c.cmd(&["move", "nokey", "1"]), int(0));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["move", "k", "1"]), int(1));
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    assert_eq!(c.cmd(&["exists", "k"]), int(0));
    assert_eq!(c.cmd(&["select", "1"]), OK);
    assert_eq!(c.cmd(&["get", "k"]), bulk("v"));
    assert_eq!(c.cmd(&["ttl", "k"]), int(100));
    // Refused when the target has the key; both stay.
    assert_eq!(c.cmd(&["select", "0"]), OK);
    set(&mut c, "k", "w");
    assert_eq!(c.cmd(&["move", "k", "1"]), int(0));
    assert_eq!(c.cmd(&["get", "k"]), bulk("w"));
}

#[test]
fn move_errors() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["move", "k", "0"]), SAME);
    // The DB is checked before the key.
    assert_eq!(c.cmd(&["move", "nokey", "0"]), SAME);
    assert_eq!(c.cmd(&["move", "k", "16"]), DB_RANGE);
    assert_eq!(c.cmd(&["move", "k", "-1"]), DB_RANGE);
    assert_eq!(c.cmd(&["move", "k", "x"]), NOT_INT);
    assert_eq!(c.cmd(&["move", "k", "2147483648"]), NOT_INT32);
    assert_eq!(c.cmd(&["move", "k"]), "-ERR wrong number of arguments for 'move' command\r\n");
}
