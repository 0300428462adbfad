//! String commands: GET SET SETNX SETEX PSETEX GETEX GETDEL GETSET MGET MSET
//! MSETNX INCR DECR INCRBY DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SUBSTR
//! SETRANGE LCS, with Redis 7.2's replies, errors and value encodings.
//!
//! - `set`: SET and its variants, and the GET-and-change commands.
//! - `counter`: INCR/DECR and INCRBYFLOAT.
//! - `range`: APPEND, GETRANGE, SETRANGE.
//! - `lcs`: LCS.
//! - this file: the declarations, the lookups every handler shares, and the
//!   plain readers and multi-key writers (GET MGET STRLEN MSET MSETNX).

use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::Reply;
use crate::types::{StrValue, Value};

mod counter;
mod lcs;
mod range;
mod set;
#[cfg(test)]
mod tests;

const STRING: CommandSpec =
    CommandSpec { group: Group::String, acl: AclCategory::String.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

const RANGE_COMPLEXITY: &str = "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.";

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Returns the string value of a key.",
        exec: Exec::Core(get),
        ..STRING
    },
    CommandSpec {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
        exec: Exec::Core(set::set),
        ..STRING
    },
    CommandSpec {
        name: "setnx",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Set the string value of a key only when the key doesn't exist.",
        exec: Exec::Core(set::setnx),
        ..STRING
    },
    CommandSpec {
        name: "setex",
        arity: 4,
        flags: WRITE | DENYOOM,
        since: "2.0.0",
        summary: "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
        exec: Exec::Core(set::setex),
        ..STRING
    },
    CommandSpec {
        name: "psetex",
        arity: 4,
        flags: WRITE | DENYOOM,
        since: "2.6.0",
        summary: "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.",
        exec: Exec::Core(set::setex),
        ..STRING
    },
    CommandSpec {
        name: "getex",
        arity: -2,
        flags: WRITE | FAST,
        since: "6.2.0",
        summary: "Returns the string value of a key after setting its expiration time.",
        exec: Exec::Core(set::getex),
        ..STRING
    },
    CommandSpec {
        name: "getdel",
        arity: 2,
        flags: WRITE | FAST,
        since: "6.2.0",
        summary: "Returns the string value of a key after deleting the key.",
        exec: Exec::Core(set::getdel),
        ..STRING
    },
    CommandSpec {
        name: "getset",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Returns the previous string value of a key after setting it to a new value.",
        exec: Exec::Core(set::getset),
        ..STRING
    },
    CommandSpec {
        name: "mget",
        arity: -2,
        flags: READONLY | FAST,
        keys: KeySpec::ALL,
        summary: "Atomically returns the string values of one or more keys.",
        complexity: "O(N) where N is the number of keys to retrieve.",
        exec: Exec::Core(mget),
        ..STRING
    },
    CommandSpec {
        name: "mset",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::PAIRS,
        since: "1.0.1",
        summary: "Atomically creates or modifies the string values of one or more keys.",
        complexity: "O(N) where N is the number of keys to set.",
        exec: Exec::Core(mset),
        ..STRING
    },
    CommandSpec {
        name: "msetnx",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::PAIRS,
        since: "1.0.1",
        summary: "Atomically modifies the string values of one or more keys only when all keys don't exist.",
        complexity: "O(N) where N is the number of keys to set.",
        exec: Exec::Core(mset),
        ..STRING
    },
    CommandSpec {
        name: "incr",
        arity: 2,
        flags: WRITE | DENYOOM | FAST,
        summary: "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        exec: Exec::Core(counter::incr),
        ..STRING
    },
    CommandSpec {
        name: "decr",
        arity: 2,
        flags: WRITE | DENYOOM | FAST,
        summary: "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.",
        exec: Exec::Core(counter::incr),
        ..STRING
    },
    CommandSpec {
        name: "incrby",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        exec: Exec::Core(counter::incr),
        ..STRING
    },
    CommandSpec {
        name: "decrby",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.",
        exec: Exec::Core(counter::incr),
        ..STRING
    },
    CommandSpec {
        name: "incrbyfloat",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        since: "2.6.0",
        summary: "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.",
        exec: Exec::Core(counter::incrbyfloat),
        ..STRING
    },
    CommandSpec {
        name: "append",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        since: "2.0.0",
        summary: "Appends a string to the value of a key. Creates the key if it doesn't exist.",
        complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
        exec: Exec::Core(range::append),
        ..STRING
    },
    CommandSpec {
        name: "strlen",
        arity: 2,
        flags: READONLY | FAST,
        since: "2.2.0",
        summary: "Returns the length of a string value.",
        exec: Exec::Core(strlen),
        ..STRING
    },
    CommandSpec {
        name: "getrange",
        arity: 4,
        flags: READONLY,
        since: "2.4.0",
        summary: "Returns a substring of the string stored at a key.",
        complexity: RANGE_COMPLEXITY,
        exec: Exec::Core(range::getrange),
        ..STRING
    },
    CommandSpec {
        name: "substr",
        arity: 4,
        flags: READONLY,
        summary: "Returns a substring from a string value.",
        complexity: RANGE_COMPLEXITY,
        exec: Exec::Core(range::getrange),
        ..STRING
    },
    CommandSpec {
        name: "setrange",
        arity: 4,
        flags: WRITE | DENYOOM,
        since: "2.2.0",
        summary: "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.",
        complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
        exec: Exec::Core(range::setrange),
        ..STRING
    },
    CommandSpec {
        name: "lcs",
        arity: -3,
        flags: READONLY,
        keys: KeySpec::TWO,
        since: "7.0.0",
        summary: "Finds the longest common substring.",
        complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        exec: Exec::Core(lcs::lcs),
        ..STRING
    },
];

