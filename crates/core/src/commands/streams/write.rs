//! XADD XTRIM XDEL XSETID.

use super::{lookup, reply_id, strict_id_arg, INVALID_ID};
use crate::command::args::{int, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::stream::{AddError, ParsedId, Stream, StreamId, Trim, TrimArgs};
use crate::types::Value;

const BOTH_STRATEGIES: CmdError =
    CmdError::Static("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");

/// What XADD and XTRIM share: the trimming options (and XADD's ID).
struct AddTrim {
    trim: TrimArgs,
    /// XADD's ID; `None` for `*`.
    id: Option<ParsedId>,
    no_mkstream: bool,
    /// Where the ID is (XADD's fields follow it).
    id_pos: usize,
}

/// Redis's `streamParseAddOrTrimArgsOrReply`, errors in its order.
fn parse_add_trim(argv: &[&[u8]], xadd: bool, node_max_entries: usize) -> Result<AddTrim, CmdError> {
    let mut a = AddTrim {
        trim: TrimArgs { trim: Trim::None, approx: false, limit: 0 },
        id: None,
        no_mkstream: false,
        id_pos: argv.len(),
    };
    let mut limit_given = false;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = argv[i];
        if xadd && opt == b"*" {
            break;
        } else if (is(opt, "maxlen") || is(opt, "minid")) && more > 0 {
            if a.trim.trim != Trim::None {
                return Err(BOTH_STRATEGIES);
            }
            a.trim.approx = false;
            let next = argv[i + 1];
            if more >= 2 && next == b"~" {
                a.trim.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            if is(opt, "maxlen") {
                let max = int(argv[i + 1])?;
                if max < 0 {
                    return Err(CmdError::Static("ERR The MAXLEN argument must be >= 0."));
                }
                a.trim.trim = Trim::MaxLen(max as u64);
            } else {
                a.trim.trim = Trim::MinId(strict_id_arg(argv[i + 1])?);
            }
            i += 1;
        } else if is(opt, "limit") && more > 0 {
            let limit = int(argv[i + 1])?;
            if limit < 0 {
                return Err(CmdError::Static("ERR The LIMIT argument must be >= 0."));
            }
            a.trim.limit = limit as u64;
            limit_given = true;
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            a.no_mkstream = true;
        } else if xadd {
            a.id = Some(StreamId::parse_with(opt, 0, true, true).ok_or(INVALID_ID)?);
            break;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    a.id_pos = i;
    if a.trim.limit != 0 && a.trim.trim == Trim::None {
        return Err(CmdError::Static("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"));
    }
    if !xadd && a.trim.trim == Trim::None {
        return Err(CmdError::Static("ERR syntax error, XTRIM must be called with a trimming strategy"));
    }
    if limit_given {
        if !a.trim.approx {
            return Err(CmdError::Static("ERR syntax error, LIMIT cannot be used without the special ~ option"));
        }
    } else if a.trim.approx {
        // Approximate trimming does at most 100 nodes' worth of work.
        a.trim.limit = (100 * node_max_entries as u64).clamp(1, 1_000_000);
        if node_max_entries == 0 {
            a.trim.limit = 10_000;
        }
    } else {
        a.trim.limit = 0;
    }
    Ok(a)
}

/// XADD key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]
pub(super) fn xadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let limits = ctx.server.config.encodings.stream_node;
    let a = parse_add_trim(argv, true, limits.max_entries)?;
    let field_pos = a.id_pos + 1;
    if field_pos > argv.len() || argv.len() - field_pos < 2 || (argv.len() - field_pos) % 2 == 1 {
        return Err(errors::wrong_arity("xadd"));
    }
    if let Some(ParsedId { id, seq_given: true }) = a.id {
        if id.is_zero() {
            return Err(CmdError::Static("ERR The ID specified in XADD must be greater than 0-0"));
        }
    }
    let key = argv[1];
    let pairs = &argv[field_pos..];
    let now = ctx.now;
    // One lookup when the stream exists, the usual case.
    let (stream, out) = match lookup(ctx, key, true)? {
        (Some(stream), out) => (stream, out),
        (None, _) if a.no_mkstream => {
            ctx.out.null();
            return Ok(());
        }
        (None, _) => {
            ctx.db().set(key, Value::Stream(Box::default()));
            let (Some(stream), out) = lookup(ctx, key, true)? else { unreachable!("created above") };
            (stream, out)
        }
    };
    if stream.last_id == StreamId::MAX {
        return Err(CmdError::Static("ERR The stream has exhausted the last possible ID, unable to add more items"));
    }
    let id = match stream.next_id(a.id, now) {
        Ok(id) => id,
        Err(AddError::IdTooSmall) => {
            return Err(CmdError::Static(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item",
            ))
        }
    };
    if Stream::too_large(pairs) {
        return Err(CmdError::Static("ERR Elements are too large to be stored"));
    }
    stream.append(id, pairs, limits);
    reply_id(out, id);
    let trimmed = stream.trim(&a.trim);
    let length = stream.len();
    log_xadd(ctx, argv, &a, id, trimmed, length);
    ctx.changed(class::STREAM, "xadd", key);
    ctx.dirty(1);
    if trimmed > 0 {
        let db = ctx.client.db;
        ctx.server.notify_keyspace_event(db, class::STREAM, "xtrim", key);
    }
    ctx.signal_ready(key);
    Ok(())
}

/// XADD's logged form: the ID it chose instead of `*`; an approximate
/// trim (whose extent depends on node layout) becomes the exact trim it
/// amounted to, an XTRIM to the resulting length after a plain XADD.
fn log_xadd(ctx: &mut Ctx, argv: &[&[u8]], a: &AddTrim, id: StreamId, trimmed: u64, length: u64) {
    if !ctx.propagating() {
        return;
    }
    let id = id.to_string();
    let key = argv[1];
    let mut logged: Vec<&[u8]> = vec![b"XADD", key];
    if a.no_mkstream {
        logged.push(b"NOMKSTREAM");
    }
    if !a.trim.approx {
        logged = argv[..a.id_pos].to_vec();
    }
    logged.push(id.as_bytes());
    logged.extend_from_slice(&argv[a.id_pos + 1..]);
    if !a.trim.approx || trimmed == 0 {
        ctx.propagate_as(&logged);
        return;
    }
    ctx.propagate_none();
    ctx.also_propagate(&logged);
    let length = length.to_string();
    ctx.also_propagate(&[b"XTRIM", key, b"MAXLEN", b"=", length.as_bytes()]);
}

/// XTRIM key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]
pub(super) fn xtrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = parse_add_trim(argv, false, ctx.server.config.encodings.stream_node.max_entries)?;
    let key = argv[1];
    let (found, out) = lookup(ctx, key, true)?;
    let Some(stream) = found else {
        out.int(0);
        return Ok(());
    };
    let deleted = stream.trim(&a.trim);
    let length = stream.len().to_string();
    out.int(deleted as i64);
    if deleted > 0 {
        ctx.changed(class::STREAM, "xtrim", key);
        ctx.dirty(deleted);
        if a.trim.approx {
            // How far `~` goes depends on node layout: log where it ended.
            ctx.propagate_as(&[b"XTRIM", key, b"MAXLEN", b"=", length.as_bytes()]);
        }
    }
    Ok(())
}

/// XDEL key id [id ...]
pub(super) fn xdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let (found, out) = lookup(ctx, key, true)?;
    let Some(stream) = found else {
        out.int(0);
        return Ok(());
    };
    let ids = argv[2..].iter().map(|a| strict_id_arg(a)).collect::<Result<Vec<_>, _>>()?;
    let mut deleted = 0u64;
    let mut first_gone = false;
    for id in ids {
        if stream.delete(id) {
            first_gone |= id == stream.first_id;
            stream.max_deleted_id = stream.max_deleted_id.max(id);
            deleted += 1;
        }
    }
    if deleted > 0 {
        if stream.is_empty() {
            stream.first_id = StreamId::MIN;
        } else if first_gone {
            stream.refresh_first_id();
        }
    }
    out.int(deleted as i64);
    if deleted > 0 {
        ctx.changed(class::STREAM, "xdel", key);
        ctx.dirty(deleted);
    }
    Ok(())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
pub(super) fn xsetid(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let id = strict_id_arg(argv[2])?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        if is(argv[i], "entriesadded") && more > 0 {
            let n = int(argv[i + 1])?;
            if n < 0 {
                return Err(CmdError::Static("ERR entries_added must be positive"));
            }
            entries_added = Some(n as u64);
        } else if is(argv[i], "maxdeletedid") && more > 0 {
            max_deleted = strict_id_arg(argv[i + 1])?;
            if id < max_deleted {
                return Err(CmdError::Static(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }
    let key = argv[1];
    let (found, out) = lookup(ctx, key, true)?;
    let stream = found.ok_or(errors::NO_SUCH_KEY)?;
    if id < stream.max_deleted_id {
        return Err(CmdError::Static("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id"));
    }
    if !stream.is_empty() {
        let top = stream.edge_id(false).unwrap_or(StreamId::MIN);
        if id < top {
            return Err(CmdError::Static("ERR The ID specified in XSETID is smaller than the target stream top item"));
        }
        if entries_added.is_some_and(|n| stream.len() > n) {
            return Err(CmdError::Static(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    stream.last_id = id;
    if let Some(n) = entries_added {
        stream.entries_added = n;
    }
    if !max_deleted.is_zero() {
        stream.max_deleted_id = max_deleted;
    }
    out.ok();
    ctx.dirty(1);
    let db = ctx.client.db;
    ctx.server.notify_keyspace_event(db, class::STREAM, "xsetid", key);
    Ok(())
}
