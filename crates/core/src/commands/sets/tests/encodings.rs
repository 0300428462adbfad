//! Redis 7.2's set encodings and the moves between them (OBJECT ENCODING).

use super::*;

fn num(i: usize) -> String {
    i.to_string()
}

#[test]
fn intset_holds_up_to_set_max_intset_entries_integers() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "s", 512, num);
    assert_eq!(encoding(&mut c, "s"), "intset");
    sadd(&mut c, "s", &["512"]);
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    // Never back, however small it gets.
    let all: Vec<String> = (0..512).map(num).collect();
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    c.cmd(&[&["srem", "s"][..], &refs].concat());
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["512"]));
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    // The limit is read when members are added.
    config(&mut c, "set-max-intset-entries", "3");
    sadd(&mut c, "t", &["1", "2", "3"]);
    assert_eq!(encoding(&mut c, "t"), "intset");
    sadd(&mut c, "t", &["4"]);
    assert_eq!(encoding(&mut c, "t"), "hashtable");
}

#[test]
fn only_canonical_integers_go_into_an_intset() {
    let mut c = TestConn::new();
    for (member, enc) in [
        ("0", "intset"),
        ("-1", "intset"),
        ("9223372036854775807", "intset"),
        ("-9223372036854775808", "intset"),
        ("9223372036854775808", "listpack"),
        ("-9223372036854775809", "listpack"),
        ("01", "listpack"),
        ("+1", "listpack"),
        ("-0", "listpack"),
        (" 1", "listpack"),
        ("1 ", "listpack"),
        ("1.0", "listpack"),
        ("0x10", "listpack"),
        ("", "listpack"),
    ] {
        c.cmd(&["del", "k"]);
        sadd(&mut c, "k", &[member]);
        assert_eq!(encoding(&mut c, "k"), enc, "{member:?}");
    }
}

#[test]
fn intset_widths_grow_and_stay() {
    let mut c = TestConn::new();
    let width = |c: &mut TestConn| {
        let now = c.now();
        match c.engine.server.dbs[0].get(b"s", now) {
            Some(crate::types::Value::Set(s)) => s.intset_width(),
            _ => None,
        }
    };
    sadd(&mut c, "s", &["1", "-32768", "32767"]);
    assert_eq!(width(&mut c), Some(2));
    sadd(&mut c, "s", &["32768"]);
    assert_eq!(width(&mut c), Some(4));
    sadd(&mut c, "s", &["-2147483649"]);
    assert_eq!(width(&mut c), Some(8));
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["-2147483649", "-32768", "1", "32767", "32768"]));
    c.cmd(&["srem", "s", "-2147483649", "32768"]);
    assert_eq!(width(&mut c), Some(8));
    assert_eq!(c.cmd(&["sismember", "s", "32767"]), int(1));
}

#[test]
fn listpack_holds_up_to_set_max_listpack_entries_short_members() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "s", 128, |i| format!("m{i}"));
    assert_eq!(encoding(&mut c, "s"), "listpack");
    sadd(&mut c, "s", &["m0"]);
    assert_eq!(encoding(&mut c, "s"), "listpack");
    sadd(&mut c, "s", &["x"]);
    assert_eq!(encoding(&mut c, "s"), "hashtable");
    assert_eq!(c.cmd(&["scard", "s"]), int(129));

    let (v64, v65) = ("a".repeat(64), "b".repeat(65));
    sadd(&mut c, "v", &[&v64]);
    assert_eq!(encoding(&mut c, "v"), "listpack");
    sadd(&mut c, "v", &[&v65]);
    assert_eq!(encoding(&mut c, "v"), "hashtable");
    assert_eq!(members(&mut c, "v"), strs(&[&v64, &v65]));
    // A new key whose first member is too long starts as a listpack and
    // converts on that very member.
    sadd(&mut c, "w", &[&v65]);
    assert_eq!(encoding(&mut c, "w"), "hashtable");
    // Listpacks stay listpacks when they shrink.
    sadd(&mut c, "x", &["a", "b"]);
    c.cmd(&["srem", "x", "a"]);
    assert_eq!(encoding(&mut c, "x"), "listpack");
}

