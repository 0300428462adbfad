//! SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE.
//!
//! Every source key is looked up for reading first — a key of another type
//! is WRONGTYPE even after a missing one — and missing keys count as empty
//! sets. Results are built with the same encoding steps Redis takes (a
//! union or difference starts as an intset and converts as members arrive;
//! an intersection starts from the smallest set's encoding), so the STORE
//! forms leave the encoding Redis would, and replies list members in the
//! order Redis's result would hold them.

use super::{reply_member, reply_set, store};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::config::EncodingLimits;
use crate::engine::Ctx;
use crate::keyspace::Db;
use crate::resp::writer::Reply;
use crate::types::set::Encoding;
use crate::types::{Set, Value};

const NUMKEYS: CmdError = CmdError::Static("ERR numkeys should be greater than 0");
const TOO_MANY_KEYS: CmdError = CmdError::Static("ERR Number of keys can't be greater than number of args");
const NEGATIVE_LIMIT: CmdError = CmdError::Static("ERR LIMIT can't be negative");

/// Looks each key up for reading (lazy expiry, keyspace hits and misses);
/// WRONGTYPE if any holds something other than a set.
pub(super) fn lookup_sources(ctx: &mut Ctx, keys: &[&[u8]]) -> CmdResult {
    let mut wrong = false;
    for key in keys {
        wrong |= matches!(ctx.read(key), Some(v) if !matches!(v, Value::Set(_)));
    }
    if wrong {
        Err(errors::WRONGTYPE)
    } else {
        Ok(())
    }
}

/// The sets at `keys`, `None` where there is none, borrowed together.
/// Call after [`lookup_sources`], which has expired what had to go.
pub(super) fn sources<'a>(db: &'a Db, keys: &[&[u8]]) -> Vec<Option<&'a Set>> {
    keys.iter()
        .map(|k| match db.keys().get(k) {
            Some(Value::Set(s)) => Some(&**s),
            _ => None,
        })
        .collect()
}

/// What an intersection produces.
enum Inter<'k> {
    /// SINTER / SMEMBERS: the members.
    Reply,
    /// SINTERCARD: how many, stopping at a limit (0 = none).
    Count(u64),
    /// SINTERSTORE: a new set at this key.
    Store(&'k [u8]),
}

/// Redis's `sinterGenericCommand`: walks the smallest set and keeps what
/// every other set has.
fn intersect(ctx: &mut Ctx, keys: &[&[u8]], mode: Inter) -> CmdResult {
    lookup_sources(ctx, keys)?;
    let lim = ctx.server.config.encodings;
    let db = &ctx.server.dbs[ctx.client.db];
    let Some(mut sets) = sources(db, keys).into_iter().collect::<Option<Vec<&Set>>>() else {
        // A missing key is an empty set, and so is the intersection.
        match mode {
            Inter::Reply => ctx.out.set_len(0),
            Inter::Count(_) => ctx.out.int(0),
            Inter::Store(dst) => store(ctx, dst, Set::intset()),
        }
        return Ok(());
    };
    sets.sort_by_key(|s| s.len());
    let (first, rest) = sets.split_first().expect("at least one key");
    let first: &Set = first;
    let common = first.iter().filter(|m| rest.iter().all(|s| std::ptr::eq(*s, first) || s.contains(*m)));
    match mode {
        Inter::Reply => {
            // The count is known only at the end: write the members aside.
            let mut body = Reply { buf: Vec::new(), proto: ctx.out.proto };
            let n = common.map(|m| reply_member(&mut body, m)).count();
            ctx.out.set_len(n);
            ctx.out.raw(&body.buf);
        }
        Inter::Count(limit) => {
            let mut n = 0u64;
            for _ in common {
                n += 1;
                if n == limit {
                    break;
                }
            }
            ctx.out.int(n as i64);
        }
        Inter::Store(dst) => {
            let mut result = match first.kind() {
                Encoding::IntSet => Set::intset(),
                Encoding::ListPack => Set::listpack_with_capacity(first.heap_size()),
                // A listpack appends faster than an intset inserts; it may
                // become an intset or a hashtable below.
                Encoding::HashTable => Set::listpack(),
            };
            let mut only_integers = true;
            for m in common {
                only_integers = only_integers && m.as_int().is_some();
                result.add(m, &lim);
            }
            if only_integers {
                result.maybe_convert_to_intset(&lim);
            }
            result.shrink_to_fit();
            store(ctx, dst, result);
        }
    }
    Ok(())
}

