//! Persistence commands: SAVE, BGSAVE, DUMP and RESTORE (LASTSAVE is with
//! the server commands, DEBUG RELOAD under DEBUG). The work is in
//! [`crate::persistence`]; these parse arguments and reply.

use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::keyspace::db::Entry;
use crate::keyspace::SmallBytes;
use crate::notify::class;
use crate::persistence::dump::{self, PayloadError};
use crate::persistence::rdb::reader::restored_meta;
use crate::persistence::rdb::types::SaveCtx;
use crate::persistence::save;
use crate::resp::parser::parse_i64;

#[cfg(test)]
mod tests;

const SERVER: CommandSpec = CommandSpec { group: Group::Server, ..CommandSpec::BASE };
const KEYSPACE: CommandSpec =
    CommandSpec { group: Group::Generic, acl: AclCategory::Keyspace.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "save",
        arity: 1,
        flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI,
        summary: "Synchronously saves the database(s) to disk.",
        complexity: "O(N) where N is the total number of keys in all databases",
        exec: Exec::Core(save_cmd),
        ..SERVER
    },
    CommandSpec {
        name: "bgsave",
        arity: -1,
        flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING,
        summary: "Asynchronously saves the database(s) to disk.",
        exec: Exec::Core(bgsave),
        ..SERVER
    },
    CommandSpec {
        name: "bgrewriteaof",
        arity: 1,
        flags: ADMIN | NOSCRIPT | NO_ASYNC_LOADING,
        since: "1.0.0",
        summary: "Asynchronously rewrites the append-only file to disk.",
        exec: Exec::Core(bgrewriteaof),
        ..SERVER
    },
    CommandSpec {
        name: "dump",
        arity: 2,
        flags: READONLY,
        since: "2.6.0",
        summary: "Returns a serialized representation of the value stored at a key.",
        complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
        exec: Exec::Core(dump_cmd),
        ..KEYSPACE
    },
    CommandSpec {
        name: "restore",
        arity: -4,
        flags: WRITE | DENYOOM,
        acl: AclCategory::Keyspace.bit() | AclCategory::Dangerous.bit(),
        since: "2.6.0",
        summary: "Creates a key from the serialized representation of a value.",
        complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        exec: Exec::Core(restore),
        ..KEYSPACE
    },
];

const BGSAVE_IN_PROGRESS: CmdError = CmdError::Static("ERR Background save already in progress");
const ANOTHER_JOB: CmdError = CmdError::Static("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
/// Redis replies a bare "-ERR" when a save fails (the reason goes to the log).
const SAVE_FAILED: CmdError = CmdError::Static("ERR");

/// SAVE
fn save_cmd(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.server.persistence.bgsave_in_progress() {
        return Err(BGSAVE_IN_PROGRESS);
    }
    save::save_now(ctx.server, ctx.now).map_err(|_| SAVE_FAILED)?;
    ctx.out.ok();
    Ok(())
}

/// BGSAVE [SCHEDULE]
fn bgsave(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 2 || (argv.len() == 2 && !argv[1].eq_ignore_ascii_case(b"schedule")) {
        return Err(errors::SYNTAX);
    }
    if ctx.server.persistence.bgsave_in_progress() {
        return Err(BGSAVE_IN_PROGRESS);
    }
    // Inside EXEC the save waits for the transaction's end, so the file
    // never holds half of it; an AOF rewrite holds the keyspace's capture.
    let in_exec = ctx.client.tx.executing;
    if ctx.server.persistence.background_job() || in_exec {
        if argv.len() == 2 || in_exec {
            ctx.server.persistence.bgsave_scheduled = true;
            ctx.out.simple("Background saving scheduled");
            return Ok(());
        }
        return Err(ANOTHER_JOB);
    }
    save::start_bgsave(ctx.server, ctx.now).map_err(|_| SAVE_FAILED)?;
    ctx.out.simple("Background saving started");
    Ok(())
}

/// BGREWRITEAOF
fn bgrewriteaof(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let line = crate::persistence::aof::rewrite::bgrewriteaof(ctx.server, ctx.now).map_err(CmdError::Static)?;
    ctx.out.simple(line);
    Ok(())
}

/// DUMP key
fn dump_cmd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let save_ctx = SaveCtx {
        compress: ctx.server.persistence.compress,
        list_fill: ctx.server.config.encodings.list_max_listpack_size,
    };
    match ctx.read(argv[1]).map(|v| dump::dump(v, &save_ctx)) {
        Some(Ok(payload)) => ctx.out.bulk(&payload),
        Some(Err(u)) => return Err(CmdError::Owned(format!("ERR DUMP of {} values is not supported yet", u.0))),
        None => ctx.out.null(),
    }
    Ok(())
}

