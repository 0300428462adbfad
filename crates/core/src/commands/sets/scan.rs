//! SSCAN.

use super::read_set;
use crate::command::errors::CmdResult;
use crate::commands::keys::{parse_cursor, scan_steps, ScanOptions, INVALID_CURSOR};
use crate::engine::Ctx;
use crate::resp::writer::Reply;

/// SSCAN key cursor [MATCH pattern] [COUNT count]
///
/// A hashtable is walked with the keyspace table's cursor: at least COUNT
/// members looked at (MATCH filters after), at most ten times COUNT home
/// slots visited. An intset or listpack is small: everything at once, with
/// cursor 0. As in Redis the cursor is checked before the key is looked up,
/// and the options only once a set is found (a missing key ignores them).
pub(super) fn sscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = parse_cursor(argv[2]).ok_or(INVALID_CURSOR)?;
    read_set(ctx, argv[1], |found, out| {
        let Some(set) = found else {
            out.array_len(2);
            out.bulk(b"0");
            out.array_len(0);
            return Ok(());
        };
        let opts = ScanOptions::parse(&argv[3..], false)?;
        // The members go aside first: the reply starts with how many.
        let mut body = Reply { buf: Vec::new(), proto: out.proto };
        let mut members = 0usize;
        let cursor = scan_steps(start, opts.count, |cursor, sampled| {
            set.scan(cursor, |m| {
                *sampled += 1;
                m.with_bytes(|b| {
                    if opts.matches(b) {
                        members += 1;
                        body.bulk(b);
                    }
                });
            })
        });
        out.array_len(2);
        out.bulk(cursor.to_string().as_bytes());
        out.array_len(members);
        out.raw(&body.buf);
        Ok(())
    })?
}
