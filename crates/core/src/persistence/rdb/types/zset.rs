//! Sorted sets. Written as a listpack (type 17) while the set is one
//! (member, then score: an integer entry when the score is a small whole
//! number, its shortest exact text otherwise), else as members with
//! binary scores (type 5), highest first as Redis writes them. Read also
//! from text scores (3) and ziplists (12). A NaN score or a repeated
//! member makes the file corrupt.

use super::{bad, container, Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{parse_c_double, put_binary_double, put_len, put_string, Source};
use crate::persistence::rdb::listpack::Entry;
use crate::persistence::rdb::{kind, listpack, ziplist, RdbError, RdbResult};
use crate::types::zset::Limits;
use crate::types::{Value, ZSet};

pub const CODEC: Codec =
    Codec { name: "zset", kinds: &[kind::ZSET, kind::ZSET_2, kind::ZSET_ZIPLIST, kind::ZSET_LISTPACK], load };

/// Whole numbers in this range are exact as doubles and as integers.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

pub fn save(out: &mut Vec<u8>, zset: &ZSet, ctx: &SaveCtx) -> u8 {
    if !zset.is_skiplist() {
        let mut lp = listpack::Builder::new();
        for (member, score) in zset.iter() {
            lp.push(member);
            if score.fract() == 0.0 && score.abs() < EXACT_INT && !(score == 0.0 && score.is_sign_negative()) {
                lp.push_int(score as i64);
            } else if score.is_infinite() {
                lp.push(if score > 0.0 { b"inf" } else { b"-inf" });
            } else {
                // Shortest text that reads back as exactly this double.
                lp.push(format!("{score:e}").as_bytes());
            }
        }
        put_string(out, &lp.finish(), ctx.compress);
        return kind::ZSET_LISTPACK;
    }
    put_len(out, zset.len() as u64);
    for (member, score) in zset.iter_from(zset.len().saturating_sub(1), true) {
        put_string(out, member, ctx.compress);
        put_binary_double(out, score);
    }
    kind::ZSET_2
}

fn score_of(entry: &Entry, at: usize) -> RdbResult<f64> {
    match entry {
        Entry::Int(n) => Ok(*n as f64),
        Entry::Str(s) => parse_c_double(s).ok_or_else(|| RdbError::at(at, "sorted set score is not a number")),
    }
}

fn load(kind: u8, src: &mut Source, ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let start = src.pos;
    let items: Vec<(Vec<u8>, f64)> = match kind {
        kind::ZSET | kind::ZSET_2 => {
            let n = src.count(2)?;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                let member = src.string()?.into_owned();
                let score = if kind == kind::ZSET_2 { src.binary_double()? } else { src.text_double()? };
                v.push((member, score));
            }
            v
        }
        _ => {
            let (at, packed) = container(src)?;
            let entries = if kind == kind::ZSET_ZIPLIST {
                ziplist::entries(&packed).map_err(|r| bad(at, "sorted set ziplist", r))?
            } else {
                listpack::entries(&packed).map_err(|r| bad(at, "sorted set listpack", r))?
            };
            if entries.len() % 2 != 0 {
                return Err(RdbError::at(at, "sorted set member without a score"));
            }
            let mut v = Vec::with_capacity(entries.len() / 2);
            for pair in entries.chunks(2) {
                v.push((pair[0].clone().into_vec(), score_of(&pair[1], at)?));
            }
            v
        }
    };
    let Some((first, _)) = items.first() else { return Ok(None) };
    let limits = Limits::from(ctx.limits);
    let mut zset = ZSet::with_hint(items.len(), first.len(), limits);
    for (member, score) in &items {
        if score.is_nan() {
            return Err(RdbError::at(start, "sorted set score is NaN"));
        }
        if zset.score(member).is_some() {
            return Err(RdbError::at(start, "duplicate sorted set members detected"));
        }
        zset.insert(member, *score, limits);
    }
    Ok(Some(Value::ZSet(Box::new(zset))))
}
