//! The commands that change a hash: HSET HMSET HSETNX HDEL HINCRBY
//! HINCRBYFLOAT. Each counts one change per field it writes, as Redis's
//! `server.dirty` does.

use super::write_hash;
use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::{fmt_i64, itoa_buf};
use crate::types::Value;
use crate::util::long_double::LongDouble;

const HASH_NOT_INTEGER: CmdError = CmdError::Static("ERR hash value is not an integer");
const HASH_NOT_FLOAT: CmdError = CmdError::Static("ERR hash value is not a float");
/// HINCRBYFLOAT's increment itself is infinite (the sum has its own error).
const INCREMENT_NAN_OR_INF: CmdError = CmdError::Static("ERR value is NaN or Infinity");

/// HSET key field value [field value ...]
/// HMSET key field value [field value ...]
pub(super) fn hset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() % 2 == 1 {
        return Err(errors::wrong_arity(ctx.spec.name));
    }
    let pairs = &argv[2..];
    let created = write_hash(ctx, argv[1], |h, limits| Ok(h.set_pairs(pairs, limits)))?;
    ctx.dirty((pairs.len() / 2) as u64);
    ctx.changed(class::HASH, "hset", argv[1]);
    if ctx.spec.name == "hset" {
        ctx.out.int(created as i64);
    } else {
        ctx.out.ok();
    }
    Ok(())
}

/// HSETNX key field value
pub(super) fn hsetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let set = write_hash(ctx, argv[1], |h, limits| {
        if h.contains(argv[2]) {
            return Ok(false);
        }
        h.prepare(&argv[2..4], limits);
        h.set(argv[2], argv[3], limits);
        Ok(true)
    })?;
    if set {
        ctx.dirty(1);
        ctx.changed(class::HASH, "hset", argv[1]);
    }
    ctx.out.int(set as i64);
    Ok(())
}

/// HDEL key field [field ...]
///
/// The key goes with its last field.
pub(super) fn hdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let (deleted, emptied) = match ctx.write(key) {
        None => (0, false),
        Some(Value::Hash(h)) => {
            let mut deleted = 0;
            for field in &argv[2..] {
                if h.remove(field) {
                    deleted += 1;
                    if h.is_empty() {
                        break;
                    }
                }
            }
            (deleted, h.is_empty())
        }
        Some(_) => return Err(errors::WRONGTYPE),
    };
    if emptied {
        ctx.db().remove(key);
    }
    ctx.dirty(deleted);
    if deleted > 0 {
        ctx.changed(class::HASH, "hdel", key);
        if emptied {
            ctx.changed(class::GENERIC, "del", key);
        }
    }
    ctx.out.int(deleted as i64);
    Ok(())
}

/// HINCRBY key field increment
pub(super) fn hincrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // The increment is read before the key, so a bad one is reported first.
    let by = args::int(argv[3])?;
    let field = argv[2];
    let value = write_hash(ctx, argv[1], |h, limits| {
        let current = match h.get(field) {
            Some(v) => args::int(v).map_err(|_| HASH_NOT_INTEGER)?,
            None => 0,
        };
        let value = current.checked_add(by).ok_or(errors::OVERFLOW)?;
        let mut buf = itoa_buf();
        h.set(field, fmt_i64(value, &mut buf), limits);
        Ok(value)
    })?;
    ctx.dirty(1);
    ctx.changed(class::HASH, "hincrby", argv[1]);
    ctx.out.int(value);
    Ok(())
}

/// HINCRBYFLOAT key field increment
///
/// Summed in C long double and printed as Redis prints it (`%.17Lf`,
/// trailing zeros cut), like INCRBYFLOAT.
pub(super) fn hincrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let step = LongDouble::parse(argv[3]).ok_or(errors::NOT_FLOAT)?;
    if !step.is_finite() {
        return Err(INCREMENT_NAN_OR_INF);
    }
    let field = argv[2];
    let text = write_hash(ctx, argv[1], |h, limits| {
        let current = match h.get(field) {
            Some(v) => LongDouble::parse(v).ok_or(HASH_NOT_FLOAT)?,
            None => LongDouble::from_i64(0),
        };
        let sum = current.add(&step);
        if !sum.is_finite() {
            return Err(errors::NAN_OR_INF);
        }
        let text = sum.to_human();
        h.set(field, &text, limits);
        Ok(text)
    })?;
    ctx.dirty(1);
    ctx.changed(class::HASH, "hincrbyfloat", argv[1]);
    ctx.out.bulk(&text);
    ctx.propagate_as(&[b"HSET", argv[1], field, &text]);
    Ok(())
}
