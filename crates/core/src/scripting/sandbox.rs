//! A Lua 5.1 state set up as Redis sets up its scripting engines: only the
//! base, table, string and math libraries plus cjson, cmsgpack, bit and
//! struct; no os, io, loadfile or dofile; globals and library tables
//! read-only (see `sandbox.lua`). EVAL and FUNCTION each have their own
//! state, as in Redis.

use std::cell::RefCell;
use std::ffi::{c_char, c_int};

use mlua::{ffi, Function, Lua, LuaOptions, StdLib, Table, Thread, Value};

use super::api::natives;
use super::call::RunSlot;
use super::libs;

const SANDBOX: &str = include_str!("sandbox.lua");

pub(crate) struct Vm {
    pub lua: Lua,
    /// The globals scripts see: an empty proxy that refuses writes.
    pub globals: Table,
    /// The table behind it (KEYS and ARGV are set here for EVAL).
    pub real_globals: Table,
    bind: Function,
    run_load: Function,
    spare_thread: RefCell<Option<Thread>>,
}

/// How a library's loading ended: normally, or with the error raised.
pub(crate) enum Outcome {
    Loaded,
    Failed(Value),
}

impl Vm {
    /// The EVAL engine (`eval`) or the FUNCTION one.
    pub fn new(eval: bool) -> mlua::Result<Vm> {
        let lua = Lua::new_with(StdLib::TABLE | StdLib::STRING | StdLib::MATH, LuaOptions::default())?;
        lua.set_app_data(RunSlot::default());
        let libs = libs::load(&lua)?;
        let natives = natives(&lua, libs)?;
        natives.set("eval_mode", eval)?;
        super::coroutine::install(&lua)?;
        let parts: Table = lua.load(SANDBOX).set_name("=redis-internal").call(natives)?;
        let globals: Table = parts.get("globals")?;
        // New chunks and coroutines take the proxy as their globals.
        unsafe {
            lua.exec_raw::<()>(globals.clone(), |state| {
                mlua::ffi::lua_replace(state, mlua::ffi::LUA_GLOBALSINDEX);
            })?;
        }
        Ok(Vm {
            globals,
            real_globals: parts.get("real_globals")?,
            bind: parts.get("bind")?,
            run_load: parts.get("run_load")?,
            spare_thread: RefCell::new(None),
            lua,
        })
    }

    /// Compiles `code` as a chunk named `name` ("@user_script"), with the
    /// sandbox's globals; the error is Lua's message.
    pub fn compile(&self, code: &[u8], name: &str) -> Result<Function, String> {
        self.lua.load(code).set_name(name).set_environment(self.globals.clone()).into_function().map_err(|e| match e {
            mlua::Error::SyntaxError { message, .. } => message,
            other => other.to_string(),
        })
    }

    /// A function of no arguments that calls `f(keys, args)`: how a
    /// library function starts as a coroutine.
    pub fn bind(&self, f: &Function, keys: Table, args: Table) -> mlua::Result<Function> {
        self.bind.call((f.clone(), keys, args))
    }

    /// Runs a library's top-level code with only the loading API visible;
    /// the error value as raised (no handler).
    pub fn run_load(&self, f: &Function) -> Outcome {
        self.outcome(self.run_load.call::<mlua::MultiValue>(f.clone()))
    }

    fn outcome(&self, result: mlua::Result<mlua::MultiValue>) -> Outcome {
        match result {
            Ok(values) => {
                let mut values = values.into_iter();
                let ok = matches!(values.next(), Some(Value::Boolean(true)));
                if ok {
                    Outcome::Loaded
                } else {
                    Outcome::Failed(values.next().unwrap_or(Value::Nil))
                }
            }
            // Only a failure inside the runner itself (out of memory …).
            Err(e) => Outcome::Failed(Value::String(
                self.lua.create_string(e.to_string()).unwrap_or_else(|_| self.lua.create_string("").expect("string")),
            )),
        }
    }

    /// A Lua array of byte strings (KEYS, ARGV).
    pub fn array(&self, items: &[&[u8]]) -> mlua::Result<Table> {
        // Built on the raw stack: one handle for the table instead of one
        // per string (this runs on every EVAL and FCALL).
        // Safety: pushes a table and strings, leaving the table on top.
        unsafe {
            self.lua.exec_raw::<Table>((), |state| {
                ffi::lua_createtable(state, items.len() as c_int, 0);
                for (i, item) in items.iter().enumerate() {
                    ffi::lua_pushlstring(state, item.as_ptr() as *const c_char, item.len());
                    ffi::lua_rawseti(state, -2, (i + 1) as _);
                }
            })
        }
    }

    /// Sets the KEYS and ARGV globals of an EVAL.
    pub fn set_eval_args(&self, keys: &[&[u8]], args: &[&[u8]]) -> mlua::Result<()> {
        // Safety: the real globals table is the one argument (index 1).
        unsafe {
            self.lua.exec_raw::<()>(self.real_globals.clone(), |state| {
                for (name, items) in [(c"KEYS", keys), (c"ARGV", args)] {
                    ffi::lua_createtable(state, items.len() as c_int, 0);
                    for (i, item) in items.iter().enumerate() {
                        ffi::lua_pushlstring(state, item.as_ptr() as *const c_char, item.len());
                        ffi::lua_rawseti(state, -2, (i + 1) as _);
                    }
                    ffi::lua_setfield(state, 1, name.as_ptr());
                }
                ffi::lua_settop(state, 0);
            })
        }
    }

    /// A finished coroutine kept to run the next script in (Lua 5.1 lets a
    /// coroutine that returned normally start another function).
    pub fn take_spare_thread(&self) -> Option<Thread> {
        self.spare_thread.borrow_mut().take()
    }

    pub fn keep_spare_thread(&self, thread: Thread) {
        *self.spare_thread.borrow_mut() = Some(thread);
    }

    /// Lua's memory in bytes (`used_memory_lua`, FUNCTION STATS).
    pub fn memory(&self) -> usize {
        self.lua.used_memory()
    }

    /// A step of incremental collection, as Redis does every 50 scripts.
    pub fn gc_step(&self) {
        let _ = self.lua.gc_step_kbytes(50);
    }
}
