//! `redis.call` and `redis.pcall` as C functions, as in Redis. They must
//! not be Lua functions: `return redis.call(…)` is a tail call, and a Lua
//! callee would replace the script's own frame, losing the line number the
//! error message names. Written against the raw Lua API; nothing Rust
//! owns is alive when `lua_error` unwinds.

use std::cell::Cell;
use std::ffi::{c_int, c_void, CStr};

use mlua::{ffi, Function, Lua};

use super::call::{call_command, Run, RunSlot};
use super::convert::format_number;
use crate::util::float::parse_double;

pub(crate) const SLOT_KEY: &CStr = c"ferrokv.run_slot";

/// Makes the two functions. Each carries the VM's [`RunSlot`] as its
/// upvalue, so a call finds the run without a registry lookup; the hook
/// finds it through the registry.
pub(crate) fn install(lua: &Lua) -> mlua::Result<(Function, Function)> {
    let slot = lua.app_data_ref::<RunSlot>().map(|s| &s.0 as *const Cell<*mut Run>).expect("the VM has a run slot");
    // Safety: the slot lives in the VM's app data (boxed, never replaced)
    // for the VM's whole life, so the pointer stays valid.
    unsafe {
        lua.exec_raw::<()>((), |state| {
            ffi::lua_pushlightuserdata(state, slot as *mut c_void);
            ffi::lua_setfield(state, ffi::LUA_REGISTRYINDEX, SLOT_KEY.as_ptr());
        })?;
        let with_slot = |f: ffi::lua_CFunction| {
            lua.exec_raw::<Function>((), |state| {
                ffi::lua_pushlightuserdata(state, slot as *mut c_void);
                ffi::lua_pushcclosure(state, f, 1);
            })
        };
        Ok((with_slot(redis_call)?, with_slot(redis_pcall)?))
    }
}

unsafe extern "C-unwind" fn redis_call(state: *mut ffi::lua_State) -> c_int {
    if call_into(state) {
        ffi::lua_error(state);
    }
    1
}

unsafe extern "C-unwind" fn redis_pcall(state: *mut ffi::lua_State) -> c_int {
    call_into(state);
    1
}

/// Runs the command the arguments name and leaves one value on the stack:
/// the reply, or an error table; true when redis.call must raise it.
unsafe fn call_into(state: *mut ffi::lua_State) -> bool {
    let argc = ffi::lua_gettop(state);
    // Numbers are formatted as Redis formats them; strings are read where
    // they are, on the stack, which keeps them alive until the call is over.
    let mut numbers: Vec<Vec<u8>> = Vec::new();
    let mut all_strings = true;
    for i in 1..=argc {
        match ffi::lua_type(state, i) {
            ffi::LUA_TNUMBER => numbers.push(format_number(ffi::lua_tonumber(state, i)).into_bytes()),
            ffi::LUA_TSTRING => {}
            _ => {
                all_strings = false;
                break;
            }
        }
    }
    if argc == 0 || !all_strings {
        ffi::lua_settop(state, 0);
        ffi::lua_checkstack(state, 8);
        push_error(
            state,
            if argc == 0 {
                b"Please specify at least one argument for this redis lib call"
            } else {
                b"Lua redis lib command arguments must be strings or integers"
            },
        );
        return true;
    }
    let mut numbers = numbers.iter();
    let args: Vec<&[u8]> = (1..=argc)
        .map(|i| {
            if ffi::lua_type(state, i) == ffi::LUA_TNUMBER {
                numbers.next().map_or(&[][..], Vec::as_slice)
            } else {
                let mut len = 0;
                let ptr = ffi::lua_tolstring(state, i, &mut len);
                std::slice::from_raw_parts(ptr as *const u8, len)
            }
        })
        .collect();
    let slot = ffi::lua_touserdata(state, ffi::lua_upvalueindex(1)) as *const Cell<*mut Run>;
    let run = if slot.is_null() { std::ptr::null_mut() } else { (*slot).get() };
    if run.is_null() {
        ffi::lua_settop(state, 0);
        push_error(state, b"redis.call can only be used inside a script invocation");
        return true;
    }
    // The reply goes onto the stack above the arguments, which are dropped
    // from under it once it is there.
    ffi::lua_checkstack(state, 8);
    let pushed = call_command(&mut *run, &args, |reply| {
        let mut pos = 0;
        push_reply(state, reply, &mut pos);
        reply.first() == Some(&b'-')
    });
    match pushed {
        Ok(raise) => {
            ffi::lua_replace(state, 1);
            ffi::lua_settop(state, 1);
            raise
        }
        Err(msg) => {
            ffi::lua_settop(state, 0);
            push_error(state, msg.as_bytes());
            true
        }
    }
}

unsafe fn push_bytes(state: *mut ffi::lua_State, bytes: &[u8]) {
    ffi::lua_pushlstring(state, bytes.as_ptr() as *const _, bytes.len());
}

/// Pushes `{err = "CODE msg"}` built as `convert::error_table` does.
pub(crate) unsafe fn push_error(state: *mut ffi::lua_State, text: &[u8]) {
    let full = super::convert::error_text_bytes(text);
    ffi::lua_createtable(state, 0, 1);
    push_bytes(state, &full);
    ffi::lua_setfield(state, -2, c"err".as_ptr());
}

fn line<'a>(buf: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let start = (*pos + 1).min(buf.len());
    let end = buf[start..].windows(2).position(|w| w == b"\r\n").map_or(buf.len(), |p| start + p);
    *pos = (end + 2).min(buf.len());
    &buf[start..end]
}

