//! The Rust side of the `redis` table (see `sandbox.lua` for how these are
//! wrapped): call/pcall, sha1hex, error_reply, status_reply, log, setresp,
//! set_repl, acl_check_cmd, and `math.random`. Functions that can fail
//! answer `(true, n, values…)` or `(false, error)`; the Lua wrapper raises
//! the error at the script's line, as Redis's C functions do.

use mlua::{Function, Lua, MultiValue, Table, Value};

use super::call::with_run;
use super::convert::{arg_bytes, error_table};
use super::sha1::sha1_hex;
use crate::command::table::subcommand;
use crate::commands::REDIS_VERSION;

/// `REDIS_VERSION_NUM`: 0x00MMmmpp.
const REDIS_VERSION_NUM: u32 = 0x0007_0204;

pub(crate) type Native = mlua::Result<MultiValue>;

/// Success with these values.
pub(crate) fn done(lua: &Lua, values: Vec<Value>) -> Native {
    let mut out = vec![Value::Boolean(true), Value::Number(values.len() as f64)];
    out.extend(values);
    let _ = lua;
    Ok(MultiValue::from_vec(out))
}

/// A plain error message, raised with the script's position in front.
pub(crate) fn fail(lua: &Lua, msg: &str) -> Native {
    Ok(MultiValue::from_vec(vec![Value::Boolean(false), Value::String(lua.create_string(msg)?)]))
}

/// An error table (`{err = "ERR msg"}`), raised as Redis's luaError does.
fn fail_table(lua: &Lua, msg: &str) -> Native {
    Ok(MultiValue::from_vec(vec![Value::Boolean(false), Value::Table(error_table(lua, msg.as_bytes())?)]))
}

/// The table handed to `sandbox.lua`.
pub(crate) fn natives(lua: &Lua, libs: Table) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let (call, pcall) = super::raw_call::install(lua)?;
    t.set("call", call)?;
    t.set("pcall", pcall)?;
    let raising = |f: Function| super::raw_call::raising(lua, f);
    t.set("sha1hex", raising(lua.create_function(sha1hex)?)?)?;
    t.set("setresp", raising(lua.create_function(setresp)?)?)?;
    t.set("set_repl", raising(lua.create_function(set_repl)?)?)?;
    t.set("log", raising(lua.create_function(log)?)?)?;
    t.set("acl_check_cmd", raising(lua.create_function(acl_check_cmd)?)?)?;
    t.set("error_reply", lua.create_function(error_reply)?)?;
    t.set("status_reply", lua.create_function(status_reply)?)?;
    t.set("random", raising(lua.create_function(random)?)?)?;
    t.set("randomseed", raising(lua.create_function(randomseed)?)?)?;
    t.set("register_function", raising(lua.create_function(super::functions::register_function)?)?)?;
    for lib in libs.clone().pairs::<Value, Table>() {
        let (_, funcs) = lib?;
        for entry in funcs.clone().pairs::<Value, Value>() {
            if let (name, Value::Function(f)) = entry? {
                funcs.set(name, raising(f)?)?;
            }
        }
    }
    let constants = lua.create_table()?;
    for (name, value) in [
        ("LOG_DEBUG", 0),
        ("LOG_VERBOSE", 1),
        ("LOG_NOTICE", 2),
        ("LOG_WARNING", 3),
        ("REPL_NONE", 0),
        ("REPL_AOF", 1),
        ("REPL_SLAVE", 2),
        ("REPL_REPLICA", 2),
        ("REPL_ALL", 3),
        ("REDIS_VERSION_NUM", REDIS_VERSION_NUM as i32),
    ] {
        constants.set(name, value as f64)?;
    }
    constants.set("REDIS_VERSION", REDIS_VERSION)?;
    t.set("constants", constants)?;
    t.set("libs", libs)?;
    Ok(t)
}

/// The command line of a redis.call / acl_check_cmd, or the error Redis
/// gives for it.
fn command_args(args: &[Value]) -> Result<Vec<Vec<u8>>, &'static str> {
    if args.is_empty() {
        return Err("Please specify at least one argument for this redis lib call");
    }
    args.iter()
        .map(arg_bytes)
        .collect::<Option<Vec<_>>>()
        .ok_or("Lua redis lib command arguments must be strings or integers")
}

fn sha1hex(lua: &Lua, args: MultiValue) -> Native {
    if args.len() != 1 {
        return fail_table(lua, "wrong number of arguments");
    }
    let text = lua.coerce_string(args[0].clone())?.map(|s| s.as_bytes().to_vec()).unwrap_or_default();
    done(lua, vec![Value::String(lua.create_string(sha1_hex(&text))?)])
}

fn setresp(lua: &Lua, args: MultiValue) -> Native {
    if args.len() != 1 {
        return fail_table(lua, "redis.setresp() requires one argument.");
    }
    let resp = lua.coerce_number(args[0].clone())?.unwrap_or(0.0) as i64;
    if resp != 2 && resp != 3 {
        return fail_table(lua, "RESP version must be 2 or 3.");
    }
    with_run(lua, |run| run.resp3 = resp == 3);
    done(lua, vec![])
}

