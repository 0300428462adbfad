//! OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP: introspection that
//! looks a key up without counting as an access to it. Handlers get the
//! whole command line, so the key is `argv[2]`.

use super::inspect;
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;
use crate::types::{StrValue, Value};

const LFU_SELECTED: CmdError = CmdError::Static(
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);
const LFU_NOT_SELECTED: CmdError = CmdError::Static(
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);

/// What Redis reports as the refcount of its shared integer objects.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;
/// Redis shares one object for each integer value below this.
const SHARED_INTEGERS: i64 = 10_000;

/// OBJECT ENCODING key
pub(super) fn encoding(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    match inspect(ctx, argv[2]).map(|v| v.encoding()) {
        Some(name) => ctx.out.bulk_str(name),
        None => ctx.out.null(),
    }
    Ok(())
}

/// OBJECT REFCOUNT key
///
/// Values are never shared here, so 1 — except small integers, which Redis
/// serves from shared objects and so reports as such, unless maxmemory with
/// an LFU policy makes every value carry its own counter.
pub(super) fn refcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let shareable = ctx.server.config.maxmemory == 0 || !ctx.db().tracking().is_lfu();
    let count = match inspect(ctx, argv[2]) {
        None => {
            ctx.out.null();
            return Ok(());
        }
        Some(Value::Str(StrValue::Int(n))) if shareable && (0..SHARED_INTEGERS).contains(n) => SHARED_REFCOUNT,
        Some(_) => 1,
    };
    ctx.out.int(count);
    Ok(())
}

/// OBJECT IDLETIME key
pub(super) fn idletime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[2];
    if inspect(ctx, key).is_none() {
        ctx.out.null();
        return Ok(());
    }
    let now = ctx.now;
    let db = ctx.db();
    if db.tracking().is_lfu() {
        return Err(LFU_SELECTED);
    }
    let idle = db.idle_ms(key, now).unwrap_or(0);
    ctx.out.int((idle / 1000) as i64);
    Ok(())
}

/// OBJECT FREQ key
pub(super) fn freq(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[2];
    if inspect(ctx, key).is_none() {
        ctx.out.null();
        return Ok(());
    }
    let now = ctx.now;
    let db = ctx.db();
    if !db.tracking().is_lfu() {
        return Err(LFU_NOT_SELECTED);
    }
    let count = db.lfu_freq(key, now).unwrap_or(0);
    ctx.out.int(count as i64);
    Ok(())
}

/// OBJECT HELP
pub(super) fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    const LINES: &[&str] = &[
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
    ];
    ctx.out.array_len(LINES.len());
    for line in LINES {
        ctx.out.simple(line);
    }
    Ok(())
}
