//! ZUNION ZINTER ZDIFF, ZUNIONSTORE ZINTERSTORE ZDIFFSTORE, ZINTERCARD
//! (Redis's `zunionInterDiffGenericCommand`). Plain sets are accepted as
//! inputs, every member with score 1.

use std::collections::HashMap;

use super::{limits, pair, pairs_header, parse_score, store};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::types::{Set, Value, ZSet};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(target: &mut f64, val: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += val;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if val < *target {
                *target = val;
            }
        }
        Aggregate::Max => {
            if val > *target {
                *target = val;
            }
        }
    }
}

/// The members of a plain set, for sorted-set operations (each scores 1).
fn set_members(s: &Set) -> Vec<Vec<u8>> {
    s.iter().map(|m| m.to_vec()).collect()
}

/// One input: a sorted set, a plain set's members, or nothing.
enum Src<'a> {
    Missing,
    Z(&'a ZSet),
    S(Vec<Vec<u8>>),
}

impl Src<'_> {
    fn len(&self) -> usize {
        match self {
            Src::Missing => 0,
            Src::Z(z) => z.len(),
            Src::S(m) => m.len(),
        }
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Src::Missing => None,
            Src::Z(z) => z.score(member),
            Src::S(m) => m.iter().any(|x| x == member).then_some(1.0),
        }
    }

    fn for_each(&self, mut f: impl FnMut(&[u8], f64) -> bool) {
        match self {
            Src::Missing => {}
            Src::Z(z) => {
                for (m, s) in z.iter() {
                    if !f(m, s) {
                        return;
                    }
                }
            }
            Src::S(ms) => {
                for m in ms {
                    if !f(m, 1.0) {
                        return;
                    }
                }
            }
        }
    }
}

/// ZUNION/ZINTER/ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
/// ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE dst numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
pub(super) fn zsetop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = ctx.spec.name;
    let op = match name {
        "zunion" | "zunionstore" => Op::Union,
        "zdiff" | "zdiffstore" => Op::Diff,
        _ => Op::Inter,
    };
    let card_only = name == "zintercard";
    let dst = name.ends_with("store").then(|| argv[1]);
    let numkeys_idx = if dst.is_some() { 2 } else { 1 };
    let setnum = args::int(argv[numkeys_idx])?;
    if setnum < 1 {
        return Err(CmdError::Owned(format!("ERR at least 1 input key is needed for '{name}' command")));
    }
    if setnum as u64 > (argv.len() - numkeys_idx - 1) as u64 {
        return Err(errors::SYNTAX);
    }
    let setnum = setnum as usize;
    let keys = &argv[numkeys_idx + 1..numkeys_idx + 1 + setnum];
    // Look every input up first (expiry, hits and misses, WRONGTYPE), as Redis does before the options.
    let mut present = Vec::with_capacity(setnum);
    for k in keys {
        match ctx.read(k) {
            None => present.push(false),
            Some(Value::ZSet(_)) | Some(Value::Set(_)) => present.push(true),
            Some(_) => return Err(errors::WRONGTYPE),
        }
    }
    let mut weights = vec![1.0f64; setnum];
    let mut how = Aggregate::Sum;
    let mut withscores = false;
    let mut limit: i64 = 0;
    let mut j = numkeys_idx + 1 + setnum;
    while j < argv.len() {
        let remaining = argv.len() - j;
        let a = argv[j];
        if op != Op::Diff && !card_only && remaining > setnum && is(a, "weights") {
            for (i, w) in weights.iter_mut().enumerate() {
                *w = parse_score(argv[j + 1 + i]).ok_or(CmdError::Static("ERR weight value is not a float"))?;
            }
            j += 1 + setnum;
        } else if op != Op::Diff && !card_only && remaining >= 2 && is(a, "aggregate") {
            let v = argv[j + 1];
            how = if is(v, "sum") {
                Aggregate::Sum
            } else if is(v, "min") {
                Aggregate::Min
            } else if is(v, "max") {
                Aggregate::Max
            } else {
                return Err(errors::SYNTAX);
            };
            j += 2;
        } else if dst.is_none() && !card_only && is(a, "withscores") {
            withscores = true;
            j += 1;
        } else if card_only && remaining >= 2 && is(a, "limit") {
            limit = super::int_in(argv[j + 1], 0, i64::MAX, "ERR LIMIT can't be negative")?;
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }

    let db = &ctx.server.dbs[ctx.client.db];
    let mut srcs: Vec<(Src, f64)> = keys
        .iter()
        .zip(&present)
        .zip(&weights)
        .map(|((k, &p), &w)| {
            let src = match db.keys().get(k) {
                Some(Value::ZSet(z)) if p => Src::Z(z),
                Some(Value::Set(s)) if p => Src::S(set_members(s)),
                _ => Src::Missing,
            };
            (src, w)
        })
        .collect();
    if op != Op::Diff {
        // Smallest first (a stable sort, as glibc's qsort is for small arrays).
        srcs.sort_by_key(|(s, _)| s.len());
    }

    let mut result: Vec<(Vec<u8>, f64)> = Vec::new();
    let mut cardinality: i64 = 0;
    match op {
        Op::Inter => {
            let (first, w0) = &srcs[0];
            if first.len() > 0 {
                first.for_each(|m, s| {
                    let mut score = w0 * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    let mut all = true;
                    for (other, w) in &srcs[1..] {
                        let same = match (first, other) {
                            (Src::Z(a), Src::Z(b)) => std::ptr::eq(*a, *b),
                            _ => false,
                        };
                        let found = if same { Some(s) } else { other.score(m) };
                        match found {
                            Some(v) => aggregate(&mut score, v * w, how),
                            None => {
                                all = false;
                                break;
                            }
                        }
                    }
                    if !all {
                        return true;
                    }
                    if card_only {
                        cardinality += 1;
                        return limit == 0 || cardinality < limit;
                    }
                    result.push((m.to_vec(), score));
                    true
                });
            }
        }
        Op::Union => {
            let mut acc: HashMap<Vec<u8>, f64> = HashMap::with_capacity(srcs.last().map_or(0, |(s, _)| s.len()));
            for (src, w) in &srcs {
                src.for_each(|m, s| {
                    let mut score = w * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match acc.get_mut(m) {
                        Some(t) => aggregate(t, score, how),
                        None => {
                            acc.insert(m.to_vec(), score);
                        }
                    }
                    true
                });
            }
            result = acc.into_iter().collect();
        }
        Op::Diff => {
            let (first, _) = &srcs[0];
            first.for_each(|m, s| {
                if srcs[1..].iter().all(|(o, _)| o.score(m).is_none()) {
                    result.push((m.to_vec(), s));
                }
                true
            });
        }
    }

    if card_only {
        ctx.out.int(cardinality);
        return Ok(());
    }
    result.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.0.cmp(&b.0)));
    if let Some(dst) = dst {
        let limits = limits(ctx);
        let n = store(ctx, dst, ZSet::from_sorted(result, limits));
        ctx.out.int(n as i64);
        return Ok(());
    }
    let out = &mut *ctx.out;
    pairs_header(out, result.len(), withscores);
    for (m, s) in &result {
        pair(out, m, *s, withscores);
    }
    Ok(())
}
