//! SPOP and SRANDMEMBER.

use super::algebra::{lookup_sources, sources, union_of};
use super::{read_set, reply_member, reply_set, write_set};
use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::Reply;
use crate::types::Set;
use crate::util::rng::Rng;

/// SRANDMEMBER's count may be any long but LONG_MIN, whose negation does
/// not fit (Redis's `getRangeLongFromObjectOrReply` wording).
const COUNT_RANGE: CmdError =
    CmdError::Static("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

/// A generator for one command, seeded from the server's.
fn rng(ctx: &mut Ctx) -> Rng {
    Rng::new(ctx.server.random())
}

/// SPOP key [count]
pub(super) fn spop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    match argv.len() {
        2 => {}
        3 => return spop_count(ctx, argv),
        _ => return Err(errors::SYNTAX),
    }
    let key = argv[1];
    let mut rng = rng(ctx);
    let mut taken = Vec::new();
    let emptied = write_set(ctx, key, |found, out| {
        let Some(set) = found else {
            out.null();
            return None;
        };
        let popped = set.pop_random(&mut rng).expect("stored sets are never empty");
        popped.member().with_bytes(|b| taken.extend_from_slice(b));
        reply_member(out, popped.member());
        Some(set.is_empty())
    })?;
    if emptied.is_some() {
        // The random choice is logged as the member it took.
        ctx.propagate_as(&[b"SREM", key, &taken]);
    }
    if let Some(emptied) = emptied {
        if emptied {
            ctx.db().remove(key);
        }
        ctx.dirty(1);
        ctx.changed(class::SET, "spop", key);
        if emptied {
            ctx.changed(class::GENERIC, "del", key);
        }
    }
    Ok(())
}

/// What SPOP with a count did before the whole-set case is answered.
enum Outcome {
    /// Nothing popped; the reply is written.
    Nothing,
    /// This many popped and replied.
    Popped(u64),
    /// The count covers the whole set, of this size.
    All(u64),
}

/// SPOP key count
///
/// The count is checked before the key is looked up; a count at least the
/// set's size pops everything (and deletes the key).
fn spop_count(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    // Redis's getPositiveLongFromObjectOrReply: one message for both a
    // non-integer and a negative count.
    let count = args::int(argv[2]).ok().and_then(|n| u64::try_from(n).ok()).ok_or(errors::MUST_BE_POSITIVE)?;
    let lim = ctx.server.config.encodings;
    let mut rng = rng(ctx);
    let collect = ctx.propagating();
    let mut taken: Vec<Vec<u8>> = Vec::new();
    let popped = write_set(ctx, key, |found, out| match found {
        Some(set) if count > 0 => {
            let size = set.len() as u64;
            if count >= size {
                return Outcome::All(size);
            }
            out.set_len(count as usize);
            set.pop_many(count as usize, &mut rng, &lim, |m| {
                if collect {
                    taken.push(m.with_bytes(<[u8]>::to_vec));
                }
                reply_member(out, m)
            });
            Outcome::Popped(count)
        }
        _ => {
            out.set_len(0);
            Outcome::Nothing
        }
    })?;
    match popped {
        Outcome::Nothing => {}
        Outcome::Popped(n) => {
            ctx.dirty(n);
            ctx.changed(class::SET, "spop", key);
            ctx.propagate_batches(b"SREM", key, &taken);
        }
        Outcome::All(n) => {
            // Redis replies with a one-key SUNION (whose read lookup counts
            // a keyspace hit), then deletes the key.
            lookup_sources(ctx, &[key])?;
            let all = union_of(&sources(&ctx.server.dbs[ctx.client.db], &[key]), &lim);
            reply_set(ctx.out, &all);
            ctx.db().remove(key);
            ctx.dirty(n);
            ctx.changed(class::SET, "spop", key);
            ctx.changed(class::GENERIC, "del", key);
            ctx.propagate_as(&[b"DEL", key]);
        }
    }
    Ok(())
}

/// SRANDMEMBER key [count]
pub(super) fn srandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    match argv.len() {
        2 => {}
        3 => return srandmember_count(ctx, argv),
        _ => return Err(errors::SYNTAX),
    }
    let mut rng = rng(ctx);
    read_set(ctx, argv[1], |found, out| match found.and_then(|s| s.random_member(&mut rng)) {
        Some(m) => reply_member(out, m),
        None => out.null(),
    })
}

/// SRANDMEMBER key count
///
/// A positive count asks for distinct members (at most the whole set); a
/// negative one for exactly |count| draws that may repeat. Always an array,
/// in RESP3 too, and an empty one for a missing key or a count of 0.
fn srandmember_count(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = args::int(argv[2])?;
    if n == i64::MIN {
        return Err(COUNT_RANGE);
    }
    let (count, distinct) = (n.unsigned_abs(), n >= 0);
    let mut rng = rng(ctx);
    read_set(ctx, argv[1], |found, out| {
        let Some(set) = found else {
            out.array_len(0);
            return;
        };
        let size = set.len() as u64;
        if count == 0 {
            out.array_len(0);
        } else if !distinct || count == 1 {
            out.array_len(count as usize);
            draw_repeating(out, set, count, &mut rng);
        } else if count >= size {
            out.array_len(size as usize);
            set.iter().for_each(|m| reply_member(out, m));
        } else {
            out.array_len(count as usize);
            set.sample_distinct(count as usize, &mut rng, |m| reply_member(out, m));
        }
    })
}

/// `count` independent draws (SRANDMEMBER with a negative count, or 1).
fn draw_repeating(out: &mut Reply, set: &Set, count: u64, rng: &mut Rng) {
    for _ in 0..count {
        reply_member(out, set.random_member(rng).expect("stored sets are never empty"));
    }
}
