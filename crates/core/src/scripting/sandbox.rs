//! A Lua 5.1 state set up as Redis sets up its scripting engines: only the
//! base, table, string and math libraries plus cjson, cmsgpack, bit and
//! struct; no os, io, loadfile or dofile; globals and library tables
//! read-only (see `sandbox.lua`). EVAL and FUNCTION each have their own
//! state, as in Redis.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_void, CStr};

use mlua::{ffi, Function, Lua, LuaOptions, StdLib, Table, Thread, Value};

use super::api::natives;
use super::call::{Run, RunSlot};
use super::libs;

const SANDBOX: &str = include_str!("sandbox.lua");

pub(crate) struct Vm {
    pub lua: Lua,
    /// The globals scripts see: an empty proxy that refuses writes.
    pub globals: Table,
    bind: Function,
    run_load: Function,
    spare_thread: RefCell<Option<Thread>>,
    /// The main Lua state, for the raw calls of every EVAL (`prepare_eval`).
    main: *mut ffi::lua_State,
    /// The registry reference of the C closure `prepare_eval` calls.
    prepare: c_int,
    /// The VM's run slot (in its app data, boxed, alive as long as the VM).
    slot: *const Cell<*mut Run>,
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
        let real_globals: Table = parts.get("real_globals")?;
        let slot = lua.app_data_ref::<RunSlot>().map(|s| &s.0 as *const Cell<*mut Run>).expect("set above");
        // Safety: builds a C closure over the real globals and two fresh
        // tables (also set as KEYS and ARGV), and keeps it in the registry;
        // records the main state the closure runs on.
        let mut main = std::ptr::null_mut();
        let prepare = unsafe {
            lua.exec_raw::<c_int>(real_globals.clone(), |state| {
                main = state;
                for name in [c"KEYS", c"ARGV"] {
                    ffi::lua_createtable(state, 0, 0);
                    ffi::lua_pushvalue(state, -1);
                    ffi::lua_setfield(state, 1, name.as_ptr());
                }
                ffi::lua_pushcclosure(state, prepare_eval, 3);
                let reference = ffi::luaL_ref(state, ffi::LUA_REGISTRYINDEX);
                ffi::lua_pushinteger(state, reference as _);
            })?
        };
        Ok(Vm {
            globals,
            bind: parts.get("bind")?,
            run_load: parts.get("run_load")?,
            spare_thread: RefCell::new(None),
            main,
            prepare,
            slot,
            lua,
        })
    }

    /// Where the run in progress is found by the VM's callbacks.
    pub fn slot(&self) -> &Cell<*mut Run> {
        // Safety: see the field.
        unsafe { &*self.slot }
    }

    /// A registry reference to `f`, for [`Vm::prepare_eval`]: held for the
    /// VM's life (SCRIPT FLUSH drops the VM with every script).
    pub fn reference(&self, f: &Function) -> mlua::Result<c_int> {
        // Safety: moves the pushed function into the registry.
        unsafe {
            self.lua.exec_raw::<c_int>(f.clone(), |state| {
                let reference = ffi::luaL_ref(state, ffi::LUA_REGISTRYINDEX);
                ffi::lua_pushinteger(state, reference as _);
            })
        }
    }

    /// Sets KEYS and ARGV for an EVAL and, given a finished coroutine to
    /// reuse, moves the script's function (`function`, from
    /// [`Vm::reference`]) onto it: in one protected call that makes no
    /// garbage but the strings, where going through mlua would make a
    /// closure per call and two new tables.
    pub fn prepare_eval(
        &self,
        keys: &[&[u8]],
        args: &[&[u8]],
        function: c_int,
        thread: Option<&Thread>,
    ) -> Result<(), String> {
        let setup = EvalSetup {
            keys,
            args,
            function,
            thread: thread.map_or(std::ptr::null_mut(), |t| t.to_pointer() as *mut ffi::lua_State),
        };
        let state = self.main;
        // Safety: the main state is idle between mlua calls (its stack is
        // at its base); this pushes two values, calls, and leaves the stack
        // as it found it. `setup` outlives the call.
        unsafe {
            ffi::lua_rawgeti(state, ffi::LUA_REGISTRYINDEX, self.prepare as _);
            ffi::lua_pushlightuserdata(state, &setup as *const EvalSetup as *mut c_void);
            if ffi::lua_pcall(state, 1, 0, 0) != 0 {
                let mut len = 0;
                let ptr = ffi::lua_tolstring(state, -1, &mut len);
                let text = if ptr.is_null() {
                    "error preparing the script".to_string()
                } else {
                    String::from_utf8_lossy(std::slice::from_raw_parts(ptr as *const u8, len)).into_owned()
                };
                ffi::lua_settop(state, -2);
                return Err(text);
            }
        }
        Ok(())
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
}

/// What [`prepare_eval`] is given, through a light userdata.
struct EvalSetup<'a> {
    keys: &'a [&'a [u8]],
    args: &'a [&'a [u8]],
    function: c_int,
    thread: *mut ffi::lua_State,
}

/// The C closure behind `Vm::prepare_eval`; upvalues: the real globals,
/// then the KEYS and ARGV tables of the last EVAL.
unsafe extern "C-unwind" fn prepare_eval(state: *mut ffi::lua_State) -> c_int {
    let setup = &*(ffi::lua_touserdata(state, 1) as *const EvalSetup);
    ffi::lua_checkstack(state, 8);
    refill(state, 2, c"KEYS", setup.keys);
    refill(state, 3, c"ARGV", setup.args);
    if !setup.thread.is_null() {
        ffi::lua_rawgeti(state, ffi::LUA_REGISTRYINDEX, setup.function as _);
        ffi::lua_xmove(state, setup.thread, 1);
    }
    0
}

/// Makes the table in upvalue `up` hold exactly `items` (1…n). The last
/// EVAL's table is reused when nothing but its items is left in it after
/// they are overwritten — the common case, the same number of keys every
/// time. Otherwise (a longer list before, or a script that wrote into the
/// table) a new one takes its place, as the global `name` too.
unsafe fn refill(state: *mut ffi::lua_State, up: c_int, name: &CStr, items: &[&[u8]]) {
    let up = ffi::lua_upvalueindex(up);
    ffi::lua_pushvalue(state, up);
    set_items(state, items);
    if items.is_empty() {
        ffi::lua_pushnil(state);
    } else {
        ffi::lua_pushinteger(state, items.len() as _);
    }
    if ffi::lua_next(state, -2) == 0 {
        ffi::lua_settop(state, -2);
        return;
    }
    ffi::lua_settop(state, -4);
    ffi::lua_createtable(state, items.len() as c_int, 0);
    set_items(state, items);
    ffi::lua_pushvalue(state, -1);
    ffi::lua_replace(state, up);
    ffi::lua_setfield(state, ffi::lua_upvalueindex(1), name.as_ptr());
}

/// `t[i] = items[i - 1]` for the table `t` on top of the stack.
unsafe fn set_items(state: *mut ffi::lua_State, items: &[&[u8]]) {
    for (i, item) in items.iter().enumerate() {
        ffi::lua_pushlstring(state, item.as_ptr() as *const c_char, item.len());
        ffi::lua_rawseti(state, -2, (i + 1) as _);
    }
}
