//! List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX
//! LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP, with Redis 7.2's
//! replies, errors and encodings (see [`crate::types::list`]).
//!
//! - `push`: the commands that add or change elements (LPUSH … LINSERT LSET).
//! - `pop`: the commands that take elements out (LPOP RPOP LMPOP LMOVE
//!   RPOPLPUSH), built on [`pop_from`] / [`move_element`], which the
//!   blocking variants reuse.
//! - `read`: LLEN LRANGE LINDEX LPOS.
//! - `edit`: LREM LTRIM.
//! - this file: the declarations and the lookups every handler shares.

use crate::command::args::is;
use crate::command::errors::{self, CmdError};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::types::list::End;
use crate::types::{List, Value};

mod blocking;
mod edit;
mod pop;
mod push;
mod read;
#[cfg(test)]
mod tests;

// The blocking commands build on these.
pub(crate) use pop::{move_element, pop_from};

const LIST: CommandSpec =
    CommandSpec { group: Group::List, acl: AclCategory::List.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

const PUSH_COMPLEXITY: &str =
    "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "lpush",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
        complexity: PUSH_COMPLEXITY,
        exec: Exec::Core(push::push),
        ..LIST
    },
    CommandSpec {
        name: "rpush",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        summary: "Appends one or more elements to a list. Creates the key if it doesn't exist.",
        complexity: PUSH_COMPLEXITY,
        exec: Exec::Core(push::push),
        ..LIST
    },
    CommandSpec {
        name: "lpushx",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        since: "2.2.0",
        summary: "Prepends one or more elements to a list only when the list exists.",
        complexity: PUSH_COMPLEXITY,
        exec: Exec::Core(push::push),
        ..LIST
    },
    CommandSpec {
        name: "rpushx",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        since: "2.2.0",
        summary: "Appends an element to a list only when the list exists.",
        complexity: PUSH_COMPLEXITY,
        exec: Exec::Core(push::push),
        ..LIST
    },
    CommandSpec {
        name: "lpop",
        arity: -2,
        flags: WRITE | FAST,
        summary: "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of elements returned",
        exec: Exec::Core(pop::pop),
        ..LIST
    },
    CommandSpec {
        name: "rpop",
        arity: -2,
        flags: WRITE | FAST,
        summary: "Returns and removes the last elements of a list. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of elements returned",
        exec: Exec::Core(pop::pop),
        ..LIST
    },
    CommandSpec {
        name: "llen",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Returns the length of a list.",
        exec: Exec::Core(read::llen),
        ..LIST
    },
    CommandSpec {
        name: "lrange",
        arity: 4,
        flags: READONLY,
        summary: "Returns a range of elements from a list.",
        complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
        exec: Exec::Core(read::lrange),
        ..LIST
    },
    CommandSpec {
        name: "lindex",
        arity: 3,
        flags: READONLY,
        summary: "Returns an element from a list by its index.",
        complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
        exec: Exec::Core(read::lindex),
        ..LIST
    },
    CommandSpec {
        name: "lset",
        arity: 4,
        flags: WRITE | DENYOOM,
        summary: "Sets the value of an element in a list by its index.",
        complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
        exec: Exec::Core(push::lset),
        ..LIST
    },
    CommandSpec {
        name: "linsert",
        arity: 5,
        flags: WRITE | DENYOOM,
        since: "2.2.0",
        summary: "Inserts an element before or after another element in a list.",
        complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
        exec: Exec::Core(push::linsert),
        ..LIST
    },
    CommandSpec {
        name: "lrem",
        arity: 4,
        flags: WRITE,
        summary: "Removes elements from a list. Deletes the list if the last element was removed.",
        complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
        exec: Exec::Core(edit::lrem),
        ..LIST
    },
    CommandSpec {
        name: "ltrim",
        arity: 4,
        flags: WRITE,
        summary: "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
        complexity: "O(N) where N is the number of elements to be removed by the operation.",
        exec: Exec::Core(edit::ltrim),
        ..LIST
    },
    CommandSpec {
        name: "lpos",
        arity: -3,
        flags: READONLY,
        since: "6.0.6",
        summary: "Returns the index of matching elements in a list.",
        complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
        exec: Exec::Core(read::lpos),
        ..LIST
    },
    CommandSpec {
        name: "lmove",
        arity: 5,
        flags: WRITE | DENYOOM,
        keys: KeySpec::TWO,
        since: "6.2.0",
        summary: "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.",
        exec: Exec::Core(pop::lmove),
        ..LIST
    },
    CommandSpec {
        name: "rpoplpush",
        arity: 3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::TWO,
        since: "1.2.0",
        summary: "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.",
        exec: Exec::Core(pop::rpoplpush),
        ..LIST
    },
    CommandSpec {
        name: "lmpop",
        arity: -4,
        // The keys follow a count (numkeys), so no fixed key range.
        flags: WRITE | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.",
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        exec: Exec::Core(pop::lmpop),
        ..LIST
    },
    CommandSpec {
        name: "blpop",
        arity: -3,
        flags: WRITE | BLOCKING,
        keys: KeySpec { first: 1, last: -2, step: 1 },
        since: "2.0.0",
        summary: "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of provided keys.",
        exec: Exec::Core(blocking::bpop),
        ..LIST
    },
    CommandSpec {
        name: "brpop",
        arity: -3,
        flags: WRITE | BLOCKING,
        keys: KeySpec { first: 1, last: -2, step: 1 },
        since: "2.0.0",
        summary: "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N) where N is the number of provided keys.",
        exec: Exec::Core(blocking::bpop),
        ..LIST
    },
    CommandSpec {
        name: "blmove",
        arity: 6,
        flags: WRITE | DENYOOM | BLOCKING,
        keys: KeySpec::TWO,
        since: "6.2.0",
        summary: "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.",
        exec: Exec::Core(blocking::blmove),
        ..LIST
    },
    CommandSpec {
        name: "brpoplpush",
        arity: 4,
        flags: WRITE | DENYOOM | BLOCKING,
        keys: KeySpec::TWO,
        since: "2.2.0",
        summary: "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.",
        exec: Exec::Core(blocking::brpoplpush),
        ..LIST
    },
    CommandSpec {
        name: "blmpop",
        arity: -5,
        flags: WRITE | BLOCKING | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.",
        complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
        exec: Exec::Core(blocking::blmpop),
        ..LIST
    },
];

