//! EVAL scripts: the cache named by SHA-1, shebang flags, and one run.

use mlua::{Function, Value};

use super::busy::{self, Start};
use super::convert::{err_field, write_lua_reply};
use super::coroutine::Step;
use super::sandbox::Vm;
use super::sha1::sha1_hex;
use super::{script_flags, Scripting};
use crate::command::args;
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;

pub(crate) struct Script {
    pub flags: u32,
    pub function: Function,
    /// Bytes of its source (INFO's `used_memory_scripts_eval`).
    pub body_len: usize,
    /// `function` in the EVAL engine's registry (`Vm::reference`).
    pub reference: std::ffi::c_int,
}

pub(crate) const NOSCRIPT: CmdError = CmdError::Static("NOSCRIPT No matching script. Please use EVAL.");

/// Reads a `#!lua flags=…` first line: the flags (EVAL_COMPAT when there
/// is no shebang) and how many bytes the line takes (its newline is kept,
/// so line numbers stay the user's).
pub(crate) fn shebang_flags(body: &[u8]) -> Result<(u32, usize), CmdError> {
    if !body.starts_with(b"#!") {
        return Ok((script_flags::EVAL_COMPAT, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err(CmdError::Static("ERR Invalid script shebang"));
    };
    let line = String::from_utf8_lossy(&body[..end]).into_owned();
    let mut parts = line.split_ascii_whitespace();
    let Some(engine) = parts.next() else {
        return Err(CmdError::Static("ERR Invalid engine in script shebang"));
    };
    if engine != "#!lua" {
        return Err(CmdError::Owned(format!("ERR Unexpected engine in script shebang: {engine}")));
    }
    let mut flags = 0;
    for part in parts {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(CmdError::Owned(format!("ERR Unknown lua shebang option: {part}")));
        };
        if list.is_empty() {
            continue;
        }
        for name in list.split(',') {
            flags |= script_flags::by_name(name.as_bytes(), false)
                .ok_or_else(|| CmdError::Owned(format!("ERR Unexpected flag in script shebang: {name}")))?;
        }
    }
    Ok((flags, end))
}

impl Scripting {
    fn eval_vm(&mut self) -> Result<&Vm, CmdError> {
        if self.eval_vm.is_none() {
            self.eval_vm =
                Some(Vm::new(true).map_err(|e| CmdError::Owned(format!("ERR Lua engine failed to start: {e}")))?);
        }
        Ok(self.eval_vm.as_ref().expect("just made"))
    }

    /// Compiles and caches `body` unless it is cached; its SHA-1.
    pub(crate) fn load_script(&mut self, body: &[u8]) -> Result<String, CmdError> {
        let sha = sha1_hex(body);
        if self.scripts.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, skip) = shebang_flags(body)?;
        let vm = self.eval_vm()?;
        let function = vm
            .compile(&body[skip..], "@user_script")
            .map_err(|e| CmdError::Owned(format!("ERR Error compiling script (new function): {e}")))?;
        let reference = vm.reference(&function).map_err(|e| CmdError::Owned(format!("ERR {e}")))?;
        self.scripts.insert(sha.clone(), Script { flags, function, body_len: body.len(), reference });
        Ok(sha)
    }

    pub(crate) fn script_exists(&self, sha: &[u8]) -> bool {
        let mut lowered = [0u8; 40];
        digest_key(sha, &mut lowered).is_some_and(|key| self.scripts.contains_key(key))
    }

    /// SCRIPT FLUSH: every cached script and the engine with them.
    pub(crate) fn flush_scripts(&mut self) {
        self.scripts.clear();
        self.eval_vm = None;
    }
}

/// The cache's key for a digest as a client typed it, in `buf`: SHA-1
/// digests are hex, so any case names the same script; anything that is
/// not 40 characters names none.
fn digest_key<'a>(sha: &[u8], buf: &'a mut [u8; 40]) -> Option<&'a str> {
    if sha.len() != 40 {
        return None;
    }
    buf.copy_from_slice(sha);
    buf.make_ascii_lowercase();
    std::str::from_utf8(buf).ok()
}