#[test]
fn intset_meets_a_string() {
    let mut c = TestConn::new();
    // Room in a listpack: the integers move there, ascending, then the string.
    sadd_n(&mut c, "a", 127, num);
    sadd(&mut c, "a", &["x"]);
    assert_eq!(encoding(&mut c, "a"), "listpack");
    let reply = c.cmd(&["smembers", "a"]);
    let items = bulk_items(&reply);
    assert_eq!((items[0].as_str(), items[126].as_str(), items[127].as_str()), ("0", "126", "x"));
    // 128 integers plus one: no room.
    sadd_n(&mut c, "b", 128, num);
    sadd(&mut c, "b", &["x"]);
    assert_eq!(encoding(&mut c, "b"), "hashtable");
    // An integer wider (in digits, with its sign) than set-max-listpack-value.
    config(&mut c, "set-max-listpack-value", "3");
    for (ints, enc) in [
        (["1000", "1"], "hashtable"),
        (["-10", "1"], "listpack"),
        (["-100", "1"], "hashtable"),
        (["-1", "999"], "listpack"),
    ] {
        c.cmd(&["del", "d"]);
        sadd(&mut c, "d", &ints);
        sadd(&mut c, "d", &["x"]);
        assert_eq!(encoding(&mut c, "d"), enc, "{ints:?}");
    }
    // A string longer than that goes straight to a hashtable.
    c.cmd(&["del", "d"]);
    sadd(&mut c, "d", &["1", "long"]);
    assert_eq!(encoding(&mut c, "d"), "hashtable");
}

#[test]
fn many_arguments_convert_up_front() {
    let mut c = TestConn::new();
    // A new key: an intset only if the argument count fits one.
    let ints: Vec<String> = (0..513).map(num).collect();
    let refs: Vec<&str> = ints.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&[&["sadd", "a"][..], &refs].concat()), int(513));
    assert_eq!(encoding(&mut c, "a"), "hashtable");
    assert_eq!(c.cmd(&[&["sadd", "b"][..], &refs[..129]].concat()), int(129));
    assert_eq!(encoding(&mut c, "b"), "intset");
    let strs_: Vec<String> = (0..129).map(|i| format!("s{i}")).collect();
    let srefs: Vec<&str> = strs_.iter().map(String::as_str).collect();
    c.cmd(&[&["sadd", "c"][..], &srefs].concat());
    assert_eq!(encoding(&mut c, "c"), "hashtable");
    c.cmd(&[&["sadd", "d"][..], &srefs[..128]].concat());
    assert_eq!(encoding(&mut c, "d"), "listpack");
    // A first member that is a string decides for all: 129 → hashtable.
    c.cmd(&[&["sadd", "e", "x"][..], &refs[..128]].concat());
    assert_eq!(encoding(&mut c, "e"), "hashtable");
    // An existing set given more arguments than its encoding holds converts
    // before adding, even when they are all members already (7.2).
    sadd(&mut c, "f", &["1"]);
    let ones = vec!["1"; 513];
    assert_eq!(c.cmd(&[&["sadd", "f"][..], &ones].concat()), int(0));
    assert_eq!(encoding(&mut c, "f"), "hashtable");
    sadd(&mut c, "g", &["a"]);
    let a129 = vec!["a"; 129];
    assert_eq!(c.cmd(&[&["sadd", "g"][..], &a129].concat()), int(0));
    assert_eq!(encoding(&mut c, "g"), "hashtable");
    let a128 = vec!["a"; 128];
    sadd(&mut c, "h", &["a"]);
    c.cmd(&[&["sadd", "h"][..], &a128].concat());
    assert_eq!(encoding(&mut c, "h"), "listpack");
}

