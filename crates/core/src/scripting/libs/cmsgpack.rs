//! `cmsgpack`: MessagePack as Redis's lua-cmsgpack writes and reads it —
//! integral numbers as the smallest integer form, others as float32 when
//! exact and float64 otherwise, tables with keys 1..n as arrays and the
//! rest as maps, nesting past 16 levels as nil.

use mlua::{Lua, MultiValue, Table, Value};

use super::check_string;
use crate::scripting::api::{done, fail, Native};
use crate::scripting::convert::{I64_HIGH, I64_LOW};

const MAX_NESTING: usize = 16;

pub(super) fn load(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("pack", lua.create_function(pack)?)?;
    t.set("unpack", lua.create_function(|lua, a: MultiValue| unpack(lua, a, 0, 0))?)?;
    t.set(
        "unpack_one",
        lua.create_function(|lua, a: MultiValue| {
            let offset = optional_int(lua, &a, 1);
            unpack(lua, a, 1, offset)
        })?,
    )?;
    t.set(
        "unpack_limit",
        lua.create_function(|lua, a: MultiValue| {
            let limit = optional_int(lua, &a, 1);
            let offset = optional_int(lua, &a, 2);
            unpack(lua, a, limit, offset)
        })?,
    )?;
    t.set("_NAME", "cmsgpack")?;
    t.set("_VERSION", "lua-cmsgpack 0.4.0")?;
    Ok(t)
}

fn optional_int(lua: &Lua, args: &MultiValue, i: usize) -> i64 {
    args.get(i).and_then(|v| lua.coerce_number(v.clone()).ok().flatten()).map_or(0, |n| n as i64)
}

fn pack(lua: &Lua, args: MultiValue) -> Native {
    if args.is_empty() {
        return fail(lua, "bad argument #0 to 'pack' (MessagePack pack needs input.)");
    }
    let mut out = Vec::new();
    for v in args.iter() {
        encode(&mut out, v, 0);
    }
    done(lua, vec![Value::String(lua.create_string(&out)?)])
}

fn encode(out: &mut Vec<u8>, v: &Value, level: usize) {
    match v {
        Value::String(s) => encode_bytes(out, &s.as_bytes()),
        Value::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Number(n) => encode_number(out, *n),
        Value::Integer(n) => encode_int(out, *n),
        Value::Table(t) if level < MAX_NESTING => encode_table(out, t, level),
        _ => out.push(0xc0),
    }
}

fn encode_bytes(out: &mut Vec<u8>, s: &[u8]) {
    let len = s.len();
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0xd9, len as u8]);
    } else if len <= 0xffff {
        out.push(0xda);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
    out.extend_from_slice(s);
}

fn encode_number(out: &mut Vec<u8>, n: f64) {
    // Integral and inside int64 (what C's cast round-trips).
    if n.is_finite() && n.floor() == n && (I64_LOW..I64_HIGH).contains(&n) {
        encode_int(out, n as i64);
    } else if (n as f32) as f64 == n || n.is_nan() {
        out.push(0xca);
        out.extend_from_slice(&(n as f32).to_be_bytes());
    } else {
        out.push(0xcb);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn encode_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn encode_table(out: &mut Vec<u8>, t: &Table, level: usize) {
    let pairs: Vec<(Value, Value)> = t.clone().pairs::<Value, Value>().filter_map(Result::ok).collect();
    let (mut max, mut count) = (0f64, 0usize);
    let mut is_array = true;
    for (k, _) in &pairs {
        match k {
            Value::Number(n) if *n > 0.0 && n.floor() == *n && *n <= i32::MAX as f64 => max = max.max(*n),
            Value::Integer(n) if *n > 0 && *n <= i32::MAX as i64 => max = max.max(*n as f64),
            _ => {
                is_array = false;
                break;
            }
        }
        count += 1;
    }
    if is_array && max as usize == count {
        let len = t.raw_len();
        header(out, len, 0x90, 0xdc, 0xdd);
        for i in 1..=len {
            let v: Value = t.get(i).unwrap_or(Value::Nil);
            encode(out, &v, level + 1);
        }
    } else {
        header(out, pairs.len(), 0x80, 0xde, 0xdf);
        for (k, v) in &pairs {
            encode(out, k, level + 1);
            encode(out, v, level + 1);
        }
    }
}

fn header(out: &mut Vec<u8>, len: usize, fix: u8, tag16: u8, tag32: u8) {
    if len <= 15 {
        out.push(fix | len as u8);
    } else if len <= 0xffff {
        out.push(tag16);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(tag32);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

enum DecodeError {
    Eof,
    BadFormat,
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        let bytes = self.s.get(self.pos..self.pos + n).ok_or(DecodeError::Eof)?;
        self.pos += n;
        Ok(bytes)
    }

    fn be(&mut self, n: usize) -> Result<u64, DecodeError> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64))
    }
}

