//! `cjson`: encode and decode JSON as Redis's lua-cjson 2.1 does — numbers
//! with 14 significant digits, `/` escaped, empty tables as `{}`, tables
//! with only positive integer keys as arrays (unless excessively sparse),
//! JSON null as the `cjson.null` light userdata.

use mlua::{LightUserData, Lua, MultiValue, Table, Value};

use crate::scripting::api::{done, fail, Native};
use crate::util::float::format_g;

const MAX_DEPTH: usize = 1000;

fn null() -> Value {
    Value::LightUserData(LightUserData(std::ptr::null_mut()))
}

pub(super) fn load(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("encode", lua.create_function(encode)?)?;
    t.set("decode", lua.create_function(decode)?)?;
    t.set("null", null())?;
    t.set("_NAME", "cjson")?;
    t.set("_VERSION", "2.1.0")?;
    Ok(t)
}

fn encode(lua: &Lua, args: MultiValue) -> Native {
    if args.len() != 1 {
        return fail(lua, "bad argument #1 to 'encode' (expected 1 argument)");
    }
    let mut out = Vec::new();
    match encode_value(&mut out, &args[0], 0) {
        Ok(()) => done(lua, vec![Value::String(lua.create_string(&out)?)]),
        Err(e) => fail(lua, &e),
    }
}

pub(crate) fn format_number(n: f64) -> String {
    format_g(n, 14)
}

fn encode_value(out: &mut Vec<u8>, v: &Value, depth: usize) -> Result<(), String> {
    match v {
        Value::String(s) => encode_string(out, &s.as_bytes()),
        Value::Number(n) => {
            if !n.is_finite() {
                return Err("Cannot serialise number: must not be NaN or Inf".into());
            }
            out.extend_from_slice(format_number(*n).as_bytes());
        }
        // mlua hands integral numbers over as integers; Lua has only doubles.
        Value::Integer(n) => out.extend_from_slice(format_number(*n as f64).as_bytes()),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
        Value::Table(t) => {
            let depth = depth + 1;
            if depth > MAX_DEPTH {
                return Err(format!("Cannot serialise, excessive nesting ({depth})"));
            }
            encode_table(out, t, depth)?;
        }
        other => return Err(format!("Cannot serialise {}: type not supported", other.type_name())),
    }
    Ok(())
}

/// lua-cjson's array test: every key an integer ≥ 1; the length is the
/// largest, kept in a C `int` as lua-cjson keeps it (a key past 2^31 turns
/// it negative, and the table is then written as an object). `None` for an
/// object, `Err` for an excessively sparse array.
fn array_length(t: &Table) -> Result<Option<usize>, String> {
    let (mut max, mut items) = (0i32, 0i32);
    for pair in t.clone().pairs::<Value, Value>() {
        let (k, _) = pair.map_err(|e| e.to_string())?;
        let k = match k {
            Value::Number(n) => n,
            Value::Integer(n) => n as f64,
            _ => return Ok(None),
        };
        if k.floor() != k || k < 1.0 {
            return Ok(None);
        }
        if k > max as f64 {
            // x86's conversion of an out-of-range double to int.
            max = if k < 2_147_483_648.0 { k as i32 } else { i32::MIN };
        }
        items = items.wrapping_add(1);
    }
    if max > items.wrapping_mul(2) && max > 10 {
        return Err("Cannot serialise table: excessively sparse array".into());
    }
    Ok(usize::try_from(max).ok())
}

