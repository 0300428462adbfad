//! Conversions between Lua values and Redis replies, by Redis 7.2's rules.
//!
//! A command's reply (the bytes a handler wrote, RESP2 or RESP3 as the
//! script asked with `redis.setresp`) becomes a Lua value (`raw_call`
//! pushes it): integers are
//! numbers, bulk strings strings, null bulks and null arrays `false`
//! (RESP3's null `nil`), arrays tables, status replies `{ok=…}`, errors
//! `{err=…}`, and RESP3's map, set, double, big number and verbatim string
//! their one-field tables.
//!
//! A script's result goes back the other way, into the caller's protocol:
//! numbers are truncated to integers, `false` is a null (or RESP3's false
//! after `setresp(3)`), arrays stop at their first nil.

use mlua::{Lua, Table, Value};

use crate::resp::writer::{Protocol, Reply};

/// Scripts nest tables deeper than this only by mistake (or a cycle); Redis
/// stops at its Lua stack limit, here at a fixed depth.
const MAX_DEPTH: usize = 1000;

/// The bytes of a redis.call argument: strings as they are, numbers as
/// Redis prints them (never Lua's lossy `%.14g`); `None` for anything else.
pub fn arg_bytes(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Number(n) => Some(format_number(*n).into_bytes()),
        Value::Integer(n) => Some(n.to_string().into_bytes()),
        _ => None,
    }
}

/// A double in the shortest form that reads back the same, spelled as
/// Redis's `fpconv_dtoa` spells it (plain digits up to 21 places, then
/// `1e+21`-style exponents).
pub fn format_number(v: f64) -> String {
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v == 0.0 {
        return format!("{sign}0");
    }
    if v.is_nan() {
        return format!("{sign}nan");
    }
    if v.is_infinite() {
        return format!("{sign}inf");
    }
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent");
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let ndigits = digits.len() as i32;
    // The value is digits × 10^k.
    let k = exp - (ndigits - 1);
    let magnitude = (k + ndigits - 1).abs();
    let body = if k >= 0 && magnitude < ndigits + 7 {
        format!("{digits}{}", "0".repeat(k as usize))
    } else if k < 0 && (k > -7 || magnitude < 4) {
        let offset = ndigits + k;
        if offset <= 0 {
            format!("0.{}{digits}", "0".repeat((-offset) as usize))
        } else {
            format!("{}.{}", &digits[..offset as usize], &digits[offset as usize..])
        }
    } else {
        let kept = &digits[..digits.len().min(18 - sign.len())];
        let mut s = kept[..1].to_string();
        if kept.len() > 1 {
            s.push('.');
            s.push_str(&kept[1..]);
        }
        let e = k + kept.len() as i32 - 1 + (digits.len() - kept.len()) as i32;
        format!("{s}e{}{}", if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

/// A number as Lua's `tostring` prints it (`%.14g`).
pub fn format_lua_number(n: f64) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf".into() } else { "-inf".into() };
    }
    crate::util::float::format_g(n, 14)
}

/// `{err = "CODE message"}` as Redis builds it from an error text: a
/// leading `-` means the text carries its code (the first word), otherwise
/// `ERR` is put in front; trailing newlines are cut.
pub fn error_table(lua: &Lua, text: &[u8]) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(error_text_bytes(text))?)?;
    Ok(t)
}

/// The `err` text of [`error_table`].
pub fn error_text_bytes(text: &[u8]) -> Vec<u8> {
    if let Some(rest) = text.strip_prefix(b"-") {
        match rest.iter().position(|&b| b == b' ') {
            Some(space) => {
                let mut s = rest[..space].to_vec();
                s.push(b' ');
                s.extend_from_slice(trim_newlines(&rest[space + 1..]));
                s
            }
            None => [b"ERR ".as_slice(), trim_newlines(rest)].concat(),
        }
    } else {
        [b"ERR ".as_slice(), trim_newlines(text)].concat()
    }
}

fn trim_newlines(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !matches!(b, b'\r' | b'\n')).map_or(start, |p| p + 1);
    &s[start..end.max(start)]
}

/// A script's (or a nested) result written as a reply in `out`'s protocol.
/// `script_resp3` is the protocol the script chose with `redis.setresp`,
/// which decides how booleans go out. Returns how many error replies were
/// written (INFO's error counters).
pub fn write_lua_reply(out: &mut Reply, value: &Value, script_resp3: bool) -> u64 {
    let mut errors = 0;
    write_value(out, value, script_resp3, 0, &mut errors);
    errors
}

/// The text of `{err = "…"}` (a string field, not a number), if `value` is
/// such a table.
pub fn err_field(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::Table(t) => match t.raw_get::<Value>("err") {
            Ok(Value::String(s)) => Some(s.as_bytes().to_vec()),
            _ => None,
        },
        _ => None,
    }
}

fn write_value(out: &mut Reply, value: &Value, resp3: bool, depth: usize, errors: &mut u64) {
    if depth > MAX_DEPTH {
        out.error("ERR reached lua stack limit");
        *errors += 1;
        return;
    }
    match value {
        Value::String(s) => out.bulk(&s.as_bytes()),
        Value::Boolean(b) => {
            if resp3 {
                out.bool(*b);
            } else if *b {
                out.int(1);
            } else {
                out.null();
            }
        }
        Value::Number(n) => out.int(truncate(*n)),
        Value::Integer(n) => out.int(*n),
        Value::Table(t) => write_table(out, t, resp3, depth, errors),
        _ => out.null(),
    }
}

