//! SADD SREM SMOVE SMEMBERS SISMEMBER SMISMEMBER SCARD.

use super::{read_set, reply_set, write_set};
use crate::command::errors::{self, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::set::Member;
use crate::types::{Set, Value};

/// SADD key member [member ...]
pub(super) fn sadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, members) = (argv[1], &argv[2..]);
    let lim = ctx.server.config.encodings;
    let added = write_set(ctx, key, |found, _| match found {
        Some(set) => {
            // Many arguments go to a hashtable up front, as in Redis, even
            // if most of them turn out to be members already.
            set.maybe_convert(members.len(), &lim);
            Some(members.iter().filter(|m| set.add(Member::Bytes(m), &lim)).count())
        }
        None => None,
    })?;
    let added = match added {
        Some(n) => n,
        None => {
            let mut set = Set::create(members[0], members.len(), &lim);
            let n = members.iter().filter(|m| set.add(Member::Bytes(m), &lim)).count();
            ctx.db().set(key, Value::Set(Box::new(set)));
            n
        }
    };
    ctx.dirty(added as u64);
    if added > 0 {
        ctx.changed(class::SET, "sadd", key);
    }
    ctx.out.int(added as i64);
    Ok(())
}

/// SREM key member [member ...]
pub(super) fn srem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let (removed, emptied) = write_set(ctx, key, |found, _| {
        let Some(set) = found else { return (0, false) };
        let mut removed = 0;
        for m in &argv[2..] {
            if set.remove(Member::Bytes(m)) {
                removed += 1;
                if set.is_empty() {
                    return (removed, true);
                }
            }
        }
        (removed, false)
    })?;
    if emptied {
        ctx.db().remove(key);
    }
    ctx.dirty(removed);
    if removed > 0 {
        ctx.changed(class::SET, "srem", key);
        if emptied {
            ctx.changed(class::GENERIC, "del", key);
        }
    }
    ctx.out.int(removed as i64);
    Ok(())
}

/// What a write lookup found at a key: nothing, a set, or something else.
#[derive(PartialEq)]
enum Found {
    Nothing,
    Set,
    Other,
}

fn probe(ctx: &mut Ctx, key: &[u8]) -> Found {
    match ctx.write(key) {
        None => Found::Nothing,
        Some(Value::Set(_)) => Found::Set,
        Some(_) => Found::Other,
    }
}

/// SMOVE source destination member
pub(super) fn smove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (src, dst, member) = (argv[1], argv[2], Member::Bytes(argv[3]));
    let lim = ctx.server.config.encodings;
    // Both are looked up (and expired) before anything is decided, as in Redis.
    let (from, to) = (probe(ctx, src), probe(ctx, dst));
    if from == Found::Nothing {
        ctx.out.int(0);
        return Ok(());
    }
    if from == Found::Other || to == Found::Other {
        return Err(errors::WRONGTYPE);
    }
    if src == dst {
        let is = write_set(ctx, src, |set, _| set.is_some_and(|s| s.contains(member)))?;
        ctx.out.int(is as i64);
        return Ok(());
    }
    let (removed, emptied) = write_set(ctx, src, |set, _| {
        let set = set.expect("probed");
        (set.remove(member), set.is_empty())
    })?;
    if !removed {
        ctx.out.int(0);
        return Ok(());
    }
    if emptied {
        ctx.db().remove(src);
    }
    ctx.dirty(1);
    ctx.changed(class::SET, "srem", src);
    if emptied {
        ctx.changed(class::GENERIC, "del", src);
    }
    let added = write_set(ctx, dst, |set, _| set.map(|s| s.add(member, &lim)))?;
    let added = added.unwrap_or_else(|| {
        let mut set = Set::create(argv[3], 1, &lim);
        set.add(member, &lim);
        ctx.db().set(dst, Value::Set(Box::new(set)));
        true
    });
    if added {
        ctx.dirty(1);
        ctx.changed(class::SET, "sadd", dst);
    }
    ctx.out.int(1);
    Ok(())
}

/// SMEMBERS key
///
/// Redis runs it as a one-key SINTER: a RESP3 set, empty for a missing key.
pub(super) fn smembers(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_set(ctx, argv[1], |found, out| match found {
        Some(set) => reply_set(out, set),
        None => out.set_len(0),
    })
}

/// SISMEMBER key member
pub(super) fn sismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let is = read_set(ctx, argv[1], |found, _| found.is_some_and(|s| s.contains(Member::Bytes(argv[2]))))?;
    ctx.out.int(is as i64);
    Ok(())
}

/// SMISMEMBER key member [member ...]
///
/// A missing key is an empty set: all zeros, not an error.
pub(super) fn smismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    read_set(ctx, argv[1], |found, out| {
        out.array_len(argv.len() - 2);
        for m in &argv[2..] {
            let is = found.as_ref().is_some_and(|s| s.contains(Member::Bytes(m)));
            out.int(is as i64);
        }
    })
}

/// SCARD key
pub(super) fn scard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = read_set(ctx, argv[1], |found, _| found.map_or(0, |s| s.len()))?;
    ctx.out.int(n as i64);
    Ok(())
}
