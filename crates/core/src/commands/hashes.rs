//! Hash commands: HSET HSETNX HMSET HGET HMGET HGETALL HKEYS HVALS HLEN
//! HEXISTS HSTRLEN HDEL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, with Redis
//! 7.2's replies, errors and encodings (`listpack` → `hashtable`, see
//! [`crate::types::hash`]).
//!
//! - `write`: the commands that change a hash.
//! - `random`: HRANDFIELD.
//! - `scan`: HSCAN.
//! - this file: the declarations, the lookups every handler shares, and the
//!   plain readers.

use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::types::hash::{Hash, Limits};
use crate::types::Value;

mod random;
mod scan;
#[cfg(test)]
mod tests;
mod write;

const HASH: CommandSpec =
    CommandSpec { group: Group::Hash, acl: AclCategory::Hash.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

const WHOLE_HASH: &str = "O(N) where N is the size of the hash.";

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "hset",
        arity: -4,
        flags: WRITE | DENYOOM | FAST,
        since: "2.0.0",
        summary: "Creates or modifies the value of a field in a hash.",
        complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
        exec: Exec::Core(write::hset),
        ..HASH
    },
    CommandSpec {
        name: "hsetnx",
        arity: 4,
        flags: WRITE | DENYOOM | FAST,
        since: "2.0.0",
        summary: "Sets the value of a field in a hash only when the field doesn't exist.",
        exec: Exec::Core(write::hsetnx),
        ..HASH
    },
    CommandSpec {
        name: "hmset",
        arity: -4,
        flags: WRITE | DENYOOM | FAST,
        since: "2.0.0",
        summary: "Sets the values of multiple fields.",
        complexity: "O(N) where N is the number of fields being set.",
        exec: Exec::Core(write::hset),
        ..HASH
    },
    CommandSpec {
        name: "hget",
        arity: 3,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the value of a field in a hash.",
        exec: Exec::Core(hget),
        ..HASH
    },
    CommandSpec {
        name: "hmget",
        arity: -3,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the values of all fields in a hash.",
        complexity: "O(N) where N is the number of fields being requested.",
        exec: Exec::Core(hmget),
        ..HASH
    },
    CommandSpec {
        name: "hgetall",
        arity: 2,
        flags: READONLY,
        since: "2.0.0",
        summary: "Returns all fields and values in a hash.",
        complexity: WHOLE_HASH,
        exec: Exec::Core(hgetall),
        ..HASH
    },
    CommandSpec {
        name: "hkeys",
        arity: 2,
        flags: READONLY,
        since: "2.0.0",
        summary: "Returns all fields in a hash.",
        complexity: WHOLE_HASH,
        exec: Exec::Core(hgetall),
        ..HASH
    },
    CommandSpec {
        name: "hvals",
        arity: 2,
        flags: READONLY,
        since: "2.0.0",
        summary: "Returns all values in a hash.",
        complexity: WHOLE_HASH,
        exec: Exec::Core(hgetall),
        ..HASH
    },
    CommandSpec {
        name: "hlen",
        arity: 2,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the number of fields in a hash.",
        exec: Exec::Core(hlen),
        ..HASH
    },
    CommandSpec {
        name: "hexists",
        arity: 3,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Determines whether a field exists in a hash.",
        exec: Exec::Core(hexists),
        ..HASH
    },
    CommandSpec {
        name: "hstrlen",
        arity: 3,
        flags: READONLY | FAST,
        since: "3.2.0",
        summary: "Returns the length of the value of a field.",
        exec: Exec::Core(hstrlen),
        ..HASH
    },
    CommandSpec {
        name: "hdel",
        arity: -3,
        flags: WRITE | FAST,
        since: "2.0.0",
        summary: "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.",
        complexity: "O(N) where N is the number of fields to be removed.",
        exec: Exec::Core(write::hdel),
        ..HASH
    },
    CommandSpec {
        name: "hincrby",
        arity: 4,
        flags: WRITE | DENYOOM | FAST,
        since: "2.0.0",
        summary: "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.",
        exec: Exec::Core(write::hincrby),
        ..HASH
    },
    CommandSpec {
        name: "hincrbyfloat",
        arity: 4,
        flags: WRITE | DENYOOM | FAST,
        since: "2.6.0",
        summary: "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.",
        exec: Exec::Core(write::hincrbyfloat),
        ..HASH
    },
    CommandSpec {
        name: "hrandfield",
        arity: -2,
        flags: READONLY,
        since: "6.2.0",
        summary: "Returns one or more random fields from a hash.",
        complexity: "O(N) where N is the number of fields returned",
        exec: Exec::Core(random::hrandfield),
        ..HASH
    },
    CommandSpec {
        name: "hscan",
        arity: -3,
        flags: READONLY,
        since: "2.8.0",
        summary: "Iterates over fields and values of a hash.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        exec: Exec::Core(scan::hscan),
        ..HASH
    },
];

