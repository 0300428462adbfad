//! HSCAN: walking a hash's fields with a cursor.

use super::read_hash;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdResult};
use crate::commands::keys::{parse_cursor, INVALID_CURSOR};
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::util::glob::glob_match;

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
        let mut count: i64 = 10;
        let mut pattern: Option<&[u8]> = None;
        let mut i = 3;
        while i < argv.len() {
            let has_value = i + 1 < argv.len();
            if is(argv[i], "count") && has_value {
                count = args::int(argv[i + 1])?;
                if count < 1 {
                    return Err(errors::SYNTAX);
                }
            } else if is(argv[i], "match") && has_value {
                // "*" matches everything: skip the matching altogether.
                pattern = Some(argv[i + 1]).filter(|p| *p != b"*");
            } else {
                return Err(errors::SYNTAX);
            }
            i += 2;
        }

        // Pairs are encoded as they are found (the table lends them only to
        // the visitor), then sent after their count.
        let mut found = Reply { buf: Vec::new(), proto: out.proto };
        let mut pairs = 0;
        let mut sampled: i64 = 0;
        let mut budget = count.saturating_mul(10);
        let mut cursor = start;
        loop {
            cursor = h.scan(cursor, |f, v| {
                sampled += 1;
                if pattern.is_none_or(|p| glob_match(p, f, false)) {
                    found.bulk(f);
                    found.bulk(v);
                    pairs += 1;
                }
            });
            if cursor == 0 || budget == 0 || sampled >= count {
                break;
            }
            budget -= 1;
        }

        out.array_len(2);
        out.bulk(cursor.to_string().as_bytes());
        out.array_len(pairs * 2);
        out.raw(&found.buf);
        Ok(())
    })?
}
