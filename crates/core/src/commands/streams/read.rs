//! XREAD and XREADGROUP: serve what is there, else block on the streams
//! (see [`crate::blocking`]) and run again when one of them gets entries.
//! A blocking XREAD's `$` is rewritten to the stream's last ID before it
//! blocks, so the re-run reads what came after the call, as Redis does.

use super::{lookup, no_such_key_or_group, reply_entry, reply_id, strict_id_arg};
use crate::blocking::Awaits;
use crate::command::args::{int, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::{Protocol, Reply};
use crate::types::stream::{Group, Stream, StreamId};

/// What a stream's ID argument asked for.
#[derive(Clone, Copy)]
enum From {
    /// Entries after this ID (XREAD, or a consumer's history in XREADGROUP).
    After(StreamId),
    /// `>`: entries never delivered to the group.
    New,
}

struct ReadArgs<'a> {
    /// Unix-ms deadline when BLOCK was given; `Some(None)` waits forever.
    block: Option<Option<i64>>,
    /// 0: no limit.
    count: usize,
    group: Option<(&'a [u8], &'a [u8])>,
    noack: bool,
    keys: &'a [&'a [u8]],
    ids: &'a [&'a [u8]],
}

fn parse<'a>(argv: &'a [&'a [u8]], group_mode: bool, now: i64) -> Result<ReadArgs<'a>, CmdError> {
    let mut a = ReadArgs { block: None, count: 0, group: None, noack: false, keys: &[], ids: &[] };
    let mut streams_at = None;
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = argv[i];
        if is(opt, "block") && more > 0 {
            i += 1;
            a.block = Some(block_deadline(argv[i], now)?);
        } else if is(opt, "count") && more > 0 {
            i += 1;
            a.count = int(argv[i])?.max(0) as usize;
        } else if is(opt, "streams") && more > 0 {
            let rest = &argv[i + 1..];
            if !rest.len().is_multiple_of(2) {
                let (name, symbol) = if group_mode { ("xreadgroup", '>') } else { ("xread", '$') };
                return Err(CmdError::Owned(format!(
                    "ERR Unbalanced '{name}' list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            streams_at = Some(i + 1);
            break;
        } else if is(opt, "group") && more >= 2 {
            if !group_mode {
                return Err(CmdError::Static(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            a.group = Some((argv[i + 1], argv[i + 2]));
            i += 2;
        } else if is(opt, "noack") {
            if !group_mode {
                return Err(CmdError::Static(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            a.noack = true;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    let at = streams_at.ok_or(errors::SYNTAX)?;
    if group_mode && a.group.is_none() {
        return Err(CmdError::Static("ERR Missing GROUP option for XREADGROUP"));
    }
    let n = (argv.len() - at) / 2;
    a.keys = &argv[at..at + n];
    a.ids = &argv[at + n..];
    Ok(a)
}

/// BLOCK's milliseconds as a deadline (Redis's `getTimeoutFromObjectOrReply`
/// in milliseconds): 0 waits forever.
fn block_deadline(arg: &[u8], now: i64) -> Result<Option<i64>, CmdError> {
    let ms = int(arg).map_err(|_| CmdError::Static("ERR timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(errors::TIMEOUT_NEGATIVE);
    }
    if ms == 0 {
        return Ok(None);
    }
    if ms > i64::MAX - now {
        return Err(CmdError::Static("ERR timeout is out of range"));
    }
    Ok(Some(now + ms))
}

/// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
/// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
pub(super) fn xread(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let group_mode = ctx.spec.name == "xreadgroup";
    let now = ctx.now;
    let a = parse(argv, group_mode, now)?;
    let mut from = Vec::with_capacity(a.keys.len());
    for (key, id) in a.keys.iter().zip(a.ids) {
        let (found, _) = lookup(ctx, key, false)?;
        let found = found.map(|s| &*s);
        if let Some((group, _)) = a.group {
            if !found.is_some_and(|s| s.groups.contains_key(group)) {
                return Err(no_such_key_or_group(key, group, " in XREADGROUP with GROUP option"));
            }
        }
        from.push(match *id {
            b"$" if group_mode => {
                return Err(CmdError::Static(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ))
            }
            b"$" => From::After(found.map_or(StreamId::MIN, |s| s.last_id)),
            b">" if !group_mode => {
                return Err(CmdError::Static(
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ))
            }
            b">" => From::New,
            _ => From::After(strict_id_arg(id)?),
        });
    }

    let mut body = Reply { buf: Vec::new(), proto: ctx.out.proto };
    let mut served = 0;
    let logging = group_mode && ctx.propagating();
    let mut logged: Vec<Vec<Vec<u8>>> = Vec::new();
    for (key, &start) in a.keys.iter().zip(&from) {
        let (found, _) = lookup(ctx, key, false)?;
        let Some(stream) = found else { continue };
        let wrote = match a.group {
            Some(_) => {
                let (wrote, created, delivered) = serve_group(stream, &mut body, key, start, &a, now);
                if logging {
                    log_group_read(&mut logged, stream, key, &a, &delivered, created);
                }
                if created {
                    let db = ctx.client.db;
                    ctx.server.notify_keyspace_event(db, class::STREAM, "xgroup-createconsumer", key);
                    ctx.dirty(1);
                }
                if wrote {
                    ctx.dirty(1);
                }
                wrote
            }
            None => serve_plain(stream, &mut body, key, start, a.count),
        };
        served += wrote as usize;
    }
    if logging {
        // Logged as what it did to the group, as Redis does: replaying the
        // read itself would stamp other delivery times.
        ctx.propagate_none();
        for argv in &logged {
            let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
            ctx.also_propagate(&args);
        }
    }
    if served > 0 {
        match ctx.out.proto {
            Protocol::Resp2 => ctx.out.array_len(served),
            Protocol::Resp3 => ctx.out.map_len(served),
        }
        ctx.out.raw(&body.buf);
        return Ok(());
    }
    let Some(deadline) = a.block else {
        ctx.out.null_array();
        return Ok(());
    };
    let keys: Vec<&[u8]> = a.keys.to_vec();
    ctx.block(&keys, Awaits::Stream { group: group_mode }, deadline);
    if let Some(state) = ctx.client.blocked.as_mut() {
        // The re-run must read after the IDs `$` stood for now.
        let ids_at = argv.len() - a.ids.len();
        state.argv = argv.iter().map(|x| x.to_vec()).collect();
        for (j, f) in from.iter().enumerate() {
            if let (b"$", From::After(id)) = (a.ids[j], f) {
                state.argv[ids_at + j] = id.to_bytes();
            }
        }
    }
    Ok(())
}

/// One stream's part of the reply header: `[key, entries]` in RESP2, the
/// map key in RESP3.
fn stream_header(body: &mut Reply, key: &[u8]) {
    if body.proto == Protocol::Resp2 {
        body.array_len(2);
    }
    body.bulk(key);
}

fn serve_plain(stream: &Stream, body: &mut Reply, key: &[u8], start: From, count: usize) -> bool {
    let From::After(after) = start else { return false };
    if stream.is_empty() || stream.edge_id(false).is_none_or(|max| max <= after) {
        return false;
    }
    stream_header(body, key);
    let first = after.next().unwrap_or(StreamId::MIN);
    let limit = if count == 0 { usize::MAX } else { count };
    let entries: Vec<_> = stream.range(first, StreamId::MAX, false).take(limit).collect();
    body.array_len(entries.len());
    for e in &entries {
        reply_entry(body, e);
    }
    true
}

/// XREADGROUP's logged form for one stream: XGROUP CREATECONSUMER for a new
/// consumer, XCLAIM … FORCE JUSTID with the exact delivery time and count
/// for each entry it now holds pending, and XGROUP SETID when NOACK moved
/// the group on without pending entries.
fn log_group_read(
    logged: &mut Vec<Vec<Vec<u8>>>,
    stream: &Stream,
    key: &[u8],
    a: &ReadArgs,
    delivered: &[StreamId],
    created: bool,
) {
    let (group_name, consumer) = a.group.expect("a group read");
    let Some(group) = stream.groups.get(group_name) else { return };
    let words = |w: &[&[u8]]| w.iter().map(|x| x.to_vec()).collect::<Vec<_>>();
    if created {
        logged.push(words(&[b"XGROUP", b"CREATECONSUMER", key, group_name, consumer]));
    }
    let last = group.last_id.to_string();
    let mut pending_logged = false;
    for id in delivered {
        let Some(p) = group.pel.get(id) else { continue };
        let (id, time, count) = (id.to_string(), p.delivery_time.to_string(), p.delivery_count.to_string());
        logged.push(words(&[
            b"XCLAIM",
            key,
            group_name,
            consumer,
            b"0",
            id.as_bytes(),
            b"TIME",
            time.as_bytes(),
            b"RETRYCOUNT",
            count.as_bytes(),
            b"FORCE",
            b"JUSTID",
            b"LASTID",
            last.as_bytes(),
        ]));
        pending_logged = true;
    }
    if !delivered.is_empty() && (a.noack || !pending_logged) {
        let read = group.entries_read.to_string();
        logged.push(words(&[b"XGROUP", b"SETID", key, group_name, last.as_bytes(), b"ENTRIESREAD", read.as_bytes()]));
    }
}

/// Serves one stream to the group's consumer named in `a`; returns
/// (served, consumer created, the entries delivered).
fn serve_group(
    stream: &mut Stream,
    body: &mut Reply,
    key: &[u8],
    start: From,
    a: &ReadArgs,
    now: i64,
) -> (bool, bool, Vec<StreamId>) {
    let (group_name, consumer) = a.group.expect("a group read");
    let mut group = stream.groups.remove(group_name).expect("checked while parsing");
    let after = match start {
        From::After(id) => Some(id),
        From::New if !stream.is_empty() => {
            let max = stream.edge_id(false).unwrap_or(StreamId::MIN);
            (max > group.last_id).then_some(group.last_id)
        }
        From::New => None,
    };
    let created = group.create_consumer(consumer, now);
    group.consumers.get_mut(consumer).expect("created above").seen_time = now;
    let (served, delivered) = match (start, after) {
        (From::After(id), _) => {
            stream_header(body, key);
            (true, serve_history(stream, &mut group, body, consumer, id, a.count, now))
        }
        (From::New, Some(last)) => {
            stream_header(body, key);
            (true, serve_new(stream, &mut group, body, consumer, last, a, now))
        }
        (From::New, None) => (false, Vec::new()),
    };
    stream.groups.insert(group_name.to_vec(), group);
    (served, created, delivered)
}

/// A consumer's own pending entries after `after`; deleted ones come back
/// as `[id, nil]`. Returns the entries delivered again.
fn serve_history(
    stream: &Stream,
    group: &mut Group,
    body: &mut Reply,
    consumer: &[u8],
    after: StreamId,
    count: usize,
    now: i64,
) -> Vec<StreamId> {
    let first = after.next().unwrap_or(StreamId::MIN);
    let limit = if count == 0 { usize::MAX } else { count };
    let ids: Vec<StreamId> = group.consumers[consumer].pel.range(first..).take(limit).copied().collect();
    body.array_len(ids.len());
    let mut delivered = Vec::new();
    for id in ids {
        match stream.get(id) {
            Some(e) => {
                reply_entry(body, &e);
                if let Some(p) = group.pel.get_mut(&id) {
                    p.delivery_time = now;
                    p.delivery_count += 1;
                    delivered.push(id);
                }
            }
            None => {
                body.array_len(2);
                reply_id(body, id);
                body.null_array();
            }
        }
    }
    delivered
}

/// Entries never delivered to the group, after `last`: each moves the group
/// on and (unless NOACK) joins the PEL under `consumer`. Returns them.
fn serve_new(
    stream: &Stream,
    group: &mut Group,
    body: &mut Reply,
    consumer: &[u8],
    last: StreamId,
    a: &ReadArgs,
    now: i64,
) -> Vec<StreamId> {
    let first = last.next().unwrap_or(StreamId::MIN);
    let limit = if a.count == 0 { usize::MAX } else { a.count };
    let entries: Vec<_> = stream.range(first, StreamId::MAX, false).take(limit).collect();
    body.array_len(entries.len());
    for e in &entries {
        stream.advance_group(group, e.id);
        reply_entry(body, e);
        if !a.noack {
            group.deliver(e.id, consumer, now);
            group.consumers.get_mut(consumer).expect("created by the caller").active_time = now;
        }
    }
    entries.iter().map(|e| e.id).collect()
}