/// Looks `key` up for reading (lazy expiry, keyspace hit or miss, as
/// Redis's `lookupKeyRead`) and hands its hash to `f` beside the reply
/// writer, so fields are written out without being copied first. Another
/// type is WRONGTYPE and `f` does not run.
fn read_hash<R>(ctx: &mut Ctx, key: &[u8], f: impl FnOnce(Option<&Hash>, &mut Reply) -> R) -> Result<R, CmdError> {
    ctx.read_with(key, |value, out| match value {
        None => Ok(f(None, out)),
        Some(Value::Hash(h)) => Ok(f(Some(h), out)),
        Some(_) => Err(errors::WRONGTYPE),
    })
}

/// Runs `f` on the hash at `key` for writing (Redis's
/// `hashTypeLookupWriteOrCreate`): a missing key gets a new hash, stored once
/// `f` has put something in it. Another type is WRONGTYPE.
fn write_hash<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(&mut Hash, Limits) -> Result<R, CmdError>,
) -> Result<R, CmdError> {
    let limits = Limits::from(&ctx.server.config.encodings);
    match ctx.write(key) {
        Some(Value::Hash(h)) => f(h, limits),
        Some(_) => Err(errors::WRONGTYPE),
        None => {
            let mut h = Hash::default();
            let result = f(&mut h, limits)?;
            if !h.is_empty() {
                ctx.db().set(key, Value::Hash(h));
            }
            Ok(result)
        }
    }
}

/// HGET key field
fn hget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_hash(ctx, argv[1], |h, out| match h.and_then(|h| h.get(argv[2])) {
        Some(v) => out.bulk(v),
        None => out.null(),
    })
}

/// HMGET key field [field ...]
fn hmget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // A missing key is an empty hash: a null for every field.
    read_hash(ctx, argv[1], |h, out| {
        out.array_len(argv.len() - 2);
        for field in &argv[2..] {
            match h.and_then(|h| h.get(field)) {
                Some(v) => out.bulk(v),
                None => out.null(),
            }
        }
    })
}

/// HGETALL key
/// HKEYS key
/// HVALS key
///
/// HGETALL is a map in RESP3; the other two are arrays.
fn hgetall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (fields, values) = match ctx.spec.name {
        "hkeys" => (true, false),
        "hvals" => (false, true),
        _ => (true, true),
    };
    read_hash(ctx, argv[1], |h, out| {
        let len = h.map_or(0, Hash::len);
        if fields && values {
            out.map_len(len);
        } else {
            out.array_len(len);
        }
        for (f, v) in h.into_iter().flat_map(Hash::iter) {
            if fields {
                out.bulk(f);
            }
            if values {
                out.bulk(v);
            }
        }
    })
}

/// HLEN key
fn hlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let len = read_hash(ctx, argv[1], |h, _| h.map_or(0, Hash::len))?;
    ctx.out.int(len as i64);
    Ok(())
}

/// HEXISTS key field
fn hexists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let found = read_hash(ctx, argv[1], |h, _| h.is_some_and(|h| h.contains(argv[2])))?;
    ctx.out.int(found as i64);
    Ok(())
}

/// HSTRLEN key field
fn hstrlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let len = read_hash(ctx, argv[1], |h, _| h.and_then(|h| h.get(argv[2])).map_or(0, <[u8]>::len))?;
    ctx.out.int(len as i64);
    Ok(())
}