fn number(buf: &[u8], pos: &mut usize) -> i64 {
    std::str::from_utf8(line(buf, pos)).ok().and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// One reply, by the rules in `convert`'s module comment, as a Lua
/// value on the stack.
unsafe fn push_reply(state: *mut ffi::lua_State, buf: &[u8], pos: &mut usize) {
    ffi::lua_checkstack(state, 4);
    let Some(&tag) = buf.get(*pos) else {
        ffi::lua_pushnil(state);
        return;
    };
    match tag {
        b'+' => {
            ffi::lua_createtable(state, 0, 1);
            push_bytes(state, line(buf, pos));
            ffi::lua_setfield(state, -2, c"ok".as_ptr());
        }
        b'-' => {
            let text = [b"-".as_slice(), line(buf, pos)].concat();
            push_error(state, &text);
        }
        b':' => ffi::lua_pushnumber(state, number(buf, pos) as f64),
        b'$' | b'=' => {
            let len = number(buf, pos);
            if len < 0 {
                ffi::lua_pushboolean(state, 0);
                return;
            }
            let end = (*pos + len as usize).min(buf.len());
            let data = &buf[*pos..end];
            *pos = (end + 2).min(buf.len());
            if tag == b'$' {
                push_bytes(state, data);
            } else {
                let (format, text) = data.split_at(4.min(data.len()));
                ffi::lua_createtable(state, 0, 1);
                ffi::lua_createtable(state, 0, 2);
                push_bytes(state, text);
                ffi::lua_setfield(state, -2, c"string".as_ptr());
                push_bytes(state, &format[..format.len().min(3)]);
                ffi::lua_setfield(state, -2, c"format".as_ptr());
                ffi::lua_setfield(state, -2, c"verbatim_string".as_ptr());
            }
        }
        b'*' | b'>' => {
            let len = number(buf, pos);
            if len < 0 {
                ffi::lua_pushboolean(state, 0);
                return;
            }
            ffi::lua_createtable(state, len.min(1 << 20) as c_int, 0);
            for i in 1..=len {
                push_reply(state, buf, pos);
                ffi::lua_rawseti(state, -2, i as _);
            }
        }
        b'%' | b'~' => {
            let len = number(buf, pos);
            ffi::lua_createtable(state, 0, 1);
            ffi::lua_createtable(state, 0, len.min(1 << 20) as c_int);
            for _ in 0..len {
                push_reply(state, buf, pos);
                if tag == b'%' {
                    push_reply(state, buf, pos);
                } else {
                    ffi::lua_pushboolean(state, 1);
                }
                if ffi::lua_type(state, -2) == ffi::LUA_TNIL {
                    ffi::lua_settop(state, -3);
                } else {
                    ffi::lua_rawset(state, -3);
                }
            }
            let field = if tag == b'%' { c"map" } else { c"set" };
            ffi::lua_setfield(state, -2, field.as_ptr());
        }
        b'|' => {
            let len = number(buf, pos);
            for _ in 0..len * 2 {
                push_reply(state, buf, pos);
                ffi::lua_settop(state, -2);
            }
            push_reply(state, buf, pos);
        }
        b'_' => {
            line(buf, pos);
            ffi::lua_pushnil(state);
        }
        b'#' => ffi::lua_pushboolean(state, (line(buf, pos) == b"t") as c_int),
        b',' => {
            let text = line(buf, pos);
            let d = parse_double(text).unwrap_or(if text.eq_ignore_ascii_case(b"nan") { f64::NAN } else { 0.0 });
            ffi::lua_createtable(state, 0, 1);
            ffi::lua_pushnumber(state, d);
            ffi::lua_setfield(state, -2, c"double".as_ptr());
        }
        b'(' => {
            ffi::lua_createtable(state, 0, 1);
            push_bytes(state, line(buf, pos));
            ffi::lua_setfield(state, -2, c"big_number".as_ptr());
        }
        _ => {
            line(buf, pos);
            ffi::lua_pushnil(state);
        }
    }
}

/// Wraps a native that answers `(true, n, values…)` or `(false, error)`
/// in a C function that returns the values or raises the error — a string
/// with the caller's position in front, as `luaL_error` words it, or an
/// error table as it is. Being a C function, it keeps the script's frame
/// even when called as `return f(…)`.
pub(crate) fn raising(lua: &Lua, native: Function) -> mlua::Result<Function> {
    // Safety: the closure only pushes a C closure over the argument.
    unsafe {
        lua.exec_raw::<Function>(native, |state| {
            ffi::lua_pushcclosure(state, trampoline, 1);
        })
    }
}

unsafe extern "C-unwind" fn trampoline(state: *mut ffi::lua_State) -> c_int {
    let nargs = ffi::lua_gettop(state);
    ffi::lua_checkstack(state, 4);
    ffi::lua_pushvalue(state, ffi::lua_upvalueindex(1));
    ffi::lua_insert(state, 1);
    ffi::lua_call(state, nargs, ffi::LUA_MULTRET);
    if ffi::lua_toboolean(state, 1) == 0 {
        ffi::lua_settop(state, 2);
        if ffi::lua_type(state, 2) == ffi::LUA_TSTRING {
            ffi::luaL_where(state, 1);
            ffi::lua_insert(state, 2);
            ffi::lua_concat(state, 2);
        }
        ffi::lua_error(state);
    }
    let count = ffi::lua_tonumber(state, 2) as c_int;
    ffi::lua_remove(state, 1);
    ffi::lua_remove(state, 1);
    count
}
