//! `bit`: LuaBitOp's operations on 32-bit integers (band bor bxor bnot
//! lshift rshift arshift rol ror bswap tobit tohex).

use mlua::{Lua, MultiValue, Table, Value};

use super::check_number;
use crate::scripting::api::{done, fail, Native};

/// LuaBitOp's normalisation: add 2^52 + 2^51 and keep the low 32 bits of
/// the double's representation — the number rounded, modulo 2^32.
fn tobit(n: f64) -> i32 {
    (n + 6_755_399_441_055_744.0).to_bits() as u32 as i32
}

fn arg(lua: &Lua, args: &[Value], i: usize, fname: &str) -> Result<i32, String> {
    check_number(lua, args, i, fname).map(tobit)
}

fn number(lua: &Lua, v: i32) -> Native {
    done(lua, vec![Value::Number(v as f64)])
}

fn unary(lua: &Lua, args: MultiValue, fname: &str, op: fn(i32) -> i32) -> Native {
    let args = args.into_vec();
    match arg(lua, &args, 0, fname) {
        Ok(x) => number(lua, op(x)),
        Err(e) => fail(lua, &e),
    }
}

fn fold(lua: &Lua, args: MultiValue, fname: &str, op: fn(i32, i32) -> i32) -> Native {
    let args = args.into_vec();
    let mut acc = match arg(lua, &args, 0, fname) {
        Ok(x) => x,
        Err(e) => return fail(lua, &e),
    };
    for i in 1..args.len() {
        match arg(lua, &args, i, fname) {
            Ok(x) => acc = op(acc, x),
            Err(e) => return fail(lua, &e),
        }
    }
    number(lua, acc)
}

fn shift(lua: &Lua, args: MultiValue, fname: &str, op: fn(i32, u32) -> i32) -> Native {
    let args = args.into_vec();
    let x = match arg(lua, &args, 0, fname) {
        Ok(x) => x,
        Err(e) => return fail(lua, &e),
    };
    let n = match arg(lua, &args, 1, fname) {
        Ok(n) => (n & 31) as u32,
        Err(e) => return fail(lua, &e),
    };
    number(lua, op(x, n))
}

fn tohex(lua: &Lua, args: MultiValue) -> Native {
    let args = args.into_vec();
    let x = match arg(lua, &args, 0, "tohex") {
        Ok(x) => x as u32,
        Err(e) => return fail(lua, &e),
    };
    let mut n = if args.len() > 1 && !args[1].is_nil() {
        match arg(lua, &args, 1, "tohex") {
            Ok(n) => n,
            Err(e) => return fail(lua, &e),
        }
    } else {
        8
    };
    let upper = n < 0;
    if upper {
        n = n.wrapping_neg();
    }
    let n = (n as u32).min(8) as usize;
    let full = if upper { format!("{x:08X}") } else { format!("{x:08x}") };
    done(lua, vec![Value::String(lua.create_string(&full[8 - n..])?)])
}

pub(super) fn load(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("tobit", lua.create_function(|lua, a: MultiValue| unary(lua, a, "tobit", |x| x))?)?;
    t.set("bnot", lua.create_function(|lua, a: MultiValue| unary(lua, a, "bnot", |x| !x))?)?;
    t.set("bswap", lua.create_function(|lua, a: MultiValue| unary(lua, a, "bswap", i32::swap_bytes))?)?;
    t.set("band", lua.create_function(|lua, a: MultiValue| fold(lua, a, "band", |x, y| x & y))?)?;
    t.set("bor", lua.create_function(|lua, a: MultiValue| fold(lua, a, "bor", |x, y| x | y))?)?;
    t.set("bxor", lua.create_function(|lua, a: MultiValue| fold(lua, a, "bxor", |x, y| x ^ y))?)?;
    t.set("lshift", lua.create_function(|lua, a: MultiValue| shift(lua, a, "lshift", |x, n| x << n))?)?;
    t.set(
        "rshift",
        lua.create_function(|lua, a: MultiValue| shift(lua, a, "rshift", |x, n| ((x as u32) >> n) as i32))?,
    )?;
    t.set("arshift", lua.create_function(|lua, a: MultiValue| shift(lua, a, "arshift", |x, n| x >> n))?)?;
    t.set("rol", lua.create_function(|lua, a: MultiValue| shift(lua, a, "rol", |x, n| x.rotate_left(n)))?)?;
    t.set("ror", lua.create_function(|lua, a: MultiValue| shift(lua, a, "ror", |x, n| x.rotate_right(n)))?)?;
    t.set("tohex", lua.create_function(tohex)?)?;
    Ok(t)
}
