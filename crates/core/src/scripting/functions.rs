//! FUNCTION libraries: `#!lua name=…` code whose top level registers
//! functions with `redis.register_function`, called with FCALL.

use std::cell::RefCell;
use std::collections::BTreeMap;

use mlua::{Function, Lua, MultiValue, Value};

use super::api::{done, Native};
use super::busy;
use super::call::{Run, RunSlot};
use super::convert::error_table;
use super::eval::check_flags;
use super::sandbox::{Outcome, Vm};
use super::{script_flags, Scripting};
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;

pub(crate) struct FunctionInfo {
    pub description: Option<Vec<u8>>,
    pub flags: u32,
    pub callback: Function,
}

pub(crate) struct Library {
    pub code: Vec<u8>,
    /// By name: FUNCTION LIST shows them in this order.
    pub functions: BTreeMap<Vec<u8>, FunctionInfo>,
}

#[derive(Default)]
pub(crate) struct Libraries {
    pub libs: BTreeMap<Vec<u8>, Library>,
    /// Function name → its library's name.
    pub owner: BTreeMap<Vec<u8>, Vec<u8>>,
}

/// Where `register_function` puts what a loading library registers.
#[derive(Default)]
struct LoadSlot(RefCell<Option<BTreeMap<Vec<u8>, FunctionInfo>>>);

fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The library name from `#!lua name=<name>`, and where the code after the
/// first line starts (its newline kept, for line numbers).
fn library_metadata(code: &[u8]) -> Result<(Vec<u8>, usize), String> {
    if !code.starts_with(b"#!") {
        return Err("Missing library metadata".into());
    }
    let end = code.iter().position(|&b| b == b'\n').ok_or("Invalid library metadata")?;
    let line = String::from_utf8_lossy(&code[..end]).into_owned();
    let mut parts = line.split_ascii_whitespace();
    let engine = parts.next().ok_or("Invalid library metadata")?.trim_start_matches("#!").to_string();
    let mut name: Option<Vec<u8>> = None;
    for part in parts {
        if let Some(n) = part.strip_prefix("name=") {
            if name.is_some() {
                return Err("Invalid metadata value, name argument was given multiple times".into());
            }
            name = Some(n.as_bytes().to_vec());
            continue;
        }
        return Err(format!("Invalid metadata value given: {part}"));
    }
    let name = name.ok_or("Library name was not given")?;
    if !valid_name(&name) {
        return Err(
            "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
                .into(),
        );
    }
    if !engine.eq_ignore_ascii_case("lua") {
        return Err(format!("Engine '{engine}' not found"));
    }
    Ok((name, end))
}

impl Scripting {
    fn function_vm(&mut self) -> Result<&Vm, CmdError> {
        if self.function_vm.is_none() {
            let vm = Vm::new(false).map_err(|e| CmdError::Owned(format!("ERR Lua engine failed to start: {e}")))?;
            vm.lua.set_app_data(LoadSlot::default());
            self.function_vm = Some(vm);
        }
        Ok(self.function_vm.as_ref().expect("just made"))
    }

    pub(crate) fn libraries(&self) -> &Libraries {
        &self.libraries
    }

    /// FUNCTION DELETE: false when there is no such library.
    pub(crate) fn delete_library(&mut self, name: &[u8]) -> bool {
        let Some(lib) = self.libraries.libs.remove(name) else { return false };
        for f in lib.functions.keys() {
            self.libraries.owner.remove(f);
        }
        true
    }

    /// FUNCTION FLUSH: every library, and the engine with them.
    pub(crate) fn flush_functions(&mut self) {
        self.libraries = Libraries::default();
        self.function_vm = None;
    }
}

/// A library compiled and run, not yet installed.
pub(crate) struct Compiled {
    name: Vec<u8>,
    code: Vec<u8>,
    functions: BTreeMap<Vec<u8>, FunctionInfo>,
}

/// Runs a library's code in the function engine (made if needed) and
/// collects what it registers; the error text without its `ERR` code.
fn compile_library(ctx: &mut Ctx, code: &[u8]) -> Result<Compiled, String> {
    let (name, body_start) = library_metadata(code)?;
    let scripting = &mut ctx.server.scripting;
    scripting.function_vm().map_err(|e| e.text().trim_start_matches("ERR ").to_string())?;
    let vm = scripting.function_vm.take().expect("made above");
    let registered = run_library(ctx, &vm, &code[body_start..]);
    ctx.server.scripting.function_vm = Some(vm);
    let functions = registered?;
    if functions.is_empty() {
        return Err("No functions registered".into());
    }
    Ok(Compiled { name, code: code.to_vec(), functions })
}

impl Libraries {
    /// Installs a library, replacing one of the same name.
    fn install(&mut self, lib: Compiled) {
        if let Some(old) = self.libs.remove(&lib.name) {
            for f in old.functions.keys() {
                self.owner.remove(f);
            }
        }
        for fname in lib.functions.keys() {
            self.owner.insert(fname.clone(), lib.name.clone());
        }
        self.libs.insert(lib.name, Library { code: lib.code, functions: lib.functions });
    }

