//! Running a script as a Lua coroutine, so a long one can be paused.
//!
//! Redis keeps serving other clients while a script runs past
//! `busy-reply-threshold` (they get `-BUSY`, SCRIPT KILL can stop it). The
//! engine here is driven synchronously by the host, so instead the script
//! runs in a coroutine with a count hook: once the threshold has passed,
//! the hook yields (Lua 5.1 lets a count hook yield, see `lvm.c`), the
//! command returns, and the engine resumes the script a slice at a time
//! on its periodic tick while other clients are answered `-BUSY`.
//!
//! A hook can only yield when no C call lies between the coroutine's start
//! and the running Lua code (inside `pcall`, a metamethod or a sort
//! comparator it cannot): there the hook lets the script run on and tries
//! again on its next call.
//!
//! Errors are not caught inside the coroutine (a `pcall` there would be
//! such a C call); a failed coroutine keeps its stack, which is read for
//! the script line the error names, as the message handler would.

use std::ffi::{c_char, c_int, CStr};
use std::time::Instant;

use mlua::{ffi, Function, Lua, Thread, Value};

use super::call::{Run, RunSlot};
use super::raw_call::{push_error, SLOT_KEY};
use super::sandbox::Vm;

const MAILBOX_KEY: &CStr = c"ferrokv.mailbox";
/// Instructions between two hook calls (Redis checks its time limit as often).
const HOOK_EVERY: c_int = 100_000;
const INTERNAL_SOURCE: &[u8] = b"=redis-internal";

/// How a slice of a script ended.
pub(crate) enum Step {
    /// Its result.
    Returned(Value),
    /// Its result, a string (read straight off the stack: most scripts
    /// return one, or a number, which `Returned` carries as it is).
    ReturnedBytes(Vec<u8>),
    /// The error table, with `source` and `line` when known.
    Failed(Value),
    /// Paused by the hook; resume it later.
    Paused,
}

/// The first fields of Lua 5.1.5's `lua_State` (lstate.h), up to the C
/// call counters the yield test reads.
#[repr(C)]
struct StateHead {
    next: *mut std::ffi::c_void,
    tt: u8,
    marked: u8,
    status: u8,
    top: *mut std::ffi::c_void,
    base: *mut std::ffi::c_void,
    l_g: *mut std::ffi::c_void,
    ci: *mut std::ffi::c_void,
    savedpc: *const u32,
    stack_last: *mut std::ffi::c_void,
    stack: *mut std::ffi::c_void,
    end_ci: *mut std::ffi::c_void,
    base_ci: *mut std::ffi::c_void,
    stacksize: c_int,
    size_ci: c_int,
    n_ccalls: u16,
    base_ccalls: u16,
}

/// Whether `lua_yield` would succeed here: no C call since the resume.
unsafe fn can_yield(state: *mut ffi::lua_State) -> bool {
    let head = &*(state as *const StateHead);
    head.n_ccalls <= head.base_ccalls
}

/// Sets up the registry slot results travel through.
pub(crate) fn install(lua: &Lua) -> mlua::Result<()> {
    lua.set_named_registry_value(MAILBOX_KEY.to_str().expect("ascii"), lua.create_table()?)
}

unsafe fn current_run(state: *mut ffi::lua_State) -> *mut Run {
    ffi::lua_getfield(state, ffi::LUA_REGISTRYINDEX, SLOT_KEY.as_ptr());
    let slot = ffi::lua_touserdata(state, -1) as *const std::cell::Cell<*mut Run>;
    ffi::lua_settop(state, -2);
    if slot.is_null() {
        std::ptr::null_mut()
    } else {
        (*slot).get()
    }
}

unsafe extern "C-unwind" fn hook(state: *mut ffi::lua_State, _ar: *mut ffi::lua_Debug) {
    let run = current_run(state);
    if run.is_null() {
        return;
    }
    if (*run).killed {
        // Every line from now on raises again, so a pcall cannot outlive it.
        ffi::lua_sethook(state, Some(hook), ffi::LUA_MASKLINE, 0);
        push_error(state, b"Script killed by user with SCRIPT KILL...");
        ffi::lua_error(state);
    }
    if (*run).thread == state as usize && (*run).pause_at.is_some_and(|at| Instant::now() >= at) && can_yield(state) {
        ffi::lua_yield(state, 0);
    }
}

/// A coroutine over `f` (which takes no arguments), with the hook set.
/// Reuses `spare` (a coroutine that returned normally) when given.
pub(crate) fn spawn(lua: &Lua, f: Function, spare: Option<Thread>) -> mlua::Result<Thread> {
    if let Some(thread) = spare {
        let state = thread.to_pointer() as *mut ffi::lua_State;
        // Safety: a coroutine that returned is idle with an empty stack;
        // the function moves onto it from the main stack.
        unsafe {
            lua.exec_raw::<()>(f, |main| ffi::lua_xmove(main, state, 1))?;
        }
        return Ok(thread);
    }
    let thread = lua.create_thread(f)?;
    let state = thread.to_pointer() as *mut ffi::lua_State;
    // Safety: `state` is the coroutine's own lua_State, alive with `thread`.
    unsafe {
        ffi::lua_sethook(state, Some(hook), ffi::LUA_MASKCOUNT, HOOK_EVERY);
    }
    Ok(thread)
}

