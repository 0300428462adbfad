//! SSCAN.

use super::read_set;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::util::glob::glob_match;

const INVALID_CURSOR: CmdError = CmdError::Static("ERR invalid cursor");

/// SSCAN key cursor [MATCH pattern] [COUNT count]
///
/// A hashtable is walked with the keyspace table's cursor: at least COUNT
/// members looked at (MATCH filters after), at most ten times COUNT home
/// slots visited. An intset or listpack is small: everything at once, with
/// cursor 0. As in Redis the cursor is checked before the key is looked up,
/// and the options only once a set is found (a missing key ignores them).
pub(super) fn sscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let cursor = parse_cursor(argv[2]).ok_or(INVALID_CURSOR)?;
    read_set(ctx, argv[1], |found, out| {
        let Some(set) = found else {
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

        // The members go aside first: the reply starts with how many.
        let mut body = Reply { buf: Vec::new(), proto: out.proto };
        let mut found = 0usize;
        let mut sampled: i64 = 0;
        let mut next = cursor;
        let mut budget = count.saturating_mul(10);
        loop {
            next = set.scan(next, |m| {
                sampled += 1;
                m.with_bytes(|b| {
                    if pattern.is_none_or(|p| glob_match(p, b, false)) {
                        found += 1;
                        body.bulk(b);
                    }
                });
            });
            if next == 0 || budget == 0 || sampled >= count {
                break;
            }
            budget -= 1;
        }
        out.array_len(2);
        out.bulk(next.to_string().as_bytes());
        out.array_len(found);
        out.raw(&body.buf);
        Ok(())
    })?
}

/// Reads a cursor as C's `strtoul` does, which Redis uses: an optional sign
/// ('-' wraps around, so "-1" is the largest cursor), then decimal digits; the
/// empty string is cursor 0. Overflow, leading spaces or trailing bytes are
/// invalid. (The same rules as SCAN's.)
fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let (neg, digits) = match arg {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, arg),
    };
    if digits.is_empty() {
        return arg.is_empty().then_some(0);
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}
