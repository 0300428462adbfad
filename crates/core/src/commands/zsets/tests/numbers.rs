//! `strtod`'s fast path for plain decimals must give exactly what the full
//! parse gives, bit for bit, including the sign of zero.

use crate::commands::zsets::{parse_score, strtod};

/// The full parse, as `strtod` did it before the fast path.
fn slow(text: &str) -> f64 {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let v: f64 = digits.parse().unwrap();
    if neg {
        -v
    } else {
        v
    }
}

#[test]
fn plain_decimals_parse_to_the_same_bits_as_the_full_parse() {
    let mut cases: Vec<String> = [
        "0",
        "-0",
        "+0",
        "0.0",
        "-0.000",
        "00012",
        "42",
        "13.361389",
        "38.115556",
        "-122.4194",
        "0.1",
        "0.3",
        "9007199254740992",
        "9007199254740993",
        "9007199254740991.5",
        "123456789012345678901234",
        "1.7976931348623157",
        "0.0000000000000000000001",
        "0.00000000000000000000001",
        "4503599627370495.5",
        "3471579339700058",
        ".5",
        "5.",
        "-.25",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Pseudo-random digit strings with the point anywhere.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 1 + (x % 24) as usize;
        let mut text: String = (0..len).map(|i| char::from(b'0' + ((x >> (i % 60)) % 10) as u8)).collect();
        let point = ((x >> 40) % (len as u64 + 2)) as usize;
        if point <= len {
            text.insert(point, '.');
        }
        if x & 1 == 1 {
            text.insert(0, '-');
        }
        cases.push(text);
    }
    for text in &cases {
        let (v, consumed, erange) = strtod(text.as_bytes());
        assert_eq!(consumed, text.len(), "{text}");
        assert!(!erange, "{text}");
        assert_eq!(v.to_bits(), slow(text).to_bits(), "{text}");
        assert_eq!(parse_score(text.as_bytes()).map(f64::to_bits), Some(slow(text).to_bits()), "{text}");
    }
}

#[test]
fn the_fast_path_leaves_exponents_and_trailing_bytes_to_the_full_parse() {
    assert_eq!(strtod(b"1.5e3"), (1500.0, 5, false));
    assert_eq!(strtod(b"2e"), (2.0, 1, false));
    assert_eq!(strtod(b"12abc"), (12.0, 2, false));
    assert_eq!(strtod(b" -7.25x"), (-7.25, 6, false));
    assert_eq!(parse_score(b"1.0 "), None);
}

/// Up to 8 pairs are parsed on the stack, more on the heap: both parse
/// every score before writing anything.
#[test]
fn zadd_parses_every_score_first_with_few_or_many_pairs() {
    use crate::testing::TestConn;
    let mut t = TestConn::new();
    for n in [1usize, 8, 9, 20] {
        let key = format!("z{n}");
        let mut args: Vec<String> = vec!["ZADD".into(), key.clone()];
        for i in 0..n {
            args.push(i.to_string());
            args.push(format!("m{i}"));
        }
        let mut bad = args.clone();
        bad[2 * n] = "x".into();
        let bad: Vec<&str> = bad.iter().map(String::as_str).collect();
        assert_eq!(t.cmd(&bad), "-ERR value is not a valid float\r\n", "{n} pairs");
        assert_eq!(t.cmd(&["EXISTS", &key]), ":0\r\n");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(t.cmd(&args), format!(":{n}\r\n"));
        assert_eq!(
            t.cmd(&["ZSCORE", &key, &format!("m{}", n - 1)]),
            format!("${}\r\n{}\r\n", (n - 1).to_string().len(), n - 1)
        );
    }
}
