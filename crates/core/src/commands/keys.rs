//! Generic key commands: DEL UNLINK EXISTS TYPE TOUCH, the EXPIRE and TTL
//! families, PERSIST, RENAME RENAMENX COPY MOVE, KEYS SCAN RANDOMKEY and OBJECT.
//!
//! Lookups follow Redis's three kinds (see [`read`], [`read_untouched`],
//! [`write`]) because they differ in what a user can observe: keyspace
//! hits/misses in INFO and the idle time OBJECT IDLETIME reports.

use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::Value;

mod basic;
mod expire;
mod iterate;
mod object;
mod rename;
#[cfg(test)]
mod tests;

pub(crate) use iterate::{parse_cursor, scan_steps, ScanOptions, INVALID_CURSOR};

const KEYSPACE: CommandSpec =
    CommandSpec { group: Group::Generic, acl: AclCategory::Keyspace.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

/// The key of OBJECT's subcommands is their second argument.
const OBJECT_KEY: KeySpec = KeySpec { first: 2, last: 2, step: 1 };

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "del",
        arity: -2,
        flags: WRITE,
        keys: KeySpec::ALL,
        summary: "Deletes one or more keys.",
        complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
        exec: Exec::Core(basic::del),
        ..KEYSPACE
    },
    CommandSpec {
        name: "unlink",
        arity: -2,
        flags: WRITE | FAST,
        keys: KeySpec::ALL,
        since: "4.0.0",
        summary: "Asynchronously deletes one or more keys.",
        complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
        exec: Exec::Core(basic::unlink),
        ..KEYSPACE
    },
    CommandSpec {
        name: "exists",
        arity: -2,
        flags: READONLY | FAST,
        keys: KeySpec::ALL,
        summary: "Determines whether one or more keys exist.",
        complexity: "O(N) where N is the number of keys to check.",
        exec: Exec::Core(basic::exists),
        ..KEYSPACE
    },
    CommandSpec {
        name: "type",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Determines the type of value stored at a key.",
        exec: Exec::Core(basic::type_),
        ..KEYSPACE
    },
    CommandSpec {
        name: "touch",
        arity: -2,
        flags: READONLY | FAST,
        keys: KeySpec::ALL,
        since: "3.2.1",
        summary: "Returns the number of existing keys out of those specified after updating the time they were last accessed.",
        complexity: "O(N) where N is the number of keys that will be touched.",
        exec: Exec::Core(basic::touch),
        ..KEYSPACE
    },
    CommandSpec {
        name: "expire",
        arity: -3,
        flags: WRITE | FAST,
        summary: "Sets the expiration time of a key in seconds.",
        exec: Exec::Core(expire::expire),
        ..KEYSPACE
    },
    CommandSpec {
        name: "pexpire",
        arity: -3,
        flags: WRITE | FAST,
        since: "2.6.0",
        summary: "Sets the expiration time of a key in milliseconds.",
        exec: Exec::Core(expire::pexpire),
        ..KEYSPACE
    },
    CommandSpec {
        name: "expireat",
        arity: -3,
        flags: WRITE | FAST,
        since: "1.2.0",
        summary: "Sets the expiration time of a key to a Unix timestamp.",
        exec: Exec::Core(expire::expireat),
        ..KEYSPACE
    },
    CommandSpec {
        name: "pexpireat",
        arity: -3,
        flags: WRITE | FAST,
        since: "2.6.0",
        summary: "Sets the expiration time of a key to a Unix milliseconds timestamp.",
        exec: Exec::Core(expire::pexpireat),
        ..KEYSPACE
    },
    CommandSpec {
        name: "ttl",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Returns the expiration time in seconds of a key.",
        exec: Exec::Core(expire::ttl),
        ..KEYSPACE
    },
    CommandSpec {
        name: "pttl",
        arity: 2,
        flags: READONLY | FAST,
        since: "2.6.0",
        summary: "Returns the expiration time in milliseconds of a key.",
        exec: Exec::Core(expire::pttl),
        ..KEYSPACE
    },
    CommandSpec {
        name: "expiretime",
        arity: 2,
        flags: READONLY | FAST,
        since: "7.0.0",
        summary: "Returns the expiration time of a key as a Unix timestamp.",
        exec: Exec::Core(expire::expiretime),
        ..KEYSPACE
    },
    CommandSpec {
        name: "pexpiretime",
        arity: 2,
        flags: READONLY | FAST,
        since: "7.0.0",
        summary: "Returns the expiration time of a key as a Unix milliseconds timestamp.",
        exec: Exec::Core(expire::pexpiretime),
        ..KEYSPACE
    },
    CommandSpec {
        name: "persist",
        arity: 2,
        flags: WRITE | FAST,
        since: "2.2.0",
        summary: "Removes the expiration time of a key.",
        exec: Exec::Core(expire::persist),
        ..KEYSPACE
    },
    CommandSpec {
        name: "rename",
        arity: 3,
        flags: WRITE,
        keys: KeySpec::TWO,
        summary: "Renames a key and overwrites the destination.",
        exec: Exec::Core(rename::rename),
        ..KEYSPACE
    },
    CommandSpec {
        name: "renamenx",
        arity: 3,
        flags: WRITE | FAST,
        keys: KeySpec::TWO,
        summary: "Renames a key only when the target key name doesn't exist.",
        exec: Exec::Core(rename::renamenx),
        ..KEYSPACE
    },
    CommandSpec {
        name: "copy",
        arity: -3,
        flags: WRITE | DENYOOM,
        keys: KeySpec::TWO,
        since: "6.2.0",
        summary: "Copies the value of a key to a new key.",
        complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
        exec: Exec::Core(rename::copy),
        ..KEYSPACE
    },
    CommandSpec {
        name: "move",
        arity: 3,
        flags: WRITE | FAST,
        summary: "Moves a key to another database.",
        exec: Exec::Core(rename::move_),
        ..KEYSPACE
    },
    CommandSpec {
        name: "keys",
        arity: 2,
        flags: READONLY,
        acl: AclCategory::Keyspace.bit() | AclCategory::Dangerous.bit(),
        keys: KeySpec::NONE,
        summary: "Returns all key names that match a pattern.",
        complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
        exec: Exec::Core(iterate::keys),
        ..KEYSPACE
    },
    CommandSpec {
        name: "scan",
        arity: -2,
        flags: READONLY,
        keys: KeySpec::NONE,
        since: "2.8.0",
        summary: "Iterates over the key names in the database.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        exec: Exec::Core(iterate::scan),
        ..KEYSPACE
    },
    CommandSpec {
        name: "randomkey",
        arity: 1,
        flags: READONLY,
        keys: KeySpec::NONE,
        summary: "Returns a random key name from the database.",
        exec: Exec::Core(iterate::randomkey),
        ..KEYSPACE
    },
    CommandSpec {
        name: "object",
        arity: -2,
        acl: 0,
        keys: KeySpec::NONE,
        since: "2.2.3",
        summary: "A container for object introspection commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: OBJECT_SUBCOMMANDS,
        ..KEYSPACE
    },
];

