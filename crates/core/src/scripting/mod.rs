//! Lua scripting as Redis 7.2 runs it: EVAL scripts and FUNCTION
//! libraries on Lua 5.1.
//!
//! - `sandbox` (+ `sandbox.lua`): the Lua state, its libraries and locks.
//! - `api`: the Rust side of the `redis` table and `math.random`.
//! - `call`: the run in progress and `redis.call`'s path to the commands;
//!   `raw_call`: redis.call/pcall themselves, as C functions.
//! - `convert`: Lua values ↔ RESP replies.
//! - `eval`: the script cache, shebang flags, running EVAL/EVALSHA.
//! - `functions`: libraries, `redis.register_function`, FCALL, RESTORE;
//!   `dump`: the FUNCTION DUMP payload format.
//! - `libs`: cjson, cmsgpack, bit and struct, written here in Rust.
//! - `sha1`, `rand48`: script names and Redis's `math.random` generator.
//!
//! The commands themselves are declared in `commands::scripting`.
//!
//! - `coroutine` and `busy`: a script that runs past busy-reply-threshold is
//!   paused and resumed on the engine's tick; meanwhile other clients get
//!   `-BUSY` and SCRIPT KILL / FUNCTION KILL can stop it.

mod api;
mod busy;
pub(crate) use busy::kill;
pub use busy::{resume_paused, PausedClient};
mod call;
pub mod convert;
pub(crate) mod coroutine;
pub(crate) mod dump;
pub(crate) mod eval;
pub(crate) mod functions;
mod libs;
mod rand48;
mod raw_call;
mod sandbox;
pub mod sha1;

use foldhash::HashMap;

use eval::Script;
use functions::Libraries;
use rand48::Rand48;
use sandbox::Vm;

/// Every engine's scripting state.
#[derive(Default)]
pub struct Scripting {
    /// The EVAL engine, made on first use and dropped by SCRIPT FLUSH.
    eval_vm: Option<Vm>,
    /// sha1 → script, for EVALSHA and SCRIPT EXISTS.
    scripts: HashMap<String, Script>,
    /// The FUNCTION engine, made on first use.
    function_vm: Option<Vm>,
    libraries: Libraries,
    /// `math.random`'s generator, shared by every script as in Redis.
    rand: Rand48,
    /// A script paused past busy-reply-threshold (see `busy`).
    paused: Option<Box<busy::Paused>>,
}

impl Scripting {
    /// The flags the script an EVAL/EVALSHA/FCALL (or `_RO`) command names
    /// declared, read before it runs as Redis's `getCommandFlags` reads
    /// them: a cached script's, an uncached EVAL body's shebang, a
    /// function's registered flags. `None` for other commands, unknown
    /// scripts and EVAL scripts without a shebang: the command's own flags
    /// then stand.
    pub(crate) fn declared_flags(&self, command: &str, argv: &[&[u8]]) -> Option<u32> {
        let name = *argv.get(1)?;
        let flags = match command {
            "eval" | "eval_ro" => match self.scripts.get(&sha1::sha1_hex(name)) {
                Some(script) => script.flags,
                None => eval::shebang_flags(name).ok()?.0,
            },
            "evalsha" | "evalsha_ro" => self.scripts.get(&String::from_utf8_lossy(name).to_ascii_lowercase())?.flags,
            "fcall" | "fcall_ro" => {
                let libraries = &self.libraries;
                libraries.libs.get(libraries.owner.get(name)?)?.functions.get(name)?.flags
            }
            _ => return None,
        };
        Some(flags).filter(|f| f & script_flags::EVAL_COMPAT == 0)
    }

    /// What INFO memory reports of both engines.
    pub fn memory_figures(&self) -> ScriptMemory {
        let libs = &self.libraries.libs;
        ScriptMemory {
            eval_vm: self.eval_vm.as_ref().map_or(0, Vm::memory),
            functions_vm: self.function_vm.as_ref().map_or(0, Vm::memory),
            // Each cached script: its SHA-1 key and its source, as Redis counts them.
            eval_scripts: self.scripts.values().map(|s| 40 + s.body_len).sum(),
            functions: libs.values().map(|l| l.code.len() + l.functions.keys().map(Vec::len).sum::<usize>()).sum(),
            cached_scripts: self.scripts.len(),
            libraries: libs.len(),
            function_count: self.libraries.owner.len(),
        }
    }
}

/// INFO memory's scripting fields, in bytes and counts.
pub struct ScriptMemory {
    pub eval_vm: usize,
    pub functions_vm: usize,
    pub eval_scripts: usize,
    pub functions: usize,
    pub cached_scripts: usize,
    pub libraries: usize,
    pub function_count: usize,
}

/// Script flags, from an EVAL shebang or `register_function`.
pub mod script_flags {
    pub const NO_WRITES: u32 = 1;
    pub const ALLOW_OOM: u32 = 2;
    pub const ALLOW_STALE: u32 = 4;
    pub const NO_CLUSTER: u32 = 8;
    pub const ALLOW_CROSS_SLOT_KEYS: u32 = 16;
    /// An EVAL script without a shebang: Redis's pre-7.0 rules.
    pub const EVAL_COMPAT: u32 = 32;

    pub const NAMES: [(u32, &str); 5] = [
        (NO_WRITES, "no-writes"),
        (ALLOW_OOM, "allow-oom"),
        (ALLOW_STALE, "allow-stale"),
        (NO_CLUSTER, "no-cluster"),
        (ALLOW_CROSS_SLOT_KEYS, "allow-cross-slot-keys"),
    ];

    /// A flag by its exact name (shebangs) or any case (register_function).
    pub fn by_name(name: &[u8], any_case: bool) -> Option<u32> {
        NAMES
            .iter()
            .find(|(_, n)| if any_case { n.as_bytes().eq_ignore_ascii_case(name) } else { n.as_bytes() == name })
            .map(|(bit, _)| *bit)
    }
}

#[cfg(test)]
mod tests;