/// Looks `key` up for reading (lazy expiry, keyspace hit or miss, as
/// Redis's `lookupKeyRead`) and hands its string to `f` beside the reply
/// writer, so a value is written out without being copied first. Another
/// type is WRONGTYPE and `f` does not run.
fn read_str<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(Option<&mut StrValue>, &mut Reply) -> R,
) -> Result<R, CmdError> {
    ctx.read_with(key, |value, out| match value {
        None => Ok(f(None, out)),
        Some(Value::Str(s)) => Ok(f(Some(s), out)),
        Some(_) => Err(errors::WRONGTYPE),
    })
}

/// Redis's `getGenericCommand`: replies with the value or null; true if
/// the key held a string.
fn reply_value(ctx: &mut Ctx, key: &[u8]) -> Result<bool, CmdError> {
    read_str(ctx, key, |found, out| match found {
        Some(s) => {
            s.with_bytes(|b| out.bulk(b));
            true
        }
        None => {
            out.null();
            false
        }
    })
}

/// Redis's `checkStringLength`: a string may not grow past proto-max-bulk-len.
/// `max` is the configured limit, read before the value is borrowed.
fn check_length(max: u64, size: usize, growth: usize) -> CmdResult {
    match (size as u64).checked_add(growth as u64) {
        Some(total) if total <= max => Ok(()),
        _ => Err(errors::STRING_TOO_LONG),
    }
}

/// GET key
fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_value(ctx, argv[1]).map(drop)
}

/// MGET key [key ...]
fn mget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.out.array_len(argv.len() - 1);
    for key in &argv[1..] {
        // A key of another type reads as null here, not as an error.
        ctx.read_with(key, |value, out| match value {
            Some(Value::Str(s)) => s.with_bytes(|b| out.bulk(b)),
            _ => out.null(),
        });
    }
    Ok(())
}

/// STRLEN key
fn strlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let len = read_str(ctx, argv[1], |found, _| found.map_or(0, |s| s.len()))?;
    ctx.out.int(len as i64);
    Ok(())
}

/// MSET key value [key value ...]
/// MSETNX key value [key value ...]
fn mset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len().is_multiple_of(2) {
        return Err(errors::wrong_arity(ctx.spec.name));
    }
    let nx = ctx.spec.name == "msetnx";
    // MSETNX sets all or nothing: one existing key and none is written.
    if nx && argv[1..].chunks(2).any(|pair| ctx.write(pair[0]).is_some()) {
        ctx.out.int(0);
        return Ok(());
    }
    for pair in argv[1..].chunks(2) {
        ctx.db().set(pair[0], Value::Str(StrValue::from_bytes(pair[1])));
        ctx.changed(class::STRING, "set", pair[0]);
    }
    ctx.dirty((argv.len() / 2) as u64);
    if nx {
        ctx.out.int(1);
    } else {
        ctx.out.ok();
    }
    Ok(())
}
