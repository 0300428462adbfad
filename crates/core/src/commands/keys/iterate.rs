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
/// The cursor is the table's; the reply is [next cursor, keys].
pub(super) fn scan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let cursor = parse_cursor(argv[1]).ok_or(INVALID_CURSOR)?;
    let opts = ScanOptions::parse(&argv[2..], true)?;

    let db = &ctx.server.dbs[ctx.client.db];
    let mut found: Vec<SmallBytes> = Vec::new();
    let cursor = scan_steps(cursor, opts.count, |cursor, sampled| {
        db.scan(cursor, |k, _| {
            *sampled += 1;
            if opts.matches(k) {
                found.push(k.clone());
            }
        })
    });

    // Expired keys are never returned; looking them up reclaims them. With
    // TYPE, Redis 7.2 filters by a read lookup, which also counts keyspace
    // hits and misses.
    let now = ctx.now;
    found.retain(|k| match opts.type_name {
        Some(t) => read_untouched(ctx, k).is_some_and(|v| t.eq_ignore_ascii_case(v.type_name().as_bytes())),
        None => ctx.db().peek(k, now).is_some(),
    });

    let out = &mut *ctx.out;
    out.array_len(2);
    out.bulk(cursor.to_string().as_bytes());
    out.bulks(found.iter().map(|k| k.as_bytes()));
    Ok(())
}

/// The options after a scan's cursor (Redis's `scanGenericCommand`), shared
/// by SCAN and the collection scans (HSCAN …).
pub(crate) struct ScanOptions<'a> {
    /// How many entries a call looks at (not how many it returns).
    pub count: i64,
    /// None when absent or "*", which matches everything.
    pub pattern: Option<&'a [u8]>,
    /// SCAN's TYPE; the collection scans have none.
    pub type_name: Option<&'a [u8]>,
}

impl<'a> ScanOptions<'a> {
    /// Reads `args` as option-value pairs: COUNT (at least 1), MATCH, and
    /// TYPE where `allow_type`; anything else is a syntax error.
    pub(crate) fn parse(args: &[&'a [u8]], allow_type: bool) -> Result<Self, CmdError> {
        let mut opts = ScanOptions { count: 10, pattern: None, type_name: None };
        for pair in args.chunks(2) {
            match pair {
                [name, value] if is(name, "count") => {
                    opts.count = args::int(value)?;
                    if opts.count < 1 {
                        return Err(errors::SYNTAX);
                    }
                }
                [name, value] if is(name, "match") => opts.pattern = Some(*value).filter(|p| *p != b"*"),
                [name, value] if allow_type && is(name, "type") => opts.type_name = Some(*value),
                _ => return Err(errors::SYNTAX),
            }
        }
        Ok(opts)
    }

    pub(crate) fn matches(&self, item: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob_match(p, item, false))
    }
}

/// Redis's scan loop: runs `step` (which visits one bucket from the cursor
/// it is given, counts what it looked at in its second argument, and
/// returns the next cursor) until the walk ends, `count` entries were looked
/// at, or ten times `count` steps were taken, so a sparse table cannot stall
/// the server. Returns the cursor to reply with.
pub(crate) fn scan_steps(mut cursor: u64, count: i64, mut step: impl FnMut(u64, &mut i64) -> u64) -> u64 {
    let mut sampled = 0;
    let mut budget = count.saturating_mul(10);
    loop {
        cursor = step(cursor, &mut sampled);
        if cursor == 0 || budget == 0 || sampled >= count {
            return cursor;
        }
        budget -= 1;
    }
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
