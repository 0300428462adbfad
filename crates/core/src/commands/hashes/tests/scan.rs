//! HSCAN.

use std::collections::HashSet;

use super::*;

fn empty_scan() -> &'static str {
    "*2\r\n$1\r\n0\r\n*0\r\n"
}

#[test]
fn a_listpack_comes_whole_with_cursor_zero() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h b 2 a 1 c 3"), int(3));
    let all = "*2\r\n$1\r\n0\r\n*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n";
    assert_eq!(run(&mut c, "HSCAN h 0"), all);
    // Whatever the cursor and COUNT.
    assert_eq!(run(&mut c, "HSCAN h 99 COUNT 1"), all);
    assert_eq!(c.cmd(&["HSCAN", "h", ""]), all);
    assert_eq!(run(&mut c, "HSCAN h -1"), all);
    assert_eq!(run(&mut c, "HSCAN h 0 count 1 count 2 match *"), all);
    assert_eq!(
        run(&mut c, "HSCAN h 0 MATCH [ab]"),
        "*2\r\n$1\r\n0\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    // The pattern is matched against fields, not values.
    assert_eq!(run(&mut c, "HSCAN h 0 MATCH 1"), empty_scan());
}

#[test]
fn option_errors() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    let syntax = "-ERR syntax error\r\n";
    for line in [
        "HSCAN h 0 COUNT 0",
        "HSCAN h 0 COUNT -1",
        "HSCAN h 0 MATCH",
        "HSCAN h 0 COUNT",
        "HSCAN h 0 TYPE string",
        "HSCAN h 0 NOVALUES",
        "HSCAN h 0 bogus 1",
    ] {
        assert_eq!(run(&mut c, line), syntax, "{line}");
    }
    assert_eq!(run(&mut c, "HSCAN h 0 COUNT x"), "-ERR value is not an integer or out of range\r\n");
    for cursor in ["x", "1x", " 1", "18446744073709551616"] {
        assert_eq!(c.cmd(&["HSCAN", "h", cursor]), "-ERR invalid cursor\r\n", "{cursor:?}");
    }
    // A missing key replies before the options are read; the cursor is read first.
    assert_eq!(run(&mut c, "HSCAN nokey 0 COUNT 0"), empty_scan());
    assert_eq!(run(&mut c, "HSCAN nokey 0 bogus"), empty_scan());
    assert_eq!(run(&mut c, "HSCAN nokey x"), "-ERR invalid cursor\r\n");
    assert_eq!(run(&mut c, "SET s v"), OK);
    assert_eq!(run(&mut c, "HSCAN s x"), "-ERR invalid cursor\r\n");
    assert_eq!(run(&mut c, "HSCAN s 0 COUNT 0"), WRONGTYPE);
}

/// Walks the whole hash; returns every (field, value) and the number of calls.
fn full_scan(c: &mut TestConn, extra: &[&str]) -> (Vec<(String, String)>, usize) {
    let mut cursor = "0".to_string();
    let mut found = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["HSCAN", "h", &cursor];
        args.extend_from_slice(extra);
        let items = bulk_strings(&c.cmd(&args));
        calls += 1;
        found.extend(items[1..].chunks(2).map(|p| (p[0].clone(), p[1].clone())));
        cursor = items[0].clone();
        if cursor == "0" {
            return (found, calls);
        }
    }
}

#[test]
fn a_hashtable_is_walked_by_cursor() {
    let mut c = TestConn::new();
    for i in 0..1000 {
        c.cmd(&["HSET", "h", &format!("f{i}"), &format!("v{i}")]);
    }
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    let (found, calls) = full_scan(&mut c, &[]);
    assert!(calls > 50, "{calls} calls for 1000 fields at COUNT 10");
    let fields: HashSet<_> = found.iter().map(|(f, _)| f.clone()).collect();
    assert_eq!(fields.len(), 1000);
    assert!(found.iter().all(|(f, v)| v[1..] == f[1..]));
    let (found, calls) = full_scan(&mut c, &["COUNT", "400"]);
    assert!(calls <= 5, "{calls}");
    assert_eq!(found.len(), 1000);
    let (found, _) = full_scan(&mut c, &["MATCH", "f1?", "COUNT", "100"]);
    let mut fields: Vec<_> = found.into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, (10..20).map(|i| format!("f{i}")).collect::<Vec<_>>());
}

#[test]
fn fields_present_throughout_survive_resizes() {
    let mut c = TestConn::new();
    for i in 0..600 {
        c.cmd(&["HSET", "h", &format!("keep{i}"), "v"]);
    }
    let mut cursor = "0".to_string();
    let mut seen = HashSet::new();
    let mut step = 0;
    loop {
        let items = bulk_strings(&c.cmd(&["HSCAN", "h", &cursor]));
        seen.extend(items[1..].chunks(2).map(|p| p[0].clone()));
        cursor = items[0].clone();
        // Grow the table while the scan runs, then shrink it.
        step += 1;
        if step < 20 {
            for i in 0..200 {
                c.cmd(&["HSET", "h", &format!("tmp{step}:{i}"), "v"]);
            }
        } else if step == 20 {
            let fields: Vec<String> = bulk_strings(&run(&mut c, "HKEYS h"));
            for f in fields.iter().filter(|f| f.starts_with("tmp")) {
                c.cmd(&["HDEL", "h", f]);
            }
        }
        if cursor == "0" {
            break;
        }
    }
    assert!((0..600).all(|i| seen.contains(&format!("keep{i}"))));
}