#[test]
fn zero_limits() {
    let mut c = TestConn::new();
    config(&mut c, "set-max-intset-entries", "0");
    sadd(&mut c, "a", &["1"]);
    assert_eq!(encoding(&mut c, "a"), "listpack");
    // A union starts as an (empty) intset whatever the limit says, and
    // leaves it on its first member.
    config(&mut c, "set-max-intset-entries", "512");
    sadd(&mut c, "i", &["1", "2"]);
    config(&mut c, "set-max-intset-entries", "0");
    c.cmd(&["sunionstore", "u", "i"]);
    assert_eq!(encoding(&mut c, "u"), "hashtable");
    config(&mut c, "set-max-intset-entries", "512");
    config(&mut c, "set-max-listpack-entries", "0");
    sadd(&mut c, "z", &["a"]);
    assert_eq!(encoding(&mut c, "z"), "hashtable");
    sadd(&mut c, "y", &["1"]);
    sadd(&mut c, "y", &["a"]);
    assert_eq!(encoding(&mut c, "y"), "hashtable");
}

#[test]
fn smove_creates_the_destination_for_its_member() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a", "1"]);
    c.cmd(&["smove", "s", "i", "1"]);
    c.cmd(&["smove", "s", "l", "a"]);
    assert_eq!(encoding(&mut c, "i"), "intset");
    assert_eq!(encoding(&mut c, "l"), "listpack");
    config(&mut c, "set-max-intset-entries", "0");
    sadd(&mut c, "s", &["2"]);
    c.cmd(&["smove", "s", "j", "2"]);
    assert_eq!(encoding(&mut c, "j"), "listpack");
}

#[test]
fn spop_with_a_large_count_rebuilds_the_set() {
    let mut c = TestConn::new();
    // Most of a hashtable popped: the few left start a fresh listpack.
    sadd_n(&mut c, "h", 200, |i| format!("m{i}"));
    c.cmd(&["spop", "h", "190"]);
    assert_eq!((encoding(&mut c, "h"), c.cmd(&["scard", "h"])), ("listpack".into(), int(10)));
    // Even integers, as 7.2 does it (no intset here).
    sadd_n(&mut c, "hi", 600, num);
    c.cmd(&["spop", "hi", "595"]);
    assert_eq!(encoding(&mut c, "hi"), "listpack");
    // Too many left for a listpack: a hashtable again.
    sadd_n(&mut c, "big", 1000, |i| format!("m{i}"));
    c.cmd(&["spop", "big", "830"]);
    assert_eq!((encoding(&mut c, "big"), c.cmd(&["scard", "big"])), ("hashtable".into(), int(170)));
    // A few popped: the set stays as it is.
    sadd_n(&mut c, "few", 200, |i| format!("m{i}"));
    c.cmd(&["spop", "few", "10"]);
    assert_eq!(encoding(&mut c, "few"), "hashtable");
    // An intset stays an intset, and may narrow.
    sadd_n(&mut c, "i", 500, |i| (i * 1000).to_string());
    c.cmd(&["spop", "i", "495"]);
    assert_eq!((encoding(&mut c, "i"), c.cmd(&["scard", "i"])), ("intset".into(), int(5)));
    sadd_n(&mut c, "l", 100, |i| format!("m{i}"));
    c.cmd(&["spop", "l", "95"]);
    assert_eq!((encoding(&mut c, "l"), c.cmd(&["scard", "l"])), ("listpack".into(), int(5)));
}

