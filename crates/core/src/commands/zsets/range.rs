//! ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES), its legacy forms ZREVRANGE
//! ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX, ZRANGESTORE,
//! and ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX.

use super::{limits, pair, pairs_header, parse_lex_range, parse_score_range, read_zset, store, write_zset};
use crate::command::args::{self, is};
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;
use crate::types::zset::{LexRange, ScoreRange};
use crate::types::ZSet;

const LIMIT_NEEDS_BY: CmdError =
    CmdError::Static("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
const WITHSCORES_BYLEX: CmdError =
    CmdError::Static("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Auto,
    Rank,
    Score,
    Lex,
}

enum Range {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// A parsed range request: what to select and in which direction.
struct Request {
    range: Range,
    rev: bool,
    withscores: bool,
    offset: i64,
    limit: i64,
}

/// Redis's `zrangeGenericCommand` argument handling: options after
/// `<key> <min> <max>` (at `first`), conflicts, then the range itself.
fn parse(argv: &[&[u8]], first: usize, store: bool, mut by: By, mut rev: Option<bool>) -> Result<Request, CmdError> {
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = first + 3;
    while j < argv.len() {
        let left = argv.len() - j - 1;
        let a = argv[j];
        if !store && is(a, "withscores") {
            withscores = true;
        } else if is(a, "limit") && left >= 2 {
            offset = args::int(argv[j + 1])?;
            limit = args::int(argv[j + 2])?;
            j += 2;
        } else if rev.is_none() && is(a, "rev") {
            rev = Some(true);
        } else if by == By::Auto && is(a, "bylex") {
            by = By::Lex;
        } else if by == By::Auto && is(a, "byscore") {
            by = By::Score;
        } else {
            return Err(crate::command::errors::SYNTAX);
        }
        j += 1;
    }
    let rev = rev.unwrap_or(false);
    if by == By::Auto {
        by = By::Rank;
    }
    if limit != -1 && by == By::Rank {
        return Err(LIMIT_NEEDS_BY);
    }
    if withscores && by == By::Lex {
        return Err(WITHSCORES_BYLEX);
    }
    let (mut min, mut max) = (argv[first + 1], argv[first + 2]);
    if rev && by != By::Rank {
        // Given as max, min.
        std::mem::swap(&mut min, &mut max);
    }
    let range = match by {
        By::Score => Range::Score(parse_score_range(min, max)?),
        By::Lex => Range::Lex(parse_lex_range(min, max)?),
        _ => Range::Rank(args::int(min)?, args::int(max)?),
    };
    Ok(Request { range, rev, withscores, offset, limit })
}

/// The ranks selected, in reply order: (first rank, count), walking down
/// from the first when `rev`.
fn select(z: &ZSet, req: &Request) -> (usize, usize) {
    let len = z.len() as i64;
    let (lo, hi) = match &req.range {
        Range::Rank(start, end) => {
            let (mut start, mut end) = (*start, *end);
            if start < 0 {
                start += len;
            }
            if end < 0 {
                end += len;
            }
            start = start.max(0);
            if start > end || start >= len {
                return (0, 0);
            }
            end = end.min(len - 1);
            let n = (end - start + 1) as usize;
            return if req.rev { ((len - 1 - start) as usize, n) } else { (start as usize, n) };
        }
        Range::Score(r) => z.score_ranks(r),
        Range::Lex(r) => z.lex_ranks(r),
    };
    if hi <= lo || req.offset < 0 {
        return (0, 0);
    }
    let avail = hi - lo;
    let offset = req.offset as u64;
    if offset >= avail as u64 {
        return (0, 0);
    }
    let offset = offset as usize;
    let mut n = avail - offset;
    if req.limit >= 0 {
        n = n.min(req.limit as usize);
    }
    if req.rev {
        (hi - 1 - offset, n)
    } else {
        (lo + offset, n)
    }
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
/// ZREVRANGE key start stop [WITHSCORES]
/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
/// ZRANGEBYLEX key min max [LIMIT offset count]
/// ZREVRANGEBYLEX key max min [LIMIT offset count]
/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
pub(super) fn zrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = ctx.spec.name;
    let store_to = (name == "zrangestore").then(|| argv[1]);
    let first = if store_to.is_some() { 2 } else { 1 };
    let (by, rev) = match name {
        "zrevrange" => (By::Rank, Some(true)),
        "zrangebyscore" => (By::Score, Some(false)),
        "zrevrangebyscore" => (By::Score, Some(true)),
        "zrangebylex" => (By::Lex, Some(false)),
        "zrevrangebylex" => (By::Lex, Some(true)),
        _ => (By::Auto, None),
    };
    let req = parse(argv, first, store_to.is_some(), by, rev)?;
    let key = argv[first];
    if let Some(dst) = store_to {
        let limits = limits(ctx);
        let items = read_zset(ctx, key, |z, _| {
            let Some(z) = z else { return Vec::new() };
            let (start, n) = select(z, &req);
            let mut items: Vec<(Vec<u8>, f64)> =
                z.iter_from(start, req.rev).take(n).map(|(m, s)| (m.to_vec(), s)).collect();
            if req.rev {
                items.reverse();
            }
            items
        })?;
        let n = store(ctx, dst, ZSet::from_sorted(items, limits));
        ctx.out.int(n as i64);
        return Ok(());
    }
    read_zset(ctx, key, |z, out| {
        let Some(z) = z else {
            out.array_len(0);
            return;
        };
        let (start, n) = select(z, &req);
        pairs_header(out, n, req.withscores);
        for (m, s) in z.iter_from(start, req.rev).take(n) {
            pair(out, m, s, req.withscores);
        }
    })
}

/// ZREMRANGEBYRANK key start stop
/// ZREMRANGEBYSCORE key min max
/// ZREMRANGEBYLEX key min max
pub(super) fn zremrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let range = match ctx.spec.name {
        "zremrangebyrank" => Range::Rank(args::int(argv[2])?, args::int(argv[3])?),
        "zremrangebyscore" => Range::Score(parse_score_range(argv[2], argv[3])?),
        _ => Range::Lex(parse_lex_range(argv[2], argv[3])?),
    };
    let req = Request { range, rev: false, withscores: false, offset: 0, limit: -1 };
    let removed = write_zset(ctx, argv[1], |z, _| {
        let Some(z) = z else { return 0 };
        let (start, n) = select(z, &req);
        z.remove_ranks(start, start + n)
    })?;
    ctx.dirty(removed as u64);
    if removed > 0 {
        let event = ctx.spec.name;
        super::removed_events(ctx, event, argv[1]);
    }
    ctx.out.int(removed as i64);
    Ok(())
}
