//! XPENDING XCLAIM XAUTOCLAIM: the pending entries lists of groups.

use super::{interval_end, interval_start, lookup, no_such_key_or_group, reply_entry, reply_id};
use crate::command::args::{int, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::parser::parse_i64;
use crate::types::stream::{Pending, StreamId};

/// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
pub(super) fn xpending(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = argv.len();
    if n != 3 && !(6..=9).contains(&n) {
        return Err(errors::SYNTAX);
    }
    let mut range = None;
    if n >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if is(argv[3], "idle") {
            min_idle = int(argv[4])?;
            if n < 8 {
                return Err(errors::SYNTAX);
            }
            at += 2;
        }
        let count = int(argv[at + 2])?.max(0) as usize;
        let start = interval_start(argv[at])?;
        let end = interval_end(argv[at + 1])?;
        let consumer = argv.get(at + 3).copied();
        range = Some((min_idle, start, end, count, consumer));
    }
    let now = ctx.now;
    let (key, group_name) = (argv[1], argv[2]);
    let (found, out) = lookup(ctx, key, false)?;
    let group =
        found.and_then(|s| s.groups.get(group_name)).ok_or_else(|| no_such_key_or_group(key, group_name, ""))?;
    let Some((min_idle, start, end, count, consumer)) = range else {
        out.array_len(4);
        out.int(group.pel.len() as i64);
        match (group.pel.keys().next(), group.pel.keys().next_back()) {
            (Some(&first), Some(&last)) => {
                reply_id(out, first);
                reply_id(out, last);
                let owners: Vec<_> = group.consumers.iter().filter(|(_, c)| !c.pel.is_empty()).collect();
                out.array_len(owners.len());
                for (name, c) in owners {
                    out.array_len(2);
                    out.bulk(name);
                    out.bulk_int(c.pel.len() as i64);
                }
            }
            _ => {
                out.null();
                out.null();
                out.null_array();
            }
        }
        return Ok(());
    };
    let ids: Vec<StreamId> = match consumer {
        Some(name) => match group.consumers.get(name) {
            Some(c) => c.pel.range(start..).take_while(|&&id| id <= end).copied().collect(),
            None => {
                out.array_len(0);
                return Ok(());
            }
        },
        None => group.pel.range(start..).take_while(|(&id, _)| id <= end).map(|(&id, _)| id).collect(),
    };
    let picked: Vec<(StreamId, &Pending)> = ids
        .into_iter()
        .map(|id| (id, &group.pel[&id]))
        .filter(|(_, p)| min_idle == 0 || now - p.delivery_time >= min_idle)
        .take(count)
        .collect();
    out.array_len(picked.len());
    for (id, p) in picked {
        out.array_len(4);
        reply_id(out, id);
        out.bulk(&p.consumer);
        out.int((now - p.delivery_time).max(0));
        out.int(p.delivery_count as i64);
    }
    Ok(())
}

