//! Sorted set commands: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK
//! ZREVRANK ZCOUNT ZLEXCOUNT, the ZRANGE family and ZRANGESTORE, the
//! ZREMRANGEBY* commands, ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN, and
//! ZUNION ZINTER ZDIFF (with their STORE forms) and ZINTERCARD, with Redis
//! 7.2's replies, errors and encodings (see `types::zset`).
//!
//! - `add`: adding, removing and reading single members, counts.
//! - `range`: ZRANGE and its legacy forms, ZRANGESTORE, ZREMRANGEBY*.
//! - `pop`: ZPOPMIN/ZPOPMAX/ZMPOP (and [`pop::pop_extremes`], which the
//!   blocking BZPOPMIN/BZPOPMAX/BZMPOP build on), ZRANDMEMBER, ZSCAN.
//! - `setops`: ZUNION ZINTER ZDIFF, their STORE forms, ZINTERCARD.
//! - this file: the declarations and what the handlers share (lookups,
//!   argument parsing as Redis parses it, reply shapes).

use crate::command::errors::{self, CmdError};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::{Protocol, Reply};
use crate::types::zset::{LexBound, Limits, ScoreRange};
use crate::types::{Value, ZSet};

pub(crate) mod add;
mod blocking;
pub(crate) mod pop;
mod range;
mod setops;
#[cfg(test)]
mod tests;