/// RESTORE's options after the payload.
struct RestoreOptions {
    replace: bool,
    absttl: bool,
    idle_secs: Option<u64>,
    freq: Option<u8>,
}

fn restore_options(args: &[&[u8]]) -> Result<RestoreOptions, CmdError> {
    let mut o = RestoreOptions { replace: false, absttl: false, idle_secs: None, freq: None };
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        let has_value = i + 1 < args.len();
        if a.eq_ignore_ascii_case(b"replace") {
            o.replace = true;
        } else if a.eq_ignore_ascii_case(b"absttl") {
            o.absttl = true;
        } else if a.eq_ignore_ascii_case(b"idletime") && has_value && o.freq.is_none() {
            let n = parse_i64(args[i + 1]).ok_or(errors::NOT_INTEGER)?;
            if n < 0 {
                return Err(CmdError::Static("ERR Invalid IDLETIME value, must be >= 0"));
            }
            o.idle_secs = Some(n as u64);
            i += 1;
        } else if a.eq_ignore_ascii_case(b"freq") && has_value && o.idle_secs.is_none() {
            let n = parse_i64(args[i + 1]).ok_or(errors::NOT_INTEGER)?;
            if !(0..=255).contains(&n) {
                return Err(CmdError::Static("ERR Invalid FREQ value, must be >= 0 and <= 255"));
            }
            o.freq = Some(n as u8);
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    Ok(o)
}

/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
///
/// Checks in Redis's order: options, an existing key (BUSYKEY), the TTL,
/// the payload's version and checksum, then its contents. A deadline
/// already past deletes the old key (with REPLACE) and stores nothing.
fn restore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let opts = restore_options(&argv[4..])?;
    if !opts.replace && ctx.write(key).is_some() {
        return Err(CmdError::Static("BUSYKEY Target key name already exists."));
    }
    let ttl = parse_i64(argv[2]).ok_or(errors::NOT_INTEGER)?;
    if ttl < 0 {
        return Err(CmdError::Static("ERR Invalid TTL value, must be >= 0"));
    }
    let checksum = ctx.server.persistence.checksum;
    let value = dump::restore(argv[3], &ctx.server.config.encodings, checksum).map_err(|e| match e {
        PayloadError::VersionOrChecksum => CmdError::Static("ERR DUMP payload version or checksum are wrong"),
        PayloadError::BadFormat => CmdError::Static("ERR Bad data format"),
    })?;
    let now = ctx.now;
    let deleted = opts.replace && ctx.db().delete(key, now);
    let deadline = match ttl {
        0 => None,
        t if opts.absttl => Some(t),
        t => Some(t.saturating_add(now)),
    };
    if deadline.is_some_and(|at| at <= now) {
        if deleted {
            ctx.changed(class::GENERIC, "del", key);
            ctx.dirty(1);
            ctx.propagate_as(&[b"DEL", key]);
        }
        ctx.out.ok();
        return Ok(());
    }
    let meta = restored_meta(ctx.server.config.tracking(), now, opts.idle_secs, opts.freq);
    ctx.db().put(Entry { key: SmallBytes::new(key), value, expire_at: deadline, meta });
    ctx.changed(class::GENERIC, "restore", key);
    ctx.out.ok();
    ctx.dirty(1);
    if let (Some(at), false) = (deadline, opts.absttl) {
        // A relative TTL is logged as the deadline it gave (ABSTTL).
        let at = at.to_string();
        let mut logged: Vec<&[u8]> = argv.to_vec();
        logged[2] = at.as_bytes();
        logged.push(b"ABSTTL");
        ctx.propagate_as(&logged);
    }
    Ok(())
}
