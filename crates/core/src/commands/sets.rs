//! Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SMOVE SPOP
//! SRANDMEMBER SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF
//! SDIFFSTORE SSCAN, with Redis 7.2's replies, errors and encodings (the
//! encodings themselves live in [`crate::types::set`]).
//!
//! - `members`: adding, removing, moving and asking about members.
//! - `random`: SPOP and SRANDMEMBER.
//! - `algebra`: intersections, unions and differences, and their STORE forms.
//! - `scan`: SSCAN.
//! - this file: the declarations and the lookups every handler shares.

use crate::command::errors::{self, CmdError};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::Reply;
use crate::types::set::Member;
use crate::types::{Set, Value};

mod algebra;
mod members;
mod random;
mod scan;
#[cfg(test)]
mod tests;

const SET: CommandSpec =
    CommandSpec { group: Group::Set, acl: AclCategory::Set.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

const INTER_COMPLEXITY: &str =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const TOTAL_COMPLEXITY: &str = "O(N) where N is the total number of elements in all given sets.";

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "sadd",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Adds one or more members to a set. Creates the key if it doesn't exist.",
        complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
        exec: Exec::Core(members::sadd),
        ..SET
    },
    CommandSpec {
        name: "srem",
        arity: -3,
        flags: WRITE | FAST,
        summary: "Removes one or more members from a set. Deletes the set if the last member was removed.",
        complexity: "O(N) where N is the number of members to be removed.",
        exec: Exec::Core(members::srem),
        ..SET
    },
    CommandSpec {
        name: "smembers",
        arity: 2,
        flags: READONLY,
        summary: "Returns all members of a set.",
        complexity: "O(N) where N is the set cardinality.",
        exec: Exec::Core(members::smembers),
        ..SET
    },
    CommandSpec {
        name: "sismember",
        arity: 3,
        flags: READONLY | FAST,
        summary: "Determines whether a member belongs to a set.",
        exec: Exec::Core(members::sismember),
        ..SET
    },
    CommandSpec {
        name: "smismember",
        arity: -3,
        flags: READONLY | FAST,
        since: "6.2.0",
        summary: "Determines whether multiple members belong to a set.",
        complexity: "O(N) where N is the number of elements being checked for membership",
        exec: Exec::Core(members::smismember),
        ..SET
    },
    CommandSpec {
        name: "scard",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Returns the number of members in a set.",
        exec: Exec::Core(members::scard),
        ..SET
    },
    CommandSpec {
        name: "smove",
        arity: 4,
        flags: WRITE | FAST,
        keys: KeySpec::TWO,
        summary: "Moves a member from one set to another.",
        exec: Exec::Core(members::smove),
        ..SET
    },
    CommandSpec {
        name: "spop",
        arity: -2,
        flags: WRITE | FAST,
        summary: "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.",
        complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
        exec: Exec::Core(random::spop),
        ..SET
    },
    CommandSpec {
        name: "srandmember",
        arity: -2,
        flags: READONLY,
        summary: "Get one or multiple random members from a set",
        complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
        exec: Exec::Core(random::srandmember),
        ..SET
    },
    CommandSpec {
        name: "sinter",
        arity: -2,
        flags: READONLY,
        keys: KeySpec::ALL,
        summary: "Returns the intersect of multiple sets.",
        complexity: INTER_COMPLEXITY,
        exec: Exec::Core(algebra::sinter),
        ..SET
    },
    CommandSpec {
        name: "sintercard",
        arity: -3,
        // The keys follow a count (numkeys): no fixed positions.
        flags: READONLY | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Returns the number of members of the intersect of multiple sets.",
        complexity: INTER_COMPLEXITY,
        exec: Exec::Core(algebra::sintercard),
        ..SET
    },
    CommandSpec {
        name: "sinterstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::ALL,
        summary: "Stores the intersect of multiple sets in a key.",
        complexity: INTER_COMPLEXITY,
        exec: Exec::Core(algebra::sinterstore),
        ..SET
    },
    CommandSpec {
        name: "sunion",
        arity: -2,
        flags: READONLY,
        keys: KeySpec::ALL,
        summary: "Returns the union of multiple sets.",
        complexity: TOTAL_COMPLEXITY,
        exec: Exec::Core(algebra::sunion),
        ..SET
    },
    CommandSpec {
        name: "sunionstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::ALL,
        summary: "Stores the union of multiple sets in a key.",
        complexity: TOTAL_COMPLEXITY,
        exec: Exec::Core(algebra::sunionstore),
        ..SET
    },
    CommandSpec {
        name: "sdiff",
        arity: -2,
        flags: READONLY,
        keys: KeySpec::ALL,
        summary: "Returns the difference of multiple sets.",
        complexity: TOTAL_COMPLEXITY,
        exec: Exec::Core(algebra::sdiff),
        ..SET
    },
    CommandSpec {
        name: "sdiffstore",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::ALL,
        summary: "Stores the difference of multiple sets in a key.",
        complexity: TOTAL_COMPLEXITY,
        exec: Exec::Core(algebra::sdiffstore),
        ..SET
    },
    CommandSpec {
        name: "sscan",
        arity: -3,
        flags: READONLY,
        since: "2.8.0",
        summary: "Iterates over members of a set.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        exec: Exec::Core(scan::sscan),
        ..SET
    },
];

