//! `struct`: Roberto Ierusalimschy's binary packing library as Redis ships
//! it — pack, unpack and size with `<` `>` `!n` controls and the b B h H l
//! L T i[n] I[n] f d s c[n] x options (native sizes of x86-64).

use mlua::{Lua, MultiValue, Table, Value};

use super::{check_number, check_string};
use crate::scripting::api::{done, fail, Native};

const MAX_INT_SIZE: usize = 32;
const MAX_ALIGN: usize = 8;

#[derive(Clone, Copy)]
struct Header {
    big_endian: bool,
    align: usize,
}

impl Default for Header {
    fn default() -> Self {
        Header { big_endian: false, align: 1 }
    }
}

pub(super) fn load(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("pack", lua.create_function(|lua, a: MultiValue| wrap(lua, pack(lua, &a.into_vec())))?)?;
    t.set("unpack", lua.create_function(|lua, a: MultiValue| wrap(lua, unpack(lua, &a.into_vec())))?)?;
    t.set("size", lua.create_function(|lua, a: MultiValue| wrap(lua, size(lua, &a.into_vec())))?)?;
    Ok(t)
}

fn wrap(lua: &Lua, result: Result<Vec<Value>, String>) -> Native {
    match result {
        Ok(values) => done(lua, values),
        Err(e) => fail(lua, &e),
    }
}

/// Reads the digits after an option, or `default`.
fn number(fmt: &[u8], i: &mut usize, default: usize) -> Result<usize, String> {
    if !fmt.get(*i).is_some_and(u8::is_ascii_digit) {
        return Ok(default);
    }
    let mut a: usize = 0;
    while let Some(d) = fmt.get(*i).filter(|c| c.is_ascii_digit()) {
        a = a
            .checked_mul(10)
            .and_then(|a| a.checked_add((d - b'0') as usize))
            .filter(|&a| a <= i32::MAX as usize)
            .ok_or("integral size overflow")?;
        *i += 1;
    }
    Ok(a)
}

fn option_size(opt: u8, fmt: &[u8], i: &mut usize) -> Result<usize, String> {
    Ok(match opt {
        b'B' | b'b' | b'x' => 1,
        b'H' | b'h' => 2,
        b'L' | b'l' | b'T' | b'd' => 8,
        b'f' => 4,
        b'c' => number(fmt, i, 1)?,
        b'i' | b'I' => {
            let sz = number(fmt, i, 4)?;
            if sz > MAX_INT_SIZE {
                return Err(format!("integral size {sz} is larger than limit of {MAX_INT_SIZE}"));
            }
            sz
        }
        _ => 0,
    })
}

fn to_align(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    (size - (len & (size - 1))) & (size - 1)
}

fn control(opt: u8, fmt: &[u8], i: &mut usize, h: &mut Header, fname: &str) -> Result<(), String> {
    match opt {
        b' ' => {}
        b'>' => h.big_endian = true,
        b'<' => h.big_endian = false,
        b'!' => {
            let a = number(fmt, i, MAX_ALIGN)?;
            if !a.is_power_of_two() {
                return Err(format!("alignment {a} is not a power of 2"));
            }
            h.align = a;
        }
        _ => return Err(format!("bad argument #1 to '{fname}' (invalid format option '{}')", opt as char)),
    }
    Ok(())
}

fn pack(lua: &Lua, args: &[Value]) -> Result<Vec<Value>, String> {
    let fmt = check_string(lua, args, 0, "pack")?;
    let mut h = Header::default();
    let mut out = Vec::new();
    let mut arg = 1;
    let mut i = 0;
    while i < fmt.len() {
        let opt = fmt[i];
        i += 1;
        let mut size = option_size(opt, &fmt, &mut i)?;
        let pad = to_align(out.len(), &h, opt, size);
        out.extend(std::iter::repeat_n(0u8, pad));
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = check_number(lua, args, arg, "pack")?;
                arg += 1;
                let mut value = if n < 0.0 { n as i64 as u64 } else { n as u64 };
                let mut bytes = vec![0u8; size];
                for b in bytes.iter_mut() {
                    *b = value as u8;
                    value = value.checked_shr(8).unwrap_or(0);
                }
                if h.big_endian {
                    bytes.reverse();
                }
                out.extend_from_slice(&bytes);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = check_number(lua, args, arg, "pack")? as f32;
                arg += 1;
                out.extend_from_slice(&if h.big_endian { f.to_be_bytes() } else { f.to_le_bytes() });
            }
            b'd' => {
                let d = check_number(lua, args, arg, "pack")?;
                arg += 1;
                out.extend_from_slice(&if h.big_endian { d.to_be_bytes() } else { d.to_le_bytes() });
            }
            b'c' | b's' => {
                let s = check_string(lua, args, arg, "pack")?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    return Err(format!("bad argument #{} to 'pack' (string too short)", arg + 1));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
            _ => control(opt, &fmt, &mut i, &mut h, "pack")?,
        }
    }
    Ok(vec![Value::String(lua.create_string(&out).map_err(|e| e.to_string())?)])
}

