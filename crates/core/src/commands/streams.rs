//! Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XSETID XREAD
//! XREADGROUP XGROUP XACK XPENDING XCLAIM XAUTOCLAIM XINFO, with Redis 7.2's
//! replies, errors and keyspace events (see [`crate::types::stream`]).
//!
//! - `write`: XADD XTRIM XDEL XSETID and the MAXLEN/MINID parser they share.
//! - `range`: XLEN XRANGE XREVRANGE.
//! - `read`: XREAD and XREADGROUP, blocking or not.
//! - `groups`: XGROUP and XACK.
//! - `pending`: XPENDING XCLAIM XAUTOCLAIM.
//! - `info`: XINFO.
//! - this file: the declarations and what every handler shares (lookups,
//!   ID arguments, writing an entry).

use crate::command::errors::{CmdError, WRONGTYPE};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::{Ctx, Server};
use crate::resp::writer::Reply;
use crate::types::stream::{Entry, Stream, StreamId};
use crate::types::Value;

mod groups;
mod info;
mod pending;
mod range;
mod read;
#[cfg(test)]
mod tests;
mod write;

const STREAM: CommandSpec =
    CommandSpec { group: Group::Stream, acl: AclCategory::Stream.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

/// XGROUP's and XINFO's subcommands name their key second.
const SUB_KEY: KeySpec = KeySpec { first: 2, last: 2, step: 1 };

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "xadd",
        arity: -5,
        flags: WRITE | DENYOOM | FAST,
        since: "5.0.0",
        summary: "Appends a new message to a stream. Creates the key if it doesn't exist.",
        complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
        exec: Exec::Core(write::xadd),
        ..STREAM
    },
    CommandSpec {
        name: "xlen",
        arity: 2,
        flags: READONLY | FAST,
        since: "5.0.0",
        summary: "Return the number of messages in a stream.",
        exec: Exec::Core(range::xlen),
        ..STREAM
    },
    CommandSpec {
        name: "xrange",
        arity: -4,
        flags: READONLY,
        since: "5.0.0",
        summary: "Returns the messages from a stream within a range of IDs.",
        complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        exec: Exec::Core(range::xrange),
        ..STREAM
    },
    CommandSpec {
        name: "xrevrange",
        arity: -4,
        flags: READONLY,
        since: "5.0.0",
        summary: "Returns the messages from a stream within a range of IDs in reverse order.",
        complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        exec: Exec::Core(range::xrange),
        ..STREAM
    },
    CommandSpec {
        name: "xdel",
        arity: -3,
        flags: WRITE | FAST,
        since: "5.0.0",
        summary: "Returns the number of messages after removing them from a stream.",
        complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
        exec: Exec::Core(write::xdel),
        ..STREAM
    },
    CommandSpec {
        name: "xtrim",
        arity: -4,
        flags: WRITE,
        since: "5.0.0",
        summary: "Deletes messages from the beginning of a stream.",
        complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
        exec: Exec::Core(write::xtrim),
        ..STREAM
    },
    CommandSpec {
        name: "xsetid",
        arity: -3,
        flags: WRITE | DENYOOM | FAST,
        since: "5.0.0",
        summary: "An internal command for replicating stream values.",
        exec: Exec::Core(write::xsetid),
        ..STREAM
    },
    CommandSpec {
        name: "xread",
        arity: -4,
        // The keys follow the STREAMS keyword.
        flags: READONLY | BLOCKING | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.",
        complexity: "",
        exec: Exec::Core(read::xread),
        ..STREAM
    },
    CommandSpec {
        name: "xreadgroup",
        arity: -7,
        flags: WRITE | BLOCKING | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.",
        complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
        exec: Exec::Core(read::xread),
        ..STREAM
    },
    CommandSpec {
        name: "xack",
        arity: -4,
        flags: WRITE | FAST,
        since: "5.0.0",
        summary: "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.",
        complexity: "O(1) for each message ID processed.",
        exec: Exec::Core(groups::xack),
        ..STREAM
    },
    CommandSpec {
        name: "xpending",
        arity: -3,
        flags: READONLY,
        since: "5.0.0",
        summary: "Returns the information and entries from a stream consumer group's pending entries list.",
        complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
        exec: Exec::Core(pending::xpending),
        ..STREAM
    },
    CommandSpec {
        name: "xclaim",
        arity: -6,
        flags: WRITE | FAST,
        since: "5.0.0",
        summary: "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.",
        complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
        exec: Exec::Core(pending::xclaim),
        ..STREAM
    },
    CommandSpec {
        name: "xautoclaim",
        arity: -6,
        flags: WRITE | FAST,
        since: "6.2.0",
        summary: "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.",
        complexity: "O(1) if COUNT is small.",
        exec: Exec::Core(pending::xautoclaim),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup",
        arity: -2,
        acl: 0,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "A container for consumer groups commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: XGROUP_SUBCOMMANDS,
        ..STREAM
    },
    CommandSpec {
        name: "xinfo",
        arity: -2,
        acl: 0,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "A container for stream introspection commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: XINFO_SUBCOMMANDS,
        ..STREAM
    },
];

const XGROUP_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "xgroup|create",
        arity: -5,
        flags: WRITE | DENYOOM,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Creates a consumer group.",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup|setid",
        arity: -5,
        flags: WRITE,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Sets the last-delivered ID of a consumer group.",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup|destroy",
        arity: 4,
        flags: WRITE,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Destroys a consumer group.",
        complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup|createconsumer",
        arity: 5,
        flags: WRITE | DENYOOM,
        keys: SUB_KEY,
        since: "6.2.0",
        summary: "Creates a consumer in a consumer group.",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup|delconsumer",
        arity: 5,
        flags: WRITE,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Deletes a consumer from a consumer group.",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
    CommandSpec {
        name: "xgroup|help",
        arity: 2,
        flags: LOADING | STALE,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(groups::xgroup),
        ..STREAM
    },
];