/// The union of `sets` (`None` = empty), built as Redis builds it: from an
/// empty intset, converting as members arrive.
pub(super) fn union_of(sets: &[Option<&Set>], lim: &EncodingLimits) -> Set {
    let mut out = Set::intset();
    for s in sets.iter().flatten() {
        for m in s.iter() {
            out.add(m, lim);
        }
    }
    out
}

/// The first set minus all the others, with Redis's choice between its two
/// algorithms (which can leave a different encoding behind).
fn difference_of(sets: &[Option<&Set>], lim: &EncodingLimits) -> Set {
    let mut out = Set::intset();
    let Some(first) = sets[0] else { return out };
    let rest = &sets[1..];
    if rest.iter().flatten().any(|s| std::ptr::eq(*s, first)) {
        // The first key again: nothing is left.
        return out;
    }
    // Algorithm 1 checks each member of the first set against every other
    // set; algorithm 2 copies the first set and removes every member of the
    // others. Redis weighs them by the work each would do, favouring the
    // first by half.
    let present = sets.iter().flatten();
    let one: usize = present.clone().map(|_| first.len()).sum::<usize>() / 2;
    let two: usize = present.map(|s| s.len()).sum();
    if one <= two {
        for m in first.iter() {
            if !rest.iter().flatten().any(|s| s.contains(m)) {
                out.add(m, lim);
            }
        }
    } else {
        first.iter().for_each(|m| {
            out.add(m, lim);
        });
        for s in rest.iter().flatten() {
            for m in s.iter() {
                out.remove(m);
            }
            if out.is_empty() {
                break;
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Op {
    Union,
    Diff,
}

/// Redis's `sunionDiffGenericCommand`: the result as a RESP3 set, or stored at `dst`.
fn union_or_diff(ctx: &mut Ctx, keys: &[&[u8]], dst: Option<&[u8]>, op: Op) -> CmdResult {
    lookup_sources(ctx, keys)?;
    let lim = ctx.server.config.encodings;
    let sets = sources(&ctx.server.dbs[ctx.client.db], keys);
    let result = match op {
        Op::Union => union_of(&sets, &lim),
        Op::Diff => difference_of(&sets, &lim),
    };
    match dst {
        Some(dst) => store(ctx, dst, result),
        None => reply_set(ctx.out, &result),
    }
    Ok(())
}

/// SINTER key [key ...]
pub(super) fn sinter(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    intersect(ctx, &argv[1..], Inter::Reply)
}

/// SINTERSTORE destination key [key ...]
pub(super) fn sinterstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    intersect(ctx, &argv[2..], Inter::Store(argv[1]))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
pub(super) fn sintercard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let numkeys = args::int(argv[1]).ok().filter(|&n| n > 0).ok_or(NUMKEYS)?;
    if numkeys > (argv.len() - 2) as i64 {
        return Err(TOO_MANY_KEYS);
    }
    let keys_end = 2 + numkeys as usize;
    let mut limit = 0;
    let mut i = keys_end;
    while i < argv.len() {
        if is(argv[i], "limit") && i + 1 < argv.len() {
            limit = args::int(argv[i + 1]).ok().and_then(|n| u64::try_from(n).ok()).ok_or(NEGATIVE_LIMIT)?;
            i += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    intersect(ctx, &argv[2..keys_end], Inter::Count(limit))
}

/// SUNION key [key ...]
pub(super) fn sunion(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    union_or_diff(ctx, &argv[1..], None, Op::Union)
}

/// SUNIONSTORE destination key [key ...]
pub(super) fn sunionstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    union_or_diff(ctx, &argv[2..], Some(argv[1]), Op::Union)
}

/// SDIFF key [key ...]
pub(super) fn sdiff(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    union_or_diff(ctx, &argv[1..], None, Op::Diff)
}

/// SDIFFSTORE destination key [key ...]
pub(super) fn sdiffstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    union_or_diff(ctx, &argv[2..], Some(argv[1]), Op::Diff)
}