/// EVAL / EVALSHA / EVAL_RO / EVALSHA_RO script numkeys [key …] [arg …]
pub(crate) fn eval(ctx: &mut Ctx, argv: &[&[u8]], by_sha: bool, read_only_command: bool) -> CmdResult {
    let numkeys = args::int(argv[2])?;
    if numkeys > (argv.len() - 3) as i64 {
        return Err(CmdError::Static("ERR Number of keys can't be greater than number of args"));
    }
    if numkeys < 0 {
        return Err(CmdError::Static("ERR Number of keys can't be negative"));
    }
    let mut lowered = [0u8; 40];
    let loaded;
    let sha = if by_sha {
        digest_key(argv[1], &mut lowered).ok_or(NOSCRIPT)?
    } else {
        loaded = ctx.server.scripting.load_script(argv[1])?;
        loaded.as_str()
    };
    let scripting = &mut ctx.server.scripting;
    let Some(script) = scripting.scripts.get(sha) else {
        return Err(NOSCRIPT);
    };
    let (flags, reference) = (script.flags, script.reference);
    check_flags(flags, read_only_command)?;
    let split = 3 + numkeys as usize;
    let Some(vm) = scripting.eval_vm.take() else {
        return Err(NOSCRIPT);
    };
    let spare = vm.take_spare_thread();
    if let Err(e) = vm.prepare_eval(&argv[3..split], &argv[split..], reference, spare.as_ref()) {
        scripting.eval_vm = Some(vm);
        return Err(CmdError::Owned(format!("ERR {e}")));
    }
    // The spare coroutine has the function on it now; without one, a new
    // coroutine starts from it.
    let start = match spare {
        Some(thread) => Start::Loaded(thread),
        None => Start::Function(script.function.clone()),
    };
    busy::run(ctx, vm, start, run_flags(flags, read_only_command), sha, true, argv)
}

/// The flags a run obeys: the script's own, plus no-writes for the *_RO
/// commands (which also refuse writes from scripts without a shebang).
pub(crate) fn run_flags(flags: u32, read_only_command: bool) -> u32 {
    if read_only_command {
        flags | script_flags::NO_WRITES
    } else {
        flags
    }
}

/// Redis's checks of a script's declared flags before it runs.
pub(crate) fn check_flags(flags: u32, read_only_command: bool) -> CmdResult {
    if flags & script_flags::EVAL_COMPAT != 0 {
        return Ok(());
    }
    if flags & script_flags::NO_WRITES == 0 && read_only_command {
        return Err(CmdError::Static("ERR Can not execute a script with write flag using *_ro command."));
    }
    Ok(())
}

/// Writes the result of a finished script (or its error) to the caller.
pub(crate) fn finish_step(ctx: &mut Ctx, step: Step, resp3: bool, name: &str) -> CmdResult {
    match step {
        Step::Returned(value) => {
            if let Some(text) = err_field(&value) {
                return Err(CmdError::Owned(String::from_utf8_lossy(&text).into_owned()));
            }
            let errors = write_lua_reply(ctx.out, &value, resp3);
            ctx.server.stats.total_error_replies += errors;
            Ok(())
        }
        Step::ReturnedBytes(bytes) => {
            ctx.out.bulk(&bytes);
            Ok(())
        }
        Step::Failed(err) => Err(CmdError::Owned(error_text(&err, name))),
        Step::Paused => Ok(()),
    }
}

/// `<err> script: <name>, on <source>:<line>.`, as Redis words a failed run.
pub(crate) fn error_text(err: &Value, name: &str) -> String {
    let Value::Table(t) = err else {
        let msg = match err {
            Value::String(s) => String::from_utf8_lossy(&s.as_bytes()).into_owned(),
            _ => "execution failure".to_string(),
        };
        let cut: String = msg.chars().take(100).collect();
        return format!("ERR Error running script {name}, {cut}");
    };
    let field = |key: &str| -> Option<String> {
        match t.raw_get::<Value>(key).ok()? {
            Value::String(s) => Some(String::from_utf8_lossy(&s.as_bytes()).into_owned()),
            Value::Number(n) => Some(super::convert::format_lua_number(n)),
            Value::Integer(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut text = field("err").unwrap_or_default();
    if let (Some(source), Some(line)) = (field("source"), field("line")) {
        text.push_str(&format!(" script: {name}, on {source}:{line}."));
    }
    text
}
