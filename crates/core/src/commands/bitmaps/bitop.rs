//! BITOP: AND, OR, XOR of several strings, or NOT of one, stored at a key.

use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify;
use crate::types::{StrValue, Value};

const NOT_ONE_KEY: CmdError = CmdError::Static("ERR BITOP NOT must be called with a single source key.");

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Xor,
    Not,
}

/// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
///
/// Shorter sources read as zero-padded. An empty result deletes the
/// destination; the reply is the result's length.
pub(super) fn bitop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let op = match argv[1] {
        name if args::is(name, "and") => Op::And,
        name if args::is(name, "or") => Op::Or,
        name if args::is(name, "xor") => Op::Xor,
        name if args::is(name, "not") => Op::Not,
        _ => return Err(errors::SYNTAX),
    };
    if op == Op::Not && argv.len() != 4 {
        return Err(NOT_ONE_KEY);
    }
    let dest = argv[2];
    let mut sources: Vec<Option<Vec<u8>>> = Vec::with_capacity(argv.len() - 3);
    for key in &argv[3..] {
        let source = ctx.read_with(key, |value, _| match value {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.to_vec())),
            Some(_) => Err(errors::WRONGTYPE),
        })?;
        sources.push(source);
    }
    let result = combine(op, &sources);
    let len = result.len();
    if len > 0 {
        ctx.db().set(dest, Value::Str(StrValue::Raw(Box::new(result))));
        ctx.changed(notify::class::STRING, "set", dest);
        ctx.dirty(1);
    } else {
        let now = ctx.now;
        if ctx.db().delete(dest, now) {
            ctx.changed(notify::class::GENERIC, "del", dest);
            ctx.dirty(1);
        }
    }
    ctx.out.int(len as i64);
    Ok(())
}

/// The operation over the sources (missing keys are empty strings); as
/// long as the longest one.
fn combine(op: Op, sources: &[Option<Vec<u8>>]) -> Vec<u8> {
    let bytes = |i: usize| sources[i].as_deref().unwrap_or_default();
    let len = (0..sources.len()).map(|i| bytes(i).len()).max().unwrap_or(0);
    let mut out = vec![0u8; len];
    out[..bytes(0).len()].copy_from_slice(bytes(0));
    if op == Op::Not {
        out.iter_mut().for_each(|b| *b = !*b);
        return out;
    }
    for source in &sources[1..] {
        let source = source.as_deref().unwrap_or_default();
        match op {
            Op::And => {
                out.iter_mut().zip(source).for_each(|(o, s)| *o &= s);
                // Past its end a source reads as zeros.
                out[source.len()..].fill(0);
            }
            Op::Or => out.iter_mut().zip(source).for_each(|(o, s)| *o |= s),
            Op::Xor => out.iter_mut().zip(source).for_each(|(o, s)| *o ^= s),
            Op::Not => unreachable!("handled above"),
        }
    }
    out
}