const XINFO_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "xinfo|stream",
        arity: -3,
        flags: READONLY,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Returns information about a stream.",
        exec: Exec::Core(info::xinfo),
        ..STREAM
    },
    CommandSpec {
        name: "xinfo|groups",
        arity: 3,
        flags: READONLY,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Returns a list of the consumer groups of a stream.",
        exec: Exec::Core(info::xinfo),
        ..STREAM
    },
    CommandSpec {
        name: "xinfo|consumers",
        arity: 4,
        flags: READONLY,
        keys: SUB_KEY,
        since: "5.0.0",
        summary: "Returns a list of the consumers in a consumer group.",
        exec: Exec::Core(info::xinfo),
        ..STREAM
    },
    CommandSpec {
        name: "xinfo|help",
        arity: 2,
        flags: LOADING | STALE,
        keys: KeySpec::NONE,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(info::xinfo),
        ..STREAM
    },
];

const INVALID_ID: CmdError = CmdError::Static("ERR Invalid stream ID specified as stream command argument");
const INVALID_START: CmdError = CmdError::Static("ERR invalid start ID for the interval");
const INVALID_END: CmdError = CmdError::Static("ERR invalid end ID for the interval");

/// An ID argument where `-` and `+` mean the ends (XRANGE, XGROUP SETID).
fn id_arg(arg: &[u8], missing_seq: u64) -> Result<StreamId, CmdError> {
    StreamId::parse(arg, missing_seq).ok_or(INVALID_ID)
}

/// An ID argument that must be a real ID.
fn strict_id_arg(arg: &[u8]) -> Result<StreamId, CmdError> {
    StreamId::parse_strict(arg).ok_or(INVALID_ID)
}

/// The start of an interval: `(id` excludes it.
fn interval_start(arg: &[u8]) -> Result<StreamId, CmdError> {
    match arg.strip_prefix(b"(").filter(|_| arg.len() > 1) {
        Some(rest) => StreamId::parse_with(rest, 0, true, false).ok_or(INVALID_ID)?.id.next().ok_or(INVALID_START),
        None => id_arg(arg, 0),
    }
}

/// The end of an interval: `(id` excludes it; a bare `ms` means its last sequence.
fn interval_end(arg: &[u8]) -> Result<StreamId, CmdError> {
    match arg.strip_prefix(b"(").filter(|_| arg.len() > 1) {
        Some(rest) => StreamId::parse_with(rest, u64::MAX, true, false).ok_or(INVALID_ID)?.id.prev().ok_or(INVALID_END),
        None => id_arg(arg, u64::MAX),
    }
}

/// `NOGROUP No such key 'k' or consumer group 'g'` + `suffix`.
fn no_such_key_or_group(key: &[u8], group: &[u8], suffix: &str) -> CmdError {
    CmdError::Owned(format!(
        "NOGROUP No such key '{}' or consumer group '{}'{suffix}",
        String::from_utf8_lossy(key),
        String::from_utf8_lossy(group)
    ))
}

/// `NOGROUP No such consumer group 'g' for key name 'k'`.
fn no_such_group(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Owned(format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        String::from_utf8_lossy(group),
        String::from_utf8_lossy(key)
    ))
}

/// Redis's `addReplySubcommandSyntaxError`.
fn subcommand_syntax(argv: &[&[u8]]) -> CmdError {
    CmdError::Owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        String::from_utf8_lossy(&argv[1][..argv[1].len().min(128)]),
        String::from_utf8_lossy(argv[0]).to_ascii_uppercase()
    ))
}

/// Redis's `addReplyHelp`: a header naming the command, the lines, and HELP.
fn help(out: &mut Reply, cmd: &[u8], lines: &[&str]) {
    out.array_len(lines.len() + 3);
    out.simple(&format!(
        "{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        String::from_utf8_lossy(cmd).to_ascii_uppercase()
    ));
    for line in lines {
        out.simple(line);
    }
    out.simple("HELP");
    out.simple("    Print this help.");
}

/// The stream at `key` beside the reply writer, looked up for reading
/// (`lookupKeyRead`: counts a hit or miss) or writing; WRONGTYPE if the key
/// holds something else.
fn lookup<'c>(
    ctx: &'c mut Ctx,
    key: &[u8],
    for_write: bool,
) -> Result<(Option<&'c mut Stream>, &'c mut Reply), CmdError> {
    let now = ctx.now;
    let touch = !ctx.client.no_touch;
    let Server { dbs, stats, .. } = &mut *ctx.server;
    let found = dbs[ctx.client.db].lookup_mut(key, now, touch);
    if !for_write {
        if found.is_some() {
            stats.keyspace_hits += 1;
        } else {
            stats.keyspace_misses += 1;
        }
    }
    match found {
        Some(Value::Stream(s)) => Ok((Some(s), &mut *ctx.out)),
        Some(_) => Err(WRONGTYPE),
        None => Ok((None, &mut *ctx.out)),
    }
}

fn reply_id(out: &mut Reply, id: StreamId) {
    // Formatted on the stack: readers send one per entry.
    let mut buf = [0u8; StreamId::TEXT_MAX];
    out.bulk(id.format(&mut buf));
}

/// An entry as every reader sends it: `[id, [field, value, …]]`.
fn reply_entry(out: &mut Reply, entry: &Entry) {
    out.array_len(2);
    reply_id(out, entry.id);
    out.array_len(entry.len() * 2);
    for (field, value) in entry.fields() {
        out.bulk(field);
        out.bulk(value);
    }
}