const OBJECT_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "object|encoding",
        arity: 3,
        flags: READONLY,
        keys: OBJECT_KEY,
        since: "2.2.3",
        summary: "Returns the internal encoding of a Redis object.",
        exec: Exec::Core(object::encoding),
        ..KEYSPACE
    },
    CommandSpec {
        name: "object|refcount",
        arity: 3,
        flags: READONLY,
        keys: OBJECT_KEY,
        since: "2.2.3",
        summary: "Returns the reference count of a value of a key.",
        exec: Exec::Core(object::refcount),
        ..KEYSPACE
    },
    CommandSpec {
        name: "object|idletime",
        arity: 3,
        flags: READONLY,
        keys: OBJECT_KEY,
        since: "2.2.3",
        summary: "Returns the time since the last access to a Redis object.",
        exec: Exec::Core(object::idletime),
        ..KEYSPACE
    },
    CommandSpec {
        name: "object|freq",
        arity: 3,
        flags: READONLY,
        keys: OBJECT_KEY,
        since: "4.0.0",
        summary: "Returns the logarithmic access frequency counter of a Redis object.",
        exec: Exec::Core(object::freq),
        ..KEYSPACE
    },
    CommandSpec {
        name: "object|help",
        arity: 2,
        flags: LOADING | STALE,
        keys: KeySpec::NONE,
        since: "6.2.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(object::help),
        ..KEYSPACE
    },
];

/// Redis's `lookupKeyRead`: expires the key lazily, counts a keyspace hit or
/// miss, and records the access unless the client asked for CLIENT NO-TOUCH.
fn read<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c mut Value> {
    let touch = !ctx.client.no_touch;
    lookup(ctx, key, touch, true)
}

/// `lookupKeyReadWithFlags(LOOKUP_NOTOUCH)`: what TYPE, EXISTS, TTL and
/// OBJECT use, so inspecting a key does not make it look recently used.
fn read_untouched<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c mut Value> {
    lookup(ctx, key, false, true)
}

/// OBJECT's lookup (`LOOKUP_NOTOUCH|LOOKUP_NONOTIFY`): counted, but a miss
/// publishes no "keymiss".
fn inspect<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c mut Value> {
    let server = &mut *ctx.server;
    let found = server.dbs[ctx.client.db].lookup_mut(key, ctx.now, false);
    if found.is_some() {
        server.stats.keyspace_hits += 1;
    } else {
        server.stats.keyspace_misses += 1;
    }
    found
}

/// `lookupKeyWrite`: expires and records the access, counts no statistics.
fn write<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c mut Value> {
    let touch = !ctx.client.no_touch;
    lookup(ctx, key, touch, false)
}

fn lookup<'c>(ctx: &'c mut Ctx, key: &[u8], mut touch: bool, count_stats: bool) -> Option<&'c mut Value> {
    if count_stats && ctx.server.config.notify_keyspace_events & class::KEY_MISS != 0 {
        // A read miss publishes "keymiss": find out first, then look up as usual.
        if ctx.server.dbs[ctx.client.db].lookup_mut(key, ctx.now, touch).is_none() {
            ctx.server.stats.keyspace_misses += 1;
            ctx.missed(key);
            return None;
        }
        touch = false;
    }
    let server = &mut *ctx.server;
    let found = server.dbs[ctx.client.db].lookup_mut(key, ctx.now, touch);
    if count_stats {
        if found.is_some() {
            server.stats.keyspace_hits += 1;
        } else {
            server.stats.keyspace_misses += 1;
        }
    }
    found
}