const ZSET: CommandSpec = CommandSpec {
    group: Group::SortedSet,
    acl: AclCategory::SortedSet.bit(),
    keys: KeySpec::FIRST,
    ..CommandSpec::BASE
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "zadd",
        arity: -4,
        flags: WRITE | DENYOOM | FAST,
        since: "1.2.0",
        summary: "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        exec: Exec::Core(add::zadd),
        ..ZSET
    },
    CommandSpec {
        name: "zincrby",
        arity: 4,
        flags: WRITE | DENYOOM | FAST,
        since: "1.2.0",
        summary: "Increments the score of a member in a sorted set.",
        complexity: "O(log(N)) where N is the number of elements in the sorted set.",
        exec: Exec::Core(add::zadd),
        ..ZSET
    },
    CommandSpec {
        name: "zrem",
        arity: -3,
        flags: WRITE | FAST,
        since: "1.2.0",
        summary: "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
        complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
        exec: Exec::Core(add::zrem),
        ..ZSET
    },
    CommandSpec {
        name: "zcard",
        arity: 2,
        flags: READONLY | FAST,
        since: "1.2.0",
        summary: "Returns the number of members in a sorted set.",
        complexity: "O(1)",
        exec: Exec::Core(add::zcard),
        ..ZSET
    },
    CommandSpec {
        name: "zscore",
        arity: 3,
        flags: READONLY | FAST,
        since: "1.2.0",
        summary: "Returns the score of a member in a sorted set.",
        complexity: "O(1)",
        exec: Exec::Core(add::zscore),
        ..ZSET
    },
    CommandSpec {
        name: "zmscore",
        arity: -3,
        flags: READONLY | FAST,
        since: "6.2.0",
        summary: "Returns the score of one or more members in a sorted set.",
        complexity: "O(N) where N is the number of members being requested.",
        exec: Exec::Core(add::zmscore),
        ..ZSET
    },
    CommandSpec {
        name: "zrank",
        arity: -3,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the index of a member in a sorted set ordered by ascending scores.",
        complexity: "O(log(N))",
        exec: Exec::Core(add::zrank),
        ..ZSET
    },
    CommandSpec {
        name: "zrevrank",
        arity: -3,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the index of a member in a sorted set ordered by descending scores.",
        complexity: "O(log(N))",
        exec: Exec::Core(add::zrank),
        ..ZSET
    },
    CommandSpec {
        name: "zcount",
        arity: 4,
        flags: READONLY | FAST,
        since: "2.0.0",
        summary: "Returns the count of members in a sorted set that have scores within a range.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        exec: Exec::Core(add::zcount),
        ..ZSET
    },
    CommandSpec {
        name: "zlexcount",
        arity: 4,
        flags: READONLY | FAST,
        since: "2.8.9",
        summary: "Returns the number of members in a sorted set within a lexicographical range.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        exec: Exec::Core(add::zcount),
        ..ZSET
    },
    CommandSpec {
        name: "zrange",
        arity: -4,
        flags: READONLY,
        since: "1.2.0",
        summary: "Returns members in a sorted set within a range of indexes.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrevrange",
        arity: -4,
        flags: READONLY,
        since: "1.2.0",
        summary: "Returns members in a sorted set within a range of indexes in reverse order.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrangebyscore",
        arity: -4,
        flags: READONLY,
        since: "1.0.5",
        summary: "Returns members in a sorted set within a range of scores.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrevrangebyscore",
        arity: -4,
        flags: READONLY,
        since: "2.2.0",
        summary: "Returns members in a sorted set within a range of scores in reverse order.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrangebylex",
        arity: -4,
        flags: READONLY,
        since: "2.8.9",
        summary: "Returns members in a sorted set within a lexicographical range.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrevrangebylex",
        arity: -4,
        flags: READONLY,
        since: "2.8.9",
        summary: "Returns members in a sorted set within a lexicographical range in reverse order.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zrangestore",
        arity: -5,
        flags: WRITE | DENYOOM,
        keys: KeySpec::TWO,
        since: "6.2.0",
        summary: "Stores a range of members from sorted set in a key.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
        exec: Exec::Core(range::zrange),
        ..ZSET
    },
    CommandSpec {
        name: "zremrangebyrank",
        arity: 4,
        flags: WRITE,
        since: "2.0.0",
        summary: "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        exec: Exec::Core(range::zremrange),
        ..ZSET
    },
    CommandSpec {
        name: "zremrangebyscore",
        arity: 4,
        flags: WRITE,
        since: "1.2.0",
        summary: "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        exec: Exec::Core(range::zremrange),
        ..ZSET
    },
    CommandSpec {
        name: "zremrangebylex",
        arity: 4,
        flags: WRITE,
        since: "2.8.9",
        summary: "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
        exec: Exec::Core(range::zremrange),
        ..ZSET
    },
    CommandSpec {
        name: "zpopmin",
        arity: -2,
        flags: WRITE | FAST,
        since: "5.0.0",
        summary: "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
        complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
        exec: Exec::Core(pop::zpop),
        ..ZSET
    },
    CommandSpec {
        name: "zpopmax",
        arity: -2,
        flags: WRITE | FAST,
        since: "5.0.0",
        summary: "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.",
        complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
        exec: Exec::Core(pop::zpop),
        ..ZSET
    },
    CommandSpec {
        name: "zmpop",
        arity: -4,
        flags: WRITE | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.",
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        exec: Exec::Core(pop::zmpop),
        ..ZSET
    },
    CommandSpec {
        name: "zrandmember",
        arity: -2,
        flags: READONLY,
        since: "6.2.0",
        summary: "Returns one or more random members from a sorted set.",
        complexity: "O(N) where N is the number of members returned",
        exec: Exec::Core(pop::zrandmember),
        ..ZSET
    },
    CommandSpec {
        name: "zscan",
        arity: -3,
        flags: READONLY,
        since: "2.8.0",
        summary: "Iterates over members and scores of a sorted set.",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        exec: Exec::Core(pop::zscan),
        ..ZSET
    },
    CommandSpec {
        name: "zunion",
        arity: -3,
        flags: READONLY | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "6.2.0",
        summary: "Returns the union of multiple sorted sets.",
        complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zinter",
        arity: -3,
        flags: READONLY | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "6.2.0",
        summary: "Returns the intersect of multiple sorted sets.",
        complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zdiff",
        arity: -3,
        flags: READONLY | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "6.2.0",
        summary: "Returns the difference between multiple sorted sets.",
        complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zunionstore",
        arity: -4,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        since: "2.0.0",
        summary: "Stores the union of multiple sorted sets in a key.",
        complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zinterstore",
        arity: -4,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        since: "2.0.0",
        summary: "Stores the intersect of multiple sorted sets in a key.",
        complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zdiffstore",
        arity: -4,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        since: "6.2.0",
        summary: "Stores the difference of multiple sorted sets in a key.",
        complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "zintercard",
        arity: -3,
        flags: READONLY | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Returns the number of members of the intersect of multiple sorted sets.",
        complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
        exec: Exec::Core(setops::zsetop),
        ..ZSET
    },
    CommandSpec {
        name: "bzpopmin",
        arity: -3,
        flags: WRITE | FAST | BLOCKING,
        keys: KeySpec { first: 1, last: -2, step: 1 },
        since: "5.0.0",
        summary: "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        exec: Exec::Core(blocking::bzpop),
        ..ZSET
    },
    CommandSpec {
        name: "bzpopmax",
        arity: -3,
        flags: WRITE | FAST | BLOCKING,
        keys: KeySpec { first: 1, last: -2, step: 1 },
        since: "5.0.0",
        summary: "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.",
        complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        exec: Exec::Core(blocking::bzpop),
        ..ZSET
    },
    CommandSpec {
        name: "bzmpop",
        arity: -5,
        flags: WRITE | BLOCKING | MOVABLE_KEYS,
        keys: KeySpec::NONE,
        since: "7.0.0",
        summary: "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.",
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        exec: Exec::Core(blocking::bzmpop),
        ..ZSET
    },
];

