//! A Lua 5.1 state set up as Redis sets up its scripting engines: only the
//! base, table, string and math libraries plus cjson, cmsgpack, bit and
//! struct; no os, io, loadfile or dofile; globals and library tables
//! read-only (see `sandbox.lua`). EVAL and FUNCTION each have their own
//! state, as in Redis.

use mlua::{Function, Lua, LuaOptions, StdLib, Table, Value};

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
    run_eval: Function,
    run_function: Function,
    run_load: Function,
}

/// How a script run ended: its single result, or the error table the
/// message handler built (with `source` and `line` when known).
pub(crate) enum Outcome {
    Returned(Value),
    Failed(Value),
}

impl Vm {
    pub fn new() -> mlua::Result<Vm> {
        // Safety: the debug library is loaded only for the sandbox's own
        // message handler, which keeps `debug.getinfo` and removes `debug`
        // from the globals before any script runs.
        let lua = unsafe {
            Lua::unsafe_new_with(StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG, LuaOptions::default())
        };
        lua.set_app_data(RunSlot::default());
        let libs = libs::load(&lua)?;
        let natives = natives(&lua, libs)?;
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
            run_eval: parts.get("run_eval")?,
            run_function: parts.get("run_function")?,
            run_load: parts.get("run_load")?,
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

    /// Runs an EVAL script (no arguments: KEYS and ARGV are globals).
    pub fn run_eval(&self, f: &Function) -> Outcome {
        self.outcome(self.run_eval.call::<mlua::MultiValue>(f.clone()))
    }

    /// Runs a library function with its keys and arguments tables.
    pub fn run_function(&self, f: &Function, keys: Table, args: Table) -> Outcome {
        self.outcome(self.run_function.call::<mlua::MultiValue>((f.clone(), keys, args)))
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
                let value = values.next().unwrap_or(Value::Nil);
                if ok {
                    Outcome::Returned(value)
                } else {
                    Outcome::Failed(value)
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
        let t = self.lua.create_table_with_capacity(items.len(), 0)?;
        for (i, item) in items.iter().enumerate() {
            t.raw_set(i + 1, self.lua.create_string(item)?)?;
        }
        Ok(t)
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
