//! KEYS SCAN RANDOMKEY: walking the keyspace.

use super::read_untouched;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::keyspace::SmallBytes;
use crate::util::glob::glob_match;

pub(crate) const INVALID_CURSOR: CmdError = CmdError::Static("ERR invalid cursor");

/// KEYS pattern
///
/// Keys past their deadline are left out but not deleted here (the active
/// cycle or the next lookup reclaims them).
pub(super) fn keys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let pattern = argv[1];
    let all = pattern == b"*";
    let now = ctx.now;
    let db = &ctx.server.dbs[ctx.client.db];
    let found: Vec<&SmallBytes> = db
        .keys()
        .iter()
        .map(|(k, _)| k)
        .filter(|k| (all || glob_match(pattern, k, false)) && !db.is_expired(k, now))
        .collect();
    ctx.out.bulks(found.into_iter().map(|k| k.as_bytes()));
    Ok(())
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
///
/// The cursor is the table's; the reply is [next cursor, keys]. COUNT bounds
/// the keys looked at, not the keys returned, and at most ten times COUNT
/// buckets are visited so a sparse table cannot stall the server.
pub(super) fn scan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut cursor = parse_cursor(argv[1]).ok_or(INVALID_CURSOR)?;
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    let mut i = 2;
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
        } else if is(argv[i], "type") && has_value {
            type_name = Some(argv[i + 1]);
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }

    let db = &ctx.server.dbs[ctx.client.db];
    let mut found: Vec<SmallBytes> = Vec::new();
    let mut sampled: i64 = 0;
    let mut budget = count.saturating_mul(10);
    loop {
        cursor = db.scan(cursor, |k, _| {
            sampled += 1;
            if pattern.is_none_or(|p| glob_match(p, k, false)) {
                found.push(k.clone());
            }
        });
        if cursor == 0 || budget == 0 || sampled >= count {
            break;
        }
        budget -= 1;
    }

    // Expired keys are never returned; looking them up reclaims them. With
    // TYPE, Redis 7.2 filters by a read lookup, which also counts keyspace
    // hits and misses.
    let now = ctx.now;
    found.retain(|k| match type_name {
        Some(t) => read_untouched(ctx, k).is_some_and(|v| t.eq_ignore_ascii_case(v.type_name().as_bytes())),
        None => ctx.db().peek(k, now).is_some(),
    });

    let out = &mut *ctx.out;
    out.array_len(2);
    out.bulk(cursor.to_string().as_bytes());
    out.bulks(found.iter().map(|k| k.as_bytes()));
    Ok(())
}

/// Reads a cursor as C's `strtoul` does, which Redis uses: an optional sign
/// ('-' wraps around, so "-1" is the largest cursor), then decimal digits; the
/// empty string is cursor 0. Overflow, leading spaces or trailing bytes are
/// invalid. HSCAN, SSCAN and ZSCAN read their cursor the same way.
pub(crate) fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let (neg, digits) = match arg {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, arg),
    };
    if digits.is_empty() {
        // strtoul consumed nothing: valid only if nothing was there.
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

/// RANDOMKEY
pub(super) fn randomkey(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let seed = ctx.server.random();
    let now = ctx.now;
    match ctx.db().random_live_key(now, seed) {
        Some(k) => ctx.out.bulk(&k),
        None => ctx.out.null(),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursor_parses_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"+7"), Some(7));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"007"), Some(7));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b"-18446744073709551616"), None);
        assert_eq!(parse_cursor(b"+"), None);
        assert_eq!(parse_cursor(b"-"), None);
        assert_eq!(parse_cursor(b" 1"), None);
        assert_eq!(parse_cursor(b"1 "), None);
        assert_eq!(parse_cursor(b"1x"), None);
        assert_eq!(parse_cursor(b"0x10"), None);
    }
}
