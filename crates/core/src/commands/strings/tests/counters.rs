//! INCR DECR INCRBY DECRBY INCRBYFLOAT. Every reply here was checked
//! against redis-server (INCRBYFLOAT's digits on x86-64 Linux, where C's
//! long double is 80-bit).

use super::*;

#[test]
fn incr_and_decr() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["INCR", "k"]), ":1\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), ":2\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["DECR", "k"]), ":1\r\n");
    assert_eq!(c.cmd(&["DECR", "k"]), ":0\r\n");
    assert_eq!(c.cmd(&["DECR", "k"]), ":-1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$2\r\n-1\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["INCRBY", "k", "10"]), ":9\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "-5"]), ":4\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "3"]), ":1\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "-3"]), ":4\r\n");
    assert_eq!(c.cmd(&["INCRBY", "n", "-7"]), ":-7\r\n");
    assert_eq!(c.cmd(&["DECRBY", "m", "7"]), ":-7\r\n");
    assert_eq!(c.cmd(&["incr", "k"]), ":5\r\n");
    assert_eq!(c.cmd(&["Decrby", "k", "1"]), ":4\r\n");
    assert_eq!(stats(&c), (1, 0, 13));
}

#[test]
fn incr_on_text_values() {
    let mut c = TestConn::new();
    // Text that reads as an integer is counted; the result is an int.
    assert_eq!(c.cmd(&["SET", "k", "10"]), "+OK\r\n");
    assert_eq!(c.cmd(&["APPEND", "k", "0"]), ":3\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("raw"));
    assert_eq!(c.cmd(&["INCR", "k"]), ":101\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["SET", "k", "12345678901234567890"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "abc"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", " 1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1 "]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "+1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "01"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1.5"]), "+OK\r\n");
    assert_eq!(c.cmd(&["DECR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", ""]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-0"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$2\r\n-0\r\n");
    assert_eq!(stats(&c), (1, 0, 12));
}

#[test]
fn incr_overflow_and_bad_steps() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "9223372036854775807"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "0"]), ":9223372036854775807\r\n");
    assert_eq!(c.cmd(&["DECR", "k"]), ":9223372036854775806\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-9223372036854775808"]), "+OK\r\n");
    assert_eq!(c.cmd(&["DECR", "k"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "-1"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), ":-9223372036854775807\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "-9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "-9223372036854775808"]), "-ERR decrement would overflow\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "9223372036854775807"]), ":-9223372036854775806\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", "9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(c.cmd(&["INCRBY", "n", "-9223372036854775808"]), ":-9223372036854775808\r\n");
    assert_eq!(c.cmd(&["GET", "n"]), "$20\r\n-9223372036854775808\r\n");
    // A bad step is reported before the key is looked at.
    assert_eq!(c.cmd(&["INCRBY", "k", "abc"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "1.5"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", "99999999999999999999"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k", ""]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["DECRBY", "k", " 1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["DECRBY", "z", "-9223372036854775808"]), "-ERR decrement would overflow\r\n");
    assert_eq!(dbsize(&c), 2);
    assert_eq!(c.cmd(&["INCR"]), "-ERR wrong number of arguments for 'incr' command\r\n");
    assert_eq!(c.cmd(&["INCRBY", "k"]), "-ERR wrong number of arguments for 'incrby' command\r\n");
    assert_eq!(c.cmd(&["DECR", "k", "1"]), "-ERR wrong number of arguments for 'decr' command\r\n");
    assert_eq!(stats(&c), (1, 0, 8));
}

#[test]
fn incr_keeps_the_deadline() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "1", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), ":2\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1.5"]), "$3\r\n3.5\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["DECRBY", "k", "0"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$3\r\n3.5\r\n");
    assert_eq!(c.cmd(&["SET", "t", "1", "PX", "100"]), "+OK\r\n");
    c.advance(150);
    assert_eq!(c.cmd(&["INCR", "t"]), ":1\r\n");
    assert_eq!(ttl(&mut c, "t"), -1);
}

#[test]
fn incrbyfloat_digits() {
    let mut c = TestConn::new();
    // long double arithmetic printed with %.17Lf: no f64 artefacts.
    assert_eq!(c.cmd(&["SET", "k", "0.1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0.2"]), "$3\r\n0.3\r\n");
    assert_eq!(c.cmd(&["SET", "k", "0.1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "10.5"]), "$4\r\n10.6\r\n");
    assert_eq!(c.cmd(&["SET", "k", "10.5"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0.1"]), "$4\r\n10.6\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1.1"]), "$3\r\n1.1\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1.1"]), "$3\r\n2.2\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1.1"]), "$3\r\n3.3\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1.1"]), "$3\r\n4.4\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "-4.4"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "-0.000000000000000001"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0.5"]), "$4\r\n-0.5\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "-0.5"]), "$2\r\n-1\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1.23456789012345678901"]), "$19\r\n0.23456789012345679\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "1e-5"]), "$7\r\n0.00001\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "5.0e3"]), "$22\r\n5000.00001000000000007\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "-5000.00001"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "h", "-3e-18"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "h", "1e20"]), "$21\r\n100000000000000000000\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "h", "1e50"]), "$51\r\n100000000000000000003583830118858923890798487404544\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "x", "0x10"]), "$2\r\n16\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "x", ".5"]), "$4\r\n16.5\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "x", "5."]), "$4\r\n21.5\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "x", "0x1p-2"]), "$5\r\n21.75\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "x", "+1"]), "$5\r\n22.75\r\n");
    assert_eq!(c.cmd(&["SET", "i", "10"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "i", "0.5"]), "$4\r\n10.5\r\n");
    assert_eq!(c.cmd(&["SET", "i", "10"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "i", "5"]), "$2\r\n15\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1e-4950"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1e300"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1e300"]), "$301\r\n2000000000000000000017994648159118387741047888546581495876520164642531293192361871511698304167500994380700745017228549671807185112369345967826192521041497292574654271283687306588168510215212033579453305864740061102765895241989080589545563779241212358535223254194821301134374772211380178849830208012288\r\n");
    assert_eq!(stats(&c), (0, 0, 35));
}

#[test]
fn incrbyfloat_encodings() {
    let mut c = TestConn::new();
    // The result is stored as text, so "3" is an embstr, not an int.
    assert_eq!(c.cmd(&["SET", "k", "1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "2"]), "$1\r\n3\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0.25"]), "$4\r\n3.25\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1e50"]), "$51\r\n100000000000000000003583830118858923890798487404544\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("raw"));
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":51\r\n");
    assert_eq!(c.cmd(&["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
}

#[test]
fn incrbyfloat_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "abc"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", " 1"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1 "]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "nan"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", ""]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1e999999"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1e-999999"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1,5"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "inf"]), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "-Infinity"]), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(c.cmd(&["SET", "k", "abc"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["SET", "k", "inf"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1"]), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "-inf"]), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(c.cmd(&["SET", "k", "1e5000"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1"]), "-ERR value is not a valid float\r\n");
    // Past long double's range is infinity.
    assert_eq!(c.cmd(&["SET", "k", "1e4932"]), "+OK\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "1e4932"]), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "-1e4932"]), "$1\r\n0\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "-2e4932"]), "-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "k"]), "-ERR wrong number of arguments for 'incrbyfloat' command\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT"]), "-ERR wrong number of arguments for 'incrbyfloat' command\r\n");
    assert_eq!(stats(&c), (0, 0, 5));
}
