//! ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN, and [`pop_extremes`], the pop
//! the blocking BZPOPMIN/BZPOPMAX/BZMPOP are built on.

use std::collections::HashSet;

use super::{int_in, pair, pairs_header, read_zset};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::commands::keys::{parse_cursor, scan_steps, ScanOptions, INVALID_CURSOR};
use crate::engine::Ctx;
use crate::resp::writer::Protocol;
use crate::types::Value;
use crate::util::float::format_double;

/// Popped elements, (member, score) in pop order.
pub(crate) type Popped = Vec<(Vec<u8>, f64)>;

/// Pops up to `count` elements from the low end (or, with `max`, the high
/// end) of the sorted set at `key`, in pop order, as Redis's
/// `genericZpopCommand` does for one key: a write lookup (lazy expiry, no
/// hit/miss counting); `Ok(None)` when the key does not exist; WRONGTYPE for
/// another type. A set left empty is deleted; each popped element counts
/// one change (`dirty`). `count` 0 pops nothing but still answers
/// `Some(vec![])` for an existing set (ZPOPMIN key 0 replies an empty array).
///
/// The blocking commands serve a waiter with `pop_extremes(ctx, key, max,
/// count)` on the first key that returns `Some` and write the reply shape of
/// their command (see [`reply_popped`] for ZPOPMIN's and ZMPOP's).
pub(crate) fn pop_extremes(ctx: &mut Ctx, key: &[u8], max: bool, count: usize) -> Result<Option<Popped>, CmdError> {
    let popped = match ctx.write(key) {
        None => return Ok(None),
        Some(Value::ZSet(z)) => {
            let n = count.min(z.len());
            let start = if max { z.len().saturating_sub(1) } else { 0 };
            let popped: Vec<(Vec<u8>, f64)> = z.iter_from(start, max).take(n).map(|(m, s)| (m.to_vec(), s)).collect();
            if max {
                z.remove_ranks(z.len() - n, z.len());
            } else {
                z.remove_ranks(0, n);
            }
            if z.is_empty() {
                ctx.db().remove(key);
            }
            popped
        }
        Some(_) => return Err(errors::WRONGTYPE),
    };
    ctx.dirty(popped.len() as u64);
    if !popped.is_empty() {
        super::removed_events(ctx, if max { "zpopmax" } else { "zpopmin" }, key);
    }
    Ok(Some(popped))
}

/// How popped elements are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PopReply {
    /// ZPOPMIN/ZPOPMAX: a flat [member, score, ...] array, or in RESP3 with
    /// a COUNT an array of [member, score] pairs.
    Flat { nested: bool },
    /// ZMPOP/BZMPOP: [key, [[member, score], ...]] in both protocols.
    WithKey,
    /// BZPOPMIN/BZPOPMAX: a flat [key, member, score] in both protocols.
    #[allow(dead_code)] // used by the blocking commands, written on top of this family
    FlatWithKey,
}

/// Writes popped elements in the shape of `how`.
pub(crate) fn reply_popped(ctx: &mut Ctx, key: &[u8], popped: &[(Vec<u8>, f64)], how: PopReply) {
    let out = &mut *ctx.out;
    let nested = match how {
        PopReply::Flat { nested } => {
            out.array_len(if nested { popped.len() } else { popped.len() * 2 });
            nested
        }
        PopReply::WithKey => {
            out.array_len(2);
            out.bulk(key);
            out.array_len(popped.len());
            true
        }
        PopReply::FlatWithKey => {
            out.array_len(popped.len() * 2 + 1);
            out.bulk(key);
            false
        }
    };
    for (m, s) in popped {
        if nested {
            out.array_len(2);
        }
        out.bulk(m);
        out.double(*s);
    }
}

/// ZPOPMIN key [count]
/// ZPOPMAX key [count]
pub(super) fn zpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::SYNTAX);
    }
    let count = match argv.get(2) {
        Some(a) => Some(int_in(a, 0, i64::MAX, "ERR value is out of range, must be positive")? as usize),
        None => None,
    };
    let max = ctx.spec.name == "zpopmax";
    match pop_extremes(ctx, argv[1], max, count.unwrap_or(1))? {
        None => ctx.out.array_len(0),
        Some(popped) => {
            let nested = count.is_some() && ctx.out.proto == Protocol::Resp3;
            reply_popped(ctx, argv[1], &popped, PopReply::Flat { nested });
        }
    }
    Ok(())
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn zmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (keys, max, count) = parse_mpop(argv, 1)?;
    for key in keys {
        if let Some(popped) = pop_extremes(ctx, key, max, count)? {
            reply_popped(ctx, key, &popped, PopReply::WithKey);
            return Ok(());
        }
    }
    ctx.out.null_array();
    Ok(())
}