fn unpack(lua: &Lua, args: &[Value]) -> Result<Vec<Value>, String> {
    let fmt = check_string(lua, args, 0, "unpack")?;
    let data = check_string(lua, args, 1, "unpack")?;
    let start = match args.get(2) {
        None | Some(Value::Nil) => 1,
        Some(_) => check_number(lua, args, 2, "unpack")? as i64,
    };
    if start <= 0 {
        return Err("bad argument #3 to 'unpack' (offset must be 1 or greater)".into());
    }
    let mut pos = (start - 1) as usize;
    let mut h = Header::default();
    let mut values: Vec<Value> = Vec::new();
    let short = || "bad argument #2 to 'unpack' (data string too short)".to_string();
    let mut i = 0;
    while i < fmt.len() {
        let opt = fmt[i];
        i += 1;
        let mut size = option_size(opt, &fmt, &mut i)?;
        pos += to_align(pos, &h, opt, size);
        if size > data.len() || pos > data.len() - size {
            return Err(short());
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let bytes = &data[pos..pos + size];
                let mut l: u64 = 0;
                let ordered: Vec<u8> =
                    if h.big_endian { bytes.to_vec() } else { bytes.iter().rev().copied().collect() };
                for b in ordered {
                    l = (l << 8) | b as u64;
                }
                let n = if opt.is_ascii_lowercase() && size > 0 && size <= 8 {
                    let shift = 64 - size * 8;
                    ((l << shift) as i64 >> shift) as f64
                } else if opt.is_ascii_lowercase() {
                    l as i64 as f64
                } else {
                    l as f64
                };
                values.push(Value::Number(n));
            }
            b'x' => {}
            b'f' => {
                let b: [u8; 4] = data[pos..pos + 4].try_into().expect("4 bytes");
                let f = if h.big_endian { f32::from_be_bytes(b) } else { f32::from_le_bytes(b) };
                values.push(Value::Number(f as f64));
            }
            b'd' => {
                let b: [u8; 8] = data[pos..pos + 8].try_into().expect("8 bytes");
                let d = if h.big_endian { f64::from_be_bytes(b) } else { f64::from_le_bytes(b) };
                values.push(Value::Number(d));
            }
            b'c' => {
                if size == 0 {
                    let Some(Value::Number(n)) = values.last() else {
                        return Err("format 'c0' needs a previous size".into());
                    };
                    size = *n as usize;
                    values.pop();
                    if size > data.len() || pos > data.len() - size {
                        return Err(short());
                    }
                }
                values.push(Value::String(lua.create_string(&data[pos..pos + size]).map_err(|e| e.to_string())?));
            }
            b's' => {
                let Some(end) = data[pos..].iter().position(|&b| b == 0) else {
                    return Err("unfinished string in data".into());
                };
                values.push(Value::String(lua.create_string(&data[pos..pos + end]).map_err(|e| e.to_string())?));
                size = end + 1;
            }
            _ => control(opt, &fmt, &mut i, &mut h, "unpack")?,
        }
        pos += size;
    }
    values.push(Value::Number((pos + 1) as f64));
    Ok(values)
}

fn size(lua: &Lua, args: &[Value]) -> Result<Vec<Value>, String> {
    let fmt = check_string(lua, args, 0, "size")?;
    let mut h = Header::default();
    let mut pos = 0;
    let mut i = 0;
    while i < fmt.len() {
        let opt = fmt[i];
        i += 1;
        let size = option_size(opt, &fmt, &mut i)?;
        pos += to_align(pos, &h, opt, size);
        if opt == b's' {
            return Err("bad argument #1 to 'size' (option 's' has no fixed size)".into());
        } else if opt == b'c' && size == 0 {
            return Err("bad argument #1 to 'size' (option 'c0' has no fixed size)".into());
        }
        if !opt.is_ascii_alphanumeric() {
            control(opt, &fmt, &mut i, &mut h, "size")?;
        }
        pos += size;
    }
    Ok(vec![Value::Number(pos as f64)])
}