fn decode(lua: &Lua, c: &mut Cursor) -> Result<Value, DecodeError> {
    let tag = c.take(1)?[0];
    let lua_err = |_| DecodeError::BadFormat;
    let string = |c: &mut Cursor, len: usize| -> Result<Value, DecodeError> {
        let bytes = c.take(len)?;
        Ok(Value::String(lua.create_string(bytes).map_err(lua_err)?))
    };
    Ok(match tag {
        0x00..=0x7f => Value::Number(tag as f64),
        0xe0..=0xff => Value::Number(tag as i8 as f64),
        0xcc => Value::Number(c.be(1)? as f64),
        0xcd => Value::Number(c.be(2)? as f64),
        0xce => Value::Number(c.be(4)? as f64),
        0xcf => Value::Number(c.be(8)? as f64),
        0xd0 => Value::Number(c.be(1)? as u8 as i8 as f64),
        0xd1 => Value::Number(c.be(2)? as u16 as i16 as f64),
        0xd2 => Value::Number(c.be(4)? as u32 as i32 as f64),
        0xd3 => Value::Number(c.be(8)? as i64 as f64),
        0xc0 => Value::Nil,
        0xc2 => Value::Boolean(false),
        0xc3 => Value::Boolean(true),
        0xca => Value::Number(f32::from_bits(c.be(4)? as u32) as f64),
        0xcb => Value::Number(f64::from_bits(c.be(8)?)),
        0xa0..=0xbf => string(c, (tag & 0x1f) as usize)?,
        0xd9 | 0xc4 => {
            let n = c.be(1)? as usize;
            string(c, n)?
        }
        0xda | 0xc5 => {
            let n = c.be(2)? as usize;
            string(c, n)?
        }
        0xdb | 0xc6 => {
            let n = c.be(4)? as usize;
            string(c, n)?
        }
        0x90..=0x9f | 0xdc | 0xdd => {
            let len = match tag {
                0xdc => c.be(2)? as usize,
                0xdd => c.be(4)? as usize,
                _ => (tag & 0xf) as usize,
            };
            let t = lua.create_table().map_err(lua_err)?;
            for i in 1..=len {
                let v = decode(lua, c)?;
                t.raw_set(i, v).map_err(lua_err)?;
            }
            Value::Table(t)
        }
        0x80..=0x8f | 0xde | 0xdf => {
            let len = match tag {
                0xde => c.be(2)? as usize,
                0xdf => c.be(4)? as usize,
                _ => (tag & 0xf) as usize,
            };
            let t = lua.create_table().map_err(lua_err)?;
            for _ in 0..len {
                let k = decode(lua, c)?;
                let v = decode(lua, c)?;
                if !k.is_nil() {
                    t.raw_set(k, v).map_err(lua_err)?;
                }
            }
            Value::Table(t)
        }
        _ => return Err(DecodeError::BadFormat),
    })
}

/// unpack / unpack_one / unpack_limit: `limit` and `offset` both 0 decode
/// everything; otherwise the next offset (-1 at the end) comes first.
fn unpack(lua: &Lua, args: MultiValue, limit: i64, offset: i64) -> Native {
    let args = args.into_vec();
    let s = match check_string(lua, &args, 0, "unpack") {
        Ok(s) => s,
        Err(e) => return fail(lua, &e),
    };
    if offset < 0 || limit < 0 {
        return fail(lua, &format!("Invalid request to unpack with offset of {offset} and limit of {}.", s.len()));
    }
    if offset as usize > s.len() {
        return fail(lua, &format!("Start offset {offset} greater than input length {}.", s.len()));
    }
    let decode_all = limit == 0 && offset == 0;
    let limit = if decode_all { i64::MAX } else { limit };
    let mut c = Cursor { s: &s, pos: offset as usize };
    let mut values = Vec::new();
    while c.pos < s.len() && (values.len() as i64) < limit {
        match decode(lua, &mut c) {
            Ok(v) => values.push(v),
            Err(DecodeError::Eof) => return fail(lua, "Missing bytes in input."),
            Err(DecodeError::BadFormat) => return fail(lua, "Bad data format in input."),
        }
    }
    if !decode_all {
        let next = if c.pos >= s.len() { -1.0 } else { c.pos as f64 };
        values.insert(0, Value::Number(next));
    }
    done(lua, values)
}