/// Runs (or goes on running) the coroutine with `run` reachable from its
/// callbacks, until it ends or pauses.
pub(crate) fn resume(vm: &Vm, thread: &Thread, run: &mut Run) -> Step {
    let lua = &vm.lua;
    let state = thread.to_pointer() as *mut ffi::lua_State;
    run.thread = state as usize;
    if run.killed {
        // A paused script is stopped at the next instruction.
        unsafe { ffi::lua_sethook(state, Some(hook), ffi::LUA_MASKCOUNT, 1) };
    }
    // Safety: the coroutine is suspended (new or yielded) and owned by
    // `thread`; values leave it through the registry mailbox only.
    let status = RunSlot::enter(vm.slot(), run, || unsafe { ffi::lua_resume_(state, 0) });
    unsafe {
        match status {
            ffi::LUA_YIELD => Step::Paused,
            0 => {
                if ffi::lua_gettop(state) == 0 {
                    ffi::lua_pushnil(state);
                }
                ffi::lua_settop(state, 1);
                match scalar(state) {
                    Some(step) => {
                        ffi::lua_settop(state, 0);
                        step
                    }
                    None => Step::Returned(take(lua, state)),
                }
            }
            _ => {
                locate_error(state);
                Step::Failed(take(lua, state))
            }
        }
    }
}

/// The result on top of `state` when it is not a table (nor a function or
/// userdata), read without making a Lua reference to it.
unsafe fn scalar(state: *mut ffi::lua_State) -> Option<Step> {
    Some(match ffi::lua_type(state, -1) {
        ffi::LUA_TSTRING => {
            let mut len = 0;
            let ptr = ffi::lua_tolstring(state, -1, &mut len);
            Step::ReturnedBytes(std::slice::from_raw_parts(ptr as *const u8, len).to_vec())
        }
        ffi::LUA_TNUMBER => Step::Returned(Value::Number(ffi::lua_tonumber(state, -1))),
        ffi::LUA_TBOOLEAN => Step::Returned(Value::Boolean(ffi::lua_toboolean(state, -1) != 0)),
        ffi::LUA_TNIL => Step::Returned(Value::Nil),
        _ => return None,
    })
}

/// Moves the value on top of `state` into a Lua value the Rust side holds.
unsafe fn take(lua: &Lua, state: *mut ffi::lua_State) -> Value {
    ffi::lua_getfield(state, ffi::LUA_REGISTRYINDEX, MAILBOX_KEY.as_ptr());
    ffi::lua_insert(state, -2);
    ffi::lua_rawseti(state, -2, 1);
    ffi::lua_settop(state, -2);
    let mailbox: Option<mlua::Table> = lua.named_registry_value(MAILBOX_KEY.to_str().expect("ascii")).ok();
    match mailbox {
        Some(t) => {
            let v = t.raw_get(1).unwrap_or(Value::Nil);
            let _ = t.raw_set(1, Value::Nil);
            v
        }
        None => Value::Nil,
    }
}

/// Turns the error on top of a dead coroutine into Redis's error table:
/// `{err = …}` (a non-table error becomes `ERR <text>`) with the source and
/// line of the innermost script frame (not a C function, not the sandbox).
unsafe fn locate_error(state: *mut ffi::lua_State) {
    ffi::lua_checkstack(state, 4);
    if ffi::lua_type(state, -1) != ffi::LUA_TTABLE {
        let text = error_text(state, -1);
        ffi::lua_settop(state, -2);
        ffi::lua_createtable(state, 0, 3);
        let full = [b"ERR ".as_slice(), &text].concat();
        ffi::lua_pushlstring(state, full.as_ptr() as *const c_char, full.len());
        ffi::lua_setfield(state, -2, c"err".as_ptr());
    }
    let mut level = 0;
    loop {
        let mut ar: ffi::lua_Debug = std::mem::zeroed();
        if ffi::lua_getstack(state, level, &mut ar) == 0 {
            return;
        }
        ffi::lua_getinfo(state, c"Sl".as_ptr(), &mut ar);
        let what = CStr::from_ptr(ar.what).to_bytes();
        let source = CStr::from_ptr(ar.source).to_bytes();
        if what != b"C" && source != INTERNAL_SOURCE {
            ffi::lua_pushlstring(state, source.as_ptr() as *const c_char, source.len());
            ffi::lua_setfield(state, -2, c"source".as_ptr());
            ffi::lua_pushnumber(state, ar.currentline as f64);
            ffi::lua_setfield(state, -2, c"line".as_ptr());
            return;
        }
        level += 1;
    }
}

/// `tostring` of a non-table error value.
unsafe fn error_text(state: *mut ffi::lua_State, idx: c_int) -> Vec<u8> {
    match ffi::lua_type(state, idx) {
        ffi::LUA_TSTRING | ffi::LUA_TNUMBER => {
            let mut len = 0;
            let ptr = ffi::lua_tolstring(state, idx, &mut len);
            std::slice::from_raw_parts(ptr as *const u8, len).to_vec()
        }
        ffi::LUA_TNIL => b"nil".to_vec(),
        ffi::LUA_TBOOLEAN => {
            if ffi::lua_toboolean(state, idx) != 0 {
                b"true".to_vec()
            } else {
                b"false".to_vec()
            }
        }
        t => {
            let name = CStr::from_ptr(ffi::lua_typename(state, t)).to_bytes();
            format!("{}: {:p}", String::from_utf8_lossy(name), ffi::lua_topointer(state, idx)).into_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_mirror_reads_the_c_call_counters() {
        let lua = Lua::new();
        let f: Function = lua.load("return 1").into_function().unwrap();
        let thread = lua.create_thread(f).unwrap();
        let state = thread.to_pointer() as *mut ffi::lua_State;
        let head = unsafe { &*(state as *const StateHead) };
        // A new coroutine: not running, no C calls, status 0.
        assert_eq!((head.n_ccalls, head.base_ccalls, head.status), (0, 0, 0));
    }
}