/// -2^63 and 2^63 as doubles.
pub(crate) const I64_LOW: f64 = -9_223_372_036_854_775_808.0;
pub(crate) const I64_HIGH: f64 = 9_223_372_036_854_775_808.0;

/// C's `(long long)` cast of a double as x86-64 does it: toward zero, and
/// the "integer indefinite" value for what does not fit (NaN included).
pub fn truncate(n: f64) -> i64 {
    if n.is_nan() || !(I64_LOW..I64_HIGH).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

fn write_table(out: &mut Reply, t: &Table, resp3: bool, depth: usize, errors: &mut u64) {
    if let Ok(Value::String(e)) = t.raw_get::<Value>("err") {
        out.error(&String::from_utf8_lossy(&e.as_bytes()));
        *errors += 1;
        return;
    }
    if let Ok(Value::String(s)) = t.raw_get::<Value>("ok") {
        out.simple(&String::from_utf8_lossy(&s.as_bytes()).replace(['\r', '\n'], " "));
        return;
    }
    match t.raw_get::<Value>("double") {
        Ok(Value::Number(d)) => return out.double(d),
        Ok(Value::Integer(d)) => return out.double(d as f64),
        _ => {}
    }
    if let Ok(Value::String(s)) = t.raw_get::<Value>("big_number") {
        let text: Vec<u8> = s.as_bytes().iter().map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }).collect();
        match out.proto {
            Protocol::Resp2 => out.bulk(&text),
            Protocol::Resp3 => {
                out.raw(b"(");
                out.raw(&text);
                out.raw(b"\r\n");
            }
        }
        return;
    }
    if let Ok(Value::Table(v)) = t.raw_get::<Value>("verbatim_string") {
        if let (Ok(Value::String(format)), Ok(Value::String(text))) =
            (v.raw_get::<Value>("format"), v.raw_get::<Value>("string"))
        {
            let text = text.as_bytes();
            match out.proto {
                Protocol::Resp2 => out.bulk(&text),
                Protocol::Resp3 => {
                    let format = format.as_bytes();
                    let mut tag = [b' '; 3];
                    for (slot, b) in tag.iter_mut().zip(format.iter()) {
                        *slot = *b;
                    }
                    out.raw(format!("={}\r\n", text.len() + 4).as_bytes());
                    out.raw(&tag);
                    out.raw(b":");
                    out.raw(&text);
                    out.raw(b"\r\n");
                }
            }
            return;
        }
    }
    if let Ok(Value::Table(m)) = t.raw_get::<Value>("map") {
        let pairs: Vec<(Value, Value)> = m.pairs::<Value, Value>().filter_map(Result::ok).collect();
        out.map_len(pairs.len());
        for (k, v) in &pairs {
            write_value(out, k, resp3, depth + 1, errors);
            write_value(out, v, resp3, depth + 1, errors);
        }
        return;
    }
    if let Ok(Value::Table(s)) = t.raw_get::<Value>("set") {
        let members: Vec<Value> = s.pairs::<Value, Value>().filter_map(|p| p.ok().map(|(k, _)| k)).collect();
        out.set_len(members.len());
        for k in &members {
            write_value(out, k, resp3, depth + 1, errors);
        }
        return;
    }
    let mut items = Vec::new();
    for i in 1.. {
        match t.raw_get::<Value>(i) {
            Ok(Value::Nil) | Err(_) => break,
            Ok(v) => items.push(v),
        }
    }
    out.array_len(items.len());
    for v in &items {
        write_value(out, v, resp3, depth + 1, errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_fpconv_does() {
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(100.0), "100");
        assert_eq!(format_number(1e20), "1e+20");
        assert_eq!(format_number(123456789012.0), "123456789012");
        assert_eq!(format_number(1e21), "1e+21");
        assert_eq!(format_number(123456789.0), "123456789");
        assert_eq!(format_number(0.000001), "0.000001");
        assert_eq!(format_number(1e-7), "1e-7");
        assert_eq!(format_number(2.5e-3), "0.0025");
        assert_eq!(format_number(f64::INFINITY), "inf");
        assert_eq!(format_number(-0.0), "-0");
    }

    #[test]
    fn truncation_is_toward_zero() {
        assert_eq!(truncate(3.99), 3);
        assert_eq!(truncate(-3.99), -3);
        assert_eq!(truncate(f64::NAN), i64::MIN);
        assert_eq!(truncate(1e300), i64::MIN);
    }

    #[test]
    fn lua_values_become_replies() {
        let lua = Lua::new();
        let v: Value = lua.load("return {1, 2.9, 'x', false, true, nil, 7}").eval().unwrap();
        let mut out = Reply::default();
        write_lua_reply(&mut out, &v, false);
        assert_eq!(out.buf, b"*5\r\n:1\r\n:2\r\n$1\r\nx\r\n$-1\r\n:1\r\n");
        let mut out = Reply { proto: Protocol::Resp3, ..Default::default() };
        write_lua_reply(&mut out, &v, true);
        assert_eq!(out.buf, b"*5\r\n:1\r\n:2\r\n$1\r\nx\r\n#f\r\n#t\r\n");
        let v: Value = lua.load("return {err='MY fault'}").eval().unwrap();
        let mut out = Reply::default();
        assert_eq!(write_lua_reply(&mut out, &v, false), 1);
        assert_eq!(out.buf, b"-MY fault\r\n");
        let v: Value = lua.load("return {double=1.5}").eval().unwrap();
        let mut out = Reply::default();
        write_lua_reply(&mut out, &v, false);
        assert_eq!(out.buf, b"$3\r\n1.5\r\n");
    }
}
