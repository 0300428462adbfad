//! HINCRBY HINCRBYFLOAT. HINCRBYFLOAT's digits are those of x86-64 Linux,
//! where C's long double is 80-bit.

use super::*;

#[test]
fn hincrby() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HINCRBY h f 5"), int(5));
    assert_eq!(run(&mut c, "HINCRBY h f -10"), int(-5));
    assert_eq!(run(&mut c, "HGET h f"), bulk("-5"));
    assert_eq!(run(&mut c, "HINCRBY h g 0"), int(0));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["f", "-5", "g", "0"]));
    assert_eq!(stats(&c).0, 3);
}

#[test]
fn hincrby_errors() {
    let mut c = TestConn::new();
    let not_int = "-ERR value is not an integer or out of range\r\n";
    assert_eq!(run(&mut c, "HINCRBY h f 1.5"), not_int);
    assert_eq!(run(&mut c, "HINCRBY h f abc"), not_int);
    assert_eq!(c.cmd(&["HINCRBY", "h", "f", ""]), not_int);
    assert_eq!(run(&mut c, "HINCRBY h f 9223372036854775808"), not_int);
    // A bad increment leaves no key behind.
    assert_eq!(run(&mut c, "EXISTS h"), int(0));
    let hash_not_int = "-ERR hash value is not an integer\r\n";
    assert_eq!(c.cmd(&["HSET", "h", "sp", " 1", "z", "007", "x", "1.0", "e", ""]), int(4));
    for field in ["sp", "z", "x", "e"] {
        assert_eq!(run(&mut c, &format!("HINCRBY h {field} 1")), hash_not_int, "{field}");
    }
    assert_eq!(run(&mut c, "HSET h n -9223372036854775808 m 9223372036854775807"), int(2));
    let overflow = "-ERR increment or decrement would overflow\r\n";
    assert_eq!(run(&mut c, "HINCRBY h n -1"), overflow);
    assert_eq!(run(&mut c, "HINCRBY h m 1"), overflow);
    assert_eq!(run(&mut c, "HINCRBY h n 1"), int(-9223372036854775807));
    assert_eq!(run(&mut c, "HINCRBY h m -9223372036854775807"), int(0));
    // The increment is checked before the type of the key.
    assert_eq!(run(&mut c, "SET s v"), OK);
    assert_eq!(run(&mut c, "HINCRBY s f x"), not_int);
    assert_eq!(run(&mut c, "HINCRBY s f 1"), WRONGTYPE);
}

#[test]
fn hincrbyfloat() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HINCRBYFLOAT h f 1.5"), bulk("1.5"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h f -3"), bulk("-1.5"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h f 1.5"), bulk("0"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h g 0x10"), bulk("16"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h g 1e3"), bulk("1016"));
    assert_eq!(run(&mut c, "HSET h p 0.1"), int(1));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h p 0.2"), bulk("0.3"));
    assert_eq!(run(&mut c, "HSET h z 007"), int(1));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h z 1"), bulk("8"));
    assert_eq!(run(&mut c, "HSET h big 9223372036854775807"), int(1));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h big 1"), bulk("9223372036854775808"));
    // Integers and floats share the field.
    assert_eq!(run(&mut c, "HINCRBY h f 2"), int(2));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h f 0.25"), bulk("2.25"));
    assert_eq!(run(&mut c, "HINCRBY h f 1"), "-ERR hash value is not an integer\r\n");
    assert_eq!(stats(&c).0, 13);
}

#[test]
fn hincrbyfloat_errors() {
    let mut c = TestConn::new();
    let not_float = "-ERR value is not a valid float\r\n";
    for step in ["abc", " 1", "1 ", "", "nan"] {
        assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "f", step]), not_float, "{step:?}");
    }
    for step in ["inf", "-inf", "+Infinity"] {
        assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "f", step]), "-ERR value is NaN or Infinity\r\n", "{step}");
    }
    assert_eq!(run(&mut c, "EXISTS h"), int(0));
    assert_eq!(c.cmd(&["HSET", "h", "sp", " 1", "w", "abc"]), int(2));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h sp 1"), "-ERR hash value is not a float\r\n");
    assert_eq!(run(&mut c, "HINCRBYFLOAT h w 1"), "-ERR hash value is not a float\r\n");
    // The long double range is far beyond a double's: 1e4000 is finite.
    let reply = run(&mut c, "HINCRBYFLOAT h x 1e4000");
    assert!(reply.starts_with("$4000\r\n99999999999999999999654638730996237849324925835069576313015083330432619433063423554818216418655092798627644520731236735402176022173675923441721258819505279999614285"), "{reply}");
    assert_eq!(run(&mut c, "HSET h y 1e4932"), int(1));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h y 1e4932"), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(run(&mut c, "HGET h y"), bulk("1e4932"));
    assert_eq!(run(&mut c, "SET s v"), OK);
    assert_eq!(run(&mut c, "HINCRBYFLOAT s f x"), not_float);
    assert_eq!(run(&mut c, "HINCRBYFLOAT s f 1"), WRONGTYPE);
}

#[test]
fn a_long_result_converts_the_hash() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1 f 1"), int(2));
    let reply = run(&mut c, "HINCRBYFLOAT h f 1e400");
    assert!(reply.starts_with("$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880"), "{reply}");
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HGET h a"), bulk("1"));
}
