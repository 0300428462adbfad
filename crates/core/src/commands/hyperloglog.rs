//! HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, on
//! string values in Redis's own representation ([`crate::types::hll`]), so
//! counts, bytes and errors are Redis 7.2's.

use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify;
use crate::types::hll::{self, Encoding, RawRegisters, REGISTERS};
use crate::types::{StrValue, Value};

#[cfg(test)]
mod tests;

/// A string that is not a HyperLogLog (Redis's `isHLLObjectOrReply`).
const NOT_HLL: CmdError = CmdError::Static("WRONGTYPE Key is not a valid HyperLogLog string value.");
/// A HyperLogLog whose registers do not add up.
const CORRUPT: CmdError = CmdError::Static("INVALIDOBJ Corrupted HLL object detected");
const NO_KEY: CmdError = CmdError::Static("ERR The specified key does not exist");

const HLL: CommandSpec = CommandSpec {
    group: Group::HyperLogLog,
    acl: AclCategory::HyperLogLog.bit(),
    keys: KeySpec::FIRST,
    since: "2.8.9",
    ..CommandSpec::BASE
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "pfadd",
        arity: -2,
        flags: WRITE | DENYOOM | FAST,
        summary: "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
        complexity: "O(1) to add every element.",
        exec: Exec::Core(pfadd),
        ..HLL
    },
    CommandSpec {
        name: "pfcount",
        arity: -2,
        flags: READONLY | MAY_REPLICATE,
        keys: KeySpec::ALL,
        summary: "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
        complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
        exec: Exec::Core(pfcount),
        ..HLL
    },
    CommandSpec {
        name: "pfmerge",
        arity: -2,
        flags: WRITE | DENYOOM,
        keys: KeySpec::ALL,
        summary: "Merges one or more HyperLogLog values into a single key.",
        complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
        exec: Exec::Core(pfmerge),
        ..HLL
    },
    CommandSpec {
        name: "pfdebug",
        arity: 3,
        flags: WRITE | DENYOOM | ADMIN,
        keys: KeySpec { first: 2, last: 2, step: 1 },
        summary: "Internal commands for debugging HyperLogLog values.",
        complexity: "N/A",
        exec: Exec::Core(pfdebug),
        ..HLL
    },
    CommandSpec {
        name: "pfselftest",
        arity: 1,
        flags: ADMIN,
        keys: KeySpec::NONE,
        summary: "An internal command for testing HyperLogLog values.",
        complexity: "N/A",
        exec: Exec::Core(pfselftest),
        ..HLL
    },
];

/// Checks that a string holds a HyperLogLog and tells its encoding. An
/// integer-encoded string never does.
fn check_hll(s: &StrValue) -> Result<Encoding, CmdError> {
    match s {
        StrValue::Int(_) => Err(NOT_HLL),
        other => other.with_bytes(hll::encoding_of).ok_or(NOT_HLL),
    }
}

/// The HyperLogLog under `key` for an in-place change: WRONGTYPE for another
/// type, the HyperLogLog error for a string that is not one, `None` when
/// the key is missing. The value becomes `raw`, as Redis unshares it.
fn hll_for_write<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Result<Option<&'c mut Vec<u8>>, CmdError> {
    match ctx.write(key) {
        None => Ok(None),
        Some(Value::Str(s)) => {
            check_hll(s)?;
            Ok(Some(s.make_raw()))
        }
        Some(_) => Err(errors::WRONGTYPE),
    }
}

/// PFADD key [element [element ...]]
fn pfadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let limit = ctx.server.config.hll_sparse_max_bytes;
    // One lookup when the key exists, the usual case.
    let (hll, mut updated) = match hll_for_write(ctx, key)? {
        Some(hll) => (hll, 0u64),
        None => {
            ctx.db().set(key, Value::Str(StrValue::Raw(Box::new(hll::new_sparse()))));
            (hll_for_write(ctx, key)?.expect("the key exists now"), 1)
        }
    };
    for element in &argv[2..] {
        if hll::add(hll, element, limit).map_err(|_| CORRUPT)? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(hll);
        ctx.changed(notify::class::STRING, "pfadd", key);
        ctx.dirty(updated);
    }
    ctx.out.int((updated > 0) as i64);
    Ok(())
}

/// PFCOUNT key [key ...]
///
/// One key answers from its cached cardinality, refreshing the cache when
/// stale (a change Redis counts as a write). Several keys count the union.
fn pfcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 2 {
        let mut max: Box<RawRegisters> = Box::new([0; REGISTERS]);
        for key in &argv[1..] {
            merge_key(ctx, key, &mut max)?;
        }
        ctx.out.int(hll::count_raw(&max) as i64);
        return Ok(());
    }
    let key = argv[1];
    let (count, refreshed) = match ctx.read(key) {
        None => (0, false),
        Some(Value::Str(s)) => {
            check_hll(s)?;
            let hll = s.make_raw();
            match hll::cached_count(hll) {
                Some(count) => (count, false),
                None => {
                    let count = hll::count(hll).map_err(|_| CORRUPT)?;
                    hll::store_count(hll, count);
                    (count, true)
                }
            }
        }
        Some(_) => return Err(errors::WRONGTYPE),
    };
    if refreshed {
        let db = ctx.client.db;
        ctx.server.signal_modified(db, key);
        ctx.dirty(1);
    }
    ctx.out.int(count as i64);
    Ok(())
}

