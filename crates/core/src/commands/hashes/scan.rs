//! HSCAN: walking a hash's fields with a cursor.

use super::read_hash;
use crate::command::errors::CmdResult;
use crate::commands::keys::{parse_cursor, scan_steps, ScanOptions, INVALID_CURSOR};
use crate::engine::Ctx;
use crate::resp::writer::Reply;

/// HSCAN key cursor [MATCH pattern] [COUNT count]
///
/// The reply is [next cursor, field, value, field, value …]. A `listpack`
/// hash is returned whole with cursor 0, whatever the cursor given; a
/// `hashtable` one is walked with the table's cursor, COUNT bounding the
/// fields looked at (not those returned) and at most ten times COUNT
/// buckets visited, as Redis's `scanGenericCommand`.
pub(super) fn hscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = parse_cursor(argv[2]).ok_or(INVALID_CURSOR)?;
    // A missing key replies before the options are read (an empty scan even
    // with a bad COUNT), as Redis does.
    read_hash(ctx, argv[1], |h, out| {
        let Some(h) = h else {
            out.array_len(2);
            out.bulk(b"0");
            out.array_len(0);
            return Ok(());
        };
        let opts = ScanOptions::parse(&argv[3..], false)?;
        // Pairs are encoded as they are found (the table lends them only to
        // the visitor), then sent after their count.
        let mut found = Reply { buf: Vec::new(), proto: out.proto };
        let mut pairs = 0;
        let cursor = scan_steps(start, opts.count, |cursor, sampled| {
            h.scan(cursor, |f, v| {
                *sampled += 1;
                if opts.matches(f) {
                    found.bulk(f);
                    found.bulk(v);
                    pairs += 1;
                }
            })
        });

        out.array_len(2);
        out.bulk(cursor.to_string().as_bytes());
        out.array_len(pairs * 2);
        out.raw(&found.buf);
        Ok(())
    })?
}