pub(crate) const NOT_FLOAT_RANGE: CmdError = CmdError::Static("ERR min or max is not a float");
pub(crate) const NOT_LEX_RANGE: CmdError = CmdError::Static("ERR min or max not valid string range item");

/// The encoding thresholds in force.
pub(crate) fn limits(ctx: &Ctx) -> Limits {
    Limits::from(&ctx.server.config.encodings)
}

/// Looks `key` up for reading (lazy expiry, keyspace hit or miss) and hands
/// its sorted set to `f` beside the reply writer; another type is WRONGTYPE
/// and `f` does not run.
pub(crate) fn read_zset<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(Option<&mut ZSet>, &mut Reply) -> R,
) -> Result<R, CmdError> {
    // The writer is moved out and back (a few words) because the value found
    // borrows `ctx` as a whole.
    let mut out = std::mem::take(&mut *ctx.out);
    let result = match ctx.read(key) {
        None => Ok(f(None, &mut out)),
        Some(Value::ZSet(z)) => Ok(f(Some(z), &mut out)),
        Some(_) => Err(errors::WRONGTYPE),
    };
    *ctx.out = out;
    result
}

/// As [`read_zset`], with a write lookup (no hit/miss counting). A set left
/// empty by `f` is deleted, as Redis deletes emptied keys.
pub(crate) fn write_zset<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(Option<&mut ZSet>, &mut Reply) -> R,
) -> Result<R, CmdError> {
    let mut out = std::mem::take(&mut *ctx.out);
    let mut emptied = false;
    let result = match ctx.write(key) {
        None => Ok(f(None, &mut out)),
        Some(Value::ZSet(z)) => {
            let r = f(Some(z), &mut out);
            emptied = z.is_empty();
            Ok(r)
        }
        Some(_) => Err(errors::WRONGTYPE),
    };
    *ctx.out = out;
    if emptied {
        ctx.db().remove(key);
    }
    result
}

/// The events of elements leaving the sorted set at `key`: `event`, then
/// "del" when that emptied (and so deleted) it.
fn removed_events(ctx: &mut Ctx, event: &str, key: &[u8]) {
    ctx.changed(class::ZSET, event, key);
    if ctx.server.dbs[ctx.client.db].keys().get(key).is_none() {
        ctx.changed(class::GENERIC, "del", key);
    }
}