/// `list-max-listpack-size`, read before a list is borrowed.
fn fill(ctx: &Ctx) -> i64 {
    ctx.server.config.encodings.list_max_listpack_size
}

/// `list-compress-depth`, which a list takes when it becomes a quicklist.
fn compress_depth(ctx: &Ctx) -> i64 {
    ctx.server.config.encodings.list_compress_depth
}

/// Looks `key` up for writing (Redis's `lookupKeyWrite`: lazy expiry, no
/// hit or miss counted): its list, None if missing, WRONGTYPE otherwise.
fn write_list<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Result<Option<&'c mut List>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(errors::WRONGTYPE),
    }
}

/// Looks `key` up for reading (Redis's `lookupKeyRead`: a hit or miss is
/// counted) and hands its list to `f` beside the reply writer, so elements
/// are written out without being copied first. Another type is WRONGTYPE
/// and `f` does not run.
fn read_list<R>(ctx: &mut Ctx, key: &[u8], f: impl FnOnce(Option<&List>, &mut Reply) -> R) -> Result<R, CmdError> {
    ctx.read_with(key, |value, out| match value {
        None => Ok(f(None, out)),
        Some(Value::List(l)) => Ok(f(Some(l), out)),
        Some(_) => Err(errors::WRONGTYPE),
    })
}

/// After elements left the list at `key`: the key goes when the list is
/// empty (Redis deletes empty lists), else the list may turn back into a
/// listpack (`listElementsRemoved` and its kin).
fn removed_from(ctx: &mut Ctx, key: &[u8]) -> bool {
    let fill = fill(ctx);
    let empty = match ctx.write(key) {
        Some(Value::List(l)) if !l.is_empty() => {
            l.shrink(fill);
            false
        }
        Some(Value::List(_)) => true,
        _ => false,
    };
    if empty {
        ctx.db().remove(key);
    }
    empty
}

/// The event names of pushing to and popping from `end`.
fn push_event(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

fn pop_event(end: End) -> &'static str {
    match end {
        End::Left => "lpop",
        End::Right => "rpop",
    }
}

/// LEFT or RIGHT, as LMOVE and LMPOP spell an end; a syntax error otherwise.
fn parse_end(arg: &[u8]) -> Result<End, CmdError> {
    if is(arg, "left") {
        Ok(End::Left)
    } else if is(arg, "right") {
        Ok(End::Right)
    } else {
        Err(errors::SYNTAX)
    }
}