fn encode_table(out: &mut Vec<u8>, t: &Table, depth: usize) -> Result<(), String> {
    match array_length(t)? {
        Some(len) if len > 0 => {
            out.push(b'[');
            for i in 1..=len {
                if i > 1 {
                    out.push(b',');
                }
                let v: Value = t.raw_get(i).map_err(|e| e.to_string())?;
                encode_value(out, &v, depth)?;
            }
            out.push(b']');
        }
        _ => {
            out.push(b'{');
            let mut first = true;
            for pair in t.clone().pairs::<Value, Value>() {
                let (k, v) = pair.map_err(|e| e.to_string())?;
                if !first {
                    out.push(b',');
                }
                first = false;
                match &k {
                    Value::String(s) => encode_string(out, &s.as_bytes()),
                    Value::Number(n) => encode_string(out, format_number(*n).as_bytes()),
                    Value::Integer(n) => encode_string(out, format_number(*n as f64).as_bytes()),
                    other => {
                        return Err(format!(
                            "Cannot serialise {}: table key must be a number or string",
                            other.type_name()
                        ))
                    }
                }
                out.push(b':');
                encode_value(out, &v, depth)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn encode_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\x08' => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\x0c' => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0..=0x1f | 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

fn decode(lua: &Lua, args: MultiValue) -> Native {
    if args.len() != 1 {
        return fail(lua, "bad argument #1 to 'decode' (expected 1 argument)");
    }
    let text = match &args[0] {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(_) | Value::Integer(_) => {
            lua.coerce_string(args[0].clone())?.map(|s| s.as_bytes().to_vec()).unwrap_or_default()
        }
        other => {
            return fail(lua, &format!("bad argument #1 to 'decode' (string expected, got {})", other.type_name()))
        }
    };
    if text.len() >= 2 && (text[0] == 0 || text[1] == 0) {
        return fail(lua, "JSON parser does not support UTF-16 or UTF-32");
    }
    let mut parser = Parser { lua, s: &text, pos: 0, depth: 0 };
    let result = (|| {
        let token = parser.next_token()?;
        let value = parser.value(token)?;
        let end = parser.next_token()?;
        if !matches!(end.kind, Kind::End) {
            return Err(parser.unexpected("the end", &end));
        }
        Ok(value)
    })();
    match result {
        Ok(v) => done(lua, vec![v]),
        Err(e) => fail(lua, &e),
    }
}

enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str(Vec<u8>),
    Num(f64),
    Bool(bool),
    Null,
    Colon,
    Comma,
    End,
    Error(&'static str),
}

struct Token {
    kind: Kind,
    /// 0-based offset of its first byte.
    at: usize,
}

struct Parser<'a> {
    lua: &'a Lua,
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn unexpected(&self, expected: &str, token: &Token) -> String {
        let found = match &token.kind {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str(_) => "T_STRING",
            Kind::Num(_) => "T_NUMBER",
            Kind::Bool(_) => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error(msg) => msg,
        };
        format!("Expected {expected} but found {found} at character {}", token.at + 1)
    }

    fn next_token(&mut self) -> Result<Token, String> {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let at = self.pos;
        let Some(&c) = self.s.get(at) else { return Ok(Token { kind: Kind::End, at }) };
        let simple = |kind, pos: &mut usize| {
            *pos += 1;
            kind
        };
        let kind = match c {
            b'{' => simple(Kind::ObjBegin, &mut self.pos),
            b'}' => simple(Kind::ObjEnd, &mut self.pos),
            b'[' => simple(Kind::ArrBegin, &mut self.pos),
            b']' => simple(Kind::ArrEnd, &mut self.pos),
            b':' => simple(Kind::Colon, &mut self.pos),
            b',' => simple(Kind::Comma, &mut self.pos),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            _ if self.s[at..].starts_with(b"true") => {
                self.pos += 4;
                Kind::Bool(true)
            }
            _ if self.s[at..].starts_with(b"false") => {
                self.pos += 5;
                Kind::Bool(false)
            }
            _ if self.s[at..].starts_with(b"null") => {
                self.pos += 4;
                Kind::Null
            }
            _ => Kind::Error("invalid token"),
        };
        Ok(Token { kind, at })
    }

    fn number(&mut self) -> Kind {
        let start = self.pos;
        while self.pos < self.s.len() && matches!(self.s[self.pos], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            self.pos += 1;
        }
        match std::str::from_utf8(&self.s[start..self.pos]).ok().and_then(|t| t.parse::<f64>().ok()) {
            Some(n) => Kind::Num(n),
            None => Kind::Error("invalid number"),
        }
    }

    fn string(&mut self) -> Kind {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else { return Kind::Error("unexpected end of string") };
            self.pos += 1;
            match c {
                b'"' => return Kind::Str(out),
                b'\\' => {
                    let Some(&e) = self.s.get(self.pos) else { return Kind::Error("unexpected end of string") };
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => match self.unicode_escape() {
                            Some(cp) => {
                                let mut buf = [0; 4];
                                out.extend_from_slice(cp.encode_utf8(&mut buf).as_bytes());
                            }
                            None => return Kind::Error("invalid unicode escape code"),
                        },
                        _ => return Kind::Error("invalid escape code"),
                    }
                }
                _ => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.pos..self.pos + 4)?;
        let v = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        self.pos += 4;
        Some(v)
    }

    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.s.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return None;
            }
            self.pos += 2;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return None;
            }
            return char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
        }
        if (0xDC00..0xE000).contains(&hi) {
            return None;
        }
        char::from_u32(hi)
    }

    fn value(&mut self, token: Token) -> Result<Value, String> {
        let lua = self.lua;
        let mlua_err = |e: mlua::Error| e.to_string();
        Ok(match token.kind {
            Kind::Str(s) => Value::String(lua.create_string(&s).map_err(mlua_err)?),
            Kind::Num(n) => Value::Number(n),
            Kind::Bool(b) => Value::Boolean(b),
            Kind::Null => null(),
            Kind::ObjBegin | Kind::ArrBegin => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!(
                        "Found too many nested data structures ({}) at character {}",
                        self.depth,
                        token.at + 1
                    ));
                }
                let t = lua.create_table().map_err(mlua_err)?;
                if matches!(token.kind, Kind::ObjBegin) {
                    self.object(&t)?;
                } else {
                    self.array(&t)?;
                }
                self.depth -= 1;
                Value::Table(t)
            }
            _ => return Err(self.unexpected("value", &token)),
        })
    }

    fn object(&mut self, t: &Table) -> Result<(), String> {
        let mut token = self.next_token()?;
        if matches!(token.kind, Kind::ObjEnd) {
            return Ok(());
        }
        loop {
            let Kind::Str(key) = token.kind else { return Err(self.unexpected("object key string", &token)) };
            let colon = self.next_token()?;
            if !matches!(colon.kind, Kind::Colon) {
                return Err(self.unexpected("colon", &colon));
            }
            let next = self.next_token()?;
            let v = self.value(next)?;
            t.raw_set(self.lua.create_string(&key).map_err(|e| e.to_string())?, v).map_err(|e| e.to_string())?;
            let sep = self.next_token()?;
            match sep.kind {
                Kind::ObjEnd => return Ok(()),
                Kind::Comma => token = self.next_token()?,
                _ => return Err(self.unexpected("comma or object end", &sep)),
            }
        }
    }

    fn array(&mut self, t: &Table) -> Result<(), String> {
        let mut token = self.next_token()?;
        if matches!(token.kind, Kind::ArrEnd) {
            return Ok(());
        }
        let mut i = 1;
        loop {
            let v = self.value(token)?;
            t.raw_set(i, v).map_err(|e| e.to_string())?;
            i += 1;
            let sep = self.next_token()?;
            match sep.kind {
                Kind::ArrEnd => return Ok(()),
                Kind::Comma => token = self.next_token()?,
                _ => return Err(self.unexpected("comma or array end", &sep)),
            }
        }
    }
}
