//! ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT.

use super::{limits, parse_lex_range, parse_score, parse_score_range, read_zset, write_zset};
use crate::command::args::is;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::zset::Limits;
use crate::types::{Value, ZSet};

const XX_NX: CmdError = CmdError::Static("ERR XX and NX options at the same time are not compatible");
const GT_LT_NX: CmdError = CmdError::Static("ERR GT, LT, and/or NX options at the same time are not compatible");
const INCR_PAIRS: CmdError = CmdError::Static("ERR INCR option supports a single increment-element pair");
const NAN_SCORE: CmdError = CmdError::Static("ERR resulting score is not a number (NaN)");

#[derive(Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    incr: bool,
}

/// What applying the pairs did.
#[derive(Default)]
struct Outcome {
    added: usize,
    updated: usize,
    processed: usize,
    /// The last processed element's score (INCR's reply).
    score: f64,
}

/// Redis's `zsetAdd` for each pair, in order; Err on a NaN result.
fn apply(z: &mut ZSet, pairs: &[(f64, &[u8])], f: AddFlags, limits: Limits) -> Result<Outcome, CmdError> {
    let mut o = Outcome::default();
    for &(score, member) in pairs {
        match z.score(member) {
            Some(cur) => {
                if f.nx {
                    continue;
                }
                let mut score = score;
                if f.incr {
                    score += cur;
                    if score.is_nan() {
                        return Err(NAN_SCORE);
                    }
                }
                if (f.lt && score >= cur) || (f.gt && score <= cur) {
                    continue;
                }
                o.processed += 1;
                o.score = score;
                // -0 and 0 compare equal: the stored score stays as it was.
                if score != cur {
                    z.update(member, cur, score);
                    o.updated += 1;
                }
            }
            None if !f.xx => {
                z.insert(member, score, limits);
                o.added += 1;
                o.processed += 1;
                o.score = score;
            }
            None => {}
        }
    }
    Ok(o)
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
/// ZINCRBY key increment member
pub(crate) fn zadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let mut f = AddFlags::default();
    let mut ch = false;
    let mut idx = 2;
    if ctx.spec.name == "zincrby" {
        f.incr = true;
    } else {
        while idx < argv.len() {
            let o = argv[idx];
            if is(o, "nx") {
                f.nx = true;
            } else if is(o, "xx") {
                f.xx = true;
            } else if is(o, "ch") {
                ch = true;
            } else if is(o, "incr") {
                f.incr = true;
            } else if is(o, "gt") {
                f.gt = true;
            } else if is(o, "lt") {
                f.lt = true;
            } else {
                break;
            }
            idx += 1;
        }
    }
    let rest = &argv[idx..];
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return Err(errors::SYNTAX);
    }
    if f.nx && f.xx {
        return Err(XX_NX);
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(GT_LT_NX);
    }
    if f.incr && rest.len() > 2 {
        return Err(INCR_PAIRS);
    }
    // A few pairs (the usual ZADD has one) are parsed onto the stack, as
    // the engine does with arguments: no allocation per command.
    let mut stack: [(f64, &[u8]); 8] = [(0.0, &[]); 8];
    let mut heap = Vec::new();
    let pairs: &mut [(f64, &[u8])] = if rest.len() / 2 <= stack.len() {
        &mut stack[..rest.len() / 2]
    } else {
        heap.resize(rest.len() / 2, (0.0, &[][..]));
        &mut heap
    };
    for (pair, p) in pairs.iter_mut().zip(rest.chunks(2)) {
        *pair = (parse_score(p[0]).ok_or(errors::NOT_FLOAT)?, p[1]);
    }
    let pairs: &[(f64, &[u8])] = pairs;
    let limits = limits(ctx);
    let outcome = match ctx.write(key) {
        Some(Value::ZSet(z)) => {
            z.maybe_convert(pairs.len(), limits);
            apply(z, pairs, f, limits)?
        }
        Some(_) => return Err(errors::WRONGTYPE),
        None if f.xx => Outcome::default(),
        None => {
            let mut z = ZSet::with_hint(pairs.len(), pairs[0].1.len(), limits);
            let o = apply(&mut z, pairs, f, limits)?;
            ctx.db().set(key, Value::ZSet(Box::new(z)));
            o
        }
    };
    ctx.dirty((outcome.added + outcome.updated) as u64);
    if outcome.added + outcome.updated > 0 {
        ctx.changed(class::ZSET, if f.incr { "zincr" } else { "zadd" }, key);
    }
    if outcome.added > 0 {
        ctx.signal_ready(key);
    }
    if f.incr {
        if outcome.processed > 0 {
            ctx.out.double(outcome.score);
        } else {
            ctx.out.null();
        }
    } else {
        ctx.out.int((if ch { outcome.added + outcome.updated } else { outcome.added }) as i64);
    }
    Ok(())
}