/// Stores a computed result at `dst` (Redis's `setKey`: replaces any value
/// and its TTL), or deletes `dst` when the result is empty. Returns the
/// stored size.
pub(crate) fn store(ctx: &mut Ctx, dst: &[u8], z: ZSet) -> usize {
    let n = z.len();
    if n == 0 {
        let now = ctx.now;
        if ctx.db().delete(dst, now) {
            ctx.dirty(1);
            ctx.changed(class::GENERIC, "del", dst);
        }
    } else {
        ctx.db().set(dst, Value::ZSet(Box::new(z)));
        ctx.dirty(1);
        // The event is the command's name: zunionstore, zinterstore, zdiffstore, zrangestore.
        let event = ctx.spec.name;
        ctx.changed(class::ZSET, event, dst);
        ctx.signal_ready(dst);
    }
    n
}

/// The array header of `n` elements, with or without scores: flat pairs in
/// RESP2, an array of [member, score] pairs in RESP3.
pub(crate) fn pairs_header(out: &mut Reply, n: usize, withscores: bool) {
    if withscores && out.proto == Protocol::Resp2 {
        out.array_len(n * 2);
    } else {
        out.array_len(n);
    }
}

/// One element of a [`pairs_header`] array.
#[inline]
pub(crate) fn pair(out: &mut Reply, member: &[u8], score: f64, withscores: bool) {
    if withscores && out.proto == Protocol::Resp3 {
        out.array_len(2);
    }
    out.bulk(member);
    if withscores {
        out.double(score);
    }
}

// ---- numbers as Redis reads them ----

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// C's `strtod` on `s`: the value, how many bytes it consumed (0: no
/// conversion), and whether it overflowed or underflowed to zero (ERANGE).
/// Hex floats ("0x1p4") and "inf"/"infinity"/"nan" are read as glibc reads them.
pub(crate) fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if starts(b"infinity") {
        return (sign(f64::INFINITY), i + 8, false);
    }
    if starts(b"inf") {
        return (sign(f64::INFINITY), i + 3, false);
    }
    if starts(b"nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            if let Some(close) = s[end..].iter().position(|&c| c == b')') {
                if s[end + 1..end + close].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    end += close + 1;
                }
            }
        }
        return (f64::NAN, end, false);
    }
    if starts(b"0x") {
        if let Some((v, n)) = hex_float(&rest[2..]) {
            return (sign(v), i + 2 + n, v.is_infinite());
        }
    }
    let start = i;
    let mut digits = 0;
    let mut nonzero = false;
    // The digits as one integer (meaningful while there are at most 19,
    // which cannot overflow) and how many came after the point: for the
    // fast path below.
    let mut mantissa: u64 = 0;
    let mut fraction_digits = 0;
    let mut take_digit = |c: u8| {
        nonzero |= c != b'0';
        digits += 1;
        mantissa = mantissa.wrapping_mul(10).wrapping_add((c - b'0') as u64);
    };
    while i < s.len() && s[i].is_ascii_digit() {
        take_digit(s[i]);
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            take_digit(s[i]);
            fraction_digits += 1;
            i += 1;
        }
    }
    let fits = digits <= 19;
    if digits == 0 {
        return (0.0, 0, false);
    }
    let mut exponent = false;
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if j < s.len() && s[j].is_ascii_digit() {
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
            exponent = true;
        }
    }
    // Clinger's fast path, for the plain numbers scores and coordinates
    // usually are ("42", "13.361389"): a mantissa below 2^53 and a power of
    // ten up to 10^22 are both exact doubles, and one IEEE division rounds
    // correctly, so this is the value the full parse would give.
    if fits && !exponent && mantissa <= 1 << 53 && fraction_digits < EXACT_POWERS_OF_TEN.len() {
        let v = mantissa as f64 / EXACT_POWERS_OF_TEN[fraction_digits];
        return (sign(v), i, false);
    }
    let text = std::str::from_utf8(&s[start..i]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    let erange = v.is_infinite() || (v == 0.0 && nonzero);
    (sign(v), i, erange)
}