    /// A function of `lib` already belongs to another library.
    fn collision(&self, lib: &Compiled, replacing: &[&[u8]]) -> Option<String> {
        lib.functions.keys().find_map(|f| {
            let owner = self.owner.get(f)?;
            (owner != &lib.name && !replacing.contains(&owner.as_slice()))
                .then(|| format!("Function {} already exists", String::from_utf8_lossy(f)))
        })
    }
}

/// FUNCTION LOAD's work: runs the library code in `ctx`'s engine and
/// installs what it registered; the library's name or the error text
/// (without its `ERR` code).
pub(crate) fn load_library(ctx: &mut Ctx, code: &[u8], replace: bool) -> Result<Vec<u8>, String> {
    let (name, _) = library_metadata(code)?;
    if !replace && ctx.server.scripting.libraries.libs.contains_key(&name) {
        return Err(format!("Library '{}' already exists", String::from_utf8_lossy(&name)));
    }
    let lib = compile_library(ctx, code)?;
    let libraries = &mut ctx.server.scripting.libraries;
    if let Some(err) = libraries.collision(&lib, &[]) {
        return Err(err);
    }
    libraries.install(lib);
    Ok(name)
}

/// How FUNCTION RESTORE treats the libraries already there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum RestorePolicy {
    Append,
    Replace,
    Flush,
}

/// FUNCTION RESTORE's work, all or nothing: the error text without `ERR`.
pub(crate) fn restore(ctx: &mut Ctx, codes: Vec<Vec<u8>>, policy: RestorePolicy) -> Result<(), String> {
    let saved = if policy == RestorePolicy::Flush {
        let scripting = &mut ctx.server.scripting;
        Some((std::mem::take(&mut scripting.libraries), scripting.function_vm.take()))
    } else {
        None
    };
    let result = restore_into(ctx, codes, policy);
    if result.is_err() {
        if let Some((libraries, vm)) = saved {
            ctx.server.scripting.libraries = libraries;
            ctx.server.scripting.function_vm = vm;
        }
    }
    result
}

fn restore_into(ctx: &mut Ctx, codes: Vec<Vec<u8>>, policy: RestorePolicy) -> Result<(), String> {
    let mut compiled: Vec<Compiled> = Vec::new();
    for code in codes {
        let lib = compile_library(ctx, &code)?;
        if compiled.iter().any(|c| c.name == lib.name) {
            return Err(format!("Library '{}' already exists", String::from_utf8_lossy(&lib.name)));
        }
        if let Some(f) = lib.functions.keys().find(|f| compiled.iter().any(|c| c.functions.contains_key(*f))) {
            return Err(format!("Function {} already exists", String::from_utf8_lossy(f)));
        }
        compiled.push(lib);
    }
    let libraries = &mut ctx.server.scripting.libraries;
    let replacing: Vec<&[u8]> =
        compiled.iter().filter(|lib| libraries.libs.contains_key(&lib.name)).map(|lib| lib.name.as_slice()).collect();
    if policy == RestorePolicy::Append {
        if let Some(name) = replacing.first() {
            return Err(format!("Library {} already exists", String::from_utf8_lossy(name)));
        }
    }
    if let Some(err) = compiled.iter().find_map(|lib| libraries.collision(lib, &replacing)) {
        return Err(err);
    }
    for lib in compiled {
        libraries.install(lib);
    }
    Ok(())
}