/// Folds the HyperLogLog under `key` (if any) into `max`; true if it is dense.
fn merge_key(ctx: &mut Ctx, key: &[u8], max: &mut RawRegisters) -> Result<bool, CmdError> {
    match ctx.read(key) {
        None => Ok(false),
        Some(Value::Str(s)) => {
            let encoding = check_hll(s)?;
            s.with_bytes(|b| hll::merge_into(max, b)).map_err(|_| CORRUPT)?;
            Ok(encoding == Encoding::Dense)
        }
        Some(_) => Err(errors::WRONGTYPE),
    }
}

/// PFMERGE destkey [sourcekey [sourcekey ...]]
///
/// The destination takes part in the union. It turns dense first when any
/// input is dense, then takes each non-zero register in order, so its
/// bytes come out as Redis's.
fn pfmerge(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut max: Box<RawRegisters> = Box::new([0; REGISTERS]);
    let mut any_dense = false;
    for key in &argv[1..] {
        any_dense |= merge_key(ctx, key, &mut max)?;
    }
    let dest = argv[1];
    let limit = ctx.server.config.hll_sparse_max_bytes;
    if ctx.write(dest).is_none() {
        ctx.db().set(dest, Value::Str(StrValue::Raw(Box::new(hll::new_sparse()))));
    }
    let hll = hll_for_write(ctx, dest)?.expect("the key exists now");
    if any_dense {
        hll::to_dense(hll).map_err(|_| CORRUPT)?;
    }
    for (index, &value) in max.iter().enumerate().filter(|(_, v)| **v != 0) {
        // The destination was read above: it cannot be corrupt here.
        let _ = hll::raise(hll, index, value, limit);
    }
    hll::invalidate_cache(hll);
    // Redis reports a merge as a mass add.
    ctx.changed(notify::class::STRING, "pfadd", dest);
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}

/// What a PFDEBUG subcommand found, replied once the value is let go.
enum Debugged {
    Registers(Vec<u8>),
    Decoded(String),
    Encoding(&'static str),
    Converted(bool),
}

/// PFDEBUG <GETREG|DECODE|ENCODING|TODENSE> key
fn pfdebug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (sub, key) = (argv[1], argv[2]);
    let hll = hll_for_write(ctx, key)?.ok_or(NO_KEY)?;
    let found = if sub.eq_ignore_ascii_case(b"getreg") {
        let converted = hll::to_dense(hll).map_err(|_| CORRUPT)?;
        let registers = (0..REGISTERS).map(|i| hll::dense::get(&hll[hll::HEADER_LEN..], i)).collect();
        (Debugged::Registers(registers), converted)
    } else if sub.eq_ignore_ascii_case(b"decode") {
        if hll::encoding(hll) != Encoding::Sparse {
            return Err(CmdError::Static("ERR HLL encoding is not sparse"));
        }
        (Debugged::Decoded(hll::sparse::decode(&hll[hll::HEADER_LEN..])), false)
    } else if sub.eq_ignore_ascii_case(b"encoding") {
        (Debugged::Encoding(hll::encoding(hll).name()), false)
    } else if sub.eq_ignore_ascii_case(b"todense") {
        let converted = hll::to_dense(hll).map_err(|_| CORRUPT)?;
        (Debugged::Converted(converted), converted)
    } else {
        return Err(CmdError::Owned(format!("ERR Unknown PFDEBUG subcommand '{}'", String::from_utf8_lossy(sub))));
    };
    let (reply, converted) = found;
    // A conversion changes the bytes: Redis counts it so it propagates.
    if converted {
        ctx.dirty(1);
    }
    match reply {
        Debugged::Registers(registers) => {
            ctx.out.array_len(registers.len());
            for r in registers {
                ctx.out.int(r as i64);
            }
        }
        Debugged::Decoded(text) => ctx.out.bulk(text.as_bytes()),
        Debugged::Encoding(name) => ctx.out.simple(name),
        Debugged::Converted(done) => ctx.out.int(done as i64),
    }
    Ok(())
}

/// PFSELFTEST
fn pfselftest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let limit = ctx.server.config.hll_sparse_max_bytes;
    let server = &mut *ctx.server;
    hll::selftest::run(&hll::selftest::Effort::REDIS, limit, || server.random()).map_err(CmdError::Owned)?;
    ctx.out.ok();
    Ok(())
}