/// An integer argument with the error text Redis gives for that option.
fn int_or(arg: &[u8], msg: &'static str) -> Result<i64, CmdError> {
    int(arg).map_err(|_| CmdError::Static(msg))
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
pub(super) fn xclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, group_name, consumer) = (argv[1], argv[2], argv[3]);
    {
        let (found, _) = lookup(ctx, key, false)?;
        if !found.is_some_and(|s| s.groups.contains_key(group_name)) {
            return Err(no_such_key_or_group(key, group_name, ""));
        }
    }
    let min_idle = int_or(argv[4], "ERR Invalid min-idle-time argument for XCLAIM")?.max(0);
    // The IDs run until the first argument that is not one; options follow.
    let mut ids = Vec::new();
    let mut j = 5;
    while j < argv.len() {
        match StreamId::parse_strict(argv[j]) {
            Some(id) => ids.push(id),
            None => break,
        }
        j += 1;
    }
    let now = ctx.now;
    let (mut force, mut justid) = (false, false);
    let mut delivery_time: Option<i64> = None;
    let mut retry_count: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let opt = argv[j];
        if is(opt, "force") {
            force = true;
        } else if is(opt, "justid") {
            justid = true;
        } else if is(opt, "idle") && more > 0 {
            j += 1;
            delivery_time = Some(now.wrapping_sub(int_or(argv[j], "ERR Invalid IDLE option argument for XCLAIM")?));
        } else if is(opt, "time") && more > 0 {
            j += 1;
            delivery_time = Some(int_or(argv[j], "ERR Invalid TIME option argument for XCLAIM")?);
        } else if is(opt, "retrycount") && more > 0 {
            j += 1;
            retry_count = Some(int_or(argv[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM")?);
        } else if is(opt, "lastid") && more > 0 {
            j += 1;
            last_id = super::strict_id_arg(argv[j])?;
        } else {
            return Err(CmdError::Owned(format!("ERR Unrecognized XCLAIM option '{}'", String::from_utf8_lossy(opt))));
        }
        j += 1;
    }
    // -1 stands for "not given" in Redis: a computed -1 counts as absent too.
    let delivery_time = match delivery_time.filter(|&t| t != -1) {
        Some(t) if t < 0 || t > now => now,
        Some(t) => t,
        None => now,
    };
    let (found, out) = lookup(ctx, key, false)?;
    let stream = found.expect("checked above");
    let mut group = stream.groups.remove(group_name).expect("checked above");
    // Writes counted as Redis counts them: one per claim or dropped entry,
    // or one for a LASTID that moved the group when nothing else changed.
    let mut dirty = 0u64;
    let mut moved_last_id = false;
    if last_id > group.last_id {
        group.last_id = last_id;
        moved_last_id = true;
    }
    let created = group.create_consumer(consumer, now);
    group.consumers.get_mut(consumer).expect("created above").seen_time = now;
    let mut body = crate::resp::writer::Reply { buf: Vec::new(), proto: out.proto };
    let mut claimed = 0;
    for id in ids {
        let Some(entry) = stream.get(id) else {
            // A pending entry that no longer exists leaves the PEL.
            if group.ack(id) {
                dirty += 1;
                moved_last_id = false;
            }
            continue;
        };
        // FORCE adds an entry nobody had pending; the idle check spares it.
        let forced = force && !group.pel.contains_key(&id);
        if forced {
            group.pel.insert(id, Pending { consumer: consumer.to_vec(), delivery_time: now, delivery_count: 1 });
            group.consumers.get_mut(consumer).expect("created above").pel.insert(id);
        }
        let Some(p) = group.pel.get_mut(&id) else { continue };
        if !forced && min_idle > 0 && now - p.delivery_time < min_idle {
            continue;
        }
        p.delivery_time = delivery_time;
        match retry_count {
            Some(n) if n >= 0 => p.delivery_count = n as u64,
            _ if !justid => p.delivery_count += 1,
            _ => {}
        }
        group.transfer(id, consumer);
        if justid {
            reply_id(&mut body, id);
        } else {
            reply_entry(&mut body, &entry);
        }
        claimed += 1;
        group.consumers.get_mut(consumer).expect("created above").active_time = now;
        dirty += 1;
        moved_last_id = false;
    }
    stream.groups.insert(group_name.to_vec(), group);
    out.array_len(claimed);
    out.raw(&body.buf);
    if created {
        ctx.dirty(1);
        let db = ctx.client.db;
        ctx.server.notify_keyspace_event(db, class::STREAM, "xgroup-createconsumer", key);
    }
    ctx.dirty(dirty + moved_last_id as u64);
    Ok(())
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
pub(super) fn xautoclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, group_name, consumer) = (argv[1], argv[2], argv[3]);
    let min_idle = int_or(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM")?.max(0);
    let start = interval_start(argv[5])?;
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if is(argv[j], "count") && more > 0 {
            // Redis bounds COUNT so that COUNT * 10 attempts cannot overflow.
            let max = i64::MAX / 16;
            count = parse_i64(argv[j + 1])
                .filter(|n| (1..=max).contains(n))
                .ok_or(CmdError::Static("ERR COUNT must be > 0"))?;
            j += 1;
        } else if is(argv[j], "justid") {
            justid = true;
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    let now = ctx.now;
    let (found, out) = lookup(ctx, key, false)?;
    let stream =
        found.filter(|s| s.groups.contains_key(group_name)).ok_or_else(|| no_such_key_or_group(key, group_name, ""))?;
    let mut group = stream.groups.remove(group_name).expect("checked above");
    let created = group.create_consumer(consumer, now);
    group.consumers.get_mut(consumer).expect("created above").seen_time = now;
    let mut attempts = count * 10;
    let mut left = count;
    let mut body = crate::resp::writer::Reply { buf: Vec::new(), proto: out.proto };
    let mut claimed = 0;
    let mut deleted = Vec::new();
    let mut dirty = 0u64;
    let mut cursor = start;
    let mut next_id = StreamId::MIN;
    loop {
        let next = group.pel.range(cursor..).next().map(|(&id, p)| (id, p.delivery_time));
        if attempts == 0 || left == 0 {
            next_id = next.map_or(StreamId::MIN, |(id, _)| id);
            break;
        }
        attempts -= 1;
        let Some((id, delivered)) = next else { break };
        cursor = match id.next() {
            Some(c) => c,
            None => StreamId::MAX,
        };
        let Some(entry) = stream.get(id) else {
            group.ack(id);
            deleted.push(id);
            left -= 1;
            dirty += 1;
            continue;
        };
        if min_idle > 0 && now - delivered < min_idle {
            if id == StreamId::MAX {
                break;
            }
            continue;
        }
        let p = group.pel.get_mut(&id).expect("found above");
        p.delivery_time = now;
        if !justid {
            p.delivery_count += 1;
        }
        group.transfer(id, consumer);
        if justid {
            reply_id(&mut body, id);
        } else {
            reply_entry(&mut body, &entry);
        }
        claimed += 1;
        left -= 1;
        group.consumers.get_mut(consumer).expect("created above").active_time = now;
        dirty += 1;
        if id == StreamId::MAX {
            break;
        }
    }
    stream.groups.insert(group_name.to_vec(), group);
    out.array_len(3);
    reply_id(out, next_id);
    out.array_len(claimed);
    out.raw(&body.buf);
    out.array_len(deleted.len());
    for id in deleted {
        reply_id(out, id);
    }
    if created {
        ctx.dirty(1);
        let db = ctx.client.db;
        ctx.server.notify_keyspace_event(db, class::STREAM, "xgroup-createconsumer", key);
    }
    ctx.dirty(dirty);
    Ok(())
}
