//! The Lua libraries Redis loads besides Lua's own: cjson, cmsgpack, bit
//! and struct, written here in Rust to behave as Redis's C versions do for
//! their documented uses. Each function answers with `api::done`/`api::fail`
//! and `sandbox.lua` raises the failures.

use mlua::{Lua, Table, Value};

mod bit;
mod cjson;
mod cmsgpack;
mod structs;

/// `{cjson = {…}, cmsgpack = {…}, bit = {…}, struct = {…}}`.
pub(crate) fn load(lua: &Lua) -> mlua::Result<Table> {
    let libs = lua.create_table()?;
    libs.set("bit", bit::load(lua)?)?;
    libs.set("cjson", cjson::load(lua)?)?;
    libs.set("cmsgpack", cmsgpack::load(lua)?)?;
    libs.set("struct", structs::load(lua)?)?;
    Ok(libs)
}

/// The type name in Lua's argument errors.
pub(crate) fn type_name(v: Option<&Value>) -> &'static str {
    match v {
        None => "no value",
        Some(v) => v.type_name(),
    }
}

/// `luaL_checknumber`: a number or a string that reads as one.
pub(crate) fn check_number(lua: &Lua, args: &[Value], i: usize, fname: &str) -> Result<f64, String> {
    match args.get(i) {
        Some(v @ (Value::Number(_) | Value::Integer(_) | Value::String(_))) => {
            if let Ok(Some(n)) = lua.coerce_number(v.clone()) {
                return Ok(n);
            }
            Err(format!("bad argument #{} to '{fname}' (number expected, got {})", i + 1, v.type_name()))
        }
        other => Err(format!("bad argument #{} to '{fname}' (number expected, got {})", i + 1, type_name(other))),
    }
}

/// `luaL_checklstring`: a string (numbers are converted).
pub(crate) fn check_string(lua: &Lua, args: &[Value], i: usize, fname: &str) -> Result<Vec<u8>, String> {
    match args.get(i) {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Integer(_))) => {
            Ok(lua.coerce_string(v.clone()).ok().flatten().map(|s| s.as_bytes().to_vec()).unwrap_or_default())
        }
        other => Err(format!("bad argument #{} to '{fname}' (string expected, got {})", i + 1, type_name(other))),
    }
}
