//! XINFO STREAM [FULL [COUNT n]], GROUPS, CONSUMERS, HELP.

use super::{help, lookup, no_such_group, reply_entry, reply_id, subcommand_syntax};
use crate::command::args::{int, is};
use crate::command::errors::{self, CmdResult};
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::types::stream::{Group, Stream, StreamId, INVALID_ENTRIES_READ};

const XINFO_HELP: &[&str] = &[
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
];

/// XINFO STREAM key [FULL [COUNT count]]
/// XINFO GROUPS key
/// XINFO CONSUMERS key group
/// XINFO HELP
pub(super) fn xinfo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if is(argv[1], "help") {
        help(ctx.out, argv[0], XINFO_HELP);
        return Ok(());
    }
    let now = ctx.now;
    let key = argv[2];
    let (found, out) = lookup(ctx, key, false)?;
    let stream = found.ok_or(errors::NO_SUCH_KEY)?;
    if is(argv[1], "consumers") && argv.len() == 4 {
        let group = stream.groups.get(argv[3]).ok_or_else(|| no_such_group(key, argv[3]))?;
        out.array_len(group.consumers.len());
        for (name, c) in &group.consumers {
            let inactive = if c.active_time != -1 { now - c.active_time } else { -1 };
            out.map_len(4);
            out.bulk(b"name");
            out.bulk(name);
            out.bulk(b"pending");
            out.int(c.pel.len() as i64);
            out.bulk(b"idle");
            out.int((now - c.seen_time).max(0));
            out.bulk(b"inactive");
            out.int(inactive);
        }
    } else if is(argv[1], "groups") && argv.len() == 3 {
        out.array_len(stream.groups.len());
        for (name, g) in &stream.groups {
            out.map_len(6);
            out.bulk(b"name");
            out.bulk(name);
            out.bulk(b"consumers");
            out.int(g.consumers.len() as i64);
            out.bulk(b"pending");
            out.int(g.pel.len() as i64);
            out.bulk(b"last-delivered-id");
            reply_id(out, g.last_id);
            reply_entries_read_and_lag(out, stream, g);
        }
    } else if is(argv[1], "stream") {
        stream_info(out, stream, argv)?;
    } else {
        return Err(subcommand_syntax(argv));
    }
    Ok(())
}

fn reply_entries_read_and_lag(out: &mut Reply, stream: &Stream, g: &Group) {
    out.bulk(b"entries-read");
    if g.entries_read != INVALID_ENTRIES_READ {
        out.int(g.entries_read);
    } else {
        out.null();
    }
    out.bulk(b"lag");
    match stream.lag(g) {
        Some(lag) => out.int(lag),
        None => out.null(),
    }
}

fn stream_info(out: &mut Reply, stream: &Stream, argv: &[&[u8]]) -> CmdResult {
    let opts = &argv[3..];
    let mut full = false;
    let mut count: i64 = 10;
    if !opts.is_empty() {
        if (opts.len() != 1 && opts.len() != 3) || !is(opts[0], "full") {
            return Err(subcommand_syntax(argv));
        }
        full = true;
        if opts.len() == 3 {
            if !is(opts[1], "count") {
                return Err(subcommand_syntax(argv));
            }
            count = int(opts[2])?;
            if count < 0 {
                count = 10;
            }
        }
    }
    out.map_len(if full { 9 } else { 10 });
    out.bulk(b"length");
    out.int(stream.len() as i64);
    out.bulk(b"radix-tree-keys");
    out.int(stream.node_count() as i64);
    out.bulk(b"radix-tree-nodes");
    out.int(stream.radix_tree_nodes() as i64);
    out.bulk(b"last-generated-id");
    reply_id(out, stream.last_id);
    out.bulk(b"max-deleted-entry-id");
    reply_id(out, stream.max_deleted_id);
    out.bulk(b"entries-added");
    out.int(stream.entries_added as i64);
    out.bulk(b"recorded-first-entry-id");
    reply_id(out, stream.first_id);
    if !full {
        out.bulk(b"groups");
        out.int(stream.groups.len() as i64);
        for (name, rev) in [(&b"first-entry"[..], false), (&b"last-entry"[..], true)] {
            out.bulk(name);
            match stream.range(StreamId::MIN, StreamId::MAX, rev).next() {
                Some(e) => reply_entry(out, &e),
                None => out.null(),
            }
        }
        return Ok(());
    }
    // COUNT 0 shows everything.
    let limit = if count == 0 { usize::MAX } else { count as usize };
    out.bulk(b"entries");
    let entries: Vec<_> = stream.range(StreamId::MIN, StreamId::MAX, false).take(limit).collect();
    out.array_len(entries.len());
    for e in &entries {
        reply_entry(out, e);
    }
    out.bulk(b"groups");
    out.array_len(stream.groups.len());
    for (name, g) in &stream.groups {
        out.map_len(7);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"last-delivered-id");
        reply_id(out, g.last_id);
        reply_entries_read_and_lag(out, stream, g);
        out.bulk(b"pel-count");
        out.int(g.pel.len() as i64);
        out.bulk(b"pending");
        let shown = g.pel.len().min(limit);
        out.array_len(shown);
        for (id, p) in g.pel.iter().take(shown) {
            out.array_len(4);
            reply_id(out, *id);
            out.bulk(&p.consumer);
            out.int(p.delivery_time);
            out.int(p.delivery_count as i64);
        }
        out.bulk(b"consumers");
        out.array_len(g.consumers.len());
        for (cname, c) in &g.consumers {
            out.map_len(5);
            out.bulk(b"name");
            out.bulk(cname);
            out.bulk(b"seen-time");
            out.int(c.seen_time);
            out.bulk(b"active-time");
            out.int(c.active_time);
            out.bulk(b"pel-count");
            out.int(c.pel.len() as i64);
            out.bulk(b"pending");
            let shown = c.pel.len().min(limit);
            out.array_len(shown);
            for id in c.pel.iter().take(shown) {
                let p = &g.pel[id];
                out.array_len(3);
                reply_id(out, *id);
                out.int(p.delivery_time);
                out.int(p.delivery_count as i64);
            }
        }
    }
    Ok(())
}