/// The arguments of ZMPOP (numkeys at `numkeys_idx`; BZMPOP's is 2): the
/// keys, MAX or MIN, and the count (1 by default).
pub(crate) fn parse_mpop<'a>(argv: &[&'a [u8]], numkeys_idx: usize) -> Result<(Vec<&'a [u8]>, bool, usize), CmdError> {
    let numkeys = int_in(argv[numkeys_idx], 1, i64::MAX, "ERR numkeys should be greater than 0")? as u64;
    let where_idx = (numkeys_idx as u64).saturating_add(numkeys).saturating_add(1);
    if where_idx >= argv.len() as u64 {
        return Err(errors::SYNTAX);
    }
    let where_idx = where_idx as usize;
    let max = if is(argv[where_idx], "max") {
        true
    } else if is(argv[where_idx], "min") {
        false
    } else {
        return Err(errors::SYNTAX);
    };
    let mut count: Option<usize> = None;
    let mut j = where_idx + 1;
    while j < argv.len() {
        if count.is_none() && is(argv[j], "count") && j + 1 < argv.len() {
            count = Some(int_in(argv[j + 1], 1, i64::MAX, "ERR count should be greater than 0")? as usize);
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    Ok((argv[numkeys_idx + 1..where_idx].to_vec(), max, count.unwrap_or(1)))
}

/// ZRANDMEMBER key [count [WITHSCORES]]
pub(super) fn zrandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() < 3 {
        let seed = ctx.server.random();
        return read_zset(ctx, argv[1], |z, out| match z.and_then(|z| z.random(seed)) {
            Some((m, _)) => out.bulk(m),
            None => out.null(),
        });
    }
    let l = args::int(argv[2])?;
    if l == i64::MIN {
        return Err(CmdError::Static(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    if argv.len() > 4 || (argv.len() == 4 && !is(argv[3], "withscores")) {
        return Err(errors::SYNTAX);
    }
    let withscores = argv.len() == 4;
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(CmdError::Static("ERR value is out of range"));
    }
    // Enough random numbers for any pick (drawn up front: the set borrows ctx).
    let mut rng = crate::util::rng::Rng::new(ctx.server.random());
    read_zset(ctx, argv[1], |z, out| {
        let Some(z) = z else {
            out.array_len(0);
            return;
        };
        let size = z.len();
        let count = l.unsigned_abs() as usize;
        if count == 0 {
            out.array_len(0);
            return;
        }
        if l < 0 || count == 1 {
            // With repetitions, in random order.
            pairs_header(out, count, withscores);
            for _ in 0..count {
                if let Some((m, s)) = z.random(rng.next_u64()) {
                    pair(out, m, s, withscores);
                }
            }
            return;
        }
        pairs_header(out, count.min(size), withscores);
        if count >= size {
            // The whole set, highest first (Redis's `zuiNext` walks from the tail).
            for (m, s) in z.iter_from(size - 1, true) {
                pair(out, m, s, withscores);
            }
            return;
        }
        // Distinct ranks (Floyd's sampling); a listpack answers them in
        // order, as Redis's `lpRandomPairsUnique` does.
        let mut chosen: HashSet<usize> = HashSet::with_capacity(count);
        let mut order = Vec::with_capacity(count);
        for j in size - count..size {
            let t = (rng.next_u64() % (j as u64 + 1)) as usize;
            let pick = if chosen.insert(t) { t } else { j };
            chosen.insert(pick);
            order.push(pick);
        }
        if !z.is_skiplist() {
            order.sort_unstable();
        }
        for r in order {
            if let Some((m, s)) = z.get(r) {
                pair(out, m, s, withscores);
            }
        }
    })
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
pub(super) fn zscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = parse_cursor(argv[2]).ok_or(INVALID_CURSOR)?;
    // Options are read after the lookup, as Redis's `scanGenericCommand` does.
    let exists = read_zset(ctx, argv[1], |z, _| z.is_some())?;
    if !exists {
        ctx.out.array_len(2);
        ctx.out.bulk(b"0");
        ctx.out.array_len(0);
        return Ok(());
    }
    let opts = ScanOptions::parse(&argv[3..], false)?;
    let db = ctx.client.db;
    let Some(Value::ZSet(z)) = ctx.server.dbs[db].keys().get(argv[1]) else { unreachable!("looked up above") };
    let mut found: Vec<(Vec<u8>, f64)> = Vec::new();
    let cursor = scan_steps(start, opts.count, |cursor, sampled| {
        z.scan(cursor, |m, s| {
            *sampled += 1;
            if opts.matches(m) {
                found.push((m.to_vec(), s));
            }
        })
    });
    let out = &mut *ctx.out;
    out.array_len(2);
    out.bulk(cursor.to_string().as_bytes());
    out.array_len(found.len() * 2);
    for (m, s) in found {
        out.bulk(&m);
        out.bulk(format_double(s).as_bytes());
    }
    Ok(())
}