/// 10^0 ..= 10^22: every power of ten a double holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The digits after "0x": (value, bytes consumed), None if there are none.
fn hex_float(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let mut mant = 0f64;
    let mut exp: i64 = 0;
    let mut any = false;
    while i < s.len() && s[i].is_ascii_hexdigit() {
        mant = mant * 16.0 + (s[i] as char).to_digit(16)? as f64;
        any = true;
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        let mut j = i + 1;
        while j < s.len() && s[j].is_ascii_hexdigit() {
            mant = mant * 16.0 + (s[j] as char).to_digit(16)? as f64;
            exp -= 4;
            any = true;
            j += 1;
        }
        if any {
            i = j;
        }
    }
    if !any {
        return None;
    }
    if i < s.len() && (s[i] == b'p' || s[i] == b'P') {
        let mut j = i + 1;
        let mut eneg = false;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            eneg = s[j] == b'-';
            j += 1;
        }
        if j < s.len() && s[j].is_ascii_digit() {
            let mut e: i64 = 0;
            while j < s.len() && s[j].is_ascii_digit() {
                e = (e * 10 + (s[j] - b'0') as i64).min(100_000);
                j += 1;
            }
            exp += if eneg { -e } else { e };
            i = j;
        }
    }
    Some((mant * 2f64.powi(exp.clamp(-5000, 5000) as i32), i))
}

/// Redis's `getDoubleFromObject`: the whole argument, no leading space, no
/// NaN, no overflow (scores, increments, weights).
pub(crate) fn parse_score(arg: &[u8]) -> Option<f64> {
    if arg.is_empty() || is_c_space(arg[0]) {
        return None;
    }
    let (v, n, erange) = strtod(arg);
    if n != arg.len() || v.is_nan() || (erange && (v.is_infinite() || v == 0.0)) {
        return None;
    }
    Some(v)
}

/// One end of a score range (Redis's `zslParseRange`): "(" for exclusive,
/// then what `strtod` reads up to the end (or a NUL byte, as C sees it).
fn parse_score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    let (ex, text) = match arg.first() {
        Some(b'(') => (true, &arg[1..]),
        _ => (false, arg),
    };
    let (v, n, _) = strtod(text);
    if (n < text.len() && text[n] != 0) || v.is_nan() {
        return None;
    }
    Some((v, ex))
}

pub(crate) fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    match (parse_score_bound(min), parse_score_bound(max)) {
        (Some((min, minex)), Some((max, maxex))) => Ok(ScoreRange { min, max, minex, maxex }),
        _ => Err(NOT_FLOAT_RANGE),
    }
}

/// One end of a lex range (Redis's `zslParseLexRangeItem`).
fn parse_lex_bound(arg: &[u8]) -> Option<LexBound> {
    match arg.first()? {
        b'+' if arg.len() == 1 => Some(LexBound::Max),
        b'-' if arg.len() == 1 => Some(LexBound::Min),
        b'(' => Some(LexBound::Excl(arg[1..].to_vec())),
        b'[' => Some(LexBound::Incl(arg[1..].to_vec())),
        _ => None,
    }
}

pub(crate) fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<crate::types::zset::LexRange, CmdError> {
    match (parse_lex_bound(min), parse_lex_bound(max)) {
        (Some(min), Some(max)) => Ok(crate::types::zset::LexRange { min, max }),
        _ => Err(NOT_LEX_RANGE),
    }
}

/// Redis's `getRangeLongFromObjectOrReply` with a message: `msg` both when
/// the argument is not an integer and when it is outside `min..=max`.
pub(crate) fn int_in(arg: &[u8], min: i64, max: i64, msg: &'static str) -> Result<i64, CmdError> {
    match crate::command::args::int(arg) {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(CmdError::Static(msg)),
    }
}
