//! Counters kept in strings: INCR DECR INCRBY DECRBY (one generic function)
//! and INCRBYFLOAT. Updates keep the key's deadline, as Redis replaces the
//! value in place.

use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::{StrValue, Value};
use crate::util::long_double::LongDouble;

/// DECRBY's own wording when the decrement cannot be negated.
const DECREMENT_OVERFLOW: CmdError = CmdError::Static("ERR decrement would overflow");

/// INCR key
/// DECR key
/// INCRBY key increment
/// DECRBY key decrement
pub(super) fn incr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // The step is read before the key, so a bad step is reported first.
    let by = match ctx.spec.name {
        "incr" => 1,
        "decr" => -1,
        "incrby" => args::int(argv[2])?,
        _ => args::int(argv[2])?.checked_neg().ok_or(DECREMENT_OVERFLOW)?,
    };
    let key = argv[1];
    let value = match ctx.write(key) {
        Some(Value::Str(s)) => {
            let n = s.as_i64().ok_or(errors::NOT_INTEGER)?.checked_add(by).ok_or(errors::OVERFLOW)?;
            *s = StrValue::Int(n);
            n
        }
        Some(_) => return Err(errors::WRONGTYPE),
        None => {
            ctx.db().set(key, Value::Str(StrValue::Int(by)));
            by
        }
    };
    ctx.dirty(1);
    ctx.changed(class::STRING, "incrby", key);
    ctx.out.int(value);
    Ok(())
}

/// INCRBYFLOAT key increment
pub(super) fn incrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    // Summed in C long double and printed as Redis prints it (`%.17Lf`,
    // trailing zeros cut): f64 would give other digits ("0.1" + "0.2").
    let text = {
        let current = match ctx.write(key) {
            None => LongDouble::from_i64(0),
            Some(Value::Str(StrValue::Int(n))) => LongDouble::from_i64(*n),
            Some(Value::Str(s)) => s.with_bytes(LongDouble::parse).ok_or(errors::NOT_FLOAT)?,
            Some(_) => return Err(errors::WRONGTYPE),
        };
        let step = LongDouble::parse(argv[2]).ok_or(errors::NOT_FLOAT)?;
        let sum = current.add(&step);
        if !sum.is_finite() {
            return Err(errors::NAN_OR_INF);
        }
        sum.to_human()
    };
    ctx.out.bulk(&text);
    // Logged as the sum's text, so replay does not depend on float arithmetic.
    ctx.propagate_as(&[b"SET", key, &text, b"KEEPTTL"]);
    // Stored as text even when it reads as an integer: "3" is an embstr.
    let value = StrValue::plain(text);
    match ctx.write(key) {
        Some(Value::Str(s)) => *s = value,
        _ => {
            ctx.db().set(key, Value::Str(value));
        }
    }
    ctx.dirty(1);
    ctx.changed(class::STRING, "incrbyfloat", key);
    Ok(())
}