/// ZREM key member [member ...]
pub(super) fn zrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let deleted = write_zset(ctx, argv[1], |z, _| {
        let Some(z) = z else { return 0 };
        let mut n = 0;
        for m in &argv[2..] {
            if z.remove(m).is_some() {
                n += 1;
            }
            if z.is_empty() {
                break;
            }
        }
        n
    })?;
    ctx.dirty(deleted);
    if deleted > 0 {
        super::removed_events(ctx, "zrem", argv[1]);
    }
    ctx.out.int(deleted as i64);
    Ok(())
}

/// ZCARD key
pub(super) fn zcard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = read_zset(ctx, argv[1], |z, _| z.map_or(0, |z| z.len()))?;
    ctx.out.int(n as i64);
    Ok(())
}

/// ZSCORE key member
pub(super) fn zscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_zset(ctx, argv[1], |z, out| match z.and_then(|z| z.score(argv[2])) {
        Some(s) => out.double(s),
        None => out.null(),
    })
}

/// ZMSCORE key member [member ...]
pub(super) fn zmscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_zset(ctx, argv[1], |z, out| {
        out.array_len(argv.len() - 2);
        for m in &argv[2..] {
            match z.as_ref().and_then(|z| z.score(m)) {
                Some(s) => out.double(s),
                None => out.null(),
            }
        }
    })
}

/// ZRANK key member [WITHSCORE]
/// ZREVRANK key member [WITHSCORE]
pub(super) fn zrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 4 {
        return Err(errors::wrong_arity(ctx.spec.name));
    }
    let withscore = match argv.get(3) {
        None => false,
        Some(a) if is(a, "withscore") => true,
        Some(_) => return Err(errors::SYNTAX),
    };
    let rev = ctx.spec.name == "zrevrank";
    read_zset(ctx, argv[1], |z, out| match z.and_then(|z| z.rank(argv[2]).map(|r| (r, z.len()))) {
        Some(((rank, score), len)) => {
            let rank = if rev { len - 1 - rank } else { rank };
            if withscore {
                out.array_len(2);
                out.int(rank as i64);
                out.double(score);
            } else {
                out.int(rank as i64);
            }
        }
        None if withscore => out.null_array(),
        None => out.null(),
    })
}

/// ZCOUNT key min max
/// ZLEXCOUNT key min max
pub(super) fn zcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = if ctx.spec.name == "zcount" {
        let range = parse_score_range(argv[2], argv[3])?;
        read_zset(ctx, argv[1], |z, _| {
            z.map_or(0, |z| {
                let (lo, hi) = z.score_ranks(&range);
                hi.saturating_sub(lo)
            })
        })?
    } else {
        let range = parse_lex_range(argv[2], argv[3])?;
        read_zset(ctx, argv[1], |z, _| {
            z.map_or(0, |z| {
                let (lo, hi) = z.lex_ranks(&range);
                hi.saturating_sub(lo)
            })
        })?
    };
    ctx.out.int(n as i64);
    Ok(())
}