#[test]
fn store_results_take_redis_encodings() {
    let mut c = TestConn::new();
    sadd(&mut c, "a", &["b", "a", "3", "1", "c"]);
    sadd(&mut c, "b", &["c", "z", "1", "a", "q", "r"]);
    sadd(&mut c, "i", &["5", "3", "1"]);
    sadd(&mut c, "ints", &["3", "1", "q"]);
    // The intersection of listpacks is a listpack, in the smallest's order...
    assert_eq!(c.cmd(&["sinterstore", "x", "a", "b"]), int(3));
    assert_eq!((encoding(&mut c, "x"), c.cmd(&["smembers", "x"])), ("listpack".into(), bulks(&["a", "1", "c"])));
    // ...or an intset when only integers are left.
    assert_eq!(c.cmd(&["sinterstore", "x", "a", "ints"]), int(2));
    assert_eq!((encoding(&mut c, "x"), c.cmd(&["smembers", "x"])), ("intset".into(), bulks(&["1", "3"])));
    // A union starts as an intset: integers first (ascending), then strings.
    assert_eq!(c.cmd(&["sunionstore", "x", "i", "a"]), int(6));
    assert_eq!(
        (encoding(&mut c, "x"), c.cmd(&["smembers", "x"])),
        ("listpack".into(), bulks(&["1", "3", "5", "b", "a", "c"]))
    );
    assert_eq!(c.cmd(&["sunionstore", "x", "a", "i"]), int(6));
    assert_eq!(c.cmd(&["smembers", "x"]), bulks(&["b", "a", "3", "1", "c", "5"]));
    assert_eq!(c.cmd(&["sunionstore", "x", "i", "i"]), int(3));
    assert_eq!(encoding(&mut c, "x"), "intset");
    assert_eq!(c.cmd(&["sdiffstore", "x", "a", "b"]), int(2));
    assert_eq!((encoding(&mut c, "x"), c.cmd(&["smembers", "x"])), ("listpack".into(), bulks(&["b", "3"])));
    assert_eq!(c.cmd(&["sdiffstore", "x", "a", "i", "b"]), int(1));
    assert_eq!((encoding(&mut c, "x"), c.cmd(&["smembers", "x"])), ("listpack".into(), bulks(&["b"])));
    assert_eq!(c.cmd(&["sdiffstore", "x", "i", "a"]), int(1));
    assert_eq!((encoding(&mut c, "x"), c.cmd(&["smembers", "x"])), ("intset".into(), bulks(&["5"])));

    // From a hashtable: a listpack, or an intset of the integers in common.
    sadd_n(&mut c, "h", 200, |i| if i < 150 { num(i) } else { format!("m{i}") });
    sadd_n(&mut c, "h2", 150, num);
    assert_eq!(encoding(&mut c, "h"), "hashtable");
    assert_eq!(c.cmd(&["sinterstore", "x", "h", "h2"]), int(150));
    assert_eq!(encoding(&mut c, "x"), "intset");
    sadd(&mut c, "h2", &["m160"]);
    assert_eq!(c.cmd(&["sinterstore", "x", "h", "h2"]), int(151));
    assert_eq!(encoding(&mut c, "x"), "hashtable");
    sadd_n(&mut c, "h3", 200, |i| format!("m{i}"));
    sadd(&mut c, "few", &["m1", "m2", "9"]);
    assert_eq!(c.cmd(&["sinterstore", "x", "h3", "few"]), int(2));
    assert_eq!(encoding(&mut c, "x"), "listpack");
    assert_eq!(c.cmd(&["sinterstore", "x", "h3", "h3"]), int(200));
    assert_eq!(encoding(&mut c, "x"), "hashtable");
}

#[test]
fn sdiffstore_encoding_follows_the_algorithm_redis_picks() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "big", 200, |i| format!("m{i}"));
    sadd_n(&mut c, "f1", 90, |i| format!("m{i}"));
    sadd(&mut c, "f2", &["m100"]);
    // 3 sets: 3*200/2 = 300 > 200+90+1 — copy everything, then remove: the
    // copy became a hashtable on the way and stays one.
    assert_eq!(c.cmd(&["sdiffstore", "x", "big", "f1", "f2"]), int(109));
    assert_eq!(encoding(&mut c, "x"), "hashtable");
    // 2 sets: 2*200/2 = 200 <= 200+100 — only the survivors are added.
    sadd_n(&mut c, "f3", 100, |i| format!("m{i}"));
    assert_eq!(c.cmd(&["sdiffstore", "x", "big", "f3"]), int(100));
    assert_eq!(encoding(&mut c, "x"), "listpack");
}