fn set_repl(lua: &Lua, args: MultiValue) -> Native {
    if args.len() != 1 {
        return fail_table(lua, "redis.set_repl() requires one argument.");
    }
    let flags = lua.coerce_number(args[0].clone())?.unwrap_or(0.0) as i64;
    if flags & !3 != 0 {
        return fail_table(lua, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    }
    with_run(lua, |run| run.repl = flags as u8);
    done(lua, vec![])
}

fn log(lua: &Lua, args: MultiValue) -> Native {
    if args.len() < 2 {
        return fail_table(lua, "redis.log() requires two arguments or more.");
    }
    let Some(level) = lua.coerce_number(args[0].clone())? else {
        return fail_table(lua, "First argument must be a number (log level).");
    };
    let level = level as i64;
    if !(0..=3).contains(&level) {
        return fail_table(lua, "Invalid debug level.");
    }
    let mut parts = Vec::new();
    for v in args.iter().skip(1) {
        if let Some(s) = lua.coerce_string(v.clone())? {
            parts.push(String::from_utf8_lossy(&s.as_bytes()).into_owned());
        }
    }
    let message = parts.join(" ");
    with_run(lua, |run| run.ctx().server.events.logs.push((level as u8, message)));
    done(lua, vec![])
}

fn acl_check_cmd(lua: &Lua, args: MultiValue) -> Native {
    let argv = match command_args(&args.into_vec()) {
        Ok(argv) => argv,
        Err(msg) => return fail_table(lua, msg),
    };
    let allowed = with_run(lua, |run| {
        let ctx = run.ctx();
        let spec = ctx.server.commands.get(&argv[0])?;
        let spec = match argv.get(1) {
            Some(sub) if !spec.subcommands.is_empty() => subcommand(spec, sub)?,
            _ => spec,
        };
        let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        Some(crate::acl::evaluate(&ctx.server.acl, &ctx.client.acl, spec, &args).is_ok())
    })
    .flatten();
    match allowed {
        Some(allowed) => done(lua, vec![Value::Boolean(allowed)]),
        None => fail_table(lua, "Invalid command passed to redis.acl_check_cmd()"),
    }
}

fn error_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match args.front() {
        Some(Value::String(s)) if args.len() == 1 => {
            let text = s.as_bytes();
            if text.first() == Some(&b'-') {
                error_table(lua, &text)
            } else {
                error_table(lua, &[b"-".as_slice(), &text].concat())
            }
        }
        _ => error_table(lua, b"wrong number or type of arguments"),
    }
}

fn status_reply(lua: &Lua, args: MultiValue) -> mlua::Result<Table> {
    match args.front() {
        Some(Value::String(s)) if args.len() == 1 => {
            let t = lua.create_table()?;
            t.raw_set("ok", s.clone())?;
            Ok(t)
        }
        _ => error_table(lua, b"wrong number or type of arguments"),
    }
}

/// luaL_checkint: a number (or a numeric string) truncated to int.
fn check_int(lua: &Lua, args: &MultiValue, i: usize, fname: &str) -> Result<i64, String> {
    let v = args.get(i).cloned().unwrap_or(Value::Nil);
    match lua.coerce_number(v.clone()) {
        Ok(Some(n)) => Ok(n as i64 as i32 as i64),
        _ => {
            let got = if matches!(v, Value::Nil) && i >= args.len() { "no value" } else { v.type_name() };
            Err(format!("bad argument #{} to '{fname}' (number expected, got {got})", i + 1))
        }
    }
}

fn random(lua: &Lua, args: MultiValue) -> Native {
    let Some(r) = with_run(lua, |run| run.ctx().server.scripting.rand.unit()) else {
        return fail(lua, "math.random is only available while a script runs");
    };
    let result = match args.len() {
        0 => r,
        1 => {
            let u = match check_int(lua, &args, 0, "random") {
                Ok(u) => u,
                Err(e) => return fail(lua, &e),
            };
            if u < 1 {
                return fail(lua, "bad argument #1 to 'random' (interval is empty)");
            }
            (r * u as f64).floor() + 1.0
        }
        2 => {
            let l = match check_int(lua, &args, 0, "random") {
                Ok(v) => v,
                Err(e) => return fail(lua, &e),
            };
            let u = match check_int(lua, &args, 1, "random") {
                Ok(v) => v,
                Err(e) => return fail(lua, &e),
            };
            if l > u {
                return fail(lua, "bad argument #2 to 'random' (interval is empty)");
            }
            (r * (u - l + 1) as f64).floor() + l as f64
        }
        _ => return fail(lua, "wrong number of arguments"),
    };
    done(lua, vec![Value::Number(result)])
}

fn randomseed(lua: &Lua, args: MultiValue) -> Native {
    let seed = match check_int(lua, &args, 0, "randomseed") {
        Ok(v) => v,
        Err(e) => return fail(lua, &e),
    };
    with_run(lua, |run| run.ctx().server.scripting.rand.seed(seed as i32));
    done(lua, vec![])
}