fn run_library(ctx: &mut Ctx, vm: &Vm, body: &[u8]) -> Result<BTreeMap<Vec<u8>, FunctionInfo>, String> {
    let chunk = vm.compile(body, "@user_function").map_err(|e| format!("Error compiling function: {e}"))?;
    if let Some(slot) = vm.lua.app_data_ref::<LoadSlot>() {
        *slot.0.borrow_mut() = Some(BTreeMap::new());
    }
    let mut run = Run::new(ctx, script_flags::NO_WRITES, std::time::Instant::now());
    let outcome = RunSlot::enter(vm.slot(), &mut run, || vm.run_load(&chunk));
    let registered = vm.lua.app_data_ref::<LoadSlot>().and_then(|slot| slot.0.borrow_mut().take()).unwrap_or_default();
    match outcome {
        Outcome::Loaded => Ok(registered),
        Outcome::Failed(err) => {
            let msg = match &err {
                Value::String(s) => format!("ERR {}", String::from_utf8_lossy(&s.as_bytes())),
                Value::Table(t) => match t.raw_get::<Value>("err") {
                    Ok(Value::String(s)) => String::from_utf8_lossy(&s.as_bytes()).into_owned(),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            Err(format!("Error registering functions: {msg}"))
        }
    }
}

/// redis.register_function(name, callback) or
/// redis.register_function{function_name=…, callback=…, flags={…}, description=…}
pub(crate) fn register_function(lua: &Lua, args: MultiValue) -> Native {
    let fail = |msg: &str| -> Native {
        Ok(MultiValue::from_vec(vec![Value::Boolean(false), Value::Table(error_table(lua, msg.as_bytes())?)]))
    };
    let loading = lua.app_data_ref::<LoadSlot>().is_some_and(|s| s.0.borrow().is_some());
    if !loading {
        return fail("redis.register_function can only be called on FUNCTION LOAD command");
    }
    let (name, info) = match args.len() {
        1 => match named_args(lua, &args[0]) {
            Ok(parsed) => parsed,
            Err(msg) => return fail(msg),
        },
        2 => {
            let Some(name) = lua.coerce_string(args[0].clone())? else {
                return fail("first argument to redis.register_function must be a string");
            };
            let Value::Function(callback) = &args[1] else {
                return fail("second argument to redis.register_function must be a function");
            };
            (name.as_bytes().to_vec(), FunctionInfo { description: None, flags: 0, callback: callback.clone() })
        }
        _ => return fail("wrong number of arguments to redis.register_function"),
    };
    if !valid_name(&name) {
        return fail(
            "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
        );
    }
    let slot = lua.app_data_ref::<LoadSlot>().expect("checked above");
    let mut registered = slot.0.borrow_mut();
    let functions = registered.as_mut().expect("checked above");
    if functions.contains_key(&name) {
        drop(registered);
        return fail("Function already exists in the library");
    }
    functions.insert(name, info);
    drop(registered);
    done(lua, vec![])
}

fn named_args(lua: &Lua, arg: &Value) -> Result<(Vec<u8>, FunctionInfo), &'static str> {
    let Value::Table(t) = arg else {
        return Err("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
    };
    let (mut name, mut description, mut callback, mut flags) = (None, None, None, 0);
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair.map_err(|_| "named argument key given to redis.register_function is not a string")?;
        let key = match &k {
            Value::String(s) => s.as_bytes().to_vec(),
            Value::Number(_) | Value::Integer(_) => {
                lua.coerce_string(k.clone()).ok().flatten().map(|s| s.as_bytes().to_vec()).unwrap_or_default()
            }
            _ => return Err("named argument key given to redis.register_function is not a string"),
        };
        let string_value = |v: &Value| lua.coerce_string(v.clone()).ok().flatten().map(|s| s.as_bytes().to_vec());
        if key.eq_ignore_ascii_case(b"function_name") {
            name = Some(
                string_value(&v).ok_or("function_name argument given to redis.register_function must be a string")?,
            );
        } else if key.eq_ignore_ascii_case(b"description") {
            description =
                Some(string_value(&v).ok_or("description argument given to redis.register_function must be a string")?);
        } else if key.eq_ignore_ascii_case(b"callback") {
            let Value::Function(f) = v else {
                return Err("callback argument given to redis.register_function must be a function");
            };
            callback = Some(f);
        } else if key.eq_ignore_ascii_case(b"flags") {
            let Value::Table(list) = v else {
                return Err("flags argument to redis.register_function must be a table representing function flags");
            };
            for i in 1.. {
                let item: Value = list.get(i).unwrap_or(Value::Nil);
                if item.is_nil() {
                    break;
                }
                let text = string_value(&item).ok_or("unknown flag given")?;
                flags |= script_flags::by_name(&text, true).ok_or("unknown flag given")?;
            }
        } else {
            return Err("unknown argument given to redis.register_function");
        }
    }
    let name = name.ok_or("redis.register_function must get a function name argument")?;
    let callback = callback.ok_or("redis.register_function must get a callback argument")?;
    Ok((name, FunctionInfo { description, flags, callback }))
}

/// FCALL / FCALL_RO function numkeys [key …] [arg …]
pub(crate) fn fcall(ctx: &mut Ctx, argv: &[&[u8]], read_only_command: bool) -> CmdResult {
    let libraries = &ctx.server.scripting.libraries;
    let Some(info) = libraries.owner.get(argv[1]).and_then(|lib| libraries.libs.get(lib)?.functions.get(argv[1]))
    else {
        return Err(CmdError::Static("ERR Function not found"));
    };
    let (flags, callback) = (info.flags, info.callback.clone());
    let numkeys = crate::resp::parser::parse_i64(argv[2]).ok_or(CmdError::Static("ERR Bad number of keys provided"))?;
    if numkeys > (argv.len() - 3) as i64 {
        return Err(CmdError::Static("ERR Number of keys can't be greater than number of args"));
    }
    if numkeys < 0 {
        return Err(CmdError::Static("ERR Number of keys can't be negative"));
    }
    check_flags(flags, read_only_command)?;
    let Some(vm) = ctx.server.scripting.function_vm.take() else {
        return Err(CmdError::Static("ERR Function not found"));
    };
    let split = 3 + numkeys as usize;
    let name = String::from_utf8_lossy(argv[1]).into_owned();
    let entry = (|| vm.bind(&callback, vm.array(&argv[3..split])?, vm.array(&argv[split..])?))();
    let entry = match entry {
        Ok(f) => f,
        Err(e) => {
            ctx.server.scripting.function_vm = Some(vm);
            return Err(CmdError::Owned(format!("ERR {e}")));
        }
    };
    busy::run(
        ctx,
        vm,
        busy::Start::Function(entry),
        super::eval::run_flags(flags, read_only_command),
        &name,
        false,
        argv,
    )
}