/// Redis's `lookupKeyRead` and `checkType`: hands `f` the set at `key`
/// (`None` if there is none) beside the reply writer; a key of another type
/// is WRONGTYPE and `f` does not run.
fn read_set<R>(ctx: &mut Ctx, key: &[u8], f: impl FnOnce(Option<&mut Set>, &mut Reply) -> R) -> Result<R, CmdError> {
    with_set(ctx, key, false, f)
}

/// As [`read_set`], with Redis's `lookupKeyWrite` (no keyspace hit or miss).
fn write_set<R>(ctx: &mut Ctx, key: &[u8], f: impl FnOnce(Option<&mut Set>, &mut Reply) -> R) -> Result<R, CmdError> {
    with_set(ctx, key, true, f)
}

fn with_set<R>(
    ctx: &mut Ctx,
    key: &[u8],
    write: bool,
    f: impl FnOnce(Option<&mut Set>, &mut Reply) -> R,
) -> Result<R, CmdError> {
    // The writer is moved out and back (a few words, no copy of the buffer)
    // because the value found borrows `ctx` as a whole.
    let mut out = std::mem::take(&mut *ctx.out);
    let found = if write { ctx.write(key) } else { ctx.read(key) };
    let result = match found {
        None => Ok(f(None, &mut out)),
        Some(Value::Set(s)) => Ok(f(Some(s), &mut out)),
        Some(_) => Err(errors::WRONGTYPE),
    };
    *ctx.out = out;
    result
}

/// One member as a bulk string.
#[inline]
fn reply_member(out: &mut Reply, m: Member) {
    match m {
        Member::Int(n) => out.bulk_int(n),
        Member::Bytes(b) => out.bulk(b),
    }
}

/// A whole set in its own order, as a RESP3 set (an array in RESP2).
fn reply_set(out: &mut Reply, set: &Set) {
    out.set_len(set.len());
    set.iter().for_each(|m| reply_member(out, m));
}

/// Stores `set` at `dst` for the STORE forms (Redis's `setKey`: any old
/// value and deadline go) and replies with its size; an empty result
/// deletes `dst` instead and replies 0.
fn store(ctx: &mut Ctx, dst: &[u8], set: Set) {
    let n = set.len();
    if n == 0 {
        if ctx.db().remove(dst).is_some() {
            ctx.dirty(1);
            ctx.changed(class::GENERIC, "del", dst);
        }
    } else {
        // The write lookup expires a stale destination first, as Redis's does.
        ctx.write(dst);
        ctx.db().set(dst, Value::Set(Box::new(set)));
        ctx.dirty(1);
        // The event is the command's name: sunionstore, sinterstore, sdiffstore.
        let event = ctx.spec.name;
        ctx.changed(class::SET, event, dst);
    }
    ctx.out.int(n as i64);
}
